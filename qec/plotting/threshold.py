"""Threshold plots: logical error rate against the swept noise parameter, one curve per
code size, and thresholds against a fixed noise parameter such as the bias eta.

Every function draws on the matplotlib `ax` (or `figure`) it is given and never creates a
figure or calls `show()`: the caller owns the figure (sinter's convention).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from qec.analysis import SweepPoint, ThresholdEstimate
from qec.sampling.sweep_point import check_per


def _by_size(points: Iterable[SweepPoint]) -> dict[str, list[SweepPoint]]:
    groups: dict[str, list[SweepPoint]] = {}
    for point in sorted(points, key=lambda p: (p.distance, p.label, p.value)):
        groups.setdefault(point.label, []).append(point)
    return groups


def _colors(count: int) -> list[Any]:
    import matplotlib

    colormap = matplotlib.colormaps["viridis"]
    return [colormap(0.85 * i / max(1, count - 1)) for i in range(count)]


def _value_ticks(ax: Any, values: Sequence[float]) -> None:
    """x ticks at the swept values (every other one when there are many), plain labels:
    a log axis spanning less than a decade otherwise labels crowded minor ticks."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    if len(values) < 2 or values[-1] / values[0] >= 10:
        return
    step = 1 if len(values) <= 6 else 2
    ax.xaxis.set_major_locator(FixedLocator(values[::step]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.3g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


# What p is per, or what the swept parameter is, under each noise model.
_AXIS_LABELS = {
    ("code_capacity", "p"): (
        "physical error rate p (flip probability per data qubit; X, Z independent)"
    ),
    ("phenomenological", "p"): (
        "physical error rate p (per data qubit and per measurement, per round)"
    ),
    ("depolarizing", "p"): "physical error rate p (per operation)",
    ("si1000", "p"): "physical error rate p (SI1000 scale: 2-qubit gate error)",
    ("biased", "p"): "physical error rate p (per operation, all Paulis)",
    ("cat", "k1_k2"): "kappa_1 / kappa_2",
}


def axis_label(sweep: str, noise: str | None = None) -> str:
    """The x-axis label for a swept parameter (of the noise model `noise`, if given).

    Examples:
        >>> axis_label("p")
        'physical error rate p (per operation)'
        >>> axis_label("k1_k2"), axis_label("k1_k2", "cat")
        ('noise parameter k1_k2', 'kappa_1 / kappa_2')
    """
    if noise is not None and (noise, sweep) in _AXIS_LABELS:
        return _AXIS_LABELS[noise, sweep]
    if sweep == "p":
        return "physical error rate p (per operation)"
    return f"noise parameter {sweep}"


def plot_threshold(
    *,
    ax: Any,
    points: Iterable[SweepPoint],
    estimate: ThresholdEstimate | None = None,
    per: str = "round",
    sweep: str = "p",
    xlabel: str | None = None,
    show_fit: bool = True,
) -> None:
    """Logical error rate per `per` against the swept value, one line per code size
    with its 95% Wilson interval as a band, on log-log axes; with `estimate`, the
    threshold as a dashed line inside a grey band (its interval) and, for a
    finite-size-scaling estimate, the fitted curves (dotted) over the fitted window.

    Points with no error have no marker (their band still shows the upper bound).

    Examples:
        >>> from matplotlib.figure import Figure
        >>> points = [SweepPoint(distance=d, value=v, shots=1000, errors=e)
        ...           for d, errors in ((3, (50, 100, 180)), (5, (20, 90, 220)))
        ...           for v, e in zip((0.05, 0.1, 0.15), errors)]
        >>> ax = Figure().add_subplot()
        >>> plot_threshold(ax=ax, points=points, per="shot")
        >>> ax.get_ylabel()
        'logical error rate (per shot)'
        >>> len(ax.get_lines())
        2
    """
    check_per(per)
    groups = _by_size(points)
    positive = [
        r for g in groups.values() for p in g for r in (p.rate(per).low, p.rate(per).value) if r > 0
    ]
    floor = 0.5 * min(positive) if positive else 1e-6  # bottom of bands of zero-error points
    for color, (label, group) in zip(_colors(len(groups)), groups.items(), strict=True):
        values = np.array([p.value for p in group])
        rates = [p.rate(per) for p in group]
        y = np.array([r.value for r in rates])
        low = np.array([r.low for r in rates])
        high = np.array([r.high for r in rates])
        shown = np.where(y > 0, y, np.nan)
        rounds = sorted({p.rounds for p in group})
        rounds_text = f", {rounds[0]} rounds" if len(rounds) == 1 and rounds[0] > 1 else ""
        ax.plot(
            values, shown, marker="o", markersize=3.5, color=color, label=f"{label}{rounds_text}"
        )
        ax.fill_between(values, np.maximum(low, floor), high, color=color, alpha=0.2, linewidth=0)
        if show_fit and estimate is not None and estimate.nu is not None:
            lo, hi = estimate.window
            grid = np.geomspace(lo, hi, 60)
            fitted = estimate.model_rate(grid, group[0].distance)
            ax.plot(
                grid, np.where(fitted > 0, fitted, np.nan), linestyle=":", color=color, linewidth=1
            )
    if estimate is not None:
        method = "FSS fit" if estimate.nu is not None else "crossing"
        if estimate.extrapolated:
            method += ", extrapolated"
        ax.axvspan(estimate.low, estimate.high, color="0.5", alpha=0.25, linewidth=0)
        ax.axvline(
            estimate.value,
            color="black",
            linestyle="--",
            linewidth=1,
            label=f"threshold {estimate} ({method}, {estimate.confidence:.0%})",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    _value_ticks(ax, sorted({p.value for g in groups.values() for p in g}))
    ax.set_xlabel(xlabel or axis_label(sweep))
    ax.set_ylabel(f"logical error rate (per {per})")
    ax.grid(True, which="major", alpha=0.4)
    ax.grid(True, which="minor", alpha=0.1)
    ax.legend(fontsize="small", loc="lower right")


def plot_threshold_panels(
    *,
    figure: Any,
    points: Iterable[SweepPoint],
    estimates: Mapping[str, ThresholdEstimate | None],
    sweep: str = "p",
    rounds: str = "1",
    xlabel: str | None = None,
    published: float | None = None,
    published_label: str | None = None,
) -> None:
    """`plot_threshold` side by side on `figure`, one panel per entry of `estimates`
    ('shot' or 'round' -> the estimate per shot or per round, or None), each titled
    with what its rates are per and, with `published`, a red line at that value.

    Examples:
        >>> from matplotlib.figure import Figure
        >>> points = [SweepPoint(distance=d, value=v, shots=1000, errors=e, rounds=d)
        ...           for d, errors in ((3, (50, 100, 180)), (5, (20, 90, 220)))
        ...           for v, e in zip((0.05, 0.1, 0.15), errors)]
        >>> figure = Figure()
        >>> plot_threshold_panels(figure=figure, points=points, rounds="d",
        ...                       estimates={"shot": None, "round": None}, published=0.1)
        >>> [ax.get_title() for ax in figure.axes]
        ['per shot', 'per round, rounds = d']
    """
    points = list(points)
    for i, (per, estimate) in enumerate(estimates.items()):
        ax = figure.add_subplot(1, len(estimates), i + 1)
        plot_threshold(ax=ax, points=points, estimate=estimate, per=per, sweep=sweep, xlabel=xlabel)
        if published is not None:
            label = published_label or f"published {published:.4g}"
            ax.axvline(published, color="tab:red", linewidth=1, label=label)
            ax.legend(fontsize="small", loc="lower right")
        title = f"per {per}" + (f", rounds = {rounds}" if per == "round" else "")
        ax.set_title(title, fontsize="medium")


def plot_threshold_vs_parameter(
    *,
    ax: Any,
    series: Mapping[str, Sequence[tuple[float, ThresholdEstimate]]],
    parameter: str = "eta",
    ylabel: str | None = None,
) -> None:
    """Thresholds (with their intervals as error bars) against a fixed noise parameter,
    one line per entry of `series` (label -> [(parameter value, estimate), ...]), with
    a log x axis. Non-finite parameter values (eta = inf) are drawn at the right end,
    three times the largest finite value, and labelled "inf".

    Examples:
        >>> from matplotlib.figure import Figure
        >>> est = ThresholdEstimate(value=0.01, low=0.009, high=0.011, method="crossing",
        ...                         per="round")
        >>> ax = Figure().add_subplot()
        >>> plot_threshold_vs_parameter(ax=ax, series={"xzzx": [(0.5, est), (100, est)]})
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('eta', 'threshold p_th (per round)')
    """
    finite = [v for rows in series.values() for v, _ in rows if math.isfinite(v)]
    right = 3 * max(finite) if finite else 1.0
    pers: set[str] = set()
    for color, (label, rows) in zip(_colors(len(series)), series.items(), strict=True):
        rows = sorted(rows, key=lambda r: r[0])
        x = np.array([v if math.isfinite(v) else right for v, _ in rows])
        y = np.array([e.value for _, e in rows])
        err = np.array([[e.value - e.low for _, e in rows], [e.high - e.value for _, e in rows]])
        ax.errorbar(
            x,
            y,
            yerr=np.maximum(err, 0),
            marker="o",
            markersize=4,
            capsize=3,
            color=color,
            label=label,
        )
        pers.update(e.per for _, e in rows)
    if any(not math.isfinite(v) for rows in series.values() for v, _ in rows):
        ticks = sorted(set(finite)) + [right]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks[:-1]] + ["inf"])
    ax.set_xscale("log")
    ax.set_xlabel(parameter)
    per_text = f" (per {pers.pop()})" if len(pers) == 1 else ""
    ax.set_ylabel(ylabel or f"threshold p_th{per_text}")
    ax.grid(True, alpha=0.4)
    ax.legend(fontsize="small")
