"""Separate against joint delivery: totals, savings, and each carrier's fair share.

``compare(net)`` plans every carrier alone and all carriers together (and, for the
Shapley value, every coalition the value needs), all through one executor, and returns a
:class:`CompareReport`. The stand-alone cost of a carrier is the characteristic function
of its singleton coalition (see :mod:`islandroute.analysis.coalitions`), so the
"separate" total is the sum of the carriers' stand-alone weeks.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from islandroute.analysis.allocation import (
    EXACT_MAX_PLAYERS,
    Allocation,
    CoreCheck,
    check_core,
    permutation_sample,
    proportional,
    shapley_exact,
    shapley_monte_carlo,
)
from islandroute.analysis.coalitions import (
    Coalition,
    CoalitionJob,
    CoalitionResult,
    all_coalitions,
    coalition_key,
    plan_coalition,
    restrict,
)
from islandroute.analysis.executor import Progress, Submitter, run_jobs
from islandroute.analysis.flows import (
    COMPARED_FLOWS,
    COMPARISON_COLUMNS,
    FlowKpis,
    flow_comparison_rows,
    flows,
    total,
)
from islandroute.analysis.settings import AllocationMethod, RunSettings
from islandroute.errors import IslandrouteError
from islandroute.model.exchange import write_text_atomic
from islandroute.model.network import Network
from islandroute.model.plan import Kpis, Plan
from islandroute.progress import progress_or_log
from islandroute.tables import table

__all__ = [
    "KPI_FIELDS",
    "AllocationMethod",
    "CarrierRow",
    "CompareReport",
    "RunSettings",
    "compare",
    "compare_many",
    "needed_coalitions",
    "players_of",
]

#: Flow columns of the carriers' table (``separate_<name>``, ``joint_<name>``): the
#: parcels delivered, collected and sent out, as compared side by side.
FLOW_COLUMNS: dict[str, str] = {
    "delivered": "delivered",
    "collected": "collected",
    "outbound": "outbound",
    "on_time_pct": "on time %",
    "cold_minutes_max": "cold max min",
}

#: KPIs compared between separate and joint weeks (lower is better for all of them).
KPI_FIELDS: tuple[str, ...] = (
    "cost",
    "km",
    "vehicle_days",
    "driver_hours",
    "ferry_crossings",
    "co2_kg",
)


class CarrierRow(BaseModel):
    """One carrier: its stand-alone week and its share of the joint week."""

    model_config = ConfigDict(frozen=True)

    carrier: str
    name: str = ""
    parcels: int
    standalone: Kpis
    joint_parcel_share: Kpis
    shapley: float | None = None
    shapley_error: float | None = None
    by_parcels: float
    by_standalone: float
    flows_alone: FlowKpis = FlowKpis()
    flows_joint: FlowKpis = FlowKpis()


class CompareReport(BaseModel):
    """Separate against joint: totals, savings in %, per-carrier shares, the core check.

    ``coalitions`` holds every planned coalition's cost (``"ems+zto"`` -> yuan), the
    characteristic function the Shapley value was computed from. ``flows_separate`` and
    ``flows_joint`` are the parcels delivered, collected and sent out (two in, one out)
    of the separate weeks together and of the joint week; each carrier's are in its row.
    """

    model_config = ConfigDict(frozen=True)

    network: str
    players: tuple[str, ...]
    time_limit: float
    seed: int
    allocation: str
    separate: Kpis
    joint: Kpis
    savings_pct: dict[str, float]
    carriers: tuple[CarrierRow, ...]
    shapley: Allocation | None = None
    core: CoreCheck | None = None
    coalitions: dict[str, float] = Field(default_factory=dict)
    errors: dict[str, str] = Field(default_factory=dict)
    seconds: float = 0.0
    flows_separate: FlowKpis = FlowKpis()
    flows_joint: FlowKpis = FlowKpis()
    joint_plan: Plan | None = Field(default=None, exclude=True, repr=False)

    @property
    def saving_pct(self) -> float:
        """Cost saving of the joint week against the separate weeks, in %."""
        return self.savings_pct.get("cost", 0.0)

    def shares(self) -> dict[str, float]:
        """Each carrier's share of the joint cost (Shapley; by stand-alone cost if none)."""
        if self.shapley is not None:
            return dict(self.shapley.shares)
        return {r.carrier: r.by_standalone for r in self.carriers}

    def to_dataframe(self) -> Any:
        """One row per carrier plus a ``total`` row (pandas): separate against joint KPIs
        (joint per carrier = parcel-weighted share of the joint routes), savings in % and
        the allocations of the joint cost."""
        import pandas as pd

        rows = []
        for r in self.carriers:
            d = _side_by_side(
                r.carrier, (r.standalone, r.joint_parcel_share), (r.flows_alone, r.flows_joint)
            )
            d.update(
                parcels=r.parcels,
                standalone_cost=r.standalone.cost,
                shapley=r.shapley,
                shapley_error=r.shapley_error,
                by_parcels=r.by_parcels,
                by_standalone=r.by_standalone,
                shapley_saving_pct=(
                    _pct(r.standalone.cost, r.shapley) if r.shapley is not None else None
                ),
            )
            rows.append(d)
        tot = _side_by_side(
            "total", (self.separate, self.joint), (self.flows_separate, self.flows_joint)
        )
        tot.update(
            parcels=sum(r.parcels for r in self.carriers),
            standalone_cost=self.separate.cost,
            shapley=self.shapley.total if self.shapley else None,
            shapley_error=None,
            by_parcels=sum(r.by_parcels for r in self.carriers),
            by_standalone=sum(r.by_standalone for r in self.carriers),
            shapley_saving_pct=self.savings_pct.get("cost"),
        )
        rows.append(tot)
        return pd.DataFrame(rows).set_index("carrier")

    def kpi_table(self) -> list[dict[str, Any]]:
        """Rows ``kpi, separate, joint, saving_pct`` for printing."""
        return [
            {
                "kpi": f,
                "separate": float(getattr(self.separate, f)),
                "joint": float(getattr(self.joint, f)),
                "saving %": self.savings_pct[f],
            }
            for f in KPI_FIELDS
        ]

    def carrier_table(self) -> list[dict[str, Any]]:
        """Rows per carrier for printing: stand-alone cost against each allocation."""
        rows = []
        for r in self.carriers:
            d: dict[str, Any] = {
                "carrier": r.carrier,
                "parcels": r.parcels,
                "alone": r.standalone.cost,
                "by parcels": r.by_parcels,
                "by alone cost": r.by_standalone,
            }
            if r.shapley is not None:
                d["shapley"] = r.shapley
                d["+/-"] = r.shapley_error or 0.0
                d["saving %"] = _pct(r.standalone.cost, r.shapley)
            rows.append(d)
        return rows

    def flow_table(self) -> list[dict[str, Any]]:
        """Two rows per carrier and for the total, alone (its separate week) and joint:
        delivered, collected, outbound, on-time share and cold minutes on board."""
        return flow_comparison_rows(
            {r.carrier: r.flows_alone for r in self.carriers},
            {r.carrier: r.flows_joint for r in self.carriers},
        )

    def flow_text(self) -> str:
        """Two in, one out side by side, separate against joint (empty when no carrier
        collects anything)."""
        if not (self.flows_separate.collected or self.flows_joint.collected):
            return ""
        head = "two in, one out (两进一出): delivery, collection and outbound, alone and joint"
        return "\n".join([head, table(self.flow_table(), COMPARISON_COLUMNS)])

    def text(self) -> str:
        """The comparison as readable text tables."""
        lines = [
            f"{self.network}: separate {self.separate.cost:,.0f} against joint "
            f"{self.joint.cost:,.0f} a week ({self.saving_pct:+.1f}% saved), "
            f"{len(self.players)} carriers, {len(self.coalitions)} plans, "
            f"{self.time_limit:g}s each",
            table(self.kpi_table(), ["kpi", "separate", "joint", "saving %"]),
            "",
        ]
        cols = ["carrier", "parcels", "alone", "by parcels", "by alone cost"]
        if self.shapley is not None:
            cols += ["shapley", "+/-", "saving %"]
        lines.append(table(self.carrier_table(), cols))
        if self.shapley is not None:
            how = (
                "exact (every coalition planned)"
                if self.shapley.method == "shapley"
                else f"Monte Carlo over {self.shapley.samples} orders, +/- = 95% interval"
            )
            lines.append(
                f"Shapley {how}; shares add up to {self.shapley.total:,.1f} "
                f"(joint cost {self.joint.cost:,.1f})"
            )
        if self.core is not None:
            lines.append(self.core.describe())
        if self.flow_text():
            lines += ["", self.flow_text()]
        for k, e in self.errors.items():
            lines.append(f"error in {k}: {e}")
        return "\n".join(lines)

    def to_json(self, path: str | None = None) -> str:
        """The report as JSON (without the joint plan); written to ``path`` when given."""
        text = self.model_dump_json(indent=1)
        if path:
            write_text_atomic(path, text)
        return text

    def to_csv(self, path: str | None = None) -> str:
        """The carriers' table as CSV; written to ``path`` (atomically) when given."""
        text: str = self.to_dataframe().to_csv()
        if path:
            write_text_atomic(path, text)
        return text


