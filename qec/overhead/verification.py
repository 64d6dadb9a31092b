"""Footprints checked by measurement: a pick that rests on a Lambda fit is measured by
multilevel splitting at its size and the next smaller one, and the row says what the
measurement found.

The rule (`verify`): a measured candidate *meets* the target when its 95% interval lies
at or below it, *misses* it when the interval lies above it, and cannot tell otherwise.
A pick that meets it is `verified` and the row then carries the measured rate; the walk
goes on down the family while the next smaller candidate meets it too (the fit
overstated the footprint). A pick that misses it is replaced by the next larger one if
that one meets it. Otherwise the row stays `extrapolated`, and its reasons say what was
measured, or why nothing could be (`Verified`, `NotVerified`: reasons as data); a pick
that misses the target when measured (and no larger size verified) is refuted
(`Unverified.REFUTED`): its row becomes `unresolved` and claims no count.
The measurements also move the row's qubit interval (`FootprintRow.qubit_interval`):
a verified size caps it, a size that misses the target puts the next larger one under
it, along the pick's family. Either way, a measured interval at the pick that
excludes the extrapolated rate is reported as a disagreement. The measurements never
enter the fits: they check them.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Callable

from qec.intervals import Interval
from qec.overhead.reasons import Disagreement, FitsTooLow, Moved, NotChecked, NotMeasured
from qec.overhead.rows import (
    EXTRAPOLATED,
    MEASURED,
    NOT_REACHED,
    UNRESOLVED,
    ComponentRate,
    Derived,
    FootprintRow,
    Reason,
    method_of,
    total_rate,
)


@dataclasses.dataclass(frozen=True)
class Check:
    """Candidate `step` of a family with its parts as measured (sampled in the solver's
    range, first order, or by splitting), or why a part could not be measured.

    Examples:
        >>> part = ComponentRate("memory X", Interval(2e-9, 1e-9, 4e-9), "splitting")
        >>> check = Check(step=5, size="d=13", qubits=337.0, parts=(part,))
        >>> print(check)
        d=13 (337 qubits): 2e-09 [1e-09, 4e-09] per round (splitting)
        >>> check.meets(1e-8), check.meets(3e-9), check.meets(5e-10)
        (True, None, False)
    """

    step: int
    size: str
    qubits: float
    parts: tuple[ComponentRate, ...] = ()
    missing: NotMeasured | None = None

    @property
    def total(self) -> Interval | None:
        """The parts' intervals added, or None when a part could not be measured."""
        if self.missing is not None or not self.parts:
            return None
        return total_rate(self.parts)

    def meets(self, target: float) -> bool | None:
        """True if the measured 95% interval lies at or below `target`, False if above
        it, None if it straddles it or nothing was measured."""
        total = self.total
        if total is None:
            return None
        if total.high <= target:
            return True
        if total.low > target:
            return False
        return None

    def __str__(self) -> str:
        head = f"{self.size} ({self.qubits:g} qubits)"
        total = self.total
        if total is None:
            return f"{head}: not measured ({self.missing})"
        return f"{head}: {total} per round ({method_of(self.parts)})"


class Where(enum.Enum):
    """Which candidate a check measured, relative to the fit's pick."""

    AT_THE_PICK = "at the pick"
    ONE_SIZE_UP = "one size up"
    ONE_SIZE_DOWN = "one size down"


@dataclasses.dataclass(frozen=True)
class Finding:
    """What one check found: the candidate `where`, as measured (`check`), and whether
    its interval meets the target (`Check.meets`: True, False, or None for cannot tell).

    Examples:
        >>> part = ComponentRate("memory X", Interval(2e-9, 1e-9, 4e-9), "splitting")
        >>> print(Finding(Where.AT_THE_PICK, Check(5, "d=13", 337.0, (part,)), True))
        ... # doctest: +NORMALIZE_WHITESPACE
        at the pick, d=13 (337 qubits): 2e-09 [1e-09, 4e-09] per round (splitting),
        meets the target
    """

    where: Where
    check: Check
    meets: bool | None

    def __str__(self) -> str:
        verdict = {True: "meets the target", False: "misses it", None: "cannot tell"}
        tail = f", {verdict[self.meets]}" if self.check.total is not None else ""
        return f"{self.where.value}, {self.check}{tail}"


class Unverified(enum.Enum):
    """Why the checks did not verify a pick (the values are the note's words)."""

    STRADDLES = "the measured interval straddles the target"
    UNMEASURED = "the pick could not be measured"
    REFUTED = "the pick misses the target when measured"  # its row becomes unresolved


@dataclasses.dataclass(frozen=True)
class NotVerified(Reason):
    """An extrapolated pick the checks did not verify: `why`, and what they found.

    Examples:
        >>> print(NotVerified(Unverified.UNMEASURED, (Finding(Where.AT_THE_PICK,
        ...     Check(5, "d=13", 337.0, missing=NotMeasured("X", "no unit finished")), None),)))
        ... # doctest: +NORMALIZE_WHITESPACE
        Not verified (the pick could not be measured): at the pick, d=13 (337 qubits):
        not measured (X: no unit finished).
    """

    why: Unverified
    findings: tuple[Finding, ...]

    def __str__(self) -> str:
        said = "; ".join(str(f) for f in self.findings)
        return f"Not verified ({self.why.value}): {said}."


