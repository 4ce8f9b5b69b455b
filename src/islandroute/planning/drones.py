"""Drones planned with vans: which stations drones serve, on which days, in which flights.

A decomposition: (1) each drone's candidate stations: on another island than its base,
within half its range of it, parcels to deliver and pickups for the base only, an
allowed visit pattern on days it may fly; (2) drones take an island's candidates when
the vans' share of cost there is larger than what the drones' flights add, a drone only
when its islands save its weekly cost (checked by re-planning the vans); (3) each drone
day's visits are packed into flights (payload, range, a few stations a flight) and timed
in the shift; (4) the vans plan the other stations with the unchanged planner. The week
is the union: drone routes fly ``air`` legs, base to base.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from islandroute.errors import InfeasibleError, OptionsError, Problem
from islandroute.model.network import Network, Station, Vehicle
from islandroute.model.plan import Kpis, Leg, Plan, Route, Stop
from islandroute.network.air import air_km
from islandroute.planning.costing import plan_of_routes
from islandroute.planning.instance import split_integer, whole
from islandroute.planning.options import PLAN_DEFAULTS
from islandroute.planning.planner import plan_week
from islandroute.progress import Progress, progress_or_log

Pattern = tuple[str, ...]
Unit = tuple[str, str | None]  # (station node, carrier in separate mode / None in joint)
Mode = Literal["joint", "separate"]
Candidates = dict[Unit, list[tuple[Vehicle, list[Pattern]]]]
MAX_STOPS_PER_FLIGHT = 3  # "one or a few stations per flight"
SMALL_ISLAND_STATIONS = 8  # an island with more stations keeps its vans
MAX_REPLANS = 2  # van re-plans dropping the least promising island when drones cost more
KM_TOLERANCE = 1e-9  # a flight exactly at the drone's range is within it
MINUTES_PER_HOUR = 60.0
VAN_SHARE = 0.9  # of the time limit for the van plans; the rest packs flights and KPIs
BASELINE_WEIGHT = 1.0  # the vans-only week gets as long as all the trials after it
MIN_VAN_SECONDS = 0.5  # the least a van plan is given, even when the budget is spent


class _Budget:
    """The time limit shared out: each van plan gets an equal part of what is left."""

    def __init__(self, seconds: float, plans: int) -> None:
        self.end = time.perf_counter() + seconds * VAN_SHARE
        self.plans = max(1, plans)

    def next(self, weight: float = 1.0) -> float:
        """Seconds for the next van plan, ``weight`` parts of what is left (one plan fewer
        left)."""
        share = (self.end - time.perf_counter()) * min(1.0, weight / self.plans)
        self.plans = max(1, self.plans - 1)
        return max(MIN_VAN_SECONDS, share)


@dataclass(frozen=True)
class Drop:
    """What one flight hands over at one station: parcels delivered and collected."""

    node: str
    deliver: dict[str, int]
    pickup: dict[str, int]

    @property
    def peak(self) -> int:
        """The larger of the two loads this drop puts on the drone."""
        return max(sum(self.deliver.values()), sum(self.pickup.values()))


@dataclass(frozen=True)
class Flight:
    """One flight: base, a few stations in order, base; its straight-line km."""

    drops: tuple[Drop, ...]
    km: float


@dataclass(frozen=True)
class DroneService:
    """A station a drone serves (for one carrier in separate mode): its island, the drone
    and the visit days."""

    station: str
    island: str
    drone: str
    days: Pattern
    carrier: str | None = None

    @property
    def key(self) -> str:
        """``node``, or ``node/carrier`` in separate mode (as ``plan.visit_days`` names it)."""
        return unit_key((self.station, self.carrier))


def unit_key(unit: Unit) -> str:
    """A unit's name: its node, or ``node/carrier`` in separate mode."""
    return unit[0] if unit[1] is None else f"{unit[0]}/{unit[1]}"


@dataclass
class DroneWeek:
    """The week planned with drones, the vans-only week it is compared with, which
    stations drones serve, and why other stations near a base stay with the vans."""

    plan: Plan
    baseline: Plan
    served: dict[str, DroneService] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def saved_crossings(self) -> int:
        """Ferry crossings the drones save over the vans-only week."""
        return self.baseline.totals.ferry_crossings - self.plan.totals.ferry_crossings

    @property
    def saved_van_km(self) -> float:
        """Van km the drones save over the vans-only week."""
        return round(self.baseline.totals.km - van_km(self.plan, self.drone_ids), 4)

    @property
    def drone_ids(self) -> set[str]:
        return {s.drone for s in self.served.values()}


