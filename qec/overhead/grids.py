"""The comparison's answer in two grids a screen wide: how many times fewer qubits each
cat design needs than each surface baseline, and what each design's count means in time
(its round, its rate per second, qubits x round), at the question's targets."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from qec.overhead.rows import FootprintRow
from qec.overhead.table import (
    SURFACE_BASELINES,
    TABLE_WIDTH,
    FootprintTable,
    Ratio,
    is_cat,
    ratio_text,
)

# The targets of the question the project answers: the grids' columns by default.
QUESTION_TARGETS = (1e-3, 1e-6, 1e-9, 1e-11)
# A time grid's cell: a rate per second with its interval, then qubit-us.
TIME_CELL = 37


def by_pair(ratios: Iterable[Ratio]) -> dict[tuple[str, str], dict[float, Ratio]]:
    """`ratios` by (numerator, denominator) design, then by target, in their order.

    Examples:
        >>> by_pair([])
        {}
    """
    found: dict[tuple[str, str], dict[float, Ratio]] = {}
    for r in ratios:
        found.setdefault((r.numerator.design, r.denominator.design), {})[r.target] = r
    return found


def ratio_cell(ratio: Ratio | None) -> str:
    """A ratio in a grid cell: central [interval], * when it rests on an extrapolated
    count, '-' without one.

    Examples:
        >>> ratio_cell(None)
        '-'
    """
    return ratio_text(ratio, extrapolated="*", missing="-")


def shown_targets(table: FootprintTable, targets: Sequence[float]) -> list[float]:
    """The table's targets among `targets`, or all of them when it has none of those."""
    return [t for t in table.targets() if t in targets] or table.targets()


def ratio_grid(table: FootprintTable, targets: Sequence[float] = QUESTION_TARGETS) -> str:
    """`table.cat_ratios()` as a grid: a line per surface baseline and cat design, a column
    per target among `targets` (every target when the table has none of them), in
    blocks of columns at most `TABLE_WIDTH` wide. Cat designs with no ratio there
    are named below it.

    Examples:
        >>> print(ratio_grid(FootprintTable(rows=())))
        Qubit ratios, surface code / cat design: no surface baseline.
    """
    shown = shown_targets(table, targets)
    ratios = [r for r in table.cat_ratios() if r.interval is not None]
    inside = [r for r in ratios if r.target in shown]
    if not inside:
        baseline = any(d in SURFACE_BASELINES for d in table.designs())
        missing = "cat design that meets a target" if baseline else "surface baseline"
        return f"Qubit ratios, surface code / cat design: no {missing}."
    pairs = by_pair(inside)
    width = max(len(f"{a} / {b}") for a, b in pairs) + 2
    column = max(len(ratio_cell(r)) for r in inside) + 2
    heading = (
        "Qubit ratios, surface code / cat design (how many times fewer qubits the cat "
        "design needs): central [from the two 95% intervals]; * rests on an extrapolated "
        "count; - not met."
    )
    lines = textwrap.wrap(heading, TABLE_WIDTH)
    per_block = max(1, (TABLE_WIDTH - width) // column)
    for start in range(0, len(shown), per_block):
        block = shown[start : start + per_block]
        labels = (table.target_text(t) for t in block)
        lines.append(" " * width + "".join(f"{t:<{column}}" for t in labels).rstrip())
        for (a, b), found in pairs.items():
            cells = "".join(f"{ratio_cell(found.get(t)):<{column}}" for t in block)
            lines.append(f"{a + ' / ' + b:<{width}}{cells}".rstrip())
    gridded = {b for _, b in pairs}
    elsewhere = dict.fromkeys(
        f"{r.denominator.design} ({r.target:.0e})"
        for r in ratios
        if r.denominator.design not in gridded
    )
    silent = [
        d
        for d in dict.fromkeys(r.design for r in table.rows if is_cat(r))
        if d not in gridded and not any(r.denominator.design == d for r in ratios)
    ]
    if elsewhere:
        lines += textwrap.wrap(
            "Ratios at other targets only: " + ", ".join(elsewhere) + ".", TABLE_WIDTH
        )
    if silent:
        lines += textwrap.wrap(
            "No target met, so no ratio: " + ", ".join(silent) + ".", TABLE_WIDTH
        )
    return "\n".join(lines)


def time_grid(table: FootprintTable, targets: Sequence[float] = QUESTION_TARGETS) -> str:
    """Each design's round duration and, per target among `targets` (every target
    when the table has none of them), its met row's logical error rate per second with
    its 95% interval and qubits x cycle time in qubit-microseconds at the central
    count, in blocks of columns at most `TABLE_WIDTH` wide; then where each round's
    duration comes from.

    Examples:
        >>> print(time_grid(FootprintTable(rows=())))
        Time: no design meets a target.
    """
    shown = shown_targets(table, targets)
    rows = [r for r in table.rows if r.met and r.cycle is not None and r.target in shown]
    if not rows:
        return "Time: no design meets a target."
    designs = list(dict.fromkeys(r.design for r in rows))
    width = max(len(d) for d in designs) + 2
    lines = textwrap.wrap(
        "Time: a round's duration; per target, the logical error rate per second (per "
        "round / round) [95%] and qubits x round in qubit-us (the hardware a logical qubit "
        "holds for one round) at the central count; - not met.",
        TABLE_WIDTH,
    )
    per_block = max(1, (TABLE_WIDTH - width - 10) // TIME_CELL)
    for start in range(0, len(shown), per_block):
        block = shown[start : start + per_block]
        labels = "".join(f"{table.target_text(t):<{TIME_CELL}}" for t in block)
        lines.append(" " * width + f"{'round':<10}{labels}")
        lines.append(" " * (width + 10) + f"{'per s [95%]':<28}{'qubit-us':<9}" * len(block))
        for design in designs:
            mine = [r for r in rows if r.design == design]
            cells = "".join(
                _time_cell(next((r for r in mine if r.target == t), None)) for t in block
            )
            rounds = ", ".join(dict.fromkeys(r.cycle.short for r in mine if r.cycle))
            lines.append(f"{design:<{width}}{rounds:<10}{cells}".rstrip())
    sources = dict.fromkeys(str(r.cycle) for r in rows)
    lines += textwrap.wrap("Rounds: " + "; ".join(sources) + ".", TABLE_WIDTH)
    return "\n".join(line.rstrip() for line in lines)


def _time_cell(row: FootprintRow | None) -> str:
    """A met row's rate per second [95%] and qubits x round (qubit-us) at the central
    count, in `TIME_CELL` columns; '-' without one."""
    if row is None or row.per_second is None or row.qubit_seconds is None:
        return f"{'-':<{TIME_CELL}}"
    rate, micros = row.per_second, row.qubit_seconds.value * 1e6
    held = f"{micros:.3g}" if micros < 1000 else f"{micros:.0f}"
    return f"{f'{rate.value:.1e} [{rate.low:.1e}, {rate.high:.1e}]':<28}{held:<9}"
