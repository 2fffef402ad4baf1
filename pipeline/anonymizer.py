"""``anonymize(sources, destination, out)``: write a copy of the data that passes the gate for a destination.

Per column, the destination's operator for each category (configs/policy.yaml ``anonymize.operators``)
runs through presidio-anonymizer: drop, mask, keyed hash (HMAC-SHA256 with the key from
``PIISCAN_HASH_KEY``; never stored or logged), redact, generalise (age → band, date → year or month,
7-digit postal code → 3 digits, address → prefecture). Free-text columns keep their text and lose only
the detected spans. Rows without consent are dropped where the destination requires consent, and rows
in quasi-identifier classes smaller than k are suppressed. Then the gate runs again on what was written;
the copy appears at ``out`` (temp dir, then rename) only if it passes. The source is only read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import posixpath
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from pipeline import appi
from pipeline.errors import ConfigError, OutputError, PiiscanError, ReadError
from pipeline.gate import (
    BlockingReason,
    ExportBlocked,
    GateUndecidable,
    Verdict,
    check,
    consent_mask,
    destination_rule,
    gate_view,
)
from pipeline.models import CategoryId, ColumnResult, DatasetResult
from pipeline.policy import AnonymizeOperator, AppiStandard, DestinationRule, Policy, load_policy
from pipeline.quasi_select import select_candidates
from pipeline.report import atomic_write_text
from pipeline.settings import DEFAULT_USER_RECOGNIZERS, ScanSettings, load_scan_settings
from pipeline.sources import DataFile, DatasetRef, discover
from recognizers.entities import EntityName
from recognizers.era import parse_date_parts
from recognizers.jp.jp_prefecture import PREFECTURE_NAMES, PREFECTURE_STEMS

HASH_KEY_ENV = "PIISCAN_HASH_KEY"
MIN_HASH_KEY_CHARS = 16
SUMMARY_FILE = "_anonymize.json"  # a leading "_" keeps it out of discovery, so the re-check ignores it

Action = Literal["dropped", "masked", "hashed", "redacted", "generalised", "redacted_spans", "kept"]
# When a column falls under several categories, the strongest operator wins.
_STRENGTH: tuple[AnonymizeOperator, ...] = ("drop", "redact", "hash", "mask", "generalise")
_ACTION: dict[AnonymizeOperator, Action] = {
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


# ---------------------------------------------------------------- generalisers (pure)


def age_band(text: str) -> str | None:
    """``34`` → ``30代``; ages of 90 and over share one band. A value that is already a band is kept."""
    value = unicodedata.normalize("NFKC", text).strip().removesuffix("歳").removesuffix("才")
    if not value.isdigit():
        return text if text.strip().endswith(("代", "以上", "以下", "未満")) else None
    age = int(value)
    if age > 130:
        return None
    return "90代以上" if age >= 90 else "10歳未満" if age < 10 else f"{age // 10 * 10}代"


def date_generalise(text: str, granularity: Literal["year", "month"]) -> str | None:
    """``1985-12-24`` / ``昭和60年12月24日`` → ``1985`` (year) or ``1985-12`` (month)."""
    value = unicodedata.normalize("NFKC", text).strip()
    parts = parse_date_parts(value[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", value) else parse_date_parts(value)
    if parts is None:
        return None
    if granularity == "month" and parts.month is not None:
        return f"{parts.year:04d}-{parts.month:02d}"
    return f"{parts.year:04d}"


_POSTAL = re.compile(r"^〒?\s*([0-9]{3})-?([0-9]{4})$")


def postal_prefix(text: str) -> str | None:
    """A 7-digit postal code (``100-0001``, ``〒1000001``) → its first three digits (``100``)."""
    value = unicodedata.normalize("NFKC", text).strip()
    value = re.sub(r"[‐‑‒–—―−ーｰ]", "-", value)
    match = _POSTAL.match(value)
    return match.group(1) if match else None


_PREFECTURE_AT_START = re.compile(
    r"^(?:〒?\s*[0-9]{3}-?[0-9]{4}\s*)?(" + "|".join(sorted(PREFECTURE_NAMES, key=len, reverse=True)) + ")"
)
_STEM_TO_NAME = dict(zip(PREFECTURE_STEMS, PREFECTURE_NAMES, strict=True))


def address_prefecture(text: str) -> str | None:
    """An address → its prefecture (``東京都千代田区…`` → ``東京都``); None when it names none."""
    value = unicodedata.normalize("NFKC", text).strip()
    match = _PREFECTURE_AT_START.match(value)
    if match:
        return match.group(1)
    for stem, name in _STEM_TO_NAME.items():
        if value.startswith(stem) and len(stem) >= 2:
            return name
    return None


def _identity(text: str) -> str | None:
    return text


def generaliser_for(entity: str, granularity: Literal["year", "month"]) -> Callable[[str], str | None] | None:
    """The generaliser for an entity, or None when piiscan has none (the column is then dropped if blocked)."""
    if entity == "AGE":
        return age_band
    if entity in ("DATE_OF_BIRTH", "DATE"):
        return lambda text: date_generalise(text, granularity)
    if entity == "JP_POSTAL_CODE":
        return postal_prefix
    if entity == "JP_ADDRESS":
        return address_prefecture
    if entity in ("JP_PREFECTURE", "GENDER", "OCCUPATION"):
        return _identity  # already coarse; k-anonymity suppression handles rare values
    return None


# ---------------------------------------------------------------- presidio operators


def hash_key_from_env(env_var: str = HASH_KEY_ENV) -> bytes:
    """The keyed-hash key; refuses to run without one (an unkeyed hash of a phone number is reversible)."""
    key = os.environ.get(env_var, "")
    if len(key) < MIN_HASH_KEY_CHARS:
        raise ConfigError(
            f"a keyed hash is needed but {env_var} is {'unset' if not key else 'too short'}; "
            f"set it to a secret of at least {MIN_HASH_KEY_CHARS} characters (it is never written anywhere)"
        )
    return key.encode("utf-8")


def keyed_hash(key: bytes) -> Callable[[str], str]:
    def _hash(text: str) -> str:
        normalised = unicodedata.normalize("NFKC", text).strip()
        return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    return _hash


# What replaces a span in free text. Not the entity's name: "[RELIGION]", "[DISABILITY]" and "[PERSON]様"
# are read as those entities again by the vocabulary and name recognizers, so the gate (which counts any
# validated value) would block the anonymised copy on its own placeholders.
REDACTED = "[REDACTED]"


def placeholder(entity: str) -> str:
    return REDACTED


def operator_config(
    operator: AnonymizeOperator,
    entity: str,
    *,
    key: bytes | None,
    generalise: Callable[[str], str | None] | None = None,
) -> OperatorConfig:
    """The presidio-anonymizer operator for one entity. ``drop`` is done by the caller for whole columns;
    inside free text it and ``redact`` replace the span with ``[REDACTED]`` (GiNZA reads ``<…>`` before
    a particle as a person's name, but leaves square brackets alone)."""
    if operator == "hash":
        if key is None:
            raise ConfigError(f"internal: keyed hash requested without a key ({HASH_KEY_ENV})")
        return OperatorConfig("custom", {"lambda": keyed_hash(key)})
    if operator == "mask":
        return OperatorConfig("mask", {"masking_char": "*", "chars_to_mask": 10_000, "from_end": False})
    if operator == "generalise" and generalise is not None:
        fallback = placeholder(entity)
        return OperatorConfig("custom", {"lambda": lambda text: generalise(text) or fallback})
    return OperatorConfig("replace", {"new_value": placeholder(entity)})


_engine: AnonymizerEngine | None = None


def anonymizer_engine() -> AnonymizerEngine:
    global _engine
    if _engine is None:
        _engine = AnonymizerEngine()  # type: ignore[no-untyped-call]
    return _engine


# ---------------------------------------------------------------- column plans


@dataclass(frozen=True)
class _Plan:
    column: str
    operator: AnonymizeOperator
    entity: EntityName
    category: CategoryId


def _blocking_categories(rule: DestinationRule, consent_kept: bool) -> set[CategoryId]:
    blocked = {c for r in rule.category_rules("blocked_category") for c in r.expanded}
    if not consent_kept:
        blocked |= {c for r in rule.category_rules("consent_required") for c in r.expanded}
    return blocked


def _consent_categories(rule: DestinationRule) -> set[CategoryId]:
    return {c for r in rule.category_rules("consent_required") for c in r.expanded}


def plan_column(
    column: ColumnResult, rule: DestinationRule, policy: Policy, consent_kept: bool
) -> _Plan | None:
    """The operator for a structured column, or None to keep it as it is."""
    skip = _consent_categories(rule) if consent_kept else set()
    candidates: list[_Plan] = []
    for entity in column.entities:
        category = policy.category_of(entity.type)
        if category is None or category in skip or category not in column.categories:
            continue
        operator = rule.anonymize.operator_for(category)
        if operator is not None:
            candidates.append(_Plan(column.name, operator, entity.type, category))
    if not candidates:
        return None
    return min(candidates, key=lambda p: _STRENGTH.index(p.operator))


def _as_text_list(array: pa.Array | pa.ChunkedArray) -> list[str | None]:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        try:
            array = pc.cast(array, pa.string())
        except pa.ArrowException:
            return [None if v is None else str(v) for v in array.to_pylist()]
    return array.to_pylist()  # type: ignore[no-any-return]


def _map_distinct(values: list[str | None], transform: Callable[[str], str | None]) -> pa.Array:
    cache: dict[str, str | None] = {}
    out: list[str | None] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        if value not in cache:
            cache[value] = transform(value)
        out.append(cache[value])
    return pa.array(out, type=pa.string())


def _whole_value(operator_cfg: OperatorConfig, entity: str) -> Callable[[str], str | None]:
    engine = anonymizer_engine()

    def _apply(text: str) -> str | None:
        if not text:
            return text
        result = engine.anonymize(
            text=text,
            analyzer_results=[RecognizerResult(entity, 0, len(text), 1.0)],
            operators={entity: operator_cfg},
        )
        return str(result.text)

    return _apply


def transform_structured(
    values: list[str | None], plan: _Plan, rule: DestinationRule, key: bytes | None
) -> tuple[pa.Array | None, ColumnAction]:
    """Apply a column plan. Returns (new values or None when the column is dropped, what was done)."""
    if plan.operator == "drop":
        return None, ColumnAction(plan.column, "dropped", f"{plan.category} ({plan.entity})")
    if plan.operator == "generalise":
        generalise = generaliser_for(plan.entity, rule.anonymize.date_granularity)
        if generalise is None:
            if plan.category in _blocking_categories(rule, consent_kept=False):
                return None, ColumnAction(plan.column, "dropped", f"no generaliser for {plan.entity}")
            return pa.array(values, type=pa.string()), ColumnAction(plan.column, "kept", f"no generaliser for {plan.entity}")
        if generalise is _identity:
            return pa.array(values, type=pa.string()), ColumnAction(plan.column, "kept", f"{plan.entity} is already coarse")
        # Generalisers return None for values they cannot read: those cells are suppressed, never kept raw.
        return _map_distinct(values, generalise), ColumnAction(plan.column, "generalised", plan.entity)
    cfg = operator_config(plan.operator, plan.entity, key=key)
    return (
        _map_distinct(values, _whole_value(cfg, plan.entity)),
        ColumnAction(plan.column, _ACTION[plan.operator], f"{plan.category} ({plan.entity})"),
    )


def _free_text_operators(
    rule: DestinationRule, policy: Policy, consent_kept: bool, key: bytes | None
) -> dict[str, OperatorConfig]:
    skip = _consent_categories(rule) if consent_kept else set()
    operators: dict[str, OperatorConfig] = {}
    for entity, category in policy.model.entity_categories.items():
        if category in skip:
            continue
        operator = rule.anonymize.operator_for(category)
        if operator is None:
            continue
        generalise = generaliser_for(entity, rule.anonymize.date_granularity)
        operators[entity] = operator_config(
            operator, entity, key=key, generalise=None if generalise is _identity else generalise
        )
    return operators


def redact_free_text(
    values: list[str | None],
    operators: dict[str, OperatorConfig],
    settings: ScanSettings,
    user_recognizers: str | None,
) -> tuple[pa.Array, int]:
    """Replace the PII spans of each text (pattern recognizers on every value, GiNZA NER as in the scan),
    keeping the rest of the text. Returns the new values and how many values changed."""
    from pipeline.detect import prefilter_mask
    from pipeline.engine import ner_batch, pattern_recognizers
    from recognizers.normalize import normalize_array

    distinct = sorted({v for v in values if v})
    if not distinct or not operators:
        return pa.array(values, type=pa.string()), 0
    # Unlike the scan, redaction reads the whole text: PII past max_value_chars must go too.
    spans: dict[str, list[RecognizerResult]] = {v: [] for v in distinct}
    norm = normalize_array(pa.array(distinct, type=pa.string()))
    for recognizer in pattern_recognizers(user_recognizers):
        wanted = [e for e in recognizer.supported_entities if e in operators]
        if not wanted:
            continue
        for value, hit in zip(distinct, prefilter_mask(norm, recognizer), strict=True):
            if not hit:
                continue
            # Pattern recognizers need no NLP artefacts; Presidio types the argument as required.
            for result in recognizer.analyze(value, wanted, None):  # type: ignore[arg-type]
                if result.score >= settings.detection.min_value_score and result.entity_type in operators:
                    spans[value].append(RecognizerResult(result.entity_type, result.start, result.end, result.score))
    engine = anonymizer_engine()
    replaced: dict[str, str] = {}
    pending = distinct
    # NER runs again on what changed: a replacement can shift what GiNZA sees around it, and the
    # re-check must find nothing the redaction left behind. Unchanged texts give the same NER answer.
    for _ in range(3 if settings.detection.ner_enabled else 1):
        current = [replaced.get(v, v) for v in pending]
        if settings.detection.ner_enabled:
            for value, results in zip(pending, ner_batch(current), strict=True):
                for result in results:
                    if result.entity_type in operators:
                        spans[value].append(RecognizerResult(result.entity_type, result.start, result.end, result.score))
        changed = []
        for value, text in zip(pending, current, strict=True):
            if spans[value]:
                replaced[value] = str(engine.anonymize(text=text, analyzer_results=spans[value], operators=operators).text)
                spans[value] = []
                changed.append(value)
        pending = changed
        if not pending:
            break
    out = [None if v is None else replaced.get(v, v) for v in values]
    return pa.array(out, type=pa.string()), sum(1 for v in values if v is not None and v in replaced)


# ---------------------------------------------------------------- k-anonymity by suppression


def enforce_k(
    frame: pd.DataFrame, columns: Sequence[str], k: int, max_size: int, max_suppressed_share: float
) -> tuple[np.ndarray, list[str]]:
    """Rows to keep so that every combination of up to ``max_size`` of ``columns`` has classes of ≥ k rows
    (nulls are a value, as in the scan's QI analysis). When that would remove more than
    ``max_suppressed_share`` of the rows, the column with the most distinct values is dropped instead."""
    rows = len(frame)
    remaining = [c for c in columns if c in frame.columns]
    dropped: list[str] = []
    # Integer codes per column (null is a code of its own), so class sizes are a numpy count per combo.
    codes = {c: pd.factorize(frame[c].astype("string"), use_na_sentinel=False)[0].astype(np.int64) for c in remaining}
    while True:
        keep = np.ones(rows, dtype=bool)
        changed = bool(remaining) and rows > 0
        while changed:
            changed = False
            for size in range(1, min(max_size, len(remaining)) + 1):
                for combo in combinations(remaining, size):
                    rows_kept = np.flatnonzero(keep)
                    key = np.zeros(len(rows_kept), dtype=np.int64)
                    for column in combo:
                        # Re-densify after each column, so the key stays below rows² and never overflows.
                        mixed = key * (int(codes[column].max(initial=0)) + 1) + codes[column][rows_kept]
                        key = np.unique(mixed, return_inverse=True)[1].astype(np.int64)
                    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
                    small = counts[inverse] < k
                    if small.any():
                        keep[rows_kept[small]] = False
                        changed = True
        suppressed = rows - int(keep.sum())
        if not remaining or rows == 0 or suppressed <= max_suppressed_share * rows:
            return keep, dropped
        widest = max(remaining, key=lambda c: (int(codes[c].max(initial=0)), c))
        remaining.remove(widest)
        dropped.append(widest)


# ---------------------------------------------------------------- reading and writing


def _read_file(file: DataFile, settings: ScanSettings) -> pa.Table:
    from pipeline.readers import iter_batches

    batches = list(iter_batches(file, settings.reading))
    if not batches:
        return pa.table({})
    tables = [pa.Table.from_batches([b]).flatten() for b in batches]
    return pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]


