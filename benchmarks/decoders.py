"""The decoder in the rare-event loop: decode rates of PyMatching's direct path, the same
PyMatching through sinter's decoder interface (the path every other decoder takes), and
BP+OSD (stimbposd), on the same work.

Each decoder runs the same seeded splitting unit (`run_unit`, one core) on the same
ladder, planned once with PyMatching: the rotated surface code with depolarizing noise
at p = 1e-3, d = rounds = `--distance`. PyMatching's two paths decode identical
configurations (same seed, same predictions), so their time ratio is the cost of the
interface. BP+OSD's chains walk other configurations (its failures differ), so its
rate is per configuration decoded. Prints a markdown table: configurations decoded,
seconds, configurations per second, and the time relative to the direct path.

    python benchmarks/decoders.py [--distance 7] [--bposd-distance 5]
"""

from __future__ import annotations

import argparse
import time

import sinter

from qec import Depolarizing, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.splitting.ladder import Ladder, plan_ladder, run_unit


def circuit(distance: int):  # type: ignore[no-untyped-def]
    code = RotatedSurfaceCode(distance=distance)
    noise = Depolarizing(p=1e-3)
    return MemoryExperiment(code=code, noise=noise, rounds=distance, basis="Z").circuit()


def timed_unit(problem: DecodingProblem, ladder: Ladder) -> tuple[int, float]:
    start = time.perf_counter()
    unit = run_unit(problem, ladder, seed=1)
    assert unit is not None
    return unit.decoded, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distance", type=int, default=7)
    parser.add_argument("--bposd-distance", type=int, default=5)
    args = parser.parse_args()

    print("| decoder | d | configurations | seconds | per second | time / direct |")
    print("|---|---|---|---|---|---|")
    noisy = circuit(args.distance)
    ladder = plan_ladder(DecodingProblem(noisy))
    through_sinter = DecoderChoice("pm", {"pm": sinter.BUILT_IN_DECODERS["pymatching"]})
    direct_seconds = None
    for label, choice in (
        ("pymatching (direct)", DecoderChoice()),
        ("pymatching (sinter interface)", through_sinter),
    ):
        decoded, seconds = timed_unit(DecodingProblem(noisy, choice), ladder)
        direct_seconds = direct_seconds or seconds
        print(
            f"| {label} | {args.distance} | {decoded:,} | {seconds:.1f} | "
            f"{decoded / seconds:,.0f} | {seconds / direct_seconds:.2f} |"
        )
    small = circuit(args.bposd_distance)
    bposd = DecodingProblem(small, DecoderChoice("bposd"))
    decoded, seconds = timed_unit(bposd, plan_ladder(bposd))
    print(
        f"| bposd (stimbposd) | {args.bposd_distance} | {decoded:,} | {seconds:.1f} | "
        f"{decoded / seconds:,.0f} | |"
    )


if __name__ == "__main__":
    main()
