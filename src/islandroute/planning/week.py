"""A week of one instance: visit-day assignment plus each day's routes, re-solvable by day."""

from __future__ import annotations

import time
from collections.abc import Callable

from islandroute.errors import InfeasibleError, Problem
from islandroute.model.network import Ferry
from islandroute.model.plan import Route
from islandroute.planning.clock import NEVER, Deadline
from islandroute.planning.day import (
    Event,
    HandIn,
    Visit,
    build_day,
    day_visits,
    events_to_nodes,
    route_events,
    visit_on,
    working,
)
from islandroute.planning.day_solver import DayResult, DaySolver, Events
from islandroute.planning.instance import Instance, Pattern, Unit
from islandroute.planning.merged import merge
from islandroute.planning.options import DEFAULT_TUNING, Tuning
from islandroute.planning.schedule import build_route

__all__ = ["DayResult", "Events", "Week"]


class Week:
    """An assignment and each day's result; days are (re-)solved by its
    :class:`~islandroute.planning.day_solver.DaySolver`, which every call of ends by
    ``deadline`` (the plan's)."""

    def __init__(
        self,
        inst: Instance,
        assignment: dict[int, Pattern],
        effort: int,
        *,
        tuning: Tuning = DEFAULT_TUNING,
        deadline: Deadline = NEVER,
    ) -> None:
        self.inst = inst
        self.assignment = dict(assignment)
        self.effort = effort
        self.tuning = tuning
        self.deadline = deadline
        self.days: dict[str, DayResult] = {}
        self.solver = DaySolver(inst, effort, tuning, deadline)

    def fork(self, assignment: dict[int, Pattern] | None = None) -> Week:
        """A trial week: the same settings and days' routes, another assignment."""
        trial = Week(
            self.inst,
            self.assignment if assignment is None else assignment,
            self.effort,
            tuning=self.tuning,
            deadline=self.deadline,
        )
        trial.days = dict(self.days)
        return trial

    def load_per_day(self) -> dict[str, int]:
        """Visits per day under the current assignment (to share solver time)."""
        out = {d: 0 for d in self.inst.days}
        for si in self.inst.stations:
            for d in self.assignment[si]:
                out[d] += len(self.inst.units[si])
        return out

    def polish(self, seconds: float, scale: float = 10) -> bool:
        """Spend ``seconds`` on longer searches of each day from its current routes,
        keeping a day's new routes only when they cost less and leave nothing out;
        whether some day got cheaper."""
        end = self.deadline.within(seconds)
        load = self.load_per_day()
        busy = [d for d in self.inst.days if load[d] and not self.days[d].settled]
        better = False
        for n, day in enumerate(busy):
            left = end.left()
            if left < self.tuning.day_polish_least_s:
                break
            share = left * load[day] / max(1, sum(load[d] for d in busy[n:]))
            old = self.days[day]
            new = self.solve(day, share, warm=True, scale=scale)
            if new.dropped or new.objective >= old.objective:
                self.days[day] = old
            else:
                better = True
        return better

    def resolve(
        self,
        days: set[str],
        seconds: float,
        *,
        warm: bool = True,
        scale: float = 1,
        least: float | None = None,
    ) -> None:
        """Re-solve ``days`` (from their routes when ``warm``), sharing ``seconds`` by
        their visits; each day gets at least ``least`` seconds (default
        ``tuning.resolve_least_s``), none past the deadline."""
        least = self.tuning.resolve_least_s if least is None else least
        load = self.load_per_day()
        total = sum(load[d] for d in days) or 1
        for d in sorted(days, key=self.inst.days.index):
            self.solve(d, max(least, seconds * load[d] / total), warm=warm, scale=scale)

    def mergeable(self) -> bool:
        """Whether the week is small enough to route in one model and has stations that
        would gain from it (once-a-horizon stations free to change day)."""
        visits = sum(self.load_per_day().values())
        return bool(self.inst.flexible) and visits <= self.tuning.merged_visits

    def solve_together(self, seconds: float, scale: float = 1) -> bool:
        """Re-solve every day in one model from the current routes, letting the
        once-a-horizon stations change day; keeps the result (and the new days) when it
        costs less and leaves nothing out."""
        t0 = time.perf_counter()
        if self.deadline.left() < self.tuning.min_solve_s:
            return False
        inst = self.inst
        flex = inst.flexible
        shared = {(u.station, u.carriers) for si in flex for u in inst.units[si]}
        lays = []
        for day in inst.days:
            visits = day_visits(inst, day, self.assignment)
            visits += [
                visit_on(inst, u, (day,), day)
                for si in flex
                if (day,) in inst.patterns[si] and self.assignment[si] != (day,)
                for u in inst.units[si]
            ]
            lay = build_day(inst, day, visits, working(inst, day), None, tuning=self.tuning)
            if lay is not None:
                lays.append(lay)
        if not lays:
            return False
        merged = merge(lays, shared)
        prev = [
            {v.id: ev for v, ev in self.days[lay.day].events} if lay.day in self.days else {}
            for lay in lays
        ]
        initial = merged.to_merged(
            [
                events_to_nodes(lay, [p.get(v.id, []) for v in lay.vehicles])
                for lay, p in zip(lays, prev, strict=True)
            ]
        )
        sol = self.solver.ortools(merged.model, seconds, scale, initial)
        if not sol.found or sol.dropped or sum(sol.vehicle_costs) >= self.objective():
            return False
        spent = time.perf_counter() - t0
        days = {d: DayResult([], 0) for d in inst.days}
        for lay, (routes, cost) in zip(lays, merged.split(sol), strict=True):
            days[lay.day] = DayResult(route_events(lay, routes), cost, [], spent)
            for _vehicle, events in days[lay.day].events:
                for ev in events:
                    if isinstance(ev, Visit) and ev.unit.station in flex:
                        self.assignment[ev.unit.station] = (lay.day,)
        self.days = days
        return True

    def solve(self, day: str, seconds: float, warm: bool = False, scale: float = 1) -> DayResult:
        """(Re-)solve one day within about ``seconds`` (``warm``: from its last routes)."""
        visits = day_visits(self.inst, day, self.assignment)
        prev = {v.id: ev for v, ev in self.days[day].events} if warm and day in self.days else {}
        res = self.solver.solve(day, visits, prev, seconds, scale)
        self.days[day] = res
        return res

    def solve_all(self, seconds: float, progress: Callable[[str], None] | None = None) -> None:
        """Solve every day, sharing ``seconds`` by the day's number of visits (each day
        at least ``tuning.day_least_s``, none past the deadline)."""
        load = self.load_per_day()
        target = Deadline.after(seconds)
        busy = [d for d in self.inst.days if load[d]]
        for day in self.inst.days:
            if load[day] == 0:
                self.days[day] = DayResult([], 0, settled=True)
                continue
            left = max(0.0, target.left())
            rest = sum(load[d] for d in busy[busy.index(day) :])
            share = max(self.tuning.day_least_s, left * load[day] / max(1, rest))
            res = self.solve(day, share)
            if progress:
                progress(f"{day}: {load[day]} visits, {len(res.events)} routes, {res.seconds:.1f}s")

    def objective(self) -> int:
        return sum(r.objective for r in self.days.values())

    def settled(self) -> bool:
        """Whether every day is small enough that its search has nothing left to try."""
        return all(r.settled for r in self.days.values())

    def dropped(self) -> list[tuple[str, Visit]]:
        return [(d, v) for d, r in self.days.items() for v in r.dropped]

    def routes(self) -> list[Route]:
        """The timed routes of the whole week."""
        out = []
        for day in self.inst.days:
            res = self.days.get(day)
            for vehicle, events in res.events if res else []:
                out.append(build_route(self.inst, vehicle, day, events, self.assignment))
        return out

    def dropped_problems(self) -> list[tuple[Visit, Problem]]:
        """Each visit no route could take, with the problem that names it."""
        late = " (in the time allowed: a longer time_limit may place it)"
        hurried = self.deadline.passed()
        return [
            (
                v,
                Problem(
                    f"station {v.unit.node!r}",
                    "routing",
                    f"no route on {d} could take its visit for {', '.join(v.unit.carriers)} "
                    f"({v.load} parcels) within capacity, shifts, opening hours and "
                    f"ferry times{late if hurried else ''}",
                ),
            )
            for d, v in self.dropped()
        ]

    def raise_if_dropped(self) -> None:
        """A visit the solver could not place is an infeasible request: name it."""
        problems = self.dropped_problems()
        if problems:
            raise InfeasibleError([p for _, p in problems])

    def leave_out(self, units: set[Unit]) -> None:
        """Take every visit of ``units`` out of every day (a partial plan serves a unit
        on all of its days or on none); crossings left empty go too."""
        for day, res in self.days.items():
            events: Events = []
            for vehicle, seq in res.events:
                kept = [ev for ev in seq if _unit_of(ev) not in units]
                kept = _without_empty_crossings(kept)
                if any(isinstance(ev, Visit) for ev in kept):
                    events.append((vehicle, kept))
            rest = [v for v in res.dropped if v.unit not in units]
            self.days[day] = DayResult(events, res.objective, rest, res.seconds)


def _unit_of(ev: Event) -> Unit | None:
    """The unit a visit serves or a hand-in hands in for (None for a crossing)."""
    if isinstance(ev, Visit):
        return ev.unit
    return ev.visit.unit if isinstance(ev, HandIn) else None


def _without_empty_crossings(seq: list[Event]) -> list[Event]:
    """Drop a crossing and the one straight back to the same pier with nothing between
    (the vehicle then simply waits at the pier: never later than before)."""
    out: list[Event] = []
    for ev in seq:
        last = out[-1] if out else None
        if isinstance(ev, Ferry) and isinstance(last, Ferry) and last.from_ == ev.to:
            out.pop()
            continue
        out.append(ev)
    return out
