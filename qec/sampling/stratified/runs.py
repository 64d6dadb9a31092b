"""Stratified estimates kept in a sinter CSV: one row per stratum, written in chunks.

The estimator runs in chunks of `CHUNK_SECONDS`; after each chunk the new samples of
every stratum are appended as rows (metadata `{..., "stratum": w}`), so an interrupted
run loses at most one chunk and a rerun resumes from the file without counting a
sample twice. Exact (enumerated or certified) strata are recorded once per file, as
rows that hold no samples (`exact_stratum_row`). With `attribute`, each row also holds
the fault kind tally of its new samples (`qec.sampling.stratified.attribution`), so
that a resumed run's attribution pools the old rows and the new.
"""

from __future__ import annotations

import pathlib
import time
from collections.abc import Callable, Mapping
from typing import Any

import sinter
import stim

from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.core.resumable import RunLedger
from qec.sampling.stratified.estimate import (
    EXACT_FAULT_SETS,
    STRATUM_KEY,
    StratifiedEstimate,
    exact_stratum_row,
    stratum_counts,
    stratum_row,
)
from qec.sampling.stratified.sampler import estimate_stratified

CHUNK_SECONDS = 10.0


def _is_stratum_of(row: sinter.TaskStats, task_metadata: Mapping[str, Any], decoder: str) -> bool:
    """Whether a saved row is a stratum of the task with `task_metadata`, decoded by
    `decoder`."""
    metadata = dict(row.json_metadata) if isinstance(row.json_metadata, Mapping) else {}
    if row.decoder != decoder:
        return False
    return STRATUM_KEY in metadata and {**metadata, STRATUM_KEY: None} == {
        **task_metadata,
        STRATUM_KEY: None,
    }


def run_stratified(
    circuit: stim.Circuit,
    *,
    strong_id: str,
    metadata: Mapping[str, Any],
    path: pathlib.Path | None,
    rel_precision: float,
    max_seconds: float | None,
    max_samples: int | None,
    seed: int | None,
    progress: Callable[[str], None] | None,
    decoder: DecoderChoice | None = None,
    attribute: bool = False,
    qubit_kinds: Mapping[int, str] | None = None,
    setup_seconds: float = 0.0,
) -> StratifiedEstimate:
    """Runs (or resumes from `path`) the stratified estimator with `decoder` (PyMatching
    when None), appending new samples.
    `max_samples` counts the fault sets already in `path`, and `max_seconds` the time of
    the runs that saved them: a file that holds as many, or that much, is read back,
    not added to. With `attribute`, the estimate's `attribution` says which fault
    kinds the failures rest on (`qubit_kinds` as `fault_kinds` takes them).
    `setup_seconds` (the caller's building of the circuit's models) counts against
    `max_seconds` and goes to the first new row, so that a rerun counts it too."""
    # The rows hold the wall time of their runs: no workers to divide by.
    decoder = decoder if decoder is not None else DecoderChoice()
    ledger = RunLedger.start(
        path,
        belongs=lambda row: _is_stratum_of(row, metadata, decoder.name),
        max_seconds=max_seconds,
        setup_seconds=setup_seconds,
    )
    rows = ledger.saved
    current = None
    if rows:
        current = StratifiedEstimate.from_task_stats(
            rows, circuit=circuit, decoder=decoder, attribute=attribute, qubit_kinds=qubit_kinds
        )
    sampled = sum(stratum_counts(row)[0] for row in rows)
    left = ledger.left()
    if current is not None and (
        (max_samples is not None and sampled >= max_samples) or (left is not None and left <= 0)
    ):
        return _with_exact_strata_recorded(current, ledger, strong_id, metadata, decoder.name)
    # Reading the saved rows back counts like the setup: against max_seconds, and in the
    # first new row, so that the rows hold the run's whole time.
    used = ledger.elapsed() - setup_seconds  # then the wall time of this run's chunks
    unrecorded = setup_seconds + used
    while True:
        left = ledger.left(used=used)
        chunk = CHUNK_SECONDS if left is None else min(CHUNK_SECONDS, max(left, 1e-3))
        before = {} if current is None else current.sampled_counts()
        kinds_before = {} if current is None else current.sampled_kinds()
        chunk_start = time.monotonic()
        current = estimate_stratified(
            circuit,
            rel_precision=rel_precision,
            max_seconds=chunk,
            max_samples=None if max_samples is None else max(1, max_samples - sampled),
            seed=seed,
            progress=progress,
            resume=current,
            reuse_exact=True,  # `current` was made with `decoder`, here or from the file
            decoder=decoder,
            attribute=attribute,
            qubit_kinds=qubit_kinds,
        )
        wall = time.monotonic() - chunk_start
        used += wall
        after = current.sampled_counts()
        kinds_after = current.sampled_kinds()
        grown = [(w, counts, before.get(w, (0, 0, 0.0))) for w, counts in after.items()]
        grown = [(w, new, old) for w, new, old in grown if new[0] > old[0]]
        # The chunk's time outside the strata (building the decoding problem, the
        # intervals) and the setup go to its first row, so that a rerun counts all of it.
        overhead = max(0.0, wall - sum(new[2] - old[2] for _, new, old in grown))
        if grown:
            overhead, unrecorded = overhead + unrecorded, 0.0
        new_rows = []
        for i, (w, (samples, failures, seconds), old) in enumerate(grown):
            sampled += samples - old[0]
            tally = kinds_after.get(w)
            if tally is not None and w in kinds_before:
                tally -= kinds_before[w]
            new_rows.append(
                stratum_row(
                    strong_id,
                    metadata,
                    faults=w,
                    fault_sets=samples - old[0],
                    failing=failures - old[1],
                    seconds=max(0.0, seconds - old[2]) + (overhead if i == 0 else 0.0),
                    decoder=decoder.name,
                    kinds=tally,
                )
            )
        ledger.append(new_rows)
        done = (
            current.relative_precision <= rel_precision
            or all(s.enumerated for s in current.strata)
            or (max_samples is not None and sampled >= max_samples)
            or (left is not None and left <= CHUNK_SECONDS)  # it had the rest
            # A chunk may overrun its share (an enumerated stratum is not interrupted).
            or ledger.out_of_time()
        )
        if done:
            return _with_exact_strata_recorded(current, ledger, strong_id, metadata, decoder.name)


def _with_exact_strata_recorded(
    current: StratifiedEstimate,
    ledger: RunLedger,
    strong_id: str,
    metadata: Mapping[str, Any],
    decoder: str,
) -> StratifiedEstimate:
    """`current`, after appending to the ledger a row for each exact stratum that its
    saved rows do not record yet."""
    recorded = {
        row.json_metadata[STRATUM_KEY]
        for row in ledger.saved
        if EXACT_FAULT_SETS in row.custom_counts
    }
    new = [
        exact_stratum_row(strong_id, metadata, s, decoder=decoder)
        for s in current.strata
        if s.enumerated and s.faults not in recorded
    ]
    ledger.append(new)
    return current
