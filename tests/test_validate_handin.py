"""The validator's spec-1.1 hand-in rules on a hand-made network and plan: load at every
point, hand-in place, missing and late hand-ins, the cold chain, earliest-due matching and
the format of the 1.1 network fields."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from islandroute.validate import Violation, validate

Doc = dict[str, Any]

DAY = "d1"
START = 480  # 08:00, when both routes leave the depot
SERVICE = 5  # default service minutes at a station that hands over parcels
CAPACITY = 10
OPEN = [0, 1440]
SHIFT = [360, 1200]
COORDS = {  # planar, no roads: a leg takes (and drives) at least the straight distance
    "dep": (0, 0),
    "vil": (30, 0),
    "park": (60, 0),
    "ctr": (60, 80),
    "farm": (0, 80),
    "fish": (0, -50),
    "parkB": (30, 40),
}
KINDS = {
    "dep": "depot",
    "vil": "station",
    "park": "park",
    "ctr": "centre",
    "farm": "station",
    "fish": "station",
    "parkB": "park",
}


# ---- documents ---------------------------------------------------------------------------


def _node(nid: str) -> Doc:
    x, y = COORDS[nid]
    node: Doc = {"id": nid, "kind": KINDS[nid], "island": "a", "lon": x, "lat": y}
    if nid == "ctr":
        node["role"] = "processing_centre"
    return node


def _station(node: str, demand: Doc | None = None, **extra: Any) -> Doc:
    return {"node": node, "min_visits": 1, "open": OPEN, "demand": demand or {}, **extra}


def _vehicle(vid: str, **extra: Any) -> Doc:
    return {
        "id": vid,
        "carrier": None,
        "depot": "dep",
        "capacity": CAPACITY,
        "shift": SHIFT,
        **extra,
    }


def _network() -> Doc:
    """A depot, a processing centre, a village, a park sending to the centre by 11:40, a
    farm sending to the depot, a cold fish station; a plain van and a refrigerated one."""
    return {
        "format": "islandroute.network/1.1",
        "name": "handin",
        "geometry": "planar",
        "days": [DAY],
        "nodes": [_node(n) for n in ("dep", "vil", "park", "ctr", "farm", "fish")],
        "roads": [],
        "ferries": [],
        "carriers": [{"id": "zto", "name": "ZTO"}, {"id": "ems", "name": "EMS"}],
        "stations": [
            _station("vil", {"zto": 6}),
            _station("park", pickup={"zto": 8}, pickup_to="ctr", pickup_by=700),
            _station("farm", pickup={"zto": 4}),
            _station("fish", {"ems": 3}, pickup={"ems": 5}, cold=True, max_ride=120),
        ],
        "vehicles": [_vehicle("van"), _vehicle("reefer", refrigerated=True)],
    }


def _route(vehicle: str, carriers: list[str], stops: list[Doc]) -> Doc:
    """A route through ``stops`` (node, deliver, pickup, handin, ``late``: extra minutes on
    the leg into it), each leg as short as the straight line allows, service where due."""
    out: list[Doc] = []
    legs: list[Doc] = []
    clock = float(START)
    for spec in stops:
        node = spec["node"]
        if out:
            prev = out[-1]["node"]
            km = math.ceil(math.dist(COORDS[prev], COORDS[node]))
            arrive = clock + km + spec.get("late", 0)
            leg = {"from": prev, "to": node, "mode": "road", "depart": clock, "arrive": arrive}
            legs.append({**leg, "km": km})
            clock = arrive
        hands_over = bool(spec.get("deliver") or spec.get("pickup"))
        stop = {"node": node, "arrive": clock, "depart": clock + SERVICE * hands_over}
        stop["deliver"] = dict(spec.get("deliver", {}))
        for what in ("pickup", "handin"):
            if spec.get(what):
                stop[what] = dict(spec[what])
        out.append(stop)
        clock = stop["depart"]
    km = sum(g["km"] for g in legs)
    route = {"day": DAY, "vehicle": vehicle, "carriers": carriers, "stops": out, "legs": legs}
    return {**route, "km": km, "cost": km}


def _plan(*routes: Doc) -> Doc:
    km = sum(r["km"] for r in routes)
    totals = {"cost": km, "km": km, "vehicles": len({r["vehicle"] for r in routes})}
    return {
        "format": "islandroute.plan/1.1",
        "network": "handin",
        "mode": "joint",
        "routes": list(routes),
        "totals": totals | {"ferry_crossings": 0, "co2_kg": 0},
    }


def _van_route(farm_pickup: int = 4) -> Doc:
    """Deliver to the village, collect the park's 8 and hand them in at the centre at 10:30,
    collect the farm's parcels and hand them in at the depot."""
    return _route(
        "van",
        ["zto"],
        [
            {"node": "dep"},
            {"node": "vil", "deliver": {"zto": 6}},
            {"node": "park", "pickup": {"zto": 8}},
            {"node": "ctr", "handin": {"zto": 8}},
            {"node": "farm", "pickup": {"zto": farm_pickup}},
            {"node": "dep", "handin": {"zto": farm_pickup}},
        ],
    )


