"""Travel tables over stop nodes only: shapes, correctness through junctions, size limits."""

from __future__ import annotations

import math
import time
import tracemalloc
from itertools import pairwise
from types import SimpleNamespace
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import archipelagos

from islandroute.errors import NetworkError
from islandroute.model import Network
from islandroute.network import travel as travel_module
from islandroute.network.travel import MAX_STOP_NODES, Travel, stop_nodes

JUNCTIONS = 12_000
STOP_KINDS = ("station", "depot", "hub", "port")
#: The size check must answer at once, not after building tables.
REFUSE_SECONDS = 1.0
REFUSE_MB = 50


def node(nid: str, kind: str, x: float = 0.0, y: float = 0.0) -> dict[str, Any]:
    """A node document on island ``a``."""
    return {"id": nid, "kind": kind, "island": "a", "lon": x, "lat": y}


def network(nodes: list[dict[str, Any]], roads: list[dict[str, Any]] = (), **extra: Any) -> Network:
    """A network of just nodes and roads (no carriers, stations or vehicles)."""
    doc = {"nodes": nodes, "roads": list(roads), "carriers": [], "stations": [], "vehicles": []}
    return Network.model_validate({**doc, **extra})


def mon(*minutes: int) -> dict[str, Any]:
    """Ferry departures on Monday only."""
    return {"departures": {"mon": list(minutes)}}


def road(a: str, b: str, minutes: float, km: float) -> dict[str, Any]:
    return {"a": a, "b": b, "minutes": minutes, "km": km}


