"""The one exception type for bad input to `qec`, and the checks that raise it."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeGuard

import numpy as np


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

    # The failed condition as fields (set by `invalid`; None for other errors), so that
    # callers and tests read what was wrong without parsing the message.
    parameter: str | None = None
    value: Any = None
    allowed: str | None = None

    @staticmethod
    def invalid(parameter: str, value: Any, allowed: str) -> QecError:
        """Builds the error for `parameter=value`, saying what is `allowed`.

        Examples:
            >>> QecError.invalid("rounds", 0, "an integer >= 1").parameter
            'rounds'
        """
        error = QecError(f"{parameter}={value!r} is not allowed: expected {allowed}")
        error.parameter, error.value, error.allowed = parameter, value, allowed
        return error


def is_integer(value: object) -> TypeGuard[int | np.integer]:
    """True for Python and numpy integers, False for bools (which Python counts as ints)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def is_number(value: object) -> TypeGuard[int | float | np.integer | np.floating]:
    """True for real numbers (integers or floats, numpy's too), False for bools."""
    return is_integer(value) or isinstance(value, (float, np.floating))


def check_int(
    name: str, value: Any, *, minimum: int, optional: bool = False, odd: bool = False
) -> None:
    """Raises QecError unless `value` is an integer >= `minimum` (odd if `odd`; None
    allowed if `optional`).

    Examples:
        >>> check_int("shots", 10, minimum=1)
        >>> check_int("shots", True, minimum=1)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: shots=True is not allowed: expected an integer >= 1
    """
    if optional and value is None:
        return
    if not is_integer(value) or value < minimum or (odd and value % 2 == 0):
        allowed = f"an {'odd ' if odd else ''}integer >= {minimum}"
        raise QecError.invalid(name, value, allowed + (", or None" if optional else ""))


def check_number(
    name: str,
    value: Any,
    *,
    allowed: str,
    accept: Callable[[float], bool],
    optional: bool = False,
) -> None:
    """Raises QecError unless `value` is a real number for which `accept` is true (None
    allowed if `optional`); `allowed` says in words what is accepted. NaN is refused.

    Examples:
        >>> check_number("p", 0.5, allowed="a probability in [0, 1]", accept=lambda p: 0 <= p <= 1)
        >>> check_number("p", float("nan"), allowed="a number > 0", accept=lambda p: p > 0)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: p=nan is not allowed: expected a number > 0
    """
    if optional and value is None:
        return
    if not is_number(value) or value != value or not accept(float(value)):
        raise QecError.invalid(name, value, allowed + (", or None" if optional else ""))


def check_choice(name: str, value: Any, choices: Collection[str]) -> None:
    """Raises QecError unless `value` is one of `choices`.

    Examples:
        >>> check_choice("basis", "Y", ("X", "Z"))
        Traceback (most recent call last):
        ...
        qec.errors.QecError: basis='Y' is not allowed: expected one of 'X', 'Z'
    """
    if not isinstance(value, str) or value not in choices:
        raise QecError.invalid(name, value, "one of " + ", ".join(repr(c) for c in choices))
