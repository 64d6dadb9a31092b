"""What-ifs for notebooks: change one assumption, get the footprint table back.

    from qec.overhead import Assumptions, compare, what_if
    table = compare(Assumptions(k1_k2=1e-4), designs=("surface", "repetition_cat"))
    print(table)
    table.plot(ax=ax)
    better_cats = what_if(k1_k2=1e-4, save="results/overhead.csv")

Results of every simulated point go to a sinter CSV (`save`), so asking again, or
asking a what-if that shares points with an earlier one, reuses them.
"""

from __future__ import annotations

import dataclasses
import pathlib
from collections.abc import Callable, Sequence
from typing import Any

from qec.errors import QecError
from qec.noise import SD6, SI1000, Biased, Cat, CatTransmon, Depolarizing, Ocelot
from qec.overhead.designs import (
    CAT_MODELS,
    DEFAULT_CAT_TRANSMON_NBARS,
    DEFAULT_NBARS,
    LDPC_CAT_DECODER,
    Design,
    QubitWeights,
)
from qec.overhead.plan import TARGETS, Budget, planned
from qec.overhead.solver import check_targets, family_cycles, footprint
from qec.overhead.table import FootprintTable
from qec.overhead.timing import PER_ROUND, Clock
from qec.sampling.core.decoders import check_decoder


