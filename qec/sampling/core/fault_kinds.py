"""Which kind of fault makes each error mechanism of a circuit's detector error model.

A fault kind is (operation, role[, qubit kind]): the operation whose imperfection the
noise models (`OPERATIONS`), the role of the qubits it hits (data or ancilla; both for
a two-qubit gate between a data qubit and an ancilla) and, when the caller says which
qubits are cats and which transmons, their kind. Both are read from the circuit's
structure alone, so any stim circuit works (stim's generated circuits as well as qec's):

- a two-qubit noise channel (DEPOLARIZE2, PAULI_CHANNEL_2, a correlated error on several
  qubits) is a two-qubit gate's;
- a measurement's own flip probability (`M(p)`), and a noise channel just before a
  measurement of its qubit in the same TICK, are the measurement's;
- another one-qubit channel is the operation's that it follows on that qubit within its
  TICK (the convention of stim's generated circuits and of `qec.noise`: a gate's, a
  reset's or a measurement's noise comes after it; a measure-reset counts as a reset);
- a one-qubit channel that follows no operation on its qubit in its TICK is idling
  noise: the qubit waits while others act, or waits before its own operation (as
  before-round noise does).

A qubit is an ancilla if it is measured before the circuit's final layer of
measurements (the last TICK that measures), or measured and reset together (MR, which
readies it for reuse); the others are data.

The mapping to mechanisms is stim's own: every noise instruction of a private copy of
the circuit is tagged with its kind (stim carries an instruction's tag to the errors it
causes, and keeps errors of different tags apart), the copy's detector error model is
built as `qec.noise.detector_error_model` builds the circuit's, and each mechanism of
the circuit's model (same targets, decomposition `^` included) takes from each kind the
share p_K / sum_K' p_K' of its probability, p_K being what the kind's errors with those
targets add up to. That covers the channels stim splits into independent parts
(`approximate_disjoint_errors`) and mechanisms that several instructions make. The
circuit itself is not changed (its tags would change every result's strong id).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import stim

from qec.circuits import QUBIT_KINDS
from qec.errors import QecError
from qec.noise import detector_error_model

#: The operations a fault can come from.
OPERATIONS = ("two_qubit_gate", "single_qubit_gate", "idle", "measurement", "reset")
#: The roles of the qubits a fault hits.
ROLES = ("data", "ancilla")
# Noise channels that produce measurement results (their heralds), yet are noise.
_HERALDED = frozenset({"HERALDED_ERASE", "HERALDED_PAULI_CHANNEL_1"})
# Correlated errors keep their chains whole (ELSE_CORRELATED_ERROR follows its E).
_CORRELATED = frozenset({"E", "CORRELATED_ERROR", "ELSE_CORRELATED_ERROR"})


@dataclasses.dataclass(frozen=True)
class FaultKind:
    """A kind of fault: its operation (`OPERATIONS`), the role of its qubits ('data',
    'ancilla', or 'data+ancilla' for a two-qubit gate between them) and their kind
    ('cat', 'transmon', 'cat+transmon'; None when not given).

    Examples:
        >>> kind = FaultKind("two_qubit_gate", "data+ancilla", "cat+transmon")
        >>> kind.name, FaultKind.from_name(kind.name) == kind
        ('two_qubit_gate/data+ancilla/cat+transmon', True)
        >>> FaultKind.from_name("idle/data")
        FaultKind(operation='idle', role='data', qubit_kind=None)
    """

    operation: str
    role: str
    qubit_kind: str | None = None

    @property
    def name(self) -> str:
        """'operation/role' or 'operation/role/qubit kind': the kind's stable key."""
        parts = (self.operation, self.role) + ((self.qubit_kind,) if self.qubit_kind else ())
        return "/".join(parts)

    @staticmethod
    def from_name(name: str) -> FaultKind:
        """The kind whose `name` this is."""
        operation, role, *rest = name.split("/")
        return FaultKind(operation, role, rest[0] if rest else None)

    def order(self) -> tuple[int, int, int]:
        """Its place in the canonical order: operations, then roles, then qubit kinds."""
        kinds = ("", *QUBIT_KINDS, "+".join(QUBIT_KINDS))
        roles = (*ROLES, "+".join(ROLES))
        return (
            OPERATIONS.index(self.operation),
            roles.index(self.role),
            kinds.index(self.qubit_kind or ""),
        )


