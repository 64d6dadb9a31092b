"""The Ocelot circuit against Putterman et al. (Nature 638, 927 (2025)).

Samples the phase-flip repetition code of cat data qubits with transmon ancillas
(`qec.noise.Ocelot`) at d = 3 and 5 over a range of nbar, both memories (phase flips:
basis X; bit flips: basis Z) with the data's preparation and readout left out, and
compares the logical error per cycle with the chip's (`qec.literature.ocelot_report`).
Twice: with theory's bit-flip growth exp(-2 nbar) (the model's default) and with the
slower growth a third party fitted to the paper's public data (2.25 per photon).

Writes results/ocelot/: ocelot.csv (sinter's CSV, resumable), summary.md, ocelot.png.

Usage:
    python experiments/ocelot.py [--workers 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import pathlib

from matplotlib.figure import Figure

from qec import estimate
from qec.literature.ocelot_report import (
    PUTTERMAN_2025,
    CycleErrors,
    cycle_errors,
    markdown,
    ocelot_experiments,
)
from qec.noise import Ocelot

OUT = pathlib.Path(__file__).resolve().parent.parent / "results" / "ocelot"
NBARS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
DISTANCES = (3, 5)
BIT_FLIP_GROWTHS = {
    "theory: exp(-2 nbar) (default)": 2.0,
    "measured by a third party: 2.25 per photon": math.log(2.25),
}


def scan(model: Ocelot, workers: int) -> list[CycleErrors]:
    rows = []
    for distance in DISTANCES:
        rounds = 3 * distance
        for nbar in NBARS:
            at = dataclasses.replace(model, nbar=nbar)
            counts = {}
            for part, experiment in ocelot_experiments(at, distance, rounds).items():
                result = estimate(
                    experiment, method="monte_carlo", max_shots=1_000_000, max_errors=4_000,
                    save=OUT / "ocelot.csv", num_workers=workers,
                )  # fmt: skip
                counts[part] = (result.errors, result.shots)
            rows.append(cycle_errors(at, distance, rounds=rounds, counts=counts))
    return rows


def plot(scans: dict[str, list[CycleErrors]]) -> None:
    figure = Figure(figsize=(10, 4.2))
    axes = figure.subplots(1, len(scans), sharey=True)
    for ax, (label, rows) in zip(axes, scans.items(), strict=True):
        for distance, colour in zip(DISTANCES, ("tab:blue", "tab:red"), strict=True):
            mine = [r for r in rows if r.distance == distance]
            nbars = [r.nbar for r in mine]
            for part, style in (("mean", "-"), ("phase", ":"), ("bit", "--")):
                values = [getattr(r, part) for r in mine]
                ax.plot(nbars, [v.value for v in values], style, color=colour,
                        label=f"d={distance} {part}")  # fmt: skip
                ax.fill_between(nbars, [v.low for v in values], [v.high for v in values],
                                color=colour, alpha=0.15)  # fmt: skip
        for measured, colour in zip(PUTTERMAN_2025, ("tab:blue", "tab:red"), strict=True):
            ax.errorbar([measured.nbar], [measured.per_cycle], yerr=[2 * measured.sigma],
                        fmt="*", ms=12, color=colour,
                        label=f"Putterman et al. d={measured.distance}")  # fmt: skip
        ax.set_yscale("log")
        ax.set_xlabel("nbar")
        ax.set_title(f"bit-flip growth: {label}", fontsize=9)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("logical error per cycle (95% bands)")
    axes[0].legend(fontsize=7)
    figure.suptitle("Ocelot circuit (cat data, transmon ancillas): ours vs the chip")
    figure.tight_layout()
    figure.savefig(OUT / "ocelot.png", dpi=130)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    scans = {}
    sections = ["# The Ocelot circuit against Putterman et al. (2025)", ""]
    for label, growth in BIT_FLIP_GROWTHS.items():
        model = Ocelot(cat_x_exponent=growth)
        scans[label] = rows = scan(model, args.workers)
        sections += [f"## Bit-flip growth: {label}", "", markdown(rows, model=model), ""]
    (OUT / "summary.md").write_text("\n".join(sections))
    plot(scans)


if __name__ == "__main__":
    main()
