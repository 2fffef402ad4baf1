"""Step 1 of classification: what a column's profile and header say, as flat evidence records.

Nothing is decided here. Each record is one observation with its counts: a recognizer's rows
(``values``), GiNZA's hits in the sample (``ner``), a header word (``column_name``), or a value shape
that fits an entity the header names (``value_shape``: integers 0–120 under 年齢, JIS X 0410 mesh codes
under a location header). :mod:`pipeline.classify_score` turns them into candidates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pipeline.profile_model import ColumnProfile, EntityTally
from pipeline.settings import ClassificationSettings
from pipeline.text_shape import is_free_text
from recognizers.column_names import ColumnNameHint
from recognizers.entities import EntityId, EntityName, entity_name

EvidenceSource = Literal["values", "ner", "column_name", "value_shape"]

# JIS X 0303 (and ISO/IEC 5218) sex codes: 0 not known, 1 male, 2 female, 9 not applicable; and the
# letters and words forms use for the same field.
SEX_CODES = frozenset({"0", "1", "2", "9", "m", "f", "male", "female", "男", "女", "男性", "女性", "u", "x"})
# Yes/no flags as forms and exports write them.
FLAG_VALUES = frozenset(
    {
        "0",
        "1",
        "true",
        "false",
        "t",
        "f",
        "y",
        "n",
        "yes",
        "no",
        "有",
        "無",
        "有り",
        "無し",
        "あり",
        "なし",
        "○",
        "×",
        "〇",
        "済",
        "未",
        "該当",
        "非該当",
        "-",
    }
)
# Facts about a person that forms record as text, amounts (a deduction) or flags (通院あり).
SPECIAL_CARE_ENTITIES: frozenset[EntityId] = frozenset(
    {"MEDICAL", "DISABILITY", "LABOR_UNION", "RELIGION", "POLITICAL", "CRIMINAL_RECORD", "SEX_LIFE", "RACE"}
)
# A plaintext secret (a KEY=value line, an API key with its issuer's prefix) is a leak in whatever
# column it sits: judged as a mention, so a few near-certain rows tag a config or log column.
SECRET_ENTITIES: frozenset[EntityId] = frozenset({"PASSWORD"})
# Contact data of a person, as it is mentioned in remarks and messages.
CONTACT_ENTITIES: frozenset[EntityId] = frozenset({"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "JP_ADDRESS", "STREET_ADDRESS"})
_TEXT: frozenset[EntityId] = frozenset({"PERSON", "JP_ADDRESS", "SCHOOL_NAME", "DOMICILE"})
# Bank account numbers: 7 digits (全銀 format), 8 for ゆうちょ.
_ACCOUNT_DIGITS = (7, 8)
AMOUNTS = "amounts"
# Few enough distinct values that the sketch holds every one of them.
_CODE_MAX_DISTINCT = 4
# A graded result as check-ups (特定健診's 判定区分 A–E, with sub-grades such as C1/C2 and the reading
# after it: "E判定（要治療）"), assessments and tests write it: one grade letter, an optional digit.
_GRADE = re.compile(r"[a-h][0-9]?(?:判定)?(?:[(（][^)）]{0,20}[)）])?")
# A grade scale has few steps; the sketch holds every distinct value well below this.
_GRADE_MAX_DISTINCT = 24


@dataclass(frozen=True)
class Evidence:
    """One observation about one entity in one column.

    ``ratio`` is the share of non-null rows (values), of sampled distinct values (ner), of values with
    the shape (value_shape), or 1.0 (column_name). ``score`` is the mean recognizer score, or the header
    word's strength. ``rows`` is the count behind the ratio. ``in_text``: mentions inside prose, judged
    by the free-text thresholds. ``specific``: a value shape only this entity has (a passport number's
    two letters and seven digits), strong enough to outweigh other recognizers' matches.
    """

    entity: EntityName
    source: EvidenceSource
    ratio: float
    score: float
    rows: float
    examples: tuple[str, ...] = ()
    detail: str = ""  # the header word, or the name of the value shape
    in_text: bool = False
    specific: bool = False
    confident_ratio: float = 0.0  # share of rows whose own score reaches free_text_confident_score


def collect_evidence(
    profile: ColumnProfile, hints: tuple[ColumnNameHint, ...], settings: ClassificationSettings
) -> tuple[Evidence, ...]:
    """Every observation about the column, in a stable order: values, NER, header words, value shapes."""
    free_text = is_free_text(profile, settings)
    notes = reads_like_notes(profile, settings)
    found: list[Evidence] = []
    for name, tally in sorted(profile.entities.items()):
        entity = entity_name(name)
        # Mentions inside longer cells are judged as prose, unless a special-care fact is in nearly every
        # row: a column of short phrases each naming it ("病気療養のため") is a record of that fact.
        explains = (
            entity in SPECIAL_CARE_ENTITIES and tally.total_rows >= settings.values_explain_ratio * profile.non_null
        )
        mentions = tally.rows > 0 and tally.embedded_rows >= 0.5 * tally.rows and not explains
        # Contact data in a few rows of a notes column ("携帯 090-…", "山田様より") is mentioned there,
        # even when the number fills its short cell: the column is not a phone column.
        noted = notes and entity in CONTACT_ENTITIES and tally.total_rows < settings.min_ratio * profile.non_null
        secret = entity in SECRET_ENTITIES and tally.total_rows < settings.values_explain_ratio * profile.non_null
        in_text = free_text or mentions or noted or secret
        found.append(_from_tally(entity, "values", tally, profile.non_null, in_text, settings))
    for name, tally in sorted(profile.ner_hits.items()):
        sampled_rows = profile.ner_sample_rows or profile.ner_sample_size
        found.append(_from_tally(entity_name(name), "ner", tally, sampled_rows, free_text, settings))
    for hint in hints:
        found.append(Evidence(hint.entity, "column_name", 1.0, hint.strength, 0, detail=hint.word))
    measured = any(h.entity == "MEASURE" for h in hints)
    for hint in hints:
        if hint.entity not in settings.name_carried_entities:
            continue
        shape = value_shape(hint.entity, profile, settings)
        # 入院患者数, 障害者雇用率: numbers under a header that also says "count" or "rate" are statistics
        # about many people, not one person's fact (a deduction amount has no such word).
        if shape is not None and not (measured and shape.detail == AMOUNTS):
            found.append(shape)
    return tuple(found)


def reads_like_notes(profile: ColumnProfile, settings: ClassificationSettings) -> bool:
    """Mostly words, and long enough on average to be a note rather than a name or a code."""
    n = profile.non_null
    return n > 0 and profile.letter_rows >= 0.5 * n and profile.char_sum >= settings.free_text_min_avg_chars * n


def _from_tally(
    entity: EntityName,
    source: EvidenceSource,
    tally: EntityTally,
    denominator: int,
    in_text: bool,
    settings: ClassificationSettings,
) -> Evidence:
    if not denominator:
        return Evidence(entity, source, 0.0, tally.mean_score, tally.total_rows, in_text=in_text)
    ratio = min(1.0, tally.total_rows / denominator)
    confident = min(1.0, tally.rows_scoring_at_least(settings.free_text_confident_score) / denominator)
    examples = tuple(example for _, example in tally.examples)
    return Evidence(
        entity,
        source,
        ratio,
        tally.mean_score,
        tally.total_rows,
        examples,
        in_text=in_text,
        confident_ratio=confident,
    )


# ------------------------------------------------------------------ value shapes per entity kind


def value_shape(entity: EntityId, profile: ColumnProfile, settings: ClassificationSettings) -> Evidence | None:
    """The shape of the column's values that fits ``entity``, or None when no shape fits it."""
    n = profile.non_null
    if n == 0:
        return None
    temporal = profile.data_type.startswith(("date", "timestamp"))
    if entity == "DATE_OF_BIRTH":
        return _date_of_birth(profile)
    if temporal:
        return None
    for shape in _SHAPES.get(entity, _SHAPES_DEFAULT):
        found = shape(entity, profile, settings)
        if found is not None:
            return found
    return None


