"""JP_HEALTH_INSURANCE: health-insurance numbers (保険者番号, 記号・番号, 被保険者番号).

- 保険者番号, 8 digits: 法別番号 (2) + 都道府県番号 (2) + 保険者別番号 (3) + 検証番号 (1, Luhn).
  Only 法別番号 used by insurers are accepted, which also rules out dates (19xx…, 20xx…).
- 国民健康保険 保険者番号, 6 digits: 都道府県 (2) + 保険者 (3) + Luhn. Six digits are everywhere,
  so these count only beside insurance context.
- 記号・番号 (+ 枝番): free-form, so only with insurance context or an explicit 枝番; the same
  words label Japan Post Bank accounts (記号 10530 番号 12345671).
- 被保険者番号 (後期高齢者医療, 介護保険): 8-10 digits right after the label.

A Luhn pass is not given 1.0 on its own: 1 random 8-digit string in ~130 passes structure and
Luhn, and the insurer number names an insurer rather than a person.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer, digits_only
from recognizers.checksums import is_valid_luhn
from recognizers.entities import EntityId

# 法別番号 of insurers: 協会けんぽ 01, 船員 02, 日雇 03/04, 組合健保 06, 自衛官等 07, 共済 31-34,
# 後期高齢者 39, 特例退職 63, 退職者医療 67, 特定共済 72-75.
_LAW_CODES = r"(?:0[1-467]|3[1-49]|6[37]|7[2-5])"
_PREFECTURE = r"(?:0[1-9]|[1-3][0-9]|4[0-7])"
# Not inside a longer code: no letter or digit, nor one joined by '-', on either side, so the
# digit groups of a UUID or hex key (22443800-92E5-…, …-D72070253D59) are never insurer numbers.
_START = r"(?<![0-9A-Za-z])(?<![0-9A-Za-z]-)"
_END = r"(?![0-9A-Za-z])(?!-[0-9A-Za-z])"

_INSURER_8 = _START + _LAW_CODES + _PREFECTURE + r"[0-9]{4}" + _END
_NATIONAL_6 = _START + _PREFECTURE + r"[0-9]{4}" + _END
_SEP = r"[\s:・/,、]*"
_SYMBOL_NUMBER = (
    r"記号" + _SEP + r"[0-9A-Za-z\p{Katakana}\p{Han}ー-]{1,12}?" + _SEP + r"番号" + _SEP + r"[0-9]{1,10}"
    r"(?:" + _SEP + r"[(（]?枝番[)）]?" + _SEP + r"[0-9]{2})?" + _END
)
_SYMBOL_NUMBER_COMBINED = (
    r"記号[・/]番号" + _SEP + r"[0-9A-Za-z\p{Katakana}\p{Han}ー]{1,12}[\s・/-]+[0-9]{1,10}"
    r"(?:[\s・/-]+[0-9]{2})?" + _END
)
_INSURED_NUMBER = r"(?<=(?<!雇用保険)被保険者番号[\s:は]{0,3})[0-9]{8,10}" + _END

# Names of patterns that are dropped unless insurance context stands nearby.
_NEEDS_CONTEXT = frozenset({"national_insurer_6", "symbol_number", "symbol_number_combined"})
_LUHN_CHECKED = frozenset({"insurer_8", "national_insurer_6"})


class JpHealthInsuranceRecognizer(JapanesePatternRecognizer):
    """保険者番号 (Luhn), 記号・番号・枝番 and 被保険者番号."""

    ENTITY: ClassVar[EntityId] = "JP_HEALTH_INSURANCE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("insurer_8", _INSURER_8, 0.6),
        Pattern("national_insurer_6", _NATIONAL_6, 0.3),
        Pattern("symbol_number", _SYMBOL_NUMBER, 0.4),
        Pattern("symbol_number_combined", _SYMBOL_NUMBER_COMBINED, 0.4),
        Pattern("insured_number", _INSURED_NUMBER, 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "保険証",
        "被保険者",
        "保険者番号",
        "健康保険",
        "健保",
        "国保",
        "国民健康保険",
        "資格確認書",
        "後期高齢者",
        "介護保険",
        "共済組合",
        "協会けんぽ",
        "枝番",
        "health insurance",
        "insurer",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]{6}|記号"

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept: list[RecognizerResult] = []
        for result in results:
            explanation = result.analysis_explanation
            pattern_name = explanation.pattern_name if explanation is not None else ""
            matched = text[result.start : result.end]
            if pattern_name in _LUHN_CHECKED and not is_valid_luhn(digits_only(matched)):
                continue
            context = self.has_context(text, result.start, result.end) or "枝番" in matched
            if pattern_name in _NEEDS_CONTEXT and not context:
                continue
            if context:
                result.score = min(1.0, result.score + self.CONTEXT_BOOST)
            kept.append(result)
        return kept
