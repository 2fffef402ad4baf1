"""ScanReport and its outputs: report.json (the contract), report.md, report.html, the notebook view.

Every output is written atomically: a temp file in the same directory, fsync, then rename; the three report
files of one scan as a set (see ``write_report``).
The HTML report is one self-contained file: styles are inlined, it has no script, and a
Content-Security-Policy forbids every fetch, so opening it makes no network request.
Only what the scan already holds in masked form (examples, evidence sentences) is shown.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.errors import OutputError, ReportQueryError
from pipeline.models import CATEGORY_IDS, ColumnResult, DatasetResult, EntityFinding, ScanIssue

TOOL_VERSION = "0.1.0"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "report.schema.json"

# A category query "sensitive" selects every "sensitive.*" id.
SENSITIVE_PREFIX = "sensitive"
FRAME_COLUMNS = [
    "dataset",
    "column",
    "categories",
    "entities",
    "score",
    "quasi_identifier",
    "explanation",
    # Added for notebooks; the first seven keep their meaning.
    "prevalence",
    "examples",
    "data_type",
    "non_null",
]


@dataclass(frozen=True)
class ScanReport:
    datasets: tuple[DatasetResult, ...]
    errors: tuple[ScanIssue, ...]
    started_at: str
    finished_at: str
    policy_path: str
    policy_sha256: str

    def __repr__(self) -> str:
        # The generated repr would print every finding; a notebook shows _repr_html_ anyway.
        columns = sum(len(d.columns) for d in self.datasets)
        tagged = sum(1 for d in self.datasets for c in d.columns if c.categories)
        errors = len(self.errors) + sum(len(d.errors) for d in self.datasets)
        return (
            f"<ScanReport: {len(self.datasets)} datasets, {columns} columns, {tagged} with personal data, "
            f"{errors} errors>"
        )

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
        """One row per (dataset, column): categories, entities, confidence, prevalence and the reason."""
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
                        "prevalence": max((e.ratio for e in column.entities), default=0.0),
                        "examples": ", ".join(x for e in column.entities for x in e.examples),
                        "data_type": column.data_type,
                        "non_null": column.non_null,
                    }
                )
        return pd.DataFrame(rows, columns=FRAME_COLUMNS)

    def columns(self, category: str | None = None) -> pd.DataFrame:
        """The rows of ``to_pandas()`` tagged ``category`` (an id, or "sensitive" for every sensitive.* id)."""
        frame = self.to_pandas()
        if category is None:
            return frame
        if category != SENSITIVE_PREFIX and category not in CATEGORY_IDS:
            raise ReportQueryError(
                f"unknown category {category!r}; use one of {', '.join(CATEGORY_IDS)} or {SENSITIVE_PREFIX!r}"
            )
        mask = frame["categories"].map(lambda joined: _matches_category(joined.split(", "), category))
        return frame[mask.astype(bool)].reset_index(drop=True)

    def explain(self, dataset: str, column: str) -> str:
        """Why ``column`` of ``dataset`` got its categories, in one sentence (examples masked)."""
        return self._column(dataset, column).explanation

    def category_matrix(self) -> pd.DataFrame:
        """Datasets × categories: how many columns of each dataset fall under each category (the heatmap)."""
        counts = [[_category_count(d, c) for c in CATEGORY_IDS] for d in self.datasets]
        frame = pd.DataFrame(counts, columns=list(CATEGORY_IDS), index=[d.dataset for d in self.datasets])
        frame.index.name = "dataset"
        return frame

    def _column(self, dataset: str, column: str) -> ColumnResult:
        found = next((d for d in self.datasets if d.dataset == dataset), None)
        if found is None:
            raise ReportQueryError(
                f"no dataset {dataset!r} in this report{_did_you_mean(dataset, [d.dataset for d in self.datasets])}"
            )
        match = next((c for c in found.columns if c.name == column), None)
        if match is None:
            raise ReportQueryError(
                f"no column {column!r} in dataset {dataset!r}{_did_you_mean(column, [c.name for c in found.columns])}"
            )
        return match

    def _repr_html_(self) -> str:
        return render_html(self, standalone=False)


def _matches_category(categories: Iterable[str], wanted: str) -> bool:
    if wanted == SENSITIVE_PREFIX:
        return any(c.startswith(SENSITIVE_PREFIX + ".") for c in categories)
    return wanted in categories


def _category_count(dataset: DatasetResult, category: str) -> int:
    return sum(1 for column in dataset.columns if category in column.categories)


def _did_you_mean(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "; report.to_pandas() lists every dataset and column"


# ---------------------------------------------------------------- writing


def _creation_mode() -> int:
    """The mode a plain open() would give a new file (0666 less the umask), read without changing it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    return 0o644


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one, never a part."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # read-only or full output directory: nothing was written
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}; check the output directory") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600 files; a report is for other people (a privacy officer) to read.
        os.chmod(tmp_name, _creation_mode())
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}; check the output directory") from None
        raise


