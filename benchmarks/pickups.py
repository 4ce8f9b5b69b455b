"""Two in, one out (issue 11): deliveries and pickups planned together or apart.

On generated archipelagos with parks that send parcels (handed in at a centre by a
deadline, one cold park on refrigerated vans) and villages that send a few too::

    archipelago(N, n_islands=I, n_carriers=3, seed=seed, parks=P, pickup_share=0.08,
                cold_parks=1, deadlines=True)

for N = 100 (P = 2, I = 6) and N = 300 (P = 4, I = 10), each network gets three weeks:

* ``joint``: ``plan_week(net, "joint", time_limit=T, seed=seed)``, deliveries and
  pickups together, carriers sharing vehicles;
* ``separate``: the same in ``"separate"`` mode, each carrier its own vans, deliveries
  and pickups still on the same routes;
* ``two weeks (separate)``: what carriers do today, collection runs apart from delivery
  runs: a deliveries-only network (every station's pickup emptied, with its hand-in
  place, deadline and cold flag; parks dropped, as they only send) and a pickups-only
  network (every station's demand emptied, stations with nothing left to send dropped,
  villages keeping their ``min_visits``), each planned in separate mode with ``T / 2``;
  cost, vehicle-days and seconds are the two weeks' sums, and each week is validated
  against its own network.

T is 20 s at 100 stations and 40 s at 300; ``-t`` scales both. On-time % is collected
parcels handed in by their station's ``pickup_by`` (``islandroute.analysis.flows``;
village pickups have no deadline and count as on time when handed in). "vs separate" is
the cost change against the separate week of deliveries and pickups together.

    .venv/bin/python benchmarks/pickups.py                       # seed 0, ~5 min
    .venv/bin/python benchmarks/pickups.py --seeds 0 1 -t 0.5 --out pickups_quick

Each week is planned in a fresh interpreter that gets ``2 T + 30`` seconds of wall
time (``--cap-factor``, ``--cap-extra``): a planner that overruns its time limit that
far is stopped (its Python stack is dumped to the JSON) and the week reported as
``TIMEOUT``, so the run still ends. Writes ``benchmarks/results/<out>.json`` and
``<out>.md`` (after every network, so an interrupted run keeps what it finished).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import shlex
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from _common import REPO, machine, md_table, write_json, write_text

import islandroute as ir
from islandroute.analysis.flows import FlowKpis, flows
from islandroute.datasets.synthetic import archipelago
from islandroute.validate import validate

#: stations -> (islands, parks, default time limit s)
SIZES: dict[int, tuple[int, int, float]] = {100: (6, 2, 20.0), 300: (10, 4, 40.0)}
PLANS = ("joint", "separate", "two weeks (separate)")
#: What a child process plans: (network builder, mode).
WEEKS = ("joint", "separate", "deliveries", "pickups")


def network(n: int, seed: int) -> ir.Network:
    """The generated archipelago of ``n`` stations with parks, pickups and deadlines."""
    islands, parks, _ = SIZES[n]
    return archipelago(
        n,
        n_islands=islands,
        n_carriers=3,
        seed=seed,
        parks=parks,
        pickup_share=0.08,
        cold_parks=1,
        deadlines=True,
    )


def deliveries_only(net: ir.Network) -> ir.Network:
    """Every station's pickup emptied (with the fields that only concern pickups);
    stations that receive nothing (the parks) dropped."""
    stations = [
        s.model_copy(update={"pickup": {}, "pickup_to": None, "pickup_by": None, "cold": False})
        for s in net.stations
        if sum(s.demand.values()) > 0
    ]
    return net.replace(name=f"{net.name}-deliveries", stations=stations)


def pickups_only(net: ir.Network) -> ir.Network:
    """Every station's demand emptied; stations with nothing to send dropped (the rest
    keep their visit rules)."""
    stations = [
        s.model_copy(update={"demand": {}}) for s in net.stations if sum(s.pickup.values()) > 0
    ]
    return net.replace(name=f"{net.name}-pickups", stations=stations)


def _week(net: ir.Network, mode: str, limit: float, seed: int) -> dict[str, Any]:
    """One planned week: cost, vehicle-days, seconds, validity and collected flows."""
    t0 = time.perf_counter()
    try:
        plan = ir.plan_week(net, mode, time_limit=limit, seed=seed)  # type: ignore[arg-type]
    except Exception as exc:  # a failed week is a result row
        traceback.print_exc()
        return {"error": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - t0}
    seconds = time.perf_counter() - t0
    violations = validate(net, plan)
    k = flows(net, plan).totals
    return {
        "cost": round(plan.totals.cost, 2),
        "km": round(plan.totals.km, 1),
        "vehicle_days": plan.totals.vehicle_days,
        "seconds": round(seconds, 2),
        "valid": not violations,
        "violations": [str(v) for v in violations[:5]],
        "unserved": len(plan.unserved),
        "stopped": plan.stats.get("stopped"),
        "flows": _flows(k),
    }


def _flows(k: FlowKpis) -> dict[str, Any]:
    return {
        "delivered": k.delivered,
        "collected": k.collected,
        "handed_in": k.handed_in,
        "on_time": k.on_time,
        "late": k.late,
        "missing": k.missing,
        "cold": k.cold,
        "cold_breaches": k.cold_breaches,
    }


def case(n: int, seed: int, week: str, limit: float) -> dict[str, Any]:
    """One week in this process: ``joint`` or ``separate`` on the whole network, or the
    ``deliveries`` / ``pickups`` half in separate mode."""
    net = network(n, seed)
    if week == "deliveries":
        net = deliveries_only(net)
    elif week == "pickups":
        net = pickups_only(net)
    mode = "joint" if week == "joint" else "separate"
    out = _week(net, mode, limit, seed)
    out["stations_planned"] = len(net.stations)
    return out


def spawn(n: int, seed: int, week: str, limit: float, cap: float) -> dict[str, Any]:
    """Run :func:`case` in a fresh interpreter stopped after ``cap`` seconds; its last
    stdout line is the JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", str(n), str(seed), week]
    cmd += ["--limit", repr(limit), "--cap", repr(cap)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=cap + 30)
    except subprocess.TimeoutExpired:  # the child's own stop failed too
        return {"error": f"timeout: killed after {cap + 30:g} s", "seconds": round(cap, 2)}
    wall = round(time.perf_counter() - t0, 2)
    if proc.returncode == 0:
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        row["wall_s"] = wall
        return row
    err = proc.stderr.strip().splitlines() or ["?"]
    if any(line.startswith("Timeout (") for line in err):
        stack = [x.strip() for x in err if x.strip().startswith("File ")][:12]
        return {
            "error": f"timeout: no plan after {cap:g} s of a {limit:g} s limit (stopped)",
            "timeout": True,
            "seconds": round(cap, 2),
            "wall_s": wall,
            "stack": stack,
        }
    return {"error": err[-1], "seconds": wall, "wall_s": wall, "stderr": err[-15:]}


