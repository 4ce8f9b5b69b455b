"""Time-limit benchmark: does ``plan_week`` return within ``time_limit + max(1 s, 5 %)``?

Generated archipelagos as the CLI's ``synthetic:N:C:0`` (one island per 25 stations, 3
carriers, 7 at 2,000 stations), joint and separate, one and two parallel searches; each
case in a fresh subprocess. ``wall s`` is the wall time of the ``plan_week`` call alone
(network generation and travel tables are not counted; reach is, as the planner builds
it). Every plan is checked with the validator.

    .venv/bin/python benchmarks/limits.py                  # 20, 300, 2000 stations
    .venv/bin/python benchmarks/limits.py --sizes 20 --out limits_quick

Writes ``benchmarks/results/<out>.json`` and ``<out>.md``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import REPO, machine, md_table, write_json, write_text

SIZES = (20, 300, 2000)
MODES = ("joint", "separate")
WORKERS = (1, 2)
#: size -> seconds of time limit (long enough for a good week at that size)
LIMITS: dict[int, float] = {20: 5.0, 300: 30.0, 2000: 120.0}
SEED = 0
MIN_SLACK_S = 1.0  # a plan may end this much after its limit ...
SLACK_SHARE = 0.05  # ... or this share of it, whichever is more


def carriers_for(size: int) -> int:
    """3 carriers, 7 for the largest archipelagos (as the scaling benchmark)."""
    return 7 if size >= 2000 else 3


def allowed_s(limit: float) -> float:
    """The wall time a plan of ``limit`` seconds may take."""
    return limit + max(MIN_SLACK_S, SLACK_SHARE * limit)


# ---- one case, in the child process ---------------------------------------------------


def run_case(size: int, mode: str, workers: int, limit: float) -> dict[str, Any]:
    """Generate the network, plan it under the limit, validate."""
    from islandroute.datasets.synthetic import archipelago
    from islandroute.errors import InfeasibleError
    from islandroute.network.travel import Travel
    from islandroute.planning.planner import plan_week
    from islandroute.validate import validate

    carriers = carriers_for(size)
    net = archipelago(n_stations=size, n_islands=max(2, size // 25), n_carriers=carriers, seed=SEED)
    Travel(net)  # warm the road tables' caches as a CLI run would have them (not timed)
    out: dict[str, Any] = {
        "size": size,
        "carriers": carriers,
        "mode": mode,
        "workers": workers,
        "time_limit_s": limit,
    }
    t0 = time.perf_counter()
    try:
        plan = plan_week(net, mode, time_limit=limit, seed=SEED, workers=workers)  # type: ignore[arg-type]
    except InfeasibleError as exc:
        wall = time.perf_counter() - t0
        out.update(wall_s=round(wall, 2), error=str(exc).splitlines()[0][:200])
        out["within"] = wall <= allowed_s(limit)
        return out
    wall = time.perf_counter() - t0
    bad = validate(net, plan)
    out.update(
        wall_s=round(wall, 2),
        allowed_s=round(allowed_s(limit), 2),
        within=wall <= allowed_s(limit),
        stopped=plan.stats.get("stopped"),
        cost=round(plan.cost, 2),
        routes=len(plan.routes),
        valid=not bad,
        violations=[str(v) for v in bad[:3]],
        stages={k: v for k, v in plan.stats.items() if k.endswith("_s")},
    )
    return out


# ---- the driver -------------------------------------------------------------------------


def spawn(size: int, mode: str, workers: int, limit: float) -> dict[str, Any]:
    """Run one case in a fresh interpreter; its last stdout line is the JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", str(size), mode]
    cmd += ["--workers", str(workers), "--time-limit", str(limit)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"size": size, "mode": mode, "workers": workers, "error": err, "within": False}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def yes(flag: bool | None) -> str:
    return "yes" if flag else "NO"


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """One row per case: limit against wall time."""
    head = ["stations", "carriers", "mode", "workers", "limit s", "wall s"]
    head += ["within limit + max(1 s, 5 %)", "stopped", "cost", "valid"]
    body = [
        [
            r["size"],
            r.get("carriers"),
            r["mode"],
            r["workers"],
            r.get("time_limit_s"),
            r.get("wall_s"),
            yes(r.get("within")),
            r.get("stopped", "ERROR: " + r.get("error", "?")),
            r.get("cost"),
            yes(r.get("valid")),
        ]
        for r in rows
    ]
    ok = all(r.get("within") and r.get("valid") for r in rows)
    lines = [
        "# Time limits kept",
        "",
        f"{meta['when']}, Python {meta['python']}, OR-Tools {meta['ortools']}, "
        f"{meta['cpus']} CPUs. `plan_week(net, mode, time_limit=L, seed={SEED}, "
        "workers=W)` on `synthetic:N:C:0`; wall time of the call alone, in a fresh process.",
        "",
        md_table(head, body),
        f"All within limit and valid: **{yes(ok)}**.",
        "",
        "`stopped`: `time_limit` when the time ran out with work left, `no_progress` when "
        "the searches stopped improving first, `settled` when every day was too small to "
        "search further.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--case", nargs=2, metavar=("SIZE", "MODE"))
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--out", default="limits")
    args = ap.parse_args()
    if args.case:
        size, mode = int(args.case[0]), args.case[1]
        print(json.dumps(run_case(size, mode, args.workers, args.time_limit)))
        return
    rows = []
    for size in args.sizes:
        for mode in MODES:
            for workers in WORKERS:
                limit = args.time_limit or LIMITS.get(size, max(5.0, size / 15))
                row = spawn(size, mode, workers, limit)
                rows.append(row)
                print(
                    f"{size:>5} {mode:<8} w{workers} limit {limit:>6.1f} wall "
                    f"{row.get('wall_s', '?'):>7} within {yes(row.get('within'))} "
                    f"{row.get('stopped', row.get('error', ''))}",
                    flush=True,
                )
    meta = machine()
    write_json(args.out, {"machine": meta, "rows": rows})
    write_text(f"{args.out}.md", markdown(rows, meta))


if __name__ == "__main__":
    main()
