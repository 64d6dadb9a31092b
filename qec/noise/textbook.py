"""The two textbook models without circuit noise: code capacity and phenomenological."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from qec.circuits import AnnotatedCircuit, Gate, Layer
from qec.noise._model import Channel, NoiseModel, check_probability


@dataclasses.dataclass(frozen=True)
class CodeCapacity(NoiseModel):
    """Before the first round, each data qubit independently gets an X flip with
    probability p and, independently, a Z flip with probability p; every operation
    after that is perfect.

    This is the independent-flip model behind the ~10.3% threshold of the surface code
    with minimum-weight matching (Dennis, Kitaev, Landahl, Preskill, J. Math. Phys. 43,
    4452 (2002), Sec. IV; Wang, Harrington, Preskill, Ann. Phys. 303, 31 (2003)).
    A repetition code in basis Z sees bit flips with probability p. Use rounds=1.

    Examples:
        >>> CodeCapacity(p=0.05).spec()
        'code_capacity:p=0.05'
    """

    p: float

    name = "code_capacity"
    checks = {"p": check_probability}

    def before_round(self, data_qubits: Sequence[int], round_index: int) -> Iterable[Channel]:
        if round_index == 0:
            yield Channel("X_ERROR", tuple(data_qubits), (self.p,))
            yield Channel("Z_ERROR", tuple(data_qubits), (self.p,))


@dataclasses.dataclass(frozen=True)
class Phenomenological(NoiseModel):
    """Code-capacity flips on the data before every round, plus each syndrome
    measurement result flipped with probability p. Gates are perfect and the final
    data readout is perfect (the usual closing perfect round).

    The model of Dennis et al. (2002) and Wang et al. (2003): about 2.9-3% threshold
    for the surface code with matching.

    Examples:
        >>> Phenomenological(p=0.01).params()
        {'p': 0.01}
    """

    p: float

    name = "phenomenological"
    checks = {"p": check_probability}

    def before_round(self, data_qubits: Sequence[int], round_index: int) -> Iterable[Channel]:
        yield Channel("X_ERROR", tuple(data_qubits), (self.p,))
        yield Channel("Z_ERROR", tuple(data_qubits), (self.p,))

    def measurement_flip(self, gate: Gate, layer: Layer, circuit: AnnotatedCircuit) -> float:
        return self.p if gate.is_measurement and gate.is_reset else 0.0
