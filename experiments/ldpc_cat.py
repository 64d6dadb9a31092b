"""The LDPC-cat paper's Figures 5 and S2 (a, b, c) rerun with qec
(`qec.literature.ldpc_cat_report`).

Reruns, by direct sampling with the authors' decoder, every point of a figure that the
budget reaches: a point runs when its shot budget (by figure, code, distance and BP
iterations: a few minutes of decoding on one core, 10 for Figure S2 (c)) is expected
to give at least MIN_EXPECTED_ERRORS failures at the authors' rate, and stops at 100
failures or the budget. Cheapest points first. Then some rarer points of Figure S2 (c)'s
small codes (the authors sampled up to 1.2e9 shots for them) by stratified sampling
(seeded; splitting with BP+OSD finishes no unit in minutes on these codes), RARE_SECONDS
each. The results files are sinter's CSV, so an interrupted run resumes where it
stopped.

Writes results/ldpc_cat/: points.csv (Figure S2 (c), direct), points_<figure>.csv (the
other figures), rare.csv (rare-event methods), reproduction.md, reproduction.png.
Phases and figures may run at once, in separate processes.

Usage:
    python experiments/ldpc_cat.py [--workers 1] [--phase direct|rare|all|report]
        [--figure S2c|S2b|S2a|5]
"""

from __future__ import annotations

import argparse
import pathlib

import sinter
from matplotlib.figure import Figure

from qec import estimate
from qec.literature.ldpc_cat_published import NBAR, PANELS, AuthorsPoint, authors_points
from qec.literature.ldpc_cat_report import (
    DECODER,
    can_rerun,
    decoder_for,
    experiment_for,
    markdown,
    reproductions,
    series,
)
from qec.plotting.published import plot_against_published

OUT = pathlib.Path(__file__).resolve().parent.parent / "results" / "ldpc_cat"
MAX_ERRORS = 100
MIN_EXPECTED_ERRORS = 50
# Near-saturated points tell little; outside Figure S2 (c) every other grid value is
# rerun (the curves are smooth), to spend the budget on the rare ends.
MAX_RATE = 0.3
DENSE = ("S2b", "5")  # the circuit-level figures: every grid value
S2C = "S2c"
# Shots per point by (figure, code, distance, BP iterations), from the decode rates of
# benchmarks/ldpc_cat_decoding.py: about 10 minutes on one core each for Figure S2 (c),
# 2 for the others (on Figure 5, 10,000 BP iterations decode over 10x slower than 4).
SHOT_BUDGET = {
    (S2C, "ldpc_cat", 5, 10_000): 100_000,
    (S2C, "ldpc_cat", 9, 10_000): 15_000,
    (S2C, "ldpc_cat", 12, 10_000): 5_000,
    (S2C, "ldpc_cat", 16, 10_000): 2_000,
    (S2C, "ldpc_cat", 22, 10_000): 700,
    (S2C, "repetition", 5, 10_000): 1_000_000,
    (S2C, "repetition", 9, 10_000): 1_000_000,
    ("5", "tshape", 7, 4): 60_000,
    ("5", "tshape", 7, 1032): 40_000,
    ("5", "tshape", 7, 10_000): 6_000,
    ("S2a", "repetition", 5, 10_000): 30_000,
    ("S2a", "repetition", 9, 10_000): 30_000,
    ("S2b", "repetition", 5, 10_000): 60_000,
    ("S2b", "repetition", 9, 10_000): 60_000,
    ("S2a", "tshape", 7, 10_000): 3_000_000,
    ("S2a", "tshape", 12, 10_000): 500_000,
    ("S2a", "tshape", 15, 10_000): 10_000,
    ("S2a", "ldpc_cat", 5, 10_000): 900_000,
    ("S2a", "ldpc_cat", 9, 10_000): 100_000,
    ("S2b", "tshape", 7, 10_000): 250_000,
    ("S2b", "tshape", 12, 10_000): 60_000,
    ("S2b", "tshape", 15, 10_000): 3_000,
    ("S2b", "ldpc_cat", 5, 10_000): 60_000,
    ("S2b", "ldpc_cat", 9, 10_000): 12_000,
    ("S2b", "ldpc_cat", 12, 10_000): 1_500,
}  # fmt: skip


