"""Tests of `qec fit`."""

from __future__ import annotations

import json

import pytest
import sinter

from qec import Depolarizing, RepetitionCode
from qec.cli.fit import main_fit
from qec.cli.main import main
from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.sampling import estimate

COUNTS = {3: 1_000, 5: 100, 7: 10}  # errors in 10,000 shots: Lambda = 10, A = 10


def write_csv(path, rows: list[sinter.TaskStats]) -> str:
    path.write_text(sinter.CSV_HEADER + "\n" + "".join(r.to_csv_line() + "\n" for r in rows))
    return str(path)


def rows(noise: str = "depolarizing:p=0.001", counts: dict[int, int] = COUNTS, shots: int = 10_000):
    return [
        sinter.TaskStats(
            strong_id=f"{noise}-{d}",
            decoder="pymatching",
            json_metadata={
                "code": "repetition",
                "distance": d,
                "rounds": 1,
                "basis": "Z",
                "noise": noise,
                "qubits": 2 * d - 1,
            },
            shots=shots,
            errors=errors,
            seconds=1.0,
        )
        for d, errors in counts.items()
    ]


EXPECTED_TEXT = """\
group 1: basis=Z code=repetition noise=depolarizing:p=0.001 decoder=pymatching
  model: p_L(d) = A * Lambda^(-(d+1)/2), p_L per round, fitted for d = 3 to 7
  method: maximum likelihood on the binomial counts, 95% profile-likelihood intervals
    d  rounds   shots  errors  p_L/round [95% Wilson]         model p_L
    3       1  10,000   1,000  1.00e-01 [9.43e-02, 1.06e-01]  1.00e-01
    5       1  10,000     100  1.00e-02 [8.23e-03, 1.21e-02]  1.00e-02
    7       1  10,000      10  1.00e-03 [5.43e-04, 1.84e-03]  1.00e-03
  Lambda = 10 [8.46, 12]
  A      = 10 [7, 14.6]
  fit quality: deviance 0 on 1 dof, p-value 1
  target p_L = 0.001 per round: d = 7 [95%: 7 to 9]
  target p_L = 1e-09 per round: d = 19 [95%: 19 to 21], extrapolated beyond the fitted d = 3 to 7
"""


def test_text_output(tmp_path, capsys):
    path = write_csv(tmp_path / "stats.csv", rows())
    assert main_fit(command_line_args=[path, "--target", "1e-3,1e-9"]) == 0
    assert capsys.readouterr().out == EXPECTED_TEXT


def test_json_output(tmp_path, capsys):
    first = write_csv(tmp_path / "a.csv", rows())
    second = write_csv(
        tmp_path / "b.csv", rows(noise="depolarizing:p=0.003", counts={3: 2_000, 5: 800, 7: 300})
    )
    args = [first, second, "--json", "--target", "1e-9", "--target", "1e-12"]
    assert main_fit(command_line_args=args) == 0
    fits = json.loads(capsys.readouterr().out)
    assert [f["metadata"]["noise"] for f in fits] == [
        "depolarizing:p=0.001",
        "depolarizing:p=0.003",
    ]
    fit = fits[0]
    assert fit["metadata"] == {
        "basis": "Z",
        "code": "repetition",
        "noise": "depolarizing:p=0.001",
        "decoder": "pymatching",
    }
    assert fit["model"] == "p_L(d) = A * Lambda^(-(d+1)/2)"
    assert fit["fitted_distances"] == [3, 5, 7]
    assert set(fit["lambda"]) == {"value", "low", "high"} == set(fit["A"])
    assert fit["lambda"]["value"] == pytest.approx(10.0, rel=1e-6)
    assert fit["lambda"]["low"] < 10 < fit["lambda"]["high"]
    assert fit["deviance"] == pytest.approx(0.0, abs=1e-8)
    assert fit["p_value"] == pytest.approx(1.0)
    assert fit["points"][0] == {"distance": 3, "shots": 10_000, "errors": 1_000, "rounds": 1}
    assert [t["target"] for t in fit["targets"]] == [1e-9, 1e-12]
    target = fit["targets"][0]
    assert {"target", "distance", "distance_low", "distance_high", "extrapolated"} <= set(target)
    assert (target["distance"], target["distance_low"], target["distance_high"]) == (19, 19, 21)
    assert target["extrapolated"] is True
    assert fits[1]["lambda"]["value"] < fit["lambda"]["value"]


