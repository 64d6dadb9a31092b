"""A round's duration, from the steps the noise model puts noise on, with its source."""

from __future__ import annotations

import dataclasses

import pytest

from qec.circuits import LdpcCatCode, RepetitionCode, RotatedSurfaceCode
from qec.errors import QecError
from qec.noise import SI1000, Cat, Ocelot
from qec.overhead.timing import Clock, Timing, cycle_time


def test_a_repetition_cat_round_is_lr23s_five_steps_of_one_over_kappa_2():
    # LR23 p. 28: prepare, CX, wait, CX, measure, each 1/kappa_2 = 100 ns: 500 ns.
    cycle = cycle_time(RepetitionCode(distance=9, check_basis="X"), Cat(nbar=8))
    assert (cycle.steps, cycle.timing) == (5, Timing.CAT_STEPS)
    assert cycle.seconds == pytest.approx(500e-9)


def test_a_cat_round_adds_the_models_step_durations():
    cat = Cat(nbar=8, t_cx=2.0, t_prep=0.5, t_meas=3.0, t_cooldown=0.25)
    clock = Clock(inv_kappa_2_ns=40.0)
    cycle = cycle_time(RepetitionCode(distance=5, check_basis="X"), cat, clock)
    steps = cat.t_prep + 2 * cat.t_cx + cat.t_cooldown + cat.t_meas
    assert cycle.seconds == pytest.approx(steps * 40e-9)


def test_an_ocelot_round_adds_the_transmons_reset_readout_hadamards_and_two_cx():
    # Putterman et al. 2025: reset, H, CX, CX, H, readout on the transmon ancillas.
    ocelot = Ocelot()
    cycle = cycle_time(RepetitionCode(distance=5, check_basis="X"), ocelot)
    expected = ocelot.t_reset + 2 * ocelot.t_gate + 2 * ocelot.t_cx + ocelot.t_readout
    assert cycle.timing is Timing.MODEL_TIMES
    assert cycle.seconds == pytest.approx(expected * 1e-6)
    assert 2.5e-6 < cycle.seconds < 3.1e-6  # Ocelot's cycle is about 2.8 us (issue 33)


def test_a_transmon_round_is_the_clocks_assumption():
    cycle = cycle_time(RotatedSurfaceCode(distance=5), SI1000(p=1e-3), Clock(transmon_round_us=2))
    assert (cycle.seconds, cycle.timing) == (pytest.approx(2e-6), Timing.ASSUMED)


@pytest.mark.parametrize(
    "codes",
    [
        [RepetitionCode(distance=d, check_basis="X") for d in (3, 11, 31)],
        [LdpcCatCode(distance=d) for d in (5, 9)],
    ],
)
def test_a_round_lasts_as_long_at_every_distance(codes):
    assert len({cycle_time(code, Cat(nbar=10)).seconds for code in codes}) == 1


def test_a_cycle_time_survives_its_json():
    cycle = cycle_time(RepetitionCode(distance=5, check_basis="X"), Cat(nbar=6))
    assert type(cycle).from_json(cycle.to_json()) == cycle
    assert dataclasses.replace(cycle, unit=2 * cycle.unit).source != cycle.source


@pytest.mark.parametrize("field", ["inv_kappa_2_ns", "transmon_round_us"])
@pytest.mark.parametrize("value", [0.0, -1.0, float("inf"), float("nan")])
def test_a_clock_refuses_a_time_that_is_not_positive_and_finite(field, value):
    with pytest.raises(QecError) as raised:
        Clock(**{field: value})
    assert raised.value.parameter == field
