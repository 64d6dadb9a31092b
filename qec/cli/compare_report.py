"""A comparison's files: the tables as CSV, everything as JSON, the plot, and one
self-contained HTML report that answers first (verdict, qubits, ratios, time), then
shows the figure and folds the details (how, assumptions, every row, sources)."""

from __future__ import annotations

import base64
import html
import io
import json
import pathlib

from qec.literature.claim import STATEMENTS, answers, headline
from qec.overhead.grids import by_pair, ratio_cell
from qec.overhead.rows import FootprintRow
from qec.overhead.table import (
    CSV_COLUMNS,
    RATIO_COLUMNS,
    FootprintTable,
    Ratio,
    qubits_text,
    status_word,
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
    image = io.BytesIO()  # drawn once, for the file and the report
    comparison_figure(table).savefig(image, format="png", dpi=110)
    paths["png"].write_bytes(image.getvalue())
    paths["html"].write_text(report_html(table, ratios, image.getvalue()))
    return paths


def report_html(table: FootprintTable, ratios: list[Ratio], png: bytes) -> str:
    """The self-contained HTML report, the answer first: the verdict on AWS's 5-10x at
    these assumptions, the qubits per design and target, the ratios of each surface
    baseline to each cat design as a grid, the time per round; then the figure; then,
    folded, how the numbers were obtained, the assumptions, every row's details and the
    sources. `ratios` are the ones written beside it (all baselines, all designs)."""
    e = html.escape
    targets = table.targets()
    columns = "".join(f"<th>{table.target_text(t)}</th>" for t in targets)
    qubits = "".join(
        f"<tr><th>{e(d)}</th>{''.join(_cell(table.row(d, t)) for t in targets)}</tr>"
        for d in table.designs()
    )
    cats = [r for r in table.cat_ratios() if r.interval is not None]
    grid = "".join(
        f"<tr><th>{e(a)} / {e(b)}</th>"
        + "".join(_ratio_cell(found.get(t)) for t in targets)
        + "</tr>"
        for (a, b), found in by_pair(cats).items()
    )
    summary = "".join(f"<li><b>{e(line)}</b></li>" for line in headline(cats))
    verdicts = "".join(f"<li>{e(a)}</li>" for a in answers(cats)) or (
        "<li>No cat design meets a target at these assumptions: no ratio to judge.</li>"
    )
    claims = "; ".join(f"&ldquo;{e(s.words)}&rdquo;" for s in STATEMENTS if s.traced)
    timed = [r for r in table.rows if r.cycle is not None]
    rounds = "".join(
        f"<tr><th>{e(d)}</th><td>{e(c)}</td></tr>"
        for d, c in dict.fromkeys((r.design, str(r.cycle)) for r in timed)
    )
    times = "".join(
        f"<tr><th>{e(d)}</th>{''.join(_time_cell(table.row(d, t)) for t in targets)}</tr>"
        for d in dict.fromkeys(r.design for r in timed if r.met)
    )
    assumptions = "".join(
        f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in table.assumptions.items()
    )
    details = "".join(
        f"<tr><td>{e(r.design)}</td><td>{r.target:.0e}</td><td>{e(r.size)}</td>"
        f"<td>{e(status_word(r))}</td><td>{e(r.method)}</td>"
        f"<td>{'' if r.per_round is None else e(str(r.per_round))}</td><td>{e(r.rests_on)}</td>"
        f"<td>{e('; '.join(str(c) for c in r.components))}</td><td>{e(r.explanation)}</td></tr>"
        for r in table.rows
    )
    sources = "".join(f"<li>{e(s)}</li>" for s in SOURCES)
    image = base64.b64encode(png).decode()
    described = e(str(table.assumptions.get("description", "not recorded")))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>qec compare</title>
<style>{STYLE}</style></head><body>
<h1>Physical qubits per logical qubit: cat-qubit designs against the surface code</h1>
<p class="assumed">At these assumptions: {described}.</p>
<h2>The answer</h2>
<p>AWS said a cat design needs 5 to 10 times fewer physical qubits ({claims}). The ratio
of the surface code's count to each cat design's, target by target: <b>yes</b> only when
the whole 95% interval reaches the factor, <b>no</b> when all of it lies below.</p>
<ul class="verdict">{summary}</ul>
<details><summary>Target by target</summary><ul class="verdict">{verdicts}</ul></details>
<h2>Qubits per logical qubit</h2>
<p>Central count [95% interval], a target (a logical error rate per {table.per}) per
column. <span class="measured">
measured</span>, <span class="verified">verified</span> (a pick checked by splitting),
<span class="extrapolated">extrapolated</span> (a Lambda fit's), <span class="open">
unresolved or not reached</span>.</p>
<div class="scroll"><table><tr><th>design</th>{columns}</tr>{qubits}</table></div>
<h2>How many times fewer qubits: surface code / cat design</h2>
<p>Central counts' ratio [from the two 95% intervals; it covers when both do, at least
90%]. * rests on an extrapolated count; &ndash; not met. Every baseline and design:
compare_ratios.csv.</p>
<div class="scroll"><table><tr><th>ratio</th>{columns}</tr>{grid}</table></div>
<h2>Time</h2>
<p>How long a round lasts, and where that comes from:</p>
<table>{rounds}</table>
<p>Per target: the logical error rate per second (per round over the round's duration)
[95% interval], and qubits &times; round in qubit-&mu;s at the central count (the
hardware a logical qubit holds for one round).</p>
<div class="scroll"><table><tr><th>design</th>{columns}</tr>{times}</table></div>
<h2>Figure</h2>
<img alt="qubits against target, and ratios" src="data:image/png;base64,{image}">
<details><summary>How each number was obtained</summary><p>{e(HOW)}</p></details>
<details><summary>Assumptions</summary><table>{assumptions}</table></details>
<details><summary>Every row: size, method, rate, what it rests on, notes</summary>
<div class="scroll"><table><tr><th>design</th><th>target</th><th>size</th><th>status</th>
<th>method</th><th>per round [95%]</th><th>rests on</th><th>parts</th><th>note</th></tr>
{details}</table></div></details>
<details><summary>Sources</summary><ul>{sources}</ul></details>
</body></html>
"""


def _cell(row: FootprintRow | None) -> str:
    """A qubit count in the table, coloured by its status."""
    if row is None:
        return "<td></td>"
    word = status_word(row)
    if row.met:
        return f'<td class="{word}">{html.escape(qubits_text(row.qubit_interval))}</td>'
    return f'<td class="open">{html.escape(word)}</td>'


def _ratio_cell(ratio: Ratio | None) -> str:
    """A ratio in the grid (`ratio_cell`), amber when it rests on an extrapolated count."""
    if ratio is None or ratio.interval is None:
        return '<td class="open">&ndash;</td>'
    kind = "extrapolated" if ratio.extrapolated else "measured"
    return f'<td class="{kind}">{ratio_cell(ratio)}</td>'


def _time_cell(row: FootprintRow | None) -> str:
    """A met row's rate per second [95%] and qubits x round at the central count."""
    if row is None or not row.met or row.per_second is None or row.qubit_seconds is None:
        return '<td class="open">&ndash;</td>'
    rate, micros = row.per_second, row.qubit_seconds.value * 1e6
    return (
        f"<td>{rate.value:.1e} [{rate.low:.1e}, {rate.high:.1e}] /s"
        f"<br>{micros:.3g} qubit-&mu;s</td>"
    )


STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d232a;
max-width:1400px;margin:2em auto;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #dde}
.assumed{color:#555;font-size:.9em}
table{border-collapse:collapse;margin:.6em 0;font-size:.8em}
th,td{border:1px solid #d6d9de;padding:2px 5px;text-align:left;vertical-align:top;
white-space:nowrap}
th{background:#f3f5f8;font-weight:600}
.scroll{overflow-x:auto}
.measured{background:#e6f4ea}.verified{background:#d4eddb}
.extrapolated{background:#fff4d6}.open{color:#888}
ul.verdict li{margin:.3em 0}
img{max-width:100%;border:1px solid #eee}
details{margin:.8em 0}summary{cursor:pointer;font-weight:600}
details td{white-space:normal}
"""
