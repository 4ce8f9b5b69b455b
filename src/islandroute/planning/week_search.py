"""Route-level local search over the whole week, for weeks whose days need no ferry.

Which moves run where, and why:

- Here (Python, on :class:`~islandroute.planning.road_days.RoadDay` lists): relocate,
  swap, 2-opt* between routes and 2-opt within a route, each tried between a visit and
  its granular neighbours on the same day; and *pattern moves* that take a station off
  all its days and put it on the days of its cheapest allowed pattern. A move is priced
  by its two routes alone, so thousands are tried a second. Capacity and time may be
  broken while searching at a price per parcel and per tick of time warp; the prices
  rise while descents end infeasible and fall while they end feasible, so the search
  crosses infeasible weeks (the way out of "no route could take its visit") and keeps
  only feasible ones. At a local optimum a few neighbouring stations are ruined and
  recreated (random or cheapest patterns) and the week is accepted when it is within a
  shrinking threshold of the last accepted one (iterated local search).
- In OR-Tools: days with timetabled crossings (a route's times hang on departures only
  the solver's model tracks) and the final polish of every day from these routes.

Deterministic: with ``moves`` (a budget of priced moves) binding before the clock, the
same seed gives the same week on any machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from islandroute.planning.clock import Deadline
from islandroute.planning.construct import route_cost
from islandroute.planning.day import (
    COST_SCALE,
    DayLayout,
    Event,
    build_day,
    events_to_nodes,
    working,
)
from islandroute.planning.day import Visit as DayVisit
from islandroute.planning.day_solver import DayResult
from islandroute.planning.instance import Instance, Pattern
from islandroute.planning.options import Tuning
from islandroute.planning.ortools_adapter import BIG
from islandroute.planning.road_days import INFEASIBLE, Penalties, RoadDay, RouteCost
from islandroute.planning.week import Week

EPS = 1e-6  # a move must gain more than this (solver cost units)
Say = Callable[[str], None]


@dataclass(frozen=True)
class Snapshot:
    """An immutable copy of the week being searched: patterns and every day's routes."""

    assignment: tuple[tuple[int, Pattern], ...]
    routes: tuple[tuple[tuple[int, ...], ...], ...]
    loads: tuple[tuple[int, ...], ...]
    total: RouteCost  # the week's cost, parcels over capacity and time warp

    @property
    def cost(self) -> float:
        return self.total.cost

    @property
    def feasible(self) -> bool:
        return self.total.feasible

    def penalised(self, pen: Penalties) -> float:
        return self.total.penalised(pen)


@dataclass(frozen=True)
class WeekSearch:
    """What the search ended with: the best feasible week (or None), and its work."""

    week: Week | None
    descents: int
    moves: int
    start_cost: float
    best_cost: float


def road_week(inst: Instance, tuning: Tuning) -> bool:
    """Whether the week search takes this week: every day's universe holds at most
    ``road_search_visits`` visits (``road_search_ferry_visits`` when vehicles may ride
    a ferry: routes with crossings are kept as OR-Tools made them, and on big ferry
    weeks OR-Tools' own pattern search does better -- Zhoushan, 281 possible visits a
    day, ends 1.5 % dearer at 30 s with the week search). Weeks whose pickups hand in
    on the way (a place, a deadline, a cold ride) keep the OR-Tools models, which plan
    those stops."""
    if inst.hands_in_en_route:
        return False
    per_day = _universe_sizes(inst)
    limit = tuning.road_search_visits if _by_road(inst) else tuning.road_search_ferry_visits
    return bool(per_day) and max(per_day.values()) <= limit


def _by_road(inst: Instance) -> bool:
    """Whether no route can cross: the network has no ferry that carries vehicles."""
    return not any(f.vehicles for f in inst.net.ferries)


