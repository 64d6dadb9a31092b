"""Lambda fits on rates estimated with an interval (stratified sampling, splitting):
they enter with their own intervals, not as made-up binomial counts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qec.analysis import FitPoint, fit_lambda
from qec.errors import QecError
from qec.intervals import Interval, Z, wilson

TRUE_A = 0.1
TRUE_LAMBDA = 4.0


def true_rate(distance: int) -> float:
    return TRUE_A * TRUE_LAMBDA ** (-(distance + 1) / 2)


def estimated(distance: int, rate: Interval) -> FitPoint:
    point = FitPoint.of_rate(distance, rate, method="stratified")
    assert point is not None
    return point


def test_estimates_with_the_intervals_of_large_counts_fit_like_the_counts():
    # Independent reference: the binomial fit of the same data. With thousands of
    # failures a point's binomial likelihood is nearly normal in log p, so an estimate
    # carrying the point's Wilson interval must give nearly the same fit.
    rng = np.random.default_rng(7)
    shots = 10**8
    counts = [
        FitPoint(distance=d, shots=shots, errors=int(rng.binomial(shots, true_rate(d))))
        for d in (3, 5, 7, 9)
    ]
    rates = [estimated(p.distance, wilson(errors=p.errors, shots=p.shots)) for p in counts]
    by_counts, by_rates = fit_lambda(counts), fit_lambda(rates)
    for name in ("Lambda", "A"):
        a, b = getattr(by_counts, name), getattr(by_rates, name)
        assert b.value == pytest.approx(a.value, rel=2e-3), name
        assert b.low == pytest.approx(a.low, rel=0.02), name
        assert b.high == pytest.approx(a.high, rel=0.02), name
    at_13 = by_counts.predict_interval(13), by_rates.predict_interval(13)
    assert at_13[1].low == pytest.approx(at_13[0].low, rel=0.05)
    assert at_13[1].high == pytest.approx(at_13[0].high, rel=0.05)


def test_a_point_that_alone_fixes_its_distance_gives_back_its_own_interval():
    # Two points, two parameters: the prediction at d = 5 rests on the estimate alone,
    # so its 95% profile interval is the estimate's interval (a skewed one included).
    rate = Interval(2e-4, 5e-5, 1.2e-3)
    fit = fit_lambda([FitPoint(distance=3, shots=10**6, errors=3000), estimated(5, rate)])
    at_5 = fit.predict_interval(5)
    assert at_5.value == pytest.approx(rate.value, rel=1e-6)
    assert at_5.low == pytest.approx(rate.low, rel=1e-4)
    assert at_5.high == pytest.approx(rate.high, rel=1e-4)


def test_an_estimate_of_zero_bounds_the_rate_like_zero_failures_in_many_shots():
    # An estimate of 0 below `high` enters as -1.92 p / high: the log-likelihood of zero
    # failures in n = 1.92 / high shots is n ln(1 - p) = -1.92 p / high to first order,
    # so both fits agree where p << high.
    seen = [
        FitPoint(distance=3, shots=10**6, errors=5000),
        FitPoint(distance=5, shots=10**6, errors=900),
    ]
    high = 1e-6
    shots = round(Z * Z / 2 / high)
    with_bound = fit_lambda(seen + [estimated(7, Interval(0.0, 0.0, high))])
    with_zero = fit_lambda(seen + [FitPoint(distance=7, shots=shots, errors=0)])
    without = fit_lambda(seen)
    assert with_bound.Lambda.value == pytest.approx(with_zero.Lambda.value, rel=1e-3)
    assert with_bound.Lambda.low == pytest.approx(with_zero.Lambda.low, rel=1e-3)
    assert with_bound.Lambda.value > without.Lambda.value  # the bound says "small at d = 7"


def test_an_interval_open_below_says_nothing_below_its_estimate():
    # An estimate whose low end is 0 (no failure seen in its sampled strata) is flat
    # below its value: the fit does not move if the curve passes below it anyway.
    seen = [
        FitPoint(distance=3, shots=10**6, errors=5000),
        FitPoint(distance=5, shots=10**6, errors=900),
    ]
    without = fit_lambda(seen)
    above = without.predict(7) * 10
    with_open = fit_lambda(seen + [estimated(7, Interval(above, 0.0, above * 3))])
    assert with_open.Lambda.value == pytest.approx(without.Lambda.value, rel=1e-6)
    assert with_open.A.value == pytest.approx(without.A.value, rel=1e-6)


def test_interval_coverage_over_seeds_with_estimated_points():
    # Estimates drawn log-normally around the truth (sigma 0.3 in log p) with their
    # exact 95% intervals. With true 95% coverage, fewer than 43 of 50 intervals holding
    # the truth has probability P(Binomial(50, 0.95) <= 42) = 0.3%; fixed seeds make the
    # test deterministic.
    sigma = 0.3
    hits = 0
    for seed in range(50):
        rng = np.random.default_rng(seed)
        points = []
        for d in (3, 5, 7, 9):
            center = math.log(true_rate(d)) + sigma * rng.standard_normal()
            ends = math.exp(center - Z * sigma), math.exp(center + Z * sigma)
            points.append(estimated(d, Interval(math.exp(center), *ends)))
        fit = fit_lambda(points)
        hits += fit.Lambda.low <= TRUE_LAMBDA <= fit.Lambda.high
    assert hits >= 43


def test_estimates_that_tell_nothing_make_no_point_and_bad_ones_are_refused():
    def point(rate: Interval) -> FitPoint | None:
        return FitPoint.of_rate(5, rate, method="stratified")

    assert point(Interval(0.0, 0.0, 0.0)) is None  # all 0: nothing learnt
    assert point(Interval(0.6, 0.4, 0.7)) is None  # a random outcome, no rate
    cut = point(Interval(0.2, 0.1, 0.7))
    assert cut is not None and cut.rate == Interval(0.2, 0.1, 0.5)
    with pytest.raises(QecError, match="rate="):
        point(Interval(1e-3, 2e-3, 3e-3))  # low above the value


def test_a_lone_upper_bound_cannot_pin_a_fit():
    points = [estimated(3, Interval(1e-3, 0.0, 2e-3)), estimated(5, Interval(0.0, 0.0, 1e-4))]
    with pytest.raises(QecError, match="errors > 0 at one distance"):
        fit_lambda(points)
