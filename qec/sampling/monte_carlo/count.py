"""Seeded, in-process direct sampling: reproducible counts for tests, benchmarks and
the work units of the Dask backend."""

from __future__ import annotations

import functools

import numpy as np
import sinter
import stim

from qec.errors import check_int
from qec.noise import detector_error_model
from qec.sampling.core.decoders import check_decoder


@functools.lru_cache(maxsize=8)
def _compiled(circuit_text: str, decoder: str) -> tuple[stim.Circuit, sinter.CompiledDecoder]:
    """The circuit and its compiled decoder, kept for the next unit of the same task."""
    circuit = stim.Circuit(circuit_text)
    dem = detector_error_model(circuit)
    return circuit, sinter.BUILT_IN_DECODERS[decoder].compile_decoder_for_dem(dem=dem)


def count_logical_errors(
    circuit: stim.Circuit | str, *, shots: int, seed: int, decoder: str = "pymatching"
) -> int:
    """Samples `shots` shots of `circuit` with stim's seeded sampler, decodes them with
    sinter's `decoder` in this process and returns how many the decoder got wrong.

    The same (circuit, shots, seed, decoder) always gives the same count.

    Examples:
        >>> from qec import RepetitionCode, CodeCapacity
        >>> circuit = CodeCapacity(p=0.0).noisy_circuit(
        ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z"))
        >>> count_logical_errors(circuit, shots=100, seed=1)
        0
    """
    check_int("shots", shots, minimum=0)
    check_decoder(decoder)
    compiled_circuit, compiled = _compiled(str(circuit), decoder)
    sampler = compiled_circuit.compile_detector_sampler(seed=seed)
    errors = 0
    batch = 100_000
    for start in range(0, shots, batch):
        n = min(batch, shots - start)
        detections, observables = sampler.sample(n, separate_observables=True, bit_packed=True)
        predictions = compiled.decode_shots_bit_packed(bit_packed_detection_event_data=detections)
        errors += int(np.count_nonzero(np.any(predictions != observables, axis=1)))
    return errors
