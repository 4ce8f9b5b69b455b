"""Nearest-neighbour baseline: greedy routes over road-connected stations, Mon/Wed/Fri.

Built on the planner's own components (travel matrices, vehicle reach, the instance's
visit units and parcel splits, and the route timer ``build_route``) so that its routes
are costed and validated exactly like the planner's. It drives roads only: stations
that need a ferry are left out (see :func:`road_subnetwork`).
"""

from __future__ import annotations

import math
from typing import Any

from islandroute.model.network import Network
from islandroute.model.plan import Plan, Route
from islandroute.network.reach import Reach
from islandroute.network.travel import Travel
from islandroute.planning.costing import breakdown, kpis
from islandroute.planning.day import Visit
from islandroute.planning.instance import Instance, Pattern
from islandroute.planning.patterns import fixed_patterns
from islandroute.planning.schedule import build_route

FIXED: Pattern = ("mon", "wed", "fri")


def road_subnetwork(net: Network, travel: Travel | None = None) -> Network:
    """``net`` with only the stations a road joins to a depot of some vehicle."""
    travel = travel or Travel(net)
    zones = {travel.zone_of(v.depot) for v in net.vehicles}
    keep = [s for s in net.stations if travel.zone_of(s.node) in zones]
    return net.replace(name=f"{net.name}-road", stations=[s.model_dump() for s in keep])


def nearest_neighbour_plan(net: Network, pattern: Pattern = FIXED) -> Plan:
    """Joint nearest-neighbour plan: every vehicle pools all carriers.

    Each day, vehicles (largest first) leave their depot when their parcels are ready and
    repeatedly drive to the nearest unserved visit they can still serve: reached before it
    closes, within capacity, and back at the depot before the shift ends. Visits no
    vehicle can take are counted in ``stats["unserved"]`` (they make the plan invalid).
    """
    reach = Reach(net)
    inst = Instance(net, reach, net.carrier_ids, list(net.vehicles), "joint")
    assignment = fixed_patterns(inst, pattern)
    t = reach.travel
    routes: list[Route] = []
    unserved = 0
    for day in inst.days:
        todo: list[Visit] = [
            Visit(u, inst.load(u, assignment[si], day))
            for si in inst.stations
            if day in assignment[si]
            for u in inst.units[si]
        ]
        fleet = sorted(
            (v for v in inst.vehicles if reach.access(v, day) is not None),
            key=lambda v: -v.capacity,
        )
        for v in fleet:
            if not todo:
                break
            acc = reach.access(v, day)
            assert acc is not None
            now = inst.duration(acc.ready) if inst.integral else acc.ready
            here, load, events = v.depot, 0, []
            while True:
                best: tuple[float, int] | None = None
                for k, vis in enumerate(todo):
                    if load + vis.load > v.capacity:
                        continue
                    st = inst.station(vis.unit.station)
                    raw, home = t.road_minutes(here, st.node), t.road_minutes(st.node, v.depot)
                    if not (math.isfinite(raw) and math.isfinite(home)):
                        continue  # no road there (or back): another vehicle's zone
                    drive = inst.duration(raw)
                    arrive = now + drive
                    if arrive > st.open[1]:
                        continue
                    done = max(arrive, st.open[0]) + inst.duration(st.service_minutes)
                    back = inst.duration(home)
                    if done + back > v.shift[1]:
                        continue
                    if best is None or drive < best[0]:
                        best = (drive, k)
                if best is None:
                    break
                vis = todo.pop(best[1])
                st = inst.station(vis.unit.station)
                arrive = now + inst.duration(t.road_minutes(here, st.node))
                now = max(arrive, st.open[0]) + inst.duration(st.service_minutes)
                here, load = st.node, load + vis.load
                events.append(vis)
            if events:
                routes.append(build_route(inst, v, day, events, assignment))
        unserved += len(todo)
    order = {d: i for i, d in enumerate(net.days)}
    routes.sort(key=lambda r: (order[r.day], r.vehicle))
    stats: dict[str, Any] = {"baseline": "nearest-neighbour", "unserved": unserved}
    return Plan(
        network=net.name,
        mode="joint",
        days=net.days,
        routes=tuple(routes),
        totals=kpis(net, routes),
        by_carrier=breakdown(net, routes, "carrier"),
        by_island=breakdown(net, routes, "island"),
        visit_days={net.stations[si].node: assignment[si] for si in inst.stations},
        stats=stats,
    )
