"""Insertion-based local search over visit patterns, on the routes as they stand.

A move gives one station another allowed pattern: its visits leave the routes of the
days it drops (saving their detours) and enter the cheapest feasible position of a route
on each day it gains (capacity, opening hours, ferry departures and shift end checked on
the day's solver model). Moves are evaluated exactly against the current routes and
applied at once, so hundreds are tried per second; OR-Tools then re-optimises the days
(Cordeau, Gendreau & Laporte 1997 search patterns the same way, with penalties).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from islandroute.planning.construct import fits, route_cost
from islandroute.planning.day import (
    DayLayout,
    Visit,
    build_day,
    events_to_nodes,
    visit_on,
    working,
)
from islandroute.planning.day_solver import DayResult
from islandroute.planning.instance import Instance, Pattern
from islandroute.planning.options import DEFAULT_TUNING
from islandroute.planning.ortools_adapter import BIG, DayModel
from islandroute.planning.week import Week

EPS = 1e-6  # a move must gain more than this (solver cost units)


def searchable(inst: Instance, limit: int = DEFAULT_TUNING.search_visits) -> bool:
    """Whether every day's universe (a node for each station that may come) holds at
    most ``limit`` visits, small enough to search with exact insertions."""
    per_day = {d: 0 for d in inst.days}
    for si in inst.stations:
        for d in {d for p in inst.patterns[si] for d in p}:
            per_day[d] += len(inst.units[si])
    return max(per_day.values(), default=0) <= limit


@dataclass
class _Day:
    """A day's universe layout (a node for every station that may be visited that day)
    and the current routes, loads and node of each station on it."""

    lay: DayLayout
    model: DayModel
    routes: list[list[int]]
    loads: list[int]
    node_of: dict[int, int]
    load_of: dict[int, int]
    penalty: float = 0.0

    def over(self, k: int, load: int) -> float:
        """Penalty of vehicle ``k`` carrying ``load`` (beyond capacity, if allowed)."""
        excess = load - self.model.capacity[k]
        if excess <= 0:
            return 0.0
        return self.penalty * excess if self.penalty else np.inf

    def room(self, load: int) -> bool:
        """Whether the day's whole fleet can still take ``load`` more."""
        return sum(self.loads) + load <= sum(self.model.capacity)


@dataclass
class Searched:
    """A week whose days hold the changed routes (to be re-solved warm), the days that
    changed, and how many stations moved."""

    week: Week
    touched: set[str]
    moved: int


def pattern_search(
    week: Week,
    seconds: float,
    rng: np.random.Generator,
    overload: float = 0.0,
    kick: int = 0,
) -> Searched | None:
    """Move stations to cheaper patterns for at most ``seconds``; ``None`` when nothing
    moved.

    ``overload`` lets a route go over capacity at that many typical depot trips per parcel
    over (the day's re-solve repacks the routes; the day's fleet is never overfilled).
    ``kick`` first gives that many neighbouring stations a random other pattern, to leave
    a local optimum.
    """
    end = week.deadline.within(seconds)
    inst = week.inst
    movable = [
        si for si in inst.stations if len(inst.patterns[si]) > 1 and len(inst.units[si]) == 1
    ]
    if not movable or week.dropped():
        return None
    assignment = dict(week.assignment)
    days = _universe(week, movable, overload)
    if days is None:
        return None
    search = _Search(inst, days, assignment)
    kicked, touched = _kick(search, week, movable, kick, rng) if kick else (set(), set())
    moved = len(kicked)
    movable = [si for si in movable if si not in kicked]  # no undoing the kick at once
    improving = True
    while improving and not end.passed():
        improving = False
        for si in rng.permutation(movable).tolist():
            if end.passed():
                break
            best = search.best_move(si)
            if best is not None:
                touched |= set(best.pattern) | set(assignment[si])
                search.apply(si, best)
                moved += 1
                improving = True
    if not moved:
        return None
    trial = week.fork(assignment)
    for d in touched:
        trial.days[d] = _result(days[d])
    return Searched(trial, touched, moved)


