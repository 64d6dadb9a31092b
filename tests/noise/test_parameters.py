"""Every noise model's parameters are checked before any work (issue 34).

A model either builds, and then its noisy circuit has a detector error model that stim
builds, or it is refused by one QecError naming the parameter(s), never by stim or by
another exception. The property tests draw each model's parameters, through the
command-line spelling (`parse_noise`) and through the constructors, from values near the
model's own (its defaults, scaled by up to 1e6 either way), special values (0, 1, the
limits of the channels, subnormal, huge, negative, NaN, inf) and any float at all.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import pytest
import stim
from hypothesis import given, settings
from hypothesis import strategies as st

from qec import RepetitionCode, RotatedSurfaceCode
from qec.circuits import AnnotatedCircuit
from qec.errors import QecError
from qec.noise import SI1000, Biased, Cat, CatFirstOrder, CatTransmon, NoiseModel, Ocelot
from qec.noise.registry import NOISE_MODELS, parse_noise

#: A value for each parameter that has no default.
TYPICAL = {"p": 1e-3, "eta": 100.0, "nbar": 4.0}

#: Values at the edges: zero, the channels' limits, subnormal, huge, negative, not finite.
SPECIAL = (0.0, -0.0, 1.0, 0.5, 0.75, 0.2, 1 / 3, 1 - 1e-16, 2.0, -1.0, -1e-300, 5e-324)
SPECIAL += (1e-300, 1e300, 1.7e308, math.nan, math.inf, -math.inf)

#: Circuits each model runs: cat models the phase-flip repetition code, the others the
#: rotated surface code (H, CX, both bases); code capacity only one round.
PHASE_FLIP_MODELS = ("cat", "cat_first_order", "phase_flip_circuit", "cat_transmon", "ocelot")


def small_circuit(name: str) -> AnnotatedCircuit:
    rounds = 1 if name == "code_capacity" else 2
    if name in PHASE_FLIP_MODELS:
        return RepetitionCode(distance=3).memory_circuit(rounds=rounds, basis="X")
    return RotatedSurfaceCode(distance=3).memory_circuit(rounds=rounds, basis="X")


CIRCUITS = {name: small_circuit(name) for name in NOISE_MODELS}


def fields(name: str) -> list[dataclasses.Field[Any]]:
    return list(dataclasses.fields(NOISE_MODELS[name]))


def usual(field: dataclasses.Field[Any]) -> float:
    """The parameter's default, or a typical value if it has none."""
    if field.default is dataclasses.MISSING:
        return TYPICAL[field.name]
    return float(field.default)


@st.composite
def parameter_values(draw: st.DrawFn, field: dataclasses.Field[Any]) -> float:
    """A float for `field`: its usual value, that scaled by up to 10 or up to 1e6 either
    way, a special value, or any float."""
    kind = draw(st.sampled_from(["usual", "near", "near", "far", "special", "any"]))
    if kind == "usual":
        return usual(field)
    if kind in ("near", "far"):
        decades = 1 if kind == "near" else 6
        return (usual(field) or 1.0) * 10.0 ** draw(st.floats(-decades, decades))
    if kind == "special":
        return draw(st.sampled_from(SPECIAL))
    return draw(st.floats())


@st.composite
def chosen_fields(draw: st.DrawFn, name: str) -> list[dataclasses.Field[Any]]:
    """The parameters to set: those without a default, and a few others."""
    required = [f for f in fields(name) if f.default is dataclasses.MISSING]
    others = [f.name for f in fields(name) if f.default is not dataclasses.MISSING]
    chosen = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
    return required + [f for f in fields(name) if f.name in chosen]


def builds_a_valid_circuit_or_refuses(
    name: str, build: Callable[[], NoiseModel], *, by_field: bool = False
) -> None:
    """The property: `build()` raises one QecError naming what is wrong (with `by_field`,
    parameters of the model), or gives a model whose noisy circuit stim turns into a
    detector error model (no exception at all)."""
    try:
        model = build()
    except QecError as error:
        assert error.parameter, error
        if by_field:
            assert set(error.parameter.split(", ")) <= {f.name for f in fields(name)}, error
        return
    noisy = model.noisy_circuit(CIRCUITS[name])
    assert isinstance(noisy, stim.Circuit)
    noisy.detector_error_model(approximate_disjoint_errors=True)


