import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.generic.ip_address import IpAddressRecognizer
from tests.recognizers import support

REC = IpAddressRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.168.0.1", ["192.168.0.1"]),
        ("接続元192.168.0.1から", ["192.168.0.1"]),
        ("接続元１９２．１６８．０．１から", ["１９２．１６８．０．１"]),
        ("8.8.8.8 and 10.0.0.255.", ["8.8.8.8", "10.0.0.255"]),
        ("2001:db8::8a2e:370:7334", ["2001:db8::8a2e:370:7334"]),
        ("送信元は2001:0db8:85a3:0000:0000:8a2e:0370:7334です", ["2001:0db8:85a3:0000:0000:8a2e:0370:7334"]),
        ("::ffff:192.0.2.1", ["::ffff:192.0.2.1"]),
        ("::1", ["::1"]),
        # decoys
        ("256.1.1.1", []),
        ("version 1.2.3", []),
        ("v1.2.3.4", []),
        ("OID 1.3.6.1.4.1.311", []),
        ("2024.01.15", []),
        ("10:30:00", []),
        ("aa:bb:cc:dd:ee:ff", []),
        ("価格は1.5円", []),
        # version strings: after a product token's '/' or a version word
        ("Chrome/124.0.123.45", []),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.123.45 Safari/537.36",
            [],
        ),
        ("version 1.2.3.4", []),
        ("Ver.10.0.0.1", []),
        ("バージョン1.0.0.1", []),
        # ...while addresses in URLs and after words ending in "ver" stay addresses
        ("http://192.168.0.1/admin", ["192.168.0.1"]),
        ("server 10.0.0.1", ["10.0.0.1"]),
    ],
)
def test_ip_address_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    if expected:
        assert prefilter_hits(text)


def test_context_raises_score() -> None:
    bare = REC.analyze("192.168.0.1", [REC.ENTITY], None)[0].score
    with_context = REC.analyze("IPアドレス: 192.168.0.1", [REC.ENTITY], None)[0].score
    assert 0.3 <= bare <= 0.7 < with_context


@given(st.ip_addresses(v=4))
def test_every_ipv4_is_found_inside_japanese(address: ipaddress.IPv4Address) -> None:
    text = f"接続元{address}から"
    assert spans(text) == [str(address)]
    assert prefilter_hits(text)


@given(st.ip_addresses(v=6))
def test_every_ipv6_is_found(address: ipaddress.IPv6Address) -> None:
    text = f"from {address} ok"
    found = spans(text)
    if str(address) != "::":
        assert found == [str(address)]
        assert prefilter_hits(text)


@given(st.integers(256, 999), st.integers(0, 3))
def test_out_of_range_octet_is_not_an_address(octet: int, position: int) -> None:
    parts = ["10", "20", "30", "40"]
    parts[position] = str(octet)
    assert spans(".".join(parts)) == []
