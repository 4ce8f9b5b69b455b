"""Reader for the Cordeau periodic VRP (PVRP) benchmark format, as a planar network, and a
generator of PVRP-like weeks written in that format.

A PVRP instance (Cordeau, Gendreau & Laporte 1997) is one island, one depot, one
carrier and ``m`` identical vehicles a day; each customer is visited exactly ``f``
times on one of its allowed day combinations, with the same demand ``q`` at every
visit; a route of day ``k`` is limited by that day's duration ``D`` (travel plus
service, 0 = none) and capacity ``Q``; the objective is the total Euclidean length.

Format (whitespace separated, one record a line)::

    type m n t
    D Q                          # t lines, one per day
    i x y d q f a c1 ... ca      # n + 1 lines, the depot (i = 0) first

A combination ``c`` is the decimal value of a ``t``-bit string with day 1 as the
leftmost bit (``t = 5``: ``10 = 01010`` = days 2 and 4). Only ``type = 1`` (PVRP) is
read; the other types of the family's format (0 VRP, 2 MDVRP, 5 PVRPTW, 8 MDPVRP, ...)
lay out depots or days differently and are refused by name. Fields after a customer's
combinations (the ``e l`` time window of the TW layouts) are ignored and counted in the
provenance. Blank lines and any spacing are accepted; the depot is the line with
``i = 0`` wherever it stands (else the one line with ``f = 0`` and no combination, else
the first line).

The network is ``geometry="planar"``: vehicles cost 1 per km and nothing else, so a
plan's cost is its total Euclidean distance. Days are ``d1 .. dt``; the depot is node
``"0"`` and customer ``i`` is node ``"i"``, as in the file.

Time. Travel takes one minute per unit of distance and a service ``d`` minutes, so a
day's shift is ``(0, D)``. A day without a limit (``D = 0``) needs a horizon all the
same: its span is ``HORIZON_MARGIN`` (1.5) times the instance's *route bound*, an upper
bound on the duration of any route that visits its customers in the best order: the
shorter of a nearest-neighbour tour through the depot and every customer and twice the
``k`` largest depot distances, plus the ``k`` largest service times, where ``k`` is the
most customers whose demands fit in one vehicle (a subset's best tour is never longer
than a tour through all points, and each leg is at most the way through the depot).
The margin leaves the search room for routes a little longer than the best. When that
span fits, the day's shift is ``(0, NO_LIMIT)`` as it always was; every station is open
``(0, NO_LIMIT)``.

The planner's clock covers two days (``MAX_MINUTE`` = 2880 minutes; a service at most
``MINUTES_PER_DAY``). When a duration limit, the span of an unlimited day or a service
time does not fit (coordinates in the thousands, as in p30-p32, or ``D`` above 2800),
time is *scaled*: one planner minute stands for ``time_scale`` units of the file's time
(``time_scale`` = the largest of these spans / ``NO_LIMIT``, and at least the largest
service / 1440). Shifts become ``floor(D / time_scale)`` (never looser than
the file), services ``d / time_scale``, and the network gets a road between every two
of its nodes with ``km`` = the Euclidean distance and ``minutes`` = that distance /
``time_scale``; node coordinates, km and costs stay those of the file. Where such a
complete road graph would be too large (more than ``MAX_ROAD_PAIRS`` pairs, about 450
nodes), coordinates are divided by ``time_scale`` instead and vehicles cost
``time_scale`` per km, so that costs are still the file's Euclidean distances (plan km
are then in file units / ``time_scale``). Two points farther apart than ``MAX_KM``
(10,000, a leg within a country) are beyond islandroute's input ranges: such a file is
refused, naming the customer. The provenance records
``time_scale``, the route bound and how travel was scaled; an instance that needs no
scaling reads exactly as it did before scaling existed.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from islandroute.errors import NetworkError, Problem
from islandroute.model.network import (
    MAX_DAYS,
    MAX_KM,
    MAX_MINUTE,
    MAX_PARCELS,
    MAX_PLANAR,
    MINUTES_PER_DAY,
    Carrier,
    Island,
    Network,
    Node,
    Road,
    ServiceRules,
    Station,
    Vehicle,
)

__all__ = [
    "CARRIER",
    "HORIZON_MARGIN",
    "MAX_ROAD_PAIRS",
    "NO_LIMIT",
    "PvrpCustomer",
    "PvrpFileError",
    "allowed_combinations",
    "bks",
    "decode_pattern",
    "encode_pattern",
    "generate_pvrp",
    "generated_layout",
    "parse_pvrp",
    "pvrp_text",
    "read_pvrp",
    "route_bound",
]

#: The single carrier of a PVRP instance.
CARRIER = "pvrp"
#: Shift end (and opening-window end) used when a day has no duration limit (D = 0) and
#: the instance's route bound (times ``HORIZON_MARGIN``) fits below it; below the
#: planner's two-day horizon (``MAX_MINUTE`` = 2880). Longer spans are scaled to it
#: (module docstring).
NO_LIMIT = 2800
#: A day without a duration limit spans this many times the instance's route bound.
HORIZON_MARGIN = 1.5
#: Most node pairs a time-scaled instance gets a road for (a complete road graph of
#: ~450 nodes, about half a second to build); beyond, coordinates are scaled instead.
MAX_ROAD_PAIRS = 100_000
#: The problem types of the Cordeau family's format (only 1 is read).
PROBLEM_TYPES = {
    0: "VRP",
    1: "PVRP",
    2: "MDVRP",
    3: "SDVRP",
    4: "VRPTW",
    5: "PVRPTW",
    6: "MDVRPTW",
    7: "SDVRPTW",
    8: "MDPVRP",
}


class PvrpFileError(NetworkError, ValueError):
    """A PVRP file that cannot be read as a periodic VRP; each problem names the line,
    day or customer (``customer 7``) and the field (``demand``) at fault. Also a
    ``ValueError``."""

    headline = "invalid PVRP file"


@dataclass(frozen=True)
class PvrpCustomer:
    """One line of the customer (or depot) section, as read."""

    id: int
    x: float
    y: float
    service: float
    demand: int
    frequency: int
    combinations: tuple[int, ...]
    line: int = 0  # line number in the file (1 = the header)


@dataclass
class _Parsed:
    typ: int
    m: int
    n: int
    t: int
    limits: list[tuple[float, int]]
    rows: list[PvrpCustomer]
    extra_fields: list[int] = field(default_factory=list)  # lines with fields after combos


def decode_pattern(value: int, days: tuple[str, ...]) -> tuple[str, ...]:
    """Days of a combination: bit ``t-1-k`` of ``value`` set means day ``k`` (leftmost = day 1)."""
    t = len(days)
    if not 0 < value < 2**t:
        raise ValueError(f"combination {value} is not a non-empty {t}-bit string")
    return tuple(d for k, d in enumerate(days) if value >> (t - 1 - k) & 1)


def encode_pattern(day_indices: tuple[int, ...] | list[int], t: int) -> int:
    """The combination value of a set of days (0-based indices; day 0 = leftmost bit)."""
    if not day_indices or any(not 0 <= k < t for k in day_indices):
        raise ValueError(f"days {list(day_indices)} are not a non-empty set of 0..{t - 1}")
    return sum(1 << (t - 1 - k) for k in set(day_indices))


# ---- parsing --------------------------------------------------------------------------


def _fail(obj: str, fld: str, message: str) -> PvrpFileError:
    return PvrpFileError([Problem(obj, fld, message)])


def _number(token: str, obj: str, fld: str, *, lo: float | None = None) -> float:
    try:
        x = float(token)
    except ValueError:
        raise _fail(obj, fld, f"{token!r} is not a number") from None
    if not math.isfinite(x):
        raise _fail(obj, fld, f"{token!r} is not a finite number")
    if lo is not None and x < lo:
        raise _fail(obj, fld, f"{token} is below {lo:g}")
    return x


def _whole(token: str, obj: str, fld: str, lo: int = 0, hi: int | None = None) -> int:
    x = _number(token, obj, fld)
    if x != int(x):
        raise _fail(obj, fld, f"must be a whole number, got {token!r}")
    v = int(x)
    if v < lo or (hi is not None and v > hi):
        span = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise _fail(obj, fld, f"{v} is outside {span}")
    return v


_Line = tuple[int, list[str]]  # (line number, fields) of a non-blank line


def _parse(text: str) -> _Parsed:
    """Header numbers, per-day (D, Q) and the depot + customer lines of a PVRP file."""
    lines = [(k + 1, ln.split()) for k, ln in enumerate(text.splitlines()) if ln.strip()]
    if not lines:
        raise _fail("file", "header", "empty: no header line 'type m n t'")
    typ, m, n, t = _header(lines[0])
    limits = _day_limits(lines, t)
    body = lines[1 + t :]
    _check_body_length(body, n, lines[0][0])
    rows: list[PvrpCustomer] = []
    extra: list[int] = []
    for ln, tok in body:
        row = _customer_row(ln, tok, t)
        if len(tok) > 7 + len(row.combinations):
            extra.append(ln)
        rows.append(row)
    return _Parsed(typ, m, n, t, limits, rows, extra)


def _header(line: _Line) -> tuple[int, int, int, int]:
    """The header line's ``type m n t``; any type but 1 (PVRP) refused by name."""
    ln, head = line
    obj = f"header (line {ln})"
    if len(head) < 4:
        raise _fail(obj, "header", f"needs 'type m n t', got {' '.join(head)!r}")
    typ = _whole(head[0], obj, "type")
    if typ != 1:
        name = PROBLEM_TYPES.get(typ, "unknown")
        raise _fail(
            obj,
            "type",
            f"problem type {typ} ({name}) is not 1 (PVRP): read_pvrp reads periodic VRP files only",
        )
    m = _whole(head[1], obj, "m (vehicles per day)", 1, MAX_PARCELS)
    n = _whole(head[2], obj, "n (customers)", 0)
    t = _whole(head[3], obj, "t (days)", 1, MAX_DAYS)
    return typ, m, n, t


