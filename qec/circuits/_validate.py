"""Validation shared by the code families."""

from __future__ import annotations

from typing import Any

from qec.errors import QecError


def check_odd_distance(parameter: str, value: Any) -> None:
    """Raises QecError unless `value` is an odd integer >= 3.

    Examples:
        >>> check_odd_distance("distance", 5)
        >>> check_odd_distance("dz", 4)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: dz=4 is not allowed: expected an odd integer >= 3
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 3 or value % 2 == 0:
        raise QecError.invalid(parameter, value, "an odd integer >= 3")
