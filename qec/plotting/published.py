"""Our rates beside a paper's: the same points, theirs hollow, ours filled with 95%
intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qec.intervals import Interval


def plot_against_published(
    *,
    ax: Any,
    label: str,
    xs: Sequence[float],
    published: Sequence[float],
    measured: Sequence[Interval],
    marker: str = "o",
    color: str | None = None,
) -> None:
    """One series on `ax`: the paper's rates at `xs` as hollow markers, ours as filled
    ones with their 95% intervals, in one colour, labelled `label`.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> plot_against_published(ax=ax, label="d = 5", xs=[1e-4], published=[2e-3],
        ...                        measured=[Interval(2.1e-3, 1.9e-3, 2.3e-3)])
        >>> [line.get_marker() for line in ax.get_lines()][:2]
        ['o', 'o']
    """
    (hollow,) = ax.plot(xs, published, marker, mfc="none", color=color, linestyle="none")
    ax.errorbar(
        xs,
        [m.value for m in measured],
        yerr=[[m.value - m.low for m in measured], [m.high - m.value for m in measured]],
        fmt=marker,
        ms=4,
        color=hollow.get_color(),
        label=label,
    )
