"""The archipelago as frozen, validated pydantic models: nodes, roads, ferries, carriers,
stations with weekly demand, vehicles, and the service rules of the week."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
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
NETWORK_FORMAT_1_1 = "islandroute.network/1.1"
NETWORK_FORMATS = (NETWORK_FORMAT, NETWORK_FORMAT_1_1)

# The documented range of every number a network may hold (README, "Input ranges"):
# times stay within two days, distances within a country, counts within a city's week.
MAX_MINUTE = 2 * MINUTES_PER_DAY  # a time of day or a duration, minutes
MAX_KM = 10_000.0  # one road link or leg
MAX_PARCELS = 1_000_000  # a week's parcels of one carrier at one station; a capacity
MAX_MONEY = 1_000_000.0  # a fare, a cost per km, hour or day
MAX_CO2_PER_KM = 100.0  # kg per km
MAX_PLANAR = 1e7  # a planar coordinate
MAX_DAYS = 366  # days in a horizon (and visits a station may ask)
MAX_RIDE_DEFAULT = 240  # minutes a cold parcel may ride (spec 1.1)
SERVICE_MINUTES_DEFAULT = 5.0  # minutes at each stop (spec 1.1)
MAX_SPEED_KMH = 1000.0  # a drone's cruising speed

NodeKind = Literal["hub", "depot", "port", "station", "junction", "park", "centre"]
STATION_KINDS = ("station", "park")  # nodes that send or receive a station's parcels
HubRole = Literal["processing_centre", "cross_border_centre", "county_complex"]
Geometry = Literal["lonlat", "planar"]
DeliverySplit = Literal["since_last_visit", "equal"]
VehicleKind = Literal["van", "drone"]
DRONE_FIELDS = ("range_km", "speed_kmh", "load_minutes", "flights_per_day", "weather_days")

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


def _number(lo: float, hi: float, *, gt: bool = False) -> Any:
    """A finite float in ``lo..hi`` (``lo`` excluded when ``gt``), never from a string."""
    if gt:
        return Field(gt=lo, le=hi, strict=True, allow_inf_nan=False)
    return Field(ge=lo, le=hi, strict=True, allow_inf_nan=False)


Minute = Annotated[int, BeforeValidator(parse_minute), Field(ge=0, le=MAX_MINUTE, strict=True)]
ClockMinute = Annotated[
    int, BeforeValidator(parse_minute), Field(ge=0, le=MINUTES_PER_DAY - 1, strict=True)
]
Count = Annotated[int, Field(ge=0, le=MAX_PARCELS, strict=True)]
Km = Annotated[float, _number(0, MAX_KM)]
Minutes = Annotated[float, _number(0, MAX_MINUTE)]
Money = Annotated[float, _number(0, MAX_MONEY)]
Coordinate = Annotated[float, _number(-MAX_PLANAR, MAX_PLANAR)]
Flag = Annotated[bool, Field(strict=True)]
Name = Annotated[str, Field(strict=True)]
Id = Annotated[str, Field(strict=True, min_length=1)]


class Frozen(BaseModel):
    """Base of every value object: immutable and validated; fields beyond the model's are
    kept as they came (the exchange format welcomes them) and written back."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)


class Island(Frozen):
    """An island: a centre point and, where known, a coarse outline ring of (lon, lat)."""

    id: Id
    name: Name = ""
    county: Name | None = None
    lon: Coordinate
    lat: Coordinate
    outline: tuple[tuple[Coordinate, Coordinate], ...] | None = None
    area_km2: Annotated[float, _number(0, 1e6)] | None = None
    population: Annotated[int, Field(ge=0, le=10**10, strict=True)] | None = None

    def geometry(self) -> Any:
        """The island as a shapely geometry: its outline polygon, else its centre point."""
        from shapely.geometry import Point, Polygon

        if self.outline and len(self.outline) >= 3:
            return Polygon(self.outline)
        return Point(self.lon, self.lat)


class Node(Frozen):
    """A place vehicles stop at: a hub, a depot, a pier (``port``), a station, an industrial
    park (``park``), a processing or cross-border centre (``centre``) or a junction."""

    id: Id
    kind: NodeKind
    island: Id
    lon: Coordinate
    lat: Coordinate
    name: Name = ""
    role: HubRole | None = None


class Road(Frozen):
    """An undirected road link (a bridge or tunnel if ``bridge``); km and minutes one way."""

    a: Id
    b: Id
    km: Km
    minutes: Minutes
    bridge: Flag = False


