"""Step 3, villages: the 281 village committees, their islands and positions."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any

from zhoushan.common import haversine_km, read_csv, unit_hash
from zhoushan.islands import MAIN_ISLAND, OTHER_ISLAND, TOWN_POINT

PLACEMENT_SEED = "zhoushan-villages-v2"  # salts the tie-breaks of the spread placement
JITTER_KM = 0.3  # a spread village's distance from its land cell's centre, at most
GEONAMES_RADIUS_KM = 0.6  # a village GeoNames names lies this close to that point
TOWN_RADIUS_KM = 3.5  # 舟山本岛's villages round their town's point


class VillageSteps:
    """Reads the villages and places each on its island."""

    # -- villages -------------------------------------------------------------------
    def village_rows(self) -> list[dict[str, Any]]:
        """The 281 村委会 with their island and an anchor point to scatter around."""
        self.town_rows = read_csv(self.data / "town_island_map.csv")
        towns = {r["town_or_street"]: r for r in self.town_rows}
        rows = [
            r
            for r in read_csv(self.data / "zhoushan_villages_nbs2023.csv")
            if r["kind"].startswith("village_committee")
        ]
        cjk_points: dict[str, tuple[float, float]] = {}
        for g in self.geonames.values():
            if g["in_zhoushan_city"] == "yes":
                for alt in g["alternatenames_cjk"].split("|"):
                    cjk_points.setdefault(alt, (float(g["latitude"]), float(g["longitude"])))
        out = []
        for r in sorted(rows, key=lambda r: r["code"]):
            town = towns[r["street_name"]]
            island = MAIN_ISLAND[town["main_island"]]
            short = re.sub(r"(村村委会|村委会)$", "", r["name"])
            for part in town["villages_on_other_islands"].split(";"):
                part = re.sub(r"\(.*?\)", "", part).strip()
                if "=" not in part:
                    continue
                names, isl = part.split("=")
                isl = isl.split("(")[0]  # a note cut by the ';' split: "登步岛 (north and west"
                if any(short == n.strip().removesuffix("村") for n in names.split("+")):
                    self.notes["other_island"].append(f"{short}={isl.strip()}")
                    island = OTHER_ISLAND[isl.strip()]
            tp = TOWN_POINT.get(r["street_name"])
            if isinstance(tp, int):
                g = self.geonames[tp]
                town_pt = (float(g["latitude"]), float(g["longitude"]))
            elif tp is not None:
                town_pt = tp
            else:
                i = self.islands[island]
                town_pt = (i.lat, i.lon)
            anchor_src = "town"
            named = cjk_points.get(short, cjk_points.get(short + "村"))
            if named is not None and self.near_island(island, *named):
                anchor = named
                anchor_src = "geonames"
                self.notes["geonames_villages"].append(short)
            elif island == MAIN_ISLAND[town["main_island"]]:
                anchor = town_pt
            else:
                anchor = (self.islands[island].lat, self.islands[island].lon)
                anchor_src = "island"
            assert anchor is not None
            out.append(
                {**r, "short": short, "island": island, "anchor": anchor, "anchor_src": anchor_src}
            )
        return out

    def build_villages(self) -> list[dict[str, Any]]:
        """Place every village: spread over its island's land where one town holds the
        island, else scattered round its town point (E-placement, seeded by the code)."""
        villages = self.village_rows()
        towns: dict[str, set[str]] = defaultdict(set)
        for v in villages:
            towns[v["island"]].add(v["street_name"])
        for isl in sorted(towns):
            if len(towns[isl]) == 1 and len(self.cells.get(isl, ())) >= 2:
                self.spread_villages(isl, [v for v in villages if v["island"] == isl])
        for v in villages:
            isl = v["island"]
            if "lat" not in v:
                la0, lo0 = v["anchor"]
                if v["anchor_src"] == "geonames":
                    radius = GEONAMES_RADIUS_KM
                elif isl == "zhoushan":
                    radius = TOWN_RADIUS_KM
                else:
                    area = self.islands[isl].area_km2 or 5.0
                    radius = min(5.0, max(0.8, 0.45 * math.sqrt(area)))
                v["lat"], v["lon"] = self.scatter(isl, la0, lo0, radius, int(v["code"]))
                v["placement"] = "town" if v["anchor_src"] != "geonames" else "geonames"
            self.add_node(
                f"v{v['code']}",
                "station",
                isl,
                v["lat"],
                v["lon"],
                v["name"],
                None,
                "E-placement",
                anchor=v["anchor_src"],
                placement=v["placement"],
            )
        return villages

    def spread_villages(self, isl: str, villages: list[dict[str, Any]]) -> None:
        """Spread an island's villages over its land cells: each takes the land cell
        farthest from those already taken (farthest-point sampling from the town point or
        the GeoNames-named villages; ties by a seeded hash), then a seeded jitter on land."""
        land = [
            (float(self.mask.lats[i]), float(self.mask.lons[j]))
            for i, j in sorted(self.cells[isl])
            if self.on_land(isl, float(self.mask.lons[j]), float(self.mask.lats[i]))
        ]
        if not land:
            return
        taken: list[tuple[float, float]] = []
        for v in villages:
            if v["anchor_src"] == "geonames":
                la0, lo0 = v["anchor"]
                v["lat"], v["lon"] = self.scatter(isl, la0, lo0, GEONAMES_RADIUS_KM, int(v["code"]))
                v["placement"] = "geonames"
                taken.append((v["lat"], v["lon"]))
        if not taken:
            taken.append(villages[0]["anchor"])
        for v in sorted(villages, key=lambda v: v["code"]):
            if "lat" in v:
                continue
            cell = max(
                land,
                key=lambda c: (
                    min(haversine_km(c[1], c[0], lo, la) for la, lo in taken),
                    unit_hash(f"{PLACEMENT_SEED}:{v['code']}:{c[0]:.5f}:{c[1]:.5f}"),
                ),
            )
            v["lat"], v["lon"] = self.scatter(isl, cell[0], cell[1], JITTER_KM, int(v["code"]))
            v["placement"] = "spread"
            taken.append(cell)