def search_week(
    week: Week,
    *,
    seconds: float,
    seed: int,
    moves: int | None,
    patterns: bool,
    say: Say,
) -> WeekSearch | None:
    """Search ``week`` for at most ``seconds`` (and ``moves`` priced moves); None when
    a visit the routes left out has no place but across a crossing (the repairs take
    it)."""
    inst, tune = week.inst, week.tuning
    days = _road_days(week, tune)
    s = _Search(inst, tune, days, dict(week.assignment), np.random.default_rng(seed), patterns)
    s.budget = moves
    s.seconds = seconds
    s.end = week.deadline.within(seconds)
    routed = all(d in week.days for d, n in week.load_per_day().items() if n)
    whole = routed and not week.dropped() and not s.missing()
    first = s.snapshot()
    start = first.cost if whole and first.feasible else np.inf
    if not s.place_missing():
        return None
    best = s.run(say)
    if best is None or best.cost >= start - EPS:
        return WeekSearch(None, s.descents, s.priced, start, start)
    return WeekSearch(s.to_week(week, best), s.descents, s.priced, start, best.cost)


# ---- building the road days ------------------------------------------------------------


def _universe_sizes(inst: Instance) -> dict[str, int]:
    """Visits that may fall on each day under some allowed pattern."""
    out = {d: 0 for d in inst.days}
    for si in inst.stations:
        for d in {d for p in inst.patterns[si] for d in p}:
            out[d] += len(inst.units[si])
    return out


def _road_days(week: Week, tune: Tuning) -> dict[str, RoadDay]:
    """Each day's universe (every unit that may come that day) with the week's routes
    and loads on it; routes with a crossing are kept as they are."""
    inst = week.inst
    out: dict[str, RoadDay] = {}
    for d in inst.days:
        visits = [
            DayVisit(u, inst.load(u, week.assignment[si], d) if d in week.assignment[si] else 0)
            for si in inst.stations
            if any(d in p for p in inst.patterns[si])
            for u in inst.units[si]
        ]
        lay = build_day(inst, d, visits, working(inst, d), None, tuning=tune)
        if lay is None:
            continue
        day = RoadDay(lay, tune.road_neighbours)
        for j, v in enumerate(lay.visits):
            day.load[day.first + j] = v.load
        prev = {v.id: ev for v, ev in week.days[d].events} if d in week.days else {}
        routes = events_to_nodes(lay, [prev.get(v.id, []) for v in lay.vehicles])
        for k, seq in enumerate(routes):
            if any(x >= lay.first_ferry for x in seq):
                cost = route_cost(lay.model, k, seq)
                load = sum(day.load[x] for x in seq if x < lay.first_ferry)
                day.keep(k, seq, lay_events(lay, seq, day.load), cost, load)
            else:
                day.set_route(k, list(seq))
        out[d] = day
    return out


def lay_events(lay: DayLayout, seq: list[int], load: list[int]) -> list[Event]:
    """A kept route's events: its visits (with their loads) and crossings."""
    return [
        DayVisit(lay.visits[x - lay.first_visit].unit, load[x])
        if x < lay.first_ferry
        else lay.event(x)
        for x in seq
    ]


# ---- the search ------------------------------------------------------------------------


