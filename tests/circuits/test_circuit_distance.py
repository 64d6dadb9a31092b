"""Every family's circuit has the distance its design promises (stim's own search)."""

from __future__ import annotations

import pytest

from qec import Depolarizing, RepetitionCode, RotatedSurfaceCode, XZZXSurfaceCode
from qec.circuits import CatSurfaceCode
from qec.experiment import MemoryExperiment
from qec.noise import detector_error_model


def circuit_distance(code: object, basis: str, rounds: int) -> int:
    circuit = MemoryExperiment(
        code=code,
        noise=Depolarizing(p=0.001),
        rounds=rounds,
        basis=basis,  # type: ignore[arg-type]
    ).circuit()
    return len(circuit.shortest_graphlike_error())


@pytest.mark.parametrize("distance", [3, 5, 7])
@pytest.mark.parametrize("basis", ["X", "Z"])
def test_repetition_code_has_its_distance_against_the_errors_it_corrects(distance, basis):
    assert circuit_distance(RepetitionCode(distance=distance), basis, rounds=distance) == distance


@pytest.mark.parametrize("check_basis,basis", [("X", "Z"), ("Z", "X")])
def test_repetition_code_unprotected_logical_has_distance_one(check_basis, basis):
    code = RepetitionCode(distance=5, check_basis=check_basis)
    assert circuit_distance(code, basis, rounds=3) == 1


@pytest.mark.parametrize("family", [RotatedSurfaceCode, XZZXSurfaceCode, CatSurfaceCode])
@pytest.mark.parametrize("dx,dz", [(3, 3), (5, 5), (7, 7), (3, 7), (7, 3), (5, 9)])
def test_surface_codes_have_distance_dx_against_x_errors_and_dz_against_z_errors(family, dx, dz):
    code = family(dx=dx, dz=dz)
    rounds = max(dx, dz)
    # A Z-basis memory fails by X errors, an X-basis memory by Z errors.
    assert circuit_distance(code, "Z", rounds) == dx
    assert circuit_distance(code, "X", rounds) == dz


@pytest.mark.parametrize(
    "code",
    [
        RepetitionCode(distance=5),
        RotatedSurfaceCode(dx=3, dz=5),
        XZZXSurfaceCode(dx=5, dz=3),
        CatSurfaceCode(dx=3, dz=5),
    ],
)
@pytest.mark.parametrize("basis", ["X", "Z"])
def test_detectors_and_observable_are_deterministic_without_noise(code, basis):
    noiseless = code.memory_circuit(rounds=4, basis=basis).to_stim()
    detections, observables = noiseless.compile_detector_sampler(seed=5).sample(
        200, separate_observables=True
    )
    assert not detections.any() and not observables.any()
    # stim refuses to build an error model when a detector is not deterministic.
    annotated = code.memory_circuit(rounds=4, basis=basis)
    detector_error_model(Depolarizing(p=0.01).noisy_circuit(annotated))
