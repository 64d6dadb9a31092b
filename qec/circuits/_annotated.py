"""A noiseless circuit that knows its layers, its data and ancilla qubits and its rounds.

Noise models (`qec.noise`) read this annotation to decide where noise goes, so every
code family works with every noise model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import stim

RESETS = frozenset({"R", "RX"})
MEASUREMENTS = frozenset({"M", "MX"})
MEASURE_RESETS = frozenset({"MR", "MRX"})
ONE_QUBIT_GATES = frozenset({"H"})
TWO_QUBIT_GATES = frozenset({"CX", "CZ"})
KNOWN_GATES = RESETS | MEASUREMENTS | MEASURE_RESETS | ONE_QUBIT_GATES | TWO_QUBIT_GATES
#: The physical kinds a qubit can have: a cat qubit (a bosonic mode with two-photon
#: dissipation, biased noise) or a transmon (a two-level qubit, unbiased noise).
QUBIT_KINDS = ("cat", "transmon")


@dataclasses.dataclass(frozen=True)
class Gate:
    """One stim instruction without noise, e.g. `Gate("CX", (0, 1, 2, 3))`.

    Two-qubit gates list their targets as consecutive (control, target) pairs.
    """

    name: str
    targets: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.name not in KNOWN_GATES:
            raise ValueError(f"Gate name {self.name!r} is not one of {sorted(KNOWN_GATES)}")

    @property
    def is_reset(self) -> bool:
        return self.name in RESETS or self.name in MEASURE_RESETS

    @property
    def is_measurement(self) -> bool:
        return self.name in MEASUREMENTS or self.name in MEASURE_RESETS

    @property
    def is_two_qubit(self) -> bool:
        return self.name in TWO_QUBIT_GATES

    @property
    def basis(self) -> str:
        """'X' for X-basis resets and measurements, 'Z' for everything else."""
        return "X" if self.name.endswith("X") and self.name != "CX" else "Z"


@dataclasses.dataclass(frozen=True)
class Layer:
    """Gates that act at the same time, each qubit at most once.

    `round_index` is set on the first layer of each round of syndrome extraction
    (0, 1, ...), where "before each round" noise goes. `annotations` is stim text
    (DETECTOR, OBSERVABLE_INCLUDE, SHIFT_COORDS) appended after the layer's gates.
    """

    gates: tuple[Gate, ...]
    round_index: int | None = None
    annotations: str = ""

    @property
    def qubits(self) -> frozenset[int]:
        return frozenset(q for gate in self.gates for q in gate.targets)

    @property
    def has_measurement_or_reset(self) -> bool:
        return any(gate.is_measurement or gate.is_reset for gate in self.gates)


@dataclasses.dataclass(frozen=True)
class AnnotatedCircuit:
    """A noiseless memory-experiment circuit, layer by layer, with its qubit roles and,
    for mixed registers, the kind of each qubit (`QUBIT_KINDS`; empty: one kind, left to
    the noise model).

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> annotated = RepetitionCode(distance=3).memory_circuit(rounds=2, basis="Z")
        >>> sorted(annotated.data_qubits), sorted(annotated.ancilla_qubits)
        ([0, 2, 4], [1, 3])
        >>> annotated.to_stim().num_detectors
        6
        >>> hybrid = annotated.with_kinds(data="cat", ancillas="transmon")
        >>> hybrid.kind(0), hybrid.kind(1)
        ('cat', 'transmon')
    """

    qubit_coords: Mapping[int, tuple[float, float]]
    data_qubits: frozenset[int]
    ancilla_qubits: frozenset[int]
    layers: tuple[Layer, ...]
    rounds: int
    kinds: Mapping[int, str] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        for q, kind in self.kinds.items():
            if kind not in QUBIT_KINDS:
                raise ValueError(f"kind of qubit {q} is {kind!r}: expected one of {QUBIT_KINDS}")
        if self.kinds and set(self.kinds) != self.qubits:
            named, everyone = sorted(self.kinds), sorted(self.qubits)
            raise ValueError(f"kinds name qubits {named}: expected every qubit, {everyone}")

    @property
    def qubits(self) -> frozenset[int]:
        return self.data_qubits | self.ancilla_qubits

    def is_data_end(self, layer: Layer) -> bool:
        """Whether `layer` is the first (the data's preparation) or the last (their
        readout)."""
        return layer is self.layers[0] or layer is self.layers[-1]

    def kind(self, qubit: int) -> str | None:
        """The kind of `qubit` ('cat', 'transmon'), or None when kinds are not given."""
        return self.kinds.get(qubit)

    def with_kinds(self, *, data: str, ancillas: str) -> AnnotatedCircuit:
        """The same circuit with every data qubit of kind `data` and every ancilla of
        kind `ancillas` (e.g. cat data and transmon ancillas, as on AWS's Ocelot chip)."""
        kinds = {q: data for q in self.data_qubits} | {q: ancillas for q in self.ancilla_qubits}
        return dataclasses.replace(self, kinds=kinds)

    def coords_header(self) -> stim.Circuit:
        """QUBIT_COORDS instructions for every qubit."""
        header = stim.Circuit()
        for q in sorted(self.qubit_coords):
            header.append("QUBIT_COORDS", [q], list(self.qubit_coords[q]))
        return header

    def to_stim(self) -> stim.Circuit:
        """The circuit without any noise."""
        circuit = self.coords_header()
        for layer in self.layers:
            for gate in layer.gates:
                circuit.append(gate.name, gate.targets)
            circuit += stim.Circuit(layer.annotations)
            circuit.append("TICK")
        return circuit
