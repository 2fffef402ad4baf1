import pytest

from recognizers.sensitive.belief import BeliefRecognizer
from recognizers.vocabulary import VocabularyEntry, load_vocabulary
from tests.recognizers import support

REC = BeliefRecognizer()
THRESHOLD = 0.4  # detection.min_value_score in configs/scan.yaml


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def detected(text: str) -> list[str]:
    return [span for span, score in found(text) if score >= THRESHOLD]


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("無神論者", ["無神論者"]),
        ("平和主義者", ["平和主義者"]),
        ("反戦主義", ["反戦主義"]),  # bare ideology: a whole value
        ("信条：平和主義", ["平和主義"]),  # bare ideology next to a belief word
        ("思想：無政府主義", ["無政府主義"]),
        ("思想信条を理由に国旗掲揚に反対している", ["思想信条"]),
        ("信条として兵役を拒否した", ["信条として"]),
        ("菜食主義（信条による）", ["菜食主義"]),
        ("ｱﾅｷｽﾄ", ["ｱﾅｷｽﾄ"]),
        ("Belief: atheist", ["atheist"]),
        ("He is a conscientious objector.", ["conscientious objector"]),
    ],
)
def test_belief_table(text: str, expected: list[str]) -> None:
    assert detected(text) == expected
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "日本国憲法の三原則は国民主権、基本的人権の尊重、平和主義である",  # a topic, not a person's creed
        "冷戦期の共産主義諸国",
        "ベジタリアンメニューあり",  # a menu choice
        "ヴィーガン対応",
        "成果主義の人事制度",
        "ご都合主義",
    ],
)
def test_belief_decoys(text: str) -> None:
    assert detected(text) == []


@pytest.mark.parametrize("entry", load_vocabulary("belief.txt"), ids=lambda e: e.word)
def test_every_entry_is_found_alone_and_passes_the_prefilter(entry: VocabularyEntry) -> None:
    assert [span for span, _ in found(entry.word)] == [entry.word]
    assert prefilter_hits(entry.word)
