"""Held-out validation of the solver's fits: each fit is redone on the points up to a
distance, and predicts the rates measured beyond it (`qec.analysis.holdout`).

Reads the committed points (results/overhead_points.csv; nothing is sampled when its
points are there) and writes:
- results/holdout.csv: one row per held-out measurement: design, family, component,
  the fitted range and model, the measured rate and the prediction with their 95%
  intervals, whether the prediction's interval contains the measured rate, and their
  ratio;
- results/holdout.md: the same as a table, with each fit.

With --sample NBAR:D,D,...: first samples the repetition cat code's phase flips
directly at those distances of the family at NBAR (up to --max-errors failures each,
resumable) into the points file: the held-out measurements beyond the solver's range.

Usage: python experiments/holdout.py [--points CSV] [--out DIR]
       [--sample NBAR:D,D,... ...] [--max-errors N]
"""

from __future__ import annotations

import argparse
import csv
import pathlib

from qec.analysis.holdout import Holdout, holdout
from qec.overhead import Assumptions
from qec.overhead.family import FamilyModel
from qec.sampling import estimate

ROOT = pathlib.Path(__file__).resolve().parent.parent
# (design, family, fitted up to d): the surface codes' stratified range (d <= 9) against
# their splitting checks; the repetition cat code's sampled range (d <= 21) against the
# measurements beyond it.
CASES = (
    ("surface (depolarizing)", "d", 9),
    ("surface (SI1000)", "d", 9),
    ("surface (SD6)", "d", 9),
    ("repetition_cat", "nbar=10", 21),
    ("repetition_cat", "nbar=14", 21),
    ("repetition_cat", "nbar=16", 21),
)
COLUMNS = (
    "design", "family", "component", "fit_up_to", "central", "Lambda", "gamma", "distance",
    "method", "measured", "measured_low", "measured_high", "predicted", "predicted_low",
    "predicted_high", "contains", "overlaps", "ratio", "counts",
)  # fmt: skip


def counts_text(counts: dict[str, int]) -> str:
    """What a measurement rests on, e.g. '276,753 shots, 201 errors'."""
    return ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items())


def validations(points: pathlib.Path) -> list[tuple[str, str, str, Holdout]]:
    """The holdout of each component of each case whose points reach beyond its range."""
    found = []
    assumptions = Assumptions()
    for label, family_label, up_to in CASES:
        design, budget = assumptions.plan(label)
        for family in design.families():
            if family.label != family_label:
                continue
            model = FamilyModel(family, budget, points, lambda text: None)
            for component in model.fits:
                fitted = model.points(component)
                if max(p.distance for p in fitted) > up_to:
                    found.append((label, family_label, component, holdout(fitted, fit_up_to=up_to)))
    return found


def sample_cat(points: pathlib.Path, nbar: str, distances: list[int], max_errors: int) -> None:
    """Samples the sampled components of the repetition cat code at `nbar` directly, at
    each of `distances`, into `points` (resumed: shots already there count)."""
    design, budget = Assumptions().plan("repetition_cat")
    (family,) = (f for f in design.families() if f.label == f"nbar={float(nbar):g}")
    for d in distances:
        candidate = family.at((d - 3) // 2)
        for component in candidate.components:
            if component.first_order:
                continue
            result = estimate(
                candidate.experiment(component),
                method="monte_carlo",
                max_errors=max_errors,
                max_shots=10**9,
                save=points,
                num_workers=budget.workers,
            )
            print(f"{family.label} d={d} {component.label}: {result.per_round} ({result.counts})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=pathlib.Path, default=ROOT / "results/overhead_points.csv")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "results")
    parser.add_argument("--sample", action="append", default=[], metavar="NBAR:D,D,...")
    parser.add_argument("--max-errors", type=int, default=200)
    args = parser.parse_args()
    for item in args.sample:
        nbar, _, distances = item.partition(":")
        sample_cat(args.points, nbar, [int(d) for d in distances.split(",")], args.max_errors)
    rows = []
    lines = ["# Held-out validation of the solver's fits", ""]
    for label, family, component, result in validations(args.points):
        fit = result.fit
        central = "bent" if getattr(fit, "bent", False) else "exponential"
        gamma = getattr(fit, "gamma", None)
        lines += [f"## {label}, {family}, {component}", ""]
        lines += [f"Fitted on d <= {result.fit_up_to}: {fit}", ""]
        lines += [
            "| d | measured (method, counts) | predicted | contains | overlaps "
            "| measured / predicted |",
            "|---|---|---|---|---|---|",
        ]
        for p in result.predictions:
            lines.append(
                f"| {p.distance} | {p.measured} ({p.method}, {counts_text(p.counts)}) | "
                f"{p.predicted} | "
                f"{'yes' if p.contains else 'no'} | {'yes' if p.overlaps else 'no'} | "
                f"{p.ratio:.2f} |"
            )
            measured, predicted = p.measured, p.predicted
            rows.append(
                {
                    **{"design": label, "family": family, "component": component},
                    **{"fit_up_to": result.fit_up_to, "central": central},
                    **{"Lambda": fit.Lambda.value, "gamma": "" if gamma is None else gamma.value},
                    **{"distance": p.distance, "method": p.method.value},
                    **{"measured": measured.value, "measured_low": measured.low},
                    **{"measured_high": measured.high, "predicted": predicted.value},
                    **{"predicted_low": predicted.low, "predicted_high": predicted.high},
                    **{"contains": p.contains, "overlaps": p.overlaps, "ratio": p.ratio},
                    **{"counts": counts_text(p.counts)},
                }
            )
        lines.append("")
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "holdout.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    (args.out / "holdout.md").write_text("\n".join(lines))
    held = len(rows)
    contained = sum(bool(r["contains"]) for r in rows)
    overlapping = sum(bool(r["overlaps"]) for r in rows)
    print(
        f"{contained} of {held} held-out measurements inside their predictions' 95% "
        f"intervals; {overlapping} of {held} overlap them"
    )


if __name__ == "__main__":
    main()
