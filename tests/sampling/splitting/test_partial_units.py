"""Splitting units stopped at their run's deadline and finished by a later run: the
result is the uninterrupted unit's, bit for bit, and its time is counted once."""

from __future__ import annotations

import dataclasses
import itertools
import re
import time

import pytest
import sinter

from qec import CodeCapacity, Depolarizing, RepetitionCode, RotatedSurfaceCode
from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.fault_kinds import fault_kinds
from qec.sampling.splitting import chains as splitting_chains
from qec.sampling.splitting import ladder as splitting_ladder
from qec.sampling.splitting import runs as splitting_runs
from qec.sampling.splitting.ladder import Ladder, PartialUnit, UnitResult, run_unit
from qec.sampling.splitting.partial_units import (
    partial_units_folder,
    save_partial,
    saved_partials,
)
from qec.sampling.splitting.runs import run_splitting
from qec.sampling.splitting.unit_jobs import unit_seed
from qec.sampling.splitting.unit_rows import ladder_identity, unfinished_row

_TRUE_TIME = time.time


class _Clock:
    """`time.time` for the chains: the true time for `calls` calls, then an hour later
    (a deadline set from the true time has passed)."""

    def __init__(self, calls: int) -> None:
        self.calls = itertools.count()
        self.limit = calls

    def time(self) -> float:
        return _TRUE_TIME() + (3600.0 if next(self.calls) >= self.limit else 0.0)


def test_a_unit_stopped_at_its_deadline_goes_on_to_the_uninterrupted_result(tmp_path, monkeypatch):
    circuit = CodeCapacity(p=0.003).noisy_circuit(
        RepetitionCode(distance=7).memory_circuit(rounds=1, basis="Z")
    )
    problem = DecodingProblem(circuit)
    kinds = fault_kinds(circuit)
    ladder = Ladder(scales=(8.0, 3.0, 1.0), steps=600, ladders=4, top_shots=2000, pilot_rate=0.0)
    whole = run_unit(problem, ladder, seed=11, kinds=kinds)
    assert isinstance(whole, UnitResult)

    # Stopped at its 11th look at the clock (step 176 of 600), kept in a file, read back.
    monkeypatch.setattr(splitting_chains, "time", _Clock(calls=10))
    stopped = run_unit(problem, ladder, seed=11, kinds=kinds, deadline=time.time() + 60)
    monkeypatch.undo()
    assert isinstance(stopped, PartialUnit)
    assert stopped.chains.counters[0] == 176
    results = tmp_path / "points.csv"
    save_partial(results, "ladder", stopped)
    (kept,) = saved_partials(results, "ladder")

    resumed = run_unit(problem, ladder, seed=11, kinds=kinds, resume=kept)
    assert isinstance(resumed, UnitResult)
    assert resumed.histograms == whole.histograms
    assert (resumed.top_failures, resumed.decoded) == (whole.top_failures, whole.decoded)
    assert resumed.kinds == whole.kinds
    assert resumed.earlier_seconds == stopped.seconds < resumed.seconds


def test_a_unit_hands_over_checkpoints_from_which_it_goes_on_to_the_same_result(monkeypatch):
    circuit = CodeCapacity(p=0.003).noisy_circuit(
        RepetitionCode(distance=7).memory_circuit(rounds=1, basis="Z")
    )
    problem = DecodingProblem(circuit)
    ladder = Ladder(scales=(8.0, 3.0, 1.0), steps=600, ladders=4, top_shots=2000, pilot_rate=0.0)
    whole = run_unit(problem, ladder, seed=5)
    # A checkpoint at every look at the clock (every 16 steps).
    monkeypatch.setattr(splitting_ladder, "CHECKPOINT_SECONDS", 0.0)
    checkpoints: list[PartialUnit] = []
    paused = run_unit(problem, ladder, seed=5, checkpoint=checkpoints.append)
    assert isinstance(whole, UnitResult) and isinstance(paused, UnitResult)
    assert paused.histograms == whole.histograms and paused.decoded == whole.decoded
    steps = [c.chains.counters[0] for c in checkpoints]
    assert steps == sorted(steps) and len(steps) >= 30
    # A kill after the 10th checkpoint: the unit goes on from it to the same result.
    resumed = run_unit(problem, ladder, seed=5, resume=checkpoints[9])
    assert isinstance(resumed, UnitResult)
    assert resumed.histograms == whole.histograms and resumed.decoded == whole.decoded


