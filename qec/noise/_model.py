"""The noise-model interface: a transform from an annotated circuit to a noisy stim circuit."""

from __future__ import annotations

import abc
import dataclasses
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import stim

from qec.circuits import AnnotatedCircuit, Gate, Layer
from qec.circuits.schedule import Schedule
from qec.errors import QecError, check_number, is_number
from qec.interrupts import native_call
from qec.last_circuit import LastCircuit

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


#: The check of one parameter on its own: `check(parameter, value)` raises QecError
#: naming the parameter unless the value is allowed.
Check = Callable[[str, Any], None]


def positive(meaning: str = "", *, or_zero: bool = False) -> Check:
    """The check of a finite number > 0 (>= 0 if `or_zero`); `meaning` (what it is, or its
    unit) is said in the message.

    Examples:
        >>> positive("in 1/kappa_2")("t_cx", 0)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: t_cx=0 is not allowed: expected a finite number > 0 (in 1/kappa_2)
    """
    allowed = f"a finite number {'>=' if or_zero else '>'} 0" + (f" ({meaning})" if meaning else "")

    def check(parameter: str, value: Any) -> None:
        check_number(
            parameter,
            value,
            allowed=allowed,
            accept=lambda v: math.isfinite(v) and (v > 0 or (or_zero and v == 0)),
        )

    return check


def check_flag(parameter: str, value: Any) -> None:
    """Raises QecError unless `value` is 0 or 1 (False or True).

    Examples:
        >>> check_flag("ideal_data_ends", 2)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: ideal_data_ends=2 is not allowed: expected 0 or 1
    """
    if not (isinstance(value, (bool, np.bool_)) or is_number(value)) or value not in (0, 1):
        raise QecError.invalid(parameter, value, "0 or 1")


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
    #: Each parameter's check on its own, by name (`check_parameters`).
    checks: ClassVar[Mapping[str, Check]] = {}
    #: The parameters that are flags: 0 or 1 (checked so), kept as bools.
    flags: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        """Checks every parameter before any work: each on its own, then together."""
        self.check_parameters(self.params())
        for flag in self.flags:
            object.__setattr__(self, flag, bool(getattr(self, flag)))
        self.check_together()

    @classmethod
    def check_parameters(cls, values: Mapping[str, Any]) -> None:
        """Raises QecError, naming the parameter and its value, for the first of `values`
        (some of the model's parameters, by name) that is not allowed on its own.

        Examples:
            >>> from qec.noise import Biased
            >>> Biased.check_parameters({"eta": -1})
            Traceback (most recent call last):
            ...
            qec.errors.QecError: eta=-1 is not allowed: expected a number > 0, at most 1e+300 \
(inf for pure Z noise)
        """
        for parameter, value in values.items():
            check = check_flag if parameter in cls.flags else cls.checks.get(parameter)
            if check is not None:
                check(parameter, value)

    def check_together(self) -> None:
        """Raises QecError if the parameters, each allowed on its own, give together a
        noise channel that stim cannot take or that the model's formulas do not allow
        (default: no such combination)."""
        return

    def check_derived(
        self,
        what: str,
        inputs: Sequence[str],
        probabilities: Callable[[], float | Sequence[float]],
        *,
        at_most: float = 1.0,
    ) -> None:
        """Raises QecError unless `probabilities()`, one probability or the arguments of a
        channel of the model (`what`, derived from the parameters `inputs`), are each >= 0
        and sum to at most `at_most` (1 for every stim channel; NaN and overflow refused).

        The error names the inputs that differ from their defaults (or have none), with
        their values, and says the others.

        Examples:
            >>> from qec.noise import Biased
            >>> Biased(p=0.5, eta=1).check_derived(
            ...     "twice p", ("p", "eta"), lambda: 2 * 0.5, at_most=0.9)
            Traceback (most recent call last):
            ...
            qec.errors.QecError: p=0.5, eta=1 are not allowed together: expected parameters \
for which twice p is in [0, 0.9]; here it is 1
        """
        try:
            derived = probabilities()
            if isinstance(derived, Sequence):
                values = tuple(map(float, derived))
            else:
                values = (float(derived),)
        except (OverflowError, ZeroDivisionError):  # e.g. the exp of a huge rate
            values = ()
        if values and all(v >= 0 for v in values) and sum(values) <= at_most:
            return
        defaults = {f.name: f.default for f in dataclasses.fields(self)}
        named = {
            name: getattr(self, name)
            for name in inputs
            if defaults[name] is dataclasses.MISSING or getattr(self, name) != defaults[name]
        } or {name: getattr(self, name) for name in inputs}
        others = ", ".join(f"{n}={getattr(self, n)!r}" for n in inputs if n not in named)
        allowed = f"parameters for which {what} {_found(values, at_most)}"
        raise QecError.invalid_together(named, allowed + (f" (with {others})" if others else ""))

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


def _found(values: tuple[float, ...], at_most: float) -> str:
    """What `check_derived` expected of `values` (one probability, or a channel's; none
    if they overflowed) and what they are."""
    if len(values) == 1:
        rule, found = f"is in [0, {at_most:g}]", "it is {}"
    else:
        rule, found = f"has terms >= 0 summing to <= {at_most:g}", "they sum to {}"
    if not values:
        return f"{rule}; here it overflows"
    if min(values) < 0:
        return f"{rule}; here a term is {min(values)!r}"
    total = sum(values)
    shown = f"{total:.3g}"
    shown = repr(total) if float(shown) <= at_most else shown  # the rounding hid the excess
    return f"{rule}; here {found.format(shown)}"


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
    return _models.get(circuit, graphlike, lambda: _built(circuit, graphlike=graphlike))


# The last circuit's model: a run asks for it several times (`LastCircuit`).
_models = LastCircuit[stim.DetectorErrorModel]()


def _built(circuit: stim.Circuit, *, graphlike: bool) -> stim.DetectorErrorModel:
    """The model `detector_error_model` returns, built by stim (a signal to the command
    line ends the process at once meanwhile: `native_call`)."""
    with native_call():
        return _decomposed_where_possible(circuit, graphlike=graphlike)


def _decomposed_where_possible(
    circuit: stim.Circuit, *, graphlike: bool
) -> stim.DetectorErrorModel:
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
