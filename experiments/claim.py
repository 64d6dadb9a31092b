"""The vendors' claims, checked: does a cat design need 5 to 10 times fewer physical
qubits than the surface code (AWS), and what do the LDPC-cat codes need (Alice & Bob)?
The comparison's ratios at today's assumptions, and how
they move with each assumption (`qec.overhead.sensitivity.SWINGS`: p, eta,
kappa_1/kappa_2, the cat CX time, the transmon readout time, the cat T1, the nbar range,
buffer modes, the decoder), one at a time at either end of its range.

Writes, from the points in results/overhead_points.csv (read back; only what is missing
is simulated, and `qec compare` at a swing's end reuses them):
- results/claim.md: AWS's statements with their sources, the ratios to the surface code
  at every target with the verdicts for 5x and 10x, Alice & Bob's statements checked at
  kappa_1/kappa_2 = 1e-4 (`qec.literature.claim.AB_CLAIMS`), and which assumptions
  reach them;
- results/sensitivity.csv (a row per swing end, design and target, with the range's
  source), results/sensitivity.json (every end's rows and ratios) and
  results/sensitivity.png (tornado plots of the ratio at 1e-9 and 1e-11).

Usage: python experiments/claim.py [--out DIR] [--redraw]
(--redraw: no sampling; redraws results/sensitivity.png from results/sensitivity.json.)
"""

from __future__ import annotations

import argparse
import json
import pathlib

from qec.literature.claim import AB_CLAIMS, BASELINE, LDPC_CAT, claim_report
from qec.overhead import Assumptions, FootprintTable, compare
from qec.overhead.sensitivity import CAT_DESIGNS, SENSITIVITY_COLUMNS, Sensitivity, sensitivity
from qec.overhead.table import SURFACE_BASELINES, write_csv
from qec.plotting.sensitivity import sensitivity_figure
from qec.progress import ProgressLine

OUT = pathlib.Path(__file__).resolve().parent.parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    parser.add_argument(
        "--redraw", action="store_true", help="no sampling: redraw the tornado from the JSON"
    )
    args = parser.parse_args()
    if args.redraw:
        found = Sensitivity.from_json(json.loads((args.out / "sensitivity.json").read_text()))
        sensitivity_figure(found).savefig(args.out / "sensitivity.png", dpi=110)
        return
    points = args.out / "overhead_points.csv"
    line = ProgressLine(max_shots=None, max_errors=None, label="claim")
    today = compare(designs=[*SURFACE_BASELINES, *CAT_DESIGNS], save=points, progress=line.log)
    # Alice & Bob's statements name kappa_1/kappa_2 = 1e-4: the LDPC-cat rows there, with
    # the surface code's rows of today (kappa_1/kappa_2 does not enter them).
    better = Assumptions(k1_k2=AB_CLAIMS[0].k1_k2)
    ldpc = compare(better, designs=[LDPC_CAT], save=points, progress=line.log)
    alice_bob = FootprintTable(
        rows=tuple(r for r in today.rows if r.design == BASELINE) + ldpc.rows,
        assumptions=better.to_json(),
    )
    found = sensitivity(save=points, progress=line.log)
    write_csv(args.out / "sensitivity.csv", found.csv_rows(), SENSITIVITY_COLUMNS)
    (args.out / "sensitivity.json").write_text(json.dumps(found.to_json(), indent=1) + "\n")
    sensitivity_figure(found).savefig(args.out / "sensitivity.png", dpi=110)
    report = claim_report(today, found, alice_bob)
    (args.out / "claim.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
