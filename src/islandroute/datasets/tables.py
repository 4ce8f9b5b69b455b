"""A network from plain tables (pandas DataFrames or CSV files), for planners who keep
stations, vehicles and ferries in spreadsheets rather than in an exchange document.

Each table is a DataFrame or a path to a ``.csv`` file (``.xlsx`` when openpyxl is
installed). Columns (names are case-insensitive; optional ones may be absent or empty):

- stations: ``node``, ``lon``, ``lat``, ``island``; optional ``name``, ``kind``
  (station|park), ``min_visits`` (default 3), ``open_from``/``open_to`` (HH:MM or
  minutes), ``demand_<carrier>`` and ``pickup_<carrier>`` (parcels per week; the carriers
  are the union of these suffixes), ``pickup_to``, ``pickup_by``, ``cold``.
- vehicles: ``id``, ``carrier`` (empty: shared), ``depot``, ``capacity``; optional
  ``shift_from``/``shift_to``, ``cost_per_km``, ``cost_per_hour``, ``cost_fixed``,
  ``refrigerated``, and ``depot_lon``/``depot_lat``/``depot_island`` that create a
  ``depot`` node when the depot is neither a station nor a pier.
- ferries (one row per direction): ``id``, ``from``, ``to``, ``minutes``, ``vehicles``,
  and one column per day (``mon`` .. ``sun``) of space-separated departures
  ("07:00 10:30"); a pier not yet known becomes a ``port`` node from
  ``from_lon``/``from_lat``/``from_island`` (or ``to_...``).
- roads: ``a``, ``b``, ``km``, ``minutes``; optional ``bridge``. Without a roads table the
  roads are estimated (see :func:`estimated_roads`) and the provenance says so.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row
is row 2. Every bad cell is reported at once as a :class:`~islandroute.errors.NetworkError`
naming the file (or table), the row and the column.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from islandroute.errors import NetworkError, Problem

if TYPE_CHECKING:  # pandas (the analysis extra) is imported only when tables are read
    import pandas as pd
from islandroute.model.network import WEEK, Network, parse_minute

NEAREST_NEIGHBOURS = 3  # estimated roads: each node joined to this many nearest on its island
DETOUR_FACTOR = 1.3  # estimated road km per straight-line (great-circle) km
ROAD_SPEED_KMH = 40.0  # estimated road speed, km per hour
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_DECIMALS = 3  # estimated km rounded to the metre
MINUTE_DECIMALS = 1  # estimated minutes rounded to a tenth
FIRST_DATA_ROW = 2  # the header is row 1, as a spreadsheet numbers rows
CSV_SUFFIXES = (".csv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DEMAND_PREFIX = "demand_"
PICKUP_PREFIX = "pickup_"
PICKUP_FIELDS = ("pickup_to", "pickup_by")  # pickup_ columns that are not carriers
TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})
_TIMES_SPLIT = re.compile(r"[\s,;]+")

VEHICLE_COSTS = ("cost_per_km", "cost_per_hour", "cost_fixed")
SHIFT_DEFAULT = (420, 1140)  # minutes: 07:00 to 19:00, as the model's default
OPEN_DEFAULT = (480, 1080)  # minutes: 08:00 to 18:00, as the model's default
MIN_VISITS_DEFAULT = 3  # visit days a week when the table gives none (the spec's usual)

Table: TypeAlias = "pd.DataFrame | str | os.PathLike[str]"  # a DataFrame or a file path

STATION_COLUMNS = ("node", "lon", "lat", "island")
VEHICLE_COLUMNS = ("id", "depot", "capacity")
FERRY_COLUMNS = ("id", "from", "to", "minutes", "vehicles")
ROAD_COLUMNS = ("a", "b", "km", "minutes")


class _Problems:
    """Collects every fault of every table, so the user fixes them in one pass."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, obj: str, field: str, message: str) -> None:
        """Record one fault."""
        self.items.append(Problem(obj, field, message))

    def raise_any(self) -> None:
        """Raise all faults so far as one NetworkError (nothing when there are none)."""
        if self.items:
            raise NetworkError(self.items)


