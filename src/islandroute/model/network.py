"""The archipelago as frozen, validated pydantic models: nodes, roads, ferries, carriers,
stations with weekly demand, vehicles, and the service rules of the week."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cached_property
from itertools import combinations, pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from islandroute.errors import NetworkError, Problem

WEEK: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 1440
NETWORK_FORMAT = "islandroute.network/1"

NodeKind = Literal["hub", "depot", "port", "station", "junction"]
HubRole = Literal["processing_centre", "cross_border_centre", "county_complex"]
Geometry = Literal["lonlat", "planar"]
DeliverySplit = Literal["since_last_visit", "equal"]

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_minute(value: Any) -> Any:
    """Accept a minute after midnight as an int or as ``"HH:MM"``; refuse ``"25:00"``."""
    if isinstance(value, str):
        m = _HHMM.match(value.strip())
        if not m:
            raise ValueError(f"time {value!r} is not HH:MM")
        hh, mm = int(m.group(1)), int(m.group(2))
        if hh > 23 or mm > 59:
            raise ValueError(f"time {value!r} is not a clock time (00:00..23:59)")
        return hh * 60 + mm
    return value


Minute = Annotated[int, BeforeValidator(parse_minute), Field(ge=0, strict=True)]
ClockMinute = Annotated[int, BeforeValidator(parse_minute), Field(ge=0, le=1439, strict=True)]
Count = Annotated[int, Field(ge=0, strict=True)]


class Frozen(BaseModel):
    """Base of every value object: immutable, no unknown fields, validated on assignment."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Island(Frozen):
    """An island: a centre point and, where known, a coarse outline ring of (lon, lat)."""

    id: str = Field(min_length=1)
    name: str = ""
    county: str | None = None
    lon: float
    lat: float
    outline: tuple[tuple[float, float], ...] | None = None
    area_km2: float | None = Field(default=None, ge=0)
    population: int | None = Field(default=None, ge=0)

    def geometry(self) -> Any:
        """The island as a shapely geometry: its outline polygon, else its centre point."""
        from shapely.geometry import Point, Polygon

        if self.outline and len(self.outline) >= 3:
            return Polygon(self.outline)
        return Point(self.lon, self.lat)


class Node(Frozen):
    """A place vehicles stop at: a hub, a depot, a pier (``port``), a station or a junction."""

    id: str = Field(min_length=1)
    kind: NodeKind
    island: str = Field(min_length=1)
    lon: float
    lat: float
    name: str = ""
    role: HubRole | None = None


class Road(Frozen):
    """An undirected road link (a bridge or tunnel if ``bridge``); km and minutes one way."""

    a: str
    b: str
    km: float = Field(ge=0)
    minutes: float = Field(ge=0)
    bridge: bool = False


