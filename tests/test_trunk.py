"""The 1+1+N trunk: every route's parcels go down the trunk of its depot's county complex
on its day, and only the days with routes need a run."""

from __future__ import annotations

import pytest

from islandroute import Network, Plan, archipelago, plan_week
from islandroute.analysis.trunk import complex_of_depots, trunk_runs, trunk_table

PLAN_SECONDS = 2


@pytest.fixture(scope="module")
def week() -> tuple[Network, Plan]:
    net = archipelago(40, n_islands=9, n_carriers=2, seed=3, pickup_share=0.1)
    return net, plan_week(net, mode="separate", time_limit=PLAN_SECONDS, seed=0)


def test_every_depot_has_its_nearest_county_complex(week: tuple[Network, Plan]) -> None:
    net, _ = week
    hubs = {n.id for n in net.nodes if n.role == "county_complex"}
    owner = complex_of_depots(net)
    assert len(hubs) >= 2
    assert {v.depot for v in net.vehicles} <= set(owner)
    assert set(owner.values()) <= hubs


def test_trunk_carries_every_route_on_its_day(week: tuple[Network, Plan]) -> None:
    net, plan = week
    runs = trunk_runs(net, plan)
    assert sum(r.out for r in runs) == plan.totals.parcels
    assert sum(r.back for r in runs) == sum(
        sum(s.pickup.values()) for r in plan.routes for s in r.stops
    )
    owner = complex_of_depots(net)
    depot = {v.id: v.depot for v in net.vehicles}
    needed = {(owner[depot[r.vehicle]], r.day) for r in plan.routes}
    assert {(r.complex, r.day) for r in runs} == needed  # no run on a day without routes
    rows = trunk_table(net, plan)
    assert sum(row["runs"] for row in rows) == len(runs)


def test_a_network_without_complexes_has_no_trunk(week: tuple[Network, Plan]) -> None:
    net, plan = week
    plain = net.replace(
        nodes=[
            n.model_copy(update={"role": None}) if n.role == "county_complex" else n
            for n in net.nodes
        ]
    )
    assert complex_of_depots(plain) == {} and trunk_runs(plain, plan) == []
