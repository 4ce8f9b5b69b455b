"""Networks by name: a JSON file, ``zhoushan`` (built in) or ``synthetic:...`` (generated).

One reading of a network spec for the command line's ``--network``, notebooks and
scripts: ``load_network("zhoushan")`` (``"zhoushan-drones"``: with its drone fleet),
``load_network("net.json")``,
``load_network("synthetic:100:3:7:parks=2,pickups=0.05,cold=1,deadlines=1")``.
"""

from __future__ import annotations

import os
from typing import Any

from islandroute.errors import NetworkError, Problem
from islandroute.model.network import Network

__all__ = ["BUILT_IN", "BUILT_IN_DRONES", "SYNTHETIC", "load_network", "synthetic_spec"]

BUILT_IN = "zhoushan"
BUILT_IN_DRONES = "zhoushan-drones"  # the built-in network with its candidate drone fleet
SYNTHETIC = "synthetic"
SYNTHETIC_DEFAULTS = (100, 3, 0)  # stations, carriers, seed
SYNTHETIC_MAX_STATIONS = 20_000
SYNTHETIC_MAX_CARRIERS = 50
SYNTHETIC_MAX_SEED = 2**63 - 1  # a generator seed: any non-negative 64-bit integer


def load_network(spec: str) -> Network:
    """A network JSON file when ``spec`` names an existing file; otherwise ``zhoushan``
    (built in) or ``synthetic:STATIONS[:CARRIERS[:SEED]]`` (generated); else an error."""
    if os.path.exists(spec):
        return Network.from_json(spec)
    if spec == BUILT_IN:
        from islandroute.datasets.zhoushan import zhoushan

        return zhoushan()
    if spec == BUILT_IN_DRONES:
        from islandroute.datasets.zhoushan_drones import zhoushan_with_drones

        return zhoushan_with_drones()
    if spec == SYNTHETIC or spec.startswith(SYNTHETIC + ":"):
        from islandroute.datasets.synthetic import archipelago

        n, c, seed, flows = synthetic_spec(spec)
        return archipelago(
            n_stations=n, n_islands=max(2, n // 25), n_carriers=c, seed=seed, **flows
        )
    if spec.lstrip().startswith("{"):
        return Network.from_json(spec)
    raise NetworkError(
        Problem(
            "--network",
            spec,
            f"no such file, and not {BUILT_IN!r} or {SYNTHETIC}:STATIONS[:CARRIERS[:SEED]]",
        )
    )


def synthetic_spec(spec: str) -> tuple[int, int, int, dict[str, Any]]:
    """``synthetic:STATIONS[:CARRIERS[:SEED]][:OPTIONS]`` as three checked integers and the
    archipelago keywords of OPTIONS (``parks=2,pickups=0.05,cold=1,deadlines=1``, read by
    :func:`islandroute.datasets.synthetic.parse_flow_options`; an error names the option)."""
    from islandroute.datasets.synthetic import parse_flow_options

    parts = spec.split(":")[1:]
    flows = parse_flow_options(parts.pop()) if parts and "=" in parts[-1] else {}
    names = ("STATIONS", "CARRIERS", "SEED")
    lows = (1, 1, 0)
    highs = (SYNTHETIC_MAX_STATIONS, SYNTHETIC_MAX_CARRIERS, SYNTHETIC_MAX_SEED)
    if len(parts) > len(names):
        raise NetworkError(
            Problem("--network", spec, "expected synthetic:STATIONS:CARRIERS:SEED[:OPTIONS]")
        )
    values = list(SYNTHETIC_DEFAULTS)
    for k, text in enumerate(parts):
        if not text.strip().isdigit() or not lows[k] <= int(text) <= highs[k]:
            raise NetworkError(
                Problem(
                    "--network",
                    spec,
                    f"{names[k]} must be a whole number in {lows[k]}..{highs[k]}, got {text!r}",
                )
            )
        values[k] = int(text)
    return values[0], values[1], values[2], flows
