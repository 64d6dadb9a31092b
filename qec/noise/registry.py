"""Noise models by name, and the command-line spelling `NAME:key=value,...`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from qec.errors import QecError
from qec.noise._model import NoiseModel
from qec.noise.cat import Cat
from qec.noise.cat_first_order import CatFirstOrder
from qec.noise.cat_transmon import CatTransmon, Ocelot
from qec.noise.circuit_level import SD6, SI1000, Biased, Depolarizing
from qec.noise.phase_flip import PhaseFlipCircuit
from qec.noise.textbook import CodeCapacity, Phenomenological

NOISE_MODELS: dict[str, type[NoiseModel]] = {
    model.name: model
    for model in (
        CodeCapacity,
        Phenomenological,
        Depolarizing,
        SI1000,
        SD6,
        Biased,
        Cat,
        CatFirstOrder,
        PhaseFlipCircuit,
        CatTransmon,
        Ocelot,
    )  # fmt: skip
}


def noise_model(name: str, params: Mapping[str, float]) -> NoiseModel:
    """The model called `name` with `params`, validated: the names, each value, that
    none is missing, then the values together (the model's constructor).

    Examples:
        >>> noise_model("biased", {"p": 0.001, "eta": 100})
        Biased(p=0.001, eta=100)
        >>> noise_model("cat_transmon", {"readout_error": 1.5})
        Traceback (most recent call last):
        ...
        qec.errors.QecError: readout_error=1.5 is not allowed: expected a probability in [0, 1]
        >>> noise_model("depolarising", {"p": 0.001})
        Traceback (most recent call last):
        ...
        qec.errors.QecError: noise='depolarising' is not allowed: expected one of biased, \
cat, cat_first_order, cat_transmon, code_capacity, depolarizing, ocelot, phase_flip_circuit, \
phenomenological, sd6, si1000
    """
    if name not in NOISE_MODELS:
        raise QecError.invalid("noise", name, "one of " + ", ".join(sorted(NOISE_MODELS)))
    model = NOISE_MODELS[name]
    fields = {f.name: f for f in dataclasses.fields(model)}
    for key in params:
        if key not in fields:
            raise QecError.invalid(
                f"{name} parameter", key, "one of " + ", ".join(fields) + f" for noise {name!r}"
            )
    model.check_parameters(params)  # a value out of range is named even if others are missing
    missing = [
        f.name
        for f in fields.values()
        if f.name not in params
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise QecError.invalid(
            f"{name} parameters", dict(params), "values for " + ", ".join(missing)
        )
    return model(**params)


def takes_nbar(name: str) -> bool:
    """Whether the model called `name` has a cat size nbar.

    Examples:
        >>> takes_nbar("cat"), takes_nbar("depolarizing")
        (True, False)
    """
    model = NOISE_MODELS.get(name)
    return model is not None and "nbar" in {f.name for f in dataclasses.fields(model)}


def split_noise_spec(spec: str) -> tuple[str, dict[str, float]]:
    """Splits `NAME[:key=value,...]` into the name and its numeric parameters.

    Examples:
        >>> split_noise_spec("biased:eta=100")
        ('biased', {'eta': 100})
        >>> split_noise_spec("biased:eta=1e308")
        ('biased', {'eta': 1e+308})
        >>> split_noise_spec("biased:eta")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: noise='biased:eta' is not allowed: expected NAME:key=value,...
        >>> split_noise_spec("depolarizing:p=0.001,p=0.002")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: noise='depolarizing:p=0.001,p=0.002' is not allowed: expected \
each parameter once (p is repeated)
    """
    name, _, rest = spec.partition(":")
    params: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        raw_key, sep, value = item.partition("=")
        key = raw_key.strip()
        if not sep or not key:
            raise QecError.invalid("noise", spec, "NAME:key=value,...")
        try:
            number = float(value)
        except ValueError:
            raise QecError.invalid(f"noise parameter {key}", value, "a number") from None
        if key in params:
            raise QecError.invalid("noise", spec, f"each parameter once ({key} is repeated)")
        # Whole numbers as ints (nbar=8, not 8.0) where a float holds them exactly: a huge
        # one stays a float, shown as 1e+308 rather than in 309 digits.
        whole = number.is_integer() and abs(number) <= 2**53
        params[key] = int(number) if whole else number
    return name.strip(), params


def parse_noise(spec: str) -> NoiseModel:
    """Parses `NAME:key=value,...`, e.g. 'biased:p=0.001,eta=100'.

    Examples:
        >>> parse_noise("depolarizing:p=1e-3")
        Depolarizing(p=0.001)
        >>> parse_noise("biased:p=0.001,eta")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: noise='biased:p=0.001,eta' is not allowed: expected NAME:key=value,...
    """
    return noise_model(*split_noise_spec(spec))
