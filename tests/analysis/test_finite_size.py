"""The finite-size-scaling fit, its window and its bootstrap interval, on synthetic
counts with a known answer (`qec.analysis.finite_size`, through `estimate_threshold`).

Statistical tests use numpy's fixed seeds, so every run gives the same numbers. The
false-failure probability stated with each is the chance that a correct implementation
fails for a seed drawn at random.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from qec.analysis import SweepPoint, ThresholdNotFound, estimate_threshold
from tests.analysis.ansatz import ansatz_points


def test_fss_recovers_threshold_and_exponent_from_exact_ansatz_counts():
    estimate = estimate_threshold(ansatz_points(c=0.3), bootstrap=0)
    assert estimate.value == pytest.approx(0.1, abs=2e-5)
    assert estimate.nu == pytest.approx(1.5, rel=0.01)
    assert estimate.coefficients == pytest.approx((0.1, 0.5, 0.3), abs=2e-3)
    assert estimate.method == "finite_size_scaling" and estimate.low == estimate.high
    assert [c.value for c in estimate.crossings] == pytest.approx([0.1, 0.1], abs=2e-3)


def test_bootstrap_interval_covers_the_truth_at_about_its_nominal_rate():
    # 16 synthetic sweeps, each binomially sampled with its own seed (20,000 shots a
    # point). Seen: 16/16 covered here, and 54/60 on seeds 100-159 (the percentile
    # interval from 50 resamples covers ~90%, a little under its nominal 95%). With
    # coverage 0.9, fewer than 11 of 16 happens with probability 0.003.
    covered = 0
    for seed in range(16):
        points = ansatz_points(shots=20_000, rng=np.random.default_rng(seed))
        estimate = estimate_threshold(points, bootstrap=50, seed=seed)
        covered += estimate.low <= 0.1 <= estimate.high
    assert covered >= 11


def test_interval_width_shrinks_like_one_over_root_shots():
    widths = []
    for shots in (10_000, 160_000):
        points = ansatz_points(shots=shots, rng=np.random.default_rng(7))
        estimate = estimate_threshold(points, bootstrap=100, seed=1)
        widths.append(estimate.high - estimate.low)
    # sqrt(16) = 4; bootstrap noise on a width from 100 resamples is ~10%.
    assert 2.5 < widths[0] / widths[1] < 6


def test_window_keeps_the_points_near_the_crossing():
    values = tuple(0.1 * 1.1**k for k in range(-6, 7))
    estimate = estimate_threshold(ansatz_points(values=values, b=0.3), bootstrap=0, window=1.3)
    lo, hi = estimate.window
    assert 0.1 / 1.3 <= lo < 0.1 < hi <= 0.1 * 1.3
    assert estimate.points_used == 3 * sum(0.1 / 1.3 <= v <= 0.1 * 1.3 for v in values)


def test_curves_meeting_at_the_top_of_the_range_give_the_top_as_threshold():
    # The repetition code under bit flips: all sizes reach 1/2 at p = 1/2 and never cross.
    points = [
        SweepPoint(
            distance=d,
            value=p,
            shots=100_000,
            errors=round(
                100_000
                * sum(math.comb(d, k) * p**k * (1 - p) ** (d - k) for k in range(d // 2 + 1, d + 1))
            ),
        )
        for d in (3, 5, 7)
        for p in (0.3, 0.35, 0.4, 0.45, 0.5)
    ]
    estimate = estimate_threshold(points, bootstrap=0)
    assert estimate.value == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("shift,where", [(0.5, "above 0.12"), (-0.5, "below 0.08")])
def test_a_range_without_crossing_says_on_which_side_the_threshold_lies(shift, where):
    points = ansatz_points(v_th=0.1 + shift * 0.1, a=0.3, b=0.3)
    with pytest.raises(ThresholdNotFound, match=f"p=0.08,[0-9.,]*0.12 is not allowed.*{where}"):
        estimate_threshold(points)


def test_per_round_curves_of_d_round_memories_cross_above_the_per_shot_threshold():
    # Per-shot rates that follow the ansatz (scale invariant at v_th), with rounds = d:
    # per round, the larger code still looks better at v_th (its shot rate is divided by
    # more rounds), so per-round curves cross higher, here not at all below 0.19. This is
    # why --per shot is the consistent choice for memories whose rounds grow with d.
    points = [
        dataclasses.replace(p, rounds=p.distance)
        for p in ansatz_points(values=tuple(0.1 * 1.08**k for k in range(-4, 9)))
    ]
    per_shot = estimate_threshold(points, per="shot", bootstrap=0)
    assert per_shot.value == pytest.approx(0.1, abs=1e-4)
    with pytest.raises(ThresholdNotFound, match="larger codes do better at every value"):
        estimate_threshold(points, per="round", bootstrap=0)
