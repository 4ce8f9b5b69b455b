"""Co-sited stations (合作设站): choose where each village's station stands and plan the
week with the chosen stations, against one station per village.

1. **Location model** (CP-SAT): ``open[c]`` per candidate, ``assign[v, c]`` for each
   village ``v`` and each candidate on its island within its walking distance (its
   ``own`` station always allowed, at its cost; a village with none gets one at the
   village point, ``own_weekly_cost``). Every village is assigned to exactly one open
   candidate; a shared site's load per visit stays within the island's vehicles (see
   :func:`load_limits`). Cost: each open site's weekly cost plus its estimated routing
   cost (:func:`estimate_routing`) plus an optional walking cost per parcel-km.
2. **Sited network**: each chosen site becomes a station (demand and pickups of its
   villages summed, the most visits and the longest service any of them asks, the
   site's opening hours), standing on a village node when it is within
   ``SAME_PLACE_KM`` of one, else on a new node joined by an estimated road to the
   nearest of its villages; the other villages' nodes become junctions.
3. **Re-planning**: the sited week is planned with :func:`~islandroute.plan_week`; every
   candidate's first estimate is scaled by its island's ratio of planned route cost
   (the open sites' shares of the routes, as :mod:`~islandroute.analysis.parcel_cost`
   allocates them) to first estimates, and CP-SAT solves again, for up to ``rounds``
   rounds: it stops when the choice repeats or time is short. The cheapest week
   planned (routes + stations) is kept.

A site the planner finds infeasible (its hours, its load) is closed with the planner's
diagnosis in ``report.closed`` and the choice solved again: never a silent drop.
Villages that ask what a shared station cannot give (their own visit patterns, pickups
due at a place or time, cold parcels) keep their station, listed in ``report.kept``.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from islandroute.analysis.parcel_cost import station_route_costs
from islandroute.datasets.candidates import (
    SAME_PLACE_KM,
    WALK_KM_DEFAULT,
    place_km,
    walking_km,
)
from islandroute.datasets.tables import (
    DETOUR_FACTOR,
    KM_DECIMALS,
    MINUTE_DECIMALS,
    ROAD_SPEED_KMH,
)
from islandroute.errors import InfeasibleError, NetworkError, OptionsError, Problem
from islandroute.model.candidate import OWN, Candidate
from islandroute.model.graph import road_zones
from islandroute.model.network import Network, Node, Road, Station
from islandroute.model.plan import Plan
from islandroute.planning.options import Mode
from islandroute.planning.ortools_adapter import LocationModel, solve_location_model

#: Weekly cost (CNY) of a village's own station when the candidates give none (estimated,
#: docs/siting.md): the baseline's station cost too.
OWN_WEEKLY_COST_DEFAULT = 350.0
ROUNDS_DEFAULT = 3  # re-planning rounds after the first sited week
TIME_LIMIT_DEFAULT = 120.0  # seconds for the whole siting run
SOLVER_SECONDS = 5.0  # at most this long for one CP-SAT solve (all groups)
MIN_PART_SECONDS = 0.05  # the least a group of neighbouring villages gets
MIN_PLAN_SECONDS = 1.0  # a week is never planned in less
CP_SCALE = 100  # CP-SAT works in whole cents
MAX_CLOSING_ROUNDS = 5  # re-solves after the planner rejects sites, at most
SITE_PREFIX = "site_"
PLAN_MARGIN_SECONDS = 1.0  # plan_week may overrun its limit by max(1 s, 5 %) ...
PLAN_MARGIN_SHARE = 0.05  # ... and a siting run by as much of its whole limit
WALK_COST_PER_KM_DEFAULT = 0.0  # CNY per parcel per km walked (0: walking is free)
SEPARATE = "separate"


@dataclass(frozen=True)
class Figures:
    """One week's siting figures: stations, stops (visits), route and station cost, km."""

    stations: int
    stops: int
    route_cost: float
    station_cost: float
    km: float

    @property
    def cost(self) -> float:
        """Routes plus stations, a week."""
        return self.route_cost + self.station_cost

    def to_dict(self) -> dict[str, float]:
        return {
            "stations": self.stations,
            "stops": self.stops,
            "route_cost": round(self.route_cost, 2),
            "station_cost": round(self.station_cost, 2),
            "cost": round(self.cost, 2),
            "km": round(self.km, 2),
        }


