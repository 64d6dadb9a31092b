"""Plots of sampled results. Every function draws on a matplotlib `ax` (or `figure`) it
is given and never creates a figure or calls `show()`."""

from qec.plotting.threshold import (
    axis_label,
    plot_scaling_collapse,
    plot_threshold,
    plot_threshold_panels,
    plot_threshold_vs_parameter,
)

__all__ = [
    "axis_label",
    "plot_scaling_collapse",
    "plot_threshold",
    "plot_threshold_panels",
    "plot_threshold_vs_parameter",
]
