"""First-order rates of failures the checks cannot see, against direct sampling."""

from __future__ import annotations

import math

from qec import Cat, Depolarizing, RepetitionCode
from qec.experiment import MemoryExperiment
from qec.sampling import count_logical_errors
from qec.sampling.core.first_order import first_order_failure


def test_bit_flip_part_of_the_repetition_cat_code_matches_direct_sampling():
    # At nbar = 3 bit flips are frequent enough to sample (~3% per shot); second-order
    # terms are ~0.1%, within the statistical error allowed here.
    code = RepetitionCode(distance=5, check_basis="X")
    circuit = MemoryExperiment(
        code=code, noise=Cat(nbar=3, k1_k2=1e-3), rounds=5, basis="Z"
    ).circuit()
    predicted = first_order_failure(circuit)
    shots = 200_000
    errors = count_logical_errors(circuit, shots=shots, seed=5)
    sigma = math.sqrt(shots * predicted * (1 - predicted))
    # |z| > 5 has probability 6e-7 if the prediction is right.
    assert abs(errors - shots * predicted) < 5 * sigma + 0.002 * shots * predicted


def test_bit_flips_are_suppressed_exponentially_in_nbar():
    code = RepetitionCode(distance=5, check_basis="X")

    def part(nbar: float) -> float:
        return first_order_failure(
            MemoryExperiment(
                code=code,
                noise=Cat(nbar=nbar, k1_k2=1e-3, ideal_data_ends=True),
                rounds=5,
                basis="Z",
            ).circuit()
        )

    ratio = part(10) / part(8)
    assert math.exp(-4) / 2 < ratio < math.exp(-4) * 2  # ~ exp(-2 nbar) per photon pair


def test_failures_that_the_decoder_corrects_do_not_count():
    # In a protected memory every single fault is corrected: the first-order rate is 0.
    circuit = MemoryExperiment(
        code=RepetitionCode(distance=5), noise=Depolarizing(p=1e-3), rounds=3, basis="Z"
    ).circuit()
    assert first_order_failure(circuit) == 0
