"""Tests of the maximum-likelihood fit p_L(d) = A * Lambda^(-(d+1)/2)."""

from __future__ import annotations

import math
import re

import numpy as np
import pymatching
import pytest
import sinter
from scipy.optimize import brentq
from scipy.stats import binom, chi2

from qec.analysis import (
    FitPoint,
    LambdaFit,
    TargetDistance,
    fit_lambda,
    fit_points_from_stats,
)
from qec.circuits import RepetitionCode
from qec.errors import QecError
from qec.intervals import Interval
from qec.noise import CodeCapacity

TRUE_A = 0.1
TRUE_LAMBDA = 4.0
DISTANCES = (3, 5, 7, 9)


def draw(
    seed: int,
    *,
    A: float = TRUE_A,
    Lambda: float = TRUE_LAMBDA,
    shots: int = 20_000,
    distances: tuple[int, ...] = DISTANCES,
    rounds_equal_distance: bool = True,
) -> list[FitPoint]:
    """Binomial counts from the model itself, shots of `rounds` rounds each failing
    with probability 1/2 - 1/2 (1 - 2 p_L)^rounds."""
    rng = np.random.default_rng(seed)
    points = []
    for d in distances:
        rounds = d if rounds_equal_distance else 1
        p = A * Lambda ** (-(d + 1) / 2)
        shot = 0.5 - 0.5 * (1 - 2 * p) ** rounds
        errors = int(rng.binomial(shots, shot))
        points.append(FitPoint(distance=d, shots=shots, errors=errors, rounds=rounds))
    return points


def true_crossing(target: float) -> float:
    """Where the true curve reaches `target`."""
    return 2 * math.log(TRUE_A / target) / math.log(TRUE_LAMBDA) - 1


def test_one_seed_intervals_contain_truth():
    # Each 95% interval misses the truth with probability ~5% for a random seed; seed 0
    # is fixed, so this test is deterministic.
    fit = fit_lambda(draw(0))
    assert fit.Lambda.low < TRUE_LAMBDA < fit.Lambda.high
    assert fit.A.low < TRUE_A < fit.A.high
    assert fit.Lambda.low < fit.Lambda.value < fit.Lambda.high
    assert fit.distances == DISTANCES
    assert fit.dof == 2 and fit.p_value is not None and 0 <= fit.p_value <= 1


def test_interval_coverage_over_seeds():
    # 50 independent data sets (rounds = d, so the exact per-shot relation matters).
    # With true 95% coverage, the chance that fewer than 43 of 50 intervals contain the
    # truth is P(Binomial(50, 0.95) <= 42) = 0.3%; the seeds are fixed, so the test is
    # deterministic, and the 85% threshold is loose enough for the profile-likelihood
    # intervals' approximate coverage.
    seeds = range(50)
    target = 1e-9
    hits = {"Lambda": 0, "A": 0, "crossing": 0}
    for seed in seeds:
        fit = fit_lambda(draw(seed))
        hits["Lambda"] += fit.Lambda.low <= TRUE_LAMBDA <= fit.Lambda.high
        hits["A"] += fit.A.low <= TRUE_A <= fit.A.high
        crossing = fit.distance_for_target(target).crossing
        assert crossing is not None
        hits["crossing"] += crossing.low <= true_crossing(target) <= crossing.high
    for name, hit in hits.items():
        assert hit >= 0.85 * len(seeds), (name, hit)


def test_matches_direct_likelihood_maximisation():
    # An independent check of the optimum and of the Lambda interval: a plain
    # implementation of the log-likelihood, maximised on a grid.
    points = draw(3)
    fit = fit_lambda(points)

    def loglik(a: float, log_lambda: float) -> float:
        total = 0.0
        for p in points:
            rate = math.exp(a - log_lambda * (p.distance + 1) / 2)
            shot = 0.5 - 0.5 * (1 - 2 * rate) ** p.rounds
            total += p.errors * math.log(shot) + (p.shots - p.errors) * math.log1p(-shot)
        return total

    assert fit.log_likelihood == pytest.approx(
        loglik(math.log(fit.A.value), math.log(fit.Lambda.value)), abs=1e-9
    )
    a_grid = math.log(fit.A.value) + np.linspace(-1, 1, 401)
    for log_lambda in (math.log(fit.Lambda.low), math.log(fit.Lambda.high)):
        profile = max(loglik(a, log_lambda) for a in a_grid)
        # At an end of the interval the profile is 3.84 / 2 below the maximum (the grid
        # step in ln A limits the agreement).
        assert 2 * (fit.log_likelihood - profile) == pytest.approx(3.8415, abs=0.02)


