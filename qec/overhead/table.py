"""A footprint table: rows of several designs and targets, with the one printer, the
CSV and JSON forms, and the qubit ratios between designs."""

from __future__ import annotations

import csv
import dataclasses
import pathlib
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from qec.intervals import Interval
from qec.noise import Cat, CatTransmon
from qec.noise.registry import NOISE_MODELS
from qec.overhead.rows import (
    VERIFIED,
    ComponentRate,
    Derived,
    FootprintRow,
)
from qec.overhead.timing import PER_ROUND, PER_SECOND

# The designs the others are compared with (`FootprintTable.baseline_ratios`).
SURFACE_BASELINES = ("surface (depolarizing)", "surface (SI1000)", "surface (SD6)")

CSV_COLUMNS = (
    "design",
    "noise",
    "target",
    "per",
    "distance",
    "dx",
    "dz",
    "nbar",
    "qubits",
    "qubits_central",
    "qubits_low",
    "qubits_high",
    "per_round",
    "per_round_low",
    "per_round_high",
    "round_seconds",
    "per_second",
    "per_second_low",
    "per_second_high",
    "qubit_seconds",
    "method",
    "decoder",
    "evidence",
    "met",
    "status",
    "qubit_rule",
    "components",
    "fits",
    "note",
)
RATIO_COLUMNS = (
    "numerator",
    "denominator",
    "target",
    "numerator_qubits",
    "denominator_qubits",
    "ratio",
    "ratio_low",
    "ratio_high",
    "numerator_method",
    "denominator_method",
)


