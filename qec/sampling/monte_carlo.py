"""Direct Monte Carlo: sinter processes on this machine, or seeded units on Dask."""

from __future__ import annotations

import contextlib
import pathlib
from collections.abc import Callable, Iterator
from typing import Any

import sinter

from qec.errors import QecError
from qec.parent_watch import exiting_with_parent
from qec.sampling.main_guard import check_main_guard


def saved_totals(task: sinter.Task, path: pathlib.Path | None) -> sinter.AnonTaskStats:
    """What `path` already holds for `task`."""
    if path is None or not path.exists() or path.stat().st_size == 0:
        return sinter.AnonTaskStats()
    rows = sinter.read_stats_from_csv_files(path)
    return sum(
        (s.to_anon_stats() for s in rows if s.strong_id == task.strong_id()),
        start=sinter.AnonTaskStats(),
    )


def collect_with_sinter(
    task: sinter.Task,
    path: pathlib.Path | None,
    *,
    workers: int,
    max_shots: int | None,
    max_errors: int | None,
    on_totals: Callable[[int, int], None],
) -> sinter.AnonTaskStats:
    check_main_guard("sinter's worker processes")
    total = saved_totals(task, path)

    def on_progress(update: sinter.Progress) -> None:
        nonlocal total
        for stats in update.new_stats:
            total += stats.to_anon_stats()
        on_totals(total.shots, total.errors)

    stats = sinter.collect(
        num_workers=workers,
        tasks=[task],
        decoders=[str(task.decoder)],
        custom_decoders=exiting_with_parent([str(task.decoder)]),
        max_shots=max_shots,
        max_errors=max_errors,
        save_resume_filepath=path,
        progress_callback=on_progress,
    )
    mine = [s.to_anon_stats() for s in stats if s.strong_id == task.strong_id()]
    return sum(mine, start=sinter.AnonTaskStats())


@contextlib.contextmanager
def dask_client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A Dask client: of the scheduler at `scheduler`, or of a local cluster of
    `workers` single-threaded workers (closed on exit)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise QecError(
            "backend='dask' needs dask and distributed, which are not installed: "
            'pip install -e ".[dask]"'
        ) from None
    with contextlib.ExitStack() as stack:
        # distributed leaves Client and LocalCluster's constructors unannotated.
        if scheduler is not None:
            client = stack.enter_context(Client(scheduler))  # type: ignore[no-untyped-call]
        else:
            check_main_guard("a local Dask cluster")
            cluster = stack.enter_context(
                LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=workers, threads_per_worker=1, dashboard_address=None
                )
            )
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        yield client


def collect_with_dask(
    task: sinter.Task,
    path: pathlib.Path | None,
    *,
    workers: int,
    scheduler: str | None,
    max_shots: int | None,
    max_errors: int | None,
    on_totals: Callable[[int, int], None],
) -> sinter.AnonTaskStats:
    from qec.sampling.dask_backend import collect_on_dask

    already = saved_totals(task, path)
    with contextlib.ExitStack() as stack:
        client = stack.enter_context(dask_client(workers, scheduler))
        out = None
        if path is not None:
            new = not path.exists() or path.stat().st_size == 0
            out = stack.enter_context(open(path, "a"))
            if new:
                print(sinter.CSV_HEADER, file=out, flush=True)

        def write_row(row: sinter.TaskStats) -> None:
            if out is not None:
                print(row.to_csv_line(), file=out, flush=True)

        return collect_on_dask(
            client=client,
            task=task,
            already=already,
            max_shots=max_shots,
            max_errors=max_errors,
            write_row=write_row,
            on_totals=on_totals,
        )
