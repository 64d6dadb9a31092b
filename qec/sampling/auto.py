"""Choosing between direct Monte Carlo, stratified sampling and splitting
(`method="auto"`)."""

from __future__ import annotations

import dataclasses
import math
import secrets
import time

import numpy as np
import stim

from qec.intervals import Z
from qec.noise import detector_error_model
from qec.sampling.core.decoders import DecoderChoice
from qec.sampling.core.derived_values import DerivedValues, derived_values
from qec.sampling.method import Method
from qec.sampling.monte_carlo.count import count_logical_errors

PILOT_SHOTS = 20_000
# Above this mean number of faults per shot, the informative strata are too many and too
# heavy to sample: stratified sampling then costs about as much as direct sampling.
MAX_MEAN_FAULTS_FOR_STRATIFIED = 8.0


@dataclasses.dataclass(frozen=True)
class Pilot:
    """The pilot's seeded direct run: its counts, time and stim seed."""

    shots: int
    errors: int
    seconds: float
    seed: int


@dataclasses.dataclass(frozen=True)
class MethodChoice:
    """The method `auto` picked and what it rests on: `errors` in `shots` direct shots
    seen (the saved ones `from_file`, else the pilot's), the `expected` errors within
    max_shots against the `needed` ones (`enough`), and, when too few, the circuit's
    `mean_faults` per shot; `pilot` is the run to keep (None when the saved counts
    decided, or for a rare-event method). `reason` renders them.

    Examples:
        >>> choice = MethodChoice(Method.SPLITTING, errors=0, shots=20_000, expected=0.0,
        ...                       needed=97, enough=False, mean_faults=12.5)
        >>> choice.reason[:36]
        'splitting: pilot: 0 errors in 20,000'
    """

    method: Method
    errors: int
    shots: int
    expected: float
    needed: int
    enough: bool
    mean_faults: float | None = None
    pilot: Pilot | None = None
    from_file: bool = False
    for_attribution: bool = False

    @property
    def bounds_only(self) -> bool:
        """Direct sampling although too few errors are expected (the caller asked for
        direct sampling only): its interval bounds the rate from above."""
        return self.method is Method.MONTE_CARLO and not self.enough

    @property
    def reason(self) -> str:
        """The choice in words."""
        source = "the results file" if self.from_file else "pilot"
        seen = f"{source}: {self.errors} errors in {self.shots:,} shots"
        limit = MAX_MEAN_FAULTS_FOR_STRATIFIED
        if self.for_attribution:
            enough = "<=" if self.method is Method.STRATIFIED else ">"
            return (
                f"{self.method}: the attribution needs failing fault sets, which direct "
                f"sampling does not keep; the circuit averages {self.mean_faults:.3g} faults "
                f"per shot ({enough} {limit:g})"
            )
        if self.bounds_only:
            return (
                f"direct Monte Carlo, though too few errors are expected ({seen}, about "
                f"{self.expected:.3g} within max_shots, {self.needed} needed): direct "
                "sampling only was asked for; the interval bounds the rate from above"
            )
        if self.method is Method.MONTE_CARLO:
            return (
                f"direct Monte Carlo: {seen}, about {min(self.expected, 1e300):.3g} expected "
                f"within max_shots, >= {self.needed} needed"
            )
        if self.method is Method.STRATIFIED:
            return (
                f"stratified: {seen}, too few expected within max_shots; the circuit "
                f"averages {self.mean_faults:.3g} faults per shot (<= {limit:g})"
            )
        return (
            f"splitting: {seen}, too few expected within max_shots; the circuit averages "
            f"{self.mean_faults:.3g} faults per shot (> {limit:g}, too many for "
            "stratified sampling)"
        )


def errors_for_precision(rel_precision: float) -> int:
    """Errors a binomial estimate needs for a 95% half-width of rel_precision * rate.

    Examples:
        >>> errors_for_precision(0.2)
        97
    """
    return math.ceil((Z / rel_precision) ** 2)


def mean_fault_count(circuit: stim.Circuit, derived: DerivedValues | None = None) -> float:
    """The expected number of error mechanisms firing in one shot (kept in `derived`)."""
    from qec.sampling.core.mechanisms import mechanisms  # scipy: only when a pilot needs it

    def compute() -> float:
        return math.fsum(mechanisms(detector_error_model(circuit)).probabilities)

    store = derived or derived_values(None)
    return float(store.get(circuit, "mean_faults", {}, compute, packages=("stim",)))