REPORT_FILES = ("report.md", "report.html", "report.json")  # report.json last: a scheduler waiting for it finds the rest


def write_report(report: ScanReport, out_dir: Path, *, verdict: Mapping[str, Any] | None = None) -> Path:
    """Write report.md, report.html and report.json into ``out_dir`` as one set; ``verdict`` adds the gate's section.

    All three are written and fsynced into a fresh folder inside ``out_dir`` first; only then are they renamed
    into place (renames need no space). If any step fails (a full disk, a rename refused), the previous set is
    left, or put back, whole: never an old report.json beside a new report.md.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {out_dir}: {exc.strerror or exc}") from None
    texts = {
        "report.md": render_markdown(report, verdict=verdict),
        "report.html": render_html(report, standalone=True, verdict=verdict),
        "report.json": json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n",
    }
    try:
        staging = Path(tempfile.mkdtemp(prefix=".report-set-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"cannot write the report into {out_dir}: {exc.strerror or exc}; check the output directory") from None
    try:
        try:
            for name in REPORT_FILES:
                _write_synced(staging / name, texts[name])
            _fsync_dir(staging)
        except OSError as exc:
            raise OutputError(f"cannot write the report into {out_dir}: {exc.strerror or exc}; the previous report is unchanged") from None
        _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir / "report.json"


def _write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    # mkstemp/mkdtemp permissions are private; a report is for other people (a privacy officer) to read.
    os.chmod(path, _creation_mode())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # a platform without directory fds: the renames are still atomic one by one
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Rename the staged files over the old ones; on a failure, put back the old ones already replaced."""
    kept = staging / ".previous"
    kept.mkdir()
    replaced: list[str] = []
    try:
        for name in REPORT_FILES:
            target = out_dir / name
            if target.exists():
                try:
                    os.link(target, kept / name)  # a second name for the old file (no space), so it can be put back
                except OSError:
                    shutil.copy2(target, kept / name)  # a filesystem without hard links
            os.replace(staging / name, target)
            replaced.append(name)
        _fsync_dir(out_dir)
    except BaseException as exc:  # a refused rename, or a SIGTERM between two renames
        for name in reversed(replaced):
            try:
                if (kept / name).exists():
                    os.replace(kept / name, out_dir / name)
                else:
                    (out_dir / name).unlink(missing_ok=True)
            except OSError:
                continue
        if not isinstance(exc, OSError):
            raise
        raise OutputError(f"cannot write the report into {out_dir}: {exc.strerror or exc}; the previous report is unchanged") from None


# ---------------------------------------------------------------- the verdict (a plain dict from the gate)


def _verdict_decision(verdict: Mapping[str, Any]) -> str:
    # The decision string first: "undecidable" also has allowed=False and must not read as "blocked".
    for key in ("decision", "verdict", "status", "outcome"):
        value = verdict.get(key)
        if isinstance(value, str) and value:
            return value
    allowed = verdict.get("allowed")
    if isinstance(allowed, bool):
        return "allowed" if allowed else "blocked"
    return "undecided"


