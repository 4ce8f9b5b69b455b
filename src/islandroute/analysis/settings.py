"""How a comparison is run: one frozen settings object with the one set of defaults.

:class:`RunSettings` says how each weekly plan is made (``time_limit``, ``seed``,
``effort``, ``days``) and how the comparison splits the joint cost (``allocation``,
``exact_max``, ``samples``, ``core_tol``). :func:`~islandroute.analysis.compare.compare`,
:func:`~islandroute.analysis.compare.compare_many` and
:func:`~islandroute.analysis.scenarios.compare_scenarios` take it as ``settings=`` and
also accept its fields as keywords (``compare(net, time_limit=20, seed=0)``), which
override the given settings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from islandroute.analysis.allocation import EXACT_MAX_PLAYERS
from islandroute.analysis.coalitions import CoalitionJob

__all__ = ["AllocationMethod", "DaysMethod", "RunSettings"]

AllocationMethod = Literal["shapley", "none"]
#: How the weekly planner picks visit days (``plan_week(days=...)``).
DaysMethod = Literal["optimized", "balanced", "fixed"]


class RunSettings(BaseModel):
    """How each weekly plan is made and how the joint cost is allocated.

    Attributes
    ----------
    time_limit
        Seconds per weekly plan (each coalition gets its own).
    seed
        The run's seed; each coalition's planner seed is derived from it and the
        coalition only, and it seeds the Monte Carlo orders.
    effort, days
        Passed to the weekly planner.
    allocation
        ``"shapley"``: exact up to ``exact_max`` carriers, else Monte Carlo over
        ``samples`` orders with a stated 95 % error; ``"none"``: only singletons and the
        grand coalition (proportional splits are always given).
    core_tol
        Relative solver-noise tolerance of the core check.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit: float = 30.0
    seed: int = 0
    effort: int = 20
    days: DaysMethod = "optimized"
    allocation: AllocationMethod = "shapley"
    exact_max: int = EXACT_MAX_PLAYERS
    samples: int = 200
    core_tol: float = 0.01

    @classmethod
    def resolve(cls, settings: RunSettings | None = None, /, **options: Any) -> RunSettings:
        """``settings`` (default: the defaults) with the keyword ``options`` replacing
        its fields; an unknown keyword raises ``TypeError`` like a misspelt argument."""
        unknown = sorted(set(options) - set(cls.model_fields))
        if unknown:
            raise TypeError(f"unexpected keyword argument(s) {', '.join(map(repr, unknown))}")
        base = cls() if settings is None else settings
        if not options:
            return base
        return cls.model_validate({**base.model_dump(), **options})

    def job(
        self, coalition: tuple[str, ...], *, tag: str = "", keep_plan: bool = False
    ) -> CoalitionJob:
        """The :class:`CoalitionJob` that plans ``coalition``'s week with these settings."""
        return CoalitionJob(
            tag=tag,
            coalition=coalition,
            time_limit=self.time_limit,
            seed=self.seed,
            effort=self.effort,
            days=self.days,
            keep_plan=keep_plan,
        )
