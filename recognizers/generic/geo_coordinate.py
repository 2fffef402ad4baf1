"""GEO_COORDINATE: latitude/longitude pairs.

Forms: decimal pairs (``35.6812, 139.7671``; also lon-first as in GeoJSON), labelled pairs
(``lat=35.68&lon=139.76``, ``{"lat": 35.68, "lng": 139.76}``, ``緯度35.68 経度139.76``) and
degrees-minutes-seconds (``北緯35度41分 東経139度46分``, ``35°41'N 139°46'E``).

A bare decimal pair needs at least four decimals on both numbers (prices such as ``1.5, 2.0``
and ratios are not coordinates) and must not be part of a longer list of numbers. A single
number is never a coordinate here: a lat or lon column is recognised by its name.
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

_DEC4 = r"-?[0-9]{1,3}\.[0-9]{4,15}"
_NUM = r"-?[0-9]{1,3}(?:\.[0-9]+)?"
_LIST_BEFORE = r"(?<![0-9A-Za-z.\-])(?<![0-9]\s*,\s*)"
_LIST_AFTER = r"(?![0-9])(?!\s*,\s*-?[0-9]+\.[0-9])"
_QUOTE = r"\"?"
_LAT_LABEL = r"(?<![A-Za-z])(?i:lat|latitude)"
_LON_LABEL = r"(?i:lng|lon|long|longitude)"
_JA_DEG = r"[0-9]{1,3}(?:\.[0-9]+)?度(?:[0-9]{1,2}(?:\.[0-9]+)?分)?(?:[0-9]{1,2}(?:\.[0-9]+)?秒)?"
_EN_DEG = (
    r"[0-9]{1,3}(?:\.[0-9]+)?°\s*(?:[0-9]{1,2}(?:\.[0-9]+)?[′']\s*)?"
    r"(?:[0-9]{1,2}(?:\.[0-9]+)?(?:\"|″|′′|'')\s*)?"
)

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DEGREES = re.compile(r"([0-9]+(?:\.[0-9]+)?)(?:°|度)")
_MINUTES_OR_SECONDS = re.compile(r"([0-9]+(?:\.[0-9]+)?)(?:分|秒|[′']|\"|″)")
_LABELLED = re.compile(r"(?i:lat)|緯度")


def _in_range(first: float, second: float, lat_first: bool) -> bool:
    if lat_first:
        return abs(first) <= 90 and abs(second) <= 180
    return (abs(first) <= 90 and abs(second) <= 180) or (abs(first) <= 180 and abs(second) <= 90)


def coordinate_plausible(text: str) -> bool:
    """True when the numbers in a matched coordinate pair lie in latitude/longitude ranges."""
    degrees = [float(d) for d in _DEGREES.findall(text)]
    if degrees:
        minutes_ok = all(float(m) < 60 for m in _MINUTES_OR_SECONDS.findall(text))
        return len(degrees) == 2 and minutes_ok and _in_range(degrees[0], degrees[1], lat_first=True)
    numbers = [float(n) for n in _NUMBER.findall(text)]
    if len(numbers) != 2:
        return False
    first, second = numbers
    if _LABELLED.search(text):
        return _in_range(first, second, lat_first=True)
    # (0.1234, 0.5678) is a pair of ratios far likelier than a point in the Gulf of Guinea.
    if abs(first) < 1 and abs(second) < 1:
        return False
    return _in_range(first, second, lat_first=False)


class GeoCoordinateRecognizer(JapanesePatternRecognizer):
    """Latitude/longitude pairs in decimal, labelled and DMS forms."""

    ENTITY: ClassVar[EntityId] = "GEO_COORDINATE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("decimal_pair", rf"{_LIST_BEFORE}{_DEC4}[NS]?(?:\s*,\s*|\s+){_DEC4}[EW]?{_LIST_AFTER}", 0.5),
        Pattern(
            "labelled_pair",
            rf"{_LAT_LABEL}{_QUOTE}\s*[=:]\s*{_QUOTE}{_NUM}{_QUOTE}\s*[,&;]?\s*{_QUOTE}{_LON_LABEL}{_QUOTE}\s*[=:]\s*{_QUOTE}{_NUM}(?![0-9])",
            0.85,
        ),
        Pattern("ja_labelled_pair", rf"緯度\s*[:=]?\s*{_NUM}[\s,、]*経度\s*[:=]?\s*{_NUM}(?![0-9])", 0.85),
        Pattern("ja_dms", rf"[北南]緯\s*{_JA_DEG}[\s,、]*[東西]経\s*{_JA_DEG}", 0.85),
        Pattern("en_dms", rf"(?<![0-9.]){_EN_DEG}[NS][\s,]*{_EN_DEG}[EW](?![A-Za-z])", 0.85),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "緯度",
        "経度",
        "位置情報",
        "座標",
        "現在地",
        "GPS",
        "lat",
        "lon",
        "lng",
        "location",
        "coordinates",
    )
    PREFILTER: ClassVar[str | None] = r"[0-9]\.[0-9]{4}|緯|(?i:lat)|°"

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if coordinate_plausible(pattern_text) else False