@dataclasses.dataclass(frozen=True, eq=False)
class FaultKinds:
    """The fault kinds of a circuit's mechanisms, in `mechanisms(dem)` order.

    Attributes:
        kinds: the kinds present, in canonical order.
        shares: shares[i, k] is the share of mechanism i's probability that kind k
            makes; each row sums to 1.
        mean: E[n_K] per kind under the circuit's noise, sum_i p_i shares[i, K]: the
            mean number of faults of the kind a shot holds.

    Examples:
        >>> circuit = stim.Circuit('''
        ...     R 0 1
        ...     X_ERROR(0.01) 0
        ...     TICK
        ...     X_ERROR(0.01) 0 1
        ...     M 0 1
        ...     DETECTOR rec[-2]
        ...     OBSERVABLE_INCLUDE(0) rec[-1]
        ... ''')
        >>> found = fault_kinds(circuit)
        >>> [k.name for k in found.kinds]
        ['measurement/data', 'reset/data']
        >>> found.shares.round(3).tolist()  # qubit 0's flips: half reset, half readout
        [[0.5, 0.5], [1.0, 0.0]]
        >>> found.counts(np.array([[0, 1]])).round(3).tolist()
        [[1.5, 0.5]]
        >>> found.mean.round(4).tolist()  # 0.0198 / 2 + 0.01, and 0.0198 / 2
        [0.0199, 0.0099]
    """

    kinds: tuple[FaultKind, ...]
    shares: np.ndarray
    mean: np.ndarray

    @property
    def names(self) -> tuple[str, ...]:
        """The kinds' names, in order."""
        return tuple(kind.name for kind in self.kinds)

    def counts(self, fault_sets: np.ndarray) -> np.ndarray:
        """n_K of each fault set (a row of mechanism indices): the sum of its mechanisms'
        shares of each kind, shape (sets, kinds)."""
        found = np.empty((len(fault_sets), len(self.kinds)))
        for k in range(len(self.kinds)):  # a kind at a time: no (sets, faults, kinds) array
            found[:, k] = self.shares[:, k][fault_sets].sum(axis=1)
        return found


def fault_kinds(
    circuit: stim.Circuit, *, qubit_kinds: Mapping[int, str] | None = None
) -> FaultKinds:
    """The fault kind shares of every mechanism of `detector_error_model(circuit)` with a
    nonzero probability, in `mechanisms` order (the order `DecodingProblem` uses).

    The last few circuits' kinds are kept: a resumable run builds its estimator again
    for every chunk of work, and the kinds cost about what its `DecodingProblem` does.

    Args:
        circuit: a noisy stim circuit.
        qubit_kinds: the kind of every qubit the circuit uses ('cat' or 'transmon'),
            e.g. an `AnnotatedCircuit`'s `kinds`; None leaves kinds out.

    Examples:
        >>> circuit = stim.Circuit.generated("repetition_code:memory", distance=3,
        ...     rounds=2, after_clifford_depolarization=0.001,
        ...     before_measure_flip_probability=0.001)
        >>> found = fault_kinds(circuit)
        >>> [kind.name for kind in found.kinds]
        ['two_qubit_gate/data+ancilla', 'measurement/data', 'measurement/ancilla']
        >>> bool(np.allclose(found.shares.sum(axis=1), 1.0))
        True
    """
    if not isinstance(circuit, stim.Circuit):
        raise QecError.invalid("circuit", f"<{type(circuit).__name__}>", "a stim.Circuit")
    if qubit_kinds is None:
        return _fault_kinds(str(circuit), None)
    if not isinstance(qubit_kinds, Mapping):
        raise QecError.invalid(
            "qubit_kinds", f"<{type(qubit_kinds).__name__}>", "a mapping from qubit to kind"
        )
    wrong = {q: k for q, k in qubit_kinds.items() if k not in QUBIT_KINDS}
    if wrong:
        raise QecError.invalid("qubit_kinds", wrong, f"kinds among {QUBIT_KINDS}")
    return _fault_kinds(str(circuit), tuple(sorted(qubit_kinds.items())))


