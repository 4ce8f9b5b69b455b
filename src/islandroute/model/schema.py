"""JSON Schemas of the two exchange documents, generated from the models that read them.

``document_schema("network")`` and ``document_schema("plan")`` describe what
:meth:`Network.from_dict` and :class:`Plan` accept (the models are the one source of the
rules; ranges and required fields come from their fields), with the document's
``format`` names (spec 1 and 1.1). ``islandroute schema network|plan`` prints them.
"""

from __future__ import annotations

from typing import Any, Literal

from islandroute.model.network import Network
from islandroute.model.plan import PLAN_FORMAT, Plan

DocumentKind = Literal["network", "plan"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("network", "plan")
DRAFT = "https://json-schema.org/draft/2020-12/schema"
FORMATS: dict[DocumentKind, tuple[str, ...]] = {
    "network": ("islandroute.network/1", "islandroute.network/1.1"),
    "plan": (PLAN_FORMAT,),
}
TITLES: dict[DocumentKind, str] = {
    "network": "islandroute network document (islands, roads, ferries, stations, fleet)",
    "plan": "islandroute plan document (a week's routes of stops and legs, with KPIs)",
}


def document_schema(kind: DocumentKind) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ``network`` or ``plan`` document."""
    model = Network if kind == "network" else Plan
    schema = model.model_json_schema(by_alias=True, mode="validation")
    properties = {"format": {"enum": list(FORMATS[kind])}, **schema.get("properties", {})}
    return {
        "$schema": DRAFT,
        "$id": f"https://islandroute.example/schema/{kind}.json",
        **schema,
        "title": TITLES[kind],
        "properties": properties,
    }
