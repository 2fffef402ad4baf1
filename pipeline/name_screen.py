"""Names are data: column, dataset and file names are screened like values before they leave the process.

A header row can be a row of data (a CSV exported without a header, a pivoted sheet whose headers are
people), and JSON keys or file names can be e-mail addresses. Such names must not be printed or
written. This module is the one place that decides whether a name holds personal data: piiscan's own
pattern recognizers run over it (prefilter first, as for values), and only the identifying entities
below count, so ordinary headers (``氏名``, ``email``, ``2024-01``, ``東京都``) stay as they are.

Readers use it to read a header row that holds personal data as data (``column_1…``); results use it
to replace any remaining personal name by a positional one, with an issue saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.models import ColumnResult, DatasetResult, QuasiIdentifierSet, ScanIssue, printable
from recognizers.normalize import normalize_array

# Entities that identify a person or reach them. Attributes (gender, prefecture, occupation, dates) are
# ordinary header words and pivot keys, so they do not make a name personal.
NAME_SCREEN_MIN_SCORE: dict[str, float] = {
    "PERSON": 0.6,  # a full name; a lone surname (0.45) is also a common word and place name
    "EMAIL_ADDRESS": 0.5,
    "PHONE_NUMBER": 0.4,  # bare digits without context score 0.4, which is what a header cell is
    "JP_MY_NUMBER": 0.5,
    "CREDIT_CARD": 0.5,
    "JP_PASSPORT": 0.5,
    "JP_DRIVER_LICENSE": 0.5,
    "JP_BASIC_PENSION_NUMBER": 0.5,
    "JP_HEALTH_INSURANCE": 0.5,
    "JP_RESIDENCE_CARD": 0.5,
    "JP_BANK_ACCOUNT": 0.5,
    "US_SSN": 0.5,
    "IP_ADDRESS": 0.5,
    "JP_ADDRESS": 0.5,
    "STREET_ADDRESS": 0.5,
}
POSITIONAL_PREFIX = "column_"
WITHHELD = "(name withheld)"  # no square brackets: terminals treat them as markup
# Names longer than this are screened in their first characters only; no real header is this long.
_MAX_NAME_CHARS = 512


def positional_names(count: int) -> list[str]:
    return [f"{POSITIONAL_PREFIX}{i + 1}" for i in range(count)]


@lru_cache(maxsize=4096)
def holds_personal_data(name: str) -> bool:
    """Whether a pattern recognizer finds an identifying entity in ``name`` (see NAME_SCREEN_MIN_SCORE)."""
    return bool(_screen([name])[0])


def header_looks_like_data(cells: Sequence[str]) -> bool:
    """A header row with any cell holding personal data is a row of data, not names."""
    return any(_screen([cell.strip() for cell in cells]))


def _screen(names: list[str]) -> list[bool]:
    from pipeline.engine import pattern_recognizers  # built once per process; imported late (heavy)

    texts = [name[:_MAX_NAME_CHARS] for name in names]
    if not any(texts):
        return [False] * len(texts)
    norm = normalize_array(pa.array(texts, pa.string()))
    found = [False] * len(texts)
    for recognizer in pattern_recognizers(None):
        wanted = [e for e in recognizer.supported_entities if e in NAME_SCREEN_MIN_SCORE]
        if not wanted:
            continue
        prefilter = getattr(recognizer, "PREFILTER", None)
        if prefilter:
            mask = np.asarray(pc.match_substring_regex(norm, prefilter).fill_null(False).to_numpy(zero_copy_only=False))
            candidates = np.flatnonzero(mask)
        else:
            candidates = np.arange(len(texts))
        for index in candidates:
            if found[index] or not texts[index]:
                continue
            for result in recognizer.analyze(texts[index], wanted, None):  # type: ignore[arg-type]
                if result.score >= NAME_SCREEN_MIN_SCORE.get(result.entity_type, 1.1):
                    found[index] = True
                    break
    return found


def safe_path(path: str) -> str:
    """``path`` fit to print and write: non-UTF-8 bytes escaped (:func:`printable`), and every component
    that holds personal data replaced (the extension kept)."""
    parts = printable(path).split("/")
    for index, part in enumerate(parts):
        if not part:
            continue
        stem, dot, ext = part.rpartition(".")
        if holds_personal_data(part) or (dot and holds_personal_data(stem)):
            # The extension is kept when it is one (short, no personal data): it says what the file was.
            keep_ext = dot and len(ext) <= 16 and not holds_personal_data(ext)
            parts[index] = WITHHELD + (f".{ext}" if keep_ext else "")
    return "/".join(parts)


def screen_dataset(result: DatasetResult) -> DatasetResult:
    """The result with personal column, dataset and file names replaced, and an issue for each kind.

    A column name that holds personal data becomes ``column_<position>``; dataset and file names keep
    their shape with the personal component withheld.
    """
    names = [column.name for column in result.columns]
    flags = _screen(names) if names else []
    renamed = {name: f"{POSITIONAL_PREFIX}{i + 1}" for i, (name, bad) in enumerate(zip(names, flags, strict=True)) if bad}
    taken = set(names) - set(renamed)
    for old, new in list(renamed.items()):
        while new in taken:
            new += "_"
        taken.add(new)
        renamed[old] = new
    dataset = safe_path(result.dataset)
    issues = [replace(issue, path=safe_path(issue.path)) for issue in result.errors]
    if renamed:
        issues.append(
            ScanIssue(
                path=dataset,
                message=(
                    f"{len(renamed)} column name(s) hold personal data and are shown by position "
                    f"({', '.join(renamed.values())}); the names themselves are never printed or written"
                ),
                kind="personal_column_name",
            )
        )
    if dataset != result.dataset:
        issues.append(
            ScanIssue(path=dataset, message="the dataset or file name holds personal data and is withheld", kind="personal_file_name")
        )
    if not renamed and dataset == result.dataset and issues == list(result.errors):
        return result
    columns = tuple(_rename_column(column, renamed) for column in result.columns)
    qi_sets = tuple(
        QuasiIdentifierSet(
            columns=tuple(renamed.get(c, c) for c in qi.columns), k_min=qi.k_min, unique_ratio=qi.unique_ratio, risk=qi.risk
        )
        for qi in result.quasi_identifier_sets
    )
    return replace(
        result,
        dataset=dataset,
        columns=columns,
        quasi_identifier_sets=qi_sets,
        errors=tuple(issues),
        files=tuple(safe_path(f) for f in result.files),
    )


def _rename_column(column: ColumnResult, renamed: dict[str, str]) -> ColumnResult:
    if column.name not in renamed:
        return column
    # The explanation may quote the name; it is rebuilt without it.
    return replace(column, name=renamed[column.name], explanation=column.explanation.replace(column.name, renamed[column.name]))


def safe_issue(issue: ScanIssue) -> ScanIssue:
    path = safe_path(issue.path)
    return issue if path == issue.path else replace(issue, path=path)
