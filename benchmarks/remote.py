"""Remote islands (issue 14): the week's cost with vans and boats only, with co-sited
stations, with drones and with both, on generated archipelagos of many small islands;
and on Zhoushan (``--zhoushan``) the siting figures and the cost per parcel, joint
against separate.

Every cost is a week's routes plus stations: one station per village (each at the
cheapest candidate standing at the village point) against the co-sited stations of
``islandroute.analysis.siting.site`` (candidates from ``candidate_table``, walking
``--walk-km``). The cost per parcel is ``parcel_cost_table``'s, per island.

Drones: the Zhoushan multirotor (estimated figures, DRONES.md) at each county complex,
planned with the vans by ``plan_with_drones`` (the stations that save cost), on the
villages' network and on the co-sited one; costed by the same functions.

    .venv/bin/python benchmarks/remote.py                     # seeds 0-2, 10 s a week
    .venv/bin/python benchmarks/remote.py --zhoushan -t 60    # Zhoushan, 60 s a week
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from _common import RESULTS, machine, md_table, write_json, write_text

import islandroute as ir
from islandroute.analysis.parcel_cost import (
    THRESHOLD_DEFAULT,
    compare_parcel_costs,
    island_table,
    parcel_cost_table,
)
from islandroute.analysis.siting import SitingReport, site
from islandroute.datasets.candidates import candidate_table
from islandroute.datasets.zhoushan_drones import with_drones_at_complexes

#: The drones of the generated scenarios: the Zhoushan multirotor (DRONES.md) at each
#: county complex, shared by the carriers; they take the stations that save cost.
DRONE_MODEL = "multirotor"
#: Generated archipelagos: many small islands, most reached by boat.
STATIONS, ISLANDS, CARRIERS = 60, 20, 3
ACCESS = {"share_bridge": 0.2, "share_vehicle_ferry": 0.4, "share_boat_only": 0.4}
WALK_KM_GENERATED = 2.0  # generated villages stand kilometres apart: a longer walk
ROUNDS = 1  # re-planning rounds of each siting run
SCENARIOS = ("vans_boats", "co_sited", "drones", "both")


def _summary(
    net: ir.Network, plan: ir.Plan, fees: dict[str, float], threshold: float, **kw: Any
) -> dict[str, Any]:
    """Cost (routes + stations), km, stops, cost per parcel and islands above threshold."""
    table = parcel_cost_table(net, plan, station_costs=fees, threshold=threshold, **kw)
    isl = island_table(table, threshold)
    parcels = float(table.parcels.sum())
    cost = plan.totals.cost + sum(fees.values())
    return {
        "cost": round(cost, 2),
        "route_cost": round(plan.totals.cost, 2),
        "station_cost": round(sum(fees.values()), 2),
        "km": round(plan.totals.km, 1),
        "stops": plan.totals.visits,
        "per_parcel": round(cost / parcels, 3) if parcels else None,
        "worst_island": round(float(isl.cost_per_parcel.max()), 2),
        "islands_above": int(isl.above.sum()),
        "valid": not ir.validate(net, plan),
    }


def _drones(
    net: ir.Network, report: SitingReport, args: argparse.Namespace, seed: int
) -> dict[str, Any]:
    """The drone columns: vans, boats and drones; and drones on the co-sited network."""
    flying = with_drones_at_complexes(net, DRONE_MODEL)
    sited = with_drones_at_complexes(report.sited_network, DRONE_MODEL)
    drones = ir.plan_with_drones(flying, "joint", time_limit=args.time_limit, seed=seed)
    both = ir.plan_with_drones(sited, "joint", time_limit=args.time_limit, seed=seed)
    return {
        "drones": _summary(flying, drones.plan, report.baseline_station_costs, args.threshold),
        "drone_stations": [len(drones.served), len(both.served)],
        "both": _summary(
            sited, both.plan, report.station_costs(), args.threshold, members=report.members()
        ),
    }


def generated(args: argparse.Namespace) -> None:
    """The generated archipelagos: one row per seed."""
    rows = []
    for seed in args.seeds:
        net = ir.archipelago(STATIONS, ISLANDS, CARRIERS, seed=seed, **ACCESS)  # type: ignore[arg-type]
        t0 = time.perf_counter()
        report = site(
            net,
            candidate_table(net, args.walk_km),
            walk_km=args.walk_km,
            time_limit=args.time_limit * (ROUNDS + 2),
            rounds=ROUNDS,
            seed=seed,
        )
        row = {
            "seed": seed,
            "network": net.name,
            "vans_boats": _summary(
                net, report.baseline_plan, report.baseline_station_costs, args.threshold
            ),
            "co_sited": _summary(
                report.sited_network,
                report.plan,
                report.station_costs(),
                args.threshold,
                members=report.members(),
            ),
            "stations": [report.baseline.stations, report.sited.stations],
            "seconds": round(time.perf_counter() - t0, 1),
            **_drones(net, report, args, seed),
        }
        print(row, flush=True)
        rows.append(row)
    write_json(
        args.out,
        {
            "machine": machine(),
            "time_limit": args.time_limit,
            "walk_km": args.walk_km,
            "threshold": args.threshold,
            "shape": {"stations": STATIONS, "islands": ISLANDS, "carriers": CARRIERS, **ACCESS},
            "rows": rows,
        },
    )
    write_text(f"{args.out}.md", _generated_md(rows, args))


def _cost(x: dict[str, Any] | None) -> str:
    return "n/a" if x is None else f"{x['cost']:,.0f}"


def _generated_md(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    table = md_table(
        [
            "seed",
            "stations",
            "vans+boats",
            "co-sited",
            "saving %",
            "drones",
            "drone stations",
            "both",
            "cost/parcel",
            "co-sited /parcel",
            "worst island /parcel",
            "co-sited worst",
            f"islands > {args.threshold:g}",
            "co-sited >",
            "valid",
        ],
        [
            [
                r["seed"],
                f"{r['stations'][0]} → {r['stations'][1]}",
                _cost(r["vans_boats"]),
                _cost(r["co_sited"]),
                round(100 * (1 - r["co_sited"]["cost"] / r["vans_boats"]["cost"]), 1),
                _cost(r["drones"]),
                " / ".join(str(n) for n in r["drone_stations"]),
                _cost(r["both"]),
                r["vans_boats"]["per_parcel"],
                r["co_sited"]["per_parcel"],
                r["vans_boats"]["worst_island"],
                r["co_sited"]["worst_island"],
                r["vans_boats"]["islands_above"],
                r["co_sited"]["islands_above"],
                "yes" if all(r[k]["valid"] for k in SCENARIOS) else "NO",
            ]
            for r in rows
        ],
    )
    return "\n".join(
        [
            f"# Remote islands: {STATIONS} stations on {ISLANDS} islands ({CARRIERS} carriers), "
            f"{args.time_limit:g} s a week, joint",
            "",
            "Cost = a week's routes (vans, boats, fares) + stations; one station per village "
            "against co-sited stations (walking "
            f"{args.walk_km:g} km, {ROUNDS} re-planning round). Cost per parcel in CNY.",
            "",
            table,
            "",
            f"Drones: a {DRONE_MODEL} at each county complex, taking the stations that save "
            "cost (drone stations: on the villages' network / on the co-sited one).",
            "",
        ]
    )


def zhoushan(args: argparse.Namespace) -> None:
    """Zhoushan: siting figures, and the cost per parcel's top islands joint/separate."""
    net = ir.zhoushan()
    cands = candidate_table(net, args.walk_km)
    t0 = time.perf_counter()
    report = site(
        net,
        cands,
        walk_km=args.walk_km,
        time_limit=args.time_limit * (ROUNDS + 2),
        rounds=ROUNDS,
        seed=0,
    )
    print(report.text(), flush=True)
    separate = ir.plan_week(net, "separate", time_limit=args.time_limit, seed=0)
    fees = report.baseline_station_costs
    tables = {
        "joint": parcel_cost_table(
            net, report.baseline_plan, station_costs=fees, threshold=args.threshold
        ),
        "separate": parcel_cost_table(net, separate, station_costs=fees, threshold=args.threshold),
        "co-sited": parcel_cost_table(
            report.sited_network,
            report.plan,
            station_costs=report.station_costs(),
            members=report.members(),
            threshold=args.threshold,
        ),
    }
    both = compare_parcel_costs(tables, args.threshold)
    doc = {
        "machine": machine(),
        "time_limit": args.time_limit,
        "walk_km": args.walk_km,
        "threshold": args.threshold,
        "siting": report.to_dict() | {"choice": None},
        "islands": both.to_dict("records"),
        "valid": {
            "joint": not ir.validate(net, report.baseline_plan),
            "separate": not ir.validate(net, separate),
            "co-sited": not ir.validate(report.sited_network, report.plan),
        },
        "seconds": round(time.perf_counter() - t0, 1),
    }
    write_json(args.out, doc)
    top = both.head(args.top)
    text = "\n".join(
        [
            f"# Zhoushan: co-sited stations and the cost per parcel ({args.time_limit:g} s a week)",
            "",
            "```",
            report.text(),
            "```",
            "",
            f"Cost per parcel (CNY), the {args.top} dearest islands (joint), threshold "
            f"{args.threshold:g}; station cost: each village's cheapest site at its point:",
            "",
            md_table(list(top.columns), top.values.tolist()),
            "",
            f"Valid: {doc['valid']}.",
            "",
        ]
    )
    write_text(f"{args.out}.md", text)
    _zhoushan_map(net, tables, args)


