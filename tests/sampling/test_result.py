"""Reading an estimate's splitting curve at a noise scale."""

from __future__ import annotations

import dataclasses

import pytest

from qec.errors import QecError
from qec.intervals import Interval
from qec.sampling.result import Estimate, ScaledRate

BARE = Estimate.from_counts(
    metadata={"rounds": 10}, decoder="pymatching", shots=0, errors=0, seconds=0.0
)


def power_law_curve(scales: tuple[float, ...], power: float) -> Estimate:
    """An estimate whose curve is rate = 1e-9 s^power, with ends a factor 2 either side."""
    points = tuple(
        ScaledRate(s, Interval(1e-9 * s**power, 5e-10 * s**power, 2e-9 * s**power), None)
        for s in scales
    )
    return dataclasses.replace(BARE, curve=points)


def test_rate_at_a_level_is_that_levels_point():
    estimate = power_law_curve((0.5, 1.0, 2.0), power=6)
    assert estimate.rate_at(2.0) == estimate.curve[2]


def test_rate_at_between_levels_follows_a_power_law_exactly_with_its_interval():
    estimate = power_law_curve((0.5, 1.0, 3.0), power=6)
    point = estimate.rate_at(1.7).per_shot
    assert point.value == pytest.approx(1e-9 * 1.7**6, rel=1e-12)
    assert (point.low, point.high) == pytest.approx((point.value / 2, point.value * 2))
    assert estimate.rate_at(1.7).per_round is not None  # the metadata's 10 rounds


@pytest.mark.parametrize("scale", [0.25, 3.5])
def test_rate_at_refuses_a_scale_beyond_the_curve(scale):
    with pytest.raises(QecError) as error:
        power_law_curve((0.5, 1.0, 3.0), power=6).rate_at(scale)
    assert (error.value.parameter, error.value.value) == ("scale", scale)


def test_rate_at_refuses_an_estimate_without_a_curve():
    with pytest.raises(QecError) as error:
        BARE.rate_at(1.0)
    assert error.value.parameter == "scale"
