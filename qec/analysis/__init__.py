"""Analysis of sampled results: fits of the logical error rate against distance."""

from qec.analysis.fit import (
    MODEL,
    FitPoint,
    FittedStats,
    GroupFit,
    LambdaFit,
    TargetDistance,
    fit_lambda,
    fit_points_from_stats,
)

__all__ = [
    "MODEL",
    "FitPoint",
    "FittedStats",
    "GroupFit",
    "LambdaFit",
    "TargetDistance",
    "fit_lambda",
    "fit_points_from_stats",
]
