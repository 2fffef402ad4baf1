"""GENDER: gender values and gender words about a person.

Whole values (a cell that is just 男, 女性, M, female …) and labelled values (性別：男) are
strong. In running text only 男性/女性 and English male/female count, and not where they
describe a product or a policy (女性用, 女性誌, 男性向け, 女性ホルモン, 女性活躍推進).
"その他"/"不明"/"回答しない" are not matched: alone they say nothing about gender, and the column
name (性別) decides for such columns.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

# Words after 男性/女性 that make it describe a thing or a policy rather than a person.
_NOT_PERSON_AFTER = (
    "用|向け|向|誌|専用|限定|的|ホルモン|活躍|名詞|器|型|服|物|下着|化粧品|更年期|特有|ファッション|"
    "ブランド|車両|優先|ならでは|らしさ|登用|比率|割合"
)
_WHOLE = r"(?<=\A\s*)(?:{})(?=\s*\Z)"


class GenderRecognizer(JapanesePatternRecognizer):
    """Gender as a whole value, after a label, or as 男性/女性 (male/female) in text."""

    ENTITY: ClassVar[EntityId] = "GENDER"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("whole_ja_long", _WHOLE.format("男性|女性|(?i:male|female)"), 0.85),
        Pattern("whole_ja_short", _WHOLE.format("男|女|男子|女子|♂|♀|おとこ|おんな|(?i:man|woman)"), 0.6),
        # M/F alone is also a clothing size or a grade; the column name must confirm it.
        Pattern("whole_letter", _WHOLE.format("[MFmf]"), 0.35),
        Pattern(
            "labelled",
            r"(?<=(?:性別|(?<![A-Za-z])(?i:gender|sex))\s*(?:は|[:=])?\s*)(?:男性|女性|男|女|(?i:male|female)|[MFmf](?![A-Za-z]))",
            0.85,
        ),
        Pattern("in_text_ja", rf"(?:男性|女性)(?!{_NOT_PERSON_AFTER})", 0.5),
        Pattern("in_text_en", r"(?<![A-Za-z])(?i:male|female)(?![A-Za-z])", 0.35),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("性別", "gender", "sex", "歳", "才", "代")
    # 性別 for the labelled letters (性別: M), which the other alternatives do not cover.
    PREFILTER: ClassVar[str | None] = r"男|女|♂|♀|おとこ|おんな|性別|(?i:male|man|gender|sex)|\A\s*[MFmf]\s*\z"
