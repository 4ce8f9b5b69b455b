"""The synthetic archipelago generator: seeded, valid, connected and serviceable."""

from __future__ import annotations

import hashlib
import heapq
import json
import math
from collections import Counter, defaultdict

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import archipelago_params, archipelagos

from islandroute.cli import NETWORK_HELP
from islandroute.datasets.specs import load_network, synthetic_spec
from islandroute.datasets.synthetic import FLOW_OPTIONS, archipelago
from islandroute.errors import NetworkError
from islandroute.model import Network, Station, Vehicle

SHIFT_START, SHIFT_END = 420, 1140


def _road_graph(net: Network, *, vehicle_ferries: bool = False) -> nx.Graph:
    """Nodes joined by roads (and, if asked, by vehicle ferries, as undirected links)."""
    g = nx.Graph()
    g.add_nodes_from(n.id for n in net.nodes)
    g.add_edges_from((r.a, r.b) for r in net.roads)
    if vehicle_ferries:
        g.add_edges_from((f.from_, f.to) for f in net.ferries if f.vehicles)
    return g


def _island_of(net: Network) -> dict[str, str]:
    return {n.id: n.island for n in net.nodes}


def _per_visit(net: Network, station: str) -> int:
    """Parcels of a whole visit: delivered and picked up, all carriers."""
    s = net.station_by_node[station]
    return math.ceil((s.parcels + sum(s.pickup.values())) / s.min_visits)


def _villages(net: Network) -> list:
    """The stations on ``station`` nodes (not the parks)."""
    return [s for s in net.stations if net.node_by_id[s.node].kind == "station"]


