"""The public exchange documents (``islandroute.network/1`` and ``islandroute.plan/1``).

Writing puts the spec's required fields first, with exactly the spec's names, then
islandroute's extra fields (welcome by the spec) so that a round trip loses nothing.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

from pydantic import ValidationError

from islandroute.errors import NetworkError, PlanFormatError, Problem
from islandroute.model.network import (
    NETWORK_FORMAT,
    Network,
    problems_from_validation_error,
)
from islandroute.model.plan import PLAN_FORMAT, Kpis, Plan


def dumps(doc: dict[str, Any], indent: int | None = 1, path: str | None = None) -> str:
    """JSON text of a document, stable for diffs (keys in the order written); also
    written to ``path`` when given."""
    text = json.dumps(doc, indent=indent, ensure_ascii=False) + "\n"
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    return text


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
        "format": NETWORK_FORMAT,
        "name": net.name,
        "days": list(net.days),
        "nodes": [
            {
                "id": n.id,
                "kind": n.kind,
                "island": n.island,
                "lon": _num(n.lon),
                "lat": _num(n.lat),
                **_extras(n, {"id", "kind", "island", "lon", "lat"}),
            }
            for n in net.nodes
        ],
        "roads": [
            {"a": r.a, "b": r.b, "km": _num(r.km), "minutes": _num(r.minutes), "bridge": r.bridge}
            for r in net.roads
        ],
        "ferries": [
            {
                "id": f.id,
                "from": f.from_,
                "to": f.to,
                "minutes": _num(f.minutes),
                "vehicles": f.vehicles,
                "departures": {d: list(f.departures[d]) for d in net.days if d in f.departures},
                **_extras(f, {"id", "from", "to", "minutes", "vehicles", "departures"}),
            }
            for f in net.ferries
        ],
        "carriers": [{"id": c.id, "name": c.name} for c in net.carriers],
        "stations": [
            {
                "node": s.node,
                "min_visits": s.min_visits,
                "open": list(s.open),
                "demand": dict(s.demand),
                **_extras(s, {"node", "min_visits", "open", "demand"}),
            }
            for s in net.stations
        ],
        "vehicles": [
            {
                "id": v.id,
                "carrier": v.carrier,
                "depot": v.depot,
                "capacity": v.capacity,
                "shift": list(v.shift),
                **_extras(v, {"id", "carrier", "depot", "capacity", "shift"}),
            }
            for v in net.vehicles
        ],
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
    return doc


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
    if fmt != NETWORK_FORMAT:
        problems.append(Problem("network", "format", f"expected {NETWORK_FORMAT!r}, got {fmt!r}"))
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
    if problems:
        raise NetworkError(problems)
    data = {k: v for k, v in doc.items() if k != "format"}
    try:
        return Network.model_validate(data)
    except ValidationError as err:
        raise NetworkError(problems_from_validation_error(err, doc)) from None


def read_network(path_or_text: str | os.PathLike[str]) -> Network:
    """Read a network JSON file (or JSON text)."""
    text = str(path_or_text)
    if not text.lstrip().startswith("{"):
        try:
            with open(path_or_text, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as err:
            raise NetworkError(
                Problem("network", "file", f"cannot read {path_or_text}: {err}")
            ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise NetworkError(
            Problem("network", "JSON", f"line {err.lineno} column {err.colno}: {err.msg}")
        ) from None
    return network_from_doc(doc)


def plan_to_doc(plan: Plan) -> dict[str, Any]:
    """The plan exchange document; KPIs beyond the spec's totals go in extra fields."""
    t = plan.totals
    return {
        "format": PLAN_FORMAT,
        "network": plan.network,
        "mode": plan.mode,
        "days": list(plan.days),
        "routes": [
            {
                "day": r.day,
                "vehicle": r.vehicle,
                "carriers": list(r.carriers),
                "stops": [
                    {
                        "node": s.node,
                        "arrive": _num(s.arrive),
                        "depart": _num(s.depart),
                        "deliver": dict(s.deliver),
                        **({"pickup": dict(s.pickup)} if s.pickup else {}),
                    }
                    for s in r.stops
                ],
                "legs": [
                    {
                        "from": g.from_,
                        "to": g.to,
                        "mode": g.mode,
                        "depart": _num(g.depart),
                        "arrive": _num(g.arrive),
                        "km": _num(g.km),
                        **({"ferry": g.ferry} if g.ferry else {}),
                    }
                    for g in r.legs
                ],
                "km": _num(r.km),
                "cost": _num(r.cost),
                "co2_kg": _num(r.co2_kg),
                "minutes": _num(r.minutes),
                "ferry_fares": _num(r.ferry_fares),
                "parcel_fares": _num(r.parcel_fares),
            }
            for r in plan.routes
        ],
        "totals": {
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
        },
        "by_carrier": {c: k.model_dump() for c, k in plan.by_carrier.items()},
        "by_island": {i: k.model_dump() for i, k in plan.by_island.items()},
        "visit_days": {s: list(d) for s, d in plan.visit_days.items()},
        "stats": plan.stats,
    }


def plan_from_doc(doc: Any) -> Plan:
    """Read a plan document into a :class:`Plan`."""
    if not isinstance(doc, dict) or doc.get("format") != PLAN_FORMAT:
        raise PlanFormatError(Problem("plan", "format", f"expected {PLAN_FORMAT!r}"))
    routes = doc.get("routes", [])
    days = doc.get("days") or list(dict.fromkeys(r.get("day") for r in routes))
    data = {
        "network": doc.get("network", ""),
        "mode": doc.get("mode"),
        "days": days,
        "routes": routes,
        "totals": Kpis.model_validate(
            {k: v for k, v in doc.get("totals", {}).items() if k in Kpis.model_fields}
        ),
        "by_carrier": doc.get("by_carrier", {}),
        "by_island": doc.get("by_island", {}),
        "visit_days": doc.get("visit_days", {}),
        "stats": doc.get("stats", {}),
    }
    try:
        return Plan.model_validate(data)
    except ValidationError as err:
        raise PlanFormatError(
            [Problem("plan", ".".join(map(str, e["loc"])), e["msg"]) for e in err.errors()]
        ) from None


def read_plan(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a plan JSON file as its raw document (what the validator checks)."""
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    if not isinstance(doc, dict):
        raise PlanFormatError(Problem("plan", "document", "expected a JSON object"))
    return doc
