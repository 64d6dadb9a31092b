"""Plots of footprint tables: qubits per logical qubit against the target, and the
qubit ratios between designs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qec.intervals import Interval
from qec.overhead.table import FootprintTable, Ratio

MARKERS = ("o", "s", "^", "D", "v", "h", "p")


def plot_footprint(*, ax: Any, table: FootprintTable, designs: Sequence[str] | None = None) -> None:
    """Qubits against target on `ax`, one line per design, for its met rows; hollow
    points are extrapolated. Designs get distinct markers, largest first, so that
    designs with equal counts stay visible; a design that meets no target is listed in
    the legend with an x.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> plot_footprint(ax=ax, table=FootprintTable(rows=()))
        >>> ax.get_xlabel()
        'target logical error rate per round'
    """
    for i, design in enumerate(designs or table.designs()):
        rows = [r for r in table.rows if r.design == design and r.met]
        marker = dict(marker=MARKERS[i % len(MARKERS)], markersize=11 - 0.8 * (i % 8))
        if not rows:
            ax.plot(
                [], [], linestyle="none", marker="x", color="gray", label=f"{design}: no target met"
            )
            continue
        counts = [r.qubit_interval or Interval.exact(float(r.qubits or 0)) for r in rows]
        line = ax.errorbar(
            [r.target for r in rows],
            [c.value for c in counts],
            yerr=_bars(counts),
            label=design,
            capsize=3,
            **marker,
        ).lines[0]
        hollow = [
            (r.target, c.value)
            for r, c in zip(rows, counts, strict=True)
            if r.method == "extrapolated"
        ]
        if hollow:
            ax.plot(
                *zip(*hollow, strict=True),
                linestyle="none",
                markerfacecolor="white",
                color=line.get_color(),
                **marker,
            )
    if not any(r.met for r in table.rows):  # log axes need positive limits to draw
        targets = table.targets() or [1e-3]
        ax.set_xlim(min(targets) / 10, max(targets) * 10)
        ax.set_ylim(1, 1e5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.invert_xaxis()
    ax.set_xlabel("target logical error rate per round")
    ax.set_ylabel("physical qubits per logical qubit")
    ax.grid(True, which="both", alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(title="design (hollow: extrapolated)", fontsize="small")


def plot_ratios(*, ax: Any, ratios: Sequence[Ratio]) -> None:
    """qubits(numerator) / qubits(denominator) against target on `ax`, one line per
    pair of designs; hollow points rest on an extrapolated count.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> plot_ratios(ax=ax, ratios=[])
        >>> ax.get_ylabel()
        'qubit ratio'
    """
    pairs: dict[tuple[str, str], list[Ratio]] = {}
    for r in ratios:
        if r.ratio is not None:
            pairs.setdefault((r.numerator.design, r.denominator.design), []).append(r)
    for (numerator, denominator), rows in pairs.items():
        xs = [r.target for r in rows]
        ys = [r.ratio for r in rows]
        intervals = [r.interval for r in rows if r.interval is not None]
        line = ax.errorbar(
            xs,
            ys,
            yerr=_bars(intervals),
            marker="o",
            capsize=3,
            label=f"{numerator} / {denominator}",
        ).lines[0]
        hollow = [(r.target, r.ratio) for r in rows if r.extrapolated]
        if hollow:
            ax.plot(
                *zip(*hollow, strict=True),
                linestyle="none",
                marker="o",
                markerfacecolor="white",
                color=line.get_color(),
            )
    ax.axhline(1, color="gray", linewidth=0.8)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xlabel("target logical error rate per round")
    ax.set_ylabel("qubit ratio")
    ax.set_ylim(bottom=0)
    ax.grid(True, which="both", alpha=0.3)
    if pairs:
        ax.legend(title="ratio (hollow: either extrapolated)", fontsize="small")


def _bars(intervals: Sequence[Interval]) -> list[list[float]]:
    """Error bars from value to each end (an open end drawn up to 10x the value)."""
    return [
        [i.value - i.low for i in intervals],
        [min(i.high, 10 * i.value) - i.value for i in intervals],
    ]


def comparison_figure(table: FootprintTable) -> Any:
    """A matplotlib Figure: qubits against target per design (left) and the surface code
    over each cat design (right), captioned with the table's assumptions.

    Examples:
        >>> comparison_figure(FootprintTable(rows=())).axes[1].get_ylabel()
        'qubit ratio'
    """
    import textwrap

    from matplotlib.figure import Figure

    figure = Figure(figsize=(14, 6.2), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=(1.25, 1))
    plot_footprint(ax=left, table=table)
    left.set_title(
        "physical qubits per logical qubit, central count [95%] (missing: target not met)",
        fontsize="medium",
    )
    cats = [d for d in table.designs() if "cat" in d]
    plot_ratios(
        ax=right, ratios=[r for r in table.baseline_ratios() if r.denominator.design in cats]
    )
    right.set_title("surface code / cat design: how many times fewer qubits", fontsize="medium")
    described = table.assumptions.get("description", "not recorded")
    figure.suptitle(
        textwrap.fill(f"Assumptions: {described}.", 200)
        + "\nPer-round logical error rates, rounds = distance, PyMatching. Filled points: "
        "measured (direct, stratified, first order, splitting) or verified by splitting; "
        "hollow: extrapolated from Lambda fits. Ratio bars: from the two 95% qubit intervals.",
        fontsize="small",
    )
    return figure
