"""Where each noise model puts its noise."""

from __future__ import annotations

import pytest
import stim

from qec import SD6, SI1000, CodeCapacity, Phenomenological, RepetitionCode, RotatedSurfaceCode
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


def round_ticks(noisy: stim.Circuit, first: int, count: int) -> list[list[str]]:
    """The gate names of `count` ticks from tick `first`, noise left out."""
    ticks = str(noisy.without_noise()).split("TICK")[first : first + count]
    return [
        sorted({i.name for i in instructions(stim.Circuit(t)) if i.name in GATES}) for t in ticks
    ]


GATES = {"R", "RX", "M", "MX", "H", "CX", "CZ"}


def test_si1000_follows_gidneys_table_on_a_cz_native_round_with_separate_measure_and_reset():
    # Gidney et al. 2021, Table 2 and honeycomb_threshold/src/noise.py: CZ p, one-qubit
    # gates p/10, idle p/10, resets 2p, measurements 5p, and 2p more on every waiting
    # qubit in a tick that measures or resets.
    p = 0.001
    noisy = SI1000(p=p).noisy_circuit(
        RotatedSurfaceCode(distance=3).memory_circuit(rounds=3, basis="Z")
    )
    ops = instructions(noisy)
    assert not any(i.name in ("CX", "MR") for i in ops)
    assert {i.gate_args_copy()[0] for i in ops if i.name == "DEPOLARIZE2"} == {p}
    assert {tuple(i.gate_args_copy()) for i in ops if i.name == "M"} - {()} == {(5 * p,)}
    assert {i.gate_args_copy()[0] for i in ops if i.name == "X_ERROR"} == {2 * p}
    one_qubit = {round(i.gate_args_copy()[0], 12) for i in ops if i.name == "DEPOLARIZE1"}
    assert one_qubit == {round(p / 10, 12), round(2 * p, 12)}
    # A middle round: R | H | CZ | H | CZ | H | CZ | H | CZ | H | M. Gidney's circuits
    # share two of the three inner H ticks; ours have one more H tick (p/10 per qubit).
    round_two = round_ticks(noisy, 11, 11)
    assert round_two[0] == ["R"] and round_two[-1] == ["M"]
    assert [t for t in round_two if t == ["CZ"]] == [["CZ"]] * 4
    # Data qubits get the 2p resonator idle in the M tick and again in the R tick.
    data = sorted(RotatedSurfaceCode(distance=3).memory_circuit(rounds=1, basis="Z").data_qubits)
    resonator = [i for i in ops if i.name == "DEPOLARIZE1" and i.gate_args_copy() == [2 * p]]
    assert sum(set(data) <= {t.value for t in i.targets_copy()} for i in resonator) >= 5


def test_sd6_is_cx_native_with_idle_noise_and_separate_measure_and_reset():
    # Gidney et al. 2021, Table 2: CX p, Cliffords p, idle p every tick, reset and
    # measurement flips p; round R | H | CX x4 | H | M.
    p = 0.002
    noisy = SD6(p=p).noisy_circuit(
        RotatedSurfaceCode(distance=3).memory_circuit(rounds=3, basis="X")
    )
    ops = instructions(noisy)
    assert {i.gate_args_copy()[0] for i in ops if i.name.startswith("DEPOLARIZE")} == {p}
    assert {i.gate_args_copy()[0] for i in ops if i.name in ("X_ERROR", "Z_ERROR")} == {p}
    assert {tuple(i.gate_args_copy()) for i in ops if i.name in ("M", "MX")} == {(p,)}
    assert round_ticks(noisy, 8, 8) == [["R"], ["H"], ["CX"], ["CX"], ["CX"], ["CX"], ["H"], ["M"]]


@pytest.mark.parametrize("model", [CodeCapacity, Phenomenological, SI1000, SD6])
@pytest.mark.parametrize("p", [-0.1, 1.5, "0.1"])
def test_probability_outside_zero_one_is_refused_with_the_parameter_name(model, p):
    with pytest.raises(QecError, match="p="):
        model(p=p)
