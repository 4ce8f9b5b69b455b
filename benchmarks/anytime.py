"""Cost against seconds: the same week planned at growing time limits.

    .venv/bin/python benchmarks/anytime.py                 # Zhoushan joint, p03, p10
    .venv/bin/python benchmarks/anytime.py --limits 5 10 30

Each point is a fresh ``plan_week(net, "joint", time_limit=T, seed=0)``; the figure shows
cost (relative to the best point of the curve, or to the best-known for PVRP) against
wall seconds. Results: ``results/anytime.{json,md,png}``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from _common import DEFAULT_PVRP, RESULTS, machine, md_table, write_json, write_text

import islandroute as ir
from islandroute.datasets.pvrp import bks, read_pvrp

LIMITS = (5.0, 10.0, 20.0, 30.0, 60.0)
PVRP_INSTANCES = ("p03", "p10")


def _curve(net: ir.Network, limits: tuple[float, ...]) -> list[dict[str, Any]]:
    """One point per limit: wall seconds, cost, validity."""
    points = []
    for limit in limits:
        t0 = time.perf_counter()
        plan = ir.plan_week(net, "joint", time_limit=limit, seed=0)
        wall = time.perf_counter() - t0
        valid = not ir.validate(net, plan)
        points.append({"limit": limit, "wall": round(wall, 2), "cost": plan.cost, "valid": valid})
        print(f"{net.name:>12} {limit:5.0f} s  wall {wall:6.2f}  cost {plan.cost:,.1f}  {valid}")
    return points


def _above(cost: float, reference: float) -> float:
    """Cost above the reference, in %."""
    return 100 * (cost - reference) / reference


def _figure(curves: dict[str, dict[str, Any]], path: Path) -> None:
    """Cost relative to each curve's reference against wall seconds, one line each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=120)
    for name, c in curves.items():
        ref = c["reference"]
        xs = [p["wall"] for p in c["points"]]
        ys = [_above(p["cost"], ref) for p in c["points"]]
        ax.plot(xs, ys, marker="o", label=f"{name} (vs {c['reference_kind']})")
    ax.set_xlabel("wall seconds (one search, 2 cores)")
    ax.set_ylabel("cost above reference, %")
    ax.set_title("islandroute: cost against time limit")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limits", type=float, nargs="+", default=list(LIMITS))
    ap.add_argument("--folder", type=Path, default=DEFAULT_PVRP, help="PVRP data folder")
    args = ap.parse_args(argv)
    limits = tuple(args.limits)
    curves: dict[str, dict[str, Any]] = {}
    zs = ir.zhoushan()
    points = _curve(zs, limits)
    best = min(p["cost"] for p in points)
    curves["zhoushan"] = {"points": points, "reference": best, "reference_kind": "its best"}
    if args.folder.is_dir():
        for name in PVRP_INSTANCES:
            net = read_pvrp(args.folder / f"{name}.txt")
            points = _curve(net, limits)
            ref = bks(name, args.folder) or min(p["cost"] for p in points)
            curves[name] = {"points": points, "reference": ref, "reference_kind": "best-known"}
    else:
        print(f"no PVRP folder at {args.folder}: Zhoushan only", file=sys.stderr)
    write_json("anytime", {"machine": machine(), "curves": curves})
    rows = [
        [name, p["limit"], p["wall"], p["cost"], _above(p["cost"], c["reference"]), p["valid"]]
        for name, c in curves.items()
        for p in c["points"]
    ]
    header = ["week", "limit s", "wall s", "cost", "above reference %", "valid"]
    text = (
        "# Cost against seconds\n\n"
        f"{machine()['when']}, one search, seed 0, joint. Reference: Zhoushan's best point,"
        " the best-known cost for PVRP.\n\n" + md_table(header, rows) + "\n![](anytime.png)\n"
    )
    write_text("anytime.md", text)
    _figure(curves, RESULTS / "anytime.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
