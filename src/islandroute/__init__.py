"""islandroute: weekly parcel delivery across an archipelago.

The public API, in the order a planner uses it::

    import islandroute as ir
    net = ir.zhoushan()            # or ir.load_network("net.json" | "synthetic:100:3:7")
    plan = ir.plan_week(net, mode="joint", time_limit=60, seed=1)
    print(plan.summary()); plan.to_json("plan.json")
    assert not ir.validate(net, plan)

``PlanOptions`` gathers every planning argument and tuning constant (checked, frozen);
``plan_week(net, options=...)`` takes it whole. Errors are ``IslandrouteError``s that
name the object and field at fault: ``NetworkError`` (bad network), ``OptionsError`` (bad
argument), ``InfeasibleError`` (which station cannot meet which rule); with
``allow_unserved=True`` the plan lists what it could not serve in ``plan.unserved``.
"""

from islandroute.analysis.drones import DroneScenarios, drone_scenarios
from islandroute.analysis.parcel_cost import compare_parcel_costs, parcel_cost_table
from islandroute.analysis.siting import SitingReport, site
from islandroute.datasets.candidates import candidate_table, read_candidates
from islandroute.datasets.specs import load_network
from islandroute.datasets.synthetic import archipelago
from islandroute.datasets.tables import network_from_tables
from islandroute.datasets.zhoushan import zhoushan
from islandroute.datasets.zhoushan_drones import zhoushan_drone_fleet, zhoushan_with_drones
from islandroute.errors import (
    InfeasibleError,
    IslandrouteError,
    NetworkError,
    OptionsError,
    Problem,
)
from islandroute.model import (
    Carrier,
    Ferry,
    Island,
    Kpis,
    Network,
    Node,
    Plan,
    Road,
    Route,
    ServiceRules,
    Station,
    Unserved,
    Vehicle,
)
from islandroute.model.candidate import Candidate
from islandroute.network import Travel, check_network
from islandroute.planning.drones import DroneWeek, ground_drones, plan_with_drones
from islandroute.planning.options import PlanOptions
from islandroute.planning.planner import plan_week
from islandroute.validate import Violation, assert_valid, validate

__version__ = "0.1.0"

__all__ = [
    "Candidate",
    "Carrier",
    "DroneScenarios",
    "DroneWeek",
    "Ferry",
    "InfeasibleError",
    "Island",
    "IslandrouteError",
    "Kpis",
    "Network",
    "NetworkError",
    "Node",
    "OptionsError",
    "Plan",
    "PlanOptions",
    "Problem",
    "Road",
    "Route",
    "ServiceRules",
    "SitingReport",
    "Station",
    "Travel",
    "Unserved",
    "Vehicle",
    "Violation",
    "archipelago",
    "assert_valid",
    "candidate_table",
    "check_network",
    "compare_parcel_costs",
    "drone_scenarios",
    "ground_drones",
    "load_network",
    "network_from_tables",
    "parcel_cost_table",
    "plan_week",
    "plan_with_drones",
    "read_candidates",
    "site",
    "validate",
    "zhoushan",
    "zhoushan_drone_fleet",
    "zhoushan_with_drones",
]
