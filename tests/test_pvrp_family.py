"""The Cordeau PVRP family beyond the development set (p01-p32, pr01-pr10): files that
were refused or mis-read, clear errors for bad files, and the PVRP-like generator."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from islandroute.datasets import pvrp
from islandroute.datasets.pvrp import (
    CARRIER,
    HORIZON_MARGIN,
    MAX_ROAD_PAIRS,
    NO_LIMIT,
    PvrpFileError,
    allowed_combinations,
    decode_pattern,
    encode_pattern,
    generate_pvrp,
    generated_layout,
    parse_pvrp,
    pvrp_text,
    read_pvrp,
    route_bound,
)
from islandroute.model.network import MAX_MINUTE, MINUTES_PER_DAY, Network
from islandroute.model.plan import Plan
from islandroute.planning.planner import plan_week
from islandroute.validate import validate

PVRP_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "pvrp"

# Like p30-p32: no duration limit (D = 0) and customers 1500 from the depot, so a round
# trip (3000) is longer than the old fixed shift of NO_LIMIT = 2800 minutes. Customer 4
# is visited every day (f = t), customer 3 on days 1 and 3 (combination 5 = 101).
FAR = """\
1 2 7 3
0 20
0 20
0 20
0 0 0 0 0 0 0
1 1500 0 0 4 1 3 4 2 1
2 0 1500 0 3 1 3 4 2 1
3 -1299.038 750 0 2 2 1 5
4 57.735 0 0 5 3 1 7
5 -866.025 0 0 6 1 3 4 2 1
6 0 -1500 0 3 1 3 4 2 1
7 288.675 0 0 1 2 1 5
"""

# A small clean instance to write in other layouts: t = 3, two vehicles, Q = 20.
SMALL = """\
1 2 5 3
0 20
0 20
0 20
0 0 0 0 0 0 0
1 10 0 0 4 2 1 5
2 0 10 1 3 1 3 4 2 1
3 -10 0 0 5 1 3 4 2 1
4 0 -10 2 6 3 1 7
5 7 7 0 2 1 3 4 2 1
"""


def file_rows(text: str) -> tuple[list[float], dict[str, tuple[float, float, float]]]:
    """The day limits and each node's (x, y, service) straight from a Cordeau text (an
    independent reading for checking costs and durations in the file's units)."""
    lines = [ln.split() for ln in text.splitlines() if ln.strip()]
    t = int(lines[0][3])
    limits = [float(ln[0]) for ln in lines[1 : 1 + t]]
    rows = {ln[0]: (float(ln[1]), float(ln[2]), float(ln[3])) for ln in lines[1 + t :]}
    return limits, rows


def plan_valid(net: Network, text: str, limit: float = 2.0) -> Plan:
    """Plan ``net`` and check: valid, every visit served, cost = the Euclidean length in
    the file's coordinates, every route within its day's D (travel + service, file units)."""
    plan = plan_week(net, "joint", time_limit=limit, seed=0)
    assert validate(net, plan) == []
    assert not plan.unserved
    limits, rows = file_rows(text)
    total = 0.0
    for r in plan.routes:
        length = sum(
            math.dist(rows[a.node][:2], rows[b.node][:2])
            for a, b in zip(r.stops, r.stops[1:], strict=False)
        )
        service = sum(rows[s.node][2] for s in r.stops[1:-1])
        d = limits[net.days.index(r.day)]
        if d > 0:
            assert length + service <= d + 1e-6
        total += length
    assert plan.cost == pytest.approx(total, rel=1e-6, abs=1e-3)
    for s in net.stations:
        days = tuple(sorted({r.day for r in plan.routes for x in r.stops if x.node == s.node}))
        assert days in net.allowed_patterns(s)
    return plan


# ---- the fixes ------------------------------------------------------------------------


def test_far_customers_without_limit_read_and_plan() -> None:
    """The bug report (p30-p32): a missing limit became the fixed shift (0, 2800), so a
    customer 1500 away 'fit no shift'. Now the horizon comes from the instance's route
    bound and time is scaled to fit the planner's clock; cost stays Euclidean."""
    net = parse_pvrp(FAR, "far")
    prov = net.provenance or {}
    bound = prov["route_bound"]
    assert bound >= 2 * 1500  # every customer can be reached and left
    assert prov["time_scale"] == pytest.approx(HORIZON_MARGIN * bound / NO_LIMIT)
    assert prov["travel"] == "roads"
    assert all(v.shift == (0, NO_LIMIT) for v in net.vehicles)
    road = {(r.a, r.b): r for r in net.roads}[("0", "1")]
    assert road.km == pytest.approx(1500.0)  # km stay the file's distances
    assert road.minutes == pytest.approx(1500.0 / prov["time_scale"])
    assert net.node_by_id["1"].lon == 1500.0  # and coordinates the file's
    assert net.station_by_node["4"].patterns == (("d1", "d2", "d3"),)  # f = t
    plan_valid(net, FAR)


