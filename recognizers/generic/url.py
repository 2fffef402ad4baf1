"""URL: http, https and ftp URLs and ``www.``-prefixed hosts.

Only ASCII URL characters are taken, so a URL embedded in Japanese ends at the first Japanese
character or full-width punctuation (``詳細はhttps://example.jp/a?b=1をご覧``). A trailing
sentence mark (``.`` ``,`` ``)`` …) is not part of the URL.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

# RFC 3986 unreserved + reserved + "%" (ASCII only). NFKC makes full-width ASCII (？＆) ASCII,
# while 、。「」 stay non-ASCII and so end the URL.
_URL_CHAR = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]"
# Parentheses only in balanced pairs (Wikipedia-style paths), so "(see https://a.jp/x)" ends before ")".
_PATH = rf"[/?#](?:{_URL_CHAR}|\({_URL_CHAR}*\))*(?<=[A-Za-z0-9\-_~/#=&+%@$*\])])"
_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*"


class CjkUrlRecognizer(JapanesePatternRecognizer):
    """Absolute URLs with a scheme, and www. hosts without one."""

    ENTITY: ClassVar[EntityId] = "URL"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "url_with_scheme",
            rf"(?<![A-Za-z0-9+.\-])(?i:https?|ftp)://(?:[A-Za-z0-9._~%!$&'()*+,;=:\-]+@)?(?:{_HOST}|\[[0-9A-Fa-f:.]+\])(?::[0-9]{{1,5}})?(?:{_PATH})?",
            0.6,
        ),
        Pattern(
            "www_host",
            rf"(?<![A-Za-z0-9.\-/@])(?i:www)\.{_HOST}\.[A-Za-z]{{2,24}}(?![A-Za-z0-9\-])(?::[0-9]{{1,5}})?(?:{_PATH})?",
            0.5,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "URL",
        "閲覧",
        "アクセス",
        "リンク",
        "ページ",
        "参照元",
        "リファラ",
        "referer",
        "referrer",
        "visited",
    )
    PREFILTER: ClassVar[str | None] = r"(?i:https?://|ftp://|www\.)"
