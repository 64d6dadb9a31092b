"""Noise models: transforms from annotated circuits to noisy stim circuits."""

from qec.noise._model import Channel, NoiseModel, Undecomposable, detector_error_model
from qec.noise.cat import Cat
from qec.noise.cat_first_order import CatFirstOrder
from qec.noise.cat_transmon import CatTransmon, Ocelot
from qec.noise.circuit_level import SD6, SI1000, Biased, Depolarizing
from qec.noise.phase_flip import PhaseFlipCircuit
from qec.noise.textbook import CodeCapacity, Phenomenological

__all__ = [
    "Biased",
    "Cat",
    "CatFirstOrder",
    "CatTransmon",
    "Channel",
    "CodeCapacity",
    "Depolarizing",
    "NoiseModel",
    "Ocelot",
    "PhaseFlipCircuit",
    "Phenomenological",
    "SD6",
    "SI1000",
    "Undecomposable",
    "detector_error_model",
]
