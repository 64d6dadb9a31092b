"""The one exception type for bad input to `qec`, and the checks that raise it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
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

    @staticmethod
    def invalid_together(values: Mapping[str, Any], allowed: str) -> QecError:
        """Builds the error for parameters that are allowed one by one but not together:
        `parameter` joins their names with ", " and `value` is the tuple of their values
        (one parameter: as `invalid`).

        Examples:
            >>> error = QecError.invalid_together({"dx": 3, "dz": 5}, "dx == dz")
            >>> error.parameter, error.value
            ('dx, dz', (3, 5))
            >>> raise error
            Traceback (most recent call last):
            ...
            qec.errors.QecError: dx=3, dz=5 are not allowed together: expected dx == dz
        """
        if len(values) == 1:
            return QecError.invalid(*next(iter(values.items())), allowed)
        shown = ", ".join(f"{name}={value!r}" for name, value in values.items())
        error = QecError(f"{shown} are not allowed together: expected {allowed}")
        error.parameter, error.value = ", ".join(values), tuple(values.values())
        error.allowed = allowed
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
    allowed if `optional`); `allowed` says in words what is accepted. NaN is refused, and
    so is an integer too large for a float.

    Examples:
        >>> check_number("p", 0.5, allowed="a probability in [0, 1]", accept=lambda p: 0 <= p <= 1)
        >>> check_number("p", float("nan"), allowed="a number > 0", accept=lambda p: p > 0)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: p=nan is not allowed: expected a number > 0
    """
    if optional and value is None:
        return
    try:
        accepted = is_number(value) and value == value and accept(float(value))
    except OverflowError:  # an integer beyond the floats
        accepted = False
    if not accepted:
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


class EnvironmentFault(Exception):
    """The machine refused an operation (a full disk, a read-only file system, an I/O
    error, a missing permission): not bad input. The command line prints it as one line
    and exits with status 1 (bad input: 2).

    Attributes:
        path: the file the operation was on, or None when the system did not say.
        reason: the system's words for the fault, e.g. 'No space left on device'.
        kept_rows: for a results file, the whole rows it keeps (a rerun resumes from
            them); None for other files.

    Examples:
        >>> print(EnvironmentFault("out.csv", "No space left on device", kept_rows=3))
        'out.csv': No space left on device; it keeps its 3 whole rows, and a rerun \
resumes from them
    """

    def __init__(self, path: str | None, reason: str, *, kept_rows: int | None = None) -> None:
        self.path, self.reason, self.kept_rows = path, reason, kept_rows
        where = "a file" if path is None else repr(path)  # the system did not say which
        kept = (
            ""
            if kept_rows is None
            else f"; it keeps its {kept_rows} whole rows, and a rerun resumes from them"
        )
        super().__init__(f"{where}: {reason}{kept}")

    @staticmethod
    def from_os_error(error: OSError, *, kept_rows: int | None = None) -> EnvironmentFault:
        """The fault that `error` reports (its file name, if it has one).

        Examples:
            >>> import errno
            >>> EnvironmentFault.from_os_error(OSError(errno.EROFS, "Read-only file system",
            ...                                        "/x")).path
            '/x'
        """
        path = None if error.filename is None else str(error.filename)
        return EnvironmentFault(path, error.strerror or str(error), kept_rows=kept_rows)
