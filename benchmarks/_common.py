"""Helpers shared by the benchmark scripts: paths, machine facts, result files."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from islandroute.tables import table

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
DEFAULT_PVRP = REPO.parent / "shared" / "data" / "pvrp"


def machine() -> dict[str, Any]:
    """Where and when a benchmark ran (results are only comparable on one machine)."""
    import ortools

    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "ortools": ortools.__version__,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def write_json(name: str, doc: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<name>.json``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return path


def write_text(name: str, text: str) -> Path:
    """Write ``benchmarks/results/<name>`` (Markdown or other text)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(text, encoding="utf-8")
    return path


def md_table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table of list rows, through the library's one table printer."""
    records = [dict(zip(header, r, strict=True)) for r in rows]
    return table(records, header, markdown=True, decimals=2, missing="–")
