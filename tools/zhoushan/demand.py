"""Step 5, demand: weekly parcels per village and carrier, and village pickups."""

from __future__ import annotations

from typing import Any

from islandroute.model.network import (
    Station,
)
from zhoushan.common import largest_remainder, unit_hash
from zhoushan.islands import COUNTY_KEY

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


#: Village pickups (农产品上行: dried fish, seaweed, tea, fruit): a seeded share of each
#: village's own deliveries, 5-10 % (estimate: rural parcels run mostly downhill to the
#: village, and Zhoushan's villages send few parcels apart from seasonal specialties).
VILLAGE_PICKUP_SHARE = (0.05, 0.10)

STATION_OPEN = (480, 1080)

#: 渔山村 (高亭镇) lies on 大鱼山 (鱼山岛), whose 3,000+ residents were relocated for the
#: petrochemical base (islands_curated.csv): a committee with a residual of caretakers and
#: base staff, at a tenth of a village's weight (estimate).
RELOCATED = {
    "330921100233": "渔山村 on 鱼山岛: residents relocated for the petrochemical base "
    "(islands_curated.csv, 'pre-relocation'); residual demand at a tenth (E-demand)"
}
RELOCATED_WEIGHT = 0.1

#: Township islands where every carrier keeps an outlet: Zhejiang has courier outlets in
#: all villages and townships (cost_facts.csv, Zhejiang Postal Administration 2018,
#: sourced); 枸杞 (枸杞乡) and 嵊山 (嵊山镇) are inhabited fishing and tourist townships.
#: Each carrier's outlet there runs one electric tricycle (estimate).
ISLAND_OUTLETS = frozenset({"gouqi", "shengshan"})

#: Sensitivity of the demand assumption (PROVENANCE.md): scale factors of the weekly
#: village parcels against cost_facts.csv's 2023 estimate of Zhoushan's delivered
#: parcels (25-110 M, central ~70 M a year) over the 55 M delivered assumed here.
ASSUMED_DELIVERED = PARCELS_PER_YEAR * DELIVERED_SHARE
DEMAND_SCENARIOS = {
    "low": round(25e6 / ASSUMED_DELIVERED, 2),
    "central": round(70e6 / ASSUMED_DELIVERED, 2),
    "high": round(110e6 / ASSUMED_DELIVERED, 2),
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
        "bixia",
        "huaniao",
        "lvhua",
        "dengbu",
        "huni",
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
    if isl in LOCAL_ALL_CARRIERS or isl in BOAT_ONLY_EMS or isl in ISLAND_OUTLETS:
        return isl
    if isl == "zhoushan":
        return COUNTY_KEY[v["county_name"]]
    return COUNTY_OF_ISLAND[isl]


def village_pickup(code: str, demand: dict[str, int]) -> dict[str, int]:
    """A village's weekly pickups: a seeded 5-10 % of its deliveries, split like them."""
    lo, hi = VILLAGE_PICKUP_SHARE
    delivered = sum(demand.values())
    total = round(delivered * (lo + (hi - lo) * unit_hash("pickup:" + code)))
    if not total:
        return {}
    split = largest_remainder(total, {c: n / delivered for c, n in demand.items()})
    return {c: n for c, n in split.items() if n > 0}


class DemandSteps:
    """Sets each village's weekly demand and pickups."""

    # -- depots, demand, fleets -----------------------------------------------------
    def build_demand(self, villages: list[dict[str, Any]]) -> None:
        """Weekly parcels per village (summing exactly to the assumed total) and carrier."""
        weights = {}
        for v in villages:
            w = 0.6 + 0.8 * unit_hash("weight:" + v["code"])
            if v["island"] in BOAT_ONLY_EMS:
                w *= SMALL_ISLAND_WEIGHT
            if v["code"] in RELOCATED:
                w *= RELOCATED_WEIGHT
            weights[v["code"]] = w
        total_w = sum(weights.values())
        per_village = largest_remainder(
            WEEKLY_VILLAGE_PARCELS, {c: w / total_w for c, w in weights.items()}
        )
        shares = {c: s for c, _, s, _ in CARRIERS}
        share_sum = sum(shares.values())
        for v in villages:
            parcels = max(1, per_village[v["code"]])
            if v["island"] in BOAT_ONLY_EMS:
                demand = {"ems": parcels}
            else:
                demand = largest_remainder(parcels, {c: s / share_sum for c, s in shares.items()})
            v["demand"] = {c: n for c, n in demand.items() if n > 0}
            total = sum(v["demand"].values())
            service = float(min(10, 5 + total // 60))
            extra = {"note": RELOCATED[v["code"]]} if v["code"] in RELOCATED else {}
            self.stations.append(
                Station(
                    node=f"v{v['code']}",
                    min_visits=3,
                    open=STATION_OPEN,
                    demand=v["demand"],
                    pickup=village_pickup(v["code"], v["demand"]),
                    service_minutes=service,
                    source="E-demand",
                    estimated=True,
                    **extra,
                )
            )
