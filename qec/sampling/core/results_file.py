"""The sinter CSV results file: one writer at a time, and a torn last line repaired.

A run killed while writing (SIGKILL, power loss) can leave half a line at the end of the
file. Before a run appends to a file, `open_results_file` takes an exclusive lock (a
second process gets a clear error instead of interleaving lines) and drops such a torn
tail with a warning: the shots in it belonged to an unfinished batch, so dropping them
loses nothing that was counted and counts nothing twice. The repair writes the kept
lines beside the file and renames them over it, so a kill during the repair leaves the
old file or the new one, never a truncated one. Every command that writes results
(`qec estimate`, `qec threshold`, `qec footprint`, the experiments) goes through
`open_results_file`.

The lock is an advisory `flock` on `path.lock`: the operating system releases it when
its process dies, however it dies, and the lock file is removed when the run ends (a
`kill -9` leaves the file, unlocked; the next run takes it over).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import os
import pathlib
import sys
from collections.abc import Iterator

import sinter

from qec.errors import QecError

# Files whose first bytes are known to be whole rows: path -> (inode, bytes). Appends
# only add lines after them, so a repair checks the new lines alone.
_whole: dict[str, tuple[int, int]] = {}


def _is_row(line: str) -> bool:
    try:
        stats = sinter.read_stats_from_csv_files(io.StringIO(f"{sinter.CSV_HEADER}\n{line}\n"))
    except Exception:  # any parse failure means the row is not whole
        return False
    return len(stats) == 1


def repair_torn_tail(path: str | pathlib.Path) -> int:
    """Drops an incomplete last line from a sinter CSV and returns how many bytes it had.

    A complete row that only lacks its newline is kept (the newline is added). A bad
    line before the last one is not a torn write: that raises QecError.

    Examples:
        >>> import tempfile, sinter
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stats.csv"
        >>> row = sinter.TaskStats(strong_id="a", decoder="pymatching", json_metadata={},
        ...                        shots=10, errors=1, seconds=0.1).to_csv_line()
        >>> _ = path.write_text(sinter.CSV_HEADER + "\\n" + row + "\\n" + row[:12])
        >>> repair_torn_tail(path)  # doctest: +ELLIPSIS
        12
        >>> [s.shots for s in sinter.read_stats_from_csv_files(path)]
        [10]
    """
    path = pathlib.Path(path)
    stat = path.stat()
    known = _whole.get(str(path.resolve()))
    start = known[1] if known and known[0] == stat.st_ino and stat.st_size >= known[1] else 0
    with open(path, "rb") as file:
        file.seek(start)
        data = file.read()
    if not data:
        return 0
    text = data.decode("utf8", errors="replace")
    lines = text.split("\n")
    if start == 0 and lines[0].strip() != sinter.CSV_HEADER.strip():
        raise QecError(
            f"save={str(path)!r} is not a sinter CSV file: its first line is not the "
            "sinter header; choose another file"
        )
    complete, last = lines[:-1], lines[-1]
    first = 1 if start == 0 else 0  # the header, when reading from the start
    for number, line in enumerate(complete[first:], start=first + 1):
        if line.strip() and not _is_row(line):
            if number == len(complete) and not last:
                last = line  # a torn line that happened to get its newline
                complete = complete[:-1]
                break
            raise QecError(
                f"save={str(path)!r} line {number} (after byte {start}) is not a sinter CSV "
                "row; repair or move the file"
            )
    if not last:
        _whole[str(path.resolve())] = (stat.st_ino, stat.st_size)
        return 0
    keep = "\n".join(complete) + "\n" if complete else ""
    if _is_row(last):
        keep += last + "\n"
        dropped = 0
    else:
        dropped = len(last.encode("utf8"))
        print(
            f"qec: warning: {path}: dropped an incomplete last line ({dropped} bytes) left "
            "by an interrupted run; its shots were never counted",
            file=sys.stderr,
        )
    with open(path, "rb") as file:
        before = file.read(start)
    _replace_atomically(path, before + keep.encode("utf8"))
    _whole[str(path.resolve())] = (path.stat().st_ino, path.stat().st_size)
    return dropped


def read_saved_stats(path: str | pathlib.Path) -> tuple[sinter.TaskStats, ...]:
    """The rows of a sinter CSV, read once per version of the file (its inode, size and
    modification time): the solver asks for the same points file hundreds of times.

    Examples:
        >>> import tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "stats.csv"
        >>> append_rows(path, [sinter.TaskStats(strong_id="a", decoder="pymatching",
        ...     json_metadata={}, shots=10, errors=1, seconds=0.1)])
        >>> first = read_saved_stats(path)
        >>> [s.shots for s in first], read_saved_stats(path) is first
        ([10], True)
    """
    stat = os.stat(path)
    return _read_version(
        str(pathlib.Path(path).resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns
    )


@functools.lru_cache(maxsize=4)
def _read_version(path: str, inode: int, size: int, modified: int) -> tuple[sinter.TaskStats, ...]:
    return tuple(sinter.read_stats_from_csv_files(path))  # shared by every caller: immutable


def _replace_atomically(path: pathlib.Path, data: bytes) -> None:
    """Writes `data` beside `path`, flushes it to disk, then renames it over `path`."""
    aside = path.with_name(path.name + ".repair")
    with open(aside, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(aside, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power loss
    finally:
        os.close(directory)


def append_rows(path: pathlib.Path, rows: list[sinter.TaskStats]) -> None:
    """Appends `rows` to the sinter CSV at `path` (with sinter's header if the file is
    new or empty), each line flushed as it is written."""
    new_file = not path.exists() or path.stat().st_size == 0
    with open(path, "a") as out:
        if new_file:
            print(sinter.CSV_HEADER, file=out)
        for row in rows:
            print(row.to_csv_line(), file=out, flush=True)


@contextlib.contextmanager
def open_results_file(path: str | pathlib.Path) -> Iterator[pathlib.Path]:
    """Locks `path` for this process (via `path.lock`), repairs a torn tail, yields it;
    removes the lock file at the end.

    Raises QecError at once if another process holds the lock, or if `path` is a
    directory.

    Examples:
        >>> import tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> with open_results_file(folder / "stats.csv") as path:
        ...     sorted(p.name for p in folder.iterdir())
        ['stats.csv.lock']
        >>> sorted(p.name for p in folder.iterdir())
        []
    """
    path = pathlib.Path(path)
    if path.is_dir():
        raise QecError.invalid("save", str(path), "a file path (it is a directory)")
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    descriptor = _take_lock(path, lock_path)
    try:
        os.write(descriptor, f"qec process {os.getpid()}".encode())
        if path.exists():
            repair_torn_tail(path)
        yield path
    finally:
        # Removed while still held: a process that opened the old file meanwhile finds
        # it unlinked once it gets the lock, and starts again (`_take_lock`).
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock_path)
        os.close(descriptor)


def _take_lock(path: pathlib.Path, lock_path: pathlib.Path) -> int:
    """The descriptor of `lock_path`, exclusively locked (QecError if held)."""
    while True:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(descriptor, 200).decode(errors="replace").strip()
            os.close(descriptor)
            raise QecError(
                f"save={str(path)!r} is being written by {holder or 'another process'}; wait "
                "for it to finish or save to another file (sinter combine merges files)"
            ) from None
        try:
            current = os.stat(lock_path).st_ino
        except FileNotFoundError:
            current = -1
        if current == os.fstat(descriptor).st_ino:
            os.ftruncate(descriptor, 0)  # a file left by a killed run: take it over
            return descriptor
        os.close(descriptor)  # the previous holder removed this file: open the new one
