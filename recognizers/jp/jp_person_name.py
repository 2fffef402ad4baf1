"""PERSON: personal names in short cells and in text.

- Kanji and kana names (山田太郎, 山田 太郎, ヤマダ タロウ, やまだ たろう) come from SudachiPy's own
  lexicon (SudachiDict-core, installed with ja-ginza): tokens tagged 名詞-固有名詞-人名-姓/名/一般.
- Kana written as a whole value (フリガナ columns: ヤマダ タロウ, ﾀｶﾊｼ ｼｭﾝｽｹ, うえの あい, スミス ジョン)
  is split at its blanks and every word is looked up on its own, in the lexicon and in a reading
  index (the katakana readings of the lexicon's kanji surnames and given names: 篠原 → シノハラ).
  At least one word must be a name; a word that the lexicon knows only as an ordinary word
  (アイス コーヒー) needs two name words beside it.
- Romaji names (Taro Yamada, YAMADA Taro) are converted to katakana (Hepburn, with the long vowels
  that Hepburn drops tried back: Taro → タロ/タロウ) and looked up in the same lexicon.
- English names (John Smith, SMITH, John) use the 1990 US Census given-name and surname frequency
  files (``recognizers/data/census1990_*.txt``; see their headers).

A surname + given-name pair scores higher than one name token; honorifics (様, さん, 殿, Mr.), a job
title straight after a name (経理部高橋主任, 佐藤部長) or labels (氏名:, Name:) in the same text raise the
score. A name token glued to a company or place word (株式会社山田, 山田商店, 本田技研工業, 山田町,
Smith Inc), or inside an organisation's name by :func:`recognizers.organisations.organisation_around`
(〇〇運輸合同会社, ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ), is not a person, and a name in a product line (山田錦 純米大吟醸: a rice
variety) is not one unless a label or honorific says so.

As systems store names:
- banks' half-width kana write small kana full size (ｼﾖｳｼﾞ for ショウジ) and may drop the blank
  (ｼﾖｳｼﾞﾀﾛｳ): an unknown kana word is looked up again with small kana put back, and a blank-less
  kana value is split where a surname and a given name the lexicon surely knows meet;
- katakana words joined by ・ or ＝ are how Japanese writes a foreign full name: that separator raises
  the score, and words the lexicon knows as nothing (not ordinary words, not brands) make a plausible
  name on that shape alone (ペトロヴァ・イワノヴナ, 0.55);
- romaji in any case and order as a whole value (taro yamada, yamada, taro) when the two words make
  a Japanese surname + given-name pair; a known surname beside a word that spells as romaji and that
  the lexicon does not know (Atsuo Saitou, SAITOU Atsuo) scores lower; a single capitalised given name
  (John) or romaji name as a whole value scores as one name token does, which only a name-like
  column header carries;
- a surname that Sudachi's best reading takes for a place (石田, 鶴見) counts when the lexicon also
  lists it as a surname and an honorific or job title follows (石田様, 経理部石田主任).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from sudachipy import Dictionary, SplitMode, Tokenizer

from recognizers.entities import EntityId
from recognizers.normalize import normalize_with_offsets
from recognizers.organisations import organisation_around

PERSON_ENTITY: EntityId = "PERSON"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

PAIR_SCORE = 0.85
ROMAJI_PAIR_SCORE = 0.8
ROMAJI_SURNAME_PLUS_UNKNOWN_SCORE = 0.6  # a known surname and a word that spells as romaji (Atsuo Saitou)
ENGLISH_PAIR_SCORE = 0.7
SURNAME_PLUS_UNKNOWN_SCORE = 0.65
TITLE_SINGLE_SCORE = 0.75  # a surname before a job title (高橋主任)
FOREIGN_KANA_SCORE = 0.55  # katakana words joined by ・ or ＝, none an ordinary word (ペトロヴァ・イワノヴナ)
SEPARATOR_BOOST = 0.1  # ・ or ＝ between katakana words is how Japanese writes foreign full names
SINGLE_VALUE_SCORE = 0.45
SINGLE_IN_TEXT_SCORE = 0.3
HONORIFIC_SINGLE_SCORE = 0.75
HONORIFIC_PAIR_SCORE = 0.95
TITLED_SCORE = 0.65
LABEL_BOOST = 0.1
KANA_PAIR_SCORE = 0.85  # a surname word and a given-name word
KANA_ALL_NAMES_SCORE = 0.75  # every word a name (スミス ジョン)
KANA_SOME_NAMES_SCORE = 0.6  # some words names, the rest unknown to the lexicon (ラマ スニル)
KANA_MIXED_SCORE = 0.45  # names beside a word that is (also) an ordinary word (サントス マリア)

# Job titles written straight after a surname (経理部高橋主任, 佐藤部長): the 職位 of 人事院「職種別民間給与
# 実態調査」 (社長 … 係長, 主任, 職長, 支店長, 工場長, 店長) and the posts of 学校教育法 第37条/第92条
# (校長, 教頭, 教諭, 教授, 准教授, 講師, 助教). Alone they are not names; after a name they mark a person.
JOB_TITLES = frozenset(
    {"会長", "社長", "副社長", "頭取", "専務", "常務", "取締役", "監査役", "執行役員", "役員", "理事長", "理事",
     "本部長", "事業部長", "部長", "副部長", "次長", "部次長", "課長", "課長代理", "課長補佐", "係長", "主任", "主査",
     "主幹", "参事", "班長", "職長", "組長", "支店長", "支社長", "工場長", "所長", "店長", "室長", "局長", "センター長",
     "院長", "園長", "校長", "副校長", "教頭", "教諭", "教授", "准教授", "講師", "助教", "部員", "課員", "係員",
     # the English titles companies write in katakana beside 職位 (manager, leader, chief, director)
     "マネージャー", "マネジャー", "リーダー", "チーフ", "ディレクター", "グループリーダー", "チームリーダー"}
)
# Written straight after a name, these mark a person.
HONORIFICS = frozenset({"様", "さま", "サマ", "さん", "サン", "殿", "君", "くん", "ちゃん", "氏", "先生", "様方"})
# Anywhere in the same text, these say that a name is being given.
NAME_LABELS: tuple[str, ...] = (
    "氏名", "名前", "お名前", "フリガナ", "ふりがな", "契約者", "申込者", "担当者", "本人", "名義", "様", "さん", "殿",
    "name", "mr.", "mrs.", "ms.", "mr ", "mrs ", "ms ", "dr.", "dear ",
)
# Before a name these make it a company's name (株式会社山田).
COMPANY_PREFIXES = frozenset(
    {"株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)", "(同)", "㈱", "㈲",
     "財団法人", "社団法人", "医療法人", "学校法人", "宗教法人", "一般社団法人", "一般財団法人", "御中"}
)
# Words that turn a preceding capitalised word pair into an organisation, place or street.
LATIN_STOPWORDS = frozenset(
    {
        "inc", "corp", "corporation", "co", "ltd", "llc", "plc", "gmbh", "company", "group", "holdings",
        "university", "college", "school", "academy", "institute", "hospital", "clinic", "center", "centre",
        "foundation", "association", "bank", "church", "hotel", "station", "airport", "street", "st",
        "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "dr", "lane", "ln", "way", "court",
        "tower", "building", "mall", "store", "shop", "market", "cafe", "restaurant", "city", "county",
        "japan", "tokyo", "osaka", "kyoto", "america", "states", "kingdom",
        # form labels and common words that the census lists also hold as names (My Number, Date Of)
        "my", "number", "no", "date", "birth", "phone", "mobile", "fax", "mail", "email", "card", "code",
        "account", "order", "total", "ship", "bill", "post", "home", "office", "page", "note", "type",
        "service", "customer", "member", "user", "contact", "sales", "manager",
    }
)
# Written in the same value, these make it a product line, not a person (山田錦 純米大吟醸).
PRODUCT_WORDS: tuple[str, ...] = (
    "純米", "吟醸", "本醸造", "清酒", "日本酒", "焼酎", "ワイン", "銘柄", "品種", "商品", "品番", "型番", "JAN",
    "個入", "本入", "袋入", "箱入", "入り", "セット", "詰め合わせ", "詰合せ", "税込", "税抜", "送料", "在庫",
    "ml", "kg", "円",
)

_LATIN_WORD = re.compile(r"(?<![A-Za-z])(?:[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?|[A-Z]{2,})(?![A-Za-z])")
# What may stand between two words of one name: spaces, a comma (SMITH, John), a middle initial.
_LATIN_GAP = re.compile(r"\A(?:\s+|\s*,\s*)(?:[A-Z]\.?\s+)?\Z")
_ASCII_WORD = re.compile(r"[A-Za-z]+")
_HAS_CAPITAL = re.compile(r"[A-Z]")
_NAME_LABEL = re.compile("|".join(re.escape(label) for label in NAME_LABELS), re.IGNORECASE)
_TITLED_NAME = re.compile(r"(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+(?P<name>[A-Z][a-z]+|[A-Z]{2,})(?![A-Za-z])")
_ALL_HIRAGANA_AND_SPACES = re.compile(r"\A[\p{Hiragana}ー\s]+\Z")
# A value that is kana words and blanks only (after hiragana → katakana): 2–4 words.
_KANA_WORDS_VALUE = re.compile(r"\A\s*[ァ-ヺー]+(?:[\s・=]+[ァ-ヺー]+){1,3}\s*\Z")
# The same after a name label (フリガナ：ヤマダ タロウ).
_LABELLED_KANA_WORDS = re.compile(
    r"(?:氏名|名前|フリガナ|ふりがな|カナ|かな|読み|よみ|(?i:name|kana))[^\s:：]{0,6}\s*[:：]\s*"
    r"(?P<name>[ァ-ヺー]+(?:[\s・=]+[ァ-ヺー]+){1,3})\s*\Z"
)
_KANA_SEPARATOR = re.compile(r"[\s・=]+")
# Katakana words joined by ・ or ＝ (NFKC: =) in running text: the way Japanese writes foreign full names.
_JOINED_KANA_WORDS = re.compile(r"(?<![ァ-ヺー])[ァ-ヺー]{2,}(?:[・=][ァ-ヺー]{2,}){1,3}(?![ァ-ヺー])")
# A whole value that is one run of katakana (a bank's ｼﾖｳｼﾞﾀﾛｳ with its blank dropped).
_KANA_RUN_VALUE = re.compile(r"\A\s*[ァ-ヺー]{4,14}\s*\Z")
# A whole value of one or two Latin words, any case (taro yamada, Yamada, Taro, John).
_LATIN_PAIR_VALUE = re.compile(r"\A\s*(?P<a>[A-Za-z]{2,})(?P<gap>\s*,\s*|\s+)(?P<b>[A-Za-z]{2,})\s*\Z")
_LATIN_SINGLE_VALUE = re.compile(r"\A\s*(?P<a>[A-Z][a-z]{2,}|[A-Z]{3,})\s*\Z")
# Banks (全銀協 format) write small kana full size: ｼﾖｳｼﾞ for ショウジ, ｷﾂﾄ for キット.
_I_ROW = frozenset("キシチニヒミリギジヂビピ")
_SMALL_KANA = {"ヤ": "ャ", "ユ": "ュ", "ヨ": "ョ"}
_MAX_SMALL_KANA_VARIANTS = 16
_PRODUCT_WORD = re.compile("|".join(re.escape(w) for w in PRODUCT_WORDS), re.IGNORECASE)


@dataclass(frozen=True)
class NameSpan:
    """A name found in normalised text: [start, end) and its score."""

    start: int
    end: int
    score: float


# ---------------------------------------------------------------- dictionaries (lazy, per process)


_THREAD = threading.local()


@lru_cache(maxsize=1)
def _sudachi_dictionary() -> Dictionary:
    """The Sudachi dictionary, loaded once per process."""
    return Dictionary()


def _sudachi_tokenizer() -> Tokenizer:
    """This thread's mode-C tokenizer: a tokenizer keeps its state in a Rust cell that two threads may not
    borrow at once ("RuntimeError: Already borrowed" on the threads scheduler); the dictionary is shared."""
    tokenizer: Tokenizer | None = getattr(_THREAD, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _THREAD.tokenizer = _sudachi_dictionary().create(SplitMode.C)
    return tokenizer


def _read_names(file_name: str) -> frozenset[str]:
    lines = (DATA_DIR / file_name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def english_given_names() -> frozenset[str]:
    """Lowercase given names (1990 US Census)."""
    return _read_names("census1990_given_names.txt")


@lru_cache(maxsize=1)
def english_surnames() -> frozenset[str]:
    """Lowercase surnames (1990 US Census, 30,000 most frequent)."""
    return _read_names("census1990_surnames.txt")


# ---------------------------------------------------------------- reading index

# Kanji that common surnames and given names are made of. Every one- and two-kanji combination of
# each set is looked up in the Sudachi lexicon, and the katakana readings of those that are 人名
# entries make the reading index: so a name written in kana (シノハラ, ミウラ) is known although the
# lexicon lists it only in kanji. General name kanji, not a list of names.
SURNAME_KANJI = (
    "佐藤鈴木高橋田中渡辺伊山本小林加吉口松井上村清水崎池原阿部石川前後岡長谷近遠青西福太三浦竹内金子"
    "和森柴酒工横宮野今河武杉増平大塚千葉久保島岩桜櫻尾菊地菅浜濱市古星須荒比嘉篠宇美新北東南江沢澤堀"
    "関坂片桑秋矢岸永安白黒広廣土樋萩園奥熊芦稲梅早服丸飯成望月沼根津神寺畑畠梶国國栗細角溝辻浅赤緑牧"
    "鎌能瀬戸波多富冨葛城住倉蔵橘徳筒荻笠羽門宗米柳谷森栗岸吉野片倉湯川越塩谷谷口桐生雨宮島袋玉城宮里"
    "仲金城知念照屋新垣真栄田本間中島五十嵐菱沖守鶴亀角田原熊谷小泉芝崎斎斉齋齊藤的場諏訪豊嶋嶌曽根"
    # more surname-forming kanji (下 of 山下/木下, 邊 of 渡邊, 茂 of 茂木, 椎 of 椎名, 條 of 北條 …)
    "下邊朝並花草茂植滝磯堤渕淵窪鳥鷹馬牛犬猪鹿桂楠椎柏榎槙脇条條日春夏一二七八"
)
SURNAME_TRIGRAMS = (
    "長谷川", "佐々木", "五十嵐", "宇佐美", "大和田", "小野寺", "久保田", "長谷部", "東海林", "勅使河原",
    "阿久津", "大久保", "小笠原", "小田切", "宇都宮", "美濃部", "日比野", "伊集院", "小早川", "長谷山",
)
GIVEN_KANJI = (
    "太郎健一翔大輔拓也直樹和誠浩二隆之修茂博正人智雄亮悠真蓮陽湊颯康介俊秀剛清勝哲賢治純晃伸孝義男"
    "花子恵幸由美香穂愛彩舞麻衣沙織結菜凛葵紬芽依咲七海千尋典京弘瞳静綾乃奈桃春明久彦史昭実光敏裕洋"
    "豊進稔勇徹聡学達優翼奏斗蒼律碧朝陸心杏莉華桜紀理絵佳里歩早夏冬秋万亜友知朋順信文次三四五雅昌克"
    "良貴英幹宏広寛政将輝航大樹颯汰晴悠生奈央千里希望夢未来琴音響詩織紗羽瑞萌菫楓椿蘭百合雪月星空海"
)


@lru_cache(maxsize=1)
def name_readings() -> dict[str, frozenset[str]]:
    """katakana reading → {'姓', '名'}, from the Sudachi lexicon's kanji names (built once, ~0.2 s)."""
    dictionary = _sudachi_dictionary()
    readings: dict[str, set[str]] = {}

    def add(candidates: Iterator[str]) -> None:
        for candidate in candidates:
            for morpheme in dictionary.lookup(candidate):
                pos = morpheme.part_of_speech()
                if pos[1] == "固有名詞" and pos[2] == "人名" and pos[3] in ("姓", "名"):
                    readings.setdefault(morpheme.reading_form(), set()).add(pos[3])

    for alphabet in (dict.fromkeys(SURNAME_KANJI), dict.fromkeys(GIVEN_KANJI)):
        add(iter(alphabet))
        add(a + b for a in alphabet for b in alphabet)
    add(iter(SURNAME_TRIGRAMS))
    return {reading: frozenset(kinds) for reading, kinds in readings.items()}


