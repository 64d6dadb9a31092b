"""Cat data qubits with transmon ancillas: the hybrid architecture of AWS's Ocelot chip.

Sources:

- [P25] H. Putterman et al., "Hardware-efficient quantum error correction via
  concatenated bosonic qubits", Nature 638, 927 (2025), arXiv:2409.13025 ('Ocelot'): a
  distance-5 phase-flip repetition code of five cat qubits (each stabilised through its
  own buffer mode) and four transmon ancillas, coupled by a noise-biased CX with the
  transmon as control and the cat as target (a rotation of the cat by pi conditioned on
  the transmon). Numbers quoted from its text: storage-mode T1 above 60 us; at nbar = 2,
  idle phase-flip times of 27-33 us and, under repeated CX gates, bit-flip and
  phase-flip errors of (3.5 +/- 0.4)e-3 and (9.6 +/- 0.4)e-2 per cycle; CX gates of
  292-552 ns across the device; a syndrome cycle of 2.8 us; logical errors per cycle of
  1.75(2)% (d = 3) and 1.65(3)% (d = 5, nbar = 1.5). The paper's body could not be
  read where this module was written: these quotes come from a note that cites the
  arXiv v2 text, and the figure and table numbers are unknown.
- [H24] C. T. Hann et al., "Hybrid cat-transmon architecture for scalable,
  hardware-efficient quantum error correction", arXiv:2410.23363 (2024): the same
  hybrid scaled to a thin rectangular surface code, whose Z checks use a cat-controlled
  gate on the transmon (its CR_X); only the abstract could be read.
- [GFG12] J. Ghosh, A. G. Fowler, M. R. Geller, PRA 86, 062318 (2012): the Pauli twirl of
  amplitude and phase damping, p_X = p_Y = (1 - exp(-t/T1)) / 4,
  p_Z = (1 - exp(-t/T2)) / 2 - (1 - exp(-t/T1)) / 4.
- [W25] Google Quantum AI, "Quantum error correction below the surface code
  threshold", Nature 638, 920 (2025), arXiv:2408.13687 ('Willow'): mean T1 68 us and
  T2 (CPMG) 89 us, 25 ns one-qubit gates (section "Gates and Readout"); one-qubit gate
  average error 0.035%, readout error 0.77% (the chip's published specification);
  reset error 1.5e-3 (error budget, Table S4). Read through notes that quote it; the
  locations are theirs.
- [GRLGS23] Gouzien et al., PRL 131, 040602 (2023), Eq. (D8): cat bit flips fall as
  exp(-2 nbar) (the same law as `qec.noise.cat`).

**Cats** (data). A cat with single-photon lifetime `cat_t1` loses photons at rate
nbar / cat_t1, and a time t gives it a phase flip (Z) with probability
f(nbar t / cat_t1), f(x) = (1 - exp(-2x)) / 2 (`qec.noise.cat_probabilities.phase_flip`).
With T1 = 60 us this gives a phase-flip time cat_t1 / nbar = 30 us at nbar = 2, inside
[P25]'s measured 27-33 us, and 8.5% per 2.8 us cycle, 11% below [P25]'s 9.6(4)% under CX
activity (the gate's own dephasing, left out here).

Bit flips (X and Y, half each) come at rate exp(-g (nbar - 2)) / cat_t_x2, g =
`cat_x_exponent`. `cat_t_x2` = 800 us is the bit-flip time at nbar = 2 under CX activity
([P25]: 3.5e-3 per 2.8 us cycle), and g = 2 is theory's exp(-2 nbar) (GRLGS23). [P25]
says the bit-flip time grows exponentially with nbar, but its measured rate could not
be read; a third party's fit of [P25]'s public data finds the logical bit flips falling
by 2.1-2.4 per photon (g = 0.74-0.88) at nbar <= 3, far slower than theory's e^2 = 7.4.
`qec.literature.ocelot_report` shows what each choice gives.

**Transmons** (ancillas): Pauli-twirled T1 and T2 decoherence [GFG12] during every
operation and wait, plus a depolarizing `gate_error` after each one-qubit gate, a
`reset_error` after each reset and a `readout_error` on each readout.

**The CX** (transmon control, cat target, [P25]) lasts `t_cx`; both qubits decohere
through it, half of it before the gate (so stim carries those faults through the
gate) and half after. Ocelot's ancilla uses the transmon levels g and f, and its main
decay, f -> e, neither stops the cat's rotation nor flips the cat: with `gf_ancilla` = 1
the decay part of a transmon's twirled noise (p_X + p_Y) becomes a Z on the transmon
alone (the decayed transmon's result is random; Ocelot's decoder uses the e outcome as
an erasure flag, ours does not). Transmon faults then reach the cat only as the
transmon's Pauli times {I, Z}. With `gf_ancilla` = 0 the ancilla is a plain g/e
transmon, and a decay before or inside the CX flips the cat (a bit flip) as a CX
propagates it. **The cat-controlled gate** of Z checks ([H24]'s CR_X, here a CX from
the cat onto the transmon with the same duration and decoherence) keeps the cat's bias:
a transmon Z in its first half reaches the cat as Z.

**A round** (`schedule`): transmons reset (R) and H, the CX layers, H, transmon readout
(M); cats idle through every step they sit out. Data cats are prepared in `t_reset`
(|+> or |alpha>, dephasing or flipping meanwhile) and read out through a transmon with
its `readout_error`.

**Not in [P25]'s readable text, chosen and stated**: the transmon's T1, T2 and errors
(see `CatTransmon`); the durations of the transmon's gates, readout and reset (the
2.8 us cycle less two CX gates, `t_cx` = 422 ns the middle of [P25]'s range, split as
`CatTransmon` says). **Left out**: leakage of transmons and cats, the erasure flags,
gate infidelity beyond decoherence, crosstalk.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable, Iterator, Sequence

import stim

from qec.circuits import AnnotatedCircuit, Gate, Layer, Schedule
from qec.errors import QecError
from qec.noise._model import (
    PAULI_PAIRS,
    Channel,
    NoiseModel,
    check_depolarizing,
    check_probability,
    positive,
)
from qec.noise.cat_probabilities import phase_flip

#: The mean photon number at which `cat_t_x2` is the bit-flip time ([P25]'s n = 2).
BIT_FLIP_REFERENCE_NBAR = 2.0

#: Operations of the hybrid's gate set, by the kinds they act on.
CAT_OPERATIONS = ("R", "RX", "M", "MX")
TRANSMON_OPERATIONS = ("R", "M", "H")

#: The parameters of a cat's decoherence (`CatTransmon.cat_phase_flip`, `cat_bit_flip`).
CAT_PARAMETERS = ("nbar", "cat_t1", "cat_t_x2", "cat_x_exponent")
#: The parameters of a transmon's decoherence (`CatTransmon.decoherence`).
TRANSMON_PARAMETERS = ("transmon_t1", "transmon_t2", "gf_ancilla")


def pauli_twirled_decoherence(duration: float, t1: float, t2: float) -> tuple[float, float, float]:
    """(p_X, p_Y, p_Z) of a qubit with relaxation time `t1` and coherence time `t2` after
    `duration` (same units): the Pauli twirl of amplitude and phase damping [GFG12].

    Examples:
        >>> [round(p, 6) for p in pauli_twirled_decoherence(1.0, 100.0, 100.0)]
        [0.002488, 0.002488, 0.002488]
    """
    decay = -math.expm1(-duration / t1) / 4
    return decay, decay, -math.expm1(-duration / t2) / 2 - decay


def through_cx(pauli: str, *, on_control: bool) -> str:
    """The two-qubit Pauli (control first) that a one-qubit `pauli` on the control or
    target of a CX becomes when it happens before the gate instead of after.

    Examples:
        >>> through_cx("X", on_control=True), through_cx("Z", on_control=False)
        ('XX', 'ZZ')
    """
    before = stim.PauliString(pauli + "_" if on_control else "_" + pauli)
    after = before.after(stim.Circuit("CX 0 1"))
    return str(after)[1:].replace("_", "I")


@dataclasses.dataclass(frozen=True)
class CatTransmon(NoiseModel):
    """Cat data qubits with transmon ancillas ([P25], [H24]); formulas and sources in
    `help(qec.noise.cat_transmon)`. Times in microseconds.

    The defaults are Ocelot's as far as [P25]'s readable text gives them (nbar is free).
    Its transmons' numbers could not be found; the defaults are those of Google Quantum
    AI's Willow chip [W25]: T1 = 68 us, T2 (CPMG) = 89 us, one-qubit gates of 25 ns with
    average error 3.5e-4 (DEPOLARIZE1(1.5 x 3.5e-4)), readout error 0.77%, reset error
    1.5e-3. The readout and reset durations are in neither paper's readable text: they
    share [P25]'s 2.8 us cycle less its two CX gates and two one-qubit gates equally
    (0.953 us each).

    Attributes:
        nbar: mean photon number of the cats.
        cat_t1: single-photon lifetime of a cat's storage mode ([P25]: above 60 us).
        cat_t_x2: a cat's bit-flip time at nbar = 2 under CX activity ([P25]: 3.5e-3
            per 2.8 us cycle, 800 us); it grows as exp(cat_x_exponent (nbar - 2)).
        cat_x_exponent: 2, the exp(-2 nbar) of theory (GRLGS23 Eq. (D8)).
        transmon_t1, transmon_t2: the transmon's relaxation and coherence times.
        gate_error: depolarizing error of a transmon's one-qubit gate.
        readout_error, reset_error: flip probability of a readout and of a reset.
        t_cx: CX duration ([P25]: 292-552 ns; 0.422 the middle).
        t_gate, t_readout, t_reset: durations of a one-qubit gate, a readout, a reset.
        gf_ancilla: 1 for Ocelot's g/f ancilla, whose decay does not flip the cat;
            0 for a plain transmon.
        ideal_data_ends: 1 to prepare and read the data cats without noise (the rate
            per round without the once-per-computation preparation and readout).

    Examples:
        >>> model = CatTransmon(nbar=2)
        >>> round(model.cat_phase_flip(2.8), 4)
        0.0851
        >>> round(model.cat_bit_flip(2.8), 5)
        0.00349
        >>> from qec.circuits import RepetitionCode
        >>> model.noisy_circuit(RepetitionCode(distance=3).memory_circuit(
        ...     rounds=2, basis="X")).num_detectors
        6
    """

    nbar: float
    cat_t1: float = 60.0
    cat_t_x2: float = 800.0
    cat_x_exponent: float = 2.0
    transmon_t1: float = 68.0
    transmon_t2: float = 89.0
    gate_error: float = 5.25e-4
    readout_error: float = 7.7e-3
    reset_error: float = 1.5e-3
    t_cx: float = 0.422
    t_gate: float = 0.025
    t_readout: float = 0.953
    t_reset: float = 0.953
    gf_ancilla: bool = True
    ideal_data_ends: bool = False

    name = "cat_transmon"

    checks = {
        **{n: positive() for n in ("nbar", "cat_x_exponent")},
        **{
            t: positive("microseconds")
            for t in ("cat_t1", "cat_t_x2", "transmon_t1", "transmon_t2")
            + ("t_cx", "t_gate", "t_readout", "t_reset")
        },
        "gate_error": check_depolarizing,
        "readout_error": check_probability,
        "reset_error": check_probability,
    }
    flags = ("gf_ancilla", "ideal_data_ends")

    def check_together(self) -> None:
        """Refuses transmon_t2 above 2 transmon_t1 (no Pauli twirl), and parameters that
        give any channel that is not a probability distribution: a cat's or a transmon's
        over each duration of an operation or its half (the CX's), and the CX's two-qubit
        channel either way round."""
        if not self.transmon_t2 <= 2 * self.transmon_t1:
            raise QecError.invalid(
                "transmon_t2",
                self.transmon_t2,
                f"at most 2 * transmon_t1 = {2 * self.transmon_t1:g}",
            )
        durations = [("half of t_cx", "t_cx", self.t_cx / 2)]
        durations += [(t, t, getattr(self, t)) for t in ("t_cx", "t_gate", "t_readout", "t_reset")]
        for label, parameter, duration in durations:
            self.check_derived(
                f"a cat's channel (X, Y, Z) over {label}",
                (*CAT_PARAMETERS, parameter),
                functools.partial(self.decoherence, "cat", duration, controls_cat=False),
            )
            for controls_cat in (False, True):
                self.check_derived(
                    f"a transmon's channel (X, Y, Z) over {label}",
                    (*TRANSMON_PARAMETERS, parameter),
                    functools.partial(
                        self.decoherence, "transmon", duration, controls_cat=controls_cat
                    ),
                )
        for control in ("transmon", "cat"):
            self.check_derived(
                f"the two-qubit channel of a CX with a {control} control",
                (*CAT_PARAMETERS, *TRANSMON_PARAMETERS, "t_cx"),
                functools.partial(self._cx_two_qubit_channel, control),
            )

    # Physics ---------------------------------------------------------------------------
    def cat_phase_flip(self, duration: float) -> float:
        """Z probability of a cat over `duration`: f(nbar duration / cat_t1)."""
        return phase_flip(self.nbar * duration / self.cat_t1)

    def cat_bit_flip(self, duration: float) -> float:
        """X-or-Y probability of a cat over `duration`, at rate
        exp(-cat_x_exponent (nbar - 2)) / cat_t_x2 (odd number of flips)."""
        growth = self.cat_x_exponent * (self.nbar - BIT_FLIP_REFERENCE_NBAR)
        rate = math.exp(-growth) / self.cat_t_x2
        return phase_flip(rate * duration)

    def decoherence(
        self, kind: str | None, duration: float, *, controls_cat: bool
    ) -> tuple[float, float, float]:
        """(p_X, p_Y, p_Z) of a qubit of `kind` over `duration`. `controls_cat`: a
        transmon that controls CX gates onto cats, whose decay (with `gf_ancilla`) is a
        Z on the transmon alone."""
        if kind == "cat":
            bit = self.cat_bit_flip(duration) / 2
            return bit, bit, self.cat_phase_flip(duration)
        p_x, p_y, p_z = pauli_twirled_decoherence(duration, self.transmon_t1, self.transmon_t2)
        if self.gf_ancilla and controls_cat:
            return 0.0, 0.0, p_x + p_y + p_z
        return p_x, p_y, p_z

    def duration(self, gate: Gate) -> float:
        """How long `gate` takes."""
        return {
            "CX": self.t_cx,
            "H": self.t_gate,
            "R": self.t_reset,
            "RX": self.t_reset,
            "M": self.t_readout,
            "MX": self.t_readout,
        }[gate.name]

    def cx_channels(
        self, control_kind: str
    ) -> tuple[tuple[float, ...], tuple[float, float, float], tuple[float, float, float]]:
        """The noise of a CX from a `control_kind` qubit ("transmon" or "cat") onto the
        other kind: the PAULI_CHANNEL_2 (stim's order, control first) of both qubits'
        decoherence in the gate's first half, carried through the gate, then the
        PAULI_CHANNEL_1 of the control's and of the target's in its second half.

        Examples:
            >>> both, control, target = CatTransmon(nbar=2).cx_channels("transmon")
            >>> round(sum(both), 6) == round(sum(control) + sum(target), 6)
            True
        """
        target_kind = "cat" if control_kind == "transmon" else "transmon"
        half = self.t_cx / 2
        control = self.decoherence(control_kind, half, controls_cat=control_kind == "transmon")
        target = self.decoherence(target_kind, half, controls_cat=False)
        weights: dict[str, float] = {}
        for on_control, probabilities in ((True, control), (False, target)):
            for pauli, p in zip("XYZ", probabilities, strict=True):
                before = through_cx(pauli, on_control=on_control)
                weights[before] = weights.get(before, 0.0) + p
        return tuple(weights.get(p, 0.0) for p in PAULI_PAIRS), control, target

    def _cx_two_qubit_channel(self, control_kind: str) -> tuple[float, ...]:
        """The PAULI_CHANNEL_2 of `cx_channels`."""
        return self.cx_channels(control_kind)[0]

    # Hooks -----------------------------------------------------------------------------
    def schedule(self) -> Schedule:
        """Cats on the data, transmons on the ancillas (unless the circuit says), the
        transmon's X basis through H, readout and reset as two steps."""
        return Schedule(
            separate_measure_reset=True,
            x_basis_by_hadamard_on="transmon",
            kinds=("cat", "transmon"),
        )

    def after_gate(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> Iterable[Channel]:
        self._check(gate, circuit)
        if gate.name == "CX":
            yield from self._cx_noise(gate, circuit)
            return
        targets = gate.targets
        if self._is_ideal_end(layer, circuit):
            targets = tuple(q for q in targets if q in circuit.ancilla_qubits)
        for kind, group in _by_kind(targets, circuit):
            if gate.is_reset and kind == "transmon":
                yield Channel("X_ERROR", group, (self.reset_error,))
                continue
            if gate.name == "H":
                yield Channel("DEPOLARIZE1", group, (self.gate_error,))
            yield from self._decay(group, kind, self.duration(gate), circuit)

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        self._check(gate, circuit)
        if self._is_ideal_end(layer, circuit) and not set(gate.targets) & circuit.ancilla_qubits:
            return 0.0
        return self.readout_error

    def idle(
        self, qubits: Sequence[int], layer: Layer, circuit: AnnotatedCircuit
    ) -> Iterable[Channel]:
        if not layer.gates or self._is_ideal_end(layer, circuit):
            return
        duration = max(self.duration(gate) for gate in layer.gates)
        for kind, group in _by_kind(qubits, circuit):
            yield from self._decay(group, kind, duration, circuit)

    # Parts -----------------------------------------------------------------------------
    def _is_ideal_end(self, layer: Layer, circuit: AnnotatedCircuit) -> bool:
        """Whether `layer` prepares or reads out the data and those are ideal here."""
        return self.ideal_data_ends and circuit.is_data_end(layer)

    def _decay(
        self, qubits: tuple[int, ...], kind: str | None, duration: float, circuit: AnnotatedCircuit
    ) -> Iterator[Channel]:
        controls = _cat_controls(circuit)
        for controls_cat in (False, True):
            group = tuple(q for q in qubits if (q in controls) == controls_cat)
            if group:
                probabilities = self.decoherence(kind, duration, controls_cat=controls_cat)
                yield Channel("PAULI_CHANNEL_1", group, probabilities)

    def _cx_noise(self, gate: Gate, circuit: AnnotatedCircuit) -> Iterator[Channel]:
        """Each qubit decoheres through the gate: half before it (carried through the
        CX), half after."""
        by_orientation: dict[str, list[int]] = {}
        for c, t in zip(gate.targets[::2], gate.targets[1::2], strict=True):
            kinds = (circuit.kind(c), circuit.kind(t))
            if kinds not in (("transmon", "cat"), ("cat", "transmon")):
                raise QecError.invalid(
                    "circuit", f"CX {c} {t} between a {kinds[0]} and a {kinds[1]}",
                    "CX gates between a transmon and a cat (the cat_transmon model)",
                )  # fmt: skip
            by_orientation.setdefault(str(kinds[0]), []).extend((c, t))
        for control_kind, targets in by_orientation.items():
            both, control, target = self.cx_channels(control_kind)
            yield Channel("PAULI_CHANNEL_2", tuple(targets), both)
            yield Channel("PAULI_CHANNEL_1", tuple(targets[::2]), control)
            yield Channel("PAULI_CHANNEL_1", tuple(targets[1::2]), target)

    def _check(self, gate: Gate, circuit: AnnotatedCircuit) -> None:
        for kind, group in _by_kind(gate.targets, circuit):
            allowed = {"cat": CAT_OPERATIONS, "transmon": TRANSMON_OPERATIONS}.get(str(kind), ())
            if gate.name != "CX" and gate.name not in allowed:
                raise QecError.invalid(
                    "gate", f"{gate.name} on {kind} qubits {list(group)}",
                    "for cats: " + ", ".join(CAT_OPERATIONS) + "; for transmons: "
                    + ", ".join(TRANSMON_OPERATIONS) + "; and CX between a transmon and a cat",
                )  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Ocelot(CatTransmon):
    """AWS's Ocelot chip [P25]: `CatTransmon` at nbar = 1.5, where [P25] measured its
    best distance-5 logical error per cycle (1.65%).

    Examples:
        >>> Ocelot().nbar, Ocelot(nbar=1).spec().split(",")[0]
        (1.5, 'ocelot:nbar=1')
    """

    nbar: float = 1.5

    name = "ocelot"


def _by_kind(
    qubits: Sequence[int], circuit: AnnotatedCircuit
) -> Iterator[tuple[str | None, tuple[int, ...]]]:
    kinds: dict[str | None, list[int]] = {}
    for q in qubits:
        kinds.setdefault(circuit.kind(q), []).append(q)
    for kind, group in kinds.items():
        yield kind, tuple(group)


_last_controls: list[tuple[AnnotatedCircuit, frozenset[int]]] = []


def _cat_controls(circuit: AnnotatedCircuit) -> frozenset[int]:
    """The transmons that control CX gates onto cats (X-check ancillas), remembered for
    the circuit being made noisy."""
    if _last_controls and _last_controls[0][0] is circuit:
        return _last_controls[0][1]
    controls = frozenset(
        c
        for layer in circuit.layers
        for gate in layer.gates
        if gate.name == "CX"
        for c in gate.targets[::2]
        if circuit.kind(c) == "transmon"
    )
    _last_controls[:] = [(circuit, controls)]
    return controls
