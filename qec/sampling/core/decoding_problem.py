"""Decoding sets of error mechanisms that fire together, and proving small sets safe.

`DecodingProblem` holds a circuit's mechanisms bit-packed (see `mechanisms`) with their
fault-count sampler and a decoder (PyMatching, or any sinter decoder: `decoders`), and
decodes fault sets in batches or every set of a given size. `certified_fault_count`
proves from the graphlike distance and the matching weights that every set of up to w
faults is corrected by PyMatching, so that those strata need no sampling.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import os
from collections.abc import Iterator

import numpy as np
import pymatching
import scipy.sparse
import stim

from qec.errors import QecError
from qec.interrupts import native_call
from qec.last_circuit import LastCircuit
from qec.sampling.core.decoders import (
    DecoderChoice,
    Predict,
    decoder_error_model,
    wrong_predictions,
)
from qec.sampling.core.fault_sets import FaultSetSampler
from qec.sampling.core.mechanisms import Mechanisms, mechanisms, packed_bits


class DecodingProblem:
    """A circuit's error mechanisms, bit-packed, with their fault-count sampler and a
    decoder: decodes fault sets (sets of mechanisms firing together).

    The decoder is `decoder` (PyMatching by default), compiled for the circuit's
    detector error model.

    Attributes:
        num_mechanisms: the mechanisms of nonzero probability.
        mechanisms: their `Mechanisms` (probabilities, detectors, observables).
        detector_bits: the detectors each mechanism flips, bit-packed, one row each.
        observable_bits: the observables each mechanism flips, bit-packed, one row each.
        sampler: the `FaultSetSampler` of the mechanisms' probabilities.
        decoder: the `DecoderChoice`.
        matching: PyMatching's decoder of the circuit's detector error model when
            `decoder` is "pymatching" (its weights certify strata), else None.
        can_fail: whether any mechanism flips an observable.

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> from qec.noise import CodeCapacity
        >>> problem = DecodingProblem(CodeCapacity(p=0.01).noisy_circuit(
        ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z")))
        >>> problem.num_mechanisms, problem.certified_faults
        (3, 1)
        >>> problem.failures(np.array([[0], [1]])).tolist()  # one bit flip: corrected
        [False, False]
        >>> problem.enumerate_stratum(2)  # every pair of bit flips fails
        (3, 3, 1.0)
    """

    def __init__(self, circuit: stim.Circuit, decoder: DecoderChoice | None = None) -> None:
        self.decoder = decoder if decoder is not None else DecoderChoice()
        self._dem = decoder_error_model(circuit, self.decoder.name)
        check_fault_table_fits(self._dem.num_errors, self._dem.num_detectors)
        found = mechanisms(self._dem)
        if np.any(found.probabilities >= 1):
            p = float(found.probabilities[found.probabilities >= 1][0])
            raise QecError.invalid(
                "circuit",
                f"<error mechanism with probability {p}>",
                "a circuit whose detector error model has probabilities < 1",
            )
        self.num_mechanisms = len(found)
        self.mechanisms = found
        self.detector_bits = found.detector_bits()
        self.observable_bits = found.observable_bits()
        self.sampler = FaultSetSampler(probabilities=found.probabilities)
        self.matching: pymatching.Matching | None = None
        with native_call():  # a decoder's graph, built in compiled code
            if self.decoder.is_pymatching:
                self.matching = pymatching.Matching.from_detector_error_model(self._dem)
                self._predict: Predict = functools.partial(
                    self.matching.decode_batch, bit_packed_shots=True, bit_packed_predictions=True
                )
            else:
                self._predict = self.decoder.compiled(self._dem)
        self.can_fail = bool(np.any(self.observable_bits))

    @functools.cached_property
    def fingerprint(self) -> str:
        """16 hex digits identifying the mechanisms: which detectors and observables
        each flips, in order, but not their probabilities (computed on first use)."""
        digest = hashlib.sha256()
        for sets in (self.mechanisms.detectors, self.mechanisms.observables):
            digest.update(np.array([len(s) for s in sets], dtype=np.int64).tobytes())
            digest.update(np.fromiter(itertools.chain.from_iterable(sets), np.int64).tobytes())
        return digest.hexdigest()[:16]

    @staticmethod
    def of(circuit: stim.Circuit, decoder: DecoderChoice | None = None) -> DecodingProblem:
        """The problem of `circuit` and `decoder`: the last one built if it was for an
        equal circuit and the same decoder (a run asks several times), else a new one.

        Examples:
            >>> from qec.circuits import RepetitionCode
            >>> from qec.noise import CodeCapacity
            >>> circuit = CodeCapacity(p=0.01).noisy_circuit(
            ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z"))
            >>> DecodingProblem.of(circuit) is DecodingProblem.of(circuit.copy())
            True
        """
        choice = decoder if decoder is not None else DecoderChoice()
        return _problems.get(circuit, choice.key(), lambda: DecodingProblem(circuit, choice))

    @functools.cached_property
    def certified_faults(self) -> int:
        """The fault count up to which every fault set is corrected, by
        `certified_fault_count` (computed on first use); 0 for decoders other than
        PyMatching, whose corrections that bound does not cover."""
        if self.matching is None:
            return 0
        return certified_fault_count(self._dem, self.matching, self.mechanisms)

    @functools.cached_property
    def shortest_logical(self) -> tuple[int, ...]:
        """Mechanisms that together flip an observable undetected, fewest first found by
        stim's `shortest_graphlike_error` (each of its edges mapped to the likeliest
        mechanism with that edge as its whole effect, or as one of its parts); empty
        when no such set exists."""
        errors = self._shortest_error
        if errors is None:
            return ()
        found = self.mechanisms
        whole: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}
        part: dict[tuple[int, ...], int] = {}
        p = found.probabilities
        for i in np.argsort(p):  # the likeliest last, so it wins
            whole[(found.detectors[i], found.observables[i])] = int(i)
            for edge in found.edges[i]:
                part[tuple(sorted(edge))] = int(i)
        chosen = []
        for instruction in errors.flattened():
            targets = instruction.targets_copy()
            detectors = tuple(sorted(t.val for t in targets if t.is_relative_detector_id()))
            observables = tuple(sorted(t.val for t in targets if t.is_logical_observable_id()))
            index = whole.get((detectors, observables), part.get(detectors))
            if index is not None:
                chosen.append(index)
        return tuple(chosen)

    @functools.cached_property
    def _shortest_error(self) -> stim.DetectorErrorModel | None:
        return shortest_undetected_logical(self._dem)

    @functools.cached_property
    def graphlike_distance(self) -> int:
        """The fewest graphlike errors that flip an observable undetected (0 if none can;
        see `graphlike_distance`)."""
        return 0 if self._shortest_error is None else len(self._shortest_error)

    @functools.cached_property
    def neighbours(self) -> scipy.sparse.csr_array:
        """Which mechanisms share a detector (`Mechanisms.neighbours`, computed on first
        use)."""
        return self.mechanisms.neighbours()

    @functools.cached_property
    def _incidence(self) -> scipy.sparse.csr_array:
        """The detectors, then the observables, each mechanism flips: a sparse 0/1
        matrix (built on first use)."""
        found = self.mechanisms
        return scipy.sparse.hstack(
            [found.detector_incidence(), found.observable_incidence()], format="csr"
        )

    def failures(self, fault_sets: np.ndarray) -> np.ndarray:
        """For each row of mechanism indices: does matching get the observables wrong?"""
        shots, faults = fault_sets.shape
        syndromes = np.zeros((shots, self.detector_bits.shape[1]), dtype=np.uint8)
        flips = np.zeros((shots, self.observable_bits.shape[1]), dtype=np.uint8)
        for k in range(faults):
            syndromes ^= self.detector_bits[fault_sets[:, k]]
            flips ^= self.observable_bits[fault_sets[:, k]]
        return self.decoding_failures(syndromes, flips)

    def decoding_failures(self, syndromes: np.ndarray, flips: np.ndarray) -> np.ndarray:
        """For each shot, whether the decoder gets the observable flips wrong, given the
        bit-packed detection events `syndromes` and true `flips` (a row per shot)."""
        if len(syndromes) == 0:
            return np.zeros(0, dtype=bool)
        return wrong_predictions(self._predict(syndromes), flips)

    def fault_set_flips(
        self, shots: int, shot_of: np.ndarray, mechanism: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The bit-packed detection events and observable flips of `shots` fault sets,
        given as pairs (shot_of[k], mechanism[k]) with each mechanism at most once a
        shot: the parities of a sparse product, without a row per fault."""
        order = np.argsort(shot_of, kind="stable")
        starts = np.zeros(shots + 1, dtype=np.int64)
        np.cumsum(np.bincount(shot_of, minlength=shots), out=starts[1:])
        membership = scipy.sparse.csr_array(
            (np.ones(len(order), dtype=np.int32), mechanism[order], starts),
            shape=(shots, self.num_mechanisms),
        )
        # csr_matmat sums each row's entries per column: every count appears once.
        counts = membership @ self._incidence
        odd = counts.data % 2 == 1
        row_of = np.repeat(np.arange(shots), np.diff(counts.indptr))[odd]
        columns = counts.indices[odd]
        detector_columns = max(1, self.mechanisms.num_detectors)  # as `detector_incidence`
        is_detector = columns < detector_columns
        return (
            packed_bits(
                row_of[is_detector],
                columns[is_detector],
                rows=shots,
                width=self.detector_bits.shape[1],
            ),
            packed_bits(
                row_of[~is_detector],
                columns[~is_detector] - detector_columns,
                rows=shots,
                width=self.observable_bits.shape[1],
            ),
        )

    def enumerate_stratum(self, faults: int) -> tuple[int, int, float]:
        """Decodes every set of `faults` mechanisms: (sets, failing sets, exact f_w), f_w
        weighting each set by its probability."""
        weights: list[np.ndarray] = []
        failed: list[np.ndarray] = []
        for _, log_weights, fail in self.enumerated_sets(faults):
            weights.append(log_weights)
            failed.append(fail)
        log_weights = np.concatenate(weights)
        fail = np.concatenate(failed)
        relative = np.exp(log_weights - log_weights.max())
        rate = math.fsum(relative[fail]) / math.fsum(relative)
        return len(fail), int(np.count_nonzero(fail)), float(rate)

    def enumerated_sets(self, faults: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Every set of `faults` mechanisms, decoded, in chunks of about 200,000 faults:
        (the sets as rows of mechanism indices, their log weights sum_{i in S} log o_i,
        whether matching fails on each)."""
        total = math.comb(self.num_mechanisms, faults)
        combos = itertools.combinations(range(self.num_mechanisms), faults)
        chunk = max(1, 200_000 // max(1, faults))
        for done in range(0, total, chunk):
            size = min(chunk, total - done)
            flat = np.fromiter(
                itertools.chain.from_iterable(itertools.islice(combos, size)),
                dtype=np.int64,
                count=size * faults,
            )
            sets = flat.reshape(size, faults)
            yield sets, self.sampler.log_odds[sets].sum(axis=1), self.failures(sets)


# The share of the machine's memory the bit-packed table of mechanisms may take.
FAULT_TABLE_MEMORY_SHARE = 0.5


def _fault_table(mechanisms: int, detectors: int) -> tuple[int, int]:
    """The bytes of the bit table of `mechanisms` x `detectors` (what stratified
    sampling and splitting decode from), and the bytes of this machine's memory."""
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return mechanisms * ((detectors + 7) // 8), memory


def fault_table_fits(mechanisms: int, detectors: int) -> bool:
    """Whether the bit table of a detector error model's `mechanisms` x `detectors`
    takes at most `FAULT_TABLE_MEMORY_SHARE` of this machine's memory.

    Examples:
        >>> fault_table_fits(1, 1), fault_table_fits(10**8, 10**8)
        (True, False)
    """
    needed, memory = _fault_table(mechanisms, detectors)
    return needed <= FAULT_TABLE_MEMORY_SHARE * memory


def check_fault_table_fits(mechanisms: int, detectors: int) -> None:
    """Raises QecError, before any work, unless `fault_table_fits`."""
    if not fault_table_fits(mechanisms, detectors):
        needed, memory = _fault_table(mechanisms, detectors)
        raise QecError.invalid(
            "method",
            "stratified or splitting",
            f"'monte_carlo' for this circuit: its {mechanisms:,} mechanisms x "
            f"{detectors:,} detectors make a bit table of {needed / 1e9:.1f} GB, "
            f"over {FAULT_TABLE_MEMORY_SHARE:.0%} of this machine's {memory / 1e9:.0f} GB",
        )


def shortest_undetected_logical(dem: stim.DetectorErrorModel) -> stim.DetectorErrorModel | None:
    """Stim's `shortest_graphlike_error` of `dem`: fewest graphlike errors that flip an
    observable without flipping a detector; None when no such set exists."""
    try:
        with native_call():  # a search in compiled code
            return dem.shortest_graphlike_error()
    except ValueError:  # no undetectable logical error at all
        return None


def graphlike_distance(dem: stim.DetectorErrorModel) -> int:
    """The fewest graphlike errors of `dem` that flip an observable without flipping a
    detector (stim's `shortest_graphlike_error`), or 0 when no such set exists.

    Examples:
        >>> graphlike_distance(stim.DetectorErrorModel("error(0.1) D0 L0\\nerror(0.1) D0"))
        2
    """
    errors = shortest_undetected_logical(dem)
    return 0 if errors is None else len(errors)


def certified_fault_count(
    dem: stim.DetectorErrorModel,
    matching: pymatching.Matching,
    found: Mechanisms | None = None,
) -> int:
    """The largest w such that matching provably corrects every set of w faults.

    Let D be the fewest graphlike edges forming an undetectable logical error (stim's
    `shortest_graphlike_error`) and w_min the lightest edge of the matching graph. A
    fault i puts c_i edges of total weight W_i into the graph. For a set E of w faults,
    matching returns a correction C with |C| w_min <= weight(C) <= weight(E) <= W(w), the
    sum of the w largest W_i; a failure needs |C| + c(w) >= D, with c(w) the sum of the
    w largest c_i. So no set of w faults fails while (D - c(w)) w_min > W(w). (A 1%
    margin on the weights covers PyMatching's integer weights.) Returns 0 when the bound
    says nothing, e.g. with non-positive weights or no undetectable logical error.
    `found` are `dem`'s mechanisms when the caller has them (else they are read).

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
    distance = graphlike_distance(dem)
    if not weights or min(weights) <= 0 or distance == 0:
        return 0

    def edge_weight(detectors: tuple[int, ...]) -> float:
        if len(detectors) == 2 and matching.has_edge(*detectors):
            return float(matching.get_edge_data(*detectors)["weight"])
        if len(detectors) == 1 and matching.has_boundary_edge(detectors[0]):
            return float(matching.get_boundary_edge_data(detectors[0])["weight"])
        return float(max(weights))  # an edge matching merged away or ignored: the worst case

    fault_edges = (found if found is not None else mechanisms(dem)).edges
    edges = np.cumsum(sorted((len(parts) for parts in fault_edges), reverse=True))
    fault_weights = [sum(edge_weight(part) for part in parts) * 1.01 for parts in fault_edges]
    heaviest = np.cumsum(sorted(fault_weights, reverse=True))
    w_min = min(weights) * 0.99
    safe = 0
    for w in range(1, len(edges) + 1):
        if (distance - edges[w - 1]) * w_min <= heaviest[w - 1]:
            break
        safe = w
    return safe


# The last circuit's problem: a run asks for it several times (`LastCircuit`).
_problems = LastCircuit[DecodingProblem]()
