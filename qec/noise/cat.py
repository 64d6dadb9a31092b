"""Cat qubits stabilised by two-photon dissipation: bias-preserving circuit-level noise.

A cat qubit stores |0>, |1> as the coherent states |+alpha>, |-alpha> of an oscillator,
held in place by two-photon dissipation at rate kappa_2. Single-photon loss at rate
kappa_1 makes phase flips (Z) at rate kappa_1 * nbar, nbar = |alpha|^2 the mean photon
number; bit flips (X) need a jump between +alpha and -alpha and are suppressed like
exp(-2 nbar). Times are in units of 1/kappa_2 of the data qubits, k = kappa_1/kappa_2.

Sources:

- [LR23] F.-M. Le Régent, C. Berdou, Z. Leghtas, J. Guillaud, M. Mirrahimi,
  "High-performance repetition cat code using fast noisy operations", Quantum 7, 1198
  (2023), arXiv:2212.11927: the model below, as its authors' code defines it
  (github.com/francois-marie/High-perfomance-repetition-cat-code-using-fast-noisy-
  operations: `qsim/utils/error_model.py`, `CNOTAnalyticalAsymmetric`; the round of
  `qsim/logical_gate/lidle.py`; the process tomography of `fixed_cnot_gate_time.ipynb`);
- [GRLGS23] E. Gouzien, D. Ruiz, F.-M. Le Régent, J. Guillaud, N. Sangouard, PRL 131,
  040602 (2023), arXiv:2302.06639: the same model with every step 1/kappa_2, the CX
  bit flip of Eq. (D8), the round of its code (github.com/ElieGouzien/elliptic_log_cat);
- [C22] C. Chamberland et al., PRX Quantum 3, 010329 (2022), arXiv:2012.04108, Table II
  and Eq. (38): Z-basis preparation and readout;
- [GCM23] J. Guillaud, J. Cohen, M. Mirrahimi, SciPost Phys. Lect. Notes 72 (2023),
  arXiv:2203.03222, Fig. 7: bit flips of an idle cat, with the prefactor that Alice &
  Bob's qiskit-alice-bob-provider (`processor/physical_cat.py`) fits to it.

The equation numbers of GRLGS23 and C22 are those quoted in the authors' and Alice &
Bob's code; the paper texts could not be read where this module was written.

**Round** (LR23, GRLGS23): prepare the ancillas in |+>, CX, a cooldown in which every
qubit waits (the cats reconverge), CX, measure the ancillas in X; each step lasts
1/kappa_2 in the fixed-CNOT model. `Cat.schedule` lays rounds out so (measurement and
reset as two steps, the wait between the CX layers), and every waiting qubit idles
through every step.

**Phase flips.** A qubit with loss rate kappa_1 nbar for a time t flips with
f(kappa_1 nbar t), f(x) = (1 - exp(-2x)) / 2 (a Poisson number of Z errors, odd; LR23's
`exponentiel_proba`). An ancilla has kappa_2^a = theta kappa_2 and, as in LR23,
kappa_1^a = theta kappa_1 (the same k):

==========================  ====================================================  ======
operation (duration t)      Z probability                                         source
==========================  ====================================================  ======
idle                        f(kappa_1 nbar t) (data), f(theta kappa_1 nbar t)     LR23
RX (prepare |+>), t_prep    Z with the idle probability of the qubit over t        LR23
MX (measure X), t_meas      result flipped with the idle probability over t        LR23
CX, Z on control (Z1)       combine(pi^2 / (64 nbar t kbar_2), f(kappa_1c nbar t))  LR23
CX, Z on target (Z2)        f(kappa_1t nbar t / 2)                                 LR23
CX, Z1 Z2                   f(kappa_1t nbar t / 2)                                 LR23
==========================  ====================================================  ======

combine(p, q) = p (1 - q) + q (1 - p), kbar_2 = (kappa_2 of control + of target) / 2.
The pi^2 / (64 nbar kappa_2 T) term is the non-adiabatic error of the CX (C22; LR23):
it falls as the gate gets slower while the loss terms grow, and it hits only the
control, which in the repetition code is the ancilla. LR23's full simulation of the gate
at T = 1/kappa_2 gives Z1 12-16% above this analytic term for nbar = 4..8
(`LR23_SIMULATED_CX_CONTROL_PHASE_FLIP`); LR23's thresholds, and this model, use the
analytic one.

**Bit flips.**

- CX: CX_BIT_FLIP_PREFACTOR exp(-2 nbar) in total (GRLGS23 Eq. (D8); LR23 fits 0.5047),
  spread over the Paulis as LR23's process tomography at nbar = 4 found them
  (`CX_BIT_FLIP_SHARES`: mostly on the target).
- idle for t: X and Y each 0.55e-3 kappa_1 nbar exp(-2 nbar) t, 1.1e-3 in all (GCM23
  Fig. 7, prefactor of Alice & Bob's fit).
- R (prepare |0> = |alpha>): X with 0.39 exp(-4 nbar), lasting 0.1 / nbar (C22 Table II).
- M (measure Z): result flipped with exp(-1.5 - 0.9 nbar), lasting t_meas_z = 8.5
  (850 ns at 1/kappa_2 = 100 ns; C22 Eq. (38)).

**Left out**: leakage out of the cat manifold (LR23 samples it with its full model:
7e-3 per CX at nbar = 4, T = 1/kappa_2), the growth of the CX bit flip with theta, the
data "reconvergence" wait that LR23 insert every theta rounds, and noise during
classical processing. LR23 prepare and read the data perfectly (`ideal_data_ends`, set
by the LR23 presets); by default the data preparation and readout are as noisy as any
other operation.

H and CZ (no bias-preserving version) raise `QecError`.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence

from qec.circuits import AnnotatedCircuit, Gate, Layer, Schedule
from qec.errors import QecError
from qec.noise._model import PAULI_PAIRS, Channel, NoiseModel, positive
from qec.noise.cat_probabilities import BitFlips, PhaseFlips, combine, phase_flip

#: The non-adiabatic phase flip of the CX control is NON_ADIABATIC_CX / (nbar kbar_2 T):
#: pi^2 / 64 (C22; LR23 `CNOTAnalyticalAsymmetric`).
NON_ADIABATIC_CX = math.pi**2 / 64

#: LR23's full simulation of the CX at T = 1/kappa_2, k = 1e-5: the control's phase flip
#: by nbar (`fixed_cnot_gate_time.ipynb`, process tomography), for comparison.
LR23_SIMULATED_CX_CONTROL_PHASE_FLIP = {
    4: 0.043078,
    5: 0.03504,
    6: 0.029475,
    7: 0.025431,
    8: 0.022371,
}

#: Total bit-flip probability of a CX is CX_BIT_FLIP_PREFACTOR * exp(-2 nbar): GRLGS23,
#: Eq. (D8).
CX_BIT_FLIP_PREFACTOR = 0.5

#: How a CX's bit flips spread over the two-qubit Paulis (control first): LR23's process
#: tomography at nbar = 4, T = 1/kappa_2 (1e-6 units: X2 46, Z1X2 43, X1X2 40, Y1X2 33,
#: Y1 13, X1 10; the rest below 1e-6), normalised.
CX_BIT_FLIP_SHARES = {
    pauli: weight / 185
    for pauli, weight in {"IX": 46, "ZX": 43, "XX": 40, "YX": 33, "YI": 13, "XI": 10}.items()
}

#: An idle cat gets X and Y each with IDLE_BIT_FLIP_PREFACTOR / 2 * kappa_1 nbar t
#: exp(-2 nbar): GCM23 Fig. 7 (1e-11 at nbar = 8, k = 1e-2, t = 1/kappa_2).
IDLE_BIT_FLIP_PREFACTOR = 1.1e-3

#: Z-basis preparation: X with Z_PREP_BIT_FLIP[0] exp(-Z_PREP_BIT_FLIP[1] nbar), in
#: 0.1 / nbar (C22 Table II). Z readout: flipped with exp(-1.5 - 0.9 nbar) (C22 Eq. (38)).
Z_PREP_BIT_FLIP = (0.39, 4.0)
Z_READOUT_FLIP = (1.5, 0.9)

SUPPORTED_GATES = ("RX", "MX", "MRX", "R", "M", "MR", "CX")

#: The parameters that each gate's duration comes from (`Cat._gate_duration`), and those
#: of a qubit's loss rate kappa_1 nbar (`Cat._loss`).
DURATION_PARAMETERS = {
    "CX": ("t_cx",), "RX": ("t_prep",), "MX": ("t_meas",), "MRX": ("t_meas", "t_prep"),
    "R": ("nbar",), "M": ("t_meas_z",), "MR": ("t_meas_z", "nbar"),
}  # fmt: skip
LOSS_PARAMETERS = ("nbar", "k1_k2", "theta")


@dataclasses.dataclass(frozen=True)
class Cat(NoiseModel):
    """Circuit-level noise of cat qubits: the model of Le Régent et al. (LR23) and
    Gouzien et al. (GRLGS23); formulas and sources in `help(qec.noise.cat)`.

    The defaults are LR23's fixed-CNOT model, which GRLGS23 also use: every step of the
    round (prepare, CX, cooldown, CX, measure) lasts 1/kappa_2 and theta = 1.
    `Cat.lr23(...)` and `Cat.lr23_optimized_gate(...)` give LR23's other settings.

    Attributes:
        nbar: mean photon number |alpha|^2 of every cat qubit.
        k1_k2: kappa_1 / kappa_2 of every cat (today about 1e-3 to 1e-2).
        theta: kappa_2 of the ancillas over kappa_2 of the data (LR23's Theta).
        t_cx: CX duration, in 1/kappa_2 of the data.
        t_prep: |+> preparation time.
        t_meas: X measurement time.
        t_cooldown: the wait between the two CX layers (0: no wait).
        t_meas_z: Z measurement time (C22: 850 ns, 8.5 at 1/kappa_2 = 100 ns).
        ideal_data_ends: 1 to prepare and read the data qubits without noise, as LR23's
            simulations do (0, the default: as noisy as every other operation).

    Examples:
        >>> model = Cat(nbar=8)
        >>> model.spec()
        'cat:nbar=8,k1_k2=0.001,theta=1,t_cx=1,t_prep=1,t_meas=1,t_cooldown=1,t_meas_z=8.5,\
ideal_data_ends=0'
        >>> flips = model.phase_flip_probabilities()
        >>> round(flips.idle, 6), round(flips.cx_control, 6), round(flips.cx_target, 6)
        (0.007936, 0.026907, 0.003984)
        >>> f"{model.bit_flip_probabilities().cx:.2e}"
        '5.63e-08'
        >>> from qec.circuits import RepetitionCode
        >>> model.noisy_circuit(RepetitionCode(distance=3).memory_circuit(
        ...     rounds=2, basis="X")).num_detectors
        6
        >>> Cat(nbar=0.01)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: nbar=0.01 is not allowed: expected parameters for which the \
CX's non-adiabatic phase flip pi^2/(64*nbar*t_cx*kbar_2) (C22, LR23) is in [0, 0.5]; here \
it is 15.4 (with theta=1.0, t_cx=1.0)
    """

    nbar: float
    k1_k2: float = 1e-3
    theta: float = 1.0
    t_cx: float = 1.0
    t_prep: float = 1.0
    t_meas: float = 1.0
    t_cooldown: float = 1.0
    t_meas_z: float = 8.5
    ideal_data_ends: bool = False

    name = "cat"

    checks = {
        "nbar": positive("mean photon number"),
        "k1_k2": positive("kappa_1 / kappa_2"),
        "theta": positive("kappa_2 of the ancillas / of the data"),
        **{t: positive("in 1/kappa_2") for t in ("t_cx", "t_prep", "t_meas", "t_meas_z")},
        "t_cooldown": positive("in 1/kappa_2; 0: no wait", or_zero=True),
    }
    flags = ("ideal_data_ends",)

    def check_together(self) -> None:
        """Refuses parameters that put the CX's non-adiabatic phase flip, or the bit flips
        (X + Y) of a waiting qubit, above 1/2, or that make the channel of a CX or of a
        waiting qubit other than a probability distribution: for every role (ancilla or
        data) and every duration of a layer (the waits of t_prep and t_meas give the phase
        flips of |+> preparation and X measurement). The flips of Z-basis preparation and
        readout are below 1 for any nbar > 0."""
        self.check_derived(
            "the CX's non-adiabatic phase flip pi^2/(64*nbar*t_cx*kbar_2) (C22, LR23)",
            ("nbar", "theta", "t_cx"),
            lambda: self._non_adiabatic(control_is_ancilla=True, target_is_ancilla=False),
            at_most=0.5,
        )
        for control, target in itertools.product((True, False), repeat=2):
            self.check_derived(
                "the CX's Pauli channel (Z1, Z2, Z1 Z2 and bit flips)",
                (*LOSS_PARAMETERS, "t_cx"),
                functools.partial(
                    self.cx_pauli_channel, control_is_ancilla=control, target_is_ancilla=target
                ),
            )
        for ancilla, (layer, parameters, duration) in itertools.product(
            (True, False), self._layer_durations()
        ):
            wait = f"{'an ancilla' if ancilla else 'a data qubit'} waiting out {layer}"
            self.check_derived(
                f"the bit flips (X + Y) of {wait}",
                (*LOSS_PARAMETERS, *parameters),
                functools.partial(self._idle_bit_flips, duration, ancilla),
                at_most=0.5,
            )
            self.check_derived(
                f"the channel (X, Y, Z) of {wait}",
                (*LOSS_PARAMETERS, *parameters),
                functools.partial(self._idle_channel, duration, ancilla),
            )

    # Presets -----------------------------------------------------------------------------
    @classmethod
    def lr23(cls, *, nbar: float, k1_k2: float, theta: float = 1.0) -> Cat:
        """LR23's model with ancilla dissipation theta times the data's: every step of the
        round lasts 1/(theta kappa_2) (theta = 1: the fixed-CNOT model, the default).

        Examples:
            >>> Cat.lr23(nbar=8, k1_k2=1e-3, theta=5).t_cx
            0.2
        """
        cls.check_parameters({"nbar": nbar, "k1_k2": k1_k2, "theta": theta})
        step = _preset_step({"theta": theta}, "the step 1/theta", lambda: 1 / theta)
        return cls(
            nbar=nbar, k1_k2=k1_k2, theta=theta, t_cx=step, t_prep=step, t_meas=step,
            t_cooldown=step, ideal_data_ends=True,
        )  # fmt: skip

    @classmethod
    def lr23_optimized_gate(cls, *, nbar: float, k1_k2: float) -> Cat:
        """LR23's optimized-gate model: the CX time T* = pi / (8 sqrt(2) nbar sqrt(k))
        that minimises its phase flips (Z1 = 3p, Z2 = Z1 Z2 = p/2, p = kappa_1 nbar T*),
        preparation and measurement as long, and no cooldown.

        Examples:
            >>> model = Cat.lr23_optimized_gate(nbar=8, k1_k2=1e-4)
            >>> flips = model.phase_flip_probabilities()
            >>> round(flips.cx_control / flips.prep, 2), model.t_cooldown
            (2.99, 0)
        """
        cls.check_parameters({"nbar": nbar, "k1_k2": k1_k2})
        step = _preset_step(
            {"nbar": nbar, "k1_k2": k1_k2},
            "the CX time pi/(8*sqrt(2)*nbar*sqrt(k1_k2))",
            lambda: math.pi / (8 * math.sqrt(2) * nbar * math.sqrt(k1_k2)),  # LR23
        )
        return cls(
            nbar=nbar, k1_k2=k1_k2, t_cx=step, t_prep=step, t_meas=step, t_cooldown=0,
            ideal_data_ends=True,
        )  # fmt: skip

    # Per-operation probabilities -----------------------------------------------------
    def phase_flip_probabilities(self) -> PhaseFlips:
        """The phase-flip (Z) probability of each operation (see `PhaseFlips`).

        Examples:
            >>> slow = Cat(nbar=10, k1_k2=1e-4, t_cx=2).phase_flip_probabilities()
            >>> round(slow.prep, 6), round(slow.cx_control, 6), round(slow.cx_both, 6)
            (0.000999, 0.009676, 0.000999)
        """
        z1, z2, z12 = self._cx_phase_flips(control_is_ancilla=True, target_is_ancilla=False)
        return PhaseFlips(
            prep=self._idle_phase_flip(self.t_prep, ancilla=True),
            measurement=self._idle_phase_flip(self.t_meas, ancilla=True),
            idle=self._idle_phase_flip(1.0, ancilla=False),
            cx_control=z1,
            cx_target=z2,
            cx_both=z12,
        )

    def bit_flip_probabilities(self) -> BitFlips:
        """The bit-flip probability of each operation (see `BitFlips`): each falls like
        exp(-2 nbar) or faster.

        Examples:
            >>> flips = Cat(nbar=8, k1_k2=1e-2).bit_flip_probabilities()
            >>> f"{flips.cx:.3e}", f"{flips.idle:.2e}", f"{flips.measurement:.1e}"
            ('5.627e-08', '9.90e-12', '1.7e-04')
        """
        return BitFlips(
            cx=CX_BIT_FLIP_PREFACTOR * math.exp(-2 * self.nbar),  # GRLGS23 Eq. (D8)
            idle=2 * self._idle_bit_flip_each(1.0, ancilla=False),
            prep=Z_PREP_BIT_FLIP[0] * math.exp(-Z_PREP_BIT_FLIP[1] * self.nbar),  # C22
            measurement=math.exp(-Z_READOUT_FLIP[0] - Z_READOUT_FLIP[1] * self.nbar),  # C22
        )

    def cx_pauli_channel(
        self, *, control_is_ancilla: bool = True, target_is_ancilla: bool = False
    ) -> tuple[float, ...]:
        """The 15 PAULI_CHANNEL_2 probabilities of a CX in stim's order (IX, IY, ..., ZZ),
        the control first.

        Examples:
            >>> channel = Cat(nbar=8).cx_pauli_channel()
            >>> [round(p, 4) for p in channel if p > 1e-6]
            [0.004, 0.0269, 0.004]
        """
        z1, z2, z12 = self._cx_phase_flips(
            control_is_ancilla=control_is_ancilla, target_is_ancilla=target_is_ancilla
        )
        bit_flips = self.bit_flip_probabilities().cx
        weights = {"ZI": z1, "IZ": z2, "ZZ": z12}
        for pauli, share in CX_BIT_FLIP_SHARES.items():
            weights[pauli] = weights.get(pauli, 0.0) + share * bit_flips
        return tuple(weights.get(pauli, 0.0) for pauli in PAULI_PAIRS)

    def layer_duration(self, layer: Layer) -> float:
        """How long `layer` takes in units of 1/kappa_2: its longest operation, or
        t_cooldown for a layer where everyone waits.

        Examples:
            >>> from qec.circuits import Gate, Layer
            >>> Cat(nbar=8, t_meas=2).layer_duration(Layer(gates=(Gate("MX", (1, 3)),)))
            2.0
        """
        if not layer.gates:
            return float(self.t_cooldown)
        return max(self._gate_duration(gate) for gate in layer.gates)

    # Hooks -----------------------------------------------------------------------------
    def schedule(self) -> Schedule:
        """LR23's round: measurement and reset in two steps, a wait between the CX layers
        (unless t_cooldown = 0)."""
        return Schedule(
            separate_measure_reset=True, idle_between_two_qubit_layers=self.t_cooldown > 0
        )

    def after_gate(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> Iterable[Channel]:
        self._check_supported(gate, circuit)
        ancillas = circuit.ancilla_qubits
        if self._is_ideal_end(layer, circuit):
            gate = Gate(gate.name, tuple(q for q in gate.targets if q in ancillas))
        if gate.name in ("RX", "MRX"):
            for group, ancilla in _by_role(gate.targets, ancillas):
                yield Channel("Z_ERROR", group, (self._idle_phase_flip(self.t_prep, ancilla),))
        elif gate.name in ("R", "MR"):
            yield Channel("X_ERROR", gate.targets, (self.bit_flip_probabilities().prep,))
        elif gate.name == "CX":
            pairs: dict[tuple[bool, bool], list[int]] = {}
            for c, t in zip(gate.targets[::2], gate.targets[1::2], strict=True):
                pairs.setdefault((c in ancillas, t in ancillas), []).extend((c, t))
            for (control_is_ancilla, target_is_ancilla), targets in pairs.items():
                channel = self.cx_pauli_channel(
                    control_is_ancilla=control_is_ancilla, target_is_ancilla=target_is_ancilla
                )
                yield Channel("PAULI_CHANNEL_2", tuple(targets), channel)

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        self._check_supported(gate, circuit)
        if self._is_ideal_end(layer, circuit) and not set(gate.targets) & circuit.ancilla_qubits:
            return 0.0
        if gate.basis == "Z":
            return self.bit_flip_probabilities().measurement
        roles = {q in circuit.ancilla_qubits for q in gate.targets}
        if len(roles) > 1 and self.theta != 1:
            raise QecError.invalid(
                "circuit", f"{gate.name} on data and ancillas at once",
                "measurements of one role per layer when theta != 1",
            )  # fmt: skip
        return self._idle_phase_flip(self.t_meas, ancilla=roles.pop())

    def idle(
        self, qubits: Sequence[int], layer: Layer, circuit: AnnotatedCircuit
    ) -> Iterable[Channel]:
        if self._is_ideal_end(layer, circuit):
            return
        duration = self.layer_duration(layer)
        for group, ancilla in _by_role(qubits, circuit.ancilla_qubits):
            yield Channel("PAULI_CHANNEL_1", group, self._idle_channel(duration, ancilla))

    def _idle_channel(self, duration: float, ancilla: bool) -> tuple[float, float, float]:
        """(p_X, p_Y, p_Z) of a qubit that waits `duration`."""
        each = self._idle_bit_flip_each(duration, ancilla)
        return each, each, self._idle_phase_flip(duration, ancilla)

    def _idle_bit_flips(self, duration: float, ancilla: bool) -> float:
        """p_X + p_Y of a qubit that waits `duration`."""
        return 2 * self._idle_bit_flip_each(duration, ancilla)

    def _layer_durations(self) -> Iterator[tuple[str, tuple[str, ...], float]]:
        """Every kind of layer (`layer_duration`), the parameters its duration comes from,
        and that duration."""
        yield "the cooldown", ("t_cooldown",), float(self.t_cooldown)
        for name, parameters in DURATION_PARAMETERS.items():
            yield f"a layer of {name}", parameters, self._gate_duration(Gate(name, ()))

    def _is_ideal_end(self, layer: Layer, circuit: AnnotatedCircuit) -> bool:
        """Whether `layer` prepares or reads out the data and those are ideal here."""
        return self.ideal_data_ends and circuit.is_data_end(layer)

    # Formulas --------------------------------------------------------------------------
    def _loss(self, ancilla: bool) -> float:
        """kappa_1 nbar of a qubit, in units of kappa_2 of the data (LR23: kappa_1^a =
        theta kappa_1)."""
        return self.k1_k2 * self.nbar * (self.theta if ancilla else 1.0)

    def _idle_phase_flip(self, duration: float, ancilla: bool) -> float:
        return phase_flip(self._loss(ancilla) * duration)  # LR23

    def _idle_bit_flip_each(self, duration: float, ancilla: bool) -> float:
        # GCM23 Fig. 7 with Alice & Bob's prefactor, shared equally by X and Y.
        suppression = math.exp(-2 * self.nbar)
        return IDLE_BIT_FLIP_PREFACTOR / 2 * self._loss(ancilla) * suppression * duration

    def _non_adiabatic(self, *, control_is_ancilla: bool, target_is_ancilla: bool) -> float:
        # LR23 CNOTAnalyticalAsymmetric: pi^2 / (64 nbar T kbar_2), kbar_2 the mean kappa_2.
        kbar_2 = (
            (self.theta if control_is_ancilla else 1.0) + (self.theta if target_is_ancilla else 1.0)
        ) / 2
        return NON_ADIABATIC_CX / (self.nbar * self.t_cx * kbar_2)

    def _cx_phase_flips(
        self, *, control_is_ancilla: bool, target_is_ancilla: bool
    ) -> tuple[float, float, float]:
        """(Z1, Z2, Z1 Z2) of a CX, LR23 `CNOTAnalyticalAsymmetric`."""
        non_adiabatic = self._non_adiabatic(
            control_is_ancilla=control_is_ancilla, target_is_ancilla=target_is_ancilla
        )
        z1 = combine(non_adiabatic, phase_flip(self._loss(control_is_ancilla) * self.t_cx))
        target_half = phase_flip(self._loss(target_is_ancilla) * self.t_cx / 2)
        return z1, target_half, target_half

    def _gate_duration(self, gate: Gate) -> float:
        self._check_supported(gate)
        durations = {
            "CX": self.t_cx,
            "RX": self.t_prep,
            "MX": self.t_meas,
            "MRX": self.t_meas + self.t_prep,
            "R": 0.1 / self.nbar,  # C22 Table II
            "M": self.t_meas_z,
            "MR": self.t_meas_z + 0.1 / self.nbar,
        }
        return float(durations[gate.name])

    def _check_supported(self, gate: Gate, circuit: AnnotatedCircuit | None = None) -> None:
        others = [q for q in gate.targets if circuit is not None and circuit.kind(q) != "cat"]
        if circuit is not None and circuit.kinds and others:
            raise QecError.invalid(
                "circuit", f"{gate.name} on {circuit.kind(others[0])} qubits {others}",
                "cat qubits only in the cat model; cat_transmon (or ocelot) models cat data "
                "with transmon ancillas",
            )  # fmt: skip
        if gate.name not in SUPPORTED_GATES:
            raise QecError.invalid(
                "gate",
                gate.name,
                "one of " + ", ".join(SUPPORTED_GATES) + ": a cat qubit has no bias-preserving "
                f"{gate.name}, so the cat noise model only runs circuits of X and Z "
                "preparations and measurements and CX, such as the phase-flip repetition code "
                "RepetitionCode(d).memory_circuit(rounds=..., basis='X')",
            )


def _by_role(
    qubits: Sequence[int], ancillas: frozenset[int]
) -> Iterator[tuple[tuple[int, ...], bool]]:
    """The data qubits among `qubits`, then the ancillas, each with its role."""
    for ancilla in (False, True):
        group = tuple(q for q in qubits if (q in ancillas) == ancilla)
        if group:
            yield group, ancilla


def _preset_step(values: dict[str, float], formula: str, step: Callable[[], float]) -> float:
    """The duration of every step of an LR23 preset, `formula` of `values` (checked one by
    one already), refused unless finite and > 0."""
    try:
        duration = step()
    except ZeroDivisionError:  # the denominator underflowed
        duration = math.inf
    if not (math.isfinite(duration) and duration > 0):
        raise QecError.invalid_together(values, f"values for which {formula} is finite and > 0")
    return duration