def test_generated_coordinates_up_to_5000_plan_valid() -> None:
    text = pvrp_text(8, 3, 1, extent=5000)
    net = parse_pvrp(text, "wide")
    assert (net.provenance or {})["time_scale"] > 1
    assert max(abs(n.lon) for n in net.nodes) > 1400  # beyond the old reach
    plan_valid(net, text, limit=5)


def test_duration_above_the_clock_is_scaled() -> None:
    """D = 4000 did not fit a shift (at most 2880 minutes): pydantic refused the vehicle."""
    text = pvrp_text(8, 3, 2, extent=1000, duration=4000)
    assert "\n4000 " in text
    net = parse_pvrp(text, "long")
    prov = net.provenance or {}
    assert prov["time_scale"] == pytest.approx(4000 / NO_LIMIT)
    assert all(v.shift == (0, NO_LIMIT) for v in net.vehicles)  # 4000 / scale, exactly
    plan_valid(net, text)


def test_mixed_day_limits_share_one_time_scale() -> None:
    text = SMALL.replace("0 20\n0 20\n0 20\n", "5600 20\n0 20\n700 15\n", 1)
    net = parse_pvrp(text, "mixed")
    scale = (net.provenance or {})["time_scale"]
    assert scale == pytest.approx(2.0)  # 5600 / 2800; the route bound is small
    shifts = {v.days: v.shift for v in net.vehicles}
    assert shifts == {("d1",): (0, 2800), ("d2",): (0, NO_LIMIT), ("d3",): (0, 350)}
    assert net.station_by_node["4"].service_minutes == pytest.approx(1.0)  # 2 / scale
    plan_valid(net, text)


def test_long_service_times_are_scaled() -> None:
    """A service above a day (1440 minutes) was refused by the station model."""
    text = pvrp_text(6, 3, 3, service=2000)
    services = [float(ln.split()[3]) for ln in text.splitlines()[4:]]
    assert max(services) > MINUTES_PER_DAY
    net = parse_pvrp(text, "slow")
    scale = (net.provenance or {})["time_scale"]
    assert max(s.service_minutes for s in net.stations) <= MINUTES_PER_DAY
    assert net.station_by_node["1"].service_minutes == pytest.approx(services[1] / scale)
    plan_valid(net, text)


def test_legs_beyond_the_input_range_are_refused_by_name() -> None:
    text = FAR.replace("\n2 0 1500 0", "\n2 0 15000 0")
    with pytest.raises(PvrpFileError) as err:
        parse_pvrp(text, "huge")
    (p,) = err.value.problems
    assert (p.obj, p.field) == ("customer 6", "x, y")
    assert "16500 from customer 2" in p.message


def test_many_nodes_scale_coordinates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond MAX_ROAD_PAIRS a complete road graph is too big: coordinates are divided by
    the time scale and vehicles cost the scale per km, so costs stay the file's."""
    assert MAX_ROAD_PAIRS == 100_000
    monkeypatch.setattr(pvrp, "MAX_ROAD_PAIRS", 10)
    net = parse_pvrp(FAR, "far")
    prov = net.provenance or {}
    assert prov["travel"] == "scaled coordinates" and not net.roads
    assert net.vehicles[0].cost_per_km == pytest.approx(prov["time_scale"])
    assert net.node_by_id["1"].lon == pytest.approx(1500 / prov["time_scale"])
    plan_valid(net, FAR)


def test_every_day_and_single_day_frequencies() -> None:
    one_day = "1 1 2 1\n0 50\n0 0 0 0 0 0 0\n1 3 4 0 5 1 1 1\n2 -3 4 0 5 1 1 1\n"
    net = parse_pvrp(one_day, "oneday")
    assert net.days == ("d1",) and net.station_by_node["1"].patterns == (("d1",),)
    plan_valid(net, one_day)
    net = parse_pvrp(SMALL, "small")
    assert net.station_by_node["4"].min_visits == 3
    plan_valid(net, SMALL)


