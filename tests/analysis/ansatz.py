"""Synthetic sweep points that follow the finite-size-scaling ansatz, for the threshold
tests."""

from __future__ import annotations

from qec.analysis import SweepPoint


def ansatz_points(
    *,
    v_th=0.1,
    nu=1.5,
    a=0.1,
    b=0.5,
    c=0.0,
    sizes=(5, 9, 13),
    values=(0.08, 0.09, 0.1, 0.11, 0.12),
    shots=10**6,
    rng=None,
    rounds=1,
):
    """Counts following p_L = a + b x + c x^2 exactly (rng=None) or binomially sampled."""
    points = []
    for d in sizes:
        for v in values:
            x = (v - v_th) * d ** (1 / nu)
            rate = a + b * x + c * x * x
            errors = round(shots * rate) if rng is None else int(rng.binomial(shots, rate))
            points.append(
                SweepPoint(distance=d, value=v, shots=shots, errors=errors, rounds=rounds)
            )
    return points
