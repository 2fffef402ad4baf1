"""AGE: ages written with a unit or a label (0–120).

``45歳``, ``45才``, ``満45歳``, ``20代``, ``三十代``, ``年齢：45``, ``age 45``, ``45 years old``.
A bare integer is not an age here: an 年齢/age column is recognised by its name.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

_AGE = r"(?:120|1[01][0-9]|[1-9]?[0-9])"
_BEFORE = r"(?<![0-9.,])"
# Spacing between a number, its unit and its label: bounded, because an unbounded \s* beside another
# (or inside a lookbehind, tried at every position) backtracks quadratically on long runs of spaces.
_GAP = r"\s{0,3}"
# 歳 also begins 歳出/歳入 (fiscal expenditure/revenue) and 歳末/歳暮 (year end).
_SAI = r"(?:歳(?![出入末暮費計])|才)"
_KANJI_DIGIT = "一二三四五六七八九"
_KANJI_AGE = (
    rf"(?:百(?:[{_KANJI_DIGIT}]?十)?[{_KANJI_DIGIT}]?|[{_KANJI_DIGIT}]?十[{_KANJI_DIGIT}]?|[{_KANJI_DIGIT}])"
)


class AgeRecognizer(JapanesePatternRecognizer):
    """Ages with 歳/才/代 or an age label, in Japanese and English."""

    ENTITY: ClassVar[EntityId] = "AGE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("age_sai", rf"(?:満{_GAP})?{_BEFORE}{_AGE}{_GAP}{_SAI}", 0.7),
        # 二十歳, 百歳; not 万歳 (banzai) or 千歳 (a place name): 万 and 千 are not age numerals.
        Pattern("age_kanji_sai", rf"(?<![{_KANJI_DIGIT}十百千万億]){_KANJI_AGE}歳(?![出入末暮費計])", 0.6),
        # 20代 / 20代前半; not 10代目 (tenth generation), 代金, 代表, 代理, 年代 (no digit directly before).
        Pattern("age_decade", rf"{_BEFORE}[1-9]0{_GAP}代(?![目金表理替行償引謝用])", 0.6),
        Pattern(
            "age_kanji_decade",
            rf"(?<![{_KANJI_DIGIT}十百])[二三四五六七八九]?十代(?![目金表理替行償引謝用])",
            0.55,
        ),
        Pattern("age_labelled_ja", rf"(?<=年齢{_GAP}(?:は|[:=])?{_GAP}){_AGE}(?![0-9.])", 0.6),
        Pattern("age_labelled_en", rf"(?<=(?<![A-Za-z])(?i:age|aged){_GAP}[:=]?{_GAP}){_AGE}(?![0-9.])", 0.5),
        Pattern(
            "age_years_old",
            rf"{_BEFORE}{_AGE}[\s\-]{{0,3}}(?i:years?[\s\-]old|yrs?[\s\-]old|y/o|yo)(?![A-Za-z])",
            0.7,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("年齢", "年代", "満", "age")
    PREFILTER: ClassVar[str | None] = (
        r"[0-9]\s*(?:歳|才|代)|歳|十代|年齢|(?i:age|years?[\s\-]old|yrs?[\s\-]old|y/o|[0-9][\s\-]*yo)"
    )