# ---------------------------------------------------------------- romaji → katakana

_ROMAJI_SYLLABLES: dict[str, str] = {
    "a": "ア", "i": "イ", "u": "ウ", "e": "エ", "o": "オ",
    "ka": "カ", "ki": "キ", "ku": "ク", "ke": "ケ", "ko": "コ",
    "ga": "ガ", "gi": "ギ", "gu": "グ", "ge": "ゲ", "go": "ゴ",
    "sa": "サ", "shi": "シ", "si": "シ", "su": "ス", "se": "セ", "so": "ソ",
    "za": "ザ", "ji": "ジ", "zi": "ジ", "zu": "ズ", "ze": "ゼ", "zo": "ゾ",
    "ta": "タ", "chi": "チ", "ti": "チ", "tsu": "ツ", "tu": "ツ", "te": "テ", "to": "ト",
    "da": "ダ", "di": "ヂ", "du": "ヅ", "de": "デ", "do": "ド",
    "na": "ナ", "ni": "ニ", "nu": "ヌ", "ne": "ネ", "no": "ノ",
    "ha": "ハ", "hi": "ヒ", "fu": "フ", "hu": "フ", "he": "ヘ", "ho": "ホ",
    "ba": "バ", "bi": "ビ", "bu": "ブ", "be": "ベ", "bo": "ボ",
    "pa": "パ", "pi": "ピ", "pu": "プ", "pe": "ペ", "po": "ポ",
    "ma": "マ", "mi": "ミ", "mu": "ム", "me": "メ", "mo": "モ",
    "ya": "ヤ", "yu": "ユ", "yo": "ヨ",
    "ra": "ラ", "ri": "リ", "ru": "ル", "re": "レ", "ro": "ロ",
    "wa": "ワ", "wo": "ヲ",
    "kya": "キャ", "kyu": "キュ", "kyo": "キョ", "gya": "ギャ", "gyu": "ギュ", "gyo": "ギョ",
    "sha": "シャ", "shu": "シュ", "sho": "ショ", "sya": "シャ", "syu": "シュ", "syo": "ショ",
    "ja": "ジャ", "ju": "ジュ", "jo": "ジョ", "jya": "ジャ", "jyu": "ジュ", "jyo": "ジョ",
    "zya": "ジャ", "zyu": "ジュ", "zyo": "ジョ",
    "cha": "チャ", "chu": "チュ", "cho": "チョ", "tya": "チャ", "tyu": "チュ", "tyo": "チョ",
    "nya": "ニャ", "nyu": "ニュ", "nyo": "ニョ", "hya": "ヒャ", "hyu": "ヒュ", "hyo": "ヒョ",
    "bya": "ビャ", "byu": "ビュ", "byo": "ビョ", "pya": "ピャ", "pyu": "ピュ", "pyo": "ピョ",
    "mya": "ミャ", "myu": "ミュ", "myo": "ミョ", "rya": "リャ", "ryu": "リュ", "ryo": "リョ",
}
_MAX_SYLLABLE = 3
_MAX_VARIANTS = 64


