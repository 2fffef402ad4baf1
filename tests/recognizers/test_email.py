"""CjkEmailRecognizer: CJK-safe boundaries, public-suffix check with tldextract's offline snapshot."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from recognizers.generic import email as email_module
from recognizers.generic.email import CjkEmailRecognizer
from tests.recognizers import support

REC = CjkEmailRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def passes_prefilter(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("taro@example.co.jp", "taro@example.co.jp"),
        ("メールはtaro@example.co.jpです", "taro@example.co.jp"),
        ("taro.yamada@gmail.com", "taro.yamada@gmail.com"),
        ("user+tag@sub.example.org まで", "user+tag@sub.example.org"),
        ("連絡先:hanako_s@docomo.ne.jp", "hanako_s@docomo.ne.jp"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
        ("x@example.com.", "x@example.com"),
        ("desk.tanaka@example.jp", "desk.tanaka@example.jp"),
        ("infoman@example.com", "infoman@example.com"),  # not a role word, just starts like one
        # legacy carrier addresses that break RFC 5322 (consecutive dots, dot before '@')
        ("taro..yamada@docomo.ne.jp", "taro..yamada@docomo.ne.jp"),
        ("hanako.@ezweb.ne.jp", "hanako.@ezweb.ne.jp"),
        ("メール：k.o..ji.@softbank.ne.jp まで", "k.o..ji.@softbank.ne.jp"),
        ("ichiro...@i.softbank.jp", "ichiro...@i.softbank.jp"),
        ("yuki-.-@au.com", "yuki-.-@au.com"),
        ("ｈａｎａｋｏ．＠ｙｍｏｂｉｌｅ．ｎｅ．ｊｐ", "ｈａｎａｋｏ．＠ｙｍｏｂｉｌｅ．ｎｅ．ｊｐ"),
        ("a..b@example.com", "a..b@example.com"),  # the quirk is accepted for any domain
    ],
)
def test_email_found(text: str, span: str) -> None:
    assert found(text) == [(span, 1.0)]
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    [
        "foo@bar.invalidtld", "a@b.c", "@example.com", "name@localhost", "price 10@5", "山田太郎",
        # role accounts: a company's own contact, like its 0120 number
        "info@example.co.jp", "お問い合わせはsupport@example.comまで", "noreply@example.jp", "sales-jp@example.com",
        "Customer.Service@example.com",
        # dots without a mailbox name, file names, amounts
        "...@docomo.ne.jp", "icon@2x.png", "logo..final@3x.png", "10.@5.00", "a@a.a.a.a", "注文番号 12345.@",
    ],
)
def test_email_not_found(text: str) -> None:
    assert found(text) == []


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    email_module.offline_extractor.cache_clear()
    yield
    email_module.offline_extractor.cache_clear()


@pytest.mark.usefixtures("no_network")
def test_suffix_check_is_offline() -> None:
    assert email_module.has_public_suffix("taro@example.co.jp")
    assert not email_module.has_public_suffix("taro@example.notatld")
