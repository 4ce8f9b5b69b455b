"""``plan_week``: a whole week's plan, joint or separate, within a time limit.

Every argument is checked before any work (:class:`~islandroute.planning.options.
PlanOptions`), and so is whether every station can be served and its pickups handed in
(:func:`~islandroute.network.reach.diagnose`). One deadline then rules every stage: the
time limit less what timing the routes and KPIs will take. The first routes of each
day are always made (greedily if OR-Tools finds none in time); other starts, the
visit-day search and the final searches run only while time is left, and stop early
once they make no progress.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from islandroute.errors import InfeasibleError, Problem
from islandroute.model.network import Network, Vehicle
from islandroute.model.plan import Plan, Route, Unserved
from islandroute.network.reach import Reach, diagnose
from islandroute.planning.clock import Deadline
from islandroute.planning.costing import plan_of_routes
from islandroute.planning.day import COST_SCALE
from islandroute.planning.greedy import GreedyWeek
from islandroute.planning.improve import improve
from islandroute.planning.instance import Instance, Pair, Pattern, Unit
from islandroute.planning.options import PLAN_DEFAULTS, DaysMethod, Mode, PlanOptions, Tuning
from islandroute.planning.parallel import solve_parallel
from islandroute.planning.pattern_search import searchable
from islandroute.planning.patterns import balanced_patterns, fixed_patterns, sweep_patterns
from islandroute.planning.week import Week
from islandroute.planning.week_search import road_week, search_week
from islandroute.progress import Progress, progress_or_log

Clock = dict[str, float]
STOP_TIME = "time_limit"  # the time ran out while the search still had work
STOP_STALLED = "no_progress"  # the searches stopped improving before the time ran out
STOP_SETTLED = "settled"  # every day so small that its search had nothing left to try
STOP_EMPTY = "nothing_to_plan"  # no station had parcels to plan
DIAGNOSED_RULES = ("reach", "open", "min_visits", "demand")  # rules of reach.diagnose
ROUTE_RULE = "route"  # a visit no route could take
COST_TOLERANCE = 1e-6  # the greedy week must be dearer than this to lose a tie


def plan_week(
    net: Network,
    mode: Mode = PLAN_DEFAULTS.mode,
    *,
    time_limit: float = PLAN_DEFAULTS.time_limit,
    seed: int = PLAN_DEFAULTS.seed,
    days: DaysMethod = PLAN_DEFAULTS.days,
    fixed: tuple[str, ...] = PLAN_DEFAULTS.fixed,
    carriers: tuple[str, ...] | None = PLAN_DEFAULTS.carriers,
    effort: int = PLAN_DEFAULTS.effort,
    progress: Progress | None = None,
    reach: Reach | None = None,
    workers: int = PLAN_DEFAULTS.workers,
    allow_unserved: bool = PLAN_DEFAULTS.allow_unserved,
    options: PlanOptions | None = None,
) -> Plan:
    """Plan the week: visit days for every station and each day's routes.

    The keywords are the fields of :class:`~islandroute.planning.options.PlanOptions`
    (see there for each); ``options`` gives them at once, and a keyword given with a
    value other than its default replaces the option's field. Every value is checked
    before any planning: a bad one raises :class:`~islandroute.errors.OptionsError`
    naming it (``plan_week: carriers: unknown carrier 'zzz'``).

    The plan returns within ``time_limit + max(1 s, 5 %)`` (``benchmarks/results/
    limits.md``) as long as the limit leaves time for the work no limit can shorten:
    the reach diagnosis, the visit-day start and one first routing of each day (a
    2,000-station week needs about 30 s of them; days OR-Tools cannot route in time are
    built greedily). ``plan.stats["stopped"]`` says why it returned: the time ran out
    (``"time_limit"``), the searches stopped improving (``"no_progress"``), or every
    day was too small to search any further (``"settled"``).

    Pickups ride to their ``pickup_to`` by ``pickup_by`` (a hand-in stop on the way), cold
    ones on refrigerated vehicles within ``max_ride``, and the load fits the vehicle at
    every point. Raises :class:`~islandroute.errors.InfeasibleError` naming stations and
    rules when the request cannot be met (checked before any solving where it can be);
    never drops a station silently. With ``allow_unserved`` it returns the best plan it
    can instead, every (station, carrier) it cannot serve listed in ``plan.unserved``
    and given no deliveries at all.
    """
    t0 = time.perf_counter()
    given = {
        "mode": mode,
        "time_limit": time_limit,
        "seed": seed,
        "days": days,
        "fixed": fixed,
        "carriers": carriers,
        "effort": effort,
        "workers": workers,
        "allow_unserved": allow_unserved,
    }
    opts = _resolve_options(options, given)
    opts.check_for(net.carrier_ids, net.days)
    if any(v.is_drone for v in net.vehicles):  # drones fly only in plan_with_drones
        net, reach = net.replace(vehicles=[v for v in net.vehicles if not v.is_drone]), None
    return _plan(net, opts, progress_or_log(progress), reach, t0)


def _resolve_options(options: PlanOptions | None, given: dict[str, Any]) -> PlanOptions:
    """``options`` (default: the defaults) with the keywords that differ from their
    defaults put in; every value checked."""
    if options is None:
        return PlanOptions.of(**given)
    changed = {k: v for k, v in given.items() if not _same(v, getattr(PLAN_DEFAULTS, k))}
    return options.replace(**changed) if changed else options


def _same(a: Any, b: Any) -> bool:
    """Whether a keyword was left at its default (lists and tuples alike)."""
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return tuple(a) == tuple(b)
    return type(a) is type(b) and a == b


def _plan(net: Network, opts: PlanOptions, say: Progress, reach: Reach | None, t0: float) -> Plan:
    """The week of checked options, from the reach diagnosis to the KPIs."""
    carriers = tuple(c for c in net.carrier_ids if opts.carriers is None or c in opts.carriers)
    say(f"reach: {len(net.stations)} stations, {len(net.vehicles)} vehicles, every day")
    reach = reach or Reach(net)
    t_net = time.perf_counter()
    left_out, unserved = _diagnosis(net, reach, opts.mode, carriers, opts.allow_unserved)
    say(f"reach: diagnosed in {time.perf_counter() - t0:.1f}s")
    insts = [
        i
        for i in (
            Instance(net, reach, cs, vs, opts.mode, left_out=left_out)
            for cs, vs in _groups(net, opts.mode, carriers)
        )
        if i.stations
    ]
    clock: Clock = {"travel_s": t_net - t0, "reach_s": time.perf_counter() - t_net}
    visits = sum(i.weekly_visits() for i in insts)
    search_end = Deadline(t0 + opts.time_limit - opts.tuning.finish_seconds(visits))
    weight = [len(i.stations) for i in insts]
    week = _Planned(unserved=unserved)
    for n, inst in enumerate(insts):
        share = max(0.0, search_end.left()) * weight[n] / max(1, sum(weight[n:]))
        _plan_instance(inst, opts, share, search_end, say, clock, week)
    return _assemble(net, opts, week, clock, t0)


@dataclass
class _Planned:
    """What the instances' searches have planned so far."""

    routes: list[Route] = field(default_factory=list)
    visit_days: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unserved: list[Unserved] = field(default_factory=list)
    stops: list[str] = field(default_factory=list)
    floors: int = 0


