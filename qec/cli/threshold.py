"""`qec threshold`: sweep a noise parameter over several code sizes, estimate the
threshold with an interval, print it (or one JSON object) and optionally plot it."""

from __future__ import annotations

import json
import math
import os
import pathlib
import sys
from collections.abc import Callable

import numpy as np
import sinter

from qec.analysis import SweepPoint, ThresholdEstimate, ThresholdNotFound, estimate_threshold
from qec.analysis.threshold import check_estimate_args
from qec.analysis.threshold_text import rate_table, threshold_text
from qec.circuits.registry import CODE_FAMILIES
from qec.cli._args import OneLineParser, add_output_arguments, count
from qec.errors import QecError, check_int
from qec.noise.registry import split_noise_spec
from qec.sampling.core.decoders import check_decoder
from qec.sampling.core.results_file import check_results_file, check_writable_folder
from qec.sampling.sweep import ThresholdSweep, collect_sweep
from qec.sampling.sweep_point import PER_CHOICES

PLOT_SUFFIXES = (".png", ".pdf", ".svg")


def parse_values(text: str, *, name: str = "p") -> tuple[float, ...]:
    """The swept values: `START:STOP:COUNT`, COUNT values from START to STOP (both
    included) spaced evenly on a log scale, or a comma-separated list.

    Examples:
        >>> parse_values("0.001:0.1:3")
        (0.001, 0.01, 0.1)
        >>> parse_values("0.3, 0.4,0.5")
        (0.3, 0.4, 0.5)
        >>> parse_values("0.01:0.001:5")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: p='0.01:0.001:5' is not allowed: expected START:STOP:COUNT \
(0 < START < STOP, COUNT >= 3 values, log-spaced) or a list of >= 3 numbers a,b,c
    """
    allowed = (
        "START:STOP:COUNT (0 < START < STOP, COUNT >= 3 values, log-spaced) "
        "or a list of >= 3 numbers a,b,c"
    )
    try:
        if ":" in text:
            start_text, stop_text, count_text = text.split(":")
            start, stop, count = float(start_text), float(stop_text), int(count_text)
            if not (0 < start < stop < math.inf) or count < 3:
                raise ValueError
            values = [float(f"{v:.6g}") for v in np.geomspace(start, stop, count)]
        else:
            values = [float(v) for v in text.split(",")]
    except ValueError:
        raise QecError.invalid(name, text, allowed) from None
    if len(set(values)) < 3 or not all(0 < v < math.inf for v in values):
        raise QecError.invalid(name, text, allowed)
    return tuple(values)


def parse_sizes(text: str) -> tuple[tuple[int, int], ...]:
    """Code sizes: distances `3,5,7`, or `DXxDZ` pairs for rectangular codes (`3x9,5x15`).

    Examples:
        >>> parse_sizes("3,5,7")
        ((3, 3), (5, 5), (7, 7))
        >>> parse_sizes("3x9, 5x15")
        ((3, 9), (5, 15))
        >>> parse_sizes("3x,5x15")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: distances='3x,5x15' is not allowed: expected at least two \
sizes: odd distances like 3,5,7 or dx x dz pairs like 3x9,5x15
        >>> parse_sizes("3,5,seven")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: distances='3,5,seven' is not allowed: expected at least two \
sizes: odd distances like 3,5,7 or dx x dz pairs like 3x9,5x15
    """
    allowed = "at least two sizes: odd distances like 3,5,7 or dx x dz pairs like 3x9,5x15"
    sizes = []
    try:
        for item in filter(None, (part.strip() for part in text.split(","))):
            dx_text, cross, dz_text = item.lower().partition("x")
            dx = int(dx_text)
            sizes.append((dx, int(dz_text) if cross else dx))  # "3x" is not 3
    except ValueError:
        raise QecError.invalid("distances", text, allowed) from None
    if len(set(sizes)) < 2:
        raise QecError.invalid("distances", text, allowed)
    return tuple(sizes)


