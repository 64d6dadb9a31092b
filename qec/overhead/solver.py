"""The footprint solver: the smallest candidate of a design that meets each target.

Along each family it measures the first few candidates (direct or stratified, chosen by
`estimate(method="auto")`), fits each sampled component's per-round rate against the
distance protecting it, p(d) = A * Lambda^(-(d+1)/2) by maximum likelihood, and walks
the family until the total per-round rate meets the target: measured values where they
exist, first-order values for checks-invisible failures, and fitted values (labelled
extrapolated, with a 95% profile interval) beyond. Across families it keeps the
candidate with the fewest qubits. A pick that rests on the fits is then measured by
multilevel splitting, with the next smaller candidate (`qec.overhead.verification`).
What is known along each family is a `qec.overhead.family.FamilyModel`.
"""

from __future__ import annotations

import math
import pathlib
from collections.abc import Callable, Iterable

from qec.analysis.fit_summary import FitSummary
from qec.errors import QecError
from qec.intervals import Interval
from qec.overhead.designs import Design
from qec.overhead.family import FamilyModel
from qec.overhead.plan import Budget, walk_steps
from qec.overhead.reasons import (
    AboveThreshold,
    BeyondCodes,
    FitsTooLow,
    NotChecked,
    NotReached,
    Unchecked,
)
from qec.overhead.rows import (
    NOT_REACHED,
    VERIFIED,
    ComponentRate,
    FootprintRow,
    Reason,
    method_of,
    status_of,
    total_rate,
)
from qec.overhead.timing import PER_ROUND, PER_SECOND, PERS, CycleTime, per_round
from qec.overhead.verification import Check, verify
from qec.sampling.core.results_file import check_results_file

DEFAULT_BUDGET = Budget()
# How often the solver walks again after refitting to its checks (each walk checks
# only picks it has not checked yet).
MAX_REFITS = 6


def footprint(
    design: Design,
    targets: Iterable[float],
    *,
    budget: Budget = DEFAULT_BUDGET,
    save: str | pathlib.Path | None = None,
    progress: Callable[[str], None] | None = None,
    per: str = PER_ROUND,
) -> list[FootprintRow]:
    """For each target, the candidate of `design` with the fewest qubits that meets it:
    the 95% upper end of its total per-round logical error rate is at most the target
    (`status_of`; where only a point estimate meets it, the row is `unresolved`).
    `per="second"` takes the targets as rates per second: each family's per-round target
    is the target times its round's duration (`Design.cycle_time`).

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
    targets = check_targets(targets, per)
    cycles = family_cycles(design, targets, per)
    report = progress or (lambda text: None)
    path = None if save is None else pathlib.Path(save)
    if path is not None:  # before any work: a bad file must not become 'not reached'
        check_results_file(path)
    models = [FamilyModel(f, budget, path, report) for f in design.families()]
    # A check by splitting is a measurement, and every measurement enters its fit:
    # refit after the checks, and walk again, until no check adds one.
    for _ in range(MAX_REFITS):
        rows = [_row(design, models, cycles, target, budget, per) for target in targets]
        if not any([model.refit() for model in models]):
            break
    return rows


def family_cycles(design: Design, targets: Iterable[float], per: str) -> list[CycleTime]:
    """How long a round of each family of `design` lasts: its first candidate's (a
    round's steps do not depend on the distance, tests/overhead/test_timing.py).
    QecError for a target whose per-round equivalent (`per_round`) is 0.5 or more.

    Examples:
        >>> from qec.noise import Cat
        >>> design = Design(name="repetition_cat", noise=Cat(nbar=8), nbars=(8.0,))
        >>> [cycle.short for cycle in family_cycles(design, [1.0], "second")]
        ['500 ns']
    """
    cycles = [design.cycle_time(family.at(0)) for family in design.families()]
    for target in targets:
        if max(per_round(target, per, cycle) for cycle in cycles) >= 0.5:
            allowed = f"a rate per {per} below 0.5 per round of {design.label}"
            raise QecError.invalid("target", target, allowed)
    return cycles


def check_targets(targets: Iterable[float], per: str = PER_ROUND) -> list[float]:
    """The distinct targets, largest first; QecError unless each is a per-round logical
    error rate in (0, 0.5), or with `per="second"` a finite rate per second above 0
    (`footprint` checks its per-round equivalent); `per` must be one of `PERS`.

    Examples:
        >>> check_targets([1e-6, 1e-3, 1e-6])
        [0.001, 1e-06]
        >>> check_targets([0.5])
        Traceback (most recent call last):
        ...
        qec.errors.QecError: target=0.5 is not allowed: expected a per-round logical error \