def test_a_damaged_partial_unit_is_named_in_a_clear_error(tmp_path):
    results = tmp_path / "points.csv"
    folder = partial_units_folder(results)
    folder.mkdir()
    (folder / "ladder-5.npz").write_bytes(b"not an archive")
    with pytest.raises(QecError) as raised:
        saved_partials(results, "ladder")
    assert raised.value.parameter == "partial unit"
    assert raised.value.value == str(folder / "ladder-5.npz")


def _splitting(path, *, seed: int, max_seconds: float | None, rel_precision: float = 0.5):
    experiment = MemoryExperiment(
        code=RotatedSurfaceCode(distance=3), noise=Depolarizing(p=1e-4), rounds=3, basis="Z"
    )
    return run_splitting(
        experiment.circuit(),
        strong_id="test",
        metadata={"d": 3},
        path=path,
        rel_precision=rel_precision,
        max_seconds=max_seconds,
        seed=seed,
        workers=1,
    )


def _unit_rows(path) -> dict[int, sinter.TaskStats]:
    rows = sinter.read_stats_from_csv_files(path)
    return {
        r.json_metadata["splitting"]["seed"]: r
        for r in rows
        if r.shots == 0 and "seed" in r.json_metadata["splitting"]
    }


def test_a_rerun_finishes_the_unit_its_predecessor_stopped_and_counts_its_time_once(
    tmp_path, monkeypatch
):
    stopped_path, whole_path = tmp_path / "stopped.csv", tmp_path / "whole.csv"
    # The first run's clock runs out in its first unit's chains (`time.time` is read a
    # few times before them, then every 16 steps).
    monkeypatch.setattr(time, "time", _Clock(calls=12).time)
    ladder, first = _splitting(stopped_path, seed=4, max_seconds=600.0)
    monkeypatch.undo()
    assert first is None
    (partial,) = saved_partials(stopped_path, _ladder_id(ladder))
    spent = sum(r.seconds for r in sinter.read_stats_from_csv_files(stopped_path))
    assert spent >= partial.seconds > 0

    _, resumed = _splitting(stopped_path, seed=4, max_seconds=None)
    _, whole = _splitting(whole_path, seed=4, max_seconds=None)
    assert resumed is not None and whole is not None
    assert list(partial_units_folder(stopped_path).iterdir()) == []
    finished = _same_units(stopped_path, whole_path)
    first_unit = finished[partial.seed]
    # The row holds the finishing run's seconds (sinter's CSV rounds them to 0.001 s
    # below 1 s, 0.01 s below 10 s, then 0.1 s: a loaded machine takes longer); the
    # stopped run recorded the rest.
    unit_seconds = first_unit.json_metadata["splitting"]["unit_seconds"]
    assert unit_seconds == pytest.approx(first_unit.seconds + partial.seconds, abs=0.051)
    assert resumed.rate == whole.rate


def test_a_seed_that_finished_out_of_turn_is_not_run_again(tmp_path):
    # Units 0 and 1 ran side by side and only unit 1 finished before the deadline: the
    # rerun's next index is 1, whose seed unit 1 already holds.
    whole_path, path = tmp_path / "whole.csv", tmp_path / "split.csv"
    _splitting(whole_path, seed=4, max_seconds=None)
    second = _unit_rows(whole_path)[unit_seed(4, 1)]
    path.write_text(f"{sinter.CSV_HEADER}\n{second.to_csv_line()}\n")
    _, estimate = _splitting(path, seed=4, max_seconds=None)
    lines = path.read_text().splitlines()[1:]
    seeds = {int(re.search(r'""seed"":(\d+)', line).group(1)) for line in lines}
    assert estimate is not None
    assert estimate.units == len(lines) == len(seeds)


