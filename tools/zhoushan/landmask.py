"""The 30 arc-second land mask: land cells, components and outlines."""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.ops import unary_union

from zhoushan.common import CELL, r5


# ---- land mask -------------------------------------------------------------------
class LandMask:
    """The 30" land cells of the Zhoushan box, labelled into 4-connected components."""

    LAT0, LAT1, LON0, LON1 = 29.55, 30.95, 121.80, 122.95

    def __init__(self) -> None:
        from global_land_mask import globe

        self.globe = globe
        n_lat = round((self.LAT1 - self.LAT0) / CELL)
        n_lon = round((self.LON1 - self.LON0) / CELL)
        self.lats = self.LAT0 + (np.arange(n_lat) + 0.5) * CELL
        self.lons = self.LON0 + (np.arange(n_lon) + 0.5) * CELL
        la, lo = np.meshgrid(self.lats, self.lons, indexing="ij")
        self.land = globe.is_land(la, lo)
        self.label, _ = ndimage.label(self.land)

    def is_land(self, lat: float, lon: float) -> bool:
        return bool(self.globe.is_land(np.array([lat]), np.array([lon]))[0])

    def cell_of(self, lat: float, lon: float) -> tuple[int, int]:
        return int((lat - self.LAT0) / CELL), int((lon - self.LON0) / CELL)

    def component_near(self, lat: float, lon: float, radius: int = 2) -> int:
        """The component of the land cell at, or nearest to, a point (0 if none near)."""
        i0, j0 = self.cell_of(lat, lon)
        best, best_d = 0, math.inf
        for i in range(i0 - radius, i0 + radius + 1):
            for j in range(j0 - radius, j0 + radius + 1):
                inside = 0 <= i < self.land.shape[0] and 0 <= j < self.land.shape[1]
                if inside and self.label[i, j]:
                    d = (self.lats[i] - lat) ** 2 + (self.lons[j] - lon) ** 2
                    if d < best_d:
                        best, best_d = int(self.label[i, j]), d
        return best


def cells_polygon(cells: list[tuple[int, int]], max_points: int = 40) -> Polygon:
    """Union of land cells (row, column of the mask box), outer ring only, simplified.

    Cells are unioned on the integer grid (exact shared edges), then scaled to degrees.
    """
    geom = unary_union([box(j, i, j + 1, i + 1) for i, j in cells])
    if isinstance(geom, MultiPolygon):
        geom = max(geom.geoms, key=lambda g: g.area)
    ring = [(LandMask.LON0 + x * CELL, LandMask.LAT0 + y * CELL) for x, y in geom.exterior.coords]
    poly = Polygon(ring)
    tol = 0.002
    simple = poly.simplify(tol, preserve_topology=True)
    while len(simple.exterior.coords) > max_points + 1 and tol < 0.05:
        tol *= 1.25
        simple = poly.simplify(tol, preserve_topology=True)
    if not simple.is_valid or simple.is_empty:
        simple = poly.convex_hull
    return Polygon([(r5(x), r5(y)) for x, y in simple.exterior.coords])


def poly_area_km2(poly: Polygon, lat: float) -> float:
    return poly.area * 111.32**2 * math.cos(math.radians(lat))
