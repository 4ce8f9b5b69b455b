"""Candidate station sites (合作设站) from a table, and a candidate table generated from
what a network holds (villages, piers, depots), with estimated weekly costs and hours.

Table columns (case-insensitive; optional ones may be absent or empty): ``id``, ``kind``
(post_station|terminal|coop|service_centre|own), ``island``, ``lon``, ``lat``,
``weekly_cost``; optional ``open_from``/``open_to`` (HH:MM or minutes; default
08:00-18:00), ``village`` (required for ``own``) and ``name``. Every bad cell is reported
at once, naming the file, the row (as a spreadsheet numbers it) and the column.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from islandroute.datasets.tables import (
    DETOUR_FACTOR,
    Table,
    _Problems,
    _Row,
    _rows,
    haversine_km,
    read_table,
)
from islandroute.model.candidate import CANDIDATE_KINDS, OWN, Candidate
from islandroute.model.exchange import write_text_atomic
from islandroute.model.network import Network, Node

CANDIDATE_COLUMNS = ("id", "kind", "island", "lon", "lat", "weekly_cost")
OPTIONAL_COLUMNS = ("open_from", "open_to", "village", "name")
#: Default walking distance (km, along paths: straight line x DETOUR_FACTOR) within which
#: a village may use a station: about 12 to 15 minutes on foot (estimated).
WALK_KM_DEFAULT = 1.0
#: Weekly cost (CNY) and opening hours of each kind of site: estimates, reasoned in
#: docs/siting.md (rent or fee to the host, part-time staff, shelving, utilities).
WEEKLY_COST = {
    "own": 350.0,
    "post_station": 120.0,
    "terminal": 150.0,
    "coop": 100.0,
    "service_centre": 80.0,
}
HOURS = {
    "own": (480, 1080),
    "post_station": (480, 1080),
    "terminal": (390, 1080),
    "coop": (450, 1080),
    "service_centre": (480, 1050),
}
TOWN_KINDS = ("depot", "hub")  # nodes that mark a town: a co-operative stands there
#: A site within this many km of a node stands on it (one place).
SAME_PLACE_KM = 0.01


def place_km(net: Network, a_lon: float, a_lat: float, b_lon: float, b_lat: float) -> float:
    """Straight-line km between two points of the network (great circle, or planar)."""
    if net.geometry == "planar":
        return float(((a_lon - b_lon) ** 2 + (a_lat - b_lat) ** 2) ** 0.5)
    return haversine_km(a_lon, a_lat, b_lon, b_lat)


def walking_km(net: Network, node: Node, cand: Candidate) -> float:
    """Estimated walk from a village node to a site: straight line x DETOUR_FACTOR."""
    return place_km(net, node.lon, node.lat, cand.lon, cand.lat) * DETOUR_FACTOR


def read_candidates(table: Table, label: str = "candidates") -> list[Candidate]:
    """Candidate sites from a CSV file (or DataFrame); every fault at once, each naming
    the file, row and column (:class:`~islandroute.errors.NetworkError`)."""
    frame, where = read_table(table, label)
    problems = _Problems()
    out: list[Candidate] = []
    seen: dict[str, str] = {}
    for row in _rows(frame, where, CANDIDATE_COLUMNS, problems):
        cand = _candidate(row)
        if cand is None:
            continue
        if cand.id in seen:
            problems.add(row.where, "id", f"duplicate id {cand.id!r} (first in {seen[cand.id]})")
            continue
        seen[cand.id] = row.where
        out.append(cand)
    problems.raise_any()
    return out


def _candidate(row: _Row) -> Candidate | None:
    """One row as a Candidate, or None after recording its faults."""
    before = len(row.problems.items)
    kind = row.text("kind", required=True)
    if kind is not None and kind not in CANDIDATE_KINDS:
        row.problems.add(row.where, "kind", f"{kind!r} is not one of {', '.join(CANDIDATE_KINDS)}")
    doc: dict[str, Any] = {
        "id": row.text("id", required=True),
        "kind": kind,
        "island": row.text("island", required=True),
        "lon": row.number("lon", required=True),
        "lat": row.number("lat", required=True),
        "weekly_cost": row.number("weekly_cost", required=True),
        "village": row.text("village"),
        "name": row.text("name") or "",
    }
    start, end = row.minute("open_from"), row.minute("open_to")
    if start is not None or end is not None:
        doc["open"] = (
            start if start is not None else HOURS["own"][0],
            end if end is not None else HOURS["own"][1],
        )
    if len(row.problems.items) > before:
        return None
    try:
        return Candidate.model_validate(doc)
    except ValidationError as err:
        for e in err.errors():
            loc = [str(x) for x in e["loc"]]
            column = {"open.0": "open_from", "open.1": "open_to"}.get(
                ".".join(loc), loc[0] if loc else "row"
            )
            if column == "open":
                column = "open_from/open_to"
            msg = e["msg"].removeprefix("Value error, ")
            row.problems.add(row.where, column or "row", msg)
        return None


def write_candidates(candidates: Iterable[Candidate], path: str | os.PathLike[str]) -> Path:
    """Write candidates as the CSV :func:`read_candidates` reads (to a temporary file
    renamed over the target)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*CANDIDATE_COLUMNS, *OPTIONAL_COLUMNS])
    for c in candidates:
        w.writerow(
            [
                c.id,
                c.kind,
                c.island,
                c.lon,
                c.lat,
                c.weekly_cost,
                _hhmm(c.open[0]),
                _hhmm(c.open[1]),
                c.village or "",
                c.name,
            ]
        )
    target = Path(path)
    write_text_atomic(target, buf.getvalue())
    return target


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def village_nodes(net: Network) -> list[Node]:
    """The village stations' nodes (kind ``station``, parks excluded), in network order."""
    return [
        net.node_by_id[s.node] for s in net.stations if net.node_by_id[s.node].kind == "station"
    ]