def check_network(net: Network) -> None:
    """Every structural promise of the generator, on one network."""
    island = _island_of(net)
    island_ids = [i.id for i in net.islands]
    access = net.provenance["access"] if net.provenance else {}

    # every island has a station; stations are exact
    assert set(island_ids) == {n.island for n in net.nodes}
    assert set(island_ids) <= {island[s.node] for s in _villages(net)}
    assert len(_villages(net)) == net.provenance["params"]["n_stations"]
    assert len(net.islands) == net.provenance["params"]["n_islands"]
    assert len(net.carriers) == net.provenance["params"]["n_carriers"]

    # 1 + 1 + N hubs
    roles = Counter(n.role for n in net.nodes if n.kind == "hub")
    assert roles["processing_centre"] == 1
    assert roles["cross_border_centre"] == 1
    assert roles["county_complex"] == max(1, math.ceil(len(net.islands) / 4))
    pc = next(n for n in net.nodes if n.role == "processing_centre")
    assert pc.island == "i0"

    # each island's roads (without bridges) connect all its nodes
    local = nx.Graph()
    local.add_nodes_from(n.id for n in net.nodes)
    for r in net.roads:
        if island[r.a] == island[r.b]:
            assert not r.bridge
            local.add_edge(r.a, r.b)
        else:
            assert r.bridge, f"road {r.a}-{r.b} joins two islands but is no bridge"
    for isl in island_ids:
        members = [n.id for n in net.nodes if n.island == isl]
        assert nx.is_connected(local.subgraph(members)), f"island {isl} roads not connected"
    for r in net.roads:
        assert r.km > 0 and r.minutes > 0

    # bridged islands are road-connected to the main island
    roads = _road_graph(net)
    main_nodes = nx.node_connected_component(roads, pc.id)
    for isl, how in access.items():
        some = next(n.id for n in net.nodes if n.island == isl)
        assert (some in main_nodes) == (how in ("main", "bridge")), (isl, how)

    # ferries: both directions, departures are clock minutes on every day
    pairs = Counter()
    for f in net.ferries:
        assert island[f.from_] != island[f.to]
        assert net.node_by_id[f.from_].kind == "port" and net.node_by_id[f.to].kind == "port"
        assert f.minutes > 0
        assert set(f.departures) == set(net.days)
        for times in f.departures.values():
            assert times and all(0 <= t <= 1439 for t in times)
        if f.vehicles:
            assert f.fare_parcel == 0
        else:
            assert f.fare_parcel > 0
        pairs[(frozenset((f.from_, f.to)), f.vehicles)] += 1
    assert all(c == 2 for c in pairs.values())
    directed = {(f.from_, f.to, f.vehicles) for f in net.ferries}
    assert all((b, a, v) in directed for a, b, v in directed)
    # every ferry joins the road network of the main island to one outer island
    for f in net.ferries:
        assert (f.from_ in main_nodes) != (f.to in main_nodes)
    ferry_islands = {island[f.to] for f in net.ferries if f.vehicles and f.to not in main_nodes}
    boat_islands = {island[f.to] for f in net.ferries if not f.vehicles and f.to not in main_nodes}
    assert ferry_islands == {i for i, h in access.items() if h == "vehicle_ferry"}
    assert boat_islands == {i for i, h in access.items() if h == "boat_only"}

    # stations: rules and demand
    carriers = set(net.carrier_ids)
    served_by: dict[str, set[str]] = defaultdict(set)
    for s in _villages(net):
        assert s.min_visits == 3 and s.open == (480, 1080)
        assert s.demand and set(s.demand) <= carriers
        assert all(q > 0 for q in s.demand.values())
        for c in s.demand:
            served_by[c].add(s.node)
    assert set(served_by) == carriers

    # fleets: each carrier reaches each of its stations with its own vehicles,
    # and every vehicle can carry a whole visit to any station it can reach
    drive = _road_graph(net, vehicle_ferries=True)
    reach = {v.id: nx.node_connected_component(drive, v.depot) for v in net.vehicles}
    for c, nodes in served_by.items():
        own = [v for v in net.vehicles if v.carrier == c]
        assert own, f"carrier {c} has no vehicle"
        for node in nodes:
            assert any(node in reach[v.id] for v in own), f"{c} cannot reach {node}"
    stations = {s.node for s in _villages(net)}
    for v in net.vehicles:
        assert net.node_by_id[v.depot].kind in ("depot", "hub")
        assert v.shift == (SHIFT_START, SHIFT_END)
        for node in reach[v.id] & stations:
            assert _per_visit(net, node) <= v.capacity, (v.id, node)
    for isl in boat_islands:
        for c, nodes in served_by.items():
            if any(island[n] == isl for n in nodes):
                assert any(v.carrier == c and island[v.depot] == isl for v in net.vehicles), (
                    f"{c} has no vehicle on boat-only island {isl}"
                )
    assert (
        sum(v.carrier is None for v in net.vehicles) == net.provenance["params"]["shared_vehicles"]
    )

    # vehicle ferries: a van from any main-island depot can cross and come back in shift
    minutes = nx.Graph()
    minutes.add_weighted_edges_from((r.a, r.b, r.minutes) for r in net.roads)
    minutes.add_nodes_from(n.id for n in net.nodes)
    depots = {v.depot for v in net.vehicles if island[v.depot] == "i0"}
    dist = {d: nx.single_source_dijkstra_path_length(minutes, d) for d in depots}
    for f in net.ferries:
        if not f.vehicles or f.from_ not in main_nodes:
            continue
        ret = next(g for g in net.ferries if g.from_ == f.to and g.to == f.from_)
        for d in depots:
            to_pier = dist[d][f.from_]
            for day in ("mon", "sat"):
                assert any(
                    o >= SHIFT_START + to_pier
                    and b >= o + f.minutes
                    and b + ret.minutes + to_pier <= SHIFT_END
                    for o in f.departures[day]
                    for b in ret.departures[day]
                ), f"{f.id} on {day}: no same-day round trip from {d}"


