"""Killed runs leave readable files; resumed totals are exact; one writer at a time."""

from __future__ import annotations

import contextlib
import errno
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest
import sinter

from qec.errors import EnvironmentFault, QecError
from qec.sampling.core.results_file import (
    check_results_path,
    open_results_file,
    repair_torn_tail,
)
from tests.conftest import direct_estimate_command


@pytest.fixture
def small_filesystem(tmp_path):
    """A 256 KiB file system of its own (a tmpfs), for a disk that fills up; skipped
    where this process may not mount one (mounting needs root)."""
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(tmp_path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield tmp_path
    subprocess.run(["umount", "-l", str(tmp_path)], check=False)


def fill(folder: pathlib.Path, *, leave: int = 0) -> pathlib.Path:
    """Fills the file system of `folder` with a file (returned) up to `leave` bytes."""
    filler = folder / "filler"
    stat = os.statvfs(folder)
    with open(filler, "wb") as out:
        out.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - leave))
    return filler


ROW = sinter.TaskStats(
    strong_id="abc",
    decoder="pymatching",
    json_metadata={"d": 3},
    shots=100,
    errors=7,
    seconds=0.25,
).to_csv_line()


def test_torn_last_line_is_dropped_with_a_warning(tmp_path, capsys):
    path = tmp_path / "stats.csv"
    path.write_text(f"{sinter.CSV_HEADER}\n{ROW}\n{ROW[:30]}")
    assert repair_torn_tail(path) == 30
    assert "dropped an incomplete last line" in capsys.readouterr().err
    stats = sinter.read_stats_from_csv_files(path)
    assert [(s.shots, s.errors) for s in stats] == [(100, 7)]
    path.write_text(path.read_text() + ROW)  # whole row, only the newline missing
    assert repair_torn_tail(path) == 0
    assert sinter.read_stats_from_csv_files(path)[0].shots == 200


def test_corrupt_line_in_the_middle_is_an_error_not_a_silent_drop(tmp_path):
    path = tmp_path / "stats.csv"
    path.write_text(f"{sinter.CSV_HEADER}\n{ROW[:30]}\n{ROW}\n")
    with pytest.raises(QecError) as refused:
        repair_torn_tail(path)
    assert "line 2," in refused.value.allowed


def test_second_writer_is_refused_while_the_first_holds_the_file(tmp_path):
    path = tmp_path / "stats.csv"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from qec.sampling.core.results_file import open_results_file\n"
            f"with open_results_file({str(path)!r}):\n"
            "    print('locked', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(QecError) as refused, open_results_file(path):
            pass
        assert "qec process" in refused.value.allowed  # the holder is named
    finally:
        holder.kill()
        holder.wait()
    with open_results_file(path):  # the lock dies with its process
        pass


def test_no_lock_file_is_left_behind_even_when_the_run_fails(tmp_path):
    path = tmp_path / "stats.csv"
    with open_results_file(path):
        assert (tmp_path / "stats.csv.lock").exists()
    with pytest.raises(KeyboardInterrupt), open_results_file(path):
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_a_lock_file_left_by_a_killed_run_is_taken_over(tmp_path):
    path = tmp_path / "stats.csv"
    (tmp_path / "stats.csv.lock").write_text("qec process 999999999")  # dead, unlocked
    with open_results_file(path):
        assert (tmp_path / "stats.csv.lock").read_text() == f"qec process {os.getpid()}"
    assert not (tmp_path / "stats.csv.lock").exists()


def test_a_torn_tail_is_repaired_on_a_full_disk(small_filesystem):
    path = small_filesystem / "stats.csv"
    path.write_text(f"{sinter.CSV_HEADER}\n{ROW}\n{ROW[:30]}")
    fill(small_filesystem)
    assert repair_torn_tail(path, warn=False) == 30  # truncating needs no space
    assert sum(s.shots for s in sinter.read_stats_from_csv_files(path)) == 100


def test_a_refused_write_keeps_the_whole_rows_and_releases_the_lock(tmp_path):
    path = tmp_path / "stats.csv"
    with pytest.raises(EnvironmentFault) as fault, open_results_file(path):
        with open(path, "a") as out:
            print(f"{sinter.CSV_HEADER}\n{ROW}\n{ROW[:30]}", end="", file=out)
        raise OSError(errno.ENOSPC, "No space left on device")  # as print's flush raises it
    assert (fault.value.path, fault.value.kept_rows) == (str(path), 1)
    assert [s.shots for s in sinter.read_stats_from_csv_files(path)] == [100]
    assert not (tmp_path / "stats.csv.lock").exists()


def test_a_full_disk_ends_the_run_with_one_line_and_a_rerun_resumes(small_filesystem):
    path = small_filesystem / "stats.csv"
    filler = fill(small_filesystem, leave=3 * 4096)  # the lock's page, and ~25 rows
    command = direct_estimate_command(path, max_shots=100_000_000)
    failed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1
    assert len(failed.stderr.strip().splitlines()) == 1 and "Traceback" not in failed.stderr
    assert not (small_filesystem / "stats.csv.lock").exists()
    kept = sum(s.shots for s in sinter.read_stats_from_csv_files(path))
    assert kept > 0
    filler.unlink()
    command = direct_estimate_command(path, max_shots=kept + 10_000)
    subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    assert sum(s.shots for s in sinter.read_stats_from_csv_files(path)) == kept + 10_000


def test_a_file_that_cannot_hold_results_is_refused_before_any_work(tmp_path):
    for path in (pathlib.Path("/dev/full"), tmp_path):
        with pytest.raises(QecError) as refused:
            check_results_path(path)
        assert (refused.value.parameter, refused.value.value) == ("save", str(path))
    with pytest.raises(QecError) as refused, open_results_file("/dev/full"):
        pass
    assert refused.value.parameter == "save"
    assert not pathlib.Path("/dev/full.lock").exists()


def test_a_read_only_file_system_is_refused_before_any_work(small_filesystem):
    subprocess.run(["mount", "-o", "remount,ro", str(small_filesystem)], check=True)
    with pytest.raises(QecError) as refused:
        check_results_path(small_filesystem / "stats.csv")
    assert refused.value.parameter == "save"


# Killed at its first saved row (after ~10,000 shots).
SHOTS = 1_000_000


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_killed_estimate_resumes_to_exact_totals(tmp_path, sig):
    path = tmp_path / "stats.csv"
    command = direct_estimate_command(path, max_shots=SHOTS)
    run = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A shell that starts the tests in the background ignores SIGINT in its children
        # (the run then finished every shot); the CLI is tested as a terminal runs it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not path.exists() or path.read_text().count("\n") < 2):
        time.sleep(0.05)
    workers = subprocess.run(
        ["pgrep", "-P", str(run.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    run.send_signal(sig)
    run.wait(timeout=60)
    if sig == signal.SIGKILL:  # sinter's idle workers outlive a SIGKILLed parent
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
    partial = sum(s.shots for s in sinter.read_stats_from_csv_files(path))
    assert 0 < partial < SHOTS  # killed mid-run, and what was saved reads back

    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "Traceback" not in finished.stderr
    stats = sinter.read_stats_from_csv_files(path)
    assert len(stats) == 1 and stats[0].shots == SHOTS
