"""One interval type for every estimated or fitted number, binomial intervals, and the
one conversion between per-shot and per-round logical error rates.

Light to import (no scipy.stats): every sinter worker process re-imports the script
that started it, and importing scipy.stats costs each of them most of a second.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Callable
from typing import Any, overload

import numpy as np

CONFIDENCE = 0.95
WILSON = "wilson score, 95%"
# The two-sided standard normal quantile of CONFIDENCE, 1.96 at 95%.
Z = statistics.NormalDist().inv_cdf((1 + CONFIDENCE) / 2)


@dataclasses.dataclass(frozen=True)
class Interval:
    """A value with its 95% interval [low, high]: an estimated rate, a fitted parameter
    or a prediction (an end may be infinite).

    Examples:
        >>> rate = Interval(0.1, 0.05, 0.15)
        >>> print(rate)
        0.1 [0.05, 0.15]
        >>> rate.per_round(rounds=1) == rate
        True
        >>> Interval.from_json(rate.to_json()) == rate
        True
    """

    value: float
    low: float
    high: float

    @staticmethod
    def exact(value: float) -> Interval:
        """A value known exactly (or taken as a point), with a zero-width interval."""
        return Interval(value, value, value)

    def map(self, function: Callable[[float], float]) -> Interval:
        """The interval of function(value), for an increasing `function`."""
        return Interval(function(self.value), function(self.low), function(self.high))

    def meets(self, low: float, high: float) -> bool:
        """Whether this interval overlaps [low, high], e.g. a published range widened by
        its tolerance.

        Examples:
            >>> Interval(2.4e-3, 2.35e-3, 2.45e-3).meets(2.0e-3, 2.4e-3)
            True
        """
        return self.low <= high and self.high >= low

    def per_round(self, *, rounds: int) -> Interval:
        """This per-shot rate as a per-round rate (see `shot_to_round`)."""
        return self.map(lambda p: float(shot_to_round(p, rounds=rounds)))

    def to_json(self) -> dict[str, float | None]:
        """The three numbers; an infinite end becomes None (JSON has no infinity)."""
        return {k: (v if math.isfinite(v) else None) for k, v in dataclasses.asdict(self).items()}

    @staticmethod
    def from_json(item: dict[str, Any]) -> Interval:
        """The inverse of `to_json` (None ends read back as -inf / inf)."""

        def read(key: str, missing: float) -> float:
            return missing if item[key] is None else float(item[key])

        return Interval(read("value", math.nan), read("low", -math.inf), read("high", math.inf))

    def __str__(self) -> str:
        return f"{self.value:.3g} [{self.low:.3g}, {self.high:.3g}]"


@overload
def shot_to_round(p_shot: float, *, rounds: int | np.ndarray) -> float: ...
@overload
def shot_to_round(p_shot: np.ndarray, *, rounds: int | np.ndarray) -> np.ndarray: ...
def shot_to_round(p_shot: float | np.ndarray, *, rounds: int | np.ndarray) -> float | np.ndarray:
    """The per-round rate of a shot of `rounds` rounds that fails with probability
    `p_shot`, when each round flips the observable independently:
    p_round = (1 - (1 - 2 p_shot)^(1/rounds)) / 2 (sinter's
    `shot_error_rate_to_piece_error_rate` convention; rates above 1/2 are mirrored as
    sinter does, so the map stays increasing). Works on numbers and numpy arrays.

    Examples:
        >>> round(shot_to_round(0.1, rounds=5), 6)
        0.021824
        >>> round(round_to_shot(shot_to_round(0.1, rounds=5), rounds=5), 12)
        0.1
        >>> shot_to_round(0.0082825, rounds=1)  # (1 - (1 - 2 p)) / 2 would round it
        0.0082825
    """
    p = np.asarray(p_shot, dtype=np.float64)
    r = np.asarray(rounds, dtype=np.float64)
    mirrored = p > 0.5
    q = np.where(mirrored, 1.0 - p, p)
    with np.errstate(divide="ignore"):
        result = -np.expm1(np.log1p(-2 * np.minimum(q, 0.5)) / r) / 2
    result = np.where(mirrored, 1.0 - result, result)
    result = np.where(r == 1, p, result)  # one round: the rate itself, not its rounding
    return result if isinstance(p_shot, np.ndarray) else float(result)


@overload
def round_to_shot(p_round: float, *, rounds: int | np.ndarray) -> float: ...
@overload
def round_to_shot(p_round: np.ndarray, *, rounds: int | np.ndarray) -> np.ndarray: ...
def round_to_shot(p_round: float | np.ndarray, *, rounds: int | np.ndarray) -> float | np.ndarray:
    """The inverse of `shot_to_round`: p_shot = (1 - (1 - 2 p_round)^rounds) / 2 for
    p_round <= 1/2.

    Examples:
        >>> round(round_to_shot(0.01, rounds=10), 6)
        0.091464
    """
    p = np.minimum(np.asarray(p_round, dtype=np.float64), 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = -np.expm1(np.asarray(rounds, dtype=np.float64) * np.log1p(-2 * p)) / 2
    return result if isinstance(p_round, np.ndarray) else float(result)


def wilson(*, errors: int, shots: int) -> Interval:
    """The failure rate errors/shots with its 95% Wilson score interval (Wilson, JASA
    22, 209 (1927); no continuity correction):
    (k + z^2/2 -+ z sqrt(k (n - k) / n + z^2 / 4)) / (n + z^2).

    Examples:
        >>> print(wilson(errors=0, shots=1000))
        0 [0, 0.00383]
        >>> print(wilson(errors=5, shots=10))
        0.5 [0.237, 0.763]
    """
    if shots == 0:
        return Interval(0.0, 0.0, 1.0)
    z2 = Z * Z
    centre = (errors + z2 / 2) / (shots + z2)
    half = Z * math.sqrt(errors * (shots - errors) / shots + z2 / 4) / (shots + z2)
    return Interval(errors / shots, max(0.0, centre - half), min(1.0, centre + half))


def clopper_pearson(failures: np.ndarray, samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper-Pearson) binomial 95% intervals, element-wise, for samples > 0.

    Examples:
        >>> low, high = clopper_pearson(np.array([0]), np.array([100]))
        >>> float(low[0]), round(float(high[0]), 5)
        (0.0, 0.03622)
    """
    from scipy.special import betaincinv  # imported here: see the module's docstring

    alpha = 1 - CONFIDENCE
    k = failures.astype(np.float64)
    n = samples.astype(np.float64)
    low = np.where(k > 0, betaincinv(np.maximum(k, 1), n - k + 1, alpha / 2), 0.0)
    high = np.where(k < n, betaincinv(k + 1, np.maximum(n - k, 1), 1 - alpha / 2), 1.0)
    return low, high
