"""Turn a vehicle's ordered visits, crossings and hand-ins into a timed route.

Times are the earliest the vehicle can make (waiting for opening hours and departures),
then the start is pushed as late as the first wait allows, so driver hours are not
spent idle at the depot's door. A cold pickup whose ride to its hand-in would be too long
is collected later (the vehicle waits there) by the least that makes the ride fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from islandroute.model.network import MINUTES_PER_DAY, Ferry, Vehicle
from islandroute.model.plan import Leg, Route, Stop
from islandroute.planning.day import HANDIN_MINUTES, Event, HandIn, Visit
from islandroute.planning.instance import Instance, Pattern

EPS = 1e-6


class ScheduleError(RuntimeError):
    """A sequence the solver returned does not fit the timetable (a bug, never silent)."""


@dataclass
class _Sim:
    stops: list[Stop]
    legs: list[Leg]
    first_wait: float
    slack: float
    end: float
    over_rides: list[int]  # events of cold pickups whose ride is too long
    late: bool  # a hand-in after its deadline


def build_route(
    inst: Instance,
    vehicle: Vehicle,
    day: str,
    events: Sequence[Event],
    assignment: dict[int, Pattern],
) -> Route:
    """The timed :class:`Route` of ``vehicle`` on ``day`` through ``events``."""
    acc = inst.reach.access(vehicle, day)
    if acc is None:
        raise ScheduleError(f"vehicle {vehicle.id!r} does not work on {day}")
    start = inst.duration(acc.ready) if inst.integral else acc.ready
    sim = _timed(_Trip(inst, vehicle, day, events, assignment), start)
    km = sum(leg.km for leg in sim.legs)
    minutes = sim.end - sim.stops[0].depart
    fares = sum(inst.net.ferry_by_id[g.ferry].fare_vehicle for g in sim.legs if g.ferry)
    parcels = sum(sum(s.deliver.values()) for s in sim.stops)
    boat = parcels * acc.parcel_fare  # parcels brought to an island depot by boat
    cost = (
        vehicle.cost_fixed
        + km * vehicle.cost_per_km
        + minutes / 60 * vehicle.cost_per_hour
        + fares
        + boat
    )
    carriers = (
        tuple(c for c in inst.carriers)
        if inst.mode == "joint"
        else ((vehicle.carrier,) if vehicle.carrier else inst.carriers)
    )
    return Route(
        day=day,
        vehicle=vehicle.id,
        carriers=carriers,
        stops=tuple(sim.stops),
        legs=tuple(sim.legs),
        km=round(km, 6),
        cost=round(cost, 4),
        co2_kg=round(km * vehicle.co2_per_km, 4),
        minutes=minutes,
        ferry_fares=fares,
        parcel_fares=round(boat, 4),
    )


@dataclass(frozen=True)
class _Trip:
    """What is simulated: a vehicle's events on a day under the week's patterns."""

    inst: Instance
    vehicle: Vehicle
    day: str
    events: Sequence[Event]
    assignment: dict[int, Pattern]


def _timed(trip: _Trip, start: float) -> _Sim:
    """The route's times: earliest, the start pushed later by the first wait, cold
    pickups held until their rides fit; a :class:`ScheduleError` when no timing fits."""
    sim = _simulate(trip, start, {})
    delay = min(sim.first_wait, sim.slack)
    if delay > 0:
        start += delay
        sim = _simulate(trip, start, {})
    holds: dict[int, float] = {}
    while sim.over_rides:
        i = sim.over_rides[0]
        holds[i] = holds.get(i, 0.0) + _least_hold(trip, start, holds, i)
        sim = _simulate(trip, start, holds)
        if i in sim.over_rides:
            raise ScheduleError(f"vehicle {trip.vehicle.id!r} on {trip.day}: a cold ride too long")
    if sim.end > trip.vehicle.shift[1] + EPS or sim.late:
        raise ScheduleError(f"vehicle {trip.vehicle.id!r} on {trip.day} would end at {sim.end}")
    return sim


def _least_hold(trip: _Trip, start: float, holds: dict[int, float], i: int) -> float:
    """The fewest whole minutes more to wait at event ``i`` (a cold pickup) for its ride
    to fit, or for the route to stop fitting (the ride shrinks as the wait grows)."""

    def enough(h: int) -> bool:
        try:
            sim = _simulate(trip, start, {**holds, i: holds.get(i, 0.0) + h})
        except ScheduleError:
            return True
        return i not in sim.over_rides or sim.late or sim.end > trip.vehicle.shift[1] + EPS

    lo, hi = 0, MINUTES_PER_DAY
    while lo < hi:
        mid = (lo + hi) // 2
        if enough(mid):
            hi = mid
        else:
            lo = mid + 1
    return float(lo)


def _simulate(trip: _Trip, start: float, holds: dict[int, float]) -> _Sim:
    """Run the vehicle from its depot at ``start`` through its events as early as it can
    (waiting ``holds[i]`` minutes more at event ``i``), and home; notes the first wait and
    the slack before it for a later start."""
    inst, vehicle = trip.inst, trip.vehicle
    di = inst.days.index(trip.day)
    run = _Run(
        inst,
        trip.day,
        di,
        start,
        vehicle.depot,
        [Stop(node=vehicle.depot, arrive=start, depart=start)],
    )
    for i, ev in enumerate(trip.events):
        if isinstance(ev, Visit):
            run.visit(ev, trip.assignment, i, holds.get(i, 0.0))
        elif isinstance(ev, HandIn):
            run.hand_in(ev, trip.assignment)
        else:
            run.cross(ev)
    run.drive(vehicle.depot)
    left: dict[str, int] = {}
    for stop in run.stops:
        left = _add(left, stop.pickup)
    for stop in run.stops:
        left = _add(left, {c: -q for c, q in stop.handin.items()})
    left = {c: q for c, q in left.items() if q}
    last = run.stops[-1]
    if len(run.stops) > 1 and last.node == vehicle.depot and not (last.deliver or last.pickup):
        # the route ended handing in at its own depot: that stop is its last
        run.stops[-1] = last.model_copy(update={"handin": _add(last.handin, left)})
    else:
        run.stops.append(Stop(node=vehicle.depot, arrive=run.now, depart=run.now, handin=left))
    return _Sim(
        run.stops, run.legs, run.first_wait or 0.0, run.slack, run.now, run.over_rides, run.late
    )


@dataclass
class _Run:
    """A vehicle's day while it is simulated: where and when it is, its stops and legs so
    far, the first wait (for an opening or a boat) and the slack before it."""

    inst: Instance
    day: str
    di: int
    now: float
    here: str
    stops: list[Stop]
    legs: list[Leg] = field(default_factory=list)
    first_wait: float | None = None
    slack: float = float("inf")
    collected: dict[Visit, tuple[int, float]] = field(default_factory=dict)  # event, depart
    over_rides: list[int] = field(default_factory=list)
    late: bool = False

    def drive(self, to: str) -> None:
        """Drive by road to ``to`` (nothing when already there), adding the leg."""
        if to == self.here:
            return
        t = self.inst.travel
        mins = self.inst.duration(t.road_minutes(self.here, to))
        self.legs.append(
            Leg.model_validate(
                {
                    "from": self.here,
                    "to": to,
                    "mode": "road",
                    "depart": self.now,
                    "arrive": self.now + mins,
                    "km": round(t.road_km(self.here, to), 6),
                }
            )
        )
        self.now += mins
        self.here = to

    def visit(self, ev: Visit, assignment: dict[int, Pattern], i: int, hold: float) -> None:
        """Drive to the visit's station, wait for it to open (and ``hold`` more) and serve
        it; a visit right after one to the same station (a split visit) joins that stop."""
        st = self.inst.station(ev.unit.station)
        self.drive(ev.unit.node)
        if self.now > st.open[1] + 1e-6:
            raise ScheduleError(f"station {st.node!r} reached at {self.now} after it closes")
        if self.first_wait is None:
            self.slack = min(self.slack, st.open[1] - self.now)
        wait = max(0.0, st.open[0] - self.now)
        if wait > 0 and self.first_wait is None:
            self.first_wait = wait
        deliver, pickup = _unit_parcels(self.inst, ev, assignment[ev.unit.station], self.day)
        begin = self.now + wait + hold
        if self.stops[-1].node == st.node and len(self.stops) > 1:  # a split visit: one stop
            prev = self.stops.pop()
            deliver = _add(prev.deliver, deliver)
            pickup = _add(prev.pickup, pickup)
            self.stops.append(prev.model_copy(update={"deliver": deliver, "pickup": pickup}))
            self.collected[ev] = (i, prev.depart)
            return
        depart = begin + self.inst.duration(st.service_minutes)
        self.stops.append(
            Stop(node=st.node, arrive=self.now, depart=depart, deliver=deliver, pickup=pickup)
        )
        self.collected[ev] = (i, depart)
        self.now = depart

    def hand_in(self, ev: HandIn, assignment: dict[int, Pattern]) -> None:
        """Drive to the hand-in place and hand in what the visit collected (one stop with
        a hand-in right before at the same place); notes a late or too long cold ride."""
        st = self.inst.station(ev.visit.unit.station)
        self.drive(ev.node)
        if self.first_wait is None and st.pickup_by is not None:
            self.slack = min(self.slack, st.pickup_by - self.now)
        if st.pickup_by is not None and self.now > st.pickup_by + EPS:
            self.late = True
        i, collected = self.collected[ev.visit]
        if st.cold and self.now - collected > st.max_ride + EPS:
            self.over_rides.append(i)
        _, pickup = _unit_parcels(self.inst, ev.visit, assignment[ev.visit.unit.station], self.day)
        prev = self.stops[-1]
        if prev.node == ev.node and len(self.stops) > 1 and not prev.deliver and not prev.pickup:
            self.stops[-1] = prev.model_copy(update={"handin": _add(prev.handin, pickup)})
            return
        depart = self.now + HANDIN_MINUTES
        self.stops.append(Stop(node=ev.node, arrive=self.now, depart=depart, handin=pickup))
        self.now = depart

    def cross(self, ev: Ferry) -> None:
        """Drive to the ferry's pier and take its next departure to the far pier."""
        self.drive(ev.from_)
        dep = self.inst.travel.next_departure(ev, self.di, self.now, 1)
        if dep is None:
            raise ScheduleError(f"no departure of ferry {ev.id!r} on {self.day} after {self.now}")
        if self.first_wait is None:  # a later start must still catch this boat
            self.first_wait = dep - self.now
        self.legs.append(
            Leg.model_validate(
                {
                    "from": ev.from_,
                    "to": ev.to,
                    "mode": "ferry",
                    "depart": dep,
                    "arrive": dep + ev.minutes,
                    "km": 0.0,
                    "ferry": ev.id,
                }
            )
        )
        self.now, self.here = dep + ev.minutes, ev.to


def _unit_parcels(
    inst: Instance, ev: Visit, pattern: Pattern, day: str
) -> tuple[dict[str, int], dict[str, int]]:
    """The parcels a visit delivers and picks up on ``day`` under the station's pattern,
    only of the carriers its unit stands for."""
    st = inst.station(ev.unit.station)
    deliver = inst.split(st, pattern, "demand").get(day, {})
    pickup = inst.split(st, pattern, "pickup").get(day, {})
    deliver = {c: q for c, q in deliver.items() if c in ev.unit.carriers}
    pickup = {c: q for c, q in pickup.items() if c in ev.unit.carriers}
    return deliver, pickup


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out