def _plan_instance(
    inst: Instance,
    opts: PlanOptions,
    share: float,
    search_end: Deadline,
    say: Progress,
    clock: Clock,
    out: _Planned,
) -> None:
    """Search one instance for ``share`` seconds; its week (or the greedy floor's, when
    cheaper) goes into ``out``."""
    target = search_end.within(share)
    label = "+".join(inst.carriers) if opts.mode == "separate" else "joint"
    say(f"[{label}] {len(inst.stations)} stations, {len(inst.vehicles)} vehicles, {share:.0f}s")
    floor = _greedy_floor(inst, opts, share)
    if opts.workers > 1 and opts.days == "optimized":
        week, stopped = solve_parallel(
            inst, opts, target, search_end, say, label, clock, _solve_instance
        )
    else:
        week, stopped = _solve_instance(
            inst, opts, opts.seed, target, search_end, say, label, clock
        )
    out.stops.append(stopped)
    t_done = time.perf_counter()
    if floor is not None and _floor_wins(floor, week, say, label):
        out.floors += 1
        out.routes += floor.routes(set())
        out.visit_days.update(floor.visit_days(set()))
    else:
        gone = _settle_dropped(week, opts.allow_unserved)
        out.unserved += gone
        out.routes += week.routes()
        out.visit_days.update(_visit_days(inst.net, inst, week, opts.mode, gone))
    clock["finish_s"] = clock.get("finish_s", 0.0) + time.perf_counter() - t_done


