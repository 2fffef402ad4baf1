"""Every registered recognizer runs in linear time on adversarial values (issue #12).

A regex with nested or adjacent overlapping quantifiers (``\\s*`` next to ``\\s*``, ``(a+)+``) backtracks
on long runs of the characters it can split in many ways. The per-value time budget in
``recognizers.base`` is only a second line of defence; this test holds every recognizer to a fixed
budget per value on strings built to trigger backtracking: long runs of spaces, digits with
separators, repeated kana, dotted e-mail-like strings, and 5,000-character runs of one symbol.
"""

from __future__ import annotations

import time

import pytest
from presidio_analyzer import EntityRecognizer

from recognizers.registry import RECOGNIZER_CLASSES, build_recognizers

BUDGET_SECONDS = 0.050
REPEATS = 3
N = 5000

ADVERSARIAL: dict[str, str] = {
    "spaces": " " * N,
    "spaces_then_digit": " " * 4000 + "1",
    "digit_spaces_unit": "1" + " " * 4000 + "x",
    "ideographic_spaces": "\u3000" * N,
    "tabs_newlines": "\t\n" * (N // 2),
    "zeros": "0" * N,
    "nines": "9" * N,
    "dots": "." * N,
    "hyphens": "-" * N,
    "ats": "@" * N,
    "digits_hyphen": "1-" * (N // 2),
    "digits_space": "1 " * (N // 2),
    "digits_dot": "1." * (N // 2),
    "digit_groups_space": "1234 " * (N // 5),
    "digit_groups_hyphen": "0901-" * (N // 5),
    "fullwidth_digits": "０" * N,
    "fullwidth_digits_dash": "１ー" * (N // 2),
    "katakana": "ア" * N,
    "katakana_long_vowel": "アー" * (N // 2),
    "hiragana": "あ" * N,
    "kanji": "山" * N,
    "kanji_digits": "十" * N,
    "email_dots": "a@" + "a." * (N // 2),
    "email_local_dots": "a." * (N // 2) + "@a",
    "email_dots_no_tld": "a@a" + ".a" * (N // 2) + "!",
    "letters": "a" * N,
    "upper_letters": "A" * N,
    "hex": "0a" * (N // 2),
    "base64ish": "Ab+/" * (N // 4),
    "dollar": "$" * N,
    "dollar_segments": "$a" * (N // 2),
    "equals": "=" * N,
    "label_then_spaces": "password" + " " * N,
    "age_label_spaces": "年齢" + " " * N,
    "sai_spaces": "1" + " " * 4000 + "歳",
    "parens": "(" * N,
    "plus_digits": "+1 " * (N // 3),
    "colons": ":" * N,
    "mixed_symbols": "0.-@ " * (N // 5),
    "mixed_digits_symbols": "0-0.0 0@0/0:" * (N // 12),
    "url_like": "http://" + "a/" * (N // 2),
    "jwt_like": "eyJ" + "a." * (N // 2),
    "key_prefix_run": "sk-" * (N // 3),
    "kana_digits": "ア1" * (N // 2),
    "bank_words": "普通" + " " * N,
    "kigou": "記号" + " " * 2000 + "番号" + " " * 2000,
    # a label followed by a long run: patterns that read the value after a label
    "honseki_kana": "本籍" + "ア" * N,
    "honseki_kanji": "本籍" + "山" * N,
    "member_label_run": "会員番号" + "a." * (N // 2),
    "password_label_run": "password=" + "a" * N,
    "bearer_run": "Authorization: Bearer " + "a" * N,
    "pem_like": "-----BEGIN " + "A " * (N // 2),
}

RECOGNIZERS: list[EntityRecognizer] = build_recognizers()


def best_time(recognizer: EntityRecognizer, value: str) -> float:
    """Best of REPEATS runs of the recognizer on ``value``, in seconds of this process's CPU time.

    CPU time, not wall-clock time: on a shared machine other processes stretch the wall clock of a
    linear regex past any fixed budget, while backtracking costs CPU time whatever the load.
    """
    best = float("inf")
    for _ in range(REPEATS):
        started = time.process_time()
        recognizer.analyze(value, recognizer.supported_entities, None)  # type: ignore[arg-type]
        best = min(best, time.process_time() - started)
    return best


def test_every_registered_recognizer_is_covered() -> None:
    assert {type(r).__name__ for r in RECOGNIZERS} == set(RECOGNIZER_CLASSES)


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
def test_recognizer_is_linear_on_adversarial_values(recognizer: EntityRecognizer) -> None:
    slow = {}
    for name, value in ADVERSARIAL.items():
        elapsed = best_time(recognizer, value)
        if elapsed >= BUDGET_SECONDS:
            slow[name] = round(elapsed * 1000, 1)
    assert not slow, f"{type(recognizer).__name__}: ms per value over {BUDGET_SECONDS * 1000:.0f} ms: {slow}"
    # The budget must be met by the regexes themselves, not by the per-value timeout giving up.
    assert getattr(recognizer, "regex_timeouts", 0) == 0
