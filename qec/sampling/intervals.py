"""Binomial confidence intervals and the per-shot to per-round conversion."""

from __future__ import annotations

import dataclasses

import sinter
from scipy.stats import binomtest

CONFIDENCE = 0.95
INTERVAL_NAME = "wilson score, 95%"


@dataclasses.dataclass(frozen=True)
class Rate:
    """An estimated probability with its confidence interval [low, high]."""

    rate: float
    low: float
    high: float

    def to_json(self) -> dict[str, float]:
        return {"rate": self.rate, "low": self.low, "high": self.high}

    def __str__(self) -> str:
        return f"{self.rate:.3g} [{self.low:.3g}, {self.high:.3g}]"


def wilson(*, errors: int, shots: int) -> Rate:
    """The failure rate errors/shots with its 95% Wilson score interval.

    Examples:
        >>> wilson(errors=0, shots=1000)
        Rate(rate=0.0, low=0.0, high=0.0038267584855551234)
    """
    if shots == 0:
        return Rate(0.0, 0.0, 1.0)
    ci = binomtest(errors, shots).proportion_ci(confidence_level=CONFIDENCE, method="wilson")
    return Rate(errors / shots, float(ci.low), float(ci.high))


def per_round(rate: Rate, *, rounds: int) -> Rate:
    """Converts a per-shot rate to a per-round rate, treating the shot as `rounds`
    independent rounds whose flips of the observable add up mod 2:
    p_round = (1 - (1 - 2 p_shot)^(1/rounds)) / 2 (sinter's convention). The interval
    maps with it, since the conversion is monotonic.

    Examples:
        >>> per_round(Rate(0.1, 0.05, 0.15), rounds=1)
        Rate(rate=0.1, low=0.05, high=0.15)
    """

    def convert(p: float) -> float:
        return float(sinter.shot_error_rate_to_piece_error_rate(p, pieces=rounds))

    return Rate(convert(rate.rate), convert(rate.low), convert(rate.high))
