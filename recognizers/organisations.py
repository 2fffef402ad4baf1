"""Is a name an organisation's? The legal forms and public bodies of Japanese law, for telling a
company, ministry or city office from a person (GiNZA labels 〇〇運輸合同会社 and 財務省 Person).

Sources of the vocabulary (nothing here is taken from piiscan's own test data):

- 会社法 第2条第1号 (株式会社, 合名会社, 合資会社, 合同会社); 会社法の施行に伴う関係法律の整備等に関する法律
  第3条 (特例有限会社: 有限会社); 保険業法 第2条第5項 (相互会社); 有限責任事業組合契約に関する法律.
- 法人の種類 (each under its own act): 一般社団法人及び一般財団法人に関する法律, 公益社団法人及び公益財団法人の
  認定等に関する法律, 医療法 第39条, 私立学校法 第3条, 社会福祉法 第22条, 宗教法人法, 特定非営利活動促進法
  (特定非営利活動法人 = NPO法人), 独立行政法人通則法, 地方独立行政法人法, 国立大学法人法, 弁護士法 (弁護士法人),
  税理士法, 公認会計士法 (監査法人), 司法書士法, 行政書士法, 社会保険労務士法, 弁理士法 (特許業務法人),
  農業協同組合法, 消費生活協同組合法, 中小企業等協同組合法 (事業協同組合, 企業組合), 投資信託及び投資法人に関する法律.
- The abbreviations of those forms in business writing: ㈱ ㈲ ㈾ ㈴ ㈳ ㈶ and (株) (有) (同) (合) (資) (名)
  (社) (財) (医) (学) (福) (宗) (特非) (独) — Unicode's PARENTHESIZED IDEOGRAPH block (U+3231–U+3238) and
  the forms 全銀協 / JIS X 0208 use for them.
- The abbreviations banks write in half-width kana for a payee's legal form (全国銀行協会, 振込の受取人名
  の法人略語: ｶ) 株式会社, ﾕ) 有限会社, ﾄﾞ) 合同会社, ﾒ) 合名会社, ｼ) 合資会社, ｲ) 医療法人, ｻﾞｲ) 財団法人,
  ｼﾔ) 社団法人, ｶﾞｸ) 学校法人, ﾌｸ) 社会福祉法人, ﾄｸﾋ) 特定非営利活動法人, ﾄﾞｸ) 独立行政法人 …), written
  before the name (ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ), after it ((ｶ) or between it and a branch.
- 国家行政組織法 別表第一 (the ministries 省, their 委員会 and 庁), 内閣府設置法 第49条/第64条 (内閣府 and its
  外局), 内閣法 (内閣官房), 会計検査院法, 国家公務員法 (人事院), デジタル庁設置法, 復興庁設置法.
- 地方自治法 第1条の3 (都道府県 and 市町村, 特別区), 第4条 (役所 and 役場 as the seat of a local government),
  第138条の4 (委員会); the 47 prefectures of JIS X 0401.
- Financial institutions by their own acts, whose names must say what they are (銀行法 第6条: 銀行;
  信用金庫法 第6条: 信用金庫; 労働金庫法 第8条; 協同組合による金融事業に関する法律: 信用組合); schools by
  学校教育法 第1条 and 第135条 (大学, 高等学校, 専門学校…), hospitals by 医療法 第3条 (病院, 診療所, 医院).
- Industry words that end trade names (山田電機, 鈴木建設, 〇〇運輸): the division and major-group names
  of 日本標準産業分類 (総務省, 令和5年改定) without their 業 (建設, 運輸, 倉庫, 不動産, 印刷, 化学…), and the
  trade words 商事, 商会, 商店, 物産, 製作所, 工務店, 興業 — each a common noun or suffix in SudachiDict,
  never the end of a personal name there; 旅館, ホテル, 百貨店, 書店, 食堂 and 郵便 name JSIC 小分類 too.
- Latin-script legal forms: the designators of the US Model Business Corporation Act §4.01 (Corporation,
  Incorporated, Company, Limited and their abbreviations Corp., Inc., Co., Ltd.), the Uniform Limited
  Liability Company Act §108 (LLC), the UK Companies Act 2006 ss.58–59 (Limited, Ltd, plc), LLP, GmbH
  (GmbHG §4), and Japanese forms romanised (K.K., G.K., Y.K.); Bank, University, Ministry, Agency,
  Commission, Hospital and Clinic as the names of such bodies end.
"""