@dataclass(frozen=True)
class Site:
    """A chosen station: the candidate, the node it stands on and the villages it serves."""

    candidate: str
    kind: str
    node: str
    villages: tuple[str, ...]
    parcels: int
    weekly_cost: float


@dataclass
class SitingReport:
    """The chosen stations and their week against one station per village."""

    network: str
    mode: str
    walk_km: float
    choice: dict[str, str]  # village -> candidate id
    sites: list[Site]
    baseline: Figures
    sited: Figures
    plan: Plan
    sited_network: Network
    baseline_plan: Plan
    baseline_station_costs: dict[str, float]
    rounds: list[dict[str, Any]] = field(default_factory=list)
    closed: list[Problem] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)
    stopped: str = ""
    seconds: float = 0.0
    village_parcels: dict[str, int] = field(default_factory=dict)

    def station_costs(self) -> dict[str, float]:
        """Weekly cost of each station of the sited network, by its node."""
        return {s.node: s.weekly_cost for s in self.sites}

    def members(self) -> dict[str, dict[str, float]]:
        """Each station node's villages and their parcels (for the cost per parcel)."""
        return {
            s.node: {v: float(self.village_parcels.get(v, 0)) for v in s.villages}
            for s in self.sites
        }

    def saving_pct(self) -> float:
        """How much cheaper the sited week is, percent of the baseline's cost."""
        base = self.baseline.cost
        return 100 * (1 - self.sited.cost / base) if base > 0 else 0.0

    def text(self) -> str:
        """A few readable lines: stations, stops, cost and km, sited against baseline."""
        b, s = self.baseline, self.sited
        shared = sum(1 for x in self.sites if len(x.villages) > 1)
        kinds: dict[str, int] = defaultdict(int)
        for x in self.sites:
            kinds[x.kind] += 1
        lines = [
            f"{self.network} [{self.mode}] co-sited stations, walking {self.walk_km:g} km",
            f"{'':16}{'one per village':>18}{'co-sited':>14}{'change':>10}",
        ]
        for label, a, c in (
            ("stations", b.stations, s.stations),
            ("stops", b.stops, s.stops),
            ("route cost", b.route_cost, s.route_cost),
            ("station cost", b.station_cost, s.station_cost),
            ("total cost", b.cost, s.cost),
            ("km", b.km, s.km),
        ):
            pct = f"{100 * (c / a - 1):+.1f}%" if a else "–"
            lines.append(f"{label:16}{a:>18,.1f}{c:>14,.1f}{pct:>10}")
        lines.append(
            f"sites: {', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}; "
            f"{shared} shared by two villages or more"
        )
        if self.kept:
            lines.append(f"kept their own station: {len(self.kept)} (see kept)")
        for p in self.closed:
            lines.append(f"closed: {p}")
        lines.append(f"rounds {len(self.rounds)}, stopped: {self.stopped}, {self.seconds:.1f} s")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (without the plans and networks)."""
        return {
            "network": self.network,
            "mode": self.mode,
            "walk_km": self.walk_km,
            "baseline": self.baseline.to_dict(),
            "sited": self.sited.to_dict(),
            "saving_pct": round(self.saving_pct(), 2),
            "sites": [s.__dict__ | {"villages": list(s.villages)} for s in self.sites],
            "choice": dict(sorted(self.choice.items())),
            "kept": self.kept,
            "closed": [str(p) for p in self.closed],
            "rounds": self.rounds,
            "stopped": self.stopped,
            "seconds": round(self.seconds, 2),
        }


def _parcels(st: Station | None) -> int:
    """A station's weekly parcels handed over: delivered and collected."""
    return 0 if st is None else st.parcels + sum(st.pickup.values())


# ---- villages and candidates ----------------------------------------------------------


def split_villages(net: Network) -> tuple[list[Station], dict[str, str]]:
    """The village stations a shared site may serve, and those that keep their own
    station with the reason (parks are not villages and are left as they are)."""
    eligible: list[Station] = []
    kept: dict[str, str] = {}
    for s in net.stations:
        if net.node_by_id[s.node].kind != "station":
            continue
        if s.patterns is not None or s.exact_visits:
            kept[s.node] = "its own visit patterns"
        elif s.hands_in_en_route:
            kept[s.node] = "pickups due at a place or time, or cold"
        else:
            eligible.append(s)
    return eligible, kept


