"""Which fault kinds splitting's failures rest on: the chains at s = 1 count them, the
units pool them with a t interval, the rows keep them; checked against the exact
attribution of circuits small enough to enumerate.

Seeded throughout. Where an estimate is compared with an exact value, the tolerance is
twice the 95% interval's half-width: for a random seed, Student's t with the units'
degrees of freedom exceeds that with probability under 1%."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest
import sinter
import stim

from qec.circuits import RepetitionCode
from qec.noise import CodeCapacity
from qec.sampling.core.attribution import Attribution
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.fault_kinds import fault_kinds
from qec.sampling.splitting.attribution import splitting_attribution
from qec.sampling.splitting.chains import FailureChains
from qec.sampling.splitting.ladder import Ladder, run_unit
from qec.sampling.splitting.runs import run_splitting
from qec.sampling.splitting.unit_rows import unit_of_row, unit_row
from qec.sampling.stratified.sampler import estimate_stratified


def code_capacity(distance: int, p: float) -> stim.Circuit:
    return CodeCapacity(p=p).noisy_circuit(
        RepetitionCode(distance=distance).memory_circuit(rounds=1, basis="Z")
    )


def cat_first(distance: int) -> dict[int, str]:
    """Data qubit 0 a cat, every other qubit a transmon."""
    return {q: "cat" if q == 0 else "transmon" for q in range(2 * distance - 1)}


def exact(circuit: stim.Circuit, qubit_kinds: dict[int, str]) -> Attribution:
    """The attribution with every stratum enumerated."""
    found = estimate_stratified(circuit, attribute=True, qubit_kinds=qubit_kinds).attribution
    assert found is not None
    return found


def assert_close(found: Attribution, expected: Attribution) -> None:
    for share in expected.kinds:
        elasticity = found.share(share.kind.name).elasticity
        half_width = (elasticity.high - elasticity.low) / 2
        assert 0 < half_width < 0.5
        assert abs(elasticity.value - share.elasticity.value) <= 2 * half_width


def test_chains_count_the_kinds_of_their_last_level_states() -> None:
    circuit = code_capacity(5, 0.05)
    kinds = fault_kinds(circuit, qubit_kinds=cat_first(5))
    chains = FailureChains(
        DecodingProblem(circuit),
        scales=[4.0, 1.0],
        starts=[np.array([0, 1, 2])] * 4,
        rng=np.random.default_rng(3),
        groups=[0, 0, 1, 1],
        shares=kinds.shares,
    )
    histograms = chains.run(steps=300, burn_in=100)
    assert histograms is not None
    # Every fault counts once, whatever its kind: the kinds add up to the fault counts.
    faults = (histograms[:, -1, :] * np.arange(histograms.shape[2])).sum(axis=1)
    assert np.allclose(chains.kind_sums.sum(axis=1), faults)


def test_units_pool_into_the_exact_attribution() -> None:
    circuit = code_capacity(3, 0.003)
    kinds = fault_kinds(circuit, qubit_kinds=cat_first(3))
    problem = DecodingProblem(circuit)
    ladder = Ladder(scales=(8.0, 3.0, 1.0), steps=200, ladders=4, top_shots=1000, pilot_rate=0.0)
    units = [run_unit(problem, ladder, seed=seed, kinds=kinds) for seed in range(5)]
    found = splitting_attribution([u.kinds for u in units], kinds)
    assert found is not None and found.coverage == 1.0
    assert_close(found, exact(circuit, cat_first(3)))


def attributed_run(circuit, *, seed, distance):
    """Splitting to 10% with the attribution, the first data qubit a cat."""
    return run_splitting(
        circuit,
        strong_id="test",
        metadata={},
        path=None,
        rel_precision=0.1,
        max_seconds=None,
        seed=seed,
        workers=1,
        attribute=True,
        qubit_kinds=cat_first(distance),
    )


def test_a_one_level_ladder_attributes_the_failures_it_samples() -> None:
    # At p = 0.03 the failure rate is 2.6e-3: the ladder is direct sampling at s = 1.
    circuit = code_capacity(3, 0.03)
    ladder, result = attributed_run(circuit, seed=2, distance=3)
    assert ladder.levels == 1 and result is not None and result.attribution is not None
    assert_close(result.attribution, exact(circuit, cat_first(3)))


def test_unit_rows_keep_the_kind_counts_and_older_rows_still_load(tmp_path: pathlib.Path) -> None:
    circuit = code_capacity(3, 0.03)
    path = tmp_path / "split.csv"

    def run(*, attribute: bool, rel_precision: float) -> Attribution | None:
        _, result = run_splitting(
            circuit,
            strong_id="test",
            metadata={"d": 3},
            path=path,
            rel_precision=rel_precision,
            max_seconds=None,
            seed=4,
            workers=1,
            attribute=attribute,
        )
        assert result is not None
        return result.attribution

    assert run(attribute=False, rel_precision=0.5) is None
    found = run(attribute=True, rel_precision=0.1)
    rows = list(sinter.read_stats_from_csv_files(path))
    units = [unit_of_row(row) for row in rows]
    assert found is not None and 0 < found.coverage < 1
    assert found.coverage == sum(u.kinds is not None for u in units) / len(units)
    for row, unit in zip(rows, units, strict=True):
        assert unit_of_row(unit_row(unit, ladder=_ladder(row), strong_id="x", metadata={})) == (
            unit
        )


def _ladder(row: sinter.TaskStats) -> Ladder:
    data = row.json_metadata["splitting"]
    return Ladder(
        scales=tuple(data["scales"]),
        steps=data["steps"],
        ladders=data["ladders"],
        top_shots=data["top_shots"],
        pilot_rate=0.0,
    )


@pytest.mark.slow
def test_splitting_attribution_agrees_with_the_exact_one_at_distance_5() -> None:
    # P_L = 2.7e-7: an eight-level ladder of replica-exchange chains.
    circuit = code_capacity(5, 0.003)
    _, result = attributed_run(circuit, seed=1, distance=5)
    assert result is not None and result.attribution is not None
    assert_close(result.attribution, exact(circuit, cat_first(5)))
