"""The command line: networks written by another tool plan and validate; bad input is
named without a traceback."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

import islandroute as ir
from islandroute.cli import main


def _spec_only_network() -> dict[str, Any]:
    """A network with exactly the spec's fields, as another tool would write it."""
    return {
        "format": "islandroute.network/1",
        "name": "outside-tool",
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "nodes": [
            {"id": "D", "kind": "depot", "island": "a", "lon": 122.0, "lat": 30.0},
            {"id": "P1", "kind": "port", "island": "a", "lon": 122.05, "lat": 30.0},
            {"id": "P2", "kind": "port", "island": "b", "lon": 122.15, "lat": 30.0},
            {"id": "S1", "kind": "station", "island": "a", "lon": 122.02, "lat": 30.03},
            {"id": "S2", "kind": "station", "island": "b", "lon": 122.17, "lat": 30.02},
            {"id": "S3", "kind": "station", "island": "b", "lon": 122.18, "lat": 29.98},
        ],
        "roads": [
            {"a": "D", "b": "P1", "km": 5, "minutes": 9, "bridge": False},
            {"a": "D", "b": "S1", "km": 4, "minutes": 7, "bridge": False},
            {"a": "P2", "b": "S2", "km": 3, "minutes": 6, "bridge": False},
            {"a": "P2", "b": "S3", "km": 4, "minutes": 7, "bridge": False},
        ],
        "ferries": [
            {
                "id": "out",
                "from": "P1",
                "to": "P2",
                "minutes": 30,
                "vehicles": True,
                "departures": {d: [480, 720] for d in ["mon", "tue", "wed", "thu", "fri", "sat"]},
            },
            {
                "id": "back",
                "from": "P2",
                "to": "P1",
                "minutes": 30,
                "vehicles": True,
                "departures": {d: [600, 900] for d in ["mon", "tue", "wed", "thu", "fri", "sat"]},
            },
        ],
        "carriers": [{"id": "ems", "name": "EMS"}, {"id": "zto", "name": "ZTO"}],
        "stations": [
            {"node": "S1", "min_visits": 3, "open": [480, 1080], "demand": {"ems": 20, "zto": 9}},
            {"node": "S2", "min_visits": 3, "open": [480, 1080], "demand": {"ems": 12}},
            {"node": "S3", "min_visits": 3, "open": [480, 1080], "demand": {"zto": 15}},
        ],
        "vehicles": [
            {"id": "e1", "carrier": "ems", "depot": "D", "capacity": 100, "shift": [420, 1140]},
            {"id": "z1", "carrier": "zto", "depot": "D", "capacity": 100, "shift": [420, 1140]},
            {"id": "x1", "carrier": None, "depot": "D", "capacity": 100, "shift": [420, 1140]},
        ],
    }


@pytest.mark.parametrize("mode", ["joint", "separate"])
def test_network_from_another_tool_plans_and_validates(tmp_path: Path, mode: str) -> None:
    net = tmp_path / "net.json"
    net.write_text(json.dumps(_spec_only_network()))
    plan = tmp_path / "plan.json"
    args = ["plan", "--network", str(net), "--mode", mode, "--time-limit", "5", "--quiet"]
    assert main([*args, "--out", str(plan)]) == 0
    doc = json.loads(plan.read_text())
    assert doc["format"] == "islandroute.plan/1" and doc["mode"] == mode
    assert main(["validate", "--network", str(net), "--plan", str(plan)]) == 0


def test_malformed_network_is_named_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _spec_only_network()
    doc["ferries"][0]["departures"]["mon"] = ["25:00"]
    doc["stations"][1]["demand"]["ems"] = -4
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    assert main(["network", "validate", "--network", str(path)]) == 2
    err = capsys.readouterr().err
    assert "ferry 'out': departures.mon.0" in err and "station 'S2': demand.ems" in err
    assert "Traceback" not in err


