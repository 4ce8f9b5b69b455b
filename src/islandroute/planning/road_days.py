"""The days of a road-only week as plain route lists that local search edits in place.

A *road day* is a day whose universe (a node for every visit that may fall on it) needs
no ferry: every route is a sequence of visit nodes between a vehicle's depot and back,
so a route's cost, load and lateness follow from the matrices alone and a move is priced
in microseconds. Days with timetabled crossings stay with OR-Tools (their routes depend
on departure times that only the solver's model tracks).

Routes may break capacity and time while searching; what they break is priced by
:class:`Penalties` (parcels over capacity, minutes of *time warp*: arriving after a
window or a shift closes counts the excess and carries on as if on time).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from islandroute.model.network import Ferry
from islandroute.planning.day import DayLayout, Visit
from islandroute.planning.ortools_adapter import BIG, DayModel

INFEASIBLE = float(BIG)  # cost of an arc no vehicle can drive


@dataclass
class Penalties:
    """Cost of a parcel over capacity and of a tick of time warp (adapted while searching)."""

    load: float
    warp: float

    def of(self, excess_load: int, warp: int) -> float:
        return self.load * excess_load + self.warp * warp


@dataclass
class RouteCost:
    """What a route costs, carries and breaks."""

    cost: float
    load: int
    excess: int
    warp: int

    def penalised(self, pen: Penalties) -> float:
        return self.cost + pen.of(self.excess, self.warp)

    @property
    def feasible(self) -> bool:
        return self.excess == 0 and self.warp == 0


EMPTY = RouteCost(0.0, 0, 0, 0)


def is_road_day(lay: DayLayout) -> bool:
    """Whether ``lay`` needs no ferry (its routes can be priced from matrices alone)."""
    m = lay.model
    return m is not None and not lay.ferries and not m.pairs and not m.allowed_times


class RoadDay:
    """One day's universe model as Python lists, with the current routes and their costs.

    ``load[x]`` is the parcels of visit node ``x`` under its station's current pattern
    (0 while the station is not visited that day); ``where[x]`` is its (vehicle,
    position) or absent.
    """

    def __init__(self, lay: DayLayout, neighbours: int) -> None:
        m = lay.model
        assert m is not None
        self.lay = lay
        self.model: DayModel = m
        self.vehicles = range(len(m.starts))
        self.arc = _vehicle_matrices(m)
        self.symmetric = _symmetric(m)
        self.time: list[list[int]] = m.time.tolist()
        self.windows = list(m.windows)
        self.starts, self.ends = list(m.starts), list(m.ends)
        self.ready = [s for s, _ in m.vehicle_start]
        self.close = list(m.vehicle_end)
        self.capacity = list(m.capacity)
        self.fixed = [float(f) for f in m.fixed_cost]
        n_visits = len(lay.visits)
        self.first = lay.first_visit
        every = list(self.vehicles)
        self.allowed: list[set[int] | None] = [None] * (self.first + n_visits)
        for x, ks in m.allowed_vehicles.items():
            if x < len(self.allowed) and sorted(ks) != every:
                self.allowed[x] = set(ks)
        self.load: list[int] = [0] * (self.first + n_visits)
        self.routes: list[list[int]] = [[] for _ in self.vehicles]
        self.costs: list[RouteCost] = [EMPTY for _ in self.vehicles]
        self.where: dict[int, tuple[int, int]] = {}
        self.near = _granular(m, self.first, n_visits, neighbours)
        self.empty_keys = [
            (self.starts[k], self.ends[k], m.vehicle_cost_class[k], m.span_cost[k], m.capacity[k])
            for k in self.vehicles
        ]

    # ---- pricing ------------------------------------------------------------------------

    def price(self, k: int, seq: list[int]) -> RouteCost:
        """Cost, load, parcels over capacity and time warp of vehicle ``k`` on ``seq``."""
        if not seq:
            return EMPTY
        arc, time, windows = self.arc[k], self.time, self.windows
        cost = self.fixed[k]
        t = self.ready[k]
        warp = 0
        load = 0
        prev = self.starts[k]
        for x in seq:
            cost += arc[prev][x]
            t += time[prev][x]
            lo, hi = windows[x]
            if t < lo:
                t = lo
            elif t > hi:
                warp += t - hi
                t = hi
            load += self.load[x]
            prev = x
        cost += arc[prev][self.ends[k]]
        t += time[prev][self.ends[k]]
        if t > self.close[k]:
            warp += t - self.close[k]
        return RouteCost(cost, load, max(0, load - self.capacity[k]), warp)

    def may_serve(self, k: int, x: int) -> bool:
        allowed = self.allowed[x]
        return allowed is None or k in allowed

    def penalised(self, pen: Penalties) -> float:
        return sum(c.penalised(pen) for c in self.costs)

    def cost(self) -> float:
        return sum(c.cost for c in self.costs)

    def feasible(self) -> bool:
        return all(c.feasible for c in self.costs)

    # ---- editing ------------------------------------------------------------------------

    def set_route(self, k: int, seq: list[int], priced: RouteCost | None = None) -> None:
        """Make ``seq`` the route of vehicle ``k`` (``priced``: its known price)."""
        for x in self.routes[k]:
            if self.where.get(x, (-1, 0))[0] == k:  # not yet placed by another route
                del self.where[x]
        self.routes[k] = seq
        for i, x in enumerate(seq):
            self.where[x] = (k, i)
        self.costs[k] = priced if priced is not None else self.price(k, seq)

    def remove(self, x: int) -> None:
        k, i = self.where[x]
        seq = self.routes[k]
        self.set_route(k, seq[:i] + seq[i + 1 :])

    def insert(self, x: int, k: int, i: int) -> None:
        seq = self.routes[k]
        self.set_route(k, [*seq[:i], x, *seq[i:]])

    def candidate_vehicles(self, x: int) -> list[int]:
        """Vehicles that may take ``x``: all used ones and one empty one per kind."""
        seen: set[tuple[int, int, int, int, int]] = set()
        out = []
        for k in self.vehicles:
            if not self.may_serve(k, x):
                continue
            if not self.routes[k]:
                if self.empty_keys[k] in seen:
                    continue
                seen.add(self.empty_keys[k])
            out.append(k)
        return out

    def cheapest_insertion(self, x: int, pen: Penalties) -> tuple[float, int, int]:
        """(penalised added cost, vehicle, position) of the best place for ``x``
        (infinite when no vehicle may take it)."""
        best = (np.inf, -1, -1)
        load = self.load[x]
        for k in self.candidate_vehicles(x):
            seq, arc, old = self.routes[k], self.arc[k], self.costs[k]
            path = [self.starts[k], *seq, self.ends[k]]
            over = max(0, old.load + load - self.capacity[k]) - old.excess
            base = pen.load * over + (0.0 if seq else self.fixed[k])
            bounds = sorted(
                (arc[path[i]][x] + arc[x][path[i + 1]] - arc[path[i]][path[i + 1]] + base, i)
                for i in range(len(path) - 1)
            )
            for bound, i in bounds:
                if bound >= best[0]:
                    break  # time warp only adds to the bound
                new = self.price(k, [*seq[:i], x, *seq[i:]])
                delta = new.penalised(pen) - old.penalised(pen)
                if delta < best[0]:
                    best = (delta, k, i)
        return best

    def visits_of(self, k: int) -> list[Visit | Ferry]:
        """The visits of vehicle ``k``'s route with their current loads (as route events)."""
        return [Visit(self.lay.visits[x - self.first].unit, self.load[x]) for x in self.routes[k]]


