"""Units stopped at their run's deadline, kept beside the results file so that a later
run goes on with them instead of starting afresh: a unit longer than any one run (about
an hour on one core for the surface code at d = 27) then finishes across runs.

Each `PartialUnit` is a NumPy archive in the folder `partial_units_folder(results)`,
named after its experiment and ladder (`ladder_identity`) and its seed. The archive
holds arrays and one JSON text (no pickles), and is written whole to a temporary file,
then renamed over its name, so that a kill leaves the old archive or the new one. A
partial unit's time is in the results file already (its run recorded it as unfinished),
so the row of the unit that finishes it holds only the finishing run's seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import tempfile
import zipfile
from typing import Any

import numpy as np

from qec.errors import QecError
from qec.sampling.splitting.chains import ChainsSnapshot, split_by_sizes
from qec.sampling.splitting.ladder import PartialUnit

# The layout of a partial unit's archive: a reader that finds another format starts a
# new unit rather than misreading one.
FORMAT = 1


def partial_units_folder(results: pathlib.Path) -> pathlib.Path:
    """The folder of the partial units of the results file `results`.

    Examples:
        >>> partial_units_folder(pathlib.Path("results/points.csv")).as_posix()
        'results/points.partial'
    """
    return results.with_suffix(".partial")


def save_partial(results: pathlib.Path, ladder_id: str, unit: PartialUnit) -> None:
    """Keeps `unit` (of the ladder named `ladder_id`) beside `results`, replacing what
    an earlier stop of it kept. A folder or disk that refuses the write keeps nothing:
    the unit's time is recorded all the same, and a later run starts a new unit."""
    folder = partial_units_folder(results)
    snapshot = unit.chains
    meta = {
        "format": FORMAT,
        "seed": unit.seed,
        "seconds": unit.seconds,
        "top_failures": unit.top_failures,
        "counters": list(snapshot.counters),
        "rng_state": snapshot.rng_state,
    }
    arrays: dict[str, Any] = {
        "meta": np.array(json.dumps(meta)),
        "members": snapshot.members,
        "faults": snapshot.faults,
        "slot": snapshot.slot,
        "histograms": snapshot.histograms,
        "kind_sums": snapshot.kind_sums,
        "found": np.concatenate([np.zeros(0, dtype=np.int64), *unit.found]),
        "found_sizes": np.array([len(f) for f in unit.found], dtype=np.int64),
    }
    name = None
    try:
        folder.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=".", suffix=".tmp", delete=False
        ) as out:
            name = out.name
            np.savez_compressed(out, **arrays)
        os.chmod(name, 0o644)  # a temporary file is the owner's alone
        os.replace(name, _archive(folder, ladder_id, unit.seed))
    except OSError:  # a read-only folder, a full disk: the unit is not kept
        if name is not None:
            with contextlib.suppress(OSError):
                os.unlink(name)


def saved_partials(results: pathlib.Path, ladder_id: str) -> list[PartialUnit]:
    """The partial units of the ladder named `ladder_id` kept beside `results`, by seed.

    Raises QecError naming an archive that cannot be read (damaged since it was
    written whole): removing it loses only that unit's progress."""
    folder = partial_units_folder(results)
    units = [_load(path) for path in sorted(folder.glob(f"{ladder_id}-*.npz"))]
    return sorted((u for u in units if u is not None), key=lambda u: u.seed)


def keeps_partials(results: pathlib.Path, ladder_id: str) -> bool:
    """Whether partial units of the ladder named `ladder_id` are kept beside `results`."""
    return any(partial_units_folder(results).glob(f"{ladder_id}-*.npz"))


def drop_partial(results: pathlib.Path, ladder_id: str, seed: int) -> None:
    """Forgets the partial unit with `seed` (it has finished, and its row is saved)."""
    with contextlib.suppress(OSError):
        _archive(partial_units_folder(results), ladder_id, seed).unlink()


def _archive(folder: pathlib.Path, ladder_id: str, seed: int) -> pathlib.Path:
    return folder / f"{ladder_id}-{seed}.npz"


def _load(path: pathlib.Path) -> PartialUnit | None:
    """The partial unit in `path`; None when it holds another FORMAT."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(str(archive["meta"]))
            if meta.get("format") != FORMAT:
                return None
            found = split_by_sizes(archive["found"], archive["found_sizes"])
            snapshot = ChainsSnapshot(
                members=archive["members"],
                faults=archive["faults"],
                slot=archive["slot"],
                histograms=archive["histograms"],
                kind_sums=archive["kind_sums"],
                counters=tuple(int(c) for c in meta["counters"]),
                rng_state=meta["rng_state"],
            )
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise QecError.invalid(
            "partial unit",
            str(path),
            f"an archive of a splitting unit stopped at its deadline ({error}); remove it "
            "to start that unit afresh",
        ) from None
    return PartialUnit(
        seed=int(meta["seed"]),
        seconds=float(meta["seconds"]),
        top_failures=int(meta["top_failures"]),
        found=tuple(found),
        chains=snapshot,
    )
