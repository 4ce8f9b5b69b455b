"""GeoJSON of the network and of a plan: valid RFC 7946 geometry that follows the model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import LinearRing, shape

from islandroute import Network, Plan, archipelago, plan_week, zhoushan
from islandroute.geojson import network_geojson, plan_geojson, write_geojson

#: Seconds the planner gets for the small synthetic week.
PLAN_SECONDS = 3

Doc = dict[str, Any]


def _layer(doc: Doc, layer: str) -> list[Doc]:
    """The features of one layer."""
    return [f for f in doc["features"] if f["properties"]["layer"] == layer]


def _positions(geometry: Doc) -> Iterator[tuple[float, float]]:
    """Every position of a geometry, however deeply nested."""
    coords = geometry["coordinates"]
    stack = [coords]
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], int | float):
            yield (item[0], item[1])
        else:
            stack.extend(item)


def _lonlat_box(net: Network) -> tuple[float, float, float, float]:
    """The model's lon/lat box: its nodes, island centres and outlines."""
    pts = [(n.lon, n.lat) for n in net.nodes]
    for i in net.islands:
        pts.append((i.lon, i.lat))
        pts.extend(i.outline or ())
    lons, lats = zip(*pts, strict=True)
    return min(lons), min(lats), max(lons), max(lats)


@pytest.fixture(scope="module")
def zs() -> Network:
    """The built-in Zhoushan network."""
    return zhoushan()


@pytest.fixture(scope="module")
def zs_doc(zs: Network) -> Doc:
    """The Zhoushan network's GeoJSON."""
    return network_geojson(zs)


@pytest.fixture(scope="module")
def week() -> tuple[Network, Plan]:
    """A small synthetic archipelago and a joint plan of its week."""
    net = archipelago(15, n_islands=3, n_carriers=2, seed=2)
    return net, plan_week(net, mode="joint", time_limit=PLAN_SECONDS, seed=0)


@pytest.fixture(scope="module")
def week_doc(week: tuple[Network, Plan]) -> Doc:
    """The synthetic week's plan GeoJSON."""
    return plan_geojson(*week)


# ---- the network ------------------------------------------------------------------------
def test_network_is_a_feature_collection_without_crs(zs_doc: Doc) -> None:
    assert zs_doc["type"] == "FeatureCollection"
    assert "crs" not in zs_doc
    assert all(f["type"] == "Feature" for f in zs_doc["features"])


def test_network_geometries_are_valid(zs_doc: Doc) -> None:
    invalid = [f["properties"] for f in zs_doc["features"] if not shape(f["geometry"]).is_valid]
    assert invalid == []


def test_network_positions_are_lon_lat_within_the_model_box(zs: Network, zs_doc: Doc) -> None:
    west, south, east, north = _lonlat_box(zs)
    outside = [
        p
        for f in zs_doc["features"]
        for p in _positions(f["geometry"])
        if not (west <= p[0] <= east and south <= p[1] <= north)
    ]
    assert outside == []


def test_island_rings_closed_and_counter_clockwise(zs: Network, zs_doc: Doc) -> None:
    polygons = [f for f in _layer(zs_doc, "island") if f["geometry"]["type"] == "Polygon"]
    assert len(polygons) == sum(1 for i in zs.islands if i.outline)
    for f in polygons:
        for ring in f["geometry"]["coordinates"]:
            assert ring[0] == ring[-1]
            assert LinearRing(ring).is_ccw


def test_islands_without_outline_are_their_centre(zs: Network, zs_doc: Doc) -> None:
    by_id = {i.id: i for i in zs.islands}
    points = [f for f in _layer(zs_doc, "island") if f["geometry"]["type"] == "Point"]
    assert points
    for f in points:
        isle = by_id[f["properties"]["id"]]
        assert isle.outline is None
        assert f["geometry"]["coordinates"] == [isle.lon, isle.lat]


