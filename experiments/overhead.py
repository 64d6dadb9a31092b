"""Physical qubits per logical qubit against the target, for every design, and the ratio
surface code / repetition cat code: the project's headline comparison.

Regenerates, at the default `qec.overhead.Assumptions` (today's hardware):

- results/overhead_points.csv: sinter's CSV of every simulated point. Sampling resumes
  from it: a rerun never counts a shot twice, and a direct (Monte Carlo) point already
  at its budget costs nothing but its 20,000-shot pilot. A stratified point that stopped
  on its fault-set or time limit before reaching +-20% is topped up by a rerun (for
  stratified sampling those limits count the new run only), which moves its numbers a
  little; --replot redraws without sampling.
- results/overhead.csv: one row per design and target: the smallest candidate that meets
  the target, its size, nbar, qubits, per-round rate with its 95% interval, how the rate
  was obtained (`method`: monte_carlo, stratified, first_order, `+`-joined, or
  extrapolated from the Lambda fits) and the qubit-counting rule. `status` is `met`,
  `not reached` (the solver found no candidate: above threshold, or a component that
  could not be measured or fitted; `note` gives the fits) or `unresolved` (the solver's
  pick rests on a component with no failures observed: see `review`).
- results/overhead_ratios.csv: qubits(surface) / qubits(repetition_cat) per target, for
  the depolarizing and the SI1000 surface code, with the methods of both counts.
- results/overhead.json: every row with its components and the Lambda fits behind it
  (and, where the review changed it, the solver's row).
- results/overhead.png: qubits against target per design (hollow points extrapolated),
  and the ratios.

Usage:
    python experiments/overhead.py [--only LABEL ...] [--out DIR] [--replot]

--only runs the designs whose labels start with one of the names given (e.g.
`--only repetition_cat "surface (depolarizing)"`); the others are left out of the
outputs. --replot redraws the PNG and rewrites the tables from overhead.json, without
sampling.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import math
import pathlib
import sys
import time
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from qec.intervals import Interval  # noqa: E402
from qec.overhead import Assumptions, Budget, Design, FootprintTable, footprint  # noqa: E402
from qec.overhead.solver import ComponentRate, FootprintRow  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "results"
TARGETS = tuple(10.0**-k for k in range(3, 12))  # 1e-3 ... 1e-11
CAT = "repetition_cat"
SURFACES = ("surface (depolarizing)", "surface (SI1000)")

# The simulation budget. Direct sampling stops at 2e6 shots or 200 errors; stratified
# sampling at 2e6 fault sets, 20 s or +-20%. The single-family designs simulate d = 3..9;
# surface_rect (three aspects) d = 3..7. Beyond, the Lambda fits extrapolate.
BUDGET = Budget(measured_steps=4, max_shots=2_000_000, max_errors=200, max_seconds=20.0)
SMALL_BUDGET = dataclasses.replace(BUDGET, measured_steps=3)
# The repetition cat code is one-dimensional and cheap: it simulates d = 3..21 for every
# nbar. Its local Lambda keeps falling with the distance (at nbar = 16: ~2.5 from d = 3
# to 5, ~1.45 on average from 13 to 21), so short fits are optimistic: fitting d = 3..7
# gave 121 qubits at 1e-11, d = 3..17 177, d = 3..21 185-189 (two runs).
CAT_BUDGET = dataclasses.replace(BUDGET, measured_steps=10)
# thin_surface_cat is above threshold at the default k1_k2 = 1e-3 for every nbar (its
# data qubits are CX controls and take the non-adiabatic phase flip pi^2/(64 nbar t_cx):
# with the loss term, at least ~2.5% per CX at the best nbar): a coarse nbar grid, the two
# extreme aspects and d = 3..7 are enough to show that no candidate reaches any target.
THIN_NBARS = (4.0, 8.0, 12.0, 16.0, 20.0)
THIN_ASPECTS = (1.0, 3.0)


def plan(assumptions: Assumptions) -> list[tuple[Design, Budget]]:
    """Every design of the comparison with the budget it is explored with."""
    chosen = []
    for label, design in assumptions.designs().items():
        budget = BUDGET
        if label == CAT:
            budget = CAT_BUDGET
        elif label == "thin_surface_cat":
            design = dataclasses.replace(design, nbars=THIN_NBARS, aspects=THIN_ASPECTS)
            budget = SMALL_BUDGET
        elif len(design.families()) > 1:
            budget = SMALL_BUDGET
        chosen.append((design, budget))
    return chosen


SAMPLED = ("monte_carlo", "stratified")
MARKERS = ("o", "s", "^", "D", "v", "h", "p")


@dataclasses.dataclass(frozen=True)
class Reviewed:
    """A solver row with its status: `met`, `unresolved` (the solver's pick rests on a
    sampled component in which no failure was observed, and at that component's 95%
    upper bound the total exceeds the target: see `review`) or `not reached` (the
    solver found no candidate); `note` says why."""

    row: FootprintRow
    status: str
    note: str
    solver: FootprintRow  # the row as the solver gave it

    def to_json(self) -> dict[str, Any]:
        solver = {} if self.solver == self.row else {"solver_row": self.solver.to_json()}
        return {**self.row.to_json(), "status": self.status, "note": self.note,
                "solver_note": self.solver.note, **solver}


def review(row: FootprintRow) -> Reviewed:
    """The solver takes point estimates at face value, including that of a sampled
    component in which no failure was observed (e.g. 0 [0, 5e-7] per round, or only the
    exactly enumerated strata of a stratified estimate), which can "meet" any target.
    Such a component is known only by its 95% upper bound: the row stays met if the
    total still meets the target with those components at their upper bounds, and is
    unresolved at this budget otherwise."""
    if not row.met:
        return Reviewed(row, "not reached", f"{row.note}. {summarize_fits(row.fits)}", row)
    blind = [c for c in row.components if c.method in SAMPLED and c.errors == 0]
    if not blind:
        return Reviewed(row, "met", "", row)
    bound = math.fsum(c.per_round.high if c in blind else c.per_round.value
                      for c in row.components)
    described = ", ".join(
        f"{c.label} = {c.per_round.value:.2g} [{c.per_round.low:.2g}, {c.per_round.high:.2g}] "
        f"(no failures in {c.shots:,} {'fault sets' if c.method == 'stratified' else 'shots'})"
        for c in blind)
    if bound <= row.target:
        return Reviewed(row, "met", f"{described}: at its 95% upper bound the total, "
                                    f"{bound:.2g}, still meets the target", row)
    size = size_text(row.params)
    return Reviewed(
        dataclasses.replace(row, met=False, params={}, qubits=None, per_round=None,
                            method=""),
        "unresolved",
        f"the solver's pick, {size} ({row.qubits:g} qubits), rests on {described}; at "
        f"that upper bound its total, {bound:.2g}, exceeds the target: this budget cannot "
        "tell whether it meets it (the solver stops at its first pick)",
        row,
    )


def size_text(params: dict[str, Any]) -> str:
    """'d=7', 'dx=3 dz=9', plus 'nbar=8' for cat designs."""
    if params.get("dx", params.get("distance")) == params.get("dz", params.get("distance")):
        text = f"d={params['distance']}"
    else:
        text = f"dx={params['dx']} dz={params['dz']}"
    return text + (f" nbar={params['nbar']:g}" if "nbar" in params else "")


def summarize_fits(fits: tuple[str, ...]) -> str:
    """'Fits: memory X (Z errors): Lambda 0.64..1.02 in 10 families; ...' from the
    solver's fit notes, one per family and component ('label: model, fitted d = a..b,
    Lambda = v [low, high]' or 'label: no fit (...)')."""
    lambdas: dict[str, list[float]] = {}
    unfit: dict[str, int] = {}
    for note in fits:
        label, _, text = note.partition(": ")
        if "Lambda = " in text:
            lambdas.setdefault(label, []).append(float(text.split("Lambda = ")[1].split()[0]))
        else:
            unfit[label] = unfit.get(label, 0) + 1
    parts = []
    for label in dict.fromkeys([*lambdas, *unfit]):
        values = lambdas.get(label, [])
        text = f"{label}: "
        if values:
            text += (f"fitted Lambda {min(values):.3g}..{max(values):.3g} in "
                     f"{len(values)} families" if len(values) > 1
                     else f"fitted Lambda {values[0]:.3g}")
        if label in unfit:
            text += (", " if values else "") + (
                f"no fit in {unfit[label]} families (failures seen at < 2 distances)")
        parts.append(text)
    return "Fits: " + "; ".join(parts) + "." if parts else ""