def _zhoushan_map(net: ir.Network, tables: dict[str, Any], args: argparse.Namespace) -> None:
    """``results/<out>.png``: the cost per parcel per island, joint beside co-sited."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from islandroute.analysis.parcel_map import plot_cost_per_parcel

    labels = ("joint", "co-sited")
    top = max(float(island_table(tables[k]).cost_per_parcel.max()) for k in labels)
    fig, axes = plt.subplots(1, 2, figsize=(16, 8))
    for ax, label in zip(axes, labels, strict=True):
        plot_cost_per_parcel(
            net,
            tables[label],
            ax,
            threshold=args.threshold,
            title=f"Zhoushan [{label}]: CNY per parcel",
            vmax=top,
        )
    fig.savefig(RESULTS / f"{args.out}.png", dpi=110, bbox_inches="tight")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("-t", "--time-limit", type=float, default=10.0, help="seconds a week")
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    ap.add_argument("--walk-km", type=float, default=None)
    ap.add_argument("--threshold", type=float, default=THRESHOLD_DEFAULT)
    ap.add_argument("--zhoushan", action="store_true", help="measure Zhoushan instead")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if args.zhoushan:
        args.walk_km = args.walk_km or 1.0
        args.out = args.out or "remote_zhoushan"
        zhoushan(args)
    else:
        args.walk_km = args.walk_km or WALK_KM_GENERATED
        args.out = args.out or "remote"
        generated(args)


if __name__ == "__main__":
    main()