@dataclasses.dataclass(frozen=True)
class Assumptions:
    """The hardware assumptions behind a comparison; defaults are today's hardware.

    - `p` = 1e-3: the physical error rate of today's superconducting qubits (about one
      failure per 1,000 operations), used by the transmon designs (`depolarizing`,
      `si1000`, `sd6`, `biased`).
    - `eta` = 100: the noise bias p_Z / (p_X + p_Y) of the biased-noise designs, a value
      used by Tuckett et al., PRL 124, 130501 (2020) and Bonilla Ataides et al. (2021).
    - `k1_k2` = 1e-3: kappa_1 / kappa_2 of cat qubits, the better end of today's
      experiments (1e-3 to 1e-2; Le Régent et al., Quantum 7, 1198 (2023)).
    - `t_cx` = 1 / kappa_2: the CX time of cat qubits (Gouzien et al., PRL 131, 040602
      (2023) take 1 / kappa_2 for every operation).
    - `nbar` = None: the mean photon number is a free design variable, explored over
      `nbars`; a number fixes it.
    - `weights`, `cat_weights`: what a transmon and a cat qubit count for (1 each; give
      2 to count each cat's buffer mode). The cat-transmon designs count their cats with
      `cat_weights.data` and their transmons with `weights.ancilla`.
    - `cat_transmon` = `Ocelot()`: the hybrid designs' hardware, cat data with transmon
      ancillas as on AWS's Ocelot chip (Putterman et al., Nature 638, 927 (2025); see
      `qec.noise.cat_transmon` for every number and its source); its nbar is explored
      over `cat_transmon_nbars` (or fixed by `nbar`).
    - `decoder` = "pymatching": sinter's decoder of the qubit designs (surface codes,
      XZZX), e.g. "pymatching-correlated" (correlated matching, Fowler's reweighting of
      X-Z correlations). With any but PyMatching their points are sampled directly (see
      `Budget`): rare rates stay bounds and picks are not checked. The cat designs,
      whose rates lie far below direct sampling, always decode with PyMatching.
    - `ldpc_decoder` = "bposd-ruiz25": the decoder of `ldpc_cat`, the BP+OSD of Ruiz et
      al. (2025) (its circuits' errors are hyperedges: no matching decoder applies).
    - `inv_kappa_2_ns` = 100: 1/kappa_2 of the cat qubits in ns, which times a cat round
      (LR23's five steps: 500 ns; `qec.overhead.timing`).
    - `transmon_round_us` = 1.1: a transmon surface-code round in us (Google's Willow,
      Acharya et al., Nature 638, 920 (2025)). The cat-transmon designs take their
      model's operation times instead (Ocelot: 2.8 us).
    """

    p: float = 1e-3
    eta: float = 100.0
    k1_k2: float = 1e-3
    t_cx: float = 1.0
    nbar: float | None = None
    nbars: tuple[float, ...] = DEFAULT_NBARS
    weights: QubitWeights = QubitWeights()
    cat_weights: QubitWeights = QubitWeights()
    cat_transmon: CatTransmon = Ocelot()
    cat_transmon_nbars: tuple[float, ...] = DEFAULT_CAT_TRANSMON_NBARS
    decoder: str = "pymatching"
    ldpc_decoder: str = LDPC_CAT_DECODER
    inv_kappa_2_ns: float = Clock().inv_kappa_2_ns
    transmon_round_us: float = Clock().transmon_round_us

    def __post_init__(self) -> None:
        check_decoder(self.decoder)
        check_decoder(self.ldpc_decoder)
        self.clock()  # checks the times

    def clock(self) -> Clock:
        """The times no noise model states (`qec.overhead.timing`)."""
        return Clock(inv_kappa_2_ns=self.inv_kappa_2_ns, transmon_round_us=self.transmon_round_us)

    def describe(self) -> str:
        """The assumptions in one sentence, for captions and reports.

        Examples:
            >>> Assumptions().describe()[:52]
            'transmon p = 0.001 (depolarizing, SI1000, SD6, biase'
        """
        nbar = (
            f"nbar = {self.nbar:g}"
            if self.nbar is not None
            else f"nbar free in {min(self.nbars):g}..{max(self.nbars):g}"
        )
        return (
            f"transmon p = {self.p:g} (depolarizing, SI1000, SD6, biased with eta = {self.eta:g}); "
            f"cat qubits kappa_1/kappa_2 = {self.k1_k2:g}, t_CX = {self.t_cx:g}/kappa_2, "
            f"{nbar}; {self.weights.rule} (cat: {self.cat_weights.rule}); cat data with "
            f"transmon ancillas: {self.cat_transmon.name} (cat T1 = {self.cat_transmon.cat_t1:g} "
            f"us, nbar {self._hybrid_nbars_text()}); decoder {self.decoder} "
            f"(LDPC-cat: {self.ldpc_decoder}); 1/kappa_2 = {self.inv_kappa_2_ns:g} ns, "
            f"transmon round {self.transmon_round_us:g} us"
        )

    def to_json(self) -> dict[str, Any]:
        """The assumptions as plain values (noise models by their spec, qubit weights by
        their rule), with `describe()` as "description".

        Examples:
            >>> Assumptions().to_json()["cat_transmon"][:17]
            'ocelot:nbar=1.5,c'
        """
        return {
            "p": self.p,
            "eta": self.eta,
            "k1_k2": self.k1_k2,
            "t_cx": self.t_cx,
            "nbar": self.nbar,
            "nbars": list(self.nbars),
            "weights": self.weights.rule,
            "cat_weights": self.cat_weights.rule,
            "cat_transmon": self.cat_transmon.spec(),
            "cat_transmon_nbars": list(self.cat_transmon_nbars),
            "decoder": self.decoder,
            "ldpc_decoder": self.ldpc_decoder,
            "inv_kappa_2_ns": self.inv_kappa_2_ns,
            "transmon_round_us": self.transmon_round_us,
            "description": self.describe(),
        }

    def _hybrid_nbars_text(self) -> str:
        nbars = self._hybrid_nbars()
        return f"= {nbars[0]:g}" if len(nbars) == 1 else f"free in {min(nbars):g}..{max(nbars):g}"

    def _hybrid_nbars(self) -> tuple[float, ...]:
        return (self.nbar,) if self.nbar is not None else self.cat_transmon_nbars

    def plan(
        self,
        label: str,
        *,
        budget: Budget | None = None,
        verify: bool = True,
        workers: int | None = None,
    ) -> tuple[Design, Budget]:
        """The design called `label` as the comparison explores it (`qec.overhead.plan`'s
        grids) with its budget: the plan's, or `budget`; without checks by splitting
        unless `verify`; on `workers` processes when given (`Budget.workers`); the qubit
        designs decode with `decoder`.

        Examples:
            >>> design, budget = Assumptions(decoder="pymatching-correlated").plan(
            ...     "surface (SI1000)", verify=False)
            >>> budget.decoder, budget.verify_seconds
            ('pymatching-correlated', 0.0)
        """
        design = self.designs()[label]
        explored, planned_budget = planned(label, design)
        used = budget or planned_budget
        if not verify:
            used = dataclasses.replace(used, verify_seconds=0.0)
        if workers is not None:
            used = dataclasses.replace(used, workers=workers)
        if not isinstance(design.noise, CAT_MODELS):
            used = dataclasses.replace(used, decoder=self.decoder)
        elif design.name == "ldpc_cat":
            used = dataclasses.replace(used, decoder=self.ldpc_decoder)
        return explored, used

    def labels(self, designs: Sequence[str] | None = None) -> list[str]:
        """The labels of the designs named in `designs` (labels, or design names such as
        "surface" for all its labels; None: every design), in the comparison's order.
        QecError for a name that is neither, or for none at all.

        Examples:
            >>> Assumptions().labels(["xzzx", "repetition_cat"])
            ['xzzx (biased)', 'repetition_cat']
            >>> Assumptions().labels(["repetition_cat", "toric"])  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            qec.errors.QecError: designs='toric' is not allowed: expected labels or design \
names among surface (depolarizing), ...
        """
        available = self.designs()
        names = set(available) | {d.name for d in available.values()}
        allowed = "labels or design names among " + ", ".join(available)
        for name in designs if designs is not None else ():
            if name not in names:
                raise QecError.invalid("designs", name, allowed)
        if designs is not None and not designs:
            raise QecError.invalid("designs", "", allowed)
        return [
            label
            for label, d in available.items()
            if designs is None or any(name in (label, d.name) for name in designs)
        ]

    def plans(
        self,
        labels: Sequence[str],
        *,
        budget: Budget | None = None,
        verify: bool = True,
        workers: int | None = None,
    ) -> dict[str, tuple[Design, Budget]]:
        """The `plan` of each label in `labels`, with every design's families built: a
        value that only one family refuses (an nbar of `nbars` too small for `t_cx`)
        raises QecError here, before any design is simulated.

        Examples:
            >>> chosen = Assumptions(nbars=(4.0, 0.01))
            >>> chosen.plans(["surface (SD6)", "repetition_cat"])  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            qec.errors.QecError: nbar=0.01...
        """
        plans = {
            label: self.plan(label, budget=budget, verify=verify, workers=workers)
            for label in labels
        }
        for design, _ in plans.values():
            design.families()
        return plans

    def designs(self) -> dict[str, Design]:
        """Every design of the comparison, by label."""
        cat = Cat(nbar=self.nbar or self.nbars[0], k1_k2=self.k1_k2, t_cx=self.t_cx)
        nbars = (self.nbar,) if self.nbar is not None else self.nbars
        biased = Biased(p=self.p, eta=self.eta)
        w, cw = self.weights, self.cat_weights
        hybrid = dataclasses.replace(self.cat_transmon, nbar=self._hybrid_nbars()[0])
        hybrid_weights = QubitWeights(data=cw.data, ancilla=w.ancilla)
        return {
            d.label: dataclasses.replace(d, clock=self.clock())
            for d in (
                Design(
                    name="surface",
                    noise=Depolarizing(p=self.p),
                    weights=w,
                    label="surface (depolarizing)",
                ),
                Design(name="surface", noise=SI1000(p=self.p), weights=w, label="surface (SI1000)"),
                Design(name="surface", noise=SD6(p=self.p), weights=w, label="surface (SD6)"),
                Design(name="surface", noise=biased, weights=w, label="surface (biased)"),
                Design(name="surface_rect", noise=biased, weights=w, label="surface_rect (biased)"),
                Design(name="xzzx", noise=biased, weights=w, label="xzzx (biased)"),
                Design(
                    name="repetition_cat",
                    noise=cat,
                    weights=cw,
                    nbars=nbars,
                    label="repetition_cat",
                ),
                Design(
                    name="thin_surface_cat",
                    noise=cat,
                    weights=cw,
                    nbars=nbars,
                    label="thin_surface_cat",
                ),
                Design(name="ldpc_cat", noise=cat, weights=cw, nbars=nbars, label="ldpc_cat"),
                *(
                    Design(
                        name=name,
                        noise=hybrid,
                        weights=hybrid_weights,
                        nbars=self._hybrid_nbars(),
                        label=name,
                    )
                    for name in ("repetition_cat_transmon", "thin_surface_cat_transmon")
                ),
            )
        }


