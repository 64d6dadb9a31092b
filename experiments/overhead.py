"""Physical qubits per logical qubit against the target, for every design, and the ratio
surface code / repetition cat code: the project's headline comparison.

Regenerates, at the default `qec.overhead.Assumptions` (today's hardware):
- results/overhead_points.csv: sinter's CSV of every simulated point. Sampling resumes
  from it: a rerun never counts a shot twice; a direct point already at its budget costs
  nothing (its saved counts decide), a stratified point short of its precision is topped up.
- results/overhead.csv: one row per design and target (`qec.overhead.table.CSV_COLUMNS`),
  with the status the package gives it (`qec.overhead.rows.status_of`: met, unresolved
  or not reached) and why.
- results/overhead_ratios.csv: qubits(surface) / qubits(repetition_cat) per target.
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
import textwrap
from collections.abc import Callable

from matplotlib.figure import Figure

from qec.overhead import Assumptions, Budget, Design, FootprintRow, FootprintTable, footprint
from qec.overhead.table import CSV_COLUMNS, RATIO_COLUMNS, Ratio, write_csv
from qec.plotting.footprint import plot_footprint, plot_ratios
from qec.progress import ProgressLine

OUT = pathlib.Path(__file__).resolve().parent.parent / "results"
TARGETS = tuple(10.0**-k for k in range(3, 12))  # 1e-3 ... 1e-11
CAT = "repetition_cat"
SURFACES = ("surface (depolarizing)", "surface (SI1000)")

# The simulation budget. Direct sampling stops at 2e6 shots or 200 errors; stratified
# sampling and splitting at 2e6 fault sets, 20 s or +-20%. The single-family designs
# simulate d = 3..9, the multi-family ones d = 3..7. Beyond, the Lambda fits extrapolate,
# and each pick (with the next smaller candidate) is checked by splitting, 180 s a part
# (a splitting interval needs about 4 units: at d = 13, p = 1e-3 a unit takes ~30 s).
BUDGET = Budget(
    measured_steps=4, max_shots=2_000_000, max_errors=200, max_seconds=20.0, verify_seconds=180.0
)
SMALL_BUDGET = dataclasses.replace(BUDGET, measured_steps=3)
# The repetition cat code is cheap: d = 3..21 for every nbar. Its local Lambda keeps
# falling with the distance, so short fits are optimistic (d = 3..7 gave 121 qubits at
# 1e-11, d = 3..21 185-189).
CAT_BUDGET = dataclasses.replace(BUDGET, measured_steps=10)
# thin_surface_cat is above threshold at k1_k2 = 1e-3 for every nbar (its data qubits are
# CX controls): a coarse nbar grid and the two extreme aspects show it.
THIN_NBARS = (4.0, 8.0, 12.0, 16.0, 20.0)
THIN_ASPECTS = (1.0, 3.0)
# Cat data with transmon ancillas at Ocelot's parameters: the repetition code is cheap
# (d = 3..13 for every nbar); the thin surface code is above threshold against Z errors
# at every nbar (its cats idle ~3.6 us a round at T1 = 60 us), shown on a coarse grid.
HYBRID_REPETITION_BUDGET = dataclasses.replace(BUDGET, measured_steps=6)
HYBRID_THIN_NBARS = (1.0, 2.0, 3.0)
# Neither thin design meets a target: their picks (unresolved, fits that reach 1/2) lie
# at d >= 29, where no splitting unit finishes in 180 s (the rotated surface code at
# d = 19 does not), so they are not checked (their rows say so).
THIN_BUDGET = dataclasses.replace(SMALL_BUDGET, verify_seconds=0.0)


def plan(assumptions: Assumptions) -> list[tuple[Design, Budget]]:
    """Every design of the comparison with the budget it is explored with."""
    chosen = []
    for label, design in assumptions.designs().items():
        budget = SMALL_BUDGET if len(design.families()) > 1 else BUDGET
        if label == CAT:
            budget = CAT_BUDGET
        elif label == "thin_surface_cat":
            design = dataclasses.replace(design, nbars=THIN_NBARS, aspects=THIN_ASPECTS)
            budget = THIN_BUDGET
        elif label == "repetition_cat_transmon":
            budget = HYBRID_REPETITION_BUDGET
        elif label == "thin_surface_cat_transmon":
            design = dataclasses.replace(design, nbars=HYBRID_THIN_NBARS, aspects=THIN_ASPECTS)
            budget = THIN_BUDGET
        chosen.append((design, budget))
    return chosen


def sample(
    assumptions: Assumptions,
    points: pathlib.Path,
    only: list[str] | None,
    done: Callable[[FootprintTable], None],
) -> FootprintTable:
    """The rows of the designs planned (those named by `only`), `done` called with the
    rows so far after each design."""
    rows: list[FootprintRow] = []
    for design, budget in plan(assumptions):
        if only and not any(chosen(design.label, name) for name in only):
            continue
        line = ProgressLine(max_shots=None, max_errors=None, label=design.label)
        line.log(f"{len(design.families())} families, {budget}")
        rows += footprint(design, TARGETS, budget=budget, save=points, progress=line.log)
        done(FootprintTable(rows=tuple(rows)))
    return FootprintTable(rows=tuple(rows))


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
    return FootprintTable(rows=tuple(rows))


def draw(table: FootprintTable, assumptions: Assumptions, path: pathlib.Path) -> None:
    figure = Figure(figsize=(14, 6.2), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=(1.25, 1))
    plot_footprint(ax=left, table=table)
    left.set_title(
        "physical qubits per logical qubit (missing points: target not met, see overhead.csv)",
        fontsize="medium",
    )
    plot_ratios(ax=right, ratios=table.ratios(SURFACES, CAT))
    right.set_title("surface code / repetition cat code", fontsize="medium")
    assumed = textwrap.fill(f"Default assumptions: {assumptions.describe()}.", 200)
    figure.suptitle(
        f"{assumed}\nPer-round logical error rates, "
        "rounds = distance, PyMatching. Filled points: measured (direct, stratified, first "
        "order, splitting) or verified by splitting; hollow: extrapolated from Lambda fits."
        "\nrepetition_cat: simulated d = 3..21; "
        "its local Lambda still falls at d = 21, so its extrapolated counts are probably "
        "optimistic (the ratios high).",
        fontsize="small",
    )
    figure.savefig(path, dpi=120)


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
    ratios = table.ratios(SURFACES, CAT)
    write_csv(out / "overhead.csv", table.csv_rows(), CSV_COLUMNS)
    if ratios:
        write_csv(out / "overhead_ratios.csv", [r.to_csv() for r in ratios], RATIO_COLUMNS)
    (out / "overhead.json").write_text(json.dumps(table.to_json(), indent=1) + "\n")
    draw(table, assumptions, out / "overhead.png")
    return ratios


if __name__ == "__main__":
    sys.exit(main())
