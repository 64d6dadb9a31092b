"""The comparison's text: a screen wide, one status word per row, the notes on request."""

from __future__ import annotations

from qec.overhead.rows import EVIDENCE, NOT_REACHED, UNRESOLVED
from qec.overhead.table import TABLE_WIDTH, evidence_text, status_word


def test_the_table_fits_the_width_with_one_status_word_per_row(headline):
    table = headline
    text = str(table)
    assert max(len(line) for line in text.splitlines()) <= TABLE_WIDTH
    words = {status_word(r) for r in table.rows}
    assert words <= {*EVIDENCE, UNRESOLVED, NOT_REACHED}
    for row in table.rows:  # every row is on its own line, under its design
        assert f"  {row.target:.0e}  {status_word(row)}" in text
    # Only the notes of rows that are not met are cut short; counts go on, never cut.
    cut = [line for line in text.splitlines() if line.endswith("…")]
    assert len(cut) <= sum(not r.met for r in table.rows)
    for row in table.rows:
        if row.met:
            assert " ".join(evidence_text(row).split()) in " ".join(text.split())


def test_the_detailed_table_keeps_every_note(headline):
    table = headline
    detailed = table.detailed()
    for row in table.rows:
        assert row.explanation in detailed
