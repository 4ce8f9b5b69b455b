"""The interactive report: one self-contained HTML file (Leaflet and the data inlined, no
CDN, no tiles) with a day selector, per-vehicle toggles, routes along roads, ferry legs
dashed, station popups with their week, a KPI panel, and two plans side by side.

Island outlines are the base layer, so the page works with no network at all.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from islandroute.analysis.flows import flows
from islandroute.analysis.parcel_cost import THRESHOLD_DEFAULT
from islandroute.geojson import RoadPaths, route_parts
from islandroute.model.exchange import write_text_atomic
from islandroute.model.network import Network
from islandroute.model.plan import Plan, Route, Stop
from islandroute.sheets import clock, place_name

#: Decimal places kept of a coordinate (about 1 m in degrees).
COORD_DECIMALS = 5
#: Decimal places kept of money and km in the page.
VALUE_DECIMALS = 1
#: The package folder of the page's template, script and style.
ASSETS = "assets"
#: Node kinds drawn as markers (junctions are not places anyone stops at).
MARKED_KINDS = ("station", "port", "depot", "hub", "centre", "park")
#: How a planner names a plan in the page when the caller does not.
DEFAULT_LABELS = ("plan", "compared")
#: Chromium's flags to open a report headless on a closed machine: no sandbox (root), no
#: background connections (refused here, and slow to time out), no GPU.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: A closing script tag inside inlined code.
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)
#: Markers in the template replaced by the inlined parts.
SLOTS = ("TITLE", "LEAFLET_CSS", "REPORT_CSS", "LEAFLET_JS", "REPORT_JS", "DATA")


@dataclass(frozen=True)
class IslandShading:
    """A figure per island and plan to shade the islands by (e.g. the delivery cost per
    parcel), listed in a table; islands above ``threshold`` are outlined and flagged."""

    title: str
    per_plan: tuple[Mapping[str, float], ...]
    threshold: float | None = None


def cost_per_parcel_shading(
    net: Network, plans: list[Plan], threshold: float = THRESHOLD_DEFAULT
) -> IslandShading:
    """Each island's delivery cost per parcel (routes, boats and fares, 二次收费's figure)
    in each plan; islands dearer than ``threshold`` CNY a parcel flagged."""
    from islandroute.analysis.parcel_cost import island_values, parcel_cost_table

    values = tuple(island_values(parcel_cost_table(net, p, threshold=threshold)) for p in plans)
    return IslandShading("delivery cost per parcel (CNY)", values, threshold)


def report_html(
    net: Network,
    plan: Plan,
    compare: Plan | None = None,
    labels: tuple[str, str] | None = None,
    shading: IslandShading | None = None,
) -> str:
    """The report page of ``plan`` (and ``compare`` beside it) as one HTML string."""
    plans = [plan] if compare is None else [plan, compare]
    names = labels or _default_labels(plans)
    title = _title(net, plans)
    paths = RoadPaths(net)
    data = {
        "title": title,
        "planar": net.geometry != "lonlat",
        "days": list(plan.days),
        "islands": _islands(net),
        "roads": _roads(net),
        "ferries": _ferries(net),
        "places": _places(net),
        "plans": [_plan_data(net, paths, p, name) for p, name in zip(plans, names, strict=False)],
        "shading": _shading(shading, len(plans)),
    }
    parts = {
        "TITLE": html.escape(title),
        "LEAFLET_CSS": _leaflet_file("leaflet.css"),
        "REPORT_CSS": _asset("report.css"),
        "LEAFLET_JS": _script_safe(_leaflet_file("leaflet.js")),
        "REPORT_JS": _script_safe(_asset("report.js")),
        "DATA": _json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
    }
    page = _asset("report.html")
    for slot in SLOTS:
        page = page.replace(f"@@{slot}@@", parts[slot])
    return page


def write_report(
    net: Network,
    plan: Plan,
    path: str | os.PathLike[str],
    compare: Plan | None = None,
    labels: tuple[str, str] | None = None,
    shading: IslandShading | None = None,
) -> Path:
    """Write the report page through a temporary file renamed into place."""
    write_text_atomic(path, report_html(net, plan, compare, labels, shading))
    return Path(path)


# ---- the page's data --------------------------------------------------------------------
def _shading(shading: IslandShading | None, plans: int) -> dict[str, Any] | None:
    """The island figures as the page reads them; one mapping per plan shown."""
    if shading is None:
        return None
    if len(shading.per_plan) != plans:
        raise ValueError(
            f"shading: per_plan: {len(shading.per_plan)} mappings for {plans} plans shown"
        )
    return {
        "title": shading.title,
        "threshold": shading.threshold,
        "values": [
            {island: round(float(v), VALUE_DECIMALS) for island, v in m.items()}
            for m in shading.per_plan
        ],
    }


def _default_labels(plans: list[Plan]) -> tuple[str, str]:
    """Each plan named by its mode when the modes differ (joint, separate)."""
    modes = [p.mode for p in plans]
    if len(set(modes)) == len(modes):
        return (modes[0], modes[-1])
    return DEFAULT_LABELS


def _title(net: Network, plans: list[Plan]) -> str:
    """The page title: the network and the plans shown."""
    shown = " vs ".join(p.mode for p in plans)
    return f"islandroute — {net.name} — {shown}"


def _xy(lon: float, lat: float) -> list[float]:
    """A position as Leaflet takes it: ``[lat, lon]`` (``[y, x]`` on a planar network)."""
    return [round(lat, COORD_DECIMALS), round(lon, COORD_DECIMALS)]


def _islands(net: Network) -> list[dict[str, Any]]:
    """Islands with their outline ring (or only a centre) and name."""
    return [
        {
            "id": i.id,
            "name": i.name or i.id,
            "centre": _xy(i.lon, i.lat),
            "ring": [_xy(lon, lat) for lon, lat in i.outline] if i.outline else None,
        }
        for i in net.islands
    ]


def _roads(net: Network) -> list[dict[str, Any]]:
    """Every road as a two-point line; bridges flagged."""
    pos = net.node_by_id
    return [
        {
            "line": [_xy(pos[r.a].lon, pos[r.a].lat), _xy(pos[r.b].lon, pos[r.b].lat)],
            "bridge": r.bridge,
        }
        for r in net.roads
    ]


def _ferries(net: Network) -> list[dict[str, Any]]:
    """Every ferry line pier to pier, with its name and crossing minutes."""
    pos = net.node_by_id
    return [
        {
            "id": f.id,
            "name": f.name or f.id,
            "minutes": f.minutes,
            "line": [_xy(pos[f.from_].lon, pos[f.from_].lat), _xy(pos[f.to].lon, pos[f.to].lat)],
        }
        for f in net.ferries
    ]


def _places(net: Network) -> list[dict[str, Any]]:
    """Markers: stations, piers, depots, hubs, centres and parks with their carriers."""
    stations = {s.node: s for s in net.stations}
    out = []
    for node in net.nodes:
        if node.kind not in MARKED_KINDS:
            continue
        station = stations.get(node.id)
        demand = dict(station.demand) if station else {}
        pickup = dict(station.pickup) if station else {}
        out.append(
            {
                "id": node.id,
                "kind": node.kind,
                "name": place_name(net, node.id),
                "island": node.island,
                "at": _xy(node.lon, node.lat),
                "demand": {c: n for c, n in demand.items() if n},
                "pickup": {c: n for c, n in pickup.items() if n},
            }
        )
    return out


def _plan_data(net: Network, paths: RoadPaths, plan: Plan, label: str) -> dict[str, Any]:
    """One plan: its KPIs, its routes with their lines and stops, and each station's week
    (``paths``: the road paths, shared by the plans shown)."""
    return {
        "label": label,
        "mode": plan.mode,
        "kpis": _kpis(net, plan),
        "routes": [_route_data(net, paths, r) for r in plan.routes],
        "calendar": _calendar(plan),
        "unserved": len(plan.unserved),
    }


def _kpis(net: Network, plan: Plan) -> dict[str, Any]:
    """The week's KPIs, with the on-time share of collections when there are any."""
    t = plan.totals
    kpis: dict[str, Any] = {
        "cost": round(t.cost, VALUE_DECIMALS),
        "km": round(t.km, VALUE_DECIMALS),
        "vehicle_days": t.vehicle_days,
        "vehicles": t.vehicles,
        "ferry_crossings": t.ferry_crossings,
        "ferry_fares": round(t.ferry_fares + t.parcel_fares, VALUE_DECIMALS),
        "co2_kg": round(t.co2_kg, VALUE_DECIMALS),
        "parcels": t.parcels,
        "on_time_share": None,
    }
    collected = flows(net, plan).totals
    if collected.collected:
        kpis["collected"] = collected.collected
        kpis["on_time_share"] = collected.on_time_share
    return kpis


