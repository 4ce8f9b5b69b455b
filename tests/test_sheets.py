"""The planner's desk tables agree exactly with the plan they are built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from islandroute import Network, Plan, archipelago, plan_week
from islandroute.sheets import (
    CALENDAR_CSV,
    CARRIERS_CSV,
    ISLANDS_CSV,
    ROUTES_SHEET,
    ROW_FERRY,
    SHEETS_FOLDER,
    STOPS_CSV,
    TEMP_SUFFIX,
    WORKBOOK,
    carrier_summary,
    clock,
    find_route,
    island_summary,
    place_name,
    route_sheet,
    route_sheet_html,
    station_calendar,
    stop_frame,
    write_csvs,
    write_xlsx,
)

pd = pytest.importorskip("pandas")

SEED_WITH_FERRIES = 1  # this network's plan crosses by vehicle ferry (checked below)
PLAN_SECONDS = 3


@pytest.fixture(scope="module")
def week() -> tuple[Network, Plan]:
    """A small three-island week with a park, pickups and deadlines, planned jointly."""
    net = archipelago(
        12,
        n_islands=3,
        n_carriers=2,
        seed=SEED_WITH_FERRIES,
        parks=1,
        pickup_share=0.1,
        deadlines=True,
    )
    return net, plan_week(net, mode="joint", time_limit=PLAN_SECONDS, seed=0)


def test_clock_formats_minutes() -> None:
    assert clock(0) == "00:00"
    assert clock(487.0) == "08:07"
    assert clock(1500) == "25:00"


def test_calendar_matches_stops_per_station_and_day(week: tuple[Network, Plan]) -> None:
    net, plan = week
    calendar = station_calendar(net, plan).set_index("node")
    assert list(calendar.index) == [s.node for s in net.stations]
    for day in net.days:
        delivered = {s.node: 0 for s in net.stations}
        collected = {s.node: 0 for s in net.stations}
        for route in plan.routes_on(day):
            for stop in route.stops:
                if stop.node in delivered:
                    delivered[stop.node] += sum(stop.deliver.values())
                    collected[stop.node] += sum(stop.pickup.values())
        assert calendar[f"{day}_delivered"].to_dict() == delivered
        assert calendar[f"{day}_collected"].to_dict() == collected


def test_calendar_totals_equal_demand_and_pickups(week: tuple[Network, Plan]) -> None:
    net, plan = week
    calendar = station_calendar(net, plan)
    delivered = sum(calendar[f"{d}_delivered"].sum() for d in net.days)
    collected = sum(calendar[f"{d}_collected"].sum() for d in net.days)
    assert delivered == net.weekly_parcels()
    assert collected == sum(sum(s.pickup.values()) for s in net.stations)


def test_calendar_visits_are_distinct_days(week: tuple[Network, Plan]) -> None:
    net, plan = week
    calendar = station_calendar(net, plan).set_index("node")
    for station in net.stations:
        days = {r.day for r in plan.routes for s in r.stops if s.node == station.node}
        assert calendar.loc[station.node, "visits"] == len(days)
        assert calendar.loc[station.node, "visits"] >= station.min_visits
        for day in set(net.days) - days:
            assert calendar.loc[station.node, f"{day}_carriers"] == ""
            assert calendar.loc[station.node, f"{day}_delivered"] == 0


def test_calendar_carriers_are_the_stations_carriers(week: tuple[Network, Plan]) -> None:
    net, plan = week
    calendar = station_calendar(net, plan).set_index("node")
    for station in net.stations:
        wanted = {c for c, n in station.demand.items() if n}
        wanted |= {c for c, n in station.pickup.items() if n}
        assert set(calendar.loc[station.node, "carriers"].split(",")) == wanted


def test_stop_frame_has_one_row_per_stop(week: tuple[Network, Plan]) -> None:
    net, plan = week
    stops = stop_frame(net, plan)
    assert len(stops) == sum(len(r.stops) for r in plan.routes)
    first = plan.routes[0].stops[1]
    row = stops[(stops.vehicle == plan.routes[0].vehicle) & (stops.day == plan.routes[0].day)]
    row = row[row.seq == 1].iloc[0]
    assert row["node"] == first.node
    assert row["arrive_hhmm"] == clock(first.arrive)
    assert row["delivered"] == sum(first.deliver.values())
    for carrier in net.carrier_ids:
        assert row[f"deliver_{carrier}"] == first.deliver.get(carrier, 0)
    assert stops["delivered"].sum() == net.weekly_parcels()
    handed_in = sum(sum(s.handin.values()) for r in plan.routes for s in r.stops)
    assert stops["handed_in"].sum() == handed_in


def test_route_sheet_ferry_rows_equal_ferry_legs(week: tuple[Network, Plan]) -> None:
    net, plan = week
    crossing = [r for r in plan.routes if r.ferry_crossings]
    assert crossing, "the fixture's plan must cross by ferry"
    for route in crossing:
        sheet = route_sheet(net, plan, route.vehicle, route.day)
        ferries = sheet[sheet.type == ROW_FERRY]
        legs = [leg for leg in route.legs if leg.mode == "ferry"]
        assert list(ferries.ferry) == [leg.ferry for leg in legs]
        assert list(ferries.depart) == [clock(leg.depart) for leg in legs]
        assert list(ferries.arrive) == [clock(leg.arrive) for leg in legs]
        assert list(ferries.from_pier) == [place_name(net, leg.from_) for leg in legs]
        assert list(ferries.fare) == [net.ferry_by_id[str(leg.ferry)].fare_vehicle for leg in legs]
        assert ferries.fare.sum() == pytest.approx(route.ferry_fares)
        assert len(sheet) == len(route.stops) + len(legs)


def test_route_sheet_keeps_driving_order_and_header(week: tuple[Network, Plan]) -> None:
    net, plan = week
    route = next(r for r in plan.routes if r.ferry_crossings)
    sheet = route_sheet(net, plan, route.vehicle, route.day)
    stops = sheet[sheet.type == "stop"]
    assert list(stops.node) == [s.node for s in route.stops]
    assert list(sheet.depart) == sorted(sheet.depart)
    header = sheet.attrs["header"]
    assert header["vehicle"] == route.vehicle and header["day"] == route.day
    assert header["hours"] == round(route.minutes / 60, 2)
    assert header["cost"] == round(route.cost, 2)
    for carrier in net.carrier_ids:
        assert stops[f"deliver_{carrier}"].sum() == sum(
            s.deliver.get(carrier, 0) for s in route.stops
        )


def test_route_sheet_unknown_route_is_a_key_error(week: tuple[Network, Plan]) -> None:
    _, plan = week
    with pytest.raises(KeyError, match="no-such-van"):
        find_route(plan, "no-such-van", "mon")


def test_route_sheet_html_is_a_plain_printable_page(week: tuple[Network, Plan]) -> None:
    net, plan = week
    route = next(r for r in plan.routes if r.ferry_crossings)
    page = route_sheet_html(net, plan, route.vehicle, route.day)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "<style>" in page and "<link" not in page
    for stop in route.stops:
        assert place_name(net, stop.node) in page
    for leg in route.legs:
        if leg.mode == "ferry":
            assert net.ferry_by_id[str(leg.ferry)].name in page


def test_route_sheet_html_escapes_names(week: tuple[Network, Plan]) -> None:
    net, plan = week
    route = plan.routes[0]
    hub = route.stops[0].node
    nodes = tuple(
        n.model_copy(update={"name": "<b>沈家门 & co</b>"}) if n.id == hub else n for n in net.nodes
    )
    page = route_sheet_html(net.replace(nodes=nodes), plan, route.vehicle, route.day)
    assert "&lt;b&gt;沈家门 &amp; co&lt;/b&gt;" in page
    assert "<b>沈家门" not in page


def test_summaries_add_up(week: tuple[Network, Plan]) -> None:
    net, plan = week
    islands = island_summary(net, plan)
    carriers = carrier_summary(net, plan)
    assert islands.stations.sum() == len(net.stations)
    assert islands.delivered.sum() == net.weekly_parcels()
    calendar = station_calendar(net, plan)
    assert islands.visits.sum() == calendar.visits.sum()
    assert carriers.delivered.sum() == net.weekly_parcels()
    for row in carriers.itertuples():
        assert row.delivered == sum(s.demand.get(row.carrier, 0) for s in net.stations)
        assert row.routes == sum(1 for r in plan.routes if row.carrier in r.carriers)
        assert row.cost == pytest.approx(plan.by_carrier[row.carrier].cost)
    for row in islands.itertuples():
        assert row.km == pytest.approx(plan.by_island[row.island].km)


def test_write_csvs_writes_every_file_and_no_temporary(
    week: tuple[Network, Plan], tmp_path: Path
) -> None:
    net, plan = week
    written = write_csvs(net, plan, tmp_path)
    expected = {CALENDAR_CSV, STOPS_CSV, ISLANDS_CSV, CARRIERS_CSV}
    expected |= {f"{SHEETS_FOLDER}/{r.day}_{r.vehicle}.html" for r in plan.routes}
    assert {p.relative_to(tmp_path).as_posix() for p in written} == expected
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert on_disk == expected
    assert not [p for p in tmp_path.rglob(f"*{TEMP_SUFFIX}")]
    stops = pd.read_csv(tmp_path / STOPS_CSV)
    assert stops.delivered.sum() == net.weekly_parcels()
    assert len(pd.read_csv(tmp_path / CALENDAR_CSV)) == len(net.stations)


def test_write_xlsx_one_sheet_per_table_and_every_route(
    week: tuple[Network, Plan], tmp_path: Path
) -> None:
    pytest.importorskip("openpyxl")
    net, plan = week
    written = write_xlsx(net, plan, tmp_path)
    assert [p.name for p in written] == [WORKBOOK]
    assert sorted(p.name for p in tmp_path.iterdir()) == [WORKBOOK]
    book = pd.read_excel(tmp_path / WORKBOOK, sheet_name=None)
    assert list(book) == ["calendar", "stops", "islands", "carriers", ROUTES_SHEET]
    assert book["stops"].delivered.sum() == net.weekly_parcels()
    assert len(book["calendar"]) == len(net.stations)
    routes = book[ROUTES_SHEET]
    for route in plan.routes:
        rows = routes[(routes.day == route.day) & (routes.vehicle == route.vehicle)]
        assert len(rows) == len(route_sheet(net, plan, route.vehicle, route.day))
        ferries = rows[rows.type == ROW_FERRY]
        assert len(ferries) == route.ferry_crossings
