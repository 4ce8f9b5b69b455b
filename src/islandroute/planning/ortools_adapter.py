"""The one place that talks to OR-Tools: a day's vehicle routing model in, routes out;
and a location model (sites to open, clients to assign) in, the assignment out (CP-SAT).

The rest of islandroute speaks of visits, vehicles and crossings; this module turns a
:class:`DayModel` (index-based, integer matrices) into an OR-Tools ``RoutingModel`` and
reads back each vehicle's sequence of nodes. Ferry crossings are *boarding nodes* whose
time can only take the line's departure times; waiting at the quay is time slack.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from islandroute.planning.clock import NEVER, Deadline

BIG = 10**9
OPENING_SHARE = 0.3  # default share of a cold solve for the opening run (Tuning.opening_share)
MIN_SOLVE_S = 0.02  # default least seconds OR-Tools is started with (Tuning.min_solve_s)
MS = 1000  # milliseconds a second
MIN_CP_SECONDS = 0.1  # the least time a location model is given
#: first-solution strategies that ignore the time limit on exact-load models (the start
#: load tied to the end by a constraint): PATH_CHEAPEST_ARC ran for minutes on a 0.3 s
#: limit on a generated 300-station week; the arc-based strategy that keeps it stands in
EXACT_LOAD_FIRST = {"PATH_CHEAPEST_ARC": "GLOBAL_CHEAPEST_ARC"}


@dataclass
class DayModel:
    """One day's routing problem in solver units (integer time ticks and cost cents).

    Nodes ``0..n-1``; each vehicle starts at ``starts[k]`` and ends at ``ends[k]``.
    ``time[i, j]`` includes the service at ``i``; ``>= BIG`` marks a forbidden arc.
    ``pairs`` are (out, back) crossings that go together on one vehicle, in order;
    ``bonus`` rewards using an optional node while a first solution is built (a
    crossing gains nothing until visits beyond it are inserted, so insertion heuristics
    would never open one), after which empty crossings are removed and the search goes
    on without the reward. ``seeds`` are per-vehicle node chains (island trips) that
    the first solution keeps and extends.

    ``handins`` ties a collecting visit to its hand-in nodes (alternatives; one is served,
    later on the same vehicle) within a ride limit in ticks. With ``load_change`` the load
    is exact at every point: a route starts with all it delivers, each node changes the
    load by its entry, and what ``kept_to_end`` marks is still on board at the end; else
    ``demand`` adds up what each visit puts in the vehicle.
    """

    time: np.ndarray
    cost: list[np.ndarray]
    vehicle_cost_class: list[int]
    starts: list[int]
    ends: list[int]
    demand: np.ndarray
    capacity: list[int]
    windows: list[tuple[int, int]]
    vehicle_start: list[tuple[int, int]]
    vehicle_end: list[int]
    fixed_cost: list[int]
    span_cost: list[int]
    horizon: int
    allowed_times: dict[int, list[int]] = field(default_factory=dict)
    allowed_vehicles: dict[int, list[int]] = field(default_factory=dict)
    optional: list[int] = field(default_factory=list)
    visits: list[int] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)
    bonus: dict[int, int] = field(default_factory=dict)
    seeds: list[list[int]] = field(default_factory=list)
    drop_penalty: int = BIG // 10
    handins: list[tuple[int, list[int], int | None]] = field(default_factory=list)
    load_change: np.ndarray | None = None
    kept_to_end: np.ndarray | None = None


@dataclass
class DaySolution:
    """Each vehicle's visited nodes in order (start and end left out), and dropped visits.

    ``vehicle_costs`` is each vehicle's share of the objective (arcs, fixed and span
    cost), so that a model of several days can be read back day by day.
    """

    routes: list[list[int]]
    dropped: list[int]
    objective: int
    seconds: float
    found: bool
    vehicle_costs: list[int] = field(default_factory=list)


def solve_day(
    m: DayModel,
    *,
    time_limit: float,
    solution_limit: int | None = None,
    initial: list[list[int]] | None = None,
    guided: bool = True,
    first: str = "PARALLEL_CHEAPEST_INSERTION",
    deadline: Deadline = NEVER,
    opening_share: float = OPENING_SHARE,
    min_seconds: float = MIN_SOLVE_S,
) -> DaySolution:
    """Solve one day within ``time_limit`` seconds and before ``deadline``.

    ``first`` names OR-Tools' first-solution strategy. ``solution_limit`` bounds the
    local search by count so that runs are reproducible when it binds before the time
    limit. ``initial`` warm-starts from given routes. With less than ``min_seconds``
    left OR-Tools is not started, and when it finds nothing in time the solution is
    not ``found`` (the caller builds routes another way); it may end ``min_seconds``
    late (the last search started) plus the model's building time.
    """
    t0 = time.perf_counter()
    end = deadline.within(time_limit)
    if end.left() < min_seconds:
        return _nothing(m, 0.0)
    if m.load_change is not None:
        first = EXACT_LOAD_FIRST.get(first, first)
    if initial is None and m.bonus:
        opening = _Solver(m, with_bonus=True)
        found = opening.run(
            end.within(end.left() * opening_share),
            solution_limit,
            None,
            first,
            guided=False,
            locks=m.seeds,
            min_seconds=min_seconds,
        )
        if found is not None:
            initial = _drop_empty_pairs(opening.read(found), m.pairs)
    solver = _Solver(m, with_bonus=False)
    solution = solver.run(end, solution_limit, initial, first, guided, min_seconds=min_seconds)
    seconds = time.perf_counter() - t0
    if solution is None:
        return _nothing(m, seconds)
    routes = _drop_empty_pairs(solver.read(solution), m.pairs)
    served = {x for r in routes for x in r}
    dropped = [v for v in m.visits if v not in served]
    costs = solver.vehicle_costs(solution)
    return DaySolution(routes, dropped, solution.ObjectiveValue(), seconds, True, costs)


def _nothing(m: DayModel, seconds: float) -> DaySolution:
    """No solution: every visit left out."""
    return DaySolution([[] for _ in m.starts], list(m.visits), BIG, seconds, False)


def _drop_empty_pairs(routes: list[list[int]], pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Remove crossings that carry the vehicle out and straight back with nothing between."""
    back_of = dict(pairs)
    out = []
    for seq in routes:
        seq = list(seq)
        changed = True
        while changed:
            changed = False
            for k in range(len(seq) - 1):
                if back_of.get(seq[k]) == seq[k + 1]:
                    del seq[k : k + 2]
                    changed = True
                    break
        out.append(seq)
    return out