def output_relative_path(ref: DatasetRef, file: DataFile) -> str:
    """Where a file of ``ref`` goes under the output folder, mirroring its place under the SOURCE;
    compression suffixes are dropped because the copy is written uncompressed."""
    url = file.url.split("://", 1)[-1]
    if url.endswith("/" + ref.name) or url == ref.name:
        relative = ref.name
    else:
        at = url.rfind("/" + ref.name + "/")
        relative = url[at + 1 :] if at >= 0 else posixpath.join(ref.name, posixpath.basename(url))
    if file.compression:
        relative = posixpath.splitext(relative)[0]
    return relative


def _write_table(table: pa.Table, path: Path, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        pq.write_table(table, path)
    elif fmt in ("csv", "tsv"):
        pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(delimiter="\t" if fmt == "tsv" else ","))
    else:
        with path.open("w", encoding="utf-8") as handle:
            for record in table.to_pylist():
                handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


# ---------------------------------------------------------------- one dataset


def _write_parts(
    ref: DatasetRef,
    columns: dict[str, pa.Array | pa.ChunkedArray],
    keep: np.ndarray,
    sizes: list[int],
    work_dir: Path,
) -> list[str]:
    """Write the kept rows of ``columns`` back as one file per input file (same relative paths and formats)."""
    out_table = pa.table({n: (c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c) for n, c in columns.items()}) if columns else None
    mask = pa.array(keep)
    written: list[str] = []
    offset = 0
    for file, size in zip(ref.files, sizes, strict=True):
        relative = output_relative_path(ref, file)
        part = out_table.slice(offset, size).filter(mask.slice(offset, size)) if out_table is not None else pa.table({})
        offset += size
        _write_table(part, work_dir / relative, file.format)
        written.append(relative)
    return written


