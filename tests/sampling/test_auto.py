"""method='auto' and method='stratified' through estimate(), and what auto chooses."""

from __future__ import annotations

import math
import pathlib

import sinter

from qec import CodeCapacity, Depolarizing, RepetitionCode, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.sampling import estimate
from qec.sampling.auto import MAX_MEAN_FAULTS_FOR_STRATIFIED, choose_method
from qec.sampling.stratified.estimate import stratum_counts


def experiment(code, p, rounds):
    return MemoryExperiment(code=code, noise=Depolarizing(p=p), rounds=rounds, basis="Z")


def test_auto_samples_directly_when_the_budget_yields_enough_errors():
    result = estimate(
        experiment(RepetitionCode(distance=3), 0.02, 3),
        max_shots=100_000,
        max_errors=200,
        num_workers=1,
        progress=False,
    )
    assert result.method == "monte_carlo" and result.errors >= 200
    assert "pilot" in result.assumptions


def test_auto_stratifies_rare_failures_with_an_interval_within_the_precision():
    result = estimate(
        experiment(RotatedSurfaceCode(distance=3), 1e-4, 3),
        max_shots=100_000,
        seed=3,
        progress=False,
    )
    assert result.method == "stratified"
    assert result.per_shot.low <= result.per_shot.value <= result.per_shot.high
    assert (result.per_shot.high - result.per_shot.low) / 2 <= 0.2 * result.per_shot.value
    assert result.per_shot.value < 1e-5  # direct sampling would see ~1 error in 100,000


def test_auto_splits_when_the_circuit_has_too_many_faults_to_stratify():
    circuit = experiment(RotatedSurfaceCode(distance=9), 2e-3, 9).circuit()
    choice = choose_method(
        circuit, decoder="pymatching", max_shots=1000, max_errors=100, rel_precision=0.2
    )
    assert choice.method == "splitting" and not choice.enough
    assert choice.mean_faults > MAX_MEAN_FAULTS_FOR_STRATIFIED


def test_auto_picks_a_rare_event_method_for_any_decoder():
    circuit = experiment(RotatedSurfaceCode(distance=9), 2e-3, 9).circuit()
    choice = choose_method(
        circuit,
        decoder="pymatching-correlated",
        max_shots=1000,
        max_errors=100,
        rel_precision=0.2,
    )
    assert choice.method == "splitting" and not choice.enough


def test_direct_only_keeps_the_pilot_and_says_the_interval_only_bounds_the_rate():
    circuit = experiment(RotatedSurfaceCode(distance=9), 2e-3, 9).circuit()
    choice = choose_method(
        circuit,
        decoder="pymatching",
        max_shots=1000,
        max_errors=100,
        rel_precision=0.2,
        seed=1,
        direct_only=True,
    )
    assert choice.method == "monte_carlo" and choice.bounds_only
    assert choice.pilot is not None and choice.pilot.shots == 1000


def test_stratified_run_resumes_from_its_rows_without_double_counting(tmp_path):
    path = tmp_path / "strata.csv"
    rare = experiment(RotatedSurfaceCode(distance=5), 1e-3, 5)
    first = estimate(
        rare, method="stratified", rel_precision=0.5, save=path, seed=1, progress=False
    )
    rows = sinter.read_stats_from_csv_files(path)
    assert all("stratum" in r.json_metadata for r in rows)
    assert all(r.shots == r.errors == 0 for r in rows)  # sinter's tools see no rates
    assert sum(stratum_counts(r)[0] for r in rows) == first.counts.drawn
    second = estimate(
        rare, method="stratified", rel_precision=0.2, save=path, seed=2, progress=False
    )
    rows = sinter.read_stats_from_csv_files(path)
    assert second.counts.drawn >= first.counts.drawn
    assert sum(stratum_counts(r)[0] for r in rows) == second.counts.drawn  # the fault sets


def rerun_stratified(path: pathlib.Path, **limits: float | None) -> list[sinter.TaskStats]:
    """A stratified run of a rare rotated d = 5 experiment saved to `path` with
    `limits`; the rows of `path` after it."""
    estimate(
        experiment(RotatedSurfaceCode(distance=5), 1e-3, 5),
        method="stratified",
        save=path,
        seed=1,
        progress=False,
        **limits,  # type: ignore[arg-type]
    )
    return sinter.read_stats_from_csv_files(path)


def test_stratified_max_shots_counts_the_fault_sets_already_in_the_file(tmp_path):
    path = tmp_path / "strata.csv"

    def run(max_shots: int) -> int:
        rows = rerun_stratified(path, rel_precision=0.01, max_shots=max_shots)
        return sum(stratum_counts(r)[0] for r in rows)

    first = run(20_000)
    assert 20_000 <= first < 40_000  # stops at the chunk that reaches it
    assert run(20_000) == first  # already there: read back, nothing added
    assert 40_000 <= run(40_000) < 60_000


