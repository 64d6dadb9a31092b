"""Designs: a code family, a noise model and a rule for counting physical qubits.

A design is explored along families: sequences of candidates of growing distance with
the other choices (aspect ratio dz/dx, mean photon number nbar) fixed. A candidate's
logical error per round is the sum of its components: the memories in X and in Z (both
estimated), or for the repetition cat codes its phase-flip part (memory in X, decoded)
and its bit-flip part (memory in Z: a bit flip of any cat qubit).

`ldpc_cat` is the LDPC-cat code of Ruiz et al., Nat. Commun. 16, 1040 (2025),
arXiv:2401.09541: blocks of 34 logical qubits in [17 H, 34, d] codes, d in 5, 9, 12,
16, 22 only (`LdpcCatCode`), phase flips decoded by the authors' BP+OSD
(`bposd-ruiz25`). Its counts are **per logical qubit**: a candidate's qubits are the
block's cats / 34, and its per-round rate the block's / 34 (`Candidate.logical_qubits`).
A block fails when any of its 34 logical qubits does, so this is the rate of one of
them (to first order), comparable with one surface-code patch per logical qubit.

Cat designs come in two kinds of hardware: all cats (`repetition_cat`,
`thin_surface_cat`, noise `cat`) and cat data with transmon ancillas
(`repetition_cat_transmon`, Ocelot's layout with d cats and d - 1 transmons, and
`thin_surface_cat_transmon`, the thin surface code of Hann et al., arXiv:2410.23363;
noise `cat_transmon` or `ocelot`). Qubit counts follow `QubitWeights`: by default a cat
and a transmon count 1 each; `data=2` also counts each cat's buffer mode.
"""

from __future__ import annotations

import dataclasses
import math
import pathlib
from collections.abc import Callable, Mapping
from typing import Any

from qec.circuits import (
    CatSurfaceCode,
    LdpcCatCode,
    RepetitionCode,
    RotatedSurfaceCode,
    XZZXSurfaceCode,
)
from qec.circuits.ldpc_cat import HEIGHT_BY_DISTANCE
from qec.circuits.ldpc_cat import WIDTH as LDPC_WIDTH
from qec.circuits.registry import Code
from qec.errors import QecError, check_number
from qec.experiment import MemoryExperiment
from qec.intervals import Interval
from qec.noise import SD6, SI1000, Biased, Cat, CatTransmon, Depolarizing, NoiseModel
from qec.overhead.rows import ComponentRate, Derived
from qec.overhead.timing import Clock, CycleTime, cycle_time
from qec.sampling.core.decoders import RUIZ25_DECODER
from qec.sampling.core.derived_values import derived_values
from qec.sampling.core.first_order import first_order_failure
from qec.sampling.core.results_file import read_saved_stats
from qec.sampling.splitting.unit_rows import UNIT_KEY

CAT_DESIGNS = ("repetition_cat", "thin_surface_cat", "ldpc_cat")
CAT_TRANSMON_DESIGNS = ("repetition_cat_transmon", "thin_surface_cat_transmon")
DESIGNS = ("surface", "surface_rect", "xzzx", *CAT_DESIGNS, *CAT_TRANSMON_DESIGNS)
# The LDPC-cat codes exist at these distances only (Ruiz et al. 2025, width 17).
LDPC_CAT_DISTANCES = tuple(HEIGHT_BY_DISTANCE)
# Their phase flips have hyperedges (no matching): the authors' BP+OSD decodes them.
LDPC_CAT_DECODER = RUIZ25_DECODER
# nbar values explored when a cat design's nbar is free.
DEFAULT_NBARS = (4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0)
# With transmon ancillas the cats idle through the transmon readout, so their phase
# flips (nbar t / T1) favour small nbar: Ocelot ran nbar = 1 to 2.
# The noise models whose nbar a cat design explores.
CAT_MODELS = (Cat, CatTransmon)
DEFAULT_CAT_TRANSMON_NBARS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0)
DEFAULT_ASPECTS = (1.0, 2.0, 3.0)
# The noise models whose every mechanism is a fixed multiple of their rate p (each
# model's doc: depolarizing; SI1000's p/10, 2p, 5p; SD6; the biased model's
# p eta / (eta + 1) and p / (2 (eta + 1)) at fixed eta): every odds times s is then the
# model at s p to first order, so a splitting curve measured at p' also tells s p'.
STRENGTH_MODELS = (Depolarizing, SI1000, SD6, Biased)