def chain(n_junctions: int) -> Network:
    """Stations ``s0`` and ``s1`` at the ends of a chain of junctions, station ``mid``
    beside its middle, and station ``alone`` that no road touches."""
    js = [f"j{k}" for k in range(n_junctions)]
    nodes = [node("s0", "station"), node("s1", "station"), node("mid", "station")]
    nodes += [node("alone", "depot")] + [node(j, "junction") for j in js]
    path = ["s0", *js, "s1"]
    roads = [road(a, b, 1.0, 0.5) for a, b in pairwise(path)]
    roads.append(road("mid", js[n_junctions // 2], 3.0, 2.0))
    return network(nodes, roads)


def road_graph(net: Network, weight: str) -> nx.Graph:
    """The network's roads as a networkx graph, the shortest of parallel roads kept."""
    g = nx.Graph()
    g.add_nodes_from(n.id for n in net.nodes)
    for r in net.roads:
        w = getattr(r, weight)
        if not g.has_edge(r.a, r.b) or g[r.a][r.b]["w"] > w:
            g.add_edge(r.a, r.b, w=w)
    return g


def assert_matches_networkx(net: Network, t: Travel) -> None:
    """Every stop pair, both tables, against networkx's Dijkstra (inf where unjoined)."""
    for weight, ask in (("minutes", t.road_minutes), ("km", t.road_km)):
        g = road_graph(net, weight)
        for a in t.ids:
            want = nx.single_source_dijkstra_path_length(g, a, weight="w")
            for b in t.ids:
                assert ask(a, b) == pytest.approx(want.get(b, math.inf), abs=1e-6), (a, b)


# ---- (a) stop nodes only, correct through junctions ---------------------------------


def test_12000_unconnected_junctions_give_tables_of_the_stops_only() -> None:
    nodes = [node("s0", "station"), node("s1", "station"), node("d", "depot")]
    nodes += [node(f"j{k}", "junction") for k in range(JUNCTIONS)]
    net = network(nodes, [road("s0", "d", 4.0, 2.0)])
    t = Travel(net)
    assert t.ids == ["s0", "s1", "d"]
    assert t.minutes.shape == t.km.shape == (3, 3)
    assert t.road_minutes("s0", "d") == 4.0
    assert t.road_km("d", "s0") == 2.0
    assert t.road_minutes("s0", "s1") == math.inf
    assert t.road_minutes("j7", "j7") == 0.0
    assert t.road_minutes("j7", "s0") == math.inf
    assert len({t.zone_of(f"j{k}") for k in range(JUNCTIONS)}) == JUNCTIONS


def test_12000_chained_junctions_are_driven_through() -> None:
    t = Travel(chain(JUNCTIONS))
    assert t.minutes.shape == (4, 4)
    assert t.road_minutes("s0", "s1") == pytest.approx(JUNCTIONS + 1.0)
    assert t.road_km("s1", "s0") == pytest.approx((JUNCTIONS + 1) * 0.5)
    half = JUNCTIONS // 2
    assert t.road_minutes("s0", "mid") == pytest.approx(half + 1 + 3.0)
    assert t.road_minutes("mid", "s1") == pytest.approx(JUNCTIONS - half + 3.0)
    assert t.road_minutes("alone", "s0") == math.inf
    assert t.zone_of("s0") == t.zone_of("s1") == t.zone_of("j5") != t.zone_of("alone")
    # a junction is not a table row, but road questions about it are still answered
    assert t.road_minutes("j10", "s0") == pytest.approx(11.0)
    assert t.road_km("s0", "j10") == pytest.approx(5.5)
    assert t.road_minutes("j10", "j20") == pytest.approx(10.0)
    with pytest.raises(KeyError, match="junction"):
        t.i("j10")
    with pytest.raises(KeyError, match="unknown node"):
        t.road_minutes("nowhere", "s0")


@st.composite
def road_networks(draw: st.DrawFn) -> Network:
    """Small networks of random kinds and roads (parallel roads, zero lengths, islands)."""
    n = draw(st.integers(1, 12), label="nodes")
    kinds = draw(st.lists(st.sampled_from((*STOP_KINDS, "junction")), min_size=n, max_size=n))
    nodes = [node(f"n{k}", kind) for k, kind in enumerate(kinds)]
    length = st.one_of(st.just(0.0), st.floats(0.0, 60.0, allow_nan=False))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), length, length)
    roads = [
        road(f"n{a}", f"n{b}", m, km)
        for a, b, m, km in draw(st.lists(pairs, max_size=3 * n), label="roads")
        if a != b
    ]
    return network(nodes, roads)


@settings(max_examples=60, deadline=None)
@given(net=road_networks(), chunk_bytes=st.sampled_from((1, 64, travel_module.CHUNK_BYTES)))
def test_road_tables_match_networkx(net: Network, chunk_bytes: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(travel_module, "CHUNK_BYTES", chunk_bytes)  # one source per chunk, ...
        t = Travel(net)
    assert t.ids == [n.id for n in net.nodes if n.kind != "junction"]
    assert_matches_networkx(net, t)
    g = road_graph(net, "minutes")
    for comp in nx.connected_components(g):
        assert len({t.zone_of(x) for x in comp}) == 1
    assert len({t.zone_of(n.id) for n in net.nodes}) == nx.number_connected_components(g)
    everyone = [n.id for n in net.nodes]
    for a in everyone:  # junctions too, by a Dijkstra on demand
        want = nx.single_source_dijkstra_path_length(g, a, weight="w")
        for b in everyone:
            assert t.road_minutes(a, b) == pytest.approx(want.get(b, math.inf), abs=1e-6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=archipelagos(max_stations=15, max_islands=4))
def test_archipelago_tables_match_networkx(net: Network) -> None:
    t = Travel(net)
    assert set(t.ids) == set(stop_nodes(net))
    assert_matches_networkx(net, t)


def test_junctions_a_route_names_get_a_row() -> None:
    nodes = [node("d", "depot"), node("j", "junction"), node("k", "junction")]
    nodes += [node("p", "port"), node("q", "junction"), node("x", "junction")]
    net = network(
        nodes,
        [road("d", "x", 2.0, 1.0), road("x", "j", 3.0, 1.0), road("p", "k", 1.0, 1.0)],
        carriers=[{"id": "c"}],
        vehicles=[{"id": "v", "carrier": "c", "depot": "j", "capacity": 10}],
        ferries=[
            {"id": "f", "from": "p", "to": "q", "minutes": 30, "vehicles": True, **mon(480)},
            {"id": "g", "from": "q", "to": "d", "minutes": 30, "vehicles": True, **mon(540)},
        ],
    )
    t = Travel(net)
    assert t.ids == ["d", "j", "p", "q"]  # x and k are mere junctions
    assert t.minutes[t.i("d"), t.i("j")] == 5.0
    journey = t.earliest_arrival("k", "j", "mon", 0.0, vehicle=False)  # from a junction
    assert journey is not None
    assert [h.mode for h in journey.hops] == ["road", "ferry", "ferry", "road"]
    assert journey.arrive == 540 + 30 + 5.0
    assert journey.hops[0].km == 1.0


# ---- (b) refused before allocating ----------------------------------------------------


def _no_tables(*_: Any) -> Any:
    raise AssertionError("tables were being built for a network over the limit")


def test_over_the_stop_limit_is_refused_before_any_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(travel_module, "MAX_STOP_NODES", 5)
    nodes = [node(f"s{k}", "station") for k in range(6)] + [node("j", "junction")]
    assert Travel(network(nodes[1:])).minutes.shape == (5, 5)  # 5 stops and a junction: fine
    monkeypatch.setattr(travel_module, "_stop_tables", _no_tables)
    monkeypatch.setattr(travel_module, "cdist", _no_tables)
    for geometry in ("lonlat", "planar"):
        with pytest.raises(NetworkError) as err:
            Travel(network(nodes, geometry=geometry))
        (problem,) = err.value.problems
        assert (problem.obj, problem.field) == ("network", "nodes")
        assert "6 stop nodes" in problem.message and "up to 5 stop nodes" in problem.message


def test_the_issues_400000_nodes_are_refused_at_once() -> None:
    """The issue's network asked for 1.16 TiB a table: refused in well under a second."""
    n = 400_000
    nodes = [SimpleNamespace(id=f"n{k}", kind="station") for k in range(n)]
    net = SimpleNamespace(nodes=nodes, roads=(), ferries=(), stations=(), vehicles=())
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(NetworkError) as err:
            Travel(net)  # type: ignore[arg-type]
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < REFUSE_SECONDS
    assert peak < REFUSE_MB * 2**20
    message = str(err.value)
    assert "network: nodes: 400,000 stop nodes" in message
    assert "400,000 x 400,000 would need 2,560.0 GB" in message
    assert f"up to {MAX_STOP_NODES:,} stop nodes" in message


@pytest.mark.parametrize(("limit", "field"), [("MAX_NODES", "nodes"), ("MAX_ROADS", "roads")])
def test_over_the_node_or_road_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch, limit: str, field: str
) -> None:
    monkeypatch.setattr(travel_module, limit, 3)
    monkeypatch.setattr(travel_module, "_stop_tables", _no_tables)
    monkeypatch.setattr(travel_module, "_road_graph", _no_tables)
    with pytest.raises(NetworkError) as err:
        Travel(chain(4))  # 8 nodes, 6 roads
    assert [(p.obj, p.field) for p in err.value.problems] == [("network", field)]
    assert "up to 3" in err.value.problems[0].message


# ---- (c) dtype and shape ------------------------------------------------------------


def test_tables_dtype_and_shape() -> None:
    t = Travel(chain(50))
    s = len(t.ids)
    for table in (t.minutes, t.km):
        assert table.dtype == np.float64
        assert table.shape == (s, s)
        assert np.array_equal(np.diag(table), np.zeros(s))
        assert np.array_equal(table, table.T)
    assert t.zone.shape == (s,)
    assert np.issubdtype(t.zone.dtype, np.integer)
    assert [t.i(x) for x in t.ids] == list(range(s))


def test_planar_without_roads_is_euclidean_over_stops_only() -> None:
    nodes = [node("a", "station", 0, 0), node("j", "junction", 1, 1)]
    nodes += [node("b", "hub", 3, 4), node("c", "port", 6, 8)]
    t = Travel(network(nodes, geometry="planar"))
    assert t.ids == ["a", "b", "c"]
    assert t.minutes.shape == (3, 3) and t.minutes.dtype == np.float64
    assert np.allclose(t.minutes, [[0, 5, 10], [5, 0, 5], [10, 5, 0]])
    assert np.array_equal(t.minutes, t.km)
    assert t.road_minutes("j", "b") == pytest.approx(math.hypot(2, 3))
    assert t.zone_of("j") == t.zone_of("a") == 0


def test_empty_network() -> None:
    t = Travel(network([node("j", "junction")]))
    assert t.minutes.shape == t.km.shape == (0, 0)
    assert t.zone.shape == (0,)