def _as_lists(mat: np.ndarray) -> list[list[int]]:
    """A matrix as OR-Tools registers it, by node (it maps its indices to nodes)."""
    return np.minimum(mat, BIG).astype(np.int64).tolist()


class _Solver:
    """An OR-Tools routing model built from a :class:`DayModel`."""

    def __init__(self, m: DayModel, with_bonus: bool) -> None:
        self.m = m
        self.manager = pywrapcp.RoutingIndexManager(
            m.time.shape[0], len(m.starts), m.starts, m.ends
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        tdim = self._add_time()
        self._add_vehicles(tdim)
        self._add_load()
        self._add_node_limits(tdim)
        self._add_optional(with_bonus)
        self._add_pairs(tdim)
        drop = {
            node: self.routing.AddDisjunction([self.manager.NodeToIndex(node)], int(m.drop_penalty))
            for node in m.visits
        }
        self._add_handins(tdim, drop)

    def _add_time(self) -> pywrapcp.RoutingDimension:
        """The time dimension (travel and service by node, up to the horizon)."""
        time_cb = self.routing.RegisterTransitMatrix(_as_lists(self.m.time))
        self.routing.AddDimension(time_cb, self.m.horizon, self.m.horizon, False, "time")
        return self.routing.GetDimensionOrDie("time")

    def _add_vehicles(self, tdim: pywrapcp.RoutingDimension) -> None:
        """Each vehicle's arc costs, fixed and span cost and shift; its start as late and
        its end as early as the route allows."""
        m, routing = self.m, self.routing
        cost_cbs = [routing.RegisterTransitMatrix(_as_lists(c)) for c in m.cost]
        for k in range(len(m.starts)):
            routing.SetArcCostEvaluatorOfVehicle(cost_cbs[m.vehicle_cost_class[k]], k)
            routing.SetFixedCostOfVehicle(int(m.fixed_cost[k]), k)
            tdim.SetSpanCostCoefficientForVehicle(int(m.span_cost[k]), k)
            lo, hi = m.vehicle_start[k]
            tdim.CumulVar(routing.Start(k)).SetRange(int(lo), int(hi))
            tdim.CumulVar(routing.End(k)).SetRange(int(lo), int(m.vehicle_end[k]))
            routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(k)))
            routing.AddVariableMaximizedByFinalizer(tdim.CumulVar(routing.Start(k)))

    def _add_load(self) -> None:
        """The load dimension within each vehicle's capacity: the sum of the visits'
        demand, or the exact load at every point (see :class:`DayModel`)."""
        routing, m = self.routing, self.m
        caps = [int(c) for c in m.capacity]
        if m.load_change is None or m.kept_to_end is None:
            dem_cb = routing.RegisterUnaryTransitVector([int(x) for x in m.demand])
            routing.AddDimensionWithVehicleCapacity(dem_cb, 0, caps, True, "load")
            return
        change_cb = routing.RegisterUnaryTransitVector([int(x) for x in m.load_change])
        routing.AddDimensionWithVehicleCapacity(change_cb, 0, caps, False, "load")
        kept_cb = routing.RegisterUnaryTransitVector([int(x) for x in m.kept_to_end])
        routing.AddDimensionWithVehicleCapacity(kept_cb, 0, caps, True, "kept")
        load, kept = routing.GetDimensionOrDie("load"), routing.GetDimensionOrDie("kept")
        solver = routing.solver()
        for k in range(len(m.starts)):
            # the end load is what stays on board, so the start load is all it delivers
            solver.Add(load.CumulVar(routing.End(k)) == kept.CumulVar(routing.End(k)))

    def _add_handins(self, tdim: pywrapcp.RoutingDimension, drop: dict[int, int]) -> None:
        """Each collecting visit's hand-in: one of its nodes, later on the same vehicle,
        within the ride limit."""
        routing, solver, manager = self.routing, self.routing.solver(), self.manager
        for visit, places, ride in self.m.handins:
            idx = [manager.NodeToIndex(p) for p in places]
            handed = routing.AddDisjunction(idx, 0, 1)
            routing.AddPickupAndDeliverySets(drop[visit], handed)
            if ride is not None:
                start = tdim.CumulVar(manager.NodeToIndex(visit))
                for i in idx:
                    solver.Add(tdim.CumulVar(i) - start <= int(ride))

    def _add_node_limits(self, tdim: pywrapcp.RoutingDimension) -> None:
        """Each node's time window, allowed times (boarding) and allowed vehicles."""
        m, routing = self.m, self.routing
        depot_nodes = set(m.starts) | set(m.ends)
        for node in range(m.time.shape[0]):
            if node in depot_nodes:
                continue
            idx = self.manager.NodeToIndex(node)
            lo, hi = m.windows[node]
            tdim.CumulVar(idx).SetRange(int(lo), int(hi))
            if node in m.allowed_times:
                tdim.CumulVar(idx).SetValues([int(x) for x in m.allowed_times[node]])
            if node in m.allowed_vehicles:
                # SetAllowedVehiclesForIndex breaks in some Python builds; -1 keeps it droppable
                routing.VehicleVar(idx).SetValues([-1, *m.allowed_vehicles[node]])

    def _add_optional(self, with_bonus: bool) -> None:
        """Optional nodes (crossings) free to leave out, or rewarded ``with_bonus``."""
        for node in self.m.optional:
            reward = self.m.bonus.get(node, 0) if with_bonus else 0
            self.routing.AddDisjunction([self.manager.NodeToIndex(node)], int(reward))

    def _add_pairs(self, tdim: pywrapcp.RoutingDimension) -> None:
        """Each (out, back) crossing pair on one vehicle, both or neither, out first."""
        routing, solver = self.routing, self.routing.solver()
        for out, back in self.m.pairs:
            i, j = self.manager.NodeToIndex(out), self.manager.NodeToIndex(back)
            routing.AddPickupAndDelivery(i, j)
            solver.Add(routing.ActiveVar(i) == routing.ActiveVar(j))
            solver.Add(routing.VehicleVar(i) == routing.VehicleVar(j))
            solver.Add(tdim.CumulVar(i) <= tdim.CumulVar(j))

    def run(
        self,
        end: Deadline,
        solution_limit: int | None,
        initial: list[list[int]] | None,
        first: str,
        guided: bool,
        locks: list[list[int]] | None = None,
        min_seconds: float = MIN_SOLVE_S,
    ) -> pywrapcp.Assignment | None:
        """Search until ``end``: from the ``locks`` chains, else from ``initial``, else
        from scratch (each try gets only the time the earlier ones left)."""

        def until_end() -> pywrapcp.DefaultRoutingSearchParameters:
            params.time_limit.FromMilliseconds(max(1, int(max(min_seconds, end.left()) * MS)))
            return params

        params = pywrapcp.DefaultRoutingSearchParameters()
        params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, first)
        if guided:
            params.local_search_metaheuristic = (
                routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
            )
        until_end()
        if solution_limit:
            params.solution_limit = int(solution_limit)
        routing = self.routing
        routing.CloseModelWithParameters(params)
        if locks and any(locks):
            chains = [[self.manager.NodeToIndex(x) for x in r] for r in locks]
            if routing.ApplyLocksToAllVehicles(chains, False):
                found = routing.SolveWithParameters(until_end())
                if found is not None or end.left() < min_seconds:
                    return found
        if initial is not None:
            seqs = [[self.manager.NodeToIndex(x) for x in r] for r in initial]
            start = routing.ReadAssignmentFromRoutes(seqs, True)
            if start is not None:
                found = routing.SolveFromAssignmentWithParameters(start, until_end())
                if found is not None or end.left() < min_seconds:
                    return found
        return routing.SolveWithParameters(until_end())

    def vehicle_costs(self, solution: pywrapcp.Assignment) -> list[int]:
        """Arc, fixed and span cost of each vehicle's route in ``solution``."""
        routing, m = self.routing, self.m
        tdim = routing.GetDimensionOrDie("time")
        out = []
        for k in range(len(m.starts)):
            idx, total = routing.Start(k), 0
            while not routing.IsEnd(idx):
                nxt = solution.Value(routing.NextVar(idx))
                total += routing.GetArcCostForVehicle(idx, nxt, k)
                idx = nxt
            if total or not routing.IsEnd(solution.Value(routing.NextVar(routing.Start(k)))):
                span = solution.Min(tdim.CumulVar(idx)) - solution.Min(
                    tdim.CumulVar(routing.Start(k))
                )
                total += int(m.span_cost[k]) * span
            out.append(int(total))
        return out

    def read(self, solution: pywrapcp.Assignment) -> list[list[int]]:
        """Each vehicle's nodes in order, start and end left out."""
        routing, manager = self.routing, self.manager
        routes = []
        for k in range(len(self.m.starts)):
            idx = solution.Value(routing.NextVar(routing.Start(k)))
            seq = []
            while not routing.IsEnd(idx):
                seq.append(manager.IndexToNode(idx))
                idx = solution.Value(routing.NextVar(idx))
            routes.append(seq)
        return routes