def with_own(
    net: Network,
    candidates: Sequence[Candidate],
    villages: Sequence[Station],
    own_weekly_cost: float = OWN_WEEKLY_COST_DEFAULT,
) -> list[Candidate]:
    """The candidates plus an ``own`` station at each village that has none listed."""
    has_own = {c.village for c in candidates if c.kind == OWN}
    out = list(candidates)
    ids = {c.id for c in candidates}
    for s in villages:
        if s.node in has_own:
            continue
        node = net.node_by_id[s.node]
        cid = f"own_{s.node}"
        while cid in ids:
            cid += "_"
        ids.add(cid)
        out.append(
            Candidate(
                id=cid,
                kind=OWN,
                island=node.island,
                lon=node.lon,
                lat=node.lat,
                weekly_cost=own_weekly_cost,
                open=(s.open[0], max(s.open[1], s.open[0] + 1)),
                village=s.node,
                name=f"{node.name} own station".strip(),
            )
        )
    return out


def check_candidates(net: Network, candidates: Sequence[Candidate]) -> None:
    """Every candidate on a known island, every ``village`` a village station, ids
    unique; all faults at once (:class:`NetworkError`)."""
    islands = {n.island for n in net.nodes} | {i.id for i in net.islands}
    problems: list[Problem] = []
    seen: set[str] = set()
    for c in candidates:
        obj = f"candidate {c.id!r}"
        if c.id in seen:
            problems.append(Problem(obj, "id", "duplicate id"))
        seen.add(c.id)
        if c.island not in islands:
            problems.append(Problem(obj, "island", f"unknown island {c.island!r}"))
        if c.village is not None:
            node = net.node_by_id.get(c.village)
            if node is None or c.village not in net.station_by_node:
                problems.append(Problem(obj, "village", f"{c.village!r} is not a station"))
            elif node.island != c.island:
                problems.append(
                    Problem(obj, "island", f"{c.island!r}, but its village is on {node.island!r}")
                )
    if problems:
        raise NetworkError(problems)


def eligibility(
    net: Network, candidates: Sequence[Candidate], villages: Sequence[Station], walk_km: float
) -> dict[str, list[str]]:
    """For each village the candidates it may use: its own, and every other site on its
    island within ``walk_km`` on foot."""
    out: dict[str, list[str]] = {}
    for s in villages:
        node = net.node_by_id[s.node]
        out[s.node] = [
            c.id
            for c in candidates
            if (c.kind == OWN and c.village == s.node)
            or (
                c.kind != OWN
                and c.island == node.island
                and walking_km(net, node, c) <= walk_km + 1e-9
            )
        ]
    return out


# ---- estimates ---------------------------------------------------------------------------


def _rates(net: Network) -> tuple[float, float]:
    """Mean cost per km and per hour over the network's vehicles."""
    vs = net.vehicles
    return (
        sum(v.cost_per_km for v in vs) / len(vs),
        sum(v.cost_per_hour for v in vs) / len(vs),
    )


def estimate_routing(
    net: Network,
    candidates: Sequence[Candidate],
    villages: Sequence[Station],
    eligible: Mapping[str, list[str]],
    mode: str,
) -> dict[str, float]:
    """Estimated weekly routing cost of serving each candidate: its visits a week (per
    carrier in separate mode) times the cost of one stop, i.e. the service time and a
    detour of twice the road distance (straight line x DETOUR_FACTOR at ROAD_SPEED_KMH)
    to the nearest other place a route stops at on its island. The island's crossing
    is the same whichever sites it has and is left out: the re-planning rounds learn it."""
    per_km, per_hour = _rates(net)
    by_cand: dict[str, list[Station]] = defaultdict(list)
    for s in villages:
        for cid in eligible[s.node]:
            by_cand[cid].append(s)
    places: dict[str, list[Node]] = defaultdict(list)
    for n in net.nodes:
        if n.kind != "junction":
            places[n.island].append(n)
    out: dict[str, float] = {}
    for c in candidates:
        users = by_cand.get(c.id, [])
        if not users:
            continue
        visits = max(s.min_visits for s in users)
        if mode == SEPARATE:
            visits *= len({k for s in users for k, q in {**s.demand, **s.pickup}.items() if q})
        service = max(s.service_minutes for s in users) / 60 * per_hour
        gaps = [
            place_km(net, c.lon, c.lat, n.lon, n.lat)
            for n in places[c.island]
            if place_km(net, c.lon, c.lat, n.lon, n.lat) > SAME_PLACE_KM
        ]
        km = 2 * min(gaps, default=0.0) * DETOUR_FACTOR
        out[c.id] = visits * (service + km * (per_km + per_hour / ROAD_SPEED_KMH))
    return out