def test_default_network_is_valid_and_complete() -> None:
    net = archipelago()
    check_network(net)
    assert len(net.stations) == 100
    assert len(net.islands) == 8
    assert any(r.bridge for r in net.roads)
    assert any(f.vehicles for f in net.ferries)
    assert any(not f.vehicles for f in net.ferries)


def test_same_seed_same_network_other_seed_other_network() -> None:
    a = archipelago(60, 6, 3, seed=11).to_dict()
    b = archipelago(60, 6, 3, seed=11).to_dict()
    c = archipelago(60, 6, 3, seed=12).to_dict()
    assert a == b
    assert a != c
    assert a["nodes"] != c["nodes"]


def test_generator_leaves_global_random_state_alone() -> None:
    import random

    import numpy as np

    np.random.seed(5)
    random.seed(5)
    before = (np.random.random(), random.random())
    np.random.seed(5)
    random.seed(5)
    archipelago(30, 4, 2, seed=3)
    assert (np.random.random(), random.random()) == before


def test_exchange_round_trip_is_exact() -> None:
    net = archipelago(50, 6, 3, seed=4)
    doc = net.to_dict()
    # stations' own service minutes are a 1.1 field: the document says so
    assert {s.service_minutes for s in net.stations} != {5.0}
    assert doc["format"] == "islandroute.network/1.1"
    assert Network.from_dict(doc).to_dict() == doc


@pytest.mark.parametrize(
    ("n_stations", "n_islands", "n_carriers"),
    [(1, 1, 1), (2, 2, 1), (7, 7, 2), (13, 3, 4), (200, 12, 5), (40, 17, 11)],
)
def test_counts_are_exact(n_stations: int, n_islands: int, n_carriers: int) -> None:
    net = archipelago(n_stations, n_islands, n_carriers, seed=n_stations)
    check_network(net)
    assert len(net.stations) == n_stations
    assert len(net.islands) == n_islands
    assert len(net.carriers) == n_carriers
    assert len(set(net.carrier_ids)) == n_carriers


@pytest.mark.parametrize(
    ("shares", "kind"),
    [((1, 0, 0), "bridge"), ((0, 1, 0), "vehicle_ferry"), ((0, 0, 1), "boat_only")],
)
def test_pure_access_mixes(shares: tuple[float, float, float], kind: str) -> None:
    net = archipelago(
        30,
        5,
        2,
        share_bridge=shares[0],
        share_vehicle_ferry=shares[1],
        share_boat_only=shares[2],
        seed=2,
    )
    check_network(net)
    access = net.provenance["access"]
    assert Counter(access.values()) == Counter({"main": 1, kind: 4})
    assert any(r.bridge for r in net.roads) == (kind == "bridge")
    assert {f.vehicles for f in net.ferries} == (
        set() if kind == "bridge" else {kind == "vehicle_ferry"}
    )


def test_every_positive_share_gets_an_island() -> None:
    net = archipelago(20, 4, 1, share_bridge=0.1, share_vehicle_ferry=0.8, share_boat_only=0.1)
    assert set(net.provenance["access"].values()) == {
        "main",
        "bridge",
        "vehicle_ferry",
        "boat_only",
    }
    assert any(r.bridge for r in net.roads)


def test_timetable_follows_departures_per_day() -> None:
    net = archipelago(40, 6, 2, departures_per_day=6, share_bridge=0, seed=1)
    for f in net.ferries:
        assert len(f.departures["wed"]) == 6
        assert min(f.departures["wed"]) >= 390 and max(f.departures["wed"]) <= 1050
    sparse = archipelago(40, 6, 2, departures_per_day=1, share_bridge=0, seed=1)
    check_network(sparse)  # a lone sailing each way still allows a same-day round trip
    assert all(1 <= len(f.departures["mon"]) <= 2 for f in sparse.ferries)


