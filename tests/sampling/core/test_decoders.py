"""Decoders by name, custom decoders, and refusing hyperedges a matching decoder drops."""

from __future__ import annotations

import numpy as np
import pymatching
import pytest
import sinter
import stim

from qec import Depolarizing, RotatedSurfaceCode
from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.sampling.core.decoders import DecoderChoice, find_decoder
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.splitting.runs import run_splitting
from qec.sampling.stratified.sampler import estimate_stratified
from tests.conftest import stim_generated

# One mechanism flips three detectors and the observable; nothing decomposes it.
HYPEREDGE = stim.Circuit("""
    X_ERROR(0.1) 0
    M 0
    DETECTOR rec[-1]
    DETECTOR rec[-1]
    DETECTOR rec[-1]
    OBSERVABLE_INCLUDE(0) rec[-1]
""")


class CountingMatching(sinter.Decoder):
    """PyMatching through sinter's interface, counting the shots it decodes."""

    decoded = 0

    def compile_decoder_for_dem(self, *, dem: stim.DetectorErrorModel) -> sinter.CompiledDecoder:
        matching = pymatching.Matching.from_detector_error_model(dem)
        owner = self

        class Compiled(sinter.CompiledDecoder):
            def decode_shots_bit_packed(self, *, bit_packed_detection_event_data):
                owner.decoded += len(bit_packed_detection_event_data)
                return matching.decode_batch(
                    bit_packed_detection_event_data,
                    bit_packed_shots=True,
                    bit_packed_predictions=True,
                )

        return Compiled()


def surface(d: int, p: float) -> stim.Circuit:
    code = RotatedSurfaceCode(distance=d)
    return MemoryExperiment(code=code, noise=Depolarizing(p=p), rounds=d, basis="Z").circuit()


def test_unknown_decoder_names_the_parameter_and_what_is_allowed():
    with pytest.raises(QecError) as error:
        find_decoder("mwpm")
    assert error.value.parameter == "decoder" and "bposd" in str(error.value.allowed)


def test_custom_decoders_must_be_sinter_decoders():
    with pytest.raises(QecError) as error:
        DecoderChoice("mine", {"mine": object()})
    assert error.value.parameter == "custom_decoders"


def test_a_custom_decoder_wins_over_a_built_in_of_the_same_name():
    mine = CountingMatching()
    assert find_decoder("pymatching", {"pymatching": mine}) is mine
    assert not DecoderChoice("pymatching", {"pymatching": mine}).is_pymatching


def test_bposd_is_found_through_stimbposd():
    assert type(find_decoder("bposd")).__name__ == "SinterDecoder_BPOSD"


def test_matching_decoders_refuse_hyperedges_and_bposd_takes_them():
    with pytest.raises(QecError) as error:
        DecodingProblem(HYPEREDGE)
    assert error.value.parameter == "decoder" and error.value.value == "pymatching"
    problem = DecodingProblem(HYPEREDGE, DecoderChoice("bposd"))
    # The one mechanism alone: BP+OSD sees all three detectors and corrects it.
    assert problem.failures(np.array([[0]])).tolist() == [False]


def test_hyperedges_stim_can_decompose_are_matched():
    # stim's XYZ colour code has 3-detector mechanisms that decompose into edges.
    circuit = stim_generated("color_code:memory_xyz", 3, 3, 1e-3)
    assert circuit.detector_error_model(approximate_disjoint_errors=True).num_errors > 0
    assert DecodingProblem(circuit).matching is not None


def test_stratified_sampling_decodes_through_a_custom_decoder_as_pymatching_does():
    # The same decoding through sinter's interface: every f_w sampled with the same
    # seed gives the same counts (certification is off for both: a custom decoder
    # gets none), so the estimates are equal.
    circuit = surface(3, 3e-3)
    mine = CountingMatching()
    kwargs = dict(max_samples=20_000, seed=4, certify=False, max_enumerate=0)
    fast = estimate_stratified(circuit, **kwargs)
    custom = estimate_stratified(circuit, decoder=DecoderChoice("mine", {"mine": mine}), **kwargs)
    assert mine.decoded >= custom.samples > 0
    assert (custom.rate, custom.low, custom.high) == (fast.rate, fast.low, fast.high)


def test_splitting_decodes_through_a_custom_decoder_as_pymatching_does():
    circuit = surface(3, 2e-3)
    mine = CountingMatching()
    runs = []
    for decoder in (None, DecoderChoice("mine", {"mine": mine})):
        ladder, result = run_splitting(
            circuit,
            strong_id="x",
            metadata={},
            path=None,
            rel_precision=1.0,
            max_seconds=None,
            seed=5,
            workers=1,
            decoder=decoder,
        )
        runs.append((ladder, result.rate, result.units))
    assert mine.decoded > 0 and runs[0] == runs[1]