# A fixed seed and a modest number of examples: the tests are not statistical, and a
# failure is a reproducible bug, never chance.
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None)


@st.composite
def noise_specs(draw: st.DrawFn, name: str) -> str:
    """`name:key=value,...` with the chosen parameters, and now and then a mistake: a
    missing parameter, a key without '=', a repeated or unknown key, a value that is
    not a number."""
    items = []
    for field in draw(chosen_fields(name)):
        value = draw(parameter_values(field))
        shown = str(int(value)) if value.is_integer() and abs(value) < 1e6 else repr(value)
        items.append(f"{field.name}={shown}")
    mistakes = ["missing", "no =", "repeated", "unknown", "text"]
    mistake = draw(st.sampled_from(["none"] * 10 + mistakes))
    if mistake == "missing":
        items = items[1:]
    elif mistake == "no =" and items:
        items[0] = items[0].split("=")[0]
    elif mistake == "repeated" and items:
        items.append(items[0])
    elif mistake == "unknown":
        items.append("q=0.1")
    elif mistake == "text" and items:
        items[-1] = items[-1].split("=")[0] + "=abc"
    return f"{name}:" + ",".join(items)


@pytest.mark.parametrize("name", sorted(NOISE_MODELS))
@PROPERTY
@given(data=st.data())
def test_every_noise_spec_gives_a_valid_circuit_or_one_qec_error(name, data):
    spec = data.draw(noise_specs(name), label="spec")
    builds_a_valid_circuit_or_refuses(name, lambda: parse_noise(spec))


#: Values of the wrong type, or beyond the floats, for the constructors.
JUNK = st.sampled_from(["0.1", "", None, True, False, [0.1], 10**400, -(10**400), 3 + 0j])


@pytest.mark.parametrize("name", sorted(NOISE_MODELS))
@PROPERTY
@given(data=st.data())
def test_every_constructor_gives_a_valid_circuit_or_one_qec_error(name, data):
    kwargs = {}
    for field in data.draw(chosen_fields(name), label="parameters"):
        kind = data.draw(st.sampled_from(["float"] * 8 + ["int", "junk"]), label=field.name)
        if kind == "float":
            kwargs[field.name] = data.draw(parameter_values(field), label=field.name)
        elif kind == "int":
            kwargs[field.name] = data.draw(st.integers(-3, 10**6), label=field.name)
        else:
            kwargs[field.name] = data.draw(JUNK, label=field.name)
    builds_a_valid_circuit_or_refuses(name, lambda: NOISE_MODELS[name](**kwargs), by_field=True)


@PROPERTY
@given(
    model=st.sampled_from([Cat, CatFirstOrder]),
    optimized=st.booleans(),
    nbar=parameter_values(dataclasses.fields(Cat)[0]),
    k1_k2=parameter_values(dataclasses.fields(Cat)[1]),
    theta=parameter_values(dataclasses.fields(Cat)[2]),
)
def test_the_lr23_presets_give_a_valid_circuit_or_one_qec_error(
    model, optimized, nbar, k1_k2, theta
):
    if optimized:
        preset = functools.partial(model.lr23_optimized_gate, nbar=nbar, k1_k2=k1_k2)
    else:
        preset = functools.partial(model.lr23, nbar=nbar, k1_k2=k1_k2, theta=theta)
    builds_a_valid_circuit_or_refuses("cat", preset, by_field=True)


# The failures issue 34 reported, and the others found with the tests above. -----------


def refusal(spec: str) -> QecError:
    with pytest.raises(QecError) as error:
        parse_noise(spec)
    return error.value


def test_cat_parameters_whose_cx_phase_flips_sum_above_one_are_refused_naming_them():
    # nbar = 8, k = 1: the CX's Z1 + Z2 + Z1 Z2 = 1.5 (stim: "sum to more than 1").
    error = refusal("cat:nbar=8,k1_k2=1")
    assert (error.parameter, error.value) == ("nbar, k1_k2", (8, 1))
    assert error.allowed and "CX" in error.allowed


