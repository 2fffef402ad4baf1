"""The gate's verdict as the report shows it: the title, one line per reason, the APPI items, the other fields.

Read from the typed ``pipeline.verdict.Verdict``; the Markdown and the HTML report lay out the same lines.
The fields come in verdict.json's order, empty ones left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.appi import ItemResult
    from pipeline.verdict import BlockingReason, Verdict

# A field with one of these values is left out.
_EMPTY: tuple[object, ...] = (None, "", ())
# How an APPI item's status reads in the reports (pipeline/appi.py).
APPI_STATUS_WORDS = {"met": "met", "not_met": "not met", "cannot_decide": "cannot decide"}


@dataclass(frozen=True)
class ReasonLine:
    """A reason's sentence (its masked detail) and its other non-empty fields."""

    text: str
    details: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AppiRow:
    """One item of an APPI processing standard: its status and the cells of its table row."""

    status: str
    cells: tuple[str, str, str, str, str]  # citation, status in words, columns, masked evidence, what to do


def reason_line(reason: BlockingReason) -> ReasonLine:
    fields: tuple[tuple[str, object], ...] = (
        ("dataset", reason.dataset),
        ("columns", reason.columns),
        ("rule", reason.rule),
        ("category", reason.category),
        ("policy_sentence", reason.policy_sentence),
        ("reading", reason.reading),
    )
    return ReasonLine(reason.detail, tuple((key, _text(value)) for key, value in fields if value not in _EMPTY))


def appi_row(item: ItemResult) -> AppiRow:
    return AppiRow(
        item.status,
        (
            item.citation,
            APPI_STATUS_WORDS.get(item.status, item.status),
            ", ".join(item.columns) or "—",
            ", ".join(item.evidence) or "—",
            item.action or "—",
        ),
    )


def record_line(record: Mapping[str, object]) -> str:
    """A flat record (a consent count, a problem, an excluded file) as one line of text."""
    return "; ".join(f"{key}: {'—' if value is None else value}" for key, value in record.items())


def verdict_fields(verdict: Verdict) -> list[tuple[str, list[str]]]:
    """The verdict's fields below its reasons and APPI items, each as one or more lines (a record a line)."""
    fields: tuple[tuple[str, object, list[str]], ...] = (
        ("checked_at", verdict.checked_at, [verdict.checked_at]),
        ("policy", True, [f"path: {verdict.policy_path}; sha256: {verdict.policy_sha256}"]),  # always in verdict.json
        ("consent_column", verdict.consent_column, [str(verdict.consent_column)]),
        ("datasets", verdict.datasets, [_text(verdict.datasets)]),
        ("consent", verdict.consent, [record_line(c.to_dict()) for c in verdict.consent]),
        ("problems", verdict.problems, [record_line(p.to_dict()) for p in verdict.problems]),
        ("excluded", verdict.excluded, [record_line(e.to_dict()) for e in verdict.excluded]),
    )
    return [(key, lines) for key, value, lines in fields if value not in _EMPTY]


def _text(value: object) -> str:
    """A scalar or a tuple of names as one line of text."""
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
