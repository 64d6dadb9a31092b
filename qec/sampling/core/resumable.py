"""What every resumable run shares: its stopping rules (a relative precision and a
budget of seconds), checked before any work starts, and its ledger in the sinter CSV.

A run that saves to a file resumes from it: the rows the file already holds for the
task are its earlier work, their seconds count against `max_seconds`, and the run
appends its own rows as they finish. `RunLedger` keeps that account for the stratified
and splitting runs; direct Monte Carlo only reads its saved totals (`saved_rows`),
since `sinter.collect` resumes from the file itself.
"""

from __future__ import annotations

import dataclasses
import pathlib
import time
from collections.abc import Callable, Sequence
from typing import Any

import sinter

from qec.errors import check_number
from qec.sampling.core.results_file import append_rows, read_saved_stats


def check_stopping_rules(*, rel_precision: Any, max_seconds: Any) -> None:
    """Raises QecError unless rel_precision is in (0, 1] and max_seconds is > 0 or None.

    Examples:
        >>> check_stopping_rules(rel_precision=0.2, max_seconds=None)
    """
    check_number(
        "rel_precision", rel_precision, allowed="a number in (0, 1]", accept=lambda r: 0 < r <= 1
    )
    check_number(
        "max_seconds",
        max_seconds,
        allowed="a number of seconds > 0",
        accept=lambda s: s > 0,
        optional=True,
    )


def saved_rows(
    path: pathlib.Path | None, *, belongs: Callable[[sinter.TaskStats], bool]
) -> tuple[sinter.TaskStats, ...]:
    """The rows of the sinter CSV at `path` that `belongs` accepts, in file order; none
    without a path or a file.

    Examples:
        >>> saved_rows(None, belongs=lambda row: True)
        ()
    """
    if path is None or not path.exists() or path.stat().st_size == 0:
        return ()
    return tuple(row for row in read_saved_stats(path) if belongs(row))


@dataclasses.dataclass(frozen=True)
class RunLedger:
    """The account of one resumable run in a sinter CSV (`path`; None keeps no file).

    Made by `RunLedger.start`, which starts the run's clock. `saved` holds the rows of
    the task the file held then, and `spent` their seconds of wall time: their seconds
    summed, divided by `workers` where a row holds a unit's seconds and units ran side by
    side on that many workers. `max_seconds` counts `spent`, so a rerun spends only what
    is left, until `deadline` (a `time.time()`, which worker processes can compare too).

    Examples:
        >>> ledger = RunLedger.start(None, belongs=lambda row: True, max_seconds=60.0)
        >>> ledger.saved, ledger.spent, ledger.left(), ledger.left(used=15.0)
        ((), 0.0, 60.0, 45.0)
        >>> ledger.out_of_time()
        False
        >>> ledger.append([sinter.TaskStats(strong_id="a", decoder="pymatching",
        ...     json_metadata={}, shots=10, errors=1, seconds=0.1)])  # no file: kept nowhere
    """

    path: pathlib.Path | None
    saved: tuple[sinter.TaskStats, ...]
    spent: float
    max_seconds: float | None
    workers: int
    started: float  # time.monotonic() when the run started, its setup included
    setup: float  # seconds of the run's setup, before `start`
    deadline: float | None  # time.time() when max_seconds runs out; None without it

    @staticmethod
    def start(
        path: pathlib.Path | None,
        *,
        belongs: Callable[[sinter.TaskStats], bool],
        max_seconds: float | None,
        workers: int = 1,
        setup_seconds: float = 0.0,
    ) -> RunLedger:
        """Starts a run's clock and reads the rows of `path` that `belongs` to its task.

        Args:
            path: the sinter CSV the run resumes from and appends to, or None.
            belongs: whether a saved row is one of this task's.
            max_seconds: the run's budget of seconds, earlier runs' included, or None.
            workers: what the saved rows' seconds are divided by to give wall time (the
                number of workers whose seconds they sum; 1 where rows hold wall time).
            setup_seconds: what the run spent before (building its circuit's models): the
                clock starts that much earlier, so max_seconds counts it.
        """
        started = time.monotonic() - setup_seconds
        saved = saved_rows(path, belongs=belongs)
        spent = float(sum(row.seconds for row in saved)) / max(1, workers)
        deadline = None
        if max_seconds is not None:
            deadline = time.time() + (max_seconds - spent - setup_seconds)
        return RunLedger(
            path=path,
            saved=saved,
            spent=spent,
            max_seconds=max_seconds,
            workers=workers,
            started=started,
            deadline=deadline,
            setup=setup_seconds,
        )

    def left(self, *, used: float = 0.0) -> float | None:
        """The seconds of `max_seconds` left after the saved rows' seconds, this run's
        setup and `used` seconds of it (negative when overspent); None without
        max_seconds."""
        if self.max_seconds is None:
            return None
        return self.max_seconds - self.spent - self.setup - used

    def out_of_time(self) -> bool:
        """Whether the deadline has passed."""
        return self.deadline is not None and time.time() >= self.deadline

    def elapsed(self) -> float:
        """The seconds since the run started."""
        return time.monotonic() - self.started

    def append(self, rows: Sequence[sinter.TaskStats]) -> None:
        """Appends `rows` to the file, each flushed as it is written (nothing without a
        path or rows)."""
        if self.path is not None and rows:
            append_rows(self.path, list(rows))

    def record_unfinished(
        self, row: Callable[[float], sinter.TaskStats], *, finished_seconds: float = 0.0
    ) -> None:
        """Appends `row(seconds)` for the time this run worked on what did not finish: its
        elapsed time on all its workers, less `finished_seconds` (what the rows of its
        finished work hold), so that a rerun counts it against max_seconds. Nothing when
        that is not positive."""
        seconds = self.elapsed() * max(1, self.workers) - finished_seconds
        if seconds > 0:
            self.append([row(seconds)])
