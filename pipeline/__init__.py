"""piiscan: find personal data in a data lake and tag every column with its privacy-policy category.

``scan``, ``check`` and ``anonymize`` are the real functions of ``pipeline.api``, ``pipeline.gate`` and
``pipeline.anonymizer`` (their signatures and docstrings show in ``help()``), imported on first use so that
``import pipeline`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["PiiscanError", "ScanReport", "Verdict", "anonymize", "check", "scan"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from pipeline.anonymizer import anonymize
    from pipeline.api import scan
    from pipeline.errors import PiiscanError
    from pipeline.gate import Verdict, check
    from pipeline.report import ScanReport

_LAZY = {
    "scan": "pipeline.api",
    "check": "pipeline.gate",
    "anonymize": "pipeline.anonymizer",
    "ScanReport": "pipeline.report",
    "Verdict": "pipeline.gate",
    "PiiscanError": "pipeline.errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
