"""The planner's desk: tables a courier planner asks for (pandas), driver sheets as printable
HTML, and all of them written to a folder as CSV files that are never half-written."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from islandroute.model.exchange import write_text_atomic
from islandroute.model.network import Network
from islandroute.model.plan import Kpis, Leg, Plan, Route, Stop

MINUTES_PER_HOUR = 60
HOURS_DECIMALS = 2  # driver hours in a sheet's header
MONEY_DECIMALS = 2  # cost and fares in a sheet
KM_DECIMALS = 1  # km in a sheet's header
CARRIER_SEPARATOR = ","
FLOWS = ("deliver", "pickup", "handin")  # a stop's hand-overs, named as in the plan
FLOW_TITLES = {"deliver": "hand over", "pickup": "collect", "handin": "hand in"}
CALENDAR_CSV = "calendar.csv"
STOPS_CSV = "stops.csv"
ISLANDS_CSV = "islands.csv"
CARRIERS_CSV = "carriers.csv"
WORKBOOK = "plan.xlsx"
ROUTES_SHEET = "routes"  # every driver sheet, one after another, in the workbook
SHEETS_FOLDER = "sheets"
TEMP_SUFFIX = ".tmp"  # what write_text_atomic names its temporary files with
ROW_STOP = "stop"
ROW_FERRY = "ferry"
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]')
SHEET_CSS = (
    "body{font-family:sans-serif;margin:1.5em;color:#111}"
    "h1{font-size:1.3em;margin:0 0 .4em}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:0 0 1em}"
    "dt{font-weight:bold}dd{margin:0}"
    "table{border-collapse:collapse;width:100%;font-size:.9em}"
    "th,td{border:1px solid #888;padding:.2em .4em;text-align:left}"
    "th{background:#eee}tr.ferry td{background:#e8f0fb;font-style:italic}"
    "@media print{body{margin:0}th{background:none}}"
)


def clock(minute: float) -> str:
    """A minute after midnight as ``HH:MM`` (hours go past 23 on a route that ends after
    midnight), so a driver reads times rather than minute counts."""
    total = round(minute)
    return f"{total // MINUTES_PER_HOUR:02d}:{total % MINUTES_PER_HOUR:02d}"


def place_name(net: Network, node: str) -> str:
    """A node's name, or its id when it has none (synthetic stations are unnamed)."""
    found = net.node_by_id.get(node)
    return found.name if found is not None and found.name else node


def _joined(carriers: Iterable[str]) -> str:
    """Carrier ids as one sorted, comma-separated cell."""
    return CARRIER_SEPARATOR.join(sorted(set(carriers)))


def _active(flows: dict[str, int]) -> set[str]:
    """The carriers with parcels in a hand-over."""
    return {c for c, n in flows.items() if n > 0}


def _station_visits(plan: Plan) -> dict[tuple[str, str], list[Stop]]:
    """Every stop of the plan by (node, day)."""
    visits: dict[tuple[str, str], list[Stop]] = {}
    for route in plan.routes:
        for stop in route.stops:
            visits.setdefault((stop.node, route.day), []).append(stop)
    return visits


def _calendar_day(stops: list[Stop], day: str) -> dict[str, Any]:
    """One day's cells of a station's calendar row: carriers seen, delivered, collected."""
    carriers: set[str] = set()
    for stop in stops:
        carriers |= _active(stop.deliver) | _active(stop.pickup)
    return {
        f"{day}_carriers": _joined(carriers),
        f"{day}_delivered": sum(sum(s.deliver.values()) for s in stops),
        f"{day}_collected": sum(sum(s.pickup.values()) for s in stops),
    }


def station_calendar(net: Network, plan: Plan) -> Any:
    """One row per station with the carriers, deliveries and collections of every day of the
    horizon: which days is my village served, and by whom."""
    import pandas as pd

    visits = _station_visits(plan)
    rows = []
    for station in net.stations:
        node = net.node_by_id[station.node]
        row: dict[str, Any] = {
            "node": station.node,
            "name": place_name(net, station.node),
            "island": node.island,
            "carriers": _joined(_active(station.demand) | _active(station.pickup)),
        }
        served = 0
        for day in net.days:
            stops = visits.get((station.node, day), [])
            served += bool(stops)
            row.update(_calendar_day(stops, day))
        row["visits"] = served
        rows.append(row)
    return pd.DataFrame(rows)


