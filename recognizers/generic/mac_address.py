"""MAC_ADDRESS: six bytes as aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or Cisco aabb.ccdd.eeff."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

_BYTE = "[0-9A-Fa-f]{2}"
_QUAD = "[0-9A-Fa-f]{4}"
# Not the tail of a longer colon/hyphen/dot sequence (IPv6, 7+ bytes). A colon before is fine when
# it ends a label ("MACアドレス：" folds to "MACアドレス:", "MAC:"), i.e. unless it follows a
# free-standing hex group or another colon.
_BEFORE = r"(?<![0-9A-Za-z.\-])(?<!(?<![0-9A-Za-z])[0-9A-Fa-f]{1,4}:)(?<!::)"
_AFTER = r"(?![0-9A-Za-z:\-])(?!\.[0-9A-Za-z])"


class CjkMacAddressRecognizer(JapanesePatternRecognizer):
    """MAC addresses with one consistent separator."""

    ENTITY: ClassVar[EntityId] = "MAC_ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("mac_colon_or_hyphen", rf"{_BEFORE}{_BYTE}([:\-]){_BYTE}(?:\1{_BYTE}){{4}}{_AFTER}", 0.6),
        Pattern("mac_cisco", rf"{_BEFORE}{_QUAD}\.{_QUAD}\.{_QUAD}{_AFTER}", 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "MAC",
        "MACアドレス",
        "物理アドレス",
        "端末",
        "デバイス",
        "hwaddr",
        "ether",
        "device",
        "bssid",
    )
    PREFILTER: ClassVar[str | None] = (
        r"[0-9A-Fa-f]{2}[:\-][0-9A-Fa-f]{2}[:\-][0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}"
    )

    def validate_result(self, pattern_text: str) -> bool | None:
        # Hyphen- or dot-separated all-decimal groups are far likelier to be codes or dates
        # (12-34-56-78-90-12) than a MAC, where each digit is hex (only 0.4% are all-decimal).
        if ":" not in pattern_text and all(ch.isdigit() for ch in pattern_text if ch not in "-."):
            return False
        return None
