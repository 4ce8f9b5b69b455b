"""Seeded synthetic archipelagos: a main island, bridged, vehicle-ferry and boat-only islands.

Real archipelago data is scarce and private; a generator gives tests, benchmarks and
notebooks networks of any size that look like one (1+1+N hubs, sparse island roads,
ferry timetables, several carriers with weekly demand) and are the same for a seed.

Example
-------
>>> from islandroute.datasets.synthetic import archipelago
>>> net = archipelago(n_stations=40, n_islands=5, n_carriers=2, seed=7)
>>> len(net.stations)
40

The spec-1.1 flows are off by default (an old seed gives the same network byte for byte):
``parks``, ``pickup_share``, ``cold_parks`` and ``deadlines`` add industrial parks that
send parcels, village pickups, the cold chain and hand-in cut-offs at the centres.

>>> net = archipelago(40, 5, 2, seed=7, parks=2, pickup_share=0.05, cold_parks=1, deadlines=True)
>>> sorted(s.node for s in net.stations if s.pickup_to)
['park1', 'park2']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra, minimum_spanning_tree
from scipy.spatial import Delaunay, QhullError, cKDTree

from islandroute.errors import NetworkError, Problem
from islandroute.model.network import (
    MAX_RIDE_DEFAULT,
    WEEK,
    Carrier,
    Ferry,
    Island,
    Network,
    Node,
    NodeKind,
    Road,
    Station,
    Vehicle,
)

__all__ = ["CARRIER_NAMES", "FLOW_OPTIONS", "Flows", "archipelago", "parse_flow_options"]

Access = Literal["main", "bridge", "vehicle_ferry", "boat_only"]

#: Carrier ids and names used in order; more carriers than these get ``c11``, ``c12``, ...
CARRIER_NAMES: tuple[tuple[str, str], ...] = (
    ("ems", "China Post EMS"),
    ("zto", "ZTO Express"),
    ("yto", "YTO Express"),
    ("sto", "STO Express"),
    ("yunda", "Yunda Express"),
    ("sf", "SF Express"),
    ("jd", "JD Logistics"),
    ("best", "Best Express"),
    ("deppon", "Deppon Express"),
    ("jt", "J&T Express"),
)

_KM_PER_DEG_LAT = 110.57
_EARTH_KM = 6371.0088
_ROAD_DETOUR = 1.3  # road km per great-circle km
_FERRY_KMH = 25.0
_FERRY_DOCK_MIN = 10.0
_FIRST_SAILING = 390  # 06:30
_LAST_SAILING = 1050  # 17:30
_SHIFT = (420, 1140)
_OPEN = (480, 1080)
_SERVICE_DAYS = 6  # mon..sat, the default service days of a week


@dataclass
class _Isle:
    """An island while it is being laid out, in local km around the sea-area centre."""

    idx: int
    access: Access
    x: float
    y: float
    r: float
    parent: int | None = None
    depth: int = 0  # bridges from the main island (0 for the main island itself)
    n_stations: int = 0
    nodes: list[int] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"i{self.idx}"


# tries to place an island, its gap to the parent growing every 40 (first 400 as always:
# old seeds keep their archipelagos; crowded ones, e.g. 80 islands, need more)
PLACEMENT_TRIES = 4_000


def archipelago(
    n_stations: int = 100,
    n_islands: int = 8,
    n_carriers: int = 3,
    *,
    share_bridge: float = 0.4,
    share_vehicle_ferry: float = 0.4,
    share_boat_only: float = 0.2,
    departures_per_day: int = 6,
    seed: int = 0,
    name: str | None = None,
    vehicles_per_carrier_depot: int | None = None,
    shared_vehicles: int = 2,
    min_visits: int = 3,
    demand_range: tuple[int, int] = (5, 60),
    coverage: float = 0.85,
    centre: tuple[float, float] = (122.0, 30.0),
    parks: int = 0,
    pickup_share: float = 0.0,
    cold_parks: int = 0,
    deadlines: bool = False,
) -> Network:
    """A synthetic archipelago with weekly demand and fleets, the same for the same ``seed``.

    Island 0 (``i0``) is the main island with the processing centre, the cross-border
    centre, the carriers' depots and the first county complex (one county complex per
    ~4 islands; the others go on the largest bridged islands). Every other island is
    reached from the road network of the main island (or of an island bridged to it)
    by a bridge, a vehicle ferry or a passenger boat only.

    Parameters
    ----------
    n_stations, n_islands, n_carriers
        Exact counts; every island gets at least one station, so
        ``n_stations >= n_islands``.
    share_bridge, share_vehicle_ferry, share_boat_only
        How the ``n_islands - 1`` outer islands are reached (normalised; every positive
        share gets at least one island when there are enough islands).
    departures_per_day
        Sailings each way each day on every ferry line, all seven days, spread from
        06:30 to 17:30 as a shuttle. A vehicle ferry whose timetable would not let a van
        from any main-island depot cross, work and return inside its shift gets one
        extra sailing each way that does.
    seed
        Seeds one ``numpy.random.Generator``; no global random state is touched.
    name
        Network name; default ``synthetic-<stations>s-<islands>i-<carriers>c-<seed>``.
    vehicles_per_carrier_depot
        Vans at each carrier's main-island depot; ``None`` sizes them from the carrier's
        daily stops and load (generously, so that ``separate`` mode is feasible).
    shared_vehicles
        Vans of a shared operator (``carrier=None``) at the processing centre.
    min_visits
        Visits per station per week (on the six service days Mon-Sat).
    demand_range
        Weekly parcels per carrier per served station, inclusive bounds.
    coverage
        Chance that a carrier serves a given station (each station has at least one
        carrier, each carrier at least one station).
    centre
        (lon, lat) of the sea area; the archipelago spans roughly one degree.
    parks
        Industrial parks (node kind ``park``, ``park1``...) on islands a road or vehicle
        ferry reaches: each sends parcels of one to three carriers (``pickup``, no
        demand), collected every service day (``min_visits`` 6) in factory hours; a
        day's pickups fill at most 80% of any van of its carriers, and each carrier gets
        one more van per park it collects from.
    pickup_share
        Village pickups: each station sends about this share (0..1, drawn per station
        between half and one and a half times it) of each carrier's weekly deliveries,
        handed in at the collecting vehicle's depot; capacities grow by the share.
    cold_parks
        How many of the parks send cold parcels (``cold``, ``max_ride`` at least 240 and
        at least the ride to the hand-in); each of their carriers gets a refrigerated van
        per cold park at its main depot, so separate and joint mode can collect them.
    deadlines
        Parks hand their parcels in at the processing or the cross-border centre (two
        ``centre`` nodes, ``ctr-pc`` and ``ctr-cb``, beside those hubs; their roles are
        in ``provenance["centres"]``, as the model lets only a hub carry a role) by a
        ``pickup_by`` cut-off that each of the park's carriers' depots can meet from its
        shift start on every service day, and still be home by the shift's end.

    Every vehicle can carry the whole per-visit demand (weekly of all carriers divided
    by ``min_visits``, rounded up) of every station it can reach. Each carrier with
    demand on a boat-only island has small vehicles of its own based on that island.
    The flows draw from their own random streams of ``seed``: turning them on adds to
    the archipelago (and, for pickups, raises capacities) but moves nothing.
    """
    _check(n_stations, n_islands, n_carriers, departures_per_day, min_visits, demand_range)
    flows = Flows(parks, pickup_share, cold_parks, deadlines)
    flows.check()
    rng = np.random.default_rng(seed)
    shares = (share_bridge, share_vehicle_ferry, share_boat_only)
    _check_shares_and_fleet(n_islands, shares, vehicles_per_carrier_depot, shared_vehicles)

    isles = _place_islands(n_islands, n_stations, shares, rng)
    _allocate_stations(isles, n_stations, rng)
    b = _Builder(isles, centre)
    cc_isles = _add_hubs(b, isles, n_islands, rng)
    carriers = _carriers(n_carriers)
    for c in carriers:
        b.node(
            f"dep-{c.id}", "depot", isles[0], b.disc_point(isles[0], 0.5, rng), f"{c.name} depot"
        )
    links = _add_links(b, isles)
    station_ids = _add_stations(b, isles, n_stations, rng)
    roads = _roads(b, links, rng)
    stations, served = _stations(station_ids, carriers, min_visits, demand_range, coverage, rng)
    ferries = _ferries(b, links, roads, carriers, departures_per_day, rng)
    vehicles = _fleets(
        isles,
        carriers,
        stations,
        served,
        b,
        min_visits,
        vehicles_per_carrier_depot,
        shared_vehicles,
        rng,
    )
    islands = _islands(isles, b, cc_isles, rng)
    more = _with_flows(flows, seed, b, isles, carriers, roads, ferries, stations, vehicles)

    params: dict[str, Any] = {
        "n_stations": n_stations,
        "n_islands": n_islands,
        "n_carriers": n_carriers,
        "share_bridge": share_bridge,
        "share_vehicle_ferry": share_vehicle_ferry,
        "share_boat_only": share_boat_only,
        "departures_per_day": departures_per_day,
        "vehicles_per_carrier_depot": vehicles_per_carrier_depot,
        "shared_vehicles": shared_vehicles,
        "min_visits": min_visits,
        "demand_range": list(demand_range),
        "coverage": coverage,
        "centre": list(centre),
        **flows.params(),
    }
    return Network(
        name=name or f"synthetic-{n_stations}s-{n_islands}i-{n_carriers}c-{seed}{flows.tag()}",
        days=WEEK,
        nodes=tuple(b.nodes()),
        roads=tuple(more.roads),
        ferries=tuple(ferries),
        carriers=tuple(carriers),
        stations=tuple(more.stations),
        vehicles=tuple(more.vehicles),
        islands=tuple(islands),
        provenance={
            "generator": "islandroute.datasets.synthetic.archipelago",
            "seed": seed,
            "params": params,
            "access": {i.id: i.access for i in isles},
            **more.provenance,
        },
    )


# ---- layout ----------------------------------------------------------------------------


def _check(
    n_stations: int, n_islands: int, n_carriers: int, dpd: int, mv: int, dr: tuple[int, int]
) -> None:
    """Refuse parameters no archipelago can satisfy, naming the parameter."""
    if n_islands < 1:
        raise ValueError(f"n_islands must be >= 1, got {n_islands}")
    if n_stations < n_islands:
        raise ValueError(f"n_stations ({n_stations}) must be >= n_islands ({n_islands})")
    if n_carriers < 1:
        raise ValueError(f"n_carriers must be >= 1, got {n_carriers}")
    if dpd < 1:
        raise ValueError(f"departures_per_day must be >= 1, got {dpd}")
    if not 1 <= mv <= _SERVICE_DAYS:
        raise ValueError(f"min_visits must be in 1..{_SERVICE_DAYS}, got {mv}")
    if not 0 <= dr[0] <= dr[1] or dr[1] < 1:
        raise ValueError(f"demand_range must be (lo, hi) with 0 <= lo <= hi, hi >= 1, got {dr}")


def _check_shares_and_fleet(
    n_islands: int,
    shares: tuple[float, float, float],
    per_depot: int | None,
    shared_vehicles: int,
) -> None:
    """Refuse access shares and fleet sizes that make no archipelago, naming the parameter."""
    if min(shares) < 0 or (n_islands > 1 and sum(shares) <= 0):
        raise ValueError("island access shares must be >= 0 and not all 0")
    if per_depot is not None and per_depot < 1:
        raise ValueError(f"vehicles_per_carrier_depot must be >= 1, got {per_depot}")
    if shared_vehicles < 0:
        raise ValueError(f"shared_vehicles must be >= 0, got {shared_vehicles}")


def _access_counts(m: int, shares: tuple[float, float, float]) -> list[int]:
    """Islands per access kind by largest remainder; each positive share gets one if it can."""
    total = sum(shares)
    if m == 0:
        return [0, 0, 0]
    raw = [m * s / total for s in shares]
    counts = [math.floor(x) for x in raw]
    for k in sorted(range(3), key=lambda k: (-(raw[k] - counts[k]), k))[: m - sum(counts)]:
        counts[k] += 1
    for k in range(3):
        if shares[k] > 0 and counts[k] == 0:
            donor = max(range(3), key=lambda j: counts[j])
            if counts[donor] > 1:
                counts[donor] -= 1
                counts[k] += 1
    return counts


def _place_islands(
    n_islands: int, n_stations: int, shares: tuple[float, float, float], rng: np.random.Generator
) -> list[_Isle]:
    """Lay islands out without overlap: bridged ones first, then the ferry and boat islands.

    Bridges attach to the main island or an island at most two bridges from it, ferries to
    one at most one bridge from it, so a van's drive to any pier stays short.
    """
    main_r = float(rng.uniform(9.0, 13.0)) * (1 + 0.15 * math.log10(max(n_stations, 100) / 100))
    isles = [_Isle(0, "main", 0.0, 0.0, main_r)]
    n_b, n_v, n_o = _access_counts(n_islands - 1, shares)
    counts: dict[Access, int] = {"bridge": n_b, "vehicle_ferry": n_v, "boat_only": n_o}
    kinds: list[Access] = [k for k, n in counts.items() for _ in range(n)]
    gaps = {"bridge": (0.8, 3.0), "vehicle_ferry": (4.0, 14.0), "boat_only": (4.0, 18.0)}
    max_depth = {"bridge": 2, "vehicle_ferry": 1, "boat_only": 1}
    for kind in kinds:
        r = float(rng.uniform(2.5, 6.0) if kind == "bridge" else rng.uniform(1.5, 5.0))
        parents = [
            i for i in isles if i.access in ("main", "bridge") and i.depth <= max_depth[kind]
        ]
        weights = np.array([p.r**2 / (1 + p.depth) for p in parents])
        lo, hi = gaps[kind]
        placed = None
        for attempt in range(PLACEMENT_TRIES):
            p = parents[int(rng.choice(len(parents), p=weights / weights.sum()))]
            grow = 1.5 * (attempt // 40)
            gap = float(rng.uniform(lo, hi)) + grow
            ang = float(rng.uniform(0, 2 * math.pi))
            d = p.r + r + gap
            x, y = p.x + d * math.cos(ang), p.y + d * math.sin(ang)
            if all(math.hypot(x - o.x, y - o.y) >= o.r + r + 1.0 for o in isles):
                placed = (p, x, y)
                break
        if placed is None:  # pragma: no cover - gaps grow by 150 km over the tries: it fits
            raise RuntimeError("could not place an island")
        p, x, y = placed
        depth = p.depth + 1 if kind == "bridge" else p.depth
        isles.append(_Isle(len(isles), kind, x, y, r, parent=p.idx, depth=depth))
    return isles


def _allocate_stations(isles: list[_Isle], n_stations: int, rng: np.random.Generator) -> None:
    """One station per island, the rest by area (the main island weighs half again more)."""
    w = np.array([i.r**2 * (1.5 if i.idx == 0 else 1.0) for i in isles])
    extra = rng.multinomial(n_stations - len(isles), w / w.sum())
    for isle, e in zip(isles, extra, strict=True):
        isle.n_stations = 1 + int(e)


def _county(isle: _Isle, cc_isles: list[_Isle]) -> int:
    """Index of the county complex whose island is nearest (ties to the first)."""
    d = [math.hypot(isle.x - c.x, isle.y - c.y) for c in cc_isles]
    return int(np.argmin(d))


def _outline(isle: _Isle, b: _Builder, rng: np.random.Generator) -> tuple[tuple[float, float], ...]:
    """A coarse closed ring around the island, never inside the area nodes are put in."""
    k = 16
    ang = np.linspace(0, 2 * math.pi, k, endpoint=False)
    rad = isle.r * rng.uniform(0.97, 1.15, k)
    ring = [
        (round(b.lon(isle.x + q * math.cos(a)), 5), round(b.lat(isle.y + q * math.sin(a)), 5))
        for a, q in zip(ang, rad, strict=True)
    ]
    return (*ring, ring[0])


def _timetable(n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A shuttle: 2n sailings evenly from 06:30 to 17:30, alternately out and back."""
    slots = np.linspace(_FIRST_SAILING, _LAST_SAILING, 2 * n)
    t = [int(round(s / 5) * 5) for s in slots]
    return tuple(t[0::2]), tuple(t[1::2])


