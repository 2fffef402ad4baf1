"""Adversarial text: every recognizer finishes on long digit runs and repeated separators, and a regex
that would backtrack for ages is cut off by the time budget ("no match" plus a counter, never a hang).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar

import pyarrow as pa
import pytest
from presidio_analyzer import Pattern

import pipeline
from pipeline.engine import pattern_recognizers
from recognizers.base import JapanesePatternRecognizer
from tests.reliability.conftest import NO_NER_CONFIG

# Generous: a hang is minutes; these finish in well under a second each on a loaded CI machine.
JOIN_TIMEOUT_SECONDS = 120

ADVERSARIAL = {
    "digit_run": "1" * 4096,
    "fullwidth_digit_run": "１" * 4096,
    "hyphen_digits": "1-" * 2048,
    "long_dash_digits": "1ー" * 2048,
    "dots": "1." * 2048,
    "spaces": "1 " * 2048,
    "at_signs": "a@" * 2048,
    "slashes": "a/" * 2048,
    "colons": "a:" * 2048,
    "phone_like": "090-1234-" * 400,
    "kanji_address": "東京都千代田区" * 500,
    "katakana": "ア" * 4096,
    "mixed_separators": "1-1 1.1/1:" * 400,
}


def finishes(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread; fail (not hang) if it does not finish within the join timeout."""
    box: dict[str, Any] = {}

    def target() -> None:
        box["result"] = work()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(JOIN_TIMEOUT_SECONDS)
    assert not thread.is_alive(), "did not finish: a regex is unbounded"
    assert "result" in box, "raised instead of returning"
    return box["result"]


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_every_recognizer_finishes_on_adversarial_text(name: str) -> None:
    text = ADVERSARIAL[name]
    recognizers = pattern_recognizers(None)

    def run_all() -> int:
        return sum(len(r.analyze(text, r.supported_entities, None)) for r in recognizers)  # type: ignore[arg-type]

    assert finishes(run_all) >= 0


class _CatastrophicRecognizer(JapanesePatternRecognizer):
    """Nested quantifiers on a string that almost matches: exponential backtracking without a budget."""

    ENTITY = "TEST_CATASTROPHIC"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("evil", r"(?:1|11)+-$", 0.5),)
    REGEX_TIMEOUT_SECONDS = 0.05


def test_catastrophic_regex_is_cut_off_and_counted() -> None:
    recognizer = _CatastrophicRecognizer()
    evil = "1" * 60 + "x"
    assert finishes(lambda: recognizer.analyze(evil, ["TEST_CATASTROPHIC"])) == []
    assert recognizer.regex_timeouts == 1
    # The same recognizer still matches ordinary values after a timeout.
    assert [r.entity_type for r in recognizer.analyze("111-", ["TEST_CATASTROPHIC"])] == ["TEST_CATASTROPHIC"]
    assert recognizer.regex_timeouts == 1


def test_timeout_log_never_quotes_the_value(caplog: pytest.LogCaptureFixture) -> None:
    recognizer = _CatastrophicRecognizer()
    secret = "1" * 60 + "x"
    with caplog.at_level("DEBUG"):
        recognizer.analyze(secret, ["TEST_CATASTROPHIC"])
    assert caplog.records, "a timeout is logged"
    assert all(secret[:12] not in record.getMessage() for record in caplog.records)


def test_scan_of_adversarial_column_finishes() -> None:
    frame = pa.table({"memo": list(ADVERSARIAL.values()), "id": [str(i) for i in range(len(ADVERSARIAL))]}).to_pandas()
    report = finishes(lambda: pipeline.scan(frame, config=NO_NER_CONFIG, scheduler="sync"))
    assert {c.name for c in report.datasets[0].columns} == {"memo", "id"}
