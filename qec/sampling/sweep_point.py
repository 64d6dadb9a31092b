"""One point of a threshold sweep: logical failures counted in shots of one code size at
one value of the swept noise parameter, and its rate per shot or per round.

Per round: a shot of r rounds fails with probability P; the per-round rate is
`qec.intervals.shot_to_round` of it (sinter's convention).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from qec.errors import QecError, check_int, check_number
from qec.intervals import Interval, wilson

PER_CHOICES = ("round", "shot")


def check_per(per: str) -> None:
    """Raises QecError unless `per` is 'round' or 'shot'.

    Examples:
        >>> check_per("cycle")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: per='cycle' is not allowed: expected round or shot
    """
    if per not in PER_CHOICES:
        raise QecError.invalid("per", per, " or ".join(PER_CHOICES))


@dataclasses.dataclass(frozen=True)
class SweepPoint:
    """`errors` logical failures in `shots` shots of `rounds` rounds, for the code of
    distance `distance` at swept value `value`.

    `label` names the code size; points of one size share it. Points read from sinter
    results (`qec.sampling.sweep.points_from_stats`) carry the size as people read it
    (`qec.circuits.registry.size_text`: 'd=7', 'dx=3 dz=9'); without one, the label is
    the distance.

    Examples:
        >>> point = SweepPoint(distance=5, value=0.01, shots=1000, errors=30, rounds=5)
        >>> point.label
        '5'
        >>> print(point.rate("shot"))
        0.03 [0.0211, 0.0425]
        >>> round(point.rate("round").value, 6)
        0.006149
    """

    distance: int
    value: float
    shots: int
    errors: int
    rounds: int = 1
    label: str = ""

    def __post_init__(self) -> None:
        for name, minimum in (("distance", 1), ("shots", 1), ("rounds", 1), ("errors", 0)):
            check_int(name, getattr(self, name), minimum=minimum)
        if self.errors > self.shots:
            raise QecError.invalid("errors", self.errors, f"at most shots={self.shots}")
        check_number(
            "value", self.value, allowed="a finite number > 0", accept=lambda v: 0 < v < math.inf
        )
        if not self.label:
            object.__setattr__(self, "label", str(self.distance))

    def rate(self, per: str = "round") -> Interval:
        """The logical error rate per round or per shot, with its 95% Wilson interval."""
        check_per(per)
        shot = wilson(errors=self.errors, shots=self.shots)
        return shot if per == "shot" else shot.per_round(rounds=self.rounds)

    def to_json(self, *, per: str, sweep: str = "p") -> dict[str, Any]:
        """The point's size, swept value (keyed by the swept parameter `sweep`), counts
        and its rate per `per`.

        Examples:
            >>> point = SweepPoint(distance=3, value=0.1, shots=100, errors=5, rounds=3)
            >>> data = point.to_json(per="round", sweep="eta")
            >>> data["size"], data["eta"], data["errors"], sorted(data["per_round"])
            ('3', 0.1, 5, ['high', 'low', 'value'])
        """
        return {
            "size": self.label,
            "distance": self.distance,
            sweep: self.value,
            "rounds": self.rounds,
            "shots": self.shots,
            "errors": self.errors,
            f"per_{per}": self.rate(per).to_json(),
        }
