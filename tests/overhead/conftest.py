"""The committed headline table, read once for the tests of its text."""

from __future__ import annotations

import json
import pathlib

import pytest

from qec.overhead.table import FootprintTable

HEADLINE = pathlib.Path(__file__).parents[2] / "results" / "overhead.json"


@pytest.fixture(scope="session")
def headline() -> FootprintTable:
    """The committed headline table (every design at 1e-3 .. 1e-11)."""
    return FootprintTable.from_json(json.loads(HEADLINE.read_text()))
