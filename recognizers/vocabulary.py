"""A recognizer driven by a hand-written word list (``recognizers/vocab/<file>.txt``).

Word-list format, one entry a line::

    # comment
    糖尿病
    がん ; !がんば !がんこ !ひがん        <- drop a match that lies inside one of these words
    アレルギー ; @0.3                     <- this entry's own score
    blood pressure                        <- ASCII: whole tokens, case-insensitive, any whitespace
    HIV                                   <- short all-capital acronyms stay case-sensitive

Every entry becomes one alternative of ONE compiled regex, longest entries first, so the most
specific entry wins (``乳がん`` before ``がん``). Boundaries:

- ASCII entries match whole tokens only (``LGBT`` not inside ``LGBTXYZ``); kana and kanji around
  them do not count as token characters, so ``HbA1c値`` still matches;
- all-katakana entries must not touch other katakana (``ガン`` is not inside ``ガンダム``,
  ``スト`` is not inside ``リスト``);
- kanji and hiragana entries have no boundary (Japanese has no spaces); ambiguous ones carry
  exclusions instead.

``PREFILTER`` is the same alternation without lookarounds, so it is RE2-compatible and a superset
of what ``analyze`` can find.

Words alone are weak evidence of a special-care fact about a person. Subclasses add ``PHRASES``:
constructions built around the words of other lists (a check item with its value, ``HbA1c 6.8%``; a
grade with its finding, ``E判定（要治療）``; a practice with a clause-final verb, ``教会に通っています``).
A phrase scores on its own; a ``self_disclosure`` phrase also needs the sentence to be the writer's
own statement (:func:`recognizers.person_reference.states_own_practice`), and a phrase with a
``veto`` is dropped when its sentence holds a veto word. A phrase with a group named ``mention``
reports that group's span (the practice word of a disclosure) instead of the whole match. Every
phrase carries an RE2 ``trigger`` that each of its matches contains, which widens ``PREFILTER``.
Results inside another result that scores at least as high are dropped (``HbA1c`` in ``HbA1c 6.8%``).
"""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers.entities import EntityId
from recognizers.normalize import normalize_with_offsets
from recognizers.person_reference import sentence_around, states_own_practice

_KATAKANA = "ァ-ヺー"
_KATAKANA_WORD = re.compile(f"[{_KATAKANA}]+")
# Acronyms such as HIV, ADHD, LGBT keep their case: "aids" in "hearing aids" is not AIDS.
_ACRONYM = re.compile(r"[A-Z0-9+\-]{2,6}")


@dataclass(frozen=True)
class VocabularyEntry:
    """One word of a list: its text (NFKC), its own score (or None), and words that veto it."""

    word: str
    score: float | None
    exclusions: tuple[str, ...]

    @property
    def is_ascii(self) -> bool:
        return self.word.isascii()

    @property
    def is_katakana(self) -> bool:
        return _KATAKANA_WORD.fullmatch(self.word) is not None

    @property
    def case_sensitive(self) -> bool:
        return self.is_ascii and _ACRONYM.fullmatch(self.word) is not None

    @property
    def key(self) -> str:
        return entry_key(self.word, self.case_sensitive)


def entry_key(text: str, case_sensitive: bool) -> str:
    """Lookup key of a matched text: whitespace collapsed, ASCII case folded unless it matters."""
    collapsed = " ".join(text.split())
    return collapsed if case_sensitive else collapsed.casefold()


def parse_vocabulary(lines: list[str]) -> tuple[VocabularyEntry, ...]:
    """Parse the word-list format described in the module docstring."""
    entries: dict[str, VocabularyEntry] = {}
    for lineno, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        word_part, _, option_part = line.partition(";")
        word = " ".join(unicodedata.normalize("NFKC", word_part).split())
        if not word:
            raise ValueError(f"vocabulary line {lineno}: empty entry")
        score: float | None = None
        exclusions: list[str] = []
        for option in option_part.split():
            if option.startswith("!"):
                exclusion = unicodedata.normalize("NFKC", option[1:])
                if word not in exclusion:
                    raise ValueError(f"vocabulary line {lineno}: exclusion does not contain the entry")
                exclusions.append(exclusion)
            elif option.startswith("@"):
                score = float(option[1:])
                if not 0.0 < score <= 1.0:
                    raise ValueError(f"vocabulary line {lineno}: score out of (0, 1]")
            else:
                raise ValueError(f"vocabulary line {lineno}: unknown option")
        entry = VocabularyEntry(word, score, tuple(exclusions))
        entries[entry.key] = entry
    return tuple(entries.values())


@functools.cache
def load_vocabulary(filename: str) -> tuple[VocabularyEntry, ...]:
    """Entries of ``recognizers/vocab/<filename>`` (packaged data, read once per process)."""
    resource = importlib.resources.files("recognizers").joinpath("vocab", filename)
    return parse_vocabulary(resource.read_text(encoding="utf-8").splitlines())


def _word_regex(entry: VocabularyEntry) -> str:
    parts = [re.escape(token) for token in entry.word.split(" ")]
    return r"\s+".join(parts)


