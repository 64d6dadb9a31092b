"""Values derived from circuits, kept beside a results file: read back instead of
computed, computed again when the circuit or a package changes, and never in the way
(a bad or unwritable file is a cache miss). Reading saved points back then builds no
detector error model and no decoding problem."""

from __future__ import annotations

import importlib
import json
import pathlib

import pytest
import sinter
import stim

from qec import Depolarizing, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.sampling import estimate
from qec.sampling.core import derived_values as derived_module
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.derived_values import DerivedValues, derived_values_file

estimate_module = importlib.import_module("qec.sampling.estimate")  # the function shadows it
CIRCUIT = stim.Circuit("X_ERROR(0.1) 0\nM 0\nDETECTOR rec[-1]\nOBSERVABLE_INCLUDE(0) rec[-1]")


def never(*args: object, **kwargs: object) -> float:
    raise AssertionError("computed although kept")


@pytest.fixture(autouse=True)
def fresh_stores(monkeypatch):
    """Each test starts as a new process would: no store in memory."""
    monkeypatch.setattr(derived_module, "_stores", {})


def test_a_kept_value_is_read_back_from_the_file_by_a_new_store(tmp_path):
    file = tmp_path / "points.derived.json"
    assert DerivedValues(file).get(CIRCUIT, "rate", {"d": 3}, lambda: 0.25, packages=("stim",))
    assert DerivedValues(file).get(CIRCUIT, "rate", {"d": 3}, never, packages=("stim",)) == 0.25
    assert json.loads(file.read_text())["format"] == derived_module.FORMAT


def test_another_circuit_name_or_parameter_is_computed_again(tmp_path):
    values = DerivedValues(tmp_path / "v.derived.json")
    values.get(CIRCUIT, "rate", {"d": 3}, lambda: 0.25, packages=("stim",))
    other = CIRCUIT.copy()
    other.append("X_ERROR", [0], 0.2)
    assert values.get(other, "rate", {"d": 3}, lambda: 0.5, packages=("stim",)) == 0.5
    assert values.get(CIRCUIT, "other", {"d": 3}, lambda: 0.75, packages=("stim",)) == 0.75
    assert values.get(CIRCUIT, "rate", {"d": 5}, lambda: 1.0, packages=("stim",)) == 1.0


def test_an_upgraded_package_computes_the_value_again(tmp_path, monkeypatch):
    file = tmp_path / "v.derived.json"
    DerivedValues(file).get(CIRCUIT, "rate", {}, lambda: 0.25, packages=("stim",))
    monkeypatch.setattr(derived_module, "package_version", lambda name: "999.0")
    assert DerivedValues(file).get(CIRCUIT, "rate", {}, lambda: 0.5, packages=("stim",)) == 0.5


@pytest.mark.parametrize("text", ["not json", '{"format": 0, "values": {}}', "[1, 2]"])
def test_an_unreadable_file_is_a_cache_miss_and_is_rewritten(tmp_path, text):
    file = tmp_path / "v.derived.json"
    file.write_text(text)
    assert DerivedValues(file).get(CIRCUIT, "rate", {}, lambda: 0.25, packages=()) == 0.25
    assert DerivedValues(file).get(CIRCUIT, "rate", {}, never, packages=()) == 0.25


def test_a_file_that_cannot_be_written_keeps_the_values_in_memory(tmp_path):
    values = DerivedValues(tmp_path / "missing folder" / "v.derived.json")
    assert values.get(CIRCUIT, "rate", {}, lambda: 0.25, packages=()) == 0.25
    assert values.get(CIRCUIT, "rate", {}, never, packages=()) == 0.25
    assert not (tmp_path / "missing folder").exists()


def test_values_written_by_another_store_meanwhile_are_kept(tmp_path):
    file = tmp_path / "v.derived.json"
    first, second = DerivedValues(file), DerivedValues(file)
    first.get(CIRCUIT, "a", {}, lambda: 1, packages=())
    second.get(CIRCUIT, "b", {}, lambda: 2, packages=())
    third = DerivedValues(file)
    assert (third.get(CIRCUIT, "a", {}, never, packages=()), 1) == (1, 1)
    assert third.get(CIRCUIT, "b", {}, never, packages=()) == 2


def surface(p: float) -> MemoryExperiment:
    return MemoryExperiment(
        code=RotatedSurfaceCode(distance=3), noise=Depolarizing(p=p), rounds=3, basis="Z"
    )


@pytest.mark.parametrize("method", ["monte_carlo", "auto"])
def test_saved_direct_shots_are_read_back_without_a_model(tmp_path, monkeypatch, method):
    path = tmp_path / "points.csv"

    def run():
        return estimate(
            surface(5e-3), method=method, max_shots=30_000, max_errors=None, save=path,
            num_workers=1, progress=False, seed=1,
        )  # fmt: skip

    first = run()
    assert derived_values_file(path).exists()
    monkeypatch.setattr(derived_module, "_stores", {})  # as a new process reads it
    monkeypatch.setattr(estimate_module, "decoder_error_model", never)
    monkeypatch.setattr(DecodingProblem, "of", never)
    second = run()
    assert first.method == "monte_carlo"  # auto: enough errors expected within max_shots
    assert (second.shots, second.errors, second.method) == (first.shots, first.errors, first.method)
    assert second.per_round == first.per_round


def test_saved_splitting_units_are_read_back_without_a_model(tmp_path, monkeypatch):
    path = tmp_path / "points.csv"

    def run():
        return estimate(
            surface(1e-3), method="splitting", rel_precision=0.01, max_seconds=3.0, save=path,
            seed=1, num_workers=1, progress=False,
        )  # fmt: skip

    first = run()
    monkeypatch.setattr(derived_module, "_stores", {})  # as a new process reads it
    monkeypatch.setattr(estimate_module, "decoder_error_model", never)
    monkeypatch.setattr(DecodingProblem, "of", never)
    second = run()
    assert second.per_shot == first.per_shot
    assert second.counts == first.counts


def test_the_committed_strong_ids_are_those_sinter_wrote_with_the_points():
    # The committed points' rows carry the strong ids sinter computed when it sampled
    # them; the kept ones must be the same, or every read-back would miss its rows.
    root = pathlib.Path(__file__).resolve().parents[3] / "results"
    points = root / "overhead_points.csv"
    rows = [
        row
        for row in sinter.read_stats_from_csv_files(points)
        if row.json_metadata.get("distance") == 3 and len(row.json_metadata) <= 10
    ]
    checked = 0
    for row in rows:
        metadata = row.json_metadata
        if "stratum" in metadata or "splitting" in metadata:
            continue
        circuit = MemoryExperiment.from_metadata(metadata).circuit()
        params = {"decoder": row.decoder, "metadata": metadata}
        try:
            kept = derived_module.derived_values(points).get(
                circuit, "strong_id", params, never, packages=("stim", "sinter")
            )
        except AssertionError:  # a point of another run than `qec compare`'s: not kept
            continue
        assert kept == row.strong_id
        checked += 1
    assert checked >= 10
