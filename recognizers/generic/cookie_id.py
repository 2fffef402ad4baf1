"""COOKIE_ID: analytics and session cookie values.

Shapes: Google Analytics client ids (``GA1.2.1234567890.1700000000``), GA4 session cookies
(``GS1.1.1700000000.3.1.1700000300.0.0.0``), Meta ``_fbp`` (``fb.1.1596403881668.1116446470``),
and the value of a well-known cookie or session parameter (``_ga=…``, ``PHPSESSID=…``,
``session_id=…``). The span is the value, not the name.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

# Cookie and session parameter names whose value identifies a browser or a session.
COOKIE_NAMES: tuple[str, ...] = (
    "_ga",
    "_gid",
    "_gcl_au",
    "_fbp",
    "_fbc",
    "__utma",
    "__utmz",
    "_uetvid",
    "_ttp",
    "_yjsu_yjad",
    "PHPSESSID",
    "JSESSIONID",
    "ASP.NET_SessionId",
    "ASPSESSIONID",
    "CFID",
    "CFTOKEN",
    "connect.sid",
    "laravel_session",
    "_session_id",
    "session_id",
    "sessionid",
    "session",
    "sess_id",
    "sessid",
    "sid",
    "visitor_id",
    "cookie_id",
    "uid",
)
_NAMES = "|".join(sorted((name.replace(".", r"\.") for name in COOKIE_NAMES), key=len, reverse=True))
# Cookie values: URL-safe characters, at least 8 (short values such as sid=1 are flags).
_VALUE = r"[A-Za-z0-9._~%+/=\-]{8,256}"
# "クッキーID：<token>", "Cookie ID: <token>", "Cookie値 <token>": a label naming the cookie
# itself, then a hex/base64 token of 16+ characters with a digit in it (words are not ids). A
# "name=" right after the label is a cookie header ("Cookie: JSESSIONID=…"), left to the pattern above.
_COOKIE_LABEL = r"(?:クッキー|(?<![A-Za-z])(?i:cookie))(?:[ _]?(?i:id)|値|識別子)?"
_TOKEN = r"(?=[A-Za-z+/_\-]*[0-9])[A-Za-z0-9+/_\-]{16,256}={0,2}(?![A-Za-z0-9+/_.=\-])"


class CookieIdRecognizer(JapanesePatternRecognizer):
    """Analytics client ids and session cookie values."""

    ENTITY: ClassVar[EntityId] = "COOKIE_ID"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("ga_client_id", r"(?<![0-9A-Za-z.])GA1\.[0-9]\.[0-9]{5,12}\.[0-9]{9,10}(?![0-9])", 0.6),
        Pattern("ga4_session", r"(?<![0-9A-Za-z.])GS[12]\.[0-9]\.[0-9]{9,10}(?:\.[0-9A-Za-z$]+){2,12}", 0.55),
        Pattern("fbp", r"(?<![0-9A-Za-z.])fb\.[0-9]\.[0-9]{13}\.[0-9]{5,20}(?![0-9])", 0.6),
        Pattern(
            "named_cookie_value",
            rf"(?<=(?<![A-Za-z0-9_])(?i:{_NAMES})\s*[=:]\s*\"?){_VALUE}",
            0.45,
        ),
        Pattern("labelled_cookie_token", rf"(?<={_COOKIE_LABEL}(?:\s*[:=は]\s*|\s+)){_TOKEN}", 0.45),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "Cookie",
        "クッキー",
        "セッション",
        "Set-Cookie",
        "識別子",
    )
    PREFILTER: ClassVar[str | None] = (
        r"GA1\.[0-9]\.|GS[12]\.[0-9]\.|fb\.[0-9]\.[0-9]|(?i:" + _NAMES + r")\s*[=:]|クッキー|(?i:cookie)"
    )