_REASON_TEXT_KEYS = ("message", "reason", "detail", "text", "description")
_VERDICT_HEADLINE_KEYS = frozenset(
    {"reasons", "allowed", "decision", "verdict", "status", "outcome", "destination", "schema_version", "appi_items"}
)
# How an APPI item's status reads in the reports (pipeline/appi.py).
APPI_STATUS_WORDS = {"met": "met", "not_met": "not met", "cannot_decide": "cannot decide"}


def _appi_items(verdict: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = verdict.get("appi_items") or []
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list | tuple) else []


def _appi_item_cells(item: Mapping[str, Any]) -> tuple[str, str, str, str, str]:
    """Citation, status, columns, masked evidence, what to do."""
    status = APPI_STATUS_WORDS.get(str(item.get("status")), str(item.get("status")))
    return (
        str(item.get("citation", "")), status, _flat(item.get("columns") or "—"),
        _flat(item.get("evidence") or "—"), str(item.get("action") or "—"),
    )


def _flat(value: Any) -> str:
    """A scalar, a list of scalars or a flat mapping as one line of text."""
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_flat(v) for v in value)
    return "—" if value is None else str(value)


def _reason_parts(reason: Any) -> tuple[str, list[tuple[str, str]]]:
    """A reason's sentence and its other fields (dataset, columns, rule, category …)."""
    if not isinstance(reason, Mapping):
        return str(reason), []
    text_key = next((k for k in _REASON_TEXT_KEYS if isinstance(reason.get(k), str) and reason.get(k)), None)
    text = str(reason[text_key]) if text_key else ""
    details = [(str(k), _flat(v)) for k, v in reason.items() if k != text_key and v not in (None, "", [], ())]
    return text, details


