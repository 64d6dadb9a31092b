"""A comparison's files: the tables as CSV, everything as JSON, the plot, and one
self-contained HTML report (plot, tables, assumptions, sources, how each number was
obtained)."""

from __future__ import annotations

import base64
import html
import io
import json
import pathlib

from qec.overhead.rows import FootprintRow
from qec.overhead.table import (
    CSV_COLUMNS,
    RATIO_COLUMNS,
    FootprintTable,
    Ratio,
    qubits_text,
    ratio_text,
    write_csv,
)

# Where each model and number of the comparison comes from.
SOURCES = (
    "Circuit-level depolarizing noise: stim's generated circuits (Gidney, Quantum 5, 497 "
    "(2021)); surface code threshold ~0.8% with MWPM (Higgott et al., 2023).",
    "SI1000: Gidney, Newman, Fowler, Broughton, Quantum 5, 605 (2021), Table 2, "
    "CZ-native with separate measurement and reset.",
    "Biased noise and the XZZX code: Tuckett et al., PRL 124, 130501 (2020); Bonilla "
    "Ataides et al., Nat. Commun. 12, 2172 (2021).",
    "Cat qubits and the repetition cat code: Le Régent et al., Quantum 7, 1198 (2023); "
    "Gouzien et al., PRL 131, 040602 (2023); Chamberland et al., PRX Quantum 3, 010329 "
    "(2022).",
    "Cat data with transmon ancillas: Putterman et al., Nature 638, 927 (2025) (AWS's "
    "Ocelot); Hann et al., arXiv:2410.23363 (thin surface code); every parameter with "
    "its source in qec/noise/cat_transmon.py.",
    "LDPC-cat codes: Ruiz, Guillaud, Leverrier, Mirrahimi, Vuillot, Nat. Commun. 16, 1040 "
    "(2025), arXiv:2401.09541: the periodic [17 H, 34, d] blocks of their simulations, "
    "decoded by their BP+OSD (bposd-ruiz25); counted per logical qubit: a block's cats "
    "and per-round rate divided by its 34 logical qubits (a block fails when any of them "
    "does), comparable with one surface-code patch per logical qubit.",
    "Measurement by multilevel splitting: Bravyi and Vargo, PRA 88, 062308 (2013); "
    "arXiv:2509.13678; arXiv:2511.15177.",
)
HOW = (
    "Each design's first distances are simulated (direct Monte Carlo with Wilson "
    "intervals, or fault-count stratified sampling); each part of the logical error is "
    "fitted as p(d) = A * Lambda^(-(d+1)/2) per round by maximum likelihood, with 95% "
    "profile-likelihood intervals, and extrapolated beyond. A pick beyond the simulated "
    "range is measured by multilevel splitting with the next smaller size: 'verified' "
    "when the measured 95% interval meets the target. A row is 'met' when the 95% upper "
    "end of its rate is at or below the target ('qubits' is then the count it claims); "
    "'unresolved' when only a point estimate gets there; 'not reached' otherwise. The "
    "central count [95%] is the fewest qubits whose point estimate [lower end, upper "
    "end] meets the target (a part sampled without a failure counts at its fit's value, "
    "within its upper end, not at 0). A ratio's interval divides the ends of the two qubit "
    "intervals (it covers when both do: at least 90%)."
)


def write_report(table: FootprintTable, out: str | pathlib.Path) -> dict[str, pathlib.Path]:
    """Writes compare.csv, compare_ratios.csv, compare.json, compare.png and compare.html
    into `out` (created if missing); returns the paths by kind."""
    from qec.plotting.footprint import comparison_figure

    folder = pathlib.Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        kind: folder / name
        for kind, name in (
            ("csv", "compare.csv"),
            ("ratios", "compare_ratios.csv"),
            ("json", "compare.json"),
            ("png", "compare.png"),
            ("html", "compare.html"),
        )
    }
    ratios = table.baseline_ratios()
    write_csv(paths["csv"], table.csv_rows(), CSV_COLUMNS)
    write_csv(paths["ratios"], [r.to_csv() for r in ratios], RATIO_COLUMNS)
    paths["json"].write_text(json.dumps(table.report_json(), indent=1) + "\n")
    figure = comparison_figure(table)
    figure.savefig(paths["png"], dpi=110)
    image = io.BytesIO()
    figure.savefig(image, format="png", dpi=110)
    paths["html"].write_text(report_html(table, ratios, image.getvalue()))
    return paths


def report_html(table: FootprintTable, ratios: list[Ratio], png: bytes) -> str:
    """The self-contained HTML report: the plot inline, the qubit and ratio tables, the
    assumptions, how the numbers were obtained, every row's details and the sources."""
    e = html.escape
    designs = table.designs()
    head = "".join(f"<th>{e(d)}</th>" for d in designs)
    body = []
    for target in table.targets():
        cells = "".join(f"<td>{_cell(table.row(d, target))}</td>" for d in designs)
        body.append(f"<tr><th>{target:.0e}</th>{cells}</tr>")
    ratio_rows = "".join(
        f"<tr><td>{e(r.numerator.design)} / {e(r.denominator.design)}</td>"
        f"<td>{r.target:.0e}</td><td>{ratio_text(r)}</td></tr>"
        for r in ratios
        if r.interval is not None
    )
    assumptions = "".join(
        f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in table.assumptions.items()
    )
    details = "".join(
        f"<tr><td>{e(r.design)}</td><td>{r.target:.0e}</td><td>{e(r.size)}</td>"
        f"<td>{e(r.status)}</td><td>{e(r.evidence)}</td><td>{e(r.method)}</td>"
        f"<td>{'' if r.per_round is None else e(str(r.per_round))}</td><td>{e(r.rests_on)}</td>"
        f"<td>{e('; '.join(str(c) for c in r.components))}</td><td>{e(r.explanation)}</td></tr>"
        for r in table.rows
    )
    sources = "".join(f"<li>{e(s)}</li>" for s in SOURCES)
    image = base64.b64encode(png).decode()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>qec compare</title>
<style>body{{font-family:sans-serif;max-width:1400px;margin:auto}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:3px 6px;
font-size:small;vertical-align:top}}.met{{color:#060}}.open{{color:#a60}}</style></head>
<body><h1>Physical qubits per logical qubit</h1>
<p>Central count [95% interval] per design and per-round target; status in brackets when
a row is not met. {e(HOW)}</p>
<img alt="qubits against target, and ratios" src="data:image/png;base64,{image}" width="100%">
<h2>Qubits</h2><table><tr><th>target</th>{head}</tr>{"".join(body)}</table>
<h2>Ratios to the surface code</h2>
<table><tr><th>surface / design</th><th>target</th><th>ratio [interval]</th></tr>
{ratio_rows}</table>
<h2>Assumptions</h2><table>{assumptions}</table>
<h2>How each number was obtained</h2>
<table><tr><th>design</th><th>target</th><th>size</th><th>status</th><th>evidence</th>
<th>method</th><th>per round [95%]</th><th>rests on</th><th>parts</th><th>note</th></tr>
{details}</table>
<h2>Sources</h2><ul>{sources}</ul></body></html>
"""


def _cell(row: FootprintRow | None) -> str:
    if row is None:
        return ""
    if row.met:
        mark = "*" if row.evidence == "extrapolated" else ""
        return f'<span class="met">{html.escape(qubits_text(row.qubit_interval))}{mark}</span>'
    return f'<span class="open">{html.escape(row.status)}</span>'
