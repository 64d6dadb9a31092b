"""Independent fault sets drawn sparsely (`qec.sampling.core.fault_sets.independent_faults`) and
their detection events (`DecodingProblem.fault_set_flips`)."""

from __future__ import annotations

import numpy as np
from scipy.stats import chisquare

from qec.circuits import RotatedSurfaceCode
from qec.noise import Depolarizing
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.fault_sets import independent_faults


def test_independent_faults_draw_every_configuration_with_its_product_probability() -> None:
    # Three shots of two sparsely drawn mechanisms (many repeats to redraw) beside a
    # densely drawn one: 40,000 draws of the 64 joint configurations of the sparse pair
    # against the product law. False-failure probability 1e-4 (chi-square p-value
    # threshold), fixed seed.
    p = np.array([0.25, 0.2, 0.6])
    shots, draws = 3, 40_000
    rng = np.random.default_rng(11)
    counts = np.zeros(2 ** (2 * shots))
    for _ in range(draws):
        shot, mechanism = independent_faults(p, shots=shots, rng=rng)
        sparse = mechanism < 2  # bit 2 * shot + i: mechanism i fired in that shot
        counts[np.sum(2 ** (2 * shot[sparse] + mechanism[sparse]))] += 1
    bits = (np.arange(len(counts))[:, None] >> np.arange(2 * shots)) & 1
    law = np.prod(np.where(bits == 1, np.tile(p[:2], shots), 1 - np.tile(p[:2], shots)), axis=1)
    assert chisquare(counts, law * draws).pvalue > 1e-4


def test_independent_faults_are_sorted_by_shot_and_never_repeat_a_mechanism() -> None:
    rng = np.random.default_rng(5)
    p = rng.uniform(0.0, 0.3, size=500)
    shot, mechanism = independent_faults(p, shots=50, rng=rng)
    keys = shot * len(p) + mechanism
    assert np.all(np.diff(keys) > 0)
    frequencies = np.bincount(mechanism, minlength=len(p)) / 50
    assert abs(frequencies.mean() - p.mean()) < 0.01  # 25,000 Bernoulli draws: sd 0.002


def test_fault_set_flips_are_the_xor_of_the_mechanisms_rows() -> None:
    circuit = Depolarizing(p=0.01).noisy_circuit(
        RotatedSurfaceCode(distance=3).memory_circuit(rounds=3, basis="Z")
    )
    problem = DecodingProblem(circuit)
    rng = np.random.default_rng(2)
    probabilities = np.full(problem.num_mechanisms, 0.05)
    shot, mechanism = independent_faults(probabilities, shots=200, rng=rng)
    detections, flips = problem.fault_set_flips(200, shot, mechanism)
    for k in range(200):
        members = mechanism[shot == k]
        assert np.array_equal(
            detections[k], np.bitwise_xor.reduce(problem.detector_bits[members], axis=0)
        )
        assert np.array_equal(
            flips[k], np.bitwise_xor.reduce(problem.observable_bits[members], axis=0)
        )
