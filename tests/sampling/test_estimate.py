"""Direct Monte Carlo through sinter: results, resume, CSV."""

from __future__ import annotations

import math

import pytest
import sinter

from qec import CodeCapacity, Depolarizing, RepetitionCode
from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.sampling import estimate
from tests.conftest import binomial_tail

EXPERIMENT = MemoryExperiment(
    code=RepetitionCode(distance=3), noise=Depolarizing(p=0.02), rounds=3, basis="Z"
)


def run(**kwargs):
    return estimate(
        EXPERIMENT, method="monte_carlo", num_workers=1, progress=False, max_errors=None, **kwargs
    )


def test_resume_continues_and_never_counts_a_shot_twice(tmp_path):
    path = tmp_path / "stats.csv"
    first = run(max_shots=3000, save=path)
    again = run(max_shots=3000, save=path)  # nothing left to do
    more = run(max_shots=8000, save=path)
    assert (first.shots, again.shots, more.shots) == (3000, 3000, 8000)
    assert again.errors == first.errors and more.errors >= first.errors
    on_disk = sinter.read_stats_from_csv_files(path)
    assert len(on_disk) == 1
    assert on_disk[0].shots == 8000 and on_disk[0].errors == more.errors
    assert on_disk[0].json_metadata == EXPERIMENT.metadata()


def test_max_errors_stops_the_run():
    result = estimate(
        EXPERIMENT,
        method="monte_carlo",
        num_workers=1,
        progress=False,
        max_shots=10_000_000,
        max_errors=50,
    )
    assert 50 <= result.errors < 10_000_000 and result.shots < 10_000_000


def test_interval_contains_the_closed_form_for_code_capacity():
    # 95% Wilson interval: this check fails with probability about 5% for an unlucky run,
    # so it uses 99.99% of the shots budget: n = 400,000 makes the interval narrow but
    # the test asks only that the exact value lie within the interval widened 2x.
    experiment = MemoryExperiment(
        code=RepetitionCode(distance=5), noise=CodeCapacity(p=0.1), rounds=1, basis="Z"
    )
    result = estimate(
        experiment,
        method="monte_carlo",
        num_workers=1,
        progress=False,
        max_shots=400_000,
        max_errors=None,
    )
    exact = binomial_tail(5, 3, 0.1)
    half_width = (result.per_shot.high - result.per_shot.low) / 2
    assert abs(result.per_shot.value - exact) < 2 * half_width  # false failure ~1e-4
    assert result.per_round == result.per_shot  # one round


def test_json_has_the_documented_keys():
    data = run(max_shots=1000).to_json()
    for key in (
        "code",
        "distance",
        "rounds",
        "basis",
        "noise",
        "decoder",
        "shots",
        "errors",
        "seconds",
        "method",
        "per_shot",
        "per_round",
    ):
        assert key in data
    assert data["method"] == "monte_carlo"
    assert set(data["per_round"]) == {"value", "low", "high"}
    assert data["per_round"]["low"] <= data["per_round"]["value"] <= data["per_round"]["high"]


def test_attribution_refuses_direct_sampling_which_keeps_no_fault_sets():
    experiment = MemoryExperiment(
        code=RepetitionCode(distance=3), noise=Depolarizing(p=0.01), rounds=3, basis="Z"
    )
    with pytest.raises(QecError) as error:
        estimate(experiment, method="monte_carlo", attribute=True, progress=False)
    assert error.value.parameter == "attribute"


def test_auto_with_attribution_runs_a_rare_event_method_and_reports_every_kind():
    # At p = 1e-2 a pilot would pick direct sampling; the attribution needs fault sets.
    experiment = MemoryExperiment(
        code=RepetitionCode(distance=3), noise=Depolarizing(p=0.01), rounds=3, basis="Z"
    )
    result = estimate(experiment, attribute=True, seed=2, max_seconds=5, progress=False)
    assert result.method in ("stratified", "splitting") and result.attribution is not None
    kinds = result.to_json()["attribution"]["kinds"]
    assert {k["operation"] for k in kinds} >= {"two_qubit_gate", "measurement"}
    for k in kinds:
        e = k["elasticity"]
        assert e["low"] <= e["value"] <= e["high"]
    # The kinds' elasticities add up to the total, E[W | fail] - E[W].
    total = sum(k["elasticity"]["value"] for k in kinds)
    assert total == pytest.approx(result.attribution.total)


@pytest.mark.parametrize(
    ("method", "curve_down_to"),
    [("splitting", 0.0), ("splitting", 1.5), ("splitting", float("nan")), ("monte_carlo", 0.5)],
)
def test_curve_down_to_refuses_scales_outside_0_1_and_other_methods(method, curve_down_to):
    with pytest.raises(QecError) as error:
        estimate(EXPERIMENT, method=method, curve_down_to=curve_down_to, progress=False)
    assert error.value.parameter == "curve_down_to"


def test_a_splitting_curve_asked_below_1_reaches_it_and_keeps_the_rate_at_1():
    # Code capacity on the repetition code, d = 9, p = 0.01: the rate at scale 1 and the
    # closed form at scale 1/2 (p(s) = s o / (1 + s o)) each lie within the twice-widened
    # interval (3.9 sd, ~1e-4 each).
    experiment = MemoryExperiment(
        code=RepetitionCode(distance=9), noise=CodeCapacity(p=0.01), rounds=1, basis="Z"
    )
    result = estimate(
        experiment, method="splitting", curve_down_to=0.5, seed=3, num_workers=1, progress=False
    )
    assert result.curve[0].scale == 0.5
    assert result.rate_at(1.0).per_shot == result.per_shot
    odds = 0.01 / 0.99
    for scale, point in ((1.0, result.per_shot), (0.5, result.rate_at(0.5).per_shot)):
        exact = binomial_tail(9, 5, scale * odds / (1 + scale * odds))
        half_width = max(math.log(point.high / point.value), math.log(point.value / point.low))
        assert abs(math.log(point.value / exact)) <= 2 * half_width, (scale, point, exact)