def _day_limits(lines: list[_Line], t: int) -> list[tuple[float, int]]:
    """The ``D Q`` of each of the ``t`` days, on the lines after the header."""
    if len(lines) < 1 + t:
        raise _fail("file", "D Q", f"{t} days announced but only {len(lines) - 1} lines follow")
    limits: list[tuple[float, int]] = []
    for k in range(t):
        ln, tok = lines[1 + k]
        obj = f"day {k + 1} (line {ln})"
        if len(tok) < 2:
            raise _fail(obj, "D Q", f"needs 'D Q', got {' '.join(tok)!r}")
        d = _number(tok[0], obj, "D", lo=0)
        q = _whole(tok[1], obj, "Q", 1, MAX_PARCELS)
        limits.append((d, q))
    return limits


def _check_body_length(body: list[_Line], n: int, header_line: int) -> None:
    """Refuse a customer section without exactly ``n + 1`` lines (the depot included)."""
    if len(body) < n + 1:
        raise _fail(
            "file",
            "customers",
            f"the header announces n = {n} customers and a depot ({n + 1} lines) but only "
            f"{len(body)} lines follow the day limits",
        )
    if len(body) > n + 1:
        ln = body[n + 1][0]
        raise _fail(
            f"header (line {header_line})",
            "n (customers)",
            f"n = {n} customers (and the depot) but {len(body) - n - 1} more lines follow, "
            f"from line {ln}",
        )


