"""The fault kinds in stratified sampling's failing fault sets, and the attribution
(`qec.sampling.core.attribution`) they give.

With strata w of probability P(W = w),

    E[n_K 1_fail] = sum_w P(W = w) E[n_K 1_fail | W = w],

and each stratum's E[n_K 1_fail | W = w] is the mean of n_K 1_fail over its fault sets:
the sampler draws them from the exact conditional law given W = w (`FaultSetSampler`),
and an enumerated stratum weighs every set by its probability, which makes it exact.
E[n_K | fail] is the ratio of that sum to p_L's, over the same fault sets (the combined
ratio estimator of stratified sampling). Its 95% interval is the delta method's, with
the normal quantile: Var = sum_w P(W = w)^2 s_w^2 / n_w / p_L^2, s_w^2 the sample
variance of n_K 1_fail - R 1_fail in stratum w (R the ratio); enumerated strata add no
variance. The attribution covers the failures of the strata considered: the tail
W > max_faults and strata never sampled, which the rate's upper bound counts as
failures, are not in it, nor are strata whose samples never failed.

A stratum's tally (`KindTally`) is saved in its sinter row as custom counts, which
`sinter combine` adds up like any count: `kind_fault_sets` and `kind_failing_fault_sets`
(the fault sets and failing ones the tally covers) and, per kind, the sums over the
failing sets of n_K and n_K^2 in millionths (`kind_faults_x1e6:<kind>`,
`kind_faults_squared_x1e6:<kind>`; n_K is fractional where several kinds make one
mechanism). Rows written without them still give the rate; the attribution then rests
on the rows that have them, and its `coverage` says how much of the rate that is.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from qec.intervals import Interval, Z
from qec.sampling.core.attribution import Attribution, attribution
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.fault_kinds import FaultKinds

STRATIFIED_ATTRIBUTION = (
    "95%: delta method on the combined ratio estimator over strata, normal quantile"
)
KIND_FAULT_SETS = "kind_fault_sets"
KIND_FAILING_FAULT_SETS = "kind_failing_fault_sets"
KIND_FAULTS = "kind_faults_x1e6:"
KIND_FAULTS_SQUARED = "kind_faults_squared_x1e6:"
_MILLIONTHS = 1_000_000


@dataclasses.dataclass(frozen=True)
class KindTally:
    """The fault kinds in one stratum's fault sets: `fault_sets` sets, `failing` of them
    failing, and over the failing sets the sums of n_K (`sums`) and n_K^2 (`squares`)
    by kind name. sums[K] / fault_sets estimates E[n_K 1_fail | W = w]; for an
    enumerated stratum every set is weighted by its probability relative to the mean
    set's, and the ratio is exact.

    Examples:
        >>> a = KindTally(fault_sets=10, failing=2, sums={"idle/data": 3.0},
        ...               squares={"idle/data": 5.0})
        >>> (a + a).sums, (a + a - a) == a
        ({'idle/data': 6.0}, True)
        >>> KindTally.from_counts(a.counts()) == a
        True
    """

    fault_sets: int
    failing: int
    sums: Mapping[str, float]
    squares: Mapping[str, float]

    def __add__(self, other: KindTally) -> KindTally:
        return self._combine(other, 1)

    def __sub__(self, other: KindTally) -> KindTally:
        return self._combine(other, -1)

    def _combine(self, other: KindTally, sign: int) -> KindTally:
        def merged(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
            return {k: a.get(k, 0.0) + sign * b.get(k, 0.0) for k in {**a, **b}}

        return KindTally(
            fault_sets=self.fault_sets + sign * other.fault_sets,
            failing=self.failing + sign * other.failing,
            sums=merged(self.sums, other.sums),
            squares=merged(self.squares, other.squares),
        )

    def counts(self) -> dict[str, int]:
        """The tally as a row's custom counts (see the module)."""
        found = {KIND_FAULT_SETS: self.fault_sets, KIND_FAILING_FAULT_SETS: self.failing}
        for prefix, values in ((KIND_FAULTS, self.sums), (KIND_FAULTS_SQUARED, self.squares)):
            found.update({prefix + k: round(v * _MILLIONTHS) for k, v in values.items()})
        return found

    @staticmethod
    def from_counts(counts: Mapping[str, int]) -> KindTally | None:
        """The tally a row's custom counts hold; None for a row saved without one."""
        if KIND_FAULT_SETS not in counts:
            return None

        def values(prefix: str) -> dict[str, float]:
            return {
                k[len(prefix) :]: v / _MILLIONTHS for k, v in counts.items() if k.startswith(prefix)
            }

        return KindTally(
            fault_sets=int(counts[KIND_FAULT_SETS]),
            failing=int(counts.get(KIND_FAILING_FAULT_SETS, 0)),
            sums=values(KIND_FAULTS),
            squares=values(KIND_FAULTS_SQUARED),
        )


def tally(kinds: FaultKinds, fault_sets: np.ndarray, failed: np.ndarray) -> KindTally:
    """The tally of sampled `fault_sets` (rows of mechanism indices), `failed` saying
    which failed.

    Examples:
        >>> from qec.sampling.core.fault_kinds import FaultKind
        >>> kinds = FaultKinds(kinds=(FaultKind("idle", "data"), FaultKind("reset", "data")),
        ...     shares=np.array([[1.0, 0.0], [0.5, 0.5]]), mean=np.zeros(2))
        >>> found = tally(kinds, np.array([[0, 1], [1, 1]]), np.array([True, False]))
        >>> found.fault_sets, found.failing, found.sums
        (2, 1, {'idle/data': 1.5, 'reset/data': 0.5})
    """
    counts = kinds.counts(fault_sets[failed])
    return KindTally(
        fault_sets=len(fault_sets),
        failing=int(np.count_nonzero(failed)),
        sums=dict(zip(kinds.names, map(float, counts.sum(axis=0)), strict=True)),
        squares=dict(zip(kinds.names, map(float, (counts**2).sum(axis=0)), strict=True)),
    )


