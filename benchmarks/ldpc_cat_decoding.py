"""BP+OSD on the LDPC-cat codes: decode rates and failures of decoder settings on the
same shots.

For each distance, one seeded batch of shots of the phase-flip memory (`LdpcCatCode`, d
rounds, `CatFirstOrder` at nbar = 11 and kappa_1/kappa_2 = `--k1-k2`) is decoded by each
decoder through sinter's interface on one core: `bposd-ruiz25` (the authors' settings
with 30 BP iterations), the same with the authors' 10,000 iterations (small distances
only: it is slow where BP does not converge), and stimbposd's default `bposd`
(product-sum BP). The shots are the same, so the failure counts compare directly (a
paired comparison). Prints a markdown table: shots, failures, seconds, shots per second.

    python benchmarks/ldpc_cat_decoding.py [--k1-k2 2e-4] [--shots 400]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import stimbposd

from qec import CatFirstOrder, LdpcCatCode, MemoryExperiment
from qec.sampling.core.decoders import (
    RUIZ25_BPOSD,
    RUIZ25_DECODER,
    DecoderChoice,
    decoder_error_model,
    wrong_predictions,
)

AUTHORS_ITERATIONS = {**RUIZ25_BPOSD, "max_bp_iters": 10_000}
DECODERS = {
    RUIZ25_DECODER: DecoderChoice(RUIZ25_DECODER),
    "bposd-ruiz25, 10,000 BP iterations": DecoderChoice(
        "authors", {"authors": stimbposd.SinterDecoder_BPOSD(**AUTHORS_ITERATIONS)}
    ),
    "bposd (stimbposd default)": DecoderChoice("bposd"),
}
# The authors' iteration count only where it finishes in minutes.
SLOW_UP_TO = 9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k1-k2", type=float, default=2e-4)
    parser.add_argument("--shots", type=int, default=400, help="shots at d = 5 (fewer above)")
    args = parser.parse_args()
    print(f"kappa_1/kappa_2 = {args.k1_k2:g}, nbar = 11, d rounds, one core")
    print()
    print("| d | decoder | shots | failures | seconds | shots/s |")
    print("|---|---|---|---|---|---|")
    for distance in (5, 9, 12, 16, 22):
        experiment = MemoryExperiment(
            code=LdpcCatCode(distance=distance),
            noise=CatFirstOrder(nbar=11, k1_k2=args.k1_k2),
            rounds=distance,
            basis="X",
        )
        circuit = experiment.circuit()
        shots = max(20, args.shots * 25 // distance**2)
        sampler = circuit.compile_detector_sampler(seed=distance)
        syndromes, flips = sampler.sample(shots, separate_observables=True, bit_packed=True)
        for label, choice in DECODERS.items():
            if "10,000" in label and distance > SLOW_UP_TO:
                continue
            predict = choice.compiled(decoder_error_model(circuit, choice.name))
            start = time.perf_counter()
            failures = int(np.sum(wrong_predictions(predict(syndromes), flips)))
            seconds = time.perf_counter() - start
            print(
                f"| {distance} | {label} | {shots} | {failures} | {seconds:.1f} | "
                f"{shots / seconds:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
