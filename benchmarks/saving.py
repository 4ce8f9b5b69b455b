"""The joint-against-separate saving on the Zhoushan week, and its spread over seeds.

For each seed: ``plan_week(zhoushan(), "joint")`` and ``plan_week(..., "separate")`` at
the same time limit; the saving is ``1 - joint / separate`` of the week's cost. A saving
is only as honest as the separate weeks are good, so each row also gives the greedy
hand planner's separate week (``benchmarks/nearest.py``) as the floor it must beat.

    .venv/bin/python benchmarks/saving.py                 # seeds 0-4, 30 s each
    .venv/bin/python benchmarks/saving.py -t 10 --seeds 0 1 --out saving_quick
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from _common import machine, md_table, write_json, write_text
from nearest import greedy_plan

import islandroute as ir
from islandroute.datasets.zhoushan import zhoushan
from islandroute.validate import validate


def _plan(net: ir.Network, mode: str, limit: float, seed: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    plan = ir.plan_week(net, mode, time_limit=limit, seed=seed)  # type: ignore[arg-type]
    return {
        "cost": round(plan.totals.cost, 2),
        "km": round(plan.totals.km, 1),
        "seconds": round(time.perf_counter() - t0, 2),
        "valid": not validate(net, plan),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-t", "--time-limit", type=float, default=30.0)
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    ap.add_argument("--out", default="saving")
    args = ap.parse_args()
    net = zhoushan()
    greedy = greedy_plan(net, "separate")
    rows = []
    for seed in args.seeds:
        joint = _plan(net, "joint", args.time_limit, seed)
        separate = _plan(net, "separate", args.time_limit, seed)
        saving = 100 * (1 - joint["cost"] / separate["cost"])
        row = {"seed": seed, "joint": joint, "separate": separate, "saving_pct": round(saving, 2)}
        print(row, flush=True)
        rows.append(row)
    savings = [r["saving_pct"] for r in rows]
    summary = {
        "mean_pct": round(statistics.mean(savings), 2),
        "min_pct": min(savings),
        "max_pct": max(savings),
        "stdev_pct": round(statistics.stdev(savings), 2) if len(savings) > 1 else 0.0,
        "greedy_separate_cost": round(greedy.totals.cost, 2),
        "greedy_separate_unserved": len(greedy.unserved),
    }
    write_json(
        args.out,
        {"machine": machine(), "time_limit": args.time_limit, "rows": rows, "summary": summary},
    )
    table = md_table(
        ["seed", "joint cost", "joint s", "separate cost", "separate s", "saving %", "valid"],
        [
            [
                r["seed"],
                f"{r['joint']['cost']:,.0f}",
                r["joint"]["seconds"],
                f"{r['separate']['cost']:,.0f}",
                r["separate"]["seconds"],
                r["saving_pct"],
                "yes" if r["joint"]["valid"] and r["separate"]["valid"] else "NO",
            ]
            for r in rows
        ],
    )
    text = "\n".join(
        [
            f"# Zhoushan: joint against separate, {args.time_limit:g} s each, seeds {args.seeds}",
            "",
            table,
            "",
            f"Saving: mean **{summary['mean_pct']} %**, range {summary['min_pct']}–"
            f"{summary['max_pct']} %, standard deviation {summary['stdev_pct']} points.",
            "",
            f"Greedy hand planner's separate week (the floor): "
            f"{summary['greedy_separate_cost']:,.0f} with "
            f"{summary['greedy_separate_unserved']} (station, carrier) pairs it cannot serve.",
            "",
        ]
    )
    write_text(f"{args.out}.md", text)


if __name__ == "__main__":
    main()