def _alternative(entry: VocabularyEntry, with_boundaries: bool) -> str:
    body = _word_regex(entry)
    if entry.is_ascii and not entry.case_sensitive:
        body = f"(?i:{body})"
    if not with_boundaries:
        return body
    if entry.is_ascii:
        return f"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])"
    if entry.is_katakana:
        return f"(?<![{_KATAKANA}]){body}(?![{_KATAKANA}])"
    return body


def _ordered(entries: tuple[VocabularyEntry, ...]) -> list[VocabularyEntry]:
    # Longest first so that an alternation picks the most specific entry at a position.
    return sorted(entries, key=lambda e: (-len(e.word), e.word))


def vocabulary_prefilter(filename: str) -> str:
    """RE2-compatible alternation of every entry of ``filename`` (no lookarounds)."""
    return "|".join(_alternative(e, with_boundaries=False) for e in _ordered(load_vocabulary(filename)))


def vocabulary_alternation(filename: str, with_boundaries: bool = True) -> str:
    """The words of ``filename`` as one regex group for a phrase (with boundaries) or a trigger (without)."""
    entries = load_vocabulary(filename)
    if with_boundaries:
        return "(?:" + _bounded_alternation(entries) + ")"
    return "(?:" + "|".join(_alternative(e, with_boundaries=False) for e in _ordered(entries)) + ")"


# Score of a self-disclosure phrase: above the scanner's "confident" score (0.9), so that a column in
# which 1 % of rows disclose counts, with room for floating-point sums of many such scores.
DISCLOSURE_SCORE = 0.95


@dataclass(frozen=True)
class Phrase:
    """A construction that states a special-care fact: its regex, an RE2 trigger every match contains,
    its score, and whether the sentence must be the writer's own statement."""

    name: str
    regex: str
    trigger: str
    score: float
    self_disclosure: bool = False
    # Words that, anywhere in the sentence, say the phrase means something else (a product demo).
    veto: str | None = None

    @functools.cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.regex)

    @functools.cached_property
    def compiled_trigger(self) -> re.Pattern[str]:
        return re.compile(self.trigger)

    @functools.cached_property
    def compiled_veto(self) -> re.Pattern[str] | None:
        return re.compile(self.veto) if self.veto else None


def widened_prefilter(prefilter: str, phrases: tuple[Phrase, ...]) -> str:
    """``prefilter`` or any phrase's trigger (still RE2-compatible: triggers have no lookarounds)."""
    return "|".join([prefilter, *(phrase.trigger for phrase in phrases)])


def _bounded_alternation(entries: tuple[VocabularyEntry, ...]) -> str:
    """Every entry with its boundaries, longest first within three groups that share one boundary each.

    Writing the lookbehind once per group instead of once per word is what keeps a long run of letters or
    katakana linear in practice: the group's boundary fails at once inside the run instead of every word
    being tried at every position. Mixed words (kanji, or a letter or katakana followed by kanji) come
    first, so "HbA1c値" still wins over "HbA1c" where both start at the same place.
    """
    ordered = _ordered(entries)
    mixed = [_word_regex(e) for e in ordered if not e.is_ascii and not e.is_katakana]
    ascii_words = [_alternative(e, with_boundaries=False) for e in ordered if e.is_ascii]
    katakana = [_word_regex(e) for e in ordered if e.is_katakana]
    groups = []
    if mixed:
        groups.append("(?:" + "|".join(mixed) + ")")
    if ascii_words:
        groups.append("(?<![A-Za-z0-9])(?:" + "|".join(ascii_words) + ")(?![A-Za-z0-9])")
    if katakana:
        groups.append(f"(?<![{_KATAKANA}])(?:" + "|".join(katakana) + f")(?![{_KATAKANA}])")
    return "|".join(groups)


def vocabulary_regex(entries: tuple[VocabularyEntry, ...]) -> re.Pattern[str]:
    """One compiled alternation, longest entries first, with the boundaries described above."""
    return re.compile(_bounded_alternation(entries))


def _inside_exclusion(text: str, start: int, end: int, entry: VocabularyEntry) -> bool:
    """True when text[start:end] (a match of ``entry``) is part of one of its exclusions."""
    matched = text[start:end]
    for exclusion in entry.exclusions:
        offset = exclusion.find(matched)
        while offset != -1:
            begin = start - offset
            if begin >= 0 and text[begin : begin + len(exclusion)] == exclusion:
                return True
            offset = exclusion.find(matched, offset + 1)
    return False


