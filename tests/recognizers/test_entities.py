"""The entity catalogue agrees with the registry and the column-name lexicon; ids outside it are refused or
allowed (a user's own entity) by rule."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer

from recognizers import column_names
from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import (
    CATALOGUE,
    ENTITY_IDS,
    PERSONAL_ENTITY_IDS,
    UnknownEntityError,
    check_recognizers,
    custom_entity_problem,
    describe_unknown,
    entity_name,
    is_entity_id,
    suggest,
    uncategorised_personal,
    unknown_recognizer_entities,
    user_recognizer_problems,
)
from recognizers.registry import RECOGNIZER_CLASSES, build_recognizers

_PACKAGED_LEXICON = Path(column_names.__file__).parent / "data" / "column_names.yaml"


@pytest.fixture(scope="module")
def registry() -> list[EntityRecognizer]:
    return build_recognizers()


def test_catalogue_keys_are_the_literal_and_unique() -> None:
    assert tuple(CATALOGUE) == ENTITY_IDS
    assert len(set(ENTITY_IDS)) == len(ENTITY_IDS) == 47
    assert all(info.id == entity and info.description for entity, info in CATALOGUE.items())


def test_every_registered_recognizer_emits_catalogue_ids_only(registry: list[EntityRecognizer]) -> None:
    assert unknown_recognizer_entities(registry) == []
    emitted = {e for r in registry for e in r.supported_entities}
    assert emitted <= set(ENTITY_IDS)


def test_catalogue_names_exactly_the_recognizers_that_emit_each_id(registry: list[EntityRecognizer]) -> None:
    emitters: dict[str, set[str]] = defaultdict(set)
    for name, recognizer in zip(RECOGNIZER_CLASSES, registry, strict=True):
        for entity in recognizer.supported_entities:
            emitters[entity].add(name)
    for entity, info in CATALOGUE.items():
        assert set(info.recognizers) == emitters.get(entity, set()), entity
        assert set(info.recognizers) <= set(RECOGNIZER_CLASSES)


def test_hint_only_ids_are_not_personal_and_have_no_recognizer() -> None:
    hint_only = {e for e, info in CATALOGUE.items() if not info.recognizers}
    assert hint_only == {"PRODUCT", "ORGANIZATION", "MEASURE"}
    assert not hint_only & PERSONAL_ENTITY_IDS


def test_the_shipped_lexicon_names_catalogue_ids_only() -> None:
    raw = yaml.safe_load(_PACKAGED_LEXICON.read_text(encoding="utf-8"))
    assert set(raw["entities"]) <= set(ENTITY_IDS)
    assert set(ENTITY_IDS) >= column_names.LEXICON_ENTITIES
    # Every personal id has header words, except BELIEF (RELIGION's words cover its columns).
    assert PERSONAL_ENTITY_IDS - set(raw["entities"]) == {"BELIEF"}


# ------------------------------------------------------------------ refusals


class _Typo(JapanesePatternRecognizer):
    ENTITY: ClassVar[Any] = "JP_PHONE_NUMBER"  # deliberately outside the catalogue
    PATTERNS = (Pattern("digits", r"[0-9]{10}", 0.5),)


class _TwoIds(JapanesePatternRecognizer):
    ENTITY: ClassVar[Any] = "EMAIL_ADRESS"
    PATTERNS = (Pattern("x", r"x", 0.1),)


@pytest.mark.parametrize(
    ("recognizer", "fragments"),
    [
        (_Typo(), ("_Typo", "'JP_PHONE_NUMBER'", "did you mean PHONE_NUMBER?")),
        (_TwoIds(), ("_TwoIds", "'EMAIL_ADRESS'", "did you mean EMAIL_ADDRESS?")),
        (
            PatternRecognizer(supported_entity="LOYALTY_CARD", name="Loyalty", patterns=[Pattern("n", "[0-9]{9}", 0.3)]),
            ("'Loyalty'", "'LOYALTY_CARD' is not in the entity catalogue"),
        ),
    ],
)
def test_a_recognizer_emitting_an_uncatalogued_id_is_refused(recognizer: EntityRecognizer, fragments: tuple[str, ...]) -> None:
    with pytest.raises(UnknownEntityError) as info:
        check_recognizers([*build_recognizers(["CjkEmailRecognizer"]), recognizer], "my_recognizers.yaml")
    message = str(info.value)
    assert message.startswith("my_recognizers.yaml: ")
    for fragment in fragments:
        assert fragment in message, message


def test_registry_build_checks_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(RECOGNIZER_CLASSES, "TypoRecognizer", f"{__name__}:_Typo")
    with pytest.raises(UnknownEntityError, match=r"recognizers\.registry: .*JP_PHONE_NUMBER.*PHONE_NUMBER"):
        build_recognizers(["TypoRecognizer"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("PHONE_NUMBER", "PHONE_NUMBER"),
        ("JP_PHONE_NUMBER", "PHONE_NUMBER"),
        ("EMAIL_ADRESS", "EMAIL_ADDRESS"),
        ("person", "PERSON"),
        ("JP_MYNUMBER", "JP_MY_NUMBER"),
        ("LOYALTY_CARD", None),
        ("山田太郎", None),
    ],
)
def test_did_you_mean(name: str, expected: str | None) -> None:
    assert suggest(name) == expected


@pytest.mark.parametrize(
    ("name", "shown"),
    [("LOYALTY_CARD", True), ("JP_PHONE_NUMBER", True), ("山田太郎", False), ("090-1234-5678", False), ("yamada_taro", False)],
)
def test_unknown_ids_are_repeated_only_when_they_look_like_ids(name: str, shown: bool) -> None:
    assert (name in describe_unknown(name)) is shown


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("PHONE_NUMBER", None),  # a catalogue id
        ("LOYALTY_CARD", None),  # a user's own
        ("QUALITEG_LOYALTY_CARD", None),
        ("EMPLOYEE_ID", None),
        ("JP_EMPLOYEE_NUMBER", None),  # like JP_MY_NUMBER only loosely: a name of its own
        ("JP_PHONE_NUMBER", "did you mean PHONE_NUMBER?"),
        ("MEMBER_IDS", "did you mean MEMBER_ID?"),
        ("EMAIL_ADRESS", "did you mean EMAIL_ADDRESS?"),
        ("loyalty_card", "upper-case letters, digits and underscores"),
        ("山田太郎", "upper-case letters, digits and underscores"),
    ],
)
def test_which_ids_a_user_may_use_for_entities_of_their_own(name: str, problem: str | None) -> None:
    found = custom_entity_problem(name)
    assert (found is None) is (problem is None), found
    if problem is not None:
        assert found is not None and problem in found
    assert "山田太郎" not in (found or "")
    assert entity_name(name) == name


def test_user_recognizers_may_report_their_own_ids_but_no_misspelt_ones() -> None:
    own = PatternRecognizer(supported_entity="LOYALTY_CARD", name="Loyalty", patterns=[Pattern("n", "[0-9]{9}", 0.3)])
    assert user_recognizer_problems([*build_recognizers(["CjkEmailRecognizer"]), own, _Typo()]) == [
        "recognizer '_Typo' emits 'JP_PHONE_NUMBER' is not in the entity catalogue (did you mean PHONE_NUMBER?)"
    ]


def test_is_entity_id_and_uncategorised_personal() -> None:
    assert is_entity_id("MEDICAL") and not is_entity_id("medical") and not is_entity_id(3)
    assert uncategorised_personal(PERSONAL_ENTITY_IDS) == []
    assert uncategorised_personal(PERSONAL_ENTITY_IDS - {"MEDICAL", "URL"}) == ["URL", "MEDICAL"]
    # Non-personal ids (a corporate number, a plain date) need no category.
    assert uncategorised_personal([*PERSONAL_ENTITY_IDS, "DATE"]) == []


# ------------------------------------------------------------------ the column-name lexicon, a copy with a bad id


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        ("  PERSON:\n", "  PERSN:\n", ("'PERSN' is not in the entity catalogue", "did you mean PERSON?")),
        ("  MEASURE:\n", "  MEASUREMENT:\n", ("'MEASUREMENT'", "did you mean MEASURE?")),
        ("  JAN_CODE:\n", "  LOYALTY_CARD:\n", ("'LOYALTY_CARD' is not in the entity catalogue",)),
        # A catalogue id that gives no header evidence may not appear either (the lexicon's list is closed).
        ("  JAN_CODE:\n", "  JP_BUSINESS_PHONE:\n", ("JP_BUSINESS_PHONE gives no column-name evidence",)),
    ],
)
def test_a_lexicon_copy_with_an_unknown_id_names_the_file_and_the_id(
    tmp_path: Path, old: str, new: str, fragments: tuple[str, ...]
) -> None:
    text = _PACKAGED_LEXICON.read_text(encoding="utf-8")
    assert text.count(old) == 1
    copy = tmp_path / "column_names.yaml"
    copy.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(column_names.LexiconError) as info:
        column_names.parse_lexicon_text(copy.read_text(encoding="utf-8"), str(copy))
    message = str(info.value)
    assert message.startswith(f"{copy}: column-name lexicon: ")
    for fragment in fragments:
        assert fragment in message, message


def test_the_packaged_lexicon_loads_under_its_own_name() -> None:
    assert column_names.parse_lexicon_text(_PACKAGED_LEXICON.read_text(encoding="utf-8"), column_names.LEXICON_FILE)
    with pytest.raises(column_names.LexiconError, match=r"^recognizers/data/column_names\.yaml: .*not valid YAML"):
        column_names.parse_lexicon_text("entities: [", column_names.LEXICON_FILE)


# ------------------------------------------------------------------ bare ids left in the code


_CODE_ROOTS = ("pipeline", "recognizers")
_ID_SHAPE = re.compile(r"[A-Z][A-Z0-9_]*")


def _string_constants(node: ast.AST) -> list[str]:
    return [e.value for e in getattr(node, "elts", ()) if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def _names_an_entity(node: ast.AST) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return "entity" in name.lower() or name in ("type", "entity_type")


def _bare_ids(tree: ast.AST) -> list[tuple[int, str]]:
    """Upper-case string ids that stand where entity ids do but are not in the catalogue:

    - in a set, tuple or list literal (or dict keys) of upper-case ids that holds a catalogue id;
    - compared with a name or attribute about an entity: ``entity == "X"``, ``e.type in ("X", …)``.
    """
    found: dict[tuple[int, str], None] = {}  # ordered, without the duplicates of a tuple inside a comparison
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and _names_an_entity(node.left):
            compared = [
                c.value if isinstance(c, ast.Constant) and isinstance(c.value, str) else None for c in node.comparators
            ]
            values = [v for v in compared if v is not None]
            values += [v for c in node.comparators for v in _string_constants(c)]
            found.update(((node.lineno, v), None) for v in values if _ID_SHAPE.fullmatch(v) and not is_entity_id(v))
            continue
        if isinstance(node, ast.Set | ast.Tuple | ast.List):
            group = _string_constants(node)
        elif isinstance(node, ast.Dict):
            group = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        else:
            continue
        # Only groups of id-shaped strings: context words ("URL", "閲覧") are not a set of entities.
        if any(is_entity_id(v) for v in group) and all(_ID_SHAPE.fullmatch(v) for v in group):
            found.update(((getattr(node, "lineno", 0), v), None) for v in group if not is_entity_id(v))
    return list(found)


def test_no_uncatalogued_id_stands_beside_entity_ids_in_the_code() -> None:
    root = Path(__file__).resolve().parents[2]
    problems = []
    for folder in _CODE_ROOTS:
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            problems.extend(f"{path.relative_to(root)}:{line}: {value!r}" for line, value in _bare_ids(tree))
    assert problems == []


@pytest.mark.parametrize(
    ("code", "bad"),
    [
        ('X = frozenset({"DATE_OF_BIRTH", "AGEE"})', ["AGEE"]),
        ('if entity == "JP_PHONE_NUMBER": pass', ["JP_PHONE_NUMBER"]),
        ('if result.entity_type in ("PERSON", "PERSN"): pass', ["PERSN"]),
        ('LIMITS = {"PERSON": 0.6, "EMAIL": 0.5}', ["EMAIL"]),
        ('X = frozenset({"DATE_OF_BIRTH", "AGE"})', []),
        ('MODES = ("strict", "lenient")', []),
        ('if entity == "PERSON": pass', []),
    ],
)
def test_the_bare_id_scan_finds_typos(code: str, bad: list[str]) -> None:
    assert [value for _, value in _bare_ids(ast.parse(code))] == bad
