"""The finite-size-scaling fit of a threshold, the window of points it uses and its
bootstrap interval (the machinery of `qec.analysis.threshold.estimate_threshold`).

- Data: the sweep's points as arrays, with their logical error rates per shot or per
  round (`qec.intervals.shot_to_round`) and the binomial standard deviations of those.
- Window: a first guess, the median of the places where neighbouring sizes' curves
  change order, and the points within a factor `window` of it.
- Fit: the ansatz of Wang, Harrington & Preskill, Ann. Phys. 303, 31 (2003), Eq. (43),
  ``p_L = A + B x + C x^2`` with ``x = (v - v_th) d^(1/nu)``, v the swept value and d
  the code distance, fitted by weighted least squares. The weights are the inverse
  binomial variances of the rates, first of the observed rates, then (a second pass) of
  the fitted ones, which makes the fit a minimum of Pearson's chi-square, asymptotically
  the binomial maximum likelihood. (A, B, C) are solved exactly for each (v_th, nu),
  which Nelder-Mead minimises.
- Bootstrap: a seeded parametric bootstrap. Every point's error count is redrawn from a
  binomial with the point's shots and observed rate, the fit is repeated on the same
  window, and the interval holds the central `confidence` share of the refitted
  thresholds (percentile interval). It is statistical only: it does not include the
  systematic drift of the crossing with code size.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from scipy.optimize import minimize

from qec.errors import QecError
from qec.intervals import round_to_shot, shot_to_round
from qec.sampling.sweep_point import SweepPoint

FSS_ANSATZ = "p_L = A + B x + C x^2, x = (v - v_th) d^(1/nu)"
_NU_BOUNDS = (0.2, 10.0)


class ThresholdNotFound(QecError):
    """The sweep does not bracket a crossing of the curves: widen or move its range."""


class FitFailed(Exception):
    pass


@dataclasses.dataclass
class SweepData:
    """The points as arrays, and their rates per `per` ('shot' or 'round')."""

    label: np.ndarray
    distance: np.ndarray
    value: np.ndarray
    shots: np.ndarray
    errors: np.ndarray
    rounds: np.ndarray
    per: str

    def unit(self, shot_rate: np.ndarray) -> np.ndarray:
        """Per-shot rates as rates per `per`."""
        return shot_rate if self.per == "shot" else shot_to_round(shot_rate, rounds=self.rounds)

    def shot(self, unit_rate: np.ndarray) -> np.ndarray:
        """Rates per `per` as per-shot rates (the inverse of `unit`)."""
        return unit_rate if self.per == "shot" else round_to_shot(unit_rate, rounds=self.rounds)

    def unit_sigma(self, shot_rate: np.ndarray) -> np.ndarray:
        """Binomial standard deviation of the per-unit rate at per-shot rate `shot_rate`:
        the per-shot one times the Jacobian of `unit` (mirrored above 1/2 like
        `shot_to_round`)."""
        q = np.clip(shot_rate, 0.5 / self.shots, 1 - 0.5 / self.shots)
        sigma: np.ndarray = np.sqrt(q * (1 - q) / self.shots)
        if self.per == "shot":
            return sigma
        margin = np.maximum(1 - 2 * np.minimum(q, 1 - q), 2e-9)  # 1 - 2 p, kept off 0
        per_round: np.ndarray = sigma * margin ** (1 / self.rounds - 1) / self.rounds
        return per_round

    def smoothed(self, errors: np.ndarray) -> np.ndarray:
        """Observed rates with half an error added: never 0 or 1."""
        smoothed: np.ndarray = (errors + 0.5) / (self.shots + 1)
        return smoothed

    def subset(self, mask: np.ndarray) -> SweepData:
        return SweepData(
            self.label[mask],
            self.distance[mask],
            self.value[mask],
            self.shots[mask],
            self.errors[mask],
            self.rounds[mask],
            self.per,
        )


def swept_values(sweep: str, values: np.ndarray) -> str:
    """The swept values as the user gives them, for messages: 'p=0.01,0.02,0.04'.

    Examples:
        >>> swept_values("p", np.array([0.02, 0.01, 0.02]))
        'p=0.01,0.02'
    """
    return f"{sweep}=" + ",".join(f"{v:g}" for v in sorted(set(values.tolist())))


def merge_points(points: Iterable[SweepPoint]) -> list[SweepPoint]:
    """One point per size and value: counts of repeated points added up."""
    merged: dict[tuple[str, float], SweepPoint] = {}
    for point in points:
        key = (point.label, float(f"{point.value:.12g}"))
        if key in merged:
            old = merged[key]
            if old.rounds != point.rounds or old.distance != point.distance:
                raise QecError.invalid(
                    "points",
                    f"size {point.label} at {point.value:g}",
                    "one number of rounds and one distance per size and value",
                )
            point = dataclasses.replace(
                old, shots=old.shots + point.shots, errors=old.errors + point.errors
            )
        merged[key] = point
    return sorted(merged.values(), key=lambda p: (p.distance, p.label, p.value))


def size_order(points: Sequence[SweepPoint]) -> list[str]:
    """The sizes' labels, smallest distance first."""
    distance = {p.label: p.distance for p in points}
    return sorted(distance, key=lambda label: (distance[label], label))


