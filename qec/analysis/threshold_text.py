"""One sweep's threshold as text, as `qec threshold` prints it: the experiment, the
estimate, how it was obtained, and the logical error rates of every point."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from qec.analysis.threshold import ThresholdEstimate
from qec.sampling.sweep_point import SweepPoint


def rate_table(points: Sequence[SweepPoint], *, per: str, sweep: str = "p") -> str:
    """The points' logical error rates per `per`: one row per swept value, one column
    per size.

    Examples:
        >>> points = [SweepPoint(distance=d, value=v, shots=100, errors=e, label=f"d={d}")
        ...           for d, v, e in ((3, 0.1, 10), (5, 0.1, 5), (3, 0.2, 30))]
        >>> print(rate_table(points, per="shot"))
          p                 d=3        d=5
          0.1               0.1       0.05
          0.2               0.3          -
    """
    sizes = {p.label: p.distance for p in points}
    labels = sorted(sizes, key=lambda s: (sizes[s], s))
    cell = {(p.label, p.value): p.rate(per).value for p in points}
    width = max([11, *(len(s) + 2 for s in labels)])
    lines = [f"  {sweep:<10}" + "".join(f"{s:>{width}}" for s in labels)]
    for v in sorted({p.value for p in points}):
        row = "".join(
            f"{cell[(s, v)]:>{width}.3g}" if (s, v) in cell else f"{'-':>{width}}" for s in labels
        )
        lines.append(f"  {v:<10.4g}{row}")
    return "\n".join(lines)


def threshold_text(
    experiment: Mapping[str, Any], points: Sequence[SweepPoint], estimate: ThresholdEstimate
) -> str:
    """One sweep's threshold in words: the experiment (`ThresholdSweep.to_json()` and
    its "decoder"), the threshold, how it was estimated, and the rates of every point.

    With rounds growing with d, a per-round estimate comes with a note: per-round rates
    at the threshold fall like 1/d, so per-round curves cross above it at small d.

    Examples:
        >>> experiment = {"code": "repetition", "basis": "Z", "rounds": "1",
        ...               "noise": "code_capacity", "sweep": "p", "decoder": "pymatching"}
        >>> points = [SweepPoint(distance=3, value=0.4, shots=100, errors=35, label="d=3")]
        >>> estimate = ThresholdEstimate(value=0.5, low=0.49, high=0.51, method="crossing",
        ...                              per="shot", window=(0.3, 0.5), points_used=6)
        >>> print(threshold_text(experiment, points, estimate).splitlines()[1])
          threshold p = 0.5 [0.49, 0.51] per shot
    """
    e = experiment
    crossings = ", ".join(f"{c.smaller}/{c.larger} {c.value:.4g}" for c in estimate.crossings)
    lines = [
        f"{e['code']} basis={e['basis']} rounds={e['rounds']} noise={e['noise']} "
        f"decoder={e['decoder']}, sweeping {e['sweep']}",
        f"  threshold {e['sweep']} = {estimate} per {estimate.per}"
        + (
            " (EXTRAPOLATED: outside the swept range; move the range)"
            if estimate.extrapolated
            else ""
        ),
        f"  method: {estimate.method_detail}; sizes fitted {', '.join(estimate.sizes)}",
        f"  interval: {estimate.interval_name}",
    ]
    if estimate.per == "round" and "d" in str(e["rounds"]):
        lines.append(
            "  note: with rounds growing with d, per-round rates at the threshold fall like "
            "1/d, so per-round curves cross above it at small d; --per shot is the "
            "scale-invariant choice"
        )
    shots, errors = sum(p.shots for p in points), sum(p.errors for p in points)
    lines += [
        f"  crossings of neighbouring sizes: {crossings or 'none in the window'}",
        f"  {shots:,} shots, {errors:,} errors; logical error rate per {estimate.per}:",
        rate_table(points, per=estimate.per, sweep=e["sweep"]),
    ]
    return "\n".join(lines)
