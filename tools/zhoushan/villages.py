"""Step 3, villages: the 281 village committees, their islands and positions."""

from __future__ import annotations

import math
import re
from typing import Any

from zhoushan.common import read_csv
from zhoushan.islands import MAIN_ISLAND, OTHER_ISLAND, TOWN_POINT


class VillageSteps:
    """Reads the villages and places each on its island."""

    # -- villages -------------------------------------------------------------------
    def village_rows(self) -> list[dict[str, Any]]:
        """The 281 村委会 with their island and an anchor point to scatter around."""
        towns = {r["town_or_street"]: r for r in read_csv(self.data / "town_island_map.csv")}
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
        villages = self.village_rows()
        for v in villages:
            isl = v["island"]
            la0, lo0 = v["anchor"]
            if isl not in self.outline:
                radius = 0.4
            elif v["anchor_src"] == "geonames":
                radius = 0.6
            elif isl == "zhoushan":
                radius = 3.5
            else:
                area = self.islands[isl].area_km2 or 5.0
                radius = min(5.0, max(0.8, 0.45 * math.sqrt(area)))
            la, lo = self.scatter(isl, la0, lo0, radius, int(v["code"]))
            v["lat"], v["lon"] = la, lo
            self.add_node(
                f"v{v['code']}",
                "station",
                isl,
                la,
                lo,
                v["name"],
                None,
                "E-placement",
                anchor=v["anchor_src"],
            )
        return villages
