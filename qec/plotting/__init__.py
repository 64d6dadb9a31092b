"""Plots of sampled results and footprint tables. Every function draws on a matplotlib
`ax` (or `figure`) it is given and never creates a figure or calls `show()`."""

from qec.plotting.footprint import comparison_figure, plot_footprint, plot_ratios
from qec.plotting.threshold import (
    axis_label,
    plot_threshold,
    plot_threshold_panels,
    plot_threshold_vs_parameter,
)

__all__ = [
    "axis_label",
    "comparison_figure",
    "plot_footprint",
    "plot_ratios",
    "plot_threshold",
    "plot_threshold_panels",
    "plot_threshold_vs_parameter",
]
