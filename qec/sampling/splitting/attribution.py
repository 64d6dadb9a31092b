"""The fault kinds in splitting's failing configurations at the requested noise, and the
attribution (`qec.sampling.core.attribution`) they give.

The chains of the last level (s = 1) sample the circuit's law restricted to the failing
configurations, so E[n_K | fail] is the mean of n_K over their states after burn-in
(with a one-level ladder, over the failures sampled directly at s = 1). A unit
(`UnitKinds`) keeps, per group of ladders (started hot, cold), the states it counted
and each kind's sum of n_K over them, in its row's `"splitting"` metadata next to its
histograms: `"kind_states"` and `"kind_faults"` (kind name -> per-group sums).

Units are independent replicates, so E[n_K | fail] is the ratio of the units' summed
n_K to their summed states, with the delta method's variance over units (for units
of equal states, the variance of the units' means) and Student's t at units - 1
degrees of freedom; as for the rate, the interval is widened to reach the estimates of
the hot- and the cold-started ladders alone, which disagree while the chains have not
mixed. Units saved without kind counts count for the rate, not here (`coverage`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.special

from qec.intervals import CONFIDENCE, Interval
from qec.sampling.core.attribution import Attribution, attribution
from qec.sampling.core.fault_kinds import FaultKinds

SPLITTING_ATTRIBUTION = (
    "95%: ratio of the units' sums, delta method over units, Student t with units - 1 "
    "degrees of freedom, widened to reach the hot- and the cold-started chains' estimates"
)


@dataclasses.dataclass(frozen=True)
class UnitKinds:
    """The fault kinds in one unit's failing states at s = 1: per group of ladders, the
    states counted (`states`) and, by kind name, the sum of n_K over them (`sums`).

    Examples:
        >>> found = UnitKinds(states=(10, 10), sums={"idle/data": (15.0, 16.0)})
        >>> UnitKinds.from_json(found.to_json()) == found
        True
    """

    states: tuple[int, ...]
    sums: Mapping[str, tuple[float, ...]]

    @staticmethod
    def of(kinds: FaultKinds, per_group: np.ndarray, states: Sequence[int]) -> UnitKinds:
        """From the per-group sums per_group[g, k] over `states[g]` states."""
        return UnitKinds(
            states=tuple(int(n) for n in states),
            sums={
                name: tuple(float(v) for v in per_group[:, k]) for k, name in enumerate(kinds.names)
            },
        )

    def to_json(self) -> dict[str, Any]:
        """The entries of a unit row's `"splitting"` metadata."""
        return {
            "kind_states": list(self.states),
            "kind_faults": {k: list(v) for k, v in self.sums.items()},
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> UnitKinds | None:
        """The kinds a unit row's `"splitting"` metadata holds; None if saved without."""
        if "kind_faults" not in data:
            return None
        return UnitKinds(
            states=tuple(int(n) for n in data["kind_states"]),
            sums={k: tuple(float(v) for v in values) for k, values in data["kind_faults"].items()},
        )


def splitting_attribution(
    units: Sequence[UnitKinds | None], kinds: FaultKinds
) -> Attribution | None:
    """The attribution from the units' kinds (None for a unit saved without them, or with
    another labelling of the kinds); None when no unit counted a failing state.

    Examples:
        >>> from qec.sampling.core.fault_kinds import FaultKind
        >>> kinds = FaultKinds(kinds=(FaultKind("idle", "data"),), shares=np.ones((3, 1)),
        ...                    mean=np.array([0.03]))
        >>> units = [UnitKinds(states=(10, 10), sums={"idle/data": (20.0, 21.0)}),
        ...          UnitKinds(states=(10, 10), sums={"idle/data": (20.0, 19.0)}), None]
        >>> found = splitting_attribution(units, kinds)
        >>> found.share("idle/data").failing_faults.value, round(found.coverage, 3)
        (2.0, 0.667)
    """
    names = kinds.names
    usable = [u for u in units if u is not None and set(u.sums) == set(names)]
    states = np.array([sum(u.states) for u in usable], dtype=np.float64)
    if not usable or states.sum() == 0:
        return None
    sums = np.array([[math.fsum(u.sums[name]) for name in names] for u in usable])
    ratio = sums.sum(axis=0) / states.sum()
    low, high = np.full(len(names), -math.inf), np.full(len(names), math.inf)
    if len(usable) >= 2:
        residuals = sums - ratio * states[:, None]
        sd = np.std(residuals, axis=0, ddof=1) / math.sqrt(len(usable)) / states.mean()
        t = float(scipy.special.stdtrit(len(usable) - 1, (1 + CONFIDENCE) / 2))
        low, high = ratio - t * sd, ratio + t * sd
    for g in range(max(len(u.states) for u in usable)):  # each group alone
        group_states = sum(u.states[g] for u in usable)
        if group_states > 0:
            alone = np.array([sum(u.sums[name][g] for u in usable) for name in names])
            low = np.minimum(low, alone / group_states)
            high = np.maximum(high, alone / group_states)
    return attribution(
        kinds=kinds.kinds,
        failing_faults=[
            Interval(float(r), float(a), float(b)) for r, a, b in zip(ratio, low, high, strict=True)
        ],
        mean_faults=[float(m) for m in kinds.mean],
        coverage=len(usable) / len(units),
        failing=int(states.sum()),
        interval=SPLITTING_ATTRIBUTION,
    )
