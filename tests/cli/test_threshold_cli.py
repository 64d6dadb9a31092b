"""`qec threshold`: output shapes, plots, resume, and bad input named in one line.

The subcommand is called directly (`main_threshold`); the dispatcher registers it as
`qec threshold`. Sweeps are tiny (a few thousand shots, one worker). sinter's sampling is
not seeded, so each configuration was checked against 200-300 simulated repeats
(binomial draws around high-statistics rates): none failed to find a threshold, and the
values asserted hold in all of them (false failure well below 1%).
"""

from __future__ import annotations

import json

import pytest
import sinter

from qec.analysis import ThresholdNotFound
from qec.cli.threshold import main_threshold, parse_noise_family, parse_sizes, parse_values
from qec.errors import QecError

# The repetition code with measurement errors, rounds = d: per-shot threshold ~0.10.
REPETITION = [
    "--code",
    "repetition",
    "--distances",
    "3,7,11",
    "--noise",
    "phenomenological",
    "--p",
    "0.05,0.08,0.12,0.18",
    "--per",
    "shot",
    "--max-shots",
    "3000",
    "--max-errors",
    "1000000",
    "--workers",
    "1",
    "--bootstrap",
    "20",
    "--quiet",
]
# Code capacity (one round, so per round = per shot); the curves meet at p = 1/2.
CODE_CAPACITY = [
    "--code",
    "repetition",
    "--distances",
    "3,5,7",
    "--noise",
    "code_capacity",
    "--p",
    "0.3:0.5:5",
    "--max-shots",
    "3000",
    "--workers",
    "1",
    "--bootstrap",
    "20",
    "--quiet",
]


