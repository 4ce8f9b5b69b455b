"""Step 8, 两进一出: centres, parks, pickups and the deadline check."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from islandroute.model.network import (
    Network,
    Road,
    Station,
)
from zhoushan.common import ROAD_DETOUR, ROAD_KMH, SOURCES, haversine_km
from zhoushan.demand import CARRIERS, VILLAGE_PICKUP_SHARE
from zhoushan.vehicles import REEFER_BASE, REEFER_TRUCK, SERVICE_MINUTES

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


class PickupSteps:
    """Adds the centres and parks and states their figures."""

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
                    source="E-pickup",
                    estimated=True,
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
