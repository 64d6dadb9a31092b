"""The sentences the reasons render: the one place where the wording is checked, since
there the wording is the feature (it is what the tables, the CSV and JSON notes and the
HTML report print). Everywhere else, tests read the reasons' fields."""

from __future__ import annotations

from qec.analysis.fit_summary import FitSummary
from qec.intervals import Interval
from qec.overhead.reasons import (
    Disagreement,
    FitsTooLow,
    MeasuredAboveFit,
    Moved,
    NotChecked,
    NotMeasured,
    NotReached,
    Unchecked,
)
from qec.overhead.rows import ComponentRate
from qec.overhead.verification import Check, Finding, NotVerified, Unverified, Verified, Where


def check(step: int, low: float, high: float) -> Check:
    part = ComponentRate("memory X", Interval((low + high) / 2, low, high), "splitting")
    d = 2 * step + 3
    return Check(step=step, size=f"d={d}", qubits=2.0 * d * d - 1, parts=(part,))


def test_a_pick_not_checked_says_why_no_check_ran():
    assert str(NotChecked(Unchecked.NO_TIME)) == (
        "Not verified: no checks by splitting (verify_seconds = 0)."
    )
    assert str(NotChecked(Unchecked.OTHER_DECODER, "pymatching-correlated")) == (
        "Not verified: no checks by splitting (the solver's checks decode with PyMatching, these "
        "points with pymatching-correlated)."
    )


def test_a_verified_pick_names_each_check_and_what_the_fit_gave():
    findings = (
        Finding(Where.AT_THE_PICK, check(5, 2e-9, 6e-9), True),
        Finding(Where.ONE_SIZE_DOWN, check(4, 2e-8, 5e-8), False),
    )
    verified = Verified(findings, Interval(5e-9, 2.5e-9, 1e-8), "d=13", 337.0)
    assert str(verified) == (
        "Verified by splitting: at the pick, d=13 (337 qubits): 4e-09 [2e-09, 6e-09] per "
        "round (splitting), meets the target; one size down, d=11 (241 qubits): 3.5e-08 "
        "[2e-08, 5e-08] per round (splitting), misses it; the fit gave 5e-09 [2.5e-09, "
        "1e-08] per round at d=13 (337 qubits)."
    )


def test_an_unverified_pick_says_why_and_what_each_check_found():
    missing = NotMeasured("memory X", "no unit finished")
    findings = (
        Finding(Where.AT_THE_PICK, Check(5, "d=13", 337.0, missing=missing), None),
        Finding(Where.ONE_SIZE_UP, check(6, 5e-9, 2e-8), None),
    )
    assert str(NotVerified(Unverified.UNMEASURED, findings)) == (
        "Not verified (the pick could not be measured): at the pick, d=13 (337 qubits): "
        "not measured (memory X: no unit finished); one size up, d=15 (449 qubits): "
        "1.25e-08 [5e-09, 2e-08] per round (splitting), cannot tell."
    )
    assert str(NotVerified(Unverified.REFUTED, findings[1:])).startswith(
        "Not verified (the pick misses the target when measured): one size up"
    )
    assert str(NotVerified(Unverified.STRADDLES, ())).startswith(
        "Not verified (the measured interval straddles the target): "
    )


def test_a_moved_footprint_says_which_way():
    assert str(Moved(smaller=True)) == "The footprint moved to a smaller size than the fit's pick."
    assert str(Moved(smaller=False)) == "The footprint moved to a larger size than the fit's pick."


def test_a_disagreement_gives_the_side_and_the_factor():
    assert str(Disagreement(fitted=5e-9, measured=Interval(1.5e-9, 1e-9, 2e-9))) == (
        "The measurement and the extrapolation disagree: the fit's 5e-09 lies above the "
        "measured interval (3.3x the measured rate)."
    )


def test_fits_too_low_name_each_candidate_measured_above_them():
    found = (
        MeasuredAboveFit("nbar=8", "d=23", Interval(6.11e-6, 5.41e-6, 6.94e-6), 5.2e-6),
        MeasuredAboveFit("d", "d=35", Interval(1.2e-6, 8.8e-7, 1.6e-6), 6.13e-7),
    )
    assert str(FitsTooLow(found)) == (
        "The fits underestimate the rate where this design was measured beyond them "
        "(nbar=8 d=23: measured 6.11e-06 [5.41e-06, 6.94e-06], from the fits 5.2e-06 "
        "(1.2x); d=35: measured 1.2e-06 [8.8e-07, 1.6e-06], from the fits 6.13e-07 (2x)), "
        "so this pick may need more qubits: its interval is left open above."
    )


def test_a_row_not_reached_names_the_largest_distance_and_sums_up_the_fits():
    fits = (
        FitSummary("d", "memory X", distances=(3, 5), Lambda=Interval(0.745, 0.6, 0.9)),
        FitSummary("d", "memory Z", problem="failures seen at 1 distance"),
    )
    assert str(NotReached(151, fits)) == (
        "no candidate up to distance 151 reaches the target under these assumptions (or its "
        "rates could not be measured or fitted). Fits: memory X: fitted Lambda 0.745; "
        "memory Z: no fit in 1 families (failures seen at < 2 distances)."
    )