def test_stratified_max_seconds_counts_the_time_already_in_the_file(tmp_path):
    # A run stopped by its time budget once topped up another max_seconds on every
    # rerun (the claim's rerun added 600 rows to the headline's points).
    path = tmp_path / "strata.csv"

    def run(max_seconds: float) -> float:
        # No limit on fault sets: a fast machine samples estimate's default million
        # before 2 s, and the run rightly stops there.
        rows = rerun_stratified(path, rel_precision=1e-4, max_seconds=max_seconds, max_shots=None)
        return sum(r.seconds for r in rows)

    first = run(1.0)
    assert first >= 1.0  # the rows hold the run's wall time, not only its sampling
    saved = path.read_bytes()
    assert run(1.0) == first and path.read_bytes() == saved  # read back, nothing added
    assert run(2.0) >= 2.0


def seeds_of(rows: list[sinter.TaskStats]) -> list[str]:
    return [key for r in rows for key in r.custom_counts if key.startswith("seed=")]


def test_a_run_no_longer_than_the_pilot_is_the_pilot_and_starts_no_workers():
    # The pilot is seeded and in-process; sinter's workers use fresh random seeds. So a
    # 5,000-shot run that only counts its pilot gives the same count every time.
    frequent = experiment(RepetitionCode(distance=3), 0.05, 3)
    runs = [
        estimate(frequent, max_shots=5000, max_errors=None, seed=4, progress=False)
        for _ in range(2)
    ]
    assert [r.method for r in runs] == ["monte_carlo"] * 2
    assert [r.shots for r in runs] == [5000, 5000]
    assert runs[0].errors == runs[1].errors > 0
    assert "pilot: " in runs[0].assumptions


def test_auto_counts_its_pilot_once_and_resumes_from_the_file(tmp_path):
    path = tmp_path / "direct.csv"
    frequent = experiment(RepetitionCode(distance=3), 0.01, 3)  # ~6.7e-3 per shot

    def run(max_shots: int, rel_precision: float) -> int:
        result = estimate(
            frequent,
            max_shots=max_shots,
            max_errors=None,
            rel_precision=rel_precision,
            save=path,
            seed=1,
            progress=False,
        )
        assert result.method == "monte_carlo"
        rows = sinter.read_stats_from_csv_files(path)
        assert result.shots == sum(r.shots for r in rows)  # the file holds what was counted
        return result.shots

    # 16 errors needed: the 5,000-shot pilot (~33 expected) is the whole run, written as
    # a row with its seed; run again, the file holds the budget: nothing added.
    assert run(5000, rel_precision=0.5) == 5000
    assert run(5000, rel_precision=0.5) == 5000
    assert len(seeds_of(sinter.read_stats_from_csv_files(path))) == 1
    # 97 needed: the file's ~33 do not decide, so a second pilot runs, seeded apart from
    # the first (the same seed would repeat the first pilot's 5,000 shots).
    assert run(30_000, rel_precision=0.2) == 30_000
    seeds = seeds_of(sinter.read_stats_from_csv_files(path))
    assert len(set(seeds)) == len(seeds) == 2
    # The file's 30,000 shots decide: no third pilot.
    assert run(40_000, rel_precision=0.2) == 40_000
    assert len(seeds_of(sinter.read_stats_from_csv_files(path))) == 2


def test_a_fully_enumerated_stratified_run_records_its_exact_strata_once(tmp_path):
    path = tmp_path / "exact.csv"
    small = MemoryExperiment(
        code=RepetitionCode(distance=3), noise=CodeCapacity(p=0.01), rounds=1, basis="Z"
    )
    first = estimate(small, method="stratified", save=path, seed=1, progress=False)
    closed_form = 3 * 0.01**2 * 0.99 + 0.01**3  # P(2 or 3 of the 3 bits flip)
    assert math.isclose(first.per_shot.value, closed_form, rel_tol=1e-12)
    assert first.per_shot.high - first.per_shot.low <= 1e-8 * closed_form  # exact
    lines = path.read_text().splitlines()
    rows = sinter.read_stats_from_csv_files(path)
    assert len(rows) == len(lines) - 1 >= 2  # one row per stratum, none merged
    recorded = {r.json_metadata["stratum"]: dict(r.custom_counts) for r in rows}
    # Stratum 1 is certified (below the distance: never fails, nothing decoded); the 3
    # sets of stratum 2 and the one of stratum 3 were decoded and all fail.
    assert recorded[1] == {"exact_fault_sets": 0, "exact_failing_fault_sets": 0}
    assert recorded[2] == {"exact_fault_sets": 3, "exact_failing_fault_sets": 3}
    assert recorded[3] == {"exact_fault_sets": 1, "exact_failing_fault_sets": 1}
    assert all(stratum_counts(r) == (0, 0) for r in rows)  # no samples to resume from
    second = estimate(small, method="stratified", save=path, seed=2, progress=False)
    assert second.per_shot == first.per_shot
    assert path.read_text().splitlines() == lines  # recorded once, not again