def write_csv(
    path: str | pathlib.Path, rows: Iterable[dict[str, str]], columns: Sequence[str]
) -> None:
    """Writes `rows` (dicts with the keys `columns`) as a CSV file with a header; use
    `FootprintTable.csv_rows()` with `CSV_COLUMNS`, or `Ratio.to_csv()` with
    `RATIO_COLUMNS`."""
    with open(path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@dataclasses.dataclass(frozen=True)
class Ratio:
    """qubits(numerator) / qubits(denominator) at `target` with an interval, from the two
    rows' qubit intervals: the ratio of their central counts [low end over high end,
    high end over low end]. It covers the true ratio whenever both qubit intervals cover
    their counts (at least 90% for two independent 95% intervals). None unless both rows
    are met. The methods say how each count was obtained.

    Examples:
        >>> from qec.intervals import Interval
        >>> def row(name, qubits):
        ...     return FootprintRow(design=name, noise="n", target=1e-9, qubit_rule="r",
        ...         status="met", qubits=qubits.high, qubit_interval=qubits, method="fit")
        >>> surface = row("surface", Interval(449, 337, 577))
        >>> cat = row("cat", Interval(169, 150, 190))
        >>> print(Ratio(surface, cat))
        surface / cat at 1e-09: 2.66 [1.77, 3.85] (central counts 449 / 169; fit, fit)
    """

    numerator: FootprintRow
    denominator: FootprintRow

    @property
    def target(self) -> float:
        return self.numerator.target

    @property
    def interval(self) -> Interval | None:
        """The ratio with its interval, or None unless both rows are met (and carry
        qubit intervals: rows read from files older than them do not)."""
        a, b = self.numerator.qubit_interval, self.denominator.qubit_interval
        if a is None or b is None or not (self.numerator.met and self.denominator.met):
            return None
        return Interval(a.value / b.value, a.low / b.high, a.high / b.low)

    @property
    def ratio(self) -> float | None:
        """The ratio of the central counts, or None unless both rows are met."""
        interval = self.interval
        return None if interval is None else interval.value

    @property
    def extrapolated(self) -> bool:
        """Whether either count rests on an extrapolation."""
        return "extrapolated" in (self.numerator.method, self.denominator.method)

    def to_csv(self) -> dict[str, str]:
        def qubits(row: FootprintRow) -> str:
            counts = row.qubit_interval
            return f"{counts.value:g}" if row.met and counts is not None else ""

        def method(row: FootprintRow) -> str:
            return row.method if row.met else row.status

        ratio = self.interval
        return {
            "numerator": self.numerator.design,
            "denominator": self.denominator.design,
            "target": f"{self.target:.0e}",
            "numerator_qubits": qubits(self.numerator),
            "denominator_qubits": qubits(self.denominator),
            "ratio": "" if ratio is None else f"{ratio.value:.3g}",
            "ratio_low": "" if ratio is None else f"{ratio.low:.3g}",
            "ratio_high": "" if ratio is None else f"{ratio.high:.3g}",
            "numerator_method": method(self.numerator),
            "denominator_method": method(self.denominator),
        }

    def to_json(self) -> dict[str, Any]:
        interval = self.interval
        return {
            "numerator": self.numerator.design,
            "denominator": self.denominator.design,
            "target": self.target,
            "ratio": None if interval is None else interval.to_json(),
            "extrapolated": self.extrapolated,
        }

    def __str__(self) -> str:
        c = self.to_csv()
        ratio = f"{c['ratio']} [{c['ratio_low']}, {c['ratio_high']}]" if c["ratio"] else "n/a"
        return (
            f"{c['numerator']} / {c['denominator']} at {c['target']}: "
            f"{ratio} (central counts {c['numerator_qubits'] or '-'} / "
            f"{c['denominator_qubits'] or '-'}; {c['numerator_method']}, "
            f"{c['denominator_method']})"
        )


@dataclasses.dataclass(frozen=True)
class FootprintTable:
    """Footprint rows for several designs at several targets.

    Examples:
        >>> from qec.intervals import Interval
        >>> row = FootprintRow(design="surface", noise="depolarizing:p=0.001", target=1e-3,
        ...     qubit_rule="qubits = 1 x data + 1 x ancilla", status="met",
        ...     params={"distance": 3}, qubits=17.0, qubit_interval=Interval(17, 9, 17),
        ...     per_round=Interval(5e-4, 4e-4, 6e-4), method="monte_carlo")
        >>> print(FootprintTable(rows=(row,)))  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
          target  status  qubits [95%]  size  per round [95%]  evidence
        surface
          1e-03   met     17 [9, 17]    d=3   5.0e-04 [4.0e-04, 6.0e-04]  monte_carlo
        qubit counting: qubits = 1 x data + 1 x ancilla
        qubits: the fewest whose point estimate meets the target ...
    """

    rows: tuple[FootprintRow, ...]
    assumptions: dict[str, Any] = dataclasses.field(default_factory=dict)

    def designs(self) -> list[str]:
        return list(dict.fromkeys(r.design for r in self.rows))

    def targets(self) -> list[float]:
        return sorted({r.target for r in self.rows}, reverse=True)

    def row(self, design: str, target: float) -> FootprintRow | None:
        for r in self.rows:
            if r.design == design and r.target == target:
                return r
        return None

    def ratios(self, numerators: Sequence[str], denominator: str) -> list[Ratio]:
        """The ratios of each numerator design to `denominator`, at every target both
        have a row for."""
        found = []
        for numerator in numerators:
            for target in self.targets():
                a, b = self.row(numerator, target), self.row(denominator, target)
                if a is not None and b is not None:
                    found.append(Ratio(a, b))
        return found

    def baseline_ratios(self) -> list[Ratio]:
        """qubits(surface code) / qubits(design) for every design that is not a surface
        baseline (`SURFACE_BASELINES` found in the table), at every target: how many
        times fewer qubits the design needs."""
        baselines = [b for b in SURFACE_BASELINES if b in self.designs()]
        return [
            ratio
            for baseline in baselines
            for design in self.designs()
            if design not in SURFACE_BASELINES
            for ratio in self.ratios([baseline], design)
        ]

    def cat_ratios(self) -> list[Ratio]:
        """The `baseline_ratios` whose design is a cat design (cat noise, `is_cat`): how
        many times fewer qubits each cat design needs than each surface baseline."""
        return [r for r in self.baseline_ratios() if is_cat(r.denominator)]

    @property
    def per(self) -> str:
        """What the targets are rates of (`PERS`): 'second' if any row's is."""
        return PER_SECOND if any(r.per == PER_SECOND for r in self.rows) else PER_ROUND

    def target_text(self, target: float) -> str:
        """A target as a column heading: '1e-09', or '1e-09/s' for targets per second.

        Examples:
            >>> FootprintTable(rows=()).target_text(1e-9)
            '1e-09'
        """
        return f"{target:.0e}" + ("/s" if self.per == PER_SECOND else "")

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.rows]

    def report_json(self) -> dict[str, Any]:
        """The rows, the baseline ratios and the assumptions (`qec compare --json`)."""
        return {
            "rows": self.to_json(),
            "ratios": [r.to_json() for r in self.baseline_ratios()],
            "assumptions": self.assumptions,
        }

    @staticmethod
    def from_json(items: list[dict[str, Any]] | dict[str, Any]) -> FootprintTable:
        """A table back from `to_json()` (a list of rows) or `report_json()`."""
        if isinstance(items, dict):
            rows, assumptions = items["rows"], dict(items["assumptions"])
        else:
            rows, assumptions = items, {}
        return FootprintTable(
            rows=tuple(FootprintRow.from_json(item) for item in rows), assumptions=assumptions
        )

    def csv_rows(self) -> list[dict[str, str]]:
        """One flat row per footprint row, with the columns `CSV_COLUMNS`; only met rows
        fill in a size, a qubit count and a rate."""
        return [_csv_row(r) for r in self.rows]

    def __str__(self) -> str:
        """The table at most `TABLE_WIDTH` columns wide, a block of rows per design under
        its round's duration: per row one status word, the count and rate with their
        intervals and the evidence in a few words (`detailed` adds every note, and
        `qec.overhead.grids` the ratios and rates per second)."""
        met = [r for r in self.rows if r.met and r.per_round is not None]
        sizes = max([len("size"), *(len(r.size) for r in met)]) + 2
        counts = max([len("qubits [95%]"), *(len(qubits_text(r.qubit_interval)) for r in met)])
        lines = [
            f"  {'target':<7}{'status':<13}{'qubits [95%]':<{counts + 2}}{'size':<{sizes}}"
            f"{'per round [95%]':<28}evidence"
        ]
        if self.per == PER_SECOND:
            lines[:0] = textwrap.wrap(
                "Targets are logical error rates per second: each design meets the target "
                "times its round per round.",
                TABLE_WIDTH,
            )
        for design in self.designs():
            rows = [r for r in self.rows if r.design == design]
            rounds = dict.fromkeys(r.cycle.short for r in rows if r.cycle is not None)
            lines.append(design + "".join(f", round {c}" for c in rounds))
            for r in rows:
                head = f"  {r.target:<7.0e}{status_word(r):<13}"
                if not r.met or r.per_round is None:
                    lines.append(_cut(head + r.explanation))
                    continue
                rate = f"{r.per_round.value:.1e} [{r.per_round.low:.1e}, {r.per_round.high:.1e}]"
                start = (
                    f"{head}{qubits_text(r.qubit_interval):<{counts + 2}}{r.size:<{sizes}}"
                    f"{rate:<28}"
                )
                # Counts too long for the line go on under the column, never cut.
                evidence = textwrap.wrap(evidence_text(r), TABLE_WIDTH - len(start))
                lines.append(start + evidence[0])
                lines.extend(" " * len(start) + more for more in evidence[1:])
        return "\n".join([*lines, *self._footer()])

    def detailed(self) -> str:
        """The table with every row's counts, method and note in full (wide lines)."""
        width = max([len("design"), *(len(r.design) for r in self.rows)]) + 2
        sizes = max([len("size"), *(len(r.size) for r in self.rows if r.met)]) + 2
        lines = [
            f"{'design':<{width}}{'target':<8}{'size':<{sizes}}{'qubits':>6}  "
            f"{'central [95%]':<20}{'per round [95%]':<32}{'method':<26}rests on"
        ]
        for r in self.rows:
            head = f"{r.design:<{width}}{r.target:<8.0e}"
            if not r.met or r.per_round is None or r.qubits is None:
                lines.append(f"{head}{r.status}: {r.explanation}")
                continue
            rate = f"{r.per_round.value:.2e} [{r.per_round.low:.2e}, {r.per_round.high:.2e}]"
            method = f"{r.method}, {VERIFIED}" if r.evidence == VERIFIED else r.method
            lines.append(
                f"{head}{r.size:<{sizes}}{r.qubits:>6g}  {qubits_text(r.qubit_interval):<20}"
                f"{rate:<32}{method:<26}{r.rests_on}" + (f" ({r.note})" if r.note else "")
            )
        return "\n".join([*lines, *self._footer()])

    def _footer(self) -> list[str]:
        """The qubit-counting rules and how to read a count, wrapped to `TABLE_WIDTH`."""
        rules = dict.fromkeys(r.qubit_rule for r in self.rows)
        lines = [f"qubit counting: {rule}" for rule in rules]
        reading = (
            "qubits: the fewest whose point estimate meets the target [whose lower end does, "
            "whose upper end does: the count a met row claims]; a part sampled without a "
            "failure counts at its fit's value there, not at 0. Status: measured, verified "
            "(a pick checked by splitting), extrapolated (a Lambda fit's), unresolved, not "
            "reached; --verbose, the JSON and the HTML report give every note."
        )
        return [*lines, *textwrap.wrap(reading, TABLE_WIDTH)]


