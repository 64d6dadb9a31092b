"""Direct Monte-Carlo estimates of logical error rates, through sinter."""

from __future__ import annotations

import dataclasses
import os
import pathlib
from collections.abc import Mapping
from typing import Any

import sinter

from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.noise._model import detector_error_model
from qec.sampling.decoders import check_decoder
from qec.sampling.intervals import INTERVAL_NAME, Rate, per_round, wilson
from qec.sampling.progress import ProgressLine


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
) -> Estimate:
    """Samples and decodes `experiment` with sinter until `max_shots` shots or
    `max_errors` errors, whichever comes first.

    With `save`, results are appended to that sinter CSV file as they arrive; running
    again with the same arguments resumes from what the file holds (it never counts a
    shot twice) and the returned totals include earlier runs. `sinter plot` and
    `sinter combine` read the file.

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

    metadata = experiment.metadata()
    circuit = experiment.circuit()
    task = sinter.Task(
        circuit=circuit,
        detector_error_model=detector_error_model(circuit),
        decoder=decoder,
        json_metadata=metadata,
    )
    strong_id = task.strong_id()
    line = ProgressLine(max_shots=max_shots, max_errors=max_errors) if progress else None
    totals = {"shots": 0, "errors": 0}

    def on_progress(update: sinter.Progress) -> None:
        for stats in update.new_stats:
            totals["shots"] += stats.shots
            totals["errors"] += stats.errors
        if line is not None:
            line.update(shots=totals["shots"], errors=totals["errors"])

    stats = sinter.collect(
        num_workers=workers,
        tasks=[task],
        decoders=[decoder],
        max_shots=max_shots,
        max_errors=max_errors,
        save_resume_filepath=save,
        progress_callback=on_progress,
    )
    if line is not None:
        line.finish()
    mine = [s for s in stats if s.strong_id == strong_id]
    total = sum(mine, start=sinter.AnonTaskStats())
    return Estimate.from_counts(
        metadata=metadata,
        decoder=decoder,
        shots=total.shots,
        errors=total.errors,
        seconds=total.seconds,
    )
