"""What every command shares: the one pair of consoles, the exit codes, and the one place a piiscan error
becomes a command-line exit (its message on stderr, its class's exit code)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from pipeline.errors import EXIT_USAGE, PiiscanError

# Exit codes of the commands (shared/contract.md); check and anonymize exit with their verdict's code.
EXIT_OK = 0
EXIT_NEW_FINDINGS = 1  # diff --fail-on-new: a column gained a category
EXIT_READ_ERRORS = 3  # scan: the report is written, but some files could not be read
__all__ = ["EXIT_NEW_FINDINGS", "EXIT_OK", "EXIT_READ_ERRORS", "EXIT_USAGE", "console", "err_console", "exits_on_error"]

# Results go to stdout, progress and problems to stderr; every command prints through these two.
console = Console(stderr=False)
err_console = Console(stderr=True)


@contextmanager
def exits_on_error(on_error: Callable[[PiiscanError], None] | None = None) -> Iterator[None]:
    """Turn a ``PiiscanError`` into ``typer.Exit(error.exit_code)``; ``on_error`` may add output first."""
    try:
        yield
    except PiiscanError as exc:
        err_console.print(f"[red]piiscan:[/red] {escape(exc.message)}", soft_wrap=True)
        if on_error is not None:
            on_error(exc)
        raise typer.Exit(exc.exit_code) from None
