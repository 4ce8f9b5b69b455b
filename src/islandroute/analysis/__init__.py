"""Separate against joint delivery: comparison, cost allocation, scenarios, and the
executor that runs many weekly plans locally or on a Dask cluster.

    from islandroute.analysis import compare
    report = compare(net, time_limit=20, seed=0)          # Shapley exact up to 8 carriers
    print(report.text()); report.to_dataframe()

    from islandroute.analysis import flows                 # two in, one out of one plan
    print(flows(net, plan).text())

Layering: this package imports model, network, planning and datasets; nothing below it
imports analysis.
"""

from islandroute.analysis.allocation import (
    EXACT_MAX_PLAYERS,
    Allocation,
    CoreCheck,
    CoreViolation,
    check_core,
    proportional,
    shapley,
    shapley_exact,
    shapley_monte_carlo,
)
from islandroute.analysis.coalitions import (
    CoalitionJob,
    CoalitionResult,
    all_coalitions,
    coalition_seed,
    plan_coalition,
    restrict,
)
from islandroute.analysis.compare import CarrierRow, CompareReport, compare, compare_many
from islandroute.analysis.executor import SerialExecutor, run_jobs
from islandroute.analysis.flows import FlowKpis, FlowReport, flows
from islandroute.analysis.scenarios import (
    ScenarioReport,
    cancel_ferries,
    compare_scenarios,
    default_scenarios,
    electric_share,
    scale_demand,
    visit_frequency,
)
from islandroute.analysis.settings import RunSettings

__all__ = [
    "EXACT_MAX_PLAYERS",
    "Allocation",
    "CarrierRow",
    "CoalitionJob",
    "CoalitionResult",
    "CompareReport",
    "CoreCheck",
    "CoreViolation",
    "FlowKpis",
    "FlowReport",
    "RunSettings",
    "ScenarioReport",
    "SerialExecutor",
    "all_coalitions",
    "cancel_ferries",
    "check_core",
    "coalition_seed",
    "compare",
    "compare_many",
    "compare_scenarios",
    "default_scenarios",
    "electric_share",
    "flows",
    "plan_coalition",
    "proportional",
    "restrict",
    "run_jobs",
    "scale_demand",
    "shapley",
    "shapley_exact",
    "shapley_monte_carlo",
    "visit_frequency",
]
