"""Thresholds: sweep a noise parameter over several code sizes, and estimate with an
interval the value below which larger codes do better.

A sweep (`ThresholdSweep`) is one memory experiment (code family, basis, rounds rule,
noise model with its fixed parameters) run at several code sizes and several values of
one swept noise parameter (`p`, or any other numeric parameter such as a cat model's
`k1_k2`). Its results are `SweepPoint`s: counts of logical failures in shots.

`estimate_threshold` turns the points into a `ThresholdEstimate`. Both of its methods
use the per-round (or per-shot) logical error rates of the points near the crossing of
the curves, inside a window of a factor `window` around a first guess (the median of
the places where neighbouring sizes' curves change order):

- ``fss`` (default): the finite-size-scaling ansatz of Wang, Harrington & Preskill,
  Ann. Phys. 303, 31 (2003), Eq. (43), ``p_L = A + B x + C x^2`` with
  ``x = (v - v_th) d^(1/nu)``, v the swept value and d the code distance, fitted by
  weighted least squares. The weights are the inverse binomial variances of the rates,
  first of the observed rates, then (a second pass) of the fitted ones, which makes the
  fit a minimum of Pearson's chi-square, asymptotically the binomial maximum likelihood.
  (A, B, C) are solved exactly for each (v_th, nu), which Nelder-Mead minimises.
- ``crossing``: each size's curve, log p_L against log v, fitted by a weighted
  quadratic; the threshold is where the curves of the two largest sizes cross.

Both also report the crossings of every pair of neighbouring sizes: when they drift
with size, finite-size effects are larger than the interval.

The interval is a seeded parametric bootstrap: every point's error count is redrawn from
a binomial with the point's shots and observed rate, the fit is repeated on the same
window, and the interval holds the central `confidence` share of the refitted
thresholds (percentile interval). It is statistical only: it does not include the
systematic drift of the crossing with code size.

Per round: a shot of r rounds fails with probability P; the per-round rate is
``(1 - (1 - 2 P)^(1/r)) / 2`` (sinter's convention, as in `qec.sampling.per_round`).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import sinter
from scipy.optimize import brentq, minimize

from qec.circuits.registry import make_code
from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.intervals import Interval, wilson
from qec.noise import NoiseModel, detector_error_model
from qec.noise.registry import NOISE_MODELS, noise_model

PER_CHOICES = ("round", "shot")
METHODS = {"fss": "finite_size_scaling", "crossing": "crossing"}
FSS_ANSATZ = "p_L = A + B x + C x^2, x = (v - v_th) d^(1/nu)"

# Noise models whose noise acts before the first round only: one round is the experiment.
_ONE_ROUND_MODELS = ("code_capacity",)
_NU_BOUNDS = (0.2, 10.0)


class ThresholdNotFound(QecError):
    """The sweep does not bracket a crossing of the curves: widen or move its range."""


# ------------------------------------------------------------------------------------
# Points


@dataclasses.dataclass(frozen=True)
class SweepPoint:
    """`errors` logical failures in `shots` shots of `rounds` rounds, for the code of
    distance `distance` (shown as `label`, e.g. "3x9" for dx=3, dz=9) at swept value
    `value`.

    Examples:
        >>> point = SweepPoint(distance=5, value=0.01, shots=1000, errors=30, rounds=5)
        >>> point.label
        '5'
        >>> print(point.rate("shot"))
        0.03 [0.0211, 0.0425]
        >>> round(point.rate("round").value, 6)
        0.006149
    """

    distance: int
    value: float
    shots: int
    errors: int
    rounds: int = 1
    label: str = ""

    def __post_init__(self) -> None:
        for name, minimum in (("distance", 1), ("shots", 1), ("rounds", 1), ("errors", 0)):
            number = getattr(self, name)
            if isinstance(number, bool) or not isinstance(number, (int, np.integer)):
                raise QecError.invalid(name, number, f"an integer >= {minimum}")
            if number < minimum:
                raise QecError.invalid(name, number, f"an integer >= {minimum}")
        if self.errors > self.shots:
            raise QecError.invalid("errors", self.errors, f"at most shots={self.shots}")
        if not isinstance(self.value, (int, float)) or not 0 < self.value < math.inf:
            raise QecError.invalid("value", self.value, "a finite number > 0")
        if not self.label:
            object.__setattr__(self, "label", str(self.distance))

    def rate(self, per: str = "round") -> Interval:
        """The logical error rate per round or per shot, with its 95% Wilson interval."""
        check_per(per)
        shot = wilson(errors=self.errors, shots=self.shots)
        return shot if per == "shot" else shot.per_round(rounds=self.rounds)


def check_per(per: str) -> None:
    """Raises QecError unless `per` is 'round' or 'shot'.

    Examples:
        >>> check_per("cycle")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: per='cycle' is not allowed: expected round or shot
    """
    if per not in PER_CHOICES:
        raise QecError.invalid("per", per, " or ".join(PER_CHOICES))


def size_label(metadata: Mapping[str, Any]) -> str:
    """'7' for a square code, '3x9' for dx=3, dz=9.

    Examples:
        >>> size_label({"distance": 3, "dx": 3, "dz": 9}), size_label({"distance": 5})
        ('3x9', '5')
    """
    dx, dz = metadata.get("dx"), metadata.get("dz")
    if dx is not None and dz is not None and dx != dz:
        return f"{dx}x{dz}"
    return str(metadata["distance"])


def points_from_stats(stats: Iterable[sinter.TaskStats], *, sweep: str = "p") -> list[SweepPoint]:
    """One point per (size, swept value, rounds) of sinter results whose metadata comes
    from `MemoryExperiment.metadata()`; stats of the same point are added up.

    Examples:
        >>> stats = [sinter.TaskStats(strong_id="a", decoder="pymatching", shots=100,
        ...          errors=7, json_metadata={"distance": 3, "rounds": 3, "p": 0.01})]
        >>> points_from_stats(stats)
        [SweepPoint(distance=3, value=0.01, shots=100, errors=7, rounds=3, label='3')]
    """
    totals: dict[tuple[str, float, int], list[int]] = {}
    distances: dict[str, int] = {}
    for stat in stats:
        metadata = stat.json_metadata
        if not isinstance(metadata, Mapping) or sweep not in metadata:
            raise QecError.invalid(
                "stats metadata", metadata, f"a mapping with 'distance', 'rounds' and {sweep!r}"
            )
        label = size_label(metadata)
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


# ------------------------------------------------------------------------------------
# Sweeps


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
            for f in dataclasses.fields(NOISE_MODELS[self.noise])  # type: ignore[arg-type]
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
    save: str | None = None,
    progress_callback: Callable[[sinter.Progress], None] | None = None,
) -> list[SweepPoint]:
    """Samples every experiment of `sweep` with sinter until `max_shots` shots or
    `max_errors` errors each. With `save`, results go to (and resume from) that sinter
    CSV file.

    Examples:
        >>> sweep = ThresholdSweep(code="repetition", sizes=(3, 5), noise="code_capacity",
        ...                        values=(0.3, 0.4, 0.5))
        >>> points = collect_sweep(sweep, max_shots=200, max_errors=None)
        >>> len(points), {p.shots for p in points}
        (6, {200})
    """
    stats = sinter.collect(
        num_workers=num_workers,
        tasks=sweep.tasks(decoder=decoder),
        decoders=[decoder],
        max_shots=max_shots,
        max_errors=max_errors,
        save_resume_filepath=save,
        progress_callback=progress_callback,
    )
    return sweep.points(stats, decoder=decoder)


# ------------------------------------------------------------------------------------
# Estimates


@dataclasses.dataclass(frozen=True)
class Crossing:
    """Where the fitted curves of two sizes cross."""

    smaller: str
    larger: str
    value: float


@dataclasses.dataclass(frozen=True)
class ThresholdEstimate:
    """A threshold with its interval and how it was obtained.

    Attributes:
        value, low, high: the estimate and its `confidence` interval, in units of the
            swept parameter `sweep`.
        method: 'finite_size_scaling' or 'crossing'.
        per: the logical error rates fitted: 'round' or 'shot'.
        sizes: the sizes fitted, smallest first.
        window: the range of swept values of the points fitted.
        points_used: how many points were fitted.
        nu, coefficients, chi2_per_dof: the finite-size-scaling fit (nu and A, B, C of
            `FSS_ANSATZ`) and its Pearson chi-square per degree of freedom.
        crossings: crossings of neighbouring sizes' fitted curves (log-log quadratics).
        resamples: bootstrap resamples that gave a threshold; seed: their seed.
        extrapolated: the whole interval lies outside the range of swept values: the
            fit extrapolates, and the sweep should be moved.

    Examples:
        >>> estimate = ThresholdEstimate(value=0.0103, low=0.0101, high=0.0106,
        ...                              method="crossing", per="shot")
        >>> print(estimate)
        0.0103 [0.0101, 0.0106]
        >>> estimate.to_json()["threshold"]
        {'value': 0.0103, 'low': 0.0101, 'high': 0.0106}
    """

    value: float
    low: float
    high: float
    method: str
    per: str
    sweep: str = "p"
    sizes: tuple[str, ...] = ()
    window: tuple[float, float] = (math.nan, math.nan)
    points_used: int = 0
    nu: float | None = None
    coefficients: tuple[float, ...] = ()
    chi2_per_dof: float | None = None
    crossings: tuple[Crossing, ...] = ()
    resamples: int = 0
    confidence: float = 0.95
    seed: int = 0
    extrapolated: bool = False

    @property
    def interval_name(self) -> str:
        """How the interval was made."""
        return (
            f"{self.confidence:.0%} parametric bootstrap percentile interval "
            f"({self.resamples} resamples of the binomial counts, seed {self.seed}; "
            "statistical only)"
        )

    @property
    def method_detail(self) -> str:
        """One line on the fit."""
        where = (
            f"{self.points_used} points with {self.sweep} in "
            f"[{self.window[0]:.4g}, {self.window[1]:.4g}]"
        )
        if self.method == METHODS["fss"]:
            return (
                f"finite-size-scaling fit {FSS_ANSATZ} (v = {self.sweep}), weighted least "
                f"squares on {where}; nu = {self.nu:.3g}, chi2/dof = {self.chi2_per_dof:.2f}"
            )
        return (
            f"crossing of the two largest sizes' curves, each log p_L vs log {self.sweep} "
            f"fitted by a weighted quadratic on {where}"
        )

    def scaling_variable(self, value: Any, distance: Any) -> Any:
        """x = (v - v_th) d^(1/nu) of the finite-size-scaling fit."""
        if self.nu is None:
            raise QecError.invalid("method", self.method, "finite_size_scaling for x")
        return (np.asarray(value) - self.value) * np.asarray(distance, float) ** (1 / self.nu)

    def model_rate(self, value: Any, distance: Any) -> Any:
        """The fitted logical error rate A + B x + C x^2 at `value`, `distance`."""
        x = self.scaling_variable(value, distance)
        a, b, c = self.coefficients
        return a + b * x + c * x * x

    def to_json(self) -> dict[str, Any]:
        """The threshold as {"value", "low", "high"}, the method and its details."""
        return {
            "threshold": {"value": self.value, "low": self.low, "high": self.high},
            "method": self.method,
            "method_detail": self.method_detail,
            "interval": self.interval_name,
            "per": self.per,
            "sweep": self.sweep,
            "sizes": list(self.sizes),
            "window": list(self.window),
            "points_used": self.points_used,
            "extrapolated": self.extrapolated,
            "nu": self.nu,
            "coefficients": list(self.coefficients),
            "chi2_per_dof": self.chi2_per_dof,
            "crossings": [
                {"sizes": [c.smaller, c.larger], "value": c.value} for c in self.crossings
            ],
        }

    def __str__(self) -> str:
        return f"{self.value:.4g} [{self.low:.4g}, {self.high:.4g}]"


class _FitFailed(Exception):
    pass


@dataclasses.dataclass
class _Data:
    """The points as arrays, and their per-unit rates."""

    label: np.ndarray
    distance: np.ndarray
    value: np.ndarray
    shots: np.ndarray
    errors: np.ndarray
    rounds: np.ndarray
    per: str

    def unit(self, shot_rate: np.ndarray) -> np.ndarray:
        if self.per == "shot":
            return shot_rate
        clipped = np.clip(shot_rate, 0.0, 0.5 - 1e-12)
        converted = 0.5 - 0.5 * (1 - 2 * clipped) ** (1 / self.rounds)
        return np.where(self.rounds == 1, shot_rate, converted)

    def shot(self, unit_rate: np.ndarray) -> np.ndarray:
        if self.per == "shot":
            return unit_rate
        clipped = np.clip(unit_rate, 0.0, 0.5 - 1e-12)
        return np.where(self.rounds == 1, unit_rate, 0.5 - 0.5 * (1 - 2 * clipped) ** self.rounds)

    def unit_sigma(self, shot_rate: np.ndarray) -> np.ndarray:
        """Binomial standard deviation of the per-unit rate at per-shot rate `shot_rate`."""
        q = np.clip(shot_rate, 0.5 / self.shots, 1 - 0.5 / self.shots)
        sigma = np.sqrt(q * (1 - q) / self.shots)
        if self.per == "shot":
            return sigma
        qc = np.clip(q, 0.0, 0.5 - 1e-9)
        slope = (1 - 2 * qc) ** (1 / self.rounds - 1) / self.rounds
        return np.where(self.rounds == 1, sigma, sigma * slope)

    def smoothed(self, errors: np.ndarray) -> np.ndarray:
        return (errors + 0.5) / (self.shots + 1)

    def subset(self, mask: np.ndarray) -> _Data:
        return _Data(
            self.label[mask],
            self.distance[mask],
            self.value[mask],
            self.shots[mask],
            self.errors[mask],
            self.rounds[mask],
            self.per,
        )


def _data(points: Sequence[SweepPoint], per: str) -> _Data:
    return _Data(
        label=np.array([p.label for p in points]),
        distance=np.array([p.distance for p in points], float),
        value=np.array([p.value for p in points], float),
        shots=np.array([p.shots for p in points], float),
        errors=np.array([p.errors for p in points], float),
        rounds=np.array([p.rounds for p in points], float),
        per=per,
    )


def _merge(points: Iterable[SweepPoint]) -> list[SweepPoint]:
    merged: dict[tuple[str, float], SweepPoint] = {}
    for point in points:
        key = (point.label, float(f"{point.value:.12g}"))
        if key in merged:
            old = merged[key]
            if old.rounds != point.rounds or old.distance != point.distance:
                raise QecError.invalid(
                    "points",
                    f"size {point.label} at {point.value:g}",
                    "one number of rounds and one distance per size and value",
                )
            point = dataclasses.replace(
                old, shots=old.shots + point.shots, errors=old.errors + point.errors
            )
        merged[key] = point
    return sorted(merged.values(), key=lambda p: (p.distance, p.label, p.value))


def _size_order(points: Sequence[SweepPoint]) -> list[str]:
    distance = {p.label: p.distance for p in points}
    return sorted(distance, key=lambda label: (distance[label], label))


def _first_guess(data: _Data, sizes: list[str], sweep: str) -> float:
    """Median of the places where neighbouring sizes change order (larger better below,
    worse above), interpolated in log v; the end of the range if the curves meet there
    (within 3 sigma).

    Values where both sizes saw no error say nothing about the order and are skipped.
    A change of order counts first if it is confirmed: the larger size significantly
    (2 sigma) better at or below it and significantly worse at or above it; noise between
    small counts cannot then fake a crossing. The side of a range without crossing is
    decided on significant differences only."""
    rates = data.unit(data.smoothed(data.errors))
    sigmas = data.unit_sigma(data.smoothed(data.errors))
    guesses: list[float] = []
    confirmed: list[float] = []
    all_below = all_above = True
    meet_top = meet_bottom = True
    for small, large in itertools.pairwise(sizes):
        by_value: dict[float, dict[str, tuple[float, float]]] = {}
        seen: dict[float, float] = {}
        for label, value, rate, sigma, errors in zip(
            data.label, data.value, rates, sigmas, data.errors, strict=True
        ):
            if label in (small, large):
                key = float(f"{value:.12g}")
                by_value.setdefault(key, {})[label] = (rate, sigma)
                seen[key] = seen.get(key, 0.0) + errors
        common = sorted(v for v, d in by_value.items() if len(d) == 2 and seen[v] > 0)
        if len(common) < 2:
            span = f"{float(data.value.min()):g}:{float(data.value.max()):g}"
            raise ThresholdNotFound(
                f"{sweep}={span!r} is not allowed: expected at least 2 values where sizes "
                f"{small} and {large} both ran and saw errors (sample more shots, or move "
                "the range up)"
            )
        diff = np.array([math.log(by_value[v][large][0] / by_value[v][small][0]) for v in common])
        spread = np.array(
            [
                math.hypot(
                    by_value[v][large][1] / by_value[v][large][0],
                    by_value[v][small][1] / by_value[v][small][0],
                )
                for v in common
            ]
        )
        logs = np.log(common)
        better = diff < -2 * spread  # the larger size significantly better
        worse = diff > 2 * spread
        for i in range(len(common) - 1):
            if diff[i] < 0 <= diff[i + 1]:
                t = diff[i] / (diff[i] - diff[i + 1])
                guess = float(math.exp(logs[i] + t * (logs[i + 1] - logs[i])))
                guesses.append(guess)
                if better[: i + 1].any() and worse[i + 1 :].any():
                    confirmed.append(guess)
        all_below &= not bool(worse.any())
        all_above &= not bool(better.any())
        meet_top &= bool(abs(diff[-1]) < 3 * spread[-1])
        meet_bottom &= bool(abs(diff[0]) < 3 * spread[0])
    low, high = float(data.value.min()), float(data.value.max())
    if confirmed:
        return float(np.median(confirmed))
    if guesses and not (all_below or all_above):
        return float(np.median(guesses))
    span = f"{low:g}:{high:g}"
    if all_below:
        if meet_top:
            return high
        raise ThresholdNotFound(
            f"{sweep}={span!r} is not allowed: expected a range containing the threshold; "
            f"larger codes do better at every value, so the threshold is above {high:g}"
        )
    if all_above:
        if meet_bottom:
            return low
        raise ThresholdNotFound(
            f"{sweep}={span!r} is not allowed: expected a range containing the threshold; "
            f"larger codes do worse at every value, so the threshold is below {low:g}"
        )
    raise ThresholdNotFound(
        f"{sweep}={span!r} is not allowed: expected a range where larger codes do better "
        "below some value and worse above it; here the curves cross the other way"
    )


def _window_mask(data: _Data, sizes: list[str], guess: float, window: float) -> np.ndarray:
    """Points within a factor `window` of `guess`, widened until every size has 3."""
    factor = window
    ratio = np.abs(np.log(data.value / guess))
    while True:
        mask = ratio <= math.log(factor) + 1e-12
        if all(np.count_nonzero(mask & (data.label == s)) >= 3 for s in sizes):
            return mask
        if np.all(mask):
            raise QecError.invalid(
                "points",
                f"{len(data.value)} points",
                "at least 3 swept values for every size",
            )
        factor *= 1.25


def _wls(design: np.ndarray, y: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted least squares: coefficients and chi-square."""
    wd = design * weight[:, None]
    normal = design.T @ wd
    try:
        coef = np.linalg.solve(normal, wd.T @ y)
    except np.linalg.LinAlgError:
        coef = np.linalg.lstsq(design * np.sqrt(weight)[:, None], y * np.sqrt(weight), rcond=None)[
            0
        ]
    residual = design @ coef - y
    return coef, float(np.sum(weight * residual * residual))