def _romaji_syllables(word: str) -> list[str] | None:
    """Split lowercase Hepburn romaji into kana syllables; None when it is not romaji."""
    word = word.replace("ō", "ou").replace("ū", "uu").replace("ā", "aa").replace("ē", "ei").replace("'", "")
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if ch == "n" and (not nxt or nxt not in "aiueoy"):
            out.append("ン")
            i += 1
            continue
        if ch == "m" and nxt in ("b", "p", "m"):
            out.append("ン")
            i += 1
            continue
        if ch == "h" and out and i > 0 and word[i - 1] == "o" and (not nxt or nxt not in "aiueoy"):
            out.append("オ")  # Ohta, Ohno: the h marks a long o.
            i += 1
            continue
        if (ch == nxt and ch not in "aiueon") or (ch == "t" and nxt == "c"):
            out.append("ッ")
            i += 1
            continue
        for size in range(_MAX_SYLLABLE, 0, -1):
            kana = _ROMAJI_SYLLABLES.get(word[i : i + size])
            if kana is not None:
                out.append(kana)
                i += size
                break
        else:
            return None
    return out


def romaji_to_katakana_variants(word: str) -> list[str]:
    """Katakana spellings of a romaji word, with long vowels Hepburn may have dropped put back."""
    syllables = _romaji_syllables(word.lower())
    if not syllables:
        return []
    options: list[tuple[str, ...]] = []
    for kana in syllables:
        if kana.endswith(("オ", "コ", "ゴ", "ソ", "ゾ", "ト", "ド", "ノ", "ホ", "ボ", "ポ", "モ", "ヨ", "ロ", "ョ")):
            options.append((kana, kana + "ウ", kana + "オ"))
        elif kana.endswith(("ウ", "ク", "グ", "ス", "ズ", "ツ", "ヌ", "フ", "ブ", "プ", "ム", "ユ", "ル", "ュ")):
            options.append((kana, kana + "ウ"))
        else:
            options.append((kana,))
    variants = ("".join(combo) for combo in itertools.product(*options))
    return list(itertools.islice(variants, _MAX_VARIANTS))


