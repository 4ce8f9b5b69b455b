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
from islandroute.planning.options import DEFAULT_TUNING, Tuning


def fixed_patterns(inst: Instance, pattern: Pattern) -> dict[int, Pattern]:
    """The same pattern for every station where allowed (the baseline), else its first."""
    out = {}
    for si in inst.stations:
        pats = inst.patterns[si]
        out[si] = pattern if pattern in pats else pats[0]
    return out


def clusters(inst: Instance, seed: int, size: int = DEFAULT_TUNING.cluster_size) -> list[list[int]]:
    """Stations grouped by road zone, big zones split into compact clusters (k-means) of
    about ``size`` stations."""
    t = inst.travel
    by_zone: dict[int, list[int]] = {}
    for si in inst.stations:
        by_zone.setdefault(t.zone_of(inst.station(si).node), []).append(si)
    rng = np.random.default_rng(seed)
    out: list[list[int]] = []
    for z in sorted(by_zone):
        members = by_zone[z]
        k = math.ceil(len(members) / size)
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


def balanced_patterns(
    inst: Instance, seed: int, concentrate: bool = False, tuning: Tuning = DEFAULT_TUNING
) -> dict[int, Pattern]:
    """Clusters on one pattern each, chosen greedily to balance visits and parcels per day
    and to keep each day's parcels within the fleet that can reach them.

    A station's fleet is the set of vehicles able to serve it (an island's own vans, say);
    a pattern that would load a fleet past ``tuning.fleet_fill`` of its capacity on some day is
    penalised heavily, and a cluster that cannot avoid it is placed station by station.
    With ``concentrate`` the choice instead piles visits onto the days already busiest
    (denser days, shorter drives between stops) as far as the fleets allow.
    """
    fleet_of, capacity = fleets(inst)
    balancer = _Balancer(inst, fleet_of, capacity, concentrate, tuning, seed)
    groups = clusters(inst, seed, tuning.cluster_size)
    weight = {id(g): sum(inst.station(si).parcels + 1 for si in g) for g in groups}
    groups.sort(key=lambda g: -weight[id(g)])
    out: dict[int, Pattern] = {}
    for g in groups:
        out.update(balancer.place_group(g))
    return repair_overflow(inst, out, fleet_of, capacity, tuning.repair_steps)


# what a pattern adds per day: visits, parcels, and parcels of each fleet
_Added = tuple[np.ndarray, np.ndarray, dict[frozenset[int], np.ndarray]]


