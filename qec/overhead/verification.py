"""Footprints checked by measurement: a pick that rests on a Lambda fit is measured by
multilevel splitting at its size and the next smaller one, and the row says what the
measurement found.

The rule (`verify`): a measured candidate *meets* the target when its 95% interval lies
at or below it, *misses* it when the interval lies above it, and cannot tell otherwise.
A pick that meets it is `verified` and the row then carries the measured rate; the walk
goes on down the family while the next smaller candidate meets it too (the fit
overstated the footprint). A pick that misses it is replaced by the next larger one if
that one meets it. Otherwise the row stays `extrapolated`, and its note says what was
measured, or why nothing could be; a pick that misses the target when measured (and no
larger size verified) is refuted: its row becomes `unresolved` and claims no count.
The measurements also move the row's qubit interval (`FootprintRow.qubit_interval`):
a verified size caps it, a size that misses the target puts the next larger one under
it, along the pick's family. Either way, a measured interval at the pick that
excludes the extrapolated rate is reported as a disagreement. The measurements never
enter the fits: they check them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from qec.intervals import Interval
from qec.overhead.rows import (
    EXTRAPOLATED,
    MEASURED,
    NOT_REACHED,
    UNRESOLVED,
    ComponentRate,
    FootprintRow,
    method_of,
    total_rate,
)

REFUTED = "the pick misses the target when measured"
"""What a row's note says of a pick that measurement refuted (its status: unresolved)."""


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
    missing: str = ""

    @property
    def total(self) -> Interval | None:
        """The parts' intervals added, or None when a part could not be measured."""
        if self.missing or not self.parts:
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


def verify(
    row: FootprintRow,
    *,
    step: int,
    last_step: int,
    check: Callable[[int], Check] | None,
    row_at: Callable[[Check, str], FootprintRow],
    unchecked: str = "verify_seconds = 0",
    caution: Callable[[], str] | None = None,
) -> FootprintRow:
    """`row`, the solver's pick at `step` of its family, checked by measurement (see the
    module): `check(k)` measures candidate k (at most `last_step`; None: no checks, for
    the reason `unchecked`), `row_at(check, note)` makes the verified row of a measured
    candidate. `caution()`, asked after the checks, says where else in the design the
    measurements lie above the fits ("" if nowhere): a row left unverified then says
    so and its qubit interval is left open above."""
    if row.status == NOT_REACHED:
        return row
    if row.method != EXTRAPOLATED:
        return dataclasses.replace(row, evidence=MEASURED)
    if check is None:
        note = f"Not verified: no checks by splitting ({unchecked})."
        return row.noted(note, evidence=EXTRAPOLATED)
    target = row.target
    findings: list[str] = []

    def measured(k: int, where: str) -> Check:
        found = check(k)
        verdict = {True: "meets the target", False: "misses it", None: "cannot tell"}
        tail = f", {verdict[found.meets(target)]}" if found.total is not None else ""
        findings.append(f"{where}, {found}{tail}")
        return found

    pick = measured(step, "at the pick")
    verdict = pick.meets(target)
    best = pick if verdict else None
    floor = 0.0  # the fewest qubits the measurements leave possible along the family
    if verdict is False and step < last_step:
        larger = measured(step + 1, "one size up")
        floor = larger.qubits
        best = larger if larger.meets(target) else None
    if verdict is not False:
        smaller = step - 1
        while smaller >= 0:
            below = measured(smaller, "one size down")
            below_verdict = below.meets(target)
            if not below_verdict:
                if below_verdict is False:
                    floor = (best or pick).qubits
                break
            best, smaller = below, smaller - 1
    said = "; ".join(findings)
    disagreement = _disagreement(pick, row.per_round)
    if best is None:
        why = "the measured interval straddles the target"
        if verdict is False:
            why = REFUTED
        elif pick.total is None:
            why = "the pick could not be measured"
        warning = caution() if caution is not None else ""
        note = f"Not verified ({why}): {said}.{disagreement}" + (f" {warning}" if warning else "")
        unverified = row.noted(note, evidence=EXTRAPOLATED)
        if verdict is False:  # refuted: the fits' count is not claimed
            unverified = dataclasses.replace(unverified, status=UNRESOLVED)
        return _measured_qubits(unverified, floor=floor, ceiling=None, open_above=bool(warning))
    moved = ""
    if best.step != step:
        direction = "smaller" if best.step < step else "larger"
        moved = f" The footprint moved to a {direction} size than the fit's pick."
    extrapolated = f"the fit gave {row.per_round} per round at {row.size} ({row.qubits:g} qubits)"
    found = row_at(best, f"Verified by splitting: {said}; {extrapolated}.{moved}{disagreement}")
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


def _disagreement(pick: Check, extrapolated: Interval | None) -> str:
    """A sentence when the measured interval at the pick excludes the fit's value."""
    total = pick.total
    if total is None or extrapolated is None:
        return ""
    value = extrapolated.value
    if total.low <= value <= total.high:
        return ""
    factor = value / total.value if total.value > 0 else math.inf
    side = "above" if value > total.high else "below"
    return (
        f" The measurement and the extrapolation disagree: the fit's {value:.3g} lies "
        f"{side} the measured interval ({factor:.2g}x the measured rate)."
    )
