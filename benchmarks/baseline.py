"""The planner against a greedy hand planner and against fixed Mon/Wed/Fri visit days.

On generated archipelagos of three shapes, two seeds each, in both modes:

* ``greedy``: :func:`nearest.greedy_plan` — Mon/Wed/Fri, each vehicle (largest first)
  goes to the nearest visit it can still serve, by road or vehicle ferry;
* ``planner``: ``plan_week(net, mode, time_limit=T, seed=0)`` (optimized visit days);
* ``fixed``: ``plan_week(..., days="fixed")`` (Mon/Wed/Fri, the same daily routing).

Both planner runs use ``allow_unserved=True``, so that a week one of them cannot serve
whole still gives a plan: each row counts the (station, carrier) pairs every method
declares unserved, and costs are comparable only where all three serve everything.

    .venv/bin/python benchmarks/baseline.py                  # 3 shapes x 2 seeds x 2 modes, 30 s
    .venv/bin/python benchmarks/baseline.py --shapes mixed --seeds 0 -t 10 --out mine

Writes ``benchmarks/results/<out>.json`` and ``<out>.md`` (after every case, so an
interrupted run keeps what it finished).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from typing import Any

from _common import RESULTS, machine, md_table, write_json, write_text
from nearest import greedy_plan

from islandroute.datasets.synthetic import archipelago
from islandroute.model.network import Network
from islandroute.model.plan import Plan
from islandroute.network.reach import Reach
from islandroute.planning.planner import plan_week
from islandroute.validate import validate

#: name -> (what it stands for, generator keywords)
SHAPES: dict[str, tuple[str, dict[str, Any]]] = {
    "mixed": (
        "150 stations, 4 carriers, 10 islands: bridged, vehicle-ferry and passenger-only",
        {
            "n_stations": 150,
            "n_islands": 10,
            "n_carriers": 4,
            "share_bridge": 0.4,
            "share_vehicle_ferry": 0.4,
            "share_boat_only": 0.2,
        },
    ),
    "many-small": (
        "120 stations, 3 carriers, 30 small islands (20 % bridged, 50 % vehicle ferry, "
        "30 % passenger-only)",
        {
            "n_stations": 120,
            "n_islands": 30,
            "n_carriers": 3,
            "share_bridge": 0.2,
            "share_vehicle_ferry": 0.5,
            "share_boat_only": 0.3,
        },
    ),
    "few-vehicles": (
        "150 stations, 3 carriers, 8 islands, 5 vans per carrier depot (about 8 by "
        "default) and 1 shared van",
        {
            "n_stations": 150,
            "n_islands": 8,
            "n_carriers": 3,
            "vehicles_per_carrier_depot": 5,
            "shared_vehicles": 1,
        },
    ),
}
MODES = ("joint", "separate")
METHODS = ("greedy", "planner", "fixed")


def network(shape: str, seed: int) -> Network:
    """The generated archipelago of a shape and seed."""
    return archipelago(seed=seed, **SHAPES[shape][1])


def _run(method: str, net: Network, mode: str, limit: float, reach: Reach) -> dict[str, Any]:
    """One method on one network and mode: cost, declared unserved, valid, seconds."""
    t0 = time.perf_counter()
    try:
        plan: Plan
        if method == "greedy":
            plan = greedy_plan(net, mode, reach=reach)
        else:
            days = "fixed" if method == "fixed" else "optimized"
            plan = plan_week(net, mode, time_limit=limit, seed=0, days=days, allow_unserved=True)
    except Exception as exc:  # a benchmark row, not a crash: the error is the finding
        return {
            "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}",
            "trace": traceback.format_exc(limit=3),
            "seconds": round(time.perf_counter() - t0, 2),
        }
    seconds = time.perf_counter() - t0
    bad = validate(net, plan)
    return {
        "cost": round(plan.cost, 2),
        "km": round(plan.totals.km, 2),
        "vehicle_days": plan.totals.vehicle_days,
        "ferry_crossings": plan.totals.ferry_crossings,
        "unserved": len(plan.unserved),
        "unserved_parcels": sum(u.parcels for u in plan.unserved),
        "valid": not bad,
        "violations": [str(v) for v in bad[:5]],
        "seconds": round(seconds, 2),
        "stopped": plan.stats.get("stopped"),
    }


def _ratio(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    if a.get("cost") is None or not b.get("cost"):
        return None
    return round(a["cost"] / b["cost"], 4)


def run_case(shape: str, seed: int, mode: str, limit: float) -> dict[str, Any]:
    """Greedy, planner and fixed on one network and mode, with their cost ratios."""
    net = network(shape, seed)
    reach = Reach(net)
    row: dict[str, Any] = {
        "shape": shape,
        "seed": seed,
        "mode": mode,
        "network": net.name,
        "stations": len(net.stations),
        "islands": len(net.islands),
        "carriers": len(net.carriers),
        "vehicles": len(net.vehicles),
        "time_limit_s": limit,
    }
    for method in METHODS:
        row[method] = _run(method, net, mode, limit, reach)
    g, p, f = row["greedy"], row["planner"], row["fixed"]
    row["planner_over_greedy"] = _ratio(p, g)
    row["planner_over_fixed"] = _ratio(p, f)
    row["fixed_over_greedy"] = _ratio(f, g)
    row["comparable"] = all(
        r.get("valid") and r.get("unserved") == 0 for r in (g, p, f) if "error" not in r
    ) and not any("error" in r for r in (g, p, f))
    return row


# ---- report -------------------------------------------------------------------------------


def _cell(r: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(cost, unserved, valid) cells of one method."""
    if "error" in r:
        return "ERROR", None, "no"
    return r["cost"], r["unserved"], "yes" if r["valid"] else "**no**"