def _route_data(net: Network, paths: RoadPaths, route: Route) -> dict[str, Any]:
    """A route's line parts (road or ferry), totals and its stops as a driver reads them."""
    parts, modes = route_parts(net, paths, route.legs)
    return {
        "day": route.day,
        "vehicle": route.vehicle,
        "carriers": list(route.carriers),
        "km": round(route.km, VALUE_DECIMALS),
        "cost": round(route.cost, VALUE_DECIMALS),
        "co2_kg": round(route.co2_kg, VALUE_DECIMALS),
        "parcels": route.parcels,
        "crossings": route.ferry_crossings,
        "fares": round(route.ferry_fares + route.parcel_fares, VALUE_DECIMALS),
        "parts": [
            {"mode": mode, "line": [_xy(lon, lat) for lon, lat in part]}
            for part, mode in zip(parts, modes, strict=True)
        ],
        "stops": [_stop_data(net, s) for s in route.stops],
        "ferries": [
            {
                "ferry": leg.ferry,
                "from": place_name(net, leg.from_),
                "to": place_name(net, leg.to),
                "depart": clock(leg.depart),
                "arrive": clock(leg.arrive),
            }
            for leg in route.legs
            if leg.mode == "ferry"
        ],
    }


def _stop_data(net: Network, stop: Stop) -> dict[str, Any]:
    """A stop's place, times and hand-overs."""
    return {
        "node": stop.node,
        "name": place_name(net, stop.node),
        "arrive": clock(stop.arrive),
        "depart": clock(stop.depart),
        "deliver": sum(stop.deliver.values()),
        "pickup": sum(stop.pickup.values()),
        "handin": sum(stop.handin.values()),
    }


