"""The cost of a parcel per village and island: the allocation sums back to the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import archipelagos

import islandroute as ir
from islandroute.analysis.parcel_cost import (
    compare_parcel_costs,
    island_table,
    island_values,
    parcel_cost_table,
    route_shares,
    station_route_costs,
)
from islandroute.analysis.siting import site
from islandroute.cli import main
from islandroute.datasets.candidates import candidate_table

FAST = 2.0


@pytest.fixture(scope="module")
def week() -> tuple[ir.Network, ir.Plan]:
    net = ir.archipelago(16, 5, 2, seed=4, share_boat_only=0.4)
    return net, ir.plan_week(net, "joint", time_limit=FAST, seed=0)


def test_routes_allocate_whole(week: tuple[ir.Network, ir.Plan]) -> None:
    net, plan = week
    for r in plan.routes:
        assert sum(route_shares(net, r).values()) == pytest.approx(r.cost, abs=1e-6)


def test_table_sums_to_plan_and_station_costs(week: tuple[ir.Network, ir.Plan]) -> None:
    net, plan = week
    fees = {s.node: 100.0 for s in net.stations}
    table = parcel_cost_table(net, plan, station_costs=fees, threshold=5.0)
    assert table["cost"].sum() == pytest.approx(plan.totals.cost + sum(fees.values()), abs=0.01)
    rows = table[table.parcels > 0]
    assert (rows.cost_per_parcel * rows.parcels).sum() == pytest.approx(table.cost.sum(), abs=0.1)
    assert table["above"].tolist() == (table["cost_per_parcel"] > 5.0).tolist()
    isl = island_table(table, 5.0)
    assert isl["cost"].sum() == pytest.approx(table["cost"].sum())
    assert set(island_values(table)) == set(isl.island)


def test_compare_puts_plans_side_by_side(week: tuple[ir.Network, ir.Plan]) -> None:
    net, plan = week
    sep = ir.plan_week(net, "separate", time_limit=FAST, seed=0)
    both = compare_parcel_costs(
        {"joint": parcel_cost_table(net, plan), "separate": parcel_cost_table(net, sep)}
    )
    assert {"cost/parcel joint", "cost/parcel separate", "above separate"} <= set(both.columns)
    first = both["cost/parcel joint"].tolist()
    assert first == sorted(first, reverse=True)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=archipelagos(max_stations=10, max_islands=3, max_carriers=2))
def test_sited_cost_per_parcel_sums_back(net: ir.Network) -> None:
    report = site(net, candidate_table(net, 3.0), walk_km=3.0, time_limit=4.0, rounds=0)
    table = parcel_cost_table(
        report.sited_network,
        report.plan,
        station_costs=report.station_costs(),
        members=report.members(),
    )
    fees = sum(report.station_costs().values())
    assert table["cost"].sum() == pytest.approx(report.plan.totals.cost + fees, abs=0.01)
    _cost, handled = station_route_costs(report.sited_network, report.plan)
    for s in report.sites:  # a shared site's parcels are split over its villages, none lost
        rows = table[table.village.isin(s.villages)]
        assert rows.parcels.sum() == pytest.approx(handled.get(s.node, 0), abs=0.01)
        assert set(rows.site) <= {s.node}


def test_plot_cost_per_parcel(week: tuple[ir.Network, ir.Plan]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from islandroute.analysis.parcel_map import GID_ISLAND, plot_cost_per_parcel

    net, plan = week
    ax = plot_cost_per_parcel(net, parcel_cost_table(net, plan))
    drawn = [a for a in ax.get_children() if a.get_gid() == GID_ISLAND]
    assert len(drawn) == len({n.island for n in net.nodes})


def test_cli_parcel_cost(tmp_path: Path, week: tuple[ir.Network, ir.Plan], capsys: Any) -> None:
    net, plan = week
    net_path, plan_path = tmp_path / "net.json", tmp_path / "plan.json"
    net.to_json(str(net_path))
    plan.to_json(str(plan_path))
    out = tmp_path / "pc"
    code = main(
        ["parcel-cost", "--network", str(net_path), "--plan", str(plan_path), "--out", str(out)]
    )
    assert code == 0
    assert "cost/parcel plan (joint)" in capsys.readouterr().out
    for name in ("villages.csv", "islands.csv", "map.png"):
        assert (out / name).is_file()
