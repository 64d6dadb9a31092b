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
import os
import pathlib
from collections.abc import Mapping
from typing import Any

import sinter
import stim

from qec.errors import QecError, check_choice, check_int, check_number
from qec.experiment import CircuitExperiment, Experiment, MemoryExperiment
from qec.progress import ProgressLine
from qec.sampling.auto import Pilot, choose_method
from qec.sampling.core.decoders import DecoderChoice, decoder_error_model
from qec.sampling.core.derived_values import derived_values
from qec.sampling.core.results_file import append_rows, check_results_path, open_results_file
from qec.sampling.core.resumable import check_stopping_rules
from qec.sampling.method import (
    AUTO,
    Method,
)
from qec.sampling.monte_carlo.collect import (
    collect_with_dask,
    collect_with_sinter,
    limits_met,
    saved_totals,
)
from qec.sampling.rare_event_runs import (
    RareEventRun,
    no_estimate,
    splitting_estimate,
    stratified_estimate,
)
from qec.sampling.result import Estimate
from qec.sampling.setup import EstimateSetup, holds_rows_of

METHODS = (AUTO, *(m.value for m in Method))


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
    curve_down_to: float = 1.0,
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
    half-width is within `rel_precision` of the rate or `max_seconds` pass. Its
    `Estimate.curve` holds the rate at every noise strength of the ladder, from its
    strongest down to the requested noise, or on to every mechanism's odds times
    `curve_down_to` (< 1, splitting only) so that a what-if at weaker noise reads it
    (`Estimate.rate_at`).

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
    check_number(
        "curve_down_to", curve_down_to, allowed="a scale in (0, 1]", accept=lambda s: 0 < s <= 1
    )
    if chosen is not Method.SPLITTING and curve_down_to != 1.0:
        raise QecError.invalid("curve_down_to", curve_down_to, "1.0 unless method='splitting'")
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
    fresh = True  # nothing saved to read back
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
    # Saved rows are read back however long the setup took: with no time left, they are
    # the estimate (a cold setup, one whose models are not kept yet, must not hide them).
    if chosen is not None and chosen.rare_event and over is not None and fresh:
        return no_estimate(metadata, decoder, chosen, caller, over, seconds=over.setup_seconds)
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
        if chosen.rare_event:
            run = RareEventRun(
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
                progress=progress,
            )
            if chosen is Method.STRATIFIED:
                return stratified_estimate(run, max_samples=max_shots)
            return splitting_estimate(
                run,
                workers=workers,
                backend=backend,
                scheduler=scheduler,
                lowest_scale=curve_down_to,
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
