"""The tornado's numbers: each end of a swing is the comparison at those assumptions,
only the designs it changes are solved again, and the ratio moves the way the physics
says it must."""

from __future__ import annotations

import csv
import json
import pathlib

import pytest

import qec.overhead.sensitivity as sensitivity_module
from qec.errors import QecError
from qec.intervals import Interval
from qec.literature.claim import claim_report
from qec.overhead import Assumptions, Budget, QubitWeights
from qec.overhead.plan import BUDGET as BUDGET_OF_PLAN
from qec.overhead.rows import FootprintRow
from qec.overhead.sensitivity import SENSITIVITY_COLUMNS, Sensitivity, Swing, sensitivity
from qec.plotting.sensitivity import sensitivity_figure

ASSUMPTIONS = Assumptions(nbars=(8.0,))
TARGETS = (1e-3, 1e-4)
BUDGET = Budget(
    measured_steps=2, max_shots=20_000, max_errors=100, max_seconds=2.0, verify_seconds=2.0
)
CAT = "repetition_cat"
BUFFERS = Swing("cat weight", {"cat_weights": QubitWeights(data=2, ancilla=2)}, {}, ("2", "1"), "")
BIAS = Swing("eta", {"eta": 10.0}, {"eta": 1000.0}, ("10", "1000"), "")
# A factor 4 in kappa_1/kappa_2 each way changes the cats' phase-flip rates about fourfold
# (and a distance-d rate ~ k^((d+1)/2)): far beyond the sampling noise of these budgets.
LOSS = Swing("k1/k2", {"k1_k2": 2.5e-4}, {"k1_k2": 4e-3}, ("2.5e-4", "4e-3"), "")
# Counting a cat as a tenth of a qubit multiplies the ratio (1.3 to 2 here) tenfold: past
# 5x, a verdict the default does not reach.
TENTH = Swing("tenth", {"cat_weights": QubitWeights(data=0.1, ancilla=0.1)}, {}, ("0.1", "1"), "")


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    solved = []

    def progress(message: str) -> None:
        if ": " in message and message.split(": ")[1].startswith("transmon p"):
            solved.append((message.split(": ")[0], message.rsplit("(", 1)[1].rstrip(")")))

    points = tmp_path_factory.mktemp("sensitivity") / "points.csv"
    found = sensitivity(
        ASSUMPTIONS,
        swings=(BUFFERS, BIAS, LOSS, TENTH),
        designs=(CAT,),
        targets=TARGETS,
        budget=BUDGET,
        save=points,
        progress=progress,
    )
    return found, solved


def test_a_swing_solves_again_only_the_designs_it_changes(result):
    found, solved = result
    # default: both, checked; buffers: the cat's qubit count; eta: neither; k1/k2 and the
    # tenth: the cat. With a budget given, an end is solved as the default is: checking it
    # again solves nothing new.
    assert (
        solved == [("surface (depolarizing)", "checked"), (CAT, "checked")] + [(CAT, "quick")] * 4
    )
    low, _ = found.ends[0]
    baseline = [r for r in low.rows if r.design == "surface (depolarizing)"]
    assert baseline == [r for r in found.default.rows if r.design == "surface (depolarizing)"]


def test_only_an_end_that_moves_a_verdict_or_nears_a_factor_is_marked_checked(result):
    found, _ = result
    assert found.checked[3][0]  # the tenth: 5x reached
    cheap, _ = found.ends[3]
    assert any(found.verdicts(cheap)[CAT, t, 5.0] == "yes" for t in TARGETS)
    assert all(found.verdicts(found.default)[CAT, t, 5.0] == "no" for t in TARGETS)
    default = found.verdicts(found.default)
    for tables, marks in zip(found.ends, found.checked, strict=True):
        for table, checked in zip(tables, marks, strict=True):
            if not checked:
                assert found.verdicts(table) == default
                assert not found.near_a_factor(table)


def test_counting_each_cats_buffer_halves_the_ratio_exactly(result):
    found, _ = result
    with_buffers, _ = found.ends[0]
    for target in TARGETS:
        default = found.ratio(found.default, CAT, target)
        halved = found.ratio(with_buffers, CAT, target)
        assert default is not None and halved is not None
        assert default.interval is not None and halved.interval is not None
        assert halved.interval.value == pytest.approx(default.interval.value / 2)
        assert halved.interval.low == pytest.approx(default.interval.low / 2)


def test_lossier_cats_never_need_fewer_qubits(result):
    found, _ = result
    better, worse = found.ends[2]
    for target in TARGETS:
        counts = [
            row.qubit_interval.value
            for table in (better, found.default, worse)
            if (row := table.row(CAT, target)) is not None and row.met and row.qubit_interval
        ]
        assert counts == sorted(counts)
        assert len(counts) >= 2


