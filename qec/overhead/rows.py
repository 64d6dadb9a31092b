"""What the footprint solver reports: component rates, fit summaries and one row per
design and target, with its status decided by one documented rule (`status_of`) and
its reasons as data (`Reason`)."""

from __future__ import annotations

import abc
import dataclasses
import enum
import math
from collections.abc import Iterable, Sequence
from typing import Any

from qec.analysis.fit_summary import FitSummary
from qec.circuits.registry import size_text
from qec.intervals import Interval
from qec.overhead.timing import PER_ROUND, PER_SECOND, PERS, CycleTime, per_round
from qec.sampling.method import Method, NamedEnum

MET = "met"
UNRESOLVED = "unresolved"
NOT_REACHED = "not reached"
STATUSES = (MET, UNRESOLVED, NOT_REACHED)
# What a row's rate rests on: every part measured in the solver's sampled range (or
# exact to first order); a pick beyond that range whose measured interval meets the
# target; or the Lambda fits alone (its reasons say what a check found, or why none ran).
MEASURED = "measured"
VERIFIED = "verified"
EXTRAPOLATED = "extrapolated"
EVIDENCE = (MEASURED, VERIFIED, EXTRAPOLATED)


def _json(interval: Interval | None) -> dict[str, float | None] | None:
    return None if interval is None else interval.to_json()


def _count(qubits: float | None) -> float | int | None:
    """A qubit count for JSON: whole counts as integers (weighted counts, data=1.5, may
    be fractional)."""
    if qubits is not None and float(qubits).is_integer():
        return int(qubits)
    return qubits


class Derived(NamedEnum):
    """How a rate not sampled at its candidate was obtained."""

    FIRST_ORDER = "first_order"  # the first-order sum over the detector error model
    EXTRAPOLATED = "extrapolated"  # the Lambda fit, beyond the distances it was fitted on
    # The splitting curve of the same candidate under weaker noise of the same model,
    # read at the scale that makes it this noise (`qec.overhead.family`, curve reads).
    CURVE = "curve"


Source = Method | Derived


def source(name: str | Source) -> Source:
    """The method or derivation named `name` (as JSON and older rows hold it).

    Examples:
        >>> source("first_order"), source("splitting") is Method.SPLITTING
        ('first_order', True)
    """
    return Derived(name) if name in Derived._value2member_map_ else Method.parse(name)


@dataclasses.dataclass(frozen=True)
class ComponentRate:
    """A component's per-round rate at a candidate and how it was obtained: `method` is
    the estimator (`Method`) or a `Derived` rate (first order, extrapolated); `shots`
    and `errors` are what a sampled rate rests on, as `Counts` names them (fault sets
    and failures for stratified sampling, configurations decoded and no failures
    counted for splitting).

    Examples:
        >>> c = ComponentRate("memory X", Interval(0.0, 0.0, 1.5e-6), "monte_carlo",
        ...                   shots=2_000_000, errors=0)
        >>> c.blind, ComponentRate.from_json(c.to_json()) == c
        (True, True)
    """

    label: str
    per_round: Interval
    method: Source
    shots: int = 0
    errors: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", source(self.method))

    @property
    def rests_on(self) -> str:
        """What the rate rests on, e.g. '2e+06 shots, 12 errors'; '' for a rate that
        rests on a fit or a first-order sum (see the row's fits and method).

        Examples:
            >>> ComponentRate("x", Interval(1e-9, 5e-10, 2e-9), "splitting", 410_840).rests_on
            '4.1e+05 configurations decoded'
        """
        counted: dict[Source, str] = {
            Method.MONTE_CARLO: f"{self.shots:.2g} shots, {self.errors} errors",
            Method.STRATIFIED: f"{self.shots:.2g} fault sets, {self.errors} failing",
            Method.SPLITTING: f"{self.shots:.2g} configurations decoded",
            Derived.CURVE: f"{self.shots:.2g} configurations decoded at weaker noise",
        }
        return counted.get(self.method, "")

    @property
    def blind(self) -> bool:
        """Sampled without a single failure: the rate is known only by its upper bound."""
        return self.method in (Method.MONTE_CARLO, Method.STRATIFIED) and self.errors == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "per_round": self.per_round.to_json(),
            "method": self.method.value,
            "shots": self.shots,
            "errors": self.errors,
        }

    @staticmethod
    def from_json(item: dict[str, Any]) -> ComponentRate:
        return ComponentRate(
            item["label"],
            Interval.from_json(item["per_round"]),
            item["method"],
            int(item["shots"]),
            int(item["errors"]),
        )

    def __str__(self) -> str:
        counted = f" ({self.rests_on})" if self.rests_on else ""
        return f"{self.label}: {self.per_round} {self.method}{counted}"


