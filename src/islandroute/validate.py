"""The independent plan validator: checks a plan against a network from the two exchange
documents alone (``islandroute.network/1`` or ``/1.1`` and ``islandroute.plan/1``), never
the solver: it shares no code with the planner, so a planner bug cannot hide here.

``validate(network, plan)`` returns every :class:`Violation` found (an empty list for a
valid plan); ``assert_valid`` raises :class:`PlanInvalidError` listing them. Either
argument may be the library's model object (converted with ``.to_dict()``) or a document.
Malformed documents (wrong types, huge or non-finite numbers, junk) give ``format``
violations, never an exception.

Rule names (``Violation.rule``): ``format``, ``network-name``, ``mode``, ``day``,
``vehicle``, ``node``, ``carrier``, ``depot-ends``, ``one-route-per-day``,
``vehicle-days``, ``leg-chain``, ``times``, ``road-time``, ``road-km``, ``road-path``,
``ferry-unknown``, ``ferry-ends``, ``ferry-departure``, ``ferry-duration``,
``ferry-vehicles``, ``ferry-km``, ``shift``, ``open-window``, ``service-time``,
``service-day``, ``capacity``, ``deliver-count``, ``deliver-station``, ``deliver-carrier``,
``delivered-total``, ``pickup-total``, ``handin-place``, ``handin-missing``,
``handin-deadline``, ``cold-vehicle``, ``cold-ride``, ``unserved``, ``visits``,
``exact-visits``, ``pattern``, ``max-consecutive``, ``separate-carrier``, ``route-km``,
``totals-km``, ``totals-cost``, ``totals-vehicles``, ``totals-ferry-crossings``,
``air-leg``, ``air-km``, ``air-time``, ``drone-range``, ``drone-load``, ``drone-flights``,
``drone-weather``.

Rules beyond the spec's plan section, read from the network document:

- Road legs follow roads (shortest road path as the lower bound) whatever the geometry;
  only a ``planar`` network with no roads at all travels straight (km = minutes =
  Euclidean distance).
- A station stop that delivers or picks up anything lasts at least the station's
  ``service_minutes`` (default 5); waiting for the station to open may be part of it.
- Stations are visited only on ``rules.service_days`` (default: Mon..Sat for a Mon..Sun
  horizon, else every day). Without explicit ``patterns`` and with ``min_visits`` > 1, a
  station's visit days have no run of more than ``rules.max_consecutive`` (default 2)
  consecutive horizon days (not wrapping), unless no set of ``min_visits`` service days
  avoids such runs (then any set is allowed).
- A station is visited on a day when a route stops there (its first and last stop only
  if it hands over parcels: a depot may sit on a station's node), for every carrier of
  that route; visit rules hold for each carrier it receives from or sends for.
- A plan may declare ``unserved`` parcels per station and carrier; those pairs must
  receive exactly their demand minus the declared parcels, and a pair declared entirely
  unserved (all its demand) owes no visits and sends nothing.

Hand-ins (spec 1.1, as islandroute reads it):

- A station's parcels collected on a route go to their destination: the station's
  ``pickup_to``, else the collecting vehicle's depot. A stop's ``handin`` hands in, at its
  node, parcels of that carrier collected on the same route (at that stop or earlier)
  bound for that node (``handin-place`` otherwise); nothing collected stays on board at
  the route's end (``handin-missing``): its last stop hands in what is bound for the depot.
- Several waiting batches of one carrier and destination take a hand-in earliest-due
  first (due: the station's ``pickup_by``, and for a cold station the pickup stop's
  ``depart`` plus ``max_ride``, default 240). A batch handed in at a stop arriving after
  ``pickup_by`` breaks ``handin-deadline``; a cold batch riding (hand-in ``arrive`` less
  pickup ``depart``) longer than ``max_ride`` breaks ``cold-ride``.
- A cold station's parcels ride only vehicles with ``refrigerated: true`` (``cold-vehicle``).
- Load at every point (``capacity``): a route starts with every parcel it delivers on
  board; after each stop the load is the previous less ``deliver``, plus ``pickup``, less
  ``handin``; the start load and every later one fit the vehicle's capacity.
- A hand-in stop at a node that is no station (a centre, the depot mid-route) hands over
  nothing else, is no visit and needs no service time.

Drones (a vehicle with ``kind: "drone"``; docs/exchange-format.md, "Drones"):

- A drone's legs are all ``air``, a van's never (``air-leg``). An air leg's km is the
  straight line between its ends (great circle on lon/lat, Euclidean on planar;
  ``air-km``) and it lasts at least km / ``speed_kmh`` hours (``air-time``).
- A flight runs from a stop at the drone's base (its ``depot``) to the next one. The
  base stop before each flight lasts at least ``load_minutes`` (``drone-load``); each
  flight's straight km are at most ``range_km`` (``drone-range``); the load starts each
  flight with that flight's deliveries and never exceeds the payload ``capacity``
  (``capacity``); a drone makes at most ``flights_per_day`` flights a day
  (``drone-flights``) and flies only on its ``weather_days`` (``drone-weather``).
"""

from __future__ import annotations

import math
import re
import reprlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeGuard

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from islandroute.errors import IslandrouteError

__all__ = ["PlanInvalidError", "Violation", "assert_valid", "validate"]

NETWORK_FORMATS = ("islandroute.network/1", "islandroute.network/1.1")
PLAN_FORMATS = ("islandroute.plan/1", "islandroute.plan/1.1")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEK_SERVICE_DAYS = WEEK[:6]  # a Mon..Sun horizon serves stations Mon..Sat by default
MINUTES_PER_DAY = 1440
SERVICE_MINUTES_DEFAULT = 5.0  # spec 1.1: minutes spent at each stop
MAX_CONSECUTIVE_DEFAULT = 2  # network rules: longest run of consecutive visit days
MAX_RIDE_DEFAULT = 240  # spec 1.1: minutes a cold parcel may ride, pickup to hand-in
NODE_KINDS = ("hub", "depot", "port", "station", "junction", "park", "centre")
NODE_ROLES = ("processing_centre", "cross_border_centre", "county_complex")
ROLE_KINDS = ("hub", "centre")  # the node kinds that may carry a role
MAX_NUMBER = 1e12  # a larger number in a document is a fault (and would overflow sums)
BIG_INT_BITS = 64  # integers longer than this are shown by their size, not their digits
REL_TOL = 1e-6
ABS_TOL = 1e-6
MAX_LISTED = 50  # violations spelled out in a PlanInvalidError's message
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG): air legs fly great circles
VEHICLE_KINDS = ("van", "drone")
MINUTES_PER_HOUR = 60.0
_CHUNK = 128  # origins per Dijkstra batch (bounds memory to _CHUNK x nodes floats)
_HHMM = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*$")

Doc = dict[str, Any]
_Pair = tuple[str, str]  # (station node, carrier)


class _SafeRepr(reprlib.Repr):
    """``reprlib`` that also shortens integers too long to print (thousands of digits)."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > BIG_INT_BITS:
            return f"<integer of about {int(x.bit_length() * math.log10(2)) + 1} digits>"
        return super().repr_int(x, level)


_REPR = _SafeRepr()
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = 40
_REPR.maxlevel = 3


@dataclass(frozen=True)
class Violation:
    """One broken rule: its stable name, the object at fault and a readable reason."""

    rule: str
    obj: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.obj}: {self.message}"


class PlanInvalidError(IslandrouteError):
    """A plan breaks the exchange-format rules against its network; lists every violation."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations = list(violations)
        lines = [f"invalid plan ({len(self.violations)} violations):"]
        lines += [f"  - {v}" for v in self.violations[:MAX_LISTED]]
        if len(self.violations) > MAX_LISTED:
            lines.append(f"  ... and {len(self.violations) - MAX_LISTED} more")
        super().__init__("\n".join(lines))


def validate(network: Any, plan: Any) -> list[Violation]:
    """Every violation of the exchange-format rules by ``plan`` on ``network`` (empty if valid).

    ``network``/``plan`` may be documents (dicts) or objects with ``.to_dict()``.
    """
    out: list[Violation] = []
    net = _read_network(_as_doc(network), out)
    if net is None:
        return out
    return _PlanCheck(net, _as_doc(plan), out).run()


def assert_valid(network: Any, plan: Any) -> None:
    """Raise :class:`PlanInvalidError` listing the violations, if there are any."""
    violations = validate(network, plan)
    if violations:
        raise PlanInvalidError(violations)


# ---- values ------------------------------------------------------------------------------