class _Search:
    """The week's road days, the stations' patterns, and the moves that change them."""

    def __init__(
        self,
        inst: Instance,
        tune: Tuning,
        days: dict[str, RoadDay],
        assignment: dict[int, Pattern],
        rng: np.random.Generator,
        patterns: bool,
    ) -> None:
        self.inst, self.tune, self.days, self.rng = inst, tune, days, rng
        self.assignment = assignment
        self.nodes: dict[str, dict[int, list[int]]] = {d: {} for d in inst.days}
        for d, day in days.items():
            by_station: dict[int, list[int]] = {}
            for j, v in enumerate(day.lay.visits):
                by_station.setdefault(v.unit.station, []).append(day.first + j)
            self.nodes[d] = by_station
        self.options = {
            si: [p for p in inst.patterns[si] if all(self._placeable(si, d) for d in p)]
            for si in inst.stations
        }
        self.kept = {
            day.lay.visits[x - day.first].unit.station
            for day in days.values()
            for x in day.kept_nodes
        }  # stations with a visit on a kept route stay on their days
        self.ruinable = [  # stations a ruin may take off their days
            si
            for si in inst.stations
            if si not in self.kept and any(si in n for n in self.nodes.values())
        ]
        self.movable = [
            si
            for si in inst.stations
            if patterns
            and len(self.options[si]) > 1
            and len(inst.units[si]) == 1
            and si not in self.kept
        ]
        self.pen = _first_penalties(days, tune)
        self.floor = Penalties(
            tune.road_penalty_floor * self.pen.load, tune.road_penalty_floor * self.pen.warp
        )
        self.ceiling = Penalties(
            tune.road_penalty_ceiling * self.pen.load, tune.road_penalty_ceiling * self.pen.warp
        )
        self._loads: dict[tuple[int, Pattern, str], int] = {}
        self.budget: int | None = None
        self.seconds = 0.0
        self.end = Deadline.after(0.0)
        self.priced = 0
        self.descents = 0

    def _placeable(self, si: int, d: str) -> bool:
        """Whether some vehicle of day ``d`` may take every visit of station ``si``."""
        day = self.days.get(d)
        xs = self.nodes[d].get(si, [])
        if day is None or not xs:
            return False
        return all(x in day.kept_nodes or any(day.may_serve(k, x) for k in day.free) for x in xs)

    def complete(self) -> bool:
        """Whether every station's current days can hold its visits."""
        return all(
            all(self._placeable(si, d) for d in self.assignment[si]) for si in self.inst.stations
        )

    # ---- limits -----------------------------------------------------------------------

    def out_of_time(self) -> bool:
        if self.budget is not None and self.priced >= self.budget:
            return True
        return self.end.passed()

    def progress(self) -> float:
        """Share of the search's time (or move budget) spent."""
        if self.budget is not None:
            return self.priced / max(1, self.budget)
        return 1.0 - self.end.left() / max(self.seconds, 1e-9)

    # ---- the week as a whole ------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        costs = [c for day in self.days.values() for c in day.costs]
        return Snapshot(
            tuple(sorted(self.assignment.items())),
            tuple(tuple(tuple(seq) for seq in day.routes) for day in self.days.values()),
            tuple(tuple(day.load) for day in self.days.values()),
            RouteCost(
                sum(c.cost for c in costs),
                sum(c.load for c in costs),
                sum(c.excess for c in costs),
                sum(c.warp for c in costs),
            ),
        )

    def restore(self, snap: Snapshot) -> None:
        self.assignment = dict(snap.assignment)
        for day, routes, loads in zip(self.days.values(), snap.routes, snap.loads, strict=True):
            day.load = list(loads)
            day.where = {}
            for k, seq in enumerate(routes):
                if k not in day.kept:
                    day.set_route(k, list(seq))

    def missing(self) -> list[tuple[str, int]]:
        """(day, node) of each visit of a station's days on no route."""
        return [
            (d, x)
            for d, day in self.days.items()
            for si in self.inst.stations
            if d in self.assignment[si]
            for x in self.nodes[d].get(si, [])
            if x not in day.where and x not in day.kept_nodes
        ]

    def place_missing(self) -> bool:
        """Visits the week's routes do not hold (left out, or over capacity when read
        back) go to their cheapest place, whatever they break; False when one has no
        place on a route without crossings."""
        for d, x in self.missing():
            cost, k, i = self.days[d].cheapest_insertion(x, self.pen)
            if not np.isfinite(cost) or cost >= INFEASIBLE:
                return False
            self.days[d].insert(x, k, i)
        return True

    def run(self, say: Say) -> Snapshot | None:
        """Iterated local search until the time or the move budget ends; the cheapest
        feasible week seen."""
        tune = self.tune
        t0 = time.perf_counter()
        self.descend()
        accepted = self.snapshot()
        if not accepted.feasible:
            accepted = self._repaired(accepted)
        best = accepted if accepted.feasible else None
        last_told = t0
        idle = 0  # descents since the best week last improved
        while not self.out_of_time() and idle < tune.road_stall:
            self.perturb()
            self.descend()
            now = self.snapshot()
            if not now.feasible and self.rng.random() < tune.road_repair_chance:
                now = self._repaired(now)
            idle += 1
            if now.feasible and (best is None or now.cost < best.cost - EPS):
                best, idle = now, 0
            progress = self.progress()
            room = tune.road_accept * accepted.cost * max(0.0, 1.0 - progress)
            if now.penalised(self.pen) < accepted.penalised(self.pen) + room:
                accepted = now
            else:
                self.restore(accepted)
            if time.perf_counter() - last_told > tune.road_report_s:
                last_told = time.perf_counter()
                shown = "-" if best is None else f"{best.cost / COST_SCALE:,.0f}"
                say(f"week search: {self.descents} descents, best routing cost {shown}")
        if best is not None:
            cost = best.cost / COST_SCALE
            say(f"week search: {self.descents} descents, best routing cost {cost:,.0f}")
        return best

    def _repaired(self, snap: Snapshot) -> Snapshot:
        """The descent again with penalties ``road_repair_boost`` times higher."""
        saved = Penalties(self.pen.load, self.pen.warp)
        self.pen.load *= self.tune.road_repair_boost
        self.pen.warp *= self.tune.road_repair_boost
        for day in self.days.values():
            day.forget_looks()
        self.descend(adapt=False)
        self.pen = saved
        for day in self.days.values():
            day.forget_looks()
        return self.snapshot()

    # ---- descent ---------------------------------------------------------------------

    def descend(self, adapt: bool = True) -> None:
        """Improving moves until a whole pass finds none (or the time ends)."""
        self.descents += 1
        improved = True
        while improved and not self.out_of_time():
            improved = False
            for day in self.days.values():
                order = self.rng.permutation(list(day.where)).tolist()
                for u in order:
                    if self.out_of_time():
                        return
                    self.priced += 1  # a look counts, so that the budget always ends
                    if u not in day.where or day.unchanged_around(u):
                        continue
                    if self._route_moves(day, u):
                        improved = True
                    else:
                        day.looked(u)
            for si in self.rng.permutation(self.movable).tolist() if self.movable else []:
                if self.out_of_time():
                    return
                if self._pattern_move(si):
                    improved = True
        if adapt:
            self._adapt()

    def _adapt(self) -> None:
        """Dearer breaking while descents end infeasible, cheaper while they end feasible."""
        tune = self.tune
        costs = [c for day in self.days.values() for c in day.costs]
        over = any(c.excess for c in costs)
        late = any(c.warp for c in costs)
        self.pen.load *= tune.road_penalty_up if over else tune.road_penalty_down
        self.pen.warp *= tune.road_penalty_up if late else tune.road_penalty_down
        self.pen.load = min(max(self.pen.load, self.floor.load), self.ceiling.load)
        self.pen.warp = min(max(self.pen.warp, self.floor.warp), self.ceiling.warp)
        for day in self.days.values():
            day.forget_looks()  # every move is worth something else now

    def _route_moves(self, day: RoadDay, u: int) -> bool:
        """The first improving relocate, swap, 2-opt* or 2-opt between ``u`` and one of
        its near visits."""
        for v in day.near[u]:
            if v not in day.where:
                continue
            for make in (_relocate_after, _relocate_before, _swap, _two_opt_star, _two_opt):
                self.priced += 1
                move = make(day, u, v, self.pen)
                if move is not None and self._apply_if_better(day, move[0]):
                    return True
        return False

    def _apply_if_better(self, day: RoadDay, change: list[tuple[int, list[int]]]) -> bool:
        """Price the routes of ``change``; apply it when the week gets cheaper."""
        pen = self.pen
        old = sum(day.costs[k].penalised(pen) for k, _ in change)
        priced = [(k, seq, day.price(k, seq)) for k, seq in change]
        new = sum(p.penalised(pen) for _, _, p in priced)
        if new >= old - EPS:
            return False
        for k, seq, p in priced:
            day.set_route(k, seq, p)
        return True

    # ---- pattern moves and perturbation ---------------------------------------------

    def _take_out(self, si: int) -> list[tuple[str, int, int, int]]:
        """Take station ``si`` off all its days: (day, node, vehicle, position) each."""
        out = []
        for d in self.assignment[si]:
            day = self.days.get(d)
            if day is None:
                continue
            for x in self.nodes[d].get(si, []):
                if x in day.where:
                    k, i = day.where[x]
                    day.remove(x)
                    out.append((d, x, k, i))
        return out

    def _pattern_costs(self, si: int) -> list[tuple[float, Pattern]]:
        """Each allowed pattern of ``si`` (taken off its days) with the penalised cost of
        its cheapest insertions."""
        cache: dict[tuple[str, int], float] = {}
        out = []
        for pat in self.options[si]:
            total = 0.0
            for d in pat:
                day = self.days.get(d)
                xs = self.nodes[d].get(si) if day else None
                if day is None or not xs:
                    total = np.inf
                    break
                load = self.load_of(si, pat, d)
                if (d, load) not in cache:
                    day.load[xs[0]] = load
                    self.priced += 1
                    cache[(d, load)] = day.cheapest_insertion(xs[0], self.pen)[0]
                total += cache[(d, load)]
            out.append((total, pat))
        return out

    def load_of(self, si: int, pat: Pattern, d: str) -> int:
        """Parcels of (single-unit) station ``si``'s visit on ``d`` under ``pat``."""
        key = (si, pat, d)
        if key not in self._loads:
            self._loads[key] = self.inst.load(self.inst.units[si][0], pat, d)
        return self._loads[key]

    def _insert_pattern(self, si: int, pat: Pattern) -> None:
        for d in self.inst.days:
            for x in self.nodes[d].get(si, []):
                self.days[d].load[x] = self.load_of(si, pat, d) if d in pat else 0
        for d in pat:
            day = self.days[d]
            x = self.nodes[d][si][0]
            _, k, i = day.cheapest_insertion(x, self.pen)
            day.insert(x, k, i)
        self.assignment[si] = pat

    def _pattern_move(self, si: int) -> bool:
        """Move ``si`` to a cheaper allowed pattern (all its days at once).

        Priced without touching the routes: leaving a day saves its detour, a day kept
        keeps the visit where it is (only its load may change), a new day takes it at
        its cheapest place.
        """
        cur = self.assignment[si]
        saving = {d: self._removal_saving(d, si) for d in cur}
        best: tuple[float, Pattern] = (-EPS, cur)
        priced: dict[tuple[str, int], float] = {}  # (day, load): its cost, once a move
        for pat in self.options[si]:
            if pat == cur:
                continue
            total = -sum(saving[d] for d in cur if d not in pat)
            for d in pat:
                load = self.load_of(si, pat, d)
                if (d, load) not in priced:
                    self.priced += 1
                    priced[(d, load)] = (
                        self._reload(d, si, load) if d in cur else self._arrival(d, si, load)
                    )
                total += priced[(d, load)]
                if total >= best[0]:
                    break
            else:
                best = (total, pat)
        if best[1] == cur:
            return False
        self._move_to(si, best[1])
        return True

    def _removal_saving(self, d: str, si: int) -> float:
        """Penalised cost station ``si``'s visit adds to its route on day ``d``."""
        day = self.days[d]
        x = self.nodes[d][si][0]
        k, i = day.where[x]
        seq = day.routes[k]
        return day.costs[k].penalised(self.pen) - day.price(k, seq[:i] + seq[i + 1 :]).penalised(
            self.pen
        )

    def _reload(self, d: str, si: int, load: int) -> float:
        """Penalised cost of station ``si``'s visit on ``d`` carrying ``load`` instead."""
        day = self.days[d]
        x = self.nodes[d][si][0]
        if day.load[x] == load:
            return 0.0
        k, _ = day.where[x]
        was, day.load[x] = day.load[x], load
        new = day.price(k, day.routes[k]).penalised(self.pen)
        day.load[x] = was
        return new - day.costs[k].penalised(self.pen)

    def _arrival(self, d: str, si: int, load: int) -> float:
        """Penalised cost of station ``si``'s visit on ``d`` (not on it now) at its
        cheapest place."""
        day = self.days[d]
        x = self.nodes[d][si][0]
        day.load[x] = load
        return float(day.cheapest_insertion(x, self.pen)[0])

    def _move_to(self, si: int, pat: Pattern) -> None:
        """Carry out a pattern move: off the days it leaves, reloaded on the days it
        keeps, at the cheapest place on the days it gains."""
        cur = self.assignment[si]
        for d in cur:
            if d not in pat:
                day = self.days[d]
                x = self.nodes[d][si][0]
                day.remove(x)
                day.load[x] = 0
        for d in pat:
            day = self.days[d]
            x = self.nodes[d][si][0]
            day.load[x] = self.load_of(si, pat, d)
            if d in cur:
                k, _ = day.where[x]
                day.set_route(k, day.routes[k])
            else:
                _, k, i = day.cheapest_insertion(x, self.pen)
                day.insert(x, k, i)
        self.assignment[si] = pat

    def perturb(self) -> None:
        """Ruin and recreate: a random station and its nearest neighbours leave every
        day and come back, each on a random allowed pattern or its cheapest one."""
        tune, inst = self.tune, self.inst
        pool = self.ruinable
        if not pool:
            return
        size = max(tune.kick_least, round(tune.road_ruin * len(pool)))
        seed = pool[int(self.rng.integers(len(pool)))]
        t = inst.travel
        here = t.i(inst.station(seed).node)
        dist = [inst.arc_cost[here, t.i(inst.station(si).node)] for si in pool]
        ruined = [pool[i] for i in np.argsort(dist, kind="stable")[:size]]
        for si in ruined:
            self._take_out(si)
        for si in self.rng.permutation(ruined).tolist():
            self._recreate(si)

    def _recreate(self, si: int) -> None:
        """Put a ruined station back on its days (a new pattern when it may move)."""
        pat = self.assignment[si]
        if si in self.movable:
            if self.rng.random() < self.tune.road_random_pattern:
                options = self.options[si]
                pat = options[int(self.rng.integers(len(options)))]
            else:
                pat = min(self._pattern_costs(si))[1]
        if si in self.movable:
            self._insert_pattern(si, pat)
            return
        unit_nodes = [(d, x) for d in pat for x in self.nodes[d].get(si, [])]
        for d, x in unit_nodes:
            _, k, i = self.days[d].cheapest_insertion(x, self.pen)
            self.days[d].insert(x, k, i)

    # ---- back to a week --------------------------------------------------------------

    def to_week(self, week: Week, snap: Snapshot) -> Week:
        """``week`` with the snapshot's patterns and routes (OR-Tools polishes next)."""
        self.restore(snap)
        out = week.fork(dict(self.assignment))
        for d in self.inst.days:
            day = self.days.get(d)
            if day is None:
                out.days[d] = DayResult([], 0, settled=True)
                continue
            events = [
                (day.lay.vehicles[k], day.visits_of(k))
                for k in day.vehicles
                if day.routes[k] or k in day.kept
            ]
            visits = sum(1 for _, seq in events for ev in seq if isinstance(ev, DayVisit))
            settled = visits <= self.tune.settled_visits  # too small to search any further
            out.days[d] = DayResult(events, round(day.cost()), settled=settled)
        return out


