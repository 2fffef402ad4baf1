"""One dataset processed to an APPI processing standard (規則34条 for 匿名加工情報, 31条 for 仮名加工情報), streamed.

Items 1–3 (and 31条3号) delete direct identifiers or replace them with a keyed hash, value by value. Items 4
(peculiar descriptions) and 5 (the nature of the database: k-anonymity) need the whole dataset: a first pass
reads only their quasi-identifier columns, top/bottom-codes or suppresses peculiar values, generalises and
suppresses rows until every class holds k, and keeps the outcome as a value → value map per recoded column
(every step is a function of the value) and a row mask. A second pass applies it batch by batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline import appi
from pipeline.anonymize_io import Projection, read_projection, write_streamed
from pipeline.anonymize_models import AnonymizedDataset, ColumnAction
from pipeline.anonymize_operators import (
    HASH_KEY_ENV,
    as_text_list,
    generaliser_for,
    identity,
    keyed_hash,
    map_distinct,
)
from pipeline.anonymize_suppress import enforce_k, suppress_rare, top_bottom_code
from pipeline.errors import ConfigError
from pipeline.models import ColumnResult, DatasetResult
from pipeline.policy import AppiItemRule, AppiStandard, DestinationRule, Policy
from pipeline.settings import ScanSettings
from pipeline.sources import DatasetRef

# Generalise, check and suppress at most this many times (each round can only coarsen or remove).
_ROUNDS = 4


@dataclass
class _Outcome:
    """What the first pass decides: per column what happens, and which rows are written."""

    keep: np.ndarray
    hash_rounds: dict[str, int] = field(default_factory=dict)  # direct identifiers replaced by a keyed hash
    gone: set[str] = field(default_factory=set)  # columns deleted
    recoded: dict[str, dict[str, str | None]] = field(default_factory=dict)  # quasi-identifier value maps
    actions: list[ColumnAction] = field(default_factory=list)
    rows_suppressed: int = 0


@dataclass
class _Quasi:
    """The quasi-identifier columns of the first pass, as they are recoded round by round."""

    standard: AppiStandard
    result: DatasetResult
    policy: Policy
    direct: set[str]
    columns: dict[str, pa.Array | pa.ChunkedArray]
    outcome: _Outcome
    generalised: set[str] = field(default_factory=set)
    recoded: set[str] = field(default_factory=set)  # columns whose values item 4 or 5 changed

    def text(self, name: str) -> list[str | None]:
        return as_text_list(self.columns[name])

    def present(self, item: AppiItemRule) -> list[str]:
        return [n for n in appi.quasi_columns(self.result, item, self.policy, self.direct) if n in self.columns]

    def frame(self, names: Sequence[str]) -> pd.DataFrame:
        """The kept rows of ``names`` as text."""
        return pd.DataFrame({n: self.text(n) for n in names}).loc[self.outcome.keep].reset_index(drop=True)


def _item(standard: AppiStandard, check: str) -> AppiItemRule | None:
    return next((i for i in standard.items if i.check == check), None)


def _direct_columns(result: DatasetResult, standard: AppiStandard, policy: Policy) -> set[str]:
    """The columns items 1–3 (and 31条3号) remove, found from the scan alone."""
    return {
        name for item in standard.items if item.check not in ("peculiar_descriptions", "database_nature")
        for name in appi.item_columns(result, item, policy)
    }


def _direct_items(names: Sequence[str], result: DatasetResult, standard: AppiStandard, policy: Policy,
                  key: bytes | None, outcome: _Outcome) -> None:
    """Items 1–3 (and 31条3号): delete the columns, or replace them with a keyed hash."""
    by_name = {c.name: c for c in result.columns}
    present = set(names)
    for item in standard.items:
        if item.check in ("peculiar_descriptions", "database_nature"):
            continue
        for name in appi.item_columns(result, item, policy):
            if name not in present or name in outcome.gone:
                continue
            column = by_name.get(name)
            if item.action == "hash" and not (column is not None and column.free_text):
                if key is None:
                    raise ConfigError(f"internal: keyed hash requested without a key ({HASH_KEY_ENV})")
                outcome.hash_rounds[name] = outcome.hash_rounds.get(name, 0) + 1
                outcome.actions.append(ColumnAction(name, "hashed", f"{item.citation} ({item.check})"))
            else:
                outcome.gone.add(name)
                outcome.actions.append(ColumnAction(name, "dropped", f"{item.citation} ({item.check})"))
    peculiar = _item(standard, "peculiar_descriptions")
    if peculiar is not None:
        # Frequencies cannot tell a peculiar description inside free text: the column goes.
        for column in result.columns:
            if column.free_text and column.name in present and column.name not in outcome.gone:
                outcome.gone.add(column.name)
                outcome.actions.append(ColumnAction(column.name, "dropped", f"{peculiar.citation}: free text"))


def _code_peculiar(quasi: _Quasi, peculiar: AppiItemRule) -> None:
    """Item 4: numbers and dates top/bottom-coded, other values held by too few rows suppressed."""
    assert peculiar.min_count is not None
    keep = quasi.outcome.keep
    kept = quasi.frame(quasi.present(peculiar))
    codes = appi.code_columns(quasi.result)
    found = appi.peculiar_values(kept, list(kept.columns), peculiar.min_count, peculiar.tail_percentile, codes)
    # Only the columns item 4 finds peculiar values in are touched.
    for name in dict.fromkeys(v.column for v in found):
        current = quasi.text(name)
        scaled = name not in codes and appi.as_scale(kept[name])[0] is not None
        values, changed = top_bottom_code(current, peculiar.tail_percentile, keep) if scaled else (current, 0)
        suppressed = 0
        if not scaled:
            values, suppressed = suppress_rare(current, keep, peculiar.min_count)
        if changed or suppressed:
            quasi.columns[name] = pa.array(values, type=pa.string())
            quasi.recoded.add(name)
            detail = f"{peculiar.citation}: " + (f"{changed} value(s) top/bottom-coded" if changed else f"{suppressed} rare value(s) suppressed")
            quasi.outcome.actions.append(ColumnAction(name, "generalised", detail))


def _appi_generaliser(column: ColumnResult | None) -> Callable[[str], str | None] | None:
    for entity in column.entities if column is not None else ():
        generalise = generaliser_for(entity.type, "year")
        if generalise is not None and generalise is not identity:
            return generalise
    return None


def _enforce_nature(quasi: _Quasi, nature: AppiItemRule, rule: DestinationRule) -> bool:
    """Item 5, one round: when a class is smaller than k, generalise (age → band, date → year, postal code
    → 3 digits, address → prefecture), then suppress rows. False when every class already holds k."""
    assert nature.k_threshold is not None
    outcome = quasi.outcome
    qi = quasi.present(nature)
    if not appi.k_violations(quasi.frame(qi), qi, nature.k_threshold, nature.max_size):
        return False
    by_name = {c.name: c for c in quasi.result.columns}
    for name in qi:
        generalise = _appi_generaliser(by_name.get(name))
        if generalise is not None and name not in quasi.generalised:
            quasi.generalised.add(name)
            quasi.columns[name] = map_distinct(quasi.text(name), generalise)
            quasi.recoded.add(name)
            outcome.actions.append(ColumnAction(name, "generalised", f"{nature.citation}: {name} generalised (band/year/prefix)"))
    qi_keep, qi_dropped = enforce_k(quasi.frame(qi), qi, nature.k_threshold, nature.max_size, rule.anonymize.max_suppressed_share)
    for name in qi_dropped:
        del quasi.columns[name]
        outcome.gone.add(name)
        outcome.actions.append(ColumnAction(name, "dropped", f"{nature.citation}: suppression to k={nature.k_threshold} would remove too many rows"))
    outcome.rows_suppressed += int((~qi_keep).sum())
    outcome.keep[np.flatnonzero(outcome.keep)[~qi_keep]] = False
    return True


def _quasi_rounds(quasi: _Quasi, rule: DestinationRule, rows: int) -> None:
    """Items 4 and 5 in turn until nothing changes (a generalised column can hold new peculiar values)."""
    peculiar = _item(quasi.standard, "peculiar_descriptions")
    nature = _item(quasi.standard, "database_nature")
    for _ in range(_ROUNDS):
        if peculiar is not None:
            _code_peculiar(quasi, peculiar)
        if nature is None or nature.k_threshold is None or not rows:
            break
        if not _enforce_nature(quasi, nature, rule):
            break


def _value_maps(projection: Projection, quasi: _Quasi) -> dict[str, dict[str, str | None]]:
    """Each recoded column as a map from its original text to its written text."""
    maps: dict[str, dict[str, str | None]] = {}
    for name in quasi.recoded & quasi.columns.keys():
        pairs = zip(as_text_list(projection.table.column(name)), quasi.text(name), strict=True)
        maps[name] = {old: new for old, new in pairs if old is not None}
    return maps


class _AppiRewrite:
    """Second pass, per batch: keyed hashes, deleted columns, recoded values, then only the kept rows."""

    def __init__(self, outcome: _Outcome, key: bytes | None) -> None:
        self._outcome = outcome
        self._hash = keyed_hash(key) if key is not None else None

    def _column(self, name: str, column: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        outcome = self._outcome
        if name in outcome.hash_rounds:
            assert self._hash is not None
            hashed: pa.Array | pa.ChunkedArray = column
            for _ in range(outcome.hash_rounds[name]):
                hashed = map_distinct(as_text_list(hashed), self._hash)
            return hashed
        recode = outcome.recoded.get(name)
        if recode is None:
            return column
        return pa.array([None if v is None else recode[v] for v in as_text_list(column)], type=pa.string())

    def __call__(self, batch: pa.Table, first_row: int) -> pa.Table:
        columns = {n: self._column(n, batch.column(n)) for n in batch.column_names if n not in self._outcome.gone}
        if not columns:
            return pa.table({})
        return pa.table(columns).filter(pa.array(self._outcome.keep[first_row : first_row + batch.num_rows]))


def appi_dataset(
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
    direct = _direct_columns(result, standard, policy)
    items = [i for i in (_item(standard, "peculiar_descriptions"), _item(standard, "database_nature")) if i is not None]
    wanted = {n for item in items for n in appi.quasi_columns(result, item, policy, direct)}
    projection = read_projection(ref, settings, wanted)
    outcome = _Outcome(keep=np.ones(projection.rows, dtype=bool))
    _direct_items(projection.schema.names, result, standard, policy, key, outcome)
    present = [n for n in projection.table.column_names if n not in outcome.gone]
    quasi = _Quasi(standard, result, policy, direct, {n: projection.table.column(n) for n in present}, outcome)
    _quasi_rounds(quasi, rule, projection.rows)
    outcome.recoded = _value_maps(projection, quasi)
    schema = projection.schema
    del projection, quasi  # only the schema, the value maps and the row mask outlive the first pass
    written = write_streamed(ref, settings, schema, _AppiRewrite(outcome, key), work_dir)
    return AnonymizedDataset(
        dataset=ref.name, files=tuple(written), rows_in=len(outcome.keep), rows_out=int(outcome.keep.sum()),
        rows_without_consent=0, rows_suppressed=outcome.rows_suppressed, actions=tuple(outcome.actions),
    )


def appi_needs_key(results: Sequence[DatasetResult], standard: AppiStandard, policy: Policy) -> bool:
    """Whether any dataset has a column an item replaces with a keyed hash."""
    return any(
        appi.item_columns(result, item, policy) for item in standard.items if item.action == "hash" for result in results
    )
