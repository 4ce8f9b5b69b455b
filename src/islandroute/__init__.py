"""islandroute: weekly parcel delivery across an archipelago.

The public API, in the order a planner uses it::

    import islandroute as ir
    net = ir.zhoushan()                                  # or ir.Network.from_json(path)
    plan = ir.plan_week(net, mode="joint", time_limit=60, seed=1)
    print(plan.summary()); plan.to_json("plan.json")
    assert not ir.validate(net, plan)
"""

from islandroute.datasets.synthetic import archipelago
from islandroute.datasets.zhoushan import zhoushan
from islandroute.errors import InfeasibleError, IslandrouteError, NetworkError, Problem
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
    Vehicle,
)
from islandroute.network import Travel, check_network
from islandroute.planning.planner import plan_week
from islandroute.validate import Violation, assert_valid, validate

__version__ = "0.1.0"

__all__ = [
    "Carrier",
    "Ferry",
    "InfeasibleError",
    "Island",
    "IslandrouteError",
    "Kpis",
    "Network",
    "NetworkError",
    "Node",
    "Plan",
    "Problem",
    "Road",
    "Route",
    "ServiceRules",
    "Station",
    "Travel",
    "Vehicle",
    "Violation",
    "archipelago",
    "assert_valid",
    "check_network",
    "plan_week",
    "validate",
    "zhoushan",
]
