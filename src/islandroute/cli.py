"""The ``islandroute`` command: networks, weekly plans, validation and comparisons.

Errors in the input print as ``error: object: field: message`` lines, without a
traceback, and the command exits non-zero.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from islandroute.errors import IslandrouteError
from islandroute.model import Network, Plan


def load_network(spec: str) -> Network:
    """``zhoushan``, ``synthetic:STATIONS[:CARRIERS[:SEED]]`` or a network JSON file."""
    if spec == "zhoushan":
        from islandroute.datasets.zhoushan import zhoushan

        return zhoushan()
    if spec.startswith("synthetic"):
        from islandroute.datasets.synthetic import archipelago

        parts = [int(x) for x in spec.split(":")[1:]]
        n, c, seed = (parts + [100, 3, 0][len(parts) :])[:3]
        return archipelago(n_stations=n, n_islands=max(2, n // 25), n_carriers=c, seed=seed)
    return Network.from_json(spec)


def progress_printer(quiet: bool = False) -> Callable[[str], None]:
    """Progress lines on stderr with the elapsed time."""
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - t0:6.1f}s] {msg}", file=sys.stderr, flush=True)

    return say


def table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    """A plain aligned text table."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:,.1f}"
        if isinstance(v, int):
            return f"{v:,}"
        return str(v)

    cells = [[cell(r.get(c, "")) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def network_summary(net: Network) -> str:
    """Islands, stations, carriers, ferry lines and parcels a week, in a few lines."""
    islands = {net.node_by_id[s.node].island for s in net.stations}
    hubs = [n for n in net.nodes if n.kind == "hub"]
    timed = [f for f in net.ferries if any(f.departures.values())]
    lines = [
        f"network {net.name!r}: {len(net.nodes)} nodes on {len(islands)} islands with stations"
        f" ({len(net.islands)} islands described)",
        f"  stations {len(net.stations)}, carriers {len(net.carriers)}, vehicles "
        f"{len(net.vehicles)}, hubs {len(hubs)} "
        f"({', '.join(sorted({h.role or 'hub' for h in hubs}))})",
        f"  roads {len(net.roads)} (bridges {sum(r.bridge for r in net.roads)}), ferry lines "
        f"{len(net.ferries)} one-way ({sum(f.vehicles for f in net.ferries)} carry vehicles, "
        f"{len(timed)} timetabled, "
        f"{sum(len(t) for f in net.ferries for t in f.departures.values())} departures a week)",
        f"  parcels a week {net.weekly_parcels():,}",
    ]
    rows = []
    for c in net.carriers:
        rows.append(
            {
                "carrier": c.id,
                "name": c.name,
                "stations": sum(1 for s in net.stations if s.demand.get(c.id, 0) > 0),
                "parcels/week": sum(s.demand.get(c.id, 0) for s in net.stations),
                "vehicles": sum(1 for v in net.vehicles if v.carrier == c.id),
            }
        )
    rows.append(
        {
            "carrier": "shared",
            "name": "shared operator",
            "stations": "",
            "parcels/week": "",
            "vehicles": sum(1 for v in net.vehicles if v.carrier is None),
        }
    )
    lines.append(table(rows, ["carrier", "name", "stations", "parcels/week", "vehicles"]))
    return "\n".join(lines)


def plan_table(plan: Plan) -> str:
    """KPIs overall and per carrier."""
    cols = [
        "who",
        "cost",
        "km",
        "vehicle_days",
        "driver_hours",
        "ferry_crossings",
        "co2_kg",
        "parcels",
    ]
    rows = [{"who": "total", **plan.totals.model_dump()}]
    rows += [{"who": c, **k.model_dump()} for c, k in plan.by_carrier.items()]
    return table(rows, cols)


def _cmd_network(args: argparse.Namespace) -> int:
    net = load_network(args.network)
    if args.action == "show":
        print(network_summary(net))
    elif args.action == "export":
        net.to_json(args.out)
        print(f"wrote {args.out} ({len(net.stations)} stations)")
    elif args.action == "validate":
        from islandroute.network import check_network

        problems = check_network(net)
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        if problems:
            return 1
        print(f"network {net.name!r} is valid: {len(net.stations)} stations can be served")
    return 0


def _cmd_plan(args: argparse.Namespace) -> int:
    from islandroute.planning.planner import plan_week
    from islandroute.validate import validate

    net = load_network(args.network)
    say = progress_printer(args.quiet)
    plan = plan_week(
        net,
        mode=args.mode,
        time_limit=args.time_limit,
        seed=args.seed,
        days=args.days,
        progress=say,
        workers=args.workers,
    )
    violations = validate(net, plan)
    print(plan.summary())
    print(plan_table(plan))
    if args.out:
        plan.to_json(args.out)
        print(f"wrote {args.out}")
    for v in violations:
        print(f"violation: {v}", file=sys.stderr)
    return 1 if violations else 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from islandroute.model.exchange import read_plan
    from islandroute.validate import validate

    net = load_network(args.network)
    violations = validate(net.to_dict(), read_plan(args.plan))
    for v in violations:
        print(f"violation: {v}")
    print(f"{len(violations)} violations")
    return 1 if violations else 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from islandroute.analysis.compare import compare_command

    return compare_command(args, load_network(args.network), progress_printer(args.quiet))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="islandroute", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    net = sub.add_parser("network", help="show, export or validate a network")
    net.add_argument("action", choices=["show", "export", "validate"])
    net.add_argument(
        "--network",
        default="zhoushan",
        help="zhoushan, synthetic:STATIONS[:CARRIERS[:SEED]] or a JSON file",
    )
    net.add_argument("--out", default="network.json")
    net.set_defaults(func=_cmd_network)

    plan = sub.add_parser("plan", help="plan a week")
    plan.add_argument("--network", default="zhoushan")
    plan.add_argument("--mode", choices=["joint", "separate"], default="joint")
    plan.add_argument("--time-limit", type=float, default=60.0)
    plan.add_argument("--seed", type=int, default=0)
    plan.add_argument("--days", choices=["optimized", "balanced", "fixed"], default="optimized")
    plan.add_argument(
        "--workers", type=int, default=1, help="parallel searches (optimized days), best kept"
    )
    plan.add_argument("--out", default=None)
    plan.add_argument("--quiet", action="store_true")
    plan.set_defaults(func=_cmd_plan)

    val = sub.add_parser("validate", help="check a plan against its network")
    val.add_argument("--network", required=True)
    val.add_argument("--plan", required=True)
    val.set_defaults(func=_cmd_validate)

    cmp_ = sub.add_parser("compare", help="joint against separate, with a fair split")
    cmp_.add_argument("--network", default="zhoushan")
    cmp_.add_argument("--time-limit", type=float, default=30.0, help="seconds per weekly plan")
    cmp_.add_argument("--seed", type=int, default=0)
    cmp_.add_argument("--allocation", choices=["shapley", "none"], default="shapley")
    cmp_.add_argument("--workers", type=int, default=None)
    cmp_.add_argument("--out", default="comparison", help="writes OUT.json and OUT.csv")
    cmp_.add_argument("--quiet", action="store_true")
    cmp_.set_defaults(func=_cmd_compare)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except IslandrouteError as err:
        for line in str(err).splitlines():
            print(f"error: {line.strip()}", file=sys.stderr)
        return 2
    except (OSError, json.JSONDecodeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["build_parser", "load_network", "main", "network_summary", "plan_table", "table"]
