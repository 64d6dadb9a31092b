"""The top-level package: what `import qec` offers and what it costs."""

from __future__ import annotations

import ast
import json
import pathlib
import re
import subprocess
import sys
import textwrap

import qec
from qec.sampling import copy_results


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


def test_a_direct_estimate_loads_neither_scipy_nor_pymatching_where_it_starts_workers(
    tmp_path,
) -> None:
    # sinter's workers re-import the script that started them: what that script imports,
    # each worker pays again before its first shot (scipy.stats alone was ~0.7 s).
    heavy = ["scipy", "pymatching", "matplotlib"]
    script = tmp_path / "direct.py"
    script.write_text(
        textwrap.dedent(f"""
        import json, sys
        import qec.cli.main
        from qec import Depolarizing, MemoryExperiment, RepetitionCode, estimate

        if __name__ == "__main__":
            experiment = MemoryExperiment(code=RepetitionCode(distance=3),
                noise=Depolarizing(p=0.01), rounds=3, basis="Z")
            result = estimate(experiment, method="monte_carlo", max_shots=500,
                max_errors=None, num_workers=1, progress=False)
            print(result.per_round)
            print(json.dumps([m in sys.modules for m in {heavy!r}]))
        """)
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(result.stdout.splitlines()[-1])
    assert dict(zip(heavy, loaded, strict=True)) == dict.fromkeys(heavy, False)


def test_every_readme_and_manual_python_example_runs_as_a_script(tmp_path) -> None:
    # Each block parses, does its work under `if __name__ == "__main__":` (sinter's
    # workers re-run a script's top level), and names only what it defines or imports.
    # The Python-API example and the what-if one run as scripts. (The getting-started
    # page, a notebook-style walk-through, runs whole in tests/test_docs.py.)
    root = pathlib.Path(__file__).parent.parent
    pages = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    text = "".join(p.read_text() for p in pages if p.name != "getting-started.md")
    blocks = [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)```", text, re.S)]
    assert len(blocks) >= 2
    for block in blocks:
        tree = ast.parse(block)
        for statement in tree.body:
            if isinstance(statement, ast.Expr | ast.Assign) and "SLURMCluster" not in block:
                raise AssertionError(f"work outside the main guard: {ast.unparse(statement)}")
        compile(tree, "README", "exec")
        example = tmp_path / f"block{blocks.index(block)}.py"
        example.write_text(block)
        undefined = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F821", example],
            capture_output=True,
            text=True,
            check=False,
        )
        assert undefined.returncode == 0, undefined.stdout  # e.g. an `ax` never made
    [api] = [b for b in blocks if "estimate(experiment" in b]
    script = tmp_path / "example.py"
    script.write_text(api.replace("10**6", "10**4"))
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\S+ \[\S+, \S+\]\n", result.stdout)
    # The what-if example reads the committed points back: seconds, nothing simulated.
    [what_if] = [b for b in blocks if "what_if(" in b]
    (tmp_path / "results").mkdir()
    committed = pathlib.Path(__file__).parent.parent / "results" / "overhead_points.csv"
    copy_results(committed, tmp_path / "results" / "overhead_points.csv")
    script.write_text(what_if)
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "my_points.csv").read_bytes() == committed.read_bytes()
    assert (tmp_path / "what_if.png").exists() and "repetition_cat" in result.stdout