def drones_of(net: Network) -> list[Vehicle]:
    """The network's drones."""
    return [v for v in net.vehicles if v.is_drone]


def vans_only(net: Network, without: Iterable[Unit] = ()) -> Network:
    """The network without its drones, and without the stations (or, in separate mode,
    the carriers' parcels at stations) that ``without`` names."""
    whole: set[str] = set()
    gone: dict[str, set[str]] = defaultdict(set)
    for node, c in without:
        if c is None:
            whole.add(node)
        else:
            gone[node].add(c)
    stations = []
    for st in net.stations:
        if st.node in gone:
            cut = gone[st.node]
            st = st.model_copy(
                update={
                    "demand": {c: q for c, q in st.demand.items() if c not in cut},
                    "pickup": {c: q for c, q in st.pickup.items() if c not in cut},
                }
            )
        if st.node not in whole and st.parcels + sum(st.pickup.values()) > 0:
            stations.append(st)
    return net.replace(vehicles=[v for v in net.vehicles if not v.is_drone], stations=stations)


def van_km(plan: Plan, drones: set[str]) -> float:
    """Km the vans of a plan drive."""
    return sum(r.km for r in plan.routes if r.vehicle not in drones)


def flyable_days(net: Network, drone: Vehicle) -> set[str]:
    """Service days the drone works and the weather lets it fly."""
    days = set(net.service_days)
    if drone.days is not None:
        days &= set(drone.days)
    if drone.weather_days is not None:
        days &= set(drone.weather_days)
    return days


def _weather(net: Network, drone: Vehicle) -> tuple[str, ...]:
    """The days the weather lets the drone fly (every day unless it says)."""
    return net.days if drone.weather_days is None else drone.weather_days


def ground_drones(net: Network, days: Iterable[str] | None = None) -> Network:
    """The network with every drone grounded on ``days`` (None: every day)."""
    out = set(net.days if days is None else days)
    bad = sorted(out - set(net.days))
    if bad:
        raise OptionsError([Problem("drones", "grounded", f"unknown days {bad}")])
    vehicles = [
        v.model_copy(update={"weather_days": tuple(d for d in _weather(net, v) if d not in out)})
        if v.is_drone
        else v
        for v in net.vehicles
    ]
    return net.replace(vehicles=vehicles)


# ---- (1) candidates ---------------------------------------------------------------------


def small_islands(net: Network) -> set[str]:
    """Islands with at most ``SMALL_ISLAND_STATIONS`` stations: the ones drones serve."""
    count: dict[str, int] = defaultdict(int)
    for st in net.stations:
        count[net.node_by_id[st.node].island] += 1
    return {isl for isl, n in count.items() if n <= SMALL_ISLAND_STATIONS}


def in_range(net: Network, drone: Vehicle, node: str, small: set[str] | None = None) -> bool:
    """Whether the drone may fly to the station and back on one flight, the station being
    on a small island other than its base's (vans serve the base's own island)."""
    island = net.node_by_id[node].island
    if island == net.node_by_id[drone.depot].island:
        return False
    if island not in (small_islands(net) if small is None else small):
        return False
    return 2 * air_km(net, drone.depot, node) <= _range(drone)


def drone_islands(net: Network) -> list[str]:
    """The islands with a station some drone may reach (the small islands drones serve)."""
    small = small_islands(net)
    found = {
        net.node_by_id[s.node].island
        for s in net.stations
        for d in drones_of(net)
        if in_range(net, d, s.node, small)
    }
    return sorted(found)


