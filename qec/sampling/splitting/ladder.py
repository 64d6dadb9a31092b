"""Rare-event estimates by multilevel splitting: a ladder of noise strengths from where
direct sampling is cheap down to the requested noise.

The method follows Bravyi and Vargo (PRA 88, 062308 (2013)), carried to circuit noise
on the detector error model as in arXiv:2509.13678: every mechanism i of the model
keeps its detectors and observables, and its odds o_i = p_i / (1 - p_i) are scaled by a
factor s, so that s = 1 is the requested noise and a configuration E of w faults has
probability P_s(E) = s^w prod_{i in E} o_i / Z(s), Z(s) = prod_i (1 + s o_i). Scaling the
odds (not the probabilities) keeps every p_i < 1 at any s and makes the ratio
P_t(E) / P_s(E) = (t / s)^w Z(s) / Z(t) depend on E only through w.

With the decoder fixed (matching built for s = 1), the failure probability
P_L(s) = sum_{E in F} P_s(E) is estimated at a top level s_0 by direct sampling, and
carried down the ladder s_0 > s_1 > ... > s_k = 1 by the ratios P_L(s_{j+1}) / P_L(s_j)
(and on below 1 when the curve is asked for at weaker noise: the rate at s = 1 is then
that of an inner level).
Each ratio comes from Bennett's acceptance ratio (BV's Eq. (14); C. H. Bennett,
J. Comput. Phys. 22, 245 (1976)) between Metropolis chains at the two levels, each
restricted to F (`FailureChains`):

    P_L(s_{j+1}) / P_L(s_j) = e^c <f(x - c)>_j / <f(c - x)>_{j+1},  x = log(P_{j+1}/P_j),

with f the logistic function and c solved self-consistently. The ladder steps follow BV:
s_{j+1} = s_j 2^(-1/sqrt(w_j)), with w_j the larger of half the graphlike distance and
the mean fault count at s_j, so that x varies by about one unit across each level's
samples (the last step goes to 1 when less than half a step would be left).

The work comes in independent units (`run_unit`): a unit samples its own failures at
s_0 directly (its shots also estimate P_L(s_0)) and runs replica-exchange ladders of
chains (`FailureChains`) seeded by them (many seeds, as in arXiv:2511.15177): half the
ladders start every level from those strong-noise failures ("hot"), half start the
lower levels from weak-noise failures ("cold": just over half of a shortest logical
error plus independent faults). Units are independent replicates; the 95% interval is
the delta-method interval of log P_L over the units' statistics (with the covariance
across levels), with Student's t at units - 1 degrees of freedom, widened to span the
hot and the cold estimates (`qec.sampling.splitting.estimate`).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections.abc import Callable, Sequence

import numpy as np

from qec.errors import QecError
from qec.sampling.core.decoding_problem import DecodingProblem
from qec.sampling.core.fault_kinds import FaultKinds
from qec.sampling.core.fault_sets import independent_faults
from qec.sampling.splitting.attribution import UnitKinds
from qec.sampling.splitting.chains import ChainsSnapshot, FailureChains

# Ladders per unit: as many as keep a unit near UNIT_DECODES decoded configurations (so
# that big circuits still finish units often), at most MAX_LADDERS_PER_UNIT.
UNIT_DECODES = 400_000
MAX_LADDERS_PER_UNIT = 8
# A pilot at s = 1, sqrt 2, 2, ... brackets the top level: the lowest scale whose
# failure rate is at least this, so that direct sampling there is cheap while the
# chains, whose cost grows with the faults per shot, start as low as possible (the rate
# that gave the least unit-to-unit variance per unit time: docs/tuning.md).
TOP_LEVEL_RATE = 5e-4
# Bisections of log s between the last scale below TOP_LEVEL_RATE and the first above:
# a failure rate grows about as s^(d/2), so a step of sqrt 2 can overshoot the goal
# 2^(d/4) times (19 at d = 17), and each level above it costs steps and levels. Three
# leave a step of 2^(1/16), an overshoot of at most 2^(d/32).
TOP_LEVEL_BISECTIONS = 3
# The pilot samples each scale in chunks of PILOT_SHOTS until it has seen PILOT_FAILURES
# failures (the rate to about 25%, enough to size the top level's shots), has sampled
# PILOT_FAILURES / TOP_LEVEL_RATE shots, or its upper bound falls below TOP_LEVEL_RATE.
PILOT_SHOTS = 4_000
# Direct sampling decodes this many shots at a time.
SAMPLE_CHUNK = 20_000
PILOT_FAILURES = 20
MAX_DOUBLINGS = 30
# Shots per unit at the top level: enough failures to start every ladder and to replace
# its top state REFRESHES times.
REFRESHES = 2
# A unit given a `checkpoint` hands it its state this often: a kill (kill -9, a closed
# session) then loses at most this much of each unit in flight.
CHECKPOINT_SECONDS = 300.0
# Steps per unit: STEPS_PER_FAULT per excess fault of a top-level shot over the mean at
# s = 1 (at least half the graphlike distance, and MIN_STEPS in all), since every level
# starts from a top-level failure and sheds its excess faults at about one per few
# steps; the first BURN_IN_FRACTION of them are discarded. What relaxes last is the
# shape of the faults the failure rests on, so the steps are set where the hot- and
# cold-started estimates agree (docs/tuning.md). The faults that every level shares
# (the mean at s = 1) need no shedding. Checked against direct sampling in
# tests/sampling/splitting/test_splitting.py.
STEPS_PER_FAULT = 60
MIN_STEPS = 1_000
BURN_IN_FRACTION = 0.5


@dataclasses.dataclass(frozen=True)
class Ladder:
    """The noise scales of a splitting run, from the top level down to 1 (or on below
    it, to the weakest noise of the curve asked for); the steps and the number of
    replica-exchange ladders of a unit; its top-level shots; and the top level's failure
    rate in the pilot.

    Examples:
        >>> ladder = Ladder(scales=(4.0, 2.0, 1.0, 0.5), steps=400, ladders=8,
        ...                 top_shots=5000, pilot_rate=0.03)
        >>> ladder.levels, ladder.unit_level, ladder.burn_in, ladder.unit_decodes
        (4, 2, 200, 17800)
    """

    scales: tuple[float, ...]
    steps: int
    ladders: int
    top_shots: int
    pilot_rate: float

    @property
    def levels(self) -> int:
        return len(self.scales)

    @property
    def unit_level(self) -> int:
        """The index of scale 1, the requested noise, in `scales`."""
        return self.scales.index(1.0)

    @property
    def burn_in(self) -> int:
        return int(self.steps * BURN_IN_FRACTION)

    @property
    def unit_decodes(self) -> int:
        """At most how many configurations a unit decodes: its top-level shots and a
        proposal per state and step (proposals that are invalid, or rejected by their
        Metropolis ratio, are not decoded)."""
        return self.top_shots + self.ladders * self.levels * self.steps


def scaled_odds(problem: DecodingProblem, scale: float) -> np.ndarray:
    """Every mechanism's odds at noise scale `scale`."""
    odds: np.ndarray = problem.sampler.odds * scale
    return odds