def load_limits(net: Network, villages: Sequence[Station], mode: str) -> dict[tuple[str, str], int]:
    """Most parcels per visit a shared site may hand over, per (island, carrier) (carrier
    ``"*"`` in joint mode): the smallest vehicle that may carry them, or the largest
    visit a single village of the island already asks, whichever is more."""
    joint_cap = min(v.capacity for v in net.vehicles)
    cap: dict[str, int] = {}
    for c in net.carrier_ids:
        mine = [v.capacity for v in net.vehicles if v.carrier in (c, None)]
        cap[c] = min(mine) if mine else joint_cap
    out: dict[tuple[str, str], int] = {}
    for s in villages:
        isl = net.node_by_id[s.node].island
        for key, load in _loads(s, mode).items():
            base = joint_cap if key == "*" else cap.get(key, joint_cap)
            out[(isl, key)] = max(out.get((isl, key), base), load)
    return out


def _loads(s: Station, mode: str) -> dict[str, int]:
    """Parcels per visit of a village, per carrier (``"*"``: all, in joint mode)."""
    per: dict[str, int] = defaultdict(int)
    for k, q in list(s.demand.items()) + list(s.pickup.items()):
        per[k] += q
    loads = {k: math.ceil(q / s.min_visits) for k, q in per.items() if q}
    if mode != SEPARATE:
        return {"*": math.ceil(sum(per.values()) / s.min_visits)} if per else {}
    return loads


# ---- the location model ----------------------------------------------------------------


def solve_location(
    net: Network,
    candidates: Sequence[Candidate],
    villages: Sequence[Station],
    eligible: Mapping[str, list[str]],
    routing: Mapping[str, float],
    *,
    mode: str = "joint",
    walk_cost_per_km: float = WALK_COST_PER_KM_DEFAULT,
    closed: frozenset[str] = frozenset(),
    time_limit: float = SOLVER_SECONDS,
    seed: int = 0,
    notes: list[str] | None = None,
) -> dict[str, str]:
    """CP-SAT: each village assigned to exactly one open candidate it may use, at the
    least station + estimated routing (+ walking) cost; returns village -> candidate.
    ``closed`` candidates are never opened; each village's own station always may be
    (it is the start the solver is given), so a choice always exists. Villages that
    share no usable site are independent: each group of neighbours is solved on its own,
    with its share of the time left of ``time_limit``. ``notes`` (when given) gets how
    the solve ended: optimal, feasible, or no choice in time (and in how many groups)."""
    limits = load_limits(net, villages, mode)
    parts = neighbour_groups(candidates, villages, eligible)
    choice: dict[str, str] = {}
    ends: list[str] = []
    end = time.perf_counter() + time_limit
    left = len(villages)
    for part in sorted(parts, key=len):  # small groups first: the time they leave goes on
        share = max(MIN_PART_SECONDS, (end - time.perf_counter()) * len(part) / max(1, left))
        left -= len(part)
        choice |= _solve_part(
            net,
            candidates,
            part,
            eligible,
            routing,
            limits,
            mode,
            walk_cost_per_km,
            closed,
            share,
            seed,
            ends,
        )
    if notes is not None:
        worst = next((e for e in ("unknown", "feasible") if e in ends), "optimal")
        n = sum(1 for e in ends if e == worst)
        notes.append(worst if worst == "optimal" else f"{worst} in {n} of {len(parts)} groups")
    return choice


def neighbour_groups(
    candidates: Sequence[Candidate],
    villages: Sequence[Station],
    eligible: Mapping[str, list[str]],
) -> list[list[Station]]:
    """Villages joined when they may use one shared (non-own) site, in network order:
    the groups the location model splits into."""
    kind = {c.id: c.kind for c in candidates}
    parent = list(range(len(villages)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, s in enumerate(villages):
        for cid in eligible[s.node]:
            if kind[cid] == OWN:
                continue
            j = first.setdefault(cid, i)
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Station]] = defaultdict(list)
    for i, s in enumerate(villages):
        groups[find(i)].append(s)
    return [groups[k] for k in sorted(groups)]


