"""Fixtures for the reliability tests: a small scan config without NER (fast), permission denial as root."""

from __future__ import annotations

import builtins
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.settings import DEFAULT_SCAN_CONFIG


def _no_ner_config() -> Path:
    """The packaged scan.yaml with NER off (GiNZA is slow to load and not what these tests are about).

    Derived at import rather than kept as a copy, so it follows every change to the packaged defaults.
    """
    data = yaml.safe_load(DEFAULT_SCAN_CONFIG.read_text(encoding="utf-8"))
    data.setdefault("detection", {})["ner_enabled"] = False
    path = Path(tempfile.mkdtemp(prefix="piiscan-reliability-")) / "scan_no_ner.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


NO_NER_CONFIG = _no_ner_config()


@pytest.fixture
def deny_reading(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Make opening files whose name ends with ``suffix`` fail with EACCES, as chmod 000 does for
    non-root users (root ignores permission bits, and CI containers often run as root).
    """

    def deny(suffix: str) -> None:
        if os.geteuid() != 0:
            return  # chmod 000 already denies
        real_open = builtins.open

        def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, str | os.PathLike) and os.fspath(file).endswith(suffix):
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded_open)

    return deny
