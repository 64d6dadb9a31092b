"""Fits of the logical error rate against distance, and the distance a target needs.

The model is the usual exponential suppression at fixed noise,

    p_L(d) = A * Lambda^(-(d+1)/2),

where p_L is the logical error rate per round. A shot of `rounds` rounds fails with
probability P = 1/2 - 1/2 (1 - 2 p_L)^rounds (the rounds flip the observable
independently; sinter's `shot_error_rate_to_piece_error_rate` convention), and the
errors seen in a point's shots are binomial with that P. The parameters are fitted by
maximum likelihood on those binomial counts, so points with zero errors count (they
say "p_L is small here") instead of being dropped as they must be from a least-squares
fit of log(p_L). Intervals are 95% profile-likelihood (likelihood-ratio) intervals.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

import numpy as np
import sinter
from scipy.optimize import brentq, minimize, minimize_scalar
from scipy.special import xlogy
from scipy.stats import chi2

from qec.errors import QecError, check_int, check_number, is_integer
from qec.intervals import Interval, shot_to_round

MODEL = "p_L(d) = A * Lambda^(-(d+1)/2)"
CONFIDENCE = 0.95
# Half the chi-square(1) quantile: a parameter value is in the 95% profile-likelihood
# interval when the log-likelihood maximised with it fixed is within this of the maximum.
_DROP = float(chi2.ppf(CONFIDENCE, 1)) / 2  # 1.9207...
_LOG_HALF = math.log(0.5)
_LOG_FLOOR = -650.0  # smallest log p_L a line search visits (exp underflows near -745)
_LOG_CEILING = 20.0  # largest; p_L is capped at 1/2 (a shot then fails half the time)
_MAX_DISTANCE = 1e6  # required distances beyond this count as infinite (None)

# Metadata keys that vary between the points of one fit: the distance and what follows
# from it, and the number of rounds (the likelihood uses each point's own rounds).
POINT_KEYS = ("distance", "dx", "dz", "qubits", "rounds")


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
class FitPoint:
    """`errors` logical failures in `shots` shots of `rounds` rounds at `distance`.

    Examples:
        >>> FitPoint(distance=5, shots=1000, errors=3, rounds=5).per_round
        0.00060144...
    """

    distance: int
    shots: int
    errors: int
    rounds: int = 1

    def __post_init__(self) -> None:
        check_int("distance", self.distance, minimum=1)
        check_int("shots", self.shots, minimum=1)
        check_int("rounds", self.rounds, minimum=1)
        check_int("errors", self.errors, minimum=0)
        for name in ("distance", "shots", "rounds", "errors"):  # numpy integers -> int
            object.__setattr__(self, name, int(getattr(self, name)))
        if self.errors > self.shots:
            raise QecError.invalid("errors", self.errors, f"at most shots={self.shots}")

    @property
    def per_round(self) -> float:
        """The observed per-round rate, converted from errors / shots."""
        return shot_to_round(self.errors / self.shots, rounds=self.rounds)

    def to_json(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class TargetDistance:
    """The smallest odd distance (>= 3) whose predicted per-round p_L is <= `target`,
    with a 95% interval.

    `crossing` is the continuous distance D where the fitted curve reaches the target,
    A * Lambda^(-(D+1)/2) = target, with its 95% profile-likelihood interval (its low
    end stops at 1; an infinite value or high end means no crossing, Lambda <= 1, is
    the fit or is not excluded). `distance`, `distance_low` and `distance_high` are the
    smallest odd distances >= 3 at or beyond crossing's value, low and high ends; None
    stands for infinity (no distance reaches the target). When the data exclude
    Lambda > 1 at 95%, `crossing` and all three are None. `extrapolated` is True when
    `distance` lies outside the fitted distances (or is None).
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


