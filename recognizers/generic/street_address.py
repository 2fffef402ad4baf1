"""STREET_ADDRESS (English): ``123 Main St``, ``4500 Oak Avenue, Springfield, IL 62704``,
``10 Downing Street``, ``350 5th Ave, Suite 300``.

A house number, one to four capitalised words and a street-type word are required; a trailing
``City, ST 12345`` raises the score.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

STREET_SUFFIXES: tuple[str, ...] = (
    "Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Drive", "Dr", "Lane", "Ln",
    "Way", "Court", "Ct", "Place", "Pl", "Terrace", "Ter", "Parkway", "Pkwy", "Highway", "Hwy",
    "Circle", "Cir", "Square", "Sq", "Trail", "Trl", "Alley", "Crescent", "Close", "Gardens",
)
_SUFFIX = "|".join(sorted(STREET_SUFFIXES, key=len, reverse=True))
_UNIT = r"(?:,?\s(?:Suite|Ste|Apt|Apartment|Unit|Room|Fl|Floor|#)\.?\s?#?[0-9A-Za-z-]{1,6})"
_STREET = (
    r"(?<![0-9A-Za-z])[0-9]{1,6}[A-Za-z]?\s(?:[NSEW]\.?\s|North\s|South\s|East\s|West\s)?"
    r"(?:(?:[A-Z][a-z]+|[0-9]{1,3}(?:st|nd|rd|th))\s){1,4}"
    rf"(?:{_SUFFIX})\.?(?![A-Za-z])(?:\s(?:[NSEW]|NE|NW|SE|SW)(?![A-Za-z]))?{_UNIT}?"
)
_CITY_STATE_ZIP = r",\s(?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]+,\s[A-Z]{2}\s[0-9]{5}(?:-[0-9]{4})?(?![0-9])"

STREET_PATTERNS: tuple[Pattern, ...] = (
    Pattern("street_city_state_zip", _STREET + _CITY_STATE_ZIP, 0.85),
    Pattern("street", _STREET, 0.55),
)

STREET_CONTEXT: tuple[str, ...] = ("address", "street", "住所", "所在地", "ship to", "billing")

# Superset: a house number followed by a space and a capital letter or a numbered street.
STREET_PREFILTER = r"[0-9][A-Za-z]?\s(?:[NSEW]\.?\s)?[A-Z0-9]"


class StreetAddressRecognizer(JapanesePatternRecognizer):
    """English-language street addresses."""

    ENTITY: ClassVar[EntityId] = "STREET_ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = STREET_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = STREET_CONTEXT
    PREFILTER: ClassVar[str | None] = STREET_PREFILTER
