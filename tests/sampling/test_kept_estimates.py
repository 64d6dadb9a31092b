"""Estimates read back from a results file are kept beside it: the same question about
the same rows gets the same estimate without being computed, another question or
other rows compute it again, and an estimate that added rows, or whose setup ran over its
time, is not kept. The solver's second pass over its own points then runs no estimate at
all."""

from __future__ import annotations

import dataclasses
import importlib

import pytest

from qec import Depolarizing, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.intervals import Interval
from qec.overhead import Budget, Design, footprint
from qec.sampling import estimate
from qec.sampling.core import derived_values as derived_module
from qec.sampling.kept_estimates import kept_estimate
from qec.sampling.method import Counts, Method, NoUnitFinished, SetupOverBudget
from qec.sampling.result import Estimate, ScaledRate

family_module = importlib.import_module("qec.overhead.family")
kept_fits_module = importlib.import_module("qec.analysis.kept_fits")
EXPERIMENT = MemoryExperiment(
    code=RotatedSurfaceCode(distance=3), noise=Depolarizing(p=5e-3), rounds=3, basis="Z"
)
ARGUMENTS = {"method": "monte_carlo", "max_shots": 20_000, "max_errors": None, "seed": 1}


def never() -> Estimate:
    raise AssertionError("computed although kept")


@pytest.fixture(autouse=True)
def fresh_stores(monkeypatch):
    """Each test starts as a new process would: no store in memory."""
    monkeypatch.setattr(derived_module, "_stores", {})


def direct(path, **arguments):
    def run() -> Estimate:
        return estimate(EXPERIMENT, save=path, num_workers=1, progress=False, **arguments)

    return run


def test_a_read_back_estimate_is_kept_and_returned_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "points.csv"
    first = kept_estimate(EXPERIMENT, path, ARGUMENTS, direct(path, **ARGUMENTS))  # samples
    read = kept_estimate(EXPERIMENT, path, ARGUMENTS, direct(path, **ARGUMENTS))  # reads back
    monkeypatch.setattr(derived_module, "_stores", {})  # as a new process reads the file
    kept = kept_estimate(EXPERIMENT, path, ARGUMENTS, never)
    assert kept == read
    assert (kept.shots, kept.errors, kept.per_round) == (first.shots, first.errors, first.per_round)


def test_other_arguments_or_other_rows_compute_the_estimate_again(tmp_path):
    path = tmp_path / "points.csv"
    for _ in range(2):  # sampled, then read back and kept
        kept_estimate(EXPERIMENT, path, ARGUMENTS, direct(path, **ARGUMENTS))
    more = {**ARGUMENTS, "max_shots": 40_000}
    grown = kept_estimate(EXPERIMENT, path, more, direct(path, **more))  # adds rows
    assert grown.shots == 40_000
    again = kept_estimate(EXPERIMENT, path, ARGUMENTS, direct(path, **ARGUMENTS))
    assert again.shots == 40_000  # the file's rows changed: read back anew, not the kept one


def test_an_estimate_that_added_rows_is_not_kept(tmp_path):
    path = tmp_path / "points.csv"
    kept_estimate(EXPERIMENT, path, ARGUMENTS, direct(path, **ARGUMENTS))  # samples
    with pytest.raises(AssertionError, match="computed although kept"):
        kept_estimate(EXPERIMENT, path, ARGUMENTS, never)


def test_an_estimate_whose_setup_ran_over_its_time_is_not_kept(tmp_path):
    # Building the circuit and its model took longer than the budget: a rerun whose
    # models are kept, or on a faster machine, may well estimate.
    path = tmp_path / "points.csv"
    path.write_text("")
    arguments = {**ARGUMENTS, "method": "splitting", "max_seconds": 1e-6}
    over = kept_estimate(EXPERIMENT, path, arguments, direct(path, **arguments))
    assert isinstance(over.shortfall, SetupOverBudget)
    with pytest.raises(AssertionError, match="computed although kept"):
        kept_estimate(EXPERIMENT, path, arguments, never)


def test_a_shortfall_and_open_intervals_survive_the_file(tmp_path, monkeypatch):
    path = tmp_path / "points.csv"
    path.write_text("")
    nothing = Estimate(
        metadata=EXPERIMENT.metadata(),
        decoder="pymatching",
        counts=Counts(Method.SPLITTING, drawn=0),
        seconds=1.5,
        per_shot=Interval(float("nan"), 0.0, 1.0),
        per_round=Interval(float("nan"), 0.0, float("inf")),
        assumptions="splitting; note: none finished",
        shortfall=NoUnitFinished(
            max_seconds=3.0, unit_decodes=100, levels=4, saved_time_counted=True
        ),
    )
    kept_estimate(EXPERIMENT, path, {"method": "splitting"}, lambda: nothing)
    monkeypatch.setattr(derived_module, "_stores", {})
    back = kept_estimate(EXPERIMENT, path, {"method": "splitting"}, never)
    assert back.shortfall == nothing.shortfall and back.counts == nothing.counts
    assert back.per_round.high == float("inf") and back.per_shot.high == 1.0
    assert dataclasses.replace(back, per_shot=nothing.per_shot, per_round=nothing.per_round) == (
        nothing
    )


def test_the_solvers_second_pass_over_its_points_runs_no_estimate_and_no_fit(tmp_path, monkeypatch):
    path = tmp_path / "points.csv"
    design = Design(name="surface", noise=Depolarizing(p=3e-3))
    budget = Budget(measured_steps=2, max_shots=20_000, max_errors=100, verify_seconds=0.0)
    footprint(design, [1e-3], budget=budget, save=path)  # samples
    read = footprint(design, [1e-3], budget=budget, save=path)  # reads back, keeps
    monkeypatch.setattr(derived_module, "_stores", {})
    monkeypatch.setattr(family_module, "estimate", never)
    monkeypatch.setattr(kept_fits_module, "fit_rates", never)
    again = footprint(design, [1e-3], budget=budget, save=path)
    assert again == read and again[0].fits  # the kept fits, field for field


def test_a_splitting_curve_survives_the_file(tmp_path, monkeypatch):
    path = tmp_path / "points.csv"
    path.write_text("")
    curve = tuple(
        ScaledRate(scale=s, per_shot=Interval(r, r / 2, 2 * r), per_round=Interval(r / 3, r / 6, r))
        for s, r in ((1.0, 1e-9), (2.5, 3e-6), (4.0, 5e-4))
    )
    split = Estimate(
        metadata=EXPERIMENT.metadata(),
        decoder="pymatching",
        counts=Counts(Method.SPLITTING, drawn=1000),
        seconds=2.0,
        per_shot=curve[0].per_shot,
        per_round=curve[0].per_round,
        curve=curve,
    )
    kept_estimate(EXPERIMENT, path, {"method": "splitting"}, lambda: split)
    monkeypatch.setattr(derived_module, "_stores", {})
    assert kept_estimate(EXPERIMENT, path, {"method": "splitting"}, never).curve == curve
