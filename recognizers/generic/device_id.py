"""DEVICE_ID: advertising and device identifiers (IDFA, AAID/GAID) in UUID form.

A bare UUID is just as often a database record key, so the base score is modest; words such as
IDFA, 広告ID or 端末ID next to it raise it, and a UUID labelled as something else (注文ID,
request_id, trace, session, user id …) is dropped. The all-zero UUID (tracking refused) is kept: in an
IDFA column it is still a device-id value.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId
from recognizers.labels import NumberKind, label_names_other_kind

_UUID = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"

ACCEPTED_LABELS = frozenset({NumberKind.DEVICE})


class DeviceIdRecognizer(JapanesePatternRecognizer):
    """UUID-shaped device and advertising identifiers."""

    ENTITY: ClassVar[EntityId] = "DEVICE_ID"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("uuid", rf"(?<![0-9A-Za-z\-]){_UUID}(?![0-9A-Za-z\-])", 0.4),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "IDFA",
        "IDFV",
        "AAID",
        "GAID",
        "ADID",
        "UDID",
        "広告ID",
        "広告識別子",
        "端末ID",
        "端末識別子",
        "デバイスID",
        "device",
        "advertising",
        "ad_id",
        "ifa",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"

    def validate_result(self, pattern_text: str) -> bool | None:
        # Mixed-case UUIDs are not produced by iOS (upper) or Android (lower) nor by UUID libraries.
        letters = [ch for ch in pattern_text if ch.isalpha()]
        if letters and any(ch.isupper() for ch in letters) and any(ch.islower() for ch in letters):
            return False
        return None

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept = [r for r in results if not label_names_other_kind(text, r.start, r.end, ACCEPTED_LABELS)]
        return super()._boost_by_context(text, kept)
