"""The network as a networkx MultiDiGraph (roads both ways, ferries one way each), and
its road-connected zones."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from islandroute.model.network import Network


def network_graph(net: Network) -> nx.MultiDiGraph:
    """Nodes carry their model attributes; edges carry ``mode`` ("road" or "ferry").

    A road gives two edges keyed ``"road"``; a ferry gives one edge keyed by its id
    with its ``minutes``, ``vehicles`` and ``departures``.
    """
    g = nx.MultiDiGraph(name=net.name, days=net.days)
    for n in net.nodes:
        g.add_node(n.id, **n.model_dump(exclude={"id"}))
    for s in net.stations:
        g.nodes[s.node]["station"] = s
    for r in net.roads:
        attrs = {"mode": "road", "km": r.km, "minutes": r.minutes, "bridge": r.bridge}
        g.add_edge(r.a, r.b, key="road", **attrs)
        g.add_edge(r.b, r.a, key="road", **attrs)
    for f in net.ferries:
        g.add_edge(
            f.from_,
            f.to,
            key=f.id,
            mode="ferry",
            ferry=f.id,
            km=0.0,
            minutes=f.minutes,
            vehicles=f.vehicles,
            departures=f.departures,
        )
    return g


def road_zones(net: Network) -> dict[str, int]:
    """Each node's road-connected zone (islands joined by bridges share one), numbered
    in the order of the zones' sorted root ids."""
    parent = {n.id: n.id for n in net.nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in net.roads:
        parent[find(r.a)] = find(r.b)
    roots = sorted({find(n) for n in parent})
    index = {r: k for k, r in enumerate(roots)}
    return {n: index[find(n)] for n in parent}
