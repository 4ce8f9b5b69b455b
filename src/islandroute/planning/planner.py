"""``plan_week``: a whole week's plan, joint or separate, within a time limit."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Literal

from islandroute.errors import InfeasibleError, Problem
from islandroute.model.network import Network, Vehicle
from islandroute.model.plan import Plan, Route
from islandroute.network.reach import Reach, diagnose
from islandroute.planning.costing import breakdown, kpis
from islandroute.planning.day import COST_SCALE
from islandroute.planning.improve import improve
from islandroute.planning.instance import Instance, Pattern
from islandroute.planning.pattern_search import searchable
from islandroute.planning.patterns import balanced_patterns, fixed_patterns, sweep_patterns
from islandroute.planning.week import DayResult, Week

Progress = Callable[[str], None]
# shares of an optimized plan's time: first routes of every day, then (at the end) longer
# searches of each day; the rest goes to visit days. Small weeks, searched by exact moves,
# spend more on visit days; big ones need more for their first routes.
SHARES = {"searched": (0.2, 0.2), "estimated": (0.4, 0.3)}
FIXED_START_STATIONS = 600  # the usual pattern is a start too, up to this many stations
START_DAY_SECONDS = 0.25  # a start is only tried with at least this much routing a day


def plan_week(
    net: Network,
    mode: Literal["joint", "separate"] = "joint",
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    days: Literal["optimized", "balanced", "fixed"] = "optimized",
    fixed: tuple[str, ...] = ("mon", "wed", "fri"),
    carriers: tuple[str, ...] | None = None,
    effort: int = 20,
    progress: Progress | None = None,
    reach: Reach | None = None,
    workers: int = 1,
) -> Plan:
    """Plan the week: visit days for every station and each day's routes.

    Parameters
    ----------
    mode
        ``"joint"`` pools every carrier's parcels and vehicles; ``"separate"`` plans
        each carrier alone with its own vehicles.
    time_limit
        Seconds for the whole plan, shared by carriers and days (a first solution of a
        day may run a few seconds past its share).
    days
        ``"optimized"``: the cheapest after routing of several starts (spread, piled,
        swept, ``fixed``), then pattern changes by exact insertion search (or by
        estimates, for big weeks); ``"balanced"``: the spread start only; ``"fixed"``:
        ``fixed`` for every station that allows it.
    carriers
        Plan only these carriers (a coalition); default all.
    effort
        Local-search moves per visit and day before the solver stops on its own (makes
        runs reproducible when it binds before the time limit).
    workers
        Optimized days only: run that many independent searches (seeds ``seed``,
        ``seed + 1``, ...) in parallel processes and keep the cheapest week; worth it on
        a machine with that many idle cores.

    Raises :class:`InfeasibleError` naming stations and rules when the request cannot
    be met; never drops a station silently.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    say = progress or (lambda _msg: None)
    carriers = tuple(c for c in net.carrier_ids if carriers is None or c in carriers)
    reach = reach or Reach(net)
    t_net = time.perf_counter()
    problems = diagnose(net, reach, mode, list(carriers))
    if problems:
        raise InfeasibleError(problems)

    if mode == "joint":
        groups: list[tuple[tuple[str, ...], list[Vehicle]]] = [(carriers, list(net.vehicles))]
    else:
        groups = [((c,), [v for v in net.vehicles if v.carrier == c]) for c in carriers]
    insts = [Instance(net, reach, cs, vs, mode) for cs, vs in groups]
    insts = [i for i in insts if i.stations]
    clock = {"travel_s": t_net - t0, "reach_s": time.perf_counter() - t_net}
    weight = [len(i.stations) for i in insts]
    routes: list[Route] = []
    visit_days: dict[str, tuple[str, ...]] = {}
    stats: dict[str, float | int | str] = {"seed": seed, "days": days}
    for n, inst in enumerate(insts):
        left = deadline - time.perf_counter()
        budget = max(0.5, left * weight[n] / max(1, sum(weight[n:])))
        label = "+".join(inst.carriers) if mode == "separate" else "joint"
        say(
            f"[{label}] {len(inst.stations)} stations, {len(inst.vehicles)} vehicles, {budget:.0f}s"
        )
        if workers > 1 and days == "optimized":
            week = _solve_parallel(inst, fixed, seed, effort, budget, workers, say, label, clock)
        else:
            week = _solve_instance(inst, days, fixed, seed, effort, budget, say, label, clock)
        routes += week.routes()
        for si in inst.stations:
            node = net.stations[si].node
            key = node if mode == "joint" else f"{node}/{inst.carriers[0]}"
            visit_days[key] = week.assignment[si]
    order = {d: i for i, d in enumerate(net.days)}
    routes.sort(key=lambda r: (order[r.day], r.vehicle))
    stats["seconds"] = round(time.perf_counter() - t0, 3)
    stats.update({k: round(v, 3) for k, v in clock.items()})
    return Plan(
        network=net.name,
        mode=mode,
        days=net.days,
        routes=tuple(routes),
        totals=kpis(net, routes),
        by_carrier=breakdown(net, routes, "carrier"),
        by_island=breakdown(net, routes, "island"),
        visit_days=visit_days,
        stats=stats,
    )


