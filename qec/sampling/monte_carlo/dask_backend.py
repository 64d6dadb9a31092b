"""Direct sampling on a Dask cluster: seeded work units, merged by the driver.

The driver owns the stopping rules. It keeps a few units per worker in flight, each
(task, shots, seed), appends one sinter CSV row per finished unit (its seed recorded in
the row's custom counts as `seed=<n>`) and stops submitting when the shot budget is
spent or enough errors are seen. A worker that dies mid-unit loses only that unit: Dask
runs it again elsewhere with the same seed, and the driver counts the one result it gets.

Install with `pip install -e ".[dask]"`. On Slurm, start a cluster with dask-jobqueue
(`SLURMCluster(...).scale(jobs=N)`) and pass its `scheduler_address` as `--scheduler`.
"""

from __future__ import annotations

import collections
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import sinter

from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.monte_carlo.count import count_logical_errors

if TYPE_CHECKING:
    from distributed import Client, Future

# The first unit is small (fast feedback); later ones double while a unit takes less
# than UNIT_SECONDS on a worker. Near the shot budget, units shrink so that every worker
# gets a share of what is left instead of one worker taking it all while the others
# idle (docs/tuning.md).
FIRST_UNIT_SHOTS = 1_000
UNIT_SECONDS = 2.0
UNITS_PER_WORKER = 2


def run_unit(
    circuit_text: str, decoder_key: bytes, shots: int, seed: int
) -> tuple[int, int, float, int]:
    """One work unit, on a worker: (shots, errors, seconds, seed); `decoder_key` is the
    pickled `DecoderChoice`."""
    start = time.perf_counter()
    decoder = DecoderChoice.from_key(decoder_key)
    errors = count_logical_errors(circuit_text, shots=shots, seed=seed, decoder=decoder)
    return shots, errors, time.perf_counter() - start, seed


def collect_on_dask(
    *,
    client: Client,
    task: sinter.Task,
    decoder: DecoderChoice,
    already: sinter.AnonTaskStats,
    max_shots: int | None,
    max_errors: int | None,
    write_row: Callable[[sinter.TaskStats], None],
    on_totals: Callable[[int, int], None],
) -> sinter.AnonTaskStats:
    """Runs units of `task` decoded by `decoder` on `client`'s cluster until the limits,
    counting `already`.

    Returns the totals including `already`.
    """
    from distributed import wait

    circuit_text = str(task.circuit)
    decoder_key = decoder.key()
    workers = max(1, len(client.scheduler_info()["workers"]))
    total = already
    in_flight: dict[Future[tuple[int, int, float, int]], int] = {}
    unit = FIRST_UNIT_SHOTS

    def wanted() -> int:
        if max_errors is not None and total.errors >= max_errors:
            return 0
        if max_shots is None:
            return unit
        left: int = max_shots - total.shots - sum(in_flight.values())
        share = -(-left // (UNITS_PER_WORKER * workers))
        return min(left, unit, max(share, FIRST_UNIT_SHOTS))

    while True:
        while len(in_flight) < UNITS_PER_WORKER * workers and (shots := wanted()) > 0:
            seed = secrets.randbits(63)
            future = client.submit(run_unit, circuit_text, decoder_key, shots, seed, pure=False)
            in_flight[future] = shots
        if not in_flight:
            return total
        # distributed leaves wait and Future.cancel unannotated.
        finished = wait(list(in_flight), return_when="FIRST_COMPLETED").done  # type: ignore[no-untyped-call]
        for future in finished:
            del in_flight[future]
            shots, errors, seconds, seed = future.result()
            row = sinter.TaskStats(
                strong_id=task.strong_id(),
                decoder=str(task.decoder),
                json_metadata=task.json_metadata,
                shots=shots,
                errors=errors,
                seconds=seconds,
                custom_counts=collections.Counter({f"seed={seed}": 1}),
            )
            write_row(row)
            total += row.to_anon_stats()
            if seconds > 0:
                unit = max(FIRST_UNIT_SHOTS, min(2 * unit, int(shots / seconds * UNIT_SECONDS)))
            on_totals(total.shots, total.errors)
        if max_errors is not None and total.errors >= max_errors:
            for future in in_flight:
                future.cancel()  # type: ignore[no-untyped-call]
            return total