def sweep_data(points: Sequence[SweepPoint], per: str) -> SweepData:
    return SweepData(
        label=np.array([p.label for p in points]),
        distance=np.array([p.distance for p in points], float),
        value=np.array([p.value for p in points], float),
        shots=np.array([p.shots for p in points], float),
        errors=np.array([p.errors for p in points], float),
        rounds=np.array([p.rounds for p in points], float),
        per=per,
    )


def first_guess(data: SweepData, sizes: list[str], sweep: str) -> float:
    """Median of the places where neighbouring sizes change order (larger better below,
    worse above), interpolated in log v; the end of the range if the curves meet there
    (within 3 sigma).

    Values where both sizes saw no error say nothing about the order and are skipped.
    A change of order counts first if it is confirmed: the larger size significantly
    (2 sigma) better at or below it and significantly worse at or above it; noise between
    small counts cannot then fake a crossing. The side of a range without crossing is
    decided on significant differences only."""
    rates = data.unit(data.smoothed(data.errors))
    sigmas = data.unit_sigma(data.smoothed(data.errors))
    guesses: list[float] = []
    confirmed: list[float] = []
    all_below = all_above = True
    meet_top = meet_bottom = True
    for small, large in itertools.pairwise(sizes):
        by_value: dict[float, dict[str, tuple[float, float]]] = {}
        seen: dict[float, float] = {}
        for label, value, rate, sigma, errors in zip(
            data.label, data.value, rates, sigmas, data.errors, strict=True
        ):
            if label in (small, large):
                key = float(f"{value:.12g}")
                by_value.setdefault(key, {})[label] = (rate, sigma)
                seen[key] = seen.get(key, 0.0) + errors
        common = sorted(v for v, d in by_value.items() if len(d) == 2 and seen[v] > 0)
        if len(common) < 2:
            raise ThresholdNotFound(
                f"{swept_values(sweep, data.value)} is not allowed: expected at least 2 "
                f"values where sizes {small} and {large} both ran and saw errors (sample "
                "more shots, or move the range up)"
            )
        diff = np.array([math.log(by_value[v][large][0] / by_value[v][small][0]) for v in common])
        spread = np.array(
            [
                math.hypot(
                    by_value[v][large][1] / by_value[v][large][0],
                    by_value[v][small][1] / by_value[v][small][0],
                )
                for v in common
            ]
        )
        logs = np.log(common)
        better = diff < -2 * spread  # the larger size significantly better
        worse = diff > 2 * spread
        for i in range(len(common) - 1):
            if diff[i] < 0 <= diff[i + 1]:
                t = diff[i] / (diff[i] - diff[i + 1])
                guess = float(math.exp(logs[i] + t * (logs[i + 1] - logs[i])))
                guesses.append(guess)
                if better[: i + 1].any() and worse[i + 1 :].any():
                    confirmed.append(guess)
        all_below &= not bool(worse.any())
        all_above &= not bool(better.any())
        meet_top &= bool(abs(diff[-1]) < 3 * spread[-1])
        meet_bottom &= bool(abs(diff[0]) < 3 * spread[0])
    low, high = float(data.value.min()), float(data.value.max())
    if confirmed:
        return float(np.median(confirmed))
    if guesses and not (all_below or all_above):
        return float(np.median(guesses))
    span = swept_values(sweep, data.value)
    if all_below:
        if meet_top:
            return high
        raise ThresholdNotFound(
            f"{span} is not allowed: expected a range containing the threshold; "
            f"larger codes do better at every value, so the threshold is above {high:g}"
        )
    if all_above:
        if meet_bottom:
            return low
        raise ThresholdNotFound(
            f"{span} is not allowed: expected a range containing the threshold; "
            f"larger codes do worse at every value, so the threshold is below {low:g}"
        )
    raise ThresholdNotFound(
        f"{span} is not allowed: expected a range where larger codes do better "
        "below some value and worse above it; here the curves cross the other way"
    )


def window_mask(data: SweepData, sizes: list[str], guess: float, window: float) -> np.ndarray:
    """Points within a factor `window` of `guess`, widened until every size has 3."""
    factor = window
    ratio = np.abs(np.log(data.value / guess))
    while True:
        mask = ratio <= math.log(factor) + 1e-12
        if all(np.count_nonzero(mask & (data.label == s)) >= 3 for s in sizes):
            return mask
        if np.all(mask):
            raise QecError.invalid(
                "points",
                f"{len(data.value)} points",
                "at least 3 swept values for every size",
            )
        factor *= 1.25


