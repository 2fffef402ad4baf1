"""The anonymiser's operators: pure functions over one value, and the presidio-anonymizer operator for each.

Generalisers (age → band, date → year or month, 7-digit postal code → 3 digits, address → prefecture), the
keyed hash (HMAC-SHA256, key from ``PIISCAN_HASH_KEY``; never stored or logged), mask and redact through
presidio-anonymizer, and the helpers that apply one of them to an Arrow column value by value.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from pipeline.errors import ConfigError
from pipeline.policy import AnonymizeOperator
from recognizers.era import parse_date_parts
from recognizers.jp.jp_prefecture import PREFECTURE_NAMES, PREFECTURE_STEMS

HASH_KEY_ENV = "PIISCAN_HASH_KEY"
MIN_HASH_KEY_CHARS = 16


# ---------------------------------------------------------------- generalisers (pure)

def age_band(text: str) -> str | None:
    """``34`` → ``30代``; ages of 90 and over share one band. A value that is already a band is kept."""
    value = unicodedata.normalize("NFKC", text).strip().removesuffix("歳").removesuffix("才")
    if not value.isdigit():
        return text if text.strip().endswith(("代", "以上", "以下", "未満")) else None
    age = int(value)
    if age > 130:
        return None
    return "90代以上" if age >= 90 else "10歳未満" if age < 10 else f"{age // 10 * 10}代"


def date_generalise(text: str, granularity: Literal["year", "month"]) -> str | None:
    """``1985-12-24`` / ``昭和60年12月24日`` → ``1985`` (year) or ``1985-12`` (month)."""
    value = unicodedata.normalize("NFKC", text).strip()
    parts = parse_date_parts(value[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", value) else parse_date_parts(value)
    if parts is None:
        return None
    if granularity == "month" and parts.month is not None:
        return f"{parts.year:04d}-{parts.month:02d}"
    return f"{parts.year:04d}"


_POSTAL = re.compile(r"^〒?\s*([0-9]{3})-?([0-9]{4})$")


def postal_prefix(text: str) -> str | None:
    """A 7-digit postal code (``100-0001``, ``〒1000001``) → its first three digits (``100``)."""
    value = unicodedata.normalize("NFKC", text).strip()
    value = re.sub(r"[‐‑‒–—―−ーｰ]", "-", value)
    match = _POSTAL.match(value)
    return match.group(1) if match else None


_PREFECTURE_AT_START = re.compile(
    r"^(?:〒?\s*[0-9]{3}-?[0-9]{4}\s*)?(" + "|".join(sorted(PREFECTURE_NAMES, key=len, reverse=True)) + ")"
)
_STEM_TO_NAME = dict(zip(PREFECTURE_STEMS, PREFECTURE_NAMES, strict=True))


def address_prefecture(text: str) -> str | None:
    """An address → its prefecture (``東京都千代田区…`` → ``東京都``); None when it names none."""
    value = unicodedata.normalize("NFKC", text).strip()
    match = _PREFECTURE_AT_START.match(value)
    if match:
        return match.group(1)
    for stem, name in _STEM_TO_NAME.items():
        if value.startswith(stem) and len(stem) >= 2:
            return name
    return None


def identity(text: str) -> str | None:
    """The generaliser of values that are already coarse (prefecture, gender, occupation)."""
    return text


def generaliser_for(entity: str, granularity: Literal["year", "month"]) -> Callable[[str], str | None] | None:
    """The generaliser for an entity, or None when piiscan has none (the column is then dropped if blocked)."""
    if entity == "AGE":
        return age_band
    if entity in ("DATE_OF_BIRTH", "DATE"):
        return lambda text: date_generalise(text, granularity)
    if entity == "JP_POSTAL_CODE":
        return postal_prefix
    if entity == "JP_ADDRESS":
        return address_prefecture
    if entity in ("JP_PREFECTURE", "GENDER", "OCCUPATION"):
        return identity  # already coarse; k-anonymity suppression handles rare values
    return None


# ---------------------------------------------------------------- presidio operators


def hash_key_from_env(env_var: str = HASH_KEY_ENV) -> bytes:
    """The keyed-hash key; refuses to run without one (an unkeyed hash of a phone number is reversible)."""
    key = os.environ.get(env_var, "")
    if len(key) < MIN_HASH_KEY_CHARS:
        raise ConfigError(
            f"a keyed hash is needed but {env_var} is {'unset' if not key else 'too short'}; "
            f"set it to a secret of at least {MIN_HASH_KEY_CHARS} characters (it is never written anywhere)"
        )
    return key.encode("utf-8")


def keyed_hash(key: bytes) -> Callable[[str], str]:
    def _hash(text: str) -> str:
        normalised = unicodedata.normalize("NFKC", text).strip()
        return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    return _hash


# What replaces a span in free text. Not the entity's name: "[RELIGION]", "[DISABILITY]" and "[PERSON]様"
# are read as those entities again by the vocabulary and name recognizers, so the gate (which counts any
# validated value) would block the anonymised copy on its own placeholders.
REDACTED = "[REDACTED]"


def placeholder(entity: str) -> str:
    return REDACTED


def operator_config(
    operator: AnonymizeOperator,
    entity: str,
    *,
    key: bytes | None,
    generalise: Callable[[str], str | None] | None = None,
) -> OperatorConfig:
    """The presidio-anonymizer operator for one entity. ``drop`` is done by the caller for whole columns;
    inside free text it and ``redact`` replace the span with ``[REDACTED]`` (GiNZA reads ``<…>`` before
    a particle as a person's name, but leaves square brackets alone)."""
    if operator == "hash":
        if key is None:
            raise ConfigError(f"internal: keyed hash requested without a key ({HASH_KEY_ENV})")
        return OperatorConfig("custom", {"lambda": keyed_hash(key)})
    if operator == "mask":
        return OperatorConfig("mask", {"masking_char": "*", "chars_to_mask": 10_000, "from_end": False})
    if operator == "generalise" and generalise is not None:
        fallback = placeholder(entity)
        return OperatorConfig("custom", {"lambda": lambda text: generalise(text) or fallback})
    return OperatorConfig("replace", {"new_value": placeholder(entity)})


_engine: AnonymizerEngine | None = None


def anonymizer_engine() -> AnonymizerEngine:
    global _engine
    if _engine is None:
        _engine = AnonymizerEngine()  # type: ignore[no-untyped-call]
    return _engine


# ---------------------------------------------------------------- applied to a column, value by value


def as_text_list(array: pa.Array | pa.ChunkedArray) -> list[str | None]:
    """A column's values as text (None for null), whatever its Arrow type."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        try:
            array = pc.cast(array, pa.string())
        except pa.ArrowException:
            return [None if v is None else str(v) for v in array.to_pylist()]
    return array.to_pylist()  # type: ignore[no-any-return]


def map_distinct(values: list[str | None], transform: Callable[[str], str | None]) -> pa.Array:
    """``transform`` applied once per distinct value; nulls stay null."""
    cache: dict[str, str | None] = {}
    out: list[str | None] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        if value not in cache:
            cache[value] = transform(value)
        out.append(cache[value])
    return pa.array(out, type=pa.string())


def whole_value(operator_cfg: OperatorConfig, entity: str) -> Callable[[str], str | None]:
    """A presidio operator applied to a whole value as one span of ``entity``."""
    engine = anonymizer_engine()

    def _apply(text: str) -> str | None:
        if not text:
            return text
        result = engine.anonymize(
            text=text,
            analyzer_results=[RecognizerResult(entity, 0, len(text), 1.0)],
            operators={entity: operator_cfg},
        )
        return str(result.text)

    return _apply
