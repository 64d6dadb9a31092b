"""The threshold sweeps compared with the published thresholds of
`qec.literature.published` (`experiments/thresholds.py` runs them into
results/thresholds/): for each, the code sizes and the range of the swept parameter
around the published value, sinter's stopping rules, and the title of its figure.

The biased-noise families (XZZX and CSS rotated codes, X memories, bias eta in
`BIAS_ETAS`) test a trend, `qec.literature.threshold_report.biased_trend`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from qec.literature.cat_published import LR23_FIXED_CNOT
from qec.literature.published import CAT_NBARS
from qec.sampling.sweep import ThresholdSweep

#: LR23's distances for the repetition cat code.
CAT_SIZES = (3, 5, 7, 9, 11)

BIAS_ETAS = (0.5, 10, 100, 1000)
# Ranges of p around the XZZX code's threshold at each bias; the CSS code's stays put.
_XZZX_RANGES = {0.5: (0.0035, 0.009), 10: (0.007, 0.02), 100: (0.012, 0.035), 1000: (0.015, 0.045)}
_CSS_RANGE = (0.0035, 0.009)

# name (= published key): code, sizes, noise, range (start, stop, count), max_errors, title
_UNBIASED: dict[str, tuple[str, tuple[int, ...], str, tuple[float, float, int], int, str]] = {
    "repetition_code_capacity": (
        "repetition", (3, 5, 7, 9, 11), "code_capacity", (0.3, 0.5, 9), 4_000,
        "repetition code, bit flips p (code capacity), majority vote by MWPM",
    ),
    "repetition_phenomenological": (
        "repetition", (5, 9, 13, 17), "phenomenological", (0.08, 0.13, 9), 3_000,
        "repetition code, bit flips p and measurement flips p, d rounds",
    ),
    "rotated_code_capacity": (
        "rotated_surface", (9, 13, 17, 21), "code_capacity", (0.085, 0.12, 8), 3_000,
        "rotated surface code, code capacity (independent X, Z flips p)",
    ),
    "rotated_phenomenological": (
        "rotated_surface", (5, 7, 9, 11), "phenomenological", (0.022, 0.037, 8), 3_000,
        "rotated surface code, phenomenological noise p, d rounds",
    ),
    "rotated_depolarizing": (
        "rotated_surface", (5, 7, 9, 11), "depolarizing", (0.005, 0.011, 8), 2_000,
        "rotated surface code, circuit-level depolarizing p (stim's), d rounds",
    ),
    "rotated_sd6": (
        "rotated_surface", (5, 7, 9, 11), "sd6", (0.004, 0.009, 8), 2_000,
        "rotated surface code, SD6 p (Gidney et al. 2021), d rounds",
    ),
    "rotated_si1000": (
        "rotated_surface", (5, 7, 9, 11), "si1000", (0.0035, 0.008, 8), 2_000,
        "rotated surface code, SI1000 p (CZ-native, Gidney et al. 2021), d rounds",
    ),
}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class ThresholdFamily:
    """One sweep, its stopping rules (per experiment), the key of the published value
    it is compared with, and the title of its figure."""

    name: str
    sweep: ThresholdSweep
    max_shots: int
    max_errors: int
    published: str | None = None
    title: str = ""


def geometric(start: float, stop: float, count: int) -> tuple[float, ...]:
    """`count` values from `start` to `stop` spaced evenly on a log scale, to 4 digits.

    Examples:
        >>> geometric(0.3, 0.5, 3)
        (0.3, 0.3873, 0.5)
    """
    return tuple(float(f"{v:.4g}") for v in np.geomspace(start, stop, count))


def biased_names(code: str) -> dict[float, str]:
    """The names of the biased-noise families of `code` ('xzzx' or 'rotated'), by
    increasing eta.

    Examples:
        >>> biased_names("xzzx")
        {0.5: 'xzzx_biased_eta0.5', 10: 'xzzx_biased_eta10', 100: 'xzzx_biased_eta100', \
1000: 'xzzx_biased_eta1000'}
    """
    return {eta: f"{code}_biased_eta{eta:g}" for eta in BIAS_ETAS}


def threshold_families() -> list[ThresholdFamily]:
    """Every family, in the order of the summary table.

    Examples:
        >>> families = threshold_families()
        >>> len(families), families[0].name, families[0].sweep.values[:2]
        (20, 'repetition_code_capacity', (0.3, 0.3198))
        >>> families[-1].sweep.noise_spec(), families[-1].published
        ('cat:nbar=12,ideal_data_ends=1', 'repetition_cat_nbar12')
    """
    rows = [
        ThresholdFamily(
            name,
            ThresholdSweep(code=code, sizes=sizes, noise=noise, values=geometric(*span)),
            max_shots=40_000,
            max_errors=errors,
            published=name,
            title=title,
        )
        for name, (code, sizes, noise, span, errors, title) in _UNBIASED.items()
    ]
    for eta in BIAS_ETAS:
        for code, span in (("xzzx_surface", _XZZX_RANGES[eta]), ("rotated_surface", _CSS_RANGE)):
            rows.append(
                ThresholdFamily(
                    biased_names(code.split("_")[0])[eta],
                    ThresholdSweep(
                        code=code,
                        sizes=(5, 7, 9),
                        noise="biased",
                        fixed={"eta": eta},
                        values=geometric(*span, 6),
                        basis="X",
                    ),
                    max_shots=30_000,
                    max_errors=1_500,
                    published="xzzx_biased_trend",
                    title=f"{code}, X memory, biased circuit noise eta = {eta:g}, d rounds",
                )
            )
    for nbar in CAT_NBARS:
        name = f"repetition_cat_nbar{nbar}"
        cat = ThresholdSweep(
            code="repetition",
            sizes=CAT_SIZES,
            noise="cat",
            fixed={"nbar": nbar, "ideal_data_ends": 1},
            sweep="k1_k2",
            values=cat_values(nbar),
            basis="X",
        )
        title = f"phase-flip repetition cat code, LR23 fixed-CNOT model, nbar = {nbar}, d rounds"
        rows.append(ThresholdFamily(name, cat, 3_000_000, 1_000, name, title))
    return rows


def cat_values(nbar: int) -> tuple[float, ...]:
    """LR23's grid of kappa_1/kappa_2 (21 values from 1e-4 to 1e-2 on a log scale), up to
    1.6 times their threshold at `nbar`: the low-error points their fit uses and the
    crossing region.

    Examples:
        >>> cat_values(8)[:3], cat_values(8)[-1]
        ((0.0001, 0.0001259, 0.0001585), 0.003162)
    """
    limit = 1.6 * LR23_FIXED_CNOT[nbar].threshold
    return tuple(v for v in geometric(1e-4, 1e-2, 21) if v <= limit)
