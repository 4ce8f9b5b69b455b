"""Travel on the network: static road tables, road zones, and earliest arrival by timetable.

Road tables (minutes, km) hold only the *stop nodes*, the places a route can stop at:
every node but junctions. Their shortest paths run through every node (junctions
included): scipy's sparse Dijkstra from the stop nodes of each road-connected component,
a chunk of sources at a time, so memory is the two stops x stops tables plus one chunk.
Ferry travel is time-dependent: :meth:`Travel.earliest_arrival` waits for the next
departure, rolling to the next day when none is left.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial.distance import cdist

from islandroute.errors import NetworkError, Problem
from islandroute.model.network import MINUTES_PER_DAY, Ferry, Network

#: Most stop nodes (every node but junctions) a network may have: the two float64 tables
#: of stops x stops then need at most 2 x 10,000² x 8 B = 1.6 GB.
MAX_STOP_NODES = 10_000
#: Most nodes, junctions included: bounds the road graph and one Dijkstra row (8 MB);
#: the time, one Dijkstra per stop node over its component, grows with both.
MAX_NODES = 1_000_000
#: Most roads: bounds the two sparse road graphs (under 50 MB each at the limit).
MAX_ROADS = 2_000_000
#: Bytes of Dijkstra output computed at once (a chunk of source rows x component nodes).
CHUNK_BYTES = 4 * 2**20
#: Road rows from nodes outside the tables (junctions) kept for repeated questions.
ROW_CACHE = 16
#: Kind of the nodes roads pass through that no route stops at.
JUNCTION = "junction"
#: Stand-in weight for zero-length roads (a sparse matrix drops explicit zeros).
ZERO_ROAD = 1e-9
#: Path lengths below this are zero-length roads summed: reported as 0.
ZERO_PATH = 1e-6
_FLOAT_BYTES = np.dtype(np.float64).itemsize


@dataclass(frozen=True)
class Hop:
    """One leg of a journey: a road path or one ferry crossing, times absolute."""

    from_: str
    to: str
    mode: str
    depart: float
    arrive: float
    km: float = 0.0
    ferry: str | None = None


@dataclass(frozen=True)
class Journey:
    """An earliest-arrival journey; ``arrive`` is in minutes since the start day's midnight."""

    arrive: float
    hops: tuple[Hop, ...] = field(default_factory=tuple)


def stop_nodes(net: Network) -> list[str]:
    """Ids of the nodes a route can stop at, in network order: every node but junctions,
    and any junction that a station, a vehicle's depot, a ferry or a pickup names."""
    named = {s.node for s in net.stations} | {v.depot for v in net.vehicles}
    named |= {f.from_ for f in net.ferries} | {f.to for f in net.ferries}
    named |= {p for s in net.stations if (p := getattr(s, "pickup_to", None)) is not None}
    return [n.id for n in net.nodes if n.kind != JUNCTION or n.id in named]


def size_problems(n_stops: int, n_nodes: int, n_roads: int) -> list[Problem]:
    """Why tables over ``n_stops`` stop nodes, or a road graph of ``n_nodes`` nodes and
    ``n_roads`` roads, would not fit (empty when they fit)."""
    out = []
    if n_stops > MAX_STOP_NODES:
        gb = 2 * n_stops**2 * _FLOAT_BYTES / 1e9
        out.append(
            Problem(
                "network",
                "nodes",
                f"{n_stops:,} stop nodes: tables of {n_stops:,} x {n_stops:,} would need "
                f"{gb:,.1f} GB; islandroute plans up to {MAX_STOP_NODES:,} stop nodes "
                "(every node but junctions)",
            )
        )
    if n_nodes > MAX_NODES:
        out.append(
            Problem(
                "network",
                "nodes",
                f"{n_nodes:,} nodes: islandroute plans up to {MAX_NODES:,} nodes "
                "(junctions included)",
            )
        )
    if n_roads > MAX_ROADS:
        out.append(
            Problem("network", "roads", f"{n_roads:,} roads: islandroute plans up to {MAX_ROADS:,}")
        )
    return out


