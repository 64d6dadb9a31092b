"""Estimating logical error rates: direct Monte Carlo, stratified sampling, seeded runs."""

from qec.sampling.direct import count_logical_errors
from qec.sampling.estimate import Estimate, estimate
from qec.sampling.stratified import estimate_stratified
from qec.sampling.stratified_estimate import StratifiedEstimate, reweight

__all__ = [
    "Estimate",
    "StratifiedEstimate",
    "count_logical_errors",
    "estimate",
    "estimate_stratified",
    "reweight",
]
