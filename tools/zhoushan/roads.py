"""Step 7, roads: island road graphs and bridges."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from shapely.geometry import Point, Polygon

from islandroute.model.network import (
    Node,
    Road,
)
from zhoushan.common import BRIDGE_KMH, ROAD_DETOUR, ROAD_KMH, haversine_km
from zhoushan.layout import BRIDGES, ZHOUDAI_KM


def island_edges(nodes: list[Node], outline: Polygon | None) -> set[tuple[str, str]]:
    """A sparse connected road graph: spanning tree plus 3 nearest neighbours on land."""
    n = len(nodes)
    lat0 = sum(x.lat for x in nodes) / n
    xy = np.array([(x.lon * 111.32 * math.cos(math.radians(lat0)), x.lat * 110.57) for x in nodes])
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    mst = minimum_spanning_tree(coo_matrix(d + 1e-9 * (d == 0) * ~np.eye(n, dtype=bool)))
    pairs: set[tuple[int, int]] = set()
    for i, j in zip(*mst.nonzero(), strict=True):
        pairs.add((min(int(i), int(j)), max(int(i), int(j))))
    k = min(3, n - 1)
    for i in range(n):
        near = [j for j in np.argsort(d[i], kind="stable").tolist() if j != i][:k]
        for j in near:
            a, b = min(i, j), max(i, j)
            if (a, b) in pairs:
                continue
            if outline is not None:
                mid = Point((nodes[a].lon + nodes[b].lon) / 2, (nodes[a].lat + nodes[b].lat) / 2)
                if not outline.contains(mid):
                    continue
            pairs.add((a, b))
    return {tuple(sorted((nodes[a].id, nodes[b].id))) for a, b in pairs}  # type: ignore[misc]


class RoadSteps:
    """Builds island roads and bridge roads."""

    # -- roads ----------------------------------------------------------------------
    def build_roads(self) -> None:
        by_island: dict[str, list[Node]] = defaultdict(list)
        for n in self.nodes.values():
            by_island[n.island].append(n)
        edges: set[tuple[str, str]] = set()
        for isl in sorted(by_island):
            nodes = sorted(by_island[isl], key=lambda n: n.id)
            if len(nodes) < 2:
                continue
            edges |= island_edges(nodes, self.outline.get(isl))
        for a, b in sorted(edges):
            na, nb = self.nodes[a], self.nodes[b]
            km = max(0.2, haversine_km(na.lon, na.lat, nb.lon, nb.lat) * ROAD_DETOUR)
            self.roads.append(Road(a=a, b=b, km=round(km, 2), minutes=round(km / ROAD_KMH * 60, 1)))
        zd = [(a, b) for a, b, _, n in BRIDGES if n.startswith("舟岱")]
        zd_straight = [self._straight(a, b) for a, b in zd]
        for a, b, length, name in BRIDGES:
            straight = self._straight(a, b)
            if name.startswith("舟岱"):
                km = ZHOUDAI_KM * straight / sum(zd_straight)
            elif length is None:
                km = straight * 1.1
            else:
                # the sourced length plus approach roads to the estimated bridge ends
                km = length + max(0.0, straight - length) * ROAD_DETOUR
            self.roads.append(
                Road(a=a, b=b, km=round(km, 2), minutes=round(km / BRIDGE_KMH * 60, 1), bridge=True)
            )
            self.notes["bridges"].append(f"{name}: `{a}`–`{b}`, {km:.2f} km")
