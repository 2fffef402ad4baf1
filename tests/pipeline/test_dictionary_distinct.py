"""Parquet text columns read as dictionaries: the distinct values and their rows come from the indices
(no hash per row), and the profile is the one the decoded column gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bench.run import crm_table
from pipeline import detect, readers
from pipeline.detect import profile_file, profile_table
from pipeline.engine import pattern_recognizers
from pipeline.profile_model import ColumnProfile, FileProfile
from pipeline.readers import iter_batches
from pipeline.settings import ScanSettings, load_scan_settings
from pipeline.sources import DataFile

SETTINGS = load_scan_settings()


def _file(path: Path) -> DataFile:
    return DataFile(url=str(path), format="parquet", compression=None, size=path.stat().st_size, mtime="")


def _summary(column: ColumnProfile) -> dict[str, object]:
    return {
        "data_type": column.data_type, "rows": column.rows, "non_null": column.non_null,
        "char_sum": column.char_sum, "sketch": column.sketch, "sketch_rows": column.sketch_rows,
        "distinct": column.distinct_estimate, "numeric_rows": column.numeric_rows,
        "sentence_rows": column.sentence_rows, "letter_rows": column.letter_rows,
        "amount_rows": column.amount_rows, "digit_lengths": column.digit_lengths,
        "entities": {e: (t.rows, t.examples) for e, t in column.entities.items()},
    }


def _decoded_profile(file: DataFile, settings: ScanSettings = SETTINGS) -> FileProfile:
    """The same file read without dictionaries: every column plain text, counted by hashing each row."""
    recognizers = pattern_recognizers(None)
    profile = FileProfile(files=[file.url])
    for batch in iter_batches(file, settings.reading):
        part = FileProfile(rows=batch.num_rows)
        part.columns = profile_table(pa.Table.from_batches([batch]), recognizers, settings.detection)
        profile.merge(part, settings.detection)
    return profile


@pytest.fixture(scope="module")
def crm(tmp_path_factory: pytest.TempPathFactory) -> DataFile:
    table = crm_table(3000, seed=7)
    # nulls in a text column, so the indices' validity is read too
    names = table.column("氏名").to_pylist()
    table = table.set_column(0, "氏名", pa.array([None if i % 7 == 0 else v for i, v in enumerate(names)], pa.string()))
    path = Path(tmp_path_factory.mktemp("dictionary")) / "crm.parquet"
    pq.write_table(table, path, row_group_size=1000)
    return _file(path)


def test_the_reader_gives_text_columns_as_dictionaries_only_when_asked(crm: DataFile) -> None:
    plain = list(iter_batches(crm, SETTINGS.reading))
    coded = list(iter_batches(crm, SETTINGS.reading, text_dictionaries=True))
    # three row groups of 1,000 rows: Arrow ends a dictionary batch at each, the reader joins them again
    assert [b.num_rows for b in coded] == [b.num_rows for b in plain] == [3000]
    assert plain[0].schema.field("氏名").type == pa.string()
    assert coded[0].schema.field("氏名").type == pa.dictionary(pa.int32(), pa.string())
    names = coded[0].column("氏名")
    assert names.dictionary_decode().equals(plain[0].column("氏名"))
    # the row groups' dictionaries laid end to end, not unified (no hash per entry): never more entries
    # than the three row groups have rows
    assert len(names.dictionary) <= 3000


def test_small_row_groups_are_joined_up_to_the_batch_size(tmp_path: Path) -> None:
    path = tmp_path / "groups.parquet"
    mails = [f"user{i}@example.co.jp" for i in range(1000)]
    pq.write_table(pa.table({"pref": ["東京都", "大阪府"] * 500, "mail": mails, "n": list(range(1000))}), path, row_group_size=100)
    reading = SETTINGS.reading.model_copy(update={"batch_rows": 250})
    coded = list(iter_batches(_file(path), reading, text_dictionaries=True))
    plain = pa.Table.from_batches(list(iter_batches(_file(path), reading)))
    sizes = [b.num_rows for b in coded]
    assert sum(sizes) == 1000 and all(size >= 250 for size in sizes[:-1]), sizes
    assert len(coded) < 1000 // 100  # not one batch per row group
    joined = pa.Table.from_batches(coded)
    for name in ("pref", "mail"):
        assert pa.chunked_array([c.dictionary_decode() for c in joined.column(name).chunks]).equals(plain.column(name))
    # "pref" has two values in each of the ten row groups: a joined batch holds its row groups' dictionaries
    # end to end, not unified (more than two entries), and the profile counts the rows of equal values together
    assert all(len(c.dictionary) > 2 for c in joined.column("pref").chunks)
    profile = profile_file(_file(path), SETTINGS.model_copy(update={"reading": reading}), None)
    assert sorted(profile.columns["pref"].sketch_rows.values()) == [500, 500]
    assert profile.columns["pref"].distinct_estimate == 2
    assert joined.column("n").type == pa.int64()


# Validation budgets count dictionary entries, and a value in two row groups is two entries: with every
# candidate validated (a budget over the table's rows) the two reads must agree exactly.
EXACT = SETTINGS.model_copy(update={"detection": SETTINGS.detection.model_copy(update={"validate_limit": 10_000})})


def test_dictionary_profile_equals_the_decoded_one(crm: DataFile) -> None:
    coded = profile_file(crm, EXACT, None)
    decoded = _decoded_profile(crm, EXACT)
    assert coded.rows == decoded.rows == 3000
    assert coded.columns.keys() == decoded.columns.keys()
    for name, column in decoded.columns.items():
        assert _summary(coded.columns[name]) == _summary(column), name
    assert coded.columns["氏名"].non_null == 3000 - len(range(0, 3000, 7))
    assert coded.columns["氏名"].data_type == "string"


def test_with_the_default_budget_the_estimates_agree_and_no_value_is_validated_twice(
    crm: DataFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the budget (2,600 names, 2,000 validated) each read samples its own entries; the estimated
    rows stay close, and a name in two row groups is validated once with the rows of both."""
    validated: list[int] = []
    original = detect._validate_value

    def spying(profile: ColumnProfile, stats: Any, recognizer: Any, value: str, count: int, value_hash: int, *rest: Any) -> bool:
        if profile.name == "氏名" and type(recognizer).__name__ == "PersonNameRecognizer":
            validated.append(value_hash)
        return original(profile, stats, recognizer, value, count, value_hash, *rest)

    monkeypatch.setattr(detect, "_validate_value", spying)
    coded = profile_file(crm, SETTINGS, None).columns["氏名"].entities["PERSON"]
    # the budget counts entries, so a little fewer distinct names than it are validated
    assert 0.9 * SETTINGS.detection.validate_limit <= len(validated) == len(set(validated)) <= SETTINGS.detection.validate_limit
    decoded = _decoded_profile(crm).columns["氏名"].entities["PERSON"]
    assert abs(coded.total_rows - decoded.total_rows) <= 0.03 * decoded.total_rows


