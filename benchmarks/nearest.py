"""Greedy baseline: a plain hand planner that rides ferries, joint or separate.

Every station takes Mon/Wed/Fri where allowed (else its first allowed pattern). Each
day, each vehicle (largest first) leaves its depot when its parcels are ready and
repeatedly goes to the nearest visit (earliest arrival) it can still serve: by road, or
across a vehicle ferry at a timetabled departure, reached before the station closes,
within capacity, and with a way back (by road or by a ferry home) to its depot before
the shift ends. Stations on a passenger-only island are served by the vehicles based
there, from their depot. ``joint``: every vehicle carries every carrier; ``separate``:
each carrier's vehicles carry only its own parcels (shared vehicles stay home, as in
the planner).

It is built on the planner's own components: the travel tables and timetable look-ups
(``Travel.next_departure``, ``prev_departure``), vehicle reach (``Reach.access``: when a
vehicle can leave), the instance's visit units and parcel splits, and the route timer
``build_route``, so its routes are costed and validated exactly like the planner's.

Nothing is left out silently: a (station, carrier) the reach diagnosis rules out, or
with a visit no vehicle could take, is taken out of every route and declared in
``plan.unserved`` with its rule (``reach``, ``open``, ``min_visits``, ``demand`` or
``route``); the plan stays valid and ``plan.stats["unserved"]`` counts the visits the
routes could not take.
"""

from __future__ import annotations

from typing import Any, Literal

from islandroute.errors import InfeasibleError, Problem
from islandroute.model.network import Network, Vehicle
from islandroute.model.plan import Plan, Route, Unserved
from islandroute.network.reach import Reach, diagnose
from islandroute.network.travel import Travel
from islandroute.planning.costing import plan_of_routes
from islandroute.planning.greedy import GreedyWeek
from islandroute.planning.instance import Instance, Pair, Pattern
from islandroute.planning.patterns import fixed_patterns
from islandroute.planning.planner import problem_pairs

FIXED: Pattern = ("mon", "wed", "fri")
Mode = Literal["joint", "separate"]
ROUTE_RULE = "route"  # a visit no greedy route could take


def road_subnetwork(net: Network, travel: Travel | None = None) -> Network:
    """``net`` with only the stations a road joins to a depot of some vehicle."""
    travel = travel or Travel(net)
    zones = {travel.zone_of(v.depot) for v in net.vehicles}
    keep = [s for s in net.stations if travel.zone_of(s.node) in zones]
    return net.replace(name=f"{net.name}-road", stations=[s.model_dump() for s in keep])


def nearest_neighbour_plan(net: Network, pattern: Pattern = FIXED, mode: Mode = "joint") -> Plan:
    """The greedy baseline (see :func:`greedy_plan`); joint unless told otherwise."""
    return greedy_plan(net, mode, pattern=pattern)


def greedy_plan(
    net: Network,
    mode: Mode = "joint",
    *,
    pattern: Pattern = FIXED,
    reach: Reach | None = None,
) -> Plan:
    """The greedy week of ``net`` in ``mode``: valid whenever it serves everything, and
    every (station, carrier) it cannot serve declared in ``plan.unserved``."""
    reach = reach or Reach(net)
    carriers = tuple(net.carrier_ids)
    groups: list[tuple[tuple[str, ...], list[Vehicle]]]
    if mode == "joint":
        groups = [(carriers, list(net.vehicles))]
    else:
        groups = [((c,), [v for v in net.vehicles if v.carrier == c]) for c in carriers]
    routes: list[Route] = []
    unserved: list[Unserved] = []
    visit_days: dict[str, tuple[str, ...]] = {}
    left_visits = 0
    for cs, fleet in groups:
        ruled_out = _diagnosed(net, reach, mode, cs)
        inst = _instance(net, reach, cs, fleet, mode, ruled_out)
        unserved += [_declare(net, pair, rule, why) for pair, (rule, why) in ruled_out.items()]
        if inst is None:
            continue
        week = GreedyWeek(inst, fixed_patterns(inst, pattern))
        week.run()
        left_visits += len(week.left)
        failed = week.failed_pairs()
        unserved += [_declare(net, pair, ROUTE_RULE, why) for pair, why in failed.items()]
        routes += week.routes(set(failed))
        visit_days.update(week.visit_days(set(failed)))
    order = {d: i for i, d in enumerate(net.days)}
    routes.sort(key=lambda r: (order[r.day], r.vehicle))
    stats: dict[str, Any] = {
        "baseline": "greedy",
        "pattern": list(pattern),
        "unserved": left_visits,
        "unserved_pairs": len(unserved),
        "unserved_stations": sorted({u.station for u in unserved}),
    }
    return plan_of_routes(net, mode, routes, visit_days, stats, unserved)


# ---- what cannot be served at all --------------------------------------------------------


def _diagnosed(
    net: Network, reach: Reach, mode: str, carriers: tuple[str, ...]
) -> dict[Pair, tuple[str, str]]:
    """(station, carrier) pairs the reach diagnosis rules out: (rule, why) each."""
    return _pairs(net, diagnose(net, reach, mode, list(carriers)), carriers)


def _pairs(
    net: Network, problems: list[Problem], carriers: tuple[str, ...]
) -> dict[Pair, tuple[str, str]]:
    """The pairs each station problem names, with (rule, why): the planner's reading."""
    out: dict[Pair, tuple[str, str]] = {}
    for pair, p in problem_pairs(net, problems, list(carriers)):
        out.setdefault(pair, (p.field.split(".")[0], p.message))
    return out


def _instance(
    net: Network,
    reach: Reach,
    carriers: tuple[str, ...],
    fleet: list[Vehicle],
    mode: str,
    ruled_out: dict[Pair, tuple[str, str]],
) -> Instance | None:
    """The planner's instance without the ruled-out pairs (more added to ``ruled_out``
    if the instance itself finds stations with no pattern); None when nothing is left."""
    for _ in range(2):
        try:
            inst = Instance(net, reach, carriers, fleet, mode, left_out=frozenset(ruled_out))
        except InfeasibleError as exc:
            more = _pairs(net, exc.problems, carriers)
            if not set(more) - set(ruled_out):
                raise
            for pair, why in more.items():
                ruled_out.setdefault(pair, why)
            continue
        return inst if inst.stations else None
    raise RuntimeError("the greedy baseline could not settle which stations to leave out")


def _declare(net: Network, pair: Pair, rule: str, why: str) -> Unserved:
    node, carrier = pair
    parcels = net.station_by_node[node].demand.get(carrier, 0)
    return Unserved(station=node, carrier=carrier, parcels=parcels, rule=rule, message=why)


# ---- the greedy week -----------------------------------------------------------------------