class _Likelihood:
    """The binomial log-likelihood of the points as a function of (a, l) = (ln A, ln Lambda)."""

    def __init__(self, points: tuple[FitPoint, ...]) -> None:
        self.n = np.array([p.shots for p in points], dtype=float)
        self.k = np.array([p.errors for p in points], dtype=float)
        self.r = np.array([p.rounds for p in points], dtype=float)
        self.h = np.array([(p.distance + 1) / 2 for p in points], dtype=float)

    def of_log_p(self, log_p: np.ndarray) -> float:
        """Log-likelihood for per-round log p_L at each point.

        Beyond p_L = 1/2 the model is meaningless: there p_L is capped at 1/2 and a
        penalty shots * (ln p_L - ln 1/2)^2 keeps the function decreasing, so that no
        search stalls on a plateau and every maximum has p_L <= 1/2 at all points.
        """
        p = np.exp(np.minimum(log_p, _LOG_HALF))
        with np.errstate(divide="ignore"):
            log_power = self.r * np.log1p(-2 * p)
        shot = -np.expm1(log_power) / 2
        keep = (1 + np.exp(log_power)) / 2
        over = np.maximum(log_p - _LOG_HALF, 0.0)
        return float(np.sum(xlogy(self.k, shot) + xlogy(self.n - self.k, keep) - self.n * over**2))

    def __call__(self, a: float, log_lambda: float) -> float:
        return self.of_log_p(a - log_lambda * self.h)

    def gradient_log_p(self, log_p: np.ndarray) -> np.ndarray:
        """d(log-likelihood) / d(log p_L) at each point."""
        capped = log_p >= _LOG_HALF
        p = np.exp(np.minimum(log_p, _LOG_HALF))
        with np.errstate(divide="ignore", invalid="ignore"):
            log_power = self.r * np.log1p(-2 * p)
            shot = -np.expm1(log_power) / 2
            keep = (1 + np.exp(log_power)) / 2
            d_shot = self.r * np.exp(log_power - np.log1p(-2 * p)) * p
            g = (np.where(self.k > 0, self.k / shot, 0.0) - (self.n - self.k) / keep) * d_shot
        return np.where(capped, -2 * self.n * (log_p - _LOG_HALF), g)

    def saturated(self) -> float:
        """The log-likelihood with each point's own observed rate."""
        f = self.k / self.n
        return float(np.sum(xlogy(self.k, f) + xlogy(self.n - self.k, 1 - f)))

    def line_bounds(
        self, a0: float, l0: float, da: float, dl: float, s_min: float = -math.inf
    ) -> tuple[float, float]:
        """The s >= s_min where every point's log p_L on the line (a0 + s da, l0 + s dl)
        is in [-650, 20] (p_L is capped at 1/2 in the likelihood)."""
        base = a0 - l0 * self.h
        slope = da - dl * self.h  # d(log p_L)/ds at each point
        lo, hi = s_min, math.inf
        for b, c in zip(base, slope, strict=True):
            if c > 0:
                hi = min(hi, (_LOG_CEILING - b) / c)
                lo = max(lo, (_LOG_FLOOR - b) / c)
            elif c < 0:
                lo = max(lo, (_LOG_CEILING - b) / c)
                hi = min(hi, (_LOG_FLOOR - b) / c)
        return lo, hi

    def max_on_line(
        self, a0: float, l0: float, da: float, dl: float, s_min: float = -math.inf
    ) -> float:
        """The largest log-likelihood on the line (a0 + s da, l0 + s dl) within
        `line_bounds`."""
        lo, hi = self.line_bounds(a0, l0, da, dl, s_min)
        if not lo < hi:
            return -1e300  # no allowed point on the line: as good as impossible
        base = a0 - l0 * self.h
        slope = da - dl * self.h
        result = minimize_scalar(
            lambda s: -self.of_log_p(base + s * slope),
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 1e-10, "maxiter": 500},
        )
        return -float(result.fun)


