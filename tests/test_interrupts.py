"""Ctrl-C and SIGTERM stop `qec estimate` within about a second at any stage, and a
time budget counts the setup.

The timed tests allow 2.5 s where the issue asks for about 1 (a loaded machine slows
the stop, not the signal), against setups and runs that would take far longer without
the handling: their false failures come from a machine stalled for seconds.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from qec import Depolarizing, MemoryExperiment, RotatedSurfaceCode, estimate
from qec.interrupts import native_call
from qec.sampling.method import SetupOverBudget
from tests.conftest import rotated_estimate_command

STOP_SECONDS = 2.5


def estimate_command(distance: int, method: str) -> list[str]:
    """`qec estimate` of the rotated code at p = 1e-3 as a separate process, with
    progress on stderr and limits far out of reach."""
    limits = ["--max-shots", "1000000000", "--max-errors", "1000000000"]
    return rotated_estimate_command(
        distance,
        0.001,
        method,
        *limits,
        "--max-seconds",
        "600",
        "--rel-precision",
        "0.0001",
        "--workers",
        "1",
    )


def seconds_to_stop(command: list[str], *, after: str, wait: float, sig: int) -> tuple[float, int]:
    """Starts `command`, waits for a stderr line containing `after` and `wait` seconds
    more, sends `sig`, and returns the seconds it took to end and its exit status."""
    run = subprocess.Popen(
        command,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        # A shell that starts the tests in the background ignores SIGINT in its children;
        # the command is tested as a terminal runs it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert run.stderr is not None
        for line in run.stderr:
            if after in line:
                break
        else:
            pytest.fail(f"the run ended before saying {after!r}")
        time.sleep(wait)
        assert run.poll() is None, "the stage ended before the signal"
        sent = time.monotonic()
        run.send_signal(sig)
        run.wait(timeout=60)
        return time.monotonic() - sent, run.returncode
    finally:
        run.kill()
        run.wait()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("method", ["monte_carlo", "stratified", "splitting"])
def test_a_signal_while_stim_builds_the_model_stops_the_run_at_once(method, sig):
    # d = 27: stim builds the model in seconds, all in one call that Python cannot
    # interrupt; the signal comes half a second into it.
    seconds, status = seconds_to_stop(
        estimate_command(27, method),
        after="setting up: the detector error model",
        wait=0.5,
        sig=sig,
    )
    assert seconds < STOP_SECONDS
    assert status in (-sig, 128 + sig, 130)  # the default action, or the handler's 130


@pytest.mark.slow  # a guard of what already worked: about 20 s in all
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize(
    ("method", "sampling"),
    [("monte_carlo", "shots"), ("stratified", "samples"), ("splitting", "units")],
)
def test_a_signal_while_sampling_stops_the_run_within_a_second(method, sampling, sig):
    seconds, status = seconds_to_stop(
        estimate_command(5, method), after=sampling, wait=0.5, sig=sig
    )
    assert seconds < STOP_SECONDS
    assert status == 130  # handled: workers stopped, files and lock released


def test_an_interrupt_a_library_reports_as_another_error_stays_an_interrupt():
    # numpy reports a KeyboardInterrupt raised inside a structured comparison as a
    # TypeError; the child process stands in for it, in the command line's handling.
    script = """
import os, signal
from qec.interrupts import handle_signals, interrupts_kept
handle_signals()

def library_call():
    try:
        os.kill(os.getpid(), signal.SIGINT)
    except KeyboardInterrupt:
        raise TypeError("Cannot compare structured arrays") from None

try:
    with interrupts_kept():
        library_call()
except KeyboardInterrupt:
    raise SystemExit(130)
"""
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        timeout=60,
    )
    assert run.returncode == 130


def test_outside_the_command_line_a_native_call_keeps_python_handlers():
    before = signal.getsignal(signal.SIGINT)
    with native_call():
        assert signal.getsignal(signal.SIGINT) is before


def test_the_time_budget_counts_the_setup():
    experiment = MemoryExperiment(
        code=RotatedSurfaceCode(distance=15), noise=Depolarizing(p=1e-3), rounds=15, basis="Z"
    )
    # Building a d = 15 circuit and its model takes far more than 10 ms.
    result = estimate(experiment, method="stratified", max_seconds=0.01, progress=False)
    assert isinstance(result.shortfall, SetupOverBudget)
    assert result.counts.drawn == 0 and (result.per_shot.low, result.per_shot.high) == (0, 1)
    assert result.shortfall.setup_seconds >= 0.01
