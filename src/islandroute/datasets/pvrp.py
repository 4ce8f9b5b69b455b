"""Reader for the Cordeau periodic VRP (PVRP) benchmark format, as a planar network.

A PVRP instance (Cordeau, Gendreau & Laporte 1997) is one island, one depot, one
carrier and ``m`` identical vehicles a day; each customer is visited exactly ``f``
times on one of its allowed day combinations, with the same demand ``q`` at every
visit; a route of day ``k`` is limited by that day's duration ``D`` (travel plus
service, 0 = none) and capacity ``Q``; the objective is the total Euclidean length.

Format (whitespace separated)::

    type m n t
    D Q                          # t lines, one per day
    i x y d q f a c1 ... ca      # n + 1 lines, the depot (i = 0) first

A combination ``c`` is the decimal value of a ``t``-bit string with day 1 as the
leftmost bit (``t = 5``: ``10 = 01010`` = days 2 and 4).

The network is ``geometry="planar"`` with no roads: travel minutes = km = Euclidean
distance, vehicles cost 1 per km and nothing else, so a plan's cost is its total
distance. Days are ``d1 .. dt``; the depot is node ``"0"`` and customer ``i`` is node
``"i"``, as in the file.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from islandroute.model.network import (
    Carrier,
    Island,
    Network,
    Node,
    ServiceRules,
    Station,
    Vehicle,
)

__all__ = ["CARRIER", "NO_LIMIT", "PvrpCustomer", "bks", "decode_pattern", "read_pvrp"]

#: The single carrier of a PVRP instance.
CARRIER = "pvrp"
#: Shift end (and opening-window end) used when a day has no duration limit (D = 0);
#: below the planner's two-day horizon and far above any route of the benchmark set.
NO_LIMIT = 2800


@dataclass(frozen=True)
class PvrpCustomer:
    """One line of the customer (or depot) section, as read."""

    id: int
    x: float
    y: float
    service: float
    demand: int
    frequency: int
    combinations: tuple[int, ...]


def decode_pattern(value: int, days: tuple[str, ...]) -> tuple[str, ...]:
    """Days of a combination: bit ``t-1-k`` of ``value`` set means day ``k`` (leftmost = day 1)."""
    t = len(days)
    if not 0 < value < 2**t:
        raise ValueError(f"combination {value} is not a non-empty {t}-bit string")
    return tuple(d for k, d in enumerate(days) if value >> (t - 1 - k) & 1)


def _int(token: str, what: str) -> int:
    x = float(token)
    if x != int(x):
        raise ValueError(f"{what} must be a whole number, got {token!r}")
    return int(x)


def _parse(text: str) -> tuple[int, int, int, list[tuple[float, int]], list[PvrpCustomer]]:
    """Header numbers, per-day (D, Q) and the depot + customer lines of a PVRP file."""
    tok = text.split()
    if len(tok) < 4:
        raise ValueError("PVRP file too short: no header line 'type m n t'")
    typ, m, n, t = (_int(x, "header") for x in tok[:4])
    if typ != 1:
        raise ValueError(f"problem type {typ} is not 1 (PVRP)")
    pos = 4
    limits: list[tuple[float, int]] = []
    for _ in range(t):
        limits.append((float(tok[pos]), _int(tok[pos + 1], "capacity Q")))
        pos += 2
    rows: list[PvrpCustomer] = []
    for _ in range(n + 1):
        head = tok[pos : pos + 7]
        if len(head) < 7:
            raise ValueError(f"file ends inside customer line {len(rows)}")
        a = _int(head[6], "number of combinations")
        combos = tuple(_int(x, "combination") for x in tok[pos + 7 : pos + 7 + a])
        rows.append(
            PvrpCustomer(
                id=_int(head[0], "customer id"),
                x=float(head[1]),
                y=float(head[2]),
                service=float(head[3]),
                demand=_int(head[4], "demand"),
                frequency=_int(head[5], "frequency"),
                combinations=combos,
            )
        )
        pos += 7 + a
    return typ, m, t, limits, rows


def read_pvrp(path: str | Path) -> Network:
    """Read a Cordeau PVRP file as a planar :class:`Network` (name = the file stem).

    Each customer becomes a station with weekly demand ``q * f`` split equally over
    exactly ``f`` visits on one of its combinations. A customer that sits on the depot
    adds no distance and is skipped (p01's customer 51); the network's provenance
    lists it. When every day has the same ``D`` and ``Q`` the fleet is ``m`` vehicles
    working every day; when they differ, each day gets its own ``m`` vehicles
    (``days=(day,)``) with that day's shift ``(0, D)`` and capacity ``Q``. A
    fractional ``D`` is rounded down to a whole minute (never looser than the file).
    """
    path = Path(path)
    _typ, m, t, limits, rows = _parse(path.read_text())
    days = tuple(f"d{k + 1}" for k in range(t))
    depot, customers = rows[0], rows[1:]
    skipped: list[int] = []
    nodes = [Node(id=str(depot.id), kind="depot", island="main", lon=depot.x, lat=depot.y)]
    stations: list[Station] = []
    for c in customers:
        if c.x == depot.x and c.y == depot.y:
            skipped.append(c.id)
            continue
        nodes.append(Node(id=str(c.id), kind="station", island="main", lon=c.x, lat=c.y))
        patterns = tuple(decode_pattern(v, days) for v in c.combinations)
        bad = [p for p in patterns if len(p) != c.frequency]
        if bad:
            raise ValueError(f"customer {c.id}: combinations {bad} do not have {c.frequency} days")
        stations.append(
            Station(
                node=str(c.id),
                min_visits=c.frequency,
                exact_visits=True,
                patterns=patterns,
                demand={CARRIER: c.demand * c.frequency},
                service_minutes=c.service,
                open=(0, NO_LIMIT),
            )
        )

    def shift(d: float) -> tuple[int, int]:
        return (0, NO_LIMIT if d <= 0 else math.floor(d))

    def vehicle(vid: str, d: float, q: int, on: tuple[str, ...] | None) -> Vehicle:
        return Vehicle(
            id=vid,
            carrier=CARRIER,
            depot=str(depot.id),
            capacity=q,
            shift=shift(d),
            cost_per_km=1.0,
            cost_per_hour=0.0,
            cost_fixed=0.0,
            co2_per_km=0.0,
            days=on,
        )

    uniform = len(set(limits)) == 1
    if uniform:
        d, q = limits[0]
        vehicles = [vehicle(f"v{k + 1}", d, q, None) for k in range(m)]
    else:
        vehicles = [
            vehicle(f"{day}-v{k + 1}", d, q, (day,))
            for day, (d, q) in zip(days, limits, strict=True)
            for k in range(m)
        ]
    provenance = {
        "source": "Cordeau, Gendreau & Laporte (1997) periodic VRP benchmark",
        "file": path.name,
        "vehicles_per_day": m,
        "limits_per_day": [
            {"day": day, "D": d, "Q": q} for day, (d, q) in zip(days, limits, strict=True)
        ],
        "per_day_fleet": not uniform,
        "skipped_customers": skipped,
        "skipped_reason": "customer sits on the depot (adds no distance)" if skipped else "",
        "objective": "total Euclidean route length (unrounded)",
    }
    return Network(
        name=path.stem,
        days=days,
        geometry="planar",
        nodes=tuple(nodes),
        carriers=(Carrier(id=CARRIER, name="PVRP"),),
        stations=tuple(stations),
        vehicles=tuple(vehicles),
        islands=(Island(id="main", name="main", lon=depot.x, lat=depot.y),),
        rules=ServiceRules(service_days=days, split="equal", min_visits=1),
        provenance=provenance,
    )


def bks(instance: str, folder: str | Path) -> float | None:
    """Best-known solution cost of ``instance`` (e.g. ``"p01"``) from ``folder/bks.csv``."""
    table = Path(folder) / "bks.csv"
    if not table.exists():
        return None
    with table.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("instance") == instance:
                return float(row["bks"])
    return None
