"""The noise-model interface: a transform from an annotated circuit to a noisy stim circuit."""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

import stim

from qec.circuits import AnnotatedCircuit, Gate, Layer
from qec.circuits.schedule import Schedule
from qec.errors import QecError, check_number

#: The 15 non-identity two-qubit Paulis in the order of stim's PAULI_CHANNEL_2 arguments
#: (IX, IY, IZ, XI, ..., ZZ), the first target first.
PAULI_PAIRS = tuple(a + b for a in "IXYZ" for b in "IXYZ")[1:]


@dataclasses.dataclass(frozen=True)
class Channel:
    """One stim noise instruction, e.g. `Channel("DEPOLARIZE1", (0, 1), (0.001,))`."""

    name: str
    targets: tuple[int, ...]
    args: tuple[float, ...]

    @property
    def is_trivial(self) -> bool:
        return not self.targets or all(a == 0 for a in self.args)


def check_probability(parameter: str, value: Any) -> None:
    """Raises QecError unless `value` is a number in [0, 1].

    Examples:
        >>> check_probability("p", 1.5)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: p=1.5 is not allowed: expected a probability in [0, 1]
    """
    check_number(parameter, value, allowed="a probability in [0, 1]", accept=lambda p: 0 <= p <= 1)


def check_depolarizing(parameter: str, value: Any) -> None:
    """Raises QecError unless `value` is a probability a DEPOLARIZE1 channel can take:
    [0, 3/4], where it fully mixes (stim refuses more).

    Examples:
        >>> check_depolarizing("p", 0.9)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: p=0.9 is not allowed: expected a probability in [0, 0.75] \
(DEPOLARIZE1(p) fully mixes at 3/4)
    """
    check_number(
        parameter,
        value,
        allowed="a probability in [0, 0.75] (DEPOLARIZE1(p) fully mixes at 3/4)",
        accept=lambda p: 0 <= p <= 0.75,
    )


