"""qec: a sandbox for quantum error correction on top of stim, PyMatching and sinter."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qec.circuits import RepetitionCode, RotatedSurfaceCode, XZZXSurfaceCode
from qec.errors import QecError
from qec.experiment import MemoryExperiment
from qec.noise import (
    SD6,
    SI1000,
    Biased,
    Cat,
    CatTransmon,
    CodeCapacity,
    Depolarizing,
    NoiseModel,
    Ocelot,
    Phenomenological,
)

if TYPE_CHECKING:
    from qec.intervals import Interval
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

# Imported on first use: qec.sampling and qec.overhead load sinter and PyMatching (which
# loads matplotlib) and qec.intervals loads scipy.stats, seconds that `import qec` should
# not cost.
_LAZY = {
    "Interval": "qec.intervals",
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
    "CatTransmon",
    "CodeCapacity",
    "Depolarizing",
    "Design",
    "FootprintTable",
    "Interval",
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


def __getattr__(name: str) -> Any:
    """`qec.estimate`, `qec.Interval` and the footprint API (`qec.compare`, ...),
    imported from their modules when first used.

    Examples:
        >>> from qec import Interval, estimate
        >>> estimate.__module__, Interval.__module__
        ('qec.sampling.estimate', 'qec.intervals')
    """
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
