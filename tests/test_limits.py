"""The planner's limits: its time limit, what it stops for, partial plans, Ctrl-C.

Only small cases, and bounds generous enough for a busy two-core machine: the point is
that nothing runs many times its limit (a separate 60-station week took three times its
limit before), that a week with nothing to improve returns at once, that a storm week
can be planned in part with what is left out declared, and that an interrupted parallel
plan leaves no worker behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from islandroute import InfeasibleError, Network, plan_week, validate
from islandroute.datasets.synthetic import archipelago
from islandroute.model import Plan

REPO = Path(__file__).resolve().parents[1]
STOP_REASONS = {"time_limit", "no_progress", "settled"}
NOISE_S = 3.0  # what a busy machine may add to a short run without it being a bug


def delivered(plan: Plan, node: str, carrier: str) -> int:
    return sum(s.deliver.get(carrier, 0) for r in plan.routes for s in r.stops if s.node == node)


def timed(net: Network, **kwargs: Any) -> tuple[Plan, float]:
    t0 = time.perf_counter()
    plan = plan_week(net, **kwargs)
    return plan, time.perf_counter() - t0


# ---- time limits and why a plan stopped ------------------------------------------------


def test_one_station_returns_at_once() -> None:
    net = archipelago(n_stations=1, n_islands=1, n_carriers=1, seed=0)
    plan, wall = timed(net, time_limit=60)
    assert wall < 20  # nothing to improve: not a minute of searching
    assert plan.stats["stopped"] in {"settled", "no_progress"}
    assert validate(net, plan) == []


def test_separate_week_keeps_a_short_limit() -> None:
    net = archipelago(n_stations=60, n_islands=2, n_carriers=3, seed=0)
    plan, wall = timed(net, mode="separate", time_limit=1.0)
    assert wall < 1.0 + NOISE_S  # 18 days of least shares once took 5.4 s here
    assert validate(net, plan) == []
    assert plan.stats["stopped"] in STOP_REASONS


def test_tiny_limit_still_gives_a_valid_week() -> None:
    net = archipelago(n_stations=30, n_islands=3, n_carriers=2, seed=4)
    for mode in ("joint", "separate"):
        plan, wall = timed(net, mode=mode, time_limit=0.3)
        assert wall < 0.3 + NOISE_S
        assert validate(net, plan) == []
        assert plan.stats["stopped"] == "time_limit"


def test_stats_say_why_the_plan_stopped() -> None:
    net = archipelago(n_stations=12, n_islands=2, n_carriers=2, seed=1)
    plan = plan_week(net, time_limit=2, effort=2)
    assert plan.stats["stopped"] in STOP_REASONS
    for key in ("seconds", "routing_s", "improve_s", "polish_s", "finish_s"):
        assert plan.stats[key] >= 0


# ---- partial plans -----------------------------------------------------------------------


def _closed_late(net: Network, node: str) -> Network:
    """``node`` opens only after every shift has ended: no vehicle can serve it."""
    doc = net.to_dict()
    for s in doc["stations"]:
        if s["node"] == node:
            s["open"] = [1380, 1439]
    return Network.from_dict(doc)


def test_station_no_vehicle_can_serve_is_declared_unserved() -> None:
    base = archipelago(n_stations=8, n_islands=1, n_carriers=2, seed=3)
    lost = base.stations[2]
    net = _closed_late(base, lost.node)
    with pytest.raises(InfeasibleError, match=f"station {lost.node!r}: open"):
        plan_week(net, time_limit=3)
    for mode in ("joint", "separate"):
        plan = plan_week(net, mode=mode, time_limit=3, allow_unserved=True)
        assert validate(net, plan) == []
        declared = {(u.station, u.carrier): u for u in plan.unserved}
        assert set(declared) == {(lost.node, c) for c, q in lost.demand.items() if q}
        for (node, c), u in declared.items():
            assert (u.rule, u.parcels) == ("open", lost.demand[c])
            assert u.message and delivered(plan, node, c) == 0
        for st in net.stations:
            if st.node != lost.node:
                for c, q in st.demand.items():
                    assert delivered(plan, st.node, c) == q


def _one_van_monday(capacity: int, demands: dict[str, int]) -> Network:
    """One van and stations all due on Monday: together they overfill it."""
    nodes = [{"id": "d", "kind": "depot", "island": "a", "lon": 122.0, "lat": 30.0}]
    roads = []
    stations = []
    for n, (node, q) in enumerate(demands.items()):
        nodes.append(
            {"id": node, "kind": "station", "island": "a", "lon": 122.0 + 0.01 * (n + 1),
             "lat": 30.0}
        )  # fmt: skip
        roads.append({"a": "d", "b": node, "km": 2.0 + n, "minutes": 5.0 + n})
        stations.append(
            {"node": node, "min_visits": 1, "patterns": [["mon"]], "demand": {"ems": q}}
        )
    return Network.model_validate(
        {
            "name": "one-van",
            "nodes": nodes,
            "roads": roads,
            "carriers": [{"id": "ems"}],
            "stations": stations,
            "vehicles": [{"id": "v", "carrier": "ems", "depot": "d", "capacity": capacity}],
        }
    )


def test_visits_no_route_can_take_are_declared_whole() -> None:
    net = _one_van_monday(10, {"s1": 8, "s2": 8})
    with pytest.raises(InfeasibleError, match="routing"):
        plan_week(net, time_limit=2)
    plan = plan_week(net, time_limit=2, allow_unserved=True)
    assert validate(net, plan) == []
    [gone] = plan.unserved
    assert (gone.carrier, gone.parcels, gone.rule) == ("ems", 8, "route")
    assert delivered(plan, gone.station, "ems") == 0
    kept = "s2" if gone.station == "s1" else "s1"
    assert delivered(plan, kept, "ems") == 8
    assert kept in plan.visit_days and gone.station not in plan.visit_days
    doc = plan.to_dict()
    assert [u["station"] for u in doc.get("unserved", [])] == [gone.station]


# ---- Ctrl-C with parallel searches ---------------------------------------------------------

INTERRUPTED = textwrap.dedent(
    """
    import sys
    from islandroute import plan_week
    from islandroute.datasets.synthetic import archipelago

    net = archipelago(n_stations=120, n_islands=4, n_carriers=3, seed=0)
    print("planning", flush=True)
    try:
        plan_week(net, "joint", time_limit=120, workers=2)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
    print("finished", flush=True)
    """
)


def _workers_of(proc: psutil.Process, wait_s: float) -> list[psutil.Process]:
    """The planner's worker processes once both have started."""
    end = time.monotonic() + wait_s
    while time.monotonic() < end:
        kids = proc.children()
        if len(kids) >= 2:
            return kids
        time.sleep(0.1)
    return proc.children()


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers and signals: Linux")
def test_ctrl_c_leaves_no_worker_behind() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "planning"
        workers = _workers_of(psutil.Process(child.pid), wait_s=60)
        assert len(workers) == 2
        time.sleep(1.0)  # both searching
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130 and "interrupted" in out
    _, alive = psutil.wait_procs(workers, timeout=NOISE_S)
    assert not alive, f"workers left behind: {[p.pid for p in alive]}"
    assert "Traceback" not in err
