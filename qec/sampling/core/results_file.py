"""The sinter CSV results file: one writer at a time, and a torn last line repaired.

A run killed while writing (SIGKILL, power loss) can leave half a line at the end of the
file. Before a run appends to a file, `open_results_file` takes an exclusive lock (a
second process gets a clear error instead of interleaving lines) and drops such a torn
tail with a warning: the shots in it belonged to an unfinished batch, so dropping them
loses nothing that was counted and counts nothing twice. The repair truncates the file
in place, so it works on a full disk, and a kill during it leaves the old file or the
repaired one. A write the machine refuses (a full disk, an I/O error) gets the same
repair and ends the run with `EnvironmentFault`: the rows written before are kept and
read back by a rerun. Every command that writes results
(`qec estimate`, `qec threshold`, `qec footprint`, the experiments) goes through
`open_results_file`.

The lock is an advisory `flock` on `path.lock`: the operating system releases it when
its process dies, however it dies, and the lock file is removed when the run ends (a
`kill -9` leaves the file, unlocked; the next run takes it over).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import io
import os
import pathlib
import shutil
import sys
import tempfile
from collections.abc import Iterator

import sinter

from qec.errors import EnvironmentFault, QecError
from qec.sampling.core.derived_values import derived_values_file

# Files whose first bytes are known to be whole rows: path -> (inode, bytes). Appends
# only add lines after them, so a repair checks the new lines alone.
_whole: dict[str, tuple[int, int]] = {}
# The errors of a write the machine refused: disk full, quota, file too large, I/O.
_WRITE_FAULTS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


def _is_row(line: str) -> bool:
    try:
        stats = sinter.read_stats_from_csv_files(io.StringIO(f"{sinter.CSV_HEADER}\n{line}\n"))
    except Exception:  # any parse failure means the row is not whole
        return False
    return len(stats) == 1


def repair_torn_tail(
    path: str | pathlib.Path, *, warn: bool = True, parameter: str = "save"
) -> int:
    """Drops an incomplete last line from a sinter CSV and returns how many bytes it had.

    A complete row that only lacks its newline is kept (the newline is added); `warn`
    says on stderr what was dropped. A bad line before the last one is not a torn
    write: that raises QecError naming `parameter`. The repair truncates the file in
    place (or appends one newline), so it needs no free space and a kill during it
    leaves the old file or the repaired one.

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
    lines = data.split(b"\n")
    if start == 0 and len(lines) == 1 and sinter.CSV_HEADER.encode().startswith(data):
        os.truncate(path, 0)  # a header cut short: no row was written yet
        return len(data)
    if (
        start == 0
        and lines[0].decode("utf8", errors="replace").strip() != sinter.CSV_HEADER.strip()
    ):
        raise QecError.invalid(
            parameter, str(path), "a sinter CSV file (its first line is not sinter's header)"
        )
    complete, last = lines[:-1], lines[-1]
    first = 1 if start == 0 else 0  # the header, when reading from the start
    for number, line in enumerate(complete[first:], start=first + 1):
        if line.strip() and not _is_row(line.decode("utf8", errors="replace")):
            if number == len(complete) and not last:
                last = line + b"\n"  # a torn line that happened to get its newline
                break
            raise QecError.invalid(
                parameter,
                str(path),
                f"a sinter CSV file (line {number}, after byte {start}, is not a sinter row: "
                "repair or move the file)",
            )
    dropped = 0
    if last and _is_row(last.decode("utf8", errors="replace")):
        with open(path, "ab") as file:
            file.write(b"\n")
    elif last:
        dropped = len(last)
        os.truncate(path, stat.st_size - dropped)
    if dropped and warn:
        print(
            f"qec: warning: {path}: dropped an incomplete last line ({dropped} bytes) left "
            "by an interrupted run; its shots were never counted",
            file=sys.stderr,
        )
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


def copy_results(source: str | pathlib.Path, destination: str | pathlib.Path) -> None:
    """Copies the results file `source` to `destination`, with the values derived from
    its circuits kept beside it (`derived_values_file`), so that the copy is read back
    as fast as the original.

    Examples:
        >>> import tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> append_rows(folder / "a.csv", [])
        >>> copy_results(folder / "a.csv", folder / "b.csv")
        >>> (folder / "b.csv").read_text() == sinter.CSV_HEADER + "\\n"
        True
    """
    shutil.copyfile(source, destination)
    derived = derived_values_file(pathlib.Path(source))
    if derived.exists():
        shutil.copyfile(derived, derived_values_file(pathlib.Path(destination)))


def append_rows(path: pathlib.Path, rows: list[sinter.TaskStats]) -> None:
    """Appends `rows` to the sinter CSV at `path` (with sinter's header if the file is
    new or empty), each line flushed as it is written."""
    new_file = not path.exists() or path.stat().st_size == 0
    with open(path, "a") as out:
        if new_file:
            print(sinter.CSV_HEADER, file=out)
        for row in rows:
            print(row.to_csv_line(), file=out, flush=True)


