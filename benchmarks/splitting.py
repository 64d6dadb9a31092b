"""Time to a factor-2 interval by multilevel splitting (`qec estimate --method splitting`).

The headline cases: the rotated surface code at d = 13, p = 1e-3, rounds = d (about
1e-9 per round, where brute force needs ~1e11 shots), and the phase-flip repetition cat
code at ~1e-10 per round of `benchmarks/stratified_cat.py` (d = rounds = 11, nbar = 8,
k1_k2 = 2e-5, t_cx = 10, X basis). Each
runs until its 95% interval spans at most a factor 2 (high / low <= 2, i.e. a half-width
of 35% of the rate) or `--seconds` pass. `--sweep` instead times the surface code
against distance (d = 5..11 at p = 1e-3) and against the target rate (d = 9 at
p = 2e-3..3e-4). `--picks` times the sizes the comparison picks below 1e-9, each with
its goal as its limit: the surface code at p = 1e-3, d = 17 (~2e-11 per round, 15
minutes) and d = 21 (45 minutes), and the repetition cat code's phase flips at d = 45,
nbar = 10, k1_k2 = 1e-3 (15 minutes).
Prints a markdown table: the per-round rate with its interval, high / low, units and
wall-clock seconds.

    python benchmarks/splitting.py [--cores 2] [--seconds 300] [--sweep | --picks]
"""

from __future__ import annotations

import argparse
import time

from qec import Cat, Depolarizing, RepetitionCode, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.sampling import estimate

FACTOR_TWO = 0.35  # half-width / rate of a log-symmetric interval with high / low = 2


def surface(distance: int, p: float) -> tuple[str, MemoryExperiment]:
    code = RotatedSurfaceCode(distance=distance)
    experiment = MemoryExperiment(code=code, noise=Depolarizing(p=p), rounds=distance, basis="Z")
    return f"rotated_surface d={distance} p={p:g}", experiment


def repetition_cat(distance: int, noise: Cat) -> tuple[str, MemoryExperiment]:
    code = RepetitionCode(distance=distance)
    experiment = MemoryExperiment(code=code, noise=noise, rounds=distance, basis="X")
    label = f"repetition_cat d={distance} nbar={noise.nbar:g} k1_k2={noise.k1_k2:g}"
    return f"{label} (phase flips)", experiment


def run(label: str, experiment: MemoryExperiment, *, cores: int, seconds: float) -> str:
    start = time.perf_counter()
    result = estimate(
        experiment,
        method="splitting",
        rel_precision=FACTOR_TWO,
        max_seconds=seconds,
        num_workers=cores,
        seed=2026,
        progress=True,
    )
    wall = time.perf_counter() - start
    units = result.assumptions.split(" independent units")[0].rsplit(" ", 1)[-1]
    rate = result.per_round
    return f"| {label} | {rate} | {rate.high / rate.low:.2f} | {units} | {wall:.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=300.0)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--sweep", action="store_true")
    which.add_argument("--picks", action="store_true")
    args = parser.parse_args()
    cases = [
        (*surface(13, 1e-3), args.seconds),
        (*repetition_cat(11, Cat(nbar=8, k1_k2=2e-5, t_cx=10)), args.seconds),
    ]
    if args.sweep:
        cases = [(*surface(d, 1e-3), args.seconds) for d in (5, 7, 9, 11)]
        cases += [(*surface(9, p), args.seconds) for p in (2e-3, 5e-4, 3e-4)]
    if args.picks:
        cases = [
            (*surface(17, 1e-3), 15 * 60),
            (*surface(21, 1e-3), 45 * 60),
            (*repetition_cat(45, Cat(nbar=10, k1_k2=1e-3)), 15 * 60),
        ]
    print("| case | per round [95%] | high / low | units | seconds |")
    print("|---|---|---|---|---|")
    for label, experiment, seconds in cases:
        print(run(label, experiment, cores=args.cores, seconds=seconds), flush=True)


if __name__ == "__main__":
    main()