def test_crossing_minutes_follow_distance() -> None:
    net = archipelago(40, 6, 2, share_bridge=0, seed=8)
    ll = {n.id: (n.lon, n.lat) for n in net.nodes}
    for f in net.ferries:
        (x1, y1), (x2, y2) = ll[f.from_], ll[f.to]
        km = math.hypot((x2 - x1) * 111.32 * math.cos(math.radians(y1)), (y2 - y1) * 110.57)
        assert f.minutes == pytest.approx(km / 25 * 60 + 10, abs=1.5)


def test_fleet_is_sized_to_load() -> None:
    net = archipelago(300, 8, 3, seed=5)
    for c in net.carrier_ids:
        vans = [v for v in net.vehicles if v.carrier == c and v.depot == f"dep-{c}"]
        stops = sum(1 for s in net.stations if c in s.demand)
        # about half the stations a day, ~16 stops a van: enough but not wildly more
        assert stops * 3 / 6 / 25 <= len(vans) <= stops * 3 / 6 / 8 + 6
    fixed = archipelago(60, 4, 2, vehicles_per_carrier_depot=3, seed=5)
    for c in fixed.carrier_ids:
        assert sum(v.depot == f"dep-{c}" for v in fixed.vehicles) == 3


def test_per_visit_demand_fits_with_large_demand() -> None:
    net = archipelago(50, 6, 7, demand_range=(100, 400), share_boat_only=1.0, seed=3)
    check_network(net)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_stations": 3, "n_islands": 4},
        {"n_islands": 0},
        {"n_carriers": 0},
        {"departures_per_day": 0},
        {"min_visits": 7},
        {"share_bridge": 0, "share_vehicle_ferry": 0, "share_boat_only": 0},
        {"share_bridge": -1},
        {"vehicles_per_carrier_depot": 0},
    ],
)
def test_impossible_parameters_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        archipelago(**kwargs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=archipelagos())
def test_property_small_archipelagos_are_sound(net: Network) -> None:
    check_network(net)
    assert Network.from_dict(net.to_dict()).to_dict() == net.to_dict()
    assert len(net.stations) <= 12 and len(net.carriers) <= 3 and len(net.islands) <= 4


@settings(max_examples=15, deadline=None)
@given(kw=archipelago_params(max_stations=30, max_islands=8, max_carriers=4))
def test_property_seeded(kw: dict) -> None:
    assert archipelago(**kw).to_dict() == archipelago(**kw).to_dict()


def test_large_archipelago_generates() -> None:
    net = archipelago(2000, 20, 7, seed=1)
    assert len(net.stations) == 2000
    assert len(net.carriers) == 7
    check_network(net)


def test_crowded_archipelagos_still_place_every_island() -> None:
    """80 islands around one main island once ran out of tries (``synthetic:2000:7:0``)."""
    net = archipelago(n_stations=2000, n_islands=80, n_carriers=7, seed=0)
    assert len(net.islands) == 80 and len(net.stations) == 2000


# sha256 of the sorted-key JSON of ``archipelago(**kw).to_dict()``, computed with main's
# code before the spec-1.1 flows existed (commit 1a90173): the flows are off by default,
# so these networks must stay byte for byte what they were.
OLD_SEEDS: tuple[tuple[dict[str, object], str], ...] = (
    (
        {"n_stations": 30, "n_islands": 2, "n_carriers": 3, "seed": 0},
        "ce0aa7c67256153d66716db8fbf09b430c0cfdb7ae04e8753d91924a34db2d0a",
    ),
    (
        {"n_stations": 100, "n_islands": 4, "n_carriers": 3, "seed": 7},
        "b2139912f4dd695692d2048d5ffcdd85cc0bfa49a3b6f32d189a4d6b051cc8a9",
    ),
    (
        {"n_stations": 60, "n_islands": 6, "n_carriers": 2, "seed": 11},
        "b671caba713a52d4158467531a6f94ab1c265c2766d00e68e88da3b801667a57",
    ),
    (
        {"n_stations": 40, "n_islands": 5, "n_carriers": 4, "seed": 12345, "share_boat_only": 1.0},
        "d799aaeee5e4861ef269c8761feb18a32d05907983cbf9bf5041370b6a4814d8",
    ),
)


