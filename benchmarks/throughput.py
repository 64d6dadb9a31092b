"""Throughput and fixed cost of `qec estimate` against a bit-packed stim + PyMatching
loop and sinter.collect.

Measured in one run, on the same circuits and the same number of cores, for the rotated
surface code at d = 5, 11, 17 (rounds = d) under depolarizing(1e-3), each way timed
from its call to its result (process start-up and decoder compilation included).
Prints markdown tables: shots per second of each way on runs of `--shots` shots, the
ratio qec / plain loop (goal: >= 0.95), time per shot against d; the fixed cost of a
1,000-shot run, as a fresh process (`qec estimate` against `python -c` calling
sinter.collect) and in-process (goal: within 0.3 s of sinter's); and the speed-up of
the Dask backend from 1 to 2 local workers (goal: >= 1.8).

    python benchmarks/throughput.py [--cores 2] [--shots 1000000] [--distances 5,11,17]
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import pathlib
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np
import pymatching
import sinter
import stim

from qec import Depolarizing, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.noise import detector_error_model
from qec.sampling import Estimate, estimate


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
    start = time.perf_counter()  # the detector error model counts, as in the other ways
    task = sinter.Task(circuit=circuit, detector_error_model=detector_error_model(circuit))
    stats = sinter.collect(
        num_workers=cores, tasks=[task], decoders=["pymatching"], max_shots=shots
    )
    return stats[0].shots / (time.perf_counter() - start)


FIXED_COST_SHOTS = 1000
SINTER_SCRIPT = """
import sinter, stim
circuit = stim.Circuit(open({path!r}).read())
sinter.collect(num_workers={cores}, tasks=[sinter.Task(circuit=circuit)],
               decoders=["pymatching"], max_shots={shots})
"""


def fixed_costs(experiment: MemoryExperiment, cores: int) -> None:
    """A 1,000-shot run of each way, best of 3, as a fresh process and in-process."""
    import tempfile

    circuit = experiment.circuit()
    task = sinter.Task(circuit=circuit, detector_error_model=detector_error_model(circuit))
    qec = str(pathlib.Path(sys.executable).with_name("qec"))
    cli = [qec, "estimate", "--code", "rotated_surface", "--distance", "5", "--rounds", "5"]
    cli += ["--noise", "depolarizing:p=0.001", "--max-shots", str(FIXED_COST_SHOTS)]
    cli += ["--max-errors", "1000000", "--workers", str(cores), "--quiet"]

    def best(run: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        return min(times)

    def in_process(method: str) -> Callable[[], Estimate]:
        return lambda: estimate(
            experiment,
            method=method,
            max_shots=FIXED_COST_SHOTS,
            max_errors=None,
            num_workers=cores,
            progress=False,
        )

    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/circuit.stim"
        circuit.to_file(path)
        script = SINTER_SCRIPT.format(path=path, cores=cores, shots=FIXED_COST_SHOTS)
        ways = {
            "sinter.collect": (
                [sys.executable, "-c", script],
                lambda: sinter.collect(
                    num_workers=cores,
                    tasks=[task],
                    decoders=["pymatching"],
                    max_shots=FIXED_COST_SHOTS,
                ),
            ),
            "qec estimate --method monte_carlo": (
                [*cli, "--method", "monte_carlo"],
                in_process("monte_carlo"),
            ),
            f"qec estimate (default: auto, chose {in_process('auto')().method})": (
                cli,
                in_process("auto"),
            ),
        }
        rows = [
            (name, best(functools.partial(run, command)), best(call))
            for name, (command, call) in ways.items()
        ]
    print(f"\nFixed cost: {FIXED_COST_SHOTS:,} shots, d = 5, {cores} workers, best of 3\n")
    print("| way | fresh process (s) | in-process (s) |")
    print("|---|---|---|")
    for name, fresh, inside in rows:
        print(f"| {name} | {fresh:.2f} | {inside:.2f} |", flush=True)


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--shots", type=int, default=1_000_000, help="shots per measurement")
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
        shots = args.shots
        plain = plain_rate(circuit, shots, args.cores)
        direct = sinter_rate(circuit, shots, args.cores)
        ours = qec_rate(experiment, shots, args.cores)
        experiments[d] = (experiment, shots, plain)
        print(
            f"| {d} | {shots:,} | {plain:,.0f} | {direct:,.0f} | {ours:,.0f} | "
            f"{ours / plain:.2f} | {1e6 / ours:.1f} |",
            flush=True,
        )

    fixed_costs(
        MemoryExperiment(
            code=RotatedSurfaceCode(distance=5), noise=Depolarizing(p=1e-3), rounds=5, basis="Z"
        ),
        args.cores,
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
