"""The ``piiscan`` command line (also ``python -m pipeline``), one module per command group.

    app.py       the Typer app with every group registered, and ``main`` (the console script)
    scan.py      piiscan scan
    gate.py      piiscan check, piiscan anonymize (the pre-sharing gate)
    catalog.py   piiscan history, piiscan diff (the findings catalog)
    progress.py  the scan's progress: a bar on a terminal, plain lines in a log
    options.py   the options several commands share
    output.py    the two consoles, the exit codes, and where a piiscan error becomes an exit

Imports run one way: app → the command groups → progress/options/output; nothing imports app back.
"""

from pipeline.cli.app import app, main

__all__ = ["app", "main"]
