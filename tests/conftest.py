"""Shared helpers for the tests."""

from __future__ import annotations

import math


def binomial_tail(n: int, k: int, p: float) -> float:
    """P(Binomial(n, p) >= k), summed exactly."""
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


def z_score(errors: int, shots: int, expected_rate: float) -> float:
    """How many binomial standard deviations `errors` lies from shots * expected_rate."""
    mean = shots * expected_rate
    return (errors - mean) / math.sqrt(shots * expected_rate * (1 - expected_rate))
