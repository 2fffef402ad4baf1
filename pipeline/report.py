"""ScanReport and its outputs: report.json (the contract), report.md, report.html, the terminal table.

Every output is written atomically: a temp file in the same directory, fsync, then rename.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.errors import OutputError
from pipeline.models import CATEGORY_IDS, DatasetResult, ScanIssue

TOOL_VERSION = "0.1.0"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "report.schema.json"


@dataclass(frozen=True)
class ScanReport:
    datasets: tuple[DatasetResult, ...]
    errors: tuple[ScanIssue, ...]
    started_at: str
    finished_at: str
    policy_path: str
    policy_sha256: str

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(d.errors for d in self.datasets)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "tool": {"name": "piiscan", "version": TOOL_VERSION},
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "policy": {"path": self.policy_path, "sha256": self.policy_sha256},
            "datasets": [d.to_dict() for d in self.datasets],
            "errors": [e.to_dict() for e in self.errors],
        }

    def to_pandas(self) -> pd.DataFrame:
        """One row per (dataset, column), with categories, entities and the explanation."""
        rows = []
        for dataset in self.datasets:
            for column in dataset.columns:
                rows.append(
                    {
                        "dataset": dataset.dataset,
                        "column": column.name,
                        "categories": ", ".join(column.categories),
                        "entities": ", ".join(f"{e.type} ({e.ratio:.0%})" for e in column.entities),
                        "score": max((e.score for e in column.entities), default=0.0),
                        "quasi_identifier": column.quasi_identifier,
                        "explanation": column.explanation,
                    }
                )
        return pd.DataFrame(rows, columns=["dataset", "column", "categories", "entities", "score", "quasi_identifier", "explanation"])

    def columns(self, category: str | None = None) -> pd.DataFrame:
        frame = self.to_pandas()
        if category is None:
            return frame
        return frame[frame["categories"].str.split(", ").apply(lambda cats: category in cats)].reset_index(drop=True)

    def explain(self, dataset: str, column: str) -> str:
        for d in self.datasets:
            if d.dataset == dataset:
                for c in d.columns:
                    if c.name == column:
                        return c.explanation
        raise KeyError(f"no column {column!r} in dataset {dataset!r}")

    def _repr_html_(self) -> str:
        return render_html(self, standalone=False)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}; check the output directory") from None
        raise


def write_report(report: ScanReport, out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {out_dir}: {exc.strerror or exc}") from None
    data = report.to_dict()
    atomic_write_text(out_dir / "report.md", render_markdown(report))
    atomic_write_text(out_dir / "report.html", render_html(report, standalone=True))
    # report.json last: a scheduler that waits for it finds the other files complete.
    json_path = out_dir / "report.json"
    atomic_write_text(json_path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return json_path


def render_markdown(report: ScanReport) -> str:
    lines = [
        "# piiscan report",
        "",
        f"Scanned {len(report.datasets)} datasets, {report.started_at} → {report.finished_at}. "
        f"Policy `{report.policy_path}` (sha256 {report.policy_sha256[:12]}…).",
        "",
    ]
    for dataset in report.datasets:
        lines += [f"## {dataset.dataset}", "", f"{dataset.format}, {dataset.rows_scanned} of {dataset.rows_total} rows scanned.", ""]
        lines += ["| column | categories | entities | why |", "|---|---|---|---|"]
        for column in dataset.columns:
            entities = ", ".join(f"{e.type} {e.ratio:.0%}" for e in column.entities)
            why = column.explanation.replace("|", "\\|")
            lines.append(f"| {column.name} | {', '.join(column.categories) or '—'} | {entities or '—'} | {why} |")
        if dataset.quasi_identifier_sets:
            lines += ["", "Quasi-identifier sets:", ""]
            for qi in dataset.quasi_identifier_sets:
                lines.append(f"- {' + '.join(qi.columns)}: k_min={qi.k_min}, unique {qi.unique_ratio:.0%}, risk **{qi.risk}**")
        for issue in dataset.errors:
            lines.append(f"- error: `{issue.path}`: {issue.message}")
        lines.append("")
    if report.errors:
        lines += ["## Errors", ""] + [f"- `{e.path}`: {e.message}" for e in report.errors] + [""]
    return "\n".join(lines)


def render_html(report: ScanReport, *, standalone: bool) -> str:
    esc = html.escape
    head = ["<th>dataset</th>"] + [f"<th>{esc(c)}</th>" for c in CATEGORY_IDS]
    heat_rows = []
    for dataset in report.datasets:
        counts = {c: sum(1 for col in dataset.columns if c in col.categories) for c in CATEGORY_IDS}
        cells = "".join(
            f'<td class="h{min(3, n)}">{n or ""}</td>' for n in (counts[c] for c in CATEGORY_IDS)
        )
        heat_rows.append(f"<tr><td>{esc(dataset.dataset)}</td>{cells}</tr>")
    sections = []
    for dataset in report.datasets:
        rows = "".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                esc(c.name),
                esc(", ".join(c.categories) or "—"),
                esc(", ".join(f"{e.type} {e.ratio:.0%} ({e.score:.2f})" for e in c.entities) or "—"),
                esc(c.explanation),
            )
            for c in dataset.columns
        )
        qis = "".join(
            f"<li>{esc(' + '.join(q.columns))}: k_min={q.k_min}, unique {q.unique_ratio:.0%}, risk {esc(q.risk)}</li>"
            for q in dataset.quasi_identifier_sets
        )
        sections.append(
            f"<section><h2>{esc(dataset.dataset)}</h2><p>{esc(dataset.format)}, {dataset.rows_scanned} rows</p>"
            f"<table class='cols'><tr><th>column</th><th>categories</th><th>entities</th><th>why</th></tr>{rows}</table>"
            + (f"<ul>{qis}</ul>" if qis else "")
            + "</section>"
        )
    errors = "".join(f"<li>{esc(e.path)}: {esc(e.message)}</li>" for e in report.errors)
    body = (
        "<h1>piiscan report</h1>"
        f"<table class='heat'><tr>{''.join(head)}</tr>{''.join(heat_rows)}</table>"
        + "".join(sections)
        + (f"<h2>Errors</h2><ul>{errors}</ul>" if errors else "")
    )
    style = (
        "<style>body{font-family:'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',sans-serif}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}"
        ".h0{background:#fff}.h1{background:#fde0c5}.h2{background:#f9a66c}.h3{background:#e8590c;color:#fff}</style>"
    )
    if not standalone:
        return f"<div>{style}{body}</div>"
    return f"<!doctype html><html lang='ja'><head><meta charset='utf-8'><title>piiscan report</title>{style}</head><body>{body}</body></html>\n"
