"""The vendors' claims, checked: does a cat design need 5 to 10 times fewer physical
qubits than the surface code (AWS), and what do the LDPC-cat codes need (Alice & Bob)?
The statements quoted with their sources, and the verdicts the comparison and its
sensitivity give, interval by interval, each at the assumptions it names.

The LDPC-cat counts are per logical qubit (`qec.overhead.designs`): a block's cats and
its per-round rate divided by its 34 logical qubits.
"""

from __future__ import annotations

import dataclasses
import math

from qec.overhead.grids import by_pair
from qec.overhead.rows import EXTRAPOLATED, FootprintRow
from qec.overhead.sensitivity import (
    CLAIMED_FACTORS,
    NEAR_FACTOR,
    SECONDS_PER_POINT,
    Sensitivity,
    verdict,
)
from qec.overhead.table import FootprintTable, Ratio, ratio_text


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


LDPC_CAT = "ldpc_cat"
BASELINE = "surface (depolarizing)"
CONSISTENT, NOT_SUPPORTED, CANNOT_TELL = "consistent", "not supported", "cannot tell"
RUIZ25 = (
    "D. Ruiz, J. Guillaud, A. Leverrier, M. Mirrahimi, C. Vuillot, 'LDPC-cat codes for "
    "low-overhead quantum computing in 2D', Nat. Commun. 16, 1040 (2025), arXiv:2401.09541, "
    "https://arxiv.org/abs/2401.09541"
)


@dataclasses.dataclass(frozen=True)
class QubitClaim:
    """A statement of Alice & Bob's and how it is checked: at kappa_1/kappa_2 = `k1_k2`
    and per-round `target` (per logical qubit), `ldpc_cat` needs at most
    `qubits_per_logical` qubits per logical qubit, or, with `factor`, the surface code
    needs up to `factor` times more qubits than `ldpc_cat` at some target. `note` says
    what our model leaves out or reads into the statement."""

    statement: Statement
    k1_k2: float
    target: float | None = None
    qubits_per_logical: float | None = None
    factor: float | None = None
    note: str = ""


AB_CLAIMS = (
    QubitClaim(
        Statement(
            "up to 200 times",
            "Alice & Bob's documentation of LDPC-cat codes, as worded by secondary sources: "
            "'Alice & Bob claims this could reduce the hardware requirements for a useful "
            "quantum computer by up to 200x compared to transmon-based surface-code "
            "approaches' (postquantum.com, 'Quantum Computing Modalities: Superconducting "
            "Cat Qubits', https://postquantum.com/quantum-modalities/superconducting-cat-"
            "qubits/); the words 'up to 200 times' in Alice & Bob's own documentation were "
            "not found in the stored sources",
            traced=False,
        ),
        k1_k2=1e-4,
        factor=200.0,
        note="checked at kappa_1/kappa_2 = 1e-4, the ratio the other statements name; "
        "'up to' is read as: at some target",
    ),
    QubitClaim(
        Statement(
            "100 logical qubits at a 1e-8 error rate with 1500 qubits requires "
            "kappa_1/kappa_2 < 1e-4",
            "attributed to Alice & Bob; no stored source carries these words (the brief's "
            "wording), so it is checked as worded",
            traced=False,
        ),
        k1_k2=1e-4,
        target=1e-8,
        qubits_per_logical=15.0,
        note="1500 qubits / 100 logical qubits = 15 per logical qubit; 1e-8 read as the "
        "per-round rate of one logical qubit",
    ),
    QubitClaim(
        Statement(
            "758 cat qubits for 100 logical qubits",
            f"secondary sources' summary of {RUIZ25}: its [165+8l, 34+2l, 22] code with "
            "l = 33 (the words were not found verbatim in the stored sources)",
            traced=False,
        ),
        k1_k2=1e-4,
        target=1e-8,
        qubits_per_logical=7.58,
        note="our blocks are the periodic [136, 34, 22] codes of the authors' "
        "simulations: 238 cats per 34 logical qubits, 7.0 per logical qubit against the "
        "paper's 7.58; checked at kappa_1/kappa_2 = 1e-4 and 1e-8 per logical qubit and "
        "round",
    ),
)