def _side_by_side(
    who: str, kpis: tuple[Kpis, Kpis], flow: tuple[FlowKpis, FlowKpis]
) -> dict[str, Any]:
    """A carriers' table row: each KPI and flow separate and joint, and KPI savings."""
    out: dict[str, Any] = {"carrier": who}
    for f in KPI_FIELDS:
        a, b = float(getattr(kpis[0], f)), float(getattr(kpis[1], f))
        out[f"separate_{f}"] = a
        out[f"joint_{f}"] = b
        out[f"{f}_saving_pct"] = _pct(a, b)
    for name, label in FLOW_COLUMNS.items():
        out[f"separate_{name}"] = COMPARED_FLOWS[label](flow[0])
        out[f"joint_{name}"] = COMPARED_FLOWS[label](flow[1])
    return out


def _pct(before: float, after: float | None) -> float:
    """Saving of ``after`` against ``before`` in % (0 when ``before`` is 0)."""
    if after is None or before == 0 or not math.isfinite(before):
        return 0.0
    return round(100.0 * (before - after) / before, 3)


def players_of(net: Network, carriers: Sequence[str] | None = None) -> tuple[str, ...]:
    """The carriers that play: those with parcels (restricted to ``carriers``)."""
    busy = {c for s in net.stations for c, q in {**s.demand, **s.pickup}.items() if q > 0}
    chosen = net.carrier_ids if carriers is None else tuple(carriers)
    unknown = set(chosen) - set(net.carrier_ids)
    if unknown:
        raise ValueError(f"unknown carriers {sorted(unknown)}")
    return tuple(c for c in net.carrier_ids if c in busy and c in chosen)


