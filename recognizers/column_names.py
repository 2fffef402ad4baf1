"""Column names as evidence: header words (Japanese, romaji, English) → entity hints.

The lexicon lives in ``recognizers/data/column_names.yaml`` and is validated on load; a bad entry is
an error (a scan must never silently run with half a lexicon).

Headers and lexicon words go through the same tokenizer: NFKC (so ``ＴＥＬ`` is ``tel`` and ``ﾌﾘｶﾞﾅ``
is ``フリガナ``), then ASCII letters/digits are split on camelCase and letter/digit changes and
lower-cased, while runs of other letters (kana, kanji) stay whole. Everything else separates.

Matching rules, in order:

1. An ASCII token of a word matches a whole header token, never a substring: ``cid`` is not in
   ``acid_level``, ``age`` is not in ``page_views``. Multi-token words match consecutive tokens.
2. A word that is one non-ASCII token matches anywhere inside a header's non-ASCII run (``氏名`` in
   ``顧客氏名``), unless it is listed under ``whole:``, when it must be the entire run (``名``, ``姓``).
   In a mixed word (``IPアドレス``) the first token may end, and the last may start, a header run.
3. Longest match wins: a hit whose span lies strictly inside a longer hit is dropped, whatever the
   entity (``法人番号`` hides ``法人``; ``email_address`` hides ``address``). Hits with the same span
   all stay, which is how one word can point at two entities (``口座名義``: account and person).
4. ``exclude:`` words cancel the entity's hits they overlap (``メールマガジン`` is no e-mail).
5. ``generic:`` words (``name``, ``id``, ``age`` …) describe whatever the token right before them
   names. If that token is not a person qualifier (``customer``, ``first``, ``顧客`` …), the hit is
   demoted: to the weak strength, or dropped if it was already weak. So ``product_name`` gives
   PRODUCT strongly and PERSON only weakly, ``order_id`` gives no MEMBER_ID, ``customer_name``
   stays PERSON strong.

Decisions worth knowing: ``username``/``user_name``/``login_name`` are login names (MEMBER_ID
strong, PERSON weak); ``会社名``/``商品名`` give no PERSON hint at all; ``会社電話番号`` gives both
ORGANIZATION and PHONE_NUMBER and the caller decides. The non-personal hints (JP_CORPORATE_NUMBER,
JAN_CODE, PRODUCT, ORGANIZATION, MEASURE) exist so the caller can tell a company's or a product's
data from a person's.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from recognizers.entities import CATALOGUE, EntityId, describe_unknown, is_entity_id

# Every personal catalogue id but BELIEF (a belief has no header word of its own; RELIGION's words cover
# the columns that record one): the lexicon must list each of them.
PERSONAL_ENTITIES: tuple[EntityId, ...] = tuple(
    entity for entity, info in CATALOGUE.items() if info.personal and entity != "BELIEF"
)
# Hints that a column holds a company's or a product's data, not a person's.
NON_PERSONAL_HINTS: tuple[EntityId, ...] = (
    "JP_CORPORATE_NUMBER",
    "JAN_CODE",
    "PRODUCT",
    "ORGANIZATION",
    "MEASURE",
)
LEXICON_ENTITIES: frozenset[EntityId] = frozenset(PERSONAL_ENTITIES + NON_PERSONAL_HINTS)
LEXICON_FILE = "recognizers/data/column_names.yaml"

TIERS: tuple[str, ...] = ("strong", "medium", "weak")
_ENTITY_KEYS = frozenset(TIERS) | {"whole", "generic", "exclude"}
_TOP_KEYS = frozenset({"version", "strengths", "person_qualifiers", "entities"})

# Non-ASCII characters that belong inside a word although str.isalnum() says no.
_WORD_EXTRA = frozenset("ー々〆〒ヶ")
# camelCase / acronym / digit boundaries: "IPAddress" → IP, Address; "ipv4" → ipv, 4.
_ASCII_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


class LexiconError(ValueError):
    """The column-name lexicon is malformed; the message names the entity and word at fault."""


@dataclass(frozen=True)
class ColumnNameHint:
    """One entity suggested by a column name."""

    entity: EntityId
    strength: float
    word: str  # the lexicon word that matched (normalised form)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    is_ascii: bool


@dataclass(frozen=True)
class _Word:
    entity: EntityId
    text: str
    tokens: tuple[_Token, ...]
    strength: float
    whole: bool = False
    generic: bool = False


@dataclass(frozen=True)
class _Hit:
    word: _Word
    start: int
    end: int
    first_token: int


@dataclass(frozen=True)
class Lexicon:
    """A validated lexicon, ready to match."""

    words: tuple[_Word, ...]
    exclusions: tuple[_Word, ...]
    person_qualifiers: frozenset[str]
    weak_strength: float


def _is_word_char(ch: str) -> bool:
    return not ch.isascii() and (ch.isalnum() or ch in _WORD_EXTRA)


def _tokens(name: str) -> tuple[_Token, ...]:
    text = unicodedata.normalize("NFKC", name)
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isascii() and ch.isalnum():
            j = i
            while j < n and text[j].isascii() and text[j].isalnum():
                j += 1
            for m in _ASCII_PART.finditer(text, i, j):
                out.append(_Token(m.group().lower(), m.start(), m.end(), True))
            i = j
        elif _is_word_char(ch):
            j = i
            while j < n and _is_word_char(text[j]):
                j += 1
            out.append(_Token(text[i:j].lower(), i, j, False))
            i = j
        else:
            i += 1
    return tuple(out)


def tokenize_column_name(name: str) -> tuple[str, ...]:
    """Header tokens: ASCII split on separators/camelCase/digits and lower-cased; kana/kanji runs whole."""
    return tuple(t.text for t in _tokens(name))


# ------------------------------------------------------------------ loading and validation


def _fail(msg: str) -> LexiconError:
    return LexiconError(f"column-name lexicon: {msg}")


def _str_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list):
        raise _fail(f"{where} must be a list of strings")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise _fail(f"{where} holds a non-string or empty entry: {item!r}")
    return [str(item) for item in value]


def _compile_word(entity: EntityId, raw: str, strength: float, where: str) -> _Word:
    tokens = _tokens(raw)
    if not tokens:
        raise _fail(f"{where}: word {raw!r} has no letters or digits")
    return _Word(entity, unicodedata.normalize("NFKC", raw).strip().lower(), tokens, strength)


def _key(word: _Word) -> tuple[str, ...]:
    """Words that tokenize alike ("first_name", "firstName") are one word."""
    return tuple(t.text for t in word.tokens)


def parse_lexicon(data: object, source: str = LEXICON_FILE) -> Lexicon:
    """Validate the YAML document and compile it; raises LexiconError naming ``source`` on any malformed part."""
    try:
        return _parse_lexicon(data)
    except LexiconError as exc:
        raise LexiconError(f"{source}: {exc}") from None


def _parse_lexicon(data: object) -> Lexicon:
    if not isinstance(data, Mapping):
        raise _fail("top level must be a mapping")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(f"unknown top-level keys {sorted(map(str, unknown))}")
    if data.get("version") != 1:
        raise _fail("version must be 1")
    strengths = _parse_strengths(data.get("strengths"))
    qualifiers = frozenset(
        t.text for q in _str_list(data.get("person_qualifiers"), "person_qualifiers") for t in _tokens(q)
    )

    entities = _parse_entity_specs(data.get("entities"))
    words: list[_Word] = []
    exclusions: list[_Word] = []
    for entity, spec in entities.items():
        words.extend(_entity_words(entity, spec, strengths))
        exclusions.extend(
            _compile_word(entity, raw, 0.0, f"{entity}.exclude")
            for raw in _str_list(spec.get("exclude", []), f"{entity}.exclude")
        )
    return Lexicon(tuple(words), tuple(exclusions), qualifiers, strengths["weak"])


def _parse_entity_specs(entities_raw: object) -> dict[EntityId, Mapping[Any, Any]]:
    """The ``entities`` mapping with its ids checked against the catalogue and each spec's keys checked."""
    if not isinstance(entities_raw, Mapping):
        raise _fail("entities must be a mapping")
    # Unknown ids first: a misspelt id is reported as such (with the id meant), not as a missing one.
    for entity in entities_raw:
        if not is_entity_id(entity):
            raise _fail(f"unknown entity: {describe_unknown(str(entity))}")
        if entity not in LEXICON_ENTITIES:
            raise _fail(f"entity {entity} gives no column-name evidence (not in LEXICON_ENTITIES)")
    missing = LEXICON_ENTITIES - set(entities_raw)
    if missing:
        raise _fail(f"entities missing: {sorted(missing)}")
    specs: dict[EntityId, Mapping[Any, Any]] = {}
    for entity, spec in entities_raw.items():
        if not is_entity_id(entity):  # checked above; narrows the type
            continue
        if not isinstance(spec, Mapping):
            raise _fail(f"{entity} must be a mapping")
        bad_keys = set(spec) - _ENTITY_KEYS
        if bad_keys:
            raise _fail(f"{entity}: unknown keys {sorted(map(str, bad_keys))}")
        specs[entity] = spec
    return specs


