"""GeoJSON (RFC 7946) of the network and of a plan, for web maps and GIS tools.

Coordinates are WGS84 ``[lon, lat]``; documents are FeatureCollections without a ``crs``
member; polygon exterior rings are closed and counter-clockwise. Every feature carries a
``layer`` property (``island``, ``node``, ``road``, ``ferry``, ``route``, ``stop``) so a
map can style and filter one document. A route's road legs follow the network's roads
node by node: a leg stands for the quickest road path between its ends.
"""

from __future__ import annotations

import json
import os
from typing import Any

import networkx as nx
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

from islandroute.model.exchange import write_text_atomic
from islandroute.model.network import Ferry, Island, Network, Node, Road
from islandroute.model.plan import Leg, Plan, Route, Stop

#: The only geometry GeoJSON can carry: WGS84 longitude and latitude.
LONLAT = "lonlat"
#: Fewest distinct positions of an outline that makes a polygon.
MIN_RING_POINTS = 3
#: ``orient`` sign that makes an exterior ring counter-clockwise (RFC 7946, 3.1.6).
CCW = 1.0
#: Edge weight of the road paths a road leg is rebuilt along.
ROAD_WEIGHT = "minutes"
#: Suffix of the temporary file a document is written to before its rename.

Position = list[float]
Feature = dict[str, Any]
Doc = dict[str, Any]


def network_geojson(net: Network) -> Doc:
    """The network as a FeatureCollection: islands, roads, ferry lines, then nodes on top."""
    _require_lonlat(net)
    features = [_island_feature(i) for i in net.islands]
    features += [_road_feature(net, r) for r in net.roads]
    features += [_ferry_feature(net, f) for f in net.ferries]
    features += [_node_feature(n) for n in net.nodes]
    return _collection(features, name=net.name)


def plan_geojson(net: Network, plan: Plan) -> Doc:
    """A plan as a FeatureCollection: one MultiLineString per route along its roads and
    ferries, then one Point per stop of every route."""
    _require_lonlat(net)
    paths = RoadPaths(net)
    features = [_route_feature(net, paths, r) for r in plan.routes]
    for route in plan.routes:
        features += [_stop_feature(net, route, seq, s) for seq, s in enumerate(route.stops)]
    return _collection(features, name=plan.network)


def write_geojson(doc: Doc, path: str | os.PathLike[str]) -> None:
    """Write a document as UTF-8 JSON (Chinese names kept readable) through a temporary
    file renamed over ``path``: a reader never sees half a file."""
    write_text_atomic(path, json.dumps(doc, ensure_ascii=False))


class RoadPaths:
    """Quickest road paths between two nodes on the road graph, cached per (from, to)."""

    def __init__(self, net: Network) -> None:
        """Build the undirected road graph, the quicker of parallel roads kept."""
        self._graph = nx.Graph()
        self._graph.add_nodes_from(n.id for n in net.nodes)
        for r in net.roads:
            old = self._graph.get_edge_data(r.a, r.b)
            if old is None or r.minutes < old[ROAD_WEIGHT]:
                self._graph.add_edge(r.a, r.b, **{ROAD_WEIGHT: r.minutes})
        self._cache: dict[tuple[str, str], list[str]] = {}

    def path(self, a: str, b: str) -> list[str]:
        """Node ids of the quickest road path from ``a`` to ``b``, both ends included."""
        key = (a, b)
        if key not in self._cache:
            try:
                found = nx.shortest_path(self._graph, a, b, weight=ROAD_WEIGHT)
            except nx.NetworkXNoPath as err:
                raise ValueError(f"no road joins {a!r} to {b!r}") from err
            self._cache[key] = list(found)
        return self._cache[key]


# ---- network features -----------------------------------------------------------------
def _island_feature(island: Island) -> Feature:
    """An island: its outline as a closed counter-clockwise Polygon, else its centre."""
    props = {
        "layer": "island",
        "id": island.id,
        "name": island.name,
        "county": island.county,
        "area_km2": island.area_km2,
        "population": island.population,
    }
    ring = _ccw_ring(island.outline) if island.outline else None
    if ring is None:
        return _feature(_point(island.lon, island.lat), props)
    return _feature({"type": "Polygon", "coordinates": [ring]}, props)


def _ccw_ring(outline: tuple[tuple[float, float], ...]) -> list[Position] | None:
    """An outline as a closed counter-clockwise ring, or None when it holds no area."""
    if len(set(outline)) < MIN_RING_POINTS:
        return None
    exterior = orient(Polygon(outline), sign=CCW).exterior
    return [[float(x), float(y)] for x, y in exterior.coords]


