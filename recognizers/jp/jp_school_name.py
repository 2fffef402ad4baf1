"""SCHOOL_NAME: a school's proper name — 東京大学, 県立横浜翠嵐高等学校, 早稲田大学大学院,
お茶の水女子大学, ``Stanford University``, ``University of Tokyo``, ``Lincoln High School``.

The school type alone (大学に進学), a student (大学生, 高校生) or a generic modifier (有名大学, 地元の高校)
is not a name.
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

SCHOOL_TYPES: tuple[str, ...] = (
    "高等専門学校", "中等教育学校", "義務教育学校", "専門学校", "高等学校", "短期大学", "大学院", "中学校",
    "小学校", "幼稚園", "保育園", "大学", "高校", "高専",
)
_TYPE = "|".join(SCHOOL_TYPES)

# Prefixes that say what kind of school it is, not which one.
GENERIC_PREFIXES = frozenset(
    {
        "有名", "国立", "公立", "私立", "県立", "都立", "府立", "道立", "市立", "区立", "町立", "村立",
        "国公立", "地元", "志望", "第一志望", "各", "同", "当", "本", "他", "某", "一流", "難関", "名門",
        "新設", "女子", "男子", "共学", "全日制", "定時制", "通信制", "近隣", "最寄", "最寄り", "希望",
        "県内", "都内", "市内", "区内", "全国", "国内", "海外", "外国", "総合", "単科", "四年制", "4年制",
        "短期", "夜間", "放送", "通信", "出身", "前", "元", "現", "新", "旧", "他校", "母校", "付属", "附属",
        "医科", "工業", "商業", "農業", "看護", "美術", "音楽", "体育", "進学", "入学", "受験", "在学",
    }
)

_PREFIX = r"[\p{Han}\p{Katakana}ヶケノの々ー・A-Za-z0-9]{1,16}?"

SCHOOL_PATTERNS: tuple[Pattern, ...] = (
    # Not followed by 生 (大学生, 高校生).
    # A school inside a school (早稲田大学大学院, 筑波大学附属高等学校) is one name.
    Pattern(
        "school_jp",
        rf"{_PREFIX}(?:{_TYPE})(?:(?:附属|付属)?[\p{{Han}}\p{{Katakana}}ー]{{0,8}}?(?:{_TYPE}))*(?!生|院生|校)",
        0.6,
    ),
    Pattern(
        "school_en",
        r"(?<![A-Za-z])(?:University\sof(?:\s[A-Z][a-zA-Z]+){1,3}"
        r"|(?:[A-Z][a-zA-Z.&'-]+\s){1,4}(?:University|College|High\sSchool|Junior\sHigh\sSchool|"
        r"Middle\sSchool|Elementary\sSchool|Academy|Institute\sof\sTechnology))(?![A-Za-z])",
        0.55,
    ),
)

SCHOOL_CONTEXT: tuple[str, ...] = (
    "学校名", "学歴", "最終学歴", "出身校", "卒業", "在学", "在籍", "中退", "入学", "school", "graduated",
)

SCHOOL_PREFILTER = rf"{_TYPE}|University|College|School|Academy|Institute"

_SCHOOL_JP_RE = re.compile(rf"(?P<prefix>{_PREFIX})(?P<type>{_TYPE})\Z")
_ENGLISH_GENERIC = frozenset({"The", "A", "An", "My", "Our", "Your", "His", "Her", "Their", "This", "That"})


def is_generic_school(name: str) -> bool:
    """True for a school type with only a generic modifier (有名大学, 地元の高校, The University)."""
    match = _SCHOOL_JP_RE.match(name)
    if match:
        prefix = match["prefix"]
        return prefix in GENERIC_PREFIXES or prefix.endswith("の") or prefix.isdigit()
    first_word = name.split()[0]
    return first_word in _ENGLISH_GENERIC and len(name.split()) <= 2


class JpSchoolNameRecognizer(JapanesePatternRecognizer):
    """School names (Japanese and English)."""

    ENTITY: ClassVar[EntityId] = "SCHOOL_NAME"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = SCHOOL_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = SCHOOL_CONTEXT
    PREFILTER: ClassVar[str | None] = SCHOOL_PREFILTER

    def invalidate_result(self, pattern_text: str) -> bool | None:
        return is_generic_school(pattern_text)
