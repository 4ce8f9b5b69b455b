"""The weekly planner: every plan obeys the rules (checked by the independent validator),
nothing is lost, visit rules hold, runs repeat, and impossible requests are named."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import archipelagos

from islandroute import InfeasibleError, Network, plan_week, validate
from islandroute.datasets.synthetic import archipelago
from islandroute.model import Plan
from islandroute.planning.instance import split_integer


def delivered(plan: Plan) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = defaultdict(int)
    for r in plan.routes:
        for s in r.stops:
            for c, q in s.deliver.items():
                out[(s.node, c)] += q
    return out


def visit_days(plan: Plan) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in plan.routes:
        for s in r.stops[1:-1]:
            for c in r.carriers:
                out[(s.node, c)].add(r.day)
    return out


def assert_plan_rules(net: Network, plan: Plan) -> None:
    """The rules, asserted directly as well as through the validator."""
    assert validate(net, plan) == []
    got = delivered(plan)
    days = visit_days(plan)
    for st in net.stations:
        for c, q in st.demand.items():
            assert got.get((st.node, c), 0) == q, (st.node, c)
            if q:
                assert len(days[(st.node, c)]) >= st.min_visits, (st.node, c)
    for r in plan.routes:
        cap = net.vehicle_by_id[r.vehicle].capacity
        assert r.parcels <= cap
        if plan.mode == "separate":
            assert r.carriers == (net.vehicle_by_id[r.vehicle].carrier,)
    per_vehicle_day = [(r.vehicle, r.day) for r in plan.routes]
    assert len(per_vehicle_day) == len(set(per_vehicle_day))


def test_worked_example_is_served_three_times(two_islands: Network) -> None:
    plan = plan_week(two_islands, mode="separate", time_limit=5, seed=1)
    assert_plan_rules(two_islands, plan)
    assert sorted(r.day for r in plan.routes) == ["fri", "mon", "wed"]  # the ferry's days
    ferry_legs = [g for r in plan.routes for g in r.legs if g.mode == "ferry"]
    assert {(g.depart, g.ferry) for g in ferry_legs} == {(480, "f"), (600, "g")}
    assert plan.totals.ferry_crossings == 6
    assert plan.totals.km == pytest.approx(48.0)


def test_same_seed_same_plan(two_islands: Network) -> None:
    net = archipelago(14, 3, 2, seed=5)
    a = plan_week(net, mode="joint", time_limit=8, seed=3, effort=2)
    b = plan_week(net, mode="joint", time_limit=8, seed=3, effort=2)
    strip = ("stats",)
    da = {k: v for k, v in a.to_dict().items() if k not in strip}
    db = {k: v for k, v in b.to_dict().items() if k not in strip}
    assert da == db


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=archipelagos(max_stations=9, max_carriers=3, max_islands=3))
def test_generated_plans_keep_every_rule(net: Network) -> None:
    for mode in ("joint", "separate"):
        plan = plan_week(net, mode=mode, time_limit=6, seed=0, effort=2)
        assert_plan_rules(net, plan)


def test_joint_pools_carriers_and_costs_less() -> None:
    net = archipelago(40, 4, 3, seed=2)
    joint = plan_week(net, mode="joint", time_limit=8, seed=0)
    separate = plan_week(net, mode="separate", time_limit=8, seed=0)
    assert_plan_rules(net, joint)
    assert_plan_rules(net, separate)
    assert any(len(r.carriers) > 1 for r in joint.routes)
    assert joint.totals.cost < separate.totals.cost
    assert sum(k.cost for k in joint.by_carrier.values()) == pytest.approx(joint.totals.cost)


def test_split_is_exact() -> None:
    assert split_integer(10, [2, 2, 3]) == [3, 3, 4]
    assert sum(split_integer(7, [1.0, 5.0, 1.0])) == 7


def _fault(net_doc: dict[str, Any], mode: str = "joint") -> str:
    with pytest.raises(InfeasibleError) as info:
        plan_week(Network.from_dict(net_doc), mode=mode, time_limit=5)
    return str(info.value)


def test_boat_twice_a_week_is_diagnosed(two_islands_doc: dict[str, Any]) -> None:
    for f in two_islands_doc["ferries"]:
        f["departures"].pop("fri")
    msg = _fault(two_islands_doc)
    assert "station 's'" in msg and "min_visits" in msg and "mon, wed" in msg


def test_demand_above_every_vehicle_is_diagnosed(two_islands_doc: dict[str, Any]) -> None:
    two_islands_doc["stations"][0]["demand"]["ems"] = 900
    msg = _fault(two_islands_doc, mode="separate")
    assert "station 's'" in msg and "demand.ems" in msg


def test_opening_hours_outside_shifts_are_diagnosed(two_islands_doc: dict[str, Any]) -> None:
    two_islands_doc["stations"][0]["open"] = [1200, 1300]
    msg = _fault(two_islands_doc)
    assert "station 's'" in msg and "open" in msg


def test_unreachable_station_is_diagnosed(two_islands_doc: dict[str, Any]) -> None:
    for f in two_islands_doc["ferries"]:
        f["vehicles"] = False
    msg = _fault(two_islands_doc)
    assert "station 's'" in msg and "reach" in msg


def test_progress_and_summary_say_which_cost_they_show() -> None:
    """Progress lines show the routing cost the search minimises; the summary's cost adds
    the boat fares of parcels sent to island depots, and says so."""
    net = archipelago(12, 3, 2, seed=1)
    said: list[str] = []
    plan = plan_week(net, time_limit=2, seed=0, progress=said.append)
    costs = [m for m in said if " cost " in m]
    assert costs and all("routing cost" in m for m in costs)
    with_boat = plan.model_copy(
        update={"totals": plan.totals.model_copy(update={"parcel_fares": 1234.0})}
    )
    without = plan.model_copy(
        update={"totals": plan.totals.model_copy(update={"parcel_fares": 0.0})}
    )
    assert "(boat parcel fares 1,234)" in with_boat.summary()
    assert "boat parcel fares" not in without.summary()
