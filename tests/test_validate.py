"""The independent validator: the spec's example pair is valid; each broken rule is named."""

from __future__ import annotations

import ast
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from islandroute.errors import IslandrouteError
from islandroute.validate import PlanInvalidError, Violation, assert_valid, validate

FIXTURES = Path(__file__).parent / "fixtures"
NET: dict[str, Any] = json.loads((FIXTURES / "two_islands.json").read_text())
PLAN: dict[str, Any] = json.loads((FIXTURES / "two_islands_plan.json").read_text())

Doc = dict[str, Any]


def _net() -> Doc:
    return copy.deepcopy(NET)


def _plan() -> Doc:
    return copy.deepcopy(PLAN)


def _rules(net: Doc, plan: Doc) -> set[str]:
    return {v.rule for v in validate(net, plan)}


def _fix_totals(plan: Doc) -> Doc:
    """Recompute the totals so that a mutation breaks only the rule it aims at."""
    routes = plan["routes"]
    for r in routes:
        r["km"] = sum(g["km"] for g in r["legs"])
    plan["totals"]["km"] = sum(r["km"] for r in routes)
    plan["totals"]["cost"] = sum(r["cost"] for r in routes)
    plan["totals"]["vehicles"] = len({r["vehicle"] for r in routes})
    plan["totals"]["ferry_crossings"] = sum(
        1 for r in routes for g in r["legs"] if g["mode"] == "ferry"
    )
    return plan


def _mon(plan: Doc) -> Doc:
    return plan["routes"][0]


# ---- the valid example --------------------------------------------------------------------


def test_example_pair_is_valid() -> None:
    assert validate(_net(), _plan()) == []
    assert_valid(_net(), _plan())


def test_model_objects_are_accepted() -> None:
    from islandroute.model import Network, Plan

    assert validate(Network.from_dict(_net()), _plan()) == []
    assert validate(Network.from_dict(_net()), Plan.from_dict(_plan())) == []


def test_does_not_touch_the_solver() -> None:
    source = (Path(__file__).parents[1] / "src/islandroute/validate.py").read_text()
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    ours = {m for m in imported if m.startswith("islandroute")}
    assert ours == {"islandroute.errors"}, ours


def test_documents_are_not_mutated() -> None:
    net, plan = _net(), _plan()
    _mon(plan)["stops"][1]["deliver"]["ems"] = 99
    before = copy.deepcopy(plan)
    validate(net, plan)
    assert plan == before and net == NET


def test_violation_reads_well_and_assert_valid_lists_all() -> None:
    plan = _plan()
    _mon(plan)["legs"][1]["depart"] = 481
    _mon(plan)["legs"][1]["arrive"] = 511
    with pytest.raises(PlanInvalidError) as info:
        assert_valid(_net(), plan)
    err = info.value
    assert isinstance(err, IslandrouteError)
    assert any(v.rule == "ferry-departure" for v in err.violations)
    text = str(err)
    assert "ferry-departure" in text and "route mon/v" in text and "481" in text
    v = Violation("capacity", "route mon/v", "too much")
    assert str(v) == "[capacity] route mon/v: too much"
    with pytest.raises(AttributeError):
        v.rule = "x"  # type: ignore[misc]


# ---- one mutation per rule ---------------------------------------------------------------


def _shift_times(route: Doc, delta: int, from_stop: int = 0) -> None:
    """Move a route's times from stop ``from_stop`` on by ``delta`` minutes."""
    for s in route["stops"][from_stop:]:
        s["arrive"] += delta
        s["depart"] += delta
    for g in route["legs"][2 * from_stop :]:
        g["depart"] += delta
        g["arrive"] += delta


def m_ferry_departure(net: Doc, plan: Doc) -> None:
    leg = _mon(plan)["legs"][1]
    leg["depart"], leg["arrive"] = 481, 511


def m_ferry_vehicles(net: Doc, plan: Doc) -> None:
    net["ferries"][0]["vehicles"] = False


def m_ferry_duration(net: Doc, plan: Doc) -> None:
    _mon(plan)["legs"][1]["arrive"] = 505