@lru_cache(maxsize=65536)
def romaji_name_kinds(word: str) -> frozenset[str]:
    """{'姓', '名'}: what the Sudachi lexicon says a romaji word can be as a Japanese name."""
    dictionary = _sudachi_dictionary()
    readings = name_readings()
    kinds: set[str] = set()
    for katakana in romaji_to_katakana_variants(word):
        kinds.update(readings.get(katakana, ()))
        for morpheme in dictionary.lookup(katakana):
            pos = morpheme.part_of_speech()
            if pos[1] == "固有名詞" and pos[2] == "人名" and pos[3] in ("姓", "名"):
                kinds.add(pos[3])
    return frozenset(kinds)


# ---------------------------------------------------------------- Japanese script names


def _name_kind(pos: tuple[str, ...]) -> str | None:
    if len(pos) >= 4 and pos[0] == "名詞" and pos[1] == "固有名詞" and pos[2] == "人名":
        return pos[3]  # 姓, 名 or 一般
    return None


def _blocks_name(pos: tuple[str, ...], surface: str) -> bool:
    """True when a token glued to a name makes it a company, shop or place name (山田商店, 山田町)."""
    if surface in HONORIFICS or surface in JOB_TITLES:
        return False
    return (pos[0] == "名詞" and _name_kind(pos) is None) or pos[0] == "接尾辞"


def _japanese_names(text: str) -> Iterator[NameSpan]:
    # A kana-only cell (やまだ たろう) reads better as katakana: Sudachi takes たろう for a verb ending.
    if _ALL_HIRAGANA_AND_SPACES.match(text):
        text = "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)
    kana_name = _kana_words_name(text)
    if kana_name is not None:
        yield kana_name
        return
    found = list(_sudachi_names(text))
    if not found and _KANA_RUN_VALUE.match(text):
        glued = _glued_kana_name(text)
        if glued is not None:
            found.append(glued)
    found.extend(_joined_kana_names(text))
    yield from found


