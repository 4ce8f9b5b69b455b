"""Hostile input through the command line: every fault is a clean ``error:`` line (or a
valid result), never a traceback; outputs are never lost or half-written.

Each case of the hardening issue is a row of ``CASES`` below (category, what is done,
what must come out), so that the suite is also the table of cases.
"""

from __future__ import annotations

import copy
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from islandroute.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PARTIAL, main
from islandroute.datasets.synthetic import archipelago
from islandroute.model import Network
from islandroute.model.exchange import write_text_atomic

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE_VALUES: tuple[Any, ...] = (
    None,
    "x",
    "5",
    "yes",
    "25:00",
    -1,
    0,
    1.5,
    10**30,
    2**63,
    1e308,
    -1e308,
    True,
    [],
    {},
    [[[[]]]],
    {"a": {"b": {}}},
    "s" * 5_000,
)


def _net_doc() -> dict[str, Any]:
    return json.loads((FIXTURES / "two_islands.json").read_text())


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _assert_clean(code: int, err: str) -> None:
    """An answer, not a crash: no traceback, no internal error, error lines well formed."""
    assert "Traceback" not in err
    assert code != EXIT_INTERNAL, err
    if code == EXIT_BAD_INPUT:
        lines = [ln for ln in err.splitlines() if ln and not ln.startswith("(see:")]
        assert lines and all(ln.startswith("error: ") for ln in lines), err
        assert all(ln.count(": ") >= 2 for ln in lines), err  # object: field: message


