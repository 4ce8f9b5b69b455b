"""Step 4, ferries: every in-scope F1 timetable row, crossing minutes, vehicles and fares.

Each F1 row (ferry_departures_F1.csv) either becomes a departure of a ferry record or is
listed as dropped with its reason; every figure of a record carries its ``source`` (a key
of PROVENANCE.md) and whether it is ``estimated``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from islandroute.model.network import WEEK, Ferry
from zhoushan.common import first_number, haversine_km, hhmm, read_csv
from zhoushan.vehicles import VAN_SHIFT

F1Key = tuple[str, str, str]  # (from_pier, to_pier, vessel) as F1 writes them
UNSPEC = "unspecified"
CAR_FERRY = "car-passenger ferry"
FAST_VESSELS = frozenset({"high-speed", "speedboat"})

CONVENTIONAL_KMH = 22.0  # ferries_curated.csv's conventional estimate
HIGH_SPEED_KMH = 40.0  # ferries_curated.csv's high-speed estimate
BERTH_MINUTES = 10.0  # added to every estimated crossing
TURNAROUND = 30  # minutes a boat lies at the far pier before it returns (E-return)
FIRST_DEP = 390  # 06:30, first estimated departure (E-count)
LATEST_LANDING = 1110  # 18:30, last estimated landing (E-count)
FAST_FARE_PER_KM = 1.5  # yuan per straight km from which an unstated boat is high-speed
FAST_MIN_KM = 20.0  # ... on crossings at least this long (short ones have a base fare)
PARCEL_FARE_SHARE = 0.04  # fare per parcel as a share of the passenger fare (E-fare-parcel)
MIN_PARCEL_FARE = 0.5
VAN_FARE_PASSENGERS = 6  # fare per van in passenger fares (E-fare-vehicle)

#: F1 pier names → network piers.
F1_PIER = {
    "三江": "p_sanjiang",
    "大衢(衢山)": "p_qushan",
    "衢山": "p_qushan",
    "高亭": "p_gaoting",
    "长涂": "p_changtu",
    "墩头": "p_shenjiamen",
    "桃花": "p_taohua",
    "虾峙": "p_xiazhi",
    "虾峙黄石": "p_xiazhi",
    "虾峙栅棚": "p_xiazhi",
    "六横": "p_liuheng",
    "六横蛟头": "p_liuheng",
    "蚂蚁": "p_mayi",
    "佛渡": "p_fodu",
    "登步": "p_dengbu",
    "嵊山": "p_shengshan",
    "泗礁": "p_sijiao",
    "洋山": "p_shenjiawan",
    "大洋山": "p_dayangshan",
    "官山大峧": "p_guanshan",  # one boat calling at 官山 and 大峧山: two lines here
}

#: F1 piers outside the network, and why their rows are dropped.
F1_OUT_OF_SCOPE = {
    "上海南浦大桥": "mainland (Shanghai): outside the network",
    "上海": "mainland (Shanghai): outside the network",
    "新城": "destination not identified (no island pier of that name; fare 32 yuan as "
    "三江–长涂): not modelled",
    "渔山": "大鱼山 (鱼山岛) is joined to 岱山 by the 鱼山大桥 since 2018-12-31 (S12) and its "
    "residents were relocated for the petrochemical base (islands_curated.csv): superseded",
    "秀山": "秀山 is bridged to 岱山 (秀山大桥, S13) and on by the 舟岱大桥 to 舟山本岛 (S11)",
    "秀北(秀山)": "秀北 is on 秀山, bridged to 岱山 (秀山大桥, S13) and on to 舟山本岛 (S11)",
}

#: F1 pier pairs both in the network but joined by road since the timetable was written.
F1_BRIDGED = {
    frozenset({"三江", "高亭"}): "三江 (舟山本岛) and 高亭 (岱山) are joined by the 舟岱大桥 "
    "since 2021-12-29 (S11); the timetable predates it",
}

#: ferries_curated.csv place names → network piers.
CURATED_PIER = {
    "Sanjiang": "p_sanjiang",
    "Gaoting": "p_gaoting",
    "Changtu": "p_changtu",
    "Qushan": "p_qushan",
    "Sijiao": "p_sijiao",
    "Xiaoyangshan/Shenjiawan": "p_shenjiawan",
    "Duntou/Shenjiamen": "p_shenjiamen",
    "Banshengdong/Shenjiamen": "p_shenjiamen",
    "Taohua": "p_taohua",
    "Liuheng": "p_liuheng",
    "Xiazhi": "p_xiazhi",
    "Dengbu": "p_dengbu",
    "Mayi": "p_mayi",
    "Fodu": "p_fodu",
    "Shengshan": "p_shengshan",
    "Miaozihu": "p_dongji",
    "Gouqi": "p_gouqi",
    "Wugongzhi": "p_zhujiajian",
}

#: Sourced crossing minutes that hold for one class of boat only: (pier, pier) → class.
SOURCED_MINUTES_CLASS = {
    frozenset({"p_shenjiawan", "p_sijiao"}): "high-speed",  # F7's ~50 min is the fast boat
}


# ---- ferry lines -----------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One ferry line (both directions): its F1 rows, or what stands in for them."""

    id: str
    a: str
    b: str
    name: str
    f1_ab: tuple[F1Key, ...] = ()
    f1_ba: tuple[F1Key, ...] = ()
    vehicles: bool = False  # assumed for unstated boats (E-vehicles); F1 types decide else
    fast: bool = False  # a high-speed boat where no F1 row says (F9 speedboat)
    times_ab: tuple[int, ...] = ()  # sourced departures a→b outside F1
    times_src: str = ""
    count: int | None = None  # departures a day when no timetable lists any (E-count)


