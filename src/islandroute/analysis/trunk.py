"""The trunk of the "1+1+N" layout: parcels the processing centre sends to each county
complex on the days the week's routes need them, and the collections that come back.

Each vehicle's depot belongs to one complex: as the network's ``layout`` says (carrier
depots and town sorting points of each complex, in the built-in Zhoushan network), else
the nearest hub whose role is ``county_complex``. A trunk run is needed on a day when
the complex's routes deliver or collect anything that day.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from islandroute.model.network import Network
from islandroute.model.plan import Plan

COUNTY_COMPLEX = "county_complex"


@dataclass(frozen=True)
class TrunkRun:
    """One day's trunk between the processing centre and one county complex."""

    complex: str
    day: str
    out: int  # parcels the complex's routes deliver that day (sent down the trunk)
    back: int  # parcels they collect that day (sent back up the trunk)
    vehicles: int  # vehicles of the complex on the road that day


def complex_of_depots(net: Network) -> dict[str, str]:
    """Each vehicle depot's county complex (empty when the network has none)."""
    found = _from_layout(net)
    hubs = [n for n in net.nodes if n.kind == "hub" and n.role == COUNTY_COMPLEX]
    for vehicle in net.vehicles:
        if vehicle.depot in found or not hubs:
            continue
        depot = net.node_by_id[vehicle.depot]
        nearest = min(hubs, key=lambda h: (math.dist((h.lon, h.lat), (depot.lon, depot.lat)), h.id))
        found[vehicle.depot] = nearest.id
    return found


def _from_layout(net: Network) -> dict[str, str]:
    """Depots and town points of each complex as the network's ``layout`` lists them."""
    layout: Any = (net.model_extra or {}).get("layout")
    if not isinstance(layout, dict):
        return {}
    found: dict[str, str] = {}
    for cc in layout.get("county_complexes", []):
        for depot in cc.get("carrier_depots", []):
            found[depot] = cc["id"]
        for town in cc.get("towns", []):
            found[town] = cc["id"]
    return found


def trunk_runs(net: Network, plan: Plan) -> list[TrunkRun]:
    """The trunk runs the plan needs: one per complex and day with routes, in the
    network's day order."""
    owner = complex_of_depots(net)
    depot_of = {v.id: v.depot for v in net.vehicles}
    out: dict[tuple[str, str], int] = defaultdict(int)
    back: dict[tuple[str, str], int] = defaultdict(int)
    vehicles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for route in plan.routes:
        cc = owner.get(depot_of.get(route.vehicle, ""))
        if cc is None:
            continue
        key = (cc, route.day)
        out[key] += route.parcels
        back[key] += sum(sum(s.pickup.values()) for s in route.stops)
        vehicles[key].add(route.vehicle)
    order = {d: i for i, d in enumerate(net.days)}
    keys = sorted(vehicles, key=lambda k: (k[0], order.get(k[1], len(order))))
    return [TrunkRun(k[0], k[1], out[k], back[k], len(vehicles[k])) for k in keys]


def trunk_table(net: Network, plan: Plan) -> list[dict[str, Any]]:
    """One row per county complex: parcels down and up the trunk per day, and the days
    a run is needed."""
    rows: dict[str, dict[str, Any]] = {}
    for run in trunk_runs(net, plan):
        row = rows.setdefault(run.complex, {"complex": run.complex, "runs": 0, "parcels": 0})
        row[run.day] = f"{run.out}/{run.back}"
        row["runs"] += 1
        row["parcels"] += run.out + run.back
    return list(rows.values())
