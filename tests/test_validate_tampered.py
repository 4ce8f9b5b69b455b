"""The validator against plans the planner made: each tampered with one rule, fires that
rule and only that rule; declared unserved parcels; junk values never raise."""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_drones import DRONE_TAMPERED  # the drone rules are tampered there

import islandroute
from islandroute.validate import Violation, validate

Doc = dict[str, Any]
Tamper = Callable[[Doc, Doc], None]
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_NET: Doc = json.loads((FIXTURES / "two_islands.json").read_text())
EXAMPLE_PLAN: Doc = json.loads((FIXTURES / "two_islands_plan.json").read_text())
TIME_LIMIT = 3  # seconds per generated plan
DEEP = 5000  # nesting of the deep junk values (beyond the recursion limit)


def _deep_list(depth: int = DEEP) -> list[Any]:
    x: list[Any] = []
    for _ in range(depth):
        x = [x]
    return x


def _deep_dict(depth: int = DEEP) -> dict[str, Any]:
    x: dict[str, Any] = {}
    for _ in range(depth):
        x = {"x": x}
    return x


JUNK: list[Any] = [
    None,
    "x",
    "",
    -1,
    10**400,
    10**5000,  # more digits than int -> str allows
    1e308,
    -1e308,
    [],
    {},
    True,
    False,
    [1, "x", None],
    {"ems": "x"},
    _deep_list(),
    _deep_dict(),
]


# ---- the generated week ------------------------------------------------------------------


@pytest.fixture(scope="session")
def week() -> dict[str, Doc]:
    """A small two-island week with a vehicle ferry, planned joint and separate."""
    net = islandroute.archipelago(
        n_stations=16,
        n_islands=2,
        n_carriers=2,
        seed=1,
        share_bridge=0,
        share_vehicle_ferry=1,
        share_boat_only=0,
    )
    out = {"network": net.to_dict()}
    for mode in ("joint", "separate"):
        out[mode] = islandroute.plan_week(net, mode, time_limit=TIME_LIMIT).to_dict()
    return out


def _pair(week: dict[str, Doc], mode: str = "joint") -> tuple[Doc, Doc]:
    return copy.deepcopy(week["network"]), copy.deepcopy(week[mode])


def test_planner_plans_are_valid(week: dict[str, Doc]) -> None:
    for mode in ("joint", "separate"):
        assert validate(*_pair(week, mode)) == [], mode


def _rules(net: Doc, plan: Doc) -> set[str]:
    return {v.rule for v in validate(net, plan)}


def _fix_totals(plan: Doc) -> None:
    """Totals that agree with the routes again, so only the tampered rule fires."""
    routes = plan["routes"]
    for r in routes:
        r["km"] = sum(g["km"] for g in r["legs"])
    totals = plan["totals"]
    totals["km"] = sum(r["km"] for r in routes)
    totals["cost"] = sum(r["cost"] for r in routes)
    totals["vehicles"] = len({r["vehicle"] for r in routes})
    totals["ferry_crossings"] = sum(1 for r in routes for g in r["legs"] if g["mode"] == "ferry")


def _stations(net: Doc) -> dict[str, Doc]:
    return {s["node"]: s for s in net["stations"]}


def _vehicle(net: Doc, vid: str) -> Doc:
    return next(v for v in net["vehicles"] if v["id"] == vid)


def _ferry(net: Doc, fid: str) -> Doc:
    return next(f for f in net["ferries"] if f["id"] == fid)


def _station_stops(net: Doc, plan: Doc) -> Iterator[tuple[Doc, int, Doc]]:
    """(route, index, stop) of every stop that delivers at a station."""
    stations = _stations(net)
    for r in plan["routes"]:
        for k, s in enumerate(r["stops"]):
            if s["node"] in stations and any(s["deliver"].values()):
                yield r, k, s


def _first_station_stop(net: Doc, plan: Doc) -> tuple[Doc, int, Doc]:
    return next(_station_stops(net, plan))


def _ferry_leg(plan: Doc) -> tuple[Doc, int, Doc]:
    return next((r, j, g) for r in plan["routes"] for j, g in enumerate(r["legs"]) if "ferry" in g)