def total_rate(parts: Iterable[ComponentRate]) -> Interval:
    """The parts' per-round rates added: values, lower and upper ends.

    Examples:
        >>> print(total_rate([ComponentRate("X", Interval(1e-6, 5e-7, 2e-6), "splitting"),
        ...                   ComponentRate("Z", Interval(2e-6, 1e-6, 3e-6), "splitting")]))
        3e-06 [1.5e-06, 5e-06]
    """
    parts = list(parts)
    return Interval(
        math.fsum(p.per_round.value for p in parts),
        math.fsum(p.per_round.low for p in parts),
        math.fsum(p.per_round.high for p in parts),
    )


@dataclasses.dataclass(frozen=True)
class CurveRead:
    """A component's rate at a candidate (`part`, `Derived.CURVE`) read off the splitting
    curve of the same candidate under the same noise model at the weaker rate `weaker`,
    at `scale` = p / weaker (`qec.overhead.family`, curve reads). `stands_in`: the
    candidate has no splitting units of its own, so its fit and its check take this."""

    part: ComponentRate
    weaker: float
    scale: float
    stands_in: bool


def method_of(parts: Iterable[ComponentRate]) -> str:
    """How a total was obtained: `extrapolated` if any part was, else the parts' methods
    joined by '+' (e.g. 'first_order+splitting')."""
    methods = {p.method for p in parts}
    if Derived.EXTRAPOLATED in methods:
        return Derived.EXTRAPOLATED.value
    return "+".join(sorted(m.value for m in methods))


class Reason(abc.ABC):
    """Why a row is as it is, as data: each kind of reason is a frozen dataclass whose
    `str()` is its sentence, rendered there and nowhere else. A row carries its reasons
    (`FootprintRow.reasons`) and its note joins their sentences; code and tests read
    the fields. The kinds: `AboveTarget` (the status rule's, here), `Recorded` (a note
    read back from a file), the solver's and the checks' in `qec.overhead.reasons`, and
    the verdicts that cite the checks in `qec.overhead.verification`."""

    @abc.abstractmethod
    def __str__(self) -> str:
        """The reason's sentence, as the row's note prints it."""


@dataclasses.dataclass(frozen=True)
class Recorded(Reason):
    """A note as a file recorded it: the JSON of a row stores its reasons' sentences
    only, so a row read back (`FootprintRow.from_json`) keeps them as written.

    Examples:
        >>> str(Recorded("Not verified: no checks by splitting (verify_seconds = 0)."))
        'Not verified: no checks by splitting (verify_seconds = 0).'
    """

    text: str

    def __str__(self) -> str:
        return self.text


class Looseness(enum.Enum):
    """Why a part holds a total's 95% upper end up, whatever its point estimate."""

    REACHES_HALF = "reaches_half"  # its 95% interval reaches 1/2: it bounds nothing
    NO_FAILURES = "no_failures"  # sampled without a failure: only an upper bound is known


@dataclasses.dataclass(frozen=True)
class LoosePart:
    """A part of a total that the status rule names as holding its upper end up."""

    part: ComponentRate
    looseness: Looseness

    def __str__(self) -> str:
        c = self.part
        if self.looseness is Looseness.REACHES_HALF:
            return f"{c.label} = {c.per_round} ({c.method}), whose 95% interval reaches 1/2"
        counted = "fault sets" if c.method is Method.STRATIFIED else "shots"
        return f"{c.label} = {c.per_round} (no failures in {c.shots:,} {counted})"


@dataclasses.dataclass(frozen=True)
class AboveTarget(Reason):
    """Why a pick is `unresolved` (`status_of`): the 95% upper end of its `total` per
    round exceeds the target, held up by the `loose` parts if any.

    Examples:
        >>> blind = ComponentRate("Z", Interval(0.0, 0.0, 1.5e-6), "monte_carlo", 2 * 10**6, 0)
        >>> print(AboveTarget(blind.per_round, (LoosePart(blind, Looseness.NO_FAILURES),)))
        ... # doctest: +NORMALIZE_WHITESPACE
        the 95% upper end of its total, 1.5e-06 per round, exceeds the target (point
        estimate 0): it rests on Z = 0 [0, 1.5e-06] (no failures in 2,000,000 shots);
        this budget cannot tell whether it meets it
    """

    total: Interval
    loose: tuple[LoosePart, ...] = ()

    def __str__(self) -> str:
        parts = ", ".join(str(p) for p in self.loose)
        why = f": it rests on {parts}" if parts else ""
        return (
            f"the 95% upper end of its total, {self.total.high:.2g} per round, exceeds the "
            f"target (point estimate {self.total.value:.2g}){why}; this budget cannot tell "
            "whether it meets it"
        )


