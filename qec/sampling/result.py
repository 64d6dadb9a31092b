"""An estimate of a logical error rate: the rate per shot and per round with 95%
intervals, what it rests on, and (when asked for) the fault kinds it rests on."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from textwrap import indent
from typing import TYPE_CHECKING, Any

from qec.errors import QecError
from qec.experiment import describe
from qec.intervals import WILSON, Interval, wilson
from qec.sampling.method import Counts, Method, Shortfall

if TYPE_CHECKING:  # scipy-free at run time: sinter's workers import this module
    from qec.sampling.core.attribution import Attribution


@dataclasses.dataclass(frozen=True)
class ScaledRate:
    """The logical error rate with every fault mechanism's odds p_i / (1 - p_i) of the
    circuit's detector error model multiplied by `scale`, decoded by the decoder built
    for scale 1: a point of the curve a splitting run measures along its ladder. For
    noise whose every mechanism is proportional to one rate p, scale s is
    the noise at s p to first order in p; the decoder keeps the weights of scale 1.

    Examples:
        >>> point = ScaledRate(scale=2.0, per_shot=Interval(1e-6, 8e-7, 1.3e-6), per_round=None)
        >>> ScaledRate.from_json(point.to_json()) == point
        True
    """

    scale: float
    per_shot: Interval
    per_round: Interval | None

    def to_json(self) -> dict[str, Any]:
        """The scale and both rates."""
        return {
            "scale": self.scale,
            "per_shot": self.per_shot.to_json(),
            "per_round": None if self.per_round is None else self.per_round.to_json(),
        }

    @staticmethod
    def curve(
        scales: Sequence[float], rates: Sequence[Interval], metadata: Mapping[str, Any]
    ) -> tuple[ScaledRate, ...]:
        """The points of per-shot `rates` at `scales` (a ladder's, top first), in
        increasing scale, per round for the rounds `metadata` states."""
        pairs = reversed(tuple(zip(scales, rates, strict=True)))
        return tuple(ScaledRate(s, rate, per_round_of(rate, metadata)) for s, rate in pairs)

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> ScaledRate:
        """The point `to_json` wrote."""
        per_round = data["per_round"]
        return ScaledRate(
            scale=float(data["scale"]),
            per_shot=Interval.from_json(data["per_shot"]),
            per_round=None if per_round is None else Interval.from_json(per_round),
        )


@dataclasses.dataclass(frozen=True)
class Estimate:
    """A logical error rate with what it rests on (`counts`, named for what its method
    counts), its time and 95% intervals.

    `per_shot` is the probability that a whole shot (all rounds) ends with the wrong
    logical value; `per_round` converts it as if rounds failed independently (None
    when the experiment's rounds are unknown: a user's circuit without `rounds`).
    `shortfall` says why the estimate falls short of what was asked (None when it does
    not); `assumptions` renders it after what ran and why. `attribution` is the rate's
    elasticity in each fault kind, when asked for (`qec.sampling.core.attribution`).
    `curve` (splitting only) is the rate at every noise scale the run's ladder visited,
    in increasing scale: from scale 1 (this estimate), or from below it when the run
    was asked for weaker noise too, up to the top level. A what-if on the noise strength
    reads it (`rate_at`) instead of sampling again.
    """

    metadata: Mapping[str, Any]
    decoder: str
    counts: Counts
    seconds: float
    per_shot: Interval
    per_round: Interval | None
    interval: str = WILSON
    assumptions: str = ""
    shortfall: Shortfall | None = None
    attribution: Attribution | None = None
    curve: tuple[ScaledRate, ...] = ()

    def rate_at(self, scale: float) -> ScaledRate:
        """The rate with every mechanism's odds times `scale`, read off `curve`: a
        level's point, or between two levels the straight line in log rate against log
        scale through theirs (the interval's ends likewise: an approximation, as good
        as the curve is smooth between levels a factor 2^(1/sqrt w) apart, w the faults
        of a failure). QecError outside the curve.

        Examples:
            >>> low, high = (ScaledRate(s, Interval(r, r / 2, r * 2), None)
            ...              for s, r in ((1.0, 1e-9), (4.0, 1e-6)))
            >>> estimate = Estimate.from_counts(metadata={}, decoder="pymatching",
            ...                                 shots=0, errors=0, seconds=0.0)
            >>> point = dataclasses.replace(estimate, curve=(low, high)).rate_at(2.0)
            >>> f"{point.per_shot.value:.3g}", point.per_round
            ('3.16e-08', None)
        """
        scales = [point.scale for point in self.curve]
        if not self.curve or not scales[0] <= scale <= scales[-1]:
            reach = f"in [{scales[0]:g}, {scales[-1]:g}]" if scales else "none: no curve"
            raise QecError.invalid("scale", scale, f"a scale the curve covers: {reach}")
        j = next(j for j, s in enumerate(scales) if s >= scale)  # the first level at or above
        if scales[j] == scale:
            return self.curve[j]
        lower, upper = self.curve[j - 1], self.curve[j]
        weight = math.log(scale / lower.scale) / math.log(upper.scale / lower.scale)

        def between(a: float, b: float) -> float:  # 0 where an end is 0
            return math.exp((1 - weight) * math.log(a) + weight * math.log(b)) if a * b else 0.0

        a, b = lower.per_shot, upper.per_shot
        rate = Interval(between(a.value, b.value), between(a.low, b.low), between(a.high, b.high))
        return ScaledRate(scale, rate, per_round_of(rate, self.metadata))

    @property
    def method(self) -> Method:
        """The method that ran."""
        return self.counts.method

    def require_per_round(self) -> Interval:
        """`per_round`; QecError when the experiment's rounds are unknown."""
        if self.per_round is None:
            raise QecError.invalid(
                "rounds", None, "a number of rounds, to convert the per-shot rate per round"
            )
        return self.per_round

    @property
    def shots(self) -> int:
        """Shots sampled directly (0 for stratified sampling and splitting, which sample
        fault sets and configurations, not shots: see `counts`)."""
        return self.counts.drawn if self.method is Method.MONTE_CARLO else 0

    @property
    def errors(self) -> int:
        """Logical errors among the direct shots (0 without direct shots)."""
        return self.counts.failing if self.method is Method.MONTE_CARLO else 0

    @staticmethod
    def from_counts(
        *, metadata: Mapping[str, Any], decoder: str, shots: int, errors: int, seconds: float
    ) -> Estimate:
        """The estimate for `errors` failures in `shots` shots.

        Examples:
            >>> e = Estimate.from_counts(metadata={"rounds": 1}, decoder="pymatching",
            ...                          shots=1000, errors=10, seconds=0.5)
            >>> print(e.per_round)
            0.01 [0.00544, 0.0183]
        """
        shot_rate = wilson(errors=errors, shots=shots)
        return Estimate(
            metadata=dict(metadata),
            decoder=decoder,
            counts=Counts(Method.MONTE_CARLO, drawn=shots, failing=errors),
            seconds=seconds,
            per_shot=shot_rate,
            per_round=per_round_of(shot_rate, metadata),
        )

    def to_json(self) -> dict[str, Any]:
        """One flat object: the experiment, decoder, counts (`counts`), method and both
        rates."""
        return {
            **self.metadata,
            "decoder": self.decoder,
            **self.counts.named(),
            "seconds": self.seconds,
            "method": self.method.value,
            "interval": self.interval,
            "assumptions": self.assumptions,
            "per_shot": self.per_shot.to_json(),
            "per_round": None if self.per_round is None else self.per_round.to_json(),
            **({} if self.attribution is None else {"attribution": self.attribution.to_json()}),
            **({"curve": [point.to_json() for point in self.curve]} if self.curve else {}),
        }

    def __str__(self) -> str:
        per_round = (
            "not given: the rounds are unknown (give rounds to convert)"
            if self.per_round is None
            else str(self.per_round)
        )
        return (
            f"{describe(self.metadata)} decoder={self.decoder}\n"
            f"  {self.counts}, {self.seconds:.1f} s "
            f"({self.method}; {self.interval} intervals)\n"
            f"  per shot:  {self.per_shot}\n"
            f"  per round: {per_round}"
            + (f"\n  how: {self.assumptions}" if self.assumptions else "")
            + (f"\n  {_curve_text(self.curve)}" if len(self.curve) > 1 else "")
            + ("" if self.attribution is None else "\n" + indent(str(self.attribution), "  "))
        )


def per_round_of(per_shot: Interval, metadata: Mapping[str, Any]) -> Interval | None:
    """`per_shot` per round, for the rounds `metadata` states (None without them)."""
    rounds = metadata.get("rounds")
    return None if rounds is None else per_shot.per_round(rounds=int(rounds))


def _curve_text(curve: tuple[ScaledRate, ...]) -> str:
    """The curve's ends and size, in one line."""
    weakest, strongest = curve[0], curve[-1]
    below = "" if weakest.scale == 1 else f"per shot {weakest.per_shot} at x{weakest.scale:.3g}, "
    return (
        f"curve: {len(curve)} noise scales from x{weakest.scale:.3g} to x{strongest.scale:.3g} "
        f"({below}per shot {strongest.per_shot} at x{strongest.scale:.3g}; Estimate.curve)"
    )
