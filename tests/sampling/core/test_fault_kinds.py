"""Fault kinds of mechanisms: read from any stim circuit's structure, split by the
probabilities of the instructions that make a mechanism, aligned with the mechanisms
the estimators decode."""

from __future__ import annotations

import numpy as np
import pytest
import stim

from qec.circuits import RepetitionCode, RotatedSurfaceCode
from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.noise import SI1000, CatTransmon, Depolarizing
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.fault_kinds import FaultKind, fault_kinds


def generated_surface_code(rounds: int, **noise: float) -> stim.Circuit:
    return stim.Circuit.generated(
        "surface_code:rotated_memory_z", distance=3, rounds=rounds, **noise
    )


@pytest.mark.parametrize("rounds", [1, 3])
@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        ("after_clifford_depolarization", {"two_qubit_gate/data+ancilla"}),
        ("before_measure_flip_probability", {"measurement/data", "measurement/ancilla"}),
        ("after_reset_flip_probability", {"reset/data", "reset/ancilla"}),
        ("before_round_data_depolarization", {"idle/data"}),
    ],
)
def test_each_noise_parameter_of_stims_generated_circuits_is_its_own_kind(
    rounds: int, parameter: str, expected: set[str]
) -> None:
    kinds = fault_kinds(generated_surface_code(rounds, **{parameter: 1e-3}))
    found = {kind.name for kind in kinds.kinds}
    if parameter == "after_clifford_depolarization" and rounds > 1:
        expected = expected | {"single_qubit_gate/ancilla"}  # the X checks' Hadamards
    assert found == expected


def test_shares_sum_to_one_and_follow_the_decoding_problems_mechanisms() -> None:
    circuits = [
        generated_surface_code(
            3,
            after_clifford_depolarization=1e-3,
            before_measure_flip_probability=2e-3,
            after_reset_flip_probability=3e-3,
            before_round_data_depolarization=4e-3,
        ),
        SI1000(p=1e-3).noisy_circuit(
            RotatedSurfaceCode(distance=3).memory_circuit(rounds=2, basis="Z")
        ),
    ]
    for circuit in circuits:
        kinds = fault_kinds(circuit)
        problem = DecodingProblem(circuit)
        assert kinds.shares.shape == (problem.num_mechanisms, len(kinds.kinds))
        assert np.allclose(kinds.shares.sum(axis=1), 1.0)
        assert np.allclose(kinds.mean.sum(), problem.mechanisms.probabilities.sum())


def test_a_mechanism_two_kinds_make_is_split_by_their_probabilities() -> None:
    # Qubit 0 flipped after its reset (p = 0.01) or before its readout (p = 0.03): the
    # same mechanism, a quarter reset and three quarters measurement.
    circuit = stim.Circuit("""
        R 0
        X_ERROR(0.01) 0
        TICK
        X_ERROR(0.03) 0
        M 0
        OBSERVABLE_INCLUDE(0) rec[-1]
    """)
    kinds = fault_kinds(circuit)
    assert [kind.name for kind in kinds.kinds] == ["measurement/data", "reset/data"]
    assert kinds.shares.tolist() == [[0.75, 0.25]]


def test_parts_stim_splits_off_a_pauli_channel_keep_their_kind() -> None:
    # An idle PAULI_CHANNEL_1 whose X and Y parts both flip the readout (stim makes them
    # independent mechanisms with the same targets), then a readout flip: the mechanism
    # is two parts idle (0.01 + 0.01) to one part measurement (0.01), to first order.
    circuit = stim.Circuit("""
        R 0 1
        TICK
        H 1
        PAULI_CHANNEL_1(0.01, 0.01, 0.01) 0
        TICK
        X_ERROR(0.01) 0
        M 0
        OBSERVABLE_INCLUDE(0) rec[-1]
    """)
    kinds = fault_kinds(circuit)
    assert [kind.name for kind in kinds.kinds] == ["idle/data", "measurement/data"]
    assert np.allclose(kinds.shares, [[2 / 3, 1 / 3]], atol=0.01)


def test_decomposed_mechanisms_get_the_kinds_of_the_faults_behind_them() -> None:
    circuit = Depolarizing(p=1e-3).noisy_circuit(
        RotatedSurfaceCode(distance=3).memory_circuit(rounds=2, basis="Z")
    )
    problem = DecodingProblem(circuit)
    kinds = fault_kinds(circuit)
    decomposed = [i for i, edges in enumerate(problem.mechanisms.edges) if len(edges) > 1]
    assert decomposed  # the model has hyperedges split at `^`
    # A decomposed mechanism is a correlated fault: a two-qubit gate's (or a Y).
    gate = [kind.name for kind in kinds.kinds].index("two_qubit_gate/data+ancilla")
    assert np.mean(kinds.shares[decomposed, gate]) > 0.5


def test_cat_and_transmon_qubits_label_the_kinds() -> None:
    experiment = MemoryExperiment(
        code=RepetitionCode(distance=3), noise=CatTransmon(nbar=2), rounds=2, basis="X"
    )
    circuit, qubit_kinds = experiment.circuit(), experiment.qubit_kinds()
    kinds = fault_kinds(circuit, qubit_kinds=qubit_kinds)
    names = {kind.name for kind in kinds.kinds}
    assert {
        "two_qubit_gate/data+ancilla/cat+transmon",
        "two_qubit_gate/data/cat",
        "idle/data/cat",
        "measurement/ancilla/transmon",
        "reset/ancilla/transmon",
    } <= names
    assert all(FaultKind.from_name(name).qubit_kind for name in names)
    with pytest.raises(QecError, match="missing"):
        fault_kinds(circuit, qubit_kinds={0: "cat"})
    with pytest.raises(QecError, match="kinds among"):
        fault_kinds(circuit, qubit_kinds=dict.fromkeys(qubit_kinds, "fluxonium"))


def test_roles_come_from_when_qubits_are_measured() -> None:
    # Qubit 1 is measured before the last measuring TICK: an ancilla; qubit 0 is data.
    circuit = stim.Circuit("""
        R 0 1
        TICK
        CX 0 1
        TICK
        X_ERROR(0.01) 1
        M 1
        TICK
        X_ERROR(0.02) 0
        M 0
        DETECTOR rec[-2]
        OBSERVABLE_INCLUDE(0) rec[-1]
    """)
    assert {k.name for k in fault_kinds(circuit).kinds} == {
        "measurement/data",
        "measurement/ancilla",
    }
