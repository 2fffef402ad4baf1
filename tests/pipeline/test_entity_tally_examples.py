"""EntityTally keeps the masked examples of the smallest value hashes; detect masks a hit only when
keeps_example says it would be kept. The examples must be those of masking every hit."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from pipeline import detect
from pipeline.detect import profile_column
from pipeline.engine import pattern_recognizers
from pipeline.masking import mask_value
from pipeline.profile_model import EntityTally
from pipeline.settings import load_scan_settings


def test_asking_first_keeps_the_same_examples_as_masking_every_hit() -> None:
    rng = random.Random(3)
    hits = [(rng.getrandbits(64), f"user{n}@example.co.jp") for n in range(2000)]
    hits += hits[:50]  # a value met again (another batch)
    eager, lazy = EntityTally(), EntityTally()
    masked = 0
    for value_hash, span in hits:
        eager.add(1, 0.9, value_hash, mask_value(span), 3)
        if lazy.keeps_example(value_hash, 3):
            masked += 1
            lazy.add(1, 0.9, value_hash, mask_value(span), 3)
        else:
            lazy.add(1, 0.9, value_hash, None, 3)
    assert lazy.examples == eager.examples and len(lazy.examples) == 3
    assert lazy.rows == eager.rows == 2050
    assert masked < 100  # about 3 × ln(2000) of 2,050 hits, not all of them


def test_no_examples_are_kept_when_none_are_asked_for() -> None:
    tally = EntityTally()
    assert not tally.keeps_example(1, 0)
    tally.add(2, 0.5, 1, None, 0)
    assert tally.examples == [] and tally.rows == 2


def test_a_scanned_column_masks_only_the_examples_it_keeps(monkeypatch: pytest.MonkeyPatch) -> None:
    emails = pa.array([f"member{n}@example.co.jp" for n in range(3000)])
    calls: list[str] = []

    def counting(text: str) -> str:
        calls.append(text)
        return mask_value(text)

    detection = load_scan_settings().detection
    reference = profile_column("mail", emails, pattern_recognizers(None), detection)
    monkeypatch.setattr(detect, "mask_value", counting)
    profile = profile_column("mail", emails, pattern_recognizers(None), detection)
    assert profile.entities["EMAIL_ADDRESS"].examples == reference.entities["EMAIL_ADDRESS"].examples
    assert 0 < len(calls) < 200
