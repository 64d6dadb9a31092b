"""Scripts that start worker processes from their top level get an error, not a hang."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SETUP = """\
from qec import Depolarizing, RepetitionCode
from qec.experiment import MemoryExperiment
from qec.sampling import estimate

EXPERIMENT = MemoryExperiment(
    code=RepetitionCode(distance=3), noise=Depolarizing(p=0.01), rounds=3, basis="Z"
)


def run(method="monte_carlo"):
    result = estimate(
        EXPERIMENT, method=method, max_shots=2000, num_workers=1, progress=False, seed=1
    )
    print(result.shots, result.method)
"""


def run_script(tmp_path, body: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "experiment.py"
    script.write_text(SETUP + textwrap.dedent(body))
    # Without the check, the unguarded script hangs for ever: the timeout turns that
    # into a failure (subprocess.TimeoutExpired) instead of a stuck test run.
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )


def test_an_unguarded_script_is_told_where_and_what_to_do(tmp_path):
    result = run_script(tmp_path, "\nrun()\n")
    assert result.returncode != 0
    line = len(SETUP.splitlines()) + 2  # the call to run()
    last = result.stderr.strip().splitlines()[-1]
    assert f"line {line} of experiment.py starts sinter's worker processes" in last
    assert 'outside `if __name__ == "__main__":`' in last


@pytest.mark.parametrize(
    "body",
    [
        '\nif __name__ == "__main__":\n    run()\n',
        "\nif '__main__' == __name__:\n    run()\n",
        '\nrun("stratified")  # no worker processes: no guard needed\n',
        '\nif __name__ == "__main__":\n    import cProfile\n    cProfile.run("run()")\n',
    ],
)
def test_guarded_scripts_and_in_process_methods_run(tmp_path, body):
    result = run_script(tmp_path, body)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "2000" or "stratified" in result.stdout
