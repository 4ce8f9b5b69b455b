"""Visit-day improvement: move stations to cheaper patterns, re-solve only the days that
change, keep what pays.

Small weeks get an iterated local search: each round runs
:func:`~islandroute.planning.pattern_search.pattern_search` (exact insertion moves on the
routes as they stand, routes allowed a little over capacity), re-solves the touched days
warm with OR-Tools and keeps the week when it costs less; at a local optimum the next
round first kicks a few neighbouring stations to random patterns. Weeks too big for
that move batches of the stations whose detour and insertion estimates promise most.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from islandroute.model.network import Ferry
from islandroute.planning.day import COST_SCALE
from islandroute.planning.instance import Pattern
from islandroute.planning.pattern_search import pattern_search, searchable
from islandroute.planning.week import Week

OVERLOAD = 0.1  # typical depot trips a parcel over capacity costs while searching
KICK = 0.1  # share of the movable stations a kick moves (at least two)
SCALE = 0.1  # search effort of a round's re-solve, against the planner's
Rng = np.random.Generator
Say = Callable[[str], None]
ROUNDS = 12  # an estimated batch gets at most this share of the improvement time


def improve(week: Week, *, seconds: float, seed: int, say: Say) -> Week:
    """Improve ``week`` for at most ``seconds``; returns the best week found."""
    rng = np.random.default_rng(seed)
    inst = week.inst
    movable = [si for si in inst.stations if len(inst.patterns[si]) > 1]
    if not movable or week.dropped():
        return week
    if week.mergeable() and set(movable) <= set(inst.flexible):
        return week  # the week model moves every one of them better
    if searchable(inst):
        return _iterated_search(week, movable, seconds, rng, say)
    return _estimated_moves(week, movable, seconds, rng, say)


def _iterated_search(week: Week, movable: list[int], seconds: float, rng: Rng, say: Say) -> Week:
    """Pattern search, a warm re-solve of the touched days, keep if cheaper; kick when
    stuck."""
    deadline = time.perf_counter() + seconds
    kick_size = max(2, round(KICK * len(movable)))
    rounds = kept = 0
    start_obj = week.objective()
    stuck = False
    last_round = 0.5  # a round is not started when less time is left than the last one took
    while time.perf_counter() < deadline - last_round:
        round_start = time.perf_counter()
        found = pattern_search(
            week,
            max(0.2, (deadline - round_start) / 4),
            rng,
            overload=OVERLOAD,
            kick=kick_size if stuck else 0,
        )
        stuck = True  # unless the round pays
        if found is None or found.week.assignment == week.assignment:
            continue
        trial = found.week
        round_time = min((deadline - time.perf_counter()) * 0.9, max(1.0, seconds / 10))
        trial.resolve(found.touched, round_time, scale=SCALE)
        rounds += 1
        last_round = max(0.5, time.perf_counter() - round_start)
        if not trial.dropped() and trial.objective() < week.objective():
            week = trial
            kept += 1
            stuck = False
    say(
        f"visit days: {rounds} rounds, {kept} kept, cost "
        f"{start_obj / COST_SCALE:,.0f} -> {week.objective() / COST_SCALE:,.0f}"
    )
    return week


def _estimated_moves(week: Week, movable: list[int], seconds: float, rng: Rng, say: Say) -> Week:
    """Batches of the moves that look best by detour and insertion estimates, for weeks
    too big for :func:`pattern_search` (each batch re-solves its days)."""
    deadline = time.perf_counter() + seconds
    inst = week.inst
    batch = max(1, len(movable) // 8)
    equal_split = inst.net.rules.split == "equal"
    tabu: set[int] = set()
    rounds = accepted = 0
    start_obj = week.objective()
    last_round = 0.5  # a round is not started when less time is left than the last one took
    while time.perf_counter() < deadline - last_round and batch >= 1:
        round_start = time.perf_counter()
        moves = _candidates(week, [si for si in movable if si not in tabu], rng)
        if not moves:
            break
        chosen = moves[:batch]
        trial = Week(inst, week.assignment, week.effort)
        trial.days = dict(week.days)
        touched: set[str] = set()
        for si, pat, _gain in chosen:
            old_days, new_days = set(week.assignment[si]), set(pat)
            # with parcels "since the last visit" the amounts shift on shared days too
            touched |= old_days ^ new_days if equal_split else old_days | new_days
            trial.assignment[si] = pat
        left = deadline - time.perf_counter()
        if left < 0.5:
            break
        trial.resolve(touched, min(left * 0.9, max(1.0, seconds / ROUNDS)))
        rounds += 1
        last_round = max(0.5, time.perf_counter() - round_start)
        if not trial.dropped() and trial.objective() < week.objective():
            week = trial
            accepted += 1
        else:
            tabu |= {si for si, _, _ in chosen}  # not tried again: the next candidates go
            batch = max(1, batch // 2)
    say(
        f"visit days: {rounds} rounds, {accepted} kept, cost "
        f"{start_obj / COST_SCALE:,.0f} -> {week.objective() / COST_SCALE:,.0f}"
    )
    return week


def _candidates(
    week: Week, stations: list[int], rng: np.random.Generator
) -> list[tuple[int, Pattern, float]]:
    """Stations with a pattern that looks cheaper, best estimated gain first."""
    inst = week.inst
    t = inst.travel
    km = inst.arc_cost
    routes: dict[str, list[_Row]] = {}
    where: dict[tuple[str, int], tuple[_Row, int]] = {}
    for day, res in week.days.items():
        rows = []
        for vehicle, events in res.events:
            locs, jumps, load, seen = [t.i(vehicle.depot)], set(), 0, []
            for ev in events:
                if isinstance(ev, Ferry):
                    jumps.add(len(locs) - 1 + 1)  # the arc from the far pier is no road
                    locs += [t.i(ev.from_), t.i(ev.to)]
                else:
                    locs.append(t.i(ev.unit.node))
                    seen.append((ev.unit.station, len(locs) - 1))
                    load += ev.load
            locs.append(t.i(vehicle.depot))
            row = _Row(np.array(locs), 1.0, vehicle.capacity - load, jumps)
            rows.append(row)
            for si, pos in seen:
                where[(day, si)] = (row, pos)
        routes[day] = rows

    out = []
    for si in stations:
        node = t.i(inst.station(si).node)
        cur = week.assignment[si]
        save: dict[str, float] = {}
        for d in cur:
            hit = where.get((d, si))
            if hit is not None:
                row, pos = hit
                a, b = row.locs[pos - 1], row.locs[pos + 1]
                save[d] = row.cpk * (km[a, node] + km[node, b] - km[a, b])
        best: tuple[float, Pattern] | None = None
        for pat in inst.patterns[si]:
            if pat == cur:
                continue
            gain = sum(save.get(d, 0.0) for d in cur if d not in pat)
            for d in pat:
                if d not in cur:
                    load = sum(inst.load(u, pat, d) for u in inst.units[si])
                    gain -= _insertion(routes.get(d, []), node, km, load)
            if best is None or gain > best[0]:
                best = (gain, pat)
        if best and best[0] > 1e-9:
            out.append((si, best[1], best[0] + rng.random() * 1e-9))
    out.sort(key=lambda m: -m[2])
    return out


class _Row:
    """A route as matrix rows of its locations, its cost per km and spare capacity."""

    __slots__ = ("cpk", "jumps", "locs", "spare")

    def __init__(self, locs: np.ndarray, cpk: float, spare: int, jumps: set[int]) -> None:
        self.locs, self.cpk, self.spare, self.jumps = locs, cpk, spare, jumps


def _insertion(routes: list[_Row], node: int, km: np.ndarray, load: int) -> float:
    """Cheapest insertion of ``node`` between two road-joined locations of a route with
    room for ``load`` (infinite where none fits)."""
    best = np.inf
    for row in routes:
        if row.spare < load or len(row.locs) < 2:
            continue
        a, b = row.locs[:-1], row.locs[1:]
        with np.errstate(invalid="ignore"):
            delta = km[a, node] + km[node, b] - km[a, b]
        delta = np.where(np.isfinite(delta), delta, np.inf)
        for j in row.jumps:
            if j - 1 < len(delta):
                delta[j - 1] = np.inf
        best = min(best, row.cpk * float(delta.min()))
    return best
