"""Several days in one routing model, so that once-a-horizon stations choose their day
inside the routing search.

A station visited once in the horizon on any of several days (a PVRP customer of
frequency one, say) is a relocation between routes of different days, which the solver
does natively when the days share one model. :func:`merge` lays the day layouts side by
side: depots and such stations are shared, every other node keeps its own day, and a node
may only ride the vehicles of its days (so arcs between days are never taken).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from islandroute.planning.day import DayLayout
from islandroute.planning.ortools_adapter import BIG, DayModel, DaySolution


@dataclass
class Merged:
    """One model of several day layouts and the way back to each day's nodes.

    ``local[li]`` maps layout ``li``'s nodes to merged nodes; ``owner[k]`` is the
    layout and local vehicle of merged vehicle ``k``.
    """

    layouts: list[DayLayout]
    model: DayModel
    local: list[np.ndarray]
    owner: list[tuple[int, int]]

    def to_merged(self, per_day: list[list[list[int]]]) -> list[list[int]]:
        """Merged node sequences for each layout's local routes (a warm start)."""
        out: list[list[int]] = []
        for li, routes in enumerate(per_day):
            out += [[int(self.local[li][x]) for x in seq] for seq in routes]
        return out

    def split(self, sol: DaySolution) -> list[tuple[list[list[int]], int]]:
        """Each layout's local routes and its vehicles' cost."""
        back = [{int(g): n for n, g in enumerate(loc)} for loc in self.local]
        out: list[tuple[list[list[int]], int]] = [
            ([[] for _ in lay.vehicles], 0) for lay in self.layouts
        ]
        for k, seq in enumerate(sol.routes):
            li, lk = self.owner[k]
            routes, cost = out[li]
            routes[lk] = [back[li][x] for x in seq]
            out[li] = (routes, cost + (sol.vehicle_costs[k] if sol.vehicle_costs else 0))
        return out


Key = tuple[int, tuple[str, ...]]  # a visit's (station, carriers)


def merge(layouts: list[DayLayout], shared: set[Key]) -> Merged:
    """One model of ``layouts``; visits whose ``(station, carriers)`` key is in ``shared``
    appear once, on the vehicles of every day whose layout holds them."""
    models = _models(layouts)
    first = models[0]
    local, n = _merged_nodes(layouts, models, shared)
    cpks = sorted({v.cost_per_km for lay in layouts for v in lay.vehicles})
    time_m, costs = _arc_matrices(layouts, models, local, n, cpks)
    demand, windows = _node_values(models, local, n)
    fleet = _fleet(layouts, models, local, cpks)
    pieces = list(zip(models, local, strict=True))
    model = DayModel(
        time=time_m,
        cost=costs,
        vehicle_cost_class=fleet.cost_class,
        starts=fleet.starts,
        ends=list(fleet.starts),
        demand=demand,
        capacity=fleet.capacity,
        windows=windows,
        vehicle_start=fleet.vehicle_start,
        vehicle_end=fleet.vehicle_end,
        fixed_cost=fleet.fixed_cost,
        span_cost=fleet.span_cost,
        horizon=max(m.horizon for m in models),
        allowed_times={int(g[x]): ts for m, g in pieces for x, ts in m.allowed_times.items()},
        allowed_vehicles=_allowed_vehicles(models, local),
        optional=sorted({int(g[x]) for m, g in pieces for x in m.optional}),
        visits=sorted({int(g[x]) for m, g in pieces for x in m.visits}),
        pairs=[(int(g[a]), int(g[b])) for m, g in pieces for a, b in m.pairs],
        bonus={int(g[x]): b for m, g in pieces for x, b in m.bonus.items()},
        drop_penalty=first.drop_penalty,
        handins=_handins(models, local),
        load_change=_merged_vector(models, local, n, "load_change"),
        kept_to_end=_merged_vector(models, local, n, "kept_to_end"),
    )
    return Merged(layouts, model, local, fleet.owner)


def _handins(
    models: list[DayModel], local: list[np.ndarray]
) -> list[tuple[int, list[int], int | None]]:
    """Each merged visit's hand-in nodes: those of every day that holds it."""
    places: dict[int, list[int]] = {}
    ride: dict[int, int | None] = {}
    for m, g in zip(models, local, strict=True):
        for visit, copies, limit in m.handins:
            places.setdefault(int(g[visit]), []).extend(int(g[x]) for x in copies)
            ride[int(g[visit])] = limit
    return [(visit, copies, ride[visit]) for visit, copies in places.items()]


def _merged_vector(
    models: list[DayModel], local: list[np.ndarray], n: int, name: str
) -> np.ndarray | None:
    """A per-node load vector of the layouts on merged nodes (None when they have none)."""
    if all(getattr(m, name) is None for m in models):
        return None
    out = np.zeros(n, dtype=np.int64)
    for m, g in zip(models, local, strict=True):
        vec = getattr(m, name)
        if vec is not None:
            out[g] = vec
    return out