class Travel:
    """Road tables (minutes, km) between the stop nodes of a network, and ferry look-ups.

    Rows and columns of ``minutes`` and ``km`` are the stop nodes ``ids`` (see
    :func:`stop_nodes`) in network order; :meth:`i` gives a stop node's row. Paths run
    through every node, junctions included. ``minutes[i, j]`` is ``inf`` where no road
    path joins the two; nodes joined by roads (bridges included) share a *zone*
    (``zone[i]`` per row, :meth:`zone_of` for any node). :meth:`road_minutes`,
    :meth:`road_km` and :meth:`zone_of` answer for every node: a junction by a Dijkstra
    on demand. ``km`` is the shortest distance, not that of the quickest path. Planar
    networks without roads travel straight: minutes = km = Euclidean distance.

    Limits, checked before any table is allocated (beyond them :class:`NetworkError`
    names the field): ``MAX_STOP_NODES`` (10,000 stop nodes: the two float64 tables take
    at most 1.6 GB), ``MAX_NODES`` (1,000,000 nodes) and ``MAX_ROADS`` (2,000,000 roads)
    for the road graph. Dijkstra writes ``CHUNK_BYTES`` (4 MB) of rows at a time.
    """

    def __init__(self, net: Network) -> None:
        self.net = net
        stops = stop_nodes(net)
        problems = size_problems(len(stops), len(net.nodes), len(net.roads))
        if problems:
            raise NetworkError(problems)
        self.ids: list[str] = stops
        self.index: dict[str, int] = {nid: i for i, nid in enumerate(stops)}
        self._pos: dict[str, int] = {nd.id: k for k, nd in enumerate(net.nodes)}
        self._rows: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._graphs: dict[str, csr_matrix] = {}
        rows = np.array([self._pos[s] for s in stops], dtype=np.int64)
        n = len(net.nodes)
        self._planar = net.geometry == "planar" and not net.roads
        if self._planar:
            self._xy = np.array([(nd.lon, nd.lat) for nd in net.nodes], dtype=float)
            self._xy = self._xy.reshape(n, 2)
            self.minutes: np.ndarray = cdist(self._xy[rows], self._xy[rows])
            self.km: np.ndarray = self.minutes.copy()
            self._labels = np.zeros(n, dtype=np.int64)
        else:
            a = np.array([self._pos[r.a] for r in net.roads], dtype=np.int64)
            b = np.array([self._pos[r.b] for r in net.roads], dtype=np.int64)
            for name in ("minutes", "km"):
                w = np.array([getattr(r, name) for r in net.roads], dtype=float)
                self._graphs[name] = _road_graph(n, a, b, w)
            _, labels = connected_components(self._graphs["minutes"], directed=False)
            self._labels = labels.astype(np.int64)
            self.minutes, self.km = _stop_tables(
                [self._graphs["minutes"], self._graphs["km"]], self._labels, rows
            )
        self.zone: np.ndarray = self._labels[rows]
        self._departures: dict[tuple[str, int], tuple[int, ...]] = {}
        for f in net.ferries:
            for di, day in enumerate(net.days):
                self._departures[(f.id, di)] = f.departures.get(day, ())

    def i(self, node: str) -> int:
        """Row of a stop node in the tables (KeyError for a junction or an unknown id)."""
        try:
            return self.index[node]
        except KeyError:
            if node in self._pos:
                raise KeyError(
                    f"node {node!r} is a junction: the travel tables hold stop nodes only "
                    "(road_minutes and road_km answer for any node)"
                ) from None
            raise KeyError(f"unknown node {node!r}") from None

    def road_minutes(self, a: str, b: str) -> float:
        """Quickest road minutes from ``a`` to ``b``, any nodes (inf where no road joins)."""
        return self._road("minutes", a, b)

    def road_km(self, a: str, b: str) -> float:
        """Shortest road km from ``a`` to ``b``, any nodes (inf where no road joins)."""
        return self._road("km", a, b)

    def zone_of(self, node: str) -> int:
        """The road-connected component (island group joined by bridges) of any node."""
        return int(self._labels[self._node(node)])

    def _node(self, node: str) -> int:
        """Position of any node in ``net.nodes``."""
        try:
            return self._pos[node]
        except KeyError:
            raise KeyError(f"unknown node {node!r}") from None

    def _road(self, table: str, a: str, b: str) -> float:
        """One entry of a table, or of a Dijkstra row from a junction (roads are undirected)."""
        ia, ib = self.index.get(a), self.index.get(b)
        if ia is not None and ib is not None:
            return float(getattr(self, table)[ia, ib])
        src, dst = (a, b) if ia is None else (b, a)
        return float(self._row(table, src)[self._node(dst)])

    def _row(self, table: str, node: str) -> np.ndarray:
        """Shortest ``table`` lengths from ``node`` to every node (the last few kept)."""
        key = (table, node)
        if key in self._rows:
            self._rows.move_to_end(key)
            return self._rows[key]
        k = self._node(node)
        if self._planar:
            row = np.sqrt(((self._xy - self._xy[k]) ** 2).sum(axis=1))
        else:
            row = dijkstra(self._graphs[table], directed=False, indices=k)
            row[row < ZERO_PATH] = 0.0
        self._rows[key] = row
        if len(self._rows) > ROW_CACHE:
            self._rows.popitem(last=False)
        return row

    @cached_property
    def piers(self) -> list[str]:
        """Every node a ferry leaves from or arrives at."""
        return list(
            dict.fromkeys([f.from_ for f in self.net.ferries] + [f.to for f in self.net.ferries])
        )

    @cached_property
    def ferries_from(self) -> dict[str, list[Ferry]]:
        out: dict[str, list[Ferry]] = {}
        for f in self.net.ferries:
            out.setdefault(f.from_, []).append(f)
        return out

    def next_departure(self, ferry: Ferry, day: int, minute: float, max_days: int) -> float | None:
        """Absolute minute (from ``day``'s midnight) of the first departure at or after
        ``minute``; later days of the horizon (cyclic) when none is left that day."""
        ndays = len(self.net.days)
        for k in range(max_days):
            times = self._departures[(ferry.id, (day + k) % ndays)]
            t_in_day = minute - k * MINUTES_PER_DAY
            j = bisect_left(times, t_in_day) if k == 0 else 0
            if j < len(times):
                return k * MINUTES_PER_DAY + times[j]
        return None

    def prev_departure(self, ferry: Ferry, day: int, minute: float) -> float | None:
        """The last departure of ``day`` at or before ``minute`` (same day only)."""
        times = self._departures[(ferry.id, day)]
        j = bisect_left(times, minute + 1e-9)
        return float(times[j - 1]) if j > 0 else None

    @cached_property
    def ferries_to(self) -> dict[str, list[Ferry]]:
        out: dict[str, list[Ferry]] = {}
        for f in self.net.ferries:
            out.setdefault(f.to, []).append(f)
        return out

    def earliest_arrival(
        self,
        src: str | list[str],
        dst: str,
        day: str,
        minute: float,
        *,
        vehicle: bool = True,
        max_days: int | None = None,
    ) -> Journey | None:
        """Earliest arrival at ``dst`` leaving ``src`` no earlier than ``day`` at ``minute``.

        ``src`` may be a list of places to leave from, whichever gets there first.

        Roads are static; a ferry leaves only at a listed departure (waiting counts) and a
        vehicle rides only ferries that carry vehicles (``vehicle=False`` for a parcel on
        any boat). Returns None when ``dst`` cannot be reached within ``max_days``
        (default: the horizon's length).
        """
        sources = [src] if isinstance(src, str) else list(src)
        for nid in (*sources, dst):
            self._node(nid)  # KeyError for an unknown node
        d0 = self.net.days.index(day)
        max_days = max_days or len(self.net.days)
        limit = max_days * MINUTES_PER_DAY
        places = list(dict.fromkeys([*sources, dst, *self.piers]))
        best: dict[str, float] = {s: float(minute) for s in sources}
        back: dict[str, tuple[str, Hop]] = {}
        heap: list[tuple[float, str]] = [(float(minute), s) for s in sources]
        done: set[str] = set()
        while heap:
            t, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            if u == dst:
                break
            moves = self._road_moves(u, t, places, done)
            moves += self._ferry_moves(u, t, done, d0, max_days, vehicle)
            for v, hop in moves:
                if hop.arrive < best.get(v, np.inf) and hop.arrive <= limit + minute:
                    best[v] = hop.arrive
                    back[v] = (u, hop)
                    heapq.heappush(heap, (hop.arrive, v))
        if dst not in best:
            return None
        return Journey(best[dst], _hops_to(dst, sources, back))

    def _road_moves(
        self, u: str, t: float, places: list[str], done: set[str]
    ) -> list[tuple[str, Hop]]:
        """Road hops leaving ``u`` at ``t`` for every place not done that a road reaches."""
        moves: list[tuple[str, Hop]] = []
        for v in places:
            if v == u or v in done:
                continue
            road = self.road_minutes(u, v)
            if math.isfinite(road):
                moves.append((v, Hop(u, v, "road", t, t + road, self.road_km(u, v))))
        return moves

    def _ferry_moves(
        self, u: str, t: float, done: set[str], d0: int, max_days: int, vehicle: bool
    ) -> list[tuple[str, Hop]]:
        """The next crossing of each ferry from ``u`` at or after ``t`` (vehicle ferries
        only for a ``vehicle``) to a place not done."""
        moves: list[tuple[str, Hop]] = []
        for f in self.ferries_from.get(u, []):
            if (vehicle and not f.vehicles) or f.to in done:
                continue
            dep = self.next_departure(f, d0, t, max_days)
            if dep is not None:
                moves.append((f.to, Hop(u, f.to, "ferry", dep, dep + f.minutes, 0.0, f.id)))
        return moves


