"""The ``islandroute`` command: plan, check, compare, report and price island delivery.

Errors in the input print as ``error: object: field: message`` lines, without a
traceback, and the command exits non-zero.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from islandroute.console import progress_shown
from islandroute.datasets.specs import BUILT_IN, load_network
from islandroute.errors import IslandrouteError, OptionsError, Problem
from islandroute.model import Network, Plan
from islandroute.model.plan import Mode
from islandroute.planning.options import MAX_SEED, MAX_TIME_LIMIT, MAX_WORKERS
from islandroute.tables import table

# Exit codes (README, "Exit codes").
EXIT_OK = 0
EXIT_VIOLATIONS = 1  # the plan or network breaks a rule (listed)
EXIT_BAD_INPUT = 2  # bad input, bad arguments or an infeasible request (error: lines)
EXIT_PARTIAL = 3  # --allow-unserved: a valid plan that declares unserved stations
EXIT_INTERNAL = 70  # a bug: one error line, please report it
EXIT_INTERRUPTED = 130  # Ctrl-C

STDOUT = "-"  # ``--out -``: the document goes to standard output, messages to stderr


def seconds(text: str) -> float:
    """A time limit: a finite number of seconds, more than 0 and at most a week."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= MAX_TIME_LIMIT:
        raise argparse.ArgumentTypeError(
            f"must be a finite number of seconds in (0, {MAX_TIME_LIMIT:g}], got {text!r}"
        )
    return value