def parse_noise_family(spec: str) -> tuple[str, dict[str, float]]:
    """`NAME[:key=value,...]`: a noise model and its fixed parameters (not the swept one).

    Examples:
        >>> parse_noise_family("biased:eta=100")
        ('biased', {'eta': 100})
        >>> parse_noise_family("depolarizing")
        ('depolarizing', {})
        >>> parse_noise_family("biased:eta")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: noise='biased:eta' is not allowed: expected NAME:key=value,...
    """
    return split_noise_spec(spec)


def check_output_paths(*, save: str | None, plot: str | None) -> None:
    """QecError, before any sampling, unless `save` is a sinter CSV the sweep can read
    and extend (or a new file it can write) and `plot` a file it can write (its folder
    is made if missing).

    Examples:
        >>> check_output_paths(save=None, plot="/proc/qec/plot.png")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        qec.errors.QecError: plot='/proc/qec/plot.png' is not allowed: expected a folder \
this process can create and write (/proc refuses: ...)
    """
    if save is not None:
        check_results_file(save, parameter="save")
    if plot is not None:
        if pathlib.Path(plot).is_dir():
            raise QecError.invalid("plot", plot, "a file name (it is a folder)")
        check_writable_folder(pathlib.Path(plot).parent, parameter="plot", value=plot)


def _write_plot(
    path: str,
    points: list[SweepPoint],
    estimate: ThresholdEstimate | None,
    *,
    per: str,
    sweep: ThresholdSweep,
) -> None:
    """Writes the threshold plot of `points` to `path` (no pyplot, no global backend)."""
    from matplotlib.figure import Figure

    from qec.plotting.threshold import plot_threshold

    figure = Figure(figsize=(7, 5), layout="constrained")
    ax = figure.add_subplot()
    plot_threshold(ax=ax, points=points, estimate=estimate, per=per, sweep=sweep.sweep)
    ax.set_title(
        f"{sweep.code} (basis {sweep.basis}, rounds {sweep.rounds}), noise "
        f"{sweep.noise_spec()}, sweeping {sweep.sweep}",
        fontsize="medium",
    )
    pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=150)


