"""`piiscan history` and `piiscan diff`: the findings catalog on the command line."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app`` (none yet: being built)."""
