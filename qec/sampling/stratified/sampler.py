"""Rare-event estimates of logical error rates by fault-count stratified sampling.

The detector error model of a circuit is a list of independent error mechanisms:
mechanism i fires with probability p_i and flips a set of detectors and observables.
The number W of mechanisms that fire in a shot is Poisson-binomial, so

    p_L = sum_w P(W = w) * f_w,    f_w = P(logical failure | W = w).

P(W = w) is computed exactly. Each f_w is estimated by decoding fault sets of exactly w
mechanisms, drawn from their exact conditional distribution (a set S of size w has
probability prod_{i in S} o_i / e_w(o), with odds o_i = p_i / (1 - p_i) and e_w the
elementary symmetric polynomial; see `qec.sampling.core.fault_sets`), or computed exactly by
enumerating all sets when there are at most `max_enumerate` of them. At low p the
failures live in strata whose probability is tiny, which direct sampling would almost
never visit; here they get their share of the samples.

The interval on p_L, how a failure-free stratum still counts in it, and the allocation
of samples across strata are explained in `qec.sampling.stratified.strata`. The method pays off
when the mean number of faults per shot is about 1 or less and failures need several
faults; when it is several, it costs about as much as direct sampling.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping

import numpy as np
import stim

from qec.errors import QecError, check_int
from qec.experiment import check_circuit
from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.fault_kinds import fault_kinds
from qec.sampling.core.resumable import check_stopping_rules
from qec.sampling.stratified.attribution import tally
from qec.sampling.stratified.estimate import StratifiedEstimate
from qec.sampling.stratified.strata import DEFAULT_MAX_ENUMERATE, Strata

_ROUND_SECONDS = 0.2
_PROGRESS_SECONDS = 1.0


def estimate_stratified(
    circuit: stim.Circuit,
    *,
    rel_precision: float = 0.2,
    max_seconds: float | None = None,
    max_samples: int | None = None,
    seed: int | None = None,
    progress: Callable[[str], None] | None = None,
    max_enumerate: int = DEFAULT_MAX_ENUMERATE,
    resume: StratifiedEstimate | None = None,
    reuse_exact: bool = False,
    certify: bool = True,
    decoder: DecoderChoice | None = None,
    attribute: bool = False,
    qubit_kinds: Mapping[int, str] | None = None,
) -> StratifiedEstimate:
    """Estimates the per-shot logical error rate of `circuit` under `decoder`
    (PyMatching by default) by
    fault-count stratified sampling: fast where p_L is far too small for direct sampling.

    Works on the circuit's detector error model (decomposed for matching): strata
    w = 1, 2, ... of shots with exactly w mechanisms firing; P(W = w) is exact, and f_w is
    either exact (strata with at most `max_enumerate` fault sets are decoded in full) or
    sampled with the exact conditional law of fault sets (see `FaultSetSampler`).
    Samples go out in rounds of ~0.2 s, each split across the strata to approach the
    Neyman allocation that minimises the variance of p_L.

    Stops when the 95% interval has (high - low) / 2 <= rel_precision * rate (e.g. 0.2:
    the rate is known to +-20%), when every stratum is exact, after `max_seconds`, or
    after `max_samples` sampled fault sets, whichever comes first. Strata are considered
    up to the smallest max_faults whose tail P(W > max_faults) is under a tenth of the
    allowed half-width; the tail and every unsampled stratum count as failures in `high`.
    If p_L might be exactly 0, give a limit: the precision is then never reached.

    With `resume` (e.g. rebuilt by `StratifiedEstimate.from_task_stats` from a sinter
    CSV), sampling continues from its counts; the random stream depends on `seed` and
    on the number of samples already taken, so resuming with the same seed does not
    replay the same fault sets.

    Args:
        circuit: a noisy circuit with at least one observable.
        rel_precision: the target half-width of the interval relative to the rate, > 0.
        max_seconds: a time limit, > 0, or None; checked between rounds, and the
            enumeration of strata is not interrupted.
        max_samples: a limit on the fault sets this call samples (enumerated ones are
            not counted), or None.
        seed: seeds numpy's Generator; None for fresh entropy.
        progress: called with a one-line summary about once a second.
        max_enumerate: strata with at most this many fault sets are computed exactly;
            0 samples every stratum.
        resume: an earlier estimate of the same circuit whose counts to add to.
        reuse_exact: take `resume`'s enumerated strata as they are instead of decoding
            them again: only for a `resume` made with this `decoder` (a run that goes on
            in chunks), since another decoder fails on other fault sets.
        certify: count the strata that `certified_fault_count` proves failure-free as
            exact zeros instead of sampling them (PyMatching only).
        decoder: the decoder (`DecoderChoice`), PyMatching when None.
        attribute: also tally the fault kinds of the failing fault sets, for the
            estimate's `attribution` (`qec.sampling.stratified.attribution`).
        qubit_kinds: each qubit's kind ('cat', 'transmon'), for the fault kinds; None
            leaves kinds out (see `fault_kinds`).

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> from qec.noise import CodeCapacity
        >>> circuit = CodeCapacity(p=0.01).noisy_circuit(
        ...     RepetitionCode(distance=5).memory_circuit(rounds=1, basis="Z"))
        >>> exact = estimate_stratified(circuit)  # few fault sets: all strata enumerated
        >>> f"{exact.rate:.5e}", all(s.enumerated for s in exact.strata)  # P(Bin(5,p)>=3)
        ('9.85060e-06', True)
        >>> sampled = estimate_stratified(circuit, max_enumerate=0, seed=7)
        >>> sampled.low <= 9.8506e-06 <= sampled.high, sampled.relative_precision <= 0.2
        (True, True)
    """
    check_circuit(circuit)
    check_stopping_rules(rel_precision=rel_precision, max_seconds=max_seconds)
    check_int("max_samples", max_samples, minimum=1, optional=True)
    check_int("seed", seed, minimum=0, optional=True)
    if progress is not None and not callable(progress):
        raise QecError.invalid("progress", progress, "a function of one string, or None")
    check_int("max_enumerate", max_enumerate, minimum=0)
    if resume is not None and not isinstance(resume, StratifiedEstimate):
        raise QecError.invalid(
            "resume", f"<{type(resume).__name__}>", "a StratifiedEstimate, or None"
        )

    start = time.monotonic()
    problem = DecodingProblem.of(circuit, decoder)
    kinds = fault_kinds(circuit, qubit_kinds=qubit_kinds) if attribute else None
    strata = Strata(problem, max_enumerate=max_enumerate, certify=certify, kinds=kinds)
    earlier_seconds = 0.0
    if resume is not None:
        if resume.max_faults > problem.num_mechanisms or (
            resume.dem_fingerprint and resume.dem_fingerprint != problem.fingerprint
        ):
            raise QecError.invalid(
                "resume",
                f"<estimate with dem_fingerprint={resume.dem_fingerprint!r}>",
                f"an estimate of this circuit (dem_fingerprint={problem.fingerprint!r})",
            )
        for w, (samples, failures, seconds) in resume.sampled_counts().items():
            strata.add(w, samples=samples, failures=failures, seconds=seconds)
        if kinds is not None:
            for w, found in resume.sampled_kinds().items():
                strata.add_kinds(w, found)
        earlier_seconds = resume.seconds
        for stratum in resume.strata if reuse_exact else ():
            f = stratum.exact_failure_rate
            if f is not None and stratum.faults > strata.certified_faults:
                exact_kinds = stratum.kinds if kinds is not None else None
                counted = (stratum.samples, stratum.failures, f)
                strata.adopt_exact(stratum.faults, counted, exact_kinds)
        strata.extend_to(resume.max_faults)
    if not problem.can_fail:  # no mechanism flips an observable: p_L = 0 exactly
        result = StratifiedEstimate.from_strata(strata, seconds=time.monotonic() - start)
        return dataclasses.replace(result, high=0.0)
    taken = sum(strata.samples.values())
    entropy = None if seed is None else [seed, taken]
    rng = np.random.default_rng(entropy)

    def elapsed() -> float:
        return time.monotonic() - start

    batch = 1000
    last_report = time.monotonic()
    while True:
        strata.extend_for(rel_precision)
        strata.extend_enumerable()
        rate, low, high = strata.interval()
        new_samples = sum(strata.samples.values()) - taken
        if progress is not None and time.monotonic() - last_report >= _PROGRESS_SECONDS:
            last_report = time.monotonic()
            progress(
                f"{sum(strata.samples.values()):,} samples, "
                f"{sum(strata.failures.values()):,} failures, p_L {rate:.3g} "
                f"[{low:.3g}, {high:.3g}], {earlier_seconds + elapsed():.1f} s"
            )
        if high == low or (rate > 0 and (high - low) / 2 <= rel_precision * rate):
            break  # (high == low: p_L = 0 exactly)
        if not strata.sampled_strata():
            break
        if max_seconds is not None and elapsed() >= max_seconds:
            break
        if max_samples is not None and new_samples >= max_samples:
            break
        budget = batch if max_samples is None else min(batch, max_samples - new_samples)
        round_start = time.monotonic()
        for w, count in strata.allocate(budget).items():
            stratum_start = time.monotonic()
            sets = problem.sampler.sample(faults=w, shots=count, rng=rng)
            fails = problem.failures(sets)
            if kinds is not None:
                strata.add_kinds(w, tally(kinds, sets, fails))
            spent = time.monotonic() - stratum_start
            strata.add(w, samples=count, failures=int(np.count_nonzero(fails)), seconds=spent)
        round_seconds = time.monotonic() - round_start
        per_second = budget / max(round_seconds, 1e-6)
        # Rounds of ~0.2 s, growing by at most a quarter of the samples so far so that
        # the run stops close to where the precision is reached.
        so_far = sum(strata.samples.values())
        batch = int(min(per_second * _ROUND_SECONDS, max(1000, so_far // 4), 1_000_000))
        batch = max(batch, 100)
    return StratifiedEstimate.from_strata(strata, seconds=earlier_seconds + elapsed())