def _whole(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in ``low..high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be in {low}..{high}, got {value}")
        return value

    return parse


seed_number = _whole(0, MAX_SEED)
worker_count = _whole(1, MAX_WORKERS)


def prepare_output(path: str | None, inputs: Sequence[str]) -> None:
    """Before any work: refuse an output that is an input, make its folder and prove it
    can be written there — never find out after the whole time limit."""
    if not path or path == STDOUT:
        return
    target = Path(path)
    for spec in inputs:
        if os.path.exists(spec) and target.exists() and os.path.samefile(spec, target):
            raise OptionsError(Problem("--out", path, f"is the input {spec}: it would be replaced"))
    if target.is_dir():
        raise OptionsError(Problem("--out", path, "is a folder, not a file"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        probe = target.parent / f".{target.name}.probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise OptionsError(
            Problem("--out", path, f"cannot write there: {err.strerror or err}")
        ) from None


def emit(text: str, out: str) -> None:
    """A document to standard output (``--out -``) or atomically to the file ``out``."""
    from islandroute.model.exchange import write_text_atomic

    if out == STDOUT:
        sys.stdout.write(text)
    else:
        write_text_atomic(out, text)


def tell(message: str, out: str | None) -> None:
    """A message for the user: on stderr when the document itself goes to stdout."""
    print(message, file=sys.stderr if out == STDOUT else sys.stdout)


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


def has_pickups(net: Network) -> bool:
    """Whether any station sends parcels (the plan then collects and hands them in)."""
    return any(q > 0 for s in net.stations for q in s.pickup.values())


def flow_summary(net: Network, plan: Plan) -> str:
    """Two in, one out: delivered, collected and outbound parcels, on-time share and
    cold minutes on board, overall and per carrier."""
    from islandroute.analysis.flows import flows

    return flows(net, plan).text()


def trunk_summary(net: Network, plan: Plan) -> str:
    """The 1+1+N trunk the plan needs: parcels down/up per county complex and day."""
    from islandroute.analysis.trunk import trunk_table

    rows = trunk_table(net, plan)
    if not rows:
        return ""
    head = "trunk (processing centre -> county complexes), parcels down/up on the days needed:"
    return head + "\n" + table(rows, ["complex", *net.days, "runs", "parcels"])


def _cmd_build(args: argparse.Namespace) -> int:
    """``network build``: a network from station, vehicle, ferry and road tables."""
    from islandroute.datasets.tables import network_from_tables

    for option in ("stations", "vehicles"):
        if not getattr(args, option):
            raise OptionsError(Problem(f"--{option}", "", "network build needs this table"))
    tables = [args.stations, args.vehicles, args.ferries, args.roads]
    prepare_output(args.out, [t for t in tables if t])
    net = network_from_tables(args.stations, args.vehicles, args.ferries, args.roads)
    emit(net.to_json(), args.out)
    tell(f"wrote {args.out} ({len(net.stations)} stations, {len(net.vehicles)} vehicles)", args.out)
    return EXIT_OK


def _cmd_network(args: argparse.Namespace) -> int:
    if args.action == "build":
        return _cmd_build(args)
    if args.action == "export":
        prepare_output(args.out, [args.network])
    net = load_network(args.network)
    if args.action == "show":
        print(network_summary(net))
    elif args.action == "export":
        emit(net.to_json(), args.out)
        tell(f"wrote {args.out} ({len(net.stations)} stations)", args.out)
    elif args.action == "validate":
        from islandroute.network import check_network

        problems = check_network(net)
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        if problems:
            return EXIT_VIOLATIONS
        print(f"network {net.name!r} is valid: {len(net.stations)} stations can be served")
    return EXIT_OK


def plan_json(plan: Plan, violations: int, out: str | None) -> str:
    """The plan's summary as one JSON object: totals, per carrier, unserved, violations."""
    import json

    doc = plan.to_dict()
    summary = {
        "network": plan.network,
        "mode": plan.mode,
        "totals": doc.get("totals", {}),
        "by_carrier": doc.get("by_carrier", {}),
        "unserved": len(plan.unserved),
        "violations": violations,
        "stopped": plan.stats.get("stopped"),
        "out": out,
    }
    return json.dumps(summary, ensure_ascii=False)


def _cmd_plan(args: argparse.Namespace) -> int:
    from islandroute.planning.options import PlanOptions
    from islandroute.planning.planner import plan_week
    from islandroute.validate import validate

    options = PlanOptions.of(
        mode=args.mode,
        time_limit=args.time_limit,
        seed=args.seed,
        days=args.days,
        workers=args.workers,
        allow_unserved=args.allow_unserved,
    )
    prepare_output(args.out, [args.network])
    net = load_network(args.network)
    plan = plan_week(net, options=options)
    violations = validate(net, plan)
    if args.out:
        emit(plan.to_json(), args.out)
    if args.json:
        tell(plan_json(plan, len(violations), args.out), args.out)
    else:
        tell(plan.summary(), args.out)
        tell(plan_table(plan), args.out)
        if has_pickups(net):
            tell(flow_summary(net, plan), args.out)
        trunk = trunk_summary(net, plan)
        if trunk:
            tell(trunk, args.out)
        if args.out and args.out != STDOUT:
            print(f"wrote {args.out}")
    for u in plan.unserved:
        print(
            f"unserved: station {u.station!r}: {u.rule}: {u.carrier} {u.parcels} parcels"
            f"{': ' + u.message if u.message else ''}",
            file=sys.stderr,
        )
    for v in violations:
        print(f"violation: {v}", file=sys.stderr)
    if violations:
        return EXIT_VIOLATIONS
    return EXIT_PARTIAL if plan.unserved else EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from islandroute.model.exchange import read_plan
    from islandroute.validate import validate

    net = load_network(args.network)
    doc = read_plan(args.plan)
    violations = validate(net.to_dict(), doc)
    for v in violations:
        print(f"violation: {v}")
    declared = doc.get("unserved")
    if isinstance(declared, list) and declared:
        print(f"{len(declared)} unserved station-carrier pairs declared by the plan")
    print(f"{len(violations)} violations")
    return EXIT_VIOLATIONS if violations else EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from islandroute.analysis.compare import compare

    out = args.out or "comparison"
    for suffix in (".json", ".csv"):
        prepare_output(out + suffix, [args.network])
    net = load_network(args.network)
    report = compare(
        net,
        time_limit=args.time_limit,
        seed=args.seed,
        allocation=args.allocation,
        workers=args.workers,
    )
    print(report.text())
    report.to_json(f"{out}.json")
    report.to_csv(f"{out}.csv")
    print(f"wrote {out}.json and {out}.csv")
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """argparse with the library's one error line: ``error: command: argument: message``."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {self.prog}: {message}", file=sys.stderr)
        print(f"(see: {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


NETWORK_HELP = (
    "a network JSON file, or zhoushan (built in), or "
    "synthetic:STATIONS[:CARRIERS[:SEED]][:OPTIONS], OPTIONS a comma list of the spec-1.1 "
    "flows (all off by default): parks=N industrial parks (0..100), pickups=SHARE village "
    "pickups as a share of deliveries (0..1), cold=N of the parks send cold parcels, "
    "deadlines=0|1 parks hand in at a centre by a cut-off; "
    "e.g. synthetic:100:3:7:parks=2,pickups=0.05,cold=1,deadlines=1"
)


def _cmd_export(args: argparse.Namespace) -> int:
    from islandroute.geojson import network_geojson, plan_geojson, write_geojson
    from islandroute.model.exchange import read_plan
    from islandroute.sheets import write_csvs, write_xlsx

    net = load_network(args.network)
    plan = Plan.from_dict(read_plan(args.plan))
    out = Path(args.out)
    if args.format == "csv":
        written = write_csvs(net, plan, out)
    elif args.format == "xlsx":
        written = write_xlsx(net, plan, out)
    else:
        out.mkdir(parents=True, exist_ok=True)
        written = [out / "network.geojson", out / "plan.geojson"]
        write_geojson(network_geojson(net), written[0])
        write_geojson(plan_geojson(net, plan), written[1])
    print(f"wrote {len(written)} files to {out}")
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from islandroute.model.exchange import dumps
    from islandroute.model.schema import document_schema

    prepare_output(args.out, [])
    text = dumps(document_schema(args.document), indent=2)
    emit(text, args.out or STDOUT)
    if args.out and args.out != STDOUT:
        print(f"wrote {args.out}")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    """``report``: the interactive HTML page of a plan (and a compared plan beside it)."""
    from islandroute.model.exchange import read_plan
    from islandroute.report import cost_per_parcel_shading, report_html

    inputs = [args.network, args.plan] + ([args.compare] if args.compare else [])
    prepare_output(args.out, inputs)
    net = load_network(args.network)
    plan = Plan.from_dict(read_plan(args.plan))
    other = Plan.from_dict(read_plan(args.compare)) if args.compare else None
    for name, p in (("--plan", plan), ("--compare", other)):
        if p is not None and p.network != net.name:
            raise OptionsError(
                Problem(name, p.network, f"is a plan of another network than {net.name!r}")
            )
    shading = None
    if args.threshold > 0:
        shown = [plan] if other is None else [plan, other]
        shading = cost_per_parcel_shading(net, shown, args.threshold)
    emit(report_html(net, plan, other, shading=shading), args.out)
    tell(f"wrote {args.out}", args.out)
    return EXIT_OK


# ---- drones (issue 14): one subcommand, parser and handler ------------------------------


def _add_drones_command(
    sub: argparse._SubParsersAction[_Parser], shows: type[argparse.HelpFormatter]
) -> None:
    """``islandroute drones``: drones and vans planned together, per small island."""
    dr = sub.add_parser(
        "drones",
        help="plan drones with vans; each small island with and without",
        formatter_class=shows,
    )
    dr.add_argument(
        "--network",
        default=BUILT_IN,
        help=NETWORK_HELP + " (zhoushan: with its drone fleet, as zhoushan-drones)",
    )
    dr.add_argument(
        "--grounded",
        nargs="?",
        const="all",
        default=None,
        metavar="DAYS",
        help="also plan with the drones grounded on DAYS (comma list; alone: every day)",
    )
    dr.add_argument(
        "--mode",
        choices=["joint", "separate"],
        default="joint",
        help="pool every carrier's parcels, or each carrier's drones and vans its own",
    )
    dr.add_argument(
        "--drone-model",
        choices=["multirotor", "vtol"],
        default=None,
        help="a network without drones gets one of this Zhoushan model (DRONES.md) at each "
        "county complex; with --out, OUT-stem.network.json holds that network (for validate)",
    )
    dr.add_argument(
        "--every-reachable",
        action="store_true",
        help="drones take every station they may serve, not only those that save cost",
    )
    dr.add_argument(
        "--time-limit", type=seconds, default=60.0, help="seconds for the whole comparison"
    )
    dr.add_argument("--seed", type=seed_number, default=0, help="the same seed, the same week")
    dr.add_argument("--out", default=None, help="write the week with drones here")
    dr.add_argument("--json", action="store_true", help="print the comparison as JSON")
    dr.set_defaults(func=_cmd_drones)


def drone_network_path(plan_out: str) -> str:
    """Where ``drones --drone-model`` writes the network with its drones: beside the plan."""
    path = Path(plan_out)
    return str(path.with_name(path.stem + ".network.json"))


def _cmd_drones(args: argparse.Namespace) -> int:
    import json

    from islandroute.analysis.drones import DRONES, drone_scenarios
    from islandroute.datasets.zhoushan_drones import (
        with_drones_at_complexes,
        zhoushan_with_drones,
    )
    from islandroute.planning.drones import drones_of
    from islandroute.validate import validate

    prepare_output(args.out, [args.network])
    if args.out and args.drone_model:
        prepare_output(drone_network_path(args.out), [args.network])
    net = load_network(args.network)
    if not drones_of(net) and net.name == BUILT_IN:  # validate its plans on zhoushan-drones
        net = zhoushan_with_drones(net)
    elif not drones_of(net) and args.drone_model:
        net = with_drones_at_complexes(net, args.drone_model)
    grounded = None
    if args.grounded not in (None, "all"):
        grounded = [d.strip() for d in args.grounded.split(",") if d.strip()]
    report = drone_scenarios(
        net,
        args.mode,
        grounded=grounded,
        time_limit=args.time_limit,
        seed=args.seed,
        with_grounded=args.grounded is not None,
        every_reachable=args.every_reachable,
    )
    violations = [f"{c}: {v}" for c in report.scenarios for v in validate(net, report.plan(c))]
    if args.out:
        report.plan(DRONES).to_json(args.out)
        if args.drone_model:
            net.to_json(drone_network_path(args.out))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print(report.table())
        for c in report.scenarios:
            left = report.plan(c).unserved
            if left:
                where = ", ".join(sorted({u.station for u in left}))
                print(f"{c}: {len(left)} (station, carrier) pairs unserved, declared: {where}")
        for c, week in report.weeks.items():
            print(
                f"{c}: drones serve {len(week.served)} stations, save "
                f"{week.saved_crossings} ferry crossings and {week.saved_van_km:,.1f} van km"
            )
            for p in week.problems:
                print(f"  {p}")
        if args.out:
            print(f"wrote {args.out}")
    for v in violations:
        print(f"violation: {v}", file=sys.stderr)
    return EXIT_VIOLATIONS if violations else EXIT_OK


# ---- co-sited stations and the cost of a parcel (issue 14) -----------------------------


def _add_siting_commands(sub: Any, shows: Any) -> None:
    """``islandroute siting`` and ``islandroute parcel-cost``."""
    from islandroute.analysis.parcel_cost import THRESHOLD_DEFAULT
    from islandroute.analysis.siting import ROUNDS_DEFAULT, TIME_LIMIT_DEFAULT
    from islandroute.datasets.candidates import WALK_KM_DEFAULT

    sit = sub.add_parser(
        "siting", help="co-sited stations (合作设站) against one per village", formatter_class=shows
    )
    sit.add_argument("--network", default=BUILT_IN, help=NETWORK_HELP)
    sit.add_argument("--candidates", required=True, help="the candidate sites table (.csv)")
    sit.add_argument("--walk-km", type=_km, default=WALK_KM_DEFAULT, help="walking distance, km")
    sit.add_argument("--mode", choices=["joint", "separate"], default="joint", help="planning mode")
    sit.add_argument(
        "--time-limit", type=seconds, default=TIME_LIMIT_DEFAULT, help="seconds for the whole run"
    )
    sit.add_argument(
        "--rounds", type=_whole(0, 100), default=ROUNDS_DEFAULT, help="re-planning rounds"
    )
    sit.add_argument("--seed", type=seed_number, default=0, help="the same seed, the same choice")
    sit.add_argument("--threshold", type=_money, default=THRESHOLD_DEFAULT, help="CNY per parcel")
    sit.add_argument("--out", default="siting", help="the folder written")
    sit.add_argument("--quiet", action="store_true", help="no progress lines")
    sit.set_defaults(func=_cmd_siting)

    pc = sub.add_parser(
        "parcel-cost",
        help="cost per parcel per island and village (二次收费)",
        formatter_class=shows,
    )
    pc.add_argument("--network", default=BUILT_IN, help=NETWORK_HELP)
    pc.add_argument(
        "--plan",
        action="append",
        default=None,
        help="a plan document (repeat); none: plan joint and separate weeks",
    )
    pc.add_argument(
        "--candidates",
        default=None,
        help="candidate sites: each village's "
        "station cost is its cheapest site at the village point (none: routes only)",
    )
    pc.add_argument("--threshold", type=_money, default=THRESHOLD_DEFAULT, help="CNY per parcel")
    pc.add_argument(
        "--time-limit", type=seconds, default=60.0, help="seconds for both weeks (without --plan)"
    )
    pc.add_argument("--seed", type=seed_number, default=0, help="the same seed, the same weeks")
    pc.add_argument("--out", default="parcel-cost", help="the folder written")
    pc.add_argument("--top", type=_whole(1, 10_000), default=10, help="islands printed")
    pc.add_argument("--quiet", action="store_true", help="no progress lines")
    pc.set_defaults(func=_cmd_parcel_cost)


def _number_in(low: float, high: float, what: str) -> Callable[[str], float]:
    """An argparse type: a finite number in ``low..high``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(f"must be {what} in {low:g}..{high:g}, got {text!r}")
        return value

    return parse


_km = _number_in(0.0, 100.0, "km")
_money = _number_in(0.0, 1e6, "a cost")


def _cmd_siting(args: argparse.Namespace) -> int:
    from islandroute.analysis.parcel_cost import (
        compare_parcel_costs,
        parcel_cost_table,
    )
    from islandroute.analysis.siting import site
    from islandroute.datasets.candidates import read_candidates
    from islandroute.model.exchange import dumps

    out = Path(args.out)
    for name in ("report.json", "network.json", "plan.json", "parcel_cost.csv"):
        prepare_output(str(out / name), [args.network, args.candidates])
    net = load_network(args.network)
    cands = read_candidates(args.candidates)
    report = site(
        net,
        cands,
        walk_km=args.walk_km,
        mode=args.mode,
        time_limit=args.time_limit,
        rounds=args.rounds,
        seed=args.seed,
    )
    print(report.text())
    base = parcel_cost_table(
        net,
        report.baseline_plan,
        station_costs=report.baseline_station_costs,
        threshold=args.threshold,
    )
    sited = parcel_cost_table(
        report.sited_network,
        report.plan,
        station_costs=report.station_costs(),
        members=report.members(),
        threshold=args.threshold,
    )
    both = compare_parcel_costs({"one per village": base, "co-sited": sited}, args.threshold)
    print(both.head(10).to_string(index=False))
    dumps(report.to_dict(), indent=1, path=str(out / "report.json"))
    report.sited_network.to_json(str(out / "network.json"))
    report.plan.to_json(str(out / "plan.json"))
    emit(both.to_csv(index=False), str(out / "parcel_cost.csv"))
    print(f"wrote report.json, network.json, plan.json and parcel_cost.csv to {out}")
    return EXIT_OK


MAP_DPI = 120  # the cost-per-parcel map's resolution


def _cmd_parcel_cost(args: argparse.Namespace) -> int:
    from islandroute.analysis.parcel_cost import (
        compare_parcel_costs,
        parcel_cost_table,
    )
    from islandroute.analysis.parcel_map import plot_cost_per_parcel
    from islandroute.analysis.siting import (
        baseline_station_costs,
        check_candidates,
        eligibility,
        split_villages,
        with_own,
    )
    from islandroute.datasets.candidates import WALK_KM_DEFAULT, read_candidates
    from islandroute.model.exchange import read_plan, write_text_atomic
    from islandroute.planning.planner import plan_week
    from islandroute.progress import log_progress

    out = Path(args.out)
    for name in ("villages.csv", "islands.csv", "map.png"):
        prepare_output(str(out / name), [args.network, *(args.plan or [])])
    net = load_network(args.network)
    costs: dict[str, float] = {}
    if args.candidates:
        villages, _kept = split_villages(net)
        cands = with_own(net, read_candidates(args.candidates), villages)
        check_candidates(net, cands)
        eligible = eligibility(net, cands, villages, WALK_KM_DEFAULT)
        costs = baseline_station_costs(net, {c.id: c for c in cands}, villages, eligible)
    plans: dict[str, Plan] = {}
    for path in args.plan or []:
        plan = Plan.from_dict(read_plan(path))
        plans[f"{Path(path).stem} ({plan.mode})"] = plan
    if not plans:
        modes: tuple[Mode, ...] = ("joint", "separate")
        for mode in modes:  # the two weeks share the time limit
            log_progress(f"planning the {mode} week")
            limit = args.time_limit / len(modes)
            plans[mode] = plan_week(net, mode, time_limit=limit, seed=args.seed)
    tables = {
        label: parcel_cost_table(net, p, station_costs=costs, threshold=args.threshold)
        for label, p in plans.items()
    }
    both = compare_parcel_costs(tables, args.threshold)
    print(both.head(args.top).to_string(index=False))
    import pandas as pd

    villages_frame = pd.concat([t.assign(plan=label) for label, t in tables.items()])
    emit(villages_frame.to_csv(index=False), str(out / "villages.csv"))
    emit(both.to_csv(index=False), str(out / "islands.csv"))
    import matplotlib

    matplotlib.use("Agg")
    first = next(iter(tables))
    ax = plot_cost_per_parcel(
        net, tables[first], threshold=args.threshold, title=f"{net.name} [{first}]: cost per parcel"
    )
    picture = io.BytesIO()
    ax.figure.savefig(picture, format="png", dpi=MAP_DPI, bbox_inches="tight")
    write_text_atomic(out / "map.png", picture.getvalue())
    print(f"wrote villages.csv, islands.csv and map.png to {out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from islandroute import __version__

    p = _Parser(prog="islandroute", description=(__doc__ or "").splitlines()[0])
    p.add_argument("--version", action="version", version=f"islandroute {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    shows = argparse.ArgumentDefaultsHelpFormatter  # every option's help ends with its default

    net = sub.add_parser(
        "network", help="show, export, validate or build a network", formatter_class=shows
    )
    net.add_argument("action", choices=["show", "export", "validate", "build"], help="what to do")
    net.add_argument("--network", default=BUILT_IN, help=NETWORK_HELP)
    net.add_argument(
        "--out", default="network.json", help="the file export and build write (- for stdout)"
    )
    net.add_argument("--stations", default=None, help="build: the stations table (.csv)")
    net.add_argument("--vehicles", default=None, help="build: the vehicles table (.csv)")
    net.add_argument("--ferries", default=None, help="build: the ferries table (.csv)")
    net.add_argument(
        "--roads", default=None, help="build: the roads table (.csv); absent: estimated"
    )
    net.set_defaults(func=_cmd_network)

    plan = sub.add_parser("plan", help="plan a week", formatter_class=shows)
    plan.add_argument("--network", default=BUILT_IN, help=NETWORK_HELP)
    plan.add_argument(
        "--mode",
        choices=["joint", "separate"],
        default="joint",
        help="pool every carrier's parcels on all vehicles, or each on its own",
    )
    plan.add_argument("--time-limit", type=seconds, default=60.0, help="seconds for the week")
    plan.add_argument("--seed", type=seed_number, default=0, help="the same seed, the same week")
    plan.add_argument(
        "--days",
        choices=["optimized", "balanced", "fixed"],
        default="optimized",
        help="visit days searched, spread evenly, or the usual Mon/Wed/Fri",
    )
    plan.add_argument(
        "--workers", type=worker_count, default=1, help="parallel searches, best kept"
    )
    plan.add_argument(
        "--allow-unserved",
        action="store_true",
        help="plan what can be served; list the rest (exit code 3) instead of failing",
    )
    plan.add_argument("--out", default=None, help="write the plan document here (- for stdout)")
    plan.add_argument("--quiet", action="store_true", help="no progress lines")
    plan.add_argument(
        "--json", action="store_true", help="print a machine-readable summary (JSON) instead"
    )
    plan.set_defaults(func=_cmd_plan)

    val = sub.add_parser("validate", help="check a plan against its network", formatter_class=shows)
    val.add_argument("--network", required=True, help=NETWORK_HELP)
    val.add_argument("--plan", required=True, help="the plan document to check")
    val.set_defaults(func=_cmd_validate)

    cmp_ = sub.add_parser(
        "compare", help="joint against separate, with a fair split", formatter_class=shows
    )
    cmp_.add_argument("--network", default=BUILT_IN, help=NETWORK_HELP)
    cmp_.add_argument("--time-limit", type=seconds, default=30.0, help="seconds per weekly plan")
    cmp_.add_argument("--seed", type=seed_number, default=0, help="the same seed, the same plans")
    cmp_.add_argument(
        "--allocation",
        choices=["shapley", "none"],
        default="shapley",
        help="split the joint cost by the Shapley value, or only compare",
    )
    cmp_.add_argument(
        "--workers", type=worker_count, default=None, help="processes (default: the cores)"
    )
    cmp_.add_argument("--out", default="comparison", help="writes OUT.json and OUT.csv")
    cmp_.add_argument("--quiet", action="store_true", help="no progress lines")
    cmp_.set_defaults(func=_cmd_compare)

    exp = sub.add_parser(
        "export", help="a plan as planner's tables or GeoJSON", formatter_class=shows
    )
    exp.add_argument("--network", default=BUILT_IN, help=NETWORK_HELP)
    exp.add_argument("--plan", required=True, help="the plan document")
    exp.add_argument(
        "--format",
        choices=["csv", "xlsx", "geojson"],
        default="csv",
        help="csv: station calendar, stops, island and carrier tables, a driver sheet "
        "(HTML) per route; xlsx: plan.xlsx with a sheet per table and one of every route; "
        "geojson: network.geojson and plan.geojson (RFC 7946)",
    )
    exp.add_argument("--out", default="export", help="the folder written")
    exp.set_defaults(func=_cmd_export)

    sch = sub.add_parser(
        "schema", help="the JSON Schema of a network or plan document", formatter_class=shows
    )
    sch.add_argument("document", choices=["network", "plan"], help="which document")
    sch.add_argument("--out", default=None, help="write it to this file (default: print it)")
    sch.set_defaults(func=_cmd_schema)

    rep = sub.add_parser(
        "report",
        help="an interactive HTML report that works offline (one file)",
        formatter_class=shows,
    )
    rep.add_argument("--network", default=BUILT_IN, help=NETWORK_HELP)
    rep.add_argument("--plan", required=True, help="the plan document")
    rep.add_argument(
        "--compare", default=None, help="a second plan of the same network, shown beside it"
    )
    rep.add_argument(
        "--threshold",
        type=_money,
        default=3.0,
        help="islands dearer than this many CNY a parcel are flagged (0: no cost map)",
    )
    rep.add_argument("--out", default="report.html", help="the HTML file written (- for stdout)")
    rep.set_defaults(func=_cmd_report)
    _add_drones_command(sub, shows)
    _add_siting_commands(sub, shows)
    return p


def print_error(err: IslandrouteError) -> None:
    """One ``error: object: field: message`` line per problem, on stderr."""
    problems = getattr(err, "problems", None)
    lines = [str(p) for p in problems] if problems else str(err).splitlines()[1:] or [str(err)]
    for line in lines[:MAX_ERROR_LINES]:
        print(f"error: {line.strip().removeprefix('- ')}", file=sys.stderr)
    if len(lines) > MAX_ERROR_LINES:
        print(f"error: ... and {len(lines) - MAX_ERROR_LINES} more", file=sys.stderr)


MAX_ERROR_LINES = 50


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every outcome is an exit code (see the module constants)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as done:  # --help, or a bad argument already printed as one line
        return int(done.code or 0) if not isinstance(done.code, str) else EXIT_BAD_INPUT
    try:
        with progress_shown(getattr(args, "time_limit", None), getattr(args, "quiet", False)):
            return int(args.func(args))
    except IslandrouteError as err:
        print_error(err)
        return EXIT_BAD_INPUT
    except OSError as err:
        print(f"error: {err.filename or 'file'}: {err.strerror or err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except RecursionError:
        print("error: input: nested too deeply", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as err:  # a bug: one line, not a traceback (tests assert it never happens)
        print(f"error: internal: {type(err).__name__}: {err} (please report)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = [
    "build_parser",
    "flow_summary",
    "has_pickups",
    "load_network",
    "main",
    "network_summary",
    "plan_table",
]
