"""Results of a scan: frozen dataclasses that carry counts, scores and masked examples, never raw values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args

from recognizers.entities import EntityName

CategoryId = Literal[
    "personal",
    "identifier_code",
    "credential",
    "financial",
    "attribute",
    "device",
    "location",
    "behavioral",
    "sensitive.belief",
    "sensitive.social_status",
    "sensitive.labor",
    "sensitive.political",
    "sensitive.health",
]
CATEGORY_IDS: tuple[CategoryId, ...] = get_args(CategoryId)

Risk = Literal["high", "medium", "low"]
# ScanIssue.kind of a file found under a SOURCE and not read (hidden, unknown type, special file, a link
# out of scope): listed in ``errors`` so the gate cannot say "allowed" for data it never saw.
SKIPPED_KIND = "skipped"


def printable(text: str) -> str:
    """``text`` with the bytes of a non-UTF-8 file name (surrogate escapes) shown as ``\\xNN``, so it can be
    printed and written as UTF-8 instead of crashing the report."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


# What a finding rests on, as the report names it (classify_evidence.Evidence holds the records behind it).
EvidenceWord = Literal["values", "column_name", "column_type", "free_text", "ner"]


@dataclass(frozen=True)
class EntityFinding:
    """One entity found in a column, with how sure we are and why."""

    type: EntityName  # a catalogue id (recognizers/entities.py), or a user's own mapped by the policy
    score: float
    ratio: float
    evidence: tuple[EvidenceWord, ...]
    examples: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "score": round(self.score, 4),
            "ratio": round(self.ratio, 4),
            "evidence": list(self.evidence),
            "examples": list(self.examples),
        }


@dataclass(frozen=True)
class ColumnResult:
    name: str
    categories: tuple[CategoryId, ...]
    entities: tuple[EntityFinding, ...]
    quasi_identifier: bool = False
    explanation: str = ""
    data_type: str = ""
    non_null: int = 0
    distinct_estimate: int = 0
    free_text: bool = False
    ner_sample_size: int = 0
    ner_miss_probability_at_1pct: float | None = None
    # Every entity the pattern recognizers validated in this column, whatever its share of rows: the
    # gate's "may this leave" input. ``entities``/``categories`` answer "what is this column" and need a
    # share above the classification thresholds, so diluted personal data shows only here.
    value_hits: tuple[EntityFinding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "categories": list(self.categories),
            "entities": [e.to_dict() for e in self.entities],
            "quasi_identifier": self.quasi_identifier,
            # Additive fields (the contract allows adding, never renaming).
            "explanation": self.explanation,
            "data_type": self.data_type,
            "non_null": self.non_null,
            "distinct_estimate": self.distinct_estimate,
            "free_text": self.free_text,
            "value_hits": [e.to_dict() for e in self.value_hits],
        }
        if self.ner_sample_size:
            out["ner_sample"] = {
                "size": self.ner_sample_size,
                "miss_probability_at_1pct": self.ner_miss_probability_at_1pct,
            }
        return out


@dataclass(frozen=True)
class QuasiIdentifierSet:
    """A combination of columns whose joint values single out rows."""

    columns: tuple[str, ...]
    k_min: int
    unique_ratio: float
    risk: Risk

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": list(self.columns),
            "k_min": self.k_min,
            "unique_ratio": round(self.unique_ratio, 4),
            "risk": self.risk,
        }


@dataclass(frozen=True)
class ScanIssue:
    """A file or dataset that could not be (fully) read: where and what, never a raw value."""

    path: str
    message: str
    kind: str = "read_error"

    def __post_init__(self) -> None:
        # A file name that is not UTF-8 arrives with surrogate escapes; every output must still encode.
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "message", printable(self.message))

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "message": self.message}


TableFormat = Literal["delta", "iceberg"]


@dataclass(frozen=True)
class TableSnapshot:
    """Which snapshot of a Delta Lake or Iceberg table was scanned: the Delta version, or the Iceberg snapshot
    id with its sequence number; ``committed_at`` is the snapshot's commit time (UTC)."""

    format: TableFormat
    location: str
    version: int | None = None
    snapshot_id: int | None = None
    committed_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": self.format, "location": self.location, "version": self.version}
        if self.format == "iceberg":
            out["snapshot_id"] = self.snapshot_id
        out["committed_at"] = self.committed_at
        return out


@dataclass(frozen=True)
class DatasetResult:
    dataset: str
    format: str
    rows_total: int
    rows_scanned: int
    columns: tuple[ColumnResult, ...]
    quasi_identifier_sets: tuple[QuasiIdentifierSet, ...] = ()
    errors: tuple[ScanIssue, ...] = ()
    files: tuple[str, ...] = field(default=())
    table: TableSnapshot | None = None  # a Delta Lake or Iceberg table: the snapshot scanned

    def __post_init__(self) -> None:
        # A result read back from the findings catalog's JSON carries the snapshot as a plain dict.
        if isinstance(self.table, dict):
            object.__setattr__(self, "table", TableSnapshot(**self.table))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "dataset": self.dataset,
            "format": self.format,
            "rows_total": self.rows_total,
            "rows_scanned": self.rows_scanned,
            "columns": [c.to_dict() for c in self.columns],
            "quasi_identifier_sets": [q.to_dict() for q in self.quasi_identifier_sets],
            "errors": [e.to_dict() for e in self.errors],
        }
        if self.table is not None:
            out["table"] = self.table.to_dict()
        return out


class ReportContent(Protocol):
    """What a scan report offers to its readers (Markdown, HTML, the notebook view, a verdict that carries one):
    ``pipeline.report.ScanReport`` is one. Here, below the report and the verdict, so neither imports the other."""

    @property
    def datasets(self) -> tuple[DatasetResult, ...]: ...
    @property
    def errors(self) -> tuple[ScanIssue, ...]: ...
    @property
    def started_at(self) -> str: ...
    @property
    def finished_at(self) -> str: ...
    @property
    def policy_path(self) -> str: ...
    @property
    def policy_sha256(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
