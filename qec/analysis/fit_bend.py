"""Fits whose exponential may bend: p_L(d) = A * Lambda^(-h) * h^gamma, h = (d+1)/2.

Along a family the local Lambda (the ratio of the rates two distances apart) need not
stay constant. The number of ways to fail grows with the distance: for the repetition
code under independent flips at rate p, p_L ~ h^(-1/2) (4 p (1 - p))^h (the binomial tail
at half the code), so at small distances the rate falls faster than it does
asymptotically; a fit of the plain exponential over small distances is then optimistic
far beyond them. The power h^gamma is the first finite-size correction of the
exponential, and gamma = 0 gives back `qec.analysis.fit`'s model (Lambda is the
asymptotic one).

`fit_rates` states the rule the footprint solver follows:

- with fewer than `MIN_BEND_DISTANCES` distinct distances the bend cannot be measured:
  the exponential (`fit_lambda`), with its own intervals;
- otherwise both are fitted by maximum likelihood (`qec.analysis.likelihood`). The
  central curve is the exponential's unless the likelihood-ratio test rejects it
  against the bent model at 95% (twice the log-likelihood gain above 3.84), then the
  bent model's. Every interval (parameters, predictions) is the bent model's 95%
  profile-likelihood interval, gamma free, so an extrapolation's interval includes the
  uncertainty of the bend. A central exponential lies inside them: it is the bent model
  at gamma = 0, which the test did not reject.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize
from scipy.stats import chi2

from qec.analysis.fit import (
    MAX_DISTANCE,
    LambdaFit,
    TargetDistance,
    check_target,
    fit_lambda,
    target_distance,
)
from qec.analysis.fit_point import FitPoint
from qec.analysis.likelihood import (
    LOG_FLOOR,
    LOG_HALF,
    PointsLikelihood,
    first_crossing,
    max_on_plane,
)
from qec.intervals import CONFIDENCE, Interval

BENT_MODEL = "p_L(d) = A * Lambda^(-h) * h^gamma, h = (d+1)/2"
MIN_BEND_DISTANCES = 4  # three parameters, and one distance left to test them
# The likelihood-ratio threshold of the test, and twice the drop at a 95% profile end:
# the 95% quantile of chi2 with 1 degree of freedom (3.84).
CHI2_95 = float(chi2.ppf(CONFIDENCE, 1))


@dataclasses.dataclass(frozen=True)
class BentFit:
    """A fit of the bent model (see the module): `A`, `Lambda` and `gamma` are the
    central curve's values (the exponential's, gamma = 0, when `bent` is False) with the
    bent model's 95% profile-likelihood intervals. `maximum` is the bent model's
    maximum-likelihood (ln A, ln Lambda, gamma) and `log_likelihood` its value;
    `deviance`, `dof` (points - 3) and `p_value` its goodness of fit, as in `LambdaFit`.
    `exponential_log_likelihood` is the plain exponential's maximum.

    Examples:
        >>> import math
        >>> points = [FitPoint(distance=d, shots=10**6, errors=round(10**6 * 0.1 * h**-1.5
        ...           * 2.0**-h)) for d in (3, 5, 7, 9, 11, 13, 15) for h in [(d + 1) / 2]]
        >>> fit = fit_rates(points)
        >>> fit.bent, round(fit.gamma.value, 1), round(fit.Lambda.value, 1)
        (True, -1.5, 2.0)
        >>> fit.predict_interval(31).low < fit.predict(31) < fit.predict_interval(31).high
        True
    """

    A: Interval
    Lambda: Interval
    gamma: Interval
    bent: bool
    points: tuple[FitPoint, ...]
    maximum: tuple[float, float, float]
    log_likelihood: float
    exponential_log_likelihood: float
    deviance: float
    dof: int
    p_value: float | None
    model: str = BENT_MODEL

    @property
    def distances(self) -> tuple[int, ...]:
        """The distinct fitted distances, increasing."""
        return tuple(sorted({p.distance for p in self.points}))

    def predict(self, distance: float) -> float:
        """The central curve's per-round p_L at `distance`."""
        h = (distance + 1) / 2
        log_p = math.log(self.A.value) - h * math.log(self.Lambda.value)
        return math.exp(max(LOG_FLOOR, log_p + self.gamma.value * math.log(h)))

    def predict_interval(self, distance: float) -> Interval:
        """The per-round p_L at `distance` with the bent model's 95% profile-likelihood
        interval: p is in it when the best bent model through p at `distance` is within
        1.92 of the maximum log-likelihood. Outside the fitted distances this is an
        extrapolation of the model, its bend's uncertainty included."""
        h = (distance + 1) / 2
        low, high = self._profile((1.0, -h, math.log(h)), math.log(self.predict(distance)))
        return Interval(
            self.predict(distance),
            0.0 if low is None else math.exp(low),
            0.5 if high is None else math.exp(min(high, LOG_HALF)),
        )

    def distance_for_target(self, target: float) -> TargetDistance:
        """The smallest odd distance (>= 3) whose central per-round p_L is <= `target`,
        with a 95% interval: D is in it when the best bent model reaching `target` at D
        is within 1.92 of the maximum log-likelihood (the same profile as
        `predict_interval`, on the plane ln A - h ln Lambda + gamma ln h = ln target).

        Examples:
            >>> points = [FitPoint(distance=d, shots=10**6, errors=round(10**6 * 0.1
            ...           * h**-1.5 * 2.0**-h)) for d in (3, 5, 7, 9, 11, 13, 15)
            ...           for h in [(d + 1) / 2]]
            >>> print(fit_rates(points).distance_for_target(1e-6))
            target 1e-06: d = 23 [21, 23] (extrapolated)
        """
        target = check_target(target)
        log_t = math.log(target)
        space = _Centred(self.points).anchor(self.maximum, self.log_likelihood)

        def excess(d: float) -> float:
            h = (d + 1) / 2
            return space.drop((1.0, -h, math.log(h)), log_t)

        return target_distance(target, self._crossing(log_t), excess, self.distances)

    def _crossing(self, log_target: float) -> float:
        """The smallest continuous distance D >= 1 at which the central curve reaches
        e^log_target (inf when none does within MAX_DISTANCE)."""

        def above(d: float) -> float:
            return math.log(self.predict(d)) - log_target

        grid = np.geomspace(1.0, MAX_DISTANCE, 400)
        below = np.flatnonzero([above(d) <= 0 for d in grid])
        if len(below) == 0:
            return math.inf
        first = int(below[0])
        if first == 0:
            return 1.0
        return float(brentq(above, grid[first - 1], grid[first], xtol=1e-9))

    def _profile(
        self, normal: tuple[float, float, float], center: float
    ) -> tuple[float | None, float | None]:
        """The 95% profile interval of normal @ (ln A, ln Lambda, gamma) around
        `center` (None: unbounded), in the bent model's likelihood."""
        return (
            _Centred(self.points).anchor(self.maximum, self.log_likelihood).interval(normal, center)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "bent": self.bent,
            "fitted_distances": list(self.distances),
            "points": [p.to_json() for p in self.points],
            "lambda": self.Lambda.to_json(),
            "A": self.A.to_json(),
            "gamma": self.gamma.to_json(),
            "log_likelihood": self.log_likelihood,
            "exponential_log_likelihood": self.exponential_log_likelihood,
            "deviance": self.deviance,
            "dof": self.dof,
            "p_value": self.p_value,
        }

    def __str__(self) -> str:
        quality = "" if self.p_value is None else f", p-value {self.p_value:.3g}"
        central = "bent" if self.bent else "exponential (the bend is not needed at 95%)"
        return (
            f"{self.model}, distances {', '.join(map(str, self.distances))}: "
            f"Lambda = {self.Lambda}, gamma = {self.gamma}, A = {self.A}; central "
            f"{central}; deviance {self.deviance:.3g} on {self.dof} dof{quality}"
        )


