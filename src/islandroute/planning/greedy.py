"""The greedy week: a plain hand planner's routes, the floor every plan must beat.

Every station keeps one pattern (Mon/Wed/Fri where allowed). Each day, each vehicle
(largest first) leaves its depot when its parcels are ready and repeatedly goes to the
visit it can reach earliest: by road, or across a vehicle ferry at a timetabled
departure, reached before the station closes, within capacity, and with a way back (by
road or by a ferry home) to its depot before the shift ends. Stations on a
passenger-only island are served by the vehicles based there.

The planner builds it first, in well under a second for a few hundred stations, and
keeps it when its own search ends dearer or leaves a visit out (anytime: never worse
than a hand planner under the same cost model); ``benchmarks/nearest.py`` reports it as
the baseline. Routes are timed and costed by the planner's route timer, so they are
valid exactly when the planner's are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from islandroute.model.network import Ferry, Vehicle
from islandroute.model.plan import Route
from islandroute.planning.day import HANDIN_MINUTES, Event, HandIn, Visit, day_visits
from islandroute.planning.instance import Instance, Pair, Pattern, Unit
from islandroute.planning.schedule import build_route

EPS = 1e-6  # the route timer's tolerance on closing times and shift ends


@dataclass
class Tour:
    """One vehicle's day: its visits in order (crossings are found again when timed)."""

    vehicle: Vehicle
    day: str
    visits: list[Visit] = field(default_factory=list)


