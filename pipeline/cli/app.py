"""The ``piiscan`` application: every command group registered on one Typer app, and ``main``."""

from __future__ import annotations

import logging
import sys

import typer

from pipeline.cli import catalog, gate, scan
from pipeline.cli.output import EXIT_USAGE

app = typer.Typer(
    name="piiscan",
    help="Find personal and sensitive data in a data lake and tag every column with its privacy-policy category.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Find personal and sensitive data in a data lake and tag every column with its privacy-policy category."""


# In --help order: scan, then the pre-sharing gate, then the findings catalog.
scan.register(app)
gate.register(app)
catalog.register(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
        # click reports usage errors with exit 2, as the contract wants.
        sys.exit(code)
