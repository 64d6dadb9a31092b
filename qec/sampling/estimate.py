"""Direct Monte-Carlo estimates of logical error rates, through sinter."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pathlib
from collections.abc import Callable, Mapping
from typing import Any

import sinter

from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.noise._model import detector_error_model
from qec.sampling.decoders import check_decoder
from qec.sampling.intervals import INTERVAL_NAME, Rate, per_round, wilson
from qec.sampling.progress import ProgressLine
from qec.sampling.results_file import open_results_file


@dataclasses.dataclass(frozen=True)
class Estimate:
    """A logical error rate with its shots, errors, time and 95% intervals.

    `per_shot` is the probability that a whole shot (all rounds) ends with the wrong
    logical value; `per_round` converts it as if rounds failed independently.
    """

    metadata: Mapping[str, Any]
    decoder: str
    shots: int
    errors: int
    seconds: float
    per_shot: Rate
    per_round: Rate
    method: str = "monte_carlo"
    interval: str = INTERVAL_NAME

    @staticmethod
    def from_counts(
        *, metadata: Mapping[str, Any], decoder: str, shots: int, errors: int, seconds: float
    ) -> Estimate:
        """The estimate for `errors` failures in `shots` shots.

        Examples:
            >>> e = Estimate.from_counts(metadata={"rounds": 1}, decoder="pymatching",
            ...                          shots=1000, errors=10, seconds=0.5)
            >>> print(e.per_round)
            0.01 [0.00544, 0.0183]
        """
        shot_rate = wilson(errors=errors, shots=shots)
        return Estimate(
            metadata=dict(metadata),
            decoder=decoder,
            shots=shots,
            errors=errors,
            seconds=seconds,
            per_shot=shot_rate,
            per_round=per_round(shot_rate, rounds=int(metadata["rounds"])),
        )

    def to_json(self) -> dict[str, Any]:
        """One flat object: the experiment, decoder, counts, method and both rates."""
        return {
            **self.metadata,
            "decoder": self.decoder,
            "shots": self.shots,
            "errors": self.errors,
            "seconds": self.seconds,
            "method": self.method,
            "interval": self.interval,
            "per_shot": self.per_shot.to_json(),
            "per_round": self.per_round.to_json(),
        }

    def __str__(self) -> str:
        m = self.metadata
        return (
            f"{m.get('code')} {_sizes(m)} rounds={m.get('rounds')} basis={m.get('basis')} "
            f"noise={m.get('noise')} decoder={self.decoder}\n"
            f"  {self.shots:,} shots, {self.errors:,} errors, {self.seconds:.1f} s "
            f"({self.method}; {self.interval} intervals)\n"
            f"  per shot:  {self.per_shot}\n"
            f"  per round: {self.per_round}"
        )


def _sizes(metadata: Mapping[str, Any]) -> str:
    if "dx" in metadata and metadata["dx"] != metadata["dz"]:
        return f"dx={metadata['dx']} dz={metadata['dz']}"
    return f"d={metadata.get('distance')}"


def _check_limit(name: str, value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise QecError.invalid(name, value, "an integer >= 1")


def estimate(
    experiment: MemoryExperiment,
    *,
    decoder: str = "pymatching",
    max_shots: int | None = 1_000_000,
    max_errors: int | None = 100,
    save: str | pathlib.Path | None = None,
    num_workers: int | None = None,
    progress: bool = True,
    backend: str = "sinter",
    scheduler: str | None = None,
) -> Estimate:
    """Samples and decodes `experiment` until `max_shots` shots or `max_errors` errors,
    whichever comes first.

    With `save`, results are appended to that sinter CSV file as they arrive; running
    again with the same arguments resumes from what the file holds (it never counts a
    shot twice) and the returned totals include earlier runs. `sinter plot` and
    `sinter combine` read the file. One process at a time may write to a file.

    `backend="sinter"` runs `num_workers` sinter processes on this machine;
    `backend="dask"` runs seeded work units on a local Dask cluster of `num_workers`
    workers, or on the cluster at `scheduler` (e.g. 'tcp://host:8786').

    Examples:
        >>> from qec import RepetitionCode, Depolarizing
        >>> experiment = MemoryExperiment(code=RepetitionCode(distance=3),
        ...     noise=Depolarizing(p=0.01), rounds=3, basis="Z")
        >>> result = estimate(experiment, max_shots=2000, max_errors=None, num_workers=1,
        ...                   progress=False)
        >>> result.shots, result.method
        (2000, 'monte_carlo')
    """
    check_decoder(decoder)
    _check_limit("max_shots", max_shots)
    _check_limit("max_errors", max_errors)
    if max_shots is None and max_errors is None:
        raise QecError.invalid("max_shots", None, "a limit: max_shots, max_errors or both")
    workers = num_workers if num_workers is not None else (os.cpu_count() or 1)
    _check_limit("num_workers", workers)
    if backend not in ("sinter", "dask"):
        raise QecError.invalid("backend", backend, "'sinter' or 'dask'")
    if scheduler is not None:
        backend = "dask"

    metadata = experiment.metadata()
    circuit = experiment.circuit()
    task = sinter.Task(
        circuit=circuit,
        detector_error_model=detector_error_model(circuit),
        decoder=decoder,
        json_metadata=metadata,
    )
    line = ProgressLine(max_shots=max_shots, max_errors=max_errors) if progress else None

    def on_totals(shots: int, errors: int) -> None:
        if line is not None:
            line.update(shots=shots, errors=errors)

    with open_results_file(save) if save is not None else contextlib.nullcontext() as path:
        if backend == "sinter":
            total = _collect_with_sinter(
                task, path, workers=workers, max_shots=max_shots, max_errors=max_errors,
                on_totals=on_totals,
            )
        else:
            total = _collect_with_dask(
                task, path, workers=workers, scheduler=scheduler, max_shots=max_shots,
                max_errors=max_errors, on_totals=on_totals,
            )
    if line is not None:
        line.finish()
    return Estimate.from_counts(
        metadata=metadata,
        decoder=decoder,
        shots=total.shots,
        errors=total.errors,
        seconds=total.seconds,
    )


def _saved_totals(task: sinter.Task, path: pathlib.Path | None) -> sinter.AnonTaskStats:
    """What `path` already holds for `task`."""
    if path is None or not path.exists() or path.stat().st_size == 0:
        return sinter.AnonTaskStats()
    rows = sinter.read_stats_from_csv_files(path)
    return sum(
        (s.to_anon_stats() for s in rows if s.strong_id == task.strong_id()),
        start=sinter.AnonTaskStats(),
    )


def _collect_with_sinter(
    task: sinter.Task,
    path: pathlib.Path | None,
    *,
    workers: int,
    max_shots: int | None,
    max_errors: int | None,
    on_totals: Callable[[int, int], None],
) -> sinter.AnonTaskStats:
    total = _saved_totals(task, path)

    def on_progress(update: sinter.Progress) -> None:
        nonlocal total
        for stats in update.new_stats:
            total += stats.to_anon_stats()
        on_totals(total.shots, total.errors)

    stats = sinter.collect(
        num_workers=workers,
        tasks=[task],
        decoders=[str(task.decoder)],
        max_shots=max_shots,
        max_errors=max_errors,
        save_resume_filepath=path,
        progress_callback=on_progress,
    )
    mine = [s.to_anon_stats() for s in stats if s.strong_id == task.strong_id()]
    return sum(mine, start=sinter.AnonTaskStats())


def _collect_with_dask(
    task: sinter.Task,
    path: pathlib.Path | None,
    *,
    workers: int,
    scheduler: str | None,
    max_shots: int | None,
    max_errors: int | None,
    on_totals: Callable[[int, int], None],
) -> sinter.AnonTaskStats:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise QecError(
            "backend='dask' needs dask and distributed, which are not installed: "
            'pip install -e ".[dask]"'
        ) from None
    from qec.sampling.dask_backend import collect_on_dask

    already = _saved_totals(task, path)
    with contextlib.ExitStack() as stack:
        if scheduler is not None:
            client = stack.enter_context(Client(scheduler))
        else:
            cluster = stack.enter_context(
                LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
            )
            client = stack.enter_context(Client(cluster))
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
            client=client, task=task, already=already, max_shots=max_shots,
            max_errors=max_errors, write_row=write_row, on_totals=on_totals,
        )
