"""mask_value: the layout of a value may show, its content may not (issue 12: a password of symbols)."""

from __future__ import annotations

import pytest

from pipeline.masking import mask_value


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("090-1234-5678", "09*-****-****"),  # phone: hyphens kept, 2 of 11 digits shown
        ("taro.yamada@example.jp", "tar*.******@*******.**"),
        ("山田 太郎", "山* **"),
        ("!@#$%^&*()", "**********"),  # a password of symbols is hidden whole
        ("-@-.-", "*****"),  # too few letters or digits: the layout itself is the value
        ("p@ss!w0rd#", "p@********"),  # '!' and '#' are content, hidden like letters
    ],
)
def test_mask_hides_content_and_keeps_only_layout(raw: str, masked: str) -> None:
    assert mask_value(raw) == masked


@pytest.mark.parametrize("raw", ["!@#$%^&*()", "p@ss!w0rd#", "Tr0ub4dor&3!!", "«secret»€€€", "a-b-c-d"])
def test_no_symbol_outside_the_layout_separators_survives(raw: str) -> None:
    masked = mask_value(raw)
    assert len(masked) == len(raw)
    for original, shown in zip(raw, masked, strict=True):
        if shown != "*":
            assert original.isalnum() or original in "@.-", (raw, masked)
    assert sum(ch != "*" and ch.isalnum() for ch in masked) <= 3


def test_long_values_are_clipped() -> None:
    masked = mask_value("a" * 100)
    assert masked.endswith("…") and len(masked) == 41