def weaker_strengths(save: pathlib.Path | None, noise: NoiseModel) -> tuple[float, ...]:
    """The rates p' < p of `noise`'s model at which `save` holds splitting units, the
    nearest first (the curves `qec.overhead.family` reads); none unless `noise` is one
    of `STRENGTH_MODELS`.

    Examples:
        >>> weaker_strengths(None, Depolarizing(p=2e-3))
        ()
    """
    if save is None or not save.is_file() or not isinstance(noise, STRENGTH_MODELS):
        return ()
    found: set[float] = set()
    for row in read_saved_stats(save):
        metadata = row.json_metadata
        if not isinstance(metadata, Mapping) or UNIT_KEY not in metadata:
            continue
        p = metadata.get("p")
        if str(metadata.get("noise", "")).startswith(f"{noise.name}:") and isinstance(p, float):
            if p < noise.p:
                found.add(p)
    return tuple(sorted(found, reverse=True))


@dataclasses.dataclass(frozen=True)
class QubitWeights:
    """What one data qubit and one ancilla cost, e.g. 2 for a cat qubit with its buffer.

    Examples:
        >>> QubitWeights(data=2, ancilla=2).count(RepetitionCode(distance=5))
        18.0
        >>> QubitWeights().rule
        'qubits = 1 x data + 1 x ancilla'
    """

    data: float = 1.0
    ancilla: float = 1.0

    def __post_init__(self) -> None:
        for name in ("data", "ancilla"):
            check_number(
                f"{name} weight",
                getattr(self, name),
                allowed="a finite number > 0",
                accept=lambda w: 0 < w < math.inf,
            )

    def count(self, code: Code) -> float:
        data = code.num_data_qubits
        return float(self.data * data + self.ancilla * (code.num_qubits - data))

    @property
    def rule(self) -> str:
        return self.describe()

    def describe(self, data: str = "data", ancilla: str = "ancilla") -> str:
        """The counting rule with the qubits named, e.g. 'cat (data)'."""
        return f"qubits = {self.data:g} x {data} + {self.ancilla:g} x {ancilla}"


@dataclasses.dataclass(frozen=True)
class Component:
    """One part of a candidate's logical error: a memory experiment in `basis`, protected
    by the code distance `protected_by` ('distance', 'dx' or 'dz'). `first_order`: its
    failures are invisible to the checks (the bit-flip part of the repetition cat code)
    and are computed from the error model instead of sampled."""

    label: str
    basis: str
    protected_by: str
    first_order: bool = False


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One concrete design point."""

    code: Code
    noise: NoiseModel
    components: tuple[Component, ...]
    qubits: float
    logical_qubits: int = 1

    def per_logical(self, block: Interval) -> Interval:
        """A per-round rate of the whole code block as the rate per logical qubit: the
        block's over `logical_qubits` (see the module)."""
        return block.map(lambda p: p / self.logical_qubits)

    @property
    def rounds(self) -> int:
        params = self.code.params()
        return int(max(params.get("dx") or 0, params.get("dz") or 0, params["distance"]))

    def experiment(self, component: Component) -> MemoryExperiment:
        """The memory experiment that measures `component`. A first-order part of a cat
        design leaves out the data's preparation and readout (`Cat.ideal_data_ends`): no
        check sees their bit flips, and they happen once per computation, not per round
        (C22's Z readout, exp(-1.5 - 0.9 nbar), would otherwise pass for a rate per round)."""
        noise = self.noise
        if component.first_order and isinstance(noise, CAT_MODELS):
            noise = dataclasses.replace(noise, ideal_data_ends=True)
        return MemoryExperiment(
            code=self.code, noise=noise, rounds=self.rounds, basis=component.basis
        )

    def first_order_part(
        self, component: Component, decoder: str, save: pathlib.Path | None
    ) -> ComponentRate:
        """The first-order rate of `component` per round (`first_order_failure`), kept
        beside the points file `save` (`derived_values`: a rerun builds no circuit and
        decodes nothing). PyMatching decodes each mechanism fast; BP+OSD would take
        minutes on an LDPC-cat code's, of which it corrects few: with any other
        `decoder` all are counted (a bound)."""
        experiment = self.experiment(component)
        matching = "pymatching" if decoder == "pymatching" else None
        derived = derived_values(save)
        shot = float(
            derived.get(
                derived.circuit_key_of(experiment.metadata(), experiment.circuit),
                "first_order",
                {"decoder": matching},
                lambda: first_order_failure(experiment.circuit(), decoder=matching),
                packages=("stim",) if matching is None else ("stim", "PyMatching"),
            )
        )
        per_round = Interval.exact(shot).per_round(rounds=experiment.rounds)
        return ComponentRate(component.label, self.per_logical(per_round), Derived.FIRST_ORDER)

    def distance_of(self, component: Component) -> int:
        return int(self.code.params()[component.protected_by])

    def params(self) -> dict[str, Any]:
        params = {k: v for k, v in self.code.params().items() if k != "check_basis"}
        if isinstance(self.noise, CAT_MODELS):
            params["nbar"] = self.noise.nbar
        return params