def m_ferry_unknown(net: Doc, plan: Doc) -> None:
    _mon(plan)["legs"][1]["ferry"] = "zz"


def m_ferry_ends(net: Doc, plan: Doc) -> None:
    _mon(plan)["legs"][1]["ferry"] = "g"


def m_ferry_day(net: Doc, plan: Doc) -> None:
    _mon(plan)["day"] = "tue"


def m_ferry_km(net: Doc, plan: Doc) -> None:
    _mon(plan)["legs"][1]["km"] = 4
    _fix_totals(plan)


def m_capacity(net: Doc, plan: Doc) -> None:
    net["vehicles"][0]["capacity"] = 8
    r = _mon(plan)
    r["stops"][1]["deliver"]["ems"] = 9
    for other in plan["routes"][1:]:
        other["stops"][1]["deliver"]["ems"] = 0


def m_delivered_total(net: Doc, plan: Doc) -> None:
    _mon(plan)["stops"][1]["deliver"]["ems"] = 4


def m_delivered_lost(net: Doc, plan: Doc) -> None:
    _mon(plan)["stops"][1]["deliver"] = {}


def m_visits(net: Doc, plan: Doc) -> None:
    del plan["routes"][2]
    plan["routes"][0]["stops"][1]["deliver"]["ems"] = 6
    _fix_totals(plan)


def m_open_window_late(net: Doc, plan: Doc) -> None:
    net["stations"][0]["open"] = [480, 500]


def m_open_window_early(net: Doc, plan: Doc) -> None:
    net["stations"][0]["open"] = [540, 1080]


def m_shift_end(net: Doc, plan: Doc) -> None:
    net["vehicles"][0]["shift"] = [420, 600]


def m_shift_start(net: Doc, plan: Doc) -> None:
    net["vehicles"][0]["shift"] = [430, 1140]


def m_road_time(net: Doc, plan: Doc) -> None:
    _mon(plan)["legs"][0]["arrive"] = 465


def m_road_km(net: Doc, plan: Doc) -> None:
    r = _mon(plan)
    r["legs"][0]["km"] = 4
    r["legs"][-1]["km"] = 6
    _fix_totals(plan)


def m_road_path(net: Doc, plan: Doc) -> None:
    net["roads"] = net["roads"][1:]


def m_separate_two_carriers(net: Doc, plan: Doc) -> None:
    net["carriers"].append({"id": "zto", "name": "ZTO"})
    _mon(plan)["carriers"] = ["ems", "zto"]


def m_separate_other_carrier(net: Doc, plan: Doc) -> None:
    net["carriers"].append({"id": "zto", "name": "ZTO"})
    net["vehicles"][0]["carrier"] = "zto"


def m_separate_shared(net: Doc, plan: Doc) -> None:
    net["vehicles"][0]["carrier"] = None


def m_one_route_per_day(net: Doc, plan: Doc) -> None:
    extra = copy.deepcopy(_mon(plan))
    for s in extra["stops"]:
        s["deliver"] = {}
    plan["routes"].append(extra)
    _fix_totals(plan)


def m_depot_first(net: Doc, plan: Doc) -> None:
    r = _mon(plan)
    r["stops"][0]["node"] = "p1"
    del r["legs"][0]
    r["stops"][0]["depart"] = 470
    _fix_totals(plan)


def m_depot_last(net: Doc, plan: Doc) -> None:
    r = _mon(plan)
    r["stops"][-1]["node"] = "p1"
    r["stops"][-1]["arrive"] = r["stops"][-1]["depart"] = 630
    del r["legs"][-1]
    _fix_totals(plan)


def m_leg_chain_gap(net: Doc, plan: Doc) -> None:
    del _mon(plan)["legs"][2]
    _fix_totals(plan)


def m_leg_chain_start(net: Doc, plan: Doc) -> None:
    _mon(plan)["legs"][0]["from"] = "p1"


def m_leg_chain_extra(net: Doc, plan: Doc) -> None:
    r = _mon(plan)
    r["legs"].append(dict(r["legs"][0], depart=700, arrive=710))
    _fix_totals(plan)


def m_leg_chain_none(net: Doc, plan: Doc) -> None:
    r = _mon(plan)
    r["legs"] = r["legs"][:3]
    _fix_totals(plan)


