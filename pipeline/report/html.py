"""report.html: the report page with the gate's verdict first, when there is one.

Styles are inlined, it has no script, and a Content-Security-Policy forbids every fetch, so opening it makes
no network request. Only what the scan already holds in masked form (examples, evidence sentences) is shown.
The page itself is ``pipeline.report.html_page``; the notebook fragment uses that without a verdict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.report.html_page import esc, render_page
from pipeline.report.shared import ReportContent
from pipeline.report.verdict_view import appi_row, reason_line, verdict_fields

if TYPE_CHECKING:
    from pipeline.verdict import Verdict


def render_html(report: ReportContent, *, standalone: bool = True, verdict: Verdict | None = None) -> str:
    """The report as HTML: a whole self-contained page, or (``standalone=False``) a fragment for a notebook."""
    section = _verdict_html(verdict) if verdict is not None else ""
    return render_page(report, standalone=standalone, verdict_section=section)


def _verdict_html(verdict: Verdict) -> str:
    decision = verdict.decision
    title = f"Verdict: {decision.upper()} for {verdict.destination}"
    items = []
    for reason in map(reason_line, verdict.reasons):
        extra = "; ".join(f"{k}: {v}" for k, v in reason.details)
        items.append(f"<li>{esc(reason.text)}" + (f" <small>({esc(extra)})</small>" if extra else "") + "</li>")
    reasons = f"<h3>Reasons</h3><ul>{''.join(items)}</ul>" if items else ""
    appi_rows = "".join(
        f"<tr class='appi-{esc(row.status)}'>" + "".join(f"<td>{esc(cell)}</td>" for cell in row.cells) + "</tr>"
        for row in map(appi_row, verdict.appi_items)
    )
    if appi_rows:
        reasons += (
            "<h3>APPI processing standard, item by item</h3><table class='appi-items'><thead><tr><th>item</th><th>status</th>"
            "<th>columns</th><th>evidence (masked)</th><th>what to do</th></tr></thead><tbody>" + appi_rows + "</tbody></table>"
        )
    fields = "".join(
        f"<dt>{esc(key)}</dt>" + "".join(f"<dd>{esc(v)}</dd>" for v in values)
        for key, values in verdict_fields(verdict)
    )
    return (
        f"<section class='verdict {esc(decision.lower())}'><h2>{esc(title)}</h2>"
        + reasons
        + (f"<dl>{fields}</dl>" if fields else "")
        + "</section>"
    )