def findings(rows: list[dict[str, Any]]) -> list[str]:
    """Rows where the planner costs more than the greedy baseline, optimized days more
    than fixed ones, or the fixed-days planner more than the greedy (the same days);
    declared unserved pairs, invalid plans and errors."""
    out = []
    for r in rows:
        tag = f"{r['shape']} seed {r['seed']} {r['mode']}"
        note = "" if r["comparable"] else " (not all serve everything: costs not comparable)"
        g, p = r["greedy"], r["planner"]
        if (r["planner_over_greedy"] or 0) > 1:
            out.append(
                f"{tag}: planner above greedy, ratio {r['planner_over_greedy']:.3f}{note}; "
                f"vehicle-days {p['vehicle_days']} against {g['vehicle_days']}, "
                f"km {p['km']:,.0f} against {g['km']:,.0f}"
            )
        if (r["planner_over_fixed"] or 0) > 1:
            out.append(
                f"{tag}: optimized days above fixed, ratio {r['planner_over_fixed']:.3f}{note}"
            )
        if (r["fixed_over_greedy"] or 0) > 1:
            out.append(
                f"{tag}: fixed-days planner above greedy (same days), ratio "
                f"{r['fixed_over_greedy']:.3f}{note}"
            )
        for m in METHODS:
            x = r[m]
            if "error" in x:
                out.append(f"{tag}: {m} failed: {x['error']}")
            elif not x["valid"]:
                out.append(f"{tag}: {m} plan invalid: {x['violations'][:2]}")
            elif x["unserved"]:
                out.append(
                    f"{tag}: {m} declares {x['unserved']} (station, carrier) pairs unserved "
                    f"({x['unserved_parcels']} parcels a week)"
                )
    return out


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """The report: shapes, one table of costs and ratios, the findings."""
    m = meta["machine"]
    head = [
        "shape",
        "seed",
        "mode",
        "greedy",
        "unserved",
        "valid",
        "planner",
        "unserved",
        "valid",
        "fixed",
        "unserved",
        "valid",
        "planner / greedy",
        "planner / fixed",
        "fixed / greedy",
    ]
    body = [
        [
            r["shape"],
            r["seed"],
            r["mode"],
            *_cell(r["greedy"]),
            *_cell(r["planner"]),
            *_cell(r["fixed"]),
            *(
                _r3(r[k])
                for k in ("planner_over_greedy", "planner_over_fixed", "fixed_over_greedy")
            ),
        ]
        for r in rows
    ]
    detail_head = ["shape", "seed", "mode"] + [
        f"{m} {what}" for m in METHODS for what in ("veh-days", "km", "crossings", "s")
    ]
    detail = [
        [r["shape"], r["seed"], r["mode"]]
        + [
            r[m].get(k)
            for m in METHODS
            for k in ("vehicle_days", "km", "ferry_crossings", "seconds")
        ]
        for r in rows
    ]
    ratio_rows = [r for r in rows if r["comparable"]]
    lines = [
        "# Planner against the greedy baseline and fixed Mon/Wed/Fri",
        "",
        f"{m['when']}, Python {m['python']}, OR-Tools {m['ortools']}, {m['cpus']} CPUs. "
        f"`plan_week(net, mode, time_limit={meta['time_limit']:g}, seed=0, "
        "allow_unserved=True)` with optimized (`planner`) and fixed Mon/Wed/Fri (`fixed`) "
        "visit days, against `benchmarks/nearest.py`'s greedy hand planner (`greedy`: "
        "Mon/Wed/Fri, each vehicle largest first to the nearest visit it can still serve, "
        "by road or vehicle ferry, island vans from their depots). Costs are a week's, "
        "in yuan; `unserved` counts the (station, carrier) pairs a plan declares it "
        "cannot serve (a ratio between plans that serve different sets is not a "
        "like-for-like comparison); `valid` is `islandroute.validate` finding nothing.",
        "",
        "Shapes (`islandroute.archipelago`, seeds "
        + ", ".join(str(s) for s in meta["seeds"])
        + "):",
        "",
        *[f"- `{k}`: {SHAPES[k][0]}" for k in meta["shapes"]],
        "",
        md_table(head, body),
    ]
    if ratio_rows:
        lines.append(
            "Rows where all three serve everything: planner / greedy "
            + _range([r["planner_over_greedy"] for r in ratio_rows])
            + ", planner / fixed "
            + _range([r["planner_over_fixed"] for r in ratio_rows])
            + f" ({len(ratio_rows)} of {len(rows)} rows).\n"
        )
    lines += [
        "Vehicle-days, km, ferry crossings and seconds of each plan (a vehicle-day costs "
        "its fixed cost, 60–200 here, whatever it carries):",
        "",
        md_table(detail_head, detail),
    ]
    found = findings(rows)
    lines += ["## Findings", ""]
    lines += [f"- {x}" for x in found] or ["- none: the planner beats both baselines everywhere"]
    lines += [
        "",
        "A planner above the greedy baseline, or optimized days above fixed ones, is a "
        "finding about the planner, reported here as measured.",
        "",
    ]
    return "\n".join(lines)


