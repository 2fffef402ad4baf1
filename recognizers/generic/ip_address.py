"""IP_ADDRESS: IPv4 (each octet 0–255) and IPv6 (validated by :mod:`ipaddress`)."""

from __future__ import annotations

import ipaddress
from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
# Not part of a longer dotted number (OIDs, 1.2.3.4.5) nor a version string: "v1.2.3.4",
# a product token "Chrome/124.0.123.45" (a '/' right after a word; "http://1.2.3.4" is still an
# address) or a version word ("version 1.2.3.4", "Ver.10.0.0.1", "バージョン1.0.0.1").
_VERSION_WORDS = r"(?i:version|ver\.?|build|rev\.?|firmware|バージョン)"
_V4_BEFORE = rf"(?<![0-9.])(?<![vV])(?<![0-9A-Za-z_]/)(?<!(?<![A-Za-z]){_VERSION_WORDS}\s?)"
_V4_AFTER = r"(?![0-9])(?!\.[0-9])"
_HEX = "[0-9A-Fa-f]"
_V6_BEFORE = r"(?<![0-9A-Za-z:.])"
_V6_AFTER = r"(?![0-9A-Za-z:])"


class IpAddressRecognizer(JapanesePatternRecognizer):
    """IPv4 dotted quads and IPv6 addresses, also inside Japanese text (接続元192.168.0.1から)."""

    ENTITY: ClassVar[EntityId] = "IP_ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("ipv4", rf"{_V4_BEFORE}{_IPV4}{_V4_AFTER}", 0.6),
        # IPv6 candidates are loose; validate_result asks ipaddress. The v4-mapped tail comes first.
        Pattern("ipv6_v4tail", rf"{_V6_BEFORE}(?:{_HEX}{{0,4}}:){{2,6}}{_IPV4}{_V4_AFTER}", 0.6),
        Pattern("ipv6", rf"{_V6_BEFORE}(?:{_HEX}{{0,4}}:){{2,7}}{_HEX}{{0,4}}{_V6_AFTER}", 0.6),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "IP",
        "IPアドレス",
        "接続元",
        "アクセス元",
        "送信元",
        "ホスト",
        "remote_addr",
        "client",
        "host",
        "addr",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]|::|[0-9A-Fa-f]:[0-9A-Fa-f]"

    def validate_result(self, pattern_text: str) -> bool | None:
        if ":" not in pattern_text:
            return None  # the IPv4 regex already bounds every octet
        try:
            ipaddress.IPv6Address(pattern_text)
        except ValueError:
            return False
        # "::" alone or a clock time such as 12:34::56 are not addresses worth reporting.
        if sum(ch.isalnum() for ch in pattern_text) < 2 and pattern_text != "::1":
            return False
        return None
