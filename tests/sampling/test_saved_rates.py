"""Rates read back from stratified and splitting rows: the same estimates the runs that
wrote them returned."""

from __future__ import annotations

import pytest
import sinter

from qec import Depolarizing, RepetitionCode
from qec.experiment import MemoryExperiment
from qec.sampling import estimate
from qec.sampling.saved_rates import saved_rates


def test_saved_rows_give_back_the_estimates_of_the_runs_that_wrote_them(tmp_path):
    path = tmp_path / "points.csv"
    experiment = MemoryExperiment(
        code=RepetitionCode(distance=5), noise=Depolarizing(p=0.01), rounds=5, basis="Z"
    )
    direct = estimate(experiment, method="monte_carlo", max_shots=1000, save=path, progress=False)
    runs = {
        method: estimate(
            experiment,
            method=method,
            max_seconds=10,
            seed=3,
            save=path,
            progress=False,
            num_workers=1,
        )
        for method in ("stratified", "splitting")
    }
    rates, skipped = saved_rates(sinter.read_stats_from_csv_files(path))
    assert skipped == {} and direct.shots == 1000  # the direct row is not read as a rate
    assert sorted(r.method for r in rates) == ["splitting", "stratified"]
    for rate in rates:
        run = runs[rate.method]
        assert rate.per_shot.value == pytest.approx(run.per_shot.value, rel=1e-12)
        assert rate.per_shot.low == pytest.approx(run.per_shot.low, rel=1e-12)
        assert rate.per_shot.high == pytest.approx(run.per_shot.high, rel=1e-12)
        assert rate.counts == run.counts
        assert dict(rate.metadata) == experiment.metadata()


def test_rows_that_describe_no_experiment_are_counted_not_raised():
    row = sinter.TaskStats(
        strong_id="x",
        decoder="pymatching",
        json_metadata={
            "code": "no_such_code",
            "distance": 3,
            "rounds": 1,
            "basis": "Z",
            "noise": "depolarizing:p=0.01",
            "stratum": 2,
        },
        shots=0,
        errors=0,
    )
    rates, skipped = saved_rates([row])
    assert rates == []
    [(reason, count)] = skipped.items()
    assert count == 1 and "stratified rows that describe no experiment" in reason
    assert "no_such_code" in reason
