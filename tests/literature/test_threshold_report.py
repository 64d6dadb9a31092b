"""Threshold reports: the text of one estimate, verdicts against published values, the
biased-noise trend, and the summary table and JSON."""

from __future__ import annotations

import dataclasses

from qec.analysis import SweepPoint, ThresholdEstimate
from qec.analysis.threshold_text import threshold_text
from qec.literature.published import PUBLISHED
from qec.literature.threshold_report import (
    SweepReport,
    biased_trend,
    reported_estimates,
    summary_json,
    summary_markdown,
    verdict,
)
from qec.sampling import ThresholdSweep
from tests.analysis.ansatz import ansatz_points


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


def test_verdict_compares_the_per_shot_interval_with_the_published_range():
    row = PUBLISHED["rotated_phenomenological"]  # 0.0293 [0.0291, 0.0295], tolerance 0.003
    edge = row.low - row.tolerance
    assert verdict(row.key, interval(0.027, 0.026, edge)) == "reproduced"
    assert verdict(row.key, interval(0.025, 0.024, edge - 1e-4)) == "not reproduced"
    assert verdict(row.key, None) == "no estimate"
    assert verdict("rotated_circuit_level_models", None) == "context only"
    assert verdict("xzzx_biased_trend", None).startswith("trend")
    assert verdict(None, interval(0.027, 0.026, 0.028)) == ""


def test_biased_trend_needs_xzzx_to_rise_css_to_stay_and_xzzx_above_css():
    def at(value: float) -> ThresholdEstimate:
        return interval(value, 0.95 * value, 1.05 * value)

    xzzx = [at(0.007), at(0.013), at(0.021), at(0.03)]
    css = [at(0.007), at(0.0065), at(0.0062), at(0.006)]
    assert biased_trend(xzzx, css).startswith("reproduced (")
    gaining = [at(0.007), at(0.0065), at(0.0062), at(0.009)]
    assert biased_trend(xzzx, gaining).startswith("not reproduced")
    assert "gains < 25%: False" in biased_trend(xzzx, gaining)
    assert biased_trend(xzzx[:3] + [None], css) == "incomplete"


def test_reported_estimates_are_none_where_a_method_finds_no_threshold():
    # Per-shot rates that follow the ansatz with rounds = d: per round, the curves do
    # not cross in the range (see test_finite_size).
    points = [
        dataclasses.replace(p, rounds=p.distance)
        for p in ansatz_points(values=tuple(0.1 * 1.08**k for k in range(-4, 9)))
    ]
    notes: list[str] = []
    found = reported_estimates(points, bootstrap=0, note=notes.append)
    assert found["estimate_shot"] is not None and found["crossing_shot"] is not None
    assert found["estimate_round"] is None
    assert notes and notes[0].startswith("no fss threshold per round: p=")


def test_summary_table_and_json_show_estimates_published_values_and_verdicts():
    shot = dataclasses.replace(interval(0.103, 0.1025, 0.104), sizes=("d=5", "d=9"))
    report = SweepReport(
        "rep",
        {
            "code": "repetition",
            "basis": "Z",
            "noise": "phenomenological",
            "sweep": "p",
            "rounds": "d",
            "values": [0.1],
        },
        {"estimate_shot": shot, "crossing_shot": None, "estimate_round": None},
        "repetition_phenomenological",
    )
    table = summary_markdown([report], trend="incomplete", bootstrap=7, seed=3)
    assert "(7 resamples, seed 3)" in table
    assert (
        "| rep | d=5,d=9 | 0.103 [0.1025, 0.104] | none in range | none in range | "
        "0.1031 [0.103, 0.1032] | 0.004 | reproduced |"
    ) in table
    assert "Biased-noise trend (XZZX vs CSS, X memories, d = 5, 7, 9): incomplete" in table
    assert all(f"- `{key}`" in table for key in PUBLISHED)
    data = summary_json([report], trend="incomplete")
    row = data["families"][0]
    assert list(row)[:8] == [
        "family",
        "code",
        "basis",
        "noise",
        "sweep",
        "rounds",
        "published",
        "verdict",
    ]
    assert row["verdict"] == "reproduced" and "values" not in row
    assert row["estimate_shot"] == shot.to_json() and "crossing_shot" not in row
    assert data["biased_trend"] == "incomplete"
