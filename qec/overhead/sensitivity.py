"""How the headline ratio moves with each assumption: qubits(surface code) /
qubits(cat design) at a target, with one assumption at a time moved to each end of a
stated, sourced range and every other at its default (a tornado).

The default is the headline comparison: the comparison's plan and budget, its picks
checked by splitting (`compare()`). Each end is a comparison of the designs it changes
(`Assumptions.plan` differs: another noise, grid, qubit weights or decoder); the others
keep the default's rows. An end is first solved quickly: the plan's sizes with at most
`SECONDS_PER_POINT` of stratified sampling or splitting per point and of checking a pick
(the plan's 20 s would make one end of the repetition cat code's swings take half an
hour). A quick check reads back the units the file holds, so it confirms a pick the
default checked (an end that changes only the qubit weights); at a new pick it rarely
finishes a unit, and the row rests on the fits, and says so. An end whose verdict on a
claimed factor differs from the default's (`moves_a_verdict`), or whose ratio interval
comes within `NEAR_FACTOR` of a claimed factor, is then solved as the default is, with
the plan's budget and its picks checked: the ends that decide the claim rest on the same
evidence as the headline. The margin keeps the choice stable: a rerun's quick solve
reads back the checked points, and an end whose check settled just below a factor stays
checked. Points the file already holds are read back at their full precision.
"""

from __future__ import annotations

import dataclasses
import pathlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from qec.errors import QecError
from qec.intervals import Interval
from qec.overhead.designs import Design, QubitWeights
from qec.overhead.plan import Budget
from qec.overhead.rows import FootprintRow
from qec.overhead.solver import footprint
from qec.overhead.table import RATIO_COLUMNS, FootprintTable, Ratio
from qec.overhead.what_if import Assumptions

BASELINE = "surface (depolarizing)"
CAT_DESIGNS = ("repetition_cat", "repetition_cat_transmon", "ldpc_cat")
# Where the default has a repetition cat ratio (1e-6: measured, 1e-8: extrapolated), and
# the 1e-11 a useful machine needs, which the cat designs reach only at some ends.
TARGETS = (1e-6, 1e-8, 1e-11)
# AWS's factors ("between 5 and 10 times lower numbers of physical qubits", "as little
# as one-tenth", qec.literature.claim): the verdicts an end is checked against.
CLAIMED_FACTORS = (5.0, 10.0)
# An end whose ratio interval reaches a claimed factor divided by this is checked too.
NEAR_FACTOR = 1.5
ENDS = ("low", "high")
SECONDS_PER_POINT = 5.0
TODAY = Assumptions()


@dataclasses.dataclass(frozen=True)
class Swing:
    """One assumption moved to the two ends of a range: `low` and `high` change the
    default assumptions (a field of `Assumptions`, or of its `cat_transmon` model as
    "cat_transmon.<field>"), `ends` names them, `source` says where the range comes from.

    Examples:
        >>> swing = Swing("cat T1 (us)", {"cat_transmon.cat_t1": 30.0},
        ...     {"cat_transmon.cat_t1": 600.0}, ("30", "600"), "stated")
        >>> swing.at(Assumptions(), "high").cat_transmon.cat_t1
        600.0
    """

    name: str
    low: Mapping[str, object]
    high: Mapping[str, object]
    ends: tuple[str, str]
    source: str

    def at(self, assumptions: Assumptions, end: str) -> Assumptions:
        """`assumptions` with this swing's `end` ("low" or "high") applied."""
        if end not in ENDS:
            raise QecError.invalid("end", end, "'low' or 'high'")
        changes = self.low if end == "low" else self.high
        fields: dict[str, object] = {}
        for path, value in changes.items():
            name, _, inner = path.partition(".")
            if not hasattr(assumptions, name):
                raise QecError.invalid("swing field", path, "a field of Assumptions")
            if inner:
                value = dataclasses.replace(getattr(assumptions, name), **{inner: value})
            fields[name] = value
        return dataclasses.replace(assumptions, **fields)  # type: ignore[arg-type]


