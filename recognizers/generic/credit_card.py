"""CREDIT_CARD: payment card numbers, 13-19 digits, Luhn-checked, from a known brand range.

Separators (space or hyphen) may split the number into groups of 4-6 digits (4-4-4-4, Amex
4-6-5, Diners 4-6-4). Cards written one after another with single spaces, or followed by their
expiry, are split apart again (see :func:`cards_in_run`). The number must start with a brand's issuer prefix and have one of that
brand's lengths: 1 random 16-digit string in 10 passes Luhn, and tracking or order numbers of
card length are common.
"""

from __future__ import annotations

import time
from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import (
    DEFAULT_FLAGS,
    JapanesePatternRecognizer,
    RegexBudgetExceeded,
    bounded_finditer,
    digits_only,
)
from recognizers.checksums import is_valid_luhn
from recognizers.entities import EntityId
from recognizers.labels import NumberKind, label_names_other_kind

_START = r"(?<![0-9])(?<![0-9][-. ])"
_END = r"(?![0-9])(?![-. ][0-9])"
_COMPACT = _START + r"[0-9]{13,19}" + _END
_GROUPED = _START + r"[0-9]{4,6}(?:[- ][0-9]{3,7}){1,4}" + _END
# A run of two or more digit groups joined by single spaces or hyphens, at least as long as the
# shortest card (unambiguous, so linear; short runs are skipped before any Python work).
_RUN = re.compile(r"(?<![0-9])(?=[0-9 -]{14})[0-9]+(?:[- ][0-9]+)+(?![0-9])")
_RUN_PATTERN = Pattern("card_in_run", _RUN.pattern, 0.5)
# How card numbers are printed and written (ISO/IEC 7812 lengths in the groups brands emboss them in):
# one compact group, 4-4-4-4, Amex 4-6-5, Diners 4-6-4, 19-digit 4-4-4-4-3.
CARD_GROUPINGS: tuple[tuple[int, ...], ...] = (
    (13,), (14,), (15,), (16,), (17,), (18,), (19,), (4, 4, 4, 4), (4, 6, 5), (4, 6, 4), (4, 4, 4, 4, 3),
)
# After the last card of a run, at most this many short groups (expiry month and year, a security
# code) may follow: ``4111 1111 1111 1111 12 28``, ``4111111111111111 0528``. A longer group, or one
# as long as the card's own last group (``4111 1111 1111 1111 2222``), continues the number instead.
MAX_TAIL_GROUPS = 3
MAX_TAIL_DIGITS = 4

# (first prefix, last prefix, allowed lengths); prefixes compared on the same number of digits.
_BRAND_RANGES: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset({13, 16, 19})),  # Visa
    ("51", "55", frozenset({16})),  # Mastercard
    ("2221", "2720", frozenset({16})),  # Mastercard 2-series
    ("34", "34", frozenset({15})),  # American Express
    ("37", "37", frozenset({15})),  # American Express
    ("3528", "3589", frozenset({16, 17, 18, 19})),  # JCB
    ("300", "305", frozenset({14, 16, 17, 18, 19})),  # Diners Club
    ("36", "36", frozenset({14, 16, 17, 18, 19})),  # Diners Club
    ("38", "39", frozenset({14, 16, 17, 18, 19})),  # Diners Club
    ("6011", "6011", frozenset({16, 17, 18, 19})),  # Discover
    ("644", "649", frozenset({16, 17, 18, 19})),  # Discover
    ("65", "65", frozenset({16, 17, 18, 19})),  # Discover
    ("62", "62", frozenset({16, 17, 18, 19})),  # UnionPay
)


# Card labels, or none; a JAN, order or part-number label names another number.
ACCEPTED_LABELS = frozenset({NumberKind.PAYMENT_CARD})
# Visa stopped issuing 13-digit cards long ago, while every JAN code (45/49…) starts with 4 and
# 1 in 10 passes Luhn: 13 digits count as a card only beside card context.
LENGTHS_NEEDING_CONTEXT = frozenset({13})


