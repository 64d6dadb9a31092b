"""Splitting runs kept in a sinter CSV: independent units on worker processes or Dask,
one row per finished unit (`qec.sampling.splitting.unit_rows`), resumed from the file.

A rerun with the same experiment goes on with the ladder of its finished units, reuses
every row of that ladder, goes on with the units that earlier runs stopped at their
deadlines (`qec.sampling.splitting.partial_units`), and adds units with new seeds.
Units on this machine's processes also keep their state every `CHECKPOINT_SECONDS`, so
that a killed run loses at most that much of each unit in flight.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import functools
import math
import multiprocessing
import os
import pathlib
import pickle
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import stim

from qec.experiment import check_circuit
from qec.parent_watch import watch_parent
from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.derived_values import derived_values
from qec.sampling.core.fault_kinds import FaultKinds, fault_kinds
from qec.sampling.core.main_guard import check_main_guard
from qec.sampling.core.resumable import RunLedger
from qec.sampling.splitting.attribution import splitting_attribution
from qec.sampling.splitting.estimate import SplittingEstimate, combine_units
from qec.sampling.splitting.ladder import (
    Ladder,
    PartialUnit,
    UnitResult,
    level_log_ratios,
    plan_ladder,
    run_unit,
)
from qec.sampling.splitting.partial_units import drop_partial, keeps_partials, save_partial
from qec.sampling.splitting.unit_jobs import UnitJobs
from qec.sampling.splitting.unit_rows import (
    is_splitting_row_of,
    is_unfinished,
    ladder_identity,
    ladder_of_row,
    unfinished_row,
    unit_row,
    unit_seconds_of_row,
    units_of,
)

# Units pooled before the precision rule may stop a run (Student t at 3 degrees of
# freedom), and at most.
MIN_UNITS = 4
MAX_UNITS = 256
# A unit that an earlier run stopped goes on only with at least this much time left: a
# shorter piece would spend about as long building the decoding problem as stepping.
MIN_PIECE_SECONDS = 60.0


@functools.lru_cache(maxsize=2)
def _problem(circuit_text: str, decoder_key: bytes) -> DecodingProblem:
    return DecodingProblem(stim.Circuit(circuit_text), pickle.loads(decoder_key))


def unit_on_worker(
    circuit_text: str,
    decoder_key: bytes,
    ladder: Ladder,
    seed: int,
    deadline: float | None,
    attribute: bool = False,
    qubit_kinds: Mapping[int, str] | None = None,
    resume: PartialUnit | None = None,
    checkpoint: Callable[[PartialUnit], None] | None = None,
) -> UnitResult | PartialUnit:
    """One unit (going on from `resume` when given, handing `checkpoint` its state as
    `run_unit` does), in a worker process or on a Dask worker (the problem, for the
    circuit and pickled `DecoderChoice`, and with `attribute` the fault kinds, are built
    once per process); a `PartialUnit` if unfinished at `deadline`."""
    kinds = fault_kinds(stim.Circuit(circuit_text), qubit_kinds=qubit_kinds) if attribute else None
    problem = _problem(circuit_text, decoder_key)
    return run_unit(
        problem,
        ladder,
        seed=seed,
        deadline=deadline,
        kinds=kinds,
        resume=resume,
        checkpoint=checkpoint,
    )


def pool_units(
    ladder: Ladder,
    level_ratios: list[tuple[float, float]],
    units: list[UnitResult],
    kinds: FaultKinds | None = None,
) -> SplittingEstimate:
    """The estimate from `units` of `ladder` (`level_ratios`: `level_log_ratios`), with
    the attribution of their failures to `kinds` when given."""
    estimate = combine_units(
        scales=ladder.scales,
        level_ratios=level_ratios,
        top_shots=[u.top_shots for u in units],
        top_failures=[u.top_failures for u in units],
        histograms=[u.histograms for u in units],
        decoded=sum(u.decoded for u in units),
        seconds=sum(u.seconds for u in units),
    )
    if kinds is None:
        return estimate
    found = splitting_attribution([u.kinds for u in units], kinds)
    return dataclasses.replace(estimate, attribution=found)


@contextlib.contextmanager
def _executor(workers: int, client: Any) -> Iterator[concurrent.futures.Executor | None]:
    if client is not None:
        yield client.get_executor(pure=False)
    elif workers <= 1:
        yield None
    else:
        check_main_guard("the splitting runs' worker processes")
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=watch_parent, initargs=(os.getpid(),)
        ) as pool:
            yield pool


@dataclasses.dataclass
class _Run:
    """The state of one run on its ladder: its units (the saved ones first), their
    estimate, and the seconds this run spent on the units it finished. Each unit it
    finishes is pooled, appended to the ledger and reported; each it stops at the
    deadline is kept for a later run, with a results file."""

    ledger: RunLedger
    ladder: Ladder
    level_ratios: list[tuple[float, float]]
    units: list[UnitResult]
    strong_id: str
    metadata: Mapping[str, Any]
    decoder: str
    rel_precision: float
    progress: Callable[[str], None] | None
    kinds: FaultKinds | None = None
    estimate: SplittingEstimate | None = None
    finished_seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.units:
            self.estimate = pool_units(self.ladder, self.level_ratios, self.units, self.kinds)

    def short_of_time(self, *, resuming: bool = False) -> bool:
        """Whether max_seconds has passed, or a unit started now would not finish before
        it at the mean time of the units so far (it would be stopped, and go on in a
        later run). `resuming` a kept unit needs only MIN_PIECE_SECONDS."""
        deadline = self.ledger.deadline
        mean_unit = sum(u.seconds for u in self.units) / len(self.units) if self.units else 0.0
        needed = MIN_PIECE_SECONDS if resuming else mean_unit
        return deadline is not None and time.time() + needed >= deadline

    def done(self, *, resuming: bool = False) -> bool:
        """Whether to start no more units (`resuming`: the next goes on with a kept one):
        `short_of_time`, MAX_UNITS are pooled, or at least MIN_UNITS reach
        rel_precision."""
        if self.short_of_time(resuming=resuming):
            return True
        if self.estimate is None:
            return False
        if len(self.units) >= MAX_UNITS:
            return True
        return (
            len(self.units) >= MIN_UNITS and self.estimate.relative_precision <= self.rel_precision
        )

    @property
    def ladder_id(self) -> str:
        return ladder_identity(self.strong_id, self.ladder)

    def add(self, result: UnitResult | PartialUnit) -> None:
        """Pools a finished unit, saves its row, forgets its partial state and reports;
        keeps an unfinished one's state for a later run (never pooled)."""
        path = self.ledger.path
        if isinstance(result, PartialUnit):
            if path is not None:
                save_partial(path, self.ladder_id, result)
            return
        self.units.append(result)
        self.finished_seconds += result.seconds - result.earlier_seconds
        self.estimate = pool_units(self.ladder, self.level_ratios, self.units, self.kinds)
        row = unit_row(
            result,
            ladder=self.ladder,
            strong_id=self.strong_id,
            metadata=self.metadata,
            decoder=self.decoder,
        )
        self.ledger.append([row])
        if path is not None and result.earlier_seconds:
            drop_partial(path, self.ladder_id, result.seed)
        if self.progress is not None:
            self.progress(
                _progress_text(
                    self.estimate,
                    self.ladder,
                    self.rel_precision,
                    elapsed=self.ledger.elapsed(),
                    workers=self.ledger.workers,
                )
            )