def _first_penalties(days: dict[str, RoadDay], tune: Tuning) -> Penalties:
    """A parcel over capacity first costs about a typical visit's detour per parcel plus
    a vehicle's fixed cost per parcel of room (else leaving a vehicle home by
    overloading the others would pay), a tick of time warp about a tick of driving."""
    arcs, ticks, loads = [], [], []
    for day in days.values():
        m = day.model
        span = slice(day.first, len(day.load))
        c = m.cost[0][span, span]
        tt = m.time[span, span]
        ok = (c < BIG) & (tt > 0)
        if ok.any():
            arcs.append(float(np.median(c[ok])))
            ticks.append(float(np.median(tt[ok])))
        loads += [q for q in day.load if q]
    arc = float(np.median(arcs)) if arcs else 1.0
    tick = float(np.median(ticks)) if ticks else 1.0
    load = float(np.median(loads)) if loads else 1.0
    fixed = [f / c for day in days.values() for f, c in zip(day.fixed, day.capacity, strict=True)]
    per_parcel = arc / max(load, 1.0) + (float(np.median(fixed)) if fixed else 0.0)
    return Penalties(tune.road_load_weight * per_parcel, arc / max(tick, 1.0))


# ---- the moves: the routes they would make and a bound on their gain, or None -------
#
# Each move returns its routes and a lower bound on what it adds to the penalised cost:
# the exact change of arcs, fixed costs and parcels over capacity, less the time warp
# the touched routes break now (time warp never goes below zero). Most moves fail the
# bound in a few look-ups and are never priced in full.

