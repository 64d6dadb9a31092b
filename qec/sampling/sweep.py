"""Threshold sweeps: one memory experiment (code family, basis, rounds rule, noise model
with its fixed parameters) run with sinter at several code sizes and several values of
one swept noise parameter (`p`, or any other numeric parameter such as a cat model's
`k1_k2`). Its results are `qec.sampling.sweep_point.SweepPoint`s, counts of logical
failures in shots, which `qec.analysis.threshold.estimate_threshold` turns into a
threshold.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import pathlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import sinter

from qec.circuits.registry import make_code, size_text
from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.noise import NoiseModel, detector_error_model
from qec.noise.registry import NOISE_MODELS, noise_model
from qec.progress import ProgressLine
from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.core.results_file import check_results_path, open_results_file
from qec.sampling.monte_carlo.collect import run_sinter
from qec.sampling.sweep_point import SweepPoint

# Noise models whose noise acts before the first round only: one round is the experiment.
_ONE_ROUND_MODELS = ("code_capacity",)


def _parse_rounds_rule(rule: str) -> tuple[int, bool]:
    """'d' -> (1, True), '3d' -> (3, True), '5' -> (5, False)."""
    match = re.fullmatch(r"\s*(\d*)\s*(d?)\s*", str(rule))
    if match is None or (not match.group(1) and not match.group(2)):
        raise QecError.invalid("rounds", rule, "an integer >= 1, 'd' or a multiple such as '3d'")
    factor = int(match.group(1)) if match.group(1) else 1
    if factor < 1:
        raise QecError.invalid("rounds", rule, "an integer >= 1, 'd' or a multiple such as '3d'")
    return factor, bool(match.group(2))


def default_rounds(noise: str) -> str:
    """The rounds rule a sweep uses unless told: '1' for code capacity (its noise comes
    before the first round only), else 'd' (as many rounds as the code distance).

    Examples:
        >>> default_rounds("code_capacity"), default_rounds("depolarizing")
        ('1', 'd')
    """
    return "1" if noise in _ONE_ROUND_MODELS else "d"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0) or a == b
    return str(a) == str(b)


@dataclasses.dataclass(frozen=True)
class ThresholdSweep:
    """A code family at several sizes under one noise model, sweeping one of its
    parameters.

    Attributes:
        code: code family name (`qec.circuits.registry.CODE_FAMILIES`).
        sizes: distances; an int d for the square code, a pair (dx, dz) for a
            rectangular one. Normalised to (dx, dz) pairs.
        noise: noise model name (`qec.noise.registry.NOISE_MODELS`).
        values: the swept parameter's values, at least 3.
        sweep: the swept parameter, a numeric field of the noise model (default p).
        fixed: the model's other parameters, e.g. {"eta": 100}.
        rounds: '1', 'd' (rounds = distance) or a multiple like '3d'; default '1' for
            code capacity, else 'd'.
        basis: the memory basis, X or Z.

    Examples:
        >>> sweep = ThresholdSweep(code="rotated_surface", sizes=(3, 5), noise="biased",
        ...                        values=(0.004, 0.006, 0.008), fixed={"eta": 100})
        >>> sweep.noise_spec(), sweep.rounds_for(5)
        ('biased:eta=100', 5)
        >>> sweep.experiment((5, 5), 0.006).noise
        Biased(p=0.006, eta=100)
        >>> ThresholdSweep(code="repetition", sizes=(3, 5), noise="depolarizing",
        ...                values=(0.01, 0.02, 0.03), sweep="eta")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: sweep='eta' is not allowed: expected a numeric parameter of \
