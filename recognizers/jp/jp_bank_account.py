"""JP_BANK_ACCOUNT: Japanese bank and Japan Post Bank account numbers.

- Banks: 金融機関コード (4) + 支店コード (3) + 種別 (普通/当座/貯蓄) + 口座番号 (7) in one text.
  The account number after a 種別 word alone also counts (``普通 1234567``).
- Japan Post Bank (ゆうちょ): 記号 (5 digits, 1xxx0) + 番号 (up to 8 digits, ending in 1),
  written ``10530-12345671``, ``10530 12345671`` or ``記号10530 番号12345671``; the 8-digit 番号
  alone counts where ゆうちょ (or its 記号番号) is named.
- Seven bare digits are postal codes, amounts and IDs as often as account numbers, so they count
  only next to account words (口座, 預金).
No check digit is public for either.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

_START = r"(?<![0-9])(?<![0-9]-)"
_END = r"(?![0-9])(?!-[0-9])"
_TYPE = r"(?:普通|当座|貯蓄)(?:預金)?"
_GAP = r"[^0-9]{0,16}?"

_FULL = (
    _START
    + r"[0-9]{4}"
    + _GAP
    + r"(?<![0-9])[0-9]{3}(?![0-9])"
    + _GAP
    + _TYPE
    + r"[^0-9]{0,10}?[0-9]{7}"
    + _END
)
# Span only the account number; the 種別 word before it is evidence, not data.
_TYPE_AND_NUMBER = (
    r"(?<=" + _TYPE + r"(?:口座)?[\s:・/]{0,3}(?:口座番号)?[\s:・/は]{0,3})" + _START + r"[0-9]{7}" + _END
)
_YUCHO_HYPHEN = _START + r"1[0-9]{3}0-[0-9]{0,7}1" + _END
# 記号 and 番号 separated by a space: the 番号 written in full (6-8 digits), not any number after a space.
_YUCHO_SPACED = r"(?<![0-9])(?<![0-9][- ])1[0-9]{3}0 [0-9]{5,7}1(?![0-9])(?![- ][0-9])"
_YUCHO_WORDS = r"記号[\s:]{0,3}1[0-9]{3}0[\s、,・/]{0,3}番号[\s:]{0,3}[0-9]{0,7}1" + _END
_BARE = _START + r"[0-9]{7}" + _END
_BARE_PATTERN_NAME = "account_number_bare"
# ゆうちょ 番号 alone: 8 digits ending in 1, counted only where ゆうちょ is named.
_YUCHO_NUMBER = _START + r"[0-9]{7}1" + _END
_YUCHO_NUMBER_PATTERN_NAME = "yucho_number_bare"

# Words that must stand next to a bare 7-digit number for it to count.
ACCOUNT_WORDS = ("口座", "預金", "account no", "account number", "acct")
# ... and next to a bare 8-digit ゆうちょ 番号: the bank's name (ﾕｳﾁﾖ in 全銀 files folds to ユウチヨ)
# or the 記号番号 it alone uses.
YUCHO_WORDS = ("ゆうちょ", "ユウチヨ", "ユウチョ", "郵便貯金", "通常貯金", "記号番号", "yucho", "japan post bank")
# Pattern name → the words one of which must stand near its matches.
REQUIRED_WORDS = {_BARE_PATTERN_NAME: ACCOUNT_WORDS, _YUCHO_NUMBER_PATTERN_NAME: YUCHO_WORDS}


class JpBankAccountRecognizer(JapanesePatternRecognizer):
    """口座番号 with bank/branch codes or 種別, ゆうちょ 記号-番号, or bare beside 口座."""

    ENTITY: ClassVar[EntityId] = "JP_BANK_ACCOUNT"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("bank_branch_type_number", _FULL, 0.85),
        Pattern("type_and_number", _TYPE_AND_NUMBER, 0.6),
        Pattern("yucho_hyphen", _YUCHO_HYPHEN, 0.5),
        Pattern("yucho_spaced", _YUCHO_SPACED, 0.5),
        Pattern("yucho_words", _YUCHO_WORDS, 0.6),
        Pattern(_BARE_PATTERN_NAME, _BARE, 0.3),
        Pattern(_YUCHO_NUMBER_PATTERN_NAME, _YUCHO_NUMBER, 0.3),
    )
    # 普通/当座/貯蓄(預金) are left out: the patterns that use them already score for them.
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "口座",
        "支店",
        "店番",
        "振込",
        "振替",
        "ゆうちょ",
        "記号番号",
        "名義",
        "銀行",
        "金融機関",
        "bank",
        "account",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]{7}|1[0-9]{3}0"

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept: list[RecognizerResult] = []
        for result in results:
            explanation = result.analysis_explanation
            required = REQUIRED_WORDS.get(explanation.pattern_name) if explanation is not None else None
            if required is not None:
                window = text[max(0, result.start - self.CONTEXT_WINDOW) : result.end + self.CONTEXT_WINDOW]
                context = any(word in window.lower() for word in required)
                if not context:
                    continue
            else:
                context = self.has_context(text, result.start, result.end)
            if context:
                result.score = min(1.0, result.score + self.CONTEXT_BOOST)
            kept.append(result)
        return kept
