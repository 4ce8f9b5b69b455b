"""Fact tests of the built-in Zhoushan network (issue 13): what a local courier knows.

Each test pins a fact the shipped document must keep; those that compare with the shared
reference CSVs skip when ``/work/shared`` is absent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from islandroute.datasets import zhoushan
from islandroute.model.network import Network

SHARED = Path("/work/shared/data/zhoushan")
DENGBU_VILLAGES = {"v330903001214": "大岙", "v330903001215": "竹东", "v330903001216": "沙头"}
HUNI_VILLAGE = "v330903102221"
DUNTOU_DENGBU_F1 = (510, 630, 870, 990)  # 08:30 10:30 14:30 16:30 (F1)


@pytest.fixture(scope="module")
def net() -> Network:
    return zhoushan()


def _road_graph(net: Network) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(n.id for n in net.nodes)
    g.add_edges_from((r.a, r.b) for r in net.roads)
    return g


def _shared_rows(name: str) -> list[dict[str, str]]:
    if not SHARED.is_dir():
        pytest.skip("shared Zhoushan CSVs not available")
    with open(SHARED / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---- 登步岛 and 湖泥岛 ------------------------------------------------------------------
def test_dengbu_villages_lie_on_dengbu(net: Network) -> None:
    for vid, name in DENGBU_VILLAGES.items():
        node = net.node_by_id[vid]
        assert node.name.startswith(name) and node.island == "dengbu", vid


def test_dengbu_is_reached_only_by_the_duntou_boat(net: Network) -> None:
    g = _road_graph(net)
    dengbu = {n.id for n in net.nodes if n.island == "dengbu"}
    for vid in DENGBU_VILLAGES:
        by_road = nx.node_connected_component(g, vid)
        assert by_road <= dengbu, sorted(by_road - dengbu)[:5]  # no road off the island
    pier = {n.id for n in net.nodes if n.island == "dengbu" and n.kind == "port"}
    duntou = net.node_by_id["p_shenjiamen"]
    out = [f for f in net.ferries if f.from_ == duntou.id and f.to in pier]
    back = [f for f in net.ferries if f.from_ in pier and f.to == duntou.id]
    assert out and back
    assert set(DUNTOU_DENGBU_F1) <= {t for f in out for t in f.departures["mon"]}


def test_dengbu_parcels_are_served_on_the_island(net: Network) -> None:
    for vid in DENGBU_VILLAGES:
        st = net.station_by_node[vid]
        for carrier in st.demand:
            depots = {net.node_by_id[v.depot].island for v in net.vehicles if v.carrier == carrier}
            assert "dengbu" in depots, (vid, carrier)


def test_huni_on_its_own_island_by_boat(net: Network) -> None:
    node = net.node_by_id[HUNI_VILLAGE]
    assert node.name.startswith("湖泥") and node.island == "huni"
    island = next(i for i in net.islands if i.id == "huni")
    assert island.outline
    piers = {n.id for n in net.nodes if n.island == "huni" and n.kind == "port"}
    assert any(f.to in piers for f in net.ferries)
    assert any(f.from_ in piers for f in net.ferries)


def test_town_island_map_is_applied_in_full(net: Network) -> None:
    """Every village the map file puts on another island lies there (none held back)."""
    rows = _shared_rows("town_island_map.csv")
    text = " ".join(r["villages_on_other_islands"] for r in rows)
    assert "登步岛" in text and "湖泥岛" in text
    assert not (net.provenance or {}).get("not_yet_applied")
