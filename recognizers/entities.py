"""The entity catalogue: every entity id piiscan knows, who emits it, and whether a policy must categorise it.

One vocabulary for the whole code base. ``EntityId`` is the type of a catalogue id wherever one is compared
or stored (recognizers' ``ENTITY``, classification's sets, the NER mapping, scan.yaml's entity settings);
``CATALOGUE`` says for each id what it is, which registered recognizers emit it (``recognizers.registry``
names), which GiNZA labels NER maps onto it (``pipeline.engine.GINZA_ENTITY_MAPPING``), and whether it is
about a person.

Checked at load, so a typo fails loudly instead of being an entity nothing ever matches:

- piiscan's own recognizers emit catalogue ids only (:func:`check_recognizers`, from
  ``registry.build_recognizers``);
- the policy's ``entity_categories`` gives every personal catalogue id a category (so nothing a built-in
  recognizer finds passes the gate uncategorised), and names no near-spelling of one
  (``pipeline.policy.check_policy_entities``);
- users' Presidio-YAML recognizers emit no near-spelling of a catalogue id (``pipeline.engine``);
- ``recognizers/data/column_names.yaml`` and scan.yaml's entity settings name catalogue ids only.

Users' own entities. A user's YAML recognizer may report an entity the catalogue does not have (a
loyalty-card number), as the README and ``notebooks/03_custom_recognizer.ipynb`` show: its id is a
``CustomEntityId`` (upper-case letters, digits, underscores, and not a near-spelling of a catalogue id,
which is refused as the typo it almost always is), and the policy must give it a category. A finding of a
custom entity the policy does not map stops the scan (``pipeline.classify``): the gate could never block it.
``EntityName`` (a catalogue id or a custom one) is the type of what recognizers report at run time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NewType, TypeGuard, get_args

if TYPE_CHECKING:  # only attributes are read: importing the catalogue stays free of Presidio
    from presidio_analyzer import EntityRecognizer

EntityId = Literal[
    # personal (個人情報)
    "PERSON",
    "JP_ADDRESS",
    "STREET_ADDRESS",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "DATE_OF_BIRTH",
    "SCHOOL_NAME",
    # identifier codes (個人識別符号)
    "JP_MY_NUMBER",
    "JP_PASSPORT",
    "JP_DRIVER_LICENSE",
    "JP_RESIDENCE_CARD",
    "JP_BASIC_PENSION_NUMBER",
    "JP_HEALTH_INSURANCE",
    "US_SSN",
    # credentials, financial
    "MEMBER_ID",
    "PASSWORD",
    "CREDIT_CARD",
    "JP_BANK_ACCOUNT",
    # attributes
    "AGE",
    "GENDER",
    "OCCUPATION",
    "JP_PREFECTURE",
    "JP_POSTAL_CODE",
    # device, location, behaviour
    "IP_ADDRESS",
    "MAC_ADDRESS",
    "DEVICE_ID",
    "COOKIE_ID",
    "USER_AGENT",
    "GEO_COORDINATE",
    "URL",
    # special-care (要配慮個人情報)
    "RELIGION",
    "BELIEF",
    "RACE",
    "DOMICILE",
    "DISABILITY",
    "CRIMINAL_RECORD",
    "LABOR_UNION",
    "POLITICAL",
    "MEDICAL",
    "SEX_LIFE",
    # not about a person: found so they are not mistaken for personal data
    "JP_CORPORATE_NUMBER",
    "JAN_CODE",
    "JP_BUSINESS_PHONE",
    "DATE",
    # column-name hints only (no recognizer): a company's or a product's column, or a measure
    "PRODUCT",
    "ORGANIZATION",
    "MEASURE",
]
ENTITY_IDS: tuple[EntityId, ...] = get_args(EntityId)


@dataclass(frozen=True)
class EntityInfo:
    """One catalogue entry. ``personal``: data about a person, so every policy must give it a category."""

    id: EntityId
    description: str
    personal: bool
    recognizers: tuple[str, ...] = ()  # registry names (recognizers.registry.RECOGNIZER_CLASSES)
    ner_labels: tuple[str, ...] = ()  # GiNZA ENE labels that NER maps onto it


def _e(
    entity: EntityId, description: str, *recognizers: str, personal: bool = True, ner: tuple[str, ...] = ()
) -> EntityInfo:
    return EntityInfo(entity, description, personal, recognizers, ner)


_ENTRIES: tuple[EntityInfo, ...] = (
    _e("PERSON", "a person's name (kanji, kana, romaji)", "PersonNameRecognizer", ner=("Person",)),
    _e("JP_ADDRESS", "a Japanese address", "JpAddressRecognizer", ner=("Postal_Address",)),
    _e("STREET_ADDRESS", "a street address in English (house number, street)", "StreetAddressRecognizer"),
    _e("PHONE_NUMBER", "a person's telephone number", "CjkPhoneRecognizer"),
    _e("EMAIL_ADDRESS", "an e-mail address", "CjkEmailRecognizer"),
    _e("DATE_OF_BIRTH", "a date of birth", "JpDateOfBirthRecognizer"),
    _e("SCHOOL_NAME", "the name of a school", "JpSchoolNameRecognizer", ner=("School",)),
    _e("JP_MY_NUMBER", "個人番号 (My Number), check digit verified", "JpMyNumberRecognizer"),
    _e("JP_PASSPORT", "a Japanese passport number", "JpPassportRecognizer"),
    _e("JP_DRIVER_LICENSE", "a driver's licence number", "JpDriverLicenseRecognizer"),
    _e("JP_RESIDENCE_CARD", "a residence card (在留カード) number", "JpResidenceCardRecognizer"),
    _e("JP_BASIC_PENSION_NUMBER", "a basic pension number (基礎年金番号)", "JpBasicPensionNumberRecognizer"),
    _e("JP_HEALTH_INSURANCE", "a health-insurance card number (被保険者番号)", "JpHealthInsuranceRecognizer"),
    _e("US_SSN", "a US social security number", "CjkUsSsnRecognizer"),
    _e("MEMBER_ID", "a membership, customer or login identifier", "MemberIdRecognizer"),
    _e("PASSWORD", "a password, password hash, secret or API token", "PasswordRecognizer"),
    _e("CREDIT_CARD", "a payment card number, Luhn verified", "CjkCreditCardRecognizer"),
    _e("JP_BANK_ACCOUNT", "a bank account number", "JpBankAccountRecognizer"),
    _e("AGE", "a person's age", "AgeRecognizer"),
    _e("GENDER", "a person's sex or gender", "GenderRecognizer"),
    _e("OCCUPATION", "an occupation or employment status", "OccupationRecognizer"),
    _e("JP_PREFECTURE", "a prefecture (residential area)", "JpPrefectureRecognizer"),
    _e("JP_POSTAL_CODE", "a Japanese postal code", "JpPostalCodeRecognizer"),
    _e("IP_ADDRESS", "an IPv4 or IPv6 address", "IpAddressRecognizer"),
    _e("MAC_ADDRESS", "a MAC address", "CjkMacAddressRecognizer"),
    _e("DEVICE_ID", "an advertising or device identifier (IDFA, AAID/GAID)", "DeviceIdRecognizer"),
    _e("COOKIE_ID", "an analytics or session cookie value", "CookieIdRecognizer"),
    _e("USER_AGENT", "a browser user-agent string", "UserAgentRecognizer"),
    _e("GEO_COORDINATE", "a location: latitude/longitude (header-carried: area mesh codes, geohashes)", "GeoCoordinateRecognizer"),
    _e("URL", "an accessed URL", "CjkUrlRecognizer"),
    _e("RELIGION", "a religion or religious practice", "ReligionRecognizer", ner=("Religion",)),
    _e("BELIEF", "a thought or belief", "BeliefRecognizer"),
    _e("RACE", "race or ethnicity", "RaceRecognizer"),
    _e("DOMICILE", "the place of a family register (本籍), finer than a prefecture", "DomicileRecognizer"),
    _e("DISABILITY", "a physical or mental disability", "DisabilityRecognizer"),
    _e("CRIMINAL_RECORD", "a criminal history", "CriminalRecordRecognizer"),
    _e("LABOR_UNION", "labour-union membership or action", "LaborUnionRecognizer"),
    _e("POLITICAL", "exercise of political rights", "PoliticalRecognizer", ner=("Political_Party",)),
    _e("MEDICAL", "health care: diseases, check-up results", "MedicalRecognizer",
       ner=("Animal_Disease", "Disease_Other")),
    _e("SEX_LIFE", "sex life or sexual orientation", "SexLifeRecognizer"),
    _e("JP_CORPORATE_NUMBER", "a corporate number (法人番号)", "JpCorporateNumberRecognizer", personal=False),
    _e("JAN_CODE", "a JAN/EAN product barcode", "EanBarcodeRecognizer", personal=False),
    _e("JP_BUSINESS_PHONE", "a company's toll-free or navi-dial number", "CjkPhoneRecognizer", personal=False),
    _e("DATE", "a date (Gregorian or Japanese era) not said to be a birth date", "JpDateRecognizer", personal=False),
    _e("PRODUCT", "header hint: a product's column", personal=False),
    _e("ORGANIZATION", "header hint: a company's or an organisation's column", personal=False),
    _e("MEASURE", "header hint: an amount, count or rate", personal=False),
)
CATALOGUE: Mapping[EntityId, EntityInfo] = {info.id: info for info in _ENTRIES}
PERSONAL_ENTITY_IDS: frozenset[EntityId] = frozenset(e for e, info in CATALOGUE.items() if info.personal)


# A user's own entity id (not in the catalogue), as a user's recognizer reports it and the policy maps it.
CustomEntityId = NewType("CustomEntityId", str)
# What a recognizer reports at run time: a catalogue id, or a user's own.
EntityName = EntityId | CustomEntityId

# What an entity id looks like (upper-case ASCII, digits, underscores), and so may be repeated in errors.
_ID_SHAPE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
# An unknown id at least this similar to a catalogue id is refused as a typo of it (PHONE_NUMBER for
# JP_PHONE_NUMBER scores 0.89, MEMBER_ID for MEMBER_IDS 0.95); messages suggest from a lower similarity.
_TYPO_SIMILARITY = 0.85
_SUGGEST_SIMILARITY = 0.75


def is_entity_id(name: object) -> TypeGuard[EntityId]:
    return isinstance(name, str) and name in CATALOGUE


def entity_name(name: str) -> EntityName:
    """``name`` as reported by a recognizer: its catalogue id, or a user's own id."""
    return name if is_entity_id(name) else CustomEntityId(name)