def candidates(net: Network, mode: Mode = "joint") -> tuple[Candidates, list[Problem]]:
    """Per station (per station and carrier in separate mode, served only by that
    carrier's drones) the drones that may serve it with their allowed patterns; a
    problem for each station within a drone's range that no drone may serve (which rule)."""
    out: Candidates = {}
    problems: list[Problem] = []
    drones = drones_of(net)
    small = small_islands(net)
    for st in net.stations:
        if st.parcels + sum(st.pickup.values()) == 0:
            continue
        near = [d for d in drones if in_range(net, d, st.node, small)]
        if not near:
            continue
        obj = f"station {st.node!r}"
        if st.pickup_to is not None or st.pickup_by is not None or st.cold:
            rule = "cold" if st.cold else "pickup_to" if st.pickup_to else "pickup_by"
            why = "drones bring pickups to their base only, with no deadline and no cold chain"
            problems.append(Problem(obj, rule, f"stays with the vans: {why}"))
            continue
        for unit in _units(st, mode):
            mine = [d for d in near if unit[1] is None or d.carrier == unit[1]]
            if not mine:
                why = f"stays with the vans: no drone of {unit[1]!r} in reach (separate mode)"
                problems.append(Problem(obj, f"demand.{unit[1]}", why))
                continue
            found = _patterns(net, st, mine)
            if found:
                out[unit] = found
            else:
                days = sorted(
                    set().union(*(flyable_days(net, d) for d in mine)), key=net.days.index
                )
                problems.append(
                    Problem(
                        obj,
                        "weather_days",
                        f"stays with the vans: no allowed visit pattern on the days its drones "
                        f"may fly {days}",
                    )
                )
    return out, problems


def _units(st: Station, mode: Mode) -> list[Unit]:
    """What a drone may take at a station: all of it, or (separate) one carrier's parcels."""
    if mode == "joint":
        return [(st.node, None)]
    owed = {c for c, q in (*st.demand.items(), *st.pickup.items()) if q > 0}
    return [(st.node, c) for c in sorted(owed)]


def _patterns(
    net: Network, st: Station, drones: list[Vehicle]
) -> list[tuple[Vehicle, list[Pattern]]]:
    """The drones with the station's allowed patterns on days they may fly."""
    out = []
    for d in drones:
        fly = flyable_days(net, d)
        pats = [p for p in net.allowed_patterns(st) if set(p) <= fly]
        if pats:
            out.append((d, pats))
    return out


def _range(d: Vehicle) -> float:
    assert d.range_km is not None
    return d.range_km + KM_TOLERANCE


# ---- (3) flights ------------------------------------------------------------------------


def visit_amounts(
    net: Network, st: Station, pattern: Pattern, carrier: str | None = None
) -> dict[str, Drop]:
    """Parcels delivered and collected (of one ``carrier``, or all) at each visit day of a
    pattern (since the last visit, or equal shares, as ``rules.split`` says)."""
    n = len(net.days)
    idx = [net.days.index(d) for d in pattern]
    if net.rules.split == "equal":
        weights = [1.0] * len(pattern)
    else:
        weights = [float((idx[k] - idx[k - 1]) % n or n) for k in range(len(idx))]
    out = {d: Drop(st.node, {}, {}) for d in pattern}
    for what, src in (("deliver", st.demand), ("pickup", st.pickup)):
        for c, w in src.items():
            if carrier is not None and c != carrier:
                continue
            for d, q in zip(pattern, split_integer(w, weights), strict=True):
                if q or (what == "deliver" and w):  # a visit serves every carrier, 0 or not
                    getattr(out[d], what)[c] = q
    return out


def _pieces(parcels: dict[str, int], size: int) -> list[dict[str, int]]:
    """Parcels per carrier cut into loads of at most ``size``."""
    out: list[dict[str, int]] = []
    room = 0
    for c, q in parcels.items():
        while q > 0:
            if room == 0:
                out.append({})
                room = size
            take = min(q, room)
            out[-1][c] = out[-1].get(c, 0) + take
            q, room = q - take, room - take
    return out


def chunks(drop: Drop, payload: int) -> list[Drop]:
    """A visit cut into drops that each fit the payload (several flights when large)."""
    dl, pu = _pieces(drop.deliver, payload), _pieces(drop.pickup, payload)
    n = max(len(dl), len(pu), 1)
    dl += [{}] * (n - len(dl))
    pu += [{}] * (n - len(pu))
    for c in drop.deliver:  # the first flight serves the carriers with nothing this time
        dl[0].setdefault(c, 0)
    return [Drop(drop.node, a, b) for a, b in zip(dl, pu, strict=True)]


def _peak(drops: list[Drop]) -> int:
    """The most parcels on board along a flight: all deliveries at take-off, then less
    what each stop delivers plus what it collects."""
    load = peak = sum(sum(x.deliver.values()) for x in drops)
    for x in drops:
        load += sum(x.pickup.values()) - sum(x.deliver.values())
        peak = max(peak, load)
    return peak


def _tour_km(net: Network, base: str, nodes: list[str]) -> float:
    path = [base, *nodes, base]
    return sum(air_km(net, a, b) for a, b in pairwise(path))


