"""A point of a Lambda fit: the failures seen in the shots of one distance."""

from __future__ import annotations

import dataclasses

from qec.errors import QecError, check_int
from qec.intervals import shot_to_round


@dataclasses.dataclass(frozen=True)
class FitPoint:
    """`errors` logical failures in `shots` shots of `rounds` rounds at `distance`.

    Examples:
        >>> FitPoint(distance=5, shots=1000, errors=3, rounds=5).per_round
        0.00060144...
    """

    distance: int
    shots: int
    errors: int
    rounds: int = 1

    def __post_init__(self) -> None:
        check_int("distance", self.distance, minimum=1)
        check_int("shots", self.shots, minimum=1)
        check_int("rounds", self.rounds, minimum=1)
        check_int("errors", self.errors, minimum=0)
        for name in ("distance", "shots", "rounds", "errors"):  # numpy integers -> int
            object.__setattr__(self, name, int(getattr(self, name)))
        if self.errors > self.shots:
            raise QecError.invalid("errors", self.errors, f"at most shots={self.shots}")

    @property
    def per_round(self) -> float:
        """The observed per-round rate, converted from errors / shots."""
        return shot_to_round(self.errors / self.shots, rounds=self.rounds)

    def to_json(self) -> dict[str, int]:
        return dataclasses.asdict(self)