def _road_feature(net: Network, road: Road) -> Feature:
    """A road link as a two-point LineString."""
    props = {
        "layer": "road",
        "a": road.a,
        "b": road.b,
        "km": road.km,
        "minutes": road.minutes,
        "bridge": road.bridge,
    }
    return _feature(_line([_position(net, road.a), _position(net, road.b)]), props)


def _ferry_feature(net: Network, ferry: Ferry) -> Feature:
    """One direction of a ferry line, pier to pier, with its departures counted per day."""
    props = {
        "layer": "ferry",
        "id": ferry.id,
        "name": ferry.name,
        "from": ferry.from_,
        "to": ferry.to,
        "minutes": ferry.minutes,
        "vehicles": ferry.vehicles,
        "departures": {day: len(times) for day, times in ferry.departures.items()},
    }
    return _feature(_line([_position(net, ferry.from_), _position(net, ferry.to)]), props)


def _node_feature(node: Node) -> Feature:
    """A node as a Point."""
    props = {
        "layer": "node",
        "id": node.id,
        "kind": node.kind,
        "name": node.name,
        "island": node.island,
        "role": node.role,
    }
    return _feature(_point(node.lon, node.lat), props)


# ---- plan features --------------------------------------------------------------------
def _route_feature(net: Network, paths: RoadPaths, route: Route) -> Feature:
    """A route as a MultiLineString: each run of road legs along the roads as one part,
    each ferry crossing or drone flight as a part of its own; ``parts`` names each mode."""
    parts, modes = route_parts(net, paths, route.legs)
    props = {
        "layer": "route",
        "day": route.day,
        "vehicle": route.vehicle,
        "carriers": list(route.carriers),
        "km": route.km,
        "cost": route.cost,
        "delivered": route.parcels,
        "collected": sum(_collected(s) for s in route.stops),
        "ferry_crossings": route.ferry_crossings,
        "parts": modes,
    }
    return _feature({"type": "MultiLineString", "coordinates": parts}, props)


def route_parts(
    net: Network, paths: RoadPaths, legs: tuple[Leg, ...]
) -> tuple[list[list[Position]], list[str]]:
    """The line parts of a route's legs and the mode of each part."""
    parts: list[list[str]] = []
    modes: list[str] = []
    for leg in legs:
        if leg.mode in ("ferry", "air"):  # a crossing or a drone's flight: a straight part
            parts.append([leg.from_, leg.to])
            modes.append(leg.mode)
            continue
        nodes = paths.path(leg.from_, leg.to)
        if len(nodes) < 2:
            continue  # a road leg that goes nowhere draws nothing
        if modes and modes[-1] == "road" and parts[-1][-1] == nodes[0]:
            parts[-1].extend(nodes[1:])
        else:
            parts.append(list(nodes))
            modes.append("road")
    return [[_position(net, n) for n in part] for part in parts], modes


def _stop_feature(net: Network, route: Route, seq: int, stop: Stop) -> Feature:
    """A stop of a route as a Point, with its times and hand-overs."""
    node = net.node_by_id[stop.node]
    props = {
        "layer": "stop",
        "day": route.day,
        "vehicle": route.vehicle,
        "seq": seq,
        "node": stop.node,
        "name": node.name,
        "arrive": stop.arrive,
        "depart": stop.depart,
        "delivered": sum(stop.deliver.values()),
        "collected": _collected(stop),
    }
    return _feature(_point(node.lon, node.lat), props)


def _collected(stop: Stop) -> int:
    """Parcels collected (picked up) at a stop, all carriers."""
    return sum(stop.pickup.values())


# ---- GeoJSON pieces -------------------------------------------------------------------
def _require_lonlat(net: Network) -> None:
    """Refuse a planar network: GeoJSON positions are WGS84 longitude and latitude."""
    if net.geometry != LONLAT:
        raise ValueError(f"network {net.name!r} is {net.geometry}; GeoJSON needs lon/lat")


def _position(net: Network, node_id: str) -> Position:
    """A node's ``[lon, lat]``."""
    node = net.node_by_id[node_id]
    return [node.lon, node.lat]


def _point(lon: float, lat: float) -> dict[str, Any]:
    """A Point geometry."""
    return {"type": "Point", "coordinates": [lon, lat]}


def _line(positions: list[Position]) -> dict[str, Any]:
    """A LineString geometry."""
    return {"type": "LineString", "coordinates": positions}


def _feature(geometry: dict[str, Any], properties: dict[str, Any]) -> Feature:
    """A Feature of a geometry and its properties."""
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _collection(features: list[Feature], name: str) -> Doc:
    """A FeatureCollection with its name (a foreign member RFC 7946 allows)."""
    return {"type": "FeatureCollection", "name": name, "features": features}
