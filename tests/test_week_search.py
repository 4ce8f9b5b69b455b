"""The route-level week search: its moves keep the week whole, it ends feasible and no
dearer than its start, and a move budget makes it repeatable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from islandroute.datasets.pvrp import read_pvrp
from islandroute.datasets.synthetic import archipelago
from islandroute.model.network import Network
from islandroute.network.reach import Reach
from islandroute.planning.instance import Instance
from islandroute.planning.options import DEFAULT_TUNING, Tuning
from islandroute.planning.patterns import balanced_patterns, fixed_patterns
from islandroute.planning.planner import plan_week
from islandroute.planning.week import Week
from islandroute.planning.week_search import _road_days, _Search, road_week, search_week
from islandroute.validate import validate

DAY_BITS = {2: [2, 1, 3], 3: [4, 2, 1, 5, 3, 6], 5: [16, 8, 4, 2, 1, 20, 10, 9, 5]}


def pvrp_text(n: int, days: int, vehicles: int, capacity: int, seed: int) -> str:
    """A small Cordeau-format week: random customers, each on 1 or 2 days."""
    rng = np.random.default_rng(seed)
    lines = [f"1 {vehicles} {n} {days}"] + [f"0 {capacity}"] * days
    lines.append("0 50 50 0 0 0 0")
    for i in range(1, n + 1):
        x, y = rng.integers(0, 100, size=2)
        q = int(rng.integers(1, 10))
        singles = DAY_BITS[days][:days]
        pairs = DAY_BITS[days][days:]
        combos = singles if (not pairs or rng.random() < 0.5) else pairs
        f = 1 if combos is singles else 2
        lines.append(f"{i} {x} {y} 0 {q} {f} {len(combos)} " + " ".join(map(str, combos)))
    return "\n".join(lines) + "\n"


def pvrp_net(tmp: Path, n: int, days: int, vehicles: int, capacity: int, seed: int) -> Network:
    path = tmp / f"w{n}_{days}_{seed}.txt"
    path.write_text(pvrp_text(n, days, vehicles, capacity, seed))
    return read_pvrp(path)


def started_week(net: Network, solve: bool = True, piled: bool = False) -> Week:
    """A week on balanced visit days (``piled``: every one-day station on day one)."""
    inst = Instance(net, Reach(net), tuple(net.carrier_ids), list(net.vehicles), "joint")
    days = fixed_patterns(inst, net.days[:1]) if piled else balanced_patterns(inst, 0)
    week = Week(inst, days, effort=1)
    if solve:
        week.solve_all(2.0)
    return week


def assert_whole(s: _Search) -> None:
    """Every visit of a station's pattern on exactly one route, indexed where it is."""
    for d, day in s.days.items():
        nodes = [x for seq in day.routes for x in seq]
        assert len(nodes) == len(set(nodes)), d
        for k, seq in enumerate(day.routes):
            for i, x in enumerate(seq):
                assert day.where[x] == (k, i)
        for si, xs in s.nodes[d].items():
            for x in xs:
                assert (x in day.where) == (d in s.assignment[si]), (d, si)
        for si in s.inst.stations:
            assert s.assignment[si] in s.inst.patterns[si]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(4, 25),
    days=st.sampled_from([2, 3, 5]),
    vehicles=st.integers(1, 3),
    seed=st.integers(0, 10_000),
)
def test_moves_keep_the_week_whole(
    tmp_path: Path, n: int, days: int, vehicles: int, seed: int
) -> None:
    net = pvrp_net(tmp_path, n, days, vehicles, 60, seed)
    week = started_week(net, solve=False, piled=seed % 2 == 0)
    road = _road_days(week, DEFAULT_TUNING)
    assert road is not None
    s = _Search(
        week.inst, DEFAULT_TUNING, road, dict(week.assignment), np.random.default_rng(seed), True
    )
    s.budget = 5_000
    s.place_missing()
    assert_whole(s)
    for _ in range(3):
        s.descend()
        assert_whole(s)
        s.perturb()
        assert_whole(s)


def test_search_ends_feasible_valid_and_no_dearer(tmp_path: Path) -> None:
    net = pvrp_net(tmp_path, 30, 5, 2, 70, 1)
    week = started_week(net)
    assert not week.dropped()
    found = search_week(week, seconds=20, seed=0, moves=60_000, patterns=True, say=print)
    assert found is not None and found.week is not None
    assert found.best_cost < found.start_cost
    better = found.week
    assert better.objective() == round(found.best_cost)
    for si in better.inst.stations:
        assert better.assignment[si] in better.inst.patterns[si]


