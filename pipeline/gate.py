"""The pre-sharing gate: a scan report + the policy's rules for one destination → a verdict.

``check(sources, destination)`` scans, reads the consent column where the destination needs it, and
applies the destination's rules (configs/policy.yaml). It fails closed: any file that could not be
read, a consent column that is not there, or nothing to check makes the verdict ``undecidable``,
never ``allowed``. Reasons name datasets, columns, the rule and the policy sentence; their details
carry masked examples only.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.errors import ConfigError, PiiscanError, ReadError
from pipeline.models import ColumnResult, DatasetResult, ScanIssue
from pipeline.policy import CategoryGateRule, DestinationRule, Policy, load_policy
from pipeline.report import ScanReport, atomic_write_text
from pipeline.settings import ReadingSettings, load_scan_settings
from pipeline.sources import DatasetRef, discover

Decision = Literal["allowed", "blocked", "undecidable"]
RuleId = Literal["blocked_category", "consent_required", "quasi_identifier_risk"]

EXIT_ALLOWED = 0
EXIT_BLOCKED = 1
EXIT_UNDECIDABLE = 2

# Spellings of "yes, this person consented" (compared after NFKC, trimmed, case-folded). Anything else,
# null included, is no consent: a gate must not guess that an unusual spelling means yes.
CONSENT_TRUE_VALUES = frozenset(
    {
        "true", "t", "1", "yes", "y", "on", "ok", "agreed", "consented",
        "同意", "同意済", "同意済み", "同意あり", "同意有", "はい", "有", "あり", "済", "済み", "○", "〇", "◯",
    }
)


class UnknownDestination(ConfigError):
    """The destination is not one of the policy's destinations."""


class ExportBlocked(PiiscanError):
    """The gate blocked the export; ``reasons`` says which datasets, columns and rules."""

    exit_code = EXIT_BLOCKED

    def __init__(self, message: str, reasons: tuple[BlockingReason, ...] = ()) -> None:
        super().__init__(message)
        self.reasons = reasons

    def __reduce__(self) -> tuple[type[ExportBlocked], tuple[str, tuple[BlockingReason, ...]]]:  # type: ignore[override]
        return (type(self), (self.message, self.reasons))


class GateUndecidable(PiiscanError):
    """The gate could not decide (unreadable input, missing consent column); nothing is exported."""

    def __init__(self, message: str, problems: tuple[ScanIssue, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems

    def __reduce__(self) -> tuple[type[GateUndecidable], tuple[str, tuple[ScanIssue, ...]]]:  # type: ignore[override]
        return (type(self), (self.message, self.problems))


@dataclass(frozen=True)
class BlockingReason:
    """One rule that one dataset breaks: where, which rule, the policy sentence, and a masked detail."""

    dataset: str
    columns: tuple[str, ...]
    rule: RuleId
    policy_sentence: str
    detail: str
    category: str | None = None
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

    @property
    def without_consent(self) -> int:
        return self.rows - self.consented

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "rows": self.rows, "consented": self.consented}


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
    # The scan behind the verdict, for callers that act on it (anonymize); not part of verdict.json.
    report: ScanReport | None = field(default=None, compare=False, repr=False)

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
        }

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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def destination_rule(policy: Policy, destination: str) -> DestinationRule:
    try:
        return policy.model.destinations[destination]
    except KeyError:
        known = ", ".join(sorted(policy.model.destinations))
        raise UnknownDestination(
            f"unknown destination {destination!r}; {policy.path} defines: {known}"
        ) from None


def is_consent(value: object) -> bool:
    if value is None:
        return False
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    return text in CONSENT_TRUE_VALUES


