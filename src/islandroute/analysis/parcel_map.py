"""A map of the cost per parcel: each island coloured by what a parcel delivered there
costs (:func:`~islandroute.analysis.parcel_cost.island_values`), the islands above the
threshold outlined. matplotlib is imported inside the function."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from islandroute.analysis.parcel_cost import THRESHOLD_DEFAULT, island_values
from islandroute.model.network import Network

COST_CMAP = "OrRd"  # light: cheap, dark red: dear
NO_VALUE_COLOR = "#dddddd"  # islands with no parcels
ABOVE_EDGE = "#000000"  # outline of islands above the threshold
ABOVE_WIDTH = 1.8
EDGE = "#777777"
EDGE_WIDTH = 0.5
POINT_SIZE = 90  # marker area of an island without an outline
MAP_SIZE = (9.0, 8.0)
GID_ISLAND = "parcel-cost-island"  # gid of each island's artist, for inspection


def _centres(net: Network) -> dict[str, tuple[float, float]]:
    """Each island's point: its own centre, else the mean of its nodes."""
    out = {i.id: (i.lon, i.lat) for i in net.islands}
    sums: dict[str, list[float]] = {}
    for n in net.nodes:
        acc = sums.setdefault(n.island, [0.0, 0.0, 0.0])
        acc[0] += n.lon
        acc[1] += n.lat
        acc[2] += 1
    for isl, (x, y, k) in sums.items():
        out.setdefault(isl, (x / k, y / k))
    return out


def plot_cost_per_parcel(
    network: Network,
    table: Any,
    ax: Any = None,
    *,
    threshold: float = THRESHOLD_DEFAULT,
    title: str | None = None,
    vmax: float | None = None,
) -> Any:
    """Islands coloured by cost per parcel, from a village table of
    :func:`~islandroute.analysis.parcel_cost.parcel_cost_table` or ``{island: value}``;
    ``vmax`` fixes the top of the colour scale (to compare maps); returns the axes."""
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Polygon

    if ax is None:
        _fig, ax = plt.subplots(figsize=MAP_SIZE)
    values = dict(table) if isinstance(table, Mapping) else island_values(table)
    top = vmax if vmax is not None else max([*values.values(), threshold, 1e-9])
    norm = Normalize(vmin=0.0, vmax=top)
    cmap = colormaps[COST_CMAP]
    outlines = {i.id: i.outline for i in network.islands if i.outline and len(i.outline) >= 3}
    for isl, (x, y) in sorted(_centres(network).items()):
        value = values.get(isl)
        color = cmap(norm(value)) if value is not None else NO_VALUE_COLOR
        above = value is not None and value > threshold
        edge, width = (ABOVE_EDGE, ABOVE_WIDTH) if above else (EDGE, EDGE_WIDTH)
        if isl in outlines:
            patch = Polygon(outlines[isl], closed=True, fc=color, ec=edge, lw=width, gid=GID_ISLAND)
            ax.add_patch(patch)
        else:
            ax.scatter(
                [x], [y], s=POINT_SIZE, c=[color], edgecolors=edge, linewidths=width, gid=GID_ISLAND
            )
        if value is not None:
            ax.annotate(f"{value:.1f}", (x, y), fontsize=7, ha="center", va="center")
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    ax.figure.colorbar(sm, ax=ax, shrink=0.7, label="cost per parcel (CNY)")
    ax.set_title(title or f"{network.name}: cost per parcel (outlined: above {threshold:g})")
    ax.set_xlabel("x" if network.geometry == "planar" else "lon")
    ax.set_ylabel("y" if network.geometry == "planar" else "lat")
    return ax
