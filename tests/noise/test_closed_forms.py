"""Logical error rates against closed forms."""

from __future__ import annotations

import pytest

from qec import CodeCapacity, RepetitionCode
from qec.experiment import MemoryExperiment
from qec.sampling import count_logical_errors
from tests.conftest import binomial_tail, z_score


@pytest.mark.parametrize("distance,p", [(3, 0.2), (5, 0.1), (7, 0.3), (9, 0.05)])
@pytest.mark.parametrize("basis", ["X", "Z"])
def test_repetition_code_under_code_capacity_fails_with_the_binomial_tail(distance, p, basis):
    # Matching on a line decodes to the majority: a logical error needs more than half
    # of the data qubits flipped.
    exact = binomial_tail(distance, (distance + 1) // 2, p)
    circuit = MemoryExperiment(
        code=RepetitionCode(distance=distance), noise=CodeCapacity(p=p), rounds=1, basis=basis
    ).circuit()
    shots = 200_000
    errors = count_logical_errors(circuit, shots=shots, seed=distance)
    # |z| > 5 has probability 6e-7 for a correct rate.
    assert abs(z_score(errors, shots, exact)) < 5


def test_repetition_code_threshold_is_one_half_under_code_capacity():
    # Below p = 1/2 a longer code fails less; at p = 1/2 every distance fails half the time.
    def failure_rate(distance: int, p: float) -> float:
        circuit = MemoryExperiment(
            code=RepetitionCode(distance=distance), noise=CodeCapacity(p=p), rounds=1, basis="Z"
        ).circuit()
        return count_logical_errors(circuit, shots=50_000, seed=distance) / 50_000

    assert failure_rate(9, 0.4) < failure_rate(3, 0.4) - 0.05  # exact: 0.267 vs 0.352
    for distance in (3, 9):
        # 50,000 fair coins: |rate - 1/2| > 0.0115 has probability 3e-7.
        assert abs(failure_rate(distance, 0.5) - 0.5) < 0.0115