Change = list[tuple[int, list[int]]]
Move = tuple[Change, float]


def _around(day: RoadDay, k: int, i: int) -> tuple[int, int]:
    """The nodes before and after position ``i`` of route ``k`` (depots at the ends)."""
    seq = day.routes[k]
    before = seq[i - 1] if i > 0 else day.starts[k]
    after = seq[i + 1] if i + 1 < len(seq) else day.ends[k]
    return before, after


def _warp_now(day: RoadDay, pen: Penalties, ku: int, kv: int | None = None) -> float:
    """The penalty of the time warp routes ``ku`` and ``kv`` break now."""
    warp = day.costs[ku].warp
    if kv is not None and kv != ku:
        warp += day.costs[kv].warp
    return pen.warp * warp if warp else 0.0


def _over(day: RoadDay, pen: Penalties, k: int, load: int) -> float:
    """Penalty change of route ``k`` when it carries ``load`` instead of its load now."""
    return pen.load * (max(0, load - day.capacity[k]) - day.costs[k].excess)


def _relocate_after(day: RoadDay, u: int, v: int, pen: Penalties) -> Move | None:
    ku, iu = day.where[u]
    kv, iv = day.where[v]
    if (ku == kv and iu == iv + 1) or not day.may_serve(kv, u):
        return None
    return _relocate(day, pen, u, ku, iu, kv, iv + 1)