def needed_coalitions(
    players: Sequence[str],
    allocation: AllocationMethod,
    *,
    exact_max: int = EXACT_MAX_PLAYERS,
    samples: int = 200,
    seed: int = 0,
) -> list[Coalition]:
    """The coalitions to plan: singletons and the grand coalition, plus every coalition
    (exact Shapley) or those on the sampled orders' prefixes (Monte Carlo)."""
    need: dict[Coalition, None] = {frozenset([p]): None for p in players}
    if allocation == "shapley":
        if len(players) <= exact_max:
            need.update(dict.fromkeys(all_coalitions(players)))
        else:
            for perm in permutation_sample(players, samples, seed):
                need.update(dict.fromkeys(frozenset(perm[:k]) for k in range(1, len(perm) + 1)))
    need[frozenset(players)] = None
    return sorted(need, key=lambda s: (len(s), coalition_key(s, players)))


def compare(
    net: Network,
    *,
    settings: RunSettings | None = None,
    carriers: Sequence[str] | None = None,
    executor: Submitter | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> CompareReport:
    """Plan separate and joint weeks (and the coalitions Shapley needs) and compare them.

    Parameters
    ----------
    settings
        How each week is planned and the joint cost allocated (:class:`RunSettings`).
    **options
        Fields of :class:`RunSettings` (``time_limit``, ``seed``, ``allocation``,
        ``effort``, ``days``, ``exact_max``, ``samples``, ``core_tol``), overriding
        ``settings``: ``compare(net, time_limit=20, seed=0)``.
    carriers
        Compare only these carriers (the others' parcels and vehicles are left out).
    executor
        A ``concurrent.futures.Executor`` or ``dask.distributed.Client``; default a
        local process pool of ``workers`` processes.
    """
    return compare_many(
        {net.name: net},
        settings=settings,
        carriers=carriers,
        executor=executor,
        workers=workers,
        progress=progress,
        **options,
    )[net.name]


def compare_many(
    nets: Mapping[str, Network],
    *,
    settings: RunSettings | None = None,
    carriers: Sequence[str] | None = None,
    executor: Submitter | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    errors: dict[str, str] | None = None,
    **options: Any,
) -> dict[str, CompareReport]:
    """:func:`compare` for several networks (scenarios) with all plans in one batch,
    so every plan of every scenario shares the executor's workers.

    When ``errors`` is given, a network whose carriers or joint week cannot be planned
    is recorded there (tag -> message) and left out instead of raising.
    """
    t0 = time.perf_counter()
    cfg = RunSettings.resolve(settings, **options)
    say = progress_or_log(progress)
    work, jobs, labels = _coalition_jobs(nets, carriers, cfg)
    say(f"{len(jobs)} weekly plans for {len(nets)} network(s), {cfg.time_limit:g}s each")
    results = run_jobs(
        plan_coalition, jobs, executor=executor, workers=workers, progress=say, labels=labels
    )
    by_tag: dict[str, dict[Coalition, CoalitionResult]] = {t: {} for t in nets}
    for r in results:
        by_tag[r.tag][frozenset(r.coalition)] = r
    reports = {}
    for tag, (base, players) in work.items():
        try:
            reports[tag] = _assemble(
                base, players, by_tag[tag], cfg, seconds=time.perf_counter() - t0
            )
        except IslandrouteError as err:
            if errors is None:
                raise
            errors[tag] = str(err)
    return reports


def _coalition_jobs(
    nets: Mapping[str, Network], carriers: Sequence[str] | None, cfg: RunSettings
) -> tuple[
    dict[str, tuple[Network, tuple[str, ...]]], list[tuple[Network, CoalitionJob]], list[str]
]:
    """Each network's base (only its players' parcels) and players, and the coalitions
    to plan for all networks with their progress labels; the grand ones keep their plan."""
    work: dict[str, tuple[Network, tuple[str, ...]]] = {}
    jobs: list[tuple[Network, CoalitionJob]] = []
    labels: list[str] = []
    for tag, net in nets.items():
        players = players_of(net, carriers)
        if not players:
            raise ValueError(f"{tag}: no carrier has parcels to deliver")
        base = restrict(net, players)
        work[tag] = (base, players)
        grand = frozenset(players)
        need = needed_coalitions(
            players, cfg.allocation, exact_max=cfg.exact_max, samples=cfg.samples, seed=cfg.seed
        )
        for s in need:
            members = tuple(p for p in players if p in s)
            keep = s == grand or len(s) == 1  # their plans give the flows side by side
            jobs.append((base, cfg.job(members, tag=tag, keep_plan=keep)))
            labels.append(f"{tag}: {'+'.join(members)}")
    return work, jobs, labels


def _sum_kpis(parts: Sequence[Kpis]) -> Kpis:
    """KPIs of several plans together (electric share weighted by km)."""
    km = sum(k.km for k in parts)
    data: dict[str, Any] = {}
    for name, field in Kpis.model_fields.items():
        if name == "electric_km_share":
            continue
        total = sum(getattr(k, name) for k in parts)
        data[name] = round(total, 4) if field.annotation is float else int(total)
    data["electric_km_share"] = (
        round(sum(k.km * k.electric_km_share for k in parts) / km, 6) if km > 0 else 0.0
    )
    return Kpis(**data)


def _assemble(
    net: Network,
    players: tuple[str, ...],
    res: dict[Coalition, CoalitionResult],
    cfg: RunSettings,
    *,
    seconds: float,
) -> CompareReport:
    """Turn the planned coalitions into the report."""
    grand = frozenset(players)
    errors = {coalition_key(s, players): r.error for s, r in res.items() if r.error}
    alone = {p: res[frozenset([p])] for p in players}
    joint = res[grand]
    _refuse_unplanned(net, players, alone, joint, errors)
    separate = _sum_kpis([alone[p].totals for p in players])
    savings = {
        f: _pct(float(getattr(separate, f)), float(getattr(joint.totals, f))) for f in KPI_FIELDS
    }
    parcels = {p: sum(s.demand.get(p, 0) for s in net.stations) for p in players}
    by_parcels = proportional(parcels, joint.cost, "parcels")
    by_alone = proportional({p: alone[p].cost for p in players}, joint.cost, "standalone")
    shap, core = _shapley(players, res, cfg, errors)
    flow_alone, flow_joint = _flows(net, players, res)
    rows = _carrier_rows(
        net, players, res, parcels, shap, (by_parcels, by_alone), (flow_alone, flow_joint)
    )
    return CompareReport(
        network=net.name,
        players=players,
        time_limit=cfg.time_limit,
        seed=cfg.seed,
        allocation=cfg.allocation,
        separate=separate,
        joint=joint.totals,
        savings_pct=savings,
        carriers=rows,
        shapley=shap,
        core=core,
        coalitions={coalition_key(s, players): r.cost for s, r in res.items()},
        errors=errors,
        seconds=round(seconds, 3),
        flows_separate=total(flow_alone.values()),
        flows_joint=total(flow_joint.values()),
        joint_plan=joint.plan,
    )


def _flows(
    net: Network, players: tuple[str, ...], res: dict[Coalition, CoalitionResult]
) -> tuple[dict[str, FlowKpis], dict[str, FlowKpis]]:
    """Each carrier's flows in its stand-alone week and in the joint week (nothing for
    a week planned without its plan kept)."""
    joint_plan = res[frozenset(players)].plan
    joint = flows(net, joint_plan).by_carrier if joint_plan is not None else {}
    alone = {}
    for p in players:
        plan = res[frozenset([p])].plan
        alone[p] = flows(net, plan).by_carrier.get(p, FlowKpis()) if plan else FlowKpis()
    return alone, {p: joint.get(p, FlowKpis()) for p in players}


def _refuse_unplanned(
    net: Network,
    players: tuple[str, ...],
    alone: dict[str, CoalitionResult],
    joint: CoalitionResult,
    errors: dict[str, str],
) -> None:
    """Raise when a carrier alone or the joint week could not be planned: without them
    there is nothing to compare."""
    bad = [p for p in players if alone[p].error] + (["joint"] if joint.error else [])
    if bad:
        msg = "; ".join(f"{k}: {v}" for k, v in errors.items())
        raise IslandrouteError(f"{net.name}: cannot plan {', '.join(bad)}: {msg}")


def _cost_function(
    res: dict[Coalition, CoalitionResult], players: tuple[str, ...]
) -> Callable[[frozenset[str]], float]:
    """The characteristic function over the planned coalitions (0 for the empty one)."""

    def cost(s: frozenset[str]) -> float:
        if not s:
            return 0.0
        if s not in res:
            raise KeyError(f"coalition {coalition_key(s, players)} was not planned")
        return res[s].cost

    return cost


def _shapley(
    players: tuple[str, ...],
    res: dict[Coalition, CoalitionResult],
    cfg: RunSettings,
    errors: dict[str, str],
) -> tuple[Allocation | None, CoreCheck | None]:
    """The Shapley split of the joint cost and its core check, when asked for and every
    coalition was planned (else a note in ``errors``)."""
    if cfg.allocation == "shapley" and errors:
        errors["shapley"] = "not computed: some coalitions could not be planned"
        return None, None
    if cfg.allocation != "shapley":
        return None, None
    cost = _cost_function(res, players)
    if len(players) <= cfg.exact_max:
        shap = shapley_exact(players, cost)
    else:
        shap = shapley_monte_carlo(players, cost, samples=cfg.samples, seed=cfg.seed)
    return shap, check_core(shap.shares, cost, res.keys(), rel_tol=cfg.core_tol)


def _carrier_rows(
    net: Network,
    players: tuple[str, ...],
    res: dict[Coalition, CoalitionResult],
    parcels: dict[str, int],
    shap: Allocation | None,
    splits: tuple[Allocation, Allocation],
    flow: tuple[dict[str, FlowKpis], dict[str, FlowKpis]],
) -> tuple[CarrierRow, ...]:
    """One row per carrier: its parcels, stand-alone KPIs, parcel share of the joint week,
    its share of the joint cost by Shapley, by parcels and by stand-alone cost, and its
    flows alone and joint."""
    by_parcels, by_alone = splits
    flow_alone, flow_joint = flow
    joint = res[frozenset(players)]
    names = {c.id: c.name for c in net.carriers}
    return tuple(
        CarrierRow(
            carrier=p,
            name=names.get(p, ""),
            parcels=parcels[p],
            standalone=res[frozenset([p])].totals,
            joint_parcel_share=joint.by_carrier.get(p, Kpis()),
            shapley=shap.shares[p] if shap else None,
            shapley_error=shap.error.get(p) if shap else None,
            by_parcels=by_parcels.shares[p],
            by_standalone=by_alone.shares[p],
            flows_alone=flow_alone[p],
            flows_joint=flow_joint[p],
        )
        for p in players
    )
