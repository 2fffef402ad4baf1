"""One exception root for piiscan, with subclasses that say what went wrong and what to do.

Messages name files and problems, never a scanned value. Every subclass is picklable (Dask ships them
between processes) through the root's ``__reduce__``, whatever its constructor takes. Each class carries the
command-line exit code it means (shared/contract.md); ``pipeline.cli.output.exits_on_error`` is the one place that
turns it into an exit.

The gate's errors live beside what they carry: ``ExportBlocked`` and ``GateUndecidable`` in
``pipeline/verdict.py``, ``UnknownDestination`` in ``pipeline/gate.py``.
"""

from __future__ import annotations

from typing import Any

EXIT_USAGE = 2  # also "could not decide" for check/anonymize: never 0 in doubt


def _rebuild(cls: type[PiiscanError], args: tuple[Any, ...], kwargs: dict[str, Any], state: dict[str, Any]) -> PiiscanError:
    error = cls(*args, **kwargs)
    error.__dict__.update(state)
    return error


class PiiscanError(Exception):
    """Root of every error piiscan raises on purpose."""

    exit_code = EXIT_USAGE
    _init_args: tuple[tuple[Any, ...], dict[str, Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> PiiscanError:
        error = super().__new__(cls, *args)
        error._init_args = (args, kwargs)  # what the constructor got, so pickling needs no per-class code
        return error

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        args, kwargs = self._init_args
        state = {k: v for k, v in self.__dict__.items() if k != "_init_args"}
        return (_rebuild, (type(self), args, kwargs, state))


class ConfigError(PiiscanError):
    """A config or policy file is missing or invalid; the scan refuses to run on defaults."""


class ReadError(PiiscanError):
    """One file could not be read; the scan records it in ``errors`` and goes on."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class TableError(PiiscanError):
    """A Delta Lake or Iceberg table whose snapshot cannot be resolved or must not be read file by file."""


class OutputError(PiiscanError):
    """A result could not be written (read-only directory, disk full); nothing half-written remains."""


class ScanFailed(PiiscanError):
    """The scan could not finish (for example, every worker died); no report is presented as complete."""


class CatalogError(PiiscanError):
    """The findings catalog cannot be opened, read or written."""


class ReportQueryError(PiiscanError, KeyError):
    """A notebook query named a dataset, column or category the report does not have."""

    def __str__(self) -> str:  # KeyError would quote the whole sentence
        return self.message
