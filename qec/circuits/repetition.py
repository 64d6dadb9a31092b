"""The repetition code: bit-flip code in basis Z, phase-flip code in basis X."""

from __future__ import annotations

import dataclasses
from typing import Any

from qec.circuits._annotated import AnnotatedCircuit
from qec.circuits._memory import Basis, Check, CodeLayout, memory_circuit
from qec.errors import QecError, check_int


@dataclasses.dataclass(frozen=True)
class RepetitionCode:
    """A line of `distance` data qubits with an ancilla between each neighbouring pair.

    In basis Z the ancillas measure Z_i Z_{i+1} (CX from the data, as in stim's
    `repetition_code:memory`) and the code corrects bit flips. In basis X they measure
    X_i X_{i+1}: each ancilla is prepared in |+>, controls a CX onto both neighbours and
    is measured in the X basis, using only the operations a cat qubit has natively
    (Guillaud & Mirrahimi, PRX 9, 041053 (2019), Fig. 2); the code corrects phase flips.

    `check_basis` fixes the type of the checks whatever the memory basis ("X": the
    phase-flip code, "Z": the bit-flip code). The memory of the other basis then keeps
    the weight-`distance` logical (e.g. Z...Z of the phase-flip code), which a single
    error of the other kind on any qubit flips: the unprotected part of the code.

    Examples:
        >>> code = RepetitionCode(distance=5)
        >>> code.num_qubits
        9
        >>> circuit = code.memory_circuit(rounds=3, basis="X").to_stim()
        >>> circuit.num_detectors, circuit.num_observables
        (16, 1)
    """

    distance: int
    check_basis: Basis | None = None

    name = "repetition"

    def __post_init__(self) -> None:
        check_int("distance", self.distance, minimum=3, odd=True)
        if self.check_basis not in (None, "X", "Z"):
            raise QecError.invalid("check_basis", self.check_basis, "'X', 'Z' or None")

    @property
    def num_qubits(self) -> int:
        """Data plus ancilla qubits."""
        return 2 * self.distance - 1

    @property
    def num_data_qubits(self) -> int:
        return self.distance

    def params(self) -> dict[str, Any]:
        """The parameters that identify the code, for results metadata."""
        if self.check_basis is None:
            return {"distance": self.distance}
        return {"distance": self.distance, "check_basis": self.check_basis}

    def layout(self, basis: str) -> CodeLayout:
        """Data at even positions 0, 2, ..., ancillas between them; checks of type
        `check_basis`, or of the memory basis when it is None."""
        d = self.distance
        data = tuple(range(0, 2 * d - 1, 2))
        css_type: Basis = self.check_basis or ("Z" if basis == "Z" else "X")
        other = "X" if css_type == "Z" else "Z"
        checks = tuple(Check(a, css_type, (a - 1, a + 1)) for a in range(1, 2 * d - 1, 2))
        return CodeLayout(
            qubit_coords={q: (float(q), 0.0) for q in range(2 * d - 1)},
            data=data,
            checks=checks,
            logical_support={css_type: ((data[-1],),), other: (data,)},
        )

    def memory_circuit(self, *, rounds: int, basis: str) -> AnnotatedCircuit:
        """The noiseless memory experiment with `rounds` rounds of syndrome extraction."""
        return memory_circuit(
            self.layout(basis),
            rounds=rounds,
            basis=basis,
            z_checks_onto_ancilla=True,
            ancilla_style="native",
        )
