"""Travel on the network: static road matrices, road zones, and earliest arrival by timetable.

Road matrices come from scipy's sparse Dijkstra over all nodes at once (seconds for
thousands of nodes). Ferry travel is time-dependent: :meth:`Travel.earliest_arrival`
waits for the next departure, rolling to the next day when none is left.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from islandroute.model.network import MINUTES_PER_DAY, Ferry, Network


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

    @property
    def day_offset(self) -> int:
        """Whole days after the start day on which the journey arrives."""
        return int(self.arrive // MINUTES_PER_DAY)


class Travel:
    """Road matrices (minutes, km) between every pair of nodes, and ferry look-ups.

    ``minutes[i, j]`` is ``inf`` where no road path joins the two nodes; nodes joined by
    roads (bridges included) share a *zone*. Planar networks without roads travel
    straight: minutes = km = Euclidean distance.
    """

    def __init__(self, net: Network) -> None:
        self.net = net
        self.ids: list[str] = [n.id for n in net.nodes]
        self.index: dict[str, int] = {nid: i for i, nid in enumerate(self.ids)}
        n = len(self.ids)
        if net.geometry == "planar" and not net.roads:
            xy = np.array([(nd.lon, nd.lat) for nd in net.nodes], dtype=float)
            d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
            self.minutes, self.km = d, d.copy()
            self.zone = np.zeros(n, dtype=np.int64)
        else:
            a = np.array([self.index[r.a] for r in net.roads], dtype=np.int64)
            b = np.array([self.index[r.b] for r in net.roads], dtype=np.int64)
            self.minutes = _all_pairs(n, a, b, [r.minutes for r in net.roads])
            self.km = _all_pairs(n, a, b, [r.km for r in net.roads])
            adj = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
            _, self.zone = connected_components(adj, directed=False)
        self._departures: dict[tuple[str, int], tuple[int, ...]] = {}
        for f in net.ferries:
            for di, day in enumerate(net.days):
                self._departures[(f.id, di)] = f.departures.get(day, ())

    def i(self, node: str) -> int:
        """Row of a node id in the matrices."""
        return self.index[node]

    def road_minutes(self, a: str, b: str) -> float:
        return float(self.minutes[self.index[a], self.index[b]])

    def road_km(self, a: str, b: str) -> float:
        return float(self.km[self.index[a], self.index[b]])

    def zone_of(self, node: str) -> int:
        """The road-connected component (island group joined by bridges) of a node."""
        return int(self.zone[self.index[node]])

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
            if nid not in self.index:
                raise KeyError(f"unknown node {nid!r}")
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
            iu = self.index[u]
            moves: list[tuple[str, Hop]] = []
            for v in places:
                if v == u or v in done:
                    continue
                road = self.minutes[iu, self.index[v]]
                if np.isfinite(road):
                    km = float(self.km[iu, self.index[v]])
                    moves.append((v, Hop(u, v, "road", t, t + float(road), km)))
            for f in self.ferries_from.get(u, []):
                if (vehicle and not f.vehicles) or f.to in done:
                    continue
                dep = self.next_departure(f, d0, t, max_days)
                if dep is not None:
                    moves.append((f.to, Hop(u, f.to, "ferry", dep, dep + f.minutes, 0.0, f.id)))
            for v, hop in moves:
                if hop.arrive < best.get(v, np.inf) and hop.arrive <= limit + minute:
                    best[v] = hop.arrive
                    back[v] = (u, hop)
                    heapq.heappush(heap, (hop.arrive, v))
        if dst not in best:
            return None
        hops: list[Hop] = []
        node = dst
        while node not in sources:
            prev, hop = back[node]
            hops.append(hop)
            node = prev
        return Journey(best[dst], tuple(reversed(hops)))


def _all_pairs(n: int, a: np.ndarray, b: np.ndarray, w: list[float]) -> np.ndarray:
    """Shortest undirected path lengths between all nodes (inf where disconnected)."""
    if n == 0:
        return np.zeros((0, 0))
    weights = np.asarray(w, dtype=float)
    # zero-length roads would vanish from a sparse matrix: keep them with a tiny weight
    weights = np.where(weights > 0, weights, 1e-9)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((weights, hi, lo))  # parallel roads: keep the shortest of each pair
    lo, hi, weights = lo[order], hi[order], weights[order]
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    g = coo_matrix((weights[first], (lo[first], hi[first])), shape=(n, n)).tocsr()
    d = dijkstra(g, directed=False)
    d[d < 1e-6] = 0.0
    return d