def qubit_verdict(row: FootprintRow | None, claimed: float) -> tuple[str, str]:
    """Whether `row` supports at most `claimed` qubits per logical qubit, and why:
    consistent when it meets its target with its whole qubit interval at or below
    `claimed`, not supported when it meets no target there (or needs more than
    `claimed` even at its interval's low end), else cannot tell.

    Examples:
        >>> from qec.intervals import Interval
        >>> row = FootprintRow(design="ldpc_cat", noise="n", target=1e-8, qubit_rule="r",
        ...     status="met", qubits=7.0, qubit_interval=Interval(7.0, 6.0, 7.0))
        >>> qubit_verdict(row, 7.58)[0], qubit_verdict(row, 5.0)[0]
        ('consistent', 'not supported')
    """
    if row is None:
        return CANNOT_TELL, "no row at these assumptions"
    interval = row.qubit_interval
    if interval is None or not math.isfinite(interval.value):
        return NOT_SUPPORTED, f"{row.design} meets no candidate: {row.note}"
    counted = f"{row.design} needs {interval.value:.3g} [{interval.low:.3g}, {interval.high:.3g}]"
    if row.met and interval.high <= claimed:
        if row.evidence == EXTRAPOLATED:
            return (
                CONSISTENT,
                f"{counted} qubits per logical qubit ({row.size}, extrapolated: {row.note})",
            )
        return CONSISTENT, f"{counted} qubits per logical qubit ({row.size})"
    if interval.low > claimed:
        return NOT_SUPPORTED, f"{counted} qubits per logical qubit, more than {claimed:g}"
    return CANNOT_TELL, f"{counted} qubits per logical qubit ({row.status}): {row.note}"


def factor_verdict(ratios: list[Ratio], factor: float) -> tuple[str, str]:
    """Whether the ratios reach `factor` at some target ('up to'): consistent when a
    whole interval does, not supported when every met ratio lies below it (or none is
    met), else cannot tell.

    Examples:
        >>> factor_verdict([], 200.0)[0]
        'not supported'
    """
    met = [r for r in ratios if r.interval is not None]
    if not met:
        return NOT_SUPPORTED, "the LDPC-cat design meets no target, so there is no ratio"
    best = max(met, key=lambda r: r.interval.value if r.interval else 0.0)
    said = f"largest ratio {ratio_text(best)} at {best.target:.0e}"
    found = [verdict(r.interval, factor) for r in met]
    if "yes" in found:
        return CONSISTENT, said
    if "cannot tell" in found:
        return CANNOT_TELL, said
    return NOT_SUPPORTED, said


def ab_lines(table: FootprintTable) -> list[str]:
    """The Alice & Bob section: each statement quoted with its source, and its verdict
    from `table`, the rows of `ldpc_cat` and the surface code at kappa_1/kappa_2 =
    1e-4 (every `AB_CLAIMS` names that ratio)."""
    described = table.assumptions.get("description", "not recorded")
    lines = ["", "## What Alice & Bob said, checked", "", f"Assumptions: {described}.", ""]
    lines.append(
        "LDPC-cat counts are per logical qubit: a block's cats and its per-round rate "
        "divided by its 34 logical qubits (a block fails when any of them does)."
    )
    lines += ["", "| statement | source | at | verdict | why |", "|---|---|---|---|---|"]
    for claim in AB_CLAIMS:
        s = claim.statement
        mark = "" if s.traced else " **(not found verbatim)**"
        if claim.factor is not None:
            ratios = [r for r in table.ratios([BASELINE], LDPC_CAT)]
            found, why = factor_verdict(ratios, claim.factor)
            at = f"k1/k2 = {claim.k1_k2:g}, ratio >= {claim.factor:g}"
        else:
            target = claim.target if claim.target is not None else 0.0
            claimed = claim.qubits_per_logical or 0.0
            found, why = qubit_verdict(table.row(LDPC_CAT, target), claimed)
            at = f"k1/k2 = {claim.k1_k2:g}, {target:.0e}, <= {claimed:g} per logical"
        lines.append(f'| "{s.words}"{mark} | {s.source} | {at} | {found} | {why}; {claim.note} |')
    return lines


def claim_report(
    table: FootprintTable,
    sensitivity: Sensitivity | None = None,
    alice_bob: FootprintTable | None = None,
) -> str:
    """The check as Markdown: the statements, the ratio of the surface code(s) to each
    cat design at every target with the verdicts for 5x and 10x, from `sensitivity`,
    which ends of which assumptions bring the ratio to 5 and to 10, and from
    `alice_bob` (the surface code and `ldpc_cat` at Alice & Bob's assumptions), the
    verdicts on their statements (`AB_CLAIMS`)."""
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
    cat_ratios = table.cat_ratios()
    for ratio in cat_ratios:
        interval = ratio.interval
        verdicts = " | ".join(verdict(interval, f) for f in CLAIMED_FACTORS)
        lines.append(
            f"| {ratio.numerator.design} / {ratio.denominator.design} | {ratio.target:.0e} | "
            f"{ratio_text(ratio)} | {verdicts} |"
        )
    lines += ["", "## Answer", ""]
    lines += [f"- {answer}" for answer in answers(cat_ratios)]
    if alice_bob is not None:
        lines += ab_lines(alice_bob)
    if sensitivity is not None:
        lines += _sensitivity_lines(sensitivity)
    return "\n".join(lines) + "\n"