def _customer_row(ln: int, tok: list[str], t: int) -> PvrpCustomer:
    """One depot or customer line ``i x y d q f a c1..ca`` (fields after them ignored)."""
    obj = f"line {ln}"
    if len(tok) < 7:
        raise _fail(obj, "customer", f"needs 'i x y d q f a c1..ca', got {' '.join(tok)!r}")
    cid = _whole(tok[0], obj, "i (id)")
    obj = f"customer {cid} (line {ln})"
    x = _number(tok[1], obj, "x")
    y = _number(tok[2], obj, "y")
    for v, name in ((x, "x"), (y, "y")):
        if abs(v) > MAX_PLANAR:
            raise _fail(obj, name, f"{v:g} is beyond +-{MAX_PLANAR:g}")
    service = _number(tok[3], obj, "d (service duration)", lo=0)
    demand = _whole(tok[4], obj, "q (demand)", 0, MAX_PARCELS)
    freq = _whole(tok[5], obj, "f (frequency)", 0, t)
    a = _whole(tok[6], obj, "a (number of combinations)", 0)
    if len(tok) < 7 + a:
        raise _fail(obj, "combinations", f"a = {a} combinations announced but {len(tok) - 7} given")
    combos = tuple(_whole(c, obj, "combination", 1, 2**t - 1) for c in tok[7 : 7 + a])
    return PvrpCustomer(cid, x, y, service, demand, freq, combos, ln)


def _depot_index(rows: list[PvrpCustomer]) -> int:
    """The depot: the line with id 0, else the only line without visits, else the first."""
    zero = [k for k, r in enumerate(rows) if r.id == 0]
    if zero:
        return zero[0]
    idle = [k for k, r in enumerate(rows) if r.frequency == 0 and not r.combinations]
    return idle[0] if len(idle) == 1 else 0


# ---- time ------------------------------------------------------------------------------


def _customers_per_route(demands: list[int], capacity: int) -> int:
    """The most customers whose demands fit together in one vehicle."""
    total = k = 0
    for q in sorted(demands):
        if total + q > capacity:
            break
        total += q
        k += 1
    return k


def _nearest_neighbour_tour(xy: np.ndarray) -> float:
    """Length of the nearest-neighbour tour from point 0 through every point and back."""
    n = len(xy)
    if n < 2:
        return 0.0
    left = np.ones(n, dtype=bool)
    left[0] = False
    here, total = 0, 0.0
    for _ in range(n - 1):
        idx = np.flatnonzero(left)
        d = np.hypot(xy[idx, 0] - xy[here, 0], xy[idx, 1] - xy[here, 1])
        j = int(np.argmin(d))
        total += float(d[j])
        here = int(idx[j])
        left[here] = False
    return total + float(np.hypot(*(xy[here] - xy[0])))


def route_bound(
    depot: tuple[float, float],
    customers: list[tuple[float, float, float, int]],
    capacity: int,
) -> float:
    """An upper bound on the duration of any route visiting its customers in the best
    order: customers as ``(x, y, service, demand)``; at most ``k`` of them fit in a
    vehicle of ``capacity``. Travel is the shorter of a nearest-neighbour tour through
    the depot and every customer and twice the ``k`` largest depot distances; service
    is the ``k`` largest service times."""
    if not customers:
        return 0.0
    xy = np.array([depot] + [(c[0], c[1]) for c in customers], dtype=float)
    k = max(1, _customers_per_route([c[3] for c in customers], capacity))
    out = np.sort(np.hypot(xy[1:, 0] - xy[0, 0], xy[1:, 1] - xy[0, 1]))[::-1]
    via_depot = 2.0 * float(out[:k].sum())
    travel = min(_nearest_neighbour_tour(xy), via_depot)
    service = float(sum(sorted((c[2] for c in customers), reverse=True)[:k]))
    return travel + service


