"""Static figures: routes along roads, ferry legs dashed, legends, calendar, side by side."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from islandroute import archipelago, plan_week
from islandroute.model.network import Network
from islandroute.model.plan import Plan
from islandroute.plotting import (
    GID_FERRY,
    GID_ROAD,
    MAX_VEHICLES_IN_LEGEND,
    calendar_stations,
    day_summary,
    plot_calendar,
    plot_joint_vs_separate,
    plot_routes,
    route_key,
)

N_STATIONS = 15
TIME_LIMIT = 3


@pytest.fixture(scope="module")
def net() -> Network:
    """A small synthetic archipelago with ferry crossings."""
    return archipelago(N_STATIONS, n_islands=3, n_carriers=2, seed=2)


@pytest.fixture(scope="module")
def plan(net: Network) -> Plan:
    """The joint week of the small archipelago."""
    return plan_week(net, mode="joint", time_limit=TIME_LIMIT, seed=0)


@pytest.fixture(scope="module")
def separate(net: Network) -> Plan:
    """The separate week of the small archipelago."""
    return plan_week(net, mode="separate", time_limit=TIME_LIMIT, seed=0)


@pytest.fixture(scope="module")
def day(plan: Plan) -> str:
    """The day with the most ferry crossings."""
    return max(plan.days, key=lambda d: sum(r.ferry_crossings for r in plan.routes_on(d)))


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    """Close every figure a test opened."""
    yield
    plt.close("all")


def _lines(ax: Any, gid: str) -> list[Any]:
    """The axes' lines drawn with ``gid``."""
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def _legend_labels(ax: Any) -> list[str]:
    """The texts of the axes' colour legend."""
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_week_has_ferry_crossings(plan: Plan, day: str) -> None:
    """The fixture week crosses by ferry, so the map has dashed legs to draw."""
    assert sum(r.ferry_crossings for r in plan.routes_on(day)) > 0


def test_ferry_legs_drawn_dashed_one_per_crossing(net: Network, plan: Plan, day: str) -> None:
    """One dashed line per ferry leg of the day; road parts solid."""
    ax = plot_routes(net, plan, day)
    ferry = _lines(ax, GID_FERRY)
    assert len(ferry) == sum(r.ferry_crossings for r in plan.routes_on(day))
    assert all(line.get_linestyle() == "--" for line in ferry)
    road = _lines(ax, GID_ROAD)
    assert road
    assert all(line.get_linestyle() == "-" for line in road)
    assert {line.get_color() for line in ferry}.isdisjoint({line.get_color() for line in road})


def test_road_parts_follow_roads(net: Network, plan: Plan, day: str) -> None:
    """Each road line's vertices are node positions, consecutive ones joined by a road."""
    ax = plot_routes(net, plan, day)
    at: dict[tuple[float, float], set[str]] = {}
    for n in net.nodes:
        at.setdefault((n.lon, n.lat), set()).add(n.id)
    roads = {frozenset((r.a, r.b)) for r in net.roads}
    for line in _lines(ax, GID_ROAD):
        xy = [tuple(map(float, p)) for p in line.get_xydata()]
        assert len(xy) >= 2
        assert all(p in at for p in xy)
        for p, q in itertools.pairwise(xy):
            assert any(frozenset((a, b)) in roads for a in at[p] for b in at[q]), (p, q)


def test_road_parts_longer_than_chords(net: Network, plan: Plan, day: str) -> None:
    """Some road leg is drawn through intermediate nodes, not as a straight chord."""
    ax = plot_routes(net, plan, day)
    road_legs = sum(1 for r in plan.routes_on(day) for leg in r.legs if leg.mode == "road")
    vertices = sum(len(line.get_xydata()) - 1 for line in _lines(ax, GID_ROAD))
    assert vertices > road_legs


def test_legend_names_vehicles(net: Network, plan: Plan, day: str) -> None:
    """By vehicle, the colour legend lists the vehicles used that day."""
    ax = plot_routes(net, plan, day)
    assert sorted(_legend_labels(ax)) == sorted({r.vehicle for r in plan.routes_on(day)})


