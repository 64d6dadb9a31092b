"""Command-line pieces shared by the subcommands."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any, NoReturn

from qec.circuits.registry import CODE_FAMILIES, make_code
from qec.errors import QecError
from qec.experiment import CircuitExperiment, MemoryExperiment
from qec.noise.registry import parse_noise


class _DefaultsShown(argparse.HelpFormatter):
    """Appends '(default: X)' to every option's help that has a default worth saying
    (not None, an empty list or a flag's False) and does not speak of its default already."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        unsaid = default is None or default is False or default in ([], argparse.SUPPRESS)
        if "default" in text or unsaid:
            return text
        return text + " (default: %(default)s)"


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2, and whose
    help shows every option's default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _DefaultsShown)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def add_experiment_arguments(
    parser: argparse.ArgumentParser, *, circuit_file: bool = False
) -> None:
    """--code, --distance/--dx/--dz, --rounds, --basis, --noise; with `circuit_file`,
    also --circuit (a stim file instead of --code and --noise)."""
    # Without --circuit, these are needed; with one, they are left out.
    needed = " (default: none; needed without --circuit)" if circuit_file else ""
    if circuit_file:
        parser.add_argument(
            "--circuit",
            default=None,
            help="a noisy stim circuit file to estimate as it is, instead of --code and "
            "--noise; --rounds (or a line '# rounds: R' in the file) gives per-round rates, "
            "without it only per-shot ones (default: none)",
        )
    parser.add_argument(
        "--code", required=not circuit_file, help=f"one of {', '.join(CODE_FAMILIES)}{needed}"
    )
    parser.add_argument(
        "--distance",
        type=int,
        help="code distance (odd, >= 3) (default: none; then give both --dx and --dz)",
    )
    parser.add_argument(
        "--dx", type=int, help="distance against X errors (surface codes) (default: --distance)"
    )
    parser.add_argument(
        "--dz", type=int, help="distance against Z errors (surface codes) (default: --distance)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        required=not circuit_file,
        help="rounds of syndrome extraction"
        + (
            " (default: none; needed without --circuit, and for a circuit's per-round rate)"
            if circuit_file
            else ""
        ),
    )
    parser.add_argument(
        "--basis", default="Z", help="logical basis kept: X or Z (default: %(default)s)"
    )
    parser.add_argument(
        "--noise",
        required=not circuit_file,
        help=f"NAME:key=value,..., e.g. depolarizing:p=0.001{needed}",
    )


def add_output_arguments(parser: argparse.ArgumentParser, *, saved: str, printed: str) -> None:
    """--save (a sinter CSV that holds `saved`), --json (prints `printed`), --quiet."""
    parser.add_argument(
        "--save", default=None, help=f"sinter CSV {saved} (default: none, nothing saved)"
    )
    parser.add_argument("--json", action="store_true", help=f"print {printed}")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def experiment_from_args(args: argparse.Namespace) -> MemoryExperiment | CircuitExperiment:
    """The experiment the parsed arguments describe; QecError on bad values."""
    circuit = getattr(args, "circuit", None)
    if circuit is not None:
        given = [f"--{k}" for k in ("code", "noise", "distance", "dx", "dz") if getattr(args, k)]
        if given:
            raise QecError.invalid(
                "circuit", circuit, f"either --circuit or {', '.join(given)}, not both"
            )
        return CircuitExperiment.from_file(circuit, rounds=args.rounds)
    missing = [f"--{k}" for k in ("code", "rounds", "noise") if getattr(args, k) is None]
    if missing:
        raise QecError.invalid(
            "code",
            args.code,
            f"--code, --rounds and --noise (missing {', '.join(missing)}), or --circuit FILE",
        )
    code = make_code(args.code, distance=args.distance, dx=args.dx, dz=args.dz)
    return MemoryExperiment(
        code=code, noise=parse_noise(args.noise), rounds=args.rounds, basis=args.basis
    )


def count(text: str) -> int:
    """An argparse type for counts of shots or errors: whole numbers, also written like
    1e6 or 1_000_000.

    Examples:
        >>> count("1e6"), count("2_500")
        (1000000, 2500)
    """
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value.is_integer()):
        raise argparse.ArgumentTypeError(
            f"expected a whole number such as 100000 or 1e5, not {text!r}"
        )
    return int(value)


def numbers(name: str, text: str) -> tuple[float, ...]:
    """The comma-separated numbers of option `name`; QecError naming it otherwise.

    Examples:
        >>> numbers("target", "1e-3, 1e-6")
        (0.001, 1e-06)
    """
    try:
        values = tuple(float(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise QecError.invalid(name, text, "comma-separated numbers, e.g. 1e-3,1e-6") from None
    if not values:
        raise QecError.invalid(name, text, "one or more numbers")
    return values
