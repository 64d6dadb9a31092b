"""The likelihood of a fit's points under the exponential model
p_L(d) = A * Lambda^(-(d+1)/2) (or any model linear in log p_L), and the line and plane
searches its profile intervals need.

A shot of `rounds` rounds fails with probability 1/2 - 1/2 (1 - 2 p_L)^rounds, so a
point of direct shots has binomial errors with that probability. A point estimated by
stratified sampling or splitting carries its 95% interval instead of counts; it enters
as a split normal in log p_L, centred on its estimate with the spread of each side of
its interval (sigma = the side's width in log p / 1.96), so that alone it would give
back its own interval as a likelihood-ratio interval. An interval whose low end is 0
says nothing below the estimate (flat there); an estimate of 0 says only "at most
high", which enters as -1.92 p_L / high (the 1.92 drop of a 95% likelihood-ratio
interval at its upper end; the shape of zero failures in many binomial shots). The
likelihood is written in (ln A, ln Lambda) and in log p_L so that it stays accurate far
into the tail.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import brentq, minimize, minimize_scalar
from scipy.special import xlogy

from qec.analysis.fit_point import MIN_LOG_SIGMA, FitPoint
from qec.intervals import Z

LOG_HALF = math.log(0.5)
LOG_FLOOR = -650.0  # smallest log p_L a line search visits (exp underflows near -745)
LOG_CEILING = 20.0  # largest; p_L is capped at 1/2 (a shot then fails half the time)
HALF_Z2 = Z * Z / 2  # the log-likelihood drop at the ends of a 95% interval, 1.92


class PointsLikelihood:
    """The log-likelihood of the points (see the module) as a function of
    (a, l) = (ln A, ln Lambda)."""

    def __init__(self, points: tuple[FitPoint, ...]) -> None:
        self.n = np.array([p.shots if p.binomial else 0 for p in points], dtype=float)
        self.k = np.array([p.errors if p.binomial else 0 for p in points], dtype=float)
        self.r = np.array([p.rounds for p in points], dtype=float)
        self.h = np.array([(p.distance + 1) / 2 for p in points], dtype=float)
        rates = [p.rate for p in points if p.rate is not None]
        self.estimated = np.array([not p.binomial for p in points], dtype=bool)
        self.zero = np.array([r.value <= 0 for r in rates], dtype=bool)
        self.center = np.log([r.value if r.value > 0 else r.high for r in rates])
        self.sigma_high = np.array(
            [
                max(math.log(r.high / r.value) / Z, MIN_LOG_SIGMA) if r.value > 0 else 1.0
                for r in rates
            ]
        )
        self.sigma_low = np.array(
            [
                max(math.log(r.value / r.low) / Z, MIN_LOG_SIGMA) if r.low > 0 else math.inf
                for r in rates
            ]
        )

    def _estimate_terms(self, log_p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The estimated points' log-likelihood terms and their derivatives in log p_L."""
        x = log_p[self.estimated]
        z = x - self.center
        sigma = np.where(z > 0, self.sigma_high, self.sigma_low)
        bound_only = -HALF_Z2 * np.exp(np.minimum(z, 700.0))
        terms = np.where(self.zero, bound_only, -0.5 * (z / sigma) ** 2)
        slopes = np.where(self.zero, bound_only, -z / sigma**2)
        return terms, slopes

    def of_log_p(self, log_p: np.ndarray) -> float:
        """Log-likelihood for per-round log p_L at each point.

        Beyond p_L = 1/2 the model is meaningless: there p_L is capped at 1/2 and a
        penalty shots * (ln p_L - ln 1/2)^2 keeps the function decreasing, so that no
        search stalls on a plateau and every maximum has p_L <= 1/2 at all points.
        """
        p = np.exp(np.minimum(log_p, LOG_HALF))
        with np.errstate(divide="ignore"):
            log_power = self.r * np.log1p(-2 * p)
        shot = -np.expm1(log_power) / 2
        keep = (1 + np.exp(log_power)) / 2
        over = np.maximum(log_p - LOG_HALF, 0.0)
        binomial = xlogy(self.k, shot) + xlogy(self.n - self.k, keep) - self.n * over**2
        return float(np.sum(binomial) + np.sum(self._estimate_terms(log_p)[0]))

    def __call__(self, a: float, log_lambda: float) -> float:
        return self.of_log_p(a - log_lambda * self.h)

    def gradient_log_p(self, log_p: np.ndarray) -> np.ndarray:
        """d(log-likelihood) / d(log p_L) at each point."""
        capped = log_p >= LOG_HALF
        p = np.exp(np.minimum(log_p, LOG_HALF))
        with np.errstate(divide="ignore", invalid="ignore"):
            log_power = self.r * np.log1p(-2 * p)
            shot = -np.expm1(log_power) / 2
            keep = (1 + np.exp(log_power)) / 2
            d_shot = self.r * np.exp(log_power - np.log1p(-2 * p)) * p
            g = (np.where(self.k > 0, self.k / shot, 0.0) - (self.n - self.k) / keep) * d_shot
        g = np.where(capped, -2 * self.n * (log_p - LOG_HALF), g)
        g[self.estimated] = self._estimate_terms(log_p)[1]
        return g

    def saturated(self) -> float:
        """The log-likelihood with each point's own observed rate (an estimated point's
        term is then 0)."""
        f = np.divide(self.k, self.n, out=np.zeros_like(self.k), where=self.n > 0)
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
                hi = min(hi, (LOG_CEILING - b) / c)
                lo = max(lo, (LOG_FLOOR - b) / c)
            elif c < 0:
                lo = max(lo, (LOG_CEILING - b) / c)
                hi = min(hi, (LOG_FLOOR - b) / c)
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


def max_on_plane(
    like: PointsLikelihood,
    design: np.ndarray,
    normal: np.ndarray,
    level: float,
    start: np.ndarray,
) -> tuple[float, np.ndarray]:
    """The largest log-likelihood of a model linear in its parameters x, log p_L =
    `design` @ x (a row per point), over the plane `normal` @ x = `level`, searched
    from `start` (projected onto the plane); with the x where it is reached.

    Log p_L below the floor (-650) counts as the floor there, so that no search meets a
    rate that underflows to 0.
    """
    unit = normal / float(normal @ normal)
    basis = null_space(normal[None, :])  # directions within the plane

    def negative(y: np.ndarray) -> tuple[float, np.ndarray]:
        x = level * unit + basis @ y
        raw = design @ x
        log_p = np.maximum(raw, LOG_FLOOR)
        g = np.where(raw > LOG_FLOOR, like.gradient_log_p(log_p), 0.0)
        return -like.of_log_p(log_p), -(basis.T @ (design.T @ g))

    y0 = basis.T @ (start - level * unit)
    result = minimize(negative, y0, jac=True, method="BFGS", options={"gtol": 1e-7})
    return -float(result.fun), level * unit + basis @ result.x


def first_crossing(
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