class Ferry(Frozen):
    """One direction of a ferry line: leaves only at its timetabled departures of each day."""

    id: Id
    from_: Id = Field(alias="from")
    to: Id
    minutes: Annotated[float, _number(0, MAX_MINUTE, gt=True)]
    vehicles: Flag
    departures: dict[str, tuple[ClockMinute, ...]] = Field(default_factory=dict)
    fare_vehicle: Money = 0.0
    fare_parcel: Money = 0.0
    name: Name = ""

    @field_validator("departures")
    @classmethod
    def _sorted(cls, v: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
        return {day: tuple(sorted(set(times))) for day, times in v.items()}


class Carrier(Frozen):
    """A parcel company (EMS, ZTO, ...)."""

    id: Id
    name: Name = ""


class Station(Frozen):
    """A village station (or a park): weekly parcels per carrier it receives (``demand``)
    and sends (``pickup``, handed in at ``pickup_to`` by ``pickup_by``), opening hours and
    visit rules. ``cold`` parcels ride refrigerated vehicles for at most ``max_ride``."""

    node: Id
    min_visits: int = Field(default=3, ge=1, le=MAX_DAYS, strict=True)
    open: tuple[ClockMinute, Minute] = (480, 1080)
    demand: dict[str, Count] = Field(default_factory=dict)
    pickup: dict[str, Count] = Field(default_factory=dict)
    pickup_to: Id | None = None
    pickup_by: Minute | None = None
    cold: Flag = False
    max_ride: Annotated[int, Field(ge=1, le=MAX_MINUTE, strict=True)] = MAX_RIDE_DEFAULT
    service_minutes: Annotated[float, _number(0, MINUTES_PER_DAY)] = SERVICE_MINUTES_DEFAULT
    patterns: tuple[tuple[str, ...], ...] | None = None
    exact_visits: Flag = False

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

    @property
    def hands_in_en_route(self) -> bool:
        """Whether its pickups need a hand-in of their own: at a named place, by a time or
        within a ride (else they ride to the collecting vehicle's depot at the route's end)."""
        return self.pickup_to is not None or self.pickup_by is not None or self.cold


class Vehicle(Frozen):
    """One vehicle of a carrier (or of a shared operator when ``carrier`` is None).

    A ``kind="drone"`` flies straight from its ``depot`` (its base) and back, at most
    ``capacity`` parcels (its payload) and ``range_km`` per flight, only on ``weather_days``.
    """

    id: Id
    carrier: Id | None
    depot: Id
    capacity: int = Field(gt=0, le=MAX_PARCELS, strict=True)
    shift: tuple[ClockMinute, Minute] = (420, 1140)
    cost_per_km: Money = 1.2
    cost_per_hour: Money = 40.0
    cost_fixed: Money = 150.0
    co2_per_km: Annotated[float, _number(0, MAX_CO2_PER_KM)] = 0.2
    electric: Flag = False
    refrigerated: Flag = False
    days: tuple[str, ...] | None = None
    kind: VehicleKind = "van"
    range_km: Annotated[float, _number(0, MAX_KM, gt=True)] | None = None
    speed_kmh: Annotated[float, _number(0, MAX_SPEED_KMH, gt=True)] | None = None
    load_minutes: Minutes | None = None
    flights_per_day: Annotated[int, Field(ge=1, le=MAX_PARCELS, strict=True)] | None = None
    weather_days: tuple[str, ...] | None = None
    cost_week: Money | None = None

    @property
    def is_drone(self) -> bool:
        return self.kind == "drone"

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
    min_visits: int = Field(default=3, ge=1, le=MAX_DAYS, strict=True)
    max_consecutive: int = Field(default=2, ge=1, le=MAX_DAYS, strict=True)
    split: DeliverySplit = "since_last_visit"
    hub_dispatch: ClockMinute = 360


class Network(Frozen):
    """A whole archipelago and its week of demand; built once, never mutated.

    Use :meth:`from_dict` / :meth:`from_json` to read the exchange document with
    errors that name the object and field at fault.
    """

    name: Name = "network"
    days: tuple[Id, ...] = Field(default=WEEK, min_length=1, max_length=MAX_DAYS)
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


def uses_version_1_1(net: Network) -> bool:
    """Whether the network uses a field of the exchange format's 1.1 additions."""
    plain = {"station", "hub", "depot", "port", "junction"}
    return (
        any(n.kind not in plain for n in net.nodes)
        or any(
            s.pickup
            or s.pickup_to is not None
            or s.pickup_by is not None
            or s.cold
            or s.max_ride != MAX_RIDE_DEFAULT
            or s.service_minutes != SERVICE_MINUTES_DEFAULT
            for s in net.stations
        )
        or any(v.refrigerated for v in net.vehicles)
        or any(net.node_by_id[v.depot].kind not in ("depot", "hub") for v in net.vehicles)
        or any(v.is_drone for v in net.vehicles)
    )


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
    nodes = {n.id: n for n in net.nodes}
    carriers = {c.id for c in net.carriers}
    days = set(net.days)
    return [
        *_duplicate_problems(net),
        *_node_problems(net),
        *_road_problems(net, nodes),
        *_ferry_problems(net, nodes, days),
        *(p for s in net.stations for p in _station_problems(net, s, nodes, carriers, days)),
        *_vehicle_problems(net, nodes, carriers, days),
        *_rules_problems(net, days),
    ]


def _duplicate_problems(net: Network) -> list[Problem]:
    """Days named twice, then ids used twice: nodes, ferries, carriers, vehicles,
    islands and stations (by node)."""
    p: list[Problem] = []
    dup = [d for d, c in Counter(net.days).items() if c > 1]
    if dup:
        p.append(Problem("network", "days", f"duplicate days {dup}"))
    for kind, ids in (
        ("node", [n.id for n in net.nodes]),
        ("ferry", [f.id for f in net.ferries]),
        ("carrier", [c.id for c in net.carriers]),
        ("vehicle", [v.id for v in net.vehicles]),
        ("island", [i.id for i in net.islands]),
        ("station", [s.node for s in net.stations]),
    ):
        for i, c in Counter(ids).items():
            if c > 1:
                p.append(Problem(f"{kind} {i!r}", "id", f"duplicate id ({c} times)"))
    return p


def _node_problems(net: Network) -> list[Problem]:
    """Nodes off the globe or not finite, on unknown islands, or with a role but no hub
    or centre."""
    p: list[Problem] = []
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
        if n.role is not None and n.kind not in ("hub", "centre"):
            p.append(Problem(f"node {n.id!r}", "role", "only a hub or a centre has a role"))
    return p


def _road_problems(net: Network, nodes: dict[str, Node]) -> list[Problem]:
    """Roads to unknown nodes or from a node to itself."""
    p: list[Problem] = []
    for i, r in enumerate(net.roads):
        for end in ("a", "b"):
            if getattr(r, end) not in nodes:
                p.append(
                    Problem(f"road #{i} ({r.a}-{r.b})", end, f"unknown node {getattr(r, end)!r}")
                )
        if r.a == r.b:
            p.append(Problem(f"road #{i} ({r.a}-{r.b})", "b", "a road must join two nodes"))
    return p


def _ferry_problems(net: Network, nodes: dict[str, Node], days: set[str]) -> list[Problem]:
    """Ferries to unknown piers or from a pier to itself, or sailing on unknown days."""
    p: list[Problem] = []
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
    return p


def _station_problems(
    net: Network, s: Station, nodes: dict[str, Node], carriers: set[str], days: set[str]
) -> list[Problem]:
    """A station on an unknown or non-station node, with unknown carriers or pickup
    node, or with visit patterns (or a visit count) its days cannot hold."""
    p: list[Problem] = []
    obj = f"station {s.node!r}"
    node = nodes.get(s.node)
    if node is None:
        p.append(Problem(obj, "node", f"unknown node {s.node!r}"))
    elif node.kind not in STATION_KINDS:
        p.append(Problem(obj, "node", f"node {s.node!r} is a {node.kind}, not a station"))
    if s.pickup_to is not None and s.pickup_to not in nodes:
        p.append(Problem(obj, "pickup_to", f"unknown node {s.pickup_to!r}"))
    for c in list(s.demand) + list(s.pickup):
        if c not in carriers:
            p.append(Problem(obj, "demand", f"unknown carrier {c!r}"))
    if s.patterns is not None:
        p += _pattern_problems(s, days)
    elif s.min_visits > len(net.service_days):
        p.append(
            Problem(
                obj,
                "min_visits",
                f"{s.min_visits} visits but only {len(net.service_days)} service days",
            )
        )
    return p


def _pattern_problems(s: Station, days: set[str]) -> list[Problem]:
    """A station's own visit patterns: at least one, on known days, each of
    ``min_visits`` days."""
    assert s.patterns is not None
    p: list[Problem] = []
    obj = f"station {s.node!r}"
    if not s.patterns:
        p.append(Problem(obj, "patterns", "no allowed pattern"))
    for pat in s.patterns:
        bad = [d for d in pat if d not in days]
        if bad:
            p.append(Problem(obj, "patterns", f"unknown days {bad}"))
        elif len(set(pat)) < s.min_visits:
            p.append(Problem(obj, "patterns", f"{list(pat)} has fewer than {s.min_visits} days"))
    return p


def _vehicle_problems(
    net: Network, nodes: dict[str, Node], carriers: set[str], days: set[str]
) -> list[Problem]:
    """Vehicles of unknown carriers, at unknown depots, or working on unknown days."""
    p: list[Problem] = []
    for v in net.vehicles:
        obj = f"vehicle {v.id!r}"
        if v.carrier is not None and v.carrier not in carriers:
            p.append(Problem(obj, "carrier", f"unknown carrier {v.carrier!r}"))
        if v.depot not in nodes:  # any node may be a depot: island vans wait at the pier
            p.append(Problem(obj, "depot", f"unknown node {v.depot!r}"))
        if v.days is not None:
            bad = [d for d in v.days if d not in days]
            if bad:
                p.append(Problem(obj, "days", f"unknown days {bad}"))
        p += _drone_problems(net, v, nodes, days)
    return p


def _drone_problems(
    net: Network, v: Vehicle, nodes: dict[str, Node], days: set[str]
) -> list[Problem]:
    """A drone without its range or speed, based on a station or flying on unknown days;
    a van with a drone's fields."""
    obj = f"vehicle {v.id!r}"
    if not v.is_drone:
        given = [f for f in DRONE_FIELDS if getattr(v, f) is not None]
        return [Problem(obj, f, 'only a drone (kind "drone") has this field') for f in given]
    p: list[Problem] = []
    for f in ("range_km", "speed_kmh"):
        if getattr(v, f) is None:
            p.append(Problem(obj, f, "a drone needs it (km out and back per flight; km/h)"))
    base = nodes.get(v.depot)
    if base is not None and base.kind in STATION_KINDS:
        p.append(Problem(obj, "depot", f"a drone's base {v.depot!r} must not be a station"))
    bad = [d for d in v.weather_days or () if d not in days]
    if bad:
        p.append(Problem(obj, "weather_days", f"unknown days {bad}"))
    return p


def _rules_problems(net: Network, days: set[str]) -> list[Problem]:
    """Service days in the rules that are not days of the horizon."""
    if net.rules.service_days is not None:
        bad = [d for d in net.rules.service_days if d not in days]
        if bad:
            return [Problem("rules", "service_days", f"unknown days {bad}")]
    return []


def short_repr(value: Any, limit: int = 40) -> str:
    """``repr`` of a faulty input, cut to ``limit`` characters (an integer of thousands of
    digits must not flood an error line)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_SINGULAR = {
    "nodes": "node",
    "roads": "road",
    "ferries": "ferry",
    "carriers": "carrier",
    "stations": "station",
    "vehicles": "vehicle",
    "islands": "island",
}


def located(doc: Any, loc: Sequence[str | int]) -> tuple[str, str]:
    """The object and field a document location names: ``("station 'n12'", "open.1")``
    for ``("stations", 4, "open", 1)``; ``("network", "days")`` for a top-level field."""
    loc = list(loc)
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        coll, idx = loc[0], loc[1]
        items = doc.get(coll) if isinstance(doc, dict) else None
        ident = None
        if isinstance(items, list) and idx < len(items) and isinstance(items[idx], dict):
            ident = items[idx].get("id", items[idx].get("node"))
        singular = _SINGULAR.get(coll, coll)
        name = short_repr(ident) if isinstance(ident, str) else f"#{idx}"
        return f"{singular} {name}", ".".join(str(x) for x in loc[2:]) or "entry"
    return "network", ".".join(str(x) for x in loc) or "document"


def problems_from_validation_error(err: ValidationError, doc: dict[str, Any]) -> list[Problem]:
    """Turn pydantic's error locations into ``object 'id': field: message`` problems."""
    out = []
    for e in err.errors():
        obj, field = located(doc, e["loc"])
        msg = e["msg"]
        if "input" in e and not isinstance(e["input"], dict | list):
            msg += f" (got {short_repr(e['input'])})"
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        out.append(Problem(obj, field, msg))
    return out
