"""The error mechanisms of a detector error model, read once for every user.

The detector error model of a circuit is a list of independent error mechanisms:
mechanism i fires with probability p_i and flips a set of detectors and observables.
`mechanisms` reads that list (for stratified sampling, the first-order failure rate and
the mean fault count) and gives the flips as bit-packed matrices, so that the detection
events and observable flips of a set of mechanisms firing together are XORs of rows.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse
import stim


@dataclasses.dataclass(frozen=True, eq=False)
class Mechanisms:
    """The error mechanisms of a detector error model, in its flattened order.

    Attributes:
        probabilities: p_i of each mechanism (all > 0), shape (n,).
        detectors: the detectors each mechanism flips (flipped by an odd number of its
            targets), in increasing order.
        observables: the observables each mechanism flips, likewise.
        edges: the graphlike parts of each mechanism's decomposition (its targets split
            at the separators `^`), each a tuple of its detectors; parts without
            detectors are left out.
        num_detectors: the detectors of the model.
        num_observables: the observables of the model.

    Examples:
        >>> found = mechanisms(stim.DetectorErrorModel("error(0.1) D9 L0"))
        >>> found.detector_bits().tolist(), found.observable_bits().tolist()  # D9: byte 1
        ([[0, 2]], [[1]])
    """

    probabilities: np.ndarray
    detectors: tuple[tuple[int, ...], ...]
    observables: tuple[tuple[int, ...], ...]
    edges: tuple[tuple[tuple[int, ...], ...], ...]
    num_detectors: int
    num_observables: int

    def __len__(self) -> int:
        return len(self.probabilities)

    def detector_bits(self, rows: Iterable[int] | None = None) -> np.ndarray:
        """The detectors flipped by each mechanism (or by each of `rows`), bit-packed
        little-endian, as stim and PyMatching read them."""
        return _pack(self.detectors, self.num_detectors, rows)

    def observable_bits(self, rows: Iterable[int] | None = None) -> np.ndarray:
        """The observables flipped by each mechanism (or by each of `rows`), bit-packed."""
        return _pack(self.observables, self.num_observables, rows)

    def detector_incidence(self) -> scipy.sparse.csr_array:
        """The detectors each mechanism flips, as the rows of a sparse 0/1 matrix
        (mechanisms x detectors)."""
        return _incidence(self.detectors, self.num_detectors)

    def observable_incidence(self) -> scipy.sparse.csr_array:
        """The observables each mechanism flips, as the rows of a sparse 0/1 matrix."""
        return _incidence(self.observables, self.num_observables)

    def neighbours(self) -> scipy.sparse.csr_array:
        """The mechanisms that share a detector with each mechanism (itself excluded), as
        the rows of a sparse 0/1 matrix with sorted column indices.

        Examples:
            >>> found = mechanisms(stim.DetectorErrorModel("error(0.1) D0\\nerror(0.1) D0 D1"
            ...                                            "\\nerror(0.1) D1\\nerror(0.1) L0"))
            >>> near = found.neighbours()
            >>> [near.indices[near.indptr[i]:near.indptr[i + 1]].tolist() for i in range(4)]
            [[1], [0, 2], [1], []]
        """
        incidence = self.detector_incidence()
        shared = (incidence @ incidence.T).tocsr()
        shared.setdiag(0)
        shared.eliminate_zeros()
        shared.sort_indices()
        return shared


def mechanisms(dem: stim.DetectorErrorModel) -> Mechanisms:
    """The mechanisms of nonzero probability of `dem`'s flattened `error` instructions.

    Examples:
        >>> found = mechanisms(stim.DetectorErrorModel('''
        ...     error(0.1) D0 D1 ^ D1 D2 L0
        ...     error(0) D2
        ...     error(0.2) D2 L0
        ... '''))
        >>> len(found), found.probabilities.tolist()
        (2, [0.1, 0.2])
        >>> found.detectors, found.observables, found.edges
        (((0, 2), (2,)), ((0,), (0,)), (((0, 1), (1, 2)), ((2,),)))
        >>> found.detector_bits().tolist()  # D0 and D2: bits 0 and 2 of the first byte
        [[5], [4]]
    """
    probabilities: list[float] = []
    detectors: list[tuple[int, ...]] = []
    observables: list[tuple[int, ...]] = []
    edges: list[tuple[tuple[int, ...], ...]] = []
    for instruction in dem.flattened():
        if instruction.type != "error" or instruction.args_copy()[0] == 0:
            continue
        flipped: set[int] = set()
        flipped_observables: set[int] = set()
        parts: list[list[int]] = [[]]
        for target in instruction.targets_copy():
            if target.is_separator():
                parts.append([])
            elif target.is_relative_detector_id():
                flipped ^= {target.val}
                parts[-1].append(target.val)
            elif target.is_logical_observable_id():
                flipped_observables ^= {target.val}
        probabilities.append(instruction.args_copy()[0])
        detectors.append(tuple(sorted(flipped)))
        observables.append(tuple(sorted(flipped_observables)))
        edges.append(tuple(tuple(part) for part in parts if part))
    found = np.array(probabilities, dtype=np.float64)
    found.setflags(write=False)
    return Mechanisms(
        probabilities=found,
        detectors=tuple(detectors),
        observables=tuple(observables),
        edges=tuple(edges),
        num_detectors=dem.num_detectors,
        num_observables=dem.num_observables,
    )


def _pack(sets: Sequence[tuple[int, ...]], width: int, rows: Iterable[int] | None) -> np.ndarray:
    """A bit-packed (little-endian) 0/1 matrix whose row r has ones at sets[rows[r]]."""
    chosen = sets if rows is None else [sets[r] for r in rows]
    columns = np.fromiter(itertools.chain.from_iterable(chosen), dtype=np.int64)
    row_of = np.repeat(np.arange(len(chosen)), [len(s) for s in chosen])
    return packed_bits(row_of, columns, rows=len(chosen), width=max(1, (width + 7) // 8))


def packed_bits(row_of: np.ndarray, columns: np.ndarray, *, rows: int, width: int) -> np.ndarray:
    """`rows` rows of `width` bytes, bit-packed little-endian (as stim and PyMatching
    read them), with ones at the (row_of[k], columns[k]).

    Examples:
        >>> packed_bits(np.array([0, 0, 1]), np.array([0, 9, 2]), rows=2, width=2).tolist()
        [[1, 2], [4, 0]]
    """
    packed = np.zeros(rows * width, dtype=np.uint8)  # one byte per 8 bits: no wider copy
    for start in range(0, len(columns), _PACKED_CHUNK):  # a signal is handled between them
        part = slice(start, start + _PACKED_CHUNK)
        bits = np.left_shift(np.uint8(1), (columns[part] % 8).astype(np.uint8))
        np.bitwise_or.at(packed, row_of[part] * width + columns[part] // 8, bits)
    return packed.reshape(rows, width)


# Ones set per call of numpy (a fraction of a second each).
_PACKED_CHUNK = 1 << 18


def _incidence(sets: Sequence[tuple[int, ...]], width: int) -> scipy.sparse.csr_array:
    """A sparse 0/1 matrix whose row r has ones at sets[r] (at least one column)."""
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    columns = np.fromiter(itertools.chain.from_iterable(sets), dtype=np.int64)
    return scipy.sparse.csr_array(
        (np.ones(len(rows), dtype=np.int32), (rows, columns)), shape=(len(sets), max(1, width))
    )
