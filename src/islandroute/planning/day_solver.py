"""One day's routes from OR-Tools: region by region, a smaller fleet first, retries.

:class:`DaySolver` holds what every day's search shares (the instance, the effort, the
tuning and the plan's deadline); :class:`~islandroute.planning.week.Week` keeps the
week's state and asks it for each day.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from islandroute.model.network import Vehicle
from islandroute.planning.clock import Deadline
from islandroute.planning.construct import construct
from islandroute.planning.day import (
    Event,
    Visit,
    build_day,
    events_to_nodes,
    route_events,
    working,
)
from islandroute.planning.instance import Instance
from islandroute.planning.options import Tuning
from islandroute.planning.ortools_adapter import DayModel, DaySolution, solve_day
from islandroute.planning.regions import regions

Events = list[tuple[Vehicle, list[Event]]]


@dataclass
class DayResult:
    """One day's solved routes (as events) and what the solver said."""

    events: Events
    objective: int
    dropped: list[Visit] = field(default_factory=list)
    seconds: float = 0.0
    settled: bool = False  # small enough that a plain descent left nothing to try


@dataclass(frozen=True)
class DaySolver:
    """Solves days of one instance with OR-Tools; every call ends by ``deadline``, and a
    day that gets no solution in time is built greedily
    (:func:`~islandroute.planning.construct.construct`)."""

    inst: Instance
    effort: int
    tuning: Tuning
    deadline: Deadline = field(default_factory=lambda: Deadline(float("inf")))

    def solve(
        self,
        day: str,
        visits: list[Visit],
        prev: dict[str, list[Event]],
        seconds: float,
        scale: float = 1,
    ) -> DayResult:
        """Route ``visits`` on ``day`` within about ``seconds``, region by region.

        Each region is solved on part of its fleet, then on all of it if a visit is left
        out; visits still left out get a last pass with every vehicle not yet used, and
        then the whole day in one model. ``prev`` (vehicle id: events) warm-starts.
        """
        t0 = time.perf_counter()
        inst = self.inst
        rows = working(inst, day)
        events: Events = []
        objective = 0
        dropped: list[Visit] = []
        parts = regions(inst, day, visits, rows, self.tuning) if visits else []
        tune = self.tuning
        for part_visits, part_rows in parts:
            share = seconds * len(part_visits) / len(visits)
            ev, obj, drop = self._solve_part(day, part_visits, part_rows, share, prev, scale)
            events += ev
            objective += obj
            dropped += drop
        if dropped and len(parts) > 1:
            used = {v.id for v, _ in events}
            spare = [k for k in rows if inst.vehicles[k].id not in used]
            left = max(tune.spare_least_s, seconds - (time.perf_counter() - t0))
            ev, obj, dropped = self._solve_part(day, dropped, spare, left, {})
            events += ev
            objective += obj
            if dropped and len(visits) <= tune.whole_day_visits:  # last resort: one model
                left = max(tune.whole_day_least_s, seconds - (time.perf_counter() - t0))
                whole = self._solve_part(day, visits, rows, left, {})
                if len(whole[2]) < len(dropped):
                    events, objective, dropped = whole
        settled = not dropped and len(visits) <= self.tuning.settled_visits
        return DayResult(events, objective, dropped, time.perf_counter() - t0, settled)

    def _solve_part(
        self,
        day: str,
        visits: list[Visit],
        rows: list[int],
        seconds: float,
        prev: dict[str, list[Event]],
        scale: float = 1,
    ) -> tuple[Events, int, list[Visit]]:
        """One region: a smaller fleet first, the whole fleet if a visit is left out."""
        tune = self.tuning
        best: tuple[Events, int, list[Visit]] = ([], 0, list(visits))
        end = Deadline.after(seconds)
        small = len(visits) <= tune.whole_day_visits  # cheap to rebuild and search again
        shares = (tune.small_fleet_share, 1 - tune.small_fleet_share)
        for margin, share in zip((tune.fleet_margin, None), shares, strict=True):
            if best[0] and not small and end.passed():
                break
            lay = build_day(self.inst, day, visits, rows, margin, tuning=tune)
            if lay is None:
                return best
            initial = None
            if prev:
                initial = events_to_nodes(lay, [prev.get(v.id, []) for v in lay.vehicles])
            budget = seconds if prev else seconds * share
            sol = self._first_routes(lay.model, budget, scale, initial)
            sol = self._retry(lay.model, sol, budget, end, small)
            dropped = [lay.visits[n - lay.first_visit] for n in sol.dropped]
            if len(dropped) < len(best[2]) or (not dropped and sol.objective < best[1]):
                best = (route_events(lay, sol.routes), sol.objective, dropped)
            if not dropped or len(lay.vehicles) == len(rows):
                break
        return best

    def _first_routes(
        self, m: DayModel, seconds: float, scale: float, initial: list[list[int]] | None
    ) -> DaySolution:
        """OR-Tools' routes, or greedy ones when it found none in time."""
        sol = self.ortools(m, seconds, scale, initial)
        return sol if sol.found else construct(m, initial)

    def _retry(
        self, m: DayModel, sol: DaySolution, budget: float, end: Deadline, small: bool
    ) -> DaySolution:
        """A visit left out: search again, other ways in, while the part's time (small
        models: the retries' own) and the plan's time last."""
        tune = self.tuning
        each = max(tune.retry_least_s, budget * tune.retry_share / len(tune.retry_strategies))
        for first in tune.retry_strategies:
            if not sol.dropped or (not small and end.passed()) or self.deadline.passed():
                break
            retry = self.ortools(m, each, None, first=first)
            if not retry.found:
                continue
            if len(retry.dropped) < len(sol.dropped) or (
                len(retry.dropped) == len(sol.dropped) and retry.objective < sol.objective
            ):
                sol = retry
        if self._scarce(m, sol.dropped) and not self.deadline.passed():
            sol = self._hardest_first(m, sol, each)
        return sol

    def _scarce(self, m: DayModel, dropped: list[int]) -> bool:
        """Whether a visit left out may ride only a few vehicles (``scarce_vehicles``)."""
        n = len(m.starts)
        few = self.tuning.scarce_vehicles
        return any(len(m.allowed_vehicles.get(x, range(n))) <= few for x in dropped)

    def _hardest_first(self, m: DayModel, sol: DaySolution, seconds: float) -> DaySolution:
        """Still a visit left out: routes built greedily, the visits fewest vehicles may
        make first (a cold park's one refrigerated van), then OR-Tools from them; kept
        when they leave fewer out."""
        start = construct(m)
        if len(start.dropped) >= len(sol.dropped):
            return sol
        warm = self.ortools(m, seconds, None, initial=start.routes)
        best = warm if warm.found and len(warm.dropped) <= len(start.dropped) else start
        return best if len(best.dropped) < len(sol.dropped) else sol

    def _solution_limit(self, visits: int, scale: float) -> int:
        """Solutions a search may find before it stops on its own: ``effort`` per visit."""
        return self.tuning.solution_limit(self.effort, visits, scale)

    def ortools(
        self,
        m: DayModel,
        seconds: float,
        scale: float | None,
        initial: list[list[int]] | None = None,
        first: str | None = None,
    ) -> DaySolution:
        """One OR-Tools search of ``m`` for ``seconds`` at most, ended by the deadline
        (``scale``: solution limit by effort; ``first``: another first-solution way)."""
        extra = {"first": first} if first else {}
        return solve_day(
            m,
            guided=len(m.visits) > self.tuning.settled_visits,
            time_limit=seconds,
            solution_limit=None if scale is None else self._solution_limit(len(m.visits), scale),
            initial=initial,
            deadline=self.deadline,
            opening_share=self.tuning.opening_share,
            min_seconds=self.tuning.min_solve_s,
            **extra,
        )
