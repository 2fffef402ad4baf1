"""Base classes shared by piiscan's recognizers.

Every recognizer is an ordinary Presidio recognizer, so it can be registered in any
``AnalyzerEngine``. On top of Presidio it adds:

- normalisation before matching (NFKC, dashes between digits), with results mapped back to
  the caller's offsets, so ``０９０ー１２３４ー５６７８`` and ``090-1234-5678`` are one thing;
- ``PREFILTER``: an RE2-compatible regex that every match contains. The column scanner runs it
  vectorised (pyarrow) over all values and calls ``analyze`` only on the candidates;
- case-sensitive matching by default (Presidio ignores case, which makes ``[A-Z]{2}`` match
  ordinary words).
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers.normalize import normalize_with_offsets

# Boundaries that work next to kana and kanji, where Python's \b finds none (Presidio PR #2073).
NOT_DIGIT_BEFORE = r"(?<![0-9])"
NOT_DIGIT_AFTER = r"(?![0-9])"
NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

DEFAULT_FLAGS = re.DOTALL | re.MULTILINE


def digits_only(text: str) -> str:
    """The ASCII digits of ``text`` (separators dropped)."""
    return "".join(ch for ch in text if "0" <= ch <= "9")


class JapanesePatternRecognizer(PatternRecognizer):
    """A Presidio ``PatternRecognizer`` that normalises its input and exposes a prefilter.

    Subclasses set ``ENTITY``, ``PATTERNS``, ``CONTEXT`` and ``PREFILTER`` and, where a check
    digit or a structural rule exists, override ``validate_result`` (True promotes the match to
    score 1.0, False drops it, None keeps the pattern's score).
    """

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[Pattern, ...]] = ()
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    PREFILTER: ClassVar[str | None] = None
    # Added to a match's score when a CONTEXT word stands within CONTEXT_WINDOW characters of it
    # in the same text (Presidio's own enhancer needs NLP artefacts; column scans run without them).
    CONTEXT_BOOST: ClassVar[float] = 0.35
    CONTEXT_WINDOW: ClassVar[int] = 24

    def __init__(self, supported_language: str = "ja") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=supported_language,
            patterns=[Pattern(p.name, p.regex, p.score) for p in self.PATTERNS],
            context=list(self.CONTEXT),
            global_regex_flags=DEFAULT_FLAGS,
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        if text.isascii():
            return self._boost_by_context(text, list(super().analyze(text, entities, nlp_artifacts, regex_flags)))
        norm = normalize_with_offsets(text)
        results = self._boost_by_context(
            norm.text, list(super().analyze(norm.text, entities, nlp_artifacts, regex_flags))
        )
        for result in results:
            result.start, result.end = norm.to_original(result.start, result.end)
        return results

    def has_context(self, text: str, start: int, end: int) -> bool:
        """True when one of CONTEXT stands near ``text[start:end]`` (case-insensitive)."""
        window = text[max(0, start - self.CONTEXT_WINDOW) : start] + " " + text[end : end + self.CONTEXT_WINDOW]
        lowered = window.lower()
        return any(word.lower() in lowered for word in self.CONTEXT)

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        if not self.CONTEXT or self.CONTEXT_BOOST <= 0:
            return results
        for result in results:
            if result.score < 1.0 and self.has_context(text, result.start, result.end):
                result.score = min(1.0, result.score + self.CONTEXT_BOOST)
        return results
