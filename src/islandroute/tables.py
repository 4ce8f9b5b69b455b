"""The one table printer: aligned text for terminals, Markdown for reports and benchmark
results (no layer of its own: used by the analysis reports, the command line and the
benchmarks alike)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: Places after the point of a float cell unless the caller asks for others.
DECIMALS = 1


def cell(value: Any, decimals: int = DECIMALS, missing: str = "") -> str:
    """A value as a table cell: numbers with thousands separators, floats to ``decimals``."""
    if value is None:
        return missing
    if isinstance(value, float):
        return f"{value:,.{decimals}f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    markdown: bool = False,
    decimals: int = DECIMALS,
    missing: str = "",
) -> str:
    """``columns`` of ``rows`` as a right-aligned text table with a rule under the head,
    or with ``markdown`` a GitHub table (first column left-aligned, the others right)."""
    cells = [[cell(r.get(c), decimals, missing) for c in columns] for r in rows]
    if markdown:
        head = "| " + " | ".join(_escape(c) for c in columns) + " |"
        rule = "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(columns))) + "|"
        body = ["| " + " | ".join(_escape(v) for v in row) + " |" for row in cells]
        return "\n".join([head, rule, *body])
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """A cell's text with the column separator escaped."""
    return text.replace("|", "\\|")
