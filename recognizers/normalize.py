"""Width and dash normalisation that keeps a map back to the original offsets.

NFKC folds full-width ASCII, half-width kana and ligatures such as ㍻, but leaves the
dash family (‐ ‒ – — ― − ー) alone; between digits those are separators, so they become
ASCII '-'. Elsewhere (katakana words such as メール) the long-vowel mark must stay.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Characters that act as a hyphen between digits in Japanese documents.
DASH_CHARS = frozenset("‐‑‒–—―−ー－ｰ─━")


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text and, for each of its characters, the offset of the source character."""

    text: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back onto the original text."""
        if start >= len(self.offsets):
            last = self.offsets[-1] + 1 if self.offsets else 0
            return last, last
        orig_start = self.offsets[start]
        orig_end = self.offsets[end - 1] + 1 if end > start else orig_start
        return orig_start, orig_end


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


# A dash-like character between two digits: the one change NFKC-normal text can still get.
_DASH_BETWEEN_DIGITS_SEARCH = re.compile("[0-9][" + "".join(sorted(DASH_CHARS)) + "][0-9]")


def normalize_with_offsets(text: str) -> NormalizedText:
    """NFKC per character (so offsets survive), then dashes between digits become '-'."""
    # Text already in NFKC (most cells: kanji, kana, ASCII) is its own normal form character by character
    # (a character that NFKC would change alone cannot stand in NFKC text), so only the dashes can change;
    # both checks run in C, where the loop below costs Python work per character.
    if unicodedata.is_normalized("NFKC", text) and not _DASH_BETWEEN_DIGITS_SEARCH.search(text):
        return NormalizedText(text, tuple(range(len(text))))
    chars: list[str] = []
    offsets: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        # Half-width kana followed by a (semi-)voiced mark compose into one character.
        if i + 1 < n and text[i + 1] in "\uff9e\uff9f":
            folded = unicodedata.normalize("NFKC", text[i : i + 2])
            if len(folded) == 1:
                chars.append(folded)
                offsets.append(i)
                i += 2
                continue
        folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
        for out in folded:
            chars.append(out)
            offsets.append(i)
        i += 1
    for j in range(1, len(chars) - 1):
        if chars[j] in DASH_CHARS and _is_digit(chars[j - 1]) and _is_digit(chars[j + 1]):
            chars[j] = "-"
    return NormalizedText("".join(chars), tuple(offsets))


def normalize(text: str) -> str:
    """The normalised text alone (see :func:`normalize_with_offsets`)."""
    if text.isascii():
        return text
    return normalize_with_offsets(text).text


# Dash-like characters between digits, for the vectorised form below (RE2 syntax).
_DASHES_BETWEEN_DIGITS = r"([0-9])[‐‑‒–—―−ー－ｰ─━]([0-9])"


def normalize_array(values: pa.Array) -> pa.Array:
    """The vectorised twin of :func:`normalize` that column scans run before a recognizer's PREFILTER.

    NFKC, then dash variants between digits → '-' (twice, for runs such as 1ー2ー3).
    """
    # ASCII values are their own normal form (NFKC keeps ASCII, the dashes are not ASCII): only the
    # others are normalised, so columns of numbers, codes and e-mail addresses cost one cheap pass.
    is_ascii = np.asarray(pc.string_is_ascii(values).fill_null(True).to_numpy(zero_copy_only=False), dtype=bool)
    if is_ascii.all():
        return values
    if is_ascii.mean() < 0.5:
        return _normalize_all(values)
    others = np.flatnonzero(~is_ascii)
    return pc.replace_with_mask(values, pa.array(~is_ascii), _normalize_all(values.take(pa.array(others))))


def _normalize_all(values: pa.Array) -> pa.Array:
    out = pc.utf8_normalize(values, "NFKC")
    for _ in range(2):
        out = pc.replace_substring_regex(out, _DASHES_BETWEEN_DIGITS, r"\1-\2")
    return out


def prefilter_accepts(prefilter: str, text: str) -> bool:
    """Whether a column scan would hand ``text`` to a recognizer with this PREFILTER."""
    return bool(pc.match_substring_regex(normalize_array(pa.array([text], pa.string())), prefilter)[0].as_py())