class _Row:
    """One table row with typed cell readers that record a fault naming row and column."""

    def __init__(self, where: str, cells: Mapping[str, Any], problems: _Problems) -> None:
        self.where = where
        self.cells = cells
        self.problems = problems

    def has(self, column: str) -> bool:
        """Whether the cell is present and not empty."""
        return not _empty(self.cells.get(column))

    def text(self, column: str, *, required: bool = False) -> str | None:
        """The cell as stripped text; None when empty (a fault if required)."""
        value = self.cells.get(column)
        if _empty(value):
            if required:
                self.problems.add(self.where, column, "is empty")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # an id typed as a number in a DataFrame
        return str(value).strip()

    def number(self, column: str, *, required: bool = False) -> float | None:
        """The cell as a finite number; None when empty or not a number (recorded)."""
        text = self.text(column, required=required)
        if text is None:
            return None
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.problems.add(self.where, column, f"{text!r} is not a number")
            return None
        return value

    def integer(self, column: str, *, required: bool = False) -> int | None:
        """The cell as a whole number; None when empty or not whole (recorded)."""
        value = self.number(column, required=required)
        if value is None:
            return None
        if not value.is_integer():
            self.problems.add(self.where, column, f"{value:g} is not a whole number")
            return None
        return int(value)

    def flag(self, column: str, *, required: bool = False) -> bool | None:
        """The cell as true/false (also yes/no, 1/0); None when empty or unreadable."""
        value = self.cells.get(column)
        if isinstance(value, bool):
            return value
        text = self.text(column, required=required)
        if text is None:
            return None
        word = text.lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        self.problems.add(self.where, column, f"{text!r} is not true or false")
        return None

    def minute(self, column: str) -> int | None:
        """The cell as a minute after midnight, from ``HH:MM`` or whole minutes."""
        text = self.text(column)
        if text is None:
            return None
        if ":" in text:
            return self._clock(column, text)
        return self.integer(column)

    def minutes_list(self, column: str) -> list[int]:
        """A cell of space-separated clock times (``"07:00 10:30"``) as minutes."""
        text = self.text(column)
        if text is None:
            return []
        times = [self._clock(column, part) for part in _TIMES_SPLIT.split(text) if part]
        return [t for t in times if t is not None]

    def _clock(self, column: str, text: str) -> int | None:
        """One clock time (``HH:MM`` or whole minutes) as minutes; None when unreadable."""
        try:
            value = parse_minute(text) if ":" in text else int(text)
        except ValueError as err:
            self.problems.add(
                self.where, column, str(err) if ":" in text else f"{text!r} is not a time"
            )
            return None
        return int(value)


def _empty(value: Any) -> bool:
    """Whether a cell holds nothing (absent, None, NaN or blank text)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def read_table(table: Table, label: str) -> tuple[pd.DataFrame, str]:
    """The table as a DataFrame with lower-case column names, and the name faults use
    (the path as given, or ``label`` for a DataFrame)."""
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        frame, where = table, label
    else:
        where = str(table)
        frame = _read_file(Path(table), where)
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    return frame, where


def _read_file(path: Path, where: str) -> pd.DataFrame:
    """A CSV (or, with openpyxl, an Excel) file as a DataFrame of text cells."""
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + EXCEL_SUFFIXES:
        raise NetworkError(Problem(where, "file", "expected a .csv or .xlsx file"))
    if not path.is_file():
        raise NetworkError(Problem(where, "file", "no such file"))
    try:
        if suffix in EXCEL_SUFFIXES:
            return _read_excel(path, where)
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise NetworkError(Problem(where, "file", f"cannot be read: {err}")) from None


def _read_excel(path: Path, where: str) -> pd.DataFrame:
    """The first sheet of an Excel file; a clear fault when openpyxl is not installed."""
    import pandas as pd

    if importlib.util.find_spec("openpyxl") is None:
        message = "reading .xlsx needs openpyxl (pip install openpyxl); or save it as .csv"
        raise NetworkError(Problem(where, "file", message)) from None
    return pd.read_excel(path, dtype=str, keep_default_na=False)


def _rows(
    frame: pd.DataFrame, where: str, required: Sequence[str], problems: _Problems
) -> Iterator[_Row]:
    """The rows of a table, after recording each missing required column (then none)."""
    missing = [c for c in required if c not in frame.columns]
    for column in missing:
        problems.add(where, column, f"missing column (has: {', '.join(map(str, frame.columns))})")
    if missing:
        return
    for i, record in enumerate(frame.to_dict("records")):
        yield _Row(f"{where} row {i + FIRST_DATA_ROW}", record, problems)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two (lon, lat) points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def estimated_road(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """A road between two nodes: great-circle km x DETOUR_FACTOR at ROAD_SPEED_KMH."""
    km = haversine_km(a["lon"], a["lat"], b["lon"], b["lat"]) * DETOUR_FACTOR
    minutes = km / ROAD_SPEED_KMH * 60
    return {
        "a": a["id"],
        "b": b["id"],
        "km": round(km, KM_DECIMALS),
        "minutes": round(minutes, MINUTE_DECIMALS),
        "bridge": False,
    }


def estimated_roads(nodes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Roads where none are known: on each island every node is joined to its
    NEAREST_NEIGHBOURS nearest nodes, plus a minimum spanning tree so that each island's
    road graph is connected; no road crosses between islands (ferries do)."""
    by_island: dict[str, list[Mapping[str, Any]]] = {}
    for node in nodes:
        by_island.setdefault(node["island"], []).append(node)
    roads: list[dict[str, Any]] = []
    for island in sorted(by_island):
        members = by_island[island]
        pairs = _nearest_pairs(members) | _spanning_tree_pairs(members)
        roads += [estimated_road(members[i], members[j]) for i, j in sorted(pairs)]
    return roads


