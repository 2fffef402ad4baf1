"""Every registered recognizer runs in linear time on adversarial values (issue #12).

A regex with nested or adjacent overlapping quantifiers (``\\s*`` next to ``\\s*``, ``(a+)+``) backtracks
on long runs of the characters it can split in many ways. The per-value time budget in
``recognizers.base`` is only a second line of defence; this test checks the growth itself: each
adversarial value (long runs of spaces, digits with separators, repeated kana, dotted e-mail-like
strings, runs of one symbol) is timed at N and at 4N characters, and 4x the length may cost at most
GROWTH_LIMIT times as much. Linear work grows 4x, quadratic 16x, exponential without bound. A ratio
measured in the same process holds whatever the machine's load or coverage tracing, where a fixed
budget in milliseconds did not.
"""

from __future__ import annotations

import time

import pytest
from presidio_analyzer import EntityRecognizer

from recognizers.registry import RECOGNIZER_CLASSES, build_recognizers

REPEATS = 3
N = 2500
SCALE = 4
# Linear grows SCALE (4x), quadratic SCALE**2 (16x): the limit sits between, with room for noise.
GROWTH_LIMIT = 8.0
# Below this much CPU time at SCALE * N the ratio is timer noise (the value was never near slow).
NOISE_FLOOR_SECONDS = 0.002


def adversarial(n: int) -> dict[str, str]:
    """The adversarial values at length about ``n``: every run scales with ``n``."""
    return {
        "spaces": " " * n,
        "spaces_then_digit": " " * (n * 4 // 5) + "1",
        "digit_spaces_unit": "1" + " " * (n * 4 // 5) + "x",
        "ideographic_spaces": "\u3000" * n,
        "tabs_newlines": "\t\n" * (n // 2),
        "zeros": "0" * n,
        "nines": "9" * n,
        "dots": "." * n,
        "hyphens": "-" * n,
        "ats": "@" * n,
        "digits_hyphen": "1-" * (n // 2),
        "digits_space": "1 " * (n // 2),
        "digits_dot": "1." * (n // 2),
        "digit_groups_space": "1234 " * (n // 5),
        "digit_groups_hyphen": "0901-" * (n // 5),
        "fullwidth_digits": "０" * n,
        "fullwidth_digits_dash": "１ー" * (n // 2),
        "katakana": "ア" * n,
        "katakana_long_vowel": "アー" * (n // 2),
        "hiragana": "あ" * n,
        "kanji": "山" * n,
        "kanji_digits": "十" * n,
        "email_dots": "a@" + "a." * (n // 2),
        "email_local_dots": "a." * (n // 2) + "@a",
        "email_dots_no_tld": "a@a" + ".a" * (n // 2) + "!",
        "letters": "a" * n,
        "upper_letters": "A" * n,
        "hex": "0a" * (n // 2),
        "base64ish": "Ab+/" * (n // 4),
        "dollar": "$" * n,
        "dollar_segments": "$a" * (n // 2),
        "equals": "=" * n,
        "label_then_spaces": "password" + " " * n,
        "age_label_spaces": "年齢" + " " * n,
        "sai_spaces": "1" + " " * (n * 4 // 5) + "歳",
        "parens": "(" * n,
        "plus_digits": "+1 " * (n // 3),
        "colons": ":" * n,
        "mixed_symbols": "0.-@ " * (n // 5),
        "mixed_digits_symbols": "0-0.0 0@0/0:" * (n // 12),
        "url_like": "http://" + "a/" * (n // 2),
        "jwt_like": "eyJ" + "a." * (n // 2),
        "key_prefix_run": "sk-" * (n // 3),
        "kana_digits": "ア1" * (n // 2),
        "bank_words": "普通" + " " * n,
        "kigou": "記号" + " " * (n * 2 // 5) + "番号" + " " * (n * 2 // 5),
        # a label followed by a long run: patterns that read the value after a label
        "honseki_kana": "本籍" + "ア" * n,
        "honseki_kanji": "本籍" + "山" * n,
        "member_label_run": "会員番号" + "a." * (n // 2),
        "password_label_run": "password=" + "a" * n,
        "bearer_run": "Authorization: Bearer " + "a" * n,
        "pem_like": "-----BEGIN " + "A " * (n // 2),
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
    short_values, long_values = adversarial(N), adversarial(SCALE * N)
    superlinear = {}
    for name, short in short_values.items():
        long_time = best_time(recognizer, long_values[name])
        if long_time < NOISE_FLOOR_SECONDS:
            continue
        growth = long_time / max(best_time(recognizer, short), 1e-6)
        if growth > GROWTH_LIMIT:
            superlinear[name] = round(growth, 1)
    assert not superlinear, (
        f"{type(recognizer).__name__}: {SCALE}x longer values cost more than {GROWTH_LIMIT:.0f}x: {superlinear}"
    )
    # Linearity must come from the regexes themselves, not from the per-value timeout giving up.
    assert getattr(recognizer, "regex_timeouts", 0) == 0


def test_the_growth_check_catches_a_quadratic_regex() -> None:
    """The check above can fail: a regex that splits a digit run two ways from every start grows 16x."""
    from presidio_analyzer import Pattern, PatternRecognizer

    quadratic = PatternRecognizer(
        supported_entity="TEST", patterns=[Pattern("rescan", r"\d*\d*[a-z]", 0.5)], supported_language="ja"
    )
    short, long = best_time(quadratic, "1" * N), best_time(quadratic, "1" * (SCALE * N))
    assert long > NOISE_FLOOR_SECONDS
    assert long / max(short, 1e-6) > GROWTH_LIMIT
