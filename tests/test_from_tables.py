"""network_from_tables: a network from station, vehicle and ferry tables (issue 12)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import islandroute
from islandroute.cli import main
from islandroute.datasets.tables import (
    DETOUR_FACTOR,
    ROAD_SPEED_KMH,
    haversine_km,
    network_from_tables,
)
from islandroute.errors import NetworkError
from islandroute.model.network import Network

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def stations_frame() -> pd.DataFrame:
    """Six stations on two islands with demand of two carriers."""
    rows = [
        ("a1", "A one", 122.10, 30.00, "a", 12, 6),
        ("a2", "A two", 122.12, 30.01, "a", 9, 0),
        ("a3", "A three", 122.08, 30.02, "a", 6, 3),
        ("b1", "B one", 122.30, 30.10, "b", 9, 3),
        ("b2", "B two", 122.32, 30.11, "b", 0, 6),
        ("b3", "B three", 122.31, 30.08, "b", 6, 6),
    ]
    columns = ["node", "name", "lon", "lat", "island", "demand_ems", "demand_zto"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["open_from"] = "08:00"
    frame["open_to"] = "18:00"
    return frame


def vehicles_frame() -> pd.DataFrame:
    """An EMS van at a new depot on island a and a shared van at island b's pier."""
    return pd.DataFrame(
        {
            "id": ["v1", "v2"],
            "carrier": ["ems", ""],
            "depot": ["dA", "pB"],
            "capacity": [200, 200],
            "shift_from": ["07:00", "07:00"],
            "shift_to": ["19:00", "19:00"],
            "cost_per_km": [1.5, 1.2],
            "depot_lon": [122.11, None],
            "depot_lat": [30.005, None],
            "depot_island": ["a", ""],
        }
    )


def ferries_frame() -> pd.DataFrame:
    """One vehicle ferry line between the islands, both ways, every day."""
    pier_a = {"lon": 122.15, "lat": 30.03, "island": "a"}
    pier_b = {"lon": 122.27, "lat": 30.09, "island": "b"}
    rows = []
    for fid, (src, dst), times in (
        ("out", (("pA", pier_a), ("pB", pier_b)), "07:30 12:00"),
        ("back", (("pB", pier_b), ("pA", pier_a)), "13:00 16:30"),
    ):
        row = {"id": fid, "from": src[0], "to": dst[0], "minutes": 30, "vehicles": "true"}
        row |= {f"from_{k}": v for k, v in src[1].items()}
        row |= {f"to_{k}": v for k, v in dst[1].items()}
        row |= dict.fromkeys(WEEK, times)
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture
def net() -> Network:
    return network_from_tables(stations_frame(), vehicles_frame(), ferries_frame())


def write_csvs(folder: Path) -> tuple[Path, Path, Path]:
    """The three test tables as CSV files in ``folder``."""
    paths = (folder / "s.csv", folder / "v.csv", folder / "f.csv")
    frames = (stations_frame(), vehicles_frame(), ferries_frame())
    for frame, path in zip(frames, paths, strict=True):
        frame.to_csv(path, index=False)
    return paths


def test_counts_and_new_nodes(net: Network) -> None:
    kinds = {n.id: n.kind for n in net.nodes}
    assert len(net.stations) == 6 and len(net.vehicles) == 2 and len(net.ferries) == 2
    assert net.carrier_ids == ("ems", "zto")
    assert kinds["dA"] == "depot" and kinds["pA"] == "port" and kinds["pB"] == "port"
    assert len(net.nodes) == 9
    v2 = net.vehicle_by_id["v2"]
    assert v2.carrier is None and v2.depot == "pB" and v2.shift == (420, 1140)
    assert net.station_by_node["b2"].demand == {"zto": 6}
    assert net.ferry_by_id["out"].departures["sun"] == (450, 720)


def test_estimated_roads_connect_each_island(net: Network) -> None:
    islands: dict[str, nx.Graph] = defaultdict(nx.Graph)
    island_of = {n.id: n.island for n in net.nodes}
    for n in net.nodes:
        islands[n.island].add_node(n.id)
    for r in net.roads:
        assert island_of[r.a] == island_of[r.b]
        islands[island_of[r.a]].add_edge(r.a, r.b)
    assert set(islands) == {"a", "b"}
    assert all(nx.is_connected(g) for g in islands.values())


def test_estimated_km_is_haversine_times_detour(net: Network) -> None:
    nodes = net.node_by_id
    for r in net.roads:
        a, b = nodes[r.a], nodes[r.b]
        km = haversine_km(a.lon, a.lat, b.lon, b.lat) * DETOUR_FACTOR
        assert r.km == pytest.approx(km, abs=1e-3)
        assert r.minutes == pytest.approx(km / ROAD_SPEED_KMH * 60, abs=0.1)
    assert net.provenance is not None and net.provenance["roads_estimated"] is True
    assert "estimated" in net.provenance["roads"]


def test_haversine_known_distance() -> None:
    # one degree of latitude is about 111.2 km
    assert haversine_km(122.0, 30.0, 122.0, 31.0) == pytest.approx(111.19, abs=0.05)


