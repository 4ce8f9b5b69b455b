"""The independent plan validator: checks a plan against a network from the two exchange
documents alone (``islandroute.network/1`` and ``islandroute.plan/1``), never the solver.

``validate(network, plan)`` returns every :class:`Violation` found (an empty list for a
valid plan); ``assert_valid`` raises :class:`PlanInvalidError` listing them. Either
argument may be the library's model object (converted with ``.to_dict()``) or a document.

Rule names (``Violation.rule``): ``format``, ``network-name``, ``mode``, ``day``,
``vehicle``, ``node``, ``carrier``, ``depot-ends``, ``one-route-per-day``,
``vehicle-days``, ``leg-chain``, ``times``, ``road-time``, ``road-km``, ``road-path``,
``ferry-unknown``, ``ferry-ends``, ``ferry-departure``, ``ferry-duration``,
``ferry-vehicles``, ``ferry-km``, ``shift``, ``open-window``, ``service-time``,
``capacity``, ``deliver-count``, ``deliver-station``, ``deliver-carrier``,
``delivered-total``, ``pickup-total``, ``visits``, ``exact-visits``, ``pattern``,
``separate-carrier``, ``route-km``, ``totals-km``, ``totals-cost``, ``totals-vehicles``,
``totals-ferry-crossings``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from islandroute.errors import IslandrouteError

__all__ = ["PlanInvalidError", "Violation", "assert_valid", "validate"]

NETWORK_FORMAT = "islandroute.network/1"
PLAN_FORMAT = "islandroute.plan/1"
MINUTES_PER_DAY = 1440
REL_TOL = 1e-6
ABS_TOL = 1e-6
_CHUNK = 128  # origins per Dijkstra batch (bounds memory to _CHUNK x nodes floats)

_NET_REQUIRED: dict[str, tuple[str, ...]] = {
    "nodes": ("id", "kind", "island", "lon", "lat"),
    "roads": ("a", "b", "km", "minutes", "bridge"),
    "ferries": ("id", "from", "to", "minutes", "vehicles", "departures"),
    "carriers": ("id", "name"),
    "stations": ("node", "min_visits", "open", "demand"),
    "vehicles": ("id", "carrier", "depot", "capacity", "shift"),
}
_ROUTE_REQUIRED = ("day", "vehicle", "carriers", "stops", "legs", "km", "cost")
_STOP_REQUIRED = ("node", "arrive", "depart", "deliver")
_LEG_REQUIRED = ("from", "to", "mode", "depart", "arrive", "km")
_TOTALS_REQUIRED = ("cost", "km", "vehicles", "ferry_crossings", "co2_kg")


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
        lines += [f"  - {v}" for v in self.violations[:50]]
        if len(self.violations) > 50:
            lines.append(f"  ... and {len(self.violations) - 50} more")
        super().__init__("\n".join(lines))


def validate(network: Any, plan: Any) -> list[Violation]:
    """Every violation of the exchange-format rules by ``plan`` on ``network`` (empty if valid).

    ``network``/``plan`` may be documents (dicts) or objects with ``.to_dict()``.
    """
    return _Validator(_as_doc(network), _as_doc(plan)).run()


def assert_valid(network: Any, plan: Any) -> None:
    """Raise :class:`PlanInvalidError` listing the violations, if there are any."""
    violations = validate(network, plan)
    if violations:
        raise PlanInvalidError(violations)


# ---- helpers ---------------------------------------------------------------------------


def _as_doc(x: Any) -> Any:
    """A document from a model object (``.to_dict()``) or the document itself."""
    if not isinstance(x, Mapping) and callable(getattr(x, "to_dict", None)):
        return x.to_dict()
    return x


def _is_num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _is_count(x: Any) -> bool:
    """A non-negative whole number (``3`` or ``3.0``)."""
    return _is_num(x) and x >= 0 and float(x).is_integer()


def _minute(x: Any) -> float | None:
    """A minute after midnight from a number or an ``"HH:MM"`` string; None if neither."""
    if _is_num(x):
        return float(x)
    if isinstance(x, str) and ":" in x:
        hh, _, mm = x.strip().partition(":")
        if hh.isdigit() and mm.isdigit():
            return int(hh) * 60.0 + int(mm)
    return None


def _window(x: Any) -> tuple[float, float] | None:
    """A ``[start, end]`` pair of minutes (shift or opening window); None if malformed."""
    if isinstance(x, list | tuple) and len(x) == 2:
        a, b = _minute(x[0]), _minute(x[1])
        if a is not None and b is not None:
            return a, b
    return None


def _tol(*xs: float, n: int = 1) -> float:
    """Tolerance for comparing values of this size (``n`` rounded terms summed)."""
    return REL_TOL * max([1.0, *(abs(x) for x in xs)]) + n * ABS_TOL


def _le(a: float, b: float) -> bool:
    """``a <= b`` up to tolerance."""
    return a <= b + _tol(a, b)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.6g}"


def _day_set(days: Iterable[str]) -> str:
    return "{" + ", ".join(map(str, days)) + "}"


class _RoadBounds:
    """Shortest road minutes and km between node pairs, by Dijkstra from the origins asked.

    For a planar network the straight Euclidean distance (km = minutes) also bounds a leg.
    """

    def __init__(self, nodes: dict[str, dict[str, Any]], roads: list[dict[str, Any]], planar: bool):
        self.nodes = nodes
        self.planar = planar
        self.index = {nid: i for i, nid in enumerate(nodes)}
        best_t: dict[tuple[int, int], float] = {}
        best_k: dict[tuple[int, int], float] = {}
        for r in roads:
            a, b = self.index.get(r["a"]), self.index.get(r["b"])
            if a is None or b is None or a == b:
                continue
            if not (_is_num(r["minutes"]) and _is_num(r["km"])):
                continue
            key = (min(a, b), max(a, b))
            best_t[key] = min(best_t.get(key, math.inf), max(float(r["minutes"]), 0.0))
            best_k[key] = min(best_k.get(key, math.inf), max(float(r["km"]), 0.0))
        n = len(self.index)
        self.minutes = self._matrix(best_t, n)
        self.km = self._matrix(best_k, n)
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
        try:
            return math.hypot(
                float(na["lon"]) - float(nb["lon"]), float(na["lat"]) - float(nb["lat"])
            )
        except (TypeError, ValueError):
            return math.inf

    def _shortest(
        self, matrix: csr_matrix, needs: dict[str, dict[str, float]]
    ) -> dict[tuple[str, str], float]:
        """Shortest distances origin -> target, searched only as far as the legs need.

        ``needs[a][b]`` is the largest value a leg a->b claims; Dijkstra from ``a`` stops
        beyond that (``limit=``), since only a shorter path can break the lower bound. A
        pair left unreached is searched again without a limit, for the exact figure.
        """
        out: dict[tuple[str, str], float] = {}
        if not self.has_roads:
            return {(a, b): math.inf for a, tg in needs.items() for b in tg}
        origins = sorted(needs, key=lambda a: max(needs[a].values()))
        unreached: list[str] = []
        for limited in (True, False):
            todo, unreached = (origins, []) if limited else (unreached, [])
            for start in range(0, len(todo), _CHUNK):
                chunk = todo[start : start + _CHUNK]
                idx = [self.index[a] for a in chunk]
                limit = max(max(needs[a].values()) for a in chunk)
                limit = limit + _tol(limit) + 1.0 if limited else np.inf
                dist = dijkstra(matrix, directed=True, indices=idx, limit=limit)
                for row, a in enumerate(chunk):
                    for b in needs[a]:
                        d = float(dist[row, self.index[b]])
                        if math.isinf(d) and limited:
                            unreached.append(a)
                        out[(a, b)] = d
            unreached = list(dict.fromkeys(unreached))
            if not unreached:
                break
        return out

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
                continue
            need_t[a][b] = max(need_t[a].get(b, 0.0), max(t, 0.0))
            need_k[a][b] = max(need_k[a].get(b, 0.0), max(k, 0.0))
        dt = self._shortest(self.minutes, need_t)
        dk = self._shortest(self.km, need_k)
        for key, t in dt.items():
            k = dk[key]
            if self.planar:
                e = self._euclid(*key)
                t, k = min(t, e), min(k, e)
            out[key] = (t, k)
        return out


# ---- the validator ----------------------------------------------------------------------


class _Validator:
    """One validation run over a network document and a plan document."""

    def __init__(self, net: Any, plan: Any) -> None:
        self.net = net
        self.plan = plan
        self.out: list[Violation] = []

    def add(self, rule: str, obj: str, message: str) -> None:
        self.out.append(Violation(rule, obj, message))

    # ---- entry point -------------------------------------------------------------------
    def run(self) -> list[Violation]:
        """All checks in order; structural faults stop the checks that depend on them."""
        if not self._read_network():
            return self.out
        routes = self._read_plan()
        if routes is None:
            return self.out
        good: list[tuple[str, dict[str, Any]]] = []
        names = Counter(f"{r.get('day')}/{r.get('vehicle')}" for r in routes if isinstance(r, dict))
        seen: Counter[str] = Counter()
        for i, r in enumerate(routes):
            if not isinstance(r, dict):
                self.add("format", f"route #{i}", "expected an object")
                continue
            name = f"{r.get('day')}/{r.get('vehicle')}"
            seen[name] += 1
            obj = f"route {name}" + (f" #{seen[name]}" if names[name] > 1 else "")
            if self._route_format(obj, r):
                good.append((obj, r))
        road_queries: list[tuple[str, int, dict[str, Any]]] = []
        for obj, r in good:
            self._check_route(obj, r, road_queries)
        self._check_roads(road_queries)
        self._check_one_per_day(good)
        self._check_horizon(good)
        if len(good) == len(routes):
            self._check_totals(good)
        return self.out

    # ---- documents ---------------------------------------------------------------------
    def _read_network(self) -> bool:
        """Check the network document's shape and build look-ups; False if unusable."""
        net = self.net
        if not isinstance(net, dict):
            self.add("format", "network", "expected a network document (JSON object)")
            return False
        ok = True
        if net.get("format") != NETWORK_FORMAT:
            self.add(
                "format", "network", f"format is {net.get('format')!r}, expected {NETWORK_FORMAT!r}"
            )
        days = net.get("days")
        if not isinstance(days, list) or not all(isinstance(d, str) for d in days):
            self.add("format", "network", "days: expected a list of day names")
            ok = False
        for coll, fields in _NET_REQUIRED.items():
            items = net.get(coll)
            if not isinstance(items, list):
                self.add("format", "network", f"{coll}: expected a list")
                ok = False
                continue
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    self.add("format", f"network {coll}[{i}]", "expected an object")
                    ok = False
                    continue
                missing = [f for f in fields if f not in item]
                ident = item.get("id", item.get("node", f"#{i}"))
                if missing:
                    self.add("format", f"{coll} {ident!r}", f"missing fields {missing}")
                    ok = False
                key = fields[0] if coll != "roads" else None
                refs = [key] if key else ["a", "b"]
                refs += {"ferries": ["from", "to"], "vehicles": ["depot"]}.get(coll, [])
                bad = [f for f in refs if f in item and not isinstance(item[f], str)]
                if bad:
                    self.add("format", f"{coll} {ident!r}", f"{bad}: expected ids (strings)")
                    ok = False
        if not ok:
            return False
        self.days: list[str] = list(days)
        self.day_index = {d: i for i, d in enumerate(self.days)}
        self.nodes: dict[str, dict[str, Any]] = {n["id"]: n for n in net["nodes"]}
        self.stations: dict[str, dict[str, Any]] = {s["node"]: s for s in net["stations"]}
        self.vehicles: dict[str, dict[str, Any]] = {v["id"]: v for v in net["vehicles"]}
        self.ferries: dict[str, dict[str, Any]] = {f["id"]: f for f in net["ferries"]}
        self.carriers: set[str] = {c["id"] for c in net["carriers"]}
        self.planar = net.get("geometry", "lonlat") == "planar"
        self.roads: list[dict[str, Any]] = net["roads"]
        return True

    def _read_plan(self) -> list[Any] | None:
        """Check the plan document's top level; the routes list, or None if unusable."""
        plan = self.plan
        if not isinstance(plan, dict):
            self.add("format", "plan", "expected a plan document (JSON object)")
            return None
        if plan.get("format") != PLAN_FORMAT:
            self.add(
                "format", "plan", f"format is {plan.get('format')!r}, expected {PLAN_FORMAT!r}"
            )
        if "network" not in plan:
            self.add("format", "plan", "missing field 'network'")
        elif plan["network"] != self.net.get("name"):
            self.add(
                "network-name",
                "plan",
                f"plan is for network {plan['network']!r}, not {self.net.get('name')!r}",
            )
        self.mode = plan.get("mode")
        if self.mode not in ("joint", "separate"):
            self.add("mode", "plan", f"mode is {self.mode!r}, expected 'joint' or 'separate'")
        totals = plan.get("totals")
        if not isinstance(totals, dict):
            self.add("format", "plan", "totals: expected an object")
        else:
            for f in _TOTALS_REQUIRED:
                if f not in totals:
                    self.add("format", "plan totals", f"missing field {f!r}")
                elif not _is_num(totals[f]):
                    self.add("format", "plan totals", f"{f}: expected a number")
        routes = plan.get("routes")
        if not isinstance(routes, list):
            self.add("format", "plan", "routes: expected a list")
            return None
        return routes

    def _route_format(self, obj: str, r: dict[str, Any]) -> bool:
        """Check a route's fields and types; False (after reporting) if it cannot be checked."""
        n0 = len(self.out)
        missing = [f for f in _ROUTE_REQUIRED if f not in r]
        if missing:
            self.add("format", obj, f"missing fields {missing}")
            return False
        if not isinstance(r["day"], str) or not isinstance(r["vehicle"], str):
            self.add("format", obj, "day and vehicle must be strings")
        if not isinstance(r["carriers"], list) or not all(
            isinstance(c, str) for c in r["carriers"]
        ):
            self.add("format", obj, "carriers: expected a list of carrier ids")
        elif len(set(r["carriers"])) != len(r["carriers"]):
            self.add("format", obj, f"carriers {r['carriers']} repeat a carrier")
        for f in ("km", "cost"):
            if not _is_num(r[f]):
                self.add("format", obj, f"{f}: expected a number, got {r[f]!r}")
        stops, legs = r["stops"], r["legs"]
        if not isinstance(stops, list) or len(stops) < 2:
            self.add("format", obj, "stops: expected a list of at least two stops")
            return False
        if not isinstance(legs, list):
            self.add("format", obj, "legs: expected a list")
            return False
        for k, s in enumerate(stops):
            where = f"{obj} stop {k}"
            if not isinstance(s, dict):
                self.add("format", where, "expected an object")
                continue
            miss = [f for f in _STOP_REQUIRED if f not in s]
            if miss:
                self.add("format", where, f"missing fields {miss}")
                continue
            if not isinstance(s["node"], str):
                self.add("format", where, "node: expected a node id")
            for f in ("arrive", "depart"):
                if not _is_num(s[f]) or s[f] < 0:
                    self.add("format", where, f"{f}: expected minutes >= 0, got {s[f]!r}")
            for f in ("deliver", "pickup"):
                if f in s and not (
                    isinstance(s[f], dict) and all(isinstance(c, str) for c in s[f])
                ):
                    self.add("format", where, f"{f}: expected an object of carrier counts")
        for j, g in enumerate(legs):
            where = f"{obj} leg {j}"
            if not isinstance(g, dict):
                self.add("format", where, "expected an object")
                continue
            miss = [f for f in _LEG_REQUIRED if f not in g]
            if g.get("mode") == "ferry" and "ferry" not in g:
                miss.append("ferry")
            if miss:
                self.add("format", where, f"missing fields {miss}")
                continue
            if not isinstance(g["from"], str) or not isinstance(g["to"], str):
                self.add("format", where, "from/to: expected node ids")
            if g["mode"] == "ferry" and not isinstance(g["ferry"], str):
                self.add("format", where, "ferry: expected a ferry id")
            if g["mode"] not in ("road", "ferry"):
                self.add("format", where, f"mode is {g['mode']!r}, expected 'road' or 'ferry'")
            for f in ("depart", "arrive", "km"):
                if not _is_num(g[f]) or g[f] < 0:
                    self.add("format", where, f"{f}: expected a number >= 0, got {g[f]!r}")
        return len(self.out) == n0

    # ---- one route ---------------------------------------------------------------------
    def _check_route(
        self, obj: str, r: dict[str, Any], road_queries: list[tuple[str, int, dict[str, Any]]]
    ) -> None:
        """Every rule that concerns one route alone."""
        day, stops, legs = r["day"], r["stops"], r["legs"]
        if day not in self.day_index:
            self.add("day", obj, f"unknown day {day!r} (horizon {self.days})")
        vehicle = self.vehicles.get(r["vehicle"])
        if vehicle is None:
            self.add("vehicle", obj, f"unknown vehicle {r['vehicle']!r}")
        for c in r["carriers"]:
            if c not in self.carriers:
                self.add("carrier", obj, f"unknown carrier {c!r}")
        nodes_ok = True
        for k, s in enumerate(stops):
            if s["node"] not in self.nodes:
                self.add("node", f"{obj} stop {k}", f"unknown node {s['node']!r}")
                nodes_ok = False
        for j, g in enumerate(legs):
            for end in ("from", "to"):
                if g[end] not in self.nodes:
                    self.add("node", f"{obj} leg {j}", f"{end}: unknown node {g[end]!r}")
                    nodes_ok = False

        if vehicle is not None:
            self._check_vehicle(obj, r, vehicle)
        self._check_chain(obj, stops, legs)
        for j, g in enumerate(legs):
            if g["mode"] == "ferry":
                self._check_ferry(f"{obj} leg {j}", day, g)
            elif nodes_ok:
                road_queries.append((f"{obj} leg {j}", j, g))
        self._check_stops(obj, r, vehicle)
        km = sum(float(g["km"]) for g in legs)
        if abs(km - float(r["km"])) > _tol(km, r["km"], n=len(legs) + 1):
            self.add("route-km", obj, f"km {_fmt(r['km'])} but its legs sum to {_fmt(km)}")

    def _check_vehicle(self, obj: str, r: dict[str, Any], v: dict[str, Any]) -> None:
        """Depot at both ends, vehicle days, shift, separate-mode carrier."""
        stops = r["stops"]
        depot = v["depot"]
        for end, s in (("first", stops[0]), ("last", stops[-1])):
            if s["node"] != depot:
                self.add(
                    "depot-ends",
                    obj,
                    f"{end} stop is {s['node']!r}, not the depot {depot!r} of vehicle {v['id']!r}",
                )
        vdays = v.get("days")
        if isinstance(vdays, list) and r["day"] not in vdays:
            self.add("vehicle-days", obj, f"vehicle {v['id']!r} runs only on {_day_set(vdays)}")
        shift = _window(v["shift"])
        if shift is None:
            self.add("format", f"vehicle {v['id']!r}", f"shift {v['shift']!r} is not [start, end]")
        else:
            start, end = stops[0]["arrive"], stops[-1]["arrive"]
            if not _le(shift[0], start):
                self.add(
                    "shift",
                    obj,
                    f"starts at {_fmt(start)}, before the shift start {_fmt(shift[0])}",
                )
            if not _le(end, shift[1]):
                self.add("shift", obj, f"ends at {_fmt(end)}, after the shift end {_fmt(shift[1])}")
        if self.mode == "separate":
            owner = v["carrier"]
            if owner is None:
                self.add(
                    "separate-carrier",
                    obj,
                    f"shared vehicle {v['id']!r} runs a route in separate mode",
                )
            elif r["carriers"] != [owner]:
                self.add(
                    "separate-carrier",
                    obj,
                    f"carries {r['carriers']} in separate mode; vehicle {v['id']!r} "
                    f"carries only [{owner!r}]",
                )

    def _check_chain(
        self, obj: str, stops: list[dict[str, Any]], legs: list[dict[str, Any]]
    ) -> None:
        """Stops joined by contiguous leg chains, and times that only move forward."""
        j = 0
        for k, s in enumerate(stops):
            if not _le(s["arrive"], s["depart"]):
                self.add(
                    "times",
                    f"{obj} stop {k}",
                    f"arrives {_fmt(s['arrive'])} after it departs {_fmt(s['depart'])}",
                )
        for k in range(len(stops) - 1):
            a, b = stops[k], stops[k + 1]
            where = f"{obj} stops {k}->{k + 1}"
            if j >= len(legs):
                self.add("leg-chain", where, f"no leg joins {a['node']!r} to {b['node']!r}")
                return
            if legs[j]["from"] != a["node"]:
                self.add(
                    "leg-chain",
                    where,
                    f"leg {j} starts at {legs[j]['from']!r}, not at stop {k}'s {a['node']!r}",
                )
                return
            clock, clock_what = a["depart"], f"stop {k} departs"
            while True:
                g = legs[j]
                if not _le(clock, g["depart"]):
                    self.add(
                        "times",
                        f"{obj} leg {j}",
                        f"departs {_fmt(g['depart'])} before {clock_what} {_fmt(clock)}",
                    )
                if not _le(g["depart"], g["arrive"]):
                    self.add(
                        "times",
                        f"{obj} leg {j}",
                        f"arrives {_fmt(g['arrive'])} before it departs {_fmt(g['depart'])}",
                    )
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
                    return
                if legs[j]["from"] != g["to"]:
                    self.add(
                        "leg-chain",
                        where,
                        f"leg {j - 1} ends at {g['to']!r} but leg {j} starts at "
                        f"{legs[j]['from']!r}",
                    )
                    return
            if not _le(clock, b["arrive"]):
                self.add(
                    "times",
                    f"{obj} stop {k + 1}",
                    f"arrives {_fmt(b['arrive'])} before {clock_what} {_fmt(clock)}",
                )
        if j < len(legs):
            self.add("leg-chain", obj, f"{len(legs) - j} legs after the last stop")

    def _check_ferry(self, where: str, day: str, g: dict[str, Any]) -> None:
        """A ferry leg is one crossing of a named ferry at a listed departure."""
        f = self.ferries.get(g["ferry"])
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
        dep = float(g["depart"])
        if day in self.day_index:
            shift_days, clock = divmod(dep, MINUTES_PER_DAY)
            ferry_day = self.days[(self.day_index[day] + int(shift_days)) % len(self.days)]
            departures = (
                f["departures"].get(ferry_day, []) if isinstance(f["departures"], dict) else []
            )
            if not isinstance(departures, list | tuple):
                departures = []
            times = [m for m in map(_minute, departures) if m is not None]
            if not any(abs(clock - t) <= _tol(t) for t in times):
                when = f"only at {sorted(times)}" if times else "never"
                self.add(
                    "ferry-departure",
                    where,
                    f"departs {_fmt(dep)} but ferry {f['id']!r} leaves on {ferry_day} {when}",
                )
        if _is_num(f["minutes"]):
            due = dep + float(f["minutes"])
            arr = float(g["arrive"])
            if abs(arr - due) > _tol(due) and abs(arr - math.ceil(due - _tol(due))) > _tol(due):
                self.add(
                    "ferry-duration",
                    where,
                    f"arrives {_fmt(arr)} but ferry {f['id']!r} takes {_fmt(f['minutes'])} "
                    f"minutes (due {_fmt(due)})",
                )

    def _check_stops(self, obj: str, r: dict[str, Any], vehicle: dict[str, Any] | None) -> None:
        """Windows, service time, hand-over counts and the vehicle's load along the route."""
        carriers = set(r["carriers"])
        load = 0
        changes: list[int] = []
        for k, s in enumerate(r["stops"]):
            where = f"{obj} stop {k}"
            station = self.stations.get(s["node"])
            delta = 0
            for field in ("deliver", "pickup"):
                counts = s.get(field) or {}
                for c, n in counts.items():
                    if not _is_count(n):
                        self.add("deliver-count", where, f"{field} {c}: {n!r} is not a count >= 0")
                        continue
                    if n == 0:
                        continue
                    if c not in carriers:
                        self.add(
                            "deliver-carrier",
                            where,
                            f"{field}s {_fmt(n)} for {c!r}, not among the route's carriers "
                            f"{r['carriers']}",
                        )
                    if station is None:
                        self.add(
                            "deliver-station",
                            where,
                            f"{field}s {_fmt(n)} for {c!r} at {s['node']!r}, not a station",
                        )
                    if field == "deliver":
                        load += int(n)
                        delta -= int(n)
                    else:
                        delta += int(n)
            changes.append(delta)
            if station is not None:
                self._check_station_stop(where, station, s)
        if vehicle is not None and _is_num(vehicle["capacity"]):
            cap = vehicle["capacity"]
            peak, at = load, "leaving the depot"
            for k, d in enumerate(changes):
                load += d
                if load > peak:
                    peak, at = load, f"after stop {k}"
            if peak > cap:
                self.add(
                    "capacity",
                    obj,
                    f"carries {peak} parcels {at}, over the capacity {cap} of vehicle "
                    f"{vehicle['id']!r}",
                )

    def _check_station_stop(self, where: str, station: dict[str, Any], s: dict[str, Any]) -> None:
        """A stop at a station: inside its opening window, long enough for service."""
        win = _window(station["open"])
        node = station["node"]
        if win is None:
            self.add("format", f"station {node!r}", f"open {station['open']!r} is not [start, end]")
        else:
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
        service = station.get("service_minutes")
        if _is_num(service):
            stay = s["depart"] - s["arrive"]
            if not _le(service, stay):
                self.add(
                    "service-time",
                    where,
                    f"stays {_fmt(stay)} minutes at station {node!r}, which needs {_fmt(service)}",
                )

    # ---- roads -------------------------------------------------------------------------
    def _check_roads(self, queries: list[tuple[str, int, dict[str, Any]]]) -> None:
        """Road legs no faster and no shorter than the shortest road path."""
        if not queries:
            return
        graph = _RoadBounds(self.nodes, self.roads, self.planar)
        bounds = graph.bounds(
            (g["from"], g["to"], float(g["arrive"]) - float(g["depart"]), float(g["km"]))
            for _, _, g in queries
        )
        for where, _, g in queries:
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
    def _check_one_per_day(self, good: list[tuple[str, dict[str, Any]]]) -> None:
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

    def _check_horizon(self, good: list[tuple[str, dict[str, Any]]]) -> None:
        """Weekly totals per station and carrier, visit counts, exact visits, patterns."""
        delivered: Counter[tuple[str, str]] = Counter()
        picked: Counter[tuple[str, str]] = Counter()
        visit_days: dict[tuple[str, str], set[str]] = defaultdict(set)
        for _, r in good:
            for s in r["stops"]:
                node = s["node"]
                if node not in self.stations:
                    continue
                for field, tally in (("deliver", delivered), ("pickup", picked)):
                    for c, n in (s.get(field) or {}).items():
                        if _is_count(n):
                            tally[(node, c)] += int(n)
                for c in r["carriers"]:
                    visit_days[(node, c)].add(r["day"])
        order = self.day_index
        for node, st in self.stations.items():
            obj = f"station {node!r}"
            demand = st["demand"] if isinstance(st["demand"], dict) else {}
            pickup = st.get("pickup") if isinstance(st.get("pickup"), dict) else {}
            for field, want, got in (
                ("delivered-total", demand, delivered),
                ("pickup-total", pickup, picked),
            ):
                cs = {c for (n, c) in got if n == node} | set(want)
                for c in sorted(cs):
                    need, have = want.get(c, 0), got[(node, c)]
                    if have != need:
                        verb = "receives" if field == "delivered-total" else "hands over"
                        self.add(
                            field,
                            obj,
                            f"{verb} {have} {c} parcels over the horizon; expected {need}",
                        )
            mv = st["min_visits"]
            patterns = st.get("patterns")
            allowed = (
                {frozenset(p) for p in patterns if isinstance(p, list | tuple)}
                if isinstance(patterns, list | tuple)
                else None
            )
            for c in sorted(c for c, n in demand.items() if _is_num(n) and n > 0):
                vdays = sorted(visit_days.get((node, c), set()), key=lambda d: order.get(d, -1))
                n = len(vdays)
                if _is_num(mv) and n < mv:
                    self.add(
                        "visits",
                        obj,
                        f"visited for {c!r} on {n} days {_day_set(vdays)}; needs at least {mv}",
                    )
                if st.get("exact_visits") is True and _is_num(mv) and n > mv:
                    self.add(
                        "exact-visits",
                        obj,
                        f"visited for {c!r} on {n} days {_day_set(vdays)}; needs exactly {mv}",
                    )
                if allowed is not None and frozenset(vdays) not in allowed:
                    self.add(
                        "pattern",
                        obj,
                        f"visit days for {c!r} {_day_set(vdays)} are not an allowed pattern",
                    )

    def _check_totals(self, good: list[tuple[str, dict[str, Any]]]) -> None:
        """The plan's totals agree with its routes."""
        totals = self.plan.get("totals")
        if not isinstance(totals, dict):
            return
        n = len(good) + 1
        km = sum(float(r["km"]) for _, r in good)
        cost = sum(float(r["cost"]) for _, r in good)
        vehicles = len({r["vehicle"] for _, r in good})
        crossings = sum(1 for _, r in good for g in r["legs"] if g["mode"] == "ferry")
        for rule, field, want in (
            ("totals-km", "km", km),
            ("totals-cost", "cost", cost),
        ):
            have = totals.get(field)
            if _is_num(have) and abs(have - want) > _tol(have, want, n=n):
                self.add(rule, "plan totals", f"{field} {_fmt(have)} but routes sum to {want:.6g}")
        for rule, field, want_i in (
            ("totals-vehicles", "vehicles", vehicles),
            ("totals-ferry-crossings", "ferry_crossings", crossings),
        ):
            have = totals.get(field)
            if _is_num(have) and have != want_i:
                self.add(rule, "plan totals", f"{field} {_fmt(have)} but the routes give {want_i}")