def _as_doc(x: Any) -> Any:
    """A document from a model object (``.to_dict()``) or the document itself."""
    if not isinstance(x, Mapping) and callable(getattr(x, "to_dict", None)):
        return x.to_dict()
    return x


def _is_num(x: Any) -> TypeGuard[float]:
    """A finite number within :data:`MAX_NUMBER` (not a bool, not a string)."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return False
    return -MAX_NUMBER <= x <= MAX_NUMBER  # False for nan; exact for huge ints


def _is_nonneg(x: Any) -> bool:
    return _is_num(x) and x >= 0


def _is_positive(x: Any) -> bool:
    return _is_num(x) and x > 0


def _is_count(x: Any) -> bool:
    """A non-negative whole number (``3`` or ``3.0``)."""
    return _is_nonneg(x) and float(x).is_integer()


def _is_positive_count(x: Any) -> bool:
    return _is_count(x) and x > 0


def _is_id(x: Any) -> bool:
    return isinstance(x, str)


def _is_id_or_none(x: Any) -> bool:
    return x is None or isinstance(x, str)


def _is_bool(x: Any) -> bool:
    return isinstance(x, bool)


def _is_ids(x: Any) -> bool:
    """A list of ids (day names, carrier ids)."""
    return isinstance(x, list) and all(isinstance(d, str) for d in x)


def _is_counts(x: Any) -> bool:
    """Parcels per carrier: ``{"ems": 40}``."""
    return isinstance(x, dict) and all(isinstance(c, str) and _is_count(n) for c, n in x.items())


def _is_patterns(x: Any) -> bool:
    """Allowed visit-day sets: a list of lists of day names."""
    return isinstance(x, list) and all(_is_ids(p) for p in x)


def _minute(x: Any) -> float | None:
    """A minute after midnight from a number or an ``"HH:MM"`` string; None if neither."""
    if _is_num(x):
        return float(x)
    m = _HHMM.match(x) if isinstance(x, str) else None
    return int(m.group(1)) * 60.0 + int(m.group(2)) if m else None


def _is_minute(x: Any) -> bool:
    """A minute of the day >= 0 (a number or ``"HH:MM"``): a deadline such as ``pickup_by``."""
    m = _minute(x)
    return m is not None and m >= 0


def _is_kind(x: Any) -> bool:
    return isinstance(x, str) and x in NODE_KINDS


def _is_role(x: Any) -> bool:
    return isinstance(x, str) and x in NODE_ROLES


def _clock(m: float) -> str:
    """A minute as ``HH:MM`` (hours run past 24 after midnight), the way messages show times."""
    if not float(m).is_integer():
        return f"minute {_fmt(m)}"
    h, mm = divmod(int(m), 60)
    return f"{h:02d}:{mm:02d}"


def _window(x: Any) -> tuple[float, float] | None:
    """A ``[start, end]`` pair of minutes (shift or opening window); None if malformed."""
    if isinstance(x, list | tuple) and len(x) == 2:
        a, b = _minute(x[0]), _minute(x[1])
        if a is not None and b is not None:
            return a, b
    return None


def _is_window(x: Any) -> bool:
    return _window(x) is not None


def _is_timetable(x: Any) -> bool:
    """Ferry departures: day name -> list of minutes or ``"HH:MM"``."""
    return isinstance(x, dict) and all(
        isinstance(times, list) and all(_minute(t) is not None for t in times)
        for times in x.values()
    )


def _tol(*xs: float, n: int = 1) -> float:
    """Tolerance for comparing values of this size (``n`` rounded terms summed)."""
    return REL_TOL * max([1.0, *(abs(x) for x in xs)]) + n * ABS_TOL


def _le(a: float, b: float) -> bool:
    """``a <= b`` up to tolerance."""
    return a <= b + _tol(a, b)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.6g}"


def _show(x: Any) -> str:
    """A short, safe ``repr`` of a faulty value (no huge digit strings, no deep recursion)."""
    return _REPR.repr(x)


def _name(x: Any) -> str:
    """An id as it reads in an object name."""
    return x if isinstance(x, str) and len(x) <= 80 else _show(x)


def _day_set(days: Iterable[str]) -> str:
    return "{" + ", ".join(map(str, days)) + "}"


def _longest_run(indices: Iterable[int]) -> int:
    """Length of the longest run of consecutive integers (horizon day indices)."""
    run = longest = 0
    prev = None
    for i in sorted(set(indices)):
        run = run + 1 if prev is not None and i == prev + 1 else 1
        longest, prev = max(longest, run), i
    return longest


def _most_days_without_long_runs(usable: Iterable[int], max_run: int) -> int:
    """Most days choosable among ``usable`` day indices with no run over ``max_run``.

    A block of ``L`` consecutive usable days holds at most ``L - L // (max_run + 1)``
    (take ``max_run``, skip one); every smaller count fits too.
    """
    total = block = 0
    prev = None
    for i in [*sorted(set(usable)), None]:
        if i is not None and prev is not None and i == prev + 1:
            block += 1
        else:
            total += block - block // (max_run + 1)
            block = 1
        prev = i
    return total


# ---- the network -------------------------------------------------------------------------

_Check = Callable[[Any], bool]
_NET_FIELDS: dict[str, dict[str, tuple[_Check, str]]] = {
    "nodes": {
        "id": (_is_id, "an id"),
        "kind": (_is_kind, f"one of {list(NODE_KINDS)}"),
        "island": (_is_id, "an island id"),
        "lon": (_is_num, "a number"),
        "lat": (_is_num, "a number"),
    },
    "roads": {
        "a": (_is_id, "a node id"),
        "b": (_is_id, "a node id"),
        "km": (_is_nonneg, "km >= 0"),
        "minutes": (_is_nonneg, "minutes >= 0"),
        "bridge": (_is_bool, "true or false"),
    },
    "ferries": {
        "id": (_is_id, "an id"),
        "from": (_is_id, "a node id"),
        "to": (_is_id, "a node id"),
        "minutes": (_is_positive, "minutes > 0"),
        "vehicles": (_is_bool, "true or false"),
        "departures": (_is_timetable, "day -> list of departure minutes"),
    },
    "carriers": {"id": (_is_id, "an id"), "name": (_is_id, "a name")},
    "stations": {
        "node": (_is_id, "a node id"),
        "min_visits": (_is_positive_count, "a whole number >= 1"),
        "open": (_is_window, "[start, end] minutes"),
        "demand": (_is_counts, "carrier -> parcel count"),
    },
    "vehicles": {
        "id": (_is_id, "an id"),
        "carrier": (_is_id_or_none, "a carrier id or null"),
        "depot": (_is_id, "a node id"),
        "capacity": (_is_positive, "a number > 0"),
        "shift": (_is_window, "[start, end] minutes"),
    },
}
# optional fields the validator reads; ``null`` counts as absent
_NET_OPTIONAL: dict[str, dict[str, tuple[_Check, str]]] = {
    "nodes": {"role": (_is_role, f"one of {list(NODE_ROLES)}")},
    "stations": {
        "pickup": (_is_counts, "carrier -> parcel count"),
        "pickup_to": (_is_id, "a node id"),
        "pickup_by": (_is_minute, 'a minute of the day >= 0 (or "HH:MM")'),
        "cold": (_is_bool, "true or false"),
        "max_ride": (_is_positive_count, "a whole number of minutes >= 1"),
        "service_minutes": (_is_nonneg, "minutes >= 0"),
        "patterns": (_is_patterns, "a list of lists of days"),
        "exact_visits": (_is_bool, "true or false"),
    },
    "vehicles": {
        "days": (_is_ids, "a list of days"),
        "refrigerated": (_is_bool, "true or false"),
        "kind": (lambda x: x in VEHICLE_KINDS, f"one of {list(VEHICLE_KINDS)}"),
        "range_km": (_is_positive, "km > 0"),
        "speed_kmh": (_is_positive, "km/h > 0"),
        "load_minutes": (_is_nonneg, "minutes >= 0"),
        "flights_per_day": (_is_positive_count, "a whole number >= 1"),
        "weather_days": (_is_ids, "a list of days"),
    },
}
_RULES_FIELDS: dict[str, tuple[_Check, str]] = {
    "service_days": (_is_ids, "a list of days"),
    "max_consecutive": (_is_positive_count, "a whole number >= 1"),
}
_SINGULAR = {
    "nodes": "node",
    "roads": "road",
    "ferries": "ferry",
    "carriers": "carrier",
    "stations": "station",
    "vehicles": "vehicle",
}


@dataclass
class _Net:
    """The network document, checked, with look-ups by id and its service rules."""

    doc: Doc
    days: list[str]
    nodes: dict[str, Doc]
    stations: dict[str, Doc]
    vehicles: dict[str, Doc]
    ferries: dict[str, Doc]
    carriers: set[str]
    roads: list[Doc]
    straight: bool  # planar without any road: legs run straight (km = minutes = distance)
    service_days: frozenset[str]
    max_consecutive: int
    day_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.day_index = {d: i for i, d in enumerate(self.days)}

    def service_minutes(self, station: Doc) -> float:
        """Minutes a stop at this station must last when it hands over anything."""
        value = station.get("service_minutes")
        return float(value) if value is not None else SERVICE_MINUTES_DEFAULT

    @staticmethod
    def pickup_by(station: Doc) -> float | None:
        """The minute by which a station's collected parcels are handed in (None: no cut-off)."""
        return _minute(station.get("pickup_by"))

    @staticmethod
    def max_ride(station: Doc) -> float | None:
        """Minutes a cold station's parcels may ride (None for a station that is not cold)."""
        if station.get("cold") is not True:
            return None
        value = station.get("max_ride")
        return float(value) if value is not None else float(MAX_RIDE_DEFAULT)

    @cached_property
    def most_spread_visits(self) -> int:
        """Most service days a station can take without a run over ``max_consecutive``:
        asking for more, the model allows any set of days (its default patterns' fallback)."""
        usable = [i for i, d in enumerate(self.days) if d in self.service_days]
        return _most_days_without_long_runs(usable, self.max_consecutive)


