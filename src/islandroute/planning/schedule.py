"""Turn a vehicle's ordered visits and crossings into a timed route of stops and legs.

Times are the earliest the vehicle can make (waiting for opening hours and departures),
then the start is pushed as late as the first wait allows, so driver hours are not
spent idle at the depot's door.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    t = inst.travel
    di = inst.days.index(day)
    now, here = start, vehicle.depot
    stops = [Stop(node=here, arrive=now, depart=now)]
    legs: list[Leg] = []
    first_wait: float | None = None
    slack = float("inf")

    def drive(to: str) -> None:
        nonlocal now, here
        if to == here:
            return
        mins = inst.duration(t.road_minutes(here, to))
        legs.append(
            Leg.model_validate(
                {
                    "from": here,
                    "to": to,
                    "mode": "road",
                    "depart": now,
                    "arrive": now + mins,
                    "km": round(t.road_km(here, to), 6),
                }
            )
        )
        now += mins
        here = to

    for ev in events:
        if isinstance(ev, Visit):
            st = inst.station(ev.unit.station)
            drive(ev.unit.node)
            if now > st.open[1] + 1e-6:
                raise ScheduleError(f"station {st.node!r} reached at {now} after it closes")
            if first_wait is None:
                slack = min(slack, st.open[1] - now)
            wait = max(0.0, st.open[0] - now)
            if wait > 0 and first_wait is None:
                first_wait = wait
            pattern = assignment[ev.unit.station]
            deliver = inst.split(st, pattern, "demand").get(day, {})
            pickup = inst.split(st, pattern, "pickup").get(day, {})
            deliver = {c: q for c, q in deliver.items() if c in ev.unit.carriers}
            pickup = {c: q for c, q in pickup.items() if c in ev.unit.carriers}
            begin = now + wait
            if stops[-1].node == st.node and len(stops) > 1:  # a split visit: one stop
                prev = stops.pop()
                deliver = _add(prev.deliver, deliver)
                pickup = _add(prev.pickup, pickup)
                stops.append(prev.model_copy(update={"deliver": deliver, "pickup": pickup}))
                continue
            depart = begin + inst.duration(st.service_minutes)
            stops.append(
                Stop(node=st.node, arrive=now, depart=depart, deliver=deliver, pickup=pickup)
            )
            now = depart
        else:
            drive(ev.from_)
            dep = t.next_departure(ev, di, now, 1)
            if dep is None:
                raise ScheduleError(f"no departure of ferry {ev.id!r} on {day} after {now}")
            if first_wait is None:  # a later start must still catch this boat
                first_wait = dep - now
            legs.append(
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
            now, here = dep + ev.minutes, ev.to
    drive(vehicle.depot)
    handin: dict[str, int] = {}  # pickups go back to the depot (hand-in points: not yet)
    for stop in stops:
        handin = _add(handin, stop.pickup)
    stops.append(Stop(node=vehicle.depot, arrive=now, depart=now, handin=handin))
    return _Sim(stops, legs, first_wait or 0.0, slack, now)


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out