def test_a_run_killed_after_a_checkpoint_is_resumed_from_it(tmp_path, monkeypatch):
    killed_path, whole_path = tmp_path / "killed.csv", tmp_path / "whole.csv"
    monkeypatch.setattr(splitting_ladder, "CHECKPOINT_SECONDS", 0.0)
    kept: list[int] = []

    def keep_then_die(path, ladder_id, unit):
        save_partial(path, ladder_id, unit)
        kept.append(unit.chains.counters[0])
        if len(kept) == 5:  # killed right after its 5th checkpoint, recording nothing
            raise KeyboardInterrupt

    monkeypatch.setattr(splitting_runs, "save_partial", keep_then_die)
    with pytest.raises(KeyboardInterrupt):
        _splitting(killed_path, seed=4, max_seconds=None)
    monkeypatch.undo()
    assert not killed_path.exists() or _unit_rows(killed_path) == {}
    (partial,) = saved_partials(
        killed_path, _ladder_id(_splitting(whole_path, seed=4, max_seconds=None)[0])
    )
    assert partial.chains.counters[0] == kept[-1] > 0

    _, resumed = _splitting(killed_path, seed=4, max_seconds=None)
    assert resumed is not None
    assert list(partial_units_folder(killed_path).iterdir()) == []
    _same_units(killed_path, whole_path)


def test_a_kept_unit_goes_on_with_less_time_left_than_was_spent(tmp_path, monkeypatch):
    path = tmp_path / "points.csv"
    monkeypatch.setattr(time, "time", _Clock(calls=12).time)
    ladder, first = _splitting(path, seed=4, max_seconds=600.0)
    monkeypatch.undo()
    assert first is None and saved_partials(path, _ladder_id(ladder))
    # Earlier runs spent an hour and the next may spend 2 minutes more: too little for a
    # new unit at the time spent, enough for a piece of the kept one.
    earlier = unfinished_row(3600.0, ladder=ladder, strong_id="test", metadata={"d": 3})
    resumed = _rerun_with_two_minutes_after(path, earlier)
    assert resumed is not None and resumed.units >= 1
    assert list(partial_units_folder(path).iterdir()) == []


def test_a_kept_unit_goes_on_with_less_time_left_than_a_finished_unit_took(tmp_path, monkeypatch):
    path, whole_path = tmp_path / "points.csv", tmp_path / "whole.csv"
    monkeypatch.setattr(time, "time", _Clock(calls=12).time)
    ladder, _ = _splitting(path, seed=4, max_seconds=600.0)
    monkeypatch.undo()
    (partial,) = saved_partials(path, _ladder_id(ladder))
    # Another unit of the ladder finished after an hour: 2 minutes left would not see a
    # new unit through, but they are enough to finish the kept one.
    _splitting(whole_path, seed=4, max_seconds=None)
    other = next(r for seed, r in _unit_rows(whole_path).items() if seed != partial.seed)
    resumed = _rerun_with_two_minutes_after(path, dataclasses.replace(other, seconds=3600.0))
    assert resumed is not None and resumed.units == 2
    assert list(partial_units_folder(path).iterdir()) == []


def _rerun_with_two_minutes_after(path, row: sinter.TaskStats):
    """The estimate of a rerun on `path` once `row` is appended to it, with 2 minutes
    left beyond all the time the file holds."""
    with path.open("a") as out:
        out.write(row.to_csv_line() + "\n")
    spent = sum(r.seconds for r in sinter.read_stats_from_csv_files(path))
    return _splitting(path, seed=4, max_seconds=spent + 120.0)[1]


def _same_units(path, uninterrupted_path) -> dict[int, sinter.TaskStats]:
    """The unit rows of `path`, checked to hold the seeds and histograms of those of
    the uninterrupted run in `uninterrupted_path`."""
    finished, uninterrupted = _unit_rows(path), _unit_rows(uninterrupted_path)
    assert set(finished) == set(uninterrupted)
    for seed, row in finished.items():
        unit = row.json_metadata["splitting"]
        assert unit["histograms"] == uninterrupted[seed].json_metadata["splitting"]["histograms"]
    return finished


def _ladder_id(ladder: Ladder) -> str:
    return ladder_identity("test", ladder)