def run_splitting(
    circuit: stim.Circuit,
    *,
    strong_id: str,
    metadata: Mapping[str, Any],
    path: pathlib.Path | None,
    rel_precision: float,
    max_seconds: float | None,
    seed: int | None,
    workers: int,
    client: Any = None,
    progress: Callable[[str], None] | None = None,
    decoder: DecoderChoice | None = None,
    attribute: bool = False,
    qubit_kinds: Mapping[int, str] | None = None,
    setup_seconds: float = 0.0,
    lowest_scale: float = 1.0,
) -> tuple[Ladder, SplittingEstimate | None]:
    """Plans the ladder for `decoder` (PyMatching when None), then runs units (resuming
    those in `path`) on `workers` processes (or `client`'s Dask cluster) until the 95%
    half-width is within `rel_precision` of the rate with at least MIN_UNITS units,
    `max_seconds` pass, or MAX_UNITS units are pooled.

    `max_seconds` counts the time of the rows already in `path`: a rerun spends only
    what is left. With less than a unit's mean time left, the saved units are the
    estimate, and no unit starts that the time left would not see through at that
    mean; units kept from earlier runs go on whenever MIN_PIECE_SECONDS are left. Units
    unfinished after `max_seconds` are stopped, kept beside `path` (`partial_units`)
    for a rerun to go on with, and their time is recorded in `path` as an
    `unfinished_row`; the estimate is None when no unit has finished.

    With `attribute`, the estimate's `attribution` says which fault kinds the failures
    rest on (`qubit_kinds` as `fault_kinds` takes them), from the units whose rows hold
    kind counts. `setup_seconds` (the caller's building of the circuit's models) counts
    against `max_seconds`. With `lowest_scale` < 1 the ladder goes on below scale 1 to
    `lowest_scale`, so that the estimate's curve reaches weaker noise."""
    check_circuit(circuit)
    decoder = decoder if decoder is not None else DecoderChoice()
    kinds = fault_kinds(circuit, qubit_kinds=qubit_kinds) if attribute else None
    # A unit's row holds its own seconds, and units run side by side on the workers.
    ledger = RunLedger.start(
        path,
        belongs=lambda row: is_splitting_row_of(row, metadata, decoder.name),
        max_seconds=max_seconds,
        workers=workers,
        setup_seconds=setup_seconds,
    )
    saved = ledger.saved
    # Only a ladder that ends at `lowest_scale` serves this run (a curve asked for to
    # other depths needs other levels); the time of the others still counts.
    fitting = [row for row in saved if ladder_of_row(row).scales[-1] == lowest_scale]
    finished = [row for row in fitting if not is_unfinished(row)]
    left = ledger.left()
    # A rerun goes on with the ladder of its finished or kept units (planning runs
    # pilots); with neither, time left plans afresh (seeded), since no unit ties it to
    # an older plan.
    latest = max(finished or fitting, key=lambda row: row.seconds) if fitting else None
    saved_ladder = None if latest is None else ladder_of_row(latest)
    kept = (
        path is not None
        and saved_ladder is not None
        and keeps_partials(path, ladder_identity(strong_id, saved_ladder))
    )
    # The time a run needs to add to the estimate: a piece of a kept unit, else a unit
    # on one worker (`_Run.short_of_time`'s rule), at the mean of the finished units or,
    # with none, all the time spent so far.
    whole = [unit_seconds_of_row(row) for row in finished]
    if kept:
        needed = MIN_PIECE_SECONDS
    else:
        needed = sum(whole) / len(whole) if whole else ledger.spent
    if saved_ladder is not None and left is not None and left < needed:
        # max_seconds counts the time in the file: too little is left, so the saved
        # units are the estimate (no unit started only to stop).
        units = units_of(saved, saved_ladder)
        if not units:
            return saved_ladder, None
        ratios = kept_level_log_ratios(circuit, decoder, saved_ladder.scales, path)
        return saved_ladder, pool_units(saved_ladder, ratios, units, kinds)
    # The decoding problem is built only to plan a ladder or run units: saved units that
    # already meet the stopping rule are read back without it.
    planned = saved_ladder if finished or kept else None
    ladder = planned or plan_ladder(DecodingProblem.of(circuit, decoder), lowest=lowest_scale)
    units = units_of(saved, ladder)
    unfinished = functools.partial(
        unfinished_row, ladder=ladder, strong_id=strong_id, metadata=metadata, decoder=decoder.name
    )
    if not units and ledger.out_of_time():
        ledger.record_unfinished(unfinished)  # the planning alone used up max_seconds
        return ladder, None
    run = _Run(
        ledger=ledger,
        ladder=ladder,
        level_ratios=kept_level_log_ratios(circuit, decoder, ladder.scales, path),
        units=units,
        strong_id=strong_id,
        metadata=metadata,
        decoder=decoder.name,
        rel_precision=rel_precision,
        progress=progress,
        kinds=kinds,
    )
    if run.done(resuming=kept) and not ledger.out_of_time():
        return ladder, run.estimate
    problem = DecodingProblem.of(circuit, decoder)
    _run_units(
        run,
        problem,
        circuit,
        seed=seed,
        workers=workers,
        client=client,
        qubit_kinds=qubit_kinds,
    )
    if run.short_of_time():
        # Stopped by max_seconds: the time of the units dropped unfinished, or of the
        # planning and of the workers left idle, is recorded too, so that a rerun reads
        # this estimate back instead of spending it again. With no unit finished, that
        # is all of this run's time.
        ledger.record_unfinished(unfinished, finished_seconds=run.finished_seconds)
    return ladder, run.estimate


