"""Throughput of `qec estimate` against a plain stim + PyMatching loop and sinter.collect.

Measured in one run, on the same circuits and the same number of cores, for the rotated
surface code at d = 5, 11, 17 (rounds = d) under depolarizing(1e-3). Prints a markdown
table: shots per second of each way, the ratio qec / plain loop (goal: >= 0.9), time per
shot against d, and the speed-up of the Dask backend from 1 to 2 local workers.

    python benchmarks/throughput.py [--cores 2] [--seconds 10]
"""

from __future__ import annotations

import argparse
import multiprocessing
import time

import numpy as np
import pymatching
import sinter
import stim

from qec import Depolarizing, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.noise import detector_error_model
from qec.sampling import estimate


def plain_loop(circuit_text: str, shots: int, seed: int) -> int:
    """The baseline: stim sampling plus PyMatching decode_batch, nothing else."""
    circuit = stim.Circuit(circuit_text)
    matching = pymatching.Matching.from_detector_error_model(detector_error_model(circuit))
    sampler = circuit.compile_detector_sampler(seed=seed)
    errors = 0
    for start in range(0, shots, 50_000):
        n = min(50_000, shots - start)
        dets, obs = sampler.sample(n, separate_observables=True, bit_packed=True)
        predicted = matching.decode_batch(dets, bit_packed_shots=True, bit_packed_predictions=True)
        errors += int(np.count_nonzero(np.any(predicted != obs, axis=1)))
    return errors


def plain_rate(circuit: stim.Circuit, shots: int, cores: int) -> float:
    per_core = shots // cores
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        pool.starmap(plain_loop, [(str(circuit), per_core, seed) for seed in range(cores)])
    return per_core * cores / (time.perf_counter() - start)


def qec_rate(experiment: MemoryExperiment, shots: int, cores: int, **kwargs: object) -> float:
    start = time.perf_counter()
    result = estimate(
        experiment,
        method="monte_carlo",
        max_shots=shots,
        max_errors=None,
        num_workers=cores,
        progress=False,
        **kwargs,
    )  # type: ignore[arg-type]
    return result.shots / (time.perf_counter() - start)


def sinter_rate(circuit: stim.Circuit, shots: int, cores: int) -> float:
    task = sinter.Task(circuit=circuit, detector_error_model=detector_error_model(circuit))
    start = time.perf_counter()
    stats = sinter.collect(
        num_workers=cores, tasks=[task], decoders=["pymatching"], max_shots=shots
    )
    return stats[0].shots / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10, help="rough time per measurement")
    parser.add_argument("--distances", default="5,11,17")
    args = parser.parse_args()
    print(f"rotated surface code, depolarizing(1e-3), rounds = d, {args.cores} cores\n")
    print(
        "| d | shots | plain loop (shots/s) | sinter.collect | qec estimate | qec / plain "
        "| qec us/shot |"
    )
    print("|---|---|---|---|---|---|---|")
    experiments = {}
    for d in map(int, args.distances.split(",")):
        experiment = MemoryExperiment(
            code=RotatedSurfaceCode(distance=d), noise=Depolarizing(p=1e-3), rounds=d, basis="Z"
        )
        circuit = experiment.circuit()
        start = time.perf_counter()  # size the runs from one in-process core
        plain_loop(str(circuit), 20_000, seed=0)
        per_core = 20_000 / (time.perf_counter() - start)
        shots = int(per_core * args.cores * args.seconds) // 1000 * 1000
        plain = plain_rate(circuit, shots, args.cores)
        direct = sinter_rate(circuit, shots, args.cores)
        ours = qec_rate(experiment, shots, args.cores)
        experiments[d] = (experiment, shots, plain)
        print(
            f"| {d} | {shots:,} | {plain:,.0f} | {direct:,.0f} | {ours:,.0f} | "
            f"{ours / plain:.2f} | {1e6 / ours:.1f} |",
            flush=True,
        )

    try:
        import distributed
    except ImportError:
        return
    print("\nDask backend (local cluster already running; seeded units)\n")
    print("| d | shots | 1 worker (shots/s) | 2 workers | speed-up | 2 workers / plain loop |")
    print("|---|---|---|---|---|---|")
    for d, (experiment, shots, plain) in experiments.items():
        rates = []
        for workers in (1, 2):
            with distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, dashboard_address=None
            ) as cluster:
                rates.append(
                    qec_rate(
                        experiment,
                        shots,
                        workers,
                        backend="dask",
                        scheduler=cluster.scheduler_address,
                    )
                )
        print(
            f"| {d} | {shots:,} | {rates[0]:,.0f} | {rates[1]:,.0f} | "
            f"{rates[1] / rates[0]:.2f} | {rates[1] / plain:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
