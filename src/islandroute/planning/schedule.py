"""Turn a vehicle's ordered visits and crossings into a timed route of stops and legs.

Times are the earliest the vehicle can make (waiting for opening hours and departures),
then the start is pushed as late as the first wait allows, so driver hours are not
spent idle at the depot's door.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from islandroute.model.network import Ferry, Vehicle
from islandroute.model.plan import Leg, Route, Stop
from islandroute.planning.day import Visit
from islandroute.planning.instance import Instance, Pattern


class ScheduleError(RuntimeError):
    """A sequence the solver returned does not fit the timetable (a bug, never silent)."""


@dataclass
class _Sim:
    stops: list[Stop]
    legs: list[Leg]
    first_wait: float
    slack: float
    end: float


def build_route(
    inst: Instance,
    vehicle: Vehicle,
    day: str,
    events: list[Visit | Ferry],
    assignment: dict[int, Pattern],
) -> Route:
    """The timed :class:`Route` of ``vehicle`` on ``day`` through ``events``."""
    acc = inst.reach.access(vehicle, day)
    if acc is None:
        raise ScheduleError(f"vehicle {vehicle.id!r} does not work on {day}")
    start = inst.duration(acc.ready) if inst.integral else acc.ready
    sim = _simulate(inst, vehicle, day, events, assignment, start)
    delay = min(sim.first_wait, sim.slack)
    if delay > 0:
        sim = _simulate(inst, vehicle, day, events, assignment, start + delay)
    if sim.end > vehicle.shift[1] + 1e-6:
        raise ScheduleError(f"vehicle {vehicle.id!r} on {day} would end at {sim.end}")
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


def _simulate(
    inst: Instance,
    vehicle: Vehicle,
    day: str,
    events: list[Visit | Ferry],
    assignment: dict[int, Pattern],
    start: float,
) -> _Sim:
    """Run ``vehicle`` from its depot at ``start`` through ``events`` as early as it can,
    and home; notes the first wait and the slack before it for a later start."""
    di = inst.days.index(day)
    run = _Run(
        inst, day, di, start, vehicle.depot, [Stop(node=vehicle.depot, arrive=start, depart=start)]
    )
    for ev in events:
        if isinstance(ev, Visit):
            run.visit(ev, assignment)
        else:
            run.cross(ev)
    run.drive(vehicle.depot)
    handin: dict[str, int] = {}  # pickups go back to the depot (hand-in points: not yet)
    for stop in run.stops:
        handin = _add(handin, stop.pickup)
    run.stops.append(Stop(node=vehicle.depot, arrive=run.now, depart=run.now, handin=handin))
    return _Sim(run.stops, run.legs, run.first_wait or 0.0, run.slack, run.now)


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

    def visit(self, ev: Visit, assignment: dict[int, Pattern]) -> None:
        """Drive to the visit's station, wait for it to open and serve it; a visit right
        after one to the same station (a split visit) joins that stop."""
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
        begin = self.now + wait
        if self.stops[-1].node == st.node and len(self.stops) > 1:  # a split visit: one stop
            prev = self.stops.pop()
            deliver = _add(prev.deliver, deliver)
            pickup = _add(prev.pickup, pickup)
            self.stops.append(prev.model_copy(update={"deliver": deliver, "pickup": pickup}))
            return
        depart = begin + self.inst.duration(st.service_minutes)
        self.stops.append(
            Stop(node=st.node, arrive=self.now, depart=depart, deliver=deliver, pickup=pickup)
        )
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
