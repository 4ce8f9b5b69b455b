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


# ---- ferries: every F1 row, its times, class, vehicles and fares ----------------------
IN_SCOPE_ONCE_DROPPED = (
    ("三江", "长涂"),
    ("墩头", "登步"),
    ("三江", "洋山"),
    ("墩头", "嵊山"),
    ("泗礁", "大洋山"),
)
SHIFT_END = 19 * 60


def _f1_ledger(net: Network) -> dict[tuple[str, str, str], list[str]]:
    """F1 row group → the ids of the ferry records that hold it."""
    held: dict[tuple[str, str, str], list[str]] = {}
    for f in net.ferries:
        for key in getattr(f, "f1_rows", []):
            frm, to, vessel = key.split("|")
            held.setdefault((frm, to, vessel), []).append(f.id)
    return held


def test_every_f1_row_is_a_departure_or_listed_as_dropped(net: Network) -> None:
    rows = _shared_rows("ferry_departures_F1.csv")
    held = _f1_ledger(net)
    ledger = (net.provenance or {})["ferry_rows"]
    dropped = {(d["from"], d["to"], d["vessel"]): d for d in ledger["dropped"]}
    by_id = {f.id: f for f in net.ferries}
    for r in rows:
        key = (r["from_pier"], r["to_pier"], r["vessel"])
        hh, mm = r["departure"].split(":")
        t = int(hh) * 60 + int(mm)
        if key in dropped:
            assert key not in held and r["departure"] in dropped[key]["departures"], key
            assert dropped[key]["reason"], key
            continue
        assert key in held, f"F1 row {key} {r['departure']} neither kept nor listed"
        assert any(t in by_id[fid].departures["mon"] for fid in held[key]), (key, t)
    assert ledger["rows"] == len(rows)
    assert ledger["kept"] + sum(d["rows"] for d in ledger["dropped"]) == len(rows)
    for frm, to in IN_SCOPE_ONCE_DROPPED:
        assert any(k[:2] == (frm, to) for k in held), (frm, to)
    yushan = [d for d in ledger["dropped"] if d["to"] == "渔山"]
    assert yushan and "鱼山大桥" in yushan[0]["reason"]


def test_duntou_liuheng_keeps_all_seven_rows(net: Network) -> None:
    rows = [
        r
        for r in _shared_rows("ferry_departures_F1.csv")
        if r["from_pier"] == "墩头"
        and r["to_pier"].startswith("六横")
        and r["vessel"] != "speedboat"
    ]
    assert len(rows) == 7
    records = [f for f in net.ferries if any(k.startswith("墩头|六横") for k in f.f1_rows)]
    slow = [f for f in records if f.vessel != "high-speed"]
    assert sum(len(f.departures["mon"]) for f in slow) == 7


def test_every_ferry_figure_has_source_and_estimated(net: Network) -> None:
    keys = set((net.provenance or {})["sources"]) | set((net.provenance or {})["estimates"])
    for f in net.ferries:
        assert f.source in keys and isinstance(f.estimated, bool), f.id
        figures = f.figures
        for name in ("departures", "minutes", "vehicles", "fare_vehicle", "fare_parcel"):
            assert figures[name]["source"] in keys, (f.id, name)
            assert isinstance(figures[name]["estimated"], bool), (f.id, name)
        assert f.estimated == any(x["estimated"] for x in figures.values()), f.id


def test_late_landings_carry_a_note(net: Network) -> None:
    for f in net.ferries:
        late = [t for t in f.departures["mon"] if t + f.minutes > SHIFT_END]
        assert bool(late) == bool(getattr(f, "note", "")), f.id


