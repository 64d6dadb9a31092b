"""Choosing between direct Monte Carlo, stratified sampling and splitting
(`method="auto"`)."""

from __future__ import annotations

import dataclasses
import math

import stim

from qec.noise import detector_error_model
from qec.sampling.direct import count_logical_errors
from qec.sampling.mechanisms import mechanisms

PILOT_SHOTS = 20_000
# Above this mean number of faults per shot, the informative strata are too many and too
# heavy to sample (at ~5 stratified sampling already costs about as much as direct).
MAX_MEAN_FAULTS_FOR_STRATIFIED = 8.0


@dataclasses.dataclass(frozen=True)
class MethodChoice:
    """The method `auto` picked and why."""

    method: str
    reason: str


def errors_for_precision(rel_precision: float) -> int:
    """Errors a binomial estimate needs for a 95% half-width of rel_precision * rate.

    Examples:
        >>> errors_for_precision(0.2)
        97
    """
    return math.ceil((1.96 / rel_precision) ** 2)


def mean_fault_count(circuit: stim.Circuit) -> float:
    """The expected number of error mechanisms firing in one shot."""
    return math.fsum(mechanisms(detector_error_model(circuit)).probabilities)


def choose_method(
    circuit: stim.Circuit,
    *,
    decoder: str,
    max_shots: int | None,
    max_errors: int | None,
    rel_precision: float,
) -> MethodChoice:
    """Direct Monte Carlo when a pilot run says the shot budget yields enough errors;
    else, with PyMatching, stratified sampling when the circuit's mean fault count is
    small and multilevel splitting when it is not; with another decoder, direct Monte
    Carlo anyway, whose interval then bounds the rate from above. Never refuses.

    "Enough" is min(max_errors, the errors a `rel_precision` estimate needs). The pilot
    (20,000 seeded shots) is only used to choose; its shots are not counted.
    """
    needed = errors_for_precision(rel_precision)
    if max_errors is not None:
        needed = min(needed, max_errors)
    pilot_shots = PILOT_SHOTS if max_shots is None else min(PILOT_SHOTS, max_shots)
    pilot_errors = count_logical_errors(circuit, shots=pilot_shots, seed=0, decoder=decoder)
    expected = math.inf if max_shots is None else pilot_errors / pilot_shots * max_shots
    pilot = f"pilot: {pilot_errors} errors in {pilot_shots:,} shots"
    if expected >= needed:
        return MethodChoice(
            "monte_carlo",
            f"direct Monte Carlo: {pilot}, about {min(expected, 1e300):.3g} expected within "
            f"max_shots, >= {needed} needed",
        )
    mean_faults = mean_fault_count(circuit)
    if decoder == "pymatching" and mean_faults <= MAX_MEAN_FAULTS_FOR_STRATIFIED:
        return MethodChoice(
            "stratified",
            f"stratified: {pilot}, too few expected within max_shots; the circuit averages "
            f"{mean_faults:.3g} faults per shot (<= {MAX_MEAN_FAULTS_FOR_STRATIFIED:g})",
        )
    if decoder == "pymatching":
        return MethodChoice(
            "splitting",
            f"splitting: {pilot}, too few expected within max_shots; the circuit averages "
            f"{mean_faults:.3g} faults per shot (> {MAX_MEAN_FAULTS_FOR_STRATIFIED:g}, too "
            "many for stratified sampling)",
        )
    return MethodChoice(
        "monte_carlo",
        f"direct Monte Carlo, though too few errors are expected ({pilot}, about "
        f"{expected:.3g} within max_shots, {needed} needed): the rare-event methods need "
        f"the pymatching decoder, not {decoder!r}; the interval bounds the rate from above",
    )