def _assemble(net: Network, opts: PlanOptions, week: _Planned, clock: Clock, t0: float) -> Plan:
    """The plan of the planned routes: ordered, with KPIs, breakdowns and stats."""
    t_kpis = time.perf_counter()
    stats: dict[str, Any] = {"seed": opts.seed, "days": opts.days}
    stats["stopped"] = _why_stopped(week.stops)
    stats["greedy_kept"] = week.floors
    plan = plan_of_routes(net, opts.mode, week.routes, week.visit_days, stats, week.unserved)
    clock["finish_s"] = clock.get("finish_s", 0.0) + time.perf_counter() - t_kpis
    plan.stats["seconds"] = round(time.perf_counter() - t0, 3)
    plan.stats.update({k: round(v, 3) for k, v in clock.items()})
    return plan


def _greedy_floor(inst: Instance, opts: PlanOptions, share: float) -> GreedyWeek | None:
    """The hand planner's week (``opts.fixed`` days, nearest visit first) when it is
    cheap to build here and serves every visit; else None."""
    tune = opts.tuning
    if opts.days == "balanced" or share < tune.greedy_least_s:
        return None  # balanced days were asked for; or no time to spare
    if inst.weekly_visits() > tune.greedy_max_visits:
        return None
    floor = GreedyWeek(inst, fixed_patterns(inst, opts.fixed))
    floor.run()
    return floor if floor.serves_all() else None


def _floor_wins(floor: GreedyWeek, week: Week, say: Progress, label: str) -> bool:
    """Whether the greedy week beats the search's: it serves every visit, so it wins
    when the search left one out or ends dearer (anytime: never worse than it)."""
    searched = math.inf if week.dropped() else sum(r.cost for r in week.routes())
    greedy = floor.cost()
    if greedy < searched - COST_TOLERANCE:
        say(f"[{label}] the greedy week ({greedy:,.0f}) beats the search's ({searched:,.0f})")
        return True
    return False


def _groups(
    net: Network, mode: str, carriers: tuple[str, ...]
) -> list[tuple[tuple[str, ...], list[Vehicle]]]:
    """The carriers and fleet of each instance: all together, or one per carrier."""
    if mode == "joint":
        return [(carriers, list(net.vehicles))]
    return [((c,), [v for v in net.vehicles if v.carrier == c]) for c in carriers]


def _why_stopped(stops: list[str]) -> str:
    """One reason for the whole plan: the time ran out for some instance, or none had
    anything left to plan, or they all stopped improving."""
    if not stops:
        return STOP_EMPTY
    if STOP_TIME in stops:
        return STOP_TIME
    return STOP_SETTLED if set(stops) == {STOP_SETTLED} else STOP_STALLED


# ---- what cannot be served -------------------------------------------------------------


def _diagnosis(
    net: Network, reach: Reach, mode: str, carriers: tuple[str, ...], allow: bool
) -> tuple[frozenset[Pair], list[Unserved]]:
    """(station, carrier) pairs the reach diagnosis rules out, as a partial plan's
    unserved parcels; an :class:`InfeasibleError` naming them without ``allow``."""
    problems = diagnose(net, reach, mode, list(carriers))
    if not problems:
        return frozenset(), []
    if not allow:
        raise InfeasibleError(problems)
    found: dict[Pair, Problem] = {}
    batches = [(c, [c]) for c in carriers] if mode == "separate" else [(None, list(carriers))]
    for only, members in batches:
        batch = problems if only is None else diagnose(net, reach, mode, members)
        for pair, problem in problem_pairs(net, batch, members):
            found.setdefault(pair, problem)
    unserved = [_unserved(net, pair, p.field.split(".")[0], p.message) for pair, p in found.items()]
    return frozenset(found), unserved


