"""Rare-event estimates of logical error rates by fault-count stratified sampling.

The detector error model of a circuit is a list of independent error mechanisms:
mechanism i fires with probability p_i and flips a set of detectors and observables.
The number W of mechanisms that fire in a shot is Poisson-binomial, so

    p_L = sum_w P(W = w) * f_w,    f_w = P(logical failure | W = w).

P(W = w) is computed exactly. Each f_w is estimated by decoding fault sets of exactly w
mechanisms, drawn from their exact conditional distribution (a set S of size w has
probability prod_{i in S} o_i / e_w(o), with odds o_i = p_i / (1 - p_i) and e_w the
elementary symmetric polynomial), or computed exactly by enumerating all sets when
there are at most `max_enumerate` of them. At low p the failures live in strata whose
probability is tiny, which direct sampling would almost never visit; here they get
their share of the samples.

The 95% interval combines the per-stratum Clopper-Pearson intervals by the method of
variance estimates recovery (MOVER, Zou & Donner, Stat. Med. 27, 1693 (2008)):
rate -+ sqrt(sum_w P(W = w)^2 (f_w - lo_w)^2) and sqrt(sum_w P(W = w)^2 (hi_w - f_w)^2),
then adds, on the upper side only, the whole probability of every stratum not sampled
and of the truncated tail W > max_faults (as if those shots always failed). In seeded
runs on circuits whose p_L is known exactly it covered the truth in 98-99% of 1000
runs per circuit (in every miss the truth was below `low`).

A stratum without failures is never assumed to have f_w = 0: its Clopper-Pearson
bound, about 3.7 P(W = w) / n_w, stays in `high`. So strata below the circuit's distance, which
carry most of the probability, must be enumerated (their fault sets are few when the
circuit has few mechanisms) or sampled until that bound is small next to p_L. The
method pays off when the mean number of faults per shot is about 1 or less and
failures need several faults; when it is several, it costs about as much as direct
sampling.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import math
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pymatching
import sinter
import stim
from scipy.stats import beta

from qec.errors import QecError
from qec.noise._model import detector_error_model

CONFIDENCE = 0.95
_Z = 1.959963984540054  # two-sided 95% normal quantile
# The tail P(W > max_faults) may add at most this share of the allowed half-width.
_TAIL_SHARE = 0.1
_ROUND_SECONDS = 0.2
_PROGRESS_SECONDS = 1.0
_DEFAULT_MAX_ENUMERATE = 100_000
_FIRST_SAMPLES = 16  # samples a stratum gets on its first visit
# Relative allowance for floating-point rounding in P(W = w) and exact f_w (~1e-13 seen).
_ROUNDING = 1e-9


# ---------------------------------------------------------------------------------------
# P(W = w) and the conditional sampler.


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
        self._odds = p / (1 - p)
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
            terms = self._odds * previous[1:]
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
        if not 0 <= faults <= self.num_mechanisms:
            raise QecError.invalid("faults", faults, f"an integer in [0, {self.num_mechanisms}]")
        if shots < 0:
            raise QecError.invalid("shots", shots, "an integer >= 0")
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


# ---------------------------------------------------------------------------------------
# The circuit's mechanisms and their decoding.


def certified_fault_count(dem: stim.DetectorErrorModel, matching: pymatching.Matching) -> int:
    """The largest w such that matching provably corrects every set of w faults.

    Let D be the fewest graphlike edges forming an undetectable logical error (stim's
    `shortest_graphlike_error`) and w_min the lightest edge of the matching graph. A
    fault i puts c_i edges of total weight W_i into the graph. For a set E of w faults,
    matching returns a correction C with |C| w_min <= weight(C) <= weight(E) <= W(w), the
    sum of the w largest W_i; a failure needs |C| + c(w) >= D, with c(w) the sum of the
    w largest c_i. So no set of w faults fails while (D - c(w)) w_min > W(w). (A 1%
    margin on the weights covers PyMatching's integer weights.) Returns 0 when the bound
    says nothing, e.g. with non-positive weights or no undetectable logical error.

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> from qec.noise import CodeCapacity
        >>> circuit = CodeCapacity(p=0.01).noisy_circuit(
        ...     RepetitionCode(distance=7).memory_circuit(rounds=1, basis="Z"))
        >>> dem = circuit.detector_error_model(decompose_errors=True)
        >>> certified_fault_count(dem, pymatching.Matching.from_detector_error_model(dem))
        3
    """
    weights = [data["weight"] for _, _, data in matching.edges()]
    if not weights or min(weights) <= 0:
        return 0
    try:
        distance = len(dem.shortest_graphlike_error())
    except ValueError:  # no undetectable logical error at all
        return 0

    def edge_weight(detectors: list[int]) -> float:
        if len(detectors) == 2 and matching.has_edge(*detectors):
            return float(matching.get_edge_data(*detectors)["weight"])
        if len(detectors) == 1 and matching.has_boundary_edge(detectors[0]):
            return float(matching.get_boundary_edge_data(detectors[0])["weight"])
        return max(weights)  # an edge matching merged away or ignored: the worst case

    edges_per_fault, weight_per_fault = [], []
    for instruction in dem.flattened():
        if instruction.type != "error" or instruction.args_copy()[0] == 0:
            continue
        parts: list[list[int]] = [[]]
        for target in instruction.targets_copy():
            if target.is_separator():
                parts.append([])
            elif target.is_relative_detector_id():
                parts[-1].append(target.val)
        parts = [part for part in parts if part]
        edges_per_fault.append(len(parts))
        weight_per_fault.append(sum(edge_weight(part) for part in parts) * 1.01)
    edges = np.cumsum(sorted(edges_per_fault, reverse=True))
    heaviest = np.cumsum(sorted(weight_per_fault, reverse=True))
    w_min = min(weights) * 0.99
    safe = 0
    for w in range(1, len(edges) + 1):
        if (distance - edges[w - 1]) * w_min <= heaviest[w - 1]:
            break
        safe = w
    return safe


class _Problem:
    """A circuit's flattened error mechanisms, bit-packed, with a matching decoder."""

    def __init__(self, circuit: stim.Circuit) -> None:
        dem = detector_error_model(circuit)
        probabilities: list[float] = []
        rows: list[int] = []
        detectors: list[int] = []
        obs_rows: list[int] = []
        observables: list[int] = []
        for instruction in dem.flattened():
            if instruction.type != "error":
                continue
            p = instruction.args_copy()[0]
            if p == 0:
                continue
            if p >= 1:
                raise QecError.invalid(
                    "circuit",
                    f"<error mechanism with probability {p}>",
                    "a circuit whose detector error model has probabilities < 1",
                )
            flipped: set[int] = set()
            flipped_obs: set[int] = set()
            for target in instruction.targets_copy():
                if target.is_relative_detector_id():
                    flipped ^= {target.val}
                elif target.is_logical_observable_id():
                    flipped_obs ^= {target.val}
            index = len(probabilities)
            probabilities.append(p)
            rows.extend([index] * len(flipped))
            detectors.extend(sorted(flipped))
            obs_rows.extend([index] * len(flipped_obs))
            observables.extend(sorted(flipped_obs))
        n = len(probabilities)
        self.num_mechanisms = n
        self.detector_bits = _pack(n, dem.num_detectors, rows, detectors)
        self.observable_bits = _pack(n, dem.num_observables, obs_rows, observables)
        self.sampler = FaultSetSampler(probabilities=probabilities)
        self.matching = pymatching.Matching.from_detector_error_model(dem)
        self.can_fail = bool(np.any(self.observable_bits))
        self.certified_faults = certified_fault_count(dem, self.matching)
        shapes = (self.detector_bits.shape, self.observable_bits.shape)
        digest = hashlib.sha256(repr(shapes).encode())
        digest.update(self.detector_bits.tobytes())
        digest.update(self.observable_bits.tobytes())
        self.fingerprint = digest.hexdigest()[:16]

    def failures(self, fault_sets: np.ndarray) -> np.ndarray:
        """For each row of mechanism indices: does matching get the observables wrong?"""
        shots, faults = fault_sets.shape
        syndromes = np.zeros((shots, self.detector_bits.shape[1]), dtype=np.uint8)
        flips = np.zeros((shots, self.observable_bits.shape[1]), dtype=np.uint8)
        for k in range(faults):
            syndromes ^= self.detector_bits[fault_sets[:, k]]
            flips ^= self.observable_bits[fault_sets[:, k]]
        if shots == 0:
            return np.zeros(0, dtype=bool)
        predictions = self.matching.decode_batch(
            syndromes, bit_packed_shots=True, bit_packed_predictions=True
        )
        width = min(predictions.shape[1], flips.shape[1])
        wrong = np.any(predictions[:, :width] != flips[:, :width], axis=1)
        if flips.shape[1] > width:
            wrong |= np.any(flips[:, width:] != 0, axis=1)
        return wrong

    def enumerate_stratum(self, faults: int) -> tuple[int, int, float]:
        """Decodes every set of `faults` mechanisms: (sets, failing sets, exact f_w)."""
        n = self.num_mechanisms
        total = math.comb(n, faults)
        log_odds = self.sampler.log_odds
        combos = itertools.combinations(range(n), faults)
        weights: list[np.ndarray] = []
        failed: list[np.ndarray] = []
        chunk = max(1, 200_000 // max(1, faults))
        done = 0
        while done < total:
            size = min(chunk, total - done)
            flat = np.fromiter(
                itertools.chain.from_iterable(itertools.islice(combos, size)),
                dtype=np.int64,
                count=size * faults,
            )
            sets = flat.reshape(size, faults)
            weights.append(log_odds[sets].sum(axis=1))
            failed.append(self.failures(sets))
            done += size
        log_weights = np.concatenate(weights)
        fail = np.concatenate(failed)
        relative = np.exp(log_weights - log_weights.max())
        rate = math.fsum(relative[fail]) / math.fsum(relative)
        return total, int(np.count_nonzero(fail)), float(rate)


def _pack(rows: int, columns: int, row_index: list[int], column_index: list[int]) -> np.ndarray:
    """A bit-packed (little-endian) 0/1 matrix with ones at the given positions."""
    packed = np.zeros((rows, max(1, (columns + 7) // 8)), dtype=np.uint8)
    if row_index:
        r = np.asarray(row_index, dtype=np.int64)
        c = np.asarray(column_index, dtype=np.int64)
        np.bitwise_or.at(packed, (r, c // 8), (1 << (c % 8)).astype(np.uint8))
    return packed


# ---------------------------------------------------------------------------------------
# Results.


@dataclasses.dataclass(frozen=True)
class Stratum:
    """The shots with exactly `faults` error mechanisms firing.

    `samples` fault sets were decoded and `failures` of them failed. When the stratum
    was enumerated (every set of `faults` mechanisms decoded), `exact_failure_rate` holds
    f_w, weighted by the sets' probabilities, and samples/failures count sets.

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

    def to_task_stats(
        self, *, strong_id: str, decoder: str, json_metadata: Mapping[str, Any]
    ) -> list[sinter.TaskStats]:
        """One sinter row per sampled stratum: shots = samples, errors = failures and
        metadata `{**json_metadata, "stratum": w}`, to append to a sinter CSV.

        `strong_id` identifies the task (e.g. `sinter.Task(...).strong_id()`). sinter
        requires one strong id per (decoder, metadata), so each row gets the SHA-256 of
        `f"{strong_id}:stratum={w}"`, the same in every run. Enumerated strata are left
        out: they are exact functions of the circuit, which `from_task_stats` recomputes.
        Rows with the same key merge with `+` (or `sinter combine`), which is how results
        of several runs add up.

        Examples:
            >>> s = StratifiedEstimate(rate=1e-6, low=5e-7, high=2e-6, samples=10,
            ...     failures=1, seconds=0.1, tail_probability=0.0, strata=(
            ...     Stratum(faults=1, probability=0.1, samples=0, failures=0),
            ...     Stratum(faults=2, probability=1e-5, samples=10, failures=1)))
            >>> [row.json_metadata for row in s.to_task_stats(
            ...     strong_id="abc", decoder="pymatching", json_metadata={"d": 3})]
            [{'d': 3, 'stratum': 2}]
        """
        return [
            sinter.TaskStats(
                strong_id=stratum_strong_id(strong_id, s.faults),
                decoder=decoder,
                json_metadata={**json_metadata, "stratum": s.faults},
                shots=s.samples,
                errors=s.failures,
                seconds=s.seconds,
            )
            for s in self.strata
            if not s.enumerated and s.samples > 0
        ]

    @staticmethod
    def from_task_stats(
        stats: Iterable[sinter.TaskStats],
        *,
        circuit: stim.Circuit,
        max_enumerate: int = _DEFAULT_MAX_ENUMERATE,
        certify: bool = True,
    ) -> StratifiedEstimate:
        """Rebuilds an estimate from per-stratum sinter rows and the circuit.

        Rows with the same stratum are added up (so rows of several runs, or of a CSV
        that sinter appended to, merge). P(W = w) comes from `circuit`: pass a circuit
        with other noise strengths but the same detector error model structure to
        re-weight (see `reweight` for when that is exact). Strata with at most
        `max_enumerate` fault sets are recomputed exactly (rows for them are ignored);
        strata above the last row are counted in the tail.

        Examples:
            >>> from qec.circuits import RepetitionCode
            >>> from qec.noise import CodeCapacity
            >>> circuit = CodeCapacity(p=0.05).noisy_circuit(
            ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z"))
            >>> rows = [sinter.TaskStats(strong_id="x", decoder="pymatching",
            ...     json_metadata={"stratum": w}, shots=1000, errors=e)
            ...     for w, e in [(1, 0), (2, 1000), (3, 1000)]]
            >>> e = StratifiedEstimate.from_task_stats(rows, circuit=circuit, max_enumerate=0)
            >>> round(e.rate, 6)  # P(Binomial(3, 0.05) >= 2)
            0.00725
        """
        _check_circuit(circuit)
        _check_count("max_enumerate", max_enumerate, minimum=0)
        problem = _Problem(circuit)
        counts: dict[int, list[float]] = {}
        for row in stats:
            metadata = row.json_metadata
            w = metadata.get("stratum") if isinstance(metadata, Mapping) else None
            if isinstance(w, bool) or not isinstance(w, int) or w < 1:
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
            entry = counts.setdefault(w, [0, 0, 0.0])
            entry[0] += row.shots
            entry[1] += row.errors
            entry[2] += row.seconds
        state = _State(problem, max_enumerate=max_enumerate, certify=certify)
        for w, (shots, errors, seconds) in counts.items():
            state.samples[w] = int(shots)
            state.failures[w] = int(errors)
            state.seconds[w] = float(seconds)
        state.extend_to(max(counts, default=0))
        state.extend_enumerable()
        return state.summary(seconds=math.fsum(state.seconds.values()) + state.enumerate_seconds)


def stratum_strong_id(strong_id: str, faults: int) -> str:
    """The strong id of the rows of stratum `faults` of the task `strong_id`."""
    return hashlib.sha256(f"{strong_id}:stratum={faults}".encode()).hexdigest()


def reweight(
    estimate: StratifiedEstimate, *, circuit: stim.Circuit, certify: bool = True
) -> StratifiedEstimate:
    """The same per-stratum counts, re-weighted by the P(W = w) of another circuit with
    the same detector error model structure (same mechanisms in the same order, e.g. the
    same circuit at a different noise strength).

    This reuses the sampled f_w. That is exact only if the conditional law of fault sets
    given W = w is unchanged, i.e. if every mechanism's odds p_i / (1 - p_i) scale by
    the same factor (e.g. one kind of mechanism only, all with equal p). Otherwise it is
    an approximation: the fault sets were drawn with the old weights. Enumerated strata
    are recomputed exactly for the new circuit, and the decoder is the new circuit's.

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> from qec.noise import CodeCapacity
        >>> def circuit(p):
        ...     return CodeCapacity(p=p).noisy_circuit(
        ...         RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z"))
        >>> e = estimate_stratified(circuit(0.1), rel_precision=0.01, max_enumerate=0, seed=1)
        >>> [(s.faults, s.failure_rate) for s in e.strata]
        [(1, 0.0), (2, 1.0), (3, 1.0)]
        >>> round(reweight(e, circuit=circuit(0.01)).rate, 7)  # 3 p^2 - 2 p^3
        0.000298
    """
    _check_circuit(circuit)
    problem = _Problem(circuit)
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
    state = _State(problem, max_enumerate=0, certify=certify)
    for s in estimate.strata:
        if not s.enumerated:
            state.samples[s.faults] = s.samples
            state.failures[s.faults] = s.failures
            state.seconds[s.faults] = s.seconds
    state.extend_to(estimate.max_faults)
    for w in enumerated:
        state.enumerate(w)
    return state.summary(seconds=estimate.seconds)


# ---------------------------------------------------------------------------------------
# Intervals and allocation.


def _clopper_pearson(failures: np.ndarray, samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-stratum exact binomial 95% intervals (samples > 0)."""
    alpha = 1 - CONFIDENCE
    k = failures.astype(np.float64)
    n = samples.astype(np.float64)
    low = np.where(k > 0, beta.ppf(alpha / 2, np.maximum(k, 1), n - k + 1), 0.0)
    high = np.where(k < n, beta.ppf(1 - alpha / 2, k + 1, np.maximum(n - k, 1)), 1.0)
    return low, high


class _State:
    """Counts per stratum, the strata considered (1..max_faults) and the enumerated ones."""

    def __init__(self, problem: _Problem, *, max_enumerate: int, certify: bool) -> None:
        self.problem = problem
        self.max_enumerate = max_enumerate
        self.certified_faults = problem.certified_faults if certify else 0
        self.max_faults = 0
        self.samples: dict[int, int] = {}
        self.failures: dict[int, int] = {}
        self.seconds: dict[int, float] = {}
        self.exact: dict[int, tuple[int, int, float]] = {}
        self.enumerate_seconds = 0.0

    def probability(self, w: int) -> float:
        return math.exp(self.problem.sampler.log_fault_count_probability(w))

    def enumerable(self, w: int) -> bool:
        return math.comb(self.problem.num_mechanisms, w) <= self.max_enumerate

    def enumerate(self, w: int) -> None:
        start = time.monotonic()
        self.exact[w] = self.problem.enumerate_stratum(w)
        self.enumerate_seconds += time.monotonic() - start

    def extend_to(self, max_faults: int) -> None:
        while self.max_faults < max_faults:
            self.max_faults += 1
            if self.max_faults <= self.certified_faults:
                self.exact[self.max_faults] = (0, 0, 0.0)  # certified: never fails
            elif self.enumerable(self.max_faults):
                self.enumerate(self.max_faults)

    def extend_enumerable(self) -> None:
        """Adds the following strata while they are cheap enough to enumerate."""
        n = self.problem.num_mechanisms
        while self.max_faults < n and self.enumerable(self.max_faults + 1):
            self.extend_to(self.max_faults + 1)

    def extend_for(self, rel_precision: float) -> None:
        """Grows max_faults until the tail is small next to the allowed half-width."""
        n = self.problem.num_mechanisms
        while self.max_faults < n:
            tail = self.problem.sampler.tail_probability(max_faults=self.max_faults)
            _, _, high = self.interval(include_tail=False)
            if tail <= _TAIL_SHARE * rel_precision * high:
                return
            self.extend_to(self.max_faults + 1)

    def sampled_strata(self) -> list[int]:
        return [w for w in range(1, self.max_faults + 1) if w not in self.exact]

    def interval(self, *, include_tail: bool = True) -> tuple[float, float, float]:
        """(rate, low, high) from the current counts."""
        exact = math.fsum(self.probability(w) * f for w, (_, _, f) in self.exact.items())
        strata = self.sampled_strata()
        pi = np.array([self.probability(w) for w in strata])
        n = np.array([self.samples.get(w, 0) for w in strata], dtype=np.int64)
        k = np.array([self.failures.get(w, 0) for w in strata], dtype=np.int64)
        seen = n > 0
        unseen_mass = math.fsum(pi[~seen])
        rate = exact
        low_offset = high_offset = 0.0
        if np.any(seen):
            f = k[seen] / n[seen]
            lo, hi = _clopper_pearson(k[seen], n[seen])
            rate += math.fsum(pi[seen] * f)
            low_offset = math.sqrt(math.fsum((pi[seen] * (f - lo)) ** 2))
            high_offset = math.sqrt(math.fsum((pi[seen] * (hi - f)) ** 2))
        worst = exact + math.fsum(pi)
        tail = 0.0
        if include_tail:
            tail = self.problem.sampler.tail_probability(max_faults=self.max_faults)
        low = max(exact, rate - low_offset) * (1 - _ROUNDING)
        high = min(worst, rate + high_offset + unseen_mass) * (1 + _ROUNDING) + tail
        return rate, low, high

    def allocate(self, budget: int) -> dict[int, int]:
        """Splits `budget` new samples to approach Neyman allocation, n_w proportional to
        P(W = w) sqrt(v_w), where v_w = n_w ((hi_w - lo_w) / 2 / 1.96)^2 is the variance
        the stratum's interval implies (f_w (1 - f_w) once failures are many; ~1/n_w
        while there are none, so failure-free strata keep a share), 1/4 if unsampled.
        Strata never sampled first get a few samples each: until then their whole
        probability counts in `high`."""
        strata = self.sampled_strata()
        if not strata or budget <= 0:
            return {}
        pi = np.array([self.probability(w) for w in strata])
        n = np.array([self.samples.get(w, 0) for w in strata], dtype=np.int64)
        k = np.array([self.failures.get(w, 0) for w in strata], dtype=np.int64)
        first = np.zeros(len(strata), dtype=np.int64)
        for index in np.flatnonzero(n == 0):
            first[index] = min(_FIRST_SAMPLES, budget - int(first.sum()))
        budget -= int(first.sum())
        n = n + first
        spread = np.full(len(strata), 0.5)
        seen = n > 0
        if np.any(seen):
            lo, hi = _clopper_pearson(k[seen], n[seen])
            spread[seen] = np.sqrt(n[seen]) * (hi - lo) / 2 / _Z
        weight = pi * spread
        if not np.any(weight > 0):
            weight = np.ones(len(strata))
        target = weight / weight.sum() * (n.sum() + budget)
        deficit = np.maximum(target - n, 0.0)
        counts = first.copy()
        if budget > 0 and deficit.sum() > 0:
            share = deficit / deficit.sum() * budget
            counts += np.floor(share).astype(np.int64)
            leftover = budget - int((counts - first).sum())
            if leftover > 0:
                order = np.argsort(-(share - np.floor(share)), kind="stable")[:leftover]
                counts[order] += 1
        return {w: int(c) for w, c in zip(strata, counts, strict=True) if c > 0}

    def summary(self, *, seconds: float) -> StratifiedEstimate:
        rate, low, high = self.interval()
        strata = []
        for w in range(1, self.max_faults + 1):
            if w in self.exact:
                sets, failing, f = self.exact[w]
                strata.append(
                    Stratum(
                        faults=w,
                        probability=self.probability(w),
                        samples=sets,
                        failures=failing,
                        exact_failure_rate=f,
                    )
                )
            else:
                strata.append(
                    Stratum(
                        faults=w,
                        probability=self.probability(w),
                        samples=self.samples.get(w, 0),
                        failures=self.failures.get(w, 0),
                        seconds=self.seconds.get(w, 0.0),
                    )
                )
        sampled = self.sampled_strata()
        return StratifiedEstimate(
            rate=float(rate),
            low=float(low),
            high=float(high),
            samples=sum(self.samples.get(w, 0) for w in sampled),
            failures=sum(self.failures.get(w, 0) for w in sampled),
            seconds=float(seconds),
            strata=tuple(strata),
            tail_probability=self.problem.sampler.tail_probability(max_faults=self.max_faults),
            dem_fingerprint=self.problem.fingerprint,
        )


# ---------------------------------------------------------------------------------------
# The estimator.


def _check_circuit(circuit: Any) -> None:
    if not isinstance(circuit, stim.Circuit):
        raise QecError.invalid("circuit", f"<{type(circuit).__name__}>", "a stim.Circuit")
    if circuit.num_observables == 0:
        raise QecError.invalid(
            "circuit",
            "<stim.Circuit without observables>",
            "a circuit with at least one OBSERVABLE_INCLUDE",
        )


def _check_count(name: str, value: Any, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise QecError.invalid(name, value, f"an integer >= {minimum}")


def estimate_stratified(
    circuit: stim.Circuit,
    *,
    rel_precision: float = 0.2,
    max_seconds: float | None = None,
    max_samples: int | None = None,
    seed: int | None = None,
    progress: Callable[[str], None] | None = None,
    max_enumerate: int = _DEFAULT_MAX_ENUMERATE,
    resume: StratifiedEstimate | None = None,
    certify: bool = True,
) -> StratifiedEstimate:
    """Estimates the per-shot logical error rate of `circuit` under matching by
    fault-count stratified sampling: fast where p_L is far too small for direct sampling.

    Works on the circuit's detector error model (decomposed for PyMatching): strata
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
        certify: count the strata that `certified_fault_count` proves failure-free as
            exact zeros instead of sampling them.

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
    _check_circuit(circuit)
    if (
        isinstance(rel_precision, bool)
        or not isinstance(rel_precision, (int, float))
        or not 0 < rel_precision <= 1
    ):
        raise QecError.invalid("rel_precision", rel_precision, "a number in (0, 1]")
    if max_seconds is not None and (
        isinstance(max_seconds, bool)
        or not isinstance(max_seconds, (int, float))
        or not max_seconds > 0
    ):
        raise QecError.invalid("max_seconds", max_seconds, "a number of seconds > 0, or None")
    if max_samples is not None:
        _check_count("max_samples", max_samples, minimum=1)
    if seed is not None:
        _check_count("seed", seed, minimum=0)
    if progress is not None and not callable(progress):
        raise QecError.invalid("progress", progress, "a function of one string, or None")
    _check_count("max_enumerate", max_enumerate, minimum=0)
    if resume is not None and not isinstance(resume, StratifiedEstimate):
        raise QecError.invalid(
            "resume", f"<{type(resume).__name__}>", "a StratifiedEstimate, or None"
        )

    start = time.monotonic()
    problem = _Problem(circuit)
    state = _State(problem, max_enumerate=max_enumerate, certify=certify)
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
        for s in resume.strata:
            if not s.enumerated and s.samples:
                state.samples[s.faults] = s.samples
                state.failures[s.faults] = s.failures
                state.seconds[s.faults] = s.seconds
        earlier_seconds = resume.seconds
        state.extend_to(resume.max_faults)
    if not problem.can_fail:  # no mechanism flips an observable: p_L = 0 exactly
        return dataclasses.replace(state.summary(seconds=time.monotonic() - start), high=0.0)
    taken = sum(state.samples.values())
    entropy = None if seed is None else [seed, taken]
    rng = np.random.default_rng(entropy)

    def elapsed() -> float:
        return time.monotonic() - start

    batch = 1000
    last_report = time.monotonic()
    while True:
        state.extend_for(rel_precision)
        state.extend_enumerable()
        rate, low, high = state.interval()
        new_samples = sum(state.samples.values()) - taken
        if progress is not None and time.monotonic() - last_report >= _PROGRESS_SECONDS:
            last_report = time.monotonic()
            progress(
                f"{sum(state.samples.values()):,} samples, "
                f"{sum(state.failures.values()):,} failures, p_L {rate:.3g} "
                f"[{low:.3g}, {high:.3g}], {earlier_seconds + elapsed():.1f} s"
            )
        if high == low or (rate > 0 and (high - low) / 2 <= rel_precision * rate):
            break  # (high == low: p_L = 0 exactly)
        if not state.sampled_strata():
            break
        if max_seconds is not None and elapsed() >= max_seconds:
            break
        if max_samples is not None and new_samples >= max_samples:
            break
        budget = batch if max_samples is None else min(batch, max_samples - new_samples)
        round_start = time.monotonic()
        for w, count in state.allocate(budget).items():
            stratum_start = time.monotonic()
            sets = problem.sampler.sample(faults=w, shots=count, rng=rng)
            failed = int(np.count_nonzero(problem.failures(sets)))
            state.samples[w] = state.samples.get(w, 0) + count
            state.failures[w] = state.failures.get(w, 0) + failed
            state.seconds[w] = state.seconds.get(w, 0.0) + time.monotonic() - stratum_start
        round_seconds = time.monotonic() - round_start
        per_second = budget / max(round_seconds, 1e-6)
        # Rounds of ~0.2 s, growing by at most a quarter of the samples so far so that
        # the run stops close to where the precision is reached.
        so_far = sum(state.samples.values())
        batch = int(min(per_second * _ROUND_SECONDS, max(1000, so_far // 4), 1_000_000))
        batch = max(batch, 100)
    return state.summary(seconds=earlier_seconds + elapsed())
