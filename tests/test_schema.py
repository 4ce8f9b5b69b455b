"""The JSON Schemas of the exchange documents: generated from the models, they accept
the built-in network and a planned week, and refuse what the models refuse."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from islandroute import archipelago, plan_week, zhoushan
from islandroute.cli import main
from islandroute.model.schema import DOCUMENT_KINDS, document_schema

jsonschema = pytest.importorskip("jsonschema")


def _errors(kind: str, doc: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(document_schema(kind))
    return [e.message for e in validator.iter_errors(doc)]


def test_schemas_are_valid_draft_2020_12() -> None:
    for kind in DOCUMENT_KINDS:
        jsonschema.Draft202012Validator.check_schema(document_schema(kind))


def test_the_built_in_network_and_a_planned_week_fit_their_schemas() -> None:
    assert _errors("network", zhoushan().to_dict()) == []
    net = archipelago(10, n_islands=2, n_carriers=2, seed=3, parks=1, pickup_share=0.1)
    plan = plan_week(net, time_limit=2, seed=0)
    assert _errors("network", net.to_dict()) == []
    assert _errors("plan", plan.to_dict()) == []


def test_the_schemas_refuse_what_the_models_refuse() -> None:
    doc = zhoushan().to_dict()
    bad = copy.deepcopy(doc)
    bad["vehicles"][0]["capacity"] = "lots"
    assert _errors("network", bad)
    bad = copy.deepcopy(doc)
    bad["format"] = "islandroute.network/9"
    assert _errors("network", bad)
    bad = copy.deepcopy(doc)
    del bad["stations"][0]["node"]
    assert _errors("network", bad)


def test_the_command_prints_or_writes_a_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "plan"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["properties"]["format"] == {"enum": ["islandroute.plan/1"]}
    out = tmp_path / "network.schema.json"
    assert main(["schema", "network", "--out", str(out)]) == 0
    assert json.loads(out.read_text("utf-8")) == document_schema("network")
    assert [p.name for p in tmp_path.iterdir()] == ["network.schema.json"]
