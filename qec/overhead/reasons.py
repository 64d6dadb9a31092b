"""Why a footprint row is as it is, as data: why no check by splitting ran, what a
check could not measure, where measurement and fit disagree, where the fits were
measured too low, why no candidate reached a target. Each reason is a frozen dataclass
whose `str()` is its sentence, rendered here and nowhere else; a row carries its
reasons (`FootprintRow.reasons`) and its note joins their sentences, so code and tests
read fields, never words. The status rule's reason (`AboveTarget`) lives with the rule
in `qec.overhead.rows`; the verdicts that cite the checks (`NotVerified`,
`Verified`) live with the checks in `qec.overhead.verification`.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Iterable

from qec.analysis.fit_summary import FitSummary
from qec.intervals import Interval
from qec.overhead.rows import Reason
from qec.sampling.method import Shortfall


@dataclasses.dataclass(frozen=True)
class NotMeasured:
    """Why a check could not measure `component`: the `cause` the estimator gave (its
    shortfall, or the input error's text).

    Examples:
        >>> print(NotMeasured("memory X", "no splitting unit finished within max_seconds=60"))
        memory X: no splitting unit finished within max_seconds=60
    """

    component: str
    cause: Shortfall | str

    def __str__(self) -> str:
        return f"{self.component}: {self.cause}"


class Unchecked(enum.Enum):
    """Why no pick of a design is checked by splitting."""

    OTHER_DECODER = "other_decoder"  # the solver checks with PyMatching, the points used another
    NO_TIME = "no_time"  # Budget.verify_seconds = 0


@dataclasses.dataclass(frozen=True)
class NotChecked(Reason):
    """Why an extrapolated pick was not checked by splitting: its `cause`, and for
    `Unchecked.OTHER_DECODER` the `decoder` its points were decoded with.

    Examples:
        >>> print(NotChecked(Unchecked.NO_TIME))
        Not verified: no checks by splitting (verify_seconds = 0).
    """

    cause: Unchecked
    decoder: str = ""

    def __str__(self) -> str:
        why = "verify_seconds = 0"
        if self.cause is Unchecked.OTHER_DECODER:
            why = f"the solver's checks decode with PyMatching, these points with {self.decoder}"
        return f"Not verified: no checks by splitting ({why})."


@dataclasses.dataclass(frozen=True)
class Moved(Reason):
    """The checks moved the footprint off the fit's pick: to a `smaller` size, or a
    larger one."""

    smaller: bool

    def __str__(self) -> str:
        direction = "smaller" if self.smaller else "larger"
        return f"The footprint moved to a {direction} size than the fit's pick."


@dataclasses.dataclass(frozen=True)
class Disagreement(Reason):
    """The `measured` interval at the pick excludes the fit's value there (`fitted`).

    Examples:
        >>> print(Disagreement(fitted=5e-9, measured=Interval(3e-8, 2e-8, 4e-8)))
        ... # doctest: +NORMALIZE_WHITESPACE
        The measurement and the extrapolation disagree: the fit's 5e-09 lies below the
        measured interval (0.17x the measured rate).
    """

    fitted: float
    measured: Interval

    @property
    def factor(self) -> float:
        """The fit's value over the measured rate (infinite when that is 0)."""
        return self.fitted / self.measured.value if self.measured.value > 0 else math.inf

    def __str__(self) -> str:
        side = "above" if self.fitted > self.measured.high else "below"
        return (
            f"The measurement and the extrapolation disagree: the fit's {self.fitted:.3g} "
            f"lies {side} the measured interval ({self.factor:.2g}x the measured rate)."
        )


@dataclasses.dataclass(frozen=True)
class MeasuredAboveFit:
    """A checked candidate, `size` along `family`, whose `measured` interval lies above
    its total rate from the fits (`fitted`): there the fits underestimate the rate.

    Examples:
        >>> print(MeasuredAboveFit("nbar=10", "d=35", Interval(1.2e-6, 8.8e-7, 1.6e-6), 6.13e-7))
        nbar=10 d=35: measured 1.2e-06 [8.8e-07, 1.6e-06], from the fits 6.13e-07 (2x)
    """

    family: str
    size: str
    measured: Interval
    fitted: float

    @property
    def factor(self) -> float:
        """The measured rate over the fits' value."""
        return self.measured.value / self.fitted

    def __str__(self) -> str:
        where = " ".join(p for p in (self.family, self.size) if p != "d")
        return (
            f"{where}: measured {self.measured}, from the fits {self.fitted:.3g} "
            f"({self.factor:.2g}x)"
        )


@dataclasses.dataclass(frozen=True)
class FitsTooLow(Reason):
    """Candidates of the design measured above their fits (`found`, never empty): a
    pick that rests on these fits may need more qubits, so its interval is left open
    above."""

    found: tuple[MeasuredAboveFit, ...]

    def __str__(self) -> str:
        return (
            "The fits underestimate the rate where this design was measured beyond them "
            f"({'; '.join(str(f) for f in self.found)}), so this pick may need more qubits: "
            "its interval is left open above."
        )


@dataclasses.dataclass(frozen=True)
class NotReached(Reason):
    """No candidate up to distance `max_distance` reaches the target, with the `fits`
    the walk rested on.

    Examples:
        >>> print(NotReached(151, ()))  # doctest: +NORMALIZE_WHITESPACE
        no candidate up to distance 151 reaches the target under these assumptions (or
        its rates could not be measured or fitted).
    """

    max_distance: int
    fits: tuple[FitSummary, ...]

    def __str__(self) -> str:
        return (
            f"no candidate up to distance {self.max_distance} reaches the target under "
            "these assumptions (or its rates could not be measured or fitted). "
            + summarize_fits(self.fits)
        )


def summarize_fits(fits: Iterable[FitSummary]) -> str:
    """One sentence on many fits: the range of fitted Lambdas per component over the
    families, and how many families had no fit.

    Examples:
        >>> fits = [FitSummary(family=f"nbar={n}", component="phase flips",
        ...                    distances=(3, 5), Lambda=Interval(v, v, v))
        ...         for n, v in ((4, 0.8), (8, 1.2))]
        >>> summarize_fits(fits)
        'Fits: phase flips: fitted Lambda 0.8..1.2 in 2 families.'
    """
    lambdas: dict[str, list[float]] = {}
    unfit: dict[str, int] = {}
    for fit in fits:
        if fit.Lambda is None:
            unfit[fit.component] = unfit.get(fit.component, 0) + 1
        else:
            lambdas.setdefault(fit.component, []).append(fit.Lambda.value)
    parts = []
    for label in dict.fromkeys([*lambdas, *unfit]):
        values = lambdas.get(label, [])
        text = f"{label}: "
        if len(values) > 1:
            text += f"fitted Lambda {min(values):.3g}..{max(values):.3g} in {len(values)} families"
        elif values:
            text += f"fitted Lambda {values[0]:.3g}"
        if label in unfit:
            text += (", " if values else "") + (
                f"no fit in {unfit[label]} families (failures seen at < 2 distances)"
            )
        parts.append(text)
    return "Fits: " + "; ".join(parts) + "." if parts else ""


@dataclasses.dataclass(frozen=True)
class AboveThreshold(Reason):
    """No candidate reaches the target because the code is above threshold, or too
    close to it to tell: in every family the fitted Lambda's 95% interval reaches 1 or
    below (`fits`, never empty), so the sampled rates do not show a fall with the
    distance (saturated rates, as far above threshold, fit Lambda ~ 1).

    Examples:
        >>> fit = FitSummary(family="nbar=8", component="phase flips",
        ...                  distances=(5, 9), Lambda=Interval(1.1, 0.8, 1.3))
        >>> print(AboveThreshold((fit,)))  # doctest: +NORMALIZE_WHITESPACE
        above threshold (or too close to tell) under these assumptions: the rates do not
        fall with the distance (fitted Lambda's 95% interval reaches 1 in every family).
        Fits: phase flips: fitted Lambda 1.1.
    """

    fits: tuple[FitSummary, ...]

    def __str__(self) -> str:
        return (
            "above threshold (or too close to tell) under these assumptions: the rates do "
            "not fall with the distance (fitted Lambda's 95% interval reaches 1 in every "
            "family). " + summarize_fits(self.fits)
        )


@dataclasses.dataclass(frozen=True)
class BeyondCodes(Reason):
    """A design whose code exists at a few distances only (the LDPC-cat codes) does
    not reach the target with its largest code, distance `largest`. `needed` is the
    distance at which the fits of the family `family` would meet it (extrapolated,
    models and ranges in `fits`), or None when no fit extrapolates that far.

    Examples:
        >>> print(BeyondCodes(largest=22, needed=31, family="nbar=12", fits=()))
        ... # doctest: +NORMALIZE_WHITESPACE
        beyond the paper's codes: the largest, d = 22, does not reach the target; the
        fits of nbar=12 reach it at d = 31 (extrapolated).
    """

    largest: int
    needed: int | None
    family: str
    fits: tuple[FitSummary, ...]

    def __str__(self) -> str:
        where = (
            f"the fits of {self.family} reach it at d = {self.needed} (extrapolated). "
            if self.needed is not None
            else "no fit extrapolates to it (a first-order part alone may exceed it). "
        )
        return (
            f"beyond the paper's codes: the largest, d = {self.largest}, does not reach the "
            f"target; {where}" + summarize_fits(self.fits)
        ).strip()