def _share(
    entity: EntityId,
    rows: float,
    profile: ColumnProfile,
    settings: ClassificationSettings,
    detail: str,
    specific: bool = False,
) -> Evidence | None:
    share = rows / profile.non_null
    if share < settings.shape_min_share:
        return None
    return Evidence(entity, "value_shape", share, 1.0, rows, detail=detail, specific=specific)


def _date_of_birth(profile: ColumnProfile) -> Evidence | None:
    if profile.data_type.startswith(("date", "timestamp")):
        return Evidence("DATE_OF_BIRTH", "value_shape", 1.0, 1.0, profile.non_null, detail="a date type")
    dated = profile.entities.get("DATE")
    share = dated.total_rows / profile.non_null if dated else 0.0
    if share < 0.5:
        return None
    return Evidence("DATE_OF_BIRTH", "value_shape", share, 1.0, share * profile.non_null, detail="dates")


def _small_codes(profile: ColumnProfile) -> frozenset[str] | None:
    """Every distinct value, normalised, when there are at most a handful (the sketch then holds them all)."""
    if not 0 < profile.distinct_estimate <= _CODE_MAX_DISTINCT:
        return None
    return frozenset(unicodedata.normalize("NFKC", v).strip().lower() for v in profile.sketch.values())


def _ages(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    return _share(entity, p.small_int_rows, p, s, "integers from 0 to 120")


def _coordinates(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    return _share(entity, max(p.latitude_rows, p.longitude_rows), p, s, "decimal degrees")


def _mesh_codes(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    return _share(entity, p.mesh_code_rows, p, s, "JIS X 0410 area mesh codes", specific=True)


def _geohashes(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    return _share(entity, p.geohash_rows, p, s, "geohashes", specific=True)


def _paths(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    return _share(entity, p.path_rows, p, s, "URLs or site paths")


def _letters(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    return _share(entity, p.letter_rows, p, s, "text")


def _amounts(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    return _share(entity, p.amount_rows, p, s, AMOUNTS)


def _sex_codes(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    codes = _small_codes(p)
    if codes is None or not codes <= SEX_CODES:
        return None
    return Evidence(
        entity, "value_shape", 1.0, 1.0, p.non_null, detail="sex codes (JIS X 0303)", specific=True
    )


def _flags(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    codes = _small_codes(p)
    if codes is None or len(codes) > 3 or not codes <= FLAG_VALUES:
        return None
    return Evidence(entity, "value_shape", 1.0, 1.0, p.non_null, detail="yes/no flags")


def _categories(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    """Few distinct values relative to rows, and not numbers (a union's or a religion's name)."""
    words = p.numeric_rows < 0.5 * p.non_null
    few = p.distinct_estimate <= max(60, p.non_null // 5)
    if not words or not (few or entity in ("OCCUPATION", "LABOR_UNION")):
        return None
    return Evidence(entity, "value_shape", 1.0, 1.0, p.non_null, detail="categories")


def _grades(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    """Every distinct value is a grade letter (A–H, optional sub-grade digit): a graded result."""
    if not 0 < p.distinct_estimate <= _GRADE_MAX_DISTINCT:
        return None
    values = [unicodedata.normalize("NFKC", v).strip().lower() for v in p.sketch.values()]
    if not all(_GRADE.fullmatch(v) for v in values) or len({v[0] for v in values}) < 2:
        return None
    return Evidence(entity, "value_shape", 1.0, 1.0, p.non_null, detail="graded letter codes", specific=True)


def _bank_accounts(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    rows = sum(p.digit_lengths.get(length, 0) for length in _ACCOUNT_DIGITS)
    return _share(entity, rows, p, s, "7- or 8-digit account numbers", specific=True)


def _passports(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    return _share(entity, p.passport_shape_rows, p, s, "two letters and seven digits", specific=True)


def _codes(entity: EntityId, p: ColumnProfile, s: ClassificationSettings) -> Evidence | None:
    """Identifiers, hashes and tokens are opaque: any value is consistent with them."""
    return Evidence(entity, "value_shape", 1.0, 1.0, p.non_null, detail="opaque codes")


_Shape = Callable[[EntityId, ColumnProfile, ClassificationSettings], Evidence | None]
_SPECIAL_CARE_SHAPES: tuple[_Shape, ...] = (_flags, _amounts, _categories, _letters)
# Tried in order; the first shape that fits is the evidence.
_SHAPES: dict[EntityId, tuple[_Shape, ...]] = {
    "AGE": (_ages,),
    "GEO_COORDINATE": (_coordinates, _mesh_codes, _geohashes),
    "URL": (_paths,),
    "GENDER": (_sex_codes, _categories),
    "JP_PREFECTURE": (_categories,),
    "OCCUPATION": (_categories,),
    "JP_BANK_ACCOUNT": (_bank_accounts, _codes),
    "JP_PASSPORT": (_passports, _codes),
    "MEDICAL": (_grades, *_SPECIAL_CARE_SHAPES),
    **{entity: (_letters,) for entity in _TEXT},
    **{entity: _SPECIAL_CARE_SHAPES for entity in SPECIAL_CARE_ENTITIES - {"MEDICAL"}},
}
_SHAPES_DEFAULT: tuple[_Shape, ...] = (_codes,)
