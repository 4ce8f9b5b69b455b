"""Figures for notebooks and reports: one day's routes along the roads of the islands,
the joint and separate plans side by side, a station x day calendar, and each carrier's
stand-alone cost against its share of the joint cost.

matplotlib is imported inside the functions, so importing islandroute never needs it.
"""

from __future__ import annotations

from typing import Any

from islandroute.geojson import RoadPaths, route_parts
from islandroute.model.network import Network
from islandroute.model.plan import Plan, Route, Stop

__all__ = [
    "calendar_grid",
    "calendar_stations",
    "day_summary",
    "plot_allocation",
    "plot_calendar",
    "plot_joint_vs_separate",
    "plot_routes",
    "route_key",
]


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _fig, ax = plt.subplots(figsize=size)
    return ax


#: Colour, width and dash pattern of a route's ferry crossings.
FERRY_LEG_COLOR = "#2aa198"
FERRY_LEG_WIDTH = 0.9
FERRY_LEG_STYLE = "--"
#: Width of a route's road parts.
ROAD_LEG_WIDTH = 1.6
#: Colour map and its number of distinct colours for vehicles or carriers.
ROUTE_CMAP = "tab20"
ROUTE_COLORS = 20
#: More vehicles than this on a day and the legend names carriers, not vehicles.
MAX_VEHICLES_IN_LEGEND = 20
#: ``gid`` of the artists drawn for route parts, so figures can be inspected.
GID_ROAD = "route-road"
GID_FERRY = "route-ferry"
GID_ISLAND_LABEL = "island-label"
GID_TOWN_LABEL = "town-label"
#: Colour key of a vehicle that belongs to no carrier.
SHARED = "shared"
#: Colour of the stations x days heat-map.
CALENDAR_CMAP = "YlGnBu"
#: Sizes of the figures made when no axes are given.
MAP_SIZE = (9.0, 8.0)
CALENDAR_ROW_INCH = 0.22
PAIR_SIZE = (16.0, 7.5)


def plot_routes(
    net: Network,
    plan: Plan,
    day: str,
    ax: Any = None,
    *,
    legend: bool = True,
    by: str = "vehicle",
    labels: bool = False,
) -> Any:
    """Map of ``plan``'s routes on ``day`` along their roads, coloured by vehicle or carrier."""
    if by not in ("vehicle", "carrier"):
        raise ValueError(f"by must be 'vehicle' or 'carrier', not {by!r}")
    ax = _axes(ax, MAP_SIZE)
    pos = {n.id: (n.lon, n.lat) for n in net.nodes}
    _draw_islands(ax, net)
    _draw_ferry_lines(ax, net, pos)
    st = [pos[s.node] for s in net.stations]
    if st:
        ax.scatter(*zip(*st, strict=True), s=6, color="#888888", zorder=2, label="stations")
    routes = plan.routes_on(day)
    keys = _route_keys(net, routes, _effective_by(routes, by))
    colors = _key_colors(keys)
    _draw_routes(ax, net, routes, keys, colors)
    _draw_hubs_and_depots(ax, net, pos)
    _draw_island_labels(ax, net)
    if labels:
        _draw_town_labels(ax, net)
    if legend:
        _draw_legend(ax, colors, _effective_by(routes, by))
    ax.set_title(
        f"{plan.network} [{plan.mode}] {day}: {len(routes)} routes, "
        f"{sum(r.km for r in routes):,.0f} km"
    )
    _set_aspect(ax, net, pos)
    ax.autoscale_view()
    return ax


def route_key(net: Network, route: Route, by: str) -> str:
    """The colour key of a route: its vehicle, or its vehicle's carrier."""
    if by == "vehicle":
        return route.vehicle
    vehicle = net.vehicle_by_id.get(route.vehicle)
    if vehicle is not None and vehicle.carrier is not None:
        return vehicle.carrier
    return SHARED


