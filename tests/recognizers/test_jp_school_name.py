"""JpSchoolNameRecognizer: proper school names, not school types or students."""

from __future__ import annotations

import pytest

from recognizers.jp.jp_school_name import JpSchoolNameRecognizer
from tests.recognizers import support

REC = JpSchoolNameRecognizer()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def passes_prefilter(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "span", "min_score"),
    [
        ("東京大学", "東京大学", 0.5),
        ("早稲田大学", "早稲田大学", 0.5),
        ("県立横浜翠嵐高等学校", "県立横浜翠嵐高等学校", 0.5),
        ("早稲田大学大学院", "早稲田大学大学院", 0.5),
        ("筑波大学附属高等学校", "筑波大学附属高等学校", 0.5),
        ("横浜市立南小学校", "横浜市立南小学校", 0.5),
        ("東京工業高等専門学校", "東京工業高等専門学校", 0.5),
        ("第一高校", "第一高校", 0.5),
        ("東京大学卒業", "東京大学", 0.9),
        ("私は慶應義塾大学を卒業しました", "慶應義塾大学", 0.9),
        ("東京大学大学院生", "東京大学", 0.5),
        ("Stanford University", "Stanford University", 0.5),
        ("University of Tokyo", "University of Tokyo", 0.5),
        ("Lincoln High School", "Lincoln High School", 0.5),
    ],
)
def test_school_found(text: str, span: str, min_score: float) -> None:
    results = found(text)
    assert [s for s, _ in results] == [span]
    assert results[0][1] >= min_score
    assert passes_prefilter(text)


@pytest.mark.parametrize(
    "text",
    ["大学生", "高校生", "大学に進学", "有名大学に進学", "地元の高校", "国立大学", "The University", "学校", "山田太郎"],
)
def test_school_not_found(text: str) -> None:
    assert found(text) == []
