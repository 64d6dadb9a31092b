"""Failures no syndrome can catch, computed to first order from the error model.

The bit-flip part of a phase-flip repetition code (its Z...Z logical) is flipped by one
bit flip on any qubit; no check sees it. Its rate, ~1e-9 or less, is out of reach of
sampling, but each such mechanism is rare and acts alone: to first order in those
probabilities the shot fails with probability sum_i p_i f_i, where f_i = 1 when the
decoder, shown only mechanism i's detection events, predicts the observable wrongly.
The decoder is run, not assumed: a mechanism whose events the decoder does correct
does not count.
"""

from __future__ import annotations

import numpy as np
import stim

from qec.noise import detector_error_model
from qec.sampling.core.decoders import DecoderChoice, decoder_error_model, wrong_predictions
from qec.sampling.core.mechanisms import mechanisms


def first_order_failure(circuit: stim.Circuit, *, decoder: str | None = "pymatching") -> float:
    """sum_i p_i f_i over the error mechanisms i that flip an observable, decoded by
    `decoder` (sinter's name). With `decoder` None every such mechanism counts (f_i =
    1): an upper bound, for codes whose decoder is too slow to run on each mechanism
    (BP+OSD on an LDPC-cat code's thousands of them) and which correct few of them.

    Exact up to terms of second order in the probabilities of those mechanisms (the
    others, e.g. phase flips the checks see, only count through what the decoder does
    with them alone).

    Examples:
        >>> from qec import RepetitionCode, Cat
        >>> code = RepetitionCode(distance=3, check_basis="X")
        >>> model = Cat(nbar=4, ideal_data_ends=True)
        >>> circuit = model.noisy_circuit(code.memory_circuit(rounds=2, basis="Z"))
        >>> 0 < first_order_failure(circuit) < 1e-3
        True
        >>> first_order_failure(circuit) <= first_order_failure(circuit, decoder=None)
        True
    """
    if decoder is None:
        dem = detector_error_model(circuit, graphlike=False)
    else:
        dem = decoder_error_model(circuit, decoder)
    found = mechanisms(dem)
    flipping = [i for i, observables in enumerate(found.observables) if observables]
    if not flipping:
        return 0.0
    if decoder is None:
        return float(np.sum(found.probabilities[flipping]))
    predict = DecoderChoice(decoder).compiled(dem)
    wrong = wrong_predictions(
        predict(found.detector_bits(flipping)), found.observable_bits(flipping)
    )
    return float(np.sum(found.probabilities[flipping][wrong]))
