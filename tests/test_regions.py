"""Big days split into depot regions: every visit lands in exactly one region, with a
vehicle of that region able to serve it, and the regions' fleets do not overlap."""

from __future__ import annotations

import islandroute as ir
from islandroute.network.reach import Reach
from islandroute.planning.day import day_visits, working
from islandroute.planning.instance import Instance
from islandroute.planning.patterns import balanced_patterns
from islandroute.planning.regions import REGION_VISITS, depot_groups, regions


def test_zhoushan_day_splits_into_county_regions() -> None:
    net = ir.zhoushan()
    inst = Instance(net, Reach(net), net.carrier_ids, list(net.vehicles), "joint")
    assignment = balanced_patterns(inst, seed=0)
    day = "tue"
    di = inst.days.index(day)
    visits = day_visits(inst, day, assignment)
    rows = working(inst, day)
    assert len(visits) > REGION_VISITS
    parts = regions(inst, day, visits, rows)
    assert len(parts) > 1
    seen = [id(v) for part, _ in parts for v in part]
    assert sorted(seen) == sorted(id(v) for v in visits)
    fleets = [set(r) for _, r in parts]
    assert sum(len(f) for f in fleets) == len(set().union(*fleets))
    for part, part_rows in parts:
        for v in part:
            assert any(inst.servable[k, di, v.unit.station] for k in part_rows), v.unit.node


def test_near_depots_share_a_group() -> None:
    net = ir.archipelago(30, 3, 3, seed=1)
    inst = Instance(net, Reach(net), net.carrier_ids, list(net.vehicles), "joint")
    groups = depot_groups(inst, list(range(len(inst.vehicles))))
    assert sorted(k for g in groups for k in g) == list(range(len(inst.vehicles)))
    depots_main = {
        v.depot
        for v in net.vehicles
        if v.depot.startswith("dep-") and net.node_by_id[v.depot].island == "i0"
    }
    # the carriers' depots on the main island sit close together: one group holds them
    assert any({inst.vehicles[k].depot for k in g} >= depots_main for g in groups)


def test_a_big_single_depot_day_is_cut_into_sectors() -> None:
    net = ir.archipelago(
        400, 4, 3, seed=2, share_bridge=1.0, share_vehicle_ferry=0.0, share_boat_only=0.0
    )
    inst = Instance(net, Reach(net), net.carrier_ids, list(net.vehicles), "joint")
    assignment = balanced_patterns(inst, seed=0)
    visits = day_visits(inst, "mon", assignment)
    rows = working(inst, "mon")
    parts = regions(inst, "mon", visits, rows)
    assert len(visits) > 120 and len(parts) >= 2
    assert sorted(id(v) for p, _ in parts for v in p) == sorted(id(v) for v in visits)
    assert all(part_rows for _, part_rows in parts)
    assert sorted(k for _, r in parts for k in r) == sorted(rows)


def test_a_cold_park_joins_the_sector_of_a_refrigerated_van() -> None:
    """Sweep sectors share a depot's vans out by parcels; a cold park only the one
    refrigerated van may collect goes to that van's sector (it was left out before:
    ``no route on mon could take its visit``)."""
    net = ir.archipelago(
        300, 10, 3, seed=0, parks=4, pickup_share=0.08, cold_parks=1, deadlines=True
    )
    inst = Instance(
        net, Reach(net), ("zto",), [v for v in net.vehicles if v.carrier == "zto"], "separate"
    )
    assignment = balanced_patterns(inst, seed=0)
    day = "mon"
    di = inst.days.index(day)
    visits = day_visits(inst, day, assignment)
    parts = regions(inst, day, visits, working(inst, day))
    cold = [v for v in visits if inst.station(v.unit.station).cold]
    assert cold and len(parts) > 1
    seen = sorted(id(v) for part, _ in parts for v in part)
    assert seen == sorted(id(v) for v in visits)
    for part, part_rows in parts:
        for v in part:
            assert any(inst.servable[k, di, v.unit.station] for k in part_rows), v.unit.node