def _reefer_route(late: int = 0) -> Doc:
    """Deliver to and collect at the fish station (leaving 08:55), back at the depot."""
    return _route(
        "reefer",
        ["ems"],
        [
            {"node": "dep"},
            {"node": "fish", "deliver": {"ems": 3}, "pickup": {"ems": 5}},
            {"node": "dep", "handin": {"ems": 5}, "late": late},
        ],
    )


def _pair() -> tuple[Doc, Doc]:
    return _network(), _plan(_van_route(), _reefer_route())


def _station_of(net: Doc, node: str) -> Doc:
    return next(s for s in net["stations"] if s["node"] == node)


def _vehicle_of(net: Doc, vid: str) -> Doc:
    return next(v for v in net["vehicles"] if v["id"] == vid)


def _node_of(net: Doc, nid: str) -> Doc:
    return next(n for n in net["nodes"] if n["id"] == nid)


def _stop(plan: Doc, vehicle: str, node: str) -> Doc:
    """The vehicle's last stop at ``node`` (at the depot: the route's end)."""
    route = next(r for r in plan["routes"] if r["vehicle"] == vehicle)
    return [s for s in route["stops"] if s["node"] == node][-1]


def _only(net: Doc, plan: Doc, rule: str) -> list[Violation]:
    """The violations found, asserting they are all of ``rule``."""
    found = validate(net, plan)
    assert found and {v.rule for v in found} == {rule}, [str(v) for v in found]
    return found


# ---- the valid pair ----------------------------------------------------------------------


def test_hand_made_pair_is_valid() -> None:
    net, plan = _pair()
    assert validate(net, plan) == []


def test_over_capacity_by_totals_but_fine_at_every_point_is_valid() -> None:
    """The van collects 12 parcels (and moves 18) with room for 10: the hand-in at the
    centre makes room before the farm."""
    net, plan = _pair()
    van = plan["routes"][0]
    collected = sum(n for s in van["stops"] for n in s.get("pickup", {}).values())
    moved = collected + sum(n for s in van["stops"] for n in s["deliver"].values())
    assert collected > CAPACITY and moved > CAPACITY
    assert validate(net, plan) == []


def test_within_capacity_by_totals_but_over_at_a_point() -> None:
    """6 to deliver and 8 + 2 to collect each fit the van's 10; collecting the park's 8
    before delivering the village's 6 carries 14."""
    net = _network()
    _station_of(net, "farm")["pickup"] = {"zto": 2}
    van = _route(
        "van",
        ["zto"],
        [
            {"node": "dep"},
            {"node": "park", "pickup": {"zto": 8}},
            {"node": "vil", "deliver": {"zto": 6}},
            {"node": "ctr", "handin": {"zto": 8}},
            {"node": "farm", "pickup": {"zto": 2}},
            {"node": "dep", "handin": {"zto": 2}},
        ],
    )
    (v,) = _only(net, _plan(van, _reefer_route()), "capacity")
    assert v.obj == "route d1/van"
    assert "carries 14 parcels after stop 1" in v.message and "capacity 10" in v.message


def test_a_centre_stop_needs_no_service() -> None:
    net, plan = _pair()
    centre = _stop(plan, "van", "ctr")
    assert centre["arrive"] == centre["depart"] and centre["deliver"] == {}
    assert validate(net, plan) == []


# ---- one tampered copy per rule ------------------------------------------------------------