def _ensure_round_trip(
    out: tuple[int, ...], back: tuple[int, ...], cross: int, d_main: float, on_island: float
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Add a sailing each way if no van can cross, work ``on_island`` and return in shift."""
    start, end = _SHIFT

    def ok(o_times: tuple[int, ...], b_times: tuple[int, ...]) -> bool:
        return any(
            o >= start + d_main and b >= o + cross + on_island and b + cross + d_main <= end
            for o in o_times
            for b in b_times
        )

    if ok(out, back):
        return out, back
    o = int(math.ceil((start + d_main) / 5) * 5)
    bk = int(math.floor((end - cross - d_main) / 5) * 5)  # the latest that still gets home
    return tuple(sorted({*out, min(o, 1439)})), tuple(sorted({*back, max(0, min(bk, 1439))}))


# ---- the archipelago's parts, in the order they are drawn -------------------------------

# (parent island, child island, parent's end node, child's end node) of a bridge or ferry
_Link = tuple[_Isle, _Isle, str, str]


def _add_hubs(
    b: _Builder, isles: list[_Isle], n_islands: int, rng: np.random.Generator
) -> list[_Isle]:
    """Put the processing, cross-border and county-complex hubs; returns the complexes' islands.

    One county complex per ~4 islands: the first on the main island, the others on the
    largest bridged islands (the main island again when none is bridged).
    """
    main = isles[0]
    b.node(
        "hub-pc",
        "hub",
        main,
        b.disc_point(main, 0.25, rng),
        "Processing centre",
        "processing_centre",
    )
    b.node(
        "hub-cb",
        "hub",
        main,
        b.disc_point(main, 0.6, rng),
        "Cross-border centre",
        "cross_border_centre",
    )
    n_cc = max(1, math.ceil(n_islands / 4))
    bridged = sorted((i for i in isles if i.access == "bridge"), key=lambda i: -i.r)
    cc_isles = [main] + [bridged[k % len(bridged)] if bridged else main for k in range(n_cc - 1)]
    for k, isle in enumerate(cc_isles):
        b.node(
            f"hub-cc{k + 1}",
            "hub",
            isle,
            b.disc_point(isle, 0.5, rng),
            f"County complex {k + 1}",
            "county_complex",
        )
    return cc_isles


def _carriers(n_carriers: int) -> list[Carrier]:
    """The first ``n_carriers`` of :data:`CARRIER_NAMES`, then ``c11``, ``c12``, ..."""
    return [
        Carrier(id=cid, name=cname)
        for cid, cname in (
            CARRIER_NAMES[k] if k < len(CARRIER_NAMES) else (f"c{k + 1}", f"Carrier {k + 1}")
            for k in range(n_carriers)
        )
    ]


def _add_links(b: _Builder, isles: list[_Isle]) -> list[_Link]:
    """Both ends of each outer island's bridge or ferry (facing each other across the gap),
    and the depot of each boat-only island; no random draws."""
    links: list[_Link] = []
    for isle in isles[1:]:
        parent = isles[isle.parent or 0]
        ux, uy = (isle.x - parent.x, isle.y - parent.y)
        norm = math.hypot(ux, uy)
        ux, uy = ux / norm, uy / norm
        kind: NodeKind = "junction" if isle.access == "bridge" else "port"
        tag = "bj" if kind == "junction" else "pier"
        pe = b.node(
            f"{tag}-{isle.id}-a",
            kind,
            parent,
            (parent.x + 0.92 * parent.r * ux, parent.y + 0.92 * parent.r * uy),
            f"{tag} to {isle.id}",
        )
        ce = b.node(
            f"{tag}-{isle.id}-b",
            kind,
            isle,
            (isle.x - 0.92 * isle.r * ux, isle.y - 0.92 * isle.r * uy),
            f"{tag} to {parent.id}",
        )
        links.append((parent, isle, pe, ce))
        if isle.access == "boat_only":
            b.node(
                f"dep-{isle.id}",
                "depot",
                isle,
                (isle.x - 0.7 * isle.r * ux, isle.y - 0.7 * isle.r * uy),
                f"{isle.id} depot",
            )
    return links


def _add_stations(
    b: _Builder, isles: list[_Isle], n_stations: int, rng: np.random.Generator
) -> list[str]:
    """Each island's stations at random points, numbered ``s001``... across the islands."""
    width = len(str(n_stations))
    station_ids: list[str] = []
    for isle in isles:
        for _ in range(isle.n_stations):
            sid = f"s{len(station_ids) + 1:0{width}d}"
            b.node(sid, "station", isle, b.disc_point(isle, 0.85, rng), "")
            station_ids.append(sid)
    return station_ids


def _roads(b: _Builder, links: list[_Link], rng: np.random.Generator) -> list[Road]:
    """A sparse connected road graph per island, then a road over each bridge."""
    roads = b.island_roads(rng)
    for _parent, isle, pe, ce in links:
        if isle.access == "bridge":
            km = b.km(pe, ce) * 1.05
            roads.append(_road(pe, ce, km, km / rng.uniform(50, 60) * 60, bridge=True))
    return roads


def _ferries(
    b: _Builder,
    links: list[_Link],
    roads: list[Road],
    carriers: list[Carrier],
    departures_per_day: int,
    rng: np.random.Generator,
) -> list[Ferry]:
    """An out and a back line for each island not bridged, in the order of the links."""
    depots_main = ["hub-pc"] + [f"dep-{c.id}" for c in carriers]
    drive = b.drive_minutes(roads, depots_main + [ce for *_, ce in links])
    ferries: list[Ferry] = []
    for link in links:
        if link[1].access != "bridge":
            ferries += _ferry_lines(b, link, drive, depots_main, departures_per_day, rng)
    return ferries


def _ferry_lines(
    b: _Builder,
    link: _Link,
    drive: dict[str, np.ndarray],
    depots_main: list[str],
    departures_per_day: int,
    rng: np.random.Generator,
) -> list[Ferry]:
    """The out and back lines of one island: a vehicle ferry (a van can make a round trip
    in its shift) or a passenger boat, with its fare drawn."""
    parent, isle, pe, ce = link
    cross = round(b.km(pe, ce, detour=1.0) / _FERRY_KMH * 60 + _FERRY_DOCK_MIN)
    out, back = _timetable(departures_per_day)
    by_car = isle.access == "vehicle_ferry"
    if by_car:
        d_main = max(drive[d][b.index[pe]] for d in depots_main)
        d_isle = max(drive[ce][k] for k in isle.nodes)
        out, back = _ensure_round_trip(out, back, cross, d_main, 2 * d_isle + 30)
    fare_v = round(float(rng.uniform(60, 200)), 0) if by_car else 0.0
    fare_p = round(float(rng.uniform(0.3, 1.5)), 2) if not by_car else 0.0
    return [
        Ferry(
            id=fid,
            **{"from": a},
            to=z,
            minutes=float(cross),
            vehicles=by_car,
            departures={d: times for d in WEEK},
            fare_vehicle=fare_v,
            fare_parcel=fare_p,
            name=f"{'Vehicle ferry' if by_car else 'Boat'} {parent.id}-{isle.id}",
        )
        for fid, a, z, times in (
            (f"f-{isle.id}-out", pe, ce, out),
            (f"f-{isle.id}-back", ce, pe, back),
        )
    ]


def _islands(
    isles: list[_Isle], b: _Builder, cc_isles: list[_Isle], rng: np.random.Generator
) -> list[Island]:
    """The written islands: name, county (nearest complex), centre, outline and area."""
    return [
        Island(
            id=i.id,
            name="Main island" if i.idx == 0 else f"Isle {i.idx}",
            county=f"county-{_county(i, cc_isles) + 1}",
            lon=round(b.lon(i.x), 6),
            lat=round(b.lat(i.y), 6),
            outline=_outline(i, b, rng),
            area_km2=round(math.pi * i.r * i.r, 2),
        )
        for i in isles
    ]


# ---- nodes and roads --------------------------------------------------------------------


def _road(a: str, b: str, km: float, minutes: float, *, bridge: bool = False) -> Road:
    return Road(a=a, b=b, km=round(km, 3), minutes=round(minutes, 2), bridge=bridge)


class _Builder:
    """Collects nodes in local km, converts to lon/lat and builds roads per island."""

    def __init__(self, isles: list[_Isle], centre: tuple[float, float]) -> None:
        self.isles = isles
        self.lon0, self.lat0 = centre
        self.km_per_deg_lon = 111.32 * math.cos(math.radians(self.lat0))
        self.ids: list[str] = []
        self.rows: list[tuple[NodeKind, Any, int, str]] = []  # kind, role, island, name
        self.xy: list[tuple[float, float]] = []
        self.index: dict[str, int] = {}
        self._ll: np.ndarray | None = None

    def lon(self, x: float) -> float:
        return self.lon0 + x / self.km_per_deg_lon

    def lat(self, y: float) -> float:
        return self.lat0 + y / _KM_PER_DEG_LAT

    @staticmethod
    def disc_point(isle: _Isle, frac: float, rng: np.random.Generator) -> tuple[float, float]:
        """A uniform point in the disc of radius ``frac * r`` around the island centre."""
        q = isle.r * frac * math.sqrt(float(rng.random()))
        a = float(rng.uniform(0, 2 * math.pi))
        return isle.x + q * math.cos(a), isle.y + q * math.sin(a)

    def isle(self, nid: str) -> _Isle:
        """The island a node is on."""
        return self.isles[self.rows[self.index[nid]][2]]

    def node(
        self,
        nid: str,
        kind: NodeKind,
        isle: _Isle,
        xy: tuple[float, float],
        name: str,
        role: str | None = None,
    ) -> str:
        self.index[nid] = len(self.ids)
        isle.nodes.append(len(self.ids))
        self.ids.append(nid)
        self.rows.append((kind, role, isle.idx, name))
        self.xy.append(xy)
        return nid

    @property
    def lonlat(self) -> np.ndarray:
        """(n, 2) lon/lat of every node, rounded as written."""
        if self._ll is None or len(self._ll) != len(self.ids):
            xy = np.asarray(self.xy)
            lon = self.lon0 + xy[:, 0] / self.km_per_deg_lon
            lat = self.lat0 + xy[:, 1] / _KM_PER_DEG_LAT
            self._ll = np.round(np.column_stack([lon, lat]), 6)
        return self._ll

    def nodes(self) -> list[Node]:
        ll = self.lonlat
        return [
            Node(
                id=nid,
                kind=kind,
                island=self.isles[isl].id,
                lon=float(ll[k, 0]),
                lat=float(ll[k, 1]),
                name=name,
                role=role,
            )
            for k, (nid, (kind, role, isl, name)) in enumerate(
                zip(self.ids, self.rows, strict=True)
            )
        ]

    def km(self, a: str, b: str, *, detour: float = 1.0) -> float:
        """Great-circle km between two nodes, times ``detour``."""
        ll = self.lonlat
        ia, ib = self.index[a], self.index[b]
        return float(_haversine(ll[ia], ll[ib])) * detour

    def island_roads(self, rng: np.random.Generator) -> list[Road]:
        """A sparse connected road graph on each island (MST of Delaunay + kNN, plus extras)."""
        ll = self.lonlat
        xy = np.asarray(self.xy)
        roads: list[Road] = []
        for isle in self.isles:
            idx = np.asarray(isle.nodes)
            edges = _sparse_connected_edges(xy[idx], rng)
            if not len(edges):
                continue
            a, b = idx[edges[:, 0]], idx[edges[:, 1]]
            km = _haversine(ll[a], ll[b]) * _ROAD_DETOUR
            kmh = rng.uniform(35.0, 45.0, len(a))
            minutes = km / kmh * 60.0
            roads.extend(
                _road(self.ids[i], self.ids[j], float(k), float(m))
                for i, j, k, m in zip(a, b, km, minutes, strict=True)
            )
        return roads

    def drive_minutes(self, roads: list[Road], sources: list[str]) -> dict[str, np.ndarray]:
        """Shortest road minutes from each source to every node (inf where unreachable)."""
        n = len(self.ids)
        i = np.array([self.index[r.a] for r in roads], dtype=np.int64)
        j = np.array([self.index[r.b] for r in roads], dtype=np.int64)
        w = np.array([r.minutes for r in roads]) + 1e-6
        g = coo_matrix((w, (i, j)), shape=(n, n)).tocsr()
        src = [self.index[s] for s in sources]
        dist = dijkstra(g, directed=False, indices=src)
        return {s: dist[k] for k, s in enumerate(sources)}


def _haversine(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Great-circle km between (..., 2) lon/lat arrays."""
    lon1, lat1 = np.radians(p[..., 0]), np.radians(p[..., 1])
    lon2, lat2 = np.radians(q[..., 0]), np.radians(q[..., 1])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _sparse_connected_edges(xy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Edges (local index pairs) of a sparse connected graph on the points.

    The minimum spanning tree of the Delaunay and 4-nearest-neighbour edges keeps the
    graph connected; a third of the other short candidate edges adds realistic loops.
    """
    n = len(xy)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    parts = []
    if n >= 3:
        try:
            s = Delaunay(xy).simplices
            parts.append(np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]]))
        except QhullError:
            pass
    k = min(4, n - 1)
    _, nb = cKDTree(xy).query(xy, k=k + 1)
    parts.append(np.column_stack([np.repeat(np.arange(n), k), nb[:, 1:].ravel()]))
    cand = np.sort(np.vstack(parts), axis=1)
    cand = np.unique(cand[cand[:, 0] != cand[:, 1]], axis=0)
    w = np.linalg.norm(xy[cand[:, 0]] - xy[cand[:, 1]], axis=1) + 1e-9
    g = coo_matrix((w, (cand[:, 0], cand[:, 1])), shape=(n, n)).tocsr()
    t = minimum_spanning_tree(g).tocoo()
    tree = np.sort(np.column_stack([t.row, t.col]), axis=1)
    ncomp, labels = connected_components(t, directed=False)
    joins = []
    for c in range(1, ncomp):  # only when the candidates were degenerate
        inside, outside = np.flatnonzero(labels == c), np.flatnonzero(labels < c)
        d = np.linalg.norm(xy[inside][:, None] - xy[outside][None], axis=2)
        u, v = np.unravel_index(np.argmin(d), d.shape)
        joins.append(sorted((int(inside[u]), int(outside[v]))))
    in_tree = {(int(a), int(b)) for a, b in tree}
    rest = np.array(
        [k for k, (a, b) in enumerate(cand) if (int(a), int(b)) not in in_tree], dtype=np.int64
    )
    extra = np.empty((0, 2), dtype=np.int64)
    if len(rest):
        short = w[rest] <= 1.5 * np.median(w[rest])
        pick = rest[short & (rng.random(len(rest)) < 0.35)]
        extra = cand[pick]
    out = [tree.astype(np.int64), extra]
    if joins:
        out.append(np.asarray(joins, dtype=np.int64))
    return np.vstack(out)


