"""The footprint solver against direct simulation and against its own fits."""

from __future__ import annotations

import math

import pytest

from qec import Cat, Depolarizing
from qec.experiment import MemoryExperiment
from qec.intervals import wilson
from qec.overhead import Budget, Design, footprint
from qec.sampling import count_logical_errors

FAST = Budget(measured_steps=2, max_shots=200_000, max_errors=300, max_seconds=10)


def test_surface_baseline_extrapolation_agrees_with_direct_simulation_beyond_the_fit():
    # Fit d = 3, 5 at p = 5e-3; ask for a target that needs d = 7, then simulate d = 7.
    design = Design(name="surface", noise=Depolarizing(p=5e-3))
    rows = footprint(design, [3e-4], budget=FAST)
    row = rows[0]
    assert row.met and row.method == "extrapolated" and row.params["distance"] >= 7
    d = row.params["distance"]
    total = 0.0
    shots = 100_000
    for basis, seed in (("X", 1), ("Z", 2)):
        experiment = MemoryExperiment(code=design.families()[0].at((d - 3) // 2).code,
                                      noise=design.noise, rounds=d, basis=basis)
        errors = count_logical_errors(experiment.circuit(), shots=shots, seed=seed)
        total += wilson(errors=errors, shots=shots).per_round(rounds=d).value
    # The fit's 95% interval, widened by 30% for the model's own error (d = 3 is not yet
    # in the exponential regime), must contain the directly simulated rate.
    assert row.per_round.low / 1.3 <= total <= row.per_round.high * 1.3


def test_projected_distance_is_the_first_the_fitted_lambda_allows():
    design = Design(name="surface", noise=Depolarizing(p=5e-3))
    target = 1e-6
    row = footprint(design, [target], budget=FAST)[0]
    assert row.met and row.method == "extrapolated"
    lambdas = {note.split(":")[0]: float(note.split("Lambda = ")[1].split()[0])
               for note in row.fits}
    assert set(lambdas) == {c.label for c in row.components}
    # p(d) = A Lambda^(-(d+1)/2): one step down in distance multiplies each part by its
    # Lambda. The chosen distance meets the target; the one below must not.
    assert row.per_round.value <= target
    below = sum(c.per_round.value * lambdas[c.label] for c in row.components)
    assert below > target


def test_cat_design_raises_nbar_as_the_target_falls_and_reports_both_parts():
    design = Design(name="repetition_cat", noise=Cat(nbar=8, k1_k2=1e-3),
                    nbars=(4, 6, 8, 10, 12, 14))
    rows = footprint(design, [1e-3, 1e-6, 1e-9], budget=FAST)
    assert all(r.met for r in rows)
    nbars = [r.params["nbar"] for r in rows]
    assert nbars == sorted(nbars) and nbars[-1] > nbars[0]
    for r in rows:
        labels = {c.label: c for c in r.components}
        assert set(labels) == {"phase flips (memory X)", "bit flips (memory Z)"}
        assert labels["bit flips (memory Z)"].method == "first_order"
        assert r.per_round.low <= r.per_round.value <= r.per_round.high
        assert math.isclose(r.per_round.value, sum(c.per_round.value for c in r.components))


def test_bad_targets_are_refused():
    from qec.errors import QecError

    with pytest.raises(QecError, match="target"):
        footprint(Design(name="surface", noise=Depolarizing(p=1e-3)), [0.7], budget=FAST)
