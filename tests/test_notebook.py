"""The example notebook runs headless on a tiny network and its figures render."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "joint_vs_separate.ipynb"


def test_notebook_is_committed_without_outputs() -> None:
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


def test_notebook_runs_headless(monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("ISLANDROUTE_NB_NETWORK", "synthetic:8:2:2:parks=1,pickups=0.1,deadlines=1")
    monkeypatch.setenv("ISLANDROUTE_NB_TIME_LIMIT", "1.5")
    monkeypatch.setenv("ISLANDROUTE_NB_CARRIERS", "all")
    monkeypatch.setenv("ISLANDROUTE_NB_WORKERS", "2")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=240,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute(env=dict(os.environ))
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # allocation bars and the route map
    text = "".join(o.get("text", "") for o in outputs)
    assert "Shapley shares add up to" in text and "Joint delivery costs" in text
    # two in, one out: the flows side by side, alone and joint, and the joint week's tables
    assert "delivery, collection and outbound, alone and joint" in text
    assert "two in, one out (两进一出): delivered" in text and "on time 100.0%" in text
    markdown = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert "### By carrier" in markdown and "| total |" in markdown