def _solve_part(
    net: Network,
    candidates: Sequence[Candidate],
    villages: Sequence[Station],
    eligible: Mapping[str, list[str]],
    routing: Mapping[str, float],
    limits: Mapping[tuple[str, str], int],
    mode: str,
    walk_cost_per_km: float,
    closed: frozenset[str],
    time_limit: float,
    seed: int,
    ends: list[str],
) -> dict[str, str]:
    """The location model of one group of neighbouring villages (see solve_location)."""
    cand = {c.id: c for c in candidates}
    usable = {
        s.node: [c for c in eligible[s.node] if c not in closed or cand[c].kind == OWN]
        for s in villages
    }
    sites = sorted({c for opts in usable.values() for c in opts})
    users: dict[str, list[Station]] = defaultdict(list)
    for s in villages:
        for cid in usable[s.node]:
            users[cid].append(s)
    walk: dict[tuple[str, str], int] = {}
    if walk_cost_per_km > 0:
        for s in villages:
            here = net.node_by_id[s.node]
            for cid in usable[s.node]:
                km = walking_km(net, here, cand[cid])
                walk[(s.node, cid)] = round(CP_SCALE * walk_cost_per_km * _parcels(s) * km)
    model = LocationModel(
        options=usable,
        open_cost={c: round(CP_SCALE * (cand[c].weekly_cost + routing.get(c, 0.0))) for c in sites},
        assign_cost=walk,
        one_of=[g for g in _places(net, [cand[c] for c in sites], villages).values() if len(g) > 1],
        limits=[
            limit
            for cid in sites
            if cand[cid].kind != OWN and len(users[cid]) > 1
            for limit in _capacity(cid, users[cid], limits, net, mode)
        ],
        hint={s.node: _own_of(s.node, eligible, cand) for s in villages},
    )
    chosen, status = solve_location_model(model, time_limit, seed)
    ends.append(status)
    if chosen is None:  # no choice in time: own stations
        return {s.node: _own_of(s.node, eligible, cand) for s in villages}
    return chosen


def _places(
    net: Network, candidates: Sequence[Candidate], villages: Sequence[Station]
) -> dict[str, list[str]]:
    """Candidates grouped by the village point they stand on (within SAME_PLACE_KM): one
    station a place, so at most one of each group opens."""
    points = [net.node_by_id[s.node] for s in villages]
    out: dict[str, list[str]] = defaultdict(list)
    for c in candidates:
        at = [
            p.id
            for p in points
            if p.island == c.island and place_km(net, p.lon, p.lat, c.lon, c.lat) <= SAME_PLACE_KM
        ]
        if at:
            out[min(at)].append(c.id)
    return out


def _own_of(village: str, eligible: Mapping[str, list[str]], cand: Mapping[str, Candidate]) -> str:
    return next(c for c in eligible[village] if cand[c].kind == OWN)


def _capacity(
    cid: str,
    users: Sequence[Station],
    limits: Mapping[tuple[str, str], int],
    net: Network,
    mode: str,
) -> list[tuple[dict[tuple[str, str], int], int]]:
    """A shared site's parcels per visit within the island's limit, per carrier: the
    weighted sums of assignments and their bounds."""
    isl = net.node_by_id[users[0].node].island
    keys = {k for s in users for k in _loads(s, mode)}
    return [
        (
            {(s.node, cid): _loads(s, mode).get(k, 0) for s in users},
            limits.get((isl, k), 0),
        )
        for k in sorted(keys)
    ]


# ---- the sited network ------------------------------------------------------------------


