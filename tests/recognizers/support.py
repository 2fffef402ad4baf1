"""Shared helpers for the per-recognizer tables: what a recognizer finds, and what the prefilter lets in."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from recognizers.normalize import prefilter_accepts


def found(recognizer: EntityRecognizer, text: str, digits: int | None = None) -> list[tuple[str, float]]:
    """(matched text, score) for each result, as the column scanner calls the recognizer (no NLP artefacts)."""
    results = recognizer.analyze(text, recognizer.supported_entities, None)  # type: ignore[arg-type]
    return [(text[r.start : r.end], r.score if digits is None else round(r.score, digits)) for r in results]


def spans(recognizer: EntityRecognizer, text: str) -> list[str]:
    """The matched texts alone."""
    return [span for span, _ in found(recognizer, text)]


def passes_prefilter(recognizer: EntityRecognizer, text: str) -> bool:
    """Whether the column scanner would hand ``text`` to the recognizer at all."""
    prefilter = getattr(recognizer, "PREFILTER", None)
    assert prefilter is not None, f"{type(recognizer).__name__} has no PREFILTER"
    return prefilter_accepts(prefilter, text)
