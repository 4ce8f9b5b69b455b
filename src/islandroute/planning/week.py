"""A week of one instance: visit-day assignment plus each day's routes, re-solvable by day."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from islandroute.errors import InfeasibleError, Problem
from islandroute.model.network import Ferry, Vehicle
from islandroute.model.plan import Route
from islandroute.planning.day import (
    Visit,
    build_day,
    day_visits,
    events_to_nodes,
    route_events,
    working,
)
from islandroute.planning.instance import Instance, Pattern
from islandroute.planning.merged import merge
from islandroute.planning.ortools_adapter import solve_day
from islandroute.planning.regions import regions
from islandroute.planning.schedule import build_route

WHOLE_DAY_VISITS = 240  # bigger models are too slow to rebuild for retries and fallbacks
MERGED_VISITS = 400  # weeks up to this many visits may be routed as one model
RETRY_STRATEGIES = ("LOCAL_CHEAPEST_INSERTION", "PATH_CHEAPEST_ARC", "SAVINGS")
Events = list[tuple[Vehicle, list[Visit | Ferry]]]


@dataclass
class DayResult:
    """One day's solved routes (as events) and what the solver said."""

    events: Events
    objective: int
    dropped: list[Visit] = field(default_factory=list)
    seconds: float = 0.0


class Week:
    """Solves the days of an instance for an assignment, keeping each day's result."""

    def __init__(self, inst: Instance, assignment: dict[int, Pattern], effort: int) -> None:
        self.inst = inst
        self.assignment = dict(assignment)
        self.effort = effort
        self.days: dict[str, DayResult] = {}

    def load_per_day(self) -> dict[str, int]:
        """Visits per day under the current assignment (to share solver time)."""
        out = {d: 0 for d in self.inst.days}
        for si in self.inst.stations:
            for d in self.assignment[si]:
                out[d] += len(self.inst.units[si])
        return out

    def polish(self, seconds: float, scale: float = 10) -> None:
        """Spend ``seconds`` on longer searches of each day from its current routes,
        keeping a day's new routes only when they cost less and leave nothing out."""
        deadline = time.perf_counter() + seconds
        load = self.load_per_day()
        busy = [d for d in self.inst.days if load[d]]
        for n, day in enumerate(busy):
            left = deadline - time.perf_counter()
            if left < 0.3:
                break
            share = left * load[day] / max(1, sum(load[d] for d in busy[n:]))
            old = self.days[day]
            new = self.solve(day, share, warm=True, scale=scale)
            if new.dropped or new.objective >= old.objective:
                self.days[day] = old

    def resolve(
        self,
        days: set[str],
        seconds: float,
        *,
        warm: bool = True,
        scale: float = 1,
        least: float = 0.2,
    ) -> None:
        """Re-solve ``days`` (from their routes when ``warm``), sharing ``seconds`` by
        their visits; each day gets at least ``least`` seconds."""
        load = self.load_per_day()
        total = sum(load[d] for d in days) or 1
        for d in sorted(days, key=self.inst.days.index):
            self.solve(d, max(least, seconds * load[d] / total), warm=warm, scale=scale)

    def mergeable(self) -> bool:
        """Whether the week is small enough to route in one model and has stations that
        would gain from it (once-a-horizon stations free to change day)."""
        return bool(self.inst.flexible) and sum(self.load_per_day().values()) <= MERGED_VISITS

    def solve_together(self, seconds: float, scale: float = 1) -> bool:
        """Re-solve every day in one model from the current routes, letting the
        once-a-horizon stations change day; keeps the result (and the new days) when it
        costs less and leaves nothing out."""
        t0 = time.perf_counter()
        inst = self.inst
        flex = inst.flexible
        shared = {(u.station, u.carriers) for si in flex for u in inst.units[si]}
        lays = []
        for day in inst.days:
            visits = day_visits(inst, day, self.assignment)
            visits += [
                Visit(u, inst.load(u, (day,), day))
                for si in flex
                if (day,) in inst.patterns[si] and self.assignment[si] != (day,)
                for u in inst.units[si]
            ]
            lay = build_day(inst, day, visits, working(inst, day), None)
            if lay is not None and lay.model is not None:
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
        sol = solve_day(
            merged.model,
            time_limit=seconds,
            solution_limit=self._solution_limit(len(merged.model.visits), scale),
            initial=initial,
        )
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

    def _solution_limit(self, visits: int, scale: float) -> int:
        """Solutions a search may find before it stops on its own: ``effort`` per visit."""
        return max(1, int(scale * self.effort * max(10, visits)))

    def solve(self, day: str, seconds: float, warm: bool = False, scale: float = 1) -> DayResult:
        """(Re-)solve one day within about ``seconds``, region by region.

        Each region is solved on part of its fleet, then on all of it if a visit is left
        out; visits still left out get a last pass with every vehicle not yet used, and
        then the whole day in one model. ``warm`` starts from the day's last routes.
        """
        t0 = time.perf_counter()
        inst = self.inst
        visits = day_visits(inst, day, self.assignment)
        rows = working(inst, day)
        prev = {v.id: ev for v, ev in self.days[day].events} if warm and day in self.days else {}
        events: Events = []
        objective = 0
        dropped: list[Visit] = []
        parts = regions(inst, day, visits, rows) if visits else []
        for part_visits, part_rows in parts:
            share = seconds * len(part_visits) / len(visits)
            ev, obj, drop = self._solve_part(day, part_visits, part_rows, share, prev, scale)
            events += ev
            objective += obj
            dropped += drop
        if dropped and len(parts) > 1:
            used = {v.id for v, _ in events}
            spare = [k for k in rows if inst.vehicles[k].id not in used]
            left = max(0.5, seconds - (time.perf_counter() - t0))
            ev, obj, dropped = self._solve_part(day, dropped, spare, left, {})
            events += ev
            objective += obj
            if dropped and len(visits) <= WHOLE_DAY_VISITS:  # last resort: one model
                left = max(1.0, seconds - (time.perf_counter() - t0))
                events, objective, dropped = self._solve_part(day, visits, rows, left, {})
        res = DayResult(events, objective, dropped, time.perf_counter() - t0)
        self.days[day] = res
        return res

    def _solve_part(
        self,
        day: str,
        visits: list[Visit],
        rows: list[int],
        seconds: float,
        prev: dict[str, list[Visit | Ferry]],
        scale: float = 1,
    ) -> tuple[Events, int, list[Visit]]:
        """One region: a smaller fleet first, the whole fleet if a visit is left out."""
        best: tuple[Events, int, list[Visit]] = ([], 0, list(visits))
        deadline = time.perf_counter() + seconds
        small = len(visits) <= WHOLE_DAY_VISITS  # cheap to rebuild and search again
        for margin, share in ((1.6, 0.6), (None, 0.4)):
            if best[0] and not small and time.perf_counter() > deadline:
                break
            lay = build_day(self.inst, day, visits, rows, margin)
            if lay is None or lay.model is None:
                return best
            initial = None
            if prev:
                initial = events_to_nodes(lay, [prev.get(v.id, []) for v in lay.vehicles])
            budget = seconds if prev else seconds * share
            sol = solve_day(
                lay.model,
                time_limit=budget,
                solution_limit=self._solution_limit(len(lay.visits), scale),
                initial=initial,
            )
            for first in RETRY_STRATEGIES:  # a visit left out: search again, other ways in
                if not sol.dropped or (not small and time.perf_counter() > deadline):
                    break
                retry = solve_day(
                    lay.model,
                    time_limit=max(0.3, budget / 2 / len(RETRY_STRATEGIES)),
                    first=first,
                )
                if len(retry.dropped) < len(sol.dropped) or (
                    len(retry.dropped) == len(sol.dropped) and retry.objective < sol.objective
                ):
                    sol = retry
            dropped = [lay.visits[n - lay.first_visit] for n in sol.dropped]
            if len(dropped) < len(best[2]) or (not dropped and sol.objective < best[1]):
                best = (route_events(lay, sol.routes), sol.objective, dropped)
            if not dropped or len(lay.vehicles) == len(rows):
                break
        return best

    def solve_all(self, seconds: float, progress: Callable[[str], None] | None = None) -> None:
        """Solve every day, sharing ``seconds`` by the day's number of visits."""
        load = self.load_per_day()
        deadline = time.perf_counter() + seconds
        busy = [d for d in self.inst.days if load[d]]
        for day in self.inst.days:
            if load[day] == 0:
                self.days[day] = DayResult([], 0)
                continue
            left = max(0.0, deadline - time.perf_counter())
            rest = sum(load[d] for d in busy[busy.index(day) :])
            share = max(0.5, left * load[day] / max(1, rest))
            res = self.solve(day, share)
            if progress:
                progress(f"{day}: {load[day]} visits, {len(res.events)} routes, {res.seconds:.1f}s")

    def objective(self) -> int:
        return sum(r.objective for r in self.days.values())

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

    def raise_if_dropped(self) -> None:
        """A visit the solver could not place is an infeasible request: name it."""
        dropped = self.dropped()
        if dropped:
            raise InfeasibleError(
                [
                    Problem(
                        f"station {v.unit.node!r}",
                        "routing",
                        f"no route on {d} could take its visit for {', '.join(v.unit.carriers)} "
                        f"({v.load} parcels) within capacity, shifts, opening hours and "
                        "ferry times",
                    )
                    for d, v in dropped
                ]
            )