def _carrier_cells(stop: Stop, carriers: Iterable[str]) -> dict[str, int]:
    """Per-carrier hand-over columns of a stop: ``deliver_<c>``, ``pickup_<c>``, ``handin_<c>``."""
    cells: dict[str, int] = {}
    for carrier in carriers:
        for flow in FLOWS:
            cells[f"{flow}_{carrier}"] = getattr(stop, flow).get(carrier, 0)
    return cells


def _stop_row(net: Network, route: Route, seq: int, stop: Stop) -> dict[str, Any]:
    """One stop as a row of :func:`stop_frame`."""
    node = net.node_by_id[stop.node]
    return {
        "day": route.day,
        "vehicle": route.vehicle,
        "seq": seq,
        "node": stop.node,
        "name": place_name(net, stop.node),
        "island": node.island,
        "kind": node.kind,
        "arrive": stop.arrive,
        "depart": stop.depart,
        "arrive_hhmm": clock(stop.arrive),
        "depart_hhmm": clock(stop.depart),
        "delivered": sum(stop.deliver.values()),
        "collected": sum(stop.pickup.values()),
        "handed_in": sum(stop.handin.values()),
        **_carrier_cells(stop, net.carrier_ids),
    }


def stop_frame(net: Network, plan: Plan) -> Any:
    """One row per stop of every route (depots included) with its times and hand-overs, the
    long table every other view can be pivoted from."""
    import pandas as pd

    rows = [
        _stop_row(net, route, seq, stop)
        for route in plan.routes
        for seq, stop in enumerate(route.stops)
    ]
    return pd.DataFrame(rows)


def find_route(plan: Plan, vehicle: str, day: str) -> Route:
    """The route of one vehicle on one day; a ``KeyError`` naming both when there is none."""
    for route in plan.routes:
        if route.vehicle == vehicle and route.day == day:
            return route
    raise KeyError(f"no route of vehicle {vehicle!r} on {day!r}")


def route_header(route: Route) -> dict[str, Any]:
    """A driver sheet's header: vehicle, day, carriers, km, hours, cost and ferry fares."""
    return {
        "vehicle": route.vehicle,
        "day": route.day,
        "carriers": _joined(route.carriers),
        "km": round(route.km, KM_DECIMALS),
        "hours": round(route.minutes / MINUTES_PER_HOUR, HOURS_DECIMALS),
        "cost": round(route.cost, MONEY_DECIMALS),
        "ferry_fares": round(route.ferry_fares, MONEY_DECIMALS),
    }


def _sheet_stop(net: Network, stop: Stop, carriers: tuple[str, ...]) -> dict[str, Any]:
    """A stop as a driver-sheet row."""
    return {
        "type": ROW_STOP,
        "place": place_name(net, stop.node),
        "node": stop.node,
        "arrive": clock(stop.arrive),
        "depart": clock(stop.depart),
        "ferry": "",
        "ferry_name": "",
        "from_pier": "",
        "to_pier": "",
        "fare": 0.0,
        **_carrier_cells(stop, carriers),
    }


def _sheet_ferry(net: Network, leg: Leg, carriers: tuple[str, ...]) -> dict[str, Any]:
    """A ferry crossing as a driver-sheet row: line, piers, times and the vehicle fare."""
    ferry = net.ferry_by_id.get(leg.ferry or "")
    origin, target = place_name(net, leg.from_), place_name(net, leg.to)
    return {
        "type": ROW_FERRY,
        "place": f"{origin} → {target}",
        "node": "",
        "arrive": clock(leg.arrive),
        "depart": clock(leg.depart),
        "ferry": leg.ferry or "",
        "ferry_name": ferry.name if ferry is not None else "",
        "from_pier": origin,
        "to_pier": target,
        "fare": ferry.fare_vehicle if ferry is not None else 0.0,
        **{f"{flow}_{c}": 0 for c in carriers for flow in FLOWS},
    }