def status_of(components: Sequence[ComponentRate], target: float) -> tuple[str, AboveTarget | None]:
    """The one rule that says whether a candidate meets `target`, and why.

    A candidate meets the target when the 95% upper end of its total per-round rate
    (its components' upper ends added) is at most the target: `met`. Every component
    counts the same way, whatever it rests on: failures seen (a sampled interval), none
    seen (only an upper bound), a first-order value (exact) or a fit (its profile
    interval; one that reaches 1/2 bounds nothing). Otherwise `unresolved`: the budget
    cannot tell (the solver keeps such a pick only where no candidate meets the target
    and a point estimate does). Measurement by splitting (`verification`) uses the same
    upper end. Returns (status, why it is unresolved, or None when met).

    Examples:
        >>> seen = ComponentRate("X", Interval(4e-7, 2e-7, 6e-7), "monte_carlo", 10**7, 4)
        >>> blind = ComponentRate("Z", Interval(0.0, 0.0, 1.5e-6), "monte_carlo", 2 * 10**6, 0)
        >>> status_of([seen], 1e-6)
        ('met', None)
        >>> status_of([seen], 5e-7)[0]
        'unresolved'
        >>> status_of([seen, blind], 1e-6)[0]
        'unresolved'
    """
    total = total_rate(components)
    if total.high <= target:
        return MET, None
    loose = []
    for c in components:
        if c.per_round.high >= 0.5:
            loose.append(LoosePart(c, Looseness.REACHES_HALF))
        elif c.blind:
            loose.append(LoosePart(c, Looseness.NO_FAILURES))
    return UNRESOLVED, AboveTarget(total, tuple(loose))