def run_json(args, capsys):
    assert main_threshold(command_line_args=[*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_code_noise_distances_threshold_and_method(capsys):
    data = run_json(REPETITION, capsys)
    assert data["code"] == "repetition" and data["noise"] == "phenomenological"
    assert data["distances"] == [3, 7, 11] and data["sweep"] == "p" and data["rounds"] == "d"
    assert set(data["threshold"]) == {"value", "low", "high"}
    assert data["method"] == "finite_size_scaling" and data["per"] == "shot"
    assert 0.08 < data["threshold"]["value"] < 0.13  # simulated repeats: 0.094-0.107
    assert len(data["points"]) == 12 and {p["shots"] for p in data["points"]} == {3000}
    assert {p["rounds"] for p in data["points"]} == {3, 7, 11}


def test_rates_are_per_shot_unless_told(capsys):
    data = run_json(CODE_CAPACITY, capsys)
    assert data["per"] == "shot" and data["rounds"] == "1" and "per_shot" in data["points"][0]


def test_text_output_names_the_threshold_method_and_interval(capsys):
    assert main_threshold(command_line_args=REPETITION) == 0
    out = capsys.readouterr().out
    assert "threshold p = " in out and "per shot" in out
    assert "finite-size-scaling fit" in out and "parametric bootstrap" in out


def test_crossing_method_and_plot_file(tmp_path, capsys):
    plot = tmp_path / "threshold.png"
    data = run_json([*REPETITION, "--method", "crossing", "--plot", str(plot)], capsys)
    assert data["method"] == "crossing"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_save_then_rerun_resumes_without_new_shots(tmp_path, capsys):
    path = tmp_path / "sweep.csv"
    first = run_json([*REPETITION, "--save", str(path)], capsys)
    again = run_json([*REPETITION, "--save", str(path)], capsys)
    assert [p["errors"] for p in first["points"]] == [p["errors"] for p in again["points"]]
    assert sum(s.shots for s in sinter.read_stats_from_csv_files(path)) == 12 * 3000


def test_save_repairs_a_torn_tail_and_refuses_a_second_writer(tmp_path, capsys):
    from qec.sampling.core.results_file import open_results_file

    path = tmp_path / "sweep.csv"
    run_json([*REPETITION, "--save", str(path)], capsys)
    whole = path.read_text()
    path.write_text(whole + whole.splitlines()[-1][:40])  # a run killed mid-line
    assert main_threshold(command_line_args=[*REPETITION, "--save", str(path), "--json"]) == 0
    assert "dropped an incomplete last line" in capsys.readouterr().err
    assert sum(s.shots for s in sinter.read_stats_from_csv_files(path)) == 12 * 3000
    with open_results_file(path), pytest.raises(QecError) as refused:
        main_threshold(command_line_args=[*REPETITION, "--save", str(path)])
    assert (refused.value.parameter, refused.value.value) == ("save", str(path))
    assert not (tmp_path / "sweep.csv.lock").exists()


def test_rectangular_sizes_and_the_code_capacity_rounds(capsys):
    args = [
        "--code",
        "rotated_surface",
        "--distances",
        "3x5,5x9,7x13",
        "--noise",
        "code_capacity",
        "--p",
        "0.05,0.08,0.12,0.18",
        "--max-shots",
        "2000",
        "--workers",
        "1",
        "--bootstrap",
        "10",
        "--quiet",
    ]
    data = run_json(args, capsys)
    assert data["distances"] == [3, 5, 7] and data["dx"] == [3, 5, 7]
    assert data["dz"] == [5, 9, 13] and data["rounds"] == "1"
    assert {p["rounds"] for p in data["points"]} == {1}
    assert {p["size"] for p in data["points"]} == {"dx=3 dz=5", "dx=5 dz=9", "dx=7 dz=13"}


def test_any_numeric_noise_parameter_can_be_swept(capsys):
    args = [
        "--code",
        "repetition",
        "--basis",
        "X",
        "--distances",
        "3,5,7",
        "--noise",
        "cat:nbar=8",
        "--sweep",
        "k1_k2",
        "--values",
        "0.001:0.008:5",
        "--per",
        "shot",
        "--max-shots",
        "2000",
        "--workers",
        "1",
        "--bootstrap",
        "10",
        "--quiet",
    ]
    data = run_json(args, capsys)
    assert data["sweep"] == "k1_k2" and data["noise"] == "cat:nbar=8"
    assert "k1_k2" in data["points"][0]
    assert 0.001 < data["threshold"]["value"] < 0.008


def test_a_range_below_the_threshold_is_refused_saying_where_it_lies(capsys):
    args = [*CODE_CAPACITY]
    args[args.index("--p") + 1] = "0.05:0.15:4"
    refused = "p=0.05,0.0721125,0.104004,0.15 is not allowed.*above 0.15"
    with pytest.raises(ThresholdNotFound, match=refused):
        main_threshold(command_line_args=args)


@pytest.mark.parametrize(
    "flag,value,named",
    [
        ("--distances", "3", "distances='3'"),
        ("--distances", "3,4", "distance=4"),
        ("--p", "0.5:0.3:5", "p='0.5:0.3:5'"),
        ("--p", "0.3,0.4", "p='0.3,0.4'"),
        ("--p", "0.3:0.9:x", "p='0.3:0.9:x'"),
        ("--noise", "phenomenological:p=0.1", "no value for the swept parameter 'p'"),
        ("--noise", "whatever", "noise='whatever'"),
        ("--noise", "biased:eta=-1", "eta=-1"),
        ("--sweep", "q", "sweep='q'"),
        ("--code", "toric", "code='toric'"),
        ("--per", "cycle", "per='cycle'"),
        ("--rounds", "dd", "rounds='dd'"),
        ("--method", "magic", "method='magic'"),
        ("--window", "1", "window=1.0"),
        ("--plot", "out.jpg", "plot='out.jpg'"),
        ("--rounds", "0", "rounds='0'"),
        ("--basis", "Y", "basis='Y'"),
        ("--max-shots", "0", "max_shots=0"),
        ("--decoder", "magic", "decoder='magic'"),
    ],
)
def test_bad_input_names_the_parameter_and_the_value(flag, value, named):
    args = list(REPETITION)
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    with pytest.raises(QecError, match=named.replace("(", r"\(").replace(")", r"\)")) as info:
        main_threshold(command_line_args=args)
    assert "\n" not in str(info.value) and "is not allowed" in str(info.value)


def test_through_the_dispatcher_bad_input_is_one_line_and_exit_2(monkeypatch, capsys):
    from qec.cli import main as dispatcher

    monkeypatch.setitem(
        dispatcher.SUBCOMMANDS, "threshold", ("qec.cli.threshold", "main_threshold")
    )
    args = list(CODE_CAPACITY)
    args[args.index("--p") + 1] = "0.05:0.15:4"
    assert dispatcher.main(["threshold", *args]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("qec threshold: error: p=0.05,0.0721125,0.104004,0.15 is not")
    assert dispatcher.main(["threshold", *REPETITION, "--per", "cycle"]) == 2
    assert capsys.readouterr().err == (
        "qec threshold: error: per='cycle' is not allowed: expected round or shot\n"
    )


def test_argparse_errors_are_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main_threshold(command_line_args=["--code", "repetition"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_value_size_and_noise_parsers():
    assert parse_values("0.01:0.04:3") == (0.01, 0.02, 0.04)
    assert parse_sizes("5x15,3x9") == ((5, 15), (3, 9))
    assert parse_noise_family("cat:nbar=8,t_cx=0.5") == ("cat", {"nbar": 8, "t_cx": 0.5})
