"""Score a piiscan ``report.json`` against the golden labels of the sample lake.

Scores are per policy category over (dataset, column, category) triples: a category the golden set
expects and the report gives is a true positive, one only the report gives a false positive, one only
the golden set gives a false negative. A golden column absent from the report counts as "reported
nothing". Report columns the golden set does not know are listed, never scored. Only dataset and
column names and category ids are read or printed, never a value.

Vacuous scores are 1.0: precision with nothing predicted, recall with nothing expected (the
``support`` and ``predicted`` counts show when that happens).

CLI: ``python -m tests.datagen.evaluate REPORT_JSON [--json]`` prints the table and exits 0
(2 when the report cannot be read).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.datagen.golden import CATEGORY_IDS, GOLDEN, HIGH_RISK_QI, PARTITION_COLUMNS

Golden = Mapping[str, Mapping[str, frozenset[str]]]


class PrecisionRecall:
    """Precision, recall and F1 from true/false positives and false negatives (1.0 where nothing to score)."""

    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.support if self.support else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class CategoryScore(PrecisionRecall):
    category: str
    tp: int
    fp: int
    fn: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category, "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }


@dataclass(frozen=True)
class Mismatch:
    dataset: str
    column: str
    expected: frozenset[str]
    got: frozenset[str] | None  # None: the column (or its dataset) is missing from the report

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset, "column": self.column, "expected": sorted(self.expected),
            "got": None if self.got is None else sorted(self.got),
        }


@dataclass(frozen=True)
class QiCheck:
    dataset: str
    expected_high: bool
    got_high: bool | None  # None: dataset missing from the report

    @property
    def ok(self) -> bool:
        return self.got_high is not None and self.got_high == self.expected_high


@dataclass(frozen=True)
class EvalResult:
    per_category: dict[str, CategoryScore]
    micro: CategoryScore
    mismatches: tuple[Mismatch, ...]
    columns_total: int
    columns_exact: int
    missing_datasets: tuple[str, ...]
    unexpected_datasets: tuple[str, ...]
    unexpected_columns: tuple[tuple[str, str], ...]
    unknown_categories: tuple[str, ...]
    qi_checks: tuple[QiCheck, ...]

    @property
    def precision(self) -> float:
        return self.micro.precision

    @property
    def recall(self) -> float:
        return self.micro.recall

    @property
    def f1(self) -> float:
        return self.micro.f1

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the categories the golden set uses."""
        scored = [s.f1 for s in self.per_category.values() if s.support]
        return sum(scored) / len(scored) if scored else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.to_dict(),
            "macro_f1": round(self.macro_f1, 4),
            "per_category": [s.to_dict() for s in self.per_category.values()],
            "columns_total": self.columns_total,
            "columns_exact": self.columns_exact,
            "mismatches": [m.to_dict() for m in self.mismatches],
            "missing_datasets": list(self.missing_datasets),
            "unexpected_datasets": list(self.unexpected_datasets),
            "unexpected_columns": [list(c) for c in self.unexpected_columns],
            "unknown_categories": list(self.unknown_categories),
            "qi_checks": [
                {"dataset": q.dataset, "expected_high": q.expected_high, "got_high": q.got_high, "ok": q.ok}
                for q in self.qi_checks
            ],
        }


def normalise_dataset_name(name: str, known: Sequence[str]) -> str:
    """Map a report's dataset name onto a golden one.

    Tolerates ``./`` and backslashes, hive partitions reported one file at a time
    (``weblogs/dt=…/part-0.jsonl`` → ``weblogs``) and a leading folder above the lake root.
    """
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    for i, part in enumerate(parts):
        if "=" in part:
            parts = parts[:i]
            break
    clean = "/".join(parts)
    if clean in known:
        return clean
    for candidate in known:
        if clean.endswith("/" + candidate):
            return candidate
    return clean


def _report_labels(report: Mapping[str, Any], known: Sequence[str]) -> tuple[
    dict[str, dict[str, frozenset[str]]], dict[str, bool]
]:
    """dataset → column → categories (union over partitions), and dataset → any high-risk QI set."""
    labels: dict[str, dict[str, frozenset[str]]] = {}
    high_qi: dict[str, bool] = {}
    for entry in report.get("datasets", []):
        dataset = normalise_dataset_name(str(entry.get("dataset", "")), known)
        columns = labels.setdefault(dataset, {})
        for column in entry.get("columns", []):
            name = str(column.get("name", ""))
            got = frozenset(str(c) for c in column.get("categories", []))
            columns[name] = columns.get(name, frozenset()) | got
        risky = any(s.get("risk") == "high" for s in entry.get("quasi_identifier_sets", []))
        high_qi[dataset] = high_qi.get(dataset, False) or risky
    return labels, high_qi


