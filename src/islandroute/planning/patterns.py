"""Visit days: which allowed pattern each station takes.

The start groups neighbouring stations (a whole small island, or a compact cluster of a
big one) on one pattern, so that one crossing or one route serves many, and spreads the
groups so that every day carries a similar load. The planner then improves it by moving
stations to other patterns guided by route costs (see :mod:`islandroute.planning.improve`).
"""

from __future__ import annotations

import math

import numpy as np

from islandroute.planning.instance import Instance, Pattern

CLUSTER_SIZE = 8


def fixed_patterns(inst: Instance, pattern: Pattern) -> dict[int, Pattern]:
    """The same pattern for every station where allowed (the baseline), else its first."""
    out = {}
    for si in inst.stations:
        pats = inst.patterns[si]
        out[si] = pattern if pattern in pats else pats[0]
    return out


def clusters(inst: Instance, seed: int) -> list[list[int]]:
    """Stations grouped by road zone, big zones split into compact clusters (k-means)."""
    t = inst.travel
    by_zone: dict[int, list[int]] = {}
    for si in inst.stations:
        by_zone.setdefault(t.zone_of(inst.station(si).node), []).append(si)
    rng = np.random.default_rng(seed)
    out: list[list[int]] = []
    for z in sorted(by_zone):
        members = by_zone[z]
        k = math.ceil(len(members) / CLUSTER_SIZE)
        if k <= 1:
            out.append(members)
            continue
        xy = np.array(
            [
                (
                    inst.net.node_by_id[inst.station(si).node].lon,
                    inst.net.node_by_id[inst.station(si).node].lat,
                )
                for si in members
            ]
        )
        labels = _kmeans(xy, k, rng)
        for c in range(k):
            group = [si for si, lab in zip(members, labels, strict=True) if lab == c]
            if group:
                out.append(group)
    return out


def _kmeans(xy: np.ndarray, k: int, rng: np.random.Generator, iters: int = 25) -> np.ndarray:
    centres = xy[rng.choice(len(xy), size=k, replace=False)]
    labels = np.zeros(len(xy), dtype=int)
    for _ in range(iters):
        d = ((xy[:, None, :] - centres[None, :, :]) ** 2).sum(-1)
        labels = d.argmin(1)
        new = np.array(
            [xy[labels == c].mean(0) if (labels == c).any() else centres[c] for c in range(k)]
        )
        if np.allclose(new, centres):
            break
        centres = new
    return labels


def balanced_patterns(inst: Instance, seed: int) -> dict[int, Pattern]:
    """Clusters on one pattern each, chosen greedily to balance visits and parcels per day."""
    days = list(inst.days)
    visits = np.zeros(len(days))
    parcels = np.zeros(len(days))
    cap = float(np.median([v.capacity for v in inst.vehicles])) if inst.vehicles else 1.0
    out: dict[int, Pattern] = {}
    groups = clusters(inst, seed)
    weight = {id(g): sum(inst.station(si).parcels + 1 for si in g) for g in groups}
    groups.sort(key=lambda g: -weight[id(g)])
    rng = np.random.default_rng(seed + 1)
    for g in groups:
        common = set(inst.patterns[g[0]])
        for si in g[1:]:
            common &= set(inst.patterns[si])
        parts = [g] if common else [[si] for si in g]
        for part in parts:
            options = sorted(common) if common else list(inst.patterns[part[0]])
            best, best_score = options[0], math.inf
            for pat in options:
                dv, dp = np.zeros(len(days)), np.zeros(len(days))
                for si in part:
                    amounts = inst.amounts(inst.station(si), pat)
                    for d, a in amounts.items():
                        dv[days.index(d)] += len(inst.units[si])
                        dp[days.index(d)] += sum(a.values())
                score = float(((visits + dv) ** 2).sum() + (((parcels + dp) / cap) ** 2).sum())
                score += rng.random() * 1e-6
                if score < best_score:
                    best, best_score = pat, score
                    best_dv, best_dp = dv, dp
            visits += best_dv
            parcels += best_dp
            for si in part:
                out[si] = best
    return out
