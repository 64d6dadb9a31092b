"""Estimating logical error rates: direct Monte Carlo, stratified sampling, seeded runs,
and threshold sweeps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qec.lazy import lazy_attributes
from qec.sampling.core.results_file import copy_results
from qec.sampling.estimate import estimate
from qec.sampling.monte_carlo.count import count_logical_errors
from qec.sampling.result import Estimate, ScaledRate

if TYPE_CHECKING:
    from qec.sampling.stratified.estimate import StratifiedEstimate, reweight
    from qec.sampling.stratified.sampler import estimate_stratified
    from qec.sampling.sweep import ThresholdSweep, collect_sweep, points_from_stats

# Imported on first use: they load scipy and PyMatching, which direct sampling does not
# need, and every sinter worker re-imports the script that started it.
_LAZY = {
    "estimate_stratified": "qec.sampling.stratified.sampler",
    **dict.fromkeys(("StratifiedEstimate", "reweight"), "qec.sampling.stratified.estimate"),
    **dict.fromkeys(("ThresholdSweep", "collect_sweep", "points_from_stats"), "qec.sampling.sweep"),
}

__all__ = [
    "Estimate",
    "ScaledRate",
    "StratifiedEstimate",
    "ThresholdSweep",
    "collect_sweep",
    "copy_results",
    "count_logical_errors",
    "estimate",
    "estimate_stratified",
    "points_from_stats",
    "reweight",
]


__getattr__ = lazy_attributes(__name__, _LAZY)
