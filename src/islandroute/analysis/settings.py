"""How a comparison is run: one frozen settings object with the one set of defaults.

:class:`RunSettings` says how each weekly plan is made (``time_limit``, ``seed``,
``effort``, ``days``) and how the comparison splits the joint cost (``allocation``,
``exact_max``, ``samples``, ``core_tol``). :func:`~islandroute.analysis.compare.compare`,
:func:`~islandroute.analysis.compare.compare_many` and
:func:`~islandroute.analysis.scenarios.compare_scenarios` take it as ``settings=`` and
also accept its fields as keywords (``compare(net, time_limit=20, seed=0)``), which
override the given settings.

The planning fields share the planner's defaults and checks: they are fields of
:class:`~islandroute.planning.options.PlanOptions`, checked by it (a bad one raises
:class:`~islandroute.errors.OptionsError` naming it), and :meth:`RunSettings.plan_options`
gives the options each weekly plan is made with.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from islandroute.analysis.allocation import EXACT_MAX_PLAYERS
from islandroute.analysis.coalitions import CoalitionJob
from islandroute.planning.options import PLAN_DEFAULTS, DaysMethod, Mode, PlanOptions

__all__ = ["COMPARE_TIME_LIMIT", "PLAN_FIELDS", "AllocationMethod", "DaysMethod", "RunSettings"]

AllocationMethod = Literal["shapley", "none"]
#: Seconds per weekly plan of a comparison (it plans many weeks: a coalition each);
#: the one planning default of its own, every other comes from ``PlanOptions``.
COMPARE_TIME_LIMIT = 30.0
#: The fields that say how each weekly plan is made (checked by ``PlanOptions``).
PLAN_FIELDS: tuple[str, ...] = ("time_limit", "seed", "effort", "days")


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

    time_limit: float = COMPARE_TIME_LIMIT
    seed: int = PLAN_DEFAULTS.seed
    effort: int = PLAN_DEFAULTS.effort
    days: DaysMethod = PLAN_DEFAULTS.days
    allocation: AllocationMethod = "shapley"
    exact_max: int = EXACT_MAX_PLAYERS
    samples: int = 200
    core_tol: float = 0.01

    @model_validator(mode="before")
    @classmethod
    def _planning_fields(cls, data: Any) -> Any:
        """The planning fields checked (and normalised) as the planner checks them."""
        if not isinstance(data, dict):
            return data
        given = {k: data[k] for k in PLAN_FIELDS if k in data}
        if not given:
            return data
        checked = PlanOptions.of(**given)
        return {**data, **{k: getattr(checked, k) for k in given}}

    def plan_options(self, mode: Mode = PLAN_DEFAULTS.mode) -> PlanOptions:
        """The options each weekly plan is made with."""
        return PlanOptions.of(mode=mode, **{k: getattr(self, k) for k in PLAN_FIELDS})

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