@dataclass(frozen=True)
class _Job:
    """What a forked search needs besides its seed (read from the parent's memory)."""

    inst: Instance
    fixed: tuple[str, ...]
    effort: int
    budget: float
    label: str


_JOB: list[_Job] = []  # set around a parallel run, so that workers need nothing pickled


def _solve_parallel(
    inst: Instance,
    fixed: tuple[str, ...],
    seed: int,
    effort: int,
    budget: float,
    workers: int,
    say: Progress,
    label: str,
    clock: dict[str, float],
) -> Week:
    """Independent optimized searches from seeds ``seed, seed + 1, ...`` in forked
    processes; the week that leaves least out at least cost wins."""
    _JOB[:] = [_Job(inst, fixed, effort, budget - 0.5, label)]
    say(f"[{label}] {workers} searches in parallel")
    ctx = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            results = list(pool.map(_solve_forked, [seed + w for w in range(workers)]))
    finally:
        _JOB.clear()
    done = []
    for n, (assignment, days_, problems, times) in enumerate(results):
        if problems:
            say(f"[{label}] search {n} (seed {seed + n}): {len(problems)} problems")
            continue
        week = Week(inst, assignment, effort)
        week.days = days_
        say(f"[{label}] search {n} (seed {seed + n}): cost {week.objective() / COST_SCALE:,.0f}")
        done.append((week.objective(), n, week, times))
    if not done:
        raise InfeasibleError(results[0][2])
    _, _, best, times = min(done, key=lambda x: (x[0], x[1]))
    for key, dt in times.items():  # the winner's stages
        clock[key] = clock.get(key, 0.0) + dt
    return best


def _solve_forked(
    seed: int,
) -> tuple[dict[int, Pattern], dict[str, DayResult], list[Problem], dict[str, float]]:
    """One search in a forked worker: its week's days, or the problems that stopped it."""
    job = _JOB[0]
    clock: dict[str, float] = {}
    try:
        week = _solve_instance(
            job.inst,
            "optimized",
            job.fixed,
            seed,
            job.effort,
            job.budget,
            lambda _m: None,
            job.label,
            clock,
        )
    except InfeasibleError as exc:
        return {}, {}, list(exc.problems), clock
    return week.assignment, week.days, [], clock


def _move_dropped(week: Week, deadline: float, say: Progress, label: str) -> Week:
    """Give stations whose visit no route could take another allowed pattern, the one
    whose days carry the fewest visits, and re-solve the days that change."""
    inst = week.inst
    tried: set[tuple[int, Pattern]] = set()
    while week.dropped() and time.perf_counter() < deadline - 0.5:
        load = week.load_per_day()
        trial = Week(inst, week.assignment, week.effort)
        trial.days = dict(week.days)
        touched: set[str] = set()
        for day, visit in week.dropped():
            si = visit.unit.station
            tried.add((si, week.assignment[si]))
            options = [p for p in inst.patterns[si] if day not in p and (si, p) not in tried]
            if not options:
                continue
            best = min(options, key=lambda p: (sum(load[d] for d in p), p))
            touched |= set(trial.assignment[si]) | set(best)
            trial.assignment[si] = best
        if not touched:
            break
        trial.resolve(touched, (deadline - time.perf_counter()) / 2, least=0.3)
        say(
            f"[{label}] moved left-out stations: {len(week.dropped())} -> "
            f"{len(trial.dropped())} visits left out"
        )
        if len(trial.dropped()) <= len(week.dropped()):
            week = trial
    return week