def _drop_contained(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Drop results that lie inside another that scores at least as high (a word inside its phrase:
    "HbA1c" in "HbA1c 6.8%"); of identical results, keep the first. Only results starting at most the
    longest span before one can cover it, so the check is a window, not all pairs."""
    ordered = sorted(range(len(results)), key=lambda i: (results[i].start, i))
    starts = [results[i].start for i in ordered]
    longest = max((r.end - r.start for r in results), default=0)

    def covers(position: int, other: RecognizerResult, index: int, result: RecognizerResult) -> bool:
        if not (other.start <= result.start and result.end <= other.end and other.score >= result.score):
            return False
        same_span = (other.start, other.end) == (result.start, result.end)
        return other.score > result.score or not same_span or position < index

    kept: list[RecognizerResult] = []
    for index, result in enumerate(results):
        low = bisect.bisect_left(starts, result.start - longest)
        high = bisect.bisect_right(starts, result.start)
        if not any(
            covers(ordered[k], results[ordered[k]], index, result) for k in range(low, high) if ordered[k] != index
        ):
            kept.append(result)
    kept.sort(key=lambda r: (r.start, r.end))
    return kept


class VocabularyRecognizer(EntityRecognizer):
    """Finds the words of one list; subclasses set ENTITY, VOCAB_FILE, PREFILTER and scores.

    Subclasses write ``PREFILTER = vocabulary_prefilter(VOCAB_FILE)``; a subclass may widen it
    (never narrow it) when it adds its own patterns.
    """

    ENTITY: ClassVar[EntityId]
    VOCAB_FILE: ClassVar[str]
    PREFILTER: ClassVar[str | None] = None
    # Constructions scored on their own (see the module docstring); the prefilter must include their triggers.
    PHRASES: ClassVar[tuple[Phrase, ...]] = ()
    # Score of an entry without its own ``@score``.
    SCORE: ClassVar[float] = 0.5
    # Added when the word is the whole (stripped) value: a cell that says just "糖尿病".
    WHOLE_VALUE_BONUS: ClassVar[float] = 0.15
    # Added when one of CONTEXT stands within CONTEXT_WINDOW characters of the match.
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    CONTEXT_BOOST: ClassVar[float] = 0.2
    CONTEXT_WINDOW: ClassVar[int] = 24

    def __init__(self, supported_language: str = "ja") -> None:
        self._entries: dict[str, VocabularyEntry] = {}
        self._regex: re.Pattern[str] | None = None
        super().__init__(
            supported_entities=[self.ENTITY],
            name=type(self).__name__,
            supported_language=supported_language,
            context=list(self.CONTEXT),
        )

    def load(self) -> None:
        entries = load_vocabulary(self.VOCAB_FILE)
        self._entries = {e.key: e for e in entries}
        self._regex = vocabulary_regex(entries)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        if text.isascii():
            return self.find(text)
        norm = normalize_with_offsets(text)
        results = self.find(norm.text)
        for result in results:
            result.start, result.end = norm.to_original(result.start, result.end)
        return results

    def find(self, text: str) -> list[RecognizerResult]:
        """Matches in already-normalised ``text`` (offsets into ``text``)."""
        if self._regex is None:
            self.load()
        assert self._regex is not None
        stripped = text.strip()
        results: list[RecognizerResult] = []
        for match in self._regex.finditer(text):
            start, end = match.span()
            entry = self._lookup(match.group())
            if entry is None or _inside_exclusion(text, start, end, entry):
                continue
            score = entry.score if entry.score is not None else self.SCORE
            if match.group() == stripped:
                score += self.WHOLE_VALUE_BONUS
            if self.has_context(text, start, end):
                score += self.CONTEXT_BOOST
            results.append(self._result(start, end, min(1.0, score)))
        phrases = self.find_phrases(text)
        return _drop_contained(results + phrases)

    def find_phrases(self, text: str) -> list[RecognizerResult]:
        """Matches of PHRASES in already-normalised ``text``; self-disclosures only in own statements."""
        stripped = text.strip()
        results: list[RecognizerResult] = []
        for phrase in self.PHRASES:
            # Every match contains the trigger: without it the phrase's own (slower) scan is skipped.
            if phrase.compiled_trigger.search(text) is None:
                continue
            for match in phrase.compiled.finditer(text):
                start, end = match.span()
                if start == end:
                    continue
                if phrase.self_disclosure and not states_own_practice(text, start, end):
                    continue
                veto = phrase.compiled_veto
                if veto is not None and veto.search(sentence_around(text, start, end)):
                    continue
                score = phrase.score + (self.WHOLE_VALUE_BONUS if match.group() == stripped else 0.0)
                if "mention" in phrase.compiled.groupindex and match.start("mention") >= 0:
                    # A disclosure in a sentence is reported as its practice word, a mention inside free
                    # text, so the column is judged as free text, not as a column of such values.
                    start, end = match.span("mention")
                results.append(self._result(start, end, min(1.0, score)))
        return results

    def has_context(self, text: str, start: int, end: int) -> bool:
        """True when one of CONTEXT stands near ``text[start:end]`` (case-insensitive)."""
        if not self.CONTEXT:
            return False
        window = (
            text[max(0, start - self.CONTEXT_WINDOW) : start] + " " + text[end : end + self.CONTEXT_WINDOW]
        )
        lowered = window.lower()
        return any(word.lower() in lowered for word in self.CONTEXT)

    def _lookup(self, matched: str) -> VocabularyEntry | None:
        return self._entries.get(entry_key(matched, True)) or self._entries.get(entry_key(matched, False))

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