def _effective_by(routes: list[Route], by: str) -> str:
    """``by``, except that more vehicles than the legend can name are coloured by carrier."""
    if by == "vehicle" and len({r.vehicle for r in routes}) > MAX_VEHICLES_IN_LEGEND:
        return "carrier"
    return by


def _route_keys(net: Network, routes: list[Route], by: str) -> list[str]:
    """Each route's colour key, in route order."""
    return [route_key(net, r, by) for r in routes]


def _key_colors(keys: list[str]) -> dict[str, Any]:
    """One colour per distinct key, in order of first appearance."""
    import matplotlib as mpl

    cmap = mpl.colormaps[ROUTE_CMAP]
    distinct = list(dict.fromkeys(keys))
    return {k: cmap(i % ROUTE_COLORS) for i, k in enumerate(distinct)}


def _draw_islands(ax: Any, net: Network) -> None:
    """Each island's outline as a filled polygon, beneath everything else."""
    from matplotlib.patches import Polygon

    for isl in net.islands:
        if isl.outline and len(isl.outline) >= 3:
            ax.add_patch(
                Polygon(
                    isl.outline,
                    closed=True,
                    facecolor="#eee8d5",
                    edgecolor="#b5a88a",
                    linewidth=0.6,
                    zorder=0,
                )
            )


def _draw_ferry_lines(ax: Any, net: Network, pos: dict[str, tuple[float, float]]) -> None:
    """Every pair of piers joined by a ferry line, once, as a thin dotted line."""
    seen: set[frozenset[str]] = set()
    for f in net.ferries:
        pair = frozenset((f.from_, f.to))
        if pair in seen or f.from_ not in pos or f.to not in pos:
            continue
        seen.add(pair)
        (x0, y0), (x1, y1) = pos[f.from_], pos[f.to]
        ax.plot([x0, x1], [y0, y1], ls=(0, (2, 3)), lw=0.7, color="#5b8fb9", zorder=1)


def _draw_routes(
    ax: Any, net: Network, routes: list[Route], keys: list[str], colors: dict[str, Any]
) -> None:
    """Each route along its roads (solid, its key's colour) and ferries (dashed), then
    the stations visited as black dots."""
    paths = RoadPaths(net)
    visited: list[tuple[float, float]] = []
    for route, key in zip(routes, keys, strict=True):
        parts, modes = route_parts(net, paths, route.legs)
        for part, mode in zip(parts, modes, strict=True):
            _draw_part(ax, part, mode, colors[key])
        visited += [_xy(net, s.node) for s in route.stops[1:-1]]
    if visited:
        ax.scatter(*zip(*visited, strict=True), s=12, color="black", zorder=4)


def _draw_part(ax: Any, part: list[list[float]], mode: str, color: Any) -> None:
    """One part of a route: a road run solid in ``color``, a crossing dashed."""
    xs = [p[0] for p in part]
    ys = [p[1] for p in part]
    if mode == "ferry":
        ax.plot(
            xs,
            ys,
            color=FERRY_LEG_COLOR,
            lw=FERRY_LEG_WIDTH,
            ls=FERRY_LEG_STYLE,
            zorder=3,
            gid=GID_FERRY,
        )
    else:
        ax.plot(xs, ys, color=color, lw=ROAD_LEG_WIDTH, ls="-", zorder=3, gid=GID_ROAD)


def _xy(net: Network, node_id: str) -> tuple[float, float]:
    """A node's map position."""
    node = net.node_by_id[node_id]
    return (node.lon, node.lat)


def _draw_island_labels(ax: Any, net: Network) -> None:
    """Each island's name (else its id) at its centre."""
    for isl in net.islands:
        ax.annotate(
            isl.name or isl.id,
            (isl.lon, isl.lat),
            ha="center",
            va="center",
            fontsize=8,
            color="#657b83",
            fontweight="bold",
            zorder=6,
            gid=GID_ISLAND_LABEL,
        )