class _Balancer:
    """Places clusters on patterns one after another, keeping each day's visits and
    parcels and each fleet's parcels so far (see :func:`balanced_patterns`)."""

    def __init__(
        self,
        inst: Instance,
        fleet_of: dict[int, frozenset[int]],
        capacity: dict[frozenset[int], np.ndarray],
        concentrate: bool,
        tuning: Tuning,
        seed: int,
    ) -> None:
        self.inst = inst
        self.days = list(inst.days)
        self.visits = np.zeros(len(self.days))
        self.parcels = np.zeros(len(self.days))
        vehicles = inst.vehicles
        self.cap = float(np.median([v.capacity for v in vehicles])) if vehicles else 1.0
        self.fleet_of = fleet_of
        self.room = {k: tuning.fleet_fill * c for k, c in capacity.items()}
        self.fleet_load = {fleet: np.zeros(len(self.days)) for fleet in self.room}
        self.concentrate = concentrate
        self.tuning = tuning
        self.rng = np.random.default_rng(seed + 1)  # breaks ties between equal scores

    def place_group(self, g: list[int]) -> dict[int, Pattern]:
        """Patterns for a cluster: one they all allow, or station by station when they
        share none or the cluster at once would overfill a fleet."""
        common = set(self.inst.patterns[g[0]])
        for si in g[1:]:
            common &= set(self.inst.patterns[si])
        parts = [g] if common else [[si] for si in g]
        if common and len(g) > 1:
            _, over, _ = self.best(g, sorted(common))
            if over > 0:  # the cluster at once overfills a fleet: place it one by one
                parts = [[si] for si in g]
        out: dict[int, Pattern] = {}
        for part in parts:
            options = sorted(common) if len(part) > 1 else list(self.inst.patterns[part[0]])
            pat, _, added = self.best(part, options)
            self.take(added)
            for si in part:
                out[si] = pat
        return out

    def best(self, part: list[int], options: list[Pattern]) -> tuple[Pattern, float, _Added]:
        """The best pattern for ``part``, its fleet overflow and what it adds per day."""
        best, best_score, best_over = options[0], math.inf, 0.0
        best_add: _Added | None = None
        for pat in options:
            add = self.added(part, pat)
            dv, dp, dfleet = add
            over = sum(
                float(np.maximum(self.fleet_load[k] + a - self.room[k], 0.0).sum())
                for k, a in dfleet.items()
            )
            score = float(
                ((self.visits + dv) ** 2).sum() + (((self.parcels + dp) / self.cap) ** 2).sum()
            )
            if self.concentrate:
                score = -score
            score += self.tuning.overflow_weight * over + self.rng.random() * 1e-6
            if score < best_score:
                best, best_score, best_over, best_add = pat, score, over, add
        assert best_add is not None
        return best, best_over, best_add

    def added(self, part: list[int], pat: Pattern) -> _Added:
        """What putting the stations of ``part`` on ``pat`` adds to each day."""
        days = self.days
        dv, dp = np.zeros(len(days)), np.zeros(len(days))
        dfleet: dict[frozenset[int], np.ndarray] = {}
        for si in part:
            f = dfleet.setdefault(self.fleet_of[si], np.zeros(len(days)))
            for d, a in self.inst.amounts(self.inst.station(si), pat).items():
                dv[days.index(d)] += len(self.inst.units[si])
                dp[days.index(d)] += sum(a.values())
                f[days.index(d)] += sum(a.values())
        return dv, dp, dfleet

    def take(self, added: _Added) -> None:
        """Count a chosen pattern's additions in the days so far."""
        dv, dp, dfleet = added
        self.visits += dv
        self.parcels += dp
        for k, add in dfleet.items():
            self.fleet_load[k] += add


def fleets(inst: Instance) -> tuple[dict[int, frozenset[int]], dict[frozenset[int], np.ndarray]]:
    """Each station's fleet (the vehicles able to serve it) and each fleet's capacity a day."""
    fleet_of = {
        si: frozenset(np.nonzero(inst.servable[:, :, si].any(axis=1))[0].tolist())
        for si in inst.stations
    }
    capacity = {
        fleet: np.array(
            [
                sum(inst.vehicles[k].capacity for k in fleet if inst.servable[k, di].any())
                for di in range(len(inst.days))
            ],
            dtype=float,
        )
        for fleet in set(fleet_of.values())
    }
    return fleet_of, capacity


def sweep_patterns(inst: Instance, tuning: Tuning = DEFAULT_TUNING) -> dict[int, Pattern] | None:
    """For stations visited once in the horizon: sectors around the depots by angle, one
    day after another, each day filled up to its fleet's capacity (the classic sweep).
    None when some station is visited more than once (the sweep does not apply)."""
    if any(len(p) != 1 for si in inst.stations for p in inst.patterns[si]):
        return None
    nodes = inst.net.node_by_id
    depots = [nodes[v.depot] for v in inst.vehicles] or [nodes[inst.station(inst.stations[0]).node]]
    cx = sum(d.lon for d in depots) / len(depots)
    cy = sum(d.lat for d in depots) / len(depots)

    def angle(si: int) -> float:
        n = nodes[inst.station(si).node]
        return math.atan2(n.lat - cy, n.lon - cx)

    days = list(inst.days)
    cap = np.zeros(len(days))
    for di in range(len(days)):
        cap[di] = sum(v.capacity for k, v in enumerate(inst.vehicles) if inst.servable[k, di].any())
    load = np.zeros(len(days))
    out: dict[int, Pattern] = {}
    cursor = 0
    for si in sorted(inst.stations, key=angle):
        allowed = [days.index(p[0]) for p in inst.patterns[si]]
        need = inst.station(si).parcels + sum(inst.station(si).pickup.values())
        order = sorted(allowed, key=lambda d: ((d - cursor) % len(days), d))
        pick = next((d for d in order if load[d] + need <= cap[d]), order[0])
        cursor = pick
        load[pick] += need
        out[si] = (days[pick],)
    return repair_overflow(inst, out, *fleets(inst), tuning.repair_steps)