@dataclasses.dataclass(frozen=True)
class Family:
    """Candidates of one design with everything but the distance fixed; `at(k)` is the
    k-th: distance 3 + 2k (for rectangular codes dx = 3 + 2k and dz = aspect * dx), or
    for a code that exists at a few distances only, the k-th of them, k < `steps`
    (None: no end)."""

    label: str
    at: Callable[[int], Candidate]
    steps: int | None = None


def _odd_at_least(x: float) -> int:
    return max(3, 2 * math.ceil((x - 1) / 2) + 1)


MEMORIES = (
    Component("memory X (Z errors)", "X", "dz"),
    Component("memory Z (X errors)", "Z", "dx"),
)
REPETITION_CAT = (
    Component("phase flips (memory X)", "X", "distance"),
    Component("bit flips (memory Z)", "Z", "distance", first_order=True),
)


@dataclasses.dataclass(frozen=True)
class Design:
    """A design by name under `noise`, with its qubit-counting `weights`.

    For cat designs `noise` must be a `Cat` model (a `CatTransmon` for the cat-transmon
    designs); its nbar is the starting point and `nbars` the values explored (nbar is a
    free design variable). `aspects` are the
    ratios dz/dx tried by rectangular designs. `ldpc_cat` counts qubits and rates per
    logical qubit (the module), over the distances `LDPC_CAT_DISTANCES`. `clock` gives
    the times the noise model does not state, for `cycle_time`.

    Examples:
        >>> from qec.noise import Depolarizing
        >>> design = Design(name="surface", noise=Depolarizing(p=1e-3))
        >>> [f.label for f in design.families()]
        ['d']
        >>> design.families()[0].at(2).code
        RotatedSurfaceCode(distance=7, dx=7, dz=7)
    """

    name: str
    noise: NoiseModel
    weights: QubitWeights = QubitWeights()
    nbars: tuple[float, ...] = DEFAULT_NBARS
    aspects: tuple[float, ...] = DEFAULT_ASPECTS
    label: str = ""
    clock: Clock = Clock()

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)
        if self.name not in DESIGNS:
            raise QecError.invalid("design", self.name, "one of " + ", ".join(DESIGNS))
        if self.name in CAT_DESIGNS and not isinstance(self.noise, Cat):
            raise QecError.invalid(
                "noise", self.noise.spec(), f"a cat noise model for design {self.name!r}"
            )
        if self.name in CAT_TRANSMON_DESIGNS and not isinstance(self.noise, CatTransmon):
            raise QecError.invalid(
                "noise",
                self.noise.spec(),
                f"a cat_transmon (or ocelot) noise model for design {self.name!r}",
            )
        cat_designs = (*CAT_DESIGNS, *CAT_TRANSMON_DESIGNS)
        if self.name not in cat_designs and isinstance(self.noise, CAT_MODELS):
            raise QecError.invalid(
                "noise",
                self.noise.spec(),
                f"a qubit noise model for design {self.name!r} (cat noise goes with "
                + ", ".join(cat_designs)
                + ")",
            )
        if not self.nbars or any(n <= 0 for n in self.nbars):
            raise QecError.invalid("nbars", self.nbars, "one or more numbers > 0")
        if not self.aspects or any(a < 1 for a in self.aspects):
            raise QecError.invalid("aspects", self.aspects, "one or more ratios dz/dx >= 1")

    @property
    def qubit_rule(self) -> str:
        """How this design counts physical qubits, naming their kinds.

        Examples:
            >>> from qec.noise import Ocelot
            >>> Design(name="repetition_cat_transmon", noise=Ocelot()).qubit_rule
            'qubits = 1 x cat (data) + 1 x transmon (ancilla)'
        """
        if self.name in CAT_TRANSMON_DESIGNS:
            return self.weights.describe("cat (data)", "transmon (ancilla)")
        if self.name == "ldpc_cat":
            per_block = self.weights.describe("cat (data)", "cat (ancilla)")
            return f"{per_block}, per block of {2 * LDPC_WIDTH} logical qubits"
        if self.name in CAT_DESIGNS:
            return self.weights.describe("cat (data)", "cat (ancilla)")
        return self.weights.rule

    def cycle_time(self, candidate: Candidate) -> CycleTime:
        """How long one round of `candidate` lasts on this design's hardware
        (`qec.overhead.timing`).

        Examples:
            >>> from qec.noise import Depolarizing
            >>> design = Design(name="surface", noise=Depolarizing(p=1e-3))
            >>> design.cycle_time(design.families()[0].at(0)).seconds
            1.1e-06
        """
        return cycle_time(candidate.code, candidate.noise, self.clock)

    @property
    def decoder(self) -> str:
        """The decoder its sampled points take by default: the authors' BP+OSD for
        `ldpc_cat` (its errors are hyperedges), PyMatching for every other design.

        Examples:
            >>> Design(name="ldpc_cat", noise=Cat(nbar=12)).decoder
            'bposd-ruiz25'
        """
        return LDPC_CAT_DECODER if self.name == "ldpc_cat" else "pymatching"

    def _candidate(
        self,
        code: Code,
        noise: NoiseModel,
        components: tuple[Component, ...],
        logical_qubits: int = 1,
    ) -> Candidate:
        return Candidate(
            code=code,
            noise=noise,
            components=components,
            qubits=self.weights.count(code) / logical_qubits,
            logical_qubits=logical_qubits,
        )

    def families(self) -> list[Family]:
        """The families this design is explored along."""
        if self.name in ("surface", "xzzx"):
            return [self._square(RotatedSurfaceCode if self.name == "surface" else XZZXSurfaceCode)]
        if self.name == "surface_rect":
            return [self._rectangular(RotatedSurfaceCode, self.noise, a) for a in self.aspects]
        noise = self.noise
        assert isinstance(noise, CAT_MODELS)  # __post_init__ checks the pairing
        cats = [dataclasses.replace(noise, nbar=n) for n in self.nbars]
        if self.name.startswith("repetition_cat"):
            return [self._repetition(cat) for cat in cats]
        if self.name == "ldpc_cat":
            return [self._ldpc(cat) for cat in cats]
        # With transmon ancillas the Z checks need no cat-only gate set: the rotated code
        # with H on the transmons (Hann et al.); all-cat codes keep X and Z operations.
        family = RotatedSurfaceCode if isinstance(noise, CatTransmon) else CatSurfaceCode
        return [self._rectangular(family, cat, a) for cat in cats for a in self.aspects]

    def _square(self, family: type[RotatedSurfaceCode]) -> Family:
        def at(k: int) -> Candidate:
            return self._candidate(family(distance=3 + 2 * k), self.noise, MEMORIES)

        return Family("d", at)

    def _repetition(self, cat: Cat | CatTransmon) -> Family:
        def at(k: int) -> Candidate:
            code = RepetitionCode(distance=3 + 2 * k, check_basis="X")
            return self._candidate(code, cat, REPETITION_CAT)

        return Family(f"nbar={cat.nbar:g}", at)

    def _ldpc(self, cat: Cat | CatTransmon) -> Family:
        def at(k: int) -> Candidate:
            code = LdpcCatCode(distance=LDPC_CAT_DISTANCES[k])
            return self._candidate(code, cat, REPETITION_CAT, code.num_logical_qubits)

        return Family(f"nbar={cat.nbar:g}", at, steps=len(LDPC_CAT_DISTANCES))

    def _rectangular(
        self, family: type[RotatedSurfaceCode], noise: NoiseModel, aspect: float
    ) -> Family:
        nbar = f"nbar={noise.nbar:g}, " if isinstance(noise, CAT_MODELS) else ""

        def at(k: int) -> Candidate:
            dx = 3 + 2 * k
            return self._candidate(family(dx=dx, dz=_odd_at_least(dx * aspect)), noise, MEMORIES)

        return Family(f"{nbar}dz/dx={aspect:g}", at)
