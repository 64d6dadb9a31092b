"""The splitting estimate and its 95% interval, from the units of a splitting run.

Per pair of neighbouring levels j, j+1, Bennett's acceptance ratio with the pooled
histograms gives c_j (the root of log <f(x - c)>_j - log <f(c - x)>_{j+1} + log(n_j /
n_{j+1}) = 0, f the logistic function, x(w) the log probability ratio of a state with w
faults), and

    log P_L(1) = log P_L(s_0) + sum_j [c_j + log A_j - log B_j],

A_j and B_j the means over units of a_{j,u} = <f(x - c_j)> in unit u's chains at level
j and b_{j,u} = <f(c_j - x)> at level j + 1. Units are independent and identically
distributed (their own seeds, own top-level failures, equal steps), so the vector
v_u = (P_0u, a_0u, b_0u, a_1u, ...) has a sample covariance S over the R units; the
delta method gives Var(log P_L) = g^T S g / R with g the gradient, and the 95% interval
is exp(log P_L -/+ t_{0.975, R-1} sd). c_j is treated as a constant (BAR's estimate is
stationary in c at its optimum). The same sum stopped after j ratios is log P_L(s_j), so
one run measures the rate at every level it visits, each with its interval
(`SplittingEstimate.curve`).

That interval covers the spread between independent units, not a bias left by chains
that mix too slowly. So half of each unit's ladders start hot (every level from a
strong-noise failure: too many faults, ratios biased low until they relax) and half
cold (the lower levels from weak-noise failures, `low_noise_failure`: ratios biased
high), and the reported interval is the pooled one widened to reach the hot and the
cold estimates. When the chains have mixed, those two differ by noise alone (each has
half the data: they lie within the pooled interval about as often as its coverage
says) and the interval is the pooled one; when the chains have not mixed, the interval
is as wide as their disagreement, which more units do not shrink.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence

import numpy as np
import scipy.optimize
import scipy.special

from qec.intervals import CONFIDENCE, Interval
from qec.sampling.core.attribution import Attribution

SPLITTING_INTERVAL = (
    "95%: delta method on log P_L over independent units, Student t with units - 1 "
    "degrees of freedom, widened to reach the hot- and the cold-started chains' estimates"
)


@dataclasses.dataclass(frozen=True)
class SplittingEstimate:
    """A per-shot failure rate estimated by splitting, with how it was obtained.

    Attributes:
        rate: the per-shot failure rate and its 95% interval (reaching the values of
            `starts`).
        starts: the estimates from the ladders started hot and cold, alone.
        units: independent units pooled.
        scales: the ladder's noise scales, from the top down to 1 (or below).
        curve: the rate at each of `scales`, each interval widened like `rate` (which is
            the point at scale 1): P_L(s) with every mechanism's odds times s, decoded
            as at s = 1.
        top_rate: the directly sampled failure rate at the top level (pooled).
        decoded: configurations decoded in all units.
        seconds: the units' time, summed.
        attribution: the rate's elasticity in each fault kind, when asked for
            (`qec.sampling.splitting.attribution`); None otherwise, or when no failing
            state was counted.
    """

    rate: Interval
    starts: tuple[Interval, ...]
    units: int
    scales: tuple[float, ...]
    curve: tuple[Interval, ...]
    top_rate: float
    decoded: int
    seconds: float
    attribution: Attribution | None = None

    @property
    def relative_precision(self) -> float:
        """The 95% interval's half-width over the rate (inf without an interval)."""
        if self.rate.value <= 0 or not math.isfinite(self.rate.high):
            return math.inf
        return (self.rate.high - self.rate.low) / (2 * self.rate.value)


def _log_mean_logistic(x: np.ndarray, counts: np.ndarray) -> float:
    """log of the counts-weighted mean of the logistic function f(x) = 1 / (1 + e^-x)."""
    used = counts > 0
    weights = np.log(counts[used])
    return float(
        scipy.special.logsumexp(weights + scipy.special.log_expit(x[used])) - math.log(counts.sum())
    )


def bennett_offset(down: np.ndarray, up: np.ndarray, *, slope: float, offset: float) -> float:
    """c for one pair of levels: `down` and `up` are the pooled fault-count histograms of
    the upper and lower level, x(w) = slope w + offset.

    Examples:
        >>> # Both levels see only w = 3 with P_lower/P_upper = e^-2: the ratio is e^-2.
        >>> bennett_offset(np.array([0, 0, 0, 10]), np.array([0, 0, 0, 10]),
        ...                slope=-1.0, offset=1.0)
        -2.0
    """
    x_down = slope * np.arange(len(down)) + offset
    x_up = slope * np.arange(len(up)) + offset
    balance = math.log(down.sum() / up.sum())

    def excess(c: float) -> float:
        return _log_mean_logistic(x_down - c, down) - _log_mean_logistic(c - x_up, up) + balance

    low = min(x_down[down > 0].min(), x_up[up > 0].min()) - 50
    high = max(x_down[down > 0].max(), x_up[up > 0].max()) + 50
    return float(scipy.optimize.brentq(excess, low, high, xtol=1e-12))