def _digest(net: Network) -> str:
    return hashlib.sha256(json.dumps(net.to_dict(), sort_keys=True).encode()).hexdigest()


@pytest.mark.parametrize(("kwargs", "digest"), OLD_SEEDS)
def test_old_seeds_give_the_same_network(kwargs: dict, digest: str) -> None:
    assert _digest(archipelago(**kwargs)) == digest


# ---- spec-1.1 flows: parks, centres, pickups, deadlines, cold chain ------------------------

SERVICE_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
CENTRE_ROLES = {"processing_centre", "cross_border_centre"}
FLOWS = {"parks": 3, "pickup_share": 0.05, "cold_parks": 1, "deadlines": True}


def _earliest(net: Network, source: str, start: float, day: str) -> dict[str, float]:
    """Earliest arrival at every node a van can reach from ``source`` leaving at ``start``:
    roads any time, vehicle ferries at their departures of ``day`` (waiting at the pier)."""
    roads: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for r in net.roads:
        roads[r.a].append((r.b, r.minutes))
        roads[r.b].append((r.a, r.minutes))
    sailings = defaultdict(list)
    for f in net.ferries:
        if f.vehicles:
            sailings[f.from_].append(f)
    best = {source: float(start)}
    heap = [(float(start), source)]
    while heap:
        t, u = heapq.heappop(heap)
        if t > best[u]:
            continue
        steps = [(v, t + m) for v, m in roads[u]]
        for f in sailings[u]:
            leave = [d for d in f.departures.get(day, ()) if d >= t]
            if leave:
                steps.append((f.to, leave[0] + f.minutes))
        for v, at in steps:
            if at < best.get(v, math.inf):
                best[v] = at
                heapq.heappush(heap, (at, v))
    return best


def _collects(net: Network, van: Vehicle, park: Station, day: str) -> bool:
    """Whether ``van`` can leave its depot at its shift start, load at the park in its hours,
    hand in at ``pickup_to`` (or its depot) by ``pickup_by`` within ``max_ride`` if cold,
    and be home by its shift end."""
    arrive = _earliest(net, van.depot, van.shift[0], day).get(park.node, math.inf)
    if arrive > park.open[1]:
        return False
    leave = max(arrive, park.open[0]) + park.service_minutes
    hand_at = park.pickup_to or van.depot
    hand = _earliest(net, park.node, leave, day).get(hand_at, math.inf)
    home = _earliest(net, hand_at, hand, day).get(van.depot, math.inf)
    return (
        hand <= (park.pickup_by if park.pickup_by is not None else van.shift[1])
        and (not park.cold or hand - leave <= park.max_ride)
        and home <= van.shift[1]
    )


def _parks(net: Network) -> list[Station]:
    return [s for s in net.stations if net.node_by_id[s.node].kind == "park"]


def check_flows(net: Network) -> None:
    """Every promise of the spec-1.1 flows, on one network (also a sound archipelago)."""
    check_network(net)
    doc = net.to_dict()
    assert Network.from_dict(doc).to_dict() == doc
    params = net.provenance["params"]
    parks = _parks(net)
    assert len(parks) == params.get("parks", 0)
    assert sum(p.cold for p in parks) == params.get("cold_parks", 0)
    _check_village_pickups(net, params.get("pickup_share", 0.0))
    _check_centres(net, params.get("deadlines", False))
    for park in parks:
        _check_park(net, park, params.get("deadlines", False))
    cold_carriers = {c for p in parks if p.cold for c in p.pickup}
    assert {v.carrier for v in net.vehicles if v.refrigerated} == cold_carriers


