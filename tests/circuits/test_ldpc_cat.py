"""The LDPC-cat codes of Ruiz et al. 2025: their parameters from first principles, and
their distance found by stim and by integer programming, independently of the table the
code quotes."""

from __future__ import annotations

import functools
import itertools
import operator

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from qec import CatFirstOrder, LdpcCatCode, MemoryExperiment
from qec.circuits.ldpc_cat import (
    DISTANCE_BY_HEIGHT,
    TSHAPE_DISTANCE_BY_HEIGHT,
    TSHAPE_WIDTH,
    WIDTH,
    OpenLdpcCatCode,
    TShapeCode,
)
from qec.circuits.registry import make_code
from qec.errors import QecError


def check_matrix(code: LdpcCatCode | TShapeCode | OpenLdpcCatCode) -> np.ndarray:
    layout = code.layout()
    matrix = np.zeros((len(layout.checks), code.num_data_qubits), dtype=np.uint8)
    for row, check in enumerate(layout.checks):
        matrix[row, list(check.support)] = 1
    return matrix


def gf2_rank(matrix: np.ndarray) -> int:
    m = matrix.copy() % 2
    rank = 0
    for col in range(m.shape[1]):
        pivots = np.nonzero(m[rank:, col])[0]
        if pivots.size == 0:
            continue
        pivot = rank + pivots[0]
        m[[rank, pivot]] = m[[pivot, rank]]
        others = np.nonzero(m[:, col])[0]
        m[others[others != rank]] ^= m[rank]
        rank += 1
        if rank == m.shape[0]:
            break
    return rank


@pytest.mark.parametrize("distance", sorted(DISTANCE_BY_HEIGHT.values()))
def test_checks_have_weight_four_and_leave_34_logical_qubits(distance: int) -> None:
    code = LdpcCatCode(distance=distance)
    matrix = check_matrix(code)
    assert set(matrix.sum(axis=1)) == {4}
    assert code.num_data_qubits - gf2_rank(matrix) == code.num_logical_qubits == 2 * WIDTH
    assert len(matrix) == code.num_qubits - code.num_data_qubits


def test_each_cx_layer_touches_a_data_qubit_at_most_once() -> None:
    for distance in DISTANCE_BY_HEIGHT.values():
        checks = LdpcCatCode(distance=distance).layout().checks
        for leg in range(4):
            touched = [check.legs[leg] for check in checks]
            assert len(touched) == len(set(touched))


def grown_codeword(code: LdpcCatCode | TShapeCode, free_bit: int) -> int:
    """The codeword whose free rows are one at `free_bit` only, as a bit mask, grown row
    by row with the checks (the cellular automaton)."""
    word = np.zeros(code.num_data_qubits, dtype=np.uint8)
    word[free_bit] = 1
    for check in code.layout().checks:  # ordered by the row they close
        closed, *above = check.support
        word[closed] = word[list(above)].sum() % 2
    return sum(1 << int(q) for q in np.nonzero(word)[0])


def test_distance_5_code_has_no_lighter_codeword() -> None:
    # A codeword of weight <= 4 has at most 4 ones in its free rows: enumerate them all.
    code = LdpcCatCode(distance=5)
    generators = [grown_codeword(code, bit) for bit in range(2 * WIDTH)]
    lightest = min(
        bin(functools.reduce(operator.xor, chosen)).count("1")
        for size in range(1, 5)
        for chosen in itertools.combinations(generators, size)
    )
    assert lightest == 5


@pytest.mark.parametrize(
    ("distance", "rounds", "explored"),
    [(5, 3, 6), pytest.param(9, 2, 5, marks=pytest.mark.slow)],
)
def test_stim_finds_no_circuit_fault_set_below_the_distance(
    distance: int, rounds: int, explored: int
) -> None:
    experiment = MemoryExperiment(
        code=LdpcCatCode(distance=distance),
        noise=CatFirstOrder(nbar=11, k1_k2=1e-4),
        rounds=rounds,
        basis="X",
    )
    shortest = experiment.circuit().search_for_undetectable_logical_errors(
        dont_explore_detection_event_sets_with_size_above=explored,
        dont_explore_edges_with_degree_above=explored,
        dont_explore_edges_increasing_symptom_degree=False,
        canonicalize_circuit_errors=True,
    )
    assert len(shortest) == distance


def test_logical_z_operators_are_codewords_each_meeting_its_own_x_operator() -> None:
    code = LdpcCatCode(distance=9)
    layout = code.layout()
    matrix = check_matrix(code)
    for i, support in enumerate(layout.logical_support["Z"]):
        word = np.zeros(code.num_data_qubits, dtype=np.uint8)
        word[list(support)] = 1
        assert not (matrix @ word % 2).any()  # commutes with every X check
        assert len(support) >= code.distance
        overlaps = [len(set(support) & {x}) for (x,) in layout.logical_support["X"]]
        assert overlaps == [int(j == i) for j in range(len(overlaps))]


def test_memory_observes_every_logical_qubit() -> None:
    circuit = LdpcCatCode(distance=9).memory_circuit(rounds=9, basis="X").to_stim()
    assert circuit.num_observables == 34
    assert circuit.num_detectors == 3 * WIDTH * 10


