"""The probabilities of cat-qubit operations: the closed forms that the cat models share,
and the records of each operation's phase and bit flips (`qec.noise.cat` says what each
holds and where it comes from).

Source: [LR23] F.-M. Le Régent et al., Quantum 7, 1198 (2023), arXiv:2212.11927, as its
authors' code defines the phase flip of a qubit that loses photons for a time,
f(x) = (1 - exp(-2x)) / 2 (`qsim/utils/error_model.py`, `exponentiel_proba`), and
combines the CX control's two independent flips (`CNOTAnalyticalAsymmetric`).
"""

from __future__ import annotations

import dataclasses
import math


def phase_flip(loss_times_t: float) -> float:
    """f(x) = (1 - exp(-2x)) / 2: the chance of an odd number of Z errors at rate x.

    Examples:
        >>> round(phase_flip(0.008), 6), phase_flip(50.0)
        (0.007936, 0.5)
    """
    return -math.expm1(-2 * loss_times_t) / 2


def combine(p: float, q: float) -> float:
    """The probability that exactly one of two independent flips happens.

    Examples:
        >>> combine(0.1, 0.2)
        0.26
    """
    return p * (1 - q) + q * (1 - p)


@dataclasses.dataclass(frozen=True)
class PhaseFlips:
    """Phase-flip (Z) probabilities of the operations of the repetition code's round
    (ancillas prepare, control the CX and are measured; data idle and are targets).

    Attributes:
        prep: Z after an ancilla's |+> preparation.
        measurement: flip of an ancilla's X-basis measurement result.
        idle: Z on a data qubit that waits 1/kappa_2.
        cx_control: Z on the control of a CX (an ancilla), Z1.
        cx_target: Z on the target only (a data qubit), Z2.
        cx_both: Z on both, Z1 Z2.
    """

    prep: float
    measurement: float
    idle: float
    cx_control: float
    cx_target: float
    cx_both: float

    @property
    def cx_total(self) -> float:
        """Probability that a CX makes any phase flip, Z1 + Z2 + Z1 Z2."""
        return self.cx_control + self.cx_target + self.cx_both


@dataclasses.dataclass(frozen=True)
class BitFlips:
    """Bit-flip (X or Y) probabilities of the operations.

    Attributes:
        cx: total of a CX's bit flips (shared as `CX_BIT_FLIP_SHARES`).
        idle: X or Y on a data qubit that waits 1/kappa_2.
        prep: X after a |0> preparation (R).
        measurement: flip of a Z-basis measurement result (M).
    """

    cx: float
    idle: float
    prep: float
    measurement: float