def test_csv_files_give_the_same_document(net: Network, tmp_path: Path) -> None:
    s, v, f = write_csvs(tmp_path)
    from_files = network_from_tables(s, v, f)
    assert from_files.to_dict() == net.to_dict()


def test_given_roads_are_used(tmp_path: Path) -> None:
    roads = pd.DataFrame(
        {"a": ["a1", "a2"], "b": ["a2", "a3"], "km": [2.5, 3], "minutes": [5, 6]}
        | {"bridge": ["false", "yes"]}
    )
    built = network_from_tables(stations_frame(), vehicles_frame(), ferries_frame(), roads)
    assert [(r.a, r.b, r.km, r.bridge) for r in built.roads] == [
        ("a1", "a2", 2.5, False),
        ("a2", "a3", 3.0, True),
    ]
    assert built.provenance == {"source": "tables", "roads": "given"}


def test_a_week_can_be_planned_and_validates(net: Network) -> None:
    plan = islandroute.plan_week(net, time_limit=2)
    assert islandroute.validate(net, plan) == []
    delivered = sum(sum(s.deliver.values()) for r in plan.routes for s in r.stops)
    assert delivered == sum(s.parcels for s in net.stations) == 66


def test_non_numeric_lon_names_file_row_and_column(tmp_path: Path) -> None:
    s, v, f = write_csvs(tmp_path)
    frame = stations_frame().astype({"lon": object})
    frame.loc[1, "lon"] = "east"
    frame.to_csv(s, index=False)
    with pytest.raises(NetworkError) as err:
        network_from_tables(s, v, f)
    assert f"{s} row 3: lon: 'east' is not a number" in str(err.value)


def test_missing_required_column_is_named() -> None:
    with pytest.raises(NetworkError) as err:
        network_from_tables(stations_frame().drop(columns=["lat"]), vehicles_frame())
    assert "stations: lat: missing column" in str(err.value)


def test_unknown_depot_is_named() -> None:
    vehicles = vehicles_frame()
    vehicles.loc[0, "depot_lon"] = None
    vehicles.loc[0, "depot_lat"] = None
    vehicles.loc[0, "depot_island"] = ""
    with pytest.raises(NetworkError) as err:
        network_from_tables(stations_frame(), vehicles, ferries_frame())
    assert "vehicles row 2: depot: unknown node 'dA'" in str(err.value)


def test_every_bad_cell_is_reported_at_once() -> None:
    stations = stations_frame().astype({"lat": object, "demand_ems": object})
    stations.loc[0, "lat"] = "north"
    stations.loc[4, "demand_ems"] = "1.5"
    with pytest.raises(NetworkError) as err:
        network_from_tables(stations, vehicles_frame(), ferries_frame())
    assert len(err.value.problems) == 2
    assert "stations row 6: demand_ems: 1.5 is not a whole number" in str(err.value)


def test_bad_departure_time_is_named() -> None:
    ferries = ferries_frame()
    ferries.loc[0, "wed"] = "07:30 25:00"
    with pytest.raises(NetworkError) as err:
        network_from_tables(stations_frame(), vehicles_frame(), ferries)
    assert "ferries row 2: wed:" in str(err.value) and "25:00" in str(err.value)


def test_excel_without_openpyxl_or_unknown_suffix_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NetworkError) as err:
        network_from_tables(tmp_path / "s.json", vehicles_frame())
    assert "s.json: file: expected a .csv or .xlsx file" in str(err.value)


def test_cli_build_writes_a_network_that_reads_back(
    net: Network, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s, v, f = write_csvs(tmp_path)
    out = tmp_path / "net.json"
    argv = ["network", "build", "--stations", str(s), "--vehicles", str(v)]
    assert main([*argv, "--ferries", str(f), "--out", str(out)]) == 0
    back = Network.from_json(str(out))
    assert back.to_dict() == net.to_dict()
    assert json.loads(out.read_text())["provenance"]["roads_estimated"] is True


def test_cli_build_bad_table_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s, v, _ = write_csvs(tmp_path)
    out = tmp_path / "net.json"
    assert main(["network", "build", "--vehicles", str(v), "--out", str(out)]) == 2
    assert "--stations" in capsys.readouterr().err
    v.write_text("id,carrier,depot,capacity\nv1,ems,nowhere,10\n")
    assert main(["network", "build", "--stations", str(s), "--vehicles", str(v)]) == 2
    err = capsys.readouterr().err
    assert f"error: {v} row 2: depot: unknown node 'nowhere'" in err
    assert "Traceback" not in err and not out.exists()


def test_xlsx_needs_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = tmp_path / "s.xlsx"
    sheet.write_bytes(b"")
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(NetworkError) as err:
        network_from_tables(sheet, vehicles_frame())
    assert "s.xlsx: file: reading .xlsx needs openpyxl" in str(err.value)


def test_importing_islandroute_needs_no_optional_extra() -> None:
    """pandas (the analysis extra) is loaded only when tables are read."""
    import subprocess
    import sys

    code = "import sys, islandroute; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
