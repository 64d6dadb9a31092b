"""Circuits qec did not build, decoded by PyMatching and by BP+OSD: stratified sampling
and splitting against direct sampling of the same circuit with the same decoder.

The circuits are stim's own generated ones (`stim.Circuit.generated`): the unrotated
surface code (memory X and Z) and the 6.6.6 colour code with XYZ measurements, under
stim's circuit noise arguments. The reference is direct sampling (stim's seeded sampler
and the same decoder, `count_logical_errors`), which knows nothing of fault sets or
ladders. Each check asks that the estimator's 95% interval overlaps the direct 95%
Wilson interval: for two independent 95% intervals of the same rate, about 0.6% of
seeds fail that (|Z1 - Z2| > 1.96 sqrt 2); the seeds are fixed.
"""

from __future__ import annotations

import functools

import pytest
import stim

from qec.experiment import CircuitExperiment
from qec.intervals import wilson
from qec.sampling import estimate
from qec.sampling.monte_carlo.count import count_logical_errors
from tests.conftest import stim_generated

pytestmark = pytest.mark.slow


def overlap(a, b) -> bool:
    return a.low <= b.high and b.low <= a.high


@functools.cache
def direct(circuit_text: str, shots: int, seed: int, decoder: str):
    circuit = stim.Circuit(circuit_text)
    errors = count_logical_errors(circuit, shots=shots, seed=seed, decoder=decoder)
    return wilson(errors=errors, shots=shots)


def check(circuit, *, method, decoder, shots, max_seconds, rel_precision=0.1):
    reference = direct(str(circuit), shots, 11, decoder)
    result = estimate(
        CircuitExperiment(circuit),
        method=method,
        decoder=decoder,
        rel_precision=rel_precision,
        max_seconds=max_seconds,
        seed=3,
        num_workers=1,
        progress=False,
    )
    assert result.decoder == decoder and result.method == method
    assert overlap(result.per_shot, reference), (result.per_shot, reference)


@pytest.mark.parametrize("basis", ["x", "z"])
@pytest.mark.parametrize("method", ["stratified", "splitting"])
def test_unrotated_surface_code_from_stim_agrees_with_direct_sampling(basis, method):
    # p = 1e-3, d = 5, 5 rounds: about 1.2e-4 per shot, where splitting climbs a ladder
    # of 3 noise strengths; 10 million direct shots see ~1,200 failures (~17 s each).
    circuit = stim_generated(f"surface_code:unrotated_memory_{basis}", 5, 5, 1e-3)
    check(circuit, method=method, decoder="pymatching", shots=10_000_000, max_seconds=60)


@pytest.mark.parametrize("method", ["stratified", "splitting"])
def test_bposd_decodes_a_colour_code_with_hyperedges_in_every_method(method):
    # The colour code's detector error model keeps hyperedges that matching would drop;
    # BP+OSD (stimbposd) decodes them. p = 1e-3, d = 3, 3 rounds: ~1.7e-2 per shot
    # (stim's circuit has single faults that BP+OSD gets wrong, so the rate is high).
    circuit = stim_generated("color_code:memory_xyz", 3, 3, 1e-3)
    check(circuit, method=method, decoder="bposd", shots=200_000, max_seconds=60)


def test_bposd_splitting_climbs_its_ladder_to_the_direct_rate():
    # stim's rotated surface code at p = 4e-4, d = 3: ~1.2e-4 per shot, so splitting
    # starts at odds x 2.8 and carries the rate down 4 levels, every configuration
    # decoded by BP+OSD (~3,000 a second here); 2 million direct shots take ~40 s.
    circuit = stim_generated("surface_code:rotated_memory_z", 3, 3, 4e-4)
    check(
        circuit,
        method="splitting",
        decoder="bposd",
        shots=2_000_000,
        max_seconds=60,
        rel_precision=0.25,
    )
