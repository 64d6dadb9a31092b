"""How the headline ratio moves with each assumption: qubits(surface code) /
qubits(cat design) at 1e-9 and 1e-11 per round, one assumption at a time at either end
of its range (`qec.overhead.sensitivity.SWINGS`: p, eta, kappa_1/kappa_2, the cat CX
time, the transmon readout time, the cat T1, the nbar range, buffer modes, the decoder).

Writes results/sensitivity.csv (a row per swing end, design and target, with the range's
source), results/sensitivity.json (every end's rows and ratios) and
results/sensitivity.png (the tornado plots). Points go to results/overhead_points.csv,
shared with the comparison: a rerun reads them back and simulates only what is missing,
and `qec compare` at a swing's end reuses them.

Usage: python experiments/sensitivity.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import pathlib

from qec.overhead.sensitivity import SENSITIVITY_COLUMNS, sensitivity
from qec.overhead.table import write_csv
from qec.plotting.sensitivity import sensitivity_figure
from qec.progress import ProgressLine

OUT = pathlib.Path(__file__).resolve().parent.parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    args = parser.parse_args()
    line = ProgressLine(max_shots=None, max_errors=None, label="sensitivity")
    found = sensitivity(save=args.out / "overhead_points.csv", progress=line.log)
    write_csv(args.out / "sensitivity.csv", found.csv_rows(), SENSITIVITY_COLUMNS)
    (args.out / "sensitivity.json").write_text(json.dumps(found.to_json(), indent=1) + "\n")
    sensitivity_figure(found).savefig(args.out / "sensitivity.png", dpi=110)
    for row in found.csv_rows():
        ratio = f"{row['ratio']} [{row['ratio_low']}, {row['ratio_high']}]" if row["ratio"] else "-"
        print(
            f"{row['assumption']:<42}{row['end']:<5}{row['value']:<18}{row['design']:<25}"
            f"{row['target']:<7}{ratio}"
        )


if __name__ == "__main__":
    main()
