"""The built-in Zhoushan network: 281 village stations on the archipelago's islands.

Read once from the shipped exchange document (``islandroute/data/zhoushan``), built by
``tools/build_zhoushan.py`` from sourced facts; what is sourced and what is estimated is
in ``PROVENANCE.md`` beside it and in ``Network.provenance``.

Example
-------
>>> from islandroute.datasets import zhoushan
>>> len(zhoushan().stations)
281
"""

from __future__ import annotations

import math
from functools import cache
from importlib.resources import files

from islandroute.model.network import Network, Station

__all__ = ["provenance_text", "zhoushan"]


@cache
def zhoushan(demand_scale: float = 1.0) -> Network:
    """The Zhoushan network (cached: the model is immutable, so one copy serves all).

    ``demand_scale`` multiplies every village's weekly demand and pickups (a sensitivity
    scenario, see ``provenance["demand"]["scenarios"]``); fleets stay as built.
    """
    if not 0 < demand_scale <= MAX_DEMAND_SCALE:
        raise ValueError(f"demand_scale {demand_scale} is not in (0, {MAX_DEMAND_SCALE}]")
    text = files("islandroute").joinpath("data/zhoushan/network.json").read_text("utf-8")
    net = Network.from_json(text)
    if demand_scale == 1.0:
        return net
    stations = tuple(
        _scaled(s, demand_scale) if s.node.startswith("v") else s for s in net.stations
    )
    provenance = dict(net.provenance or {})
    provenance["demand"] = {**provenance.get("demand", {}), "scale": demand_scale}
    return net.replace(stations=stations, provenance=provenance)


#: The largest demand multiplier accepted (the high scenario is about 2).
MAX_DEMAND_SCALE = 10.0


def _scaled(station: Station, scale: float) -> Station:
    """A village station with its demand and pickups scaled (at least one parcel kept)."""

    def scale_counts(counts: dict[str, int], keep_one: bool) -> dict[str, int]:
        target = round(sum(counts.values()) * scale)
        if keep_one:
            target = max(1, target)
        raw = {c: n * scale for c, n in counts.items()}
        out = {c: math.floor(x) for c, x in raw.items()}
        for c in sorted(raw, key=lambda c: (out[c] - raw[c], c))[: target - sum(out.values())]:
            out[c] += 1
        return {c: n for c, n in out.items() if n > 0}

    return station.model_copy(
        update={
            "demand": scale_counts(dict(station.demand), True),
            "pickup": scale_counts(dict(station.pickup), False),
        }
    )


def provenance_text() -> str:
    """The PROVENANCE.md document: every figure, its source key or its assumption."""
    return files("islandroute").joinpath("data/zhoushan/PROVENANCE.md").read_text("utf-8")
