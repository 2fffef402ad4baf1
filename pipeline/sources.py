"""Find datasets under each SOURCE: a file, a folder, a glob or an fsspec URL (s3://bucket/prefix).

Nothing under a SOURCE is skipped in silence: a file that is not read (hidden, of a type that is neither
named nor shaped like data, a FIFO or device, a symbolic link that leads out of the SOURCE) is an issue of
kind ``skipped``, so ``scan`` exits 3 and ``check`` cannot say "allowed", unless the user excludes it by
an explicit pattern (``--exclude``), and excluded files are listed. A file whose name does not say its
format is read when its first bytes are text (as CSV, TSV or JSON lines) or Parquet.
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import os
import posixpath
import stat
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import fsspec
from fsspec import AbstractFileSystem

from pipeline.models import SKIPPED_KIND, ScanIssue, TableSnapshot, printable

Format = Literal["parquet", "csv", "tsv", "jsonl"]

_FORMATS: dict[str, Format] = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd", ".xz": "xz"}
_GLOB_CHARS = set("*?[")
# Files that engines write beside the data and that hold no rows: Hadoop/Spark commit markers
# (_SUCCESS, _committed_*, _started_*), Parquet summary files (_metadata, _common_metadata: schemas and
# row-group statistics of files that are scanned themselves), Hadoop checksums (.name.crc), and
# piiscan anonymize's own summary and, for APPI destinations, its disclosure.md (the categories the copy
# holds, 法第43条第3項: names only, no values). Anything else starting with "." or "_" is skipped and reported.
_COMPANION_NAMES = frozenset({"_SUCCESS", "_metadata", "_common_metadata", "_anonymize.json"})
# disclosure.md is piiscan's only when its _anonymize.json stands beside it; elsewhere it is a file to read.
_DISCLOSURE = "disclosure.md"
_ANONYMIZE_SUMMARY = "_anonymize.json"
_COMPANION_PREFIXES = ("_committed_", "_started_")
# piiscan's own working folder (the findings catalog: masked examples and counts, never values).
_OWN_FOLDERS = frozenset({".piiscan"})
# Bytes read to recognise a file whose name does not say its format.
SNIFF_BYTES = 65536
_TEXT_ENCODINGS = ("utf-8", "cp932", "euc_jp")
_PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True)
class Scope:
    """What discovery may reach: links out of a SOURCE only with ``follow_links``; ``exclude`` globs
    (matched against the path relative to the SOURCE and against the file name) leave files out on purpose."""

    follow_links: bool = False
    exclude: tuple[str, ...] = ()
    as_of: str | None = None  # Delta Lake / Iceberg tables: the version or time to read (pipeline/tables.py)

    def excluded_by(self, relative: str) -> str | None:
        name = posixpath.basename(relative)
        for pattern in self.exclude:
            bare = pattern.rstrip("/") or pattern  # "tmp/" names the folder tmp
            if fnmatch.fnmatchcase(relative, bare) or fnmatch.fnmatchcase(name, bare):
                return pattern
        return None


@dataclass(frozen=True)
class ExcludedFile:
    """A file or folder under a SOURCE that the user left out by a pattern (listed, never silent)."""

    path: str
    pattern: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "pattern": self.pattern}


@dataclass
class Discovery:
    datasets: list[DatasetRef] = field(default_factory=list)
    issues: list[ScanIssue] = field(default_factory=list)
    excluded: list[ExcludedFile] = field(default_factory=list)


@dataclass(frozen=True)
class DataFile:
    """One file of a dataset, addressed so any worker can open it."""

    url: str  # protocol-qualified path, e.g. file:///lake/a.csv or s3://bucket/a.csv
    format: Format
    compression: str | None
    size: int
    mtime: str  # modification time or ETag, as the filesystem reports it
    # Columns whose value is constant in this file and lives outside it (Delta/Iceberg partition values).
    partition: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class DatasetRef:
    name: str  # relative to the SOURCE it was found under
    format: Format
    files: tuple[DataFile, ...]
    table: TableSnapshot | None = None  # a Delta Lake or Iceberg table: the snapshot whose files these are


def file_format(path: str) -> tuple[Format, str | None] | None:
    """The data format and compression that a file name says, or None for files that are not data."""
    name = posixpath.basename(path).lower()
    if name.startswith((".", "_")):
        return None
    stem, ext = posixpath.splitext(name)
    compression = COMPRESSIONS.get(ext)
    if compression:
        stem, ext = posixpath.splitext(stem)
    fmt = _FORMATS.get(ext)
    return (fmt, compression) if fmt else None


def is_companion(path: str, exists: Callable[[str], bool] = os.path.exists) -> bool:
    """Engine markers and summaries that hold no rows (see _COMPANION_NAMES); ``exists`` answers whether a
    sibling path exists (the local file system unless the caller lists an object store)."""
    name = posixpath.basename(path)
    if name in _COMPANION_NAMES or name.startswith(_COMPANION_PREFIXES):
        return True
    if name == _DISCLOSURE:
        return exists(posixpath.join(posixpath.dirname(path), _ANONYMIZE_SUMMARY))
    return name.startswith(".") and name.endswith(".crc")


def _compression_and_hint(path: str) -> tuple[str | None, Format | None]:
    """Compression from the last suffix, and the format any inner suffix names (``a.tsv.bak`` → tsv)."""
    name = posixpath.basename(path).lower().lstrip("._")
    compression = COMPRESSIONS.get(posixpath.splitext(name)[1])
    parts = name.split(".")[1:]
    for part in reversed(parts):
        hint = _FORMATS.get("." + part)
        if hint is not None:
            return compression, hint
    return compression, None


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(head) // 100:
        return False
    for encoding in _TEXT_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        if decoder.decode(head, final=False).count("\ufffd") <= max(1, len(head) // 100):
            return True
    return False


def sniff_format(head: bytes, hint: Format | None) -> Format | None:
    """The format of a file whose name does not say it, from its first bytes: Parquet by its magic,
    text as JSON lines (a first line that opens an object), TSV (tabs) or CSV; None when it is neither."""
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    if not _looks_like_text(head):
        return None
    if hint in ("csv", "tsv", "jsonl"):
        return hint
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = head.decode("utf-16" if utf16 else "utf-8", "replace").lstrip("\ufeff")
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if lines and lines[0].lstrip().startswith("{"):
        return "jsonl"
    tabs = sum(line.count("\t") for line in lines)
    return "tsv" if tabs and tabs >= sum(line.count(",") for line in lines) else "csv"


def _read_head(fs: AbstractFileSystem, path: str, compression: str | None) -> bytes:
    with fs.open(path, "rb", compression=compression) as handle:
        head: bytes = handle.read(SNIFF_BYTES)
    return head


def _dataset_name(relative: str) -> str:
    """Hive partitions (``dt=2026-11-01/``) fold into one dataset named by the folder above them."""
    parts = relative.split("/")
    for i, part in enumerate(parts[:-1]):
        if "=" in part and not part.startswith("="):
            return "/".join(parts[:i]) or parts[0]
    return relative


def _qualify(fs: AbstractFileSystem, path: str) -> str:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return path if protocol in ("file", "local") else f"{protocol}://{path}"


def _info_fields(info: dict[str, object]) -> tuple[int, str]:
    size = info.get("size")
    stamp = info.get("ETag") or info.get("etag") or info.get("mtime") or info.get("LastModified") or ""
    return (int(size) if isinstance(size, int | float) else 0), str(stamp)


def discover(
    sources: Sequence[str], *, follow_links: bool = False, exclude: Sequence[str] = (), as_of: str | None = None
) -> tuple[list[DatasetRef], list[ScanIssue]]:
    """Every dataset under every SOURCE, and an issue for each SOURCE that holds nothing readable, for each
    file or folder under it that cannot be reached (symlink loop, permission denied) and for each file that
    is skipped (see :func:`discover_all`, which also lists the files left out by ``exclude``)."""
    found = discover_all(sources, Scope(follow_links=follow_links, exclude=tuple(exclude), as_of=as_of))
    return found.datasets, found.issues


def discover_all(sources: Sequence[str], scope: Scope | None = None) -> Discovery:
    """Datasets, issues and excluded files under every SOURCE. A file reachable from two SOURCEs is
    read once; datasets of different SOURCEs that share a relative name are named ``<source>/<name>``
    so neither replaces the other."""
    scope = scope or Scope()
    result = Discovery()
    per_source: list[tuple[str, list[DatasetRef]]] = []
    seen_urls: set[str] = set()
    for source in dict.fromkeys(sources):
        try:
            found, problems, excluded = _discover_one(source, scope)
        except (OSError, ValueError) as exc:
            result.issues.append(ScanIssue(path=source, message=f"cannot list source: {_os_problem(exc)}", kind="source_error"))
            continue
        result.issues.extend(problems)
        result.excluded.extend(excluded)
        if isinstance(found, ScanIssue):
            result.issues.append(found)
            continue
        refs = []
        for ref in found:
            files = tuple(f for f in ref.files if f.url not in seen_urls)
            seen_urls.update(f.url for f in files)
            if files or ref.table is not None:  # a table emptied by a commit is still a dataset (of no rows)
                refs.append(replace(ref, files=files))
        per_source.append((source, refs))
    counts: dict[str, int] = defaultdict(int)
    for _, refs in per_source:
        for ref in refs:
            counts[ref.name] += 1
    taken: set[str] = set()
    for source, refs in per_source:
        for ref in refs:
            name = ref.name if counts[ref.name] == 1 else posixpath.join(source_label(source), ref.name)
            unique, n = name, 1
            while unique in taken:
                n += 1
                unique = f"{name}#{n}"
            taken.add(unique)
            result.datasets.append(ref if unique == ref.name else replace(ref, name=unique))
    return result


def source_label(source: str) -> str:
    """A SOURCE as a relative name prefix: no scheme, no leading '/', no '.' or '..' parts."""
    path = source.split("://", 1)[-1]
    parts = [p for p in path.split("/") if p not in ("", ".", "..")]
    return printable("/".join(parts)) or "source"


def _os_problem(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return f"{type(exc).__name__}: {exc}"


def _is_local(fs: AbstractFileSystem) -> bool:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return protocol in ("file", "local")


def _skipped(path: str, why: str) -> ScanIssue:
    return ScanIssue(
        path=path,
        message=f"skipped (not read): {why}. To leave it out on purpose, pass --exclude PATTERN",
        kind=SKIPPED_KIND,
    )


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _special_kind(mode: int) -> str | None:
    for test, described in _SPECIAL_KINDS:
        if test(mode):
            return described
    return None if stat.S_ISREG(mode) else "not a regular file"


def _inside(path: str, real_root: str) -> bool:
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


class _Walk:
    """Entries and issues of one local folder walk."""

    def __init__(self, root: str, scope: Scope) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.scope = scope
        self.entries: dict[str, dict[str, object]] = {}
        self.issues: list[ScanIssue] = []
        self.excluded: list[ExcludedFile] = []
        self.tables: list[str] = []  # Delta Lake / Iceberg table folders: read through their logs, not walked

    def relative(self, path: str) -> str:
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    def exclusion(self, path: str) -> bool:
        pattern = self.scope.excluded_by(self.relative(path))
        if pattern is None:
            return False
        self.excluded.append(ExcludedFile(path=printable(path), pattern=pattern))
        return True

    def keep_folder(self, path: str, visited: set[tuple[int, int]]) -> bool:
        name = posixpath.basename(path)
        if self.exclusion(path) or name in _OWN_FOLDERS:
            return False
        if name.startswith("."):
            # .git, .ipynb_checkpoints, .Trash: copies and tool files; one entry for the whole folder.
            self.issues.append(_skipped(path, "hidden folder (name starts with '.')"))
            return False
        try:
            info = os.stat(path)
        except OSError as exc:
            self.issues.append(ScanIssue(path=path, message=_os_problem(exc), kind="source_error"))
            return False
        if (info.st_dev, info.st_ino) in visited:
            self.issues.append(ScanIssue(path=path, message="symlink loop: links back to a folder already scanned", kind="source_error"))
            return False
        if os.path.islink(path) and not self.scope.follow_links and not _inside(path, self.real_root):
            self.issues.append(_skipped(path, "symbolic link to a folder outside the source (use --follow-links to read it)"))
            return False
        visited.add((info.st_dev, info.st_ino))
        from pipeline.tables import table_kind

        if table_kind(path) is not None:
            self.tables.append(path)
            return False
        return True

    def add_file(self, path: str, explicit: bool = False) -> None:
        """One file found under the root (or named by the user: ``explicit``)."""
        if not explicit and self.exclusion(path):
            return
        if is_companion(path):
            return
        try:
            info = os.stat(path)
        except OSError as exc:
            message = "broken symlink: its target does not exist" if exc.errno == errno.ENOENT else _os_problem(exc)
            self.issues.append(ScanIssue(path=path, message=message, kind="read_error"))
            return
        if not explicit and os.path.islink(path) and not self.scope.follow_links and not _inside(path, self.real_root):
            self.issues.append(_skipped(path, "symbolic link to a file outside the source (use --follow-links to read it)"))
            return
        special = _special_kind(info.st_mode)
        if special is not None:
            # Reading a FIFO or a device could block forever or never end.
            self.issues.append(_skipped(path, f"{special}, not a data file"))
            return
        if not explicit and posixpath.basename(path).startswith((".", "_")):
            self.issues.append(_skipped(path, "hidden or working file (name starts with '.' or '_')"))
            return
        self.entries[path] = {"type": "file", "size": info.st_size, "mtime": info.st_mtime}


def _local_walk(root: str, scope: Scope) -> _Walk:
    """Files under a local folder. Folder links are followed once each and, unless ``follow_links``, only
    when they stay inside the root; loops, unreadable entries and skipped files become issues instead of
    being dropped silently (fsspec's find drops them without a word)."""
    walk = _Walk(root, scope)
    top = os.stat(root)
    visited = {(top.st_dev, top.st_ino)}

    def unreadable(exc: OSError) -> None:
        walk.issues.append(ScanIssue(path=str(exc.filename or root), message=f"cannot list folder: {_os_problem(exc)}", kind="source_error"))

    for folder, dirnames, filenames in os.walk(root, topdown=True, onerror=unreadable, followlinks=True):
        for name in sorted(dirnames):
            if not walk.keep_folder(os.path.join(folder, name), visited):
                dirnames.remove(name)
        for name in sorted(filenames):
            walk.add_file(os.path.join(folder, name))
    return walk


def _format_of(fs: AbstractFileSystem, path: str) -> tuple[Format, str | None] | ScanIssue:
    """The format by name, else by content; an issue when it is neither data nor text."""
    named = file_format(path)
    if named is not None:
        return named
    compression, hint = _compression_and_hint(path)
    try:
        head = _read_head(fs, path, compression)
    except Exception as exc:  # any decompressor's own error type (zstandard's is not an OSError): an issue, never a crash
        problem = _os_problem(exc)[:200]
        return ScanIssue(path=_qualify(fs, path), message=f"cannot read to tell its format: {problem}", kind="read_error")
    sniffed = sniff_format(head, hint)
    if sniffed is None:
        return _skipped(_qualify(fs, path), "unknown file type: neither Parquet nor text (CSV, TSV, JSON lines) by name or content")
    return sniffed, compression


_Found = tuple[list[DatasetRef] | ScanIssue, list[ScanIssue], list[ExcludedFile]]


@dataclass
class _Listing:
    """What one SOURCE lists before its files are grouped: file entries (path → fsspec info), the folder
    their dataset names are relative to, issues, files the user excluded, and table folders found."""

    entries: dict[str, dict[str, object]]
    base: str
    problems: list[ScanIssue] = field(default_factory=list)
    excluded: list[ExcludedFile] = field(default_factory=list)
    tables: list[DatasetRef | ScanIssue] = field(default_factory=list)


def _discover_one(source: str, scope: Scope) -> _Found:
    """The datasets under one SOURCE (or an issue saying why there are none), its issues and exclusions."""
    from pipeline.tables import ICEBERG_SQLITE_SCHEME, table_kind, table_name

    plain = source.removeprefix("file://")
    plain = plain.rstrip("/") or plain
    if source.startswith(ICEBERG_SQLITE_SCHEME) or table_kind(plain) is not None:
        # A Delta Lake or Iceberg table named as the SOURCE: one dataset, its snapshot's files.
        table = _table_ref(source if source.startswith(ICEBERG_SQLITE_SCHEME) else plain, table_name(source), scope)
        return (table if isinstance(table, ScanIssue) else [table]), [], []
    fs, root = fsspec.core.url_to_fs(source)
    root = root.rstrip("/") or root
    listing = _list_source(fs, root, source, scope)
    if isinstance(listing, ScanIssue):
        return listing, [], []
    grouped = _group_files(fs, listing)
    return _datasets_found(source, grouped, listing)


def _list_source(fs: AbstractFileSystem, root: str, source: str, scope: Scope) -> _Listing | ScanIssue:
    """List a glob, a folder (local or remote) or a single file; an issue when the SOURCE is not there."""
    local = _is_local(fs)
    globbed = bool(_GLOB_CHARS & set(root))
    if local and not globbed and os.path.islink(root) and not os.path.exists(root):
        try:
            os.stat(root)
        except OSError as exc:
            message = "broken symlink: its target does not exist" if exc.errno == errno.ENOENT else _os_problem(exc)
            return ScanIssue(path=source, message=message, kind="source_error")
    if globbed:
        return _glob_listing(fs, root, scope, local)
    if local and os.path.isdir(root):
        walk = _local_walk(root, scope)
        tables = [_table_ref(path, printable(os.path.relpath(path, root).replace(os.sep, "/")), scope) for path in walk.tables]
        return _Listing(walk.entries, root, walk.issues, walk.excluded, tables)
    if fs.isdir(root):
        return _remote_folder_listing(fs, root, scope)
    if local and os.path.exists(root):
        walk = _Walk(posixpath.dirname(root) or ".", scope)
        walk.add_file(root, explicit=True)
        return _Listing(walk.entries, posixpath.dirname(root), walk.issues)
    if fs.isfile(root):
        return _Listing({root: fs.info(root)}, posixpath.dirname(root))
    return ScanIssue(path=source, message="path does not exist", kind="source_error")


def _glob_listing(fs: AbstractFileSystem, root: str, scope: Scope, local: bool) -> _Listing:
    """The files (and, locally, table folders) a glob matches, named relative to the glob's fixed prefix."""
    from pipeline.tables import table_kind

    matched = fs.glob(root, detail=True)
    base = root.split("*")[0].split("?")[0].split("[")[0]
    base = base if base.endswith("/") else posixpath.dirname(base)
    if not local:
        return _Listing({p: i for p, i in matched.items() if i.get("type") == "file"}, base)
    walk = _Walk(base or ".", scope)
    for path in sorted(matched):
        if not os.path.isdir(path):
            walk.add_file(path)
        elif table_kind(path) is not None and not walk.exclusion(path):
            walk.tables.append(path)  # a glob naming table folders (lake/*): each table is a dataset
    tables = [_table_ref(path, printable(walk.relative(path)), scope) for path in walk.tables]
    return _Listing(walk.entries, base, walk.issues, walk.excluded, tables)


def _remote_folder_listing(fs: AbstractFileSystem, root: str, scope: Scope) -> _Listing:
    """Every file under an object-store prefix, less excluded files and engine companions."""
    listing = _Listing({}, root)
    found = fs.find(root, detail=True)
    for path, info in found.items():
        if info.get("type") != "file":
            continue
        pattern = scope.excluded_by(posixpath.relpath(path, root))
        if pattern is not None:
            listing.excluded.append(ExcludedFile(path=_qualify(fs, path), pattern=pattern))
        elif not is_companion(path, exists=found.__contains__):
            listing.entries[path] = info
    return listing


def _group_files(fs: AbstractFileSystem, listing: _Listing) -> dict[str, list[DataFile]]:
    """The listed files by dataset name (Hive partitions fold into one); files of no data format become issues."""
    grouped: dict[str, list[DataFile]] = defaultdict(list)
    for path in sorted(listing.entries):
        kind = _format_of(fs, path)
        if isinstance(kind, ScanIssue):
            listing.problems.append(kind)
            continue
        relative = posixpath.relpath(path, listing.base) if listing.base else path
        size, stamp = _info_fields(listing.entries[path])
        # The url stays the real name (it opens the file); the dataset name is for people and outputs.
        grouped[printable(_dataset_name(relative))].append(
            DataFile(url=_qualify(fs, path), format=kind[0], compression=kind[1], size=size, mtime=stamp)
        )
    return grouped


def _datasets_found(source: str, grouped: dict[str, list[DataFile]], listing: _Listing) -> _Found:
    """Datasets of the grouped files and the tables found; when there are none, why (an issue or nothing
    when the listing's problems or the user's exclusions already say)."""
    table_refs = _tables_found(listing.tables)
    problems = [*listing.problems, *(item for item in listing.tables if isinstance(item, ScanIssue))]
    excluded = listing.excluded
    if not grouped and table_refs:
        return table_refs, problems, excluded
    if not grouped:
        if problems:
            return [], problems, excluded  # the problems already say why nothing was found
        if excluded:
            return [], problems, excluded  # the user left everything out on purpose
        return ScanIssue(path=source, message="no Parquet, CSV, TSV or JSONL files found", kind="source_error"), problems, excluded
    refs = []
    for name, files in sorted(grouped.items()):
        formats = sorted({f.format for f in files})
        refs.append(DatasetRef(name=name, format=formats[0] if len(formats) == 1 else files[0].format, files=tuple(files)))
    return refs + table_refs, problems, excluded


def _table_ref(path: str, name: str, scope: Scope) -> DatasetRef | ScanIssue:
    from pipeline.tables import open_table, parse_as_of

    opened = open_table(path, parse_as_of(scope.as_of))
    if isinstance(opened, ScanIssue):
        return opened
    files = tuple(
        DataFile(url=f.url, format="parquet", compression=None, size=f.size, mtime=f.mtime, partition=f.partition)
        for f in opened.files
    )
    return DatasetRef(name=name, format="parquet", files=files, table=opened.snapshot)


def _tables_found(found: Sequence[DatasetRef | ScanIssue]) -> list[DatasetRef]:
    return [item for item in found if isinstance(item, DatasetRef)]
