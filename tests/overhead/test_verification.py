"""Picks beyond the simulated range, checked by splitting: the rule on made-up
measurements, and the solver's verified row against direct simulation."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
import sinter

from qec import Cat, Depolarizing
from qec.experiment import MemoryExperiment
from qec.intervals import Interval, wilson
from qec.overhead import Budget, ComponentRate, Design, FootprintRow, footprint
from qec.overhead.reasons import (
    Disagreement,
    FitsTooLow,
    MeasuredAboveFit,
    Moved,
    NotChecked,
    NotMeasured,
    Unchecked,
)
from qec.overhead.rows import (
    EXTRAPOLATED,
    MEASURED,
    MET,
    NOT_REACHED,
    UNRESOLVED,
    VERIFIED,
    Reason,
)
from qec.overhead.verification import (
    Check,
    Finding,
    NotVerified,
    Unverified,
    Verified,
    Where,
    verify,
)
from qec.sampling import count_logical_errors
from qec.sampling.method import NoUnitFinished
from qec.sampling.splitting.unit_rows import is_unfinished

TARGET = 1e-8
PICK = 5  # d = 13


def extrapolated_row(value: float = 5e-9) -> FootprintRow:
    return FootprintRow(
        design="surface",
        noise="depolarizing:p=0.001",
        target=TARGET,
        qubit_rule="qubits = 1 x data + 1 x ancilla",
        status=MET,
        params={"distance": 2 * PICK + 3},
        qubits=337.0,
        qubit_interval=Interval(241.0, 161.0, 337.0),  # d = 11 [9, 13] from the fits
        per_round=Interval(value, value / 2, value * 2),
        method="extrapolated",
    )


def measured(step: int, low: float, high: float) -> Check:
    rate = ComponentRate("memory X", Interval((low + high) / 2, low, high), "splitting")
    d = 2 * step + 3
    return Check(step=step, size=f"d={d}", qubits=2.0 * d * d - 1, parts=(rate,))


def run(
    row: FootprintRow, checks: dict[int, Check], caution: FitsTooLow | None = None
) -> tuple[FootprintRow, list[int]]:
    asked: list[int] = []

    def check(k: int) -> Check:
        asked.append(k)
        return checks[k]

    def row_at(found: Check, reasons: tuple[Reason, ...]) -> FootprintRow:
        return dataclasses.replace(
            row,
            params={"distance": 2 * found.step + 3},
            qubits=found.qubits,
            evidence=VERIFIED,
            reasons=reasons,
        )

    found = verify(
        row, step=PICK, last_step=70, check=check, row_at=row_at, caution=lambda: caution
    )
    return found, asked


def verdicts(reason: Reason) -> list[tuple[Where, str, bool | None]]:
    """Where each check of a verdict measured, which size, and what it found."""
    assert isinstance(reason, (Verified, NotVerified))
    return [(f.where, f.check.size, f.meets) for f in reason.findings]


def test_a_pick_whose_measured_interval_meets_the_target_is_verified_and_the_next_smaller_checked():
    row, asked = run(extrapolated_row(), {5: measured(5, 2e-9, 6e-9), 4: measured(4, 2e-8, 5e-8)})
    assert row.evidence == VERIFIED and row.params["distance"] == 13
    assert asked == [5, 4]
    assert isinstance(row.reasons[0], Verified) and len(row.reasons) == 1
    assert verdicts(row.reasons[0]) == [
        (Where.AT_THE_PICK, "d=13", True),
        (Where.ONE_SIZE_DOWN, "d=11", False),
    ]
    # d = 11 measured above the target: the fits' smaller counts are ruled out.
    assert row.qubit_interval == Interval(337.0, 337.0, 337.0)


def test_a_smaller_size_whose_measurement_straddles_the_target_keeps_the_fits_lower_counts():
    row, _ = run(extrapolated_row(), {5: measured(5, 2e-9, 6e-9), 4: measured(4, 5e-9, 3e-8)})
    assert row.evidence == VERIFIED and row.qubit_interval == Interval(241.0, 161.0, 337.0)


def test_the_footprint_moves_down_while_smaller_candidates_meet_the_target_when_measured():
    checks = {5: measured(5, 1e-9, 2e-9), 4: measured(4, 3e-9, 8e-9), 3: measured(3, 5e-9, 2e-8)}
    row, asked = run(extrapolated_row(), checks)
    assert row.evidence == VERIFIED and row.params["distance"] == 11
    assert row.qubit_interval == Interval(241.0, 161.0, 241.0)  # d = 9 straddles it
    assert asked == [5, 4, 3]
    assert Moved(smaller=True) in row.reasons


def test_a_pick_that_misses_the_target_when_measured_moves_up_one_size_if_that_one_meets_it():
    checks = {5: measured(5, 2e-8, 4e-8), 6: measured(6, 2e-9, 5e-9)}
    row, asked = run(extrapolated_row(), checks)
    assert row.evidence == VERIFIED and row.params["distance"] == 15
    assert row.qubit_interval == Interval(449.0, 449.0, 449.0)
    assert asked == [5, 6]
    assert Moved(smaller=False) in row.reasons
    # the fit's 5e-9 lies below [2e-8, 4e-8]
    assert Disagreement(fitted=5e-9, measured=checks[5].total) in row.reasons


def test_a_pick_refuted_by_measurement_claims_no_count_and_leaves_the_interval_open_above():
    checks = {5: measured(5, 2e-8, 4e-8), 6: measured(6, 5e-9, 2e-8)}
    row, _ = run(extrapolated_row(), checks)
    assert row.evidence == EXTRAPOLATED and row.params["distance"] == 13
    assert row.status == UNRESOLVED and not row.met
    assert row.qubit_interval == Interval(449.0, 449.0, math.inf)  # at least d = 15
    assert isinstance(row.reasons[0], NotVerified)
    assert row.reasons[0].why is Unverified.REFUTED
    assert Disagreement(fitted=5e-9, measured=checks[5].total) in row.reasons


def test_an_interval_straddling_the_target_leaves_the_row_extrapolated_without_disagreement():
    row, asked = run(extrapolated_row(), {5: measured(5, 3e-9, 2e-8), 4: measured(4, 2e-8, 6e-8)})
    assert row.evidence == EXTRAPOLATED and len(row.reasons) == 1  # no disagreement
    assert isinstance(row.reasons[0], NotVerified)
    assert row.reasons[0].why is Unverified.STRADDLES
    assert asked == [5, 4]


def test_an_unverified_pick_whose_fits_measured_too_low_elsewhere_is_left_open_above():
    too_low = FitsTooLow((MeasuredAboveFit("d", "d=11", Interval(2e-8, 1e-8, 3e-8), 5e-9),))
    checks = {5: measured(5, 3e-9, 2e-8), 4: measured(4, 5e-9, 3e-8)}  # both straddle
    row, _ = run(extrapolated_row(), checks, caution=too_low)
    assert row.evidence == EXTRAPOLATED and row.status == MET
    assert row.reasons[-1] == too_low
    assert row.qubit_interval == Interval(241.0, 161.0, math.inf)
    verified, _ = run(extrapolated_row(), {5: measured(5, 1e-9, 5e-9), 4: checks[4]}, too_low)
    assert verified.evidence == VERIFIED and too_low not in verified.reasons


def test_a_pick_that_could_not_be_measured_says_why():
    missing = NotMeasured("memory X", "no unit finished")
    unmeasured = Check(step=5, size="d=13", qubits=337.0, missing=missing)
    row, _ = run(extrapolated_row(), {5: unmeasured, 4: measured(4, 2e-8, 6e-8)})
    assert row.evidence == EXTRAPOLATED
    [why] = row.reasons
    assert isinstance(why, NotVerified) and why.why is Unverified.UNMEASURED
    assert why.findings[0] == Finding(Where.AT_THE_PICK, unmeasured, None)


def test_measured_rows_and_unreached_rows_are_not_checked():
    row = dataclasses.replace(extrapolated_row(), method="monte_carlo+stratified")
    checked, asked = run(row, {})
    assert checked.evidence == MEASURED and asked == []
    nothing = dataclasses.replace(extrapolated_row(), status=NOT_REACHED, method="")
    assert run(nothing, {})[0] == nothing


def test_without_checks_an_extrapolated_row_says_it_was_not_verified():
    unchecked = NotChecked(Unchecked.NO_TIME)
    row = verify(
        extrapolated_row(), step=PICK, last_step=70, check=unchecked, row_at=lambda c, r: ...
    )
    assert row.evidence == EXTRAPOLATED and row.reasons == (unchecked,)


@pytest.mark.slow
def test_a_verified_footprint_agrees_with_direct_simulation_at_the_verified_size():
    # d = 3, 5 are simulated at p = 3e-3; the target needs d >= 7, beyond the fit's
    # points, so the pick is checked by splitting. The verified rate must agree with
    # direct sampling of the same candidate: within the union of the two 95% intervals,
    # widened by 1.3 for the splitting interval's own error (false failure < 1%: both
    # intervals would have to miss).
    design = Design(name="surface", noise=Depolarizing(p=3e-3))
    budget = Budget(
        measured_steps=2, max_shots=200_000, max_errors=300, max_seconds=10, verify_seconds=30
    )
    row = footprint(design, [3e-4], budget=budget)[0]
    assert row.evidence == VERIFIED, row.note
    assert "splitting" in row.method and row.per_round is not None
    d = row.params["distance"]
    assert d >= 7
    direct = []
    for basis, seed in (("X", 11), ("Z", 12)):
        experiment = MemoryExperiment(
            code=design.families()[0].at((d - 3) // 2).code,
            noise=design.noise,
            rounds=d,
            basis=basis,
        )
        errors = count_logical_errors(experiment.circuit(), shots=400_000, seed=seed)
        direct.append(wilson(errors=errors, shots=400_000).per_round(rounds=d))
    low = sum(r.low for r in direct)
    high = sum(r.high for r in direct)
    assert row.per_round.low / 1.3 <= high and low <= row.per_round.high * 1.3


@pytest.fixture(scope="module")
def checked_cat(tmp_path_factory: pytest.TempPathFactory) -> tuple[Design, Budget, Path]:
    """A repetition cat code sampled at d = 3, 5 only, whose 1e-3 pick (d ~ 11 by the
    fit of those two) is checked by splitting, saved in a fresh points file."""
    save = tmp_path_factory.mktemp("checked_cat") / "points.csv"
    design = Design(name="repetition_cat", noise=Cat(nbar=12, k1_k2=1e-3), nbars=(12.0,))
    budget = Budget(
        measured_steps=2, max_shots=100_000, max_errors=200, max_seconds=5, verify_seconds=15
    )
    return design, budget, save


def splitting_units(save: Path) -> int:
    rows = sinter.read_stats_from_csv_files(save)
    return sum("splitting" in r.json_metadata for r in rows)


def test_checks_by_splitting_enter_the_fit_and_the_pick_is_measured_to_meet_the_target(
    checked_cat,
):
    # The checks measure beyond the sampled d = 3, 5; the solver refits to them and
    # walks again until the pick it checks is the pick of the fit of every measurement.
    design, budget, save = checked_cat
    row = footprint(design, [1e-3], budget=budget, save=save)[0]
    fitted = row.fits[0].distances
    where, size, meets = verdicts(row.reasons[0])[0]
    assert {3, 5} < set(fitted) and max(fitted) >= 11
    assert (where, meets) == (Where.AT_THE_PICK, True) and size == f"d={row.params['distance']}"
    assert row.evidence == VERIFIED and row.per_round.high <= 1e-3


def test_a_rerun_reads_its_checks_back_from_the_save_file_instead_of_running_them_again(
    checked_cat,
):
    # The units saved by the first run took the checks' time, so the rerun adds none
    # and says the same.
    design, budget, save = checked_cat
    first = footprint(design, [1e-3], budget=budget, save=save)[0]
    saved = splitting_units(save)
    assert saved > 0 and verdicts(first.reasons[0])[0][0] == Where.AT_THE_PICK
    again = footprint(design, [1e-3], budget=budget, save=save)[0]
    assert splitting_units(save) == saved
    assert again == first


def test_a_check_in_which_no_unit_finished_is_recorded_and_not_run_again(tmp_path):
    # The repetition cat code's d = 11 pick for 1e-3 (as above), checked for a twentieth
    # of a second: no splitting unit finishes. The first run records the time spent; the
    # rerun counts that time instead of spending it again (it had re-spent it every time).
    save = tmp_path / "points.csv"
    design = Design(name="repetition_cat", noise=Cat(nbar=12, k1_k2=1e-3), nbars=(12.0,))
    budget = Budget(
        measured_steps=2, max_shots=100_000, max_errors=200, max_seconds=5, verify_seconds=0.05
    )

    def unfinished() -> list[float]:
        rows = sinter.read_stats_from_csv_files(save)
        return sorted(r.seconds for r in rows if is_unfinished(r))

    first = footprint(design, [1e-3], budget=budget, save=save)[0]
    recorded = unfinished()
    assert recorded and unmeasured(first) is not None
    cause = unmeasured(first).cause
    assert isinstance(cause, NoUnitFinished) and cause.max_seconds == budget.verify_seconds
    again = footprint(design, [1e-3], budget=budget, save=save)[0]
    assert unfinished() == recorded
    assert again.evidence == first.evidence == EXTRAPOLATED
    cause = unmeasured(again).cause
    assert isinstance(cause, NoUnitFinished) and cause.saved_time_counted


def unmeasured(row: FootprintRow) -> NotMeasured | None:
    """Why the check at the pick could not measure it, if it could not."""
    why = row.reasons[0]
    assert isinstance(why, NotVerified) and why.why is Unverified.UNMEASURED
    return why.findings[0].check.missing
