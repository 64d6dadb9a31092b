"""Fits of the logical error rate against distance, and the distance a target needs.

The model is the usual exponential suppression at fixed noise,

    p_L(d) = A * Lambda^(-(d+1)/2),

where p_L is the logical error rate per round. A shot of `rounds` rounds fails with
probability P = 1/2 - 1/2 (1 - 2 p_L)^rounds (the rounds flip the observable
independently; sinter's `shot_error_rate_to_piece_error_rate` convention), and the
errors seen in a point's shots are binomial with that P. The parameters are fitted by
maximum likelihood on those binomial counts, so points with zero errors count (they
say "p_L is small here") instead of being dropped as they must be from a least-squares
fit of log(p_L). A rate estimated by stratified sampling or splitting is no count of
shots: it enters with its own 95% interval (`qec.analysis.likelihood`). Intervals are
95% profile-likelihood (likelihood-ratio) intervals.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.stats import chi2

from qec.analysis.fit_point import FitPoint
from qec.analysis.likelihood import LOG_FLOOR, LOG_HALF, PointsLikelihood, first_crossing
from qec.errors import QecError, check_number
from qec.intervals import CONFIDENCE, Interval, shot_to_round

MODEL = "p_L(d) = A * Lambda^(-(d+1)/2)"
# Half the chi-square(1) quantile: a parameter value is in the 95% profile-likelihood
# interval when the log-likelihood maximised with it fixed is within this of the maximum.
_DROP = float(chi2.ppf(CONFIDENCE, 1)) / 2  # 1.9207...
MAX_DISTANCE = 1e6  # required distances beyond this count as infinite (None)


def check_target(target: Any) -> float:
    """Returns `target` as a float if it is a per-round error rate in (0, 0.5).

    Examples:
        >>> check_target(1e-9)
        1e-09
    """
    check_number(
        "target",
        target,
        allowed="a per-round logical error rate in (0, 0.5)",
        accept=lambda t: 0 < t < 0.5,
    )
    return float(target)


@dataclasses.dataclass(frozen=True)
class TargetDistance:
    """The smallest odd distance (>= 3) whose predicted per-round p_L is <= `target`,
    with a 95% interval.

    `crossing` is the continuous distance D where the fitted curve reaches the target,
    A * Lambda^(-(D+1)/2) = target (or the bent model's curve, `qec.analysis.fit_bend`),
    with its 95% profile-likelihood interval (its low end stops at 1; an infinite value
    or high end means no crossing, e.g. Lambda <= 1, is the fit or is not excluded).
    `distance`, `distance_low` and `distance_high` are the smallest odd distances >= 3
    at or beyond crossing's value, low and high ends; None stands for infinity (no
    distance reaches the target). When the data exclude every crossing (for the
    exponential, Lambda > 1) at 95%, `crossing` and all three are None. `extrapolated`
    is True when `distance` lies outside the fitted distances (or is None).
    """

    target: float
    distance: int | None
    distance_low: int | None
    distance_high: int | None
    extrapolated: bool
    crossing: Interval | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "distance": self.distance,
            "distance_low": self.distance_low,
            "distance_high": self.distance_high,
            "extrapolated": self.extrapolated,
            "crossing": None if self.crossing is None else self.crossing.to_json(),
        }

    def __str__(self) -> str:
        def show(d: int | None) -> str:
            return "none" if d is None else str(d)

        return (
            f"target {self.target:.3g}: d = {show(self.distance)} "
            f"[{show(self.distance_low)}, {show(self.distance_high)}]"
            + (" (extrapolated)" if self.extrapolated else "")
        )


def _smallest_odd_at_least(x: float) -> int:
    """The smallest odd integer >= max(x, 3)."""
    if x <= 3:
        return 3
    return 2 * math.ceil((x - 1) / 2 - 1e-9) + 1


def target_distance(
    target: float, d_hat: float, excess: Callable[[float], float], fitted: tuple[int, ...]
) -> TargetDistance:
    """The `TargetDistance` of a fit whose central curve crosses `target` at the
    continuous distance `d_hat` (inf: nowhere), with `excess(D)` below 0 where a curve
    the data allow at 95% crosses it at D (twice the profile's drop minus 3.84), and
    `fitted` the fitted distances."""
    if d_hat < MAX_DISTANCE:  # the fitted curve crosses the target at d_hat
        high = first_crossing(excess, d_hat, 1.0, MAX_DISTANCE)
        low = first_crossing(excess, d_hat, -1.0, 1.0) if d_hat > 1 else None
    elif excess(MAX_DISTANCE) < 0:  # no crossing in reach, but one is allowed
        d_hat, high = math.inf, None
        low = first_crossing(excess, MAX_DISTANCE, -1.0, 1.0)
    else:  # the data exclude any crossing in reach
        return TargetDistance(
            target=target,
            distance=None,
            distance_low=None,
            distance_high=None,
            extrapolated=True,
            crossing=None,
        )
    crossing = Interval(d_hat, 1.0 if low is None else low, math.inf if high is None else high)
    distance = _smallest_odd_at_least(d_hat) if math.isfinite(d_hat) else None
    return TargetDistance(
        target=target,
        distance=distance,
        distance_low=_smallest_odd_at_least(crossing.low),
        distance_high=(
            _smallest_odd_at_least(crossing.high) if math.isfinite(crossing.high) else None
        ),
        extrapolated=distance is None or not fitted[0] <= distance <= fitted[-1],
        crossing=crossing,
    )


@dataclasses.dataclass(frozen=True)
class LambdaFit:
    """Maximum-likelihood fit of p_L(d) = A * Lambda^(-(d+1)/2), p_L per round.

    `A` and `Lambda` carry 95% profile-likelihood intervals. `deviance` is twice the
    log-likelihood gap to the saturated model (each point its own rate) and `p_value`
    its chi-square tail with `dof` = number of points - 2 degrees of freedom (None when
    dof = 0); a small p-value says the model does not describe the points (e.g. the
    smallest distance is not yet in the exponential regime). The chi-square
    approximation is rough when points have few errors.

    Examples:
        >>> points = [FitPoint(distance=3, shots=10_000, errors=1000),
        ...           FitPoint(distance=5, shots=10_000, errors=100),
        ...           FitPoint(distance=7, shots=10_000, errors=10)]
        >>> fit = fit_lambda(points)
        >>> print(fit.Lambda, fit.A)
        10 [8.46, 12] 10 [7, 14.6]
        >>> fit.distances
        (3, 5, 7)
        >>> print(fit.distance_for_target(1e-6))
        target 1e-06: d = 13 [13, 15] (extrapolated)
    """

    A: Interval
    Lambda: Interval
    points: tuple[FitPoint, ...]
    log_likelihood: float
    deviance: float
    dof: int
    p_value: float | None
    model: str = MODEL

    @property
    def distances(self) -> tuple[int, ...]:
        """The distinct fitted distances, increasing."""
        return tuple(sorted({p.distance for p in self.points}))

    def predict(self, distance: float) -> float:
        """The fitted per-round p_L at `distance`."""
        return self.A.value * math.pow(self.Lambda.value, -(distance + 1) / 2)

    def predict_interval(self, distance: float) -> Interval:
        """The fitted per-round p_L at `distance` with its 95% profile-likelihood interval.

        The models with A Lambda^(-(d+1)/2) = p form a line in (ln A, ln Lambda); p is in
        the interval when the best of them is within 1.92 of the maximum log-likelihood.
        Outside the fitted distances this is an extrapolation of the model.

        Examples:
            >>> fit = fit_lambda([FitPoint(distance=3, shots=10_000, errors=1000),
            ...                   FitPoint(distance=5, shots=10_000, errors=100)])
            >>> print(fit.predict_interval(5))
            0.01 [0.00817, 0.0121]
        """
        like = PointsLikelihood(self.points)
        h = (distance + 1) / 2
        # In logs: far beyond the fit the rate underflows a float (then the floor).
        a, lam = self.A.value, self.Lambda.value
        log_hat = max(LOG_FLOOR, math.log(a) - h * math.log(lam)) if a > 0 else LOG_FLOOR

        def excess(log_p: float) -> float:
            best = like.max_on_line(log_p, 0.0, h, 1.0)
            return 2 * (self.log_likelihood - best) - 2 * _DROP

        low = first_crossing(excess, log_hat, -1.0, LOG_FLOOR)
        high = first_crossing(excess, log_hat, 1.0, LOG_HALF)
        return Interval(
            math.exp(log_hat),
            0.0 if low is None else math.exp(low),
            0.5 if high is None else math.exp(high),
        )

    def distance_for_target(self, target: float) -> TargetDistance:
        """The smallest odd distance (>= 3) whose predicted p_L per round is <= `target`,
        with a 95% interval.

        The interval comes from the profile likelihood of the continuous distance D at
        which the curve crosses the target: the models with A Lambda^(-(D+1)/2) = target
        and Lambda > 1 form a line in (ln A, ln Lambda); D is in the interval when the
        best of them is within chi2(1)_0.95 / 2 = 1.92 of the maximum log-likelihood.
        The interval's ends are rounded up to odd distances like the estimate.
        """
        target = check_target(target)
        like = PointsLikelihood(self.points)
        a_hat, l_hat = math.log(self.A.value), math.log(self.Lambda.value)
        log_t = math.log(target)

        def excess(d: float) -> float:
            h = (d + 1) / 2
            best = like.max_on_line(log_t, 0.0, h, 1.0, s_min=1e-12)
            return 2 * (self.log_likelihood - best) - 2 * _DROP

        d_hat = 2 * (a_hat - log_t) / l_hat - 1 if l_hat > 0 else math.inf
        return target_distance(target, d_hat, excess, self.distances)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "fitted_distances": list(self.distances),
            "points": [p.to_json() for p in self.points],
            "lambda": self.Lambda.to_json(),
            "A": self.A.to_json(),
            "log_likelihood": self.log_likelihood,
            "deviance": self.deviance,
            "dof": self.dof,
            "p_value": self.p_value,
        }

    def __str__(self) -> str:
        quality = "" if self.p_value is None else f", p-value {self.p_value:.3g}"
        return (
            f"{self.model}, distances {', '.join(map(str, self.distances))}: "
            f"Lambda = {self.Lambda}, A = {self.A}; "
            f"deviance {self.deviance:.3g} on {self.dof} dof{quality}"
        )


def _check_identifiable(points: tuple[FitPoint, ...]) -> None:
    """Raises QecError unless failures pin p_L at two distances (or at one between
    distances that bound it from above)."""
    seen_at: dict[int, float] = {}
    for p in points:
        seen_at[p.distance] = seen_at.get(p.distance, 0.0) + p.information
    seen_at = dict(sorted(seen_at.items()))
    if len(seen_at) < 2:
        raise QecError.invalid(
            "distances", list(seen_at), f"at least 2 distinct distances to fit {MODEL}"
        )
    errors_at = {
        d: sum(p.errors for p in points if p.distance == d and p.binomial) for d in seen_at
    }
    with_errors = [d for d, seen in seen_at.items() if seen > 0]
    if not with_errors:
        raise QecError.invalid(
            "errors",
            errors_at,
            "errors > 0 at one distance at least (or an estimate with a lower bound above 0); "
            "collect more shots at the smallest distance",
        )
    if len(with_errors) == 1 and with_errors[0] in (min(seen_at), max(seen_at)):
        smallest = with_errors[0] == min(seen_at)
        raise QecError.invalid(
            "errors",
            errors_at,
            "errors > 0 at a second distance: with errors only at the "
            + ("smallest" if smallest else "largest")
            + " distance the likelihood grows without bound as Lambda -> "
            + ("infinity" if smallest else "0")
            + ", so Lambda has no finite estimate; collect more shots at "
            + ("larger" if smallest else "smaller")
            + " distances",
        )


def _start(points: tuple[FitPoint, ...], h0: float) -> np.ndarray:
    """A starting (b, l), log p_L = b - l (h - h0), from weighted least squares on
    per-round rates (counts with half a pseudo-error; estimates as they are, or their
    upper end when they are 0)."""

    def log_rate(p: FitPoint) -> float:
        if p.rate is not None:
            return math.log(p.rate.value if p.rate.value > 0 else p.rate.high)
        shot = min((p.errors + 0.5) / (p.shots + 1), 0.49)
        return math.log(shot_to_round(shot, rounds=p.rounds))

    h = np.array([(p.distance + 1) / 2 for p in points]) - h0
    y = np.array([log_rate(p) for p in points])
    w = np.array([p.information + 0.5 for p in points])
    design = np.stack([np.ones_like(h), -h], axis=1) * np.sqrt(w)[:, None]
    solution: np.ndarray = np.linalg.lstsq(design, y * np.sqrt(w), rcond=None)[0]
    return solution


def _profile_interval(
    best: float,
    at: Callable[[float], float],
    center: float,
) -> tuple[float | None, float | None]:
    """The ends of {c : 2 (best - at(c)) <= 3.84} around `center` (None: unbounded)."""

    def excess(c: float) -> float:
        return 2 * (best - at(c)) - 2 * _DROP

    low = first_crossing(excess, center, -0.05, center - 200)
    high = first_crossing(excess, center, 0.05, center + 200)
    return low, high


def fit_lambda(points: Iterable[FitPoint]) -> LambdaFit:
    """Fits p_L(d) = A * Lambda^(-(d+1)/2) (per round) to binomial counts, and to rates
    estimated with their intervals, by maximum likelihood, with 95% profile-likelihood
    intervals for A and Lambda.

    Each point's shots fail with probability 1/2 - 1/2 (1 - 2 p_L(d))^rounds; an
    estimated point enters as a split normal in log p_L (see `qec.analysis.likelihood`).
    The data must hold at least 2 distinct distances and failures at two of them (or at
    one that lies between distances without failures; an estimate counts when its
    interval's low end is above 0); otherwise the maximum is at Lambda = 0 or infinity
    and QecError says so.

    Examples:
        >>> fit = fit_lambda([FitPoint(distance=3, shots=100_000, errors=200, rounds=3),
        ...                   FitPoint(distance=5, shots=100_000, errors=60, rounds=5),
        ...                   FitPoint(distance=7, shots=100_000, errors=0, rounds=7)])
        >>> print(fit.Lambda)
        7.84 [6.17, 10.2]
        >>> fit_lambda([FitPoint(distance=3, shots=100, errors=5)])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        qec.errors.QecError: distances=[3] is not allowed: expected at least 2 distinct ...
    """
    points = tuple(points)
    for p in points:
        if not isinstance(p, FitPoint):
            raise QecError.invalid("points", p, "FitPoint items")
    _check_identifiable(points)
    like = PointsLikelihood(points)
    weights = np.array([p.information for p in points], dtype=float)
    h0 = float(np.sum(weights * like.h) / np.sum(weights))

    def negative(x: np.ndarray) -> float:
        return -like.of_log_p(x[0] - x[1] * (like.h - h0))

    def negative_gradient(x: np.ndarray) -> np.ndarray:
        g = like.gradient_log_p(x[0] - x[1] * (like.h - h0))
        return -np.array([np.sum(g), -np.sum(g * (like.h - h0))])

    result = minimize(
        negative,
        _start(points, h0),
        jac=negative_gradient,
        method="BFGS",
        options={"gtol": 1e-8},
    )
    b_hat, l_hat = (float(v) for v in result.x)
    a_hat = b_hat + l_hat * h0
    best = like(a_hat, l_hat)

    l_low, l_high = _profile_interval(best, lambda x: like.max_on_line(a_hat, x, 1.0, 0.0), l_hat)
    a_low, a_high = _profile_interval(best, lambda x: like.max_on_line(x, l_hat, 0.0, 1.0), a_hat)
    deviance = max(0.0, 2 * (like.saturated() - best))
    dof = len(points) - 2
    return LambdaFit(
        A=Interval(
            math.exp(a_hat),
            0.0 if a_low is None else math.exp(a_low),
            math.inf if a_high is None else math.exp(a_high),
        ),
        Lambda=Interval(
            math.exp(l_hat),
            0.0 if l_low is None else math.exp(l_low),
            math.inf if l_high is None else math.exp(l_high),
        ),
        points=points,
        log_likelihood=best,
        deviance=deviance,
        dof=dof,
        p_value=float(chi2.sf(deviance, dof)) if dof > 0 else None,
    )