def test_boat_class_vehicles_and_fares_follow_the_timetable(net: Network) -> None:
    rows = _shared_rows("ferry_departures_F1.csv")
    vessel = {(r["from_pier"], r["to_pier"], r["vessel"]): r for r in rows}
    for f in net.ferries:
        for key in f.f1_rows:
            frm, to, kind = key.split("|")
            if kind == "car-passenger ferry":
                assert f.vehicles and not f.figures["vehicles"]["estimated"], f.id
            if kind in ("high-speed", "speedboat"):
                assert not f.vehicles and f.vessel == "high-speed", f.id
            fare = vessel[(frm, to, kind)]["passenger_fare_yuan"]
            if fare:
                assert f.passenger_fare == float(fare), f.id
        if "车客渡" in f.name:  # the name claims vehicles only where a source says so
            assert f.vehicles and not f.figures["vehicles"]["estimated"], f.id
    sj = net.ferry_by_id["f_sanjiang_sijiao"]
    assert sj.vessel == "high-speed" and sj.minutes <= 130  # a 125-yuan fast boat, ~2 h


def test_fares_come_from_the_passenger_fare(net: Network) -> None:
    for f in net.ferries:
        if f.passenger_fare is None:
            continue
        if f.vehicles:
            assert f.fare_vehicle == round(6 * f.passenger_fare), f.id
        else:
            assert f.fare_parcel == max(0.5, round(0.04 * f.passenger_fare, 1)), f.id


# ---- provenance on every record -----------------------------------------------------
def _keys(net: Network) -> set[str]:
    pv = net.provenance or {}
    return set(pv["sources"]) | set(pv["estimates"])


def test_every_island_node_and_station_has_source_and_estimated(net: Network) -> None:
    keys = _keys(net)
    records = [*net.islands, *net.nodes, *net.stations]
    for rec in records:
        extra = rec.model_extra or {}
        assert extra.get("source") in keys, rec
        assert isinstance(extra.get("estimated"), bool), rec
        assert extra["estimated"] == extra["source"].startswith("E-"), rec
    for isl in net.islands:
        for name, figure in isl.figures.items():
            assert figure["source"] in keys and isinstance(figure["estimated"], bool), (
                isl.id,
                name,
            )
        assert ("area_km2" in isl.figures) == (isl.area_km2 is not None), isl.id
        assert ("population" in isl.figures) == (isl.population is not None), isl.id


def test_provenance_keys_are_listed_in_provenance_md(net: Network) -> None:
    md = Path(__file__).resolve().parents[1] / "src/islandroute/data/zhoushan/PROVENANCE.md"
    text = md.read_text("utf-8")
    for key in _keys(net):
        assert f"- {key}: " in text, key


def test_provenance_survives_a_round_trip(net: Network) -> None:
    again = Network.from_dict(net.to_dict())
    assert again.ferries[0].figures == net.ferries[0].figures
    assert (again.nodes[0].model_extra or {}).get("source") == net.nodes[0].source


# ---- positions: on land, inside the island's own outline, spread over it ------------
SMALL_ISLANDS_ONCE_INSIDE_A_NEIGHBOUR = ("panzhi", "lujiazhi", "xuanshan", "shulanghu")
SPREAD_MIN_HULL_SHARE = 0.3  # a one-town island's villages cover this much of it (was 0.06-0.15)


def _polygon(outline):  # type: ignore[no-untyped-def]
    from shapely.geometry import Polygon

    return Polygon(outline)


def test_every_node_lies_inside_its_own_island_and_no_other(net: Network) -> None:
    from shapely.geometry import Point

    outlines = {i.id: _polygon(i.outline) for i in net.islands if i.outline}
    centre_only = {i.id: i for i in net.islands if not i.outline}
    for n in net.nodes:
        if n.island in centre_only:  # a bridge junction on an islet the mask merges away
            isl = centre_only[n.island]
            assert n.kind == "junction" and "note" in isl.figures["outline"], n.id
            assert abs(n.lat - isl.lat) < 0.01 and abs(n.lon - isl.lon) < 0.01, n.id
            continue
        p = Point(n.lon, n.lat)
        assert outlines[n.island].contains(p), (n.id, n.island)
        others = [k for k, poly in outlines.items() if k != n.island and poly.contains(p)]
        assert not others, (n.id, n.island, others)
    for isl in SMALL_ISLANDS_ONCE_INSIDE_A_NEIGHBOUR:
        assert isl in outlines


