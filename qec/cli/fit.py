"""`qec fit`: fit p_L(d) = A * Lambda^(-(d+1)/2), bent by h^gamma where the data ask for
it (`qec.analysis.fit_bend`), to sinter CSV results, and project the distance that
reaches a target logical error rate."""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from typing import Any

import sinter

from qec.analysis.fit import MODEL, check_target
from qec.analysis.fit_bend import BENT_MODEL, CHI2_95, BentFit
from qec.analysis.fit_stats import FittedStats, GroupFit, fit_points_from_stats
from qec.cli._args import OneLineParser
from qec.errors import QecError
from qec.intervals import wilson

METHOD = "maximum likelihood on the binomial counts, 95% profile-likelihood intervals"
WITH_ESTIMATES = (
    "maximum likelihood on the binomial counts and the estimates' 95% intervals (split "
    "normal in log p_L), 95% profile-likelihood intervals"
)


def _targets(text: str) -> list[float]:
    """argparse type: a comma-separated list of per-round targets in (0, 0.5)."""
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"target={text!r} is not allowed: expected numbers separated by commas, e.g. 1e-9,1e-12"
        ) from None
    if not values:
        raise argparse.ArgumentTypeError(f"target={text!r} is not allowed: expected a number")
    try:
        return [check_target(v) for v in values]
    except QecError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def read_stats(paths: list[str]) -> list[sinter.TaskStats]:
    """The rows of the sinter CSV files, rows of the same task added up across files.

    A missing or unreadable file raises QecError naming it.
    """
    merged: dict[str, sinter.TaskStats] = {}
    for path in paths:
        if not pathlib.Path(path).is_file():
            raise QecError.invalid("file", path, "an existing sinter CSV file (no such file)")
        if pathlib.Path(path).stat().st_size == 0:
            raise QecError.invalid("file", path, "a sinter CSV file (this one is empty)")
        try:
            rows = sinter.read_stats_from_csv_files(path)
        except Exception as error:  # sinter raises several types on malformed files
            raise QecError.invalid(
                "file", path, f"a sinter CSV file (reading it failed: {error})"
            ) from None
        for row in rows:
            merged[row.strong_id] = merged[row.strong_id] + row if row.strong_id in merged else row
    return list(merged.values())


def _header(metadata: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in metadata.items())


def _distance_range(distances: tuple[int, ...]) -> str:
    return f"d = {distances[0]} to {distances[-1]}"