def _road_leg(plan: Doc) -> tuple[Doc, int, Doc]:
    """The first road leg that takes time and distance."""
    return next(
        (r, j, g)
        for r in plan["routes"]
        for j, g in enumerate(r["legs"])
        if g["mode"] == "road" and g["arrive"] > g["depart"] and g["km"] > 0
    )


def _visit_days(net: Doc, plan: Doc) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r, _, s in _station_stops(net, plan):
        out.setdefault(s["node"], set()).add(r["day"])
    return out


# ---- one tampering per rule ----------------------------------------------------------------


def t_format(net: Doc, plan: Doc) -> None:
    plan["totals"]["km"] = "many"


def t_network_name(net: Doc, plan: Doc) -> None:
    plan["network"] = "elsewhere"


def t_mode(net: Doc, plan: Doc) -> None:
    plan["mode"] = "pooled"


def t_day(net: Doc, plan: Doc) -> None:
    plan["routes"][0]["day"] = "someday"


def t_vehicle(net: Doc, plan: Doc) -> None:
    plan["routes"][0]["vehicle"] = "ghost"
    _fix_totals(plan)


def t_node(net: Doc, plan: Doc) -> None:
    """A road leg split at a node the network does not have."""
    r, j, g = _road_leg(plan)
    to_nowhere = dict(g, to="nowhere", arrive=g["depart"], km=0)
    r["legs"][j : j + 1] = [to_nowhere, dict(g, **{"from": "nowhere"})]
    _fix_totals(plan)


def t_carrier(net: Doc, plan: Doc) -> None:
    plan["routes"][0]["carriers"].append("dhl")


def t_depot_ends(net: Doc, plan: Doc) -> None:
    vehicle = _vehicle(net, plan["routes"][0]["vehicle"])
    vehicle["depot"] = next(n["id"] for n in net["nodes"] if n["id"] != vehicle["depot"])


def t_one_route_per_day(net: Doc, plan: Doc) -> None:
    extra = copy.deepcopy(plan["routes"][0])
    for s in extra["stops"]:
        s["deliver"] = {}
    plan["routes"].append(extra)
    _fix_totals(plan)


def t_vehicle_days(net: Doc, plan: Doc) -> None:
    r = plan["routes"][0]
    _vehicle(net, r["vehicle"])["days"] = [d for d in net["days"] if d != r["day"]]


def t_leg_chain(net: Doc, plan: Doc) -> None:
    r, j, _ = _road_leg(plan)
    del r["legs"][j]
    _fix_totals(plan)


def t_times(net: Doc, plan: Doc) -> None:
    first = plan["routes"][0]["stops"][0]
    first["depart"] = first["arrive"] - 1


def t_road_time(net: Doc, plan: Doc) -> None:
    _, _, g = _road_leg(plan)
    g["arrive"] = g["depart"]


def t_road_km(net: Doc, plan: Doc) -> None:
    _, _, g = _road_leg(plan)
    g["km"] = 0
    _fix_totals(plan)


def t_road_path(net: Doc, plan: Doc) -> None:
    """Drive across the strait instead of taking the ferry."""
    _, _, g = _ferry_leg(plan)
    g["mode"] = "road"
    del g["ferry"]
    _fix_totals(plan)


def t_road_path_planar(net: Doc, plan: Doc) -> None:
    """A planar network with roads still needs roads: no straight line across the strait."""
    net["geometry"] = "planar"
    t_road_path(net, plan)


def t_ferry_unknown(net: Doc, plan: Doc) -> None:
    _, _, g = _ferry_leg(plan)
    g["ferry"] = "no-such-boat"


def t_ferry_ends(net: Doc, plan: Doc) -> None:
    _, _, g = _ferry_leg(plan)
    g["ferry"] = next(f["id"] for f in net["ferries"] if f["id"] != g["ferry"])


def t_ferry_departure(net: Doc, plan: Doc) -> None:
    r, _, g = _ferry_leg(plan)
    times = _ferry(net, g["ferry"])["departures"][r["day"]]
    times[:] = [t for t in times if t != g["depart"] % 1440]


def t_ferry_duration(net: Doc, plan: Doc) -> None:
    _, _, g = _ferry_leg(plan)
    _ferry(net, g["ferry"])["minutes"] += 5


