"""Where collected parcels are handed in: every pickup of a plan matched to the stops
that take it off the vehicle, by the hand-in contract of spec 1.1.

A station's pickups go to its ``pickup_to`` (else the collecting vehicle's depot). A
stop's ``handin`` ({carrier: n}) hands in parcels of that carrier collected earlier on
the same route and bound for the stop's node, earliest due first (due = ``pickup_by``,
or the pickup's departure + ``max_ride`` for cold parcels, whichever comes first; then
earliest collected). The route's last stop hands in everything left bound for it.
Parcels handed in that no earlier pickup was bound for are kept as :class:`Unmatched`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from islandroute.model.network import Network, Node, Vehicle
from islandroute.model.plan import Plan, Route, Stop

__all__ = [
    "CENTRE_ROLES",
    "Batch",
    "Destination",
    "HandIn",
    "Ledger",
    "Origin",
    "Programme",
    "Unmatched",
    "ledger",
    "origin",
    "programme_of",
]

Destination = Literal["processing_centre", "cross_border_centre", "depot", "other"]
Programme = Literal["village", "park"]

CENTRE_ROLES: tuple[Destination, ...] = ("processing_centre", "cross_border_centre")
PARK_KIND = "park"


def programme_of(node: Node | None) -> Programme:
    """The pilot programme a station serves: a park (快递进厂) or a village (快递进村)."""
    return "park" if node is not None and node.kind == PARK_KIND else "village"


@dataclass(frozen=True)
class Origin:
    """Where a flow starts: the route's day and vehicle, the carrier, the station, its
    island and programme (what every flow record is grouped by)."""

    day: str
    vehicle: str
    carrier: str
    station: str
    island: str
    programme: Programme


@dataclass(frozen=True)
class Batch(Origin):
    """One station's parcels of one carrier collected at one stop of a route."""

    parcels: int
    picked: float  # the pickup stop's departure, minutes
    destination: str  # the node they are handed in at
    kind: Destination
    deadline: float | None  # the station's pickup_by
    cold: bool
    max_ride: int
    refrigerated: bool
    order: int  # position of the pickup on the route, to break ties

    @property
    def due(self) -> float:
        """When the batch must be handed in at the latest (inf without a limit)."""
        limits = [self.deadline if self.deadline is not None else math.inf]
        if self.cold:
            limits.append(self.picked + self.max_ride)
        return min(limits)


@dataclass(frozen=True)
class HandIn:
    """Part of a batch handed in at a stop arriving at ``arrive``."""

    batch: Batch
    parcels: int
    arrive: float

    @property
    def ride(self) -> float:
        """Minutes on board, pickup stop's departure to hand-in stop's arrival."""
        return self.arrive - self.batch.picked

    @property
    def on_time(self) -> bool:
        return self.batch.deadline is None or self.arrive <= self.batch.deadline

    @property
    def cold_ok(self) -> bool:
        return self.batch.refrigerated and self.ride <= self.batch.max_ride


@dataclass(frozen=True)
class Unmatched:
    """Parcels a stop hands in that no earlier pickup on its route was bound for."""

    day: str
    vehicle: str
    node: str
    carrier: str
    parcels: int


@dataclass
class _Waiting:
    """A batch on board and what of it is still on board."""

    batch: Batch
    left: int
    pieces: list[HandIn] = field(default_factory=list)

    def hand_in(self, parcels: int, arrive: float) -> None:
        self.pieces.append(HandIn(self.batch, parcels, arrive))
        self.left -= parcels


@dataclass(frozen=True)
class Ledger:
    """Every batch collected in a plan, the hand-ins it was matched to, and hand-ins
    that matched nothing."""

    batches: tuple[Batch, ...]
    handins: tuple[HandIn, ...]
    unmatched: tuple[Unmatched, ...]


def ledger(net: Network, plan: Plan) -> Ledger:
    """Match every pickup of ``plan`` to the hand-ins that take it off the vehicle."""
    batches: list[Batch] = []
    handins: list[HandIn] = []
    unmatched: list[Unmatched] = []
    for route in plan.routes:
        waiting, lost = _route_ledger(net, route)
        batches += [w.batch for w in waiting]
        handins += [p for w in waiting for p in w.pieces]
        unmatched += lost
    return Ledger(tuple(batches), tuple(handins), tuple(unmatched))


def _route_ledger(net: Network, route: Route) -> tuple[list[_Waiting], list[Unmatched]]:
    """One route's batches with their hand-ins, stop by stop: hand-ins first, then
    pickups; at the last stop everything left bound for it."""
    vehicle = net.vehicle_by_id.get(route.vehicle)
    waiting: list[_Waiting] = []
    lost: list[Unmatched] = []
    for i, stop in enumerate(route.stops):
        for carrier, n in stop.handin.items():
            left = _match(waiting, carrier, stop.node, n, stop.arrive)
            if left > 0:
                lost.append(Unmatched(route.day, route.vehicle, stop.node, carrier, left))
        for carrier, n in stop.pickup.items():
            if n > 0:
                batch = _batch(net, route, vehicle, stop, carrier, n, order=i)
                waiting.append(_Waiting(batch, n))
        if i == len(route.stops) - 1:
            for w in waiting:
                if w.left > 0 and w.batch.destination == stop.node:
                    w.hand_in(w.left, stop.arrive)
    return waiting, lost


def _match(waiting: list[_Waiting], carrier: str, node: str, parcels: int, arrive: float) -> int:
    """Hand in ``parcels`` of ``carrier`` at ``node`` from the batches bound there,
    earliest due first (then earliest collected); returns what matched nothing."""
    bound = [w for w in waiting if w.left > 0 and w.batch.carrier == carrier]
    bound = [w for w in bound if w.batch.destination == node]
    for w in sorted(bound, key=lambda w: (w.batch.due, w.batch.order)):
        if parcels <= 0:
            break
        take = min(parcels, w.left)
        w.hand_in(take, arrive)
        parcels -= take
    return max(parcels, 0)


def origin(net: Network, route: Route, stop: Stop, carrier: str) -> Origin:
    """The origin of ``carrier``'s parcels handed over at ``stop`` of ``route``."""
    node = net.node_by_id.get(stop.node)
    return Origin(
        route.day,
        route.vehicle,
        carrier,
        stop.node,
        node.island if node else "",
        programme_of(node),
    )


def _batch(
    net: Network,
    route: Route,
    vehicle: Vehicle | None,
    stop: Stop,
    carrier: str,
    parcels: int,
    *,
    order: int,
) -> Batch:
    """The batch a stop collects, with its destination and limits from the station."""
    depot = vehicle.depot if vehicle is not None else route.stops[-1].node
    station = net.station_by_node.get(stop.node)
    destination = station.pickup_to if station and station.pickup_to else depot
    return Batch(
        **vars(origin(net, route, stop, carrier)),
        parcels=parcels,
        picked=stop.depart,
        destination=destination,
        kind=_destination_kind(net, destination, depot),
        deadline=station.pickup_by if station else None,
        cold=bool(station and station.cold),
        max_ride=station.max_ride if station else 0,
        refrigerated=bool(vehicle and vehicle.refrigerated),
        order=order,
    )


def _destination_kind(net: Network, destination: str, depot: str) -> Destination:
    """A destination by the role of its node: a processing or cross-border centre, the
    collecting vehicle's depot, or another hand-in point."""
    node = net.node_by_id.get(destination)
    role = node.role if node is not None else None
    for kind in CENTRE_ROLES:
        if role == kind:
            return kind
    return "depot" if destination == depot else "other"
