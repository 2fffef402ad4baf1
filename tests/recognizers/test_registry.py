"""The registry: explicit, complete, and never shadowing Presidio's own recognizers."""

from __future__ import annotations

import presidio_analyzer.predefined_recognizers as presidio_predefined
import pytest
from presidio_analyzer import EntityRecognizer

from recognizers.registry import RECOGNIZER_CLASSES, build_recognizers, recognizer_class


def test_no_class_name_shadows_a_presidio_recognizer() -> None:
    """Presidio's default registry looks recognizers up by class name among all loaded subclasses; a
    piiscan class with the same name would replace Presidio's in a user's own AnalyzerEngine()."""
    presidio_names = {
        name
        for name in dir(presidio_predefined)
        if isinstance(getattr(presidio_predefined, name), type)
        and issubclass(getattr(presidio_predefined, name), EntityRecognizer)
    }
    assert len(presidio_names) > 20
    ours = {recognizer_class(name).__name__ for name in RECOGNIZER_CLASSES}
    assert ours.isdisjoint(presidio_names), sorted(ours & presidio_names)


def test_every_registered_recognizer_builds_with_a_prefilter_attribute() -> None:
    built = build_recognizers()
    assert len(built) == len(RECOGNIZER_CLASSES)
    assert all(hasattr(r, "PREFILTER") for r in built)
    assert {type(r).__name__ for r in built} == set(RECOGNIZER_CLASSES)


def test_unknown_recognizer_name_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(KeyError, match="CjkEmailRecognizer"):
        recognizer_class("EmailRecogniser")