@pytest.mark.parametrize(
    ("make", "parameter"),
    [
        (lambda: LdpcCatCode(distance=7), "distance"),
        (lambda: LdpcCatCode(distance=True), "distance"),  # type: ignore[arg-type]
        (lambda: LdpcCatCode(distance=5).memory_circuit(rounds=5, basis="Y"), "basis"),
        (lambda: make_code("ldpc_cat", dx=5, dz=5), "dx"),
    ],
)
def test_bad_input_names_the_parameter(make: object, parameter: str) -> None:
    with pytest.raises(QecError) as error:
        make()  # type: ignore[operator]
    assert error.value.parameter == parameter


def test_registry_builds_the_family_from_results_metadata() -> None:
    experiment = MemoryExperiment(
        code=LdpcCatCode(distance=12), noise=CatFirstOrder(nbar=11, k1_k2=2e-4), rounds=12,
        basis="X",
    )  # fmt: skip
    assert MemoryExperiment.from_metadata(experiment.metadata()) == experiment


@pytest.mark.parametrize("distance", sorted(TSHAPE_DISTANCE_BY_HEIGHT.values()))
def test_tshape_distance_is_its_lightest_codeword(distance: int) -> None:
    # Every codeword is grown from its free row: enumerate all 2^10 - 1 of them.
    code = TShapeCode(distance=distance)
    generators = [grown_codeword(code, bit) for bit in range(TSHAPE_WIDTH)]
    weights = [
        bin(functools.reduce(operator.xor, chosen)).count("1")
        for size in range(1, TSHAPE_WIDTH + 1)
        for chosen in itertools.combinations(generators, size)
    ]
    assert min(weights) == distance
    matrix = check_matrix(code)
    assert code.num_data_qubits - gf2_rank(matrix) == code.num_logical_qubits == TSHAPE_WIDTH


def test_tshape_check_is_the_qubit_it_closes_and_the_three_above() -> None:
    layout = TShapeCode(distance=7).layout()
    first = layout.checks[0]  # closes (1, 0): the row above is periodic
    assert first.support == (TSHAPE_WIDTH, 1, 0, TSHAPE_WIDTH - 1)
    assert make_code("tshape", distance=12) == TShapeCode(distance=12)


def lightest_codeword(code: LdpcCatCode | OpenLdpcCatCode) -> int:
    """The code's distance by integer programming (scipy's HiGHS), independently of the
    table the code quotes: the fewest data bits x, not all free bits zero, with every
    check even (H x = 2 s for integers 0 <= s <= 2, checks having at most 4 legs)."""
    layout = code.layout()
    n, m = code.num_data_qubits, len(layout.checks)
    parity = np.zeros((m, n + m))
    for row, check in enumerate(layout.checks):
        parity[row, list(check.support)] = 1
        parity[row, n + row] = -2
    free = np.zeros((1, n + m))
    free[0, [q for (q,) in layout.logical_support["X"]]] = 1
    result = milp(
        np.concatenate([np.ones(n), np.zeros(m)]),
        constraints=[LinearConstraint(parity, 0, 0), LinearConstraint(free, 1, np.inf)],
        integrality=np.ones(n + m),
        bounds=Bounds(0, np.concatenate([np.ones(n), np.full(m, 2.0)])),
    )
    assert result.status == 0
    return round(float(result.fun))


@pytest.mark.parametrize(
    "distance",
    [5, 9, pytest.param(12, marks=pytest.mark.slow), pytest.param(22, marks=pytest.mark.slow)],
)
def test_integer_programming_finds_the_quoted_distance_periodic_and_open(distance: int) -> None:
    assert lightest_codeword(LdpcCatCode(distance=distance)) == distance
    assert lightest_codeword(OpenLdpcCatCode(distance=distance)) == distance


@pytest.mark.parametrize(("extra", "data", "logical"), [(0, 165, 34), (1, 173, 36), (33, 429, 100)])
def test_open_distance_22_code_is_the_papers_165_plus_8l_34_plus_2l(
    extra: int, data: int, logical: int
) -> None:
    code = OpenLdpcCatCode(distance=22, columns=WIDTH + extra)
    assert (code.num_data_qubits, code.num_logical_qubits) == (data, logical)
    matrix = check_matrix(code)
    assert code.num_data_qubits - gf2_rank(matrix) == logical
    assert code.num_qubits == data + len(matrix)


def test_open_code_keeps_each_cx_layer_to_one_touch_per_data_qubit() -> None:
    checks = OpenLdpcCatCode(distance=16, columns=20).layout().checks
    for leg in range(4):
        touched = [check.legs[leg] for check in checks if check.legs[leg] is not None]
        assert len(touched) == len(set(touched))
    assert any(None in check.legs for check in checks)  # checks cut by the edge


def test_open_code_round_trips_through_results_metadata() -> None:
    experiment = MemoryExperiment(
        code=OpenLdpcCatCode(distance=9, columns=20), noise=CatFirstOrder(nbar=11, k1_k2=2e-4),
        rounds=3, basis="X",
    )  # fmt: skip
    assert MemoryExperiment.from_metadata(experiment.metadata()) == experiment
    with pytest.raises(QecError) as error:
        make_code("ldpc_cat", distance=9, columns=20)
    assert error.value.parameter == "columns"
