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
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import fsspec
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from charset_normalizer import from_bytes

from pipeline.errors import ReadError
from pipeline.settings import ReadingSettings
from pipeline.sources import DataFile

# Strict decoders tried in order; UTF-8 first because 31% of UTF-8 Japanese decodes as cp932 without error.
_ENCODING_CASCADE = ("utf-8", "cp932", "euc_jp")
# A CSV record must fit in one block; blocks grow up to this for huge cells (a 10 MB cell is ordinary).
MAX_CSV_BLOCK_BYTES = 512 * 1024 * 1024
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


def iter_batches(
    file: DataFile, settings: ReadingSettings, row_groups: tuple[int, int] | None = None
) -> Iterator[pa.RecordBatch]:
    """Record batches of ``file``; any failure is a ReadError naming the file and the problem.

    ``row_groups`` (Parquet only): read row groups [first, stop) only, so one big file can be several tasks."""
    try:
        if file.format == "parquet":
            yield from _parquet_batches(file, settings, row_groups)
        elif file.format in ("csv", "tsv"):
            yield from _csv_batches(file, settings)
        else:
            yield from _jsonl_batches(file, settings)
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

    def add(self, kind: str, where: str, count: int = 1) -> None:
        seen, first = self.parts.get(kind, (0, where))
        self.parts[kind] = (seen + count, first)

    def raise_if_any(self, url: str) -> None:
        if self.parts:
            described = "; ".join(f"{kind}: {count} (first at {first})" for kind, (count, first) in self.parts.items())
            raise ReadError(url, f"read in part; {described}. The rest of the file was scanned")


def _parquet_batches(
    file: DataFile, settings: ReadingSettings, row_groups: tuple[int, int] | None = None
) -> Iterator[pa.RecordBatch]:
    with _open(file) as handle:
        parquet = pq.ParquetFile(handle)
        groups = None if row_groups is None else list(range(*row_groups))
        for batch in parquet.iter_batches(batch_size=settings.batch_rows, row_groups=groups):
            yield text_friendly_batch(batch)