def _relocate_before(day: RoadDay, u: int, v: int, pen: Penalties) -> Move | None:
    ku, iu = day.where[u]
    kv, iv = day.where[v]
    if (ku == kv and iu == iv - 1) or not day.may_serve(kv, u):
        return None
    return _relocate(day, pen, u, ku, iu, kv, iv)


def _relocate(
    day: RoadDay, pen: Penalties, u: int, ku: int, iu: int, kv: int, at: int
) -> Move | None:
    """``u`` from position ``iu`` of route ``ku`` to before position ``at`` of ``kv``."""
    ru, rv = day.routes[ku], day.routes[kv]
    au, av = day.arc[ku], day.arc[kv]
    pu, nu = _around(day, ku, iu)
    a = rv[at - 1] if at > 0 else day.starts[kv]
    b = rv[at] if at < len(rv) else day.ends[kv]
    bound = au[pu][nu] - au[pu][u] - au[u][nu] + av[a][u] + av[u][b] - av[a][b]
    if ku != kv:
        q = day.load[u]
        bound += _over(day, pen, ku, day.costs[ku].load - q)
        bound += _over(day, pen, kv, day.costs[kv].load + q)
        bound -= day.fixed[ku] if len(ru) == 1 else 0.0
    bound -= _warp_now(day, pen, ku, kv)
    if bound >= -EPS:
        return None
    if ku == kv:
        seq = ru[:iu] + ru[iu + 1 :]
        at = at - 1 if at > iu else at
        return [(ku, [*seq[:at], u, *seq[at:]])], bound
    return [(ku, ru[:iu] + ru[iu + 1 :]), (kv, [*rv[:at], u, *rv[at:]])], bound


