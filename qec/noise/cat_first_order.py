"""The cat-qubit noise of the LDPC-cat simulations: `Cat` to first order, phase flips only.

Ruiz, Guillaud, Leverrier, Mirrahimi, Vuillot, Nat. Commun. 16, 1040 (2025),
arXiv:2401.09541 [R25], simulate their Figure S2 (c) with the model that their scripts
write out (github.com/DiegoRuiz-Git/LDPCat, `Figure S2/Figure S2 c/optimized code/Circuit
level parity check matrix/main.py` and `.../repetition code/MonteCarlo.py`). Per step of
1/kappa_2, with k = kappa_1/kappa_2:

==========================  ==============================
operation                   Z probability
==========================  ==============================
idle, |+> preparation       nbar k t
X measurement (flip)        nbar k t
CX, Z on control (Z1)       nbar k t + pi^2 / (64 nbar t)
CX, Z on target (Z2)        nbar k t / 2
CX, Z1 Z2                   nbar k t / 2
==========================  ==============================

These are `Cat`'s formulas (LR23) to first order: kappa_1 nbar t instead of
f(kappa_1 nbar t) = (1 - exp(-2 kappa_1 nbar t)) / 2, and the CX control's two terms
added rather than combined. The scripts have no bit flips (R25 count them apart, for every
cat), so this model has none either. As in the scripts, the data start in |+> without
error, wait (and may flip) while the first ancillas are prepared, and are read out
perfectly at the end (R25's final round of perfect syndrome measurement).
"""

from __future__ import annotations

import dataclasses

from qec.circuits import AnnotatedCircuit, Gate, Layer
from qec.noise.cat import Cat
from qec.noise.cat_probabilities import BitFlips


@dataclasses.dataclass(frozen=True)
class CatFirstOrder(Cat):
    """`Cat` with R25's first-order phase flips and no bit flips (module docstring): the
    model of the authors' LDPC-cat and repetition-code runs of their Figure S2 (c).

    Examples:
        >>> flips = CatFirstOrder(nbar=11, k1_k2=1e-4).phase_flip_probabilities()
        >>> round(flips.idle, 6), round(flips.cx_control, 6), round(flips.cx_target, 6)
        (0.0011, 0.015119, 0.00055)
        >>> CatFirstOrder(nbar=11).bit_flip_probabilities().cx
        0.0
    """

    name = "cat_first_order"

    def bit_flip_probabilities(self) -> BitFlips:
        """No bit flips: R25's scripts leave them out."""
        return BitFlips(cx=0.0, idle=0.0, prep=0.0, measurement=0.0)

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        """Cat's flip, except the final readout of the data: perfect in R25."""
        if layer is circuit.layers[-1]:
            return 0.0
        return super().measurement_flip(gate, layer, circuit)

    def _idle_phase_flip(self, duration: float, ancilla: bool) -> float:
        return self._loss(ancilla) * duration

    def _idle_bit_flip_each(self, duration: float, ancilla: bool) -> float:
        return 0.0

    def _cx_phase_flips(
        self, *, control_is_ancilla: bool, target_is_ancilla: bool
    ) -> tuple[float, float, float]:
        non_adiabatic = self._non_adiabatic(
            control_is_ancilla=control_is_ancilla, target_is_ancilla=target_is_ancilla
        )
        z1 = non_adiabatic + self._loss(control_is_ancilla) * self.t_cx
        target_half = self._loss(target_is_ancilla) * self.t_cx / 2
        return z1, target_half, target_half