def test_legend_names_carriers(net: Network, plan: Plan, day: str) -> None:
    """By carrier, the colour legend lists the carriers of that day's vehicles."""
    ax = plot_routes(net, plan, day, by="carrier")
    expected = {net.vehicle_by_id[r.vehicle].carrier for r in plan.routes_on(day)}
    assert sorted(_legend_labels(ax)) == sorted(c for c in expected if c is not None)


def test_many_vehicles_legend_names_carriers(net: Network, plan: Plan, day: str) -> None:
    """More vehicles than the legend limit and only carriers are named."""
    template = plan.routes_on(day)[0]
    extra = [
        template.model_copy(update={"vehicle": f"v{k}"}) for k in range(MAX_VEHICLES_IN_LEGEND + 1)
    ]
    busy = plan.model_copy(update={"routes": tuple(extra)})
    ax = plot_routes(net, busy, day)
    assert _legend_labels(ax) == [route_key(net, extra[0], "carrier")]


def test_unknown_colouring_refused(net: Network, plan: Plan, day: str) -> None:
    """Colouring by anything but vehicle or carrier is an error."""
    with pytest.raises(ValueError, match="by must be"):
        plot_routes(net, plan, day, by="island")


def test_island_and_town_labels(net: Network, plan: Plan, day: str) -> None:
    """Every island is labelled at its centre; towns only when asked."""
    ax = plot_routes(net, plan, day)
    islands = {t.get_text(): t.xy for t in ax.texts if t.get_gid() == "island-label"}
    assert islands == {(i.name or i.id): (i.lon, i.lat) for i in net.islands}
    assert not [t for t in ax.texts if t.get_gid() == "town-label"]
    ax = plot_routes(net, plan, day, labels=True)
    towns = [t.get_text() for t in ax.texts if t.get_gid() == "town-label"]
    assert towns == [net.node_by_id[s.node].name or s.node for s in net.stations]


def test_calendar_grid_matches_plan(net: Network, plan: Plan) -> None:
    """The heat-map is stations x days of parcels delivered plus collected."""
    ax = plot_calendar(net, plan)
    grid = ax.images[0].get_array()
    assert grid.shape == (len(net.stations), len(net.days))
    rows = calendar_stations(net)
    islands = [net.node_by_id[n].island for n in rows]
    assert islands == sorted(islands)
    for j, d in enumerate(net.days):
        for i, node in enumerate(rows):
            stops = [s for r in plan.routes_on(d) for s in r.stops if s.node == node]
            want = sum(sum(s.deliver.values()) + sum(s.pickup.values()) for s in stops)
            assert grid[i, j] == want
    assert int(grid.sum()) > 0
    assert [t.get_text() for t in ax.get_xticklabels()] == list(net.days)


def test_calendar_of_one_carrier(net: Network, plan: Plan) -> None:
    """One carrier's calendar counts only its parcels; the carriers' calendars add up."""
    total = plot_calendar(net, plan).images[0].get_array()
    parts = [plot_calendar(net, plan, carrier=c).images[0].get_array() for c in net.carrier_ids]
    assert (sum(parts) == total).all()
    assert all(int(p.sum()) > 0 for p in parts)


def test_joint_vs_separate(net: Network, plan: Plan, separate: Plan, day: str) -> None:
    """Two maps, each titled with its plan's cost that day, under one shared title."""
    left, right = plot_joint_vs_separate(net, plan, separate, day)
    joint_text, separate_text = day_summary(plan, day), day_summary(separate, day)
    assert joint_text in left.get_title()
    assert separate_text in right.get_title()
    shared = left.figure._suptitle.get_text()
    assert joint_text in shared and separate_text in shared
    assert left.figure is right.figure


def test_figures_save_to_png(net: Network, plan: Plan, day: str, tmp_path: Path) -> None:
    """Route map and calendar save as non-empty PNGs."""
    for name, ax in (
        ("routes", plot_routes(net, plan, day, labels=True, by="carrier")),
        ("calendar", plot_calendar(net, plan)),
    ):
        out = tmp_path / f"{name}.png"
        ax.figure.savefig(out)
        assert out.read_bytes().startswith(b"\x89PNG")
        assert out.stat().st_size > 0
