"""`qec compare`, `qec footprint` and `qec threshold` check their inputs before any work:
a bad points/save file, a report folder or plot that cannot be written, an unknown design
or an out-of-range value ends the command with one line (exit status 2), and a missing
points file says that a long run from scratch starts.

No test here simulates, but for one threshold sweep of 400 shots a point: `estimate`
(and the threshold sweep) are replaced by a function that raises `Reached`, so reaching
it means the command got past its checks.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import time
from collections.abc import Iterator
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import qec.cli.threshold
import qec.overhead.family
from qec.cli.compare import main_compare
from qec.cli.footprint import main_footprint
from qec.cli.main import main
from qec.errors import QecError
from qec.overhead import Assumptions, Budget, footprint
from qec.overhead.family import FamilyModel
from qec.sampling import copy_results
from qec.sampling.core.results_file import open_results_file

POINTS = pathlib.Path(__file__).resolve().parents[2] / "results" / "overhead_points.csv"
QUICK = ["--designs", "repetition_cat", "--target", "1e-3", "--quiet"]


class Reached(Exception):
    """Raised where the work would start."""


@contextlib.contextmanager
def stopped_at_work() -> Iterator[mock.MagicMock]:
    """Every estimate of the solver, run or kept (`kept_estimate`), raises `Reached`
    instead of being made."""
    work = mock.MagicMock(side_effect=Reached)
    family = qec.overhead.family
    with (
        mock.patch.object(family, "estimate", work),
        mock.patch.object(family, "kept_estimate", work),
    ):
        yield work


@pytest.fixture
def no_work() -> Iterator[mock.MagicMock]:
    with stopped_at_work() as work:
        yield work


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pathlib.Path]:
    """A copy of the committed points, and files that are no sinter CSV."""
    folder = tmp_path_factory.mktemp("inputs")
    copy_results(POINTS, folder / "points.csv")
    (folder / "garbage.csv").write_text("hello, this is no sinter file\n")
    (folder / "empty.csv").write_text("")
    (folder / "x.txt").write_text("a regular file\n")
    (folder / "folder").mkdir()
    (folder / "plot.png").mkdir()
    return {p.name: p for p in folder.iterdir()}


def refused(args: list[str], capsys: pytest.CaptureFixture[str]) -> QecError:
    """Runs `qec compare` (or another subcommand) with `args`: exit status 2 with one
    line on stderr, and the QecError that `main_<command>` raises for it."""
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2, (args, err)
    assert len(err.splitlines()) == 1 and err.startswith(f"qec {args[0]}: error: "), err
    command = {"compare": main_compare, "footprint": main_footprint}[args[0]]
    with pytest.raises(QecError) as error:
        command(command_line_args=args[1:])
    return error.value


# Case 1: a points file that is no sinter CSV.


def test_a_garbage_points_file_is_refused_before_work(files, no_work, capsys):
    garbage = str(files["garbage.csv"])
    error = refused(["compare", "--points", garbage, "--out", str(files["folder"]), *QUICK], capsys)
    assert (error.parameter, error.value) == ("points", garbage)
    assert error.allowed is not None and error.allowed.startswith("a sinter CSV file")
    assert "first line is not sinter's header" in error.allowed  # the reason, in the line
    assert not no_work.called


def test_a_folder_as_the_points_file_is_refused_before_work(files, no_work, capsys):
    points = str(files["folder"])
    error = refused(["compare", "--points", points, "--out", str(files["folder"]), *QUICK], capsys)
    assert (error.parameter, error.value) == ("points", points)
    assert not no_work.called


def test_a_points_file_another_run_writes_is_refused_before_work(files, no_work, capsys):
    points = files["points.csv"]
    with open_results_file(points):  # the lock of a run writing it
        error = refused(["compare", "--points", str(points), *QUICK], capsys)
    assert (error.parameter, error.value) == ("points", str(points))
    assert not no_work.called


def test_the_solver_never_turns_a_bad_save_file_into_not_reached(files):
    # Deep inside, past the command's check: a family's estimate that fails on the save
    # file is an error, not a component 'not measured' (which ends as 'not reached').
    design, budget = Assumptions().plan("repetition_cat")
    family = design.families()[0]
    small = Budget(measured_steps=2, max_shots=100, max_seconds=1.0, verify_seconds=0.0)
    with pytest.raises(QecError) as error:
        FamilyModel(family, small, files["garbage.csv"], lambda text: None)
    assert (error.value.parameter, error.value.value) == ("save", str(files["garbage.csv"]))
    with pytest.raises(QecError) as error:
        footprint(design, [1e-3], budget=budget, save=files["garbage.csv"])
    assert error.value.parameter == "save"


def test_footprint_refuses_a_garbage_save_file_before_work(files, no_work, capsys):
    garbage = str(files["garbage.csv"])
    args = ["footprint", "--design", "repetition_cat", "--noise", "cat:k1_k2=1e-3"]
    error = refused([*args, "--target", "1e-3", "--save", garbage, "--quiet"], capsys)
    assert (error.parameter, error.value) == ("save", garbage)
    assert not no_work.called


# Case 2: a missing points file starts a run from scratch, and says so first.


@pytest.mark.parametrize("quiet", [True, False])
@pytest.mark.parametrize("empty", [False, True])
def test_a_missing_points_file_says_a_run_from_scratch_starts(quiet, empty, tmp_path, capsys):
    points = tmp_path / "none" / "points.csv"
    if empty:  # an empty file (a run killed before its header) holds no points either
        points.parent.mkdir()
        points.write_text("")
    said: list[str] = []

    def first_estimate(*args: object, **kwargs: object) -> None:
        said.append(capsys.readouterr().err)
        raise Reached

    args = ["compare", "--points", str(points), "--out", str(tmp_path / "out"), *QUICK]
    with mock.patch.object(qec.overhead.family, "estimate", side_effect=first_estimate):
        with pytest.raises(Reached):
            main(args if quiet else args[:-1])
    notice = said[0].splitlines()[0]
    # The wording is the feature: the file, that a run from scratch starts, how long.
    assert notice.startswith(f"qec compare: points={str(points)!r} holds no points")
    assert "from scratch" in notice and "roughly 30 minutes" in notice
    # repetition_cat: 9 nbars x 10 distances x 1 sampled part, 20 s each at most.
    assert "90 points to simulate at up to 20 s each" in notice
    assert len(said[0].splitlines()) == 1 if quiet else len(said[0].splitlines()) > 1


def test_an_existing_points_file_says_nothing_before_work(files, no_work, capsys):
    with pytest.raises(Reached):
        main(["compare", "--points", str(files["points.csv"]), *QUICK])
    assert capsys.readouterr().err == ""


# Case 3: a report folder that cannot be written.


def test_out_naming_a_file_is_refused_before_work(files, no_work, capsys):
    out = str(files["x.txt"])
    error = refused(["compare", "--points", str(files["points.csv"]), "--out", out, *QUICK], capsys)
    assert (error.parameter, error.value) == ("out", out)
    assert error.allowed is not None and error.allowed.startswith("a folder")
    assert not no_work.called


@pytest.mark.parametrize("out", ["/proc/qec-report", "x.txt/report"])
def test_out_that_cannot_be_created_is_refused_before_work(out, files, no_work, capsys):
    out = out.replace("x.txt", str(files["x.txt"]))
    error = refused(["compare", "--points", str(files["points.csv"]), "--out", out, *QUICK], capsys)
    assert (error.parameter, error.value) == ("out", out)
    assert not no_work.called


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_in_a_read_only_folder_is_refused_before_work(files, tmp_path, no_work, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    for out in (locked, locked / "report"):
        args = ["compare", "--points", str(files["points.csv"]), "--out", str(out), *QUICK]
        assert refused(args, capsys).parameter == "out"
    assert not no_work.called


def test_points_in_a_folder_that_cannot_be_created_is_refused(files, no_work, capsys):
    error = refused(["compare", "--points", "/proc/qec/points.csv", *QUICK], capsys)
    assert (error.parameter, error.value) == ("points", "/proc/qec/points.csv")
    assert not no_work.called


THRESHOLD = ["threshold", "--code", "repetition", "--distances", "3,5", "--noise"]
THRESHOLD += ["code_capacity", "--p", "0.05,0.1,0.2", "--workers", "1", "--quiet"]


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--save", "garbage.csv"], "save"),
        (["--save", "folder"], "save"),
        (["--plot", "/proc/qec/plot.png"], "plot"),
        (["--plot", "x.txt/plot.png"], "plot"),
        (["--plot", "plot.png"], "plot"),  # a folder
    ],
)
def test_threshold_refuses_bad_output_paths_before_sampling(flags, named, files, capsys):
    flags = [files[f].as_posix() if f in files else f for f in flags]
    flags = [f.replace("x.txt", str(files["x.txt"])) for f in flags]
    with mock.patch.object(qec.cli.threshold, "collect_sweep", side_effect=Reached) as sweep:
        assert main([*THRESHOLD, *flags]) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and err.startswith("qec threshold: error: "), err
        with pytest.raises(QecError) as error:
            qec.cli.threshold.main_threshold(command_line_args=[*THRESHOLD[1:], *flags])
    assert error.value.parameter == named
    assert not sweep.called


def test_threshold_makes_the_plot_folder(tmp_path, capsys):
    plot = tmp_path / "new" / "plot.png"
    args = [*THRESHOLD, "--max-shots", "400", "--bootstrap", "0", "--plot", str(plot)]
    main(args)  # a sweep this small may find no crossing: the plot is drawn either way
    assert plot.stat().st_size > 0


# Case 4: out-of-range values and unknown names, one line each and never any work.


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--designs", "repetition_cat,toric"], "designs"),
        (["--designs", "repetition_cat,"], "designs"),
        (["--weights", "data=nan"], "weights"),
        (["--cat-weights", "ancilla=inf"], "cat-weights"),
        (["--nbars", "4,0.01", "--designs", "surface,repetition_cat"], "nbar"),
    ],
)
def test_values_refused_today_only_after_work_are_refused_before(
    flags, named, files, no_work, capsys
):
    args = ["compare", "--points", str(files["points.csv"]), *QUICK, *flags]
    assert named in (refused(args, capsys).parameter or "").split(", ")
    assert not no_work.called


def _number(low: float, high: float) -> st.SearchStrategy[str]:
    return st.floats(low, high).map(lambda x: f"{x:.3g}")


JUNK = ["nan", "x", "", "1e-3,x", "--"]
# Valid values (jointly valid too: nbar * t_cx keeps the cat CX's phase flip below 1/2)
# and values out of range, per option.
OPTIONS: dict[str, tuple[st.SearchStrategy[str], st.SearchStrategy[str]]] = {
    "--p": (_number(1e-6, 0.05), _number(-1e3, -1e-9) | _number(1.01, 1e3)),
    "--eta": (_number(0.5, 1e4) | st.just("inf"), _number(-1e3, 0)),
    "--k1-k2": (_number(1e-6, 1e-3), _number(-1e3, 0) | st.just("inf")),
    "--t-cx": (_number(0.5, 2), _number(-1e3, 0) | st.just("inf")),
    "--nbar": (_number(1, 20), _number(-1e3, 0) | st.just("inf")),
    "--nbars": (
        st.lists(_number(1, 20), min_size=1, max_size=3).map(",".join),
        st.sampled_from(["0", "-4", "4,-1", "4,inf", "4,0.01"]),
    ),
    "--weights": (
        st.sampled_from(["data=1", "data=2,ancilla=2", "ancilla=0.5"]),
        st.sampled_from(["data=0", "data=-1", "data=inf", "qubits=2", "data", "data=x"]),
    ),
    "--cat-weights": (
        st.sampled_from(["data=2", "data=1,ancilla=1"]),
        st.sampled_from(["data=0", "ancilla=-2", "ancilla=inf", "buffer=2"]),
    ),
    "--target": (
        st.lists(_number(1e-12, 0.1), min_size=1, max_size=3).map(",".join),
        st.sampled_from(["0", "0.5", "1", "-1e-3", "inf"]) | _number(0.5, 1e3),
    ),
    "--designs": (
        st.lists(
            st.sampled_from([*Assumptions().designs(), "surface", "xzzx"]),
            min_size=1,
            max_size=3,
        ).map(",".join),
        st.sampled_from(["toric", "surface,toric", "repetition cat", "cat", "surface,"]),
    ),
    "--points": (
        st.sampled_from(["points.csv", "new/points.csv"]),
        st.sampled_from(["garbage.csv", "folder", "x.txt/p.csv", "/proc/q/p.csv"]),
    ),
    "--out": (
        st.sampled_from(["folder", "new/report"]),
        st.sampled_from(["x.txt", "x.txt/report", "/proc/qec-report"]),
    ),
    "--workers": (
        st.integers(1, 64).map(str),
        st.sampled_from(["0", "-2", "1.5", "inf"]),
    ),
}


@st.composite
def compare_args(draw: st.DrawFn) -> tuple[list[str], bool]:
    """`qec compare` arguments, and whether one of them is out of range: all in range
    half the time, else each option in range, out of range or junk."""
    args, wrong = ["compare", "--quiet"], False
    kinds = ["valid"] if draw(st.booleans()) else ["valid", "invalid", "junk"]
    for option, (valid, invalid) in OPTIONS.items():
        if option not in ("--points", "--designs") and not draw(st.booleans()):
            continue
        kind = draw(st.sampled_from(kinds))
        if kind == "valid" or option in ("--points", "--out") and kind == "junk":
            value = draw(valid)
        else:
            value = draw(invalid if kind == "invalid" else st.sampled_from(JUNK))
            wrong = True
        args += [option, value]
    return args, wrong or {"--nbar", "--nbars"} <= set(args)  # --nbar fixes nbar


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(drawn=compare_args())
def test_compare_refuses_in_one_line_or_reaches_work(drawn, files, capsys):
    # Out-of-range input: exit status 2 and one line; in range: the work starts (where
    # `Reached` stands in for it), with at most the from-scratch line on stderr.
    drawn_args, wrong = drawn
    folder = files["points.csv"].parent
    args = [_inside(folder, a) for a in drawn_args]
    start = time.monotonic()
    with stopped_at_work():
        try:
            code: int | None = main(args)
        except Reached:
            code = None
    assert time.monotonic() - start < 30, args  # checks take milliseconds: never a hang
    err = capsys.readouterr().err
    event("refused" if code == 2 else "reached the work")
    assert "Traceback" not in err, (args, err)
    if wrong:
        assert code == 2, (args, err)
        assert len(err.splitlines()) == 1 and err.startswith("qec compare: error: "), err
    else:
        assert code is None, (args, err)
        if "new/points.csv" in drawn_args:  # the from-scratch line, alone
            assert len(err.splitlines()) == 1 and "holds no points" in err, (args, err)
        else:
            assert err == "", (args, err)
    shutil.rmtree(folder / "new", ignore_errors=True)


def _inside(folder: pathlib.Path, value: str) -> str:
    """A file name of the fixture's folder as its path there; other values unchanged."""
    first = value.split("/")[0]
    known = ("points.csv", "garbage.csv", "empty.csv", "folder", "x.txt", "new")
    return str(folder / value) if first in known else value