def choose_method(
    circuit: stim.Circuit,
    *,
    decoder: str | DecoderChoice,
    max_shots: int | None,
    max_errors: int | None,
    rel_precision: float,
    saved: tuple[int, int] = (0, 0),
    seed: int | None = None,
    attribute: bool = False,
    direct_only: bool = False,
    derived: DerivedValues | None = None,
) -> MethodChoice:
    """Direct Monte Carlo when the direct counts (decoded by `decoder`) say the shot
    budget yields enough errors; else stratified sampling when the circuit's mean fault
    count is small and multilevel splitting when it is not. Never refuses. With
    `attribute`, no pilot: a rare-event method, which keeps the failing fault sets.
    With `direct_only`, direct Monte Carlo anyway (the pilot's shots kept), whose
    interval then bounds the rate from above.

    "Enough" is min(max_errors, the errors a `rel_precision` estimate needs). The counts
    are `saved` (shots, errors), those of this circuit already in a results file, when
    they hold at least `PILOT_SHOTS` shots or meet a limit; else a pilot run of up to
    `PILOT_SHOTS` seeded shots (no more than max_shots leaves), seeded by `seed` and the
    saved shots (random without `seed`), whose counts the caller may keep: it is an
    independent sample of the same circuit. A seeded pilot decoded by PyMatching and
    the mean fault count are kept in `derived` (this process's store when None): a
    rerun reads them back instead of sampling the same shots again.

    Examples:
        >>> from qec import Depolarizing, MemoryExperiment, RepetitionCode
        >>> circuit = MemoryExperiment(code=RepetitionCode(distance=3),
        ...     noise=Depolarizing(p=0.05), rounds=3, basis="Z").circuit()
        >>> choice = choose_method(circuit, decoder="pymatching", max_shots=10**5,
        ...                        max_errors=100, rel_precision=0.2, seed=1)
        >>> choice.method, choice.pilot.shots
        ('monte_carlo', 20000)
    """
    needed = errors_for_precision(rel_precision)
    if max_errors is not None:
        needed = min(needed, max_errors)
    if attribute:
        faults = mean_fault_count(circuit, derived)
        return MethodChoice(
            _rare_event_method(faults),
            errors=0,
            shots=0,
            expected=0.0,
            needed=needed,
            enough=False,
            mean_faults=faults,
            for_attribution=True,
        )
    saved_shots, saved_errors = saved
    pilot = None
    from_file = (
        saved_shots >= PILOT_SHOTS
        or (max_shots is not None and saved_shots >= max_shots)
        or saved_errors >= needed
    )
    if from_file:
        seen_shots, seen_errors = saved_shots, saved_errors
        shots, errors = saved_shots, saved_errors
    else:
        seen_shots = PILOT_SHOTS if max_shots is None else min(PILOT_SHOTS, max_shots - saved_shots)
        pilot = _pilot(circuit, decoder, seen_shots, _pilot_seed(seed, saved_shots), derived)
        seen_errors = pilot.errors
        shots, errors = seen_shots + saved_shots, seen_errors + saved_errors
    expected = math.inf if max_shots is None else errors / shots * max_shots
    enough = expected >= needed or errors >= needed
    mean_faults = None if enough or direct_only else mean_fault_count(circuit, derived)
    method = Method.MONTE_CARLO if mean_faults is None else _rare_event_method(mean_faults)
    return MethodChoice(
        method,
        errors=seen_errors,  # the reason reports what was seen: the pilot's own counts
        shots=seen_shots,
        expected=expected,
        needed=needed,
        enough=enough,
        mean_faults=mean_faults,
        pilot=None if method.rare_event else pilot,
        from_file=from_file,
    )


def _pilot(
    circuit: stim.Circuit,
    decoder: str | DecoderChoice,
    shots: int,
    stim_seed: int,
    derived: DerivedValues | None,
) -> Pilot:
    """The pilot run of `shots` shots seeded by `stim_seed`: kept in `derived` when its
    decoder is PyMatching (a function of the circuit and the seed), else sampled."""

    def run() -> list[float]:
        start = time.perf_counter()
        errors = count_logical_errors(circuit, shots=shots, seed=stim_seed, decoder=decoder)
        return [errors, time.perf_counter() - start]

    choice = decoder if isinstance(decoder, DecoderChoice) else DecoderChoice(decoder)
    if choice.is_pymatching:
        store = derived or derived_values(None)
        params = {"shots": shots, "seed": stim_seed}
        kept = store.get(circuit, "pilot", params, run, packages=("stim", "PyMatching"))
        errors, seconds = kept
    else:
        errors, seconds = run()
    return Pilot(shots, int(errors), float(seconds), stim_seed)


def _rare_event_method(mean_faults: float) -> Method:
    """Stratified sampling for few faults per shot, splitting for many."""
    return Method.STRATIFIED if mean_faults <= MAX_MEAN_FAULTS_FOR_STRATIFIED else Method.SPLITTING


def _pilot_seed(seed: int | None, saved_shots: int) -> int:
    """A stim seed for the pilot: from `seed` and the shots already saved, so a rerun
    that adds to a file never repeats an earlier pilot's shots; random without `seed`."""
    if seed is None:
        return secrets.randbits(63)
    return int(np.random.SeedSequence([seed, saved_shots]).generate_state(1, np.uint64)[0] >> 1)
