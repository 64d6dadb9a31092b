"""Fault-count stratified sampling: exact P(W = w), an exact conditional sampler, and
intervals that contain the truth (closed forms, brute force, direct Monte Carlo)."""

from __future__ import annotations

import itertools
import math
import pathlib
from fractions import Fraction
from typing import Any

import numpy as np
import pymatching
import pytest
import sinter
import stim
from scipy.stats import binom, binomtest, chisquare

from qec.circuits import RepetitionCode, RotatedSurfaceCode
from qec.errors import QecError
from qec.noise import Cat, CodeCapacity, Depolarizing, Phenomenological
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.fault_sets import FaultSetSampler, fault_count_distribution
from qec.sampling.stratified.estimate import (
    StratifiedEstimate,
    Stratum,
    reweight,
    stratum_counts,
    stratum_row,
)
from qec.sampling.stratified.sampler import estimate_stratified
from qec.sampling.stratified.strata import Strata


def repetition_code_capacity(*, distance: int, p: float) -> stim.Circuit:
    return CodeCapacity(p=p).noisy_circuit(
        RepetitionCode(distance=distance).memory_circuit(rounds=1, basis="Z")
    )


def majority_failure(*, distance: int, p: float) -> float:
    """P(Binomial(d, p) >= (d + 1) / 2): matching decodes the majority."""
    return float(binom.sf((distance - 1) // 2, distance, p))


def rational_probabilities(seed: int, n: int, high: int) -> list[Fraction]:
    """n probabilities k / 10^6 with 1 <= k <= high: exact as fractions, with small
    denominators so that exact arithmetic stays fast."""
    ks = np.random.default_rng(seed).integers(1, high, size=n, endpoint=True)
    return [Fraction(int(k), 10**6) for k in ks]


def exact_poisson_binomial(probabilities: list[Fraction], max_faults: int) -> list[Fraction]:
    """P(W = w) in exact rational arithmetic."""
    dist = [Fraction(1)] + [Fraction(0)] * max_faults
    for p in probabilities:
        for w in range(max_faults, 0, -1):
            dist[w] = dist[w] * (1 - p) + dist[w - 1] * p
        dist[0] *= 1 - p
    return dist


def brute_force_logical_error_rate(circuit: stim.Circuit) -> float:
    """p_L by decoding every subset of the detector error model's mechanisms, weighted by
    its probability: independent of the stratification code. Only for ~20 mechanisms."""
    dem = circuit.detector_error_model(decompose_errors=True)
    probabilities, detectors, observables = [], [], []
    for instruction in dem.flattened():
        if instruction.type == "error":
            dets = np.zeros(dem.num_detectors, dtype=np.uint8)
            obs = np.zeros(dem.num_observables, dtype=np.uint8)
            for t in instruction.targets_copy():
                if t.is_relative_detector_id():
                    dets[t.val] ^= 1
                elif t.is_logical_observable_id():
                    obs[t.val] ^= 1
            probabilities.append(instruction.args_copy()[0])
            detectors.append(dets)
            observables.append(obs)
    n = len(probabilities)
    assert n <= 20
    masks = (np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1
    syndromes = (masks @ np.array(detectors, dtype=np.int64)) % 2
    flips = (masks @ np.array(observables, dtype=np.int64)) % 2
    matching = pymatching.Matching.from_detector_error_model(dem)
    predictions = matching.decode_batch(syndromes.astype(np.uint8))
    failed = np.any(predictions != flips, axis=1)
    p = np.array(probabilities)
    log_weight = masks @ np.log(p) + (1 - masks) @ np.log1p(-p)
    return math.fsum(np.exp(log_weight[failed]))


def direct_monte_carlo(circuit: stim.Circuit, *, shots: int, seed: int) -> tuple[int, float, float]:
    """(errors, Wilson 95% low, high) from stim's sampler and PyMatching."""
    matching = pymatching.Matching.from_detector_error_model(
        circuit.detector_error_model(decompose_errors=True)
    )
    detections, flips = circuit.compile_detector_sampler(seed=seed).sample(
        shots, separate_observables=True, bit_packed=True
    )
    predictions = matching.decode_batch(
        detections, bit_packed_shots=True, bit_packed_predictions=True
    )
    errors = int(np.count_nonzero(np.any(predictions != flips, axis=1)))
    ci = binomtest(errors, shots).proportion_ci(confidence_level=0.95, method="wilson")
    return errors, float(ci.low), float(ci.high)


# --- P(W = w) ---------------------------------------------------------------------------


def test_fault_count_distribution_is_the_binomial_for_equal_probabilities() -> None:
    n, p, max_faults = 200, 0.01, 60
    got = fault_count_distribution([p] * n, max_faults=max_faults)
    exact = exact_poisson_binomial([Fraction(1, 100)] * n, max_faults)
    for w in range(max_faults + 1):  # down to ~1e-80, still to 1e-10 relative
        assert got[w] == pytest.approx(float(exact[w]), rel=1e-10), w
    np.testing.assert_allclose(got[:10], binom.pmf(np.arange(10), n, p), rtol=1e-10)
    full = fault_count_distribution([p] * 30, max_faults=30)
    assert math.fsum(full) == pytest.approx(1.0, abs=1e-14)


def test_fault_count_distribution_matches_brute_force_for_unequal_probabilities() -> None:
    p = np.random.default_rng(5).uniform(1e-4, 0.3, size=10)
    brute = np.zeros(11)
    for subset in itertools.product([0, 1], repeat=10):
        s = np.array(subset)
        brute[s.sum()] += np.prod(np.where(s == 1, p, 1 - p))
    got = fault_count_distribution(p, max_faults=10)
    np.testing.assert_allclose(got, brute, rtol=1e-12)
    assert math.fsum(got) == pytest.approx(1.0, abs=1e-14)


def test_fault_count_distribution_is_accurate_in_the_far_tail_without_underflow() -> None:
    p = rational_probabilities(seed=2, n=300, high=5000)  # 1e-6 .. 5e-3
    exact = exact_poisson_binomial(p, 40)
    got = fault_count_distribution(map(float, p), max_faults=40)
    assert float(exact[40]) < 1e-50
    for w in (1, 10, 25, 40):
        assert got[w] == pytest.approx(float(exact[w]), rel=1e-10), w


def test_tail_bound_holds_and_is_tight_past_the_mode() -> None:
    p = rational_probabilities(seed=3, n=500, high=5000)
    exact = exact_poisson_binomial(p, 30)
    sampler = FaultSetSampler(probabilities=map(float, p))
    for k in (3, 8, 15, 25):
        true_tail = float(1 - sum(exact[: k + 1]))
        bound = sampler.tail_probability(max_faults=k)
        assert true_tail <= bound <= 1.5 * true_tail + 1e-12, k
    assert FaultSetSampler(probabilities=[0.1] * 5).tail_probability(max_faults=5) == 0.0


# --- the conditional sampler --------------------------------------------------------------

UNEQUAL = [0.3, 0.1, 0.02, 0.2, 0.005, 0.45, 0.05]


def subset_frequencies(sets: np.ndarray, n: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Observed counts and exact probabilities prod(odds) / e_w(odds) of each w-subset."""
    odds = np.array(UNEQUAL) / (1 - np.array(UNEQUAL))
    subsets = list(itertools.combinations(range(n), w))
    expected = np.array([np.prod(odds[list(s)]) for s in subsets])
    expected /= expected.sum()
    index = {s: i for i, s in enumerate(subsets)}
    observed = np.zeros(len(subsets))
    for row in map(tuple, np.sort(sets, axis=1)):
        observed[index[row]] += 1
    return observed, expected


@pytest.mark.parametrize("w", [1, 2, 3, 5])
def test_conditional_sampler_draws_each_subset_with_probability_prod_odds_over_e_w(
    w: int,
) -> None:
    # Chi-square goodness of fit; an exact sampler fails it with probability 1e-3 for a
    # random seed (the seed is fixed, so the test is deterministic).
    n, shots = len(UNEQUAL), 100_000
    sets = FaultSetSampler(probabilities=UNEQUAL).sample(
        faults=w, shots=shots, rng=np.random.default_rng(11 + w)
    )
    assert sets.shape == (shots, w)
    assert np.all(np.diff(sets, axis=1) > 0)  # w distinct mechanisms, increasing
    observed, expected = subset_frequencies(sets, n, w)
    assert chisquare(observed, expected * shots).pvalue > 1e-3


def test_conditional_sampler_has_exact_inclusion_probabilities_for_many_mechanisms() -> None:
    # 300 mechanisms with p from 1e-6 to 0.2: P(i in S | |S| = w) = o_i e_{w-1}(o without
    # i) / e_w(o). Each count is within 4.5 binomial sigmas unless something is wrong
    # (false-failure probability < 300 * 7e-6 ~ 2e-3 for a random seed).
    p = np.exp(np.random.default_rng(6).uniform(np.log(1e-6), np.log(0.2), size=300))
    odds = p / (1 - p)
    w, shots = 6, 200_000

    def elementary(values: np.ndarray) -> np.ndarray:
        e = np.zeros(w + 1)
        e[0] = 1.0
        for v in values:
            e[1:] = e[1:] + v * e[:-1]
        return e

    e_w = elementary(odds)[w]
    inclusion = np.array(
        [odds[i] * elementary(np.delete(odds, i))[w - 1] / e_w for i in range(len(p))]
    )
    assert inclusion.sum() == pytest.approx(w)
    sets = FaultSetSampler(probabilities=p).sample(
        faults=w, shots=shots, rng=np.random.default_rng(7)
    )
    counts = np.bincount(sets.ravel(), minlength=len(p))
    sigma = np.sqrt(shots * inclusion * (1 - inclusion))
    assert np.all(np.abs(counts - shots * inclusion) <= 4.5 * sigma + 1)


def test_chi_square_check_rejects_weighted_sampling_without_replacement() -> None:
    # The same check has the power to see the bias of the naive sampler: successive
    # draws with probabilities proportional to the odds (Gumbel top-w, the law of
    # rng.choice(n, size=w, replace=False, p=odds / odds.sum())).
    n, w, shots = len(UNEQUAL), 3, 100_000
    rng = np.random.default_rng(1)
    odds = np.array(UNEQUAL) / (1 - np.array(UNEQUAL))
    keys = np.log(odds) + rng.gumbel(size=(shots, n))
    sets = np.argsort(-keys, axis=1)[:, :w]
    observed, expected = subset_frequencies(sets, n, w)
    assert chisquare(observed, expected * shots).pvalue < 1e-9


# --- against exact answers ----------------------------------------------------------------


def test_matches_closed_form_near_1e_minus_11_by_enumeration() -> None:
    distance, p = 13, 0.01  # 13 mechanisms: every stratum has <= 1716 fault sets
    truth = majority_failure(distance=distance, p=p)
    assert 1e-11 < truth < 2e-11
    result = estimate_stratified(repetition_code_capacity(distance=distance, p=p))
    assert all(s.enumerated for s in result.strata)
    assert result.rate == pytest.approx(truth, rel=1e-12)
    assert result.low <= truth <= result.high
    assert result.relative_precision < 1e-8


def test_sampled_interval_contains_closed_form_near_1e_minus_11() -> None:
    # Strata with <= 1000 fault sets (w <= 4) are exact; w = 5, 6, 7, ... are sampled,
    # so the estimate rests on sampled strata of probability ~1e-7 down to ~1e-11.
    distance, p = 13, 0.01
    truth = majority_failure(distance=distance, p=p)
    result = estimate_stratified(
        repetition_code_capacity(distance=distance, p=p),
        max_enumerate=1000,
        seed=3,
        certify=False,
    )
    sampled = [s.faults for s in result.strata if not s.enumerated]
    assert {5, 6, 7} <= set(sampled)
    assert result.low <= truth <= result.high
    assert result.relative_precision <= 0.2


@pytest.mark.parametrize(
    "circuit",
    [
        Depolarizing(p=0.003).noisy_circuit(
            RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z")
        ),
        Phenomenological(p=0.01).noisy_circuit(
            RepetitionCode(distance=5).memory_circuit(rounds=2, basis="Z")
        ),
        CodeCapacity(p=0.02).noisy_circuit(
            RotatedSurfaceCode(distance=3).memory_circuit(rounds=1, basis="Z")
        ),
    ],
    ids=["repetition-depolarizing", "repetition-phenomenological", "surface-code-capacity"],
)
def test_enumerated_and_sampled_estimates_agree_with_brute_force(circuit: stim.Circuit) -> None:
    truth = brute_force_logical_error_rate(circuit)
    exact = estimate_stratified(circuit, max_enumerate=10**6)
    assert exact.rate == pytest.approx(truth, rel=1e-9)
    sampled = estimate_stratified(circuit, max_enumerate=0, seed=4)
    assert sampled.low <= truth <= sampled.high
    assert sampled.relative_precision <= 0.2


@pytest.mark.parametrize(
    "circuit",
    [
        Depolarizing(p=0.01).noisy_circuit(
            RepetitionCode(distance=5).memory_circuit(rounds=5, basis="Z")
        ),
        Depolarizing(p=0.002).noisy_circuit(
            RotatedSurfaceCode(distance=3).memory_circuit(rounds=3, basis="Z")
        ),
    ],
    ids=["repetition-d5-r5", "surface-d3-r3"],
)
@pytest.mark.parametrize("max_enumerate", [0, 100_000])
def test_interval_overlaps_direct_monte_carlo(circuit: stim.Circuit, max_enumerate: int) -> None:
    errors, mc_low, mc_high = direct_monte_carlo(circuit, shots=400_000, seed=5)
    assert 300 < errors < 2000  # p_L ~ 1e-3
    result = estimate_stratified(circuit, rel_precision=0.1, max_enumerate=max_enumerate, seed=6)
    assert result.low <= mc_high and mc_low <= result.high


@pytest.mark.slow
@pytest.mark.parametrize(
    "circuit",
    [
        repetition_code_capacity(distance=5, p=0.05),
        Depolarizing(p=0.003).noisy_circuit(
            RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z")
        ),
        Phenomenological(p=0.01).noisy_circuit(
            RepetitionCode(distance=5).memory_circuit(rounds=2, basis="Z")
        ),
    ],
    ids=["repetition-code-capacity", "repetition-depolarizing", "repetition-phenomenological"],
)
def test_interval_covers_the_truth_in_at_least_90_percent_of_runs(circuit: stim.Circuit) -> None:
    # 200 seeded runs, all strata sampled. With true coverage 95%, fewer than 180 hits
    # has probability binom.cdf(179, 200, 0.95) ~ 1e-3 (the false-failure probability
    # were the seeds random).
    truth = brute_force_logical_error_rate(circuit)
    covered = 0
    for seed in range(200):
        result = estimate_stratified(circuit, max_enumerate=0, seed=seed)
        covered += result.low <= truth <= result.high
    assert covered >= 180


# --- sinter rows, resuming and re-weighting -----------------------------------------------


def sampled_rows(
    result: StratifiedEstimate, *, strong_id: str, json_metadata: dict[str, Any]
) -> list[sinter.TaskStats]:
    """The rows a run appends for `result`: one per sampled stratum (`stratum_row`)."""
    return [
        stratum_row(
            strong_id,
            json_metadata,
            faults=s.faults,
            fault_sets=s.samples,
            failing=s.failures,
            seconds=s.seconds,
            decoder="pymatching",
        )
        for s in result.strata
        if not s.enumerated and s.samples > 0
    ]


SURFACE = Depolarizing(p=0.002).noisy_circuit(
    RotatedSurfaceCode(distance=3).memory_circuit(rounds=3, basis="Z")
)


def test_sinter_rows_round_trip_through_a_csv_file(tmp_path: pathlib.Path) -> None:
    result = estimate_stratified(SURFACE, max_enumerate=0, seed=8)
    task = sinter.Task(
        circuit=SURFACE,
        detector_error_model=SURFACE.detector_error_model(decompose_errors=True),
        decoder="pymatching",
        json_metadata={"d": 3},
    )
    rows = sampled_rows(result, strong_id=task.strong_id(), json_metadata={"d": 3})
    assert [r.json_metadata for r in rows] == [
        {"d": 3, "stratum": s.faults} for s in result.strata if s.samples
    ]
    assert len({r.strong_id for r in rows}) == len(rows)  # as sinter requires
    assert [stratum_counts(r) for r in rows] == [
        (s.samples, s.failures) for s in result.strata if not s.enumerated and s.samples
    ]
    path = tmp_path / "stats.csv"
    path.write_text(sinter.CSV_HEADER + "\n" + "".join(r.to_csv_line() + "\n" for r in rows))
    rebuilt = StratifiedEstimate.from_task_stats(
        sinter.read_stats_from_csv_files(path), circuit=SURFACE, max_enumerate=0
    )
    assert rebuilt.rate == pytest.approx(result.rate, rel=1e-12)
    assert (rebuilt.low, rebuilt.high) == pytest.approx((result.low, result.high), rel=1e-12)
    assert [(s.faults, s.samples, s.failures) for s in rebuilt.strata] == [
        (s.faults, s.samples, s.failures) for s in result.strata
    ]


def test_rows_of_two_runs_merge_into_one_estimate() -> None:
    first = estimate_stratified(SURFACE, max_enumerate=0, max_samples=3000, seed=1)
    second = estimate_stratified(SURFACE, max_enumerate=0, max_samples=3000, seed=2)
    rows = [
        row
        for result in (first, second)
        for row in sampled_rows(result, strong_id="s", json_metadata={})
    ]
    merged = StratifiedEstimate.from_task_stats(rows, circuit=SURFACE, max_enumerate=0)
    assert merged.samples == first.samples + second.samples == 6000
    assert merged.failures == first.failures + second.failures
    assert merged.high - merged.low < first.high - first.low


def test_resume_adds_new_samples_to_the_earlier_counts() -> None:
    first = estimate_stratified(SURFACE, max_enumerate=0, max_samples=2000, seed=1)
    resumed = estimate_stratified(
        SURFACE, rel_precision=0.01, max_enumerate=0, max_samples=3000, seed=1, resume=first
    )
    assert first.samples == 2000 and resumed.samples == 5000
    before = {s.faults: s.samples for s in first.strata}
    assert all(s.samples >= before.get(s.faults, 0) for s in resumed.strata)


def test_resume_with_reuse_exact_keeps_the_enumerated_strata_without_decoding_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = estimate_stratified(SURFACE, max_samples=2000, seed=1, certify=False)
    enumerated = [s for s in first.strata if s.enumerated]
    assert enumerated
    decoded: list[int] = []
    original = Strata.enumerate

    def counting(self: Strata, w: int) -> None:
        decoded.append(w)
        original(self, w)

    monkeypatch.setattr(Strata, "enumerate", counting)
    resumed = estimate_stratified(
        SURFACE, max_samples=1000, seed=1, certify=False, resume=first, reuse_exact=True
    )
    assert not set(decoded) & {s.faults for s in enumerated}
    kept = {s.faults: s.exact_failure_rate for s in resumed.strata if s.enumerated}
    assert kept.items() >= {s.faults: s.exact_failure_rate for s in enumerated}.items()
    again = estimate_stratified(SURFACE, max_samples=1000, seed=1, certify=False, resume=first)
    assert {s.faults for s in enumerated} <= set(decoded)  # without reuse_exact: decoded
    assert again.rate == pytest.approx(resumed.rate)


def test_reweight_to_another_noise_strength_matches_the_exact_answer() -> None:
    # Code capacity with one p: all odds scale together, so re-weighting is exact.
    def circuit(p: float) -> stim.Circuit:
        return CodeCapacity(p=p).noisy_circuit(
            RotatedSurfaceCode(distance=3).memory_circuit(rounds=1, basis="Z")
        )

    result = estimate_stratified(
        circuit(0.05), rel_precision=0.05, max_enumerate=0, seed=9, certify=False
    )
    moved = reweight(result, circuit=circuit(0.01), certify=False)
    truth = brute_force_logical_error_rate(circuit(0.01))
    assert moved.low <= truth <= moved.high
    assert [s.samples for s in moved.strata] == [s.samples for s in result.strata]
    assert moved.rate < result.rate / 10


def test_reweight_rejects_a_circuit_with_other_mechanisms() -> None:
    result = estimate_stratified(SURFACE, max_samples=1000, seed=1)
    other = Depolarizing(p=0.002).noisy_circuit(
        RepetitionCode(distance=3).memory_circuit(rounds=3, basis="Z")
    )
    with pytest.raises(QecError, match="circuit="):
        reweight(result, circuit=other)


# --- behaviour ----------------------------------------------------------------------------


def test_same_seed_gives_the_same_estimate() -> None:
    a = estimate_stratified(SURFACE, max_enumerate=0, max_samples=5000, seed=12)
    b = estimate_stratified(SURFACE, max_enumerate=0, max_samples=5000, seed=12)
    assert dataclasses_equal_except_time(a, b)


def dataclasses_equal_except_time(a: StratifiedEstimate, b: StratifiedEstimate) -> bool:
    def counts(e: StratifiedEstimate) -> list[tuple[int, int, int]]:
        return [(s.faults, s.samples, s.failures) for s in e.strata]

    return (a.rate, a.low, a.high, counts(a)) == (b.rate, b.low, b.high, counts(b))


def test_stops_at_max_samples_and_at_max_seconds() -> None:
    circuit = repetition_code_capacity(distance=13, p=0.01)  # far from 20% without enumeration
    by_samples = estimate_stratified(
        circuit, max_enumerate=0, max_samples=12_345, seed=1, certify=False
    )
    assert by_samples.samples == 12_345
    assert by_samples.relative_precision > 0.2
    by_time = estimate_stratified(circuit, max_enumerate=0, max_seconds=0.5, seed=1, certify=False)
    assert 0.5 <= by_time.seconds < 2.0
    assert by_time.low <= majority_failure(distance=13, p=0.01) <= by_time.high


def test_progress_reports_samples_failures_and_interval() -> None:
    lines: list[str] = []
    estimate_stratified(
        repetition_code_capacity(distance=13, p=0.01),
        max_enumerate=0,
        max_seconds=1.6,
        seed=1,
        certify=False,
        progress=lines.append,
    )
    assert len(lines) >= 1
    assert "samples" in lines[0] and "failures" in lines[0] and "p_L" in lines[0]


def test_strata_report_probabilities_counts_and_tail() -> None:
    result = estimate_stratified(SURFACE, seed=1)
    assert [s.faults for s in result.strata] == list(range(1, result.max_faults + 1))
    assert result.strata[0].enumerated and result.strata[0].failure_rate == 0.0
    assert all(0 < s.probability < 1 for s in result.strata)
    assert 0 < result.tail_probability < 0.1 * 0.2 * result.high
    assert result.samples == sum(s.samples for s in result.strata if not s.enumerated)
    assert "p_L" in str(result)
    names = {"StratifiedEstimate": StratifiedEstimate, "Stratum": Stratum}
    assert eval(repr(result), names) == result


def test_a_circuit_whose_observable_never_flips_has_rate_zero() -> None:
    circuit = stim.Circuit("""
        X_ERROR(0.1) 0
        M 0
        DETECTOR rec[-1]
        M 1
        OBSERVABLE_INCLUDE(0) rec[-1]
    """)
    result = estimate_stratified(circuit)
    assert (result.rate, result.low, result.high) == (0.0, 0.0, 0.0)


# --- bad arguments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"rel_precision": 0}, "rel_precision"),
        ({"rel_precision": -0.1}, "rel_precision"),
        ({"rel_precision": 1.5}, "rel_precision"),
        ({"rel_precision": "0.2"}, "rel_precision"),
        ({"max_seconds": 0}, "max_seconds"),
        ({"max_seconds": True}, "max_seconds"),
        ({"max_samples": 0}, "max_samples"),
        ({"max_samples": 10.5}, "max_samples"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"progress": "stderr"}, "progress"),
        ({"max_enumerate": -1}, "max_enumerate"),
        ({"resume": 3}, "resume"),
    ],
)
def test_bad_arguments_raise_qec_error_naming_the_parameter(
    kwargs: dict[str, Any], parameter: str
) -> None:
    with pytest.raises(QecError, match=f"^{parameter}="):
        estimate_stratified(SURFACE, **kwargs)


def test_bad_circuits_raise_qec_error() -> None:
    with pytest.raises(QecError, match="^circuit="):
        estimate_stratified("not a circuit")  # type: ignore[arg-type]
    with pytest.raises(QecError, match="^circuit=.*OBSERVABLE_INCLUDE"):
        estimate_stratified(stim.Circuit("X_ERROR(0.1) 0\nM 0\nDETECTOR rec[-1]"))


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1])
def test_fault_set_sampler_rejects_probabilities_outside_0_1(p: float) -> None:
    with pytest.raises(QecError, match="^probabilities="):
        FaultSetSampler(probabilities=[0.1, p])


def test_rows_without_a_stratum_raise_qec_error() -> None:
    row = sinter.TaskStats(
        strong_id="x", decoder="pymatching", json_metadata={"d": 3}, shots=10, errors=0
    )
    with pytest.raises(QecError, match="^stats=.*'stratum'"):
        StratifiedEstimate.from_task_stats([row], circuit=SURFACE)


def test_resume_from_another_circuit_raises_qec_error() -> None:
    other = estimate_stratified(repetition_code_capacity(distance=5, p=0.05), seed=1)
    with pytest.raises(QecError, match="^resume="):
        estimate_stratified(SURFACE, resume=other)


@pytest.mark.parametrize(
    "circuit",
    [
        Cat(nbar=8, k1_k2=2e-5, t_cx=10).noisy_circuit(
            RepetitionCode(distance=9).memory_circuit(rounds=9, basis="X")
        ),
        Phenomenological(p=0.01).noisy_circuit(
            RotatedSurfaceCode(distance=5).memory_circuit(rounds=3, basis="Z")
        ),
        CodeCapacity(p=0.01).noisy_circuit(
            RotatedSurfaceCode(distance=7).memory_circuit(rounds=1, basis="X")
        ),
    ],
)
def test_certified_strata_really_never_fail(circuit: stim.Circuit) -> None:
    # Decode every fault set of every certified stratum (as far as is affordable):
    # the distance-and-weights argument must never be contradicted.
    problem = DecodingProblem(circuit)
    assert problem.certified_faults >= 1
    for w in range(1, problem.certified_faults + 1):
        if math.comb(problem.num_mechanisms, w) > 3_000_000:
            break
        sets, failing, rate = problem.enumerate_stratum(w)
        assert sets == math.comb(problem.num_mechanisms, w) and failing == 0 and rate == 0


def test_certification_tightens_rare_event_intervals_without_moving_the_truth() -> None:
    distance, p = 13, 0.01
    truth = majority_failure(distance=distance, p=p)
    circuit = repetition_code_capacity(distance=distance, p=p)
    certified = estimate_stratified(circuit, max_enumerate=0, max_seconds=1, seed=4)
    plain = estimate_stratified(circuit, max_enumerate=0, max_seconds=1, seed=4, certify=False)
    assert certified.low <= truth <= certified.high
    assert certified.high - certified.low < (plain.high - plain.low) / 10


def test_rows_of_the_earlier_format_and_sinter_combine_merges_add_up() -> None:
    circuit = CodeCapacity(p=0.05).noisy_circuit(
        RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z")
    )
    new = sampled_rows(
        StratifiedEstimate(
            rate=0.0,
            low=0.0,
            high=1.0,
            samples=600,
            failures=600,
            seconds=0.0,
            tail_probability=0.0,
            strata=(Stratum(faults=2, probability=0.007, samples=600, failures=600),),
        ),
        strong_id="t",
        json_metadata={},
    )
    assert (new[0].shots, new[0].errors) == (0, 0)  # sinter plots no rate from it
    earlier = sinter.TaskStats(  # the format before: counts as shots and errors
        strong_id=new[0].strong_id,
        decoder="pymatching",
        json_metadata={"stratum": 2},
        shots=400,
        errors=400,
    )
    merged = earlier + new[0]  # what sinter combine (or reading one file) does
    assert stratum_counts(merged) == (1000, 1000)
    for rows in ([earlier, new[0]], [merged]):
        again = StratifiedEstimate.from_task_stats(rows, circuit=circuit, max_enumerate=0)
        assert again.sampled_counts()[2][:2] == (1000, 1000)