def weighted_least_squares(
    design: np.ndarray, y: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, float]:
    """Weighted least squares: coefficients and chi-square."""
    wd = design * weight[:, None]
    normal = design.T @ wd
    try:
        coef = np.linalg.solve(normal, wd.T @ y)
    except np.linalg.LinAlgError:
        coef = np.linalg.lstsq(design * np.sqrt(weight)[:, None], y * np.sqrt(weight), rcond=None)[
            0
        ]
    residual = design @ coef - y
    return coef, float(np.sum(weight * residual * residual))


def _fss_design(value: np.ndarray, distance: np.ndarray, v_th: float, nu: float) -> np.ndarray:
    x = (value - v_th) * distance ** (1 / nu)
    return np.stack([np.ones_like(x), x, x * x], axis=1)


def fss_fit(
    data: SweepData,
    errors: np.ndarray,
    starts: Sequence[tuple[float, float]],
    bounds: tuple[float, float],
) -> tuple[float, float, np.ndarray, float]:
    """(v_th, nu, (A, B, C), chi2) minimising Pearson's chi-square (two passes)."""
    y = data.unit(errors / data.shots)
    weight = 1 / data.unit_sigma(data.smoothed(errors)) ** 2
    log_bounds = (math.log(bounds[0]), math.log(bounds[1]))
    nu_bounds = (math.log(_NU_BOUNDS[0]), math.log(_NU_BOUNDS[1]))

    def chi2(theta: np.ndarray, w: np.ndarray) -> float:
        log_v, log_nu = float(theta[0]), float(theta[1])
        penalty = 0.0
        for t, (lo, hi) in ((log_v, log_bounds), (log_nu, nu_bounds)):
            penalty += max(0.0, lo - t) + max(0.0, t - hi)
        if penalty:
            return 1e12 * (1 + penalty)
        design = _fss_design(data.value, data.distance, math.exp(log_v), math.exp(log_nu))
        return weighted_least_squares(design, y, w)[1]

    def run(w: np.ndarray, start: tuple[float, float]) -> Any:
        s = np.array([math.log(start[0]), math.log(start[1])])
        simplex = np.array([s, s + [0.04, 0.0], s + [0.0, 0.3]])
        return minimize(
            chi2,
            s,
            args=(w,),
            method="Nelder-Mead",
            options={"initial_simplex": simplex, "xatol": 1e-7, "fatol": 1e-10, "maxiter": 4000},
        )

    best = min((run(weight, start) for start in starts), key=lambda r: r.fun)
    log_v, log_nu = best.x
    design = _fss_design(data.value, data.distance, math.exp(log_v), math.exp(log_nu))
    coef, _ = weighted_least_squares(design, y, weight)
    fitted = np.clip(design @ coef, 1e-12, None)
    weight = 1 / data.unit_sigma(data.shot(fitted)) ** 2  # second pass: model variances
    best = run(weight, (math.exp(log_v), math.exp(log_nu)))
    if not np.isfinite(best.fun) or best.fun >= 1e12:
        raise FitFailed
    log_v, log_nu = best.x
    margin = 1e-4
    if min(log_v - log_bounds[0], log_bounds[1] - log_v) < margin:
        raise FitFailed  # pinned at the edge of the allowed range: no crossing found
    v_th, nu = math.exp(log_v), math.exp(log_nu)
    coef, value = weighted_least_squares(
        _fss_design(data.value, data.distance, v_th, nu), y, weight
    )
    return v_th, nu, coef, value


def bootstrap_interval(
    data: SweepData,
    refit: Callable[[np.ndarray], float],
    *,
    value: float,
    resamples: int,
    seed: int,
    confidence: float,
    sweep: str,
) -> tuple[float, float, int]:
    """(low, high, resamples that gave a threshold): the percentile interval of the
    thresholds `refit` finds on `resamples` binomial redraws of the counts (low = high =
    `value` when there are none). Raises ThresholdNotFound when fewer than half of them
    give a threshold."""
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(resamples):
        errors = rng.binomial(data.shots.astype(np.int64), data.errors / data.shots)
        try:
            found.append(refit(errors.astype(float)))
        except (FitFailed, np.linalg.LinAlgError):
            continue
    if resamples and len(found) < resamples / 2:
        raise ThresholdNotFound(
            f"{swept_values(sweep, data.value)} is not allowed: expected a crossing that survives "
            f"resampling; only {len(found)} of {resamples} bootstrap fits found one "
            "(more shots near the crossing, or a range around it, would help)"
        )
    if not found:
        return value, value, 0
    tail = (1 - confidence) / 2
    low, high = (float(q) for q in np.quantile(found, [tail, 1 - tail]))
    return low, high, len(found)
