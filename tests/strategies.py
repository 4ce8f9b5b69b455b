"""Hypothesis strategies for synthetic archipelagos small enough to route in a second or two."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from islandroute.datasets.synthetic import archipelago
from islandroute.model import Network

# (bridge, vehicle ferry, boat only): every mix a test should meet, including pure ones.
ACCESS_MIXES: tuple[tuple[float, float, float], ...] = (
    (0.4, 0.4, 0.2),
    (1.0, 0.0, 0.0),
    (0.0, 1.0, 0.0),
    (0.0, 0.0, 1.0),
    (0.5, 0.5, 0.0),
    (0.0, 0.5, 0.5),
    (1 / 3, 1 / 3, 1 / 3),
)


@st.composite
def archipelago_params(
    draw: st.DrawFn,
    max_stations: int = 12,
    max_carriers: int = 3,
    max_islands: int = 4,
    min_departures: int = 2,
    max_departures: int = 6,
) -> dict[str, Any]:
    """Keyword arguments for :func:`archipelago`: counts, access mix, timetable and seed."""
    n_islands = draw(st.integers(1, max(1, max_islands)), label="n_islands")
    n_stations = draw(st.integers(n_islands, max(n_islands, max_stations)), label="n_stations")
    bridge, ferry, boat = draw(st.sampled_from(ACCESS_MIXES), label="access mix")
    return {
        "n_stations": n_stations,
        "n_islands": n_islands,
        "n_carriers": draw(st.integers(1, max(1, max_carriers)), label="n_carriers"),
        "share_bridge": bridge,
        "share_vehicle_ferry": ferry,
        "share_boat_only": boat,
        "departures_per_day": draw(st.integers(min_departures, max_departures)),
        "shared_vehicles": draw(st.integers(0, 2), label="shared_vehicles"),
        "seed": draw(st.integers(0, 2**32 - 1), label="seed"),
    }


def archipelagos(
    max_stations: int = 12,
    max_carriers: int = 3,
    max_islands: int = 4,
    min_departures: int = 2,
    max_departures: int = 6,
) -> st.SearchStrategy[Network]:
    """Small valid synthetic networks (shrinking towards one island, one carrier, seed 0)."""
    return archipelago_params(
        max_stations=max_stations,
        max_carriers=max_carriers,
        max_islands=max_islands,
        min_departures=min_departures,
        max_departures=max_departures,
    ).map(lambda kw: archipelago(**kw))
