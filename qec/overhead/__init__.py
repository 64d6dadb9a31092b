"""How many physical qubits each design needs per logical qubit, per target."""

from qec.analysis.fit_summary import FitSummary
from qec.overhead.designs import DESIGNS, Design, QubitWeights
from qec.overhead.grids import ratio_grid, time_grid
from qec.overhead.plan import Budget
from qec.overhead.rows import (
    MET,
    NOT_REACHED,
    UNRESOLVED,
    ComponentRate,
    FootprintRow,
    status_of,
)
from qec.overhead.solver import footprint
from qec.overhead.table import FootprintTable, Ratio
from qec.overhead.timing import Clock, CycleTime, cycle_time
from qec.overhead.what_if import Assumptions, compare, what_if

__all__ = [
    "DESIGNS",
    "MET",
    "NOT_REACHED",
    "UNRESOLVED",
    "Assumptions",
    "Budget",
    "Clock",
    "ComponentRate",
    "CycleTime",
    "Design",
    "FitSummary",
    "FootprintRow",
    "FootprintTable",
    "QubitWeights",
    "Ratio",
    "compare",
    "cycle_time",
    "footprint",
    "ratio_grid",
    "status_of",
    "time_grid",
    "what_if",
]