def test_handin_place_more_than_held() -> None:
    net, plan = _pair()
    _stop(plan, "van", "ctr")["handin"] = {"zto": 9}
    (v,) = _only(net, plan, "handin-place")
    assert v.obj == "route d1/van stop 3"
    assert "hands in 9 zto parcels at 'ctr' but holds 8" in v.message


def test_handin_place_wrong_node() -> None:
    """The park's parcels handed in at the farm: the wrong place, and never at the centre."""
    net, plan = _pair()
    del _stop(plan, "van", "ctr")["handin"]
    _stop(plan, "van", "farm")["handin"] = {"zto": 8}
    found = validate(net, plan)
    assert {v.rule for v in found} == {"handin-place", "handin-missing"}, [str(v) for v in found]
    place = next(v for v in found if v.rule == "handin-place")
    assert place.obj == "route d1/van stop 4"
    assert "at 'farm' but holds 0" in place.message and "8 for 'ctr'" in place.message
    missing = next(v for v in found if v.rule == "handin-missing")
    assert missing.obj == "route d1/van stop 2"
    assert "8 zto parcels of station 'park'" in missing.message and "'ctr'" in missing.message


def test_handin_place_of_nothing_collected() -> None:
    net, plan = _pair()
    _stop(plan, "reefer", "dep")["handin"]["zto"] = 1
    (v,) = _only(net, plan, "handin-place")
    assert v.obj == "route d1/reefer stop 2" and "1 zto parcels" in v.message


def test_handin_missing() -> None:
    net, plan = _pair()
    del plan["routes"][0]["stops"][-1]["handin"]
    (v,) = _only(net, plan, "handin-missing")
    assert v.obj == "route d1/van stop 4"
    assert (
        "4 zto parcels of station 'farm'" in v.message and "never handed in at 'dep'" in v.message
    )


def test_handin_missing_in_part() -> None:
    net, plan = _pair()
    _stop(plan, "van", "ctr")["handin"] = {"zto": 5}
    (v,) = _only(net, plan, "handin-missing")
    assert "3 zto parcels of station 'park'" in v.message and "of 8 collected" in v.message


@pytest.mark.parametrize("due", [620, "10:20"])
def test_handin_deadline(due: Any) -> None:
    net, plan = _pair()
    _station_of(net, "park")["pickup_by"] = due
    (v,) = _only(net, plan, "handin-deadline")
    assert v.obj == "route d1/van stop 3"
    assert v.message == (
        "8 zto parcels of station 'park' (collected at stop 2) handed in at 10:30, due 10:20"
    )


def test_handin_by_the_deadline_to_the_minute() -> None:
    net, plan = _pair()
    _station_of(net, "park")["pickup_by"] = _stop(plan, "van", "ctr")["arrive"]
    assert validate(net, plan) == []


def test_cold_vehicle() -> None:
    net, plan = _pair()
    del _vehicle_of(net, "reefer")["refrigerated"]
    (v,) = _only(net, plan, "cold-vehicle")
    assert v.obj == "route d1/reefer stop 1"
    assert "5 ems parcels of cold station 'fish'" in v.message and "'reefer'" in v.message


def test_cold_vehicle_refrigerated_false() -> None:
    net, plan = _pair()
    _vehicle_of(net, "reefer")["refrigerated"] = False
    _only(net, plan, "cold-vehicle")


def test_cold_ride() -> None:
    net, plan = _pair()
    _station_of(net, "fish")["max_ride"] = 30
    (v,) = _only(net, plan, "cold-ride")
    assert v.obj == "route d1/reefer stop 2"
    assert "5 ems parcels of station 'fish'" in v.message
    assert "ride 50 minutes (08:55 to 09:45)" in v.message and "max_ride 30" in v.message


def test_cold_ride_default_is_240_minutes() -> None:
    net = _network()
    del _station_of(net, "fish")["max_ride"]
    assert validate(net, _plan(_van_route(), _reefer_route(late=190))) == []  # rides 240
    (v,) = _only(net, _plan(_van_route(), _reefer_route(late=191)), "cold-ride")
    assert "ride 241 minutes" in v.message and "max_ride 240" in v.message


def test_not_cold_rides_any_time() -> None:
    net = _network()
    _station_of(net, "fish")["cold"] = False
    _station_of(net, "fish")["max_ride"] = 1
    assert validate(net, _plan(_van_route(), _reefer_route(late=300))) == []


