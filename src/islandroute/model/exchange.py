"""The public exchange documents (``islandroute.network/1`` and ``islandroute.plan/1``).

Writing puts the spec's required fields first, with exactly the spec's names, then
islandroute's extra fields (welcome by the spec) so that a round trip loses nothing.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from islandroute.errors import NetworkError, PlanFormatError, Problem
from islandroute.model.network import (
    NETWORK_FORMAT,
    NETWORK_FORMAT_1_1,
    NETWORK_FORMATS,
    Ferry,
    Network,
    Node,
    Road,
    Station,
    Vehicle,
    located,
    problems_from_validation_error,
    uses_version_1_1,
)
from islandroute.model.plan import PLAN_FORMAT, Kpis, Leg, Plan, Route, Stop

MAX_DOCUMENT_BYTES = 512 * 1024 * 1024  # a network or plan file larger than this is refused
MAX_NESTING = 64  # JSON documents nest a few levels; deeper is not a document of ours


def dumps(doc: dict[str, Any], indent: int | None = 1, path: str | None = None) -> str:
    """JSON text of a document, stable for diffs (keys in the order written); also
    written to ``path`` when given, atomically (see :func:`write_text_atomic`)."""
    text = json.dumps(doc, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"
    if path:
        write_text_atomic(path, text)
    return text


READABLE = 0o644  # an output file's mode: its owner writes, everyone reads


def write_text_atomic(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write ``text`` (UTF-8; bytes as they are) to a temporary file in the same folder,
    flush it to disk, then rename it over ``path``: a full disk or a crash never leaves
    a half-written file."""
    target = Path(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, READABLE)  # mkstemp's 0600 would hide outputs from other users
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _too_deep(doc: Any, limit: int = MAX_NESTING) -> bool:
    """Whether a parsed document nests deeper than ``limit`` (without recursion)."""
    stack = [(doc, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def load_document(source: str | os.PathLike[str], what: str, error: type[Exception]) -> Any:
    """Parse a JSON document from a file (or from JSON text starting with ``{``).

    Every fault becomes ``error(Problem(what, ...))``: a missing or unreadable file, bytes
    that are not UTF-8, bad JSON, numbers Python refuses (integers of thousands of digits),
    nesting deeper than :data:`MAX_NESTING` — never a traceback.
    """
    text = str(source)
    if not text.lstrip().startswith("{"):
        try:
            if os.path.getsize(source) > MAX_DOCUMENT_BYTES:
                raise error(Problem(what, "file", f"{source} is over {MAX_DOCUMENT_BYTES} bytes"))
            with open(source, "rb") as fh:
                raw = fh.read()
        except OSError as err:
            raise error(
                Problem(what, "file", f"cannot read {source}: {err.strerror or err}")
            ) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise error(
                Problem(what, "file", f"{source} is not UTF-8 text (byte {err.start})")
            ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise error(
            Problem(what, "JSON", f"line {err.lineno} column {err.colno}: {err.msg}")
        ) from None
    except RecursionError:
        raise error(Problem(what, "JSON", "nested too deeply")) from None
    except ValueError as err:  # integers past Python's digit limit
        raise error(Problem(what, "JSON", str(err).split(";")[0])) from None
    if _too_deep(doc):
        raise error(Problem(what, "JSON", f"nested deeper than {MAX_NESTING} levels"))
    return doc


def non_finite(doc: Any) -> list[tuple[str | int, ...]]:
    """Where a parsed document holds NaN or Infinity (JSON has neither; Python's reader
    accepts them), as locations from the top."""
    out: list[tuple[str | int, ...]] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        item, loc = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            out.append(loc)
        elif isinstance(item, dict):
            stack.extend((v, (*loc, k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, (*loc, i)) for i, v in enumerate(item))
    return sorted(out, key=str)


def _num(x: float) -> float | int:
    """Write whole floats as ints (``5`` not ``5.0``) so documents stay tidy and stable."""
    if isinstance(x, float) and math.isfinite(x) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return round(x, 6) if isinstance(x, float) else x


def _extras(model: Any, skip: set[str]) -> dict[str, Any]:
    """Non-default fields of a model beyond the spec's, for a lossless round trip."""
    data = model.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    return {k: v for k, v in data.items() if k not in skip}


def network_to_doc(net: Network) -> dict[str, Any]:
    """The network exchange document: spec fields first, islandroute's extras after."""
    doc: dict[str, Any] = {
        "format": NETWORK_FORMAT_1_1 if uses_version_1_1(net) else NETWORK_FORMAT,
        "name": net.name,
        "days": list(net.days),
        "nodes": [_node_doc(n) for n in net.nodes],
        "roads": [_road_doc(r) for r in net.roads],
        "ferries": [_ferry_doc(f, net.days) for f in net.ferries],
        "carriers": [
            {"id": c.id, "name": c.name, **_extras(c, {"id", "name"})} for c in net.carriers
        ],
        "stations": [_station_doc(s) for s in net.stations],
        "vehicles": [_vehicle_doc(v) for v in net.vehicles],
    }
    if net.geometry != "lonlat":
        doc["geometry"] = net.geometry
    if net.islands:
        doc["islands"] = [i.model_dump(mode="json", exclude_none=True) for i in net.islands]
    rules = net.rules.model_dump(mode="json", exclude_defaults=True)
    if rules:
        doc["rules"] = rules
    if net.provenance:
        doc["provenance"] = net.provenance
    doc.update({k: v for k, v in (net.model_extra or {}).items() if k not in doc})
    return doc


def _node_doc(n: Node) -> dict[str, Any]:
    """A node's entry: the spec's fields, then its non-default extras."""
    return {
        "id": n.id,
        "kind": n.kind,
        "island": n.island,
        "lon": _num(n.lon),
        "lat": _num(n.lat),
        **_extras(n, {"id", "kind", "island", "lon", "lat"}),
    }


def _road_doc(r: Road) -> dict[str, Any]:
    """A road's entry: the spec's fields, then its non-default extras."""
    return {
        "a": r.a,
        "b": r.b,
        "km": _num(r.km),
        "minutes": _num(r.minutes),
        "bridge": r.bridge,
        **_extras(r, {"a", "b", "km", "minutes", "bridge"}),
    }


def _ferry_doc(f: Ferry, days: tuple[str, ...]) -> dict[str, Any]:
    """A ferry line's entry, its departures in the horizon's day order, then its extras."""
    return {
        "id": f.id,
        "from": f.from_,
        "to": f.to,
        "minutes": _num(f.minutes),
        "vehicles": f.vehicles,
        "departures": {d: list(f.departures[d]) for d in days if d in f.departures},
        **_extras(f, {"id", "from", "to", "minutes", "vehicles", "departures"}),
    }


def _station_doc(s: Station) -> dict[str, Any]:
    """A station's entry: the spec's fields, then its non-default extras."""
    return {
        "node": s.node,
        "min_visits": s.min_visits,
        "open": list(s.open),
        "demand": dict(s.demand),
        **_extras(s, {"node", "min_visits", "open", "demand"}),
    }


def _vehicle_doc(v: Vehicle) -> dict[str, Any]:
    """A vehicle's entry: the spec's fields, then its non-default extras."""
    return {
        "id": v.id,
        "carrier": v.carrier,
        "depot": v.depot,
        "capacity": v.capacity,
        "shift": list(v.shift),
        **_extras(v, {"id", "carrier", "depot", "capacity", "shift"}),
    }


_REQUIRED = {
    "nodes": ("id", "kind", "island", "lon", "lat"),
    "roads": ("a", "b", "km", "minutes", "bridge"),
    "ferries": ("id", "from", "to", "minutes", "vehicles", "departures"),
    "carriers": ("id", "name"),
    "stations": ("node", "min_visits", "open", "demand"),
    "vehicles": ("id", "carrier", "depot", "capacity", "shift"),
}


def network_from_doc(doc: Any) -> Network:
    """Build a :class:`Network` from a document, raising :class:`NetworkError` on any fault."""
    if not isinstance(doc, dict):
        raise NetworkError(Problem("network", "document", "expected a JSON object"))
    problems: list[Problem] = []
    fmt = doc.get("format", NETWORK_FORMAT)
    if fmt not in NETWORK_FORMATS:
        problems.append(
            Problem("network", "format", f"expected {' or '.join(NETWORK_FORMATS)}, got {fmt!r}")
        )
    for coll in ("nodes", "carriers", "stations", "vehicles"):
        if coll not in doc:
            problems.append(Problem("network", coll, "missing"))
    for coll, fields in _REQUIRED.items():
        items = doc.get(coll, [])
        if not isinstance(items, list):
            problems.append(Problem("network", coll, "expected a list"))
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                problems.append(Problem(f"{coll}[{i}]", "entry", "expected an object"))
                continue
            missing = [f for f in fields if f not in item]
            ident = item.get("id", item.get("node", f"#{i}"))
            for f in missing:
                problems.append(
                    Problem(
                        f"{coll[:-1] if coll != 'ferries' else 'ferry'} {ident!r}", f, "missing"
                    )
                )
    for loc in non_finite(doc):
        problems.append(Problem(*located(doc, loc), "not a finite number"))
    if problems:
        raise NetworkError(problems)
    data = {k: v for k, v in doc.items() if k != "format"}
    try:
        return Network.model_validate(data)
    except ValidationError as err:
        raise NetworkError(problems_from_validation_error(err, doc)) from None


def read_network(path_or_text: str | os.PathLike[str]) -> Network:
    """Read a network JSON file (or JSON text)."""
    return network_from_doc(load_document(path_or_text, "network", NetworkError))


def plan_to_doc(plan: Plan) -> dict[str, Any]:
    """The plan exchange document; KPIs beyond the spec's totals go in extra fields."""
    return {
        "format": PLAN_FORMAT,
        "network": plan.network,
        "mode": plan.mode,
        "days": list(plan.days),
        "routes": [_route_doc(r) for r in plan.routes],
        "totals": _totals_doc(plan.totals),
        "by_carrier": {c: k.model_dump() for c, k in plan.by_carrier.items()},
        "by_island": {i: k.model_dump() for i, k in plan.by_island.items()},
        "visit_days": {s: list(d) for s, d in plan.visit_days.items()},
        "stats": plan.stats,
        **({"unserved": [u.model_dump() for u in plan.unserved]} if plan.unserved else {}),
    }


def _route_doc(r: Route) -> dict[str, Any]:
    """A route's entry: its vehicle and day, stops, legs and figures."""
    return {
        "day": r.day,
        "vehicle": r.vehicle,
        "carriers": list(r.carriers),
        "stops": [_stop_doc(s) for s in r.stops],
        "legs": [_leg_doc(g) for g in r.legs],
        "km": _num(r.km),
        "cost": _num(r.cost),
        "co2_kg": _num(r.co2_kg),
        "minutes": _num(r.minutes),
        "ferry_fares": _num(r.ferry_fares),
        "parcel_fares": _num(r.parcel_fares),
    }


def _stop_doc(s: Stop) -> dict[str, Any]:
    """A stop's entry; pickups and hand-ins only when there are any."""
    return {
        "node": s.node,
        "arrive": _num(s.arrive),
        "depart": _num(s.depart),
        "deliver": dict(s.deliver),
        **({"pickup": dict(s.pickup)} if s.pickup else {}),
        **({"handin": dict(s.handin)} if s.handin else {}),
    }


def _leg_doc(g: Leg) -> dict[str, Any]:
    """A leg's entry; the ferry line only on a crossing."""
    return {
        "from": g.from_,
        "to": g.to,
        "mode": g.mode,
        "depart": _num(g.depart),
        "arrive": _num(g.arrive),
        "km": _num(g.km),
        **({"ferry": g.ferry} if g.ferry else {}),
    }


def _totals_doc(t: Kpis) -> dict[str, Any]:
    """The plan's totals: the spec's fields first, the other KPIs after."""
    return {
        "cost": _num(t.cost),
        "km": _num(t.km),
        "vehicles": t.vehicles,
        "ferry_crossings": t.ferry_crossings,
        "co2_kg": _num(t.co2_kg),
        **{
            k: _num(v)
            for k, v in t.model_dump().items()
            if k not in {"cost", "km", "vehicles", "ferry_crossings", "co2_kg"}
        },
    }


def plan_from_doc(doc: Any) -> Plan:
    """Read a plan document into a :class:`Plan`, naming any fault."""
    if not isinstance(doc, dict) or doc.get("format") != PLAN_FORMAT:
        raise PlanFormatError(Problem("plan", "format", f"expected {PLAN_FORMAT!r}"))
    routes = doc.get("routes", [])
    days = doc.get("days")
    if not days and isinstance(routes, list):
        days = list(dict.fromkeys(r.get("day") for r in routes if isinstance(r, dict)))
    totals = doc.get("totals", {})
    data = {
        "network": doc.get("network", ""),
        "mode": doc.get("mode"),
        "days": days,
        "routes": routes,
        "totals": (
            {k: v for k, v in totals.items() if k in Kpis.model_fields}
            if isinstance(totals, dict)
            else totals
        ),
        "by_carrier": doc.get("by_carrier", {}),
        "by_island": doc.get("by_island", {}),
        "visit_days": doc.get("visit_days", {}),
        "stats": doc.get("stats", {}),
        "unserved": doc.get("unserved", []),
    }
    try:
        return Plan.model_validate(data)
    except ValidationError as err:
        raise PlanFormatError(
            [
                Problem("plan", ".".join(map(str, e["loc"])) or "document", e["msg"])
                for e in err.errors()
            ]
        ) from None


def read_plan(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a plan JSON file as its raw document (what the validator checks)."""
    doc = load_document(path, "plan", PlanFormatError)
    if not isinstance(doc, dict):
        raise PlanFormatError(Problem("plan", "document", "expected a JSON object"))
    return doc
