"""What the footprint solver knows along one family of a design: the components it
measured (direct or stratified, `estimate(method="auto")`, within a `Budget`), the fits
of each sampled component's rate against the distance, the first-order parts, and the
checks by splitting. `qec.overhead.solver` walks these models to its picks.

A fit uses every measurement of its component along the family: the sampled
candidates, the direct shots and splitting units the points file holds at any other
candidate of the family (from checks of earlier runs, or long runs of their own), and
the checks this run makes (`FamilyModel.refit`). It follows `fit_rates`'s rule: the
exponential in the distance, or one that bends where the data ask for it.

Curve reads: a splitting run measures the rate at every noise scale s its ladder visits
(`Estimate.curve`; s multiplies every mechanism's odds), and for `STRENGTH_MODELS` the
curve of a candidate at p' read at s = p / p' is the candidate at p, to first order in
p, decoded with the weights of p' (`Estimate.rate_at`). A candidate beyond the sampled
steps with no splitting units of its own takes its rate from the nearest weaker p' whose
saved ladder reaches p (`Derived.CURVE`): into its fit, and into its check instead of
sampling again. A what-if on p thus reads the comparison's ladders up to their top.
"""

from __future__ import annotations

import dataclasses
import math
import pathlib
from collections.abc import Callable
from typing import Any

from qec.analysis import FitPoint, RateFit
from qec.analysis.fit_summary import FitSummary
from qec.analysis.holdout import measured_rate
from qec.analysis.kept_fits import kept_fit, kept_prediction
from qec.circuits.registry import size_text
from qec.errors import QecError
from qec.intervals import Interval
from qec.overhead.designs import STRENGTH_MODELS, Candidate, Component, Family, weaker_strengths
from qec.overhead.plan import Budget, sampled_components, sampled_steps, walk_steps
from qec.overhead.reasons import MeasuredAboveFit, NotMeasured
from qec.overhead.rows import ComponentRate, CurveRead, Derived, total_rate
from qec.overhead.verification import Check
from qec.sampling.estimate import estimate
from qec.sampling.kept_estimates import kept_estimate, saved_rows
from qec.sampling.method import AUTO, Method, Shortfall
from qec.sampling.result import Estimate


@dataclasses.dataclass(frozen=True)
class NoEstimate:
    """Why an estimate of a component gave no rate: `reason` (the estimate's shortfall,
    or the input error), and `account`, which says what ran too."""

    account: str
    reason: Shortfall | str


# Where a fitted point comes from at its step: the solver's sampling of the first
# steps, the direct shots in the points file, or the splitting estimate (a check's).
# A curve read (the module) comes from splitting units of weaker noise.
_SAMPLED, _DIRECT, _SPLIT, _CURVE = "sampled", "direct", "splitting", "curve"


def _where(family: Family, candidate: Candidate, component: Component) -> str:
    """A progress line's subject, e.g. 'nbar=8 d=5 phase flips (memory X)'; the plain
    distance family is not named (its size says it all)."""
    size = size_text(candidate.params())
    return " ".join(part for part in (family.label, size, component.label) if part != "d")


