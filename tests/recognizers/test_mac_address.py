
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.generic.mac_address import CjkMacAddressRecognizer
from tests.recognizers import support

REC = CjkMacAddressRecognizer()


def spans(text: str) -> list[str]:
    return support.spans(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aa:bb:cc:dd:ee:ff", ["aa:bb:cc:dd:ee:ff"]),
        ("00-1A-2B-3C-4D-5E", ["00-1A-2B-3C-4D-5E"]),
        ("001a.2b3c.4d5e", ["001a.2b3c.4d5e"]),
        ("端末のMACアドレスは00:1a:2b:3c:4d:5eです", ["00:1a:2b:3c:4d:5e"]),
        ("ＡＡ：ＢＢ：ＣＣ：ＤＤ：ＥＥ：ＦＦ", ["ＡＡ：ＢＢ：ＣＣ：ＤＤ：ＥＥ：ＦＦ"]),
        # a label's colon (full width folds to ':') is not part of a longer colon sequence
        ("MACアドレス：93:B2:3C:73:23:AB", ["93:B2:3C:73:23:AB"]),
        ("MAC:93:B2:3C:73:23:AB", ["93:B2:3C:73:23:AB"]),
        ("mac_address: 93:b2:3c:73:23:ab", ["93:b2:3c:73:23:ab"]),
        # decoys
        ("aa:bb-cc:dd-ee:ff", []),
        ("aa:bb:cc:dd:ee:ff:00", []),
        ("00:aa:bb:cc:dd:ee:ff", []),  # the tail of seven bytes
        ("fe80::11:22:33:44:55:66", []),  # the tail of an IPv6 address
        ("12-34-56-78-90-12", []),
        ("2024-01-15", []),
        ("10:30:00", []),
        ("product ABCD-1234-EF", []),
    ],
)
def test_mac_address_table(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
    if expected:
        assert prefilter_hits(text)


def test_context_raises_score() -> None:
    bare = REC.analyze("00:1a:2b:3c:4d:5e", [REC.ENTITY], None)[0].score
    boosted = REC.analyze("MAC 00:1a:2b:3c:4d:5e", [REC.ENTITY], None)[0].score
    assert bare < boosted


@given(st.binary(min_size=6, max_size=6), st.sampled_from([":", "-"]), st.booleans())
def test_every_mac_is_found(raw: bytes, separator: str, upper: bool) -> None:
    mac = separator.join(f"{b:02x}" for b in raw)
    mac = mac.upper() if upper else mac
    text = f"端末{mac}から"
    if separator == "-" and mac.replace("-", "").isdigit():
        assert spans(text) == []  # documented: all-decimal hyphen groups are codes
    else:
        assert spans(text) == [mac]
        assert prefilter_hits(text)
