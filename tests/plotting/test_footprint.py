"""Footprint plots draw whatever a comparison found, including nothing met, and draw it
so that it reads: extrapolated points hollow, open intervals as arrows, a ratio panel
per surface baseline."""

from __future__ import annotations

import io
import math

from matplotlib.figure import Figure
from matplotlib.text import Annotation

from qec.intervals import Interval
from qec.overhead import FootprintTable
from qec.overhead.reasons import NotReached
from qec.overhead.rows import NOT_REACHED, FootprintRow
from qec.overhead.table import SURFACE_BASELINES, Ratio
from qec.plotting.footprint import comparison_figure, plot_footprint, plot_ratios


def met(design: str, target: float, qubits: Interval, evidence: str) -> FootprintRow:
    return FootprintRow(
        design=design,
        noise="cat:nbar=8" if "cat" in design else "depolarizing:p=0.001",
        target=target,
        qubit_rule="r",
        status="met",
        qubits=qubits.high,
        qubit_interval=qubits,
        method="extrapolated" if evidence == "extrapolated" else "stratified",
        evidence=evidence,
    )


# A cat design measured at 1e-5 and extrapolated beyond, its counts there open above (as
# `qec compare` finds for repetition_cat), against a surface code measured throughout.
CAT = (
    met("repetition_cat", 1e-5, Interval(45, 41, 45), "measured"),
    met("repetition_cat", 1e-6, Interval(69, 69, math.inf), "extrapolated"),
    met("repetition_cat", 1e-7, Interval(89, 89, math.inf), "extrapolated"),
)
SURFACE = tuple(
    met(baseline, target, Interval(count, count, count), "measured")
    for baseline in SURFACE_BASELINES
    for target, count in ((1e-5, 97.0), (1e-6, 161.0), (1e-7, 241.0))
)


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


def test_extrapolated_points_are_hollow_and_drawn_over_the_filled_ones():
    ax = Figure().subplots()
    plot_footprint(ax=ax, table=FootprintTable(rows=CAT))
    line = next(x for x in ax.lines if x.get_label() == "repetition_cat")
    hollow = [x for x in ax.lines if x.get_markerfacecolor() == "white" and len(x.get_xdata())]
    assert len(hollow) == 1
    assert list(hollow[0].get_xdata()) == [1e-6, 1e-7]
    assert hollow[0].get_marker() == line.get_marker()
    # errorbar used to lift its line above the white markers, which then never showed
    assert hollow[0].get_zorder() > line.get_zorder()


def test_a_count_open_above_is_an_arrow_up_not_a_whisker():
    ax = Figure().subplots()
    plot_footprint(ax=ax, table=FootprintTable(rows=CAT))
    tops = [y for c in ax.collections for segment in c.get_segments() for _, y in segment]
    assert max(tops) == 89  # the whiskers stop at the open counts' values
    arrows = [t for t in ax.texts if isinstance(t, Annotation) and t.arrow_patch is not None]
    assert len(arrows) == 2


def test_a_ratio_open_below_draws_no_whisker_to_0_but_an_arrow():
    ratios = [Ratio(s, c) for s in SURFACE[:3] for c in CAT if s.target == c.target]
    assert ratios[1].interval is not None and ratios[1].interval.low == 0
    ax = Figure().subplots()
    plot_ratios(ax=ax, ratios=ratios)
    ends = [y for c in ax.collections for segment in c.get_segments() for _, y in segment]
    assert min(ends) == min(r.interval.low for r in ratios if r.interval and r.interval.low > 0)
    assert ax.get_yscale() == "log" and ax.get_ylim()[0] > 0
    arrows = [t for t in ax.texts if isinstance(t, Annotation) and t.arrow_patch is not None]
    assert len(arrows) == 2  # 1e-6 and 1e-7


def test_the_ratios_are_lined_at_1_and_at_the_claimed_factors_with_labels():
    ax = Figure().subplots()
    plot_ratios(ax=ax, ratios=[Ratio(SURFACE[0], CAT[0])])
    across = [line for line in ax.lines if list(line.get_xdata()) == [0, 1]]  # axhline
    assert sorted(line.get_ydata()[0] for line in across) == [1.0, 5.0, 10.0]
    assert {"1 (equal)", "AWS: 5x", "AWS: 10x"} <= {t.get_text() for t in ax.texts}


def test_the_comparison_has_a_ratio_panel_per_surface_baseline_and_names_the_extrapolated():
    figure = comparison_figure(FootprintTable(rows=(*SURFACE, *CAT)))
    titles = [ax.get_title(loc="left") for ax in figure.axes]
    assert titles[1:] == [f"{b} / cat design" for b in SURFACE_BASELINES]
    assert "repetition_cat 1e-06..1e-07" in figure._suptitle.get_text()
