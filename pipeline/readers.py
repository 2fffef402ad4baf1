"""Stream a data file as Arrow record batches, never the whole file at once.

Every column is read as text where the format allows it (CSV/TSV/JSONL), so leading zeros of
phone numbers and postal codes survive; Parquet keeps its own types, except that nested columns
(structs, lists, maps) become ``a.b`` / ``a[]`` text paths like nested JSON, dictionaries are decoded
and binary columns holding valid UTF-8 are read as text.

Bad input never stops a scan. A file that cannot be read at all raises ``ReadError``. A file that can
be read only in part (bytes no encoding decodes, lines in a second encoding, ragged CSV rows, invalid
JSON lines) yields everything readable and then raises ``ReadError`` listing what was skipped or
repaired and where (byte offsets, line numbers — never content), so the file appears in ``errors``
while its readable rows are still scanned. Invalid bytes are decoded as U+FFFD rather than dropping
the file: a value broken in one line must not hide the personal data in the other million.

Reading is bounded by construction: no CSV/JSONL line longer than ``reading.max_record_bytes`` is ever
held in memory (compressed or not); such a line is skipped and reported with its byte offset, and the
rest of the file is read. A header row that holds personal data is read as data (``column_1…``), and
JSON keys that repeat or collide once flattened become distinct columns: both are reported.

A big file can be read in parts, each its own task (``pipeline.partition`` plans them): row groups of a
Parquet file, or a ``ByteRange`` of an uncompressed CSV/TSV/JSONL file (the lines that start in it, with
the encoding detected once for the file and its header line); problems found in a part say which part.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import queue
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from charset_normalizer import from_bytes

from pipeline.errors import ReadError
from pipeline.name_screen import header_looks_like_data, positional_names
from pipeline.settings import ReadingSettings
from pipeline.sources import DataFile

# Strict decoders tried in order; UTF-8 first because 31% of UTF-8 Japanese decodes as cp932 without error.
_ENCODING_CASCADE = ("utf-8", "cp932", "euc_jp")
# A CSV record must fit in one block; blocks grow up to twice reading.max_record_bytes (a record of that
# many source bytes can grow by half when CP932/EUC-JP is transcoded to UTF-8).
_BLOCK_GROWTH = 2
# Text is transcoded to UTF-8 in chunks of this size, cut at a newline.
_TRANSCODE_CHUNK = 1024 * 1024


def detect_encoding(head: bytes, at_eof: bool) -> str:
    """The encoding of a text file from its first bytes: BOM, strict UTF-8, CP932, EUC-JP, then guess."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in _ENCODING_CASCADE:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            # final=False: a multi-byte character cut at the end of the sniffed bytes is not an error.
            decoder.decode(head, final=at_eof)
        except UnicodeDecodeError:
            continue
        return encoding
    # Nothing decodes cleanly: a few bad bytes in a Japanese file are likelier than an exotic encoding,
    # so take the cascade encoding with the fewest invalid bytes unless they are more than 1%.
    errors = {enc: head.decode(enc, errors="replace").count("\ufffd") for enc in _ENCODING_CASCADE}
    best = min(_ENCODING_CASCADE, key=lambda enc: errors[enc])
    if errors[best] <= max(1, len(head) // 100):
        return best
    guess = from_bytes(head).best()
    return str(guess.encoding) if guess is not None else best


def parquet_row_groups(file: DataFile) -> list[int]:
    """Bytes of each row group of a Parquet file (from its footer only); [] when the footer cannot be read
    (the scan task then reads the file whole and reports the problem)."""
    try:
        with _open(file) as handle:
            meta = pq.ParquetFile(handle).metadata
            return [meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)]
    except (OSError, ValueError, EOFError, pa.ArrowException):
        return []


def _open(file: DataFile) -> IO[bytes]:
    return fsspec.open(file.url, mode="rb", compression=file.compression).open()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ByteRange:
    """Bytes [start, stop) of an uncompressed CSV/TSV/JSONL file, read as one task of a split file.

    A range owns the lines that START inside it (Dask's ``read_bytes`` convention): it skips the line
    under way at ``start`` and reads on past ``stop`` to the end of its last line, so the ranges of a
    file together read every line exactly once. ``encoding`` was detected once for the whole file;
    ``header`` is the file's first line as raw bytes (CSV/TSV; ``b""`` for JSONL), given to every range
    after the first so that each parses its rows exactly as a whole-file read does."""

    start: int
    stop: int
    encoding: str
    header: bytes
    index: int  # 0-based, of ``parts``: for messages only
    parts: int

    def where(self) -> str:
        """How problems found in this range say where they are (positions count from the range's start)."""
        return f"part {self.index + 1} of {self.parts} (bytes {self.start}-{self.stop}), "


def file_head(file: DataFile, size: int) -> bytes:
    """The first ``size`` bytes of a file (decompressed when it is compressed)."""
    with _open(file) as handle:
        return handle.read(size)


# Bytes read at a time while looking for line ends in a byte range.
_RANGE_CHUNK = 1024 * 1024


