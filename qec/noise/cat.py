"""Cat qubits stabilised by two-photon dissipation: bias-preserving circuit-level noise.

A cat qubit stores |0>, |1> as the coherent states |+alpha>, |-alpha> of an oscillator,
held in place by two-photon dissipation at rate kappa_2. Single-photon loss at rate
kappa_1 makes phase flips (Z) at rate kappa_1 * nbar, nbar = |alpha|^2 the mean photon
number; bit flips (X) need a jump between +alpha and -alpha and are suppressed like
exp(-2 nbar). Every number below is a function of nbar, k1_k2 = kappa_1 / kappa_2 and
the durations of the operations in units of 1 / kappa_2.

The model (`Cat`) is the circuit-level model of

- [LR23] F.-M. Le Régent, C. Berdou, Z. Leghtas, J. Guillaud, M. Mirrahimi,
  "High-performance repetition cat code using fast noisy operations", Quantum 7, 1198
  (2023), arXiv:2212.11927: the phase-flip model of preparation, X measurement, idling
  and the bias-preserving CX, the default here;
- [GM19] J. Guillaud, M. Mirrahimi, "Repetition cat qubits for fault-tolerant quantum
  computation", PRX 9, 041053 (2019), arXiv:1904.09474: the model LR23 builds on (phase
  flips kappa_1 nbar T while idling; the target's loss during a CX split evenly between
  Z2 and Z1 Z2);
- [GRLGS23] E. Gouzien, D. Ruiz, F.-M. Le Régent, J. Guillaud, N. Sangouard, "Performance
  analysis of a repetition cat code architecture: computing 256-bit elliptic curve
  logarithm in 9 hours with 126,133 cat qubits", PRL 131, 040602 (2023),
  arXiv:2302.06639: the LR23 model restated in its appendix (v1, p. 25), the CX
  bit-flip probability (Eq. (D8)) and the fitted logical error rate of the repetition
  cat code (Eq. (4), Fig. 26), `GOUZIEN_2023_FIT` below;
- [GCM23] J. Guillaud, J. Cohen, M. Mirrahimi, "Quantum computation with cat qubits",
  SciPost Phys. Lect. Notes 72 (2023), arXiv:2203.03222, Fig. 7: bit flips of an idle cat.

Phase-flip (Z) probabilities, T the duration of the operation in units of 1/kappa_2:

=====================  ==================================================  ============
operation              probability                                         source
=====================  ==================================================  ============
idle for T             k1_k2 * nbar * T                                    GM19, LR23
RX (prepare |+>)       k1_k2 * nbar * t_prep  (Z after the preparation)    LR23, GRLGS23
MX (measure X)         k1_k2 * nbar * t_meas  (result flipped)             LR23, GRLGS23
CX, Z on control (Z1)  k1_k2 * nbar * t_cx + pi^2 / (64 * nbar * t_cx)     LR23, GRLGS23
CX, Z on target (Z2)   k1_k2 * nbar * t_cx / 2                             GM19, LR23
CX, Z1 Z2              k1_k2 * nbar * t_cx / 2                             GM19, LR23
=====================  ==================================================  ============

The pi^2 / (64 nbar kappa_2 T) term of Z1 is the non-adiabatic error of the CX: it
falls as the gate gets slower, while the loss terms grow with T. It hits only the
control, which in the repetition code is the ancilla: LR23's case for fast, noisy CX.

Bit-flip (X) probabilities:

- CX: 0.5 * exp(-2 nbar) in all, GRLGS23 Eq. (D8) (fitted to a numerical process
  tomography of the gate). The equation gives the total only; it is split here evenly
  between X1, X2 and X1 X2 (our choice).
- idle for T: 1.1e-3 * nbar * k1_k2 * exp(-2 nbar) * T. The exp(-2 nbar) kappa_1 nbar
  form and the prefactor 1.1e-3 reproduce the bit-flip probability 1e-11 of GCM23,
  Fig. 7 at nbar = 8, kappa_1/kappa_2 = 1e-2, T = 1/kappa_2 (the prefactor is the fit
  of Alice & Bob's open-source emulator, qiskit-alice-bob-provider, to that figure).
- R (prepare |0> = |alpha>) and M (measure Z): no paper gives them for this
  architecture; here the X after R and the flip of M are the idle bit-flip probability
  over t_prep and t_meas. Phase flips commute with them and are left out.

Idle noise: a qubit that waits while a layer acts on others gets the idle Z and X
probabilities for the layer's duration, the longest operation in it: t_cx for a CX
layer, t_prep for a preparation layer, t_meas for a measurement layer and
t_meas + t_prep for a measure-and-reset (MRX, MR) layer, which measures and then
prepares the ancilla for the next round. A qubit that acts in a layer gets only the
noise of its own operation. There is no separate data noise before each round.

Left out: leakage out of the cat manifold (LR23 samples it; it matters most for very
fast gates), the Y-type components of the CX bit flips, the gate-time dependence of
the CX bit flip, and noise during classical processing.

Provenance. The equations above were taken from the cited papers as quoted, with page
and equation number, in the open-source code of their authors (github.com/ElieGouzien/
elliptic_log_cat, for GRLGS23) and of Alice & Bob (qiskit-alice-bob-provider, its
physical cat-qubit processor; qsharp-alice-bob-resource-estimator); the papers'
full text could not be read where this module was written. The LR23 and GM19
equation numbers of the CX model should be checked against the papers.

Gates that a cat qubit cannot do while preserving the bias (H, and CZ, for which the
papers give no model) raise `QecError`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence

from qec.circuits import Gate, Layer
from qec.errors import QecError, check_number
from qec.noise._model import Channel, NoiseModel

#: The non-adiabatic phase flip of the CX control is NON_ADIABATIC_CX / (nbar kappa_2 T):
#: pi^2 / 64, LR23's CX model as restated in GRLGS23 (arXiv:2302.06639v1, p. 25).
NON_ADIABATIC_CX = math.pi**2 / 64

#: Total bit-flip probability of a CX is CX_BIT_FLIP_PREFACTOR * exp(-2 nbar):
#: GRLGS23, Eq. (D8).
CX_BIT_FLIP_PREFACTOR = 0.5

#: Bit-flip probability of an idle cat is IDLE_BIT_FLIP_PREFACTOR * nbar * (kappa_1 T)
#: * exp(-2 nbar): a fit to GCM23 (arXiv:2203.03222), Fig. 7, which gives 1e-11 at
#: nbar = 8, kappa_1/kappa_2 = 1e-2, T = 1/kappa_2.
IDLE_BIT_FLIP_PREFACTOR = 1.1e-3

#: The operations of a cat-qubit circuit: preparations and measurements in X (the cat
#: states |+>, |->) and in Z (the coherent states |alpha>, |-alpha>), and the CX.
SUPPORTED_GATES = ("RX", "MX", "MRX", "R", "M", "MR", "CX")

# stim's PAULI_CHANNEL_2 order: IX, IY, IZ, XI, XX, ..., ZZ; the first letter acts on
# the first target of each pair, the CX control.
_PAULIS_2 = [a + b for a in "IXYZ" for b in "IXYZ"][1:]


@dataclasses.dataclass(frozen=True)
class PhaseFlips:
    """Phase-flip (Z) probabilities of each cat-qubit operation, for one `Cat` setting.

    Attributes:
        prep: Z after a |+> preparation (RX, and the reset part of MRX).
        measurement: flip of an X-basis measurement result (MX, MRX).
        idle: Z on a qubit that waits 1/kappa_2; a wait of T/kappa_2 gives T times this.
        cx_control: Z on the control of a CX, Z1 (loss and non-adiabatic terms).
        cx_target: Z on the target of a CX only, Z2.
        cx_both: Z on both qubits of a CX, Z1 Z2.
    """

    prep: float
    measurement: float
    idle: float
    cx_control: float
    cx_target: float
    cx_both: float

    @property
    def cx_total(self) -> float:
        """Probability that a CX makes any phase flip, Z1 + Z2 + Z1 Z2."""
        return self.cx_control + self.cx_target + self.cx_both


@dataclasses.dataclass(frozen=True)
class BitFlips:
    """Bit-flip (X) probabilities of each cat-qubit operation, for one `Cat` setting.

    Attributes:
        cx: total of the X1, X2 and X1 X2 errors of a CX (a third each).
        idle: X on a qubit that waits 1/kappa_2; a wait of T/kappa_2 gives T times this.
        prep: X after a |0> preparation (R, and the reset part of MR).
        measurement: flip of a Z-basis measurement result (M, MR).
    """

    cx: float
    idle: float
    prep: float
    measurement: float


@dataclasses.dataclass(frozen=True)
class Cat(NoiseModel):
    """Circuit-level noise of cat qubits stabilised by two-photon dissipation.

    The phase-flip model of Le Régent et al., Quantum 7, 1198 (2023), arXiv:2212.11927
    (building on Guillaud & Mirrahimi, PRX 9, 041053 (2019)), with the bit flips of
    Gouzien et al., PRL 131, 040602 (2023), Eq. (D8) for the CX. Formulas, sources and
    what is left out: see the module docstring (`help(qec.noise.cat)`).

    - RX, and the reset of MRX: Z_ERROR(k1_k2 * nbar * t_prep).
    - MX, MRX: result flipped with probability k1_k2 * nbar * t_meas.
    - CX: PAULI_CHANNEL_2 with Z1 = k1_k2 nbar t_cx + pi^2/(64 nbar t_cx) on the
      control, Z2 = Z1 Z2 = k1_k2 nbar t_cx / 2, and X1 = X2 = X1 X2 = exp(-2 nbar) / 6.
    - Idle qubits: Z_ERROR(k1_k2 nbar T) and X_ERROR(1.1e-3 nbar k1_k2 exp(-2 nbar) T),
      T the duration of the layer (`layer_duration`).
    - R, M (Z basis): bit flips only, the idle bit-flip probability over t_prep, t_meas.
    - H and CZ raise `QecError`: they do not preserve the noise bias.

    Use it with circuits built from RX, MX, MRX, R, M, MR and CX, such as the phase-flip
    repetition code `RepetitionCode(d).memory_circuit(rounds=r, basis="X")`. Bit flips
    commute with its X-basis checks and measurements: they matter in Z-basis experiments.

    Attributes:
        nbar: mean photon number |alpha|^2 of every cat qubit.
        k1_k2: kappa_1 / kappa_2, single-photon loss over two-photon dissipation rate.
            Default 1e-3, the better end of today's experiments (about 1e-3 to 1e-2);
            GRLGS23 assume 1e-5 for their large-scale estimate.
        t_cx: CX duration in units of 1/kappa_2 (LR23 speeds it up; 1 as in GRLGS23).
        t_prep: duration of a preparation (RX, R) in units of 1/kappa_2 (1, GRLGS23).
        t_meas: duration of a measurement (MX, M) in units of 1/kappa_2 (1, GRLGS23).

    Examples:
        >>> model = Cat(nbar=8)
        >>> model.spec()
        'cat:nbar=8,k1_k2=0.001,t_cx=1,t_prep=1,t_meas=1'
        >>> flips = model.phase_flip_probabilities()
        >>> round(flips.idle, 6), round(flips.cx_control, 6), round(flips.cx_target, 6)
        (0.008, 0.027277, 0.004)
        >>> f"{model.bit_flip_probabilities().cx:.2e}"
        '5.63e-08'
        >>> from qec.circuits import RepetitionCode
        >>> circuit = model.noisy_circuit(RepetitionCode(distance=3).memory_circuit(
        ...     rounds=2, basis="X"))
        >>> circuit.num_detectors
        6
        >>> Cat(nbar=0.01)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        qec.errors.QecError: cat parameters='cat:nbar=0.01,...' is not allowed: expected \