def least_squares_log_lambda(points: list[FitPoint]) -> float:
    """The usual shortcut: a straight line through log(per-round rate) against (d+1)/2,
    which must drop the points without errors (log 0)."""
    kept = [p for p in points if p.errors > 0]
    h = np.array([(p.distance + 1) / 2 for p in kept])
    y = np.log([p.per_round for p in kept])
    slope = np.polyfit(h, y, 1)[0]
    return float(-slope)


def test_maximum_likelihood_beats_least_squares_with_zero_error_points():
    # Lambda = 10 and 300,000 shots per distance: about 300, 30, 3, 0.3 and 0.03 errors
    # at d = 3..11, so the large distances mostly have none. Least squares on logs drops
    # them and keeps the large distances only when they fluctuate up; the likelihood
    # counts them. Over 40 seeds the root-mean-square error of ln(Lambda) is about
    # 0.16 for maximum likelihood and 0.38 for least squares.
    true_lambda = 10.0
    mle_errors, ls_errors, zero_points = [], [], 0
    for seed in range(40):
        points = draw(
            seed,
            Lambda=true_lambda,
            shots=300_000,
            distances=(3, 5, 7, 9, 11),
            rounds_equal_distance=False,
        )
        zero_points += sum(p.errors == 0 for p in points)
        mle_errors.append(math.log(fit_lambda(points).Lambda.value / true_lambda))
        ls_errors.append(least_squares_log_lambda(points) - math.log(true_lambda))
    assert zero_points >= 40  # at least one zero-error point per data set on average

    def rms(values: list[float]) -> float:
        return math.sqrt(float(np.mean(np.square(values))))

    assert rms(mle_errors) < 0.7 * rms(ls_errors)


def test_zero_error_points_inform_the_fit():
    points = [
        FitPoint(distance=3, shots=100_000, errors=1_000),
        FitPoint(distance=5, shots=100_000, errors=100),
    ]
    without = fit_lambda(points)
    with_zero = fit_lambda(points + [FitPoint(distance=7, shots=10_000, errors=0)])
    # 10,000 clean shots at d = 7 say p_L(7) is probably below 1e-4 (Lambda = 10 expects
    # 1 error there): the estimate and the lower end of Lambda go up. Least squares on
    # logs cannot use that point at all.
    assert with_zero.Lambda.value > without.Lambda.value
    assert with_zero.Lambda.low > without.Lambda.low
    assert with_zero.p_value is not None and with_zero.p_value > 0.05


def test_exact_two_point_fit():
    # Two points, two parameters: the curve passes through both observed rates.
    points = [
        FitPoint(distance=3, shots=10_000, errors=1_000),
        FitPoint(distance=5, shots=10_000, errors=100),
    ]
    fit = fit_lambda(points)
    assert fit.Lambda.value == pytest.approx(10.0, rel=1e-6)
    assert fit.A.value == pytest.approx(10.0, rel=1e-6)
    assert fit.deviance == pytest.approx(0.0, abs=1e-8)
    assert fit.dof == 0 and fit.p_value is None


def test_uses_the_exact_per_round_relation():
    # 4000 errors in 10,000 shots of 25 rounds: per round, (1 - 0.2^(1/25)) / 2.
    points = [
        FitPoint(distance=3, shots=10_000, errors=4_000, rounds=25),
        FitPoint(distance=5, shots=10_000, errors=400, rounds=25),
    ]
    fit = fit_lambda(points)
    expected = sinter.shot_error_rate_to_piece_error_rate(0.4, pieces=25)
    assert fit.predict(3) == pytest.approx(expected, rel=1e-6)
    assert fit.predict(3) == pytest.approx(points[0].per_round, rel=1e-6)
    assert fit.predict(3) > 0.4 / 25  # not the linear approximation