def _distance(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """Great-circle km between two node dicts."""
    return haversine_km(a["lon"], a["lat"], b["lon"], b["lat"])


def _nearest_pairs(members: Sequence[Mapping[str, Any]]) -> set[tuple[int, int]]:
    """Index pairs (i < j) joining each node to its nearest neighbours on the island."""
    pairs: set[tuple[int, int]] = set()
    for i, node in enumerate(members):
        others = sorted((_distance(node, m), j) for j, m in enumerate(members) if j != i)
        for _, j in others[:NEAREST_NEIGHBOURS]:
            pairs.add((min(i, j), max(i, j)))
    return pairs


def _spanning_tree_pairs(members: Sequence[Mapping[str, Any]]) -> set[tuple[int, int]]:
    """Index pairs (i < j) of a minimum spanning tree over the island (Prim's algorithm)."""
    if not members:
        return set()
    best = {j: (_distance(members[0], members[j]), 0) for j in range(1, len(members))}
    pairs: set[tuple[int, int]] = set()
    while best:
        j = min(best, key=lambda k: best[k])
        _, i = best.pop(j)
        pairs.add((min(i, j), max(i, j)))
        for k in best:
            d = _distance(members[j], members[k])
            if d < best[k][0]:
                best[k] = (d, j)
    return pairs


class _Builder:
    """Gathers the exchange document's nodes, stations, vehicles, ferries and roads."""

    def __init__(self, days: Sequence[str], problems: _Problems) -> None:
        self.days = tuple(days)
        self.problems = problems
        self.nodes: dict[str, dict[str, Any]] = {}
        self.carriers: set[str] = set()
        self.stations: list[dict[str, Any]] = []
        self.vehicles: list[dict[str, Any]] = []
        self.ferries: list[dict[str, Any]] = []

    def add_stations(self, frame: pd.DataFrame, where: str) -> None:
        """Every stations row: its node and its station."""
        demand_cols = _carrier_columns(frame, DEMAND_PREFIX, ())
        pickup_cols = _carrier_columns(frame, PICKUP_PREFIX, PICKUP_FIELDS)
        self.carriers |= set(demand_cols.values()) | set(pickup_cols.values())
        for row in _rows(frame, where, STATION_COLUMNS, self.problems):
            node = self._station_node(row)
            if node is not None:
                self.nodes.setdefault(node["id"], node)
                self.stations.append(_station(row, node["id"], demand_cols, pickup_cols))

    def _station_node(self, row: _Row) -> dict[str, Any] | None:
        """A stations row's node (kind station or park); None when a cell is bad."""
        node_id = row.text("node", required=True)
        place = _place(row, "lon", "lat", "island")
        if node_id is None or place is None:
            return None
        return {"id": node_id, "kind": row.text("kind") or "station", **place, **_name(row)}

    def add_ferries(self, frame: pd.DataFrame, where: str) -> None:
        """Every ferries row (one direction), creating a ``port`` node for a new pier."""
        for row in _rows(frame, where, FERRY_COLUMNS, self.problems):
            ends = [self._node_or_new(row, end, "port") for end in ("from", "to")]
            ferry_id = row.text("id", required=True)
            minutes = row.number("minutes", required=True)
            vehicles = row.flag("vehicles", required=True)
            departures = {d: t for d in self.days if (t := row.minutes_list(d))}
            if None in ends or None in (ferry_id, minutes, vehicles):
                continue
            self.ferries.append(
                {"id": ferry_id, "from": ends[0], "to": ends[1], "minutes": minutes}
                | {"vehicles": vehicles, "departures": departures}
            )

    def add_vehicles(self, frame: pd.DataFrame, where: str) -> None:
        """Every vehicles row, creating a ``depot`` node where the depot is a new place."""
        for row in _rows(frame, where, VEHICLE_COLUMNS, self.problems):
            depot = self._node_or_new(row, "depot", "depot")
            vehicle = _vehicle(row, depot)
            if vehicle is not None:
                self.vehicles.append(vehicle)

    def _node_or_new(self, row: _Row, column: str, kind: str) -> str | None:
        """The node id in ``column``: a known node, else a new node of ``kind`` placed by
        the ``<column>_lon``/``_lat``/``_island`` cells; None (recorded) when neither."""
        node_id = row.text(column, required=True)
        if node_id is None or node_id in self.nodes:
            return node_id
        coords = (f"{column}_lon", f"{column}_lat", f"{column}_island")
        if not any(row.has(c) for c in coords):
            hint = f"give {', '.join(coords)} to create it"
            self.problems.add(row.where, column, f"unknown node {node_id!r}: {hint}")
            return None
        place = _place(row, *coords)
        if place is None:
            return None
        self.nodes[node_id] = {"id": node_id, "kind": kind, **place}
        return node_id


def _carrier_columns(frame: pd.DataFrame, prefix: str, exclude: Sequence[str]) -> dict[str, str]:
    """Columns ``<prefix><carrier>`` mapped to their carrier, skipping ``exclude``."""
    return {
        str(c): str(c)[len(prefix) :]
        for c in frame.columns
        if str(c).startswith(prefix) and str(c) not in exclude and len(str(c)) > len(prefix)
    }


def _place(row: _Row, lon: str, lat: str, island: str) -> dict[str, Any] | None:
    """The island, lon and lat cells of a row; None (recorded) when one is bad."""
    values = (row.number(lon, required=True), row.number(lat, required=True))
    name = row.text(island, required=True)
    if None in values or name is None:
        return None
    return {"island": name, "lon": values[0], "lat": values[1]}


def _name(row: _Row) -> dict[str, Any]:
    """The row's ``name`` when it has one."""
    name = row.text("name")
    return {"name": name} if name else {}


def _parcels(row: _Row, columns: Mapping[str, str]) -> dict[str, int]:
    """Parcels per carrier from the given columns; empty and zero cells are left out."""
    counts = {carrier: row.integer(column) for column, carrier in columns.items()}
    return {carrier: n for carrier, n in counts.items() if n}


def _station(
    row: _Row, node: str, demand: Mapping[str, str], pickup: Mapping[str, str]
) -> dict[str, Any]:
    """A stations row's station: demand and pickups per carrier, window and rules."""
    station: dict[str, Any] = {"node": node, "demand": _parcels(row, demand)}
    if picked := _parcels(row, pickup):
        station["pickup"] = picked
    visits = row.integer("min_visits")
    station["min_visits"] = visits if visits is not None else MIN_VISITS_DEFAULT
    window = (row.minute("open_from"), row.minute("open_to"))
    station["open"] = [
        window[0] if window[0] is not None else OPEN_DEFAULT[0],
        window[1] if window[1] is not None else OPEN_DEFAULT[1],
    ]
    if pickup_to := row.text("pickup_to"):
        station["pickup_to"] = pickup_to
    if (by := row.minute("pickup_by")) is not None:
        station["pickup_by"] = by
    if row.flag("cold"):
        station["cold"] = True
    return station


def _vehicle(row: _Row, depot: str | None) -> dict[str, Any] | None:
    """A vehicles row's vehicle; None (recorded) when a required cell is bad."""
    vehicle_id = row.text("id", required=True)
    capacity = row.integer("capacity", required=True)
    shift = (row.minute("shift_from"), row.minute("shift_to"))
    costs = {c: v for c in VEHICLE_COSTS if (v := row.number(c)) is not None}
    refrigerated = row.flag("refrigerated")
    if vehicle_id is None or depot is None or capacity is None:
        return None
    vehicle: dict[str, Any] = {"id": vehicle_id, "carrier": row.text("carrier")}
    vehicle |= {"depot": depot, "capacity": capacity, **costs}
    vehicle["shift"] = [
        shift[0] if shift[0] is not None else SHIFT_DEFAULT[0],
        shift[1] if shift[1] is not None else SHIFT_DEFAULT[1],
    ]
    if refrigerated:
        vehicle["refrigerated"] = True
    return vehicle


def _given_roads(frame: pd.DataFrame, where: str, problems: _Problems) -> list[dict[str, Any]]:
    """Every roads row as a road."""
    roads = []
    for row in _rows(frame, where, ROAD_COLUMNS, problems):
        a, b = row.text("a", required=True), row.text("b", required=True)
        km, minutes = row.number("km", required=True), row.number("minutes", required=True)
        bridge = row.flag("bridge")
        if None not in (a, b, km, minutes):
            roads.append({"a": a, "b": b, "km": km, "minutes": minutes, "bridge": bool(bridge)})
    return roads


def _provenance(estimated: bool) -> dict[str, Any]:
    """Where the network came from, and how its roads were made when estimated."""
    if not estimated:
        return {"source": "tables", "roads": "given"}
    how = (
        f"estimated: each node joined to its {NEAREST_NEIGHBOURS} nearest nodes on its "
        f"island plus a minimum spanning tree per island; km = great-circle distance x "
        f"{DETOUR_FACTOR}, minutes at {ROAD_SPEED_KMH:g} km/h; no bridges"
    )
    return {
        "source": "tables",
        "roads": how,
        "roads_estimated": True,
        "nearest_neighbours": NEAREST_NEIGHBOURS,
        "detour_factor": DETOUR_FACTOR,
        "speed_kmh": ROAD_SPEED_KMH,
    }


def tables_document(
    stations: Table,
    vehicles: Table,
    ferries: Table | None = None,
    roads: Table | None = None,
    *,
    name: str = "network",
    days: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The exchange document (a dict) the tables describe; see the module for columns."""
    problems = _Problems()
    builder = _Builder(days or WEEK, problems)
    builder.add_stations(*read_table(stations, "stations"))
    if ferries is not None:
        builder.add_ferries(*read_table(ferries, "ferries"))
    builder.add_vehicles(*read_table(vehicles, "vehicles"))
    nodes = list(builder.nodes.values())
    if roads is None:
        road_list = estimated_roads(nodes)
    else:
        road_list = _given_roads(*read_table(roads, "roads"), problems)
    problems.raise_any()
    return {
        "name": name,
        "days": list(days or WEEK),
        "nodes": nodes,
        "roads": road_list,
        "ferries": builder.ferries,
        "carriers": [{"id": c, "name": c} for c in sorted(builder.carriers)],
        "stations": builder.stations,
        "vehicles": builder.vehicles,
        "provenance": _provenance(roads is None),
    }


def network_from_tables(
    stations: Table,
    vehicles: Table,
    ferries: Table | None = None,
    roads: Table | None = None,
    *,
    name: str = "network",
    days: Sequence[str] | None = None,
) -> Network:
    """A network from tables (DataFrames or CSV paths): every bad cell is reported at once
    naming file, row and column; the model then checks references and ranges."""
    doc = tables_document(stations, vehicles, ferries, roads, name=name, days=days)
    return Network.from_dict(doc)


__all__ = [
    "DETOUR_FACTOR",
    "NEAREST_NEIGHBOURS",
    "ROAD_SPEED_KMH",
    "estimated_roads",
    "haversine_km",
    "network_from_tables",
    "read_table",
    "tables_document",
]
