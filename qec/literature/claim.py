"""The vendor's claim, checked: does a cat design need 5 to 10 times fewer physical
qubits than the surface code? Its statements quoted with their sources, and the
verdicts the comparison and its sensitivity give, interval by interval.
"""

from __future__ import annotations

import dataclasses

from qec.intervals import Interval
from qec.overhead.sensitivity import Sensitivity
from qec.overhead.table import FootprintTable, Ratio, ratio_text

FACTORS = (5.0, 10.0)


@dataclasses.dataclass(frozen=True)
class Statement:
    """A published statement, its words exactly as published, and where."""

    words: str
    source: str
    traced: bool = True


STATEMENTS = (
    Statement(
        "We believe that scaling Ocelot to a full-fledged quantum computer capable of "
        "transformative societal impact would require as little as one-tenth as many "
        "resources as common approaches, helping bring closer the age of practical "
        "quantum computing.",
        "O. Painter and F. Brandão, 'Amazon announces Ocelot quantum chip', Amazon Science "
        "blog, 27 Feb 2025, https://www.amazon.science/blog/amazon-announces-ocelot-quantum-chip",
    ),
    Statement(
        "up to 90%",
        "AWS's Ocelot launch (27 Feb 2025), as reported, e.g. allaboutcircuits.com: 'AWS "
        "claims this design could reduce quantum error correction overhead by up to 90% "
        "compared to conventional methods'; the primary text was not read here",
    ),
    Statement(
        "between 5 and 10 times lower numbers of physical qubits",
        "AWS's Ocelot launch (Feb 2025), as recorded in the project's reference notes; "
        "the primary text was not read here",
    ),
    Statement(
        "6 times more efficiently than standard methods",
        "attributed to AWS (Dec 2023); no traceable source: no publication or release "
        "carrying these words was found",
        traced=False,
    ),
)


def verdict(ratio: Interval | None, factor: float) -> str:
    """Whether a ratio with its interval reaches `factor`: 'yes' when its whole interval
    is at or above it, 'no' when all of it is below, 'cannot tell' when it straddles,
    'no ratio' when a design misses the target.

    Examples:
        >>> verdict(Interval(6.0, 5.2, 7.0), 5), verdict(Interval(6.0, 5.2, 7.0), 10)
        ('yes', 'no')
        >>> verdict(Interval(4.8, 4.1, 5.6), 5), verdict(None, 5)
        ('cannot tell', 'no ratio')
    """
    if ratio is None:
        return "no ratio"
    if ratio.low >= factor:
        return "yes"
    if ratio.high < factor:
        return "no"
    return "cannot tell"


def claim_report(table: FootprintTable, sensitivity: Sensitivity | None = None) -> str:
    """The check as Markdown: the statements, the ratio of the surface code(s) to each
    cat design at every target with the verdicts for 5x and 10x, and, from
    `sensitivity`, which ends of which assumptions bring the ratio to 5 and to 10."""
    lines = ["# Does a cat design need 5 to 10 times fewer physical qubits?", ""]
    lines += ["## What AWS said", ""]
    for s in STATEMENTS:
        mark = "" if s.traced else " **(untraceable)**"
        lines.append(f'- "{s.words}"{mark}: {s.source}.')
    described = table.assumptions.get("description", "not recorded")
    lines += ["", "## At today's assumptions", "", f"Assumptions: {described}.", ""]
    lines.append(
        "Ratio = qubits(surface code) / qubits(cat design) per logical qubit, central "
        "counts [from the two 95% qubit intervals]; a verdict is 'yes' only when the whole "
        "interval reaches the factor."
    )
    lines += ["", "| ratio | target | ratio [interval] | 5x | 10x |", "|---|---|---|---|---|"]
    cat_ratios = [r for r in table.baseline_ratios() if "cat" in r.denominator.design]
    for ratio in cat_ratios:
        interval = ratio.interval
        verdicts = " | ".join(verdict(interval, f) for f in FACTORS)
        lines.append(
            f"| {ratio.numerator.design} / {ratio.denominator.design} | {ratio.target:.0e} | "
            f"{ratio_text(ratio)} | {verdicts} |"
        )
    lines += ["", "## Answer", ""]
    lines += _answer(cat_ratios)
    if sensitivity is not None:
        lines += _sensitivity_lines(sensitivity)
    return "\n".join(lines) + "\n"


def _answer(ratios: list[Ratio]) -> list[str]:
    """A line per baseline and cat design: at which targets the ratio reaches each
    factor, falls short of it, or cannot tell."""
    pairs: dict[tuple[str, str], list[Ratio]] = {}
    for r in ratios:
        pairs.setdefault((r.numerator.design, r.denominator.design), []).append(r)
    lines = []
    for (numerator, denominator), found in pairs.items():
        parts = []
        for factor in FACTORS:
            by_verdict: dict[str, list[str]] = {}
            for r in found:
                by_verdict.setdefault(verdict(r.interval, factor), []).append(f"{r.target:.0e}")
            said = "; ".join(f"{v} at {', '.join(ts)}" for v, ts in by_verdict.items())
            parts.append(f"{factor:g}x: {said}")
        lines.append(f"- {numerator} / {denominator}: " + ". ".join(parts) + ".")
    return lines


def _sensitivity_lines(sensitivity: Sensitivity) -> list[str]:
    lines = [
        "",
        "## Which assumptions bring the ratio to 5 and to 10",
        "",
        f"One assumption at a time at either end of its range, the others at their "
        f"defaults; baseline {sensitivity.baseline}; no pick checked by splitting (counts "
        f"beyond the simulated sizes are Lambda-fit extrapolations).",
        "",
        "| assumption | end | design | target | ratio [interval] | 5x | 10x |",
        "|---|---|---|---|---|---|---|",
    ]
    reaching: dict[float, list[str]] = {f: [] for f in FACTORS}
    for case in sensitivity.cases():
        name, end = case.assumption, case.value
        for design in sensitivity.designs:
            for target in sensitivity.targets:
                ratio = sensitivity.ratio(case.table, design, target)
                interval = None if ratio is None else ratio.interval
                verdicts = " | ".join(verdict(interval, f) for f in FACTORS)
                lines.append(
                    f"| {name} | {end} | {design} | {target:.0e} | {ratio_text(ratio)} | "
                    f"{verdicts} |"
                )
                for factor in FACTORS:
                    if verdict(interval, factor) == "yes":
                        reaching[factor].append(
                            (f"{name} = {end}" if end else name) + f" ({design}, {target:.0e})"
                        )
    lines.append("")
    for factor, found in reaching.items():
        named = "; ".join(found) if found else "none"
        lines.append(f"- Whole interval at or above {factor:g}x: {named}.")
    return lines