def m_times_stop(net: Doc, plan: Doc) -> None:
    _mon(plan)["stops"][1]["depart"] = 500


def m_times_leg_before_stop(net: Doc, plan: Doc) -> None:
    _mon(plan)["stops"][0]["depart"] = 465


def m_times_leg_order(net: Doc, plan: Doc) -> None:
    _mon(plan)["legs"][3]["arrive"] = 528


def m_times_stop_before_leg(net: Doc, plan: Doc) -> None:
    _mon(plan)["stops"][1]["arrive"] = 512


def m_route_km(net: Doc, plan: Doc) -> None:
    _mon(plan)["km"] = 17


def m_totals_km(net: Doc, plan: Doc) -> None:
    plan["totals"]["km"] = 47


def m_totals_cost(net: Doc, plan: Doc) -> None:
    plan["totals"]["cost"] = 119


def m_totals_vehicles(net: Doc, plan: Doc) -> None:
    plan["totals"]["vehicles"] = 3


def m_totals_crossings(net: Doc, plan: Doc) -> None:
    plan["totals"]["ferry_crossings"] = 3


def m_unknown_day(net: Doc, plan: Doc) -> None:
    _mon(plan)["day"] = "xyz"


def m_unknown_vehicle(net: Doc, plan: Doc) -> None:
    _mon(plan)["vehicle"] = "w"


def m_unknown_carrier(net: Doc, plan: Doc) -> None:
    plan["mode"] = "joint"
    _mon(plan)["carriers"] = ["ems", "nope"]


def m_unknown_node(net: Doc, plan: Doc) -> None:
    _mon(plan)["stops"][1]["node"] = "zz"


def m_vehicle_days(net: Doc, plan: Doc) -> None:
    net["vehicles"][0]["days"] = ["mon", "tue", "wed"]


def m_service_time(net: Doc, plan: Doc) -> None:
    net["stations"][0]["service_minutes"] = 20


def m_deliver_station(net: Doc, plan: Doc) -> None:
    _mon(plan)["stops"][0]["deliver"] = {"ems": 1}


def m_deliver_carrier(net: Doc, plan: Doc) -> None:
    plan["mode"] = "joint"
    net["carriers"].append({"id": "zto", "name": "ZTO"})
    _mon(plan)["stops"][1]["deliver"]["zto"] = 1


def m_deliver_count(net: Doc, plan: Doc) -> None:
    _mon(plan)["stops"][1]["deliver"]["ems"] = -1


def m_deliver_fraction(net: Doc, plan: Doc) -> None:
    _mon(plan)["stops"][1]["deliver"]["ems"] = 2.5


def m_exact_visits(net: Doc, plan: Doc) -> None:
    net["stations"][0]["min_visits"] = 2
    net["stations"][0]["exact_visits"] = True


def m_pattern(net: Doc, plan: Doc) -> None:
    net["stations"][0]["patterns"] = [["mon", "tue", "wed"], ["tue", "thu", "sat"]]


def m_pickup_missed(net: Doc, plan: Doc) -> None:
    net["stations"][0]["pickup"] = {"ems": 2}


def m_pickup_capacity(net: Doc, plan: Doc) -> None:
    net["vehicles"][0]["capacity"] = 3
    net["stations"][0]["pickup"] = {"ems": 4}
    _mon(plan)["stops"][1]["pickup"] = {"ems": 4}
    _mon(plan)["stops"][-1]["handin"] = {"ems": 4}


def m_format_plan(net: Doc, plan: Doc) -> None:
    plan["format"] = "islandroute.plan/2"


def m_format_stop(net: Doc, plan: Doc) -> None:
    del _mon(plan)["stops"][1]["arrive"]


def m_format_leg_mode(net: Doc, plan: Doc) -> None:
    _mon(plan)["legs"][0]["mode"] = "bike"


def m_format_network(net: Doc, plan: Doc) -> None:
    del net["vehicles"][0]["shift"]


def m_mode(net: Doc, plan: Doc) -> None:
    plan["mode"] = "pooled"


def m_network_name(net: Doc, plan: Doc) -> None:
    plan["network"] = "elsewhere"