def evaluate(report: Mapping[str, Any], golden: Golden = GOLDEN) -> EvalResult:
    known = list(golden)
    labels, high_qi = _report_labels(report, known)
    counts = {c: [0, 0, 0] for c in CATEGORY_IDS}  # tp, fp, fn
    mismatches: list[Mismatch] = []
    unknown: set[str] = set()
    total = exact = 0
    for dataset, columns in golden.items():
        reported = labels.get(dataset, {})
        for column, expected in columns.items():
            if column not in reported and column in PARTITION_COLUMNS.get(dataset, frozenset()):
                continue  # a partition key the scanner chose not to surface
            total += 1
            got = reported.get(column)
            predicted = got if got is not None else frozenset()
            unknown |= predicted - set(CATEGORY_IDS)
            for category in expected | predicted:
                slot = counts.setdefault(category, [0, 0, 0])
                if category in expected and category in predicted:
                    slot[0] += 1
                elif category in predicted:
                    slot[1] += 1
                else:
                    slot[2] += 1
            if got == expected:
                exact += 1
            else:
                mismatches.append(Mismatch(dataset, column, expected, got))
    per_category = {c: CategoryScore(c, *v) for c, v in counts.items()}
    micro = CategoryScore(
        "all", *(sum(v[i] for v in counts.values()) for i in range(3))
    )
    qi_checks = tuple(
        QiCheck(d, expected_high, high_qi.get(d) if d in labels else None)
        for d, expected_high in HIGH_RISK_QI.items()
        if d in golden
    )
    return EvalResult(
        per_category=per_category,
        micro=micro,
        mismatches=tuple(mismatches),
        columns_total=total,
        columns_exact=exact,
        missing_datasets=tuple(d for d in golden if d not in labels),
        unexpected_datasets=tuple(sorted(d for d in labels if d not in golden)),
        unexpected_columns=tuple(
            (d, c) for d in sorted(labels) if d in golden for c in labels[d] if c not in golden[d]
        ),
        unknown_categories=tuple(sorted(unknown)),
        qi_checks=qi_checks,
    )


def _fmt(categories: frozenset[str] | None) -> str:
    if categories is None:
        return "(missing)"
    return ",".join(sorted(categories)) or "-"


def format_table(result: EvalResult) -> str:
    lines = [f"{'category':<26}{'support':>8}{'pred':>6}{'tp':>5}{'fp':>5}{'fn':>5}"
             f"{'precision':>11}{'recall':>8}{'f1':>7}"]
    rows = [s for s in result.per_category.values() if s.support or s.predicted] + [result.micro]
    for s in rows:
        lines.append(f"{s.category:<26}{s.support:>8}{s.predicted:>6}{s.tp:>5}{s.fp:>5}{s.fn:>5}"
                     f"{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}")
    lines.append(f"macro F1 (categories with support): {result.macro_f1:.3f}")
    lines.append(f"columns labelled exactly: {result.columns_exact}/{result.columns_total}")
    if result.mismatches:
        lines.append("")
        lines.append("mismatches (dataset | column | expected | got):")
        lines.extend(f"  {m.dataset} | {m.column} | {_fmt(m.expected)} | {_fmt(m.got)}" for m in result.mismatches)
    for title, items in (
        ("datasets missing from the report", list(result.missing_datasets)),
        ("datasets not in the golden set (not scored)", list(result.unexpected_datasets)),
        ("columns not in the golden set (not scored)", [f"{d} | {c}" for d, c in result.unexpected_columns]),
        ("category ids that are not policy ids", list(result.unknown_categories)),
    ):
        if items:
            lines.append("")
            lines.append(f"{title}:")
            lines.extend(f"  {item}" for item in items)
    if result.qi_checks:
        lines.append("")
        lines.append("quasi-identifier risk (expected high? / reported high?):")
        for q in result.qi_checks:
            got = "missing" if q.got_high is None else str(q.got_high)
            lines.append(f"  {q.dataset}: {q.expected_high} / {got} {'ok' if q.ok else 'MISMATCH'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.datagen.evaluate",
        description="Score a piiscan report.json against the sample lake's golden column labels.",
    )
    parser.add_argument("report", type=Path, help="path to report.json")
    parser.add_argument("--json", action="store_true", help="print the result as JSON instead of a table")
    args = parser.parse_args(argv)
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read report {args.report}: {type(exc).__name__}", file=sys.stderr)
        return 2
    if not isinstance(report, dict):
        print(f"cannot read report {args.report}: not a JSON object", file=sys.stderr)
        return 2
    result = evaluate(report)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