# ---- the location model (CP-SAT) --------------------------------------------------------
Pair = tuple[str, str]  # (client, site)


@dataclass(frozen=True)
class LocationModel:
    """Which sites to open and which open site serves each client, in integer costs.

    Each client takes exactly one of its ``options`` (its sites, in order); a site is
    open when a client takes it and costs ``open_cost``; taking a site costs
    ``assign_cost`` (default 0). ``one_of`` lists groups of sites of which at most one
    opens; each ``limits`` entry bounds a weighted sum of assignments; ``hint`` is a
    starting assignment (client -> site).
    """

    options: dict[str, list[str]]
    open_cost: dict[str, int]
    assign_cost: dict[Pair, int] = field(default_factory=dict)
    one_of: list[list[str]] = field(default_factory=list)
    limits: list[tuple[dict[Pair, int], int]] = field(default_factory=list)
    hint: dict[str, str] = field(default_factory=dict)


def solve_location_model(
    model: LocationModel, seconds: float, seed: int
) -> tuple[dict[str, str] | None, str]:
    """The cheapest assignment found within ``seconds`` of deterministic time (the same
    answer on any machine), and the solver's status; None when none was found."""
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    sites = sorted({c for opts in model.options.values() for c in opts})
    opened = {c: m.new_bool_var(f"open[{c}]") for c in sites}
    x: dict[Pair, cp_model.IntVar] = {}
    for client, opts in model.options.items():
        for site in opts:
            x[(client, site)] = m.new_bool_var(f"assign[{client},{site}]")
        m.add_exactly_one(x[(client, site)] for site in opts)
    users: dict[str, list[cp_model.IntVar]] = {c: [] for c in sites}
    for (_client, site), var in x.items():
        m.add_implication(var, opened[site])
        users[site].append(var)
    for group in model.one_of:
        m.add_at_most_one(opened[c] for c in group if c in opened)
    for site, var in opened.items():
        m.add(var <= sum(users[site]))
    for weights, limit in model.limits:
        m.add(sum(w * x[pair] for pair, w in weights.items()) <= limit)
    m.minimize(
        sum(model.open_cost.get(c, 0) * v for c, v in opened.items())
        + sum(cost * x[pair] for pair, cost in model.assign_cost.items() if cost)
    )
    for (client, site), var in x.items():
        if client in model.hint:
            m.add_hint(var, model.hint[client] == site)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(MIN_CP_SECONDS, seconds)
    solver.parameters.max_deterministic_time = max(MIN_CP_SECONDS, seconds)
    solver.parameters.num_workers = 1  # deterministic
    solver.parameters.random_seed = seed
    status = solver.solve(m)
    name = solver.status_name(status).lower()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, name
    return {client: site for (client, site), var in x.items() if solver.value(var)}, name
