"""The built-in Zhoushan network: contents, geography, reachability, round trip, rebuild;
the pickups of 两进一出 (centres, parks, cold chain, village pickups) and their deadlines."""

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
from islandroute.errors import NetworkError
from islandroute.model.network import WEEK, Ferry, Network, Station, Vehicle

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


def _villages(net: Network) -> list[Station]:
    return [s for s in net.stations if net.node_by_id[s.node].kind == "station"]


def _parks(net: Network) -> dict[str, Station]:
    return {s.node: s for s in net.stations if net.node_by_id[s.node].kind == "park"}


def test_stations_are_the_281_village_committees(net: Network) -> None:
    assert len(_villages(net)) == 281
    assert {net.node_by_id[s.node].kind for s in net.stations} == {"station", "park"}
    for s in _villages(net):
        node = net.node_by_id[s.node]
        assert node.id.isascii() and node.id.startswith("v") and node.id[1:].isdigit()
        assert node.name.endswith("村委会"), node.name  # not residents' committees
        assert s.min_visits == 3
        assert s.open[0] <= 480 and s.open[1] >= 1080
        assert 5 <= s.service_minutes <= 10
        assert any(n > 0 for n in s.demand.values()), s.node
    counties = Counter(s.node[1:7] for s in _villages(net))
    assert counties == {"330902": 90, "330903": 88, "330921": 74, "330922": 29}


def test_islands_with_stations_and_outlines(net: Network) -> None:
    with_stations = {net.node_by_id[s.node].island for s in net.stations}
    assert len(with_stations) >= 15
    islands = {i.id: i for i in net.islands}
    assert sum(1 for i in net.islands if i.outline) >= 15
    for s in net.stations:  # villages and parks alike lie on their island
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
    assert total == 31_622  # PROVENANCE.md's derivation: 100 M x 0.55 x 0.03 / 52.18 weeks
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


# ---- 两进一出: centres, parks, cold chain, village pickups ---------------------------
SHUANGQIAO = (122.01144, 30.0588)  # GeoNames 7524680, the north-west coast by the bonded zone
SHENJIAMEN = (122.29802, 29.95763)  # GeoNames 1795632


def test_document_is_format_1_1(net: Network) -> None:
    assert net.to_dict()["format"] == "islandroute.network/1.1"


def test_two_centres_with_their_roles(net: Network) -> None:
    centres = {n.role: n for n in net.nodes if n.kind == "centre"}
    assert len([n for n in net.nodes if n.kind == "centre"]) == 2
    assert set(centres) == {"processing_centre", "cross_border_centre"}
    pc, cb = centres["processing_centre"], centres["cross_border_centre"]
    assert pc.island == cb.island == "zhoushan"
    hub = next(h for h in net.nodes if h.kind == "hub" and h.role == "processing_centre")
    assert _km(pc.lon, pc.lat, hub.lon, hub.lat) < 2.0  # on the Dinghai side, by the hub
    assert _km(cb.lon, cb.lat, *SHUANGQIAO) < 3.0  # port-side, north-west coast


def test_a_role_needs_a_hub_or_a_centre(net: Network) -> None:
    doc = net.to_dict()
    park = next(n for n in doc["nodes"] if n["kind"] == "park")
    park["role"] = "processing_centre"
    with pytest.raises(NetworkError, match="only a hub or a centre has a role"):
        Network.from_dict(doc)
    park["role"] = None
    centre = next(n for n in doc["nodes"] if n["kind"] == "centre")
    assert centre["role"]  # the shipped centres carry theirs; a centre need not
    centre["role"] = None
    assert Network.from_dict(doc).node_by_id[centre["id"]].role is None


def test_seafood_market_is_a_cold_park(net: Network) -> None:
    market = _parks(net)["k_seafood_market"]
    node = net.node_by_id[market.node]
    assert node.island == "zhoushan" and _km(node.lon, node.lat, *SHENJIAMEN) < 2.0
    assert market.cold and 120 <= market.max_ride <= 180
    assert market.min_visits == 6 and not market.demand
    assert market.open[0] <= 7 * 60 and market.open[1] <= 14 * 60  # an early market
    assert set(market.pickup) <= {"sf", "ems", "zto", "jt"} and len(market.pickup) >= 2
    assert market.pickup["sf"] == max(market.pickup.values())
    to = net.node_by_id[market.pickup_to or ""]
    assert to.kind == "centre" and to.role == "processing_centre"
    assert market.pickup_by == 18 * 60


def test_jintang_screw_park(net: Network) -> None:
    park = _parks(net)["k_jintang_screw"]
    assert net.node_by_id[park.node].island == "jintang"
    assert not park.cold and park.min_visits == 6 and not park.demand
    assert len(park.pickup) >= 3
    assert 150 * 6 <= sum(park.pickup.values()) <= 300 * 6  # 150-300 parcels a working day
    to = net.node_by_id[park.pickup_to or ""]
    assert to.kind == "centre" and to.role == "cross_border_centre"
    assert park.pickup_by is not None and park.open[0] < park.pickup_by <= park.open[1]


def test_every_pickup_to_is_a_centre_with_one_cut_off(net: Network) -> None:
    cut_offs: dict[str, set[int | None]] = defaultdict(set)
    for s in net.stations:
        if s.pickup_to is not None:
            assert net.node_by_id[s.pickup_to].kind == "centre", s.node
            cut_offs[s.pickup_to].add(s.pickup_by)
    assert set(cut_offs) == {n.id for n in net.nodes if n.kind == "centre"}
    assert all(len(c) == 1 and None not in c for c in cut_offs.values())


