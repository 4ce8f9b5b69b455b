"""The drone scenario: for each small island a drone may reach, cost, CO2 and visit days
of the week with vans only, with drones, and with the drones grounded on some days."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from islandroute.model.network import Network
from islandroute.model.plan import Plan
from islandroute.planning.drones import (
    DroneWeek,
    Mode,
    drone_flights,
    drone_islands,
    ground_drones,
    plan_with_drones,
)
from islandroute.planning.options import PLAN_DEFAULTS

#: Share of the time limit for the week with drones flying (the baseline and its trials);
#: the grounded week, which reuses the baseline, takes the rest.
FLYING_SHARE = 0.65
#: The least the grounded week is given when the first has used the budget.
MIN_SECONDS = 1.0

VANS, DRONES, GROUNDED = "vans", "drones", "grounded"


@dataclass(frozen=True)
class IslandRow:
    """One small island under each scenario: cost, CO2 (kg) and the days it is visited."""

    island: str
    name: str
    stations: int
    drone_stations: dict[str, int]
    cost: dict[str, float]
    co2_kg: dict[str, float]
    visit_days: dict[str, tuple[str, ...]]


@dataclass
class DroneScenarios:
    """The weeks of each scenario and the per-island comparison."""

    net: Network
    weeks: dict[str, DroneWeek]
    grounded_days: tuple[str, ...] = ()
    rows: list[IslandRow] = field(default_factory=list)

    @property
    def scenarios(self) -> list[str]:
        return [VANS, *self.weeks]

    def plan(self, scenario: str) -> Plan:
        """The week of a scenario (``vans``: the vans-only baseline)."""
        return self.weeks[DRONES].baseline if scenario == VANS else self.weeks[scenario].plan

    def table(self) -> str:
        """The comparison as a Markdown table, one row per small island, then the totals."""
        cols = self.scenarios
        head = ["island", "stations"] + [
            f"{c} {what}" for c in cols for what in ("cost", "CO2", "days")
        ]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in self.rows:
            cells = [f"{r.island} {r.name}".strip(), str(r.stations)]
            for c in cols:
                days = ",".join(r.visit_days[c]) or "-"
                flown = f" ({r.drone_stations[c]} by drone)" if r.drone_stations[c] else ""
                cells += [f"{r.cost[c]:,.0f}", f"{r.co2_kg[c]:,.1f}", days + flown]
            lines.append("| " + " | ".join(cells) + " |")
        totals = ["all islands", str(len(self.net.stations))]
        for c in cols:
            t = self.plan(c).totals
            totals += [f"{t.cost:,.0f}", f"{t.co2_kg:,.1f}", f"{t.ferry_crossings} crossings"]
        lines.append("| " + " | ".join(totals) + " |")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain data (for JSON)."""
        return {
            "grounded_days": list(self.grounded_days),
            "totals": {c: self.plan(c).totals.model_dump() for c in self.scenarios},
            "drones": {
                c: {
                    "stations": {s: list(v.days) for s, v in w.served.items()},
                    "flights": drone_flights(w.plan, self.net),
                    "saved_ferry_crossings": w.saved_crossings,
                    "saved_van_km": w.saved_van_km,
                    "diagnosis": [str(p) for p in w.problems],
                }
                for c, w in self.weeks.items()
            },
            "islands": [r.__dict__ for r in self.rows],
        }


def drone_scenarios(
    net: Network,
    mode: Mode = "joint",
    *,
    grounded: Iterable[str] | None = None,
    time_limit: float = PLAN_DEFAULTS.time_limit,
    seed: int = PLAN_DEFAULTS.seed,
    with_grounded: bool = True,
    every_reachable: bool = False,
) -> DroneScenarios:
    """Vans only, with drones, and (``with_grounded``) with the drones grounded on the days
    ``grounded`` (None: every day); compared island by island. Drones take the stations
    that save cost, or (``every_reachable``) every station they may serve. The whole
    comparison takes at most ``time_limit`` s (and the planner's margin)."""
    take: Literal["all"] | None = "all" if every_reachable else None
    days = tuple(net.days if grounded is None else grounded) if with_grounded else ()
    kept = ground_drones(net, days) if with_grounded else net  # bad days are named before planning
    end = time.perf_counter() + time_limit
    first = time_limit * FLYING_SHARE if with_grounded else time_limit
    weeks = {DRONES: plan_with_drones(net, mode, time_limit=first, seed=seed, stations=take)}
    if with_grounded:
        weeks[GROUNDED] = plan_with_drones(
            kept,
            mode,
            time_limit=max(MIN_SECONDS, end - time.perf_counter()),
            seed=seed,
            stations=take,
            baseline=weeks[DRONES].baseline,
            allow_unserved=True,  # a storm: what only drones reach is declared unserved
        )
    out = DroneScenarios(net=net, weeks=weeks, grounded_days=days)
    out.rows = [_row(net, out, isl) for isl in drone_islands(net)]
    return out


def _row(net: Network, sc: DroneScenarios, island: str) -> IslandRow:
    """One island's figures under each scenario."""
    names = {i.id: i.name for i in net.islands}
    stations = {s.node for s in net.stations if net.node_by_id[s.node].island == island}
    cost, co2, days, flown = {}, {}, {}, {}
    for c in sc.scenarios:
        plan = sc.plan(c)
        k = plan.by_island.get(island)
        cost[c] = k.cost if k else 0.0
        co2[c] = k.co2_kg if k else 0.0
        visited = {r.day for r in plan.routes for s in r.stops[1:-1] if s.node in stations}
        days[c] = tuple(d for d in net.days if d in visited)
        served = sc.weeks[c].served if c in sc.weeks else {}
        flown[c] = sum(1 for sv in served.values() if sv.station in stations)
    return IslandRow(island, names.get(island, ""), len(stations), flown, cost, co2, days)
