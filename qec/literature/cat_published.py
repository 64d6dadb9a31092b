"""Published logical error rates of the repetition cat code: the fits that `qec`
compares its simulations with.

- `GOUZIEN_2023_FIT`: Gouzien et al., PRL 131, 040602 (2023), Eq. (4), App. E.
- `LR23_FIXED_CNOT`: Le Régent et al., Quantum 7, 1198 (2023): the threshold,
  prefactor and exponent of their fit by nbar, as stored in their code
  (`fixed_cnot_gate_time.ipynb`).

Both papers fit per round: P_L(d rounds) / d = a (k / k_th)^(c (d + 1)),
k = kappa_1 / kappa_2, jointly over d on points below threshold.
"""

from __future__ import annotations

import dataclasses
import math


@dataclasses.dataclass(frozen=True)
class RepetitionCatFit:
    """A published fit of the logical error per round of the repetition cat code.

    Phase flips: prefactor * (nbar^nbar_exponent * k1_k2 / threshold_k1_k2)^((d + 1) / 2);
    bit flips: one per CX, 2 (d - 1) CX per round, each cx_bit_flip_prefactor *
    exp(-2 nbar). The code is below threshold where nbar^nbar_exponent * k1_k2 <
    threshold_k1_k2: at nbar = 8, where 8^0.86 = 6.0, k1_k2 < 2.2e-3.

    Attributes:
        prefactor: the fit's prefactor.
        threshold_k1_k2: the threshold, in nbar^nbar_exponent * kappa_1 / kappa_2.
        nbar_exponent: power of nbar that multiplies kappa_1 / kappa_2.
        cx_bit_flip_prefactor: bit-flip probability of a CX over exp(-2 nbar).
        source: paper, equations and the conditions of the fit.

    Examples:
        >>> fit = GOUZIEN_2023_FIT
        >>> f"{fit.phase_flip_per_round(distance=5, nbar=8, k1_k2=1e-3):.2e}"
        '5.45e-03'
    """

    prefactor: float
    threshold_k1_k2: float
    nbar_exponent: float
    cx_bit_flip_prefactor: float
    source: str

    def phase_flip_per_round(self, *, distance: int, nbar: float, k1_k2: float) -> float:
        """Logical phase-flip probability per round of syndrome extraction."""
        ratio = math.pow(nbar, self.nbar_exponent) * k1_k2 / self.threshold_k1_k2
        return self.prefactor * math.pow(ratio, (distance + 1) / 2)

    def bit_flip_per_round(self, *, distance: int, nbar: float) -> float:
        """Logical bit-flip probability per round: any bit flip of any of its CX."""
        return 2 * (distance - 1) * self.cx_bit_flip_prefactor * math.exp(-2 * nbar)


#: The fitted logical error rate of the repetition cat code under the LR23 model with
#: every operation lasting 1/kappa_2: Gouzien et al., PRL 131, 040602 (2023),
#: arXiv:2302.06639, Eq. (4) with prefactor and threshold from App. E, Fig. 26, and the
#: CX bit flips of Eq. (D8); Eq. (3) adds the two per round. Numbers as in the authors'
#: code (github.com/ElieGouzien/elliptic_log_cat, error_correction.py).
GOUZIEN_2023_FIT = RepetitionCatFit(
    prefactor=5.6e-2,
    threshold_k1_k2=1.3e-2,
    nbar_exponent=0.86,
    cx_bit_flip_prefactor=0.5,
    source=(
        "Gouzien, Ruiz, Le Régent, Guillaud, Sangouard, PRL 131, 040602 (2023), "
        "arXiv:2302.06639: Eqs. (3), (4), (D8), App. E Fig. 26; LR23 error model, "
        "operations of duration 1/kappa_2, circuit-level Monte Carlo with matching"
    ),
)


@dataclasses.dataclass(frozen=True)
class PaperFit:
    """One fit P_L / d = prefactor (k / threshold)^(exponent (d + 1)) of a paper, at one
    nbar (per round, k = kappa_1 / kappa_2)."""

    nbar: float
    threshold: float
    prefactor: float
    exponent: float

    def per_round(self, *, distance: int, k1_k2: float) -> float:
        """The fitted logical phase-flip probability per round.

        Examples:
            >>> f"{LR23_FIXED_CNOT[8].per_round(distance=5, k1_k2=1e-3):.2e}"
            '3.63e-03'
        """
        return float(self.prefactor * (k1_k2 / self.threshold) ** (self.exponent * (distance + 1)))


def _fits(rows: dict[int, tuple[float, float, float]]) -> dict[int, PaperFit]:
    return {n: PaperFit(n, *values) for n, values in rows.items()}


#: LR23, fixed-CNOT model (every step 1/kappa_2, theta = 1), Figs. 4b and 5b:
#: nbar -> fit (threshold in kappa_1/kappa_2, prefactor a, exponent c).
LR23_FIXED_CNOT = _fits({
    4: (3.557e-3, 0.0185, 0.439),
    6: (2.787e-3, 0.0278, 0.450),
    8: (2.246e-3, 0.0337, 0.459),
    10: (1.866e-3, 0.0363, 0.466),
    12: (1.604e-3, 0.0353, 0.465),
    14: (1.389e-3, 0.0366, 0.472),
    16: (1.243e-3, 0.0425, 0.478),
    18: (1.114e-3, 0.0441, 0.484),
    20: (1.012e-3, 0.0412, 0.481),
})  # fmt: skip
