
import pytest

from recognizers.generic.url import CjkUrlRecognizer
from tests.recognizers import support

REC = CjkUrlRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.jp/a?b=1", ["https://example.jp/a?b=1"]),
        ("詳細はhttps://example.jp/a?b=1をご覧", ["https://example.jp/a?b=1"]),
        ("URL：https://ex.jp/x」を参照", ["https://ex.jp/x"]),
        ("https://example.com/path.", ["https://example.com/path"]),
        ("(see https://example.com/x_(y)), ok", ["https://example.com/x_(y)"]),
        ("(https://example.com/x)", ["https://example.com/x"]),
        ("www.example.co.jp/login。", ["www.example.co.jp/login"]),
        ("http://192.168.0.1:8080/admin", ["http://192.168.0.1:8080/admin"]),
        ("ftp://files.example.org/pub/a.tar.gz, next", ["ftp://files.example.org/pub/a.tar.gz"]),
        (
            "https://www.google.com/search?q=%E3%81%82&hl=ja",
            ["https://www.google.com/search?q=%E3%81%82&hl=ja"],
        ),
        ("ＨＴＴＰＳ：／／ｅｘａｍｐｌｅ．ｊｐ／ａ", ["ＨＴＴＰＳ：／／ｅｘａｍｐｌｅ．ｊｐ／ａ"]),
        ("閲覧: https://a.example/1 → https://b.example/2", ["https://a.example/1", "https://b.example/2"]),
    ],
)
def test_url_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    ["example.com", "mailto:a@example.com", "taro@example.co.jp", "https://", "version 1.2.3", "wwwの使い方"],
)
def test_url_decoys(text: str) -> None:
    assert spans(text) == []


def test_context_raises_score() -> None:
    [bare] = REC.analyze("https://example.jp/a", [REC.ENTITY], None)
    [boosted] = REC.analyze("閲覧URL https://example.jp/a", [REC.ENTITY], None)
    assert bare.score < boosted.score
