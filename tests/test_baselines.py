"""The greedy baseline (``benchmarks/nearest.py``): it rides vehicle ferries, lets island
vans serve passenger-only islands, and its plans are valid in both modes, every
(station, carrier) delivered in full or declared unserved with its rule."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from strategies import ACCESS_MIXES

from islandroute.datasets.synthetic import archipelago
from islandroute.model import Network
from islandroute.model.plan import Plan
from islandroute.network.reach import Reach, diagnose
from islandroute.planning import PlanOptions, Tuning, plan_week
from islandroute.validate import validate

MODES = ("joint", "separate")


def _load_nearest() -> ModuleType:
    """``benchmarks/nearest.py`` as a module (benchmarks are scripts, not a package)."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "nearest.py"
    spec = importlib.util.spec_from_file_location("benchmarks_nearest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


nearest = _load_nearest()


def _mix_net(k: int, seed: int) -> Network:
    bridge, ferry, boat = ACCESS_MIXES[k]
    return archipelago(
        n_stations=24,
        n_islands=5,
        n_carriers=3,
        share_bridge=bridge,
        share_vehicle_ferry=ferry,
        share_boat_only=boat,
        seed=seed,
    )


def _delivered(plan: Plan) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for r in plan.routes:
        for s in r.stops:
            for c, q in s.deliver.items():
                out[(s.node, c)] = out.get((s.node, c), 0) + q
    return out


def _check_accounted(net: Network, plan: Plan, mode: str) -> None:
    """Valid; each pair with parcels delivered in full or declared; the pairs the reach
    diagnosis rules out declared with its rule."""
    assert validate(net, plan) == []
    declared = {(u.station, u.carrier): u for u in plan.unserved}
    got = _delivered(plan)
    for st in net.stations:
        for c, q in st.demand.items():
            if (st.node, c) in declared:
                assert got.get((st.node, c), 0) == 0
                assert declared[(st.node, c)].parcels == q
            else:
                assert got.get((st.node, c), 0) == q, (st.node, c)
    diagnosed = {p.obj.split("'")[1] for p in diagnose(net, Reach(net), mode)}
    assert diagnosed <= {u.station for u in plan.unserved}
    assert sorted(plan.stats["unserved_stations"]) == sorted({u.station for u in plan.unserved})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("k", range(len(ACCESS_MIXES)))
def test_greedy_valid_on_every_access_mix(k: int, mode: str) -> None:
    net = _mix_net(k, seed=k)
    plan = nearest.greedy_plan(net, mode)
    assert plan.mode == mode
    _check_accounted(net, plan, mode)
    # generous generated fleets: the greedy serves every station here
    assert plan.unserved == ()
    assert plan.stats["unserved"] == 0
    access = net.provenance["access"]
    island_of = {n.id: n.island for n in net.nodes}
    depot_island = {v.id: island_of[v.depot] for v in net.vehicles}
    for r in plan.routes:
        for s in r.stops[1:-1]:
            kind = access[island_of[s.node]]
            if kind == "boat_only":  # a van based on that island, from its depot
                assert depot_island[r.vehicle] == island_of[s.node]
            elif kind == "vehicle_ferry" and depot_island[r.vehicle] != island_of[s.node]:
                assert r.ferry_crossings >= 2  # over by a ferry and back by one
        if mode == "separate":
            assert r.carriers == (net.vehicle_by_id[r.vehicle].carrier,)
    if ACCESS_MIXES[k][1] > 0:  # vehicle-ferry islands: crossings at timetabled times
        assert plan.totals.ferry_crossings > 0
        for r in plan.routes:
            for leg in r.legs:
                if leg.ferry:
                    f = net.ferry_by_id[leg.ferry]
                    assert f.vehicles and leg.depart % 1440 in f.departures[r.day]


def test_greedy_uses_mon_wed_fri() -> None:
    net = _mix_net(0, seed=3)
    plan = nearest.greedy_plan(net, "joint")
    assert set(plan.visit_days.values()) == {("mon", "wed", "fri")}
    assert {r.day for r in plan.routes} == {"mon", "wed", "fri"}


@pytest.mark.parametrize("mode", MODES)
def test_stations_out_of_reach_are_named(mode: str) -> None:
    """Without the vans based on the boat-only islands, their stations are declared
    unserved with the reach rule; everything else is still served."""
    net = _mix_net(3, seed=5)  # boat-only islands
    island_of = {n.id: n.island for n in net.nodes}
    main = {v.id for v in net.vehicles if island_of[v.depot] == "i0"}
    net = net.replace(vehicles=[v for v in net.vehicles if v.id in main])
    plan = nearest.greedy_plan(net, mode)
    _check_accounted(net, plan, mode)
    cut_off = {s.node for s in net.stations if island_of[s.node] != "i0"}
    assert cut_off
    assert {u.station for u in plan.unserved} == cut_off
    assert {u.rule for u in plan.unserved} == {"reach"}


@pytest.mark.parametrize("mode", MODES)
def test_left_out_visits_are_declared(mode: str) -> None:
    """One small van per carrier cannot carry the week: what it cannot take is declared
    (rule ``route``), taken out of every day, and the plan stays valid."""
    net = _mix_net(0, seed=7)
    keep, seen = [], set()
    for v in net.vehicles:
        if v.carrier is not None and v.carrier not in seen:
            seen.add(v.carrier)
            keep.append(v.model_copy(update={"capacity": 60}))
        elif v.carrier is not None and v.depot.startswith("dep-i"):
            keep.append(v)  # island vans stay: their stations remain reachable
    net = net.replace(vehicles=keep)
    plan = nearest.greedy_plan(net, mode)
    _check_accounted(net, plan, mode)
    routed = [u for u in plan.unserved if u.rule == "route"]
    assert routed and plan.stats["unserved"] > 0
    assert all("no vehicle with room and time" in u.message for u in routed)
    assert plan.routes  # what fits is still served


def test_nearest_neighbour_names_still_work() -> None:
    net = _mix_net(0, seed=1)
    sub = nearest.road_subnetwork(net)
    plan = nearest.nearest_neighbour_plan(sub)
    assert plan.mode == "joint" and validate(sub, plan) == []
    assert plan.totals.ferry_crossings == 0  # nothing left beyond a ferry


# ---- the planner's greedy floor ---------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "seed", "mode"), [(0, 3, "joint"), (5, 4, "joint"), (0, 5, "separate")]
)
def test_the_planner_is_never_dearer_than_the_greedy_week(k: int, seed: int, mode: str) -> None:
    """Whenever the hand planner serves every visit, the planner's week costs no more
    (it builds that week first and keeps it if its own search ends dearer)."""
    net = _mix_net(k, seed)
    greedy = nearest.greedy_plan(net, mode)
    plan = plan_week(net, mode, time_limit=8 if mode == "separate" else 4, seed=0)
    assert validate(net, plan) == []
    if not greedy.unserved:
        assert plan.totals.cost <= greedy.totals.cost + 1e-6
    assert plan.stats["greedy_kept"] >= 0


def test_the_greedy_floor_can_be_turned_off() -> None:
    net = _mix_net(0, 3)
    plan = plan_week(net, time_limit=3, options=PlanOptions.of(tuning=Tuning(greedy_max_visits=0)))
    assert plan.stats["greedy_kept"] == 0 and validate(net, plan) == []
