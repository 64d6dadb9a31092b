"""Code families: noiseless, annotated memory-experiment circuits."""

from qec.circuits._annotated import QUBIT_KINDS, AnnotatedCircuit, Gate, Layer
from qec.circuits._memory import validate_memory_args
from qec.circuits.ldpc_cat import LdpcCatCode, OpenLdpcCatCode, TShapeCode
from qec.circuits.repetition import RepetitionCode
from qec.circuits.schedule import Schedule
from qec.circuits.surface import CatSurfaceCode, RotatedSurfaceCode, XZZXSurfaceCode

__all__ = [
    "QUBIT_KINDS",
    "AnnotatedCircuit",
    "CatSurfaceCode",
    "Gate",
    "Layer",
    "LdpcCatCode",
    "OpenLdpcCatCode",
    "RepetitionCode",
    "RotatedSurfaceCode",
    "Schedule",
    "TShapeCode",
    "XZZXSurfaceCode",
    "validate_memory_args",
]
