"""islandroute's day routing against PyVRP on generated CVRP instances, at equal time.

Each instance is an X-set-style CVRP made here (Uchoa et al.'s recipe in spirit: a
1,000 x 1,000 grid, a central, corner or random depot, random, clustered or mixed
customers, several demand distributions, capacity from a target number of customers
per route), 100 to 200 customers. Both solvers get the same fleet: the fewest vehicles
that can carry the demand plus a margin, no fixed or time costs.

* islandroute: one-day planar network (no roads: straight lines, coordinates / 10 so
  that routes fit a day), every station on the one day (``days="fixed"``),
  ``plan_week(net, "joint", time_limit=T, seed=0)``; the planner may stop early when
  its searches stop improving (column ``s``).
* PyVRP (``pyvrp==0.14.1``, the ``peers`` extra): ``Model`` with the integer distances
  ``nint(euclid)`` of the original grid, ``solve(stop=MaxRuntime(T), seed=0)``.

Both solutions are then measured with the same function: the sum over arcs of
``nint(euclidean)`` on the original grid (TSPLIB ``EUC_2D``, the X-set convention;
``cost``) and the unrounded Euclidean length (``euclid``). ``ratio = islandroute /
PyVRP`` on the rounded cost.

    .venv/bin/pip install -e '.[peers]'          # or: .venv/bin/pip install pyvrp==0.14.1
    .venv/bin/python benchmarks/peers.py          # 7 instances, 10 s each solver
    .venv/bin/python benchmarks/peers.py -t 5 --instances x100-c-r-u10 --out mine

Writes ``benchmarks/results/<out>.json`` and ``<out>.md``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from _common import machine, md_table, write_json, write_text

from islandroute.model.network import (
    Carrier,
    Island,
    Network,
    Node,
    ServiceRules,
    Station,
    Vehicle,
)
from islandroute.planning.planner import plan_week
from islandroute.validate import validate

PYVRP_VERSION = "0.14.1"
GRID = 1000  # coordinates 0..GRID, as the X set
SCALE = 10.0  # islandroute's planar km = grid units / SCALE (routes must fit a day)
DAY = "d1"
CARRIER = "cvrp"
NO_LIMIT = 2800  # shift and opening end: below the planner's two-day horizon


@dataclass(frozen=True)
class Spec:
    """How to generate one instance."""

    name: str
    n: int
    depot: str  # central | corner | random
    customers: str  # random | clustered | mixed
    demand: str  # unit | 1-10 | 5-100 | 50-100 | small-large
    per_route: float  # target customers per route: sets the capacity
    seed: int


SPECS: tuple[Spec, ...] = (
    Spec("x100-c-r-u10", 100, "central", "random", "1-10", 8, 1),
    Spec("x120-e-c-u100", 120, "corner", "clustered", "5-100", 12, 2),
    Spec("x150-r-m-u100", 150, "random", "mixed", "5-100", 15, 3),
    Spec("x150-c-r-unit", 150, "central", "random", "unit", 25, 4),
    Spec("x175-e-c-50", 175, "corner", "clustered", "50-100", 6, 5),
    Spec("x200-c-m-sl", 200, "central", "mixed", "small-large", 10, 6),
    Spec("x200-r-r-u10", 200, "random", "random", "1-10", 20, 7),
)


@dataclass(frozen=True)
class Cvrp:
    """A CVRP instance: depot first in ``xy``; ``demand[0] == 0``."""

    name: str
    xy: np.ndarray
    demand: np.ndarray
    capacity: int
    vehicles: int

    @property
    def n(self) -> int:
        return len(self.xy) - 1


def generate(spec: Spec) -> Cvrp:
    """An X-set-style instance from a spec (the same for the same spec)."""
    rng = np.random.default_rng(spec.seed)
    if spec.depot == "central":
        depot = np.array([GRID / 2, GRID / 2])
    elif spec.depot == "corner":
        depot = np.array([0.0, 0.0])
    else:
        depot = rng.integers(0, GRID + 1, size=2).astype(float)
    n_clustered = {"random": 0, "clustered": spec.n, "mixed": spec.n // 2}[spec.customers]
    seeds = rng.integers(0, GRID + 1, size=(int(rng.integers(3, 9)), 2)).astype(float)
    taken = {tuple(depot)}
    pts: list[tuple[float, float]] = []
    while len(pts) < spec.n:
        if len(pts) < n_clustered:
            c = seeds[int(rng.integers(len(seeds)))]
            p = np.clip(np.rint(c + rng.normal(0, 45, size=2)), 0, GRID)
        else:
            p = rng.integers(0, GRID + 1, size=2).astype(float)
        key = (float(p[0]), float(p[1]))
        if key not in taken:  # no two customers (or one and the depot) on one point
            taken.add(key)
            pts.append(key)
    n = spec.n
    if spec.demand == "unit":
        q = np.ones(n, dtype=np.int64)
    elif spec.demand == "small-large":  # many small, a few large
        small = rng.random(n) < 0.8
        q = np.where(small, rng.integers(1, 11, n), rng.integers(50, 101, n))
    else:
        lo, hi = (int(x) for x in spec.demand.split("-"))
        q = rng.integers(lo, hi + 1, n)
    capacity = math.ceil(spec.per_route * float(q.sum()) / n)
    capacity = max(capacity, int(q.max()))
    k_min = math.ceil(float(q.sum()) / capacity)
    vehicles = k_min + max(2, math.ceil(0.1 * k_min))
    xy = np.vstack([depot[None, :], np.array(pts)])
    return Cvrp(spec.name, xy, np.concatenate([[0], q]).astype(np.int64), capacity, vehicles)


def lengths(inst: Cvrp, routes: list[list[int]]) -> tuple[int, float]:
    """(sum of nint(euclid), sum of euclid) over every arc of routes of customer indices
    (1..n), each from and back to the depot (0)."""
    rounded, exact = 0, 0.0
    for r in routes:
        path = [0, *r, 0]
        for a, b in itertools.pairwise(path):
            d = float(np.hypot(*(inst.xy[a] - inst.xy[b])))
            rounded += math.floor(d + 0.5)
            exact += d
    return rounded, exact


def _served(inst: Cvrp, routes: list[list[int]]) -> bool:
    """Every customer exactly once and every route within capacity."""
    seen = sorted(c for r in routes for c in r)
    loads_ok = all(int(inst.demand[r].sum()) <= inst.capacity for r in routes if r)
    return seen == list(range(1, inst.n + 1)) and loads_ok


# ---- islandroute -------------------------------------------------------------------------


def network(inst: Cvrp) -> Network:
    """The instance as a one-day planar network: depot ``"0"``, customer ``i`` node
    ``"i"``, vehicles costing 1 per km and nothing else."""
    xy = inst.xy / SCALE
    nodes = [Node(id="0", kind="depot", island="main", lon=xy[0, 0], lat=xy[0, 1])]
    stations = []
    for i in range(1, inst.n + 1):
        nodes.append(Node(id=str(i), kind="station", island="main", lon=xy[i, 0], lat=xy[i, 1]))
        stations.append(
            Station(
                node=str(i),
                min_visits=1,
                exact_visits=True,
                patterns=((DAY,),),
                demand={CARRIER: int(inst.demand[i])},
                service_minutes=0.0,
                open=(0, NO_LIMIT),
            )
        )
    vehicles = [
        Vehicle(
            id=f"v{k + 1}",
            carrier=CARRIER,
            depot="0",
            capacity=inst.capacity,
            shift=(0, NO_LIMIT),
            cost_per_km=1.0,
            cost_per_hour=0.0,
            cost_fixed=0.0,
            co2_per_km=0.0,
        )
        for k in range(inst.vehicles)
    ]
    return Network(
        name=inst.name,
        days=(DAY,),
        geometry="planar",
        nodes=tuple(nodes),
        carriers=(Carrier(id=CARRIER, name="CVRP"),),
        stations=tuple(stations),
        vehicles=tuple(vehicles),
        islands=(Island(id="main", name="main", lon=xy[0, 0], lat=xy[0, 1]),),
        rules=ServiceRules(service_days=(DAY,), split="equal", min_visits=1),
    )


def solve_islandroute(inst: Cvrp, seconds: float) -> dict[str, Any]:
    """Route the day with ``plan_week`` (visit day fixed): routes, lengths, validity."""
    net = network(inst)
    t0 = time.perf_counter()
    plan = plan_week(net, "joint", time_limit=seconds, seed=0, days="fixed", fixed=(DAY,))
    took = time.perf_counter() - t0
    routes = [[int(s.node) for s in r.stops[1:-1]] for r in plan.routes]
    rounded, exact = lengths(inst, routes)
    return {
        "cost": rounded,
        "euclid": round(exact, 2),
        "own_cost": round(plan.cost * SCALE, 2),  # its own objective, in grid units
        "routes": len([r for r in routes if r]),
        "seconds": round(took, 2),
        "stopped": plan.stats.get("stopped"),
        "feasible": _served(inst, routes) and not validate(net, plan),
    }


# ---- PyVRP -------------------------------------------------------------------------------


def pyvrp_missing() -> str | None:
    """Why PyVRP cannot be used here (None when ``pyvrp==0.14.1`` is importable)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("pyvrp")
        import pyvrp  # noqa: F401
    except (PackageNotFoundError, ImportError):
        return (
            "pyvrp is not installed: this benchmark compares against PyVRP "
            f"{PYVRP_VERSION}; install it with `.venv/bin/pip install -e '.[peers]'` "
            f"(or `.venv/bin/pip install pyvrp=={PYVRP_VERSION}`)"
        )
    if found != PYVRP_VERSION:
        print(f"warning: pyvrp {found} installed, results were made with {PYVRP_VERSION}")
    return None