error probabilities <= 1; here the CX's total error probability ... = 15.9
    """

    nbar: float
    k1_k2: float = 1e-3
    t_cx: float = 1.0
    t_prep: float = 1.0
    t_meas: float = 1.0

    name = "cat"

    def __post_init__(self) -> None:
        for field, allowed in (
            ("nbar", "a finite number > 0 (mean photon number)"),
            ("k1_k2", "a finite number > 0 (kappa_1 / kappa_2)"),
            ("t_cx", "a finite duration > 0 (in 1/kappa_2)"),
            ("t_prep", "a finite duration > 0 (in 1/kappa_2)"),
            ("t_meas", "a finite duration > 0 (in 1/kappa_2)"),
        ):
            check_number(
                field,
                getattr(self, field),
                allowed=allowed,
                accept=lambda value: math.isfinite(value) and value > 0,
            )
        self._check_probabilities()

    # Per-operation probabilities -----------------------------------------------------
    def phase_flip_probabilities(self) -> PhaseFlips:
        """The phase-flip (Z) probability of each operation (see `PhaseFlips`).

        Examples:
            >>> slow = Cat(nbar=10, k1_k2=1e-4, t_cx=2).phase_flip_probabilities()
            >>> round(slow.prep, 6), round(slow.cx_control, 6), round(slow.cx_both, 6)
            (0.001, 0.009711, 0.001)
        """
        loss = self.k1_k2 * self.nbar  # GM19, LR23: Z rate kappa_1 nbar, in units of kappa_2
        return PhaseFlips(
            prep=loss * self.t_prep,  # LR23; GRLGS23 v1 p. 25
            measurement=loss * self.t_meas,  # LR23; GRLGS23 v1 p. 25
            idle=loss,  # GM19, LR23: kappa_1 nbar T with T = 1/kappa_2
            # LR23, GRLGS23 v1 p. 25: loss of the control plus the non-adiabatic term.
            cx_control=loss * self.t_cx + NON_ADIABATIC_CX / (self.nbar * self.t_cx),
            # GM19, LR23: the target's loss, half as Z2 and half as Z1 Z2.
            cx_target=loss * self.t_cx / 2,
            cx_both=loss * self.t_cx / 2,
        )

    def bit_flip_probabilities(self) -> BitFlips:
        """The bit-flip (X) probability of each operation (see `BitFlips`).

        Each falls like exp(-2 nbar): a factor e^2 ~ 7.4 per extra photon.

        Examples:
            >>> flips = Cat(nbar=8, k1_k2=1e-2).bit_flip_probabilities()
            >>> f"{flips.cx:.3e}", f"{flips.idle:.2e}"
            ('5.627e-08', '9.90e-12')
        """
        suppression = math.exp(-2 * self.nbar)
        # GCM23 Fig. 7, prefactor fitted by qiskit-alice-bob-provider: per 1/kappa_2.
        idle = IDLE_BIT_FLIP_PREFACTOR * self.nbar * self.k1_k2 * suppression
        return BitFlips(
            cx=CX_BIT_FLIP_PREFACTOR * suppression,  # GRLGS23, Eq. (D8)
            idle=idle,
            prep=idle * self.t_prep,  # no paper value: idle over the preparation
            measurement=idle * self.t_meas,  # no paper value: idle over the measurement
        )

    def cx_pauli_channel(self) -> tuple[float, ...]:
        """The 15 PAULI_CHANNEL_2 probabilities of a CX, in stim's order (IX, IY, ..., ZZ),
        the control first.

        Examples:
            >>> channel = Cat(nbar=8).cx_pauli_channel()
            >>> [round(p, 4) for p in channel if p > 1e-6]
            [0.004, 0.0273, 0.004]
        """
        z = self.phase_flip_probabilities()
        x_each = self.bit_flip_probabilities().cx / 3
        weights = {
            "ZI": z.cx_control,
            "IZ": z.cx_target,
            "ZZ": z.cx_both,
            "XI": x_each,
            "IX": x_each,
            "XX": x_each,
        }
        return tuple(weights.get(pauli, 0.0) for pauli in _PAULIS_2)

    def layer_duration(self, layer: Layer) -> float:
        """How long `layer` takes in units of 1/kappa_2: its longest operation (t_cx,
        t_prep, t_meas, or t_meas + t_prep for a measure-and-reset).

        Examples:
            >>> from qec.circuits import Gate, Layer
            >>> Cat(nbar=8, t_meas=2).layer_duration(Layer(gates=(Gate("MRX", (1, 3)),)))
            3.0
        """
        return max(self._gate_duration(gate) for gate in layer.gates)

    # Hooks -----------------------------------------------------------------------------
    def after_gate(self, gate: Gate, layer: Layer) -> Iterable[Channel]:
        self._check_supported(gate)
        if gate.name in ("RX", "MRX"):
            yield Channel("Z_ERROR", gate.targets, (self.phase_flip_probabilities().prep,))
        elif gate.name in ("R", "MR"):
            yield Channel("X_ERROR", gate.targets, (self.bit_flip_probabilities().prep,))
        elif gate.name == "CX":
            yield Channel("PAULI_CHANNEL_2", gate.targets, self.cx_pauli_channel())

    def measurement_flip(self, gate: Gate, layer: Layer) -> float:
        self._check_supported(gate)
        if gate.basis == "X":
            return self.phase_flip_probabilities().measurement
        return self.bit_flip_probabilities().measurement

    def idle(self, qubits: Sequence[int], layer: Layer) -> Iterable[Channel]:
        duration = self.layer_duration(layer)
        yield Channel("Z_ERROR", tuple(qubits), (self.phase_flip_probabilities().idle * duration,))
        yield Channel("X_ERROR", tuple(qubits), (self.bit_flip_probabilities().idle * duration,))

    # Validation ------------------------------------------------------------------------
    def _gate_duration(self, gate: Gate) -> float:
        self._check_supported(gate)
        if gate.name == "CX":
            return float(self.t_cx)
        if gate.is_measurement and gate.is_reset:
            return float(self.t_meas + self.t_prep)
        return float(self.t_meas if gate.is_measurement else self.t_prep)

    def _check_supported(self, gate: Gate) -> None:
        if gate.name not in SUPPORTED_GATES:
            raise QecError.invalid(
                "gate",
                gate.name,
                "one of " + ", ".join(SUPPORTED_GATES) + ": a cat qubit has no bias-preserving "
                f"{gate.name}, so the cat noise model only runs circuits of X and Z "
                "preparations and measurements and CX, such as the phase-flip repetition code "
                "RepetitionCode(d).memory_circuit(rounds=..., basis='X')",
            )

    def _check_probabilities(self) -> None:
        z = self.phase_flip_probabilities()
        x = self.bit_flip_probabilities()
        longest = max(self.t_cx, self.t_prep, self.t_meas + self.t_prep)
        checks = [
            (
                "the CX's total error probability Z1 + Z2 + Z1Z2 + X",
                "2*k1_k2*nbar*t_cx + pi^2/(64*nbar*t_cx) + exp(-2*nbar)/2",
                z.cx_total + x.cx,
            ),
            ("the preparation's phase flip", "k1_k2*nbar*t_prep", z.prep),
            ("the measurement's phase flip", "k1_k2*nbar*t_meas", z.measurement),
            (
                "the longest idle's phase flip",
                "k1_k2*nbar*max(t_cx, t_prep, t_meas + t_prep)",
                z.idle * longest,
            ),
            (
                "the longest idle's bit flip",
                "1.1e-3*nbar*k1_k2*exp(-2*nbar)*max(t_cx, t_prep, t_meas + t_prep)",
                x.idle * longest,
            ),
        ]
        for what, formula, value in checks:
            if not value <= 1:
                raise QecError.invalid(
                    "cat parameters",
                    self.spec(),
                    f"error probabilities <= 1; here {what} = {formula} = {value:.3g}",
                )


@dataclasses.dataclass(frozen=True)
class RepetitionCatFit:
    """A published fit of the logical error per round of the repetition cat code.

    Phase flips: prefactor * (nbar^nbar_exponent * k1_k2 / threshold_k1_k2)^((d + 1) / 2);
    bit flips: one per CX, 2 (d - 1) CX per round, each cx_bit_flip_prefactor *
    exp(-2 nbar). The code is below threshold where nbar^nbar_exponent * k1_k2 <
    threshold_k1_k2: at nbar = 8, where 8^0.86 = 6.0, k1_k2 < 2.2e-3.

    Attributes:
        prefactor: the fit's prefactor.
        threshold_k1_k2: the threshold, in nbar^nbar_exponent * kappa_1 / kappa_2.
        nbar_exponent: power of nbar that multiplies kappa_1 / kappa_2.
        cx_bit_flip_prefactor: bit-flip probability of a CX over exp(-2 nbar).
        source: paper, equations and the conditions of the fit.

    Examples:
        >>> fit = GOUZIEN_2023_FIT
        >>> f"{fit.phase_flip_per_round(distance=5, nbar=8, k1_k2=1e-3):.2e}"
        '5.45e-03'
    """

    prefactor: float
    threshold_k1_k2: float
    nbar_exponent: float
    cx_bit_flip_prefactor: float
    source: str

    def phase_flip_per_round(self, *, distance: int, nbar: float, k1_k2: float) -> float:
        """Logical phase-flip probability per round of syndrome extraction."""
        ratio = math.pow(nbar, self.nbar_exponent) * k1_k2 / self.threshold_k1_k2
        return self.prefactor * math.pow(ratio, (distance + 1) / 2)

    def bit_flip_per_round(self, *, distance: int, nbar: float) -> float:
        """Logical bit-flip probability per round: any bit flip of any of its CX."""
        return 2 * (distance - 1) * self.cx_bit_flip_prefactor * math.exp(-2 * nbar)


#: The fitted logical error rate of the repetition cat code under the LR23 model with
#: every operation lasting 1/kappa_2: Gouzien et al., PRL 131, 040602 (2023),
#: arXiv:2302.06639, Eq. (4) with prefactor and threshold from App. E, Fig. 26, and the
#: CX bit flips of Eq. (D8); Eq. (3) adds the two per round. Numbers as in the authors'
#: code (github.com/ElieGouzien/elliptic_log_cat, error_correction.py).
GOUZIEN_2023_FIT = RepetitionCatFit(
    prefactor=5.6e-2,
    threshold_k1_k2=1.3e-2,
    nbar_exponent=0.86,
    cx_bit_flip_prefactor=0.5,
    source=(
        "Gouzien, Ruiz, Le Régent, Guillaud, Sangouard, PRL 131, 040602 (2023), "
        "arXiv:2302.06639: Eqs. (3), (4), (D8), App. E Fig. 26; LR23 error model, "
        "operations of duration 1/kappa_2, circuit-level Monte Carlo with matching"
    ),
)
