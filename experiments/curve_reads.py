"""Curve reads against measurements: the rate of a candidate read off the splitting
curve of weaker noise (`qec.overhead.family`, curve reads), beside the rate measured at
that candidate itself where the points file holds one.

A what-if on p reads the comparison's ladders instead of sampling again; the read is
the candidate at p to first order in p, decoded with the weights of the weaker noise.
This checks it where both exist: the surface code under depolarizing noise at p = 2e-3
(the sensitivity's end, read off the ladders of p = 1e-3; the p = 5e-4 end's ladders
stop at sizes the comparison at p = 1e-3 samples itself). Reads the committed points
only (nothing is sampled when the plans' points are there) and writes
results/curve_reads.csv and .md.

Usage: python experiments/curve_reads.py [--points CSV] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import pathlib

from qec.analysis.holdout import measured_rate
from qec.overhead import Assumptions
from qec.overhead.family import FamilyModel
from qec.sampling.method import Counts

ROOT = pathlib.Path(__file__).resolve().parent.parent
CASES = (("surface (depolarizing)", 2e-3),)
COLUMNS = (
    "design", "p", "read_from_p", "scale", "distance", "component", "read", "read_low",
    "read_high", "read_configurations", "measured", "measured_low", "measured_high", "method",
    "measured_counts", "ratio", "overlaps",
)  # fmt: skip


def rows(points: pathlib.Path) -> list[dict[str, object]]:
    """A row per curve read of each case, with the candidate's own measurement if any."""
    found: list[dict[str, object]] = []
    for label, p in CASES:
        design, budget = Assumptions(p=p).plan(label)
        for family in design.families():
            model = FamilyModel(family, budget, points, lambda text: None)
            for (k, component), read in sorted(model.curve_reads.items()):
                candidate = family.at(k)
                distance = candidate.code.params()["distance"]
                # The candidate's own rate: its splitting units, else its direct shots.
                own = (
                    []
                    if read.stands_in
                    else sorted(
                        (q for q in model.points(component) if q.distance == distance),
                        key=lambda q: q.rate is None,
                    )
                )
                rate = read.part.per_round
                row: dict[str, object] = {
                    "design": label,
                    "p": p,
                    "read_from_p": read.weaker,
                    "scale": read.scale,
                    "distance": distance,
                    "component": component,
                    "read": f"{rate.value:.4g}",
                    "read_low": f"{rate.low:.4g}",
                    "read_high": f"{rate.high:.4g}",
                    "read_configurations": read.part.shots,
                }
                if own:
                    measured = measured_rate(own[0])
                    row |= {
                        "measured": f"{measured.value:.4g}",
                        "measured_low": f"{measured.low:.4g}",
                        "measured_high": f"{measured.high:.4g}",
                        "method": own[0].method,
                        "measured_counts": str(Counts(own[0].method, own[0].shots, own[0].errors)),
                        "ratio": f"{rate.value / measured.value:.3g}",
                        "overlaps": rate.low <= measured.high and measured.low <= rate.high,
                    }
                found.append(row)
    return found


def markdown(found: list[dict[str, object]]) -> str:
    """The rows as a table, with how many reads agree with their measurement."""
    compared = [r for r in found if "measured" in r]
    overlapping = sum(bool(r["overlaps"]) for r in compared)
    ratios = [float(str(r["ratio"])) for r in compared]
    lines = [
        "# Curve reads against measurements",
        "",
        "The rate of a candidate read off the splitting curve of the same candidate under "
        "weaker noise of the same model (every mechanism's odds times `scale`; the decoder "
        "weighted for the weaker noise), beside the candidate's own measurement where the "
        "points file holds one (95% intervals, per round). Written by "
        "`experiments/curve_reads.py` from `results/overhead_points.csv`.",
        "",
        f"{overlapping} of {len(compared)} reads overlap their measurement"
        + (f"; read / measured from {min(ratios):.3g} to {max(ratios):.3g}." if ratios else "."),
        f"{len(found) - len(compared)} reads stand where the candidate has no units of its own.",
        "",
        "| design | p | read from p | scale | d | component | read | measured (method) | "
        "read / measured | overlaps |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in found:
        read = (
            f"{r['read']} [{r['read_low']}, {r['read_high']}] "
            f"({r['read_configurations']:,} configurations decoded at p = {r['read_from_p']:g})"
        )
        measured = (
            f"{r['measured']} [{r['measured_low']}, {r['measured_high']}] "
            f"({r['method']}, {r['measured_counts']})"
            if "measured" in r
            else "none"
        )
        lines.append(
            f"| {r['design']} | {r['p']:g} | {r['read_from_p']:g} | {r['scale']:.3g} | "
            f"{r['distance']} | {r['component']} | {read} | {measured} | "
            f"{r.get('ratio', '')} | {r.get('overlaps', '')} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=pathlib.Path, default=ROOT / "results/overhead_points.csv")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "results")
    args = parser.parse_args()
    found = rows(args.points)
    with (args.out / "curve_reads.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(found)
    (args.out / "curve_reads.md").write_text(markdown(found))
    print(markdown(found))


if __name__ == "__main__":
    main()
