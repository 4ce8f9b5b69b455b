"""Tuning the week search on generated PVRP-like weeks, with a move budget.

The search's constants (``Tuning.road_*``) are chosen here, on weeks made by
``islandroute.datasets.pvrp.generate_pvrp`` (50-400 stations, 2-10 days, tight and
loose capacity, uniform or clustered) -- never on the Cordeau development set, which is
for reporting. Every run starts from the same week (balanced visit days, each day
routed by OR-Tools under a solution limit) and searches with a budget of priced moves
instead of a clock, so a table is the same on any machine and under any load.

    .venv/bin/python benchmarks/tune.py                       # the default tuning
    .venv/bin/python benchmarks/tune.py --set road_ruin=0.15 --set road_neighbours=10
    .venv/bin/python benchmarks/tune.py --moves 300000 --out tune_quick

Columns: cost of each seed's search (solver units / 1000), the mean, and the sum over
the weeks (lower is better); compare two tunings by their sums.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np
from _common import machine, write_json, write_text

from islandroute.datasets.pvrp import generate_pvrp
from islandroute.model.network import Network
from islandroute.network.reach import Reach
from islandroute.planning.instance import Instance
from islandroute.planning.options import Tuning
from islandroute.planning.patterns import balanced_patterns
from islandroute.planning.week import Week
from islandroute.planning.week_search import search_week

#: (stations, days, seed, capacity): the tuning weeks
WEEKS: tuple[tuple[int, int, int, str], ...] = (
    (50, 2, 11, "tight"),
    (100, 5, 12, "tight"),
    (100, 5, 13, "loose"),
    (150, 3, 14, "tight"),
    (200, 5, 15, "tight"),
    (200, 10, 16, "loose"),
    (400, 5, 17, "tight"),
)
SEEDS = (0, 1)
START_SECONDS = 60.0  # ample: the start's days stop on their solution limits


def start_week(net: Network) -> Week:
    """Balanced visit days, each day routed by OR-Tools (effort 1: repeatable)."""
    inst = Instance(net, Reach(net), tuple(net.carrier_ids), list(net.vehicles), "joint")
    week = Week(inst, balanced_patterns(inst, 0), effort=1)
    week.solve_all(START_SECONDS)
    return week


def run(moves: int, tuning: Tuning, weeks: tuple[tuple[int, int, int, str], ...]) -> list[dict]:
    rows = []
    for n, days, seed, capacity in weeks:
        net = generate_pvrp(n, days, seed, capacity=capacity)  # type: ignore[arg-type]
        week = start_week(net)
        week.tuning = tuning
        costs, seconds = [], []
        for s in SEEDS:
            t0 = time.perf_counter()
            found = search_week(
                week, seconds=1e6, seed=s, moves=moves, patterns=True, say=lambda _m: None
            )
            seconds.append(time.perf_counter() - t0)
            costs.append(np.inf if found is None else found.best_cost / 1000)
        row = {
            "week": net.name,
            "start": week.objective() / 1000,
            "costs": [round(c, 1) for c in costs],
            "mean": round(float(np.mean(costs)), 1),
            "seconds": round(float(np.mean(seconds)), 1),
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def markdown(rows: list[dict], moves: int, changes: dict[str, Any]) -> str:
    lines = [
        f"# Week search tuning ({moves:,} priced moves, seeds {list(SEEDS)})",
        "",
        f"Tuning changes: `{changes or 'none (defaults)'}`",
        "",
        "| week | start | costs | mean | s / search |",
        "|---|---:|---|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['week']} | {r['start']:,.1f} | {r['costs']} | {r['mean']:,.1f} | "
            f"{r['seconds']} |"
        )
    total = sum(r["mean"] for r in rows)
    lines += ["", f"Sum of means: **{total:,.1f}**", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=1_000_000, help="priced moves per search")
    ap.add_argument("--set", action="append", default=[], help="tuning field=value")
    ap.add_argument("--out", default="tune", help="results file stem")
    args = ap.parse_args()
    changes: dict[str, Any] = {}
    for item in args.set:
        key, _, value = item.partition("=")
        changes[key] = json.loads(value)
    rows = run(args.moves, Tuning(**changes), WEEKS)
    doc = {"machine": machine(), "moves": args.moves, "changes": changes, "rows": rows}
    write_json(args.out, doc)
    write_text(f"{args.out}.md", markdown(rows, args.moves, changes))


if __name__ == "__main__":
    main()