def test_depot_anywhere_in_the_customer_section() -> None:
    lines = SMALL.splitlines()
    depot_last = "\n".join(lines[:4] + lines[5:] + [lines[4]]) + "\n"
    a, b = parse_pvrp(SMALL, "x"), parse_pvrp(depot_last, "x")
    assert a.model_dump() == b.model_dump()
    # no id 0: the one line without visits is the depot, whatever its id
    renamed = depot_last.replace("\n0 0 0 0 0 0 0\n", "\n9 0 0 0 0 0 0\n")
    c = parse_pvrp(renamed, "x")
    assert c.vehicles[0].depot == "9" and c.node_by_id["9"].kind == "depot"
    assert [s.node for s in c.stations] == ["1", "2", "3", "4", "5"]


def test_spacing_tabs_crlf_and_blank_lines() -> None:
    lines = ["\t " + "   ".join(ln.split()) + "  \t" for ln in SMALL.splitlines()]
    messy = "\r\n".join([lines[0], "", "   ", *lines[1:], "", "\t"]) + "\r\n\r\n"
    assert parse_pvrp(messy, "x").model_dump() == parse_pvrp(SMALL, "x").model_dump()


def test_time_window_fields_are_ignored_and_counted() -> None:
    lines = SMALL.splitlines()
    with_tw = "\n".join(lines[:5] + [ln + " 120 480" for ln in lines[5:]]) + "\n"
    net = parse_pvrp(with_tw, "x")
    plain = parse_pvrp(SMALL, "x")
    assert net.stations == plain.stations and net.vehicles == plain.vehicles
    assert (net.provenance or {})["ignored_fields"]["lines"] == 5


def test_dev_set_reads_as_before() -> None:
    if not (PVRP_DIR / "p01.txt").exists():
        pytest.skip("no PVRP data folder")
    for path in sorted(PVRP_DIR.glob("*.txt")):
        net = read_pvrp(path)
        prov = net.provenance or {}
        assert "time_scale" not in prov and not net.roads
        assert prov["file"] == path.name
        limits = {d["D"] for d in prov["limits_per_day"]}
        want = (0, NO_LIMIT) if limits == {0} else (0, math.floor(max(limits)))
        assert {v.shift for v in net.vehicles} == {want}
        assert all(s.open == (0, NO_LIMIT) for s in net.stations)


# ---- clear errors ---------------------------------------------------------------------


def test_demand_above_capacity_names_customer_and_field() -> None:
    text = SMALL.replace("\n3 -10 0 0 5 1", "\n3 -10 0 0 25 1")
    with pytest.raises(PvrpFileError) as err:
        parse_pvrp(text, "x")
    assert isinstance(err.value, ValueError)
    (p,) = err.value.problems
    assert (p.obj, p.field) == ("customer 3", "q (demand)")
    assert "25 parcels a visit exceed the vehicle capacity Q = 20" in str(err.value)


def test_combinations_on_too_small_days_are_dropped() -> None:
    text = SMALL.replace("0 20\n0 20\n0 20\n", "0 20\n0 6\n0 20\n", 1)
    text = text.replace("\n3 -10 0 0 5 1", "\n3 -10 0 0 7 1")
    net = parse_pvrp(text, "x")
    # customer 3 (7 parcels) may not take day 2 (Q = 6); customer 2 (3 parcels) may
    assert net.station_by_node["3"].patterns == (("d1",), ("d3",))
    assert net.station_by_node["2"].patterns == (("d1",), ("d2",), ("d3",))


def test_other_problem_types_are_refused_by_name() -> None:
    with pytest.raises(PvrpFileError, match=r"type: problem type 2 \(MDVRP\) is not 1"):
        parse_pvrp("2" + SMALL[1:], "x")
    with pytest.raises(PvrpFileError, match=r"type 8 \(MDPVRP\)"):
        parse_pvrp("8 1 48 4 4\n500 200\n", "x")


