"""Plain aligned text tables for terminals and Markdown tables for reports (no layer of
its own: used by the analysis reports and the command line alike)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def cell(value: Any) -> str:
    """A value as a table cell: numbers with thousands separators, floats to one place."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A right-aligned text table of ``columns`` from ``rows``, with a rule under the head."""
    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def markdown_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A Markdown (GitHub) table of ``columns`` from ``rows``: the first column left-
    aligned, the others right-aligned, cells as :func:`cell` writes them."""
    head = "| " + " | ".join(_escape(c) for c in columns) + " |"
    rule = "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(columns))) + "|"
    body = ["| " + " | ".join(_escape(cell(r.get(c))) for c in columns) + " |" for r in rows]
    return "\n".join([head, rule, *body])


def _escape(text: str) -> str:
    """A cell's text with the column separator escaped."""
    return text.replace("|", "\\|")