class Ferry(Frozen):
    """One direction of a ferry line: leaves only at its timetabled departures of each day."""

    id: str = Field(min_length=1)
    from_: str = Field(alias="from")
    to: str
    minutes: float = Field(gt=0)
    vehicles: bool
    departures: dict[str, tuple[ClockMinute, ...]] = Field(default_factory=dict)
    fare_vehicle: float = Field(default=0.0, ge=0)
    fare_parcel: float = Field(default=0.0, ge=0)
    name: str = ""

    @field_validator("departures")
    @classmethod
    def _sorted(cls, v: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
        return {day: tuple(sorted(set(times))) for day, times in v.items()}


class Carrier(Frozen):
    """A parcel company (EMS, ZTO, ...)."""

    id: str = Field(min_length=1)
    name: str = ""


class Station(Frozen):
    """A village station: weekly parcels per carrier, opening hours and visit rules."""

    node: str
    min_visits: int = Field(default=3, ge=1, strict=True)
    open: tuple[ClockMinute, Minute] = (480, 1080)
    demand: dict[str, Count] = Field(default_factory=dict)
    pickup: dict[str, Count] = Field(default_factory=dict)
    service_minutes: float = Field(default=5.0, ge=0)
    patterns: tuple[tuple[str, ...], ...] | None = None
    exact_visits: bool = False

    @field_validator("open")
    @classmethod
    def _window(cls, v: tuple[int, int]) -> tuple[int, int]:
        if v[1] < v[0]:
            raise ValueError(f"opening window {list(v)} closes before it opens")
        return v

    @property
    def parcels(self) -> int:
        """Parcels delivered here in a week, all carriers."""
        return sum(self.demand.values())


class Vehicle(Frozen):
    """One vehicle of a carrier (or of a shared operator when ``carrier`` is None)."""

    id: str = Field(min_length=1)
    carrier: str | None
    depot: str
    capacity: int = Field(gt=0, strict=True)
    shift: tuple[ClockMinute, Minute] = (420, 1140)
    cost_per_km: float = Field(default=1.2, ge=0)
    cost_per_hour: float = Field(default=40.0, ge=0)
    cost_fixed: float = Field(default=150.0, ge=0)
    co2_per_km: float = Field(default=0.2, ge=0)
    electric: bool = False
    days: tuple[str, ...] | None = None

    @field_validator("shift")
    @classmethod
    def _shift(cls, v: tuple[int, int]) -> tuple[int, int]:
        if v[1] <= v[0]:
            raise ValueError(f"shift {list(v)} ends before it starts")
        return v


class ServiceRules(Frozen):
    """Rules of the week: working days, default visits, allowed patterns, delivery split.

    ``hub_dispatch`` is when parcels leave a hub each day for depots that no road joins
    to a hub (they go by boat and the island's vehicle waits for them).
    """

    service_days: tuple[str, ...] | None = None
    min_visits: int = Field(default=3, ge=1)
    max_consecutive: int = Field(default=2, ge=1)
    split: DeliverySplit = "since_last_visit"
    hub_dispatch: ClockMinute = 360


class Network(Frozen):
    """A whole archipelago and its week of demand; built once, never mutated.

    Use :meth:`from_dict` / :meth:`from_json` to read the exchange document with
    errors that name the object and field at fault.
    """

    name: str = "network"
    days: tuple[str, ...] = WEEK
    geometry: Geometry = "lonlat"
    nodes: tuple[Node, ...]
    roads: tuple[Road, ...] = ()
    ferries: tuple[Ferry, ...] = ()
    carriers: tuple[Carrier, ...]
    stations: tuple[Station, ...]
    vehicles: tuple[Vehicle, ...]
    islands: tuple[Island, ...] = ()
    rules: ServiceRules = ServiceRules()
    provenance: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Network:
        problems = _structural_problems(self)
        if problems:
            raise NetworkError(problems)
        return self

    # ---- look-ups -------------------------------------------------------------------
    @cached_property
    def node_by_id(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    @cached_property
    def station_by_node(self) -> dict[str, Station]:
        return {s.node: s for s in self.stations}

    @cached_property
    def vehicle_by_id(self) -> dict[str, Vehicle]:
        return {v.id: v for v in self.vehicles}

    @cached_property
    def ferry_by_id(self) -> dict[str, Ferry]:
        return {f.id: f for f in self.ferries}

    @cached_property
    def carrier_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.carriers)

    @property
    def service_days(self) -> tuple[str, ...]:
        """Days on which stations may be visited (default: every day but Sunday in a week)."""
        if self.rules.service_days is not None:
            return self.rules.service_days
        if self.days == WEEK:
            return WEEK[:6]
        return self.days

    def weekly_parcels(self) -> int:
        """All parcels delivered in the horizon."""
        return sum(s.parcels for s in self.stations)

    def allowed_patterns(self, station: Station) -> tuple[tuple[str, ...], ...]:
        """The visit-day sets a station may take, in horizon order.

        Explicit ``station.patterns`` win; otherwise every set of ``min_visits`` service
        days with no run longer than ``rules.max_consecutive`` consecutive days.
        """
        if station.patterns is not None:
            order = {d: i for i, d in enumerate(self.days)}
            return tuple(tuple(sorted(p, key=order.__getitem__)) for p in station.patterns)
        return default_patterns(
            self.days, self.service_days, station.min_visits, self.rules.max_consecutive
        )

    def graph(self) -> Any:
        """The network as a networkx ``MultiDiGraph`` (roads both ways, ferries one way)."""
        from islandroute.model.graph import network_graph

        return network_graph(self)

    def replace(self, **update: Any) -> Network:
        """A validated copy with some fields replaced (the model is immutable)."""
        data = self.model_dump(by_alias=True, exclude_defaults=False)
        data.update(
            {
                k: (v.model_dump(by_alias=True) if isinstance(v, BaseModel) else v)
                for k, v in update.items()
            }
        )
        data = {k: _dump(v) for k, v in data.items()}
        return Network.model_validate(data)

    # ---- reading --------------------------------------------------------------------
    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Network:
        """Read a network (exchange document or full model dump), naming any fault."""
        from islandroute.model.exchange import network_from_doc

        return network_from_doc(doc)

    @classmethod
    def from_json(cls, path_or_text: str) -> Network:
        """Read a network JSON file (or JSON text)."""
        from islandroute.model.exchange import read_network

        return read_network(path_or_text)

    def to_dict(self) -> dict[str, Any]:
        """The exchange document (``islandroute.network/1``) with islandroute's extra fields."""
        from islandroute.model.exchange import network_to_doc

        return network_to_doc(self)

    def to_json(self, path: str | None = None, indent: int = 1) -> str:
        """The exchange document as JSON text; written to ``path`` when given."""
        from islandroute.model.exchange import dumps

        return dumps(self.to_dict(), indent=indent, path=path)


def _dump(v: Any) -> Any:
    if isinstance(v, BaseModel):
        return v.model_dump(by_alias=True)
    if isinstance(v, tuple | list):
        return [_dump(x) for x in v]
    return v


def default_patterns(
    days: tuple[str, ...], service_days: tuple[str, ...], visits: int, max_consecutive: int
) -> tuple[tuple[str, ...], ...]:
    """Every set of ``visits`` service days without a run of more than ``max_consecutive``.

    Runs are counted on the horizon's day order, not wrapping (Sat-Mon is not a run).
    """
    index = {d: i for i, d in enumerate(days)}
    usable = sorted(service_days, key=index.__getitem__)
    out = []
    for combo in combinations(usable, visits):
        run = longest = 1
        for a, b in pairwise(combo):
            run = run + 1 if index[b] == index[a] + 1 else 1
            longest = max(longest, run)
        if longest <= max_consecutive or visits == 1:
            out.append(combo)
    if not out and visits <= len(usable):
        out = list(combinations(usable, visits))
    return tuple(out)


def _structural_problems(net: Network) -> list[Problem]:
    """Everything that can be checked without the graph: ids, references, values."""
    p: list[Problem] = []
    days = set(net.days)
    dup = [d for d, c in Counter(net.days).items() if c > 1]
    if dup:
        p.append(Problem("network", "days", f"duplicate days {dup}"))

    def dups(kind: str, ids: list[str]) -> None:
        for i, c in Counter(ids).items():
            if c > 1:
                p.append(Problem(f"{kind} {i!r}", "id", f"duplicate id ({c} times)"))

    dups("node", [n.id for n in net.nodes])
    dups("ferry", [f.id for f in net.ferries])
    dups("carrier", [c.id for c in net.carriers])
    dups("vehicle", [v.id for v in net.vehicles])
    dups("island", [i.id for i in net.islands])
    dups("station", [s.node for s in net.stations])

    nodes = {n.id: n for n in net.nodes}
    carriers = {c.id for c in net.carriers}
    islands = {i.id for i in net.islands}

    for n in net.nodes:
        if net.geometry == "lonlat":
            if not -180 <= n.lon <= 180:
                p.append(Problem(f"node {n.id!r}", "lon", f"{n.lon} is outside -180..180"))
            if not -90 <= n.lat <= 90:
                p.append(Problem(f"node {n.id!r}", "lat", f"{n.lat} is outside -90..90"))
        if not (math.isfinite(n.lon) and math.isfinite(n.lat)):
            p.append(Problem(f"node {n.id!r}", "lon/lat", "not a finite number"))
        if islands and n.island not in islands:
            p.append(Problem(f"node {n.id!r}", "island", f"unknown island {n.island!r}"))
        if n.role is not None and n.kind != "hub":
            p.append(Problem(f"node {n.id!r}", "role", "only a hub has a role"))

    for i, r in enumerate(net.roads):
        for end in ("a", "b"):
            if getattr(r, end) not in nodes:
                p.append(
                    Problem(f"road #{i} ({r.a}-{r.b})", end, f"unknown node {getattr(r, end)!r}")
                )
        if r.a == r.b:
            p.append(Problem(f"road #{i} ({r.a}-{r.b})", "b", "a road must join two nodes"))

    for f in net.ferries:
        for attr, name in (("from_", "from"), ("to", "to")):
            nid = getattr(f, attr)
            if nid not in nodes:
                p.append(Problem(f"ferry {f.id!r}", name, f"unknown node {nid!r}"))
        if f.from_ == f.to:
            p.append(Problem(f"ferry {f.id!r}", "to", "a ferry must join two piers"))
        for day in f.departures:
            if day not in days:
                p.append(Problem(f"ferry {f.id!r}", "departures", f"unknown day {day!r}"))

    for s in net.stations:
        obj = f"station {s.node!r}"
        node = nodes.get(s.node)
        if node is None:
            p.append(Problem(obj, "node", f"unknown node {s.node!r}"))
        elif node.kind != "station":
            p.append(Problem(obj, "node", f"node {s.node!r} is a {node.kind}, not a station"))
        for c in list(s.demand) + list(s.pickup):
            if c not in carriers:
                p.append(Problem(obj, "demand", f"unknown carrier {c!r}"))
        if s.patterns is not None:
            if not s.patterns:
                p.append(Problem(obj, "patterns", "no allowed pattern"))
            for pat in s.patterns:
                bad = [d for d in pat if d not in days]
                if bad:
                    p.append(Problem(obj, "patterns", f"unknown days {bad}"))
                elif len(set(pat)) < s.min_visits:
                    p.append(
                        Problem(obj, "patterns", f"{list(pat)} has fewer than {s.min_visits} days")
                    )
        elif s.min_visits > len(net.service_days):
            p.append(
                Problem(
                    obj,
                    "min_visits",
                    f"{s.min_visits} visits but only {len(net.service_days)} service days",
                )
            )

    for v in net.vehicles:
        obj = f"vehicle {v.id!r}"
        if v.carrier is not None and v.carrier not in carriers:
            p.append(Problem(obj, "carrier", f"unknown carrier {v.carrier!r}"))
        dep = nodes.get(v.depot)
        if dep is None:
            p.append(Problem(obj, "depot", f"unknown node {v.depot!r}"))
        elif dep.kind not in ("depot", "hub"):
            p.append(Problem(obj, "depot", f"node {v.depot!r} is a {dep.kind}, not a depot or hub"))
        if v.days is not None:
            bad = [d for d in v.days if d not in days]
            if bad:
                p.append(Problem(obj, "days", f"unknown days {bad}"))

    if net.rules.service_days is not None:
        bad = [d for d in net.rules.service_days if d not in days]
        if bad:
            p.append(Problem("rules", "service_days", f"unknown days {bad}"))
    return p


def problems_from_validation_error(err: ValidationError, doc: dict[str, Any]) -> list[Problem]:
    """Turn pydantic's error locations into ``object 'id': field: message`` problems."""
    out = []
    for e in err.errors():
        loc = list(e["loc"])
        obj, field = "network", ".".join(str(x) for x in loc) or "document"
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            coll, idx = loc[0], loc[1]
            items = doc.get(coll) if isinstance(doc, dict) else None
            ident = None
            if isinstance(items, list) and idx < len(items) and isinstance(items[idx], dict):
                item = items[idx]
                ident = item.get("id", item.get("node"))
            singular = {
                "nodes": "node",
                "roads": "road",
                "ferries": "ferry",
                "carriers": "carrier",
                "stations": "station",
                "vehicles": "vehicle",
                "islands": "island",
            }.get(coll, coll)
            obj = f"{singular} {ident!r}" if ident is not None else f"{singular} #{idx}"
            field = ".".join(str(x) for x in loc[2:]) or "entry"
        msg = e["msg"]
        if "input" in e and not isinstance(e["input"], dict | list):
            msg += f" (got {e['input']!r})"
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        out.append(Problem(obj, field, msg))
    return out
