"""The claim check says 'yes' only when a whole ratio interval reaches the factor, and
quotes every statement with its source (the 2023 figure as untraceable)."""

from __future__ import annotations

from qec.intervals import Interval
from qec.literature.claim import (
    AB_CLAIMS,
    STATEMENTS,
    claim_report,
    factor_verdict,
    headline,
    qubit_verdict,
)
from qec.overhead import FootprintRow, FootprintTable


def row(design: str, target: float, qubits: Interval | None) -> FootprintRow:
    return FootprintRow(
        design=design,
        noise="cat:nbar=8" if "cat" in design else "depolarizing:p=0.001",
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


def test_the_headline_names_where_a_whole_interval_reaches_each_factor():
    table = FootprintTable(
        rows=(
            row("surface (SI1000)", 1e-9, Interval(1200, 1100, 1300)),
            row("surface (SI1000)", 1e-11, Interval(1800, 1700, 1900)),
            row("repetition_cat", 1e-9, Interval(100, 95, 105)),  # ratio 12 [10.5, 13.7]
            row("repetition_cat", 1e-11, Interval(300, 200, 400)),  # 6 [4.25, 9.5]
        )
    )
    five, ten = headline(table.cat_ratios())
    assert five == (
        "5x: reached by repetition_cat against surface (SI1000) at 1e-09. "
        "It cannot be told for 1 of the 2 ratios."
    )
    assert ten == "10x: reached by repetition_cat against surface (SI1000) at 1e-09."


def test_alice_and_bobs_statements_get_a_verdict_each_at_their_assumptions():
    table = FootprintTable(
        rows=(
            row("surface (depolarizing)", 1e-8, Interval(1000, 900, 1100)),
            row("ldpc_cat", 1e-8, Interval(7.0, 6.0, 7.0)),
        ),
        assumptions={"description": "k1/k2 = 1e-4"},
    )
    report = claim_report(table, alice_bob=table)
    verdicts = {
        claim.statement.words: line
        for claim in AB_CLAIMS
        for line in report.splitlines()
        if line.startswith(f'| "{claim.statement.words}"')
    }
    assert len(verdicts) == len(AB_CLAIMS)
    up_to_200, with_1500, with_758 = (verdicts[c.statement.words] for c in AB_CLAIMS)
    assert "| not supported |" in up_to_200  # 1000 / 7 = 143 [129, 183]: all below 200
    assert "| consistent |" in with_1500  # 7 <= 15
    assert "| consistent |" in with_758  # 7 <= 7.58


def test_a_design_that_meets_no_target_does_not_support_a_qubit_count():
    missing = row("ldpc_cat", 1e-8, None)
    assert qubit_verdict(missing, 15.0)[0] == "not supported"
    assert qubit_verdict(None, 15.0)[0] == "cannot tell"
    assert factor_verdict([], 200.0)[0] == "not supported"
