"""The comparison's plan: which designs, with which simulation budget, at which targets;
and what a budget is (`Budget`).

One plan for `qec compare`, `compare()` and `experiments/overhead.py`, so that they
share the simulated points of `results/overhead_points.csv`: a point of the same
experiment is read back, and sampled further only where the plan's budget asks for more
than the file holds (shots, errors, or seconds of splitting).
"""

from __future__ import annotations

import dataclasses
import math

from qec.errors import QecError, check_int
from qec.overhead.designs import LDPC_CAT_DECODER, Design, Family
from qec.sampling.core.decoders import check_decoder


@dataclasses.dataclass(frozen=True)
class Budget:
    """How much simulation the solver may spend.

    `measured_steps` candidates per family are simulated (distances 3, 5, ...), each
    component with at most `max_shots` shots (or fault sets) and `max_seconds` seconds;
    families are walked up to distance `max_distance`. A pick beyond the simulated
    range is checked by splitting, each of its sampled components (and those of its
    neighbours in the family) for at most `verify_seconds` seconds, counting the time of
    the units already in the save file (a rerun reads a finished check back); 0 checks
    none. `decoder` is sinter's decoder of the sampled points; with any but PyMatching
    they are sampled directly, as the committed points were (the rare-event methods
    take any decoder, but the solver does not use them for others yet), so rare points
    stay upper bounds and picks are not checked. Direct sampling stops at `max_shots`
    or `max_errors`, not at `max_seconds`: with a slow decoder (BP+OSD), `max_shots`
    bounds a point's time.

    Every simulation runs on `workers` processes, and the seconds are seconds of that
    many (splitting's units, which run side by side, count their time over them). The
    budget is therefore the same question on every machine: points saved with it read
    back the same on a laptop of 16 cores as on the 2 that made the committed ones, and
    more workers ask for more time (a new question, which samples).
    """

    measured_steps: int = 4
    max_shots: int = 2_000_000
    max_errors: int = 200
    max_seconds: float = 30.0
    max_distance: int = 151
    rel_precision: float = 0.2
    verify_seconds: float = 60.0
    decoder: str = "pymatching"
    workers: int = 2

    def __post_init__(self) -> None:
        check_int("workers", self.workers, minimum=1)
        if not (math.isfinite(self.verify_seconds) and self.verify_seconds >= 0):
            raise QecError.invalid("verify_seconds", self.verify_seconds, "seconds >= 0")
        check_decoder(self.decoder)


def walk_steps(family: Family, budget: Budget) -> int:
    """How many candidates of `family` the walk may visit: up to the budget's largest
    distance, and no further than the family's end."""
    max_steps = (budget.max_distance - 3) // 2 + 1
    return min(max_steps, family.steps or max_steps)


def sampled_components(family: Family) -> tuple[str, ...]:
    """The labels of the components the solver samples along `family` (the others are
    first order)."""
    return tuple(c.label for c in family.at(0).components if not c.first_order)


def sampled_steps(family: Family, budget: Budget) -> int:
    """How many candidates of `family` the solver simulates: `budget.measured_steps`,
    or fewer when the family has fewer."""
    return min(budget.measured_steps, family.steps or budget.measured_steps)


def planned_points(families: list[Family], budget: Budget) -> int:
    """How many points the solver samples along `families` before any check by
    splitting: its steps times its sampled components, per family. A rough count of the
    work a run from no saved points does (a component that cannot be measured at one
    step is not sampled at the next).

    Examples:
        >>> from qec.noise import Depolarizing
        >>> from qec.overhead.designs import Design
        >>> design = Design(name="surface", noise=Depolarizing(p=1e-3))
        >>> planned_points(design.families(), Budget(measured_steps=4))
        8
    """
    return sum(sampled_steps(f, budget) * len(sampled_components(f)) for f in families)


TARGETS = tuple(10.0**-k for k in range(3, 12))  # 1e-3 ... 1e-11 per round
REPETITION_CAT = "repetition_cat"

