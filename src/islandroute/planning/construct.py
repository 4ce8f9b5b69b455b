"""Routes of a day model built greedily, without OR-Tools, and the checks they rest on.

When OR-Tools finds no solution in the time a day has left (or none is left), the day
still needs valid routes: :func:`construct` keeps the given routes (a warm start) or the
model's island trips where they still fit, then inserts every other visit at its
cheapest feasible place (capacity, allowed vehicles, opening hours, ferry departures,
shift end, hand-in deadlines and cold rides checked by :func:`fits`); a visit that
hands in goes in with its hand-in node straight after it. What fits nowhere is left out,
and the week's retries or the infeasibility report take it from there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from islandroute.planning.ortools_adapter import BIG, DayModel, DaySolution


def route_cost(m: DayModel, k: int, seq: list[int]) -> float:
    """Arcs, fixed and driving-time cost of vehicle ``k`` on ``seq`` (0 when unused)."""
    if not seq:
        return 0.0
    path = [m.starts[k], *seq, m.ends[k]]
    c = m.cost[m.vehicle_cost_class[k]]
    arcs = float(c[path[:-1], path[1:]].sum())
    drive = float(m.time[path[:-1], path[1:]].sum())
    return arcs + m.fixed_cost[k] + m.span_cost[k] * drive


Rides = dict[int, tuple[int, int]]  # hand-in node -> (its visit, ride limit in ticks)


def ride_limits(m: DayModel) -> Rides:
    """Each hand-in node's visit and ride limit, for the cold ones."""
    return {x: (visit, ride) for visit, xs, ride in m.handins if ride is not None for x in xs}


def fits(m: DayModel, k: int, seq: list[int], rides: Rides | None = None) -> bool:
    """Whether vehicle ``k`` can drive ``seq`` in time: opening hours, departures, shift
    and (with ``rides``) each cold hand-in within its ride of its visit."""
    t = m.vehicle_start[k][0]
    prev = m.starts[k]
    at: dict[int, int] = {}
    for x in seq:
        step = m.time[prev, x]
        if step >= BIG:
            return False
        t = max(t + step, m.windows[x][0])
        times = m.allowed_times.get(x)
        if times is not None:
            later = [s for s in times if s >= t]
            if not later:
                return False
            t = later[0]
        if t > m.windows[x][1]:
            return False
        if rides and x in rides:
            visit, ride = rides[x]
            if visit not in at or t - at[visit] > ride:
                return False
        at[x] = t
        prev = x
    step = m.time[prev, m.ends[k]]
    return step < BIG and t + step <= m.vehicle_end[k]


def usable(m: DayModel, k: int, seq: list[int]) -> bool:
    """Whether ``seq`` is a valid route of vehicle ``k``: allowed nodes, crossings out
    and back in order, capacity and time."""
    if len(set(seq)) != len(seq):
        return False
    if any(k not in m.allowed_vehicles.get(x, (k,)) for x in seq):
        return False
    place = {x: i for i, x in enumerate(seq)}
    for out, back in m.pairs:
        if (out in place) != (back in place) or (out in place and place[out] > place[back]):
            return False
    for visit, xs, _ in m.handins:
        handed = [place[x] for x in xs if x in place]
        if (visit in place) != bool(handed) or (handed and min(handed) < place[visit]):
            return False
    if int(sum(int(m.demand[x]) for x in seq)) > m.capacity[k]:
        return False
    return fits(m, k, seq, ride_limits(m))


def _starting_routes(m: DayModel, initial: list[list[int]] | None) -> list[list[int]]:
    """The given routes that are still valid, and island trips for vehicles left empty."""
    n_veh = len(m.starts)
    routes: list[list[int]] = [[] for _ in range(n_veh)]
    used: set[int] = set()
    for source in (initial or [], m.seeds or []):
        for k, seq in enumerate(source[:n_veh]):
            if routes[k] or not seq or used.intersection(seq) or not usable(m, k, list(seq)):
                continue
            routes[k] = list(seq)
            used.update(seq)
    return routes


def _empty_key(m: DayModel, k: int) -> tuple:
    """What makes two empty vehicles interchangeable for an insertion."""
    return (
        m.starts[k],
        m.ends[k],
        m.vehicle_cost_class[k],
        m.capacity[k],
        tuple(m.vehicle_start[k]),
        m.vehicle_end[k],
        m.fixed_cost[k],
        m.span_cost[k],
    )


def _piece(m: DayModel, k: int, node: int, tied: dict[int, list[int]]) -> list[int] | None:
    """What inserting ``node`` on vehicle ``k`` puts in: the visit, and its hand-in node
    when it has one (None when ``k`` may hand it in nowhere)."""
    if node not in tied:
        return [node]
    mine = [x for x in tied[node] if k in m.allowed_vehicles.get(x, (k,))]
    return [node, mine[0]] if mine else None


def _cheapest_place(
    m: DayModel, routes: list[list[int]], loads: list[int], node: int, ctx: _Context
) -> tuple[int, int, list[int]] | None:
    """(vehicle, position, nodes) of the cheapest feasible insertion of ``node``."""
    best: tuple[float, int, int, list[int]] | None = None
    tried_empty: set[tuple] = set()
    demand = int(m.demand[node])
    for k in m.allowed_vehicles.get(node, range(len(m.starts))):
        piece = _piece(m, k, node, ctx.tied)
        if piece is None or loads[k] + demand > m.capacity[k]:
            continue
        seq = routes[k]
        if not seq:
            key = _empty_key(m, k)
            if key in tried_empty:
                continue
            tried_empty.add(key)
        for pos, total in _insertion_costs(m, k, seq, piece):
            if best is not None and total >= best[0]:
                break
            if fits(m, k, [*seq[:pos], *piece, *seq[pos:]], ctx.rides):
                best = (total, k, pos, piece)
                break
    return None if best is None else best[1:]


