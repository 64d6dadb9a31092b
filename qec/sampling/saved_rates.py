"""Rates read back from a results file's stratified and splitting rows, without sampling.

Those rows are no binomial counts (see `stratified_estimate` and `splitting_runs`): a
stratum's row counts fault sets with w faults, a splitting unit's row holds chains'
histograms. Their rate needs the experiment's circuit (P(W = w), the partition functions
of the ladder's levels), which is rebuilt from the row's metadata
(`MemoryExperiment.from_metadata`). Rows are pooled per experiment and decoder, and
splitting units per ladder (units of different ladders are separate estimates).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any

import sinter

from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.intervals import Interval
from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.method import Counts, Method
from qec.sampling.splitting.runs import kept_level_log_ratios, pool_units
from qec.sampling.splitting.unit_rows import UNIT_KEY, is_unfinished, ladder_of_row, unit_of_row
from qec.sampling.stratified.estimate import STRATUM_KEY, StratifiedEstimate


@dataclasses.dataclass(frozen=True)
class SavedRate:
    """The per-shot rate with its 95% interval that the stratified or splitting rows of
    one experiment (`metadata`, without the rows' own keys) give; `counts` what it rests
    on, as in `Estimate`; `seconds` the rows' time (summed over workers) and `rows` their
    number (a splitting unit is one row)."""

    metadata: Mapping[str, Any]
    decoder: str
    counts: Counts
    per_shot: Interval
    seconds: float
    rows: int

    @property
    def method(self) -> Method:
        return self.counts.method

    @property
    def per_round(self) -> Interval:
        return self.per_shot.per_round(rounds=int(self.metadata["rounds"]))


def method_of_row(row: sinter.TaskStats) -> Method | None:
    """`stratified` or `splitting` for such a row, None for a row of direct shots."""
    metadata = row.json_metadata
    if not isinstance(metadata, Mapping):
        return None
    if STRATUM_KEY in metadata:
        return Method.STRATIFIED
    if UNIT_KEY in metadata:
        return Method.SPLITTING
    return None


def saved_rates(stats: Iterable[sinter.TaskStats]) -> tuple[list[SavedRate], dict[str, int]]:
    """The rates of the stratified and splitting rows among `stats` (other rows are
    ignored), and how many rows could not be read, by reason."""
    groups: dict[str, tuple[Method, dict[str, Any], str, list[sinter.TaskStats]]] = {}
    for row in stats:
        method = method_of_row(row)
        if method is None or is_unfinished(row):  # time in which no unit finished
            continue
        metadata = dict(row.json_metadata)
        key_data = metadata.pop(STRATUM_KEY if method is Method.STRATIFIED else UNIT_KEY)
        ladder_key = (
            {k: key_data.get(k) for k in ("scales", "steps", "ladders", "top_shots")}
            if method is Method.SPLITTING and isinstance(key_data, Mapping)
            else None
        )
        key = json.dumps([method, metadata, row.decoder, ladder_key], sort_keys=True, default=str)
        groups.setdefault(key, (method, metadata, row.decoder, []))[3].append(row)
    rates: list[SavedRate] = []
    skipped: dict[str, int] = {}
    for method, metadata, decoder, rows in groups.values():
        try:
            experiment = MemoryExperiment.from_metadata(metadata)
            rate = (_stratified if method is Method.STRATIFIED else _splitting)(rows, experiment)
        except (QecError, KeyError, TypeError, ValueError) as error:
            reason = f"{method} rows that describe no experiment or ladder ({error})"
            skipped[reason] = skipped.get(reason, 0) + len(rows)
            continue
        per_shot, drawn, failing = rate
        counts = Counts(method, drawn=drawn, failing=failing)
        seconds = sum(row.seconds for row in rows)
        rates.append(SavedRate(metadata, decoder, counts, per_shot, seconds, len(rows)))
    return rates, skipped


def _stratified(
    rows: list[sinter.TaskStats], experiment: MemoryExperiment
) -> tuple[Interval, int, int]:
    result = StratifiedEstimate.from_task_stats(rows, circuit=experiment.circuit())
    return Interval(result.rate, result.low, result.high), result.samples, result.failures


def _splitting(
    rows: list[sinter.TaskStats], experiment: MemoryExperiment
) -> tuple[Interval, int, int]:
    ladder = ladder_of_row(rows[0])
    ratios = kept_level_log_ratios(experiment.circuit(), DecoderChoice(), ladder.scales, None)
    units = [unit_of_row(row) for row in rows]
    result = pool_units(ladder, ratios, units)
    return result.rate, result.decoded, 0
