"""Tests of the fit that may bend, p_L(d) = A * Lambda^(-h) * h^gamma, and its rule."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from qec.analysis import BentFit, FitPoint, LambdaFit, fit_lambda, fit_rates
from qec.intervals import Interval
from qec.sampling.method import Method


def exact_repetition_points(p: float, distances: range) -> list[FitPoint]:
    """The repetition code under independent flips at rate p, decoded by majority: it
    fails when more than half its d bits flip, P = the binomial tail (exact), entered
    as estimates with a 2% interval."""
    points = []
    for d in distances:
        rate = float(binom.sf((d - 1) // 2, d, p))
        interval = Interval(rate, rate / 1.02, rate * 1.02)
        points.append(FitPoint.of_rate(d, interval, method=Method.STRATIFIED))
    return [p for p in points if p is not None]


def test_the_bent_fit_finds_the_binomial_tails_asymptotic_lambda_and_power():
    # For d -> infinity the tail at half the code goes as h^(-1/2) (4 p (1 - p))^h
    # (Stirling's formula for the binomial coefficient): Lambda = 1 / (4 p (1 - p)),
    # gamma = -1/2. Exact values at d = 21..59 hold both inside the fit's intervals.
    p = 0.05
    fit = fit_rates(exact_repetition_points(p, range(21, 61, 2)))
    assert isinstance(fit, BentFit) and fit.bent
    assert fit.Lambda.low <= 1 / (4 * p * (1 - p)) <= fit.Lambda.high
    assert fit.gamma.low <= -0.5 <= fit.gamma.high


def test_the_bent_fit_of_small_distances_predicts_the_binomial_tail_far_beyond_them():
    # Fitted on d = 3..21 only, the prediction at d = 61 contains the exact tail; the
    # plain exponential over the same points is too optimistic there by far.
    p = 0.05
    fit = fit_rates(exact_repetition_points(p, range(3, 23, 2)))
    exact = float(binom.sf(30, 61, p))
    predicted = fit.predict_interval(61)
    assert predicted.low <= exact <= predicted.high
    exponential = fit_lambda(exact_repetition_points(p, range(3, 23, 2)))
    assert exponential.predict_interval(61).high < exact


def draw_exponential(seed: int, distances: tuple[int, ...]) -> list[FitPoint]:
    """Binomial counts from p_L = 0.1 * 3^(-h), 10^6 shots of one round a distance."""
    rng = np.random.default_rng(seed)
    rates = [0.1 * 3.0 ** -((d + 1) / 2) for d in distances]
    return [
        FitPoint(distance=d, shots=10**6, errors=int(rng.binomial(10**6, rate)))
        for d, rate in zip(distances, rates, strict=True)
    ]


def test_an_exponential_keeps_its_central_curve_and_the_interval_of_a_free_bend():
    # seed 3: the test's likelihood ratio is below 3.84, as it is for 95% of draws.
    fit = fit_rates(draw_exponential(3, (3, 5, 7, 9, 11)))
    assert isinstance(fit, BentFit) and not fit.bent
    assert fit.gamma.value == 0 and fit.gamma.low < 0 < fit.gamma.high
    assert 2 * (fit.log_likelihood - fit.exponential_log_likelihood) <= 3.84
    assert fit.Lambda.low <= 3.0 <= fit.Lambda.high


def test_the_distance_for_a_target_brackets_the_exact_tails_first_distance_below_it():
    # Fitted on d = 3..21, the exact tail at p = 0.05 first falls below 1e-12 at some odd
    # d beyond the fit: the projection's interval holds it, and its central distance is
    # the first odd one at which the central curve is below the target.
    p, target = 0.05, 1e-12
    fit = fit_rates(exact_repetition_points(p, range(3, 23, 2)))
    exact = next(d for d in range(3, 301, 2) if binom.sf((d - 1) // 2, d, p) <= target)
    found = fit.distance_for_target(target)
    assert found.extrapolated and found.distance_low <= exact <= found.distance_high
    assert fit.predict(found.distance) <= target < fit.predict(found.distance - 2)


def test_an_exponential_central_curve_projects_the_exponentials_distance():
    points = draw_exponential(3, (3, 5, 7, 9, 11))
    bent, plain = fit_rates(points), fit_lambda(points)
    assert isinstance(bent, BentFit) and not bent.bent
    for target in (1e-9, 1e-12):
        assert (
            bent.distance_for_target(target).distance == plain.distance_for_target(target).distance
        )


def test_fewer_than_four_distances_give_the_plain_exponential():
    fit = fit_rates(draw_exponential(3, (3, 5, 7)))
    assert isinstance(fit, LambdaFit)


@pytest.mark.slow
def test_the_extrapolations_95_percent_interval_covers_the_truth_in_most_draws():
    # 40 draws of binomial counts (10^6 shots a point) from p_L = 0.2 h^-1.5 1.5^-h at
    # d = 3..15, each fit predicting d = 31. Profile-likelihood intervals cover close
    # to 95%; the test asks for 32 of 40: with a true coverage of 0.93 it fails with
    # probability 1.5e-3 (binomial tail), with 0.95 with 1.3e-4. Fixed seeds.
    def rate(d: int) -> float:
        h = (d + 1) / 2
        return 0.2 * h**-1.5 * 1.5**-h

    covered = 0
    for seed in range(40):
        rng = np.random.default_rng(1000 + seed)
        points = [
            FitPoint(distance=d, shots=10**6, errors=int(rng.binomial(10**6, rate(d))))
            for d in range(3, 17, 2)
        ]
        predicted = fit_rates(points).predict_interval(31)
        covered += predicted.low <= rate(31) <= predicted.high
    assert covered >= 32