@dataclasses.dataclass(frozen=True)
class FootprintRow:
    """The smallest candidate of `design` meeting `target` per round, or why none.

    `status` is `met`, `unresolved` or `not reached` (see `status_of`); an unresolved
    row keeps the solver's pick (`params`, `qubits`, `per_round`) for inspection, but
    only a met row claims a qubit count. `fits` are the Lambda fits the rates rest on.
    `evidence` says whether the rate was `measured`, `verified` (a pick beyond the
    sampled range, measured by splitting with an interval that meets the target) or
    `extrapolated` (empty for a row that reached nothing). `reasons` say why, as data
    (`Reason`); `note` is their sentences.

    `qubit_interval` is the design's qubit count at `target` with its 95% interval, from
    the rates' intervals: the fewest qubits of a candidate whose point estimate meets
    the target [whose 95% lower end does, whose 95% upper end does]. Its upper end is the
    met row's `qubits` (infinite when no candidate meets the target so); measurements
    by splitting override the fits (`qec.overhead.verification`).

    Examples:
        >>> row = FootprintRow(design="surface", noise="depolarizing:p=0.001", target=1e-3,
        ...     qubit_rule="qubits = 1 x data + 1 x ancilla", status="met",
        ...     params={"distance": 3}, qubits=17.0, per_round=Interval(5e-4, 4e-4, 6e-4),
        ...     method="monte_carlo", evidence="measured")
        >>> row.met, row.size, FootprintRow.from_json(row.to_json()) == row
        (True, 'd=3', True)
    """

    design: str
    noise: str
    target: float
    qubit_rule: str
    status: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    qubits: float | None = None
    qubit_interval: Interval | None = None
    per_round: Interval | None = None
    method: str = ""
    components: tuple[ComponentRate, ...] = ()
    fits: tuple[FitSummary, ...] = ()
    reasons: tuple[Reason, ...] = ()
    evidence: str = ""
    decoder: str = ""  # sinter's decoder of the sampled points ("": not recorded)
    cycle: CycleTime | None = None  # how long a round of the pick lasts
    per: str = PER_ROUND  # the target's unit: PERS

    def __post_init__(self) -> None:
        if self.per not in PERS or (self.per == PER_SECOND and self.params and not self.cycle):
            raise ValueError(f"per={self.per!r} is not one of {PERS} (per second: with a cycle)")
        if self.status not in STATUSES:
            raise ValueError(f"status={self.status!r} is not one of {STATUSES}")
        if self.evidence not in ("", *EVIDENCE):
            raise ValueError(f"evidence={self.evidence!r} is not one of {EVIDENCE} or ''")

    def noted(self, *reasons: Reason, evidence: str) -> FootprintRow:
        """This row with `reasons` added after its own and `evidence` set."""
        return dataclasses.replace(self, reasons=(*self.reasons, *reasons), evidence=evidence)

    @property
    def note(self) -> str:
        """The row's reasons in words: their sentences joined ('' without any)."""
        return " ".join(str(r) for r in self.reasons)

    @property
    def met(self) -> bool:
        """Whether the row claims its qubit count (status `met`)."""
        return self.status == MET

    @property
    def round_target(self) -> float:
        """The target as a rate per round (`per_round`): a target per second times the
        round's duration (a row without a round keeps its target)."""
        return self.target if self.cycle is None else per_round(self.target, self.per, self.cycle)

    @property
    def per_second(self) -> Interval | None:
        """The pick's logical error rate per second: per round over the cycle time."""
        cycle, rate = self.cycle, self.per_round
        return None if cycle is None or rate is None else cycle.per_second(rate)

    @property
    def qubit_seconds(self) -> Interval | None:
        """qubits x cycle time (the hardware a logical qubit holds for one round)."""
        cycle, qubits = self.cycle, self.qubit_interval
        return None if cycle is None or qubits is None else cycle.held(qubits)

    @property
    def size(self) -> str:
        """The picked size ('d=7', 'dx=3 dz=9', with nbar for cat designs), or ''."""
        if not self.params:
            return ""
        nbar = self.params.get("nbar")
        return size_text(self.params) + ("" if nbar is None else f" nbar={nbar:g}")

    @property
    def rests_on(self) -> str:
        """What each part's rate rests on, joined by ' + ': its counts, 'fit d=3..9'
        (the Lambda fit it is extrapolated from) or its method.

        Examples:
            >>> row = FootprintRow(design="s", noise="n", target=1e-9, qubit_rule="r",
            ...     status="met", fits=(FitSummary("d", "X", distances=(3, 5, 7, 9)),),
            ...     components=(ComponentRate("X", Interval(1e-10, 1e-11, 1e-9), "extrapolated"),
            ...         ComponentRate("Z", Interval(1e-10, 5e-11, 2e-10), "monte_carlo", 10**9, 1)))
            >>> row.rests_on
            'fit d=3..9 + 1e+09 shots, 1 errors'
        """
        fitted = {f.component: f.distances for f in self.fits if f.distances}

        def part(c: ComponentRate) -> str:
            if c.rests_on:
                return c.rests_on
            if c.method is Derived.EXTRAPOLATED and c.label in fitted:
                distances = fitted[c.label]
                return f"fit d={min(distances)}..{max(distances)}"
            return c.method

        return " + ".join(part(c) for c in self.components)

    @property
    def explanation(self) -> str:
        """Why the row has its status, in words (empty for a plain met row)."""
        if self.status == UNRESOLVED:
            return f"the solver's pick, {self.size} ({self.qubits:g} qubits), {self.note}"
        return self.note

    def to_json(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "target": self.target,
            "per": self.per,
            **self.params,
            "qubits": _count(self.qubits),
            "qubits_95": (
                None
                if self.qubit_interval is None
                else {k: _count(v) for k, v in self.qubit_interval.to_json().items()}
            ),
            "per_round": _json(self.per_round),
            "cycle": None if self.cycle is None else self.cycle.to_json(),
            "per_second": _json(self.per_second),
            "qubit_seconds": _json(self.qubit_seconds),
            "method": self.method,
            "decoder": self.decoder,
            "evidence": self.evidence,
            "status": self.status,
            "met": self.met,
            "noise": self.noise,
            "qubit_rule": self.qubit_rule,
            "components": [c.to_json() for c in self.components],
            "fits": [f.to_json() for f in self.fits],
            "note": self.note,
        }

    @staticmethod
    def from_json(item: dict[str, Any]) -> FootprintRow:
        """A row back from its `to_json()`, its note `Recorded` as written (the JSON
        keeps the sentences, not the reasons' fields)."""
        rate, qubits = item["per_round"], item.get("qubits_95")
        return FootprintRow(
            design=item["design"],
            noise=item["noise"],
            target=float(item["target"]),
            qubit_rule=item["qubit_rule"],
            status=item["status"],
            params={k: item[k] for k in ("distance", "dx", "dz", "nbar") if k in item},
            qubits=item["qubits"],
            qubit_interval=None if qubits is None else Interval.from_json(qubits),
            per_round=None if rate is None else Interval.from_json(rate),
            method=item["method"],
            reasons=(Recorded(item["note"]),) if item["note"] else (),
            evidence=item["evidence"],
            decoder=item.get("decoder", ""),
            cycle=None if item.get("cycle") is None else CycleTime.from_json(item["cycle"]),
            per=item.get("per", PER_ROUND),
            components=tuple(ComponentRate.from_json(c) for c in item["components"]),
            fits=tuple(FitSummary.from_json(f) for f in item["fits"]),
        )
