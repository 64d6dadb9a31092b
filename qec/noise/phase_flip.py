"""The generic phase-flip circuit noise of the LDPC-cat paper's Figures 5 and S2 (b).

Ruiz, Guillaud, Leverrier, Mirrahimi, Vuillot, Nat. Commun. 16, 1040 (2025),
arXiv:2401.09541 [R25], Sec. "Circuit-level noise" and Appendix (Figure S2 (b)): a model
of qubits that only phase-flip, with one parameter p, as their scripts write it out
(github.com/DiegoRuiz-Git/LDPCat, `Figure S2/Figure S2 b/T-shape code/Circuit level
parity check matrix/main.py` and `FractalCode.py`, and `Figure 5/` alike). Per step:

==========================  ==============
operation                   probability
==========================  ==============
|+> preparation             Z, p
idle (a qubit that waits)   Z, p
X measurement               flipped, p
CX                          Z1, Z2, Z1 Z2: p/3 each
==========================  ==============

The round is prepare, four CX layers, measure, each one step, with no wait between the
CX layers (`Schedule(separate_measure_reset=True)`). As in the scripts, the data start
in |+> and wait one step (Z with p) while the first ancillas are prepared, and the final
data readout is perfect (their last round of perfect syndrome measurement).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from qec.circuits import AnnotatedCircuit, Gate, Layer, Schedule
from qec.errors import QecError
from qec.noise._model import Channel, NoiseModel, check_probability

SUPPORTED_GATES = ("RX", "MX", "MRX", "CX")


@dataclasses.dataclass(frozen=True)
class PhaseFlipCircuit(NoiseModel):
    """R25's generic phase-flip circuit noise of strength p (module docstring).

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> noisy = PhaseFlipCircuit(p=0.003).noisy_circuit(
        ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="X"))
        >>> str(noisy).count("PAULI_CHANNEL_2(0, 0, 0.001, 0, 0, 0, 0, 0, 0, 0, 0, 0.001")
        2
        >>> PhaseFlipCircuit(p=0.003).noisy_circuit(
        ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z"))
        Traceback (most recent call last):
        ...
        qec.errors.QecError: gate='R' is not allowed: expected one of RX, MX, MRX, CX: the \
phase-flip model has X-basis preparations and measurements and CX only (a basis 'X' memory)
    """

    p: float

    name = "phase_flip_circuit"
    checks = {"p": check_probability}

    def schedule(self) -> Schedule:
        """Preparation and measurement as two steps, no wait between the CX layers."""
        return Schedule(separate_measure_reset=True)

    def after_gate(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> Iterable[Channel]:
        _check_supported(gate)
        if gate.name in ("RX", "MRX"):
            yield Channel("Z_ERROR", gate.targets, (self.p,))
        elif gate.name == "CX":
            third = self.p / 3
            # stim's PAULI_CHANNEL_2 order: IX IY IZ XI XX XY XZ YI YX YY YZ ZI ZX ZY ZZ.
            channel = (0, 0, third, 0, 0, 0, 0, 0, 0, 0, 0, third, 0, 0, third)
            yield Channel("PAULI_CHANNEL_2", gate.targets, channel)

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        _check_supported(gate)
        return 0.0 if layer is circuit.layers[-1] else self.p

    def idle(
        self, qubits: Sequence[int], layer: Layer, circuit: AnnotatedCircuit
    ) -> Iterable[Channel]:
        if layer is not circuit.layers[-1]:
            yield Channel("Z_ERROR", tuple(qubits), (self.p,))


def _check_supported(gate: Gate) -> None:
    if gate.name not in SUPPORTED_GATES:
        raise QecError.invalid(
            "gate",
            gate.name,
            "one of " + ", ".join(SUPPORTED_GATES) + ": the phase-flip model has X-basis "
            "preparations and measurements and CX only (a basis 'X' memory)",
        )