@functools.lru_cache(maxsize=4)
def _fault_kinds(text: str, named: tuple[tuple[int, str], ...] | None) -> FaultKinds:
    """`fault_kinds` of the circuit written `text`, with the qubit kinds `named`."""
    circuit = stim.Circuit(text)
    instructions = [
        instruction
        for instruction in circuit.flattened()
        if isinstance(instruction, stim.CircuitInstruction)
    ]
    roles = _roles(instructions)
    qubit_kinds = None if named is None else dict(named)
    if qubit_kinds is not None:
        missing = sorted(set(roles) - set(qubit_kinds))
        if missing:
            raise QecError.invalid(
                "qubit_kinds", qubit_kinds, f"a kind for every qubit (missing {missing})"
            )
    tagged = stim.Circuit()
    for instruction in _tagged(instructions, roles, qubit_kinds):
        tagged.append(instruction)
    parts: dict[str, dict[str, float]] = {}
    for tag, targets, p in _errors(detector_error_model(tagged)):
        by_kind = parts.setdefault(targets, {})
        by_kind[tag] = by_kind.get(tag, 0.0) + p
    tags = {tag for by_kind in parts.values() for tag in by_kind}
    kinds = sorted(map(FaultKind.from_name, tags), key=FaultKind.order)
    column = {kind.name: k for k, kind in enumerate(kinds)}
    rows: list[int] = []
    columns: list[int] = []
    weights: list[float] = []
    probabilities: list[float] = []
    for row, (_, targets, p) in enumerate(_errors(detector_error_model(circuit))):
        probabilities.append(p)
        made = parts.get(targets)
        if made is None:  # stim made the tagged copy's model differently: a bug to report
            raise QecError(f"no fault kind found for the mechanism {targets!r} of the circuit")
        rows.extend([row] * len(made))
        columns.extend(column[tag] for tag in made)
        weights.extend(made.values())
    shares = np.zeros((max(rows, default=-1) + 1, len(kinds)))
    np.add.at(shares, (np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64)), weights)
    shares /= shares.sum(axis=1, keepdims=True)
    shares.setflags(write=False)
    mean = np.array(probabilities) @ shares if probabilities else np.zeros(len(kinds))
    mean.setflags(write=False)
    return FaultKinds(kinds=tuple(kinds), shares=shares, mean=mean)


def _errors(dem: stim.DetectorErrorModel) -> Iterator[tuple[str, str, float]]:
    """(tag, targets, probability) of each `error` of nonzero probability, in `mechanisms`
    order; the targets as stim writes them (decomposition `^` included). Read from the
    model's text, which stim writes several times faster than it hands out targets."""
    for line in str(dem.flattened()).splitlines():
        if not line.startswith("error"):
            continue
        head, _, targets = line.partition(") ")
        tag, _, probability = head[len("error") :].partition("(")
        p = float(probability)
        if p != 0:
            yield tag.strip("[]"), targets, p


@functools.cache
def _gate(name: str) -> stim.GateData:
    return stim.gate_data(name)


def _qubits(instruction: stim.CircuitInstruction) -> list[int]:
    """The qubits an instruction acts on, in target order (none for MPAD, whose targets
    are bits; none for measurement-record and sweep targets)."""
    if instruction.name == "MPAD":
        return []
    return [t.qubit_value for t in instruction.targets_copy() if t.qubit_value is not None]


def _is_noise(instruction: stim.CircuitInstruction) -> bool:
    """Whether `instruction` is a noise channel (not an operation that may carry noise)."""
    gate = _gate(instruction.name)
    if instruction.name in _HERALDED:
        return True
    return gate.is_noisy_gate and not (gate.produces_measurements or gate.is_reset)


def _is_measurement(instruction: stim.CircuitInstruction) -> bool:
    return _gate(instruction.name).produces_measurements and instruction.name not in _HERALDED


def _operation(instruction: stim.CircuitInstruction) -> str | None:
    """The operation an instruction performs on its qubits, as noise after it sees it;
    None for annotations and noise."""
    gate = _gate(instruction.name)
    if _is_noise(instruction):
        return None
    if gate.is_reset:
        return "reset"
    if _is_measurement(instruction):
        return "measurement"
    if gate.is_two_qubit_gate:
        return "two_qubit_gate"
    if gate.is_unitary:
        return "single_qubit_gate"
    return None


def _ticks(
    instructions: Sequence[stim.CircuitInstruction],
) -> Iterator[list[stim.CircuitInstruction]]:
    """The instructions between TICKs (each TICK ends its segment)."""
    segment: list[stim.CircuitInstruction] = []
    for instruction in instructions:
        segment.append(instruction)
        if instruction.name == "TICK":
            yield segment
            segment = []
    yield segment


