"""The tornado figure reads at a glance: a panel only where the default has a ratio, a
row only for a swing that moves it, an end not met as an arrow, labels that never
overlap."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

from qec.intervals import Interval
from qec.overhead.rows import NOT_REACHED, FootprintRow
from qec.overhead.sensitivity import Sensitivity, Swing
from qec.overhead.table import FootprintTable
from qec.plotting.sensitivity import panels, sensitivity_figure

BASELINE = "surface (depolarizing)"
TARGETS = (1e-9, 1e-11)


def row(design: str, target: float, qubits: float | None) -> FootprintRow:
    if qubits is None:
        return FootprintRow(
            design=design, noise="n", target=target, qubit_rule="r", status=NOT_REACHED
        )
    return FootprintRow(
        design=design,
        noise="n",
        target=target,
        qubit_rule="r",
        status="met",
        qubits=qubits,
        qubit_interval=Interval(qubits, 0.9 * qubits, qubits),
        method="extrapolated",
        evidence="extrapolated",
    )


def table(cat: float | None, hybrid: float | None = None) -> FootprintTable:
    """The surface code needing 450 qubits, the cat design `cat` and the hybrid design
    `hybrid` at both targets (None: not met)."""
    return FootprintTable(
        rows=tuple(
            row(design, target, qubits)
            for target in TARGETS
            for design, qubits in ((BASELINE, 450.0), ("cat", cat), ("hybrid", hybrid))
        )
    )


def swing(name: str, ends: tuple[str, str]) -> Swing:
    return Swing(name, {}, {}, ends, "")


# The hybrid design meets no target at the default, only with a long cat T1.
SENSITIVITY = Sensitivity(
    baseline=BASELINE,
    designs=("cat", "hybrid"),
    targets=TARGETS,
    default=table(cat=165.0),
    swings=(
        swing("kappa_1/kappa_2", ("1e-4", "1e-2")),
        swing("noise bias eta", ("10", "1000")),
        swing("cat qubit weight", ("2 (with buffer)", "1")),
        swing("cat T1 (us)", ("30", "600")),
    ),
    ends=(
        (table(cat=25.0), table(cat=None)),
        (table(cat=165.0), table(cat=165.0)),
        (table(cat=330.0), table(cat=165.0)),
        (table(cat=165.0), table(cat=165.0, hybrid=70.0)),
    ),
    # The ends that move a verdict on 5x or 10x: kappa's low end (a ratio of 18), and the
    # long cat T1 (the hybrid design meets the targets).
    checked=((True, False), (False, False), (False, False), (False, True)),
)


@pytest.fixture(scope="module")
def figure():
    return sensitivity_figure(SENSITIVITY)


def test_the_tornado_draws_no_panel_for_a_design_without_a_ratio_at_the_default(figure):
    assert panels(SENSITIVITY) == [("cat", 1e-9), ("cat", 1e-11)]
    assert [ax.get_title() for ax in figure.axes] == [
        "cat at 1e-09 per round",
        "cat at 1e-11 per round",
    ]
    caption = figure._suptitle.get_text().replace("\n", " ")
    assert "No ratio at the default: hybrid (1e-09, 1e-11)" in caption
    assert "met only at an end: hybrid at 1e-09 with cat T1 (us) = 600 (6.43)" in caption


def test_the_caption_says_what_rests_on_an_extrapolation(figure):
    caption = figure._suptitle.get_text().replace("\n", " ")
    assert "all 16 ratios drawn rest on an extrapolated count" in caption
    assert "move a verdict on 5x or 10x or come near one (2 of 8, labelled 'checked')" in caption


def test_a_checked_end_is_labelled_and_solid_a_quick_end_hatched(figure):
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert "1e-4 (checked): 18" in labels
    assert "2 (with buffer): 1.36" in labels
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() < 1]
    widest = max(bars, key=lambda b: abs(b.get_width()))  # kappa's low end
    assert not widest.get_hatch()
    assert all(b.get_hatch() for b in bars if b is not widest)


def test_a_swing_that_moves_nothing_gets_no_row_but_is_named_under_the_axis(figure):
    ax = figure.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["cat qubit weight", "kappa_1/kappa_2"]  # widest on top
    assert "unchanged at both ends: noise bias eta, cat T1 (us)" in ax.get_xlabel()


def test_an_end_not_met_is_an_arrow_toward_0_not_a_bar(figure):
    ax = figure.axes[0]
    (arrow,) = [t for t in ax.texts if t.get_text() == "1e-2: not met"]
    assert arrow.get_bbox_patch().get_boxstyle().__class__.__name__ == "LArrow"
    assert arrow.get_horizontalalignment() == "right"  # left of the default
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() < 1]
    assert len(bars) == 3  # 1e-4, 2 (with buffer) and 1 (at the default, of width 0)


def test_the_labels_overlap_neither_each_other_nor_the_axes_edges(figure):
    figure.draw_without_rendering()
    for ax in figure.axes:
        box = ax.get_window_extent()
        labels = [
            t.get_window_extent()
            for t in ax.texts
            if isinstance(t, Annotation) and t.xycoords == "data"
        ]
        assert len(labels) == 4
        for label in labels:
            assert box.x0 <= label.x0 and label.x1 <= box.x1
        for a, b in itertools.combinations(labels, 2):
            assert not a.overlaps(b)