def test_four_distances_or_more_are_fitted_with_a_bend_when_the_data_ask(tmp_path, capsys):
    # 10^7 shots from p_L = 0.1 h^-1.5 2^-h (h = (d+1)/2): the exponential is rejected
    # by far, and the bent fit finds gamma near -1.5.
    bent = {
        d: round(1e7 * 0.1 * ((d + 1) / 2) ** -1.5 * 2.0 ** (-(d + 1) / 2))
        for d in (3, 5, 7, 9, 11, 13)
    }
    path = write_csv(tmp_path / "bent.csv", rows(counts=bent, shots=10**7))
    assert main_fit(command_line_args=[path, "--json", "--target", "1e-6"]) == 0
    (fit,) = json.loads(capsys.readouterr().out)
    assert fit["model"] == "p_L(d) = A * Lambda^(-h) * h^gamma, h = (d+1)/2"
    assert fit["bent"] is True
    assert fit["gamma"]["low"] < -1.5 < fit["gamma"]["high"]
    (target,) = fit["targets"]
    assert target["distance_low"] <= 23 <= target["distance_high"]  # 1e-6 first at d = 23
    assert main_fit(command_line_args=[path]) == 0
    assert "  gamma  = " in capsys.readouterr().out


def test_rows_of_one_task_in_two_files_are_added(tmp_path, capsys):
    # The same task (strong id) split over two files counts once, with all its shots.
    half = [
        sinter.TaskStats(
            strong_id=r.strong_id,
            decoder=r.decoder,
            json_metadata=r.json_metadata,
            shots=r.shots // 2,
            errors=r.errors // 2,
        )
        for r in rows()
    ]
    first = write_csv(tmp_path / "a.csv", half)
    second = write_csv(tmp_path / "b.csv", half)
    assert main_fit(command_line_args=[first, second, "--json"]) == 0
    (fit,) = json.loads(capsys.readouterr().out)
    assert [p["shots"] for p in fit["points"]] == [10_000] * 3


def test_unfittable_groups_are_reported(tmp_path, capsys):
    path = write_csv(
        tmp_path / "stats.csv",
        rows() + rows(noise="other", counts={3: 5}),
    )
    assert main_fit(command_line_args=[path]) == 0
    out = capsys.readouterr().out
    assert "group 2: basis=Z code=repetition noise=other decoder=pymatching" in out
    assert "  not fitted: distances=[3] is not allowed" in out
    assert main_fit(command_line_args=[path, "--json"]) == 0
    fits = json.loads(capsys.readouterr().out)
    assert fits[1]["lambda"] is None and "at least 2 distinct distances" in fits[1]["error"]


