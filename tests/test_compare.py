"""Separate against joint on a small synthetic archipelago, and the compare command."""

from __future__ import annotations

import importlib
import json

import pytest

from islandroute.analysis.coalitions import CoalitionJob, plan_coalition
from islandroute.analysis.compare import CompareReport, compare, needed_coalitions
from islandroute.analysis.executor import SerialExecutor
from islandroute.analysis.settings import RunSettings
from islandroute.cli import main
from islandroute.datasets.synthetic import archipelago

TIME_LIMIT = 4.0


@pytest.fixture(scope="module")
def net():
    return archipelago(n_stations=10, n_islands=3, n_carriers=3, seed=1)


@pytest.fixture(scope="module")
def report(net) -> CompareReport:
    return compare(net, time_limit=TIME_LIMIT, seed=0, executor=SerialExecutor())


def test_joint_is_cheaper_and_savings_are_consistent(report: CompareReport) -> None:
    assert report.joint.cost < report.separate.cost
    saving = 100 * (report.separate.cost - report.joint.cost) / report.separate.cost
    assert report.saving_pct == pytest.approx(saving, abs=1e-3)
    for kpi in ("cost", "km", "vehicle_days", "ferry_crossings", "co2_kg"):
        assert kpi in report.savings_pct
    assert (
        report.joint.parcels == report.separate.parcels == sum(r.parcels for r in report.carriers)
    )


def test_separate_total_is_the_sum_of_stand_alone_weeks(report: CompareReport) -> None:
    assert report.separate.cost == pytest.approx(sum(r.standalone.cost for r in report.carriers))
    for r in report.carriers:  # c({i}) is the stand-alone cost
        assert report.coalitions[r.carrier] == pytest.approx(r.standalone.cost)


def test_allocations_add_up_to_the_joint_cost(report: CompareReport) -> None:
    assert report.shapley is not None and report.shapley.method == "shapley"
    assert len(report.coalitions) == 2**3 - 1
    for total in (
        report.shapley.total,
        sum(r.by_parcels for r in report.carriers),
        sum(r.by_standalone for r in report.carriers),
    ):
        assert total == pytest.approx(report.joint.cost, rel=1e-9)
    assert report.core is not None
    assert report.core.checked == 2**3 - 2
    if not report.core.ok:  # it must then name the coalitions
        assert report.core.violations and "FAILED" in report.core.describe()


def test_report_table_json_and_dataframe(report: CompareReport) -> None:
    df = report.to_dataframe()
    assert list(df.index) == [*report.players, "total"]
    assert df.loc["total", "separate_cost"] == pytest.approx(report.separate.cost)
    assert df.loc["total", "joint_cost"] == pytest.approx(report.joint.cost)
    assert df["shapley"].iloc[:-1].sum() == pytest.approx(report.joint.cost)
    text = report.text()
    assert "shapley" in text and "saving %" in text and "core check" in text
    doc = json.loads(report.to_json())
    assert doc["separate"]["cost"] == pytest.approx(report.separate.cost)
    assert "joint_plan" not in doc
    assert CompareReport.model_validate(doc).shapley == report.shapley
    assert report.joint_plan is not None and report.joint_plan.cost == report.joint.cost


def test_report_carries_flows_of_both_weeks(report: CompareReport) -> None:
    # no pickups here: every parcel delivered alone and jointly, nothing collected
    for r in report.carriers:
        assert r.flows_alone.delivered == r.flows_joint.delivered == r.parcels
        assert r.flows_alone.collected == r.flows_joint.collected == 0
    assert report.flows_separate.delivered == report.flows_joint.delivered
    assert report.flows_joint.delivered == report.joint.parcels
    assert report.flow_text() == "" and "two in, one out" not in report.text()
    df = report.to_dataframe()
    assert df.loc["total", "joint_delivered"] == report.joint.parcels
    assert df.loc["total", "separate_on_time_pct"] is None


