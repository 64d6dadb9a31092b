"""A memory experiment: a code, a noise model, a number of rounds and a basis."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import stim

from qec.circuits import validate_memory_args
from qec.circuits.registry import Code, make_code
from qec.errors import QecError
from qec.noise import CodeCapacity, NoiseModel
from qec.noise.registry import parse_noise

# Qubits x (rounds + 1) beyond which a circuit would take minutes to build, with no
# progress to show (docs/tuning.md); the rotated surface code at d = 79 over 79 rounds
# still fits.
MAX_QUBIT_ROUNDS = 1_000_000


@dataclasses.dataclass(frozen=True)
class MemoryExperiment:
    """Keep a logical state of `basis` for `rounds` rounds of `code` under `noise`.

    Examples:
        >>> from qec import RotatedSurfaceCode, Depolarizing
        >>> experiment = MemoryExperiment(
        ...     code=RotatedSurfaceCode(distance=3), noise=Depolarizing(p=0.001),
        ...     rounds=3, basis="Z")
        >>> experiment.circuit().num_detectors
        24
        >>> experiment.metadata()["noise"]
        'depolarizing:p=0.001'
    """

    code: Code
    noise: NoiseModel
    rounds: int
    basis: str

    def __post_init__(self) -> None:
        validate_memory_args(self.rounds, self.basis)
        if isinstance(self.noise, CodeCapacity) and self.rounds != 1:
            raise QecError.invalid(
                "rounds",
                self.rounds,
                "1 with code_capacity noise (it acts once, before the first round: more "
                "rounds would only divide the same failures by the rounds)",
            )
        size = self.code.num_qubits * (self.rounds + 1)
        if size > MAX_QUBIT_ROUNDS:
            raise QecError(
                f"{self.code} over rounds={self.rounds} is not allowed: expected at most "
                f"{MAX_QUBIT_ROUNDS:.0e} qubits x (rounds + 1), here {size:.2e}; choose a "
                "smaller distance or fewer rounds"
            )

    def circuit(self) -> stim.Circuit:
        """The noisy stim circuit."""
        return self.noise.noisy_circuit(
            self.code.memory_circuit(rounds=self.rounds, basis=self.basis)
        )

    def qubit_kinds(self) -> dict[int, str]:
        """The kind ('cat', 'transmon') of every qubit of `circuit()`, as the noise model
        lays the circuit out; empty when the model tells no kinds apart. For the fault
        kinds of an attribution (`qec.sampling.core.fault_kinds`).

        Examples:
            >>> from qec import CatTransmon, Depolarizing, RepetitionCode
            >>> hybrid = MemoryExperiment(code=RepetitionCode(distance=3),
            ...     noise=CatTransmon(nbar=2), rounds=2, basis="X")
            >>> hybrid.qubit_kinds()[0], hybrid.qubit_kinds()[1]
            ('cat', 'transmon')
            >>> MemoryExperiment(code=RepetitionCode(distance=3), noise=Depolarizing(p=0.001),
            ...     rounds=2, basis="Z").qubit_kinds()
            {}
        """
        annotated = self.code.memory_circuit(rounds=self.rounds, basis=self.basis)
        return dict(self.noise.schedule().apply(annotated).kinds)

    def metadata(self) -> dict[str, Any]:
        """Flat description for results files: code, sizes, rounds, basis, noise and its
        parameters (so `sinter plot --group_func "m.code"` etc. work)."""
        return {
            "code": self.code.name,
            **self.code.params(),
            "rounds": self.rounds,
            "basis": self.basis,
            "noise": self.noise.spec(),
            **{k: v if math.isfinite(v) else str(v) for k, v in self.noise.params().items()},
            "qubits": self.code.num_qubits,
        }

    @staticmethod
    def from_metadata(metadata: Mapping[str, Any]) -> MemoryExperiment:
        """The experiment that `metadata()` describes (a results file's row back to its
        circuit); QecError when it describes none.

        Examples:
            >>> from qec import RotatedSurfaceCode, Depolarizing
            >>> experiment = MemoryExperiment(code=RotatedSurfaceCode(dx=3, dz=5),
            ...     noise=Depolarizing(p=0.001), rounds=5, basis="X")
            >>> MemoryExperiment.from_metadata(experiment.metadata()) == experiment
            True
        """
        missing = [k for k in ("code", "rounds", "basis", "noise") if k not in metadata]
        if missing:
            raise QecError.invalid(
                "metadata", dict(metadata), f"a qec experiment's metadata (it lacks {missing})"
            )
        sizes = ("dx", "dz") if "dx" in metadata and "dz" in metadata else ("distance",)
        code = make_code(str(metadata["code"]), **{k: metadata.get(k) for k in sizes})
        return MemoryExperiment(
            code=code,
            noise=parse_noise(str(metadata["noise"])),
            rounds=metadata["rounds"],
            basis=metadata["basis"],
        )
