"""How fast stratified sampling reaches 1e-11 per round, against direct Monte Carlo.

The phase-flip repetition code of cat qubits (basis X) under the `cat` noise model, at a
distance where the logical error rate per round is around 1e-11. Reports the wall time
until the 95% interval lies within a factor 1.5 of the estimate (low >= rate / 1.5 and
high <= 1.5 * rate), and the shots direct Monte Carlo would need for the same precision
(a binomial estimate has high / rate ~ 1 + 1.96 / sqrt(errors), so it needs ~16 errors,
i.e. 16 / p_shot shots). Goal: under 5 minutes on 2 cores.

    python benchmarks/stratified_cat.py [--distance 11] [--nbar 8] [--k1-k2 2e-5] [--t-cx 10]
"""

from __future__ import annotations

import argparse
import math
import time

from qec import Cat, RepetitionCode
from qec.experiment import MemoryExperiment
from qec.intervals import Interval
from qec.sampling import estimate_stratified
from qec.sampling.auto import mean_fault_count

FACTOR = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distance", type=int, default=11)
    parser.add_argument("--nbar", type=float, default=8)
    parser.add_argument("--k1-k2", type=float, default=2e-5)
    parser.add_argument("--t-cx", type=float, default=10)
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    noise = Cat(nbar=args.nbar, k1_k2=args.k1_k2, t_cx=args.t_cx)
    d = args.distance
    experiment = MemoryExperiment(code=RepetitionCode(distance=d), noise=noise, rounds=d, basis="X")
    circuit = experiment.circuit()
    print(f"phase-flip repetition cat code, d = rounds = {d}, noise {noise.spec()}")
    print(f"mean faults per shot: {mean_fault_count(circuit):.3g}")

    start = time.perf_counter()
    estimate = None
    while True:
        estimate = estimate_stratified(
            circuit, rel_precision=0.2, max_seconds=5, seed=args.seed, resume=estimate
        )
        wall = time.perf_counter() - start
        within = (
            estimate.rate > 0
            and estimate.high <= FACTOR * estimate.rate
            and estimate.low >= estimate.rate / FACTOR
        )
        if within or wall > args.max_seconds:
            break
    shot = Interval(estimate.rate, estimate.low, estimate.high)
    rnd = shot.per_round(rounds=d)
    print(
        f"per shot:  {shot}  ({estimate.samples:,} fault sets sampled, "
        f"{estimate.failures:,} failures, {estimate.max_faults} strata)"
    )
    print(f"per round: {rnd}")
    status = "reached" if within else "NOT reached"
    print(f"wall time to an interval within a factor {FACTOR}: {wall:.1f} s ({status}; one core)")
    errors_needed = math.ceil((1.96 / (FACTOR - 1)) ** 2)
    shots_needed = errors_needed / estimate.rate
    print(
        f"direct Monte Carlo would need ~{errors_needed} errors = {shots_needed:.2g} shots "
        f"(at 1e6 shots/s: {shots_needed / 1e6 / 3600:.2g} hours)"
    )


if __name__ == "__main__":
    main()
