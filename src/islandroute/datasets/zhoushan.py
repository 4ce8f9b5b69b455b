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

from functools import cache
from importlib.resources import files

from islandroute.model.network import Network

__all__ = ["provenance_text", "zhoushan"]


@cache
def zhoushan() -> Network:
    """The Zhoushan network (cached: the model is immutable, so one copy serves all)."""
    text = files("islandroute").joinpath("data/zhoushan/network.json").read_text("utf-8")
    return Network.from_json(text)


def provenance_text() -> str:
    """The PROVENANCE.md document: every figure, its source key or its assumption."""
    return files("islandroute").joinpath("data/zhoushan/PROVENANCE.md").read_text("utf-8")
