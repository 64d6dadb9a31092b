"""How a memory circuit is laid out in time: the gate set and the steps of a round.

Code families build one canonical circuit per experiment (stim's layout: CX gates, a
fused measure-and-reset `MR` closing each round, no waiting steps). A `Schedule`
rewrites its layers into the timing a hardware model assumes:

- `separate_measure_reset`: each `MR`/`MRX` becomes a measurement tick followed by a
  reset tick, so qubits that wait see both (Gidney, Newman, Fowler, Broughton,
  arXiv:2108.10457, the circuits of the SI1000 and SD6 models). A reset that no later
  operation needs (after the last round) is dropped.
- `cz_native`: every CX(c, t) becomes H(t) CZ(c, t) H(t); Hadamards that meet on the
  same qubit in neighbouring layers cancel, and the rest merge into shared layers, as
  a compiler for a CZ-native device would leave them (the SI1000 gate set).
- `x_basis_by_hadamard_on`: qubits of this kind (a transmon) have no native X-basis
  preparation or readout, so `RX` becomes R then H and `MX` becomes H then M (Putterman
  et al., Nature 638, 927 (2025): Ocelot's transmon ancillas of the phase-flip
  repetition code). With `separate_measure_reset` off, `MRX` becomes H, MR, H.
- `kinds`: (data kind, ancilla kind) for a circuit that does not name its qubits'
  kinds, e.g. ("cat", "transmon") for a hybrid device; a circuit that does keeps them.
- `idle_between_two_qubit_layers`: a step in which every qubit waits, between
  consecutive two-qubit layers (the cat-qubit round of Le Régent et al., Quantum 7, 1198
  (2023): prepare, CX, idle, CX, measure; the wait lets the cats reconverge).

Noise models act on the rewritten layers, so a waiting qubit gets idle noise for every
step that it sits out. The logical content (detectors, observables) never changes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from qec.circuits._annotated import AnnotatedCircuit, Gate, Layer
from qec.circuits._memory import gates_by_name

_SPLIT = {"MR": ("M", "R"), "MRX": ("MX", "RX")}


@dataclasses.dataclass(frozen=True)
class Schedule:
    """A rewrite of a memory circuit's layers into a hardware's timing (module docstring).

    The default schedule changes nothing: it is stim's generated layout.

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> circuit = RepetitionCode(distance=3).memory_circuit(rounds=2, basis="X")
        >>> def steps(c): return [" ".join(g.name for g in layer.gates) or "wait"
        ...                       for layer in c.layers]
        >>> steps(circuit)
        ['RX', 'CX', 'CX', 'MRX', 'CX', 'CX', 'MRX', 'MX']
        >>> steps(Schedule(separate_measure_reset=True,
        ...                idle_between_two_qubit_layers=True).apply(circuit))
        ['RX', 'CX', 'wait', 'CX', 'MX', 'RX', 'CX', 'wait', 'CX', 'MX', 'MX']
        >>> Schedule(cz_native=True).apply(circuit).to_stim() == circuit.to_stim()
        False
    """

    separate_measure_reset: bool = False
    cz_native: bool = False
    idle_between_two_qubit_layers: bool = False
    x_basis_by_hadamard_on: str | None = None
    kinds: tuple[str, str] | None = None

    def apply(self, circuit: AnnotatedCircuit) -> AnnotatedCircuit:
        """`circuit` with its layers rewritten; the same detectors and observables."""
        if self.kinds is not None and not circuit.kinds:
            circuit = circuit.with_kinds(data=self.kinds[0], ancillas=self.kinds[1])
        layers = list(circuit.layers)
        if self.separate_measure_reset:
            layers = list(_split_measure_reset(layers))
        if self.x_basis_by_hadamard_on is not None:
            kind = self.x_basis_by_hadamard_on
            chosen = frozenset(q for q in circuit.qubits if circuit.kind(q) == kind)
            layers = list(_x_basis_by_hadamard(layers, chosen))
        if self.idle_between_two_qubit_layers:
            layers = list(_wait_between_two_qubit_layers(layers))
        if self.cz_native:
            layers = _merge_hadamards(list(_compile_cz(layers)))
        return dataclasses.replace(circuit, layers=tuple(layers))


def _last_uses(layers: list[Layer]) -> dict[int, int]:
    """The index of the last layer that acts on each qubit."""
    return {q: i for i, layer in enumerate(layers) for q in layer.qubits}


def _split_measure_reset(layers: list[Layer]) -> Iterator[Layer]:
    last_use = _last_uses(layers)
    for i, layer in enumerate(layers):
        if not any(gate.name in _SPLIT for gate in layer.gates):
            yield layer
            continue
        used_later = frozenset(q for q in layer.qubits if last_use[q] > i)
        measurements = tuple(
            Gate(_SPLIT[gate.name][0], gate.targets) if gate.name in _SPLIT else gate
            for gate in layer.gates
        )
        yield dataclasses.replace(layer, gates=measurements)
        resets = tuple(
            Gate(_SPLIT[gate.name][1], kept)
            for gate in layer.gates
            if gate.name in _SPLIT
            if (kept := tuple(q for q in gate.targets if q in used_later))
        )
        if resets:
            yield Layer(gates=resets)


_Z_BASIS_OF = {"RX": "R", "MX": "M", "MRX": "MR"}


def _x_basis_by_hadamard(layers: list[Layer], qubits: frozenset[int]) -> Iterator[Layer]:
    """X-basis preparations and readouts of `qubits` in the Z basis with Hadamards (none
    after a reset that no later operation needs)."""
    last_use = _last_uses(layers)
    for i, layer in enumerate(layers):
        before: list[int] = []
        after: list[int] = []
        gates: list[Gate] = []
        for gate in layer.gates:
            chosen = tuple(q for q in gate.targets if q in qubits)
            if gate.name not in _Z_BASIS_OF or not chosen:
                gates.append(gate)
                continue
            rest = tuple(q for q in gate.targets if q not in qubits)
            if rest:
                gates.append(Gate(gate.name, rest))
            gates.append(Gate(_Z_BASIS_OF[gate.name], chosen))
            if gate.is_measurement:
                before.extend(chosen)
            if gate.is_reset:
                after.extend(q for q in chosen if last_use[q] > i)
        if not before and not after:
            yield layer
            continue
        if before:
            yield Layer(gates=(Gate("H", tuple(before)),), round_index=layer.round_index)
            layer = dataclasses.replace(layer, round_index=None)
        yield dataclasses.replace(
            layer, gates=gates_by_name(*((g.name, list(g.targets)) for g in gates))
        )
        if after:
            yield Layer(gates=(Gate("H", tuple(after)),))


def _wait_between_two_qubit_layers(layers: list[Layer]) -> Iterator[Layer]:
    for layer, following in zip(layers, [*layers[1:], None], strict=True):
        yield layer
        if following is not None and _is_two_qubit_layer(layer) and _is_two_qubit_layer(following):
            yield Layer(gates=())


def _is_two_qubit_layer(layer: Layer) -> bool:
    return any(gate.is_two_qubit for gate in layer.gates)


def _compile_cz(layers: Iterable[Layer]) -> Iterator[Layer]:
    for layer in layers:
        cx_targets = tuple(
            t for gate in layer.gates if gate.name == "CX" for t in gate.targets[1::2]
        )
        if not cx_targets:
            yield layer
            continue
        pairs = tuple(q for gate in layer.gates if gate.is_two_qubit for q in gate.targets)
        others = tuple(gate for gate in layer.gates if not gate.is_two_qubit)
        yield Layer(gates=(Gate("H", cx_targets),), round_index=layer.round_index)
        yield Layer(gates=(Gate("CZ", pairs), *others), annotations=layer.annotations)
        yield Layer(gates=(Gate("H", cx_targets),))


def _merge_hadamards(layers: list[Layer]) -> list[Layer]:
    """Merges neighbouring layers of Hadamards only (H H = I on a shared qubit); a merge
    that cancels every Hadamard leaves no layer, and its round mark passes on."""
    merged: list[Layer] = []
    pending_round: int | None = None
    for layer in layers:
        if pending_round is not None:
            layer = dataclasses.replace(layer, round_index=pending_round)
            pending_round = None
        previous = merged[-1] if merged else None
        if (
            previous is None
            or not (_only_hadamards(previous) and _only_hadamards(layer))
            or previous.annotations
            or layer.round_index is not None
        ):
            merged.append(layer)
            continue
        merged.pop()
        targets = tuple(sorted(previous.qubits ^ layer.qubits))
        if targets:
            merged.append(
                Layer(
                    gates=(Gate("H", targets),),
                    round_index=previous.round_index,
                    annotations=layer.annotations,
                )
            )
        else:
            pending_round = previous.round_index
    return merged


def _only_hadamards(layer: Layer) -> bool:
    return bool(layer.gates) and all(gate.name == "H" for gate in layer.gates)