def _draw_town_labels(ax: Any, net: Network) -> None:
    """Each station's name (else its node id) beside it."""
    for station in net.stations:
        node = net.node_by_id[station.node]
        ax.annotate(
            node.name or node.id,
            (node.lon, node.lat),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=6,
            zorder=6,
            gid=GID_TOWN_LABEL,
        )


def _draw_hubs_and_depots(ax: Any, net: Network, pos: dict[str, tuple[float, float]]) -> None:
    """Hubs as squares and depots as triangles, on top."""
    for kind, marker, mark_color in (("hub", "s", "#cb4b16"), ("depot", "^", "#268bd2")):
        pts = [pos[n.id] for n in net.nodes if n.kind == kind]
        if pts:
            ax.scatter(
                *zip(*pts, strict=True),
                marker=marker,
                s=40,
                color=mark_color,
                zorder=5,
                edgecolor="white",
                linewidth=0.5,
            )


def _draw_legend(ax: Any, colors: dict[str, Any], by: str) -> None:
    """A legend of the map's symbols, and over it a legend of each vehicle's (or, when
    there are too many vehicles, each carrier's) colour."""
    from matplotlib.lines import Line2D

    symbols = [
        Line2D([], [], color="#5b8fb9", ls=(0, (2, 3)), lw=0.8, label="ferry line"),
        Line2D([], [], color="black", lw=ROAD_LEG_WIDTH, label="route (road)"),
        Line2D(
            [],
            [],
            color=FERRY_LEG_COLOR,
            lw=FERRY_LEG_WIDTH,
            ls=FERRY_LEG_STYLE,
            label="route (ferry)",
        ),
        Line2D([], [], marker="o", ls="", color="black", ms=3, label="station visited"),
        Line2D([], [], marker="o", ls="", color="#888888", ms=3, label="station"),
        Line2D([], [], marker="^", ls="", color="#268bd2", ms=6, label="depot"),
        Line2D([], [], marker="s", ls="", color="#cb4b16", ms=6, label="hub"),
    ]
    ax.add_artist(ax.legend(handles=symbols, loc="lower left", fontsize=7, framealpha=0.9))
    handles = [Line2D([], [], color=c, lw=ROAD_LEG_WIDTH, label=k) for k, c in colors.items()]
    if handles:
        ax.legend(handles=handles, title=by, loc="upper right", fontsize=7, framealpha=0.9)


def _set_aspect(ax: Any, net: Network, pos: dict[str, tuple[float, float]]) -> None:
    """Equal km both ways: lon/lat axes stretched by the mean latitude, planar ones 1:1."""
    if net.geometry == "lonlat":
        import math

        lat = sum(p[1] for p in pos.values()) / max(1, len(pos))
        ax.set_aspect(1 / max(0.1, math.cos(math.radians(lat))))
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
    else:
        ax.set_aspect("equal")


def plot_calendar(net: Network, plan: Plan, ax: Any = None, *, carrier: str | None = None) -> Any:
    """Heat-map of stations x days: parcels delivered plus collected at each visit."""
    stations = calendar_stations(net)
    grid = calendar_grid(net, plan, carrier=carrier)
    ax = _axes(ax, (1.2 * len(net.days) + 2, CALENDAR_ROW_INCH * len(stations) + 1.5))
    image = ax.imshow(grid, aspect="auto", cmap=CALENDAR_CMAP, interpolation="nearest")
    ax.set_xticks(range(len(net.days)), list(net.days))
    ax.set_yticks(range(len(stations)), stations, fontsize=6)
    ax.set_xlabel("day")
    ax.set_ylabel("station (by island)")
    ax.figure.colorbar(image, ax=ax, label="parcels delivered + collected")
    who = carrier if carrier is not None else "all carriers"
    ax.set_title(f"{plan.network} [{plan.mode}]: station calendar, {who}")
    return ax


def calendar_stations(net: Network) -> list[str]:
    """Station nodes sorted by island, then by node id: the calendar's rows."""
    nodes = net.node_by_id
    return sorted((s.node for s in net.stations), key=lambda n: (nodes[n].island, n))


