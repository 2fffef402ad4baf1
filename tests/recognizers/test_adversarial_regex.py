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

import gc
import time

import pytest
from presidio_analyzer import EntityRecognizer

from recognizers.registry import RECOGNIZER_CLASSES, build_recognizers

REPEATS = 3
# A growth above the limit is measured again with this many runs before it counts: one slow run of
# the long value (a page fault, another process on the core) once gave a linear regex 8.3x.
CONFIRM_REPEATS = 15
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


def best_time(recognizer: EntityRecognizer, value: str, repeats: int = REPEATS) -> float:
    """Best of ``repeats`` runs of the recognizer on ``value``, in seconds of this process's CPU time.

    CPU time, not wall-clock time: on a shared machine other processes stretch the wall clock of a
    linear regex past any fixed budget, while backtracking costs CPU time whatever the load. The
    garbage collector is off while timing: a full collection late in a long test session costs more
    than the regex itself.
    """
    best = float("inf")
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            started = time.process_time()
            recognizer.analyze(value, recognizer.supported_entities, None)  # type: ignore[arg-type]
            best = min(best, time.process_time() - started)
    finally:
        if collecting:
            gc.enable()
    return best


def growth(recognizer: EntityRecognizer, short: str, long: str, repeats: int = REPEATS) -> float | None:
    """How many times longer the long value takes than the short one; None below the noise floor."""
    long_time = best_time(recognizer, long, repeats)
    if long_time < NOISE_FLOOR_SECONDS:
        return None
    return long_time / max(best_time(recognizer, short, repeats), 1e-6)


def test_every_registered_recognizer_is_covered() -> None:
    assert {type(r).__name__ for r in RECOGNIZERS} == set(RECOGNIZER_CLASSES)


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
def test_recognizer_is_linear_on_adversarial_values(recognizer: EntityRecognizer) -> None:
    short_values, long_values = adversarial(N), adversarial(SCALE * N)
    superlinear = {}
    for name, short in short_values.items():
        first = growth(recognizer, short, long_values[name])
        if first is None or first <= GROWTH_LIMIT:
            continue
        # Backtracking is slow on every run; a noisy run is not slow on the best of many.
        confirmed = growth(recognizer, short, long_values[name], CONFIRM_REPEATS)
        if confirmed is not None and confirmed > GROWTH_LIMIT:
            superlinear[name] = round(confirmed, 1)
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
    measured = growth(quadratic, "1" * N, "1" * (SCALE * N), CONFIRM_REPEATS)
    assert measured is not None
    assert measured > GROWTH_LIMIT
