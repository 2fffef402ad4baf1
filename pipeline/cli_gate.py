"""`piiscan check` and `piiscan anonymize`: the pre-sharing gate on the command line."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app`` (none yet: being built)."""