def _every_day_ferries(net: Doc) -> None:
    for f, t in zip(net["ferries"], (480, 600), strict=True):
        f["departures"] = {d: [t] for d in net["days"]}


def _move_routes(plan: Doc, days: list[str]) -> None:
    for r, d in zip(plan["routes"], days, strict=True):
        r["day"] = d


def m_max_consecutive(net: Doc, plan: Doc) -> None:
    """Mon, Tue, Wed: three days in a row, over the default of two."""
    _every_day_ferries(net)
    _move_routes(plan, ["mon", "tue", "wed"])


def m_max_consecutive_rule(net: Doc, plan: Doc) -> None:
    """Mon, Tue, Thu: two in a row, over a network rule of one."""
    _every_day_ferries(net)
    _move_routes(plan, ["mon", "tue", "thu"])
    net["rules"] = {"max_consecutive": 1}


def m_service_day_sunday(net: Doc, plan: Doc) -> None:
    """A Mon..Sun week serves Mon..Sat by default."""
    _every_day_ferries(net)
    _move_routes(plan, ["mon", "wed", "sun"])


def m_service_day_rule(net: Doc, plan: Doc) -> None:
    net["rules"] = {"service_days": ["mon", "tue", "wed", "thu"]}


def m_service_time_default(net: Doc, plan: Doc) -> None:
    """Four minutes at a station with the default five-minute service."""
    stop = _mon(plan)["stops"][1]
    stop["depart"] = stop["arrive"] + 4


def m_road_path_planar(net: Doc, plan: Doc) -> None:
    """A planar network with roads: no straight shortcut where no road goes."""
    net["geometry"] = "planar"
    net["roads"] = net["roads"][1:]


def m_unserved(net: Doc, plan: Doc) -> None:
    plan["unserved"] = [{"station": "s", "carrier": "ems", "parcels": 3, "rule": "reach"}]


CASES: list[tuple[Callable[[Doc, Doc], None], str]] = [
    (m_ferry_departure, "ferry-departure"),
    (m_ferry_vehicles, "ferry-vehicles"),
    (m_ferry_duration, "ferry-duration"),
    (m_ferry_unknown, "ferry-unknown"),
    (m_ferry_ends, "ferry-ends"),
    (m_ferry_day, "ferry-departure"),
    (m_ferry_km, "ferry-km"),
    (m_capacity, "capacity"),
    (m_delivered_total, "delivered-total"),
    (m_delivered_lost, "delivered-total"),
    (m_visits, "visits"),
    (m_open_window_late, "open-window"),
    (m_open_window_early, "open-window"),
    (m_shift_end, "shift"),
    (m_shift_start, "shift"),
    (m_road_time, "road-time"),
    (m_road_km, "road-km"),
    (m_road_path, "road-path"),
    (m_separate_two_carriers, "separate-carrier"),
    (m_separate_other_carrier, "separate-carrier"),
    (m_separate_shared, "separate-carrier"),
    (m_one_route_per_day, "one-route-per-day"),
    (m_depot_first, "depot-ends"),
    (m_depot_last, "depot-ends"),
    (m_leg_chain_gap, "leg-chain"),
    (m_leg_chain_start, "leg-chain"),
    (m_leg_chain_extra, "leg-chain"),
    (m_leg_chain_none, "leg-chain"),
    (m_times_stop, "times"),
    (m_times_leg_before_stop, "times"),
    (m_times_leg_order, "times"),
    (m_times_stop_before_leg, "times"),
    (m_route_km, "route-km"),
    (m_totals_km, "totals-km"),
    (m_totals_cost, "totals-cost"),
    (m_totals_vehicles, "totals-vehicles"),
    (m_totals_crossings, "totals-ferry-crossings"),
    (m_unknown_day, "day"),
    (m_unknown_vehicle, "vehicle"),
    (m_unknown_carrier, "carrier"),
    (m_unknown_node, "node"),
    (m_vehicle_days, "vehicle-days"),
    (m_service_time, "service-time"),
    (m_deliver_station, "deliver-station"),
    (m_deliver_carrier, "deliver-carrier"),
    (m_deliver_count, "deliver-count"),
    (m_deliver_fraction, "deliver-count"),
    (m_exact_visits, "exact-visits"),
    (m_pattern, "pattern"),
    (m_pickup_missed, "pickup-total"),
    (m_pickup_capacity, "capacity"),
    (m_format_plan, "format"),
    (m_format_stop, "format"),
    (m_format_leg_mode, "format"),
    (m_format_network, "format"),
    (m_mode, "mode"),
    (m_network_name, "network-name"),
    (m_max_consecutive, "max-consecutive"),
    (m_max_consecutive_rule, "max-consecutive"),
    (m_service_day_sunday, "service-day"),
    (m_service_day_rule, "service-day"),
    (m_service_time_default, "service-time"),
    (m_road_path_planar, "road-path"),
    (m_unserved, "unserved"),
]

