"""How long a round of error correction lasts, and where that number comes from.

Designs run on different hardware and their rounds take different times, so a rate per
round compares them only round for round. A round's duration turns it into a rate per
second, and a qubit count into qubits x cycle time (the hardware one logical qubit
occupies for one round). A `CycleTime` is worked out from the same steps the noise
model puts noise on:

- **Cat qubits** (`Cat`): the model's steps of a round, each lasting its longest
  operation in units of 1/kappa_2 (LR23's round: prepare, CX, wait, CX, measure, five
  steps of 1/kappa_2), times 1/kappa_2 in seconds, `Clock.inv_kappa_2_ns` = 100 ns:
  the value of Le Régent et al., Quantum 7, 1198 (2023), arXiv:2302.06639, p. 28 (a
  round of 5/kappa_2, 500 ns), also hard-coded in Alice & Bob's resource estimator.
- **Cat data with transmon ancillas** (`CatTransmon`, `Ocelot`): the model's own
  operation times in microseconds (Putterman et al., Nature 638, 927 (2025)), each step
  lasting its longest operation as the model's idle noise assumes.
- **Transmon qubits** (`Depolarizing`, `SI1000`, `SD6`, `Biased`): these models carry no
  times, so a round lasts `Clock.transmon_round_us` = 1.1 us, the surface-code cycle of
  Google's Willow chip (Acharya et al., Nature 638, 920 (2025), arXiv:2408.13687).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import math
from collections.abc import Hashable
from typing import Any, cast

from qec.circuits._annotated import Layer
from qec.circuits.registry import Code
from qec.errors import check_number
from qec.intervals import Interval
from qec.noise import Cat, CatTransmon, NoiseModel

# What a target is a rate of: a round of error correction, or a second (each design's
# per-round target is then the target times its round's duration).
PER_ROUND = "round"
PER_SECOND = "second"
PERS = (PER_ROUND, PER_SECOND)


class Timing(enum.Enum):
    """Where a round's duration comes from (module docstring)."""

    CAT_STEPS = "cat_steps"
    MODEL_TIMES = "model_times"
    ASSUMED = "assumed"


@dataclasses.dataclass(frozen=True)
class Clock:
    """The times no noise model states: 1/kappa_2 of the cat qubits, in ns, and the
    round of a transmon surface code, in us (module docstring for the sources).

    Examples:
        >>> Clock().inv_kappa_2_ns, Clock().transmon_round_us
        (100.0, 1.1)
    """

    inv_kappa_2_ns: float = 100.0
    transmon_round_us: float = 1.1

    def __post_init__(self) -> None:
        for name in ("inv_kappa_2_ns", "transmon_round_us"):
            check_number(
                name, getattr(self, name), allowed="a finite time > 0",
                accept=lambda t: 0 < t < math.inf,
            )  # fmt: skip


@dataclasses.dataclass(frozen=True)
class CycleTime:
    """One round's duration, in seconds: `steps` steps (0 when assumed) and where the
    duration comes from. `unit` is 1/kappa_2 in seconds for cat steps (else 0).

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> cycle = cycle_time(RepetitionCode(distance=5, check_basis="X"), Cat(nbar=8))
        >>> print(cycle)
        500 ns: 5 steps of 1/kappa_2 = 100 ns (LR23 p. 28)
    """

    seconds: float
    steps: int
    timing: Timing
    unit: float = 0.0

    def per_second(self, per_round: Interval) -> Interval:
        """A rate per round (with its interval) as a rate per second."""
        return per_round.map(lambda p: p / self.seconds)

    def held(self, qubits: Interval) -> Interval:
        """A qubit count (with its interval) times the round: qubit-seconds per round."""
        return qubits.map(lambda q: q * self.seconds)

    @property
    def short(self) -> str:
        """The duration alone, e.g. '500 ns'."""
        return _short(self.seconds)

    @property
    def source(self) -> str:
        """How the duration was found, with its source."""
        if self.timing is Timing.MODEL_TIMES:
            return f"{self.steps} steps at the model's operation times (Putterman et al. 2025)"
        if self.timing is Timing.ASSUMED:
            return "assumed, Willow's surface-code cycle (Acharya et al. 2025)"
        unit = f"1/kappa_2 = {_short(self.unit)} (LR23 p. 28)"
        if math.isclose(self.seconds, self.steps * self.unit):
            return f"{self.steps} steps of {unit}"
        return f"{self.steps} steps, {self.seconds / self.unit:g}/kappa_2, {unit}"

    def __str__(self) -> str:
        return f"{self.short}: {self.source}"

    def to_json(self) -> dict[str, object]:
        return {
            "seconds": self.seconds,
            "steps": self.steps,
            "timing": self.timing.value,
            "unit": self.unit,
            "text": str(self),
        }

    @staticmethod
    def from_json(item: dict[str, object]) -> CycleTime:
        return CycleTime(
            seconds=float(item["seconds"]),  # type: ignore[arg-type]
            steps=int(item["steps"]),  # type: ignore[call-overload]
            timing=Timing(item["timing"]),
            unit=float(item["unit"]),  # type: ignore[arg-type]
        )


