"""One day of routing in islandroute's words: visits, vehicles, ferry crossings, hand-ins.

:func:`build_day` lays out the day's nodes (depots, visits, boarding nodes for the vehicle
ferries that matter, hand-in nodes for pickups due somewhere by some time) and the integer
matrices for the adapter; :func:`route_events` reads a solution back as each vehicle's
sequence of visits, crossings and hand-ins.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from islandroute.model.network import Ferry, Vehicle
from islandroute.network.reach import Access
from islandroute.planning.instance import Instance, Pattern, Unit
from islandroute.planning.options import DEFAULT_TUNING, Tuning
from islandroute.planning.ortools_adapter import BIG, DayModel

COST_SCALE = 1000  # solver cost units per yuan (or per distance unit)
CROSSING_BONUS = 10**7  # makes a first solution open each needed crossing (then dropped)


@dataclass(frozen=True)
class Visit:
    """A unit to serve on the day: the parcels it puts in the vehicle (``load``: those it
    delivers plus those it collects) and, of them, those it collects (``pickup``)."""

    unit: Unit
    load: int
    pickup: int = 0


@dataclass(frozen=True)
class HandIn:
    """A stop at ``node`` that hands in what ``visit`` collected (spec 1.1 ``pickup_to``;
    a copy per possible place when the place is the collecting vehicle's depot)."""

    visit: Visit
    node: str


Event = Visit | Ferry | HandIn
HandInGroup = tuple[int, list[int], int | None]
HANDIN_MINUTES = 0.0  # a hand-in stop's own minutes (unloading is counted at the centre)


@dataclass
class DraftLayout:
    """The day's nodes while its model is being built: what each solver node stands for."""

    day: str
    vehicles: list[Vehicle]
    depots: list[str]
    visits: list[Visit]
    ferries: list[Ferry]
    handins: list[HandIn] = field(default_factory=list)
    #: (visit node, its hand-in nodes (alternatives), ride limit in ticks or None)
    groups: list[HandInGroup] = field(default_factory=list)
    loc: list[str] = field(default_factory=list)
    seeds: list[list[int]] = field(default_factory=list)

    @property
    def first_visit(self) -> int:
        return len(self.depots)

    @property
    def first_ferry(self) -> int:
        return len(self.depots) + len(self.visits)

    @property
    def first_handin(self) -> int:
        return self.first_ferry + len(self.ferries)

    def event(self, node: int) -> Event:
        if node < self.first_ferry:
            return self.visits[node - self.first_visit]
        if node < self.first_handin:
            return self.ferries[node - self.first_ferry]
        return self.handins[node - self.first_handin]


@dataclass
class DayLayout(DraftLayout):
    """The day's nodes and the routing model built on them."""

    model: DayModel = field(kw_only=True)


def visit_on(inst: Instance, unit: Unit, pattern: Pattern, day: str) -> Visit:
    """The visit of ``unit`` on ``day`` under ``pattern``, with the parcels it loads."""
    deliver, pickup = inst.visit_parcels(unit, pattern, day)
    return Visit(unit, deliver + pickup, pickup)


def day_visits(inst: Instance, day: str, assignment: dict[int, Pattern]) -> list[Visit]:
    """The units to serve on ``day`` under an assignment, with their loads."""
    return [
        visit_on(inst, u, assignment[si], day)
        for si in inst.stations
        if day in assignment[si]
        for u in inst.units[si]
    ]


def working(inst: Instance, day: str) -> list[int]:
    """Rows of the vehicles that can work on ``day``."""
    return [k for k, v in enumerate(inst.vehicles) if inst.reach.access(v, day) is not None]


def build_day(
    inst: Instance,
    day: str,
    visits: list[Visit],
    rows: list[int],
    fleet_margin: float | None = DEFAULT_TUNING.fleet_margin,
    *,
    tuning: Tuning = DEFAULT_TUNING,
) -> DayLayout | None:
    """The routing model of ``day`` for ``visits`` with the vehicles of ``rows``.

    With ``fleet_margin`` only part of a big fleet enters the model: every vehicle that
    is one of few able to serve some visit, then the largest vehicles of each depot in
    turn until the fleet holds ``fleet_margin`` times the day's parcels (a smaller model
    solves much faster; the caller retries with the whole fleet if a visit is left out).
    """
    di = inst.days.index(day)
    if not visits or not rows:
        return None
    if fleet_margin is not None:
        rows = _enough_vehicles(inst, di, rows, visits, fleet_margin)
    vehicles = [inst.vehicles[k] for k in rows]
    depots = list(dict.fromkeys(v.depot for v in vehicles))
    lay = DraftLayout(day, vehicles, depots, visits, [])
    pairs, allowed_veh, bonus = _add_crossings(inst, lay)
    for j, v in enumerate(visits):
        ks = [k for k, r in enumerate(rows) if inst.servable[r, di, v.unit.station]]
        allowed_veh[lay.first_visit + j] = ks
    _add_handins(inst, lay, allowed_veh, 1.0 if inst.integral else 100.0)
    lay.loc = (
        depots
        + [v.unit.node for v in visits]
        + [f.from_ for f in lay.ferries]
        + [h.node for h in lay.handins]
    )
    lay.seeds = _island_trips(inst, lay, pairs, allowed_veh, tuning.island_trip_fill)
    model = _day_model(inst, lay, pairs, allowed_veh, bonus)
    return DayLayout(**vars(lay), model=model)


def _add_crossings(
    inst: Instance, lay: DraftLayout
) -> tuple[list[tuple[int, int]], dict[int, list[int]], dict[int, int]]:
    """Append the day's crossing copies to ``lay.ferries`` as (out, back) node pairs;
    returns the pairs, the vehicles that may ride each node and its opening bonus."""
    pairs: list[tuple[int, int]] = []
    allowed_veh: dict[int, list[int]] = {}
    bonus: dict[int, int] = {}
    for out_f, back_f, n_copies, who in _crossings(inst, lay.day, lay.vehicles, lay.visits):
        for _ in range(n_copies):
            node = len(lay.depots) + len(lay.visits) + len(lay.ferries)
            lay.ferries += [out_f, back_f]
            pairs.append((node, node + 1))
            allowed_veh[node] = allowed_veh[node + 1] = who
            bonus[node] = bonus[node + 1] = CROSSING_BONUS
    return pairs, allowed_veh, bonus


def _add_handins(
    inst: Instance, lay: DraftLayout, allowed_veh: dict[int, list[int]], scale: float
) -> None:
    """Append a hand-in node for each visit whose pickups are due at a place, by a time or
    within a ride (one per depot of the vehicles that may collect, when the place is the
    collecting vehicle's depot), with the vehicles allowed at each."""
    for j, v in enumerate(lay.visits):
        st = inst.station(v.unit.station)
        if v.pickup <= 0 or not st.hands_in_en_route:
            continue
        node = lay.first_visit + j
        able = allowed_veh[node]
        if st.pickup_to is not None:
            places = {st.pickup_to: able}
        else:
            places = {}
            for k in able:
                places.setdefault(lay.vehicles[k].depot, []).append(k)
        copies = []
        for place, ks in sorted(places.items()):
            copies.append(lay.first_handin + len(lay.handins))
            lay.handins.append(HandIn(v, place))
            allowed_veh[copies[-1]] = ks
        ride = None
        if st.cold:
            ride = math.floor((st.max_ride + inst.duration(st.service_minutes)) * scale)
        lay.groups.append((node, copies, ride))


def _day_model(
    inst: Instance,
    lay: DraftLayout,
    pairs: list[tuple[int, int]],
    allowed_veh: dict[int, list[int]],
    bonus: dict[int, int],
) -> DayModel:
    """The solver's model of a laid-out day, in solver units: ticks of a minute (a
    hundredth on planar networks) and :data:`COST_SCALE` cost units per yuan."""
    scale = 1.0 if inst.integral else 100.0
    ok, road_min, road_km = _road_arcs(inst, lay)
    classes = sorted({v.cost_per_km for v in lay.vehicles})
    starts = [lay.depots.index(v.depot) for v in lay.vehicles]
    return DayModel(
        time=_time_matrix(inst, lay, ok, road_min, scale),
        cost=_cost_matrices(lay, classes, ok, road_km),
        vehicle_cost_class=[classes.index(v.cost_per_km) for v in lay.vehicles],
        starts=starts,
        ends=starts,
        demand=np.array(
            [0] * len(lay.depots)
            + [v.load for v in lay.visits]
            + [0] * (len(lay.ferries) + len(lay.handins))
        ),
        capacity=[v.capacity for v in lay.vehicles],
        windows=_windows(inst, lay, scale),
        vehicle_start=_vehicle_starts(inst, lay, scale),
        vehicle_end=[round(v.shift[1] * scale) for v in lay.vehicles],
        fixed_cost=[round(v.cost_fixed * COST_SCALE) for v in lay.vehicles],
        span_cost=[round(v.cost_per_hour / 60 * COST_SCALE / scale) for v in lay.vehicles],
        horizon=int(inst.horizon * scale),
        allowed_times={
            lay.first_ferry + j: [round(x * scale) for x in f.departures.get(lay.day, ())]
            for j, f in enumerate(lay.ferries)
        },
        allowed_vehicles=allowed_veh,
        optional=list(range(lay.first_ferry, lay.first_handin)),
        pairs=pairs,
        bonus=bonus,
        seeds=lay.seeds,
        visits=list(range(lay.first_visit, lay.first_ferry)),
        handins=lay.groups,
        load_change=_load_changes(lay) if inst.collects else None,
        kept_to_end=_kept_to_end(lay) if inst.collects else None,
    )


def _load_changes(lay: DraftLayout) -> np.ndarray:
    """What each node does to the vehicle's load: a visit drops its deliveries and takes its
    pickups on board, a hand-in node puts its visit's pickups down (the rest of the
    model's load rule: a route starts with all it delivers)."""
    change = np.zeros(len(lay.loc), dtype=np.int64)
    for j, v in enumerate(lay.visits):
        change[lay.first_visit + j] = v.pickup - (v.load - v.pickup)
    for j, h in enumerate(lay.handins):
        change[lay.first_handin + j] = -h.visit.pickup
    return change


def _kept_to_end(lay: DraftLayout) -> np.ndarray:
    """Pickups each node leaves on board to the route's end (handed in at the depot)."""
    kept = np.zeros(len(lay.loc), dtype=np.int64)
    tied = {visit for visit, _, _ in lay.groups}
    for j, v in enumerate(lay.visits):
        if lay.first_visit + j not in tied:
            kept[lay.first_visit + j] = v.pickup
    return kept


def _road_arcs(inst: Instance, lay: DraftLayout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which arcs stay on one road network, and their road minutes and km: from where a
    vehicle is after a node (a ferry node leaves it at the far pier) to the next node."""
    t = inst.travel
    rows_idx = np.array([t.i(x) for x in lay.loc], dtype=np.int64)
    after = np.array(
        [t.i(x) for x in lay.depots + [v.unit.node for v in lay.visits]]
        + [t.i(f.to) for f in lay.ferries]
        + [t.i(h.node) for h in lay.handins],
        dtype=np.int64,
    )
    zone_after = t.zone[after]
    zone_before = t.zone[rows_idx]
    road_min = t.minutes[np.ix_(after, rows_idx)]
    road_km = t.km[np.ix_(after, rows_idx)]
    ok = (zone_after[:, None] == zone_before[None, :]) & np.isfinite(road_min)
    return ok, road_min, road_km


def _time_matrix(
    inst: Instance, lay: DraftLayout, ok: np.ndarray, road_min: np.ndarray, scale: float
) -> np.ndarray:
    """Solver ticks of each arc: the service or crossing at its tail plus the drive, each
    rounded as plan times are; :data:`BIG` where the arc leaves the road network."""
    n = len(lay.loc)
    service = np.zeros(n)
    for j, v in enumerate(lay.visits):
        service[lay.first_visit + j] = inst.station(v.unit.station).service_minutes
    crossing = np.zeros(n)
    for j, f in enumerate(lay.ferries):
        crossing[lay.first_ferry + j] = f.minutes
    service[lay.first_handin :] = HANDIN_MINUTES
    dur = np.vectorize(inst.duration, otypes=[float])
    tmat = dur(service)[:, None] + dur(crossing)[:, None] + dur(np.where(ok, road_min, 0.0))
    time_int = np.where(ok, np.ceil(tmat * scale - 1e-6), BIG).astype(np.int64)
    np.fill_diagonal(time_int, 0)
    return time_int


def _cost_matrices(
    lay: DraftLayout, classes: list[float], ok: np.ndarray, road_km: np.ndarray
) -> list[np.ndarray]:
    """One arc cost matrix per cost-per-km class: road km at that rate plus the vehicle
    fare of a ferry at the arc's tail; :data:`BIG` where the arc leaves the road network."""
    fare = np.zeros(len(lay.loc))
    for j, f in enumerate(lay.ferries):
        fare[lay.first_ferry + j] = f.fare_vehicle
    costs = []
    for cpk in classes:
        c = np.where(ok, np.rint((road_km * cpk + fare[:, None]) * COST_SCALE), BIG)
        np.fill_diagonal(c, 0)
        costs.append(c.astype(np.int64))
    return costs


def _windows(inst: Instance, lay: DraftLayout, scale: float) -> list[tuple[int, int]]:
    """Time windows in ticks: the whole horizon at depots and ferry nodes, opening hours
    at visits, up to the deadline (``pickup_by``) at hand-in nodes."""
    open_: list[tuple[float, float]] = [(0, inst.horizon * scale)] * len(lay.depots)
    for v in lay.visits:
        o = inst.station(v.unit.station).open
        open_.append((o[0] * scale, o[1] * scale))
    open_ += [(0, inst.horizon * scale)] * len(lay.ferries)
    for h in lay.handins:
        due = inst.station(h.visit.unit.station).pickup_by
        open_.append((0, (inst.horizon if due is None else due) * scale))
    return [(math.floor(a), math.ceil(b)) for a, b in open_]


def _vehicle_starts(inst: Instance, lay: DraftLayout, scale: float) -> list[tuple[int, int]]:
    """Each working vehicle's (earliest start, shift end) in ticks: it leaves once its
    parcels are at its depot."""
    accs = [inst.reach.access(v, lay.day) for v in lay.vehicles]
    return [
        (math.ceil(a.ready * scale), round(v.shift[1] * scale))
        for a, v in zip(accs, lay.vehicles, strict=True)
        if a is not None
    ]


def _enough_vehicles(
    inst: Instance, di: int, rows: list[int], visits: list[Visit], margin: float
) -> list[int]:
    keep: set[int] = set()
    for v in visits:
        able = [k for k in rows if inst.servable[k, di, v.unit.station]]
        if len(able) <= 2:
            keep.update(able)
    need = margin * sum(v.load for v in visits) + max((v.load for v in visits), default=0)
    have = sum(inst.vehicles[k].capacity for k in keep)
    by_depot: dict[str, list[int]] = {}
    for k in sorted(rows, key=lambda k: (-inst.vehicles[k].capacity, k)):
        if k not in keep:
            by_depot.setdefault(inst.vehicles[k].depot, []).append(k)
    queues = [by_depot[d] for d in sorted(by_depot)]
    while have < need and any(queues):
        for q in queues:
            if q and have < need:
                k = q.pop(0)
                keep.add(k)
                have += inst.vehicles[k].capacity
    return sorted(keep)


def _crossings(
    inst: Instance, day: str, vehicles: list[Vehicle], visits: list[Visit]
) -> list[tuple[Ferry, Ferry, int, list[int]]]:
    """Round trips by vehicle ferry worth boarding nodes today: (out, back, copies, who).

    A line out of a vehicle's side of the network is paired with a line back, so the
    solver inserts a crossing and its return together. A pair gets enough copies for
    the parcels beyond it plus one, at most one per vehicle that can make the trip.
    """
    t = inst.travel
    lines = [f for f in inst.net.ferries if f.vehicles and f.departures.get(day)]
    loads = _zone_loads(inst, visits)
    links = _zone_links(inst, lines)
    accs = [inst.reach.access(v, day) for v in vehicles]
    out = []
    for f in lines:
        za, zb = t.zone_of(f.from_), t.zone_of(f.to)
        backs = [g for g in lines if t.zone_of(g.from_) == zb and t.zone_of(g.to) == za]
        if not backs:
            continue
        g = min(backs, key=lambda g: (g.from_ != f.to, g.to != f.from_, g.id))
        home_side = _side(links, loads, za, zb)[1]
        load = _side(links, loads, zb, za)[0]
        if load <= 0:
            continue
        ks = _able_to_cross(inst, day, vehicles, accs, (f, g), home_side)
        if not ks:
            continue
        cap = max(vehicles[k].capacity for k in ks)
        out.append((f, g, min(len(ks), math.ceil(load / cap) + 1), ks))
    return out


def _zone_loads(inst: Instance, visits: list[Visit]) -> dict[int, int]:
    """Parcels to deliver in each road zone (every visit counts at least one)."""
    t = inst.travel
    load_by_zone: dict[int, int] = {}
    for v in visits:
        z = t.zone_of(v.unit.node)
        load_by_zone[z] = load_by_zone.get(z, 0) + max(1, v.load)
    return load_by_zone


def _zone_links(inst: Instance, lines: list[Ferry]) -> dict[int, set[int]]:
    """The road zones each zone is joined to by the day's vehicle ferry ``lines``."""
    t = inst.travel
    links: dict[int, set[int]] = {}
    for f in lines:
        a, b = t.zone_of(f.from_), t.zone_of(f.to)
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    return links


def _side(
    links: dict[int, set[int]], loads: dict[int, int], start: int, blocked: int
) -> tuple[int, set[int]]:
    """The parcels and zones reached from ``start`` by ferry without passing ``blocked``:
    one side of the crossing between them."""
    seen, queue = {start, blocked}, deque([start])
    total = 0
    while queue:
        z = queue.popleft()
        total += loads.get(z, 0)
        for y in links.get(z, ()):
            if y not in seen:
                seen.add(y)
                queue.append(y)
    return total, seen - {blocked}


def _able_to_cross(
    inst: Instance,
    day: str,
    vehicles: list[Vehicle],
    accs: list[Access | None],
    trip: tuple[Ferry, Ferry],
    home_side: set[int],
) -> list[int]:
    """The vehicles based on ``home_side`` that can catch the ``trip``'s out line on
    ``day`` and still get home after taking its back line."""
    t = inst.travel
    f, g = trip
    return [
        k
        for k, (v, acc) in enumerate(zip(vehicles, accs, strict=True))
        if acc is not None
        and acc.reached
        and acc.home_by
        and t.zone_of(v.depot) in home_side
        and acc.reached.get(f.from_, np.inf) <= max(f.departures[day])
        and f.to in acc.home_by
        and g.from_ in acc.home_by
    ]


def _island_trips(
    inst: Instance,
    lay: DraftLayout,
    pairs: list[tuple[int, int]],
    who: dict[int, list[int]],
    fill: float,
) -> list[list[int]]:
    """Starting chains: each crossing copy takes a vehicle of its own over with a
    capacity's worth of the visits just beyond it (nearest first), and back, within
    ``fill`` of the time between the boats."""
    t = inst.travel
    seeds: list[list[int]] = [[] for _ in lay.vehicles]
    todo: dict[int, list[int]] = {}
    tied = {visit for visit, _, _ in lay.groups}  # their hand-ins come with them
    for j, v in enumerate(lay.visits):
        if lay.first_visit + j not in tied:
            todo.setdefault(t.zone_of(v.unit.node), []).append(lay.first_visit + j)
    for out, back in pairs:
        f = lay.ferries[out - lay.first_ferry]
        g = lay.ferries[back - lay.first_ferry]
        nodes = todo.get(t.zone_of(f.to), [])
        free = [k for k in who.get(out, []) if not seeds[k]]
        if not nodes or not free:
            continue
        k = max(free, key=lambda k: lay.vehicles[k].capacity)
        nodes = [n for n in nodes if k in who.get(n, [])]
        room = lay.vehicles[k].capacity
        span = max(g.departures.get(lay.day, (0,))) - min(f.departures.get(lay.day, (0,)))
        budget = fill * (span - f.minutes)
        here, chain = f.to, []
        while nodes:
            nxt = min(nodes, key=lambda n: t.road_minutes(here, lay.loc[n]))
            visit = lay.visits[nxt - lay.first_visit]
            step = (
                t.road_minutes(here, lay.loc[nxt])
                + inst.station(visit.unit.station).service_minutes
            )
            if visit.load > room or step > budget:
                break
            chain.append(nxt)
            nodes.remove(nxt)
            todo[t.zone_of(f.to)].remove(nxt)
            room -= visit.load
            budget -= step
            here = lay.loc[nxt]
        if chain:
            seeds[k] = [out, *chain, back]
    return seeds


def route_events(lay: DayLayout, routes: list[list[int]]) -> list[tuple[Vehicle, list[Event]]]:
    """Each used vehicle with its visits, crossings and hand-ins in order."""
    out = []
    for k, seq in enumerate(routes):
        if seq:
            out.append((lay.vehicles[k], [lay.event(node) for node in seq]))
    return out


def events_to_nodes(lay: DayLayout, events: list[list[Event]]) -> list[list[int]]:
    """Solver node sequences for given per-vehicle events (a warm start).

    Visits a vehicle may not serve in this layout, or that overfill it, are left out
    (the solver inserts them again); crossings are matched to free (out, back) pairs of
    the same lines, and a route whose crossings cannot be matched starts empty. A visit
    keeps its hand-in where the events have it, else hands in straight after.
    """
    allowed = lay.model.allowed_vehicles
    by_unit = {
        (v.unit.station, v.unit.carriers): lay.first_visit + j for j, v in enumerate(lay.visits)
    }
    copies = {visit: places for visit, places, _ in lay.groups}
    free: dict[str, list[tuple[int, int]]] = {}
    for out_node, back_node in lay.model.pairs:
        free.setdefault(lay.ferries[out_node - lay.first_ferry].id, []).append(
            (out_node, back_node)
        )
    back_line = {
        out_node: lay.ferries[back_node - lay.first_ferry].id
        for out_node, back_node in lay.model.pairs
    }
    out: list[list[int]] = []
    for k, seq in enumerate(events):
        nodes: list[int] = []
        stack: list[tuple[int, int]] = []
        ok = True
        for ev in seq:
            if isinstance(ev, HandIn):
                node = by_unit.get((ev.visit.unit.station, ev.visit.unit.carriers))
                place = (
                    None if node is None else _handin_copy(lay, k, copies.get(node, []), ev.node)
                )
                if node in nodes and place is not None and place not in nodes:
                    nodes.append(place)
            elif isinstance(ev, Visit):
                node = by_unit.get((ev.unit.station, ev.unit.carriers))
                if node is not None and k in allowed.get(node, [k]):
                    nodes.append(node)
            elif stack and back_line[stack[-1][0]] == ev.id:
                nodes.append(stack.pop()[1])
            elif free.get(ev.id) and k in allowed.get(free[ev.id][0][0], [k]):
                pair = free[ev.id].pop(0)
                stack.append(pair)
                nodes.append(pair[0])
            else:
                ok = False
                break
        if not ok or stack:
            out.append([])
            continue
        out.append(_within_capacity(lay, k, _handins_after(lay, k, nodes, copies)))
    return out


def _handin_copy(lay: DayLayout, k: int, places: list[int], node: str | None) -> int | None:
    """The hand-in node among ``places`` that vehicle ``k`` may use (at ``node`` if given)."""
    allowed = lay.model.allowed_vehicles
    for p in places:
        if k in allowed.get(p, [k]) and (node is None or lay.loc[p] == node):
            return p
    return None


def _handins_after(
    lay: DayLayout, k: int, nodes: list[int], copies: dict[int, list[int]]
) -> list[int]:
    """``nodes`` with a hand-in straight after each tied visit that has none yet (a route
    whose vehicle may hand a visit in nowhere drops the visit: the solver places it)."""
    out: list[int] = []
    placed = set(nodes)
    for x in nodes:
        places = copies.get(x)
        if not places or any(p in placed for p in places):
            out.append(x)
            continue
        p = _handin_copy(lay, k, places, None)
        if p is not None:
            out += [x, p]
    return out


def _within_capacity(lay: DayLayout, k: int, nodes: list[int]) -> list[int]:
    """A route over its vehicle's capacity sheds its last visits (with their hand-ins: the
    solver takes them in again elsewhere), so that it can still seed a search."""
    demand, cap = lay.model.demand, lay.model.capacity[k]
    load = int(sum(demand[x] for x in nodes))
    kept = list(nodes)
    places = {visit: set(ps) for visit, ps, _ in lay.groups}
    for x in reversed(nodes):
        if load <= cap:
            break
        if lay.first_visit <= x < lay.first_ferry:
            kept = [y for y in kept if y != x and y not in places.get(x, ())]
            load -= int(demand[x])
    return kept
