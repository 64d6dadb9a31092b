"""Memory-experiment circuits for stabilizer codes given in a CSS frame.

A code is described by its layout: data qubits, checks (each an ancilla, a CSS type and
one data qubit per two-qubit-gate layer) and the supports of its logical operators, one
observable per logical qubit. A
data qubit in `hadamard_frame` has X and Z exchanged, which turns the rotated CSS
surface code into the XZZX code without another builder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Literal, cast

from qec.circuits._annotated import AnnotatedCircuit, Gate, Layer
from qec.errors import check_choice, check_int

Basis = Literal["X", "Z"]
AncillaStyle = Literal["hadamard", "native"]


@dataclasses.dataclass(frozen=True)
class Check:
    """A stabilizer measured through `ancilla`; `legs[i]` is the data qubit touched in
    two-qubit layer i (None: the ancilla waits)."""

    ancilla: int
    css_type: Basis
    legs: tuple[int | None, ...]

    @property
    def support(self) -> tuple[int, ...]:
        return tuple(q for q in self.legs if q is not None)


@dataclasses.dataclass(frozen=True)
class CodeLayout:
    """Qubits, checks and logical supports of a code, in its CSS frame: for each basis,
    one support per logical qubit (the memory in that basis observes each)."""

    qubit_coords: Mapping[int, tuple[float, float]]
    data: tuple[int, ...]
    checks: tuple[Check, ...]
    logical_support: Mapping[str, tuple[tuple[int, ...], ...]]
    hadamard_frame: frozenset[int] = frozenset()


def validate_memory_args(rounds: int, basis: str) -> None:
    """Raises QecError unless rounds >= 1 and basis is 'X' or 'Z'.

    Examples:
        >>> validate_memory_args(3, "Z")
        >>> validate_memory_args(3, "Y")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: basis='Y' is not allowed: expected one of 'X', 'Z'
    """
    check_int("rounds", rounds, minimum=1)
    check_choice("basis", basis, ("X", "Z"))


def _swap(basis: str) -> Basis:
    return "Z" if basis == "X" else "X"


def memory_circuit(
    layout: CodeLayout,
    *,
    rounds: int,
    basis: str,
    z_checks_onto_ancilla: bool,
    ancilla_style: AncillaStyle,
) -> AnnotatedCircuit:
    """Builds the layers of a memory experiment preserving the `basis` logical.

    Checks whose CSS type is `basis` give detectors from the first round on; all checks
    give detectors from the second round on; the final data measurement closes the
    `basis` checks and gives the observable.

    `z_checks_onto_ancilla`: Z checks use CX(data -> ancilla) onto a |0> ancilla (as in
    stim's generated circuits); otherwise every check uses a |+> ancilla as control of
    CX (X legs) or CZ (Z legs). `ancilla_style`: how control ancillas reach the X basis:
    'hadamard' (R, H ... H, MR) or 'native' (RX ... MRX, as cat qubits do).
    """
    validate_memory_args(rounds, basis)
    kept = cast(Basis, basis)  # 'X' or 'Z': validated
    frame = layout.hadamard_frame

    def data_basis(q: int) -> Basis:
        return _swap(kept) if q in frame else kept

    def leg_pauli(check: Check, q: int) -> Basis:
        return _swap(check.css_type) if q in frame else check.css_type

    def onto(check: Check) -> bool:
        return z_checks_onto_ancilla and check.css_type == "Z"

    controls = [c.ancilla for c in layout.checks if not onto(c)]
    native = ancilla_style == "native"
    num_legs = max(len(c.legs) for c in layout.checks)

    measurement_count = 0
    last_result: dict[int, int] = {}

    def record(qubits: list[int]) -> None:
        nonlocal measurement_count
        for q in qubits:
            last_result[q] = measurement_count
            measurement_count += 1

    def rec(q: int) -> str:
        return f"rec[{last_result[q] - measurement_count}]"

    def coords(q: int, t: int) -> str:
        x, y = layout.qubit_coords[q]
        return f"({x:g}, {y:g}, {t})"

    ancillas = [c.ancilla for c in layout.checks]
    layers: list[Layer] = [
        Layer(
            gates=gates_by_name(
                ("R", [q for q in layout.data if data_basis(q) == "Z"]),
                ("RX", [q for q in layout.data if data_basis(q) == "X"]),
                ("R", [q for q in ancillas if not (native and q in controls)]),
                ("RX", [q for q in ancillas if native and q in controls]),
            )
        )
    ]
    for r in range(rounds):
        round_layers: list[tuple[Gate, ...]] = []
        if controls and not native:
            round_layers.append(gates_by_name(("H", controls)))
        for i in range(num_legs):
            cx: list[int] = []
            cz: list[int] = []
            for check in layout.checks:
                q = check.legs[i] if i < len(check.legs) else None
                if q is None:
                    continue
                if onto(check):
                    cx += [q, check.ancilla]
                elif leg_pauli(check, q) == "X":
                    cx += [check.ancilla, q]
                else:
                    cz += [check.ancilla, q]
            round_layers.append(gates_by_name(("CX", cx), ("CZ", cz)))
        if controls and not native:
            round_layers.append(gates_by_name(("H", controls)))
        measured_z = [q for q in ancillas if not (native and q in controls)]
        measured_x = [q for q in ancillas if native and q in controls]
        round_layers.append(gates_by_name(("MR", measured_z), ("MRX", measured_x)))

        previous = dict(last_result)
        record(measured_z + measured_x)
        detectors = []
        for check in layout.checks:
            a = check.ancilla
            if r == 0:
                if check.css_type == basis:
                    detectors.append(f"DETECTOR{coords(a, r)} {rec(a)}")
            else:
                prev = f"rec[{previous[a] - measurement_count}]"
                detectors.append(f"DETECTOR{coords(a, r)} {rec(a)} {prev}")
        for j, gates in enumerate(round_layers):
            layers.append(
                Layer(
                    gates=gates,
                    round_index=r if j == 0 else None,
                    annotations="\n".join(detectors) if j == len(round_layers) - 1 else "",
                )
            )

    previous = dict(last_result)
    final_z = [q for q in layout.data if data_basis(q) == "Z"]
    final_x = [q for q in layout.data if data_basis(q) == "X"]
    record(final_z + final_x)
    closing = []
    for check in layout.checks:
        if check.css_type != basis:
            continue
        a = check.ancilla
        targets = " ".join(rec(q) for q in check.support)
        prev = f"rec[{previous[a] - measurement_count}]"
        closing.append(f"DETECTOR{coords(a, rounds)} {targets} {prev}")
    for index, support in enumerate(layout.logical_support[basis]):
        closing.append(f"OBSERVABLE_INCLUDE({index}) " + " ".join(rec(q) for q in support))
    layers.append(
        Layer(gates=gates_by_name(("M", final_z), ("MX", final_x)), annotations="\n".join(closing))
    )
    return AnnotatedCircuit(
        qubit_coords=dict(layout.qubit_coords),
        data_qubits=frozenset(layout.data),
        ancilla_qubits=frozenset(ancillas),
        layers=tuple(layers),
        rounds=rounds,
    )


def gates_by_name(*named: tuple[str, list[int]]) -> tuple[Gate, ...]:
    """Gates for the non-empty target lists, merging repeated names."""
    merged: dict[str, list[int]] = {}
    for name, targets in named:
        if targets:
            merged.setdefault(name, []).extend(targets)
    return tuple(Gate(name, tuple(targets)) for name, targets in merged.items())