def test_stations_and_piers_are_on_mask_land(net: Network) -> None:
    globe = pytest.importorskip("global_land_mask.globe")
    import numpy as np

    disc = {i.id for i in net.islands if i.figures["outline"]["source"] == "E-outline-disc"}
    nodes = [n for n in net.nodes if n.kind in ("station", "port") and n.island not in disc]
    lats = np.array([n.lat for n in nodes])
    lons = np.array([n.lon for n in nodes])
    land = globe.is_land(lats, lons)
    assert land.all(), [n.id for n, ok in zip(nodes, land, strict=True) if not ok]


def test_villages_spread_over_one_town_islands(net: Network) -> None:
    from shapely.geometry import MultiPoint

    by_island: dict[str, list[tuple[float, float]]] = {}
    towns: dict[str, set[str]] = {}
    for s in net.stations:
        n = net.node_by_id[s.node]
        if n.kind == "station":
            by_island.setdefault(n.island, []).append((n.lon, n.lat))
            towns.setdefault(n.island, set()).add(n.id[1:10])  # town code
    checked = 0
    for isl in net.islands:
        pts = by_island.get(isl.id, [])
        if len(pts) >= 4 and len(towns[isl.id]) == 1:
            share = MultiPoint(pts).convex_hull.area / _polygon(isl.outline).area
            assert share >= SPREAD_MIN_HULL_SHARE, (isl.id, round(share, 2))
            checked += 1
    assert checked >= 5  # 衢山, 六横, 桃花, 虾峙, 长涂, 金塘, ...
    placements = {net.node_by_id[s.node].placement for s in net.stations if s.node.startswith("v")}
    assert placements <= {"spread", "town", "geonames"} and "spread" in placements


# ---- demand -----------------------------------------------------------------------------
YUSHAN_VILLAGE = "v330921100233"  # 渔山村, 高亭镇: on 鱼山岛, residents relocated


def test_demand_total_matches_its_derivation(net: Network) -> None:
    demand = (net.provenance or {})["demand"]
    villages = [s for s in net.stations if s.node.startswith("v")]
    assert sum(s.parcels for s in villages) == demand["weekly_village_parcels"]
    assert net.weekly_parcels() == demand["weekly_village_parcels"]  # parks only send
    md = Path(__file__).resolve().parents[1] / "src/islandroute/data/zhoushan/PROVENANCE.md"
    assert f"**{demand['weekly_village_parcels']:,} parcels a week**" in md.read_text("utf-8")
    assert set(demand["scenarios"]) == {"low", "central", "high"}
    assert demand["scenarios"]["low"] < 1 < demand["scenarios"]["central"]


