"""Cat data with transmon ancillas: the model's formulas against their sources, the bias
the hybrid gates keep, and the circuits it runs.

Sources (see qec/noise/cat_transmon.py): P25 = Putterman et al., Nature 638, 927 (2025)
(Ocelot); GFG12 = Ghosh, Fowler, Geller, PRA 86, 062318 (2012) (Pauli twirl).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from qec.circuits import RepetitionCode, RotatedSurfaceCode
from qec.cli.main import main
from qec.errors import QecError
from qec.noise import Cat, CatTransmon, Ocelot, detector_error_model
from qec.noise.cat_transmon import pauli_twirled_decoherence
from qec.sampling.core.first_order import first_order_failure
from qec.sampling.core.mechanisms import mechanisms

PAULIS = {
    "I": np.eye(2),
    "X": np.array([[0, 1], [1, 0]]),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1, -1]),
}
NO_CAT_BIT_FLIPS = 1e30  # cat_t_x2 in microseconds: bit flips of the cats switched off


# Formulas against their sources -----------------------------------------------------------
def test_idle_cat_phase_flip_time_at_nbar_2_is_in_putterman_measured_range():
    # P25: at |alpha|^2 = 2, phase-flip times of 27-33 us; rate = d p / dt at t -> 0.
    model = Ocelot(nbar=2)
    rate = model.cat_phase_flip(1e-6) / 1e-6
    assert 27 <= 1 / rate <= 33


def test_cat_phase_flips_per_cycle_at_nbar_2_are_below_putterman_cx_cycle_by_about_11_percent():
    # P25: (9.6 +/- 0.4)e-2 phase flips per 2.8 us cycle under CX activity; the model has
    # photon loss only, 8.5%: the gate's own dephasing is left out (documented).
    model = Ocelot(nbar=2)
    per_cycle = model.cat_phase_flip(2.8)
    assert per_cycle == pytest.approx(0.0851, abs=1e-4)
    assert 0.85 < per_cycle / 0.096 < 0.92


def test_cat_bit_flips_fall_with_nbar_as_exp_minus_2_nbar():
    # GRLGS23 Eq. (D8) exponent; P25's anchor 3.5e-3 per 2.8 us cycle at nbar = 2.
    at_2, at_4 = Ocelot(nbar=2).cat_bit_flip(2.8), Ocelot(nbar=4).cat_bit_flip(2.8)
    assert at_2 == pytest.approx(3.5e-3, rel=0.01)
    assert at_2 / at_4 == pytest.approx(math.exp(4), rel=0.01)


@pytest.mark.parametrize(("t1", "t2", "duration"), [(68.0, 89.0, 0.953), (20.0, 5.0, 3.0)])
def test_transmon_decoherence_is_the_pauli_twirl_of_amplitude_and_phase_damping(t1, t2, duration):
    # Independent brute force: Kraus operators of amplitude damping (gamma = 1 - e^{-t/T1})
    # then phase damping (the rest of the coherence decay to e^{-t/T2}), twirled over the
    # Paulis: p_P = sum_k |tr(P K) / 2|^2.
    gamma = 1 - math.exp(-duration / t1)
    coherence_left = math.exp(-duration / t2) / math.sqrt(1 - gamma)
    lam = 1 - coherence_left**2
    damping = [
        np.array([[1, 0], [0, math.sqrt(1 - gamma)]]),
        np.array([[0, math.sqrt(gamma)], [0, 0]]),
    ]
    dephasing = [
        np.array([[1, 0], [0, math.sqrt(1 - lam)]]),
        np.array([[0, 0], [0, math.sqrt(lam)]]),
    ]
    kraus = [b @ a for a in damping for b in dephasing]
    twirled = {p: sum(abs(np.trace(m @ k) / 2) ** 2 for k in kraus) for p, m in PAULIS.items()}
    assert pauli_twirled_decoherence(duration, t1, t2) == pytest.approx(
        (twirled["X"], twirled["Y"], twirled["Z"]), rel=1e-9
    )


# The bias the hybrid gates keep ---------------------------------------------------------------
def bit_flip_memory(model: CatTransmon, code: RepetitionCode | RotatedSurfaceCode):
    ideal = dataclasses.replace(model, cat_t_x2=NO_CAT_BIT_FLIPS, ideal_data_ends=True)
    return ideal.noisy_circuit(code.memory_circuit(rounds=3, basis="Z"))


def test_ocelot_ancilla_faults_never_flip_a_cat():
    # P25's g/f ancilla: its decay keeps the cat rotating, so with the cats' own bit flips
    # off no fault flips the bit-flip logical (Z...Z) of the repetition code.
    circuit = bit_flip_memory(Ocelot(), RepetitionCode(distance=5, check_basis="X"))
    assert first_order_failure(circuit) < 1e-25  # what the switched-off bit flips leave


def test_a_plain_transmon_ancilla_flips_cats_through_the_cx():
    # gf_ancilla = 0: a g/e transmon's decay before or inside the CX stops the cat's
    # rotation half-way, a bit flip, at about the transmon's decay probability.
    circuit = bit_flip_memory(Ocelot(gf_ancilla=0), RepetitionCode(distance=5, check_basis="X"))
    assert first_order_failure(circuit) > 1e-3


def test_thin_surface_code_z_checks_keep_the_cats_bias():
    # H24's cat-controlled gate: transmon faults reach the cat as Z only, so with the cats'
    # bit flips off nothing flips the code's Z logical (no X on any cat).
    circuit = bit_flip_memory(Ocelot(), RotatedSurfaceCode(dx=3, dz=5))
    found = mechanisms(detector_error_model(circuit))
    flipping = [i for i, observables in enumerate(found.observables) if observables]
    assert max(found.probabilities[flipping]) < 1e-25


# Circuits and input -------------------------------------------------------------------------
def test_ocelot_circuit_runs_from_the_command_line(capsys):
    args = "estimate --code repetition --distance 5 --rounds 5 --basis X --noise ocelot"
    assert main(args.split() + ["--max-shots", "2000", "--method", "monte_carlo"]) == 0
    out = capsys.readouterr().out
    assert "noise=ocelot:nbar=1.5" in out and "per round" in out


def test_cat_model_refuses_transmon_qubits():
    circuit = RepetitionCode(distance=3).memory_circuit(rounds=1, basis="X")
    with pytest.raises(QecError, match="cat_transmon"):
        Cat(nbar=8).noisy_circuit(circuit.with_kinds(data="cat", ancillas="transmon"))


def test_cat_transmon_refuses_a_cx_between_two_cats():
    circuit = RepetitionCode(distance=3).memory_circuit(rounds=1, basis="X")
    with pytest.raises(QecError, match="between a cat and a cat"):
        Ocelot().noisy_circuit(circuit.with_kinds(data="cat", ancillas="cat"))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"transmon_t2": 200.0}, "transmon_t2=200.0 is not allowed: expected at most 2 \\* "),
        ({"cat_t1": -1.0}, "cat_t1=-1.0 is not allowed"),
        ({"readout_error": 1.5}, "readout_error=1.5 is not allowed"),
        ({"gf_ancilla": 2}, "gf_ancilla=2 is not allowed"),
    ],
)
def test_bad_parameters_name_the_parameter(params, message):
    with pytest.raises(QecError, match=message):
        CatTransmon(nbar=2, **params)