# The default swings. Each range is stated with its basis; where no measurement bounds an
# assumption, the range is a factor around the default, and says so.
SWINGS = (
    Swing(
        "transmon error rate p",
        {"p": 5e-4},
        {"p": 2e-3},
        ("5e-4", "2e-3"),
        "a factor 2 around today's ~1e-3 per operation (Google Quantum AI, Nature 638, "
        "920 (2025): Lambda = 2.14 at d = 7 with errors of that order)",
    ),
    Swing(
        "noise bias eta",
        {"eta": 10.0},
        {"eta": 1000.0},
        ("10", "1000"),
        "the range of Tuckett et al., PRL 124, 130501 (2020); enters only the biased "
        "transmon designs",
    ),
    Swing(
        "cat kappa_1/kappa_2",
        {"k1_k2": 1e-4},
        {"k1_k2": 1e-2},
        ("1e-4", "1e-2"),
        "1e-2: the worse end of today's experiments (1e-3..1e-2, Le Régent et al., "
        "Quantum 7, 1198 (2023)); 1e-4: a tenfold improvement on the default",
    ),
    Swing(
        "cat CX time (1/kappa_2)",
        {"t_cx": 0.5},
        {"t_cx": 2.0},
        ("0.5", "2"),
        "a factor 2 around the 1/kappa_2 of Gouzien et al., PRL 131, 040602 (2023); "
        "Le Régent et al. (2023) favour fast gates",
    ),
    Swing(
        "cat-transmon: transmon readout time (us)",
        {"cat_transmon.t_readout": 0.5},
        {"cat_transmon.t_readout": 2.0},
        ("0.5", "2"),
        "about a factor 2 around Ocelot's 0.95 us (qec.noise.cat_transmon); the cats "
        "idle through it",
    ),
    Swing(
        "cat-transmon: cat T1 (us)",
        {"cat_transmon.cat_t1": 30.0},
        {"cat_transmon.cat_t1": 600.0},
        ("30", "600"),
        "half of Ocelot's 60 us (Putterman et al., Nature 638, 927 (2025)) to ten times it",
    ),
    Swing(
        "largest nbar",
        {"nbars": (4.0, 6.0, 8.0), "cat_transmon_nbars": (1.0, 1.5, 2.0)},
        {},
        ("8 (hybrid 2)", "20 (hybrid 12)"),
        "low: nbar <= 8, and <= 2 with transmon ancillas as on Ocelot (bit-flip "
        "suppression is reported to saturate at large nbar); high: the default grid",
    ),
    Swing(
        "cat qubit weight",
        {"cat_weights": QubitWeights(data=2.0, ancilla=2.0)},
        {},
        ("2 (with buffer)", "1"),
        "a cat with its buffer mode counted as 2 (Ocelot: 5 cats, 5 buffers, 4 "
        "transmons) or the cat alone",
    ),
    Swing(
        "surface-code decoder",
        {},
        {"decoder": "pymatching-correlated"},
        ("PyMatching", "correlated"),
        "PyMatching 2 (Higgott & Gidney 2023) or correlated matching (Fowler, "
        "arXiv:1310.0863; PyMatching's enable_correlations), sampled directly",
    ),
    Swing(
        "LDPC-cat decoder",
        {"ldpc_decoder": "bposd"},
        {},
        ("BP+OSD (stimbposd defaults)", "BP+OSD (Ruiz et al. 2025)"),
        "stimbposd's default BP+OSD, or the settings of Ruiz et al., Nat. Commun. 16, 1040 "
        "(2025) (min-sum 0.625, OSD-CS order 60, 30 iterations); enters only ldpc_cat",
    ),
)


@dataclasses.dataclass(frozen=True)
class Case:
    """One comparison of a sensitivity: the default, or one end ("low" or "high") of a
    swing's `assumption` at `value`; `checked` when it was solved with the plan's budget
    and its picks checked by splitting (the default and the ends that move a verdict or
    come near a claimed factor), not quickly."""

    assumption: str
    end: str
    value: str
    table: FootprintTable
    source: str
    checked: bool


