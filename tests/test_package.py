"""The top-level package: what `import qec` offers and what it costs."""

from __future__ import annotations

import json
import subprocess
import sys

import qec


def test_the_readme_names_are_importable_from_qec() -> None:
    from qec import Interval, MemoryExperiment, estimate
    from qec.experiment import MemoryExperiment as FromExperiment
    from qec.intervals import Interval as FromIntervals
    from qec.sampling import estimate as from_sampling

    assert (MemoryExperiment, estimate, Interval) == (FromExperiment, from_sampling, FromIntervals)
    assert {"MemoryExperiment", "estimate", "Interval"} <= set(qec.__all__)


def test_the_footprint_api_is_importable_from_qec() -> None:
    import qec.overhead

    names = ["Assumptions", "Budget", "Design", "FootprintTable", "compare", "footprint", "what_if"]
    assert [getattr(qec, n) for n in names] == [getattr(qec.overhead, n) for n in names]
    assert set(names) <= set(qec.__all__)


def test_import_qec_loads_neither_plotting_nor_sampling_libraries() -> None:
    # A fresh interpreter: this test process has long imported them.
    heavy = ["matplotlib", "scipy.stats", "sinter", "pymatching"]
    code = f"import sys, json, qec; print(json.dumps([m in sys.modules for m in {heavy!r}]))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert dict(zip(heavy, json.loads(result.stdout), strict=True)) == dict.fromkeys(heavy, False)
