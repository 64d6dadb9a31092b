"""Tests of the held-out validation of a fit's extrapolation."""

from __future__ import annotations

import pytest

from qec.analysis import FitPoint
from qec.analysis.holdout import Prediction, holdout, measured_rate
from qec.errors import QecError
from qec.intervals import Interval
from qec.sampling.method import Method


def exponential_points(distances: tuple[int, ...]) -> list[FitPoint]:
    return [
        FitPoint(distance=d, shots=10**6, errors=round(10**6 * 0.1 * 3.0 ** -((d + 1) / 2)))
        for d in distances
    ]


def test_the_points_beyond_the_fitted_range_are_predicted_and_not_fitted():
    result = holdout(exponential_points((3, 5, 7, 9, 11)), fit_up_to=8)
    assert result.fit.distances == (3, 5, 7)
    assert [p.distance for p in result.predictions] == [9, 11]
    assert result.contains_all


def test_a_measurement_far_from_the_fit_is_not_contained_in_its_prediction():
    points = exponential_points((3, 5, 7, 9))
    points.append(FitPoint(distance=11, shots=10**6, errors=10_000))  # 1e-2, the fit ~1.4e-4
    result = holdout(points, fit_up_to=9)
    (prediction,) = result.predictions
    assert not prediction.contains and not prediction.overlaps and prediction.ratio > 10
    assert not result.contains_all


def test_intervals_that_overlap_need_not_contain_the_measured_value():
    prediction = Prediction(
        distance=35,
        measured=Interval(1.1e-6, 0.8e-6, 1.5e-6),
        method=Method.SPLITTING,
        predicted=Interval(2.1e-6, 1.4e-6, 3.0e-6),
    )
    assert prediction.overlaps and not prediction.contains


def test_a_direct_point_is_measured_with_its_wilson_interval_per_round():
    rate = measured_rate(FitPoint(distance=5, shots=1000, errors=10, rounds=5))
    assert rate.low < rate.value < rate.high and rate.value == pytest.approx(0.00201, rel=0.01)


def test_nothing_beyond_the_fitted_range_is_an_error_naming_fit_up_to():
    with pytest.raises(QecError) as error:
        holdout(exponential_points((3, 5, 7)), fit_up_to=7)
    assert error.value.parameter == "fit_up_to"