def pack_day(net: Network, drone: Vehicle, visits: list[Drop]) -> list[Flight]:
    """The day's visits in flights: farthest drop first, then the nearest drops that keep
    the flight within payload, range and ``MAX_STOPS_PER_FLIGHT`` stations."""
    base = drone.depot
    left = [c for v in visits for c in chunks(v, drone.capacity)]
    left.sort(key=lambda c: (-air_km(net, base, c.node), c.node))
    flights = []
    while left:
        seq = [left.pop(0)]
        while len(seq) < MAX_STOPS_PER_FLIGHT:
            nodes = {x.node for x in seq}
            fits = [
                c
                for c in left
                if c.node not in nodes
                and _peak([*seq, c]) <= drone.capacity
                and _tour_km(net, base, [x.node for x in [*seq, c]]) <= _range(drone)
            ]
            if not fits:
                break
            best = min(fits, key=lambda c: (air_km(net, seq[-1].node, c.node), c.node))
            seq.append(best)
            left.remove(best)
        flights.append(Flight(tuple(seq), _tour_km(net, base, [x.node for x in seq])))
    return flights


class _Clock:
    """Times as the plan shows them: whole minutes on a lon/lat network."""

    def __init__(self, net: Network) -> None:
        self.integral = net.geometry != "planar"

    def __call__(self, minutes: float) -> float:
        return whole(minutes) if self.integral else float(minutes)


def time_day(net: Network, drone: Vehicle, day: str, flights: list[Flight]) -> Route | str:
    """The drone's timed route of the day (cost without its weekly share), or why the
    flights do not fit (shift, opening hours, flights a day)."""
    if drone.flights_per_day is not None and len(flights) > drone.flights_per_day:
        return f"{len(flights)} flights on {day}, over its {drone.flights_per_day} a day"
    assert drone.speed_kmh is not None
    dur = _Clock(net)
    load = float(drone.load_minutes or 0.0)
    base = drone.depot
    stops: list[Stop] = []
    legs: list[Leg] = []
    clock = float(drone.shift[0])
    handin: dict[str, int] = {}
    for f in flights:
        first = net.station_by_node[f.drops[0].node]
        fly = dur(air_km(net, base, first.node) / drone.speed_kmh * MINUTES_PER_HOUR)
        take_off = max(clock + load, first.open[0] - fly)
        arrive = clock if stops else take_off - load
        stops.append(Stop(node=base, arrive=arrive, depart=take_off, handin=handin))
        clock, at, handin = take_off, base, {}
        for x in f.drops:
            st = net.station_by_node[x.node]
            clock = _fly(net, drone, dur, legs, at, x.node, clock)
            if clock > st.open[1]:
                return f"a flight reaches {x.node!r} at {clock:.0f}, after it closes on {day}"
            leave = dur(max(clock, st.open[0]) + st.service_minutes)
            stops.append(
                Stop(node=x.node, arrive=clock, depart=leave, deliver=x.deliver, pickup=x.pickup)
            )
            for c, q in x.pickup.items():
                handin[c] = handin.get(c, 0) + q
            clock, at = leave, x.node
        clock = _fly(net, drone, dur, legs, at, base, clock)
    stops.append(Stop(node=base, arrive=clock, depart=clock, handin=handin))
    if clock > drone.shift[1]:
        return f"its flights of {day} end at {clock:.0f}, after its shift ends ({drone.shift[1]})"
    km = sum(g.km for g in legs)
    minutes = clock - stops[0].arrive
    carriers = {c for s in stops for c in (*s.deliver, *s.pickup)}
    cost = drone.cost_fixed + km * drone.cost_per_km + minutes / 60 * drone.cost_per_hour
    return Route(
        day=day,
        vehicle=drone.id,
        carriers=tuple(c for c in net.carrier_ids if c in carriers),
        stops=tuple(stops),
        legs=tuple(legs),
        km=round(km, 6),
        cost=round(cost, 4),
        co2_kg=round(km * drone.co2_per_km, 4),
        minutes=minutes,
    )