noise 'depolarizing': p
    """

    code: str
    sizes: Sequence[int | tuple[int, int]]
    noise: str
    values: Sequence[float]
    sweep: str = "p"
    fixed: Mapping[str, float] = dataclasses.field(default_factory=dict)
    rounds: str | None = None
    basis: str = "Z"

    def __post_init__(self) -> None:
        sizes = tuple(
            (int(s), int(s)) if isinstance(s, (int, np.integer)) else (int(s[0]), int(s[1]))
            for s in self.sizes
        )
        if len(set(sizes)) < 2:
            raise QecError.invalid("distances", tuple(self.sizes), "at least two different sizes")
        object.__setattr__(self, "sizes", tuple(sorted(set(sizes), key=lambda s: (min(s), s))))
        values = tuple(sorted({float(v) for v in self.values}))
        if len(values) < 3 or not all(0 < v < math.inf for v in values):
            raise QecError.invalid(
                self.sweep, self.values, "at least 3 different finite values > 0"
            )
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "fixed", dict(self.fixed))
        if self.noise not in NOISE_MODELS:
            raise QecError.invalid("noise", self.noise, "one of " + ", ".join(sorted(NOISE_MODELS)))
        numeric = [
            f.name
            for f in dataclasses.fields(NOISE_MODELS[self.noise])
            if f.type in ("float", "int", float, int)
        ]
        if self.sweep not in numeric:
            raise QecError.invalid(
                "sweep",
                self.sweep,
                f"a numeric parameter of noise {self.noise!r}: " + ", ".join(numeric),
            )
        if self.sweep in self.fixed:
            raise QecError.invalid(
                "noise",
                self.noise_spec(),
                f"no value for the swept parameter {self.sweep!r} (the sweep sets it)",
            )
        if self.rounds is None:
            object.__setattr__(self, "rounds", default_rounds(self.noise))
        _parse_rounds_rule(str(self.rounds))
        for size in self.pairs:  # builds every code and model once: bad values fail here
            for value in (self.values[0], self.values[-1]):
                self.experiment(size, value)

    @property
    def pairs(self) -> tuple[tuple[int, int], ...]:
        """The sizes as (dx, dz) pairs, smallest first."""
        return tuple(self.sizes)  # type: ignore[arg-type]  # normalised in __post_init__

    def noise_spec(self) -> str:
        """The model and its fixed parameters, e.g. 'biased:eta=100'."""
        if not self.fixed:
            return self.noise
        return f"{self.noise}:" + ",".join(f"{k}={v:g}" for k, v in self.fixed.items())

    def to_json(self) -> dict[str, Any]:
        """The sweep: code, noise (with its fixed parameters), swept parameter and values,
        distances (and dx, dz of rectangular codes), basis and rounds rule."""
        out: dict[str, Any] = {
            "code": self.code,
            "noise": self.noise_spec(),
            "sweep": self.sweep,
            "values": list(self.values),
            "distances": [min(size) for size in self.pairs],
            "basis": self.basis,
            "rounds": self.rounds,
        }
        if any(dx != dz for dx, dz in self.pairs):
            out["dx"] = [dx for dx, _ in self.pairs]
            out["dz"] = [dz for _, dz in self.pairs]
        return out

    def rounds_for(self, distance: int) -> int:
        """Rounds of syndrome extraction for a code of this distance."""
        factor, per_distance = _parse_rounds_rule(str(self.rounds))
        return factor * distance if per_distance else factor

    def model(self, value: float) -> NoiseModel:
        """The noise model at swept value `value`."""
        number: float = int(value) if float(value).is_integer() else float(value)
        return noise_model(self.noise, {**self.fixed, self.sweep: number})

    def experiment(self, size: tuple[int, int] | int, value: float) -> MemoryExperiment:
        """The memory experiment of one size at one swept value."""
        dx, dz = (size, size) if isinstance(size, int) else size
        if dx == dz:
            code = make_code(self.code, distance=dx)
        else:
            code = make_code(self.code, dx=dx, dz=dz)
        distance = int(code.params()["distance"])
        return MemoryExperiment(
            code=code,
            noise=self.model(value),
            rounds=self.rounds_for(distance),
            basis=self.basis,
        )

    def experiments(self) -> list[MemoryExperiment]:
        """Every experiment of the sweep, sizes outermost."""
        return [self.experiment(size, value) for size in self.pairs for value in self.values]

    def tasks(self, *, decoder: str = "pymatching") -> list[sinter.Task]:
        """sinter tasks, with `MemoryExperiment.metadata()` as json_metadata and the DEM
        of `qec.noise.detector_error_model`."""
        tasks = []
        for experiment in self.experiments():
            circuit = experiment.circuit()
            tasks.append(
                sinter.Task(
                    circuit=circuit,
                    detector_error_model=detector_error_model(circuit),
                    decoder=decoder,
                    json_metadata=experiment.metadata(),
                )
            )
        return tasks

    def matches(self, metadata: Mapping[str, Any]) -> bool:
        """Whether sinter metadata belongs to one of this sweep's experiments."""
        try:
            if metadata.get("code") != self.code or metadata.get("basis") != self.basis:
                return False
            if str(metadata.get("noise", "")).split(":")[0] != self.noise:
                return False
            if any(
                not _same(metadata.get(k), v if math.isfinite(v) else str(v))
                for k, v in self.fixed.items()
            ):
                return False
            value = float(metadata[self.sweep])
            size = (
                int(metadata.get("dx", metadata["distance"])),
                int(metadata.get("dz", metadata["distance"])),
            )
            distance = int(metadata["distance"])
        except (KeyError, TypeError, ValueError):
            return False
        return (
            size in self.pairs
            and any(_same(value, v) for v in self.values)
            and int(metadata.get("rounds", -1)) == self.rounds_for(distance)
        )

    def points(
        self, stats: Iterable[sinter.TaskStats], *, decoder: str | None = None
    ) -> list[SweepPoint]:
        """This sweep's points among `stats` (e.g. all of a results CSV), optionally only
        those of one decoder."""
        mine = [
            s
            for s in stats
            if isinstance(s.json_metadata, Mapping)
            and self.matches(s.json_metadata)
            and (decoder is None or s.decoder == decoder)
        ]
        return points_from_stats(mine, sweep=self.sweep)


