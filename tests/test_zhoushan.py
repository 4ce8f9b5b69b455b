"""The built-in Zhoushan network: contents, geography, reachability, round trip, rebuild."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx
import pytest

from islandroute.datasets import zhoushan
from islandroute.model.network import WEEK, Ferry, Network, Vehicle

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "src" / "islandroute" / "data" / "zhoushan"
SHARED = Path("/work/shared/data/zhoushan")
CARRIERS = {"ems", "zto", "yto", "sto", "yunda", "sf", "jt"}


@pytest.fixture(scope="module")
def net() -> Network:
    return zhoushan()


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_cached_and_fast(net: Network) -> None:
    assert zhoushan() is net
    assert net.name == "zhoushan" and net.days == WEEK


def test_stations_are_the_281_village_committees(net: Network) -> None:
    assert len(net.stations) >= 281
    for s in net.stations:
        node = net.node_by_id[s.node]
        assert node.kind == "station"
        assert node.id.isascii() and node.id.startswith("v") and node.id[1:].isdigit()
        assert node.name.endswith("村委会"), node.name  # not residents' committees
        assert s.min_visits == 3
        assert s.open[0] <= 480 and s.open[1] >= 1080
        assert 5 <= s.service_minutes <= 10
        assert any(n > 0 for n in s.demand.values()), s.node
    counties = Counter(s.node[1:7] for s in net.stations)
    assert counties == {"330902": 90, "330903": 88, "330921": 74, "330922": 29}


def test_islands_with_stations_and_outlines(net: Network) -> None:
    with_stations = {net.node_by_id[s.node].island for s in net.stations}
    assert len(with_stations) >= 15
    islands = {i.id: i for i in net.islands}
    assert sum(1 for i in net.islands if i.outline) >= 15
    for s in net.stations:
        node = net.node_by_id[s.node]
        isl = islands[node.island]
        geom = isl.geometry()
        if isl.outline:
            assert geom.buffer(0.005).contains(_point(node.lon, node.lat)), s.node
        else:
            assert _km(node.lon, node.lat, isl.lon, isl.lat) < 2.0, s.node


def _point(lon: float, lat: float):  # type: ignore[no-untyped-def]
    from shapely.geometry import Point

    return Point(lon, lat)


def test_hubs_one_one_n(net: Network) -> None:
    hubs = [n for n in net.nodes if n.kind == "hub"]
    roles = Counter(h.role for h in hubs)
    assert roles["processing_centre"] == 1
    assert roles["cross_border_centre"] == 1
    assert roles["county_complex"] == 4
    pc = next(h for h in hubs if h.role == "processing_centre")
    assert pc.island == "zhoushan"
    cc_islands = {h.island for h in hubs if h.role == "county_complex"}
    assert cc_islands == {"zhoushan", "daishan", "sijiao"}


def test_carriers_and_demand_size(net: Network) -> None:
    assert set(net.carrier_ids) == CARRIERS and len(net.carriers) == 7
    total = net.weekly_parcels()
    assert 20_000 <= total <= 120_000  # the PROVENANCE.md assumption: ~31,600 a week
    per = Counter[str]()
    for s in net.stations:
        per.update(s.demand)
    assert set(per) == CARRIERS and per["zto"] == max(per.values())


def test_bridges_are_roads(net: Network) -> None:
    bridges = [r for r in net.roads if r.bridge]
    assert len(bridges) >= 10
    islands = {frozenset((net.node_by_id[r.a].island, net.node_by_id[r.b].island)) for r in bridges}
    for pair in (
        ("zhoushan", "zhujiajian"),
        ("daishan", "xiushan"),
        ("daishan", "yushan"),
        ("cezi", "jintang"),
        ("changbai", "daishan"),
        ("zhoushan", "lujiazhi"),
    ):
        assert frozenset(pair) in islands, pair
    g = nx.Graph((r.a, r.b) for r in net.roads)
    zs = next(n.id for n in net.nodes if n.island == "zhoushan" and n.kind == "station")
    ds = next(n.id for n in net.nodes if n.island == "daishan" and n.kind == "station")
    jt = next(n.id for n in net.nodes if n.island == "jintang" and n.kind == "station")
    assert nx.has_path(g, zs, ds) and nx.has_path(g, zs, jt)
    for r in net.roads:
        assert r.km > 0 and r.minutes > 0


def test_ferry_lines_both_ways(net: Network) -> None:
    lines: dict[frozenset[str], list[Ferry]] = defaultdict(list)
    for f in net.ferries:
        lines[frozenset((f.from_, f.to))].append(f)
        for day, times in f.departures.items():
            assert day in WEEK
            assert all(0 <= t <= 1439 for t in times)
    both = [
        k
        for k, fs in lines.items()
        if {f.from_ for f in fs} == set(k) and all(any(f.departures.values()) for f in fs)
    ]
    assert len(both) >= 10
    vehicle = [f for f in net.ferries if f.vehicles]
    assert len(vehicle) >= 8
    for f in vehicle:
        assert all(f.departures.get(d) for d in WEEK), f.id  # all 7 days
        assert f.fare_vehicle > 0
    for f in net.ferries:
        if not f.vehicles:
            assert f.fare_parcel > 0


def test_vehicles(net: Network) -> None:
    assert len(net.vehicles) <= 120
    assert any(v.carrier is None for v in net.vehicles)
    for v in net.vehicles:
        assert net.node_by_id[v.depot].kind in ("depot", "hub")
        assert v.capacity > 0 and v.cost_per_km > 0 and v.cost_fixed > 0
    for c in CARRIERS:
        depots = {net.node_by_id[v.depot].island for v in net.vehicles if v.carrier == c}
        assert {"zhoushan", "daishan", "sijiao"} <= depots, c


def test_round_trip_identical(net: Network) -> None:
    doc = net.to_dict()
    again = Network.from_dict(json.loads(json.dumps(doc)))
    assert again.to_dict() == doc
    assert net.to_json() == (SHIPPED / "network.json").read_text("utf-8")
    assert net.provenance and "demand" in net.provenance
    assert (SHIPPED / "PROVENANCE.md").read_text("utf-8").count("estimate") > 10


# ---- reachability: an independent, simple check ----------------------------------
def _road_minutes(net: Network) -> dict[str, dict[str, float]]:
    g = nx.Graph()
    for r in net.roads:
        g.add_edge(r.a, r.b, w=r.minutes)
    return {n: dict(d) for n, d in nx.all_pairs_dijkstra_path_length(g, weight="w")}


def _ferry_round_trip(
    v: Vehicle, out: Ferry, back: Ferry, to_pier: float, from_pier: float, day: str
) -> bool:
    """A van leaves its depot, crosses, spends an hour and is home within its shift."""
    for t in out.departures.get(day, ()):
        if t < v.shift[0] + to_pier:
            continue
        ready = t + out.minutes + 60
        for u in back.departures.get(day, ()):
            if u >= ready and u + back.minutes + from_pier <= v.shift[1]:
                return True
    return False


def test_every_station_reachable_by_each_carrier(net: Network) -> None:
    roads = _road_minutes(net)
    ferries = [f for f in net.ferries if f.vehicles]
    visit_days = net.service_days
    for s in net.stations:
        island = net.node_by_id[s.node].island
        for c, weekly in s.demand.items():
            if weekly <= 0:
                continue
            best_cap = 0
            for v in net.vehicles:
                if v.carrier != c:
                    continue
                dep = net.node_by_id[v.depot]
                if dep.island == island or s.node in roads.get(v.depot, {}):
                    best_cap = max(best_cap, v.capacity)
                    continue
                for f in ferries:
                    back = next((g for g in ferries if g.from_ == f.to and g.to == f.from_), None)
                    if back is None or s.node not in roads.get(f.to, {f.to: 0}):
                        continue
                    if f.from_ not in roads.get(v.depot, {}):
                        continue
                    leg = roads[v.depot][f.from_]
                    days = [d for d in visit_days if _ferry_round_trip(v, f, back, leg, leg, d)]
                    if len(days) >= 3:
                        best_cap = max(best_cap, v.capacity)
            assert best_cap > 0, f"{c} cannot reach {s.node} on {island}"
            assert best_cap >= math.ceil(weekly * 4 / 7), (s.node, c, weekly, best_cap)


def test_project_reach_diagnosis(net: Network) -> None:
    reach = pytest.importorskip("islandroute.network.reach")
    r = reach.Reach(net)
    for mode in ("separate", "joint"):
        assert reach.diagnose(net, r, mode=mode) == [], mode


# ---- the builder -----------------------------------------------------------------
@pytest.mark.skipif(not SHARED.is_dir(), reason="shared Zhoushan CSVs not available")
def test_builder_is_deterministic_and_matches_shipped() -> None:
    pytest.importorskip("global_land_mask")
    spec = importlib.util.spec_from_file_location(
        "build_zhoushan", REPO / "tools/build_zhoushan.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while defining
    try:
        spec.loader.exec_module(mod)
    finally:
        del sys.modules[spec.name]
    net1, md1 = mod.build(SHARED)
    net2, md2 = mod.build(SHARED)
    assert net1.to_json() == net2.to_json() and md1 == md2
    assert net1.to_json() == (SHIPPED / "network.json").read_text("utf-8")
    assert md1 == (SHIPPED / "PROVENANCE.md").read_text("utf-8")