def t_ferry_vehicles(net: Doc, plan: Doc) -> None:
    _, _, g = _ferry_leg(plan)
    _ferry(net, g["ferry"])["vehicles"] = False


def t_ferry_km(net: Doc, plan: Doc) -> None:
    _, _, g = _ferry_leg(plan)
    g["km"] = 2.5
    _fix_totals(plan)


def t_shift(net: Doc, plan: Doc) -> None:
    r = plan["routes"][0]
    _vehicle(net, r["vehicle"])["shift"][1] = r["stops"][-1]["arrive"] - 1


def t_open_window(net: Doc, plan: Doc) -> None:
    _, _, s = _first_station_stop(net, plan)
    _stations(net)[s["node"]]["open"][1] = s["arrive"] - 1


def t_service_time(net: Doc, plan: Doc) -> None:
    _, _, s = _first_station_stop(net, plan)
    _stations(net)[s["node"]]["service_minutes"] = s["depart"] - s["arrive"] + 1


def t_service_time_default(net: Doc, plan: Doc) -> None:
    """A 4-minute stop at a station with the default 5-minute service."""
    s = next(
        s
        for _, _, s in _station_stops(net, plan)
        if s["arrive"] >= _stations(net)[s["node"]]["open"][0]
    )
    _stations(net)[s["node"]].pop("service_minutes", None)
    s["depart"] = s["arrive"] + 4


def t_service_day(net: Doc, plan: Doc) -> None:
    day = plan["routes"][0]["day"]
    net.setdefault("rules", {})["service_days"] = [d for d in net["days"] if d != day]


def t_capacity(net: Doc, plan: Doc) -> None:
    _vehicle(net, plan["routes"][0]["vehicle"])["capacity"] = 1


def t_deliver_count(net: Doc, plan: Doc) -> None:
    _, _, s = _first_station_stop(net, plan)
    c = next(c for c, n in s["deliver"].items() if n)
    s["deliver"][c] = -1


def t_deliver_station(net: Doc, plan: Doc) -> None:
    r = plan["routes"][0]
    r["stops"][0]["deliver"] = {r["carriers"][0]: 1}


def t_deliver_carrier(net: Doc, plan: Doc) -> None:
    """A separate route hands over the other carrier's parcel (taken from its own route)."""
    stations = _stations(net)
    for r, _, s in _station_stops(net, plan):
        other = next(c for c in stations[s["node"]]["demand"] if c not in r["carriers"])
        for _, _, s2 in _station_stops(net, plan):
            if s2["node"] == s["node"] and s2["deliver"].get(other, 0) > 0:
                s2["deliver"][other] -= 1
                s["deliver"][other] = 1
                return
    raise AssertionError("no station served by both carriers")


def t_delivered_total(net: Doc, plan: Doc) -> None:
    _, _, s = _first_station_stop(net, plan)
    c = next(c for c, n in s["deliver"].items() if n)
    s["deliver"][c] -= 1


def t_pickup_total(net: Doc, plan: Doc) -> None:
    _, _, s = _first_station_stop(net, plan)
    _stations(net)[s["node"]]["pickup"] = {"ems": 3}


def t_visits(net: Doc, plan: Doc) -> None:
    _, _, s = _first_station_stop(net, plan)
    _stations(net)[s["node"]]["min_visits"] += 1


def t_exact_visits(net: Doc, plan: Doc) -> None:
    _, _, s = _first_station_stop(net, plan)
    st = _stations(net)[s["node"]]
    st["min_visits"] -= 1
    st["exact_visits"] = True


def t_pattern(net: Doc, plan: Doc) -> None:
    _, _, s = _first_station_stop(net, plan)
    visited = _visit_days(net, plan)[s["node"]]
    other = [d for d in net["days"][:6] if d not in visited][:3]
    _stations(net)[s["node"]]["patterns"] = [other]


def t_max_consecutive(net: Doc, plan: Doc) -> None:
    """Visits on two days in a row, with the network allowing no run longer than one."""
    index = {d: i for i, d in enumerate(net["days"])}
    if not any(
        any(index[d] + 1 in {index[e] for e in days} for d in days)
        for days in _visit_days(net, plan).values()
    ):
        pytest.skip("the planner visited no station two days in a row")
    net.setdefault("rules", {})["max_consecutive"] = 1


