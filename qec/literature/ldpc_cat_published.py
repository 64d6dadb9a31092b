"""The raw Monte-Carlo counts of the LDPC-cat paper's Figure S2 (c), which `qec`
reproduces.

Source: Ruiz, Guillaud, Leverrier, Mirrahimi, Vuillot, "LDPC-cat codes for low-overhead
quantum computing in 2D", Nat. Commun. 16, 1040 (2025), arXiv:2401.09541 [R25]; the
authors' outputs in github.com/DiegoRuiz-Git/LDPCat, `Figure S2/Figure S2 c/`:
`optimized code/Logical error/out/MonteCarlo_H_i.txt` (the LDPC-cat codes, grid height H
= 4..8 for d = 5, 9, 12, 16, 22) and `repetition code/out/data_d_i.txt` (one repetition
code of distance d). Each file's last line is failures / shots.

**What a point is.** A memory of `distance` rounds of the code under `CatFirstOrder`
(nbar = 11, kappa_1/kappa_2 = `K1_K2_GRID[i]`) with a final perfect round, decoded by
BP+OSD (`bposd-ruiz25`); the rate is the probability that any logical qubit (any of the
34 of an LDPC-cat block, the one of a repetition code) fails over the whole run. Their
scripts stop each of 64 processes at its second failure (`MonteCarlo.py`), so a file
holds 128 failures unless it was rerun with more; `failures` is 128 where 128 / rate is
a whole number of shots, None where it is not. Points with a rate above 1/2 (saturated)
are left out.
"""

from __future__ import annotations

import dataclasses

import numpy as np

#: kappa_1/kappa_2 of the figure: 20 values from 1e-5 to 3e-3, evenly spaced in log
#: (R25 code, `np.logspace(-5, np.log10(3e-3), 20)`).
K1_K2_GRID: tuple[float, ...] = tuple(float(k) for k in np.logspace(-5, np.log10(3e-3), 20))
#: The mean photon number of every cat in the figure (R25 code, `main.py`).
NBAR = 11.0


@dataclasses.dataclass(frozen=True)
class AuthorsPoint:
    """One output file of R25's Figure S2 (c) (module docstring).

    Examples:
        >>> point = LDPC_CAT_FIG_S2C[0]
        >>> point.distance, f"{point.k1_k2:.2e}", point.failures, point.shots
        (5, '1.00e-05', 128, 2178307)
    """

    code: str
    distance: int
    k_index: int
    rate: float
    failures: int | None

    @property
    def k1_k2(self) -> float:
        return K1_K2_GRID[self.k_index]

    @property
    def shots(self) -> int | None:
        """The shots behind the rate, where the failures are known."""
        return None if self.failures is None else round(self.failures / self.rate)


def _points(
    code: str, rows: tuple[tuple[int, int, float, int | None], ...]
) -> tuple[AuthorsPoint, ...]:
    return tuple(AuthorsPoint(code, *row) for row in rows)


#: The LDPC-cat codes [17 H, 34, d] (`qec.circuits.LdpcCatCode`): (distance, k index,
#: rate, failures).
LDPC_CAT_FIG_S2C = _points("ldpc_cat", (
    (5, 0, 5.8761230625435255e-05, 128),
    (5, 1, 0.00012476241532238412, 128),
    (5, 2, 0.000284949755343921, 128),
    (5, 3, 0.0007974282937526477, 128),
    (5, 4, 0.0012958482237767901, 128),
    (5, 5, 0.003963339113202873, 128),
    (5, 6, 0.008871023632961397, 128),
    (5, 7, 0.023000898472596586, 128),
    (5, 8, 0.04325785738425143, 128),
    (5, 9, 0.10007818608287725, 128),
    (5, 10, 0.1927710843373494, 128),
    (5, 11, 0.41260744985673353, None),
    (9, 5, 2.3425992896067655e-05, 128),
    (9, 6, 0.00011250719650524521, 128),
    (9, 7, 0.0005173159385848985, 128),
    (9, 8, 0.0021418292560489945, 128),
    (9, 9, 0.0106303463167511, 128),
    (9, 10, 0.04758364312267658, 128),
    (9, 11, 0.2097560975609756, None),
    (9, 12, 0.4912891986062718, None),
    (12, 7, 2.067289297594850e-05, 128),
    (12, 8, 0.00012801433760581185, 128),
    (12, 9, 0.0009287004723312559, 128),
    (12, 10, 0.006658690110804765, 128),
    (12, 11, 0.05691418408181414, 128),
    (12, 12, 0.3282828282828283, None),
    (16, 8, 4.187599210114100e-05, 128),
    (16, 9, 0.0002869170316639843, 128),
    (16, 10, 0.003236491440997244, 128),
    (16, 11, 0.03450134770889488, 128),
    (16, 12, 0.2606060606060606, None),
    (22, 10, 0.0003312500808716018, 128),
    (22, 11, 0.007276861853325753, 128),
    (22, 12, 0.15274463007159905, 128),
))  # fmt: skip

