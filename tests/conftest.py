"""Shared fixtures: tiny hand-checkable networks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from islandroute.model import Network

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def two_islands_doc() -> dict[str, Any]:
    """The spec's worked example: a depot and pier on island a, a station on island b."""
    return copy.deepcopy(json.loads((FIXTURES / "two_islands.json").read_text()))


@pytest.fixture
def two_islands(two_islands_doc: dict[str, Any]) -> Network:
    return Network.from_dict(two_islands_doc)
