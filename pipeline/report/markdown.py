"""report.md: the scan (and the gate's verdict, when there is one) as Markdown for a pull request or a ticket.

Only what the scan already holds in masked form is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.models import CATEGORY_IDS, ColumnResult, EntityFinding
from pipeline.report.shared import ReportContent, category_count
from pipeline.report.verdict_view import appi_row, reason_line, verdict_fields

if TYPE_CHECKING:
    from pipeline.verdict import Verdict


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _entity_summary(entity: EntityFinding) -> str:
    return f"{entity.type} {entity.ratio:.0%} (conf. {entity.score:.2f})"


def render_markdown(report: ReportContent, *, verdict: Verdict | None = None) -> str:
    """The short form for a pull request or a ticket: verdict, heatmap as a list, tagged columns only."""
    tagged = sum(1 for d in report.datasets for c in d.columns if c.categories)
    total = sum(len(d.columns) for d in report.datasets)
    lines = [
        "# piiscan report",
        "",
        f"{len(report.datasets)} datasets, {total} columns, **{tagged} with personal data**. "
        f"Scanned {report.started_at} → {report.finished_at}; policy `{report.policy_path}` "
        f"(sha256 {report.policy_sha256[:12]}…).",
        "",
    ]
    if verdict is not None:
        lines += _verdict_markdown(verdict)
    lines += ["## Where personal data sits", "", "| dataset | categories (columns) | high-risk quasi-identifiers |", "|---|---|---|"]
    for dataset in report.datasets:
        cats = ", ".join(f"{c} ({n})" for c in CATEGORY_IDS if (n := category_count(dataset, c)))
        high = sum(1 for q in dataset.quasi_identifier_sets if q.risk == "high")
        lines.append(f"| {_md(dataset.dataset)} | {cats or '—'} | {high or '—'} |")
    lines.append("")
    for dataset in report.datasets:
        found = [c for c in dataset.columns if c.categories or c.quasi_identifier]
        if not found and not dataset.quasi_identifier_sets and not dataset.errors:
            continue
        lines += [
            f"## {dataset.dataset}",
            "",
            f"{dataset.format}, {dataset.rows_scanned} of {dataset.rows_total} rows scanned; "
            f"{len(found)} of {len(dataset.columns)} columns tagged.",
            "",
        ]
        if found:
            lines += ["| column | categories | entities (prevalence, confidence) | masked examples |", "|---|---|---|---|"]
            for column in found:
                cats = ", ".join(column.categories) + (" [QI]" if column.quasi_identifier else "")
                entities = "; ".join(_entity_summary(e) for e in column.entities)
                examples = ", ".join(f"`{_md(x)}`" for x in _examples(column)[:2])
                lines.append(f"| {_md(column.name)} | {cats or '—'} | {entities or '—'} | {examples or '—'} |")
            lines.append("")
        if dataset.quasi_identifier_sets:
            lines += ["Quasi-identifier sets:", ""]
            for qi in dataset.quasi_identifier_sets:
                lines.append(
                    f"- {' + '.join(qi.columns)}: k={qi.k_min}, unique rows {qi.unique_ratio:.0%}, risk **{qi.risk}**"
                )
            lines.append("")
        for issue in dataset.errors:
            lines.append(f"- error ({issue.kind}): `{issue.path}`: {_md(issue.message)}")
        if dataset.errors:
            lines.append("")
    if report.errors:
        lines += ["## Errors", ""] + [f"- {e.kind}: `{e.path}`: {_md(e.message)}" for e in report.errors] + [""]
    lines.append("The full table, with the reason for every column, is in report.html and report.json.")
    return "\n".join(lines) + "\n"


def _verdict_markdown(verdict: Verdict) -> list[str]:
    lines = [f"## Verdict: {verdict.decision.upper()} for `{verdict.destination}`", ""]
    for reason in map(reason_line, verdict.reasons):
        extra = "; ".join(f"{k}: {v}" for k, v in reason.details)
        lines.append(f"- **reason**: {_md(reason.text)}" + (f" ({_md(extra)})" if extra else ""))
    if verdict.appi_items:
        lines += ["", "### APPI processing standard, item by item", "", "| item | status | columns | evidence (masked) | what to do |", "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(_md(cell) for cell in appi_row(item).cells) + " |" for item in verdict.appi_items]
        lines.append("")
    for key, values in verdict_fields(verdict):
        lines += [f"- {key}: {_md(v)}" for v in values]
    return [*lines, ""]


def _examples(column: ColumnResult) -> list[str]:
    return [x for e in column.entities for x in e.examples]
