"""The papers' threshold fit (qec.literature.paper_fit) and the cat comparison built on it."""

from __future__ import annotations

import numpy as np
import pytest

from qec.errors import QecError
from qec.literature.cat_report import agrees, compare_with_papers
from qec.literature.paper_fit import fit_paper_convention, usable_points
from qec.sampling.sweep_point import SweepPoint


def simulated_points(a: float, k_th: float, c: float, seed: int) -> list[SweepPoint]:
    """Binomial counts of P_L(d rounds) = d a (k / k_th)^(c (d + 1)), 10^7 shots each."""
    rng = np.random.default_rng(seed)
    points = []
    for d in (3, 5, 7, 9):
        for k in np.geomspace(1e-4, 0.9 * k_th, 8):
            p = min(0.5, d * a * (k / k_th) ** (c * (d + 1)))
            shots = 10_000_000
            points.append(
                SweepPoint(distance=d, value=float(k), rounds=d, shots=shots,
                           errors=int(rng.binomial(shots, p)))
            )  # fmt: skip
    return points


def test_fit_recovers_known_parameters_within_its_intervals():
    # 95% intervals of three parameters: each misses with 5%; seed fixed, so the test is
    # deterministic (with random seeds it would fail about 14% of the time at worst).
    a, k_th, c = 0.04, 2.3e-3, 0.46
    fit = fit_paper_convention(usable_points(simulated_points(a, k_th, c, seed=11)))
    assert fit.threshold.low <= k_th <= fit.threshold.high
    assert fit.prefactor.low <= a <= fit.prefactor.high
    assert fit.exponent.low <= c <= fit.exponent.high
    assert fit.threshold.high / fit.threshold.low < 1.1  # 10^7 shots: a tight fit


def test_fixed_exponent_fit_holds_c_exactly():
    fit = fit_paper_convention(
        usable_points(simulated_points(0.05, 2e-3, 0.5, seed=3)), exponent=0.5
    )
    assert fit.exponent.low == fit.exponent.high == 0.5
    assert fit.threshold.value == pytest.approx(2e-3, rel=0.05)


def test_cuts_keep_low_error_points_with_enough_failures():
    kept = usable_points(
        [
            SweepPoint(distance=3, value=1e-4, rounds=3, shots=10**6, errors=500),  # 5e-4
            SweepPoint(distance=3, value=1e-3, rounds=3, shots=10**6, errors=5000),  # too high
            SweepPoint(distance=5, value=1e-4, rounds=5, shots=10**6, errors=10),  # too few
            SweepPoint(distance=5, value=2e-4, rounds=5, shots=10**6, errors=0),  # none
        ]
    )
    assert [(p.distance, p.value) for p in kept] == [(3, 1e-4)]


def test_too_few_points_are_refused_with_what_is_needed():
    point = SweepPoint(distance=3, value=1e-4, rounds=3, shots=10**6, errors=500)
    with pytest.raises(QecError, match="at least 4 points at two or more distances"):
        fit_paper_convention([point, point])


def test_tolerance_is_relative_to_the_published_value():
    from qec.intervals import Interval

    assert agrees(Interval(1.05, 1.04, 1.06), 1.0)
    assert not agrees(Interval(1.2, 1.15, 1.25), 1.0)


def test_comparison_reproduces_lr23_from_points_that_follow_its_own_fit():
    # Points drawn from LR23's nbar = 8 fit must give back its threshold (a self-check of
    # the comparison's plumbing: the physics test is results/thresholds/summary.md).
    points = simulated_points(0.0337, 2.246e-3, 0.459, seed=5)
    comparison = compare_with_papers({8: points})
    assert comparison.lr23_verdict(8) == "reproduced"
    assert "| 8 |" in comparison.markdown()
