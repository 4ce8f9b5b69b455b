"""Coalitions of carriers: their restricted networks and the plan that prices each one.

The characteristic function (what a coalition ``S`` would pay on its own) is defined as:

* ``|S| = 1``: the carrier alone — its stations and parcels, its own vehicles only,
  planned with ``mode="separate"``. This is exactly the carrier's part of a separate
  week, so ``c({i})`` *is* the stand-alone cost shown in the comparison.
* ``|S| >= 2``: the carriers of ``S`` deliver jointly — their stations and parcels only,
  their vehicles pooled plus the shared operator's vehicles (``carrier=None``), planned
  with ``mode="joint"``. The shared operator only works for cooperating carriers, so it
  is part of what cooperation brings.

For the grand coalition this is the ordinary joint week of the whole network.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from itertools import combinations

from pydantic import BaseModel, ConfigDict, Field

from islandroute.model.network import Network
from islandroute.model.plan import Kpis, Plan
from islandroute.planning.options import PLAN_DEFAULTS

Coalition = frozenset[str]

__all__ = [
    "Coalition",
    "CoalitionJob",
    "CoalitionResult",
    "all_coalitions",
    "coalition_key",
    "coalition_seed",
    "plan_coalition",
    "restrict",
]


def coalition_key(coalition: Iterable[str], order: Iterable[str] | None = None) -> str:
    """A stable name like ``"ems+zto"`` (network order when given, else sorted)."""
    members = set(coalition)
    if order is not None:
        return "+".join(c for c in order if c in members)
    return "+".join(sorted(members))


def coalition_seed(seed: int, coalition: Iterable[str]) -> int:
    """A seed derived from the run's seed and the coalition only (not from job order),
    so every executor and every run plans a coalition the same way."""
    text = f"{seed}:{'+'.join(sorted(coalition))}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=4).digest(), "big") & 0x7FFFFFFF


def all_coalitions(players: Iterable[str]) -> list[Coalition]:
    """Every non-empty coalition, smallest first."""
    ps = list(players)
    return [frozenset(c) for k in range(1, len(ps) + 1) for c in combinations(ps, k)]


def restrict(net: Network, carriers: Iterable[str], *, shared: bool = True) -> Network:
    """The network of a coalition: only its carriers' demand and pickups, only stations
    left with some, only its carriers' vehicles (plus shared ones when ``shared``).

    Carriers outside the coalition stay declared (ids remain valid) but have nothing to
    deliver and no vehicles. Returns ``net`` itself when nothing would change.
    """
    keep = set(carriers)
    unknown = keep - set(net.carrier_ids)
    if unknown:
        raise ValueError(f"unknown carriers {sorted(unknown)}")
    stations = []
    for s in net.stations:
        demand = {c: q for c, q in s.demand.items() if c in keep}
        pickup = {c: q for c, q in s.pickup.items() if c in keep}
        if sum(demand.values()) + sum(pickup.values()) > 0:
            stations.append(s.model_copy(update={"demand": demand, "pickup": pickup}))
    vehicles = [v for v in net.vehicles if v.carrier in keep or (shared and v.carrier is None)]
    if (
        len(stations) == len(net.stations)
        and all(a == b for a, b in zip(stations, net.stations, strict=True))
        and len(vehicles) == len(net.vehicles)
    ):
        return net
    return net.replace(stations=tuple(stations), vehicles=tuple(vehicles))


class CoalitionJob(BaseModel):
    """What to plan for one coalition (picklable, sent to any executor)."""

    model_config = ConfigDict(frozen=True)

    tag: str = ""
    coalition: tuple[str, ...]
    time_limit: float
    seed: int
    effort: int = PLAN_DEFAULTS.effort
    days: str = PLAN_DEFAULTS.days
    keep_plan: bool = False


class CoalitionResult(BaseModel):
    """The priced coalition: its cost (the characteristic function value) and KPIs."""

    model_config = ConfigDict(frozen=True)

    tag: str = ""
    coalition: tuple[str, ...]
    mode: str
    seed: int
    cost: float
    totals: Kpis
    by_carrier: dict[str, Kpis] = Field(default_factory=dict)
    seconds: float = 0.0
    plan: Plan | None = None
    error: str | None = None


def plan_coalition(net: Network, job: CoalitionJob) -> CoalitionResult:
    """Plan one coalition's week (a top-level function, so process pools can run it).

    An infeasible coalition is reported in ``error`` with an infinite cost instead of
    raising, so one bad scenario does not sink a whole batch.
    """
    from islandroute.errors import IslandrouteError
    from islandroute.planning.planner import plan_week

    t0 = time.perf_counter()
    alone = len(job.coalition) == 1
    mode = "separate" if alone else "joint"
    seed = coalition_seed(job.seed, job.coalition)
    try:
        sub = restrict(net, job.coalition, shared=not alone)
        plan = plan_week(
            sub,
            mode=mode,  # type: ignore[arg-type]
            time_limit=job.time_limit,
            seed=seed,
            days=job.days,  # type: ignore[arg-type]
            effort=job.effort,
        )
    except IslandrouteError as err:
        return CoalitionResult(
            tag=job.tag,
            coalition=job.coalition,
            mode=mode,
            seed=seed,
            cost=float("inf"),
            totals=Kpis(),
            seconds=time.perf_counter() - t0,
            error=str(err),
        )
    return CoalitionResult(
        tag=job.tag,
        coalition=job.coalition,
        mode=mode,
        seed=seed,
        cost=plan.totals.cost,
        totals=plan.totals,
        by_carrier=plan.by_carrier,
        seconds=time.perf_counter() - t0,
        plan=plan if job.keep_plan else None,
    )