def _check_village_pickups(net: Network, share: float) -> None:
    """Villages send about ``share`` of each carrier's deliveries, to the vehicle's depot."""
    sent = pairs = 0
    for s in _villages(net):
        assert s.pickup_to is None and s.pickup_by is None and not s.cold
        assert set(s.pickup) <= set(s.demand)
        for c, n in s.pickup.items():
            assert 0 < n <= round(1.5 * share * s.demand[c]) + 1, (s.node, c)
        sent += sum(s.pickup.values())
        pairs += len(s.demand)
    delivered = sum(s.parcels for s in _villages(net))
    # each village draws 0.5..1.5 times the share; rounding moves each pair by half a parcel
    assert 0.5 * share * delivered - pairs / 2 <= sent <= 1.5 * share * delivered + pairs / 2


def _check_centres(net: Network, deadlines: bool) -> None:
    """Centre nodes, with their roles, exist exactly when the parks have deadlines."""
    centres = {n.id for n in net.nodes if n.kind == "centre"}
    roles = net.provenance.get("centres", {})
    assert set(roles) == centres
    assert set(roles.values()) == (CENTRE_ROLES if deadlines else set())
    for cid in centres:
        assert net.node_by_id[cid].island == "i0"


def _check_park(net: Network, park: Station, deadlines: bool) -> None:
    """A park sends every service day on a road or vehicle-ferry island, within one van of
    each of its carriers, and each carrier's own (refrigerated if cold) vans collect it."""
    node = net.node_by_id[park.node]
    assert net.provenance["access"][node.island] in ("main", "bridge", "vehicle_ferry")
    assert park.min_visits == len(SERVICE_DAYS) and not park.demand
    assert park.pickup and 1 <= len(park.pickup) <= 3
    daily = sum(park.pickup.values()) / park.min_visits
    assert daily == int(daily)
    assert (park.pickup_to is not None) == deadlines == (park.pickup_by is not None)
    if deadlines:
        _check_deadline(net, park)
    for c in park.pickup:
        vans = [v for v in net.vehicles if v.carrier == c and (v.refrigerated or not park.cold)]
        assert any(v.capacity >= daily for v in vans), (park.node, c)
        for day in SERVICE_DAYS:
            assert any(_collects(net, v, park, day) for v in vans), (park.node, c, day)


def _check_deadline(net: Network, park: Station) -> None:
    """The cut-off is in shift and no earlier than opening + loading + the drive there."""
    assert park.pickup_to in net.provenance["centres"]
    assert net.node_by_id[park.pickup_to].kind == "centre"
    assert net.node_by_id[park.pickup_to].role == net.provenance["centres"][park.pickup_to]
    assert park.pickup_by <= SHIFT_END
    ready = park.open[0] + park.service_minutes
    for day in SERVICE_DAYS:
        assert park.pickup_by >= _earliest(net, park.node, ready, day)[park.pickup_to]
    roads = nx.Graph()
    roads.add_weighted_edges_from((r.a, r.b, r.minutes) for r in net.roads)
    if nx.has_path(roads, park.node, park.pickup_to):
        road = nx.shortest_path_length(roads, park.node, park.pickup_to, weight="weight")
        assert park.pickup_by >= park.open[0] + road


def test_flows_are_off_by_default() -> None:
    net = archipelago(40, 5, 3, seed=2)
    assert not _parks(net) and not any(s.pickup for s in net.stations)
    assert not any(n.kind in ("park", "centre") for n in net.nodes)
    assert not any(v.refrigerated for v in net.vehicles)
    assert "parks" not in net.provenance["params"] and "centres" not in net.provenance
    assert net.to_dict() == archipelago(40, 5, 3, seed=2, parks=0, pickup_share=0.0).to_dict()