def _two_weeks(parts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Delivery runs and collection runs as two separate-mode weeks, added up."""
    seconds = round(sum(p["seconds"] for p in parts.values()), 2)
    errors = [f"{k}: {p['error']}" for k, p in parts.items() if "error" in p]
    if errors:
        return {
            "error": "; ".join(errors),
            "timeout": any(p.get("timeout") for p in parts.values()),
            "seconds": seconds,
            "parts": parts,
        }
    d, p = parts["deliveries"], parts["pickups"]
    return {
        "cost": round(d["cost"] + p["cost"], 2),
        "km": round(d["km"] + p["km"], 1),
        "vehicle_days": d["vehicle_days"] + p["vehicle_days"],
        "seconds": seconds,
        "valid": d["valid"] and p["valid"],
        "unserved": d["unserved"] + p["unserved"],
        "flows": {k: d["flows"][k] + p["flows"][k] for k in d["flows"]},
        "parts": parts,
    }


def run_network(n: int, seed: int, limit: float, cap: tuple[float, float]) -> dict[str, Any]:
    """The three weeks of one generated archipelago."""
    net = network(n, seed)
    parks = sum(1 for s in net.stations if net.node_by_id[s.node].kind == "park")
    row: dict[str, Any] = {
        "stations": n,
        "parks": parks,
        "seed": seed,
        "network": net.name,
        "time_limit": limit,
        "weeks": {},
    }
    done: dict[str, dict[str, Any]] = {}
    for week in WEEKS:
        lim = limit if week in ("joint", "separate") else limit / 2
        stop = cap[0] * lim + cap[1]
        print(f"  {n} stations seed {seed}: {week} ({lim:g} s, stopped at {stop:g} s) ...")
        done[week] = spawn(n, seed, week, lim, stop)
        print(f"    {_progress(done[week])}", flush=True)
    row["weeks"] = {
        "joint": done["joint"],
        "separate": done["separate"],
        "two weeks (separate)": _two_weeks(
            {"deliveries": done["deliveries"], "pickups": done["pickups"]}
        ),
    }
    print(f"  two weeks (separate): {_progress(row['weeks']['two weeks (separate)'])}")
    sep = row["weeks"]["separate"]
    for week in row["weeks"].values():
        if "cost" in week and "cost" in sep and sep["cost"]:
            week["vs_separate_pct"] = round(100 * (week["cost"] / sep["cost"] - 1), 2)
    return row


def _on_time_pct(week: dict[str, Any]) -> float | None:
    f = week.get("flows")
    if not f or not f["collected"]:
        return None
    return 100 * f["on_time"] / f["collected"]


def _progress(week: dict[str, Any]) -> str:
    if "error" in week:
        return f"ERROR {week['error']} [{week['seconds']:.0f} s]"
    pct = _on_time_pct(week)
    return (
        f"cost {week['cost']:,.0f}, vehicle-days {week['vehicle_days']}, on time "
        f"{'–' if pct is None else f'{pct:.1f} %'}, {week['seconds']:.1f} s, "
        f"{'valid' if week['valid'] else 'INVALID'}"
    )


def markdown(doc: dict[str, Any]) -> str:
    m = doc["machine"]
    rows = []
    for r in doc["rows"]:
        label = f"{r['stations']} stations, {r['parks']} parks (seed {r['seed']})"
        for plan in PLANS:
            w = r["weeks"].get(plan)
            if w is None:
                continue
            if "error" in w:
                what = "TIMEOUT" if w.get("timeout") else "ERROR"
                secs = f">{w['seconds']:.0f}" if w.get("timeout") else f"{w['seconds']:.1f}"
                rows.append([label, plan, what, None, None, secs, "NO", None])
                continue
            vs = w.get("vs_separate_pct")
            pct = _on_time_pct(w)
            rows.append(
                [
                    label,
                    plan,
                    f"{w['cost']:,.0f}",
                    w["vehicle_days"],
                    None if pct is None else f"{pct:.1f}",
                    f"{w['seconds']:.1f}",
                    "yes" if w["valid"] else "NO",
                    "ref" if plan == "separate" else (None if vs is None else f"{vs:+.1f} %"),
                ]
            )
    table = md_table(
        ["network", "plan", "cost", "vehicle-days", "on-time %", "seconds", "valid", "vs separate"],
        rows,
    )
    collected = [
        f"- {r['stations']} stations (seed {r['seed']}): "
        + "; ".join(
            f"{plan}: collected {w['flows']['collected']:,}, on time {w['flows']['on_time']:,}, "
            f"late {w['flows']['late']:,}, never handed in {w['flows']['missing']:,}, "
            f"cold breaches {w['flows']['cold_breaches']:,}"
            for plan, w in r["weeks"].items()
            if "flows" in w
        )
        for r in doc["rows"]
    ]
    limits = ", ".join(f"{n} stations {SIZES[n][2] * doc['time_scale']:g} s" for n in doc["sizes"])
    return "\n".join(
        [
            "# Two in, one out: deliveries and pickups together or apart",
            "",
            f"{m['when']}, Python {m['python']}, OR-Tools {m['ortools']}, {m['cpus']} CPUs "
            f"({m['platform']}).",
            "",
            f"Command: `{doc['command']}`",
            "",
            "`archipelago(N, n_islands=6|10, n_carriers=3, seed=seed, parks=2|4, "
            "pickup_share=0.08, cold_parks=1, deadlines=True)`; "
            f"`plan_week(net, mode, time_limit=T, seed=seed)` with T = {limits}. "
            "`two weeks (separate)` plans a deliveries-only and a pickups-only network in "
            "separate mode with T / 2 each and adds their costs, vehicle-days and seconds; "
            "each is validated against its own network. Costs are a week's, in yuan. "
            "On-time % = collected parcels handed in by their deadline / collected "
            "(`islandroute.analysis.flows`). `vs separate` = cost change against the "
            "separate week of deliveries and pickups together. Each week runs in a fresh "
            f"process stopped after {doc['cap']['factor']:g} T + {doc['cap']['extra_s']:g} s "
            "(`TIMEOUT`: no plan by then; its stack is in the JSON).",
            "",
            table,
            "Collected parcels:",
            "",
            *collected,
            *_stopped(doc),
            "",
        ]
    )


def _stopped(doc: dict[str, Any]) -> list[str]:
    """Where each stopped week was when it was stopped (innermost frames of the planner)."""
    out = []
    for r in doc["rows"]:
        for plan, w in r["weeks"].items():
            for part, x in (w.get("parts") or {plan: w}).items():
                if x.get("timeout"):
                    where = " <- ".join(
                        "/".join(f.split('"')[1].split("/")[-2:])
                        + ":"
                        + f.split("line ")[1].split()[0]
                        for f in x["stack"][:4]
                        if '"' in f and "line " in f
                    )
                    out.append(
                        f"- {r['stations']} stations (seed {r['seed']}), {part}: {x['error']}; "
                        f"stopped in {where}"
                    )
    return ["", "Stopped weeks:", "", *out] if out else []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=list(SIZES), choices=list(SIZES))
    ap.add_argument("--seeds", nargs="+", type=int, default=[0])
    ap.add_argument(
        "-t", "--time-scale", type=float, default=1.0, help="scales 20 s (100) and 40 s (300)"
    )
    ap.add_argument("--out", default="pickups")
    ap.add_argument("--cap-factor", type=float, default=2.0, help="stop a week at F T + E s")
    ap.add_argument("--cap-extra", type=float, default=30.0)
    ap.add_argument("--case", nargs=3, metavar=("N", "SEED", "WEEK"), help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--cap", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.case:
        faulthandler.dump_traceback_later(args.cap, exit=True)
        n, seed, week = int(args.case[0]), int(args.case[1]), args.case[2]
        print(json.dumps(case(n, seed, week, args.limit)), flush=True)
        return 0
    doc: dict[str, Any] = {
        "machine": machine(),
        "command": shlex.join([sys.executable, *sys.argv]),
        "sizes": args.sizes,
        "seeds": args.seeds,
        "time_scale": args.time_scale,
        "cap": {"factor": args.cap_factor, "extra_s": args.cap_extra},
        "rows": [],
    }
    t0 = time.perf_counter()
    for n in args.sizes:
        for seed in args.seeds:
            limit = SIZES[n][2] * args.time_scale
            print(f"{n} stations, seed {seed}, {limit:g} s a week", flush=True)
            doc["rows"].append(run_network(n, seed, limit, (args.cap_factor, args.cap_extra)))
            write_json(args.out, doc)
            write_text(f"{args.out}.md", markdown(doc))
    print(f"done in {time.perf_counter() - t0:.0f} s", flush=True)
    print(markdown(doc))
    bad = [
        w for r in doc["rows"] for w in r["weeks"].values() if "error" in w or not w.get("valid")
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