def t_separate_carrier(net: Doc, plan: Doc) -> None:
    """A separate route run by a vehicle of another carrier."""
    r = plan["routes"][0]
    other = next(c["id"] for c in net["carriers"] if c["id"] not in r["carriers"])
    _vehicle(net, r["vehicle"])["carrier"] = other


def t_separate_shared(net: Doc, plan: Doc) -> None:
    _vehicle(net, plan["routes"][0]["vehicle"])["carrier"] = None


def t_route_km(net: Doc, plan: Doc) -> None:
    plan["routes"][0]["km"] += 1
    plan["totals"]["km"] += 1


def t_totals_km(net: Doc, plan: Doc) -> None:
    plan["totals"]["km"] += 1


def t_totals_cost(net: Doc, plan: Doc) -> None:
    plan["totals"]["cost"] += 1


def t_totals_vehicles(net: Doc, plan: Doc) -> None:
    plan["totals"]["vehicles"] += 1


def t_totals_ferry_crossings(net: Doc, plan: Doc) -> None:
    plan["totals"]["ferry_crossings"] += 1


def t_unserved(net: Doc, plan: Doc) -> None:
    """Declared unserved parcels that were delivered all the same."""
    _, _, s = _first_station_stop(net, plan)
    c = next(c for c, n in s["deliver"].items() if n)
    plan["unserved"] = [{"station": s["node"], "carrier": c, "parcels": 1, "rule": "reach"}]


def _collect_one(net: Doc, plan: Doc, hand_in: bool = True) -> tuple[Doc, Doc, Doc]:
    """The first station stop also collects one parcel of a carrier it receives (the
    station sends it), handed in at the route's end (its depot) unless told not to;
    the route, the stop and the station."""
    r, _, s = _first_station_stop(net, plan)
    c = next(c for c, n in s["deliver"].items() if n)
    station = _stations(net)[s["node"]]
    station["pickup"] = {c: 1}
    s["pickup"] = {c: 1}
    if hand_in:
        r["stops"][-1]["handin"] = {c: 1}
    return r, s, station


def t_handin_place(net: Doc, plan: Doc) -> None:
    """The depot takes in a parcel nothing collected."""
    r = plan["routes"][0]
    r["stops"][-1]["handin"] = {r["carriers"][0]: 1}


def t_handin_missing(net: Doc, plan: Doc) -> None:
    _collect_one(net, plan, hand_in=False)


def t_handin_deadline(net: Doc, plan: Doc) -> None:
    r, _, station = _collect_one(net, plan)
    station["pickup_by"] = r["stops"][-1]["arrive"] - 1


def t_cold_vehicle(net: Doc, plan: Doc) -> None:
    r, _, station = _collect_one(net, plan)
    station["cold"], station["max_ride"] = True, 2 * 1440
    _vehicle(net, r["vehicle"])["refrigerated"] = False


def t_cold_ride(net: Doc, plan: Doc) -> None:
    r, s, station = _collect_one(net, plan)
    ride = r["stops"][-1]["arrive"] - s["depart"]
    assert ride > 1
    station["cold"], station["max_ride"] = True, 1
    _vehicle(net, r["vehicle"])["refrigerated"] = True