class GreedyWeek:
    """The greedy routes of one instance under an assignment of visit days.

    Times follow the route timer exactly: road minutes rounded as the plan shows them
    (``inst.duration``), a ferry leaves at its next departure the same day, a second
    unit of the station just served shares its stop (no second service time).
    """

    def __init__(self, inst: Instance, assignment: dict[int, Pattern]) -> None:
        self.inst = inst
        self.assignment = assignment
        self.reach = inst.reach
        t = self.t = inst.travel
        places = list(dict.fromkeys([v.depot for v in inst.vehicles] + list(t.piers)))
        self.places = places
        self.place_of = {p: j for j, p in enumerate(places)}
        self.prow = np.array([t.i(p) for p in places], dtype=np.int64)
        self.srow = self.reach.st_rows
        self.pp = self._dur(t.minutes[np.ix_(self.prow, self.prow)])
        self.ps = self._dur(t.minutes[np.ix_(self.prow, self.srow)])
        self.sp = self._dur(t.minutes[np.ix_(self.srow, self.prow)])
        self.service = self._dur(self.reach.service)
        self.open = self.reach.open
        self.out: list[list[tuple[Ferry, int]]] = [[] for _ in places]
        self.into: list[list[tuple[Ferry, int]]] = [[] for _ in places]
        for f in inst.net.ferries:
            if f.vehicles:
                self.out[self.place_of[f.from_]].append((f, self.place_of[f.to]))
                self.into[self.place_of[f.to]].append((f, self.place_of[f.from_]))
        self.row_of = {id(v): k for k, v in enumerate(inst.vehicles)}
        self.tours: list[Tour] = []
        self.left: list[tuple[str, Visit]] = []
        self._leave: dict[tuple[str, int, int], np.ndarray] = {}

    def _dur(self, minutes: np.ndarray) -> np.ndarray:
        """Durations as the route timer takes them (whole minutes on maps)."""
        return np.ceil(minutes - 1e-9) if self.inst.integral else np.asarray(minutes, float)

    def _one(self, minutes: float) -> float:
        return self.inst.duration(minutes) if math.isfinite(minutes) else math.inf

    # ---- searches over the places (depots and piers) ---------------------------------
    def _forward(
        self, here: str, now: float, di: int, end: float
    ) -> tuple[np.ndarray, np.ndarray, list[Ferry | None]]:
        """Earliest arrival at each place from ``here`` at ``now``, the same day, vehicle
        ferries at their departures: (arrival, previous place or -1, ferry taken there)."""
        n = len(self.places)
        arr = now + self._dur(self.t.minutes[self.t.i(here), self.prow])
        prev = np.full(n, -1, dtype=np.int64)
        ferry: list[Ferry | None] = [None] * n
        done = np.zeros(n, dtype=bool)
        for _ in range(n):
            open_ = np.where(done, np.inf, arr)
            u = int(np.argmin(open_))
            if not math.isfinite(open_[u]) or open_[u] > end:
                break
            done[u] = True
            by_road = arr[u] + self.pp[u]
            better = (by_road < arr) & ~done
            arr[better] = by_road[better]
            prev[better] = u
            for jj in np.flatnonzero(better):
                ferry[int(jj)] = None
            for f, j in self.out[u]:
                dep = self.t.next_departure(f, di, float(arr[u]), 1)
                if dep is None or done[j]:
                    continue
                a = dep + f.minutes
                if a <= end + EPS and a < arr[j]:
                    arr[j], prev[j], ferry[j] = a, u, f
        return arr, prev, ferry

    def _chain(self, j: int, prev: np.ndarray, ferry: list[Ferry | None]) -> list[Ferry]:
        """The crossings on the way to place ``j`` (roads between them are implied)."""
        out: list[Ferry] = []
        while j >= 0:
            f = ferry[j]
            if f is not None:
                out.append(f)
            j = int(prev[j])
        return out[::-1]

    def leave_by(self, v: Vehicle, di: int) -> np.ndarray:
        """Per station, the latest minute ``v`` can leave it on day ``di`` and still be
        home by the end of its shift (by road, or by ferries at their departures)."""
        key = (v.depot, v.shift[1], di)
        if key in self._leave:
            return self._leave[key]
        n = len(self.places)
        home = np.full(n, -np.inf)
        home[self.place_of[v.depot]] = float(v.shift[1])
        done = np.zeros(n, dtype=bool)
        for _ in range(n):
            open_ = np.where(done, -np.inf, home)
            u = int(np.argmax(open_))
            if not math.isfinite(open_[u]):
                break
            done[u] = True
            by_road = home[u] - self.pp[:, u]
            better = (by_road > home) & ~done
            home[better] = by_road[better]
            for f, i in self.into[u]:
                dep = self.t.prev_departure(f, di, float(home[u]) - f.minutes)
                if dep is not None and not done[i] and dep > home[i]:
                    home[i] = dep
        leave = (home[None, :] - self.sp).max(axis=1)
        self._leave[key] = leave
        return leave

    # ---- the week ----------------------------------------------------------------------
    def run(self) -> None:
        """Every day: vehicles largest first, each taking the nearest visits it can."""
        inst = self.inst
        for di, day in enumerate(inst.days):
            todo = day_visits(inst, day, self.assignment)
            if not todo:
                continue
            fleet = sorted(
                (v for v in inst.vehicles if self.reach.access(v, day) is not None),
                key=lambda v: (-v.capacity, v.id),
            )
            for v in fleet:
                if not todo:
                    break
                tour = self._drive(v, day, di, todo)
                if tour.visits:
                    self.tours.append(tour)
            self.left += [(day, vis) for vis in todo]

    def _start(self, v: Vehicle, day: str) -> float:
        acc = self.reach.access(v, day)
        assert acc is not None
        return self.inst.duration(acc.ready) if self.inst.integral else acc.ready

    def _drive(self, v: Vehicle, day: str, di: int, todo: list[Visit]) -> Tour:
        """One vehicle's greedy day; the visits it takes leave ``todo``."""
        inst = self.inst
        k = self.row_of[id(v)]
        leave = self.leave_by(v, di)
        end = float(v.shift[1])
        tour = Tour(v, day)
        here, now, load, last = v.depot, self._start(v, day), 0, None
        here_row = self.t.i(here)
        while True:
            cand = [
                j
                for j, vis in enumerate(todo)
                if load + vis.load <= v.capacity and inst.servable[k, di, vis.unit.station]
            ]
            if not cand:
                break
            arr, prev, ferry = self._forward(here, now, di, end)
            direct = now + self._dur(self.t.minutes[here_row, self.srow])
            si = np.array([todo[j].unit.station for j in cand], dtype=np.int64)
            via_all = arr[:, None] + self.ps[:, si]
            via_at = via_all.argmin(axis=0)
            via = via_all[via_at, np.arange(len(si))]
            reach_at = np.minimum(direct[si], via)
            same = np.array([todo[j].unit.node == last for j in cand])
            begin = np.maximum(reach_at, self.open[si, 0])
            done = np.where(same, reach_at, begin + self.service[si])
            ok = np.isfinite(reach_at) & (reach_at <= self.open[si, 1] + EPS)
            ok &= done <= leave[si] + EPS
            for i, j in enumerate(cand):
                if ok[i] and self._hand_in_place(v, todo[j]) is not None:
                    ok[i] = self._hands_in_on_time(v, todo[j], float(done[i]), end)
            if not ok.any():
                break
            pick = int(np.argmin(np.where(ok, reach_at, np.inf)))
            vis = todo.pop(cand[pick])
            place = -1 if direct[si[pick]] <= via[pick] else int(via_at[pick])
            events: list[Event] = [*self._chain(place, prev, ferry), *self._visit(v, vis)]
            here, now, last = self._advance(v, di, here, now, last, events)
            here_row = self.t.i(here)
            load += vis.load
            tour.visits.append(vis)
        return tour

    def _hand_in_place(self, v: Vehicle, vis: Visit) -> str | None:
        """Where ``v`` hands in what ``vis`` collects straight after it, when the station's
        pickups are due at a place, by a time or within a ride (else None: at home)."""
        st = self.inst.station(vis.unit.station)
        if not st.hands_in_en_route or not any(st.pickup.get(c) for c in vis.unit.carriers):
            return None
        return st.pickup_to or v.depot

    def _hands_in_on_time(self, v: Vehicle, vis: Visit, done: float, end: float) -> bool:
        """Whether ``v``, done at ``vis`` at ``done``, can drive to its hand-in place by
        its deadline and ride, and home by ``end`` (roads only: a hand planner's trip)."""
        st = self.inst.station(vis.unit.station)
        place = self._hand_in_place(v, vis) or v.depot
        hand = done + self._one(self.t.road_minutes(st.node, place))
        home = hand + self._one(HANDIN_MINUTES) + self._one(self.t.road_minutes(place, v.depot))
        due = min(
            float(st.pickup_by) if st.pickup_by is not None else np.inf,
            done + st.max_ride if st.cold else np.inf,
        )
        return bool(np.isfinite(home) and hand <= due + EPS and home <= end + EPS)

    def _visit(self, v: Vehicle, vis: Visit) -> list[Event]:
        """A visit and, when its pickups are due somewhere, the hand-in straight after."""
        place = self._hand_in_place(v, vis)
        return [vis] if place is None else [vis, HandIn(vis, place)]

    def _advance(
        self,
        v: Vehicle,
        di: int,
        here: str,
        now: float,
        last: str | None,
        events: list[Event],
    ) -> tuple[str, float, str | None]:
        """Where and when the vehicle is after ``events``, timed as the route timer does."""
        for ev in events:
            if isinstance(ev, HandIn):
                if ev.node != here:
                    now += self._one(self.t.road_minutes(here, ev.node))
                    here = ev.node
                now += self._one(HANDIN_MINUTES)
                last = None
            elif isinstance(ev, Visit):
                st = self.inst.station(ev.unit.station)
                if st.node != here:
                    now += self._one(self.t.road_minutes(here, st.node))
                    here = st.node
                if st.node != last:  # a split visit shares the stop before it
                    now = max(now, st.open[0]) + self.inst.duration(st.service_minutes)
                    last = st.node
            else:
                if ev.from_ != here:
                    now += self._one(self.t.road_minutes(here, ev.from_))
                dep = self.t.next_departure(ev, di, now, 1)
                if dep is None:  # pragma: no cover - the search only takes departures
                    raise RuntimeError(f"no departure of {ev.id!r} after {now} for {v.id!r}")
                now, here = dep + ev.minutes, ev.to
        return here, now, last

    def events(self, tour: Tour, visits: list[Visit]) -> list[Event]:
        """The crossings and visits of a tour, each leg the earliest way there, and the
        crossings home."""
        v, di = tour.vehicle, self.inst.days.index(tour.day)
        end = float(v.shift[1])
        here, now, last = v.depot, self._start(v, tour.day), None
        out: list[Event] = []
        for vis in visits:
            arr, prev, ferry = self._forward(here, now, di, end)
            row = self.srow[vis.unit.station]
            direct = now + self._one(float(self.t.minutes[self.t.i(here), row]))
            via = arr + self.ps[:, vis.unit.station]
            place = -1 if direct <= via.min() else int(via.argmin())
            step: list[Event] = [*self._chain(place, prev, ferry), *self._visit(v, vis)]
            here, now, last = self._advance(v, di, here, now, last, step)
            out += step
        arr, prev, ferry = self._forward(here, now, di, end)
        out += self._chain(self.place_of[v.depot], prev, ferry)
        return out

    # ---- what it could not serve, and the routes ------------------------------------
    def serves_all(self) -> bool:
        """Whether every visit of the week found a vehicle."""
        return not self.left

    def cost(self) -> float:
        """The week's cost: every tour timed and costed as the planner's routes are."""
        return sum(r.cost for r in self.routes(set()))

    def failed_pairs(self) -> dict[Pair, str]:
        """(station, carrier) pairs with a visit no vehicle took, and why."""
        out: dict[Pair, str] = {}
        for day, vis in self.left:
            for c in vis.unit.carriers:
                out.setdefault(
                    (vis.unit.node, c),
                    f"the greedy baseline found no vehicle with room and time for its "
                    f"{day} visit ({vis.load} parcels)",
                )
        return out

    def routes(self, failed: set[Pair]) -> list[Route]:
        """Each tour timed by the route timer, without the failed pairs' parcels (a tour
        left with no visit is dropped)."""
        out = []
        for tour in self.tours:
            kept: list[Visit] = []
            for vis in tour.visits:
                cs = tuple(c for c in vis.unit.carriers if (vis.unit.node, c) not in failed)
                if cs == vis.unit.carriers:
                    kept.append(vis)
                elif cs:
                    kept.append(
                        Visit(Unit(vis.unit.station, vis.unit.node, cs), vis.load, vis.pickup)
                    )
            if kept:
                events = self.events(tour, kept)
                out.append(build_route(self.inst, tour.vehicle, tour.day, events, self.assignment))
        return out

    def visit_days(self, failed: set[Pair]) -> dict[str, tuple[str, ...]]:
        """Visit days of each station served (per carrier in separate mode)."""
        inst, out = self.inst, {}
        for si in inst.stations:
            node = inst.net.stations[si].node
            owed = [c for u in inst.units[si] for c in u.carriers if (node, c) not in failed]
            if owed:
                key = node if inst.mode == "joint" else f"{node}/{inst.carriers[0]}"
                out[key] = self.assignment[si]
        return out