def _roles(instructions: Sequence[stim.CircuitInstruction]) -> dict[int, str]:
    """The role of every qubit the circuit acts on (see the module)."""
    first_measured: dict[int, int] = {}
    reused: set[int] = set()
    everyone: set[int] = set()
    last = -1
    for tick, segment in enumerate(_ticks(instructions)):
        for instruction in segment:
            qubits = _qubits(instruction)
            everyone.update(qubits)
            if _is_measurement(instruction) and qubits:
                last = tick
                for q in qubits:
                    first_measured.setdefault(q, tick)
                if _gate(instruction.name).is_reset:
                    reused.update(qubits)
    ancillas = {q for q, tick in first_measured.items() if tick < last} | reused
    return {q: "ancilla" if q in ancillas else "data" for q in everyone}


def _tagged(
    instructions: Sequence[stim.CircuitInstruction],
    roles: Mapping[int, str],
    qubit_kinds: Mapping[int, str] | None,
) -> Iterator[stim.CircuitInstruction]:
    """The instructions, each noise source split into runs of consecutive targets of one
    kind (which keeps measurement records in order), tagged with the kind's name."""

    names: dict[tuple[str, tuple[int, ...]], str] = {}  # the same few, asked for often

    def kind(operation: str, qubits: Sequence[int]) -> str:
        key = (operation, tuple(qubits))
        if key not in names:
            role = "+".join(r for r in ROLES if any(roles[q] == r for q in qubits))
            # A padded result (MPAD) comes from no qubit: a record, as an ancilla's is.
            found = FaultKind(operation, role or "ancilla")
            if qubit_kinds is not None and qubits:
                named = "+".join(k for k in QUBIT_KINDS if any(qubit_kinds[q] == k for q in qubits))
                found = dataclasses.replace(found, qubit_kind=named)
            names[key] = found.name
        return names[key]

    for segment in _ticks(instructions):
        operations = _operations(segment)
        for position, instruction in enumerate(segment):
            args = instruction.gate_args_copy()
            noisy = any(args) and (_is_noise(instruction) or _is_measurement(instruction))
            if not noisy:
                yield instruction
                continue
            targets = instruction.targets_copy()
            qubits = _qubits(instruction)
            if instruction.name in _CORRELATED or instruction.name == "MPP" or not qubits:
                groups = [(targets, qubits)]  # one kind for the whole instruction
            else:
                step = 2 if _gate(instruction.name).is_two_qubit_gate else 1
                groups = [
                    (targets[i : i + step], qubits[i : i + step])
                    for i in range(0, len(targets), step)
                ]
            runs: list[tuple[str, list[stim.GateTarget]]] = []
            for group_targets, group_qubits in groups:
                if _is_measurement(instruction):
                    name = kind("measurement", group_qubits)
                elif len(group_qubits) == 1:
                    q = group_qubits[0]
                    name = kind(_one_qubit_operation(operations.get(q, []), position), [q])
                else:
                    name = kind("two_qubit_gate", group_qubits)
                if runs and runs[-1][0] == name:
                    runs[-1][1].extend(group_targets)
                else:
                    runs.append((name, list(group_targets)))
            for name, run in runs:
                yield stim.CircuitInstruction(instruction.name, run, args, tag=name)


def _operations(
    segment: Sequence[stim.CircuitInstruction],
) -> dict[int, list[tuple[int, str, bool]]]:
    """Where each qubit's operations sit in a TICK's instructions: (position, the
    operation as noise after it sees it, whether it measures: what noise before it
    sees)."""
    found: dict[int, list[tuple[int, str, bool]]] = {}
    for position, instruction in enumerate(segment):
        operation = _operation(instruction)
        if operation is not None:
            measures = _is_measurement(instruction)
            for q in _qubits(instruction):
                found.setdefault(q, []).append((position, operation, measures))
    return found


def _one_qubit_operation(operations: Sequence[tuple[int, str, bool]], position: int) -> str:
    """The operation of one-qubit noise at `position` of its TICK, from its qubit's
    `operations` there (see the module)."""
    after = [measures for at, _, measures in operations if at > position]
    if after and after[0]:
        return "measurement"
    before = [operation for at, operation, _ in operations if at < position]
    return before[-1] if before else "idle"