def _fly(
    net: Network, drone: Vehicle, dur: _Clock, legs: list[Leg], a: str, b: str, clock: float
) -> float:
    """Append the air leg ``a`` -> ``b`` leaving at ``clock``; its arrival."""
    assert drone.speed_kmh is not None
    km = air_km(net, a, b)
    arrive = clock + dur(km / drone.speed_kmh * MINUTES_PER_HOUR)
    legs.append(
        Leg.model_validate(
            {
                "from": a,
                "to": b,
                "mode": "air",
                "depart": clock,
                "arrive": arrive,
                "km": round(km, 6),
            }
        )
    )
    return arrive


@dataclass
class _Drone:
    """One drone's stations (with their visit patterns) and its week of routes."""

    vehicle: Vehicle
    patterns: dict[Unit, Pattern] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)

    def cost(self) -> float:
        """Its routes' cost with its weekly cost when it flies at all."""
        used = bool(self.routes)
        return sum(r.cost for r in self.routes) + (self.vehicle.cost_week or 0.0) * used


def _week(net: Network, drone: Vehicle, patterns: dict[Unit, Pattern]) -> list[Route] | str:
    """The drone's routes for its stations' patterns, or why a day does not fit."""
    by_day: dict[str, list[Drop]] = defaultdict(list)
    for (node, c), pat in patterns.items():
        for d, drop in visit_amounts(net, net.station_by_node[node], pat, c).items():
            by_day[d].append(drop)
    routes = []
    for d in net.days:
        if by_day.get(d):
            r = time_day(net, drone, d, pack_day(net, drone, by_day[d]))
            if isinstance(r, str):
                return r
            routes.append(r)
    return routes


def _try_add(net: Network, dr: _Drone, unit: Unit, pats: list[Pattern]) -> bool:
    """Give the drone the station on the pattern whose days carry the fewest of its
    parcels so far (then the next) while its week still fits; whether one did."""
    load: dict[str, int] = defaultdict(int)
    for (n, c), p in dr.patterns.items():
        for d, drop in visit_amounts(net, net.station_by_node[n], p, c).items():
            load[d] += drop.peak
    for pat in sorted(pats, key=lambda p: (sum(load[d] for d in p), p))[:3]:
        week = _week(net, dr.vehicle, {**dr.patterns, unit: pat})
        if not isinstance(week, str):
            dr.patterns[unit] = pat
            dr.routes = week
            return True
    return False


def assign(
    net: Network, chosen: list[Unit], cands: Candidates
) -> tuple[dict[str, _Drone], list[Problem]]:
    """Stations to drones (nearest base first) as long as each drone's week fits; a
    problem for each station none could take."""
    fleet = {d.id: _Drone(d) for d in drones_of(net)}
    problems = []
    for unit in chosen:
        node = unit[0]
        options = sorted(cands[unit], key=lambda dp: (air_km(net, dp[0].depot, node), dp[0].id))
        if not any(_try_add(net, fleet[d.id], unit, pats) for d, pats in options):
            why = _week(
                net, options[0][0], {**fleet[options[0][0].id].patterns, unit: options[0][1][0]}
            )
            reason = why if isinstance(why, str) else "its drones' weeks are full"
            reason = f"drone {options[0][0].id!r}: {reason}"
            problems.append(
                Problem(f"station {node!r}", "flights", f"stays with the vans: {reason}")
            )
    return fleet, problems


# ---- (2) + (4) the week -----------------------------------------------------------------


