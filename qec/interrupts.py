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
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_at_once = threading.Event()  # set by `handle_signals`: this process is the command line


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def handle_signals() -> None:
    """The command line's handling: SIGTERM raises KeyboardInterrupt as SIGINT does,
    and either ends the process at once inside `native_call` (main thread only)."""
    signal.signal(signal.SIGTERM, _interrupt)
    _at_once.set()


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
