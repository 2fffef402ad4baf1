"""DATE_OF_BIRTH: a date (any form :mod:`recognizers.jp.jp_date` accepts) in a text that speaks of a
birth (生年月日, 生まれ, 誕生日, DOB, born, birth). Without such words a date is only a DATE.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers.entities import EntityId
from recognizers.era import parse_date_parts
from recognizers.jp.jp_date import JpDateRecognizer
from recognizers.normalize import normalize

BIRTH_WORDS: tuple[str, ...] = (
    "生年月日", "生まれ", "生れ", "誕生日", "誕生", "出生", "生年",
    "dob", "d.o.b", "born", "birth",
)

BIRTH_SCORE = 0.9


class JpDateOfBirthRecognizer(JpDateRecognizer):
    """Dates in the same text as a birth word, scored high; dates in the future are dropped."""

    ENTITY: ClassVar[EntityId] = "DATE_OF_BIRTH"
    CONTEXT: ClassVar[tuple[str, ...]] = BIRTH_WORDS
    # Without a birth word in the text nothing is returned, so the birth words are the prefilter.
    PREFILTER: ClassVar[str | None] = r"生年月日|生まれ|生れ|誕生|出生|生年|(?i:dob|d\.o\.b|born|birth)"

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        lowered = normalize(text).lower()
        if not any(word in lowered for word in BIRTH_WORDS):
            return []
        today = dt.date.today()
        births = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            parts = parse_date_parts(text[result.start : result.end])
            if parts is None or parts.year > today.year:
                continue
            full = parts.to_date()
            if full is not None and full > today:
                continue
            result.score = max(result.score, BIRTH_SCORE)
            births.append(result)
        return births
