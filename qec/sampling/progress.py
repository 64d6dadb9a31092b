"""A one-line progress report on stderr: shots, errors, rate and time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressLine:
    """Prints progress at most once per `interval` seconds, starting after `delay`
    seconds, so short runs stay quiet.

    Examples:
        >>> import io
        >>> out = io.StringIO()
        >>> line = ProgressLine(max_shots=1000, max_errors=10, out=out, delay=0, interval=0)
        >>> line.update(shots=500, errors=2)
        >>> "500/1,000 shots" in out.getvalue()
        True
    """

    def __init__(
        self,
        *,
        max_shots: int | None,
        max_errors: int | None,
        out: TextIO | None = None,
        delay: float = 2.0,
        interval: float = 1.0,
    ) -> None:
        self.max_shots = max_shots
        self.max_errors = max_errors
        self.out = out if out is not None else sys.stderr
        self.delay = delay
        self.interval = interval
        self.start = time.monotonic()
        self.last = -float("inf")
        self.shown = False

    def update(self, *, shots: int, errors: int) -> None:
        now = time.monotonic()
        elapsed = now - self.start
        if elapsed < self.delay or now - self.last < self.interval:
            return
        self.last = now
        done = max(
            shots / self.max_shots if self.max_shots else 0.0,
            errors / self.max_errors if self.max_errors else 0.0,
        )
        left = f", ~{elapsed * (1 - done) / done:.0f} s left" if 0 < done < 1 else ""
        rate = f"{errors / shots:.2e}" if shots else "-"
        shots_text = f"{shots:,}/{self.max_shots:,}" if self.max_shots else f"{shots:,}"
        errors_text = f"{errors:,}/{self.max_errors:,}" if self.max_errors else f"{errors:,}"
        end = "\r" if self.out.isatty() else "\n"
        self.out.write(
            f"qec: {shots_text} shots, {errors_text} errors, rate {rate} per shot, "
            f"{elapsed:.0f} s{left}   {end}"
        )
        self.out.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown and self.out.isatty():
            self.out.write("\n")