@pytest.mark.parametrize(
    ("old", "new", "where", "what"),
    [
        ("\n2 0 10 1 3", "\n2 0 ten 1 3", "customer 2", "y"),
        ("\n5 7 7 0 2 1 3 4 2 1\n", "\n", "file", "customers"),
        ("\n5 7 7 0 2 1 3 4 2 1\n", "\n5 7 7 0 2 1 3 4 2 1\n6 1 1 0 1 1 1 4\n", "header", "n"),
        ("\n1 10 0 0 4 2 1 5", "\n1 10 0 0 4 2 1 4", "customer 1", "combinations"),
        ("\n1 10 0 0 4 2 1 5", "\n1 10 0 0 4 2 1 9", "customer 1", "combination"),
        ("\n3 -10 0 0 5 1 3", "\n2 -10 0 0 5 1 3", "customer 2", "i (id)"),
        ("\n1 10 0 0 4 2 1 5", "\n1 10 0 0 4 4 1 5", "customer 1", "f (frequency)"),
        ("\n1 10 0 0 4 2 1 5", "\n1 10 0 0 4 0 0", "customer 1", "f (frequency)"),
        ("\n1 10 0 0 4 2 1 5", "\n1 10 0 0 0 2 1 5", "customer 1", "q (demand)"),
        ("\n1 10 0 0 4 2 1 5", "\n1 10 0 0 4.5 2 1 5", "customer 1", "q (demand)"),
        ("\n1 10 0 0 4 2 1 5", "\n1 10 0 0 4 2 2 5", "customer 1", "combinations"),
        ("\n1 10 0 0 4 2 1 5", "\n1 10 0 0 4 2 0", "customer 1", "combinations"),
        ("\n2 0 10 1 3", "\n2 0 10 -1 3", "customer 2", "d (service duration)"),
        ("0 20\n0 20\n0 20\n", "0 20\n-5 20\n0 20\n", "day 2", "D"),
        ("0 20\n0 20\n0 20\n", "0 20\n0 0\n0 20\n", "day 2", "Q"),
        ("1 2 5 3\n", "1 2 5\n", "header", "header"),
        ("1 2 5 3\n", "1 2 5 0\n", "header", "t (days)"),
    ],
)
def test_bad_files_name_the_field(old: str, new: str, where: str, what: str) -> None:
    assert old in SMALL
    with pytest.raises(PvrpFileError) as err:
        parse_pvrp(SMALL.replace(old, new, 1), "x")
    p = err.value.problems[0]
    assert p.obj.startswith(where) and p.field.startswith(what), str(err.value)


