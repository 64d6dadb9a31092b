"""Thresholds: estimate with an interval the value of a swept noise parameter below
which larger codes do better, from the points of a sweep (`SweepPoint`s, collected by
`qec.sampling.sweep`).

`estimate_threshold` turns the points into a `ThresholdEstimate`. Both of its methods
use the per-shot (or per-round) logical error rates of the points near the crossing of
the curves, inside a window of a factor `window` around a first guess (the median of
the places where neighbouring sizes' curves change order):

- ``fss`` (default): the finite-size-scaling fit of `qec.analysis.finite_size`,
  ``p_L = A + B x + C x^2`` with ``x = (v - v_th) d^(1/nu)`` (Wang, Harrington &
  Preskill 2003), v the swept value and d the code distance.
- ``crossing``: each size's curve, log p_L against log v, fitted by a weighted
  quadratic; the threshold is where the curves of the two largest sizes cross.

Both also report the crossings of every pair of neighbouring sizes: when they drift
with size, finite-size effects are larger than the interval.

The interval is a seeded parametric bootstrap percentile interval (see
`qec.analysis.finite_size`): statistical only, it does not include the systematic drift
of the crossing with code size.

Per round: a shot of r rounds fails with probability P; the per-round rate is
``(1 - (1 - 2 P)^(1/r)) / 2`` (`qec.intervals.shot_to_round`, sinter's convention).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy.optimize import brentq

from qec.analysis.finite_size import (
    FSS_ANSATZ,
    FitFailed,
    SweepData,
    ThresholdNotFound,
    bootstrap_interval,
    first_guess,
    fss_fit,
    merge_points,
    size_order,
    sweep_data,
    swept_values,
    weighted_least_squares,
    window_mask,
)
from qec.errors import QecError, check_choice, check_int, check_number
from qec.sampling.sweep_point import SweepPoint, check_per

METHODS = {"fss": "finite_size_scaling", "crossing": "crossing"}


def check_estimate_args(
    *, per: str, method: str, window: float, bootstrap: int, confidence: float = 0.95
) -> None:
    """Raises QecError unless the arguments of `estimate_threshold` are allowed (so that
    a caller can check them before sampling).

    Examples:
        >>> check_estimate_args(per="shot", method="fss", window=1.0, bootstrap=10)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: window=1.0 is not allowed: expected a factor > 1
    """
    check_per(per)
    check_choice("method", method, METHODS)
    check_number("window", window, allowed="a factor > 1", accept=lambda w: w > 1)
    check_int("bootstrap", bootstrap, minimum=0)
    check_number("confidence", confidence, allowed="a number in (0, 1)", accept=lambda c: 0 < c < 1)


@dataclasses.dataclass(frozen=True)
class Crossing:
    """Where the fitted curves of two sizes cross."""

    smaller: str
    larger: str
    value: float


@dataclasses.dataclass(frozen=True)
class ThresholdEstimate:
    """A threshold with its interval and how it was obtained.

    Attributes:
        value, low, high: the estimate and its `confidence` interval, in units of the
            swept parameter `sweep`.
        method: 'finite_size_scaling' or 'crossing'.
        per: the logical error rates fitted: 'round' or 'shot'.
        sizes: the sizes fitted, smallest first.
        window: the range of swept values of the points fitted.
        points_used: how many points were fitted.
        nu, coefficients, chi2_per_dof: the finite-size-scaling fit (nu and A, B, C of
            `FSS_ANSATZ`) and its Pearson chi-square per degree of freedom.
        crossings: crossings of neighbouring sizes' fitted curves (log-log quadratics).
        resamples: bootstrap resamples that gave a threshold; seed: their seed.
        extrapolated: the whole interval lies outside the range of swept values: the
            fit extrapolates, and the sweep should be moved.

    Examples:
        >>> estimate = ThresholdEstimate(value=0.0103, low=0.0101, high=0.0106,
        ...                              method="crossing", per="shot")
        >>> print(estimate)
        0.0103 [0.0101, 0.0106]
        >>> estimate.to_json()["threshold"]
        {'value': 0.0103, 'low': 0.0101, 'high': 0.0106}
    """

    value: float
    low: float
    high: float
    method: str
    per: str
    sweep: str = "p"
    sizes: tuple[str, ...] = ()
    window: tuple[float, float] = (math.nan, math.nan)
    points_used: int = 0
    nu: float | None = None
    coefficients: tuple[float, ...] = ()
    chi2_per_dof: float | None = None
    crossings: tuple[Crossing, ...] = ()
    resamples: int = 0
    confidence: float = 0.95
    seed: int = 0
    extrapolated: bool = False

    @property
    def interval_name(self) -> str:
        """How the interval was made."""
        return (
            f"{self.confidence:.0%} parametric bootstrap percentile interval "
            f"({self.resamples} resamples of the counts that gave a threshold, seed {self.seed}; "
            "statistical only)"
        )

    @property
    def method_detail(self) -> str:
        """One line on the fit."""
        where = (
            f"{self.points_used} points with {self.sweep} in "
            f"[{self.window[0]:.4g}, {self.window[1]:.4g}]"
        )
        if self.method == METHODS["fss"]:
            return (
                f"finite-size-scaling fit {FSS_ANSATZ} (v = {self.sweep}), weighted least "
                f"squares on {where}; nu = {self.nu:.3g}, chi2/dof = {self.chi2_per_dof:.2f}"
            )
        return (
            f"crossing of the two largest sizes' curves, each log p_L vs log {self.sweep} "
            f"fitted by a weighted quadratic on {where}"
        )

    def scaling_variable(self, value: Any, distance: Any) -> Any:
        """x = (v - v_th) d^(1/nu) of the finite-size-scaling fit."""
        if self.nu is None:
            raise QecError.invalid("method", self.method, "finite_size_scaling for x")
        return (np.asarray(value) - self.value) * np.asarray(distance, float) ** (1 / self.nu)

    def model_rate(self, value: Any, distance: Any) -> Any:
        """The fitted logical error rate A + B x + C x^2 at `value`, `distance`."""
        x = self.scaling_variable(value, distance)
        a, b, c = self.coefficients
        return a + b * x + c * x * x

    def to_json(self) -> dict[str, Any]:
        """The threshold as {"value", "low", "high"}, the method and its details."""
        return {
            "threshold": {"value": self.value, "low": self.low, "high": self.high},
            "method": self.method,
            "method_detail": self.method_detail,
            "interval": self.interval_name,
            "per": self.per,
            "sweep": self.sweep,
            "sizes": list(self.sizes),
            "window": list(self.window),
            "points_used": self.points_used,
            "extrapolated": self.extrapolated,
            "nu": self.nu,
            "coefficients": list(self.coefficients),
            "chi2_per_dof": self.chi2_per_dof,
            "crossings": [
                {"sizes": [c.smaller, c.larger], "value": c.value} for c in self.crossings
            ],
        }

    def __str__(self) -> str:
        return f"{self.value:.4g} [{self.low:.4g}, {self.high:.4g}]"


def _curve_fits(data: SweepData, errors: np.ndarray, center: float) -> dict[str, np.ndarray]:
    """Per size: coefficients of log p_L = c0 + c1 t + c2 t^2, t = log(v / center)."""
    rates = data.unit(data.smoothed(errors))
    sigma = data.unit_sigma(data.smoothed(errors)) / rates
    fits = {}
    for label in dict.fromkeys(data.label.tolist()):
        mask = data.label == label
        t = np.log(data.value[mask] / center)
        degree = 2 if len(set(t.tolist())) >= 3 else 1
        design = np.stack([t**k for k in range(degree + 1)], axis=1)
        coef, _ = weighted_least_squares(design, np.log(rates[mask]), 1 / sigma[mask] ** 2)
        fits[label] = np.pad(coef, (0, 3 - len(coef)))
    return fits


def _curve_crossing(a: np.ndarray, b: np.ndarray, lo: float, hi: float) -> float:
    """The t in [lo, hi] where curve b rises through curve a (nearest to 0)."""

    def diff(t: float) -> float:
        return float((b[0] - a[0]) + (b[1] - a[1]) * t + (b[2] - a[2]) * t * t)

    grid = np.linspace(lo, hi, 401)
    values = np.array([diff(t) for t in grid])
    roots = [
        brentq(diff, grid[i], grid[i + 1])
        for i in range(len(grid) - 1)
        if values[i] < 0 <= values[i + 1]
    ]
    if not roots:
        raise FitFailed
    return float(min(roots, key=abs))


def _crossings(
    data: SweepData, errors: np.ndarray, sizes: list[str], center: float
) -> list[Crossing]:
    fits = _curve_fits(data, errors, center)
    span = np.log(data.value / center)
    lo, hi = float(span.min()), float(span.max())
    found = []
    for small, large in itertools.pairwise(sizes):
        try:
            t = _curve_crossing(fits[small], fits[large], lo, hi)
        except FitFailed:
            continue
        found.append(Crossing(small, large, center * math.exp(t)))
    return found


def estimate_threshold(
    points: Iterable[SweepPoint],
    *,
    per: str = "shot",
    method: str = "fss",
    sweep: str = "p",
    window: float = 1.5,
    bootstrap: int = 200,
    seed: int = 0,
    confidence: float = 0.95,
) -> ThresholdEstimate:
    """The threshold of a sweep, with a bootstrap interval (see the module docstring).

    Args:
        points: the sweep's points, at least 3 swept values for each of >= 2 sizes.
        per: fit the logical error rate per 'shot' (default) or per 'round'.
        method: 'fss' (finite-size-scaling fit, default) or 'crossing'.
        sweep: the swept parameter's name, for messages and the result.
        window: fit the points within this factor of the first guess (widened until
            every size has 3 points).
        bootstrap: resamples for the interval (0: no interval, low = high = value).
        seed: seed of the bootstrap.
        confidence: coverage of the interval.

    Examples:
        >>> # Synthetic counts that follow the ansatz exactly: the fit finds v_th = 0.1.
        >>> points = [
        ...     SweepPoint(distance=d, value=v, shots=10**6,
        ...                errors=round(10**6 * (0.1 + 0.5 * (v - 0.1) * d ** (1 / 1.5))))
        ...     for d in (5, 9, 13) for v in (0.08, 0.09, 0.1, 0.11, 0.12)]
        >>> estimate = estimate_threshold(points, bootstrap=20)
        >>> round(estimate.value, 4), estimate.method, estimate.low < 0.1 < estimate.high
        (0.1, 'finite_size_scaling', True)
    """
    check_estimate_args(
        per=per, method=method, window=window, bootstrap=bootstrap, confidence=confidence
    )
    merged = merge_points(points)
    sizes = size_order(merged)
    if len(sizes) < 2:
        raise QecError.invalid("distances", sizes, "at least two sizes")
    data = sweep_data(merged, per)
    guess = first_guess(data, sizes, sweep)
    mask = window_mask(data, sizes, guess, window)
    fit_data = data.subset(mask)
    used_sizes = [s for s in sizes if np.any(fit_data.label == s)]
    lo, hi = float(fit_data.value.min()), float(fit_data.value.max())
    bounds = (lo / window, hi * window)

    def fit(errors: np.ndarray, start: float | None, nu: float | None) -> tuple[float, Any]:
        if method == "fss":
            starts = (
                [(start, nu)]
                if start is not None and nu is not None
                else [(guess, n) for n in (0.7, 1.3, 2.5)]
            )
            v_th, nu_fit, coef, chi2 = fss_fit(fit_data, errors, starts, bounds)
            return v_th, (nu_fit, coef, chi2)
        fits = _curve_fits(fit_data, errors, guess)
        span = np.log(np.array(bounds) / guess)
        t = _curve_crossing(fits[used_sizes[-2]], fits[used_sizes[-1]], span[0], span[1])
        return guess * math.exp(t), None

    try:
        value, extra = fit(fit_data.errors, None, None)
    except FitFailed:
        raise ThresholdNotFound(
            f"{swept_values(sweep, fit_data.value)} is not allowed: expected points whose "
            f"fitted curves cross; the {method} fit found no crossing here"
        ) from None
    start_nu = extra[0] if extra is not None else None
    low, high, resamples = bootstrap_interval(
        fit_data,
        lambda errors: fit(errors, value, start_nu)[0],
        value=value,
        resamples=bootstrap,
        seed=seed,
        confidence=confidence,
        sweep=sweep,
    )
    nu = coefficients = chi2_per_dof = None
    if extra is not None:
        nu, coef, chi2 = extra
        coefficients = tuple(float(c) for c in coef)
        chi2_per_dof = chi2 / max(1, len(fit_data.value) - 5)
    return ThresholdEstimate(
        value=float(value),
        low=low,
        high=high,
        method=METHODS[method],
        per=per,
        sweep=sweep,
        sizes=tuple(used_sizes),
        window=(lo, hi),
        points_used=int(np.count_nonzero(mask)),
        nu=float(nu) if nu is not None else None,
        coefficients=coefficients or (),
        chi2_per_dof=float(chi2_per_dof) if chi2_per_dof is not None else None,
        crossings=tuple(_crossings(fit_data, fit_data.errors, used_sizes, guess)),
        resamples=resamples,
        confidence=confidence,
        seed=seed,
        extrapolated=bool(high < data.value.min() or low > data.value.max()),
    )
