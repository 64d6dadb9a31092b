"""The command line: output shapes and one-line errors with exit status 2."""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import inspect
import json
import pathlib
import subprocess
import sys

import pytest
import sinter
import stim

from qec.cli.estimate import make_parser
from qec.cli.main import SUBCOMMANDS, main
from qec.sampling import estimate

ESTIMATE = [
    "estimate",
    "--code",
    "repetition",
    "--distance",
    "3",
    "--rounds",
    "2",
    "--noise",
    "depolarizing:p=0.01",
    "--max-shots",
    "2000",
    "--workers",
    "1",
    "--quiet",
    "--method",
    "monte_carlo",
]


def test_estimate_json_prints_one_object_with_the_documented_keys(capsys):
    assert main([*ESTIMATE, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["code"] == "repetition" and data["distance"] == 3 and data["shots"] == 2000
    assert data["noise"] == "depolarizing:p=0.01" and data["method"] == "monte_carlo"
    assert set(data["per_shot"]) == set(data["per_round"]) == {"value", "low", "high"}


def test_json_counts_are_named_for_what_each_method_counts(capsys):
    args = [*ESTIMATE, "--json", "--seed", "1", "--max-seconds", "5"]
    counts = {}
    for method in ("monte_carlo", "stratified", "splitting"):
        args[args.index("--method") + 1] = method
        assert main(args) == 0
        data = json.loads(capsys.readouterr().out)
        counts[method] = {k for k in data if k in COUNT_NAMES}
    assert counts == {
        "monte_carlo": {"shots", "errors"},
        "stratified": {"fault_sets", "failing_fault_sets"},
        "splitting": {"configurations_decoded"},
    }


COUNT_NAMES = {"shots", "errors", "fault_sets", "failing_fault_sets", "configurations_decoded"}


def test_estimate_save_twice_resumes_instead_of_resampling(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Exact shot counts, not rates: nothing here depends on the random draws. The error
    # limit is out of reach, so every run stops at --max-shots (the last flag wins).
    path = tmp_path / "out.csv"

    def run(max_shots: int) -> tuple[int, int]:
        args = [
            *ESTIMATE,
            "--json",
            "--save",
            str(path),
            "--max-errors",
            "1000000",
            "--max-shots",
            str(max_shots),
        ]
        assert main(args) == 0
        data = json.loads(capsys.readouterr().out)
        return data["shots"], data["errors"]

    def saved() -> tuple[int, int]:
        rows = sinter.read_stats_from_csv_files(path)
        assert len(rows) == 1 and rows[0].json_metadata["code"] == "repetition"
        return rows[0].shots, rows[0].errors

    first = run(2000)
    assert first[0] == 2000 and saved() == first
    written = path.read_text()
    assert run(2000) == first  # resumed: nothing left to do, nothing resampled
    assert path.read_text() == written and saved() == first
    more = run(5000)  # tops up by 3000 shots
    assert more[0] == 5000 and more[1] >= first[1] and saved() == more


def test_estimate_help_names_the_default_method_of_estimate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    library = inspect.signature(estimate).parameters
    parser = make_parser()
    for dest, parameter in [
        ("method", "method"),
        ("decoder", "decoder"),
        ("max_shots", "max_shots"),
        ("max_errors", "max_errors"),
        ("rel_precision", "rel_precision"),
        ("max_seconds", "max_seconds"),
        ("seed", "seed"),
        ("workers", "num_workers"),
        ("backend", "backend"),
        ("scheduler", "scheduler"),
        ("save", "save"),
    ]:
        assert parser.get_default(dest) == library[parameter].default, dest
    assert main(["estimate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())  # undo argparse's line wrapping
    # rindex: the options' help comes after the usage line, which names them too.
    method_help = text[text.rindex("--method METHOD") : text.rindex("--decoder DECODER")]
    assert f"(default: {library['method'].default})" in method_help


def test_circuit_prints_stim_text_for_rectangular_xzzx(capsys):
    args = [
        "circuit",
        "--code",
        "xzzx_surface",
        "--dx",
        "3",
        "--dz",
        "7",
        "--rounds",
        "3",
        "--basis",
        "X",
        "--noise",
        "biased:p=0.001,eta=100",
    ]
    assert main(args) == 0
    circuit = stim.Circuit(capsys.readouterr().out)
    assert circuit.num_observables == 1 and "PAULI_CHANNEL_2" in str(circuit)


@pytest.mark.parametrize(
    "change,named",
    [
        (["--code", "toric"], "code='toric'"),
        (["--noise", "whatever:p=0.1"], "noise='whatever'"),
        (["--distance", "1"], "distance=1"),
        (["--distance", "4"], "distance=4"),
        (["--noise", "depolarizing:p=1.5"], "p=1.5"),
        (["--noise", "biased:p=0.1,eta=-2"], "eta=-2"),
        (["--noise", "depolarizing:p:0.1"], "noise="),
        (["--rounds", "0"], "rounds=0"),
        (["--rounds", "three"], "--rounds"),
        (["--basis", "Y"], "basis='Y'"),
        (["--max-shots", "0"], "max_shots=0"),
        (["--max-shots", "1.5"], "--max-shots: expected a whole number"),
        (["--max-errors", "lots"], "--max-errors: expected a whole number"),
        (["--decoder", "magic"], "decoder='magic'"),
        (["--method", "guess"], "method='guess'"),
        (["--rel-precision", "0"], "rel_precision=0"),
        (["--curve-down-to", "2"], "curve_down_to=2.0"),
        # stim's over-mixing channels, caught before stim sees them
        (["--noise", "depolarizing:p=1"], "p=1 is not allowed"),
        (["--noise", "depolarizing:p=0.9"], "p=0.9 is not allowed"),
        (["--noise", "sd6:p=0.8"], "p=0.8 is not allowed"),
        (["--noise", "depolarizing:p=0.001,p=0.002"], "p is repeated"),
        (["--noise", "code_capacity:p=0.01"], "rounds=2 is not allowed: expected 1"),
        (["--code", "rotated_surface", "--dx", "3"], "either distance or both dx and dz"),
        (["--code", "rotated_surface", "--distance", "1001"], "at most 1e+06 qubits"),
        (["--code", "repetition", "--distance", "999", "--rounds", "999"], "rounds=999"),
        (["--circuit", "x.stim"], "circuit='x.stim'"),
        (["--custom-decoders", "nowhere:f"], "custom_decoders='nowhere:f'"),
    ],
)
def test_bad_input_gives_one_line_naming_the_parameter_and_exit_2(change, named, capsys):
    args = list(ESTIMATE)
    for i in range(0, len(change), 2):
        flag, value = change[i], change[i + 1]
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err


def test_a_stim_file_is_estimated_with_any_decoder_and_its_rows_name_it(tmp_path, capsys):
    circuit = stim.Circuit.generated(
        "surface_code:unrotated_memory_z",
        distance=3,
        rounds=3,
        after_clifford_depolarization=0.003,
        before_measure_flip_probability=0.003,
    )
    path = tmp_path / "unrotated.stim"
    path.write_text("# rounds: 3\n" + str(circuit))
    save = tmp_path / "out.csv"
    args = ["estimate", "--circuit", str(path), "--quiet", "--json", "--save", str(save)]
    args += ["--method", "stratified", "--decoder", "bposd", "--max-seconds", "2", "--seed", "1"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["circuit"] == "unrotated.stim" and data["rounds"] == 3
    assert data["decoder"] == "bposd" and data["per_round"]["value"] > 0
    rows = sinter.read_stats_from_csv_files(save)
    assert rows and {r.decoder for r in rows} == {"bposd"}
    assert {r.json_metadata["circuit_sha256"] for r in rows} == {data["circuit_sha256"]}


def test_attribute_prints_the_fault_kinds_in_the_json(capsys):
    args = [*ESTIMATE, "--json", "--attribute", "--seed", "1", "--max-seconds", "5"]
    args[args.index("--method") + 1] = "stratified"
    assert main(args) == 0
    attribution = json.loads(capsys.readouterr().out)["attribution"]
    assert attribution["kinds"] and {"kind", "elasticity", "share"} <= set(attribution["kinds"][0])
    args[args.index("--method") + 1] = "monte_carlo"
    assert main(args) == 2 and "attribute=True" in capsys.readouterr().err


def test_counts_are_read_in_scientific_notation_too(capsys):
    args = [*ESTIMATE, "--method", "monte_carlo", "--max-shots", "2e3", "--max-errors", "1e9"]
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["shots"] == 2000


def test_a_cat_design_with_qubit_noise_names_the_noise_it_needs(capsys):
    # The design's nbar grid once reached the noise parser first ("depolarizing
    # parameter='nbar' is not allowed"), for a parameter the user never gave.
    args = ["footprint", "--design", "thin_surface_cat", "--noise", "depolarizing:p=0.001"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "expected a cat noise model for design" in err


def test_a_directory_as_save_is_one_line_naming_it(tmp_path, capsys):
    assert main([*ESTIMATE, "--save", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"save={str(tmp_path)!r} is not allowed" in err


def test_installed_command_prints_no_traceback_on_bad_input():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "qec.cli.main",
            "estimate",
            "--code",
            "repetition",
            "--distance",
            "4",
            "--rounds",
            "2",
            "--noise",
            "depolarizing:p=0.1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "qec estimate: error: distance=4 is not allowed: expected an odd integer >= 3"
    )


@pytest.mark.parametrize("value", ["-1", "nan", "inf"])
def test_footprint_refuses_a_verification_time_that_is_not_seconds(value, capsys):
    args = ["footprint", "--design", "surface", "--noise", "depolarizing:p=0.001"]
    args += ["--verify-seconds", value]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"verify_seconds={float(value)}" in err


def test_qec_help_lists_every_subcommand_with_a_line_and_version_prints(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert any(
            line.split()[:1] == [name] and len(line.split()) > 2 for line in out.splitlines()
        )
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"qec {importlib.metadata.version('qec')}"


class _Parsed(Exception):
    pass


@pytest.mark.parametrize("subcommand", sorted(SUBCOMMANDS))
def test_every_help_explains_each_option_and_its_default(subcommand, monkeypatch):
    def capture(parser, *args, **kwargs):
        raise _Parsed(parser)

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", capture)
    module, function = SUBCOMMANDS[subcommand]
    with pytest.raises(_Parsed) as parsed:
        getattr(importlib.import_module(module), function)(command_line_args=[])
    parser = parsed.value.args[0]
    formatter = parser._get_formatter()
    unexplained = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or not action.option_strings:
            continue
        text = formatter._get_help_string(action)
        # Flags say what they do; an option with a value also what leaving it out means.
        if not text or (action.nargs != 0 and not action.required and "default" not in text):
            unexplained.append(action.option_strings[0])
    assert unexplained == []
