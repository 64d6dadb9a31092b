"""Estimating logical error rates: direct Monte Carlo, stratified sampling, seeded runs."""

from qec.sampling.direct import count_logical_errors
from qec.sampling.estimate import Estimate, estimate
from qec.sampling.intervals import Rate, per_round, wilson
from qec.sampling.stratified import StratifiedEstimate, estimate_stratified, reweight

__all__ = [
    "Estimate",
    "Rate",
    "StratifiedEstimate",
    "count_logical_errors",
    "estimate",
    "estimate_stratified",
    "per_round",
    "reweight",
    "wilson",
]