def _fss_design(value: np.ndarray, distance: np.ndarray, v_th: float, nu: float) -> np.ndarray:
    x = (value - v_th) * distance ** (1 / nu)
    return np.stack([np.ones_like(x), x, x * x], axis=1)


def _fss_fit(
    data: _Data,
    errors: np.ndarray,
    starts: Sequence[tuple[float, float]],
    bounds: tuple[float, float],
) -> tuple[float, float, np.ndarray, float]:
    """(v_th, nu, (A, B, C), chi2) minimising Pearson's chi-square (two passes)."""
    y = data.unit(errors / data.shots)
    weight = 1 / data.unit_sigma(data.smoothed(errors)) ** 2
    log_bounds = (math.log(bounds[0]), math.log(bounds[1]))
    nu_bounds = (math.log(_NU_BOUNDS[0]), math.log(_NU_BOUNDS[1]))

    def chi2(theta: np.ndarray, w: np.ndarray) -> float:
        log_v, log_nu = float(theta[0]), float(theta[1])
        penalty = 0.0
        for t, (lo, hi) in ((log_v, log_bounds), (log_nu, nu_bounds)):
            penalty += max(0.0, lo - t) + max(0.0, t - hi)
        if penalty:
            return 1e12 * (1 + penalty)
        design = _fss_design(data.value, data.distance, math.exp(log_v), math.exp(log_nu))
        return _wls(design, y, w)[1]

    def run(w: np.ndarray, start: tuple[float, float]) -> Any:
        s = np.array([math.log(start[0]), math.log(start[1])])
        simplex = np.array([s, s + [0.04, 0.0], s + [0.0, 0.3]])
        return minimize(
            chi2,
            s,
            args=(w,),
            method="Nelder-Mead",
            options={"initial_simplex": simplex, "xatol": 1e-7, "fatol": 1e-10, "maxiter": 4000},
        )

    best = min((run(weight, start) for start in starts), key=lambda r: r.fun)
    log_v, log_nu = best.x
    design = _fss_design(data.value, data.distance, math.exp(log_v), math.exp(log_nu))
    coef, _ = _wls(design, y, weight)
    fitted = np.clip(design @ coef, 1e-12, None)
    weight = 1 / data.unit_sigma(data.shot(fitted)) ** 2  # second pass: model variances
    best = run(weight, (math.exp(log_v), math.exp(log_nu)))
    if not np.isfinite(best.fun) or best.fun >= 1e12:
        raise _FitFailed
    log_v, log_nu = best.x
    margin = 1e-4
    if min(log_v - log_bounds[0], log_bounds[1] - log_v) < margin:
        raise _FitFailed  # pinned at the edge of the allowed range: no crossing found
    v_th, nu = math.exp(log_v), math.exp(log_nu)
    coef, value = _wls(_fss_design(data.value, data.distance, v_th, nu), y, weight)
    return v_th, nu, coef, value


