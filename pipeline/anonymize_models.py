"""What ``anonymize`` did: per column, per dataset, and for the whole copy (the ``_anonymize.json`` summary)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pipeline.gate import Verdict
from pipeline.policy import AnonymizeOperator

Action = Literal["dropped", "masked", "hashed", "redacted", "generalised", "redacted_spans", "kept"]
# When a column falls under several categories, the strongest operator wins.
STRENGTH: tuple[AnonymizeOperator, ...] = ("drop", "redact", "hash", "mask", "generalise")
ACTION: dict[AnonymizeOperator, Action] = {
    "drop": "dropped", "redact": "redacted", "hash": "hashed", "mask": "masked", "generalise": "generalised",
}


@dataclass(frozen=True)
class ColumnAction:
    column: str
    action: Action
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "action": self.action, "detail": self.detail}


@dataclass(frozen=True)
class AnonymizedDataset:
    dataset: str
    files: tuple[str, ...]
    rows_in: int
    rows_out: int
    rows_without_consent: int
    rows_suppressed: int
    actions: tuple[ColumnAction, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "files": list(self.files),
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_dropped_without_consent": self.rows_without_consent,
            "rows_suppressed_for_k": self.rows_suppressed,
            "actions": [a.to_dict() for a in self.actions],
        }


@dataclass(frozen=True)
class AnonymizeResult:
    out_dir: Path
    destination: str
    datasets: tuple[AnonymizedDataset, ...]
    verdict: Verdict  # the gate's verdict on the written copy (always allowed when returned)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "destination": self.destination,
            "out_dir": str(self.out_dir),
            "datasets": [d.to_dict() for d in self.datasets],
            "recheck": {"decision": self.verdict.decision, "policy_sha256": self.verdict.policy_sha256}
            | ({"appi_items": [i.to_dict() for i in self.verdict.appi_items]} if self.verdict.appi_items else {}),
        }

