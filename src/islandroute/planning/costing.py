"""KPIs of a set of routes: overall, per carrier and per island.

A joint route's cost, km and CO2 are shared among carriers (and islands) in proportion
to the parcels it hands over to each, so per-carrier figures add up to the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from islandroute.model.network import Network
from islandroute.model.plan import Kpis, Mode, Plan, Route, Unserved


def plan_of_routes(
    net: Network,
    mode: Mode,
    routes: Iterable[Route],
    visit_days: Mapping[str, tuple[str, ...]],
    stats: dict[str, Any],
    unserved: Iterable[Unserved] = (),
) -> Plan:
    """A plan of routes in day and vehicle order, with its KPIs overall, per carrier and
    per island; the unserved sorted by station and carrier."""
    order = {d: i for i, d in enumerate(net.days)}
    ordered = sorted(routes, key=lambda r: (order.get(r.day, len(order)), r.vehicle))
    return Plan(
        network=net.name,
        mode=mode,
        days=net.days,
        routes=tuple(ordered),
        totals=kpis(net, ordered),
        by_carrier=breakdown(net, ordered, "carrier"),
        by_island=breakdown(net, ordered, "island"),
        visit_days=dict(visit_days),
        stats=stats,
        unserved=tuple(sorted(unserved, key=lambda u: (u.station, u.carrier))),
    )


def kpis(net: Network, routes: list[Route]) -> Kpis:
    """Totals of a list of routes."""
    km = sum(r.km for r in routes)
    ekm = sum(r.km for r in routes if net.vehicle_by_id[r.vehicle].electric)
    return Kpis(
        cost=round(sum(r.cost for r in routes), 4),
        km=round(km, 4),
        vehicle_days=len(routes),
        vehicles=len({r.vehicle for r in routes}),
        driver_hours=round(sum(r.minutes for r in routes) / 60, 4),
        ferry_crossings=sum(r.ferry_crossings for r in routes),
        ferry_fares=round(sum(r.ferry_fares for r in routes), 4),
        parcel_fares=round(sum(r.parcel_fares for r in routes), 4),
        co2_kg=round(sum(r.co2_kg for r in routes), 4),
        electric_km_share=round(ekm / km, 6) if km > 0 else 0.0,
        parcels=sum(r.parcels for r in routes),
        visits=sum(len(r.stops) - 2 for r in routes),
    )


def breakdown(net: Network, routes: list[Route], key: str) -> dict[str, Kpis]:
    """KPIs per carrier (``key="carrier"``) or per island (``key="island"``), each route's
    cost, km, hours, fares and CO2 shared by its parcels."""
    acc: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    vehicles: dict[str, set[str]] = defaultdict(set)
    for r in routes:
        parts, visits = _route_parts(net, r, key)
        total = sum(parts.values())
        if total == 0:
            continue
        electric = net.vehicle_by_id[r.vehicle].electric
        for k, q in parts.items():
            _add_share(acc[k], r, q / total, electric)
            acc[k]["parcels"] += q
            vehicles[k].add(r.vehicle)
        for k, n in visits.items():
            acc[k]["visits"] += n
    return {k: _shared_kpis(acc[k], len(vehicles[k])) for k in sorted(acc)}


def _route_parts(net: Network, r: Route, key: str) -> tuple[dict[str, int], dict[str, int]]:
    """The parcels a route hands over to each carrier (or island, with pickups) and the
    visits it makes for each."""
    parts: dict[str, int] = defaultdict(int)
    visits: dict[str, int] = defaultdict(int)
    for s in r.stops[1:-1]:
        if key == "carrier":
            for c, q in s.deliver.items():
                parts[c] += q
            for c in r.carriers:
                visits[c] += 1
        else:
            isl = net.node_by_id[s.node].island
            parts[isl] += sum(s.deliver.values()) + sum(s.pickup.values())
            visits[isl] += 1
    return parts, visits


def _add_share(a: dict[str, float], r: Route, share: float, electric: bool) -> None:
    """Add ``share`` of a route's cost, km, hours, fares and CO2 to the sums ``a``."""
    a["cost"] += r.cost * share
    a["km"] += r.km * share
    a["ekm"] += r.km * share if electric else 0.0
    a["vehicle_days"] += share
    a["driver_hours"] += r.minutes / 60 * share
    a["ferry_crossings"] += r.ferry_crossings * share
    a["ferry_fares"] += r.ferry_fares * share
    a["parcel_fares"] += r.parcel_fares * share
    a["co2_kg"] += r.co2_kg * share


def _shared_kpis(a: dict[str, float], vehicles: int) -> Kpis:
    """The KPIs of summed route shares, rounded as :func:`kpis` rounds totals."""
    return Kpis(
        cost=round(a["cost"], 4),
        km=round(a["km"], 4),
        vehicle_days=round(a["vehicle_days"]),
        vehicles=vehicles,
        driver_hours=round(a["driver_hours"], 4),
        ferry_crossings=round(a["ferry_crossings"]),
        ferry_fares=round(a["ferry_fares"], 4),
        parcel_fares=round(a["parcel_fares"], 4),
        co2_kg=round(a["co2_kg"], 4),
        electric_km_share=round(a["ekm"] / a["km"], 6) if a["km"] > 0 else 0.0,
        parcels=int(a["parcels"]),
        visits=int(a["visits"]),
    )