LINES: tuple[Line, ...] = (
    Line(
        "sanjiang_qushan_car",
        "p_sanjiang",
        "p_qushan",
        "三江–衢山 车客渡",
        (("三江", "大衢(衢山)", CAR_FERRY),),
    ),
    Line(
        "sanjiang_qushan_fast",
        "p_sanjiang",
        "p_qushan",
        "三江–衢山 高速客船",
        (("三江", "大衢(衢山)", "high-speed"),),
    ),
    Line("gaoting_qushan", "p_gaoting", "p_qushan", "高亭–衢山", (("高亭", "衢山", UNSPEC),)),
    Line(
        "gaoting_changtu",
        "p_gaoting",
        "p_changtu",
        "高亭–长涂",
        (("高亭", "长涂", UNSPEC),),
        vehicles=True,
    ),
    Line("sanjiang_changtu", "p_sanjiang", "p_changtu", "三江–长涂", (("三江", "长涂", UNSPEC),)),
    Line(
        "sanjiang_changtu_fast",
        "p_sanjiang",
        "p_changtu",
        "三江–长涂 高速客船",
        (("三江", "长涂", "high-speed"),),
    ),
    Line(
        "shenjiamen_taohua_car",
        "p_shenjiamen",
        "p_taohua",
        "墩头–桃花",
        (("墩头", "桃花", UNSPEC),),
        vehicles=True,
    ),
    Line(
        "shenjiamen_taohua_fast",
        "p_shenjiamen",
        "p_taohua",
        "墩头–桃花 快艇",
        (("墩头", "桃花", "speedboat"),),
    ),
    Line(
        "shenjiamen_xiazhi_car",
        "p_shenjiamen",
        "p_xiazhi",
        "墩头–虾峙",
        (("墩头", "虾峙", UNSPEC), ("墩头", "虾峙黄石", UNSPEC), ("墩头", "虾峙栅棚", UNSPEC)),
        vehicles=True,
    ),
    Line(
        "shenjiamen_liuheng_car",
        "p_shenjiamen",
        "p_liuheng",
        "墩头–六横",
        (("墩头", "六横", UNSPEC),),
        vehicles=True,
    ),
    Line(
        "shenjiamen_jiaotou_car",
        "p_shenjiamen",
        "p_liuheng",
        "墩头–六横蛟头",
        (("墩头", "六横蛟头", UNSPEC),),
        vehicles=True,
    ),
    Line(
        "shenjiamen_liuheng_fast",
        "p_shenjiamen",
        "p_liuheng",
        "墩头–六横蛟头 快艇",
        (("墩头", "六横蛟头", "speedboat"),),
    ),
    Line("shenjiamen_mayi", "p_shenjiamen", "p_mayi", "墩头–蚂蚁", (("墩头", "蚂蚁", UNSPEC),)),
    Line("shenjiamen_fodu", "p_shenjiamen", "p_fodu", "墩头–佛渡", (("墩头", "佛渡", UNSPEC),)),
    Line("shenjiamen_dengbu", "p_shenjiamen", "p_dengbu", "墩头–登步", (("墩头", "登步", UNSPEC),)),
    Line(
        "shenjiamen_shengshan",
        "p_shenjiamen",
        "p_shengshan",
        "墩头–嵊山",
        (("墩头", "嵊山", UNSPEC),),
    ),
    Line(
        "shenjiamen_dongji",
        "p_shenjiamen",
        "p_dongji",
        "半升洞–庙子湖(东极)",
        times_ab=(390, 525),
        times_src="F4",
    ),
    Line(
        "sanjiang_sijiao",
        "p_sanjiang",
        "p_sijiao",
        "三江–泗礁",
        (("三江", "泗礁", UNSPEC),),
        (("泗礁", "三江", UNSPEC),),
    ),
    Line(
        "gaoting_sijiao",
        "p_gaoting",
        "p_sijiao",
        "高亭–泗礁",
        (("高亭", "泗礁", UNSPEC),),
        (("泗礁", "高亭", UNSPEC),),
    ),
    Line("qushan_sijiao", "p_qushan", "p_sijiao", "衢山–泗礁", (), (("泗礁", "衢山", UNSPEC),)),
    Line(
        "sanjiang_yangshan", "p_sanjiang", "p_shenjiawan", "三江–洋山", (("三江", "洋山", UNSPEC),)
    ),
    Line(
        "sijiao_dayangshan",
        "p_sijiao",
        "p_dayangshan",
        "泗礁–大洋山",
        (("泗礁", "大洋山", UNSPEC),),
    ),
    Line(
        "gaoting_guanshan", "p_gaoting", "p_guanshan", "高亭–官山", (("高亭", "官山大峧", UNSPEC),)
    ),
    Line(
        "gaoting_dajiaoshan",
        "p_gaoting",
        "p_dajiaoshan",
        "高亭–大峧山",
        (("高亭", "官山大峧", UNSPEC),),
    ),
    Line(
        "shenjiawan_sijiao_car", "p_shenjiawan", "p_sijiao", "沈家湾–泗礁", vehicles=True, count=4
    ),
    Line("sijiao_gouqi", "p_sijiao", "p_gouqi", "泗礁–枸杞", count=3),
    Line(
        "sijiao_shengshan",
        "p_sijiao",
        "p_shengshan",
        "泗礁–嵊山 快艇",
        fast=True,
        times_ab=(930,),
        times_src="F9",
    ),
    Line("shengshan_gouqi", "p_shengshan", "p_gouqi", "嵊山–枸杞", count=4),
    Line("shengshan_bixia", "p_shengshan", "p_bixia", "嵊山–壁下", count=3),
    Line("sijiao_huaniao", "p_sijiao", "p_huaniao", "泗礁(小菜园)–花鸟", count=2),
    Line("sijiao_huanglong", "p_sijiao", "p_huanglong", "泗礁–黄龙", count=4),
    Line("sijiao_lvhua", "p_sijiao", "p_lvhua", "泗礁–绿华", count=2),
    Line("qushan_shulanghu", "p_qushan", "p_shulanghu", "衢山–鼠浪湖", count=3),
    Line("qushan_huangzeshan", "p_qushan", "p_huangzeshan", "衢山–黄泽山", count=3),
    Line("dinghai_panzhi", "p_dinghai", "p_panzhi", "定海–盘峙", count=6),
    Line("dinghai_damao", "p_dinghai", "p_damao", "定海–大猫", count=4),
    Line("shenjiamen_mazhi", "p_shenjiamen", "p_mazhi", "沈家门–马峙", count=4),
    Line("liuheng_xuanshan", "p_liuheng", "p_xuanshan", "六横–悬山", count=4),
    Line("zhujiajian_baisha", "p_zhujiajian", "p_baisha", "朱家尖(五公峙)–白沙", count=4),
    Line("xiazhi_huni", "p_xiazhi", "p_huni", "虾峙–湖泥", count=4),
)


