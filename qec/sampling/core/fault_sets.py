"""The number of error mechanisms that fire in a shot, and sets of exactly w of them.

Independent mechanisms firing with probabilities p_i make the fault count W
Poisson-binomial. `FaultSetSampler` computes P(W = w) exactly, far into the tail, and
draws fault sets of exactly w mechanisms from their exact conditional distribution: a
set S of size w has probability prod_{i in S} o_i / e_w(o), with odds
o_i = p_i / (1 - p_i) and e_w the elementary symmetric polynomial.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from qec.errors import QecError, check_int, is_integer


class FaultSetSampler:
    """Exact fault-count distribution and conditional sampler for independent mechanisms.

    For mechanisms firing independently with probabilities `probabilities`, computes
    P(W = w) for the number W that fire, and draws sets of exactly w mechanisms with
    their conditional distribution given W = w (the "conditional Bernoulli" law:
    P(S) = prod_{i in S} o_i / e_w(o) with odds o_i = p_i / (1 - p_i)).

    Both use the table E[j, r] = e_r(o_j, ..., o_{N-1}) of elementary symmetric
    polynomials of the suffixes, built one column r at a time by a reversed cumulative
    sum, E[:, r] = revcumsum(o * E[1:, r - 1]), which adds only positive numbers (no
    cancellation) and is rescaled per column with the scale kept in logs, so
    P(W = w) = exp(sum_i log(1 - p_i) + log e_w(o)) stays accurate far into the tail,
    with no underflow.

    Sampling is sequential: with r mechanisms still to choose from positions >= j, the
    next chosen position i >= j has probability o_i E[i + 1, r - 1] / E[j, r] =
    (E[i, r] - E[i + 1, r]) / E[j, r]; since E[:, r] is non-increasing, that is one
    binary search per chosen mechanism, vectorised over all samples: O(w log N) per set.
    The product of these steps telescopes to prod_{i in S} o_i / e_w(o): the draw is
    exact (up to floating-point rounding), unlike weighted sampling without replacement.

    Examples:
        >>> sampler = FaultSetSampler(probabilities=[0.1, 0.2, 0.3])
        >>> np.round(sampler.fault_count_probabilities(max_faults=3), 4).tolist()
        [0.504, 0.398, 0.092, 0.006]
        >>> sets = sampler.sample(faults=2, shots=4, rng=np.random.default_rng(0))
        >>> sets.shape
        (4, 2)
    """

    def __init__(self, *, probabilities: Iterable[float]) -> None:
        p = np.asarray(list(probabilities), dtype=np.float64).reshape(-1)
        if not np.all((p > 0) & (p < 1)):
            bad = p[~((p > 0) & (p < 1))][0]
            raise QecError.invalid("probabilities", float(bad), "probabilities in (0, 1)")
        self.num_mechanisms = len(p)
        self.probabilities = p
        self.log_odds = np.log(p) - np.log1p(-p)
        self.odds = p / (1 - p)
        self._log_none = float(math.fsum(np.log1p(-p)))
        # Column r of E, rescaled so that column[0] == 1; e_r(o) = exp(_log_e[r]).
        self._columns: list[np.ndarray] = [np.ones(self.num_mechanisms + 1)]
        self._search: list[np.ndarray] = [-self._columns[0]]
        self._log_e: list[float] = [0.0]

    @property
    def max_computed(self) -> int:
        """The largest w whose column of the table is built."""
        return len(self._columns) - 1

    def _extend(self, faults: int) -> None:
        n = self.num_mechanisms
        while self.max_computed < min(faults, n):
            previous = self._columns[-1]
            terms = self.odds * previous[1:]
            column = np.zeros(n + 1)
            column[:n] = np.cumsum(terms[::-1])[::-1]
            scale = column[0]
            column /= scale
            self._columns.append(column)
            self._search.append(-column)
            self._log_e.append(self._log_e[-1] + math.log(scale))

    def log_fault_count_probability(self, faults: int) -> float:
        """log P(W = faults), -inf when faults > the number of mechanisms."""
        if faults > self.num_mechanisms:
            return -math.inf
        self._extend(faults)
        return self._log_none + self._log_e[faults]

    def fault_count_probabilities(self, *, max_faults: int) -> np.ndarray:
        """P(W = w) for w = 0, 1, ..., max_faults."""
        return np.exp([self.log_fault_count_probability(w) for w in range(max_faults + 1)])

    def tail_probability(self, *, max_faults: int) -> float:
        """An upper bound on P(W > max_faults), tight when that is small.

        A sum of independent Bernoulli variables has a log-concave distribution, so the
        ratios P(W = w + 1) / P(W = w) do not increase with w; past the mode the tail is
        at most P(W = K) r / (1 - r) with r = P(W = K) / P(W = K - 1).
        """
        k = max_faults
        if k >= self.num_mechanisms:
            return 0.0
        probabilities = self.fault_count_probabilities(max_faults=k)
        rest = max(0.0, 1.0 - math.fsum(probabilities)) + 1e-12  # rounding slack
        if k >= 1 and probabilities[k] < probabilities[k - 1]:
            ratio = probabilities[k] / probabilities[k - 1]
            return float(min(rest, probabilities[k] * ratio / (1 - ratio)))
        return float(min(1.0, rest))

    def sample(self, *, faults: int, shots: int, rng: np.random.Generator) -> np.ndarray:
        """`shots` sets of exactly `faults` mechanisms, drawn from the conditional law.

        Returns an integer array of shape (shots, faults); each row lists the chosen
        mechanisms in increasing order.
        """
        if not is_integer(faults) or not 0 <= faults <= self.num_mechanisms:
            raise QecError.invalid("faults", faults, f"an integer in [0, {self.num_mechanisms}]")
        check_int("shots", shots, minimum=0)
        self._extend(faults)
        chosen = np.empty((shots, faults), dtype=np.int64)
        if shots == 0 or faults == 0:
            return chosen
        uniforms = rng.random((shots, faults))
        position = np.zeros(shots, dtype=np.int64)
        last = self.num_mechanisms - 1
        for step in range(faults):
            remaining = faults - step
            column = self._columns[remaining]
            # A point t in (0, E[j, r]]; the next mechanism is the i with
            # E[i + 1, r] < t <= E[i, r], an interval of length o_i E[i + 1, r - 1].
            target = (1.0 - uniforms[:, step]) * column[position]
            index = np.searchsorted(self._search[remaining], -target, side="right") - 1
            np.minimum(index, last, out=index)
            chosen[:, step] = index
            position = index + 1
        return chosen


# Mechanisms likelier than this are drawn shot by shot: for the others, the sparse draw's
# repeated shots are few and quickly redrawn.
DENSE_PROBABILITY = 0.25


def independent_faults(
    probabilities: np.ndarray, *, shots: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """`shots` fault sets in which each mechanism i fires independently with
    probability p_i, as pairs (shot, mechanism) sorted by shot, then mechanism.

    Mechanism i fires in K_i ~ Binomial(shots, p_i) shots, a uniformly random set of
    K_i of them: drawn as K_i uniform shots with repeats redrawn until distinct (the
    procedure treats every shot alike, so the set is uniform given its size). That
    costs O(sum_i K_i), where stim's sampler with its errors returned writes a bit per
    mechanism and shot.

    Examples:
        >>> shot, mechanism = independent_faults(np.array([0.5, 0.01]), shots=1000,
        ...                                      rng=np.random.default_rng(1))
        >>> int(np.count_nonzero(mechanism == 0)), int(np.count_nonzero(mechanism == 1))
        (506, 10)
    """
    p = np.asarray(probabilities, dtype=np.float64)
    sparse = np.flatnonzero(p <= DENSE_PROBABILITY)
    mechanism = np.repeat(sparse, rng.binomial(shots, p[sparse]))
    key = mechanism * shots + rng.integers(0, shots, size=len(mechanism))
    while True:
        key.sort()
        repeated = np.zeros(len(key), dtype=bool)
        repeated[1:] = key[1:] == key[:-1]
        if not repeated.any():
            break
        redrawn = rng.integers(0, shots, size=int(np.count_nonzero(repeated)))
        key[repeated] = key[repeated] // shots * shots + redrawn
    dense = np.flatnonzero(p > DENSE_PROBABILITY)
    dense_shot, dense_column = np.nonzero(rng.random((shots, len(dense))) < p[dense])
    shot = np.concatenate([key % shots, dense_shot])
    fired = np.concatenate([key // shots, dense[dense_column]])
    order = np.lexsort((fired, shot))
    return shot[order], fired[order]


def fault_count_distribution(probabilities: Iterable[float], *, max_faults: int) -> np.ndarray:
    """P(W = w) for w = 0..max_faults, where W counts independent events of the given
    probabilities (the Poisson-binomial distribution), accurate far into the tail.

    Examples:
        >>> fault_count_distribution([0.5, 0.5], max_faults=2).tolist()
        [0.25, 0.5, 0.25]
        >>> float(fault_count_distribution([1e-3] * 100, max_faults=40)[40])  # no underflow
        1.2945327164...e-92
    """
    return FaultSetSampler(probabilities=probabilities).fault_count_probabilities(
        max_faults=max_faults
    )