def headline(ratios: list[Ratio]) -> list[str]:
    """A sentence per claimed factor (`CLAIMED_FACTORS`): where a cat design's whole ratio
    interval reaches it, and how many ratios cannot tell.

    Examples:
        >>> headline([])
        ['5x: reached nowhere.', '10x: reached nowhere.']
    """
    lines = []
    for factor in CLAIMED_FACTORS:
        found = [(r, verdict(r.interval, factor)) for r in ratios]
        reached: dict[str, list[str]] = {}
        for r, said in found:
            if said == "yes":
                pair = f"{r.denominator.design} against {r.numerator.design}"
                reached.setdefault(pair, []).append(f"{r.target:.0e}")
        where = "; ".join(f"{pair} at {', '.join(ts)}" for pair, ts in reached.items())
        open_ = sum(said == "cannot tell" for _, said in found)
        tell = f" It cannot be told for {open_} of the {len(found)} ratios." if open_ else ""
        lines.append(f"{factor:g}x: reached {'by ' + where if where else 'nowhere'}.{tell}")
    return lines


def answers(ratios: list[Ratio]) -> list[str]:
    """A sentence per baseline and cat design: at which targets the ratio reaches each
    of the claimed `CLAIMED_FACTORS`, falls short of it, or cannot tell.

    Examples:
        >>> answers([])
        []
    """
    lines = []
    for (numerator, denominator), found in by_pair(ratios).items():
        parts = []
        for factor in CLAIMED_FACTORS:
            by_verdict: dict[str, list[str]] = {}
            for r in found.values():
                by_verdict.setdefault(verdict(r.interval, factor), []).append(f"{r.target:.0e}")
            said = "; ".join(f"{v} at {', '.join(ts)}" for v, ts in by_verdict.items())
            parts.append(f"{factor:g}x: {said}")
        lines.append(f"{numerator} / {denominator}: " + ". ".join(parts) + ".")
    return lines


def _sensitivity_lines(sensitivity: Sensitivity) -> list[str]:
    lines = [
        "",
        "## Which assumptions bring the ratio to 5 and to 10",
        "",
        f"One assumption at a time at either end of its range, the others at their "
        f"defaults; baseline {sensitivity.baseline}. The default is the comparison above "
        f"(its picks checked by splitting). An end is solved quickly first (at most "
        f"{SECONDS_PER_POINT:g} s of sampling a point and of checking a pick: counts beyond "
        f"the simulated sizes are mostly Lambda-fit extrapolations); an end whose verdict "
        f"on 5x or 10x differs from the default's (reached, lost, or either unable to tell), or "
        f"whose ratio interval reaches within a factor {NEAR_FACTOR:g} of 5x, is solved "
        f"again as the default is, with the plan's budget and its picks checked "
        f"('checked' below).",
        "",
        "| assumption | end | solved | design | target | ratio [interval] | 5x | 10x |",
        "|---|---|---|---|---|---|---|---|",
    ]
    reaching: dict[float, list[str]] = {f: [] for f in CLAIMED_FACTORS}
    for case in sensitivity.cases():
        name, end = case.assumption, case.value
        solved = "checked" if case.checked else "quick"
        for design in sensitivity.designs:
            for target in sensitivity.targets:
                ratio = sensitivity.ratio(case.table, design, target)
                interval = None if ratio is None else ratio.interval
                verdicts = " | ".join(verdict(interval, f) for f in CLAIMED_FACTORS)
                lines.append(
                    f"| {name} | {end} | {solved} | {design} | {target:.0e} | "
                    f"{ratio_text(ratio)} | {verdicts} |"
                )
                for factor in CLAIMED_FACTORS:
                    if verdict(interval, factor) == "yes":
                        reaching[factor].append(
                            (f"{name} = {end}" if end else name)
                            + f" ({design}, {target:.0e}, {solved})"
                        )
    lines.append("")
    for factor, found in reaching.items():
        named = "; ".join(found) if found else "none"
        lines.append(f"- Whole interval at or above {factor:g}x: {named}.")
    return lines