def log_partition(problem: DecodingProblem, scale: float) -> float:
    """log Z(s) = sum_i log(1 + s o_i)."""
    return math.fsum(np.log1p(scaled_odds(problem, scale)))


def mean_faults(problem: DecodingProblem, scale: float) -> float:
    """The mean number of mechanisms firing at noise scale `scale`."""
    odds = scaled_odds(problem, scale)
    return math.fsum(odds / (1 + odds))


def sample_failures(
    problem: DecodingProblem, *, scale: float, shots: int, seed: int
) -> tuple[int, list[np.ndarray]]:
    """Direct sampling at noise scale `scale`: (failures, the failing configurations as
    arrays of mechanism indices)."""
    rng = np.random.default_rng(seed)
    odds = scaled_odds(problem, scale)
    probabilities = odds / (1 + odds)
    found: list[np.ndarray] = []
    failures = 0
    for start in range(0, shots, SAMPLE_CHUNK):
        n = min(SAMPLE_CHUNK, shots - start)
        shot, mechanism = independent_faults(probabilities, shots=n, rng=rng)
        detections, flips = problem.fault_set_flips(n, shot, mechanism)
        failed = problem.decoding_failures(detections, flips)
        failures += int(np.count_nonzero(failed))
        bounds = np.searchsorted(shot, np.arange(n + 1))
        found.extend(mechanism[bounds[k] : bounds[k + 1]] for k in np.flatnonzero(failed))
    return failures, found