#: The widest line of `FootprintTable`'s text.
TABLE_WIDTH = 120


def status_word(row: FootprintRow) -> str:
    """How a row's count stands, in one word: a met row's evidence (measured, verified,
    extrapolated), else its status (unresolved, not reached).

    Examples:
        >>> row = FootprintRow(design="s", noise="n", target=1e-3, qubit_rule="r",
        ...                    status="met", evidence="verified")
        >>> status_word(row)
        'verified'
    """
    return (row.evidence or row.status) if row.met else row.status


def evidence_text(row: FootprintRow) -> str:
    """What a met row's rate rests on, in a few words: the Lambda fits' distances of an
    extrapolated row ('fit d=3..21'), else its parts' counts added up by method, and
    the methods that count nothing ('1.2e+05 shots, 33 errors + first_order').

    Examples:
        >>> x = ComponentRate("X", Interval(2e-4, 1e-4, 3e-4), "monte_carlo", 10**5, 20)
        >>> z = ComponentRate("Z", Interval(1e-4, 5e-5, 2e-4), "monte_carlo", 10**5, 13)
        >>> cat = ComponentRate("bit flips", Interval(1e-6, 1e-6, 1e-6), "first_order")
        >>> evidence_text(FootprintRow(design="s", noise="n", target=1e-3, qubit_rule="r",
        ...     status="met", method="first_order+monte_carlo", components=(x, z, cat)))
        '2e+05 shots, 33 errors + first_order'
    """
    if row.method == Derived.EXTRAPOLATED.value:
        ranges = (f"fit d={min(f.distances)}..{max(f.distances)}" for f in row.fits if f.distances)
        return ", ".join(dict.fromkeys(ranges)) or row.method
    added: dict[str, ComponentRate] = {}
    for c in row.components:
        if c.method.value in added:
            c = dataclasses.replace(
                c,
                shots=added[c.method.value].shots + c.shots,
                errors=added[c.method.value].errors + c.errors,
            )
        added[c.method.value] = c
    parts = [c.rests_on for c in added.values() if c.rests_on]
    return " + ".join([*parts, *(m for m, c in added.items() if not c.rests_on)]) or row.method