def sited_network(
    net: Network, candidates: Sequence[Candidate], choice: Mapping[str, str]
) -> tuple[Network, list[Site]]:
    """The network with each chosen site in place of the villages it serves (see the
    module docstring), and the sites; every village of ``choice`` is served once."""
    cand = {c.id: c for c in candidates}
    groups: dict[str, list[str]] = defaultdict(list)
    for v in sorted(choice):
        groups[choice[v]].append(v)
    nodes = {n.id: n for n in net.nodes}
    kinds: dict[str, str] = {}
    roads = list(net.roads)
    served = set(choice)
    stations = [s for s in net.stations if s.node not in served]
    sites: list[Site] = []
    referenced = _referenced(net)
    taken: set[str] = set()
    zones = road_zones(net)
    for cid in sorted(groups):
        c, members = cand[cid], groups[cid]
        node_id = _site_node(net, c, members, nodes, roads, taken, zones)
        taken.add(node_id)
        for v in members:
            if v != node_id and v not in referenced:
                kinds[v] = "junction"
        kinds.pop(node_id, None)
        stations.append(_merged_station(net, node_id, c, members))
        parcels = sum(_parcels(net.station_by_node[v]) for v in members)
        sites.append(Site(cid, c.kind, node_id, tuple(members), parcels, c.weekly_cost))
    new_nodes = [
        n.model_copy(update={"kind": kinds[n.id]}) if n.id in kinds else n for n in nodes.values()
    ]
    prov = dict(net.provenance or {})
    prov["siting"] = {
        s.node: {"candidate": s.candidate, "villages": list(s.villages)} for s in sites
    }
    order = {n.id: i for i, n in enumerate(new_nodes)}
    stations.sort(key=lambda s: order[s.node])
    sited = net.replace(nodes=new_nodes, roads=roads, stations=stations, provenance=prov)
    return sited, sites


def _referenced(net: Network) -> set[str]:
    """Nodes something other than their station names: depots, piers, hand-in places."""
    out = {v.depot for v in net.vehicles} | {f.from_ for f in net.ferries}
    out |= {f.to for f in net.ferries}
    out |= {s.pickup_to for s in net.stations if s.pickup_to is not None}
    return out


def _site_node(
    net: Network,
    c: Candidate,
    members: Sequence[str],
    nodes: dict[str, Node],
    roads: list[Road],
    taken: set[str],
    zones: Mapping[str, int],
) -> str:
    """The node a site stands on: the nearest of its villages when within
    SAME_PLACE_KM (and no other site stands there), else a new station node joined by
    estimated roads to that village and to the nearest other node of its road zone (a
    terminal to its pier, a co-operative to the town's depot)."""
    near = min(
        members,
        key=lambda v: (place_km(net, nodes[v].lon, nodes[v].lat, c.lon, c.lat), v),
    )
    if near not in taken and place_km(net, nodes[near].lon, nodes[near].lat, c.lon, c.lat) <= (
        SAME_PLACE_KM
    ):
        return near
    node_id = f"{SITE_PREFIX}{c.id}"
    if node_id in nodes:
        raise NetworkError(
            Problem(f"candidate {c.id!r}", "id", f"its site node {node_id!r} is already a node")
        )
    nodes[node_id] = Node(
        id=node_id, kind="station", island=c.island, lon=c.lon, lat=c.lat, name=c.name
    )
    if net.roads or net.geometry != "planar":  # planar networks without roads go straight
        here = [
            n
            for n in net.nodes
            if n.island == c.island and zones.get(n.id) == zones.get(near) and n.id != near
        ]
        closest = min(here, key=lambda n: (_km_to(net, c, n), n.id), default=None)
        for end in [near] + ([closest.id] if closest is not None else []):
            roads.append(_road_to(net, c, node_id, nodes[end]))
    return node_id


def _km_to(net: Network, c: Candidate, n: Node) -> float:
    return place_km(net, c.lon, c.lat, n.lon, n.lat)


def _road_to(net: Network, c: Candidate, node_id: str, end: Node) -> Road:
    """An estimated road from a new site node to ``end`` (straight line x DETOUR_FACTOR
    at ROAD_SPEED_KMH)."""
    km = _km_to(net, c, end) * DETOUR_FACTOR
    return Road(
        a=node_id,
        b=end.id,
        km=round(km, KM_DECIMALS),
        minutes=round(km / ROAD_SPEED_KMH * 60, MINUTE_DECIMALS),
    )


def _merged_station(net: Network, node: str, c: Candidate, members: Sequence[str]) -> Station:
    """One station for a site's villages: parcels summed, the most visits and the longest
    service any of them asks, the site's opening hours."""
    sts = [net.station_by_node[v] for v in members]
    demand: dict[str, int] = defaultdict(int)
    pickup: dict[str, int] = defaultdict(int)
    for s in sts:
        for k, q in s.demand.items():
            demand[k] += q
        for k, q in s.pickup.items():
            pickup[k] += q
    return Station(
        node=node,
        min_visits=max(s.min_visits for s in sts),
        open=c.open,
        demand=dict(demand),
        pickup=dict(pickup),
        service_minutes=max(s.service_minutes for s in sts),
    )


