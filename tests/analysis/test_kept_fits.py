"""Tests of fits kept beside a results file."""

from __future__ import annotations

from qec.analysis import BentFit, FitPoint, fit_rates
from qec.analysis.kept_fits import kept_fit, kept_prediction
from qec.sampling.core.derived_values import derived_values_file


def bent_points() -> list[FitPoint]:
    rates = {d: 0.1 * ((d + 1) / 2) ** -1.5 * 2.0 ** -((d + 1) / 2) for d in range(3, 17, 2)}
    return [FitPoint(distance=d, shots=10**6, errors=round(10**6 * r)) for d, r in rates.items()]


def test_a_kept_bent_fit_reads_back_equal_to_the_fit_it_kept(tmp_path):
    save = tmp_path / "points.csv"
    computed = fit_rates(bent_points())
    first = kept_fit(save, bent_points())
    assert derived_values_file(save).is_file()
    again = kept_fit(save, bent_points())
    assert isinstance(again, BentFit) and again == first == computed


def test_a_kept_prediction_is_the_fits_own(tmp_path):
    save = tmp_path / "points.csv"
    fit = kept_fit(save, bent_points())
    assert kept_prediction(save, fit, 41) == fit.predict_interval(41)
    assert kept_prediction(save, fit, 41) == kept_prediction(save, fit, 41)
