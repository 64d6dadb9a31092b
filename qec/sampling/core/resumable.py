"""What every resumable run shares: its stopping rules (a relative precision and a
budget of seconds), checked before any work starts."""

from __future__ import annotations

from typing import Any

from qec.errors import check_number


def check_stopping_rules(*, rel_precision: Any, max_seconds: Any) -> None:
    """Raises QecError unless rel_precision is in (0, 1] and max_seconds is > 0 or None.

    Examples:
        >>> check_stopping_rules(rel_precision=0.2, max_seconds=None)
    """
    check_number(
        "rel_precision", rel_precision, allowed="a number in (0, 1]", accept=lambda r: 0 < r <= 1
    )
    check_number(
        "max_seconds",
        max_seconds,
        allowed="a number of seconds > 0",
        accept=lambda s: s > 0,
        optional=True,
    )
