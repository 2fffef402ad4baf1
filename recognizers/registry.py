"""Explicit registration of piiscan's recognizers: a name → class map, no import side effects.

Users' own recognizers come from Presidio's YAML format (``configs/recognizers.yaml``), loaded as-is.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path

from presidio_analyzer import EntityRecognizer, RecognizerRegistry

from recognizers.entities import check_recognizers

# name → "module:Class". One recognizer a file; the module is imported only when built.
RECOGNIZER_CLASSES: dict[str, str] = {
    # identifier codes (個人識別符号)
    "JpMyNumberRecognizer": "recognizers.jp.jp_my_number:JpMyNumberRecognizer",
    "JpDriverLicenseRecognizer": "recognizers.jp.jp_driver_license:JpDriverLicenseRecognizer",
    "JpPassportRecognizer": "recognizers.jp.jp_passport:JpPassportRecognizer",
    "JpResidenceCardRecognizer": "recognizers.jp.jp_residence_card:JpResidenceCardRecognizer",
    "JpBasicPensionNumberRecognizer": "recognizers.jp.jp_basic_pension_number:JpBasicPensionNumberRecognizer",
    "JpHealthInsuranceRecognizer": "recognizers.jp.jp_health_insurance:JpHealthInsuranceRecognizer",
    "CjkUsSsnRecognizer": "recognizers.generic.us_ssn:CjkUsSsnRecognizer",
    # recognised so they are not mistaken for personal identifiers
    "JpCorporateNumberRecognizer": "recognizers.jp.jp_corporate_number:JpCorporateNumberRecognizer",
    "EanBarcodeRecognizer": "recognizers.generic.ean_barcode:EanBarcodeRecognizer",
    # financial
    "CjkCreditCardRecognizer": "recognizers.generic.credit_card:CjkCreditCardRecognizer",
    "JpBankAccountRecognizer": "recognizers.jp.jp_bank_account:JpBankAccountRecognizer",
    # contact and identity
    "CjkPhoneRecognizer": "recognizers.generic.phone:CjkPhoneRecognizer",
    "CjkEmailRecognizer": "recognizers.generic.email:CjkEmailRecognizer",
    "JpPostalCodeRecognizer": "recognizers.jp.jp_postal_code:JpPostalCodeRecognizer",
    "JpAddressRecognizer": "recognizers.jp.jp_address:JpAddressRecognizer",
    "JpPrefectureRecognizer": "recognizers.jp.jp_prefecture:JpPrefectureRecognizer",
    "StreetAddressRecognizer": "recognizers.generic.street_address:StreetAddressRecognizer",
    "PersonNameRecognizer": "recognizers.jp.jp_person_name:PersonNameRecognizer",
    "JpDateRecognizer": "recognizers.jp.jp_date:JpDateRecognizer",
    "JpDateOfBirthRecognizer": "recognizers.jp.jp_date_of_birth:JpDateOfBirthRecognizer",
    "JpSchoolNameRecognizer": "recognizers.jp.jp_school_name:JpSchoolNameRecognizer",
    # device, location, behaviour
    "IpAddressRecognizer": "recognizers.generic.ip_address:IpAddressRecognizer",
    "CjkMacAddressRecognizer": "recognizers.generic.mac_address:CjkMacAddressRecognizer",
    "DeviceIdRecognizer": "recognizers.generic.device_id:DeviceIdRecognizer",
    "CookieIdRecognizer": "recognizers.generic.cookie_id:CookieIdRecognizer",
    "UserAgentRecognizer": "recognizers.generic.user_agent:UserAgentRecognizer",
    "GeoCoordinateRecognizer": "recognizers.generic.geo_coordinate:GeoCoordinateRecognizer",
    "CjkUrlRecognizer": "recognizers.generic.url:CjkUrlRecognizer",
    # attributes
    "AgeRecognizer": "recognizers.jp.jp_age:AgeRecognizer",
    "GenderRecognizer": "recognizers.jp.jp_gender:GenderRecognizer",
    "OccupationRecognizer": "recognizers.jp.jp_occupation:OccupationRecognizer",
    # credentials
    "PasswordRecognizer": "recognizers.generic.password:PasswordRecognizer",
    "MemberIdRecognizer": "recognizers.generic.member_id:MemberIdRecognizer",
    # special-care (要配慮) vocabularies
    "ReligionRecognizer": "recognizers.sensitive.religion:ReligionRecognizer",
    "BeliefRecognizer": "recognizers.sensitive.belief:BeliefRecognizer",
    "RaceRecognizer": "recognizers.sensitive.race:RaceRecognizer",
    "DomicileRecognizer": "recognizers.sensitive.domicile:DomicileRecognizer",
    "DisabilityRecognizer": "recognizers.sensitive.disability:DisabilityRecognizer",
    "CriminalRecordRecognizer": "recognizers.sensitive.criminal_record:CriminalRecordRecognizer",
    "LaborUnionRecognizer": "recognizers.sensitive.labor_union:LaborUnionRecognizer",
    "PoliticalRecognizer": "recognizers.sensitive.political:PoliticalRecognizer",
    "MedicalRecognizer": "recognizers.sensitive.medical:MedicalRecognizer",
    "SexLifeRecognizer": "recognizers.sensitive.sex_life:SexLifeRecognizer",
}


def recognizer_class(name: str) -> type[EntityRecognizer]:
    """The class registered under ``name``; an unknown name is an error, never skipped."""
    try:
        target = RECOGNIZER_CLASSES[name]
    except KeyError as exc:
        known = ", ".join(sorted(RECOGNIZER_CLASSES))
        raise KeyError(f"unknown recognizer {name!r}; known: {known}") from exc
    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, EntityRecognizer)):
        raise TypeError(f"{target} is not a Presidio EntityRecognizer")
    return cls


def build_recognizers(
    names: Iterable[str] | None = None, language: str = "ja"
) -> list[EntityRecognizer]:
    """Instantiate the named recognizers (all registered ones by default) for ``language``."""
    chosen = list(RECOGNIZER_CLASSES) if names is None else list(names)
    # Every registered class takes supported_language alone; EntityRecognizer's own signature differs.
    built = [recognizer_class(name)(supported_language=language) for name in chosen]  # type: ignore[call-arg]
    check_recognizers(built, "recognizers.registry")  # a built-in id outside the catalogue is a bug
    return built


def load_yaml_recognizers(path: Path) -> list[EntityRecognizer]:
    """Users' own recognizers, in Presidio's recognizer-registry YAML format, loaded as-is.

    Their entities are checked by the caller (``recognizers.entities.check_recognizers``), which names the file.
    """
    registry = RecognizerRegistry(supported_languages=["ja", "en"])
    registry.recognizers = []
    registry.add_recognizers_from_yaml(path)
    return list(registry.recognizers)
