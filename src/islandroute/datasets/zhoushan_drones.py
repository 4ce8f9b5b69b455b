"""Candidate drone bases and drones for the built-in Zhoushan network, read from the
shipped ``data/zhoushan/drones.json``; every figure's source (or estimate) is in
``data/zhoushan/DRONES.md``.

>>> from islandroute.datasets.zhoushan_drones import zhoushan_with_drones
>>> len([v for v in zhoushan_with_drones().vehicles if v.is_drone])
6
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from islandroute.errors import NetworkError, Problem
from islandroute.model.network import Network, Vehicle

__all__ = ["drone_provenance_text", "zhoushan_drone_fleet", "zhoushan_with_drones"]

DRONES_FILE = "data/zhoushan/drones.json"
DRONES_FORMAT = "islandroute.drones/1"
MODEL_FIELDS = (
    "capacity",
    "range_km",
    "speed_kmh",
    "load_minutes",
    "flights_per_day",
    "shift",
    "cost_week",
    "cost_per_km",
    "cost_per_hour",
    "cost_fixed",
    "co2_per_km",
)


def _document() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(files("islandroute").joinpath(DRONES_FILE).read_text("utf-8"))
    if doc.get("format") != DRONES_FORMAT:
        raise NetworkError([Problem("drones.json", "format", f"expected {DRONES_FORMAT!r}")])
    return doc


def zhoushan_drone_fleet(net: Network | None = None) -> tuple[Vehicle, ...]:
    """The Zhoushan drones (shared, ``carrier`` None), each at a base node of ``net``."""
    doc = _document()
    nodes = None if net is None else net.node_by_id
    out = []
    for d in doc["drones"]:
        model = doc["models"][d["model"]]
        if nodes is not None and d["base"] not in nodes:
            raise NetworkError(
                [Problem(f"drone {d['id']!r}", "base", f"unknown node {d['base']!r}")]
            )
        values = {f: model[f]["value"] for f in MODEL_FIELDS}
        values["shift"] = tuple(values["shift"])
        out.append(
            Vehicle(
                id=d["id"], carrier=None, depot=d["base"], kind="drone", electric=True, **values
            )
        )
    return tuple(out)


def drones_at(bases: Sequence[str], model: str = "multirotor") -> tuple[Vehicle, ...]:
    """One shared drone of a Zhoushan ``model`` (``multirotor`` or ``vtol``, figures as
    estimated in DRONES.md) at each base node: for scenarios on any network."""
    doc = _document()
    if model not in doc["models"]:
        raise NetworkError([Problem("drones_at", "model", f"unknown drone model {model!r}")])
    values = {f: doc["models"][model][f]["value"] for f in MODEL_FIELDS}
    values["shift"] = tuple(values["shift"])
    return tuple(
        Vehicle(
            id=f"drone_{model}_{base}",
            carrier=None,
            depot=base,
            kind="drone",
            electric=True,
            **values,
        )
        for base in bases
    )


def with_drones_at_complexes(net: Network, model: str = "multirotor") -> Network:
    """``net`` with a drone of ``model`` at each county complex (at the first hub when it
    has none): a drone scenario for any network."""
    bases = [n.id for n in net.nodes if n.role == "county_complex"] or [
        n.id for n in net.nodes if n.kind == "hub"
    ][:1]
    if not bases:
        raise NetworkError([Problem(f"network {net.name!r}", "nodes", "no hub to base a drone at")])
    return net.replace(vehicles=[*net.vehicles, *drones_at(bases, model)])


def zhoushan_with_drones(net: Network | None = None) -> Network:
    """The Zhoushan network (or ``net``) with the Zhoushan drones added to its fleet."""
    if net is None:
        from islandroute.datasets.zhoushan import zhoushan

        net = zhoushan()
    return net.replace(vehicles=[*net.vehicles, *zhoushan_drone_fleet(net)])


def drone_provenance_text() -> str:
    """The drone figures' provenance (Markdown)."""
    return files("islandroute").joinpath("data/zhoushan/DRONES.md").read_text("utf-8")