def problem_pairs(
    net: Network, problems: list[Problem], carriers: list[str]
) -> list[tuple[Pair, Problem]]:
    """The (station, carrier) pairs each station problem stands for: the carrier its
    field names (``demand.ems``), else every planned carrier with parcels there."""
    by_obj = {f"station {s.node!r}": s for s in net.stations}
    out = []
    for p in problems:
        st = by_obj.get(p.obj)
        if st is None:
            continue
        named = p.field.split(".", 1)[1] if p.field.startswith("demand.") else None
        owed = [c for c in carriers if st.demand.get(c, 0) + st.pickup.get(c, 0) > 0]
        for c in [named] if named in carriers else owed:
            out.append(((st.node, c), p))
    return out


def _unserved(net: Network, pair: Pair, rule: str, message: str) -> Unserved:
    """The declaration of one pair: its weekly parcels, the rule and why."""
    node, carrier = pair
    parcels = net.station_by_node[node].demand.get(carrier, 0)
    return Unserved(station=node, carrier=carrier, parcels=parcels, rule=rule, message=message)


def _settle_dropped(week: Week, allow: bool) -> list[Unserved]:
    """Visits no route took: an :class:`InfeasibleError`, or (``allow``) their units
    taken out of every day and declared unserved."""
    if not allow:
        week.raise_if_dropped()
        return []
    problems = week.dropped_problems()
    units: set[Unit] = {v.unit for v, _ in problems}
    week.leave_out(units)
    found: dict[Pair, Unserved] = {}
    for v, p in problems:
        for c in v.unit.carriers:
            pair = (v.unit.node, c)
            found.setdefault(pair, _unserved(week.inst.net, pair, ROUTE_RULE, p.message))
    return list(found.values())


def _visit_days(
    net: Network, inst: Instance, week: Week, mode: str, gone: list[Unserved]
) -> dict[str, tuple[str, ...]]:
    """Each served station's visit days (per carrier in separate mode)."""
    out: dict[str, tuple[str, ...]] = {}
    left = {(u.station, u.carrier) for u in gone}
    for si in inst.stations:
        node = net.stations[si].node
        owed = [u for u in inst.units[si] if not all((node, c) in left for c in u.carriers)]
        if owed:
            key = node if mode == "joint" else f"{node}/{inst.carriers[0]}"
            out[key] = week.assignment[si]
    return out


# ---- one instance ----------------------------------------------------------------------


def _starts(
    inst: Instance, opts: PlanOptions, seed: int, road: bool
) -> list[tuple[str, Callable[[], dict[int, Pattern]]]]:
    """Visit-day starts to route, cheapest to make first (each made only when tried)."""
    tune = opts.tuning
    if opts.days == "fixed":
        return [("fixed", lambda: fixed_patterns(inst, opts.fixed))]
    if opts.days == "balanced":
        return [("balanced", lambda: balanced_patterns(inst, seed, tuning=tune))]
    starts: list[tuple[str, Callable[[], dict[int, Pattern]]]] = [
        ("spread", lambda: balanced_patterns(inst, seed, tuning=tune)),
        ("piled", lambda: balanced_patterns(inst, seed, concentrate=True, tuning=tune)),
    ]
    if all(len(p) == 1 for si in inst.stations for p in inst.patterns[si]):
        # visited once a horizon: sectors by angle are a natural start
        starts.append(("swept", lambda: sweep_patterns(inst, tune) or {}))
    usual = sum(opts.fixed in inst.patterns[si] for si in inst.stations)
    if len(inst.stations) <= tune.fixed_start_stations and 2 * usual >= len(inst.stations):
        fixed = ("fixed", lambda: fixed_patterns(inst, opts.fixed))
        # the week search starts from the usual timetable (it then ends no dearer than
        # fixed days); the pattern search gets it as a fourth start (measured: first, it
        # costs the Zhoushan week 1.6 % at 60 s and 12 % at 10 s)
        if road:
            starts.insert(0, fixed)
        else:
            starts.append(fixed)
    return starts


