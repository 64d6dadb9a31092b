"""Command-line pieces shared by the subcommands."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any, NoReturn

from qec.circuits.registry import CODE_FAMILIES, make_code
from qec.errors import QecError
from qec.experiment import MemoryExperiment
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


def add_experiment_arguments(parser: argparse.ArgumentParser) -> None:
    """--code, --distance/--dx/--dz, --rounds, --basis, --noise."""
    parser.add_argument("--code", required=True, help=f"one of {', '.join(CODE_FAMILIES)}")
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
    parser.add_argument("--rounds", type=int, required=True, help="rounds of syndrome extraction")
    parser.add_argument(
        "--basis", default="Z", help="logical basis kept: X or Z (default: %(default)s)"
    )
    parser.add_argument(
        "--noise", required=True, help="NAME:key=value,..., e.g. depolarizing:p=0.001"
    )


def add_output_arguments(parser: argparse.ArgumentParser, *, saved: str, printed: str) -> None:
    """--save (a sinter CSV that holds `saved`), --json (prints `printed`), --quiet."""
    parser.add_argument(
        "--save", default=None, help=f"sinter CSV {saved} (default: none, nothing saved)"
    )
    parser.add_argument("--json", action="store_true", help=f"print {printed}")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def experiment_from_args(args: argparse.Namespace) -> MemoryExperiment:
    """The experiment the parsed arguments describe; QecError on bad values."""
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
