"""The answer's grids: cat designs against surface baselines only, time per design,
a screen wide."""

from __future__ import annotations

import pytest

from qec.circuits import RepetitionCode, RotatedSurfaceCode
from qec.intervals import Interval
from qec.noise import SI1000, Cat
from qec.overhead.grids import ratio_grid, time_grid
from qec.overhead.rows import FootprintRow
from qec.overhead.table import TABLE_WIDTH, FootprintTable
from qec.overhead.timing import Clock, cycle_time


def test_the_ratio_grid_compares_cat_designs_with_surface_baselines_only(headline):
    table = headline
    grid = ratio_grid(table)
    assert max(len(line) for line in grid.splitlines()) <= TABLE_WIDTH
    pairs = [line.split("  ")[0] for line in grid.splitlines()[2:] if " / " in line]
    assert pairs and all(p.split(" / ")[0].startswith("surface (") for p in pairs)
    assert all("cat" in p.split(" / ")[1] for p in pairs)
    assert not any("biased" in p or "xzzx" in p for p in pairs)
    for ratio in table.cat_ratios():
        if ratio.interval is not None and ratio.target in (1e-3, 1e-6, 1e-9, 1e-11):
            assert f"{ratio.interval.value:.3g} [{ratio.interval.low:.3g}," in grid


def test_the_ratio_grid_wraps_every_target_into_blocks_a_screen_wide(headline):
    table = headline
    grid = ratio_grid(table, table.targets())
    assert max(len(line) for line in grid.splitlines()) <= TABLE_WIDTH
    for target in table.targets():
        assert f"{target:.0e}" in grid


def timed(design: str, noise: str, qubits: float, rate: float, cycle) -> FootprintRow:
    return FootprintRow(
        design=design, noise=noise, target=1e-6, qubit_rule="r", status="met",
        params={"distance": 9}, qubits=qubits, qubit_interval=Interval(qubits, qubits, qubits),
        per_round=Interval(rate, rate / 2, rate * 2), method="stratified", cycle=cycle,
    )  # fmt: skip


def test_the_time_grid_gives_rates_per_second_and_qubit_microseconds():
    cat = cycle_time(RepetitionCode(distance=9, check_basis="X"), Cat(nbar=8))
    transmon = cycle_time(RotatedSurfaceCode(distance=9), SI1000(p=1e-3), Clock())
    table = FootprintTable(
        rows=(
            timed("surface (SI1000)", "si1000:p=0.001", 161.0, 5e-7, transmon),
            timed("repetition_cat", "cat:nbar=8", 17.0, 4e-7, cat),
        )
    )
    grid = time_grid(table)
    assert max(len(line) for line in grid.splitlines()) <= TABLE_WIDTH
    [surface] = [line for line in grid.splitlines() if line.startswith("surface (SI1000)")]
    [cats] = [line for line in grid.splitlines() if line.startswith("repetition_cat")]
    # 5e-7 per round over a 1.1 us round; 161 qubits held 1.1 us each.
    for line, rate, seconds, qubits in ((surface, 5e-7, 1.1e-6, 161), (cats, 4e-7, 500e-9, 17)):
        # Per round [rate / 2, 2 rate] over the round; the count held a round, in us.
        per_second = [
            f"{rate / seconds:.1e}",
            f"{rate / 2 / seconds:.1e}",
            f"{2 * rate / seconds:.1e}",
        ]
        assert line.split()[-4:] == [
            per_second[0],
            f"[{per_second[1]},",
            f"{per_second[2]}]",
            f"{qubits * seconds * 1e6:.3g}",
        ]
    flat = " ".join(grid.split())
    assert "(LR23 p. 28)" in flat and "(Acharya et al. 2025)" in flat
    assert pytest.approx(table.rows[1].round_target) == 1e-6  # per round: the target itself


def test_the_ratio_grid_says_whether_a_baseline_or_a_met_cat_design_is_missing(headline):
    cats = FootprintTable(rows=tuple(r for r in headline.rows if "cat" in r.design))
    assert ratio_grid(cats).endswith("no surface baseline.")
    unmet = tuple(r for r in headline.rows if r.design in ("surface (SD6)", "ldpc_cat"))
    assert ratio_grid(FootprintTable(rows=unmet)).endswith("no cat design that meets a target.")


def test_every_committed_row_states_its_designs_round(headline):
    rounds = {r.design: {r.cycle.seconds} for r in headline.rows if r.cycle is not None}
    assert len(rounds) == len(headline.designs()), set(headline.designs()) - set(rounds)
    for row in headline.rows:  # one round per design, met or not
        assert rounds[row.design] == {row.cycle.seconds}
