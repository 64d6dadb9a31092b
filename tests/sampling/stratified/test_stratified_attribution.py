"""Which fault kinds stratified sampling's failures rest on, checked against physics:
finite differences of the exact logical error rate when one kind of noise is made
stronger or weaker, and closed forms of the repetition code at low noise."""

from __future__ import annotations

import itertools
import math
import pathlib

import numpy as np
import pymatching
import pytest
import sinter
import stim

from qec.circuits import RepetitionCode
from qec.noise import CodeCapacity, detector_error_model
from qec.sampling.core.attribution import Attribution
from qec.sampling.core.mechanisms import mechanisms
from qec.sampling.stratified.attribution import KindTally
from qec.sampling.stratified.estimate import StratifiedEstimate
from qec.sampling.stratified.runs import run_stratified
from qec.sampling.stratified.sampler import estimate_stratified

NOISE = (
    "after_clifford_depolarization",
    "before_measure_flip_probability",
    "after_reset_flip_probability",
    "before_round_data_depolarization",
)
# The kinds each of stim's noise parameters makes in its repetition code.
KINDS_OF = {
    "after_clifford_depolarization": ("two_qubit_gate/data+ancilla",),
    "before_measure_flip_probability": ("measurement/data", "measurement/ancilla"),
    "after_reset_flip_probability": ("reset/data", "reset/ancilla"),
    "before_round_data_depolarization": ("idle/data",),
}


def repetition_memory(*, p: float, scaled: str = "", by: float = 1.0) -> stim.Circuit:
    """stim's distance-3 repetition code over 2 rounds, every noise parameter at p, the
    one called `scaled` times `by`: 15 mechanisms, few enough for brute force."""
    noise = {name: p * (by if name == scaled else 1.0) for name in NOISE}
    return stim.Circuit.generated("repetition_code:memory", distance=3, rounds=2, **noise)


def exact_failure_rate(circuit: stim.Circuit, matching: pymatching.Matching) -> float:
    """P_L of `circuit` under `matching`, summed over every set of its mechanisms."""
    found = mechanisms(detector_error_model(circuit))
    p = found.probabilities
    detectors, observables = found.detector_bits(), found.observable_bits()
    subsets = np.array(list(itertools.product([0, 1], repeat=len(p))), dtype=bool)
    syndromes = np.zeros((len(subsets), detectors.shape[1]), dtype=np.uint8)
    flips = np.zeros((len(subsets), observables.shape[1]), dtype=np.uint8)
    for i in range(len(p)):
        syndromes[subsets[:, i]] ^= detectors[i]
        flips[subsets[:, i]] ^= observables[i]
    predicted = matching.decode_batch(syndromes, bit_packed_shots=True, bit_packed_predictions=True)
    fails = np.any(predicted != flips, axis=1)
    log_probability = np.where(subsets, np.log(p), np.log1p(-p)).sum(axis=1)
    return math.fsum(np.exp(log_probability[fails]))


def elasticity_by_finite_difference(parameter: str, *, p: float, step: float) -> float:
    """d log P_L / d log(parameter), the decoder held at the unscaled noise's: the
    central difference of the exact P_L at the parameter times 1 -+ step."""
    base = detector_error_model(repetition_memory(p=p))
    matching = pymatching.Matching.from_detector_error_model(base)
    up, down = (
        exact_failure_rate(repetition_memory(p=p, scaled=parameter, by=by), matching)
        for by in (1 + step, 1 - step)
    )
    return (math.log(up) - math.log(down)) / (math.log1p(step) - math.log1p(-step))


def summed(attribution: Attribution, names: tuple[str, ...]) -> float:
    return sum(attribution.share(name).elasticity.value for name in names)


@pytest.mark.parametrize("parameter", NOISE)
def test_elasticity_is_the_rates_response_to_that_kind_of_noise(parameter: str) -> None:
    # Exact on both sides (every stratum enumerated, every subset summed): they differ
    # by O(p) = 1e-3 relative (the estimator scales odds, the circuit probabilities; a
    # DEPOLARIZE channel's parts are not linear in p) and O(step^2) = 1e-6: 2e-3 is
    # twice the first (the largest difference seen is 5e-4).
    p = 1e-3
    estimate = estimate_stratified(repetition_memory(p=p), attribute=True)
    assert estimate.attribution is not None and all(s.enumerated for s in estimate.strata)
    expected = elasticity_by_finite_difference(parameter, p=p, step=1e-3)
    assert summed(estimate.attribution, KINDS_OF[parameter]) == pytest.approx(expected, abs=2e-3)


def test_sampled_strata_give_an_interval_around_the_finite_difference() -> None:
    # Every stratum sampled (seeded). Under the delta method's normal law, a value
    # outside twice the 95% half-width happens with probability ~1e-4 per kind; the
    # O(p) difference of the exact test is 1e-3.
    p = 1e-3
    estimate = estimate_stratified(
        repetition_memory(p=p), attribute=True, max_enumerate=0, seed=11, rel_precision=0.05
    )
    assert estimate.attribution is not None
    for parameter in ("after_clifford_depolarization", "before_round_data_depolarization"):
        (name,) = KINDS_OF[parameter]
        elasticity = estimate.attribution.share(name).elasticity
        expected = elasticity_by_finite_difference(parameter, p=p, step=1e-3)
        half_width = (elasticity.high - elasticity.low) / 2
        assert 0 < half_width < 0.2
        assert abs(elasticity.value - expected) <= 2 * half_width + 2e-3


