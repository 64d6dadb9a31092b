"""The ldpc_cat design counts qubits and rates per logical qubit over the LDPC-cat codes'
own distances, decodes with the authors' BP+OSD, and says why it reaches no target
above threshold."""

from __future__ import annotations

import pytest

from qec.analysis import FitPoint, fit_lambda
from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.intervals import Interval
from qec.noise import Cat
from qec.overhead import Assumptions, Budget, Design, QubitWeights, footprint
from qec.overhead.designs import LDPC_CAT_DISTANCES
from qec.overhead.family import FamilyModel
from qec.overhead.plan import LDPC_NBARS
from qec.overhead.reasons import AboveThreshold


def ldpc(nbar: float = 12.0, k1_k2: float = 1e-3, **kw: object) -> Design:
    return Design(
        name="ldpc_cat",
        noise=Cat(nbar=nbar, k1_k2=k1_k2),
        nbars=(nbar,),
        **kw,  # type: ignore[arg-type]
    )


def test_the_family_walks_the_codes_own_distances_and_ends():
    (family,) = ldpc().families()
    assert family.steps == 5
    distances = [family.at(k).code.params()["distance"] for k in range(family.steps)]
    assert distances == list(LDPC_CAT_DISTANCES) == [5, 9, 12, 16, 22]


def test_qubits_are_counted_per_logical_qubit():
    (family,) = ldpc().families()
    largest = family.at(4)
    assert largest.logical_qubits == 34
    assert largest.qubits == 238 / 34 == 7.0
    assert family.at(0).qubits == 102 / 34 == 3.0
    (buffered,) = ldpc(weights=QubitWeights(data=2, ancilla=1)).families()
    assert buffered.at(4).qubits == (2 * 136 + 102) / 34


def test_a_block_rate_is_divided_among_its_logical_qubits():
    candidate = ldpc().families()[0].at(2)
    per_logical = candidate.per_logical(Interval(0.34, 0.17, 0.68))
    assert per_logical == Interval(0.01, 0.005, 0.02)


def test_a_candidate_runs_its_memories_and_reads_back_from_metadata():
    candidate = ldpc().families()[0].at(1)
    assert candidate.rounds == 9
    assert candidate.params() == {"distance": 9, "nbar": 12.0}
    for component in candidate.components:
        experiment = candidate.experiment(component)
        assert MemoryExperiment.from_metadata(experiment.metadata()) == experiment


def test_the_plan_decodes_with_the_authors_bposd_or_the_decoder_asked_for():
    design, budget = Assumptions().plan("ldpc_cat")
    assert design.decoder == budget.decoder == "bposd-ruiz25"
    assert design.nbars == LDPC_NBARS
    assert budget.verify_seconds == 0
    assert Assumptions(ldpc_decoder="bposd").plan("ldpc_cat")[1].decoder == "bposd"
    fixed, _ = Assumptions(nbar=11.0).plan("ldpc_cat")
    assert fixed.nbars == (11.0,)


def test_above_threshold_the_row_says_so_as_a_reason():
    """kappa_1/kappa_2 = 1e-3 is above the codes' threshold (~6e-4 at nbar = 11): nearly
    every shot of d = 5 and d = 9 fails (60 seeded shots each, about 10 s), so the fit's
    Lambda interval reaches 1."""
    budget = Budget(measured_steps=2, max_shots=60, verify_seconds=0, decoder="bposd-ruiz25")
    (row,) = footprint(ldpc(), [1e-6], budget=budget)
    assert row.status == "not reached"
    assert isinstance(row.reasons[0], AboveThreshold)
    assert row.decoder == "bposd-ruiz25"


def test_an_unknown_ldpc_decoder_is_refused():
    with pytest.raises(QecError, match="decoder"):
        Assumptions(ldpc_decoder="no-such-decoder")


def test_beyond_its_largest_code_the_fits_say_which_distance_would_do():
    """Made-up counts (Lambda = 10 between d = 5 and 9): the bit flips at nbar = 16,
    ~7e-14 per logical qubit and round at d = 22, floor what a larger code can reach."""
    (family,) = ldpc(nbar=16.0, k1_k2=1e-4).families()
    budget = Budget(measured_steps=0, decoder="bposd-ruiz25")
    model = FamilyModel(family, budget, None, lambda text: None)
    points = [FitPoint(5, 100_000, 1_000, rounds=1), FitPoint(9, 100_000, 10, rounds=1)]
    model.fits["phase flips (memory X)"] = fit_lambda(points)
    assert model.needed_distance(1e-30, up_to=151) is None  # bit flips alone exceed it
    needed = model.needed_distance(1e-13, up_to=151)
    assert needed is not None and needed > 22
    largest = family.at(4)
    fit = model.fits["phase flips (memory X)"]
    at_needed = largest.per_logical(Interval.exact(fit.predict(needed))).value
    assert at_needed <= 1e-13