def main_threshold(
    *,
    command_line_args: list[str],
    progress_callback: Callable[[sinter.Progress], None] | None = None,
) -> int:
    """Samples the sweep, estimates the threshold and prints it (or one JSON object).

    Bad input raises `QecError` (the dispatcher prints it as one line, exit status 2);
    a range that does not bracket the threshold raises `ThresholdNotFound`, one of them.

    Examples:
        >>> import contextlib, io, json
        >>> out = io.StringIO()
        >>> with contextlib.redirect_stdout(out):
        ...     status = main_threshold(command_line_args=[
        ...         "--code", "repetition", "--distances", "3,7,11",
        ...         "--noise", "phenomenological", "--p", "0.05,0.08,0.12,0.18",
        ...         "--per", "shot", "--max-shots", "3000", "--workers", "1",
        ...         "--bootstrap", "20", "--quiet", "--json"])
        >>> status
        0
        >>> data = json.loads(out.getvalue())
        >>> data["method"], sorted(data["threshold"])
        ('finite_size_scaling', ['high', 'low', 'value'])
    """
    parser = OneLineParser(
        prog="qec threshold",
        description=(
            "Sweep a noise parameter over several code sizes with sinter and estimate the "
            "threshold with a bootstrap interval. The finite-size-scaling ansatz holds "
            "for per-shot rates of memories whose rounds grow with d (--per shot); "
            "per-round curves cross a little higher at small sizes."
        ),
    )
    parser.add_argument("--code", required=True, help=f"one of {', '.join(CODE_FAMILIES)}")
    parser.add_argument(
        "--distances",
        required=True,
        help="code sizes: 3,5,7 or dx x dz pairs 3x9,5x15 (rectangular codes)",
    )
    parser.add_argument(
        "--noise",
        required=True,
        help="the model and its fixed parameters, e.g. depolarizing or biased:eta=100",
    )
    parser.add_argument("--sweep", default="p", help="the swept noise parameter (default p)")
    parser.add_argument(
        "--p",
        "--values",
        dest="values",
        required=True,
        help="swept values: START:STOP:COUNT (log-spaced, ends included) or a,b,c",
    )
    parser.add_argument(
        "--rounds",
        default=None,
        help="rounds per shot: 'd' (= distance), a multiple like '3d', or a number "
        "(default: 1 for code_capacity, else d)",
    )
    parser.add_argument("--basis", default="Z", help="logical basis kept: X or Z (default Z)")
    parser.add_argument("--per", default="shot", help="fit rates per 'shot' (default) or 'round'")
    parser.add_argument(
        "--method",
        default="fss",
        help="fss: finite-size-scaling fit (default); crossing: crossing of the two "
        "largest sizes' fitted curves",
    )
    parser.add_argument(
        "--window",
        type=float,
        default=1.5,
        help="fit the points within this factor of the crossing (default 1.5)",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=200,
        help="bootstrap resamples for the interval (default 200)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    parser.add_argument(
        "--decoder", default="pymatching", help="one of " + ", ".join(sinter.BUILT_IN_DECODERS)
    )
    parser.add_argument("--max-shots", type=count, default=100_000, help="per experiment")
    parser.add_argument("--max-errors", type=count, default=1_000, help="per experiment")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument(
        "--plot", default=None, help="write the plot to FILE.png (.pdf, .svg) (default: no plot)"
    )
    add_output_arguments(parser, saved="to append to and resume from", printed="one JSON object")
    args = parser.parse_args(command_line_args)

    check_estimate_args(
        per=args.per, method=args.method, window=args.window, bootstrap=args.bootstrap
    )
    for name in ("max_shots", "max_errors", "workers"):
        check_int(name, getattr(args, name), minimum=1, optional=True)
    if args.plot is not None and not args.plot.lower().endswith(PLOT_SUFFIXES):
        raise QecError.invalid(
            "plot", args.plot, "a file name ending in " + ", ".join(PLOT_SUFFIXES)
        )
    check_decoder(args.decoder)
    check_output_paths(save=args.save, plot=args.plot)
    noise, fixed = parse_noise_family(args.noise)
    sweep = ThresholdSweep(
        code=args.code,
        sizes=parse_sizes(args.distances),
        noise=noise,
        values=parse_values(args.values, name=args.sweep),
        sweep=args.sweep,
        fixed=fixed,
        rounds=args.rounds,
        basis=args.basis,
    )
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    points = collect_sweep(
        sweep,
        max_shots=args.max_shots,
        max_errors=args.max_errors,
        num_workers=workers,
        decoder=args.decoder,
        save=args.save,
        progress=None if args.quiet or progress_callback is not None else "qec threshold",
        progress_callback=progress_callback,
    )
    try:
        estimate = estimate_threshold(
            points,
            per=args.per,
            method=args.method,
            sweep=args.sweep,
            window=args.window,
            bootstrap=args.bootstrap,
            seed=args.seed,
        )
    except ThresholdNotFound:
        if args.plot is not None:
            _write_plot(args.plot, points, None, per=args.per, sweep=sweep)
        print(rate_table(points, per=args.per, sweep=args.sweep), file=sys.stderr)
        raise
    experiment = {**sweep.to_json(), "decoder": args.decoder}
    if args.json:
        result = {**experiment, **estimate.to_json()}
        result["points"] = [p.to_json(per=estimate.per, sweep=args.sweep) for p in points]
        print(json.dumps(result))
    else:
        print(threshold_text(experiment, points, estimate))
    if args.plot is not None:
        _write_plot(args.plot, points, estimate, per=args.per, sweep=sweep)
    return 0


__all__ = [
    "PER_CHOICES",
    "main_threshold",
    "parse_noise_family",
    "parse_sizes",
    "parse_values",
]