def test_the_csv_has_a_row_per_end_design_and_target_and_the_figure_draws(result, tmp_path):
    found, _ = result
    rows = found.csv_rows()
    assert len(rows) == (1 + 2 * 4) * len(TARGETS)
    tenth = [r for r in rows if r["assumption"] == "tenth"]
    assert [r["checked"] for r in tenth if r["end"] == "low"] == ["yes", "yes"]
    assert set(rows[0]) == set(SENSITIVITY_COLUMNS)
    path = tmp_path / "s.csv"
    with open(path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=SENSITIVITY_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    assert found.to_json()["swings"][2]["high"]["assumptions"]["k1_k2"] == 4e-3
    report = claim_report(found.default, found)
    ends = [line for line in report.splitlines() if line.startswith("| k1/k2 |")]
    assert len(ends) == 2 * len(TARGETS)  # one line per end and target
    tenth = [line for line in report.splitlines() if line.startswith("| tenth | 0.1 |")]
    assert all("| checked |" in line for line in tenth) and len(tenth) == len(TARGETS)
    assert "- Whole interval at or above 10x:" in report
    figure = sensitivity_figure(found)
    figure.savefig(tmp_path / "tornado.png")
    assert len(figure.axes) == len(TARGETS)


def test_a_swing_naming_an_unknown_field_or_end_is_refused():
    with pytest.raises(QecError, match="swing field"):
        Swing("x", {"no_such": 1}, {}, ("a", "b"), "").at(Assumptions(), "low")
    with pytest.raises(QecError, match="end"):
        LOSS.at(Assumptions(), "middle")
    with pytest.raises(QecError, match="design"):
        sensitivity(designs=("no_such_design",), swings=())


def test_a_committed_sensitivity_reads_back_with_every_ratio():
    path = pathlib.Path(__file__).parents[2] / "results" / "sensitivity.json"
    written = json.loads(path.read_text())
    again = Sensitivity.from_json(written).to_json()
    assert [s["name"] for s in again["swings"]] == [s["name"] for s in written["swings"]]
    assert again["default"]["ratios"] == written["default"]["ratios"]
    for mine, theirs in zip(again["swings"], written["swings"], strict=True):
        assert (mine["low"]["ratios"], mine["high"]["ratios"]) == (
            theirs["low"]["ratios"],
            theirs["high"]["ratios"],
        )


def test_without_a_budget_quick_ends_are_capped_and_moving_ends_get_the_plan(monkeypatch):
    # A stand-in solver: the surface code needs 450 qubits, the cat design 200 times its
    # weight: a ratio of 2.25 at the default, 2.8 at 0.8 (far from 5x), 3.46 at 0.65
    # (within 1.5x of it), 22.5 at a tenth.
    budgets: list[tuple[str, float, float, float]] = []
    decoders: list[str] = []

    def footprint(design, targets, *, budget, save, progress):
        budgets.append(
            (design.label, design.weights.data, budget.max_seconds, budget.verify_seconds)
        )
        decoders.append(budget.decoder)
        qubits = 450.0 if design.name == "surface" else 200.0 * design.weights.data
        interval = Interval(qubits, qubits, qubits)
        return [
            FootprintRow(
                design=design.label,
                noise="n",
                target=t,
                qubit_rule="r",
                status="met",
                qubits=qubits,
                qubit_interval=interval,
                method="fit",
            )
            for t in targets
        ]

    monkeypatch.setattr(sensitivity_module, "footprint", footprint)
    far = Swing("far", {"cat_weights": QubitWeights(data=0.8, ancilla=0.8)}, {}, ("0.8", "1"), "")
    near = Swing("near", {}, {"cat_weights": QubitWeights(0.65, 0.65)}, ("1", "0.65"), "")
    # The decoder is the budget's, not the design's: its end solves the surface code again.
    matching = Swing("decoder", {}, {"decoder": "pymatching-correlated"}, ("PM", "corr."), "")
    found = sensitivity(swings=(far, near, TENTH, matching), designs=(CAT,), targets=(1e-6,))
    assert found.checked == ((False, False), (False, True), (True, False), (False, False))
    plan = (BUDGET_OF_PLAN.max_seconds, BUDGET_OF_PLAN.verify_seconds)
    quick = (sensitivity_module.SECONDS_PER_POINT,) * 2
    assert [(label, data, (s, v)) for label, data, s, v in budgets] == [
        ("surface (depolarizing)", 1.0, plan),
        (CAT, 1.0, plan),
        (CAT, 0.8, quick),
        (CAT, 0.65, quick),
        (CAT, 0.65, plan),
        (CAT, 0.1, quick),
        (CAT, 0.1, plan),
        ("surface (depolarizing)", 1.0, quick),
    ]
    assert decoders[-1] == "pymatching-correlated"