COLUMNS = ("design", "noise", "target", "distance", "dx", "dz", "nbar", "qubits",
           "per_round", "per_round_low", "per_round_high", "method", "met", "status",
           "qubit_rule", "components", "fits", "note")


def csv_row(reviewed: Reviewed) -> dict[str, Any]:
    """One flat row of results/overhead.csv (empty cells where a value does not apply)."""
    row = reviewed.row
    rate = row.per_round
    params = row.params
    return {
        "design": row.design,
        "noise": row.noise,
        "target": f"{row.target:.0e}",
        "distance": params.get("distance", ""),
        "dx": params.get("dx", ""),
        "dz": params.get("dz", ""),
        "nbar": "" if "nbar" not in params else f"{params['nbar']:g}",
        "qubits": "" if row.qubits is None else f"{row.qubits:g}",
        "per_round": "" if rate is None else f"{rate.value:.4g}",
        "per_round_low": "" if rate is None else f"{rate.low:.4g}",
        "per_round_high": "" if rate is None else f"{rate.high:.4g}",
        "method": row.method,
        "met": row.met,
        "status": reviewed.status,
        "qubit_rule": row.qubit_rule,
        "components": "; ".join(
            f"{c.label}: {c.per_round.value:.3g} [{c.per_round.low:.3g}, "
            f"{c.per_round.high:.3g}] {c.method}" for c in row.components),
        "fits": "; ".join(row.fits) if row.met else "",
        "note": reviewed.note,
    }


