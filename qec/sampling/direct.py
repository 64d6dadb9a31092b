"""Seeded, in-process direct sampling: reproducible counts for tests and benchmarks."""

from __future__ import annotations

import numpy as np
import sinter
import stim

from qec.errors import QecError
from qec.noise._model import detector_error_model
from qec.sampling.decoders import check_decoder


def count_logical_errors(
    circuit: stim.Circuit, *, shots: int, seed: int, decoder: str = "pymatching"
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
    if isinstance(shots, bool) or not isinstance(shots, int) or shots < 0:
        raise QecError.invalid("shots", shots, "an integer >= 0")
    check_decoder(decoder)
    dem = detector_error_model(circuit)
    compiled = sinter.BUILT_IN_DECODERS[decoder].compile_decoder_for_dem(dem=dem)
    sampler = circuit.compile_detector_sampler(seed=seed)
    errors = 0
    batch = 100_000
    for start in range(0, shots, batch):
        n = min(batch, shots - start)
        detections, observables = sampler.sample(
            n, separate_observables=True, bit_packed=True
        )
        predictions = compiled.decode_shots_bit_packed(bit_packed_detection_event_data=detections)
        errors += int(np.count_nonzero(np.any(predictions != observables, axis=1)))
    return errors
