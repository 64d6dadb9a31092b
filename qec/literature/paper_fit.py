"""The repetition cat code's threshold as its papers measure it: a joint fit below
threshold, not a crossing.

Le Régent et al., Quantum 7, 1198 (2023) and Gouzien et al., PRL 131, 040602 (2023)
fit the logical phase-flip probability per round, P_L(d rounds) / d, by

    P_L / d = a (k / k_th)^(c (d + 1)),     k = kappa_1 / kappa_2,

jointly over all distances, by least squares in log space weighted by each point's
relative error, on the points with a small enough rate and a small enough relative
error (LR23's code: `logical_fit.py`, `FitAllAtOnce`; cuts from its `Overhead` class).
LR23 leave the exponent c free; GRLGS23 fix c = 1/2. In logs the model is linear:
log(P/d) = log a + c (d + 1) log k + g (d + 1) with g = -c log k_th, so the fit is a
weighted linear least squares, and the intervals (95%, from its covariance by the delta
method) are statistical only, as the papers' are.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence

import numpy as np

from qec.analysis.finite_size import weighted_least_squares
from qec.errors import QecError
from qec.intervals import Interval, Z
from qec.sampling.sweep_point import SweepPoint

#: LR23's cuts for the points of its threshold tables (`pz_fit_from_df`): P_L over the
#: d rounds at most MAX_SHOT_RATE, and 1.96 standard errors at most MAX_RELATIVE_ERROR
#: of it.
MAX_SHOT_RATE = 1e-3
MAX_RELATIVE_ERROR = 0.5


@dataclasses.dataclass(frozen=True)
class PaperConventionFit:
    """a, k_th and c of P_L / d = a (k / k_th)^(c (d + 1)), with 95% intervals, and the
    points the fit rests on (c is exact when it was fixed).

    Examples:
        >>> points = [SweepPoint(distance=d, value=k, rounds=d, shots=10**9,
        ...           errors=round(10**9 * d * 0.05 * (k / 0.002) ** ((d + 1) / 2)))
        ...           for d in (3, 5, 7) for k in (2e-4, 4e-4, 8e-4)]
        >>> fit = fit_paper_convention(points, exponent=0.5)
        >>> f"{fit.threshold.value:.4g} {fit.prefactor.value:.3g}"
        '0.002 0.05'
    """

    prefactor: Interval
    threshold: Interval
    exponent: Interval
    points: tuple[SweepPoint, ...]

    def describe(self) -> str:
        """One line: the three parameters and what they rest on."""
        shots = sum(p.shots for p in self.points)
        return (
            f"k_th {self.threshold}, a {self.prefactor}, c {self.exponent} "
            f"({len(self.points)} points, {shots:,} shots)"
        )


def per_round(point: SweepPoint) -> tuple[float, float]:
    """The papers' per-round rate P_L / rounds and the relative standard error of P_L.

    Examples:
        >>> rate, relative = per_round(
        ...     SweepPoint(distance=5, value=1e-3, rounds=5, shots=10_000, errors=100))
        >>> rate, round(relative, 4)
        (0.002, 0.0995)
    """
    rate = point.errors / point.shots
    if point.errors == 0:
        return 0.0, math.inf
    return rate / point.rounds, math.sqrt((1 - rate) / point.errors)


def usable_points(
    points: Iterable[SweepPoint],
    *,
    max_shot_rate: float = MAX_SHOT_RATE,
    max_relative_error: float = MAX_RELATIVE_ERROR,
) -> list[SweepPoint]:
    """The points that pass LR23's cuts (`MAX_SHOT_RATE`, `MAX_RELATIVE_ERROR`)."""
    kept = []
    for point in points:
        _, relative = per_round(point)
        if 0 < point.errors / point.shots <= max_shot_rate and Z * relative <= max_relative_error:
            kept.append(point)
    return kept


def fit_paper_convention(
    points: Sequence[SweepPoint], *, exponent: float | None = None
) -> PaperConventionFit:
    """Fits a, k_th (and c unless `exponent` fixes it) on the given points, which must
    already be the low-error ones (`usable_points`); `value` is k = kappa_1 / kappa_2."""
    points = tuple(points)
    distances = {p.distance for p in points}
    needed = 2 if exponent is not None else 3
    if len(points) < needed + 1 or len(distances) < 2:
        raise QecError.invalid(
            "points",
            f"{len(points)} points at d = {sorted(distances)}",
            f"at least {needed + 1} points at two or more distances below threshold",
        )
    rate, relative = np.array([per_round(p) for p in points]).T
    y = np.log(rate)
    weight = 1 / relative**2
    k = np.log([p.value for p in points])
    d1 = np.array([p.distance + 1.0 for p in points])
    if exponent is None:
        design = np.stack([np.ones_like(k), d1 * k, d1], axis=1)
    else:
        design = np.stack([np.ones_like(k), d1], axis=1)
        y = y - exponent * d1 * k
    coef, _ = weighted_least_squares(design, y, weight)
    covariance = np.linalg.inv(design.T @ (design * weight[:, None]))
    log_a, log_a_var = coef[0], covariance[0, 0]
    if exponent is None:
        c, g = coef[1], coef[2]
        # k_th = exp(-g / c): gradient of -g/c with respect to (c, g).
        gradient = np.array([g / c**2, -1 / c])
        sub = covariance[1:, 1:]
        c_interval = Interval(c, c - Z * math.sqrt(sub[0, 0]), c + Z * math.sqrt(sub[0, 0]))
    else:
        c, g = exponent, coef[1]
        gradient = np.array([-1 / c])
        sub = covariance[1:, 1:]
        c_interval = Interval.exact(exponent)
    log_k_th = -g / c
    log_k_th_sd = math.sqrt(float(gradient @ sub @ gradient))
    return PaperConventionFit(
        prefactor=_log_interval(log_a, math.sqrt(log_a_var)),
        threshold=_log_interval(log_k_th, log_k_th_sd),
        exponent=c_interval,
        points=points,
    )


def _log_interval(log_value: float, log_sd: float) -> Interval:
    return Interval(
        math.exp(log_value), math.exp(log_value - Z * log_sd), math.exp(log_value + Z * log_sd)
    )