def suggest(name: str, cutoff: float = _SUGGEST_SIMILARITY) -> EntityId | None:
    """The catalogue id ``name`` is most likely a misspelling of, if any."""
    close = difflib.get_close_matches(name.upper(), ENTITY_IDS, n=1, cutoff=cutoff)
    return close[0] if close and is_entity_id(close[0]) else None


def describe_unknown(name: str) -> str:
    """``'NAME' is not in the entity catalogue`` with a did-you-mean when one is close.

    The name is repeated only when it has an entity id's shape or is a near miss of one: a data file passed
    by mistake as a policy must not put its values into an error message.
    """
    hint = suggest(name)
    shown = repr(name) if _ID_SHAPE.fullmatch(name) or hint else "an id"
    return f"{shown} is not in the entity catalogue" + (f" (did you mean {hint}?)" if hint else "")


def custom_entity_problem(name: str) -> str | None:
    """Why ``name`` cannot be a user's own entity id (None when it can, or is a catalogue id)."""
    if is_entity_id(name):
        return None
    if not _ID_SHAPE.fullmatch(name):
        return f"{describe_unknown(name)}, and a user's own entity id is upper-case letters, digits and underscores"
    if suggest(name, _TYPO_SIMILARITY) is not None:
        return describe_unknown(name)
    return None


