"""The multi-pattern prefilter pass (pipeline/prefilter.py) gives exactly the per-recognizer RE2 candidates."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pytest

import tests.recognizers
from pipeline.detect import prefilter_mask, prefilter_masks
from pipeline.engine import pattern_recognizers
from pipeline.prefilter import multi_prefilter, reference_mask
from recognizers.normalize import normalize_array
from tests.datagen.corpus import generate_corpus

RECOGNIZERS = pattern_recognizers(None)
PREFILTERS = tuple(getattr(r, "PREFILTER", None) for r in RECOGNIZERS)

# Values where a joined-buffer scan could go wrong: anchors, newlines inside values, empty values.
EDGES = ["", "M", " f ", "F\n", "a\nM", "M\nx", "male", "MALE", "Gender: F", "\n", "090-1234-5678\n", "本籍\n東京都"]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)
    elif hasattr(value, "values"):  # pytest.param(...)
        yield from _strings(getattr(value, "values", ()))


def recognizer_table_texts() -> list[str]:
    """Every string in the recognizers' parametrised test tables (tests/recognizers/test_*.py)."""
    texts: list[str] = []
    for info in pkgutil.iter_modules(tests.recognizers.__path__):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"tests.recognizers.{info.name}")
        for item in vars(module).values():
            for mark in getattr(item, "pytestmark", []):
                if mark.name == "parametrize" and len(mark.args) > 1:
                    texts.extend(_strings(mark.args[1]))
    return texts


@pytest.fixture(scope="module")
def corpus() -> pa.Array:
    texts = [example.text for example in generate_corpus()] + recognizer_table_texts() + EDGES
    assert len(texts) > 2000
    return normalize_array(pa.array(texts, pa.string()))


def test_every_prefilter_compiles_in_the_multi_pattern_database() -> None:
    compiled = multi_prefilter(PREFILTERS).compiled
    assert sorted(compiled) == [i for i, p in enumerate(PREFILTERS) if p]


@pytest.mark.parametrize("block", [1, 7, 256])
def test_multi_pattern_candidates_equal_the_reference_for_every_recognizer(corpus: pa.Array, block: int) -> None:
    masks = multi_prefilter(PREFILTERS).masks(corpus, block=block)
    for recognizer, prefilter, mask in zip(RECOGNIZERS, PREFILTERS, masks, strict=True):
        reference = reference_mask(corpus, prefilter)
        differ = np.flatnonzero(reference != mask)
        assert len(differ) == 0, f"{type(recognizer).__name__}: {len(differ)} value(s) differ"
    assert sum(int(m.sum()) for m in masks) > len(corpus)  # the corpus does reach the recognizers


def test_detect_uses_the_same_candidates_as_the_per_recognizer_path(corpus: pa.Array) -> None:
    shuffled = corpus.take(pa.array(np.random.default_rng(3).permutation(len(corpus))))
    for recognizer, mask in zip(RECOGNIZERS, prefilter_masks(shuffled, RECOGNIZERS), strict=True):
        assert np.array_equal(mask, prefilter_mask(shuffled, recognizer)), type(recognizer).__name__


def test_anchored_prefilter_holds_at_each_value_not_only_the_buffer() -> None:
    # \A…\z must match whole values wherever they sit in the joined buffer, and not across a newline
    prefilters = (r"\A\s*[MFmf]\s*\z", None, r"本籍")
    values = pa.array(["x", "M", " f ", "a\nM", "M\nx", "本", "籍", "本籍"], pa.string())
    masks = multi_prefilter(prefilters).masks(values, block=3)
    assert masks[0].tolist() == [False, True, True, False, False, False, False, False]
    assert masks[1].all()
    assert masks[2].tolist() == [False] * 7 + [True]


def test_empty_and_null_values() -> None:
    values = pa.array([None, "", "taro@example.com", None], pa.string())
    masks = multi_prefilter(PREFILTERS).masks(values)
    for prefilter, mask in zip(PREFILTERS, masks, strict=True):
        assert np.array_equal(mask, reference_mask(values, prefilter))
    assert multi_prefilter(PREFILTERS).masks(pa.array([], pa.string()))[0].shape == (0,)


def test_a_prefilter_hyperscan_rejects_keeps_the_reference_path() -> None:
    # (?U) and an empty-matching pattern are RE2 but not Hyperscan; the others still share the database
    prefilters = (r"(?U)a+b", r"x*", r"[0-9]{3}", r"本籍")
    multi = multi_prefilter(prefilters)
    assert multi.compiled == (2, 3)
    values = pa.array(["aab", "x", "", "12", "123", "本籍地", None], pa.string())
    for prefilter, mask in zip(prefilters, multi.masks(values, block=2), strict=True):
        assert np.array_equal(mask, reference_mask(values, prefilter)), prefilter
    assert multi_prefilter((r"x*",)).database is None