def _crossing(
    excess: Callable[[float], float], start: float, step: float, limit: float
) -> float | None:
    """Where excess (< 0 at `start`) first rises to 0 walking from `start` by doubling
    steps of sign(step), or None if it stays below 0 up to `limit`."""
    if excess(start) >= 0:  # only from rounding at a degenerate maximum
        return start
    inner = start
    while True:
        outer = start + step
        if (step > 0 and outer >= limit) or (step < 0 and outer <= limit):
            if excess(limit) < 0:
                return None
            outer = limit
            break
        if excess(outer) >= 0:
            break
        inner = outer
        step *= 2
    return float(brentq(excess, inner, outer, xtol=1e-9, rtol=1e-10))


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
        like = _Likelihood(self.points)
        h = (distance + 1) / 2
        log_hat = math.log(self.predict(distance))

        def excess(log_p: float) -> float:
            best = like.max_on_line(log_p, 0.0, h, 1.0)
            return 2 * (self.log_likelihood - best) - 2 * _DROP

        low = _crossing(excess, log_hat, -1.0, _LOG_FLOOR)
        high = _crossing(excess, log_hat, 1.0, _LOG_HALF)
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
        like = _Likelihood(self.points)
        a_hat, l_hat = math.log(self.A.value), math.log(self.Lambda.value)
        log_t = math.log(target)

        def excess(d: float) -> float:
            h = (d + 1) / 2
            best = like.max_on_line(log_t, 0.0, h, 1.0, s_min=1e-12)
            return 2 * (self.log_likelihood - best) - 2 * _DROP

        d_hat = 2 * (a_hat - log_t) / l_hat - 1 if l_hat > 0 else math.inf
        if d_hat < _MAX_DISTANCE:  # the fitted curve crosses the target at d_hat
            high = _crossing(excess, d_hat, 1.0, _MAX_DISTANCE)
            low = _crossing(excess, d_hat, -1.0, 1.0) if d_hat > 1 else None
        elif excess(_MAX_DISTANCE) < 0:  # no crossing in reach, but Lambda > 1 is allowed
            d_hat, high = math.inf, None
            low = _crossing(excess, _MAX_DISTANCE, -1.0, 1.0)
        else:  # the data exclude Lambda > 1
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
        fitted = self.distances
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
    errors_at: dict[int, int] = {}
    for p in points:
        errors_at[p.distance] = errors_at.get(p.distance, 0) + p.errors
    errors_at = dict(sorted(errors_at.items()))
    if len(errors_at) < 2:
        raise QecError.invalid(
            "distances", list(errors_at), f"at least 2 distinct distances to fit {MODEL}"
        )
    with_errors = [d for d, e in errors_at.items() if e > 0]
    if not with_errors:
        raise QecError.invalid(
            "errors",
            errors_at,
            "errors > 0 at one distance at least; collect more shots at the smallest distance",
        )
    if len(with_errors) == 1 and with_errors[0] in (min(errors_at), max(errors_at)):
        smallest = with_errors[0] == min(errors_at)
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
    per-round rates with half a pseudo-error."""
    h = np.array([(p.distance + 1) / 2 for p in points]) - h0
    y = np.array(
        [
            math.log(shot_to_round(min((p.errors + 0.5) / (p.shots + 1), 0.49), rounds=p.rounds))
            for p in points
        ]
    )
    w = np.array([p.errors + 0.5 for p in points])
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

    low = _crossing(excess, center, -0.05, center - 200)
    high = _crossing(excess, center, 0.05, center + 200)
    return low, high


def fit_lambda(points: Iterable[FitPoint]) -> LambdaFit:
    """Fits p_L(d) = A * Lambda^(-(d+1)/2) (per round) to binomial counts by maximum
    likelihood, with 95% profile-likelihood intervals for A and Lambda.

    Each point's shots fail with probability 1/2 - 1/2 (1 - 2 p_L(d))^rounds. The data
    must hold at least 2 distinct distances and errors at two of them (or at one that
    lies between distances without errors); otherwise the maximum is at Lambda = 0 or
    infinity and QecError says so.

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
    like = _Likelihood(points)
    weights = np.array([p.errors for p in points], dtype=float)
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


@dataclasses.dataclass(frozen=True)
class GroupFit:
    """The fit of one group of sinter rows (same metadata apart from `POINT_KEYS`).

    `fit` is None when the group cannot be fitted; `error` then says why.
    """

    metadata: Mapping[str, Any]
    points: tuple[FitPoint, ...]
    fit: LambdaFit | None
    error: str | None = None