# rules a mutation fires besides its own, as a consequence of the same change
ALSO: dict[str, set[str]] = {
    "m_ferry_departure": {"times"},  # the next leg now leaves before the crossing lands
    "m_ferry_ends": {"ferry-departure"},  # the other direction leaves at other times
    "m_times_stop": {"service-time"},  # a negative stay
    "m_times_leg_order": {"road-time"},  # the next road leg got faster
    "m_route_km": {"totals-km"},
    "m_unknown_vehicle": {"totals-vehicles"},
    "m_unknown_node": {"deliver-station", "delivered-total", "leg-chain", "visits"},
    "m_deliver_carrier": {"delivered-total"},
    "m_deliver_count": {"delivered-total"},
    "m_deliver_fraction": {"delivered-total"},
    "m_format_stop": {"delivered-total", "visits"},  # the route is left out of the week
    "m_format_leg_mode": {"delivered-total", "visits"},
}


@pytest.mark.parametrize(("mutate", "rule"), CASES, ids=[m.__name__[2:] for m, _ in CASES])
def test_mutation_is_reported(mutate: Callable[[Doc, Doc], None], rule: str) -> None:
    net, plan = _net(), _plan()
    mutate(net, plan)
    found = validate(net, plan)
    assert {v.rule for v in found} == {rule} | ALSO.get(mutate.__name__, set()), [
        str(v) for v in found
    ]
    assert all(v.obj and v.message for v in found)


def test_runs_of_days_allowed_when_no_pattern_avoids_them() -> None:
    """The model's fallback: if no set of min_visits service days avoids long runs, any
    set is allowed; a station visited once a week has no run rule."""
    net, plan = _net(), _plan()
    m_max_consecutive(net, plan)
    net["rules"] = {"service_days": ["mon", "tue", "wed", "thu"]}
    assert "max-consecutive" in _rules(net, plan)  # Mon, Wed(, Thu) would avoid the run
    net["rules"] = {"service_days": ["mon", "tue", "wed"]}
    assert validate(net, plan) == []  # three days in a row is the only choice
    net["rules"] = {"max_consecutive": 3}
    assert validate(net, plan) == []


def test_explicit_patterns_replace_the_run_rule() -> None:
    net, plan = _net(), _plan()
    m_max_consecutive(net, plan)
    net["stations"][0]["patterns"] = [["mon", "tue", "wed"]]
    assert validate(net, plan) == []


def test_a_day_in_a_horizon_of_other_names_is_a_service_day() -> None:
    net, plan = _net(), _plan()
    names = dict(zip(net["days"], [f"d{i}" for i in range(1, 8)], strict=True))
    net["days"] = list(names.values())
    for f in net["ferries"]:
        f["departures"] = {names[d]: t for d, t in f["departures"].items()}
    for r in plan["routes"]:
        r["day"] = names[r["day"]]
    _every_day_ferries(net)
    _move_routes(plan, ["d1", "d3", "d7"])
    assert validate(net, plan) == []