def consent_mask(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """True where a row carries consent; null and unknown spellings are False."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_boolean(values.type):
        return pc.fill_null(values, False)
    text = pc.cast(values, pa.string()) if not pa.types.is_string(values.type) else values
    normalised = pc.utf8_lower(pc.utf8_trim_whitespace(pc.utf8_normalize(text, "NFKC")))
    allowed = pa.array(sorted(CONSENT_TRUE_VALUES), type=pa.string())
    return pc.fill_null(pc.is_in(normalised, value_set=allowed), False)


def count_consent(ref: DatasetRef, column: str, reading: ReadingSettings) -> ConsentCount | ScanIssue:
    """Rows and consented rows of ``ref``; an issue when a file lacks the column or cannot be read."""
    from pipeline.readers import iter_batches

    rows = consented = 0
    for file in ref.files:
        seen = False
        file_rows = 0
        try:
            for batch in iter_batches(file, reading):
                file_rows += batch.num_rows
                if column in batch.schema.names:
                    seen = True
                    consented += int(pc.sum(pc.cast(consent_mask(batch.column(column)), pa.int64())).as_py() or 0)
        except ReadError as exc:
            return ScanIssue(path=exc.path, message=exc.problem, kind="read_error")
        if file_rows and not seen:
            return ScanIssue(
                path=file.url,
                message=f"consent column {column!r} not found; name the column that records consent",
                kind="consent_column_missing",
            )
        rows += file_rows
    return ConsentCount(dataset=ref.name, rows=rows, consented=consented)


def _entity_detail(columns: Sequence[ColumnResult], category: str, policy: Policy) -> str:
    parts = []
    for column in columns:
        entities = [e for e in column.entities if policy.category_of(e.type) == category]
        described = ", ".join(
            f"{e.type} {e.ratio:.0%}" + (f" e.g. {' / '.join(e.examples[:2])}" if e.examples else "") for e in entities
        )
        parts.append(f"{column.name}: {described}" if described else column.name)
    return "; ".join(parts)


def _category_reasons(
    dataset: DatasetResult,
    rule: CategoryGateRule,
    policy: Policy,
    consent_column: str | None,
    consent: ConsentCount | None,
) -> list[BlockingReason]:
    reasons = []
    for category in rule.expanded:
        columns = [c for c in dataset.columns if category in c.categories and c.name != consent_column]
        if not columns:
            continue
        detail = _entity_detail(columns, category, policy)
        if rule.rule == "consent_required":
            if consent is None:
                detail = f"no consent column given (--consent-column); {detail}"
            elif consent.without_consent == 0:
                continue
            else:
                detail = f"{consent.without_consent} of {consent.rows} rows carry no consent; {detail}"
        reasons.append(
            BlockingReason(
                dataset=dataset.dataset,
                columns=tuple(c.name for c in columns),
                rule=rule.rule,
                category=category,
                policy_sentence=rule.policy_sentence,
                reading=rule.reading,
                detail=detail,
            )
        )
    return reasons


def _needs_consent(dataset: DatasetResult, rule: DestinationRule, consent_column: str) -> bool:
    wanted = {c for r in rule.category_rules("consent_required") for c in r.expanded}
    return any(wanted & set(c.categories) for c in dataset.columns if c.name != consent_column)


def evaluate(
    report: ScanReport,
    policy: Policy,
    destination: str,
    *,
    refs: Sequence[DatasetRef] = (),
    consent_column: str | None = None,
    reading: ReadingSettings | None = None,
) -> Verdict:
    """Apply ``destination``'s rules to ``report``. ``refs`` locate the data when a consent column is read."""
    rule = destination_rule(policy, destination)
    reading = reading or ReadingSettings()
    problems: list[ScanIssue] = list(report.errors)
    for dataset in report.datasets:
        problems.extend(dataset.errors)
    if not report.datasets and not problems:
        problems.append(ScanIssue(path="(sources)", message="no dataset found to check", kind="source_error"))
    by_name = {ref.name: ref for ref in refs}
    consent: dict[str, ConsentCount] = {}
    if consent_column is not None and not problems:
        for dataset in report.datasets:
            if not _needs_consent(dataset, rule, consent_column):
                continue
            ref = by_name.get(dataset.dataset)
            if ref is None:
                problems.append(
                    ScanIssue(dataset.dataset, "cannot locate the files to read the consent column", "consent_column_missing")
                )
                continue
            counted = count_consent(ref, consent_column, reading)
            if isinstance(counted, ScanIssue):
                problems.append(counted)
            else:
                consent[dataset.dataset] = counted
    reasons: list[BlockingReason] = []
    for dataset in report.datasets:
        for category_rule in (*rule.category_rules("blocked_category"), *rule.category_rules("consent_required")):
            reasons.extend(
                _category_reasons(
                    dataset, category_rule, policy, consent_column, consent.get(dataset.dataset)
                )
            )
        for qi_rule in rule.quasi_identifier_rules:
            for qi in dataset.quasi_identifier_sets:
                # The consent flag is the gate's own input, not an attribute of the person.
                if qi.risk not in qi_rule.blocked_risks or (consent_column and consent_column in qi.columns):
                    continue
                reasons.append(
                    BlockingReason(
                        dataset=dataset.dataset,
                        columns=qi.columns,
                        rule="quasi_identifier_risk",
                        policy_sentence=qi_rule.policy_sentence,
                        reading=qi_rule.reading,
                        detail=(
                            f"{' + '.join(qi.columns)} single out rows: k_min={qi.k_min}, "
                            f"{qi.unique_ratio:.0%} of rows unique, risk {qi.risk}"
                        ),
                    )
                )
    decision: Decision = "undecidable" if problems else ("blocked" if reasons else "allowed")
    return Verdict(
        destination=destination,
        decision=decision,
        reasons=tuple(reasons),
        problems=tuple(problems),
        datasets=tuple(d.dataset for d in report.datasets),
        consent_column=consent_column,
        consent=tuple(consent[name] for name in sorted(consent)),
        policy_path=policy.path,
        policy_sha256=policy.sha256,
        checked_at=_now(),
        report=report,
    )


def check(
    sources: str | Path | Sequence[str | Path],
    destination: str,
    *,
    consent_column: str | None = None,
    policy: Path | None = None,
    config: Path | None = None,
    recognizers: Path | None = None,
    scheduler: str | None = None,
) -> Verdict:
    """Scan ``sources`` and apply the policy's rules for ``destination``. Config problems raise; unreadable
    input or a missing consent column give an ``undecidable`` verdict (never ``allowed``)."""
    from pipeline.api import scan

    loaded = load_policy(policy)
    destination_rule(loaded, destination)  # an unknown destination fails before any scanning
    settings = load_scan_settings(config)
    paths = [str(sources)] if isinstance(sources, str | Path) else [str(s) for s in sources]
    if not paths:
        raise PiiscanError("no SOURCE given; name at least one file, folder, glob or URL")
    report = scan(paths, config=config, policy=policy, recognizers=recognizers, scheduler=scheduler)
    refs, _ = discover(paths)
    return evaluate(
        report, loaded, destination, refs=refs, consent_column=consent_column, reading=settings.reading
    )


def undecidable_verdict(destination: str, message: str, consent_column: str | None = None) -> Verdict:
    """The verdict written when the gate stopped on a configuration problem (so no stale verdict remains)."""
    return Verdict(
        destination=destination,
        decision="undecidable",
        problems=(ScanIssue(path="(configuration)", message=message, kind="config_error"),),
        consent_column=consent_column,
        checked_at=_now(),
    )


def write_verdict(verdict: Verdict, out_dir: Path) -> Path:
    from pipeline.errors import OutputError

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {out_dir}: {exc.strerror or exc}") from None
    path = out_dir / "verdict.json"
    atomic_write_text(path, json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return path
