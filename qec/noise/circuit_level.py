"""Circuit-level Pauli noise: uniform depolarizing (stim's), SI1000 and SD6 (Gidney et al.)
and biased."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from typing import Any

from qec.circuits import AnnotatedCircuit, Gate, Layer, Schedule
from qec.errors import check_number
from qec.noise._model import (
    PAULI_PAIRS,
    Channel,
    NoiseModel,
    check_depolarizing,
    check_probability,
)

#: The largest finite bias: the two-qubit weights 2 eta must add up without overflow.
MAX_FINITE_ETA = 1e300


def reset_flip(gate: Gate, p: float) -> Channel:
    """The flip that undoes a reset of `gate`'s basis with probability p."""
    return Channel("Z_ERROR" if gate.basis == "X" else "X_ERROR", gate.targets, (p,))


def gate_noise(gate: Gate, *, reset: float, one_qubit: float, two_qubit: float) -> Channel:
    """The noise after `gate`: a reset flipped with probability `reset`, else
    DEPOLARIZE2(two_qubit) or DEPOLARIZE1(one_qubit).

    Examples:
        >>> gate_noise(Gate("CZ", (0, 1)), reset=0.002, one_qubit=1e-4, two_qubit=1e-3).name
        'DEPOLARIZE2'
    """
    if gate.is_reset:
        return reset_flip(gate, reset)
    if gate.is_two_qubit:
        return Channel("DEPOLARIZE2", gate.targets, (two_qubit,))
    return Channel("DEPOLARIZE1", gate.targets, (one_qubit,))


def check_si1000_p(parameter: str, value: Any) -> None:
    """SI1000's p: a measurement flips with 5p, so p is at most 1/5.

    Examples:
        >>> SI1000(p=0.3)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: p=0.3 is not allowed: expected a probability in [0, 0.2] (SI1000 \
flips measurement results with 5p)
    """
    check_number(
        parameter,
        value,
        allowed="a probability in [0, 0.2] (SI1000 flips measurement results with 5p)",
        accept=lambda p: 0 <= p <= 0.2,
    )


def check_eta(parameter: str, value: Any) -> None:
    """The bias: > 0, finite up to `MAX_FINITE_ETA`, or inf."""
    check_number(
        parameter,
        value,
        allowed=f"a number > 0, at most {MAX_FINITE_ETA:g} (inf for pure Z noise)",
        accept=lambda e: 0 < e <= MAX_FINITE_ETA or e == math.inf,
    )


