"""Find datasets under each SOURCE: a file, a folder, a glob or an fsspec URL (s3://bucket/prefix)."""

from __future__ import annotations

import errno
import os
import posixpath
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import fsspec
from fsspec import AbstractFileSystem

from pipeline.models import ScanIssue

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


@dataclass(frozen=True)
class DataFile:
    """One file of a dataset, addressed so any worker can open it."""

    url: str  # protocol-qualified path, e.g. file:///lake/a.csv or s3://bucket/a.csv
    format: Format
    compression: str | None
    size: int
    mtime: str  # modification time or ETag, as the filesystem reports it


@dataclass(frozen=True)
class DatasetRef:
    name: str  # relative to the SOURCE it was found under
    format: Format
    files: tuple[DataFile, ...]


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


def discover(sources: Sequence[str]) -> tuple[list[DatasetRef], list[ScanIssue]]:
    """Every dataset under every SOURCE, and an issue for each SOURCE that holds nothing readable
    and for each data file or folder under it that cannot be reached (symlink loop, permission denied).
    """
    datasets: list[DatasetRef] = []
    issues: list[ScanIssue] = []
    for source in sources:
        try:
            found, problems = _discover_one(source)
        except (OSError, ValueError) as exc:
            issues.append(ScanIssue(path=source, message=f"cannot list source: {_os_problem(exc)}", kind="source_error"))
            continue
        issues.extend(problems)
        if isinstance(found, ScanIssue):
            issues.append(found)
        else:
            datasets.extend(found)
    return datasets, issues


def _os_problem(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return f"{type(exc).__name__}: {exc}"


def _is_local(fs: AbstractFileSystem) -> bool:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return protocol in ("file", "local")


def _local_walk(root: str) -> tuple[dict[str, dict[str, object]], list[ScanIssue]]:
    """Files under a local folder, following folder symlinks once each; loops and unreadable entries
    become issues instead of being skipped silently (fsspec's find drops them without a word).
    """
    entries: dict[str, dict[str, object]] = {}
    issues: list[ScanIssue] = []
    top = os.stat(root)
    visited = {(top.st_dev, top.st_ino)}

    def unreadable(exc: OSError) -> None:
        issues.append(ScanIssue(path=str(exc.filename or root), message=f"cannot list folder: {_os_problem(exc)}", kind="source_error"))

    for folder, dirnames, filenames in os.walk(root, topdown=True, onerror=unreadable, followlinks=True):
        for name in sorted(dirnames):
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError as exc:
                issues.append(ScanIssue(path=path, message=_os_problem(exc), kind="source_error"))
                dirnames.remove(name)
                continue
            if (info.st_dev, info.st_ino) in visited:
                issues.append(ScanIssue(path=path, message="symlink loop: links back to a folder already scanned", kind="source_error"))
                dirnames.remove(name)
                continue
            visited.add((info.st_dev, info.st_ino))
        for name in filenames:
            path = os.path.join(folder, name)
            if file_format(path) is None:
                continue
            try:
                info = os.stat(path)
            except OSError as exc:
                if exc.errno == errno.ENOENT:
                    message = "broken symlink: its target does not exist"
                else:
                    message = _os_problem(exc)
                issues.append(ScanIssue(path=path, message=message, kind="read_error"))
                continue
            if not os.path.isfile(path):
                continue  # a FIFO or device named like data: reading it could block forever
            entries[path] = {"type": "file", "size": info.st_size, "mtime": info.st_mtime}
    return entries, issues


def _discover_one(source: str) -> tuple[list[DatasetRef] | ScanIssue, list[ScanIssue]]:
    fs, root = fsspec.core.url_to_fs(source)
    root = root.rstrip("/") or root
    entries: dict[str, dict[str, object]]
    problems: list[ScanIssue] = []
    local = _is_local(fs)
    if local and not _GLOB_CHARS & set(root) and os.path.islink(root) and not os.path.exists(root):
        try:
            os.stat(root)
        except OSError as exc:
            message = "broken symlink: its target does not exist" if exc.errno == errno.ENOENT else _os_problem(exc)
            return ScanIssue(path=source, message=message, kind="source_error"), problems
    if _GLOB_CHARS & set(root):
        matched = fs.glob(root, detail=True)
        entries = {p: i for p, i in matched.items() if i.get("type") == "file"}
        base = root.split("*")[0].split("?")[0].split("[")[0]
        base = base if base.endswith("/") else posixpath.dirname(base)
    elif local and os.path.isdir(root):
        entries, problems = _local_walk(root)
        base = root
    elif fs.isdir(root):
        entries = {p: i for p, i in fs.find(root, detail=True).items() if i.get("type") == "file"}
        base = root
    elif fs.isfile(root):
        entries = {root: fs.info(root)}
        base = posixpath.dirname(root)
    else:
        return ScanIssue(path=source, message="path does not exist", kind="source_error"), problems
    grouped: dict[str, list[DataFile]] = defaultdict(list)
    for path in sorted(entries):
        kind = file_format(path)
        if kind is None:
            continue
        relative = posixpath.relpath(path, base) if base else path
        size, stamp = _info_fields(entries[path])
        grouped[_dataset_name(relative)].append(
            DataFile(url=_qualify(fs, path), format=kind[0], compression=kind[1], size=size, mtime=stamp)
        )
    if not grouped:
        if problems:
            return [], problems  # the problems already say why nothing was found
        return ScanIssue(path=source, message="no Parquet, CSV, TSV or JSONL files found", kind="source_error"), problems
    refs = []
    for name, files in sorted(grouped.items()):
        formats = sorted({f.format for f in files})
        refs.append(DatasetRef(name=name, format=formats[0] if len(formats) == 1 else files[0].format, files=tuple(files)))
    return refs, problems
