"""Which vehicle can serve which station on which day, and why a station cannot be served.

A vehicle leaves its depot once its parcels are there (at once where a road joins the
depot to a hub; else when the boat from the hub arrives), drives roads and rides
vehicle ferries at their departures, and is home by the end of its shift the same day.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from islandroute.errors import Problem
from islandroute.model.network import Network, Station, Vehicle
from islandroute.network.handin import explain, hand_in_trip
from islandroute.network.travel import Travel

INF = math.inf


@dataclass(frozen=True)
class Access:
    """One vehicle class on one day: when it can leave, reach and leave every station."""

    ready: float
    arrive: np.ndarray
    leave: np.ndarray
    parcel_fare: float = 0.0
    reached: dict[str, float] | None = None
    home_by: dict[str, float] | None = None

    def servable(self, open_: np.ndarray, service: np.ndarray) -> np.ndarray:
        """Stations this vehicle can visit inside their opening hours and be home in time."""
        start = np.maximum(self.arrive, open_[:, 0])
        return (
            (self.arrive <= open_[:, 1])
            & (start + service <= self.leave)
            & np.isfinite(self.arrive)
        )


class Reach:
    """Per-vehicle, per-day access to the stations of a network (computed lazily, cached)."""

    def __init__(self, net: Network, travel: Travel | None = None) -> None:
        self.net = net
        self.travel = travel or Travel(net)
        self.stations: list[Station] = list(net.stations)
        self.st_rows = np.array([self.travel.i(s.node) for s in self.stations], dtype=np.int64)
        self.open = np.array([s.open for s in self.stations], dtype=float).reshape(-1, 2)
        self.service = np.array([s.service_minutes for s in self.stations], dtype=float)
        self._cache: dict[tuple[str, tuple[int, int], int, bool], Access | None] = {}
        self._servable: dict[tuple[object, ...], np.ndarray] = {}
        self._ready: dict[tuple[str, int], tuple[float, float]] = {}

    @cached_property
    def hubs(self) -> list[str]:
        return [n.id for n in self.net.nodes if n.kind == "hub"]

    def works_on(self, v: Vehicle, day: str) -> bool:
        return day in (v.days if v.days is not None else self.net.service_days)

    def access(self, v: Vehicle, day: str, *, timed: bool = True) -> Access | None:
        """When ``v`` can be at each station on ``day`` (None if it cannot work that day).

        With ``timed=False`` ferries are taken as running at any time of any day the
        line runs at all: reach in space only, for diagnosis.
        """
        if not self.works_on(v, day):
            return None
        key = (v.depot, v.shift, self.net.days.index(day), timed)
        if key not in self._cache:
            self._cache[key] = self._access(v, day, timed)
        return self._cache[key]

    def servable(self, v: Vehicle, day: str) -> np.ndarray:
        """Boolean per station: ``v`` can serve it on ``day`` within all time rules
        (computed once per depot, shift and day; do not modify the array)."""
        key = (v.depot, v.shift, day, v.days)
        if key not in self._servable:
            acc = self.access(v, day)
            self._servable[key] = (
                np.zeros(len(self.stations), dtype=bool)
                if acc is None
                else acc.servable(self.open, self.service)
            )
        return self._servable[key]

    def hands_in(self, v: Vehicle, day: str) -> np.ndarray:
        """Boolean per station: ``v`` can collect there on ``day`` and hand the pickups in
        where, by when and as cold as asked (True where nothing is asked)."""
        key = ("hand-in", v.depot, v.shift, day, v.days, v.refrigerated)
        if key not in self._servable:
            ok = np.ones(len(self.stations), dtype=bool)
            for si, st in enumerate(self.stations):
                if st.pickup and st.hands_in_en_route:
                    ok[si] = hand_in_trip(self, v, day, si).ok
            self._servable[key] = ok
        return self._servable[key]

    def largest_capacity(self, vehicles: list[Vehicle], days: list[str]) -> np.ndarray:
        """Per station, the largest capacity among ``vehicles`` that can serve it on
        some of ``days`` (0 where none can)."""
        cap = np.zeros(len(self.stations))
        for v in vehicles:
            able = np.zeros(len(self.stations), dtype=bool)
            for d in days:
                able |= self.servable(v, d)
            cap = np.where(able, np.maximum(cap, v.capacity), cap)
        return cap

    # ---- searches -------------------------------------------------------------------
    def parcels_ready(self, depot: str, day: int) -> tuple[float, float]:
        """When the day's parcels reach ``depot`` and the boat fare per parcel on the way."""
        key = (depot, day)
        if key not in self._ready:
            self._ready[key] = self._parcels_ready(depot, day)
        return self._ready[key]

    def _parcels_ready(self, depot: str, day: int) -> tuple[float, float]:
        t = self.travel
        if not self.hubs or any(t.zone_of(h) == t.zone_of(depot) for h in self.hubs):
            return 0.0, 0.0
        j = t.earliest_arrival(
            self.hubs,
            depot,
            self.net.days[day],
            self.net.rules.hub_dispatch,
            vehicle=False,
            max_days=1,
        )
        if j is None:
            return INF, 0.0
        fares = sum(t.net.ferry_by_id[hp.ferry].fare_parcel for hp in j.hops if hp.ferry)
        return j.arrive, fares

    def _places(self, depot: str) -> list[str]:
        return list(dict.fromkeys([depot, *self.travel.piers]))

    def _access(self, v: Vehicle, day: str, timed: bool) -> Access | None:
        t = self.travel
        di = self.net.days.index(day)
        ready, fare = self.parcels_ready(v.depot, di)
        ready = max(ready, float(v.shift[0]))
        if not math.isfinite(ready) or ready > v.shift[1]:
            return None
        places = self._places(v.depot)
        fwd = self._forward(v.depot, places, di, ready, v.shift[1], timed)
        bwd = self._backward(v.depot, places, di, float(v.shift[1]), v.shift[0], timed)
        arrive = np.full(len(self.stations), INF)
        leave = np.full(len(self.stations), -INF)
        for p, tp in fwd.items():
            arrive = np.minimum(arrive, tp + t.minutes[t.i(p), self.st_rows])
        for p, tp in bwd.items():
            leave = np.maximum(leave, tp - t.minutes[self.st_rows, t.i(p)])
        return Access(ready, arrive, leave, fare, fwd, bwd)

    def _forward(
        self, src: str, places: list[str], day: int, start: float, end: float, timed: bool
    ) -> dict[str, float]:
        """Earliest arrival at each place, same day, vehicle ferries only."""
        t = self.travel
        best = {src: start}
        heap = [(start, src)]
        done: set[str] = set()
        while heap:
            tu, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            iu = t.i(u)
            moves = [(p, tu + t.minutes[iu, t.i(p)]) for p in places if p not in done]
            for f in t.ferries_from.get(u, []):
                if not f.vehicles:
                    continue
                if timed:
                    dep = t.next_departure(f, day, tu, 1)
                elif f.departures.get(self.net.days[day]):
                    dep = tu
                else:
                    dep = None
                if dep is not None:
                    moves.append((f.to, dep + f.minutes))
            for p, tp in moves:
                if tp <= end and tp < best.get(p, INF):
                    best[p] = tp
                    heapq.heappush(heap, (tp, p))
        return best

    def _backward(
        self,
        dst: str,
        places: list[str],
        day: int,
        deadline: float,
        earliest: float,
        timed: bool,
    ) -> dict[str, float]:
        """Latest departure from each place that still reaches ``dst`` by ``deadline``."""
        t = self.travel
        best = {dst: deadline}
        heap = [(-deadline, dst)]
        done: set[str] = set()
        while heap:
            neg, v = heapq.heappop(heap)
            tv = -neg
            if v in done:
                continue
            done.add(v)
            iv = t.i(v)
            moves = [(p, tv - t.minutes[t.i(p), iv]) for p in places if p not in done]
            for f in t.ferries_to.get(v, []):
                if not f.vehicles:
                    continue
                if timed:
                    dep = t.prev_departure(f, day, tv - f.minutes)
                elif f.departures.get(self.net.days[day]):
                    dep = tv - f.minutes
                else:
                    dep = None
                if dep is not None:
                    moves.append((f.from_, dep))
            for p, tp in moves:
                if tp >= earliest and tp > best.get(p, -INF):
                    best[p] = tp
                    heapq.heappush(heap, (-tp, p))
        return best


