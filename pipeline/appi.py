"""The APPI processing standards, item by item, on an export: 匿名加工情報 (施行規則第34条) and 仮名加工情報 (第31条).

A destination with an ``appi`` block in the policy (configs/policy.yaml) lists its items as data. Each item
is judged here with pure functions:

- column items (identifying descriptions, 個人識別符号, linking codes, financial-harm descriptions) from the
  scan's findings per column (tagged categories, and validated values below the column thresholds, as the gate
  counts them), plus, for linking codes, uncategorised columns named like an ID whose values are mostly distinct;
- peculiar descriptions (特異な記述等) from the data: a value held by fewer than ``min_count`` rows of its column
  (numbers and dates: only beyond the tail percentile, with a top/bottom-coding suggestion);
- the database's nature: k-anonymity over every combination of up to ``max_size`` quasi-identifiers, on the rows
  that hold no peculiar value (those are item 4's business, so each defect fails exactly one item).

An item is ``cannot_decide`` when piiscan cannot see what it needs (a column it could not scan, data it could not
read, free text for peculiar descriptions); the gate then refuses (fails closed). Evidence is masked.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.errors import ReadError
from pipeline.masking import mask_value
from pipeline.models import CategoryId, ColumnResult, DatasetResult
from pipeline.policy import AppiItemRule, AppiStandard, Policy
from pipeline.settings import ReadingSettings
from pipeline.sources import DatasetRef
from recognizers.entities import EntityId, EntityName

ItemStatus = Literal["met", "not_met", "cannot_decide"]
ANONYMIZE_SUMMARY = "_anonymize.json"  # written by piiscan anonymize beside the copy (pipeline/anonymizer.py)
DISCLOSURE_FILE = "disclosure.md"
MAX_EVIDENCE = 6
# Share of non-null values that must read as numbers (or dates) for a column to be treated as one.
NUMERIC_SHARE = 0.95
_NUMBER = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?(?:歳|才)?$")
_ISO_DATE = re.compile(r"^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})$")


@dataclass(frozen=True)
class ItemResult:
    """One item of a processing standard on one export: its status, the columns, masked evidence, what to do."""

    article: int
    item: int
    check: str
    text: str
    status: ItemStatus
    columns: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    action: str = ""

    @property
    def citation(self) -> str:
        return f"施行規則第{self.article}条第{self.item}号"

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "item": self.item,
            "citation": self.citation,
            "check": self.check,
            "status": self.status,
            "columns": list(self.columns),
            "evidence": list(self.evidence),
            "action": self.action,
            "text": self.text,
        }


@dataclass(frozen=True)
class PeculiarValue:
    """A value few rows hold (masked), where it sits, and what would remove it."""

    column: str
    masked: str
    count: int
    kind: Literal["rare", "upper_tail", "lower_tail"]
    suggestion: str


# ---------------------------------------------------------------- column items (1–3, 31条3号)


def _column_categories(column: ColumnResult, policy: Policy) -> set[CategoryId]:
    held = set(column.categories)
    held |= {c for e in (*column.entities, *column.value_hits) if e.ratio > 0 and (c := policy.category_of(e.type))}
    return held


def _column_entities(column: ColumnResult) -> set[EntityName]:
    return {e.type for e in (*column.entities, *column.value_hits) if e.ratio > 0}


def looks_like_internal_id(column: ColumnResult, rule: AppiItemRule, rows: int) -> bool:
    """An uncategorised column named like a key (``customer_id``, ``顧客番号``) whose values are mostly distinct."""
    if rule.id_column_pattern is None or column.categories or column.free_text or column.non_null == 0:
        return False
    name = unicodedata.normalize("NFKC", column.name).strip().casefold()
    if not re.search(rule.id_column_pattern, name):
        return False
    distinct = column.distinct_estimate or 0
    return distinct >= rule.id_min_distinct_share * max(min(rows, column.non_null), 1)


# A keyed-hash token as piiscan anonymize writes it (HMAC-SHA256, hex, at least 128 bits): random-looking,
# it describes no one; only the key holder can link it back (施行規則第31条第1号's "置き換え"). What the scan
# finds on such a column is its name, or a digit run inside a token that happens to look like a phone number.
_KEYED_HASH_TOKEN = re.compile(r"^[0-9a-f]{32,64}$")


def is_keyed_hash_column(values: pd.Series | None) -> bool:
    """Every value of the column is a keyed-hash token."""
    if values is None:
        return False
    present = values.dropna().astype(str)
    return not present.empty and bool(present.str.fullmatch(_KEYED_HASH_TOKEN.pattern).all())


def item_columns(dataset: DatasetResult, rule: AppiItemRule, policy: Policy) -> list[str]:
    """The columns a column item covers (by category, entity, or as an internal ID)."""
    wanted = set(rule.expanded)
    covered = []
    for column in dataset.columns:
        by_finding = bool(_column_categories(column, policy) & wanted or _column_entities(column) & set(rule.entities))
        as_key = rule.check == "linking_codes" and looks_like_internal_id(column, rule, dataset.rows_scanned)
        if by_finding or as_key:
            covered.append(column.name)
    return covered


def _column_evidence(column: ColumnResult, rule: AppiItemRule, policy: Policy) -> str:
    wanted = set(rule.expanded)
    found = [
        e for e in (*column.entities, *column.value_hits)
        if e.ratio > 0 and (policy.category_of(e.type) in wanted or e.type in rule.entities)
    ]
    if not found:
        return f"{column.name}: named like an internal ID, {column.distinct_estimate} distinct of {column.non_null} values"
    seen: dict[str, str] = {}
    for e in found:
        seen.setdefault(e.type, f"{e.type} {e.ratio:.0%}" + (f" e.g. {e.examples[0]}" if e.examples else ""))
    return f"{column.name}: " + ", ".join(seen.values())


_ACTION_WORDS = {
    "drop": "delete the column(s)",
    "hash": "replace the values with a keyed hash (PIISCAN_HASH_KEY, kept apart from the data) or delete the column(s)",
}


def evaluate_column_item(
    dataset: DatasetResult, rule: AppiItemRule, policy: Policy, frame: pd.DataFrame | None = None
) -> ItemResult:
    covered = item_columns(dataset, rule, policy)
    # A column of keyed-hash tokens is a replacement (置き換え), not a description; but a consistent token
    # still links records, so it stays a linking code (第34条第3号).
    if rule.check != "linking_codes" and frame is not None:
        covered = [n for n in covered if not (n in frame.columns and is_keyed_hash_column(frame[n]))]
    by_name = {c.name: c for c in dataset.columns}
    unseen = [c.name for c in dataset.columns if c.non_null > 0 and "binary" in c.data_type]
    if unseen:
        return _result(rule, "cannot_decide", unseen, [f"{n}: binary values, not scanned" for n in unseen],
                       "decode or remove the binary column(s) so they can be checked")
    if covered:
        return _result(rule, "not_met", covered, [_column_evidence(by_name[n], rule, policy) for n in covered],
                       _ACTION_WORDS[rule.action] + f" (piiscan anonymize --destination … does: {rule.action})")
    return _result(rule, "met", [], [], "")


def _result(rule: AppiItemRule, status: ItemStatus, columns: Iterable[str], evidence: Iterable[str], action: str) -> ItemResult:
    return ItemResult(
        article=rule.article, item=rule.item, check=rule.check, text=rule.text, status=status,
        columns=tuple(columns), evidence=tuple(evidence)[:MAX_EVIDENCE], action=action,
    )


# ---------------------------------------------------------------- values as numbers or dates (pure)


def as_numbers(values: pd.Series) -> pd.Series | None:
    """The column as floats (NaN for nulls) when nearly every value is a number (``116``, ``38歳``), else None."""
    text = values.dropna().astype(str).map(lambda v: unicodedata.normalize("NFKC", v).strip())
    if text.empty:
        return None
    numeric = text.str.fullmatch(_NUMBER.pattern)
    if numeric.mean() < NUMERIC_SHARE:
        return None
    parsed = pd.to_numeric(text.str.replace(r"(歳|才)$", "", regex=True), errors="coerce")
    return parsed.reindex(values.index)


def _date_ordinal(text: str) -> float:
    match = _ISO_DATE.match(unicodedata.normalize("NFKC", text).strip()[:10])
    if not match:
        return math.nan
    try:
        return float(date(int(match[1]), int(match[2]), int(match[3])).toordinal())
    except ValueError:
        return math.nan


def as_dates(values: pd.Series) -> pd.Series | None:
    """The column as day ordinals when nearly every value is an ISO date (``2001-03-04``), else None."""
    text = values.dropna().astype(str)
    if text.empty:
        return None
    ordinals = text.map(_date_ordinal)
    if ordinals.notna().mean() < NUMERIC_SHARE:
        return None
    return ordinals.reindex(values.index)


def _show_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _show_date(ordinal: float) -> str:
    return date.fromordinal(int(ordinal)).strftime("%Y-%m")


# ---------------------------------------------------------------- peculiar descriptions (item 4)


def tail_cuts(numbers: pd.Series, percentile: float) -> tuple[float, float]:
    """The (low, high) percentiles (linear interpolation) beyond which values are in the tails."""
    values = numbers.dropna().to_numpy(dtype=float)
    return float(np.percentile(values, 100 - percentile)), float(np.percentile(values, percentile))


def coding_targets(numbers: pd.Series, percentile: float) -> tuple[float, float]:
    """Where to bottom- and top-code: the most extreme values held that are not beyond the tail percentiles,
    so coded values join an existing class."""
    values = numbers.dropna().to_numpy(dtype=float)
    low, high = tail_cuts(numbers, percentile)
    inside = values[(values >= low) & (values <= high)]
    if inside.size == 0:
        return low, high
    return float(inside.min()), float(inside.max())


# Attributes whose values are codes or names, not quantities: a digits-only postal code is never top-coded.
CODE_ENTITIES: frozenset[EntityId] = frozenset({"JP_POSTAL_CODE", "JP_PREFECTURE", "GENDER", "OCCUPATION"})


def code_columns(dataset: DatasetResult) -> frozenset[str]:
    """Columns holding codes or names (CODE_ENTITIES): their rare values are suppressed, never top-coded."""
    return frozenset(c.name for c in dataset.columns if {e.type for e in c.entities} & CODE_ENTITIES)


def as_scale(series: pd.Series) -> tuple[pd.Series | None, bool]:
    """The column as numbers, else as day ordinals; (None, False) when it is neither. The flag says "dates"."""
    numbers = as_numbers(series)
    if numbers is not None:
        return numbers, False
    dates = as_dates(series)
    return dates, dates is not None


def peculiar_values(
    frame: pd.DataFrame, columns: Sequence[str], min_count: int, percentile: float, codes: frozenset[str] = frozenset()
) -> list[PeculiarValue]:
    """Values held by fewer than ``min_count`` rows of their column; for numbers and dates (unless the column
    is in ``codes``) only those beyond the tail percentiles. Nulls are not descriptions."""
    found: list[PeculiarValue] = []
    for name in columns:
        if name not in frame.columns:
            continue
        series = frame[name]
        counts = series.dropna().astype(str).value_counts()
        scale, is_date = as_scale(series) if name not in codes else (None, False)
        if scale is not None and scale.notna().any():
            low, high = tail_cuts(scale, percentile)
            to_low, to_high = coding_targets(scale, percentile)
            show = _show_date if is_date else _show_number
            scale_counts = scale.dropna().value_counts()
            for raw, count in scale_counts.items():
                value = float(str(raw))
                if count >= min_count or low <= value <= high:
                    continue
                upper = value > high
                found.append(
                    PeculiarValue(
                        column=name,
                        masked=mask_value(show(value)),
                        count=int(count),
                        kind="upper_tail" if upper else "lower_tail",
                        suggestion=(
                            f"top-code {name} at the {percentile:g}th percentile (values above → {show(to_high)})"
                            if upper
                            else f"bottom-code {name} at the {100 - percentile:g}th percentile (values below → {show(to_low)})"
                        ),
                    )
                )
            continue
        for held, count in counts.items():
            if count < min_count:
                found.append(
                    PeculiarValue(
                        column=name, masked=mask_value(str(held)), count=int(count), kind="rare",
                        suggestion=f"generalise {name} or suppress values held by fewer than {min_count} rows",
                    )
                )
    return found


def peculiar_rows(
    frame: pd.DataFrame, columns: Sequence[str], min_count: int, percentile: float, codes: frozenset[str] = frozenset()
) -> np.ndarray:
    """True for rows that hold at least one peculiar value (see ``peculiar_values``)."""
    flagged = np.zeros(len(frame), dtype=bool)
    for name in columns:
        if name not in frame.columns:
            continue
        series = frame[name]
        scale = as_scale(series)[0] if name not in codes else None
        if scale is not None and scale.notna().any():
            low, high = tail_cuts(scale, percentile)
            counts = scale.map(scale.value_counts())
            beyond = (scale < low) | (scale > high)
            flagged |= (beyond & (counts < min_count)).fillna(False).to_numpy(dtype=bool)
            continue
        text = series.astype("string")
        counts = text.map(text.value_counts())
        flagged |= (text.notna() & (counts < min_count)).fillna(False).to_numpy(dtype=bool)
    return flagged


# ---------------------------------------------------------------- the database's nature (item 5)


@dataclass(frozen=True)
class KViolation:
    columns: tuple[str, ...]
    k_min: int
    rows_below_k: int


def k_violations(frame: pd.DataFrame, columns: Sequence[str], k: int, max_size: int) -> list[KViolation]:
    """Combinations of up to ``max_size`` of ``columns`` whose smallest class has fewer than ``k`` rows
    (null is a value). Minimal ones only: a superset of a violating combination is not listed again."""
    present = [c for c in columns if c in frame.columns]
    if frame.empty or not present:
        return []
    codes = {c: pd.factorize(frame[c].astype("string"), use_na_sentinel=False)[0].astype(np.int64) for c in present}
    found: list[KViolation] = []
    for size in range(1, min(max_size, len(present)) + 1):
        for combo in combinations(present, size):
            if any(set(v.columns) <= set(combo) for v in found):
                continue
            key = np.zeros(len(frame), dtype=np.int64)
            for column in combo:
                mixed = key * (int(codes[column].max(initial=0)) + 1) + codes[column]
                key = np.unique(mixed, return_inverse=True)[1].astype(np.int64)
            _, counts = np.unique(key, return_counts=True)
            if counts.min() < k:
                found.append(KViolation(combo, int(counts.min()), int(counts[counts < k].sum())))
    return found


# ---------------------------------------------------------------- per dataset, per export


def quasi_columns(dataset: DatasetResult, rule: AppiItemRule, policy: Policy, direct: set[str]) -> list[str]:
    """Columns item 4 or 5 looks at: the rule's categories and the scan's quasi-identifiers, minus the direct
    identifiers the column items already remove, minus free text."""
    wanted = set(rule.expanded)
    return [
        c.name for c in dataset.columns
        if c.name not in direct and not c.free_text and (set(c.categories) & wanted or c.quasi_identifier)
    ]


def evaluate_dataset(
    dataset: DatasetResult, frame: pd.DataFrame | None, standard: AppiStandard, policy: Policy
) -> list[ItemResult]:
    """Every item of ``standard`` on one dataset; ``frame`` is its data as text (None when it could not be read)."""
    direct = _direct_columns(dataset, standard, policy)
    peculiar_rule = next((r for r in standard.items if r.check == "peculiar_descriptions"), None)
    results = []
    for rule in standard.items:
        if rule.check not in ("peculiar_descriptions", "database_nature"):
            results.append(evaluate_column_item(dataset, rule, policy, frame))
            continue
        columns = quasi_columns(dataset, rule, policy, direct)
        free = [c.name for c in dataset.columns if c.free_text and c.name not in direct]
        if not columns and not (free and rule.check == "peculiar_descriptions"):
            results.append(_result(rule, "met", [], [], ""))  # no attribute to count: nothing to judge
            continue
        if frame is None:
            results.append(_result(rule, "cannot_decide", columns, ["the data could not be read to count values"],
                                   "fix the read errors listed under problems, then check again"))
            continue
        if rule.check == "peculiar_descriptions":
            assert rule.min_count is not None
            if free:
                results.append(_result(
                    rule, "cannot_decide", free, [f"{n}: free text; frequencies cannot tell a peculiar description" for n in free],
                    "delete the free-text column(s) (anonymize does), or move them out of the export",
                ))
                continue
            values = peculiar_values(frame, columns, rule.min_count, rule.tail_percentile, code_columns(dataset))
            if not values:
                results.append(_result(rule, "met", columns, [], ""))
                continue
            involved = list(dict.fromkeys(v.column for v in values))
            evidence = [f"{v.column}: {v.masked} held by {v.count} row(s) ({v.kind.replace('_', ' ')})" for v in values]
            suggestions = list(dict.fromkeys(v.suggestion for v in values))
            results.append(_result(rule, "not_met", involved, evidence, "; ".join(suggestions)))
            continue
        assert rule.k_threshold is not None
        rows = frame
        if peculiar_rule is not None and peculiar_rule.min_count is not None:
            flagged = peculiar_rows(
                frame, columns, peculiar_rule.min_count, peculiar_rule.tail_percentile, code_columns(dataset)
            )
            rows = frame.loc[~flagged]
        violations = k_violations(rows, columns, rule.k_threshold, rule.max_size)
        if not violations:
            results.append(_result(rule, "met", columns, [], ""))
            continue
        results.append(_result(
            rule, "not_met", list(dict.fromkeys(c for v in violations for c in v.columns)),
            [f"{' + '.join(v.columns)}: k_min={v.k_min}, {v.rows_below_k} row(s) in classes below k={rule.k_threshold}" for v in violations],
            f"generalise these quasi-identifiers (age → 10-year band, date → year, postal code → 3 digits, address → "
            f"prefecture) and suppress the rows still in classes below k={rule.k_threshold}",
        ))
    return results


def _direct_columns(dataset: DatasetResult, standard: AppiStandard, policy: Policy) -> set[str]:
    """Columns the column items (1–3) cover: direct identifiers and codes the processing removes."""
    direct: set[str] = set()
    for rule in standard.items:
        if rule.check not in ("peculiar_descriptions", "database_nature"):
            direct |= set(item_columns(dataset, rule, policy))
    return direct


def columns_read(dataset: DatasetResult, standard: AppiStandard, policy: Policy) -> tuple[str, ...]:
    """The columns whose values the standard's items look at (keyed-hash tokens among the covered columns,
    attribute counts for items 4 and 5): all a check needs to read back."""
    direct = _direct_columns(dataset, standard, policy)
    needed = dict.fromkeys(sorted(direct))
    for rule in standard.items:
        if rule.check in ("peculiar_descriptions", "database_nature"):
            needed.update(dict.fromkeys(quasi_columns(dataset, rule, policy, direct)))
    return tuple(needed)


def merge_items(per_dataset: Sequence[tuple[str, Sequence[ItemResult]]]) -> tuple[ItemResult, ...]:
    """One line per item over all datasets: the worst status wins; columns and evidence name their dataset
    when there is more than one."""
    order: dict[ItemStatus, int] = {"met": 0, "not_met": 1, "cannot_decide": 2}
    several = len(per_dataset) > 1
    merged: dict[tuple[int, int], ItemResult] = {}
    for dataset, items in per_dataset:
        for item in items:
            prefix = f"{dataset}:" if several else ""
            current = merged.get((item.article, item.item))
            columns = tuple(prefix + c for c in item.columns) if item.status != "met" else ()
            evidence = tuple(prefix + e for e in item.evidence)
            if current is None:
                merged[(item.article, item.item)] = ItemResult(
                    item.article, item.item, item.check, item.text, item.status, columns, evidence, item.action
                )
                continue
            status = item.status if order[item.status] > order[current.status] else current.status
            merged[(item.article, item.item)] = ItemResult(
                item.article, item.item, item.check, item.text, status, current.columns + columns,
                (current.evidence + evidence)[:MAX_EVIDENCE], current.action or item.action,
            )
    return tuple(merged[key] for key in sorted(merged))


def read_frame(ref: DatasetRef, reading: ReadingSettings, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """A dataset's rows as text (nulls kept), every file concatenated; only ``columns`` when given (Parquet
    reads no other column). Raises ReadError."""
    from pipeline.readers import iter_batches, iter_column_batches

    batches = (
        b for file in ref.files
        for b in (iter_batches(file, reading) if columns is None else iter_column_batches(file, reading, columns))
    )
    tables = [pa.Table.from_batches([b]).flatten() for b in batches]
    if not tables:
        return pd.DataFrame()
    table = pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]
    return pd.DataFrame({
        name: pd.Series(
            [None if v is None else str(v) for v in table.column(name).to_pylist()], dtype="object"
        ) for name in table.column_names
    })


def evaluate_export(
    datasets: Sequence[DatasetResult],
    refs: Sequence[DatasetRef],
    standard: AppiStandard,
    policy: Policy,
    reading: ReadingSettings,
) -> tuple[ItemResult, ...]:
    """Every item on every dataset of an export, merged to one line per item."""
    by_name = {ref.name: ref for ref in refs}
    per_dataset: list[tuple[str, list[ItemResult]]] = []
    for dataset in datasets:
        frame: pd.DataFrame | None = None
        ref = by_name.get(dataset.dataset)
        if ref is not None:
            try:
                frame = read_frame(ref, reading, columns_read(dataset, standard, policy))
            except ReadError:
                frame = None
        per_dataset.append((dataset.dataset, evaluate_dataset(dataset, frame, standard, policy)))
    if not per_dataset:
        return tuple(
            _result(rule, "cannot_decide", [], ["no dataset found"], "name the export to check") for rule in standard.items
        )
    return merge_items(per_dataset)


# ---------------------------------------------------------------- provenance and disclosure


def processed_as(sources: Sequence[str]) -> list[str]:
    """Destinations that ``piiscan anonymize`` processed these local SOURCE folders for (from its summary)."""
    found = []
    for source in sources:
        if "://" in source and not source.startswith("file://"):
            continue
        summary = Path(source.removeprefix("file://")) / ANONYMIZE_SUMMARY
        try:
            data = json.loads(summary.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("destination"), str):
            found.append(data["destination"])
    return found


def disclosure_markdown(standard: AppiStandard, destination: str, datasets: Sequence[DatasetResult], policy: Policy) -> str:
    """The categories of information about individuals the processed copy holds (法第43条第3項), by dataset and
    column name, with the policy's category wording: no value, only names and categories."""
    title = "匿名加工情報" if standard.kind == "anonymously_processed" else "仮名加工情報"
    lines = [
        f"# {title}: 個人に関する情報の項目 (items of information about individuals)",
        "",
        f"Destination `{destination}`; processed under {standard.law} 第{standard.article}条. {standard.disclosure_duty}",
        "",
    ]
    for dataset in datasets:
        lines += [f"## {dataset.dataset}", "", f"{dataset.rows_total} rows.", "", "| column | category | entities |", "|---|---|---|"]
        for column in dataset.columns:
            categories = ", ".join(column.categories) or ("quasi-identifier" if column.quasi_identifier else "other")
            entities = ", ".join(sorted({e.type for e in column.entities})) or "—"
            lines.append(f"| {column.name.replace('|', '/')} | {categories} | {entities} |")
        lines.append("")
    held = sorted({c for d in datasets for col in d.columns for c in col.categories})
    lines += ["## Categories held", ""]
    lines += [f"- `{c}`: {policy.model.categories.get(c, '')}" for c in held] or ["- none of the policy's categories"]
    return "\n".join(lines) + "\n"
