"""The result of fault-count stratified sampling, and its life in sinter CSV files.

A `StratifiedEstimate` keeps, besides p_L and its interval, every stratum's P(W = w)
and counts. The counts of the sampled strata are what a run adds to knowledge: they go
to sinter rows (one per stratum), add up across runs, and can be re-weighted by the
P(W = w) of the same circuit at another noise strength (`reweight`). Enumerated and
certified strata are exact functions of the circuit and are recomputed, not read back;
a run records each once (`exact_stratum_row`), so that its file shows what it found.

A stratum's row (`stratum_row`) has no shots and no errors: a stratum's failure rate
f_w is not a logical error rate, so sinter's tools (`sinter plot`, `sinter combine`)
must not read it as one. Its counts are custom counts, `fault_sets` and
`failing_fault_sets`, which `sinter combine` adds up like any count. Rows written before
this format kept them as shots and errors; `stratum_counts` reads both.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import math
from collections.abc import Iterable, Mapping
from typing import Any

import sinter
import stim

from qec.errors import QecError, check_int, is_integer
from qec.experiment import check_circuit
from qec.intervals import CONFIDENCE
from qec.sampling.core.attribution import Attribution
from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.fault_kinds import fault_kinds
from qec.sampling.stratified.attribution import KindTally, stratified_attribution
from qec.sampling.stratified.strata import DEFAULT_MAX_ENUMERATE, Strata


@dataclasses.dataclass(frozen=True)
class Stratum:
    """The shots with exactly `faults` error mechanisms firing.

    `samples` fault sets were decoded and `failures` of them failed. When the stratum
    was enumerated (every set of `faults` mechanisms decoded), `exact_failure_rate` holds
    f_w, weighted by the sets' probabilities, and samples/failures count sets. `kinds`
    tallies the fault kinds of its fault sets, when they are attributed (of the sampled
    sets, only those tallied: rows saved without kind counts have none).

    Examples:
        >>> Stratum(faults=3, probability=1e-6, samples=100, failures=4).failure_rate
        0.04
    """

    faults: int
    probability: float
    samples: int
    failures: int
    seconds: float = 0.0
    exact_failure_rate: float | None = None
    kinds: KindTally | None = None

    @property
    def enumerated(self) -> bool:
        """Whether f_w is exact (all fault sets decoded) rather than sampled."""
        return self.exact_failure_rate is not None

    @property
    def failure_rate(self) -> float | None:
        """f_w: exact when enumerated, failures / samples when sampled, None if neither."""
        if self.exact_failure_rate is not None:
            return self.exact_failure_rate
        return self.failures / self.samples if self.samples else None


@dataclasses.dataclass(frozen=True)
class StratifiedEstimate:
    """A per-shot logical error rate p_L from fault-count stratified sampling.

    `rate` is sum_w P(W = w) f_w over the strata w = 1..max_faults (f_0 = 0: with no
    fault there is no failure); [`low`, `high`] is a 95% interval that also bounds the
    strata never sampled and the tail P(W > max_faults) (`tail_probability`) by assuming
    they always fail. `samples` and `failures` count sampled fault sets only (not the
    enumerated ones); `strata` lists w = 1..max_faults. `dem_fingerprint` identifies the
    detector error model's mechanisms (not their probabilities), for `reweight`.
    `attribution` is the rate's elasticity in each fault kind, when asked for
    (`qec.sampling.stratified.attribution`); None otherwise, or when no failure was seen.
    """

    rate: float
    low: float
    high: float
    samples: int
    failures: int
    seconds: float
    strata: tuple[Stratum, ...]
    tail_probability: float
    confidence: float = CONFIDENCE
    dem_fingerprint: str = ""
    attribution: Attribution | None = None

    @property
    def max_faults(self) -> int:
        """The largest fault count considered; heavier shots are in the tail."""
        return len(self.strata)

    @property
    def relative_precision(self) -> float:
        """(high - low) / 2 / rate: the half-width of the interval relative to the rate
        (the quantity `rel_precision` bounds); ~1e-9 (rounding) if every stratum is
        exact, inf if the rate is 0 and the interval is not [0, 0]."""
        if self.high == self.low:
            return 0.0
        return (self.high - self.low) / 2 / self.rate if self.rate > 0 else math.inf

    def __str__(self) -> str:
        return (
            f"p_L {self.rate:.4g} [{self.low:.4g}, {self.high:.4g}] (95%), "
            f"{self.samples:,} samples, {self.failures:,} failures, "
            f"{self.max_faults} strata, {self.seconds:.1f} s"
        )

    def sampled_counts(self) -> dict[int, tuple[int, int, float]]:
        """(samples, failures, seconds) of every stratum that is not enumerated, by w.

        Examples:
            >>> s = StratifiedEstimate(rate=1e-6, low=5e-7, high=2e-6, samples=10,
            ...     failures=1, seconds=0.1, tail_probability=0.0, strata=(
            ...     Stratum(faults=1, probability=0.1, samples=3, failures=0,
            ...         exact_failure_rate=0.0),
            ...     Stratum(faults=2, probability=1e-5, samples=10, failures=1, seconds=0.1)))
            >>> s.sampled_counts()
            {2: (10, 1, 0.1)}
        """
        return {
            s.faults: (s.samples, s.failures, s.seconds) for s in self.strata if not s.enumerated
        }

    def sampled_kinds(self) -> dict[int, KindTally]:
        """The fault kind tally of every stratum that is not enumerated and has one, by w."""
        return {s.faults: s.kinds for s in self.strata if not s.enumerated and s.kinds is not None}

    @staticmethod
    def from_task_stats(
        stats: Iterable[sinter.TaskStats],
        *,
        circuit: stim.Circuit,
        max_enumerate: int = DEFAULT_MAX_ENUMERATE,
        certify: bool = True,
        decoder: DecoderChoice | None = None,
        attribute: bool = False,
        qubit_kinds: Mapping[int, str] | None = None,
    ) -> StratifiedEstimate:
        """Rebuilds an estimate from per-stratum sinter rows and the circuit, whose
        exact strata are decoded by `decoder` (PyMatching when None).

        Rows with the same stratum are added up (so rows of several runs, or of a CSV
        that sinter appended to, merge). P(W = w) comes from `circuit`: pass a circuit
        with other noise strengths but the same detector error model structure to
        re-weight (see `reweight` for when that is exact). Strata with at most
        `max_enumerate` fault sets are recomputed exactly (rows for them are ignored);
        strata above the last row are counted in the tail. With `attribute`, the rows'
        fault kind counts give the `attribution` (`qubit_kinds` as `fault_kinds` takes
        them); rows without them count for the rate only.

        Examples:
            >>> from qec.circuits import RepetitionCode
            >>> from qec.noise import CodeCapacity
            >>> circuit = CodeCapacity(p=0.05).noisy_circuit(
            ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z"))
            >>> rows = [stratum_row("x", {}, faults=w, fault_sets=1000, failing=e, seconds=0)
            ...         for w, e in [(1, 0), (2, 1000), (3, 1000)]]
            >>> e = StratifiedEstimate.from_task_stats(rows, circuit=circuit, max_enumerate=0)
            >>> round(e.rate, 6)  # P(Binomial(3, 0.05) >= 2)
            0.00725
        """
        check_circuit(circuit)
        check_int("max_enumerate", max_enumerate, minimum=0)
        problem = DecodingProblem.of(circuit, decoder)
        counts: dict[int, list[float]] = {}
        kinds = fault_kinds(circuit, qubit_kinds=qubit_kinds) if attribute else None
        strata = Strata(problem, max_enumerate=max_enumerate, certify=certify, kinds=kinds)
        for row in stats:
            metadata = row.json_metadata
            w: Any = metadata.get(STRATUM_KEY) if isinstance(metadata, Mapping) else None
            if not is_integer(w) or w < 1:
                raise QecError.invalid(
                    "stats",
                    f"<row with json_metadata={metadata!r}>",
                    "rows whose json_metadata has an integer 'stratum' >= 1",
                )
            if w > problem.num_mechanisms:
                raise QecError.invalid(
                    "stats",
                    f"<row with stratum={w}>",
                    f"strata <= {problem.num_mechanisms}, the number of error mechanisms "
                    "of the circuit (is it the circuit these rows were sampled from?)",
                )
            if row.discards:
                raise QecError.invalid(
                    "stats", f"<row with discards={row.discards}>", "rows without discards"
                )
            samples, failures = stratum_counts(row)
            entry = counts.setdefault(int(w), [0, 0, 0.0])
            entry[0] += samples
            entry[1] += failures
            entry[2] += row.seconds
            tally = KindTally.from_counts(row.custom_counts)
            if kinds is not None and tally is not None:
                strata.add_kinds(int(w), tally)
        for w, (shots, errors, seconds) in counts.items():
            strata.add(w, samples=int(shots), failures=int(errors), seconds=float(seconds))
        strata.extend_to(max(counts, default=0))
        strata.extend_enumerable()
        spent = math.fsum(strata.seconds.values()) + strata.enumerate_seconds
        return StratifiedEstimate.from_strata(strata, seconds=spent)

    @staticmethod
    def from_strata(strata: Strata, *, seconds: float) -> StratifiedEstimate:
        """The estimate that the current counts and exact strata of `strata` give, after
        `seconds` of work.

        Examples:
            >>> from qec.circuits import RepetitionCode
            >>> from qec.noise import CodeCapacity
            >>> problem = DecodingProblem(CodeCapacity(p=0.01).noisy_circuit(
            ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z")))
            >>> strata = Strata(problem, max_enumerate=10, certify=False)
            >>> strata.extend_to(3)  # every stratum is enumerated
            >>> print(StratifiedEstimate.from_strata(strata, seconds=0.0))
            p_L 0.000298 [0.000298, 0.000298] (95%), 0 samples, 0 failures, 3 strata, 0.0 s
        """
        found = []
        for w in range(1, strata.max_faults + 1):
            probability = strata.probability(w)
            if w in strata.exact:
                sets, failing, f = strata.exact[w]
                exact = strata.exact_kinds.get(w)
                found.append(
                    Stratum(w, probability, sets, failing, exact_failure_rate=f, kinds=exact)
                )
            else:
                samples, failures = strata.samples.get(w, 0), strata.failures.get(w, 0)
                spent = strata.seconds.get(w, 0.0)
                tally = strata.kind_tallies.get(w)
                found.append(Stratum(w, probability, samples, failures, seconds=spent, kinds=tally))
        rate, low, high = strata.interval()
        sampled = strata.sampled_strata()
        attribution = None
        if strata.kinds is not None:
            attribution = stratified_attribution(found, strata.kinds)
        return StratifiedEstimate(
            rate=float(rate),
            low=float(low),
            high=float(high),
            samples=sum(strata.samples.get(w, 0) for w in sampled),
            failures=sum(strata.failures.get(w, 0) for w in sampled),
            seconds=float(seconds),
            strata=tuple(found),
            tail_probability=strata.problem.sampler.tail_probability(max_faults=strata.max_faults),
            dem_fingerprint=strata.problem.fingerprint,
            attribution=attribution,
        )


def stratum_strong_id(strong_id: str, faults: int) -> str:
    """The strong id of the rows of stratum `faults` of the task `strong_id`: the
    SHA-256 of `f"{strong_id}:stratum={faults}"`, the same in every run.

    Examples:
        >>> stratum_strong_id("abc", 2)[:16]
        '1d159e3ca4d62411'
    """
    return hashlib.sha256(f"{strong_id}:stratum={faults}".encode()).hexdigest()


# The metadata key of a stratum's row: its number of faults.
STRATUM_KEY = "stratum"
FAULT_SETS = "fault_sets"
FAILING_FAULT_SETS = "failing_fault_sets"


def stratum_row(
    strong_id: str,
    metadata: Mapping[str, Any],
    *,
    faults: int,
    fault_sets: int,
    failing: int,
    seconds: float,
    decoder: str = "pymatching",
    kinds: KindTally | None = None,
) -> sinter.TaskStats:
    """The sinter row of `fault_sets` sampled fault sets of stratum `faults` of the task
    `strong_id`, `failing` of them decoded wrongly (see the module: no shots, no errors),
    with the fault kind tally of those sets as custom counts when there is one
    (`qec.sampling.stratified.attribution`).

    Examples:
        >>> row = stratum_row("abc", {"d": 3}, faults=2, fault_sets=100, failing=7, seconds=1)
        >>> row.shots, row.errors, stratum_counts(row), row.json_metadata
        (0, 0, (100, 7), {'d': 3, 'stratum': 2})
    """
    return sinter.TaskStats(
        strong_id=stratum_strong_id(strong_id, faults),
        decoder=decoder,
        json_metadata={**metadata, STRATUM_KEY: faults},
        shots=0,
        errors=0,
        seconds=seconds,
        custom_counts=collections.Counter(
            {FAULT_SETS: fault_sets, FAILING_FAULT_SETS: failing}
            | ({} if kinds is None else kinds.counts())
        ),
    )


EXACT_FAULT_SETS = "exact_fault_sets"
EXACT_FAILING_FAULT_SETS = "exact_failing_fault_sets"


def exact_stratum_row(
    strong_id: str, metadata: Mapping[str, Any], stratum: Stratum, *, decoder: str = "pymatching"
) -> sinter.TaskStats:
    """The record of an enumerated (or certified) stratum: its fault sets decoded (none
    for a certified one, proven never to fail) and those that failed, as the custom
    counts `exact_fault_sets` and `exact_failing_fault_sets`, which are not samples
    (`stratum_counts` ignores them, `from_task_stats` recomputes the stratum). Written
    once per file, so that a run whose strata are all exact still leaves what it found.

    Examples:
        >>> exact = Stratum(faults=1, probability=0.1, samples=3, failures=0,
        ...                 exact_failure_rate=0.0)
        >>> row = exact_stratum_row("abc", {"d": 3}, exact)
        >>> stratum_counts(row), dict(row.custom_counts)
        ((0, 0), {'exact_fault_sets': 3, 'exact_failing_fault_sets': 0})
    """
    return sinter.TaskStats(
        strong_id=stratum_strong_id(strong_id, stratum.faults),
        decoder=decoder,
        json_metadata={**metadata, STRATUM_KEY: stratum.faults},
        shots=0,
        errors=0,
        seconds=0.0,
        custom_counts=collections.Counter(
            {EXACT_FAULT_SETS: stratum.samples, EXACT_FAILING_FAULT_SETS: stratum.failures}
        ),
    )


def stratum_counts(row: sinter.TaskStats) -> tuple[int, int]:
    """(fault sets, failing fault sets) of a stratum's row, in this format or the earlier
    one (shots and errors), or both after `sinter combine` merged the two."""
    custom = row.custom_counts
    return (
        row.shots + int(custom.get(FAULT_SETS, 0)),
        row.errors + int(custom.get(FAILING_FAULT_SETS, 0)),
    )


def reweight(
    estimate: StratifiedEstimate,
    *,
    circuit: stim.Circuit,
    certify: bool = True,
    decoder: DecoderChoice | None = None,
) -> StratifiedEstimate:
    """The same per-stratum counts, re-weighted by the P(W = w) of another circuit with
    the same detector error model structure (same mechanisms in the same order, e.g. the
    same circuit at a different noise strength).

    This reuses the sampled f_w. That is exact only if the conditional law of fault sets
    given W = w is unchanged, i.e. if every mechanism's odds p_i / (1 - p_i) scale by
    the same factor (e.g. one kind of mechanism only, all with equal p). Otherwise it is
    an approximation: the fault sets were drawn with the old weights. Enumerated strata
    are recomputed exactly for the new circuit, by `decoder` (PyMatching when None)
    compiled for it.

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> from qec.noise import CodeCapacity
        >>> def circuit(p):
        ...     return CodeCapacity(p=p).noisy_circuit(
        ...         RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z"))
        >>> from qec.sampling.stratified.sampler import estimate_stratified
        >>> e = estimate_stratified(circuit(0.1), rel_precision=0.01, max_enumerate=0, seed=1)
        >>> [(s.faults, s.failure_rate) for s in e.strata]
        [(1, 0.0), (2, 1.0), (3, 1.0)]
        >>> round(reweight(e, circuit=circuit(0.01)).rate, 7)  # 3 p^2 - 2 p^3
        0.000298
    """
    check_circuit(circuit)
    problem = DecodingProblem.of(circuit, decoder)
    if estimate.dem_fingerprint and estimate.dem_fingerprint != problem.fingerprint:
        raise QecError.invalid(
            "circuit",
            f"<circuit with dem_fingerprint={problem.fingerprint!r}>",
            f"a circuit whose detector error model has the same mechanisms in the same order "
            f"as the estimate's (dem_fingerprint={estimate.dem_fingerprint!r})",
        )
    if problem.num_mechanisms < estimate.max_faults:
        raise QecError.invalid(
            "circuit",
            f"<circuit with {problem.num_mechanisms} error mechanisms>",
            f"a circuit with the same error mechanisms as the estimate (>= {estimate.max_faults})",
        )
    enumerated = [s.faults for s in estimate.strata if s.enumerated]
    strata = Strata(problem, max_enumerate=0, certify=certify)
    for w, (samples, failures, seconds) in estimate.sampled_counts().items():
        strata.add(w, samples=samples, failures=failures, seconds=seconds)
    strata.extend_to(estimate.max_faults)
    for w in enumerated:
        strata.enumerate(w)
    return StratifiedEstimate.from_strata(strata, seconds=estimate.seconds)