def test_distance_for_target_follows_the_formula():
    fit = fit_lambda(draw(1))
    for target in (3e-3, 1e-4, 1e-6, 1e-9, 1e-12, 1e-15):
        result = fit.distance_for_target(target)
        assert isinstance(result, TargetDistance)
        continuous = 2 * math.log(fit.A.value / target) / math.log(fit.Lambda.value) - 1
        assert result.crossing is not None
        assert result.crossing.value == pytest.approx(continuous, rel=1e-9)
        d = result.distance
        assert d is not None and d % 2 == 1 and d >= 3
        assert fit.predict(d) <= target * (1 + 1e-9)
        if d > 3:
            assert fit.predict(d - 2) > target
        assert result.distance_low is not None and result.distance_high is not None
        assert result.distance_low <= d <= result.distance_high
        assert result.crossing.low < continuous < result.crossing.high
        assert result.extrapolated == (d > max(DISTANCES))


def test_distance_for_target_flags_extrapolation():
    fit = fit_lambda(draw(1))
    inside = fit.distance_for_target(fit.predict(6))
    assert inside.distance == 7 and not inside.extrapolated
    beyond = fit.distance_for_target(1e-12)
    assert beyond.distance is not None and beyond.distance > 9 and beyond.extrapolated
    assert "extrapolated" in str(beyond)


def test_distance_interval_widens_with_extrapolation():
    fit = fit_lambda(draw(1))
    near, far = fit.distance_for_target(1e-6), fit.distance_for_target(1e-15)
    assert near.crossing is not None and far.crossing is not None
    assert far.crossing.high - far.crossing.low > near.crossing.high - near.crossing.low


def test_above_threshold_has_no_distance():
    # Errors grow with distance: Lambda < 1, and the data exclude Lambda > 1.
    points = [
        FitPoint(distance=3, shots=1_000, errors=100),
        FitPoint(distance=5, shots=1_000, errors=150),
        FitPoint(distance=7, shots=1_000, errors=200),
    ]
    fit = fit_lambda(points)
    assert fit.Lambda.high < 1
    result = fit.distance_for_target(1e-6)
    assert result == TargetDistance(
        target=1e-6,
        distance=None,
        distance_low=None,
        distance_high=None,
        extrapolated=True,
        crossing=None,
    )


def test_near_threshold_leaves_the_distance_unbounded():
    # Lambda is about 1 and not known to be above or below it.
    points = [
        FitPoint(distance=3, shots=10_000, errors=100),
        FitPoint(distance=5, shots=10_000, errors=101),
        FitPoint(distance=7, shots=10_000, errors=99),
    ]
    fit = fit_lambda(points)
    assert fit.Lambda.low < 1 < fit.Lambda.high
    result = fit.distance_for_target(1e-6)
    assert result.distance_high is None
    assert result.extrapolated


def test_errors_only_at_a_middle_distance_can_be_fitted():
    points = [
        FitPoint(distance=3, shots=1_000, errors=0),
        FitPoint(distance=5, shots=100_000, errors=5),
        FitPoint(distance=7, shots=1_000_000, errors=0),
    ]
    fit = fit_lambda(points)
    assert math.isfinite(fit.Lambda.value) and fit.Lambda.low < fit.Lambda.value


@pytest.mark.parametrize(
    "points, message",
    [
        ([FitPoint(distance=3, shots=100, errors=5)], "at least 2 distinct distances"),
        (
            [FitPoint(distance=3, shots=100, errors=5), FitPoint(distance=3, shots=50, errors=1)],
            "at least 2 distinct distances",
        ),
        (
            [FitPoint(distance=3, shots=100, errors=0), FitPoint(distance=5, shots=100, errors=0)],
            "errors > 0 at one distance at least",
        ),
        (
            [FitPoint(distance=3, shots=100, errors=9), FitPoint(distance=5, shots=100, errors=0)],
            "Lambda -> infinity",
        ),
        (
            [FitPoint(distance=3, shots=100, errors=0), FitPoint(distance=5, shots=100, errors=9)],
            "Lambda -> 0",
        ),
        ([], "at least 2 distinct distances"),
    ],
)
def test_unfittable_data(points, message):
    with pytest.raises(QecError, match=re.escape(message)):
        fit_lambda(points)


def test_rejects_what_is_not_a_point():
    with pytest.raises(QecError, match="FitPoint"):
        fit_lambda([(3, 100, 5), (5, 100, 1)])  # type: ignore[list-item]


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"distance": 3, "shots": 10, "errors": 11}, "errors=11"),
        ({"distance": 3, "shots": 10, "errors": -1}, "errors=-1"),
        ({"distance": 3, "shots": 0, "errors": 0}, "shots=0"),
        ({"distance": 0, "shots": 10, "errors": 1}, "distance=0"),
        ({"distance": True, "shots": 10, "errors": 1}, "distance=True"),
        ({"distance": 3, "shots": 10, "errors": 1, "rounds": 0}, "rounds=0"),
        ({"distance": 3.0, "shots": 10, "errors": 1}, "distance=3.0"),
    ],
)
def test_bad_points(kwargs, parameter):
    with pytest.raises(QecError, match=parameter):
        FitPoint(**kwargs)