rate in (0, 0.5)
        >>> check_targets([10.0], per="second")
        [10.0]
    """
    if per not in PERS:
        raise QecError.invalid("per", per, "one of " + ", ".join(PERS))
    chosen = sorted({float(t) for t in targets}, reverse=True)
    for t in chosen:
        if per == PER_ROUND and not 0 < t < 0.5:
            raise QecError.invalid("target", t, "a per-round logical error rate in (0, 0.5)")
        if per == PER_SECOND and not 0 < t < math.inf:
            raise QecError.invalid("target", t, "a logical error rate per second, finite, > 0")
    return chosen


def _row(
    design: Design,
    models: list[FamilyModel],
    cycles: list[CycleTime],
    target: float,
    budget: Budget,
    per: str,
) -> FootprintRow:
    """The footprint row of `design` at `target`: the candidate with the fewest qubits
    (then the lowest rate) over the families that meets it by `status_of` (the 95%
    upper end of its total at most the target); where none does, the fewest-qubit one
    whose point estimate meets it, `unresolved`; else `not reached`. A pick beyond the
    sampled range is checked by `verify`. Each family meets `target` as a rate per its
    round in `cycles` (`per_round`)."""
    met: tuple[float, float, FamilyModel, int, tuple[ComponentRate, ...]] | None = None
    point: tuple[float, float, FamilyModel, int, tuple[ComponentRate, ...]] | None = None
    lowest = math.inf  # the fewest qubits whose rate's 95% lower end meets the target
    for model, cycle in zip(models, cycles, strict=True):
        goal = per_round(target, per, cycle)  # the family's per-round target
        point_seen = False
        k = 0
        for k in range(walk_steps(model.family, budget)):
            found = model.total(k, limit=goal)
            if found is None:
                break
            candidate, cheap = found
            if met is not None and candidate.qubits > met[0]:
                break
            if cheap is None:  # its point estimate misses the target
                continue
            parts = model.parts(k)
            if parts is None:
                continue
            total = total_rate(parts)
            here = (candidate.qubits, total.value, model, k, parts)
            if not point_seen:
                lowest = min(lowest, _fewest_with_low_end(model, k, goal, candidate.qubits))
                if point is None or here[:2] < point[:2]:
                    point = here
            point_seen = True
            if total.high <= goal:
                if met is None or here[:2] < met[:2]:
                    met = here
                break
        if not point_seen and k > 0:  # stopped before its point pick: smaller lower ends?
            lowest = min(lowest, _fewest_with_low_end(model, k, goal, math.inf))
    best = met or point
    if best is not None and point is not None:
        _, _, model, k, parts = best
        qubits = Interval(point[0], min(lowest, point[0]), math.inf if met is None else met[0])
        cycle = cycles[models.index(model)]
        row = _pick(design, model, k, parts, target, qubits, per, cycle)

        def verified(check: Check, reasons: tuple[Reason, ...]) -> FootprintRow:
            measured = _pick(design, model, check.step, check.parts, target, qubits, per, cycle)
            return measured.noted(*reasons, evidence=VERIFIED)

        unchecked = None  # why no pick is checked, if none is
        if budget.decoder != "pymatching":
            unchecked = NotChecked(Unchecked.OTHER_DECODER, budget.decoder)
        elif budget.verify_seconds == 0:
            unchecked = NotChecked(Unchecked.NO_TIME)
        return verify(
            row,
            step=k,
            last_step=walk_steps(model.family, budget) - 1,
            check=model.check if unchecked is None else unchecked,
            row_at=verified,
            caution=lambda: _fits_too_low(models, model, k),
        )
    fits = tuple(f for m in models for f in m.fit_summaries.values())
    return FootprintRow(
        design=design.label,
        noise=design.noise.spec(),
        target=target,
        qubit_rule=design.qubit_rule,
        status=NOT_REACHED,
        fits=fits,
        decoder=budget.decoder,
        reasons=(_not_reached(models, [per_round(target, per, c) for c in cycles], budget, fits),),
        per=per,
        cycle=cycles[0],  # the design's round, though nothing was picked
    )


def _not_reached(
    models: list[FamilyModel], goals: list[float], budget: Budget, fits: tuple[FitSummary, ...]
) -> Reason:
    """Why no candidate reaches its family's per-round target in `goals`: the code is
    above threshold (every fit's Lambda interval reaches 1), its largest code is too
    small (families that end), or none up to the budget's largest distance does."""
    fitted = [f.Lambda.low for f in fits if f.Lambda is not None]
    if fitted and max(fitted) <= 1:
        return AboveThreshold(fits)
    ending = [(m, goal) for m, goal in zip(models, goals, strict=True) if m.family.steps]
    if not ending:
        return NotReached(budget.max_distance, fits)
    needs = [
        (needed, m.family.label)
        for m, goal in ending
        if (needed := m.needed_distance(goal, up_to=budget.max_distance)) is not None
    ]
    first = ending[0][0]
    last = first.family.at(walk_steps(first.family, budget) - 1)
    largest = last.distance_of(last.components[0])
    needed, family = min(needs) if needs else (None, "")
    return BeyondCodes(largest=largest, needed=needed, family=family, fits=fits)


def _fits_too_low(models: list[FamilyModel], picked: FamilyModel, k: int) -> FitsTooLow | None:
    """The candidates of the design's families measured above their fits (but the
    pick, step k of `picked`, whose own disagreement its row states), or None: a pick
    that rests on such fits may need more qubits."""
    found = tuple(
        above
        for model in models
        for above in model.measured_above_fits(besides=k if model is picked else -1)
    )
    return FitsTooLow(found) if found else None


def _fewest_with_low_end(model: FamilyModel, k: int, target: float, qubits: float) -> float:
    """The fewest qubits among candidates before step k of `model`'s family (or
    `qubits`, candidate k's) whose total's 95% lower end meets `target`: walked down
    from k - 1 while it does (the rates grow as the family shrinks)."""
    fewest = qubits
    for j in range(k - 1, -1, -1):
        if not model.low_end_meets(j, target, larger=k):
            break
        fewest = model.family.at(j).qubits
    return fewest


def _pick(
    design: Design,
    model: FamilyModel,
    k: int,
    parts: tuple[ComponentRate, ...],
    target: float,
    qubits: Interval,
    per: str,
    cycle: CycleTime,
) -> FootprintRow:
    """The row of candidate k of `model`'s family, whose rounds last `cycle`, with these
    parts, status by rule at its per-round target, and the qubit interval of the design
    at `target`."""
    candidate = model.family.at(k)
    status, why = status_of(parts, per_round(target, per, cycle))
    return FootprintRow(
        design=design.label,
        noise=candidate.noise.spec(),
        target=target,
        qubit_rule=design.qubit_rule,
        status=status,
        params=candidate.params(),
        qubits=candidate.qubits,
        qubit_interval=qubits,
        per_round=total_rate(parts),
        method=method_of(parts),
        components=parts,
        fits=tuple(model.fit_summaries.values()),
        reasons=() if why is None else (why,),
        decoder=model.budget.decoder,
        cycle=cycle,
        per=per,
    )
