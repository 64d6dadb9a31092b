"""The claim check says 'yes' only when a whole ratio interval reaches the factor, and
quotes every statement with its source (the 2023 figure as untraceable)."""

from __future__ import annotations

from qec.intervals import Interval
from qec.literature.claim import STATEMENTS, claim_report
from qec.overhead import FootprintRow, FootprintTable


def row(design: str, target: float, qubits: Interval | None) -> FootprintRow:
    return FootprintRow(
        design=design,
        noise="n",
        target=target,
        qubit_rule="r",
        status="met" if qubits is not None else "not reached",
        qubits=None if qubits is None else qubits.high,
        qubit_interval=qubits,
        method="extrapolated",
    )


def test_the_report_gives_a_verdict_per_factor_from_the_whole_interval():
    table = FootprintTable(
        rows=(
            row("surface (depolarizing)", 1e-9, Interval(1200, 1100, 1300)),
            row("surface (depolarizing)", 1e-11, Interval(1800, 1700, 1900)),
            row("repetition_cat", 1e-9, Interval(100, 95, 105)),  # ratio 12 [10.5, 13.7]
            row("repetition_cat", 1e-11, Interval(300, 200, 400)),  # 6 [4.25, 9.5]
            row("repetition_cat_transmon", 1e-9, None),
        ),
        assumptions={"description": "stated"},
    )
    report = claim_report(table)
    lines = report.splitlines()
    at_1e9 = next(x for x in lines if x.startswith("| surface (depolarizing) / repetition_cat |"))
    assert "| 12 [10.5, 13.7] (extrapolated) | yes | yes |" in at_1e9
    at_1e11 = [x for x in lines if "/ repetition_cat | 1e-11" in x][0]
    assert at_1e11.endswith("| cannot tell | no |")
    hybrid = [x for x in lines if "/ repetition_cat_transmon | 1e-09" in x][0]
    assert hybrid.endswith("| not met | no ratio | no ratio |")
    for statement in STATEMENTS:
        assert statement.words in report
    assert '6 times more efficiently than standard methods" **(untraceable)**' in report
    assert "5x: yes at 1e-09; cannot tell at 1e-11" in report
