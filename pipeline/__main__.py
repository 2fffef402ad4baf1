"""``python -m pipeline``: the same as the ``piiscan`` command."""

from pipeline.cli import main

main()
