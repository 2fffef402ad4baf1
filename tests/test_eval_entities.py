"""Recognizer quality on the generated corpus: floors per entity, per category and per decoy group.

The floors were MEASURED with::

    .venv/bin/python -m tests.datagen.eval_entities --seed 0 --n 40

(2,360 examples) and each is set a little under the measured value (measured − 0.02, rounded down
to a multiple of 0.05), so that they hold for the fixed seed and catch regressions. The measured
values stand beside each floor.

The issue's own targets (≥ 0.95 precision and recall for identifiers with check digits, ≥ 0.9 for
names, decoys left untagged) are tested separately. Where the recognizers fall short today the
case is marked ``xfail(strict=True)`` with the measured value: it is reported, not counted as
passing, and it turns into a failure (XPASS) as soon as the recognizer is fixed, so the mark must
then be removed and the target becomes a gate.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from typing import ClassVar, Literal

import pytest
from presidio_analyzer import Pattern

from pipeline.policy import load_policy
from recognizers.base import JapanesePatternRecognizer
from tests.datagen import corpus
from tests.datagen.corpus import Example, generate_corpus
from tests.datagen.eval_entities import EntityEvaluation, evaluate_corpus, format_report, main, run

SEED = 0
N = 40

# entity: (precision floor, recall floor)
ENTITY_FLOORS: dict[str, tuple[float, float]] = {
    "AGE": (0.95, 0.95),  # measured 1.000 / 1.000
    "BELIEF": (0.95, 0.95),  # measured 1.000 / 1.000
    "COOKIE_ID": (0.95, 0.95),  # measured 1.000 / 1.000
    "CREDIT_CARD": (0.95, 0.95),  # measured 1.000 / 1.000
    "CRIMINAL_RECORD": (0.95, 0.95),  # measured 1.000 / 1.000
    "DATE": (0.95, 0.95),  # measured 1.000 / 1.000
    "DATE_OF_BIRTH": (0.95, 0.95),  # measured 1.000 / 1.000
    "DEVICE_ID": (0.95, 0.95),  # measured 1.000 / 1.000
    "DISABILITY": (0.95, 0.85),  # measured 1.000 / 0.875
    "DOMICILE": (0.95, 0.95),  # measured 1.000 / 1.000
    "EMAIL_ADDRESS": (0.95, 0.95),  # measured 1.000 / 1.000
    "GENDER": (0.95, 0.95),  # measured 1.000 / 1.000
    "GEO_COORDINATE": (0.95, 0.90),  # measured 1.000 / 0.950
    "IP_ADDRESS": (0.95, 0.95),  # measured 1.000 / 1.000
    "JAN_CODE": (0.95, 0.95),  # measured 0.976 / 1.000
    "JP_ADDRESS": (0.95, 0.95),  # measured 1.000 / 1.000
    "JP_BANK_ACCOUNT": (0.95, 0.85),  # measured 1.000 / 0.875
    "JP_BASIC_PENSION_NUMBER": (0.95, 0.95),  # measured 1.000 / 1.000
    "JP_BUSINESS_PHONE": (0.95, 0.95),  # measured 1.000 / 1.000
    "JP_CORPORATE_NUMBER": (0.95, 0.95),  # measured 0.976 / 1.000
    "JP_DRIVER_LICENSE": (0.95, 0.95),  # measured 0.976 / 1.000
    "JP_HEALTH_INSURANCE": (0.95, 0.95),  # measured 1.000 / 1.000
    "JP_MY_NUMBER": (0.95, 0.95),  # measured 1.000 / 1.000
    "JP_PASSPORT": (0.95, 0.95),  # measured 1.000 / 1.000
    "JP_POSTAL_CODE": (0.95, 0.95),  # measured 1.000 / 1.000
    "JP_PREFECTURE": (0.95, 0.95),  # measured 1.000 / 1.000
    "JP_RESIDENCE_CARD": (0.95, 0.95),  # measured 1.000 / 1.000
    "LABOR_UNION": (0.95, 0.95),  # measured 1.000 / 1.000
    "MAC_ADDRESS": (0.95, 0.95),  # measured 1.000 / 1.000
    "MEDICAL": (0.95, 0.95),  # measured 1.000 / 1.000
    "MEMBER_ID": (0.95, 0.95),  # measured 1.000 / 1.000
    "OCCUPATION": (0.95, 0.95),  # measured 1.000 / 1.000
    "PASSWORD": (0.95, 0.95),  # measured 1.000 / 1.000
    "PERSON": (0.95, 0.90),  # measured 1.000 / 0.956
    "PHONE_NUMBER": (0.95, 0.95),  # measured 1.000 / 1.000
    "POLITICAL": (0.95, 0.90),  # measured 1.000 / 0.950
    "RACE": (0.95, 0.95),  # measured 1.000 / 1.000
    "RELIGION": (0.95, 0.90),  # measured 1.000 / 0.950
    "SCHOOL_NAME": (0.95, 0.95),  # measured 1.000 / 1.000
    "SEX_LIFE": (0.95, 0.95),  # measured 1.000 / 1.000
    "STREET_ADDRESS": (0.95, 0.75),  # measured 1.000 / 0.800
    "URL": (0.95, 0.90),  # measured 1.000 / 0.933
    "USER_AGENT": (0.95, 0.95),  # measured 1.000 / 1.000
    "US_SSN": (0.95, 0.95),  # measured 1.000 / 1.000
}

CATEGORY_FLOORS: dict[str, tuple[float, float]] = {
    "attribute": (0.95, 0.95),  # measured 1.000 / 1.000
    "behavioral": (0.95, 0.90),  # measured 1.000 / 0.933
    "credential": (0.95, 0.95),  # measured 1.000 / 1.000
    "device": (0.95, 0.95),  # measured 1.000 / 1.000
    "financial": (0.95, 0.90),  # measured 1.000 / 0.938
    "identifier_code": (0.95, 0.95),  # measured 1.000 / 1.000
    "location": (0.95, 0.90),  # measured 1.000 / 0.950
    "personal": (0.95, 0.90),  # measured 1.000 / 0.965
    "sensitive.belief": (0.95, 0.95),  # measured 1.000 / 0.975
    "sensitive.health": (0.95, 0.95),  # measured 1.000 / 1.000
    "sensitive.labor": (0.95, 0.95),  # measured 1.000 / 1.000
    "sensitive.political": (0.95, 0.90),  # measured 1.000 / 0.950
    "sensitive.social_status": (0.95, 0.90),  # measured 1.000 / 0.969
}

# decoy group: share of its examples in which no policy category was wrongly found
DECOY_FLOORS: dict[str, float] = {
    "decoy:company_or_place_with_surname": 0.95,  # measured 40/40
    "decoy:company_phone_catalogue": 0.95,  # measured 40/40
    "decoy:corporate_in_catalogue": 0.95,  # measured 40/40
    "decoy:date_not_birth": 0.95,  # measured 40/40
    "decoy:email_lookalike": 0.95,  # measured 40/40
    "decoy:hash_not_password": 0.95,  # measured 40/40
    "decoy:jan_in_catalogue": 0.95,  # measured 40/40
    "decoy:order_number_13_16": 0.95,  # measured 40/40
    "decoy:place_in_product_name": 0.95,  # measured 40/40
    "decoy:prefecture_only_domicile": 0.95,  # measured 40/40
    "decoy:price": 0.95,  # measured 40/40
    "decoy:product_code_12": 0.95,  # measured 40/40
    "decoy:quantity_measure": 0.95,  # measured 40/40
    "decoy:sensitive_word_inside_ordinary": 0.95,  # measured 40/40
    "decoy:version_string": 0.95,  # measured 40/40
}

# The issue's targets: identifiers with check digits ≥ 0.95, names ≥ 0.9 (precision and recall).
CHECK_DIGIT_IDS = ("JP_MY_NUMBER", "JP_CORPORATE_NUMBER", "JP_DRIVER_LICENSE", "JP_HEALTH_INSURANCE",
                   "CREDIT_CARD", "JAN_CODE")
ISSUE_TARGETS: dict[str, float] = {**dict.fromkeys(CHECK_DIGIT_IDS, 0.95), "PERSON": 0.9}
# (entity, metric) → measured value where the recognizers miss the target today.
BELOW_TARGET: dict[tuple[str, str], float] = {}
# The issue's decoys: all must stay free of policy categories.
ISSUE_DECOYS = ("decoy:jan_in_catalogue", "decoy:corporate_in_catalogue", "decoy:product_code_12",
                "decoy:place_in_product_name", "decoy:company_phone_catalogue")
DECOYS_BELOW_TARGET: dict[str, str] = {}
# Policy entities no registered recognizer emits.
UNDETECTED_ENTITIES: dict[str, str] = {}


@pytest.fixture(scope="module")
def result() -> EntityEvaluation:
    return run(SEED, N)


@pytest.fixture(scope="module")
def entity_categories() -> dict[str, str]:
    return dict(load_policy().model.entity_categories)


# --- the corpus -------------------------------------------------------------------------------


def test_corpus_is_deterministic_per_seed() -> None:
    assert generate_corpus(3, 8) == generate_corpus(3, 8)
    assert generate_corpus(3, 8) != generate_corpus(4, 8)


def test_corpus_covers_every_policy_entity_and_the_non_personal_ones(entity_categories: dict[str, str]) -> None:
    wanted = set(entity_categories) | set(corpus.NON_PERSONAL_ENTITIES)
    assert corpus.covered_entities() == wanted
    examples = generate_corpus(SEED, 12)
    positives = {e.group for e in examples if e.kind == "positive"}
    assert positives == wanted
    for example in examples:
        if example.kind == "positive":
            assert example.group in example.expected
        assert not example.expected & example.tolerated


def test_every_form_of_every_entity_appears() -> None:
    examples = generate_corpus(SEED, N)
    seen = {(e.group, e.form) for e in examples}
    for entity, make_forms in corpus.POSITIVE_FORMS.items():
        forms = make_forms()
        assert len(forms) >= 3, entity
        assert {(entity, f) for f in forms} <= seen
    for name, forms in corpus.DECOY_FORMS.items():
        assert {(f"decoy:{name}", f) for f in forms} <= seen


def test_corpus_has_width_dash_and_embedded_variants() -> None:
    texts = [e.text for e in generate_corpus(SEED, N) if e.kind == "positive"]
    assert any("０" <= ch <= "９" for t in texts for ch in t)  # full-width digits
    for dash in ("ー", "−", "‐", "－", "―"):
        assert any(dash in t and any(c.isdigit() for c in t) for t in texts), dash
    assert any(t.startswith("マイナンバーは") and t.endswith("です。") for t in texts)  # no spaces around
    assert any("ﾞ" in t for t in texts)  # half-width kana


def test_check_digits_match_published_examples() -> None:
    assert corpus.is_mynumber("123456789018") and corpus.is_mynumber("621498320257")
    assert not corpus.is_mynumber("123456789012")
    for number in ("7000012050002", "8000020132055", "1180301018771"):
        assert corpus.is_corporate(number)
    assert corpus.license_cd("3090123456") == 2
    assert corpus.is_license("309012345620")
    for card in ("3530111333300000", "3566002020360505"):
        assert corpus.is_luhn(card)
    for insurer in ("01040013", "33120015"):
        assert corpus.is_luhn(insurer)
    assert corpus.is_gs1("4901234567894") and corpus.is_gs1("036000291452")
    line = "TR12345672JPN0001018M2501017<<<<<<<<<<<<<<08"
    assert corpus.mrz_cd(line[:9]) == int(line[9])
    assert corpus.mrz_cd(line[13:19]) == int(line[19])


def test_generated_identifiers_pass_and_decoys_fail_their_check_digits() -> None:
    rng = random.Random(7)
    for _ in range(200):
        assert corpus.is_mynumber(corpus._mynumber(rng))
        assert corpus.is_license(corpus._license(rng))
        assert corpus.is_corporate(corpus._corporate(rng))
        assert corpus.is_gs1(corpus._jan13(rng)) and corpus.is_gs1(corpus._jan8(rng))
        assert corpus.is_luhn(corpus._card(rng))
        assert corpus.is_luhn(corpus._insurer_number(rng))
        assert not corpus.digit_twins(corpus._bad_product12(rng))
        assert not corpus.digit_twins(corpus._bad13(rng))
        assert not corpus.is_luhn(corpus._bad_card16(rng))
    line = corpus._mrz_line2(rng)
    assert len(line) == 44
    assert corpus.mrz_cd(line[0:9]) == int(line[9])
    assert corpus.mrz_cd(line[0:10] + line[13:20] + line[21:43]) == int(line[43])


def test_era_conversion_handles_boundaries_and_gannen() -> None:
    assert corpus.to_era(dt.date(1989, 1, 7))[:3] == ("昭和", "S", 64)
    assert corpus.to_era(dt.date(1989, 1, 8)) == ("平成", "H", 1)
    assert corpus.to_era(dt.date(2019, 5, 1)) == ("令和", "R", 1)
    assert corpus.era_text(dt.date(1989, 3, 2), "kanji") == "平成元年3月2日"
    assert corpus.era_text(dt.date(1980, 3, 2), "letter") == "S55.3.2"


# --- the scoring ------------------------------------------------------------------------------


class _DigitsRecognizer(JapanesePatternRecognizer):
    """A toy recognizer: any run of 4 digits is a PHONE_NUMBER at 0.5, of 3 digits at 0.2."""

    ENTITY: ClassVar[str] = "PHONE_NUMBER"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("four", r"(?<![0-9])[0-9]{4}(?![0-9])", 0.5), Pattern("three", r"(?<![0-9])[0-9]{3}(?![0-9])", 0.2))
    PREFILTER: ClassVar[str | None] = r"[0-9]{3}"


def _example(
    text: str, expected: Iterable[str], tolerated: Iterable[str] = (), kind: Literal["positive", "decoy"] = "positive"
) -> Example:
    wanted = frozenset(expected)
    group = min(wanted) if wanted else "decoy:toy"
    return Example(text, wanted, frozenset(tolerated), group, "toy", kind)


def test_scoring_counts_tp_fp_fn_tolerated_and_threshold() -> None:
    examples = [
        _example("電話1234", {"PHONE_NUMBER"}),  # tp
        _example("電話123", {"PHONE_NUMBER"}),  # score 0.2 < 0.4: fn
        _example("品番5678", (), kind="decoy"),  # fp
        _example("内線9012", {"EMAIL_ADDRESS"}, {"PHONE_NUMBER"}),  # tolerated; EMAIL fn
    ]
    categories = {"PHONE_NUMBER": "personal", "EMAIL_ADDRESS": "personal"}
    result = evaluate_corpus(examples, categories, [_DigitsRecognizer()], 0.4, 4096)
    phone = result.per_entity["PHONE_NUMBER"]
    assert (phone.tp, phone.fp, phone.fn) == (1, 1, 1)
    assert phone.precision == 0.5 and phone.recall == 0.5
    email = result.per_entity["EMAIL_ADDRESS"]
    assert (email.tp, email.fp, email.fn) == (0, 0, 1)
    assert email.precision == 1.0 and email.recall == 0.0  # nothing predicted: vacuous precision
    personal = result.per_category["personal"]
    # Example 4 expects "personal" (EMAIL) and gets it through the tolerated PHONE_NUMBER.
    assert (personal.tp, personal.fp, personal.fn) == (2, 1, 1)
    assert result.decoy_groups(categories) == {"decoy:toy": (0, 1)}
    report = format_report(result, categories, errors=5)
    assert "PHONE_NUMBER" in report and "品番5678" in report


class _NoPrefilterMatch(_DigitsRecognizer):
    PREFILTER: ClassVar[str | None] = r"[A-Z]{9}"


def test_a_prefilter_that_drops_a_match_is_reported_not_counted() -> None:
    examples = [_example("1234", {"PHONE_NUMBER"})]
    result = evaluate_corpus(examples, {"PHONE_NUMBER": "personal"}, [_NoPrefilterMatch()], 0.4, 4096)
    assert result.per_entity["PHONE_NUMBER"].fn == 1
    assert result.outcomes[0].prefilter_lost == {"PHONE_NUMBER"}


def test_cli_prints_tables_for_a_small_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--seed", "1", "--n", "2"]) == 0
    out = capsys.readouterr().out
    assert "entity" in out and "category" in out and "JP_MY_NUMBER" in out and "identifier_code" in out


# --- the floors -------------------------------------------------------------------------------


def test_every_scored_entity_and_category_has_a_floor(result: EntityEvaluation) -> None:
    assert set(result.per_entity) == set(ENTITY_FLOORS)
    assert set(result.per_category) == set(CATEGORY_FLOORS)
    assert set(result.decoy_groups(dict(load_policy().model.entity_categories))) == set(DECOY_FLOORS)


@pytest.mark.parametrize("entity", sorted(ENTITY_FLOORS))
def test_entity_floor(result: EntityEvaluation, entity: str) -> None:
    score = result.per_entity[entity]
    precision_floor, recall_floor = ENTITY_FLOORS[entity]
    assert score.support >= N
    assert score.precision >= precision_floor, f"{entity} precision {score.precision:.3f} < {precision_floor}"
    assert score.recall >= recall_floor, f"{entity} recall {score.recall:.3f} < {recall_floor}"


@pytest.mark.parametrize("category", sorted(CATEGORY_FLOORS))
def test_category_floor(result: EntityEvaluation, category: str) -> None:
    score = result.per_category[category]
    precision_floor, recall_floor = CATEGORY_FLOORS[category]
    assert score.precision >= precision_floor, f"{category} precision {score.precision:.3f} < {precision_floor}"
    assert score.recall >= recall_floor, f"{category} recall {score.recall:.3f} < {recall_floor}"


@pytest.mark.parametrize("group", sorted(DECOY_FLOORS))
def test_decoy_floor(result: EntityEvaluation, entity_categories: dict[str, str], group: str) -> None:
    clean, total = result.decoy_groups(entity_categories)[group]
    assert clean / total >= DECOY_FLOORS[group], f"{group}: {clean}/{total} free of policy categories"


def _target_cases() -> Iterator[object]:
    for entity, target in ISSUE_TARGETS.items():
        for metric in ("precision", "recall"):
            marks = []
            if (entity, metric) in BELOW_TARGET:
                measured = BELOW_TARGET[(entity, metric)]
                marks.append(pytest.mark.xfail(strict=True, reason=f"measured {measured:.3f} (seed {SEED}, n {N})"))
            yield pytest.param(entity, metric, target, marks=marks, id=f"{entity}-{metric}")


@pytest.mark.parametrize(("entity", "metric", "target"), list(_target_cases()))
def test_issue_target(result: EntityEvaluation, entity: str, metric: str, target: float) -> None:
    value = getattr(result.per_entity[entity], metric)
    assert value >= target, f"{entity} {metric} {value:.3f} < {target}"


@pytest.mark.parametrize(
    "group",
    [pytest.param(g, marks=[pytest.mark.xfail(strict=True, reason=DECOYS_BELOW_TARGET[g])] if g in DECOYS_BELOW_TARGET else [])
     for g in ISSUE_DECOYS],
)
def test_issue_decoys_stay_untagged(result: EntityEvaluation, entity_categories: dict[str, str], group: str) -> None:
    clean, total = result.decoy_groups(entity_categories)[group]
    assert clean == total, f"{group}: only {clean}/{total} free of policy categories"


@pytest.mark.parametrize(
    "entity",
    [pytest.param(e, marks=[pytest.mark.xfail(strict=True, reason=UNDETECTED_ENTITIES[e])] if e in UNDETECTED_ENTITIES else [])
     for e in sorted(load_policy().model.entity_categories)],
)
def test_every_policy_entity_is_found_somewhere(result: EntityEvaluation, entity: str) -> None:
    assert result.per_entity[entity].tp > 0, f"no example of {entity} was found"