def _farthest_pair(xy: np.ndarray, chunk: int = 256) -> tuple[float, int, int]:
    """The largest distance between two of the points, and the two (``i < j``)."""
    best, bi, bj = 0.0, 0, 0
    for start in range(0, len(xy), chunk):
        rows = xy[start : start + chunk]
        d = np.hypot(rows[:, None, 0] - xy[None, :, 0], rows[:, None, 1] - xy[None, :, 1])
        k = int(np.argmax(d)) if d.size else 0
        if d.size and float(d.flat[k]) > best:
            r, c = divmod(k, len(xy))
            best, bi, bj = float(d.flat[k]), min(start + r, c), max(start + r, c)
    return best, bi, bj


# ---- building the network -----------------------------------------------------------------


_Patterns = tuple[tuple[str, ...], ...]


@dataclass
class _Customers:
    """The customers a network gets (with the patterns that fit), and those left out."""

    kept: list[tuple[PvrpCustomer, _Patterns]] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # on the depot
    unvisited: list[int] = field(default_factory=list)  # f = 0 and no demand


@dataclass(frozen=True)
class _Time:
    """How the file's time fits the planner's clock: the scale, the route bound and how
    travel is scaled (``dist``: every node pair's distance when roads are built)."""

    scale: float
    bound: float
    travel: str = "straight"
    dist: np.ndarray | None = None

    @property
    def coord(self) -> float:
        """What node coordinates are divided by (and vehicles pay per km)."""
        return self.scale if self.travel == "scaled coordinates" else 1.0


def parse_pvrp(
    text: str, name: str = "pvrp", *, provenance: dict[str, Any] | None = None
) -> Network:
    """Read the text of a Cordeau PVRP file as a planar :class:`Network` called ``name``.

    Each customer becomes a station with weekly demand ``q * f`` split equally over
    exactly ``f`` visits on one of its combinations. A customer that sits on the depot
    adds no distance and is skipped (p01's customer 51); the network's provenance
    lists it; so is a customer with ``f = 0`` and no demand. When every day has the
    same ``D`` and ``Q`` the fleet is ``m`` vehicles working every day; when they
    differ, each day gets its own ``m`` vehicles (``days=(day,)``) with that day's shift
    and capacity ``Q``. A fractional ``D`` is rounded down to a whole minute (never
    looser than the file). Combinations whose days include one with ``Q`` below the
    customer's demand are dropped. Durations that do not fit the planner's clock are
    scaled (module docstring).

    Raises :class:`PvrpFileError` (a ``ValueError``) naming the line, day or customer
    and the field: a malformed or truncated line, a type other than 1, a customer with
    demand above every allowed day's ``Q``, demand without visits or visits without
    demand, a combination with the wrong number of days, a duplicate id.
    """
    parsed = _parse(text)
    days = tuple(f"d{k + 1}" for k in range(parsed.t))
    di = _depot_index(parsed.rows)
    depot = parsed.rows[di]
    customers = _sort_customers(parsed, days, di)
    tm = _time_fit(parsed, depot, customers.kept)
    nodes, stations = _nodes_and_stations(depot, customers.kept, tm)
    roads = _roads(nodes, tm)
    vehicles, uniform = _fleet(parsed, days, depot, tm)
    prov = _provenance(parsed, days, uniform, customers, tm)
    if provenance:
        prov.update(provenance)
    return Network(
        name=name,
        days=days,
        geometry="planar",
        nodes=tuple(nodes),
        roads=tuple(roads),
        carriers=(Carrier(id=CARRIER, name="PVRP"),),
        stations=tuple(stations),
        vehicles=tuple(vehicles),
        islands=(Island(id="main", name="main", lon=depot.x / tm.coord, lat=depot.y / tm.coord),),
        rules=ServiceRules(service_days=days, split="equal", min_visits=1),
        provenance=prov,
    )


def _sort_customers(parsed: _Parsed, days: tuple[str, ...], di: int) -> _Customers:
    """Customers kept (with their patterns), skipped and unvisited; every problem of
    every customer raised at once."""
    depot = parsed.rows[di]
    caps = {day: q for day, (_, q) in zip(days, parsed.limits, strict=True)}
    problems: list[Problem] = []
    seen: dict[int, int] = {depot.id: depot.line}
    out = _Customers()
    for c in (r for k, r in enumerate(parsed.rows) if k != di):
        obj = f"customer {c.id}"
        if c.id in seen:
            problems.append(
                Problem(obj, "i (id)", f"line {c.line} repeats the id of line {seen[c.id]}")
            )
            continue
        seen[c.id] = c.line
        if c.x == depot.x and c.y == depot.y:
            out.skipped.append(c.id)
        elif c.frequency == 0:
            if c.demand > 0:
                problems.append(
                    Problem(obj, "f (frequency)", f"0 visits for a demand of {c.demand}")
                )
            else:
                out.unvisited.append(c.id)
        else:
            found = _visit_patterns(c, days, caps)
            if isinstance(found, Problem):
                problems.append(found)
            else:
                out.kept.append((c, found))
    if problems:
        raise PvrpFileError(problems)
    return out


