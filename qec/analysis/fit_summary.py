"""A fit of one component's rate along one family of a design, summarized for a table:
its model, distances and parameters with their intervals, without its points; or why
there is none."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from qec.analysis.fit_bend import BentFit, RateFit
from qec.intervals import Interval


@dataclasses.dataclass(frozen=True)
class FitSummary:
    """The Lambda fit of one component along one family, or why there is none.

    `Lambda` and `A` are the fitted values of p(d) = A * Lambda^(-(d+1)/2) per round
    with their 95% profile-likelihood intervals, over the distances `distances`;
    without a fit they are None and `problem` says why. A fit that may bend
    (`qec.analysis.BentFit`) has `gamma`, and `bent` says whether its central curve does.

    Examples:
        >>> s = FitSummary(family="d", component="memory X", model="p(d)",
        ...                distances=(3, 5), Lambda=Interval(10, 8, 12), A=Interval(0.1, 0.05, 0.2))
        >>> print(s)
        memory X: p(d), fitted d = 3..5, Lambda = 10 [8, 12]
        >>> FitSummary.from_json(s.to_json()) == s
        True
    """

    family: str
    component: str
    model: str = ""
    distances: tuple[int, ...] = ()
    Lambda: Interval | None = None
    A: Interval | None = None
    problem: str = ""
    gamma: Interval | None = None
    bent: bool = False

    @staticmethod
    def of(fit: RateFit, *, family: str, component: str) -> FitSummary:
        return FitSummary(
            family=family,
            component=component,
            model=fit.model,
            distances=fit.distances,
            Lambda=fit.Lambda,
            A=fit.A,
            gamma=fit.gamma if isinstance(fit, BentFit) else None,
            bent=isinstance(fit, BentFit) and fit.bent,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "component": self.component,
            "model": self.model,
            "distances": list(self.distances),
            "Lambda": None if self.Lambda is None else self.Lambda.to_json(),
            "A": None if self.A is None else self.A.to_json(),
            "problem": self.problem,
            "gamma": None if self.gamma is None else self.gamma.to_json(),
            "bent": self.bent,
        }

    @staticmethod
    def from_json(item: dict[str, Any]) -> FitSummary:
        def interval(key: str) -> Interval | None:
            return None if item[key] is None else Interval.from_json(item[key])

        return FitSummary(
            family=item["family"],
            component=item["component"],
            model=item["model"],
            distances=tuple(item["distances"]),
            Lambda=interval("Lambda"),
            A=interval("A"),
            problem=item["problem"],
            gamma=interval("gamma") if item.get("gamma") else None,
            bent=bool(item.get("bent", False)),
        )

    def __str__(self) -> str:
        if self.Lambda is None:
            return f"{self.component}: no fit ({self.problem})"
        bend = ""
        if self.gamma is not None:
            central = "bent" if self.bent else "exponential kept"
            bend = f", gamma = {self.gamma} ({central})"
        return (
            f"{self.component}: {self.model}, fitted d = {distance_ranges(self.distances)}, "
            f"Lambda = {self.Lambda}{bend}"
        )


def distance_ranges(distances: Sequence[int]) -> str:
    """Odd distances as runs, e.g. '3..9, 23, 33..35'.

    Examples:
        >>> distance_ranges([3, 5, 7, 9, 23, 33, 35])
        '3..9, 23, 33..35'
    """
    runs: list[list[int]] = []
    for d in sorted(distances):
        if runs and d - runs[-1][-1] == 2:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in runs)
