"""Physical qubits per logical qubit against the target, for every design, and the ratios
of the surface code to each: the project's headline comparison.

Regenerates, at the default `qec.overhead.Assumptions` (today's hardware):
- results/overhead_points.csv: sinter's CSV of every simulated point. Sampling resumes
  from it: a rerun never counts a shot twice; a direct point already at its budget costs
  nothing (its saved counts decide), a stratified point short of its precision is topped up.
- results/overhead.csv: one row per design and target (`qec.overhead.table.CSV_COLUMNS`),
  with the status the package gives it (`qec.overhead.rows.status_of`: met, unresolved
  or not reached) and why.
- results/overhead_ratios.csv: qubits(surface code) / qubits(design) per target, for each
  surface baseline (depolarizing, SI1000, SD6) and every other design, with intervals.
- results/overhead.json: every row with its components and Lambda fits.
- results/overhead.png: qubits against target per design, and the ratios.

Usage: python experiments/overhead.py [--only LABEL ...] [--out DIR] [--replot]
(--only: designs named, by their whole label or its part before " (", the other designs'
rows kept from overhead.json; --replot: redraw and rewrite the tables from overhead.json without
sampling.)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib
import sys
from collections.abc import Callable

from qec.overhead import Assumptions, Budget, FootprintRow, FootprintTable, compare
from qec.overhead.plan import TARGETS as PLAN_TARGETS
from qec.overhead.table import CSV_COLUMNS, RATIO_COLUMNS, Ratio, write_csv
from qec.plotting.footprint import comparison_figure
from qec.progress import ProgressLine

OUT = pathlib.Path(__file__).resolve().parent.parent / "results"
TARGETS = PLAN_TARGETS
BUDGET: Budget | None = None  # None: each design's budget from the plan


def sample(
    assumptions: Assumptions,
    points: pathlib.Path,
    only: list[str] | None,
    done: Callable[[FootprintTable], None],
) -> FootprintTable:
    """The rows of the designs of the comparison's plan (those named by `only`), `done`
    called with the rows so far after each design."""
    rows: list[FootprintRow] = []
    for label in assumptions.designs():
        if only and not any(chosen(label, name) for name in only):
            continue
        line = ProgressLine(max_shots=None, max_errors=None, label=label)
        rows += compare(
            assumptions,
            designs=[label],
            targets=TARGETS,
            budget=BUDGET,
            save=points,
            progress=line.log,
        ).rows
        done(FootprintTable(rows=tuple(rows), assumptions=assumptions.to_json()))
    return FootprintTable(rows=tuple(rows), assumptions=assumptions.to_json())


def chosen(label: str, name: str) -> bool:
    """Whether `--only name` picks the design `label`: the whole label, or its name before
    a parenthesis ("surface" picks both surface designs, "repetition_cat" not
    repetition_cat_transmon).

    Examples:
        >>> chosen("xzzx (biased)", "xzzx"), chosen("repetition_cat_transmon", "repetition_cat")
        (True, False)
    """
    return label == name or label.startswith(name + " (")


def merged(old: FootprintTable, new: FootprintTable) -> FootprintTable:
    """`old` with the rows of every design in `new` replaced by `new`'s."""
    designs = set(new.designs())
    kept = [r for r in old.rows if r.design not in designs]
    order = {label: i for i, label in enumerate(Assumptions().designs())}
    rows = sorted([*kept, *new.rows], key=lambda r: (order.get(r.design, len(order)), -r.target))
    return FootprintTable(rows=tuple(rows), assumptions=new.assumptions or old.assumptions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="design labels to run")
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help="output directory")
    parser.add_argument(
        "--replot",
        action="store_true",
        help="no sampling: redraw and rewrite the tables from overhead.json",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    assumptions = Assumptions()
    table_json = args.out / "overhead.json"
    old = (
        FootprintTable.from_json(json.loads(table_json.read_text()))
        if table_json.exists()
        else None
    )
    if args.replot:
        if old is None:
            parser.error(f"--replot needs {table_json}")
        table = old
    else:
        # Written after each design: an interrupted run keeps the designs it finished
        # (and the rows of the others from before).
        def write_so_far(new: FootprintTable) -> None:
            write(new if old is None else merged(old, new), assumptions, args.out)

        table = sample(assumptions, args.out / "overhead_points.csv", args.only, write_so_far)
        if args.only and old is not None:
            table = merged(old, table)
    ratios = write(table, assumptions, args.out)
    print(table, *["", *ratios] if ratios else [], sep="\n")
    return 0


def write(table: FootprintTable, assumptions: Assumptions, out: pathlib.Path) -> list[Ratio]:
    """The tables, the JSON and the plot of `table` in `out`; returns the ratios."""
    table = dataclasses.replace(table, assumptions=assumptions.to_json())
    ratios = table.baseline_ratios()
    write_csv(out / "overhead.csv", table.csv_rows(), CSV_COLUMNS)
    if ratios:
        write_csv(out / "overhead_ratios.csv", [r.to_csv() for r in ratios], RATIO_COLUMNS)
    (out / "overhead.json").write_text(json.dumps(table.report_json(), indent=1) + "\n")
    comparison_figure(table).savefig(out / "overhead.png", dpi=120)
    return ratios


if __name__ == "__main__":
    sys.exit(main())