@dataclasses.dataclass(frozen=True)
class NoiseModel(abc.ABC):
    """Decides which noise follows each gate, precedes each measurement, hits idle qubits
    and data qubits before each round. Subclasses are frozen dataclasses whose fields are
    the model's parameters; they override the hooks they need, and every hook defaults
    to no noise.

    `noisy_circuit` first lays the circuit out in the model's `schedule` (its gate set
    and the steps of a round), then walks the layers and inserts the channels: data
    noise at the start of a round, then each gate followed by its noise (a measurement
    carries its flip probability as stim's argument, so it flips the result only), then
    noise on the qubits the layer leaves idle (every qubit, in a waiting step).
    """

    name: ClassVar[str]

    def params(self) -> dict[str, float]:
        """The model's parameters, for results metadata and the command line."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def spec(self) -> str:
        """The command-line spelling, e.g. 'depolarizing:p=0.001'."""
        return f"{self.name}:" + ",".join(f"{k}={v:g}" for k, v in self.params().items())

    def schedule(self) -> Schedule:
        """How the model lays out a round (default: stim's generated layout, unchanged)."""
        return Schedule()

    # Hooks: `circuit` is the scheduled circuit being made noisy (its qubit roles and
    # layers), for models whose noise depends on them.
    def before_round(self, data_qubits: Sequence[int], round_index: int) -> Iterable[Channel]:
        """Noise on the data qubits at the start of round `round_index`."""
        return ()

    def after_gate(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> Iterable[Channel]:
        """Noise after a unitary gate or a reset (all its targets)."""
        return ()

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        """Probability that a measurement result of `gate` is reported flipped."""
        return 0.0

    def idle(
        self, qubits: Sequence[int], layer: Layer, circuit: AnnotatedCircuit
    ) -> Iterable[Channel]:
        """Noise on `qubits`, which wait while `layer` acts on others."""
        return ()

    # The transform -----------------------------------------------------------------
    def noisy_circuit(self, circuit: AnnotatedCircuit) -> stim.Circuit:
        """The stim circuit of `circuit` with this model's noise.

        Examples:
            >>> from qec.circuits import RepetitionCode
            >>> from qec.noise import CodeCapacity
            >>> annotated = RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z")
            >>> print(CodeCapacity(p=0.1).noisy_circuit(annotated).without_noise() ==
            ...       annotated.to_stim())
            True
        """
        circuit = self.schedule().apply(circuit)
        # Written as text and parsed once: one stim.Circuit.append per instruction is
        # far slower (docs/tuning.md).
        lines: list[str] = []
        data = sorted(circuit.data_qubits)
        everyone = circuit.qubits
        for layer in circuit.layers:
            if layer.round_index is not None:
                _extend(lines, self.before_round(data, layer.round_index))
            for gate in layer.gates:
                if gate.is_measurement:
                    flip = self.measurement_flip(gate, layer, circuit)
                    lines.append(_instruction(gate.name, gate.targets, (flip,) if flip else ()))
                else:
                    lines.append(_instruction(gate.name, gate.targets, ()))
                if not (gate.is_measurement and not gate.is_reset):
                    _extend(lines, self.after_gate(gate, layer, circuit))
            idle = sorted(everyone - layer.qubits)
            if idle:
                _extend(lines, self.idle(idle, layer, circuit))
            if layer.annotations:
                lines.append(layer.annotations)
            lines.append("TICK")
        return circuit.coords_header() + stim.Circuit("\n".join(lines))


def _instruction(name: str, targets: Sequence[int], args: Sequence[float]) -> str:
    """One line of stim's circuit format; floats as Python writes them (exact)."""
    arguments = f"({','.join(map(repr, map(float, args)))})" if args else ""
    return f"{name}{arguments} {' '.join(map(str, targets))}"


def _extend(lines: list[str], channels: Iterable[Channel]) -> None:
    lines.extend(_instruction(c.name, c.targets, c.args) for c in channels if not c.is_trivial)


class Undecomposable(QecError):
    """A detector error model has hyperedges that stim cannot decompose into graphlike
    edges, where only graphlike edges will do."""


def detector_error_model(
    circuit: stim.Circuit, *, graphlike: bool = False
) -> stim.DetectorErrorModel:
    """The detector error model of a noisy circuit, ready for matching where it can be:
    every mechanism, or every part of a decomposed one, has at most two detectors.

    Pauli channels with several outcomes (PAULI_CHANNEL_1/2, DEPOLARIZE) are split into
    independent mechanisms (stim's `approximate_disjoint_errors`), as sinter does; the
    approximation is second order in the error probabilities. When every mechanism
    already has at most two detectors (repetition codes, pure Z noise), the model is
    used as it is: stim's decomposition would otherwise split some two-detector
    mechanisms of a PAULI_CHANNEL_2 into two boundary edges that each flip the
    observable (seen with the cat CX's Z1 fault: a measurement error that the matching
    graph then offers as a cheap logical path, 6x the logical error rate at d = 3).
    Otherwise stim decomposes the hyperedges into graphlike parts; where it cannot, the
    hyperedges stay, as sinter does, for decoders that take them (BP+OSD), or, with
    `graphlike`, the model is refused (`Undecomposable`).

    Examples:
        >>> from qec import RepetitionCode, Biased
        >>> circuit = Biased(p=0.01, eta=10).noisy_circuit(
        ...     RepetitionCode(distance=3).memory_circuit(rounds=2, basis="X"))
        >>> detector_error_model(circuit).num_detectors
        6
    """
    try:
        plain = circuit.detector_error_model(approximate_disjoint_errors=True)
    except ValueError as error:
        first = str(error).strip().splitlines()[0]
        if "over-mixing" in str(error):  # a channel beyond full mixing, from derived rates
            where = str(error).strip().splitlines()[-1].strip()
            raise QecError(
                f"the noise is too strong for stim: {first} ({where}); lower the noise parameters"
            ) from None
        if "non-deterministic" in str(error):
            which = "detectors" if "non-deterministic detectors" in str(error) else "observables"
            raise QecError.invalid(
                "circuit",
                f"<circuit with non-deterministic {which}>",
                "a circuit whose detectors and observables are deterministic without noise "
                "(stim: " + first + ")",
            ) from None
        raise

    def detectors(instruction: stim.DemInstruction) -> int:
        return sum(target.is_relative_detector_id() for target in instruction.targets_copy())

    def errors() -> Iterator[stim.DemInstruction]:
        return (i for i in plain.flattened() if i.type == "error")

    if all(detectors(instruction) <= 2 for instruction in errors()):  # stops at the first
        return plain
    try:
        return circuit.detector_error_model(decompose_errors=True, approximate_disjoint_errors=True)
    except ValueError:  # hyperedges with no graphlike decomposition (e.g. colour codes)
        if graphlike:
            raise Undecomposable(
                "the circuit's detector error model has a mechanism with "
                f"{max(map(detectors, errors()))} detectors that stim cannot decompose into "
                "graphlike edges"
            ) from None
        return plain