def _sheet_rows(net: Network, route: Route, carriers: tuple[str, ...]) -> list[dict[str, Any]]:
    """Stops and ferry crossings in driving order: each stop after the leg that reaches it."""
    stops = route.stops
    rows = [_sheet_stop(net, stops[0], carriers)] if stops else []
    next_stop = 1
    for leg in route.legs:
        if leg.mode == "ferry":
            rows.append(_sheet_ferry(net, leg, carriers))
        if next_stop < len(stops) and leg.to == stops[next_stop].node:
            rows.append(_sheet_stop(net, stops[next_stop], carriers))
            next_stop += 1
    rows.extend(_sheet_stop(net, stop, carriers) for stop in stops[next_stop:])
    return rows


def route_sheet(net: Network, plan: Plan, vehicle: str, day: str) -> Any:
    """A driver's sheet for one vehicle-day: stops and ferry crossings in order, parcels per
    carrier to hand over, collect and hand in; the header is in ``.attrs["header"]``."""
    import pandas as pd

    route = find_route(plan, vehicle, day)
    carriers = net.carrier_ids
    frame = pd.DataFrame(_sheet_rows(net, route, carriers))
    frame.insert(0, "row", range(1, len(frame) + 1))
    frame.attrs["header"] = route_header(route)
    return frame


def _html_cell(value: Any, tag: str = "td") -> str:
    """One escaped table cell."""
    return f"<{tag}>{html.escape(str(value))}</{tag}>"


def _html_table(frame: Any) -> str:
    """A sheet's rows as an HTML table; ferry rows get their own class to stand out."""
    head = "".join(_html_cell(col, "th") for col in frame.columns)
    body = []
    for record in frame.to_dict("records"):
        cls = html.escape(str(record["type"]))
        cells = "".join(_html_cell(record[col]) for col in frame.columns)
        body.append(f'<tr class="{cls}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _column_titles(frame: Any) -> Any:
    """The sheet with readable column titles (``deliver_ems`` becomes ``ems hand over``)."""
    titles = {}
    for col in frame.columns:
        flow, _, carrier = str(col).partition("_")
        if flow in FLOW_TITLES and carrier:
            titles[col] = f"{carrier} {FLOW_TITLES[flow]}"
    return frame.rename(columns=titles)


def route_sheet_html(net: Network, plan: Plan, vehicle: str, day: str) -> str:
    """A driver's sheet as one printable, self-contained HTML page: inline CSS, no scripts,
    every text escaped."""
    frame = route_sheet(net, plan, vehicle, day)
    header = frame.attrs["header"]
    title = f"{header['vehicle']} · {header['day']}"
    facts = "".join(
        f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(str(v))}</dd>" for k, v in header.items()
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{SHEET_CSS}</style></head>"
        f"<body><h1>{html.escape(title)}</h1><dl>{facts}</dl>"
        f"{_html_table(_column_titles(frame))}</body></html>\n"
    )


def _summary_row(
    stations: list[str], visits: dict[tuple[str, str], list[Stop]], carrier: str | None
) -> dict[str, int]:
    """Stations, station-day visits, delivered and collected over some stations (one
    carrier's parcels when ``carrier`` is given, else all)."""
    station_set = set(stations)
    delivered = collected = days = 0
    for (node, _day), stops in visits.items():
        if node not in station_set:
            continue
        flows = [(s.deliver, s.pickup) for s in stops]
        if carrier is None:
            days += 1
            delivered += sum(sum(d.values()) for d, _ in flows)
            collected += sum(sum(p.values()) for _, p in flows)
        else:
            got = sum(d.get(carrier, 0) for d, _ in flows)
            sent = sum(p.get(carrier, 0) for _, p in flows)
            days += bool(got or sent)
            delivered += got
            collected += sent
    return {
        "stations": len(station_set),
        "visits": days,
        "delivered": delivered,
        "collected": collected,
    }


def _kpi_cells(kpis: Kpis) -> dict[str, float]:
    """The km and cost of a part of the plan, as the plan accounts them."""
    return {"km": kpis.km, "cost": kpis.cost}


