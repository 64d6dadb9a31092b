"""Estimating logical error rates: direct Monte Carlo, stratified sampling, seeded runs,
and threshold sweeps."""

from qec.sampling.direct import count_logical_errors
from qec.sampling.estimate import Estimate, estimate
from qec.sampling.stratified import estimate_stratified
from qec.sampling.stratified_estimate import StratifiedEstimate, reweight
from qec.sampling.sweep import ThresholdSweep, collect_sweep, points_from_stats

__all__ = [
    "Estimate",
    "StratifiedEstimate",
    "ThresholdSweep",
    "collect_sweep",
    "count_logical_errors",
    "estimate",
    "estimate_stratified",
    "points_from_stats",
    "reweight",
]