def _swap(day: RoadDay, u: int, v: int, pen: Penalties) -> Move | None:
    ku, iu = day.where[u]
    kv, iv = day.where[v]
    if not (day.may_serve(kv, u) and day.may_serve(ku, v)):
        return None
    if ku == kv:
        seq = list(day.routes[ku])
        seq[iu], seq[iv] = v, u
        if abs(iu - iv) == 1:
            return [(ku, seq)], -np.inf  # adjacent: no short bound
        au = day.arc[ku]
        pu, nu = _around(day, ku, iu)
        pv, nv = _around(day, kv, iv)
        bound = au[pu][v] + au[v][nu] - au[pu][u] - au[u][nu]
        bound += au[pv][u] + au[u][nv] - au[pv][v] - au[v][nv] - _warp_now(day, pen, ku)
        return ([(ku, seq)], bound) if bound < -EPS else None
    au, av = day.arc[ku], day.arc[kv]
    pu, nu = _around(day, ku, iu)
    pv, nv = _around(day, kv, iv)
    bound = au[pu][v] + au[v][nu] - au[pu][u] - au[u][nu]
    bound += av[pv][u] + av[u][nv] - av[pv][v] - av[v][nv]
    q = day.load[v] - day.load[u]
    bound += _over(day, pen, ku, day.costs[ku].load + q)
    bound += _over(day, pen, kv, day.costs[kv].load - q)
    bound -= _warp_now(day, pen, ku, kv)
    if bound >= -EPS:
        return None
    ru, rv = list(day.routes[ku]), list(day.routes[kv])
    ru[iu], rv[iv] = v, u
    return [(ku, ru), (kv, rv)], bound