def _reverse_name(name: str) -> str:
    head, _, tail = name.partition(" ")
    a, _, b = head.partition("–")
    return f"{b}–{a}" + (f" {tail}" if tail else "")


def _place(name: str) -> str:
    """A ferries_curated.csv place without its parenthesised note."""
    return re.sub(r"\(.*?\)", "", name).strip()


def curated_rows(data: Path) -> dict[frozenset[str], dict[str, str]]:
    """ferries_curated.csv rows by their pair of network piers (rows off the network left out)."""
    out = {}
    for r in read_csv(data / "ferries_curated.csv"):
        a, b = CURATED_PIER.get(_place(r["from"])), CURATED_PIER.get(_place(r["to"]))
        if a and b:
            out[frozenset({a, b})] = r
    return out


def fig(source: str, estimated: bool, **extra: Any) -> dict[str, Any]:
    """One figure's provenance: a key of PROVENANCE.md and whether it is an estimate."""
    return {"source": source, "estimated": estimated, **extra}


def mirror(times: list[int], minutes: float) -> list[int]:
    """The other direction of a boat that turns round at the far pier (E-return)."""
    return sorted(
        {t + round(minutes) + TURNAROUND for t in times if t + minutes + TURNAROUND < 1440}
    )


def spread(count: int, minutes: float) -> list[int]:
    """``count`` departures on 5-minute marks from 06:30, the last landing by 18:30."""
    last = max(FIRST_DEP, LATEST_LANDING - minutes - (minutes + TURNAROUND))
    if count <= 1:
        return [int(round((FIRST_DEP + last) / 2 / 5) * 5)]
    step = (last - FIRST_DEP) / (count - 1)
    return [int(round((FIRST_DEP + k * step) / 5) * 5) for k in range(count)]