def collect_sweep(
    sweep: ThresholdSweep,
    *,
    max_shots: int | None,
    max_errors: int | None,
    num_workers: int = 1,
    decoder: str = "pymatching",
    save: str | pathlib.Path | None = None,
    progress: str | None = None,
    progress_callback: Callable[[sinter.Progress], None] | None = None,
) -> list[SweepPoint]:
    """Samples every experiment of `sweep` with sinter until `max_shots` shots or
    `max_errors` errors each.

    Args:
        sweep: the sweep.
        max_shots: sinter's stopping rule on shots, per experiment.
        max_errors: sinter's stopping rule on errors, per experiment.
        num_workers: sinter's worker processes.
        decoder: a sinter decoder.
        save: a sinter CSV file that results go to and resume from.
        progress: report progress on stderr (`qec.progress.ProgressLine`, over the whole
            sweep), each line starting with this label; None: no report.
        progress_callback: also passed sinter's progress reports.

    Examples:
        >>> sweep = ThresholdSweep(code="repetition", sizes=(3, 5), noise="code_capacity",
        ...                        values=(0.3, 0.4, 0.5))
        >>> points = collect_sweep(sweep, max_shots=200, max_errors=None)
        >>> len(points), {p.shots for p in points}, points[0].label
        (6, {200}, 'd=3')
    """
    if save is not None:
        check_results_path(save)
    tasks = sweep.tasks(decoder=decoder)
    line = None
    if progress is not None:
        line = ProgressLine(
            max_shots=max_shots * len(tasks) if max_shots else None,
            max_errors=max_errors * len(tasks) if max_errors else None,
            label=progress,
        )

    def report(update: sinter.Progress) -> None:
        if line is not None:
            line.sinter_callback(update)
        if progress_callback is not None:
            progress_callback(update)

    try:
        with open_results_file(save) if save is not None else contextlib.nullcontext() as path:
            stats = run_sinter(
                tasks,
                path=path,
                workers=num_workers,
                decoder=DecoderChoice(decoder),
                max_shots=max_shots,
                max_errors=max_errors,
                progress_callback=report,
            )
    finally:
        if line is not None:
            line.finish()
    return sweep.points(stats, decoder=decoder)


def points_from_stats(stats: Iterable[sinter.TaskStats], *, sweep: str = "p") -> list[SweepPoint]:
    """One point per (size, swept value, rounds) of sinter results whose metadata comes
    from `MemoryExperiment.metadata()`; stats of the same point are added up. Points are
    labelled with their size as `qec.circuits.registry.size_text` shows it.

    Examples:
        >>> stats = [sinter.TaskStats(strong_id="a", decoder="pymatching", shots=100,
        ...          errors=7, json_metadata={"distance": 3, "rounds": 3, "p": 0.01})]
        >>> points_from_stats(stats)
        [SweepPoint(distance=3, value=0.01, shots=100, errors=7, rounds=3, label='d=3')]
    """
    totals: dict[tuple[str, float, int], list[int]] = {}
    distances: dict[str, int] = {}
    for stat in stats:
        metadata = stat.json_metadata
        if not isinstance(metadata, Mapping) or sweep not in metadata:
            raise QecError.invalid(
                "stats metadata", metadata, f"a mapping with 'distance', 'rounds' and {sweep!r}"
            )
        label = size_text(metadata)
        distances[label] = int(metadata["distance"])
        key = (label, float(metadata[sweep]), int(metadata.get("rounds", 1)))
        total = totals.setdefault(key, [0, 0])
        total[0] += stat.shots - stat.discards
        total[1] += stat.errors
    points = [
        SweepPoint(
            distance=distances[label],
            value=value,
            shots=shots,
            errors=errors,
            rounds=rounds,
            label=label,
        )
        for (label, value, rounds), (shots, errors) in totals.items()
        if shots > 0
    ]
    return sorted(points, key=lambda p: (p.distance, p.label, p.value))
