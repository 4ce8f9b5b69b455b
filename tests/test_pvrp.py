"""The Cordeau PVRP reader, and planning a tiny PVRP instance end to end."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from islandroute.datasets.pvrp import CARRIER, NO_LIMIT, bks, decode_pattern, read_pvrp
from islandroute.planning.planner import plan_week
from islandroute.validate import validate

PVRP_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "pvrp"

# type m n t; t lines "D Q"; n+1 lines "i x y d q f a c1..ca" (day 1 = leftmost bit).
TINY = """\
1 2 6 5
0 20
0 20
0 20
0 20
0 20
0 0 0 0 0 0 0
1 10 0 0 4 2 2 10 5
2 0 10 1 3 2 2 10 5
3 -10 0 0 5 1 5 16 8 4 2 1
4 0 -10 2 6 1 2 16 1
5 7 7 0 2 3 1 21
6 0 0 0 20 1 1 16
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text(TINY)
    return path


def test_decode_pattern() -> None:
    days = ("d1", "d2", "d3", "d4", "d5")
    assert decode_pattern(10, days) == ("d2", "d4")
    assert decode_pattern(16, days) == ("d1",)
    assert decode_pattern(21, days) == ("d1", "d3", "d5")
    with pytest.raises(ValueError):
        decode_pattern(32, days)


def test_read_tiny(tiny: Path) -> None:
    net = read_pvrp(tiny)
    assert net.name == "tiny"
    assert net.geometry == "planar"
    assert net.days == ("d1", "d2", "d3", "d4", "d5")
    assert net.rules.service_days == net.days and net.rules.split == "equal"
    assert net.node_by_id["0"].kind == "depot"
    assert [s.node for s in net.stations] == ["1", "2", "3", "4", "5"]  # 6 sits on the depot
    assert net.provenance is not None and net.provenance["skipped_customers"] == [6]
    st = net.station_by_node
    assert st["1"].patterns == (("d2", "d4"), ("d3", "d5"))
    assert st["1"].demand == {CARRIER: 8} and st["1"].min_visits == 2 and st["1"].exact_visits
    assert st["2"].service_minutes == 1.0
    assert st["5"].patterns == (("d1", "d3", "d5"),) and st["5"].demand == {CARRIER: 6}
    assert len(net.vehicles) == 2
    v = net.vehicles[0]
    assert v.capacity == 20 and v.shift == (0, NO_LIMIT)
    assert (v.cost_per_km, v.cost_per_hour, v.cost_fixed) == (1.0, 0.0, 0.0)


def test_read_per_day_limits(tmp_path: Path) -> None:
    text = TINY.replace("0 20\n0 20\n0 20\n0 20\n0 20\n", "30 20\n40 20\n30 20\n30 20\n30 15\n")
    path = tmp_path / "perday.txt"
    path.write_text(text)
    net = read_pvrp(path)
    assert len(net.vehicles) == 10  # m = 2 vehicles for each of the 5 days
    d5 = [v for v in net.vehicles if v.days == ("d5",)]
    assert len(d5) == 2 and d5[0].capacity == 15 and d5[0].shift == (0, 30)


def test_plan_tiny(tiny: Path) -> None:
    net = read_pvrp(tiny)
    plan = plan_week(net, "joint", time_limit=4, seed=0, effort=2)
    assert validate(net, plan) == []
    visits: dict[str, list[str]] = {}
    for r in plan.routes:
        for s in r.stops[1:-1]:
            visits.setdefault(s.node, []).append(r.day)
    for s in net.stations:
        days = tuple(sorted(visits[s.node]))
        assert len(days) == s.min_visits
        assert days in net.allowed_patterns(s)
        assert (
            sum(
                q
                for r in plan.routes
                for x in r.stops
                if x.node == s.node
                for q in x.deliver.values()
            )
            == s.demand[CARRIER]
        )
    xy = {n.id: (n.lon, n.lat) for n in net.nodes}
    length = sum(
        math.dist(xy[a.node], xy[b.node])
        for r in plan.routes
        for a, b in zip(r.stops, r.stops[1:], strict=False)
    )
    assert plan.cost == pytest.approx(length, abs=1e-3)


@pytest.mark.skipif(not (PVRP_DIR / "p01.txt").exists(), reason="no PVRP data folder")
def test_read_p01() -> None:
    net = read_pvrp(PVRP_DIR / "p01.txt")
    assert len(net.stations) == 50 and len(net.vehicles) == 3
    assert net.provenance is not None and net.provenance["skipped_customers"] == [51]
    assert net.days == ("d1", "d2")
    assert net.station_by_node["1"].patterns == (("d2",), ("d1",))
    assert net.station_by_node["1"].demand == {CARRIER: 7}
    assert net.vehicles[0].capacity == 160
    assert bks("p01", PVRP_DIR) == pytest.approx(524.61)


def test_parallel_searches_keep_the_rules(tiny: Path) -> None:
    """Two searches in forked workers: the plan kept is valid and serves every visit."""
    net = read_pvrp(tiny)
    plan = plan_week(net, "joint", time_limit=4, seed=0, effort=2, workers=2)
    assert validate(net, plan) == []
    for s in net.stations:
        days = tuple(sorted({r.day for r in plan.routes for x in r.stops if x.node == s.node}))
        assert days in net.allowed_patterns(s)
