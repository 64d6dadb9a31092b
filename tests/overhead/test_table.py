"""The comparison's text: a screen wide, one status word per row, the notes on request."""

from __future__ import annotations

import json
import pathlib

from qec.overhead.rows import EVIDENCE, NOT_REACHED, UNRESOLVED
from qec.overhead.table import TABLE_WIDTH, FootprintTable, evidence_text, status_word

HEADLINE = pathlib.Path(__file__).parents[2] / "results" / "overhead.json"


def headline() -> FootprintTable:
    """The committed headline table (every design at 1e-3 .. 1e-11)."""
    return FootprintTable.from_json(json.loads(HEADLINE.read_text()))


def test_the_table_fits_the_width_with_one_status_word_per_row():
    table = headline()
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


def test_the_detailed_table_keeps_every_note():
    table = headline()
    detailed = table.detailed()
    for row in table.rows:
        assert row.explanation in detailed


def test_the_ratio_grid_compares_cat_designs_with_surface_baselines_only():
    table = headline()
    grid = table.ratio_grid()
    assert max(len(line) for line in grid.splitlines()) <= TABLE_WIDTH
    pairs = [line.split("  ")[0] for line in grid.splitlines()[2:] if " / " in line]
    assert pairs and all(p.split(" / ")[0].startswith("surface (") for p in pairs)
    assert all("cat" in p.split(" / ")[1] for p in pairs)
    assert not any("biased" in p or "xzzx" in p for p in pairs)
    for ratio in table.cat_ratios():
        if ratio.interval is not None and ratio.target in (1e-3, 1e-6, 1e-9, 1e-11):
            assert f"{ratio.interval.value:.3g} [{ratio.interval.low:.3g}," in grid


def test_the_ratio_grid_wraps_every_target_into_blocks_a_screen_wide():
    table = headline()
    grid = table.ratio_grid(table.targets())
    assert max(len(line) for line in grid.splitlines()) <= TABLE_WIDTH
    for target in table.targets():
        assert f"{target:.0e}" in grid
