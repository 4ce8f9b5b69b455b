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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from islandroute.model.network import Ferry
from islandroute.planning.day import COST_SCALE, HandIn
from islandroute.planning.instance import Pattern
from islandroute.planning.pattern_search import pattern_search, searchable
from islandroute.planning.week import Week

Rng = np.random.Generator
Say = Callable[[str], None]


@dataclass(frozen=True)
class Improvement:
    """The best week found, and whether the search ran out of moves (``stalled``)
    rather than out of time."""

    week: Week
    rounds: int = 0
    kept: int = 0
    stalled: bool = True


def improve(week: Week, *, seconds: float, seed: int, say: Say) -> Improvement:
    """Improve ``week`` for at most ``seconds`` (and never past its deadline)."""
    rng = np.random.default_rng(seed)
    inst = week.inst
    movable = [si for si in inst.stations if len(inst.patterns[si]) > 1]
    if not movable or week.dropped():
        return Improvement(week)
    if week.mergeable() and set(movable) <= set(inst.flexible):
        return Improvement(week)  # the week model moves every one of them better
    if searchable(inst, week.tuning.search_visits):
        return _iterated_search(week, movable, seconds, rng, say)
    return _estimated_moves(week, movable, seconds, rng, say)


def _iterated_search(
    week: Week, movable: list[int], seconds: float, rng: Rng, say: Say
) -> Improvement:
    """Pattern search, a warm re-solve of the touched days, keep if cheaper; kick when
    stuck; stop after ``tuning.stall_rounds`` rounds in a row that keep nothing."""
    tune = week.tuning
    end = week.deadline.within(seconds)
    kick_size = max(tune.kick_least, round(tune.kick * len(movable)))
    rounds = kept = idle = 0
    start_obj = week.objective()
    stuck = False
    last_round = tune.round_guess_s
    while end.left() > last_round and idle < tune.stall_rounds:
        round_start = end.left()
        found = pattern_search(
            week,
            max(tune.search_least_s, end.left() * tune.search_share),
            rng,
            overload=tune.overload,
            kick=kick_size if stuck else 0,
        )
        idle += 1  # unless the round pays
        stuck = True
        if found is None or found.week.assignment == week.assignment:
            continue
        trial = found.week
        round_time = min(
            end.left() * tune.round_room, max(tune.round_least_s, seconds * tune.round_share)
        )
        trial.resolve(found.touched, round_time, scale=tune.resolve_scale)
        rounds += 1
        last_round = max(tune.round_guess_s, round_start - end.left())
        if not trial.dropped() and trial.objective() < week.objective():
            week = trial
            kept += 1
            idle = 0
            stuck = False
    say(
        f"visit days: {rounds} rounds, {kept} kept, routing cost "
        f"{start_obj / COST_SCALE:,.0f} -> {week.objective() / COST_SCALE:,.0f}"
        + (" (no progress)" if idle >= tune.stall_rounds else "")
    )
    return Improvement(week, rounds, kept, idle >= tune.stall_rounds)


def _estimated_moves(
    week: Week, movable: list[int], seconds: float, rng: Rng, say: Say
) -> Improvement:
    """Batches of the moves that look best by detour and insertion estimates, for weeks
    too big for :func:`pattern_search` (each batch re-solves its days)."""
    tune = week.tuning
    end = week.deadline.within(seconds)
    inst = week.inst
    batch = max(1, len(movable) // tune.estimated_batch)
    equal_split = inst.net.rules.split == "equal"
    tabu: set[int] = set()
    rounds = accepted = 0
    start_obj = week.objective()
    last_round = tune.round_guess_s
    stalled = False
    while end.left() > last_round:
        round_start = end.left()
        moves = _candidates(week, [si for si in movable if si not in tabu], rng)
        if not moves:
            stalled = True
            break
        chosen = moves[:batch]
        trial = week.fork()
        touched: set[str] = set()
        for si, pat, _gain in chosen:
            old_days, new_days = set(week.assignment[si]), set(pat)
            # with parcels "since the last visit" the amounts shift on shared days too
            touched |= old_days ^ new_days if equal_split else old_days | new_days
            trial.assignment[si] = pat
        left = end.left()
        if left < tune.round_guess_s:
            break
        budget = max(tune.round_least_s, seconds / tune.estimated_rounds)
        trial.resolve(touched, min(left * tune.round_room, budget))
        rounds += 1
        last_round = max(tune.round_guess_s, round_start - end.left())
        if not trial.dropped() and trial.objective() < week.objective():
            week = trial
            accepted += 1
        else:
            tabu |= {si for si, _, _ in chosen}  # not tried again: the next candidates go
            batch = max(1, batch // 2)
    say(
        f"visit days: {rounds} rounds, {accepted} kept, routing cost "
        f"{start_obj / COST_SCALE:,.0f} -> {week.objective() / COST_SCALE:,.0f}"
    )
    return Improvement(week, rounds, accepted, stalled)


def _candidates(
    week: Week, stations: list[int], rng: np.random.Generator
) -> list[tuple[int, Pattern, float]]:
    """Stations with a pattern that looks cheaper, best estimated gain first."""
    inst = week.inst
    km = inst.arc_cost
    routes, where = _route_rows(week)
    out = []
    for si in stations:
        node = inst.travel.i(inst.station(si).node)
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
                    gain -= _estimated_insertion(routes.get(d, []), node, km, load)
            if best is None or gain > best[0]:
                best = (gain, pat)
        if best and best[0] > 1e-9:
            out.append((si, best[1], best[0] + rng.random() * 1e-9))
    out.sort(key=lambda m: -m[2])
    return out


def _route_rows(
    week: Week,
) -> tuple[dict[str, list[_Row]], dict[tuple[str, int], tuple[_Row, int]]]:
    """Each day's routes as rows of travel-table locations, and where each station's
    visit sits in them."""
    t = week.inst.travel
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
                elif isinstance(ev, HandIn):
                    locs.append(t.i(ev.node))
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
    return routes, where


class _Row:
    """A route as matrix rows of its locations, its cost per km and spare capacity."""

    __slots__ = ("cpk", "jumps", "locs", "spare")

    def __init__(self, locs: np.ndarray, cpk: float, spare: int, jumps: set[int]) -> None:
        self.locs, self.cpk, self.spare, self.jumps = locs, cpk, spare, jumps


def _estimated_insertion(routes: list[_Row], node: int, km: np.ndarray, load: int) -> float:
    """Estimated cheapest insertion (by km alone, no times checked: weeks too big to
    price exactly) of ``node`` between two road-joined locations of a route with
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