def test_each_day_of_park_pickups_fits_one_vehicle(net: Network) -> None:
    for s in _parks(net).values():
        for c, weekly in s.pickup.items():
            able = [v for v in net.vehicles if v.carrier == c and (v.refrigerated or not s.cold)]
            daily = math.ceil(weekly / s.min_visits)
            assert daily * 2 <= max(v.capacity for v in able), (s.node, c, daily)


def test_refrigerated_vehicles_for_every_cold_carrier(net: Network) -> None:
    cold = {c for s in net.stations if s.cold for c in s.pickup}
    assert cold >= {"sf", "ems"}
    reefers = [v for v in net.vehicles if v.refrigerated]
    assert {v.carrier for v in reefers} == cold  # every cold carrier, no other
    assert len(reefers) <= 2 * len(cold)
    roads = _road_minutes(net)
    for v in reefers:
        assert net.node_by_id[v.depot].kind == "depot"
        assert all(s.node in roads[v.depot] for s in net.stations if s.cold)


def test_every_park_deadline_is_reachable(net: Network) -> None:
    """An independent check on plain road minutes: some vehicle of each carrier (cold:
    refrigerated) leaves at shift start, collects inside the park's window, drives
    straight to the centre, hands in by the cut-off and within max_ride, and is home by
    the end of its shift."""
    roads = _road_minutes(net)
    for s in _parks(net).values():
        to = s.pickup_to or ""
        assert s.pickup_by is not None
        for c in s.pickup:
            ok = []
            for v in net.vehicles:
                if v.carrier != c or (s.cold and not v.refrigerated):
                    continue
                if s.node not in roads.get(v.depot, {}):  # another island, no road
                    continue
                arrive = max(v.shift[0] + roads[v.depot][s.node], s.open[0])
                handin = arrive + s.service_minutes + roads[s.node][to]
                home = handin + 5 + roads[to][v.depot]
                ride_ok = not s.cold or handin - arrive <= s.max_ride
                if arrive <= s.open[1] and handin <= s.pickup_by and ride_ok:
                    ok.append(home <= v.shift[1])
            assert any(ok), (s.node, c)


def test_access_roads_are_dead_ends(net: Network) -> None:
    """A new site joins by one road, so it shortens no existing path."""
    degree = Counter[str]()
    for r in net.roads:
        degree.update((r.a, r.b))
    for n in net.nodes:
        if n.kind in ("centre", "park"):
            assert degree[n.id] == 1, n.id


def test_village_pickups_are_a_small_share(net: Network) -> None:
    shares = []
    for s in _villages(net):
        delivered = sum(s.demand.values())
        sent = sum(s.pickup.values())
        assert round(0.05 * delivered) <= sent <= round(0.10 * delivered), s.node
        assert set(s.pickup) <= set(s.demand), s.node
        assert s.pickup_to is None and s.pickup_by is None and not s.cold
        assert s.min_visits == 3
        shares.append(sent / delivered)
    total = sum(sum(s.pickup.values()) for s in _villages(net))
    assert 0.05 <= total / sum(s.parcels for s in _villages(net)) <= 0.10
    assert len({round(x, 2) for x in shares}) > 5  # seeded per village, not one flat rate


def test_provenance_states_every_new_figure(net: Network) -> None:
    assert net.provenance is not None
    pv = net.provenance["pickups"]
    statuses = {"sourced", "estimate"}
    md = (SHIPPED / "PROVENANCE.md").read_text("utf-8")
    centres = {n.id: n for n in net.nodes if n.kind == "centre"}
    assert set(pv["centres"]) == set(centres)
    for cid, entry in pv["centres"].items():
        assert entry["role"] == centres[cid].role
        for field in ("site", "pickup_by"):
            assert entry[field]["status"] in statuses and entry[field]["why"], (cid, field)
        cut = entry["pickup_by"]["value"]
        assert all(s.pickup_by == cut for s in net.stations if s.pickup_to == cid)
        assert cid in md and f"{cut // 60:02d}:{cut % 60:02d} (estimate)" in md
    parks = _parks(net)
    assert set(pv["parks"]) == set(parks)
    for pid, entry in pv["parks"].items():
        s = parks[pid]
        fields = {
            "pickup": s.pickup,
            "pickup_to": s.pickup_to,
            "pickup_by": s.pickup_by,
            "open": list(s.open),
            "min_visits": s.min_visits,
            "service_minutes": s.service_minutes,
            "cold": s.cold,
        } | ({"max_ride": s.max_ride} if s.cold else {})
        for field, value in fields.items():
            assert entry[field]["value"] == value, (pid, field)
            assert entry[field]["status"] in statuses and entry[field]["why"], (pid, field)
        assert pid in md and f"pickup per week {sum(s.pickup.values()):,}:" in md
        if s.cold:
            assert f"max_ride {s.max_ride} min (estimate)" in md
    reefers = [v.id for v in net.vehicles if v.refrigerated]
    assert pv["refrigerated_vehicles"]["value"] == reefers
    assert pv["refrigerated_vehicles"]["status"] in statuses
    assert all(f"`{v}`" in md for v in reefers)
    village = pv["village_pickups"]
    assert village["weekly"] == sum(sum(s.pickup.values()) for s in _villages(net))
    assert village["status"] in statuses and village["share"] == [0.05, 0.10]
    assert f"Village pickups (农产品上行, estimate): {village['weekly']:,} a week" in md
    for key in pv["sources"]:
        assert f"- {key}: " in md
    assert len(pv["deadline_check"]) == sum(len(s.pickup) for s in parks.values())


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