def visit_load(net: Network, st: Station, carrier: str) -> int:
    """The fewest parcels the largest visit of a carrier at a station can carry, over its
    allowed patterns (a visit brings what came since the one before, or an equal share)."""
    w = st.demand.get(carrier, 0) + st.pickup.get(carrier, 0)
    fewest = math.ceil(w / max(1, st.min_visits))
    patterns = net.allowed_patterns(st)
    return min((_largest_visit(net, p, w) for p in patterns if p), default=fewest)


def _largest_visit(net: Network, pattern: tuple[str, ...], w: int) -> int:
    """The least the largest visit of ``pattern`` carries of ``w`` weekly parcels."""
    even = math.ceil(w / len(pattern))
    if net.rules.split == "equal":
        return even
    n = len(net.days)
    idx = [net.days.index(d) for d in pattern]
    gap = max((idx[k] - idx[k - 1]) % n or n for k in range(len(idx)))
    return max(even, math.floor(w * gap / n))


def diagnose(
    net: Network, reach: Reach, mode: str = "joint", carriers: list[str] | None = None
) -> list[Problem]:
    """Why stations cannot be served as asked: reach, visit days, opening hours, capacity.

    ``joint``: any vehicle may serve any carrier; ``separate``: a carrier's parcels ride
    only its own vehicles. Returns one problem per station and rule; empty when every
    station can be planned.
    """
    days = list(net.service_days)
    carriers = carriers if carriers is not None else list(net.carrier_ids)
    groups = _fleet_groups(net, mode, carriers)
    reached = {key: _fleet_reach(reach, fleet, days) for key, fleet in groups.items()}
    largest = {key: _largest(reach, fleet, days) for key, fleet in groups.items()}
    problems: list[Problem] = []
    for si, st in enumerate(reach.stations):
        for c in carriers:
            if st.demand.get(c, 0) + st.pickup.get(c, 0) <= 0:
                continue
            key = _group_key(mode, c)
            served, spatial = reached[key]
            ok_days = [d for k, d in enumerate(days) if served[si, k]]
            cover = _Coverage(groups[key], bool(spatial[si]), ok_days, int(largest[key][si]))
            problem = _station_problem(net, st, c, mode, cover)
            if problem is not None:
                problems.append(problem)
            if mode == "joint":
                break
    if mode == "joint":
        problems += _joint_capacity(net, reach, reached[("*",)][0], days)
    named = {p.obj for p in problems}
    return problems + [
        p for p in _handin_problems(net, reach, groups, carriers, mode) if p.obj not in named
    ]


