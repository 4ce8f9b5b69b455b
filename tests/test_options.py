"""Planning options: one frozen object, every bad value refused up front by name.

``plan_week`` checks all of its arguments before any planning (a bad ``mode`` used to
plan for seconds and then fail inside pydantic); ``RunSettings`` checks its planning
fields the same way; what the planner does not plan yet is refused by station and field.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import islandroute.planning.planner as planner_module
from islandroute import Network, plan_week
from islandroute.analysis.settings import COMPARE_TIME_LIMIT, RunSettings
from islandroute.datasets.synthetic import archipelago
from islandroute.errors import OptionsError
from islandroute.planning import PlanOptions, Tuning
from islandroute.planning.options import MAX_TIME_LIMIT, PLAN_DEFAULTS

BAD: list[tuple[str, Any]] = [
    ("mode", "bogus"),
    ("mode", None),
    ("days", "weekly"),
    ("time_limit", 0),
    ("time_limit", -1.0),
    ("time_limit", math.nan),
    ("time_limit", math.inf),
    ("time_limit", MAX_TIME_LIMIT + 1),
    ("time_limit", "5"),
    ("time_limit", True),
    ("seed", -1),
    ("seed", 1.5),
    ("seed", 2**70),
    ("seed", False),
    ("workers", 0),
    ("workers", 65),
    ("workers", 2.0),
    ("effort", 0),
    ("effort", -3),
    ("fixed", []),
    ("fixed", ("mon", "mon")),
    ("fixed", "mon"),
    ("fixed", ("mon", 3)),
    ("carriers", ()),
    ("carriers", "ems"),
    ("carriers", ("ems", "")),
    ("allow_unserved", "yes"),
    ("allow_unserved", 1),
]


@pytest.fixture
def tiny() -> Network:
    return archipelago(n_stations=3, n_islands=1, n_carriers=2, seed=0)


@pytest.fixture
def no_planning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any planning at all fails the test: the checks must come first."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("planning started before the arguments were checked")

    monkeypatch.setattr(planner_module, "_plan", refuse)


def fields_of(err: OptionsError) -> set[str]:
    return {p.field for p in err.problems}


@pytest.mark.parametrize(("name", "value"), BAD)
def test_every_bad_argument_is_refused_up_front(
    tiny: Network, no_planning: None, name: str, value: Any
) -> None:
    with pytest.raises(OptionsError) as info:
        plan_week(tiny, **{name: value})
    assert fields_of(info.value) == {name}
    assert str(info.value.problems[0]).startswith(f"plan_week: {name}: ")


@pytest.mark.parametrize(("name", "value"), BAD)
def test_options_refuse_the_same_values(name: str, value: Any) -> None:
    with pytest.raises(OptionsError) as info:
        PlanOptions.of(**{name: value})
    assert fields_of(info.value) == {name}
    with pytest.raises(OptionsError):
        PlanOptions(**{name: value})


def test_bad_mode_message(tiny: Network, no_planning: None) -> None:
    with pytest.raises(OptionsError, match="plan_week: mode: must be 'joint' or 'separate'"):
        plan_week(tiny, mode="bogus")  # type: ignore[arg-type]


def test_unknown_carrier_and_days_are_named(tiny: Network, no_planning: None) -> None:
    with pytest.raises(OptionsError) as info:
        plan_week(tiny, carriers=("zzz",))
    assert [str(p) for p in info.value.problems] == ["plan_week: carriers: unknown carrier 'zzz'"]
    with pytest.raises(OptionsError, match="plan_week: fixed: unknown day 'd9'"):
        plan_week(tiny, days="fixed", fixed=("mon", "d9"))


def test_several_bad_arguments_are_all_named(tiny: Network, no_planning: None) -> None:
    with pytest.raises(OptionsError) as info:
        plan_week(tiny, mode="x", seed=-1, workers=0)  # type: ignore[arg-type]
    assert fields_of(info.value) == {"mode", "seed", "workers"}


def test_unknown_option_name_is_refused() -> None:
    with pytest.raises(OptionsError, match="plan_week: time_limt: is not a planning option"):
        PlanOptions.of(time_limt=3)


def test_options_are_frozen_and_normalised() -> None:
    opts = PlanOptions.of(time_limit=5, carriers=["ems", "zto"], fixed=["tue", "thu"])
    assert opts.time_limit == 5.0 and isinstance(opts.time_limit, float)
    assert opts.carriers == ("ems", "zto") and opts.fixed == ("tue", "thu")
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.seed = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.tuning.kick = 0.5  # type: ignore[misc]
    assert hash(opts) == hash(
        PlanOptions.of(time_limit=5.0, carriers=("ems", "zto"), fixed=("tue", "thu"))
    )
    assert opts.replace(seed=4).seed == 4 and opts.seed == 0


def test_tuning_values_are_checked_by_name() -> None:
    with pytest.raises(OptionsError, match=r"plan_week: tuning\.kick: must be > 0"):
        Tuning(kick=0)
    with pytest.raises(OptionsError, match=r"tuning\.search_visits"):
        Tuning(search_visits=-1)
    with pytest.raises(OptionsError, match=r"tuning\.retry_strategies"):
        Tuning(retry_strategies=())
    with pytest.raises(OptionsError, match=r"tuning\.polish_scale_first"):
        Tuning(polish_scale_first=100.0, polish_scale_last=10.0)
    with pytest.raises(OptionsError, match="plan_week: tuning: must be a Tuning"):
        PlanOptions.of(tuning={"kick": 0.2})


def test_keywords_override_given_options(tiny: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[PlanOptions] = []
    monkeypatch.setattr(planner_module, "_plan", lambda _net, opts, *_a: seen.append(opts))
    base = PlanOptions.of(time_limit=7, seed=3, tuning=Tuning(stall_rounds=5))
    plan_week(tiny, options=base)
    plan_week(tiny, options=base, seed=9, mode="separate")
    assert seen[0] is base
    assert (seen[1].time_limit, seen[1].seed, seen[1].mode) == (7.0, 9, "separate")
    assert seen[1].tuning.stall_rounds == 5


def test_run_settings_share_the_planner_defaults_and_checks() -> None:
    cfg = RunSettings()
    assert (cfg.seed, cfg.effort, cfg.days) == (
        PLAN_DEFAULTS.seed,
        PLAN_DEFAULTS.effort,
        PLAN_DEFAULTS.days,
    )
    assert cfg.time_limit == COMPARE_TIME_LIMIT
    opts = RunSettings(time_limit=5, seed=2).plan_options("separate")
    assert opts == PlanOptions.of(mode="separate", time_limit=5, seed=2)
    for name, value in (("time_limit", math.nan), ("seed", -1), ("effort", 0), ("days", "x")):
        with pytest.raises(OptionsError) as info:
            RunSettings(**{name: value})
        assert fields_of(info.value) == {name}
        with pytest.raises(OptionsError):
            RunSettings.resolve(cfg, **{name: value})


# ---- a hypothesis search over bad values -------------------------------------------------

not_a_number = st.one_of(st.text(max_size=3), st.none(), st.booleans(), st.lists(st.integers()))
bad_values: dict[str, st.SearchStrategy[Any]] = {
    "mode": st.text(max_size=8).filter(lambda s: s not in ("joint", "separate")),
    "days": st.text(max_size=8).filter(lambda s: s not in ("optimized", "balanced", "fixed")),
    "time_limit": st.one_of(
        st.floats(max_value=0.0),
        st.floats(min_value=MAX_TIME_LIMIT, exclude_min=True),
        st.sampled_from([math.nan, math.inf, -math.inf]),
        not_a_number,
    ),
    "seed": st.one_of(
        st.integers(max_value=-1), st.integers(min_value=2**63), st.floats(), not_a_number
    ),
    "workers": st.one_of(st.integers(max_value=0), st.integers(min_value=65), not_a_number),
    "effort": st.one_of(st.integers(max_value=0), st.floats(), not_a_number),
    "fixed": st.one_of(st.just(()), st.text(max_size=4), st.lists(st.integers(), min_size=1)),
    "carriers": st.one_of(st.just(()), st.text(max_size=4), st.lists(st.just(""), min_size=1)),
    "allow_unserved": st.one_of(st.integers(), st.text(max_size=3), st.none()),
}


@settings(max_examples=200, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(bad_values)))
def test_any_bad_value_raises_options_error_naming_it(data: st.DataObject, name: str) -> None:
    value = data.draw(bad_values[name], label=name)
    with pytest.raises(OptionsError) as info:
        PlanOptions.of(**{name: value})
    assert fields_of(info.value) == {name}
    assert all(str(p).startswith(f"plan_week: {name}: ") for p in info.value.problems)