# ---- demand and fleets ------------------------------------------------------------------


def _stations(
    station_ids: list[str],
    carriers: list[Carrier],
    min_visits: int,
    demand_range: tuple[int, int],
    coverage: float,
    rng: np.random.Generator,
) -> tuple[list[Station], np.ndarray]:
    """Stations with weekly demand; ``served[s, c]`` says carrier ``c`` delivers to ``s``."""
    n, m = len(station_ids), len(carriers)
    served = rng.random((n, m)) < coverage
    lonely = ~served.any(axis=1)
    served[lonely, rng.integers(0, m, int(lonely.sum()))] = True
    for c in range(m):  # every carrier has somewhere to go
        if not served[:, c].any():
            served[int(rng.integers(0, n)), c] = True
    lo, hi = demand_range
    size = rng.uniform(0.6, 1.4, n)[:, None]
    raw = rng.integers(lo, hi + 1, (n, m)) * size
    qty = np.clip(np.rint(raw), max(lo, 1), hi).astype(int)
    service = rng.choice([4.0, 5.0, 5.0, 6.0], n)
    stations = [
        Station(
            node=sid,
            min_visits=min_visits,
            open=_OPEN,
            service_minutes=float(service[k]),
            demand={c.id: int(qty[k, j]) for j, c in enumerate(carriers) if served[k, j]},
        )
        for k, sid in enumerate(station_ids)
    ]
    return stations, served