@dataclasses.dataclass(frozen=True)
class Verified(Reason):
    """A candidate verified by the checks (`findings`), with what the fit gave at its
    pick: `fitted` per round at `size` (`qubits`)."""

    findings: tuple[Finding, ...]
    fitted: Interval | None
    size: str
    qubits: float | None

    def __str__(self) -> str:
        said = "; ".join(str(f) for f in self.findings)
        return (
            f"Verified by splitting: {said}; the fit gave {self.fitted} per round at "
            f"{self.size} ({self.qubits:g} qubits)."
        )


def verify(
    row: FootprintRow,
    *,
    step: int,
    last_step: int,
    check: Callable[[int], Check] | NotChecked,
    row_at: Callable[[Check, tuple[Reason, ...]], FootprintRow],
    caution: Callable[[], FitsTooLow | None] | None = None,
) -> FootprintRow:
    """`row`, the solver's pick at `step` of its family, checked by measurement (see the
    module): `check(k)` measures candidate k (at most `last_step`), or says why no
    check runs; `row_at(check, reasons)` makes the verified row of a measured
    candidate. `caution()`, asked after the checks, says where else in the design the
    measurements lie above the fits (None if nowhere): a row left unverified then
    carries it and its qubit interval is left open above."""
    if row.status == NOT_REACHED:
        return row
    if row.method != Derived.EXTRAPOLATED:
        return dataclasses.replace(row, evidence=MEASURED)
    if isinstance(check, NotChecked):
        return row.noted(check, evidence=EXTRAPOLATED)
    measure, target = check, row.round_target
    findings: list[Finding] = []

    def measured(k: int, where: Where) -> Check:
        found = measure(k)
        findings.append(Finding(where, found, found.meets(target)))
        return found

    pick = measured(step, Where.AT_THE_PICK)
    verdict = pick.meets(target)
    best = pick if verdict else None
    floor = 0.0  # the fewest qubits the measurements leave possible along the family
    if verdict is False and step < last_step:
        larger = measured(step + 1, Where.ONE_SIZE_UP)
        floor = larger.qubits
        best = larger if larger.meets(target) else None
    if verdict is not False:
        smaller = step - 1
        while smaller >= 0:
            below = measured(smaller, Where.ONE_SIZE_DOWN)
            below_verdict = below.meets(target)
            if not below_verdict:
                if below_verdict is False:
                    floor = (best or pick).qubits
                break
            best, smaller = below, smaller - 1
    disagreement = _disagreement(pick, row.per_round)
    if best is None:
        why = Unverified.STRADDLES
        if verdict is False:
            why = Unverified.REFUTED
        elif pick.total is None:
            why = Unverified.UNMEASURED
        warning = caution() if caution is not None else None
        unverified = row.noted(
            NotVerified(why, tuple(findings)),
            *disagreement,
            *(() if warning is None else (warning,)),
            evidence=EXTRAPOLATED,
        )
        if why is Unverified.REFUTED:  # the fits' count is not claimed
            unverified = dataclasses.replace(unverified, status=UNRESOLVED)
        open_above = warning is not None
        return _measured_qubits(unverified, floor=floor, ceiling=None, open_above=open_above)
    moved = () if best.step == step else (Moved(smaller=best.step < step),)
    verified = Verified(tuple(findings), row.per_round, row.size, row.qubits)
    found = row_at(best, (verified, *moved, *disagreement))
    return _measured_qubits(found, floor=floor, ceiling=best.qubits)


def _measured_qubits(
    row: FootprintRow, *, floor: float, ceiling: float | None, open_above: bool = False
) -> FootprintRow:
    """`row` with its qubit interval moved by what was measured: a candidate whose
    measured interval meets the target caps it (`ceiling`), one that misses it puts the
    next larger size's count under it (`floor`); a refuted pick, or one whose fits the
    measurements found too low elsewhere (`open_above`), leaves it open above."""
    qubits = row.qubit_interval
    if qubits is None:
        return row
    bounded = row.met and not open_above
    high = ceiling if ceiling is not None else qubits.high if bounded else math.inf
    low, value = (max(min(x, high), floor) for x in (qubits.low, qubits.value))
    return dataclasses.replace(row, qubit_interval=Interval(value, low, high))


def _disagreement(pick: Check, extrapolated: Interval | None) -> tuple[Disagreement, ...]:
    """The disagreement when the measured interval at the pick excludes the fit's
    value, else nothing."""
    total = pick.total
    if total is None or extrapolated is None:
        return ()
    if total.low <= extrapolated.value <= total.high:
        return ()
    return (Disagreement(fitted=extrapolated.value, measured=total),)
