"""Values computed from a circuit alone, kept in a JSON file beside a results file so that
reading saved results back builds no detector error model.

Reading a saved point back needs a few numbers that are functions of its circuit (and of
the decoder and a seed) but cost a detector error model, seconds on a large circuit:
sinter's strong id of the task (which hashes the model's text), the first-order rate of
the failures no check sees, the auto method's pilot counts and mean fault count, the
partition-function ratios of a splitting ladder's levels. `qec compare` reads hundreds of
points and spent minutes rebuilding them. `DerivedValues` keeps each value under the
sha256 of the circuit's text, the value's name and parameters, and the versions of the
packages that computed it (stim, sinter, PyMatching): a changed circuit or an upgraded
package computes it again, and an unchanged one is read back. The file next to
`points.csv` is `points.derived.json`; results files share one when they share a
folder and a name, which is harmless, since the keys name the circuit.

The file is a cache: one that cannot be read is ignored (its values are computed
again), and one that cannot be written leaves the values in memory only.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import pathlib
import tempfile
import threading
from collections.abc import Callable, Mapping
from typing import Any

import stim

from qec.last_circuit import LastCircuit

SUFFIX = ".derived.json"
FORMAT = 1
_ABOUT = "values computed from circuits (qec.sampling.core.derived_values): a cache, safe to delete"


def derived_values_file(results: pathlib.Path) -> pathlib.Path:
    """The file that keeps the derived values of the results file `results`.

    Examples:
        >>> derived_values_file(pathlib.Path("results/points.csv")).as_posix()
        'results/points.derived.json'
    """
    return results.with_suffix(SUFFIX)


@functools.cache
def package_version(distribution: str) -> str:
    """The installed version of `distribution` ('' when it is not installed)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


_circuit_keys = LastCircuit[str]()


def circuit_key(circuit: stim.Circuit) -> str:
    """The sha256 of the circuit's text (kept for the last circuit asked about)."""
    return _circuit_keys.get(
        circuit, "sha256", lambda: hashlib.sha256(str(circuit).encode()).hexdigest()
    )


@functools.cache
def code_hash(*patterns: str) -> str:
    """The sha256 of the package's source files matching `patterns` (globs under
    `qec/`): what a value computed by that code is keyed by, so that a change there
    computes it again.

    Examples:
        >>> code_hash("experiment.py") != code_hash("experiment.py", "noise/*.py")
        True
    """
    root = pathlib.Path(__file__).resolve().parents[2]
    files = sorted({file for pattern in patterns for file in root.glob(pattern)})
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


# The code that builds experiments' circuits: a circuit's text is a function of its
# experiment's metadata as long as this code is unchanged.
CIRCUIT_CODE = ("experiment.py", "circuits/*.py", "noise/*.py")


class DerivedValues:
    """Values derived from circuits, read from and written to `file` (None: kept in
    this process only).

    Examples:
        >>> values = DerivedValues(None)
        >>> circuit = stim.Circuit("X_ERROR(0.1) 0\\nM 0\\nDETECTOR rec[-1]")
        >>> values.get(circuit, "detectors", {}, lambda: circuit.num_detectors,
        ...            packages=("stim",))
        1
        >>> values.get(circuit, "detectors", {}, lambda: 99, packages=("stim",))  # kept
        1
    """

    def __init__(self, file: pathlib.Path | None) -> None:
        self.file = file
        self._lock = threading.Lock()
        self._values: dict[str, Any] | None = None
        self._writable = True

    def circuit_key_of(self, metadata: Mapping[str, Any], build: Callable[[], stim.Circuit]) -> str:
        """The key (`circuit_key`) of the circuit of the experiment with `metadata`,
        built by `build()` unless kept under that metadata and the code that builds
        circuits (`CIRCUIT_CODE`): the solver asks about hundreds of circuits,
        which take up to a second each to build."""
        params = {"metadata": metadata, "code": code_hash(*CIRCUIT_CODE)}
        # Keyed by the metadata and code alone: no circuit ('').
        key: str = self.get("", "circuit_key", params, lambda: circuit_key(build()), packages=())
        return key

    def get(
        self,
        circuit: stim.Circuit | str,
        name: str,
        params: Mapping[str, Any],
        compute: Callable[[], Any],
        *,
        packages: tuple[str, ...],
    ) -> Any:
        """The value `name` of `circuit` (or of the circuit whose `circuit_key` it is)
        with `params` (JSON: numbers, strings, lists, dicts), computed by `compute()`
        unless kept: as `compute` gave it, or as JSON read it back (lists for tuples);
        None is never kept. `packages` are the distributions whose versions the value
        depends on."""
        versions = {package: package_version(package) for package in packages}
        of = circuit if isinstance(circuit, str) else circuit_key(circuit)
        text = json.dumps([of, name, params, versions], sort_keys=True)
        key = hashlib.sha256(text.encode()).hexdigest()
        with self._lock:
            kept = self._loaded().get(key)
        if kept is not None:
            return kept["value"]
        value = compute()
        if value is None:  # nothing to keep
            return None
        with self._lock:
            self._loaded()[key] = {"name": name, "value": value}
            self._write(key)
        return value

    def _loaded(self) -> dict[str, Any]:
        if self._values is None:
            self._values = _read(self.file)
        return self._values

    def _write(self, key: str) -> None:
        """Adds `key`'s entry to the file, keeping what other processes wrote there
        meanwhile; written whole to a temporary file, then renamed over it."""
        if self.file is None or not self._writable or self._values is None:
            return
        merged = {**_read(self.file), key: self._values[key]}
        self._values.update(merged)
        text = json.dumps(
            {"format": FORMAT, "about": _ABOUT, "values": merged}, indent=1, sort_keys=True
        )
        try:
            with tempfile.NamedTemporaryFile(
                "w", dir=self.file.parent, prefix=self.file.name, suffix=".tmp", delete=False
            ) as out:
                out.write(text + "\n")
            os.chmod(out.name, 0o644)  # a temporary file is the owner's alone
            os.replace(out.name, self.file)
        except OSError:  # a read-only folder, a full disk: the values stay in memory
            self._writable = False
            with contextlib.suppress(OSError, NameError):
                os.unlink(out.name)


def _read(file: pathlib.Path | None) -> dict[str, Any]:
    """The values `file` holds; none when it is missing, unreadable or of another format."""
    if file is None:
        return {}
    try:
        data = json.loads(file.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    values = data.get("values")
    if not isinstance(values, dict):
        return {}
    return {k: v for k, v in values.items() if isinstance(v, dict) and "value" in v}


_stores: dict[pathlib.Path | None, DerivedValues] = {}
_stores_lock = threading.Lock()


def derived_values(results: str | pathlib.Path | None) -> DerivedValues:
    """The derived values kept beside the results file `results` (one store per file in
    a process), or this process's own store when `results` is None."""
    file = None if results is None else derived_values_file(pathlib.Path(results)).resolve()
    with _stores_lock:
        if file not in _stores:
            _stores[file] = DerivedValues(file)
        return _stores[file]
