"""qec: a sandbox for quantum error correction on top of stim, PyMatching and sinter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qec.circuits import LdpcCatCode, RepetitionCode, RotatedSurfaceCode, XZZXSurfaceCode
from qec.errors import QecError
from qec.experiment import CircuitExperiment, MemoryExperiment
from qec.intervals import Interval
from qec.lazy import lazy_attributes
from qec.noise import (
    SD6,
    SI1000,
    Biased,
    Cat,
    CatFirstOrder,
    CatTransmon,
    CodeCapacity,
    Depolarizing,
    NoiseModel,
    Ocelot,
    Phenomenological,
)

if TYPE_CHECKING:
    from qec.overhead import (
        Assumptions,
        Budget,
        Design,
        FootprintTable,
        compare,
        footprint,
        what_if,
    )
    from qec.sampling import estimate

# Imported on first use: qec.sampling and qec.overhead load sinter (and, when used,
# PyMatching, which loads matplotlib, and scipy): time that `import qec` should not cost.
_LAZY = {
    "estimate": "qec.sampling",
    **dict.fromkeys(
        ("Assumptions", "Budget", "Design", "FootprintTable", "compare", "footprint", "what_if"),
        "qec.overhead",
    ),
}

__all__ = [
    "SD6",
    "SI1000",
    "Assumptions",
    "Biased",
    "Budget",
    "Cat",
    "CatFirstOrder",
    "CatTransmon",
    "CircuitExperiment",
    "CodeCapacity",
    "Depolarizing",
    "Design",
    "FootprintTable",
    "Interval",
    "LdpcCatCode",
    "MemoryExperiment",
    "NoiseModel",
    "Ocelot",
    "Phenomenological",
    "QecError",
    "RepetitionCode",
    "RotatedSurfaceCode",
    "XZZXSurfaceCode",
    "compare",
    "estimate",
    "footprint",
    "what_if",
]


__getattr__ = lazy_attributes(__name__, _LAZY)