def _insertion_costs(
    m: DayModel, k: int, seq: list[int], piece: list[int]
) -> list[tuple[int, float]]:
    """(position, added cost) of putting ``piece`` into ``seq``, cheapest first."""
    path = np.array([m.starts[k], *seq, m.ends[k]])
    c = m.cost[m.vehicle_cost_class[k]]
    a, b = path[:-1], path[1:]
    first, last = piece[0], piece[-1]
    inner = sum(float(c[x, y] + m.span_cost[k] * m.time[x, y]) for x, y in pairwise(piece))
    into, out_of = c[a, first], c[last, b]
    delta = (into + out_of - c[a, b]).astype(float)
    dt = (m.time[a, first] + m.time[last, b] - m.time[a, b]).astype(float)
    total = delta + m.span_cost[k] * dt + inner + (m.fixed_cost[k] if not seq else 0)
    total[(into >= BIG) | (out_of >= BIG)] = np.inf
    order = np.argsort(total, kind="stable")
    return [(int(pos), float(total[pos])) for pos in order if np.isfinite(total[pos])]


def _crossing_kind(m: DayModel, out: int, back: int) -> int:
    """Equal for the copies of one crossing (same piers, departures and vehicles)."""
    return hash(
        (
            m.time[:, out].tobytes(),
            m.time[back, :].tobytes(),
            tuple(m.allowed_times.get(out, ())),
            tuple(m.allowed_times.get(back, ())),
            tuple(m.allowed_vehicles.get(out, ())),
        )
    )


def _cheapest_trip(
    m: DayModel,
    routes: list[list[int]],
    loads: list[int],
    node: int,
    free: list[tuple[int, int]],
    ctx: _Context,
) -> tuple[int, int, tuple[int, int], list[int]] | None:
    """(vehicle, position, crossing, nodes) of the cheapest feasible new trip ``out,
    node, back`` over a crossing no route uses yet (a visit beyond a ferry); a hand-in
    goes straight after the visit or after the way back."""
    best: tuple[float, int, int, tuple[int, int], list[int]] | None = None
    demand = int(m.demand[node])
    allowed = set(m.allowed_vehicles.get(node, range(len(m.starts))))
    seen: set[int] = set()
    for out, back in free:
        kind = _crossing_kind(m, out, back)
        if kind in seen:  # another free copy of a crossing already tried
            continue
        seen.add(kind)
        for k in m.allowed_vehicles.get(out, range(len(m.starts))):
            piece = _piece(m, k, node, ctx.tied)
            if piece is None or k not in allowed or loads[k] + demand > m.capacity[k]:
                continue
            trips = [[out, *piece, back]]
            if len(piece) > 1:
                trips.append([out, node, back, piece[1]])
            seq = routes[k]
            for trip in trips:
                for pos in range(len(seq) + 1):
                    trial = [*seq[:pos], *trip, *seq[pos:]]
                    if not fits(m, k, trial, ctx.rides):
                        continue
                    extra = route_cost(m, k, trial) - route_cost(m, k, seq)
                    if best is None or extra < best[0]:
                        best = (extra, k, pos, (out, back), trip)
    return None if best is None else best[1:]


@dataclass(frozen=True)
class _Context:
    """What every insertion of one construction looks up: tied visits' hand-in nodes and
    the cold rides' limits."""

    tied: dict[int, list[int]]
    rides: Rides


def construct(m: DayModel, initial: list[list[int]] | None = None) -> DaySolution:
    """Valid routes without OR-Tools: ``initial`` (or the island trips) where they fit,
    then every other visit at its cheapest feasible place (a new crossing if need be),
    hardest to place first."""
    t0 = time.perf_counter()
    routes = _starting_routes(m, initial)
    loads = [int(sum(int(m.demand[x]) for x in seq)) for seq in routes]
    served = {x for seq in routes for x in seq}
    n_veh = len(m.starts)
    todo = sorted(
        (x for x in m.visits if x not in served),
        key=lambda x: (len(m.allowed_vehicles.get(x, range(n_veh))), -int(m.demand[x]), x),
    )
    ctx = _Context({visit: xs for visit, xs, _ in m.handins}, ride_limits(m))
    dropped = []
    free = [(a, b) for a, b in m.pairs if a not in served]
    for node in todo:
        place = _cheapest_place(m, routes, loads, node, ctx)
        if place is not None:
            k, pos, piece = place
            routes[k][pos:pos] = piece
        else:
            trip = _cheapest_trip(m, routes, loads, node, free, ctx)
            if trip is None:
                dropped.append(node)
                continue
            k, pos, pair, piece = trip
            routes[k][pos:pos] = piece
            free.remove(pair)
        loads[k] += int(m.demand[node])
    costs = [round(route_cost(m, k, seq)) for k, seq in enumerate(routes)]
    objective = sum(costs) + int(m.drop_penalty) * len(dropped)
    seconds = time.perf_counter() - t0
    return DaySolution(routes, sorted(dropped), objective, seconds, True, costs)
