"""`qec compare`: the table with qubit intervals and ratios from the committed points,
its report files, and one-line errors."""

from __future__ import annotations

import csv
import json
import pathlib

import pytest

from qec.cli.main import main
from qec.overhead import FootprintTable
from qec.sampling import copy_results

POINTS = pathlib.Path(__file__).resolve().parents[2] / "results" / "overhead_points.csv"
# Both designs' rows at 1e-3 rest on points sampled in the committed file (no checks).
ARGS = ["compare", "--designs", "surface (depolarizing),repetition_cat", "--target", "1e-3"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A copy of the committed points, run through once (which tops up points whose
    saved time is short of the plan's budget)."""
    folder = tmp_path_factory.mktemp("compare")
    points = folder / "points.csv"
    copy_results(POINTS, points)
    out = folder / "report"
    assert main([*ARGS, "--points", str(points), "--out", str(out), "--quiet"]) == 0
    return folder, points, out


def test_compare_prints_counts_with_intervals_and_the_ratio_and_writes_the_report(run, capsys):
    folder, points, out = run
    capsys.readouterr()
    size = points.stat().st_size
    assert main([*ARGS, "--points", str(points), "--out", str(out), "--quiet"]) == 0
    text = capsys.readouterr().out
    assert points.stat().st_size == size  # a rerun reads every point back: nothing sampled
    assert "qubits [95%]" in text
    # The ratio grid's line: "surface (depolarizing) / repetition_cat  1.31 [...]".
    [grid_line] = [line for line in text.splitlines() if " / repetition_cat " in line]
    for name in ("compare.csv", "compare_ratios.csv", "compare.json", "compare.png"):
        assert (out / name).stat().st_size > 0
    report = json.loads((out / "compare.json").read_text())
    assert set(report) == {"rows", "ratios", "assumptions"}
    table = FootprintTable.from_json(report)
    surface, cat = (table.row(d, 1e-3) for d in ("surface (depolarizing)", "repetition_cat"))
    assert surface is not None and cat is not None and surface.met and cat.met
    for row in (surface, cat):
        qubits = row.qubit_interval
        assert qubits is not None and qubits.low <= qubits.value <= qubits.high == row.qubits
    [ratio] = report["ratios"]
    assert ratio["ratio"]["value"] == pytest.approx(
        surface.qubit_interval.value / cat.qubit_interval.value
    )
    with open(out / "compare_ratios.csv", newline="") as file:
        assert [r["ratio"] for r in csv.DictReader(file)] == [f"{ratio['ratio']['value']:.3g}"]
    assert grid_line.split()[4] == f"{ratio['ratio']['value']:.3g}"
    html = (out / "compare.html").read_text()
    assert "data:image/png;base64," in html and "Sources" in html and "Assumptions" in html
    assert html.index("The answer") < html.index("Qubits per logical qubit") < html.index("<img")


def test_compare_gives_each_row_its_round_and_rates_per_second(run, capsys):
    folder, points, out = run
    assert main([*ARGS, "--points", str(points), "--out", str(out), "--quiet", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    cycles = {row["design"]: row["cycle"] for row in rows}
    assert cycles["surface (depolarizing)"]["seconds"] == pytest.approx(1.1e-6)
    assert cycles["repetition_cat"]["seconds"] == pytest.approx(5 * 100e-9)  # LR23: 5/kappa_2
    for row in rows:
        seconds = row["cycle"]["seconds"]
        assert row["per_second"]["value"] == pytest.approx(row["per_round"]["value"] / seconds)
        assert row["qubit_seconds"]["value"] == pytest.approx(row["qubits_95"]["value"] * seconds)


def test_compare_takes_the_times_no_model_states(run, capsys):
    folder, points, out = run
    flags = ["--transmon-round-us", "2.2", "--inv-kappa-2-ns", "50", "--json", "--quiet"]
    assert main([*ARGS, "--points", str(points), "--out", str(out), *flags]) == 0
    cycles = {r["design"]: r["cycle"] for r in json.loads(capsys.readouterr().out)["rows"]}
    assert cycles["surface (depolarizing)"]["seconds"] == pytest.approx(2.2e-6)
    assert cycles["repetition_cat"]["seconds"] == pytest.approx(5 * 50e-9)


def test_compare_json_is_the_report_object(run, capsys):
    folder, points, out = run
    assert main([*ARGS, "--points", str(points), "--out", str(out), "--quiet", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["assumptions"]["p"] == 1e-3 and len(data["rows"]) == 2


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--designs", "nonsense"], "designs"),
        (["--transmon-round-us", "0"], "transmon_round_us"),
        (["--inv-kappa-2-ns", "nan"], "inv_kappa_2_ns"),
        (["--p", "-1"], "p"),
        (["--target", "2"], "target"),
        (["--cat-transmon", "depolarizing:p=0.001"], "cat-transmon"),
        (["--weights", "data"], "weights"),
        (["--decoder", "mwpm"], "decoder"),
    ],
)
def test_bad_assumptions_get_one_line_naming_the_parameter(flags, named, tmp_path, capsys):
    code = main(["compare", *flags, "--points", str(tmp_path / "p.csv"), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and named in err, err
