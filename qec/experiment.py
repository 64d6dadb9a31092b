"""What an estimate runs: a memory experiment (a code, a noise model, a number of rounds
and a basis), or a stim circuit the user brings."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import pathlib
import re
from collections.abc import Mapping
from typing import Any

import stim

from qec.circuits import validate_memory_args
from qec.circuits.registry import Code, make_code, size_text
from qec.errors import QecError, check_int
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
        """The noisy stim circuit (a copy of the one built for this experiment: the
        overhead solver asks for the same circuits many times)."""
        return _noisy_circuit(self).copy()

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
        sizes: tuple[str, ...] = (
            ("dx", "dz") if "dx" in metadata and "dz" in metadata else ("distance",)
        )
        sizes += ("columns",) if "columns" in metadata else ()
        code = make_code(str(metadata["code"]), **{k: metadata.get(k) for k in sizes})
        return MemoryExperiment(
            code=code,
            noise=parse_noise(str(metadata["noise"])),
            rounds=metadata["rounds"],
            basis=metadata["basis"],
        )


def check_circuit(circuit: Any) -> None:
    """Raises QecError unless `circuit` is a stim.Circuit with at least one observable.

    Examples:
        >>> check_circuit("M 0")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: circuit='<str>' is not allowed: expected a stim.Circuit
    """
    if not isinstance(circuit, stim.Circuit):
        raise QecError.invalid("circuit", f"<{type(circuit).__name__}>", "a stim.Circuit")
    if circuit.num_observables == 0:
        raise QecError.invalid(
            "circuit",
            "<stim.Circuit without observables>",
            "a circuit with at least one OBSERVABLE_INCLUDE",
        )


# A rounds count stated in a circuit file, as a comment line such as `# rounds: 13`.
_ROUNDS_COMMENT = re.compile(r"^\s*#\s*rounds\s*[:=]\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class CircuitExperiment:
    """A noisy stim circuit that `qec` did not build (e.g. `stim.Circuit.generated`, a
    file from tqec or Gidney's `gen`), estimated as it is.

    `rounds` converts the per-shot rate to a per-round one; None gives per-shot rates
    only. `name` describes the circuit in results files (its `circuit_sha256` in the
    metadata identifies it exactly). The circuit needs detectors and observables; its
    detector error model (and whether the decoder can take it) is checked when an
    estimate starts.

    Examples:
        >>> circuit = stim.Circuit.generated("repetition_code:memory", distance=3,
        ...     rounds=2, before_round_data_depolarization=0.01)
        >>> experiment = CircuitExperiment(circuit, rounds=2, name="rep3")
        >>> experiment.metadata()["circuit_sha256"] == experiment.metadata()["circuit_sha256"]
        True
        >>> {k: experiment.metadata()[k] for k in ("circuit", "rounds", "detectors")}
        {'circuit': 'rep3', 'rounds': 2, 'detectors': 6}
        >>> CircuitExperiment(stim.Circuit("M 0"))
        Traceback (most recent call last):
        ...
        qec.errors.QecError: circuit='<stim.Circuit without detectors>' is not allowed: \
expected a circuit with at least one DETECTOR
    """

    stim_circuit: stim.Circuit
    rounds: int | None = None
    name: str = "circuit"

    def __post_init__(self) -> None:
        circuit = self.stim_circuit
        if isinstance(circuit, stim.Circuit) and circuit.num_detectors == 0:
            raise QecError.invalid(
                "circuit",
                "<stim.Circuit without detectors>",
                "a circuit with at least one DETECTOR",
            )
        check_circuit(circuit)
        if self.rounds is not None:
            check_int("rounds", self.rounds, minimum=1)
        if not isinstance(self.name, str) or not self.name.strip() or "\n" in self.name:
            raise QecError.invalid("name", self.name, "a one-line, non-empty string")

    @staticmethod
    def from_file(path: str | pathlib.Path, *, rounds: int | None = None) -> CircuitExperiment:
        """The circuit in the stim file at `path`, named after the file. `rounds` is
        given, or stated in the file by a comment line `# rounds: R`, or None.

        Examples:
            >>> CircuitExperiment.from_file("missing.stim")
            Traceback (most recent call last):
            ...
            qec.errors.QecError: circuit='missing.stim' is not allowed: expected a readable \
stim circuit file (No such file or directory)
        """
        try:
            text = pathlib.Path(path).read_text()
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not text"
            raise QecError.invalid(
                "circuit", str(path), f"a readable stim circuit file ({reason})"
            ) from None
        try:
            circuit = stim.Circuit(text)
        except ValueError as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else "unparsable"
            raise QecError.invalid(
                "circuit", str(path), f"a file in stim's circuit format ({first})"
            ) from None
        stated = _ROUNDS_COMMENT.search(text)
        if rounds is None and stated is not None:
            if not stated.group(1).isdigit():
                raise QecError.invalid(
                    "rounds", stated.group(1), "a whole number >= 1 in the file's '# rounds:'"
                )
            rounds = int(stated.group(1))
        return CircuitExperiment(circuit, rounds=rounds, name=pathlib.Path(path).name)

    def circuit(self) -> stim.Circuit:
        """The circuit, as given."""
        return self.stim_circuit

    def qubit_kinds(self) -> dict[int, str]:
        """No qubit kinds: a stim circuit does not say which qubits are cats."""
        return {}

    def metadata(self) -> dict[str, Any]:
        """Flat description for results files: the circuit's name and SHA-256 (of its
        text, first 16 hex digits), rounds (when known), qubits, detectors and
        observables."""
        digest = hashlib.sha256(str(self.stim_circuit).encode()).hexdigest()[:16]
        return {
            "circuit": self.name,
            "circuit_sha256": digest,
            **({} if self.rounds is None else {"rounds": self.rounds}),
            "qubits": self.stim_circuit.num_qubits,
            "detectors": self.stim_circuit.num_detectors,
            "observables": self.stim_circuit.num_observables,
        }


@functools.lru_cache(maxsize=32)
def _noisy_circuit(experiment: MemoryExperiment) -> stim.Circuit:
    """The noisy circuit of `experiment`, kept for the last 32 experiments asked about."""
    memory = experiment.code.memory_circuit(rounds=experiment.rounds, basis=experiment.basis)
    return experiment.noise.noisy_circuit(memory)


#: What `qec.sampling.estimate` takes: a memory experiment or a user's circuit.
Experiment = MemoryExperiment | CircuitExperiment


def describe(metadata: Mapping[str, Any]) -> str:
    """One line naming the experiment that `metadata()` of either kind describes.

    Examples:
        >>> describe({"circuit": "rep3.stim", "circuit_sha256": "0123456789abcdef",
        ...           "qubits": 5, "detectors": 6})
        'circuit rep3.stim (sha256 0123456789abcdef, 5 qubits, 6 detectors), rounds unknown'
    """
    if "circuit" in metadata:
        rounds = metadata.get("rounds")
        return (
            f"circuit {metadata['circuit']} (sha256 {metadata.get('circuit_sha256')}, "
            f"{metadata.get('qubits')} qubits, {metadata.get('detectors')} detectors), "
            + ("rounds unknown" if rounds is None else f"rounds={rounds}")
        )
    return (
        f"{metadata.get('code')} {size_text(metadata)} rounds={metadata.get('rounds')} "
        f"basis={metadata.get('basis')} noise={metadata.get('noise')}"
    )