@dataclasses.dataclass(frozen=True)
class Sensitivity:
    """The default comparison and, for each swing, its low and high ends (tables of the
    baseline and the cat designs) and whether each end was `checked` (solved as the
    default is: `Case`); `ratio` reads a ratio off any of them.

    Examples:
        >>> s = Sensitivity(baseline="a", designs=("b",), targets=(1e-9,),
        ...     default=FootprintTable(rows=()), swings=(), ends=())
        >>> s.ratio(s.default, "b", 1e-9) is None
        True
    """

    baseline: str
    designs: tuple[str, ...]
    targets: tuple[float, ...]
    default: FootprintTable
    swings: tuple[Swing, ...]
    ends: tuple[tuple[FootprintTable, FootprintTable], ...]  # (low, high) per swing
    checked: tuple[tuple[bool, bool], ...] = ()  # (low, high) per swing; () for none

    def ratio(self, table: FootprintTable, design: str, target: float) -> Ratio | None:
        """qubits(baseline) / qubits(design) at `target` in `table`, or None without
        both rows."""
        a, b = table.row(self.baseline, target), table.row(design, target)
        return None if a is None or b is None else Ratio(a, b)

    def cases(self) -> list[Case]:
        """The default (assumption "default"), then each swing's low and high end."""
        found = [Case("default", "", "", self.default, "", True)]
        checked = self.checked or ((False, False),) * len(self.swings)
        for swing, tables, marks in zip(self.swings, self.ends, checked, strict=True):
            for end, value, table, mark in zip(ENDS, swing.ends, tables, marks, strict=True):
                found.append(Case(swing.name, end, value, table, swing.source, mark))
        return found

    def intervals(self, table: FootprintTable) -> Iterator[tuple[str, float, Interval | None]]:
        """(design, target, the ratio's interval or None) for each design and target."""
        for design in self.designs:
            for target in self.targets:
                ratio = self.ratio(table, design, target)
                yield design, target, None if ratio is None else ratio.interval

    def verdicts(self, table: FootprintTable) -> dict[tuple[str, float, float], str]:
        """The `verdict` of each (design, target, claimed factor) in `table`."""
        return {
            (design, target, factor): verdict(interval, factor)
            for design, target, interval in self.intervals(table)
            for factor in CLAIMED_FACTORS
        }

    def near_a_factor(self, table: FootprintTable) -> bool:
        """Whether any ratio interval in `table` reaches a claimed factor / `NEAR_FACTOR`."""
        return any(
            interval is not None and interval.high >= factor / NEAR_FACTOR
            for _, _, interval in self.intervals(table)
            for factor in CLAIMED_FACTORS
        )

    def csv_rows(self) -> list[dict[str, str]]:
        """One row per case, design and target, with the columns `SENSITIVITY_COLUMNS`."""
        rows = []
        for case in self.cases():
            for design in self.designs:
                for target in self.targets:
                    ratio = self.ratio(case.table, design, target)
                    cells = {} if ratio is None else ratio.to_csv()
                    rows.append(
                        {
                            "assumption": case.assumption,
                            "end": case.end,
                            "value": case.value,
                            "checked": "yes" if case.checked else "no",
                            "design": design,
                            "target": f"{target:.0e}",
                            **{k: cells.get(k, "") for k in RATIO_CELLS},
                            "source": case.source,
                        }
                    )
        return rows

    def to_json(self) -> dict[str, Any]:
        """The default's and every end's rows of the baseline and the cat designs, their
        ratios and the swings."""

        def table_json(table: FootprintTable, checked: bool) -> dict[str, Any]:
            ratios = [
                r.to_json()
                for d in self.designs
                for t in self.targets
                if (r := self.ratio(table, d, t)) is not None
            ]
            return {
                "assumptions": table.assumptions,
                "checked": checked,
                "rows": table.to_json(),
                "ratios": ratios,
            }

        cases = self.cases()

        return {
            "baseline": self.baseline,
            "designs": list(self.designs),
            "targets": list(self.targets),
            "default": table_json(self.default, True),
            "swings": [
                {
                    "name": swing.name,
                    "ends": list(swing.ends),
                    "source": swing.source,
                    "low": table_json(low.table, low.checked),
                    "high": table_json(high.table, high.checked),
                }
                for swing, low, high in zip(self.swings, cases[1::2], cases[2::2], strict=True)
            ],
        }

    @staticmethod
    def from_json(item: dict[str, Any]) -> Sensitivity:
        """A sensitivity back from `to_json()`. Its swings keep their names, ends and
        sources, not their changes (each end's table records the assumptions it was
        solved at): enough to read and draw it, not to solve it again."""
        swings = item["swings"]
        return Sensitivity(
            baseline=item["baseline"],
            designs=tuple(item["designs"]),
            targets=tuple(item["targets"]),
            default=FootprintTable.from_json(item["default"]),
            swings=tuple(Swing(s["name"], {}, {}, tuple(s["ends"]), s["source"]) for s in swings),
            ends=tuple(
                (FootprintTable.from_json(s["low"]), FootprintTable.from_json(s["high"]))
                for s in swings
            ),
            checked=tuple(
                (s["low"].get("checked", False), s["high"].get("checked", False)) for s in swings
            ),
        )


# A ratio's columns without the designs and target (the sensitivity's rows name them).
RATIO_CELLS = tuple(c for c in RATIO_COLUMNS if c not in ("numerator", "denominator", "target"))
SENSITIVITY_COLUMNS = (
    "assumption",
    "end",
    "value",
    "checked",
    "design",
    "target",
    *RATIO_CELLS,
    "source",
)


