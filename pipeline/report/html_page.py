"""The HTML page of a report (or its notebook fragment): styles, the heatmap, the column tables; the gate's
verdict section is rendered by ``pipeline.report.html`` and placed first.

Styles are inlined, it has no script, and a Content-Security-Policy forbids every fetch, so opening it makes
no network request. Only what the scan already holds in masked form (examples, evidence sentences) is shown.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from pipeline.models import CATEGORY_IDS, ColumnResult, DatasetResult, ScanIssue
from pipeline.report.shared import ReportContent, is_sensitive

_FONTS = "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Hiragino Kaku Gothic ProN','Yu Gothic',Meiryo,sans-serif"
# Heat levels by number of columns; the screenshot test looks for these colours.
HEAT_COLOURS = ("#ffffff", "#fde0c5", "#fbb77f", "#f58a4b", "#d9480f")
COLUMN_TABLE_HEADER = "#dbe4ff"
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_STYLE = f"""
.piiscan{{font-family:{_FONTS};color:#212529;font-size:14px;line-height:1.45;max-width:1500px}}
.piiscan h1{{font-size:22px;margin:4px 0}}.piiscan h2{{font-size:18px;margin:18px 0 6px}}
.piiscan h3{{font-size:15px;margin:10px 0 4px}}
.piiscan table{{border-collapse:collapse;margin:4px 0 8px}}
.piiscan td,.piiscan th{{border:1px solid #ced4da;padding:3px 6px;vertical-align:top;text-align:left}}
.piiscan .meta{{color:#495057}}
.piiscan-heat th{{background:#343a40;color:#fff;font-size:11px;font-weight:600;min-width:52px}}
.piiscan-heat th.sens{{background:#862e2e}}
.piiscan-heat td.n{{text-align:center;font-weight:600;min-width:52px}}
.piiscan-heat td.ds a{{color:#1c3d8c;text-decoration:none}}
{"".join(f".piiscan .h{i}{{background:{colour}}}" for i, colour in enumerate(HEAT_COLOURS))}
.piiscan .h4{{color:#fff}}
.piiscan-cols th,.piiscan-qi th{{background:{COLUMN_TABLE_HEADER}}}
.piiscan-cols td.expl{{max-width:420px;font-size:12px;color:#343a40}}
.piiscan-cols tr.untagged td{{color:#868e96}}
.piiscan .chip{{display:inline-block;border-radius:8px;padding:0 6px;margin:1px;background:#fff3bf;font-size:12px}}
.piiscan .chip.sens{{background:#ffc9c9}}.piiscan .chip.qi{{background:#e5dbff}}
.piiscan .bar{{display:inline-block;width:70px;height:9px;background:#e9ecef;margin-right:4px}}
.piiscan .bar>span{{display:block;height:9px;background:#4263eb}}
.piiscan .swatch{{display:inline-block;border:1px solid #ced4da;padding:0 8px;font-size:12px}}
.piiscan code{{font-size:12px;background:#f1f3f5;padding:0 3px}}
.piiscan .risk-high{{color:#c92a2a;font-weight:700}}.piiscan .risk-medium{{color:#e67700;font-weight:600}}
.piiscan .verdict{{border:2px solid #495057;padding:6px 12px;margin:8px 0}}
.piiscan .verdict.blocked{{border-color:#c92a2a;background:#fff5f5}}
.piiscan .verdict.allowed{{border-color:#2b8a3e;background:#ebfbee}}
.piiscan .verdict.undecidable{{border-color:#e67700;background:#fff9db}}
.piiscan .verdict dl{{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}}
.piiscan .verdict dt{{font-weight:600}}.piiscan .verdict dd{{margin:0;grid-column:2}}
.piiscan .errors li{{color:#c92a2a}}
#piiscan-only-tagged:checked~.piiscan-datasets tr.untagged{{display:none}}
"""


def esc(text: object) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def _heat_level(count: int) -> int:
    return 0 if count == 0 else 1 if count == 1 else 2 if count == 2 else 3 if count <= 4 else 4


def _category_header(category: str) -> str:
    label = esc(category).replace(".", ".<wbr>").replace("_", "_<wbr>")
    cls = " class='sens'" if is_sensitive(category) else ""
    return f"<th{cls} title='{esc(category)}'>{label}</th>"


def _heatmap_html(report: ReportContent) -> str:
    head = "<tr><th>dataset</th>" + "".join(_category_header(c) for c in CATEGORY_IDS) + "<th>QI risk</th></tr>"
    rows = []
    for index, dataset in enumerate(report.datasets):
        cells = []
        for category in CATEGORY_IDS:
            tagged = [c.name for c in dataset.columns if category in c.categories]
            title = f"{category}: {', '.join(tagged)}" if tagged else category
            cells.append(
                f"<td class='n h{_heat_level(len(tagged))}' title='{esc(title)}'>{len(tagged) or ''}</td>"
            )
        risks = [q.risk for q in dataset.quasi_identifier_sets]
        worst = next((r for r in ("high", "medium", "low") if r in risks), "")
        rows.append(
            f"<tr><td class='ds'><a href='#piiscan-ds-{index}'>{esc(dataset.dataset)}</a></td>{''.join(cells)}"
            f"<td class='risk-{worst}'>{worst or '—'}</td></tr>"
        )
    legend = " ".join(
        f"<span class='swatch h{level}'>{label}</span>"
        for level, label in enumerate(("0", "1", "2", "3–4", "5+"))
    )
    return (
        "<section class='piiscan-heatmap'><h2>Where personal data sits</h2>"
        "<p class='meta'>Columns per dataset that fall under each policy category. "
        f"Legend (columns): {legend}</p>"
        f"<table class='piiscan-heat'>{head}{''.join(rows)}</table></section>"
    )


def _entity_cells(column: ColumnResult) -> str:
    if not column.entities:
        return "<td>—</td><td></td><td></td><td></td>"
    names, prevalences, scores, examples = [], [], [], []
    for entity in column.entities:
        names.append(f"<div>{esc(entity.type)} <small>({esc(', '.join(entity.evidence))})</small></div>")
        width = max(0.0, min(1.0, entity.ratio)) * 100
        prevalences.append(
            f"<div><span class='bar'><span style='width:{width:.0f}%'></span></span>{entity.ratio:.0%}</div>"
        )
        scores.append(f"<div>{entity.score:.2f}</div>")
        examples.append("<div>" + (" ".join(f"<code>{esc(x)}</code>" for x in entity.examples) or "—") + "</div>")
    return "".join(f"<td>{''.join(part)}</td>" for part in (names, prevalences, scores, examples))


def _column_row(column: ColumnResult) -> str:
    chips = "".join(
        f"<span class='chip{' sens' if is_sensitive(c) else ''}'>{esc(c)}</span>"
        for c in column.categories
    )
    if column.quasi_identifier:
        chips += "<span class='chip qi'>quasi-identifier</span>"
    cls = "" if column.categories or column.quasi_identifier else " class='untagged'"
    return (
        f"<tr{cls}><td>{esc(column.name)}<br><small>{esc(column.data_type)}</small></td>"
        f"<td>{chips or '—'}</td>{_entity_cells(column)}<td class='expl'>{esc(column.explanation)}</td></tr>"
    )


def _issues_html(issues: Sequence[ScanIssue]) -> str:
    items = "".join(f"<li>{esc(i.kind)}: <code>{esc(i.path)}</code>: {esc(i.message)}</li>" for i in issues)
    return f"<ul class='errors'>{items}</ul>"


def _dataset_html(index: int, dataset: DatasetResult, *, open_section: bool) -> str:
    tagged = sum(1 for c in dataset.columns if c.categories)
    head = (
        "<tr><th>column</th><th>categories</th><th>entities (evidence)</th><th>prevalence</th>"
        "<th>confidence</th><th>masked examples</th><th>why</th></tr>"
    )
    parts = [
        f"<details class='piiscan-dataset' id='piiscan-ds-{index}'{' open' if open_section else ''}>"
        f"<summary><h2 style='display:inline'>{esc(dataset.dataset)}</h2> "
        f"<span class='meta'>{esc(dataset.format)}, {dataset.rows_scanned} of {dataset.rows_total} rows scanned, "
        f"{tagged} of {len(dataset.columns)} columns tagged</span></summary>",
        f"<table class='piiscan-cols'>{head}{''.join(_column_row(c) for c in dataset.columns)}</table>",
    ]
    if dataset.quasi_identifier_sets:
        rows = "".join(
            f"<tr><td>{esc(' + '.join(q.columns))}</td><td>{q.k_min}</td><td>{q.unique_ratio:.0%}</td>"
            f"<td class='risk-{esc(q.risk)}'>{esc(q.risk)}</td></tr>"
            for q in dataset.quasi_identifier_sets
        )
        parts.append(
            "<h3>Quasi-identifier sets</h3><table class='piiscan-qi'>"
            f"<tr><th>columns</th><th>k (smallest group)</th><th>unique rows</th><th>risk</th></tr>{rows}</table>"
        )
    if dataset.errors:
        parts.append("<h3>Errors</h3>" + _issues_html(dataset.errors))
    parts.append("</details>")
    return "".join(parts)


def render_page(report: ReportContent, *, standalone: bool, verdict_section: str = "") -> str:
    """The report as HTML: a whole self-contained page, or (``standalone=False``) a fragment for a notebook;
    ``verdict_section`` (the gate's verdict, already HTML) goes first, above the heatmap."""
    tagged = sum(1 for d in report.datasets for c in d.columns if c.categories)
    total = sum(len(d.columns) for d in report.datasets)
    errors = list(report.errors) + [e for d in report.datasets for e in d.errors]
    body = [
        "<h1>piiscan report</h1>",
        f"<p class='meta'>{len(report.datasets)} datasets, {total} columns, <b>{tagged} with personal data</b>, "
        f"{len(errors)} errors. Scanned {esc(report.started_at)} → {esc(report.finished_at)}. "
        f"Policy <code>{esc(report.policy_path)}</code> (sha256 {esc(report.policy_sha256[:12])}…). "
        "Examples are masked; no scanned value appears in this report.</p>",
    ]
    if verdict_section:
        body.append(verdict_section)
    body.append(_heatmap_html(report))
    if report.errors:
        body.append("<section><h2>Errors</h2>" + _issues_html(report.errors) + "</section>")
    # A notebook shows the heatmap and keeps the long tables folded; the file opens them all.
    body.append(
        "<input type='checkbox' id='piiscan-only-tagged'> "
        "<label for='piiscan-only-tagged'>show only columns with findings</label>"
        "<div class='piiscan-datasets'>"
        + "".join(_dataset_html(i, d, open_section=standalone) for i, d in enumerate(report.datasets))
        + "</div>"
    )
    content = f"<div class='piiscan'>{''.join(body)}</div>"
    if not standalone:
        return f"<style>{_STYLE}</style>{content}"
    return (
        "<!doctype html>\n<html lang='ja'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>piiscan report</title><style>{_STYLE}</style></head><body>{content}</body></html>\n"
    )