# (tamper, plan mode, the rules it must fire: exactly these)
TAMPERS: list[tuple[Tamper, str, set[str]]] = [
    (t_format, "joint", {"format"}),
    (t_network_name, "joint", {"network-name"}),
    (t_mode, "joint", {"mode"}),
    (t_day, "joint", {"day"}),
    (t_vehicle, "joint", {"vehicle"}),
    (t_node, "joint", {"node"}),
    (t_carrier, "joint", {"carrier"}),
    (t_depot_ends, "joint", {"depot-ends"}),
    (t_one_route_per_day, "joint", {"one-route-per-day"}),
    (t_vehicle_days, "joint", {"vehicle-days"}),
    (t_leg_chain, "joint", {"leg-chain"}),
    (t_times, "joint", {"times"}),
    (t_road_time, "joint", {"road-time"}),
    (t_road_km, "joint", {"road-km"}),
    (t_road_path, "joint", {"road-path"}),
    (t_road_path_planar, "joint", {"road-path"}),
    (t_ferry_unknown, "joint", {"ferry-unknown"}),
    (t_ferry_ends, "joint", {"ferry-ends", "ferry-departure"}),
    (t_ferry_departure, "joint", {"ferry-departure"}),
    (t_ferry_duration, "joint", {"ferry-duration"}),
    (t_ferry_vehicles, "joint", {"ferry-vehicles"}),
    (t_ferry_km, "joint", {"ferry-km"}),
    (t_shift, "joint", {"shift"}),
    (t_open_window, "joint", {"open-window"}),
    (t_service_time, "joint", {"service-time"}),
    (t_service_time_default, "joint", {"service-time"}),
    (t_service_day, "joint", {"service-day"}),
    (t_capacity, "joint", {"capacity"}),
    (t_deliver_count, "joint", {"deliver-count", "delivered-total"}),
    (t_deliver_station, "joint", {"deliver-station"}),
    (t_deliver_carrier, "separate", {"deliver-carrier"}),
    (t_delivered_total, "joint", {"delivered-total"}),
    (t_pickup_total, "joint", {"pickup-total"}),
    (t_handin_place, "joint", {"handin-place"}),
    (t_handin_missing, "joint", {"handin-missing"}),
    (t_handin_deadline, "joint", {"handin-deadline"}),
    (t_cold_vehicle, "joint", {"cold-vehicle"}),
    (t_cold_ride, "joint", {"cold-ride"}),
    (t_visits, "joint", {"visits"}),
    (t_exact_visits, "joint", {"exact-visits"}),
    (t_pattern, "joint", {"pattern"}),
    (t_max_consecutive, "joint", {"max-consecutive"}),
    (t_separate_carrier, "separate", {"separate-carrier"}),
    (t_separate_shared, "separate", {"separate-carrier"}),
    (t_route_km, "joint", {"route-km"}),
    (t_totals_km, "joint", {"totals-km"}),
    (t_totals_cost, "joint", {"totals-cost"}),
    (t_totals_vehicles, "joint", {"totals-vehicles"}),
    (t_totals_ferry_crossings, "joint", {"totals-ferry-crossings"}),
    (t_unserved, "joint", {"unserved"}),
]


@pytest.mark.parametrize(
    ("tamper", "mode", "rules"), TAMPERS, ids=[t.__name__[2:] for t, _, _ in TAMPERS]
)
def test_tampered_plan_fires_its_rule(
    week: dict[str, Doc], tamper: Tamper, mode: str, rules: set[str]
) -> None:
    net, plan = _pair(week, mode)
    tamper(net, plan)
    found = validate(net, plan)
    assert {v.rule for v in found} == rules, [str(v) for v in found]


def test_every_documented_rule_is_tampered_somewhere() -> None:
    doc = importlib.import_module("islandroute.validate").__doc__ or ""
    paragraph = doc.split("Rule names (``Violation.rule``):")[1].split("\n\n")[0]
    listed = set(paragraph.split("``")[1::2])
    tampered = set().union(*(rules for _, _, rules in TAMPERS), DRONE_TAMPERED)
    assert listed == tampered


# ---- network format 1.1, plan format 1.1 ---------------------------------------------------


@pytest.mark.parametrize(
    ("net_format", "plan_format", "ok"),
    [
        ("islandroute.network/1", "islandroute.plan/1", True),
        ("islandroute.network/1.1", "islandroute.plan/1", True),
        ("islandroute.network/1.1", "islandroute.plan/1.1", True),
        ("islandroute.network/2", "islandroute.plan/1", False),
        ("islandroute.network/1", "islandroute.plan/2", False),
    ],
)
def test_format_versions(net_format: str, plan_format: str, ok: bool) -> None:
    net, plan = copy.deepcopy(EXAMPLE_NET), copy.deepcopy(EXAMPLE_PLAN)
    net["format"], plan["format"] = net_format, plan_format
    assert _rules(net, plan) == (set() if ok else {"format"})


# ---- declared unserved parcels ---------------------------------------------------------------


def _example() -> tuple[Doc, Doc]:
    return copy.deepcopy(EXAMPLE_NET), copy.deepcopy(EXAMPLE_PLAN)


def _declare(plan: Doc, parcels: Any = 9, **extra: Any) -> Doc:
    entry = {"station": "s", "carrier": "ems", "parcels": parcels, "rule": "reach"}
    entry.update(extra)
    plan["unserved"] = [entry]
    return entry