def checked_entity_id(value: object) -> object:
    """A config validator (pydantic ``BeforeValidator``): an id outside the catalogue fails with the id meant."""
    if isinstance(value, str) and not is_entity_id(value):
        raise ValueError(describe_unknown(value))
    return value


def checked_entity_name(value: object) -> object:
    """A config validator for ids a user's recognizer may report: a catalogue id, or a user's own that is not a
    near-spelling of one."""
    if isinstance(value, str) and (problem := custom_entity_problem(value)) is not None:
        raise ValueError(problem)
    return value


class UnknownEntityError(ValueError):
    """An entity id outside the catalogue (recognizers/entities.py); the message names it and its source."""


def _recognizer_name(recognizer: EntityRecognizer) -> str:
    return str(getattr(recognizer, "name", type(recognizer).__name__))  # set by Presidio's untyped __init__


def unknown_recognizer_entities(recognizers: Iterable[EntityRecognizer]) -> list[str]:
    """One line per id outside the catalogue that a recognizer emits (empty when all are known)."""
    return [
        f"recognizer {_recognizer_name(r)!r} emits {describe_unknown(str(e))}"
        for r in recognizers
        for e in r.supported_entities
        if not is_entity_id(e)
    ]


def user_recognizer_problems(recognizers: Iterable[EntityRecognizer]) -> list[str]:
    """One line per id a user's recognizer may not emit: a near-spelling of a catalogue id, or not id-shaped."""
    return [
        f"recognizer {_recognizer_name(r)!r} emits {problem}"
        for r in recognizers
        for e in r.supported_entities
        if (problem := custom_entity_problem(str(e))) is not None
    ]


def check_recognizers(recognizers: Iterable[EntityRecognizer], source: str) -> None:
    """Raise UnknownEntityError naming ``source`` when a recognizer emits an id outside the catalogue."""
    problems = unknown_recognizer_entities(recognizers)
    if problems:
        raise UnknownEntityError(f"{source}: " + "; ".join(problems))


def uncategorised_personal(categorised: Iterable[str]) -> list[EntityId]:
    """The personal catalogue ids missing from ``categorised`` (a policy's ``entity_categories`` keys)."""
    present = set(categorised)
    return [e for e in ENTITY_IDS if CATALOGUE[e].personal and e not in present]