# Rarer points of the codes small enough for the rare-event methods to decode with
# BP+OSD in minutes, by (code, distance): k indices, spread over the decades.
RARE_POINTS = {("repetition", 5): (0, 3, 6), ("repetition", 9): (8, 10), ("ldpc_cat", 5): (0,)}
RARE_SECONDS = {"repetition": 180.0, "ldpc_cat": 400.0}


def budget(point: AuthorsPoint) -> int:
    key = (point.figure, point.code, point.distance, point.bp_iterations)
    return SHOT_BUDGET.get(key, 0)


def planned(figure: str) -> list[AuthorsPoint]:
    points = [
        p
        for p in authors_points()
        if p.figure == figure
        and can_rerun(p)
        and budget(p) * p.rate >= MIN_EXPECTED_ERRORS
        and (figure == S2C or (p.rate <= MAX_RATE and (figure in DENSE or p.x_index % 2 == 0)))
    ]
    # Cheapest first: expected shots to MAX_ERRORS, weighted by the code's size.
    return sorted(points, key=lambda p: min(MAX_ERRORS / p.rate, budget(p)) / budget(p))


def rare() -> list[AuthorsPoint]:
    return [
        p
        for p in authors_points()
        if p.figure == S2C and p.x_index in RARE_POINTS.get((p.code, p.distance), ())
    ]


def results_file(figure: str) -> pathlib.Path:
    return OUT / ("points.csv" if figure == S2C else f"points_{figure}.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--phase", choices=("direct", "rare", "all", "report"), default="all")
    parser.add_argument("--figure", choices=tuple(PANELS), default=S2C)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rare_csv = OUT / "rare.csv"
    if args.phase in ("direct", "all"):
        for point in planned(args.figure):
            estimate(
                experiment_for(point), method="monte_carlo", decoder=decoder_for(point),
                max_shots=budget(point), max_errors=MAX_ERRORS, save=results_file(args.figure),
                num_workers=args.workers,
            )  # fmt: skip
    if args.phase in ("rare", "all"):
        for point in rare():
            estimate(
                experiment_for(point), method="stratified", decoder=DECODER, rel_precision=0.2,
                max_seconds=RARE_SECONDS[point.code], save=rare_csv, num_workers=args.workers,
                seed=1000 * point.distance + point.x_index,
            )  # fmt: skip
    stats = sinter.read_stats_from_csv_files(*sorted(OUT.glob("*.csv")))
    rows = reproductions(stats, authors_points())
    (OUT / "reproduction.md").write_text(markdown(rows))
    fig = Figure(figsize=(13, 10))
    axes = dict(zip(PANELS, fig.subplots(2, 2).flat, strict=True))
    for figure, ax in axes.items():
        panel = PANELS[figure]
        x_label = panel.x_label + (f" (nbar = {NBAR:g})" if figure == S2C else "")
        ax.set(xscale="log", yscale="log", xlabel=x_label, title=panel.title)
        ax.set_ylabel("P(any logical qubit fails over d rounds)")
        ax.grid(True, which="major", alpha=0.3)
    for (figure, code, distance, iterations), points in series(rows).items():
        label = f"{code} d = {distance}" + (f", {iterations} BP it." if figure == "5" else "")
        plot_against_published(
            ax=axes[figure], label=label, xs=[r.point.x for r in points],
            published=[r.point.rate for r in points], measured=[r.ours for r in points],
            marker={"ldpc_cat": "s", "tshape": "^"}.get(code, "o"),
        )  # fmt: skip
    for ax in axes.values():
        ax.legend(fontsize=7, title="filled: qec (95%); hollow: authors", title_fontsize=7)
    fig.savefig(OUT / "reproduction.png", dpi=120, bbox_inches="tight")
    print(markdown(rows))


if __name__ == "__main__":
    main()
