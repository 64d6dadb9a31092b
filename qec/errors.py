"""The one exception type for bad input to `qec`."""

from __future__ import annotations

from typing import Any


class QecError(ValueError):
    """A parameter has a value that `qec` does not allow.

    The message names the parameter, the value and what is allowed, so that
    the command line can print it as one line.

    Examples:
        >>> raise QecError.invalid("distance", 4, "an odd integer >= 3")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: distance=4 is not allowed: expected an odd integer >= 3
    """

    @staticmethod
    def invalid(parameter: str, value: Any, allowed: str) -> QecError:
        """Builds the error for `parameter=value`, saying what is `allowed`."""
        return QecError(f"{parameter}={value!r} is not allowed: expected {allowed}")