def compare(
    assumptions: Assumptions = Assumptions(),
    *,
    designs: Sequence[str] | None = None,
    targets: Sequence[float] = TARGETS,
    budget: Budget | None = None,
    save: str | pathlib.Path | None = None,
    progress: Callable[[str], None] | None = None,
    verify: bool = True,
    per: str = PER_ROUND,
    workers: int | None = None,
) -> FootprintTable:
    """The footprint of every design (or those named in `designs`: a label, or a design
    name such as "surface" for all its labels) at every target, under `assumptions`,
    explored as the comparison's plan says (`qec.overhead.plan`: grids and budgets; a
    `budget` given replaces the plan's for every design). `verify=False` checks no pick
    by splitting (rows beyond the simulated sizes rest on the fits). The table carries
    the assumptions, and its `baseline_ratios()` compare every design with the surface
    code. `per="second"` takes the targets per second (`footprint`). `workers` replaces
    the budgets' workers (`Budget.workers`: more ask for more time where a check is
    bound by it).
    """
    rows = []
    labels = assumptions.labels(designs)
    plans = assumptions.plans(labels, budget=budget, verify=verify, workers=workers)
    checked = check_targets(targets, per)
    for explored, _ in plans.values():  # every design's targets, before any work
        family_cycles(explored, checked, per)
    for label, (explored, used) in plans.items():
        if progress is not None:
            progress(f"{label}: {len(explored.families())} families, {used}")
        rows += footprint(explored, targets, budget=used, save=save, progress=progress, per=per)
    return FootprintTable(rows=tuple(rows), assumptions=assumptions.to_json())


def what_if(
    *,
    designs: Sequence[str] | None = None,
    targets: Sequence[float] = TARGETS,
    budget: Budget | None = None,
    save: str | pathlib.Path | None = None,
    progress: Callable[[str], None] | None = None,
    verify: bool = True,
    per: str = PER_ROUND,
    workers: int | None = None,
    **changes: object,
) -> FootprintTable:
    """`compare` with the default assumptions changed by `changes`, e.g.
    `what_if(k1_k2=1e-4)` or `what_if(p=5e-4, designs=["surface"], progress=print)`."""
    fields = {f.name for f in dataclasses.fields(Assumptions)}
    for name in changes:
        if name not in fields:
            raise QecError.invalid("assumption", name, "one of " + ", ".join(sorted(fields)))
    return compare(
        dataclasses.replace(Assumptions(), **changes),  # type: ignore[arg-type]
        designs=designs,
        targets=targets,
        budget=budget,
        save=save,
        progress=progress,
        verify=verify,
        per=per,
        workers=workers,
    )
