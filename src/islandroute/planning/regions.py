"""Split a big day into regions that solve apart: each depot group with the visits it
reaches first, balanced so that no region has more parcels than its vans can carry.

A day of 140 visits and 90 vehicles is slow to start in one routing model; the same
day as five regions of 30 visits and 15 vehicles starts in a fraction of the time.
Routes rarely gain by crossing from one county's depots to another's villages.
"""

from __future__ import annotations

import math

import numpy as np

from islandroute.planning.day import Visit
from islandroute.planning.instance import Instance
from islandroute.planning.options import DEFAULT_TUNING, Tuning

REGION_VISITS = DEFAULT_TUNING.region_visits  # the default (Tuning.region_visits)


def depot_groups(
    inst: Instance, rows: list[int], near_minutes: float = DEFAULT_TUNING.near_minutes
) -> list[list[int]]:
    """Vehicle rows grouped by depot, depots within ``near_minutes`` of each other joined."""
    t = inst.travel
    depots = sorted({inst.vehicles[k].depot for k in rows})
    parent = {d: d for d in depots}

    def find(d: str) -> str:
        while parent[d] != d:
            d = parent[d]
        return d

    for i, a in enumerate(depots):
        for b in depots[i + 1 :]:
            near = t.road_minutes(a, b) <= near_minutes and t.road_minutes(b, a) <= near_minutes
            if near:
                parent[find(b)] = find(a)
    groups: dict[str, list[int]] = {}
    for k in rows:
        groups.setdefault(find(inst.vehicles[k].depot), []).append(k)
    return [groups[g] for g in sorted(groups)]


def regions(
    inst: Instance,
    day: str,
    visits: list[Visit],
    rows: list[int],
    tuning: Tuning = DEFAULT_TUNING,
) -> list[tuple[list[Visit], list[int]]]:
    """(visits, vehicle rows) per region; the whole day when it is small."""
    if len(visits) <= tuning.region_visits:
        return [(visits, rows)]
    di = inst.days.index(day)
    groups = depot_groups(inst, rows, tuning.near_minutes)
    if len(groups) <= 1:
        return _sweep(inst, di, visits, rows, tuning)
    # minutes from each group's depots to each visit (inf where no vehicle of it can serve)
    far = np.full((len(visits), len(groups)), np.inf)
    for g, members in enumerate(groups):
        for k in members:
            acc = inst.reach.access(inst.vehicles[k], day)
            if acc is None:
                continue
            for j, v in enumerate(visits):
                if inst.servable[k, di, v.unit.station]:
                    far[j, g] = min(far[j, g], acc.arrive[v.unit.station] - acc.ready)
    fill = tuning.region_fill
    room = np.array([fill * sum(inst.vehicles[k].capacity for k in m) for m in groups])
    load = np.zeros(len(groups))
    choice = np.full(len(visits), -1)
    order = np.argsort(np.sort(far, axis=1)[:, 1] - far.min(axis=1))[::-1]
    for j in order:  # visits with a clear nearest group first
        for g in np.argsort(far[j]):
            if not np.isfinite(far[j, g]):
                break
            if load[g] + visits[j].load <= room[g]:
                choice[j] = g
                load[g] += visits[j].load
                break
        if choice[j] < 0:
            g = int(np.argmin(far[j]))
            choice[j] = g
            load[g] += visits[j].load
    out = []
    for g, members in enumerate(groups):
        mine = [v for j, v in enumerate(visits) if choice[j] == g]
        if mine:
            out += _sweep(inst, di, mine, members, tuning)
    return out


def _sweep(
    inst: Instance, di: int, visits: list[Visit], rows: list[int], tuning: Tuning
) -> list[tuple[list[Visit], list[int]]]:
    """A region too big for one model, cut into sectors around its depots by angle, each
    with a share of the vans in proportion to its parcels (at least one); a visit only
    some vans may make (a cold park) joins the sector of one of them."""
    if len(visits) <= tuning.sweep_visits or len(rows) < 2:
        return [(visits, rows)]
    k = math.ceil(len(visits) / tuning.region_visits)
    if k <= 1:
        return [(visits, rows)]
    k = min(k, len(rows))
    nodes = inst.net.node_by_id
    depots = [nodes[inst.vehicles[r].depot] for r in rows]
    cx = sum(d.lon for d in depots) / len(depots)
    cy = sum(d.lat for d in depots) / len(depots)
    angle = np.array(
        [math.atan2(nodes[v.unit.node].lat - cy, nodes[v.unit.node].lon - cx) for v in visits]
    )
    order = np.argsort(angle, kind="stable")
    start = int(np.argmax(np.diff(np.concatenate([angle[order], angle[order][:1] + 2 * np.pi]))))
    order = np.roll(order, -(start + 1))  # cut where the widest empty sector is
    loads = np.array([max(1, visits[j].load) for j in order], dtype=float)
    bounds = np.searchsorted(np.cumsum(loads), np.linspace(0, loads.sum(), k + 1)[1:-1])
    chunks = [c for c in np.split(order, bounds) if len(c)]
    vans = sorted(rows, key=lambda r: (-inst.vehicles[r].capacity, r))
    share = [sum(max(1, visits[j].load) for j in c) / loads.sum() for c in chunks]
    counts = [max(1, round(x * len(vans))) for x in share]
    while sum(counts) > len(vans):
        counts[int(np.argmax(counts))] -= 1
    buckets: list[list[int]] = [[] for _ in chunks]
    j = 0
    for r in vans[: sum(counts)]:  # in turn, so each sector gets large and small vans
        while len(buckets[j % len(chunks)]) >= counts[j % len(chunks)]:
            j += 1
        buckets[j % len(chunks)].append(r)
        j += 1
    for i, r in enumerate(vans[sum(counts) :]):
        buckets[i % len(chunks)].append(r)
    sectors = [([visits[j] for j in c], b) for c, b in zip(chunks, buckets, strict=True)]
    return _with_able_vans(inst, di, sectors)


def _with_able_vans(
    inst: Instance, di: int, sectors: list[tuple[list[Visit], list[int]]]
) -> list[tuple[list[Visit], list[int]]]:
    """Each visit moved, where no van of its sector may make it, to the sector of the
    first van that may (empty sectors dropped)."""
    home = {r: i for i, (_, rows) in enumerate(sectors) for r in rows}
    moved: list[list[Visit]] = [[] for _ in sectors]
    for i, (visits, _rows) in enumerate(sectors):
        for v in visits:
            able = [r for r in home if inst.servable[r, di, v.unit.station]]
            mine = any(home[r] == i for r in able)
            moved[i if mine or not able else home[min(able)]].append(v)
    return [(v, rows) for v, (_, rows) in zip(moved, sectors, strict=True) if v]