def _parcels_by_day(inst: Instance, si: int, pat: Pattern) -> np.ndarray:
    days = list(inst.days)
    out = np.zeros(len(days))
    for d, a in inst.amounts(inst.station(si), pat).items():
        out[days.index(d)] += sum(a.values())
    return out


def repair_overflow(
    inst: Instance,
    assignment: dict[int, Pattern],
    fleet_of: dict[int, frozenset[int]],
    capacity: dict[frozenset[int], np.ndarray],
    max_steps: int = DEFAULT_TUNING.repair_steps,
) -> dict[int, Pattern]:
    """Move or swap stations' patterns until no fleet carries more parcels on a day than
    it can hold (bin packing when a day has one vehicle), or no move helps."""
    out = dict(assignment)
    load = {k: np.zeros(len(inst.days)) for k in capacity}
    for si, pat in out.items():
        load[fleet_of[si]] += _parcels_by_day(inst, si, pat)
    for _ in range(max_steps):
        over = {k: _excess(capacity[k], v) for k, v in load.items()}
        worst = max(over, key=lambda k: over[k], default=None)
        if worst is None or over[worst] <= 0:
            break
        members = [si for si in out if fleet_of[si] == worst]
        vec = {si: _parcels_by_day(inst, si, out[si]) for si in members}
        fleet = (load[worst], capacity[worst])
        best = _best_move(inst, out, members, vec, fleet) or _best_swap(
            inst, out, members, vec, fleet
        )
        if not best:
            break
        for si, pat in best:
            load[worst] += _parcels_by_day(inst, si, pat) - _parcels_by_day(inst, si, out[si])
            out[si] = pat
    return out


def _excess(capacity: np.ndarray, load: np.ndarray) -> float:
    """Parcels a fleet carries beyond its capacity, summed over the days."""
    return float(np.maximum(load - capacity, 0.0).sum())


def _best_move(
    inst: Instance,
    out: dict[int, Pattern],
    members: list[int],
    vec: dict[int, np.ndarray],
    fleet: tuple[np.ndarray, np.ndarray],
) -> list[tuple[int, Pattern]]:
    """The one station's change of pattern that most cuts the fleet's excess (``fleet``
    is its load and capacity by day); empty if none does."""
    load, capacity = fleet
    over = _excess(capacity, load)
    best: tuple[float, list[tuple[int, Pattern]]] = (0.0, [])
    for si in members:
        for pat in inst.patterns[si]:
            if pat == out[si]:
                continue
            new = load - vec[si] + _parcels_by_day(inst, si, pat)
            gain = over - _excess(capacity, new)
            if gain > best[0] + 1e-9:
                best = (gain, [(si, pat)])
    return best[1]


def _best_swap(
    inst: Instance,
    out: dict[int, Pattern],
    members: list[int],
    vec: dict[int, np.ndarray],
    fleet: tuple[np.ndarray, np.ndarray],
) -> list[tuple[int, Pattern]]:
    """The swap of two stations' patterns that most cuts the fleet's excess (``fleet``
    is its load and capacity by day); empty if none does."""
    load, capacity = fleet
    over = _excess(capacity, load)
    best: tuple[float, list[tuple[int, Pattern]]] = (0.0, [])
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            pa, pb = out[b], out[a]
            if pa == out[a] or pa not in inst.patterns[a] or pb not in inst.patterns[b]:
                continue
            new = (
                load - vec[a] - vec[b] + _parcels_by_day(inst, a, pa) + _parcels_by_day(inst, b, pb)
            )
            gain = over - _excess(capacity, new)
            if gain > best[0] + 1e-9:
                best = (gain, [(a, pa), (b, pb)])
    return best[1]