def _parse_strengths(strengths_raw: object) -> dict[str, float]:
    """The score of each tier: numbers in (0, 1], strong > medium > weak."""
    if not isinstance(strengths_raw, Mapping) or set(strengths_raw) != set(TIERS):
        raise _fail(f"strengths must map exactly {list(TIERS)} to numbers")
    strengths: dict[str, float] = {}
    for tier in TIERS:
        value = strengths_raw[tier]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value <= 1.0:
            raise _fail(f"strength {tier!r} must be a number in (0, 1]")
        strengths[tier] = float(value)
    if not strengths["strong"] > strengths["medium"] > strengths["weak"]:
        raise _fail("strengths must decrease: strong > medium > weak")
    return strengths


def _entity_words(entity: EntityId, spec: Mapping[Any, Any], strengths: Mapping[str, float]) -> list[_Word]:
    """The tier words of one entity, with its ``whole`` and ``generic`` marks applied."""
    compiled: dict[tuple[str, ...], _Word] = {}
    for tier in TIERS:
        for raw in _str_list(spec.get(tier, []), f"{entity}.{tier}"):
            word = _compile_word(entity, raw, strengths[tier], f"{entity}.{tier}")
            if _key(word) in compiled:
                raise _fail(f"{entity}: word {raw!r} listed twice")
            compiled[_key(word)] = word
    if not compiled:
        raise _fail(f"{entity} has no words")
    for raw in _str_list(spec.get("whole", []), f"{entity}.whole"):
        word = _compile_word(entity, raw, 0.0, f"{entity}.whole")
        if _key(word) not in compiled:
            raise _fail(f"{entity}.whole: {raw!r} is not listed in a tier")
        if len(word.tokens) != 1 or word.tokens[0].is_ascii:
            raise _fail(f"{entity}.whole: {raw!r} must be one non-ASCII word (ASCII is always whole)")
        compiled[_key(word)] = _replace(compiled[_key(word)], whole=True)
    for raw in _str_list(spec.get("generic", []), f"{entity}.generic"):
        word = _compile_word(entity, raw, 0.0, f"{entity}.generic")
        if _key(word) not in compiled:
            raise _fail(f"{entity}.generic: {raw!r} is not listed in a tier")
        if not all(t.is_ascii for t in word.tokens):
            raise _fail(f"{entity}.generic: {raw!r} must be ASCII")
        compiled[_key(word)] = _replace(compiled[_key(word)], generic=True)
    return list(compiled.values())