def plan_with_drones(
    net: Network,
    mode: Mode = "joint",
    *,
    time_limit: float = PLAN_DEFAULTS.time_limit,
    seed: int = PLAN_DEFAULTS.seed,
    stations: Iterable[str] | Literal["all"] | None = None,
    baseline: Plan | None = None,
    progress: Progress | None = None,
    allow_unserved: bool = False,
) -> DroneWeek:
    """Plan drones and vans together: which stations drones serve, on which days, and
    the vans' week for the rest (``separate``: each carrier's drones carry its parcels
    only). ``stations`` forces the drones' stations (a list, or ``"all"`` the
    candidates), else they are chosen by cost. The van plans share ``time_limit`` s.
    ``allow_unserved`` (a storm scenario): what neither drones nor vans can serve is
    declared in ``plan.unserved`` instead of raising."""
    if mode not in ("joint", "separate"):
        raise OptionsError([Problem("plan_with_drones", "mode", f"unknown mode {mode!r}")])
    say = progress_or_log(progress)
    if not drones_of(net):
        raise OptionsError([Problem("plan_with_drones", "network", "the network has no drone")])
    vans = vans_only(net)
    trials = 1 if stations is not None else MAX_REPLANS + 1
    budget = _Budget(time_limit, trials + (baseline is None))
    base = baseline or plan_week(
        vans,
        mode,
        time_limit=budget.next(weight=BASELINE_WEIGHT * trials),
        seed=seed,
        allow_unserved=True,  # what no van reaches is for the drones, else said below
    )
    say(f"vans only: cost {base.totals.cost:,.0f}, {base.totals.ferry_crossings} crossings")
    cands, problems = candidates(net, mode)
    forced = _only_by_drone(base, cands, problems, allow_unserved)
    if stations == "all":
        groups = [sorted(cands, key=lambda u: (net.node_by_id[u[0]].island, unit_key(u)))]
    elif stations is not None:
        chosen = list(dict.fromkeys(stations))
        unknown = [s for s in chosen if not any(u[0] == s for u in cands)]
        if unknown:
            raise InfeasibleError(
                [p for p in problems if p.obj in {f"station {s!r}" for s in unknown}]
                or [Problem(f"station {s!r}", "range_km", "no drone may serve it") for s in unknown]
            )
        groups = [[u for s in chosen for u in sorted(cands, key=unit_key) if u[0] == s]]
    else:
        groups, why = _promising(net, base, cands)
        problems = problems + why
    groups = [[u for u in g if u not in forced] for g in groups]
    groups = [g for g in groups if g]
    best = DroneWeek(plan=base, baseline=base, problems=list(problems))
    for attempt in range(MAX_REPLANS + 1):
        if not groups and not forced:
            break
        chosen_units = forced + [u for g in groups for u in g]
        how = (mode, budget.next(), seed, allow_unserved)
        trial = _combine(net, base, chosen_units, cands, how)
        trial.problems = problems + trial.problems
        say(f"drones take {len(trial.served)} stations: cost {trial.plan.totals.cost:,.0f}")
        partial = bool(base.unserved)  # the vans alone leave stations: no week to beat
        if stations is not None or partial or trial.plan.totals.cost < best.plan.totals.cost:
            return trial
        if attempt < MAX_REPLANS:
            groups = groups[:-1]
    if stations is None and best.plan is base and cands:
        best.problems.append(
            Problem("drones", "cost", "no choice of drone stations tried costs less than vans")
        )
    return best


def _only_by_drone(
    base: Plan, cands: Candidates, problems: list[Problem], allow_unserved: bool
) -> list[Unit]:
    """The drone units of the stations no van can serve (the vans-only week leaves them
    out); an InfeasibleError naming each station no drone may take either, unless such
    stations are allowed to stay unserved."""
    needs = {u.station for u in base.unserved}
    pairs = {(u.station, u.carrier) for u in base.unserved}
    forced = [
        u
        for u in sorted(cands, key=unit_key)
        if u[0] in needs and (u[1] is None or (u[0], u[1]) in pairs)
    ]
    stranded = needs - {u[0] for u in forced}
    if stranded and not allow_unserved:
        said = {u.station: u for u in base.unserved}
        raise InfeasibleError(
            [
                Problem(f"station {s!r}", said[s].rule, said[s].message or "no van reaches it")
                for s in sorted(stranded)
            ]
            + [p for p in problems if p.obj in {f"station {s!r}" for s in stranded}]
        )
    return forced