# Direct sampling stops at 2e6 shots or 200 errors; stratified sampling and splitting
# at 2e6 fault sets, 20 s or +-20%. Single-family designs simulate d = 3..9, those with
# several families (nbar, aspect) d = 3..7. Beyond, the Lambda fits extrapolate, and
# each pick (with the next smaller candidate) is checked by splitting, 180 s a part: a
# splitting interval needs about 4 units, so large picks may finish none in that time
# (their rows say so; docs/tuning.md has the unit times measured).
BUDGET = Budget(
    measured_steps=4, max_shots=2_000_000, max_errors=200, max_seconds=20.0, verify_seconds=180.0
)
SMALL_BUDGET = dataclasses.replace(BUDGET, measured_steps=3)
# The repetition cat code is cheap: d = 3..21 for every nbar. Its local Lambda keeps
# falling with the distance, so short fits are optimistic: the longer range makes them
# less so (docs/tuning.md).
CAT_BUDGET = dataclasses.replace(BUDGET, measured_steps=10)
# thin_surface_cat is above threshold at k1_k2 = 1e-3 for every nbar (its data qubits are
# CX controls): a coarse nbar grid and the two extreme aspects show it.
THIN_NBARS = (4.0, 8.0, 12.0, 16.0, 20.0)
THIN_ASPECTS = (1.0, 3.0)
# Cat data with transmon ancillas at Ocelot's parameters: the repetition code is cheap
# (d = 3..13 for every nbar); the thin surface code is above threshold against Z errors
# at every nbar (its cats idle for several microseconds a round), shown on a coarse grid.
HYBRID_REPETITION_BUDGET = dataclasses.replace(BUDGET, measured_steps=6)
HYBRID_THIN_NBARS = (1.0, 2.0, 3.0)
# Neither thin design meets a target: their picks (unresolved, fits that reach 1/2) lie
# at distances where no splitting unit finishes in a check's time, so they are not
# checked (their rows say so).
THIN_BUDGET = dataclasses.replace(SMALL_BUDGET, verify_seconds=0.0)

# The LDPC-cat codes decode with BP+OSD, slow on one core and slower with the distance
# (benchmarks/ldpc_cat_decoding.py), and direct sampling stops at shots or errors, not
# seconds: d = 5 and 9 are sampled, 1,000 shots each, on three nbar values (bit flips
# need nbar ~ 16 for 1e-11). No pick is checked by splitting.
LDPC_CAT = "ldpc_cat"
LDPC_NBARS = (8.0, 12.0, 16.0)
LDPC_BUDGET = dataclasses.replace(
    BUDGET,
    measured_steps=2,
    max_shots=1_000,
    verify_seconds=0.0,
    decoder=LDPC_CAT_DECODER,
)


def planned(label: str, design: Design) -> tuple[Design, Budget]:
    """The design of the comparison called `label`, with its grids and budget.

    Examples:
        >>> from qec.noise import Depolarizing
        >>> design, budget = planned("surface", Design(name="surface", noise=Depolarizing(p=1e-3)))
        >>> budget.measured_steps, budget.verify_seconds
        (4, 180.0)
    """
    if label == REPETITION_CAT:
        return design, CAT_BUDGET
    if label == "thin_surface_cat":
        return dataclasses.replace(design, nbars=THIN_NBARS, aspects=THIN_ASPECTS), THIN_BUDGET
    if label == "repetition_cat_transmon":
        return design, HYBRID_REPETITION_BUDGET
    if label == "thin_surface_cat_transmon":
        thin = dataclasses.replace(design, nbars=HYBRID_THIN_NBARS, aspects=THIN_ASPECTS)
        return thin, THIN_BUDGET
    if label == LDPC_CAT:
        # The plan's grid within the nbars asked for (all of them when it has none there).
        nbars = tuple(n for n in LDPC_NBARS if min(design.nbars) <= n <= max(design.nbars))
        nbars = nbars or design.nbars
        # Its rows name the noise at the first nbar explored.
        noise = dataclasses.replace(design.noise, nbar=nbars[0])  # type: ignore[call-arg]
        return dataclasses.replace(design, nbars=nbars, noise=noise), LDPC_BUDGET
    return design, SMALL_BUDGET if len(design.families()) > 1 else BUDGET
