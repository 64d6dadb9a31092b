"""`qec estimate`: the logical error rate of one experiment, with its interval."""

from __future__ import annotations

import importlib
import json

import sinter

from qec.cli._args import (
    OneLineParser,
    add_experiment_arguments,
    add_output_arguments,
    count,
    experiment_from_args,
)
from qec.errors import QecError
from qec.sampling.core.decoders import OPTIONAL_PACKAGES
from qec.sampling.estimate import METHODS, estimate


def custom_decoders(spec: str | None) -> dict[str, sinter.Decoder] | None:
    """The decoders that `MODULE:FUNCTION` returns (None for None); QecError when the
    module or function is missing or returns something else.

    Examples:
        >>> sorted(custom_decoders("stimbposd:sinter_decoders"))[:2]
        ['bplsd', 'bplsd-minsum']
        >>> custom_decoders("nowhere:decoders")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: custom_decoders='nowhere:decoders' is not allowed: expected \
MODULE:FUNCTION naming an importable module's function (No module named 'nowhere')
    """
    if spec is None:
        return None
    module_name, _, function_name = spec.partition(":")
    allowed = "MODULE:FUNCTION naming an importable module's function"
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError, ValueError) as error:
        raise QecError.invalid("custom_decoders", spec, f"{allowed} ({error})") from None
    found = function()
    if not isinstance(found, dict) or not all(isinstance(k, str) for k in found):
        raise QecError.invalid(
            "custom_decoders", spec, "a function returning a dict of names to sinter.Decoder"
        )
    return found


def make_parser() -> OneLineParser:
    """The argument parser of `qec estimate`; its defaults are those of `estimate`.

    Examples:
        >>> make_parser().get_default("method")
        'auto'
    """
    parser = OneLineParser(
        prog="qec estimate",
        description=(
            "Estimate the logical error rate of a memory experiment, or of any noisy stim "
            "circuit (--circuit), per shot and per round with 95% intervals: by direct Monte "
            "Carlo (sinter + a decoder), by stratified sampling of fault sets, by multilevel "
            "splitting, or by whichever a pilot run picks (auto)."
        ),
    )
    add_experiment_arguments(parser, circuit_file=True)
    parser.add_argument(
        "--method",
        default="auto",
        help=f"one of {', '.join(METHODS)} (default: %(default)s). auto runs a seeded pilot "
        "and picks monte_carlo if --max-shots should yield enough errors (the fewer of "
        "--max-errors and what --rel-precision needs), else stratified if the circuit has "
        "few faults per shot and splitting if not",
    )
    parser.add_argument(
        "--decoder",
        default="pymatching",
        help="every method decodes with it: installed with qec: "
        + ", ".join(n for n in sinter.BUILT_IN_DECODERS if n not in OPTIONAL_PACKAGES)
        + "; with an extra: bposd, bposd-minsum, bplsd, ... (BP+OSD and BP+LSD, pip install "
        '"qec[bposd]"), fusion_blossom (pip install fusion-blossom), hypergraph_union_find, '
        "mw_parity_factor (pip install mwpf); or a name --custom-decoders gives",
    )
    parser.add_argument(
        "--custom-decoders",
        default=None,
        metavar="MODULE:FUNCTION",
        help="a function returning a dict of names to sinter.Decoder objects, as sinter's "
        "--custom_decoders_module_function, e.g. stimbposd:sinter_decoders (default: none)",
    )
    parser.add_argument(
        "--max-shots",
        type=count,
        default=1_000_000,
        help="monte_carlo: shots, stratified: fault sets, in total, counting those already "
        "in --save (default: %(default)s)",
    )
    parser.add_argument(
        "--max-errors",
        type=count,
        default=100,
        help="monte_carlo: stop once this many errors are counted in total (default: %(default)s)",
    )
    parser.add_argument(
        "--rel-precision",
        type=float,
        default=0.2,
        help="stratified, splitting: stop when the 95%% half-width is this fraction of the rate; "
        "auto: the precision a direct run must be able to reach (default: %(default)s)",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=None,
        help="stratified, splitting: time budget in seconds, counting the setup (building the "
        "circuit's detector error model and decoding problem) (default: none, until "
        "--max-shots or --rel-precision)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="stratified, splitting, the pilot of auto: random seed (default: a fresh one, "
        "recorded in the saved rows)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="monte_carlo, splitting: processes, or workers of the local Dask cluster "
        "(default: one per core)",
    )
    parser.add_argument(
        "--backend",
        default="sinter",
        help="monte_carlo, splitting: sinter (processes here) or dask (a Dask cluster) "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        help="address of a running Dask scheduler (implies dask) (default: a local cluster "
        "when --backend dask)",
    )
    parser.add_argument(
        "--attribute",
        action="store_true",
        help="also say which fault kinds (operation, data or ancilla, cat or transmon) the "
        "failures rest on: each kind's elasticity d log P_L / d log p_K with its 95%% "
        "interval (stratified and splitting only; auto then picks one of them)",
    )
    parser.add_argument(
        "--curve-down-to",
        type=float,
        default=1.0,
        metavar="SCALE",
        help="splitting: carry the ladder below the requested noise, to every mechanism's "
        "odds times SCALE (0 < SCALE <= 1), so that the curve of rates (--json: curve) also "
        "covers weaker noise (default: %(default)s, the requested noise)",
    )
    add_output_arguments(parser, saved="to append to and resume from", printed="one JSON object")
    return parser


def main_estimate(*, command_line_args: list[str]) -> int:
    """Samples, decodes and prints the estimate (or one JSON object with --json).

    Examples:
        >>> main_estimate(command_line_args=["--code", "repetition", "--distance", "4",
        ...     "--rounds", "1", "--noise", "depolarizing:p=0.01"])
        Traceback (most recent call last):
        ...
        qec.errors.QecError: distance=4 is not allowed: expected an odd integer >= 3
    """
    args = make_parser().parse_args(command_line_args)
    experiment = experiment_from_args(args)
    result = estimate(
        experiment,
        method=args.method,
        decoder=args.decoder,
        custom_decoders=custom_decoders(args.custom_decoders),
        rel_precision=args.rel_precision,
        max_seconds=args.max_seconds,
        seed=args.seed,
        max_shots=args.max_shots,
        max_errors=args.max_errors,
        save=args.save,
        num_workers=args.workers,
        progress=not args.quiet,
        backend=args.backend,
        scheduler=args.scheduler,
        attribute=args.attribute,
        curve_down_to=args.curve_down_to,
    )
    print(json.dumps(result.to_json()) if args.json else result)
    return 0