def test_network_counts_equal_the_model(zs: Network, zs_doc: Doc) -> None:
    assert len(_layer(zs_doc, "island")) == len(zs.islands)
    assert len(_layer(zs_doc, "node")) == len(zs.nodes)
    assert len(_layer(zs_doc, "road")) == len(zs.roads)
    assert len(_layer(zs_doc, "ferry")) == len(zs.ferries)


def test_node_and_road_properties_follow_the_model(zs: Network, zs_doc: Doc) -> None:
    node = zs.nodes[0]
    first = _layer(zs_doc, "node")[0]
    assert first["properties"]["id"] == node.id
    assert first["properties"]["kind"] == node.kind
    assert first["geometry"]["coordinates"] == [node.lon, node.lat]
    road = zs.roads[0]
    props = _layer(zs_doc, "road")[0]["properties"]
    assert (props["a"], props["b"], props["km"], props["minutes"]) == (
        road.a,
        road.b,
        road.km,
        road.minutes,
    )


def test_ferries_join_their_piers_and_count_departures(zs: Network, zs_doc: Doc) -> None:
    for ferry, f in zip(zs.ferries, _layer(zs_doc, "ferry"), strict=True):
        a, b = zs.node_by_id[ferry.from_], zs.node_by_id[ferry.to]
        assert f["geometry"]["coordinates"] == [[a.lon, a.lat], [b.lon, b.lat]]
        assert f["properties"]["from"] == ferry.from_
        assert f["properties"]["departures"] == {d: len(t) for d, t in ferry.departures.items()}


def test_network_json_round_trip(zs_doc: Doc) -> None:
    assert json.loads(json.dumps(zs_doc, ensure_ascii=False)) == zs_doc


def test_planar_network_is_refused(week: tuple[Network, Plan]) -> None:
    net, _ = week
    with pytest.raises(ValueError, match="lon/lat"):
        network_geojson(net.model_copy(update={"geometry": "planar"}))


# ---- the plan ---------------------------------------------------------------------------
def test_one_route_feature_per_route(week: tuple[Network, Plan], week_doc: Doc) -> None:
    _, plan = week
    routes = _layer(week_doc, "route")
    assert len(routes) == len(plan.routes)
    assert all(shape(f["geometry"]).is_valid for f in week_doc["features"])


def test_route_parts_chain_from_depot_back_to_depot(
    week: tuple[Network, Plan], week_doc: Doc
) -> None:
    net, plan = week
    for route, f in zip(plan.routes, _layer(week_doc, "route"), strict=True):
        depot = net.node_by_id[net.vehicle_by_id[route.vehicle].depot]
        parts = f["geometry"]["coordinates"]
        assert parts, route.vehicle
        assert parts[0][0] == [depot.lon, depot.lat]
        assert parts[-1][-1] == [depot.lon, depot.lat]
        for before, after in pairwise(parts):
            assert before[-1] == after[0]


def test_road_parts_follow_network_roads(week: tuple[Network, Plan], week_doc: Doc) -> None:
    net, _ = week
    pos = {n.id: (n.lon, n.lat) for n in net.nodes}
    links = {frozenset((pos[r.a], pos[r.b])) for r in net.roads}
    road_parts = [
        part
        for f in _layer(week_doc, "route")
        for part, mode in zip(f["geometry"]["coordinates"], f["properties"]["parts"], strict=True)
        if mode == "road"
    ]
    assert road_parts
    for part in road_parts:
        for a, b in pairwise(part):
            assert frozenset((tuple(a), tuple(b))) in links