def check_results_path(path: str | pathlib.Path, *, parameter: str = "save") -> None:
    """Raises QecError naming `parameter` unless `path` can be a results file: a
    regular file, or a new one, in a folder this process can write (the lock file goes
    beside it) or create. Checked before any work, so that a run never computes for
    nothing.

    Examples:
        >>> check_results_path("/dev/full")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: save='/dev/full' is not allowed: expected a regular file or \
a new file's path (it is a character device)
    """
    path = pathlib.Path(path)
    if path.exists() and not path.is_file():
        kind = "a directory" if path.is_dir() else _special_kind(path)
        raise QecError.invalid(
            parameter, str(path), f"a regular file or a new file's path (it is {kind})"
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise QecError.invalid(parameter, str(path), "a file this process may read and write")
    check_writable_folder(path.parent, parameter=parameter, value=str(path))


def check_results_file(path: str | pathlib.Path, *, parameter: str = "save") -> bool:
    """Raises QecError naming `parameter` unless `path` can be a results file
    (`check_results_path`) and, if it exists, is a sinter CSV that a run can read and
    extend: sinter's header, rows sinter reads (a torn last line is repaired, as every
    run does), and no other process writing it. Returns whether the file exists.

    Examples:
        >>> import tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> check_results_file(folder / "new.csv")
        False
        >>> _ = (folder / "notes.csv").write_text("hello")
        >>> check_results_file(folder / "notes.csv", parameter="points")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        qec.errors.QecError: points='.../notes.csv' is not allowed: expected a sinter CSV \
file (its first line is not sinter's header)
    """
    path = pathlib.Path(path)
    with open_results_file(path, parameter=parameter):  # checks the path first
        if not path.exists():
            return False
        try:
            read_saved_stats(path)
        except ValueError as error:  # sinter's own reading
            raise QecError.invalid(
                parameter, str(path), f"a sinter CSV file that sinter reads ({error})"
            ) from None
    return True


def check_writable_folder(
    folder: str | pathlib.Path, *, parameter: str, value: object = None
) -> None:
    """Raises QecError naming `parameter=value` (the folder by default) unless `folder`
    is a folder this process can write files into, or can create.

    The test is a real one (permissions say nothing to root): a temporary file, or
    folder when `folder` is still to be made, is created and removed in it or in its
    nearest existing parent, which also catches a read-only file system and places
    such as /proc that refuse new entries.

    Examples:
        >>> check_writable_folder("/proc/qec-report", parameter="out")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        qec.errors.QecError: out='/proc/qec-report' is not allowed: expected a folder this \
process can create and write (/proc refuses: ...)
    """
    folder = pathlib.Path(folder)
    shown = str(folder) if value is None else value
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing == folder and not folder.is_dir():
        kind = "a file" if folder.is_file() else _special_kind(folder)
        raise QecError.invalid(parameter, shown, f"a folder (it is {kind})")
    if not existing.is_dir():
        raise QecError.invalid(parameter, shown, f"a folder path ({existing} is a file)")
    try:
        if existing == folder:
            with tempfile.TemporaryFile(dir=folder):
                pass
        else:
            os.rmdir(tempfile.mkdtemp(dir=existing))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise QecError.invalid(
            parameter,
            shown,
            f"a folder this process can create and write ({existing} refuses: {reason})",
        ) from None


def _special_kind(path: pathlib.Path) -> str:
    """What a path that is neither a regular file nor a directory is, in words."""
    if path.is_char_device():
        return "a character device"
    if path.is_block_device():
        return "a block device"
    if path.is_fifo():
        return "a named pipe"
    if path.is_socket():
        return "a socket"
    return "not a regular file"


def _whole_rows(path: pathlib.Path) -> int:
    """The rows of a results file whose torn tail has been dropped (header excluded)."""
    if not path.exists():
        return 0
    with open(path, "rb") as file:
        return max(0, sum(1 for line in file if line.strip()) - 1)


@contextlib.contextmanager
def open_results_file(
    path: str | pathlib.Path, *, parameter: str = "save"
) -> Iterator[pathlib.Path]:
    """Locks `path` for this process (via `path.lock`), repairs a torn tail, yields it;
    removes the lock file at the end.

    Raises QecError at once if another process holds the lock, or if `path` cannot be
    a results file (`check_results_path`). When the machine refuses a write (a full
    disk, an I/O error), the half-written row is dropped and `EnvironmentFault` says
    how many whole rows the file keeps.

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
    check_results_path(path, parameter=parameter)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    descriptor = _take_lock(path, lock_path, parameter)
    try:
        with contextlib.suppress(OSError):  # the holder's name only informs a second run
            os.write(descriptor, f"qec process {os.getpid()}".encode())
        _repair(path, parameter=parameter)
        yield path
    except OSError as error:
        if error.errno not in _WRITE_FAULTS:
            raise
        _repair(path, parameter=parameter, warn=False)  # the row being written when it failed
        if error.filename is None:  # a write to an open file: the results file's
            error.filename = str(path)
        raise EnvironmentFault.from_os_error(error, kept_rows=_whole_rows(path)) from None
    finally:
        # Removed while still held: a process that opened the old file meanwhile finds
        # it unlinked once it gets the lock, and starts again (`_take_lock`).
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock_path)
        os.close(descriptor)


def _repair(path: pathlib.Path, *, parameter: str, warn: bool = True) -> None:
    """Repairs a torn tail of `path` if it exists (`repair_torn_tail`), and removes a
    file left empty (not even a header): the run then starts it afresh."""
    if path.exists():
        repair_torn_tail(path, warn=warn, parameter=parameter)
        if path.stat().st_size == 0:
            path.unlink()


def _take_lock(path: pathlib.Path, lock_path: pathlib.Path, parameter: str) -> int:
    """The descriptor of `lock_path`, exclusively locked (QecError if held)."""
    while True:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(descriptor, 200).decode(errors="replace").strip()
            os.close(descriptor)
            raise QecError.invalid(
                parameter,
                str(path),
                f"a file no other process is writing ({holder or 'another process'} is): "
                "wait for it to finish or use another file (sinter combine merges files)",
            ) from None
        try:
            current = os.stat(lock_path).st_ino
        except FileNotFoundError:
            current = -1
        if current == os.fstat(descriptor).st_ino:
            os.ftruncate(descriptor, 0)  # a file left by a killed run: take it over
            return descriptor
        os.close(descriptor)  # the previous holder removed this file: open the new one
