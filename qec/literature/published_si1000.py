"""Gidney's public SI1000 surface-code memories decoded with plain PyMatching: the
logical error rates our `si1000` model is compared with.

Source: github.com/Strilanc/yoked-surface-codes, assets/stats.csv (commit b648ccf),
sinter rows with decoder `pymatching`: rotated surface code, CZ-native SI1000 of
arXiv:2108.10457 as coded in Gidney's `gen` library (the same 10-tick round: R, H, CZ,
H, CZ, CZ, H, CZ, H, M), p = 1e-3, 4d rounds between noiseless ("magic") time
boundaries, X and Z observables counted separately. Our memories have noisy
preparation and readout instead; over 4d rounds the difference is a fraction of a
round. `TOLERANCE`: the issue's criterion, a factor 1.5 per round.
"""

from __future__ import annotations

import dataclasses

from qec.intervals import Interval, wilson

TOLERANCE = 1.5
SOURCE = "Strilanc/yoked-surface-codes assets/stats.csv @ b648ccf (plain PyMatching)"


@dataclasses.dataclass(frozen=True)
class PublishedMemory:
    """One public row: `errors` of `shots` memories of `rounds` rounds in `basis`.

    Examples:
        >>> row = GIDNEY_SI1000_PYMATCHING[0]
        >>> print(row.per_round())
        0.000212 [0.000211, 0.000214]
    """

    p: float
    distance: int
    rounds: int
    basis: str
    shots: int
    errors: int

    def per_round(self) -> Interval:
        """The per-round logical error rate and its 95% interval."""
        return wilson(errors=self.errors, shots=self.shots).per_round(rounds=self.rounds)

    def agrees(self, measured: Interval) -> bool:
        """Whether our per-round interval meets this one widened by a factor 1.5.

        Examples:
            >>> GIDNEY_SI1000_PYMATCHING[0].agrees(Interval(2.4e-4, 2.3e-4, 2.5e-4))
            True
        """
        theirs = self.per_round()
        return measured.meets(theirs.low / TOLERANCE, theirs.high * TOLERANCE)


GIDNEY_SI1000_PYMATCHING = (
    PublishedMemory(p=1e-3, distance=5, rounds=20, basis="X", shots=19_048_439, errors=80_576),
    PublishedMemory(p=1e-3, distance=5, rounds=20, basis="Z", shots=19_048_439, errors=80_711),
    PublishedMemory(p=1e-3, distance=9, rounds=36, basis="X", shots=10**9, errors=258_030),
    PublishedMemory(p=1e-3, distance=9, rounds=36, basis="Z", shots=10**9, errors=258_321),
    PublishedMemory(p=1e-3, distance=13, rounds=52, basis="X", shots=10**9, errors=11_753),
    PublishedMemory(p=1e-3, distance=13, rounds=52, basis="Z", shots=10**9, errors=11_604),
)