def solve_pyvrp(inst: Cvrp, seconds: float) -> dict[str, Any]:
    """Solve with PyVRP on the rounded distances: routes, lengths, feasibility."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    m = Model()
    m.add_vehicle_type(num_available=inst.vehicles, capacity=inst.capacity)
    locs = [m.add_location(x=float(x), y=float(y)) for x, y in inst.xy]
    m.add_depot(locs[0])
    for i in range(1, inst.n + 1):
        m.add_client(locs[i], delivery=int(inst.demand[i]))
    diff = inst.xy[:, None, :] - inst.xy[None, :, :]
    dist = np.floor(np.hypot(diff[..., 0], diff[..., 1]) + 0.5).astype(np.int64)
    for a, la in enumerate(locs):
        for b, lb in enumerate(locs):
            m.add_edge(la, lb, distance=int(dist[a, b]))
    t0 = time.perf_counter()
    res = m.solve(stop=MaxRuntime(seconds), seed=0, display=False)
    took = time.perf_counter() - t0
    data = m.data()
    routes = [[data.client(a.idx).location for a in r if a.is_client()] for r in res.best.routes()]
    rounded, exact = lengths(inst, routes)
    return {
        "cost": rounded,
        "euclid": round(exact, 2),
        "own_cost": int(res.cost()) if res.is_feasible() else None,
        "routes": len([r for r in routes if r]),
        "seconds": round(took, 2),
        "iterations": res.num_iterations,
        "feasible": bool(res.is_feasible()) and _served(inst, routes),
    }


# ---- report -------------------------------------------------------------------------------


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """The report: the instances and one table of costs, ratios and times."""
    m = meta["machine"]
    head = [
        "instance",
        "n",
        "Q",
        "veh",
        "islandroute",
        "routes",
        "s",
        "ok",
        "PyVRP",
        "routes",
        "s",
        "ok",
        "ratio",
        "gap %",
        "ratio (euclid)",
    ]
    body = []
    for r in rows:
        a, b = r["islandroute"], r["pyvrp"]
        body.append(
            [
                r["instance"],
                r["n"],
                r["capacity"],
                r["vehicles"],
                f"{a['cost']:,}",
                a["routes"],
                a["seconds"],
                "yes" if a["feasible"] else "**no**",
                f"{b['cost']:,}",
                b["routes"],
                b["seconds"],
                "yes" if b["feasible"] else "**no**",
                f"{r['ratio']:.4f}",
                f"{r['gap_pct']:+.2f}",
                f"{r['ratio_euclid']:.4f}",
            ]
        )
    gaps = [r["gap_pct"] for r in rows]
    lines = [
        "# islandroute day routing against PyVRP (CVRP, equal time)",
        "",
        f"{m['when']}, Python {m['python']}, OR-Tools {m['ortools']}, "
        f"PyVRP {meta['pyvrp']}, {m['cpus']} CPUs, {meta['time_limit']:g} s each, seed 0, "
        "one solver at a time.",
        "",
        "Generated X-set-style instances (`benchmarks/peers.py`: grid 1,000 x 1,000; name "
        "= customers, depot central/corner(e)/random, customers random/clustered/mixed, "
        "demand). Both get the same fleet (`veh`: the fewest vehicles that carry the "
        "demand plus a margin) and capacity `Q`. islandroute: `plan_week` on a one-day "
        "planar network with the day fixed (the planner may stop before the limit when "
        "its searches stop improving: `s`); PyVRP: `Model.solve(stop=MaxRuntime(t))` on "
        "the rounded distances. Both solutions measured with one function: `cost` = sum "
        "of nint(euclidean) over arcs (X-set convention), `ratio` = islandroute / PyVRP, "
        "`gap %` = 100 (islandroute − PyVRP) / PyVRP; `ratio (euclid)` on unrounded "
        "lengths. `ok`: every customer served once within capacity (and, for "
        "islandroute, `islandroute.validate` finds nothing).",
        "",
        md_table(head, body),
        f"Mean gap {sum(gaps) / len(gaps):+.2f} %, max {max(gaps):+.2f} %, "
        f"min {min(gaps):+.2f} % over {len(rows)} instances.\n"
        if rows
        else "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", nargs="+", default=[s.name for s in SPECS])
    ap.add_argument("-t", "--time-limit", type=float, default=10.0)
    ap.add_argument("--out", default="peers")
    args = ap.parse_args(argv)
    why = pyvrp_missing()
    if why:
        print(f"error: {why}", file=sys.stderr)
        return 2
    from importlib.metadata import version

    specs = {s.name: s for s in SPECS}
    unknown = [x for x in args.instances if x not in specs]
    if unknown:
        print(f"error: unknown instances {unknown}; known: {list(specs)}", file=sys.stderr)
        return 2
    meta = {"time_limit": args.time_limit, "pyvrp": version("pyvrp"), "machine": machine()}
    rows: list[dict[str, Any]] = []
    for name in args.instances:
        inst = generate(specs[name])
        ours = solve_islandroute(inst, args.time_limit)
        theirs = solve_pyvrp(inst, args.time_limit)
        row = {
            "instance": name,
            "spec": specs[name].__dict__,
            "n": inst.n,
            "capacity": inst.capacity,
            "vehicles": inst.vehicles,
            "demand": int(inst.demand.sum()),
            "islandroute": ours,
            "pyvrp": theirs,
            "ratio": round(ours["cost"] / theirs["cost"], 4),
            "gap_pct": round(100 * (ours["cost"] - theirs["cost"]) / theirs["cost"], 2),
            "ratio_euclid": round(ours["euclid"] / theirs["euclid"], 4),
        }
        rows.append(row)
        print(
            f"{name}: islandroute {ours['cost']:,} ({ours['seconds']} s), "
            f"PyVRP {theirs['cost']:,} ({theirs['seconds']} s), gap {row['gap_pct']:+.2f} %",
            flush=True,
        )
        write_json(args.out, {**meta, "rows": rows})
        write_text(f"{args.out}.md", markdown(rows, meta))
    bad = [r for r in rows if not (r["islandroute"]["feasible"] and r["pyvrp"]["feasible"])]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
