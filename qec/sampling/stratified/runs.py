"""Stratified estimates kept in a sinter CSV: one row per stratum, written in chunks.

The estimator runs in chunks of `CHUNK_SECONDS`; after each chunk the new samples of
every stratum are appended as rows (metadata `{..., "stratum": w}`), so an interrupted
run loses at most one chunk and a rerun resumes from the file without counting a
sample twice. Exact (enumerated or certified) strata are recorded once per file, as
rows that hold no samples (`exact_stratum_row`).
"""

from __future__ import annotations

import pathlib
import time
from collections.abc import Callable, Mapping
from typing import Any

import sinter
import stim

from qec.sampling.core.results_file import append_rows, read_saved_stats
from qec.sampling.stratified.estimate import (
    EXACT_FAULT_SETS,
    StratifiedEstimate,
    exact_stratum_row,
    stratum_counts,
    stratum_row,
)
from qec.sampling.stratified.sampler import estimate_stratified

CHUNK_SECONDS = 10.0


def _rows_of(task_metadata: Mapping[str, Any], path: pathlib.Path | None) -> list[sinter.TaskStats]:
    if path is None or not path.exists() or path.stat().st_size == 0:
        return []
    rows = []
    for row in read_saved_stats(path):
        metadata = dict(row.json_metadata) if isinstance(row.json_metadata, Mapping) else {}
        if "stratum" in metadata and {**metadata, "stratum": None} == {
            **task_metadata,
            "stratum": None,
        }:
            rows.append(row)
    return rows


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
) -> StratifiedEstimate:
    """Runs (or resumes from `path`) the stratified estimator, appending new samples.
    `max_samples` counts the fault sets already in `path`, and `max_seconds` the time of
    the runs that saved them: a file that holds as many, or that much, is read back,
    not added to."""
    rows = _rows_of(metadata, path)
    current = StratifiedEstimate.from_task_stats(rows, circuit=circuit) if rows else None
    sampled = sum(stratum_counts(row)[0] for row in rows)
    spent = sum(row.seconds for row in rows)  # the rows hold the wall time of their runs
    if current is not None and (
        (max_samples is not None and sampled >= max_samples)
        or (max_seconds is not None and spent >= max_seconds)
    ):
        return _with_exact_strata_recorded(current, rows, path, strong_id, metadata)
    while True:
        left = None if max_seconds is None else max_seconds - spent
        chunk = CHUNK_SECONDS if left is None else max(0.0, min(CHUNK_SECONDS, left))
        before = {} if current is None else current.sampled_counts()
        chunk_start = time.monotonic()
        current = estimate_stratified(
            circuit,
            rel_precision=rel_precision,
            max_seconds=chunk,
            max_samples=None if max_samples is None else max(1, max_samples - sampled),
            seed=seed,
            progress=progress,
            resume=current,
        )
        wall = time.monotonic() - chunk_start
        spent += wall
        after = current.sampled_counts()
        grown = [(w, counts, before.get(w, (0, 0, 0.0))) for w, counts in after.items()]
        grown = [(w, new, old) for w, new, old in grown if new[0] > old[0]]
        # The chunk's time outside the strata (building the decoding problem, the
        # intervals) goes to its first row, so that a rerun counts all of it.
        overhead = max(0.0, wall - sum(new[2] - old[2] for _, new, old in grown))
        new_rows = []
        for i, (w, (samples, failures, seconds), old) in enumerate(grown):
            sampled += samples - old[0]
            new_rows.append(
                stratum_row(
                    strong_id,
                    metadata,
                    faults=w,
                    fault_sets=samples - old[0],
                    failing=failures - old[1],
                    seconds=max(0.0, seconds - old[2]) + (overhead if i == 0 else 0.0),
                )
            )
        if path is not None and new_rows:
            append_rows(path, new_rows)
        done = (
            current.relative_precision <= rel_precision
            or all(s.enumerated for s in current.strata)
            or (max_samples is not None and sampled >= max_samples)
            or (left is not None and left <= CHUNK_SECONDS)
        )
        if done:
            return _with_exact_strata_recorded(current, rows, path, strong_id, metadata)


def _with_exact_strata_recorded(
    current: StratifiedEstimate,
    rows: list[sinter.TaskStats],
    path: pathlib.Path | None,
    strong_id: str,
    metadata: Mapping[str, Any],
) -> StratifiedEstimate:
    """`current`, after appending to `path` a row for each exact stratum that its
    earlier `rows` do not record yet."""
    recorded = {
        row.json_metadata["stratum"] for row in rows if EXACT_FAULT_SETS in row.custom_counts
    }
    new = [
        exact_stratum_row(strong_id, metadata, s)
        for s in current.strata
        if s.enumerated and s.faults not in recorded
    ]
    if path is not None and new:
        append_rows(path, new)
    return current
