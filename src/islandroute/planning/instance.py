"""A planning instance: the stations, fleet and carriers of one solve, compiled once.

In ``joint`` mode every vehicle carries every carrier and one stop serves them all; in
``separate`` mode the planner builds one instance per carrier with its own fleet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from islandroute.errors import InfeasibleError, Problem
from islandroute.model.network import MINUTES_PER_DAY, Network, Station, Vehicle
from islandroute.network.reach import Reach, diagnose

Pattern = tuple[str, ...]
Pair = tuple[str, str]  # (station node, carrier)


@dataclass(frozen=True)
class Unit:
    """What one stop serves: a station and the carriers whose parcels it hands over."""

    station: int
    node: str
    carriers: tuple[str, ...]


def whole(x: float) -> float:
    """Round a duration up to a whole minute (so plan times are whole minutes)."""
    return float(math.ceil(x - 1e-9))


class Instance:
    """Stations (by index into ``net.stations``), vehicles and their day-by-day reach.

    ``left_out`` (station node, carrier) pairs are planned as if the station had no
    parcels of that carrier (a partial plan declares them unserved).
    """

    def __init__(
        self,
        net: Network,
        reach: Reach,
        carriers: tuple[str, ...],
        vehicles: list[Vehicle],
        mode: str,
        *,
        left_out: frozenset[Pair] = frozenset(),
    ) -> None:
        self.net = net
        self._stations = _planned_stations(net, left_out)
        self.reach = reach
        self.travel = reach.travel
        self.carriers = carriers
        self.vehicles = vehicles
        self.mode = mode
        self.days: tuple[str, ...] = net.days
        self.service_days: tuple[str, ...] = net.service_days
        self.integral = net.geometry != "planar"
        self.stations: list[int] = [
            i
            for i, s in enumerate(self._stations)
            if any(s.demand.get(c, 0) + s.pickup.get(c, 0) > 0 for c in carriers)
        ]
        # servable[v, d] -> bool over all network stations
        self.servable = self._servable_table()
        self.patterns: dict[int, list[Pattern]] = self._fitting_patterns()
        self.units: dict[int, list[Unit]] = {si: self._units(si) for si in self.stations}
        # visited once in the horizon on any of several days, in one stop
        self.flexible: list[int] = [
            si
            for si in self.stations
            if len(self.patterns[si]) > 1
            and all(len(p) == 1 for p in self.patterns[si])
            and len(self.units[si]) == 1
        ]

    def _servable_table(self) -> np.ndarray:
        """Whether vehicle ``k`` can serve each network station on day ``d`` (``[k, d]``)."""
        table = np.zeros((len(self.vehicles), len(self.days), len(self.net.stations)), dtype=bool)
        timed = [
            si
            for si, st in enumerate(self._stations)
            if st.hands_in_en_route and any(st.pickup.get(c, 0) > 0 for c in self.carriers)
        ]
        for k, v in enumerate(self.vehicles):
            for di, d in enumerate(self.days):
                if d in self.service_days:
                    table[k, di] = self.reach.servable(v, d)
                    if timed:
                        table[k, di, timed] &= self.reach.hands_in(v, d)[timed]
        return table

    def _fitting_patterns(self) -> dict[int, list[Pattern]]:
        """Each planned station's allowed patterns on days some vehicle can serve it; an
        :class:`InfeasibleError` when a station is left without any."""
        patterns: dict[int, list[Pattern]] = {}
        problems: list[Problem] = []
        for si in self.stations:
            st = self.station(si)
            ok_days = {d for di, d in enumerate(self.days) if self.servable[:, di, si].any()}
            pats = [p for p in self.net.allowed_patterns(st) if set(p) <= ok_days]
            if not pats:
                problems.append(
                    Problem(
                        f"station {st.node!r}",
                        "min_visits",
                        f"no allowed pattern fits the days it can be served: {sorted(ok_days)}",
                    )
                )
            patterns[si] = pats
        if problems:
            more = diagnose(self.net, self.reach, self.mode, list(self.carriers))
            raise InfeasibleError(more or problems)
        return patterns

    def weekly_visits(self) -> int:
        """Visits a week makes at least (each station's least-visited pattern)."""
        return sum(
            len(self.units[si]) * min((len(p) for p in self.patterns[si]), default=0)
            for si in self.stations
        )

    def station(self, si: int) -> Station:
        """Station ``si`` as planned (without the parcels of left-out carriers)."""
        return self._stations[si]

    def _units(self, si: int) -> list[Unit]:
        """One unit per station, split by carrier when one visit would overfill a typical
        vehicle that reaches it."""
        st = self.station(si)
        cs = [c for c in self.carriers if st.demand.get(c, 0) + st.pickup.get(c, 0) > 0]
        reachable = np.asarray(self.servable[:, :, si].any(axis=1))
        caps = [v.capacity for k, v in enumerate(self.vehicles) if reachable[k]] or [1]
        worst = {c: max(self._largest_visit(st, c, p) for p in self.patterns[si]) for c in cs}
        # aim at the typical vehicle, not the largest, so that a big visit can spread
        cap = max(float(np.median(caps)), max(worst.values(), default=0))
        groups: list[list[str]] = []
        loads: list[int] = []
        for c in sorted(cs, key=lambda c: -worst[c]):
            for g, load in enumerate(loads):
                if load + worst[c] <= cap:
                    groups[g].append(c)
                    loads[g] += worst[c]
                    break
            else:
                groups.append([c])
                loads.append(worst[c])
        order = {c: i for i, c in enumerate(self.carriers)}
        return [Unit(si, st.node, tuple(sorted(g, key=order.__getitem__))) for g in groups]

    def _largest_visit(self, st: Station, c: str, pattern: Pattern) -> int:
        amounts = self.amounts(st, pattern)
        return max(a.get(c, 0) for a in amounts.values()) if amounts else 0

    def amounts(self, st: Station, pattern: Pattern) -> dict[str, dict[str, int]]:
        """Parcels per carrier handed over (and picked up) at each visit day of a pattern.

        ``since_last_visit``: a visit brings what arrived since the previous one (parcels
        arrive evenly every day of the horizon, the week wrapping round); ``equal``: the
        same at every visit. Integers that add up exactly to the weekly figures.
        """
        out: dict[str, dict[str, int]] = {d: {} for d in pattern}
        weights = self._weights(pattern)
        for c in self.carriers:
            w = st.demand.get(c, 0) + st.pickup.get(c, 0)
            if w:
                for d, q in zip(pattern, split_integer(w, weights), strict=True):
                    if q:
                        out[d][c] = q
        return out

    def split(self, st: Station, pattern: Pattern, what: str) -> dict[str, dict[str, int]]:
        """Like :meth:`amounts` for deliveries only (``demand``) or pickups only."""
        src = st.demand if what == "demand" else st.pickup
        weights = self._weights(pattern)
        out: dict[str, dict[str, int]] = {d: {} for d in pattern}
        for c in self.carriers:
            w = src.get(c, 0)
            if w:
                for d, q in zip(pattern, split_integer(w, weights), strict=True):
                    if q:
                        out[d][c] = q
        return out

    def _weights(self, pattern: Pattern) -> list[float]:
        if self.net.rules.split == "equal":
            return [1.0] * len(pattern)
        n = len(self.days)
        idx = [self.days.index(d) for d in pattern]
        return [float((idx[k] - idx[k - 1]) % n or n) for k in range(len(idx))]

    def load(self, unit: Unit, pattern: Pattern, day: str) -> int:
        """Parcels a unit's visit on ``day`` puts in the vehicle (deliveries + pickups)."""
        return sum(self.visit_parcels(unit, pattern, day))

    def visit_parcels(self, unit: Unit, pattern: Pattern, day: str) -> tuple[int, int]:
        """(delivered, collected) parcels of a unit's visit on ``day`` under ``pattern``."""
        st = self.station(unit.station)
        deliver = self.split(st, pattern, "demand").get(day, {})
        pickup = self.split(st, pattern, "pickup").get(day, {}) if st.pickup else {}
        return (
            sum(deliver.get(c, 0) for c in unit.carriers),
            sum(pickup.get(c, 0) for c in unit.carriers),
        )

    @cached_property
    def collects(self) -> bool:
        """Whether any planned station sends parcels (then loads are tracked at every point)."""
        return any(self.sends(si) for si in self.stations)

    @cached_property
    def hands_in_en_route(self) -> bool:
        """Whether some pickups are due at a place, by a time or within a ride: only the
        OR-Tools models plan those hand-in stops."""
        return any(self.sends(si) and self.station(si).hands_in_en_route for si in self.stations)

    def sends(self, si: int) -> bool:
        """Whether station ``si`` sends parcels of this instance's carriers."""
        st = self.station(si)
        return any(st.pickup.get(c, 0) > 0 for c in self.carriers)

    def duration(self, minutes: float) -> float:
        """A travel or service time as the plan will show it (whole minutes on maps)."""
        return whole(minutes) if self.integral else float(minutes)

    @cached_property
    def arc_cost(self) -> np.ndarray:
        """Cost of driving between two places for a typical vehicle: its km and its
        driver's time (what moving a visit between days saves or adds)."""
        vs = self.vehicles
        cpk = float(np.median([v.cost_per_km for v in vs])) if vs else 1.0
        cpm = float(np.median([v.cost_per_hour for v in vs])) / 60 if vs else 0.0
        return self.travel.km * cpk + self.travel.minutes * cpm

    @property
    def horizon(self) -> int:
        return 2 * MINUTES_PER_DAY


def _planned_stations(net: Network, left_out: frozenset[Pair]) -> tuple[Station, ...]:
    """Every network station without the parcels of its ``left_out`` carriers."""
    gone: dict[str, set[str]] = {}
    for node, c in left_out:
        gone.setdefault(node, set()).add(c)
    return tuple(_without(st, gone.get(st.node, set())) for st in net.stations)


def _without(st: Station, gone: set[str]) -> Station:
    """``st`` without the demand and pickups of the carriers ``gone``."""
    if not gone:
        return st
    return st.model_copy(
        update={
            "demand": {c: q for c, q in st.demand.items() if c not in gone},
            "pickup": {c: q for c, q in st.pickup.items() if c not in gone},
        }
    )


def split_integer(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` into integers adding up exactly."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    base = [math.floor(x) for x in raw]
    rest = total - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return base
