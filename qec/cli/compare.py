"""`qec compare`: every design's qubits per logical qubit at each target, with 95%
intervals, statuses and the ratios to the surface code, under one set of assumptions."""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib
import sys
import textwrap

from qec.cli._args import OneLineParser, count, numbers
from qec.cli.compare_report import write_report
from qec.cli.footprint import qubit_weights
from qec.errors import QecError
from qec.literature.claim import headline
from qec.noise.cat_transmon import CatTransmon
from qec.noise.registry import parse_noise
from qec.overhead import Assumptions, Budget, Design, compare
from qec.overhead.grids import QUESTION_TARGETS, ratio_grid, time_grid
from qec.overhead.plan import TARGETS, planned_points
from qec.overhead.solver import check_targets
from qec.overhead.table import TABLE_WIDTH
from qec.overhead.timing import PER_ROUND, PER_SECOND
from qec.progress import ProgressLine
from qec.sampling.core.results_file import check_results_file, check_writable_folder

DEFAULT = Assumptions()


def assumptions_from_args(args: argparse.Namespace) -> Assumptions:
    """The default assumptions with the flags given replacing theirs; QecError for a
    value out of range, and for --nbars with --nbar."""
    changes: dict[str, object] = {}
    for name in (
        "p",
        "eta",
        "k1_k2",
        "t_cx",
        "nbar",
        "decoder",
        "ldpc_decoder",
        "inv_kappa_2_ns",
        "transmon_round_us",
    ):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    if args.nbars is not None:
        if args.nbar is not None:  # else one of them would be ignored without a word
            raise QecError.invalid("nbars", args.nbars, "no values with --nbar, which fixes nbar")
        changes["nbars"] = numbers("nbars", args.nbars)
    for name in ("weights", "cat_weights"):
        text = getattr(args, name)
        if text is not None:
            changes[name] = qubit_weights(text, name=name.replace("_", "-"))
    spec = args.cat_transmon
    if spec is not None:
        hybrid = parse_noise(spec)
        if not isinstance(hybrid, CatTransmon):
            raise QecError.invalid("cat-transmon", spec, "a cat_transmon or ocelot noise spec")
        changes["cat_transmon"] = hybrid
    return dataclasses.replace(DEFAULT, **changes)  # type: ignore[arg-type]


def from_scratch_notice(points: pathlib.Path, plans: list[tuple[Design, Budget]]) -> str:
    """The line that says a run of `plans` starts without saved points, and roughly how
    long it takes: the points the plans sample (`planned_points`) at their time limit
    per point (stratified sampling and splitting stop there; direct sampling stops at
    its shots or errors instead), plus their checks by splitting, which the count leaves
    out.

    Examples:
        >>> plans = list(Assumptions().plans(["ldpc_cat"]).values())
        >>> print(from_scratch_notice(pathlib.Path("p.csv"), plans))
        qec compare: points='p.csv' holds no points: starting from scratch, roughly 2 \
minutes (6 points to simulate at up to 20 s each, the plan's time limit per point; direct \
sampling stops at its shots or errors instead)
    """
    counts = [planned_points(design.families(), budget) for design, budget in plans]
    seconds = sum(n * budget.max_seconds for n, (_, budget) in zip(counts, plans, strict=True))
    limit = max(budget.max_seconds for _, budget in plans)
    check = max(budget.verify_seconds for _, budget in plans)
    checks = f", plus up to {check:g} s a part for each pick checked by splitting" if check else ""
    return (
        f"qec compare: points={str(points)!r} holds no points: starting from scratch, roughly "
        f"{max(1, round(seconds / 60))} minutes ({sum(counts)} points to simulate at up to "
        f"{limit:g} s each, the plan's time limit per point; direct sampling stops at its "
        f"shots or errors instead){checks}"
    )


