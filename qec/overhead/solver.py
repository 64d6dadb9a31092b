"""The footprint solver: the smallest candidate of a design that meets each target.

Along each family it measures the first few candidates (direct or stratified, chosen by
`estimate(method="auto")`), fits each sampled component's per-round rate against the
distance protecting it, p(d) = A * Lambda^(-(d+1)/2) by maximum likelihood, and walks
the family until the total per-round rate meets the target: measured values where they
exist, first-order values for checks-invisible failures, and fitted values (labelled
extrapolated, with a 95% profile interval) beyond. Across families it keeps the
candidate with the fewest qubits.
"""

from __future__ import annotations

import dataclasses
import math
import pathlib
from collections.abc import Callable, Iterable
from typing import Any

from qec.analysis.fit import FitPoint, LambdaFit, fit_lambda
from qec.errors import QecError
from qec.intervals import Interval
from qec.overhead.designs import Candidate, Component, Design, Family
from qec.overhead.first_order import first_order_failure
from qec.sampling.estimate import Estimate, estimate


@dataclasses.dataclass(frozen=True)
class Budget:
    """How much simulation the solver may spend.

    `measured_steps` candidates per family are simulated (distances 3, 5, ...), each
    component with at most `max_shots` shots (or fault sets) and `max_seconds` seconds;
    families are walked up to distance `max_distance`.
    """

    measured_steps: int = 4
    max_shots: int = 2_000_000
    max_errors: int = 200
    max_seconds: float = 30.0
    max_distance: int = 151
    rel_precision: float = 0.2


@dataclasses.dataclass(frozen=True)
class ComponentRate:
    """A component's per-round rate at a candidate and how it was obtained."""

    label: str
    per_round: Interval
    method: str
    shots: int = 0
    errors: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "per_round": self.per_round.to_json(),
                "method": self.method, "shots": self.shots, "errors": self.errors}


@dataclasses.dataclass(frozen=True)
class FootprintRow:
    """The smallest candidate of `design` meeting `target` per round (or why none)."""

    design: str
    noise: str
    target: float
    qubit_rule: str
    met: bool
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    qubits: float | None = None
    per_round: Interval | None = None
    method: str = ""
    components: tuple[ComponentRate, ...] = ()
    fits: tuple[str, ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "target": self.target,
            **self.params,
            "qubits": self.qubits,
            "per_round": None if self.per_round is None else self.per_round.to_json(),
            "method": self.method,
            "met": self.met,
            "noise": self.noise,
            "qubit_rule": self.qubit_rule,
            "components": [c.to_json() for c in self.components],
            "fits": list(self.fits),
            "note": self.note,
        }


def fit_point(result: Estimate, distance: int) -> FitPoint | None:
    """A binomial point for the fit: the counts of a direct estimate, or for a stratified
    one the effective counts with the same rate and interval width."""
    rounds = int(result.metadata["rounds"])
    if result.method == "monte_carlo":
        return FitPoint(distance=distance, shots=result.shots, errors=result.errors,
                        rounds=rounds)
    p, half = result.per_shot.value, (result.per_shot.high - result.per_shot.low) / 2
    if p <= 0 or half <= 0:
        return None
    shots = max(1, round(p * (1 - p) / (half / 1.96) ** 2))
    return FitPoint(distance=distance, shots=shots, errors=max(1, round(p * shots)),
                    rounds=rounds)


