"""Worker processes (sinter's, and the splitting runs' pool) do not outlive a parent
killed with SIGKILL."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import direct_estimate_command

pytestmark = pytest.mark.skipif(not pathlib.Path("/proc").is_dir(), reason="reads /proc")


def children_of(pid: int) -> list[int]:
    found = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:  # fields: state, ppid, ...
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def splitting_command(save: pathlib.Path) -> list[str]:
    """`qec estimate --method splitting` of the rotated code at d = 9 on 2 workers, with
    more precision asked than its minutes give."""
    return [
        sys.executable, "-m", "qec.cli.main", "estimate", "--code", "rotated_surface",
        "--distance", "9", "--rounds", "9", "--noise", "depolarizing:p=0.001",
        "--method", "splitting", "--rel-precision", "0.01", "--max-seconds", "600",
        "--workers", "2", "--quiet", "--save", str(save),
    ]  # fmt: skip


@pytest.mark.parametrize("method", ["monte_carlo", "splitting"])
def test_workers_exit_once_their_parent_is_killed(tmp_path, method):
    save = tmp_path / "stats.csv"
    command = (
        direct_estimate_command(save, max_shots=10**8)
        if method == "monte_carlo"
        else splitting_command(save)
    )
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.5)
        workers = [pid for pid in children_of(parent.pid) if alive(pid)]
    assert len(workers) >= 2, "the workers did not start"
    time.sleep(2)  # working, past their start-up
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 20  # a worker checks its parent every second
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.25)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:  # do not leave them to the next test either way
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived their parent"
