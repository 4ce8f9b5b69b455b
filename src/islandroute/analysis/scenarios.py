"""What-if networks and the separate-against-joint comparison under each, side by side.

Each scenario is a plain function ``Network -> Network`` (the model is immutable, so a
scenario is a validated copy). :func:`compare_scenarios` plans every scenario's weeks in
one batch on one executor.

The built-in Zhoushan demand already is the municipal **2025 target** volume (see its
PROVENANCE.md); today's volume was not found, so "today" is that target scaled by
``today_factor`` — an assumption to state wherever the figure is shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from islandroute.analysis.compare import CompareReport, compare_many
from islandroute.analysis.executor import Progress, Submitter
from islandroute.analysis.settings import RunSettings
from islandroute.model.network import Network

__all__ = [
    "DEFAULT_TODAY_FACTOR",
    "EV_CO2_PER_KM",
    "EV_COST_PER_KM",
    "ScenarioReport",
    "cancel_ferries",
    "compare_scenarios",
    "default_scenarios",
    "electric_share",
    "scale_demand",
    "visit_frequency",
]

Scenario = Callable[[Network], Network]

#: Assumed ratio of today's parcel volume to the 2025 target (not sourced).
DEFAULT_TODAY_FACTOR = 0.8
#: Electric van per-km energy cost (yuan) and CO2 (kg) when the network has no electric
#: vehicle to copy from: ~0.2 kWh/km x ~1.7 yuan/kWh commercial rate; x 0.4974 kg/kWh
#: (Zhejiang grid 2023, as in the Zhoushan provenance).
EV_COST_PER_KM = 0.35
EV_CO2_PER_KM = 0.099


def scale_demand(net: Network, factor: float) -> Network:
    """Every station's weekly parcels (deliveries and pickups) times ``factor``, rounded;
    a carrier keeps at least one parcel where it had some."""
    if factor <= 0:
        raise ValueError("demand factor must be positive")

    def scale(d: Mapping[str, int]) -> dict[str, int]:
        return {c: max(1, round(q * factor)) if q > 0 else 0 for c, q in d.items()}

    stations = tuple(
        s.model_copy(update={"demand": scale(s.demand), "pickup": scale(s.pickup)})
        for s in net.stations
    )
    return net.replace(name=f"{net.name} demand x{factor:g}", stations=stations)


def cancel_ferries(
    net: Network, days: Iterable[str], lines: Iterable[str] | None = None
) -> Network:
    """No sailings on ``days`` on the ferry ``lines`` (ids; default every line), as on a
    storm day. Unknown ids or days raise ``ValueError``."""
    days = tuple(days)
    bad_days = set(days) - set(net.days)
    if bad_days:
        raise ValueError(f"unknown days {sorted(bad_days)}")
    ids = set(net.ferry_by_id) if lines is None else set(lines)
    unknown = ids - set(net.ferry_by_id)
    if unknown:
        raise ValueError(f"unknown ferry lines {sorted(unknown)}")
    ferries = tuple(
        f.model_copy(
            update={"departures": {d: t for d, t in f.departures.items() if d not in days}}
        )
        if f.id in ids
        else f
        for f in net.ferries
    )
    which = "all lines" if lines is None else f"{len(ids)} lines"
    return net.replace(name=f"{net.name} no ferries {'+'.join(days)} ({which})", ferries=ferries)


def visit_frequency(net: Network, visits: int) -> Network:
    """Every station visited ``visits`` times a week (explicit patterns are dropped, so
    the default patterns of that many days apply)."""
    stations = tuple(
        s.model_copy(update={"min_visits": visits, "patterns": None, "exact_visits": False})
        for s in net.stations
    )
    rules = net.rules.model_copy(update={"min_visits": visits})
    return net.replace(name=f"{net.name} {visits} visits", stations=stations, rules=rules)


def electric_share(net: Network, share: float, seed: int = 0) -> Network:
    """At least ``share`` of all vehicles electric: petrol/diesel vehicles, picked at
    random (seeded), become electric with the per-km cost and CO2 of the network's own
    electric vehicles (median), else :data:`EV_COST_PER_KM` / :data:`EV_CO2_PER_KM`.
    Capacity, fixed and hourly costs are kept (only the drive train changes)."""
    if not 0 <= share <= 1:
        raise ValueError("share must be within 0..1")
    ev = [v for v in net.vehicles if v.electric]
    cost_km = float(np.median([v.cost_per_km for v in ev])) if ev else EV_COST_PER_KM
    co2_km = float(np.median([v.co2_per_km for v in ev])) if ev else EV_CO2_PER_KM
    want = math.ceil(share * len(net.vehicles) - 1e-9)
    fuel = [i for i, v in enumerate(net.vehicles) if not v.electric]
    rng = np.random.default_rng(seed)
    pick = set(rng.permutation(fuel)[: max(0, want - len(ev))].tolist()) if fuel else set()
    vehicles = tuple(
        v.model_copy(update={"electric": True, "cost_per_km": cost_km, "co2_per_km": co2_km})
        if i in pick
        else v
        for i, v in enumerate(net.vehicles)
    )
    return net.replace(name=f"{net.name} {100 * share:.0f}% electric", vehicles=vehicles)


def default_scenarios(
    *,
    today_factor: float = DEFAULT_TODAY_FACTOR,
    cancel_days: Sequence[str] = ("wed",),
    cancel_lines: Sequence[str] | None = None,
    visits: int = 5,
    electric: float = 0.5,
) -> dict[str, Scenario]:
    """The issue's scenarios: today's volume and the 2025 target (the network as given),
    ferries cancelled on ``cancel_days``, ``visits`` visits a week, ``electric`` share of
    electric vehicles."""
    return {
        f"today (demand x{today_factor:g}, assumed)": lambda n: scale_demand(n, today_factor),
        "2025 target (as given)": lambda n: n,
        f"ferries cancelled {'+'.join(cancel_days)}": lambda n: cancel_ferries(
            n, cancel_days, cancel_lines
        ),
        f"{visits} visits a week": lambda n: visit_frequency(n, visits),
        f"{100 * electric:.0f}% electric": lambda n: electric_share(n, electric),
    }


class ScenarioReport(BaseModel):
    """Comparisons under several scenarios, side by side."""

    model_config = ConfigDict(frozen=True)

    reports: dict[str, CompareReport]
    errors: dict[str, str] = {}

    def to_dataframe(self) -> Any:
        """One row per scenario: separate and joint cost, km, vehicle-days, crossings,
        CO2, electric km share and savings in % (pandas)."""
        import pandas as pd

        rows = []
        for name, r in self.reports.items():
            row: dict[str, Any] = {"scenario": name, "parcels": r.joint.parcels}
            for f in ("cost", "km", "vehicle_days", "ferry_crossings", "co2_kg"):
                row[f"separate_{f}"] = float(getattr(r.separate, f))
                row[f"joint_{f}"] = float(getattr(r.joint, f))
                row[f"{f}_saving_pct"] = r.savings_pct.get(f, 0.0)
            row["joint_electric_km_share"] = r.joint.electric_km_share
            if r.shapley is not None:
                for p, x in r.shapley.shares.items():
                    row[f"shapley_{p}"] = x
            rows.append(row)
        for name, err in self.errors.items():
            rows.append({"scenario": name, "error": err})
        return pd.DataFrame(rows).set_index("scenario")


def compare_scenarios(
    net: Network,
    scenarios: Mapping[str, Scenario | Network] | None = None,
    *,
    settings: RunSettings | None = None,
    carriers: Sequence[str] | None = None,
    executor: Submitter | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> ScenarioReport:
    """Compare separate and joint weeks under every scenario (default
    :func:`default_scenarios`), all plans in one batch on one executor.

    ``settings`` and ``**options`` (fields of :class:`RunSettings`) as for
    :func:`~islandroute.analysis.compare.compare`, except that without ``settings`` the
    allocation defaults to ``"none"`` (Shapley under every scenario multiplies the plans).

    A scenario that cannot be built (bad ferry id) or planned (a carrier cannot serve its
    stations, e.g. with every ferry cancelled) is listed in ``errors``, not raised.
    """
    from islandroute.errors import IslandrouteError

    scenarios = default_scenarios() if scenarios is None else scenarios
    nets: dict[str, Network] = {}
    errors: dict[str, str] = {}
    for name, sc in scenarios.items():
        try:
            nets[name] = sc if isinstance(sc, Network) else sc(net)
        except (ValueError, IslandrouteError) as err:
            errors[name] = str(err)
    reports = compare_many(
        nets,
        settings=RunSettings(allocation="none") if settings is None else settings,
        carriers=carriers,
        executor=executor,
        workers=workers,
        progress=progress,
        errors=errors,
        **options,
    )
    return ScenarioReport(reports=reports, errors=errors)
