"""Straight-line (air) distances between nodes: great-circle km on a lon/lat network,
Euclidean on a planar one (its coordinates are km)."""

from __future__ import annotations

import math

from islandroute.model.network import Network, Node

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def air_km(net: Network, a: str, b: str) -> float:
    """Km flown straight from node ``a`` to node ``b``."""
    return node_air_km(net.node_by_id[a], net.node_by_id[b], net.geometry == "planar")


def node_air_km(p: Node, q: Node, planar: bool) -> float:
    """Haversine km between two lon/lat nodes, or the Euclidean distance when ``planar``."""
    if planar:
        return math.hypot(p.lon - q.lon, p.lat - q.lat)
    la1, la2 = math.radians(p.lat), math.radians(q.lat)
    dlat, dlon = la2 - la1, math.radians(q.lon - p.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
