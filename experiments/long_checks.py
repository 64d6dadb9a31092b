"""Long checks by splitting at the comparison's picks, appended to the committed points.

`qec compare` checks each pick for 180 s a part, which finishes no splitting unit of
the surface code from d = 19 on. This script checks chosen picks of results/overhead.json
(with `--down`, the next smaller candidate too) with the budget they need: the same check as
the solver's (`FamilyModel.check`), with `--seconds` per part. Its units are appended to
results/overhead_points.csv; a rerun counts the time already there and spends only what
is left, so a check can be run in pieces. `qec compare` (and experiments/overhead.py)
then reads the units back: the check enters the fits and the row.

Usage: python experiments/long_checks.py --seconds S [--pick "LABEL@TARGET" ...] [--down]
(default picks: every surface design's pick at 1e-9, and the depolarizing and SI1000
surface codes' at 1e-11).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib

from qec.overhead import Assumptions, FootprintTable
from qec.overhead.family import FamilyModel
from qec.overhead.plan import walk_steps
from qec.progress import ProgressLine

ROOT = pathlib.Path(__file__).resolve().parent.parent
PICKS = (
    "surface (depolarizing)@1e-9",
    "surface (SI1000)@1e-9",
    "surface (SD6)@1e-9",
    "surface (depolarizing)@1e-11",
    "surface (SI1000)@1e-11",
)


def check_pick(
    label: str, target: float, table: FootprintTable, seconds: float, *, down: bool
) -> None:
    """Checks the pick of design `label` at `target` in `table` (with `down`, and the
    candidate one size down) for `seconds` a part (counting what the points file already
    holds)."""
    (row,) = (r for r in table.rows if r.design == label and r.target == target)
    if row.params is None:
        print(f"{label} at {target:g}: no pick ({row.status})")
        return
    design, budget = Assumptions().plan(label)
    budget = dataclasses.replace(budget, verify_seconds=seconds)
    line = ProgressLine(max_shots=None, max_errors=None, label=f"{label} @ {target:g}")
    points = ROOT / "results/overhead_points.csv"
    for family in design.families():
        steps = range(walk_steps(family, budget))
        k = next((k for k in steps if family.at(k).params() == row.params), None)
        if k is None:
            continue
        model = FamilyModel(family, budget, points, line.log)
        for step in (k, k - 1) if down else (k,):
            if step >= 0:
                print(f"{label} at {target:g}, {model.check(step)}")
        return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--pick", action="append", default=None, metavar="LABEL@TARGET")
    parser.add_argument("--down", action="store_true", help="check one size down too")
    args = parser.parse_args()
    table = FootprintTable.from_json(json.loads((ROOT / "results/overhead.json").read_text()))
    for pick in args.pick or PICKS:
        label, _, target = pick.rpartition("@")
        check_pick(label, float(target), table, args.seconds, down=args.down)


if __name__ == "__main__":
    main()