def test_relocated_yushan_gets_a_residual(net: Network) -> None:
    parcels = sorted(s.parcels for s in net.stations if s.node.startswith("v"))
    median = parcels[len(parcels) // 2]
    yushan = net.station_by_node[YUSHAN_VILLAGE]
    assert net.node_by_id[YUSHAN_VILLAGE].island == "yushan"
    assert 0 < yushan.parcels <= median / 4, (yushan.parcels, median)


def test_gouqi_and_shengshan_served_by_every_carrier(net: Network) -> None:
    for isl in ("gouqi", "shengshan"):
        villages = [s for s in net.stations if net.node_by_id[s.node].island == isl]
        assert villages
        carriers = {c for s in villages for c in s.demand}
        assert len(carriers) == len(net.carriers), (isl, carriers)
        based = {v.carrier for v in net.vehicles if net.node_by_id[v.depot].island == isl}
        assert carriers <= based, (isl, carriers - based)


def test_demand_scale_is_a_sensitivity_scenario(net: Network) -> None:
    base = net.weekly_parcels()
    high = zhoushan(2.0)
    assert abs(high.weekly_parcels() - 2 * base) <= len(net.stations)
    assert high.provenance and high.provenance["demand"]["scale"] == 2.0
    assert [v.id for v in high.vehicles] == [v.id for v in net.vehicles]
    assert all(s.parcels >= 1 for s in zhoushan(0.45).stations if s.node.startswith("v"))
    with pytest.raises(ValueError, match="demand_scale"):
        zhoushan(0.0)


# ---- 1+1+N -----------------------------------------------------------------------------
def _layout(net: Network) -> dict:  # type: ignore[type-arg]
    return (net.model_extra or {})["layout"]


def test_one_plus_one_plus_n(net: Network) -> None:
    lay = _layout(net)
    pc, cb = lay["processing_centre"], lay["cross_border_centre"]
    assert net.node_by_id[pc["hub"]].role == "processing_centre"
    assert net.node_by_id[pc["centre"]].role == "processing_centre"
    assert net.node_by_id[cb["hub"]].role == "cross_border_centre"
    assert net.node_by_id[cb["centre"]].role == "cross_border_centre"
    complexes = {n.id for n in net.nodes if n.role == "county_complex"}
    assert {c["id"] for c in lay["county_complexes"]} == complexes
    for c in lay["county_complexes"]:
        assert c["carrier_depots"] and c["towns"], c["id"]


def test_town_sorting_point_for_every_town(net: Network) -> None:
    towns = {n.id[1:10] for n in net.nodes if n.kind == "station"}
    points = {n.id: n for n in net.nodes if getattr(n, "tier", None) == "town"}
    assert {f"t_{t}" for t in towns} == set(points)
    for p in points.values():
        assert p.kind == "depot"
    listed = {t["id"]: t for t in _layout(net)["town_points"]}
    assert set(listed) == set(points)
    for t in listed.values():
        assert points[t["id"]].island == t["island"]
        assert t["vans"] or t["island_depot_vans"] or t["link_from_complex"] == "road"


def test_trunk_flows_carry_the_week(net: Network) -> None:
    trunk = _layout(net)["trunk"]
    assert {f["to"] for f in trunk} == {n.id for n in net.nodes if n.role == "county_complex"}
    assert all(f["from"] == "h_processing" for f in trunk)
    for f in trunk:
        assert f["days"] == list(net.service_days) and sum(f["parcels"].values()) == f["weekly"]
    assert sum(f["weekly"] for f in trunk) == net.weekly_parcels()
    assert {f["to"]: f["link"] for f in trunk}["h_cc_shengsi"] == "boat"  # 泗礁: no bridge


def test_shared_vans_run_from_town_sorting_points(net: Network) -> None:
    shared = [v for v in net.vehicles if v.carrier is None]
    assert shared
    for v in shared:
        assert getattr(net.node_by_id[v.depot], "tier", None) == "town", v.id


# ---- minor facts ---------------------------------------------------------------------
def test_shuanghe_is_the_daishan_end_of_the_zhoudai_bridge(net: Network) -> None:
    for n in net.nodes:
        if "双合" in n.name:
            assert n.island == "daishan", n.id
    zhoudai = [r for r in net.roads if r.bridge and "j_changbai" in (r.a, r.b)]
    ends = {net.node_by_id[x].island for r in zhoudai for x in (r.a, r.b)}
    assert ends == {"zhoushan", "changbai", "daishan"}


def test_changtu_merge_is_flagged_not_bridged(net: Network) -> None:
    changtu = next(i for i in net.islands if i.id == "changtu")
    assert changtu.figures["merged"]["estimated"] and "bridge" in changtu.figures["merged"]["note"]
    rows = _shared_rows("bridges_curated.csv")
    assert not any("长涂" in r["name_zh"] or "Changtu" in r["connects"] for r in rows)


def test_carrier_shares_say_which_are_sourced(net: Network) -> None:
    sourced = {c.id for c in net.carriers if not c.estimated}
    assert sourced == {"zto", "yto", "sto", "yunda"}  # cost_facts.csv; EMS, SF, J&T not found
    assert all(c.source == "cost_facts" and c.share_pct > 0 for c in net.carriers)
