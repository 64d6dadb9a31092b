"""The Dask backend: exact totals, seeds recorded, and a worker killed mid-run."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import sinter

from qec import Depolarizing, RotatedSurfaceCode
from qec.experiment import MemoryExperiment
from qec.sampling import estimate

distributed = pytest.importorskip("distributed")

EXPERIMENT = MemoryExperiment(
    code=RotatedSurfaceCode(distance=5), noise=Depolarizing(p=0.003), rounds=5, basis="Z"
)


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_dask_run_counts_exactly_max_shots_and_records_every_units_seed(client, tmp_path):
    path = tmp_path / "stats.csv"
    result = estimate(
        EXPERIMENT,
        backend="dask",
        scheduler=client.scheduler.address,
        max_shots=50_000,
        max_errors=None,
        save=path,
        progress=False,
    )
    assert result.shots == 50_000
    rows = sinter.read_stats_from_csv_files(path)
    assert rows[0].shots == 50_000 and rows[0].errors == result.errors
    seeds = [key for key in rows[0].custom_counts if key.startswith("seed=")]
    assert seeds and all(rows[0].custom_counts[s] == 1 for s in seeds)  # no seed reused


def test_a_worker_killed_mid_run_loses_only_its_unit(client, tmp_path):
    path = tmp_path / "stats.csv"
    worker_pids = list(client.run(os.getpid).values())
    outcome = {}

    def run():
        outcome["result"] = estimate(
            EXPERIMENT,
            backend="dask",
            scheduler=client.scheduler.address,
            max_shots=1_500_000,
            max_errors=None,
            save=path,
            progress=False,
        )

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not path.exists() or path.read_text().count("\n") < 4):
        time.sleep(0.05)
    os.kill(worker_pids[0], signal.SIGKILL)  # its nanny starts a new one
    thread.join(timeout=300)
    assert not thread.is_alive()
    result = outcome["result"]
    assert worker_pids[0] not in client.run(os.getpid).values()  # it did die
    assert result.shots == 1_500_000
    rows = sinter.read_stats_from_csv_files(path)
    assert rows[0].shots == 1_500_000 and rows[0].errors == result.errors
