"""What every CLI module shares: the one pair of consoles, and the one place a piiscan error becomes a
command-line exit (its message on stderr, its class's exit code)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from pipeline.errors import PiiscanError

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