def _padded(histograms: Sequence[Sequence[int]]) -> np.ndarray:
    width = max(len(h) for h in histograms)
    return np.array([list(h) + [0] * (width - len(h)) for h in histograms], dtype=np.float64)


def _chain_estimate(
    top: np.ndarray,
    level_ratios: Sequence[tuple[float, float]],
    histograms: Sequence[Sequence[Sequence[int]]],
) -> list[Interval]:
    """The rate at every level, from the top down, each with its delta-method interval, from
    the units' top-level rates `top` and their per-level histograms (histograms[u][j]),
    with the log ratios between levels. Level j's rate rests on the top rate and the
    first j ratios: the first 1 + 2j columns of the units' statistics."""
    units = len(top)
    columns = [top]
    log_rates = [math.log(top.mean()) if top.mean() > 0 else -math.inf]
    for j, (slope, offset) in enumerate(level_ratios):
        down = _padded([h[j] for h in histograms])
        up = _padded([h[j + 1] for h in histograms])
        c = bennett_offset(down.sum(axis=0), up.sum(axis=0), slope=slope, offset=offset)
        x_down = slope * np.arange(down.shape[1]) + offset
        x_up = slope * np.arange(up.shape[1]) + offset
        a = (down * scipy.special.expit(x_down - c)).sum(axis=1) / down.sum(axis=1)
        b = (up * scipy.special.expit(c - x_up)).sum(axis=1) / up.sum(axis=1)
        columns += [a, b]
        log_rates.append(log_rates[-1] + c + math.log(a.mean()) - math.log(b.mean()))
    if units < 2 or not math.isfinite(log_rates[0]):
        return [Interval(math.exp(log_rate), 0.0, 1.0) for log_rate in log_rates]
    values = np.column_stack(columns)
    gradient = 1 / values.mean(axis=0)
    gradient[2::2] *= -1  # the b's enter with a minus sign
    covariance = np.atleast_2d(np.cov(values, rowvar=False))
    t = float(scipy.special.stdtrit(units - 1, (1 + CONFIDENCE) / 2))
    rates = []
    for j, log_rate in enumerate(log_rates):
        used = slice(0, 1 + 2 * j)
        variance = float(gradient[used] @ covariance[used, used] @ gradient[used]) / units
        spread = t * math.sqrt(max(0.0, variance))
        rate = math.exp(log_rate)
        rates.append(
            Interval(rate, math.exp(log_rate - spread), min(1.0, math.exp(log_rate + spread)))
        )
    return rates


def combine_units(
    *,
    scales: Sequence[float],
    level_ratios: Sequence[tuple[float, float]],
    top_shots: Sequence[int],
    top_failures: Sequence[int],
    histograms: Sequence[Sequence[Sequence[Sequence[int]]]],
    decoded: int,
    seconds: float,
) -> SplittingEstimate:
    """The estimate from R units: their top-level counts and, per group of ladders
    (started hot, started cold), their per-level histograms (histograms[u][g][j]);
    `level_ratios[j]` = (slope, offset) of x(w) between levels j and j + 1
    (`qec.sampling.splitting.ladder.level_log_ratios`). `scales` holds 1, the level of
    the rate; the levels after it carry the curve on to weaker noise.

    The rate pools both groups. Its interval is the pooled one widened to reach the hot
    and the cold estimates: chains started from strong-noise failures carry too many
    faults until they relax, which biases the ratios low, and chains started from
    weak-noise failures bias them high; while the chains have not mixed, the two
    disagree and the interval shows it.

    Examples:
        >>> # One level (direct sampling at s = 1): 4 units of 1000 shots.
        >>> e = combine_units(scales=[1.0], level_ratios=[], top_shots=[1000] * 4,
        ...                   top_failures=[10, 12, 9, 11], histograms=[[[], []]] * 4,
        ...                   decoded=4000, seconds=1.0)
        >>> round(e.rate.value, 5), e.units
        (0.0105, 4)
    """
    top = np.array(top_failures, dtype=np.float64) / np.array(top_shots, dtype=np.float64)
    groups = len(histograms[0])
    pooled = [  # per unit and level, the groups' histograms added up
        [
            [sum(counts) for counts in itertools.zip_longest(*levels, fillvalue=0)]
            for levels in zip(*unit, strict=True)
        ]
        for unit in histograms
    ]
    curve = _chain_estimate(top, level_ratios, pooled)
    started = [
        _chain_estimate(top, level_ratios, [unit[g] for unit in histograms]) for g in range(groups)
    ]
    widened = tuple(
        Interval(
            rate.value,
            min([rate.low] + [alone[j].value for alone in started]),
            max([rate.high] + [alone[j].value for alone in started]),
        )
        for j, rate in enumerate(curve)
    )
    at_one = list(scales).index(1.0)
    return SplittingEstimate(
        rate=widened[at_one],
        starts=tuple(alone[at_one] for alone in started),
        units=len(top),
        scales=tuple(scales),
        curve=widened,
        top_rate=float(top.mean()),
        decoded=decoded,
        seconds=seconds,
    )
