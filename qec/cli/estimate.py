"""`qec estimate`: the logical error rate of one experiment, with its interval."""

from __future__ import annotations

import json

from qec.cli._args import OneLineParser, add_experiment_arguments, experiment_from_args
from qec.sampling.estimate import estimate


def main_estimate(*, command_line_args: list[str]) -> int:
    """Samples, decodes and prints the estimate (or one JSON object with --json)."""
    parser = OneLineParser(
        prog="qec estimate",
        description="Estimate a logical error rate by direct Monte Carlo (sinter + decoder).",
    )
    add_experiment_arguments(parser)
    parser.add_argument(
        "--method", default="auto", help="auto (default), monte_carlo or stratified"
    )
    parser.add_argument("--decoder", default="pymatching", help="a sinter decoder")
    parser.add_argument("--max-shots", type=int, default=1_000_000)
    parser.add_argument("--max-errors", type=int, default=100)
    parser.add_argument(
        "--rel-precision", type=float, default=0.2,
        help="stratified: stop when the 95%% half-width is this fraction of the rate",
    )
    parser.add_argument("--max-seconds", type=float, default=None, help="time budget")
    parser.add_argument("--seed", type=int, default=None, help="stratified: random seed")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument(
        "--backend", default="sinter", help="sinter (processes here) or dask (a Dask cluster)"
    )
    parser.add_argument(
        "--scheduler", default=None, help="address of a running Dask scheduler (implies dask)"
    )
    parser.add_argument("--save", default=None, help="sinter CSV to append to and resume from")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(command_line_args)
    experiment = experiment_from_args(args)
    result = estimate(
        experiment,
        method=args.method,
        decoder=args.decoder,
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
    )
    print(json.dumps(result.to_json()) if args.json else result)
    return 0