def test_stratified_and_splitting_rows_are_fitted_with_their_intervals(tmp_path, capsys):
    # Their fault sets and configurations are not shots: each experiment's rows give one
    # point with the interval its run reported. Independent check: the same experiments
    # sampled directly (another file) give a Lambda interval that overlaps this one (two
    # 95% intervals of one quantity miss each other with probability well under 1%;
    # fixed seeds).
    estimated, direct = tmp_path / "estimated.csv", tmp_path / "direct.csv"
    reported = {}
    for d, method in ((3, "stratified"), (5, "stratified"), (7, "splitting")):
        experiment = MemoryExperiment(
            code=RepetitionCode(distance=d), noise=Depolarizing(p=0.02), rounds=d, basis="Z"
        )
        run = estimate(
            experiment,
            method=method,
            max_seconds=20,
            rel_precision=0.1,
            seed=d,
            save=estimated,
            progress=False,
            num_workers=1,
        )
        reported[d] = (method, run.per_round)
        estimate(
            experiment,
            method="monte_carlo",
            max_shots=400_000,
            max_errors=2_000,
            seed=d,
            save=direct,
            progress=False,
        )
    assert main_fit(command_line_args=[str(estimated), "--json"]) == 0
    [group] = json.loads(capsys.readouterr().out)
    for point in group["points"]:
        method, rate = reported[point["distance"]]
        assert point["method"] == method and "shots" not in point
        assert point["per_round"]["value"] == pytest.approx(rate.value, rel=1e-9)
        assert point["per_round"]["high"] == pytest.approx(rate.high, rel=1e-9)
    assert main_fit(command_line_args=[str(direct), "--json"]) == 0
    [by_counts] = json.loads(capsys.readouterr().out)
    a, b = group["lambda"], by_counts["lambda"]
    assert a["low"] <= b["high"] and b["low"] <= a["high"], (a, b)
    assert main_fit(command_line_args=[str(estimated)]) == 0
    out = capsys.readouterr().out
    assert "d = 7: splitting estimate (" in out and "not counts of shots" in out
    assert "skipped rows" not in out


def test_missing_file_names_it(tmp_path):
    missing = str(tmp_path / "missing.csv")
    with pytest.raises(QecError, match="missing.csv"):
        main_fit(command_line_args=[missing])


def test_empty_file_is_named_and_said_to_be_empty(tmp_path):
    path = tmp_path / "empty.csv"
    path.touch()
    with pytest.raises(QecError, match=r"empty.csv.*this one is empty"):
        main_fit(command_line_args=[str(path)])


def test_malformed_file_names_it(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("not,a,sinter,file\n1,2,3,4\n")
    with pytest.raises(QecError, match="bad.csv"):
        main_fit(command_line_args=[str(path)])


def test_nothing_to_fit(tmp_path):
    path = write_csv(tmp_path / "stats.csv", rows(counts={3: 5, 5: 0}))
    with pytest.raises(QecError, match="Lambda -> infinity"):
        main_fit(command_line_args=[path])
    empty = write_csv(tmp_path / "empty.csv", [])
    with pytest.raises(QecError, match="no rows"):
        main_fit(command_line_args=[empty])


@pytest.mark.parametrize("target", ["abc", "0.7", "0", ","])
def test_bad_target_exits_2(tmp_path, capsys, target):
    path = write_csv(tmp_path / "stats.csv", rows())
    with pytest.raises(SystemExit) as exit_info:
        main_fit(command_line_args=[path, "--target", target])
    assert exit_info.value.code == 2
    assert "qec fit: error:" in capsys.readouterr().err


def test_dispatcher_turns_errors_into_one_line(tmp_path, capsys):
    missing = str(tmp_path / "missing.csv")
    assert main(["fit", missing]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qec fit: error: file=") and "missing.csv" in err
    assert err.count("\n") == 1


def test_by_rounds_splits_groups(tmp_path, capsys):
    def task(d: int, rounds: int, errors: int) -> sinter.TaskStats:
        return sinter.TaskStats(
            strong_id=f"{d}-{rounds}",
            decoder="pymatching",
            json_metadata={"code": "repetition", "distance": d, "rounds": rounds, "noise": "x"},
            shots=10_000,
            errors=errors,
        )

    path = write_csv(
        tmp_path / "stats.csv",
        [task(3, 3, 300), task(5, 3, 40), task(3, 9, 800), task(5, 9, 120), task(7, 9, 20)],
    )
    assert main_fit(command_line_args=[path, "--json"]) == 0
    assert [len(f["points"]) for f in json.loads(capsys.readouterr().out)] == [5]
    assert main_fit(command_line_args=[path, "--json", "--by-rounds"]) == 0
    fits = json.loads(capsys.readouterr().out)
    assert sorted((f["metadata"]["rounds"], len(f["points"])) for f in fits) == [(3, 2), (9, 3)]
