"""Step 9, provenance: the document's provenance record and PROVENANCE.md."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from islandroute.model.network import (
    Network,
)
from zhoushan.common import BRIDGE_KMH, ESTIMATES, ROAD_DETOUR, ROAD_KMH, SOURCES
from zhoushan.demand import (
    ASSUMED_DELIVERED,
    BOAT_ONLY_EMS,
    CARRIERS,
    DELIVERED_SHARE,
    DEMAND_SCENARIOS,
    ISLAND_OUTLETS,
    PARCELS_PER_YEAR,
    RELOCATED,
    RELOCATED_WEIGHT,
    SMALL_ISLAND_WEIGHT,
    VILLAGE_PICKUP_SHARE,
    VILLAGE_SHARE,
    WEEKLY_VILLAGE_PARCELS,
    WEEKS_PER_YEAR,
)
from zhoushan.ferries import LINES
from zhoushan.islands import ISLANDS
from zhoushan.pickups import CENTRES, PARKS
from zhoushan.vehicles import (
    ELECTRIC_VAN,
    LIGHT_TRUCK,
    MICRO_VAN,
    REEFER_BASE,
    REEFER_TRUCK,
    TRICYCLE,
)
from zhoushan.villages import GEONAMES_RADIUS_KM, JITTER_KM, PLACEMENT_SEED

if TYPE_CHECKING:
    from zhoushan.builder import Builder


SMALL = frozenset(d.id for d in ISLANDS if not d.mask)  # islands the mask does not single out


class ProvenanceSteps:
    """The network's provenance record."""

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
                "ferry departures, boat types and passenger fares where F1 lists them "
                "(every in-scope F1 row is a departure; the rest are listed with a reason); "
                "crossing minutes marked F3/F7/F9",
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
                "village station coordinates: spread over the land cells of one-town "
                "islands, else scattered round the town point (seeded; E-placement)",
                "pier, hub, depot, town-point and bridge-end coordinates; small-island "
                "centres and outlines (E-coord, E-outline*)",
                "the 1+1+N flows: trunk parcels per county complex and day (E-trunk)",
                'island outlines from 30" land-mask cells (coarse)',
                "road graph: k-nearest-neighbour + spanning tree, km = great circle x 1.3, "
                "40 km/h; bridges 60 km/h",
                "return directions F1 lacks (E-return), lines no timetable lists (E-count), "
                "Sunday timetables (E-sunday), the type of F1 boats of unstated type "
                "(E-class), which of them carry vehicles (E-vehicles)",
                "vehicle-ferry fares and per-parcel boat fares from F1 passenger fares "
                "(E-fare-vehicle, E-fare-parcel)",
                "weekly demand and its split by village and carrier; fleets and depots",
                "EMS, SF and J&T market shares",
                "the two centres' sites and cut-offs (pickup_by)",
                "the two parks' sites, opening hours, weekly pickups per carrier, hand-in "
                "centres, service minutes, cold flag and max_ride, six visits a week",
                "refrigerated trucks: which carriers, where, capacity and costs",
                "village pickups: a seeded 5-10 % of each village's deliveries",
            ],
            "estimates": ESTIMATES,
            "ferry_rows": self.ferry_rows,
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
                "source": "E-demand",
                "estimated": True,
                "cross_check": "cost_facts.csv: >40,000 deliveries a day city-wide (March "
                "2020, sourced); 25-110 M (central ~70 M) delivered in 2023 (estimate)",
                "scenarios": DEMAND_SCENARIOS,
                "relocated": RELOCATED,
                "island_outlets": sorted(ISLAND_OUTLETS),
            },
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
        "  (status unverified), the rail bridge (under construction). 舟岱大桥 lands at",
        "  岱西 (双合) on 岱山 (bridges_curated.csv); its 舟山本岛 end `j_zhoudai_zs` is on the",
        "  island's north coast (position estimated). 大长涂 and 小长涂 are one road island",
        "  here (E-merged): the mask merges them and no bridge between them is listed, so",
        "  their roads stand for the crossing of 长涂港 (the island record says so).",
        "- Ferry departures: every F1 row of a crossing inside the network is a departure",
        f"  of a ferry record ({b.ferry_rows['kept']} of {b.ferry_rows['rows']} rows; the "
        f"other {b.ferry_rows['rows'] - b.ferry_rows['kept']} are listed with their reason",
        "  under 'F1 rows left out' below). Boat types as F1 states them (car-passenger",
        "  ferry, high-speed, speedboat); 庙子湖 06:30 + 08:45 (F4); 泗礁→嵊山 15:30 (F9).",
        "  Passenger fares: F1. Crossing minutes: F3 (庙子湖 ~130), F7 (泗礁–枸杞 ~90), F9",
        "  (泗礁–嵊山 ~60 by speedboat, 嵊山–枸杞 ~15); the others are ferries_curated.csv",
        "  estimates for the boat's class, else E-speed.",
        "- Carrier shares: ZTO 22.9 % (2023 annual results), YTO 15.6 %, Yunda 14.5 %,",
        "  STO 13.6 % (Aug 2023, derived) — cost_facts.csv.",
        "- Cost inputs (cost_facts.csv): gasoline 7.42 and diesel 7.08 yuan/L (Zhejiang,",
        "  2023-05); micro van 0.216 and light diesel truck 0.374 kg CO2/km (Cai et al.",
        "  2021); Zhejiang grid 0.4974 kg CO2/kWh (2023); courier pay levels.",
        "",
        "## Estimated or synthesized",
        "",
        "- **Demand** (E-demand). Zhoushan's own parcel volume was not found (cost_facts.csv).",
        f"  Derivation: the 2020 pilot plan's {PARCELS_PER_YEAR:,} parcels a year by 2025 (shared",
        f"  README) x {DELIVERED_SHARE} delivered in Zhoushan (the rest collected/outbound) =",
        f"  {ASSUMED_DELIVERED / 1e6:.0f} M delivered a year, x {VILLAGE_SHARE} to the 281 village",
        f"  stations / {WEEKS_PER_YEAR:.2f} weeks = **{WEEKLY_VILLAGE_PARCELS:,} parcels a week**, "
        "which the stations",
        f"  sum to exactly (~{WEEKLY_VILLAGE_PARCELS / 281:.0f} a village a week, "
        f"~{WEEKLY_VILLAGE_PARCELS / 281 / 6:.0f} a service day). Town seats",
        "  and streets are served by outlets, not village stations, so villages get a small",
        "  share. Cross-check: the sourced >40,000 deliveries a day city-wide in March 2020",
        "  (cost_facts.csv, China Daily) x 1.58 national growth to 2023 is ~63,000 a day;",
        f"  the village stations take {WEEKLY_VILLAGE_PARCELS / 6 / 63_000:.0%} of it. That may "
        "well be low:",
        "  cost_facts.csv estimates Zhoushan's 2023 deliveries at 25–110 M a year (central",
        "  ~70 M). **Sensitivity**: `islandroute.datasets.zhoushan(demand_scale=s)` scales every",
        "  village's demand and pickups (fleets unchanged: a stress test); the scenarios",
        "  against the 55 M assumed are "
        + ", ".join(f"{k} {v:g}" for k, v in DEMAND_SCENARIOS.items())
        + " (provenance `demand.scenarios`).",
        "  Split per village by a seeded weight 0.6–1.4 (from the village code;",
        f"  x{SMALL_ISLAND_WEIGHT} on small boat-only islands; x{RELOCATED_WEIGHT} for "
        "渔山村, whose 鱼山岛",
        "  residents were relocated for the petrochemical base), largest remainder to the",
        "  total; village populations are not published. Split per carrier by national",
        "  share (largest remainder): EMS 12 %, SF 7 %, J&T 11 % are estimates (not found),",
        "  renormalised with the sourced four.",
        "- **Small boat-only islands** (≤ 5 villages, no road or vehicle ferry: "
        + ", ".join(sorted(BOAT_ONLY_EMS))
        + "): all their parcels are",
        "  booked to China Post (ems), which by policy reaches every administrative",
        "  village and takes over other carriers' parcels there (post–express",
        "  cooperation) — an assumption; each has one EMS electric tricycle based on it.",
        "  Not so 枸杞 and 嵊山 ("
        + ", ".join(sorted(ISLAND_OUTLETS))
        + "): inhabited fishing and tourist townships, and Zhejiang has",
        "  courier outlets in all villages and townships (cost_facts.csv, 2018, sourced);",
        "  every carrier serves them from an outlet on the island with one electric",
        "  tricycle (estimate), its parcels brought by boat.",
        "- **Station coordinates** are not published (E-placement). On an island that one",
        "  town holds (衢山, 六横, 长涂, 桃花, 虾峙, 金塘, 朱家尖, ...) the villages are spread",
        "  over its land cells: each in code order takes the land cell farthest from those",
        "  already taken (starting from the town point, or from the villages a GeoNames",
        f"  point names), ties broken by a hash salted `{PLACEMENT_SEED}`, then a jitter of",
        f"  at most {JITTER_KM} km on land seeded by the code (`placement: spread`). On",
        "  舟山本岛 and 岱山岛 (several towns) a village is scattered within a few km of its",
        "  town point (`placement: town`); a village a GeoNames point names lies within",
        f"  {GEONAMES_RADIUS_KM} km of it (`placement: geonames`: "
        + ", ".join(b.notes["geonames_villages"])
        + "). Every position is on land inside its own island's outline",
        "  and on a land cell of that island. Town points of 千岛, 城东, 昌国, 环南 (Dinghai",
        "  city streets) are estimates.",
        '- **Island outlines**: union of 30" land-mask cells of the component at the',
        "  island's centre (4-connected), split between islands whose centres share one",
        "  component (e.g. 枸杞/嵊山), outer ring simplified (E-outline). Small islands",
        "  the mask does not single out take the unclaimed component within 4 km whose",
        "  area best matches theirs (E-outline: "
        + ", ".join(k for k, v in sorted(b.outline_kind.items()) if v == "E-outline" and k in SMALL)
        + "), else coastal cells of the neighbour the mask merges them with (E-outline-carved: "
        + ", ".join(k for k, v in sorted(b.outline_kind.items()) if v == "E-outline-carved")
        + "), else a disc of their area (E-outline-disc: "
        + (
            ", ".join(k for k, v in sorted(b.outline_kind.items()) if v == "E-outline-disc")
            or "none"
        )
        + "); their centres move onto that land.",
        "- **Piers, hubs, depots, bridge ends**: estimated positions moved onto land. The",
        "  1+1+N hubs: processing centre (Dinghai, 舟山本岛), cross-border centre (舟山本岛),",
        "  one county complex per county (定海, 普陀, 岱山 at 高亭, 嵊泗 at 菜园). The pickup",
        "  hand-in centres (kind `centre`) are set out under 两进一出 below.",
        "- **Roads**: per island, a minimum spanning tree plus each node's 3 nearest",
        "  neighbours (dropped when the midpoint is off the outline); km = great circle x",
        f"  {ROAD_DETOUR}, {ROAD_KMH:g} km/h; bridges and the tunnel at {BRIDGE_KMH:g} km/h.",
        "- **Timetables** F1 lacks: a return direction is the outbound boat turning round",
        "  (E-return: departure + crossing + 30 min); a line no timetable lists has an",
        "  estimated count spread from 06:30 so that its return lands by 18:30 (E-count).",
        "  Mon–Sat identical; Sunday every other departure (E-sunday). A departure landing",
        "  after the vans' shift (19:00) is named in the record's `note`.",
        "- **Boat class**: an F1 boat of unstated type is high-speed when its fare is at",
        "  least 1.5 yuan per straight km over 20 km or more and its pier pair lists no",
        "  high-speed boat of its own (E-class: 三江–泗礁 125 yuan for 71.9 km is the fast",
        "  boat, ~118 min, not the 206 min of a slow one); else conventional.",
        "- **Vehicle ferries**: 三江–衢山's car-passenger ferry is sourced (F1); the",
        "  unstated boats 墩头–桃花/虾峙/六横/六横蛟头, 高亭–长涂 and the 沈家湾–泗礁 line",
        "  are assumed to carry vehicles (E-vehicles; their names no longer say 车客渡).",
        "  Vehicle fares were not found: 6 passenger fares a van (E-fare-vehicle), else 4",
        "  yuan per straight km and at least 60. Parcel fare on passenger boats: 4 % of the",
        "  passenger fare, at least 0.5 yuan (E-fare-parcel), else 0.5 + 0.03 yuan/km. On",
        "  vehicle ferries fare_parcel is 0 (the van's fare covers its load).",
        "- **On every record** (ferries, islands, nodes, stations): `source` (a key of the",
        "  source or estimate lists below) and `estimated`; ferries carry the same for each",
        "  figure under `figures` (departures, sunday, minutes, vessel, vehicles,",
        "  passenger_fare, fare_vehicle, fare_parcel) and the F1 rows they hold (`f1_rows`).",
        "- **Depots and fleets**: each carrier has a depot in each county (Dinghai and",
        "  Putuo on 舟山本岛, Daishan on 岱山岛, Shengsi on 泗礁) and one on 六横 and on",
        "  衢山 (28 villages each: 三江–衢山's car ferry runs twice a day, ~2 h each way,",
        "  too few for a same-day round trip in a shift; 六横's is ~1.5 h each way, so",
        "  carriers keep vans on the island, though a Putuo van may also cross); EMS has",
        "  one on each small boat-only island, every carrier an outlet on 枸杞 and 嵊山;",
        "  the shared-operator vans run from town sorting points (1+1+N below). Van counts:",
        "  enough capacity for 1.6x the average daily load (1.8x on 六横/衢山, one van",
        "  for every 150 parcels of it there: the villages spread over the island), 2–4 vans",
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
        "  routes).",
        "- **Villages on other islands** (town_island_map.csv): "
        + ", ".join(b.notes["other_island"])
        + ". 登步岛's three committees 大岙, 竹东, 沙头 (filed under 沈家门街道 since 2008,",
        "  S20) lie on 登步岛, reached only by the 墩头–登步 boat (F1, 4 a day); 湖泥 is put",
        "  on 湖泥岛 by its name only (an estimate the map file flags: unverified), the",
        "  land-mask component south of 虾峙, reached by an estimated 虾峙–湖泥 boat.",
        "",
        *layout_md(net),
        *pickups_md(net, b),
        "## Ferry lines",
        "",
    ]
    lines_ += [f"- {n}" for n in b.notes["ferries"]]
    lines_ += ["", "## F1 rows left out", ""]
    lines_ += [
        f"- {d['from']}→{d['to']} ({d['vessel']}), {d['rows']} row(s) "
        f"{', '.join(d['departures'])}: {d['reason']}"
        for d in b.ferry_rows["dropped"]
    ]
    lines_ += ["", "## Bridges (roads with bridge: true)", ""]
    lines_ += [f"- {n}" for n in b.notes["bridges"]]
    lines_ += ["", "## Source key", ""]
    lines_ += [f"- {k}: {v}" for k, v in SOURCES.items()]
    lines_ += ["", "## Estimate key", ""]
    lines_ += [f"- {k}: {v}" for k, v in ESTIMATES.items()]
    return "\n".join(lines_) + "\n"


