"""piiscan: find personal data in a data lake and tag every column with its privacy-policy category."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["ScanReport", "scan"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from pipeline.report import ScanReport


def scan(*args: Any, **kwargs: Any) -> ScanReport:
    """Scan a path, glob, URL or DataFrame; see :func:`pipeline.api.scan`."""
    from pipeline.api import scan as _scan

    return _scan(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "ScanReport":
        from pipeline.report import ScanReport

        return ScanReport
    raise AttributeError(name)
