"""`PhaseFlipCircuit` and `Phenomenological` are the models of Ruiz et al. 2025's Figure 5
and Figure S2 (a, b): on the T-shape code, our detector error model equals, mechanism by
mechanism and probability by probability, the circuit-level parity-check matrix the
authors' own circuit simulator wrote out (`ruiz25/`, their `ParityCheck/*3_7.npy`), an
independent derivation of the same circuit and noise."""

from __future__ import annotations

import collections
import pathlib

import numpy as np
import pytest

from qec import MemoryExperiment
from qec.circuits import TShapeCode
from qec.errors import QecError
from qec.noise import NoiseModel, PhaseFlipCircuit, Phenomenological, detector_error_model

AUTHORS = pathlib.Path(__file__).parent / "ruiz25"
#: The authors' grid of p (their `main.py`); their files are for index 7.
P7 = float(np.logspace(-3, np.log10(0.3), 20)[7])

Mechanisms = collections.Counter[tuple[tuple[int, ...], tuple[int, ...], float]]


def authors_mechanisms(name: str) -> Mechanisms:
    found: Mechanisms = collections.Counter()
    for line in (AUTHORS / name).read_text().splitlines():
        if line.startswith("#"):
            continue
        detectors, observables, probability = line.split(";")
        key = (
            tuple(int(d) for d in detectors.split()),
            tuple(int(o) for o in observables.split()),
            round(float(probability), 12),
        )
        found[key] += 1
    return found


def our_mechanisms(noise: NoiseModel) -> Mechanisms:
    experiment = MemoryExperiment(code=TShapeCode(distance=7), noise=noise, rounds=7, basis="X")
    found: Mechanisms = collections.Counter()
    for instruction in detector_error_model(experiment.circuit(), graphlike=False).flattened():
        if instruction.type == "error":
            targets = instruction.targets_copy()
            detectors = sorted(t.val for t in targets if t.is_relative_detector_id())
            observables = sorted(t.val for t in targets if t.is_logical_observable_id())
            key = (tuple(detectors), tuple(observables), round(instruction.args_copy()[0], 12))
            found[key] += 1
    return found


@pytest.mark.parametrize(
    ("noise", "authors_file"),
    [
        (PhaseFlipCircuit(p=P7), "tshape_h3_phase_flip_circuit_p7.txt"),
        (Phenomenological(p=P7), "tshape_h3_phenomenological_p7.txt"),
    ],
)
def test_tshape_error_model_is_the_authors_matrix(noise: NoiseModel, authors_file: str) -> None:
    assert our_mechanisms(noise) == authors_mechanisms(authors_file)


def test_a_cx_flips_control_target_or_both_with_a_third_of_p_each() -> None:
    experiment = MemoryExperiment(
        code=TShapeCode(distance=7), noise=PhaseFlipCircuit(p=0.03), rounds=1, basis="X"
    )
    channels = [op for op in experiment.circuit().flattened() if op.name == "PAULI_CHANNEL_2"]
    assert channels
    for op in channels:
        probabilities = op.gate_args_copy()
        assert probabilities[2] == probabilities[11] == probabilities[14] == pytest.approx(0.01)
        assert sum(probabilities) == pytest.approx(0.03)


def test_rejects_a_probability_above_one() -> None:
    with pytest.raises(QecError) as error:
        PhaseFlipCircuit(p=1.5)
    assert error.value.parameter == "p"
