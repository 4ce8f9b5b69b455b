"""Every planning argument and tuning constant in one frozen, checked object.

:class:`PlanOptions` holds what a caller chooses (``mode``, ``time_limit``, ``seed``,
``days``, ``fixed``, ``carriers``, ``effort``, ``workers``, ``allow_unserved``) and a
nested :class:`Tuning` with the constants the planner's stages read (time shares, size
thresholds, search scales). Both check every value when built and raise
:class:`~islandroute.errors.OptionsError` naming the field (``plan_week: mode: ...``);
what needs the network (fixed days, carriers) is checked by :meth:`PlanOptions.check_for`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from numbers import Integral, Real
from typing import Any, Literal

from islandroute.errors import OptionsError, Problem
from islandroute.model.plan import Mode

__all__ = [
    "DEFAULT_TUNING",
    "MAX_EFFORT",
    "MAX_SEED",
    "MAX_TIME_LIMIT",
    "MAX_WORKERS",
    "PLAN_DEFAULTS",
    "PlanOptions",
    "Tuning",
]

DaysMethod = Literal["optimized", "balanced", "fixed"]
MODES: tuple[str, ...] = ("joint", "separate")
DAYS_METHODS: tuple[str, ...] = ("optimized", "balanced", "fixed")
OWNER = "plan_week"  # the object named by every options problem
MAX_TIME_LIMIT = 7 * 24 * 3600.0  # seconds: a week's plan may take at most a week
MAX_SEED = 2**63 - 1
MAX_WORKERS = 64
MAX_EFFORT = 100_000  # local-search moves per visit and day (solution limits stay int64)
SHORT = 40  # characters of a bad value shown in a message


def _show(value: Any) -> str:
    """A bad value as a message shows it, cut short."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = repr(value)
    return text if len(text) <= SHORT else text[: SHORT - 3] + "..."


# ---- value checks: each returns a message, or None when the value is good --------------


def _whole(lo: int, hi: int, top: str = "") -> Callable[[Any], str | None]:
    """A check for an integer (not a bool) in ``lo..hi`` (``top`` shows ``hi``)."""
    span = f"{lo:,}..{top or f'{hi:,}'}"

    def check(v: Any) -> str | None:
        if isinstance(v, bool) or not isinstance(v, Integral):
            return f"must be a whole number in {span}, got {_show(v)}"
        if not lo <= int(v) <= hi:
            return f"must be in {span}, got {_show(v)}"
        return None

    return check


def _real(lo: float, hi: float, *, open_low: bool = False) -> Callable[[Any], str | None]:
    """A check for a finite number (not a bool) in ``lo..hi`` (``lo`` excluded when
    ``open_low``)."""
    low = f"> {lo:g}" if open_low else f">= {lo:g}"

    def check(v: Any) -> str | None:
        if isinstance(v, bool) or not isinstance(v, Real):
            return f"must be a number {low} and <= {hi:g}, got {_show(v)}"
        x = float(v)
        if not math.isfinite(x):
            return f"must be a finite number {low} and <= {hi:g}, got {_show(v)}"
        if x < lo or (open_low and x == lo) or x > hi:
            return f"must be {low} and <= {hi:g}, got {_show(v)}"
        return None

    return check


def _choice(allowed: tuple[str, ...]) -> Callable[[Any], str | None]:
    """A check for one of a few names."""
    names = " or ".join(repr(a) for a in allowed)

    def check(v: Any) -> str | None:
        return None if isinstance(v, str) and v in allowed else f"must be {names}, got {_show(v)}"

    return check


def _flag(v: Any) -> str | None:
    return None if isinstance(v, bool) else f"must be True or False, got {_show(v)}"


def _names(what: str, *, optional: bool = False) -> Callable[[Any], str | None]:
    """A check for a non-empty list of distinct non-empty names (``None`` when
    ``optional``)."""

    def check(v: Any) -> str | None:
        if v is None and optional:
            return None
        if not isinstance(v, list | tuple):
            return f"must be a list of {what} ids, got {_show(v)}"
        items = list(v)
        if not items:
            return f"must name at least one {what}"
        bad = [x for x in items if not isinstance(x, str) or not x]
        if bad:
            return f"must be a list of {what} ids, got {_show(bad[0])} in it"
        dup = sorted({x for x in items if items.count(x) > 1})
        if dup:
            return f"names {what} {dup[0]!r} twice"
        return None

    return check


