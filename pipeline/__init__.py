"""piiscan: find personal data in a data lake and tag every column with its privacy-policy category."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["ScanReport", "Verdict", "anonymize", "check", "scan"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from pipeline.anonymizer import AnonymizeResult
    from pipeline.gate import Verdict
    from pipeline.report import ScanReport


def scan(*args: Any, **kwargs: Any) -> ScanReport:
    """Scan a path, glob, URL or DataFrame; see :func:`pipeline.api.scan`."""
    from pipeline.api import scan as _scan

    return _scan(*args, **kwargs)


def check(*args: Any, **kwargs: Any) -> Verdict:
    """Pre-sharing gate for one destination; see :func:`pipeline.gate.check`."""
    from pipeline.gate import check as _check

    return _check(*args, **kwargs)


def anonymize(*args: Any, **kwargs: Any) -> AnonymizeResult:
    """Write an anonymised copy that passes the gate; see :func:`pipeline.anonymizer.anonymize`."""
    from pipeline.anonymizer import anonymize as _anonymize

    return _anonymize(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "ScanReport":
        from pipeline.report import ScanReport

        return ScanReport
    if name == "Verdict":
        from pipeline.gate import Verdict

        return Verdict
    raise AttributeError(name)