def _drop_routes(plan: Doc, keep: int) -> None:
    del plan["routes"][keep:]
    _fix_totals(plan)


def test_station_declared_entirely_unserved_owes_no_visits() -> None:
    net, plan = _example()
    _drop_routes(plan, 0)
    assert _rules(net, plan) == {"delivered-total", "visits"}
    _declare(plan, 9, message="storm: no ferry all week")
    assert validate(net, plan) == []


def test_entirely_unserved_skips_patterns_and_runs_too() -> None:
    net, plan = _example()
    net["stations"][0]["patterns"] = [["mon", "wed", "fri"]]
    net["stations"][0]["exact_visits"] = True
    _drop_routes(plan, 0)
    _declare(plan, 9)
    assert validate(net, plan) == []


def test_partly_unserved_station_still_owes_its_visits() -> None:
    net, plan = _example()
    _drop_routes(plan, 2)  # Monday and Wednesday: 6 of 9 parcels, 2 of 3 visits
    _declare(plan, 3)
    assert _rules(net, plan) == {"visits"}
    net["stations"][0]["min_visits"] = 2
    assert validate(net, plan) == []


def test_partly_unserved_deliveries_still_obey_route_rules() -> None:
    net, plan = _example()
    _drop_routes(plan, 2)
    _declare(plan, 3)
    net["stations"][0]["min_visits"] = 2
    net["vehicles"][0]["capacity"] = 2
    assert _rules(net, plan) == {"capacity"}


def test_declared_pair_must_receive_exactly_the_rest() -> None:
    net, plan = _example()
    _declare(plan, 3)  # declares 3 unserved but delivers all 9
    (v,) = validate(net, plan)
    assert v.rule == "unserved" and "expected 6" in v.message and "3 declared" in v.message
    _drop_routes(plan, 0)  # now delivers none: 9 missing, 3 declared
    assert _rules(net, plan) == {"unserved", "visits"}


def test_other_pairs_keep_todays_rules() -> None:
    net, plan = _example()
    net["carriers"].append({"id": "zto", "name": "ZTO"})
    net["stations"][0]["demand"]["zto"] = 4
    plan["mode"] = "joint"
    for r in plan["routes"]:
        r["carriers"] = ["ems", "zto"]
    _declare(plan, 9)  # ems declared, zto not: its 4 parcels are lost
    assert _rules(net, plan) == {"unserved", "delivered-total"}


@pytest.mark.parametrize(
    "entries",
    [
        "none",
        {"station": "s"},
        ["not an entry"],
        [{"station": "s", "carrier": "ems", "parcels": 9}],  # no rule
        [{"station": "zz", "carrier": "ems", "parcels": 9, "rule": "reach"}],
        [{"station": "s", "carrier": "dhl", "parcels": 9, "rule": "reach"}],
        [{"station": ["s"], "carrier": "ems", "parcels": 9, "rule": "reach"}],
        [{"station": "s", "carrier": "ems", "parcels": 10, "rule": "reach"}],
        [{"station": "s", "carrier": "ems", "parcels": -1, "rule": "reach"}],
        [{"station": "s", "carrier": "ems", "parcels": 2.5, "rule": "reach"}],
        [{"station": "s", "carrier": "ems", "parcels": True, "rule": "reach"}],
        [{"station": "s", "carrier": "ems", "parcels": "9", "rule": "reach"}],
        [{"station": "s", "carrier": "ems", "parcels": 10**400, "rule": "reach"}],
        [{"station": "s", "carrier": "ems", "parcels": 0, "rule": ""}],
        [{"station": "s", "carrier": "ems", "parcels": 0, "rule": "reach", "message": 3}],
        [
            {"station": "s", "carrier": "ems", "parcels": 0, "rule": "reach"},
            {"station": "s", "carrier": "ems", "parcels": 0, "rule": "reach"},
        ],
    ],
    ids=lambda e: json.dumps(e)[:60],
)
def test_malformed_unserved_entries(entries: Any) -> None:
    net, plan = _example()
    plan["unserved"] = entries
    found = validate(net, plan)
    assert {v.rule for v in found} == {"unserved"}, [str(v) for v in found]