def _kick(
    search: _Search, week: Week, movable: list[int], kick: int, rng: np.random.Generator
) -> tuple[set[int], set[str]]:
    """Give ``kick`` neighbouring stations a random other pattern: the stations moved
    and the days touched."""
    kicked: set[int] = set()
    touched: set[str] = set()
    for si in _neighbours(week, movable, kick, rng):
        options = [p for p in search.inst.patterns[si] if p != search.assignment[si]]
        move = search.evaluate(si, options[int(rng.integers(len(options)))], -np.inf)
        if move is not None:
            touched |= set(move.pattern) | set(search.assignment[si])
            search.apply(si, move)
            kicked.add(si)
    return kicked, touched


def _neighbours(week: Week, movable: list[int], n: int, rng: np.random.Generator) -> list[int]:
    """A random movable station and the ``n - 1`` movable stations nearest to it."""
    inst = week.inst
    t = inst.travel
    seed = movable[int(rng.integers(len(movable)))]
    here = t.i(inst.station(seed).node)
    dist = [inst.arc_cost[here, t.i(inst.station(si).node)] for si in movable]
    return [movable[i] for i in np.argsort(dist, kind="stable")[:n]]


def _result(day: _Day) -> DayResult:
    """A day's routes as events (objective unknown until solved)."""
    events = [
        (day.lay.vehicles[k], [day.lay.event(x) for x in seq])
        for k, seq in enumerate(day.routes)
        if seq
    ]
    return DayResult(events, 0)


def _universe(week: Week, movable: list[int], overload: float) -> dict[str, _Day] | None:
    """Each day's layout with a node for every station that may come that day, and the
    week's routes on it."""
    inst = week.inst
    mov = set(movable)
    out: dict[str, _Day] = {}
    for d in inst.days:
        visits = [
            visit_on(inst, u, week.assignment[si], d)
            for si in inst.stations
            if d in week.assignment[si]
            for u in inst.units[si]
        ]
        visits += [
            Visit(u, 0)
            for si in movable
            if d not in week.assignment[si] and any(d in p for p in inst.patterns[si])
            for u in inst.units[si]
        ]
        lay = build_day(inst, d, visits, working(inst, d), None, tuning=week.tuning)
        if lay is None:
            continue
        prev = {v.id: ev for v, ev in week.days[d].events} if d in week.days else {}
        routes = events_to_nodes(lay, [prev.get(v.id, []) for v in lay.vehicles])
        node_of = {
            v.unit.station: lay.first_visit + j
            for j, v in enumerate(lay.visits)
            if v.unit.station in mov
        }
        load_of = {x: int(lay.model.demand[x]) for seq in routes for x in seq}
        loads = [sum(load_of[x] for x in seq) for seq in routes]
        served = {x for seq in routes for x in seq}
        if any(
            node_of.get(si) not in served
            for si in movable
            if d in week.assignment[si] and si in node_of
        ):
            return None  # the routes could not be read back: leave the week alone
        # a parcel over capacity costs ``overload`` times a typical depot trip per parcel
        m = lay.model
        trip = np.median(m.cost[0][m.starts[0], lay.first_visit : lay.first_ferry])
        per_parcel = float(trip) / float(np.median([v.load for v in visits if v.load] or [1]))
        out[d] = _Day(lay, m, routes, loads, node_of, load_of, overload * per_parcel)
    return out


def _removal(day: _Day, node: int) -> tuple[int, int, float] | None:
    """(vehicle, position, saving) of taking ``node`` out of its route."""
    for k, seq in enumerate(day.routes):
        if node in seq:
            pos = seq.index(node)
            rest = seq[:pos] + seq[pos + 1 :]
            saving = route_cost(day.model, k, seq) - route_cost(day.model, k, rest)
            saving += day.over(k, day.loads[k]) - day.over(k, day.loads[k] - day.load_of[node])
            return k, pos, saving
    return None