def _vehicle_matrices(m: DayModel) -> list[list[list[float]]]:
    """Per vehicle: arc cost plus driving-time cost, as nested lists (shared by kind)."""
    by_kind: dict[tuple[int, int], list[list[float]]] = {}
    out = []
    for k in range(len(m.starts)):
        key = (m.vehicle_cost_class[k], m.span_cost[k])
        if key not in by_kind:
            c = m.cost[key[0]].astype(float) + key[1] * m.time.astype(float)
            c[(m.cost[key[0]] >= BIG) | (m.time >= BIG)] = INFEASIBLE
            by_kind[key] = c.tolist()
        out.append(by_kind[key])
    return out


def _symmetric(m: DayModel) -> list[bool]:
    """Per vehicle: whether its arc costs read the same both ways (2-opt then has a
    short bound)."""
    same: dict[tuple[int, int], bool] = {}
    out = []
    for k in range(len(m.starts)):
        key = (m.vehicle_cost_class[k], m.span_cost[k])
        if key not in same:
            c = m.cost[key[0]].astype(float) + key[1] * m.time.astype(float)
            same[key] = bool(np.array_equal(c, c.T))
        out.append(same[key])
    return out


def _granular(m: DayModel, first: int, n_visits: int, size: int) -> list[list[int]]:
    """For each visit node, the ``size`` visit nodes nearest to it either way
    (granular neighbourhoods: good moves join near visits)."""
    if n_visits <= 1:
        return [[] for _ in range(first + n_visits)]
    c = m.cost[0][first : first + n_visits, first : first + n_visits].astype(float)
    c = np.minimum(c, c.T)
    np.fill_diagonal(c, np.inf)
    keep = min(size, n_visits - 1)
    order = np.argsort(c, axis=1, kind="stable")[:, :keep] + first
    return [[] for _ in range(first)] + order.tolist()