def calendar_grid(net: Network, plan: Plan, *, carrier: str | None = None) -> Any:
    """Parcels delivered plus collected per station (rows) and day (columns), all
    carriers or only ``carrier``; 0 where a station is not visited."""
    import numpy as np

    rows = {n: i for i, n in enumerate(calendar_stations(net))}
    cols = {d: j for j, d in enumerate(net.days)}
    grid = np.zeros((len(rows), len(cols)), dtype=int)
    for route in plan.routes:
        for stop in route.stops:
            if stop.node in rows and route.day in cols:
                grid[rows[stop.node], cols[route.day]] += _handled(stop, carrier)
    return grid


def _handled(stop: Stop, carrier: str | None) -> int:
    """Parcels delivered plus collected at a stop, all carriers or one."""
    if carrier is None:
        return sum(stop.deliver.values()) + sum(stop.pickup.values())
    return stop.deliver.get(carrier, 0) + stop.pickup.get(carrier, 0)


def plot_joint_vs_separate(
    net: Network, joint: Plan, separate: Plan, day: str, axes: Any = None
) -> Any:
    """The joint and the separate plan's routes on ``day`` side by side, under one title
    giving each plan's cost and km that day. Returns the two axes."""
    if axes is None:
        import matplotlib.pyplot as plt

        _fig, axes = plt.subplots(1, 2, figsize=PAIR_SIZE)
    for ax, plan in zip(axes, (joint, separate), strict=True):
        plot_routes(net, plan, day, ax=ax)
        ax.set_title(f"{plan.mode}: {day_summary(plan, day)}")
    axes[0].figure.suptitle(
        f"{day}: joint {day_summary(joint, day)} vs separate {day_summary(separate, day)}"
    )
    return axes[0], axes[1]


def day_summary(plan: Plan, day: str) -> str:
    """A plan's cost and km on one day, as text."""
    routes = plan.routes_on(day)
    return f"{sum(r.cost for r in routes):,.0f} yuan, {sum(r.km for r in routes):,.0f} km"


def plot_allocation(report: Any, ax: Any = None) -> Any:
    """Bars per carrier: stand-alone cost against its Shapley share of the joint cost
    (with the stated Monte Carlo error), and the parcel-proportional share as a tick.
    ``report`` is a :class:`~islandroute.analysis.compare.CompareReport`."""
    import numpy as np

    ax = _axes(ax, (8, 4.5))
    rows = list(report.carriers)
    x = np.arange(len(rows))
    alone = [r.standalone.cost for r in rows]
    share = [r.shapley if r.shapley is not None else r.by_standalone for r in rows]
    err = [r.shapley_error or 0.0 for r in rows]
    label = "Shapley share" if report.shapley is not None else "share by stand-alone cost"
    w = 0.38
    ax.bar(x - w / 2, alone, w, label="alone (separate week)", color="#93a1a1")
    ax.bar(
        x + w / 2, share, w, yerr=err if any(err) else None, label=label, color="#268bd2", capsize=3
    )
    ax.scatter(
        x + w / 2,
        [r.by_parcels for r in rows],
        marker="_",
        s=300,
        color="#cb4b16",
        zorder=3,
        label="share by parcels",
    )
    for xi, a, s in zip(x, alone, share, strict=True):
        if a > 0:
            ax.annotate(
                f"-{100 * (a - s) / a:.0f}%",
                (xi + w / 2, s),
                ha="center",
                va="bottom",
                fontsize=8,
                xytext=(0, 2),
                textcoords="offset points",
            )
    ax.set_xticks(x, [r.carrier for r in rows])
    ax.set_ylabel("cost per week (yuan)")
    ax.set_title(
        f"{report.network}: cost alone vs share of the joint week "
        f"({report.saving_pct:.1f}% saved overall)"
    )
    ax.legend(fontsize=8)
    return ax
