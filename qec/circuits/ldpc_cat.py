"""LDPC-cat codes: cat qubits in a classical LDPC code of weight-4 checks against phase
flips, laid out in 2D (a cellular-automaton code).

Source: D. Ruiz, J. Guillaud, A. Leverrier, M. Mirrahimi, C. Vuillot, "LDPC-cat codes
for low-overhead quantum computing in 2D", Nat. Commun. 16, 1040 (2025),
arXiv:2401.09541 [R25], and the authors' code, github.com/DiegoRuiz-Git/LDPCat [R25
code]: the codes of its Figure S2 (c) (`Figure S2/Figure S2 c/optimized code/Circuit
level parity check matrix/FractalCode.py`), the same codes with open boundaries behind
its headline [165 + 8 l, 34 + 2 l, 22] code (`OpenLdpcCatCode`), and the simpler T-shape
codes of its Figure 5 and Figure S2 (a, b) (`TShapeCode`, same round, one free row).

**The code.** Data cats sit on a grid of `height` rows and `WIDTH` = 17 columns,
periodic along the rows, as in the authors' simulations (their column indices are taken
mod L). Each data qubit (r, j) of the rows r >= 2 closes one X check with three data
qubits of the two rows above it, in columns j - 1 .. j + 1, picked by the 2 x 3 stencil
of its row (`OPTIMIZED_STENCILS`, the shapes R25's Table II found by SAT to maximise the
distance). Row r is then a function of rows r - 2 and r - 1 (a cellular automaton), so
the first two rows are free: k = 2 x 17 = 34 logical qubits, n = 17 height data cats,
17 (height - 2) ancilla cats. The X checks detect phase flips; a cat's bit flips are left
to the cat itself. Logical qubit i's X operator is X on the i-th data qubit of the first
two rows, its Z operator Z on the codeword grown from that one bit: a phase-flip memory
(basis X) observes all 34 X operators, a bit-flip memory (basis Z, no check protects it)
all 34 Z operators, and a shot fails when any flips.

**The round** (R25 code, `FractalCode.CreateCircuit`): each ancilla is prepared in |+>,
controls four CX onto its data qubits (first the qubit (r, j) it closes, then its
stencil's qubits row by row, left to right), and is measured in X. The cat noise models
add the cooldown between CX layers (`Cat.schedule`), as R25's circuit does.

Distances (R25 code, `main.py`, with width 17): height 4, 5, 6, 7, 8 give d = 5, 9, 12,
16, 22: [68, 34, 5] ... [136, 34, 22] codes.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar

from qec.circuits._annotated import AnnotatedCircuit
from qec.circuits._memory import Check, CodeLayout, memory_circuit
from qec.errors import QecError

#: Columns of the grid: the authors' simulated blocks (R25 code, `main.py`, L = 17).
WIDTH = 17

#: The 2 x 3 stencil of each check row (rows r - 2 and r - 1, columns j - 1 .. j + 1),
#: by grid height: R25 code, `FractalCode.Stabilizer` (Figure S2 (c)).
OPTIMIZED_STENCILS: dict[int, tuple[tuple[str, str], ...]] = {
    4: (("011", "001"), ("100", "011")),
    5: (("101", "100"), ("101", "100"), ("001", "101")),
    6: (("101", "001"), ("101", "001"), ("100", "101"), ("000", "111")),
    7: (("101", "010"), ("101", "001"), ("001", "101"), ("010", "101"), ("000", "111")),
    8: (
        ("111", "000"),
        ("111", "000"),
        ("101", "100"),
        ("101", "100"),
        ("001", "101"),
        ("100", "101"),
    ),
}

#: Code distance by grid height at width 17 (R25 code, `main.py`).
DISTANCE_BY_HEIGHT = {4: 5, 5: 9, 6: 12, 7: 16, 8: 22}
HEIGHT_BY_DISTANCE = {d: h for h, d in DISTANCE_BY_HEIGHT.items()}


def _grown_codeword(seed: int, checks: list[Check]) -> tuple[int, ...]:
    """The codeword whose free rows are one at `seed` only: each check, in the order of
    the rows they close, sets the qubit it closes to the parity of the other three."""
    word = {seed}
    for check in checks:
        closed, *above = check.support
        if sum(q in word for q in above) % 2:
            word.add(closed)
    return tuple(sorted(word))


def stencil_legs(stencil: tuple[str, str]) -> tuple[tuple[int, int], ...]:
    """The (row, column) offsets a check visits in CX order, from the qubit it closes:
    that qubit first, then the stencil's ones row by row, left to right.

    Examples:
        >>> stencil_legs(("011", "001"))
        ((0, 0), (-2, 0), (-2, 1), (-1, 1))
    """
    ones = [
        (a - 2, b - 1) for a, row in enumerate(stencil) for b, bit in enumerate(row) if bit == "1"
    ]
    return ((0, 0), *ones)


def optimized_legs(height: int) -> list[tuple[tuple[int, int], ...]]:
    """The legs of each check row of the LDPC-cat code of `height` rows, in CX order."""
    return [stencil_legs(stencil) for stencil in OPTIMIZED_STENCILS[height]]


def row_spans(
    height: int,
    width: int,
    legs_by_row: list[tuple[tuple[int, int], ...]],
    *,
    periodic: bool = False,
) -> list[tuple[int, int]]:
    """The columns (first, last) of each row of an automaton code whose free rows hold
    `width` bits: every row `width` wide when `periodic`; with open boundaries a row
    reaches as far as any codeword grown from those bits can spread, one column per leg
    that looks sideways (R25, Figure S1: the rows widen below the free ones).

    Examples:
        >>> spans = row_spans(4, 17, optimized_legs(4))
        >>> spans, sum(last - first + 1 for first, last in spans)
        ([(0, 16), (0, 16), (-1, 16), (-2, 17)], 72)
    """
    if periodic:
        return [(0, width - 1)] * height
    free = height - len(legs_by_row)
    spans = [(0, width - 1)] * free
    for r, legs in enumerate(legs_by_row, start=free):
        above = [(dr, dc) for dr, dc in legs if dr < 0]
        first = min(spans[r + dr][0] - dc for dr, dc in above)
        last = max(spans[r + dr][1] - dc for dr, dc in above)
        spans.append((first, last))
    return spans


def automaton_layout(
    height: int,
    width: int,
    legs_by_row: list[tuple[tuple[int, int], ...]],
    *,
    periodic: bool = True,
) -> CodeLayout:
    """The layout of a cellular-automaton code: check row i (closing grid row i + free,
    where free rows are those above the first check row) visits `legs_by_row[i]`,
    (row, column) offsets from the qubit it closes, in CX order. `periodic`: `height` x
    `width` data qubits, the rows wrapping around; else open boundaries, the free rows
    `width` wide and the others as wide as `row_spans` (a leg off the grid is left out,
    its ancilla waiting in that CX layer). Data (r, j) sits at (2j, 2r), numbered row by
    row; the ancilla closing it at (2j + 1, 2r - 1). Logical qubit i is free bit i: X on
    it, Z on the codeword grown from it."""
    free = height - len(legs_by_row)
    spans = row_spans(height, width, legs_by_row, periodic=periodic)
    index: dict[tuple[int, int], int] = {}
    for r, (first, last) in enumerate(spans):
        for j in range(first, last + 1):
            index[(r, j)] = len(index)

    def data(r: int, j: int) -> int | None:
        return index.get((r, j % width if periodic else j))

    coords = {q: (2.0 * j, 2.0 * r) for (r, j), q in index.items()}
    checks = []
    for r, legs in enumerate(legs_by_row, start=free):
        for j in range(spans[r][0], spans[r][1] + 1):
            ancilla = len(coords)
            coords[ancilla] = (2.0 * j + 1, 2.0 * r - 1)
            checks.append(Check(ancilla, "X", tuple(data(r + dr, j + dc) for dr, dc in legs)))
    free_bits = [q for (r, _), q in index.items() if r < free]
    return CodeLayout(
        qubit_coords=coords,
        data=tuple(range(len(index))),
        checks=tuple(checks),
        logical_support={
            "X": tuple((q,) for q in free_bits),
            "Z": tuple(_grown_codeword(q, checks) for q in free_bits),
        },
    )


@dataclasses.dataclass(frozen=True)
class _AutomatonCode(abc.ABC):
    """What R25's cellular-automaton codes share: a `distance` from the family's table,
    the legs of each check row (`legs`), free rows of `free_columns` data qubits and one
    ancilla per data qubit below them, on rows that wrap around unless `periodic` is off
    (`row_spans`)."""

    distance: int

    family: ClassVar[str]
    width: ClassVar[int]
    heights: ClassVar[Mapping[int, int]]  # distance -> rows
    periodic: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if isinstance(self.distance, bool) or self.distance not in self.heights:
            known = ", ".join(str(d) for d in self.heights)
            raise QecError.invalid(
                "distance",
                self.distance,
                f"one of {known} (the {self.family} of Ruiz et al. 2025, {self.width} columns "
                "wide)",
            )

    @property
    def height(self) -> int:
        """Rows of data qubits."""
        return self.heights[self.distance]

    @property
    def free_columns(self) -> int:
        """Data qubits in each free row."""
        return self.width

    @property
    def num_data_qubits(self) -> int:
        spans = row_spans(self.height, self.free_columns, self.legs(), periodic=self.periodic)
        return sum(last - first + 1 for first, last in spans)

    @property
    def num_qubits(self) -> int:
        """Data plus ancilla cats: one ancilla per data qubit below the free rows."""
        return 2 * self.num_data_qubits - self.num_logical_qubits

    @property
    def num_logical_qubits(self) -> int:
        """One per data qubit of the free rows."""
        return (self.height - len(self.legs())) * self.free_columns

    def params(self) -> dict[str, Any]:
        """The parameters that identify the code, for results metadata."""
        return {"distance": self.distance}

    @abc.abstractmethod
    def legs(self) -> list[tuple[tuple[int, int], ...]]:
        """The legs of each check row, in CX order (`automaton_layout`)."""

    def layout(self) -> CodeLayout:
        """Data (r, j) at (2j, 2r), numbered row by row (`automaton_layout`)."""
        return automaton_layout(self.height, self.free_columns, self.legs(), periodic=self.periodic)

    def memory_circuit(self, *, rounds: int, basis: str) -> AnnotatedCircuit:
        """The noiseless memory over `rounds` rounds: basis 'X' is the phase-flip memory
        the checks protect; basis 'Z' keeps the logical Z operators, which any bit flip of
        their cats flips (the code has no Z checks)."""
        return memory_circuit(
            self.layout(), rounds=rounds, basis=basis, z_checks_onto_ancilla=True,
            ancilla_style="native",
        )  # fmt: skip


@dataclasses.dataclass(frozen=True)
class LdpcCatCode(_AutomatonCode):
    """The LDPC-cat code of R25 with distance `distance` (5, 9, 12, 16 or 22): a grid of
    `height` x 17 data cats with 34 logical qubits (module docstring).

    Examples:
        >>> code = LdpcCatCode(distance=22)
        >>> code.height, code.num_data_qubits, code.num_qubits, code.num_logical_qubits
        (8, 136, 238, 34)
        >>> circuit = LdpcCatCode(distance=5).memory_circuit(rounds=5, basis="X").to_stim()
        >>> circuit.num_detectors, circuit.num_observables
        (204, 34)
        >>> LdpcCatCode(distance=5).memory_circuit(rounds=5, basis="Z").to_stim().num_observables
        34
        >>> LdpcCatCode(distance=7)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: distance=7 is not allowed: expected one of 5, 9, 12, 16, 22 (the \
LDPC-cat codes of Ruiz et al. 2025, 17 columns wide)
    """

    name = "ldpc_cat"
    family = "LDPC-cat codes"
    width = WIDTH
    heights = HEIGHT_BY_DISTANCE

    def legs(self) -> list[tuple[tuple[int, int], ...]]:
        return optimized_legs(self.height)


@dataclasses.dataclass(frozen=True)
class OpenLdpcCatCode(_AutomatonCode):
    """The LDPC-cat codes of R25's headline: `LdpcCatCode`'s stencils with open
    boundaries. The two free rows hold `columns` bits (k = 2 columns) and every row
    below is as wide as the codewords can spread (`row_spans`), so no check wraps around
    the chip; a check whose stencil runs off the grid has fewer legs. At height 8 with
    17 + l columns this is R25's [165 + 8 l, 34 + 2 l, 22] code, and l = 33 gives
    their 100 logical qubits on 429 data and 329 ancilla cats, 758 in all.

    Examples:
        >>> code = OpenLdpcCatCode(distance=22, columns=50)
        >>> code.num_data_qubits, code.num_logical_qubits, code.num_qubits
        (429, 100, 758)
        >>> OpenLdpcCatCode(distance=22).num_data_qubits
        165
        >>> OpenLdpcCatCode(distance=5, columns=4)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: columns=4 is not allowed: expected an integer >= 17 (R25's \
distances hold from 17 columns on)
    """

    columns: int = WIDTH

    name = "ldpc_cat_open"
    family = "LDPC-cat codes"
    width = WIDTH
    heights = HEIGHT_BY_DISTANCE
    periodic = False

    def __post_init__(self) -> None:
        super().__post_init__()
        if (
            isinstance(self.columns, bool)
            or not isinstance(self.columns, int)
            or (self.columns < WIDTH)
        ):
            raise QecError.invalid(
                "columns",
                self.columns,
                f"an integer >= {WIDTH} (R25's distances hold from {WIDTH} columns on)",
            )

    @property
    def free_columns(self) -> int:
        return self.columns

    def params(self) -> dict[str, Any]:
        """The parameters that identify the code, for results metadata."""
        return {"distance": self.distance, "columns": self.columns}

    def legs(self) -> list[tuple[tuple[int, int], ...]]:
        return optimized_legs(self.height)


#: Columns of the T-shape codes' grid (R25 code, `Figure 5/.../main.py`, L = 10).
TSHAPE_WIDTH = 10
#: The T-shape check: the qubit it closes, then the row above, right to left (R25 code,
#: `Figure 5/Circuit level parity check matrix/FractalCode.py`, `CreateCheckMatrix`).
TSHAPE_LEGS = ((0, 0), (-1, 1), (-1, 0), (-1, -1))
#: Code distance by grid height at width 10 (R25 code, `main.py`: `[7, 12, 15][H - 3]`).
TSHAPE_DISTANCE_BY_HEIGHT = {3: 7, 4: 12, 5: 15}
TSHAPE_HEIGHT_BY_DISTANCE = {d: h for h, d in TSHAPE_DISTANCE_BY_HEIGHT.items()}


@dataclasses.dataclass(frozen=True)
class TShapeCode(_AutomatonCode):
    """R25's first cellular-automaton code, which their Figure 5 and Figure S2 (a, b)
    simulate: each data qubit (r, j) below the first row closes a check with the three
    qubits (r - 1, j - 1 .. j + 1) above it (a T), on a grid of `height` rows and 10
    periodic columns. The first row is free: k = 10 logical qubits, [10 height, 10, d]
    with d = 7, 12, 15 for height 3, 4, 5. Same round as `LdpcCatCode` (module
    docstring); the CX order is the authors': the closed qubit, then above right,
    above, above left.

    Examples:
        >>> code = TShapeCode(distance=7)
        >>> code.height, code.num_data_qubits, code.num_qubits, code.num_logical_qubits
        (3, 30, 50, 10)
        >>> code.memory_circuit(rounds=7, basis="X").to_stim().num_observables
        10
    """

    name = "tshape"
    family = "T-shape codes"
    width = TSHAPE_WIDTH
    heights = TSHAPE_HEIGHT_BY_DISTANCE

    def legs(self) -> list[tuple[tuple[int, int], ...]]:
        return [TSHAPE_LEGS] * (self.height - 1)
