"""Designs, qubit counting and bad input."""

from __future__ import annotations

import pytest

from qec import Cat, Depolarizing, Ocelot
from qec.circuits import CatSurfaceCode, RepetitionCode, RotatedSurfaceCode
from qec.errors import QecError
from qec.overhead import Design, QubitWeights


def test_qubit_counting_weighs_data_and_ancillas():
    code = RotatedSurfaceCode(dx=3, dz=9)
    assert QubitWeights().count(code) == 2 * 27 - 1
    assert QubitWeights(data=2, ancilla=1).count(code) == 2 * 27 + 26


def test_cat_designs_explore_nbar_and_count_both_parts():
    design = Design(name="repetition_cat", noise=Cat(nbar=8), nbars=(6, 10))
    families = design.families()
    assert [f.label for f in families] == ["nbar=6", "nbar=10"]
    candidate = families[1].at(3)
    assert candidate.code == RepetitionCode(distance=9, check_basis="X")
    assert candidate.noise.nbar == 10  # type: ignore[attr-defined]
    assert {c.basis for c in candidate.components} == {"X", "Z"}
    assert candidate.qubits == 17


def test_repetition_cat_transmon_counts_d_cats_and_d_minus_1_transmons():
    # Ocelot's layout (Putterman et al. 2025): 5 cats and 4 transmons at d = 5.
    design = Design(name="repetition_cat_transmon", noise=Ocelot(), nbars=(1.5, 2))
    candidate = design.families()[1].at(1)
    assert candidate.code == RepetitionCode(distance=5, check_basis="X")
    assert candidate.noise.nbar == 2  # type: ignore[attr-defined]
    assert candidate.qubits == 9
    assert design.qubit_rule == "qubits = 1 x cat (data) + 1 x transmon (ancilla)"
    with_buffers = Design(
        name="repetition_cat_transmon", noise=Ocelot(), weights=QubitWeights(data=2)
    )
    assert with_buffers.families()[0].at(1).qubits == 14  # 5 cats, 5 buffers, 4 transmons


def test_thin_surface_cat_transmon_is_the_rotated_code_with_transmon_ancillas():
    # Hann et al. (2024): cat data, transmon ancillas, X checks through H on the transmon.
    design = Design(name="thin_surface_cat_transmon", noise=Ocelot(), nbars=(2,), aspects=(3,))
    candidate = design.families()[0].at(0)
    assert candidate.code == RotatedSurfaceCode(dx=3, dz=9)
    circuit = candidate.experiment(candidate.components[0]).circuit()
    assert "H" in str(circuit).split()


def test_rectangular_designs_grow_dx_with_dz_at_their_aspect():
    design = Design(name="thin_surface_cat", noise=Cat(nbar=8), nbars=(8,), aspects=(3,))
    candidate = design.families()[0].at(1)
    assert candidate.code == CatSurfaceCode(dx=5, dz=15)


@pytest.mark.parametrize(
    "kwargs,named",
    [
        ({"name": "toric", "noise": Depolarizing(p=1e-3)}, "design='toric'"),
        ({"name": "repetition_cat", "noise": Depolarizing(p=1e-3)}, "noise="),
        ({"name": "repetition_cat", "noise": Ocelot()}, "a cat noise model"),
        ({"name": "thin_surface_cat_transmon", "noise": Cat(nbar=8)}, "cat_transmon"),
        ({"name": "surface", "noise": Cat(nbar=8)}, "a qubit noise model for design 'surface'"),
        ({"name": "xzzx", "noise": Ocelot()}, "a qubit noise model for design 'xzzx'"),
        ({"name": "surface_rect", "noise": Depolarizing(p=1e-3), "aspects": (0.5,)}, "aspects="),
    ],
)
def test_bad_designs_are_refused_with_the_parameter_named(kwargs, named):
    with pytest.raises(QecError, match=named):
        Design(**kwargs)


def test_weights_must_be_positive():
    with pytest.raises(QecError, match="data weight"):
        QubitWeights(data=0)


def test_what_if_assumptions_include_the_hybrid_designs_at_ocelots_parameters():
    from qec.overhead import Assumptions

    designs = Assumptions(cat_weights=QubitWeights(data=2)).designs()
    hybrid = designs["repetition_cat_transmon"]
    assert hybrid.noise == Ocelot(nbar=1.0)  # the first nbar explored
    assert hybrid.nbars[:3] == (1.0, 1.5, 2.0)
    # a cat counts with its buffer, a transmon as one qubit
    assert hybrid.qubit_rule == "qubits = 2 x cat (data) + 1 x transmon (ancilla)"
    assert "thin_surface_cat_transmon" in designs
    assert Assumptions(nbar=2).designs()["thin_surface_cat_transmon"].nbars == (2,)
