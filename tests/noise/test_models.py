"""Where each noise model puts its noise."""

from __future__ import annotations

import pytest
import stim

from qec import SI1000, CodeCapacity, Phenomenological, RepetitionCode, RotatedSurfaceCode
from qec.errors import QecError


def instructions(circuit: stim.Circuit) -> list[stim.CircuitInstruction]:
    return [i for i in circuit.flattened() if isinstance(i, stim.CircuitInstruction)]


def test_code_capacity_noise_comes_only_once_before_the_first_round():
    annotated = RepetitionCode(distance=3).memory_circuit(rounds=3, basis="Z")
    noisy = CodeCapacity(p=0.1).noisy_circuit(annotated)
    noise = [i for i in instructions(noisy) if i.name in ("X_ERROR", "Z_ERROR")]
    assert [(i.name, [t.value for t in i.targets_copy()]) for i in noise] == [
        ("X_ERROR", [0, 2, 4]),
        ("Z_ERROR", [0, 2, 4]),
    ]
    assert noisy.without_noise() == annotated.to_stim()


def test_phenomenological_flips_data_every_round_and_only_syndrome_results():
    noisy = Phenomenological(p=0.02).noisy_circuit(
        RepetitionCode(distance=3).memory_circuit(rounds=4, basis="Z")
    )
    ops = instructions(noisy)
    assert sum(i.name == "X_ERROR" for i in ops) == 4
    assert all(i.gate_args_copy() == [0.02] for i in ops if i.name == "MR")
    assert all(i.gate_args_copy() == [] for i in ops if i.name == "M")
    assert not any(i.name.startswith("DEPOLARIZE") for i in ops)


def test_si1000_follows_its_table():
    p = 0.001
    annotated = RotatedSurfaceCode(distance=3).memory_circuit(rounds=2, basis="Z")
    noisy = SI1000(p=p).noisy_circuit(annotated)
    ops = instructions(noisy)
    assert {i.gate_args_copy()[0] for i in ops if i.name == "DEPOLARIZE2"} == {p}
    assert {tuple(i.gate_args_copy()) for i in ops if i.name in ("M", "MR")} == {(5 * p,)}
    assert {i.gate_args_copy()[0] for i in ops if i.name == "X_ERROR"} == {2 * p}
    one_qubit = {round(i.gate_args_copy()[0], 12) for i in ops if i.name == "DEPOLARIZE1"}
    assert one_qubit == {round(p / 10, 12), round(2 * p, 12)}  # gates/idle, resonator idle
    # Data qubits wait while the ancillas are measured: each gets the resonator idle.
    circuit_text = str(noisy)
    assert f"MR({5 * p:g})" in circuit_text


@pytest.mark.parametrize("model", [CodeCapacity, Phenomenological, SI1000])
@pytest.mark.parametrize("p", [-0.1, 1.5, "0.1"])
def test_probability_outside_zero_one_is_refused_with_the_parameter_name(model, p):
    with pytest.raises(QecError, match="p="):
        model(p=p)