def test_export_round_trip(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    src = tmp_path / "src.json"
    src.write_text(json.dumps(_spec_only_network()))
    assert main(["network", "export", "--network", str(src), "--out", str(first)]) == 0
    assert main(["network", "export", "--network", str(first), "--out", str(second)]) == 0
    assert first.read_text() == second.read_text()


def test_version_help_defaults_and_a_json_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--version``; every option's help ends with its default; ``plan --json`` prints one
    JSON object (totals, violations, where the plan went) and nothing else on stdout."""
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"islandroute {ir.__version__}"
    assert main(["plan", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "(default: 60.0)" in help_text and "(default: joint)" in help_text
    out = tmp_path / "plan.json"
    code = main(
        ["plan", "--network", "synthetic:8:2:1", "--time-limit", "1", "--quiet", "--json",
         "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    plan = ir.Plan.from_dict(json.loads(out.read_text("utf-8")))
    assert summary["violations"] == 0 and summary["out"] == str(out)
    assert summary["totals"]["cost"] == pytest.approx(plan.totals.cost)


def test_export_writes_tables_sheets_and_geojson(tmp_path: Path) -> None:
    """``export`` turns a plan into the planner's CSV tables and a driver sheet per route,
    or into GeoJSON of the network and the plan, every file readable by others."""
    plan_file = tmp_path / "plan.json"
    net = "synthetic:8:2:1"
    assert (
        main(["plan", "--network", net, "--time-limit", "1", "--quiet", "--out", str(plan_file)])
        == 0
    )
    plan = ir.Plan.from_dict(json.loads(plan_file.read_text("utf-8")))
    csv_dir, geo_dir = tmp_path / "csv", tmp_path / "geo"
    assert main(["export", "--network", net, "--plan", str(plan_file), "--out", str(csv_dir)]) == 0
    names = {p.name for p in csv_dir.iterdir()}
    assert names == {"calendar.csv", "stops.csv", "islands.csv", "carriers.csv", "sheets"}
    assert len(list((csv_dir / "sheets").iterdir())) == len(plan.routes)
    args = ["export", "--network", net, "--plan", str(plan_file), "--format", "geojson"]
    assert main([*args, "--out", str(geo_dir)]) == 0
    doc = json.loads((geo_dir / "plan.geojson").read_text("utf-8"))
    routes = [f for f in doc["features"] if f["properties"].get("layer") == "route"]
    assert len(routes) == len(plan.routes)
    assert (geo_dir / "network.geojson").stat().st_mode & 0o044 == 0o044


def test_out_dash_sends_documents_to_stdout_and_messages_to_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = "synthetic:12:2:3"
    assert main(["plan", "--network", spec, "--time-limit", "1", "--out", "-", "--quiet"]) == 0
    captured = capsys.readouterr()
    plan = ir.Plan.from_dict(json.loads(captured.out))
    assert plan.network == ir.load_network(spec).name
    assert "cost" in captured.err  # the summary still reaches the user
    assert main(["network", "export", "--network", spec, "--out", "-"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["name"] == plan.network and "wrote -" in captured.err
    assert main(["schema", "plan", "--out", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["title"]
    assert not list(tmp_path.iterdir()) and not Path("-").exists()


def test_export_xlsx_writes_one_workbook(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("openpyxl")
    plan_file = tmp_path / "plan.json"
    spec = "synthetic:12:2:3"
    assert main(["plan", "--network", spec, "--time-limit", "1", "--out", str(plan_file)]) == 0
    out = tmp_path / "xl"
    args = ["export", "--network", spec, "--plan", str(plan_file), "--format", "xlsx"]
    assert main([*args, "--out", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["plan.xlsx"]
    assert "wrote 1 files" in capsys.readouterr().out


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal, so the progress bar is drawn."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_and_log_lines_above_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from islandroute.console import TICK_SECONDS, progress_shown
    from islandroute.progress import log_progress

    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with progress_shown(seconds=5, quiet=False):
        log_progress("reach: 3 stations")
        time.sleep(3 * TICK_SECONDS)
    shown = terminal.getvalue()
    assert re.search(r"\[\s+\d+\.\ds\] reach: 3 stations\n", shown)
    assert re.search(r"\| [1-5]/5s", shown), shown  # the bar moved with the clock
    quiet = _Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    with progress_shown(seconds=5, quiet=True):
        log_progress("not shown")
    assert quiet.getvalue() == ""
