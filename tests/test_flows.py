"""Two in, one out: flows of a hand-made plan checked figure by figure, a planned week
with plain pickups, and the plan command's summary."""

from __future__ import annotations

import pytest

from islandroute.analysis.flows import FlowKpis, FlowReport, flow_comparison_rows, flows
from islandroute.analysis.handins import ledger
from islandroute.cli import main
from islandroute.datasets.synthetic import archipelago
from islandroute.model import Carrier, Network, Node, Plan, Route, Station, Stop, Vehicle
from islandroute.model.plan import Kpis
from islandroute.planning.planner import plan_week
from islandroute.tables import table

NOON = 720
TIME_LIMIT = 2.0


def _node(nid: str, kind: str, island: str, role: str | None = None) -> Node:
    return Node(id=nid, kind=kind, island=island, lon=0.0, lat=0.0, role=role)


@pytest.fixture(scope="module")
def net() -> Network:
    """Depot d, a processing centre pc and a cross-border centre xb on island a; village
    stations s1 (a), s2, s5 (b), a cold station s4 (a) and a park s3 (b)."""
    return Network(
        name="flows",
        nodes=(
            _node("d", "depot", "a"),
            _node("pc", "hub", "a", "processing_centre"),
            _node("xb", "hub", "a", "cross_border_centre"),
            _node("s1", "station", "a"),
            _node("s2", "station", "b"),
            _node("s3", "park", "b"),
            _node("s4", "station", "a"),
            _node("s5", "station", "b"),
        ),
        carriers=(Carrier(id="ems"), Carrier(id="zto")),
        stations=(
            Station(
                node="s1", demand={"ems": 10}, pickup={"ems": 14}, pickup_to="pc", pickup_by=NOON
            ),
            Station(node="s2", demand={"zto": 4}, pickup={"ems": 6}, pickup_to="pc", pickup_by=900),
            Station(node="s3", pickup={"zto": 8}, pickup_to="xb", pickup_by=840),
            Station(node="s4", pickup={"ems": 6}, cold=True, max_ride=60),
            Station(node="s5", pickup={"zto": 2}),
        ),
        vehicles=(
            Vehicle(id="v1", carrier=None, depot="d", capacity=100, refrigerated=True),
            Vehicle(id="v2", carrier="zto", depot="d", capacity=100),
        ),
    )


def _stop(node: str, arrive: float, depart: float | None = None, **flows: dict[str, int]) -> Stop:
    return Stop(node=node, arrive=arrive, depart=arrive if depart is None else depart, **flows)


def _route(day: str, vehicle: str, *stops: Stop) -> Route:
    return Route(
        day=day, vehicle=vehicle, carriers=("ems", "zto"), stops=stops, legs=(), km=0, cost=0
    )


@pytest.fixture(scope="module")
def plan() -> Plan:
    """Monday v1: s2 then s1 collect for pc (s1 due first though collected later), pc
    takes 12 of their 16, the cold s4 rides 130 min to the depot. Monday v2 (not cold):
    the park's 8 reach xb at 900, after its 840 cut-off. Tuesday v1: s4 rides 45 min
    cold; s1's batch never reaches pc; the depot is handed 5 ems but only 3 were bound."""
    mon_a = _route(
        "mon",
        "v1",
        _stop("d", 480),
        _stop("s2", 500, 510, deliver={"zto": 4}, pickup={"ems": 6}),
        _stop("s1", 540, 550, deliver={"ems": 5}, pickup={"ems": 10}),
        _stop("s4", 560, 570, pickup={"ems": 3}),
        _stop("pc", 600, 610, handin={"ems": 12}),
        _stop("d", 700),
    )
    mon_b = _route(
        "mon",
        "v2",
        _stop("d", 480),
        _stop("s3", 600, 610, pickup={"zto": 8}),
        _stop("s5", 620, 630, pickup={"zto": 2}),
        _stop("xb", 900, 910, handin={"zto": 8}),
        _stop("d", 960, handin={"zto": 2}),
    )
    tue = _route(
        "tue",
        "v1",
        _stop("d", 480),
        _stop("s4", 500, 510, pickup={"ems": 3}),
        _stop("s1", 530, 540, deliver={"ems": 5}, pickup={"ems": 4}),
        _stop("d", 555, handin={"ems": 5}),
    )
    return Plan(
        network="flows",
        mode="joint",
        days=("mon", "tue"),
        routes=(mon_a, mon_b, tue),
        totals=Kpis(),
    )


