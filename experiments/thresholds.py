"""Threshold sweeps, compared with the published values of `qec.literature.published`.

Runs the families of `qec.literature.threshold_families` and regenerates
results/thresholds/:

- NAME.csv: sinter's CSV of every family's sweep (`sinter plot` / `sinter combine` read
  it). Collection resumes from it: rerunning the script never counts a shot twice, and
  a family already at its stopping rules costs nothing.
- NAME.png: logical error rate against p (or the swept parameter), one line per size,
  Wilson bands, the finite-size-scaling threshold and its interval; two panels (per shot,
  per round) when the rounds grow with the distance.
- biased_eta.png: thresholds of the XZZX and CSS rotated codes against the bias eta.
- summary.json, summary.md: every estimate, and the published value it is compared with
  (`qec.literature.threshold_report`); the repetition cat code fitted as LR23 and GRLGS23
  fit it (`qec.literature.cat_report`); SI1000 memories against Gidney's public data
  (`qec.literature.published_si1000`, sampled into si1000_vs_gidney.csv).

Usage:
    python experiments/thresholds.py [--workers 2] [--only NAME ...] [--replot]

--replot re-estimates and re-plots from the CSV files without sampling.
"""

from __future__ import annotations

import argparse
import functools
import json
import pathlib
import sys
import time

import sinter
from matplotlib.figure import Figure

from qec import SI1000, MemoryExperiment, RotatedSurfaceCode, estimate
from qec.analysis import SweepPoint, ThresholdEstimate
from qec.literature import threshold_report as report
from qec.literature.cat_report import compare_with_papers
from qec.literature.published import CAT_NBARS, PUBLISHED, format_value
from qec.literature.published_si1000 import GIDNEY_SI1000_PYMATCHING, SOURCE, TOLERANCE
from qec.literature.threshold_families import ThresholdFamily, biased_names, threshold_families
from qec.plotting import axis_label, plot_threshold_panels, plot_threshold_vs_parameter
from qec.sampling.sweep import collect_sweep

OUT = pathlib.Path(__file__).resolve().parent.parent / "results" / "thresholds"
DECODER, BOOTSTRAP, SEED = "pymatching", 200, 2026
Estimates = dict[str, ThresholdEstimate | None]
CODES = {"xzzx": "XZZX surface code, X memory", "rotated": "CSS rotated surface code, X memory"}


say = functools.partial(print, file=sys.stderr, flush=True)


def points(family: ThresholdFamily, workers: int, replot: bool) -> list[SweepPoint]:
    """The family's points: sampled (resuming from its CSV), or read from its CSV."""
    path = OUT / f"{family.name}.csv"
    if not replot:
        return collect_sweep(
            family.sweep,
            max_shots=family.max_shots,
            max_errors=family.max_errors,
            num_workers=workers,
            decoder=DECODER,
            save=path,
            progress=f"  {family.name}",
        )
    stats = sinter.read_stats_from_csv_files(path) if path.exists() else []
    return family.sweep.points(stats, decoder=DECODER)


def plot_family(family: ThresholdFamily, found: list[SweepPoint], estimates: Estimates) -> None:
    """Per shot and, when the rounds grow with d, per round, with the published value."""
    sweep = family.sweep
    pers = ("shot", "round") if "d" in str(sweep.rounds) else ("shot",)
    published = PUBLISHED[family.published].value if family.published else None
    figure = Figure(figsize=(6.5 * len(pers), 5), layout="constrained")
    plot_threshold_panels(
        figure=figure,
        points=found,
        estimates={per: estimates[f"estimate_{per}"] for per in pers},
        sweep=sweep.sweep,
        rounds=str(sweep.rounds),
        xlabel=axis_label(sweep.sweep, sweep.noise),
        published=published,
        published_label=f"published {format_value(published)} (see summary.md)",
    )
    figure.suptitle(family.title or family.name, fontsize="medium")
    figure.savefig(OUT / f"{family.name}.png", dpi=130)


