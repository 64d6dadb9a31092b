"""Tornado plots of a `Sensitivity`: how far the ratio surface code / cat design moves
when each assumption goes to either end of its range."""

from __future__ import annotations

import math
from typing import Any

from qec.overhead.sensitivity import Sensitivity

LOW_COLOR, HIGH_COLOR = "tab:blue", "tab:orange"


def plot_tornado(*, ax: Any, sensitivity: Sensitivity, design: str, target: float) -> None:
    """One tornado on `ax`: a bar per swing from the default ratio to the ratio at the
    low end (blue) and at the high end (orange) of the assumption, widest swing on top,
    each end with its 95% interval as a whisker and its value as a label. The default's
    ratio is the vertical line, its interval the grey band. An end at which either
    design misses the target is written out instead of drawn.

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
    default = sensitivity.ratio(sensitivity.default, design, target)
    middle = None if default is None else default.interval
    ax.set_xlabel(f"qubits({sensitivity.baseline}) / qubits({design})")
    ax.set_title(f"at {target:.0e} per round", fontsize="medium")
    if middle is None:
        ax.text(0.5, 0.5, "no ratio at the default", transform=ax.transAxes, ha="center")
        return
    ax.axvspan(middle.low, middle.high, color="0.88", zorder=0)
    ax.axvline(middle.value, color="black", linewidth=1)
    bars = []
    for swing, (low, high) in zip(sensitivity.swings, sensitivity.ends, strict=True):
        found = [sensitivity.ratio(table, design, target) for table in (low, high)]
        intervals = [None if r is None else r.interval for r in found]
        width = max((abs(i.value - middle.value) if i is not None else math.inf) for i in intervals)
        bars.append((width, swing, intervals))
    bars.sort(key=lambda bar: bar[0])
    for y, (_, swing, intervals) in enumerate(bars):
        for interval, color, value, side in zip(
            intervals, (LOW_COLOR, HIGH_COLOR), swing.ends, (-1, 1), strict=True
        ):
            if interval is None:
                ax.annotate(
                    f"{value}: not met",
                    (middle.value, y),
                    xytext=(side * 6, 0),
                    textcoords="offset points",
                    ha="left" if side > 0 else "right",
                    va="center",
                    color=color,
                    fontsize="x-small",
                )
                continue
            ax.barh(
                y,
                interval.value - middle.value,
                left=middle.value,
                height=0.6,
                color=color,
                alpha=0.8,
            )
            ax.errorbar(
                interval.value,
                y,
                xerr=[[interval.value - interval.low], [interval.high - interval.value]],
                color="black",
                linewidth=0.8,
                capsize=2,
            )
            ax.annotate(
                value,
                (interval.value, y),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize="x-small",
            )
    ax.set_yticks(range(len(bars)), [swing.name for _, swing, _ in bars], fontsize="small")
    ax.set_ylim(-0.7, len(bars) - 0.3)
    ax.grid(True, axis="x", alpha=0.3)


def sensitivity_figure(sensitivity: Sensitivity) -> Any:
    """A matplotlib Figure: a tornado per cat design (rows) and target (columns).

    Examples:
        >>> from qec.overhead.table import FootprintTable
        >>> empty = Sensitivity(baseline="a", designs=("b",), targets=(1e-9, 1e-11),
        ...     default=FootprintTable(rows=()), swings=(), ends=())
        >>> len(sensitivity_figure(empty).axes)
        2
    """
    from matplotlib.figure import Figure

    rows, columns = len(sensitivity.designs), len(sensitivity.targets)
    figure = Figure(figsize=(7 * columns, 0.5 + 4.2 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for i, design in enumerate(sensitivity.designs):
        for j, target in enumerate(sensitivity.targets):
            plot_tornado(ax=axes[i][j], sensitivity=sensitivity, design=design, target=target)
    figure.suptitle(
        "How many times fewer qubits the cat design needs, one assumption at a time "
        "(blue: low end, orange: high end;\nline and grey band: the default with its 95% "
        "interval; whiskers: 95% intervals; counts from Lambda fits, picks not checked "
        "by splitting)",
        fontsize="small",
    )
    return figure