class FamilyModel:
    """What is known along one family: measured components, fits, first-order parts."""

    def __init__(
        self,
        family: Family,
        budget: Budget,
        save: pathlib.Path | None,
        report: Callable[[str], None],
    ) -> None:
        self.family = family
        self.budget = budget
        self.measured: dict[tuple[int, str], ComponentRate] = {}
        self.fits: dict[str, RateFit] = {}
        self.fit_summaries: dict[str, FitSummary] = {}
        self._save = save
        self._report = report
        self._first_order: dict[tuple[int, str], ComponentRate] = {}
        self._checks: dict[int, Check] = {}
        self._predicted: dict[tuple[str, int], Interval] = {}
        # Rates read off the curves of weaker noise (the module), by (step, component),
        # beyond the sampled steps; fits and checks take those of candidates without
        # splitting units of their own, the others validate the reads.
        self.curve_reads: dict[tuple[int, str], CurveRead] = {}
        # Each sampled component's points, by (step, where it comes from).
        self._points: dict[str, dict[tuple[int, str], FitPoint]] = {}
        self._fitted_points: dict[str, tuple[FitPoint, ...]] = {}
        reachable = set(sampled_components(family))
        for k in range(sampled_steps(family, budget)):
            candidate = family.at(k)
            for component in candidate.components:
                if component.first_order or component.label not in reachable:
                    continue
                result = self._measure(candidate, component, seed=k)
                if isinstance(result, NoEstimate):
                    report(
                        f"{_where(family, candidate, component)}: not measured ({result.account})"
                    )
                    reachable.discard(component.label)
                    continue
                rate = ComponentRate(
                    component.label,
                    candidate.per_logical(result.require_per_round()),
                    result.method,
                    result.counts.drawn,
                    result.counts.failing,
                )
                report(
                    f"{_where(family, candidate, component)}: {rate.per_round} per round "
                    f"({result.method}, {result.counts})"
                )
                self.measured[(k, component.label)] = rate
                self._add_point(component.label, (k, _SAMPLED), result, candidate, component)
        self._read_saved(reachable)
        self.refit()

    def _add_point(
        self,
        label: str,
        key: tuple[int, str],
        result: Estimate,
        candidate: Candidate,
        component: Component,
    ) -> None:
        """Adds the point of `result` to the component's fitted points (none when it
        tells nothing, `FitPoint.of_estimate`)."""
        point = FitPoint.of_estimate(result, candidate.distance_of(component))
        if point is not None:
            self._points.setdefault(label, {})[key] = point

    def _read_saved(self, reachable: set[str]) -> None:
        """Adds the points the points file holds beyond the sampled steps: each
        candidate's direct shots, and its splitting units as a check reads them back
        (pooled once and kept), without running more. Only PyMatching's rows: the
        solver checks no pick with other decoders. Where a candidate has no splitting
        units of its own, its rate read off a curve of weaker noise (the module)."""
        if self._save is None or self.budget.decoder != "pymatching":
            return
        weaker = weaker_strengths(self._save, self.family.at(0).noise)
        first = sampled_steps(self.family, self.budget)
        for k in range(first, walk_steps(self.family, self.budget)):
            candidate = self.family.at(k)
            for component in candidate.components:
                if component.first_order or component.label not in reachable:
                    continue
                try:
                    experiment = candidate.experiment(component)
                except QecError:  # too large to simulate: nothing saved from here on
                    return
                saved = saved_rows(self._save, self.budget.decoder, experiment.metadata())
                if saved.shots:
                    point = FitPoint(
                        candidate.distance_of(component),
                        saved.shots,
                        saved.errors,
                        experiment.rounds,
                    )
                    self._points.setdefault(component.label, {})[(k, _DIRECT)] = point
                result = self._saved_splitting(k, candidate, component)
                if result is not None:
                    self._add_point(component.label, (k, _SPLIT), result, candidate, component)
                if weaker:
                    self._read_curve(k, candidate, component, weaker, fit=result is None)

    def _saved_splitting(
        self, k: int, candidate: Candidate, component: Component
    ) -> Estimate | None:
        """The estimate the points file's splitting units of the component at step k
        give, read back without running more; None when it holds none."""
        assert self._save is not None
        metadata = candidate.experiment(component).metadata()
        saved = saved_rows(self._save, self.budget.decoder, metadata)
        # The check's own estimate where the rows hold its time; else what they hold,
        # read back (a budget of their time runs no unit).
        spent = saved.splitting_seconds / self.budget.workers  # as the check counts
        seconds = min(self.budget.verify_seconds, spent)
        if not saved.splitting or seconds <= 0:
            return None
        result = self._measure(
            candidate, component, seed=k, method=Method.SPLITTING, seconds=seconds
        )
        return None if isinstance(result, NoEstimate) else result

    def _read_curve(
        self,
        k: int,
        candidate: Candidate,
        component: Component,
        weaker: tuple[float, ...],
        *,
        fit: bool,
    ) -> None:
        """Keeps the component's rate at step k read off the splitting curve of the same
        candidate at the nearest rate of `weaker` whose ladder reaches this noise (the
        module), and with `fit` its point for the fit; nothing when none does."""
        noise = candidate.noise
        assert isinstance(noise, STRENGTH_MODELS)
        for p in weaker:
            base = dataclasses.replace(candidate, noise=dataclasses.replace(noise, p=p))
            result = self._saved_splitting(k, base, component)
            scale = noise.p / p
            if result is None or not result.curve or result.curve[-1].scale < scale:
                continue
            per_round = result.rate_at(scale).per_round
            if per_round is None:
                continue
            drawn = result.counts.drawn
            rate = ComponentRate(
                component.label, candidate.per_logical(per_round), Derived.CURVE, drawn
            )
            self.curve_reads[(k, component.label)] = CurveRead(rate, p, scale, fit)
            self._report(
                f"{_where(self.family, candidate, component)}: {rate.per_round} per round, "
                f"read off the curve at p={p:g} (scale {scale:.3g})"
            )
            distance = candidate.distance_of(component)
            method = Method.SPLITTING
            point = FitPoint.of_rate(distance, per_round, method=method, rounds=candidate.rounds)
            if fit and point is not None:
                self._points.setdefault(component.label, {})[(k, _CURVE)] = point
            return

    def points(self, label: str) -> tuple[FitPoint, ...]:
        """Every point of the sampled component `label` along the family as last
        fitted, by step: what its fit rests on."""
        return self._fitted_points.get(label, ())

    def refit(self) -> bool:
        """Fits each sampled component to its points where they changed since its last
        fit (a check added one); whether any did."""
        changed = False
        for label, by_step in self._points.items():
            points = tuple(by_step[key] for key in sorted(by_step))
            if self._fitted_points.get(label) == points:
                continue
            changed = True
            self._fitted_points[label] = points
            self._predicted = {key: v for key, v in self._predicted.items() if key[0] != label}
            try:
                fit = kept_fit(self._save, points)
            except QecError as error:
                self.fits.pop(label, None)
                self.fit_summaries[label] = FitSummary(
                    family=self.family.label, component=label, problem=str(error)
                )
                continue
            self.fits[label] = fit
            self.fit_summaries[label] = FitSummary.of(
                fit, family=self.family.label, component=label
            )
        return changed

    def _measure(
        self,
        candidate: Candidate,
        component: Component,
        *,
        seed: int,
        method: Method | None = None,
        seconds: float | None = None,
    ) -> Estimate | NoEstimate:
        """The estimate of one component within the budget (for splitting checks,
        `verify_seconds`, or `seconds`; `method` None: `auto`, kept to direct sampling
        for other decoders than PyMatching, see `Budget`), or why there is none."""
        budget = self.budget
        experiment = candidate.experiment(component)
        # A check's time counts the units already saved (`run_splitting`).
        if seconds is None:
            seconds = budget.verify_seconds if method is Method.SPLITTING else budget.max_seconds
        if budget.decoder != "pymatching":  # slow decoders: say what runs before it does
            self._report(
                f"{_where(self.family, candidate, component)}: sampling directly with "
                f"{budget.decoder}, at most {budget.max_shots:,} shots"
            )
        arguments: dict[str, Any] = {
            "method": AUTO if method is None else method.value,
            "direct_only": budget.decoder != "pymatching",
            "decoder": budget.decoder,
            "max_shots": budget.max_shots,
            "max_errors": budget.max_errors,
            "max_seconds": seconds,
            "rel_precision": budget.rel_precision,
            "num_workers": budget.workers,
            "seed": seed,
        }

        def run() -> Estimate:
            return estimate(experiment, save=self._save, progress=False, **arguments)

        try:
            # Read back, the same question gets the same answer: kept (`kept_estimate`).
            save = self._save
            result = run() if save is None else kept_estimate(experiment, save, arguments, run)
        except QecError as error:
            if error.parameter == "save":
                # A save file that cannot be read or extended (not a sinter CSV, another
                # process writing it) is the run's error, not a rate that could not be
                # measured: never a silent 'not reached'.
                raise
            return NoEstimate(account=str(error), reason=str(error))
        if not math.isfinite(result.per_shot.value):  # no estimate within the budget
            reason = result.assumptions if result.shortfall is None else result.shortfall
            return NoEstimate(account=result.assumptions, reason=reason)
        return result

    def check(self, k: int) -> Check:
        """Candidate k with its parts measured: sampled in the solver's range, first
        order, by the direct shots the points file holds there when they saw at least
        `Budget.max_errors` failures, or else by splitting (`Budget.verify_seconds` per
        part; when splitting finishes no unit, direct shots with any failure); once per
        candidate."""
        if k in self._checks:
            return self._checks[k]
        candidate = self.family.at(k)
        parts: list[ComponentRate] = []
        missing: NotMeasured | None = None
        for component in sorted(candidate.components, key=lambda c: c.first_order):
            part = self.measured.get((k, component.label))
            if part is None and component.first_order:
                part = self.component(k, candidate, component)
            direct = self._points.get(component.label, {}).get((k, _DIRECT))
            if part is None and direct is not None and direct.errors >= self.budget.max_errors:
                part = self._direct_part(component.label, candidate, direct)
            read = self.curve_reads.get((k, component.label))
            if part is None and read and read.stands_in:
                part = read.part  # read off a curve of weaker noise, not sampled again
            if part is None:
                result = self._measure(candidate, component, seed=k, method=Method.SPLITTING)
                if not isinstance(result, NoEstimate):
                    self._add_point(component.label, (k, _SPLIT), result, candidate, component)
                    part = ComponentRate(
                        component.label,
                        candidate.per_logical(result.require_per_round()),
                        result.method,
                        result.counts.drawn,
                    )
                elif direct is not None and direct.errors > 0:
                    part = self._direct_part(component.label, candidate, direct)
                else:  # keep the reason, not what ran
                    missing = NotMeasured(component.label, result.reason)
                self._report(
                    f"{_where(self.family, candidate, component)}: checked, "
                    f"{part.per_round if part else missing}" + (f" ({part.method})" if part else "")
                )
            if part is None:
                break
            parts.append(part)
        found = Check(k, size_text(candidate.params()), candidate.qubits, tuple(parts), missing)
        self._checks[k] = found
        return found

    @staticmethod
    def _direct_part(label: str, candidate: Candidate, point: FitPoint) -> ComponentRate:
        """A part measured by the direct shots of `point` (Wilson's interval)."""
        rate = candidate.per_logical(measured_rate(point))
        return ComponentRate(label, rate, Method.MONTE_CARLO, point.shots, point.errors)

    def component(
        self, k: int, candidate: Candidate, component: Component, *, interval: bool = True
    ) -> ComponentRate | None:
        """The component's rate at step k; without `interval`, only its point value for
        the central count: an extrapolated rate without its profile interval (costly),
        and a measured rate with no failures at its `unseen_central` value."""
        key = (k, component.label)
        if key in self.measured:
            part = self.measured[key]
            if interval or not part.blind:
                return part
            return self.unseen_central(part, candidate, component)
        if component.first_order:
            if key not in self._first_order:
                self._first_order[key] = candidate.first_order_part(
                    component, self.budget.decoder, self._save
                )
            return self._first_order[key]
        fit = self.fits.get(component.label)
        if fit is None or fit.Lambda.value <= 1:
            return None
        distance = candidate.distance_of(component)
        if interval:
            fitted = self._predicted_interval(fit, component.label, distance)
        else:
            fitted = Interval.exact(fit.predict(distance))
        return ComponentRate(component.label, candidate.per_logical(fitted), Derived.EXTRAPOLATED)

    def _predicted_interval(self, fit: RateFit, label: str, distance: int) -> Interval:
        """`fit.predict_interval(distance)`, once per distance, kept beside the points
        (`kept_prediction`)."""
        if (label, distance) not in self._predicted:
            self._predicted[(label, distance)] = kept_prediction(self._save, fit, distance)
        return self._predicted[(label, distance)]

    def unseen_central(
        self, part: ComponentRate, candidate: Candidate, component: Component
    ) -> ComponentRate:
        """The central value of a measured part that saw no failure. Its point estimate,
        0, would meet every target, so the central count would rest on a short run's
        luck; it takes the fit's value at its distance instead (the fit includes this
        part's zero), kept within the part's 95% upper end, or that upper end when no
        fit with Lambda > 1 exists."""
        high = part.per_round.high
        fit = self.fits.get(part.label)
        if fit is None or fit.Lambda.value <= 1:
            central = high
        else:
            fitted = Interval.exact(fit.predict(candidate.distance_of(component)))
            central = min(high, candidate.per_logical(fitted).value)
        return dataclasses.replace(part, per_round=Interval.exact(central))

    def parts(self, k: int) -> tuple[ComponentRate, ...] | None:
        """Every component's rate at step k with its interval (first-order parts last),
        or None when one cannot be estimated there."""
        candidate = self.family.at(k)
        ordered = sorted(candidate.components, key=lambda c: c.first_order)
        parts = tuple(self.component(k, candidate, c) for c in ordered)
        known = tuple(p for p in parts if p is not None)
        return known if len(known) == len(parts) else None

    def measured_above_fits(self, *, besides: int = -1) -> list[MeasuredAboveFit]:
        """The candidates checked so far (but step `besides`) whose measured interval
        lies above their rate from the fits: there the fits underestimate the rate.
        (The repetition cat code's local Lambda keeps falling with the distance, so a
        fit over small distances is optimistic at large ones.)"""
        found = []
        for k, check in sorted(self._checks.items()):
            measured = check.total
            if k == besides or measured is None:
                continue
            fitted = self.total(k, limit=math.inf)
            if fitted is None or fitted[1] is None:
                continue
            if all(part.method is not Derived.EXTRAPOLATED for part in fitted[1]):
                continue  # sampled in the fits' range: nothing extrapolated to check
            value = total_rate(fitted[1]).value
            if measured.low > value:
                found.append(MeasuredAboveFit(self.family.label, check.size, measured, value))
        return found

    def low_end_meets(self, j: int, target: float, *, larger: int) -> bool:
        """Whether the 95% lower end of the total at step j is at most `target` (False
        when a part cannot be estimated there). A first-order part only grows along the
        family, so its value at the `larger` step, where known, bounds it at j: it is
        computed at j only when that bound leaves the answer open (each costs a
        detector error model and a decoding of every mechanism)."""
        candidate = self.family.at(j)
        fitted = [
            self.component(j, candidate, c) for c in candidate.components if not c.first_order
        ]
        if any(part is None for part in fitted):
            return False
        low = math.fsum(part.per_round.low for part in fitted if part is not None)
        if low > target:
            return False
        first_order = [c for c in candidate.components if c.first_order]
        bounds = [self._first_order.get((larger, c.label)) for c in first_order]
        if all(bound is not None for bound in bounds):
            ceiling = math.fsum(b.per_round.value for b in bounds if b is not None)
            if low + ceiling <= target:
                return True
        parts = fitted + [self.component(j, candidate, c) for c in first_order]
        return math.fsum(p.per_round.low for p in parts if p is not None) <= target

    def needed_distance(self, target: float, *, up_to: int) -> int | None:
        """For a family that ends (`Family.steps`), the distance beyond its last
        candidate at which the fits of its sampled parts, plus its last candidate's
        first-order parts (a lower bound: they grow with the code), meet `target`; None
        when a sampled part has no fit with Lambda > 1 or no distance up to `up_to` does."""
        last = (self.family.steps or 1) - 1
        candidate = self.family.at(last)
        floor = 0.0
        fits = []
        for component in candidate.components:
            if component.first_order:
                part = self.component(last, candidate, component)
                floor += math.inf if part is None else part.per_round.value
                continue
            fit = self.fits.get(component.label)
            if fit is None or fit.Lambda.value <= 1:
                return None
            fits.append(fit)
        start = candidate.distance_of(candidate.components[0]) + 1
        for distance in range(start, up_to + 1):
            rates = (candidate.per_logical(Interval.exact(f.predict(distance))) for f in fits)
            if floor + math.fsum(rate.value for rate in rates) <= target:
                return distance
        return None

    def total(
        self, k: int, *, limit: float
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
