"""Estimating logical error rates: direct Monte Carlo through sinter, seeded sampling."""

from qec.sampling.direct import count_logical_errors
from qec.sampling.estimate import Estimate, estimate
from qec.sampling.intervals import Rate, per_round, wilson

__all__ = ["Estimate", "Rate", "count_logical_errors", "estimate", "per_round", "wilson"]
