"""Analysis of sampled results: fits of the logical error rate against distance, and
thresholds of sweeps."""

from qec.analysis.finite_size import ThresholdNotFound
from qec.analysis.fit import MODEL, LambdaFit, TargetDistance, fit_lambda
from qec.analysis.fit_bend import BENT_MODEL, BentFit, RateFit, fit_rates
from qec.analysis.fit_point import FitPoint
from qec.analysis.fit_stats import FittedStats, GroupFit, fit_points_from_stats
from qec.analysis.threshold import Crossing, ThresholdEstimate, estimate_threshold
from qec.sampling.sweep_point import SweepPoint

__all__ = [
    "BENT_MODEL",
    "MODEL",
    "BentFit",
    "Crossing",
    "FitPoint",
    "FittedStats",
    "GroupFit",
    "LambdaFit",
    "RateFit",
    "SweepPoint",
    "TargetDistance",
    "ThresholdEstimate",
    "ThresholdNotFound",
    "estimate_threshold",
    "fit_lambda",
    "fit_points_from_stats",
    "fit_rates",
]
