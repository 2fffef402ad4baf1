"""Score piiscan on the messy lake: per-category and per-column precision/recall/F1, decoys, QI verdicts.

Scores per policy category are over (dataset, column, category) triples, as the sample lake's evaluator
does, but this module shares no code with tests/datagen so the two corpora stay independent. Column
level: a column with golden categories is found when the report gives it at least one of them (recall),
and a column the report tags is right when the golden set expects at least one of its categories
(precision). A golden column absent from the report counts as "reported nothing". Only dataset and
column names, category ids and counts are printed, never a value.

CLI: ``python -m tests.messy.evaluate [--lake DIR] [--out DIR] [--report REPORT_JSON] [--seed N] [--json]``
generates the lake (into a temporary folder unless ``--lake``), scans it with ``piiscan scan`` and prints
the tables; with ``--report`` it scores an existing report. Exit code 0 (2 when the scan or the report
cannot be read).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.messy.golden import CATEGORY_IDS, GOLDEN, HIGH_RISK_QI, Label

Golden = Mapping[str, Mapping[str, Label]]
UNDER_DETECTED_RATIO = 0.9


@dataclass(frozen=True)
class Score:
    name: str
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

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class ColumnOutcome:
    dataset: str
    column: str
    label: Label
    got: frozenset[str] | None  # None: missing from the report
    got_qi: bool | None
    best_ratio: float | None = None  # the largest entity ratio the report gives the column

    @property
    def under_detected(self) -> bool:
        """Found, but in a dense column the best entity covers under 90 % of the values (unknown: False)."""
        return bool(self.label.dense and self.label.categories & self.predicted
                    and self.best_ratio is not None and self.best_ratio < UNDER_DETECTED_RATIO)

    @property
    def predicted(self) -> frozenset[str]:
        return self.got or frozenset()

    @property
    def missed(self) -> frozenset[str]:
        return self.label.categories - self.predicted

    @property
    def extra(self) -> frozenset[str]:
        return self.predicted - self.label.categories


@dataclass(frozen=True)
class QiVerdict:
    subject: str  # a dataset, or "dataset | column"
    expected: bool
    got: bool | None

    @property
    def ok(self) -> bool:
        return self.got is not None and self.got == self.expected


@dataclass(frozen=True)
class MessyResult:
    per_category: dict[str, Score]
    micro: Score
    columns: Score
    outcomes: tuple[ColumnOutcome, ...]
    qi: tuple[QiVerdict, ...]
    missing_datasets: tuple[str, ...]

    @property
    def decoys(self) -> tuple[ColumnOutcome, ...]:
        return tuple(o for o in self.outcomes if o.label.decoy)

    @property
    def decoys_tagged(self) -> tuple[ColumnOutcome, ...]:
        return tuple(o for o in self.decoys if o.predicted)

    @property
    def qi_right(self) -> int:
        return sum(q.ok for q in self.qi)

    def to_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.to_dict(),
            "columns": self.columns.to_dict(),
            "per_category": [s.to_dict() for s in self.per_category.values() if s.support or s.predicted],
            "decoys": len(self.decoys),
            "decoys_tagged": [[o.dataset, o.column, sorted(o.predicted)] for o in self.decoys_tagged],
            "qi": [{"subject": q.subject, "expected": q.expected, "got": q.got, "ok": q.ok} for q in self.qi],
            "missed": [[o.dataset, o.column, o.label.kind, sorted(o.missed)] for o in self.outcomes if o.missed],
            "extra": [[o.dataset, o.column, o.label.kind, sorted(o.extra)] for o in self.outcomes if o.extra],
            "under_detected": [[o.dataset, o.column, o.label.kind, o.best_ratio] for o in self.outcomes
                               if o.under_detected],
            "missing_datasets": list(self.missing_datasets),
        }


def _dataset_key(name: str, known: Sequence[str]) -> str:
    clean = "/".join(p for p in name.replace("\\", "/").split("/") if p not in ("", "."))
    if clean in known:
        return clean
    return next((k for k in known if clean.endswith("/" + k)), clean)


def _report_columns(report: Mapping[str, Any], known: Sequence[str]) -> tuple[
    dict[str, dict[str, tuple[frozenset[str], bool, float | None]]], dict[str, bool]
]:
    columns: dict[str, dict[str, tuple[frozenset[str], bool, float | None]]] = {}
    high: dict[str, bool] = {}
    for entry in report.get("datasets", []):
        dataset = _dataset_key(str(entry.get("dataset", "")), known)
        slot = columns.setdefault(dataset, {})
        for column in entry.get("columns", []):
            cats = frozenset(str(c) for c in column.get("categories", []))
            ratios = [float(e.get("ratio", 0.0)) for e in column.get("entities", []) if isinstance(e, dict)]
            slot[str(column.get("name", ""))] = (
                cats, bool(column.get("quasi_identifier", False)), max(ratios) if ratios else None
            )
        high[dataset] = high.get(dataset, False) or any(
            s.get("risk") == "high" for s in entry.get("quasi_identifier_sets", [])
        )
    return columns, high


def evaluate(report: Mapping[str, Any], golden: Golden = GOLDEN) -> MessyResult:
    known = list(golden)
    reported, high = _report_columns(report, known)
    counts = {c: [0, 0, 0] for c in CATEGORY_IDS}
    col_tp = col_fp = col_fn = 0
    outcomes: list[ColumnOutcome] = []
    qi: list[QiVerdict] = []
    for dataset, columns in golden.items():
        for column, label in columns.items():
            hit = reported.get(dataset, {}).get(column)
            got, got_qi, ratio = hit if hit else (None, None, None)
            outcome = ColumnOutcome(dataset, column, label, got, got_qi, ratio)
            outcomes.append(outcome)
            predicted = outcome.predicted
            for category in label.categories | predicted:
                slot = counts.setdefault(category, [0, 0, 0])
                slot[0 if category in label.categories and category in predicted else
                     1 if category in predicted else 2] += 1
            if label.categories and label.categories & predicted:
                col_tp += 1
            elif label.categories:
                col_fn += 1
            if predicted and not label.categories & predicted:
                col_fp += 1
            if label.quasi_identifier is not None:
                qi.append(QiVerdict(f"{dataset} | {column}", label.quasi_identifier, got_qi))
    for dataset, expected in HIGH_RISK_QI.items():
        if dataset in golden:
            qi.append(QiVerdict(dataset, expected, high.get(dataset) if dataset in reported else None))
    per_category = {c: Score(c, *v) for c, v in counts.items()}
    micro = Score("all", *(sum(v[i] for v in counts.values()) for i in range(3)))
    return MessyResult(
        per_category=per_category,
        micro=micro,
        columns=Score("columns", col_tp, col_fp, col_fn),
        outcomes=tuple(outcomes),
        qi=tuple(qi),
        missing_datasets=tuple(d for d in golden if d not in reported),
    )


def _cats(values: frozenset[str] | None) -> str:
    return "(missing)" if values is None else ",".join(sorted(values)) or "-"


def format_table(result: MessyResult) -> str:
    head = f"{'category':<26}{'support':>8}{'pred':>6}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'f1':>7}"
    lines = [head]
    rows = [s for s in result.per_category.values() if s.support or s.predicted]
    for s in [*rows, result.micro, result.columns]:
        lines.append(f"{s.name:<26}{s.support:>8}{s.predicted:>6}{s.tp:>5}{s.fp:>5}{s.fn:>5}"
                     f"{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}")
    lines.append(f"decoy columns tagged: {len(result.decoys_tagged)}/{len(result.decoys)}")
    lines.append(f"QI verdicts right: {result.qi_right}/{len(result.qi)}")
    missed = [o for o in result.outcomes if o.missed]
    if missed:
        lines += ["", "missed (dataset | column | kind | expected | got):"]
        lines += [f"  {o.dataset} | {o.column} | {o.label.kind} | {_cats(o.label.categories)} | {_cats(o.got)}"
                  for o in missed]
    extra = [o for o in result.outcomes if o.extra]
    if extra:
        lines += ["", "tagged beyond the golden label (dataset | column | kind | expected | got):"]
        lines += [f"  {o.dataset} | {o.column} | {o.label.kind}{' [decoy]' if o.label.decoy else ''} | "
                  f"{_cats(o.label.categories)} | {_cats(o.got)}" for o in extra]
    weak = [o for o in result.outcomes if o.under_detected]
    if weak:
        lines += ["", f"found, but the best entity covers < {UNDER_DETECTED_RATIO:.0%} of a column where every value is one "
                      "(dataset | column | kind | ratio):"]
        lines += [f"  {o.dataset} | {o.column} | {o.label.kind} | {o.best_ratio}" for o in weak]
    wrong_qi = [q for q in result.qi if not q.ok]
    if wrong_qi:
        lines += ["", "QI verdicts wrong (subject | expected | got):"]
        lines += [f"  {q.subject} | {q.expected} | {'missing' if q.got is None else q.got}" for q in wrong_qi]
    if result.missing_datasets:
        lines += ["", "datasets missing from the report:", *(f"  {d}" for d in result.missing_datasets)]
    return "\n".join(lines)


def scan_lake(lake: Path, out: Path) -> dict[str, Any]:
    """Run ``piiscan scan`` on ``lake`` in a child process (as a user would) and load its report.json."""
    command = [sys.executable, "-m", "pipeline", "scan", str(lake), "--out", str(out), "--quiet", "--no-catalog"]
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ), check=False)
    if done.returncode not in (0, 3):
        raise RuntimeError(f"piiscan scan exited {done.returncode}: {done.stderr.strip()[-500:]}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    if not isinstance(report, dict):
        raise RuntimeError("report.json is not a JSON object")
    return report


def run(lake: Path, out: Path, seed: int = 0) -> MessyResult:
    from tests.messy.lake import write_lake

    write_lake(lake, seed)
    return evaluate(scan_lake(lake, out))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.messy.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--lake", type=Path, help="write the lake here (default: a temporary folder)")
    parser.add_argument("--out", type=Path, help="write the scan report here (default: a temporary folder)")
    parser.add_argument("--report", type=Path, help="score this report.json instead of generating and scanning")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        if args.report:
            report = json.loads(args.report.read_text(encoding="utf-8"))
            result = evaluate(report if isinstance(report, dict) else {})
        else:
            with tempfile.TemporaryDirectory(prefix="piiscan-messy-") as tmp:
                result = run(args.lake or Path(tmp) / "lake", args.out or Path(tmp) / "out", args.seed)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"messy evaluation failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
