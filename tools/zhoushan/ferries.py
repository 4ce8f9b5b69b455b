"""Step 4, ferries: the lines, their timetables, crossing minutes and fares."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from islandroute.model.network import (
    WEEK,
    Ferry,
)
from zhoushan.common import haversine_km, hhmm, read_csv


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
        "shenjiamen_dengbu",
        "p_shenjiamen",
        "p_dengbu",
        "墩头–登步",
        False,
        34,
        "ferries_curated conventional estimate",
        (("墩头", "登步", UNSPEC),),
        count=4,
        count_src="F1",
    ),
    Line("xiazhi_huni", "p_xiazhi", "p_huni", "虾峙–湖泥", False, None, "estimate", count=4),
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


def synth_times(count: int) -> list[int]:
    """``count`` departures spread evenly over 06:30..17:30, on 5-minute marks."""
    if count <= 1:
        return [720]
    step = (LAST_DEP - FIRST_DEP) / (count - 1)
    return [int(round((FIRST_DEP + k * step) / 5) * 5) for k in range(count)]


def _reverse_name(name: str) -> str:
    head, _, tail = name.partition(" ")
    a, _, b = head.partition("–")
    return f"{b}–{a}" + (f" {tail}" if tail else "")


class FerrySteps:
    """Builds both directions of every ferry line."""

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
