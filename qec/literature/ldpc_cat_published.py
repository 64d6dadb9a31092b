"""The raw Monte-Carlo counts of the LDPC-cat paper's Figures 5 and S2 (a, b, c), which
`qec` reproduces.

Source: Ruiz, Guillaud, Leverrier, Mirrahimi, Vuillot, "LDPC-cat codes for low-overhead
quantum computing in 2D", Nat. Commun. 16, 1040 (2025), arXiv:2401.09541 [R25]; the
authors' outputs in github.com/DiegoRuiz-Git/LDPCat, copied into
`data/ruiz25_counts.csv`: every file of `Figure 5/Logical error/out/` that the figure
plots (min-sum BP with scaling 0.625, by BP iterations) and of `Figure S2/Figure S2
{a,b,c}/{T-shape code,optimized code}/Logical error/out/` and `.../repetition code/out/`.
Each file's last line is failures / shots.

**What a point is.** A memory of `distance` rounds of the code with a final perfect round,
under the panel's noise at the panel's grid value (`PANELS`), decoded by BP+OSD (min-sum,
OSD-CS of order 60, `bp_iterations` BP iterations); the rate is the probability that any
logical qubit fails over the whole run. The codes: `ldpc_cat` (R25's optimized codes,
`qec.circuits.LdpcCatCode`), `tshape` (`qec.circuits.TShapeCode`), `repetition` (one
repetition code).

**Failures.** The scripts stop each process at its second failure: 64 processes (128
failures) for the repetition codes and Figure S2 (c), 50 (100) for the other codes of
Figure S2; Figure 5 stops 50 processes at ceil(100 / cores), 100 or 150 failures.
`failures` is the count for which failures / rate is a whole number of shots (the
smaller one where both are, which only widens their interval), empty where none is (a
file that pooled reruns). Points with a rate above 1/2 (saturated) are left out.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import pathlib

import numpy as np

#: The mean photon number of every cat in Figure S2 (c) (R25 code, `main.py`).
NBAR = 11.0
#: The scripts' BP iterations, except where Figure 5 varies them.
AUTHORS_BP_ITERATIONS = 10_000
_COUNTS = pathlib.Path(__file__).parent / "data" / "ruiz25_counts.csv"


@dataclasses.dataclass(frozen=True)
class Panel:
    """One of R25's figures: its noise model and the grid of its x axis.

    Attributes:
        title: the figure as the paper names it.
        noise: the `qec` model of its scripts: 'cat_first_order' (kappa_1/kappa_2 at
            nbar = `NBAR`), 'phase_flip_circuit' or 'phenomenological' (p).
        x_label: what the grid holds.
        grid: the x values, by the index in the authors' file names.
    """

    title: str
    noise: str
    x_label: str
    grid: tuple[float, ...]


def _logspace(low: float, high: float) -> tuple[float, ...]:
    return tuple(float(x) for x in np.logspace(np.log10(low), np.log10(high), 20))


#: R25's panels by the name the counts file uses; grids from the scripts' `main.py`
#: (`np.logspace(-3, np.log10(0.3), 20)`, `np.logspace(-5, np.log10(3e-3), 20)`).
PANELS = {
    "5": Panel("Figure 5", "phase_flip_circuit", "p", _logspace(1e-3, 0.3)),
    "S2a": Panel("Figure S2 (a)", "phenomenological", "p", _logspace(1e-3, 0.3)),
    "S2b": Panel("Figure S2 (b)", "phase_flip_circuit", "p", _logspace(1e-3, 0.3)),
    "S2c": Panel("Figure S2 (c)", "cat_first_order", "kappa_1/kappa_2", _logspace(1e-5, 3e-3)),
}


@dataclasses.dataclass(frozen=True)
class AuthorsPoint:
    """One output file of R25 (module docstring).

    Examples:
        >>> point = LDPC_CAT_FIG_S2C[0]
        >>> point.distance, f"{point.x:.2e}", point.failures, point.shots
        (5, '1.00e-05', 128, 2178307)
        >>> point.panel.noise
        'cat_first_order'
    """

    figure: str
    code: str
    distance: int
    x_index: int
    rate: float
    failures: int | None
    bp_iterations: int = AUTHORS_BP_ITERATIONS

    @property
    def panel(self) -> Panel:
        return PANELS[self.figure]

    @property
    def x(self) -> float:
        """The grid value: p, or kappa_1/kappa_2 for Figure S2 (c)."""
        return self.panel.grid[self.x_index]

    @property
    def shots(self) -> int | None:
        """The shots behind the rate, where the failures are known."""
        return None if self.failures is None else round(self.failures / self.rate)


@functools.cache
def authors_points() -> tuple[AuthorsPoint, ...]:
    """Every point of the counts file, in its order (figure, code, distance, BP
    iterations, grid index).

    Examples:
        >>> sorted({p.figure for p in authors_points()})
        ['5', 'S2a', 'S2b', 'S2c']
    """
    with _COUNTS.open(newline="") as file:
        return tuple(
            AuthorsPoint(
                figure=row["figure"],
                code=row["code"],
                distance=int(row["distance"]),
                x_index=int(row["grid_index"]),
                rate=float(row["rate"]),
                failures=int(row["failures"]) if row["failures"] else None,
                bp_iterations=int(row["bp_iterations"]),
            )
            for row in csv.DictReader(file)
        )


def _of(figure: str, code: str) -> tuple[AuthorsPoint, ...]:
    return tuple(p for p in authors_points() if p.figure == figure and p.code == code)


#: Figure S2 (c): the LDPC-cat codes [17 H, 34, d] under the cat model.
LDPC_CAT_FIG_S2C = _of("S2c", "ldpc_cat")
#: Figure S2 (c): one repetition cat code of distance d.
REPETITION_FIG_S2C = _of("S2c", "repetition")