from __future__ import annotations

import unicodedata

import regex as re

from recognizers.prefectures import PREFECTURE_NAMES

# Legal forms: written before or after the trade name (株式会社山田 / 山田株式会社).
LEGAL_FORMS: tuple[str, ...] = (
    # 会社法 and the acts around it
    "株式会社", "有限会社", "合同会社", "合名会社", "合資会社", "相互会社", "有限責任事業組合",
    # 法人 by act
    "一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人", "社団法人", "財団法人",
    "医療法人社団", "医療法人財団", "医療法人", "学校法人", "社会福祉法人", "宗教法人",
    "特定非営利活動法人", "NPO法人", "独立行政法人", "地方独立行政法人", "国立大学法人", "公立大学法人",
    "大学共同利用機関法人", "弁護士法人", "税理士法人", "監査法人", "司法書士法人", "行政書士法人",
    "社会保険労務士法人", "特許業務法人", "土地家屋調査士法人", "農事組合法人", "投資法人", "特殊法人",
    "農業協同組合", "漁業協同組合", "生活協同組合", "事業協同組合", "協同組合", "企業組合",
)
# The same forms abbreviated, as written after NFKC (㈱ → (株)) with ASCII or full-width parentheses.
LEGAL_FORM_ABBREVIATIONS: tuple[str, ...] = (
    "株", "有", "同", "合", "資", "名", "社", "財", "医", "学", "福", "宗", "特非", "独", "一社", "一財", "公社", "公財",
)
# Public bodies named in full (国家行政組織法 別表第一, 内閣府設置法, 内閣法, 会計検査院法, 国家公務員法).
GOVERNMENT_BODIES: tuple[str, ...] = (
    "内閣", "内閣官房", "内閣府", "宮内庁", "会計検査院", "人事院", "復興庁", "デジタル庁",
    "総務省", "法務省", "外務省", "財務省", "文部科学省", "厚生労働省", "農林水産省", "経済産業省",
    "国土交通省", "環境省", "防衛省",
    "公正取引委員会", "国家公安委員会", "個人情報保護委員会", "カジノ管理委員会", "公害等調整委員会",
    "原子力規制委員会", "運輸安全委員会", "公安審査委員会", "中央労働委員会",
    "金融庁", "消費者庁", "こども家庭庁", "警察庁", "出入国在留管理庁", "公安調査庁", "国税庁", "文化庁",
    "スポーツ庁", "林野庁", "水産庁", "資源エネルギー庁", "特許庁", "中小企業庁", "観光庁", "気象庁",
    "海上保安庁", "防衛装備庁",
)
# Endings that make a word a public body, a financial institution, a school or a hospital. Each is a
# word no Japanese personal name ends with (省, 庁 alone are safe; 院, 部, 室, 市, 町, 村 are not:
# 伊集院, 阿部, 氷室, 高市, 小町, 中村 — so they appear only inside longer words here; 区 is a place,
# and a name glued to an address (山田太郎港区) must stay a name).
ORGANISATION_ENDINGS: tuple[str, ...] = (
    "省", "庁", "委員会", "役所", "役場", "議会", "市役所", "区役所", "町役場", "村役場", "県庁", "都庁", "府庁", "道庁",
    "銀行", "信用金庫", "信用組合", "労働金庫", "証券", "生命保険", "損害保険", "保険", "協会", "組合", "連合会",
    "大学", "大学校", "短期大学", "高等学校", "高等専門学校", "中学校", "小学校", "義務教育学校", "中等教育学校",
    "特別支援学校", "幼稚園", "専門学校", "専修学校", "各種学校", "認定こども園", "保育所", "保育園",
    "病院", "医院", "診療所", "クリニック", "歯科医院", "薬局", "法人",
)
# Industry and trade words that end trade names (日本標準産業分類; see the module docstring).
TRADE_NAME_ENDINGS: tuple[str, ...] = (
    "建設", "土木", "工業", "産業", "鉱業", "製造", "電機", "電気", "電子", "機械", "金属", "鉄鋼", "化学", "石油",
    "製薬", "薬品", "食品", "水産", "畜産", "繊維", "印刷", "出版", "新聞", "放送", "通信", "運輸", "運送", "物流",
    "倉庫", "海運", "航空", "鉄道", "交通", "不動産", "住宅", "建物", "商事", "商会", "商店", "物産", "製作所",
    "工務店", "興業", "工業所", "ホールディングス", "コーポレーション", "カンパニー",
    "旅館", "ホテル", "百貨店", "書店", "食堂", "郵便",
    # JSIC 小分類 of manufacturing and utilities without their 業 (めん類製造業 → 製麺, 清酒製造業 → 酒造)
    "製麺", "製菓", "製パン", "酒造", "醸造", "製紙", "紡績", "造船", "製鋼", "製鉄", "電力", "瓦斯",
)
LATIN_LEGAL_FORMS: tuple[str, ...] = (
    "Incorporated", "Inc", "Corporation", "Corp", "Company", "Co", "Limited", "Ltd", "LLC", "L.L.C", "LLP",
    "PLC", "GmbH", "K.K", "G.K", "Y.K", "Holdings",
)
LATIN_ORGANISATION_ENDINGS: tuple[str, ...] = (
    "Bank", "University", "College", "Ministry", "Agency", "Commission", "Hospital", "Clinic", "Prefecture",
    "City Hall", "Government",
)

