"""Held-out validation of a fit's extrapolation: fit the points up to a distance, predict
the rates measured beyond it, and say whether each prediction's 95% interval contains
the measurement.

This is how an extrapolation earns trust: the largest measured distances play the role
of the unmeasured ones a pick lands on. A prediction that misses its measurement says
the model (or its interval) is too narrow at that range.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from qec.analysis.fit_bend import RateFit, fit_rates
from qec.analysis.fit_point import FitPoint
from qec.errors import QecError, check_int
from qec.intervals import Interval, wilson
from qec.sampling.method import Method


@dataclasses.dataclass(frozen=True)
class Prediction:
    """A held-out measurement at `distance` (per round, with its 95% interval, by
    `method`, resting on `counts`: shots and errors, fault sets, or configurations
    decoded, `FitPoint.counts`) and the fit's prediction there with its 95% interval."""

    distance: int
    measured: Interval
    method: Method
    predicted: Interval
    counts: dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def contains(self) -> bool:
        """Whether the prediction's interval contains the measured rate."""
        return self.predicted.low <= self.measured.value <= self.predicted.high

    @property
    def overlaps(self) -> bool:
        """Whether the prediction's interval and the measurement's overlap: the two
        agree within their uncertainties."""
        return self.measured.low <= self.predicted.high and self.predicted.low <= self.measured.high

    @property
    def ratio(self) -> float:
        """The measured rate over the predicted one (above 1: the fit is optimistic)."""
        return self.measured.value / self.predicted.value

    def to_json(self) -> dict[str, Any]:
        return {
            "distance": self.distance,
            "method": self.method.value,
            "counts": dict(self.counts),
            "measured": self.measured.to_json(),
            "predicted": self.predicted.to_json(),
            "contains": self.contains,
            "overlaps": self.overlaps,
            "ratio": self.ratio,
        }


@dataclasses.dataclass(frozen=True)
class Holdout:
    """A fit of the points up to `fit_up_to` (`fit_rates`'s rule) and its predictions
    of every point beyond, in increasing distance.

    Examples:
        >>> rates = {d: 0.1 * 3.0 ** (-(d + 1) / 2) for d in (3, 5, 7, 9, 11)}
        >>> points = [FitPoint(distance=d, shots=10**6, errors=round(10**6 * r))
        ...           for d, r in rates.items()]
        >>> result = holdout(points, fit_up_to=7)
        >>> [(p.distance, p.contains) for p in result.predictions]
        [(9, True), (11, True)]
    """

    fit_up_to: int
    fit: RateFit
    predictions: tuple[Prediction, ...]

    @property
    def contains_all(self) -> bool:
        """Whether every prediction's interval contains its measurement."""
        return all(p.contains for p in self.predictions)

    def to_json(self) -> dict[str, Any]:
        return {
            "fit_up_to": self.fit_up_to,
            "fit": str(self.fit),
            "predictions": [p.to_json() for p in self.predictions],
            "contains_all": self.contains_all,
        }


def measured_rate(point: FitPoint) -> Interval:
    """A point's per-round rate with its 95% interval: Wilson's for direct shots, the
    estimate's own otherwise."""
    if point.rate is not None:
        return point.rate
    return wilson(errors=point.errors, shots=point.shots).per_round(rounds=point.rounds)


def holdout(points: Iterable[FitPoint], *, fit_up_to: int) -> Holdout:
    """Fits the points at distances up to `fit_up_to` and predicts each one beyond.
    QecError when none lies beyond, or as `fit_rates` raises it for those fitted."""
    check_int("fit_up_to", fit_up_to, minimum=1)
    points = tuple(points)
    fitted = [p for p in points if p.distance <= fit_up_to]
    held = sorted((p for p in points if p.distance > fit_up_to), key=lambda p: p.distance)
    if not held:
        largest = max((p.distance for p in points), default=None)
        raise QecError.invalid(
            "fit_up_to", fit_up_to, f"below the largest distance measured ({largest})"
        )
    fit = fit_rates(fitted)
    return Holdout(
        fit_up_to=fit_up_to,
        fit=fit,
        predictions=tuple(
            Prediction(
                p.distance,
                measured_rate(p),
                p.method,
                fit.predict_interval(p.distance),
                p.counts(),
            )
            for p in held
        ),
    )