def text_friendly_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Nested columns as ``a.b``/``a[]`` text paths, dictionaries decoded, UTF-8 binary as text, unique names."""
    names: list[str] = []
    arrays: list[pa.Array] = []
    for field_, column in zip(batch.schema, batch.columns, strict=True):
        for name, array in _flatten_column(field_.name, column):
            names.append(name)
            arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, names=_unique_names(names))


def _flatten_column(name: str, array: pa.Array) -> list[tuple[str, pa.Array]]:
    kind = array.type
    if pa.types.is_dictionary(kind):
        return _flatten_column(name, array.dictionary_decode())
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
        try:
            # Parquet writers often store text without the UTF-8 annotation; the cast validates UTF-8.
            return [(name, array.cast(pa.binary()).cast(pa.string()))]
        except pa.ArrowInvalid:
            return [(name, array)]  # a real blob: reported with its type, not scanned
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


def _csv_batches(file: DataFile, settings: ReadingSettings) -> Iterator[pa.RecordBatch]:
    block = settings.csv_block_bytes
    rows_done = 0
    while True:
        problems = _Problems()
        try:
            for batch in _csv_attempt(file, settings, block, rows_done, problems):
                rows_done += batch.num_rows
                yield batch
        except pa.ArrowInvalid as exc:
            # A record longer than a block: reopen with bigger blocks and skip the rows already yielded.
            if "straddl" in str(exc) and block < MAX_CSV_BLOCK_BYTES:
                block = min(block * 4, MAX_CSV_BLOCK_BYTES)
                continue
            raise
        problems.raise_if_any(file.url)
        return


def _csv_attempt(
    file: DataFile, settings: ReadingSettings, block: int, skip_rows: int, problems: _Problems
) -> Iterator[pa.RecordBatch]:
    with _open(file) as handle:
        head = handle.read(settings.encoding_sniff_bytes)
        at_eof = len(head) < settings.encoding_sniff_bytes
        if not head.strip():
            return
        encoding = detect_encoding(head, at_eof)
        delimiter = "\t" if file.format == "tsv" else ","
        header_line = _decode_header(head, encoding)
        names = _unique_names(next(csv.reader([header_line], delimiter=delimiter), []))
        if encoding == "utf-16":
            stream: IO[bytes] = _BufferedPrepend(head, handle)
            arrow_encoding = encoding
        else:
            stream = io.BufferedReader(_Utf8Transcoder(_BufferedPrepend(head, handle), encoding, problems))
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
                skip_rows=1,
                skip_rows_after_names=skip_rows,
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=ragged),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=True,
                null_values=[""],
            ),
        )
        yield from reader


def _decode_header(head: bytes, encoding: str) -> str:
    """The first line, decoded as the body lines are (UTF-8 first, so a mixed file keeps its header)."""
    line = head.split(b"\n", 1)[0]
    for candidate in dict.fromkeys(("utf-16",) if encoding == "utf-16" else ("utf-8", encoding, *_ENCODING_CASCADE)):
        try:
            return (head if candidate == "utf-16" else line).decode(candidate).lstrip("\ufeff").splitlines()[0]
        except (UnicodeDecodeError, IndexError):
            continue
    return line.decode(encoding, errors="replace").lstrip("\ufeff")


class _Utf8Transcoder(io.RawIOBase):
    """Bytes in ``encoding`` → UTF-8, line by line where needed, so one bad line costs one line.

    Each chunk (cut at a newline) is decoded strictly as UTF-8, then as ``encoding``; a chunk neither
    decodes goes line by line through the cascade (mixed encodings in one file), and a line no
    encoding decodes is decoded with U+FFFD. Both are recorded in ``problems`` with the byte offset.
    """

    def __init__(self, raw: IO[bytes], encoding: str, problems: _Problems) -> None:
        self._raw = raw
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
        if new:
            newline = new.rfind(b"\n")
            self._pending += new  # bytearray: appending a long line's pieces stays linear
            if newline < 0:
                return b""  # no newline yet: a long line, keep reading
            cut = len(self._pending) - len(new) + newline + 1
        else:
            cut = len(self._pending)  # end of file: the rest, newline or not
        chunk = bytes(self._pending[:cut])
        del self._pending[:cut]
        if self._first:
            self._first = False
            if chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[3:]
                self._offset += 3
        text = self._decode_chunk(chunk)
        self._offset += len(chunk)
        return text.encode("utf-8")

    def _decode_chunk(self, chunk: bytes) -> str:
        for encoding in dict.fromkeys(("utf-8", self._encoding)):
            try:
                return chunk.decode(encoding)
            except UnicodeDecodeError:
                continue
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


def flatten_record(record: Any, prefix: str = "") -> dict[str, str | None]:
    """Nested JSON as ``a.b`` and ``a[]`` column paths with text values (lists joined by newlines)."""
    out: dict[str, str | None] = {}
    if isinstance(record, dict):
        for key, value in record.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                out.update(flatten_record(value, path))
            elif isinstance(value, list):
                items = [flatten_record(v, "") if isinstance(v, dict) else v for v in value]
                scalars = [v for v in items if not isinstance(v, dict)]
                for item in items:
                    if isinstance(item, dict):
                        for sub, sub_value in item.items():
                            joined = out.get(f"{path}[].{sub}")
                            out[f"{path}[].{sub}"] = sub_value if joined is None else f"{joined}\n{sub_value}"
                if scalars:
                    out[f"{path}[]"] = "\n".join("" if v is None else str(v) for v in scalars)
            else:
                out[path] = None if value is None else str(value)
    else:
        out[prefix or "value"] = None if record is None else str(record)
    return out


def _jsonl_batches(file: DataFile, settings: ReadingSettings) -> Iterator[pa.RecordBatch]:
    problems = _Problems()
    with _open(file) as handle:
        head = handle.read(settings.encoding_sniff_bytes)
        encoding = detect_encoding(head, len(head) < settings.encoding_sniff_bytes)
        if encoding == "utf-16":
            raw: IO[bytes] = io.BufferedReader(_Reencode(_BufferedPrepend(head, handle), encoding))
        else:
            raw = io.BufferedReader(_Utf8Transcoder(_BufferedPrepend(head, handle), encoding, problems))
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        rows: list[dict[str, str | None]] = []
        for line_number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                problems.add("invalid JSON lines skipped", f"line {line_number}")
                continue
            rows.append(flatten_record(record))
            if len(rows) >= settings.batch_rows:
                yield _rows_to_batch(rows)
                rows = []
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