def _visit_patterns(
    c: PvrpCustomer, days: tuple[str, ...], caps: dict[str, int]
) -> _Patterns | Problem:
    """The visit-day patterns of a visited customer whose days can take its demand, or
    what is wrong with it."""
    obj = f"customer {c.id}"
    if c.demand == 0:
        return Problem(
            obj,
            "q (demand)",
            f"0 parcels a visit with frequency {c.frequency}: islandroute visits only "
            "stations that receive parcels",
        )
    if c.demand * c.frequency > MAX_PARCELS:
        return Problem(obj, "q (demand)", f"{c.demand} x {c.frequency} visits > {MAX_PARCELS}")
    if not c.combinations:
        return Problem(obj, "combinations", "none listed (a = 0)")
    patterns = tuple(dict.fromkeys(decode_pattern(v, days) for v in c.combinations))
    bad = [p for p in patterns if len(p) != c.frequency]
    if bad:
        return Problem(obj, "combinations", f"{bad} do not have {c.frequency} days")
    fits = tuple(p for p in patterns if all(caps[d] >= c.demand for d in p))
    if not fits:
        qs = sorted({caps[d] for p in patterns for d in p})
        q_text = f"Q = {qs[0]}" if len(qs) == 1 else f"Q of {qs} on its days"
        return Problem(
            obj, "q (demand)", f"{c.demand} parcels a visit exceed the vehicle capacity {q_text}"
        )
    return fits


def _time_fit(
    parsed: _Parsed, depot: PvrpCustomer, kept: list[tuple[PvrpCustomer, _Patterns]]
) -> _Time:
    """The time scale and route bound of an instance and, when scaled, how travel is."""
    bound = route_bound(
        (depot.x, depot.y),
        [(c.x, c.y, c.service, c.demand) for c, _ in kept],
        max(q for _, q in parsed.limits),
    )
    spans = [d for d, _ in parsed.limits if d > 0]
    if any(d <= 0 for d, _ in parsed.limits):
        spans.append(HORIZON_MARGIN * bound)
    services = [c.service for c, _ in kept]
    scale = max(
        1.0,
        max(spans, default=0.0) / NO_LIMIT,
        max(services, default=0.0) / MINUTES_PER_DAY,
    )
    if scale <= 1.0:
        return _Time(scale, bound)
    return _scaled_travel(depot, kept, scale, bound)


def _scaled_travel(
    depot: PvrpCustomer, kept: list[tuple[PvrpCustomer, _Patterns]], scale: float, bound: float
) -> _Time:
    """Roads between every two nodes (the scale also fitting the longest leg) or, for
    too many nodes, scaled coordinates; a leg beyond ``MAX_KM`` refused by name."""
    xy = np.array([(depot.x, depot.y)] + [(c.x, c.y) for c, _ in kept], dtype=float)
    far, i, j = _farthest_pair(xy)
    if far > MAX_KM:
        ids = [depot.id] + [c.id for c, _ in kept]
        what = "the depot" if i == 0 else f"customer {ids[i]}"
        raise PvrpFileError(
            Problem(
                f"customer {ids[j]}",
                "x, y",
                f"{far:.6g} from {what}: a leg longer than {MAX_KM:g} is beyond "
                "islandroute's input ranges",
            )
        )
    if len(xy) * (len(xy) - 1) // 2 <= MAX_ROAD_PAIRS:
        dist = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
        return _Time(max(scale, far / MAX_MINUTE), bound, "roads", dist)
    return _Time(scale, bound, "scaled coordinates")


def _shift(k: int, d: float, scale: float) -> tuple[int, int]:
    """The shift of day ``k`` (0-based) with duration limit ``d`` (0 = none)."""
    if d <= 0:
        return (0, NO_LIMIT)
    end = math.floor(d / scale + 1e-9) if scale > 1.0 else math.floor(d)
    if end < 1:
        raise _fail(f"day {k + 1}", "D", f"{d:g} leaves no whole minute for a route")
    return (0, end)


def _nodes_and_stations(
    depot: PvrpCustomer, kept: list[tuple[PvrpCustomer, _Patterns]], tm: _Time
) -> tuple[list[Node], list[Station]]:
    """The depot node, then a node and a station for each kept customer."""
    coord, scale = tm.coord, tm.scale
    nodes = [
        Node(
            id=str(depot.id), kind="depot", island="main", lon=depot.x / coord, lat=depot.y / coord
        )
    ]
    stations: list[Station] = []
    for c, pats in kept:
        nodes.append(
            Node(id=str(c.id), kind="station", island="main", lon=c.x / coord, lat=c.y / coord)
        )
        stations.append(
            Station(
                node=str(c.id),
                min_visits=c.frequency,
                exact_visits=True,
                patterns=pats,
                demand={CARRIER: c.demand * c.frequency},
                service_minutes=c.service / scale if scale > 1.0 else c.service,
                open=(0, NO_LIMIT),
            )
        )
    return nodes, stations


def _roads(nodes: list[Node], tm: _Time) -> list[Road]:
    """A road between every two nodes when travel is scaled by roads (else none)."""
    if tm.travel != "roads" or tm.dist is None:
        return []
    dist, names = tm.dist, [nd.id for nd in nodes]
    return [
        Road(a=names[i], b=names[j], km=float(dist[i, j]), minutes=float(dist[i, j]) / tm.scale)
        for i in range(len(names))
        for j in range(i + 1, len(names))
    ]


