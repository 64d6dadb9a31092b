"""Plots of footprint tables: qubits per logical qubit against the target, and the
qubit ratios between designs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from qec.intervals import Interval
from qec.overhead.rows import EXTRAPOLATED
from qec.overhead.sensitivity import CLAIMED_FACTORS
from qec.overhead.table import FootprintTable, Ratio, is_cat

MARKERS = ("o", "s", "^", "D", "v", "h", "p")
# An open end of an interval is an arrow this many points long, not a whisker to 0 or inf.
ARROW_POINTS = 20.0


def style(designs: Sequence[str], design: str) -> dict[str, Any]:
    """The color and marker of `design` among `designs`: the same in every panel of a
    figure, the later designs with smaller markers so that equal counts stay visible.

    Examples:
        >>> style(["a", "b"], "b")["marker"]
        's'
    """
    i = list(designs).index(design)
    return {"color": f"C{i % 10}", "marker": MARKERS[i % len(MARKERS)], "markersize": 10 - i % 6}


def plot_intervals(
    *,
    ax: Any,
    at: Sequence[float],
    intervals: Sequence[Interval],
    color: Any,
    vertical: bool = True,
) -> None:
    """Whiskers on `ax` from each interval's value to its ends, the value at `at` on the
    other axis (x for `vertical`, y otherwise). An open end (low <= 0 or not finite,
    high infinite) is an arrow of `ARROW_POINTS` pointing away from the value, never a
    whisker to 0 or to the axis's edge.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> plot_intervals(ax=ax, at=[1.0], intervals=[Interval(2.0, 0.0, 3.0)], color="k")
        >>> len(ax.texts)  # the arrow down
        1
    """
    from matplotlib.transforms import offset_copy

    # The whiskers stop at the value on an open side, where an arrow (drawn next) points on.
    bars = [
        [i.value - i.low if _closed_below(i) else 0.0 for i in intervals],
        [i.high - i.value if math.isfinite(i.high) else 0.0 for i in intervals],
    ]
    values = [i.value for i in intervals]
    xy = (at, values) if vertical else (values, at)
    ax.errorbar(
        *xy,
        **{"yerr" if vertical else "xerr": bars},
        fmt="none",
        ecolor=color,
        elinewidth=1,
        capsize=3,
    )
    for position, interval in zip(at, intervals, strict=True):
        for direction, is_open in (
            (-1, not _closed_below(interval)),
            (1, interval.high == math.inf),
        ):
            if not is_open:
                continue
            shift = direction * ARROW_POINTS
            tip = offset_copy(
                ax.transData,
                fig=ax.figure,
                x=0 if vertical else shift,
                y=shift if vertical else 0,
                units="points",
            )
            point = (position, interval.value) if vertical else (interval.value, position)
            ax.annotate(
                "",
                xy=point,
                xycoords=tip,
                xytext=point,
                textcoords="data",
                arrowprops={"arrowstyle": "-|>", "color": color, "shrinkA": 6, "shrinkB": 0},
            )


def _closed_below(interval: Interval) -> bool:
    """Whether the interval has a lower end a log axis can draw: a ratio over a count
    open above has low = 0."""
    return interval.low > 0 and math.isfinite(interval.low)


def plot_footprint(*, ax: Any, table: FootprintTable, designs: Sequence[str] | None = None) -> None:
    """Qubits against target on `ax`, one line per design, for its met rows; hollow
    points are extrapolated, an arrow up marks a count whose interval is open above.
    Designs get distinct colors and markers (`style`); a design that meets no target is
    listed in the legend with an x.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> plot_footprint(ax=ax, table=FootprintTable(rows=()))
        >>> ax.get_xlabel()
        'target logical error rate per round'
    """
    order = list(designs or table.designs())
    for design in order:
        rows = [r for r in table.rows if r.design == design and r.met]
        if not rows:
            ax.plot(
                [], [], linestyle="none", marker="x", color="gray", label=f"{design}: no target met"
            )
            continue
        counts = [r.qubit_interval or Interval.exact(float(r.qubits or 0)) for r in rows]
        _plot_points(
            ax=ax,
            xs=[r.target for r in rows],
            intervals=counts,
            hollow=[r.evidence == EXTRAPOLATED for r in rows],
            label=design,
            **style(order, design),
        )
    if not any(r.met for r in table.rows):  # log axes need positive limits to draw
        targets = table.targets() or [1e-3]
        ax.set_xlim(min(targets) / 10, max(targets) * 10)
        ax.set_ylim(1, 1e5)
    _target_axis(ax)
    ax.set_yscale("log")
    ax.set_ylabel("physical qubits per logical qubit")
    if ax.get_legend_handles_labels()[0]:
        handles = [*ax.get_legend_handles_labels()[0], *_keys("up")]
        ax.legend(handles=handles, fontsize="small", ncols=1 + len(handles) // 9)


def plot_ratios(*, ax: Any, ratios: Sequence[Ratio], designs: Sequence[str] | None = None) -> None:
    """qubits(numerator) / qubits(denominator) against target on `ax` (log y), one line
    per pair of designs, colored by the denominator's place in `designs` (default: the
    denominators in order; pass the footprint panel's designs to match its colors);
    hollow points rest on an extrapolated count, an arrow down marks an interval open
    below (the denominator's count is open above). Lines at 1 and at AWS's claimed
    factors, `CLAIMED_FACTORS`, are labelled on the right.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> plot_ratios(ax=ax, ratios=[])
        >>> ax.get_ylabel()
        'qubit ratio'
    """
    pairs: dict[tuple[str, str], list[Ratio]] = {}
    for r in ratios:
        if r.interval is not None:
            pairs.setdefault((r.numerator.design, r.denominator.design), []).append(r)
    numerators = list(dict.fromkeys(numerator for numerator, _ in pairs))
    order = list(designs or dict.fromkeys(denominator for _, denominator in pairs))
    for (numerator, denominator), rows in pairs.items():
        _plot_points(
            ax=ax,
            xs=[r.target for r in rows],
            intervals=[r.interval for r in rows if r.interval is not None],
            hollow=[r.extrapolated for r in rows],
            label=denominator if len(numerators) == 1 else f"{numerator} / {denominator}",
            linestyle=("-", "--", ":")[numerators.index(numerator) % 3],
            **style(order, denominator),
        )
    for factor, text in ((1.0, "1 (equal)"), *((f, f"AWS: {f:g}x") for f in CLAIMED_FACTORS)):
        ax.axhline(factor, color="0.4", linewidth=0.8, linestyle="-" if factor == 1 else "--")
        ax.text(
            1.01, factor, text, transform=ax.get_yaxis_transform(), va="center", fontsize="small"
        )
    _target_axis(ax)
    _ratio_axis(ax, [i for rows in pairs.values() for r in rows if (i := r.interval) is not None])
    ax.set_ylabel("qubit ratio")


def _plot_points(
    *,
    ax: Any,
    xs: Sequence[float],
    intervals: Sequence[Interval],
    hollow: Sequence[bool],
    label: str,
    color: Any,
    marker: str,
    markersize: float,
    linestyle: str = "-",
) -> None:
    """One series: a line through the values with its markers (white inside where
    `hollow`) and its intervals (`plot_intervals`)."""
    values = [i.value for i in intervals]
    ax.plot(
        xs,
        values,
        color=color,
        marker=marker,
        markersize=markersize,
        linestyle=linestyle,
        label=label,
    )
    plot_intervals(ax=ax, at=xs, intervals=intervals, color=color)
    empty = [(x, v) for x, v, h in zip(xs, values, hollow, strict=True) if h]
    if empty:
        # Above the filled markers (a line's zorder is 2), which would otherwise show through.
        ax.plot(
            *zip(*empty, strict=True),
            linestyle="none",
            marker=marker,
            markersize=markersize,
            color=color,
            markerfacecolor="white",
            zorder=2.5,
        )


def _keys(arrow: str) -> list[Any]:
    """Legend entries for the point styles: hollow (extrapolated) and the arrow of an
    open interval (`arrow` "up" or "down")."""
    from matplotlib.lines import Line2D

    mark = r"$\uparrow$" if arrow == "up" else r"$\downarrow$"
    side = "above" if arrow == "up" else "below"
    return [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            color="0.3",
            markerfacecolor="white",
            label="hollow: extrapolated",
        ),
        Line2D(
            [],
            [],
            linestyle="none",
            marker=mark,
            color="0.3",
            markersize=9,
            label=f"interval open {side}",
        ),
    ]


def _target_axis(ax: Any) -> None:
    """The target on a log x axis, falling rates to the right, a tick per decade (minor
    ticks over nine decades only cost time to lay out)."""
    from matplotlib.ticker import NullLocator

    ax.set_xscale("log")
    ax.xaxis.set_minor_locator(NullLocator())
    if not ax.xaxis_inverted():
        ax.invert_xaxis()
    ax.set_xlabel("target logical error rate per round")
    ax.grid(True, which="major", alpha=0.3)


def _ratio_axis(ax: Any, intervals: Sequence[Interval]) -> None:
    """A log y axis with plain labels, spanning the drawn intervals (an open end with
    room for its arrow), 1 and the largest claimed factor."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    lows = [i.low if _closed_below(i) else i.value / 3 for i in intervals]
    highs = [min(i.high, 3 * i.value) for i in intervals]
    ax.set_yscale("log")
    ax.set_ylim(min([0.7, *lows]) / 1.2, max([max(CLAIMED_FACTORS), *highs]) * 1.4)
    ax.yaxis.set_major_locator(FixedLocator([0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))


def comparison_figure(table: FootprintTable) -> Any:
    """A matplotlib Figure: qubits against target per design (left) and, on the right, a
    panel per surface baseline with its ratio to each cat design, captioned with the
    table's assumptions and which points are measured and which extrapolated.

    Examples:
        >>> comparison_figure(FootprintTable(rows=())).axes[0].get_ylabel()
        'physical qubits per logical qubit'
    """
    import textwrap

    from matplotlib.figure import Figure

    cat_ratios = table.cat_ratios()
    baselines = list(dict.fromkeys(r.numerator.design for r in cat_ratios))
    shown = [r for r in cat_ratios if r.interval is not None]
    drawn = list(dict.fromkeys(r.denominator.design for r in shown))
    figure = Figure(figsize=(15, 7.5), layout="constrained")
    left, right = figure.subfigures(1, 2, squeeze=False, width_ratios=(1.2, 1))[0]
    footprint = left.subplots()
    plot_footprint(ax=footprint, table=table)
    footprint.set_title(
        "physical qubits per logical qubit, central count with 95% interval "
        "(no point: target not met)",
        fontsize="medium",
    )
    panels = right.subplots(max(1, len(baselines)), 1, sharex=True, sharey=True, squeeze=False)
    for ax, baseline in zip(panels[:, 0], baselines or ["no surface baseline"], strict=True):
        plot_ratios(
            ax=ax,
            ratios=[r for r in shown if r.numerator.design == baseline],
            designs=table.designs(),
        )
        ax.set_title(f"{baseline} / cat design", fontsize="medium", loc="left")
        ax.set_xlim(footprint.get_xlim())
        if ax is not panels[-1, 0]:
            ax.set_xlabel("")
    _ratio_axis(panels[0, 0], [r.interval for r in shown if r.interval is not None])
    handles = panels[0, 0].get_legend_handles_labels()[0]
    if handles:
        right.legend(
            handles=[*handles, *_keys("down")],
            fontsize="small",
            loc="outside lower center",
            ncols=2,
        )
    right.suptitle("how many times fewer qubits the cat design needs", fontsize="medium")
    cats = dict.fromkeys(r.design for r in table.rows if is_cat(r))
    missing = [d for d in cats if d not in drawn]
    described = table.assumptions.get("description", "not recorded")
    caption = [
        f"Assumptions: {described}.",
        "Per-round logical error rates, rounds = distance. Filled points: measured (direct "
        "sampling, stratified, first order, splitting) or a pick verified by splitting; "
        f"hollow: extrapolated from Lambda fits ({_extrapolated_text(table)}). A ratio's "
        "interval divides the ends of the two 95% qubit intervals; arrows mark an end that "
        "is open (a count open above, so its ratio is open below).",
    ]
    if missing:
        caption.append("No ratio at any target (not met): " + ", ".join(missing) + ".")
    figure.suptitle("\n".join(textwrap.fill(line, 230) for line in caption), fontsize="small")
    return figure


def _extrapolated_text(table: FootprintTable) -> str:
    """Which met rows are extrapolated, per design: 'repetition_cat 1e-06..1e-11, ...'
    (a range where they are consecutive targets of the table), or 'none'."""
    targets = table.targets()
    parts = []
    for design in table.designs():
        found = [
            r.target
            for r in table.rows
            if r.design == design and r.met and r.evidence == EXTRAPOLATED
        ]
        if not found:
            continue
        places = sorted(targets.index(t) for t in found)
        consecutive = len(found) > 1 and places[-1] - places[0] == len(found) - 1
        shown = (
            f"{targets[places[0]]:.0e}..{targets[places[-1]]:.0e}"
            if consecutive
            else ", ".join(f"{targets[p]:.0e}" for p in places)
        )
        parts.append(f"{design} {shown}")
    return "; ".join(parts) or "none"