def _r3(x: float | None) -> str | None:
    return None if x is None else f"{x:.3f}"


def _range(xs: list[float | None]) -> str:
    vals = [x for x in xs if x is not None]
    if not vals:
        return "–"
    return f"{min(vals):.3f}–{max(vals):.3f} (mean {sum(vals) / len(vals):.3f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    ap.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    ap.add_argument("-t", "--time-limit", type=float, default=30.0)
    ap.add_argument("--out", default="baseline")
    ap.add_argument(
        "--from-json", action="store_true", help="only rewrite <out>.md from <out>.json"
    )
    args = ap.parse_args(argv)
    if args.from_json:
        doc = json.loads((RESULTS / f"{args.out}.json").read_text(encoding="utf-8"))
        write_text(f"{args.out}.md", markdown(doc.pop("rows"), doc))
        return 0
    meta: dict[str, Any] = {
        "time_limit": args.time_limit,
        "shapes": args.shapes,
        "seeds": args.seeds,
        "modes": args.modes,
        "machine": machine(),
    }
    rows: list[dict[str, Any]] = []
    for shape in args.shapes:
        for seed in args.seeds:
            for mode in args.modes:
                t0 = time.perf_counter()
                row = run_case(shape, seed, mode, args.time_limit)
                rows.append(row)
                print(
                    f"{shape} seed {seed} {mode}: greedy {_cell(row['greedy'])}, "
                    f"planner {_cell(row['planner'])}, fixed {_cell(row['fixed'])} "
                    f"[{time.perf_counter() - t0:.0f}s]",
                    flush=True,
                )
                write_json(args.out, {**meta, "rows": rows})
                write_text(f"{args.out}.md", markdown(rows, meta))
    bad = [r for r in rows for m in METHODS if "error" in r[m] or not r[m].get("valid")]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