def main_compare(*, command_line_args: list[str]) -> int:
    """Prints the comparison (or its JSON with --json) and writes its report files.

    Every argument, the points file and the report folder are checked before any work:
    a bad one raises QecError naming it (one line, exit status 2)."""
    parser = OneLineParser(
        prog="qec compare",
        description="Physical qubits per logical qubit for every design at each per-round "
        "target, with 95% intervals, and the ratios to the surface code. Reuses the points "
        "in --points and simulates only what is missing.",
    )
    parser.add_argument(
        "--designs", default=None, help="comma-separated labels or design names (default: all)"
    )
    parser.add_argument(
        "--target", default=",".join(f"{t:.0e}" for t in TARGETS), help="per-round targets"
    )
    parser.add_argument(
        "--per",
        default=PER_ROUND,
        help="what the targets are rates of: round (default) or second (each design's "
        "per-round target is then the target times its round)",
    )
    parser.add_argument("--p", type=float, help=f"transmon error rate (default: {DEFAULT.p:g})")
    parser.add_argument("--eta", type=float, help=f"noise bias (default: {DEFAULT.eta:g})")
    parser.add_argument(
        "--k1-k2", type=float, help=f"cat kappa_1/kappa_2 (default: {DEFAULT.k1_k2:g})"
    )
    parser.add_argument(
        "--t-cx", type=float, help=f"cat CX time in 1/kappa_2 (default: {DEFAULT.t_cx:g})"
    )
    parser.add_argument("--nbar", type=float, help="fix every cat's nbar (default: free)")
    parser.add_argument(
        "--inv-kappa-2-ns",
        type=float,
        help=f"1/kappa_2 of the cats in ns, which times their rounds (default: "
        f"{DEFAULT.inv_kappa_2_ns:g}, LR23)",
    )
    parser.add_argument(
        "--transmon-round-us",
        type=float,
        help=f"a transmon surface-code round in us (default: {DEFAULT.transmon_round_us:g}, "
        "Google's Willow)",
    )
    parser.add_argument(
        "--nbars",
        default=None,
        help="cat nbar values to explore (default: each cat design's own grid: 4..20 for "
        "cats, 1..12 with transmon ancillas, fewer for the thin designs)",
    )
    parser.add_argument(
        "--weights", default=None, help="transmon designs: data=W,ancilla=W (default: 1 each)"
    )
    parser.add_argument(
        "--cat-weights",
        default=None,
        help="cat designs: data=W,ancilla=W (data=2: buffers) (default: 1 each)",
    )
    parser.add_argument(
        "--cat-transmon",
        default=None,
        help="the cat-transmon designs' noise, e.g. ocelot:cat_t1=600 (default: ocelot)",
    )
    parser.add_argument(
        "--decoder",
        default=None,
        help="the qubit designs' decoder, e.g. pymatching-correlated (default: pymatching; "
        "cat designs use pymatching, ldpc_cat --ldpc-decoder)",
    )
    parser.add_argument(
        "--ldpc-decoder",
        default=None,
        help="the ldpc_cat design's decoder, e.g. bposd (default: bposd-ruiz25, the BP+OSD "
        "of Ruiz et al. 2025)",
    )
    parser.add_argument(
        "--points",
        default="results/overhead_points.csv",
        help="sinter CSV of simulated points, read and extended; a missing file starts "
        "a run from scratch (stderr says so, and roughly how long it takes)",
    )
    parser.add_argument("--out", default="results/compare", help="folder for the report files")
    parser.add_argument("--json", action="store_true", help="print the JSON instead of the table")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="print every row's counts, method and note in full (wide lines)",
    )
    parser.add_argument(
        "--workers",
        type=count,
        default=None,
        help="processes to simulate on (default: 2, as the committed points were made; "
        "the seconds of a budget are seconds of that many, so more ask for more time)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(command_line_args)
    # Every input is checked before any work: a bad one ends the command with one line.
    assumptions = assumptions_from_args(args)
    designs = None if args.designs is None else [d.strip() for d in args.designs.split(",")]
    labels = assumptions.labels(designs)
    plans = assumptions.plans(labels)
    targets = check_targets(numbers("target", args.target), args.per)
    points = pathlib.Path(args.points)
    found = check_results_file(points, parameter="points")
    check_writable_folder(args.out, parameter="out")
    if not found:  # said even with --quiet: the run takes far longer than a rerun
        print(from_scratch_notice(points, list(plans.values())), file=sys.stderr)
    points.parent.mkdir(parents=True, exist_ok=True)
    line = ProgressLine(max_shots=None, max_errors=None, label="qec compare", out=sys.stderr)
    table = compare(
        assumptions,
        designs=labels,
        targets=targets,
        save=points,
        progress=None if args.quiet else line.log,
        per=args.per,
        workers=args.workers,
    )
    paths = write_report(table, args.out)
    if args.json:
        print(json.dumps(table.report_json()))
        return 0
    print(table.detailed() if args.verbose else table)
    print()
    shown = targets if args.verbose or args.per == PER_SECOND else QUESTION_TARGETS
    print(ratio_grid(table, shown))
    met = [r for r in table.cat_ratios() if r.interval is not None]
    print(
        textwrap.fill(
            "AWS's 5 to 10x fewer qubits, at these assumptions (a ratio counts "
            "only when its whole interval reaches the factor): " + " ".join(headline(met)),
            TABLE_WIDTH,
        )
    )
    print()
    print(time_grid(table, shown))
    print()
    print(textwrap.fill(f"Assumptions: {assumptions.describe()}.", TABLE_WIDTH))
    print(f"Report in {args.out}: " + ", ".join(p.name for p in paths.values()))
    return 0