def ratios(table: FootprintTable) -> list[dict[str, Any]]:
    """qubits(surface) / qubits(repetition_cat) at each target, where both are met."""
    rows = []
    for surface in SURFACES:
        for target in table.targets():
            a, b = table.row(surface, target), table.row(CAT, target)
            if a is None or b is None:
                continue
            ratio = table.ratio(surface, CAT, target)
            rows.append({
                "numerator": surface,
                "denominator": CAT,
                "target": f"{target:.0e}",
                "numerator_qubits": "" if a.qubits is None else f"{a.qubits:g}",
                "denominator_qubits": "" if b.qubits is None else f"{b.qubits:g}",
                "ratio": "" if ratio is None else f"{ratio:.3g}",
                "numerator_method": a.method if a.met else "not reached",
                "denominator_method": b.method if b.met else "not reached",
            })
    return rows


def write_csv(path: pathlib.Path, rows: list[dict[str, Any]],
              columns: tuple[str, ...] | None = None) -> None:
    with open(path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns or rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def caption(assumptions: Assumptions) -> str:
    a = assumptions
    return (
        f"Default assumptions: transmon p = {a.p:g} (depolarizing, SI1000, biased with "
        f"eta = {a.eta:g}); cat qubits kappa_1/kappa_2 = {a.k1_k2:g}, t_CX = {a.t_cx:g}/kappa_2, "
        f"nbar free in {min(a.nbars):g}..{max(a.nbars):g}; "
        f"{a.weights.rule} (cat: {a.cat_weights.rule}).\n"
        "Per-round logical error rates, rounds = distance, PyMatching. Filled points: "
        "rate measured (direct, stratified, first order); hollow points: extrapolated from "
        "Lambda fits.\n"
        "repetition_cat: simulated d = 3..21, extrapolated beyond; its local Lambda still "
        "falls with d at d = 21, so its extrapolated counts are probably optimistic "
        "(the ratios high)."
    )


def plot(table: FootprintTable, ratio_rows: list[dict[str, Any]], assumptions: Assumptions,
         path: pathlib.Path) -> None:
    figure = Figure(figsize=(14, 6.2), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=(1.25, 1))
    table.plot(ax=left)
    # One marker per design, largest first, so that designs with equal counts stay visible.
    by_color: dict[Any, list[Any]] = {}
    for line in left.get_lines():
        by_color.setdefault(line.get_color(), []).append(line)
    for i, lines in enumerate(by_color.values()):
        for line in lines:
            line.set_marker(MARKERS[i % len(MARKERS)])
            line.set_markersize(11 - 0.8 * i)
    for design in table.designs():
        if not any(r.met for r in table.rows if r.design == design):
            left.plot([], [], linestyle="none", marker="x", color="gray",
                      label=f"{design}: no target reached")
    left.set_title("physical qubits per logical qubit (missing points: target not reached "
                   "or unresolved, see overhead.csv)", fontsize="medium")
    left.legend(title="design (hollow: extrapolated)", fontsize="small")
    for surface, color in zip(SURFACES, ("tab:blue", "tab:orange"), strict=True):
        rows = [r for r in ratio_rows if r["numerator"] == surface and r["ratio"]]
        if not rows:
            continue
        xs = [float(r["target"]) for r in rows]
        ys = [float(r["ratio"]) for r in rows]
        right.plot(xs, ys, marker="o", color=color, label=f"{surface} / {CAT}")
        hollow = [(x, y) for x, y, r in zip(xs, ys, rows, strict=True)
                  if "extrapolated" in (r["numerator_method"], r["denominator_method"])]
        if hollow:
            right.plot(*zip(*hollow, strict=True), linestyle="none", marker="o",
                       markerfacecolor="white", color=color)
    right.axhline(1, color="gray", linewidth=0.8)
    right.set_xscale("log")
    right.invert_xaxis()
    right.set_xlabel("target logical error rate per round")
    right.set_ylabel("qubits(surface) / qubits(repetition_cat)")
    right.set_ylim(bottom=0)
    right.grid(True, which="both", alpha=0.3)
    right.legend(title="ratio (hollow: either extrapolated)", fontsize="small")
    right.set_title("surface code / repetition cat code", fontsize="medium")
    figure.suptitle(caption(assumptions), fontsize="small")
    figure.savefig(path, dpi=120)


def row_from_json(item: dict[str, Any]) -> FootprintRow:
    """A solver row back from its `to_json()`."""
    rate = item["per_round"]
    return FootprintRow(
        design=item["design"], noise=item["noise"], target=item["target"],
        qubit_rule=item["qubit_rule"], met=item["met"],
        params={k: item[k] for k in ("distance", "dx", "dz", "nbar") if k in item},
        qubits=item["qubits"], per_round=None if rate is None else Interval(**rate),
        method=item["method"], note=item["note"], fits=tuple(item["fits"]),
        components=tuple(
            ComponentRate(c["label"], Interval(**c["per_round"]), c["method"], c["shots"],
                          c["errors"]) for c in item["components"]),
    )


def rows_from_json(path: pathlib.Path) -> list[Reviewed]:
    """The solver rows saved in overhead.json, reviewed again (for --replot)."""
    return [review(row_from_json(item.get("solver_row")
                                 or {**item, "note": item["solver_note"]}))
            for item in json.loads(path.read_text())]


def print_table(reviewed: list[Reviewed]) -> None:
    width = max(len(r.row.design) for r in reviewed) + 2
    print(f"{'design':<{width}}{'target':<8}{'size':<18}{'qubits':>7}  "
          f"{'per round [95%]':<31}method")
    for r in reviewed:
        row = r.row
        head = f"{row.design:<{width}}{row.target:<8.0e}"
        if r.status != "met":
            print(f"{head}{r.status}: {r.note}")
            continue
        assert row.per_round is not None and row.qubits is not None
        rate = f"{row.per_round.value:.2e} [{row.per_round.low:.2e}, {row.per_round.high:.2e}]"
        print(f"{head}{size_text(row.params):<18}{row.qubits:>7g}  {rate:<31}{row.method}"
              + (f" ({r.note})" if r.note else ""))
    for rule in dict.fromkeys(r.row.qubit_rule for r in reviewed):
        print(f"qubit counting: {rule}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="design labels to run")
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help="output directory")
    parser.add_argument("--replot", action="store_true",
                        help="no sampling: redraw the PNG and the tables from overhead.json")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    assumptions = Assumptions()
    points = args.out / "overhead_points.csv"
    start = time.monotonic()
    reviewed: list[Reviewed] = []
    if args.replot:
        reviewed = rows_from_json(args.out / "overhead.json")
    for design, budget in [] if args.replot else plan(assumptions):
        if args.only and not any(design.label.startswith(name) for name in args.only):
            continue
        began = time.monotonic()
        print(f"{design.label}: {len(design.families())} families, {budget}",
              file=sys.stderr, flush=True)

        def report(text: str, began: float = began) -> None:
            print(f"  [{time.monotonic() - began:5.0f} s] {text}", file=sys.stderr, flush=True)

        rows = footprint(design, TARGETS, budget=budget, save=points, progress=report)
        reviewed += [review(row) for row in rows]
        print(f"  {design.label}: {time.monotonic() - began:.0f} s", file=sys.stderr,
              flush=True)
    table = FootprintTable(rows=tuple(r.row for r in reviewed))
    ratio_rows = ratios(table)
    write_csv(args.out / "overhead.csv", [csv_row(r) for r in reviewed], COLUMNS)
    if ratio_rows:
        write_csv(args.out / "overhead_ratios.csv", ratio_rows)
    (args.out / "overhead.json").write_text(
        json.dumps([r.to_json() for r in reviewed], indent=1) + "\n")
    plot(table, ratio_rows, assumptions, args.out / "overhead.png")
    print_table(reviewed)
    print()
    for r in ratio_rows:
        print(f"{r['numerator']} / {r['denominator']} at {r['target']}: "
              f"{r['ratio'] or 'n/a'} ({r['numerator_qubits'] or '-'} / "
              f"{r['denominator_qubits'] or '-'}; {r['numerator_method']}, "
              f"{r['denominator_method']})")
    print(f"\n{time.monotonic() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
