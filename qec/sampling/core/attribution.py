"""Which fault kinds the logical error rate rests on: its elasticity in each kind.

Scale the odds o_i = p_i / (1 - p_i) of every mechanism by s_K^a_iK, a_iK its share of
kind K (`qec.sampling.core.fault_kinds`). A configuration E of mechanisms has
probability prod_{i in E} o_i / prod_i (1 + o_i), so with the decoder fixed,

    e_K = d log P_L / d log s_K (at s = 1) = E[n_K | fail] - E[n_K],

n_K(E) = sum_{i in E} a_iK the kind's fault count (E[n_K] under the circuit's law).
Improving kind K's error rates by a factor x (x < 1) changes P_L by about x^e_K; the
e_K add up to E[W | fail] - E[W], the elasticity under uniform scaling (W the fault
count), which is the slope log P_L takes against log p and, at low p, about the
(d + 1) / 2 faults a failure needs. It is the score-function (likelihood-ratio)
derivative of P_L, the same identity that splitting's ratios between noise levels
rest on (Bravyi and Vargo, PRA 88, 062308 (2013)); the shares e_K / sum e are the
fractions of a linearised error budget (each kind's sensitivity dP_L / dp_K times its
rate p_K, over their sum), the form hardware error budgets take. Scaling the kind's
probabilities instead of its odds differs by a factor 1 / (1 - p_i) per mechanism, and
re-tuning the decoder to the new noise changes P_L only at second order when the
decoder is optimal (its choice minimises P_L); with matching the fixed-decoder
derivative is what is estimated.

The estimators find E[n_K | fail] from the failing configurations they already hold
(`qec.sampling.stratified.attribution`, `qec.sampling.splitting.attribution`); this
module holds the result they share.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

from qec.intervals import Interval
from qec.sampling.core.fault_kinds import FaultKind


@dataclasses.dataclass(frozen=True)
class KindShare:
    """One fault kind's part in the logical error rate.

    Attributes:
        kind: the fault kind.
        elasticity: e_K = d log P_L / d log s_K with its 95% interval: scaling the
            kind's error odds by x scales P_L by about x^e_K.
        share: e_K / sum_K e_K, its fraction of the error budget.
        failing_faults: E[n_K | fail], the kind's mean fault count in a failing shot,
            with its 95% interval.
        mean_faults: E[n_K], the kind's mean fault count in any shot (exact).
    """

    kind: FaultKind
    elasticity: Interval
    share: float
    failing_faults: Interval
    mean_faults: float

    def __str__(self) -> str:
        return f"{self.kind.name}: e {self.elasticity}, {self.share:.0%} of the budget"

    def to_json(self) -> dict[str, Any]:
        """The kind (its name and parts) and its numbers, intervals as objects."""
        return {
            "kind": self.kind.name,
            **dataclasses.asdict(self.kind),
            "elasticity": self.elasticity.to_json(),
            "share": self.share,
            "failing_faults": self.failing_faults.to_json(),
            "mean_faults": self.mean_faults,
        }


@dataclasses.dataclass(frozen=True)
class Attribution:
    """The logical error rate's elasticity in each fault kind (see the module).

    Attributes:
        kinds: every kind of the circuit, the largest elasticity first.
        total: sum_K e_K = E[W | fail] - E[W].
        coverage: the share of the estimate's evidence the attribution rests on: 1 when
            every saved row holds fault kind counts, less when rows written without
            them are pooled (they count for the rate, not here).
        failing: the failing configurations (or chain states) it averages over.
        interval: how the 95% intervals were made.

    Examples:
        >>> kinds = [FaultKind("idle", "data"), FaultKind("measurement", "ancilla")]
        >>> found = attribution(kinds=kinds, failing_faults=[Interval(1.5, 1.4, 1.6),
        ...     Interval(0.5, 0.4, 0.6)], mean_faults=[0.01, 0.0], coverage=1.0,
        ...     failing=100, interval="test")
        >>> print(found)
        fault kinds by elasticity (e_K = d log P_L / d log s_K, 95%), sum 1.99:
          idle/data: e 1.49 [1.39, 1.59], 75% of the budget
          measurement/ancilla: e 0.5 [0.4, 0.6], 25% of the budget
        >>> found.share("measurement/ancilla").elasticity.value
        0.5
    """

    kinds: tuple[KindShare, ...]
    total: float
    coverage: float
    failing: int
    interval: str

    def share(self, name: str) -> KindShare:
        """The kind called `name` (e.g. 'idle/data'); KeyError if the circuit has none."""
        for found in self.kinds:
            if found.kind.name == name:
                return found
        raise KeyError(name)

    def __str__(self) -> str:
        head = f"fault kinds by elasticity (e_K = d log P_L / d log s_K, 95%), sum {self.total:.3g}"
        if self.coverage < 1:
            head += f", from the {self.coverage:.0%} of the evidence saved with kind counts"
        return head + ":\n" + "\n".join(f"  {found}" for found in self.kinds)

    def to_json(self) -> dict[str, Any]:
        """One object: the kinds (largest elasticity first), their sum, coverage, the
        failing configurations and how the intervals were made.

        Examples:
            >>> found = attribution(kinds=[FaultKind("reset", "ancilla")],
            ...     failing_faults=[Interval(2.0, 1.9, 2.1)], mean_faults=[0.5],
            ...     coverage=1.0, failing=10, interval="test")
            >>> found.to_json()["kinds"][0]["elasticity"]
            {'value': 1.5, 'low': 1.4, 'high': 1.6}
        """
        return {
            "kinds": [found.to_json() for found in self.kinds],
            "total": self.total,
            "coverage": self.coverage,
            "failing": self.failing,
            "interval": self.interval,
        }


def attribution(
    *,
    kinds: Sequence[FaultKind],
    failing_faults: Sequence[Interval],
    mean_faults: Sequence[float],
    coverage: float,
    failing: int,
    interval: str,
) -> Attribution:
    """The attribution from each kind's E[n_K | fail] (with its interval) and E[n_K].

    Examples:
        >>> found = attribution(kinds=[FaultKind("reset", "ancilla")],
        ...     failing_faults=[Interval(2.0, 1.9, 2.1)], mean_faults=[0.5], coverage=1.0,
        ...     failing=10, interval="test")
        >>> found.total, found.kinds[0].share
        (1.5, 1.0)
    """
    elasticities = [
        Interval(f.value - m, f.low - m, f.high - m)
        for f, m in zip(failing_faults, mean_faults, strict=True)
    ]
    total = math.fsum(e.value for e in elasticities)
    found = [
        KindShare(
            kind=kind,
            elasticity=e,
            share=e.value / total if total else math.nan,
            failing_faults=f,
            mean_faults=float(m),
        )
        for kind, e, f, m in zip(kinds, elasticities, failing_faults, mean_faults, strict=True)
    ]
    order = sorted(range(len(found)), key=lambda k: -found[k].elasticity.value)
    return Attribution(
        kinds=tuple(found[k] for k in order),
        total=total,
        coverage=float(coverage),
        failing=int(failing),
        interval=interval,
    )
