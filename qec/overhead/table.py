"""A footprint table: rows of several designs and targets, printable and plottable."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from qec.overhead.solver import FootprintRow


def _size(params: dict[str, Any]) -> str:
    """'distance=7', 'dx=3 dz=9', plus 'nbar=8' for cat designs."""
    if params.get("dx", params.get("distance")) == params.get("dz", params.get("distance")):
        parts = [f"distance={params['distance']}"]
    else:
        parts = [f"dx={params['dx']}", f"dz={params['dz']}"]
    if "nbar" in params:
        parts.append(f"nbar={params['nbar']:g}")
    return " ".join(parts)


@dataclasses.dataclass(frozen=True)
class FootprintTable:
    """Footprint rows for several designs at several targets.

    Examples:
        >>> from qec.intervals import Interval
        >>> row = FootprintRow(design="surface", noise="depolarizing:p=0.001", target=1e-3,
        ...     qubit_rule="qubits = 1 x data + 1 x ancilla", met=True,
        ...     params={"distance": 3}, qubits=17.0, per_round=Interval(5e-4, 4e-4, 6e-4),
        ...     method="monte_carlo")
        >>> print(FootprintTable(rows=(row,)))  # doctest: +NORMALIZE_WHITESPACE
        design   target  size        qubits  per round [95%]                 method
        surface  1e-03   distance=3  17      5.00e-04 [4.00e-04, 6.00e-04]   monte_carlo
        qubit counting: qubits = 1 x data + 1 x ancilla
    """

    rows: tuple[FootprintRow, ...]

    def designs(self) -> list[str]:
        return list(dict.fromkeys(r.design for r in self.rows))

    def targets(self) -> list[float]:
        return sorted({r.target for r in self.rows}, reverse=True)

    def row(self, design: str, target: float) -> FootprintRow | None:
        for r in self.rows:
            if r.design == design and r.target == target:
                return r
        return None

    def ratio(self, numerator: str, denominator: str, target: float) -> float | None:
        """qubits(numerator) / qubits(denominator) at `target`, None if either is unmet."""
        a, b = self.row(numerator, target), self.row(denominator, target)
        if a is None or b is None or not (a.met and b.met):
            return None
        return a.qubits / b.qubits  # type: ignore[operator]

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.rows]

    def __str__(self) -> str:
        lines = [f"{'design':<17}{'target':<8}{'size':<26}{'qubits':<8}"
                 f"{'per round [95%]':<32}method"]
        for r in self.rows:
            if not r.met:
                lines.append(f"{r.design:<17}{r.target:<8.0e}not reached: {r.note}")
                continue
            size = _size(r.params)
            assert r.per_round is not None and r.qubits is not None
            rate = (f"{r.per_round.value:.2e} [{r.per_round.low:.2e}, "
                    f"{r.per_round.high:.2e}]")
            lines.append(f"{r.design:<17}{r.target:<8.0e}{size:<26}{r.qubits:<8g}"
                         f"{rate:<32}{r.method}")
        for rule in dict.fromkeys(r.qubit_rule for r in self.rows):
            lines.append(f"qubit counting: {rule}")
        return "\n".join(lines)

    def plot(self, *, ax: Any, designs: Sequence[str] | None = None) -> None:
        """Qubits against target, one line per design; error bars span the targets the
        qubit count is known to meet at the 95% ends; extrapolated points are hollow."""
        for design in designs or self.designs():
            rows = [r for r in self.rows if r.design == design and r.met]
            if not rows:
                continue
            xs = [r.target for r in rows]
            ys = [r.qubits for r in rows]
            line = ax.plot(xs, ys, marker="o", label=design)[0]
            hollow = [(r.target, r.qubits) for r in rows if r.method == "extrapolated"]
            if hollow:
                ax.plot(*zip(*hollow, strict=True), linestyle="none", marker="o",
                        markerfacecolor="white", color=line.get_color())
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.invert_xaxis()
        ax.set_xlabel("target logical error rate per round")
        ax.set_ylabel("physical qubits per logical qubit")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(title="design (hollow: extrapolated)")
