"""How a dataset's files become Dask tasks: big files are cut into parts so one file uses every worker.

- Parquet: ranges of whole row groups of about equal uncompressed size, as many as ``SPLIT_BYTES`` asks.
- CSV/TSV/JSONL, uncompressed: byte ranges cut at line ends (``readers.ByteRange``: a range owns the lines
  that start in it). The encoding is detected once on the file's first bytes and the header line is read
  once; every range gets both. Compressed files cannot be cut (no random access) and UTF-16 text has no
  one-byte newline: those are read whole.
- CSV/TSV values in quotes may hold newlines, so a cut at a line end may fall inside a value. Every range
  also counts its double quotes (a cheap second pass over its bytes); where the quotes before a range are
  odd in number, the cut fell inside a quoted value and the file is read again whole, in one task. This is
  quote parity, the model the CSV reader's record bound uses too. It is exact when quotes stand only around
  values (RFC 4180, a quote inside one doubled). A stray quote inside an unquoted value (``12" pipe``, which
  Arrow reads literally) makes the parity odd from there on, so the file is read whole: correct, only
  slower. Known gap: stray quotes AND quoted newlines in one file can pair up so that a cut inside a
  quoted value passes the check.

A split file is cut into a multiple of the scan's worker threads (read once when the runner opens), so no
worker waits a whole part's time at the end for the other's last one.

The profiles of a file's parts, and then of a dataset's files, meet in a tree of ``merge_profiles``
tasks (at most ``_MERGE_FAN_IN`` at a time) before NER runs once on the merged sample. The merged profile
names the files that were profiled in parts (``FileProfile.split_files``: not read whole after a failed
quote check), and the quasi-identifier step counts those by the same parts (``pipeline.quasi_select``).
"""

from __future__ import annotations

import logging
from typing import Any

from dask.delayed import delayed

from pipeline.classify import is_free_text
from pipeline.detect import profile_file
from pipeline.detect_ner import run_ner
from pipeline.profile_model import FileProfile, merge_profiles
from pipeline.readers import ByteRange, detect_encoding, file_head, parquet_row_groups, range_quotes
from pipeline.settings import ReadingSettings, ScanSettings
from pipeline.sources import DataFile, DatasetRef
from pipeline.text_shape import needs_ner

log = logging.getLogger("piiscan")

# Files merged per task: a tree reduction, so a dataset of thousands of files never meets in one task.
_MERGE_FAN_IN = 16

# A file bigger than this is profiled as several tasks of about this many bytes each, so one big file
# uses every worker: 64 MiB is a few seconds of work a task (a 100 MB Parquet file is 4 parts), small
# enough that two workers share a file of a few hundred MB evenly, large enough that per-task costs
# (the first batch's wider screening, the merge) stay small.
SPLIT_BYTES = 64 * 1024 * 1024

_TEXT_FORMATS = ("csv", "tsv", "jsonl")


def file_parts(
    file: DataFile, split_bytes: int | None = None, reading: ReadingSettings | None = None, cores: int = 1
) -> list[tuple[int, int]] | list[ByteRange] | None:
    """The parts of ``file`` to profile as separate tasks, or None to read it whole: row-group ranges
    [first, stop) of a Parquet file, byte ranges of an uncompressed CSV/TSV/JSONL file.

    A split file is cut into a multiple of ``cores`` parts (the worker threads that run the scan): 31
    parts on 2 workers leave one worker idle for a whole part's time at the end, 32 slightly smaller
    ones do not."""
    split_bytes = split_bytes or SPLIT_BYTES
    if file.size <= split_bytes:
        return None
    if file.format == "parquet":
        return _row_group_parts(file, split_bytes, cores)
    if file.format in _TEXT_FORMATS:
        return _byte_range_parts(file, split_bytes, reading or ScanSettings().reading, cores)
    return None