class _FamilyModel:
    """What is known along one family: measured components, fits, first-order parts."""

    def __init__(self, family: Family, budget: Budget, save: pathlib.Path | None,
                 report: Callable[[str], None]) -> None:
        self.family = family
        self.budget = budget
        self.measured: dict[tuple[int, str], ComponentRate] = {}
        self.fits: dict[str, LambdaFit] = {}
        self.fit_notes: dict[str, str] = {}
        self._first_order: dict[tuple[int, str], ComponentRate] = {}
        points: dict[str, list[FitPoint]] = {}
        reachable = {c.label for c in family.at(0).components if not c.first_order}
        for k in range(budget.measured_steps):
            candidate = family.at(k)
            for component in candidate.components:
                if component.first_order or component.label not in reachable:
                    continue
                try:
                    result = estimate(
                        candidate.experiment(component), max_shots=budget.max_shots,
                        max_errors=budget.max_errors, max_seconds=budget.max_seconds,
                        rel_precision=budget.rel_precision, save=save, progress=False,
                        seed=k,
                    )
                except QecError as error:
                    report(f"{family.label} {candidate.params()} {component.label}: "
                           f"not measured ({error})")
                    reachable.discard(component.label)
                    continue
                rate = ComponentRate(component.label, result.per_round, result.method,
                                     result.shots, result.errors)
                report(f"{family.label} {candidate.params()} {component.label}: "
                       f"{rate.per_round} per round ({result.method}, {result.shots:,})")
                self.measured[(k, component.label)] = rate
                point = fit_point(result, candidate.distance_of(component))
                if point is not None:
                    points.setdefault(component.label, []).append(point)
        for label, pts in points.items():
            try:
                fit = fit_lambda(pts)
            except QecError as error:
                self.fit_notes[label] = f"{label}: no fit ({error})"
                continue
            self.fits[label] = fit
            self.fit_notes[label] = (
                f"{label}: {fit.model}, fitted d = {fit.distances[0]}..{fit.distances[-1]}, "
                f"Lambda = {fit.Lambda}"
            )

    def component(self, k: int, candidate: Candidate, component: Component, *,
                  interval: bool = True) -> ComponentRate | None:
        """The component's rate at step k; without `interval`, an extrapolated rate
        carries only its point value (the profile interval is costly)."""
        key = (k, component.label)
        if key in self.measured:
            return self.measured[key]
        if component.first_order:
            if key not in self._first_order:
                experiment = candidate.experiment(component)
                shot = first_order_failure(experiment.circuit())
                self._first_order[key] = ComponentRate(
                    component.label, Interval(shot, shot, shot).per_round(rounds=experiment.rounds),
                    "first_order")
            return self._first_order[key]
        fit = self.fits.get(component.label)
        if fit is None or fit.Lambda.value <= 1:
            return None
        distance = candidate.distance_of(component)
        if not interval:
            value = fit.predict(distance)
            return ComponentRate(component.label, Interval(value, value, value), "extrapolated")
        return ComponentRate(component.label, _rate(fit.predict_interval(distance)),
                             "extrapolated")

    def total(self, k: int, *, limit: float
              ) -> tuple[Candidate, tuple[ComponentRate, ...] | None] | None:
        """The candidate at step k and its components, or (candidate, None) once their
        sum is known to exceed `limit` (the rest is then not computed); None when a
        component cannot be estimated at k, or when a first-order part (which only
        grows along the family) alone exceeds `limit`."""
        candidate = self.family.at(k)
        parts: list[ComponentRate] = []
        ordered = sorted(candidate.components, key=lambda c: c.first_order)  # cheap first
        for component in ordered:
            part = self.component(k, candidate, component, interval=False)
            if part is None:
                return None
            parts.append(part)
            if component.first_order and part.per_round.value > limit:
                return None  # these grow with the code: no larger candidate helps
            if math.fsum(p.per_round.value for p in parts) > limit:
                return candidate, None
        return candidate, tuple(parts)


def _rate(interval: Any) -> Interval:
    return Interval(interval.value, interval.low, interval.high)


def _sum(parts: Iterable[ComponentRate]) -> Interval:
    parts = list(parts)
    return Interval(math.fsum(p.per_round.value for p in parts),
                math.fsum(p.per_round.low for p in parts),
                math.fsum(p.per_round.high for p in parts))


def _method(parts: Iterable[ComponentRate]) -> str:
    methods = {p.method for p in parts}
    return "extrapolated" if "extrapolated" in methods else "+".join(sorted(methods))


def footprint(
    design: Design,
    targets: Iterable[float],
    *,
    budget: Budget = Budget(),
    save: str | pathlib.Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[FootprintRow]:
    """For each target, the candidate of `design` with the fewest qubits whose total
    per-round logical error rate (point estimate) is at most the target.

    Every row carries the rate's interval (component intervals added), the method
    (measured directly, stratified, first order, or extrapolated from the fit, with the
    fits' models and ranges in `fits`) and the qubit-counting rule.

    Examples:
        >>> from qec.noise import Depolarizing
        >>> rows = footprint(Design(name="surface", noise=Depolarizing(p=0.003)), [1e-3],
        ...                  budget=Budget(measured_steps=2, max_shots=20_000))
        >>> rows[0].met, rows[0].params["distance"] >= 3
        (True, True)
    """
    targets = sorted({float(t) for t in targets}, reverse=True)
    for t in targets:
        if not 0 < t < 0.5:
            raise QecError.invalid("target", t, "a per-round logical error rate in (0, 0.5)")
    report = progress or (lambda text: None)
    path = None if save is None else pathlib.Path(save)
    models = [_FamilyModel(f, budget, path, report) for f in design.families()]
    described = design.describe()
    rows = []
    max_steps = (budget.max_distance - 3) // 2 + 1
    for target in targets:
        best: FootprintRow | None = None
        for model in models:
            for k in range(max_steps):
                found = model.total(k, limit=target)
                if found is None:
                    break
                candidate, parts = found
                if best is not None and candidate.qubits > best.qubits:  # type: ignore
                    break
                if parts is None:
                    continue
                parts = tuple(model.component(k, candidate, c) for c in  # type: ignore
                              sorted(candidate.components, key=lambda c: c.first_order))
                total = _sum(parts)
                if total.value <= target:
                    row = FootprintRow(
                        design=design.label, noise=candidate.noise.spec(), target=target,
                        qubit_rule=described["qubit_rule"], met=True,
                        params=candidate.params(), qubits=candidate.qubits,
                        per_round=total, method=_method(parts), components=parts,
                        fits=tuple(model.fit_notes.values()),
                    )
                    if best is None or (row.qubits, total.value) < (
                        best.qubits, best.per_round.value  # type: ignore[union-attr]
                    ):
                        best = row
                    break
        rows.append(best or FootprintRow(
            design=design.label, noise=described["noise"], target=target,
            qubit_rule=described["qubit_rule"], met=False,
            note=f"no candidate up to distance {budget.max_distance} reaches the target "
                 "under these assumptions (or its rates could not be measured or fitted)",
            fits=tuple(n for m in models for n in m.fit_notes.values()),
        ))
    return rows
