"""One exception root for piiscan, with subclasses that say what went wrong and what to do.

Messages name files and problems, never a scanned value. All are picklable (Dask ships them).
"""

from __future__ import annotations


class PiiscanError(Exception):
    """Root of every error piiscan raises on purpose."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[type[PiiscanError], tuple[str]]:
        return (type(self), (self.message,))


class ConfigError(PiiscanError):
    """A config or policy file is missing or invalid; the scan refuses to run on defaults."""


class SourceError(PiiscanError):
    """A SOURCE argument names nothing that can be scanned."""


class ReadError(PiiscanError):
    """One file could not be read; the scan records it in ``errors`` and goes on."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str]]:  # type: ignore[override]
        return (type(self), (self.path, self.problem))


class OutputError(PiiscanError):
    """A result could not be written (read-only directory, disk full); nothing half-written remains."""
