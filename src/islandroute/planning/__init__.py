"""Planning: visit days (patterns), daily routes through one OR-Tools adapter, the week."""

from islandroute.planning.planner import plan_week

__all__ = ["plan_week"]