@pytest.mark.parametrize("target", [0, 0.5, -1e-9, 1.0, float("nan"), "1e-9", True])
def test_bad_targets(target):
    fit = fit_lambda(draw(0))
    with pytest.raises(QecError, match="target="):
        fit.distance_for_target(target)


def test_results_are_frozen_and_round_trip_through_repr():
    point = FitPoint(distance=3, shots=100, errors=5, rounds=3)
    assert eval(repr(point)) == point
    interval = Interval(value=2.0, low=1.0, high=math.inf)
    assert interval.to_json() == {"value": 2.0, "low": 1.0, "high": None}
    fit = fit_lambda(draw(0))
    assert isinstance(fit, LambdaFit)
    with pytest.raises(AttributeError):
        fit.deviance = 0.0  # type: ignore[misc]
    assert set(fit.to_json()) >= {"model", "fitted_distances", "lambda", "A", "p_value"}


def row(
    strong_id: str, shots: int, errors: int, discards: int = 0, decoder: str = "pymatching", **meta
) -> sinter.TaskStats:
    return sinter.TaskStats(
        strong_id=strong_id,
        decoder=decoder,
        json_metadata=meta,
        shots=shots,
        errors=errors,
        discards=discards,
    )


def test_fit_points_from_stats_groups_rows():
    common = {"code": "surface", "basis": "Z"}
    rows = []
    for noise, counts in [("a", (400, 60, 9)), ("b", (900, 400, 200))]:
        for d, errors in zip((3, 5, 7), counts, strict=True):
            rows.append(
                row(
                    f"{noise}{d}",
                    10_000,
                    errors,
                    distance=d,
                    dx=d,
                    dz=d,
                    rounds=d,
                    qubits=2 * d * d - 1,
                    noise=noise,
                    **common,
                )
            )
    # Added to the d = 3 point of noise "a": same distance and rounds, another task.
    rows.append(row("a3-more", 10_000, 400, distance=3, rounds=3, noise="a", **common))
    # Discards are not shots of the experiment.
    rows.append(row("a5-post", 1_000, 6, discards=500, distance=5, rounds=5, noise="a", **common))
    # Skipped, and counted.
    rows.append(row("s", 100, 1, distance=3, rounds=3, noise="a", stratum=1, **common))
    rows.append(row("r", 100, 1, distance=3, dx=3, dz=5, rounds=3, noise="a", **common))
    rows.append(row("n", 100, 1, rounds=3, noise="a", **common))
    # Another decoder is another group.
    rows.append(row("c3", 1_000, 10, decoder="other", distance=3, rounds=3, noise="a", **common))

    result = fit_points_from_stats(rows)
    # The stratified row names no code of the package: its circuit cannot be rebuilt.
    unreadable = [k for k in result.skipped if k.startswith("stratified rows that describe no")]
    assert len(unreadable) == 1 and "code='surface' is not allowed" in unreadable[0]
    assert result.skipped == {
        unreadable[0]: 1,
        "rectangular code (dx != dz)": 1,
        "no integer 'distance'": 1,
    }
    groups = {(g.metadata["noise"], g.metadata["decoder"]): g for g in result.groups}
    assert set(groups) == {("a", "pymatching"), ("b", "pymatching"), ("a", "other")}
    a = groups["a", "pymatching"]
    assert dict(a.metadata) == {
        "code": "surface",
        "basis": "Z",
        "noise": "a",
        "decoder": "pymatching",
    }
    assert a.points == (
        FitPoint(distance=3, shots=20_000, errors=800, rounds=3),
        FitPoint(distance=5, shots=10_500, errors=66, rounds=5),
        FitPoint(distance=7, shots=10_000, errors=9, rounds=7),
    )
    assert a.fit is not None and a.error is None
    assert a.fit == fit_lambda(a.points)
    b = groups["b", "pymatching"]
    assert b.fit is not None and b.fit.Lambda.value < a.fit.Lambda.value
    lonely = groups["a", "other"]
    assert lonely.fit is None and lonely.error is not None
    assert "at least 2 distinct distances" in lonely.error