def _curve_fits(data: _Data, errors: np.ndarray, center: float) -> dict[str, np.ndarray]:
    """Per size: coefficients of log p_L = c0 + c1 t + c2 t^2, t = log(v / center)."""
    rates = data.unit(data.smoothed(errors))
    sigma = data.unit_sigma(data.smoothed(errors)) / rates
    fits = {}
    for label in dict.fromkeys(data.label.tolist()):
        mask = data.label == label
        t = np.log(data.value[mask] / center)
        degree = 2 if len(set(t.tolist())) >= 3 else 1
        design = np.stack([t**k for k in range(degree + 1)], axis=1)
        coef, _ = _wls(design, np.log(rates[mask]), 1 / sigma[mask] ** 2)
        fits[label] = np.pad(coef, (0, 3 - len(coef)))
    return fits


def _curve_crossing(a: np.ndarray, b: np.ndarray, lo: float, hi: float) -> float:
    """The t in [lo, hi] where curve b rises through curve a (nearest to 0)."""

    def diff(t: float) -> float:
        return float((b[0] - a[0]) + (b[1] - a[1]) * t + (b[2] - a[2]) * t * t)

    grid = np.linspace(lo, hi, 401)
    values = np.array([diff(t) for t in grid])
    roots = [
        brentq(diff, grid[i], grid[i + 1])
        for i in range(len(grid) - 1)
        if values[i] < 0 <= values[i + 1]
    ]
    if not roots:
        raise _FitFailed
    return float(min(roots, key=abs))


