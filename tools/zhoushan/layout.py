"""Step 2, places and the 1+1+N layout: hubs, piers, bridge ends and bridges."""

from __future__ import annotations

from typing import Any

from islandroute.model.network import (
    Node,
)
from zhoushan.common import haversine_km

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
    ("p_dayangshan", "yangshan", 30.594, 122.077, "大洋山码头"),
    ("p_dengbu", "dengbu", 29.878, 122.298, "登步(鸡冠)码头"),
    ("p_huni", "huni", 29.705, 122.235, "湖泥码头"),
)

#: bridge-end junctions: id, island, lat, lon, name
JUNCTIONS: tuple[tuple[str, str, float, float, str], ...] = (
    ("j_cengang_w", "zhoushan", 30.068, 121.998, "岑港大桥东端"),
    ("j_lidiao", "lidiao", 30.060, 121.983, "里钓岛"),
    ("j_fuchi", "fuchi", 30.066, 121.963, "富翅岛"),
    ("j_fuchimen_e", "zhoushan", 30.078, 121.990, "富翅门大桥东端"),
    ("j_cezi", "cezi", 30.080, 121.940, "册子岛"),
    ("j_jintang_e", "jintang", 30.030, 121.900, "西堠门大桥西端"),
    ("j_zhoudai_zs", "zhoushan", 30.120, 122.045, "舟岱大桥南端(舟山本岛北岸, est.)"),
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
    ("j_zhoudai_zs", "j_changbai", None, "舟岱大桥 (south part)"),
    ("j_changbai", "j_daixi", None, "舟岱大桥 (north part)"),
    ("j_yushan_e", "j_yushan", 8.2, "鱼山大桥"),
    ("j_xiushan_n", "j_xiushan", 3.06, "秀山大桥"),
    ("j_zjj_w", "j_zjj", 2.907, "朱家尖海峡大桥"),
    ("j_shenjiamen_tunnel", "j_lujiazhi", 2.225, "鲁家峙大桥 + 普陀湾海底隧道"),
)
ZHOUDAI_KM = 25.7  # 舟岱大桥 total, split over its two parts by straight-line share


class PlaceSteps:
    """Adds nodes: hubs, piers and bridge ends."""

    def add_node(
        self,
        nid: str,
        kind: str,
        island: str,
        lat: float,
        lon: float,
        name: str,
        role: str | None = None,
        source: str = "E-coord",
        **extra: Any,
    ) -> Node:
        """A node with the provenance of its position (``source``, ``estimated``)."""
        assert nid not in self.nodes, nid
        node = Node(
            id=nid,
            kind=kind,
            island=island,
            lon=lon,
            lat=lat,
            name=name,
            role=role,
            source=source,
            estimated=source.startswith("E-"),
            **extra,
        )
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

    def _straight(self, a: str, b: str) -> float:
        na, nb = self.nodes[a], self.nodes[b]
        return haversine_km(na.lon, na.lat, nb.lon, nb.lat)