def _read_dataset(ref: DatasetRef, settings: ScanSettings) -> tuple[pa.Table, list[int]]:
    """Every file of ``ref`` as one table, and each file's row count; an unreadable file stops the export."""
    tables: list[pa.Table] = []
    for file in ref.files:
        try:
            tables.append(_read_file(file, settings))
        except ReadError as exc:
            raise GateUndecidable(f"cannot read {exc.path}: {exc.problem}") from None
    non_empty = [t for t in tables if t.num_columns]
    table = pa.concat_tables(non_empty, promote_options="permissive") if non_empty else pa.table({})
    return table, [t.num_rows for t in tables]


def _anonymize_dataset(
    ref: DatasetRef,
    result: DatasetResult,
    policy: Policy,
    rule: DestinationRule,
    consent_column: str | None,
    settings: ScanSettings,
    user_recognizers: str | None,
    key: bytes | None,
    work_dir: Path,
) -> AnonymizedDataset:
    table, sizes = _read_dataset(ref, settings)
    rows_in = table.num_rows
    actions: list[ColumnAction] = []

    # Consent: where the destination needs it and a consent column is named, only consented rows go.
    needs_consent = any(
        _consent_categories(rule) & set(c.categories) for c in result.columns if c.name != consent_column
    )
    consent_kept = bool(consent_column) and needs_consent
    keep = np.ones(rows_in, dtype=bool)
    if consent_kept and rows_in:
        assert consent_column is not None
        if consent_column not in table.column_names:
            raise GateUndecidable(f"{ref.name}: consent column {consent_column!r} not found")
        keep &= np.asarray(consent_mask(table.column(consent_column)).to_numpy(zero_copy_only=False), dtype=bool)
    rows_without_consent = rows_in - int(keep.sum())

    columns: dict[str, pa.Array | pa.ChunkedArray] = {name: table.column(name) for name in table.column_names}
    free_text_ops: dict[str, OperatorConfig] | None = None
    by_name = {c.name: c for c in result.columns}
    for name in list(columns):
        column = by_name.get(name)
        if column is None or name == consent_column:
            continue
        if column.free_text:
            if free_text_ops is None:
                free_text_ops = _free_text_operators(rule, policy, consent_kept, key)
            if not free_text_ops:
                continue
            new_values, changed = redact_free_text(
                _as_text_list(columns[name]), free_text_ops, settings, user_recognizers
            )
            columns[name] = new_values
            actions.append(ColumnAction(name, "redacted_spans", f"PII spans replaced in {changed} values"))
            continue
        plan = plan_column(column, rule, policy, consent_kept)
        if plan is None:
            continue
        transformed, action = transform_structured(_as_text_list(columns[name]), plan, rule, key)
        if transformed is None:
            del columns[name]
        else:
            columns[name] = transformed
        actions.append(action)

    # k-anonymity over the columns the scan would combine into quasi-identifier sets.
    rows_suppressed = 0
    if rule.quasi_identifier_rules and rows_in:
        k = policy.model.quasi_identifiers.k_threshold
        if any("medium" in r.blocked_risks for r in rule.quasi_identifier_rules):
            k *= 2  # medium risk is k < 2 × threshold (pipeline.quasi.classify_risk)
        candidates = [c for c in select_candidates(result) if c in columns and c != consent_column]
        # A masked or hashed column can turn low-cardinality and join a quasi-identifier set on the re-check.
        kept_rows = int(keep.sum())
        for action in actions:
            name = action.column
            if action.action in ("masked", "hashed", "redacted", "generalised") and name in columns and name not in candidates:
                distinct = pc.count_distinct(pc.filter(columns[name], pa.array(keep))).as_py()
                if 2 <= distinct < min(250, max(3, kept_rows // 2)):
                    candidates.append(name)
        if candidates:
            frame = pd.DataFrame({c: _as_text_list(columns[c]) for c in candidates})
            frame = frame.loc[keep].reset_index(drop=True)
            qi_keep, qi_dropped = enforce_k(
                frame, candidates, k, policy.model.quasi_identifiers.max_size, rule.anonymize.max_suppressed_share
            )
            for name in qi_dropped:
                del columns[name]
                actions.append(ColumnAction(name, "dropped", f"quasi-identifier: suppression to k={k} would remove too many rows"))
            rows_suppressed = int((~qi_keep).sum())
            positions = np.flatnonzero(keep)
            keep[positions[~qi_keep]] = False

    written = _write_parts(ref, columns, keep, sizes, work_dir)
    return AnonymizedDataset(
        dataset=ref.name,
        files=tuple(written),
        rows_in=rows_in,
        rows_out=int(keep.sum()),
        rows_without_consent=rows_without_consent,
        rows_suppressed=rows_suppressed,
        actions=tuple(actions),
    )


# ---------------------------------------------------------------- APPI processing standards (規則34条, 31条)


def top_bottom_code(
    values: list[str | None], percentile: float, keep: np.ndarray | None = None
) -> tuple[list[str | None], int]:
    """Numbers or ISO dates beyond the tail percentiles (of the kept rows) replaced by the most extreme value
    held inside them (pipeline.appi.coding_targets); other values unchanged. Returns the values and how many
    changed."""
    series = pd.Series(values, dtype="object")
    scale, is_date = appi.as_scale(series)
    if scale is None or not scale.notna().any():
        return values, 0
    basis = scale if keep is None else scale[keep]
    low, high = appi.tail_cuts(basis, percentile)
    to_low, to_high = appi.coding_targets(basis, percentile)

    def show(value: float) -> str:
        if is_date:
            return date.fromordinal(int(value)).isoformat()
        return str(int(value)) if float(value).is_integer() else f"{value:g}"

    out: list[str | None] = []
    changed = 0
    for value, number in zip(values, scale.tolist(), strict=True):
        if value is not None and number == number and (number > high or number < low):  # NaN != NaN
            out.append(show(to_high if number > high else to_low))
            changed += 1
        else:
            out.append(value)
    return out, changed


def suppress_rare(values: list[str | None], keep: np.ndarray, min_count: int) -> tuple[list[str | None], int]:
    """Values held by fewer than ``min_count`` of the kept rows become null (local suppression)."""
    counts: dict[str, int] = {}
    for value, kept in zip(values, keep, strict=True):
        if kept and value is not None:
            counts[value] = counts.get(value, 0) + 1
    out = [None if v is not None and counts.get(v, 0) < min_count else v for v in values]
    return out, sum(1 for a, b in zip(values, out, strict=True) if a is not None and b is None)


def _appi_generaliser(column: ColumnResult | None) -> Callable[[str], str | None] | None:
    for entity in column.entities if column is not None else ():
        generalise = generaliser_for(entity.type, "year")
        if generalise is not None and generalise is not _identity:
            return generalise
    return None


def _appi_dataset(
    ref: DatasetRef,
    result: DatasetResult,
    policy: Policy,
    rule: DestinationRule,
    standard: AppiStandard,
    settings: ScanSettings,
    key: bytes | None,
    work_dir: Path,
) -> AnonymizedDataset:
    """Apply each item of the processing standard to one dataset and write it under ``work_dir``."""
    table, sizes = _read_dataset(ref, settings)
    rows_in = table.num_rows
    columns: dict[str, pa.Array | pa.ChunkedArray] = {name: table.column(name) for name in table.column_names}
    by_name = {c.name: c for c in result.columns}
    actions: list[ColumnAction] = []
    keep = np.ones(rows_in, dtype=bool)
    rows_suppressed = 0

    # Items 1–3 (and 31条3号): delete the columns, or replace them with a keyed hash.
    direct: set[str] = set()
    for item in standard.items:
        if item.check in ("peculiar_descriptions", "database_nature"):
            continue
        for name in appi.item_columns(result, item, policy):
            direct.add(name)
            if name not in columns:
                continue
            column = by_name.get(name)
            if item.action == "hash" and not (column is not None and column.free_text):
                if key is None:
                    raise ConfigError(f"internal: keyed hash requested without a key ({HASH_KEY_ENV})")
                columns[name] = _map_distinct(_as_text_list(columns[name]), keyed_hash(key))
                actions.append(ColumnAction(name, "hashed", f"{item.citation} ({item.check})"))
            else:
                del columns[name]
                actions.append(ColumnAction(name, "dropped", f"{item.citation} ({item.check})"))
    peculiar = next((i for i in standard.items if i.check == "peculiar_descriptions"), None)
    nature = next((i for i in standard.items if i.check == "database_nature"), None)
    if peculiar is not None:
        # Frequencies cannot tell a peculiar description inside free text: the column goes.
        for column in result.columns:
            if column.free_text and column.name in columns:
                del columns[column.name]
                actions.append(ColumnAction(column.name, "dropped", f"{peculiar.citation}: free text"))

    def text(name: str) -> list[str | None]:
        return _as_text_list(columns[name])

    codes = appi.code_columns(result)

    def code_peculiar(names: list[str]) -> None:
        assert peculiar is not None and peculiar.min_count is not None
        kept = pd.DataFrame({n: text(n) for n in names if n in columns}).loc[keep].reset_index(drop=True)
        found = appi.peculiar_values(kept, list(kept.columns), peculiar.min_count, peculiar.tail_percentile, codes)
        # Only the columns item 4 finds peculiar values in are touched.
        for name in dict.fromkeys(v.column for v in found):
            current = text(name)
            scaled = name not in codes and appi.as_scale(kept[name])[0] is not None
            # Numbers and dates are top/bottom-coded; other values held by too few rows are suppressed.
            values, changed = top_bottom_code(current, peculiar.tail_percentile, keep) if scaled else (current, 0)
            suppressed = 0
            if not scaled:
                values, suppressed = suppress_rare(current, keep, peculiar.min_count)
            if changed or suppressed:
                columns[name] = pa.array(values, type=pa.string())
                detail = f"{peculiar.citation}: " + (f"{changed} value(s) top/bottom-coded" if changed else f"{suppressed} rare value(s) suppressed")
                actions.append(ColumnAction(name, "generalised", detail))

    generalised: set[str] = set()
    for _ in range(4):
        if peculiar is not None:
            code_peculiar([n for n in appi.quasi_columns(result, peculiar, policy, direct) if n in columns])
        if nature is None or nature.k_threshold is None or not rows_in:
            break
        qi = [n for n in appi.quasi_columns(result, nature, policy, direct) if n in columns]
        frame = pd.DataFrame({n: text(n) for n in qi}).loc[keep].reset_index(drop=True)
        if not appi.k_violations(frame, qi, nature.k_threshold, nature.max_size):
            break
        # Generalise first (age → band, date → year, postal code → 3 digits, address → prefecture), then suppress.
        for name in qi:
            generalise = _appi_generaliser(by_name.get(name))
            if generalise is not None and name not in generalised:
                generalised.add(name)
                columns[name] = _map_distinct(text(name), generalise)
                actions.append(ColumnAction(name, "generalised", f"{nature.citation}: {name} generalised (band/year/prefix)"))
        frame = pd.DataFrame({n: text(n) for n in qi}).loc[keep].reset_index(drop=True)
        qi_keep, qi_dropped = enforce_k(frame, qi, nature.k_threshold, nature.max_size, rule.anonymize.max_suppressed_share)
        for name in qi_dropped:
            del columns[name]
            actions.append(ColumnAction(name, "dropped", f"{nature.citation}: suppression to k={nature.k_threshold} would remove too many rows"))
        positions = np.flatnonzero(keep)
        rows_suppressed += int((~qi_keep).sum())
        keep[positions[~qi_keep]] = False

    written = _write_parts(ref, columns, keep, sizes, work_dir)
    return AnonymizedDataset(
        dataset=ref.name, files=tuple(written), rows_in=rows_in, rows_out=int(keep.sum()), rows_without_consent=0,
        rows_suppressed=rows_suppressed, actions=tuple(actions),
    )


def _appi_needs_key(results: Sequence[DatasetResult], standard: AppiStandard, policy: Policy) -> bool:
    return any(
        appi.item_columns(result, item, policy) for item in standard.items if item.action == "hash" for result in results
    )


# ---------------------------------------------------------------- the API


def _local_path(source: str) -> Path | None:
    if "://" in source and not source.startswith("file://"):
        return None
    return Path(source.removeprefix("file://")).resolve()


def _check_out_dir(out: Path, sources: Sequence[str]) -> Path:
    out = out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise OutputError(f"{out} exists and is not an empty folder; choose a new folder for the anonymised copy")
    for source in sources:
        local = _local_path(source.split("*")[0])
        if local is not None and (out == local or local in out.parents or out in local.parents):
            raise OutputError(f"{out} overlaps the source {source}; write the copy outside the source")
    return out


def _needs_key(result: DatasetResult, rule: DestinationRule, policy: Policy, consent_kept: bool) -> bool:
    if "hash" not in rule.anonymize.operators.values():
        return False
    for column in result.columns:
        if column.free_text:
            return True
        plan = plan_column(column, rule, policy, consent_kept)
        if plan is not None and plan.operator == "hash":
            return True
    return False


def anonymize(
    sources: str | Path | Sequence[str | Path],
    destination: str,
    out: Path | str,
    *,
    consent_column: str | None = None,
    policy: Path | None = None,
    config: Path | None = None,
    recognizers: Path | None = None,
    scheduler: str | None = None,
    hash_key_env: str = HASH_KEY_ENV,
    exclude: Sequence[str] = (),
    follow_links: bool = False,
) -> AnonymizeResult:
    """Write an anonymised copy of ``sources`` to ``out`` that passes the gate for ``destination``.

    Raises ``GateUndecidable`` when the input cannot be judged, ``ConfigError`` for a bad policy or a
    missing hash key, and ``ExportBlocked`` (with its reasons; nothing left at ``out``) when even the
    anonymised copy fails the gate.

    Only files inside the SOURCEs are read and rewritten: symbolic links that lead out of a SOURCE are
    skipped (and make the input undecidable) unless ``follow_links``; ``exclude`` globs leave files out
    (they are not copied).
    """
    loaded = load_policy(policy)
    rule = destination_rule(loaded, destination)
    settings = load_scan_settings(config)
    paths = [str(sources)] if isinstance(sources, str | Path) else [str(s) for s in sources]
    out_dir = _check_out_dir(Path(out), paths)
    verdict = check(
        paths, destination, consent_column=consent_column, policy=policy, config=config,
        recognizers=recognizers, scheduler=scheduler, exclude=exclude, follow_links=follow_links,
    )
    # An APPI item that cannot be decided only because of free text is something anonymize fixes (it deletes it).
    fixable = rule.appi is not None and all(
        p.kind == "appi_cannot_decide" for p in verdict.problems
    ) and all(i.status != "cannot_decide" or i.check == "peculiar_descriptions" for i in verdict.appi_items)
    if verdict.decision == "undecidable" and not fixable:
        verdict.raise_if_not_allowed()
    assert verdict.report is not None
    # Columns the gate blocks on because of diluted personal data are treated like tagged ones.
    judged = [
        dataclasses.replace(d, columns=tuple(gate_view(c, rule, loaded) for c in d.columns)) for d in verdict.report.datasets
    ]
    refs = {ref.name: ref for ref in discover(paths, follow_links=follow_links, exclude=exclude)[0]}
    user_recognizers = str(recognizers) if recognizers else (
        str(DEFAULT_USER_RECOGNIZERS) if DEFAULT_USER_RECOGNIZERS.exists() else None
    )
    consent_rules = bool(_consent_categories(rule))
    key = None
    if rule.appi is not None:
        if _appi_needs_key(judged, rule.appi, loaded):
            key = hash_key_from_env(hash_key_env)
    elif any(_needs_key(d, rule, loaded, bool(consent_column) and consent_rules) for d in judged):
        key = hash_key_from_env(hash_key_env)

    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        work_dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(f"cannot create a folder beside {out_dir}: {exc.strerror or exc}") from None
    try:
        done: list[AnonymizedDataset] = []
        for result in judged:
            ref = refs.get(result.dataset)
            if ref is None:
                raise GateUndecidable(f"{result.dataset}: cannot locate its files to anonymise")
            if rule.appi is not None:
                done.append(_appi_dataset(ref, result, loaded, rule, rule.appi, settings, key, work_dir))
                continue
            done.append(
                _anonymize_dataset(ref, result, loaded, rule, consent_column, settings, user_recognizers, key, work_dir)
            )
        recheck = check(
            [str(work_dir)], destination, consent_column=consent_column, policy=policy, config=config,
            recognizers=recognizers, scheduler=scheduler,
        )
        if not recheck.allowed:
            reasons: tuple[BlockingReason, ...] = recheck.reasons
            raise ExportBlocked(
                f"the anonymised copy still fails the gate for {destination} ({recheck.decision}); "
                "nothing was written. Adjust the destination's anonymize operators in the policy.",
                reasons,
            )
        anonymized = AnonymizeResult(out_dir=out_dir, destination=destination, datasets=tuple(done), verdict=recheck)
        summary = anonymized.to_dict()
        summary["created_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        summary["policy"] = {"path": loaded.path, "sha256": loaded.sha256}
        atomic_write_text(work_dir / SUMMARY_FILE, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        if rule.appi is not None and recheck.report is not None:
            atomic_write_text(
                work_dir / appi.DISCLOSURE_FILE,
                appi.disclosure_markdown(rule.appi, destination, recheck.report.datasets, loaded),
            )
        if out_dir.exists():
            out_dir.rmdir()  # checked empty above
        os.replace(work_dir, out_dir)
        return anonymized
    except BaseException as exc:
        shutil.rmtree(work_dir, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the anonymised copy to {out_dir}: {exc.strerror or exc}") from None
        if isinstance(exc, PiiscanError):
            raise
        raise