# ---- the whole run ------------------------------------------------------------------------


def figures(plan: Plan, station_costs: Mapping[str, float], stations: int) -> Figures:
    """A week's siting figures from its plan and its stations' weekly costs."""
    return Figures(
        stations=stations,
        stops=plan.totals.visits,
        route_cost=plan.totals.cost,
        station_cost=sum(station_costs.values()),
        km=plan.totals.km,
    )


def site(
    net: Network,
    candidates: Sequence[Candidate],
    *,
    walk_km: float = WALK_KM_DEFAULT,
    mode: Mode = "joint",
    time_limit: float = TIME_LIMIT_DEFAULT,
    seed: int = 0,
    rounds: int = ROUNDS_DEFAULT,
    own_weekly_cost: float = OWN_WEEKLY_COST_DEFAULT,
    walk_cost_per_km: float = WALK_COST_PER_KM_DEFAULT,
    baseline: Plan | None = None,
    progress: Callable[[str], None] | None = None,
) -> SitingReport:
    """Choose the stations and plan the week with them, against one station per village
    (``baseline``, planned here when not given); returns within ``time_limit`` and the
    planner's margin, max(1 s, 5 %) (each week planned gets ``time_limit / (rounds + 2)``;
    a round starts only when it can end in time).
    """
    from islandroute.planning.planner import plan_week

    say = progress or (lambda _m: None)
    _check_args(walk_km, time_limit, rounds, own_weekly_cost, walk_cost_per_km)
    t0 = time.perf_counter()
    villages, kept = split_villages(net)
    cands = with_own(net, candidates, villages, own_weekly_cost)
    check_candidates(net, cands)
    cand = {c.id: c for c in cands}
    eligible = eligibility(net, cands, villages, walk_km)
    routing = initial = estimate_routing(net, cands, villages, eligible, mode)
    plan_s = max(MIN_PLAN_SECONDS, time_limit / (rounds + 2))
    solver_s = min(SOLVER_SECONDS, plan_s / 4)
    own_cost = baseline_station_costs(net, cand, villages, eligible)
    own_cost |= {v: own_weekly_cost for v in kept}
    if baseline is None:
        say("planning one station per village")
        baseline = plan_week(net, mode, time_limit=plan_s, seed=seed)
    base = figures(baseline, own_cost, len(villages) + len(kept))
    closed: set[str] = set()
    diagnoses: list[Problem] = []
    history: list[dict[str, Any]] = []
    seen: list[dict[str, str]] = []
    best: tuple[float, dict[str, str], Network, list[Site], Plan] | None = None
    stopped = "rounds"
    attempts = 0
    notes: list[str] = []
    while True:
        choice = solve_location(
            net,
            cands,
            villages,
            eligible,
            routing,
            mode=mode,
            walk_cost_per_km=walk_cost_per_km,
            closed=frozenset(closed),
            time_limit=solver_s,
            seed=seed,
            notes=notes,
        )
        if choice in seen:
            stopped = "choice_repeated"
            break
        seen.append(choice)
        sited, sites = sited_network(net, cands, choice)
        say(f"round {len(history)}: {len(sites)} stations for {len(choice)} villages")
        try:
            plan = plan_week(sited, mode, time_limit=plan_s, seed=seed)
        except InfeasibleError as err:
            bad = _sites_at_fault(err, sites)
            attempts += 1
            late = time.perf_counter() - t0 + plan_s > time_limit + _margin(time_limit)
            if not bad or attempts > MAX_CLOSING_ROUNDS or (late and best is None):
                raise
            closed |= bad
            diagnoses += [
                p for p in err.problems if any(_names(p, s) for s in sites if s.candidate in bad)
            ]
            if late:
                stopped = "time_limit"
                break
            continue
        station_cost = {s.node: s.weekly_cost for s in sites} | {v: own_weekly_cost for v in kept}
        total = plan.totals.cost + sum(station_cost.values())
        estimated = sum(
            cand[s.candidate].weekly_cost + routing.get(s.candidate, 0.0) for s in sites
        )
        history.append(
            {
                "round": len(history),
                "stations": len(sites),
                "estimated_cost": round(estimated, 2),
                "planned_cost": round(total, 2),
                "solver": notes[-1],
            }
        )
        if best is None or total < best[0] - 1e-6:
            best = (total, choice, sited, sites, plan)
        if len(history) > rounds:
            stopped = "rounds"
            break
        if time.perf_counter() - t0 + plan_s + solver_s > time_limit + _margin(time_limit):
            stopped = "time_limit"
            break
        routing = _recalibrate(sited, plan, sites, cands, initial)
    if best is None:  # every choice left was one already planned and refused
        raise InfeasibleError(diagnoses or [Problem("site", "choice", "no sited week planned")])
    total, choice, sited, sites, plan = best
    station_cost = {s.node: s.weekly_cost for s in sites} | {v: own_weekly_cost for v in kept}
    report = SitingReport(
        network=net.name,
        mode=mode,
        walk_km=walk_km,
        choice=choice,
        sites=sites,
        baseline=base,
        sited=figures(plan, station_cost, len(sites) + len(kept)),
        plan=plan,
        sited_network=sited,
        baseline_plan=baseline,
        baseline_station_costs=own_cost,
        rounds=history,
        closed=diagnoses,
        kept=kept,
        stopped=stopped,
        seconds=time.perf_counter() - t0,
        village_parcels={st.node: _parcels(st) for st in net.stations},
    )
    return report