def test_service_time_counts_waiting_and_skips_empty_stops() -> None:
    net, plan = _net(), _plan()  # every stop at the station: arrive 516, depart 530
    net["stations"][0]["open"] = [528, 1080]  # waits 12 minutes, serves 2
    net["stations"][0]["service_minutes"] = 14
    assert validate(net, plan) == []
    net["stations"][0]["service_minutes"] = 15
    assert _rules(net, plan) == {"service-time"}
    net["stations"][0]["open"] = [480, 1080]
    net["stations"][0]["service_minutes"] = 14
    stop = _mon(plan)["stops"][1]
    stop["depart"] = stop["arrive"]  # Monday only passes by: hands over nothing
    stop["deliver"] = {}
    plan["routes"][1]["stops"][1]["deliver"]["ems"] += 3
    assert validate(net, plan) == []


# ---- things that must stay valid ----------------------------------------------------------


def test_waiting_and_rounding_up_are_allowed() -> None:
    plan = _plan()
    r = _mon(plan)
    r["legs"][0]["arrive"] = 471  # a slower road leg: a lower bound, not an equality
    r["legs"][2]["km"] = 3.4  # a longer road path than the shortest
    r["stops"][1]["arrive"] = 518  # waiting before the stop
    _fix_totals(plan)
    assert validate(_net(), plan) == []


def test_joint_mode_allows_any_known_carrier() -> None:
    net, plan = _net(), _plan()
    net["carriers"].append({"id": "zto", "name": "ZTO"})
    net["stations"][0]["demand"]["zto"] = 3
    plan["mode"] = "joint"
    for r in plan["routes"]:
        r["carriers"] = ["ems", "zto"]
        r["stops"][1]["deliver"]["zto"] = 1
    assert validate(net, plan) == []
    # a shared vehicle may run in joint mode
    net["vehicles"][0]["carrier"] = None
    assert validate(net, plan) == []


def test_pickups_collected_and_patterns_matched_are_valid() -> None:
    net, plan = _net(), _plan()
    net["stations"][0]["pickup"] = {"ems": 4}
    net["stations"][0]["patterns"] = [["mon", "wed", "fri"], ["tue", "thu", "sat"]]
    net["stations"][0]["exact_visits"] = True
    net["stations"][0]["service_minutes"] = 14
    net["vehicles"][0]["days"] = ["mon", "wed", "fri"]
    _mon(plan)["stops"][1]["pickup"] = {"ems": 4}
    _mon(plan)["stops"][-1]["handin"] = {"ems": 4}
    assert validate(net, plan) == []


def test_pickups_count_against_capacity_after_the_stop() -> None:
    net, plan = _net(), _plan()
    m_pickup_capacity(net, plan)
    (v,) = validate(net, plan)
    assert v.rule == "capacity" and v.obj == "route mon/v" and "after stop 1" in v.message


def test_clock_strings_and_past_midnight_ferries() -> None:
    net, plan = _net(), _plan()
    net["ferries"][0]["departures"]["mon"] = ["08:00"]
    assert validate(net, plan) == []
    # a crossing at 24:00 + 08:00 on Monday is Tuesday's 08:00 boat
    net["ferries"][0]["departures"]["tue"] = [480]
    leg = _mon(plan)["legs"][1]
    leg["depart"], leg["arrive"] = 1920, 1950
    assert "ferry-departure" not in _rules(net, plan)
    leg["depart"], leg["arrive"] = 1921, 1951
    assert "ferry-departure" in _rules(net, plan)


