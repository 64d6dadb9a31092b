"""A point of a Lambda fit at one distance: the failures seen in direct shots (binomial
counts), or a rate estimated with its 95% interval by stratified sampling or splitting,
whose numbers are not counts of shots."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, Protocol

from qec.errors import QecError, check_int
from qec.intervals import Interval, Z, shot_to_round
from qec.sampling.method import Counts, Method

BINOMIAL = Method.MONTE_CARLO
# The smallest spread of an estimate in log p_L that a fit takes (a fully enumerated
# stratified estimate is exact: its interval has no width); numerical, far below any
# sampled interval.
MIN_LOG_SIGMA = 1e-6


class EstimateLike(Protocol):
    """What a point needs of an estimate (`Estimate`, or a rate read back from a file)."""

    @property
    def metadata(self) -> Mapping[str, Any]: ...
    @property
    def method(self) -> Method: ...
    @property
    def counts(self) -> Counts: ...
    @property
    def per_round(self) -> Interval | None: ...


@dataclasses.dataclass(frozen=True)
class FitPoint:
    """`errors` logical failures in `shots` shots of `rounds` rounds at `distance`; or,
    with `rate`, a per-round rate and its 95% interval estimated by `method` (stratified
    or splitting), for which `shots` and `errors` only say what it rests on (fault sets
    and failing ones, or decoded configurations) and never enter the likelihood.

    Examples:
        >>> FitPoint(distance=5, shots=1000, errors=3, rounds=5).per_round
        0.00060144...
        >>> point = FitPoint.of_rate(7, Interval(2e-7, 1e-7, 5e-7), method=Method.SPLITTING,
        ...                        rounds=7)
        >>> point.per_round, point.binomial
        (2e-07, False)
    """

    distance: int
    shots: int
    errors: int
    rounds: int = 1
    rate: Interval | None = None
    method: Method = BINOMIAL

    def __post_init__(self) -> None:
        check_int("distance", self.distance, minimum=1)
        check_int("rounds", self.rounds, minimum=1)
        check_int("shots", self.shots, minimum=1 if self.rate is None else 0)
        check_int("errors", self.errors, minimum=0)
        for name in ("distance", "shots", "rounds", "errors"):  # numpy integers -> int
            object.__setattr__(self, name, int(getattr(self, name)))
        object.__setattr__(self, "method", Method.parse(self.method))
        if self.rate is None:
            if self.method is not BINOMIAL:
                raise QecError.invalid("method", self.method, f"{BINOMIAL!r} without a rate")
            if self.errors > self.shots:
                raise QecError.invalid("errors", self.errors, f"at most shots={self.shots}")
            return
        if self.method is BINOMIAL:
            raise QecError.invalid(
                "method", self.method, "the estimator of the rate (stratified, splitting)"
            )
        r = self.rate
        if not (0 <= r.low <= r.value <= r.high <= 0.5 and r.high > 0):
            raise QecError.invalid(
                "rate", str(r), "a per-round rate with 0 <= low <= value <= high <= 1/2, high > 0"
            )

    @staticmethod
    def of_rate(
        distance: int,
        rate: Interval,
        *,
        method: Method,
        rounds: int = 1,
        shots: int = 0,
        errors: int = 0,
    ) -> FitPoint | None:
        """A point from an estimated per-round rate with its 95% interval (an end beyond
        1/2 cut there), or None when it tells nothing: its interval is all 0, or its
        rate is 1/2 or more (a random outcome)."""
        if not rate.high > 0 or not rate.value < 0.5:
            return None
        rate = Interval(rate.value, rate.low, min(rate.high, 0.5))
        return FitPoint(distance, shots, errors, rounds, rate=rate, method=method)

    @staticmethod
    def of_estimate(result: EstimateLike, distance: int) -> FitPoint | None:
        """The point of an estimate at `distance`: the counts of direct shots, else its
        rate with its 95% interval (fault sets and configurations are not shots); None
        when it tells nothing (`of_rate`)."""
        rounds = int(result.metadata["rounds"])
        drawn, failing = result.counts.drawn, result.counts.failing
        if result.method is BINOMIAL:
            return FitPoint(distance, drawn, failing, rounds)
        if result.per_round is None:
            return None
        return FitPoint.of_rate(
            distance,
            result.per_round,
            method=result.method,
            rounds=rounds,
            shots=drawn,
            errors=failing,
        )

    @property
    def binomial(self) -> bool:
        """Whether the point is binomial counts of direct shots."""
        return self.rate is None

    @property
    def per_round(self) -> float:
        """The observed per-round rate: converted from errors / shots, or the estimate."""
        if self.rate is not None:
            return self.rate.value
        return shot_to_round(self.errors / self.shots, rounds=self.rounds)

    @property
    def information(self) -> float:
        """How strongly the point pins log p_L: its errors (1 / variance of log p for
        binomial counts), or 1 / sigma^2 of an estimate's interval in log p (0 when it
        has only an upper end)."""
        if self.rate is None:
            return float(self.errors)
        r = self.rate
        if r.low <= 0:
            return 0.0
        return float((2 * Z / max(math.log(r.high / r.low), 2 * Z * MIN_LOG_SIGMA)) ** 2)

    def counts(self) -> dict[str, int]:
        """What the point rests on, under names that say what was counted (`Counts`):
        shots and errors; fault sets and the failing ones (stratified); configurations
        decoded (splitting)."""
        return Counts(self.method, drawn=self.shots, failing=self.errors).named()

    def to_json(self) -> dict[str, Any]:
        """The point, its counts named by `counts`."""
        if self.rate is None:
            return {"distance": self.distance, **self.counts(), "rounds": self.rounds}
        return {
            "distance": self.distance,
            "rounds": self.rounds,
            "method": self.method.value,
            "per_round": self.rate.to_json(),
            **self.counts(),
        }
