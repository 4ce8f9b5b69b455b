"""Planning: visit days (patterns), daily routes through one OR-Tools adapter, the week."""

from islandroute.planning.options import PlanOptions, Tuning
from islandroute.planning.planner import plan_week

__all__ = ["PlanOptions", "Tuning", "plan_week"]