def island_summary(net: Network, plan: Plan) -> Any:
    """One row per island: stations, station-day visits, parcels delivered and collected,
    routes that stop there, and the km and cost the plan books to it."""
    import pandas as pd

    visits = _station_visits(plan)
    islands = list(dict.fromkeys(net.node_by_id[s.node].island for s in net.stations))
    rows = []
    for island in islands:
        stations = [s.node for s in net.stations if net.node_by_id[s.node].island == island]
        routes = sum(1 for r in plan.routes if any(st.node in stations for st in r.stops))
        rows.append(
            {
                "island": island,
                **_summary_row(stations, visits, None),
                "routes": routes,
                **_kpi_cells(plan.by_island.get(island, Kpis())),
            }
        )
    return pd.DataFrame(rows)


def carrier_summary(net: Network, plan: Plan) -> Any:
    """One row per carrier: its stations, visits with its parcels, parcels delivered and
    collected, routes carrying it, and the km and cost the plan books to it."""
    import pandas as pd

    visits = _station_visits(plan)
    rows = []
    for carrier in net.carrier_ids:
        stations = [
            s.node for s in net.stations if s.demand.get(carrier, 0) or s.pickup.get(carrier, 0)
        ]
        rows.append(
            {
                "carrier": carrier,
                **_summary_row(stations, visits, carrier),
                "routes": sum(1 for r in plan.routes if carrier in r.carriers),
                **_kpi_cells(plan.by_carrier.get(carrier, Kpis())),
            }
        )
    return pd.DataFrame(rows)


def write_atomic(path: Path, text: str | bytes) -> Path:
    """Write text through a temporary file renamed into place (never half-written),
    making its folder first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return path


def sheet_filename(route: Route) -> str:
    """A route's sheet file name, ``<day>_<vehicle>.html``, safe on any file system."""
    return _UNSAFE_FILE_CHARS.sub("_", f"{route.day}_{route.vehicle}") + ".html"


def planner_tables(net: Network, plan: Plan) -> dict[str, Any]:
    """The planner's tables by file name: station calendar, stops, islands, carriers."""
    return {
        CALENDAR_CSV: station_calendar(net, plan),
        STOPS_CSV: stop_frame(net, plan),
        ISLANDS_CSV: island_summary(net, plan),
        CARRIERS_CSV: carrier_summary(net, plan),
    }


def all_route_sheets(net: Network, plan: Plan) -> Any:
    """Every route's driver sheet in one frame, each row led by its day and vehicle."""
    import pandas as pd

    frames = []
    for route in plan.routes:
        frame = route_sheet(net, plan, route.vehicle, route.day)
        frame.insert(0, "vehicle", route.vehicle)
        frame.insert(0, "day", route.day)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def write_xlsx(net: Network, plan: Plan, folder: str | Path) -> list[Path]:
    """Write one workbook (``plan.xlsx``) with a sheet per table and a sheet of every
    route's stops and ferries; openpyxl writes it, renamed into place when whole."""
    import io

    import pandas as pd

    try:
        import openpyxl  # noqa: F401  (pandas' xlsx writer)
    except ImportError as err:
        raise ImportError("xlsx needs openpyxl: pip install 'islandroute[analysis]'") from err
    sheets = {Path(name).stem: frame for name, frame in planner_tables(net, plan).items()}
    sheets[ROUTES_SHEET] = all_route_sheets(net, plan)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as book:
        for name, frame in sheets.items():
            frame.to_excel(book, sheet_name=name, index=False)
    return [write_atomic(Path(folder) / WORKBOOK, buffer.getvalue())]


def write_csvs(net: Network, plan: Plan, folder: str | Path) -> list[Path]:
    """Write the calendar, stops, island and carrier tables as CSV and every route's driver
    sheet as HTML under ``folder``; returns the paths written."""
    base = Path(folder)
    written = [
        write_atomic(base / name, frame.to_csv(index=False))
        for name, frame in planner_tables(net, plan).items()
    ]
    for route in plan.routes:
        page = route_sheet_html(net, plan, route.vehicle, route.day)
        written.append(write_atomic(base / SHEETS_FOLDER / sheet_filename(route), page))
    return written
