"""Atomic file writes: readers see the old file or the whole new one, never a part.

A temp file in the same directory, fsync, then rename (``atomic_write_text``); the pieces are public for
writers that place several files as one set (``pipeline.report.writing``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipeline.errors import OutputError


def creation_mode() -> int:
    """The mode a plain open() would give a new file (0666 less the umask), read without changing it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    return 0o644


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one, never a part."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # read-only or full output directory: nothing was written
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}; check the output directory") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600 files; a report is for other people (a privacy officer) to read.
        os.chmod(tmp_name, creation_mode())
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}; check the output directory") from None
        raise


def write_synced(path: Path, text: str) -> None:
    """Write ``text`` to a new file and fsync it, readable by others (the caller renames it into place)."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    # mkstemp/mkdtemp permissions are private; a report is for other people (a privacy officer) to read.
    os.chmod(path, creation_mode())


def fsync_dir(path: Path) -> None:
    """Make the renames inside ``path`` durable; a platform without directory fds is left as it is."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # a platform without directory fds: the renames are still atomic one by one
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