def cards_in_run(groups: list[str]) -> list[tuple[int, int]] | None:
    """Split a run of digit groups into card numbers, as (first group, end group) index pairs.

    Cards written one after another with a single space (``4111111111111111 5555555555554444``,
    ``4111 1111 1111 1111 5555 5555 5555 4444``) run together into one longer number; so does a
    card followed by its expiry (``… 1111 12 28``). The run counts only when it divides, group by
    group, into valid cards (brand, length, Luhn) followed by at most a short tail; None otherwise.
    Dynamic programming over group positions: linear in the number of groups.
    """
    n = len(groups)
    # best[i]: a split of groups[:i] into cards, or None when there is none.
    best: list[list[tuple[int, int]] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        split = best[i]
        if split is None:
            continue
        for grouping in CARD_GROUPINGS:
            j = i + len(grouping)
            if j > n or best[j] is not None or tuple(len(g) for g in groups[i:j]) != grouping:
                continue
            number = "".join(groups[i:j])
            if card_brand_matches(number) and is_valid_luhn(number):
                best[j] = [*split, (i, j)]
    for cards_end in range(n, max(-1, n - MAX_TAIL_GROUPS - 1), -1):
        split = best[cards_end]
        last_group = len(groups[cards_end - 1]) if cards_end else 0
        if split and all(len(g) <= MAX_TAIL_DIGITS and len(g) != last_group for g in groups[cards_end:]):
            return split
    return None


def card_brand_matches(number: str) -> bool:
    """True when ``number`` starts with a known brand's issuer prefix and has one of its lengths."""
    for low, high, lengths in _BRAND_RANGES:
        prefix = number[: len(low)]
        if low <= prefix <= high and len(number) in lengths:
            return True
    return False


class CjkCreditCardRecognizer(JapanesePatternRecognizer):
    """カード番号: brand range + Luhn decide (a pass scores 1.0, anything else is dropped)."""

    ENTITY: ClassVar[EntityId] = "CREDIT_CARD"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("card_compact", _COMPACT, 0.5),
        Pattern("card_grouped", _GROUPED, 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "カード",
        "クレジット",
        "有効期限",
        "セキュリティコード",
        "VISA",
        "JCB",
        "Mastercard",
        "AMEX",
        "credit card",
        "card number",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]{4}[- ]?[0-9]{3}"

    def _analyze_patterns(self, text: str, regex_flags: int | None) -> list[RecognizerResult]:
        """The patterns' matches, plus the cards of runs that the patterns read as one longer number."""
        results = super()._analyze_patterns(text, regex_flags)
        taken = [(r.start, r.end) for r in results]
        deadline = time.monotonic() + self.REGEX_TIMEOUT_SECONDS
        flags = int(regex_flags or self.global_regex_flags or DEFAULT_FLAGS)
        try:
            for run in bounded_finditer(_RUN, text, deadline):
                groups = re.findall(r"[0-9]+", run.group())
                split = cards_in_run(groups)
                if split is None or (len(split) == 1 and split[0] == (0, len(groups))):
                    continue  # not cards, or one whole card the patterns already read
                offsets = [m.span() for m in re.finditer(r"[0-9]+", run.group())]
                for first, end in split:
                    start, stop = run.start() + offsets[first][0], run.start() + offsets[end - 1][1]
                    if any(s < stop and start < e for s, e in taken):
                        continue
                    result = self._pattern_result(_RUN_PATTERN, flags, text, start, stop)
                    if result is not None:
                        results.append(result)
        except RegexBudgetExceeded:
            self.regex_timeouts += 1
        return results

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_only(pattern_text)
        if not 13 <= len(digits) <= 19 or not card_brand_matches(digits):
            return False
        return is_valid_luhn(digits)

    def _boost_by_context(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept: list[RecognizerResult] = []
        for result in results:
            if label_names_other_kind(text, result.start, result.end, ACCEPTED_LABELS):
                continue
            length = len(digits_only(text[result.start : result.end]))
            if length in LENGTHS_NEEDING_CONTEXT and not self.has_context(text, result.start, result.end):
                continue
            kept.append(result)
        return super()._boost_by_context(text, kept)
