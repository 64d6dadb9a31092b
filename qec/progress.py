"""The one progress report of `qec`: a line on stderr with what is done, the rate, the
time spent and the time left, for every long-running command."""

from __future__ import annotations

import sys
import time
from typing import TextIO

import sinter


class ProgressLine:
    """Prints progress at most once per `interval` seconds, starting after `delay`
    seconds, so short runs stay quiet. `label` starts every line.

    Feed it totals with `update`, sinter's progress callbacks with `sinter_callback`
    (which adds up the new stats), free text with `say`, or events with `log`.

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
        label: str = "qec",
        out: TextIO | None = None,
        delay: float = 2.0,
        interval: float = 1.0,
    ) -> None:
        self.max_shots = max_shots
        self.max_errors = max_errors
        self.label = label
        self.out = out if out is not None else sys.stderr
        self.delay = delay
        self.interval = interval
        self.start = time.monotonic()
        self.last = -float("inf")
        self.shown = False
        self.shots = 0
        self.errors = 0

    def _due(self) -> bool:
        now = time.monotonic()
        if now - self.start < self.delay or now - self.last < self.interval:
            return False
        self.last = now
        return True

    def _write(self, text: str) -> None:
        end = "\r" if self.out.isatty() else "\n"
        self.out.write(f"{self.label}: {text}   {end}")
        self.out.flush()
        self.shown = True

    def update(self, *, shots: int, errors: int) -> None:
        """Reports the totals so far (shots done, errors seen)."""
        self.shots, self.errors = shots, errors
        if not self._due():
            return
        elapsed = time.monotonic() - self.start
        done = max(
            shots / self.max_shots if self.max_shots else 0.0,
            errors / self.max_errors if self.max_errors else 0.0,
        )
        left = f", ~{elapsed * (1 - done) / done:.0f} s left" if 0 < done < 1 else ""
        rate = f"{errors / shots:.2e}" if shots else "-"
        speed = f", {shots / elapsed:,.0f} shots/s" if elapsed > 0 else ""
        shots_text = f"{shots:,}/{self.max_shots:,}" if self.max_shots else f"{shots:,}"
        errors_text = f"{errors:,}/{self.max_errors:,}" if self.max_errors else f"{errors:,}"
        self._write(
            f"{shots_text} shots, {errors_text} errors, rate {rate} per shot, "
            f"{elapsed:.0f} s{speed}{left}"
        )

    def sinter_callback(self, progress: sinter.Progress) -> None:
        """A `progress_callback` for `sinter.collect`: adds up its new stats."""
        for stats in progress.new_stats:
            self.shots += stats.shots
            self.errors += stats.errors
        self.update(shots=self.shots, errors=self.errors)

    def log(self, text: str) -> None:
        """Reports an event on a line of its own, with the time since the start (never
        rate-limited: for events such as a finished point)."""
        self.out.write(f"{self.label}: [{time.monotonic() - self.start:5.0f} s] {text}\n")
        self.out.flush()

    def say(self, text: str) -> None:
        """Reports a line of free text (rate-limited like `update`)."""
        if self._due():
            self._write(text)

    def finish(self) -> None:
        if self.shown and self.out.isatty():
            self.out.write("\n")
