"""Step 10, the 1+1+N layout: 1 processing centre, 1 cross-border centre, N county
complexes, the town sorting points vans run from, and the week's trunk flows between them.

The pilot's layout as data (the network's ``layout`` field) with its derivation: the
processing centre's hub receives the trunk parcels and its centre hands them out again;
every service day a trunk carries each county's village parcels to its complex, and the
complex passes them on to the town sorting points (by road) or to the island depots (by
boat at ``rules.hub_dispatch``). Shared-operator vans (joint mode, 共配) run from the
busiest town sorting points of each county.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from islandroute.model.graph import road_zones
from islandroute.model.network import Network
from zhoushan.common import SERVICE_DAYS, largest_remainder
from zhoushan.demand import base_of
from zhoushan.islands import COUNTY_KEY, MAIN_ISLAND, TOWN_POINT
from zhoushan.layout import COUNTY_HUB

#: Shared-operator (共配) vans per county, one at each of its busiest town sorting points
#: (the same six vans the county complexes held before; estimate).
SHARED_VANS = {"dinghai": 2, "putuo": 2, "daishan": 1, "shengsi": 1}
PROCESSING = {"hub": "h_processing", "centre": "c_processing"}
CROSS_BORDER = {"hub": "h_crossborder", "centre": "c_crossborder"}


def town_id(street_code: str) -> str:
    """The node id of a town's sorting point."""
    return f"t_{street_code}"


class TierSteps:
    """Adds the town sorting points and states the 1+1+N layout and its flows."""

    def build_town_points(self, villages: list[dict[str, Any]]) -> None:
        """A sorting point for each town with villages, at its town point (E-coord)."""
        towns = {r["town_or_street"]: r for r in self.town_rows}
        self.towns: dict[str, dict[str, Any]] = {}
        for v in villages:
            t = self.towns.setdefault(
                v["street_code"],
                {
                    "name": v["street_name"],
                    "county": COUNTY_KEY[v["county_name"]],
                    "island": MAIN_ISLAND[towns[v["street_name"]]["main_island"]],
                    "villages": [],
                },
            )
            t["villages"].append(v)
        for code, t in sorted(self.towns.items()):
            tp = TOWN_POINT.get(t["name"])
            if isinstance(tp, int):
                g = self.geonames[tp]
                lat, lon, src = float(g["latitude"]), float(g["longitude"]), "GeoNames"
            elif tp is not None:
                lat, lon, src = tp[0], tp[1], "E-coord"
            else:
                isl = self.islands[t["island"]]
                lat, lon, src = isl.lat, isl.lon, "E-coord"
            la, lo = self.snap(t["island"], lat, lon)
            moved = (la, lo) != (round(lat, 5), round(lon, 5))
            self.add_node(
                town_id(code),
                "depot",
                t["island"],
                la,
                lo,
                f"{t['name']} 快递共配点 (town sorting point, est.)",
                None,
                "E-coord" if moved or src != "GeoNames" else "GeoNames",
                tier="town",
                town=t["name"],
                county_complex=COUNTY_HUB[t["county"]],
            )

    def shared_van_depots(self, villages: list[dict[str, Any]]) -> list[tuple[str, int]]:
        """The town sorting points that get shared vans: per county the busiest towns
        whose villages its county depots serve by road (weekly parcels, then code)."""
        weekly: dict[str, int] = defaultdict(int)
        for v in villages:
            if base_of(v) in SHARED_VANS:
                weekly[v["street_code"]] += sum(v["demand"].values())
        out = []
        for county, n in SHARED_VANS.items():
            ranked = sorted(
                (c for c in weekly if self.towns[c]["county"] == county),
                key=lambda c: (-weekly[c], c),
            )
            out += [(town_id(c), 1) for c in ranked[:n]]
        return out

    def layout_record(self, net: Network, villages: list[dict[str, Any]]) -> dict[str, Any]:
        """The 1+1+N layout with the week's trunk flows (all derived; see PROVENANCE.md)."""
        county_weekly: dict[str, int] = defaultdict(int)
        for v in villages:
            county_weekly[COUNTY_KEY[v["county_name"]]] += sum(v["demand"].values())
        zone = road_zones(net)
        depots_of: dict[str, set[str]] = defaultdict(set)
        for veh in net.vehicles:
            depots_of[veh.depot].add(veh.id)
        complexes = []
        trunk = []
        for county, hub in COUNTY_HUB.items():
            per_day = largest_remainder(
                county_weekly[county], {d: 1 / len(SERVICE_DAYS) for d in SERVICE_DAYS}
            )
            by_road = zone[hub] == zone[PROCESSING["hub"]]
            trunk.append(
                {
                    "from": PROCESSING["hub"],
                    "to": hub,
                    "link": "road" if by_road else "boat",
                    "days": list(SERVICE_DAYS),
                    "parcels": {d: per_day[d] for d in SERVICE_DAYS},
                    "weekly": county_weekly[county],
                    "source": "E-trunk",
                    "estimated": True,
                }
            )
            complexes.append(
                {
                    "id": hub,
                    "county": county,
                    "carrier_depots": sorted(
                        n.id for n in net.nodes if n.id.startswith("d_") and n.id.endswith(county)
                    ),
                    "towns": sorted(
                        town_id(c) for c, t in self.towns.items() if t["county"] == county
                    ),
                }
            )
        towns = []
        for code, t in sorted(self.towns.items()):
            tid = town_id(code)
            bases = sorted({base_of(v) for v in t["villages"]})
            weekly = sum(sum(v["demand"].values()) for v in t["villages"])
            towns.append(
                {
                    "id": tid,
                    "town": t["name"],
                    "island": t["island"],
                    "county_complex": COUNTY_HUB[t["county"]],
                    "villages": len(t["villages"]),
                    "weekly_parcels": weekly,
                    "served_from": bases,
                    "vans": sorted(depots_of.get(tid, ())),
                    "island_depot_vans": sorted(
                        veh.id
                        for veh in net.vehicles
                        if veh.depot.startswith("d_") and veh.depot.split("_", 2)[2] in bases
                    ),
                    "link_from_complex": "road"
                    if zone[tid] == zone[COUNTY_HUB[t["county"]]]
                    else "boat",
                }
            )
        return {
            "processing_centre": PROCESSING,
            "cross_border_centre": CROSS_BORDER,
            "county_complexes": complexes,
            "town_points": towns,
            "trunk": trunk,
            "source": "E-trunk",
            "estimated": True,
        }
