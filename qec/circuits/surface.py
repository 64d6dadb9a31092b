"""Rotated surface codes: the CSS code and its XZZX variant, square or rectangular."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from qec.circuits._annotated import AnnotatedCircuit
from qec.circuits._memory import AncillaStyle, Basis, Check, CodeLayout, memory_circuit
from qec.errors import QecError, check_int

# Order in which an ancilla at (x, y) visits its data qubits, one step per CX layer.
# These are the orders of stim's `surface_code:rotated_memory_*` circuits: they turn
# hook errors perpendicular to the logical operator they could shorten.
_X_CHECK_ORDER = ((1, 1), (-1, 1), (1, -1), (-1, -1))
_Z_CHECK_ORDER = ((1, 1), (1, -1), (-1, 1), (-1, -1))


def _resolve_distances(
    distance: int | None, dx: int | None, dz: int | None
) -> tuple[int, int, int]:
    if distance is None and dx is None and dz is None:
        raise QecError.invalid("distance", None, "distance, or both dx and dz")
    if dx is None and dz is None:
        check_int("distance", distance, minimum=3, odd=True)
        assert distance is not None
        return distance, distance, distance
    if dx is None or dz is None:
        raise QecError.invalid("dx" if dx is None else "dz", None, "both dx and dz, or distance")
    check_int("dx", dx, minimum=3, odd=True)
    check_int("dz", dz, minimum=3, odd=True)
    if distance is not None and distance != min(dx, dz):
        raise QecError.invalid("distance", distance, f"min(dx, dz) = {min(dx, dz)} or nothing")
    return min(dx, dz), dx, dz


def rotated_layout(dx: int, dz: int) -> CodeLayout:
    """The rotated surface code with `dz` data columns and `dx` data rows.

    Data sit at odd (x, y); checks at even (x, y), X type where (x + y) / 2 is odd.
    Weight-two X checks lie on the top and bottom edges, Z checks on the left and
    right edges. The Z logical is the first row (length dz), the X logical the first
    column (length dx).
    """
    width, height = dz, dx
    data_coords = [(2 * i + 1, 2 * j + 1) for j in range(height) for i in range(width)]
    check_coords: list[tuple[int, int, Basis]] = []
    for j in range(height + 1):
        for i in range(width + 1):
            css_type: Basis = "X" if (i + j) % 2 == 1 else "Z"
            interior = 1 <= i <= width - 1 and 1 <= j <= height - 1
            top_bottom = j in (0, height) and 1 <= i <= width - 1 and css_type == "X"
            left_right = i in (0, width) and 1 <= j <= height - 1 and css_type == "Z"
            if interior or top_bottom or left_right:
                check_coords.append((2 * i, 2 * j, css_type))
    all_coords = sorted(data_coords + [(x, y) for x, y, _ in check_coords], key=lambda c: c[::-1])
    index = {c: k for k, c in enumerate(all_coords)}
    checks = []
    for x, y, css_type in check_coords:
        order = _X_CHECK_ORDER if css_type == "X" else _Z_CHECK_ORDER
        legs = tuple(index.get((x + ox, y + oy)) for ox, oy in order)
        checks.append(Check(index[(x, y)], css_type, legs))
    return CodeLayout(
        qubit_coords={k: (float(x), float(y)) for (x, y), k in index.items()},
        data=tuple(index[c] for c in data_coords),
        checks=tuple(checks),
        logical_support={
            "Z": (tuple(index[(2 * i + 1, 1)] for i in range(width)),),
            "X": (tuple(index[(1, 2 * j + 1)] for j in range(height)),),
        },
    )


@dataclasses.dataclass(frozen=True)
class RotatedSurfaceCode:
    """The rotated CSS surface code; `dx` and `dz` are the distances against X and Z errors.

    Give `distance` for a square code or `dx` and `dz` for a rectangular one (a long dz
    protects better against Z-biased noise). Its circuits follow stim's
    `surface_code:rotated_memory_x/z` gate by gate.

    Examples:
        >>> RotatedSurfaceCode(distance=3)
        RotatedSurfaceCode(distance=3, dx=3, dz=3)
        >>> RotatedSurfaceCode(dx=3, dz=7).num_qubits
        41
    """

    distance: int | None = None
    dx: int | None = None
    dz: int | None = None

    name = "rotated_surface"
    # How the checks are measured (see qec.circuits._memory.memory_circuit).
    z_checks_onto_ancilla: ClassVar[bool] = True
    ancilla_style: ClassVar[AncillaStyle] = "hadamard"

    def __post_init__(self) -> None:
        distance, dx, dz = _resolve_distances(self.distance, self.dx, self.dz)
        object.__setattr__(self, "distance", distance)
        object.__setattr__(self, "dx", dx)
        object.__setattr__(self, "dz", dz)

    @property
    def num_qubits(self) -> int:
        """Data plus ancilla qubits: 2 * dx * dz - 1."""
        return 2 * self.num_data_qubits - 1

    @property
    def num_data_qubits(self) -> int:
        """dx * dz."""
        assert self.dx is not None and self.dz is not None
        return self.dx * self.dz

    def params(self) -> dict[str, Any]:
        """The parameters that identify the code, for results metadata."""
        return {"distance": self.distance, "dx": self.dx, "dz": self.dz}

    def layout(self) -> CodeLayout:
        assert self.dx is not None and self.dz is not None
        return rotated_layout(self.dx, self.dz)

    def memory_circuit(self, *, rounds: int, basis: str) -> AnnotatedCircuit:
        """The noiseless memory experiment with `rounds` rounds of syndrome extraction."""
        return memory_circuit(
            self.layout(),
            rounds=rounds,
            basis=basis,
            z_checks_onto_ancilla=self.z_checks_onto_ancilla,
            ancilla_style=self.ancilla_style,
        )


@dataclasses.dataclass(frozen=True)
class XZZXSurfaceCode(RotatedSurfaceCode):
    """The XZZX surface code (Bonilla Ataides et al., Nat. Commun. 12, 2172 (2021)).

    Every check measures X on one diagonal pair of its data qubits and Z on the other.
    It is the rotated code with X and Z exchanged on every other data qubit; `dx`, `dz`
    keep the meaning they have in that CSS parent (rows and columns of data). Each
    ancilla is prepared in |+> and controls CX (X legs) or CZ (Z legs). Under pure Z
    noise the code acts as repetition codes along its diagonals.

    Examples:
        >>> code = XZZXSurfaceCode(dx=3, dz=5)
        >>> circuit = code.memory_circuit(rounds=2, basis="Z").to_stim()
        >>> circuit.num_detectors, circuit.num_observables
        (26, 1)
    """

    name = "xzzx_surface"
    z_checks_onto_ancilla = False

    def layout(self) -> CodeLayout:
        layout = super().layout()
        frame = frozenset(
            q
            for q in layout.data
            if (round(layout.qubit_coords[q][0]) // 2 + round(layout.qubit_coords[q][1]) // 2) % 2
        )
        return dataclasses.replace(layout, hadamard_frame=frame)


@dataclasses.dataclass(frozen=True)
class CatSurfaceCode(RotatedSurfaceCode):
    """The rotated CSS surface code built from cat qubits: only preparations and
    measurements in X or Z and CX gates, the operations that keep a cat qubit's bias.

    X checks prepare their ancilla in |+> (RX), control CX onto the data and measure in
    X (MRX); Z checks collect CX from the data onto a |0> ancilla and measure in Z, as in
    the thin surface code of cat qubits of Chamberland et al., PRX Quantum 3, 010329
    (2022). Under Z-biased noise a long `dz` against phase flips and a short `dx` against
    the rare bit flips make it thin.

    Examples:
        >>> from qec.noise import Cat
        >>> code = CatSurfaceCode(dx=3, dz=7)
        >>> circuit = Cat(nbar=10).noisy_circuit(code.memory_circuit(rounds=3, basis="X"))
        >>> circuit.num_observables, "H" in str(circuit).split()
        (1, False)
    """

    name = "cat_surface"
    ancilla_style = "native"
