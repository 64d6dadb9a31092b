"""The status rule and the JSON round trip of footprint rows."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from qec.intervals import Interval, wilson
from qec.overhead import (
    MET,
    NOT_REACHED,
    UNRESOLVED,
    ComponentRate,
    FitSummary,
    FootprintRow,
    FootprintTable,
    status_of,
)
from qec.overhead.rows import AboveTarget, Looseness, LoosePart, Recorded

TARGET = 1e-6


def sampled(errors: int, shots: int, method: str = "monte_carlo") -> ComponentRate:
    return ComponentRate("part", wilson(errors=errors, shots=shots), method, shots, errors)


def test_a_candidate_meets_the_target_when_the_upper_end_of_its_total_does():
    # 3 failures in 1e7 shots: 3e-7 [1.0e-7, 8.8e-7] meets 1e-6 at its upper end.
    assert status_of([sampled(3, 10**7)], TARGET)[0] == MET
    # 8 in 1e7: the point 8e-7 meets 1e-6, the upper end 1.6e-6 does not: the budget
    # cannot tell.
    status, why = status_of([sampled(8, 10**7)], TARGET)
    assert status == UNRESOLVED and why == AboveTarget(wilson(errors=8, shots=10**7))
    assert why.total.high == pytest.approx(1.6e-6, rel=0.05) and why.loose == ()


def test_a_failure_free_component_counts_at_its_upper_bound_like_any_other():
    # 0 in 1e5: the Wilson upper bound is ~3.8e-5 > 1e-6, so the budget cannot tell.
    status, why = status_of([sampled(0, 10**5)], TARGET)
    assert status == UNRESOLVED and why is not None
    assert why.loose == (LoosePart(sampled(0, 10**5), Looseness.NO_FAILURES),)
    # 0 in 1e8 (upper end ~3.8e-8) added to 2 in 1e7 (upper end 7.3e-7): met.
    assert status_of([sampled(0, 10**8), sampled(2, 10**7)], TARGET)[0] == MET
    # Added to 5 in 1e7 (upper end 1.17e-6): not, though both point estimates meet it.
    assert status_of([sampled(0, 10**8), sampled(5, 10**7)], TARGET)[0] == UNRESOLVED


def test_extrapolated_and_first_order_parts_count_at_their_upper_end_too():
    bits = ComponentRate("bits", Interval.exact(1e-8), "first_order")
    narrow = ComponentRate("fit", Interval(5e-7, 1e-7, 9e-7), "extrapolated")
    wide = ComponentRate("fit", Interval(5e-7, 1e-7, 3e-6), "extrapolated")
    assert status_of([narrow, bits], TARGET) == (MET, None)
    assert status_of([wide, bits], TARGET)[0] == UNRESOLVED
    unbounded = ComponentRate("fit", Interval(5e-7, 1e-9, 0.5), "extrapolated")
    status, why = status_of([unbounded], TARGET)
    assert status == UNRESOLVED and why is not None
    assert why.loose == (LoosePart(unbounded, Looseness.REACHES_HALF),)


def test_an_unresolved_pick_says_in_words_what_holds_its_total_up():
    """The wording is the feature here: this sentence is what the tables print."""
    blind = sampled(0, 10**5, "stratified")
    unbounded = ComponentRate("fit", Interval(5e-7, 1e-9, 0.5), "extrapolated")
    _, why = status_of([blind, unbounded], TARGET)
    assert str(why) == (
        "the 95% upper end of its total, 0.5 per round, exceeds the target (point estimate "
        "5e-07): it rests on part = 0 [0, 3.84e-05] (no failures in 100,000 fault sets), "
        "fit = 5e-07 [1e-09, 0.5] (extrapolated), whose 95% interval reaches 1/2; this "
        "budget cannot tell whether it meets it"
    )


def test_rows_and_tables_survive_json():
    fit = FitSummary(
        family="d",
        component="part",
        model="p(d)",
        distances=(3, 5, 7),
        Lambda=Interval(4.0, 3.0, 5.0),
        A=Interval(0.1, 0.05, 0.2),
    )
    no_fit = FitSummary(family="d", component="other", problem="one distance")
    rows = (
        FootprintRow(
            design="s",
            noise="n",
            target=TARGET,
            qubit_rule="r",
            status=UNRESOLVED,
            params={"distance": 5, "dx": 5, "dz": 5},
            qubits=49.0,
            per_round=Interval(3e-7, 0.0, 4e-5),
            method="monte_carlo",
            components=(sampled(0, 10**5),),
            fits=(fit, no_fit),
            reasons=(Recorded("rests on"),),
        ),
        FootprintRow(
            design="s",
            noise="n",
            target=1e-9,
            qubit_rule="r",
            status=NOT_REACHED,
            reasons=(Recorded("none"),),
        ),
    )
    table = FootprintTable(rows=rows)
    assert FootprintTable.from_json(json.loads(json.dumps(table.to_json()))) == table
    assert '"qubits": 49,' in json.dumps(rows[0].to_json())  # a count, not 49.0
    counted = dataclasses.replace(rows[0], qubit_interval=Interval(49.0, 17.0, math.inf))
    assert json.dumps(counted.to_json()["qubits_95"]) == '{"value": 49, "low": 17, "high": null}'
    assert FootprintRow.from_json(json.loads(json.dumps(counted.to_json()))) == counted
    weighted = dataclasses.replace(rows[0], qubits=73.5)  # data=1.5 weights
    assert json.loads(json.dumps(weighted.to_json()))["qubits"] == 73.5


def test_a_rows_reasons_are_written_as_their_sentences_and_read_back_as_recorded():
    _, why = status_of([sampled(0, 10**5)], TARGET)
    assert why is not None
    row = FootprintRow(
        design="s", noise="n", target=TARGET, qubit_rule="r", status=UNRESOLVED, reasons=(why,)
    )
    item = json.loads(json.dumps(row.to_json()))
    assert item["note"] == str(why)
    assert FootprintRow.from_json(item).reasons == (Recorded(str(why)),)
    assert FootprintRow.from_json(item).to_json() == row.to_json()


def test_only_met_rows_claim_a_qubit_count_in_tables_and_ratios():
    rate = Interval(3e-7, 1e-7, 6e-7)
    common = dict(
        noise="n",
        target=TARGET,
        qubit_rule="r",
        params={"distance": 5},
        qubits=49.0,
        qubit_interval=Interval(49.0, 25.0, 49.0),
        per_round=rate,
        method="monte_carlo",
    )
    met = FootprintRow(design="a", status=MET, **common)
    unresolved = FootprintRow(
        design="b", status=UNRESOLVED, reasons=(Recorded("rests on x"),), **common
    )
    table = FootprintTable(rows=(met, unresolved))
    csv = {r["design"]: r for r in table.csv_rows()}
    assert csv["a"]["qubits"] == "49" and csv["b"]["qubits"] == ""
    assert "the solver's pick, d=5 (49 qubits), rests on x" in table.detailed()


def test_a_row_refuses_an_unknown_status():
    with pytest.raises(ValueError, match="status"):
        FootprintRow(design="a", noise="n", target=TARGET, qubit_rule="r", status="ok")