def _crossings(data: _Data, errors: np.ndarray, sizes: list[str], center: float) -> list[Crossing]:
    fits = _curve_fits(data, errors, center)
    span = np.log(data.value / center)
    lo, hi = float(span.min()), float(span.max())
    found = []
    for small, large in itertools.pairwise(sizes):
        try:
            t = _curve_crossing(fits[small], fits[large], lo, hi)
        except _FitFailed:
            continue
        found.append(Crossing(small, large, center * math.exp(t)))
    return found


def estimate_threshold(
    points: Iterable[SweepPoint],
    *,
    per: str = "shot",
    method: str = "fss",
    sweep: str = "p",
    window: float = 1.5,
    bootstrap: int = 200,
    seed: int = 0,
    confidence: float = 0.95,
) -> ThresholdEstimate:
    """The threshold of a sweep, with a bootstrap interval (see the module docstring).

    Args:
        points: the sweep's points, at least 3 swept values for each of >= 2 sizes.
        per: fit the logical error rate per 'round' (default) or per 'shot'.
        method: 'fss' (finite-size-scaling fit, default) or 'crossing'.
        sweep: the swept parameter's name, for messages and the result.
        window: fit the points within this factor of the first guess (widened until
            every size has 3 points).
        bootstrap: resamples for the interval (0: no interval, low = high = value).
        seed: seed of the bootstrap.
        confidence: coverage of the interval.

    Examples:
        >>> # Synthetic counts that follow the ansatz exactly: the fit finds v_th = 0.1.
        >>> points = [
        ...     SweepPoint(distance=d, value=v, shots=10**6,
        ...                errors=round(10**6 * (0.1 + 0.5 * (v - 0.1) * d ** (1 / 1.5))))
        ...     for d in (5, 9, 13) for v in (0.08, 0.09, 0.1, 0.11, 0.12)]
        >>> estimate = estimate_threshold(points, bootstrap=20)
        >>> round(estimate.value, 4), estimate.method, estimate.low < 0.1 < estimate.high
        (0.1, 'finite_size_scaling', True)
    """
    check_per(per)
    if method not in METHODS:
        raise QecError.invalid("method", method, " or ".join(METHODS))
    if isinstance(window, bool) or not isinstance(window, (int, float)) or not window > 1:
        raise QecError.invalid("window", window, "a factor > 1")
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 0:
        raise QecError.invalid("bootstrap", bootstrap, "an integer >= 0")
    if not 0 < confidence < 1:
        raise QecError.invalid("confidence", confidence, "a number in (0, 1)")
    merged = _merge(points)
    sizes = _size_order(merged)
    if len(sizes) < 2:
        raise QecError.invalid("distances", sizes, "at least two sizes")
    data = _data(merged, per)
    guess = _first_guess(data, sizes, sweep)
    mask = _window_mask(data, sizes, guess, window)
    fit_data = data.subset(mask)
    used_sizes = [s for s in sizes if np.any(fit_data.label == s)]
    lo, hi = float(fit_data.value.min()), float(fit_data.value.max())
    bounds = (lo / window, hi * window)

    def fit(errors: np.ndarray, start: float | None, nu: float | None) -> tuple[float, Any]:
        if method == "fss":
            starts = (
                [(start, nu)]
                if start is not None and nu is not None
                else [(guess, n) for n in (0.7, 1.3, 2.5)]
            )
            v_th, nu_fit, coef, chi2 = _fss_fit(fit_data, errors, starts, bounds)
            return v_th, (nu_fit, coef, chi2)
        fits = _curve_fits(fit_data, errors, guess)
        span = np.log(np.array(bounds) / guess)
        t = _curve_crossing(fits[used_sizes[-2]], fits[used_sizes[-1]], span[0], span[1])
        return guess * math.exp(t), None

    try:
        value, extra = fit(fit_data.errors, None, None)
    except _FitFailed:
        raise ThresholdNotFound(
            f"{sweep}={lo:g}:{hi:g} is not allowed: expected points whose fitted curves "
            f"cross; the {method} fit found no crossing here"
        ) from None
    rng = np.random.default_rng(seed)
    resampled = []
    for _ in range(bootstrap):
        errors = rng.binomial(fit_data.shots.astype(np.int64), fit_data.errors / fit_data.shots)
        try:
            start_nu = extra[0] if extra is not None else None
            resampled.append(fit(errors.astype(float), value, start_nu)[0])
        except (_FitFailed, np.linalg.LinAlgError):
            continue
    if bootstrap and len(resampled) < bootstrap / 2:
        raise ThresholdNotFound(
            f"{sweep}={lo:g}:{hi:g} is not allowed: expected a crossing that survives "
            f"resampling; only {len(resampled)} of {bootstrap} bootstrap fits found one "
            "(more shots near the crossing, or a range around it, would help)"
        )
    if resampled:
        tail = (1 - confidence) / 2
        low, high = (float(q) for q in np.quantile(resampled, [tail, 1 - tail]))
    else:
        low = high = value
    nu = coefficients = chi2_per_dof = None
    if extra is not None:
        nu, coef, chi2 = extra
        coefficients = tuple(float(c) for c in coef)
        chi2_per_dof = chi2 / max(1, len(fit_data.value) - 5)
    return ThresholdEstimate(
        value=float(value),
        low=low,
        high=high,
        method=METHODS[method],
        per=per,
        sweep=sweep,
        sizes=tuple(used_sizes),
        window=(lo, hi),
        points_used=int(np.count_nonzero(mask)),
        nu=float(nu) if nu is not None else None,
        coefficients=coefficients or (),
        chi2_per_dof=float(chi2_per_dof) if chi2_per_dof is not None else None,
        crossings=tuple(_crossings(fit_data, fit_data.errors, used_sizes, guess)),
        resamples=len(resampled),
        confidence=confidence,
        seed=seed,
        extrapolated=bool(high < data.value.min() or low > data.value.max()),
    )