class FerrySteps:
    """Builds both directions of every ferry line, and the list of F1 rows left out."""

    def build_ferries(self) -> None:
        """Every line's two records, with the provenance of each figure on the record."""
        f1 = read_csv(self.data / "ferry_departures_F1.csv")
        groups: dict[F1Key, list[dict[str, str]]] = defaultdict(list)
        for r in f1:
            groups[(r["from_pier"], r["to_pier"], r["vessel"])].append(r)
        curated = curated_rows(self.data)
        used: set[F1Key] = set()
        for line in LINES:
            used |= set(line.f1_ab) | set(line.f1_ba)
            self.ferries.extend(self.line_records(line, groups, curated))
        self.ferry_rows = self.f1_ledger(groups, used)

    def f1_ledger(
        self, groups: dict[F1Key, list[dict[str, str]]], used: set[F1Key]
    ) -> dict[str, Any]:
        """Each F1 row kept or dropped with its reason; fails on an in-scope row left out."""
        dropped = []
        kept = 0
        for key in sorted(groups):
            frm, to, vessel = key
            rows = groups[key]
            reason = next(
                (F1_OUT_OF_SCOPE[p] for p in (frm, to) if p in F1_OUT_OF_SCOPE),
                F1_BRIDGED.get(frozenset({frm, to})),
            )
            if reason is None:
                assert frm in F1_PIER and to in F1_PIER, key
                assert key in used, f"F1 rows {key} are in scope but no line takes them"
                kept += len(rows)
                continue
            assert key not in used, key
            dropped.append(
                {
                    "from": frm,
                    "to": to,
                    "vessel": vessel,
                    "departures": [r["departure"] for r in rows],
                    "rows": len(rows),
                    "reason": reason,
                }
            )
        total = sum(len(r) for r in groups.values())
        assert kept + sum(d["rows"] for d in dropped) == total
        return {"source": "F1", "rows": total, "kept": kept, "dropped": dropped}

    def line_class(
        self, line: Line, groups: dict[F1Key, list[dict[str, str]]], km: float
    ) -> tuple[str, dict[str, Any]]:
        """conventional, high-speed or car-passenger ferry, and where that comes from."""
        vessels = {k[2] for k in line.f1_ab + line.f1_ba}
        if CAR_FERRY in vessels:
            return CAR_FERRY, fig("F1", False)
        if vessels & FAST_VESSELS:
            return "high-speed", fig("F1", False)
        if line.fast:
            return "high-speed", fig(line.times_src or "F9", False)
        if not vessels:
            return "conventional", fig("E-class", True)
        pairs = {frozenset(k[:2]) for k in line.f1_ab + line.f1_ba}
        fast_sibling = any(frozenset(k[:2]) in pairs and k[2] in FAST_VESSELS for k in groups)
        fares = [
            first_number(r["passenger_fare_yuan"])
            for k in line.f1_ab + line.f1_ba
            for r in groups[k]
        ]
        fare = max((f for f in fares if f), default=None)
        if not fast_sibling and fare and km >= FAST_MIN_KM and fare / km >= FAST_FARE_PER_KM:
            return "high-speed", fig("E-class", True, fare_per_km=round(fare / km, 2))
        return "conventional", fig("E-class", True)

    def line_minutes(
        self, line: Line, vessel: str, km: float, curated: dict[frozenset[str], dict[str, str]]
    ) -> tuple[float, dict[str, Any]]:
        """Crossing minutes: sourced where found for this class of boat, else estimated."""
        fast = vessel == "high-speed"
        row = curated.get(frozenset({line.a, line.b}))
        if row and row["minutes_sourced"]:
            only = SOURCED_MINUTES_CLASS.get(frozenset({line.a, line.b}))
            text = row["minutes_sourced"]
            if "speedboat" in text or "fast" in text:
                only = "high-speed"
            if only is None or only == vessel:
                minutes = first_number(text)
                assert minutes is not None
                return minutes, fig(row["minutes_source"].split()[0], False)
        if row:
            col = "minutes_estimate_highspeed" if fast else "minutes_estimate_conventional"
            return float(row[col]), fig("ferries_curated", True)
        kmh = HIGH_SPEED_KMH if fast else CONVENTIONAL_KMH
        return float(round(km / kmh * 60 + BERTH_MINUTES)), fig("E-speed", True)

    def line_records(
        self,
        line: Line,
        groups: dict[F1Key, list[dict[str, str]]],
        curated: dict[frozenset[str], dict[str, str]],
    ) -> list[Ferry]:
        """The two one-way records of a line."""
        a, b = self.nodes[line.a], self.nodes[line.b]
        row = curated.get(frozenset({line.a, line.b}))
        km = float(row["straight_km_est"]) if row else haversine_km(a.lon, a.lat, b.lon, b.lat)
        vessel, vessel_fig = self.line_class(line, groups, km)
        minutes, minutes_fig = self.line_minutes(line, vessel, km, curated)
        assert not (line.vehicles and vessel == "high-speed"), line.id
        if vessel == CAR_FERRY:
            vehicles, vehicles_fig = True, fig("F1", False)
        elif line.vehicles:
            vehicles, vehicles_fig = True, fig("E-vehicles", True)
        elif vessel_fig["source"] in ("F1", "F9"):
            vehicles, vehicles_fig = False, fig(vessel_fig["source"], False)
        else:
            vehicles, vehicles_fig = False, fig("E-vehicles", True, note="a passenger boat")
        times: list[list[int]] = []
        figs: list[dict[str, Any]] = []
        fares: list[float | None] = []
        for keys in (line.f1_ab, line.f1_ba):
            rows = [r for k in keys for r in groups[k]]
            times.append(sorted({hhmm(r["departure"]) for r in rows}))
            figs.append(fig("F1", False, rows=len(rows)) if rows else {})
            known = [first_number(r["passenger_fare_yuan"]) for r in rows]
            fares.append(max((f for f in known if f), default=None))
        if not times[0] and line.times_ab:
            times[0], figs[0] = list(line.times_ab), fig(line.times_src, False)
        if not times[0] and not times[1]:
            times[0], figs[0] = (
                spread(line.count or 4, minutes),
                fig("E-count", True, count=line.count or 4),
            )
        for d in (0, 1):
            if not times[d]:
                times[d], figs[d] = mirror(times[1 - d], minutes), fig("E-return", True)
        out = []
        for d, (frm, to) in enumerate(((line.a, line.b), (line.b, line.a))):
            weekday = tuple(times[d])
            sunday = weekday[::2]
            fare = fares[d] if fares[d] is not None else fares[1 - d]
            fare_fig = (
                fig("F1", fares[d] is None, value=fare) if fare else fig("F1", True, value=None)
            )
            if vehicles:
                fare_v = (
                    float(round(VAN_FARE_PASSENGERS * fare)) if fare else max(60.0, round(4.0 * km))
                )
                fare_p = 0.0
                fare_v_fig, fare_p_fig = (
                    fig("E-fare-vehicle", True),
                    fig("E-fare-parcel", False, note="the van's fare covers its load"),
                )
            else:
                fare_v = 0.0
                fare_p = (
                    max(MIN_PARCEL_FARE, round(PARCEL_FARE_SHARE * fare, 1))
                    if fare
                    else round(0.5 + 0.03 * km, 1)
                )
                fare_v_fig, fare_p_fig = (
                    fig("E-vehicles", False, note="no vehicles"),
                    fig("E-fare-parcel", True),
                )
            late = [t for t in weekday if t + minutes > VAN_SHIFT[1]]
            figures = {
                "departures": figs[d],
                "sunday": fig("E-sunday", True),
                "minutes": minutes_fig,
                "vessel": vessel_fig,
                "vehicles": vehicles_fig,
                "passenger_fare": fare_fig,
                "fare_vehicle": fare_v_fig,
                "fare_parcel": fare_p_fig,
            }
            fid = f"f_{line.id}" + ("" if d == 0 else "_r")
            name = line.name if d == 0 else _reverse_name(line.name)
            extra: dict[str, Any] = {
                "source": figs[d]["source"],
                "estimated": any(f["estimated"] for f in figures.values()),
                "vessel": vessel,
                "passenger_fare": fare,
                "figures": figures,
                "f1_rows": ["|".join(k) for k in (line.f1_ab, line.f1_ba)[d]],
            }
            if late:
                extra["note"] = (
                    "lands after the vans' shift ends (19:00): "
                    + ", ".join(f"{t // 60:02d}:{t % 60:02d}" for t in late)
                    + "; no van can take it"
                )
            out.append(
                Ferry(
                    id=fid,
                    **{"from": frm},
                    to=to,
                    minutes=minutes,
                    vehicles=vehicles,
                    departures={day: weekday for day in WEEK[:6]} | {"sun": sunday},
                    fare_vehicle=fare_v,
                    fare_parcel=fare_p,
                    name=name,
                    **extra,
                )
            )
            self.notes["ferries"].append(
                f"`{fid}` {name}: {vessel} ({vessel_fig['source']}); {len(weekday)} departure(s) "
                f"Mon–Sat ({figs[d]['source']}), {len(sunday)} on Sunday (E-sunday); "
                f"{minutes:g} min ({minutes_fig['source']}); vehicles={str(vehicles).lower()} "
                f"({vehicles_fig['source']}); passenger fare "
                + (f"{fare:g} yuan (F1" if fare else "not found")
                + (", the other direction's)" if fare and fares[d] is None else ")" if fare else "")
                + (f"; fare_vehicle {fare_v:g} yuan (E-fare-vehicle)" if vehicles else "")
                + (f"; fare_parcel {fare_p:g} yuan (E-fare-parcel)" if not vehicles else "")
                + (f"; note: {extra['note']}" if late else "")
            )
        return out
