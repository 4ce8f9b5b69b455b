"""The network model: validation names object and field; the exchange round trip is exact."""

from __future__ import annotations

from typing import Any

import pytest

from islandroute.errors import NetworkError
from islandroute.model import Network, default_patterns


def _fault(doc: dict[str, Any]) -> str:
    with pytest.raises(NetworkError) as info:
        Network.from_dict(doc)
    return str(info.value)


def test_round_trip_is_exact(two_islands: Network) -> None:
    doc = two_islands.to_dict()
    assert Network.from_dict(doc).to_dict() == doc
    assert doc["ferries"][0]["from"] == "p1"


def test_bad_departure_is_named(two_islands_doc: dict[str, Any]) -> None:
    two_islands_doc["ferries"][0]["departures"]["mon"] = ["25:00"]
    msg = _fault(two_islands_doc)
    assert "ferry 'f'" in msg and "departures.mon" in msg and "25:00" in msg


def test_hhmm_departures_are_read(two_islands_doc: dict[str, Any]) -> None:
    two_islands_doc["ferries"][0]["departures"]["mon"] = ["08:00", "07:30"]
    net = Network.from_dict(two_islands_doc)
    assert net.ferries[0].departures["mon"] == (450, 480)


@pytest.mark.parametrize("value", [2.5, -1, "x"])
def test_bad_demand_is_named(two_islands_doc: dict[str, Any], value: Any) -> None:
    two_islands_doc["stations"][0]["demand"]["ems"] = value
    msg = _fault(two_islands_doc)
    assert "station 's'" in msg and "demand.ems" in msg


def test_unknown_and_duplicate_ids(two_islands_doc: dict[str, Any]) -> None:
    two_islands_doc["vehicles"][0]["depot"] = "nowhere"
    two_islands_doc["nodes"].append(dict(two_islands_doc["nodes"][0]))
    msg = _fault(two_islands_doc)
    assert "vehicle 'v': depot: unknown node 'nowhere'" in msg
    assert "node 'd': id: duplicate id" in msg


def test_coordinates_out_of_range(two_islands_doc: dict[str, Any]) -> None:
    two_islands_doc["nodes"][1]["lon"] = 200
    assert "node 'p1': lon" in _fault(two_islands_doc)


def test_missing_field_is_named(two_islands_doc: dict[str, Any]) -> None:
    del two_islands_doc["ferries"][1]["vehicles"]
    assert "ferry 'g': vehicles: missing" in _fault(two_islands_doc)


def test_models_are_frozen(two_islands: Network) -> None:
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises its ValidationError
        two_islands.stations[0].min_visits = 1  # type: ignore[misc]


def test_default_patterns_never_three_in_a_row() -> None:
    week = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    pats = default_patterns(week, week[:6], 3, 2)
    assert ("mon", "wed", "fri") in pats and ("tue", "thu", "sat") in pats
    assert ("mon", "tue", "wed") not in pats
    assert all(len(set(p)) == 3 for p in pats)
    assert len(pats) == 16  # C(6,3)=20 less the 4 runs of three
