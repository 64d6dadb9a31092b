"""The estimates of the rare-event methods: runs stratified sampling or splitting for
`qec.sampling.estimate` and says in its `Estimate` what the rate rests on.

The stratified and splitting machinery (scipy, PyMatching) is imported inside the
functions, only when one of them runs (see `qec.sampling.estimate`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import pathlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import stim

from qec.intervals import Interval
from qec.progress import ProgressLine
from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.method import Counts, Method, NoUnitFinished, PrecisionNotReached, SetupOverBudget
from qec.sampling.monte_carlo.collect import dask_client
from qec.sampling.result import Estimate, ScaledRate, per_round_of

STRATIFIED_INTERVAL = (
    "95%: Clopper-Pearson per stratum, combined by MOVER, unsampled strata as failures"
)


def no_estimate(
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


@dataclasses.dataclass(frozen=True)
class RareEventRun:
    """What either rare-event method is asked, as `estimate` checked it: `circuit` (its
    sinter `strong_id` and `metadata`), the results file `path` it resumes from and
    extends (None: none), the `decoder` and, with `attribute`, the fault kinds to
    attribute failures to (`qubit_kinds`); how the method was chosen (`assumptions`);
    its stopping rules (`rel_precision`, `max_seconds`, which counts `setup_seconds`
    already spent); its `seed`; and whether it shows `progress`."""

    circuit: stim.Circuit
    strong_id: str
    metadata: Mapping[str, Any]
    path: pathlib.Path | None
    decoder: DecoderChoice
    attribute: bool
    qubit_kinds: Mapping[int, str] | None
    assumptions: str
    rel_precision: float
    max_seconds: float | None
    setup_seconds: float
    seed: int | None
    progress: bool


def stratified_estimate(run: RareEventRun, *, max_samples: int | None) -> Estimate:
    from qec.sampling.stratified.runs import run_stratified  # see the module's docstring

    with _progress_text(run.progress, max_shots=max_samples) as say:
        result = run_stratified(
            run.circuit,
            strong_id=run.strong_id,
            metadata=dict(run.metadata),
            path=run.path,
            rel_precision=run.rel_precision,
            max_seconds=run.max_seconds,
            setup_seconds=run.setup_seconds,
            max_samples=max_samples,
            seed=run.seed,
            progress=say,
            decoder=run.decoder,
            attribute=run.attribute,
            qubit_kinds=run.qubit_kinds,
        )
    shot_rate = Interval(result.rate, result.low, result.high)
    return Estimate(
        metadata=dict(run.metadata),
        decoder=run.decoder.name,
        counts=Counts(Method.STRATIFIED, drawn=result.samples, failing=result.failures),
        seconds=result.seconds,
        per_shot=shot_rate,
        per_round=per_round_of(shot_rate, run.metadata),
        interval=STRATIFIED_INTERVAL,
        attribution=result.attribution,
        assumptions=(
            f"{run.assumptions}; p_L = sum_w P(W=w) f_w over {result.max_faults} strata "
            f"({sum(s.enumerated for s in result.strata)} decoded exhaustively, exact), "
            f"f_0 = 0, unsampled strata and the tail P(W>{result.max_faults}) = "
            f"{result.tail_probability:.2g} counted as failures in the upper bound"
        ),
    )


def splitting_estimate(
    run: RareEventRun,
    *,
    workers: int,
    backend: str,
    scheduler: str | None,
    lowest_scale: float,
) -> Estimate:
    from qec.sampling.splitting.estimate import SPLITTING_INTERVAL  # see the module's docstring
    from qec.sampling.splitting.runs import run_splitting

    cluster = dask_client(workers, scheduler) if backend == "dask" else contextlib.nullcontext()
    with _progress_text(run.progress, max_shots=None) as say, cluster as client:
        ladder, result = run_splitting(
            run.circuit,
            strong_id=run.strong_id,
            metadata=dict(run.metadata),
            path=run.path,
            rel_precision=run.rel_precision,
            max_seconds=run.max_seconds,
            setup_seconds=run.setup_seconds,
            seed=run.seed,
            workers=workers,
            client=client,
            progress=say,
            decoder=run.decoder,
            attribute=run.attribute,
            qubit_kinds=run.qubit_kinds,
            lowest_scale=lowest_scale,
        )
    top = ladder.scales[0]
    metadata, decoder = dict(run.metadata), run.decoder.name
    if result is None:
        missing = NoUnitFinished(
            max_seconds=math.inf if run.max_seconds is None else run.max_seconds,
            unit_decodes=ladder.unit_decodes,
            levels=ladder.levels,
            saved_time_counted=run.path is not None,
        )
        return no_estimate(metadata, decoder, Method.SPLITTING, run.assumptions, missing)
    short = (
        None
        if result.relative_precision <= run.rel_precision
        else PrecisionNotReached(reached=result.relative_precision, asked=run.rel_precision)
    )
    return Estimate(
        metadata=metadata,
        decoder=decoder,
        counts=Counts(Method.SPLITTING, drawn=result.decoded),
        seconds=result.seconds,
        per_shot=result.rate,
        per_round=per_round_of(result.rate, metadata),
        interval=SPLITTING_INTERVAL,
        shortfall=short,
        attribution=result.attribution,
        curve=ScaledRate.curve(result.scales, result.curve, metadata),
        assumptions=(
            f"{run.assumptions}; multilevel splitting over {ladder.levels} noise strengths "
            f"(every mechanism's odds x {top:.3g} down to x {ladder.scales[-1]:.3g}), "
            f"P_L = {result.top_rate:.3g} sampled directly at x {top:.3g}, Bennett ratios "
            f"between replica-exchange chains of failures, {result.units} independent units "
            f"of {ladder.ladders} ladders x {ladder.steps} steps; ladders started hot "
            f"alone: {result.starts[0]}, cold alone: {result.starts[1]} (the interval "
            f"reaches both)" + ("" if short is None else f"; note: {short}")
        ),
    )