def candidate_table(net: Network, walk_km: float = WALK_KM_DEFAULT) -> list[Candidate]:
    """Candidate sites from what a network holds, every cost and hour an estimate
    (``WEEKLY_COST``, ``HOURS``; docs/siting.md): for each village its own station and a
    post station (村邮站) at the village point; a terminal (客运站) at each pier and a
    co-operative (供销社) at each town (depot or hub) with a village within ``walk_km``;
    a service centre at each village that handles the most parcels of those within
    ``walk_km`` of it (the village centre its neighbours walk to)."""
    villages = village_nodes(net)
    parcels = {s.node: s.parcels + sum(s.pickup.values()) for s in net.stations}
    out: list[Candidate] = []
    for v in villages:
        out.append(_site(f"own_{v.id}", OWN, v, v.id, f"{v.name} own station"))
        out.append(_site(f"post_{v.id}", "post_station", v, v.id, f"{v.name} 村邮站"))
    near = {v.id: _near(net, v, villages, walk_km) for v in villages}
    for v in villages:
        rank = sorted(near[v.id] + [v], key=lambda u: (-parcels.get(u.id, 0), u.id))
        if len(near[v.id]) > 0 and rank[0].id == v.id:
            out.append(_site(f"svc_{v.id}", "service_centre", v, v.id, f"{v.name} 服务中心"))
    placed: set[tuple[float, float]] = set()
    for kind, node_kinds, prefix, suffix in (
        ("terminal", ("port",), "term", "客运站"),
        ("coop", TOWN_KINDS, "coop", "供销社"),
    ):
        for n in net.nodes:
            key = (round(n.lon, 5), round(n.lat, 5))
            if n.kind in node_kinds and key not in placed and _near(net, n, villages, walk_km):
                placed.add(key)
                out.append(_site(f"{prefix}_{n.id}", kind, n, None, f"{n.name} {suffix}"))
    return out


def _site(cid: str, kind: str, node: Node, village: str | None, name: str) -> Candidate:
    """A candidate of ``kind`` at ``node`` with the kind's estimated cost and hours."""
    return Candidate.model_validate(
        {
            "id": cid,
            "kind": kind,
            "island": node.island,
            "lon": node.lon,
            "lat": node.lat,
            "weekly_cost": WEEKLY_COST[kind],
            "open": HOURS[kind],
            "village": village,
            "name": name.strip(),
        }
    )


def _near(net: Network, node: Node, villages: Sequence[Node], walk_km: float) -> list[Node]:
    """The villages other than ``node`` on its island within ``walk_km`` on foot."""
    return [
        v
        for v in villages
        if v.id != node.id
        and v.island == node.island
        and place_km(net, v.lon, v.lat, node.lon, node.lat) * DETOUR_FACTOR <= walk_km
    ]