def test_planar_network_uses_straight_distance() -> None:
    net = {
        "format": "islandroute.network/1",
        "name": "flat",
        "geometry": "planar",
        "days": ["d1", "d2"],
        "nodes": [
            {"id": "dep", "kind": "depot", "island": "a", "lon": 0, "lat": 0},
            {"id": "s1", "kind": "station", "island": "a", "lon": 3, "lat": 4},
        ],
        "roads": [],
        "ferries": [],
        "carriers": [{"id": "c", "name": "C"}],
        "stations": [
            {
                "node": "s1",
                "min_visits": 1,
                "open": [0, 1000],
                "demand": {"c": 2},
                "service_minutes": 1,
            }
        ],
        "vehicles": [
            {"id": "v", "carrier": "c", "depot": "dep", "capacity": 5, "shift": [0, 1000]}
        ],
    }
    route = {
        "day": "d1",
        "vehicle": "v",
        "carriers": ["c"],
        "stops": [
            {"node": "dep", "arrive": 0, "depart": 0, "deliver": {}},
            {"node": "s1", "arrive": 5, "depart": 6, "deliver": {"c": 2}},
            {"node": "dep", "arrive": 11, "depart": 11, "deliver": {}},
        ],
        "legs": [
            {"from": "dep", "to": "s1", "mode": "road", "depart": 0, "arrive": 5, "km": 5},
            {"from": "s1", "to": "dep", "mode": "road", "depart": 6, "arrive": 11, "km": 5},
        ],
        "km": 10,
        "cost": 12,
    }
    plan = {
        "format": "islandroute.plan/1",
        "network": "flat",
        "mode": "separate",
        "routes": [route],
        "totals": {"cost": 12, "km": 10, "vehicles": 1, "ferry_crossings": 0, "co2_kg": 2},
    }
    assert validate(net, plan) == []
    route["legs"][0]["arrive"] = 4.9
    route["stops"][1]["arrive"] = 4.9
    route["legs"][1]["km"] = 4
    route["km"] = 9
    plan["totals"]["km"] = 9
    assert _rules(net, plan) == {"road-time", "road-km"}
    # with any road at all, a planar network travels by road: 8 km of road, not 5 straight
    net["roads"] = [{"a": "dep", "b": "s1", "km": 8, "minutes": 8, "bridge": False}]
    route["legs"][0]["arrive"] = route["stops"][1]["arrive"] = 5
    route["legs"][1]["km"] = route["legs"][0]["km"] = 5
    route["km"] = plan["totals"]["km"] = 10
    assert _rules(net, plan) == {"road-time", "road-km"}


def test_a_station_that_only_sends_owes_visits_too() -> None:
    net, plan = _net(), _plan()
    net["carriers"].append({"id": "zto", "name": "ZTO"})
    net["stations"][0]["pickup"] = {"zto": 3}
    plan["mode"] = "joint"
    for r in plan["routes"]:
        r["carriers"] = ["ems", "zto"]
        r["stops"][1]["pickup"] = {"zto": 1}
        r["stops"][-1]["handin"] = {"zto": 1}
    assert validate(net, plan) == []
    friday = plan["routes"][2]
    friday["carriers"] = ["ems"]
    del friday["stops"][1]["pickup"]
    del friday["stops"][-1]["handin"]
    _mon(plan)["stops"][1]["pickup"] = {"zto": 2}
    _mon(plan)["stops"][-1]["handin"] = {"zto": 2}
    assert _rules(net, plan) == {"visits"}


def test_a_depot_on_a_station_node_is_no_visit() -> None:
    """A route starting before the station opens at its depot's node visits nothing."""
    net, plan = _net(), _plan()
    net["nodes"][0]["kind"] = "station"
    net["stations"].append({"node": "d", "min_visits": 3, "open": [480, 1080], "demand": {}})
    net["rules"] = {"service_days": ["mon", "wed", "fri"]}
    assert validate(net, plan) == []
    _mon(plan)["stops"][0]["deliver"] = {"ems": 1}  # handing over makes it a visit
    assert _rules(net, plan) == {"open-window", "delivered-total"}


def test_garbage_documents_are_reported_not_raised() -> None:
    assert {v.rule for v in validate({}, _plan())} == {"format"}
    assert {v.rule for v in validate(_net(), [])} == {"format"}
    plan = _plan()
    plan["routes"][1] = "not a route"
    _mon(plan)["legs"] = None
    assert "format" in _rules(_net(), plan)


