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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra, minimum_spanning_tree
from scipy.spatial import Delaunay, QhullError, cKDTree

from islandroute.model.network import (
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

__all__ = ["CARRIER_NAMES", "archipelago"]

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

    Every vehicle can carry the whole per-visit demand (weekly of all carriers divided
    by ``min_visits``, rounded up) of every station it can reach. Each carrier with
    demand on a boat-only island has small vehicles of its own based on that island.
    """
    _check(n_stations, n_islands, n_carriers, departures_per_day, min_visits, demand_range)
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
    }
    return Network(
        name=name or f"synthetic-{n_stations}s-{n_islands}i-{n_carriers}c-{seed}",
        days=WEEK,
        nodes=tuple(b.nodes()),
        roads=tuple(roads),
        ferries=tuple(ferries),
        carriers=tuple(carriers),
        stations=tuple(stations),
        vehicles=tuple(vehicles),
        islands=tuple(islands),
        provenance={
            "generator": "islandroute.datasets.synthetic.archipelago",
            "seed": seed,
            "params": params,
            "access": {i.id: i.access for i in isles},
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
