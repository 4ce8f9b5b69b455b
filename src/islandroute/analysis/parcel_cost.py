"""The cost of a parcel, per island and per village (二次收费): what a week of routes,
boats, fares and stations costs for each parcel it hands over.

The rule, route by route (every route's cost is allocated whole, so the table sums back
to the plan's cost plus the station costs):

- the boat fares of parcels sent to an island depot (``route.parcel_fares``) go to the
  stops that receive those parcels, by parcels delivered;
- the vehicle ferry fares (``route.ferry_fares``) go to the stops on islands the route's
  depot has no road to (by parcels handed over there), else to every stop;
- the rest (fixed, km and hours) goes to every stop by parcels handed over (delivered and
  collected); a route that hands over nothing splits its cost evenly over its stops,
  and one with no stop at all is listed under its depot as ``UNALLOCATED``;
- a station's weekly cost goes to the villages it serves by their parcels, and so does
  a shared station's route cost (``members``: site -> {village: parcels}).

Any plan can be costed (joint, separate, co-sited, or a drone plan when one exists):
:func:`parcel_cost_table` takes the plan, :func:`compare_parcel_costs` puts named tables
side by side per island. pandas is imported inside the functions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from islandroute.model.graph import road_zones
from islandroute.model.network import Network
from islandroute.model.plan import Plan, Route, Stop

#: Cost per parcel (CNY) above which an island is flagged: about what a villager is asked
#: for a second delivery (二次收费, commonly 1 to 3 CNY a parcel; estimated, see
#: docs/siting.md). A CLI option overrides it.
THRESHOLD_DEFAULT = 3.0
#: The row of a route's cost that no stop could take (a route with no stop at all).
UNALLOCATED = "(unallocated)"
MONEY_DECIMALS = 4
#: Columns of the per-village table, in order.
VILLAGE_COLUMNS = (
    "island",
    "village",
    "name",
    "site",
    "parcels",
    "route_cost",
    "station_cost",
    "cost",
    "cost_per_parcel",
    "above",
)

Members = Mapping[str, Mapping[str, float]]


def _handled(stop: Stop) -> int:
    """Parcels a stop hands over: delivered and collected."""
    return sum(stop.deliver.values()) + sum(stop.pickup.values())


def _split(total: float, weights: Mapping[str, float], out: dict[str, float]) -> bool:
    """Add ``total`` to ``out`` in proportion to ``weights``; False when they sum to 0."""
    whole = sum(weights.values())
    if whole <= 0:
        return False
    for k, w in weights.items():
        out[k] += total * w / whole
    return True


def route_shares(
    net: Network, route: Route, zones: Mapping[str, int] | None = None
) -> dict[str, float]:
    """A route's cost split over the nodes of its stops by the module's rule (the shares
    sum to ``route.cost``); ``{UNALLOCATED: cost}`` for a route without stops."""
    zones = zones if zones is not None else road_zones(net)
    stops = list(route.stops[1:-1]) or [s for s in route.stops if _handled(s)]
    out: dict[str, float] = defaultdict(float)
    if not stops:
        return {UNALLOCATED: route.cost}
    handled: dict[str, float] = defaultdict(float)
    delivered: dict[str, float] = defaultdict(float)
    for s in stops:
        handled[s.node] += _handled(s)
        delivered[s.node] += sum(s.deliver.values())
    even = {s.node: 1.0 for s in stops}
    basis = handled if sum(handled.values()) > 0 else even
    boat = route.parcel_fares
    if not _split(boat, delivered, out):
        _split(boat, basis, out)
    home = (
        zones.get(net.vehicle_by_id[route.vehicle].depot)
        if route.vehicle in net.vehicle_by_id
        else None
    )
    away = {k: w for k, w in basis.items() if zones.get(k) != home}
    if not _split(route.ferry_fares, away, out):
        _split(route.ferry_fares, basis, out)
    _split(route.cost - route.ferry_fares - boat, basis, out)
    return dict(out)


def station_route_costs(net: Network, plan: Plan) -> tuple[dict[str, float], dict[str, int]]:
    """Each stop node's share of the week's route cost and the parcels handed over there."""
    zones = road_zones(net)
    cost: dict[str, float] = defaultdict(float)
    parcels: dict[str, int] = defaultdict(int)
    for r in plan.routes:
        for node, c in route_shares(net, r, zones).items():
            cost[node] += c
        for s in r.stops:
            parcels[s.node] += _handled(s)
    return dict(cost), dict(parcels)


def parcel_cost_rows(
    net: Network,
    plan: Plan,
    *,
    station_costs: Mapping[str, float] | None = None,
    members: Members | None = None,
    threshold: float = THRESHOLD_DEFAULT,
) -> list[dict[str, Any]]:
    """One row per village (or park) and its cost per parcel; see :func:`parcel_cost_table`."""
    cost, parcels = station_route_costs(net, plan)
    station_costs = station_costs or {}
    members = members or {}
    sites = set(cost) | {s.node for s in net.stations} | set(station_costs)
    rows: list[dict[str, Any]] = []
    for site in sorted(sites):
        route_cost = cost.get(site, 0.0)
        handled = parcels.get(site, 0)
        idle = route_cost == 0 and station_costs.get(site, 0.0) == 0
        if idle and site != UNALLOCATED and site not in net.station_by_node:
            continue  # a depot or centre stop that took no cost (hand-ins only)
        share = dict(members.get(site) or {site: 1.0})
        whole = sum(share.values())
        fee = station_costs.get(site, 0.0)
        for village, w in share.items():
            part = w / whole if whole > 0 else 1 / len(share)
            row = _row(net, village, site, handled * part, route_cost * part, fee * part)
            rows.append({**row, "above": bool(row["cost_per_parcel"] > threshold)})
    return rows


def _row(
    net: Network,
    village: str,
    site: str,
    parcels: float,
    route_cost: float,
    station_cost: float,
) -> dict[str, Any]:
    """One village's row: its island, parcels and the costs they carry."""
    node = net.node_by_id.get(village) or net.node_by_id.get(site)
    total = route_cost + station_cost
    per = total / parcels if parcels > 0 else math.nan
    return {
        "island": node.island if node else UNALLOCATED,
        "village": village,
        "name": node.name if node else "",
        "site": site,
        "parcels": round(parcels, MONEY_DECIMALS),
        "route_cost": round(route_cost, MONEY_DECIMALS),
        "station_cost": round(station_cost, MONEY_DECIMALS),
        "cost": round(total, MONEY_DECIMALS),
        "cost_per_parcel": round(per, MONEY_DECIMALS) if parcels > 0 else math.nan,
    }