def test_empty_and_truncated_files(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("\n \n")
    with pytest.raises(ValueError, match="header"):  # a PvrpFileError is a ValueError
        read_pvrp(path)
    with pytest.raises(PvrpFileError, match="D Q: 3 days announced but only 1 lines follow"):
        parse_pvrp("1 2 5 3\n0 20\n", "x")


def test_unvisited_customers_are_listed() -> None:
    text = SMALL.replace("\n5 7 7 0 2 1 3 4 2 1\n", "\n5 7 7 0 0 0 0\n")
    net = parse_pvrp(text, "x")
    assert "5" not in net.station_by_node
    assert (net.provenance or {})["unvisited_customers"] == [5]


# ---- helpers ---------------------------------------------------------------------------


def test_route_bound_covers_every_customer_alone() -> None:
    customers = [(3.0, 4.0, 2.0, 5), (-6.0, 8.0, 7.0, 5), (0.0, 1.0, 0.0, 5)]
    b = route_bound((0.0, 0.0), customers, capacity=10)  # two customers a route
    assert b >= max(2 * math.hypot(x, y) + s for x, y, s, _ in customers)
    assert b <= 2 * (10 + 5) + 7 + 2  # twice the two farthest, the two longest services
    assert route_bound((0.0, 0.0), [], capacity=10) == 0.0


def test_encode_decode_patterns() -> None:
    days = ("d1", "d2", "d3", "d4", "d5")
    for combo in [(0,), (1, 3), (0, 2, 4), (0, 1, 2, 3, 4)]:
        assert decode_pattern(encode_pattern(combo, 5), days) == tuple(days[k] for k in combo)
    assert encode_pattern((1, 3), 5) == 10
    with pytest.raises(ValueError):
        encode_pattern((5,), 5)


def test_allowed_combinations_are_cordeau_style() -> None:
    assert allowed_combinations(5, 1) == [(0,), (1,), (2,), (3,), (4,)]
    assert allowed_combinations(5, 2) == [(0, 3), (1, 4)]  # Mon-Thu, Tue-Fri
    assert allowed_combinations(5, 3) == [(0, 2, 4)]  # Mon-Wed-Fri
    assert allowed_combinations(6, 3) == [(0, 2, 4), (1, 3, 5)]
    assert allowed_combinations(2, 2) == [(0, 1)]
    assert allowed_combinations(3, 3) == [(0, 1, 2)]
    with pytest.raises(ValueError):
        allowed_combinations(2, 3)


# ---- the generator -------------------------------------------------------------------------


def test_generator_is_deterministic_by_seed() -> None:
    assert "generate_pvrp" in pvrp.__all__ and "pvrp_text" in pvrp.__all__
    a, b = generate_pvrp(15, 5, 7), generate_pvrp(15, 5, 7)
    assert a.model_dump() == b.model_dump()
    assert pvrp_text(15, 5, 7) == pvrp_text(15, 5, 7)
    assert pvrp_text(15, 5, 8) != pvrp_text(15, 5, 7)
    assert a.name == "pvrp-n15-t5-s7-loose"
    assert (a.provenance or {})["generator"]["seed"] == 7
    assert (a.provenance or {})["generator"]["layout"] == generated_layout(7)


def test_generated_instances_look_like_cordeau_weeks() -> None:
    assert {generated_layout(seed) for seed in range(6)} == {"uniform", "clustered"}
    for seed in range(6):
        text = pvrp_text(20, 5, seed)
        net = parse_pvrp(text, "g")
        assert len(net.stations) == 20 and net.days == ("d1", "d2", "d3", "d4", "d5")
        spaced = {
            1: {(d,) for d in net.days},
            2: {("d1", "d4"), ("d2", "d5")},
            3: {("d1", "d3", "d5")},
        }
        for s in net.stations:
            assert 1 <= s.min_visits <= 3 and s.exact_visits
            assert s.patterns is not None and set(s.patterns) == spaced[s.min_visits]
            assert 1 <= s.demand[CARRIER] // s.min_visits <= 30
            assert s.demand[CARRIER] % s.min_visits == 0
        _, rows = file_rows(text)
        assert all(abs(x) <= 100 and abs(y) <= 100 for x, y, _ in rows.values())
    assert all(
        max(s.min_visits for s in parse_pvrp(pvrp_text(10, t, 1), "g").stations) <= min(3, t)
        for t in (1, 2, 3)
    )


@pytest.mark.parametrize(("capacity", "low", "high"), [("loose", 0.5, 0.65), ("tight", 0.8, 0.92)])
def test_generated_fleet_fill(capacity: str, low: float, high: float) -> None:
    for seed in range(3):
        net = generate_pvrp(60, 3, seed, capacity=capacity)  # type: ignore[arg-type]
        m, q = len(net.vehicles), net.vehicles[0].capacity
        fill = net.weekly_parcels() / (len(net.days) * m * q)
        assert low <= fill <= high


def test_generated_vehicles_and_duration() -> None:
    net = generate_pvrp(12, 3, 5, vehicles=3, duration=600)
    assert len(net.vehicles) == 3 and {v.shift for v in net.vehicles} == {(0, 600)}
    more = generate_pvrp(12, 3, 5, duration=400)  # the fleet grows to fit the routes
    assert {v.shift for v in more.vehicles} == {(0, 400)}
    with pytest.raises(ValueError, match="duration"):
        pvrp_text(12, 3, 5, duration=50)
    with pytest.raises(ValueError, match="capacity"):
        pvrp_text(12, 3, 5, capacity="snug")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="vehicles"):
        pvrp_text(12, 3, 5, vehicles=0)


@pytest.mark.parametrize(
    ("seed", "days", "capacity", "duration"),
    [(0, 5, "tight", 0), (1, 3, "loose", 0), (2, 6, "tight", 0), (3, 4, "tight", 450)],
)
def test_generated_weeks_plan_valid(seed: int, days: int, capacity: str, duration: int) -> None:
    text = pvrp_text(10, days, seed, capacity=capacity, duration=duration)  # type: ignore[arg-type]
    net = generate_pvrp(10, days, seed, capacity=capacity, duration=duration)  # type: ignore[arg-type]
    assert net.stations == parse_pvrp(text, "g").stations
    plan_valid(net, text)


def test_shifts_stay_on_the_planner_clock() -> None:
    for text in (FAR, pvrp_text(8, 3, 1, extent=5000), pvrp_text(5, 2, 2, service=5000)):
        net = parse_pvrp(text, "x")
        assert all(v.shift[1] <= min(NO_LIMIT, MAX_MINUTE) for v in net.vehicles)
        assert all(r.minutes <= MAX_MINUTE for r in net.roads)