# The 全銀協 abbreviations after NFKC (ｶ) → カ)); see the module docstring.
ZENGIN_ABBREVIATIONS: tuple[str, ...] = (
    "カ", "ユ", "ド", "メ", "シ", "ソ", "イ", "ザイ", "シヤ", "ガク", "フク", "シユウ", "トクヒ", "ドク", "ダイ",
    "ベン", "ゼイ", "シホウ", "ギヨ", "ロウム", "ノウ", "カンリ",
)
_LATIN_FORM = (
    r"(?<![A-Za-z])(?i:"
    + "|".join(re.escape(f) for f in sorted(LATIN_LEGAL_FORMS, key=len, reverse=True))
    + r")(?:\.|(?![A-Za-z]))"
)
_LATIN_ENDING = (
    r"(?<![A-Za-z])(?:"
    + "|".join(re.escape(e) for e in sorted(LATIN_ORGANISATION_ENDINGS, key=len, reverse=True))
    + r")\.?\Z"
)
# University of Tokyo, Ministry of Finance, Bank of Japan.
_LATIN_OF = r"(?<![A-Za-z])(?:University|Ministry|Bank|Agency|Embassy|Consulate|Government|Office) of(?![A-Za-z])"
_ZENGIN = "(?:" + "|".join(sorted(ZENGIN_ABBREVIATIONS, key=len, reverse=True)) + ")"
# ｶ)ﾔﾏﾀﾞ at the start of a value or a word, (ｶ) anywhere, ﾔﾏﾀﾞ(ｶ at the end.
_ZENGIN_FORM = rf"(?:(?<![ァ-ヺー]){_ZENGIN}\)|\({_ZENGIN}\)|\({_ZENGIN}(?![ァ-ヺー]))"
# Straight after a name only the bracketed forms belong to it: in ﾔﾏﾀﾞ ｶ)ABC the ｶ) starts the next name.
_ZENGIN_AFTER_FORM = rf"\({_ZENGIN}(?:\)|(?![ァ-ヺー]))"
_PAREN_ABBREVIATION = r"[(（](?:" + "|".join(sorted(LEGAL_FORM_ABBREVIATIONS, key=len, reverse=True)) + r")[)）]"
_LEGAL_FORM = "|".join(re.escape(form) for form in sorted(LEGAL_FORMS, key=len, reverse=True))
# A legal form anywhere in the words of a name (〇〇運輸合同会社, 株式会社山田, ㈲コトブキ商会).
_HAS_LEGAL_FORM = re.compile(rf"{_LEGAL_FORM}|{_PAREN_ABBREVIATION}|{_ZENGIN_FORM}|{_LATIN_FORM}|{_LATIN_OF}")
_ENDS_AS_ORGANISATION = re.compile(
    "(?:"
    + "|".join(re.escape(e) for e in sorted(ORGANISATION_ENDINGS + TRADE_NAME_ENDINGS, key=len, reverse=True))
    + r")\Z|"
    + _LATIN_ENDING
)
# Before a name, these make it the name of a company (株式会社 山田, ㈱山田).
_LEGAL_FORM_BEFORE = re.compile(rf"(?:{_LEGAL_FORM}|{_PAREN_ABBREVIATION}|{_ZENGIN_FORM})\s?\Z")
# After a name, a legal form written apart (山田 株式会社) or glued on after more words of the trade name.
_LEGAL_FORM_AFTER = re.compile(
    rf"\A\s?(?:{_LEGAL_FORM}|{_PAREN_ABBREVIATION}|{_ZENGIN_AFTER_FORM})|\A,?\s?(?:&\s?Co\b|{_LATIN_FORM})"
)
# The words glued to a name candidate that may belong to the same proper noun (運輸合同会社 after 〇〇);
# a few words at most, so that a label and address run on after a name (山田太郎住所東京都…) are not read as one.
_GLUED_AFTER = re.compile(r"\A[\p{Han}\p{Katakana}ー・A-Za-z0-9〇々ヶ]{1,8}")
# In Latin script the words of one name are spaced: Smith Bank, Mizuho Financial Group.
_LATIN_WORDS_AFTER = re.compile(r"\A(?:\s[A-Z][A-Za-z&.'-]{0,20}){1,3}")
_WHOLE_NAMES = frozenset(GOVERNMENT_BODIES) | frozenset(PREFECTURE_NAMES)


