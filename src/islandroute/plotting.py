"""Figures for notebooks and reports: one day's routes over the islands, and each
carrier's stand-alone cost against its share of the joint cost.

matplotlib is imported inside the functions, so importing islandroute never needs it.
"""

from __future__ import annotations

from typing import Any

from islandroute.model.network import Network
from islandroute.model.plan import Plan, Route

__all__ = ["plot_allocation", "plot_routes"]


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _fig, ax = plt.subplots(figsize=size)
    return ax


def plot_routes(net: Network, plan: Plan, day: str, ax: Any = None, *, legend: bool = True) -> Any:
    """Map of ``plan``'s routes on ``day``: island outlines, ferry lines (thin dashed),
    each route as straight hops between its stops (one colour per vehicle, crossings
    dashed), stations, depots and hubs. Returns the axes."""
    ax = _axes(ax, (9, 8))
    pos = {n.id: (n.lon, n.lat) for n in net.nodes}
    _draw_islands(ax, net)
    _draw_ferry_lines(ax, net, pos)
    st = [pos[s.node] for s in net.stations]
    if st:
        ax.scatter(*zip(*st, strict=True), s=6, color="#888888", zorder=2, label="stations")
    routes = plan.routes_on(day)
    _draw_routes(ax, routes, pos)
    _draw_hubs_and_depots(ax, net, pos)
    if legend:
        _draw_legend(ax)
    ax.set_title(
        f"{plan.network} [{plan.mode}] {day}: {len(routes)} routes, "
        f"{sum(r.km for r in routes):,.0f} km"
    )
    _set_aspect(ax, net, pos)
    ax.autoscale_view()
    return ax


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
    """Every pair of piers joined by a ferry line, once, as a thin dashed line."""
    seen: set[frozenset[str]] = set()
    for f in net.ferries:
        pair = frozenset((f.from_, f.to))
        if pair in seen or f.from_ not in pos or f.to not in pos:
            continue
        seen.add(pair)
        (x0, y0), (x1, y1) = pos[f.from_], pos[f.to]
        ax.plot([x0, x1], [y0, y1], ls=(0, (2, 3)), lw=0.7, color="#5b8fb9", zorder=1)


def _draw_routes(ax: Any, routes: list[Route], pos: dict[str, tuple[float, float]]) -> None:
    """Each route's legs as straight hops in a colour of its own (crossings dashed),
    then the stations visited as black dots."""
    import matplotlib as mpl

    cmap = mpl.colormaps["tab20"]
    visited: list[tuple[float, float]] = []
    for k, r in enumerate(routes):
        color = cmap(k % 20)
        for leg in r.legs:
            if leg.from_ not in pos or leg.to not in pos:
                continue
            (x0, y0), (x1, y1) = pos[leg.from_], pos[leg.to]
            ax.plot(
                [x0, x1],
                [y0, y1],
                color=color,
                lw=1.4 if leg.mode == "road" else 1.1,
                ls="-" if leg.mode == "road" else "--",
                zorder=3,
            )
        visited += [pos[s.node] for s in r.stops[1:-1] if s.node in pos]
    if visited:
        ax.scatter(*zip(*visited, strict=True), s=12, color="black", zorder=4)


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


def _draw_legend(ax: Any) -> None:
    """A legend of the map's symbols (not of each vehicle's colour)."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color="#5b8fb9", ls=(0, (2, 3)), lw=0.8, label="ferry line"),
        Line2D([], [], color="black", lw=1.4, label="route (road)"),
        Line2D([], [], color="black", lw=1.1, ls="--", label="route (ferry)"),
        Line2D([], [], marker="o", ls="", color="black", ms=3, label="station visited"),
        Line2D([], [], marker="o", ls="", color="#888888", ms=3, label="station"),
        Line2D([], [], marker="^", ls="", color="#268bd2", ms=6, label="depot"),
        Line2D([], [], marker="s", ls="", color="#cb4b16", ms=6, label="hub"),
    ]
    ax.legend(handles=handles, loc="best", fontsize=7, framealpha=0.9)


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
