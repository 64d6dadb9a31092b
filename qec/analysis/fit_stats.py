"""Fits of sinter results: rows grouped by their metadata, one fit per group (the
exponential, or with four distances or more the bent model, `qec.analysis.fit_bend`)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any, cast

import sinter

from qec.analysis.fit_bend import RateFit, fit_rates
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
    fit: RateFit | None
    error: str | None = None


@dataclasses.dataclass(frozen=True)
class FittedStats:
    """One `GroupFit` per group, and how many rows were skipped for each reason."""

    groups: tuple[GroupFit, ...]
    skipped: Mapping[str, int]


def _point_key(metadata: Mapping[str, Any], name: str) -> int | None:
    value = metadata.get(name)
    return int(value) if is_integer(value) else None


def _where(metadata: Mapping[str, Any]) -> tuple[int, int] | str:
    """(distance, rounds) of a row's point, or why the row has none."""
    distance = _point_key(metadata, "distance")
    rounds = _point_key(metadata, "rounds")
    if distance is None or distance < 1:
        return "no integer 'distance'"
    if rounds is None or rounds < 1:
        return "no integer 'rounds'"
    if metadata.get("dx", distance) != metadata.get("dz", distance):
        return "rectangular code (dx != dz)"
    return distance, rounds


def fit_points_from_stats(
    stats: Iterable[sinter.TaskStats], *, point_keys: Collection[str] = POINT_KEYS
) -> FittedStats:
    """Groups sinter rows by their metadata (and decoder) apart from `point_keys`, and
    fits each group with `fit_rates`.

    Within a group, rows of direct shots with the same distance and rounds are added up
    (a point's shots are the rows' shots minus discards). Stratified and splitting rows
    are no counts of shots: those of one experiment give one rate with its 95% interval
    (`qec.sampling.saved_rates`, which rebuilds the circuit from the metadata), a point
    of its own. Rows are skipped (and counted in `skipped`) when their json_metadata is
    not an object, lacks an integer "distance" or "rounds", has dx != dz (a rectangular
    code has no single distance), has no kept shots, or (stratified, splitting) describes
    no experiment.

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
    from qec.sampling.saved_rates import method_of_row, saved_rates  # builds circuits

    if "distance" not in point_keys:
        raise QecError.invalid("point_keys", tuple(point_keys), "keys including 'distance'")
    skipped: dict[str, int] = {}
    groups: dict[str, tuple[dict[str, Any], dict[tuple[int, int], list[int]], list[FitPoint]]] = {}

    def skip(reason: str, rows: int = 1) -> None:
        skipped[reason] = skipped.get(reason, 0) + rows

    def group_of(metadata: Mapping[str, Any], decoder: str) -> tuple[Any, ...]:
        key_metadata = {k: v for k, v in metadata.items() if k not in point_keys}
        key_metadata["decoder"] = decoder
        key = json.dumps(key_metadata, sort_keys=True, default=str)
        return groups.setdefault(key, (key_metadata, {}, []))

    estimated = []
    for row in stats:
        metadata = row.json_metadata
        if not isinstance(metadata, Mapping):
            skip("json_metadata is not an object")
            continue
        where = _where(metadata)
        if isinstance(where, str):
            skip(where)
            continue
        if method_of_row(row) is not None:
            estimated.append(row)
            continue
        shots = row.shots - row.discards
        if shots <= 0:
            skip("no kept shots")
            continue
        total = group_of(metadata, row.decoder)[1].setdefault(where, [0, 0])
        total[0] += shots
        total[1] += row.errors
    rates, unread = saved_rates(estimated)
    for reason, n in unread.items():
        skip(reason, n)
    for rate in rates:
        distance, _ = cast(tuple[int, int], _where(rate.metadata))  # its rows passed
        point = FitPoint.of_estimate(rate, distance)
        if point is None:
            skip(f"{rate.method} estimate that bounds nothing (interval {rate.per_round})")
            continue
        group_of(rate.metadata, rate.decoder)[2].append(point)

    results = []
    for key_metadata, counts, rate_points in groups.values():
        points = tuple(
            FitPoint(distance=d, rounds=r, shots=n, errors=k)
            for (d, r), (n, k) in sorted(counts.items())
        ) + tuple(sorted(rate_points, key=lambda p: (p.distance, p.rounds)))
        try:
            results.append(GroupFit(metadata=key_metadata, points=points, fit=fit_rates(points)))
        except QecError as error:
            results.append(
                GroupFit(metadata=key_metadata, points=points, fit=None, error=str(error))
            )
    return FittedStats(groups=tuple(results), skipped=skipped)