def _verdict_fields(verdict: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """Every other field of the verdict, each as one or more lines (a list of records gives one line each)."""
    fields = []
    for key, value in verdict.items():
        if key in _VERDICT_HEADLINE_KEYS or value in (None, "", [], ()):
            continue
        if isinstance(value, list | tuple) and any(isinstance(v, Mapping) for v in value):
            fields.append((str(key), [_flat(v) for v in value]))
        else:
            fields.append((str(key), [_flat(value)]))
    return fields


def _reasons(verdict: Mapping[str, Any]) -> list[Any]:
    reasons = verdict.get("reasons") or []
    return list(reasons) if isinstance(reasons, list | tuple) else [reasons]


# ---------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _entity_summary(entity: EntityFinding) -> str:
    return f"{entity.type} {entity.ratio:.0%} (conf. {entity.score:.2f})"


def render_markdown(report: ScanReport, *, verdict: Mapping[str, Any] | None = None) -> str:
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
        cats = ", ".join(f"{c} ({n})" for c in CATEGORY_IDS if (n := _category_count(dataset, c)))
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


def _verdict_markdown(verdict: Mapping[str, Any]) -> list[str]:
    destination = verdict.get("destination")
    title = f"## Verdict: {_verdict_decision(verdict).upper()}"
    if isinstance(destination, str):
        title += f" for `{destination}`"
    lines = [title, ""]
    for reason in _reasons(verdict):
        text, details = _reason_parts(reason)
        extra = "; ".join(f"{k}: {v}" for k, v in details)
        lines.append(f"- **reason**: {_md(text)}" + (f" ({_md(extra)})" if extra else ""))
    items = _appi_items(verdict)
    if items:
        lines += ["", "### APPI processing standard, item by item", "", "| item | status | columns | evidence (masked) | what to do |", "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(_md(cell) for cell in _appi_item_cells(item)) + " |" for item in items]
        lines.append("")
    for key, values in _verdict_fields(verdict):
        lines += [f"- {key}: {_md(v)}" for v in values]
    return [*lines, ""]


def _examples(column: ColumnResult) -> list[str]:
    return [x for e in column.entities for x in e.examples]


# ---------------------------------------------------------------- HTML

_FONTS = "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Hiragino Kaku Gothic ProN','Yu Gothic',Meiryo,sans-serif"
# Heat levels by number of columns; the screenshot test looks for these colours.
HEAT_COLOURS = ("#ffffff", "#fde0c5", "#fbb77f", "#f58a4b", "#d9480f")
COLUMN_TABLE_HEADER = "#dbe4ff"
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_STYLE = f"""
.piiscan{{font-family:{_FONTS};color:#212529;font-size:14px;line-height:1.45;max-width:1500px}}
.piiscan h1{{font-size:22px;margin:4px 0}}.piiscan h2{{font-size:18px;margin:18px 0 6px}}
.piiscan h3{{font-size:15px;margin:10px 0 4px}}
.piiscan table{{border-collapse:collapse;margin:4px 0 8px}}
.piiscan td,.piiscan th{{border:1px solid #ced4da;padding:3px 6px;vertical-align:top;text-align:left}}
.piiscan .meta{{color:#495057}}
.piiscan-heat th{{background:#343a40;color:#fff;font-size:11px;font-weight:600;min-width:52px}}
.piiscan-heat th.sens{{background:#862e2e}}
.piiscan-heat td.n{{text-align:center;font-weight:600;min-width:52px}}
.piiscan-heat td.ds a{{color:#1c3d8c;text-decoration:none}}
{"".join(f".piiscan .h{i}{{background:{colour}}}" for i, colour in enumerate(HEAT_COLOURS))}
.piiscan .h4{{color:#fff}}
.piiscan-cols th,.piiscan-qi th{{background:{COLUMN_TABLE_HEADER}}}
.piiscan-cols td.expl{{max-width:420px;font-size:12px;color:#343a40}}
.piiscan-cols tr.untagged td{{color:#868e96}}
.piiscan .chip{{display:inline-block;border-radius:8px;padding:0 6px;margin:1px;background:#fff3bf;font-size:12px}}
.piiscan .chip.sens{{background:#ffc9c9}}.piiscan .chip.qi{{background:#e5dbff}}
.piiscan .bar{{display:inline-block;width:70px;height:9px;background:#e9ecef;margin-right:4px}}
.piiscan .bar>span{{display:block;height:9px;background:#4263eb}}
.piiscan .swatch{{display:inline-block;border:1px solid #ced4da;padding:0 8px;font-size:12px}}
.piiscan code{{font-size:12px;background:#f1f3f5;padding:0 3px}}
.piiscan .risk-high{{color:#c92a2a;font-weight:700}}.piiscan .risk-medium{{color:#e67700;font-weight:600}}
.piiscan .verdict{{border:2px solid #495057;padding:6px 12px;margin:8px 0}}
.piiscan .verdict.blocked{{border-color:#c92a2a;background:#fff5f5}}
.piiscan .verdict.allowed{{border-color:#2b8a3e;background:#ebfbee}}
.piiscan .verdict.undecidable{{border-color:#e67700;background:#fff9db}}
.piiscan .verdict dl{{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}}
.piiscan .verdict dt{{font-weight:600}}.piiscan .verdict dd{{margin:0;grid-column:2}}
.piiscan .errors li{{color:#c92a2a}}
#piiscan-only-tagged:checked~.piiscan-datasets tr.untagged{{display:none}}
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _heat_level(count: int) -> int:
    return 0 if count == 0 else 1 if count == 1 else 2 if count == 2 else 3 if count <= 4 else 4


def _category_header(category: str) -> str:
    label = _esc(category).replace(".", ".<wbr>").replace("_", "_<wbr>")
    cls = " class='sens'" if category.startswith(SENSITIVE_PREFIX + ".") else ""
    return f"<th{cls} title='{_esc(category)}'>{label}</th>"


def _heatmap_html(report: ScanReport) -> str:
    head = "<tr><th>dataset</th>" + "".join(_category_header(c) for c in CATEGORY_IDS) + "<th>QI risk</th></tr>"
    rows = []
    for index, dataset in enumerate(report.datasets):
        cells = []
        for category in CATEGORY_IDS:
            tagged = [c.name for c in dataset.columns if category in c.categories]
            title = f"{category}: {', '.join(tagged)}" if tagged else category
            cells.append(
                f"<td class='n h{_heat_level(len(tagged))}' title='{_esc(title)}'>{len(tagged) or ''}</td>"
            )
        risks = [q.risk for q in dataset.quasi_identifier_sets]
        worst = next((r for r in ("high", "medium", "low") if r in risks), "")
        rows.append(
            f"<tr><td class='ds'><a href='#piiscan-ds-{index}'>{_esc(dataset.dataset)}</a></td>{''.join(cells)}"
            f"<td class='risk-{worst}'>{worst or '—'}</td></tr>"
        )
    legend = " ".join(
        f"<span class='swatch h{level}'>{label}</span>"
        for level, label in enumerate(("0", "1", "2", "3–4", "5+"))
    )
    return (
        "<section class='piiscan-heatmap'><h2>Where personal data sits</h2>"
        "<p class='meta'>Columns per dataset that fall under each policy category. "
        f"Legend (columns): {legend}</p>"
        f"<table class='piiscan-heat'>{head}{''.join(rows)}</table></section>"
    )


def _entity_cells(column: ColumnResult) -> str:
    if not column.entities:
        return "<td>—</td><td></td><td></td><td></td>"
    names, prevalences, scores, examples = [], [], [], []
    for entity in column.entities:
        names.append(f"<div>{_esc(entity.type)} <small>({_esc(', '.join(entity.evidence))})</small></div>")
        width = max(0.0, min(1.0, entity.ratio)) * 100
        prevalences.append(
            f"<div><span class='bar'><span style='width:{width:.0f}%'></span></span>{entity.ratio:.0%}</div>"
        )
        scores.append(f"<div>{entity.score:.2f}</div>")
        examples.append("<div>" + (" ".join(f"<code>{_esc(x)}</code>" for x in entity.examples) or "—") + "</div>")
    return "".join(f"<td>{''.join(part)}</td>" for part in (names, prevalences, scores, examples))


def _column_row(column: ColumnResult) -> str:
    chips = "".join(
        f"<span class='chip{' sens' if c.startswith(SENSITIVE_PREFIX + '.') else ''}'>{_esc(c)}</span>"
        for c in column.categories
    )
    if column.quasi_identifier:
        chips += "<span class='chip qi'>quasi-identifier</span>"
    cls = "" if column.categories or column.quasi_identifier else " class='untagged'"
    return (
        f"<tr{cls}><td>{_esc(column.name)}<br><small>{_esc(column.data_type)}</small></td>"
        f"<td>{chips or '—'}</td>{_entity_cells(column)}<td class='expl'>{_esc(column.explanation)}</td></tr>"
    )


def _issues_html(issues: Sequence[ScanIssue]) -> str:
    items = "".join(f"<li>{_esc(i.kind)}: <code>{_esc(i.path)}</code>: {_esc(i.message)}</li>" for i in issues)
    return f"<ul class='errors'>{items}</ul>"


def _dataset_html(index: int, dataset: DatasetResult, *, open_section: bool) -> str:
    tagged = sum(1 for c in dataset.columns if c.categories)
    head = (
        "<tr><th>column</th><th>categories</th><th>entities (evidence)</th><th>prevalence</th>"
        "<th>confidence</th><th>masked examples</th><th>why</th></tr>"
    )
    parts = [
        f"<details class='piiscan-dataset' id='piiscan-ds-{index}'{' open' if open_section else ''}>"
        f"<summary><h2 style='display:inline'>{_esc(dataset.dataset)}</h2> "
        f"<span class='meta'>{_esc(dataset.format)}, {dataset.rows_scanned} of {dataset.rows_total} rows scanned, "
        f"{tagged} of {len(dataset.columns)} columns tagged</span></summary>",
        f"<table class='piiscan-cols'>{head}{''.join(_column_row(c) for c in dataset.columns)}</table>",
    ]
    if dataset.quasi_identifier_sets:
        rows = "".join(
            f"<tr><td>{_esc(' + '.join(q.columns))}</td><td>{q.k_min}</td><td>{q.unique_ratio:.0%}</td>"
            f"<td class='risk-{_esc(q.risk)}'>{_esc(q.risk)}</td></tr>"
            for q in dataset.quasi_identifier_sets
        )
        parts.append(
            "<h3>Quasi-identifier sets</h3><table class='piiscan-qi'>"
            f"<tr><th>columns</th><th>k (smallest group)</th><th>unique rows</th><th>risk</th></tr>{rows}</table>"
        )
    if dataset.errors:
        parts.append("<h3>Errors</h3>" + _issues_html(dataset.errors))
    parts.append("</details>")
    return "".join(parts)


def _verdict_html(verdict: Mapping[str, Any]) -> str:
    decision = _verdict_decision(verdict)
    destination = verdict.get("destination")
    title = f"Verdict: {decision.upper()}" + (f" for {destination}" if isinstance(destination, str) else "")
    items = []
    for reason in _reasons(verdict):
        text, details = _reason_parts(reason)
        extra = "; ".join(f"{k}: {v}" for k, v in details)
        items.append(f"<li>{_esc(text)}" + (f" <small>({_esc(extra)})</small>" if extra else "") + "</li>")
    reasons = f"<h3>Reasons</h3><ul>{''.join(items)}</ul>" if items else ""
    appi_rows = "".join(
        f"<tr class='appi-{_esc(str(item.get('status')))}'>" + "".join(f"<td>{_esc(cell)}</td>" for cell in _appi_item_cells(item)) + "</tr>"
        for item in _appi_items(verdict)
    )
    if appi_rows:
        reasons += (
            "<h3>APPI processing standard, item by item</h3><table class='appi-items'><thead><tr><th>item</th><th>status</th>"
            "<th>columns</th><th>evidence (masked)</th><th>what to do</th></tr></thead><tbody>" + appi_rows + "</tbody></table>"
        )
    fields = "".join(
        f"<dt>{_esc(key)}</dt>" + "".join(f"<dd>{_esc(v)}</dd>" for v in values)
        for key, values in _verdict_fields(verdict)
    )
    return (
        f"<section class='verdict {_esc(decision.lower())}'><h2>{_esc(title)}</h2>"
        + reasons
        + (f"<dl>{fields}</dl>" if fields else "")
        + "</section>"
    )


def render_html(report: ScanReport, *, standalone: bool = True, verdict: Mapping[str, Any] | None = None) -> str:
    """The report as HTML: a whole self-contained page, or (``standalone=False``) a fragment for a notebook."""
    tagged = sum(1 for d in report.datasets for c in d.columns if c.categories)
    total = sum(len(d.columns) for d in report.datasets)
    errors = list(report.errors) + [e for d in report.datasets for e in d.errors]
    body = [
        "<h1>piiscan report</h1>",
        f"<p class='meta'>{len(report.datasets)} datasets, {total} columns, <b>{tagged} with personal data</b>, "
        f"{len(errors)} errors. Scanned {_esc(report.started_at)} → {_esc(report.finished_at)}. "
        f"Policy <code>{_esc(report.policy_path)}</code> (sha256 {_esc(report.policy_sha256[:12])}…). "
        "Examples are masked; no scanned value appears in this report.</p>",
    ]
    if verdict is not None:
        body.append(_verdict_html(verdict))
    body.append(_heatmap_html(report))
    if report.errors:
        body.append("<section><h2>Errors</h2>" + _issues_html(report.errors) + "</section>")
    # A notebook shows the heatmap and keeps the long tables folded; the file opens them all.
    body.append(
        "<input type='checkbox' id='piiscan-only-tagged'> "
        "<label for='piiscan-only-tagged'>show only columns with findings</label>"
        "<div class='piiscan-datasets'>"
        + "".join(_dataset_html(i, d, open_section=standalone) for i, d in enumerate(report.datasets))
        + "</div>"
    )
    content = f"<div class='piiscan'>{''.join(body)}</div>"
    if not standalone:
        return f"<style>{_STYLE}</style>{content}"
    return (
        "<!doctype html>\n<html lang='ja'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>piiscan report</title><style>{_STYLE}</style></head><body>{content}</body></html>\n"
    )