class _ByteRangeReader(io.RawIOBase):
    """The lines of ``handle`` that start in [start, stop): from the first line start at or after ``start``
    up to and including the first newline at or after ``stop - 1`` (or the end of the file). Streams: a
    long line is never held whole."""

    def __init__(self, handle: IO[bytes], start: int, stop: int) -> None:
        self._handle = handle
        self._stop = stop
        self._done = False
        self._carry = b""
        if start > 0:
            # A line starts at `start` exactly when the byte before it is a newline.
            handle.seek(start - 1)
            position = start - 1
            while True:
                chunk = handle.read(_RANGE_CHUNK)
                if not chunk:
                    self._done = True
                    break
                newline = chunk.find(b"\n")
                if newline >= 0:
                    self._carry = chunk[newline + 1 :]
                    position += newline + 1
                    break
                position += len(chunk)
            self._position = position
        else:
            self._position = 0
        if self._position >= stop:
            self._done = True  # no line starts in this range: a line longer than the range owns it all

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._done:
            return 0
        if self._carry:
            data, self._carry = self._carry[: len(buffer)], self._carry[len(buffer) :]
        else:
            data = self._handle.read(len(buffer))
        if not data:
            self._done = True
            return 0
        # Past stop - 1, the first newline ends the range's last line.
        last_owned = self._stop - 1 - self._position
        if last_owned < len(data):
            newline = data.find(b"\n", max(0, last_owned))
            if newline >= 0:
                data = data[: newline + 1]
                self._done = True
        self._position += len(data)
        buffer[: len(data)] = data
        return len(data)


@contextmanager
def _open_range(file: DataFile, byte_range: ByteRange) -> Iterator[IO[bytes]]:
    """The range's lines, after the file's header line when the range is not the first."""
    with _open(file) as handle:
        body: IO[bytes] = io.BufferedReader(_ByteRangeReader(handle, byte_range.start, byte_range.stop))  # type: ignore[arg-type]
        if byte_range.start > 0 and byte_range.header:
            body = _BufferedPrepend(byte_range.header, body)
        yield body


def range_quotes(file: DataFile, byte_range: ByteRange) -> int:
    """How many double quotes the range's own lines hold (the header copy excluded).

    A CSV cut at a line end inside a quoted field (a value holding a newline) would parse wrongly;
    where the quotes before a range's first line are odd in number, it starts inside one. The planner
    checks that on these counts and reads such a file whole instead (``pipeline.partition``)."""
    count = 0
    with _open(file) as handle:
        reader = _ByteRangeReader(handle, byte_range.start, byte_range.stop)
        buffer = bytearray(_RANGE_CHUNK)
        while True:
            n = reader.readinto(buffer)
            if not n:
                return count
            count += count_quotes(buffer, 0, n)