def _models(layouts: list[DayLayout]) -> list[DayModel]:
    """The layouts' models; every layout must have been built."""
    models = [lay.model for lay in layouts]
    assert len(models) == len(layouts)
    return models


def _merged_nodes(
    layouts: list[DayLayout], models: list[DayModel], shared: set[Key]
) -> tuple[list[np.ndarray], int]:
    """Each layout's nodes numbered in the merged model (a depot or shared visit once,
    in order of first appearance), and the number of merged nodes."""
    index: dict[tuple, int] = {}
    local: list[np.ndarray] = []
    for lay, m in zip(layouts, models, strict=True):
        ids = []
        for node in range(m.time.shape[0]):
            key = _key(lay, node, shared)
            if key not in index:
                index[key] = len(index)
            ids.append(index[key])
        local.append(np.array(ids, dtype=np.int64))
    return local, len(index)


def _arc_matrices(
    layouts: list[DayLayout],
    models: list[DayModel],
    local: list[np.ndarray],
    n: int,
    cpks: list[float],
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Merged arc times and one cost matrix per cost-per-km class; arcs between nodes of
    different days stay forbidden (:data:`BIG`)."""
    time_m = np.full((n, n), BIG, dtype=np.int64)
    costs = [np.full((n, n), BIG, dtype=np.int64) for _ in cpks]
    for lay, m, g in zip(layouts, models, local, strict=True):
        time_m[np.ix_(g, g)] = m.time
        lay_cpks = sorted({v.cost_per_km for v in lay.vehicles})
        for c, cpk in enumerate(lay_cpks):
            costs[cpks.index(cpk)][np.ix_(g, g)] = m.cost[c]
    return time_m, costs


def _node_values(
    models: list[DayModel], local: list[np.ndarray], n: int
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Each merged node's demand and time window (a shared node's from the last day
    that holds it)."""
    demand = np.zeros(n, dtype=np.int64)
    windows = [(0, 0)] * n
    for m, g in zip(models, local, strict=True):
        demand[g] = m.demand
        for node, w in enumerate(m.windows):
            windows[g[node]] = w
    return demand, windows


@dataclass
class _Fleet:
    """The merged model's vehicles, layout after layout, with the owner of each."""

    starts: list[int] = field(default_factory=list)
    capacity: list[int] = field(default_factory=list)
    vehicle_start: list[tuple[int, int]] = field(default_factory=list)
    vehicle_end: list[int] = field(default_factory=list)
    fixed_cost: list[int] = field(default_factory=list)
    span_cost: list[int] = field(default_factory=list)
    cost_class: list[int] = field(default_factory=list)
    owner: list[tuple[int, int]] = field(default_factory=list)


def _fleet(
    layouts: list[DayLayout], models: list[DayModel], local: list[np.ndarray], cpks: list[float]
) -> _Fleet:
    """Every layout's vehicles in turn, starting at their merged depot nodes, with cost
    classes renumbered over all the layouts' cost-per-km rates."""
    fleet = _Fleet()
    for li, (lay, m, g) in enumerate(zip(layouts, models, local, strict=True)):
        fleet.owner += [(li, k) for k in range(len(m.starts))]
        fleet.starts += [int(g[s]) for s in m.starts]
        fleet.capacity += m.capacity
        fleet.vehicle_start += m.vehicle_start
        fleet.vehicle_end += m.vehicle_end
        fleet.fixed_cost += m.fixed_cost
        fleet.span_cost += m.span_cost
        fleet.cost_class += [cpks.index(v.cost_per_km) for v in lay.vehicles]
    return fleet


def _allowed_vehicles(models: list[DayModel], local: list[np.ndarray]) -> dict[int, list[int]]:
    """The merged vehicles that may serve each node other than a depot: those allowed on
    every day whose layout holds it, numbered after the earlier layouts' vehicles."""
    allowed: dict[int, set[int]] = {}
    offset = 0
    for m, g in zip(models, local, strict=True):
        nveh = len(m.starts)
        depots = set(m.starts) | set(m.ends)
        for node in range(len(g)):
            if node in depots:
                continue
            ks = m.allowed_vehicles.get(node, range(nveh))
            allowed.setdefault(int(g[node]), set()).update(offset + k for k in ks)
        offset += nveh
    return {x: sorted(ks) for x, ks in allowed.items()}


def _key(lay: DayLayout, node: int, shared: set[Key]) -> tuple:
    """What a layout's node stands for across the merged days."""
    if node < lay.first_visit:
        return ("depot", lay.depots[node])
    if node < lay.first_ferry:
        v = lay.visits[node - lay.first_visit]
        key = (v.unit.station, v.unit.carriers)
        return ("visit", key) if key in shared else ("visit", key, lay.day)
    return ("ferry" if node < lay.first_handin else "handin", lay.day, node)