def _marks_a_person(surface: str) -> bool:
    return surface in HONORIFICS or surface in JOB_TITLES


# Sudachi splits many titles (課長 → 課 + 長, 部長 → 部 + 長): a title is read over this many tokens.
_TITLE_MAX_TOKENS = 3


def _mark_at(morphemes: list[tuple[str, tuple[str, ...], int, int]], k: int) -> str | None:
    """The honorific or job title that starts at token ``k`` (over up to three tokens), or None."""
    text = ""
    for surface, _, _, _ in morphemes[k : k + _TITLE_MAX_TOKENS]:
        text += surface
        if _marks_a_person(text):
            return text
    return None


@lru_cache(maxsize=65536)
def _lexicon_surname(surface: str) -> bool:
    dictionary = _sudachi_dictionary()
    return any(
        m.part_of_speech()[1:4] == ("固有名詞", "人名", "姓") for m in dictionary.lookup(surface)
    )


def _surname_entry(surface: str, pos: tuple[str, ...]) -> str | None:
    """'姓' for a proper noun that Sudachi read as a place (石田, 鶴見 → 地名) but whose lexicon also lists
    it as a surname, when an honorific or job title follows it (石田様, 経理部石田主任): places take
    neither."""
    if len(pos) >= 2 and pos[0] == "名詞" and pos[1] in ("固有名詞", "普通名詞") and _lexicon_surname(surface):
        return "姓"
    return None


@lru_cache(maxsize=65536)
def _known_word(surface: str) -> bool:
    dictionary = _sudachi_dictionary()
    return bool(dictionary.lookup(surface))


def _place_surname_opens_the_value(
    morphemes: list[tuple[str, tuple[str, ...], int, int]], i: int, whole: str
) -> bool:
    """A whole value "姓 名" whose surname Sudachi reads as a place or a common noun (品川 幹代, 荒川
    茂一郎, 下山 輝海): the first word is listed as a surname too, a blank follows, and the rest is a given name of 1–3
    kanji that ends the value and is no place or surname itself (長野 松本 stays two places)."""
    surface, pos, _, _ = morphemes[i]
    if i != 0 or not whole.startswith(surface) or pos[0] != "名詞" or not _lexicon_surname(surface):
        return False
    if i + 1 >= len(morphemes):
        return False
    if morphemes[i + 1][1][0] != "空白":
        # Glued (竹原初陽): the whole-value rule of _given_name_after_surname, no place among the rest.
        glued = _given_name_after_surname(morphemes, i + 1, blank=False, opens_value=True)
        return glued is not None and not any(_name_kind(m[1]) == "姓" for m in morphemes[i + 1 : glued[0] + 1])
    if i + 3 == len(morphemes) and _name_kind(morphemes[i + 2][1]) == "名":
        return True  # 下山 輝海: the surname read as a common noun, a given name the lexicon knows
    given = _given_name_after_surname(morphemes, i + 2, blank=True)
    if given is None or given[0] != len(morphemes) - 1:
        return False
    rest = morphemes[i + 2 : given[0] + 1]
    return not any(m[1][2:3] == ("地名",) or _name_kind(m[1]) == "姓" for m in rest)


def _sudachi_names(text: str) -> Iterator[NameSpan]:
    tokenizer = _sudachi_tokenizer()
    morphemes = [
        (m.surface(), tuple(m.part_of_speech()), m.begin(), m.end())
        for m in tokenizer.tokenize(text)
    ]
    whole = text.strip()
    i = 0
    while i < len(morphemes):
        kind = _name_opens_at(morphemes, i, whole)
        if kind is None:
            i += 1
            continue
        last, score = _name_extent(morphemes, i, kind, whole)
        if not _part_of_a_company_or_phrase(text, morphemes, i, last):
            mark = _mark_at(morphemes, last + 1)
            if mark in HONORIFICS:
                score = HONORIFIC_PAIR_SCORE if last > i else max(score, HONORIFIC_SINGLE_SCORE)
            elif mark in JOB_TITLES and (kind == "姓" or last > i):
                score = HONORIFIC_PAIR_SCORE if last > i else max(score, TITLE_SINGLE_SCORE)
            yield NameSpan(morphemes[i][2], morphemes[last][3], score)
        i = last + 1


def _name_opens_at(morphemes: list[tuple[str, tuple[str, ...], int, int]], i: int, whole: str) -> str | None:
    """姓 or 名 when morpheme ``i`` can open a person's name, else None."""
    surface, pos, _, _ = morphemes[i]
    kind = _name_kind(pos)
    if kind is None and i + 1 < len(morphemes) and _mark_at(morphemes, i + 1) is not None:
        kind = _surname_entry(surface, pos)
    if kind is None and _place_surname_opens_the_value(morphemes, i, whole):
        kind = "姓"
    return kind


def _name_extent(
    morphemes: list[tuple[str, tuple[str, ...], int, int]], i: int, kind: str, whole: str
) -> tuple[int, float]:
    """The last morpheme of the name opened at ``i`` and its score, looking past one blank for the other half."""
    last = i
    score = SINGLE_VALUE_SCORE if morphemes[i][0] == whole else SINGLE_IN_TEXT_SCORE
    j = i + 1
    if j < len(morphemes) and morphemes[j][1][0] == "空白":
        j += 1
    given = _given_name_after_surname(morphemes, j, blank=j > i + 1, opens_value=i == 0) if kind == "姓" else None
    if given is not None:
        last, score = given
    elif j < len(morphemes) and {kind, _name_kind(morphemes[j][1])} == {"姓", "名"}:
        last, score = j, PAIR_SCORE
    return last, score