# What `fit_rates` returns.
RateFit = LambdaFit | BentFit


class _Centred:
    """The bent model's likelihood over `points` in centred parameters y = (b, ln Lambda,
    gamma), log p = b - ln Lambda (h - h0) + gamma ln(h / h0): far better conditioned
    than (ln A, ln Lambda, gamma). Its profile searches, once `anchor`ed at the maximum,
    warm-start from their last solution inside the 95% region."""

    def __init__(self, points: tuple[FitPoint, ...]) -> None:
        self.like = PointsLikelihood(points)
        h = self.like.h
        weights = np.array([p.information for p in points], dtype=float)
        self.h0 = float(np.sum(weights * h) / np.sum(weights))
        self.design = np.stack([np.ones_like(h), -(h - self.h0), np.log(h / self.h0)], axis=1)
        self.best = -math.inf
        self.start = np.zeros(3)

    def centred(self, x: tuple[float, float, float]) -> np.ndarray:
        """(ln A, ln Lambda, gamma) in centred parameters."""
        a, log_lambda, gamma = x
        return np.array([a - log_lambda * self.h0 + gamma * math.log(self.h0), log_lambda, gamma])

    def uncentred(self, y: np.ndarray) -> tuple[float, float, float]:
        """Centred parameters as (ln A, ln Lambda, gamma)."""
        b, log_lambda, gamma = (float(v) for v in y)
        return b + log_lambda * self.h0 - gamma * math.log(self.h0), log_lambda, gamma

    def maximize(
        self, start: tuple[float, float, float]
    ) -> tuple[tuple[float, float, float], float]:
        """The maximum-likelihood (ln A, ln Lambda, gamma) searched from `start`, and the
        log-likelihood there."""

        def negative(y: np.ndarray) -> tuple[float, np.ndarray]:
            log_p = np.maximum(self.design @ y, LOG_FLOOR)
            return -self.like.of_log_p(log_p), -(self.design.T @ self.like.gradient_log_p(log_p))

        result = minimize(
            negative, self.centred(start), jac=True, method="BFGS", options={"gtol": 1e-8}
        )
        return self.uncentred(result.x), -float(result.fun)

    def anchor(self, maximum: tuple[float, float, float], best: float) -> _Centred:
        """Sets the maximum the profile searches start from and measure drops against."""
        self.best = best
        self.start = self.centred(maximum)
        return self

    def at(self, normal: np.ndarray, level: float) -> float:
        """The largest log-likelihood with normal @ y = level (warm-started)."""
        value, y = max_on_plane(self.like, self.design, normal, level, self.start)
        if value > self.best - CHI2_95:  # stay inside the region for the next search
            self.start = y
        return value

    def _vector(self, normal: tuple[float, float, float]) -> np.ndarray:
        """A normal over (ln A, ln Lambda, gamma) as one over the centred parameters."""
        n_a, n_l, n_g = normal
        return np.array([n_a, n_a * self.h0 + n_l, n_g - n_a * math.log(self.h0)])

    def drop(self, normal: tuple[float, float, float], level: float) -> float:
        """Twice the profile's drop from the maximum on the plane normal @ (ln A,
        ln Lambda, gamma) = level, minus 3.84: below 0 inside the 95% region."""
        return 2 * (self.best - self.at(self._vector(normal), level)) - CHI2_95

    def interval(
        self, normal: tuple[float, float, float], center: float
    ) -> tuple[float | None, float | None]:
        """The ends of normal @ (ln A, ln Lambda, gamma) where the profile drops by 1.92
        from the maximum, searched outward from `center` (None: unbounded)."""
        maximum = self.start.copy()

        def excess(level: float) -> float:
            return self.drop(normal, level)

        step = 0.05 * max(1.0, abs(center))
        ends = []
        for sign in (-1.0, 1.0):
            self.start = maximum.copy()
            ends.append(first_crossing(excess, center, sign * step, center + sign * 700.0))
        return ends[0], ends[1]