def _solve_instance(
    inst: Instance,
    days: str,
    fixed: tuple[str, ...],
    seed: int,
    effort: int,
    budget: float,
    say: Progress,
    label: str,
    clock: dict[str, float],
) -> Week:
    """Visit days, then every day's routes, then (optimized) pattern changes, then longer
    searches of each day (or of the week as one model) with whatever time is left."""
    start_at = time.perf_counter()
    starts: list[tuple[str, Week]]
    if days == "fixed":
        starts = [(days, Week(inst, fixed_patterns(inst, fixed), effort))]
    elif days == "balanced":
        starts = [(days, Week(inst, balanced_patterns(inst, seed), effort))]
    else:  # spread out and piled up: which is cheaper depends on the fleet
        starts = [
            ("spread", Week(inst, balanced_patterns(inst, seed), effort)),
            ("piled", Week(inst, balanced_patterns(inst, seed, concentrate=True), effort)),
        ]
        swept = sweep_patterns(inst)
        if swept is not None:  # visited once a horizon: sectors by angle are a natural start
            starts.append(("swept", Week(inst, swept, effort)))
        usual = sum(fixed in inst.patterns[si] for si in inst.stations)
        if len(inst.stations) <= FIXED_START_STATIONS and 2 * usual >= len(inst.stations):
            # the usual timetable is a start too (on weeks small enough for four starts)
            starts.append(("fixed", Week(inst, fixed_patterns(inst, fixed), effort)))
    t1 = time.perf_counter()
    routing_share, polish_share = SHARES["searched" if searchable(inst) else "estimated"]
    first = budget * (routing_share if days == "optimized" else 1.0)
    starts = starts[: max(1, int(first / (START_DAY_SECONDS * len(inst.days))))]  # as time allows
    week: Week | None = None
    for kind, trial in starts:
        trial.solve_all(first / len(starts), progress=lambda m: say(f"[{label}] {m}"))
        say(
            f"[{label}] start {kind}: {len(trial.dropped())} left out, "
            f"cost {trial.objective() / COST_SCALE:,.0f}"
        )
        if week is None or (len(trial.dropped()), trial.objective()) < (
            len(week.dropped()),
            week.objective(),
        ):
            week = trial
    assert week is not None
    if week.dropped():  # a hurried start: its days with visits left out get longer
        left = start_at + budget * (1 - polish_share) - time.perf_counter()
        week.resolve({d for d, _ in week.dropped()}, left / 3, least=0.5)
    week = _move_dropped(week, start_at + budget * (1 - polish_share), say, label)
    if week.dropped():  # last tries: the week as one model, then each short day afresh
        end = start_at + budget
        if week.mergeable():
            week.solve_together(max(1.0, (end - time.perf_counter()) / 2), scale=100)
        left = (end - time.perf_counter()) / 2
        week.resolve({d for d, _ in week.dropped()}, left, warm=False, least=1.0)
        say(f"[{label}] last tries: {len(week.dropped())} visits left out")
    t2 = time.perf_counter()
    if days == "optimized":
        left = budget * (1 - polish_share) - (t2 - start_at)
        week = improve(week, seconds=left, seed=seed, say=lambda m: say(f"[{label}] {m}"))
    t3 = time.perf_counter()
    left = budget - (t3 - start_at)
    if left > 1.0 and not week.dropped():
        end = t3 + left - 0.5
        if days == "optimized" and week.mergeable():  # one long search of the whole week
            week.solve_together(end - time.perf_counter(), scale=10_000)
        scale = 10
        while end - time.perf_counter() > 1.0 and scale <= 10_000:  # longer searches each pass
            week.polish(end - time.perf_counter(), scale=scale)
            scale *= 4
    t4 = time.perf_counter()
    for key, dt in (
        ("visit_days_s", t1 - start_at),
        ("routing_s", t2 - t1),
        ("improve_s", t3 - t2),
        ("polish_s", t4 - t3),
    ):
        clock[key] = clock.get(key, 0.0) + dt
    week.raise_if_dropped()
    return week