def test_the_search_finds_a_feasible_week_from_no_routes(tmp_path: Path) -> None:
    """Every visit starts at its cheapest place whatever it breaks (tight capacity, all
    on one day); the penalties drive the week to a feasible one."""
    net = pvrp_net(tmp_path, 24, 3, 2, 40, 4)
    week = started_week(net, solve=False, piled=True)
    found = search_week(week, seconds=30, seed=1, moves=80_000, patterns=True, say=print)
    assert found is not None and found.week is not None
    assert not found.week.dropped()
    for res in found.week.days.values():
        for vehicle, events in res.events:
            assert sum(v.load for v in events if hasattr(v, "load")) <= vehicle.capacity


def test_a_move_budget_makes_the_search_repeatable(tmp_path: Path) -> None:
    net = pvrp_net(tmp_path, 30, 5, 2, 70, 2)
    weeks = []
    for _ in range(2):
        found = search_week(
            started_week(net), seconds=60, seed=7, moves=20_000, patterns=True, say=print
        )
        assert found is not None and found.week is not None
        weeks.append(found.week)
    a, b = weeks
    assert a.assignment == b.assignment
    assert [r.stops for r in a.routes()] == [r.stops for r in b.routes()]


def test_plan_week_on_a_road_week_is_valid(tmp_path: Path) -> None:
    net = pvrp_net(tmp_path, 40, 5, 3, 60, 3)
    plan = plan_week(net, "joint", time_limit=6, seed=0, effort=1)
    assert validate(net, plan) == []
    assert not plan.unserved


def test_routes_with_crossings_are_kept_as_they_are() -> None:
    """Routes with a crossing stay as OR-Tools made them; the search works on the others
    and the week it returns keeps every rule."""
    net = archipelago(n_stations=40, n_islands=4, n_carriers=2, seed=2)
    week = started_week(net)
    found = search_week(week, seconds=30, seed=0, moves=30_000, patterns=True, say=print)
    assert found is not None
    crossing = {
        (d, v.id, tuple(map(repr, events)))
        for d, res in week.days.items()
        for v, events in res.events
        if any(not hasattr(ev, "unit") for ev in events)
    }
    assert crossing, "the network should need a crossing"
    if found.week is not None:
        after = {
            (d, v.id, tuple(map(repr, events)))
            for d, res in found.week.days.items()
            for v, events in res.events
        }
        assert crossing <= after
        assert not found.week.dropped()


def test_which_weeks_the_search_takes() -> None:
    ferry_week = started_week(archipelago(n_stations=30, n_carriers=2, seed=0), solve=False)
    assert road_week(ferry_week.inst, DEFAULT_TUNING)
    small = Tuning(road_search_ferry_visits=5)
    assert not road_week(ferry_week.inst, small)


def test_a_narrow_window_road_week_serves_every_carrier() -> None:
    """A road week shaped unlike the generator's: 2-3-hour opening windows, mixed van
    sizes and prices. Mon/Wed/Fri, the week search's first start, leaves some carriers'
    visits out; the next start must be routed before the search (it once was not, and
    20 pairs went unserved)."""
    import random

    rnd = random.Random(42)
    net = archipelago(
        n_stations=90,
        n_islands=6,
        n_carriers=3,
        share_bridge=1.0,
        share_vehicle_ferry=0.0,
        share_boat_only=0.0,
        seed=11,
    )
    doc = net.to_dict()
    for station in doc["stations"]:
        a = rnd.choice([480, 540, 600, 660, 780, 840])
        station["open"] = [a, a + rnd.choice([120, 150, 180])]
        station["service_minutes"] = rnd.choice([3, 5, 8, 12])
    for vehicle in doc["vehicles"]:
        vehicle["capacity"] = int(vehicle["capacity"] * rnd.choice([0.6, 1.0, 1.4]))
        vehicle["cost_per_km"] = round(
            vehicle.get("cost_per_km", 1.0) * rnd.choice([0.7, 1.0, 1.3]), 2
        )
    narrow = Network.from_dict(doc)
    # 20 s: at 10 s the last carrier's share (4 s) holds one start only, and that start
    # leaves a visit out on Friday (so at 1a90173 too, on a quiet machine): the
    # documented "a longer time_limit may place it"
    plan = plan_week(narrow, "separate", time_limit=20, seed=0, allow_unserved=True)
    assert validate(narrow, plan) == []
    assert not plan.unserved
