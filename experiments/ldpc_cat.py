"""The LDPC-cat paper's Figure S2 (c) rerun with qec (`qec.literature.ldpc_cat_report`).

Reruns, by direct sampling with the authors' decoder, every point of the figure that the
budget reaches: a point runs when its shot budget (by code and distance, BP+OSD being
slow on the larger codes) is expected to give at least MIN_EXPECTED_ERRORS failures at
the authors' rate, and stops at 100 failures or the budget. Cheapest points first. Then
some rarer points of the small codes (the authors sampled up to 1.2e9 shots for them)
by `method="auto"` (stratified sampling or splitting, seeded), RARE_SECONDS each. The
results file is sinter's CSV, so an interrupted run resumes where it stopped.

Writes results/ldpc_cat/: points.csv (direct), rare.csv (rare-event methods),
reproduction.md, reproduction.png. The two phases may run at once, in two processes.

Usage:
    python experiments/ldpc_cat.py [--workers 1] [--phase direct|rare|all|report]
"""

from __future__ import annotations

import argparse
import pathlib

import sinter
from matplotlib.figure import Figure

from qec import estimate
from qec.literature.ldpc_cat_published import LDPC_CAT_FIG_S2C, REPETITION_FIG_S2C, AuthorsPoint
from qec.literature.ldpc_cat_report import (
    DECODER,
    can_rerun,
    experiment_for,
    markdown,
    reproductions,
    series,
)
from qec.plotting.published import plot_against_published

OUT = pathlib.Path(__file__).resolve().parent.parent / "results" / "ldpc_cat"
MAX_ERRORS = 100
MIN_EXPECTED_ERRORS = 50
# Shots per point by (code, distance): about 10 minutes of BP+OSD on one core each.
SHOT_BUDGET = {
    ("ldpc_cat", 5): 100_000,
    ("ldpc_cat", 9): 15_000,
    ("ldpc_cat", 12): 5_000,
    ("ldpc_cat", 16): 2_000,
    ("ldpc_cat", 22): 700,
    ("repetition", 5): 1_000_000,
    ("repetition", 9): 1_000_000,
}


# Rarer points of the codes small enough for the rare-event methods to decode with
# BP+OSD in minutes, by (code, distance): k indices, spread over the decades.
RARE_POINTS = {("repetition", 5): (0, 3, 6), ("repetition", 9): (8, 10), ("ldpc_cat", 5): (0, 2)}
RARE_SECONDS = {"repetition": 180.0, "ldpc_cat": 240.0}


def budget(point: AuthorsPoint) -> int:
    return SHOT_BUDGET.get((point.code, point.distance), 0)


def planned() -> list[AuthorsPoint]:
    points = [
        p
        for p in (*LDPC_CAT_FIG_S2C, *REPETITION_FIG_S2C)
        if can_rerun(p) and budget(p) * p.rate >= MIN_EXPECTED_ERRORS
    ]
    # Cheapest first: expected shots to MAX_ERRORS, weighted by the code's size.
    return sorted(points, key=lambda p: min(MAX_ERRORS / p.rate, budget(p)) / budget(p))


def rare() -> list[AuthorsPoint]:
    return [
        p
        for p in (*LDPC_CAT_FIG_S2C, *REPETITION_FIG_S2C)
        if p.k_index in RARE_POINTS.get((p.code, p.distance), ())
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--phase", choices=("direct", "rare", "all", "report"), default="all")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    csv, rare_csv = OUT / "points.csv", OUT / "rare.csv"
    if args.phase in ("direct", "all"):
        for point in planned():
            estimate(
                experiment_for(point), method="monte_carlo", decoder=DECODER,
                max_shots=budget(point), max_errors=MAX_ERRORS, save=csv,
                num_workers=args.workers,
            )  # fmt: skip
    if args.phase in ("rare", "all"):
        for point in rare():
            estimate(
                experiment_for(point), method="auto", decoder=DECODER, rel_precision=0.2,
                max_seconds=RARE_SECONDS[point.code], save=rare_csv, num_workers=args.workers,
                seed=1000 * point.distance + point.k_index,
            )  # fmt: skip
    stats = sinter.read_stats_from_csv_files(*(f for f in (csv, rare_csv) if f.exists()))
    rows = reproductions(stats, (*LDPC_CAT_FIG_S2C, *REPETITION_FIG_S2C))
    (OUT / "reproduction.md").write_text(markdown(rows))
    fig = Figure(figsize=(7.5, 5.5))
    ax = fig.add_subplot()
    ax.set(xscale="log", yscale="log", xlabel="kappa_1 / kappa_2 (nbar = 11)")
    ax.set_ylabel("P(any logical qubit fails over d rounds)")
    for (code, distance), points in series(rows).items():
        plot_against_published(
            ax=ax, label=f"{code} d = {distance}", xs=[r.point.k1_k2 for r in points],
            published=[r.point.rate for r in points], measured=[r.ours for r in points],
            marker="s" if code == "ldpc_cat" else "o",
        )  # fmt: skip
    ax.legend(fontsize=8, title="filled: qec (95%); hollow: authors", title_fontsize=8)
    ax.grid(True, which="major", alpha=0.3)
    fig.savefig(OUT / "reproduction.png", dpi=120, bbox_inches="tight")
    print(markdown(rows))


if __name__ == "__main__":
    main()
