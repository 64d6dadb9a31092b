"""Our SI1000 against Gidney's public plain-PyMatching data (qec.literature.published_si1000)."""

from __future__ import annotations

import pytest

from qec import SI1000, MemoryExperiment, RotatedSurfaceCode
from qec.intervals import wilson
from qec.literature.published_si1000 import GIDNEY_SI1000_PYMATCHING
from tests.conftest import logical_failures


@pytest.mark.slow
@pytest.mark.parametrize("basis", ["X", "Z"])
def test_si1000_surface_code_at_distance_5_is_within_1_5x_of_gidneys_data(basis):
    # Gidney's yoked-surface-codes stats: 2.12e-4 per round at p = 1e-3, d = 5, 20 rounds
    # (19M shots). We measured 2.39e-4 (ratio 1.13; our boundaries are noisy, theirs are
    # not, and our CZ compilation has one more H tick per round). 150,000 shots give about
    # 700 failures: relative standard error 4%, so a ratio outside [1/1.5, 1.5] with a true
    # 1.13 is a 7-sigma event (false-failure probability below 1e-11).
    row = next(r for r in GIDNEY_SI1000_PYMATCHING if r.distance == 5 and r.basis == basis)
    circuit = MemoryExperiment(
        code=RotatedSurfaceCode(distance=5), noise=SI1000(p=row.p), rounds=row.rounds, basis=basis
    ).circuit()
    shots = 150_000
    ours = wilson(errors=logical_failures(circuit, shots, seed=2026), shots=shots).per_round(
        rounds=row.rounds
    )
    assert row.agrees(ours), (str(ours), str(row.per_round()))
