
import pytest

from recognizers.generic.cookie_id import CookieIdRecognizer
from tests.recognizers import support

REC = CookieIdRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return sorted((text[r.start : r.end], r.score) for r in REC.analyze(text, [REC.ENTITY], None))


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected", "low", "high"),
    [
        ("GA1.2.1234567890.1700000000", "GA1.2.1234567890.1700000000", 0.5, 0.7),
        ("GS1.1.1700000000.3.1.1700000300.0.0.0", "GS1.1.1700000000.3.1.1700000300.0.0.0", 0.5, 0.7),
        ("fb.1.1596403881668.1116446470", "fb.1.1596403881668.1116446470", 0.5, 0.7),
        ("_ga=GA1.2.1234567890.1700000000", "GA1.2.1234567890.1700000000", 0.5, 0.7),
        ("PHPSESSID=abcdef1234567890", "abcdef1234567890", 0.4, 0.6),
        ("session_id=9f8e7d6c5b4a", "9f8e7d6c5b4a", 0.4, 0.6),
        ("クッキーのsession_id=9f8e7d6c5b4aを送信", "9f8e7d6c5b4a", 0.7, 1.0),
        # a cookie label, then a hex/base64 token
        ("クッキーID：3df1c4439ce07a36e7525219", "3df1c4439ce07a36e7525219", 0.7, 1.0),
        ("Cookie ID: 3df1c4439ce07a36e7525219", "3df1c4439ce07a36e7525219", 0.7, 1.0),
        ("Cookie値 dGhpcyBpcyBhIHRlc3Q0NTY3==", "dGhpcyBpcyBhIHRlc3Q0NTY3==", 0.7, 1.0),
        ("Cookie: JSESSIONID=3DF1C4439CE07A36E7525219", "3DF1C4439CE07A36E7525219", 0.7, 1.0),
        (
            "ＧＡ１．２．１２３４５６７８９０．１７００００００００",
            "ＧＡ１．２．１２３４５６７８９０．１７００００００００",
            0.5,
            0.7,
        ),
    ],
)
def test_cookie_id_table(text: str, expected: str, low: float, high: float) -> None:
    [(span, score)] = found(text)
    assert span == expected
    assert low <= score <= high
    assert prefilter_hits(text)


def test_cookie_header_with_two_cookies() -> None:
    text = "Cookie: _ga=GA1.2.1234567890.1700000000; JSESSIONID=0123456789ABCDEF"
    assert [span for span, _ in found(text)] == ["0123456789ABCDEF", "GA1.2.1234567890.1700000000"]


@pytest.mark.parametrize(
    "text",
    [
        "sid=1",  # a flag, not an identifier
        "GA1.2",
        "version=1.2.3.4",
        "consider=abcdefghijk",  # "sid" inside a word
        "価格は1234567890円",
        "session timeout 30 minutes",
        "クッキーを許可しました",
        "Cookie: acceptedAllCookiesByUser",  # a word, not a token
        "クッキーID：3df1c443",  # too short to identify a browser
        "クッキーID3df1c4439ce07a36e7525219",  # no separator after the label
    ],
)
def test_cookie_id_decoys(text: str) -> None:
    assert found(text) == []
