"""The command-line spelling of noise models."""

from __future__ import annotations

import math

import pytest

from qec import Biased, Depolarizing
from qec.errors import QecError
from qec.noise.registry import parse_noise


def test_parses_names_and_parameters():
    assert parse_noise("depolarizing:p=0.001") == Depolarizing(p=0.001)
    assert parse_noise("biased: p=1e-3, eta=100") == Biased(p=0.001, eta=100)
    assert math.isinf(parse_noise("biased:p=0.001,eta=inf").eta)  # type: ignore[attr-defined]


def test_spec_reads_back_as_the_same_model():
    for model in (Depolarizing(p=0.00125), Biased(p=0.002, eta=math.inf)):
        assert parse_noise(model.spec()) == model


@pytest.mark.parametrize(
    "spec,named",
    [
        ("depolarising:p=0.1", "noise='depolarising'"),
        ("depolarizing:q=0.1", "depolarizing parameter='q'"),
        ("depolarizing", "values for p"),
        ("depolarizing:p", "NAME:key=value"),
        ("depolarizing:p=abc", "noise parameter p='abc'"),
        ("biased:p=0.1,eta=0", "eta=0"),
        ("biased:p=0.1,eta=nan", "eta=nan"),
    ],
)
def test_malformed_or_unknown_specs_name_what_is_wrong(spec, named):
    with pytest.raises(QecError) as error:
        parse_noise(spec)
    assert named in str(error.value)
