"""The getting-started page's code runs as written, and the README points at the docs."""

from __future__ import annotations

import pathlib
import re
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def python_blocks(page: pathlib.Path) -> list[str]:
    """The ```python blocks of a markdown page, in order."""
    return re.findall(r"```python\n(.*?)```", page.read_text(), re.DOTALL)


def test_the_getting_started_code_runs_in_a_fresh_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # its points file is made here
    blocks = python_blocks(ROOT / "docs" / "getting-started.md")
    assert len(blocks) == 5  # estimate, fit, footprint, compare, what-if
    namespace: dict[str, Any] = {"__name__": "getting_started"}
    for block in blocks:
        exec(compile(block, "getting-started.md", "exec"), namespace)
    # p = 3e-3 is below the rotated code's threshold (about 1%): errors fall with d.
    assert namespace["fit"].Lambda.low > 1
    assert namespace["table"].baseline_ratios() and (tmp_path / "points.csv").exists()


@pytest.mark.parametrize("page", ["getting-started.md", "compare.md", "reference/qec.md"])
def test_the_readme_links_the_docs_pages(page):
    assert f"docs/{page}" in (ROOT / "README.md").read_text()
