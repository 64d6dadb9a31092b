"""Schedules rewrite a round's timing without changing what it measures."""

from __future__ import annotations

import pytest
import stim

from qec import SD6, SI1000, Cat, RepetitionCode, RotatedSurfaceCode, XZZXSurfaceCode
from qec.circuits import Schedule

ALL = Schedule(separate_measure_reset=True, cz_native=True, idle_between_two_qubit_layers=True)
CODES = [RepetitionCode(distance=5), RotatedSurfaceCode(distance=5), XZZXSurfaceCode(dx=3, dz=5)]


def test_default_schedule_changes_nothing():
    circuit = RotatedSurfaceCode(distance=3).memory_circuit(rounds=3, basis="X")
    assert Schedule().apply(circuit) == circuit


@pytest.mark.parametrize("code", CODES, ids=lambda c: c.name)
@pytest.mark.parametrize("basis", ["X", "Z"])
@pytest.mark.parametrize("schedule", [ALL, Schedule(cz_native=True)], ids=["all", "cz"])
def test_rescheduled_memory_keeps_deterministic_detectors_and_its_observable(code, basis, schedule):
    circuit = code.memory_circuit(rounds=3, basis=basis)
    rescheduled = schedule.apply(circuit).to_stim()
    assert rescheduled.num_detectors == circuit.to_stim().num_detectors
    # stim raises if a detector or the observable is not deterministic without noise.
    rescheduled.detector_error_model()
    # Same measurement results in every noiseless shot, up to the new layers' order.
    assert rescheduled.num_measurements == circuit.to_stim().num_measurements


@pytest.mark.parametrize("model", [SI1000(p=1e-3), SD6(p=1e-3)], ids=["si1000", "sd6"])
@pytest.mark.parametrize("distance", [3, 5])
def test_gidneys_models_keep_the_circuit_distance(model, distance):
    circuit = model.noisy_circuit(
        RotatedSurfaceCode(distance=distance).memory_circuit(rounds=distance, basis="Z")
    )
    assert len(circuit.shortest_graphlike_error()) == distance


def test_cat_round_waits_between_its_cx_layers_unless_told_not_to():
    circuit = RepetitionCode(distance=3).memory_circuit(rounds=2, basis="X")
    with_wait = Cat(nbar=8).schedule().apply(circuit)
    without = Cat(nbar=8, t_cooldown=0).schedule().apply(circuit)
    assert sum(not layer.gates for layer in with_wait.layers) == 2
    assert sum(not layer.gates for layer in without.layers) == 0


def test_last_reset_is_dropped_when_nothing_uses_it():
    circuit = RepetitionCode(distance=3).memory_circuit(rounds=2, basis="Z")
    split = Schedule(separate_measure_reset=True).apply(circuit).to_stim()
    names = [i.name for i in split.flattened() if isinstance(i, stim.CircuitInstruction)]
    assert "MR" not in names
    assert names.count("R") == 2  # the initial reset and the one between the rounds


HYBRID = Schedule(separate_measure_reset=True, x_basis_by_hadamard_on="transmon")


@pytest.mark.parametrize("code", CODES, ids=lambda c: c.name)
@pytest.mark.parametrize("basis", ["X", "Z"])
def test_transmon_x_basis_by_hadamards_keeps_deterministic_detectors(code, basis):
    circuit = code.memory_circuit(rounds=3, basis=basis).with_kinds(data="cat", ancillas="transmon")
    rescheduled = HYBRID.apply(circuit)
    assert rescheduled.kinds == circuit.kinds
    stim_circuit = rescheduled.to_stim()
    stim_circuit.detector_error_model()  # raises unless every detector is deterministic
    assert stim_circuit.num_detectors == circuit.to_stim().num_detectors
    transmons = circuit.ancilla_qubits
    x_basis_on_transmons = [
        gate
        for layer in rescheduled.layers
        for gate in layer.gates
        if gate.name in ("RX", "MX", "MRX") and set(gate.targets) & transmons
    ]
    assert not x_basis_on_transmons


def test_ocelot_round_is_reset_h_cx_cx_h_readout():
    # Putterman et al. (2025): transmon prepared in |+> and read in X through H.
    circuit = RepetitionCode(distance=3).memory_circuit(rounds=2, basis="X")
    rescheduled = Schedule(
        separate_measure_reset=True, x_basis_by_hadamard_on="transmon", kinds=("cat", "transmon")
    ).apply(circuit)
    steps = [" ".join(g.name for g in layer.gates) for layer in rescheduled.layers]
    assert steps == ["RX R", "H", "CX", "CX", "H", "M", "R", "H", "CX", "CX", "H", "M", "MX"]


def test_a_circuit_keeps_the_kinds_it_names():
    circuit = RepetitionCode(distance=3).memory_circuit(rounds=1, basis="X")
    all_cats = circuit.with_kinds(data="cat", ancillas="cat")
    assert Schedule(kinds=("cat", "transmon")).apply(all_cats).kinds == all_cats.kinds
    with pytest.raises(ValueError, match="kind of qubit 0 is 'ion'"):
        circuit.with_kinds(data="ion", ancillas="transmon")