def enumerate_with_kinds(
    problem: DecodingProblem, kinds: FaultKinds, faults: int
) -> tuple[tuple[int, int, float], KindTally]:
    """Decodes every set of `faults` mechanisms, as `DecodingProblem.enumerate_stratum`
    does ((sets, failing sets, exact f_w)), with the stratum's exact tally.

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> from qec.noise import CodeCapacity
        >>> from qec.sampling.core.fault_kinds import fault_kinds
        >>> circuit = CodeCapacity(p=0.01).noisy_circuit(
        ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z"))
        >>> exact, found = enumerate_with_kinds(DecodingProblem(circuit), fault_kinds(circuit), 2)
        >>> exact, found.sums  # the 3 pairs of flips all fail, with 2 faults each
        ((3, 3, 1.0), {'idle/data': 6.0})
    """
    weights: list[np.ndarray] = []
    failed: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for sets, log_weights, fail in problem.enumerated_sets(faults):
        weights.append(log_weights)
        failed.append(fail)
        counts.append(kinds.counts(sets[fail]))
    log_weights = np.concatenate(weights)
    fail = np.concatenate(failed)
    relative = np.exp(log_weights - log_weights.max())
    relative *= len(relative) / math.fsum(relative)  # the mean set weighs 1
    rate = math.fsum(relative[fail]) / len(relative)
    failing = relative[fail][:, None]
    found = np.concatenate(counts)
    exact = KindTally(
        fault_sets=len(fail),
        failing=int(np.count_nonzero(fail)),
        sums=dict(zip(kinds.names, map(float, (failing * found).sum(axis=0)), strict=True)),
        squares=dict(zip(kinds.names, map(float, (failing * found**2).sum(axis=0)), strict=True)),
    )
    return (len(fail), exact.failing, float(rate)), exact


class _Stratum(Protocol):
    """What the attribution reads of a stratum (`qec.sampling.stratified.estimate.Stratum`)."""

    @property
    def probability(self) -> float: ...
    @property
    def samples(self) -> int: ...
    @property
    def enumerated(self) -> bool: ...
    @property
    def failure_rate(self) -> float | None: ...
    @property
    def kinds(self) -> KindTally | None: ...


def stratified_attribution(strata: Sequence[_Stratum], kinds: FaultKinds) -> Attribution | None:
    """The attribution of the failures in `strata` (see the module); None when none of
    the fault sets it may use failed.

    Examples:
        >>> from qec.sampling.core.fault_kinds import FaultKind
        >>> from qec.sampling.stratified.estimate import Stratum
        >>> kinds = FaultKinds(kinds=(FaultKind("idle", "data"),), shares=np.ones((3, 1)),
        ...                    mean=np.array([0.03]))
        >>> pairs = KindTally(3, 3, sums={"idle/data": 6.0}, squares={"idle/data": 12.0})
        >>> found = stratified_attribution(
        ...     [Stratum(2, 3e-4, 3, 3, exact_failure_rate=1.0, kinds=pairs)], kinds)
        >>> print(found.share("idle/data"))  # E[W | fail] - E[W] = 2 - 0.03
        idle/data: e 1.97 [1.97, 1.97], 100% of the budget
    """
    names = kinds.names
    weighted = np.zeros(len(names))  # sum_w P(W = w) E[n_K 1_fail | W = w]
    rate = 0.0  # the same sum for 1_fail
    covered = everything = 0.0
    failing = 0
    sampled: list[tuple[float, KindTally]] = []
    for stratum in strata:
        f = stratum.failure_rate or 0.0
        everything += stratum.probability * f
        found = stratum.kinds
        if found is None or found.fault_sets == 0 or set(found.sums) - set(names):
            continue  # no tally, or one of another labelling of the kinds
        sums = np.array([found.sums.get(name, 0.0) for name in names])
        weighted += stratum.probability * sums / found.fault_sets
        failing += found.failing
        if stratum.enumerated:
            rate += stratum.probability * f
            covered += stratum.probability * f
        else:
            rate += stratum.probability * found.failing / found.fault_sets
            covered += stratum.probability * f * found.fault_sets / stratum.samples
            sampled.append((stratum.probability, found))
    if rate <= 0:
        return None
    ratio = weighted / rate
    variance = np.zeros(len(names))
    for probability, found in sampled:
        n, k = found.fault_sets, found.failing
        sums = np.array([found.sums.get(name, 0.0) for name in names])
        squares = np.array([found.squares.get(name, 0.0) for name in names])
        # d = n_K 1_fail - R 1_fail per fault set: its sum and its sum of squares.
        total = sums - ratio * k
        total_squares = squares - 2 * ratio * sums + ratio**2 * k
        sample_variance = np.maximum(total_squares - total**2 / n, 0.0) / max(n - 1, 1)
        variance += probability**2 * sample_variance / n
    spread = Z * np.sqrt(variance) / rate
    return attribution(
        kinds=kinds.kinds,
        failing_faults=[
            Interval(float(r), float(r - s), float(r + s))
            for r, s in zip(ratio, spread, strict=True)
        ],
        mean_faults=[float(m) for m in kinds.mean],
        coverage=covered / everything if everything > 0 else 1.0,
        failing=failing,
        interval=STRATIFIED_ATTRIBUTION,
    )