def _first_week(
    inst: Instance,
    opts: PlanOptions,
    seed: int,
    routing_end: Deadline,
    hard: Deadline,
    say: Progress,
    clock: Clock,
    road: bool = False,
) -> Week:
    """The cheapest of the starts after routing every day (the first start always; the
    others while the routing time lasts, one as long as the last took, and while the
    best leaves a visit out); ``road``: the week search follows."""
    tune = opts.tuning
    starts = _starts(inst, opts, seed, road)
    per_day = tune.start_day_seconds * len(inst.days)
    room = max(1, int(max(0.0, routing_end.left()) / per_day))
    week: Week | None = None
    took = 0.0
    for n, (kind, make) in enumerate(starts):
        enough = n >= room or routing_end.left() < took  # the routing time is spent
        if week is not None and ((enough and not week.dropped()) or hard.left() < took):
            break
        t = time.perf_counter()
        assignment = make()
        clock["visit_days_s"] = clock.get("visit_days_s", 0.0) + time.perf_counter() - t
        trial = Week(inst, assignment, opts.effort, tuning=tune, deadline=hard)
        trial.solve_all(max(0.0, routing_end.left()) / (len(starts) - n), progress=say)
        took = time.perf_counter() - t
        say(
            f"start {kind}: {len(trial.dropped())} left out, "
            f"routing cost {trial.objective() / COST_SCALE:,.0f}"
        )
        if week is None or (len(trial.dropped()), trial.objective()) < (
            len(week.dropped()),
            week.objective(),
        ):
            week = trial
    assert week is not None
    return week


def _move_dropped(week: Week, end: Deadline, say: Progress) -> Week:
    """Give stations whose visit no route could take another allowed pattern, the one
    whose days carry the fewest visits, and re-solve the days that change."""
    inst, tune = week.inst, week.tuning
    tried: set[tuple[int, Pattern]] = set()
    while week.dropped() and end.left() > tune.moved_least_s:
        load = week.load_per_day()
        trial = week.fork()
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
        trial.resolve(touched, end.left() / 2, least=tune.moved_least_s)
        say(
            f"moved left-out stations: {len(week.dropped())} -> "
            f"{len(trial.dropped())} visits left out"
        )
        if len(trial.dropped()) <= len(week.dropped()):
            week = trial
    return week


def _repair(week: Week, improve_end: Deadline, hard: Deadline, say: Progress) -> Week:
    """Visits the first routes left out: their days longer, their stations on other
    patterns, then last tries (the week as one model, each short day afresh)."""
    tune = week.tuning
    if week.dropped():  # a hurried start: its days with visits left out get longer
        left = max(0.0, improve_end.left()) * tune.hurried_share
        week.resolve({d for d, _ in week.dropped()}, left, least=tune.hurried_least_s)
    week = _move_dropped(week, improve_end, say)
    if week.dropped() and not hard.passed():
        if week.mergeable():
            seconds = max(tune.fresh_least_s, hard.left() * tune.last_try_share)
            week.solve_together(seconds, scale=tune.last_merged_scale)
        left = hard.left() * tune.last_try_share
        week.resolve({d for d, _ in week.dropped()}, left, warm=False, least=tune.fresh_least_s)
        say(f"last tries: {len(week.dropped())} visits left out")
    return week


def _polish(week: Week, end: Deadline, optimized: bool, say: Progress) -> bool:
    """Longer searches with the time left: the week as one model (small optimized weeks
    with once-a-horizon stations), then each day, each pass longer than the last;
    whether they stopped for want of progress (else for want of time)."""
    tune = week.tuning
    if week.settled():
        return True
    if week.dropped() or end.left() <= tune.polish_min_s:
        return False
    if optimized and week.mergeable():

        def together(seconds: float, scale: float) -> bool:
            return week.solve_together(seconds, scale=scale)

        if not _passes(together, end, tune.merged_polish_scale, tune):
            return False
    stalled = _passes(week.polish, end, tune.polish_scale_last, tune)
    say(f"final searches: routing cost {week.objective() / COST_SCALE:,.0f}")
    return stalled