@dataclasses.dataclass(frozen=True)
class FittedStats:
    """One `GroupFit` per group, and how many rows were skipped for each reason."""

    groups: tuple[GroupFit, ...]
    skipped: Mapping[str, int]


def _point_key(metadata: Mapping[str, Any], name: str) -> int | None:
    value = metadata.get(name)
    return int(value) if is_integer(value) else None


def fit_points_from_stats(
    stats: Iterable[sinter.TaskStats], *, point_keys: Collection[str] = POINT_KEYS
) -> FittedStats:
    """Groups sinter rows by their metadata (and decoder) apart from `point_keys`, and
    fits each group with `fit_lambda`.

    Within a group, rows with the same distance and rounds are added up; a point's shots
    are the rows' shots minus discards. Rows are skipped (and counted in `skipped`)
    when their json_metadata is not an object, lacks an integer "distance" or "rounds",
    has dx != dz (a rectangular code has no single distance), has no kept shots, or has
    a "stratum" key: stratified samples estimate a rate from weighted strata, which are
    not binomial counts of the whole experiment, so they are not combined here.

    By default "rounds" is a point key: a group may mix rounds (e.g. rounds = d), since
    the likelihood uses each point's own rounds. Leave it out of `point_keys` to fit
    each number of rounds separately.

    Examples:
        >>> rows = [sinter.TaskStats(strong_id=f"id{d}", decoder="pymatching",
        ...             json_metadata={"code": "repetition", "distance": d, "rounds": d,
        ...                            "noise": "depolarizing:p=0.01"},
        ...             shots=10_000, errors=e)
        ...         for d, e in [(3, 300), (5, 60), (7, 12)]]
        >>> result = fit_points_from_stats(rows)
        >>> [(dict(g.metadata), round(g.fit.Lambda.value, 2)) for g in result.groups]
        [({'code': 'repetition', 'noise': 'depolarizing:p=0.01', 'decoder': 'pymatching'}, 8.11)]
    """
    if "distance" not in point_keys:
        raise QecError.invalid("point_keys", tuple(point_keys), "keys including 'distance'")
    skipped: dict[str, int] = {}
    groups: dict[str, tuple[dict[str, Any], dict[tuple[int, int], list[int]]]] = {}

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    for row in stats:
        metadata = row.json_metadata
        if not isinstance(metadata, Mapping):
            skip("json_metadata is not an object")
            continue
        if "stratum" in metadata:
            skip("stratified sample (has 'stratum')")
            continue
        distance = _point_key(metadata, "distance")
        rounds = _point_key(metadata, "rounds")
        if distance is None or distance < 1:
            skip("no integer 'distance'")
            continue
        if rounds is None or rounds < 1:
            skip("no integer 'rounds'")
            continue
        if metadata.get("dx", distance) != metadata.get("dz", distance):
            skip("rectangular code (dx != dz)")
            continue
        shots = row.shots - row.discards
        if shots <= 0:
            skip("no kept shots")
            continue
        key_metadata = {k: v for k, v in metadata.items() if k not in point_keys}
        key_metadata["decoder"] = row.decoder
        key = json.dumps(key_metadata, sort_keys=True, default=str)
        _, counts = groups.setdefault(key, (key_metadata, {}))
        total = counts.setdefault((distance, rounds), [0, 0])
        total[0] += shots
        total[1] += row.errors

    results = []
    for key_metadata, counts in groups.values():
        points = tuple(
            FitPoint(distance=d, rounds=r, shots=n, errors=k)
            for (d, r), (n, k) in sorted(counts.items())
        )
        try:
            results.append(GroupFit(metadata=key_metadata, points=points, fit=fit_lambda(points)))
        except QecError as error:
            results.append(
                GroupFit(metadata=key_metadata, points=points, fit=None, error=str(error))
            )
    return FittedStats(groups=tuple(results), skipped=skipped)