def test_handing_in_later_overloads_the_van() -> None:
    """Going to the farm before the centre: the park's parcels are late at the centre, and
    the van carries 12 after the farm."""
    net = _network()
    van = _route(
        "van",
        ["zto"],
        [
            {"node": "dep"},
            {"node": "vil", "deliver": {"zto": 6}},
            {"node": "park", "pickup": {"zto": 8}},
            {"node": "farm", "pickup": {"zto": 4}},
            {"node": "ctr", "handin": {"zto": 8}},
            {"node": "dep", "handin": {"zto": 4}},
        ],
    )
    found = validate(net, _plan(van, _reefer_route()))
    assert {v.rule for v in found} == {"capacity", "handin-deadline"}, [str(v) for v in found]
    cap = next(v for v in found if v.rule == "capacity")
    assert "carries 12 parcels after stop 3" in cap.message


# ---- earliest-due matching ---------------------------------------------------------------


def _edf_pair(park_by: int, park_b_by: int) -> tuple[Doc, Doc]:
    """Two parks send zto parcels to the centre: parkB's 2 collected first, the park's 8
    next; the centre takes 8 at 11:35 and, after the farm, 2 more at 13:40."""
    net = _network()
    net["nodes"].append(_node("parkB"))
    _station_of(net, "park")["pickup_by"] = park_by
    net["stations"].append(
        _station("parkB", pickup={"zto": 2}, pickup_to="ctr", pickup_by=park_b_by)
    )
    van = _route(
        "van",
        ["zto"],
        [
            {"node": "dep"},
            {"node": "vil", "deliver": {"zto": 6}},
            {"node": "parkB", "pickup": {"zto": 2}},
            {"node": "park", "pickup": {"zto": 8}},
            {"node": "ctr", "handin": {"zto": 8}},
            {"node": "farm", "pickup": {"zto": 4}},
            {"node": "ctr", "handin": {"zto": 2}},
            {"node": "dep", "handin": {"zto": 4}},
        ],
    )
    return net, _plan(van, _reefer_route())


def test_earliest_due_batch_takes_the_first_handin() -> None:
    """First come first served would hand in the park's last 2 at 13:40, after 11:40; the
    earliest-due matching gives the first hand-in to the park, and all are on time."""
    net, plan = _edf_pair(park_by=700, park_b_by=900)
    assert [s["arrive"] for s in plan["routes"][0]["stops"] if s["node"] == "ctr"] == [695, 820]
    assert validate(net, plan) == []
    net, plan = _edf_pair(park_by=900, park_b_by=700)
    assert validate(net, plan) == []


def test_earliest_due_matching_names_the_late_batch() -> None:
    net, plan = _edf_pair(park_by=700, park_b_by=800)
    (v,) = _only(net, plan, "handin-deadline")
    assert v.obj == "route d1/van stop 6"
    assert v.message == (
        "2 zto parcels of station 'parkB' (collected at stop 2) handed in at 13:40, due 13:20"
    )


def test_earliest_due_counts_the_cold_ride() -> None:
    """A cold park left at 10:15 with 90 minutes' ride is due 11:45, before parkB's 13:50:
    it takes the first hand-in (by pickup_by alone parkB would, leaving 2 riding on)."""
    net, plan = _edf_pair(park_by=900, park_b_by=830)
    _station_of(net, "park").update(cold=True, max_ride=90)
    _vehicle_of(net, "van")["refrigerated"] = True
    assert validate(net, plan) == []
    _station_of(net, "park")["max_ride"] = 79  # left 11:15, first hand-in 11:35, ride 80
    (v,) = _only(net, plan, "cold-ride")
    assert "8 zto parcels of station 'park'" in v.message and "ride 80 minutes" in v.message


# ---- the 1.1 network fields' format ------------------------------------------------------


_KEYS = {"stations": "node", "vehicles": "id", "nodes": "id"}
_SINGULAR = {"stations": "station", "vehicles": "vehicle", "nodes": "node"}


def _set(net: Doc, coll: str, ident: str, name: str, value: Any) -> None:
    """Set one field of the network item ``ident`` of ``coll``."""
    item = next(x for x in net[coll] if x[_KEYS[coll]] == ident)
    item[name] = value