def plot_biased(shot: Estimates) -> None:
    """Per-shot thresholds of the biased-noise families against eta."""
    series = {
        label: [(eta, e) for eta, name in biased_names(code).items() if (e := shot.get(name))]
        for code, label in CODES.items()
    }
    figure = Figure(figsize=(7, 5), layout="constrained")
    ax = figure.add_subplot()
    plot_threshold_vs_parameter(
        ax=ax,
        series=series,
        parameter="bias eta = p_Z / (p_X + p_Y)",
        ylabel="threshold p_th (per shot, d rounds, d = 5, 7, 9)",
    )
    ax.set_yscale("log")
    ax.set_title("biased circuit-level noise (bias-preserving gates), MWPM", fontsize="medium")
    figure.savefig(OUT / "biased_eta.png", dpi=130)


def si1000_vs_gidney(workers: int, replot: bool) -> str:
    """Our SI1000 memories at Gidney's public points (d = 5, 9), as a markdown section;
    resumed from si1000_vs_gidney.csv (nothing is sampled once it holds enough)."""
    lines = [
        "## SI1000 against Gidney's public data",
        "",
        f"Per-round logical error rates at p = 1e-3, 4d rounds, plain PyMatching; theirs: "
        f"{SOURCE} (noiseless time boundaries). Verdict: the 95% intervals meet within a "
        f"factor {TOLERANCE:g}.",
        "",
        "| d | basis | ours per round | shots | theirs per round | ratio | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in GIDNEY_SI1000_PYMATCHING:
        if row.distance > 9:  # 2e-7 per round: beyond direct sampling here
            continue
        experiment = MemoryExperiment(
            code=RotatedSurfaceCode(distance=row.distance), noise=SI1000(p=row.p),
            rounds=row.rounds, basis=row.basis,
        )  # fmt: skip
        result = estimate(
            experiment, method="monte_carlo", max_shots=4_000_000, max_errors=1_000,
            save=OUT / "si1000_vs_gidney.csv", num_workers=workers, progress=not replot,
        )  # fmt: skip
        ours, theirs = result.per_round, row.per_round()
        lines.append(
            f"| {row.distance} | {row.basis} | {ours} | {result.shots:,} | {theirs} | "
            f"{ours.value / theirs.value:.2f} | "
            f"{'reproduced' if row.agrees(ours) else 'not reproduced'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=None, help="family names to run")
    parser.add_argument("--replot", action="store_true", help="no sampling: CSV -> PNG")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    reports = []
    cat_points: dict[int, list[SweepPoint]] = {}
    for family in threshold_families():  # families not run now are read from their CSV
        run = not args.only or family.name in args.only
        if not run and not (OUT / f"{family.name}.csv").exists():
            continue
        start = time.monotonic()
        say(f"{family.name}: {'sampling' if run and not args.replot else 'reading'}")
        found = points(family, args.workers, replot=args.replot or not run)
        if not found:
            continue
        if family.name.startswith("repetition_cat_nbar"):
            cat_points[int(family.sweep.fixed["nbar"])] = found
        estimates = report.reported_estimates(
            found,
            sweep=family.sweep.sweep,
            bootstrap=BOOTSTRAP,
            seed=SEED,
            note=lambda text: say(f"  {text}"),
        )
        reports.append(
            report.SweepReport(family.name, family.sweep.to_json(), estimates, family.published)
        )
        if run:
            plot_family(family, found, estimates)
        say(
            f"  per shot {estimates['estimate_shot']}, crossing {estimates['crossing_shot']}, "
            f"per round {estimates['estimate_round']}; {sum(p.shots for p in found):,} "
            f"shots, {time.monotonic() - start:.0f} s"
        )
    shot = {r.name: r.estimates["estimate_shot"] for r in reports}
    if any(name in shot for code in CODES for name in biased_names(code).values()):
        plot_biased(shot)
    trend = report.biased_trend(*([shot.get(n) for n in biased_names(c).values()] for c in CODES))
    summary = report.summary_markdown(reports, trend=trend, bootstrap=BOOTSTRAP, seed=SEED)
    if cat_points:
        cats = compare_with_papers({n: cat_points[n] for n in CAT_NBARS if n in cat_points})
        summary += "\n" + cats.markdown()
    summary += "\n" + si1000_vs_gidney(args.workers, replot=args.replot)
    (OUT / "summary.md").write_text(summary)
    (OUT / "summary.json").write_text(
        json.dumps(report.summary_json(reports, trend=trend), indent=1) + "\n"
    )
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
