"""Base classes shared by piiscan's recognizers.

Every recognizer is an ordinary Presidio recognizer, so it can be registered in any
``AnalyzerEngine``. On top of Presidio it adds:

- normalisation before matching (NFKC, dashes between digits), with results mapped back to
  the caller's offsets, so ``０９０ー１２３４ー５６７８`` and ``090-1234-5678`` are one thing;
- ``PREFILTER``: an RE2-compatible regex that every match contains. The column scanner runs it
  vectorised (pyarrow) over all values and calls ``analyze`` only on the candidates;
- case-sensitive matching by default (Presidio ignores case, which makes ``[A-Z]{2}`` match
  ordinary words);
- bounded matching: every pattern runs under a per-value time budget (the ``regex`` module's
  ``timeout=``). A value whose matching runs out of budget yields no match and counts in
  ``regex_timeouts``, so an adversarial cell can slow a scan down but never hang it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import ClassVar

import regex as re
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers.entities import EntityId
from recognizers.normalize import normalize_with_offsets

# Boundaries that work next to kana and kanji, where Python's \b finds none (Presidio PR #2073).
NOT_DIGIT_BEFORE = r"(?<![0-9])"
NOT_DIGIT_AFTER = r"(?![0-9])"
NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

DEFAULT_FLAGS = re.DOTALL | re.MULTILINE

# Per value and recognizer, a second line of defence behind linear-time patterns (tests/recognizers/
# test_adversarial_regex.py). Ordinary cells match in microseconds; Presidio's own default is 60 s, which
# lets one crafted cell stall a worker for a minute per pattern. The budget is wall-clock time, so it
# leaves room for a process that the operating system parks on a busy machine (1 s was seen to run out
# on a 53-character e-mail at load 12 on two cores).
REGEX_TIMEOUT_SECONDS = 3.0

log = logging.getLogger(__name__)


class RegexBudgetExceeded(Exception):
    """Matching one value ran out of its time budget (internal: callers see "no match")."""


def bounded_finditer(pattern: re.Pattern[str], text: str, deadline: float) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` that raises RegexBudgetExceeded once ``time.monotonic()`` passes ``deadline``.

    The ``regex`` module's timeout applies to each step of an iterator, so the deadline is also checked
    between matches; the whole iteration is bounded by about twice the budget.
    """
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise RegexBudgetExceeded
    try:
        for match in pattern.finditer(text, timeout=remaining):
            yield match
            if time.monotonic() > deadline:
                raise RegexBudgetExceeded
    except TimeoutError:
        raise RegexBudgetExceeded from None


def digits_only(text: str) -> str:
    """The ASCII digits of ``text`` (separators dropped)."""
    return "".join(ch for ch in text if "0" <= ch <= "9")