def test_ferry_parts_join_the_ferry_piers(week: tuple[Network, Plan], week_doc: Doc) -> None:
    net, plan = week
    for route, f in zip(plan.routes, _layer(week_doc, "route"), strict=True):
        ferry_parts = [
            part
            for part, mode in zip(
                f["geometry"]["coordinates"], f["properties"]["parts"], strict=True
            )
            if mode == "ferry"
        ]
        ferry_legs = [leg for leg in route.legs if leg.mode == "ferry"]
        assert len(ferry_parts) == len(ferry_legs)
        for part, leg in zip(ferry_parts, ferry_legs, strict=True):
            assert leg.ferry is not None
            ferry = net.ferry_by_id[leg.ferry]
            a, b = net.node_by_id[ferry.from_], net.node_by_id[ferry.to]
            assert part == [[a.lon, a.lat], [b.lon, b.lat]]


def test_route_properties_equal_the_route(week: tuple[Network, Plan], week_doc: Doc) -> None:
    _, plan = week
    for route, f in zip(plan.routes, _layer(week_doc, "route"), strict=True):
        p = f["properties"]
        assert (p["day"], p["vehicle"], p["carriers"]) == (
            route.day,
            route.vehicle,
            list(route.carriers),
        )
        assert (p["km"], p["cost"]) == (route.km, route.cost)
        assert p["delivered"] == route.parcels
        assert p["collected"] == sum(sum(s.pickup.values()) for s in route.stops)
        assert p["ferry_crossings"] == route.ferry_crossings


def test_one_stop_point_per_stop(week: tuple[Network, Plan], week_doc: Doc) -> None:
    net, plan = week
    stops = _layer(week_doc, "stop")
    expected = [(r, i, s) for r in plan.routes for i, s in enumerate(r.stops)]
    assert len(stops) == len(expected)
    for f, (route, seq, stop) in zip(stops, expected, strict=True):
        p = f["properties"]
        node = net.node_by_id[stop.node]
        assert f["geometry"]["coordinates"] == [node.lon, node.lat]
        assert (p["day"], p["vehicle"], p["seq"], p["node"]) == (
            route.day,
            route.vehicle,
            seq,
            stop.node,
        )
        assert (p["arrive"], p["depart"]) == (stop.arrive, stop.depart)
        assert p["delivered"] == sum(stop.deliver.values())
    assert sum(f["properties"]["delivered"] for f in stops) == plan.totals.parcels


def test_write_leaves_no_temporary_file_and_round_trips(tmp_path: Path, zs_doc: Doc) -> None:
    target = tmp_path / "network.geojson"
    write_geojson(zs_doc, target)
    assert [p.name for p in tmp_path.iterdir()] == ["network.geojson"]
    text = target.read_text(encoding="utf-8")
    assert json.loads(text) == zs_doc
    assert "\\u" not in text  # Chinese names written as they are


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.geojson"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        write_geojson({"type": "FeatureCollection", "features": [object()]}, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.geojson"]


# ---- GIS round trip -------------------------------------------------------------------
@pytest.mark.parametrize("which", ["network", "plan"])
def test_geopandas_reads_the_files_unchanged(
    which: str, zs: Network, week: tuple[Network, Plan], tmp_path: Path
) -> None:
    gpd = pytest.importorskip("geopandas")
    doc = network_geojson(zs) if which == "network" else plan_geojson(*week)
    path = tmp_path / f"{which}.geojson"
    write_geojson(doc, path)
    frame = gpd.read_file(path)
    assert len(frame) == len(doc["features"])
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any()
    kinds = {f["geometry"]["type"] for f in doc["features"]}
    assert set(frame.geom_type) == kinds
    assert list(frame.layer) == [f["properties"]["layer"] for f in doc["features"]]
    if which == "plan":
        routes = frame[frame.layer == "route"]
        plan = week[1]
        assert list(routes.vehicle) == [r.vehicle for r in plan.routes]
        assert list(routes.day) == [r.day for r in plan.routes]
        assert routes.km.tolist() == pytest.approx([r.km for r in plan.routes])
        assert routes.ferry_crossings.sum() == plan.totals.ferry_crossings
    else:
        names = frame[frame.layer == "island"].name.tolist()
        assert names == [i.name for i in zs.islands]
