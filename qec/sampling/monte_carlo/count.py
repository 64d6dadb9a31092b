"""Seeded, in-process direct sampling: reproducible counts for tests, benchmarks and
the work units of the Dask backend."""

from __future__ import annotations

import functools

import numpy as np
import stim

from qec.errors import check_int
from qec.interrupts import native_call
from qec.sampling.core.decoders import (
    DecoderChoice,
    Predict,
    decoder_error_model,
    wrong_predictions,
)


@functools.lru_cache(maxsize=8)
def _compiled(circuit_text: str, decoder_key: bytes) -> tuple[stim.Circuit, Predict]:
    """The circuit and its compiled decoder, kept for the next unit of the same task."""
    circuit = stim.Circuit(circuit_text)
    choice = DecoderChoice.from_key(decoder_key)
    return circuit, choice.compiled(decoder_error_model(circuit, choice.name))


def count_logical_errors(
    circuit: stim.Circuit | str,
    *,
    shots: int,
    seed: int,
    decoder: str | DecoderChoice = "pymatching",
) -> int:
    """Samples `shots` shots of `circuit` with stim's seeded sampler, decodes them with
    `decoder` (a name, or a `DecoderChoice` with custom decoders) in this process and
    returns how many the decoder got wrong.

    The same (circuit, shots, seed, decoder) always gives the same count.

    Examples:
        >>> from qec import RepetitionCode, CodeCapacity
        >>> circuit = CodeCapacity(p=0.0).noisy_circuit(
        ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z"))
        >>> count_logical_errors(circuit, shots=100, seed=1)
        0
    """
    check_int("shots", shots, minimum=0)
    choice = decoder if isinstance(decoder, DecoderChoice) else DecoderChoice(decoder)
    errors = 0
    with native_call():  # it writes nothing: a signal to the command line ends it at once
        compiled_circuit, predict = _compiled(str(circuit), choice.key())
        sampler = compiled_circuit.compile_detector_sampler(seed=seed)
        batch = 100_000
        for start in range(0, shots, batch):
            n = min(batch, shots - start)
            detections, observables = sampler.sample(n, separate_observables=True, bit_packed=True)
            errors += int(np.count_nonzero(wrong_predictions(predict(detections), observables)))
    return errors