def _per_visit(st: Station) -> int:
    return -(-st.parcels // st.min_visits)


@dataclass(frozen=True)
class _Sizing:
    """What fleet sizing reads of the stations, worked out once for every carrier."""

    isle_of: np.ndarray  # island index of each station
    access: np.ndarray  # how each station's island is reached
    by_van: np.ndarray  # reached from the main island by road or vehicle ferry
    per_visit: np.ndarray  # parcels of a whole visit to each station
    need_van: int  # the largest visit a main-depot van must be able to carry
    daily: float  # visits a day per station, with a busy-day margin

    @classmethod
    def of(
        cls, isles: list[_Isle], stations: list[Station], b: _Builder, min_visits: int
    ) -> _Sizing:
        """The sizing facts of ``stations`` laid out by ``b`` on ``isles``."""
        isle_of = np.array([b.rows[b.index[s.node]][2] for s in stations])
        access = np.array([isles[i].access for i in isle_of])
        by_van = access != "boat_only"
        pv = np.array([_per_visit(s) for s in stations])
        need_van = int(pv[by_van].max()) if by_van.any() else 1
        daily = min_visits / _SERVICE_DAYS * 1.25
        return cls(isle_of, access, by_van, pv, need_van, daily)


def _fleets(
    isles: list[_Isle],
    carriers: list[Carrier],
    stations: list[Station],
    served: np.ndarray,
    b: _Builder,
    min_visits: int,
    per_depot: int | None,
    n_shared: int,
    rng: np.random.Generator,
) -> list[Vehicle]:
    """Vans at each carrier's main depot, small vehicles on boat-only islands, shared vans.

    Vans per carrier cover its busiest day: stops at ~16 a van on the road network and ~12
    a van per vehicle-ferry island (ferry time eats the day), or its load at 85% of the
    van's capacity, whichever needs more. Capacities are raised, never lowered, so that
    every vehicle can carry a whole visit to any station it can reach.
    """
    z = _Sizing.of(isles, stations, b, min_visits)
    vehicles: list[Vehicle] = []
    for j, c in enumerate(carriers):
        vehicles += _depot_vans(isles, c, stations, served[:, j], z, per_depot, rng)
        vehicles += _island_vehicles(isles, c, stations, served[:, j], z, rng)
    for k in range(n_shared):
        cap = max(int(rng.integers(6, 11)) * 50, z.need_van)
        vehicles.append(_vehicle(f"shared-{k + 1}", None, "hub-pc", cap, "van", rng))
    return vehicles


def _depot_vans(
    isles: list[_Isle],
    c: Carrier,
    stations: list[Station],
    mine: np.ndarray,
    z: _Sizing,
    per_depot: int | None,
    rng: np.random.Generator,
) -> list[Vehicle]:
    """Carrier ``c``'s vans at its main-island depot, for the stations ``mine`` marks:
    enough for its busiest day's stops and load, or ``per_depot`` when given."""
    road = mine & np.isin(z.access, ["main", "bridge"])
    n_road = int(road.sum())
    vans = math.ceil(n_road * z.daily / 16) if n_road else 0
    for isle in isles:
        if isle.access == "vehicle_ferry":
            k = int((mine & (z.isle_of == isle.idx)).sum())
            vans += math.ceil(k * z.daily / 12) if k else 0
    cap = max(int(rng.integers(4, 11)) * 50, z.need_van)
    load = sum(s.demand.get(c.id, 0) for s, v in zip(stations, z.by_van, strict=True) if v)
    vans = max(vans, math.ceil(load / _SERVICE_DAYS * 1.25 / (0.85 * cap)), 1)
    if per_depot is not None:
        vans = per_depot
    return [
        _vehicle(f"{c.id}-van{k + 1}", c.id, f"dep-{c.id}", cap, "van", rng) for k in range(vans)
    ]


def _island_vehicles(
    isles: list[_Isle],
    c: Carrier,
    stations: list[Station],
    mine: np.ndarray,
    z: _Sizing,
    rng: np.random.Generator,
) -> list[Vehicle]:
    """Carrier ``c``'s small vehicles based on each boat-only island it serves, sized
    like its vans (stops and load) but able to carry any visit on that island."""
    vehicles: list[Vehicle] = []
    for isle in isles:
        if isle.access != "boat_only":
            continue
        here = mine & (z.isle_of == isle.idx)
        k = int(here.sum())
        if not k:
            continue
        on_isle = z.isle_of == isle.idx
        cap_s = max(int(rng.integers(10, 16)) * 10, int(z.per_visit[on_isle].max()))
        load = sum(stations[i].demand[c.id] for i in np.flatnonzero(here))
        n_small = max(math.ceil(k * z.daily / 16), math.ceil(load / 6 * 1.25 / (0.85 * cap_s)), 1)
        for q in range(n_small):
            vid = f"{c.id}-{isle.id}-{q + 1}"
            vehicles.append(_vehicle(vid, c.id, f"dep-{isle.id}", cap_s, "small", rng))
    return vehicles


def _vehicle(
    vid: str, carrier: str | None, depot: str, cap: int, kind: str, rng: np.random.Generator
) -> Vehicle:
    """One vehicle with drawn costs: a ``van`` is electric three times in ten, a ``small``
    one never (its electric draw is still made, so the draw order stays fixed)."""
    electric = bool(rng.random() < 0.3) and kind == "van"
    per_km = rng.uniform(0.6, 0.8) if electric else rng.uniform(1.0, 1.5)
    fixed = rng.uniform(120, 200) if kind == "van" else rng.uniform(60, 100)
    return Vehicle(
        id=vid,
        carrier=carrier,
        depot=depot,
        capacity=int(cap),
        shift=_SHIFT,
        cost_per_km=round(float(per_km), 2),
        cost_per_hour=round(float(rng.uniform(35, 50)), 1),
        cost_fixed=round(float(fixed), 0),
        co2_per_km=round(float(0.05 if electric else rng.uniform(0.18, 0.26)), 3),
        electric=electric,
    )


# ---- spec-1.1 flows: pickups, parks, centres, deadlines, cold chain ----------------------

MAX_PARKS = 100
MAX_PICKUP_SHARE = 1.0

#: The ``centre`` nodes ``deadlines`` adds: (id, hub it stands beside, role, name). The
#: model lets only a hub carry a ``role``, so the roles go to ``provenance["centres"]``.
CENTRES: tuple[tuple[str, str, str, str], ...] = (
    ("ctr-pc", "hub-pc", "processing_centre", "Processing centre trunk dock"),
    ("ctr-cb", "hub-cb", "cross_border_centre", "Cross-border centre export dock"),
)

#: The options of a ``synthetic:...:OPTIONS`` network spec and the keyword each sets.
FLOW_OPTIONS: dict[str, str] = {
    "parks": "parks",
    "pickups": "pickup_share",
    "cold": "cold_parks",
    "deadlines": "deadlines",
}

# Each flow draws from its own child stream of the seed, so the archipelago's draws
# (and each other's) stay as they were when a flow is turned on.
_STREAM_PICKUPS, _STREAM_CENTRES, _STREAM_PARKS = 1, 2, 3

_PARK_OPENINGS: tuple[tuple[int, int], ...] = ((450, 1050), (480, 1020), (480, 1080))
_PARK_SERVICE = (15.0, 20.0, 25.0)  # minutes to load a park's parcels
_PARK_DAILY = (20, 120)  # parcels a day per carrier at a park, inclusive bounds
_PARK_MAX_CARRIERS = 3
_PARK_FILL = 0.8  # a park's busiest visit fills at most this share of its carriers' vans
#: Monday's visit of an every-working-day station brings Sunday's parcels too
_BUSIEST_DAY = 2 * _SERVICE_DAYS / 7
_PARK_TRIES = 200  # positions tried for a park before giving up
_PARK_DISC = 0.85  # parks lie within this share of their island's radius
_ACCESS_KMH = (25.0, 35.0)  # speed on a park's or centre's access road
_MIN_ACCESS_KM = 0.1
_CENTRE_OFFSET_KM = (0.3, 0.8)  # a centre's dock from its hub
_TRUNK_CUTOFFS = (840, 930, 1020)  # 14:00, 15:30, 17:00: trunk departures and sailings
_CUTOFF_SLACK = (60, 120, 180)  # at least these minutes after the latest hand-in
_CUTOFF_STEP = 15  # cut-offs fall on the quarter hour
_RIDE_MARGIN, _RIDE_STEP = 30, 30  # a cold park's max_ride: its ride plus margin, rounded up
_PICKUP_SPREAD = (0.5, 1.5)  # a village's share of pickups, as multiples of pickup_share
_CAP_STEP = 10  # capacities raised for pickups are rounded up to this
_COLD_CAP_STEP, _COLD_MIN_CAP = 50, 100  # a refrigerated van's capacity


@dataclass(frozen=True)
class Flows:
    """The spec-1.1 flows asked of :func:`archipelago` (its parameters of the same names);
    all off by default, so that every old seed gives the same network."""

    parks: int = 0
    pickup_share: float = 0.0
    cold_parks: int = 0
    deadlines: bool = False

    @property
    def active(self) -> bool:
        """Whether any flow is on (``deadlines`` and ``cold_parks`` need parks)."""
        return self.parks > 0 or self.pickup_share > 0

    def problems(self) -> list[tuple[str, str]]:
        """(parameter, message) for every value no archipelago can take."""
        out: list[tuple[str, str]] = []
        if not 0 <= self.parks <= MAX_PARKS:
            out.append(("parks", f"must be in 0..{MAX_PARKS}, got {self.parks}"))
        if not 0 <= self.pickup_share <= MAX_PICKUP_SHARE:
            out.append(
                ("pickup_share", f"must be in 0..{MAX_PICKUP_SHARE:g}, got {self.pickup_share}")
            )
        if not 0 <= self.cold_parks <= max(self.parks, 0):
            out.append(("cold_parks", f"must be in 0..parks ({self.parks}), got {self.cold_parks}"))
        if self.deadlines and self.parks < 1:
            out.append(("deadlines", "needs parks >= 1: the cut-offs are the parks' hand-ins"))
        return out

    def check(self) -> None:
        """Raise ``ValueError`` naming the first parameter out of range."""
        for param, message in self.problems():
            raise ValueError(f"{param} {message}")

    def params(self) -> dict[str, Any]:
        """The flows for the network's provenance; nothing when all are off."""
        if not self.active:
            return {}
        return {
            "parks": self.parks,
            "pickup_share": self.pickup_share,
            "cold_parks": self.cold_parks,
            "deadlines": self.deadlines,
        }

    def tag(self) -> str:
        """A suffix of the default network name that tells the flows apart."""
        if not self.active:
            return ""
        parts = [f"parks{self.parks}"] if self.parks else []
        parts += [f"pickups{self.pickup_share:g}"] if self.pickup_share else []
        parts += [f"cold{self.cold_parks}"] if self.cold_parks else []
        parts += ["deadlines"] if self.deadlines else []
        return "-" + "-".join(parts)


def parse_flow_options(text: str, where: str = "--network") -> dict[str, Any]:
    """``parks=2,pickups=0.05,cold=1,deadlines=1`` as keyword arguments of
    :func:`archipelago`; a :class:`NetworkError` names ``where`` and the bad option."""
    kwargs: dict[str, Any] = {}
    given: dict[str, str] = {}  # keyword -> option name, to name it in range errors
    for item in text.split(","):
        name, sep, value = (part.strip() for part in item.partition("="))
        if name not in FLOW_OPTIONS:
            known = ", ".join(f"{k}=" for k in FLOW_OPTIONS)
            raise _option_error(where, name or item, f"unknown option (known: {known})")
        if not sep or not value:
            raise _option_error(where, name, f"expected {name}=VALUE, got {item.strip()!r}")
        key = FLOW_OPTIONS[name]
        if key in kwargs:
            raise _option_error(where, name, "given twice")
        kwargs[key] = _option_value(where, name, value)
        given[key] = name
    for param, message in Flows(**kwargs).problems():
        option = given.get(param) or next(k for k, v in FLOW_OPTIONS.items() if v == param)
        raise _option_error(where, option, message)
    return kwargs


def _option_value(where: str, name: str, text: str) -> int | float | bool:
    """One option's value: a whole number, a share or 0/1, as ``name`` asks."""
    if name == "pickups":
        try:
            share = float(text)
        except ValueError:
            share = math.nan
        if not math.isfinite(share):
            raise _option_error(where, name, f"must be a number in 0..1, got {text!r}")
        return share
    if name == "deadlines":
        if text not in ("0", "1"):
            raise _option_error(where, name, f"must be 0 or 1, got {text!r}")
        return text == "1"
    if not (text.isascii() and text.isdigit()):
        raise _option_error(where, name, f"must be a whole number, got {text!r}")
    return int(text)


def _option_error(where: str, name: str, message: str) -> NetworkError:
    return NetworkError(Problem(where, f"option {name!r}", message))


def _flow_rng(seed: int, stream: int) -> np.random.Generator:
    """The random stream of one flow: a child of ``seed`` that no other draw uses."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream,)))


@dataclass
class _FlowParts:
    """The archipelago's roads, stations and vehicles with the flows added."""

    roads: list[Road]
    stations: list[Station]
    vehicles: list[Vehicle]
    provenance: dict[str, Any] = field(default_factory=dict)


def _with_flows(
    flows: Flows,
    seed: int,
    b: _Builder,
    isles: list[_Isle],
    carriers: list[Carrier],
    roads: list[Road],
    ferries: list[Ferry],
    stations: list[Station],
    vehicles: list[Vehicle],
) -> _FlowParts:
    """Village pickups, centres and parks as ``flows`` asks; the parts unchanged when off."""
    out = _FlowParts(list(roads), list(stations), list(vehicles))
    if flows.pickup_share > 0:
        out.stations = _village_pickups(
            stations, flows.pickup_share, _flow_rng(seed, _STREAM_PICKUPS)
        )
        out.vehicles = _fit_pickups(out.vehicles, out.stations, b, flows.pickup_share)
    centres: list[str] = []
    if flows.deadlines:
        out.roads += _add_centres(b, isles[0], _flow_rng(seed, _STREAM_CENTRES))
        centres = [cid for cid, *_ in CENTRES]
        out.provenance["centres"] = {cid: role for cid, _hub, role, _name in CENTRES}
    if flows.parks:
        rng = _flow_rng(seed, _STREAM_PARKS)
        park_roads, parks, vans = _add_parks(flows, b, isles, carriers, out, ferries, centres, rng)
        out.roads += park_roads
        out.stations += parks
        out.vehicles += vans
    return out


def _village_pickups(
    stations: list[Station], share: float, rng: np.random.Generator
) -> list[Station]:
    """Each village sends its drawn share of each carrier's weekly deliveries (none of 0)."""
    spread = rng.uniform(*_PICKUP_SPREAD, len(stations)) * share
    out = []
    for st, q in zip(stations, spread, strict=True):
        pickup = {c: round(n * float(q)) for c, n in st.demand.items()}
        pickup = {c: n for c, n in pickup.items() if n > 0}
        out.append(st.model_copy(update={"pickup": pickup}) if pickup else st)
    return out


def _visit_load(st: Station) -> int:
    """Parcels a whole visit delivers and collects, all carriers."""
    return -(-(st.parcels + sum(st.pickup.values())) // st.min_visits)


def _van_visit_load(b: _Builder, stations: list[Station]) -> int:
    """The largest visit to a station a van from the main island can reach (1 if none)."""
    return max(
        (_visit_load(s) for s in stations if b.isle(s.node).access != "boat_only"), default=1
    )


def _fit_pickups(
    vehicles: list[Vehicle], stations: list[Station], b: _Builder, share: float
) -> list[Vehicle]:
    """Capacities grown by ``share`` (parcels come aboard as others leave) and to a whole
    visit of every station each vehicle can reach: its boat-only island's, or every other."""
    isle_of = [b.isle(s.node) for s in stations]
    load = [_visit_load(s) for s in stations]
    by_van = _van_visit_load(b, stations)
    out = []
    for v in vehicles:
        home = b.isle(v.depot)
        if home.access == "boat_only":
            need = max(ld for ld, i in zip(load, isle_of, strict=True) if i is home)
        else:
            need = by_van
        cap = max(math.ceil(v.capacity * (1 + share) / _CAP_STEP) * _CAP_STEP, need)
        out.append(v.model_copy(update={"capacity": cap}))
    return out


def _add_centres(b: _Builder, main: _Isle, rng: np.random.Generator) -> list[Road]:
    """The processing and cross-border centres' docks as ``centre`` nodes beside their
    hubs on the main island, each joined to its hub by a short road."""
    roads = []
    for cid, hub, role, name in CENTRES:
        hx, hy = b.xy[b.index[hub]]
        d = float(rng.uniform(*_CENTRE_OFFSET_KM))
        a = float(rng.uniform(0, 2 * math.pi))
        b.node(cid, "centre", main, (hx + d * math.cos(a), hy + d * math.sin(a)), name, role)
        km = max(b.km(cid, hub, detour=_ROAD_DETOUR), _MIN_ACCESS_KM)
        roads.append(_road(cid, hub, km, km / rng.uniform(*_ACCESS_KMH) * 60))
    return roads


@dataclass(frozen=True)
class _ParkPlan:
    """One park before it is placed: who sends how much a day, its hours, where to."""

    carriers: tuple[str, ...]
    daily: tuple[int, ...]  # parcels a day, per carrier in ``carriers``
    open: tuple[int, int]
    service: float
    cold: bool
    to: str | None  # the centre it hands in at, or None: the collecting vehicle's depot
    trunk: int  # the cut-off it would like (a trunk departure)
    slack: int  # the cut-off is at least this long after the latest hand-in


class _Clock:
    """Earliest arrivals by road and at most one vehicle-ferry crossing, from the road
    minutes of a few source nodes (depots, centres, vehicle-ferry piers); a park joins the
    roads by one access road to a node whose minutes the sources know."""

    def __init__(
        self, b: _Builder, roads: list[Road], ferries: list[Ferry], sources: list[str]
    ) -> None:
        self.index = b.index
        self.drive = b.drive_minutes(roads, sources)
        self.lines = [f for f in ferries if f.vehicles]
        self.spur: dict[str, tuple[str, float]] = {}  # park -> (node it joins, minutes)

    def road(self, a: str, z: str) -> float:
        """Shortest road minutes between ``a`` and ``z`` (inf when no road joins them)."""
        if a in self.spur:
            near, minutes = self.spur[a]
            return minutes + self.road(near, z)
        if z in self.spur:
            return self.road(z, a)
        if z in self.drive:
            return float(self.drive[z][self.index[a]])
        return float(self.drive[a][self.index[z]])

    def arrive(self, a: str, z: str, t: float, day: str) -> float:
        """Earliest arrival at ``z`` leaving ``a`` at minute ``t`` of ``day`` (inf if none)."""
        best = t + self.road(a, z)
        for f in self.lines:
            to_pier, from_pier = self.road(a, f.from_), self.road(f.to, z)
            if not (math.isfinite(to_pier) and math.isfinite(from_pier)):
                continue
            sail = next((d for d in f.departures.get(day, ()) if d >= t + to_pier), None)
            if sail is not None:
                best = min(best, sail + f.minutes + from_pier)
        return best


def _collect(
    clock: _Clock, depot: str, park: str, plan: _ParkPlan, day: str
) -> tuple[float, float] | None:
    """A van's day from ``depot``: to the park, load in its hours, hand in (at the centre,
    or at home), home by the shift's end; (hand-in minute, ride) or None if it cannot."""
    start, end = _SHIFT
    arrive = clock.arrive(depot, park, start, day)
    if arrive > plan.open[1]:
        return None
    leave = max(arrive, plan.open[0]) + plan.service
    hand_at = plan.to or depot
    hand = clock.arrive(park, hand_at, leave, day)
    home = hand if hand_at == depot else clock.arrive(hand_at, depot, hand, day)
    if home > end:
        return None
    return hand, hand - leave


def _park_plan(
    cold: bool,
    carriers: list[Carrier],
    cap_of: dict[str, int],
    centres: list[str],
    rng: np.random.Generator,
) -> _ParkPlan:
    """One park's senders, daily parcels (its busiest visit fills at most ``_PARK_FILL`` of
    any van of its carriers), factory hours, loading minutes, centre and cut-off slack."""
    m = len(carriers)
    n = int(rng.integers(1, min(_PARK_MAX_CARRIERS, m) + 1))
    ids = tuple(carriers[int(j)].id for j in sorted(rng.choice(m, n, replace=False)))
    daily = rng.integers(_PARK_DAILY[0], _PARK_DAILY[1] + 1, n)
    limit = int(_PARK_FILL * min(cap_of[c] for c in ids) / _BUSIEST_DAY)
    if daily.sum() > limit:
        daily = np.maximum(1, np.floor(daily * limit / daily.sum())).astype(int)
    opening = _PARK_OPENINGS[int(rng.integers(len(_PARK_OPENINGS)))]
    service = float(rng.choice(_PARK_SERVICE))
    centre = int(rng.integers(len(CENTRES)))  # drawn with or without deadlines: same parks
    trunk = int(rng.choice(_TRUNK_CUTOFFS))
    slack = int(rng.choice(_CUTOFF_SLACK))
    to = centres[centre] if centres else None
    return _ParkPlan(ids, tuple(int(d) for d in daily), opening, service, cold, to, trunk, slack)


def _place_park(
    b: _Builder,
    clock: _Clock,
    isles: list[_Isle],
    pid: str,
    plan: _ParkPlan,
    rng: np.random.Generator,
) -> tuple[Road, float, float]:
    """Put the park where each of its carriers' depots can collect it on every service
    day; its access road, latest hand-in minute and longest ride."""
    spots = [i for i in isles if i.access != "boat_only"]
    weights = np.array([i.r**2 for i in spots])
    depots = [f"dep-{c}" for c in plan.carriers]
    for _ in range(_PARK_TRIES):
        isle = spots[int(rng.choice(len(spots), p=weights / weights.sum()))]
        xy = b.disc_point(isle, _PARK_DISC, rng)
        near, km = _nearest(b, isle, xy)
        minutes = km / float(rng.uniform(*_ACCESS_KMH)) * 60
        clock.spur[pid] = (near, minutes)
        days = [_collect(clock, d, pid, plan, day) for d in depots for day in WEEK[:_SERVICE_DAYS]]
        fits = [f for f in days if f is not None]
        if len(fits) == len(days):
            kind = "Cold-chain park" if plan.cold else "Industrial park"
            b.node(pid, "park", isle, xy, f"{kind} {pid.removeprefix('park')}")
            road = _road(pid, near, km, minutes)
            return road, max(h for h, _ in fits), max(r for _, r in fits)
    raise RuntimeError(f"could not place {pid}")  # pragma: no cover - the main island fits


def _nearest(b: _Builder, isle: _Isle, xy: tuple[float, float]) -> tuple[str, float]:
    """The island's node (not a park) nearest to ``xy`` and the road km to it."""
    nodes = [k for k in isle.nodes if b.rows[k][0] != "park"]
    here = np.array([b.lon(xy[0]), b.lat(xy[1])])
    km = _haversine(b.lonlat[nodes], here) * _ROAD_DETOUR
    k = int(np.argmin(km))
    return b.ids[nodes[k]], max(float(km[k]), _MIN_ACCESS_KM)


def _park_station(pid: str, plan: _ParkPlan, hand: float, ride: float) -> Station:
    """The park as a station: it sends (no demand) every service day; its trunk cut-off,
    or later if its latest hand-in needs it, and a cold ride limit above its longest ride."""
    cutoff = None
    if plan.to is not None:
        earliest = math.ceil((hand + plan.slack) / _CUTOFF_STEP) * _CUTOFF_STEP
        cutoff = min(_SHIFT[1], max(plan.trunk, earliest))
    max_ride = MAX_RIDE_DEFAULT
    if plan.cold:
        longest = math.ceil((ride + _RIDE_MARGIN) / _RIDE_STEP) * _RIDE_STEP
        max_ride = max(MAX_RIDE_DEFAULT, longest)
    return Station(
        node=pid,
        min_visits=_SERVICE_DAYS,
        open=plan.open,
        service_minutes=plan.service,
        pickup={c: d * _SERVICE_DAYS for c, d in zip(plan.carriers, plan.daily, strict=True)},
        pickup_to=plan.to,
        pickup_by=cutoff,
        cold=plan.cold,
        max_ride=max_ride,
    )


def _park_vans(
    pid: str, plan: _ParkPlan, cap_of: dict[str, int], need: int, rng: np.random.Generator
) -> list[Vehicle]:
    """One more van per carrier of the park at the carrier's main depot: refrigerated and
    able to load the park's busiest visit when the park is cold, else like its other vans;
    either can carry a whole visit (``need``) of any village it reaches."""
    whole_day = math.ceil(sum(plan.daily) * _BUSIEST_DAY / _COLD_CAP_STEP) * _COLD_CAP_STEP
    cold_cap = max(_COLD_MIN_CAP, whole_day, need)
    vans = []
    for c in plan.carriers:
        if plan.cold:
            van = _vehicle(f"{c}-{pid}-cold", c, f"dep-{c}", cold_cap, "van", rng)
            vans.append(van.model_copy(update={"refrigerated": True}))
        else:
            vans.append(_vehicle(f"{c}-{pid}", c, f"dep-{c}", cap_of[c], "van", rng))
    return vans


def _add_parks(
    flows: Flows,
    b: _Builder,
    isles: list[_Isle],
    carriers: list[Carrier],
    parts: _FlowParts,
    ferries: list[Ferry],
    centres: list[str],
    rng: np.random.Generator,
) -> tuple[list[Road], list[Station], list[Vehicle]]:
    """``flows.parks`` parks (the first ``flows.cold_parks`` of a drawn order cold): their
    access roads, stations and the vans that collect them."""
    cap_of = {
        c.id: max(v.capacity for v in parts.vehicles if v.depot == f"dep-{c.id}") for c in carriers
    }
    cold = set(rng.permutation(flows.parks)[: flows.cold_parks].tolist())
    plans = [_park_plan(k in cold, carriers, cap_of, centres, rng) for k in range(flows.parks)]
    piers = {end for f in ferries if f.vehicles for end in (f.from_, f.to)}
    sources = [f"dep-{c.id}" for c in carriers] + centres + sorted(piers)
    clock = _Clock(b, parts.roads, ferries, sources)
    need = _van_visit_load(b, parts.stations)
    roads, stations, vans = [], [], []
    for k, plan in enumerate(plans):
        pid = f"park{k + 1}"
        road, hand, ride = _place_park(b, clock, isles, pid, plan, rng)
        roads.append(road)
        stations.append(_park_station(pid, plan, hand, ride))
        vans += _park_vans(pid, plan, cap_of, need, rng)
    return roads, stations, vans
