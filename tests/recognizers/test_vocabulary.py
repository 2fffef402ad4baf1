import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from recognizers.jp.jp_occupation import OccupationRecognizer
from recognizers.sensitive.criminal_record import CriminalRecordRecognizer
from recognizers.sensitive.disability import DisabilityRecognizer
from recognizers.sensitive.labor_union import LaborUnionRecognizer
from recognizers.sensitive.medical import MedicalRecognizer
from recognizers.sensitive.political import PoliticalRecognizer
from recognizers.sensitive.race import RaceRecognizer
from recognizers.sensitive.religion import ReligionRecognizer
from recognizers.sensitive.sex_life import SexLifeRecognizer
from recognizers.vocabulary import (
    Phrase,
    VocabularyRecognizer,
    load_vocabulary,
    parse_vocabulary,
    vocabulary_regex,
)

VOCABULARY_RECOGNIZERS: dict[str, type[VocabularyRecognizer]] = {
    cls.__name__: cls
    for cls in (
        ReligionRecognizer,
        RaceRecognizer,
        DisabilityRecognizer,
        CriminalRecordRecognizer,
        LaborUnionRecognizer,
        PoliticalRecognizer,
        MedicalRecognizer,
        SexLifeRecognizer,
        OccupationRecognizer,
    )
}


def build(name: str) -> VocabularyRecognizer:
    return VOCABULARY_RECOGNIZERS[name]()


def test_registry_points_at_these_classes() -> None:
    from recognizers.registry import RECOGNIZER_CLASSES

    for name, cls in VOCABULARY_RECOGNIZERS.items():
        assert RECOGNIZER_CLASSES[name] == f"{cls.__module__}:{name}"


def prefilter_hits(pattern: str, texts: list[str]) -> list[bool]:
    array = pa.array([unicodedata.normalize("NFKC", t) for t in texts])
    return [bool(v.as_py()) for v in pc.match_substring_regex(array, pattern)]


def test_parse_options_and_comments() -> None:
    entries = parse_vocabulary(
        ["# comment", "", "がん ; !がんば !ひがん", "アレルギー ; @0.3", "blood   pressure", "ＨＩＶ"]
    )
    by_word = {e.word: e for e in entries}
    assert by_word["がん"].exclusions == ("がんば", "ひがん")
    assert by_word["アレルギー"].score == 0.3
    assert "blood pressure" in by_word
    assert by_word["HIV"].case_sensitive  # NFKC folded, acronym keeps its case
    assert not by_word["blood pressure"].case_sensitive


@pytest.mark.parametrize(
    "line",
    ["がん ; !ばる", "がん ; @1.5", "がん ; ?x", " ; @0.3"],
)
def test_parse_rejects_bad_lines(line: str) -> None:
    with pytest.raises(ValueError, match="vocabulary line 1"):
        parse_vocabulary([line])


def test_longest_entry_wins() -> None:
    entries = parse_vocabulary(["がん", "乳がん", "乳がん検診"])
    regex = vocabulary_regex(entries)
    assert [m.group() for m in regex.finditer("乳がん検診と乳がん")] == ["乳がん検診", "乳がん"]


def test_boundaries() -> None:
    regex = vocabulary_regex(parse_vocabulary(["ガン", "LGBT", "HIV", "blood pressure"]))

    def hits(text: str) -> list[str]:
        return [m.group() for m in regex.finditer(text)]

    assert hits("ガンダム ショットガン ガンの治療") == ["ガン"]
    assert hits("LGBTQ LGBT LGBT支援") == ["LGBT", "LGBT"]
    assert hits("hiv HIV陽性") == ["HIV"]
    assert hits("Blood\tPressure bloodpressure") == ["Blood\tPressure"]


def test_exclusions_veto_only_their_own_context() -> None:
    recognizer = build("MedicalRecognizer")

    def spans(text: str) -> list[str]:
        return [text[r.start : r.end] for r in recognizer.analyze(text, ["MEDICAL"], None)]

    assert spans("がんばります") == []
    assert spans("お彼岸ひがんの入り") == []
    assert spans("がんの治療を頑張る") == ["がん"]


def test_whole_value_scores_higher_than_in_text() -> None:
    recognizer = build("MedicalRecognizer")
    [whole] = recognizer.analyze("糖尿病", ["MEDICAL"], None)
    [in_text] = recognizer.analyze("昔の話ですが糖尿病でした", ["MEDICAL"], None)
    assert whole.score > in_text.score


def test_offsets_map_back_to_full_width_text() -> None:
    recognizer = build("SexLifeRecognizer")
    text = "私はＬＧＢＴです"
    [result] = recognizer.analyze(text, ["SEX_LIFE"], None)
    assert text[result.start : result.end] == "ＬＧＢＴ"