def _part_of_a_company_or_phrase(
    text: str, morphemes: list[tuple[str, tuple[str, ...], int, int]], i: int, last: int
) -> bool:
    """Morphemes ``i``..``last`` follow a company prefix, lie inside an organisation's name, or run on into a
    word that makes them something other than a name."""
    p = i - 1
    if p >= 0 and morphemes[p][1][0] == "空白":
        p -= 1
    prev = morphemes[p] if p >= 0 else None
    after = morphemes[last + 1] if last + 1 < len(morphemes) else None
    if prev is not None and (prev[0] in COMPANY_PREFIXES or prev[0].endswith(("会社", "法人"))):
        return True
    if organisation_around(text, morphemes[i][2], morphemes[last][3]):
        return True
    return after is not None and _mark_at(morphemes, last + 1) is None and _blocks_name(after[1], after[0])


def small_kana_variants(word: str) -> list[str]:
    """Spellings of a katakana word with the small kana a bank wrote full size put back
    (シヨウジ → ショウジ, キツト → キット); the word itself is not among them."""
    options: list[tuple[str, ...]] = []
    for index, ch in enumerate(word):
        prev = word[index - 1] if index else ""
        nxt = word[index + 1] if index + 1 < len(word) else ""
        if ch in _SMALL_KANA and prev in _I_ROW:
            options.append((ch, _SMALL_KANA[ch]))
        elif ch == "ツ" and nxt and nxt not in "アイウエオンーッ":
            options.append((ch, "ッ"))
        else:
            options.append((ch,))
    variants = ("".join(combo) for combo in itertools.product(*options))
    return [v for v in itertools.islice(variants, _MAX_SMALL_KANA_VARIANTS) if v != word]


@lru_cache(maxsize=65536)
def kana_word_kinds(word: str) -> frozenset[str]:
    """:func:`exact_kana_word_kinds`, or when the word is unknown, those of its spelling with the small
    kana that a bank wrote full size put back (シヨウジ is read as ショウジ)."""
    kinds = exact_kana_word_kinds(word)
    if kinds:
        return kinds
    for variant in small_kana_variants(word):
        kinds = exact_kana_word_kinds(variant)
        if kinds:
            return kinds
    return kinds


@lru_cache(maxsize=65536)
def exact_kana_word_kinds(word: str) -> frozenset[str]:
    """What one katakana word can be: '姓', '名' (a Japanese name), '人名' (a name of either kind, often
    foreign: スミス), plus 'word' when it may just as well be something else. Empty when unknown.

    A 姓/名 entry of the lexicon for the kana itself is trusted (アイ, サクラ). The lexicon also tags
    many loanwords 人名-一般 (コーヒー), and the reading index turns up rare readings of ordinary
    words (イチゴ) and of places and companies (ナガノ, ヤマハ): those carry 'word' as well."""
    dictionary = _sudachi_dictionary()
    lexicon_names: set[str] = set()
    person = ordinary = other_proper = False
    for morpheme in dictionary.lookup(word):
        pos = morpheme.part_of_speech()
        if pos[1] == "固有名詞" and pos[2] == "人名":
            if pos[3] in ("姓", "名"):
                lexicon_names.add(pos[3])
            else:
                person = True
        elif pos[1] == "固有名詞":
            other_proper = True
        else:
            ordinary = True
    if lexicon_names:
        return frozenset(lexicon_names)
    kinds = set(name_readings().get(word, ()))
    if person:
        kinds.add("人名")
    if ordinary or (kinds and other_proper and not person):
        kinds.add("word")
    return frozenset(kinds)


def kana_words_score(words: list[str]) -> float:
    """Score of kana words written as one name (ヤマダ タロウ, スミス ジョン), or 0.0.

    At least one word must be surely a name; a word known only as an ordinary word needs two sure
    names beside it, and a name that may be something else (サントス, ナガノ) lowers the score unless
    it makes a surname + given-name pair with a sure name."""
    kinds = [kana_word_kinds(word) for word in words]
    sure = [bool(k) and "word" not in k for k in kinds]
    ambiguous = sum(1 for k in kinds if "word" in k and len(k) > 1)
    ordinary = sum(1 for k in kinds if k == {"word"})
    names = sum(sure)
    if names == 0 or (ordinary and names < 2):
        return 0.0
    for i, first in enumerate(kinds):
        for j, second in enumerate(kinds):
            if i != j and "姓" in first and "名" in second and (sure[i] or sure[j]):
                return KANA_PAIR_SCORE
    if ordinary or ambiguous:
        return KANA_MIXED_SCORE
    return KANA_ALL_NAMES_SCORE if names == len(words) else KANA_SOME_NAMES_SCORE


def _separated_kana_score(words: list[str], joined: bool) -> float:
    """:func:`kana_words_score`, raised when the words are joined by ・ or ＝ (the way a foreign full
    name is written), and for such a join of words the lexicon does not know as ordinary words
    (ペトロヴァ・イワノヴナ) a plausible-name score: katakana product and company words are ordinary
    words to the lexicon (アイス・コーヒー, サントリー・ホールディングス)."""
    score = kana_words_score(words)
    if not joined:
        return score
    if score >= KANA_SOME_NAMES_SCORE:  # not when a word may be something else (ディズニー・ランド)
        return min(KANA_PAIR_SCORE, score + SEPARATOR_BOOST)
    if score > 0:
        return score
    dictionary = _sudachi_dictionary()
    # Words the lexicon knows as nothing at all (brands are 固有名詞-一般 there: グーグル, サントリー).
    unknown = all(not kana_word_kinds(w) and not dictionary.lookup(w) for w in words)
    return FOREIGN_KANA_SCORE if unknown and all(len(w) >= 3 for w in words) else 0.0


def _joined_kana_names(text: str) -> Iterator[NameSpan]:
    """Katakana words joined by ・ or ＝ inside text (担当のアレクサンドラ・ペトロヴァさん)."""
    for match in _JOINED_KANA_WORDS.finditer(text):
        if organisation_around(text, match.start(), match.end()):
            continue
        words = [w for w in _KANA_SEPARATOR.split(match.group()) if w]
        score = _separated_kana_score(words, joined=True)
        if score > 0:
            yield NameSpan(match.start(), match.end(), score)


