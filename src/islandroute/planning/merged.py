"""Several days in one routing model, so that once-a-horizon stations choose their day
inside the routing search.

A station visited once in the horizon on any of several days (a PVRP customer of
frequency one, say) is a relocation between routes of different days, which the solver
does natively when the days share one model. :func:`merge` lays the day layouts side by
side: depots and such stations are shared, every other node keeps its own day, and a node
may only ride the vehicles of its days (so arcs between days are never taken).
"""

from __future__ import annotations

from dataclasses import dataclass

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
    models = [lay.model for lay in layouts]
    assert all(m is not None for m in models)
    index: dict[tuple, int] = {}
    local: list[np.ndarray] = []
    for lay, m in zip(layouts, models, strict=True):
        assert m is not None
        ids = []
        for node in range(m.time.shape[0]):
            key = _key(lay, node, shared)
            if key not in index:
                index[key] = len(index)
            ids.append(index[key])
        local.append(np.array(ids, dtype=np.int64))
    n = len(index)
    cpks = sorted({v.cost_per_km for lay in layouts for v in lay.vehicles})
    time_m = np.full((n, n), BIG, dtype=np.int64)
    costs = [np.full((n, n), BIG, dtype=np.int64) for _ in cpks]
    demand = np.zeros(n, dtype=np.int64)
    windows = [(0, 0)] * n
    offset = 0
    owner: list[tuple[int, int]] = []
    allowed: dict[int, set[int]] = {}
    fields: dict[str, list] = {
        k: []
        for k in (
            "starts",
            "capacity",
            "vehicle_start",
            "vehicle_end",
            "fixed_cost",
            "span_cost",
            "vehicle_cost_class",
        )
    }
    allowed_times: dict[int, list[int]] = {}
    optional: set[int] = set()
    visits: set[int] = set()
    pairs: list[tuple[int, int]] = []
    bonus: dict[int, int] = {}
    for li, (lay, m) in enumerate(zip(layouts, models, strict=True)):
        assert m is not None
        g = local[li]
        time_m[np.ix_(g, g)] = m.time
        lay_cpks = sorted({v.cost_per_km for v in lay.vehicles})
        for c, cpk in enumerate(lay_cpks):
            costs[cpks.index(cpk)][np.ix_(g, g)] = m.cost[c]
        demand[g] = m.demand
        for node, w in enumerate(m.windows):
            windows[g[node]] = w
        nveh = len(m.starts)
        owner += [(li, k) for k in range(nveh)]
        fields["starts"] += [int(g[s]) for s in m.starts]
        fields["capacity"] += m.capacity
        fields["vehicle_start"] += m.vehicle_start
        fields["vehicle_end"] += m.vehicle_end
        fields["fixed_cost"] += m.fixed_cost
        fields["span_cost"] += m.span_cost
        fields["vehicle_cost_class"] += [cpks.index(v.cost_per_km) for v in lay.vehicles]
        depots = set(m.starts) | set(m.ends)
        for node in range(len(g)):
            if node in depots:
                continue
            ks = m.allowed_vehicles.get(node, range(nveh))
            allowed.setdefault(int(g[node]), set()).update(offset + k for k in ks)
        allowed_times.update({int(g[x]): ts for x, ts in m.allowed_times.items()})
        optional |= {int(g[x]) for x in m.optional}
        visits |= {int(g[x]) for x in m.visits}
        pairs += [(int(g[a]), int(g[b])) for a, b in m.pairs]
        bonus.update({int(g[x]): b for x, b in m.bonus.items()})
        offset += nveh
    first = models[0]
    assert first is not None
    model = DayModel(
        time=time_m,
        cost=costs,
        vehicle_cost_class=fields["vehicle_cost_class"],
        starts=fields["starts"],
        ends=list(fields["starts"]),
        demand=demand,
        capacity=fields["capacity"],
        windows=windows,
        vehicle_start=fields["vehicle_start"],
        vehicle_end=fields["vehicle_end"],
        fixed_cost=fields["fixed_cost"],
        span_cost=fields["span_cost"],
        horizon=max(m.horizon for m in models if m is not None),
        allowed_times=allowed_times,
        allowed_vehicles={x: sorted(ks) for x, ks in allowed.items()},
        optional=sorted(optional),
        visits=sorted(visits),
        pairs=pairs,
        bonus=bonus,
        drop_penalty=first.drop_penalty,
    )
    return Merged(layouts, model, local, owner)


def _key(lay: DayLayout, node: int, shared: set[Key]) -> tuple:
    """What a layout's node stands for across the merged days."""
    if node < lay.first_visit:
        return ("depot", lay.depots[node])
    if node < lay.first_ferry:
        v = lay.visits[node - lay.first_visit]
        key = (v.unit.station, v.unit.carriers)
        return ("visit", key) if key in shared else ("visit", key, lay.day)
    return ("ferry", lay.day, node)