#: One repetition cat code of distance d (`qec.circuits.RepetitionCode`).
REPETITION_FIG_S2C = _points("repetition", (
    (5, 0, 1.1042795651431618e-07, 128),
    (5, 1, 2.1786476392341834e-07, 128),
    (5, 2, 5.633486156462569e-07, 128),
    (5, 3, 1.7336082330355194e-06, 128),
    (5, 4, 3.441976636830645e-06, 128),
    (5, 5, 8.002010505139416e-06, 128),
    (5, 6, 1.819289931139876e-05, 128),
    (5, 7, 3.823665682570626e-05, 128),
    (5, 8, 8.500402772990767e-05, 128),
    (5, 9, 0.00021935912859586166, 128),
    (5, 10, 0.00048024972985952696, 128),
    (5, 11, 0.0011956470972864415, 128),
    (5, 12, 0.002611711895531524, 128),
    (5, 13, 0.0052766097782174955, 128),
    (5, 14, 0.011411250780065971, 128),
    (5, 15, 0.025396825396825397, 128),
    (5, 16, 0.05027494108405342, 128),
    (5, 17, 0.10526315789473684, 128),
    (5, 18, 0.19753086419753085, 128),
    (5, 19, 0.27292110874200426, 128),
    (9, 8, 7.211013574828826e-07, 128),
    (9, 9, 2.8214774922584608e-06, 128),
    (9, 10, 1.349694726468547e-05, 128),
    (9, 11, 4.744842393387469e-05, 128),
    (9, 12, 0.00018336558944158016, 128),
    (9, 13, 0.0007344882395808826, 128),
    (9, 14, 0.0033305578684429643, 128),
    (9, 15, 0.011369692662995203, 128),
    (9, 16, 0.0324955572480325, 128),
    (9, 17, 0.09930178432893716, 128),
    (9, 18, 0.21512605042016808, 128),
    (9, 19, 0.3359580052493438, 128),
    (12, 11, 5.09037422562185e-06, 128),
    (12, 12, 2.9269379130155212e-05, 128),
    (12, 13, 0.00016888972160904403, 128),
    (12, 14, 0.0011487341488149192, 128),
    (12, 15, 0.00606003219392103, 128),
    (12, 16, 0.027479604980678404, 128),
    (12, 17, 0.07819181429444105, 128),
    (12, 18, 0.24196597353497165, 128),
    (12, 19, 0.3516483516483517, 128),
    (16, 13, 2.6969352701823465e-05, 128),
    (16, 14, 0.0003498386096101759, 128),
    (16, 15, 0.0036366735801346708, 128),
    (16, 16, 0.02022116903633491, 128),
    (16, 17, 0.08882720333102012, 128),
    (16, 18, 0.3516483516483517, 128),
    (16, 19, 0.39628482972136225, 128),
    (22, 14, 6.126078524840292e-05, 128),
    (22, 15, 0.0012321909896033886, 128),
    (22, 16, 0.012308875853447447, 128),
    (22, 17, 0.11169284467713787, 128),
    (22, 18, 0.3054892601431981, 128),
    (22, 19, 0.48854961832061067, 128),
))  # fmt: skip
