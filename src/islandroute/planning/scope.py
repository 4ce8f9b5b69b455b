"""What the planner plans, and what it refuses by name before planning.

Spec 1.1 lets a station say where and by when its pickups are handed in (``pickup_to``,
``pickup_by``) and that its parcels ride cold (``cold``). islandroute 0.1 does not plan
these yet: a plan would look valid while ignoring them, so such networks are refused
with one problem per station and field. Plain ``pickup`` is planned (handed in at the
vehicle's depot at the route's end).
"""

from __future__ import annotations

from islandroute.errors import NetworkError, Problem
from islandroute.model.network import Network, Station

HAND_IN = "islandroute 0.1 hands pickups in at the vehicle's depot at the route's end"
UNPLANNED: dict[str, str] = {
    "pickup_to": f"hand-in places are not planned yet ({HAND_IN})",
    "pickup_by": f"hand-in deadlines are not planned yet ({HAND_IN})",
    "cold": (
        "cold-chain parcels are not planned yet (islandroute 0.1 plans no refrigerated "
        "vehicles or ride limits)"
    ),
}


def _is_set(st: Station, name: str) -> bool:
    """Whether a station uses one of the fields the planner does not plan."""
    value = getattr(st, name, None)
    return value is True if name == "cold" else value is not None


def unplanned(net: Network) -> list[Problem]:
    """One problem per station and field the planner cannot honour yet."""
    return [
        Problem(f"station {st.node!r}", name, message)
        for st in net.stations
        for name, message in UNPLANNED.items()
        if _is_set(st, name)
    ]


def refuse_unplanned(net: Network) -> None:
    """Raise :class:`NetworkError` naming every station field not planned yet."""
    problems = unplanned(net)
    if problems:
        raise NetworkError(problems)