def _as_tuple(v: Any) -> Any:
    """Lists of names are kept as tuples (the options are frozen and hashable)."""
    return tuple(v) if isinstance(v, list | tuple) else v


def _checked(obj: Any) -> list[Problem]:
    """Problems of every field of a dataclass whose fields carry a ``check``."""
    out = []
    for f in fields(obj):
        check = f.metadata.get("check")
        if check is None:
            continue
        value = getattr(obj, f.name)
        message = check(value)
        if message:
            out.append(Problem(OWNER, f.name, message))
    return out


def _normalise(obj: Any) -> None:
    """Store lists as tuples and whole floats' kin as plain Python numbers."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        kind = f.metadata.get("kind")
        if kind == "float" and isinstance(value, Real) and not isinstance(value, bool):
            object.__setattr__(obj, f.name, float(value))
        elif kind == "int" and isinstance(value, Integral) and not isinstance(value, bool):
            object.__setattr__(obj, f.name, int(value))
        elif kind == "names":
            object.__setattr__(obj, f.name, _as_tuple(value))


def _meta(check: Callable[[Any], str | None], kind: str = "") -> dict[str, Any]:
    """A field's check (and how to normalise its value: ``"int"``, ``"float"``,
    ``"names"``)."""
    return {"check": check, "kind": kind}


def _opt(default: Any, check: Callable[[Any], str | None], kind: str = "") -> Any:
    """A dataclass field with its check."""
    return field(default=default, metadata=_meta(check, kind))


def _share(default: float) -> Any:
    """A fraction strictly between 0 and 1."""
    return _opt(default, _real(0.0, 1.0, open_low=True), "float")


def _seconds(default: float, hi: float = 3600.0) -> Any:
    """A duration in seconds, >= 0."""
    return _opt(default, _real(0.0, hi), "float")


def _count(default: int, lo: int = 1, hi: int = 1_000_000) -> Any:
    """A whole number of visits, stations, rounds..."""
    return _opt(default, _whole(lo, hi), "int")


def _factor(default: float, lo: float = 0.0, hi: float = 1e9, *, open_low: bool = True) -> Any:
    """A positive multiplier."""
    return _opt(default, _real(lo, hi, open_low=open_low), "float")


@dataclass(frozen=True)
class Tuning:
    """Constants the planner's stages read; the defaults are what the benchmarks
    measured. Each field names the module (and, before 0.2, the literal) it replaced.

    Changing them changes plans, not the rules a plan keeps: every plan is still
    checked against capacity, shifts, opening hours and ferry times.
    """

    # ---- time shares of an optimized plan (planner.py, SHARES) ------------------------
    #: first routes of every day, weeks searched by exact insertions (SHARES["searched"][0])
    routing_share_searched: float = _share(0.2)
    #: longer searches of each day at the end, weeks searched exactly (SHARES["searched"][1])
    polish_share_searched: float = _share(0.2)
    #: first routes, weeks moved by estimates (SHARES["estimated"][0])
    routing_share_estimated: float = _share(0.4)
    #: final searches, weeks moved by estimates (SHARES["estimated"][1])
    polish_share_estimated: float = _share(0.3)
    # ---- visit-day starts (planner.py) -------------------------------------------------
    #: the usual pattern (``fixed``) is a start too, up to this many stations
    #: (FIXED_START_STATIONS)
    fixed_start_stations: int = _count(600, 0)
    #: another start is tried only with at least this much routing time a day
    #: (START_DAY_SECONDS)
    start_day_seconds: float = _seconds(0.25)
    # ---- visits left out by the first routes (planner.py) ------------------------------
    #: share of the time to the improvement phase for a hurried start's short days (``/ 3``)
    hurried_share: float = _share(1 / 3)
    #: least seconds a day of a hurried start is re-solved with (``least=0.5``)
    hurried_least_s: float = _seconds(0.5)
    #: least seconds a day gets when left-out stations move to other patterns (``0.3``)
    moved_least_s: float = _seconds(0.3)
    #: last tries: least seconds a day solved afresh gets (``least=1.0``)
    fresh_least_s: float = _seconds(1.0)
    #: last tries: search scale of the week routed as one model (``scale=100``)
    last_merged_scale: float = _factor(100.0)
    #: share of the time left each last try may take (``/ 2``)
    last_try_share: float = _share(0.5)
    # ---- final searches (planner.py) ---------------------------------------------------
    #: final searches run only with at least this many seconds left (``left > 1.0``)
    polish_min_s: float = _seconds(1.0)
    #: search scale of the first polish pass (``scale = 10``)
    polish_scale_first: float = _factor(10.0)
    #: search scale of the last polish pass (``scale <= 10_000``)
    polish_scale_last: float = _factor(10_000.0)
    #: each polish pass searches this many times longer than the last (``scale *= 4``)
    polish_growth: float = _factor(4.0, 1.0)
    #: the long search of a week routed as one model, at most this scale (``scale=10_000``)
    merged_polish_scale: float = _factor(10_000.0)
    #: final searches stop after this many passes in a row that improve nothing (new)
    polish_stall_passes: int = _count(2)
    #: a day is polished only with at least this many seconds left (week.py, ``0.3``)
    day_polish_least_s: float = _seconds(0.3)
    # ---- routing a day (week.py) -------------------------------------------------------
    #: days with more visits are too slow to rebuild for retries and fallbacks
    #: (WHOLE_DAY_VISITS)
    whole_day_visits: int = _count(240, 0)
    #: weeks up to this many visits may be routed as one model (MERGED_VISITS)
    merged_visits: int = _count(400, 0)
    #: a visit left out that at most this many vehicles may make (a cold park's one
    #: refrigerated van) gets routes built hardest first, then OR-Tools from them
    scarce_vehicles: int = _count(2, 0)
    #: first-solution strategies tried again when a visit is left out (RETRY_STRATEGIES)
    retry_strategies: tuple[str, ...] = _opt(
        ("LOCAL_CHEAPEST_INSERTION", "PATH_CHEAPEST_ARC", "SAVINGS"),
        _names("first-solution strategy"),
        "names",
    )
    #: share of a part's time all retries together may take (``budget / 2``)
    retry_share: float = _share(0.5)
    #: least seconds of one retry (``max(0.3, ...)``)
    retry_least_s: float = _seconds(0.3)
    #: a part is first routed with vehicles holding this many times its parcels
    #: (build_day's ``fleet_margin=1.6``)
    fleet_margin: float = _factor(1.6, 1.0, 100.0, open_low=False)
    #: share of a part's time the smaller fleet gets (``(1.6, 0.6)``)
    small_fleet_share: float = _share(0.6)
    #: least seconds of the pass with the vehicles no region used (``max(0.5, ...)``)
    spare_least_s: float = _seconds(0.5)
    #: least seconds of a whole day routed as one model (``max(1.0, ...)``)
    whole_day_least_s: float = _seconds(1.0)
    #: least seconds a day of a start gets (solve_all's ``max(0.5, ...)``; 0.1 since the
    #: global deadline)
    day_least_s: float = _seconds(0.1)
    #: least seconds a re-solved day gets (resolve's ``least=0.2``)
    resolve_least_s: float = _seconds(0.2)
    #: a search's solution limit counts at least this many visits (``max(10, visits)``)
    limit_visits_floor: int = _count(10)
    #: days with at most this many visits get a plain descent, not the guided local
    #: search (which circles until the time limit on them), and count as solved (new)
    settled_visits: int = _count(2, 0)
    #: OR-Tools is not started with less time than this; the day is built greedily (new)
    min_solve_s: float = _seconds(0.02)
    #: share of a cold solve spent on the opening run with crossing rewards
    #: (ortools_adapter, ``time_limit * 0.3``)
    opening_share: float = _share(0.3)
    # ---- improving visit days (improve.py, pattern_search.py) --------------------------
    #: typical depot trips a parcel over capacity costs while searching (OVERLOAD)
    overload: float = _factor(0.1, 0.0, 1e6, open_low=False)
    #: share of the movable stations a kick moves (KICK)
    kick: float = _share(0.1)
    #: a kick moves at least this many stations (``max(2, ...)``)
    kick_least: int = _count(2)
    #: search effort of a round's re-solve, against the planner's (SCALE)
    resolve_scale: float = _factor(0.1)
    #: an estimated batch gets at most ``1 / estimated_rounds`` of the improvement time
    #: (ROUNDS)
    estimated_rounds: int = _count(12)
    #: the first estimated batch moves ``1 / estimated_batch`` of the movable stations
    #: (``// 8``)
    estimated_batch: int = _count(8)
    #: days with more possible visits than this are searched by estimates (SEARCH_VISITS)
    search_visits: int = _count(200, 0)
    #: share of the improvement time left one pattern search may take (``/ 4``)
    search_share: float = _share(0.25)
    #: least seconds of one pattern search (``max(0.2, ...)``)
    search_least_s: float = _seconds(0.2)
    #: least seconds of a round's re-solve (``max(1.0, seconds / 10)``)
    round_least_s: float = _seconds(1.0)
    #: share of the improvement time one round's re-solve may take (``seconds / 10``)
    round_share: float = _share(0.1)
    #: a round is not started with less time left than the last took; the first: this
    #: (``last_round = 0.5``)
    round_guess_s: float = _seconds(0.5)
    #: a round's re-solve takes at most this share of the time left (``* 0.9``)
    round_room: float = _share(0.9)
    #: the improvement stops after this many rounds in a row keep nothing (new)
    stall_rounds: int = _count(60)
    # ---- the week search on road days (week_search.py, road_days.py) -------------------
    #: weeks whose days' universes hold at most this many visits are searched route by
    #: route in Python (nested-list matrices grow with its square)
    road_search_visits: int = _count(1_200, 0)
    #: ... and at most this many where vehicles may ride a ferry (measured: better than
    #: OR-Tools' pattern search on 120-150-station archipelagos, worse on Zhoushan's 281)
    road_search_ferry_visits: int = _count(200, 0)
    #: share of a road week's time for its first routes (OR-Tools, each start)
    road_routing_share: float = _share(0.1)
    #: share of a road week's time for the route-level week search
    road_share: float = _share(0.75)
    #: near visits each visit tries moves with (granular neighbourhood)
    road_neighbours: int = _count(20)
    #: a parcel over capacity first costs this many typical arcs per typical load
    road_load_weight: float = _factor(1.0)
    #: penalties grow by this factor after a descent that ends breaking their rule ...
    road_penalty_up: float = _factor(1.3, 1.0, 1e3)
    #: ... and shrink by this one after a descent that keeps it
    road_penalty_down: float = _factor(0.85, 0.0, 1.0)
    #: penalties never fall below this share of their first values
    road_penalty_floor: float = _share(0.05)
    #: ... nor rise above this many times them (a rule no week can keep: no overflow)
    road_penalty_ceiling: float = _factor(1e4, 1.0, 1e9)
    #: chance that a descent ending infeasible is repeated with dearer penalties
    road_repair_chance: float = _share(0.5)
    #: the repeat's penalties, against the current ones
    road_repair_boost: float = _factor(10.0, 1.0, 1e6)
    #: a ruin takes this share of the stations (at least ``kick_least``)
    road_ruin: float = _share(0.08)
    #: chance that a ruined station comes back on a random allowed pattern
    road_random_pattern: float = _share(0.3)
    #: a week within this share of the accepted one's cost is accepted, shrinking to 0
    road_accept: float = _share(0.01)
    #: the week search stops after this many descents in a row find no cheaper week
    road_stall: int = _count(1_000)
    #: seconds between progress lines of the week search
    road_report_s: float = _seconds(5.0)
    #: moves priced per weekly visit in deterministic mode (``moves = effort * this``)
    road_moves_per_visit: int = _count(5_000)
    # ---- the greedy floor (greedy.py) ---------------------------------------------------
    #: the greedy week is built first for instances of at most this many weekly visits
    #: (about 2 s at 1,500; it grows with the square of the visits)
    greedy_max_visits: int = _count(1_500, 0)
    #: ... and only when the instance's share of the time is at least this many seconds
    greedy_least_s: float = _factor(2.0, 0.0, 1e6, open_low=False)
    # ---- regions (regions.py) ----------------------------------------------------------
    #: days with fewer visits stay whole (REGION_VISITS)
    region_visits: int = _count(60)
    #: a depot group with more visits is cut into sectors (SWEEP_VISITS)
    sweep_visits: int = _count(120)
    #: depots this close by road form one group (NEAR_MINUTES)
    near_minutes: float = _factor(20.0, 0.0, 2880.0, open_low=False)
    #: a region takes visits up to this share of its vans' capacity (``0.85``)
    region_fill: float = _share(0.85)
    #: an island trip seeded as a lock chain fills this share of the time between the
    #: boats (day.py, ``0.7``)
    island_trip_fill: float = _share(0.7)
    # ---- visit-day starts (patterns.py) ------------------------------------------------
    #: stations per k-means cluster of a big zone (CLUSTER_SIZE)
    cluster_size: int = _count(8)
    #: share of a fleet's capacity a start plans to fill (FLEET_FILL)
    fleet_fill: float = _share(0.9)
    #: score per parcel over that share (OVERFLOW_WEIGHT)
    overflow_weight: float = _factor(1e4)
    #: moves and swaps tried to repair a fleet's overflow (``max_steps=2000``)
    repair_steps: int = _count(2000, 0)
    # ---- the end of a plan (planner.py) ------------------------------------------------
    #: seconds kept for timing routes and KPIs: this much ... (new, measured)
    finish_base_s: float = _seconds(0.05)
    #: ... plus this much per visit of the week (new, measured)
    finish_per_visit_s: float = _seconds(0.0004, 1.0)
    #: parallel searches end this much earlier to send their weeks back: base ... (new)
    send_base_s: float = _seconds(0.1)
    #: ... plus this much per visit of the week (new, measured)
    send_per_visit_s: float = _seconds(0.0002, 1.0)

    def __post_init__(self) -> None:
        problems = [dataclasses.replace(p, field=f"tuning.{p.field}") for p in _checked(self)]
        if not problems:
            _normalise(self)
        if not problems and self.polish_scale_first > self.polish_scale_last:
            problems.append(
                Problem(
                    OWNER,
                    "tuning.polish_scale_first",
                    f"must be <= polish_scale_last ({self.polish_scale_last:g}), "
                    f"got {self.polish_scale_first:g}",
                )
            )
        if problems:
            raise OptionsError(problems)

    def shares(self, searched: bool, road: bool = False) -> tuple[float, float]:
        """(first routes, final searches) shares of an optimized plan's time (``road``:
        a week the route-level week search takes, ``searched``: one searched by exact
        insertions)."""
        if road:
            return self.road_routing_share, 1 - self.road_routing_share - self.road_share
        if searched:
            return self.routing_share_searched, self.polish_share_searched
        return self.routing_share_estimated, self.polish_share_estimated

    def solution_limit(self, effort: int, visits: int, scale: float) -> int:
        """Solutions a search may find before it stops on its own: ``effort`` per visit
        (at least ``limit_visits_floor``), times ``scale``; within int64."""
        raw = scale * effort * max(self.limit_visits_floor, visits)
        return max(1, min(2**62, int(raw)))

    def finish_seconds(self, visits: int) -> float:
        """Seconds to keep for turning a week of ``visits`` into timed routes and KPIs."""
        return self.finish_base_s + self.finish_per_visit_s * visits

    def send_seconds(self, visits: int) -> float:
        """Seconds a forked search needs to send a week of ``visits`` back."""
        return self.send_base_s + self.send_per_visit_s * visits


DEFAULT_TUNING = Tuning()


def _tuning_check(v: Any) -> str | None:
    return None if isinstance(v, Tuning) else f"must be a Tuning, got {_show(v)}"


@dataclass(frozen=True)
class PlanOptions:
    """How :func:`~islandroute.planning.planner.plan_week` plans a week.

    Build it with :meth:`of` (or the constructor, which checks the same): every bad
    value raises :class:`~islandroute.errors.OptionsError` naming the field.
    """

    #: ``"joint"`` pools every carrier's parcels and vehicles; ``"separate"`` plans each
    #: carrier alone with its own vehicles
    mode: Mode = field(default="joint", metadata=_meta(_choice(MODES)))
    #: seconds for the whole plan (0 < time_limit <= 7 days); the plan returns within
    #: ``time_limit + max(1 s, 5 %)`` when that leaves time for the reach diagnosis and
    #: one first routing of each day
    time_limit: float = _opt(60.0, _real(0.0, MAX_TIME_LIMIT, open_low=True), "float")
    #: seed of every random choice (0 .. 2**63 - 1); parallel searches use
    #: ``seed, seed + 1, ...``
    seed: int = _opt(0, _whole(0, MAX_SEED, "2**63 - 1"), "int")
    #: ``"optimized"``: several visit-day starts, then pattern changes; ``"balanced"``:
    #: the spread start only; ``"fixed"``: ``fixed`` for every station that allows it
    days: DaysMethod = field(default="optimized", metadata=_meta(_choice(DAYS_METHODS)))
    #: the usual visit days (a start of optimized weeks, the pattern of fixed ones)
    fixed: tuple[str, ...] = _opt(("mon", "wed", "fri"), _names("day"), "names")
    #: plan only these carriers (a coalition); ``None``: all of the network's
    carriers: tuple[str, ...] | None = _opt(None, _names("carrier", optional=True), "names")
    #: local-search moves per visit and day before a search stops on its own (1 ..
    #: 100,000); makes runs reproducible when it binds before the time limit
    effort: int = _opt(20, _whole(1, MAX_EFFORT), "int")
    #: optimized weeks: that many independent searches in parallel processes (1 .. 64),
    #: the cheapest week kept
    workers: int = _opt(1, _whole(1, MAX_WORKERS), "int")
    #: return a partial plan listing in ``Plan.unserved`` what cannot be delivered,
    #: instead of raising :class:`~islandroute.errors.InfeasibleError`
    allow_unserved: bool = _opt(False, _flag)
    #: the stages' constants
    tuning: Tuning = field(default=DEFAULT_TUNING, metadata=_meta(_tuning_check))

    def __post_init__(self) -> None:
        problems = _checked(self)
        if problems:
            raise OptionsError(problems)
        _normalise(self)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The options' field names."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def of(cls, **values: Any) -> PlanOptions:
        """Checked options from keywords; unknown names are refused like bad values."""
        unknown = sorted(set(values) - set(cls.names()))
        if unknown:
            raise OptionsError(
                [Problem(OWNER, name, "is not a planning option") for name in unknown]
            )
        return cls(**values)

    def replace(self, **values: Any) -> PlanOptions:
        """A checked copy with some fields replaced."""
        return type(self).of(**{**self.as_dict(), **values})

    def as_dict(self) -> dict[str, Any]:
        """The fields as keywords (the tuning as its object)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def check_for(self, carrier_ids: Iterable[str], days: Iterable[str]) -> None:
        """Refuse carriers and fixed days the network does not have (the default fixed
        days only when they are used as the pattern: other horizons have other days)."""
        known_days, known_carriers = list(days), list(carrier_ids)
        used = self.days == "fixed" or self.fixed != PlanOptions.fixed
        problems = [
            Problem(OWNER, "fixed", f"unknown day {d!r} (the network's days: {known_days})")
            for d in (self.fixed if used else ())
            if d not in known_days
        ]
        problems += [
            Problem(OWNER, "carriers", f"unknown carrier {c!r}")
            for c in self.carriers or ()
            if c not in known_carriers
        ]
        if problems:
            raise OptionsError(problems)


PLAN_DEFAULTS = PlanOptions()