def _read_network(net: Any, out: list[Violation]) -> _Net | None:
    """The checked network, or None (after reporting ``format`` faults) if it is unusable."""
    n0 = len(out)
    if not isinstance(net, dict):
        out.append(Violation("format", "network", "expected a network document (JSON object)"))
        return None
    if net.get("format") not in NETWORK_FORMATS:
        out.append(
            Violation(
                "format",
                "network",
                f"format is {_show(net.get('format'))}, expected one of {list(NETWORK_FORMATS)}",
            )
        )
    _check_network_top(net, out)
    for coll in _NET_FIELDS:
        _check_collection(net, coll, out)
    if len(out) == n0:
        _check_references(net, out)
    if len(out) > n0:
        return None
    return _build_network(net)


def _check_network_top(net: Doc, out: list[Violation]) -> None:
    """Days, geometry and rules at the network's top level."""
    if not _is_ids(net.get("days")) or not net["days"]:
        out.append(Violation("format", "network", "days: expected a list of day names"))
    if net.get("geometry", "lonlat") not in ("lonlat", "planar"):
        out.append(Violation("format", "network", "geometry: expected 'lonlat' or 'planar'"))
    rules = net.get("rules")
    if rules is None:
        return
    if not isinstance(rules, dict):
        out.append(Violation("format", "network", "rules: expected an object"))
        return
    for name, (check, what) in _RULES_FIELDS.items():
        if rules.get(name) is not None and not check(rules[name]):
            message = f"{name}: expected {what}, got {_show(rules[name])}"
            out.append(Violation("format", "network rules", message))


def _check_collection(net: Doc, coll: str, out: list[Violation]) -> None:
    """Every item of one network list has its fields, with values of the right kind."""
    items = net.get(coll)
    if not isinstance(items, list):
        out.append(Violation("format", "network", f"{coll}: expected a list"))
        return
    required, optional = _NET_FIELDS[coll], _NET_OPTIONAL.get(coll, {})
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            out.append(Violation("format", f"network {coll}[{i}]", "expected an object"))
            continue
        ident = item.get("id", item.get("node", f"#{i}"))
        obj = f"{_SINGULAR[coll]} {_name(ident)}"
        missing = [f for f in required if f not in item]
        if missing:
            out.append(Violation("format", obj, f"missing fields {missing}"))
        checks = [(f, c) for f, c in required.items() if f in item]
        checks += [(f, c) for f, c in optional.items() if item.get(f) is not None]
        for name, (check, what) in checks:
            if not check(item[name]):
                out.append(
                    Violation("format", obj, f"{name}: expected {what}, got {_show(item[name])}")
                )


def _check_references(net: Doc, out: list[Violation]) -> None:
    """Fields that name other things (of a network whose items are well formed): a
    station's ``pickup_to`` is a node; a role sits on a hub or centre."""
    nodes = {n["id"]: n for n in net["nodes"]}
    for s in net["stations"]:
        to = s.get("pickup_to")
        if to is not None and to not in nodes:
            message = f"pickup_to: unknown node {to!r}"
            out.append(Violation("format", f"station {_name(s['node'])}", message))
    for n in net["nodes"]:
        if n.get("role") is not None and n["kind"] not in ROLE_KINDS:
            message = f"role {n['role']!r} is allowed on a hub or centre, not on a {n['kind']}"
            out.append(Violation("format", f"node {_name(n['id'])}", message))
    for v in net["vehicles"]:
        if _is_drone(v):
            missing = [f for f in ("range_km", "speed_kmh") if v.get(f) is None]
            if missing:
                message = f"a drone needs {missing}"
                out.append(Violation("format", f"vehicle {_name(v['id'])}", message))


def _is_drone(v: Doc) -> bool:
    return v.get("kind") == "drone"