def _largest(reach: Reach, fleet: list[Vehicle], days: list[str]) -> np.ndarray:
    """Per station, the largest vehicle of ``fleet`` that can serve it (a refrigerated one
    where the station sends cold parcels)."""
    cap = reach.largest_capacity(fleet, days)
    cold = np.array([bool(st.cold and st.pickup) for st in reach.stations], dtype=bool)
    if not cold.any():
        return cap
    chilled = reach.largest_capacity([v for v in fleet if v.refrigerated], days)
    return np.where(cold, chilled, cap)


def _handin_problems(
    net: Network,
    reach: Reach,
    groups: dict[tuple[str, ...], list[Vehicle]],
    carriers: list[str],
    mode: str,
) -> list[Problem]:
    """Stations whose pickups no vehicle of the fleet group can hand in where, by when and
    as cold as asked on enough days for their visits (the best try named)."""
    days = list(net.service_days)
    out = []
    for si, st in enumerate(reach.stations):
        if not st.hands_in_en_route:
            continue
        for c in carriers:
            if st.pickup.get(c, 0) <= 0:
                continue
            fleet = [v for v in groups[_group_key(mode, c)] if v.refrigerated or not st.cold]
            who = "any vehicle" if mode == "joint" else f"{c}'s own vehicles"
            if not fleet:
                out.append(
                    Problem(
                        f"station {st.node!r}",
                        "cold",
                        f"its cold parcels ride only refrigerated vehicles and {who} has none",
                    )
                )
                break
            tries = {
                d: [hand_in_trip(reach, v, d, si) for v in fleet if reach.works_on(v, d)]
                for d in days
            }
            ok_days = [d for d in days if any(t.ok for t in tries[d])]
            if any(set(p) <= set(ok_days) for p in net.allowed_patterns(st)):
                continue
            failed = [t for ts in tries.values() for t in ts if not t.ok]
            timed = [t for t in failed if t.arrive is not None]
            best = min(timed, key=lambda t: t.arrive or 0.0) if timed else next(iter(failed), None)
            field = best.field if best is not None else "pickup_to"
            out.append(Problem(f"station {st.node!r}", field, explain(st, best, who)))
            break
    return out


def _group_key(mode: str, carrier: str) -> tuple[str, ...]:
    """The fleet group serving ``carrier``: one for all carriers in joint mode."""
    return ("*",) if mode == "joint" else (carrier,)