def test_many_routes_and_nodes_stay_fast() -> None:
    """A long road chain and hundreds of routes: one batched Dijkstra, no all-pairs table."""
    n = 3000
    nodes = [{"id": "dep", "kind": "depot", "island": "a", "lon": 0, "lat": 0}]
    nodes += [
        {"id": f"s{i}", "kind": "station", "island": "a", "lon": 0, "lat": 0} for i in range(n)
    ]
    roads = [{"a": "dep", "b": "s0", "km": 1, "minutes": 1, "bridge": False}]
    roads += [
        {"a": f"s{i}", "b": f"s{i + 1}", "km": 1, "minutes": 1, "bridge": False}
        for i in range(n - 1)
    ]
    days = [f"d{i}" for i in range(1, 8)]
    stations = [
        {
            "node": f"s{i}",
            "min_visits": 1,
            "open": [0, 9000],
            "demand": {"c": 1},
            "service_minutes": 0,
        }
        for i in range(0, n, 10)
    ]
    net = {
        "format": "islandroute.network/1",
        "name": "chain",
        "days": days,
        "nodes": nodes,
        "roads": roads,
        "ferries": [],
        "carriers": [{"id": "c", "name": "C"}],
        "stations": stations,
        "vehicles": [
            {"id": f"v{i}", "carrier": "c", "depot": "dep", "capacity": 9, "shift": [0, 9000]}
            for i in range(60)
        ],
    }
    routes = []
    for k, station in enumerate(stations):
        i = int(station["node"][1:])
        t = i + 1
        routes.append(
            {
                "day": days[k % 5],
                "vehicle": f"v{k // 5}",
                "carriers": ["c"],
                "stops": [
                    {"node": "dep", "arrive": 0, "depart": 0, "deliver": {}},
                    {"node": f"s{i}", "arrive": t, "depart": t, "deliver": {"c": 1}},
                    {"node": "dep", "arrive": 2 * t, "depart": 2 * t, "deliver": {}},
                ],
                "legs": [
                    {"from": "dep", "to": f"s{i}", "mode": "road", "depart": 0, "arrive": t,
                     "km": t},
                    {"from": f"s{i}", "to": "dep", "mode": "road", "depart": t,
                     "arrive": 2 * t, "km": t},
                ],
                "km": 2 * t,
                "cost": 1,
            }
        )  # fmt: skip
    plan = {
        "format": "islandroute.plan/1",
        "network": "chain",
        "mode": "separate",
        "routes": routes,
        "totals": {
            "cost": len(routes),
            "km": sum(r["km"] for r in routes),
            "vehicles": len({r["vehicle"] for r in routes}),
            "ferry_crossings": 0,
            "co2_kg": 0,
        },
    }
    assert validate(net, plan) == []
    routes[7]["legs"][0]["arrive"] -= 1
    routes[7]["stops"][1]["arrive"] -= 1
    assert _rules(net, plan) == {"road-time"}


# ---- properties ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(delta=st.integers(min_value=-400, max_value=800).filter(lambda d: d != 0))
def test_ferry_moved_off_its_departure_is_flagged(delta: int) -> None:
    plan = _plan()
    leg = _mon(plan)["legs"][1]
    leg["depart"] += delta
    leg["arrive"] += delta
    assert "ferry-departure" in _rules(_net(), plan)


@settings(max_examples=40, deadline=None)
@given(
    day=st.sampled_from(range(3)),
    stop=st.sampled_from([1, 2]),
    delta=st.integers(min_value=1, max_value=30),
)
def test_road_leg_made_faster_is_flagged(day: int, stop: int, delta: int) -> None:
    plan = _plan()
    r = plan["routes"][day]
    leg = r["legs"][0 if stop == 1 else 5]
    leg["arrive"] -= min(delta, leg["arrive"] - leg["depart"])
    assert "road-time" in _rules(_net(), plan)


@settings(max_examples=40, deadline=None)
@given(wait=st.integers(min_value=0, max_value=40), day=st.sampled_from(range(3)))
def test_waiting_at_the_station_stays_valid(wait: int, day: int) -> None:
    """Staying longer at the station (still catching the 10:00 ferry) breaks nothing."""
    plan = _plan()
    r = plan["routes"][day]
    r["stops"][1]["depart"] += wait
    r["legs"][3]["depart"] += wait
    r["legs"][3]["arrive"] += wait
    assert validate(_net(), plan) == []


@settings(max_examples=40, deadline=None)
@given(extra=st.integers(min_value=1, max_value=5), day=st.sampled_from(range(3)))
def test_any_extra_parcel_breaks_the_weekly_total(extra: int, day: int) -> None:
    plan = _plan()
    plan["routes"][day]["stops"][1]["deliver"]["ems"] += extra
    assert _rules(_net(), plan) == {"delivered-total"}