@pytest.mark.parametrize("seed", [0, 7, 21])
def test_all_flows_on_give_a_sound_network(seed: int) -> None:
    net = archipelago(100, 4, 3, seed=seed, **FLOWS)
    check_flows(net)
    assert net.name == f"synthetic-100s-4i-3c-{seed}-parks3-pickups0.05-cold1-deadlines"
    assert net.to_dict()["format"] == "islandroute.network/1.1"
    assert any(s.pickup for s in _villages(net))
    assert {s.pickup_to for s in _parks(net)} <= {"ctr-pc", "ctr-cb"}


def test_flows_are_servable_in_joint_and_separate_mode() -> None:
    """The library's own reach check finds nothing to complain of in either mode."""
    from islandroute.network import check_network as reach_problems
    from islandroute.network.reach import Reach, diagnose

    net = archipelago(60, 6, 4, seed=3, parks=4, pickup_share=0.2, cold_parks=2, deadlines=True)
    assert reach_problems(net) == []
    assert diagnose(net, Reach(net), mode="separate") == []


def test_parks_reach_vehicle_ferry_islands() -> None:
    """Parks are placed on vehicle-ferry islands too, and are collected across the ferry."""
    net = archipelago(
        40, 6, 2, seed=5, share_bridge=0, share_vehicle_ferry=1, share_boat_only=0, parks=12
    )
    check_flows(net)
    island = _island_of(net)
    assert any(island[p.node] != "i0" for p in _parks(net))


def test_parks_only_add_to_the_archipelago() -> None:
    """Parks, centres and deadlines draw from their own streams: every node, road, ferry,
    station and vehicle of the same seed without them is still there, unchanged."""
    base = archipelago(50, 5, 3, seed=9).to_dict()
    flows = archipelago(50, 5, 3, seed=9, parks=2, cold_parks=2, deadlines=True).to_dict()
    for key in ("nodes", "roads", "stations", "vehicles"):
        assert flows[key][: len(base[key])] == base[key], key
        assert len(flows[key]) > len(base[key])
    assert flows["ferries"] == base["ferries"] and flows["islands"] == base["islands"]


def test_deadlines_and_cold_leave_the_parks_where_they_were() -> None:
    plain = archipelago(50, 5, 3, seed=4, parks=3)
    both = archipelago(50, 5, 3, seed=4, parks=3, cold_parks=3, deadlines=True)
    where = {n.id: (n.lon, n.lat) for n in plain.nodes if n.kind == "park"}
    assert where == {n.id: (n.lon, n.lat) for n in both.nodes if n.kind == "park"}
    assert [s.pickup for s in _parks(plain)] == [s.pickup for s in _parks(both)]
    assert all(s.cold and s.pickup_to for s in _parks(both))


def test_pickups_grow_capacities_to_the_visits() -> None:
    base = archipelago(40, 5, 2, seed=6, share_boat_only=1.0)
    net = archipelago(40, 5, 2, seed=6, share_boat_only=1.0, pickup_share=0.5)
    check_flows(net)
    before = {v.id: v.capacity for v in base.vehicles}
    assert [v.id for v in net.vehicles] == list(before)
    for v in net.vehicles:
        assert v.capacity >= before[v.id] * 1.5
    assert [s.demand for s in net.stations] == [s.demand for s in base.stations]


def test_a_cold_park_gets_refrigerated_vans_of_each_of_its_carriers() -> None:
    net = archipelago(30, 3, 5, seed=8, parks=2, cold_parks=1)
    check_flows(net)
    (cold,) = [p for p in _parks(net) if p.cold]
    assert cold.max_ride >= 240
    for c in cold.pickup:
        vans = [v for v in net.vehicles if v.carrier == c and v.refrigerated]
        assert vans and all(v.capacity >= sum(cold.pickup.values()) / 6 for v in vans)


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"parks": -1}, "parks"),
        ({"parks": 101}, "parks"),
        ({"pickup_share": 1.5}, "pickup_share"),
        ({"pickup_share": -0.1}, "pickup_share"),
        ({"pickup_share": math.nan}, "pickup_share"),
        ({"parks": 2, "cold_parks": 3}, "cold_parks"),
        ({"cold_parks": 1}, "cold_parks"),
        ({"deadlines": True}, "deadlines"),
    ],
)
def test_impossible_flows_are_refused(kwargs: dict, param: str) -> None:
    with pytest.raises(ValueError, match=param):
        archipelago(20, 2, 2, **kwargs)


