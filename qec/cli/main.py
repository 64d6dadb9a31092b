"""`qec`: the command-line entry point, dispatching to one module per subcommand."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys

from qec.errors import EnvironmentFault, QecError
from qec.interrupts import handle_signals, interrupts_kept

# subcommand -> (module, function); imported only when used.
SUBCOMMANDS = {
    "estimate": ("qec.cli.estimate", "main_estimate"),
    "circuit": ("qec.cli.circuit", "main_circuit"),
    "fit": ("qec.cli.fit", "main_fit"),
    "compare": ("qec.cli.compare", "main_compare"),
    "footprint": ("qec.cli.footprint", "main_footprint"),
    "threshold": ("qec.cli.threshold", "main_threshold"),
}
SUMMARIES = {
    "estimate": "a logical error rate with its 95% interval (direct, stratified, splitting)",
    "circuit": "the noisy stim circuit of a memory experiment",
    "fit": "Lambda fits of logical error rate against distance from sinter CSV files",
    "compare": "every design's qubits per target with intervals, and the ratios (the headline)",
    "footprint": "physical qubits a design needs to reach per-round targets",
    "threshold": "a code family's threshold from a sweep of noise strengths",
}


USAGE = "usage: qec {" + ",".join(SUBCOMMANDS) + "} [options]   (qec SUBCOMMAND --help)"
HELP = "\n".join(
    [
        USAGE,
        "",
        "Quantum error correction experiments: stim circuits, PyMatching, sinter CSV.",
        "",
        "subcommands:",
        *(f"  {name:<10} {SUMMARIES[name]}" for name in SUBCOMMANDS),
        "",
        "options:",
        "  -h, --help  this message",
        "  --version   the installed version of qec",
    ]
)


def version() -> str:
    """The installed package's version, e.g. '0.1.0'."""
    try:
        return importlib.metadata.version("qec")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree
        return "unknown (not installed)"


def main(command_line_args: list[str] | None = None) -> int:
    """Runs a subcommand. Bad input prints one line on stderr and returns 2; a fault of
    the machine (a full disk, a read-only file system) prints one line and returns 1.

    Examples:
        >>> main(["estimat"])
        2
    """
    args = sys.argv[1:] if command_line_args is None else command_line_args
    if not args:
        print(USAGE, file=sys.stderr)
        return 2
    if args[0] in ("-h", "--help"):
        print(HELP)
        return 0
    if args[0] == "--version":
        print(f"qec {version()}")
        return 0
    if args[0] not in SUBCOMMANDS:
        print(
            f"qec: error: subcommand={args[0]!r} is not allowed: expected one of "
            + ", ".join(SUBCOMMANDS),
            file=sys.stderr,
        )
        return 2
    entry = command_line_args is None  # this process is the command (not a caller's call)
    if entry:
        handle_signals()  # SIGTERM stops workers and files as Ctrl-C does
    module, function = SUBCOMMANDS[args[0]]
    run = getattr(importlib.import_module(module), function)
    try:
        with interrupts_kept():
            return int(run(command_line_args=args[1:]))
    except SystemExit as exit_:  # argparse: --help, or one line already printed
        return exit_.code if isinstance(exit_.code, int) else 2
    except QecError as error:
        print(f"qec {args[0]}: error: {error}", file=sys.stderr)
        return 2
    except (EnvironmentFault, OSError) as error:  # the machine's fault, not the input's
        fault = (
            error if isinstance(error, EnvironmentFault) else EnvironmentFault.from_os_error(error)
        )
        print(f"qec {args[0]}: error: {fault}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            f"qec {args[0]}: interrupted; finished batches are kept in the results file, if any",
            file=sys.stderr,
        )
        if entry:  # end the process now
            # Files, locks and workers were released as the interrupt unwound; what is
            # left is freeing memory, seconds on a large circuit that Ctrl-C need not wait.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
        return 130


if __name__ == "__main__":
    sys.exit(main())
