"""rotated_surface under depolarizing(p) is stim's surface_code:rotated_memory circuit."""

from __future__ import annotations

import math

import pytest
import stim

from qec import Depolarizing, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.sampling import count_logical_errors
from tests.conftest import stim_generated


def stim_reference(distance: int, rounds: int, basis: str, p: float) -> stim.Circuit:
    return stim_generated(f"surface_code:rotated_memory_{basis.lower()}", distance, rounds, p)


def ours(distance: int, rounds: int, basis: str, p: float) -> stim.Circuit:
    return MemoryExperiment(
        code=RotatedSurfaceCode(distance=distance),
        noise=Depolarizing(p=p),
        rounds=rounds,
        basis=basis,
    ).circuit()


def error_signature(circuit: stim.Circuit) -> list[tuple[float, int, int]]:
    """The multiset of (probability, detectors hit, observables hit) of every mechanism."""
    dem = circuit.detector_error_model().flattened()
    signature = []
    for instruction in dem:
        if instruction.type == "error":
            targets = instruction.targets_copy()
            signature.append(
                (
                    round(instruction.args_copy()[0], 12),
                    sum(t.is_relative_detector_id() for t in targets),
                    sum(t.is_logical_observable_id() for t in targets),
                )
            )
    return sorted(signature)


@pytest.mark.parametrize("basis", ["X", "Z"])
@pytest.mark.parametrize("distance,rounds", [(3, 3), (5, 5)])
def test_same_detectors_and_same_error_mechanisms_as_stim(basis, distance, rounds):
    a, b = ours(distance, rounds, basis, 0.002), stim_reference(distance, rounds, basis, 0.002)
    assert a.num_detectors == b.num_detectors
    assert a.num_observables == b.num_observables == 1
    assert error_signature(a) == error_signature(b)


@pytest.mark.parametrize("basis", ["X", "Z"])
def test_logical_error_rate_equals_stims_within_statistical_error(basis):
    shots, p = 100_000, 0.006
    k_ours = count_logical_errors(ours(3, 3, basis, p), shots=shots, seed=11)
    k_stim = count_logical_errors(stim_reference(3, 3, basis, p), shots=shots, seed=12)
    # Two-proportion z-test; |z| > 4.5 happens with probability 7e-6 when rates are equal.
    pooled = (k_ours + k_stim) / (2 * shots)
    z = (k_ours - k_stim) / math.sqrt(2 * shots * pooled * (1 - pooled))
    assert k_ours > 100
    assert abs(z) < 4.5