def test_other_entities_are_ignored() -> None:
    assert build("MedicalRecognizer").analyze("糖尿病", ["PERSON"], None) == []


@pytest.mark.parametrize("name", sorted(VOCABULARY_RECOGNIZERS))
def test_every_entry_is_found_alone_and_in_a_sentence(name: str) -> None:
    recognizer = build(name)
    assert recognizer.PREFILTER is not None
    entries = load_vocabulary(recognizer.VOCAB_FILE)
    assert len(entries) >= 20
    alone = [e.word for e in entries]
    embedded = [f"記録:{e.word}。" for e in entries]
    for text, word in zip(alone + embedded, alone + alone, strict=True):
        spans = [text[r.start : r.end] for r in recognizer.analyze(text, [recognizer.ENTITY], None)]
        assert word in spans, word
        assert all(0.0 < r.score <= 1.0 for r in recognizer.analyze(text, [recognizer.ENTITY], None))
    assert all(prefilter_hits(recognizer.PREFILTER, alone + embedded))


@pytest.mark.parametrize("name", sorted(VOCABULARY_RECOGNIZERS))
def test_prefilter_rejects_ordinary_business_values(name: str) -> None:
    recognizer = build(name)
    assert recognizer.PREFILTER is not None
    ordinary = ["山田太郎", "2024-01-15", "東京都千代田区丸の内1-1-1", "SKU-12345", "1,980円", "ok"]
    assert not any(prefilter_hits(recognizer.PREFILTER, ordinary))


# --- phrases: constructions scored on their own -----------------------------------------------------

PHRASE_RECOGNIZERS = [
    name for name, cls in VOCABULARY_RECOGNIZERS.items() if cls.PHRASES
]


def test_phrase_recognizers_are_the_special_care_ones() -> None:
    assert set(PHRASE_RECOGNIZERS) == {
        "MedicalRecognizer", "DisabilityRecognizer", "ReligionRecognizer", "LaborUnionRecognizer", "PoliticalRecognizer",
    }


@pytest.mark.parametrize("name", PHRASE_RECOGNIZERS)
def test_phrase_triggers_widen_the_prefilter(name: str) -> None:
    recognizer = build(name)
    assert recognizer.PREFILTER is not None
    for phrase in recognizer.PHRASES:
        assert phrase.trigger in recognizer.PREFILTER
        assert 0.0 < phrase.score <= 1.0
        # Triggers are RE2-compatible: Arrow compiles them.
        prefilter_hits(phrase.trigger, ["x"])


@pytest.mark.parametrize(
    "filename",
    [
        "checkup_items.txt", "disability_grades.txt", "religious_places.txt", "religious_practice.txt",
        "religious_habits.txt", "religious_membership.txt", "labor_practice.txt", "labor_roles.txt",
        "political_practice.txt",
    ],
)
def test_phrase_word_lists_cite_their_sources(filename: str) -> None:
    import importlib.resources

    text = importlib.resources.files("recognizers").joinpath("vocab", filename).read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "Source" in header or "法" in header
    assert len(load_vocabulary(filename)) >= 5


class _Toy(VocabularyRecognizer):
    ENTITY = "MEDICAL"
    VOCAB_FILE = "medical.txt"
    PHRASES = (
        Phrase("item_value", r"HbA1c\s*[0-9.]+%", "HbA1c", 0.8),
        Phrase("own_visit", r"通院しています", "通院", 0.95, self_disclosure=True),
        Phrase("vetoed", r"入院しました", "入院", 0.95, veto="ペット"),
    )


def test_phrase_subsumes_the_words_inside_it() -> None:
    recognizer = _Toy()
    results = recognizer.analyze("HbA1c 6.8%", ["MEDICAL"], None)
    assert [("HbA1c 6.8%"[r.start : r.end], round(r.score, 2)) for r in results] == [("HbA1c 6.8%", 0.95)]


def test_self_disclosure_phrase_needs_the_writer_s_own_statement() -> None:
    recognizer = _Toy()

    def scores(text: str) -> list[float]:
        return [round(r.score, 2) for r in recognizer.analyze(text, ["MEDICAL"], None)]

    assert 0.95 in scores("私は毎月通院しています")
    assert 0.95 not in scores("患者約300人が通院しています")


def test_veto_words_in_the_sentence_cancel_a_phrase() -> None:
    recognizer = _Toy()
    assert 0.95 in [round(r.score, 2) for r in recognizer.analyze("父が入院しました", ["MEDICAL"], None)]
    assert 0.95 not in [round(r.score, 2) for r in recognizer.analyze("ペットが入院しました", ["MEDICAL"], None)]