def _glued_kana_name(text: str) -> NameSpan | None:
    """A katakana surname and given name written without a blank, as banks' half-width kana often are
    (ｼﾖｳｼﾞﾀﾛｳ): the run must split into two words the lexicon surely knows as 姓 + 名."""
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    run = text[start:end]
    for cut in range(2, len(run) - 1):
        left, right = kana_word_kinds(run[:cut]), kana_word_kinds(run[cut:])
        if "word" in left or "word" in right:
            continue
        if "姓" in left and "名" in right:
            return NameSpan(start, end, KANA_ALL_NAMES_SCORE)
    return None


def _kana_words_name(text: str) -> NameSpan | None:
    """A kana name written as the whole value or after a name label (フリガナ：ヤマダ タロウ)."""
    if _KANA_WORDS_VALUE.match(text):
        start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    else:
        labelled = _LABELLED_KANA_WORDS.search(text)
        if labelled is None:
            return None
        start, end = labelled.span("name")
    words = [w for w in _KANA_SEPARATOR.split(text[start:end]) if w]
    joined = any(ch in "・=" for ch in text[start:end])
    score = _separated_kana_score(words, joined)
    if score > 0 and organisation_around(text, start, end):
        return None
    return NameSpan(start, end, score) if score > 0 else None


def _given_name_after_surname(
    morphemes: list[tuple[str, tuple[str, ...], int, int]], j: int, blank: bool, opens_value: bool = False
) -> tuple[int, float] | None:
    """A given name written in 1–3 kanji after a surname that Sudachi did not read as one 名 token
    (佐藤 陽翔 → 陽 + 翔, 伊藤 凛, 田中 颯): (index of its last token, score), or None.

    It must end the value or stand before an honorific or a blank. A lone common noun of two or more
    kanji (山田 工業) is not a given name, and without a blank (山田商店) a 人名 token is required.
    """
    k, length, has_name_token = j, 0, False
    while k < len(morphemes) and j < len(morphemes):
        surface, pos, _, _ = morphemes[k]
        if _mark_at(morphemes, k) is not None or not all("\u4e00" <= ch <= "\u9fff" for ch in surface):
            break
        length += len(surface)
        has_name_token = has_name_token or _name_kind(pos) is not None
        k += 1
    if k == j or length > 3:
        return None
    if k < len(morphemes) and _mark_at(morphemes, k) is None and morphemes[k][1][0] != "空白":
        return None
    if has_name_token:
        return k - 1, PAIR_SCORE
    only_surface, only_pos, _, _ = morphemes[j]
    # A word the dictionary knows (工業, 本社) is no given name; a rare given name Sudachi has never
    # seen comes out as an unknown common noun (俐珠) and stays a candidate.
    known_word = k == j + 1 and len(only_surface) >= 2 and only_pos[1] == "普通名詞" and _known_word(only_surface)
    # Glued to the surname (山田商店), only a title or honorific right after says it is a given name
    # (経理部室井久宮子課長).
    marked = k < len(morphemes) and _mark_at(morphemes, k) is not None
    # A whole value that is a surname and 2–3 more kanji (安岡雷作, 小堀念平), starting with a noun and
    # naming no place or other proper noun (神戸北野), is how name columns store names without a blank;
    # 松本城 and 吉田町 have one kanji more, 山田本社 a word the dictionary knows.
    glued_whole = (
        opens_value
        and k == len(morphemes)
        and length >= 2
        and morphemes[j][1][0] == "名詞"
        and all(
            m[1][0] in ("名詞", "接尾辞", "形状詞") and (m[1][1:2] != ("固有名詞",) or m[1][2:3] == ("人名",))
            for m in morphemes[j:k]
        )
    )
    if (not blank and not marked and not glued_whole) or (known_word and not marked):
        return None
    return k - 1, SURNAME_PLUS_UNKNOWN_SCORE


# ---------------------------------------------------------------- romaji and English names


@lru_cache(maxsize=65536)
def _spells_as_romaji(word: str) -> bool:
    """A word of 4+ letters that reads as Hepburn romaji and that the lexicon knows as nothing in any
    of its katakana spellings (Atsuo → アツオ: unknown; Sushi → スシ, Ramen → ラメン: ordinary words)."""
    if len(word) < 4 or not _romaji_syllables(word.lower()):
        return False
    dictionary = _sudachi_dictionary()
    return not any(dictionary.lookup(katakana) for katakana in romaji_to_katakana_variants(word))


def _romaji_surname_plus_unknown(
    first: str, second: str, comma: bool, kinds_a: frozenset[str], kinds_b: frozenset[str]
) -> bool:
    """A surname the lexicon knows beside a given name it does not, in the orders names are written:
    Atsuo Saitou (given first), SAITOU Atsuo (surname in capitals first), Saitou, Atsuo. A product
    line puts the maker first without capitals or a comma (Yamaha Piano), so that order is not enough."""
    if "姓" in kinds_b and not kinds_a and not comma:
        return _spells_as_romaji(first)
    if "姓" in kinds_a and not kinds_b and (comma or (first.isupper() and not second.isupper())):
        return _spells_as_romaji(second)
    return False


def _romaji_name_plus_unknown_value(a: str, b: str, kinds_a: frozenset[str], kinds_b: frozenset[str]) -> bool:
    """A whole value of two words, one a Japanese name the lexicon knows and the other a word that
    spells as romaji and that it does not know (ushijima haruhiko, Sakurai Mayuho), in either order:
    a value on its own is no product line, and the caller has already ruled out word pairs."""
    if kinds_a & {"姓", "名"} and not kinds_b:
        return _spells_as_romaji(b)
    if kinds_b & {"姓", "名"} and not kinds_a:
        return _spells_as_romaji(a)
    return False