def baseline_station_costs(
    net: Network,
    cand: Mapping[str, Candidate],
    villages: Sequence[Station],
    eligible: Mapping[str, list[str]],
) -> dict[str, float]:
    """One station per village: each at the cheapest of its candidates that stand at the
    village point (its own station at least), so the baseline differs from the sited
    week by the sharing and the moves only, not by a dearer kind of station."""
    out: dict[str, float] = {}
    for s in villages:
        node = net.node_by_id[s.node]
        here = [
            cand[c].weekly_cost
            for c in eligible[s.node]
            if place_km(net, node.lon, node.lat, cand[c].lon, cand[c].lat) <= SAME_PLACE_KM
        ]
        out[s.node] = min(here, default=cand[_own_of(s.node, eligible, cand)].weekly_cost)
    return out


def _margin(time_limit: float) -> float:
    """The planner's own margin over a time limit (``plan_week``: max(1 s, 5 %))."""
    return max(PLAN_MARGIN_SECONDS, PLAN_MARGIN_SHARE * time_limit)


def _check_args(
    walk_km: float, time_limit: float, rounds: int, own_cost: float, walk_cost: float
) -> None:
    """Refuse arguments out of range, naming each."""
    problems = []
    for name, value, ok in (
        ("walk_km", walk_km, 0 <= walk_km <= 100),
        ("time_limit", time_limit, 0 < time_limit <= 86_400),
        ("rounds", rounds, 0 <= rounds <= 100),
        ("own_weekly_cost", own_cost, 0 <= own_cost <= 1e6),
        ("walk_cost_per_km", walk_cost, 0 <= walk_cost <= 1e6),
    ):
        if not (isinstance(value, int | float) and math.isfinite(value) and ok):
            problems.append(Problem("site", name, f"{value!r} is out of range"))
    if problems:
        raise OptionsError(problems)


def _names(p: Problem, s: Site) -> bool:
    """Whether a planner's problem names a site's station node."""
    return f"'{s.node}'" in str(p)


def _sites_at_fault(err: InfeasibleError, sites: Sequence[Site]) -> set[str]:
    """The shared (non-own) candidates whose stations a planner's diagnosis names."""
    return {s.candidate for p in err.problems for s in sites if _names(p, s) and s.kind != OWN}


def _recalibrate(
    sited: Network,
    plan: Plan,
    sites: Sequence[Site],
    candidates: Sequence[Candidate],
    initial: Mapping[str, float],
) -> dict[str, float]:
    """New routing estimates: every candidate's first estimate times its island's ratio
    of planned route cost (the open sites' shares of the routes) to first estimates, so
    a stop costs what the island's planned week says, crossings included, whichever
    sites are open (a share by parcels would make a shared site look dear)."""
    planned, _parcels_at = station_route_costs(sited, plan)
    island_of = {c.id: c.island for c in candidates}
    est: dict[str, float] = defaultdict(float)
    got: dict[str, float] = defaultdict(float)
    for s in sites:
        isl = island_of[s.candidate]
        est[isl] += initial.get(s.candidate, 0.0)
        got[isl] += planned.get(s.node, 0.0)
    return {
        cid: value * (got[island_of[cid]] / est[island_of[cid]] if est[island_of[cid]] > 0 else 1)
        for cid, value in initial.items()
    }
