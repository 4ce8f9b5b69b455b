"""The days of a week as plain route lists that local search edits in place.

A day's universe has a node for every visit that may fall on it. A route without a
crossing is a sequence of visit nodes between a vehicle's depot and back, so its cost,
load and lateness follow from the matrices alone and a move is priced in microseconds.
A route with a timetabled crossing is *kept* as OR-Tools made it (its times hang on
departures only the solver's model tracks): the search works on the others.

Routes may break capacity and time while searching; what they break is priced by
:class:`Penalties` (parcels over capacity, minutes of *time warp*: arriving after a
window or a shift closes counts the excess and carries on as if on time).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from islandroute.planning.day import DayLayout, Event, Visit
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
#: every gap of the free routes: per vehicle kind (rows, nodes before, nodes after, their
#: arcs); each gap's vehicle and position; per vehicle its load, excess and opening cost
Gaps = tuple[
    dict[int, tuple[np.ndarray, ...]],
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
]


class RoadDay:
    """One day's universe model as Python lists, with the current routes and their costs.

    ``load[x]`` is the parcels of visit node ``x`` under its station's current pattern
    (0 while the station is not visited that day); ``where[x]`` is its (vehicle,
    position) or absent.
    """

    def __init__(self, lay: DayLayout, neighbours: int) -> None:
        m = lay.model
        self.lay = lay
        self.model: DayModel = m
        self.vehicles = range(len(m.starts))
        self.kind_matrix, self.kind_of = _kind_matrices(m)
        self.arc: list[list[list[float]]] = []
        as_lists = [mat.tolist() for mat in self.kind_matrix]
        self.arc = [as_lists[kind] for kind in self.kind_of]
        self.version = 0  # counts route changes (cached gaps are of one version)
        self.changed_at = [0 for _ in self.vehicles]  # version of each route's last change
        self.looked_at: dict[int, int] = {}  # version at which a visit's moves all failed
        self._gaps_version = -1
        self._gaps: Gaps
        self._masks: dict[int, np.ndarray] = {}  # per visit: the vehicles that may take it
        self.capacity_np = np.array(m.capacity)
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
        self.restricted = any(a is not None for a in self.allowed)
        self.free = list(self.vehicles)  # vehicles whose routes the search may change
        self.kept: dict[int, list[Event]] = {}  # the others' routes, as they were
        self.kept_nodes: set[int] = set()  # the visits on those routes
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
        self.version += 1
        self.changed_at[k] = self.version

    def keep(self, k: int, seq: list[int], events: list[Event], cost: float, load: int) -> None:
        """Freeze vehicle ``k`` on ``seq`` (``events``: a route with crossings, whose
        times hang on departures only OR-Tools tracks), costing ``cost``."""
        self.set_route(k, [])
        self.kept[k] = events
        self.kept_nodes.update(x for x in seq if x < len(self.load))
        self.free.remove(k)
        self.costs[k] = RouteCost(cost, load, 0, 0)

    def looked(self, x: int) -> None:
        """Note that no move of ``x`` paid at this version (don't look again until its
        route or a near visit's route changes)."""
        self.looked_at[x] = self.version

    def unchanged_around(self, x: int) -> bool:
        """Whether neither ``x``'s route nor a near visit's route changed since every
        move of ``x`` last failed."""
        seen = self.looked_at.get(x)
        if seen is None or self.changed_at[self.where[x][0]] > seen:
            return False
        where, changed = self.where, self.changed_at
        return all(changed[where[v][0]] <= seen for v in self.near[x] if v in where)

    def forget_looks(self) -> None:
        self.looked_at.clear()

    def remove(self, x: int) -> None:
        k, i = self.where[x]
        seq = self.routes[k]
        self.set_route(k, seq[:i] + seq[i + 1 :])

    def insert(self, x: int, k: int, i: int) -> None:
        seq = self.routes[k]
        self.set_route(k, [*seq[:i], x, *seq[i:]])

    def cheapest_insertion(self, x: int, pen: Penalties) -> tuple[float, int, int]:
        """(penalised added cost, vehicle, position) of the best place for ``x``
        (infinite when no vehicle may take it).

        Every gap of every route (and of one empty vehicle of each kind) is bounded at
        once from the arcs and the parcels over capacity; only the gaps whose bound
        beats the best so far are priced in full (time warp only adds to a bound).
        """
        best = (np.inf, -1, -1)
        veh, pos, bounds = self._gap_bounds(x, pen)
        for j in np.argsort(bounds, kind="stable"):
            if bounds[j] >= best[0]:
                break
            k, i = int(veh[j]), int(pos[j])
            seq, old = self.routes[k], self.costs[k]
            new = self.price(k, [*seq[:i], x, *seq[i:]])
            delta = new.penalised(pen) - old.penalised(pen)
            if delta < best[0]:
                best = (delta, k, i)
        return best

    def _gap_bounds(self, x: int, pen: Penalties) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vehicle, position, bound) of inserting ``x`` in each gap a vehicle that may
        take it has."""
        if self._gaps_version != self.version:
            self._gaps = self._all_gaps()
            self._gaps_version = self.version
        kinds, veh, pos, loads, excess, opening = self._gaps
        over = np.maximum(0, loads + self.load[x] - self.capacity_np) - excess
        per_vehicle = pen.load * over + opening
        bounds = np.empty(len(veh))
        for kind, (rows, a, b, ab) in kinds.items():
            mat = self.kind_matrix[kind]
            bounds[rows] = mat[a, x] + mat[x, b] - ab
        bounds += per_vehicle[veh]
        allowed = self.allowed[x]
        if allowed is not None:
            if x not in self._masks:
                mask = np.zeros(len(self.capacity), dtype=bool)
                mask[list(allowed)] = True
                self._masks[x] = mask
            bounds[~self._masks[x][veh]] = np.inf
        return veh, pos, bounds

    def _all_gaps(self) -> Gaps:
        """Every gap of every used route and of one empty vehicle of each kind, grouped
        by vehicle kind (rows into the gap list, nodes before and after, their arc)."""
        veh: list[int] = []
        pos: list[int] = []
        a: list[int] = []
        b: list[int] = []
        seen: set[tuple[int, int, int, int, int]] = set()
        for k in self.free:
            seq = self.routes[k]
            if not seq and not self.restricted:  # identical empty vehicles: one is enough
                if self.empty_keys[k] in seen:
                    continue
                seen.add(self.empty_keys[k])
            path = [self.starts[k], *seq, self.ends[k]]
            veh += [k] * (len(path) - 1)
            pos += range(len(path) - 1)
            a += path[:-1]
            b += path[1:]
        veh_a, a_a, b_a = np.array(veh, dtype=np.int64), np.array(a), np.array(b)
        kinds: dict[int, tuple[np.ndarray, ...]] = {}
        kind_of = np.array(self.kind_of)[veh_a] if veh else np.zeros(0, dtype=np.int64)
        for kind in set(kind_of.tolist()):
            rows = np.flatnonzero(kind_of == kind)
            ka, kb = a_a[rows], b_a[rows]
            kinds[kind] = (rows, ka, kb, self.kind_matrix[kind][ka, kb])
        loads = np.array([c.load for c in self.costs])
        excess = np.array([c.excess for c in self.costs])
        opening = np.array(
            [0.0 if seq else f for seq, f in zip(self.routes, self.fixed, strict=True)]
        )
        return kinds, veh_a, np.array(pos, dtype=np.int64), loads, excess, opening

    def visits_of(self, k: int) -> list[Event]:
        """The events of vehicle ``k``'s route, visits with their current loads."""
        if k in self.kept:
            return self.kept[k]
        return [Visit(self.lay.visits[x - self.first].unit, self.load[x]) for x in self.routes[k]]


def _kind_matrices(m: DayModel) -> tuple[list[np.ndarray], list[int]]:
    """Arc cost plus driving-time cost of each vehicle kind (cost class and time price),
    and each vehicle's kind."""
    keys: list[tuple[int, int]] = []
    kind_of = []
    for k in range(len(m.starts)):
        key = (m.vehicle_cost_class[k], m.span_cost[k])
        if key not in keys:
            keys.append(key)
        kind_of.append(keys.index(key))
    mats = []
    for cls, span in keys:
        c = m.cost[cls].astype(float) + span * m.time.astype(float)
        c[(m.cost[cls] >= BIG) | (m.time >= BIG)] = INFEASIBLE
        mats.append(c)
    return mats, kind_of


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