def _promising(
    net: Network, base: Plan, cands: Candidates
) -> tuple[list[list[Unit]], list[Problem]]:
    """Candidate stations by island, the islands where the vans' share of cost exceeds
    what the drones' flights add, most saving first; then every drone whose islands do
    not save its weekly cost gives them back to the vans. Each refusal is said."""
    why: list[Problem] = []
    by_island: dict[str, list[Unit]] = defaultdict(list)
    for unit in cands:
        by_island[net.node_by_id[unit[0]].island].append(unit)
    parcels: dict[str, int] = defaultdict(int)
    for st in net.stations:
        parcels[net.node_by_id[st.node].island] += _unit_parcels(net, (st.node, None))
    taken: list[Unit] = []
    flown = 0.0
    kept: list[tuple[float, str, list[Unit], str]] = []
    for isl in sorted(by_island, key=lambda i: (-base.by_island.get(i, Kpis()).cost, i)):
        fleet, _ = assign(net, [*taken, *sorted(by_island[isl], key=unit_key)], cands)
        group = [n for d in fleet.values() for n in d.patterns if n in by_island[isl]]
        if not group:
            continue
        share = sum(_unit_parcels(net, u) for u in group) / max(1, parcels[isl])
        saving = base.by_island.get(isl, Kpis()).cost * share
        cost = sum(r.cost for d in fleet.values() for r in d.routes)  # without weekly costs
        if saving > cost - flown:
            owner = Counter(d.vehicle.id for d in fleet.values() for n in d.patterns if n in group)
            gain = saving - (cost - flown)
            kept.append((gain, isl, sorted(group, key=unit_key), owner.most_common(1)[0][0]))
            taken += group
            flown = cost
        else:
            why.append(
                Problem(
                    f"island {isl!r}",
                    "cost",
                    f"stays with the vans: drone flights would add {cost - flown:,.0f} a week, "
                    f"the vans' share there is {saving:,.0f}",
                )
            )
    weekly = {d.id: d.cost_week or 0.0 for d in drones_of(net)}
    margin: dict[str, float] = defaultdict(float)
    for gain, _, _, drone in kept:
        margin[drone] += gain
    for d in sorted(margin):
        if margin[d] <= weekly[d]:
            message = f"its islands save {margin[d]:,.0f} a week, less than its weekly cost"
            why.append(Problem(f"vehicle {d!r}", "cost_week", f"stays grounded: {message}"))
    kept = [k for k in kept if margin[k[3]] > weekly[k[3]]]
    kept.sort(key=lambda t: (-t[0], t[1]))
    return [g for _, _, g, _ in kept], why


def _unit_parcels(net: Network, unit: Unit) -> int:
    """A station's weekly parcels delivered and collected (of the unit's carrier)."""
    st = net.station_by_node[unit[0]]
    c = unit[1]
    if c is None:
        return st.parcels + sum(st.pickup.values())
    return st.demand.get(c, 0) + st.pickup.get(c, 0)


def _combine(
    net: Network,
    base: Plan,
    chosen: list[Unit],
    cands: Candidates,
    how: tuple[Mode, float, int, bool],
) -> DroneWeek:
    """The drones' weeks for ``chosen`` and the vans' week (``how``: mode, time limit,
    seed, whether stations may stay unserved) for the other stations."""
    mode, time_limit, seed, allow_unserved = how
    fleet, problems = assign(net, chosen, cands)
    if not any(d.patterns for d in fleet.values()):
        return DroneWeek(plan=base, baseline=base, problems=problems)
    served: dict[str, DroneService] = {}
    drone_routes: list[Route] = []
    for dr in fleet.values():
        share = (dr.vehicle.cost_week or 0.0) / max(1, len(dr.routes))
        drone_routes += [r.model_copy(update={"cost": round(r.cost + share, 4)}) for r in dr.routes]
        for (node, c), pat in dr.patterns.items():
            service = DroneService(node, net.node_by_id[node].island, dr.vehicle.id, pat, c)
            served[service.key] = service
    vans = vans_only(net, [(sv.station, sv.carrier) for sv in served.values()])
    van_plan = (
        plan_week(vans, mode, time_limit=time_limit, seed=seed, allow_unserved=allow_unserved)
        if vans.stations
        else None
    )
    routes = list(van_plan.routes if van_plan else ()) + drone_routes
    order = {d: i for i, d in enumerate(net.days)}
    routes.sort(key=lambda r: (order[r.day], r.vehicle))
    visit_days = dict(van_plan.visit_days if van_plan else {})
    visit_days.update({s: sv.days for s, sv in served.items()})
    stats = dict(van_plan.stats if van_plan else {})
    plan = plan_of_routes(
        net, mode, routes, visit_days, stats, van_plan.unserved if van_plan else ()
    )
    week = DroneWeek(plan=plan, baseline=base, served=served, problems=problems)
    plan.stats["drones"] = {
        "stations": {s: {"drone": sv.drone, "days": list(sv.days)} for s, sv in served.items()},
        "saved_ferry_crossings": week.saved_crossings,
        "saved_van_km": week.saved_van_km,
        "vans_only_cost": base.totals.cost,
        "diagnosis": [str(p) for p in problems],
    }
    return week


def drone_flights(plan: Plan, net: Network) -> int:
    """Flights the drones of a plan make (returns to base)."""
    drones = {d.id for d in drones_of(net)}
    return sum(
        sum(1 for g in r.legs if g.to == net.vehicle_by_id[r.vehicle].depot)
        for r in plan.routes
        if r.vehicle in drones
    )