@pytest.fixture(scope="module")
def report(net: Network, plan: Plan) -> FlowReport:
    return flows(net, plan)


def test_totals_count_every_parcel(report: FlowReport) -> None:
    t = report.totals
    assert (t.delivered, t.collected, t.handed_in, t.on_time) == (14, 36, 28, 20)
    assert (t.late, t.missing, t.outbound) == (8, 8, 8)
    assert t.on_time_share == pytest.approx(20 / 36)


def test_cold_minutes_on_board(report: FlowReport) -> None:
    t = report.totals
    assert (t.cold, t.cold_handed_in, t.cold_ok, t.cold_breaches) == (6, 6, 3, 3)
    assert t.cold_minutes_max == 130.0  # 700 - 570, over the 60-minute limit
    assert t.cold_minutes_mean == pytest.approx((3 * 130 + 3 * 45) / 6)
    assert report.by_carrier["zto"].cold_minutes_mean is None


def test_earliest_due_batch_is_handed_in_first(net: Network, plan: Plan) -> None:
    handed = {(h.batch.day, h.batch.station): h.parcels for h in ledger(net, plan).handins}
    # s1 (due 12:00) goes before s2 (due 15:00), although s2 was collected first
    assert handed[("mon", "s1")] == 10 and handed[("mon", "s2")] == 2
    assert ("tue", "s1") not in handed  # collected for pc, the route never goes there


def test_hand_ins_matching_nothing_are_reported(report: FlowReport) -> None:
    assert [(u.day, u.vehicle, u.node, u.carrier, u.parcels) for u in report.unmatched] == [
        ("tue", "v1", "d", "ems", 2)
    ]
    assert "2 parcels handed in that no earlier pickup was bound for" in report.summary()


def test_attainment_by_destination(report: FlowReport) -> None:
    d = report.by_destination
    assert list(d) == ["cross_border_centre", "depot", "processing_centre"]
    pc, xb, depot = d["processing_centre"], d["cross_border_centre"], d["depot"]
    assert (pc.collected, pc.handed_in, pc.on_time, pc.missing) == (20, 12, 12, 8)
    assert (xb.collected, xb.on_time, xb.late, xb.outbound) == (8, 0, 8, 8)
    assert (depot.collected, depot.on_time, depot.on_time_share) == (8, 8, 1.0)
    assert sum(k.delivered for k in d.values()) == 0  # deliveries have no destination


def test_per_carrier_island_and_day(report: FlowReport) -> None:
    ems, zto = report.by_carrier["ems"], report.by_carrier["zto"]
    assert (ems.delivered, ems.collected, ems.on_time, ems.outbound, ems.cold) == (10, 26, 18, 0, 6)
    assert (zto.delivered, zto.collected, zto.on_time, zto.outbound, zto.cold) == (4, 10, 2, 8, 0)
    a, b = report.by_island["a"], report.by_island["b"]
    assert (a.delivered, a.collected, a.on_time, a.outbound) == (10, 20, 16, 0)
    assert (b.delivered, b.collected, b.handed_in, b.on_time, b.outbound) == (4, 16, 12, 4, 8)
    mon, tue = report.by_day["mon"], report.by_day["tue"]
    assert (mon.delivered, mon.collected, mon.outbound) == (9, 29, 8)
    assert (tue.delivered, tue.collected, tue.outbound, tue.cold_minutes_max) == (5, 7, 0, 45.0)
    assert report.outbound_by_day() == {"mon": {"zto": 8}}
    assert list(report.by("day", "carrier")) == [
        ("mon", "ems"),
        ("mon", "zto"),
        ("tue", "ems"),
    ]


def test_programmes_two_in_one_out(report: FlowReport) -> None:
    # villages: 14 delivered, 28 collected; the park s3: 8 collected, all out through xb
    prog = report.programmes()
    assert list(prog) == ["village", "park"]
    assert (prog["village"].delivered, prog["village"].collected, prog["village"].outbound) == (
        14,
        28,
        0,
    )
    assert (prog["park"].delivered, prog["park"].collected, prog["park"].outbound) == (0, 8, 8)
    text = report.summary()
    assert "delivered 14, collected 36, outbound 8" in text
    assert "快递进厂 parks: delivered 0, collected 8; 快递出海 outbound: 8" in text
    assert "on time 55.6%" in text and "cross border centre 0.0%" in text
    assert "late 8, never handed in 8" in text
    assert "on board max 130 min, mean 87.5 min; 3 not within max_ride" in text


