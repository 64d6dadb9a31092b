"""A resumable run's ledger: it reads back only its task's rows, counts their time
against max_seconds, appends in order, and records the time of unfinished work."""

from __future__ import annotations

import pathlib
import time
from collections.abc import Callable

import pytest
import sinter

from qec.sampling.core.results_file import append_rows
from qec.sampling.core.resumable import RunLedger, saved_rows


def row(task: str, seconds: float, shots: int = 0) -> sinter.TaskStats:
    return sinter.TaskStats(
        strong_id=f"{task}-{seconds}-{shots}",
        decoder="pymatching",
        json_metadata={"task": task},
        shots=shots,
        errors=0,
        seconds=seconds,
    )


def of(task: str) -> Callable[[sinter.TaskStats], bool]:
    """Whether a row is one of `task`'s."""
    return lambda stats: stats.json_metadata["task"] == task


def test_a_ledger_reads_its_tasks_rows_and_counts_their_seconds_over_the_workers(
    tmp_path: pathlib.Path,
) -> None:
    path = tmp_path / "stats.csv"
    append_rows(path, [row("a", 3.0), row("b", 100.0), row("a", 5.0)])
    ledger = RunLedger.start(path, belongs=of("a"), max_seconds=None, workers=2)
    assert [r.seconds for r in ledger.saved] == [3.0, 5.0]
    assert ledger.spent == 4.0  # 8 s of units that ran side by side on 2 workers
    assert ledger.left() is None and ledger.deadline is None and not ledger.out_of_time()


def test_time_left_counts_the_saved_seconds_and_what_the_run_used(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "stats.csv"
    append_rows(path, [row("a", 6.0)])
    ledger = RunLedger.start(path, belongs=of("a"), max_seconds=10.0)
    assert ledger.left() == 4.0 and ledger.left(used=1.5) == 2.5
    assert ledger.deadline is not None and 0 < ledger.deadline - time.time() <= 4.0
    spent = RunLedger.start(path, belongs=of("a"), max_seconds=5.0)
    assert spent.left() == -1.0 and spent.out_of_time()  # the file holds the whole budget


def test_appended_rows_are_read_back_in_order_and_a_run_without_a_file_keeps_none(
    tmp_path: pathlib.Path,
) -> None:
    path = tmp_path / "stats.csv"
    ledger = RunLedger.start(path, belongs=of("a"), max_seconds=None)
    ledger.append([])
    assert not path.exists()  # no header without rows
    ledger.append([row("a", 1.0, shots=1), row("a", 1.0, shots=2)])
    ledger.append([row("a", 1.0, shots=3)])
    assert [r.shots for r in saved_rows(path, belongs=of("a"))] == [1, 2, 3]
    nowhere = RunLedger.start(None, belongs=of("a"), max_seconds=None)
    nowhere.append([row("a", 1.0)])
    nowhere.record_unfinished(lambda seconds: row("a", seconds))
    assert nowhere.saved == () and saved_rows(None, belongs=of("a")) == ()


@pytest.mark.parametrize("workers", [1, 3])
def test_unfinished_time_is_recorded_on_all_workers_less_the_finished_seconds(
    tmp_path: pathlib.Path, workers: int
) -> None:
    path = tmp_path / "stats.csv"
    ledger = RunLedger.start(path, belongs=of("a"), max_seconds=None, workers=workers)
    time.sleep(0.05)
    ledger.record_unfinished(lambda seconds: row("a", seconds), finished_seconds=0.01)
    ledger.record_unfinished(lambda seconds: row("a", seconds), finished_seconds=1e9)
    (recorded,) = saved_rows(path, belongs=of("a"))  # the second had nothing to record
    assert 0.05 * workers - 0.01 <= recorded.seconds <= ledger.elapsed() * workers
