
import pytest

from recognizers.generic.user_agent import UserAgentRecognizer
from tests.recognizers import support

REC = UserAgentRecognizer()

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
ANDROID_APP = "Dalvik/2.1.0 (Linux; U; Android 13; SM-G991B Build/TP1A.220624.014)"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
IOS_APP = "MyApp/1.2.3 CFNetwork/1404.0.5 Darwin/22.3.0"


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected", "low"),
    [
        (CHROME, CHROME, 0.8),
        (IPHONE, IPHONE, 0.8),
        (f"UAは{IPHONE}です", IPHONE, 0.8),
        (GOOGLEBOT, GOOGLEBOT, 0.8),
        (ANDROID_APP, ANDROID_APP, 0.7),
        (IOS_APP, IOS_APP, 0.7),
        ("curl/8.1.2", "curl/8.1.2", 0.5),
        ("python-requests/2.31.0", "python-requests/2.31.0", 0.5),
        (f"User-Agent: {CHROME}", CHROME, 0.95),
    ],
)
def test_user_agent_table(text: str, expected: str, low: float) -> None:
    [(span, score)] = found(text)
    assert span == expected
    assert score >= low
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "see Mozilla/5.0 docs",  # no platform comment
        "Firefox/120.0",  # a product token alone
        "uses Java 17",
        "Mozilla Firefox をインストール",
        "Chrome 120 にアップデート",
        "curl を使う",
    ],
)
def test_user_agent_decoys(text: str) -> None:
    assert found(text) == []


def test_stops_before_trailing_english_words() -> None:
    text = f"{CHROME} was seen"
    assert [span for span, _ in found(text)] == [CHROME]
