"""qec: a sandbox for quantum error correction on top of stim, PyMatching and sinter."""

from qec.circuits import RepetitionCode, RotatedSurfaceCode, XZZXSurfaceCode
from qec.errors import QecError
from qec.noise import (
    SI1000,
    Biased,
    Cat,
    CodeCapacity,
    Depolarizing,
    NoiseModel,
    Phenomenological,
)

__all__ = [
    "SI1000",
    "Biased",
    "Cat",
    "CodeCapacity",
    "Depolarizing",
    "NoiseModel",
    "Phenomenological",
    "QecError",
    "RepetitionCode",
    "RotatedSurfaceCode",
    "XZZXSurfaceCode",
]
