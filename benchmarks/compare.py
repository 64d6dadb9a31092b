"""How long `qec compare` takes to answer from the committed points, and that it
simulates nothing while doing so.

Each case runs `qec compare` as a fresh process (start-up included) on a copy of
`results/overhead_points.csv` and of the derived values kept beside it
(`results/overhead_points.derived.json`, `qec.sampling.core.derived_values`), and
reports its wall time, the rows it added to the points (0: nothing simulated) and the
derived values it computed (0: no detector error model built). With `--cold`, the
defaults are also timed without the derived values (as before they were kept: every
model rebuilt), which then fills them in.

    python benchmarks/compare.py [--cold]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

RESULTS = pathlib.Path(__file__).resolve().parent.parent / "results"
POINTS = RESULTS / "overhead_points.csv"
DERIVED = RESULTS / "overhead_points.derived.json"
CASES = {
    "defaults": [],
    "one design, one target": ["--designs", "repetition_cat", "--target", "1e-3"],
    "two designs": ["--designs", "surface (depolarizing),repetition_cat"],
    "targets 1e-6, 1e-9": ["--target", "1e-6,1e-9"],
}


def _values(path: pathlib.Path) -> int:
    """How many derived values the file holds (0 when there is none)."""
    if not path.exists():
        return 0
    return len(json.loads(path.read_text())["values"])


def _rows(path: pathlib.Path) -> int:
    return sum(1 for _ in path.open()) - 1


def run_case(folder: pathlib.Path, name: str, args: list[str]) -> tuple[str, float, int, int]:
    """(name, seconds, rows added, derived values computed) of one `qec compare` run."""
    points = folder / "points.csv"
    derived = folder / "points.derived.json"
    rows, values = _rows(points), _values(derived)
    command = [
        str(pathlib.Path(sys.executable).parent / "qec"),
        "compare",
        "--points",
        str(points),
        "--out",
        str(folder / "out"),
        *args,
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return name, seconds, _rows(points) - rows, _values(derived) - values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="also time a run without them")
    args = parser.parse_args()
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        shutil.copy(POINTS, folder / "points.csv")
        if args.cold:
            found.append(run_case(folder, "defaults, no derived values kept", []))
        else:
            shutil.copy(DERIVED, folder / "points.derived.json")
        for name, case in CASES.items():
            found.append(run_case(folder, name, case))
    print("| case | seconds | rows added | derived values computed |")
    print("|---|---|---|---|")
    for name, seconds, rows, values in found:
        print(f"| {name} | {seconds:.1f} | {rows} | {values} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
