"""Sweep points: their rates per shot and per round."""

from __future__ import annotations

from qec.analysis import SweepPoint
from qec.intervals import wilson


def test_per_round_rates_convert_each_shot_rate_by_its_rounds():
    point = SweepPoint(distance=5, value=0.01, shots=10_000, errors=700, rounds=5)
    assert point.rate("round") == wilson(errors=700, shots=10_000).per_round(rounds=5)
    assert point.rate("shot") == wilson(errors=700, shots=10_000)