class JapanesePatternRecognizer(PatternRecognizer):
    """A Presidio ``PatternRecognizer`` that normalises its input and exposes a prefilter.

    Subclasses set ``ENTITY``, ``PATTERNS``, ``CONTEXT`` and ``PREFILTER`` and, where a check
    digit or a structural rule exists, override ``validate_result`` (True promotes the match to
    score 1.0, False drops it, None keeps the pattern's score).
    """

    ENTITY: ClassVar[EntityId]
    PATTERNS: ClassVar[tuple[Pattern, ...]] = ()
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    PREFILTER: ClassVar[str | None] = None
    # Added to a match's score when a CONTEXT word stands within CONTEXT_WINDOW characters of it
    # in the same text (Presidio's own enhancer needs NLP artefacts; column scans run without them).
    CONTEXT_BOOST: ClassVar[float] = 0.35
    CONTEXT_WINDOW: ClassVar[int] = 24
    # Names of PATTERNS whose matches count only with a CONTEXT word near (7 or 8 bare digits, say).
    CONTEXT_REQUIRED_PATTERNS: ClassVar[frozenset[str]] = frozenset()
    REGEX_TIMEOUT_SECONDS: ClassVar[float] = REGEX_TIMEOUT_SECONDS
    # Set by Presidio's untyped __init__; declared so the bounded loop below type-checks.
    name: str
    patterns: list[Pattern]
    global_regex_flags: int | None

    def __init__(self, supported_language: str = "ja") -> None:
        # Values given up on because matching exceeded REGEX_TIMEOUT_SECONDS (read by the scanner).
        self.regex_timeouts = 0
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
            return self._require_context(text, self._boost_by_context(text, self._analyze_patterns(text, regex_flags)))
        norm = normalize_with_offsets(text)
        results = self._require_context(
            norm.text, self._boost_by_context(norm.text, self._analyze_patterns(norm.text, regex_flags))
        )
        for result in results:
            result.start, result.end = norm.to_original(result.start, result.end)
        return results

    def _analyze_patterns(self, text: str, regex_flags: int | None) -> list[RecognizerResult]:
        """Presidio's pattern loop (same scores, validation and explanations) under one time budget per value."""
        flags = int(regex_flags or self.global_regex_flags or DEFAULT_FLAGS)
        deadline = time.monotonic() + self.REGEX_TIMEOUT_SECONDS
        results: list[RecognizerResult] = []
        try:
            for pattern in self.patterns:
                if not pattern.compiled_regex or pattern.compiled_with_flags != flags:
                    pattern.compiled_with_flags = flags  # type: ignore[assignment]  # Presidio annotates it None
                    pattern.compiled_regex = re.compile(pattern.regex, flags=flags)
                for match in bounded_finditer(pattern.compiled_regex, text, deadline):
                    result = self._pattern_result(pattern, flags, text, match.start(), match.end())
                    if result is not None:
                        results.append(result)
        except RegexBudgetExceeded:
            self.regex_timeouts += 1
            # Never the value itself: only which recognizer and how long the value was.
            log.warning("%s: matching a %d-character value timed out; counted as no match", self.name, len(text))
            return []
        if len(results) < 2:  # nothing to remove (_pattern_result drops zero scores): most values skip the sort
            return results
        return list(EntityRecognizer.remove_duplicates(results))

    def _pattern_result(self, pattern: Pattern, flags: int, text: str, start: int, end: int) -> RecognizerResult | None:
        matched = text[start:end]
        if matched == "":
            return None
        validation = self.validate_result(matched)
        description = self.build_regex_explanation(
            self.name, pattern.name, pattern.regex, pattern.score, validation, flags  # type: ignore[arg-type]  # Presidio types it bool
        )
        result = RecognizerResult(
            entity_type=self.supported_entities[0],
            start=start,
            end=end,
            score=pattern.score,
            analysis_explanation=description,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
        if validation is not None:
            result.score = EntityRecognizer.MAX_SCORE if validation else EntityRecognizer.MIN_SCORE
        if self.invalidate_result(matched):
            result.score = EntityRecognizer.MIN_SCORE
        description.score = result.score
        return result if result.score > EntityRecognizer.MIN_SCORE else None

    def has_context(self, text: str, start: int, end: int) -> bool:
        """True when one of CONTEXT stands near ``text[start:end]`` (case-insensitive)."""
        window = text[max(0, start - self.CONTEXT_WINDOW) : start] + " " + text[end : end + self.CONTEXT_WINDOW]
        lowered = window.lower()
        return any(word.lower() in lowered for word in self.CONTEXT)

    def _require_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Drop matches of CONTEXT_REQUIRED_PATTERNS (shapes any number has) that have no context word near."""
        if not self.CONTEXT_REQUIRED_PATTERNS:
            return results
        return [
            r
            for r in results
            if r.analysis_explanation is None
            or r.analysis_explanation.pattern_name not in self.CONTEXT_REQUIRED_PATTERNS
            or self.has_context(text, r.start, r.end)
        ]

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        if not self.CONTEXT or self.CONTEXT_BOOST <= 0:
            return results
        for result in results:
            if result.score < 1.0 and self.has_context(text, result.start, result.end):
                result.score = min(1.0, result.score + self.CONTEXT_BOOST)
        return results
