"""USER_AGENT: HTTP User-Agent strings of browsers, bots, apps and HTTP libraries.

A UA is ``product/version`` followed by more products and ``(comments)``. The match starts at a
known leading product and runs over ASCII product tokens and comments only, so it stops at the
first Japanese character (``UAはMozilla/5.0 (…) Safari/537.36です``).
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

# Products that begin a UA. Browser and bot UAs start with Mozilla/ or Opera/; the rest are
# app runtimes and HTTP clients that send their own name.
BROWSER_PRODUCTS: tuple[str, ...] = ("Mozilla", "Opera")
CLIENT_PRODUCTS: tuple[str, ...] = (
    "Dalvik",
    "okhttp",
    "curl",
    "Wget",
    "python-requests",
    "Python-urllib",
    "python-httpx",
    "aiohttp",
    "Go-http-client",
    "Java",
    "Apache-HttpClient",
    "PostmanRuntime",
    "axios",
    "node-fetch",
    "undici",
    "libwww-perl",
    "Googlebot",
    "bingbot",
    "Baiduspider",
    "YandexBot",
    "DuckDuckBot",
    "Applebot",
    "facebookexternalhit",
    "Twitterbot",
    "Slackbot",
    "AhrefsBot",
    "SemrushBot",
    "GPTBot",
    "Line",
    "Instagram",
    "FBAV",
)

_VERSION = r"[A-Za-z0-9_+\-]+(?:\.[A-Za-z0-9_+\-]+)*"
_TOKEN = rf"[A-Za-z][A-Za-z0-9_.+\-]*/{_VERSION}"
# A parenthesised comment of printable ASCII (no nesting, no Japanese).
_COMMENT = r"\([\x20-\x27\x2A-\x7E]{1,400}\)"
# After the first product: comments, product tokens, and bare words that precede a product
# (``Mobile Safari/537.36``, ``like Gecko``), never a trailing bare word.
_TAIL = rf"(?:\s*{_COMMENT}|\s+(?:[A-Za-z][A-Za-z0-9_.\-]*\s+)?{_TOKEN})*"


def _alternation(names: tuple[str, ...]) -> str:
    return "|".join(name.replace(".", r"\.") for name in names)


class UserAgentRecognizer(JapanesePatternRecognizer):
    """Browser, bot, app-runtime and HTTP-client user agents."""

    ENTITY: ClassVar[EntityId] = "USER_AGENT"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "browser_ua",
            rf"(?<![A-Za-z0-9])(?:{_alternation(BROWSER_PRODUCTS)})/[0-9]+\.[0-9]+\s*{_COMMENT}{_TAIL}",
            0.85,
        ),
        Pattern(
            "client_ua",
            rf"(?<![A-Za-z0-9_.\-/])(?:{_alternation(CLIENT_PRODUCTS)})/[0-9]+(?:\.[0-9A-Za-z_\-]+)*{_TAIL}",
            0.6,
        ),
        # A runtime that also names the platform (Dalvik/2.1.0 (Linux; U; Android 13 …)) is surely a UA.
        Pattern(
            "client_ua_with_comment",
            rf"(?<![A-Za-z0-9_.\-/])(?:{_alternation(CLIENT_PRODUCTS)})/[0-9]+(?:\.[0-9A-Za-z_\-]+)*\s*{_COMMENT}{_TAIL}",
            0.75,
        ),
        # iOS apps: "<App>/<build> CFNetwork/1404.0.5 Darwin/22.3.0".
        Pattern(
            "ios_app_ua",
            rf"(?<![A-Za-z0-9_.\-/])(?:[A-Za-z0-9%._\-]+/[0-9A-Za-z._\-]+\s+)?CFNetwork/{_VERSION}\s+Darwin/{_VERSION}",
            0.75,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "User-Agent",
        "UserAgent",
        "user_agent",
        "ユーザーエージェント",
        "ブラウザ",
    )
    PREFILTER: ClassVar[str | None] = (
        rf"(?:{_alternation(BROWSER_PRODUCTS + CLIENT_PRODUCTS)})/[0-9]|CFNetwork/"
    )