def _two_opt_star(day: RoadDay, u: int, v: int, pen: Penalties) -> Move | None:
    """Routes of ``u`` and ``v`` exchange their tails: ``u`` then what followed ``v``."""
    ku, iu = day.where[u]
    kv, iv = day.where[v]
    if ku == kv:
        return None
    ru, rv = day.routes[ku], day.routes[kv]
    bound = -np.inf
    if day.arc[ku] is day.arc[kv] and day.ends[ku] == day.ends[kv]:
        a = day.arc[ku]
        nu = ru[iu + 1] if iu + 1 < len(ru) else day.ends[ku]
        nv = rv[iv + 1] if iv + 1 < len(rv) else day.ends[kv]
        head_u = sum(day.load[x] for x in ru[: iu + 1])
        head_v = sum(day.load[x] for x in rv[: iv + 1])
        tail_u = day.costs[ku].load - head_u
        tail_v = day.costs[kv].load - head_v
        bound = a[u][nv] + a[v][nu] - a[u][nu] - a[v][nv]
        bound += _over(day, pen, ku, head_u + tail_v) + _over(day, pen, kv, head_v + tail_u)
        bound -= _warp_now(day, pen, ku, kv)
        if bound >= -EPS:
            return None
    if not all(day.may_serve(ku, x) for x in rv[iv + 1 :]):
        return None
    if not all(day.may_serve(kv, x) for x in ru[iu + 1 :]):
        return None
    return [(ku, ru[: iu + 1] + rv[iv + 1 :]), (kv, rv[: iv + 1] + ru[iu + 1 :])], bound


def _two_opt(day: RoadDay, u: int, v: int, pen: Penalties) -> Move | None:
    """Within one route: reverse the stretch after ``u`` up to ``v`` (so ``v`` follows
    ``u``)."""
    ku, iu = day.where[u]
    kv, iv = day.where[v]
    if ku != kv or iv <= iu + 1:
        return None
    seq = day.routes[ku]
    bound = -np.inf
    if day.symmetric[ku]:
        a = day.arc[ku]
        nu = seq[iu + 1]
        nv = seq[iv + 1] if iv + 1 < len(seq) else day.ends[ku]
        bound = a[u][v] + a[nu][nv] - a[u][nu] - a[v][nv] - _warp_now(day, pen, ku)
        if bound >= -EPS:
            return None
    return [(ku, seq[: iu + 1] + seq[iu + 1 : iv + 1][::-1] + seq[iv + 1 :])], bound