def parcel_cost_table(
    net: Network,
    plan: Plan,
    *,
    station_costs: Mapping[str, float] | None = None,
    members: Members | None = None,
    threshold: float = THRESHOLD_DEFAULT,
) -> Any:
    """Per village: island, parcels handed over, route and station cost, cost per parcel,
    and whether it is ``above`` the threshold (a pandas DataFrame).

    ``station_costs`` gives a stop node's weekly station cost; ``members`` maps a shared
    station to the villages it serves and their parcels (a co-sited network). The
    ``cost`` column sums to ``plan.totals.cost`` plus the station costs.
    """
    import pandas as pd

    rows = parcel_cost_rows(
        net, plan, station_costs=station_costs, members=members, threshold=threshold
    )
    return pd.DataFrame(rows, columns=list(VILLAGE_COLUMNS))


def island_table(table: Any, threshold: float = THRESHOLD_DEFAULT) -> Any:
    """Per island of a village table: parcels, cost, cost per parcel and ``above``,
    dearest first."""
    by = table.groupby("island", sort=True)[["parcels", "route_cost", "station_cost", "cost"]]
    out = by.sum().reset_index()
    out["cost_per_parcel"] = (out["cost"] / out["parcels"].where(out["parcels"] > 0)).round(2)
    out["above"] = out["cost_per_parcel"] > threshold
    return out.sort_values(["cost_per_parcel", "island"], ascending=[False, True]).reset_index(
        drop=True
    )


def island_values(table: Any) -> dict[str, float]:
    """``{island: cost per parcel}`` of a village table: the value a map colours each
    island by (GeoJSON-ready: put it in the island feature's properties)."""
    isl = island_table(table)
    return {
        str(r.island): float(r.cost_per_parcel)
        for r in isl.itertuples()
        if not math.isnan(r.cost_per_parcel)
    }


def compare_parcel_costs(tables: Mapping[str, Any], threshold: float = THRESHOLD_DEFAULT) -> Any:
    """Named village tables (``{"joint": ..., "separate": ..., "co-sited": ...}``, later
    ``"drones"``) side by side per island: parcels, then each one's cost per parcel and
    whether it is above the threshold; dearest (first table) first."""
    import pandas as pd

    merged: Any = None
    for label, table in tables.items():
        isl = island_table(table, threshold)[["island", "parcels", "cost_per_parcel", "above"]]
        isl = isl.rename(
            columns={
                "parcels": f"parcels {label}",
                "cost_per_parcel": f"cost/parcel {label}",
                "above": f"above {label}",
            }
        )
        merged = isl if merged is None else merged.merge(isl, on="island", how="outer")
    if merged is None:
        return pd.DataFrame(columns=["island"])
    first = f"cost/parcel {next(iter(tables))}"
    return merged.sort_values([first, "island"], ascending=[False, True]).reset_index(drop=True)
