"""Step 6, fleet: depots and vans of every carrier, sized to the parcels they serve."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from typing import Any

from zhoushan.common import SERVICE_DAYS, ceil_to, unit_hash
from zhoushan.demand import (
    BOAT_ONLY_EMS,
    CARRIERS,
    ISLAND_OUTLETS,
    LOCAL_ALL_CARRIERS,
    base_of,
)
from zhoushan.layout import COUNTY_HUB, PIERS
from zhoushan.pickups import PARKS
from zhoushan.vehicles import (
    ELECTRIC_VAN,
    LIGHT_TRUCK,
    MICRO_VAN,
    REEFER_BASE,
    REEFER_TRUCK,
    TRICYCLE,
    TRIKE_SHIFT,
    VAN_SHIFT,
    VanClass,
    make_vehicle,
)

#: Parcels one van delivers in a day on 六横/衢山, whose villages spread over 10-14 km
#: of island (estimate: about 12-15 stops in a shift that starts when the boat lands).
LOCAL_VAN_DAY_PARCELS = 150


class FleetSteps:
    """Adds depots and sizes each carrier's vans."""

    def build_fleets(self, villages: list[dict[str, Any]]) -> None:
        served: dict[tuple[str, str], int] = defaultdict(int)  # (base, carrier) → weekly
        for v in villages:
            base = base_of(v)
            for c, n in v["demand"].items():
                served[(base, c)] += n
        carriers = [c for c, *_ in CARRIERS]
        # county depots of every carrier, set around the county's complex
        for county, hub in COUNTY_HUB.items():
            h = self.nodes[hub]
            for k, c in enumerate(carriers):
                ang = 2 * math.pi * (k + 0.5) / len(carriers)
                r = 0.9 + 0.3 * unit_hash(f"depot:{county}:{c}")
                la = h.lat + r * math.sin(ang) / 110.57
                lo = h.lon + r * math.cos(ang) / (111.32 * math.cos(math.radians(h.lat)))
                la, lo = self.snap(h.island, la, lo)
                did = f"d_{c}_{county}"
                self.add_node(did, "depot", h.island, la, lo, f"{c.upper()} {county} depot")
                weekly = served.get((county, c), 0)
                self.add_fleet(did, c, county, weekly)
        # island depots where no van of the county can come and go the same day
        for isl in sorted(LOCAL_ALL_CARRIERS | BOAT_ONLY_EMS | ISLAND_OUTLETS):
            owners = ["ems"] if isl in BOAT_ONLY_EMS else carriers
            pier = next(p for p in PIERS if p[1] == isl)
            for k, c in enumerate(owners):
                weekly = served.get((isl, c), 0)
                if not weekly:
                    continue
                i = self.islands[isl]
                ang = 2 * math.pi * (k + 0.5) / len(owners)
                r = 0.5 if isl in LOCAL_ALL_CARRIERS else 0.15 if isl in BOAT_ONLY_EMS else 0.3
                if isl in LOCAL_ALL_CARRIERS:
                    base_lat, base_lon = self.nodes[pier[0]].lat, self.nodes[pier[0]].lon
                else:
                    base_lat, base_lon = i.lat, i.lon
                la = base_lat + r * math.sin(ang) / 110.57
                lo = base_lon + r * math.cos(ang) / (111.32 * math.cos(math.radians(i.lat)))
                la, lo = self.snap(isl, la, lo)
                did = f"d_{c}_{isl}"
                self.add_node(did, "depot", isl, la, lo, f"{c.upper()} {i.name} depot")
                self.add_fleet(did, c, isl, weekly)
        # shared-operator (共配) vans at the busiest town sorting points (joint mode only)
        for k, (depot, n) in enumerate(self.shared_van_depots(villages)):
            for j in range(n):
                cls = ELECTRIC_VAN if k % 2 == 1 else MICRO_VAN
                self.vehicles.append(
                    make_vehicle(f"shared_{depot}_{j + 1}", None, depot, cls, VAN_SHIFT)
                )
        # refrigerated trucks of the carriers that collect cold parcels
        cold = sorted({c for p in PARKS if p.cold for c, _ in p.pickup}, key=carriers.index)
        for c in cold:
            depot = f"d_{c}_{REEFER_BASE}"
            self.vehicles.append(
                make_vehicle(f"{c}_{REEFER_BASE}_cold_1", c, depot, REEFER_TRUCK, VAN_SHIFT)
            )

    def add_fleet(self, depot: str, carrier: str, base: str, weekly: int) -> None:
        """Vans of one carrier at one depot, sized to the parcels it serves."""
        daily = weekly / len(SERVICE_DAYS)
        if base in BOAT_ONLY_EMS or base in ISLAND_OUTLETS:
            cap = max(TRICYCLE.capacity, ceil_to(weekly * 4 / 7 * 1.1, 10))
            cls = replace(TRICYCLE, capacity=int(cap))
            self.vehicles.append(
                make_vehicle(f"{carrier}_{base}_1", carrier, depot, cls, TRIKE_SHIFT)
            )
            return
        if base in LOCAL_ALL_CARRIERS:
            need = daily * 1.8
            n = max(1, math.ceil(need / LOCAL_VAN_DAY_PARCELS))
            cap = int(min(600, max(200, ceil_to(need / n, 50))))
            for k in range(n):
                cls = replace(MICRO_VAN, capacity=cap)
                self.vehicles.append(
                    make_vehicle(f"{carrier}_{base}_{k + 1}", carrier, depot, cls, VAN_SHIFT)
                )
            return
        need = daily * 1.6
        big = carrier in ("zto", "yto", "yunda", "sto")
        classes: list[VanClass] = []
        if big and base != "shengsi":
            classes.append(LIGHT_TRUCK)
        if carrier in ("ems", "sf") and base in ("dinghai", "putuo"):
            classes.append(ELECTRIC_VAN)
        lo_n, hi_n = (1, 2) if base == "shengsi" else (2, 4)
        while sum(c.capacity for c in classes) < need or len(classes) < lo_n:
            if len(classes) >= hi_n:
                break
            classes.append(MICRO_VAN)
        for k, cls in enumerate(classes):
            self.vehicles.append(
                make_vehicle(f"{carrier}_{base}_{k + 1}", carrier, depot, cls, VAN_SHIFT)
            )