def _group_text(index: int, group: GroupFit, targets: list[float]) -> list[str]:
    fit = group.fit
    fitted = "not fitted" if fit is None else f"fitted for {_distance_range(fit.distances)}"
    estimates = [p for p in group.points if not p.binomial]
    lines = [
        f"group {index}: {_header(dict(group.metadata))}",
        f"  model: {MODEL if fit is None else fit.model}, p_L per round, {fitted}",
        f"  method: {WITH_ESTIMATES if estimates else METHOD}",
    ]
    interval = "[95%]" if estimates else "[95% Wilson]"
    table = [("d", "rounds", "shots", "errors", f"p_L/round {interval}", "model p_L")]
    for p in group.points:
        observed = p.rate or wilson(errors=p.errors, shots=p.shots).per_round(rounds=p.rounds)
        table.append(
            (
                str(p.distance),
                str(p.rounds),
                f"{p.shots:,}" if p.binomial else "-",
                f"{p.errors:,}" if p.binomial else "-",
                f"{observed.value:.2e} [{observed.low:.2e}, {observed.high:.2e}]",
                "" if fit is None else f"{fit.predict(p.distance):.2e}",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        cells = [
            c.rjust(w) if i < 4 else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append(("    " + "  ".join(cells)).rstrip())
    for p in estimates:
        counted = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in p.counts().items())
        if p.rate is not None and p.rate.low == p.rate.high:
            counted = "exact: its strata decoded exhaustively"
        lines.append(f"    d = {p.distance}: {p.method} estimate ({counted}), not counts of shots")
    if fit is None:
        lines.append(f"  not fitted: {group.error}")
        return lines
    lines.append(f"  Lambda = {fit.Lambda}")
    lines.append(f"  A      = {fit.A}")
    if isinstance(fit, BentFit):
        lines.append(f"  gamma  = {fit.gamma}")
        lines.append(f"  central curve: {_central(fit)}; intervals: gamma free")
    quality = (
        "no p-value (2 points, 2 parameters: 0 dof)"
        if fit.p_value is None
        else f"p-value {fit.p_value:.3g}"
    )
    lines.append(f"  fit quality: deviance {fit.deviance:.3g} on {fit.dof} dof, {quality}")
    for target in targets:
        projection = fit.distance_for_target(target)
        if projection.distance is None:
            where = "no distance reaches it (Lambda <= 1: above threshold)"
            if projection.distance_low is not None:
                where += f"; at 95%, d >= {projection.distance_low} or none"
        else:
            high = "none" if projection.distance_high is None else str(projection.distance_high)
            where = f"d = {projection.distance} [95%: {projection.distance_low} to {high}]"
            if projection.extrapolated:
                where += f", extrapolated beyond the fitted {_distance_range(fit.distances)}"
        lines.append(f"  target p_L = {target:.3g} per round: {where}")
    return lines


def _central(fit: BentFit) -> str:
    """Which curve the central values follow, and the test that chose it."""
    gain = 2 * (fit.log_likelihood - fit.exponential_log_likelihood)
    if fit.bent:
        return f"bent (the exponential is rejected: 2 dlogL = {gain:.3g} > {CHI2_95:.3g})"
    return f"exponential, gamma = 0 (the bend is not needed: 2 dlogL = {gain:.3g} <= {CHI2_95:.3g})"


def _group_json(group: GroupFit, targets: list[float]) -> dict[str, Any]:
    fit = group.fit
    result: dict[str, Any] = {
        "metadata": dict(group.metadata),
        "model": MODEL if fit is None else fit.model,
        "points": [p.to_json() for p in group.points],
    }
    if fit is None:
        return {
            **result,
            "fitted_distances": [],
            "lambda": None,
            "A": None,
            "gamma": None,
            "bent": None,
            "deviance": None,
            "dof": None,
            "p_value": None,
            "targets": [],
            "error": group.error,
        }
    return {
        **result,
        "fitted_distances": list(fit.distances),
        "lambda": fit.Lambda.to_json(),
        "A": fit.A.to_json(),
        "gamma": fit.gamma.to_json() if isinstance(fit, BentFit) else None,
        "bent": fit.bent if isinstance(fit, BentFit) else None,
        "deviance": fit.deviance,
        "dof": fit.dof,
        "p_value": fit.p_value,
        "targets": [fit.distance_for_target(t).to_json() for t in targets],
        "error": None,
    }


def _skipped_note(fitted: FittedStats) -> str | None:
    if not fitted.skipped:
        return None
    reasons = ", ".join(f"{n} {reason}" for reason, n in fitted.skipped.items())
    return f"skipped rows: {reasons}"


def main_fit(*, command_line_args: list[str]) -> int:
    """Fits each group of rows in sinter CSV files and prints the fits (or a JSON list).

    Rows are grouped by their metadata and decoder apart from distance, dx, dz, qubits
    and rounds (the likelihood uses each row's rounds); --by-rounds also splits groups
    by rounds. Bad input raises QecError, which `qec` prints as one line (status 2).

    Examples:
        >>> main_fit(command_line_args=["no-such-file.csv"])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        qec.errors.QecError: file='no-such-file.csv' is not allowed: expected an existing ...
    """
    parser = OneLineParser(
        prog="qec fit",
        description=(
            f"Fit {MODEL} (p_L per round) to sinter CSV results by maximum likelihood, "
            f"bent as {BENT_MODEL} where four or more distances reject the plain "
            "exponential at 95%, with 95% profile-likelihood intervals (gamma free), and "
            "project the distance that reaches a target."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE.csv", help="sinter CSV files")
    parser.add_argument(
        "--target",
        type=_targets,
        action="append",
        default=[],
        help="per-round logical error rates to reach, e.g. 1e-9 or 1e-9,1e-12 (repeatable) "
        "(default: none, fits only)",
    )
    parser.add_argument(
        "--by-rounds", action="store_true", help="fit each number of rounds separately"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list of fits")
    args = parser.parse_args(command_line_args)
    targets = [t for group in args.target for t in group]

    stats = read_stats(args.files)
    point_keys = ("distance", "dx", "dz", "qubits") + (() if args.by_rounds else ("rounds",))
    fitted = fit_points_from_stats(stats, point_keys=point_keys)
    note = _skipped_note(fitted)
    if not any(group.fit is not None for group in fitted.groups):
        reasons = [f"{_header(dict(g.metadata))}: {g.error}" for g in fitted.groups]
        detail = "; ".join(reasons + ([note] if note else [])) or "no rows"
        raise QecError.invalid(
            "files", args.files, f"a group of rows that can be fitted ({detail})"
        )
    if args.json:
        print(json.dumps([_group_json(g, targets) for g in fitted.groups], indent=2))
        if note:
            print(f"qec fit: {note}", file=sys.stderr)
        return 0
    blocks = [_group_text(i, g, targets) for i, g in enumerate(fitted.groups, start=1)]
    print("\n\n".join("\n".join(block) for block in blocks))
    if note:
        print(f"\n{note}")
    return 0