def per_round(target: float, per: str, cycle: CycleTime) -> float:
    """`target`, a rate per `per` (`PERS`), as a rate per round of `cycle`: itself per
    round, or times the round's duration per second.

    Examples:
        >>> cycle = CycleTime(5e-7, 5, Timing.CAT_STEPS, 1e-7)
        >>> per_round(1e-3, PER_ROUND, cycle), f"{per_round(1e-3, PER_SECOND, cycle):.3g}"
        (0.001, '5e-10')
    """
    return target * cycle.seconds if per == PER_SECOND else target


def cycle_time(code: Code, noise: NoiseModel, clock: Clock = Clock()) -> CycleTime:
    """How long one round of `code`'s memory lasts under `noise` (module docstring): a
    middle round of a three-round memory, laid out in the model's schedule, step by step.

    Examples:
        >>> from qec.circuits import RepetitionCode, RotatedSurfaceCode
        >>> from qec.noise import Ocelot, SI1000
        >>> str(cycle_time(RotatedSurfaceCode(distance=5), SI1000(p=1e-3)))[:6]
        '1.1 us'
        >>> print(cycle_time(RepetitionCode(distance=5, check_basis="X"), Ocelot()))
        2.8 us: 6 steps at the model's operation times (Putterman et al. 2025)
    """
    return _cycle_time(cast(Hashable, code), noise, clock)


# Every code family is a frozen dataclass, hashable, though the `Code` protocol does not
# say so: a large code's round takes a fraction of a second to lay out.
@functools.lru_cache(maxsize=256)
def _cycle_time(code: Any, noise: NoiseModel, clock: Clock) -> CycleTime:
    if not isinstance(noise, Cat | CatTransmon):
        return CycleTime(clock.transmon_round_us * 1e-6, 0, Timing.ASSUMED)
    layers = _middle_round(code, noise)
    if isinstance(noise, Cat):
        unit = clock.inv_kappa_2_ns * 1e-9
        length = sum(noise.layer_duration(layer) for layer in layers)
        return CycleTime(length * unit, len(layers), Timing.CAT_STEPS, unit)
    micros = sum(max((noise.duration(g) for g in layer.gates), default=0.0) for layer in layers)
    return CycleTime(micros * 1e-6, len(layers), Timing.MODEL_TIMES)


def _middle_round(code: Code, noise: NoiseModel) -> list[Layer]:
    """The steps of round 1 of a three-round memory in `noise`'s schedule: from the
    layer that opens it to the one before round 2 opens."""
    circuit = noise.schedule().apply(code.memory_circuit(rounds=3, basis="X"))
    starts = {layer.round_index: i for i, layer in enumerate(circuit.layers)}
    return list(circuit.layers[starts[1] : starts[2]])


def _short(seconds: float) -> str:
    """A duration in ns below a microsecond, else in us (3 significant digits)."""
    if seconds < 1e-6:
        return f"{seconds * 1e9:.3g} ns"
    return f"{seconds * 1e6:.3g} us"
