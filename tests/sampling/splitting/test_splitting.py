"""Multilevel splitting: chains that sample the law they should, estimates whose 95%
intervals contain closed forms, direct sampling and stratified estimates, and runs that
resume from their rows.

Every estimate here is seeded. An interval that should contain a reference misses it
with probability about 5% for a random seed; the seeds were not chosen by outcome."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sinter
import stim
from scipy.stats import binom

from qec import Cat, CodeCapacity, Depolarizing, RepetitionCode, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.sampling import estimate
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.resumable import RunLedger
from qec.sampling.method import PrecisionNotReached, SetupOverBudget
from qec.sampling.monte_carlo.count import count_logical_errors
from qec.sampling.splitting import ladder as splitting_ladder
from qec.sampling.splitting import runs as splitting_runs
from qec.sampling.splitting.chains import FailureChains
from qec.sampling.splitting.ladder import (
    Ladder,
    UnitResult,
    log_partition,
    plan_ladder,
    run_unit,
    sample_failures,
)
from qec.sampling.splitting.runs import run_splitting
from qec.sampling.splitting.unit_rows import unfinished_row, unit_of_row, unit_row
from qec.sampling.stratified.sampler import estimate_stratified


def repetition_code_capacity(*, distance: int, p: float) -> stim.Circuit:
    return CodeCapacity(p=p).noisy_circuit(
        RepetitionCode(distance=distance).memory_circuit(rounds=1, basis="Z")
    )


def majority_failure(*, distance: int, p: float) -> float:
    """P(Binomial(d, p) >= (d + 1) / 2): matching decodes the majority."""
    return float(binom.sf((distance - 1) // 2, distance, p))


def split(
    circuit: stim.Circuit,
    *,
    seed: int,
    rel_precision: float = 0.2,
    workers: int = 1,
    lowest_scale: float = 1.0,
):
    _, result = run_splitting(
        circuit,
        strong_id="test",
        metadata={},
        path=None,
        rel_precision=rel_precision,
        max_seconds=None,
        seed=seed,
        workers=workers,
        lowest_scale=lowest_scale,
    )
    return result


def test_chains_sample_the_failing_configurations_with_their_conditional_law():
    # Repetition code d = 5 under code capacity: a configuration fails iff it flips >= 3
    # bits, so P_s(|E| = w | failure) is proportional to C(5, w) (s o)^w for w >= 3.
    problem = DecodingProblem(repetition_code_capacity(distance=5, p=0.05))
    scales = [8.0, 2.0, 1.0]
    chains = FailureChains(
        problem, scales=scales, starts=[np.array([0, 1, 2])] * 16, rng=np.random.default_rng(5)
    )
    histograms = chains.run(steps=4000, burn_in=500)[0]
    odds = 0.05 / 0.95
    for level, scale in enumerate(scales):
        exact = np.array([math.comb(5, w) * (scale * odds) ** w if w >= 3 else 0 for w in range(6)])
        exact /= exact.sum()
        seen = histograms[level, :6] / histograms[level].sum()
        # 16 ladders x 3500 correlated steps: a total variation of 0.03 is ~5 sd wide.
        assert 0.5 * np.abs(seen - exact).sum() < 0.03, (level, seen, exact)


def test_resampling_proposes_each_configuration_with_its_product_probability():
    # Five bits flipped with unequal probabilities. From E = {0, 1, 2} at scale s, a
    # resampling proposal keeps a fault of E with 1 - rho (1 - p_i(s)) and adds one
    # outside E with rho p_i(s), p_i(s) = s o_i / (1 + s o_i), all independently: the
    # product law under which the Metropolis-Hastings ratio is 1 on failures.
    probabilities = np.array([0.02, 0.05, 0.1, 0.2, 0.3])
    circuit = stim.Circuit()
    for qubit, p in enumerate(probabilities):
        circuit.append("X_ERROR", [qubit], p)
    circuit.append("M", range(5))
    for qubit in range(4):
        circuit.append("DETECTOR", [stim.target_rec(qubit - 5), stim.target_rec(qubit - 4)])
    circuit.append("OBSERVABLE_INCLUDE", [stim.target_rec(-5)], 0)
    problem = DecodingProblem(circuit)
    scale, rho, draws = 3.0, 0.4, 200_000
    start = np.array([0, 1, 2])
    chains = FailureChains(
        problem, scales=[scale], starts=[start], rng=np.random.default_rng(8), resample_fraction=rho
    )
    dropped, joined, syndromes, flips = chains._resampling(np.zeros(draws, dtype=np.int64))
    seen = np.zeros(32)
    for k in range(draws):
        configuration = np.concatenate([start[~dropped[k, :3]], joined[k]])
        seen[np.sum(2**configuration)] += 1
        if k < 50:  # the proposal's syndrome is that of its configuration
            expected = np.bitwise_xor.reduce(problem.detector_bits[configuration], initial=0)
            assert (syndromes[k] == expected).all()
    odds = scale * problem.sampler.odds
    in_start = np.isin(np.arange(5), start)
    fires = np.where(in_start, 1 - rho / (1 + odds), rho * odds / (1 + odds))
    exact = np.array(
        [np.prod(np.where([(n >> i) & 1 for i in range(5)], fires, 1 - fires)) for n in range(32)]
    )
    # 200,000 draws over 32 outcomes: the total variation's noise is about 0.005.
    assert 0.5 * np.abs(seen / draws - exact).sum() < 0.015


def test_exchanges_and_moves_keep_every_state_a_failure():
    problem = DecodingProblem(
        Depolarizing(p=0.0003).noisy_circuit(
            RotatedSurfaceCode(distance=3).memory_circuit(rounds=3, basis="Z")
        )
    )
    ladder = plan_ladder(problem)
    assert ladder.levels > 2
    _, found = sample_failures(problem, scale=ladder.scales[0], shots=40_000, seed=1)
    chains = FailureChains(
        problem, scales=ladder.scales, starts=found[:4], rng=np.random.default_rng(2)
    )
    chains.run(steps=300, burn_in=0)
    assert chains.exchanges > 0 and chains.accepted > 0
    for state in range(len(ladder.scales) * 4):
        configuration = chains._members[state, : chains._faults[state]]
        assert problem.failures(configuration[None, :]).tolist() == [True]
        # Moves undone together leave the bookkeeping of the configuration they restore.
        assert np.flatnonzero(chains._present[state]).tolist() == sorted(configuration.tolist())
        syndrome = np.bitwise_xor.reduce(problem.detector_bits[configuration], axis=0)
        assert (chains._syndromes[state] == syndrome).all()


def test_a_unit_whose_top_shots_all_succeed_still_runs_its_chains_and_counts_its_zero():
    # One top-level shot at a failure rate of ~6e-4 almost never fails: the unit's zero
    # enters the top rate, and its chains start from a weak-noise failure instead.
    problem = DecodingProblem(repetition_code_capacity(distance=5, p=0.01))
    ladder = Ladder(scales=(4.0, 2.0, 1.0), steps=60, ladders=2, top_shots=1, pilot_rate=6e-4)
    unit = run_unit(problem, ladder, seed=5)
    assert unit.top_failures == 0
    assert [len(group) for group in unit.histograms] == [3, 3]
    assert all(sum(level) == 30 for group in unit.histograms for level in group)


def test_the_top_level_is_the_lowest_scale_that_reaches_its_failure_rate(monkeypatch):
    # A failure rate of 1e-6 s^5 reaches TOP_LEVEL_RATE at s* = 500^(1/5) = 3.47: the walk
    # by sqrt 2 stops at 4 (rate 2x the goal), the bisections come down to s* 2^(<1/16).
    monkeypatch.setattr(
        splitting_ladder, "pilot_rate", lambda problem, *, scale, seed: 1e-6 * scale**5
    )
    problem = DecodingProblem(repetition_code_capacity(distance=5, p=0.01))
    top = plan_ladder(problem).scales[0]
    goal = (splitting_ladder.TOP_LEVEL_RATE / 1e-6) ** (1 / 5)
    assert goal <= top <= goal * 2 ** (1 / 16)


def test_splitting_reaches_the_closed_form_of_the_repetition_code_near_1e_15():
    distance, p = 19, 0.01
    exact = majority_failure(distance=distance, p=p)  # 9.1e-16
    result = split(repetition_code_capacity(distance=distance, p=p), seed=11)
    assert result.rate.low <= exact <= result.rate.high
    assert result.relative_precision <= 0.2
    assert exact < 1e-15


@pytest.mark.parametrize(("lowest", "seed"), [(1.0, 12), (0.25, 13)])
def test_the_curve_follows_the_closed_form_at_every_noise_scale_of_the_ladder(lowest, seed):
    # At scale s every bit flips with p(s) = s o / (1 + s o), o = p / (1 - p): the
    # majority's failure at p(s) is P_L(s). Each level's 95% interval is about 1.96 sd
    # wide in log P_L; twice that is 3.9 sd, exceeded with probability ~1e-4 per level,
    # below 1e-3 over a ladder's levels. Asked for scales down to 1/4 (p / 4: 1.0e-17
    # at d = 15), the ladder goes on below 1 and the rate stays the point at scale 1.
    distance, p = 15, 0.01
    result = split(repetition_code_capacity(distance=distance, p=p), seed=seed, lowest_scale=lowest)
    assert len(result.curve) == len(result.scales) > 2
    assert result.scales[-1] == lowest and result.rate == result.curve[result.scales.index(1.0)]
    odds = p / (1 - p)
    for scale, rate in zip(result.scales, result.curve, strict=True):
        exact = majority_failure(distance=distance, p=scale * odds / (1 + scale * odds))
        half_width = max(math.log(rate.high / rate.value), math.log(rate.value / rate.low))
        assert abs(math.log(rate.value / exact)) <= 2 * half_width, (scale, rate, exact)


def test_the_partition_function_is_that_of_the_scaled_odds():
    problem = DecodingProblem(repetition_code_capacity(distance=3, p=0.1))
    # Three mechanisms of odds 1/9, scaled by 3: Z = (1 + 1/3)^3.
    assert log_partition(problem, 3.0) == pytest.approx(3 * math.log(4 / 3))


def test_splitting_agrees_with_stratified_sampling_where_both_work():
    circuit = Depolarizing(p=1e-3).noisy_circuit(
        RotatedSurfaceCode(distance=5).memory_circuit(rounds=5, basis="Z")
    )
    stratified = estimate_stratified(circuit, rel_precision=0.1, seed=4)
    splitting = split(circuit, seed=4)
    assert splitting.rate.low <= stratified.high and stratified.low <= splitting.rate.high


def test_splitting_agrees_with_direct_sampling_on_the_repetition_cat_code():
    experiment = MemoryExperiment(
        code=RepetitionCode(distance=5), noise=Cat(nbar=4), rounds=5, basis="X"
    )
    circuit = experiment.circuit()
    shots = 400_000
    errors = count_logical_errors(circuit, shots=shots, seed=6)
    direct = sinter.fit_binomial(num_shots=shots, num_hits=errors, max_likelihood_factor=1e3)
    splitting = split(circuit, seed=6)
    assert errors >= 100
    assert splitting.rate.low <= direct.high and direct.low <= splitting.rate.high


def seeded_splitting(experiment, path, max_seconds, *, rel_precision=0.2):
    """`estimate` by splitting on one worker, seeded, saved to `path`: a run whose
    max_seconds (or rel_precision) stops it."""
    return estimate(
        experiment,
        method="splitting",
        rel_precision=rel_precision,
        max_seconds=max_seconds,
        save=path,
        seed=1,
        num_workers=1,
        progress=False,
    )


def test_a_splitting_run_resumes_from_its_rows_with_new_seeds(tmp_path):
    path = tmp_path / "split.csv"
    experiment = MemoryExperiment(
        code=RotatedSurfaceCode(distance=3), noise=Depolarizing(p=3e-4), rounds=3, basis="Z"
    )
    first = estimate(
        experiment,
        method="splitting",
        rel_precision=0.5,
        save=path,
        seed=1,
        num_workers=1,
        progress=False,
    )
    rows = sinter.read_stats_from_csv_files(path)
    assert all(r.shots == 0 and r.errors == 0 for r in rows)  # no counts for sinter plot
    assert len(rows) >= 4
    second = estimate(
        experiment,
        method="splitting",
        rel_precision=0.15,
        save=path,
        seed=1,
        num_workers=1,
        progress=False,
    )
    rows = sinter.read_stats_from_csv_files(path)
    seeds = [r.json_metadata["splitting"]["seed"] for r in rows]
    assert len(set(seeds)) == len(seeds) > 4
    assert second.counts.drawn == sum(r.json_metadata["splitting"]["decoded"] for r in rows)
    assert second.counts.drawn > first.counts.drawn
    assert second.shots == 0  # configurations decoded are not shots
    assert second.method == "splitting" and "independent units" in second.assumptions


def test_a_run_stopped_by_max_seconds_is_read_back_whole_by_a_rerun(tmp_path):
    # The units dropped unfinished at the deadline used to go unrecorded, so every rerun
    # of a check spent them again (the headline's reruns: minutes per design).
    path = tmp_path / "split.csv"
    experiment = MemoryExperiment(
        code=RotatedSurfaceCode(distance=5), noise=Depolarizing(p=1e-3), rounds=5, basis="Z"
    )

    def run():
        return seeded_splitting(experiment, path, 3.0, rel_precision=0.01)  # not reached

    first = run()
    assert first.shortfall == PrecisionNotReached(reached=first.shortfall.reached, asked=0.01)
    assert first.shortfall.reached > 0.01
    written = path.read_bytes()
    assert b"unfinished" in written
    second = run()
    assert path.read_bytes() == written
    assert second.per_shot == first.per_shot


def test_saved_units_are_read_back_even_when_the_setup_overruns_the_time(tmp_path):
    # A budget smaller than building the circuit: with nothing saved there is no
    # estimate (SetupOverBudget), but saved units are the estimate (a solver's read-back
    # of a large circuit whose models were not kept yet used to lose them).
    path = tmp_path / "split.csv"
    experiment = MemoryExperiment(
        code=RotatedSurfaceCode(distance=3), noise=Depolarizing(p=1e-3), rounds=3, basis="Z"
    )

    def run(seconds: float):
        return seeded_splitting(experiment, path, seconds)

    assert isinstance(run(1e-6).shortfall, SetupOverBudget)
    saved = run(3.0)
    written = path.read_bytes()
    back = run(1e-6)
    assert not isinstance(back.shortfall, SetupOverBudget)
    assert back.per_shot == saved.per_shot
    assert path.read_bytes() == written


def test_a_rerun_goes_on_with_the_saved_ladder_without_planning_again(tmp_path, monkeypatch):
    # Planning runs seeded pilots (about a minute for the headline's largest circuits);
    # a rerun with time left continues the ladder its saved units ran on.
    path = tmp_path / "split.csv"
    experiment = MemoryExperiment(
        code=RotatedSurfaceCode(distance=3), noise=Depolarizing(p=3e-4), rounds=3, basis="Z"
    )

    def run(seconds: float):
        return seeded_splitting(experiment, path, seconds, rel_precision=0.01)  # not reached

    first = run(3.0)

    def no_planning(problem):
        raise AssertionError("a rerun planned its ladder again")

    monkeypatch.setattr(splitting_runs, "plan_ladder", no_planning)
    second = run(10.0)
    assert second.counts.drawn > first.counts.drawn  # more units, pooled on the same ladder


def test_time_in_which_no_unit_finished_ties_a_rerun_to_no_ladder(tmp_path):
    # A check that finished no unit on an older plan (here a made-up one) plans afresh
    # when given time: no unit of that plan would be pooled. Its time still counts.
    path = tmp_path / "split.csv"
    circuit = repetition_code_capacity(distance=7, p=0.01)
    stale = Ladder(scales=(9.0, 1.0), steps=10, ladders=2, top_shots=10, pilot_rate=0.1)
    with path.open("w") as file:
        print(sinter.CSV_HEADER, file=file)
        print(
            unfinished_row(2.0, ladder=stale, strong_id="test", metadata={}).to_csv_line(),
            file=file,
        )

    def rerun(seconds: float):
        return run_splitting(
            circuit,
            strong_id="test",
            metadata={},
            path=path,
            rel_precision=0.3,
            max_seconds=seconds,
            seed=3,
            workers=1,
        )

    ladder, result = rerun(1.0)  # its time is spent: no planning, no estimate
    assert ladder.scales == stale.scales and result is None
    ladder, result = rerun(60.0)
    assert ladder == plan_ladder(DecodingProblem(circuit)) and result is not None


@pytest.mark.slow
def test_splitting_agrees_with_direct_sampling_on_the_surface_code_at_distance_7():
    circuit = Depolarizing(p=2e-3).noisy_circuit(
        RotatedSurfaceCode(distance=7).memory_circuit(rounds=7, basis="Z")
    )
    shots = 2_000_000
    errors = count_logical_errors(circuit, shots=shots, seed=7)
    direct = sinter.fit_binomial(num_shots=shots, num_hits=errors, max_likelihood_factor=1e3)
    splitting = split(circuit, seed=7, rel_precision=0.1, workers=2)
    assert splitting.rate.low <= direct.high and direct.low <= splitting.rate.high


@pytest.mark.slow
def test_the_splitting_interval_covers_the_closed_form_in_most_seeded_runs():
    # 20 runs with nominal 95% intervals: P(at most 15 cover) = 0.016 if the coverage
    # is really 95%.
    distance, p = 11, 0.02
    exact = majority_failure(distance=distance, p=p)
    circuit = repetition_code_capacity(distance=distance, p=p)
    covered = 0
    for seed in range(20):
        result = split(circuit, seed=100 + seed, rel_precision=0.3)
        covered += result.rate.low <= exact <= result.rate.high
    assert binom.cdf(15, 20, 0.95) < 0.02
    assert covered >= 16


def test_a_units_row_stays_within_sinters_field_limit_and_reads_back_whole(tmp_path):
    # A strong level's chains hold hundreds of faults: 5,000 leading zeros per level made
    # rows of 170 kB that neither sinter's reader nor `sinter plot` accepts (limit 131,072).
    histogram = (0,) * 5000 + (3, 10, 4)
    unit = UnitResult(
        seed=7,
        top_shots=100,
        top_failures=5,
        histograms=((histogram,) * 20, (histogram[4000:],) * 20),
        decoded=10_000,
        seconds=1.5,
    )
    ladder = Ladder(scales=(4.0, 2.0, 1.0), steps=400, ladders=2, top_shots=100, pilot_rate=0.1)
    row = unit_row(unit, ladder=ladder, strong_id="s", metadata={"code": "x"})
    path = tmp_path / "rows.csv"
    path.write_text(sinter.CSV_HEADER + "\n" + row.to_csv_line() + "\n")
    assert len(row.to_csv_line()) < 10_000
    (read,) = sinter.read_stats_from_csv_files(path)
    assert unit_of_row(read) == dataclasses.replace(unit, seconds=read.seconds)


@pytest.mark.parametrize(("unit_seconds", "done"), [(30.0, True), (1.0, False)])
def test_no_unit_starts_that_the_time_left_cannot_see_through(unit_seconds, done):
    # 10 s left: a unit that takes 30 s would be dropped at the deadline, its time lost.
    ledger = RunLedger.start(None, belongs=lambda row: False, max_seconds=10.0)
    unit = UnitResult(
        seed=0,
        top_shots=100,
        top_failures=5,
        histograms=((), ()),
        decoded=100,
        seconds=unit_seconds,
    )
    run = splitting_runs._Run(
        ledger=ledger,
        ladder=Ladder(scales=(1.0,), steps=0, ladders=2, top_shots=100, pilot_rate=0.05),
        level_ratios=[],
        units=[unit],
        strong_id="test",
        metadata={},
        decoder="pymatching",
        rel_precision=1e-9,
        progress=None,
    )
    assert run.done() == done