def _calendar(plan: Plan) -> dict[str, dict[str, dict[str, Any]]]:
    """Each visited node's week: per day, the carriers, delivered and collected parcels."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for route in plan.routes:
        for stop in route.stops:
            if not (stop.deliver or stop.pickup):
                continue
            cell = out.setdefault(stop.node, {}).setdefault(
                route.day, {"carriers": [], "delivered": 0, "collected": 0}
            )
            seen = {c for c, n in {**stop.deliver, **stop.pickup}.items() if n}
            cell["carriers"] = sorted(set(cell["carriers"]) | seen)
            cell["delivered"] += sum(stop.deliver.values())
            cell["collected"] += sum(stop.pickup.values())
    return out


# ---- the page's parts -------------------------------------------------------------------
def _asset(name: str) -> str:
    """A file of the page's template, script or style from the package."""
    return (resources.files("islandroute") / ASSETS / name).read_text(encoding="utf-8")


def _leaflet_file(name: str) -> str:
    """Leaflet's script or style from the installed ``xstatic-leaflet`` package."""
    try:
        from xstatic.pkg import leaflet
    except ImportError as err:  # the analysis extra brings it
        raise ImportError(
            "the report needs Leaflet: pip install 'islandroute[analysis]' (xstatic-leaflet)"
        ) from err
    return (Path(leaflet.BASE_DIR) / name).read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """Script text that cannot close the inline ``<script>`` element it is placed in."""
    return _SCRIPT_END.sub(r"<\\/\1", text)


def _json_safe(text: str) -> str:
    """JSON text safe inside ``<script>``: every ``</`` written ``<\\/`` (the same string)."""
    return text.replace("</", "<\\/")