def part_count(size: int, split_bytes: int, cores: int) -> int:
    """How many parts ``size`` bytes make: about ``split_bytes`` each, rounded up to a multiple of ``cores``."""
    count, cores = max(1, -(-size // split_bytes)), max(1, cores)
    return count if count == 1 else -(-count // cores) * cores


def task_estimate(file: DataFile) -> int:
    """How many tasks ``file`` becomes, from its size and format alone (no read): for sizing a local cluster."""
    if file.compression is not None or file.format not in (*_TEXT_FORMATS, "parquet"):
        return 1
    return part_count(file.size, SPLIT_BYTES, 1)


def _row_group_parts(file: DataFile, split_bytes: int, cores: int) -> list[tuple[int, int]] | None:
    """Row-group ranges of about equal uncompressed size, as many as ``split_bytes`` asks: cutting each time
    ``split_bytes`` is reached left a small last part (10, 10, 10 and 1 row groups), and the tasks of the
    big parts set the scan's time."""
    sizes = parquet_row_groups(file)
    total = sum(sizes)
    count = min(len(sizes), part_count(total, split_bytes, cores)) if total else 1
    if count <= 1:
        return None
    target = total / count
    # each row group goes to the part its middle byte falls in: contiguous ranges, none empty
    owners: list[int] = []
    before = 0
    for size in sizes:
        owners.append(min(count - 1, int((before + size / 2) // target)))
        before += size
    parts: list[tuple[int, int]] = []
    first = 0
    for index in range(1, len(sizes) + 1):
        if index == len(sizes) or owners[index] != owners[first]:
            parts.append((first, index))
            first = index
    return parts if len(parts) > 1 else None


def _byte_range_parts(
    file: DataFile, split_bytes: int, reading: ReadingSettings, cores: int
) -> list[ByteRange] | None:
    if file.compression is not None:
        return None  # a compressed stream has no random access: read whole
    try:
        head = file_head(file, reading.encoding_sniff_bytes)
    except OSError:
        return None  # the whole-file task reports what is wrong with it
    encoding = detect_encoding(head, len(head) < reading.encoding_sniff_bytes)
    if encoding == "utf-16":
        return None  # its newline is two bytes, and a cut could fall between them
    header = b""
    if file.format in ("csv", "tsv"):
        end = head.find(b"\n")
        if end < 0:
            return None  # no line end in the first bytes: nowhere sure to cut
        header = head[: end + 1]
        if header.count(b'"') % 2:
            return None  # a header with a newline in a quoted name: read whole
    count = part_count(file.size, split_bytes, cores)
    step = -(-file.size // count)
    starts = [index * step for index in range(count)]
    return [
        ByteRange(start=start, stop=min(start + step, file.size), encoding=encoding, header=header, index=index, parts=count)
        for index, start in enumerate(starts)
    ]


def _file_tasks(file: DataFile, settings: ScanSettings, user_recognizers: str | None, cores: int) -> list[Any]:
    parts = file_parts(file, reading=settings.reading, cores=cores)
    if parts is None:
        return [delayed(profile_file, pure=False)(file, settings, user_recognizers)]
    tasks = [delayed(profile_file, pure=False)(file, settings, user_recognizers, part, len(parts)) for part in parts]
    if file.format in ("csv", "tsv"):
        quotes = [delayed(range_quotes, pure=False)(file, part) for part in parts]
        return [delayed(_aligned_or_whole)(_merge_tree(tasks, settings), quotes, file, settings, user_recognizers)]
    return tasks


def _merge_tree(level: list[Any], settings: ScanSettings) -> list[Any]:
    """Merge tasks of at most ``_MERGE_FAN_IN`` profiles each until that many or fewer are left."""
    while len(level) > _MERGE_FAN_IN:
        level = [
            delayed(merge_profiles)(level[i : i + _MERGE_FAN_IN], settings) for i in range(0, len(level), _MERGE_FAN_IN)
        ]
    return level


def _aligned_or_whole(
    profiles: list[FileProfile], quotes: list[int], file: DataFile, settings: ScanSettings, user_recognizers: str | None
) -> FileProfile:
    """The merged profile of a CSV's byte ranges when every cut fell between records; else the file read whole."""
    before = 0
    for count in quotes[:-1]:
        before += count
        if before % 2:
            # A cut fell inside a quoted value holding a newline: those parts parsed wrongly.
            log.info("a quoted value spans a cut of a split CSV file: it is read whole in one task")
            return profile_file(file, settings, user_recognizers)
    return merge_profiles(profiles, settings)


def dataset_task(ref: DatasetRef, settings: ScanSettings, user_recognizers: str | None, cores: int = 1) -> Any:
    """profile every file (big files by parts, a multiple of ``cores`` each) → merge in a tree (fixed order
    of file names, then parts) → NER on the merged sample."""
    level: list[Any] = [
        task
        for f in sorted(ref.files, key=lambda f: f.url)
        for task in _file_tasks(f, settings, user_recognizers, cores)
    ]
    return merge_and_ner_task(level, settings)


def merge_and_ner_task(level: list[Any], settings: ScanSettings) -> Any:
    """Profiles (tasks) merged in a tree of at most ``_MERGE_FAN_IN`` per task, then NER on the merged sample."""
    return delayed(_merge_and_ner)(_merge_tree(level, settings), settings)


def _merge_and_ner(profiles: list[FileProfile], settings: ScanSettings) -> FileProfile:
    merged = merge_profiles(profiles, settings)
    return run_ner(merged, ner_columns(merged, settings), settings)


def ner_columns(profile: FileProfile, settings: ScanSettings) -> list[str]:
    """The columns NER reads: free text, or values the pattern recognizers did not explain."""
    if not settings.detection.ner_enabled or settings.detection.ner_sample_size == 0:
        return []
    return [
        name
        for name, column in profile.columns.items()
        if needs_ner(column, is_free_text(column, settings.classification))
    ]