def test_absent_or_empty_unserved_is_todays_behaviour() -> None:
    net, plan = _example()
    plan["unserved"] = []
    assert validate(net, plan) == []
    _declare(plan, 0)  # declares nothing undeliverable: every parcel still due
    assert validate(net, plan) == []


def test_generated_week_with_a_station_left_out(week: dict[str, Doc]) -> None:
    """A carrier's parcels zeroed at one station everywhere, declared unserved: valid."""
    net, plan = _pair(week, "separate")
    _, _, s = _first_station_stop(net, plan)
    node = s["node"]
    carrier = next(c for c, n in s["deliver"].items() if n)
    for _, _, stop in list(_station_stops(net, plan)):
        if stop["node"] == node:
            stop["deliver"].pop(carrier, None)
    demand = _stations(net)[node]["demand"][carrier]
    assert _rules(net, plan) == {"delivered-total"}
    plan["unserved"] = [{"station": node, "carrier": carrier, "parcels": demand, "rule": "storm"}]
    assert validate(net, plan) == []


# ---- junk never raises ----------------------------------------------------------------------


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document: keys of objects, indices of lists."""
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    )
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _replace(doc: Doc, path: tuple[Any, ...], value: Any) -> None:
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


EXAMPLE_PATHS = list(_paths(EXAMPLE_PLAN))
EXAMPLE_NET_PATHS = list(_paths(EXAMPLE_NET))
NUMBER_PATHS = [p for p in EXAMPLE_PATHS if type(_get(EXAMPLE_PLAN, p)) in (int, float)]


def _returns_violations(net: Any, plan: Any) -> list[Violation]:
    found = validate(net, plan)
    assert isinstance(found, list) and all(isinstance(v, Violation) for v in found)
    for v in found:
        assert isinstance(v.rule, str) and isinstance(v.obj, str) and isinstance(v.message, str)
        assert len(str(v)) < 2000
    return found


@settings(max_examples=300, deadline=None)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(EXAMPLE_PATHS), st.sampled_from(JUNK)), min_size=1, max_size=3
    )
)
def test_junk_in_the_example_plan_is_reported_not_raised(
    changes: list[tuple[tuple[Any, ...], Any]],
) -> None:
    plan = copy.deepcopy(EXAMPLE_PLAN)
    replaced: list[tuple[Any, ...]] = []
    for path, value in changes:
        if not any(path[: len(done)] == done for done in replaced):  # junk stays untouched
            _replace(plan, path, value)
            replaced.append(path)
    _returns_violations(EXAMPLE_NET, plan)


@settings(max_examples=200, deadline=None)
@given(
    path=st.sampled_from(NUMBER_PATHS),
    value=st.sampled_from([v for v in JUNK if not isinstance(v, int | float) or abs(v) > 1e15]),
)
def test_junk_in_a_number_is_a_violation(path: tuple[Any, ...], value: Any) -> None:
    plan = copy.deepcopy(EXAMPLE_PLAN)
    _replace(plan, path, value)
    assert _returns_violations(EXAMPLE_NET, plan)


@settings(max_examples=200, deadline=None)
@given(path=st.sampled_from(EXAMPLE_NET_PATHS), value=st.sampled_from(JUNK))
def test_junk_in_the_network_is_reported_not_raised(path: tuple[Any, ...], value: Any) -> None:
    net = copy.deepcopy(EXAMPLE_NET)
    _replace(net, path, value)
    _returns_violations(net, EXAMPLE_PLAN)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_junk_in_a_generated_plan_is_reported_not_raised(
    week: dict[str, Doc], data: st.DataObject
) -> None:
    plan = week["joint"]
    paths = list(_paths(plan))
    path = data.draw(st.sampled_from(paths))
    value = data.draw(st.sampled_from(JUNK))
    tampered = copy.deepcopy(plan)
    _replace(tampered, path, value)
    _returns_violations(week["network"], tampered)


@pytest.mark.parametrize("value", JUNK, ids=lambda v: type(v).__name__)
def test_junk_documents_are_format_violations(value: Any) -> None:
    assert {v.rule for v in _returns_violations(value, EXAMPLE_PLAN)} == {"format"}
    assert {v.rule for v in _returns_violations(EXAMPLE_NET, value)} == {"format"}