def _fleet(
    parsed: _Parsed, days: tuple[str, ...], depot: PvrpCustomer, tm: _Time
) -> tuple[list[Vehicle], bool]:
    """``m`` vehicles every day when the days' limits are all the same (``True``), else
    ``m`` vehicles of each day with its own shift and capacity (``False``)."""

    def vehicle(vid: str, k: int, d: float, q: int, on: tuple[str, ...] | None) -> Vehicle:
        """Vehicle ``vid`` with day ``k``'s limits, working on days ``on`` (None = all)."""
        return Vehicle(
            id=vid,
            carrier=CARRIER,
            depot=str(depot.id),
            capacity=q,
            shift=_shift(k, d, tm.scale),
            cost_per_km=tm.coord,
            cost_per_hour=0.0,
            cost_fixed=0.0,
            co2_per_km=0.0,
            days=on,
        )

    m = parsed.m
    if len(set(parsed.limits)) == 1:
        d, q = parsed.limits[0]
        return [vehicle(f"v{k + 1}", 0, d, q, None) for k in range(m)], True
    return [
        vehicle(f"{day}-v{j + 1}", k, d, q, (day,))
        for k, (day, (d, q)) in enumerate(zip(days, parsed.limits, strict=True))
        for j in range(m)
    ], False


def _provenance(
    parsed: _Parsed, days: tuple[str, ...], uniform: bool, customers: _Customers, tm: _Time
) -> dict[str, Any]:
    """Where the network comes from and how it was read (the caller's entries apart)."""
    skipped = customers.skipped
    prov: dict[str, Any] = {
        "source": "Cordeau, Gendreau & Laporte (1997) periodic VRP benchmark",
        "file": None,
        "vehicles_per_day": parsed.m,
        "limits_per_day": [
            {"day": day, "D": d, "Q": q} for day, (d, q) in zip(days, parsed.limits, strict=True)
        ],
        "per_day_fleet": not uniform,
        "skipped_customers": skipped,
        "skipped_reason": "customer sits on the depot (adds no distance)" if skipped else "",
        "objective": "total Euclidean route length (unrounded)",
    }
    if customers.unvisited:
        prov["unvisited_customers"] = customers.unvisited  # f = 0 and no demand
    if parsed.extra_fields:
        prov["ignored_fields"] = {
            "lines": len(parsed.extra_fields),
            "what": "fields after the combinations (time windows 'e l'), ignored",
        }
    if tm.scale > 1.0:
        prov["time_scale"] = tm.scale
        prov["route_bound"] = tm.bound
        prov["travel"] = tm.travel
        prov["time_note"] = (
            f"one planner minute = {tm.scale:.6g} time units of the file (durations do not "
            "fit a two-day clock); costs are the file's Euclidean distances"
        )
    return prov


def read_pvrp(path: str | Path) -> Network:
    """Read a Cordeau PVRP file as a planar :class:`Network` (name = the file stem); see
    :func:`parse_pvrp` and the module docstring (time scaling)."""
    path = Path(path)
    net = parse_pvrp(path.read_text(), name=path.stem, provenance={"file": path.name})
    return net


# ---- generator ---------------------------------------------------------------------------

Capacity = Literal["loose", "tight"]
#: Average share of the fleet's daily capacity the week's demand fills.
FILL = {"loose": 0.6, "tight": 0.9}


def allowed_combinations(t: int, f: int) -> list[tuple[int, ...]]:
    """Cordeau-style visit-day sets (0-based days) for ``f`` visits in ``t`` days: any
    single day; spaced pairs ``(k, k + ceil(t/2))`` (t = 5: Mon-Thu, Tue-Fri); spaced
    triples ``(k, k + g, k + 2g)`` with ``g = max(1, (t - 1) // 2)`` (t = 5: Mon-Wed-Fri);
    every day when ``f = t``."""
    if not 1 <= f <= t:
        raise ValueError(f"{f} visits do not fit {t} days")
    if f == t:
        return [tuple(range(t))]
    if f == 1:
        return [(k,) for k in range(t)]
    if f == 2:
        gap = (t + 1) // 2
        return [(k, k + gap) for k in range(t - gap)]
    if f == 3:
        g = max(1, (t - 1) // 2)
        return [(k, k + g, k + 2 * g) for k in range(t - 2 * g)]
    step = t / f
    return [tuple(round(k * step) for k in range(f))]


#: How generated customers are spread: the first draw of the seeded generator.
LAYOUTS = ("uniform", "clustered")


def generated_layout(seed: int) -> str:
    """Whether :func:`pvrp_text` spreads the customers of ``seed`` uniformly or in clusters."""
    return random.Random(seed).choice(LAYOUTS)


def _packs(loads: list[int], bins: int, capacity: int) -> bool:
    """First-fit decreasing: whether the loads go into ``bins`` bins of ``capacity``."""
    free = [capacity] * bins
    for q in sorted(loads, reverse=True):
        for b in range(bins):
            if free[b] >= q:
                free[b] -= q
                break
        else:
            return False
    return True


#: Share of a generated duration limit the reference week's routes may use (slack for the
#: planner's rounding of times).
_BUDGET = 0.98


#: A generated customer: ``(x, y, service, demand, frequency, combinations)``.
_Row = tuple[float, float, float, int, int, list[tuple[int, ...]]]


def _reference_routes(
    depot: tuple[float, float],
    rows: list[_Row],
    day: list[int],
    cap: int,
    budget: float,
) -> int:
    """Routes a nearest-neighbour builder needs for one day's customers within the
    capacity and the duration ``budget`` (each customer fits alone)."""
    left = set(day)
    routes = 0
    while left:
        routes += 1
        here, clock, load = depot, 0.0, 0
        while True:
            best: tuple[float, int] | None = None
            for j in left:
                x, y, s, q = rows[j][0], rows[j][1], rows[j][2], rows[j][3]
                go = math.hypot(x - here[0], y - here[1])
                back = math.hypot(x - depot[0], y - depot[1])
                fits = load + q <= cap and clock + go + s + back <= budget
                if fits and (best is None or (go, j) < best):
                    best = (go, j)
            if best is None:
                if load == 0:  # not even one customer: cannot happen after the checks
                    raise ValueError(f"customers {sorted(left)} fit no route alone")
                break
            j = best[1]
            clock += best[0] + rows[j][2]
            load += rows[j][3]
            here = (rows[j][0], rows[j][1])
            left.discard(j)
    return routes


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.3f}"


