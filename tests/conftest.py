"""Shared helpers for the tests."""

from __future__ import annotations

import math
import pathlib
import sys

import numpy as np
import pymatching
import stim

from qec.noise import detector_error_model


def stim_generated(kind: str, distance: int, rounds: int, p: float) -> stim.Circuit:
    """stim's generated circuit `kind` with every one of its noise arguments set to p."""
    return stim.Circuit.generated(
        kind,
        distance=distance,
        rounds=rounds,
        after_clifford_depolarization=p,
        before_round_data_depolarization=p,
        before_measure_flip_probability=p,
        after_reset_flip_probability=p,
    )


def binomial_tail(n: int, k: int, p: float) -> float:
    """P(Binomial(n, p) >= k), summed exactly."""
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


def z_score(errors: int, shots: int, expected_rate: float) -> float:
    """How many binomial standard deviations `errors` lies from shots * expected_rate."""
    mean = shots * expected_rate
    return (errors - mean) / math.sqrt(shots * expected_rate * (1 - expected_rate))


def logical_failures(circuit: stim.Circuit, shots: int, seed: int) -> int:
    """Failures of `shots` seeded shots decoded by PyMatching: the plain bit-packed loop."""
    matching = pymatching.Matching.from_detector_error_model(detector_error_model(circuit))
    sampler = circuit.compile_detector_sampler(seed=seed)
    detectors, observables = sampler.sample(shots, separate_observables=True, bit_packed=True)
    predictions = matching.decode_batch(
        detectors, bit_packed_shots=True, bit_packed_predictions=True
    )
    return int(np.count_nonzero(np.any(predictions != observables, axis=1)))


def rotated_estimate_command(distance: int, p: float, method: str, *options: str) -> list[str]:
    """`qec estimate` as a separate process: the rotated code's memory at `distance`
    (as many rounds) under depolarizing noise `p`, by `method`, with `options`."""
    return [
        sys.executable,
        "-m",
        "qec.cli.main",
        "estimate",
        "--code",
        "rotated_surface",
        "--distance",
        str(distance),
        "--rounds",
        str(distance),
        "--noise",
        f"depolarizing:p={p}",
        "--method",
        method,
        *options,
    ]


def direct_estimate_command(save: pathlib.Path, *, max_shots: int) -> list[str]:
    """Direct sampling of the rotated code at d = 5, p = 3e-3 on 2 sinter workers until
    `max_shots` (no error limit in reach), saved, as a separate process."""
    limits = ["--max-shots", str(max_shots), "--max-errors", str(max_shots)]
    return rotated_estimate_command(
        5, 0.003, "monte_carlo", *limits, "--workers", "2", "--quiet", "--save", str(save)
    )