def is_cat(row: FootprintRow) -> bool:
    """Whether `row` is a cat design's: its noise, named by its spec, is a cat model
    (all cats, or cat data with transmon ancillas).

    Examples:
        >>> row = FootprintRow(design="repetition_cat", noise="cat:nbar=8", target=1e-3,
        ...                    qubit_rule="r", status="met")
        >>> is_cat(row), is_cat(dataclasses.replace(row, noise="si1000:p=0.001"))
        (True, False)
    """
    model = NOISE_MODELS.get(row.noise.split(":")[0])
    return model is not None and issubclass(model, Cat | CatTransmon)


def _ends(name: str, interval: Interval | None) -> dict[str, str]:
    """CSV cells `name`, `name`_low, `name`_high of `interval` ('' without one)."""
    cells = (None, None, None) if interval is None else interval.to_json().values()
    return {
        f"{name}{end}": "" if v is None else f"{v:.4g}"
        for end, v in zip(("", "_low", "_high"), cells, strict=True)
    }


def _cut(line: str) -> str:
    """`line`, cut to `TABLE_WIDTH` columns with an ellipsis where it was longer."""
    return line if len(line) <= TABLE_WIDTH else line[: TABLE_WIDTH - 1] + "…"


def ratio_text(
    ratio: Ratio | None, *, extrapolated: str = " (extrapolated)", missing: str = "not met"
) -> str:
    """A ratio with its interval, followed by `extrapolated` when either count is
    extrapolated; `missing` without one.

    Examples:
        >>> ratio_text(None), ratio_text(None, missing="-")
        ('not met', '-')
    """
    interval = None if ratio is None else ratio.interval
    if ratio is None or interval is None:
        return missing
    mark = extrapolated if ratio.extrapolated else ""
    return f"{interval.value:.3g} [{interval.low:.3g}, {interval.high:.3g}]{mark}"


