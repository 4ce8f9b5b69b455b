"""Whether a vehicle can hand a station's pickups in where, by when and as cold as asked.

Spec 1.1: a station's pickups go to its ``pickup_to`` (else the collecting vehicle's
depot) by ``pickup_by``; ``cold`` ones ride only refrigerated vehicles, for at most
``max_ride`` minutes. :func:`hand_in_trip` answers for one vehicle, day and station,
with the earliest hand-in and, when it fails, why; the planner and the diagnosis use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from islandroute.model.network import MINUTES_PER_DAY, Station, Vehicle

if TYPE_CHECKING:
    from islandroute.network.reach import Reach


@dataclass(frozen=True)
class HandInTrip:
    """One vehicle's best try at collecting at a station and handing in: the earliest
    hand-in minute (None when it cannot get there), the ferries on the way and, when the
    try breaks a rule, the rule's field and what went wrong."""

    arrive: float | None
    ferries: tuple[tuple[str, float], ...] = ()
    field: str = ""
    why: str = ""

    @property
    def ok(self) -> bool:
        return not self.field


def clock(minute: float) -> str:
    """A minute of the day as HH:MM."""
    m = round(minute) % MINUTES_PER_DAY
    return f"{m // 60:02d}:{m % 60:02d}"


def due(st: Station, collected: float) -> float:
    """The latest hand-in of parcels collected at ``collected``: the deadline, or the
    ride limit of cold parcels, whichever comes first."""
    limit = math.inf if st.pickup_by is None else float(st.pickup_by)
    return min(limit, collected + st.max_ride) if st.cold else limit


def hand_in_trip(reach: Reach, v: Vehicle, day: str, si: int) -> HandInTrip:
    """``v``'s earliest collection at station ``si`` on ``day`` and hand-in after it."""
    st = reach.stations[si]
    if st.cold and not v.refrigerated:
        return HandInTrip(None, (), "cold", f"vehicle {v.id!r} is not refrigerated")
    acc = reach.access(v, day)
    arrive = math.inf if acc is None else float(acc.arrive[si])
    if not math.isfinite(arrive) or arrive > st.open[1]:
        return HandInTrip(None, (), "open", f"vehicle {v.id!r} cannot be there in its hours")
    collected = max(arrive, st.open[0]) + st.service_minutes
    place = st.pickup_to or v.depot
    trip = reach.travel.earliest_arrival(st.node, place, day, collected, max_days=1)
    if trip is None:
        return HandInTrip(None, (), "pickup_to", f"no road or vehicle ferry to {place!r}")
    boats = tuple((h.ferry, h.depart) for h in trip.hops if h.ferry is not None)
    if trip.arrive > due(st, collected) + 1e-6:
        field = (
            "pickup_by" if st.pickup_by is not None and trip.arrive > st.pickup_by else "max_ride"
        )
        return HandInTrip(trip.arrive, boats, field, "too late")
    home = reach.travel.earliest_arrival(place, v.depot, day, trip.arrive, max_days=1)
    if home is None or home.arrive > v.shift[1] + 1e-6:
        return HandInTrip(trip.arrive, boats, "shift", f"vehicle {v.id!r} cannot get home")
    return HandInTrip(trip.arrive, boats)


def explain(st: Station, best: HandInTrip | None, who: str) -> str:
    """Why no vehicle of ``who`` can hand a station's parcels in, from the best try."""
    place = st.pickup_to or "the collecting vehicle's depot"
    what = "cold parcels" if st.cold else "parcels"
    by = f" by {clock(st.pickup_by)}" if st.pickup_by is not None else ""
    ride = f" within {st.max_ride} min" if st.cold else ""
    fleet = f"{who} (refrigerated ones)" if st.cold else who
    text = f"its {what} cannot reach {place!r}{by}{ride} on {fleet}"
    if best is None:
        return text + " (no such vehicle works on a service day)"
    if best.arrive is None:
        return f"{text} ({best.why})"
    boats = "".join(f" via ferry {f!r} at {clock(t)}" for f, t in best.ferries)
    return f"{text} (earliest {clock(best.arrive)}{boats}; {best.why})"
