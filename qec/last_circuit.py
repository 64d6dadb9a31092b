"""A value computed from a stim circuit, kept for the next call about an equal circuit.

One run asks for the same circuit's detector error model and decoding problem several
times (the run's task, the decoding problem, every chunk of a stratified run, a resumed
estimate), and on a large circuit each costs seconds to minutes. `LastCircuit` keeps
the value of the last circuit it was asked about: a call with an equal circuit (stim
compares circuits by value, so a changed circuit is a new one) and the same key gets
it back instead of computing it again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import stim

Value = TypeVar("Value")


class LastCircuit(Generic[Value]):
    """The value `compute()` gave for the last (circuit, key) asked about.

    Examples:
        >>> models = LastCircuit[stim.DetectorErrorModel]()
        >>> circuit = stim.Circuit("X_ERROR(0.1) 0\\nM 0\\nDETECTOR rec[-1]")
        >>> first = models.get(circuit, "plain", circuit.detector_error_model)
        >>> models.get(circuit.copy(), "plain", circuit.detector_error_model) is first
        True
        >>> models.get(circuit, "other", circuit.detector_error_model) is first
        False
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: tuple[stim.Circuit, Hashable, Value] | None = None

    def get(self, circuit: stim.Circuit, key: Hashable, compute: Callable[[], Value]) -> Value:
        """The value for `circuit` and `key`: kept from the last call, or `compute()`."""
        with self._lock:
            last = self._last
        if last is not None and last[1] == key and last[0] == circuit:
            return last[2]
        value = compute()
        with self._lock:
            self._last = (circuit.copy(), key, value)  # a copy: the caller may change theirs
        return value
