"""The estimators' names and the reasons an estimate falls short, as data."""

from __future__ import annotations

import json
import math

import pytest

from qec import Depolarizing, MemoryExperiment, RotatedSurfaceCode
from qec.errors import QecError
from qec.sampling import estimate
from qec.sampling.method import Method, NoUnitFinished, PrecisionNotReached


def test_a_method_is_its_name_in_files_json_and_text() -> None:
    assert [m.value for m in Method] == ["monte_carlo", "stratified", "splitting"]
    assert json.dumps({"method": Method.SPLITTING}) == '{"method": "splitting"}'
    assert f"{Method.STRATIFIED} {Method.MONTE_CARLO:>12}" == "stratified  monte_carlo"
    assert [m.rare_event for m in Method] == [False, True, True]


def test_an_unknown_method_is_refused_naming_the_parameter() -> None:
    with pytest.raises(QecError) as caught:
        Method.parse("direct")
    assert caught.value.parameter == "method" and caught.value.value == "direct"


def test_a_shortfall_renders_its_fields_once() -> None:
    # The wording is the feature here: it is what `assumptions` and the notes print.
    missing = NoUnitFinished(max_seconds=2.0, unit_decodes=1234, levels=5, saved_time_counted=True)
    assert str(missing) == (
        "no estimate, no splitting unit finished within max_seconds=2, earlier runs' time "
        "in the save file included (a unit decodes about 1,234 configurations over 5 noise "
        "strengths): raise --max-seconds"
    )
    wide = PrecisionNotReached(reached=0.5, asked=0.2)
    assert str(wide) == (
        "the half-width is 50% of the rate, not the 20% asked for (time ran out): a wide interval"
    )


def test_splitting_without_time_for_a_unit_says_so_in_fields() -> None:
    # At d = 7 the setup takes a fraction of the second, a unit several seconds.
    experiment = MemoryExperiment(
        code=RotatedSurfaceCode(distance=7), noise=Depolarizing(p=1e-3), rounds=7, basis="Z"
    )
    result = estimate(
        experiment, method="splitting", max_seconds=1.0, seed=1, num_workers=1, progress=False
    )
    assert math.isnan(result.per_shot.value) and result.method is Method.SPLITTING
    assert result.shortfall == NoUnitFinished(
        max_seconds=1.0,
        unit_decodes=result.shortfall.unit_decodes,
        levels=result.shortfall.levels,
        saved_time_counted=False,
    )
    assert result.assumptions.endswith(f"; note: {result.shortfall}")
