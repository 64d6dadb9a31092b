"""The footprint solver against direct simulation and against its own fits."""

from __future__ import annotations

import math

import pytest
import sinter

from qec import Cat, Depolarizing, RotatedSurfaceCode
from qec.analysis import FitPoint, fit_lambda
from qec.experiment import MemoryExperiment
from qec.intervals import Interval, wilson
from qec.overhead import Budget, ComponentRate, Design, footprint
from qec.overhead.family import FamilyModel
from qec.overhead.reasons import NotChecked, Unchecked
from qec.overhead.verification import Check
from qec.sampling import count_logical_errors, estimate

# No checks by splitting: these tests look at the fits (test_verification checks them).
FAST = Budget(
    measured_steps=2, max_shots=200_000, max_errors=300, max_seconds=10, verify_seconds=0.0
)


def test_surface_baseline_extrapolation_agrees_with_direct_simulation_beyond_the_fit():
    # Fit d = 3, 5 at p = 3e-3 and ask for a target one step beyond the fit, then simulate
    # that step. Direct runs give about 4.7e-3, 1.5e-3 and 4.1e-4 per round at d = 3, 5, 7.
    # The d = 3, 5 line predicts about 4.8e-4 at d = 7, with a 95% upper end near 6.2e-4
    # (300 errors a point: ~6% in each log rate, ~13% at d = 7 after two steps). The pick
    # must meet the target at that upper end (`status_of`), so 1e-3 needs exactly d = 7
    # with a margin of more than 3 sigma either way (d = 5's own upper end is ~1.6e-3).
    # (At p = 5e-3, near threshold, the pick would lie five steps out, where Lambda has
    # visibly fallen below the d = 3, 5 value and no fit interval covers the model's
    # error: that is what the checks by splitting are for.)
    design = Design(name="surface", noise=Depolarizing(p=3e-3))
    rows = footprint(design, [1e-3], budget=FAST)
    row = rows[0]
    assert row.met and row.method == "extrapolated" and row.params["distance"] == 7
    d = row.params["distance"]
    total = 0.0
    shots = 100_000
    for basis, seed in (("X", 1), ("Z", 2)):
        experiment = MemoryExperiment(
            code=design.families()[0].at((d - 3) // 2).code,
            noise=design.noise,
            rounds=d,
            basis=basis,
        )
        errors = count_logical_errors(experiment.circuit(), shots=shots, seed=seed)
        total += wilson(errors=errors, shots=shots).per_round(rounds=d).value
    # The fit's 95% interval, widened by 30% for the model's own error (d = 3 is not yet
    # in the exponential regime), must contain the directly simulated rate.
    assert row.per_round.low / 1.3 <= total <= row.per_round.high * 1.3


def test_projected_distance_follows_the_two_point_fit_through_the_saved_counts(tmp_path):
    # With two measured distances the maximum-likelihood line goes through both points,
    # so Lambda = p(3) / p(5) and A = p(3) Lambda^2 per component, computed here from the
    # counts in the saved CSV without the package's fit. The solver must report the
    # summed components of that line at its pick.
    design = Design(name="surface", noise=Depolarizing(p=5e-3))
    target = 1e-6
    save = tmp_path / "points.csv"
    row = footprint(design, [target], budget=FAST, save=save)[0]
    assert row.met and row.method == "extrapolated"
    counts: dict[tuple[str, int], sinter.AnonTaskStats] = {}
    for stats in sinter.read_stats_from_csv_files(save):
        m = stats.json_metadata
        assert "stratum" not in m  # direct sampling: plenty of errors at p = 5e-3
        key = (m["basis"], m["distance"])
        counts[key] = counts.get(key, sinter.AnonTaskStats()) + stats.to_anon_stats()
    rates = {
        (basis, d): float(sinter.shot_error_rate_to_piece_error_rate(c.errors / c.shots, pieces=d))
        for (basis, d), c in counts.items()
    }
    fits = {}
    for basis in ("X", "Z"):
        lam = rates[(basis, 3)] / rates[(basis, 5)]
        fits[basis] = (rates[(basis, 3)] * lam**2, lam)

    def total(d: int) -> float:
        return sum(a * lam ** (-(d + 1) / 2) for a, lam in fits.values())

    # The pick meets the target at the upper end of its total (the rule, `status_of`):
    # at or beyond the distance where the fitted line alone crosses it, and the first
    # such (one size smaller, the components' upper ends from the package's own profile
    # intervals, tests/analysis/test_fit.py, add up above the target).
    crossing = next(d for d in range(3, 200, 2) if total(d) <= target)
    picked = row.params["distance"]
    assert picked >= crossing
    assert row.per_round.value == pytest.approx(total(picked), rel=1e-4)
    assert row.per_round.high <= target
    smaller = sum(
        fit_lambda(
            FitPoint(distance=d, shots=c.shots, errors=c.errors, rounds=d)
            for (basis, d), c in counts.items()
            if basis == b
        )
        .predict_interval(picked - 2)
        .high
        for b in ("X", "Z")
    )
    assert smaller > target
    lambdas = {f.component: f.Lambda.value for f in row.fits if f.Lambda is not None}
    # The qubit interval: the fewest qubits (2 d^2 - 1) whose point, lower end and upper
    # end of the total (components' ends added, from fits of the saved counts) meet the
    # target; its upper end is the met row's count.
    per_basis = [
        fit_lambda(
            FitPoint(distance=d, shots=c.shots, errors=c.errors, rounds=d)
            for (basis, d), c in counts.items()
            if basis == b
        )
        for b in ("X", "Z")
    ]

    def first(end: str) -> float:
        for d in range(3, 200, 2):
            ends = [getattr(f.predict_interval(d), end) for f in per_basis]
            if sum(ends) <= target:
                return 2 * d * d - 1
        raise AssertionError(end)

    qubits = row.qubit_interval
    assert qubits is not None and qubits.high == row.qubits == first("high")
    assert (qubits.low, qubits.value) == (first("low"), first("value"))
    assert qubits.low < qubits.value < qubits.high  # two steps beyond the fit: wide
    assert lambdas["memory X (Z errors)"] == pytest.approx(fits["X"][1], rel=1e-4)
    assert lambdas["memory Z (X errors)"] == pytest.approx(fits["Z"][1], rel=1e-4)


def test_cat_design_raises_nbar_as_the_target_falls_and_reports_both_parts():
    design = Design(
        name="repetition_cat", noise=Cat(nbar=8, k1_k2=1e-3), nbars=(4, 6, 8, 10, 12, 14)
    )
    rows = footprint(design, [1e-3, 1e-6, 1e-9], budget=FAST)
    assert all(r.met for r in rows)
    nbars = [r.params["nbar"] for r in rows]
    assert nbars == sorted(nbars) and nbars[-1] > nbars[0]
    for r in rows:
        labels = {c.label: c for c in r.components}
        assert set(labels) == {"phase flips (memory X)", "bit flips (memory Z)"}
        assert labels["bit flips (memory Z)"].method == "first_order"
        assert r.per_round.low <= r.per_round.value <= r.per_round.high
        assert math.isclose(r.per_round.value, sum(c.per_round.value for c in r.components))


def test_bad_targets_are_refused():
    from qec.errors import QecError

    with pytest.raises(QecError, match="target"):
        footprint(Design(name="surface", noise=Depolarizing(p=1e-3)), [0.7], budget=FAST)


def test_a_stratified_estimate_enters_the_fit_with_its_own_interval_not_as_counts():
    # Its fault sets are not shots: the point carries the estimate's per-round interval
    # (the likelihood then uses it, tests/analysis/test_likelihood.py).
    experiment = MemoryExperiment(
        code=RotatedSurfaceCode(distance=3), noise=Depolarizing(p=1e-3), rounds=3, basis="Z"
    )
    result = estimate(experiment, method="stratified", max_shots=20_000, seed=1, progress=False)
    point = FitPoint.of_estimate(result, 3)
    assert point is not None and not point.binomial
    assert point.rate == result.per_round and point.method == "stratified"
    counts = result.counts
    assert (point.shots, point.errors, point.rounds) == (counts.drawn, counts.failing, 3)


def test_points_decoded_by_another_decoder_are_sampled_directly_and_say_why_unchecked(tmp_path):
    points = tmp_path / "points.csv"
    budget = Budget(
        measured_steps=2, max_shots=20_000, max_errors=100, decoder="pymatching-correlated"
    )
    design = Design(name="surface", noise=Depolarizing(p=1e-3))
    (row,) = footprint(design, [1e-7], budget=budget, save=points)
    assert {s.decoder for s in sinter.read_stats_from_csv_files(points)} == {
        "pymatching-correlated"
    }
    assert row.evidence == "extrapolated"
    assert NotChecked(Unchecked.OTHER_DECODER, "pymatching-correlated") in row.reasons


def test_a_measured_part_without_failures_takes_its_fits_value_in_the_central_count(tmp_path):
    # 20,000 seeded shots per point at p = 1e-3: d = 3 and 5 see failures, d = 7 sees
    # none (per round ~2e-6 each, so ~0.3 failures were expected). A rate of 0 would
    # meet any target, so the central count would be d = 7's 97 qubits at 1e-9 (it
    # was). It must instead be where the fits of the saved counts (which include d = 7's
    # zeros) meet the target; the upper end is the met row's count, unchanged.
    points = tmp_path / "points.csv"
    budget = Budget(
        measured_steps=3,
        max_shots=20_000,
        max_errors=100,
        decoder="pymatching-correlated",
        verify_seconds=0.0,
    )
    design = Design(name="surface", noise=Depolarizing(p=1e-3))
    target = 1e-9
    (row,) = footprint(design, [target], budget=budget, save=points)
    counts: dict[tuple[str, int], sinter.AnonTaskStats] = {}
    for stats in sinter.read_stats_from_csv_files(points):
        key = (stats.json_metadata["basis"], stats.json_metadata["distance"])
        counts[key] = counts.get(key, sinter.AnonTaskStats()) + stats.to_anon_stats()
    assert [counts[(b, 7)].errors for b in "XZ"] == [0, 0]  # the case this test is about
    fits = [
        fit_lambda(
            FitPoint(distance=d, shots=c.shots, errors=c.errors, rounds=d)
            for (basis, d), c in counts.items()
            if basis == b
        )
        for b in "XZ"
    ]
    central = next(d for d in range(7, 200, 2) if sum(f.predict(d) for f in fits) <= target)
    assert central > 7
    assert row.qubit_interval is not None
    assert row.qubit_interval.value == 2 * central**2 - 1
    assert row.qubit_interval.value <= row.qubits == row.qubit_interval.high


def test_the_solver_names_checks_whose_measured_rates_lie_above_its_fits():
    family = Design(name="surface", noise=Depolarizing(p=1e-3)).families()[0]
    model = FamilyModel(family, Budget(measured_steps=0), None, lambda text: None)
    for component in family.at(0).components:  # Lambda = 10 from made-up counts
        points = [FitPoint(3, 100_000, 1_000, rounds=1), FitPoint(5, 100_000, 100, rounds=1)]
        model.fits[component.label] = fit_lambda(points)
    fitted = model.total(5, limit=math.inf)
    assert fitted is not None and fitted[1] is not None
    value = math.fsum(part.per_round.value for part in fitted[1])  # both parts, d = 13

    def checked(low: float, high: float) -> Check:
        rate = Interval((low + high) / 2, low, high)
        return Check(5, "d=13", 337.0, (ComponentRate("memory X+Z", rate, "splitting"),))

    model._checks[5] = checked(value / 2, value * 2)  # the fits' value inside: agreement
    assert model.measured_above_fits() == []
    model._checks[5] = checked(value * 2, value * 5)
    [found] = model.measured_above_fits()
    assert (found.family, found.size, found.fitted) == ("d", "d=13", value)
    assert found.measured == model._checks[5].total and found.factor == pytest.approx(3.5)
    assert model.measured_above_fits(besides=5) == []  # the pick's own check: said elsewhere


def test_a_target_per_second_is_the_target_per_round_times_the_round(tmp_path):
    # A rate per second r over rounds of t seconds is r * t per round: the same pick.
    save = tmp_path / "points.csv"
    design = Design(name="surface", noise=Depolarizing(p=3e-3))
    (per_second,) = footprint(design, [400.0], budget=FAST, save=save, per="second")
    (per_round,) = footprint(design, [400.0 * 1.1e-6], budget=FAST, save=save)
    assert (per_second.per, per_second.target) == ("second", 400.0)
    assert per_second.round_target == pytest.approx(per_round.target)
    assert (per_second.params, per_second.status) == (per_round.params, per_round.status)
    assert per_second.met and per_second.per_second.high <= 400.0


@pytest.mark.parametrize(
    ("targets", "per"),
    [([1e6], "second"), ([-1.0], "second"), ([float("inf")], "second"), ([1e-3], "minute")],
)
def test_targets_per_second_out_of_range_are_refused_before_work(targets, per):
    from qec.errors import QecError

    design = Design(name="surface", noise=Depolarizing(p=1e-3))
    with pytest.raises(QecError) as raised:
        footprint(design, targets, budget=FAST, per=per)
    assert raised.value.parameter in ("target", "per")


def cat_with_direct_shots_at_d9(save, **limits):
    """The repetition cat code's family at nbar = 12, its phase-flip component, and the
    estimate of direct shots at d = 9 saved in `save` (`limits`: estimate's)."""
    design = Design(name="repetition_cat", noise=Cat(nbar=12, k1_k2=1e-3), nbars=(12.0,))
    (family,) = design.families()
    far = family.at(3)
    (phase,) = (c for c in far.components if not c.first_order)
    saved = estimate(far.experiment(phase), method="monte_carlo", save=save, seed=1, **limits)
    return family, phase, saved


def test_a_fit_takes_the_direct_shots_saved_beyond_the_sampled_sizes(tmp_path):
    # The solver samples d = 3, 5; the points file also holds direct shots at d = 9
    # (a run of its own). The fit of the phase flips rests on all three.
    save = tmp_path / "points.csv"
    family, phase, _ = cat_with_direct_shots_at_d9(save, max_shots=20_000)
    budget = Budget(measured_steps=2, max_shots=20_000, max_errors=100, verify_seconds=0)
    model = FamilyModel(family, budget, save, lambda text: None)
    distances = [p.distance for p in model.points(phase.label)]
    assert distances == [3, 5, 9]
    assert model.fits[phase.label].distances == (3, 5, 9)


def test_a_check_at_a_size_with_enough_direct_failures_saved_reads_them_instead_of_splitting(
    tmp_path,
):
    save = tmp_path / "points.csv"
    family, phase, saved = cat_with_direct_shots_at_d9(save, max_errors=100)
    budget = Budget(measured_steps=2, max_shots=50_000, max_errors=100, verify_seconds=60)
    model = FamilyModel(family, budget, save, lambda text: None)
    check = model.check(3)
    (part,) = (p for p in check.parts if p.label == phase.label)
    assert part.method == "monte_carlo" and part.errors == saved.counts.failing >= 100
    assert part.per_round.low < saved.per_round.value < part.per_round.high
    assert not any(
        "splitting" in str(r.json_metadata) for r in sinter.read_stats_from_csv_files(save)
    )


def test_reading_saved_splitting_units_into_a_fit_runs_no_more_units(tmp_path):
    # d = 9 was checked by splitting for 4 s; a model with a longer check budget takes
    # the saved units into its fit without topping them up (only a check would).
    save = tmp_path / "points.csv"
    design = Design(name="repetition_cat", noise=Cat(nbar=12, k1_k2=1e-3), nbars=(12.0,))
    (family,) = design.families()
    far = family.at(3)
    (phase,) = (c for c in far.components if not c.first_order)
    estimate(far.experiment(phase), method="splitting", max_seconds=4, save=save, seed=1)

    def splitting_rows() -> int:
        return sum("splitting" in r.json_metadata for r in sinter.read_stats_from_csv_files(save))

    rows = splitting_rows()
    budget = Budget(measured_steps=2, max_shots=20_000, max_errors=100, verify_seconds=600)
    model = FamilyModel(family, budget, save, lambda text: None)
    assert [p.distance for p in model.points(phase.label)] == [3, 5, 9]
    assert rows > 0 and splitting_rows() == rows