def _hops_to(dst: str, sources: list[str], back: dict[str, tuple[str, Hop]]) -> tuple[Hop, ...]:
    """The hops from a source to ``dst``, in order, following the ``back`` links."""
    hops: list[Hop] = []
    node = dst
    while node not in sources:
        prev, hop = back[node]
        hops.append(hop)
        node = prev
    return tuple(reversed(hops))


def _road_graph(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> csr_matrix:
    """Sparse undirected road graph over ``n`` nodes, the shortest of parallel roads kept."""
    # zero-length roads would vanish from a sparse matrix: keep them with a tiny weight
    weights = np.where(w > 0, w, ZERO_ROAD)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((weights, hi, lo))
    lo, hi, weights = lo[order], hi[order], weights[order]
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    return coo_matrix((weights[first], (lo[first], hi[first])), shape=(n, n)).tocsr()


def _components(labels: np.ndarray, rows: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """Each road component holding stop nodes: its label and its table rows (ascending)."""
    zone = labels[rows]
    by_zone = np.argsort(zone, kind="stable")
    cuts = np.flatnonzero(np.diff(zone[by_zone])) + 1
    for members in np.split(by_zone, cuts):
        if len(members):
            yield int(zone[members[0]]), members


def _stop_tables(
    graphs: list[csr_matrix], labels: np.ndarray, rows: np.ndarray
) -> list[np.ndarray]:
    """Shortest path lengths between the nodes ``rows`` in each graph, through every node.

    One Dijkstra per stop node, run on its own component only and ``CHUNK_BYTES`` of
    output at a time; pairs in different components stay ``inf``.
    """
    s = len(rows)
    out = [np.full((s, s), np.inf) for _ in graphs]
    if s == 0:
        return out
    order = np.argsort(labels, kind="stable")  # components as contiguous blocks
    where = np.empty_like(order)
    where[order] = np.arange(len(order))
    start = np.searchsorted(labels[order], np.arange(int(labels.max()) + 2))
    permuted: list[csr_matrix] | None = None
    for z, members in _components(labels, rows):
        lo, hi = int(start[z]), int(start[z + 1])
        if hi - lo == 1:  # a stop node no road touches
            for table in out:
                table[members[0], members[0]] = 0.0
            continue
        if permuted is None:
            permuted = [g[order][:, order].tocsr() for g in graphs]
        local = where[rows[members]] - lo
        step = max(1, CHUNK_BYTES // (_FLOAT_BYTES * (hi - lo)))
        for g, table in zip(permuted, out, strict=True):
            block = g[lo:hi, lo:hi]
            for k in range(0, len(members), step):
                part = dijkstra(block, directed=False, indices=local[k : k + step])[:, local]
                part[part < ZERO_PATH] = 0.0
                table[np.ix_(members[k : k + step], members)] = part
    return out
