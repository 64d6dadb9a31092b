"""Lambda fits of sinter results: rows grouped by their metadata, one fit per group."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import sinter

from qec.analysis.fit import LambdaFit, fit_lambda
from qec.analysis.fit_point import FitPoint
from qec.errors import QecError, is_integer

# Metadata keys that vary between the points of one fit: the distance and what follows
# from it, and the number of rounds (the likelihood uses each point's own rounds).
POINT_KEYS = ("distance", "dx", "dz", "qubits", "rounds")


@dataclasses.dataclass(frozen=True)
class GroupFit:
    """The fit of one group of sinter rows (same metadata apart from `POINT_KEYS`).

    `fit` is None when the group cannot be fitted; `error` then says why.
    """

    metadata: Mapping[str, Any]
    points: tuple[FitPoint, ...]
    fit: LambdaFit | None
    error: str | None = None


@dataclasses.dataclass(frozen=True)
class FittedStats:
    """One `GroupFit` per group, and how many rows were skipped for each reason."""

    groups: tuple[GroupFit, ...]
    skipped: Mapping[str, int]


def _point_key(metadata: Mapping[str, Any], name: str) -> int | None:
    value = metadata.get(name)
    return int(value) if is_integer(value) else None


def fit_points_from_stats(
    stats: Iterable[sinter.TaskStats], *, point_keys: Collection[str] = POINT_KEYS
) -> FittedStats:
    """Groups sinter rows by their metadata (and decoder) apart from `point_keys`, and
    fits each group with `fit_lambda`.

    Within a group, rows with the same distance and rounds are added up; a point's shots
    are the rows' shots minus discards. Rows are skipped (and counted in `skipped`)
    when their json_metadata is not an object, lacks an integer "distance" or "rounds",
    has dx != dz (a rectangular code has no single distance), has no kept shots, or has
    a "stratum" key: stratified samples estimate a rate from weighted strata, which are
    not binomial counts of the whole experiment, so they are not combined here.

    By default "rounds" is a point key: a group may mix rounds (e.g. rounds = d), since
    the likelihood uses each point's own rounds. Leave it out of `point_keys` to fit
    each number of rounds separately.

    Examples:
        >>> rows = [sinter.TaskStats(strong_id=f"id{d}", decoder="pymatching",
        ...             json_metadata={"code": "repetition", "distance": d, "rounds": d,
        ...                            "noise": "depolarizing:p=0.01"},
        ...             shots=10_000, errors=e)
        ...         for d, e in [(3, 300), (5, 60), (7, 12)]]
        >>> result = fit_points_from_stats(rows)
        >>> [(dict(g.metadata), round(g.fit.Lambda.value, 2)) for g in result.groups]
        [({'code': 'repetition', 'noise': 'depolarizing:p=0.01', 'decoder': 'pymatching'}, 8.11)]
    """
    if "distance" not in point_keys:
        raise QecError.invalid("point_keys", tuple(point_keys), "keys including 'distance'")
    skipped: dict[str, int] = {}
    groups: dict[str, tuple[dict[str, Any], dict[tuple[int, int], list[int]]]] = {}

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    for row in stats:
        metadata = row.json_metadata
        if not isinstance(metadata, Mapping):
            skip("json_metadata is not an object")
            continue
        if "stratum" in metadata:
            skip("stratified sample (has 'stratum')")
            continue
        distance = _point_key(metadata, "distance")
        rounds = _point_key(metadata, "rounds")
        if distance is None or distance < 1:
            skip("no integer 'distance'")
            continue
        if rounds is None or rounds < 1:
            skip("no integer 'rounds'")
            continue
        if metadata.get("dx", distance) != metadata.get("dz", distance):
            skip("rectangular code (dx != dz)")
            continue
        shots = row.shots - row.discards
        if shots <= 0:
            skip("no kept shots")
            continue
        key_metadata = {k: v for k, v in metadata.items() if k not in point_keys}
        key_metadata["decoder"] = row.decoder
        key = json.dumps(key_metadata, sort_keys=True, default=str)
        _, counts = groups.setdefault(key, (key_metadata, {}))
        total = counts.setdefault((distance, rounds), [0, 0])
        total[0] += shots
        total[1] += row.errors

    results = []
    for key_metadata, counts in groups.values():
        points = tuple(
            FitPoint(distance=d, rounds=r, shots=n, errors=k)
            for (d, r), (n, k) in sorted(counts.items())
        )
        try:
            results.append(GroupFit(metadata=key_metadata, points=points, fit=fit_lambda(points)))
        except QecError as error:
            results.append(
                GroupFit(metadata=key_metadata, points=points, fit=None, error=str(error))
            )
    return FittedStats(groups=tuple(results), skipped=skipped)