@dataclasses.dataclass(frozen=True)
class Depolarizing(NoiseModel):
    """The uniform circuit-level model of stim's generated circuits, all at strength p.

    DEPOLARIZE1(p) on the data before each round and after each one-qubit Clifford,
    DEPOLARIZE2(p) after each two-qubit Clifford, measurement results flipped with
    probability p, resets flipped with probability p; no idle noise. This is
    `stim.Circuit.generated(...)` with after_clifford_depolarization,
    before_round_data_depolarization, before_measure_flip_probability and
    after_reset_flip_probability all equal to p.

    Examples:
        >>> Depolarizing(p=0.001).spec()
        'depolarizing:p=0.001'
    """

    p: float

    name = "depolarizing"
    checks = {"p": check_depolarizing}

    def before_round(self, data_qubits: Sequence[int], round_index: int) -> Iterable[Channel]:
        yield Channel("DEPOLARIZE1", tuple(data_qubits), (self.p,))

    def after_gate(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> Iterable[Channel]:
        yield gate_noise(gate, reset=self.p, one_qubit=self.p, two_qubit=self.p)

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        return self.p


@dataclasses.dataclass(frozen=True)
class SI1000(NoiseModel):
    """The superconducting-inspired model SI1000 of Gidney, Newman, Fowler, Broughton,
    Quantum 5, 605 (2021), arXiv:2108.10457, Table 2, on the paper's circuits.

    CZ: DEPOLARIZE2(p). One-qubit gates: DEPOLARIZE1(p/10). Resets: flipped with
    probability 2p. Measurements: result flipped with probability 5p, nothing else on the
    measured qubit. Idle qubits: DEPOLARIZE1(p/10) in every layer, plus DEPOLARIZE1(2p)
    (the "resonator idle") in a layer that measures or resets other qubits.

    As in the paper's circuits, the gate set is CZ-native (each CX compiled as
    H CZ H, `Schedule.cz_native`) and measurement and reset are separate layers, so data
    qubits take the 2p twice per round.

    Examples:
        >>> SI1000(p=0.001).spec()
        'si1000:p=0.001'
        >>> schedule = SI1000(p=0.001).schedule()
        >>> schedule.separate_measure_reset, schedule.cz_native
        (True, True)
    """

    p: float

    name = "si1000"
    checks = {"p": check_si1000_p}

    def schedule(self) -> Schedule:
        return Schedule(separate_measure_reset=True, cz_native=True)

    def after_gate(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> Iterable[Channel]:
        yield gate_noise(gate, reset=2 * self.p, one_qubit=self.p / 10, two_qubit=self.p)

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        return 5 * self.p

    def idle(
        self, qubits: Sequence[int], layer: Layer, circuit: AnnotatedCircuit
    ) -> Iterable[Channel]:
        yield Channel("DEPOLARIZE1", tuple(qubits), (self.p / 10,))
        if layer.has_measurement_or_reset:
            yield Channel("DEPOLARIZE1", tuple(qubits), (2 * self.p,))


@dataclasses.dataclass(frozen=True)
class SD6(NoiseModel):
    """The standard depolarizing model SD6 of Gidney, Newman, Fowler, Broughton,
    Quantum 5, 605 (2021), arXiv:2108.10457, Table 2, on the paper's circuits.

    CX: DEPOLARIZE2(p). One-qubit Cliffords: DEPOLARIZE1(p). Idle qubits:
    DEPOLARIZE1(p) in every layer. Resets flipped with probability p, measurement
    results flipped with probability p. Unlike `Depolarizing` (stim's generated
    circuits), qubits idle with noise and measurement and reset are separate layers
    (`Schedule.separate_measure_reset`); the gate set is CX-native.

    Examples:
        >>> SD6(p=0.001).spec()
        'sd6:p=0.001'
    """

    p: float

    name = "sd6"
    checks = {"p": check_depolarizing}

    def schedule(self) -> Schedule:
        return Schedule(separate_measure_reset=True)

    def after_gate(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> Iterable[Channel]:
        yield gate_noise(gate, reset=self.p, one_qubit=self.p, two_qubit=self.p)

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        return self.p

    def idle(
        self, qubits: Sequence[int], layer: Layer, circuit: AnnotatedCircuit
    ) -> Iterable[Channel]:
        yield Channel("DEPOLARIZE1", tuple(qubits), (self.p,))


@dataclasses.dataclass(frozen=True)
class Biased(NoiseModel):
    """Circuit-level Pauli noise of total strength p with bias eta = p_Z / (p_X + p_Y).

    Every fault is a Pauli error drawn from a biased distribution, at the places where
    `Depolarizing` puts noise (data before each round, after every gate and reset,
    before every measurement):

    - one qubit: p_Z = p * eta / (1 + eta), p_X = p_Y = p / (2 * (1 + eta));
    - two qubits: each of the 15 non-identity Paulis P1 (x) P2 gets a weight: 2 * eta
      if both P1, P2 are in {I, Z} (IZ, ZI, ZZ), else 1; probabilities are p times
      weight / total weight. Every Pauli made of I and Z is thus 2 * eta times as
      likely as each Pauli with an X or Y, exactly as in the one-qubit channel;
    - resets are followed by the one-qubit channel; a measurement result flips when the
      one-qubit channel before it anticommutes with the measured basis (probability
      p_X + p_Y for Z-basis, p_Y + p_Z for X-basis measurements).

    At eta = 0.5 every channel is depolarizing, and this is `Depolarizing(p)` except
    that measurements and resets flip with probability 2p/3 instead of p. At eta = inf
    every fault is a Z error. Gates are assumed bias-preserving (noise is applied after
    each ideal gate), as in Tuckett, Bartlett, Flammia, Brown, PRL 124, 130501 (2020)
    and Bonilla Ataides et al., Nat. Commun. 12, 2172 (2021).

    Examples:
        >>> Biased(p=0.003, eta=0.5).single_qubit_probabilities()
        (0.001, 0.001, 0.001)
        >>> Biased(p=0.001, eta=0)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: eta=0 is not allowed: expected a number > 0, at most 1e+300 \
(inf for pure Z noise)
    """

    p: float
    eta: float

    name = "biased"
    checks = {"p": check_probability, "eta": check_eta}

    def check_together(self) -> None:
        """Refuses p and eta whose channels round to a sum above 1 (p close to 1)."""
        self.check_derived(
            "the one-qubit channel p_X + p_Y + p_Z", ("p", "eta"), self.single_qubit_probabilities
        )
        self.check_derived("the two-qubit channel", ("p", "eta"), self.two_qubit_probabilities)

    def single_qubit_probabilities(self) -> tuple[float, float, float]:
        """(p_X, p_Y, p_Z)."""
        if math.isinf(self.eta):
            return (0.0, 0.0, self.p)
        low = self.p / (2 * (1 + self.eta))
        return (low, low, self.p * self.eta / (1 + self.eta))

    def two_qubit_probabilities(self) -> tuple[float, ...]:
        """The 15 probabilities in stim's PAULI_CHANNEL_2 order (IX, IY, IZ, XI, ..., ZZ)."""
        if math.isinf(self.eta):
            weights = [1.0 if set(pq) <= {"I", "Z"} else 0.0 for pq in PAULI_PAIRS]
        else:
            weights = [2 * self.eta if set(pq) <= {"I", "Z"} else 1.0 for pq in PAULI_PAIRS]
        total = sum(weights)
        return tuple(self.p * w / total for w in weights)

    def before_round(self, data_qubits: Sequence[int], round_index: int) -> Iterable[Channel]:
        yield Channel("PAULI_CHANNEL_1", tuple(data_qubits), self.single_qubit_probabilities())

    def after_gate(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> Iterable[Channel]:
        if gate.is_two_qubit:
            yield Channel("PAULI_CHANNEL_2", gate.targets, self.two_qubit_probabilities())
        else:
            yield Channel("PAULI_CHANNEL_1", gate.targets, self.single_qubit_probabilities())

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        p_x, p_y, p_z = self.single_qubit_probabilities()
        return p_y + (p_z if gate.basis == "X" else p_x)