def _exact_insertion(day: _Day, node: int, load: int) -> tuple[int, int, float] | None:
    """(vehicle, position, added cost) of the cheapest feasible insertion (times,
    departures and shift checked on the day's model) of ``node``."""
    m = day.model
    allowed = m.allowed_vehicles.get(node, range(len(m.starts)))
    best: tuple[int, int, float] | None = None
    empty_tried: set[tuple[int, int]] = set()
    for k in allowed:
        extra = day.over(k, day.loads[k] + load) - day.over(k, day.loads[k])
        if not np.isfinite(extra):
            continue
        seq = day.routes[k]
        if not seq:
            key = (m.starts[k], m.vehicle_cost_class[k])
            if key in empty_tried:  # identical empty vehicles: one is enough
                continue
            empty_tried.add(key)
        path = np.array([m.starts[k], *seq, m.ends[k]])
        c = m.cost[m.vehicle_cost_class[k]]
        a, b = path[:-1], path[1:]
        delta = c[a, node] + c[node, b] - c[a, b]
        dt = m.time[a, node] + m.time[node, b] - m.time[a, b]
        total = delta.astype(float) + m.span_cost[k] * dt.astype(float)
        total += extra + (m.fixed_cost[k] if not seq else 0)
        bad = (c[a, node] >= BIG) | (c[node, b] >= BIG)
        total[bad] = np.inf
        for pos in np.argsort(total, kind="stable"):
            if not np.isfinite(total[pos]) or (best is not None and total[pos] >= best[2]):
                break
            if fits(m, k, [*seq[:pos], node, *seq[pos:]]):
                best = (k, int(pos), float(total[pos]))
                break
    return best


Removal = tuple[str, int, int]  # day, vehicle, position
Insertion = tuple[str, int, int, int]  # day, vehicle, position, load


@dataclass(frozen=True)
class _Move:
    """A pattern change: what it gains, and the visits it takes out and puts in."""

    pattern: Pattern
    gain: float
    removes: list[Removal]
    inserts: list[Insertion]


@dataclass
class _Search:
    """The days' routes and the stations' patterns that moves read and change."""

    inst: Instance
    days: dict[str, _Day]
    assignment: dict[int, Pattern]

    def best_move(self, si: int) -> _Move | None:
        """The most improving other pattern for station ``si``."""
        best: _Move | None = None
        for pat in self.inst.patterns[si]:
            if pat != self.assignment[si]:
                move = self.evaluate(si, pat, best.gain if best else EPS)
                if move is not None and move.gain > (best.gain if best else EPS):
                    best = move
        return best

    def evaluate(self, si: int, pat: Pattern, floor: float) -> _Move | None:
        """Giving ``si`` pattern ``pat``; ``None`` when it does not fit or is sure to
        gain no more than ``floor``."""
        cur = self.assignment[si]
        unit = self.inst.units[si][0]
        removals: dict[str, tuple[int, int, float]] = {}
        for d in cur:
            day = self.days.get(d)
            hit = _removal(day, day.node_of[si]) if day and si in day.node_of else None
            if hit is None:
                return None
            removals[d] = hit
        gain = sum(removals[d][2] for d in cur if d not in pat)
        inserts: list[Insertion] = []
        for d in pat:
            day = self.days.get(d)
            if day is None or si not in day.node_of:
                return None
            node, load = day.node_of[si], self.inst.load(unit, pat, d)
            if d in cur:  # stays: only its load may change
                k = removals[d][0]
                now = day.loads[k] - day.load_of[node]
                gain -= day.over(k, now + load) - day.over(k, now + day.load_of[node])
                if not np.isfinite(gain) or not day.room(load - day.load_of[node]):
                    return None
                continue
            if not day.room(load):
                return None
            ins = _exact_insertion(day, node, load)
            if ins is None:
                return None
            gain -= ins[2]
            if gain <= floor:
                return None
            inserts.append((d, ins[0], ins[1], load))
        removes = [(d, *removals[d][:2]) for d in cur if d not in pat]
        return _Move(pat, gain, removes, inserts)

    def apply(self, si: int, move: _Move) -> None:
        """Carry out ``move`` for station ``si``."""
        for d, k, pos in move.removes:
            day = self.days[d]
            day.routes[k].pop(pos)
            day.loads[k] -= day.load_of.pop(day.node_of[si])
        for d, k, pos, load in move.inserts:
            day = self.days[d]
            day.routes[k].insert(pos, day.node_of[si])
            day.load_of[day.node_of[si]] = load
            day.loads[k] += load
        unit = self.inst.units[si][0]
        for d in set(move.pattern) & set(self.assignment[si]):
            day = self.days[d]
            node = day.node_of[si]
            k = next(k for k, seq in enumerate(day.routes) if node in seq)
            new = self.inst.load(unit, move.pattern, d)
            day.loads[k] += new - day.load_of[node]
            day.load_of[node] = new
        self.assignment[si] = move.pattern