def pvrp_text(
    n: int,
    days: int,
    seed: int,
    *,
    capacity: Capacity = "loose",
    vehicles: int | None = None,
    duration: float = 0,
    extent: float = 100.0,
    service: float = 0.0,
) -> str:
    """A PVRP-like week in Cordeau's format, deterministic by ``seed``.

    ``n`` customers in a square of half-side ``extent`` around a depot near its centre,
    spread uniformly or in 2-6 clusters (chosen by the seed); each asks ``f`` visits,
    ``1 <= f <= min(3, days)``, on one of :func:`allowed_combinations`, with 1-30 parcels
    a visit and a service time of 0-``service``. ``vehicles`` a day (default: one per
    ~10 visits a day); their capacity ``Q`` makes the fleet about 60 % (``"loose"``) or
    90 % (``"tight"``) full on an average day, and is checked to hold a reference week
    (every customer on a seeded combination, once-a-week ones on the emptiest day) by
    first-fit packing, so the instance is feasible without a duration limit.
    ``duration`` is every day's ``D`` (0 = none); it must let a vehicle reach every
    customer and come back.
    """
    _check_generator_args(n, days, capacity, vehicles, duration, extent, service)
    rng = random.Random(seed)
    depot, points = _draw_points(rng, n, extent)
    rows = _draw_rows(rng, points, days, service)
    limit = _whole_duration(duration, depot, rows)
    members, load = _reference_week(rng, rows, days)
    m, cap = _size_fleet(depot, rows, members, load, capacity, vehicles, limit)
    return _cordeau_text(m, days, limit, cap, depot, rows)


def _check_generator_args(
    n: int,
    days: int,
    capacity: str,
    vehicles: int | None,
    duration: float,
    extent: float,
    service: float,
) -> None:
    """Refuse arguments :func:`pvrp_text` cannot make a week of (``ValueError``)."""
    if n < 1:
        raise ValueError(f"n = {n}: at least one customer")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days = {days} is outside 1..{MAX_DAYS}")
    if capacity not in FILL:
        raise ValueError(f"capacity {capacity!r} is not 'loose' or 'tight'")
    if vehicles is not None and vehicles < 1:
        raise ValueError(f"vehicles = {vehicles}: at least one")
    if not (math.isfinite(duration) and duration >= 0):
        raise ValueError(f"duration {duration} is not a limit >= 0")
    if not (math.isfinite(extent) and 0 < extent <= MAX_PLANAR / 2):
        raise ValueError(f"extent {extent} is outside (0, {MAX_PLANAR / 2:g}]")
    if not (math.isfinite(service) and service >= 0):
        raise ValueError(f"service {service} is not a time >= 0")


def _draw_points(
    rng: random.Random, n: int, extent: float
) -> tuple[tuple[float, float], list[tuple[float, float]]]:
    """The depot and ``n`` customer points, spread uniformly or in clusters (the layout
    is the first draw: see :func:`generated_layout`)."""
    layout = rng.choice(LAYOUTS)
    depot = (round(rng.uniform(-0.1, 0.1) * extent, 3), round(rng.uniform(-0.1, 0.1) * extent, 3))
    if layout == "clustered":
        k = rng.randint(2, 6)
        centres = [
            (rng.uniform(-0.8, 0.8) * extent, rng.uniform(-0.8, 0.8) * extent) for _ in range(k)
        ]
        sigma = 0.12 * extent
    points: list[tuple[float, float]] = []
    for _ in range(n):
        if layout == "uniform":
            x, y = rng.uniform(-extent, extent), rng.uniform(-extent, extent)
        else:
            cx, cy = rng.choice(centres)
            x = min(extent, max(-extent, rng.gauss(cx, sigma)))
            y = min(extent, max(-extent, rng.gauss(cy, sigma)))
        p = (round(x, 3), round(y, 3))
        if p == depot:  # a customer on the depot would be skipped by the reader
            p = (round(p[0] + 0.001 * extent, 3), p[1])
        points.append(p)
    return depot, points


