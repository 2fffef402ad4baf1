"""The three classification steps as pure functions, one table row per rule, on hand-built profiles.

collect_evidence: profile + header hints → evidence records; score: records → candidates;
resolve: candidates → the entities a column holds. Then classify_column's sentences (header decided,
near misses, constant columns) and the low-prevalence rule at two table sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from pipeline.classify import classify_column, near_misses
from pipeline.classify_evidence import Evidence, collect_evidence, value_shape
from pipeline.classify_resolve import resolve
from pipeline.classify_score import Candidate, score
from pipeline.policy import load_policy
from pipeline.profile_model import ColumnProfile, EntityTally
from pipeline.settings import ClassificationSettings, load_scan_settings
from pipeline.text_shape import is_free_text, needs_ner
from recognizers.column_names import ColumnNameHint, column_name_hints

SETTINGS: ClassificationSettings = load_scan_settings().classification
POLICY = load_policy()


def _tally(rows: float, mean: float, embedded: bool = False, examples: tuple[str, ...] = ()) -> EntityTally:
    whole = int(rows)
    tally = EntityTally(
        rows=whole, score_sum=mean * whole, max_score=mean, embedded_rows=whole if embedded else 0
    )
    tally.examples = [(i, e) for i, e in enumerate(examples)]
    return tally


@dataclass
class P:
    """A compact way to write a profile: shares of n, not counts."""

    name: str = "c"
    n: int = 1000
    data_type: str = "string"
    values: dict[str, tuple[float, float]] = field(default_factory=dict)  # entity → (share, mean score)
    mentions: dict[str, tuple[float, float]] = field(default_factory=dict)  # embedded in text
    ner: dict[str, int] = field(default_factory=dict)  # entity → hits in the sample
    ner_sample: int = 0
    distinct: tuple[str, ...] = ()  # the whole sketch (few distinct values); default: n distinct strings
    prose: bool = False
    shapes: dict[str, float] = field(default_factory=dict)  # counter attr → share of n
    digit_lengths: dict[int, float] = field(default_factory=dict)

    def build(self) -> ColumnProfile:
        n = self.n
        profile = ColumnProfile(name=self.name, data_type=self.data_type, rows=n, non_null=n)
        profile.char_sum = n * (40 if self.prose else 8)
        profile.sentence_rows = n if self.prose else 0
        profile.letter_rows = n if self.prose else 0
        for attr, share in self.shapes.items():
            setattr(profile, attr, int(share * n))
        profile.digit_lengths = {k: int(v * n) for k, v in self.digit_lengths.items()}
        values = self.distinct or tuple(f"v{i}" for i in range(min(n, 256)))
        profile.sketch = {i: v for i, v in enumerate(values)}
        for entity, (share, mean) in self.values.items():
            profile.entities[entity] = _tally(share * n, mean, examples=("***",))
        for entity, (share, mean) in self.mentions.items():
            profile.entities[entity] = _tally(share * n, mean, embedded=True)
        for entity, hits in self.ner.items():
            profile.ner_hits[entity] = _tally(hits, 0.7)
        profile.ner_sample_size = self.ner_sample
        return profile


def _summary(evidence: tuple[Evidence, ...]) -> set[tuple[str, str, float, str]]:
    return {(e.entity, e.source, round(e.ratio, 3), e.detail) for e in evidence}


# ------------------------------------------------------------------ step 1: collect_evidence

EVIDENCE_CASES: list[tuple[str, P, set[tuple[str, str, float, str]]]] = [
    ("recognizer rows", P(values={"PHONE_NUMBER": (0.9, 0.8)}), {("PHONE_NUMBER", "values", 0.9, "")}),
    (
        "ner hits over the sample",
        P(prose=True, ner={"PERSON": 10}, ner_sample=200),
        {("PERSON", "ner", 0.05, "")},
    ),
    ("header word", P(name="電話番号"), {("PHONE_NUMBER", "column_name", 1.0, "電話番号")}),
    (
        "opaque codes under a member-number header",
        P(name="会員番号"),
        {("MEMBER_ID", "column_name", 1.0, "会員番号"), ("MEMBER_ID", "value_shape", 1.0, "opaque codes")},
    ),
    (
        "ages under 年齢",
        P(name="年齢", shapes={"small_int_rows": 1.0}),
        {("AGE", "column_name", 1.0, "年齢"), ("AGE", "value_shape", 1.0, "integers from 0 to 120")},
    ),
    (
        "ages contradicted",
        P(name="年齢", shapes={"small_int_rows": 0.3}),
        {("AGE", "column_name", 1.0, "年齢")},
    ),
    (
        "JIS X 0303 sex codes",
        P(name="性別", distinct=("1", "2", "9")),
        {("GENDER", "column_name", 1.0, "性別"), ("GENDER", "value_shape", 1.0, "sex codes (JIS X 0303)")},
    ),
    (
        "M/F",
        P(name="sex", distinct=("M", "F")),
        {("GENDER", "column_name", 1.0, "sex"), ("GENDER", "value_shape", 1.0, "sex codes (JIS X 0303)")},
    ),
    (
        "many numbers are no sex codes",
        P(name="性別", shapes={"numeric_rows": 1.0}),
        {("GENDER", "column_name", 1.0, "性別")},
    ),
    (
        "mesh codes",
        P(name="メッシュコード", shapes={"mesh_code_rows": 0.95}),
        {
            ("GEO_COORDINATE", "column_name", 1.0, "メッシュコード"),
            ("GEO_COORDINATE", "value_shape", 0.95, "JIS X 0410 area mesh codes"),
        },
    ),
    (
        "geohashes",
        P(name="geohash", shapes={"geohash_rows": 1.0}),
        {
            ("GEO_COORDINATE", "column_name", 1.0, "geohash"),
            ("GEO_COORDINATE", "value_shape", 1.0, "geohashes"),
        },
    ),
    (
        "integers under lat_count are no coordinates",
        P(name="lat_count", shapes={"numeric_rows": 1.0}),
        {("GEO_COORDINATE", "column_name", 1.0, "lat"), ("MEASURE", "column_name", 1.0, "count")},
    ),
    (
        "deduction amounts",
        P(name="障害者控除", shapes={"amount_rows": 1.0, "numeric_rows": 1.0}),
        {("DISABILITY", "column_name", 1.0, "障害者"), ("DISABILITY", "value_shape", 1.0, "amounts")},
    ),
    (
        "patient counts are statistics, not a person's fact",
        P(name="入院患者数", shapes={"amount_rows": 1.0, "numeric_rows": 1.0}),
        {("MEDICAL", "column_name", 1.0, "入院"), ("MEASURE", "column_name", 1.0, "数")},
    ),
    (
        "visit flags",
        P(name="通院フラグ", distinct=("0", "1")),
        {("MEDICAL", "column_name", 1.0, "通院"), ("MEDICAL", "value_shape", 1.0, "yes/no flags")},
    ),
    (
        "7-digit accounts",
        P(name="口座番号", digit_lengths={7: 0.9, 8: 0.1}),
        {
            ("JP_BANK_ACCOUNT", "column_name", 1.0, "口座番号"),
            ("JP_BANK_ACCOUNT", "value_shape", 1.0, "7- or 8-digit account numbers"),
        },
    ),
    (
        "passport shape",
        P(name="passport_no", shapes={"passport_shape_rows": 1.0}),
        {
            ("JP_PASSPORT", "column_name", 1.0, "passport_no"),
            ("JP_PASSPORT", "value_shape", 1.0, "two letters and seven digits"),
        },
    ),
    (
        "birth dates typed as dates",
        P(name="生年月日", data_type="date32[day]"),
        {
            ("DATE_OF_BIRTH", "column_name", 1.0, "生年月日"),
            ("DATE_OF_BIRTH", "value_shape", 1.0, "a date type"),
        },
    ),
]


@pytest.mark.parametrize(("case", "profile", "expected"), EVIDENCE_CASES, ids=[c[0] for c in EVIDENCE_CASES])
def test_collect_evidence(case: str, profile: P, expected: set[tuple[str, str, float, str]]) -> None:
    built = profile.build()
    assert _summary(collect_evidence(built, column_name_hints(built.name), SETTINGS)) == expected


def test_evidence_marks_mentions_and_prose_as_text() -> None:
    built = P(mentions={"PHONE_NUMBER": (0.02, 0.7)}, values={"EMAIL_ADDRESS": (0.9, 0.9)}).build()
    by_entity = {e.entity: e for e in collect_evidence(built, (), SETTINGS)}
    assert by_entity["PHONE_NUMBER"].in_text and not by_entity["EMAIL_ADDRESS"].in_text
    assert by_entity["PHONE_NUMBER"].rows == 20 and by_entity["EMAIL_ADDRESS"].examples == ("***",)


def test_specific_shapes_are_marked_specific() -> None:
    passport = value_shape("JP_PASSPORT", P(shapes={"passport_shape_rows": 1.0}).build(), SETTINGS)
    ages = value_shape("AGE", P(shapes={"small_int_rows": 1.0}).build(), SETTINGS)
    assert passport is not None and passport.specific
    assert ages is not None and not ages.specific


# ------------------------------------------------------------------ step 2: score


def _ev(entity: str, source: str, ratio: float, score_: float, **kw: object) -> Evidence:
    return Evidence(entity, source, ratio, score_, ratio * 1000, **kw)  # type: ignore[arg-type]


def _name(entity: str, strength: float = 0.9, word: str = "w") -> Evidence:
    return Evidence(entity, "column_name", 1.0, strength, 0, detail=word)


def _shape(entity: str, specific: bool = False) -> Evidence:
    return Evidence(entity, "value_shape", 1.0, 1.0, 1000, detail="shape", specific=specific)


# evidence → {entity: (accepted, rule)} for every candidate score returns
SCORE_CASES: list[tuple[str, tuple[Evidence, ...], dict[str, tuple[bool, str]]]] = [
    ("values decide", (_ev("EMAIL_ADDRESS", "values", 0.9, 0.9),), {"EMAIL_ADDRESS": (True, "threshold")}),
    ("too few rows", (_ev("EMAIL_ADDRESS", "values", 0.3, 0.9),), {"EMAIL_ADDRESS": (False, "threshold")}),
    (
        "per-entity bar: 62 % of card numbers against 70 %",
        (_ev("CREDIT_CARD", "values", 0.62, 1.0),),
        {"CREDIT_CARD": (False, "threshold")},
    ),
    (
        "header lowers the bar",
        (_ev("CREDIT_CARD", "values", 0.2, 1.0), _name("CREDIT_CARD")),
        {"CREDIT_CARD": (True, "threshold")},
    ),
    (
        "mentions in prose",
        (_ev("PHONE_NUMBER", "values", 0.04, 0.7, in_text=True),),
        {"PHONE_NUMBER": (True, "threshold")},
    ),
    (
        "mentions scoring below the bar",
        (_ev("PHONE_NUMBER", "values", 0.2, 0.55, in_text=True),),
        {"PHONE_NUMBER": (False, "threshold")},
    ),
    (
        "confident mentions count from 0.5 %",
        (_ev("EMAIL_ADDRESS", "values", 0.006, 0.95, in_text=True),),
        {"EMAIL_ADDRESS": (True, "threshold")},
    ),
    (
        "enough near-certain rows under a mean just below the cut-off",
        (_ev("PERSON", "values", 0.02, 0.88, in_text=True, confident_ratio=0.008),),
        {"PERSON": (True, "confident_rows")},
    ),
    (
        "the same mean without near-certain rows",
        (_ev("PERSON", "values", 0.02, 0.88, in_text=True),),
        {"PERSON": (False, "threshold")},
    ),
    (
        "contact mentions add up",
        (
            _ev("PHONE_NUMBER", "values", 0.015, 0.75, in_text=True),
            _ev("PERSON", "ner", 0.015, 0.7, in_text=True),
        ),
        {"PHONE_NUMBER": (True, "contact_mentions"), "PERSON": (True, "contact_mentions")},
    ),
    (
        "one kind alone at 1.5 % is not enough",
        (_ev("PHONE_NUMBER", "values", 0.015, 0.75, in_text=True),),
        {"PHONE_NUMBER": (False, "threshold")},
    ),
    (
        "stray matches do not add up",
        (
            _ev("PHONE_NUMBER", "values", 0.02, 0.75, in_text=True),
            _ev("PERSON", "ner", 0.005, 0.7, in_text=True),
        ),
        {"PHONE_NUMBER": (False, "threshold"), "PERSON": (False, "threshold")},
    ),
    (
        "non-contact entities do not add up",
        (
            _ev("PHONE_NUMBER", "values", 0.015, 0.75, in_text=True),
            _ev("MEDICAL", "values", 0.015, 0.75, in_text=True),
        ),
        {"PHONE_NUMBER": (False, "threshold"), "MEDICAL": (False, "threshold")},
    ),
    (
        "NER adds what values did not accept",
        (_ev("PERSON", "values", 0.01, 0.8, in_text=True), _ev("PERSON", "ner", 0.05, 0.7, in_text=True)),
        {"PERSON": (True, "threshold")},
    ),
    (
        "the header decides for opaque values",
        (_name("GENDER"), _shape("GENDER")),
        {"GENDER": (True, "header")},
    ),
    ("a weak header does not", (_name("GENDER", 0.7), _shape("GENDER")), {}),
    (
        "a medium header with a shape only its entity has",
        (_name("GEO_COORDINATE", 0.7), _shape("GEO_COORDINATE", specific=True)),
        {"GEO_COORDINATE": (True, "header")},
    ),
    (
        "a weak header even with that shape",
        (_name("GEO_COORDINATE", 0.5), _shape("GEO_COORDINATE", True)),
        {},
    ),
    ("no shape, no header decision", (_name("AGE"),), {}),
    (
        "values that explain the column win over a header",
        (_ev("IP_ADDRESS", "values", 0.95, 0.9), _name("MEMBER_ID"), _shape("MEMBER_ID")),
        {"IP_ADDRESS": (True, "threshold")},
    ),
    (
        "a specific shape carries its header anyway",
        (
            _ev("JP_POSTAL_CODE", "values", 0.95, 0.5),
            _name("JP_BANK_ACCOUNT"),
            _shape("JP_BANK_ACCOUNT", True),
        ),
        {"JP_POSTAL_CODE": (True, "threshold"), "JP_BANK_ACCOUNT": (True, "header")},
    ),
    (
        "a date under a birth-date header",
        (_ev("DATE", "values", 1.0, 0.8), _name("DATE_OF_BIRTH")),
        {"DATE_OF_BIRTH": (True, "threshold")},
    ),
]


@pytest.mark.parametrize(("case", "evidence", "expected"), SCORE_CASES, ids=[c[0] for c in SCORE_CASES])
def test_score(case: str, evidence: tuple[Evidence, ...], expected: dict[str, tuple[bool, str]]) -> None:
    assert {c.entity: (c.accepted, c.rule) for c in score(evidence, SETTINGS)} == expected


def test_score_keeps_the_bar_it_applied_and_accepted_scores_stay_in_range() -> None:
    card = score((_ev("CREDIT_CARD", "values", 0.62, 1.0),), SETTINGS)[0]
    assert (card.needed_ratio, card.needed_score) == (0.7, SETTINGS.min_score)
    header = score((_name("GENDER"), _shape("GENDER")), SETTINGS)[0]
    assert header.score == pytest.approx(0.9 * SETTINGS.name_only_score_factor)
    assert header.evidence == ("column_name",)
    mixed = score(
        (
            _ev("PHONE_NUMBER", "values", 0.015, 0.75, in_text=True),
            _ev("PERSON", "ner", 0.015, 0.7, in_text=True),
        ),
        SETTINGS,
    )
    assert all(0 < c.score <= 1 and c.rule_share == pytest.approx(0.03) for c in mixed)


# ------------------------------------------------------------------ step 3: resolve


def _cand(entity: str, ratio: float, score_: float, *words: str) -> Candidate:
    return Candidate(entity, ratio, score_, words or ("values",), (), ())


def _hint(entity: str) -> ColumnNameHint:
    return ColumnNameHint(entity, 0.9, entity.lower())


RESOLVE_CASES: list[tuple[str, tuple[Candidate, ...], tuple[ColumnNameHint, ...], P, list[str]]] = [
    ("one entity", (_cand("PHONE_NUMBER", 0.9, 0.9),), (), P(), ["PHONE_NUMBER"]),
    (
        "rejected candidates never come out",
        (Candidate("PHONE_NUMBER", 0.3, 0.9, ("values",), (), (), False),),
        (),
        P(),
        [],
    ),
    ("a company's phone", (_cand("PHONE_NUMBER", 0.9, 0.9),), (_hint("ORGANIZATION"),), P(), []),
    ("a product is no person", (_cand("PERSON", 0.9, 0.9),), (_hint("PRODUCT"),), P(), []),
    (
        "structured: the weak second entity goes",
        (_cand("PHONE_NUMBER", 0.9, 0.9), _cand("PERSON", 0.2, 0.6)),
        (),
        P(),
        ["PHONE_NUMBER"],
    ),
    (
        "prose keeps every mention",
        (_cand("PHONE_NUMBER", 0.9, 0.9), _cand("PERSON", 0.2, 0.6)),
        (),
        P(prose=True),
        ["PHONE_NUMBER", "PERSON"],
    ),
    (
        "a JAN code column keeps only what a header backs",
        (_cand("JAN_CODE", 1.0, 1.0), _cand("JP_MY_NUMBER", 0.8, 0.9)),
        (),
        P(),
        ["JAN_CODE"],
    ),
    (
        "a company's column does not add up mentions",
        (replace(_cand("PERSON", 0.015, 0.7, "ner", "free_text"), rule="contact_mentions"),),
        (_hint("ORGANIZATION"),),
        P(prose=True),
        [],
    ),
    (
        "a few phone numbers over many rows",
        (_cand("PHONE_NUMBER", 1.0, 0.9),),
        (),
        P(values={"PHONE_NUMBER": (1.0, 0.9)}, distinct=("03-1", "03-2")),
        [],
    ),
]


@pytest.mark.parametrize(
    ("case", "candidates", "hints", "profile", "expected"), RESOLVE_CASES, ids=[c[0] for c in RESOLVE_CASES]
)
def test_resolve(
    case: str,
    candidates: tuple[Candidate, ...],
    hints: tuple[ColumnNameHint, ...],
    profile: P,
    expected: list[str],
) -> None:
    assert [c.entity for c in resolve(candidates, hints, profile.build(), SETTINGS)] == expected


# ------------------------------------------------------------------ the whole column and its sentence


def test_the_explanation_says_the_header_decided() -> None:
    result = classify_column(P(name="性別", distinct=("1", "2", "9")).build(), POLICY, SETTINGS)
    assert result.categories == ("attribute",)
    assert "the header decided" in result.explanation and "JIS X 0303" in result.explanation


def test_near_misses_are_explained_with_share_and_score() -> None:
    cards = classify_column(P(values={"CREDIT_CARD": (0.62, 1.0)}).build(), POLICY, SETTINGS)
    assert cards.categories == ()
    assert (
        "Below threshold: CREDIT_CARD in 62% of rows at score 1.00 (needs 70% at 0.50)" in cards.explanation
    )
    mentions = classify_column(
        P(prose=True, mentions={"PHONE_NUMBER": (0.2, 0.55)}).build(), POLICY, SETTINGS
    )
    assert "PHONE_NUMBER in 20% of rows at score 0.55 (needs 3.0% at 0.60)" in mentions.explanation


def test_far_misses_and_category_less_entities_are_not_near_misses() -> None:
    candidates = score((_ev("CREDIT_CARD", "values", 0.1, 1.0),), SETTINGS)
    assert near_misses(candidates, SETTINGS) == ()
    dates = classify_column(P(values={"DATE": (0.4, 0.9)}).build(), POLICY, SETTINGS)
    assert "Below threshold" not in dates.explanation


@pytest.mark.parametrize(
    ("distinct", "expected"), [(("1200",), "1 distinct number,"), (("10", "20", "30"), "3 distinct numbers,")]
)
def test_a_few_repeated_numbers_are_explained_as_such(distinct: tuple[str, ...], expected: str) -> None:
    result = classify_column(
        P(name="unit", distinct=distinct, shapes={"numeric_rows": 1.0}).build(), POLICY, SETTINGS
    )
    assert result.categories == ()
    assert expected in result.explanation and "No personal data found" not in result.explanation


def test_many_distinct_values_still_say_nothing_found() -> None:
    result = classify_column(P(name="c07", shapes={"numeric_rows": 1.0}).build(), POLICY, SETTINGS)
    assert result.explanation.startswith("No personal data found in 1000 non-null values of 'c07'.")


@pytest.mark.parametrize("rows", [6_000, 2_000_000])
def test_low_prevalence_contact_mentions_are_tagged_at_any_size(rows: int) -> None:
    """1.5 % phone numbers scoring 0.75 and 1.5 % names found by GiNZA: tagged at 6,000 and at 2,000,000 rows."""
    profile = P(
        name="備考",
        n=rows,
        prose=True,
        mentions={"PHONE_NUMBER": (0.015, 0.75)},
        ner={"PERSON": 3},
        ner_sample=200,
    ).build()
    result = classify_column(profile, POLICY, SETTINGS)
    assert result.categories == ("personal",)
    assert {e.type for e in result.entities} == {"PHONE_NUMBER", "PERSON"}
    assert "mentioned in 3.0% of rows together" in result.explanation


@pytest.mark.parametrize("rows", [6_000, 2_000_000])
def test_business_remarks_with_stray_matches_stay_untagged_at_any_size(rows: int) -> None:
    profile = P(
        name="備考",
        n=rows,
        prose=True,
        mentions={"PHONE_NUMBER": (0.004, 0.75)},
        ner={"PERSON": 1},
        ner_sample=200,
    ).build()
    assert classify_column(profile, POLICY, SETTINGS).categories == ()


# header-carried columns, whole: profile → categories and the phrase that says the header decided
HEADER_CASES: list[tuple[str, P, tuple[str, ...], str]] = [
    (
        "sex codes",
        P(name="性別", distinct=("1", "2", "9"), shapes={"numeric_rows": 1.0}),
        ("attribute",),
        "sex codes",
    ),
    ("sex letters", P(name="gender", distinct=("M", "F")), ("attribute",), "sex codes"),
    (
        "mesh codes",
        P(name="メッシュコード", shapes={"mesh_code_rows": 1.0, "numeric_rows": 1.0}),
        ("location",),
        "mesh",
    ),
    ("geohashes", P(name="geohash", shapes={"geohash_rows": 1.0}), ("location",), "geohashes"),
    (
        "geohashes under a medium header",
        P(name="location", shapes={"geohash_rows": 1.0}),
        ("location",),
        "geohashes",
    ),
    ("text under the same header", P(name="location", shapes={"letter_rows": 1.0}), (), "No personal data"),
    (
        "disability deduction",
        P(name="障害者控除額", shapes={"amount_rows": 1.0, "numeric_rows": 1.0}),
        ("sensitive.social_status",),
        "amounts",
    ),
    (
        "union dues",
        P(name="組合費", shapes={"amount_rows": 1.0}, distinct=("2000", "2500")),
        ("sensitive.labor",),
        "amounts",
    ),
    (
        "medical deduction",
        P(name="医療費控除", shapes={"amount_rows": 1.0}),
        ("sensitive.health",),
        "amounts",
    ),
    ("visit flag", P(name="通院フラグ", distinct=("0", "1")), ("sensitive.health",), "yes/no flags"),
    (
        "account numbers that also look like postal codes",
        P(name="口座番号", digit_lengths={7: 1.0}, values={"JP_POSTAL_CODE": (0.95, 0.5)}),
        ("financial",),
        "7- or 8-digit account numbers",
    ),
    ("ゆうちょ accounts", P(name="account_no", digit_lengths={8: 1.0}), ("financial",), "account numbers"),
    (
        "passport numbers alone",
        P(name="旅券番号", shapes={"passport_shape_rows": 1.0}),
        ("identifier_code",),
        "seven digits",
    ),
    (
        "patient counts",
        P(name="入院患者数", shapes={"amount_rows": 1.0, "numeric_rows": 1.0}),
        (),
        "No personal data",
    ),
    ("a weak header word", P(name="組合", distinct=("0", "1")), (), "holds only 2 distinct values"),
]


@pytest.mark.parametrize(
    ("case", "profile", "categories", "phrase"), HEADER_CASES, ids=[c[0] for c in HEADER_CASES]
)
def test_header_carried_columns(case: str, profile: P, categories: tuple[str, ...], phrase: str) -> None:
    result = classify_column(profile.build(), POLICY, SETTINGS)
    assert result.categories == categories, result.explanation
    assert phrase in result.explanation
    if categories:
        assert "the header decided" in result.explanation
        assert all("column_name" in e.evidence for e in result.entities)


# the one free-text rule that gates NER (detect) and mention thresholds (classify)
TEXT_SHAPE_CASES: list[tuple[str, P, bool, bool]] = [
    ("prose", P(prose=True), True, True),
    ("short codes", P(), False, False),
    (
        "prose an entity explains (user agents)",
        P(prose=True, values={"USER_AGENT": (0.9, 0.9)}),
        False,
        False,
    ),
    ("empty column", P(n=0), False, False),
]


@pytest.mark.parametrize(
    ("case", "profile", "free", "ner"), TEXT_SHAPE_CASES, ids=[c[0] for c in TEXT_SHAPE_CASES]
)
def test_text_shape(case: str, profile: P, free: bool, ner: bool) -> None:
    built = profile.build()
    assert is_free_text(built, SETTINGS) is free
    assert needs_ner(built, is_free_text(built, SETTINGS)) is ner
