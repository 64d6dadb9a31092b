"""Biased noise helps the codes built for it, and only those."""

from __future__ import annotations

import math

import pytest

from qec import Biased, Depolarizing, RepetitionCode, RotatedSurfaceCode, XZZXSurfaceCode
from qec.experiment import MemoryExperiment
from qec.sampling import count_logical_errors

PURE_Z = math.inf
SHOTS = 20_000


def failures(code, noise, basis, seed):
    circuit = MemoryExperiment(code=code, noise=noise, rounds=5, basis=basis).circuit()
    return count_logical_errors(circuit, shots=SHOTS, seed=seed)


@pytest.mark.parametrize("basis", ["X", "Z"])
def test_xzzx_code_does_far_better_under_pure_z_noise_than_under_depolarizing(basis):
    code = XZZXSurfaceCode(distance=5)
    pure_z = failures(code, Biased(p=0.01, eta=PURE_Z), basis, seed=1)
    depolarizing = failures(code, Depolarizing(p=0.01), basis, seed=2)
    # Measured ratios are 10-20x; a factor 4 leaves > 10 standard deviations of room.
    assert 4 * pure_z < depolarizing


def test_phase_flip_repetition_code_does_far_better_under_pure_z_noise():
    # The code's logical qubit fails when either logical operator flips: X (corrected,
    # distance d) or Z...Z (flipped by one bit flip anywhere, not corrected).
    code = RepetitionCode(distance=7, check_basis="X")

    def total(noise, seed):
        return failures(code, noise, "X", seed) + failures(code, noise, "Z", seed + 1)

    pure_z = total(Biased(p=0.01, eta=PURE_Z), seed=3)
    depolarizing = total(Depolarizing(p=0.01), seed=5)
    assert failures(code, Biased(p=0.01, eta=PURE_Z), "Z", seed=7) == 0  # no bit flips at all
    assert 20 * pure_z < depolarizing


def test_css_surface_code_gets_no_help_from_pure_z_noise_in_its_x_memory():
    code = RotatedSurfaceCode(distance=5)
    pure_z = failures(code, Biased(p=0.01, eta=PURE_Z), "X", seed=8)
    depolarizing = failures(code, Depolarizing(p=0.01), "X", seed=9)
    assert pure_z > depolarizing / 2


def test_bias_one_half_is_depolarizing_and_larger_bias_moves_weight_to_z():
    p = 0.003
    assert Biased(p=p, eta=0.5).single_qubit_probabilities() == pytest.approx((p / 3,) * 3)
    assert Biased(p=p, eta=0.5).two_qubit_probabilities() == pytest.approx((p / 15,) * 15)
    p_x, p_y, p_z = Biased(p=p, eta=100).single_qubit_probabilities()
    assert p_z / (p_x + p_y) == pytest.approx(100)
    assert p_x + p_y + p_z == pytest.approx(p)
    two = Biased(p=p, eta=100).two_qubit_probabilities()
    paulis = [a + b for a in "IXYZ" for b in "IXYZ"][1:]
    z_type = [q for q, pauli in zip(two, paulis, strict=False) if set(pauli) <= {"I", "Z"}]
    assert sum(two) == pytest.approx(p)
    assert len(z_type) == 3 and min(z_type) == pytest.approx(200 * max(set(two) - set(z_type)))
