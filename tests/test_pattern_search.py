"""Visit-day search on the routes as they stand, and several days routed as one model.

Pattern moves must keep every station on an allowed pattern, each visit in exactly one
route of each of its days, and (with no overload allowed) every route within capacity;
a week routed as one model must keep once-a-horizon stations to one allowed day.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import archipelagos

from islandroute import Network
from islandroute.datasets.pvrp import read_pvrp
from islandroute.network.reach import Reach
from islandroute.planning.day import Visit, build_day, day_visits, working
from islandroute.planning.instance import Instance
from islandroute.planning.ortools_adapter import solve_day
from islandroute.planning.pattern_search import pattern_search
from islandroute.planning.patterns import balanced_patterns
from islandroute.planning.week import Week


def solved_week(net: Network, effort: int = 2) -> Week:
    inst = Instance(net, Reach(net), tuple(net.carrier_ids), list(net.vehicles), "joint")
    week = Week(inst, balanced_patterns(inst, 0), effort)
    week.solve_all(3.0)
    return week


def visits_by_day(week: Week) -> Counter[tuple[int, str]]:
    seen: Counter[tuple[int, str]] = Counter()
    for day, res in week.days.items():
        for _vehicle, events in res.events:
            for ev in events:
                if isinstance(ev, Visit):
                    seen[(ev.unit.station, day)] += 1
    return seen


def assert_consistent(week: Week, overload: float) -> None:
    """Allowed patterns, each visit routed once on each pattern day, loads within limits."""
    inst = week.inst
    seen = visits_by_day(week)
    for si in inst.stations:
        pat = week.assignment[si]
        assert pat in inst.patterns[si]
        for d in inst.days:
            expected = len(inst.units[si]) if d in pat else 0
            assert seen[(si, d)] == expected, (si, d, pat)
    for day, res in week.days.items():
        total = 0
        for vehicle, events in res.events:
            load = sum(
                inst.load(ev.unit, week.assignment[ev.unit.station], day)
                for ev in events
                if isinstance(ev, Visit)
            )
            total += load
            if overload == 0:
                assert load <= vehicle.capacity, (day, vehicle.id)
        assert total <= sum(inst.vehicles[k].capacity for k in working(inst, day))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    net=archipelagos(max_stations=10, max_carriers=2, max_islands=3),
    overload=st.sampled_from([0.0, 0.1, 1.0]),
    kick=st.integers(0, 3),
)
def test_pattern_moves_keep_the_rules(net: Network, overload: float, kick: int) -> None:
    week = solved_week(net)
    if week.dropped():
        return
    found = pattern_search(week, 2.0, np.random.default_rng(0), overload=overload, kick=kick)
    if found is None:
        return
    assert found.moved > 0 and found.touched
    assert_consistent(found.week, overload)
    for d in set(week.inst.days) - found.touched:  # untouched days keep their routes
        assert found.week.days[d] is week.days[d]
    for si in week.inst.stations:
        if found.week.assignment[si] != week.assignment[si]:
            assert set(found.week.assignment[si]) ^ set(week.assignment[si]) <= found.touched


# one depot, one vehicle a day, five customers each visited once on any of three days
ONCE = """\
1 1 5 3
0 100
0 100
0 100
0 0 0 0 0 0 0
1 10 0 0 10 1 3 4 2 1
2 0 10 0 10 1 3 4 2 1
3 -10 0 0 10 1 3 4 2 1
4 0 -10 0 10 1 3 4 2 1
5 11 1 0 10 1 3 4 2 1
"""


def test_week_model_moves_once_a_week_stations(tmp_path: Path) -> None:
    path = tmp_path / "once.txt"
    path.write_text(ONCE)
    net = read_pvrp(path)
    inst = Instance(net, Reach(net), tuple(net.carrier_ids), list(net.vehicles), "joint")
    assert sorted(inst.flexible) == list(range(5))
    # a poor start: each customer on its own day where it can
    spread = {si: inst.patterns[si][si % 3] for si in inst.stations}
    week = Week(inst, spread, effort=5)
    week.solve_all(3.0)
    before = week.objective()
    assert week.mergeable()
    assert week.solve_together(3.0, scale=50)
    assert week.objective() < before  # one route through all five beats three trips
    assert_consistent(week, 0.0)
    assert len({week.assignment[si] for si in inst.stations}) == 1


def test_vehicle_costs_add_up_to_the_objective(tmp_path: Path) -> None:
    path = tmp_path / "once.txt"
    path.write_text(ONCE)
    net = read_pvrp(path)
    inst = Instance(net, Reach(net), tuple(net.carrier_ids), list(net.vehicles), "joint")
    assignment = {si: inst.patterns[si][0] for si in inst.stations}
    day = assignment[0][0]
    lay = build_day(inst, day, day_visits(inst, day, assignment), working(inst, day), None)
    assert lay is not None and lay.model is not None
    sol = solve_day(lay.model, time_limit=2.0, solution_limit=200)
    assert sol.found and not sol.dropped
    assert sum(sol.vehicle_costs) == sol.objective


def test_big_weeks_move_by_estimates(monkeypatch) -> None:
    """Weeks too big for exact insertions take the estimate-guided moves, still valid."""
    from islandroute import plan_week, validate
    from islandroute.datasets.synthetic import archipelago
    from islandroute.planning import PlanOptions, Tuning
    from islandroute.planning import improve as improve_module

    net = archipelago(n_stations=24, n_islands=2, n_carriers=2, seed=3)
    calls: list[str] = []
    for name in ("_iterated_search", "_estimated_moves"):
        real = getattr(improve_module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(improve_module, name, spy)
    road_off = Tuning(road_search_visits=0)  # the week search would take this road week
    plan = plan_week(net, "joint", options=PlanOptions(time_limit=8, effort=2, tuning=road_off))
    assert validate(net, plan) == [] and calls == ["_iterated_search"]
    calls.clear()
    tuning = Tuning(search_visits=0, road_search_visits=0)
    options = PlanOptions(time_limit=8, effort=2, tuning=tuning)
    plan = plan_week(net, "joint", options=options)
    assert validate(net, plan) == [] and calls == ["_estimated_moves"]