def kept_level_log_ratios(
    circuit: stim.Circuit,
    decoder: DecoderChoice,
    scales: Sequence[float],
    results: pathlib.Path | None,
) -> list[tuple[float, float]]:
    """`level_log_ratios` of `circuit`'s decoding problem (its model as `decoder` reads
    it) at `scales`, kept beside the results file `results` (`derived_values`): reading
    saved units back then builds no decoding problem."""

    def compute() -> list[tuple[float, float]]:
        return level_log_ratios(DecodingProblem.of(circuit, decoder), scales)

    params = {"decoder": decoder.name, "scales": list(scales)}
    kept = derived_values(results).get(
        circuit, "level_log_ratios", params, compute, packages=("stim",)
    )
    return [(float(step), float(log_z)) for step, log_z in kept]


def _run_units(
    run: _Run,
    problem: DecodingProblem,
    circuit: stim.Circuit,
    *,
    seed: int | None,
    workers: int,
    client: Any,
    qubit_kinds: Mapping[int, str] | None,
) -> None:
    """Runs units until `run` is done: one at a time in this process with one worker,
    else `workers` at a time on processes or `client`'s cluster (those still in flight
    then are waited for), in the order of `UnitJobs`. Workers build `run.kinds` again from
    `qubit_kinds`. Units on this machine keep their state beside the results file every
    CHECKPOINT_SECONDS; a Dask worker's files may be on another machine, so its units
    are kept only when the deadline stops them."""
    path = run.ledger.path
    jobs = UnitJobs(path, run.ladder_id, finished={u.seed for u in run.units}, seed=seed)
    checkpoint = None
    if path is not None and client is None:
        checkpoint = functools.partial(save_partial, path, run.ladder_id)
    deadline = run.ledger.deadline
    with _executor(workers, client) as pool:
        if pool is None:
            while not run.done(resuming=jobs.resuming):
                seed_now, resume = jobs.next()
                run.add(
                    run_unit(
                        problem,
                        run.ladder,
                        seed=seed_now,
                        deadline=deadline,
                        kinds=run.kinds,
                        resume=resume,
                        checkpoint=checkpoint,
                    )
                )
            return
        circuit_text = str(circuit)
        decoder_key = pickle.dumps(problem.decoder)
        in_flight: set[concurrent.futures.Future[UnitResult | PartialUnit]] = set()
        while not run.done(resuming=jobs.resuming):
            while (
                len(in_flight) < workers
                and len(run.units) + len(in_flight) < MAX_UNITS
                and not run.done(resuming=jobs.resuming)
            ):
                seed_now, resume = jobs.next()
                in_flight.add(
                    pool.submit(
                        unit_on_worker,
                        circuit_text,
                        decoder_key,
                        run.ladder,
                        seed_now,
                        deadline,
                        run.kinds is not None,
                        qubit_kinds,
                        resume,
                        checkpoint,
                    )
                )
            finished, in_flight = concurrent.futures.wait(
                in_flight, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in finished:
                run.add(future.result())
        for future in concurrent.futures.as_completed(in_flight):
            run.add(future.result())


def _progress_text(
    estimate: SplittingEstimate,
    ladder: Ladder,
    rel_precision: float,
    *,
    elapsed: float,
    workers: int,
) -> str:
    precision = estimate.relative_precision
    if estimate.units < 2:
        return f"splitting: 1 unit ({ladder.levels} levels), {elapsed:.0f} s; an interval needs 2"
    text = (
        f"splitting: {estimate.units} units ({ladder.levels} levels), rate {estimate.rate} "
        f"per shot, half-width {precision:.0%} (target {rel_precision:.0%}), {elapsed:.0f} s"
    )
    if estimate.units >= MIN_UNITS and math.isfinite(precision) and precision > rel_precision:
        per_unit = estimate.seconds / estimate.units / max(1, workers)
        needed = max(MIN_UNITS, estimate.units * (precision / rel_precision) ** 2)
        text += f", ~{(needed - estimate.units) * per_unit:.0f} s left"
    return text