def fit_rates(points: Iterable[FitPoint]) -> RateFit:
    """The fit the rule of the module chooses: `fit_lambda(points)` with fewer than
    `MIN_BEND_DISTANCES` distinct distances, else a `BentFit` (its central curve
    exponential or bent by the likelihood-ratio test, its intervals the bent model's).
    QecError as `fit_lambda` raises it.

    Examples:
        >>> fit = fit_rates([FitPoint(distance=3, shots=10_000, errors=1000),
        ...                  FitPoint(distance=5, shots=10_000, errors=100),
        ...                  FitPoint(distance=7, shots=10_000, errors=10)])
        >>> type(fit).__name__
        'LambdaFit'
    """
    points = tuple(points)
    plain = fit_lambda(points)
    if len(plain.distances) < MIN_BEND_DISTANCES:
        return plain
    space = _Centred(points)
    a0, l0 = math.log(plain.A.value), math.log(plain.Lambda.value)
    maximum, found = space.maximize((a0, l0, 0.0))
    best = max(found, plain.log_likelihood)
    bent = 2 * (best - plain.log_likelihood) > CHI2_95
    central = maximum if bent else (a0, l0, 0.0)
    profile = space.anchor(maximum, best)

    def interval(normal: tuple[float, float, float], value: float) -> Interval:
        low, high = profile.interval(normal, value)
        return Interval(
            value, -math.inf if low is None else low, math.inf if high is None else high
        )

    log_a = interval((1.0, 0.0, 0.0), central[0])
    log_l = interval((0.0, 1.0, 0.0), central[1])
    deviance = max(0.0, 2 * (space.like.saturated() - best))
    dof = len(points) - 3
    return BentFit(
        A=log_a.map(math.exp),
        Lambda=log_l.map(math.exp),
        gamma=interval((0.0, 0.0, 1.0), central[2]),
        bent=bent,
        points=points,
        maximum=maximum,
        log_likelihood=best,
        exponential_log_likelihood=plain.log_likelihood,
        deviance=deviance,
        dof=dof,
        p_value=float(chi2.sf(deviance, dof)) if dof > 0 else None,
    )