def _air_km(a: Doc, b: Doc, planar: bool) -> float:
    """Straight km between two nodes: Euclidean on a planar network, else great circle."""
    x1, y1, x2, y2 = (float(a["lon"]), float(a["lat"]), float(b["lon"]), float(b["lat"]))
    if planar:
        return math.hypot(x1 - x2, y1 - y2)
    p1, p2 = math.radians(y1), math.radians(y2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(x2 - x1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _build_network(net: Doc) -> _Net:
    """Look-ups and service rules of a network document that passed its checks."""
    days = list(net["days"])
    rules = net.get("rules") or {}
    service_days = rules.get("service_days")
    if service_days is None:
        service_days = WEEK_SERVICE_DAYS if tuple(days) == WEEK else days
    max_consecutive = rules.get("max_consecutive")
    planar = net.get("geometry", "lonlat") == "planar"
    return _Net(
        doc=net,
        days=days,
        nodes={n["id"]: n for n in net["nodes"]},
        stations={s["node"]: s for s in net["stations"]},
        vehicles={v["id"]: v for v in net["vehicles"]},
        ferries={f["id"]: f for f in net["ferries"]},
        carriers={c["id"] for c in net["carriers"]},
        roads=net["roads"],
        straight=planar and not net["roads"],
        service_days=frozenset(service_days),
        max_consecutive=int(max_consecutive or MAX_CONSECUTIVE_DEFAULT),
    )


# ---- roads -------------------------------------------------------------------------------


class _RoadBounds:
    """Shortest road minutes and km between node pairs, by Dijkstra from the origins asked.

    A network that travels ``straight`` (planar, no roads) bounds a leg by the Euclidean
    distance instead; any other network only by its roads.
    """

    def __init__(self, net: _Net):
        self.nodes = net.nodes
        self.straight = net.straight
        self.index = {nid: i for i, nid in enumerate(net.nodes)}
        best_t: dict[tuple[int, int], float] = {}
        best_k: dict[tuple[int, int], float] = {}
        for r in net.roads:
            a, b = self.index.get(r["a"]), self.index.get(r["b"])
            if a is None or b is None or a == b:
                continue
            key = (min(a, b), max(a, b))
            best_t[key] = min(best_t.get(key, math.inf), float(r["minutes"]))
            best_k[key] = min(best_k.get(key, math.inf), float(r["km"]))
        self.minutes = self._matrix(best_t, len(self.index))
        self.km = self._matrix(best_k, len(self.index))
        self.has_roads = bool(best_t)

    @staticmethod
    def _matrix(weights: dict[tuple[int, int], float], n: int) -> csr_matrix:
        if not weights:
            return csr_matrix((n, n))
        keys = list(weights)
        rows = np.array([k[0] for k in keys] + [k[1] for k in keys], dtype=np.int64)
        cols = np.array([k[1] for k in keys] + [k[0] for k in keys], dtype=np.int64)
        # zero-weight roads become a tiny weight so that the sparse graph keeps them
        w = np.array([max(weights[k], 1e-12) for k in keys] * 2)
        return csr_matrix((w, (rows, cols)), shape=(n, n))

    def _euclid(self, a: str, b: str) -> float:
        na, nb = self.nodes[a], self.nodes[b]
        return math.hypot(float(na["lon"]) - float(nb["lon"]), float(na["lat"]) - float(nb["lat"]))

    def _shortest(
        self, matrix: csr_matrix, needs: dict[str, dict[str, float]]
    ) -> dict[tuple[str, str], float]:
        """Shortest distances origin -> target, searched only as far as the legs need.

        ``needs[a][b]`` is the largest value a leg a->b claims; Dijkstra from ``a`` stops
        beyond that (``limit=``), since only a shorter path can break the lower bound. A
        pair left unreached is searched again without a limit, for the exact figure.
        """
        if not self.has_roads:
            return {(a, b): math.inf for a, tg in needs.items() for b in tg}
        out: dict[tuple[str, str], float] = {}
        todo = sorted(needs, key=lambda a: max(needs[a].values()))
        for limited in (True, False):
            unreached = self._search(matrix, needs, todo, limited, out)
            if not unreached:
                break
            todo = unreached
        return out

    def _search(
        self,
        matrix: csr_matrix,
        needs: dict[str, dict[str, float]],
        origins: list[str],
        limited: bool,
        out: dict[tuple[str, str], float],
    ) -> list[str]:
        """One batched Dijkstra pass; the origins with a target left unreached."""
        unreached: list[str] = []
        for start in range(0, len(origins), _CHUNK):
            chunk = origins[start : start + _CHUNK]
            limit = max(max(needs[a].values()) for a in chunk)
            limit = limit + _tol(limit) + 1.0 if limited else np.inf
            dist = dijkstra(
                matrix, directed=True, indices=[self.index[a] for a in chunk], limit=limit
            )
            for row, a in enumerate(chunk):
                for b in needs[a]:
                    d = float(dist[row, self.index[b]])
                    if math.isinf(d) and limited:
                        unreached.append(a)
                    out[(a, b)] = d
        return list(dict.fromkeys(unreached))

    def bounds(
        self, claims: Iterable[tuple[str, str, float, float]]
    ) -> dict[tuple[str, str], tuple[float, float]]:
        """``(a, b) -> (min minutes, min km)`` for legs ``(a, b, minutes, km)``.

        ``inf`` when no road path joins them. Exact wherever a leg could be too short.
        """
        out: dict[tuple[str, str], tuple[float, float]] = {}
        need_t: dict[str, dict[str, float]] = defaultdict(dict)
        need_k: dict[str, dict[str, float]] = defaultdict(dict)
        for a, b, t, k in claims:
            if a == b:
                out[(a, b)] = (0.0, 0.0)
            elif self.straight:
                e = self._euclid(a, b)
                out[(a, b)] = (e, e)
            else:
                need_t[a][b] = max(need_t[a].get(b, 0.0), max(t, 0.0))
                need_k[a][b] = max(need_k[a].get(b, 0.0), max(k, 0.0))
        if need_t:
            dt = self._shortest(self.minutes, need_t)
            dk = self._shortest(self.km, need_k)
            out.update({key: (t, dk[key]) for key, t in dt.items()})
        return out


# ---- the plan ----------------------------------------------------------------------------

_ROUTE_REQUIRED = ("day", "vehicle", "carriers", "stops", "legs", "km", "cost")
_STOP_REQUIRED = ("node", "arrive", "depart", "deliver")
_LEG_REQUIRED = ("from", "to", "mode", "depart", "arrive", "km")
_TOTALS_REQUIRED = ("cost", "km", "vehicles", "ferry_crossings", "co2_kg")
_PARCEL_FIELDS = ("deliver", "pickup")  # what a stop hands over at a station
_HANDIN = "handin"  # what a stop hands in (spec 1.1), at any node
_UNSERVED_REQUIRED = ("station", "carrier", "parcels", "rule")


def _counts(s: Doc, what: str) -> Iterator[tuple[str, int]]:
    """The valid, non-zero parcel counts of a stop's ``deliver`` or ``pickup``."""
    for c, n in (s.get(what) or {}).items():
        if _is_count(n) and n > 0:
            yield c, int(n)


def _frequency_carriers(st: Doc) -> list[str]:
    """The carriers a station receives from or sends for: each owes it visits."""
    pickup = st.get("pickup") or {}
    carriers = st["demand"].keys() | pickup.keys()
    return sorted(c for c in carriers if st["demand"].get(c, 0) + pickup.get(c, 0) > 0)


def _hands_over(s: Doc) -> bool:
    """Whether a stop delivers or collects any parcel."""
    return any(True for what in _PARCEL_FIELDS for _ in _counts(s, what))


@dataclass
class _Move:
    """Parcels a stop delivers, collects and hands in (valid counts only)."""

    deliver: int
    pickup: int
    handin: int


@dataclass
class _Batch:
    """Parcels of one station and carrier collected at one stop, waiting to be handed in."""

    stop: int
    station: str
    carrier: str
    dest: str  # the node where they are handed in
    collected: int
    depart: float  # the pickup stop's departure: a cold ride starts here
    pickup_by: float | None
    max_ride: float | None  # cold parcels only
    left: int = field(init=False)

    def __post_init__(self) -> None:
        self.left = self.collected

    @property
    def due(self) -> float:
        """The latest hand-in: ``pickup_by``, and for cold parcels ``depart + max_ride``."""
        dues = [self.pickup_by, None if self.max_ride is None else self.depart + self.max_ride]
        return min((d for d in dues if d is not None), default=math.inf)

    def describe(self, n: int) -> str:
        """``n`` of these parcels, as a message names them."""
        where = f"(collected at stop {self.stop})"
        return f"{n} {self.carrier} parcels of station {self.station!r} {where}"


@dataclass
class _Tally:
    """Parcels per (station, carrier) over the horizon, and the days each pair is visited."""

    delivered: Counter[_Pair] = field(default_factory=Counter)
    picked: Counter[_Pair] = field(default_factory=Counter)
    visit_days: dict[_Pair, set[str]] = field(default_factory=lambda: defaultdict(set))


class _PlanCheck:
    """One validation run of a plan document against a checked network."""

    def __init__(self, net: _Net, plan: Any, out: list[Violation]) -> None:
        self.net = net
        self.plan = plan
        self.out = out
        self.mode: Any = None
        self.unserved: dict[_Pair, int] = {}

    def add(self, rule: str, obj: str, message: str) -> None:
        self.out.append(Violation(rule, obj, message))

    def run(self) -> list[Violation]:
        """All checks in order; structural faults stop the checks that depend on them."""
        routes = self._read_plan()
        if routes is None:
            return self.out
        good = self._good_routes(routes)
        road_legs: list[tuple[str, Doc]] = []
        for obj, r in good:
            self._check_route(obj, r, road_legs)
        self._check_roads(road_legs)
        self._check_one_per_day(good)
        self._check_horizon(good)
        if len(good) == len(routes):
            self._check_totals(good)
        return self.out

    # ---- document shape ----------------------------------------------------------------
    def _read_plan(self) -> list[Any] | None:
        """Check the plan document's top level; the routes list, or None if unusable."""
        plan = self.plan
        if not isinstance(plan, dict):
            self.add("format", "plan", "expected a plan document (JSON object)")
            return None
        if plan.get("format") not in PLAN_FORMATS:
            self.add(
                "format",
                "plan",
                f"format is {_show(plan.get('format'))}, expected one of {list(PLAN_FORMATS)}",
            )
        self._check_network_name(plan)
        self.mode = plan.get("mode")
        if "mode" not in plan:
            self.add("format", "plan", "missing field 'mode'")
        elif self.mode not in ("joint", "separate"):
            self.add("mode", "plan", f"mode is {_show(self.mode)}, expected 'joint' or 'separate'")
        self._check_totals_format(plan.get("totals"))
        self.unserved = self._read_unserved(plan)
        routes = plan.get("routes")
        if not isinstance(routes, list):
            self.add("format", "plan", "routes: expected a list")
            return None
        return routes

    def _check_network_name(self, plan: Doc) -> None:
        """The plan names the network it was made for."""
        if "network" not in plan:
            self.add("format", "plan", "missing field 'network'")
        elif plan["network"] != self.net.doc.get("name"):
            self.add(
                "network-name",
                "plan",
                f"plan is for network {_show(plan['network'])}, "
                f"not {_show(self.net.doc.get('name'))}",
            )

    def _check_totals_format(self, totals: Any) -> None:
        if not isinstance(totals, dict):
            self.add("format", "plan", "totals: expected an object")
            return
        for f in _TOTALS_REQUIRED:
            if f not in totals:
                self.add("format", "plan totals", f"missing field {f!r}")
            elif not _is_num(totals[f]):
                self.add("format", "plan totals", f"{f}: expected a number, got {_show(totals[f])}")

    def _good_routes(self, routes: list[Any]) -> list[tuple[str, Doc]]:
        """The well-formed routes, each with its name (``route mon/v1``, ``#2`` if repeated)."""
        names = [
            f"{_name(r.get('day'))}/{_name(r.get('vehicle'))}" if isinstance(r, dict) else ""
            for r in routes
        ]
        total, seen = Counter(names), Counter[str]()
        good: list[tuple[str, Doc]] = []
        for i, (r, name) in enumerate(zip(routes, names, strict=True)):
            if not isinstance(r, dict):
                self.add("format", f"route #{i}", "expected an object")
                continue
            seen[name] += 1
            obj = f"route {name}" + (f" #{seen[name]}" if total[name] > 1 else "")
            if self._route_format(obj, r):
                good.append((obj, r))
        return good

    def _route_format(self, obj: str, r: Doc) -> bool:
        """Check a route's fields and types; False (after reporting) if it cannot be checked."""
        n0 = len(self.out)
        missing = [f for f in _ROUTE_REQUIRED if f not in r]
        if missing:
            self.add("format", obj, f"missing fields {missing}")
            return False
        if not isinstance(r["day"], str) or not isinstance(r["vehicle"], str):
            self.add("format", obj, "day and vehicle must be strings")
        if not _is_ids(r["carriers"]):
            self.add("format", obj, "carriers: expected a list of carrier ids")
        elif len(set(r["carriers"])) != len(r["carriers"]):
            self.add("format", obj, f"carriers {r['carriers']} repeat a carrier")
        for f in ("km", "cost"):
            if not _is_num(r[f]):
                self.add("format", obj, f"{f}: expected a number, got {_show(r[f])}")
        stops, legs = r["stops"], r["legs"]
        if not isinstance(stops, list) or len(stops) < 2:
            self.add("format", obj, "stops: expected a list of at least two stops")
            return False
        if not isinstance(legs, list):
            self.add("format", obj, "legs: expected a list")
            return False
        for k, s in enumerate(stops):
            self._stop_format(f"{obj} stop {k}", s)
        for j, g in enumerate(legs):
            self._leg_format(f"{obj} leg {j}", g)
        return len(self.out) == n0

    def _stop_format(self, where: str, s: Any) -> None:
        if not isinstance(s, dict):
            self.add("format", where, "expected an object")
            return
        missing = [f for f in _STOP_REQUIRED if f not in s]
        if missing:
            self.add("format", where, f"missing fields {missing}")
            return
        if not isinstance(s["node"], str):
            self.add("format", where, "node: expected a node id")
        for f in ("arrive", "depart"):
            if not _is_nonneg(s[f]):
                self.add("format", where, f"{f}: expected minutes >= 0, got {_show(s[f])}")
        for f in (*_PARCEL_FIELDS, _HANDIN):
            if f in s and not (isinstance(s[f], dict) and all(isinstance(c, str) for c in s[f])):
                self.add("format", where, f"{f}: expected an object of carrier counts")

    def _leg_format(self, where: str, g: Any) -> None:
        if not isinstance(g, dict):
            self.add("format", where, "expected an object")
            return
        missing = [f for f in _LEG_REQUIRED if f not in g]
        if g.get("mode") == "ferry" and "ferry" not in g:
            missing.append("ferry")
        if missing:
            self.add("format", where, f"missing fields {missing}")
            return
        if not isinstance(g["from"], str) or not isinstance(g["to"], str):
            self.add("format", where, "from/to: expected node ids")
        if g["mode"] not in ("road", "ferry", "air"):
            message = f"mode is {_show(g['mode'])}, expected 'road', 'ferry' or 'air'"
            self.add("format", where, message)
        elif g["mode"] == "ferry" and not isinstance(g["ferry"], str):
            self.add("format", where, "ferry: expected a ferry id")
        for f in ("depart", "arrive", "km"):
            if not _is_nonneg(g[f]):
                self.add("format", where, f"{f}: expected a number >= 0, got {_show(g[f])}")

    # ---- declared unserved parcels -----------------------------------------------------
    def _read_unserved(self, plan: Doc) -> dict[_Pair, int]:
        """The well-formed ``unserved`` declarations: (station, carrier) -> parcels."""
        raw = plan.get("unserved")
        if raw is None:
            return {}
        if not isinstance(raw, list):
            self.add("unserved", "plan", f"unserved: expected a list, got {_show(raw)}")
            return {}
        declared: dict[_Pair, int] = {}
        for i, entry in enumerate(raw):
            pair = self._unserved_entry(f"plan unserved[{i}]", entry)
            if pair is None:
                continue
            if pair in declared:
                self.add("unserved", f"plan unserved[{i}]", f"repeats station/carrier {pair}")
                continue
            declared[pair] = int(entry["parcels"])
        return declared

    def _unserved_entry(self, obj: str, e: Any) -> _Pair | None:
        """Check one declaration; its (station, carrier), or None (reported) if faulty."""
        if not isinstance(e, dict):
            self.add("unserved", obj, "expected an object")
            return None
        missing = [f for f in _UNSERVED_REQUIRED if f not in e]
        if missing:
            self.add("unserved", obj, f"missing fields {missing}")
            return None
        station, carrier, parcels = e["station"], e["carrier"], e["parcels"]
        st = self.net.stations.get(station) if isinstance(station, str) else None
        problem = None
        if st is None:
            problem = f"unknown station {_show(station)}"
        elif not isinstance(carrier, str) or carrier not in self.net.carriers:
            problem = f"unknown carrier {_show(carrier)}"
        elif not isinstance(e["rule"], str) or not e["rule"]:
            problem = f"rule: expected the name of the rule that stopped it, got {_show(e['rule'])}"
        elif not isinstance(e.get("message", ""), str):
            problem = "message: expected text"
        else:
            demand = st["demand"].get(carrier, 0)
            if not (_is_count(parcels) and parcels <= demand):
                problem = (
                    f"parcels {_show(parcels)} is not a count in 0..{_fmt(demand)} "
                    f"(the station's {carrier} demand)"
                )
        if problem:
            self.add("unserved", obj, problem)
            return None
        return station, carrier

    def _entirely_unserved(self, pair: _Pair, demand: float) -> bool:
        """Whether the plan declares every parcel of this pair undeliverable."""
        return pair in self.unserved and self.unserved[pair] == demand

    # ---- one route ---------------------------------------------------------------------
    def _check_route(self, obj: str, r: Doc, road_legs: list[tuple[str, Doc]]) -> None:
        """Every rule that concerns one route alone."""
        day, stops, legs = r["day"], r["stops"], r["legs"]
        if day not in self.net.day_index:
            self.add("day", obj, f"unknown day {day!r} (horizon {self.net.days})")
        vehicle = self.net.vehicles.get(r["vehicle"])
        if vehicle is None:
            self.add("vehicle", obj, f"unknown vehicle {r['vehicle']!r}")
        for c in r["carriers"]:
            if c not in self.net.carriers:
                self.add("carrier", obj, f"unknown carrier {c!r}")
        nodes_ok = self._check_nodes(obj, stops, legs)
        if vehicle is not None:
            self._check_vehicle(obj, r, vehicle)
        self._check_chain(obj, stops, legs)
        drone = vehicle is not None and _is_drone(vehicle)
        for j, g in enumerate(legs):
            if vehicle is not None and (g["mode"] == "air") != drone:
                what = f"a {g['mode']} leg" if drone else "an air leg"
                owner = "drone" if drone else "van"
                self.add("air-leg", f"{obj} leg {j}", f"{what} on a {owner}'s route")
            elif g["mode"] == "air" and nodes_ok and vehicle is not None:
                self._check_air_leg(f"{obj} leg {j}", g, vehicle)
            if g["mode"] == "ferry":
                self._check_ferry(f"{obj} leg {j}", day, g)
            elif g["mode"] == "road" and nodes_ok:
                road_legs.append((f"{obj} leg {j}", g))
        if drone and nodes_ok:
            assert vehicle is not None
            self._check_flights(obj, r, vehicle)
        self._check_stops(obj, r, vehicle)
        self._check_service_days(obj, r)
        km = sum(float(g["km"]) for g in legs)
        if abs(km - float(r["km"])) > _tol(km, r["km"], n=len(legs) + 1):
            self.add("route-km", obj, f"km {_fmt(r['km'])} but its legs sum to {_fmt(km)}")

    # ---- drones --------------------------------------------------------------------------
    def _air(self, a: str, b: str) -> float:
        nodes = self.net.nodes
        return _air_km(nodes[a], nodes[b], self.net.doc.get("geometry") == "planar")

    def _check_air_leg(self, where: str, g: Doc, drone: Doc) -> None:
        """An air leg flies the straight line, no faster than the drone's speed."""
        km = self._air(g["from"], g["to"])
        if abs(float(g["km"]) - km) > _tol(km, g["km"]):
            self.add("air-km", where, f"flies {_fmt(g['km'])} km; the straight line is {km:.6g}")
        need = km / float(drone["speed_kmh"]) * MINUTES_PER_HOUR
        took = float(g["arrive"]) - float(g["depart"])
        if not _le(need, took):
            self.add(
                "air-time",
                where,
                f"takes {_fmt(took)} minutes for {km:.6g} km; drone {drone['id']!r} at "
                f"{_fmt(drone['speed_kmh'])} km/h needs {need:.6g}",
            )

    def _check_flights(self, obj: str, r: Doc, drone: Doc) -> None:
        """A drone's day: weather, flights a day, and each flight's range and loading time."""
        weather = drone.get("weather_days")
        if weather is not None and r["day"] not in weather:
            self.add(
                "drone-weather", obj, f"drone {drone['id']!r} flies only on {_day_set(weather)}"
            )
        base, stops = drone["depot"], r["stops"]
        starts = [k for k, s in enumerate(stops[:-1]) if s["node"] == base]
        cap = drone.get("flights_per_day")
        if cap is not None and len(starts) > cap:
            message = f"{len(starts)} flights, over the {_fmt(cap)} a day of drone {drone['id']!r}"
            self.add("drone-flights", obj, message)
        load = float(drone.get("load_minutes") or 0.0)
        for k in starts:
            s = stops[k]
            if not _le(load, float(s["depart"]) - float(s["arrive"])):
                self.add(
                    "drone-load",
                    f"{obj} stop {k}",
                    f"takes off {_fmt(float(s['depart']) - float(s['arrive']))} minutes after "
                    f"landing at base; loading takes {_fmt(load)}",
                )
        n, km = 0, 0.0
        for g in r["legs"]:
            km += self._air(g["from"], g["to"])
            if g["to"] == base:
                if not _le(km, float(drone["range_km"])):
                    self.add(
                        "drone-range",
                        f"{obj} flight {n}",
                        f"flies {km:.6g} km, over the range {_fmt(drone['range_km'])} of drone "
                        f"{drone['id']!r}",
                    )
                n, km = n + 1, 0.0

    def _check_nodes(self, obj: str, stops: list[Doc], legs: list[Doc]) -> bool:
        """Every stop and leg end is a known node; False if any is not."""
        n0 = len(self.out)
        for k, s in enumerate(stops):
            if s["node"] not in self.net.nodes:
                self.add("node", f"{obj} stop {k}", f"unknown node {s['node']!r}")
        for j, g in enumerate(legs):
            for end in ("from", "to"):
                if g[end] not in self.net.nodes:
                    self.add("node", f"{obj} leg {j}", f"{end}: unknown node {g[end]!r}")
        return len(self.out) == n0

    def _check_vehicle(self, obj: str, r: Doc, v: Doc) -> None:
        """Depot at both ends, vehicle days, shift, separate-mode carrier."""
        stops = r["stops"]
        for end, s in (("first", stops[0]), ("last", stops[-1])):
            if s["node"] != v["depot"]:
                self.add(
                    "depot-ends",
                    obj,
                    f"{end} stop is {s['node']!r}, not the depot {v['depot']!r} of vehicle "
                    f"{v['id']!r}",
                )
        vdays = v.get("days")
        if vdays is not None and r["day"] not in vdays:
            self.add("vehicle-days", obj, f"vehicle {v['id']!r} runs only on {_day_set(vdays)}")
        self._check_shift(obj, stops, v)
        if self.mode == "separate":
            self._check_separate(obj, r, v)

    def _check_shift(self, obj: str, stops: list[Doc], v: Doc) -> None:
        """The route starts and ends inside its vehicle's shift."""
        shift = _window(v["shift"])
        assert shift is not None  # checked with the network
        start, end = stops[0]["arrive"], stops[-1]["arrive"]
        if not _le(shift[0], start):
            message = f"starts at {_fmt(start)}, before the shift start {_fmt(shift[0])}"
            self.add("shift", obj, message)
        if not _le(end, shift[1]):
            self.add("shift", obj, f"ends at {_fmt(end)}, after the shift end {_fmt(shift[1])}")

    def _check_separate(self, obj: str, r: Doc, v: Doc) -> None:
        """In separate mode a route carries exactly its vehicle's own carrier."""
        owner = v["carrier"]
        if owner is None:
            self.add(
                "separate-carrier", obj, f"shared vehicle {v['id']!r} runs a route in separate mode"
            )
        elif r["carriers"] != [owner]:
            self.add(
                "separate-carrier",
                obj,
                f"carries {r['carriers']} in separate mode; vehicle {v['id']!r} carries only "
                f"[{owner!r}]",
            )

    def _check_chain(self, obj: str, stops: list[Doc], legs: list[Doc]) -> None:
        """Stops joined by contiguous leg chains, and times that only move forward."""
        for k, s in enumerate(stops):
            if not _le(s["arrive"], s["depart"]):
                self.add(
                    "times",
                    f"{obj} stop {k}",
                    f"arrives {_fmt(s['arrive'])} after it departs {_fmt(s['depart'])}",
                )
        j = 0
        for k in range(len(stops) - 1):
            j_next = self._check_hop(obj, k, stops[k], stops[k + 1], legs, j)
            if j_next is None:
                return
            j = j_next
        if j < len(legs):
            self.add("leg-chain", obj, f"{len(legs) - j} legs after the last stop")

    def _check_hop(self, obj: str, k: int, a: Doc, b: Doc, legs: list[Doc], j: int) -> int | None:
        """Legs from ``j`` on join stop ``k`` to stop ``k+1``; the next leg, None if broken."""
        where = f"{obj} stops {k}->{k + 1}"
        if j >= len(legs):
            self.add("leg-chain", where, f"no leg joins {a['node']!r} to {b['node']!r}")
            return None
        if legs[j]["from"] != a["node"]:
            self.add(
                "leg-chain",
                where,
                f"leg {j} starts at {legs[j]['from']!r}, not at stop {k}'s {a['node']!r}",
            )
            return None
        clock, clock_what = a["depart"], f"stop {k} departs"
        while True:
            g = legs[j]
            self._check_leg_times(f"{obj} leg {j}", g, clock, clock_what)
            clock, clock_what = g["arrive"], f"leg {j} arrives"
            j += 1
            if g["to"] == b["node"]:
                break
            if j >= len(legs):
                self.add(
                    "leg-chain",
                    where,
                    f"legs end at {g['to']!r} without reaching stop {k + 1}'s {b['node']!r}",
                )
                return None
            if legs[j]["from"] != g["to"]:
                self.add(
                    "leg-chain",
                    where,
                    f"leg {j - 1} ends at {g['to']!r} but leg {j} starts at {legs[j]['from']!r}",
                )
                return None
        if not _le(clock, b["arrive"]):
            self.add(
                "times",
                f"{obj} stop {k + 1}",
                f"arrives {_fmt(b['arrive'])} before {clock_what} {_fmt(clock)}",
            )
        return j

    def _check_leg_times(self, where: str, g: Doc, clock: float, clock_what: str) -> None:
        """A leg leaves no earlier than the clock and arrives no earlier than it leaves."""
        if not _le(clock, g["depart"]):
            self.add(
                "times", where, f"departs {_fmt(g['depart'])} before {clock_what} {_fmt(clock)}"
            )
        if not _le(g["depart"], g["arrive"]):
            self.add(
                "times",
                where,
                f"arrives {_fmt(g['arrive'])} before it departs {_fmt(g['depart'])}",
            )

    def _check_ferry(self, where: str, day: str, g: Doc) -> None:
        """A ferry leg is one crossing of a named ferry at a listed departure."""
        f = self.net.ferries.get(g["ferry"])
        if f is None:
            self.add("ferry-unknown", where, f"unknown ferry {g['ferry']!r}")
            return
        if (g["from"], g["to"]) != (f["from"], f["to"]):
            self.add(
                "ferry-ends",
                where,
                f"goes {g['from']!r}->{g['to']!r} but ferry {f['id']!r} sails "
                f"{f['from']!r}->{f['to']!r}",
            )
        if not f["vehicles"]:
            self.add("ferry-vehicles", where, f"ferry {f['id']!r} carries no vehicles")
        if abs(float(g["km"])) > _tol():
            self.add("ferry-km", where, f"km is {_fmt(g['km'])}; a ferry leg's km is 0")
        if day in self.net.day_index:
            self._check_departure(where, day, g, f)
        self._check_crossing_time(where, g, f)

    def _check_departure(self, where: str, day: str, g: Doc, f: Doc) -> None:
        """The crossing leaves at a departure listed for its day (past midnight: a later day)."""
        dep = float(g["depart"])
        shift_days, clock = divmod(dep, MINUTES_PER_DAY)
        days = self.net.days
        ferry_day = days[(self.net.day_index[day] + int(shift_days)) % len(days)]
        times = [m for m in map(_minute, f["departures"].get(ferry_day, [])) if m is not None]
        if not any(abs(clock - t) <= _tol(t) for t in times):
            when = f"only at {sorted(times)}" if times else "never"
            self.add(
                "ferry-departure",
                where,
                f"departs {_fmt(dep)} but ferry {f['id']!r} leaves on {ferry_day} {when}",
            )

    def _check_crossing_time(self, where: str, g: Doc, f: Doc) -> None:
        """The crossing arrives after the ferry's minutes (rounded up to a whole minute)."""
        due = float(g["depart"]) + float(f["minutes"])
        arr = float(g["arrive"])
        if abs(arr - due) > _tol(due) and abs(arr - math.ceil(due - _tol(due))) > _tol(due):
            self.add(
                "ferry-duration",
                where,
                f"arrives {_fmt(arr)} but ferry {f['id']!r} takes {_fmt(f['minutes'])} "
                f"minutes (due {_fmt(due)})",
            )

    # ---- stops -------------------------------------------------------------------------
    def _check_stops(self, obj: str, r: Doc, vehicle: Doc | None) -> None:
        """Hand-over counts, windows, service time, hand-ins and the load along the route."""
        moves = [
            self._check_handover(f"{obj} stop {k}", r, s, s["node"] in self.net.stations)
            for k, s in enumerate(r["stops"])
        ]
        for k, s in self._visit_stops(r):
            self._check_station_stop(f"{obj} stop {k}", self.net.stations[s["node"]], s)
        if vehicle is not None and _is_drone(vehicle):
            self._check_payload(obj, r, vehicle, moves)
            self._check_handins(obj, r, vehicle)
        elif vehicle is not None:
            self._check_capacity(obj, vehicle, moves)
            self._check_handins(obj, r, vehicle)

    def _check_handover(self, where: str, r: Doc, s: Doc, at_station: bool) -> _Move:
        """Check a stop's parcel counts; the parcels it delivers, collects and hands in."""
        moved = {what: 0 for what in (*_PARCEL_FIELDS, _HANDIN)}
        for what in _PARCEL_FIELDS:
            for c, n in (s.get(what) or {}).items():
                if not _is_count(n):
                    self.add("deliver-count", where, f"{what} {c}: {_show(n)} is not a count >= 0")
                    continue
                if n == 0:
                    continue
                if c not in r["carriers"]:
                    self.add(
                        "deliver-carrier",
                        where,
                        f"{what}s {_fmt(n)} for {c!r}, not among the route's carriers "
                        f"{r['carriers']}",
                    )
                if not at_station:
                    self.add(
                        "deliver-station",
                        where,
                        f"{what}s {_fmt(n)} for {c!r} at {s['node']!r}, not a station",
                    )
                moved[what] += int(n)
        for c, n in (s.get(_HANDIN) or {}).items():
            if not _is_count(n):
                self.add("deliver-count", where, f"{_HANDIN} {c}: {_show(n)} is not a count >= 0")
            else:
                moved[_HANDIN] += int(n)
        return _Move(moved["deliver"], moved["pickup"], moved[_HANDIN])

    def _check_capacity(self, obj: str, vehicle: Doc, moves: list[_Move]) -> None:
        """The load at every point fits the vehicle: every delivery on board at the start;
        after each stop less what it delivers and hands in, plus what it collects."""
        load = peak = sum(m.deliver for m in moves)
        at = "leaving the depot"
        over = int(peak > vehicle["capacity"])
        for k, m in enumerate(moves):
            load += m.pickup - m.deliver - m.handin
            over += load > vehicle["capacity"]
            if load > peak:
                peak, at = load, f"after stop {k}"
        cap = vehicle["capacity"]
        if peak > cap:
            points = f" (over at {over} points)" if over > 1 else ""
            self.add(
                "capacity",
                obj,
                f"carries {peak} parcels {at}, over the capacity {_fmt(cap)} of vehicle "
                f"{vehicle['id']!r}{points}",
            )

    def _check_payload(self, obj: str, r: Doc, drone: Doc, moves: list[_Move]) -> None:
        """Each flight (base stop to base stop) starts with its own deliveries on board and
        never carries more than the drone's payload ``capacity``."""
        base, cap = drone["depot"], drone["capacity"]
        flights: list[list[_Move]] = []
        for s, m in zip(r["stops"], moves, strict=True):
            if s["node"] == base:
                flights.append([])
            elif flights:
                flights[-1].append(m)
        for n, flight in enumerate(f for f in flights if f):
            load = peak = sum(m.deliver for m in flight)
            for m in flight:
                load += m.pickup - m.deliver - m.handin
                peak = max(peak, load)
            if peak > cap:
                self.add(
                    "capacity",
                    f"{obj} flight {n}",
                    f"carries {peak} parcels, over the payload {_fmt(cap)} of drone "
                    f"{drone['id']!r}",
                )

    # ---- hand-ins ----------------------------------------------------------------------
    def _check_handins(self, obj: str, r: Doc, vehicle: Doc) -> None:
        """Collected parcels are handed in at their destination, in time, by the route's end;
        cold ones ride refrigerated vehicles and not too long."""
        waiting: list[_Batch] = []
        for k, s in enumerate(r["stops"]):
            station = self.net.stations.get(s["node"])
            if station is not None:  # a pickup elsewhere breaks deliver-station
                for c, n in _counts(s, "pickup"):
                    waiting.append(self._collect(f"{obj} stop {k}", k, s, station, c, n, vehicle))
            for c, n in _counts(s, _HANDIN):
                self._hand_in(f"{obj} stop {k}", s, c, n, waiting)
        for b in waiting:
            if b.left > 0:
                self.add(
                    "handin-missing",
                    f"{obj} stop {b.stop}",
                    f"{b.describe(b.left)} are never handed in at {b.dest!r} "
                    f"(of {b.collected} collected)",
                )

    def _collect(
        self, where: str, k: int, s: Doc, station: Doc, c: str, n: int, vehicle: Doc
    ) -> _Batch:
        """A batch of collected parcels, bound for the station's ``pickup_to`` or the depot."""
        batch = _Batch(
            stop=k,
            station=station["node"],
            carrier=c,
            dest=station.get("pickup_to") or vehicle["depot"],
            collected=n,
            depart=float(s["depart"]),
            pickup_by=self.net.pickup_by(station),
            max_ride=self.net.max_ride(station),
        )
        if batch.max_ride is not None and vehicle.get("refrigerated") is not True:
            self.add(
                "cold-vehicle",
                where,
                f"collects {n} {c} parcels of cold station {batch.station!r} in vehicle "
                f"{vehicle['id']!r}, which is not refrigerated",
            )
        return batch

    def _hand_in(self, where: str, s: Doc, c: str, n: int, waiting: list[_Batch]) -> None:
        """Match ``n`` handed-in parcels to the batches bound here, earliest due first."""
        node, arrive = s["node"], float(s["arrive"])
        bound = [b for b in waiting if b.carrier == c and b.dest == node and b.left > 0]
        held = sum(b.left for b in bound)
        for b in sorted(bound, key=lambda b: (b.due, b.stop)):
            if n == 0:
                break
            taken = min(n, b.left)
            b.left -= taken
            n -= taken
            self._check_in_time(where, b, taken, arrive)
        if n > 0:
            elsewhere: Counter[str] = Counter()
            for b in waiting:
                if b.carrier == c:
                    elsewhere[b.dest] += b.left
            aboard = ", ".join(f"{m} for {d!r}" for d, m in sorted(elsewhere.items()) if m)
            self.add(
                "handin-place",
                where,
                f"hands in {n + held} {c} parcels at {node!r} but holds {held} collected on "
                f"this route bound for it" + (f" (on board: {aboard})" if aboard else ""),
            )

    def _check_in_time(self, where: str, b: _Batch, n: int, arrive: float) -> None:
        """A batch's parcels handed in at ``arrive``: by ``pickup_by``, within ``max_ride``."""
        if b.pickup_by is not None and not _le(arrive, b.pickup_by):
            self.add(
                "handin-deadline",
                where,
                f"{b.describe(n)} handed in at {_clock(arrive)}, due {_clock(b.pickup_by)}",
            )
        ride = arrive - b.depart
        if b.max_ride is not None and not _le(ride, b.max_ride):
            self.add(
                "cold-ride",
                where,
                f"{b.describe(n)} ride {_fmt(ride)} minutes ({_clock(b.depart)} to "
                f"{_clock(arrive)}), over the cold station's max_ride {_fmt(b.max_ride)}",
            )

    def _check_station_stop(self, where: str, station: Doc, s: Doc) -> None:
        """A stop at a station: inside its opening window, long enough for service."""
        win = _window(station["open"])
        assert win is not None  # checked with the network
        node = station["node"]
        if not _le(s["arrive"], win[1]):
            self.add(
                "open-window",
                where,
                f"arrives {_fmt(s['arrive'])} at station {node!r}, after it closes at "
                f"{_fmt(win[1])}",
            )
        if not _le(win[0], s["depart"]):
            self.add(
                "open-window",
                where,
                f"leaves station {node!r} at {_fmt(s['depart'])}, before it opens at "
                f"{_fmt(win[0])}",
            )
        service = self.net.service_minutes(station)
        stay = s["depart"] - s["arrive"]
        if _hands_over(s) and not _le(service, stay):
            self.add(
                "service-time",
                where,
                f"stays {_fmt(stay)} minutes at station {node!r}, which needs {_fmt(service)}",
            )

    def _visit_stops(self, r: Doc) -> Iterator[tuple[int, Doc]]:
        """The stops that visit a station: between the ends, or handing over parcels there
        (a route's ends are its depot, which a station may host)."""
        last = len(r["stops"]) - 1
        for k, s in enumerate(r["stops"]):
            if s["node"] in self.net.stations and (0 < k < last or _hands_over(s)):
                yield k, s

    def _check_service_days(self, obj: str, r: Doc) -> None:
        """Stations are visited only on the network's service days."""
        day = r["day"]
        if day not in self.net.day_index or day in self.net.service_days:
            return
        for k, s in self._visit_stops(r):
            self.add(
                "service-day",
                f"{obj} stop {k}",
                f"visits station {s['node']!r} on {day}, not a service day "
                f"{_day_set(d for d in self.net.days if d in self.net.service_days)}",
            )

    # ---- roads -------------------------------------------------------------------------
    def _check_roads(self, legs: list[tuple[str, Doc]]) -> None:
        """Road legs no faster and no shorter than the shortest road path."""
        if not legs:
            return
        bounds = _RoadBounds(self.net).bounds(
            (g["from"], g["to"], float(g["arrive"]) - float(g["depart"]), float(g["km"]))
            for _, g in legs
        )
        for where, g in legs:
            t_min, km_min = bounds[(g["from"], g["to"])]
            if math.isinf(t_min):
                self.add("road-path", where, f"no road joins {g['from']!r} to {g['to']!r}")
                continue
            took = float(g["arrive"]) - float(g["depart"])
            if took < t_min - _tol(t_min):
                self.add(
                    "road-time",
                    where,
                    f"takes {_fmt(took)} minutes {g['from']!r}->{g['to']!r}; "
                    f"the shortest road takes {t_min:.6g}",
                )
            if float(g["km"]) < km_min - _tol(km_min):
                self.add(
                    "road-km",
                    where,
                    f"drives {_fmt(g['km'])} km {g['from']!r}->{g['to']!r}; "
                    f"the shortest road is {km_min:.6g} km",
                )

    # ---- across routes -----------------------------------------------------------------
    def _check_one_per_day(self, good: list[tuple[str, Doc]]) -> None:
        """One vehicle runs at most one route a day."""
        count: Counter[tuple[str, str]] = Counter()
        for obj, r in good:
            key = (r["day"], r["vehicle"])
            count[key] += 1
            if count[key] == 2:
                self.add(
                    "one-route-per-day",
                    obj,
                    f"vehicle {r['vehicle']!r} runs more than one route on {r['day']}",
                )

    def _tally(self, good: list[tuple[str, Doc]]) -> _Tally:
        """Parcels handed over and visit days per station and carrier."""
        tally = _Tally()
        for _, r in good:
            for s in r["stops"]:
                if s["node"] in self.net.stations:
                    for c, n in _counts(s, "deliver"):
                        tally.delivered[(s["node"], c)] += n
                    for c, n in _counts(s, "pickup"):
                        tally.picked[(s["node"], c)] += n
            for _, s in self._visit_stops(r):
                for c in r["carriers"]:
                    tally.visit_days[(s["node"], c)].add(r["day"])
        return tally

    def _check_horizon(self, good: list[tuple[str, Doc]]) -> None:
        """Weekly totals per station and carrier, and the visit-frequency rules."""
        tally = self._tally(good)
        for node, st in self.net.stations.items():
            self._check_station_totals(node, st, tally)
            for c in _frequency_carriers(st):
                if not self._entirely_unserved((node, c), st["demand"].get(c, 0)):
                    self._check_frequency(node, st, c, tally.visit_days.get((node, c), set()))

    def _check_station_totals(self, node: str, st: Doc, tally: _Tally) -> None:
        """Every station receives its demand (less declared unserved) and sends its pickups."""
        obj = f"station {node!r}"
        for what, want, got in (
            ("delivered-total", st["demand"], tally.delivered),
            ("pickup-total", st.get("pickup") or {}, tally.picked),
        ):
            for c in sorted({c for (n, c) in got if n == node} | set(want)):
                need, have = int(want.get(c, 0)), got[(node, c)]
                rule, why = what, ""
                if what == "pickup-total" and self._entirely_unserved(
                    (node, c), st["demand"].get(c, 0)
                ):  # a pair declared whole is never visited: nothing is collected either
                    need, rule, why = 0, "unserved", " (declared unserved)"
                if what == "delivered-total" and (node, c) in self.unserved:
                    need -= self.unserved[(node, c)]
                    rule, why = "unserved", f" ({self.unserved[(node, c)]} declared unserved)"
                if have != need:
                    verb = "receives" if what == "delivered-total" else "hands over"
                    self.add(
                        rule,
                        obj,
                        f"{verb} {have} {c} parcels over the horizon; expected {need}{why}",
                    )

    def _check_frequency(self, node: str, st: Doc, c: str, days: set[str]) -> None:
        """Visits of one station for one carrier: count, exact count, pattern, day runs."""
        obj = f"station {node!r}"
        order = self.net.day_index
        vdays = sorted(days, key=lambda d: order.get(d, -1))
        n, mv = len(vdays), int(st["min_visits"])
        shown = f"visited for {c!r} on {n} days {_day_set(vdays)}"
        if n < mv:
            self.add("visits", obj, f"{shown}; needs at least {mv}")
        if st.get("exact_visits") is True and n > mv:
            self.add("exact-visits", obj, f"{shown}; needs exactly {mv}")
        patterns = st.get("patterns")
        if patterns is not None:
            if frozenset(vdays) not in {frozenset(p) for p in patterns}:
                message = f"visit days for {c!r} {_day_set(vdays)} are not an allowed pattern"
                self.add("pattern", obj, message)
            return
        run = _longest_run(order[d] for d in vdays if d in order)
        if 1 < mv <= self.net.most_spread_visits and run > self.net.max_consecutive:
            self.add(
                "max-consecutive",
                obj,
                f"{shown}: {run} days in a row; at most {self.net.max_consecutive}",
            )

    def _check_totals(self, good: list[tuple[str, Doc]]) -> None:
        """The plan's totals agree with its routes."""
        totals = self.plan.get("totals")
        if not isinstance(totals, dict):
            return
        n = len(good) + 1
        sums = {
            "km": sum(float(r["km"]) for _, r in good),
            "cost": sum(float(r["cost"]) for _, r in good),
        }
        for f, want in sums.items():
            have = totals.get(f)
            if _is_num(have) and abs(have - want) > _tol(have, want, n=n):
                message = f"{f} {_fmt(have)} but routes sum to {want:.6g}"
                self.add(f"totals-{f}", "plan totals", message)
        counts = {
            ("totals-vehicles", "vehicles"): len({r["vehicle"] for _, r in good}),
            ("totals-ferry-crossings", "ferry_crossings"): sum(
                1 for _, r in good for g in r["legs"] if g["mode"] == "ferry"
            ),
        }
        for (rule, f), want_i in counts.items():
            have = totals.get(f)
            if _is_num(have) and have != want_i:
                self.add(rule, "plan totals", f"{f} {_fmt(have)} but the routes give {want_i}")
