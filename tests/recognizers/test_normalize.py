"""recognizers.normalize: NFKC per character with offsets back to the source, dashes between digits → '-'.

Text already in NFKC takes a shortcut (no per-character loop); it must give what the loop gives."""

from __future__ import annotations

import random
import unicodedata

import pytest

from recognizers import normalize as normalize_module
from recognizers.normalize import normalize, normalize_with_offsets


def by_the_loop(text: str, monkeypatch: pytest.MonkeyPatch) -> normalize_module.NormalizedText:
    with monkeypatch.context() as patch:
        patch.setattr(normalize_module.unicodedata, "is_normalized", lambda form, value: False)
        return normalize_with_offsets(text)


@pytest.mark.parametrize(
    ("text", "expected", "offsets"),
    [
        ("０９０ー１２３４ー５６７８", "090-1234-5678", tuple(range(13))),
        ("090ー1234ー5678", "090-1234-5678", tuple(range(13))),  # NFKC already: only the dashes change
        ("ユーザー", "ユーザー", (0, 1, 2, 3)),  # a long-vowel mark between kana stays
        ("ｶﾞｽ", "ガス", (0, 2)),  # half-width kana and its voiced mark become one character
        ("㍻3年", "平成3年", (0, 0, 1, 2)),
        ("山田　太郎", "山田 太郎", (0, 1, 2, 3, 4)),
        ("e\u0301", "e\u0301", (0, 1)),  # per character, a lone combining mark is left as it is
    ],
)
def test_normalised_text_and_offsets(text: str, expected: str, offsets: tuple[int, ...]) -> None:
    result = normalize_with_offsets(text)
    assert result.text == expected and result.offsets == offsets
    assert normalize(text) == expected


def test_the_nfkc_shortcut_gives_what_the_loop_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random strings over ASCII, kana, kanji, combining marks, Hangul jamo, full-width forms and dashes:
    half of them are NFKC already and take the shortcut; every one matches the loop."""
    pools = [range(0x20, 0x7F), range(0x3040, 0x3100), range(0x4E00, 0x4E80), range(0x300, 0x370),
             range(0xFF01, 0xFFA0), range(0x2010, 0x2016), range(0x1100, 0x1200), range(0xAC00, 0xAC40)]
    rng = random.Random(0)
    shortcut = 0
    for _ in range(20_000):
        text = "".join(chr(rng.choice(rng.choice(pools))) for _ in range(rng.randint(0, 12)))
        shortcut += unicodedata.is_normalized("NFKC", text)
        assert normalize_with_offsets(text) == by_the_loop(text, monkeypatch), repr(text)
    assert shortcut > 5000
