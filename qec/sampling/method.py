"""The estimators by one name each, and the reasons an estimate falls short of what was
asked, as data: the prose is rendered from them here, once."""

from __future__ import annotations

import dataclasses
import enum

from qec.errors import QecError

AUTO = "auto"


class NamedEnum(str, enum.Enum):
    """An enum whose members are their names: each compares equal to its value and
    prints as it (also in reprs, so that results holding one round-trip through
    `eval(repr(...))`), so files, JSON and text keep the plain names."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def __repr__(self) -> str:
        return repr(self.value)


class Method(NamedEnum):
    """An estimator of a logical error rate. Its value is the name that files, JSON and
    the command line use.

    Examples:
        >>> Method.parse("splitting") is Method.SPLITTING
        True
        >>> f"{Method.MONTE_CARLO}", Method.STRATIFIED == "stratified"
        ('monte_carlo', True)
    """

    MONTE_CARLO = "monte_carlo"  # direct Monte Carlo: whole shots sampled and decoded
    STRATIFIED = "stratified"  # fault sets sampled stratum by stratum
    SPLITTING = "splitting"  # multilevel splitting down a ladder of noise strengths

    @property
    def rare_event(self) -> bool:
        """Whether the method samples fault sets, not shots (stratified, splitting)."""
        return self is not Method.MONTE_CARLO

    @staticmethod
    def parse(name: str | Method) -> Method:
        """The method named `name`; QecError naming the allowed ones otherwise."""
        try:
            return Method(name)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in Method)
            raise QecError.invalid("method", name, f"one of {allowed}") from None


@dataclasses.dataclass(frozen=True)
class Counts:
    """What an estimate rests on, by `method`: `drawn` shots and the `failing` ones
    (errors) for direct Monte Carlo; fault sets and the failing ones for stratified
    sampling; configurations decoded for splitting, which counts no failures (its rate
    is a product of ratios, not a fraction). `named` gives them the names of what they
    count, as JSON and text print them.

    Examples:
        >>> Counts(Method.STRATIFIED, drawn=2000, failing=3).named()
        {'fault_sets': 2000, 'failing_fault_sets': 3}
        >>> print(Counts(Method.SPLITTING, drawn=410_840))
        410,840 configurations decoded
    """

    method: Method
    drawn: int
    failing: int = 0

    def named(self) -> dict[str, int]:
        """The counts under the names of what was counted."""
        if self.method is Method.STRATIFIED:
            return {"fault_sets": self.drawn, "failing_fault_sets": self.failing}
        if self.method is Method.SPLITTING:
            return {"configurations_decoded": self.drawn}
        return {"shots": self.drawn, "errors": self.failing}

    def __str__(self) -> str:
        return ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in self.named().items())


@dataclasses.dataclass(frozen=True)
class NoUnitFinished:
    """Splitting gave no estimate: no unit finished within `max_seconds` (which counted
    the time already in the save file when `saved_time_counted`)."""

    max_seconds: float
    unit_decodes: int
    levels: int
    saved_time_counted: bool

    def __str__(self) -> str:
        saved = ", earlier runs' time in the save file included" if self.saved_time_counted else ""
        return (
            f"no estimate, no splitting unit finished within max_seconds={self.max_seconds:g}"
            f"{saved} (a unit decodes about {self.unit_decodes:,} configurations over "
            f"{self.levels} noise strengths): raise --max-seconds"
        )


@dataclasses.dataclass(frozen=True)
class PrecisionNotReached:
    """Time ran out before the interval's half-width reached `asked` of the rate."""

    reached: float
    asked: float

    def __str__(self) -> str:
        return (
            f"the half-width is {self.reached:.0%} of the rate, not the {self.asked:.0%} asked "
            "for (time ran out): a wide interval"
        )


@dataclasses.dataclass(frozen=True)
class SetupOverBudget:
    """No estimate: setting the run up (the circuit, its detector error model, the
    decoding problem) took `setup_seconds`, all of `max_seconds`.

    Examples:
        >>> print(SetupOverBudget(max_seconds=10, setup_seconds=12.4))
        no estimate, setting this circuit up (its detector error model and decoding \
problem) took 12 s of max_seconds=10: raise --max-seconds (rows in the save file are kept)
    """

    max_seconds: float
    setup_seconds: float

    def __str__(self) -> str:
        return (
            "no estimate, setting this circuit up (its detector error model and decoding "
            f"problem) took {self.setup_seconds:.0f} s of max_seconds={self.max_seconds:g}: "
            "raise --max-seconds (rows in the save file are kept)"
        )


Shortfall = NoUnitFinished | PrecisionNotReached | SetupOverBudget