def test_markdown_tables(report: FlowReport) -> None:
    md = report.markdown()
    assert "| carrier | delivered | collected | outbound | on time % |" in md
    assert "| ems | 10 | 26 | 0 | 69.2 |" in md  # 18 / 26 on time
    assert "| total | 14 | 36 | 8 | 55.6 | 8 | 8 | 6 | 130.0 | 87.5 |" in md
    assert "| day | zto | total |\n|:---|---:|---:|\n| mon | 8 | 8 |" in md
    assert "| 快递进厂 parks | 0 | 8 | 8 | 0.0 |" in md
    # collections by destination: the total leaves deliveries out
    assert "| cross_border_centre | 0 | 8 | 8 | 0.0 |" in md
    assert "| total | 0 | 36 | 8 | 55.6 |" in md
    assert table([{"a": "x|y", "b": 1234}], ["a", "b"], markdown=True) == (
        "| a | b |\n|:---|---:|\n| x\\|y | 1,234 |"
    )


def test_deadline_and_cold_due_take_the_earlier(net: Network, plan: Plan) -> None:
    batches = {(b.day, b.station): b for b in ledger(net, plan).batches}
    assert batches[("mon", "s1")].due == NOON
    assert batches[("mon", "s4")].due == 570 + 60  # cold, no pickup_by
    assert batches[("mon", "s5")].due == float("inf")
    assert batches[("mon", "s3")].programme == "park" and batches[("mon", "s3")].kind == (
        "cross_border_centre"
    )


def test_flow_kpis_add_and_compare_side_by_side() -> None:
    a = FlowKpis(delivered=3, collected=4, on_time=4, handed_in=4, cold=1, cold_minutes_max=50)
    b = FlowKpis(delivered=1, collected=2, handed_in=1, cold=1, cold_minutes_max=20)
    s = a + b
    assert (s.delivered, s.collected, s.on_time, s.missing, s.cold_minutes_max) == (4, 6, 4, 1, 50)
    rows = flow_comparison_rows({"ems": a}, {"ems": b})
    assert [(r["carrier"], r["week"]) for r in rows] == [
        ("ems", "alone"),
        ("ems", "joint"),
        ("total", "alone"),
        ("total", "joint"),
    ]
    assert [r["delivered"] for r in rows] == [3, 1, 3, 1]
    assert [r["on time %"] for r in rows[:2]] == [100.0, 0.0]
    assert [r["cold max min"] for r in rows[:2]] == [50.0, 20.0]
    assert FlowKpis().on_time_share is None


@pytest.fixture(scope="module")
def pickup_net() -> Network:
    """A small generated archipelago whose stations each send a quarter of what they
    receive (plain pickups: the planner hands them in at the depot)."""
    base = archipelago(n_stations=8, n_islands=2, n_carriers=2, seed=2)
    stations = tuple(
        s.model_copy(update={"pickup": {c: q // 4 for c, q in s.demand.items()}})
        for s in base.stations
    )
    return base.replace(stations=stations)


def test_planned_week_hands_every_pickup_in_on_time(pickup_net: Network) -> None:
    plan = plan_week(pickup_net, time_limit=TIME_LIMIT, seed=0)
    rep = flows(pickup_net, plan)
    t = rep.totals
    assert t.delivered == pickup_net.weekly_parcels()
    assert t.collected == sum(sum(s.pickup.values()) for s in pickup_net.stations) > 0
    assert t.handed_in == t.on_time == t.collected and t.outbound == 0 and not rep.unmatched
    for c in pickup_net.carrier_ids:
        assert rep.by_carrier[c].collected == sum(s.pickup.get(c, 0) for s in pickup_net.stations)
    assert set(rep.by_destination) <= {"depot", "processing_centre"}


def test_plan_command_prints_two_in_one_out(pickup_net: Network, tmp_path, capsys) -> None:
    path = tmp_path / "net.json"
    pickup_net.to_json(str(path))
    argv = ["plan", "--network", str(path), "--time-limit", str(TIME_LIMIT), "--quiet"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    collected = sum(sum(s.pickup.values()) for s in pickup_net.stations)
    assert f"collected {collected:,}, outbound 0" in out and "on time 100.0%" in out


def test_plan_command_without_pickups_prints_no_flows(capsys) -> None:
    argv = ["plan", "--network", "synthetic:6:2:2", "--time-limit", str(TIME_LIMIT), "--quiet"]
    assert main(argv) == 0
    assert "two in, one out" not in capsys.readouterr().out