def _write(tmp_path: Path, name: str, doc: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


# ---- the cases, one row each -------------------------------------------------


def _set(doc: dict[str, Any], coll: str, field: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    doc[coll][0][field] = value
    return doc


NETWORK_CASES: list[tuple[str, str, Any, str]] = [
    # (case, collection.field, value, the field the error must name)
    ("road km Infinity", "roads.km", math.inf, "km"),
    ("road km 1e308", "roads.km", 1e308, "km"),
    ("road minutes 1e308", "roads.minutes", 1e308, "minutes"),
    ("capacity 10**30", "vehicles.capacity", 10**30, "capacity"),
    ("capacity 2**63", "vehicles.capacity", 2**63, "capacity"),
    ("shift end 1e9", "vehicles.shift", [420, 10**9], "shift"),
    ("opening end 99999", "stations.open", [480, 99999], "open"),
    ("km as a string", "roads.km", "5", "km"),
    ("bridge as a string", "roads.bridge", "yes", "bridge"),
    ("demand as a string", "stations.demand", {"ems": "9"}, "demand"),
    ("ferry minutes negative", "ferries.minutes", -5, "minutes"),
    ("fare NaN", "ferries.fare_parcel", math.nan, "fare_parcel"),
]


@pytest.mark.parametrize(("case", "where", "value", "field"), NETWORK_CASES)
def test_out_of_range_or_coerced_numbers_are_refused_by_name(
    case: str, where: str, value: Any, field: str, tmp_path: Path, capsys: Any
) -> None:
    coll, name = where.split(".")
    doc = _set(_net_doc(), coll, name, value)
    path = tmp_path / "net.json"
    path.write_text(json.dumps(doc))  # Python writes inf and nan as Infinity and NaN
    code, _, err = _run(["network", "validate", "--network", str(path)], capsys)
    assert code == EXIT_BAD_INPUT, case
    _assert_clean(code, err)
    assert f": {field}" in err, (case, err)


def test_unknown_fields_are_accepted_and_kept(tmp_path: Path, capsys: Any) -> None:
    doc = _net_doc()
    doc["vendor"] = {"system": "other-tool", "version": 3}
    doc["nodes"][0]["colour"] = "red"
    doc["roads"][0]["surface"] = "gravel"
    doc["stations"][0]["headman"] = "Li"
    src = _write(tmp_path, "in.json", doc)
    out = tmp_path / "out.json"
    code, _, err = _run(["network", "export", "--network", src, "--out", str(out)], capsys)
    assert code == 0, err
    again = json.loads(out.read_text())
    assert again["vendor"] == doc["vendor"]
    assert again["nodes"][0]["colour"] == "red"
    assert again["roads"][0]["surface"] == "gravel"
    assert again["stations"][0]["headman"] == "Li"


def test_a_van_waiting_at_the_pier_is_planned(tmp_path: Path, capsys: Any) -> None:
    doc = _net_doc()
    island_b_pier = next(
        n["id"] for n in doc["nodes"] if n["kind"] == "port" and n["island"] == "b"
    )
    doc["vehicles"] = [{**doc["vehicles"][0], "id": "van-b", "depot": island_b_pier}]
    net_path = _write(tmp_path, "pier.json", doc)
    plan_path = tmp_path / "plan.json"
    argv = ["plan", "--network", net_path, "--time-limit", "2", "--out", str(plan_path)]
    code, _, err = _run([*argv, "--quiet"], capsys)
    assert code == 0, err
    plan = json.loads(plan_path.read_text())
    assert plan["routes"] and {r["stops"][0]["node"] for r in plan["routes"]} == {island_b_pier}
    code, _, err = _run(["validate", "--network", net_path, "--plan", str(plan_path)], capsys)
    assert code == 0, err


def test_spec_1_1_fields_round_trip_and_write_version_1_1(tmp_path: Path) -> None:
    doc = _net_doc()
    station = doc["stations"][0]
    station.update({"pickup": {"ems": 4}, "pickup_to": doc["nodes"][0]["id"], "pickup_by": 1020})
    station.update({"cold": True, "max_ride": 120, "service_minutes": 8})
    doc["vehicles"][0]["refrigerated"] = True
    doc["nodes"].append({"id": "park1", "kind": "park", "island": "a", "lon": 0, "lat": 0})
    doc["nodes"].append({"id": "c1", "kind": "centre", "island": "a", "lon": 0, "lat": 0})
    net = Network.from_dict(doc)
    again = net.to_dict()
    assert again["format"] == "islandroute.network/1.1"
    for key in ("pickup", "pickup_to", "pickup_by", "cold", "max_ride", "service_minutes"):
        assert again["stations"][0][key] == station[key], key
    assert again["vehicles"][0]["refrigerated"] is True
    assert Network.from_dict(again).to_dict() == again


def test_file_named_like_a_built_in_is_read_as_the_file(tmp_path: Path, capsys: Any) -> None:
    doc = _net_doc()
    doc["name"] = "from-the-file"
    for name in ("synthetic-small.json", "zhoushan", "synthetic:5"):
        path = tmp_path / name
        path.write_text(json.dumps(doc))
        os.chdir(tmp_path)
        code, out, err = _run(["network", "show", "--network", name], capsys)
        assert code == 0, err
        assert "'from-the-file'" in out, name


CLI_CASES: list[tuple[str, list[str], str]] = [
    # (case, arguments, text the one error line must hold)
    ("synthetic abc", ["network", "show", "--network", "synthetic:abc"], "STATIONS"),
    ("synthetic 0", ["network", "show", "--network", "synthetic:0"], "STATIONS"),
    ("synthetic -5", ["network", "show", "--network", "synthetic:-5"], "STATIONS"),
    ("synthetic seed", ["network", "show", "--network", "synthetic:5:1:x"], "SEED"),
    ("no such file", ["network", "show", "--network", "nope.json"], "no such file"),
    ("seed -1", ["plan", "--network", "synthetic:3", "--seed", "-1"], "--seed"),
    ("time inf", ["plan", "--network", "synthetic:3", "--time-limit", "inf"], "--time-limit"),
    ("time nan", ["plan", "--network", "synthetic:3", "--time-limit", "nan"], "--time-limit"),
    ("time -1", ["plan", "--network", "synthetic:3", "--time-limit=-1"], "--time-limit"),
    ("time 0", ["plan", "--network", "synthetic:3", "--time-limit", "0"], "--time-limit"),
    ("workers 0", ["plan", "--network", "synthetic:3", "--workers", "0"], "--workers"),
    ("bad mode", ["plan", "--network", "synthetic:3", "--mode", "bogus"], "--mode"),
]


@pytest.mark.parametrize(("case", "argv", "text"), CLI_CASES)
def test_bad_arguments_are_one_error_line(
    case: str, argv: list[str], text: str, capsys: Any
) -> None:
    code, _, err = _run(argv, capsys)
    assert code == EXIT_BAD_INPUT, case
    _assert_clean(code, err)
    assert text in err, (case, err)


@pytest.mark.parametrize(
    ("case", "content"),
    [
        ("not UTF-8", b"\xff\xfe{\x00"),
        ("nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000),
        ("integer of 5,000 digits", b'{"format": ' + b"9" * 5_000 + b"}"),
        ("NaN literal", b'{"format": NaN}'),
        ("not JSON", b"{nodes: ]"),
        ("a list, not an object", b"[1, 2]"),
    ],
)
def test_unreadable_files_are_named(case: str, content: bytes, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, _, err = _run(["network", "validate", "--network", str(path)], capsys)
    assert code == EXIT_BAD_INPUT, case
    _assert_clean(code, err)
    net_path = _write(tmp_path, "net.json", _net_doc())
    code, _, err = _run(["validate", "--network", net_path, "--plan", str(path)], capsys)
    assert code in (EXIT_BAD_INPUT, 1), case
    _assert_clean(code, err)


# ---- outputs -------------------------------------------------------------------------


def test_out_equal_to_the_input_is_refused(tmp_path: Path, capsys: Any) -> None:
    net_path = _write(tmp_path, "net.json", _net_doc())
    before = Path(net_path).read_bytes()
    argv = ["plan", "--network", net_path, "--out", net_path, "--time-limit", "1"]
    code, _, err = _run(argv, capsys)
    assert code == EXIT_BAD_INPUT
    assert "--out" in err and Path(net_path).read_bytes() == before


def test_missing_output_folder_is_made_before_planning(tmp_path: Path, capsys: Any) -> None:
    net_path = _write(tmp_path, "net.json", _net_doc())
    out = tmp_path / "a" / "b" / "plan.json"
    argv = ["plan", "--network", net_path, "--out", str(out), "--time-limit", "1", "--quiet"]
    code, _, err = _run(argv, capsys)
    assert code == 0, err
    assert json.loads(out.read_text())["format"] == "islandroute.plan/1"


def test_an_unwritable_output_fails_before_planning(tmp_path: Path, capsys: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    out = blocker / "plan.json"
    t0 = time.perf_counter()
    argv = ["plan", "--network", "synthetic:30:2:1", "--out", str(out), "--time-limit", "60"]
    code, _, err = _run(argv, capsys)
    assert code == EXIT_BAD_INPUT and "--out" in err
    assert time.perf_counter() - t0 < 30  # refused up front, not after the time limit


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.json"
    target.write_text('{"old": true}\n')

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_text_atomic(target, '{"new": true}\n' * 1000)
    assert target.read_text() == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # no temporary left


# ---- mutations, field by field --------------------------------------------------------


@st.composite
def mutated_network(draw: st.DrawFn) -> dict[str, Any]:
    """The worked example with one field of one object replaced by a hostile value."""
    doc = _net_doc()
    coll = draw(st.sampled_from(["nodes", "roads", "ferries", "carriers", "stations", "vehicles"]))
    items = doc[coll]
    item = items[draw(st.integers(0, len(items) - 1))]
    field = draw(st.sampled_from([*item.keys(), "unknown_field"]))
    item[field] = draw(st.sampled_from(HOSTILE_VALUES))
    return doc


@st.composite
def mutated_top_level(draw: st.DrawFn) -> dict[str, Any]:
    doc = _net_doc()
    key = draw(st.sampled_from(["format", "name", "days", "nodes", "rules", "geometry"]))
    doc[key] = draw(st.sampled_from(HOSTILE_VALUES))
    return doc


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=st.one_of(mutated_network(), mutated_top_level()))
def test_mutated_networks_give_an_answer_never_a_traceback(
    doc: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    path = _write(tmp_path, "net.json", doc)
    code, _, err = _run(["network", "validate", "--network", path], capsys)
    assert code in (0, 1, EXIT_BAD_INPUT)
    _assert_clean(code, err)


@pytest.fixture(scope="module")
def small_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    """A generated network file and a plan document made for it."""
    folder = tmp_path_factory.mktemp("pair")
    net = archipelago(n_stations=6, n_islands=2, n_carriers=2, seed=2)
    net_path = folder / "net.json"
    net.to_json(str(net_path))
    plan_path = folder / "plan.json"
    assert main(["plan", "--network", str(net_path), "--time-limit", "2", "--quiet",
                 "--out", str(plan_path)]) == 0  # fmt: skip
    return str(net_path), json.loads(plan_path.read_text())


@st.composite
def mutated_plan(draw: st.DrawFn, plan: dict[str, Any]) -> dict[str, Any]:
    """A valid plan with one field of a route, stop, leg or the totals made hostile."""
    doc = copy.deepcopy(plan)
    route = doc["routes"][draw(st.integers(0, len(doc["routes"]) - 1))]
    where = draw(st.sampled_from(["route", "stop", "leg", "totals", "top"]))
    if where == "route":
        target = route
    elif where == "stop":
        target = route["stops"][draw(st.integers(0, len(route["stops"]) - 1))]
    elif where == "leg" and route["legs"]:
        target = route["legs"][draw(st.integers(0, len(route["legs"]) - 1))]
    elif where == "totals":
        target = doc["totals"]
    else:
        target = doc
    field = draw(st.sampled_from(sorted(target.keys())))
    target[field] = draw(st.sampled_from(HOSTILE_VALUES))
    return doc


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_plans_give_violations_never_a_traceback(
    data: st.DataObject, small_pair: tuple[str, dict[str, Any]], tmp_path: Path, capsys: Any
) -> None:
    net_path, plan = small_pair
    doc = data.draw(mutated_plan(plan))
    plan_path = _write(tmp_path, "plan.json", doc)
    code, _, err = _run(["validate", "--network", net_path, "--plan", plan_path], capsys)
    assert code in (0, 1, EXIT_BAD_INPUT)
    _assert_clean(code, err)


# ---- Ctrl-C ----------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_exits_130_with_one_line_and_no_worker_left(workers: int) -> None:
    psutil = pytest.importorskip("psutil")
    cmd = [sys.executable, "-m", "islandroute.cli", "plan", "--network", "synthetic:60:3:1"]
    cmd += ["--time-limit", "60", "--workers", str(workers)]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        workers > 1 and len(parent.children(recursive=True)) < workers
    ):
        time.sleep(0.2)
    time.sleep(2.0)  # well inside the search
    children = parent.children(recursive=True)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "error: interrupted"
    _, alive = psutil.wait_procs(children, timeout=1.0)
    assert not alive, f"{len(alive)} worker processes left"


def test_pickups_are_planned_and_handed_in_at_the_depot(tmp_path: Path, capsys: Any) -> None:
    doc = _net_doc()
    carrier = doc["carriers"][0]["id"]
    doc["stations"][0]["pickup"] = {carrier: 6}
    net_path = _write(tmp_path, "net.json", doc)
    plan_path = tmp_path / "plan.json"
    argv = ["plan", "--network", net_path, "--time-limit", "2", "--out", str(plan_path)]
    code, _, err = _run([*argv, "--quiet"], capsys)
    assert code == 0, err
    plan = json.loads(plan_path.read_text())
    collected = sum(sum(s.get("pickup", {}).values()) for r in plan["routes"] for s in r["stops"])
    assert collected == 6
    for route in plan["routes"]:
        picked = sum(sum(s.get("pickup", {}).values()) for s in route["stops"])
        assert sum(route["stops"][-1].get("handin", {}).values()) == picked


def _storm_network() -> dict[str, Any]:
    """The worked example with its ferry cancelled: the station on island b is cut off;
    a second station on island a (with pickups) can still be served."""
    doc = _net_doc()
    carrier = doc["carriers"][0]["id"]
    depot = doc["vehicles"][0]["depot"]
    doc["ferries"] = []
    doc["nodes"].append({"id": "s-a", "kind": "station", "island": "a", "lon": 0, "lat": 0})
    doc["roads"].append({"a": depot, "b": "s-a", "km": 3, "minutes": 6, "bridge": False})
    doc["stations"][0]["pickup"] = {carrier: 2}
    doc["stations"].append(
        {"node": "s-a", "min_visits": 3, "open": [480, 1080], "demand": {carrier: 9}}
    )
    return doc


def test_a_storm_week_is_refused_by_name_or_planned_partially(tmp_path: Path, capsys: Any) -> None:
    doc = _storm_network()
    cut_off = doc["stations"][0]["node"]
    net_path = _write(tmp_path, "storm.json", doc)
    plan_path = tmp_path / "plan.json"
    argv = ["plan", "--network", net_path, "--time-limit", "2", "--quiet", "--out", str(plan_path)]
    code, _, err = _run(argv, capsys)
    assert code == EXIT_BAD_INPUT and f"station {cut_off!r}" in err and not plan_path.exists()
    code, _, err = _run([*argv, "--allow-unserved"], capsys)
    assert code == EXIT_PARTIAL, err
    assert f"unserved: station {cut_off!r}" in err
    plan = json.loads(plan_path.read_text())
    assert [u["station"] for u in plan["unserved"]] == [cut_off]
    assert plan["unserved"][0]["parcels"] == doc["stations"][0]["demand"][doc["carriers"][0]["id"]]
    assert plan["unserved"][0]["rule"]
    served = {s["node"] for r in plan["routes"] for s in r["stops"]}
    assert "s-a" in served and cut_off not in served
    code, out, err = _run(["validate", "--network", net_path, "--plan", str(plan_path)], capsys)
    assert code == 0, out + err
    assert "unserved station-carrier pairs declared" in out
    undeclared = {**plan, "unserved": []}
    code, out, _ = _run(
        ["validate", "--network", net_path, "--plan", _write(tmp_path, "lost.json", undeclared)],
        capsys,
    )
    assert code == 1 and "delivered-total" in out  # not declared: lost, and said so
