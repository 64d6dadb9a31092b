"""`CatFirstOrder` is the model of Ruiz et al. 2025's scripts: checked against the
matching graph those scripts write out by hand for the repetition code (github.com/
DiegoRuiz-Git/LDPCat, `Figure S2/Figure S2 c/repetition code/MonteCarlo.py`), an
independent derivation of the same physics."""

from __future__ import annotations

import collections
import functools
import math

import pytest

from qec import CatFirstOrder, MemoryExperiment, RepetitionCode
from qec.noise import detector_error_model
from qec.noise.cat_probabilities import combine


def scripts_graph(
    d: int, nbar: float, k: float
) -> collections.Counter[tuple[tuple[int, ...], float]]:
    """R25's repetition-code graph over d noisy rounds and a perfect one: each edge's
    detectors (check c of round t is detector (d - 1) t + c) and probability."""
    p = nbar * k
    z1 = p + math.pi**2 / 64 / nbar
    both = p / 2  # Z2 and Z1 Z2 of a CX

    def xor(*flips: float) -> float:
        return functools.reduce(combine, flips)

    def det(t: int, c: int) -> int:
        return (d - 1) * t + c

    edges: collections.Counter[tuple[tuple[int, ...], float]] = collections.Counter()

    def add(detectors: list[int], probability: float) -> None:
        edges[(tuple(sorted(detectors)), round(probability, 12))] += 1

    for t in range(d + 1):  # a data flip between detector layers t - 1 and t
        for j in range(d):
            detectors = [det(t, c) for c in (j - 1, j) if 0 <= c < d - 1]
            if t == 0:
                flip = xor(p, both) if j < d - 1 else xor(p, p, p, both)
            elif t == d:
                flip = xor(both, p, p, p) if j == 0 else xor(both, p)
            elif j in (0, d - 1):
                flip = xor(both, p, p, p, p, both)
            else:
                flip = xor(both, p, p, both)
            add(detectors, flip)
    for t in range(d):  # an ancilla's flip: its check in rounds t and t + 1
        for c in range(d - 1):
            add([det(t, c), det(t + 1, c)], xor(p, z1, p, z1, p))
    for t in range(d):  # a data flip in the cooldown: check c in t, check c + 1 in t + 1
        for c in range(d - 2):
            add([det(t, c), det(t + 1, c + 1)], xor(both, p, both))
    return edges


@pytest.mark.parametrize(("distance", "k1_k2"), [(5, 1e-3), (9, 2e-4)])
def test_repetition_graph_is_the_scripts_graph(distance: int, k1_k2: float) -> None:
    experiment = MemoryExperiment(
        code=RepetitionCode(distance=distance),
        noise=CatFirstOrder(nbar=11, k1_k2=k1_k2),
        rounds=distance,
        basis="X",
    )
    dem = detector_error_model(experiment.circuit(), graphlike=False)
    ours: collections.Counter[tuple[tuple[int, ...], float]] = collections.Counter()
    for instruction in dem.flattened():
        if instruction.type == "error":
            detectors = [t.val for t in instruction.targets_copy() if t.is_relative_detector_id()]
            ours[(tuple(sorted(detectors)), round(instruction.args_copy()[0], 12))] += 1
    assert ours == scripts_graph(distance, 11, k1_k2)


def test_has_no_bit_flips_and_first_order_phase_flips() -> None:
    model = CatFirstOrder(nbar=11, k1_k2=2e-4)
    flips = model.phase_flip_probabilities()
    assert model.bit_flip_probabilities().cx == 0.0
    assert flips.idle == pytest.approx(11 * 2e-4)
    assert flips.cx_control == pytest.approx(11 * 2e-4 + math.pi**2 / 64 / 11)
