"""Fits and their predictions kept beside a results file (`derived_values`).

A fit's profile intervals cost hundreds of likelihood maximizations, and `qec compare`
asks for the same fits and predictions on every run. `kept_fit` and `kept_prediction`
keep them with the derived values beside the points, keyed by the fitted points and a
hash of the fitting code (`FIT_CODE`); without a file they are computed each time.
"""

from __future__ import annotations

import pathlib
from collections.abc import Sequence
from typing import Any

from qec.analysis.fit import LambdaFit
from qec.analysis.fit_bend import BentFit, RateFit, fit_rates
from qec.analysis.fit_point import FitPoint
from qec.intervals import Interval
from qec.sampling.core.derived_values import code_hash, derived_values

# The code a fit and its profile intervals run.
FIT_CODE = (
    "analysis/fit.py",
    "analysis/fit_bend.py",
    "analysis/fit_point.py",
    "analysis/likelihood.py",
    "intervals.py",
)


def kept_fit(save: pathlib.Path | None, points: Sequence[FitPoint]) -> RateFit:
    """`fit_rates(points)`, kept beside `save`. QecError as `fit_rates` raises it.

    Examples:
        >>> fit = kept_fit(None, [FitPoint(distance=3, shots=10_000, errors=1000),
        ...                       FitPoint(distance=5, shots=10_000, errors=100)])
        >>> print(fit.Lambda)
        10 [8.2, 12.3]
    """
    points = tuple(points)
    kept = derived_values(save).get(
        "",
        "fit_rates",
        {"points": [_point_json(p) for p in points], "code": code_hash(*FIT_CODE)},
        lambda: _fit_json(fit_rates(points)),
        packages=(),  # numpy's and scipy's versions change only the last digits
    )
    return _fit_of_json(kept, points)


def kept_prediction(save: pathlib.Path | None, fit: RateFit, distance: int) -> Interval:
    """`fit.predict_interval(distance)`, kept beside `save`."""
    params = {
        "points": [_point_json(p) for p in fit.points],
        "distance": distance,
        "code": code_hash(*FIT_CODE),
    }
    kept = derived_values(save).get(
        "",
        "predict_interval",
        params,
        lambda: fit.predict_interval(distance).to_json(),
        packages=(),  # numpy's and scipy's versions change only the last digits
    )
    return Interval.from_json(kept)


def _point_json(point: FitPoint) -> list[Any]:
    """A fitted point as JSON, for keys."""
    rate = None if point.rate is None else point.rate.to_json()
    return [point.distance, point.shots, point.errors, point.rounds, rate, str(point.method)]


def _fit_json(fit: RateFit) -> dict[str, Any]:
    """A fit's results as JSON, without its points (the key holds them)."""
    data = {
        "A": fit.A.to_json(),
        "Lambda": fit.Lambda.to_json(),
        **{k: getattr(fit, k) for k in ("log_likelihood", "deviance", "dof", "p_value", "model")},
    }
    if isinstance(fit, BentFit):
        data.update(
            gamma=fit.gamma.to_json(),
            bent=fit.bent,
            maximum=list(fit.maximum),
            exponential_log_likelihood=fit.exponential_log_likelihood,
        )
    return data


def _fit_of_json(data: dict[str, Any], points: tuple[FitPoint, ...]) -> RateFit:
    """The fit `_fit_json` wrote, of `points`."""
    common: dict[str, Any] = {
        "A": Interval.from_json(data["A"]),
        "Lambda": Interval.from_json(data["Lambda"]),
        "points": points,
        **{k: data[k] for k in ("log_likelihood", "deviance", "dof", "p_value", "model")},
    }
    if "gamma" not in data:
        return LambdaFit(**common)
    a, log_lambda, gamma = data["maximum"]
    return BentFit(
        gamma=Interval.from_json(data["gamma"]),
        bent=data["bent"],
        maximum=(a, log_lambda, gamma),
        exponential_log_likelihood=data["exponential_log_likelihood"],
        **common,
    )
