"""Threshold reports: the text of one estimate."""

from __future__ import annotations

from qec.analysis import SweepPoint, ThresholdEstimate
from qec.analysis.threshold_report import threshold_text
from qec.sampling import ThresholdSweep


def interval(value: float, low: float, high: float, per: str = "shot") -> ThresholdEstimate:
    return ThresholdEstimate(
        value=value,
        low=low,
        high=high,
        method="crossing",
        per=per,
        window=(0.05, 0.2),
        points_used=6,
    )


def test_per_round_with_rounds_growing_with_d_prints_a_note():
    sweep = ThresholdSweep(
        code="repetition", sizes=(3, 5), noise="phenomenological", values=(0.05, 0.1, 0.2)
    )
    experiment = {**sweep.to_json(), "decoder": "pymatching"}
    points = [SweepPoint(distance=3, value=0.1, shots=100, errors=10, rounds=3)]
    estimate = interval(0.1, 0.09, 0.11, per="round")
    assert "per-round curves cross above it" in threshold_text(experiment, points, estimate)
    shot = interval(0.1, 0.09, 0.11, per="shot")
    assert "per-round curves" not in threshold_text(experiment, points, shot)