def plan_ladder(problem: DecodingProblem, *, lowest: float = 1.0) -> Ladder:
    """The ladder for `problem`: the top level from seeded pilots (the lowest scale
    whose failure rate reaches TOP_LEVEL_RATE, to within a factor 2^(1/16)), then BV's
    steps down to 1 and, when `lowest` < 1, on down to `lowest` (both levels).

    Raises QecError when no observable can flip or no failure is seen at any scale.
    """
    if not problem.can_fail:
        raise QecError(
            "the circuit's detector error model has no mechanism that flips an observable: "
            "its logical error rate is 0"
        )
    top, rate = _top_level(problem)
    half_distance = math.ceil(problem.graphlike_distance / 2)
    scales = [top]
    while scales[-1] > lowest:
        goal = 1.0 if scales[-1] > 1 else lowest
        typical = max(half_distance, mean_faults(problem, scales[-1]), 1.0)
        step = 2.0 ** (1 / math.sqrt(typical))
        following = scales[-1] / step
        # Less than half a step short of the goal: the next level is the goal (a level
        # just above it would measure a ratio near 1 at a level's full cost).
        scales.append(following if following > goal * math.sqrt(step) else goal)
    excess = max(half_distance, mean_faults(problem, top) - mean_faults(problem, scales[-1]))
    steps = max(MIN_STEPS, round(STEPS_PER_FAULT * excess)) if len(scales) > 1 else 0
    per_ladder = max(1, steps * len(scales))
    # An even number: half the ladders start hot, half cold (see `run_unit`).
    ladders = 2 * max(1, min(MAX_LADDERS_PER_UNIT // 2, round(UNIT_DECODES / per_ladder / 2)))
    top_shots = math.ceil((1 + REFRESHES) * ladders / max(rate, 1e-12))
    return Ladder(
        scales=tuple(scales), steps=steps, ladders=ladders, top_shots=top_shots, pilot_rate=rate
    )


def _top_level(problem: DecodingProblem) -> tuple[float, float]:
    """The top level's scale and pilot failure rate: the first of s = 1, sqrt 2, 2, ...
    whose rate reaches TOP_LEVEL_RATE, lowered by TOP_LEVEL_BISECTIONS bisections of log s
    towards the scale below it (each pilot seeded by its place in the search)."""
    below = top = 1.0
    for half_doubling in range(2 * MAX_DOUBLINGS + 1):
        top = 2.0 ** (half_doubling / 2)
        rate = pilot_rate(problem, scale=top, seed=half_doubling)
        if rate >= TOP_LEVEL_RATE:
            break
        below = top
    else:
        raise QecError(
            f"no decoder failure rate reached {TOP_LEVEL_RATE:g} even with the noise's odds "
            f"scaled by {top:g}: splitting needs failures at some noise strength"
        )
    if top == 1.0:
        return top, rate
    for bisection in range(TOP_LEVEL_BISECTIONS):
        middle = math.sqrt(below * top)
        found = pilot_rate(problem, scale=middle, seed=2 * MAX_DOUBLINGS + 1 + bisection)
        if found >= TOP_LEVEL_RATE:
            top, rate = middle, found
        else:
            below = middle
    return top, rate


def pilot_rate(problem: DecodingProblem, *, scale: float, seed: int) -> float:
    """The failure rate at noise scale `scale` from seeded chunks of PILOT_SHOTS shots,
    sampled until PILOT_FAILURES failures, PILOT_FAILURES / TOP_LEVEL_RATE shots, or an
    upper bound (failures + 2 sqrt(failures + 1) + 2, about 95% one-sided) below
    TOP_LEVEL_RATE."""
    shots = failures = 0
    limit = math.ceil(PILOT_FAILURES / TOP_LEVEL_RATE)
    for chunk in itertools.count():
        found, _ = sample_failures(
            problem, scale=scale, shots=PILOT_SHOTS, seed=seed * 1_000_003 + chunk
        )
        shots += PILOT_SHOTS
        failures += found
        bound = failures + 2 * math.sqrt(failures + 1) + 2
        if failures >= PILOT_FAILURES or shots >= limit or bound < TOP_LEVEL_RATE * shots:
            break
    return failures / shots


@dataclasses.dataclass(frozen=True)
class UnitResult:
    """What one unit measured: its top-level shots and failures, and for each level the
    histogram of the number of faults in its chains' states after burn-in.

    Attributes:
        seed: the unit's seed.
        top_shots: shots sampled directly at the top level.
        top_failures: how many of them the decoder got wrong.
        histograms: per group of ladders (started hot, cold) and level, counts[w] of
            chain states with w faults.
        decoded: configurations decoded (direct shots and chain proposals).
        seconds: the unit's time, over all the runs it took.
        kinds: the fault kinds of its failing states at s = 1, when attributed.
        earlier_seconds: the part of `seconds` spent by earlier runs, which stopped at
            their deadlines (`PartialUnit`) and recorded that time.
    """

    seed: int
    top_shots: int
    top_failures: int
    histograms: tuple[tuple[tuple[int, ...], ...], ...]
    decoded: int
    seconds: float
    kinds: UnitKinds | None = None
    earlier_seconds: float = 0.0


@dataclasses.dataclass(frozen=True)
class PartialUnit:
    """A unit stopped at its run's deadline, with what `run_unit(resume=...)` needs to
    go on exactly where it stopped.

    Attributes:
        seed: the unit's seed.
        seconds: its time so far.
        top_failures: failures among its top-level shots.
        found: the failing configurations its chains start from and are refreshed with
            (those top-level failures, or a weak-noise failure when there were none).
        chains: its chains' state.
    """

    seed: int
    seconds: float
    top_failures: int
    found: tuple[np.ndarray, ...]
    chains: ChainsSnapshot


def run_unit(
    problem: DecodingProblem,
    ladder: Ladder,
    *,
    seed: int,
    deadline: float | None = None,
    kinds: FaultKinds | None = None,
    resume: PartialUnit | None = None,
    checkpoint: Callable[[PartialUnit], None] | None = None,
) -> UnitResult | PartialUnit:
    """One independent replicate: direct sampling at the top level, then replica-exchange
    ladders seeded by its failures. If the wall clock (`time.time()`) passes `deadline`
    first, the unit stops and is returned as a `PartialUnit` (never pooled); given back
    as `resume`, it goes on from there, to the result an uninterrupted unit gives. With
    `kinds`, it also counts the fault kinds of its failing states at s = 1. With
    `checkpoint`, its chains' state so far is handed to it every CHECKPOINT_SECONDS, as
    the `PartialUnit` a stop then would give."""
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    if resume is None:
        failures, found = sample_failures(
            problem,
            scale=ladder.scales[0],
            shots=ladder.top_shots,
            seed=int(rng.integers(2**63)),
        )
    else:
        failures, found = resume.top_failures, list(resume.found)
    histograms: tuple[tuple[tuple[int, ...], ...], ...] = ((), ())
    decoded = ladder.top_shots
    unit_kinds = None
    if kinds is not None and ladder.levels == 1:  # the failures sampled directly at s = 1
        faults = np.concatenate([np.zeros(0, dtype=np.int64), *found])
        summed = kinds.shares[faults].sum(axis=0, keepdims=True)
        unit_kinds = UnitKinds.of(kinds, summed, [len(found)])
    elif kinds is not None:  # no chain has counted a state yet (hot, cold)
        unit_kinds = UnitKinds.of(kinds, np.zeros((2, len(kinds.kinds))), [0, 0])
    if ladder.levels > 1 and not found:
        # No failure among this unit's top shots (about e^-6 per unit with 2 ladders):
        # its zero counts in the top rate, and its chains start from a weak-noise failure.
        found = [_weak_noise_start(problem, ladder.scales[0], rng)]
    if ladder.levels > 1:
        ladders = ladder.ladders
        starts = _chain_starts(problem, ladder, found, rng) if resume is None else []
        if resume is not None:  # the saved states stand in for the starts
            states = resume.chains.configurations()
            starts = [states[m * ladder.levels : (m + 1) * ladder.levels] for m in range(ladders)]
        fresh = found[ladders:]
        groups = [0 if m < ladders // 2 else 1 for m in range(ladders)]
        chains = FailureChains(
            problem,
            scales=ladder.scales,
            starts=starts,
            rng=rng,
            groups=groups,
            shares=None if kinds is None else kinds.shares,
            kinds_level=ladder.unit_level,
        )
        if resume is not None:
            chains.restore(resume.chains)
        every = max(1, ladder.steps // (len(fresh) // ladders + 1))

        def refresh(step: int) -> None:
            batch = step // every
            if step % every or step == 0 or batch * ladders > len(fresh):
                return
            for m, state in enumerate(chains.top_states()):
                chains.replace(int(state), fresh[(batch - 1) * ladders + m])

        def stopped() -> PartialUnit:
            return PartialUnit(
                seed=seed,
                seconds=_seconds_since(start, resume),
                top_failures=failures,
                found=tuple(found),
                chains=chains.snapshot(),
            )

        # The chains pause at each checkpoint (their state is handed over and they go
        # on, as a resumed unit would) and stop at the deadline.
        while (
            counts := chains.run(
                steps=ladder.steps,
                burn_in=ladder.burn_in,
                refresh=refresh,
                deadline=_next_pause(deadline, checkpoint is not None),
            )
        ) is None:
            if checkpoint is None or (deadline is not None and time.time() > deadline):
                return stopped()
            checkpoint(stopped())
        histograms = tuple(
            tuple(tuple(int(c) for c in np.trim_zeros(row, "b")) for row in group)
            for group in counts
        )
        decoded += chains.decoded
        if kinds is not None:
            counted = [sum(group[ladder.unit_level]) for group in histograms]
            unit_kinds = UnitKinds.of(kinds, chains.kind_sums, counted)
    return UnitResult(
        seed=seed,
        top_shots=ladder.top_shots,
        top_failures=failures,
        histograms=histograms,
        decoded=decoded,
        seconds=_seconds_since(start, resume),
        kinds=unit_kinds,
        earlier_seconds=0.0 if resume is None else resume.seconds,
    )


def _next_pause(deadline: float | None, checkpoints: bool) -> float | None:
    """When the chains next pause: at the deadline, or (with `checkpoints`) at the next
    checkpoint if that comes first."""
    if not checkpoints:
        return deadline
    pause = time.time() + CHECKPOINT_SECONDS
    return pause if deadline is None else min(pause, deadline)


def _seconds_since(start: float, resume: PartialUnit | None) -> float:
    """A unit's time: since `start` (a `time.perf_counter()`), and before it if resumed."""
    return time.perf_counter() - start + (0.0 if resume is None else resume.seconds)


def _chain_starts(
    problem: DecodingProblem, ladder: Ladder, found: list[np.ndarray], rng: np.random.Generator
) -> list[list[np.ndarray]]:
    """Each ladder's start per level: a top-level failure at every level for the first
    half ("hot"), a weak-noise failure at each lower level for the second ("cold")."""
    starts: list[list[np.ndarray]] = []
    for m in range(ladder.ladders):
        top = found[m % len(found)]
        if m < ladder.ladders // 2:  # hot: every level starts from a strong-noise failure
            starts.append([top] * ladder.levels)
        else:  # cold: the lower levels start from weak-noise failures
            low = [low_noise_failure(problem, scale, rng) for scale in ladder.scales[1:]]
            starts.append([top] + [top if f is None else f for f in low])
    return starts


def low_noise_failure(
    problem: DecodingProblem, scale: float, rng: np.random.Generator, *, tries: int = 20
) -> np.ndarray | None:
    """A failing configuration typical of weak noise, to start a low level's chain near
    its law: just over half of a shortest logical error (matching then prefers the
    wrong completion) plus faults drawn independently at noise scale `scale`. None if
    `tries` draws all decode correctly."""
    path = problem.shortest_logical
    if not path:
        return None
    odds = scaled_odds(problem, scale)
    probabilities = odds / (1 + odds)
    size = len(path) // 2 + 1
    for _ in range(tries):
        first = int(rng.integers(0, len(path) - size + 1))
        core = np.array(path[first : first + size], dtype=np.int64)
        background = np.flatnonzero(rng.random(problem.num_mechanisms) < probabilities)
        configuration = np.setxor1d(core, background)
        if problem.failures(configuration[None, :])[0]:
            return configuration
    return None


def _weak_noise_start(
    problem: DecodingProblem, scale: float, rng: np.random.Generator
) -> np.ndarray:
    """A failing configuration to start chains from when direct sampling found none:
    `low_noise_failure`, or else a whole shortest logical error when the decoder fails
    on it. QecError when neither fails."""
    start = low_noise_failure(problem, scale, rng)
    path = np.array(problem.shortest_logical, dtype=np.int64)
    if start is None and len(path) and problem.failures(path[None, :])[0]:
        start = path
    if start is None:
        raise QecError(
            "splitting found no failing configuration to start its chains from: no "
            "top-level shot failed and the decoder corrects every weak-noise attempt"
        )
    return start


def level_log_ratios(
    problem: DecodingProblem, scales: Sequence[float]
) -> list[tuple[float, float]]:
    """For each pair of neighbouring levels, (log(t / s), log Z(s) - log Z(t)): x(w) =
    w log(t / s) + log Z(s) - log Z(t) is log P_t(E) / P_s(E) for |E| = w."""
    log_z = [log_partition(problem, s) for s in scales]
    return [
        (math.log(scales[j + 1] / scales[j]), log_z[j] - log_z[j + 1])
        for j in range(len(scales) - 1)
    ]
