"""Planning: visit days (patterns), daily routes through one OR-Tools adapter, the week.

Glossary of the words the planning modules share:

- **instance** (:class:`~islandroute.planning.instance.Instance`): what one week's search
  plans — the stations, carriers and vehicles of one mode (joint, or one carrier alone),
  with the reach tables and the allowed patterns of every station.
- **pattern**: the set of days a station is visited (``("mon", "wed", "fri")``); the
  **assignment** maps each station to its pattern.
- **unit** (:class:`~islandroute.planning.instance.Unit`): what one stop serves — a
  station and the carriers whose parcels it hands over (a big station splits into units
  by carrier so that one visit fits a typical vehicle).
- **visit** (:class:`~islandroute.planning.day.Visit`): a unit on one day with its load.
- **day layout** (:class:`~islandroute.planning.day.DayLayout`): what each solver node of
  a day stands for (depots, visits, ferry boarding nodes) and the day's
  :class:`~islandroute.planning.ortools_adapter.DayModel`, the plain arrays the one
  OR-Tools adapter reads; :class:`~islandroute.planning.ortools_adapter.DaySolution` is
  what it returns, and the week keeps a ``DayResult`` (routes, cost, left-out visits)
  per day.
- **week** (:class:`~islandroute.planning.week.Week`): an assignment and every day's
  result; its :class:`~islandroute.planning.day_solver.DaySolver` (re-)solves days with
  OR-Tools.
- **week search** (:mod:`~islandroute.planning.week_search`): the route-level local
  search over the whole week; a **road day**
  (:class:`~islandroute.planning.road_days.RoadDay`) is a day's universe as Python lists
  whose routes it edits, a **kept route** one with a ferry crossing it leaves as OR-Tools
  made it; **penalties** price parcels over capacity and **time warp** (minutes late
  at a window or shift end) while it crosses infeasible weeks; a **ruin** takes a few
  neighbouring stations off every day and puts them back; a **snapshot** is an immutable
  copy of the week it may return to; the **move budget** (priced moves) ends it the same
  way on any machine.
- **universe**: a day's layout with a node for every station that *may* be visited that
  day (under any of its patterns), so that the visit-day search can price moves on one
  model per day.
- **kick**: at a local optimum of the visit-day search, a few neighbouring stations are
  given random other patterns to leave it.
- **effort**: local-search moves per visit and day before OR-Tools stops by itself (a
  budget that binds before the clock makes runs repeatable).
- **deadline** (:class:`~islandroute.planning.clock.Deadline`): the one clock every stage
  and OR-Tools call reads.
- **tuning** (:class:`~islandroute.planning.options.Tuning`): every named constant of the
  search (time shares, size thresholds, scales).
"""

from islandroute.planning.options import PlanOptions, Tuning
from islandroute.planning.planner import plan_week

__all__ = ["PlanOptions", "Tuning", "plan_week"]