def layout_md(net: Network) -> list[str]:
    """The 1+1+N section of PROVENANCE.md: tiers, town sorting points and trunk flows."""
    lay = (net.model_extra or {})["layout"]
    out = [
        "## 1+1+N layout (E-trunk)",
        "",
        "As the pilot describes it: **1** processing centre (`h_processing` receives the",
        "trunk parcels, `c_processing` is its outbound dock where pickups are handed in),",
        "**1** cross-border centre (`h_crossborder`, `c_crossborder`: export hand-ins), **N**",
        f"= {len(lay['county_complexes'])} county complexes, and a town sorting point",
        "(`t_<town code>`, kind `depot`, `tier: town`, at the town's point) for each of the",
        f"{len(lay['town_points'])} towns with villages. Carriers' county depots stand at",
        "their complex; on 六横, 衢山, 枸杞, 嵊山 and the small boat-only islands the",
        "island depots are the town tier. The shared-operator (共配) vans run from the",
        "busiest town sorting points of each county (joint mode). Trunk: every service",
        "day the processing centre's hub sends each county's village parcels to its",
        "complex (a sixth of the week each, largest remainder; Sunday's arrivals ride",
        "Monday's trunk); the complex passes them to its town sorting points by road, or",
        "by boat at `rules.hub_dispatch` to the island depots (the planner's boat leg).",
        "",
        "| trunk to | link | per day (Mon–Sat) | week |",
        "|---|---|---|---|",
    ]
    for f in lay["trunk"]:
        per = "/".join(str(n) for n in f["parcels"].values())
        out.append(f"| `{f['to']}` | {f['link']} | {per} | {f['weekly']:,} |")
    out += ["", "| town point | town | island | villages | parcels/week | served from | link |"]
    out.append("|---|---|---|---|---|---|---|")
    for t in lay["town_points"]:
        out.append(
            f"| `{t['id']}` | {t['town']} | {t['island']} | {t['villages']} "
            f"| {t['weekly_parcels']:,} | {', '.join(t['served_from'])} "
            f"| {t['link_from_complex']} |"
        )
    out.append("")
    return out


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
