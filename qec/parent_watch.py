"""Worker processes exit when the process that started them is gone: sinter's, and the
splitting runs' process pool (`watch_parent` as its initializer).

sinter runs its workers as child processes that wait for work in a polling loop. When
the parent is killed outright (`kill -9`, the out-of-memory killer), nothing tells them,
and they idle for ever (~84 MB each). `exiting_with_parent` wraps the decoders a run
uses: sinter sends the wrapper to every worker, and unpacking it there starts a thread
that ends the worker once its parent process has changed (an orphan is adopted by
another process). Decoding itself is the wrapped decoder's, untouched.

The module sits outside `qec.sampling` on purpose: every worker imports it at start-up,
and `import qec.sampling` (scipy and all) would add about a second to each sinter run.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import sinter

# How often a worker checks its parent, in seconds.
CHECK_SECONDS = 1.0
_watching = threading.Event()


class ExitingWithParent(sinter.Decoder):  # type: ignore[misc]  # sinter is untyped
    """The sinter decoder `decoder`, whose copies in worker processes end their process
    once the process that made the copy is gone.

    Examples:
        >>> import pickle
        >>> decoder = ExitingWithParent(sinter.BUILT_IN_DECODERS["pymatching"])
        >>> type(pickle.loads(pickle.dumps(decoder)).decoder).__name__  # nothing to watch
        'PyMatchingDecoder'
    """

    def __init__(self, decoder: sinter.Decoder) -> None:
        self.decoder = decoder

    def __getstate__(self) -> dict[str, Any]:
        return {"decoder": self.decoder, "parent": os.getpid()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.decoder = state["decoder"]
        if state["parent"] != os.getpid():  # unpacked in a worker
            watch_parent(state["parent"])

    def compile_decoder_for_dem(self, *, dem: Any) -> sinter.CompiledDecoder:
        return self.decoder.compile_decoder_for_dem(dem=dem)

    def decode_via_files(self, **kwargs: Any) -> None:
        self.decoder.decode_via_files(**kwargs)


def exiting_with_parent(decoders: dict[str, sinter.Decoder]) -> dict[str, sinter.Decoder]:
    """sinter `custom_decoders` that stand in for `decoders` (same names, same
    decoding), so that the run's workers exit with their parent."""
    return {name: ExitingWithParent(decoder) for name, decoder in decoders.items()}


def watch_parent(parent: int) -> None:
    """Ends this process once `parent` is no longer its parent (checked every second by
    a daemon thread; started once per process)."""
    if _watching.is_set():
        return
    _watching.set()

    def check() -> None:
        while os.getppid() == parent:
            time.sleep(CHECK_SECONDS)
        os._exit(0)  # orphaned: nothing is left to report to

    threading.Thread(target=check, name="qec-parent-watch", daemon=True).start()
