"""`qec circuit`: print the noisy stim circuit of an experiment."""

from __future__ import annotations

from qec.cli._args import OneLineParser, add_experiment_arguments, experiment_from_args


def main_circuit(*, command_line_args: list[str]) -> int:
    """Prints the stim circuit text.

    Examples:
        >>> main_circuit(command_line_args=["--code", "repetition", "--distance", "3",
        ...     "--rounds", "1", "--noise", "code_capacity:p=0.1"])  # doctest: +ELLIPSIS
        QUBIT_COORDS(0, 0) 0
        ...
        OBSERVABLE_INCLUDE(0) rec[-1]
        TICK
        0
    """
    parser = OneLineParser(prog="qec circuit", description="Print the noisy stim circuit.")
    add_experiment_arguments(parser)
    args = parser.parse_args(command_line_args)
    print(experiment_from_args(args).circuit())
    return 0
