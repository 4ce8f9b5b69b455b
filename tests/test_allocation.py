"""Cost allocation on plain cost functions (made-up games) and on a planned network."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from islandroute.analysis.allocation import (
    check_core,
    proportional,
    shapley,
    shapley_exact,
    shapley_monte_carlo,
)
from islandroute.analysis.coalitions import all_coalitions, coalition_seed, restrict


def airport(costs: dict[str, float]):
    """The airport game: a coalition pays for the longest runway any member needs."""
    return lambda s: max((costs[p] for p in s), default=0.0)


def test_exact_shapley_of_the_airport_game() -> None:
    alloc = shapley_exact(["a", "b", "c"], airport({"a": 1.0, "b": 2.0, "c": 3.0}))
    assert alloc.shares["a"] == pytest.approx(1 / 3)
    assert alloc.shares["b"] == pytest.approx(1 / 3 + 1 / 2)
    assert alloc.shares["c"] == pytest.approx(1 / 3 + 1 / 2 + 1)
    assert alloc.total == pytest.approx(3.0)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 100), min_size=31, max_size=31))
def test_shapley_is_efficient_on_any_game(values: list[float]) -> None:
    players = ["a", "b", "c", "d", "e"]
    table = dict(zip(all_coalitions(players), values, strict=True))
    cost = lambda s: table[s] if s else 0.0  # noqa: E731
    alloc = shapley_exact(players, cost)
    assert alloc.total == pytest.approx(cost(frozenset(players)), abs=1e-6)
    mc = shapley_monte_carlo(players, cost, samples=20, seed=3)
    assert mc.total == pytest.approx(cost(frozenset(players)), abs=1e-6)


def test_symmetric_players_get_equal_shares() -> None:
    def cost(s: frozenset[str]) -> float:
        base = {"a": 10.0, "b": 10.0, "c": 4.0}
        return sum(base[p] for p in s) * (0.7 if len(s) > 1 else 1.0) + 3 * ("c" in s)

    alloc = shapley_exact(["a", "b", "c"], cost)
    assert alloc.shares["a"] == pytest.approx(alloc.shares["b"])


def test_monte_carlo_agrees_with_exact_within_its_stated_error() -> None:
    players = [f"p{i}" for i in range(6)]
    weight = {p: 1.0 + i for i, p in enumerate(players)}

    def cost(s: frozenset[str]) -> float:  # a subadditive routing-like game
        return math.sqrt(sum(weight[p] for p in s)) * 10 + 2 * len(s)

    exact = shapley_exact(players, cost)
    mc = shapley_monte_carlo(players, cost, samples=400, seed=1)
    assert mc.samples == 400
    for p in players:
        assert mc.error[p] > 0
        assert abs(mc.shares[p] - exact.shares[p]) <= 1.5 * mc.error[p] + 1e-9
    # more samples, smaller stated error
    assert max(shapley_monte_carlo(players, cost, samples=1600, seed=1).error.values()) < max(
        mc.error.values()
    )


def test_shapley_switches_to_monte_carlo_above_the_exact_limit() -> None:
    players = [f"p{i}" for i in range(10)]
    calls: list[frozenset[str]] = []

    def cost(s: frozenset[str]) -> float:
        calls.append(s)
        return 10.0 * len(s) ** 0.5

    alloc = shapley(players, cost, exact_max=8, samples=50, seed=0)
    assert alloc.method == "shapley_monte_carlo"
    assert len(set(calls)) < 2 ** len(players) - 1
    assert alloc.total == pytest.approx(10.0 * 10**0.5)
    for p in players:  # symmetric players: the truth is 1/10 of the grand cost each
        assert abs(alloc.shares[p] - 10**0.5) <= 1.5 * alloc.error[p]
    assert shapley(players[:4], cost).method == "shapley"


def test_proportional_splits() -> None:
    alloc = proportional({"a": 1, "b": 3}, 100.0, "parcels")
    assert alloc.shares == {"a": 25.0, "b": 75.0}
    with pytest.raises(ValueError):
        proportional({"a": 0}, 1.0, "parcels")


def test_core_check_passes_a_concave_game() -> None:
    players = ["a", "b", "c", "d"]
    cost = lambda s: 10 * len(s) ** 0.5  # noqa: E731
    alloc = shapley_exact(players, cost)
    core = check_core(alloc.shares, cost, all_coalitions(players))
    assert core.ok and not core.violations
    assert core.checked == 2**4 - 2
    assert "passed" in core.describe()


def test_core_check_names_the_coalitions_that_break_it() -> None:
    # Every pair can do it for 1.0, but the three together cost 1.8: the core is empty
    # (any split of 1.8 makes some pair pay more than 1.0).
    table = {1: 1.0, 2: 1.0, 3: 1.8}
    cost = lambda s: table[len(s)] if s else 0.0  # noqa: E731
    alloc = shapley_exact(["a", "b", "c"], cost)
    core = check_core(alloc.shares, cost, all_coalitions(["a", "b", "c"]))
    assert not core.ok
    assert {v.coalition for v in core.violations} == {("a", "b"), ("a", "c"), ("b", "c")}
    v = core.violations[0]
    assert v.allocated == pytest.approx(1.2) and v.cost == 1.0
    assert v.excess == pytest.approx(0.2)
    assert "a+b" in core.describe()
    # within the tolerance it is noise, not a violation
    assert check_core(alloc.shares, cost, all_coalitions(["a", "b", "c"]), rel_tol=0.25).ok


def test_coalition_seed_is_stable_and_order_free() -> None:
    assert coalition_seed(3, ["ems", "zto"]) == coalition_seed(3, ("zto", "ems"))
    assert coalition_seed(3, ["ems"]) != coalition_seed(4, ["ems"])
    assert 0 <= coalition_seed(0, ["x"]) < 2**31


def test_restrict_keeps_only_the_coalition(small_net) -> None:
    sub = restrict(small_net, ["ems"])
    assert all(set(s.demand) <= {"ems"} and s.parcels > 0 for s in sub.stations)
    assert {v.carrier for v in sub.vehicles} == {"ems", None}
    assert sum(s.demand.get("ems", 0) for s in sub.stations) == sum(
        s.demand.get("ems", 0) for s in small_net.stations
    )
    assert {v.carrier for v in restrict(small_net, ["ems"], shared=False).vehicles} == {"ems"}
    assert restrict(small_net, small_net.carrier_ids) is small_net
    with pytest.raises(ValueError):
        restrict(small_net, ["nobody"])


@pytest.fixture(scope="module")
def small_net():
    from islandroute.datasets.synthetic import archipelago

    return archipelago(n_stations=10, n_islands=3, n_carriers=3, seed=1)


def test_identical_carriers_get_equal_shapley_shares() -> None:
    """Two carriers with the same parcels at the same stations and the same fleet get
    the same share (up to solver noise)."""
    from islandroute.analysis.compare import compare
    from islandroute.analysis.executor import SerialExecutor
    from islandroute.datasets.synthetic import archipelago

    net = archipelago(n_stations=8, n_islands=2, n_carriers=2, seed=4, shared_vehicles=1)
    a, b = net.carrier_ids
    stations = tuple(
        s.model_copy(update={"demand": {a: s.demand.get(a, 0) or 20, b: s.demand.get(a, 0) or 20}})
        for s in net.stations
    )
    mine = [v for v in net.vehicles if v.carrier == a]
    twins = [v.model_copy(update={"id": f"{v.id}-twin", "carrier": b}) for v in mine]
    vehicles = tuple(v for v in net.vehicles if v.carrier != b) + tuple(twins)
    twin_net = net.replace(stations=stations, vehicles=vehicles)
    rep = compare(twin_net, time_limit=5, seed=0, executor=SerialExecutor())
    sa, sb = rep.shapley.shares[a], rep.shapley.shares[b]
    assert sa + sb == pytest.approx(rep.joint.cost)
    assert sa == pytest.approx(sb, rel=0.03)
    assert rep.carriers[0].standalone.cost == pytest.approx(
        rep.carriers[1].standalone.cost, rel=0.03
    )
    assert all(c in rep.coalitions for c in (a, b, f"{a}+{b}"))