def qubits_text(qubits: Interval | None) -> str:
    """A qubit count with its interval ('inf' when open above), or '' without one.

    Examples:
        >>> qubits_text(Interval(721.0, 577.0, 881.0))
        '721 [577, 881]'
    """
    return "" if qubits is None else f"{qubits.value:g} [{qubits.low:g}, {qubits.high:g}]"


def _csv_row(row: FootprintRow) -> dict[str, str]:
    met = row.met and row.per_round is not None and row.qubits is not None
    params = row.params if met else {}
    rate = row.per_round if met else None
    held = row.qubit_seconds if met else None
    return {
        "design": row.design,
        "noise": row.noise,
        "target": f"{row.target:.0e}",
        "per": row.per,
        "distance": str(params.get("distance", "")),
        "dx": str(params.get("dx", "")),
        "dz": str(params.get("dz", "")),
        "nbar": f"{params['nbar']:g}" if "nbar" in params else "",
        "qubits": f"{row.qubits:g}" if met and row.qubits is not None else "",
        **{
            f"qubits_{end}": ""
            if row.qubit_interval is None
            else f"{getattr(row.qubit_interval, key):g}"
            for end, key in (("central", "value"), ("low", "low"), ("high", "high"))
        },
        **_ends("per_round", rate),
        "round_seconds": "" if row.cycle is None or not met else f"{row.cycle.seconds:.4g}",
        **_ends("per_second", row.per_second if met else None),
        "qubit_seconds": "" if held is None else f"{held.value:.4g}",
        "method": row.method if met else "",
        "decoder": row.decoder,
        "evidence": row.evidence if met else "",
        "met": str(met),
        "status": row.status,
        "qubit_rule": row.qubit_rule,
        "components": "; ".join(
            f"{c.label}: {c.per_round.value:.3g} [{c.per_round.low:.3g}, "
            f"{c.per_round.high:.3g}] {c.method}"
            for c in row.components
        ),
        "fits": "; ".join(str(f) for f in row.fits) if met else "",
        "note": row.explanation,
    }