def test_later_batches_of_a_row_group_drop_the_entries_they_do_not_use(tmp_path: Path) -> None:
    # one row group, read in batches of 100: each later batch's dictionary holds the earlier batches'
    # values too; rows must only count this batch's
    values = [f"user{i}@example.co.jp" for i in range(300)]
    path = tmp_path / "mails.parquet"
    pq.write_table(pa.table({"mail": values}), path, row_group_size=300)
    reading = SETTINGS.reading.model_copy(update={"batch_rows": 100})
    batches = list(iter_batches(_file(path), reading, text_dictionaries=True))
    assert [b.num_rows for b in batches] == [100, 100, 100]
    assert len(batches[-1].column("mail").dictionary) == 300  # the group's dictionary so far
    settings = SETTINGS.model_copy(update={"reading": reading})
    profile = profile_file(_file(path), settings, None)
    mail = profile.columns["mail"]
    assert mail.rows == 300 and mail.distinct_estimate == 300
    assert sum(mail.sketch_rows.values()) == len(mail.sketch)  # every value on one row
    assert mail.entities["EMAIL_ADDRESS"].rows == 300


def test_a_dictionary_holding_a_value_twice_counts_its_rows_once_each() -> None:
    # Arrow allows it (its Parquet reader never makes one): the value's two entries add up
    array = pa.DictionaryArray.from_arrays(pa.array([0, 1, 1, 2, None], pa.int32()), pa.array(["東京都", "大阪府", "東京都"]))
    recognizers = pattern_recognizers(None)
    coded = profile_table(pa.table({"pref": array}), recognizers, SETTINGS.detection)["pref"]
    decoded = profile_table(pa.table({"pref": array.dictionary_decode()}), recognizers, SETTINGS.detection)["pref"]
    assert coded.non_null == decoded.non_null == 4
    assert sorted(coded.sketch.values()) == sorted(decoded.sketch.values()) == ["大阪府", "東京都"]
    assert coded.sketch_rows == decoded.sketch_rows
    assert sorted(coded.sketch_rows.values()) == [2, 2]
    assert coded.distinct_estimate == decoded.distinct_estimate == 2


def test_row_groups_over_the_memory_bound_are_read_as_plain_text(crm: DataFile, monkeypatch: pytest.MonkeyPatch) -> None:
    # Arrow keeps a row group's distinct values while it reads it as dictionaries: a big group is read plain
    group_bytes = pq.ParquetFile(crm.url).metadata.row_group(0).total_byte_size
    monkeypatch.setattr(readers, "DICTIONARY_ROW_GROUP_BYTES", group_bytes - 1)
    batch = next(iter_batches(crm, SETTINGS.reading, text_dictionaries=True))
    assert batch.schema.field("氏名").type == pa.string()
    monkeypatch.setattr(readers, "DICTIONARY_ROW_GROUP_BYTES", group_bytes * 2)
    batch = next(iter_batches(crm, SETTINGS.reading, text_dictionaries=True))
    assert pa.types.is_dictionary(batch.schema.field("氏名").type)


def test_a_column_repeating_in_every_row_group_is_read_in_full_not_screened(tmp_path: Path) -> None:
    """6,000 codes in each of four row groups: 24,000 dictionary entries once joined, more than the screening
    sample; merged back to 6,000 values they are read in full and counted exactly."""
    codes = [f"A{n:05d}" for n in range(6000)]
    path = tmp_path / "codes.parquet"
    pq.write_table(pa.table({"code": codes * 4}), path, row_group_size=6000)
    profile = profile_file(_file(path), SETTINGS, None).columns["code"]
    decoded = _decoded_profile(_file(path)).columns["code"]
    assert not profile.screened and not decoded.screened
    assert profile.distinct_estimate == decoded.distinct_estimate  # more than DISTINCT_SKETCH: the KMV estimate
    assert sorted(set(profile.sketch_rows.values())) == [4]