def code_capacity(distance: int, p: float) -> stim.Circuit:
    return CodeCapacity(p=p).noisy_circuit(
        RepetitionCode(distance=distance).memory_circuit(rounds=1, basis="Z")
    )


def cat_first(distance: int) -> dict[int, str]:
    """Data qubit 0 a cat, every other qubit a transmon."""
    return {q: "cat" if q == 0 else "transmon" for q in range(2 * distance - 1)}


def test_code_capacity_attribution_is_the_closed_form() -> None:
    # d = 3: the failing sets are the 3 pairs and the triple. With the cat at qubit 0,
    # E[n_cat 1_fail] = 2 p^2 (1 - p) + p^3, P_L = 3 p^2 (1 - p) + p^3, E[n_cat] = p.
    p = 0.01
    estimate = estimate_stratified(code_capacity(3, p), attribute=True, qubit_kinds=cat_first(3))
    assert estimate.attribution is not None
    rate = 3 * p**2 * (1 - p) + p**3
    cat = (2 * p**2 * (1 - p) + p**3) / rate - p
    transmon = (4 * p**2 * (1 - p) + 2 * p**3) / rate - 2 * p
    found = estimate.attribution
    assert found.share("idle/data/cat").elasticity.value == pytest.approx(cat, rel=1e-9)
    assert found.share("idle/data/transmon").elasticity.value == pytest.approx(transmon, rel=1e-9)
    assert found.coverage == 1.0 and found.kinds[0].kind.name == "idle/data/transmon"


def test_low_noise_elasticity_is_half_the_distance_split_by_kind_counts() -> None:
    # At low p a failure is (d + 1) / 2 of the d data flips, each qubit as likely: kind
    # K's share is its count of data qubits over d. Corrections are O(d p) = 5e-4.
    estimate = estimate_stratified(code_capacity(5, 1e-4), attribute=True, qubit_kinds=cat_first(5))
    assert estimate.attribution is not None
    found = estimate.attribution
    assert found.total == pytest.approx(3.0, abs=2e-3)
    assert found.share("idle/data/cat").elasticity.value == pytest.approx(3 / 5, abs=2e-3)
    assert found.share("idle/data/transmon").elasticity.value == pytest.approx(12 / 5, abs=2e-3)


def test_readout_noise_alone_fails_through_the_data_readout() -> None:
    # Only readout flips: a logical failure needs (d + 1) / 2 = 3 flips of the data's
    # final readout; the ancillas' readout flips are timelike and never needed, so at
    # p = 1e-4 their elasticity is O(p) and the data readout's is 3.
    circuit = stim.Circuit.generated(
        "repetition_code:memory", distance=5, rounds=3, before_measure_flip_probability=1e-4
    )
    estimate = estimate_stratified(circuit, attribute=True)
    assert estimate.attribution is not None
    found = estimate.attribution
    assert found.share("measurement/data").elasticity.value == pytest.approx(3.0, abs=5e-3)
    assert found.share("measurement/ancilla").elasticity.value == pytest.approx(0.0, abs=5e-3)


def test_without_attribute_nothing_is_tallied() -> None:
    estimate = estimate_stratified(code_capacity(3, 0.01), max_enumerate=0, seed=1)
    assert estimate.attribution is None
    assert all(s.kinds is None for s in estimate.strata)


def test_a_resumed_run_pools_the_tallies_of_old_and_new_rows(tmp_path: pathlib.Path) -> None:
    circuit = stim.Circuit.generated(
        "surface_code:rotated_memory_z", distance=3, rounds=2, after_clifford_depolarization=2e-3
    )
    path = tmp_path / "stats.csv"

    def run(*, attribute: bool, max_samples: int) -> StratifiedEstimate:
        return run_stratified(
            circuit,
            strong_id="task",
            metadata={"d": 3},
            path=path,
            rel_precision=1e-3,  # out of reach: max_samples ends each run
            max_seconds=None,
            max_samples=max_samples,
            seed=5,
            progress=None,
            attribute=attribute,
        )

    run(attribute=False, max_samples=2_000)  # rows from before attribution
    first = run(attribute=True, max_samples=4_000)
    second = run(attribute=True, max_samples=8_000)
    # sinter merges the rows of a stratum: the tally covers the rows that had one.
    rows = {row.json_metadata["stratum"]: row for row in sinter.read_stats_from_csv_files(path)}
    tally = KindTally.from_counts(rows[3].custom_counts)
    assert tally is not None and 0 < tally.fault_sets < rows[3].custom_counts["fault_sets"]
    found = second.strata[2].kinds  # kept to full precision, saved to millionths
    assert found is not None and found.fault_sets == tally.fault_sets
    assert found.sums == pytest.approx(tally.sums, abs=1e-5)
    assert first.attribution is not None and second.attribution is not None
    assert 0 < first.attribution.coverage < second.attribution.coverage < 1
    assert second.attribution.failing > first.attribution.failing
