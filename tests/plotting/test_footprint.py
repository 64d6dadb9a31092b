"""Footprint plots draw whatever a comparison found, including nothing met."""

from __future__ import annotations

import io

from qec.overhead import FootprintTable
from qec.overhead.reasons import NotReached
from qec.overhead.rows import NOT_REACHED, FootprintRow
from qec.plotting.footprint import comparison_figure


def test_a_comparison_in_which_no_target_is_met_still_draws():
    # `qec compare --designs repetition_cat_transmon` at Ocelot's parameters met nothing,
    # and drawing its log axes with no data raised instead of writing the report.
    rows = tuple(
        FootprintRow(
            design="repetition_cat_transmon",
            noise="ocelot",
            target=target,
            qubit_rule="cats + transmons",
            status=NOT_REACHED,
            reasons=(NotReached(max_distance=151, fits=()),),
        )
        for target in (1e-3, 1e-6)
    )
    image = io.BytesIO()
    comparison_figure(FootprintTable(rows=rows)).savefig(image, format="png")
    assert image.getvalue().startswith(b"\x89PNG")
