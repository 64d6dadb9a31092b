"""Tornado plots of a `Sensitivity`: how far the ratio surface code / cat design moves
when each assumption goes to either end of its range."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

from qec.intervals import Interval
from qec.overhead.sensitivity import (
    CLAIMED_FACTORS,
    ENDS,
    SECONDS_PER_POINT,
    Sensitivity,
    Swing,
)
from qec.overhead.table import Ratio
from qec.plotting.footprint import ARROW_POINTS, plot_intervals

LOW_COLOR, HIGH_COLOR = "tab:blue", "tab:orange"
# Each swing's row holds its low end's bar above its high end's, each half a row high,
# so that the two ends' bars and labels never cover each other.
HALF_ROW = 0.2
ROW_INCHES = 0.55
LABEL_WIDTH = 24  # characters before a value label wraps
MAX_DECADES = 6.0  # the widest x axis a tornado gets to fit its labels


def panels(sensitivity: Sensitivity) -> list[tuple[str, float]]:
    """The (design, target) pairs that have a ratio at the default, designs in order.

    Examples:
        >>> from qec.overhead.table import FootprintTable
        >>> panels(Sensitivity(baseline="a", designs=("b",), targets=(1e-9,),
        ...     default=FootprintTable(rows=()), swings=(), ends=()))
        []
    """
    return [
        (design, target)
        for design in sensitivity.designs
        for target in sensitivity.targets
        if _interval(sensitivity.ratio(sensitivity.default, design, target)) is not None
    ]


def plot_tornado(*, ax: Any, sensitivity: Sensitivity, design: str, target: float) -> None:
    """One tornado on `ax` (log x): per swing that moves the ratio, a bar from the
    default ratio to the ratio at the low end (blue, upper half of the row) and at the
    high end (orange, lower half), widest swing on top, each end with its 95% interval
    as a whisker and its value and ratio as a label beyond it. An end at which either
    design misses the target is an outlined arrow "not met" pointing from the default
    toward 0 (the cat design misses it) or away from it (the surface code does). The
    default's ratio is the vertical line, its interval the grey band; dotted lines mark
    AWS's factors. Swings that leave the ratio as it is are named under the axis.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> from qec.overhead.table import FootprintTable
        >>> empty = Sensitivity(baseline="a", designs=("b",), targets=(1e-9,),
        ...     default=FootprintTable(rows=()), swings=(), ends=())
        >>> ax = Figure().subplots()
        >>> plot_tornado(ax=ax, sensitivity=empty, design="b", target=1e-9)
        >>> ax.get_xlabel()
        'qubits(a) / qubits(b)'
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    default = _interval(sensitivity.ratio(sensitivity.default, design, target))
    label = f"qubits({sensitivity.baseline}) / qubits({design})"
    ax.set_xlabel(label)
    ax.set_title(f"{design} at {target:.0e} per round", fontsize="medium")
    if default is None:
        ax.text(0.5, 0.5, "no ratio at the default", transform=ax.transAxes, ha="center")
        return
    ax.axvspan(default.low, default.high, color="0.88", zorder=0)
    ax.axvline(default.value, color="black", linewidth=1)
    for factor in CLAIMED_FACTORS:
        ax.axvline(factor, color="0.5", linewidth=0.8, linestyle=":")
    moved, unmoved = _swings(sensitivity, design, target, default)
    checked = {(case.assumption, case.end): case.checked for case in sensitivity.cases()}
    for y, (swing, ends) in enumerate(moved):
        for ratio, value, color, side, shift, end in zip(
            ends,
            swing.ends,
            (LOW_COLOR, HIGH_COLOR),
            _sides(ends, default),
            (1, -1),
            ENDS,
            strict=True,
        ):
            at = y + shift * HALF_ROW
            _draw_end(ax, at, ratio, value, color, side, default, checked[swing.name, end])
    ax.set_yticks(range(len(moved)), [swing.name for swing, _ in moved], fontsize="small")
    ax.set_ylim(-0.6, len(moved) - 0.4)
    if unmoved:
        note = "unchanged at both ends: " + ", ".join(unmoved)
        ax.set_xlabel(label + "\n" + textwrap.fill(note, 90), fontsize="small")
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator([0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.grid(True, axis="x", alpha=0.3)
    # The factors' labels as ticks on top: the layout keeps them clear of the title.
    top = ax.secondary_xaxis("top")
    top.xaxis.set_major_locator(FixedLocator(CLAIMED_FACTORS))
    top.xaxis.set_minor_locator(NullLocator())
    top.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}x"))
    top.tick_params(labelsize="small")
    _make_room(ax)


def _interval(ratio: Ratio | None) -> Interval | None:
    return None if ratio is None else ratio.interval


def _swings(
    sensitivity: Sensitivity, design: str, target: float, default: Interval
) -> tuple[list[tuple[Swing, list[Ratio | None]]], list[str]]:
    """The swings that move the ratio from the `default` one, narrowest first (an end
    not met counts as the widest), with the ratios at their two ends; and the names of
    those that do not."""
    moved: list[tuple[float, Swing, list[Ratio | None]]] = []
    unmoved = []
    for swing, tables in zip(sensitivity.swings, sensitivity.ends, strict=True):
        ends = [sensitivity.ratio(table, design, target) for table in tables]
        intervals = [_interval(r) for r in ends]
        if all(i == default for i in intervals):
            unmoved.append(swing.name)
            continue
        widths = [
            math.inf if i is None else abs(math.log(i.value / default.value)) for i in intervals
        ]
        moved.append((max(widths), swing, ends))
    moved.sort(key=lambda m: m[0])
    return [(swing, ends) for _, swing, ends in moved], unmoved


def _sides(ends: Sequence[Ratio | None], default: Interval) -> list[int]:
    """The side of the default each end's bar and label go to (-1 left, +1 right): its
    ratio's; an end not met toward 0 when the cat design misses the target (it would
    need unboundedly many qubits), else away from 0; an end at the default opposite
    the other end (low left, high right when both are at it)."""
    sides = []
    for ratio in ends:
        interval = _interval(ratio)
        if interval is None:
            sides.append(-1 if ratio is None or not ratio.denominator.met else 1)
        else:
            sides.append((interval.value > default.value) - (interval.value < default.value))
    return [
        side or (-other if other else (-1, 1)[i])
        for i, (side, other) in enumerate(zip(sides, sides[::-1], strict=True))
    ]


def _draw_end(
    ax: Any,
    y: float,
    ratio: Ratio | None,
    value: str,
    color: str,
    side: int,
    default: Interval,
    checked: bool,
) -> None:
    """One end of a swing at height `y`: its bar, whisker and label, or its 'not met'
    arrow, on `side` of the default; a quick end's bar hatched, a checked end's label
    marked 'checked'."""
    interval = _interval(ratio)
    if checked:
        value += " (checked)"
    text = dict(
        textcoords="offset points",
        ha="left" if side > 0 else "right",
        va="center",
        fontsize="x-small",
    )
    if interval is None:
        ax.annotate(
            f"{value}: not met",
            (default.value, y),
            xytext=(side * 6, 0),
            color=color,
            bbox={
                "boxstyle": "rarrow,pad=0.35" if side > 0 else "larrow,pad=0.35",
                "facecolor": "white",
                "edgecolor": color,
                "linestyle": "--",
            },
            **text,
        )
        return
    ax.barh(
        y,
        interval.value - default.value,
        left=default.value,
        height=2 * HALF_ROW - 0.04,
        color=color,
        alpha=0.85 if checked else 0.45,
        hatch=None if checked else "///",
        edgecolor=color,
    )
    plot_intervals(ax=ax, at=[y], intervals=[interval], color="black", vertical=False)
    end = interval.high if side > 0 else interval.low
    is_open = not (math.isfinite(end) and end > 0)
    ax.annotate(
        textwrap.fill(f"{value}: {interval.value:.3g}", LABEL_WIDTH),
        (interval.value if is_open else end, y),
        xytext=(side * (4 + (ARROW_POINTS if is_open else 0)), 0),
        **text,
    )


def _make_room(ax: Any) -> None:
    """Sets the log x axis of `ax` to span its data, AWS's claimed factors and every
    label anchored in data coordinates (the ends' value labels and 'not met' arrows),
    at the axes' current size: call again after the figure's layout has changed it.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> ax.set_xscale("log")
        >>> label = ax.annotate("a long label", (10.0, 0.5), ha="left")
        >>> _make_room(ax)
        >>> bool(label.get_window_extent().x1 < ax.get_window_extent().x1)
        True
    """
    from matplotlib.text import Annotation

    labels = [t for t in ax.texts if isinstance(t, Annotation) and t.xycoords == "data"]
    box = ax.get_window_extent()
    lows = [math.log10(v) for v in (ax.dataLim.x0, min(CLAIMED_FACTORS) / 1.2) if v > 0]
    highs = [math.log10(v) for v in (ax.dataLim.x1, max(CLAIMED_FACTORS) * 1.2) if v > 0]
    # Each label: where it is anchored (log10 of x) and how far it reaches left and right
    # of that, in pixels (fixed by its text, whatever the limits).
    reach = []
    for label in labels:
        extent = label.get_window_extent()
        anchor = ax.transData.transform(label.xy)[0]
        reach.append((math.log10(label.xy[0]), anchor - extent.x0, extent.x1 - anchor))
    pad = 6.0
    low, high = min(lows), max(highs)
    # A fixed point: the decades per pixel depend on the limits. Labels wider than the
    # axes never fit; the limits then stop growing at MAX_DECADES.
    for _ in range(20):
        per_pixel = (high - low) / box.width
        low = min([*lows, *(at - (left + pad) * per_pixel for at, left, _ in reach)])
        high = max([*highs, *(at + (right + pad) * per_pixel for at, _, right in reach)])
        if high - low > MAX_DECADES:
            break
    ax.set_xlim(10**low, 10**high)


def sensitivity_figure(sensitivity: Sensitivity) -> Any:
    """A matplotlib Figure: a tornado per cat design and target with a ratio at the
    default (a column per target); the designs without one, and the ends at which they
    reach one, are named in the caption, with what is measured and what extrapolated.

    Examples:
        >>> from qec.overhead.table import FootprintTable
        >>> empty = Sensitivity(baseline="a", designs=("b",), targets=(1e-9, 1e-11),
        ...     default=FootprintTable(rows=()), swings=(), ends=())
        >>> figure = sensitivity_figure(empty)
        >>> caption = figure._suptitle.get_text()
        >>> len(figure.axes), "No ratio at the default: b (1e-09, 1e-11)" in caption
        (1, True)
    """
    from matplotlib.figure import Figure

    shown = panels(sensitivity) or [(sensitivity.designs[0], sensitivity.targets[0])]
    columns = min(len(shown), len(sensitivity.targets))
    rows = math.ceil(len(shown) / columns)
    rows_per_panel = [
        len(_swings(sensitivity, d, t, default)[0])
        for d, t in shown
        if (default := _interval(sensitivity.ratio(sensitivity.default, d, t))) is not None
    ]
    swings = max(rows_per_panel, default=1)
    figure = Figure(
        figsize=(7.5 * columns, 1.2 + (2.0 + ROW_INCHES * swings) * rows), layout="constrained"
    )
    axes = figure.subplots(rows, columns, squeeze=False).flatten()
    for ax, (design, target) in zip(axes, shown, strict=False):
        plot_tornado(ax=ax, sensitivity=sensitivity, design=design, target=target)
    for ax in axes[len(shown) :]:
        ax.remove()
    figure.suptitle(_caption(sensitivity), fontsize="small")
    # The layout shrinks the axes: make room for the labels again at their final size.
    for _ in range(2):
        figure.draw_without_rendering()
        for ax in axes[: len(shown)]:
            _make_room(ax)
    return figure


def _caption(sensitivity: Sensitivity) -> str:
    """What the tornadoes show, what rests on what, and the designs they leave out."""
    drawn = [
        r
        for design, target in panels(sensitivity)
        for table in (sensitivity.default, *(t for ends in sensitivity.ends for t in ends))
        if (r := sensitivity.ratio(table, design, target)) is not None and r.interval is not None
    ]
    extrapolated = sum(r.extrapolated for r in drawn)
    checked = sum(case.checked for case in sensitivity.cases()[1:])
    lines = [
        f"How many times fewer qubits the cat design needs than {sensitivity.baseline}, one "
        "assumption at a time: blue the low end of its range, orange the high end; black line "
        "and grey band: the default with its 95% interval; whiskers: 95% intervals; dotted: "
        "AWS's 5x and 10x.",
        "Counts from the sampled points and, beyond the simulated sizes, from Lambda fits "
        f"({'all' if extrapolated == len(drawn) else f'{extrapolated} of the'} {len(drawn)} "
        "ratios drawn rest on an extrapolated count). The default and the ends that move a "
        f"verdict on 5x or 10x or come near one ({checked} of "
        f"{2 * len(sensitivity.swings)}, labelled 'checked') are solved with the "
        "comparison's budget, their picks checked by "
        f"splitting; the other ends (hatched) with at most {SECONDS_PER_POINT:g} s a point "
        "and a check.",
    ]
    missing: dict[str, list[float]] = {}
    for design in sensitivity.designs:
        for target in sensitivity.targets:
            if (design, target) not in panels(sensitivity):
                missing.setdefault(design, []).append(target)
    if missing:
        lines.append(
            "No ratio at the default: "
            + ", ".join(f"{d} ({', '.join(f'{t:.0e}' for t in ts)})" for d, ts in missing.items())
        )
        reached = [
            f"{design} at {target:.0e} with {swing.name} = {value} ({interval.value:.3g})"
            for design, targets in missing.items()
            for target in targets
            for swing, tables in zip(sensitivity.swings, sensitivity.ends, strict=True)
            for value, table in zip(swing.ends, tables, strict=True)
            if (interval := _interval(sensitivity.ratio(table, design, target))) is not None
        ]
        if reached:
            lines[-1] += "; met only at an end: " + "; ".join(reached)
    return "\n".join(textwrap.fill(line, 200) for line in lines)
