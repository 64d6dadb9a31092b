"""The sinter CSV rows of a splitting run: one per finished unit, and one for the time
of units that did not finish.

A unit's row carries no shots and no errors (sinter's tools see no binomial data in
it, since its numbers are not counts of shots at the requested noise); its metadata
holds the experiment's metadata plus `"splitting"`: the ladder, the unit's seed, its
top-level shots and failures and its per-level histograms (and, when the run
attributes its failures to fault kinds, its kind counts: `UnitKinds`). A unit that
finished across runs (`qec.sampling.splitting.partial_units`) also holds its whole time,
`unit_seconds`: its row's seconds are those of the run that finished it, since the
earlier runs recorded theirs.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from typing import Any

import sinter

from qec.sampling.splitting.attribution import UnitKinds
from qec.sampling.splitting.ladder import Ladder, UnitResult

# The metadata key of a unit's row: its ladder, seed, counts and histograms.
UNIT_KEY = "splitting"


def _row_key(ladder: Ladder) -> dict[str, Any]:
    return {
        "scales": list(ladder.scales),
        "steps": ladder.steps,
        "ladders": ladder.ladders,
        "top_shots": ladder.top_shots,
    }


def unit_row(
    result: UnitResult,
    *,
    ladder: Ladder,
    strong_id: str,
    metadata: Mapping[str, Any],
    decoder: str = "pymatching",
) -> sinter.TaskStats:
    """The sinter CSV row of one finished unit (no shots, no errors; see the module)."""
    splitting = {
        **_row_key(ladder),
        "seed": result.seed,
        "top_failures": result.top_failures,
        "decoded": result.decoded,
        # Each histogram without its leading zeros (a strong level's chains hold
        # hundreds of faults): rows stay within sinter's CSV field limit (131,072).
        "histogram_starts": [[_first_nonzero(h) for h in group] for group in result.histograms],
        "histograms": [
            [list(h[_first_nonzero(h) :]) for h in group] for group in result.histograms
        ],
        **({} if result.kinds is None else result.kinds.to_json()),
        # A unit finished across runs: its whole time (the row's seconds are this run's).
        **({"unit_seconds": result.seconds} if result.earlier_seconds else {}),
    }
    # One strong id per unit: sinter merges rows of equal strong id.
    return _splitting_row(
        f"{strong_id}:splitting:{_row_key(ladder)}:{result.seed}",
        {**metadata, UNIT_KEY: splitting},
        decoder=decoder,
        seconds=result.seconds - result.earlier_seconds,
    )


def ladder_identity(strong_id: str, ladder: Ladder) -> str:
    """A short name for the units of one experiment on `ladder` (the prefix of their
    partial units' files: `qec.sampling.splitting.partial_units`)."""
    return hashlib.sha256(f"{strong_id}:splitting:{_row_key(ladder)}".encode()).hexdigest()[:24]


def unfinished_row(
    seconds: float,
    *,
    ladder: Ladder,
    strong_id: str,
    metadata: Mapping[str, Any],
    decoder: str = "pymatching",
) -> sinter.TaskStats:
    """The row of a run's time that no finished unit holds (units dropped at the
    deadline, planning, idle workers): `seconds` of work (summed over the workers) and
    nothing else, so that a rerun knows the time was spent. All such rows of one ladder
    share a strong id (sinter adds their seconds up)."""
    return _splitting_row(
        f"{strong_id}:splitting:{_row_key(ladder)}:unfinished",
        {**metadata, UNIT_KEY: {**_row_key(ladder), "unfinished": True}},
        decoder=decoder,
        seconds=seconds,
    )


def _splitting_row(
    identity: str, json_metadata: Mapping[str, Any], *, decoder: str, seconds: float
) -> sinter.TaskStats:
    """A splitting row: no shots, no errors, `seconds`, and the sha256 of `identity` as
    its strong id."""
    return sinter.TaskStats(
        strong_id=hashlib.sha256(identity.encode()).hexdigest(),
        decoder=decoder,
        json_metadata=dict(json_metadata),
        shots=0,
        errors=0,
        seconds=seconds,
    )


def is_unfinished(row: sinter.TaskStats) -> bool:
    """Whether a splitting row records time in which no unit finished (`unfinished_row`)."""
    data = row.json_metadata
    splitting = data.get(UNIT_KEY) if isinstance(data, Mapping) else None
    return isinstance(splitting, Mapping) and bool(splitting.get("unfinished"))


def ladder_of_row(row: sinter.TaskStats) -> Ladder:
    """The ladder a unit's row was run on (its pilot rate is not kept: it only planned
    the ladder)."""
    data = row.json_metadata[UNIT_KEY]
    return Ladder(
        scales=tuple(float(s) for s in data["scales"]),
        steps=int(data["steps"]),
        ladders=int(data["ladders"]),
        top_shots=int(data["top_shots"]),
        pilot_rate=math.nan,
    )


def _first_nonzero(histogram: tuple[int, ...]) -> int:
    return next((w for w, count in enumerate(histogram) if count), len(histogram))


def unit_of_row(row: sinter.TaskStats) -> UnitResult:
    """The finished unit a row (`unit_row`) holds (rows written before
    `histogram_starts` hold whole histograms)."""
    data = row.json_metadata[UNIT_KEY]
    histograms = data["histograms"]
    starts = data.get("histogram_starts") or [[0] * len(group) for group in histograms]
    seconds = unit_seconds_of_row(row)
    return UnitResult(
        seed=int(data["seed"]),
        top_shots=int(data["top_shots"]),
        top_failures=int(data["top_failures"]),
        histograms=tuple(
            tuple((0,) * start + tuple(h) for start, h in zip(first, group, strict=True))
            for first, group in zip(starts, histograms, strict=True)
        ),
        decoded=int(data["decoded"]),
        seconds=seconds,
        kinds=UnitKinds.from_json(data),
        earlier_seconds=seconds - row.seconds,
    )


def unit_seconds_of_row(row: sinter.TaskStats) -> float:
    """The whole time of the finished unit a row holds, over all the runs it took."""
    return float(row.json_metadata[UNIT_KEY].get("unit_seconds", row.seconds))


def is_splitting_row_of(row: sinter.TaskStats, metadata: Mapping[str, Any], decoder: str) -> bool:
    """Whether a saved row is a splitting row of the experiment with `metadata` decoded
    by `decoder`, of any ladder: a finished unit or an `unfinished_row`."""
    data = row.json_metadata if isinstance(row.json_metadata, Mapping) else {}
    if row.decoder != decoder or not isinstance(data.get(UNIT_KEY), Mapping):
        return False
    return {k: v for k, v in data.items() if k != UNIT_KEY} == dict(metadata)


def units_of(rows: Sequence[sinter.TaskStats], ladder: Ladder) -> list[UnitResult]:
    """The finished units among `rows` that ran on `ladder`."""
    key = _row_key(ladder)
    return [
        unit_of_row(row)
        for row in rows
        if not is_unfinished(row) and {k: row.json_metadata[UNIT_KEY].get(k) for k in key} == key
    ]
