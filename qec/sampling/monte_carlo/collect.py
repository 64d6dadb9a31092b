"""Direct Monte Carlo: sinter processes on this machine, or seeded units on Dask."""

from __future__ import annotations

import contextlib
import pathlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sinter

from qec.errors import QecError
from qec.parent_watch import exiting_with_parent
from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.core.main_guard import check_main_guard
from qec.sampling.core.resumable import saved_rows


def saved_totals(strong_id: str, path: pathlib.Path | None) -> sinter.AnonTaskStats:
    """What `path` already holds for the task of `strong_id` (its rows, added up)."""
    rows = saved_rows(path, belongs=lambda row: row.strong_id == strong_id)
    return sum((row.to_anon_stats() for row in rows), start=sinter.AnonTaskStats())


def limits_met(
    total: sinter.AnonTaskStats, *, max_shots: int | None, max_errors: int | None
) -> bool:
    """Whether `total` has reached max_shots or max_errors (None: no such limit)."""
    return (max_shots is not None and total.shots >= max_shots) or (
        max_errors is not None and total.errors >= max_errors
    )


def run_sinter(
    tasks: Sequence[sinter.Task],
    *,
    path: pathlib.Path | None,
    workers: int,
    decoder: DecoderChoice,
    max_shots: int | None,
    max_errors: int | None,
    progress_callback: Callable[[sinter.Progress], None],
) -> list[sinter.TaskStats]:
    """`sinter.collect` as every direct run of the package calls it: only from a script's
    main block (`check_main_guard`), with workers that exit when this process dies
    (`exiting_with_parent`), resuming from and appending to `path`."""
    check_main_guard("sinter's worker processes")
    stats: list[sinter.TaskStats] = sinter.collect(
        num_workers=workers,
        tasks=tasks,
        decoders=[decoder.name],
        custom_decoders=exiting_with_parent({decoder.name: decoder.sinter_decoder()}),
        max_shots=max_shots,
        max_errors=max_errors,
        save_resume_filepath=path,
        progress_callback=progress_callback,
    )
    return stats


def collect_with_sinter(
    task: sinter.Task,
    path: pathlib.Path | None,
    *,
    decoder: DecoderChoice,
    counted: sinter.AnonTaskStats,
    workers: int,
    max_shots: int | None,
    max_errors: int | None,
    on_totals: Callable[[int, int], None],
) -> sinter.AnonTaskStats:
    """Samples `task` (whose decoder is `decoder`) on `workers` sinter processes until
    the limits, which count `counted`: what this task has so far, all of it in `path`
    when there is one. Returns the totals, `counted` included; no process starts when
    the limits are already met."""
    total = counted
    if limits_met(total, max_shots=max_shots, max_errors=max_errors):
        return total
    # sinter counts what `path` holds itself; without a file it is told the rest.
    outside = counted if path is None else sinter.AnonTaskStats()

    def on_progress(update: sinter.Progress) -> None:
        nonlocal total
        for stats in update.new_stats:
            total += stats.to_anon_stats()
        on_totals(total.shots, total.errors)

    stats = run_sinter(
        [task],
        path=path,
        workers=workers,
        decoder=decoder,
        max_shots=None if max_shots is None else max_shots - outside.shots,
        max_errors=None if max_errors is None else max_errors - outside.errors,
        progress_callback=on_progress,
    )
    mine = [s.to_anon_stats() for s in stats if s.strong_id == task.strong_id()]
    return sum(mine, start=outside)


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
    decoder: DecoderChoice,
    workers: int,
    counted: sinter.AnonTaskStats,
    scheduler: str | None,
    max_shots: int | None,
    max_errors: int | None,
    on_totals: Callable[[int, int], None],
) -> sinter.AnonTaskStats:
    """Samples `task` (whose decoder is `decoder`) in seeded units on Dask
    (`collect_on_dask`) until the limits, which count `counted`, as in
    `collect_with_sinter`."""
    from qec.sampling.monte_carlo.dask_backend import collect_on_dask

    if limits_met(counted, max_shots=max_shots, max_errors=max_errors):
        return counted
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
            decoder=decoder,
            already=counted,
            max_shots=max_shots,
            max_errors=max_errors,
            write_row=write_row,
            on_totals=on_totals,
        )