def read_ahead(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``batches``, with the next one read by a thread while the caller works on the current one: Arrow
    reads and decodes without the GIL, so on a spare core the read costs no time (a 2M-row Parquet file's
    pattern scan: 2.6 s against 2.9 s on two cores). At most two batches wait besides the caller's. An error
    of the read reaches the caller where the batch would have; a caller that stops early stops the thread."""
    waiting: queue.Queue[pa.RecordBatch | BaseException | None] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def offer(item: pa.RecordBatch | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in batches:
                if not offer(batch):
                    return
            offer(None)
        except BaseException as exc:  # handed to the caller, which raises it
            offer(exc)
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()

    reader = threading.Thread(target=read, name="piiscan-read-ahead", daemon=True)
    reader.start()
    try:
        while (item := waiting.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def iter_batches(
    file: DataFile,
    settings: ReadingSettings,
    part: tuple[int, int] | ByteRange | None = None,
    columns: tuple[str, ...] | None = None,
    text_dictionaries: bool = False,
) -> Iterator[pa.RecordBatch]:
    """Record batches of ``file``; any failure is a ReadError naming the file and the problem.

    ``part``, so one big file can be several tasks: row groups [first, stop) of a Parquet file, or a
    ``ByteRange`` of an uncompressed CSV/TSV/JSONL file. ``columns``: a Parquet file reads only the fields
    that hold them, a CSV/TSV file converts only those columns (its tokenizer still splits every field); a
    file with none of them gives its first column, so batches keep their row count. JSON lines are parsed
    whole. Callers pick their columns from the batch: a column the file lacks is not in it.
    ``text_dictionaries``: a Parquet file's top-level text columns come as dictionary arrays, built from its
    dictionary pages (Arrow's memo table: each value once), so a caller that counts distinct values does not
    hash every row; other columns and formats are as without it."""
    row_groups = part if isinstance(part, tuple) else None
    byte_range = part if isinstance(part, ByteRange) else None
    try:
        if file.format == "parquet":
            yield from _parquet_batches(file, settings, row_groups, columns, text_dictionaries)
        elif file.format in ("csv", "tsv"):
            yield from _csv_batches(file, settings, byte_range, columns)
        else:
            yield from _jsonl_batches(file, settings, byte_range)
    except ReadError:
        raise
    except (
        OSError, ValueError, EOFError, pa.ArrowException, UnicodeDecodeError, json.JSONDecodeError, csv.Error
    ) as exc:  # csv.Error: a header line the csv module cannot parse (stray newline in a UTF-16 file)
        raise ReadError(file.url, _describe(exc)) from None


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_AFTER_COUNT = re.compile(r"(got \d+)\b.*", re.DOTALL)


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    # Arrow quotes offending rows and values ("... got 4: <row>", "invalid value 'x'"): drop them.
    text = _AFTER_COUNT.sub(r"\1", _QUOTED.sub("'…'", text))
    # Arrow and codec messages can quote file content; keep only their first clause, capped.
    if isinstance(exc, UnicodeDecodeError):
        return f"cannot decode as {exc.encoding} at byte {exc.start}"
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON at line {exc.lineno}, column {exc.colno}"
    return f"{type(exc).__name__}: {text[:160]}"


@dataclass
class _Problems:
    """What was skipped or repaired while reading one file: counts and first positions, never content."""

    parts: dict[str, tuple[int, str]] = field(default_factory=dict)  # kind → (count, where first)
    within: str = ""  # which part of a split file, before every position

    def add(self, kind: str, where: str, count: int = 1) -> None:
        seen, first = self.parts.get(kind, (0, self.within + where))
        self.parts[kind] = (seen + count, first)

    def raise_if_any(self, url: str) -> None:
        if self.parts:
            described = "; ".join(f"{kind}: {count} (first at {first})" for kind, (count, first) in self.parts.items())
            raise ReadError(url, f"read in part; {described}. The rest of the file was scanned")


def _too_long(max_record_bytes: int) -> str:
    return f"lines longer than reading.max_record_bytes ({max_record_bytes} bytes) skipped unread"


def _parquet_batches(
    file: DataFile,
    settings: ReadingSettings,
    row_groups: tuple[int, int] | None = None,
    columns: tuple[str, ...] | None = None,
    text_dictionaries: bool = False,
) -> Iterator[pa.RecordBatch]:
    problems = _Problems()
    rows_done = 0
    with _open(file) as handle:
        parquet = pq.ParquetFile(handle)
        groups = None if row_groups is None else list(range(*row_groups))
        text_dictionaries = text_dictionaries and _dictionaries_fit(parquet.metadata, groups)
        if text_dictionaries:
            text = [f.name for f in parquet.schema_arrow if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
            if text:
                parquet = pq.ParquetFile(handle, metadata=parquet.metadata, read_dictionary=text)
        fields = None if columns is None else _top_level_fields(parquet.schema_arrow.names, columns)
        rows = parquet_batch_rows(parquet.metadata, groups, settings.batch_rows)
        batches = parquet.iter_batches(batch_size=rows, row_groups=groups, columns=fields)
        if text_dictionaries:
            batches = _rejoined(batches, rows)
        for batch in batches:
            friendly = text_friendly_batch(batch, problems, rows_done, text_dictionaries)
            yield with_partition_columns(friendly, file.partition)
            rows_done += batch.num_rows
    problems.raise_if_any(file.url)


# Uncompressed bytes of a Parquet batch at most (rows of wide tables): reading.batch_rows rows of a
# 12-column table are about 25 MiB; 200 columns of the same would be 400 MiB.
PARQUET_BATCH_BYTES = 64 * 1024 * 1024


def parquet_batch_rows(metadata: pq.FileMetaData, groups: list[int] | None, batch_rows: int) -> int:
    """Rows per batch: reading.batch_rows, fewer when the row groups' uncompressed bytes per row would make
    a batch larger than PARQUET_BATCH_BYTES."""
    chosen = range(metadata.num_row_groups) if groups is None else groups
    rows = sum(metadata.row_group(i).num_rows for i in chosen)
    size = sum(metadata.row_group(i).total_byte_size for i in chosen)
    if not rows or not size:
        return batch_rows
    return max(1, min(batch_rows, int(PARQUET_BATCH_BYTES * rows // size)))


# Arrow's reader of dictionaries keeps every distinct value of a row group it has read so far (each batch
# carries the dictionary up to it), so text is read as dictionaries only from row groups of at most this
# many uncompressed bytes: the extra memory stays below it (pyarrow's default row groups of 1Mi rows of
# ordinary tables fit; a file written as one huge row group is read as plain text).
DICTIONARY_ROW_GROUP_BYTES = 128 * 1024 * 1024


def _dictionaries_fit(metadata: pq.FileMetaData, groups: list[int] | None) -> bool:
    chosen = range(metadata.num_row_groups) if groups is None else groups
    return all(metadata.row_group(i).total_byte_size <= DICTIONARY_ROW_GROUP_BYTES for i in chosen)


def _rejoined(batches: Iterable[pa.RecordBatch], rows: int) -> Iterator[pa.RecordBatch]:
    """Batches of at least ``rows`` rows again (but the last): Arrow's reader of dictionaries ends a batch
    at every row group (each has its own dictionary), so a file of small row groups would come in small
    batches. Consecutive ones are joined, their dictionaries laid end to end (see _stacked_dictionaries)."""
    pending: list[pa.RecordBatch] = []
    size = 0
    for batch in batches:
        pending.append(batch)
        size += batch.num_rows
        if size >= rows:
            yield _joined(pending)
            pending, size = [], 0
    if pending:
        yield _joined(pending)


def _joined(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    if len(batches) == 1:
        return batches[0]
    columns = []
    for index in range(batches[0].num_columns):
        chunks = [batch.column(index) for batch in batches]
        columns.append(_stacked_dictionaries(chunks) if pa.types.is_dictionary(chunks[0].type) else pa.concat_arrays(chunks))
    return pa.RecordBatch.from_arrays(columns, schema=batches[0].schema)


def _stacked_dictionaries(chunks: list[pa.DictionaryArray]) -> pa.Array:
    """The chunks as one dictionary array whose dictionary is theirs laid end to end, each chunk's indices
    shifted past the entries before it: a copy, no hash. Unifying them (Arrow's combine_chunks) hashed every
    entry again and cost more than reading the row groups. A value in two row groups is then two entries,
    which detect._dictionary_distinct counts as two values of one hash (as it would in two batches)."""
    dictionary = pa.concat_arrays([chunk.dictionary for chunk in chunks])
    index_type = chunks[0].type.index_type
    if len(dictionary) >= 2**31 - 1 or not pa.types.is_int32(index_type):
        return pa.chunked_array(chunks).combine_chunks()
    shifted, offset = [], 0
    for chunk in chunks:
        shifted.append(pc.add(chunk.indices, pa.scalar(offset, index_type)) if offset else chunk.indices)
        offset += len(chunk.dictionary)
    return pa.DictionaryArray.from_arrays(pa.concat_arrays(shifted), dictionary)


def _top_level_fields(names: list[str], columns: tuple[str, ...]) -> list[str]:
    """The file's top-level fields that hold ``columns`` (a nested column ``a.b`` or ``a[]`` lives in ``a``).
    When it has none of them, its first field: a batch of no columns would lose its row count."""
    fields = [name for name in names if any(c == name or c.startswith((f"{name}.", f"{name}[")) for c in columns)]
    return fields or names[:1]


def iter_column_batches(file: DataFile, settings: ReadingSettings, columns: tuple[str, ...]) -> Iterator[pa.RecordBatch]:
    """Every row of ``file`` with only ``columns`` (those it has; none when it has none of them), for a step
    that reads a few columns back, such as the gate's consent count. Parquet reads only those columns from
    storage, CSV and TSV convert only those; JSON lines are parsed whole and projected per batch. Any failure
    is a ReadError naming the file, as with :func:`iter_batches`."""
    if file.format != "parquet":
        for batch in iter_batches(file, settings, columns=columns):
            yield batch.select([c for c in columns if c in batch.schema.names])
        return
    try:
        for batch in _parquet_batches(file, settings, columns=columns):
            yield batch.select([c for c in columns if c in batch.schema.names])
    except ReadError:
        raise
    except (OSError, ValueError, EOFError, pa.ArrowException) as exc:
        raise ReadError(file.url, _describe(exc)) from None


def with_partition_columns(batch: pa.RecordBatch, partition: tuple[tuple[str, str | None], ...]) -> pa.RecordBatch:
    """Delta/Iceberg partition values live in the table's log, not always in the file: add each as a
    constant text column unless the file already holds the column."""
    missing = [(name, value) for name, value in partition if name not in batch.schema.names]
    if not missing:
        return batch
    names = [*batch.schema.names, *(name for name, _ in missing)]
    constants = [pa.array([value] * batch.num_rows, type=pa.string()) for _, value in missing]
    return pa.RecordBatch.from_arrays([*batch.columns, *constants], names=names)


def text_friendly_batch(
    batch: pa.RecordBatch, problems: _Problems | None = None, first_row: int = 0, text_dictionaries: bool = False
) -> pa.RecordBatch:
    """Nested columns as ``a.b``/``a[]`` text paths, dictionaries decoded (but for those of text values when
    ``text_dictionaries``), UTF-8 binary as text, unique names."""
    names: list[str] = []
    arrays: list[pa.Array] = []
    for field_, column in zip(batch.schema, batch.columns, strict=True):
        if text_dictionaries and is_text_dictionary(column.type):
            names.append(field_.name)
            arrays.append(column)
            continue
        for name, array in _flatten_column(field_.name, column, problems if problems is not None else _Problems(), first_row):
            names.append(name)
            arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, names=_unique_names(names))


def is_text_dictionary(kind: pa.DataType) -> bool:
    """A dictionary type whose values are text (what ``text_dictionaries`` keeps encoded)."""
    if not pa.types.is_dictionary(kind):
        return False
    return bool(pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type))


# A binary column is text when at least this share of its values is valid UTF-8; the others are decoded
# with U+FFFD (and reported) so one damaged value never hides the column. Below it, a real blob.
_TEXT_SHARE = 0.5


def _binary_as_text(array: pa.Array, problems: _Problems, first_row: int) -> pa.Array | None:
    raw = array.cast(pa.binary())
    try:
        # Parquet writers often store text without the UTF-8 annotation; the cast validates UTF-8.
        return raw.cast(pa.string())
    except pa.ArrowInvalid:
        pass
    most_bad = (1 - _TEXT_SHARE) * (len(raw) - raw.null_count)
    decoded: list[str | None] = []
    bad_rows: list[int] = []
    for row in range(len(raw)):
        value = raw[row].as_py()
        if value is None:
            decoded.append(None)
            continue
        try:
            decoded.append(value.decode("utf-8"))
        except UnicodeDecodeError:
            bad_rows.append(row)
            if len(bad_rows) > most_bad:
                return None  # a blob: stop before decoding the rest of it
            decoded.append(value.decode("utf-8", errors="replace"))
    problems.add("binary values that are not UTF-8 decoded with U+FFFD", f"row {first_row + bad_rows[0]}", len(bad_rows))
    return pa.array(decoded, pa.string())


def _flatten_column(name: str, array: pa.Array, problems: _Problems, first_row: int) -> list[tuple[str, pa.Array]]:
    kind = array.type
    if pa.types.is_dictionary(kind):
        return _flatten_column(name, array.dictionary_decode(), problems, first_row)
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
        text = _binary_as_text(array, problems, first_row)
        return [(name, array if text is None else text)]  # None: a real blob, reported with its type
    if pa.types.is_struct(kind) or pa.types.is_list(kind) or pa.types.is_large_list(kind) or (
        pa.types.is_fixed_size_list(kind) or pa.types.is_map(kind)
    ):
        # Rare and usually small: flatten row by row exactly as nested JSON is flattened.
        rows = [flatten_record({name: _plain(value)}) for value in array.to_pylist()]
        batch = _rows_to_batch(rows) if rows else None
        if batch is None or batch.num_columns == 0:
            return [(name, pa.nulls(len(array), pa.string()))]
        return list(zip(batch.schema.names, batch.columns, strict=True))
    return [(name, array)]


def _plain(value: Any) -> Any:
    """Arrow's Python form of nested values as JSON-like data; map entries as {key, value} items.

    Map keys become values, not column names: keys can be personal data (an e-mail → count map).
    """
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(item, tuple) and len(item) == 2 for item in value):
            return [{"key": _plain(k), "value": _plain(v)} for k, v in value]
        return [_plain(item) for item in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def _csv_batches(
    file: DataFile, settings: ReadingSettings, byte_range: ByteRange | None = None, columns: tuple[str, ...] | None = None
) -> Iterator[pa.RecordBatch]:
    block = settings.csv_block_bytes
    rows_done = 0
    within = byte_range.where() if byte_range is not None else ""
    while True:
        problems = _Problems(within=within)
        try:
            for batch in _csv_attempt(file, settings, block, rows_done, problems, byte_range, columns):
                rows_done += batch.num_rows
                yield batch
        except pa.ArrowInvalid as exc:
            # A record longer than a block: reopen with bigger blocks and skip the rows already yielded.
            if "straddl" not in str(exc):
                raise
            limit = max(settings.csv_block_bytes, _BLOCK_GROWTH * settings.max_record_bytes)
            if block < limit:
                block = min(block * 4, limit)
                continue
            raise ReadError(
                file.url,
                f"{within}a CSV record longer than reading.max_record_bytes ({settings.max_record_bytes} bytes) after "
                f"row {rows_done}; the rest of the file was not read",
            ) from None
        problems.raise_if_any(file.url)
        return


def _csv_attempt(
    file: DataFile, settings: ReadingSettings, block: int, skip_rows: int, problems: _Problems,
    byte_range: ByteRange | None = None, columns: tuple[str, ...] | None = None,
) -> Iterator[pa.RecordBatch]:
    with _open(file) if byte_range is None else _open_range(file, byte_range) as handle:
        head = handle.read(settings.encoding_sniff_bytes)
        at_eof = len(head) < settings.encoding_sniff_bytes
        if not head.strip():
            return
        # A split file's parts share the encoding detected once on the file's first bytes.
        encoding = detect_encoding(head, at_eof) if byte_range is None else byte_range.encoding
        delimiter = "\t" if file.format == "tsv" else ","
        header_line = _decode_header(head, encoding)
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        header_rows = 1
        if header_looks_like_data(cells):
            # Names are data: the header row is read as the first row and never used as a name.
            names = positional_names(len(cells))
            if byte_range is None or byte_range.start == 0:
                header_rows = 0
                problems.add("header row holds personal data: read as a headerless file with columns column_1…", "line 1")
            # else: the first line here is the header's copy; the first part reads it as data
        else:
            names = _unique_names(cells)
        utf8: IO[bytes]
        if encoding == "utf-16":
            utf8 = io.BufferedReader(_Reencode(_BufferedPrepend(head, handle), encoding))
        else:
            utf8 = io.BufferedReader(
                _Utf8Transcoder(_BufferedPrepend(head, handle), encoding, problems, settings.max_record_bytes)
            )
        # Arrow joins the lines of a quoted multi-line record however long it gets: bound it here.
        stream = io.BufferedReader(_CsvRecordBound(utf8, settings.max_record_bytes, file.url))
        arrow_encoding = "utf-8"

        def ragged(row: Any) -> str:
            # The row's text is never kept: only that a row was skipped.
            problems.add("rows with the wrong number of fields skipped", f"a row expecting {row.expected_columns} fields")
            return "skip"

        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                encoding=arrow_encoding,
                block_size=block,
                column_names=names,
                skip_rows=header_rows,
                skip_rows_after_names=skip_rows,
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=ragged),
            convert_options=_csv_convert_options(names, columns),
        )
        yield from reader


def _csv_convert_options(names: list[str], columns: tuple[str, ...] | None) -> pacsv.ConvertOptions:
    """Every column as text (empty cells null); only ``columns`` (those the file has, else its first)."""
    return pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        # Converting a column costs more than splitting its fields: a re-read converts only its own.
        include_columns=None if columns is None else [n for n in names if n in columns] or names[:1],
        strings_can_be_null=True,
        null_values=[""],
        # Every byte reaching Arrow is valid UTF-8: checked or re-encoded by _Utf8Transcoder/_Reencode.
        check_utf8=False,
    )


def _decode_header(head: bytes, encoding: str) -> str:
    """The first line, decoded as the body lines are (UTF-8 first, so a mixed file keeps its header)."""
    line = head.split(b"\n", 1)[0]
    for candidate in dict.fromkeys(("utf-16",) if encoding == "utf-16" else ("utf-8", encoding, *_ENCODING_CASCADE)):
        try:
            text = (head if candidate == "utf-16" else line).decode(candidate).lstrip("\ufeff")
            # Only "\n" ends a CSV line: str.splitlines() would also cut at \x1c-\x1e, \x85 and U+2028 inside a name.
            return text.split("\n", 1)[0].removesuffix("\r")
        except UnicodeDecodeError:
            continue
    return line.decode(encoding, errors="replace").lstrip("\ufeff")


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, checked by Arrow's validator over the bytes in place: a UTF-8
    chunk is then passed on as it is, never decoded into a str and encoded back."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


class _Utf8Transcoder(io.RawIOBase):
    """Bytes in ``encoding`` → UTF-8, line by line where needed, so one bad line costs one line.

    Each chunk (cut at a newline) is decoded strictly as UTF-8, then as ``encoding``; a chunk neither
    decodes goes line by line through the cascade (mixed encodings in one file), and a line no
    encoding decodes is decoded with U+FFFD. Both are recorded in ``problems`` with the byte offset.
    """

    def __init__(self, raw: IO[bytes], encoding: str, problems: _Problems, max_record_bytes: int) -> None:
        self._raw = raw
        self._max_record = max_record_bytes
        self._discarding = False  # inside a line longer than max_record_bytes: drop bytes up to its newline
        self._encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self._problems = problems
        self._offset = 0  # bytes of the source consumed so far
        self._pending = bytearray()  # source bytes after the last newline read
        self._out = memoryview(b"")
        self._first = True
        self._cascade = tuple(dict.fromkeys(("utf-8", self._encoding, *_ENCODING_CASCADE)))

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._out.nbytes:
            chunk = self._next_chunk()
            if chunk is None:
                return 0
            self._out = memoryview(chunk)
        n = min(len(buffer), self._out.nbytes)
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def _next_chunk(self) -> bytes | None:
        new = self._raw.read(_TRANSCODE_CHUNK)
        if not new and not self._pending:
            return None
        if new and self._discarding:
            newline = _first_newline(new)
            self._offset += len(new) if newline < 0 else newline
            if newline < 0:
                return b""
            self._discarding = False
            new = new[newline:]  # the newline stays, so the line reads as an empty one
        if new:
            newline = _last_newline(new)
            self._pending += new  # bytearray: appending a long line's pieces stays linear
            if newline < 0:
                if len(self._pending) > self._max_record:
                    # Never an allocation: the line is dropped as it streams past and reported.
                    self._problems.add(_too_long(self._max_record), f"byte {self._offset}")
                    self._offset += len(self._pending)
                    self._pending = bytearray()
                    self._discarding = True
                return b""  # no newline yet: a long line, keep reading
            cut = len(self._pending) - len(new) + newline + 1
        else:
            cut = len(self._pending)  # end of file: the rest, newline or not
        chunk = bytes(self._pending[:cut])
        del self._pending[:cut]
        if len(chunk) > self._max_record and may_hold_long_line(chunk, self._max_record):
            chunk = self._drop_long_lines(chunk)
        if self._first:
            self._first = False
            if chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[3:]
                self._offset += 3
        out = chunk if is_utf8(chunk) else self._decode_chunk(chunk).encode("utf-8")
        self._offset += len(chunk)
        return out

    def _drop_long_lines(self, chunk: bytes) -> bytes:
        kept = []
        position = 0
        for line in chunk.splitlines(keepends=True):
            length = len(line)
            if len(line.rstrip(b"\r\n")) > self._max_record:
                self._problems.add(_too_long(self._max_record), f"byte {self._offset + position}")
                line = line[len(line.rstrip(b"\r\n")) :]  # the newline stays: the line reads as empty
            kept.append(line)
            position += length
        return b"".join(kept)

    def _decode_chunk(self, chunk: bytes) -> str:
        """A chunk that is not UTF-8: in the file's encoding, else line by line through the cascade."""
        if self._encoding != "utf-8":
            try:
                return chunk.decode(self._encoding)
            except UnicodeDecodeError:
                pass
        parts = []
        position = 0
        for line in chunk.splitlines(keepends=True):
            parts.append(self._decode_line(line, self._offset + position))
            position += len(line)
        return "".join(parts)

    def _decode_line(self, line: bytes, offset: int) -> str:
        for encoding in self._cascade:
            try:
                text = line.decode(encoding)
            except UnicodeDecodeError:
                continue
            if encoding != self._encoding:
                self._problems.add(f"mixed encodings: lines decoded as {encoding} in a {self._encoding} file", f"byte {offset}")
            return text
        try:
            line.decode(self._encoding)
        except UnicodeDecodeError as exc:
            offset += exc.start
        self._problems.add(f"lines with bytes invalid in {self._encoding} decoded as U+FFFD", f"byte {offset}")
        return line.decode(self._encoding, errors="replace")


class _CsvRecordBound(io.RawIOBase):
    """UTF-8 CSV bytes passed through unchanged, with no line and no quoted field longer than the limit.

    Quote parity finds quoted fields (an escaped ``""`` opens and closes at once), so a record whose
    quoted newlines make it longer than ``max_record_bytes`` stops the file with a ReadError before
    Arrow buffers it. A chunk is first checked by probes (:func:`_quick_bound_state`: a count of its quotes
    and a few searches); only a chunk the probes cannot clear gets the exact pass of numpy over every byte.
    """

    def __init__(self, raw: IO[bytes], max_record_bytes: int, url: str) -> None:
        self._raw = raw
        self._max = max_record_bytes
        self._url = url
        self._offset = 0  # bytes passed so far
        self._line_start = 0  # offset where the current line began
        self._quote_open: int | None = None  # offset of the quote that opened a field still open

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        if data:
            self._check(data)
        buffer[: len(data)] = data
        return len(data)

    def _check(self, data: bytes) -> None:
        state = _quick_bound_state(data, self._offset, self._line_start, self._quote_open, self._max)
        if state is None:
            self._check_exactly(data)  # refuses the chunk, or finds it within the limit after all
            return
        self._offset, self._line_start, self._quote_open = state

    def _check_exactly(self, data: bytes) -> None:
        array = np.frombuffer(data, dtype=np.uint8)
        base = self._offset
        self._offset += len(data)
        quotes = np.flatnonzero(array == 0x22) + base
        if len(quotes) or self._quote_open is not None:
            if self._quote_open is not None:
                quotes = np.concatenate(([self._quote_open], quotes))
            opens, closes = quotes[0::2], quotes[1::2]
            spans = closes - opens[: len(closes)]
            self._quote_open = int(opens[-1]) if len(opens) > len(closes) else None
            longest = int(spans.max()) if len(spans) else 0
            if self._quote_open is not None:
                longest = max(longest, self._offset - self._quote_open)
            if longest > self._max:
                self._refuse(int(opens[0]))
        newlines = np.flatnonzero((array == 0x0A) | (array == 0x0D)) + base
        if len(newlines):
            gaps = np.diff(np.concatenate(([self._line_start], newlines)))
            if int(gaps.max()) > self._max + 1:  # a line longer than the limit is a record longer than it
                self._refuse(self._line_start)
            self._line_start = int(newlines[-1]) + 1
        elif self._offset - self._line_start > self._max:
            self._refuse(self._line_start)

    def _refuse(self, where: int) -> None:
        raise ReadError(
            self._url,
            f"a CSV record longer than reading.max_record_bytes ({self._max} bytes) near byte {where} of the "
            "decoded text; the file was read up to there",
        )


def count_quotes(data: bytes | bytearray, start: int, stop: int) -> int:
    """The ``"`` in ``data[start:stop]``: NumPy compares 32 bytes an instruction, bytes.count one."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8, count=stop - start, offset=start) == 0x22))


def _first_newline(data: bytes, start: int = 0, stop: int | None = None) -> int:
    """The first ``\n`` or ``\r`` in ``data[start:stop]``, or -1."""
    found = [i for i in (data.find(b"\n", start, stop), data.find(b"\r", start, stop)) if i >= 0]
    return min(found) if found else -1


def _last_newline(data: bytes, start: int = 0, stop: int | None = None) -> int:
    """The last ``\n`` or ``\r`` in ``data[start:stop]``, or -1."""
    return max(data.rfind(b"\n", start, stop), data.rfind(b"\r", start, stop))


def may_hold_long_line(data: bytes, limit: int, first: int = -1, ends_at_end: bool = True) -> bool:
    """Whether a line of ``data`` after the line end at ``first`` (-1: data starts a line) may hold more than
    ``limit`` bytes; False is certain. Such a line covers a multiple of ``limit``, so a probe at each multiple
    looks for the line ends around it (``limit`` + 1 bytes each way at most): ``len(data) / limit`` searches,
    not a pass over every byte. With ``ends_at_end`` the data's end ends its last line, else that line goes on
    past it (it is not judged here)."""
    size = len(data)
    probe = (first // limit + 1) * limit
    while probe < size:
        if data[probe] not in (0x0A, 0x0D):
            low = max(first + 1, probe - limit - 1)
            before = _last_newline(data, low, probe)
            if before < 0:
                if low > first + 1:
                    return True  # no line end in the limit's length before the probe
                before = first
            high = min(size, probe + limit + 2)
            after = _first_newline(data, probe, high)
            if after < 0:
                if high < size:
                    return True
                if not ends_at_end:
                    return False  # the last line goes on: the next chunk judges it
                after = size
            if after - before > limit + 1:
                return True
        probe += limit
    return False


def _quick_quote_state(data: bytes, base: int, quote_open: int | None, limit: int) -> tuple[bool, int | None]:
    """(whether no quoted field reaches past ``limit`` bytes, for certain; the offset of a quote still open at
    the end). A quoted field longer than the limit covers a multiple of it: at each multiple inside quotes (by
    the parity of the quotes before it), the field around it is measured."""
    quotes = count_quotes(data, 0, len(data))
    open_at_start = quote_open is not None
    if quotes:
        seen, start = 0, 0
        for probe in range(0, len(data), limit):
            seen += count_quotes(data, start, probe)
            start = probe
            if open_at_start == (seen % 2 == 0) and data[probe] != 0x22:  # inside a quoted field
                opened_here = data.rfind(b'"', 0, probe)
                opened = base + opened_here if opened_here >= 0 else quote_open
                closed_here = data.find(b'"', probe)
                closed = base + (closed_here if closed_here >= 0 else len(data))
                if opened is None or closed - opened > limit:
                    return False, quote_open
    open_at_end = open_at_start != (quotes % 2 == 1)
    if not open_at_end:
        return True, None
    still_open = base + data.rfind(b'"') if quotes else quote_open
    return still_open is not None and base + len(data) - still_open <= limit, still_open


def _quick_bound_state(
    data: bytes, base: int, line_start: int, quote_open: int | None, limit: int
) -> tuple[int, int, int | None] | None:
    """_CsvRecordBound's state after ``data`` (offset, line start, open quote) when probes show every line and
    quoted field within ``limit``; None when they cannot (the exact check then decides)."""
    end = base + len(data)
    quotes_fit, quote_open = _quick_quote_state(data, base, quote_open, limit)
    if not quotes_fit:
        return None
    first = _first_newline(data)
    if first < 0:
        return (end, line_start, quote_open) if end - line_start <= limit else None
    if base + first - line_start > limit + 1 or may_hold_long_line(data, limit, first, ends_at_end=False):
        return None
    return end, base + _last_newline(data) + 1, quote_open


def _unique_names(names: list[str]) -> list[str]:
    """Duplicate or empty headers get a suffix so every column can be reported on its own."""
    seen: dict[str, int] = {}
    out = []
    for i, raw in enumerate(names):
        name = raw.strip().lstrip("\ufeff") or f"column_{i + 1}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count}")
    return out


class _Prepend(io.RawIOBase):
    """A readable stream that replays bytes already read, then continues with the handle."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head.nbytes:
            n = min(len(buffer), self._head.nbytes)
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# A key that repeats in one JSON object, or a path that two keys reach once flattened ("a.b" and
# {"a": {"b": …}}), gets this suffix and a number: both values are kept and reported apart.
COLLISION_MARK = "#"


class _KeyedPairs(list[tuple[str, Any]]):
    """A JSON object as its (key, value) pairs in order, duplicates included (json's object_pairs_hook)."""


def flatten_record(record: Any, prefix: str = "", collisions: list[str] | None = None) -> dict[str, str | None]:
    """Nested JSON as ``a.b`` and ``a[]`` column paths with text values (lists joined by newlines).

    Keys that repeat or collide once flattened are never overwritten: the later one becomes
    ``path#2`` (``#3``…) and its path is appended to ``collisions`` when given.
    """
    out: dict[str, str | None] = {}
    _flatten_into(out, record, prefix, collisions)
    return out


def _items(record: Any) -> list[tuple[str, Any]] | None:
    if isinstance(record, _KeyedPairs):
        return list(record)
    if isinstance(record, dict):
        return [(str(key), value) for key, value in record.items()]
    return None


def _put(out: dict[str, str | None], path: str, value: str | None, collisions: list[str] | None) -> None:
    if path in out:
        number = 2
        while f"{path}{COLLISION_MARK}{number}" in out:
            number += 1
        if collisions is not None:
            collisions.append(path)
        path = f"{path}{COLLISION_MARK}{number}"
    out[path] = value


def _flatten_into(out: dict[str, str | None], record: Any, prefix: str, collisions: list[str] | None) -> None:
    items = _items(record)
    if items is None:
        _put(out, prefix or "value", None if record is None else str(record), collisions)
        return
    for key, value in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        if _items(value) is not None:
            _flatten_into(out, value, path, collisions)
        elif isinstance(value, list):
            joined: dict[str, str | None] = {}  # list items' fields, joined by newlines (not collisions)
            scalars = []
            for item in value:
                if _items(item) is None:
                    scalars.append(item)
                    continue
                for sub, sub_value in flatten_record(item, "", collisions).items():
                    before = joined.get(sub)
                    joined[sub] = sub_value if before is None else f"{before}\n{sub_value}"
            for sub, text in joined.items():
                _put(out, f"{path}[].{sub}", text, collisions)
            if scalars:
                _put(out, f"{path}[]", "\n".join("" if v is None else str(v) for v in scalars), collisions)
        else:
            _put(out, path, None if value is None else str(value), collisions)


def _bounded_lines(stream: IO[bytes], max_record_bytes: int, problems: _Problems) -> Iterator[tuple[int, bytes]]:
    """(line number, line) of a byte stream; a line longer than ``max_record_bytes`` is skipped as it
    streams past (never held whole) and reported."""
    line_number = 0
    offset = 0
    while True:
        line = stream.readline(max_record_bytes + 1)
        if not line:
            return
        line_number += 1
        if len(line) > max_record_bytes and not line.endswith(b"\n"):
            problems.add(_too_long(max_record_bytes), f"line {line_number}")
            while line and not line.endswith(b"\n"):
                offset += len(line)
                line = stream.readline(_TRANSCODE_CHUNK)
            offset += len(line)
            continue
        offset += len(line)
        yield line_number, line


def _jsonl_batches(file: DataFile, settings: ReadingSettings, byte_range: ByteRange | None = None) -> Iterator[pa.RecordBatch]:
    problems = _Problems(within=byte_range.where() if byte_range is not None else "")
    with _open(file) if byte_range is None else _open_range(file, byte_range) as handle:
        head = handle.read(settings.encoding_sniff_bytes)
        if byte_range is None:
            encoding = detect_encoding(head, len(head) < settings.encoding_sniff_bytes)
        else:
            encoding = byte_range.encoding  # detected once for the whole file
        if encoding == "utf-16":
            raw: IO[bytes] = io.BufferedReader(_Reencode(_BufferedPrepend(head, handle), encoding))
        else:
            raw = io.BufferedReader(
                _Utf8Transcoder(_BufferedPrepend(head, handle), encoding, problems, settings.max_record_bytes)
            )
        duplicates: list[int] = []

        def keep_duplicates(pairs: list[tuple[str, Any]]) -> _KeyedPairs:
            if len({key for key, _ in pairs}) < len(pairs):
                duplicates.append(1)
            return _KeyedPairs(pairs)

        rows: list[dict[str, str | None]] = []
        pending_bytes = 0  # a batch ends at batch_rows records or at a block of csv_block_bytes, as a CSV's does
        for line_number, line in _bounded_lines(raw, settings.max_record_bytes, problems):
            if not line.strip():
                continue
            pending_bytes += len(line)
            try:
                record = json.loads(line.decode("utf-8", errors="replace"), object_pairs_hook=keep_duplicates)
            except (json.JSONDecodeError, RecursionError):
                problems.add("invalid JSON lines skipped", f"line {line_number}")
                continue
            collisions: list[str] = []
            rows.append(flatten_record(record, "", collisions))
            if duplicates or collisions:
                problems.add(
                    f"JSON lines with repeated or colliding keys, kept as separate columns (key{COLLISION_MARK}2)",
                    f"line {line_number}",
                )
                duplicates.clear()
            if len(rows) >= settings.batch_rows or pending_bytes >= settings.csv_block_bytes:
                yield _rows_to_batch(rows)
                rows, pending_bytes = [], 0
        if rows:
            yield _rows_to_batch(rows)
    problems.raise_if_any(file.url)


class _Reencode(io.RawIOBase):
    """UTF-16 (rare: a BOM says so) → UTF-8, decoded incrementally; invalid units become U+FFFD."""

    def __init__(self, raw: IO[bytes], encoding: str) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._out = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._out.nbytes:
            data = self._raw.read(_TRANSCODE_CHUNK)
            text = self._decoder.decode(data, final=not data)
            if not data and not text:
                return 0
            self._out = memoryview(text.encode("utf-8"))
        n = min(len(buffer), self._out.nbytes)
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n


def _BufferedPrepend(head: bytes, handle: IO[bytes]) -> io.BufferedReader:
    return io.BufferedReader(_Prepend(head, handle))  # type: ignore[arg-type]


def _rows_to_batch(rows: list[dict[str, str | None]]) -> pa.RecordBatch:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    arrays = [pa.array([row.get(name) for row in rows], type=pa.string()) for name in names]
    return pa.RecordBatch.from_arrays(arrays, names=list(names))
