"""Errors islandroute raises: each names the object and field at fault."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One fault: which object (e.g. ``station 'n12'``), which field or rule, and why."""

    obj: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.obj}: {self.field}: {self.message}"


class IslandrouteError(Exception):
    """Base of every error islandroute raises on purpose."""


class _ProblemsError(IslandrouteError):
    """An error that carries a list of :class:`Problem` and prints them one a line.

    Not a ``ValueError`` on purpose: pydantic would swallow it into its own error.
    """

    headline = "problems"

    def __init__(self, problems: list[Problem] | Problem, headline: str | None = None) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        if headline:
            self.headline = headline
        lines = [f"{self.headline} ({len(self.problems)}):"]
        lines += [f"  - {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        super().__init__("\n".join(lines))


class NetworkError(_ProblemsError):
    """The network is malformed or inconsistent (bad ids, values, references, reachability)."""

    headline = "invalid network"


class InfeasibleError(_ProblemsError):
    """The request cannot be met: each problem names a station (or vehicle) and the rule."""

    headline = "infeasible request"


class OptionsError(_ProblemsError):
    """A planning argument or option is out of range (``plan_week: mode: ...``)."""

    headline = "invalid options"


class PlanFormatError(_ProblemsError):
    """A plan document is malformed."""

    headline = "invalid plan document"
