"""ScaLER against qec's multilevel splitting, on the same noisy circuit.

ScaLER (`pip install scalerqec`, github.com/yezhuoyang/ScaLERQEC, arXiv:2602.04921)
estimates rare logical error rates by stratifying over the number of faults w, sampling
P_L(w) at some w and filling the others with a fitted S-curve. It takes a noiseless stim
circuit and adds its own noise: DEPOLARIZE1(p) before every gate and measurement
(uniform SID). This benchmark, for the rotated surface-code Z memory at p = 1e-3 and
d = 9, 13, 17 (rounds = d):

1. has ScaLER normalise stim's noiseless `surface_code:rotated_memory_z` circuit and
   writes out the exact noisy circuit it samples (its SID noise included) as a `.stim`
   file, under `benchmarks/circuits/` when smaller than 1 MB, else in a scratch folder;
2. runs ScaLER's estimator (`Scaler.calculate_LER_from_file`) with a wall-clock budget of
   `--seconds` and records its per-shot estimate (ScaLER gives no interval: its S-curve
   extrapolation error is unquantified; the share of the estimate that came from the
   fitted, unsampled weights is recorded instead), its samples and wall time;
3. runs `qec estimate --circuit FILE --method splitting` on the same file with the same
   budget and reads its JSON (per shot and per round, 95% intervals);
4. at d = 9, samples the same file directly with sinter + PyMatching until
   `--direct-errors` errors (200: 58 million shots, 8 minutes on one core at 3.4e-6
   per shot), resumable from `results/benchmarks/scaler_vs_qec_direct.csv`, so a
   rerun reuses the shots already taken.

Per-round rates use qec's convention, (1 - (1 - 2 p_shot)^(1/rounds)) / 2. The table's
samples are ScaLER's fault sets of fixed weight, qec's configurations decoded and
sinter's shots; ScaLER stops before its budget once every weight it sampled has 30
failures, hence its wall time. Results are merged into
`results/benchmarks/scaler_vs_qec.json` (a run with `--parts qec` keeps the ScaLER rows
of an earlier run) and printed as a markdown table; README.md quotes the recorded run
(`--parts scaler direct --cores 1`).

ScaLER is not a dependency of qec, not even an optional one: it brings its own stim,
PyMatching and sinter. Give it its own venv, outside qec's:

    python -m venv /work/scaler-venv && /work/scaler-venv/bin/pip install scalerqec

and run this script with qec's Python (the ScaLER side runs in subprocesses of that venv's
Python, `--scaler-python` or $SCALER_PYTHON):

    python benchmarks/scaler_vs_qec.py [--seconds 600] [--distances 9 13 17] [--cores 1]
        [--parts scaler qec direct] [--scaler-python /work/scaler-venv/bin/python]

`--cores` sets ScaLER's OpenMP threads (OMP_NUM_THREADS), qec's `--workers` and sinter's
workers. Only qec is seeded (`--seed`): ScaLER seeds its sampler from
std::random_device and sinter picks its own seeds, so their runs do not repeat exactly.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
CIRCUITS = HERE / "circuits"
RESULTS = REPO / "results" / "benchmarks" / "scaler_vs_qec.json"
DIRECT_CSV = REPO / "results" / "benchmarks" / "scaler_vs_qec_direct.csv"
COMMITTED_CIRCUIT_LIMIT = 1_000_000  # bytes: larger exported circuits are regenerated
DEFAULT_SCALER_PYTHON = os.environ.get("SCALER_PYTHON", "/work/scaler-venv/bin/python")


# ---------------------------------------------------------------------------
# The ScaLER side. Runs in the ScaLER venv (`--scaler-worker REQUEST.json`): it imports
# only scalerqec and stim, never qec.
# ---------------------------------------------------------------------------


def _worker(request_path: str) -> None:
    """Export the noisy circuit ScaLER samples, then (if asked) run its estimator; write
    what it found as JSON to request["out"]."""
    from importlib.metadata import version

    import stim
    from scalerqec.QEC.noisemodel import SIDNoiseModel
    from scalerqec.Stratified.Scaler import Scaler

    request = json.loads(pathlib.Path(request_path).read_text())
    d, p, rounds = request["distance"], request["p"], request["rounds"]
    noiseless = stim.Circuit.generated("surface_code:rotated_memory_z", distance=d, rounds=rounds)
    clean_path = pathlib.Path(request["noiseless"])
    clean_path.write_text(str(noiseless))

    # parse_from_file flattens and normalises the circuit (MR -> M, R; one operation a
    # line), registers one fault location before each gate and measurement, builds its
    # decoder from the DEM of SIDNoiseModel(p) applied to that normalised circuit, and
    # compiles the fault-propagation graph it samples from. That noisy circuit is the
    # one exported; calculate_LER_from_file repeats this parse on the same file.
    scaler = Scaler(error_rate=p, time_budget=float(request["seconds"]))
    start = time.perf_counter()
    scaler.parse_from_file(str(clean_path))
    parse_seconds = time.perf_counter() - start
    noisy = SIDNoiseModel(p).inject_noise(scaler._cliffordcircuit.stimcircuit)
    pathlib.Path(request["noisy"]).write_text(str(noisy))
    ops = list(noisy)
    # DEPOLARIZE1 before a reset is a no-op (and no fault location of ScaLER's).
    live = sum(
        len(a.targets_copy())
        for a, b in zip(ops, ops[1:], strict=False)
        if a.name == "DEPOLARIZE1" and b.name != "R"
    )
    out: dict[str, Any] = {
        "scalerqec_version": version("scalerqec"),
        "stim_version": stim.__version__,
        "fault_locations": scaler._num_noise,
        "live_depolarize1_targets": live,
        "parse_seconds": parse_seconds,
    }
    if request["estimate"]:
        start = time.perf_counter()
        ler = scaler.calculate_LER_from_file(str(clean_path), pvalue=p, codedistance=d)
        wall = time.perf_counter() - start
        out["wall_seconds"] = wall
        if ler is None:
            out["error"] = "budget exhausted before a fit"
        else:
            profile = scaler.get_profile()
            curve = profile.curve(p)
            sampled = [
                {"w": w, "samples": int(n), "failures": int(f)}
                for w, (n, f) in enumerate(
                    zip(profile.sample_counts, profile.failure_counts, strict=True)
                )
                if n
            ]
            meta = profile.metadata
            out.update(
                per_shot=float(ler),
                modeled_share=float(curve.modeled_ler) / float(ler) if ler else None,
                modeled_probability_mass=float(curve.modeled_probability_mass),
                samples=sum(s["samples"] for s in sampled),
                sampled_weights=sampled,
                fit_r_squared=meta["fit_r_squared"],
                assumed_zero_through_weight=meta["assumed_zero_through_weight"],
                systematic_error=meta["systematic_error"],
            )
    pathlib.Path(request["out"]).write_text(json.dumps(out, indent=1))


def run_scaler(
    python: str,
    distance: int,
    p: float,
    *,
    seconds: float,
    cores: int,
    estimate: bool,
    workdir: pathlib.Path,
) -> tuple[pathlib.Path, dict[str, Any]]:
    """The exported noisy circuit's path and what the ScaLER worker reported."""
    noisy = workdir / f"scaler_sid_surface_d{distance}_p{p:g}.stim"
    request = {
        "distance": distance,
        "p": p,
        "rounds": distance,
        "seconds": seconds,
        "estimate": estimate,
        "noiseless": str(workdir / f"noiseless_d{distance}.stim"),
        "noisy": str(noisy),
        "out": str(workdir / f"scaler_d{distance}.json"),
    }
    request_path = workdir / f"request_d{distance}.json"
    request_path.write_text(json.dumps(request))
    log = workdir / f"scaler_d{distance}.log"
    env = {**os.environ, "OMP_NUM_THREADS": str(cores)}
    start = time.perf_counter()
    with log.open("w") as sink:
        done = subprocess.run(
            [python, __file__, "--scaler-worker", str(request_path)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        tail = "".join(log.read_text().splitlines(keepends=True)[-20:])
        raise RuntimeError(f"ScaLER worker failed (exit {done.returncode}):\n{tail}")
    report = json.loads(pathlib.Path(request["out"]).read_text())
    report["process_seconds"] = time.perf_counter() - start
    return noisy, report


# ---------------------------------------------------------------------------
# The qec side (qec's Python).
# ---------------------------------------------------------------------------


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def keep_circuit(noisy: pathlib.Path) -> pathlib.Path:
    """Move a small exported circuit under benchmarks/circuits/; leave a large one."""
    if noisy.stat().st_size >= COMMITTED_CIRCUIT_LIMIT:
        return noisy
    CIRCUITS.mkdir(exist_ok=True)
    kept = CIRCUITS / noisy.name
    kept.write_bytes(noisy.read_bytes())
    return kept


def check_circuit(path: pathlib.Path, report: dict[str, Any]) -> dict[str, Any]:
    """Detectors, observables and fault count of the exported file, checked against the
    fault locations ScaLER samples."""
    import stim

    circuit = stim.Circuit.from_file(str(path))
    info = {
        "file": str(path.relative_to(REPO)) if path.is_relative_to(REPO) else path.name,
        "kept": path.parent == CIRCUITS,
        "bytes": path.stat().st_size,
        "sha256": sha256(path),
        "detectors": circuit.num_detectors,
        "observables": circuit.num_observables,
        "fault_locations": report["fault_locations"],
    }
    if not (info["detectors"] and info["observables"] == 1):
        raise RuntimeError(f"{path}: expected detectors and one observable, got {info}")
    if report["live_depolarize1_targets"] != report["fault_locations"]:
        raise RuntimeError(f"{path}: DEPOLARIZE1 targets do not match ScaLER's faults")
    return info


def run_qec(
    path: pathlib.Path, rounds: int, *, seconds: float, seed: int, cores: int
) -> dict[str, Any]:
    """`qec estimate --circuit ... --method splitting --json`, parsed."""
    command = [
        sys.executable,
        "-m",
        "qec.cli.main",
        "estimate",
        "--circuit",
        str(path),
        "--rounds",
        str(rounds),
        "--method",
        "splitting",
        "--max-seconds",
        f"{seconds:g}",
        "--seed",
        str(seed),
        "--workers",
        str(cores),
        "--json",
        "--quiet",
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip()[-2000:], "command": command[1:]}
    result = json.loads(
        next(line for line in reversed(done.stdout.splitlines()) if line.startswith("{"))
    )

    def rate(item: dict[str, Any]) -> dict[str, Any]:
        # Interval.to_json names the estimate "value"; "rate" is accepted too.
        return {
            "rate": item.get("value", item.get("rate")),
            "low": item["low"],
            "high": item["high"],
        }

    return {
        "per_shot": rate(result["per_shot"]),
        "per_round": rate(result["per_round"]),
        "interval": result.get("interval"),
        "configurations_decoded": result.get("configurations_decoded"),
        "seconds": result.get("seconds"),
        "wall_seconds": wall,
        "seed": seed,
        "assumptions": result.get("assumptions"),
    }


def run_direct(
    path: pathlib.Path,
    rounds: int,
    *,
    errors: int,
    max_shots: int,
    cores: int,
    csv: pathlib.Path,
) -> dict[str, Any]:
    """Sinter + PyMatching on the exported file, resumed from (and saved to) `csv`."""
    import sinter
    import stim

    from qec.intervals import wilson

    task = sinter.Task(
        circuit=stim.Circuit.from_file(str(path)),
        decoder="pymatching",
        json_metadata={"circuit": path.name, "sha256": sha256(path)},
    )
    csv.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    stats = sinter.collect(
        num_workers=cores,
        tasks=[task],
        max_errors=errors,
        max_shots=max_shots,
        save_resume_filepath=str(csv),
        print_progress=False,
    )
    wall = time.perf_counter() - start
    (total,) = stats  # one task; sinter folds the resumed rows into it
    per_shot = wilson(errors=total.errors, shots=total.shots)
    per_round = per_shot.per_round(rounds=rounds)
    return {
        "shots": total.shots,
        "errors": total.errors,
        "core_seconds": total.seconds,
        "wall_seconds_this_run": wall,
        "per_shot": {"rate": per_shot.value, "low": per_shot.low, "high": per_shot.high},
        "per_round": {"rate": per_round.value, "low": per_round.low, "high": per_round.high},
        "interval": "wilson score, 95%",
    }


# ---------------------------------------------------------------------------
# The table.
# ---------------------------------------------------------------------------


def rate_text(rate: dict[str, Any] | None) -> str:
    if not rate:
        return "-"
    if rate.get("low") is None:
        return f"{rate['rate']:.3g}"
    return f"{rate['rate']:.3g} [{rate['low']:.3g}, {rate['high']:.3g}]"


def table(rows: dict[str, Any], saved_p: float) -> str:
    from qec.intervals import shot_to_round

    lines = [
        "| d | estimator | per shot [95%] | per round [95%] | samples | wall s | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for key in sorted(rows, key=int):
        row, d = rows[key], int(key)
        scaler = row.get("scaler")
        if scaler and "per_shot" in scaler:
            shot = scaler["per_shot"]
            lowest = min(s["w"] for s in scaler["sampled_weights"])
            mean = scaler["fault_locations"] * float(saved_p)
            lines.append(
                f"| {d} | ScaLER {scaler['scalerqec_version']} "
                f"| {shot:.3g} (no interval) | {shot_to_round(shot, rounds=d):.3g} "
                f"| {scaler['samples']:,} | {scaler['wall_seconds']:.0f} "
                f"| {100 * scaler['modeled_share']:.1f}% from fitted weights; sampled "
                f"w >= {lowest}, mean faults N p = {mean:.1f} |"
            )
        elif scaler:
            lines.append(f"| {d} | ScaLER | - | - | - | - | {scaler.get('error', '')} |")
        qec = row.get("qec")
        if qec and "per_shot" in qec:
            decoded = qec.get("configurations_decoded")
            lines.append(
                f"| {d} | qec splitting | {rate_text(qec['per_shot'])} "
                f"| {rate_text(qec['per_round'])} | {f'{decoded:,}' if decoded else '-'} "
                f"| {qec['wall_seconds']:.0f} "
                f"| seed {qec['seed']} |"
            )
        elif qec:
            reason = qec["error"].splitlines()[-1][:80].replace("|", "/")
            lines.append(f"| {d} | qec splitting | - | - | - | - | failed: {reason} |")
        direct = row.get("direct")
        if direct:
            lines.append(
                f"| {d} | direct (sinter) | {rate_text(direct['per_shot'])} "
                f"| {rate_text(direct['per_round'])} | {direct['shots']:,} "
                f"| {direct['core_seconds']:.0f} core | {direct['errors']} errors |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--distances", type=int, nargs="+", default=[9, 13, 17])
    parser.add_argument("--p", type=float, default=1e-3)
    parser.add_argument(
        "--seconds",
        type=float,
        default=600.0,
        help="budget of ScaLER and of qec, each, per distance",
    )
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--parts",
        nargs="+",
        default=["scaler", "qec", "direct"],
        choices=["scaler", "qec", "direct"],
        help="what to run; the export always runs (about 10 s at d = 17)",
    )
    parser.add_argument("--direct-distance", type=int, default=9)
    parser.add_argument("--direct-errors", type=int, default=200)
    parser.add_argument("--direct-max-shots", type=int, default=300_000_000)
    parser.add_argument("--direct-csv", type=pathlib.Path, default=DIRECT_CSV)
    parser.add_argument("--scaler-python", default=DEFAULT_SCALER_PYTHON)
    parser.add_argument("--out", type=pathlib.Path, default=RESULTS)
    parser.add_argument("--scaler-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scaler_worker:
        _worker(args.scaler_worker)
        return

    from qec.intervals import shot_to_round

    saved = json.loads(args.out.read_text()) if args.out.exists() else {}
    rows: dict[str, Any] = saved.get("rows", {})
    with tempfile.TemporaryDirectory(prefix="scaler_vs_qec_") as scratch:
        for d in args.distances:
            row = rows.setdefault(str(d), {})
            run_estimator = "scaler" in args.parts
            noisy, report = run_scaler(
                args.scaler_python,
                d,
                args.p,
                seconds=args.seconds,
                cores=args.cores,
                estimate=run_estimator,
                workdir=pathlib.Path(scratch),
            )
            path = keep_circuit(noisy)
            row["circuit"] = check_circuit(path, report)
            if run_estimator:
                report.update(budget_seconds=args.seconds, cores=args.cores)
                if "per_shot" in report:
                    report["per_round"] = shot_to_round(report["per_shot"], rounds=d)
                row["scaler"] = report
            if "qec" in args.parts:
                row["qec"] = run_qec(
                    path, d, seconds=args.seconds, seed=args.seed, cores=args.cores
                )
                row["qec"].update(budget_seconds=args.seconds, cores=args.cores)
            if "direct" in args.parts and d == args.direct_distance:
                row["direct"] = run_direct(
                    path,
                    d,
                    errors=args.direct_errors,
                    max_shots=args.direct_max_shots,
                    cores=args.cores,
                    csv=args.direct_csv,
                )
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(
                json.dumps(
                    {"p": args.p, "code": "rotated_surface memory Z, rounds = d", "rows": rows},
                    indent=1,
                )
                + "\n"
            )
    print(table(rows, args.p))


if __name__ == "__main__":
    main()