def _passes(
    search: Callable[[float, float], bool], end: Deadline, last_scale: float, tune: Any
) -> bool:
    """Search passes of growing scale until ``end``; True when they stopped because
    ``tune.polish_stall_passes`` passes in a row (or the largest) improved nothing."""
    scale, idle = tune.polish_scale_first, 0
    while end.left() > tune.polish_min_s:
        if scale > last_scale or idle >= tune.polish_stall_passes:
            return True
        idle = 0 if search(end.left(), scale) else idle + 1
        scale *= tune.polish_growth
    return False


def _days_merge(inst: Instance, tune: Tuning) -> bool:
    """Whether every station that may change days is visited once a horizon and the week
    is small enough for one model of all days: OR-Tools then moves visits between days
    and routes at once (:meth:`Week.solve_together`), which the week search cannot
    (its route moves stay within a day)."""
    movable = {si for si in inst.stations if len(inst.patterns[si]) > 1}
    visits = inst.weekly_visits()
    return bool(movable) and movable <= set(inst.flexible) and visits <= tune.merged_visits


def _search_road_week(
    week: Week, opts: PlanOptions, seed: int, end: Deadline, say: Progress
) -> Week:
    """The route-level week search (:mod:`~islandroute.planning.week_search`) until
    ``end`` or its move budget (``effort`` x weekly visits x ``road_moves_per_visit``);
    the week it found when it is cheaper (or serves what the routes left out)."""
    moves = opts.effort * week.inst.weekly_visits() * opts.tuning.road_moves_per_visit
    found = search_week(
        week,
        seconds=max(0.0, end.left()),
        seed=seed,
        moves=moves,
        patterns=opts.days == "optimized",
        say=say,
    )
    return week if found is None or found.week is None else found.week


def _solve_instance(
    inst: Instance,
    opts: PlanOptions,
    seed: int,
    target: Deadline,
    hard: Deadline,
    say: Progress,
    label: str,
    clock: Clock,
) -> tuple[Week, str]:
    """Visit days, then every day's routes, then (optimized) pattern changes, then longer
    searches with whatever time is left before ``target``; ``hard`` ends every search.
    Returns the week (visits no route took still in it) and why it stopped."""

    def tell(message: str) -> None:
        say(f"[{label}] {message}")

    tune = opts.tuning
    start_at = time.perf_counter()
    days_before = clock.get("visit_days_s", 0.0)
    budget = max(0.0, target.left())
    optimized = opts.days == "optimized"
    road = road_week(inst, tune) and not _days_merge(inst, tune)
    routing_share, polish_share = tune.shares(searchable(inst, tune.search_visits), road)
    routing_end = target.within(budget * routing_share) if optimized or road else target
    improve_end = target.within(budget * (1 - polish_share))
    week = _first_week(inst, opts, seed, routing_end, hard, tell, clock, road)
    t1 = time.perf_counter()
    week = _repair(week, improve_end, hard, tell)  # visits the first routes left out
    t2 = time.perf_counter()
    if road:
        week = _search_road_week(week, opts, seed, improve_end, tell)
    elif optimized and not week.dropped():
        week = improve(week, seconds=max(0.0, improve_end.left()), seed=seed, say=tell).week
    t3 = time.perf_counter()
    stalled = _polish(week, target.sooner(hard), optimized, tell)
    t4 = time.perf_counter()
    for key, dt in (
        ("routing_s", t1 - start_at - clock.get("visit_days_s", 0.0) + days_before),
        ("repair_s", t2 - t1),
        ("improve_s", t3 - t2),
        ("polish_s", t4 - t3),
    ):
        clock[key] = clock.get(key, 0.0) + dt
    if hard.passed() or not stalled:
        return week, STOP_TIME
    return week, STOP_SETTLED if week.settled() else STOP_STALLED
