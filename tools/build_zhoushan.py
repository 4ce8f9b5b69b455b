"""Build islandroute's built-in Zhoushan network from the sourced reference CSVs.

Reads ``/work/shared/data/zhoushan/*.csv`` (or ``--data DIR``) and writes
``src/islandroute/data/zhoushan/network.json`` and ``PROVENANCE.md``. Deterministic:
every synthesized coordinate comes from a generator seeded by a village code or a
fixed name, so two runs give identical bytes. global-land-mask (30 arc-second land
cells) is used here only, to draw coarse island outlines and keep stations on land;
the package reads the shipped JSON and needs neither the CSVs nor the mask.

Besides the villages' deliveries it sets out 两进一出 (spec 1.1): the processing and
cross-border centres where pickups are handed in, the 舟山国际水产城 cold park and the 金塘
screw park, refrigerated trucks and village pickups; every such figure carries its status
and reasoning into both outputs, and the build fails unless each park's carriers can meet
its window, its centre's cut-off and the ride limit on the network's road times. New
sites join by one dead-end road each, so every existing road and travel time is kept.

The steps live in ``tools/zhoushan/`` (islands, layout, villages, ferries, demand,
fleet, roads, pickups, provenance; ``builder`` runs them in order). Usage::

    python tools/build_zhoushan.py [--data DIR] [--out DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from zhoushan.builder import DATA, OUT, Builder, build, main

__all__ = ["DATA", "OUT", "Builder", "build", "main"]

if __name__ == "__main__":
    main()
