"""A script that starts sinter's worker processes from its top level must guard that code.

sinter (and the splitting runs' process pool) start their workers with multiprocessing's
"spawn" method: each worker begins by importing the script that started it, as the module
`__mp_main__`. Code at the script's top level then runs again in every worker; if it
starts workers itself, Python refuses inside the worker, the worker dies, and the parent
waits for it forever. Putting the calls under `if __name__ == "__main__":` keeps the
workers from re-running them.

`check_main_guard` catches the unguarded case before any worker starts, by looking at
the call stack: a call made from the top level of the script being run (`__main__` with a
source file) must sit inside an `if __name__ == "__main__":` block of that file. Calls
from notebooks, `python -c`, functions called under the guard, and worker processes pass.
"""

from __future__ import annotations

import ast
import functools
import pathlib
import sys
from types import FrameType

from qec.errors import QecError


def check_main_guard(workers: str) -> None:
    """Raises QecError if the running script is about to start `workers` (e.g. "sinter's
    worker processes") from its top level outside an `if __name__ == "__main__":` block
    (they would hang; see the module).

    Examples:
        >>> check_main_guard("sinter's worker processes")  # a doctest is no script
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or not str(path).endswith(".py"):
        return
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        at_top = frame.f_code.co_name == "<module>" and frame.f_code.co_filename == path
        if frame.f_globals is vars(main) and at_top:  # not exec'd text (cProfile.run)
            if not _guarded(str(path), frame.f_lineno):
                name = pathlib.Path(path).name
                raise QecError(
                    f"line {frame.f_lineno} of {name} starts {workers} from the script's top "
                    'level, outside `if __name__ == "__main__":`; they start by re-running '
                    "the script, so the run would hang. Put the script's calls under that "
                    "guard"
                )
            return
        frame = frame.f_back


@functools.lru_cache(maxsize=8)
def _guarded_ranges(path: str) -> tuple[tuple[int, int], ...]:
    """The line ranges of the top-level `if __name__ == "__main__":` blocks of `path`."""
    try:
        tree = ast.parse(pathlib.Path(path).read_text())
    except (OSError, SyntaxError, ValueError):
        return ((1, sys.maxsize),)  # unreadable: give the benefit of the doubt
    ranges = []
    for statement in tree.body:
        if isinstance(statement, ast.If) and _is_main_test(statement.test):
            ranges.append((statement.lineno, statement.end_lineno or statement.lineno))
    return tuple(ranges)


def _is_main_test(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    texts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return isinstance(test.ops[0], ast.Eq) and len(names) == 1 and len(texts) == 1


def _guarded(path: str, line: int) -> bool:
    return any(first <= line <= last for first, last in _guarded_ranges(path))
