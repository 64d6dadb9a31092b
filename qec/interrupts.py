"""Stopping within a second at any stage: SIGTERM as Ctrl-C, and signals that arrive
while compiled code holds the interpreter.

The command line (`handle_signals`) turns SIGTERM into KeyboardInterrupt, as Ctrl-C
is, so that a run stops its workers, keeps its finished rows and releases its lock.
Python runs a signal handler only between bytecodes, though: while stim builds a
detector error model or PyMatching its matching graph (each can take tens of seconds
on a large circuit), a signal waits until the call returns. Those calls write nothing,
so inside `native_call` a signal ends the process at once, by the system's default
action, when the command line asked for that. A notebook or script that calls `qec`
keeps Python's handling: its interrupt arrives when the call returns.

A compiled library can also turn the KeyboardInterrupt that a signal raised inside it
into an error of its own (numpy's comparison of structured arrays reports it as a
TypeError). On the command line, `interrupts_kept` gives such an error back as the
interrupt it was.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_at_once = threading.Event()  # set by `handle_signals`: this process is the command line
_signalled = threading.Event()  # set by `_interrupt`: a stop was asked for


def _interrupt(signum: int, frame: FrameType | None) -> None:
    _signalled.set()
    raise KeyboardInterrupt


def handle_signals() -> None:
    """The command line's handling: SIGINT and SIGTERM raise KeyboardInterrupt, and
    either ends the process at once inside `native_call` (main thread only). A SIGINT
    the process was started to ignore (a background job's) stays ignored."""
    for number in _SIGNALS:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _interrupt)
    _at_once.set()


@contextlib.contextmanager
def interrupts_kept() -> Iterator[None]:
    """Runs its block, re-raising as KeyboardInterrupt any error that ends it after
    `handle_signals`' handler ran: the error is a compiled library's report of that
    interrupt, and the run is stopping because it was asked to.

    Examples:
        >>> with interrupts_kept():  # no signal came: errors pass as they are
        ...     int("x")
        Traceback (most recent call last):
        ...
        ValueError: invalid literal for int() with base 10: 'x'
    """
    try:
        yield
    except Exception as error:
        if _signalled.is_set():
            raise KeyboardInterrupt from error
        raise


@contextlib.contextmanager
def native_call() -> Iterator[None]:
    """Runs its block with SIGINT and SIGTERM at their default action (the process
    ends at once) when `handle_signals` was called, restoring the handlers after; a
    plain block otherwise. Only for blocks that write nothing and start no process.

    Examples:
        >>> with native_call():  # outside the command line: nothing changes
        ...     signal.getsignal(signal.SIGINT) is signal.default_int_handler
        True
    """
    if not _at_once.is_set() or threading.current_thread() is not threading.main_thread():
        yield
        return
    # A signal the process was started to ignore (a background job's SIGINT) stays so.
    handled = [n for n in _SIGNALS if signal.getsignal(n) is not signal.SIG_IGN]
    handlers = {number: signal.signal(number, signal.SIG_DFL) for number in handled}
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
