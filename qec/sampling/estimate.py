"""Estimates of logical error rates: direct Monte Carlo, stratified sampling or
multilevel splitting, chosen or automatic.

The stratified and splitting machinery (scipy, PyMatching) is imported only when one of
them runs: sinter's worker processes re-import the script that started them, and those
imports would delay each one's first shot by about a second.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import math
import os
import pathlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import sinter
import stim

from qec.errors import QecError, check_choice, check_int
from qec.experiment import CircuitExperiment, Experiment, MemoryExperiment
from qec.intervals import Interval
from qec.progress import ProgressLine
from qec.sampling.auto import Pilot, choose_method
from qec.sampling.core.decoders import DecoderChoice, decoder_error_model
from qec.sampling.core.derived_values import derived_values
from qec.sampling.core.results_file import append_rows, check_results_path, open_results_file
from qec.sampling.core.resumable import check_stopping_rules
from qec.sampling.method import (
    AUTO,
    Counts,
    Method,
    NoUnitFinished,
    PrecisionNotReached,
    SetupOverBudget,
)
from qec.sampling.monte_carlo.collect import (
    collect_with_dask,
    collect_with_sinter,
    dask_client,
    limits_met,
    saved_totals,
)
from qec.sampling.result import Estimate, ScaledRate, per_round_of
from qec.sampling.setup import EstimateSetup, holds_rows_of

METHODS = (AUTO, *(m.value for m in Method))
STRATIFIED_INTERVAL = (
    "95%: Clopper-Pearson per stratum, combined by MOVER, unsampled strata as failures"
)


def estimate(
    experiment: Experiment,
    *,
    method: str | Method = AUTO,
    decoder: str = "pymatching",
    custom_decoders: Mapping[str, sinter.Decoder] | None = None,
    max_shots: int | None = 1_000_000,
    max_errors: int | None = 100,
    rel_precision: float = 0.2,
    max_seconds: float | None = None,
    save: str | pathlib.Path | None = None,
    num_workers: int | None = None,
    progress: bool = True,
    backend: str = "sinter",
    scheduler: str | None = None,
    seed: int | None = None,
    attribute: bool = False,
    direct_only: bool = False,
) -> Estimate:
    """Estimates the logical error rate of `experiment`: a `MemoryExperiment`, or a
    `CircuitExperiment` wrapping any stim circuit (its per-round rate needs its rounds).

    Every method decodes with `decoder`: one of sinter's built-in decoders, stimbposd's
    BP+OSD decoders ("bposd", ...; `pip install "qec[bposd]"`), or a name of
    `custom_decoders` (names to `sinter.Decoder`s, as `sinter.collect` takes them).
    PyMatching is the fast path: its matching graph also certifies strata.

    `method="monte_carlo"` samples and decodes whole shots until `max_shots` shots or
    `max_errors` errors, whichever comes first: on `num_workers` sinter processes
    (`backend="sinter"`), or as seeded units on a local Dask cluster of `num_workers`
    workers or the one at `scheduler` (`backend="dask"`).

    `method="stratified"` samples fault sets stratum by stratum
    (`qec.sampling.stratified.sampler`, seeded by `seed`) until the 95% half-width is within
    `rel_precision` of the rate, or `max_seconds` pass; `max_shots` limits the fault sets
    sampled in this run. `max_errors` applies to direct Monte Carlo only, `max_seconds`
    to stratified sampling and splitting only, `seed` to them and the pilot of `auto`.

    `method="splitting"` estimates by multilevel splitting
    (`qec.sampling.splitting.ladder`): independent units, each walking Metropolis chains of
    failing fault configurations down a ladder of noise strengths, run on `num_workers`
    processes (or Dask with `backend="dask"`/`scheduler`), seeded by `seed`, until the 95%
    half-width is within `rel_precision` of the rate or `max_seconds` pass.

    `method="auto"` runs a pilot (`qec.sampling.auto.choose_method`: in this process,
    seeded by `seed`, or the counts `save` already holds) and picks direct Monte Carlo
    when it says `max_shots` yields enough errors (the fewer of `max_errors` and what
    `rel_precision` needs), counting the pilot's shots; otherwise stratified sampling
    when the circuit's mean fault count is small and splitting when it is not. It never
    refuses; `assumptions` says what ran and why, and notes a precision that was not
    reached.

    `direct_only` keeps `auto` to direct Monte Carlo after its pilot, whose interval then
    bounds a rate too rare for `max_shots` from above (the overhead solver's points
    decoded by other decoders than PyMatching, as they were committed).

    With `attribute`, the estimate's `attribution` says which fault kinds (operation,
    data or ancilla, cat or transmon) the failures rest on: each kind's elasticity
    d log P_L / d log p_K with its 95% interval ("what should I improve first?"). It
    needs the failing fault sets, which only stratified sampling and splitting keep:
    `auto` then picks between those two without a pilot.

    With `save`, results are appended to that sinter CSV as they arrive; running again
    resumes from what the file holds (never counting a shot twice) and the returned
    totals include earlier runs. `sinter plot` and `sinter combine` read the file; one
    process at a time may write it.

    Examples:
        >>> from qec import RepetitionCode, Depolarizing
        >>> experiment = MemoryExperiment(code=RepetitionCode(distance=3),
        ...     noise=Depolarizing(p=0.01), rounds=3, basis="Z")
        >>> result = estimate(experiment, method="monte_carlo", max_shots=2000,
        ...                   max_errors=None, num_workers=1, progress=False)
        >>> result.shots, result.method
        (2000, 'monte_carlo')
        >>> rare = MemoryExperiment(code=RepetitionCode(distance=9),
        ...     noise=Depolarizing(p=0.001), rounds=3, basis="Z")
        >>> estimate(rare, progress=False, seed=1).method
        'stratified'
    """
    if not isinstance(experiment, (MemoryExperiment, CircuitExperiment)):
        raise QecError.invalid(
            "experiment",
            f"<{type(experiment).__name__}>",
            "a MemoryExperiment or a CircuitExperiment (wrap a stim.Circuit in one)",
        )
    check_choice("method", method, METHODS)
    chosen = None if method == AUTO else Method.parse(method)
    if attribute and chosen is Method.MONTE_CARLO:
        raise QecError.invalid(
            "attribute",
            True,
            "False with method 'monte_carlo' (direct sampling does not keep which faults "
            "fired): use stratified, splitting or auto",
        )
    choice = DecoderChoice(decoder, custom_decoders)
    check_int("max_shots", max_shots, minimum=1, optional=True)
    check_int("max_errors", max_errors, minimum=1, optional=True)
    if max_shots is None and max_errors is None and max_seconds is None:
        raise QecError.invalid("max_shots", None, "a limit: max_shots, max_errors or max_seconds")
    check_stopping_rules(rel_precision=rel_precision, max_seconds=max_seconds)
    workers = num_workers if num_workers is not None else (os.cpu_count() or 1)
    check_int("num_workers", workers, minimum=1)
    check_choice("backend", backend, ("sinter", "dask"))
    if scheduler is not None:
        backend = "dask"
    if save is not None:
        check_results_path(save)

    setup = EstimateSetup(progress, max_seconds)
    metadata = experiment.metadata()
    circuit = experiment.circuit()
    # The fault kinds' cat and transmon qubits (None: none, or no attribution asked).
    qubit_kinds = (experiment.qubit_kinds() or None) if attribute else None
    derived = derived_values(save)  # what a read-back needs of the model, kept beside it

    @functools.cache
    def dem() -> stim.DetectorErrorModel:
        setup.stage(circuit, f"the detector error model of {circuit.num_detectors:,} detectors")
        return decoder_error_model(circuit, decoder)

    strong_id: str = derived.get(
        circuit,
        "strong_id",
        {"decoder": decoder, "metadata": metadata},
        lambda: _task(circuit, dem(), decoder, metadata).strong_id(),
        packages=("stim", "sinter"),
    )
    if chosen is not Method.MONTE_CARLO:
        from qec.sampling.core.decoding_problem import (  # scipy: see the module's docstring
            DecodingProblem,
            check_fault_table_fits,
            fault_table_fits,
        )

        size = derived.get(
            circuit,
            "model_size",
            {"decoder": decoder},
            lambda: [dem().num_errors, dem().num_detectors],
            packages=("stim",),
        )
        mechanisms, detectors = int(size[0]), int(size[1])
        if chosen is None and not attribute and not fault_table_fits(mechanisms, detectors):
            direct_only = True  # the rare-event methods' table would not fit in memory
        else:
            check_fault_table_fits(mechanisms, detectors)
        # A run that reads saved rows back builds its decoding problem only if it samples.
        fresh = chosen is not None and not holds_rows_of(save, chosen, metadata, decoder)
        if fresh and not setup.out_of_time():
            setup.stage(circuit, f"the decoding problem of {mechanisms:,} mechanisms")
            problem = DecodingProblem.of(circuit, choice)  # kept for the run (`LastCircuit`)
            certify = chosen is Method.STRATIFIED and problem.matching is not None
            if certify and not setup.out_of_time():
                setup.stage(circuit, "the fault counts PyMatching is proven to correct")
                _ = problem.certified_faults  # kept on the problem
    caller = f"{chosen} (chosen by the caller)"
    over = setup.over_budget()
    if chosen is not None and chosen.rare_event and over is not None:
        return _no_estimate(metadata, decoder, chosen, caller, over, seconds=over.setup_seconds)
    with open_results_file(save) if save is not None else contextlib.nullcontext() as path:
        # Direct counts so far: what `path` holds (read once), then the pilot's.
        counted = sinter.AnonTaskStats()
        if chosen in (None, Method.MONTE_CARLO):
            counted = saved_totals(strong_id, path)
        if chosen is None:
            picked = choose_method(
                circuit,
                decoder=choice,
                max_shots=max_shots,
                max_errors=max_errors,
                rel_precision=rel_precision,
                saved=(counted.shots, counted.errors),
                seed=seed,
                attribute=attribute,
                direct_only=direct_only,
                derived=derived,
            )
            chosen, assumptions = picked.method, picked.reason
            if chosen is Method.MONTE_CARLO and picked.pilot is not None:
                counted += _keep_pilot(strong_id, decoder, metadata, path, picked.pilot)
        else:
            assumptions = caller
        if chosen is Method.SPLITTING:
            return _splitting(
                circuit,
                strong_id,
                metadata,
                path,
                decoder=choice,
                attribute=attribute,
                qubit_kinds=qubit_kinds,
                assumptions=assumptions,
                rel_precision=rel_precision,
                max_seconds=max_seconds,
                setup_seconds=setup.seconds(),
                seed=seed,
                workers=workers,
                backend=backend,
                scheduler=scheduler,
                progress=progress,
            )
        if chosen is Method.STRATIFIED:
            return _stratified(
                circuit,
                strong_id,
                metadata,
                path,
                decoder=choice,
                attribute=attribute,
                qubit_kinds=qubit_kinds,
                assumptions=assumptions,
                rel_precision=rel_precision,
                max_seconds=max_seconds,
                setup_seconds=setup.seconds(),
                max_samples=max_shots,
                seed=seed,
                progress=progress,
            )
        line = ProgressLine(max_shots=max_shots, max_errors=max_errors) if progress else None

        def on_totals(shots: int, errors: int) -> None:
            if line is not None:
                line.update(shots=shots, errors=errors)

        if limits_met(counted, max_shots=max_shots, max_errors=max_errors):
            total = counted  # nothing to sample: no detector error model needed
        elif backend == "sinter":
            total = collect_with_sinter(
                _task(circuit, dem(), decoder, metadata),
                path,
                decoder=choice,
                counted=counted,
                workers=workers,
                max_shots=max_shots,
                max_errors=max_errors,
                on_totals=on_totals,
            )
        else:
            total = collect_with_dask(
                _task(circuit, dem(), decoder, metadata),
                path,
                decoder=choice,
                counted=counted,
                workers=workers,
                scheduler=scheduler,
                max_shots=max_shots,
                max_errors=max_errors,
                on_totals=on_totals,
            )
        if line is not None:
            line.finish()
    result = Estimate.from_counts(
        metadata=metadata,
        decoder=decoder,
        shots=total.shots,
        errors=total.errors,
        seconds=total.seconds,
    )
    return dataclasses.replace(result, assumptions=assumptions)


def _no_estimate(
    metadata: Mapping[str, Any],
    decoder: str,
    method: Method,
    assumptions: str,
    shortfall: NoUnitFinished | SetupOverBudget,
    *,
    seconds: float = 0.0,
) -> Estimate:
    """The estimate of a run that measured nothing: the interval [0, 1] and why."""
    nothing = Interval(math.nan, 0.0, 1.0)
    return Estimate(
        metadata=dict(metadata),
        decoder=decoder,
        counts=Counts(method, drawn=0),
        seconds=seconds,
        per_shot=nothing,
        per_round=per_round_of(nothing, metadata),
        interval="95%: trivial [0, 1]",
        assumptions=f"{assumptions}; note: {shortfall}",
        shortfall=shortfall,
    )


def _task(
    circuit: stim.Circuit, dem: stim.DetectorErrorModel, decoder: str, metadata: Mapping[str, Any]
) -> sinter.Task:
    """The sinter task of `circuit` with its model `dem`."""
    return sinter.Task(
        circuit=circuit, detector_error_model=dem, decoder=decoder, json_metadata=metadata
    )


def _keep_pilot(
    strong_id: str,
    decoder: str,
    metadata: Mapping[str, Any],
    path: pathlib.Path | None,
    pilot: Pilot,
) -> sinter.AnonTaskStats:
    """The pilot's counts, kept for the direct run: also appended to `path` as a row (its
    stim seed recorded as the custom count `seed=<n>`).

    The pilot is kept only when it chose direct sampling, so its counts lean to more
    errors near the choice's threshold; it holds at most PILOT_SHOTS of the run (when
    the run is no longer than the pilot, that bias is at most a few percent of the rate,
    within the 95% interval a run that stops at enough errors has anyway)."""
    row = sinter.TaskStats(
        strong_id=strong_id,
        decoder=decoder,
        json_metadata=metadata,
        shots=pilot.shots,
        errors=pilot.errors,
        seconds=pilot.seconds,
        custom_counts=collections.Counter({f"seed={pilot.seed}": 1}),
    )
    if path is not None:
        append_rows(path, [row])
    return row.to_anon_stats()


@contextlib.contextmanager
def _progress_text(
    progress: bool, *, max_shots: int | None
) -> Iterator[Callable[[str], None] | None]:
    """A progress line's `say` for runs that report in sentences (None without progress),
    finished when the run ends."""
    line = ProgressLine(max_shots=max_shots, max_errors=None) if progress else None
    yield None if line is None else line.say
    if line is not None:
        line.finish()


def _stratified(
    circuit: stim.Circuit,
    strong_id: str,
    metadata: Mapping[str, Any],
    path: pathlib.Path | None,
    *,
    decoder: DecoderChoice,
    attribute: bool,
    qubit_kinds: Mapping[int, str] | None,
    assumptions: str,
    rel_precision: float,
    max_seconds: float | None,
    setup_seconds: float,
    max_samples: int | None,
    seed: int | None,
    progress: bool,
) -> Estimate:
    from qec.sampling.stratified.runs import run_stratified  # see the module's docstring

    with _progress_text(progress, max_shots=max_samples) as say:
        result = run_stratified(
            circuit,
            strong_id=strong_id,
            metadata=dict(metadata),
            path=path,
            rel_precision=rel_precision,
            max_seconds=max_seconds,
            setup_seconds=setup_seconds,
            max_samples=max_samples,
            seed=seed,
            progress=say,
            decoder=decoder,
            attribute=attribute,
            qubit_kinds=qubit_kinds,
        )
    shot_rate = Interval(result.rate, result.low, result.high)
    return Estimate(
        metadata=dict(metadata),
        decoder=decoder.name,
        counts=Counts(Method.STRATIFIED, drawn=result.samples, failing=result.failures),
        seconds=result.seconds,
        per_shot=shot_rate,
        per_round=per_round_of(shot_rate, metadata),
        interval=STRATIFIED_INTERVAL,
        attribution=result.attribution,
        assumptions=(
            f"{assumptions}; p_L = sum_w P(W=w) f_w over {result.max_faults} strata "
            f"({sum(s.enumerated for s in result.strata)} decoded exhaustively, exact), "
            f"f_0 = 0, unsampled strata and the tail P(W>{result.max_faults}) = "
            f"{result.tail_probability:.2g} counted as failures in the upper bound"
        ),
    )


def _splitting(
    circuit: stim.Circuit,
    strong_id: str,
    metadata: Mapping[str, Any],
    path: pathlib.Path | None,
    *,
    decoder: DecoderChoice,
    attribute: bool,
    qubit_kinds: Mapping[int, str] | None,
    assumptions: str,
    rel_precision: float,
    max_seconds: float | None,
    setup_seconds: float,
    seed: int | None,
    workers: int,
    backend: str,
    scheduler: str | None,
    progress: bool,
) -> Estimate:
    from qec.sampling.splitting.estimate import SPLITTING_INTERVAL  # see the module's docstring
    from qec.sampling.splitting.runs import run_splitting

    cluster = dask_client(workers, scheduler) if backend == "dask" else contextlib.nullcontext()
    with _progress_text(progress, max_shots=None) as say, cluster as client:
        ladder, result = run_splitting(
            circuit,
            strong_id=strong_id,
            metadata=dict(metadata),
            path=path,
            rel_precision=rel_precision,
            max_seconds=max_seconds,
            setup_seconds=setup_seconds,
            seed=seed,
            workers=workers,
            client=client,
            progress=say,
            decoder=decoder,
            attribute=attribute,
            qubit_kinds=qubit_kinds,
        )
    top = ladder.scales[0]
    if result is None:
        missing = NoUnitFinished(
            max_seconds=math.inf if max_seconds is None else max_seconds,
            unit_decodes=ladder.unit_decodes,
            levels=ladder.levels,
            saved_time_counted=path is not None,
        )
        return _no_estimate(dict(metadata), decoder.name, Method.SPLITTING, assumptions, missing)
    short = (
        None
        if result.relative_precision <= rel_precision
        else PrecisionNotReached(reached=result.relative_precision, asked=rel_precision)
    )
    return Estimate(
        metadata=dict(metadata),
        decoder=decoder.name,
        counts=Counts(Method.SPLITTING, drawn=result.decoded),
        seconds=result.seconds,
        per_shot=result.rate,
        per_round=per_round_of(result.rate, metadata),
        interval=SPLITTING_INTERVAL,
        shortfall=short,
        attribution=result.attribution,
        curve=ScaledRate.curve(result.scales, result.curve, metadata),
        assumptions=(
            f"{assumptions}; multilevel splitting over {ladder.levels} noise strengths "
            f"(every mechanism's odds x {top:.3g} down to x 1), P_L = {result.top_rate:.3g} "
            f"sampled directly at x {top:.3g}, Bennett ratios between replica-exchange "
            f"chains of failures, {result.units} independent units of {ladder.ladders} ladders "
            f"x {ladder.steps} steps; ladders started hot alone: {result.starts[0]}, cold "
            f"alone: {result.starts[1]} (the interval reaches both)"
            + ("" if short is None else f"; note: {short}")
        ),
    )