def test_fit_points_from_stats_by_rounds():
    rows = [
        row(f"{d}-{r}", 10_000, e, distance=d, rounds=r, noise="a")
        for d, r, e in [(3, 3, 300), (5, 3, 40), (3, 9, 800), (5, 9, 120), (7, 9, 20)]
    ]
    mixed = fit_points_from_stats(rows)
    assert len(mixed.groups) == 1 and len(mixed.groups[0].points) == 5
    split = fit_points_from_stats(rows, point_keys=("distance",))
    assert sorted(len(g.points) for g in split.groups) == [2, 3]
    assert all(g.fit is not None for g in split.groups)
    with pytest.raises(QecError, match="point_keys"):
        fit_points_from_stats(rows, point_keys=("rounds",))


def test_repetition_code_capacity_end_to_end():
    # The repetition code under code-capacity bit flips with matching (here, majority
    # vote) fails when at least (d+1)/2 of the d bits flip. That closed form is not
    # exactly A * Lambda^(-(d+1)/2), so the Lambda it implies is the fit to its expected
    # counts with the same shots (the value the fit converges to). The simulated fit
    # must agree with it to within twice its 95% half-width (about 4 standard errors).
    p = 0.05
    shots_at = {3: 100_000, 5: 200_000, 7: 500_000, 9: 1_000_000}
    simulated, expected = [], []
    for d, shots in shots_at.items():
        circuit = CodeCapacity(p=p).noisy_circuit(
            RepetitionCode(distance=d).memory_circuit(rounds=1, basis="Z")
        )
        matching = pymatching.Matching.from_detector_error_model(
            circuit.detector_error_model(decompose_errors=True)
        )
        detections, observables = circuit.compile_detector_sampler(seed=d).sample(
            shots, separate_observables=True
        )
        predictions = matching.decode_batch(detections)
        errors = int(np.count_nonzero(np.any(predictions != observables, axis=1)))
        closed_form = float(binom.sf((d - 1) // 2, d, p))  # P(Binomial(d, p) >= (d+1)/2)
        sd = math.sqrt(shots * closed_form)
        assert abs(errors - shots * closed_form) < 4 * sd, (d, errors, shots * closed_form)
        simulated.append(FitPoint(distance=d, shots=shots, errors=errors))
        scale = 10**6
        expected.append(
            FitPoint(distance=d, shots=shots * scale, errors=round(shots * scale * closed_form))
        )
    fit = fit_lambda(simulated)
    implied = fit_lambda(expected).Lambda.value
    assert 5.5 < implied < 6.5  # about p_L(d) / p_L(d + 2)
    half_width = math.log(fit.Lambda.high / fit.Lambda.low) / 2
    assert abs(math.log(fit.Lambda.value / implied)) < 2 * half_width
    assert fit.p_value is not None and fit.p_value > 1e-3


def test_prediction_interval_at_an_exactly_fitted_point_is_its_binomial_likelihood_interval():
    # Two distances fix both parameters, so the profile interval of the prediction at
    # one of them is the likelihood-ratio interval of that point's own binomial count.
    n, k = 10_000, 100
    fit = fit_lambda(
        [FitPoint(distance=3, shots=n, errors=1000), FitPoint(distance=5, shots=n, errors=k)]
    )

    def drop(p: float) -> float:
        def loglik(q: float) -> float:
            return k * math.log(q) + (n - k) * math.log(1 - q)

        return 2 * (loglik(k / n) - loglik(p)) - chi2.ppf(0.95, 1)

    low, high = brentq(drop, 1e-4, k / n), brentq(drop, k / n, 0.1)
    interval = fit.predict_interval(5)
    assert interval.value == pytest.approx(k / n, rel=1e-4)
    assert interval.low == pytest.approx(low, rel=1e-3)
    assert interval.high == pytest.approx(high, rel=1e-3)


def test_a_prediction_far_beyond_a_steep_fit_stays_a_number_at_the_floor():
    # Lambda ~ 5e8: at d = 151 the rate is ~1e-650, below what a float holds.
    fit = fit_lambda(
        [
            FitPoint(distance=3, shots=10_000, errors=5000),
            FitPoint(distance=5, shots=10**9, errors=1),
        ]
    )
    predicted = fit.predict_interval(151)
    assert 0 < predicted.high < 1e-280 and predicted.low <= predicted.value <= predicted.high