# (collection, item, field, bad value, what the message says)
FORMAT_CASES: list[tuple[str, str, str, Any, str]] = [
    ("stations", "park", "pickup_to", "nowhere", "pickup_to: unknown node 'nowhere'"),
    ("stations", "park", "pickup_to", 7, "pickup_to: expected a node id"),
    ("stations", "park", "pickup_by", "noon", "pickup_by: expected a minute"),
    ("stations", "park", "pickup_by", -5, "pickup_by: expected a minute"),
    ("stations", "park", "pickup_by", True, "pickup_by: expected a minute"),
    ("stations", "fish", "cold", "yes", "cold: expected true or false"),
    ("stations", "fish", "cold", 1, "cold: expected true or false"),
    ("stations", "fish", "max_ride", 0, "max_ride: expected a whole number"),
    ("stations", "fish", "max_ride", 2.5, "max_ride: expected a whole number"),
    ("stations", "fish", "max_ride", "120", "max_ride: expected a whole number"),
    ("stations", "fish", "max_ride", True, "max_ride: expected a whole number"),
    ("vehicles", "reefer", "refrigerated", "true", "refrigerated: expected true or false"),
    ("nodes", "park", "kind", "factory", "kind: expected one of"),
    ("nodes", "ctr", "kind", 3, "kind: expected one of"),
    ("nodes", "ctr", "role", "airport", "role: expected one of"),
    ("nodes", "vil", "role", "county_complex", "allowed on a hub or centre, not on a station"),
]


@pytest.mark.parametrize(
    ("coll", "ident", "name", "value", "says"),
    FORMAT_CASES,
    ids=[f"{c[2]}={c[3]!r}@{c[1]}" for c in FORMAT_CASES],
)
def test_network_field_format(coll: str, ident: str, name: str, value: Any, says: str) -> None:
    net, plan = _pair()
    _set(net, coll, ident, name, value)
    (v,) = _only(net, plan, "format")
    assert v.obj == f"{_SINGULAR[coll]} {ident}" and says in v.message


@pytest.mark.parametrize(
    ("coll", "ident", "name"),
    [
        ("stations", "park", "pickup_to"),
        ("stations", "park", "pickup_by"),
        ("stations", "fish", "cold"),
        ("stations", "fish", "max_ride"),
        ("vehicles", "reefer", "refrigerated"),
        ("nodes", "ctr", "role"),
    ],
)
def test_null_fields_are_absent(coll: str, ident: str, name: str) -> None:
    """``null`` reads as the field's default, never a format fault."""
    net, plan = _pair()
    _set(net, coll, ident, name, None)
    assert "format" not in {v.rule for v in validate(net, plan)}


def test_every_node_kind_and_role_is_accepted() -> None:
    net, plan = _pair()
    for kind in ("hub", "port", "junction"):
        net["nodes"].append({"id": kind, "kind": kind, "island": "a", "lon": 5, "lat": 5})
    net["nodes"][-3]["role"] = "cross_border_centre"
    assert validate(net, plan) == []


def test_handin_format_in_the_plan() -> None:
    net, plan = _pair()
    _stop(plan, "van", "ctr")["handin"] = ["zto", 8]
    assert "format" in {v.rule for v in validate(net, plan)}
    net, plan = _pair()
    _stop(plan, "reefer", "dep")["handin"]["zto"] = -1
    (v,) = _only(net, plan, "deliver-count")
    assert v.obj == "route d1/reefer stop 2" and "handin zto" in v.message


# ---- junk never raises --------------------------------------------------------------------

JUNK: list[Any] = [None, "x", -1, 2.5, 10**400, 1e308, [], {}, True, {"zto": "x"}]


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    )
    out: list[tuple[Any, ...]] = []
    for key, value in items:
        out += [(*prefix, key), *_paths(value, (*prefix, key))]
    return out


def _replaced(doc: Doc, path: tuple[Any, ...], value: Any) -> Doc:
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def test_junk_anywhere_is_reported_not_raised() -> None:
    net, plan = _pair()
    for which, doc in (("network", net), ("plan", plan)):
        for path in _paths(doc):
            for value in JUNK:
                bad = _replaced(doc, path, value)
                found = validate(bad, plan) if which == "network" else validate(net, bad)
                assert all(isinstance(v, Violation) for v in found), (which, path, value)