def test_a_huge_nbar_is_refused_by_name_not_by_stim():
    # kappa_1 nbar = 1000: every phase flip at 1/2, the CX's three add up to 1.5. k1_k2 is
    # at its default, so only nbar is named (the message gives k1_k2 too).
    error = refusal("cat:nbar=1e6,k1_k2=1e-3")
    assert (error.parameter, error.value) == ("nbar", 1_000_000)
    assert error.allowed and "k1_k2=0.001" in error.allowed


def test_an_out_of_range_value_is_named_even_when_another_parameter_is_missing():
    error = refusal("cat_transmon:readout_error=1.5")
    assert (error.parameter, error.value) == ("readout_error", 1.5)


@pytest.mark.parametrize(
    ("build", "parameter", "value"),
    [
        # SI1000 flips measurements with 5p: named as p, not as "5 * p".
        pytest.param(lambda: SI1000(p=0.3), "p", 0.3, id="si1000-5p"),
        # 2 eta overflows: the two-qubit channel would be NaN.
        pytest.param(lambda: parse_noise("biased:p=0.5,eta=1e308"), "eta", 1e308, id="huge-eta"),
        # The two-qubit channel's 15 terms round to a sum of 1 + 4e-16.
        pytest.param(lambda: Biased(p=1.0, eta=0.1), "p, eta", (1.0, 0.1), id="biased-rounding"),
        # The first-order model's phase flips k nbar t are not bounded by 1/2.
        pytest.param(
            lambda: CatFirstOrder(nbar=8, k1_k2=0.2), "nbar, k1_k2", (8, 0.2), id="first-order"
        ),
        # A cat's bit-flip rate exp(-g (nbar - 2)) / T overflows (math.exp).
        pytest.param(
            lambda: Ocelot(cat_x_exponent=2000), "cat_x_exponent", 2000, id="cat-bit-flip-exp"
        ),
        # The CX's two-qubit channel: a fast-decaying transmon and a dephased cat.
        pytest.param(
            lambda: CatTransmon(nbar=1e4, transmon_t1=1e-3, transmon_t2=1e-3),
            "nbar, transmon_t1, transmon_t2",
            (1e4, 1e-3, 1e-3),
            id="cat-transmon-cx",
        ),
        # DEPOLARIZE1 mixes fully at 3/4: stim's detector error model refuses more.
        pytest.param(
            lambda: CatTransmon(nbar=2, gate_error=0.8), "gate_error", 0.8, id="gate-error"
        ),
        # An integer beyond the floats (OverflowError in the check).
        pytest.param(lambda: Cat(nbar=10**400), "nbar", 10**400, id="huge-integer"),
        # The presets' durations: 1/theta, and the optimal CX time (ZeroDivisionError).
        pytest.param(lambda: Cat.lr23(nbar=8, k1_k2=1e-3, theta=0), "theta", 0, id="lr23-theta"),
        pytest.param(
            lambda: Cat.lr23_optimized_gate(nbar=1e-300, k1_k2=1e-300),
            "nbar, k1_k2",
            (1e-300, 1e-300),
            id="lr23-optimized-underflow",
        ),
    ],
)
def test_values_that_stim_or_python_would_refuse_are_refused_by_name(build, parameter, value):
    with pytest.raises(QecError) as error:
        build()
    assert (error.value.parameter, error.value.value) == (parameter, value)


@pytest.mark.parametrize(
    ("spec", "parameter"),
    [
        ("cat:nbar", "noise"),
        ("cat:nbar=8,nbar=9", "noise"),
        ("cat:nbar=8,kappa=1", "cat parameter"),
        ("cat:nbar=eight", "noise parameter nbar"),
        ("cat:k1_k2=1e-3", "cat parameters"),
        ("cat:nbar=nan", "nbar"),
        ("cat:nbar=inf", "nbar"),
        ("cat:nbar=-8", "nbar"),
        ("cat:nbar=0", "nbar"),
        ("cat:nbar=8,ideal_data_ends=0.5", "ideal_data_ends"),
        ("biased:p=0.001,eta=-inf", "eta"),
    ],
)
def test_malformed_specs_get_one_error_naming_what_is_wrong(spec, parameter):
    assert refusal(spec).parameter == parameter