@st.composite
def _flow_params(draw: st.DrawFn) -> dict:
    """Small archipelagos with any mix of flows."""
    kw = draw(archipelago_params(max_stations=20, max_islands=5, max_carriers=4))
    parks = draw(st.integers(0, 4), label="parks")
    kw["parks"] = parks
    kw["pickup_share"] = draw(st.sampled_from([0.0, 0.05, 0.3, 1.0]), label="pickup_share")
    kw["cold_parks"] = draw(st.integers(0, parks), label="cold_parks")
    kw["deadlines"] = parks > 0 and draw(st.booleans(), label="deadlines")
    return kw


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kw=_flow_params())
def test_property_flows_build_sound_networks(kw: dict) -> None:
    net = archipelago(**kw)
    check_flows(net)
    assert archipelago(**kw).to_dict() == net.to_dict()


# ---- the CLI's synthetic network spec -------------------------------------------------


def test_synthetic_spec_reads_flow_options() -> None:
    spec = "synthetic:100:3:7:parks=2,pickups=0.05,cold=1,deadlines=1"
    assert synthetic_spec(spec) == (
        100,
        3,
        7,
        {"parks": 2, "pickup_share": 0.05, "cold_parks": 1, "deadlines": True},
    )
    assert synthetic_spec("synthetic:30:parks=1") == (30, 3, 0, {"parks": 1})
    assert synthetic_spec("synthetic:30:2:1") == (30, 2, 1, {})
    net = load_network("synthetic:30:2:1:parks=1, deadlines=1")
    assert net.to_dict() == archipelago(30, 2, 2, seed=1, parks=1, deadlines=True).to_dict()
    check_flows(net)


@pytest.mark.parametrize(
    ("options", "option", "says"),
    [
        ("parks=x", "parks", "whole number"),
        ("parks=101", "parks", "0..100"),
        ("parks=-1", "parks", "whole number"),
        ("parks=²", "parks", "whole number"),
        ("pickups=2", "pickups", "0..1"),
        ("pickups=lots", "pickups", "number"),
        ("pickups=nan", "pickups", "number"),
        ("parks=2,cold=3", "cold", "0..parks"),
        ("cold=1", "cold", "0..parks"),
        ("deadlines=1", "deadlines", "parks"),
        ("parks=1,deadlines=yes", "deadlines", "0 or 1"),
        ("parks=1,parks=2", "parks", "twice"),
        ("parks=1,colour=2", "colour", "unknown option"),
        ("parks=1,cold", "cold", "expected cold=VALUE"),
        ("parks=1,", "", "unknown option"),
        ("parks=", "parks", "expected parks=VALUE"),
    ],
)
def test_bad_flow_options_name_the_option(options: str, option: str, says: str) -> None:
    with pytest.raises(NetworkError) as err:
        synthetic_spec(f"synthetic:30:2:1:{options}")
    (problem,) = err.value.problems
    assert problem.obj == "--network"
    assert problem.field == f"option {option!r}"
    assert says in problem.message


def test_options_after_too_many_numbers_are_refused() -> None:
    with pytest.raises(NetworkError, match="OPTIONS"):
        synthetic_spec("synthetic:30:2:1:4:parks=1")


def test_network_help_documents_every_option() -> None:
    for option in FLOW_OPTIONS:
        assert f"{option}=" in NETWORK_HELP
    assert "synthetic:STATIONS[:CARRIERS[:SEED]][:OPTIONS]" in NETWORK_HELP