def test_flows_side_by_side_with_pickups() -> None:
    base = archipelago(n_stations=6, n_islands=2, n_carriers=2, seed=2)
    stations = tuple(
        s.model_copy(update={"pickup": {c: q // 4 for c, q in s.demand.items()}})
        for s in base.stations
    )
    net = base.replace(stations=stations)
    rep = compare(net, time_limit=TIME_LIMIT, seed=0, allocation="none", executor=SerialExecutor())
    sent = {c: sum(s.pickup.get(c, 0) for s in net.stations) for c in rep.players}
    for r in rep.carriers:  # plain pickups: all handed in at the depot, on time
        for k in (r.flows_alone, r.flows_joint):
            assert (k.delivered, k.collected, k.on_time) == (
                r.parcels,
                sent[r.carrier],
                k.collected,
            )
            assert k.outbound == 0
    assert rep.flows_joint.collected == rep.flows_separate.collected == sum(sent.values()) > 0
    rows = {(row["carrier"], row["week"]): row for row in rep.flow_table()}
    assert list(rows) == [(c, w) for c in (*rep.players, "total") for w in ("alone", "joint")]
    assert (
        rows["total", "alone"]["collected"]
        == rows["total", "joint"]["collected"]
        == sum(sent.values())
    )
    assert rows["total", "joint"]["on time %"] == 100.0
    text = rep.text()
    assert "two in, one out" in text and "on time %" in text and "cold max min" in text
    df = rep.to_dataframe()
    assert df.loc["total", "separate_collected"] == df.loc["total", "joint_collected"]
    doc = json.loads(rep.to_json())
    assert doc["flows_joint"]["collected"] == sum(sent.values())
    back = CompareReport.model_validate(doc)
    assert back.carriers[0].flows_alone == rep.carriers[0].flows_alone


def test_coalition_plans_are_reproducible() -> None:
    tiny = archipelago(n_stations=6, n_islands=2, n_carriers=2, seed=2)
    job = CoalitionJob(coalition=("ems", "zto"), time_limit=TIME_LIMIT, seed=5)
    a, b = plan_coalition(tiny, job), plan_coalition(tiny, job)
    assert a.error is None and a.cost == b.cost and a.mode == "joint"
    solo = plan_coalition(tiny, CoalitionJob(coalition=("zto",), time_limit=TIME_LIMIT, seed=5))
    assert solo.mode == "separate" and set(solo.by_carrier) == {"zto"}


def test_needed_coalitions() -> None:
    p = ("a", "b", "c")
    assert len(needed_coalitions(p, "none")) == 4
    assert len(needed_coalitions(p, "shapley")) == 7
    mc = needed_coalitions(tuple("abcdefghij"), "shapley", samples=4, seed=0)
    assert frozenset("abcdefghij") in mc and len(mc) <= 10 + 4 * 9


def test_compare_command_prints_and_writes(tmp_path, capsys, monkeypatch) -> None:
    cmp_mod = importlib.import_module("islandroute.analysis.compare")
    monkeypatch.setattr(cmp_mod, "compare", _serial(cmp_mod.compare))
    out_base = tmp_path / "new-folder" / "cmp"
    argv = ["compare", "--network", "synthetic:12:2:3", "--time-limit", str(TIME_LIMIT)]
    argv += ["--allocation", "none", "--workers", "1", "--out", str(out_base), "--quiet"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "separate" in out and "joint" in out and "by parcels" in out
    doc = json.loads((tmp_path / "new-folder" / "cmp.json").read_text())
    assert doc["allocation"] == "none" and doc["shapley"] is None
    csv = (tmp_path / "new-folder" / "cmp.csv").read_text().splitlines()
    assert csv[0].startswith("carrier,") and csv[-1].startswith("total,")


def _serial(fn):
    def run(*a, **kw):
        kw["executor"] = SerialExecutor()
        return fn(*a, **kw)

    return run


def test_monte_carlo_path_states_its_error() -> None:
    tiny = archipelago(n_stations=6, n_islands=2, n_carriers=2, seed=2)
    rep = compare(
        tiny, time_limit=TIME_LIMIT, seed=1, executor=SerialExecutor(), exact_max=1, samples=6
    )
    assert rep.shapley is not None and rep.shapley.method == "shapley_monte_carlo"
    assert rep.shapley.samples == 6 and set(rep.shapley.error) == set(rep.players)
    assert rep.shapley.total == pytest.approx(rep.joint.cost)
    # with two players each antithetic pair averages both orders: the exact value
    a, b = rep.players
    exact_a = 0.5 * (rep.coalitions[a] + rep.coalitions[f"{a}+{b}"] - rep.coalitions[b])
    assert rep.shapley.shares[a] == pytest.approx(exact_a)
    assert "Monte Carlo" in rep.text()


def test_run_settings_defaults_overrides_and_jobs() -> None:
    assert RunSettings.resolve() == RunSettings()
    base = RunSettings(time_limit=5, seed=3, allocation="none")
    assert RunSettings.resolve(base) is base
    over = RunSettings.resolve(base, seed=9, days="fixed")
    assert (over.time_limit, over.seed, over.days, over.allocation) == (5, 9, "fixed", "none")
    with pytest.raises(TypeError, match="time_limt"):
        RunSettings.resolve(base, time_limt=1)
    with pytest.raises(ValueError):
        RunSettings.resolve(allocation="banzhaf")
    with pytest.raises(ValueError):
        base.seed = 1  # frozen
    job = over.job(("ems", "zto"), tag="t", keep_plan=True)
    assert job == CoalitionJob(
        tag="t",
        coalition=("ems", "zto"),
        time_limit=5,
        seed=9,
        effort=20,
        days="fixed",
        keep_plan=True,
    )


def test_compare_rejects_unknown_keyword(net) -> None:
    with pytest.raises(TypeError, match="time_limt"):
        compare(net, time_limt=1, executor=SerialExecutor())


def test_compare_takes_settings_with_keyword_overrides() -> None:
    tiny = archipelago(n_stations=6, n_islands=2, n_carriers=2, seed=2)
    cfg = RunSettings(time_limit=TIME_LIMIT, seed=1, allocation="none")
    rep = compare(tiny, settings=cfg, seed=4, executor=SerialExecutor())
    assert (rep.time_limit, rep.seed, rep.allocation) == (TIME_LIMIT, 4, "none")
    assert rep.shapley is None and len(rep.coalitions) == 3
