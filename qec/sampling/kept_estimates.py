"""Estimates read back from a results file, kept beside it.

An `estimate` that adds nothing to its results file (the rows there already meet every
limit) is a function of its experiment, its arguments, the file's rows of that
experiment and the code that computes it. `qec compare` asks hundreds of such
questions, and answering each again rebuilt its circuit, decoded the exact strata of
its stratified rows and pooled its splitting units. `kept_estimate` keeps such an
answer with the derived values beside the file (`derived_values`), under the
experiment's metadata, the arguments, a digest of those rows, a hash of the code that
builds circuits and estimates (`ESTIMATE_CODE`) and the versions of the packages it
uses. Asked the same again, it returns the kept estimate without building anything. An
estimate that added rows is not kept; the next one, which reads them back, is. Nor is
one whose setup ran over its time (`SetupOverBudget`), which a warmer rerun may not.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import pathlib
from collections.abc import Callable, Mapping
from typing import Any

from qec.experiment import MemoryExperiment
from qec.intervals import Interval
from qec.sampling.core.derived_values import CIRCUIT_CODE, code_hash, derived_values
from qec.sampling.core.results_file import check_results_file, read_saved_stats
from qec.sampling.method import (
    Counts,
    Method,
    NoUnitFinished,
    PrecisionNotReached,
    SetupOverBudget,
    Shortfall,
)
from qec.sampling.result import Estimate, ScaledRate

# The code an estimate read back from rows runs: the circuit's, the estimators', the
# intervals'.
ESTIMATE_CODE = (*CIRCUIT_CODE, "intervals.py", "sampling/*.py", "sampling/*/*.py")
# The packages whose versions can change an estimate read back (numpy's and scipy's
# arithmetic cannot, beyond the last digits).
_PACKAGES = ("stim", "sinter", "PyMatching")
_SHORTFALLS: dict[str, type[Shortfall]] = {
    kind.__name__: kind for kind in (NoUnitFinished, PrecisionNotReached, SetupOverBudget)
}


def kept_estimate(
    experiment: MemoryExperiment,
    save: pathlib.Path,
    arguments: Mapping[str, Any],
    compute: Callable[[], Estimate],
) -> Estimate:
    """`compute()`'s estimate of `experiment` with `arguments` (everything else that
    `estimate` was given, as JSON) and the results file `save`: kept from an earlier
    call that added nothing to `save`, or computed (and kept when it adds nothing).
    Estimates with an attribution are computed, never kept."""
    check_results_file(save)  # a sinter CSV no other process writes, as `estimate` needs
    metadata = experiment.metadata()
    decoder = str(arguments.get("decoder", "pymatching"))
    before = saved_rows(save, decoder, metadata).digest
    params = {
        "metadata": metadata,
        "arguments": dict(arguments),
        "rows": before,
        "code": code_hash(*ESTIMATE_CODE),
    }
    computed: list[Estimate] = []

    def run() -> dict[str, Any] | None:
        computed.append(compute())
        unchanged = saved_rows(save, decoder, metadata).digest == before
        # A setup over the budget depends on what was kept and on the machine's speed,
        # not on the question: asked again, the answer may be an estimate.
        timed_out = isinstance(computed[0].shortfall, SetupOverBudget)
        return _stored(computed[0]) if unchanged and not timed_out else None

    kept = derived_values(save).get("", "estimate", params, run, packages=_PACKAGES)
    return computed[0] if computed else _restored(kept)


@dataclasses.dataclass(frozen=True)
class SavedRows:
    """What a results file holds of one experiment and decoder: `digest`, the sha256 of
    its rows (direct rows, strata and splitting units alike; "" for none); `shots` and
    `errors`, its direct shots and their failures; `splitting`, whether it holds
    splitting units that finished, and `splitting_seconds` the seconds its splitting
    rows hold (finished units and time in which none finished, summed over workers)."""

    digest: str = ""
    shots: int = 0
    errors: int = 0
    splitting: bool = False
    splitting_seconds: float = 0.0


def saved_rows(save: pathlib.Path | None, decoder: str, metadata: Mapping[str, Any]) -> SavedRows:
    """What `save` holds of the experiment with `metadata`, decoded by `decoder`, read
    once per version of the file."""
    if save is None or not save.is_file() or (stat := os.stat(save)).st_size == 0:
        return SavedRows()
    index = _index(str(save.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return index.get(experiment_key(decoder, metadata), SavedRows())


@functools.lru_cache(maxsize=2)
def _index(path: str, inode: int, size: int, modified: int) -> dict[str, SavedRows]:
    """For one version of a results file: what it holds of each experiment."""
    from qec.sampling.saved_rates import method_of_row  # the estimators: imported late
    from qec.sampling.splitting.unit_rows import is_unfinished

    lines: dict[str, list[str]] = {}
    counts: dict[str, list[int]] = {}
    splitting: set[str] = set()
    seconds: dict[str, float] = {}
    for row in read_saved_stats(path):
        if isinstance(row.json_metadata, Mapping):
            key = experiment_key(row.decoder, row.json_metadata)
            lines.setdefault(key, []).append(row.to_csv_line())
            method = method_of_row(row)
            if method is None:
                shots_errors = counts.setdefault(key, [0, 0])
                shots_errors[0] += row.shots
                shots_errors[1] += row.errors
            elif method is Method.SPLITTING:
                seconds[key] = seconds.get(key, 0.0) + row.seconds
                if not is_unfinished(row):
                    splitting.add(key)
    return {
        key: SavedRows(
            digest=hashlib.sha256("\n".join(rows).encode()).hexdigest(),
            shots=counts.get(key, [0, 0])[0],
            errors=counts.get(key, [0, 0])[1],
            splitting=key in splitting,
            splitting_seconds=seconds.get(key, 0.0),
        )
        for key, rows in lines.items()
    }


def experiment_key(decoder: str, metadata: Mapping[str, Any]) -> str:
    """The experiment a row belongs to: its decoder and metadata without the keys of
    a stratum or a splitting unit."""
    from qec.sampling.splitting.unit_rows import UNIT_KEY  # scipy: only for rare-event rows
    from qec.sampling.stratified.estimate import STRATUM_KEY

    plain = {k: v for k, v in metadata.items() if k not in (STRATUM_KEY, UNIT_KEY)}
    return json.dumps([decoder, plain], sort_keys=True, default=str)


def _stored(estimate: Estimate) -> dict[str, Any] | None:
    """The estimate as JSON, or None when it holds an attribution (not kept)."""
    if estimate.attribution is not None:
        return None
    shortfall = estimate.shortfall
    return {
        "metadata": dict(estimate.metadata),
        "decoder": estimate.decoder,
        "counts": [estimate.counts.method.value, estimate.counts.drawn, estimate.counts.failing],
        "seconds": estimate.seconds,
        "per_shot": estimate.per_shot.to_json(),
        "per_round": None if estimate.per_round is None else estimate.per_round.to_json(),
        "interval": estimate.interval,
        "assumptions": estimate.assumptions,
        "shortfall": None
        if shortfall is None
        else {"kind": type(shortfall).__name__, **dataclasses.asdict(shortfall)},
        "curve": [point.to_json() for point in estimate.curve],
    }


def _restored(data: Mapping[str, Any]) -> Estimate:
    """The estimate `_stored` wrote."""
    method, drawn, failing = data["counts"]
    shortfall = None
    if data["shortfall"] is not None:
        fields = dict(data["shortfall"])
        shortfall = _SHORTFALLS[fields.pop("kind")](**fields)
    return Estimate(
        metadata=data["metadata"],
        decoder=data["decoder"],
        counts=Counts(Method(method), drawn=drawn, failing=failing),
        seconds=data["seconds"],
        per_shot=Interval.from_json(data["per_shot"]),
        per_round=None if data["per_round"] is None else Interval.from_json(data["per_round"]),
        interval=data["interval"],
        assumptions=data["assumptions"],
        shortfall=shortfall,
        curve=tuple(ScaledRate.from_json(point) for point in data["curve"]),
    )
