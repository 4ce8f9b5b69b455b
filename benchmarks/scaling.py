"""Scaling benchmark: generated archipelagos of 100 to 2,000 stations, 3 to 7 carriers.

Each case runs in a fresh subprocess so its peak memory (``ru_maxrss``) is its own:

* ``joint`` / ``separate``: the planner with optimized visit days;
* ``joint_fixed``: baseline 1, every station on Mon/Wed/Fri, then daily OR-Tools routes;
* ``nn``: baseline 2, the greedy routes of ``nearest.py`` (Mon/Wed/Fri) over the stations
  a road joins to a vehicle's depot; it and the planner it is compared with
  (``nn_planner``: ``days="fixed"`` on the same road-connected sub-network, half the
  time limit) leave the islands beyond a ferry out (``baseline.py`` compares the whole
  archipelago, ferries included).

    .venv/bin/python benchmarks/scaling.py                         # 100, 300, 1000, 2000
    .venv/bin/python benchmarks/scaling.py --sizes 100 300 --out scaling_quick

Writes ``benchmarks/results/<out>.json``, ``<out>.md`` and ``<out>.png``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import REPO, machine, md_table, write_json, write_text

#: size -> (carriers, islands); 3 to 7 carriers as sizes grow, one island per 25 stations
#: (as ``islandroute`` CLI's generated networks).
SHAPES: dict[int, tuple[int, int]] = {100: (3, 4), 300: (4, 12), 1000: (6, 40), 2000: (7, 80)}
VARIANTS = ("joint", "separate", "joint_fixed", "nn")
PEAK_TARGET_MB = 4096
JOINT_2000_TARGET_S = 600


def default_limit(size: int) -> float:
    """Planner seconds for a size: 20 s at 100 stations, n/10 s beyond 200."""
    return float(max(20, size // 10))


def shape(size: int) -> tuple[int, int]:
    """Carriers and islands for a size (nearest listed shape below it)."""
    keys = [k for k in sorted(SHAPES) if k <= size] or [min(SHAPES)]
    return SHAPES[keys[-1]]


# ---- one case, in the child process ---------------------------------------------------


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _short(exc: Exception) -> str:
    """First line and first problem of an error, with the number of problems."""
    lines = str(exc).splitlines()
    return " ".join(lines[:2])[:300]


def run_case(size: int, variant: str, time_limit: float, seed: int) -> dict[str, Any]:
    """Generate the network, build travel matrices, plan; timings per stage."""
    from islandroute.datasets.synthetic import archipelago
    from islandroute.errors import InfeasibleError
    from islandroute.network.reach import Reach
    from islandroute.network.travel import Travel
    from islandroute.planning.planner import plan_week
    from islandroute.validate import validate

    carriers, islands = shape(size)
    t0 = time.perf_counter()
    net = archipelago(n_stations=size, n_islands=islands, n_carriers=carriers, seed=seed)
    t1 = time.perf_counter()
    travel = Travel(net)
    t2 = time.perf_counter()
    out: dict[str, Any] = {
        "size": size,
        "variant": variant,
        "carriers": carriers,
        "islands": islands,
        "nodes": len(net.nodes),
        "vehicles": len(net.vehicles),
        "time_limit_s": time_limit,
        "network_s": round(t1 - t0, 3),
        "travel_s": round(t2 - t1, 3),
    }
    if variant == "nn":
        from nearest import nearest_neighbour_plan, road_subnetwork

        sub = road_subnetwork(net, travel)
        t3 = time.perf_counter()
        nn_plan = nearest_neighbour_plan(sub)
        t4 = time.perf_counter()
        nn_bad = validate(sub, nn_plan)
        try:
            ref = plan_week(sub, "joint", time_limit=time_limit / 2, seed=seed, days="fixed")
            ref_cost, ref_valid, ref_err = round(ref.cost, 2), not validate(sub, ref), None
        except InfeasibleError as exc:
            ref_cost, ref_valid, ref_err = None, False, _short(exc)
        t5 = time.perf_counter()
        out.update(
            stations_covered=len(sub.stations),
            stations_total=len(net.stations),
            cost=round(nn_plan.cost, 2),
            km=round(nn_plan.totals.km, 2),
            routes=len(nn_plan.routes),
            valid=not nn_bad,
            violations=[str(v) for v in nn_bad[:5]],
            unserved=nn_plan.stats.get("unserved", 0),
            routing_s=round(t4 - t3, 3),
            seconds=round(t4 - t0, 3),
            planner_cost=ref_cost,
            planner_valid=ref_valid,
            planner_error=ref_err,
            planner_seconds=round(t5 - t4, 3),
        )
    else:
        mode = "separate" if variant.startswith("separate") else "joint"
        days = "fixed" if variant.endswith("_fixed") else "optimized"
        reach = Reach(net, travel)
        t3 = time.perf_counter()
        try:
            plan = plan_week(net, mode, time_limit=time_limit, seed=seed, days=days, reach=reach)
        except InfeasibleError as exc:  # the planner gave up: keep the timings and memory
            out.update(error=_short(exc), seconds=round(time.perf_counter() - t0, 3))
            out["peak_mb"] = round(peak_mb(), 1)
            return out
        t4 = time.perf_counter()
        bad = validate(net, plan)
        st = plan.stats
        out.update(
            stations_covered=len(net.stations),
            stations_total=len(net.stations),
            cost=round(plan.cost, 2),
            km=round(plan.totals.km, 2),
            routes=len(plan.routes),
            valid=not bad,
            violations=[str(v) for v in bad[:5]],
            plan_s=round(t4 - t3, 3),
            reach_s=st.get("reach_s"),
            visit_days_s=st.get("visit_days_s"),
            routing_s=st.get("routing_s"),
            improve_s=st.get("improve_s"),
            seconds=round(t4 - t0, 3),
            validate_s=round(time.perf_counter() - t4, 3),
        )
    out["peak_mb"] = round(peak_mb(), 1)
    return out


# ---- the driver -------------------------------------------------------------------------


def spawn(size: int, variant: str, time_limit: float, seed: int) -> dict[str, Any]:
    """Run one case in a fresh interpreter; its last stdout line is the JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", str(size), variant]
    cmd += ["--time-limit", str(time_limit), "--seed", str(seed)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    wall = round(time.perf_counter() - t0, 2)
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"size": size, "variant": variant, "error": err, "wall_s": wall}
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["wall_s"] = wall
    return row


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """Tables: every case, then optimized against fixed days per size."""
    head = ["size", "carriers", "variant", "cost", "valid", "wall s", "peak MB", "network s"]
    head += ["travel s", "visit days s", "routing s", "improve s", "stations"]
    body = []
    for r in rows:
        if "error" in r:
            body.append(
                [r["size"], r.get("carriers"), r["variant"], "ERROR: " + r["error"], "NO"]
                + [r.get(k) for k in ("wall_s", "peak_mb", "network_s", "travel_s")]
                + [None] * 4
            )
            continue
        body.append(
            [
                r["size"],
                r["carriers"],
                r["variant"],
                r["cost"],
                "yes" if r["valid"] else "NO",
                r["wall_s"],
                r["peak_mb"],
                r["network_s"],
                r["travel_s"],
                r.get("visit_days_s"),
                r.get("routing_s"),
                r.get("improve_s"),
                f"{r['stations_covered']}/{r['stations_total']}",
            ]
        )
    by = {(r["size"], r["variant"]): r for r in rows if "error" not in r}
    comp = []
    for size in sorted({r["size"] for r in rows}):
        j, f, s = by.get((size, "joint")), by.get((size, "joint_fixed")), by.get((size, "separate"))
        nn = by.get((size, "nn"))
        comp.append(
            [
                size,
                j and j["cost"],
                f and f["cost"],
                round(100 * (f["cost"] - j["cost"]) / f["cost"], 2) if j and f else None,
                s and s["cost"],
                round(100 * (s["cost"] - j["cost"]) / s["cost"], 2) if j and s else None,
                nn and nn["cost"],
                nn and nn["planner_cost"],
                round(100 * (nn["cost"] - nn["planner_cost"]) / nn["cost"], 2)
                if nn and nn.get("planner_cost")
                else None,
            ]
        )
    comp_head = ["size", "joint opt", "joint fixed MWF", "opt saves %", "separate opt"]
    comp_head += ["joint saves vs sep %", "NN (road)", "planner fixed (road)", "planner saves %"]
    return "\n".join(
        [
            "# Scaling benchmark\n",
            f"Run {meta['machine']['when']}, {meta['machine']['cpus']} CPUs, seed {meta['seed']}; "
            "planner time limit per size: "
            + ", ".join(f"{k}: {v:g} s" for k, v in meta["time_limits"].items())
            + ".\n",
            "## Every case\n",
            md_table(head, body),
            "\n## Optimized visit days against the baselines\n",
            md_table(comp_head, comp),
            "\nNN and its planner reference cover only the stations road-connected to "
            "a vehicle's depot (column *stations* of the `nn` rows).\n",
        ]
    )


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Cost and wall time against size, one line per variant."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for variant in dict.fromkeys(r["variant"] for r in rows):
        rs = sorted(
            (r for r in rows if r["variant"] == variant and "error" not in r),
            key=lambda r: r["size"],
        )
        if not rs:
            continue
        xs = [r["size"] for r in rs]
        label = variant + (" (road subset)" if variant == "nn" else "")
        ax1.plot(xs, [r["cost"] for r in rs], marker="o", label=label)
        ax2.plot(xs, [r["wall_s"] for r in rs], marker="o", label=label)
    ax1.set(xlabel="stations", ylabel="weekly cost", title="Cost")
    ax2.set(xlabel="stations", ylabel="wall seconds (subprocess)", title="Time")
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 2000])
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--time-limit", type=float, default=None, help="planner s (default by size)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="scaling")
    ap.add_argument("--case", nargs=2, metavar=("SIZE", "VARIANT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.case:
        size = int(args.case[0])
        limit = args.time_limit if args.time_limit is not None else default_limit(size)
        print(json.dumps(run_case(size, args.case[1], limit, args.seed)))
        return 0
    limits = {s: args.time_limit or default_limit(s) for s in args.sizes}
    rows = []
    for size in args.sizes:
        for variant in args.variants:
            row = spawn(size, variant, limits[size], args.seed)
            rows.append(row)
            print(
                f"{size:5d} {variant:12s} cost {row.get('cost')}  wall {row.get('wall_s')} s  "
                f"peak {row.get('peak_mb')} MB  valid {row.get('valid')} {row.get('error', '')}",
                flush=True,
            )
    meta = {"seed": args.seed, "time_limits": limits, "machine": machine()}
    write_json(args.out, {**meta, "rows": rows})
    write_text(f"{args.out}.md", markdown(rows, meta))
    plot(rows, REPO / "benchmarks" / "results" / f"{args.out}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