def verdict(ratio: Interval | None, factor: float) -> str:
    """Whether a ratio with its interval reaches `factor`: 'yes' when its whole interval
    is at or above it, 'no' when all of it is below, 'cannot tell' when it straddles,
    'no ratio' when a design misses the target.

    Examples:
        >>> verdict(Interval(6.0, 5.2, 7.0), 5), verdict(Interval(6.0, 5.2, 7.0), 10)
        ('yes', 'no')
        >>> verdict(Interval(4.8, 4.1, 5.6), 5), verdict(None, 5)
        ('cannot tell', 'no ratio')
    """
    if ratio is None:
        return "no ratio"
    if ratio.low >= factor:
        return "yes"
    if ratio.high < factor:
        return "no"
    return "cannot tell"


def moves_a_verdict(default: str, end: str) -> bool:
    """Whether an end's `verdict` on a factor, against the default's, decides the claim
    differently: the factor reached or lost, or either of them unable to tell. A ratio
    below the factor and no ratio at all (a design misses the target) both say no.

    Examples:
        >>> moves_a_verdict("no", "yes"), moves_a_verdict("yes", "cannot tell")
        (True, True)
        >>> moves_a_verdict("no", "no ratio"), moves_a_verdict("yes", "yes")
        (False, False)
    """
    return default != end and not {default, end} <= {"no", "no ratio"}


def sensitivity(
    assumptions: Assumptions = TODAY,
    *,
    swings: Sequence[Swing] = SWINGS,
    baseline: str = BASELINE,
    designs: Sequence[str] = CAT_DESIGNS,
    targets: Sequence[float] = TARGETS,
    budget: Budget | None = None,
    save: str | pathlib.Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Sensitivity:
    """The ratio qubits(`baseline`) / qubits(design) for each of `designs` at `targets`,
    at `assumptions` and at both ends of every swing (see the module): the default and
    the ends that move a verdict or come near a claimed factor solved with the
    comparison's plan (or `budget`) and their picks checked; the other ends quickly
    (`SECONDS_PER_POINT` a point and a check; with `budget` given, as the default is).
    Points go to the sinter CSV `save` and are read back from it, so a rerun simulates
    nothing twice.
    """
    labels = (baseline, *designs)
    known = assumptions.designs()
    for label in labels:
        if label not in known:
            raise QecError.invalid("design", label, "a label among " + ", ".join(known))
    solved: dict[tuple[Design, Budget], tuple[FootprintRow, ...]] = {}

    def rows_of(
        chosen: Assumptions, label: str, planned: tuple[Design, Budget], checked: bool
    ) -> tuple[FootprintRow, ...]:
        design, used = planned
        if budget is None and not checked:
            cap = SECONDS_PER_POINT
            used = dataclasses.replace(
                used,
                max_seconds=min(used.max_seconds, cap),
                verify_seconds=min(used.verify_seconds, cap),
            )
        key = (design, used)
        if key not in solved:
            if progress is not None:
                how = "checked" if checked else "quick"
                progress(f"{label}: {chosen.describe()} ({how})")
            solved[key] = tuple(
                footprint(design, targets, budget=used, save=save, progress=progress)
            )
        return solved[key]

    # A design an end leaves as it is (its grid, noise, weights and decoder) keeps the
    # default's rows.
    default_plans = {label: assumptions.plan(label, budget=budget) for label in labels}

    def table(chosen: Assumptions, checked: bool) -> FootprintTable:
        rows: list[FootprintRow] = []
        for label in labels:
            planned = chosen.plan(label, budget=budget)
            if planned == default_plans[label]:
                rows += rows_of(assumptions, label, planned, True)
            else:
                rows += rows_of(chosen, label, planned, checked)
        return FootprintTable(rows=tuple(rows), assumptions=chosen.to_json())

    found = Sensitivity(
        baseline=baseline,
        designs=tuple(designs),
        targets=tuple(targets),
        default=table(assumptions, True),
        swings=(),
        ends=(),
    )
    before = found.verdicts(found.default)
    ends, checked = [], []
    for swing in swings:
        pair, marks = [], []
        for end in ENDS:
            chosen = swing.at(assumptions, end)
            quick = table(chosen, False)
            after = found.verdicts(quick)
            moved = any(moves_a_verdict(before[k], after[k]) for k in before)
            check = moved or found.near_a_factor(quick)
            pair.append(table(chosen, True) if check else quick)
            marks.append(check)
        ends.append((pair[0], pair[1]))
        checked.append((marks[0], marks[1]))
    return dataclasses.replace(
        found, swings=tuple(swings), ends=tuple(ends), checked=tuple(checked)
    )
