"""Saved splitting units read back: on any machine, and off the curve of weaker noise for
a candidate at stronger noise."""

from __future__ import annotations

import json
import os
import pathlib

import pytest
import sinter

from qec.noise import SI1000, Cat, Depolarizing
from qec.overhead.designs import Design, Family, weaker_strengths
from qec.overhead.family import FamilyModel
from qec.overhead.plan import Budget
from qec.overhead.rows import Derived
from qec.overhead.verification import Check
from qec.sampling.estimate import estimate
from qec.sampling.result import Estimate

WEAK = 2.5e-4  # the noise the saved ladders ran at; d = 5 reaches about 6 times it


def surface(p: float) -> Family:
    return Design(name="surface", noise=Depolarizing(p=p)).families()[0]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, dict[str, Estimate]]:
    """A points file with splitting units of both memories of the surface code at
    d = 5 under depolarizing noise of `WEAK`, and their estimates (seeded)."""
    save = tmp_path_factory.mktemp("curve") / "points.csv"
    candidate = surface(WEAK).at(1)
    runs = {
        c.label: estimate(
            candidate.experiment(c),
            method="splitting",
            max_seconds=6,
            save=save,
            seed=1,
            num_workers=1,
            progress=False,
        )
        for c in candidate.components
    }
    return save, runs


def splitting_rows(save: pathlib.Path, p: float) -> int:
    rows = sinter.read_stats_from_csv_files(save)
    return sum("splitting" in r.json_metadata and r.json_metadata["p"] == p for r in rows)


def test_the_strengths_of_saved_ladders_are_found_for_stronger_noise_of_the_same_model(saved):
    save, _ = saved
    assert weaker_strengths(save, Depolarizing(p=2 * WEAK)) == (WEAK,)
    assert weaker_strengths(save, Depolarizing(p=WEAK)) == ()  # not weaker than itself
    assert weaker_strengths(save, SI1000(p=2 * WEAK)) == ()  # another model's noise
    assert weaker_strengths(save, Cat(nbar=8)) == ()  # not proportional to one rate


def test_a_check_with_no_units_of_its_own_reads_the_curve_of_weaker_noise(saved):
    # d = 3 is sampled directly at p = 2 WEAK; d = 5 has only the ladders of WEAK, whose
    # curves at scale 2 are its rates: the fit takes them, and its check samples nothing.
    save, runs = saved
    weak_rows = splitting_rows(save, WEAK)
    budget = Budget(measured_steps=1, max_shots=20_000, max_errors=50, verify_seconds=60)
    model = FamilyModel(surface(2 * WEAK), budget, save, lambda text: None)
    check = model.check(1)
    assert check.missing is None
    for part in check.parts:
        expected = runs[part.label].rate_at(2.0).per_round
        assert expected is not None
        assert part.method is Derived.CURVE
        assert part.per_round.value == pytest.approx(expected.value, rel=1e-9)
        assert part.per_round.high == pytest.approx(expected.high, rel=1e-9)
        assert [p.distance for p in model.points(part.label)] == [3, 5]
    assert splitting_rows(save, 2 * WEAK) == 0
    assert splitting_rows(save, WEAK) == weak_rows  # read back, not topped up


def test_a_curve_that_stops_short_of_the_noise_is_not_read(saved):
    # Scale 100 lies beyond the ladders' top (about 6): d = 5 has no point to fit.
    save, _ = saved
    budget = Budget(measured_steps=1, max_shots=20_000, max_errors=50, verify_seconds=60)
    model = FamilyModel(surface(100 * WEAK), budget, save, lambda text: None)
    for component in surface(100 * WEAK).at(0).components:
        assert [p.distance for p in model.points(component.label)] == [3]


def test_a_candidate_with_units_of_its_own_fits_them_and_keeps_the_curve_read_beside(
    saved, tmp_path
):
    # The read is kept for validation (experiments/curve_reads.py) but enters no fit.
    save = tmp_path / "points.csv"
    save.write_text(saved[0].read_text())
    strong = surface(2 * WEAK).at(1)
    (x, _) = strong.components
    own = estimate(
        strong.experiment(x), method="splitting", max_seconds=6, save=save, seed=2, num_workers=1
    )
    budget = Budget(measured_steps=1, max_shots=20_000, max_errors=50, verify_seconds=60)
    model = FamilyModel(surface(2 * WEAK), budget, save, lambda text: None)
    (_, at_5) = model.points(x.label)
    assert own.per_round is not None and at_5.rate is not None
    assert at_5.rate.value == pytest.approx(own.per_round.value, rel=1e-9)
    read = model.curve_reads[(1, x.label)]
    assert (read.weaker, read.scale) == (WEAK, 2.0)
    assert read.part.per_round != at_5.rate


def test_a_check_read_back_on_a_machine_of_more_cores_is_the_one_kept(saved, tmp_path, monkeypatch):
    # `qec compare` answers from the committed points in seconds because each read-back
    # is kept under the question it answers: the budget's workers, not the machine's.
    save = tmp_path / "points.csv"
    save.write_text(saved[0].read_text())
    budget = Budget(measured_steps=1, max_shots=20_000, max_errors=50, verify_seconds=60)
    kept = save.with_name("points.derived.json")

    def check(cores: int) -> Check:
        monkeypatch.setattr(os, "cpu_count", lambda: cores)
        return FamilyModel(surface(WEAK), budget, save, lambda text: None).check(1)

    # The first pass samples d = 3 and tops the check up (an estimate that adds rows is
    # not kept); on a loaded machine, a unit's time can leave room for one more on a
    # second pass. Passes on 2 cores go on until one adds no row: that one read
    # everything back and kept it. Then a pass with 8 cores.
    kept_check = check(2)
    for _ in range(3):
        rows = len(save.read_text().splitlines())
        kept_check = check(2)
        if len(save.read_text().splitlines()) == rows:
            break
    assert len(save.read_text().splitlines()) == rows
    values = len(json.loads(kept.read_text())["values"])
    assert check(8) == kept_check
    assert len(json.loads(kept.read_text())["values"]) == values  # nothing computed again
    assert len(save.read_text().splitlines()) == rows
