"""Noise models: transforms from annotated circuits to noisy stim circuits."""

from qec.noise._model import Channel, NoiseModel, detector_error_model
from qec.noise.circuit_level import SI1000, Biased, Depolarizing
from qec.noise.textbook import CodeCapacity, Phenomenological

__all__ = [
    "Biased",
    "Channel",
    "CodeCapacity",
    "Depolarizing",
    "NoiseModel",
    "Phenomenological",
    "SI1000",
    "detector_error_model",
]
