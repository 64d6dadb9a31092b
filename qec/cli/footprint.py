"""`qec footprint`: the smallest design that meets each target, with its qubits."""

from __future__ import annotations

import json

from qec.cli._args import OneLineParser, add_output_arguments, count, numbers
from qec.errors import QecError
from qec.noise.registry import parse_noise, split_noise_spec, takes_nbar
from qec.overhead import Budget, FootprintTable, footprint
from qec.overhead.designs import (
    CAT_DESIGNS,
    CAT_TRANSMON_DESIGNS,
    DEFAULT_ASPECTS,
    DEFAULT_CAT_TRANSMON_NBARS,
    DEFAULT_NBARS,
    DESIGNS,
    Design,
    QubitWeights,
)
from qec.progress import ProgressLine


def qubit_weights(text: str, *, name: str = "weights") -> QubitWeights:
    """The qubit weights `--weights data=W,ancilla=W` gives (1 each when not given);
    QecError naming option `name` unless each W is a finite number > 0.

    Examples:
        >>> qubit_weights("data=2").data
        2.0
        >>> qubit_weights("data=nan", name="cat-weights")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: cat-weights='data=nan' is not allowed: expected data=W,ancilla=W \
with finite weights W > 0, e.g. data=2,ancilla=2
    """
    allowed = "data=W,ancilla=W with finite weights W > 0, e.g. data=2,ancilla=2"
    values: dict[str, float] = {}
    for item in filter(None, text.split(",")):
        key, sep, value = item.partition("=")
        if not sep or key.strip() not in ("data", "ancilla"):
            raise QecError.invalid(name, text, allowed)
        values[key.strip()] = numbers(name, value)[0]
    if not values:  # an empty option is a slip, not the default
        raise QecError.invalid(name, text, allowed)
    try:
        return QubitWeights(**values)
    except QecError:
        raise QecError.invalid(name, text, allowed) from None


def design_from_args(
    name: str, noise_spec: str, *, nbars: str | None, aspects: str | None, weights: str | None
) -> Design:
    """The design the command-line arguments describe (nbar free for cat designs unless
    the noise gives it)."""
    if name not in DESIGNS:
        raise QecError.invalid("design", name, "one of " + ", ".join(DESIGNS))
    explored: tuple[float, ...] = DEFAULT_NBARS
    cat_nbars = dict.fromkeys(CAT_DESIGNS, DEFAULT_NBARS)
    cat_nbars |= dict.fromkeys(CAT_TRANSMON_DESIGNS, DEFAULT_CAT_TRANSMON_NBARS)
    if name in cat_nbars:
        explored = cat_nbars[name]
        model, params = split_noise_spec(noise_spec)
        given = params.get("nbar")
        if given is not None:
            explored = (float(given),)
        elif takes_nbar(model):  # else the design names the noise it needs
            separator = "," if ":" in noise_spec else ":"
            noise_spec = f"{noise_spec}{separator}nbar={explored[0]:g}"
        if nbars is not None:
            explored = numbers("nbars", nbars)
    return Design(
        name=name,
        noise=parse_noise(noise_spec),
        weights=QubitWeights() if weights is None else qubit_weights(weights),
        nbars=explored,
        aspects=DEFAULT_ASPECTS if aspects is None else numbers("aspects", aspects),
    )


def main_footprint(*, command_line_args: list[str]) -> int:
    """Prints the footprint table (or a JSON list with --json)."""
    parser = OneLineParser(
        prog="qec footprint",
        description="Physical qubits a design needs to reach per-round logical error targets.",
    )
    parser.add_argument("--design", required=True, help=", ".join(DESIGNS))
    parser.add_argument(
        "--noise",
        required=True,
        help="NAME:key=value,...; for cat designs nbar may be left free (cat for "
        "repetition_cat, thin_surface_cat and ldpc_cat, cat_transmon or ocelot for the "
        "*_cat_transmon designs)",
    )
    parser.add_argument(
        "--target", default="1e-3,1e-6,1e-9,1e-11", help="per-round targets, comma-separated"
    )
    parser.add_argument(
        "--nbars",
        default=None,
        help="cat designs: nbar values to explore (default: "
        + ",".join(f"{n:g}" for n in DEFAULT_NBARS)
        + "; cat-transmon designs: "
        + ",".join(f"{n:g}" for n in DEFAULT_CAT_TRANSMON_NBARS)
        + ")",
    )
    parser.add_argument(
        "--aspects",
        default=None,
        help="rectangular designs: dz/dx ratios (default: "
        + ",".join(f"{a:g}" for a in DEFAULT_ASPECTS)
        + ")",
    )
    parser.add_argument(
        "--weights",
        default=None,
        help="qubit weights: data=W,ancilla=W (default 1 each; data=2 counts each cat's buffer)",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=Budget.measured_steps,
        help="distances simulated per family (3, 5, ...)",
    )
    parser.add_argument(
        "--max-shots",
        type=count,
        default=Budget.max_shots,
        help="shots (or fault sets) per simulated point",
    )
    parser.add_argument(
        "--max-errors",
        type=count,
        default=Budget.max_errors,
        help="direct sampling of a point stops after this many errors",
    )
    parser.add_argument(
        "--max-seconds", type=float, default=Budget.max_seconds, help="time per simulated point"
    )
    parser.add_argument(
        "--verify-seconds",
        type=float,
        default=Budget.verify_seconds,
        help="time per part to check a pick beyond the simulated range by splitting (0: none)",
    )
    parser.add_argument(
        "--workers",
        type=count,
        default=Budget.workers,
        help="processes to simulate on; the seconds are seconds of that many, so saved "
        "points read back the same on any machine",
    )
    add_output_arguments(parser, saved="of every simulated point", printed="a JSON list of rows")
    args = parser.parse_args(command_line_args)
    design = design_from_args(
        args.design, args.noise, nbars=args.nbars, aspects=args.aspects, weights=args.weights
    )
    if args.steps < 2:
        raise QecError.invalid("steps", args.steps, "an integer >= 2 (a fit needs two points)")
    rows = footprint(
        design,
        numbers("target", args.target),
        budget=Budget(
            measured_steps=args.steps,
            max_shots=args.max_shots,
            max_errors=args.max_errors,
            max_seconds=args.max_seconds,
            verify_seconds=args.verify_seconds,
            decoder=design.decoder,
            workers=args.workers,
        ),
        save=args.save,
        progress=None
        if args.quiet
        else ProgressLine(max_shots=None, max_errors=None, label="qec footprint").log,
    )
    table = FootprintTable(rows=tuple(rows))
    print(json.dumps(table.to_json()) if args.json else table)
    return 0
