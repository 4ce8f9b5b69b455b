"""Data models: the network (input) and the plan (output), immutable and validated."""

from islandroute.model.network import (
    MINUTES_PER_DAY,
    WEEK,
    Carrier,
    Ferry,
    Island,
    Network,
    Node,
    Road,
    ServiceRules,
    Station,
    Vehicle,
    default_patterns,
)
from islandroute.model.plan import Kpis, Leg, Plan, Route, Stop, Unserved

__all__ = [
    "MINUTES_PER_DAY",
    "WEEK",
    "Carrier",
    "Ferry",
    "Island",
    "Kpis",
    "Leg",
    "Network",
    "Node",
    "Plan",
    "Road",
    "Route",
    "ServiceRules",
    "Station",
    "Stop",
    "Unserved",
    "Vehicle",
    "default_patterns",
]