def _normalise(text: str) -> str:
    """NFKC (㈱ → (株), full-width → ASCII) without the surrounding blanks."""
    return unicodedata.normalize("NFKC", text).strip()


def is_organisation_name(text: str) -> bool:
    """True when ``text`` names an organisation rather than a person: it carries a legal form
    (株式会社山田, 〇〇運輸合同会社, ㈲コトブキ商会), is a government body or prefecture (財務省, 東京都),
    or ends as a public body, bank, school, hospital or trade name does (横浜市役所, 三菱UFJ銀行, 東京大学,
    山田電機)."""
    name = _normalise(text)
    if not name:
        return False
    if name in _WHOLE_NAMES or _HAS_LEGAL_FORM.search(name):
        return True
    return len(name) >= 2 and _ENDS_AS_ORGANISATION.search(name) is not None


def organisation_around(text: str, start: int, end: int) -> bool:
    """True when the name candidate ``text[start:end]`` is part of an organisation's name: a legal
    form just before it (株式会社山田), after it (山田 株式会社), or the words glued to it make one
    (span 〇〇運輸 in 〇〇運輸合同会社; span 財務 in 財務省)."""
    before = _normalise(text[:start][-12:]) if start else ""
    after = unicodedata.normalize("NFKC", text[end : end + 16])
    if before and _LEGAL_FORM_BEFORE.search(before):
        return True
    if _LEGAL_FORM_AFTER.match(after):
        return True
    glued = _GLUED_AFTER.match(after)
    candidate = text[start:end] + (glued.group() if glued else "")
    if is_organisation_name(candidate):
        return True
    latin = _LATIN_WORDS_AFTER.match(unicodedata.normalize("NFKC", text[end : end + 64]))
    if latin is None:
        return False
    words = latin.group()
    # Every prefix of the following capitalised words: Smith Bank (of Tokyo), Acme Trading Co.
    return any(is_organisation_name(text[start:end] + words[:cut]) for cut in _word_ends(words))


def _word_ends(words: str) -> list[int]:
    return [i for i in range(1, len(words) + 1) if i == len(words) or words[i] == " "]
