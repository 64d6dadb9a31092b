"""The setup of one `estimate` call: its stages reported on big circuits, its time counted
against the budget, and whether saved rows spare it the decoding problem."""

from __future__ import annotations

import pathlib
import time
from collections.abc import Mapping
from typing import Any

import stim

from qec.progress import ProgressLine
from qec.sampling.core.results_file import read_saved_stats
from qec.sampling.kept_estimates import experiment_key
from qec.sampling.method import Method, SetupOverBudget

# Circuits from about this many detectors take seconds to set up (stim's detector error
# model, the decoder's graph), which the progress line then reports stage by stage.
SETUP_REPORTED_DETECTORS = 10_000


class EstimateSetup:
    """The setup of one `estimate` call: its stages reported on big circuits, and its
    time, which `max_seconds` counts (the runs are told it: `setup_seconds`)."""

    def __init__(self, progress: bool, max_seconds: float | None) -> None:
        self.started = time.monotonic()
        self.max_seconds = max_seconds
        self.line = ProgressLine(max_shots=None, max_errors=None) if progress else None

    def stage(self, circuit: stim.Circuit, what: str) -> None:
        """Says on the progress line that `what` is being built, for a big circuit."""
        if self.line is not None and circuit.num_detectors >= SETUP_REPORTED_DETECTORS:
            self.line.log(f"setting up: {what}")

    def seconds(self) -> float:
        """The seconds since the setup started."""
        return time.monotonic() - self.started

    def out_of_time(self) -> bool:
        """Whether the setup has used all of `max_seconds`."""
        return self.over_budget() is not None

    def over_budget(self) -> SetupOverBudget | None:
        """Why there is no time left after the setup, or None while there is."""
        seconds = self.seconds()
        if self.max_seconds is None or seconds < self.max_seconds:
            return None
        return SetupOverBudget(max_seconds=self.max_seconds, setup_seconds=seconds)


def holds_rows_of(
    save: str | pathlib.Path | None, method: Method, metadata: Mapping[str, Any], decoder: str
) -> bool:
    """Whether the results file `save` holds rows of `method` (stratified or
    splitting) for the experiment with `metadata`, decoded by `decoder`."""
    from qec.sampling.splitting.unit_rows import UNIT_KEY  # scipy: only where rare events run
    from qec.sampling.stratified.estimate import STRATUM_KEY

    if save is None or not pathlib.Path(save).is_file():
        return False
    key = {Method.STRATIFIED: STRATUM_KEY, Method.SPLITTING: UNIT_KEY}.get(method)
    wanted = experiment_key(decoder, metadata)
    return any(
        isinstance(row.json_metadata, Mapping)
        and key in row.json_metadata
        and experiment_key(row.decoder, row.json_metadata) == wanted
        for row in read_saved_stats(save)
    )