def _replace(word: _Word, *, whole: bool | None = None, generic: bool | None = None) -> _Word:
    return _Word(
        word.entity,
        word.text,
        word.tokens,
        word.strength,
        word.whole if whole is None else whole,
        word.generic if generic is None else generic,
    )


@functools.cache
def load_lexicon() -> Lexicon:
    """The packaged lexicon, validated once per process."""
    text = importlib.resources.files("recognizers").joinpath("data/column_names.yaml").read_text("utf-8")
    return parse_lexicon_text(text, LEXICON_FILE)


def parse_lexicon_text(text: str, source: str) -> Lexicon:
    """A lexicon from YAML text (the packaged file, or a copy being checked), errors naming ``source``."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{source}: column-name lexicon is not valid YAML") from exc
    return parse_lexicon(data, source)


# ------------------------------------------------------------------ matching


def _spans(word: _Word, header: tuple[_Token, ...], i: int) -> list[tuple[int, int]]:
    """Spans where ``word`` matches starting at header token ``i`` (several for a substring word)."""
    wt = word.tokens
    if i + len(wt) > len(header):
        return []
    if len(wt) == 1:
        return _one_token_spans(word, header[i])
    last = len(wt) - 1
    start = end = 0
    for k, w in enumerate(wt):
        h = header[i + k]
        if h.is_ascii != w.is_ascii:
            return []
        if w.is_ascii or 0 < k < last:
            ok = h.text == w.text
        elif k == 0:
            ok = h.text.endswith(w.text)
        else:
            ok = h.text.startswith(w.text)
        if not ok:
            return []
        if k == 0:
            start = h.end - len(w.text) if not w.is_ascii else h.start
        if k == last:
            end = h.start + len(w.text) if not w.is_ascii else h.end
    return [(start, end)]


def _one_token_spans(word: _Word, h: _Token) -> list[tuple[int, int]]:
    """Spans of a one-token ``word`` in header token ``h``: the whole token, or every substring occurrence of a
    non-ASCII word that is not marked ``whole``."""
    w = word.tokens[0]
    if w.is_ascii or word.whole:
        return [(h.start, h.end)] if (h.is_ascii == w.is_ascii and h.text == w.text) else []
    if h.is_ascii:
        return []
    found: list[tuple[int, int]] = []
    at = h.text.find(w.text)
    while at >= 0:
        found.append((h.start + at, h.start + at + len(w.text)))
        at = h.text.find(w.text, at + 1)
    return found


def _find(words: Iterable[_Word], header: tuple[_Token, ...]) -> list[_Hit]:
    return [
        _Hit(word, start, end, i)
        for word in words
        for i in range(len(header))
        for start, end in _spans(word, header, i)
    ]


def _qualifier_before(header: tuple[_Token, ...], index: int) -> str | None:
    """The nearest meaningful token before ``index`` (digits and single letters are noise)."""
    for tok in reversed(header[:index]):
        if tok.text.isdigit() or (tok.is_ascii and len(tok.text) == 1):
            continue
        return tok.text
    return None


def hints_with_lexicon(name: str, lexicon: Lexicon) -> tuple[ColumnNameHint, ...]:
    """``column_name_hints`` against an explicit lexicon (tests and users' own lexicons)."""
    header = _tokens(name)
    if not header:
        return ()
    hits = _find(lexicon.words, header)
    # Longest match wins across entities; equal spans coexist.
    hits = [
        h
        for h in hits
        if not any(
            o.start <= h.start and h.end <= o.end and (o.end - o.start) > (h.end - h.start) for o in hits
        )
    ]
    excluded = _find(lexicon.exclusions, header)
    best: dict[str, ColumnNameHint] = {}
    for hit in hits:
        word = hit.word
        if any(x.word.entity == word.entity and x.start < hit.end and hit.start < x.end for x in excluded):
            continue
        strength = word.strength
        if word.generic:
            qualifier = _qualifier_before(header, hit.first_token)
            if qualifier is not None and qualifier not in lexicon.person_qualifiers:
                if strength <= lexicon.weak_strength:
                    continue
                strength = lexicon.weak_strength
        current = best.get(word.entity)
        if current is None or (strength, len(word.text)) > (current.strength, len(current.word)):
            best[word.entity] = ColumnNameHint(word.entity, strength, word.text)
    return tuple(sorted(best.values(), key=lambda h: (-h.strength, -len(h.word), h.entity)))


@functools.lru_cache(maxsize=8192)
def column_name_hints(name: str) -> tuple[ColumnNameHint, ...]:
    """Entity hints for a column header: one per entity, strongest first."""
    return hints_with_lexicon(name, load_lexicon())
