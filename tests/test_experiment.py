"""A user's stim circuit as an experiment: what it records, and the circuits it refuses."""

from __future__ import annotations

import pytest
import stim

from qec.errors import QecError
from qec.experiment import CircuitExperiment
from qec.sampling import estimate


def repetition(rounds: int = 2) -> stim.Circuit:
    return stim.Circuit.generated(
        "repetition_code:memory", distance=3, rounds=rounds, before_round_data_depolarization=0.05
    )


def test_metadata_names_the_circuit_by_its_text_and_states_rounds_only_when_known():
    with_rounds = CircuitExperiment(repetition(), rounds=2, name="rep").metadata()
    without = CircuitExperiment(repetition(), name="rep").metadata()
    other = CircuitExperiment(repetition(rounds=3), name="rep").metadata()
    assert with_rounds["rounds"] == 2 and "rounds" not in without
    assert with_rounds["circuit_sha256"] == without["circuit_sha256"] != other["circuit_sha256"]


@pytest.mark.parametrize(
    "text,what",
    [
        ("X_ERROR(0.1) 0\nM 0\nOBSERVABLE_INCLUDE(0) rec[-1]", "without detectors"),
        ("X_ERROR(0.1) 0\nM 0\nDETECTOR rec[-1]", "without observables"),
    ],
)
def test_circuits_without_detectors_or_observables_are_refused_by_name(text, what):
    with pytest.raises(QecError) as error:
        CircuitExperiment(stim.Circuit(text))
    assert error.value.parameter == "circuit" and what in str(error.value.value)


def test_non_deterministic_detectors_are_refused_before_any_sampling():
    circuit = stim.Circuit("H 0\nM 0\nDETECTOR rec[-1]\nOBSERVABLE_INCLUDE(0) rec[-1]")
    with pytest.raises(QecError) as error:
        estimate(CircuitExperiment(circuit), method="monte_carlo", progress=False)
    assert error.value.parameter == "circuit" and "non-deterministic" in str(error.value.value)


def test_a_file_states_its_rounds_in_a_comment_and_the_argument_wins(tmp_path):
    path = tmp_path / "rep.stim"
    path.write_text("# rounds: 2\n" + str(repetition()))
    assert CircuitExperiment.from_file(path).rounds == 2
    assert CircuitExperiment.from_file(path, rounds=5).rounds == 5
    assert CircuitExperiment.from_file(path).name == "rep.stim"


@pytest.mark.parametrize("text", ["H 0 0 0 (", "# rounds: two\nM 0"])
def test_a_file_that_is_not_a_circuit_names_the_file(tmp_path, text):
    path = tmp_path / "bad.stim"
    path.write_text(text)
    with pytest.raises(QecError) as error:
        CircuitExperiment.from_file(path)
    assert error.value.parameter in ("circuit", "rounds")


def test_without_rounds_the_estimate_is_per_shot_only_and_says_so():
    result = estimate(
        CircuitExperiment(repetition(), name="rep"),
        method="monte_carlo",
        max_shots=2000,
        num_workers=1,
        progress=False,
    )
    assert result.per_round is None and result.to_json()["per_round"] is None
    assert "rounds are unknown" in str(result)  # the wording is the feature
    with pytest.raises(QecError):
        result.require_per_round()