def _latin_pair_score(first: str, second: str, comma: bool) -> float:
    a, b = first.lower(), second.lower()
    if a in LATIN_STOPWORDS or b in LATIN_STOPWORDS:
        return 0.0
    kinds_a, kinds_b = romaji_name_kinds(a), romaji_name_kinds(b)
    if ("姓" in kinds_a and "名" in kinds_b) or ("名" in kinds_a and "姓" in kinds_b):
        return ROMAJI_PAIR_SCORE
    if _romaji_surname_plus_unknown(first, second, comma, kinds_a, kinds_b):
        return ROMAJI_SURNAME_PLUS_UNKNOWN_SCORE
    given, surnames = english_given_names(), english_surnames()
    # Two-letter words are state codes and initials far more often than names (Boston, MA).
    if len(a) < 3 or len(b) < 3:
        return 0.0
    if comma:
        return ENGLISH_PAIR_SCORE if a in surnames and b in given else 0.0
    if a in given and b in surnames:
        return ENGLISH_PAIR_SCORE
    if first.isupper() and a in surnames and b in given:  # SMITH John
        return ENGLISH_PAIR_SCORE
    return 0.0


def _latin_names(text: str) -> Iterator[NameSpan]:
    words = list(_LATIN_WORD.finditer(text))
    for left, right in itertools.pairwise(words):
        gap = text[left.end() : right.start()]
        if not _LATIN_GAP.match(gap):
            continue
        follower = text[right.end() :].lstrip(" ,.")
        next_word = _ASCII_WORD.match(follower)
        if next_word and next_word.group().lower() in LATIN_STOPWORDS:
            continue
        score = _latin_pair_score(left.group(), right.group(), "," in gap)
        if score > 0:
            yield NameSpan(left.start(), right.end(), score)


def _latin_value_names(text: str) -> Iterator[NameSpan]:
    """A whole value that is a name in Latin letters in any case (taro yamada, yamada, taro), or a
    single capitalised given name or romaji name (John, Yamada): alone it scores like one Japanese
    name token, which a name-like column header carries and a bare value does not."""
    pair = _LATIN_PAIR_VALUE.match(text)
    if pair is not None:
        a, b = pair["a"], pair["b"]
        kinds_a, kinds_b = romaji_name_kinds(a.lower()), romaji_name_kinds(b.lower())
        plausible = a.lower() not in LATIN_STOPWORDS and b.lower() not in LATIN_STOPWORDS
        if plausible and _romaji_name_plus_unknown_value(a, b, kinds_a, kinds_b):
            # _latin_names scores the capitalised forms it knows higher; this span merges with those.
            yield NameSpan(pair.start("a"), pair.end("b"), ROMAJI_SURNAME_PLUS_UNKNOWN_SCORE)
        if not (_LATIN_WORD.fullmatch(a) and _LATIN_WORD.fullmatch(b)):
            # Lower-case (or oddly cased) words: only a Japanese 姓 + 名 pair counts, since ordinary
            # English words are also in the census lists (green, rose).
            if not plausible:
                return
            if ("姓" in kinds_a and "名" in kinds_b) or ("名" in kinds_a and "姓" in kinds_b):
                yield NameSpan(pair.start("a"), pair.end("b"), ROMAJI_PAIR_SCORE)
        return
    single = _LATIN_SINGLE_VALUE.match(text)
    if single is not None:
        word = single["a"].lower()
        if word in LATIN_STOPWORDS:
            return
        if word in english_given_names() or romaji_name_kinds(word):
            yield NameSpan(single.start("a"), single.end("a"), SINGLE_VALUE_SCORE)


def _titled_names(text: str) -> Iterator[NameSpan]:
    """A surname after an English title (Mr. Brown, Dr Tanaka)."""
    for match in _TITLED_NAME.finditer(text):
        word = match["name"]
        if word.lower() in english_surnames() or "姓" in romaji_name_kinds(word.lower()):
            yield NameSpan(match.start("name"), match.end("name"), TITLED_SCORE)


def _merge(spans: list[NameSpan]) -> list[NameSpan]:
    """Join overlapping spans (John Michael Smith is one name)."""
    merged: list[NameSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = NameSpan(last.start, max(last.end, span.end), max(last.score, span.score))
        else:
            merged.append(span)
    return merged


def find_names(text: str) -> list[NameSpan]:
    """Person names in ``text`` (already normalised), with scores."""
    spans: list[NameSpan] = []
    if not text.isascii():
        spans.extend(_japanese_names(text))
    if _HAS_CAPITAL.search(text):
        spans.extend(_latin_names(text))
        spans.extend(_titled_names(text))
    if not spans and text.isascii():
        spans.extend(_latin_value_names(text))
    if not spans:
        return []
    labelled = _NAME_LABEL.search(text) is not None
    if not labelled and _PRODUCT_WORD.search(text):
        return []
    boost = LABEL_BOOST if labelled else 0.0
    return [NameSpan(s.start, s.end, min(1.0, s.score + boost)) for s in _merge(spans)]


class PersonNameRecognizer(EntityRecognizer):
    """Personal names: Sudachi's 人名 lexicon for Japanese script and romaji, US Census lists for English."""

    PREFILTER: ClassVar[str | None] = (
        r"[\p{Han}\p{Hiragana}\p{Katakana}]|[A-Za-z]{2,}[ ,.]+[A-Za-z]|\A\s*(?:[A-Z][a-z]{2,}|[A-Z]{3,})\s*\z"
    )

    def __init__(self, supported_language: str = "ja") -> None:
        super().__init__(
            supported_entities=[PERSON_ENTITY],
            name=type(self).__name__,
            supported_language=supported_language,
        )

    def load(self) -> None:
        # Dictionaries are loaded lazily, once per process, on the first value analysed.
        return None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        if PERSON_ENTITY not in entities or not text or not text.strip():
            return []
        norm = normalize_with_offsets(text)
        results = []
        for span in find_names(norm.text):
            start, end = norm.to_original(span.start, span.end)
            results.append(
                RecognizerResult(
                    entity_type=PERSON_ENTITY,
                    start=start,
                    end=end,
                    score=span.score,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results