def _fleet_groups(
    net: Network, mode: str, carriers: list[str]
) -> dict[tuple[str, ...], list[Vehicle]]:
    """The vehicles of each fleet group: every vehicle in joint mode, else each carrier's
    own (none for a carrier without vehicles)."""
    owners: dict[str | None, list[Vehicle]] = {}
    for v in net.vehicles:
        owners.setdefault(v.carrier, []).append(v)
    groups: dict[tuple[str, ...], list[Vehicle]] = {}
    for c in carriers:
        fleet = list(net.vehicles) if mode == "joint" else owners.get(c, [])
        groups.setdefault(_group_key(mode, c), fleet)
    return groups


def _fleet_reach(
    reach: Reach, fleet: list[Vehicle], days: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Which stations some vehicle of ``fleet`` can serve on each day within all time
    rules, and which it can reach at all (ferries at any time they run)."""
    ok = np.zeros((len(reach.stations), len(days)), dtype=bool)
    sp = np.zeros(len(reach.stations), dtype=bool)
    for v in fleet:
        for k, d in enumerate(days):
            ok[:, k] |= reach.servable(v, d)
            acc = reach.access(v, d, timed=False)
            if acc is not None:
                sp |= np.isfinite(acc.arrive) & np.isfinite(acc.leave)
    return ok, sp


@dataclass(frozen=True)
class _Coverage:
    """What one fleet group can do for one station, as the diagnosis rules read it."""

    vehicles: list[Vehicle]
    reachable: bool  # some vehicle reaches it at all
    ok_days: list[str]  # the service days some vehicle can serve it
    largest: int  # the largest capacity that can serve it


def _station_problem(
    net: Network, st: Station, c: str, mode: str, cover: _Coverage
) -> Problem | None:
    """The first rule that stops ``c``'s fleet group serving ``st``: reach, opening hours,
    visit days, then (separate mode) the size of a visit; None if none does."""
    obj = f"station {st.node!r}"
    who = "any vehicle" if mode == "joint" else f"{c}'s own vehicles"
    ok_days = cover.ok_days
    if not cover.vehicles:
        return Problem(obj, "reach", f"carrier {c!r} has no vehicle")
    if not cover.reachable:
        return Problem(
            obj,
            "reach",
            f"{who} cannot reach it (no road, bridge or vehicle ferry from a depot, "
            f"and no vehicle based on island {net.node_by_id[st.node].island!r})",
        )
    if not ok_days:
        return Problem(
            obj,
            "open",
            f"opening hours {list(st.open)} fit no shift of {who} once ferry "
            "timetables and the way home are counted",
        )
    if len(ok_days) < st.min_visits or not any(
        set(p) <= set(ok_days) for p in net.allowed_patterns(st)
    ):
        return Problem(
            obj,
            "min_visits",
            f"needs {st.min_visits} visits a week but {who} can serve it only on "
            f"{', '.join(ok_days)} (ferry days or shifts) in an allowed pattern",
        )
    if mode != "joint":
        need = visit_load(net, st, c)
        if need > cover.largest:
            return _too_big(st, c, need, cover.largest, f"vehicle of {who}")
    return None


def _joint_capacity(
    net: Network, reach: Reach, served: np.ndarray, days: list[str]
) -> list[Problem]:
    """In joint mode a visit may split by carrier over vehicles, but no carrier's part may
    exceed the largest vehicle that reaches the station (on any day it can be served)."""
    out = []
    cap = _largest(reach, list(net.vehicles), days)
    for si, st in enumerate(reach.stations):
        if not served[si].any():
            continue
        for c in dict.fromkeys([*st.demand, *st.pickup]):
            need = visit_load(net, st, c)
            if need > cap[si]:
                out.append(_too_big(st, c, need, int(cap[si]), "vehicle"))
    return out


def _too_big(st: Station, c: str, need: int, cap: int, who: str) -> Problem:
    """A visit of carrier ``c`` at ``st`` larger than the largest vehicle of ``who`` (a
    refrigerated one where the station sends cold parcels) that can reach it."""
    field = f"demand.{c}" if st.demand.get(c) else f"pickup.{c}"
    if st.cold and st.pickup:
        if cap == 0:
            return Problem(
                f"station {st.node!r}",
                "cold",
                f"its cold parcels ride only refrigerated vehicles and no {who} "
                "that can reach it is one",
            )
        who = f"refrigerated {who}"
    return Problem(
        f"station {st.node!r}",
        field,
        f"a visit carries at least {need} parcels of {c} but the largest {who} "
        f"that can reach it holds {cap}",
    )


def check_network(net: Network, travel: Travel | None = None) -> list[Problem]:
    """Network-level checks beyond the model's: every station reachable and servable by
    some vehicle (joint sense) on enough days, and no visit larger than every vehicle."""
    return diagnose(net, Reach(net, travel), mode="joint")
