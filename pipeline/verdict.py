"""The gate's verdict as typed records: the decision, the rules broken, consent counts, the exit code.

Shared by the gate (which builds a ``Verdict``), the report (which renders one) and the command line (which
prints one and exits with its code), so none of them parses another's dict. ``to_dict`` is verdict.json's
shape (shared/contract.md). Beside them, the two errors a verdict raises: ``ExportBlocked`` carries the
``BlockingReason`` records, ``GateUndecidable`` the problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pipeline.errors import PiiscanError
from pipeline.models import CategoryId, ReportContent, ScanIssue

if TYPE_CHECKING:
    from pipeline.appi import ItemResult
    from pipeline.sources import ExcludedFile

Decision = Literal["allowed", "blocked", "undecidable"]
RuleId = Literal[
    "blocked_category", "consent_required", "quasi_identifier_risk", "appi_processing_standard", "appi_forbidden_destination"
]

EXIT_ALLOWED = 0
EXIT_BLOCKED = 1
EXIT_UNDECIDABLE = 2


class ExportBlocked(PiiscanError):
    """The gate blocked the export; ``reasons`` says which datasets, columns and rules (pickled by the root)."""

    exit_code = EXIT_BLOCKED

    def __init__(self, message: str, reasons: tuple[BlockingReason, ...] = ()) -> None:
        super().__init__(message)
        self.reasons = reasons


class GateUndecidable(PiiscanError):
    """The gate could not decide (unreadable input, missing consent column); nothing is exported."""

    def __init__(self, message: str, problems: tuple[ScanIssue, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class BlockingReason:
    """One rule that one dataset breaks: where, which rule, the policy sentence, and a masked detail."""

    dataset: str
    columns: tuple[str, ...]
    rule: RuleId
    policy_sentence: str
    detail: str
    category: CategoryId | None = None
    reading: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "columns": list(self.columns),
            "rule": self.rule,
            "category": self.category,
            "policy_sentence": self.policy_sentence,
            "reading": self.reading,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ConsentCount:
    """How many rows of a dataset carry consent in the consent column."""

    dataset: str
    rows: int
    consented: int
    # Values that are neither a consent word, a "no" word, a flag nor a date: the column is not a consent column.
    not_consent_shaped: int = 0

    @property
    def without_consent(self) -> int:
        return self.rows - self.consented

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset, "rows": self.rows, "consented": self.consented,
            "not_consent_shaped": self.not_consent_shaped,
        }


@dataclass(frozen=True)
class Verdict:
    destination: str
    decision: Decision
    reasons: tuple[BlockingReason, ...] = ()
    problems: tuple[ScanIssue, ...] = ()
    datasets: tuple[str, ...] = ()
    consent_column: str | None = None
    consent: tuple[ConsentCount, ...] = ()
    policy_path: str = ""
    policy_sha256: str = ""
    checked_at: str = ""
    # Files and folders the user left out by --exclude patterns: listed, so the verdict says what it is not about.
    excluded: tuple[ExcludedFile, ...] = ()
    # APPI destinations (anonymized, pseudonymized): one line per item of the processing standard.
    appi_items: tuple[ItemResult, ...] = ()
    # The scan behind the verdict, for callers that act on it (anonymize); not part of verdict.json.
    report: ReportContent | None = field(default=None, compare=False, repr=False)

    @property
    def allowed(self) -> bool:
        return self.decision == "allowed"

    @property
    def exit_code(self) -> int:
        return {"allowed": EXIT_ALLOWED, "blocked": EXIT_BLOCKED}.get(self.decision, EXIT_UNDECIDABLE)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "destination": self.destination,
            "decision": self.decision,
            "allowed": self.allowed,
            "checked_at": self.checked_at,
            "policy": {"path": self.policy_path, "sha256": self.policy_sha256},
            "consent_column": self.consent_column,
            "datasets": list(self.datasets),
            "consent": [c.to_dict() for c in self.consent],
            "reasons": [r.to_dict() for r in self.reasons],
            "problems": [p.to_dict() for p in self.problems],
            "excluded": [e.to_dict() for e in self.excluded],
        } | ({"appi_items": [i.to_dict() for i in self.appi_items]} if self.appi_items else {})

    def raise_if_not_allowed(self) -> None:
        if self.decision == "blocked":
            raise ExportBlocked(
                f"export to {self.destination} blocked by {len(self.reasons)} rule(s); see the reasons", self.reasons
            )
        if self.decision == "undecidable":
            raise GateUndecidable(
                f"cannot decide on an export to {self.destination}: "
                + "; ".join(f"{p.path}: {p.message}" for p in self.problems),
                self.problems,
            )