def _draw_rows(
    rng: random.Random, points: list[tuple[float, float]], days: int, service: float
) -> list[_Row]:
    """Each customer's ``(x, y, service, demand, frequency, combinations)``."""
    fmax = min(3, days)
    weights = [5, 3, 2][:fmax]
    rows: list[_Row] = []
    for x, y in points:
        f = rng.choices(range(1, fmax + 1), weights=weights)[0]
        q = rng.randint(1, 30)
        s = round(rng.uniform(0, service), 1) if service > 0 else 0.0
        rows.append((x, y, s, q, f, allowed_combinations(days, f)))
    return rows


def _whole_duration(duration: float, depot: tuple[float, float], rows: list[_Row]) -> int:
    """The duration limit as written (a whole number: read exactly as given), checked to
    let a vehicle reach every customer and come back."""
    limit = math.floor(duration)
    if duration > 0:
        if limit < 1:
            raise ValueError(f"duration {duration:g} leaves no whole time unit for a route")
        for i, (x, y, s, _q, _f, _c) in enumerate(rows, start=1):
            need = 2 * math.hypot(x - depot[0], y - depot[1]) + s
            if need > _BUDGET * limit:
                raise ValueError(
                    f"duration {limit}: customer {i} needs {need:.3f} to be reached and left"
                )
    return limit


def _reference_week(
    rng: random.Random, rows: list[_Row], days: int
) -> tuple[list[list[int]], list[int]]:
    """Each day's customers and parcels when each customer takes its emptiest
    combination (ties by the seed)."""
    members: list[list[int]] = [[] for _ in range(days)]
    load = [0] * days
    order = list(range(len(rows)))
    rng.shuffle(order)
    order.sort(key=lambda i: (len(rows[i][5]), -rows[i][3]))  # least choice, most parcels first
    for i in order:
        combos = rows[i][5]
        emptiest = min(max(load[d] for d in c) for c in combos)
        pat = rng.choice([c for c in combos if max(load[d] for d in c) == emptiest])
        for d in pat:
            members[d].append(i)
            load[d] += rows[i][3]
    return members, load


def _size_fleet(
    depot: tuple[float, float],
    rows: list[_Row],
    members: list[list[int]],
    load: list[int],
    capacity: Capacity,
    vehicles: int | None,
    limit: int,
) -> tuple[int, int]:
    """Vehicles a day and their capacity: enough for the reference week to pack and, with a
    duration limit, for its routes to fit (refused when that exceeds ``vehicles``)."""
    days = len(load)
    visits = sum(r[4] for r in rows)
    m = vehicles if vehicles is not None else max(1, round(visits / days / 10))
    biggest = max(r[3] for r in rows)
    while True:
        cap = max(biggest, math.ceil(max(load) / (m * FILL[capacity])))
        while not all(_packs([rows[i][3] for i in day], m, cap) for day in members):
            cap += 1
        if limit <= 0:
            return m, cap
        need = max(_reference_routes(depot, rows, day, cap, _BUDGET * limit) for day in members)
        if need <= m:
            return m, cap
        if vehicles is not None:
            raise ValueError(
                f"duration {limit}: the reference week needs {need} vehicles a day, not {vehicles}"
            )
        m = need


def _cordeau_text(
    m: int, days: int, limit: int, cap: int, depot: tuple[float, float], rows: list[_Row]
) -> str:
    """The week in Cordeau's format: header, ``D Q`` of each day, depot and customers."""
    out = [f"1 {m} {len(rows)} {days}"]
    out += [f"{max(limit, 0)} {cap}"] * days
    out.append(f"0 {_fmt(depot[0])} {_fmt(depot[1])} 0 0 0 0")
    for i, (x, y, s, q, f, combos) in enumerate(rows, start=1):
        codes = " ".join(str(encode_pattern(c, days)) for c in combos)
        out.append(f"{i} {_fmt(x)} {_fmt(y)} {_fmt(s)} {q} {f} {len(combos)} {codes}")
    return "\n".join(out) + "\n"


def generate_pvrp(
    n: int,
    days: int,
    seed: int,
    *,
    capacity: Capacity = "loose",
    vehicles: int | None = None,
    duration: float = 0,
    extent: float = 100.0,
    service: float = 0.0,
) -> Network:
    """A PVRP-like planar week for tuning the search: :func:`pvrp_text` read back by
    :func:`parse_pvrp` (so the reader is exercised); deterministic by ``seed``. The name
    is ``pvrp-n{n}-t{days}-s{seed}-{capacity}``; the provenance holds the arguments."""
    text = pvrp_text(
        n,
        days,
        seed,
        capacity=capacity,
        vehicles=vehicles,
        duration=duration,
        extent=extent,
        service=service,
    )
    name = f"pvrp-n{n}-t{days}-s{seed}-{capacity}"
    args = {
        "n": n,
        "days": days,
        "seed": seed,
        "capacity": capacity,
        "vehicles": vehicles,
        "duration": duration,
        "extent": extent,
        "service": service,
        "layout": generated_layout(seed),
    }
    return parse_pvrp(
        text,
        name=name,
        provenance={"source": "islandroute.datasets.pvrp.generate_pvrp", "generator": args},
    )


def bks(instance: str, folder: str | Path) -> float | None:
    """Best-known solution cost of ``instance`` (e.g. ``"p01"``) from ``folder/bks.csv``."""
    table = Path(folder) / "bks.csv"
    if not table.exists():
        return None
    with table.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("instance") == instance:
                return float(row["bks"])
    return None
