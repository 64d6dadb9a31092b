"""How many physical qubits each design needs per logical qubit, per target."""

from qec.overhead.designs import DESIGNS, Design, QubitWeights
from qec.overhead.solver import Budget, FootprintRow, footprint
from qec.overhead.table import FootprintTable
from qec.overhead.what_if import Assumptions, compare, what_if

__all__ = [
    "DESIGNS",
    "Assumptions",
    "Budget",
    "Design",
    "FootprintRow",
    "FootprintTable",
    "QubitWeights",
    "compare",
    "footprint",
    "what_if",
]
