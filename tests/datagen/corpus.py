"""A seeded corpus of labelled texts for measuring piiscan's recognizers entity by entity.

Every example is one cell value or one free-text sentence, as a scanned column would hold it, with
the entities a reader would say it contains. Positives exist for every entity of
``configs/policy.yaml``'s ``entity_categories`` and for the non-personal ``JP_CORPORATE_NUMBER``,
``JAN_CODE``, ``JP_BUSINESS_PHONE`` and ``DATE``; each entity cycles through several realistic
surface forms (full-width digits, dash variants ー − ‐ － ―, with and without separators, embedded in
Japanese sentences without spaces, English forms where the entity exists in English data). Decoys
are the look-alikes of real business data: JAN codes, corporate numbers, product codes whose check
digits fail, place names inside product names (北海道産ミルク), company phone numbers, version
strings, prices, file hashes and ordinary words that contain a sensitive word (システム障害).

Labels:

- ``expected``: entities that must be found (a miss is a false negative);
- ``tolerated``: entities that are genuinely present too and may be found without counting as a
  false positive: a prefecture inside a full address, a DATE inside a birth date, or, for a bare
  digit string, another identifier whose check digit the same digits also pass (twelve bare digits
  that pass both the My Number and the licence check digit are both, as far as anyone can tell).

Entities that no value can reveal without a label (a passport number ``TR1234567`` is also an
order code; ``1234-567890`` is also a part number; a member number has no format) appear with the
label in the text (``旅券番号：TR1234567``), as they do in free text and ``key: value`` cells; in
a table the column name carries them, which the column-level evaluation (``make eval``) measures.

All values are written here (no Faker): names, places and phrases are hand-written lists, numbers
are random with check digits computed by the functions below, written from the published rules
(independently of ``recognizers.checksums`` so that an error there shows up here). Every person is
fictional. The same seed gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

# Recognised so they are not mistaken for personal data; they belong to no policy category.
NON_PERSONAL_ENTITIES: tuple[str, ...] = ("JP_CORPORATE_NUMBER", "JAN_CODE", "JP_BUSINESS_PHONE", "DATE")


@dataclass(frozen=True)
class Example:
    """One labelled text: ``group`` is the entity (positives) or ``decoy:<kind>``; ``form`` its surface form."""

    text: str
    expected: frozenset[str]
    tolerated: frozenset[str]
    group: str
    form: str
    kind: Literal["positive", "decoy"]


# ---------------------------------------------------------------------------------------------
# Check digits, from the published rules (see ../shared/notes/japan.md §1).


def mynumber_cd(first11: str) -> int:
    """個人番号: 11 − (Σ Pn·Qn mod 11), 0 when the remainder is ≤ 1; Qn = n+1 (n ≤ 6), n−5 (n ≥ 7)."""
    total = sum(int(first11[-n]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def corporate_cd(last12: str) -> int:
    """法人番号 (leading CD): 9 − (Σ Pn·Qn mod 9), Qn = 1 for odd n, 2 for even n, from the lowest digit."""
    return 9 - sum(int(last12[-n]) * (1 if n % 2 else 2) for n in range(1, 13)) % 9


def license_cd(first10: str) -> int:
    """運転免許証番号, the publicly reported (unofficial) rule."""
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    return (11 - sum(int(d) * w for d, w in zip(first10, weights, strict=True)) % 11) % 10


def luhn_cd(body: str) -> int:
    """Luhn check digit to append to ``body`` (cards, 保険者番号)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def gs1_cd(body: str) -> int:
    """GS1 mod-10 (JAN/EAN-13, EAN-8, UPC-A): weights 3,1,3,… from the digit next to the CD."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def mrz_cd(field: str) -> int:
    """ICAO 9303 7-3-1 check digit."""

    def value(ch: str) -> int:
        if ch.isdigit():
            return int(ch)
        return 0 if ch == "<" else ord(ch) - 55

    return sum(value(ch) * (7, 3, 1)[i % 3] for i, ch in enumerate(field)) % 10


def is_mynumber(d: str) -> bool:
    return len(d) == 12 and d.isdigit() and mynumber_cd(d[:11]) == int(d[11])


def is_license(d: str) -> bool:
    return len(d) == 12 and d.isdigit() and license_cd(d[:10]) == int(d[10])


def is_gs1(d: str) -> bool:
    return len(d) in (8, 12, 13) and d.isdigit() and gs1_cd(d[:-1]) == int(d[-1])


def is_corporate(d: str) -> bool:
    return len(d) == 13 and d.isdigit() and d[0] != "0" and corporate_cd(d[1:]) == int(d[0])


def is_luhn(d: str) -> bool:
    return d.isdigit() and luhn_cd(d[:-1]) == int(d[-1])


def digit_twins(digits: str) -> frozenset[str]:
    """Entities a bare digit string also is, by length and check digit (no label can tell them apart)."""
    twins = set()
    if is_mynumber(digits):
        twins.add("JP_MY_NUMBER")
    if is_license(digits):
        twins.add("JP_DRIVER_LICENSE")
    if is_gs1(digits):
        twins.add("JAN_CODE")
    if is_corporate(digits):
        twins.add("JP_CORPORATE_NUMBER")
    return frozenset(twins)


# ---------------------------------------------------------------------------------------------
# Surface-form helpers.

DASHES: tuple[str, ...] = ("-", "ー", "−", "‐", "－", "―")


def fullwidth(text: str) -> str:
    """ASCII → full-width forms (what Japanese IMEs and forms often produce); space → U+3000."""
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text
    )


def halfwidth_kana(katakana: str) -> str:
    """Katakana → half-width katakana (legacy bank and mainframe data: ﾔﾏﾀﾞ ﾀﾛｳ)."""
    return "".join(_HALFWIDTH_KANA.get(ch, ch) for ch in katakana)


def _build_halfwidth_kana() -> dict[str, str]:
    base = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｬｭｮｯｰ"
    full = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォャュョッー"
    table = dict(zip(full, base, strict=True))
    voiced = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ"
    plain = "カキクケコサシスセソタチツテトハヒフヘホ"
    for v, p in zip(voiced, plain, strict=True):
        table[v] = table[p] + "ﾞ"
    for v, p in zip("パピプペポ", "ハヒフヘホ", strict=True):
        table[v] = table[p] + "ﾟ"
    table["ヴ"] = "ｳﾞ"
    table["・"] = "･"
    return table


_HALFWIDTH_KANA = _build_halfwidth_kana()


def hiragana(katakana: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in katakana)


def rand_digits(rng: random.Random, n: int, first_nonzero: bool = False) -> str:
    if n <= 0:
        return ""
    head = str(rng.randint(1, 9)) if first_nonzero else str(rng.randint(0, 9))
    return head + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def group(digits: str, sizes: Sequence[int], sep: str) -> str:
    parts, i = [], 0
    for size in sizes:
        parts.append(digits[i : i + size])
        i += size
    return sep.join(parts)


KANJI_DIGITS = "〇一二三四五六七八九"


def kanji_number(n: int) -> str:
    """1–99 in kanji (二十三), as 丁目 are written."""
    if n < 10:
        return KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI_DIGITS[tens]) + "十" + ("" if ones == 0 else KANJI_DIGITS[ones])


# ---------------------------------------------------------------------------------------------
# Hand-written vocabularies (fictional combinations of real, common Japanese names).

# (kanji, katakana, romaji)
SURNAMES: tuple[tuple[str, str, str], ...] = (
    ("佐藤", "サトウ", "Sato"), ("鈴木", "スズキ", "Suzuki"), ("高橋", "タカハシ", "Takahashi"),
    ("田中", "タナカ", "Tanaka"), ("渡辺", "ワタナベ", "Watanabe"), ("伊藤", "イトウ", "Ito"),
    ("中村", "ナカムラ", "Nakamura"), ("小林", "コバヤシ", "Kobayashi"), ("加藤", "カトウ", "Kato"),
    ("吉田", "ヨシダ", "Yoshida"), ("山口", "ヤマグチ", "Yamaguchi"), ("松本", "マツモト", "Matsumoto"),
    ("井上", "イノウエ", "Inoue"), ("木村", "キムラ", "Kimura"), ("清水", "シミズ", "Shimizu"),
    ("山崎", "ヤマザキ", "Yamazaki"), ("池田", "イケダ", "Ikeda"), ("橋本", "ハシモト", "Hashimoto"),
    ("阿部", "アベ", "Abe"), ("石川", "イシカワ", "Ishikawa"), ("前田", "マエダ", "Maeda"),
    ("藤田", "フジタ", "Fujita"), ("小川", "オガワ", "Ogawa"), ("後藤", "ゴトウ", "Goto"),
    ("岡田", "オカダ", "Okada"), ("長谷川", "ハセガワ", "Hasegawa"), ("村上", "ムラカミ", "Murakami"),
    ("近藤", "コンドウ", "Kondo"), ("石井", "イシイ", "Ishii"), ("坂本", "サカモト", "Sakamoto"),
    ("遠藤", "エンドウ", "Endo"), ("青木", "アオキ", "Aoki"), ("藤井", "フジイ", "Fujii"),
    ("西村", "ニシムラ", "Nishimura"), ("福田", "フクダ", "Fukuda"), ("太田", "オオタ", "Ota"),
    ("三浦", "ミウラ", "Miura"), ("藤原", "フジワラ", "Fujiwara"), ("岡本", "オカモト", "Okamoto"),
    ("松田", "マツダ", "Matsuda"), ("中川", "ナカガワ", "Nakagawa"), ("中野", "ナカノ", "Nakano"),
    ("原田", "ハラダ", "Harada"), ("小野", "オノ", "Ono"), ("竹内", "タケウチ", "Takeuchi"),
    ("金子", "カネコ", "Kaneko"), ("和田", "ワダ", "Wada"), ("中山", "ナカヤマ", "Nakayama"),
    ("石田", "イシダ", "Ishida"), ("上田", "ウエダ", "Ueda"), ("森田", "モリタ", "Morita"),
    ("柴田", "シバタ", "Shibata"), ("酒井", "サカイ", "Sakai"), ("工藤", "クドウ", "Kudo"),
    ("横山", "ヨコヤマ", "Yokoyama"), ("宮崎", "ミヤザキ", "Miyazaki"), ("宮本", "ミヤモト", "Miyamoto"),
    ("内田", "ウチダ", "Uchida"), ("高木", "タカギ", "Takagi"), ("安藤", "アンドウ", "Ando"),
    ("谷口", "タニグチ", "Taniguchi"), ("大野", "オオノ", "Ono"), ("丸山", "マルヤマ", "Maruyama"),
    ("今井", "イマイ", "Imai"), ("河野", "コウノ", "Kono"), ("藤本", "フジモト", "Fujimoto"),
    ("村田", "ムラタ", "Murata"), ("武田", "タケダ", "Takeda"), ("上野", "ウエノ", "Ueno"),
    ("杉山", "スギヤマ", "Sugiyama"), ("増田", "マスダ", "Masuda"), ("平野", "ヒラノ", "Hirano"),
    ("大塚", "オオツカ", "Otsuka"), ("千葉", "チバ", "Chiba"), ("久保", "クボ", "Kubo"),
    ("松井", "マツイ", "Matsui"), ("小島", "コジマ", "Kojima"), ("岩崎", "イワサキ", "Iwasaki"),
    ("桜井", "サクライ", "Sakurai"), ("野口", "ノグチ", "Noguchi"), ("松尾", "マツオ", "Matsuo"),
    ("野村", "ノムラ", "Nomura"), ("木下", "キノシタ", "Kinoshita"), ("菊地", "キクチ", "Kikuchi"),
    ("佐野", "サノ", "Sano"), ("大西", "オオニシ", "Onishi"), ("杉本", "スギモト", "Sugimoto"),
    ("新井", "アライ", "Arai"), ("浜田", "ハマダ", "Hamada"), ("菅原", "スガワラ", "Sugawara"),
    ("市川", "イチカワ", "Ichikawa"), ("水野", "ミズノ", "Mizuno"), ("小松", "コマツ", "Komatsu"),
    ("島田", "シマダ", "Shimada"), ("古川", "フルカワ", "Furukawa"), ("小山", "コヤマ", "Koyama"),
    ("高野", "タカノ", "Takano"), ("西田", "ニシダ", "Nishida"), ("菅野", "カンノ", "Kanno"),
    ("長野", "ナガノ", "Nagano"), ("福島", "フクシマ", "Fukushima"), ("比嘉", "ヒガ", "Higa"),
    ("五十嵐", "イガラシ", "Igarashi"), ("東海林", "ショウジ", "Shoji"), ("勅使河原", "テシガワラ", "Teshigawara"),
    ("宇佐美", "ウサミ", "Usami"), ("大和田", "オオワダ", "Owada"), ("篠原", "シノハラ", "Shinohara"),
    ("星野", "ホシノ", "Hoshino"), ("須藤", "スドウ", "Sudo"), ("荒木", "アラキ", "Araki"),
)

# (kanji, katakana, romaji)
GIVEN_NAMES: tuple[tuple[str, str, str], ...] = (
    ("太郎", "タロウ", "Taro"), ("健一", "ケンイチ", "Kenichi"), ("翔太", "ショウタ", "Shota"),
    ("大輔", "ダイスケ", "Daisuke"), ("拓也", "タクヤ", "Takuya"), ("直樹", "ナオキ", "Naoki"),
    ("和也", "カズヤ", "Kazuya"), ("誠", "マコト", "Makoto"), ("浩二", "コウジ", "Koji"),
    ("隆之", "タカユキ", "Takayuki"), ("修", "オサム", "Osamu"), ("茂", "シゲル", "Shigeru"),
    ("博之", "ヒロユキ", "Hiroyuki"), ("正人", "マサト", "Masato"), ("智也", "トモヤ", "Tomoya"),
    ("雄一", "ユウイチ", "Yuichi"), ("亮太", "リョウタ", "Ryota"), ("悠真", "ユウマ", "Yuma"),
    ("蓮", "レン", "Ren"), ("陽翔", "ハルト", "Haruto"), ("湊", "ミナト", "Minato"),
    ("颯太", "ソウタ", "Sota"), ("康介", "コウスケ", "Kosuke"), ("俊介", "シュンスケ", "Shunsuke"),
    ("秀樹", "ヒデキ", "Hideki"), ("剛", "ツヨシ", "Tsuyoshi"), ("清", "キヨシ", "Kiyoshi"),
    ("勝", "マサル", "Masaru"), ("哲也", "テツヤ", "Tetsuya"), ("賢治", "ケンジ", "Kenji"),
    ("純一", "ジュンイチ", "Junichi"), ("晃", "アキラ", "Akira"), ("伸也", "シンヤ", "Shinya"),
    ("孝雄", "タカオ", "Takao"), ("義男", "ヨシオ", "Yoshio"), ("悠人", "ユウト", "Yuto"),
    ("花子", "ハナコ", "Hanako"), ("陽子", "ヨウコ", "Yoko"), ("恵子", "ケイコ", "Keiko"),
    ("幸子", "サチコ", "Sachiko"), ("由美", "ユミ", "Yumi"), ("美香", "ミカ", "Mika"),
    ("真由美", "マユミ", "Mayumi"), ("明美", "アケミ", "Akemi"), ("久美子", "クミコ", "Kumiko"),
    ("直美", "ナオミ", "Naomi"), ("智子", "トモコ", "Tomoko"), ("裕子", "ユウコ", "Yuko"),
    ("美穂", "ミホ", "Miho"), ("愛", "アイ", "Ai"), ("彩", "アヤ", "Aya"), ("舞", "マイ", "Mai"),
    ("麻衣", "マイ", "Mai"), ("沙織", "サオリ", "Saori"), ("結衣", "ユイ", "Yui"), ("陽菜", "ヒナ", "Hina"),
    ("凛", "リン", "Rin"), ("葵", "アオイ", "Aoi"), ("紬", "ツムギ", "Tsumugi"), ("芽依", "メイ", "Mei"),
    ("さくら", "サクラ", "Sakura"), ("美咲", "ミサキ", "Misaki"), ("七海", "ナナミ", "Nanami"),
    ("千尋", "チヒロ", "Chihiro"), ("香織", "カオリ", "Kaori"), ("典子", "ノリコ", "Noriko"),
    ("和子", "カズコ", "Kazuko"), ("節子", "セツコ", "Setsuko"), ("京子", "キョウコ", "Kyoko"),
    ("純子", "ジュンコ", "Junko"), ("弘美", "ヒロミ", "Hiromi"), ("瞳", "ヒトミ", "Hitomi"),
    ("静香", "シズカ", "Shizuka"), ("綾乃", "アヤノ", "Ayano"), ("加奈子", "カナコ", "Kanako"),
    ("結菜", "ユイナ", "Yuina"), ("桃子", "モモコ", "Momoko"), ("春香", "ハルカ", "Haruka"),
)

# Foreign residents' names as written in katakana on Japanese forms.
FOREIGN_KATAKANA_NAMES: tuple[str, ...] = (
    "グエン ヴァン アン", "グエン ティ ホア", "チャン ヴァン ナム", "レ ティ マイ", "ファム ミン トゥアン",
    "キム ジヨン", "イ ミンジュン", "パク ソヨン", "サントス マリア", "シルバ ジョアン", "オリベイラ ルーカス",
    "ワン ウェイ", "リ シャオミン", "ラマ スニル", "グルン ビカス", "デラクルス アナ",
)

EN_FIRST: tuple[str, ...] = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher",
    "Karen", "Daniel", "Emily", "Matthew", "Olivia", "Anthony", "Rachel", "Mark", "Laura", "Kevin", "Megan",
)
EN_LAST: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Walker", "Hall", "Young", "Allen", "King", "Wright", "Scott", "Baker",
)


@dataclass(frozen=True)
class Place:
    prefecture: str
    city: str  # municipality, with 郡 where there is one
    towns: tuple[str, ...]
    postal_prefix: str
    romaji: tuple[str, str]  # (ward/city, prefecture) for English addresses
    designated: bool  # 政令指定都市: addresses are often written without the prefecture


PLACES: tuple[Place, ...] = (
    Place("東京都", "新宿区", ("西新宿", "高田馬場", "神楽坂", "四谷"), "160", ("Shinjuku-ku", "Tokyo"), False),
    Place("東京都", "世田谷区", ("三軒茶屋", "用賀", "成城", "桜新町"), "154", ("Setagaya-ku", "Tokyo"), False),
    Place("東京都", "千代田区", ("丸の内", "神田神保町", "麹町", "大手町"), "100", ("Chiyoda-ku", "Tokyo"), False),
    Place("東京都", "八王子市", ("明神町", "子安町", "南大沢", "散田町"), "192", ("Hachioji-shi", "Tokyo"), False),
    Place("神奈川県", "横浜市中区", ("山下町", "本町", "元町", "日本大通"), "231", ("Naka-ku, Yokohama", "Kanagawa"), True),
    Place("神奈川県", "川崎市中原区", ("小杉町", "新丸子町", "今井南町"), "211", ("Nakahara-ku, Kawasaki", "Kanagawa"), True),
    Place("神奈川県", "藤沢市", ("鵠沼海岸", "辻堂", "湘南台"), "251", ("Fujisawa-shi", "Kanagawa"), False),
    Place("埼玉県", "さいたま市大宮区", ("桜木町", "大門町", "吉敷町"), "330", ("Omiya-ku, Saitama", "Saitama"), True),
    Place("埼玉県", "川越市", ("脇田町", "新富町", "元町"), "350", ("Kawagoe-shi", "Saitama"), False),
    Place("千葉県", "千葉市中央区", ("富士見", "新町", "中央"), "260", ("Chuo-ku, Chiba", "Chiba"), True),
    Place("千葉県", "船橋市", ("本町", "湊町", "前原西"), "273", ("Funabashi-shi", "Chiba"), False),
    Place("大阪府", "大阪市北区", ("梅田", "中之島", "天神橋"), "530", ("Kita-ku, Osaka", "Osaka"), True),
    Place("大阪府", "堺市堺区", ("南瓦町", "三国ヶ丘御幸通", "熊野町東"), "590", ("Sakai-ku, Sakai", "Osaka"), True),
    Place("大阪府", "豊中市", ("中桜塚", "曽根東町", "服部元町"), "561", ("Toyonaka-shi", "Osaka"), False),
    Place("京都府", "京都市左京区", ("吉田本町", "下鴨松ノ木町", "北白川"), "606", ("Sakyo-ku, Kyoto", "Kyoto"), True),
    Place("兵庫県", "神戸市中央区", ("三宮町", "元町通", "加納町"), "650", ("Chuo-ku, Kobe", "Hyogo"), True),
    Place("愛知県", "名古屋市中区", ("栄", "錦", "丸の内"), "460", ("Naka-ku, Nagoya", "Aichi"), True),
    Place("愛知県", "豊田市", ("西町", "元城町", "小坂本町"), "471", ("Toyota-shi", "Aichi"), False),
    Place("北海道", "札幌市中央区", ("北一条西", "南三条西", "大通西"), "060", ("Chuo-ku, Sapporo", "Hokkaido"), True),
    Place("北海道", "旭川市", ("宮下通", "常盤通", "末広"), "070", ("Asahikawa-shi", "Hokkaido"), False),
    Place("宮城県", "仙台市青葉区", ("一番町", "国分町", "本町"), "980", ("Aoba-ku, Sendai", "Miyagi"), True),
    Place("福岡県", "福岡市博多区", ("博多駅前", "中洲", "祇園町"), "812", ("Hakata-ku, Fukuoka", "Fukuoka"), True),
    Place("福岡県", "北九州市小倉北区", ("京町", "魚町", "浅野"), "802", ("Kokurakita-ku, Kitakyushu", "Fukuoka"), True),
    Place("広島県", "広島市中区", ("紙屋町", "八丁堀", "大手町"), "730", ("Naka-ku, Hiroshima", "Hiroshima"), True),
    Place("静岡県", "浜松市中央区", ("砂山町", "鍛冶町", "元城町"), "430", ("Chuo-ku, Hamamatsu", "Shizuoka"), True),
    Place("長野県", "北佐久郡軽井沢町", ("大字軽井沢", "大字長倉", "大字追分"), "389", ("Karuizawa-machi", "Nagano"), False),
    Place("新潟県", "新潟市中央区", ("古町通", "万代", "東大通"), "951", ("Chuo-ku, Niigata", "Niigata"), True),
    Place("沖縄県", "那覇市", ("久茂地", "牧志", "おもろまち"), "900", ("Naha-shi", "Okinawa"), False),
    Place("鹿児島県", "鹿児島市", ("山下町", "東千石町", "中央町"), "892", ("Kagoshima-shi", "Kagoshima"), False),
    Place("石川県", "金沢市", ("広坂", "香林坊", "片町"), "920", ("Kanazawa-shi", "Ishikawa"), False),
)

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)

BUILDINGS: tuple[str, ...] = (
    "グランドメゾン301号室", "サンハイツ205", "コーポ桜102号室", "パークハウス1201", "第2松本ビル5F",
    "ライオンズマンション803号", "レジデンス青葉402", "メゾン・ド・ソレイユ101",
)

COMPANY_NAMES: tuple[str, ...] = (
    "株式会社さくら物産", "株式会社ひまわり食品", "東邦精機株式会社", "株式会社みどり商会", "日進工業株式会社",
    "株式会社はなまる書店", "大和ロジスティクス株式会社", "株式会社あおば不動産", "北斗電子株式会社",
)

# Places used inside school names (not people's surnames).
SCHOOL_PLACES: tuple[str, ...] = (
    "青葉", "桜ヶ丘", "緑が丘", "若葉台", "富士見", "旭", "港南", "城山", "栄町", "北山", "南台", "東陽",
    "西原", "松原", "杉並", "藤沢", "鶴見", "本郷", "白鷺", "朝日",
)


# ---------------------------------------------------------------------------------------------
# Dates and eras.

ERAS: tuple[tuple[str, str, dt.date], ...] = (
    ("令和", "R", dt.date(2019, 5, 1)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("昭和", "S", dt.date(1926, 12, 25)),
    ("大正", "T", dt.date(1912, 7, 30)),
    ("明治", "M", dt.date(1868, 1, 25)),
)


def to_era(day: dt.date) -> tuple[str, str, int]:
    """(era name, era letter, era year) of a Gregorian date."""
    for name, letter, start in ERAS:
        if day >= start:
            return name, letter, day.year - start.year + 1
    raise ValueError(f"{day} is before 明治")


def random_date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def era_text(day: dt.date, style: str) -> str:
    """Era date as written on Japanese forms: 昭和55年3月2日, 平成元年…, S55.3.2, 昭55・3・2."""
    name, letter, year = to_era(day)
    if style == "kanji":
        return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    if style == "letter":
        return f"{letter}{year}.{day.month}.{day.day}"
    if style == "abbrev":
        return f"{name[0]}{year}・{day.month}・{day.day}"
    raise ValueError(style)


def date_text(day: dt.date, style: str) -> str:
    if style == "kanji":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "slash":
        return f"{day.year}/{day.month:02d}/{day.day:02d}"
    if style == "iso":
        return day.isoformat()
    if style == "english":
        return f"{EN_MONTHS[day.month - 1]} {day.day}, {day.year}"
    if style == "compact_dot":
        return f"{day.year}.{day.month}.{day.day}"
    return era_text(day, style)


# ---------------------------------------------------------------------------------------------
# Generators: one function per entity, each returning one example in form ``i % len(forms)``.

Form = Callable[[random.Random], tuple[str, frozenset[str], frozenset[str]]]
NONE: frozenset[str] = frozenset()


def fs(*items: str) -> frozenset[str]:
    return frozenset(items)


def one(entity: str, text: str, tolerated: Iterable[str] = ()) -> tuple[str, frozenset[str], frozenset[str]]:
    return text, frozenset({entity}), frozenset(tolerated)


def _mynumber(rng: random.Random) -> str:
    body = rand_digits(rng, 11)
    return body + str(mynumber_cd(body))


def my_number_forms() -> dict[str, Form]:
    e = "JP_MY_NUMBER"

    def bare(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        d = _mynumber(rng)
        return one(e, d, digit_twins(d) - {e})

    def grouped(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        d = _mynumber(rng)
        return one(e, group(d, (4, 4, 4), rng.choice((*DASHES, " "))), digit_twins(d) - {e})

    return {
        "bare": bare,
        "grouped_dash_variants": grouped,
        "fullwidth": lambda rng: one(e, fullwidth(_mynumber(rng))),
        "sentence_label": lambda rng: one(e, f"マイナンバーは{_mynumber(rng)}です。"),
        "sentence_fullwidth_grouped": lambda rng: one(
            e, f"個人番号：{fullwidth(group(_mynumber(rng), (4, 4, 4), '-'))}（本人確認済）"
        ),
        "sentence_paren": lambda rng: one(e, f"本人確認のため個人番号({_mynumber(rng)})の提示を受けた"),
        "english": lambda rng: one(e, f"My Number: {group(_mynumber(rng), (4, 4, 4), ' ')}"),
    }


LICENSE_COMMISSIONS = (
    "10", "11", "20", "21", "22", "25", "30", "40", "41", "43", "44", "45", "46", "48", "49", "54", "61",
    "62", "63", "73", "90", "93", "96", "97",
)


def _license(rng: random.Random) -> str:
    year = f"{rng.randint(60, 124) % 100:02d}"
    first10 = rng.choice(LICENSE_COMMISSIONS) + year + rand_digits(rng, 6)
    reissue = rng.choice("0000000112")
    return first10 + str(license_cd(first10)) + reissue


def driver_license_forms() -> dict[str, Form]:
    e = "JP_DRIVER_LICENSE"

    def bare(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        d = _license(rng)
        return one(e, d, digit_twins(d) - {e})

    return {
        "bare": bare,
        "dai_go": lambda rng: one(e, f"第{_license(rng)}号"),
        "label": lambda rng: one(e, f"運転免許証番号：{_license(rng)}"),
        "label_fullwidth": lambda rng: one(e, f"免許証番号　{fullwidth(_license(rng))}"),
        "sentence": lambda rng: one(e, f"本人確認書類は運転免許証（第{_license(rng)}号）で確認しました。"),
        "english": lambda rng: one(e, f"Driver's license No. {_license(rng)}"),
    }


PASSPORT_PREFIXES = ("TR", "TZ", "TK", "TH", "MZ", "MU", "ME", "TS")


def _passport(rng: random.Random) -> str:
    return rng.choice(PASSPORT_PREFIXES) + rand_digits(rng, 7)


def _mrz_line2(rng: random.Random) -> str:
    number = _passport(rng)
    birth = random_date(rng, dt.date(1950, 1, 1), dt.date(2005, 12, 31)).strftime("%y%m%d")
    expiry = random_date(rng, dt.date(2026, 1, 1), dt.date(2034, 12, 31)).strftime("%y%m%d")
    sex = rng.choice("MF")
    personal = "<" * 14
    head = f"{number}{mrz_cd(number)}JPN{birth}{mrz_cd(birth)}{sex}{expiry}{mrz_cd(expiry)}{personal}{mrz_cd(personal)}"
    composite = mrz_cd(head[0:10] + head[13:20] + head[21:43])
    return head + str(composite)


def passport_forms() -> dict[str, Form]:
    e = "JP_PASSPORT"
    return {
        "label": lambda rng: one(e, f"旅券番号：{_passport(rng)}"),
        "label_passport": lambda rng: one(e, f"パスポート番号 {_passport(rng)}"),
        "label_fullwidth": lambda rng: one(e, f"旅券番号：{fullwidth(_passport(rng))}"),
        "sentence": lambda rng: one(e, f"パスポート（{_passport(rng)}）の写しを受領しました"),
        "english": lambda rng: one(e, f"Passport No.: {_passport(rng)}"),
        "mrz_line": lambda rng: one(e, _mrz_line2(rng)),
    }


def _residence_card(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return (rng.choice(letters) + rng.choice(letters) + rand_digits(rng, 8)
            + rng.choice(letters) + rng.choice(letters))


def residence_card_forms() -> dict[str, Form]:
    e = "JP_RESIDENCE_CARD"
    return {
        "bare": lambda rng: one(e, _residence_card(rng)),
        "label": lambda rng: one(e, f"在留カード番号：{_residence_card(rng)}"),
        "fullwidth": lambda rng: one(e, fullwidth(_residence_card(rng))),
        "sentence": lambda rng: one(e, f"在留カード（番号{_residence_card(rng)}）の在留期限を確認"),
        "english": lambda rng: one(e, f"Residence card number: {_residence_card(rng)}"),
    }


def _pension(rng: random.Random) -> str:
    return rand_digits(rng, 4, first_nonzero=True) + rand_digits(rng, 6)


def pension_forms() -> dict[str, Form]:
    e = "JP_BASIC_PENSION_NUMBER"
    return {
        "label_hyphen": lambda rng: one(e, f"基礎年金番号：{group(_pension(rng), (4, 6), '-')}"),
        "label_bare": lambda rng: one(e, f"基礎年金番号 {_pension(rng)}"),
        "label_dash_variant": lambda rng: one(e, f"年金番号：{group(_pension(rng), (4, 6), rng.choice(DASHES[1:]))}"),
        "label_fullwidth": lambda rng: one(e, f"基礎年金番号：{fullwidth(group(_pension(rng), (4, 6), '-'))}"),
        "sentence": lambda rng: one(e, f"年金手帳の番号は{group(_pension(rng), (4, 6), '-')}です。"),
        "english": lambda rng: one(e, f"Basic pension number: {group(_pension(rng), (4, 6), '-')}"),
    }


INSURER_LAWS = ("01", "06", "06", "06", "31", "32", "33", "34", "39")


def _insurer_number(rng: random.Random) -> str:
    body = rng.choice(INSURER_LAWS) + f"{rng.randint(1, 47):02d}" + rand_digits(rng, 3)
    return body + str(luhn_cd(body))


def _kokuho_number(rng: random.Random) -> str:
    body = f"{rng.randint(1, 47):02d}" + rand_digits(rng, 3)
    return body + str(luhn_cd(body))


def health_insurance_forms() -> dict[str, Form]:
    e = "JP_HEALTH_INSURANCE"

    def kigo_bango(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        kigo = rand_digits(rng, rng.choice((4, 5, 8)), first_nonzero=True)
        bango = str(rng.randint(1, 9999))
        return one(e, f"被保険者証 記号：{kigo} 番号：{bango} 枝番：0{rng.randint(0, 3)}")

    return {
        "label": lambda rng: one(e, f"保険者番号：{_insurer_number(rng)}"),
        "label_kokuho": lambda rng: one(e, f"保険者番号 {_kokuho_number(rng)}（国民健康保険）"),
        "label_fullwidth": lambda rng: one(e, f"保険者番号：{fullwidth(_insurer_number(rng))}"),
        "with_kigo": lambda rng: one(
            e, f"保険者番号{_insurer_number(rng)} 記号{rand_digits(rng, 4, True)} 番号{rng.randint(1, 999)}"
        ),
        "kigo_bango": kigo_bango,
        "sentence": lambda rng: one(e, f"資格確認書の保険者番号は{_insurer_number(rng)}です"),
    }


def _ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def ssn_forms() -> dict[str, Form]:
    e = "US_SSN"
    return {
        "bare_hyphen": lambda rng: one(e, group(_ssn(rng), (3, 2, 4), "-")),
        "label": lambda rng: one(e, f"SSN: {group(_ssn(rng), (3, 2, 4), '-')}"),
        "label_spaces": lambda rng: one(e, f"Social Security Number {group(_ssn(rng), (3, 2, 4), ' ')}"),
        "label_bare_digits": lambda rng: one(e, f"SSN {_ssn(rng)}"),
        "sentence": lambda rng: one(e, f"The employee's SSN is {group(_ssn(rng), (3, 2, 4), '-')}."),
    }


def _corporate(rng: random.Random) -> str:
    # 会社法人等番号: registry office (4) + kind (2) + serial (6); government bodies use 0000 + 01/02.
    if rng.random() < 0.2:
        last12 = "0000" + rng.choice(("01", "02")) + rand_digits(rng, 6)
    else:
        last12 = f"{rng.randint(100, 9999):04d}" + rng.choice(("01", "01", "01", "02", "03", "05")) + rand_digits(rng, 6)
    return str(corporate_cd(last12)) + last12


def corporate_forms() -> dict[str, Form]:
    e = "JP_CORPORATE_NUMBER"

    def bare(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        d = _corporate(rng)
        return one(e, d, digit_twins(d) - {e})

    return {
        "bare": bare,
        "label": lambda rng: one(e, f"法人番号：{_corporate(rng)}"),
        "invoice_t": lambda rng: one(e, f"登録番号 T{_corporate(rng)}"),
        "invoice_sentence": lambda rng: one(e, f"適格請求書発行事業者登録番号：T{_corporate(rng)}"),
        "fullwidth": lambda rng: one(e, f"法人番号　{fullwidth(_corporate(rng))}"),
        "catalogue": lambda rng: one(e, f"{rng.choice(COMPANY_NAMES)}（法人番号{_corporate(rng)}）"),
    }


def _jan13(rng: random.Random) -> str:
    body = rng.choice(("49", "45")) + rand_digits(rng, 10)
    return body + str(gs1_cd(body))


def _jan8(rng: random.Random) -> str:
    body = rng.choice(("49", "45")) + rand_digits(rng, 5)
    return body + str(gs1_cd(body))


def _upc(rng: random.Random) -> str:
    body = "0" + rand_digits(rng, 10)
    return body + str(gs1_cd(body))


def jan_forms() -> dict[str, Form]:
    e = "JAN_CODE"

    def bare(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        d = _jan13(rng)
        return one(e, d, digit_twins(d) - {e})

    return {
        "bare13": bare,
        "label": lambda rng: one(e, f"JANコード：{_jan13(rng)}"),
        "label_jan8": lambda rng: one(e, f"JAN {_jan8(rng)}"),
        "catalogue": lambda rng: one(e, f"国産紅茶ティーバッグ20袋入 JAN:{_jan13(rng)} 希望小売価格398円"),
        "sentence": lambda rng: one(e, f"商品{_jan13(rng)}の在庫を確認してください"),
        "fullwidth": lambda rng: one(e, f"ＪＡＮ：{fullwidth(_jan13(rng))}"),
        "english_ean": lambda rng: one(e, f"EAN: {_jan13(rng)}"),
        "upc_a": lambda rng: one(e, f"UPC {_upc(rng)}"),
    }


MOBILE_PREFIXES = ("090", "080", "070")
# (area code, digits of the local exchange) — fixed lines are 10 digits in total.
AREA_CODES: tuple[tuple[str, int], ...] = (
    ("03", 4), ("06", 4), ("045", 3), ("052", 3), ("011", 3), ("092", 3), ("075", 3), ("022", 3),
    ("0263", 2), ("0166", 2), ("0493", 2), ("01267", 1), ("0995", 2), ("048", 3),
)


# Assigned US area codes (random ones are often unassigned, and rightly rejected).
US_AREA_CODES = ("212", "213", "305", "312", "404", "415", "503", "512", "617", "646", "702", "206", "303", "614")


def _mobile(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(MOBILE_PREFIXES), str(rng.randint(1, 9)) + rand_digits(rng, 3), rand_digits(rng, 4)


def _fixed(rng: random.Random) -> tuple[str, str, str]:
    area, exchange_len = rng.choice(AREA_CODES)
    return area, str(rng.randint(2, 9)) + rand_digits(rng, exchange_len - 1), rand_digits(rng, 4)


def _ip_phone(rng: random.Random) -> tuple[str, str, str]:
    return "050", str(rng.randint(1, 9)) + rand_digits(rng, 3), rand_digits(rng, 4)


def phone_forms() -> dict[str, Form]:
    e = "PHONE_NUMBER"
    return {
        "mobile_hyphen": lambda rng: one(e, "-".join(_mobile(rng))),
        "mobile_plain": lambda rng: one(e, "".join(_mobile(rng))),
        "mobile_fullwidth_dash": lambda rng: one(e, fullwidth("-".join(_mobile(rng))).replace("－", rng.choice(("－", "ー")))),
        "mobile_dash_variant": lambda rng: one(e, rng.choice(DASHES[1:]).join(_mobile(rng))),
        "fixed_hyphen": lambda rng: one(e, "-".join(_fixed(rng))),
        "fixed_paren": lambda rng: (lambda p: one(e, f"{p[0]}({p[1]}){p[2]}"))(_fixed(rng)),
        "ip_phone": lambda rng: one(e, "-".join(_ip_phone(rng))),
        "plus81": lambda rng: (lambda p: one(e, f"+81-{p[0][1:]}-{p[1]}-{p[2]}"))(_mobile(rng)),
        "plus81_spaces": lambda rng: (lambda p: one(e, f"+81 {p[0][1:]} {p[1]} {p[2]}"))(_fixed(rng)),
        "sentence_mobile": lambda rng: one(e, f"携帯：{'-'.join(_mobile(rng))}までご連絡ください。"),
        "sentence_fixed_plain": lambda rng: one(e, f"自宅の電話番号は{''.join(_fixed(rng))}です"),
        "label_tel": lambda rng: one(e, f"TEL {'-'.join(_fixed(rng))}"),
        "english_us": lambda rng: one(
            e, f"Phone: ({rng.choice(US_AREA_CODES)}) {rng.randint(2, 9)}{rand_digits(rng, 2)}-{rand_digits(rng, 4)}"
        ),
        "english_us_plus1": lambda rng: one(
            e, f"+1 {rng.choice(US_AREA_CODES)}-{rng.randint(2, 9)}{rand_digits(rng, 2)}-{rand_digits(rng, 4)}"
        ),
    }


def _toll_free(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.6:
        return f"0120-{rand_digits(rng, 3)}-{rand_digits(rng, 3)}"
    if kind < 0.8:
        return f"0800-{rand_digits(rng, 3)}-{rand_digits(rng, 4)}"
    return f"0570-{rand_digits(rng, 3)}-{rand_digits(rng, 3)}"


def business_phone_forms() -> dict[str, Form]:
    e = "JP_BUSINESS_PHONE"
    return {
        "bare": lambda rng: one(e, _toll_free(rng)),
        "plain": lambda rng: one(e, _toll_free(rng).replace("-", "")),
        "free_dial": lambda rng: one(e, f"フリーダイヤル {_toll_free(rng)}（平日9:00〜17:00）"),
        "catalogue": lambda rng: one(e, f"{rng.choice(COMPANY_NAMES)} お客様相談室 {_toll_free(rng)}"),
        "fullwidth": lambda rng: one(e, fullwidth(_toll_free(rng))),
        "paren": lambda rng: (lambda p: one(e, f"{p[0]}({p[1]}){p[2]}"))(_toll_free(rng).split("-")),
    }


EMAIL_DOMAINS = (
    "gmail.com", "yahoo.co.jp", "docomo.ne.jp", "ezweb.ne.jp", "i.softbank.jp", "icloud.com", "outlook.jp",
    "nifty.com", "hanamaru-books.co.jp", "sakura-bussan.co.jp", "example.ac.jp", "hotmail.com",
)


def _email(rng: random.Random) -> str:
    _, _, sur = rng.choice(SURNAMES)
    _, _, given = rng.choice(GIVEN_NAMES)
    local = rng.choice((
        f"{given}.{sur}", f"{sur}_{given[0]}", f"{given[0]}-{sur}{rng.randint(60, 99)}", f"{sur}{given}",
        f"{given}.{sur}+shop", f"{given[:3]}{rng.randint(1, 999)}",
    )).lower()
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def email_forms() -> dict[str, Form]:
    e = "EMAIL_ADDRESS"
    return {
        "bare": lambda rng: one(e, _email(rng)),
        "sentence": lambda rng: one(e, f"メールアドレスは{_email(rng)}です。"),
        "fullwidth_at": lambda rng: one(e, _email(rng).replace("@", "＠")),
        "fullwidth": lambda rng: one(e, fullwidth(_email(rng))),
        "label": lambda rng: one(e, f"E-mail：{_email(rng)}"),
        "angle": lambda rng: one(e, f"差出人: <{_email(rng)}>"),
        "english": lambda rng: one(e, f"Please contact me at {_email(rng)} by Friday."),
    }


def _japanese_name(rng: random.Random) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    return rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)


def person_forms() -> dict[str, Form]:
    e = "PERSON"

    def kanji_space(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, g = _japanese_name(rng)
        return one(e, f"{s[0]}{rng.choice((' ', '　'))}{g[0]}")

    def kanji_joined(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, g = _japanese_name(rng)
        return one(e, s[0] + g[0])

    def katakana(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, g = _japanese_name(rng)
        return one(e, f"{s[1]}{rng.choice((' ', '　'))}{g[1]}")

    def hira(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, g = _japanese_name(rng)
        return one(e, f"{hiragana(s[1])} {hiragana(g[1])}")

    def halfwidth(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, g = _japanese_name(rng)
        return one(e, halfwidth_kana(f"{s[1]} {g[1]}"))

    def romaji(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, g = _japanese_name(rng)
        return one(e, rng.choice((f"{g[2]} {s[2]}", f"{s[2].upper()} {g[2]}", f"{s[2]}, {g[2]}")))

    def sentence_sama(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, g = _japanese_name(rng)
        return one(e, f"担当の{s[0]}{g[0]}様よりご連絡がありました。")

    def sentence_surname(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, _ = _japanese_name(rng)
        return one(e, f"{s[0]}さんに折り返し電話をお願いします")

    def label(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, g = _japanese_name(rng)
        return one(e, f"申込者氏名：{s[0]} {g[0]}")

    def foreign(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        return one(e, rng.choice(FOREIGN_KATAKANA_NAMES))

    def english(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        return one(e, f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}")

    def english_sentence(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        return one(e, f"Contact person: {rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}")

    return {
        "kanji_space": kanji_space, "kanji_joined": kanji_joined, "katakana": katakana, "hiragana": hira,
        "halfwidth_kana": halfwidth, "romaji": romaji, "sentence_sama": sentence_sama,
        "sentence_surname_san": sentence_surname, "label": label, "foreign_katakana": foreign,
        "english": english, "english_sentence": english_sentence,
    }


def _block(rng: random.Random, style: str) -> str:
    chome, ban, go = rng.randint(1, 9), rng.randint(1, 30), rng.randint(1, 25)
    if style == "hyphen":
        return f"{chome}-{ban}-{go}"
    if style == "kanji":
        return f"{chome}丁目{ban}番{go}号"
    if style == "kanji_numeral":
        return f"{kanji_number(chome)}丁目{ban}番{go}号"
    if style == "fullwidth":
        return fullwidth(f"{chome}-{ban}-{go}")
    if style == "dash_variant":
        dash = rng.choice(DASHES[1:])
        return f"{chome}{dash}{ban}{dash}{go}"
    if style == "banchi":
        return f"{rng.randint(100, 2999)}番地"
    if style == "mixed":
        return f"{chome}丁目{ban}-{go}"
    raise ValueError(style)


def _postal(place: Place, rng: random.Random) -> str:
    return f"{place.postal_prefix}-{rand_digits(rng, 4)}"


def address_forms() -> dict[str, Form]:
    e = "JP_ADDRESS"
    ok = ("JP_PREFECTURE",)

    def plain(style: str) -> Form:
        def make(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
            p = rng.choice(PLACES)
            town = rng.choice(p.towns)
            block = _block(rng, "banchi" if town.startswith("大字") else style)
            return one(e, f"{p.prefecture}{p.city}{town}{block}", ok)
        return make

    def building(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        p = rng.choice(PLACES)
        return one(e, f"{p.prefecture}{p.city}{rng.choice(p.towns)}{_block(rng, 'hyphen')} {rng.choice(BUILDINGS)}", ok)

    def with_postal(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        p = rng.choice(PLACES)
        text = f"〒{_postal(p, rng)} {p.prefecture}{p.city}{rng.choice(p.towns)}{_block(rng, 'kanji')}"
        return text, fs(e, "JP_POSTAL_CODE"), fs(*ok)

    def sentence(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        p = rng.choice(PLACES)
        return one(e, f"現住所は{p.prefecture}{p.city}{rng.choice(p.towns)}{_block(rng, 'hyphen')}です。", ok)

    def no_prefecture(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        p = rng.choice([p for p in PLACES if p.designated])
        return one(e, f"{p.city}{rng.choice(p.towns)}{_block(rng, rng.choice(('hyphen', 'kanji')))}", ok)

    def rural(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        p = rng.choice(PLACES)
        return one(e, f"{p.prefecture}{p.city}{rng.choice(p.towns)}{_block(rng, 'banchi')}", ok)

    return {
        "hyphen": plain("hyphen"), "kanji_blocks": plain("kanji"), "kanji_numeral_chome": plain("kanji_numeral"),
        "fullwidth": plain("fullwidth"), "dash_variant": plain("dash_variant"), "mixed": plain("mixed"),
        "with_building": building, "with_postal": with_postal, "sentence": sentence,
        "no_prefecture": no_prefecture, "banchi": rural,
    }


US_STREETS = ("Main", "Oak", "Maple", "Washington", "Lincoln", "Park", "Elm", "Cedar", "Lake", "Hill", "Sunset",
              "Pine", "Jefferson", "Madison", "Highland", "River")
US_SUFFIXES = ("St", "Street", "Ave", "Avenue", "Rd", "Road", "Blvd", "Dr", "Drive", "Ln", "Way", "Ct")
US_CITIES = (
    ("Springfield", "IL", "627"), ("Austin", "TX", "787"), ("Seattle", "WA", "981"), ("Denver", "CO", "802"),
    ("Portland", "OR", "972"), ("Boston", "MA", "021"), ("Columbus", "OH", "432"), ("Atlanta", "GA", "303"),
    ("San Jose", "CA", "951"), ("Phoenix", "AZ", "850"), ("Madison", "WI", "537"), ("Raleigh", "NC", "276"),
)


def street_address_forms() -> dict[str, Form]:
    e = "STREET_ADDRESS"

    def us(rng: random.Random, unit: bool = False) -> str:
        city, state, zip3 = rng.choice(US_CITIES)
        street = f"{rng.randint(1, 9899)} {rng.choice(US_STREETS)} {rng.choice(US_SUFFIXES)}"
        apt = f", {rng.choice(('Apt', 'Suite', 'Unit'))} {rng.randint(1, 40)}{rng.choice(('', 'B', 'C'))}" if unit else ""
        return f"{street}{apt}, {city}, {state} {zip3}{rand_digits(rng, 2)}"

    def japan_romaji(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        p = rng.choice(PLACES)
        ward, pref = p.romaji
        text = f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 25)} Honcho, {ward}, {pref} {_postal(p, rng)}, Japan"
        return one(e, text, ("JP_ADDRESS", "JP_POSTAL_CODE", "JP_PREFECTURE"))

    return {
        "us_full": lambda rng: one(e, us(rng)),
        "us_unit": lambda rng: one(e, us(rng, unit=True)),
        "us_street_only": lambda rng: one(e, f"{rng.randint(1, 9899)} {rng.choice(US_STREETS)} {rng.choice(US_SUFFIXES)}"),
        "sentence": lambda rng: one(e, f"Ship to {us(rng)} by Monday."),
        "japan_romaji": japan_romaji,
    }


def _birth_day(rng: random.Random) -> dt.date:
    return random_date(rng, dt.date(1935, 1, 1), dt.date(2008, 12, 31))


def dob_forms() -> dict[str, Form]:
    e = "DATE_OF_BIRTH"
    ok = ("DATE",)

    def gannen(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        day = random_date(rng, dt.date(1989, 1, 8), dt.date(1989, 12, 31))
        return one(e, f"{era_text(day, 'kanji')}生まれ", ok)

    return {
        "label_era": lambda rng: one(e, f"生年月日：{era_text(_birth_day(rng), 'kanji')}", ok),
        "label_slash": lambda rng: one(e, f"生年月日 {date_text(_birth_day(rng), 'slash')}", ok),
        "umare_kanji": lambda rng: one(e, f"{date_text(_birth_day(rng), 'kanji')}生まれ", ok),
        "era_letter": lambda rng: one(e, f"{era_text(_birth_day(rng), 'letter')}生まれ", ok),
        "gannen": gannen,
        "birthday_sentence": lambda rng: one(e, f"誕生日は{date_text(_birth_day(rng), 'kanji')}です。", ok),
        "label_letter": lambda rng: one(e, f"生年月日：{era_text(_birth_day(rng), 'letter')}", ok),
        "label_fullwidth": lambda rng: one(e, f"生年月日：{fullwidth(date_text(_birth_day(rng), 'kanji'))}", ok),
        "english_iso": lambda rng: one(e, f"DOB: {date_text(_birth_day(rng), 'iso')}", ok),
        "english_words": lambda rng: one(e, f"Date of birth: {date_text(_birth_day(rng), 'english')}", ok),
    }


def _recent_day(rng: random.Random) -> dt.date:
    return random_date(rng, dt.date(2019, 5, 1), dt.date(2025, 12, 31))


def date_forms() -> dict[str, Form]:
    e = "DATE"
    return {
        "kanji": lambda rng: one(e, f"納品日：{date_text(_recent_day(rng), 'kanji')}"),
        "reiwa": lambda rng: one(e, f"契約日 {era_text(_recent_day(rng), 'kanji')}"),
        "slash": lambda rng: one(e, date_text(_recent_day(rng), "slash")),
        "iso": lambda rng: one(e, date_text(_recent_day(rng), "iso")),
        "era_letter": lambda rng: one(e, f"発行日 {era_text(_recent_day(rng), 'letter')}"),
        "timestamp": lambda rng: one(
            e, f"{date_text(_recent_day(rng), 'iso')} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        ),
        "sentence": lambda rng: one(e, f"次回の打合せは{date_text(_recent_day(rng), 'kanji')}に決まりました。"),
        "fullwidth": lambda rng: one(e, fullwidth(date_text(_recent_day(rng), "slash"))),
        "english": lambda rng: one(e, f"Invoice date: {date_text(_recent_day(rng), 'english')}"),
    }


def _school(rng: random.Random) -> str:
    place = rng.choice(SCHOOL_PLACES)
    kind = rng.randrange(9)
    if kind == 0:
        return f"{rng.choice(PLACES).city.split('市')[0]}市立{place}小学校"
    if kind == 1:
        return f"{rng.choice(PREFECTURES)}立{place}高等学校"
    if kind == 2:
        return f"私立{place}学園中学校"
    if kind == 3:
        return f"{place}大学"
    if kind == 4:
        return f"{place}女子大学"
    if kind == 5:
        return f"{place}工業高等専門学校"
    if kind == 6:
        return f"{place}看護専門学校"
    if kind == 7:
        return f"{place}高校"
    return f"{place}中学校"


def school_forms() -> dict[str, Form]:
    e = "SCHOOL_NAME"
    ok = ("JP_PREFECTURE",)
    return {
        "bare": lambda rng: one(e, _school(rng), ok),
        "label": lambda rng: one(e, f"出身校：{_school(rng)}", ok),
        "education": lambda rng: one(e, f"最終学歴：{rng.choice(SCHOOL_PLACES)}大学経済学部卒業", ok),
        "sentence": lambda rng: one(e, f"長男は{_school(rng)}に在籍しています。", ok),
        "english": lambda rng: one(e, f"Graduated from {rng.choice(('Aoba', 'Minato', 'Hokuto', 'Seiwa'))} University"),
    }


def member_id_forms() -> dict[str, Form]:
    e = "MEMBER_ID"
    return {
        "label_digits": lambda rng: one(e, f"会員番号：{rand_digits(rng, 8)}"),
        "label_prefixed": lambda rng: one(e, f"会員ID: M{rand_digits(rng, 8)}"),
        "customer_no": lambda rng: one(e, f"お客様番号 {rand_digits(rng, 10)}"),
        "customer_code": lambda rng: one(e, f"顧客コード：C-{rand_digits(rng, 6)}"),
        "login_id": lambda rng: one(e, f"ログインID：{rng.choice(SURNAMES)[2].lower()}_{rng.randint(1, 99)}"),
        "english": lambda rng: one(e, f"member_id={rng.choice(('AB', 'CU', 'MB'))}{rand_digits(rng, 6)}"),
        "sentence": lambda rng: one(e, f"会員番号{rand_digits(rng, 8)}のお客様から返品の申し出"),
    }


_CRYPT64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _chars(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def password_forms() -> dict[str, Form]:
    e = "PASSWORD"
    plain_passwords = ("Sakura2024!", "hanako0315", "Passw0rd#", "tanaka-1985", "qwerty123!", "Tokyo#2020",
                       "himitsu99", "p@ssW0rd77")
    return {
        "bcrypt": lambda rng: one(e, f"$2{rng.choice('aby')}$1{rng.randint(0, 2)}${_chars(rng, _CRYPT64, 53)}"),
        "argon2": lambda rng: one(
            e, f"$argon2id$v=19$m=65536,t=3,p=4${_chars(rng, _B64, 22)}${_chars(rng, _B64, 43)}"
        ),
        "django": lambda rng: one(e, f"pbkdf2_sha256$600000${_chars(rng, _CRYPT64[2:], 22)}${_chars(rng, _B64, 43)}="),
        "sha512_crypt": lambda rng: one(e, f"$6${_chars(rng, _CRYPT64, 16)}${_chars(rng, _CRYPT64, 86)}"),
        "ldap_ssha": lambda rng: one(e, f"{{SSHA}}{_chars(rng, _B64, 32)}"),
        "label_ja": lambda rng: one(e, f"パスワード：{rng.choice(plain_passwords)}"),
        "label_en": lambda rng: one(e, f"password={rng.choice(plain_passwords)}"),
        "pin_sentence": lambda rng: one(e, f"暗証番号は{rand_digits(rng, 4)}です"),
    }


CARD_KINDS: tuple[tuple[str, int], ...] = (
    ("35", 16), ("4", 16), ("5", 16), ("37", 15), ("34", 15), ("36", 14),
)


def _card(rng: random.Random) -> str:
    prefix, length = rng.choice(CARD_KINDS)
    if prefix == "35":
        prefix = str(rng.randint(3528, 3589))
    elif prefix == "5":
        prefix = str(rng.randint(51, 55))
    body = prefix + rand_digits(rng, length - len(prefix) - 1)
    return body + str(luhn_cd(body))


def _card_grouped(card: str, sep: str) -> str:
    sizes = {16: (4, 4, 4, 4), 15: (4, 6, 5), 14: (4, 6, 4)}[len(card)]
    return group(card, sizes, sep)


def credit_card_forms() -> dict[str, Form]:
    e = "CREDIT_CARD"
    return {
        "bare": lambda rng: one(e, _card(rng)),
        "grouped_hyphen": lambda rng: one(e, _card_grouped(_card(rng), "-")),
        "grouped_space": lambda rng: one(e, _card_grouped(_card(rng), " ")),
        "fullwidth": lambda rng: one(e, fullwidth(_card_grouped(_card(rng), "-"))),
        "label": lambda rng: one(e, f"カード番号：{_card_grouped(_card(rng), rng.choice(('-', ' ', '')))}"),
        "sentence": lambda rng: one(e, f"お支払いはカード{_card(rng)}で決済済みです"),
        "english": lambda rng: one(e, f"Card number: {_card_grouped(_card(rng), ' ')}"),
    }


BANKS: tuple[tuple[str, str], ...] = (
    ("みずほ銀行", "Mizuho Bank"), ("三菱UFJ銀行", "MUFG Bank"), ("三井住友銀行", "SMBC"), ("りそな銀行", "Resona Bank"),
    ("横浜銀行", "Bank of Yokohama"), ("千葉銀行", "Chiba Bank"), ("静岡銀行", "Shizuoka Bank"),
    ("城南信用金庫", "Johnan Shinkin Bank"), ("楽天銀行", "Rakuten Bank"),
)
BRANCHES = ("新宿", "渋谷", "梅田", "本店営業部", "横浜駅前", "池袋", "名古屋", "天神", "丸の内", "札幌")


def _yucho(rng: random.Random) -> tuple[str, str]:
    kigo = "1" + rand_digits(rng, 3) + "0"
    bango = rand_digits(rng, 7, first_nonzero=True) + "1"
    return kigo, bango


def bank_account_forms() -> dict[str, Form]:
    e = "JP_BANK_ACCOUNT"

    def holder(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        s, g = _japanese_name(rng)
        bank = rng.choice(BANKS)[0]
        text = f"振込先：{bank} {rng.choice(BRANCHES)}支店 普通 {rand_digits(rng, 7)} 口座名義 {s[1]} {g[1]}"
        return text, fs(e, "PERSON"), NONE

    return {
        "bank_branch_type": lambda rng: one(
            e, f"{rng.choice(BANKS)[0]} {rng.choice(BRANCHES)}支店 {rng.choice(('普通', '当座'))} {rand_digits(rng, 7)}"
        ),
        "label": lambda rng: one(e, f"口座番号：普通預金 {rand_digits(rng, 7)}"),
        "codes": lambda rng: one(
            e, f"金融機関コード{rng.choice(('0001', '0005', '0009', '0010'))} 支店コード{rand_digits(rng, 3)} 普通 {rand_digits(rng, 7)}"
        ),
        "yucho_hyphen": lambda rng: one(e, "-".join(_yucho(rng))),
        "yucho_label": lambda rng: (lambda k: one(e, f"ゆうちょ銀行 記号{k[0]} 番号{k[1]}"))(_yucho(rng)),
        "with_holder": holder,
        "fullwidth": lambda rng: one(e, f"{rng.choice(BANKS)[0]}{rng.choice(BRANCHES)}支店　普通　{fullwidth(rand_digits(rng, 7))}"),
        "english": lambda rng: one(
            e, f"Bank account: {rng.choice(BANKS)[1]}, {rng.choice(('Shinjuku', 'Umeda', 'Shibuya'))} Branch, Ordinary {rand_digits(rng, 7)}"
        ),
    }


def age_forms() -> dict[str, Form]:
    e = "AGE"
    return {
        "sai": lambda rng: one(e, f"{rng.randint(18, 95)}歳"),
        "label": lambda rng: one(e, f"年齢：{rng.randint(18, 95)}歳"),
        "label_number": lambda rng: one(e, f"年齢 {rng.randint(18, 95)}"),
        "man": lambda rng: one(e, f"満{rng.randint(18, 95)}歳"),
        "sai_alt": lambda rng: one(e, f"{rng.randint(18, 95)}才"),
        "fullwidth": lambda rng: one(e, f"{fullwidth(str(rng.randint(18, 95)))}歳"),
        "decade": lambda rng: one(e, f"{rng.choice((20, 30, 40, 50, 60, 70))}代"),
        "sentence": lambda rng: one(e, f"申込者は{rng.randint(18, 95)}歳の会社員です。", ("OCCUPATION",)),
        "english": lambda rng: one(e, rng.choice((f"Age: {rng.randint(18, 95)}", f"{rng.randint(18, 95)} years old"))),
    }


def gender_forms() -> dict[str, Form]:
    e = "GENDER"
    return {
        "bare_ja": lambda rng: one(e, rng.choice(("男性", "女性", "男", "女"))),
        "label": lambda rng: one(e, f"性別：{rng.choice(('男', '女', '男性', '女性'))}"),
        "label_letter": lambda rng: one(e, f"性別: {rng.choice('MF')}"),
        "english_bare": lambda rng: one(e, rng.choice(("Male", "Female", "male", "female"))),
        "english_label": lambda rng: one(e, f"Gender: {rng.choice(('Male', 'Female'))}"),
        "sentence": lambda rng: one(e, f"{rng.choice(('40代', '30代', '60代'))}の{rng.choice(('女性', '男性'))}からの問い合わせ", ("AGE",)),
    }


OCCUPATIONS_JA = ("会社員", "公務員", "看護師", "自営業", "パート", "主婦", "学生", "教員", "医師", "エンジニア",
                  "薬剤師", "保育士", "介護職員", "会社役員", "アルバイト", "農業", "美容師", "税理士")
OCCUPATIONS_EN = ("Software Engineer", "Nurse", "Teacher", "Accountant", "Sales Manager", "Pharmacist")


def occupation_forms() -> dict[str, Form]:
    e = "OCCUPATION"
    return {
        "bare": lambda rng: one(e, rng.choice(OCCUPATIONS_JA)),
        "label": lambda rng: one(e, f"職業：{rng.choice(OCCUPATIONS_JA)}"),
        "sentence": lambda rng: one(e, f"現在は{rng.choice(('看護師', '保育士', '薬剤師', '教員'))}として勤務しています。"),
        "english": lambda rng: one(e, rng.choice(OCCUPATIONS_EN)),
        "english_label": lambda rng: one(e, f"Occupation: {rng.choice(OCCUPATIONS_EN)}"),
    }


PREFECTURE_ROMAJI = ("Hokkaido", "Aomori", "Miyagi", "Saitama", "Kanagawa", "Niigata", "Shizuoka", "Aichi",
                     "Osaka", "Hyogo", "Hiroshima", "Fukuoka", "Kagoshima", "Okinawa")


def prefecture_forms() -> dict[str, Form]:
    e = "JP_PREFECTURE"
    return {
        "bare": lambda rng: one(e, rng.choice(PREFECTURES)),
        "label": lambda rng: one(e, f"都道府県：{rng.choice(PREFECTURES)}"),
        "residence": lambda rng: one(e, f"{rng.choice(PREFECTURES)}在住"),
        "birthplace": lambda rng: one(e, f"出身地は{rng.choice(PREFECTURES)}です"),
        "prefecture_city": lambda rng: (lambda p: one(e, f"{p.prefecture}{p.city}"))(rng.choice(PLACES)),
        "english": lambda rng: one(e, f"{rng.choice(PREFECTURE_ROMAJI)} Prefecture"),
    }


def postal_forms() -> dict[str, Form]:
    e = "JP_POSTAL_CODE"

    def code(rng: random.Random) -> str:
        return f"{rng.choice(PLACES).postal_prefix}-{rand_digits(rng, 4)}"

    return {
        "mark": lambda rng: one(e, f"〒{code(rng)}"),
        "bare_hyphen": lambda rng: one(e, code(rng)),
        "mark_no_hyphen": lambda rng: one(e, f"〒{code(rng).replace('-', '')}"),
        "fullwidth": lambda rng: one(e, fullwidth(f"〒{code(rng)}").replace("－", rng.choice(("－", "ー")))),
        "label": lambda rng: one(e, f"郵便番号：{code(rng).replace('-', '')}"),
        "label_dash_variant": lambda rng: one(e, f"郵便番号 {code(rng).replace('-', rng.choice(DASHES[1:]))}"),
        "english": lambda rng: one(e, f"ZIP code {code(rng)}"),
    }


def _ipv4(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind == 1:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return f"{rng.choice((60, 106, 126, 153, 180, 203, 210, 219))}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(4)]
    if rng.random() < 0.5:
        return f"2001:db8:{groups[0]}:{groups[1]}::{groups[2]}:{groups[3]}"
    return "240b:" + ":".join(f"{rng.randint(0, 0xFFFF):x}" for _ in range(7))


def ip_forms() -> dict[str, Form]:
    e = "IP_ADDRESS"
    return {
        "v4": lambda rng: one(e, _ipv4(rng)),
        "v4_sentence": lambda rng: one(e, f"接続元{_ipv4(rng)}からのアクセス"),
        "v4_label": lambda rng: one(e, f"IPアドレス：{_ipv4(rng)}"),
        "v4_fullwidth": lambda rng: one(e, fullwidth(_ipv4(rng))),
        "v6": lambda rng: one(e, _ipv6(rng)),
        "v6_label": lambda rng: one(e, f"送信元IP: {_ipv6(rng)}"),
        "log_line": lambda rng: one(e, f'{_ipv4(rng)} - - [01/Apr/2024:10:23:45 +0900] "GET /index.html HTTP/1.1" 200 5120'),
    }


def _mac(rng: random.Random) -> list[str]:
    return [f"{rng.randint(0, 255):02x}" for _ in range(6)]


def mac_forms() -> dict[str, Form]:
    e = "MAC_ADDRESS"
    return {
        "colon_upper": lambda rng: one(e, ":".join(_mac(rng)).upper()),
        "colon_lower": lambda rng: one(e, ":".join(_mac(rng))),
        "hyphen": lambda rng: one(e, "-".join(_mac(rng)).upper()),
        "cisco_dot": lambda rng: (lambda m: one(e, f"{m[0]}{m[1]}.{m[2]}{m[3]}.{m[4]}{m[5]}"))(_mac(rng)),
        "label": lambda rng: one(e, f"MACアドレス：{':'.join(_mac(rng)).upper()}"),
        "sentence": lambda rng: one(e, f"端末{'-'.join(_mac(rng))}が社内LANに接続しました"),
    }


def _uuid4(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    h = h[:12] + "4" + h[13:16] + rng.choice("89ab") + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def device_id_forms() -> dict[str, Form]:
    e = "DEVICE_ID"
    return {
        "idfa_label": lambda rng: one(e, f"IDFA: {_uuid4(rng).upper()}"),
        "aaid_label": lambda rng: one(e, f"広告ID（AAID）：{_uuid4(rng)}"),
        "idfa_bare": lambda rng: one(e, _uuid4(rng).upper()),
        "adid_param": lambda rng: one(e, f"adid={_uuid4(rng)}"),
        "sentence": lambda rng: one(e, f"端末ID {_uuid4(rng).upper()} の利用者からの問い合わせ"),
    }


def cookie_forms() -> dict[str, Form]:
    e = "COOKIE_ID"
    return {
        "ga": lambda rng: one(e, f"_ga=GA1.2.{rng.randint(10**8, 2 * 10**9)}.{rng.randint(1_600_000_000, 1_730_000_000)}"),
        "ga_bare": lambda rng: one(e, f"GA1.1.{rng.randint(10**8, 2 * 10**9)}.{rng.randint(1_600_000_000, 1_730_000_000)}"),
        "fbp": lambda rng: one(e, f"_fbp=fb.1.{rng.randint(1_600_000_000_000, 1_730_000_000_000)}.{rng.randint(10**8, 2 * 10**9)}"),
        "jsessionid": lambda rng: one(e, f"Cookie: JSESSIONID={rng.getrandbits(128):032X}"),
        "label_ja": lambda rng: one(e, f"クッキーID：{rng.getrandbits(96):024x}"),
        "sessionid": lambda rng: one(e, f"sessionid={_chars(rng, _B64[:62].lower(), 32)}"),
    }


def _user_agent(rng: random.Random) -> str:
    chrome = f"{rng.randint(110, 126)}.0.{rng.randint(0, 6500)}.{rng.randint(0, 200)}"
    kind = rng.randrange(5)
    if kind == 0:
        return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} Safari/537.36"
    if kind == 1:
        ios = f"{rng.randint(15, 17)}_{rng.randint(0, 6)}"
        return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                f"Version/{ios.replace('_', '.')} Mobile/15E148 Safari/604.1")
    if kind == 2:
        model = rng.choice(("SH-M26", "SO-51C", "Pixel 8", "SC-52D", "A201SO"))
        return (f"Mozilla/5.0 (Linux; Android {rng.randint(11, 14)}; {model}) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{chrome} Mobile Safari/537.36")
    if kind == 3:
        v = rng.randint(115, 126)
        return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"
    return (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} "
            f"Safari/537.36 Edg/{chrome}")


def user_agent_forms() -> dict[str, Form]:
    e = "USER_AGENT"
    return {
        "bare": lambda rng: one(e, _user_agent(rng)),
        "header": lambda rng: one(e, f"User-Agent: {_user_agent(rng)}"),
        "label_ja": lambda rng: one(e, f"ブラウザ情報：{_user_agent(rng)}"),
    }


def _latlon(rng: random.Random) -> tuple[float, float]:
    return round(rng.uniform(26.0, 45.0), rng.choice((4, 5, 6))), round(rng.uniform(127.5, 145.5), rng.choice((4, 5, 6)))


def _dms(value: float) -> tuple[int, int, int]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60) % 60
    return degrees, minutes, seconds


def geo_forms() -> dict[str, Form]:
    e = "GEO_COORDINATE"

    def dms(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        lat, lon = _latlon(rng)
        a, b = _dms(lat), _dms(lon)
        return one(e, f"北緯{a[0]}度{a[1]}分{a[2]}秒 東経{b[0]}度{b[1]}分{b[2]}秒")

    def maps_url(rng: random.Random) -> tuple[str, frozenset[str], frozenset[str]]:
        lat, lon = _latlon(rng)
        return f"https://maps.google.com/?q={lat},{lon}", fs(e, "URL"), NONE

    return {
        "pair": lambda rng: (lambda p: one(e, f"{p[0]},{p[1]}"))(_latlon(rng)),
        "pair_space": lambda rng: (lambda p: one(e, f"{p[0]}, {p[1]}"))(_latlon(rng)),
        "paren": lambda rng: (lambda p: one(e, f"({p[0]}, {p[1]})"))(_latlon(rng)),
        "label_ja": lambda rng: (lambda p: one(e, f"緯度：{p[0]} 経度：{p[1]}"))(_latlon(rng)),
        "label_en": lambda rng: (lambda p: one(e, f"lat={p[0]}&lng={p[1]}"))(_latlon(rng)),
        "dms": dms,
        "maps_url": maps_url,
    }


URL_HOSTS = ("www.hanamaru-books.co.jp", "shop.sakura-bussan.jp", "news.example.jp", "www.city-guide.jp",
             "blog.example.com", "www.aoba-fudosan.co.jp")


def _url(rng: random.Random) -> str:
    path = rng.choice(("/products/", "/item/", "/articles/2024/04/", "/search?q=", "/cart?item=", "/members/mypage/"))
    return f"{rng.choice(('https', 'https', 'http'))}://{rng.choice(URL_HOSTS)}{path}{rng.randint(100, 99999)}"


def url_forms() -> dict[str, Form]:
    e = "URL"
    return {
        "bare": lambda rng: one(e, _url(rng)),
        "label": lambda rng: one(e, f"閲覧ページ：{_url(rng)}"),
        "sentence": lambda rng: one(e, f"{_url(rng)}を閲覧後に購入"),
        "no_scheme": lambda rng: one(e, f"{rng.choice(URL_HOSTS)}/products/{rng.randint(100, 9999)}"),
        "referer": lambda rng: one(e, f"Referer: {_url(rng)}"),
    }


def phrase_forms(entity: str, bare: Sequence[str], labelled: Sequence[tuple[str, str]],
                 sentences: Sequence[str], english: Sequence[str], tolerated: Iterable[str] = ()) -> dict[str, Form]:
    """Forms for a vocabulary entity: a bare cell, ``label：value``, a sentence, English."""
    ok = tuple(tolerated)
    forms: dict[str, Form] = {
        "bare": lambda rng: one(entity, rng.choice(bare), ok),
        "label": lambda rng: (lambda lv: one(entity, f"{lv[0]}：{lv[1]}", ok))(rng.choice(labelled)),
        "sentence": lambda rng: one(entity, rng.choice(sentences), ok),
    }
    if english:
        forms["english"] = lambda rng: one(entity, rng.choice(english), ok)
    return forms


def religion_forms() -> dict[str, Form]:
    return phrase_forms(
        "RELIGION",
        ("キリスト教", "仏教", "浄土真宗", "カトリック", "プロテスタント", "イスラム教", "神道", "創価学会",
         "エホバの証人", "天理教", "日蓮宗", "ヒンドゥー教"),
        (("宗教", "浄土真宗本願寺派"), ("信仰", "カトリック"), ("宗派", "曹洞宗"), ("宗教", "イスラム教")),
        ("毎週日曜日は教会のミサに参加しています", "イスラム教徒のため豚肉は食べられません", "実家は浄土真宗の寺です",
         "熱心な仏教徒で毎朝読経している", "ラマダン期間中は日中の食事を控えます"),
        ("Religion: Catholic", "She is a practising Muslim.", "Religion: Buddhist"),
    )


def belief_forms() -> dict[str, Form]:
    return phrase_forms(
        "BELIEF",
        ("無神論者", "平和主義者", "菜食主義（信条による）", "反戦主義"),
        (("信条", "平和主義"), ("思想", "無政府主義"), ("信条", "動物愛護のため菜食")),
        ("思想信条を理由に国旗掲揚に反対している", "信条として兵役を拒否した", "無神論者であることを公言している"),
        ("Belief: atheist", "He is a conscientious objector."),
        tolerated=("RELIGION", "POLITICAL"),
    )


def race_forms() -> dict[str, Form]:
    # Nationality alone is not 人種 (APPI guidelines; japan.md §4): ベトナム国籍 and the like are decoys
    # (sensitive_word_inside_ordinary/race), not RACE. 朝鮮籍 is no nationality but marks Korean descent.
    return phrase_forms(
        "RACE",
        ("在日韓国人", "アイヌ民族", "被差別部落出身", "在日コリアン", "少数民族", "朝鮮籍", "日系ブラジル人", "琉球民族"),
        (("出自", "被差別部落"), ("民族", "琉球"), ("民族", "アイヌ"), ("人種", "アジア系")),
        ("祖父母の代から在日韓国人です", "アイヌ民族の出身であることを申告", "同和地区の出身であることを打ち明けた",
         "日系ブラジル人のため通訳を手配した"),
        ("Ethnicity: Hispanic", "Race: African American", "Ethnic origin: Ainu"),
    )


def domicile_forms() -> dict[str, Form]:
    def place(rng: random.Random) -> str:
        p = rng.choice(PLACES)
        return f"{p.prefecture}{p.city}{rng.choice(p.towns)}{rng.randint(1, 999)}番地"

    e = "DOMICILE"
    ok = ("JP_PREFECTURE", "JP_ADDRESS")
    return {
        "label": lambda rng: one(e, f"本籍：{place(rng)}", ok),
        "label_chi": lambda rng: one(e, f"本籍地 {place(rng)}", ok),
        "sentence": lambda rng: one(e, f"本籍は{place(rng)}です", ok),
        "city_only": lambda rng: (lambda p: one(e, f"本籍地：{p.prefecture}{p.city}", ok))(rng.choice(PLACES)),
    }


def disability_forms() -> dict[str, Form]:
    return phrase_forms(
        "DISABILITY",
        ("身体障害者手帳1級", "療育手帳B2", "精神障害者保健福祉手帳2級", "聴覚障害", "視覚障害", "車いす使用",
         "下肢機能障害", "知的障害"),
        (("障害者手帳", "身体2級"), ("障害の有無", "あり（聴覚）"), ("障害等級", "精神3級")),
        ("身体障害者手帳4級を所持しています", "障害者雇用枠で採用", "車いすを使用しているためエレベーターが必要",
         "療育手帳を取得済み"),
        ("Disability: wheelchair user", "He is visually impaired."),
        tolerated=("MEDICAL",),
    )


def criminal_forms() -> dict[str, Form]:
    return phrase_forms(
        "CRIMINAL_RECORD",
        ("前科あり", "逮捕歴あり", "窃盗罪で有罪", "執行猶予中", "前科二犯"),
        (("前科", "あり（傷害）"), ("賞罰", "道路交通法違反で罰金刑"), ("犯罪歴", "窃盗")),
        ("過去に詐欺罪で懲役2年執行猶予3年の判決を受けた", "傷害事件で逮捕されたことがある", "保護観察中であることを申告"),
        ("He has a prior conviction for fraud.", "Criminal record: theft (2015)"),
    )


def labor_union_forms() -> dict[str, Form]:
    return phrase_forms(
        "LABOR_UNION",
        ("労働組合員", "組合員", "労組執行委員", "ユニオン加入"),
        (("所属組合", "さくら物産労働組合"), ("労働組合", "加入"), ("組合役職", "書記長")),
        ("労働組合の執行委員を務めている", "昨年から地域ユニオンに加入した", "労組の団体交渉に参加した",
         "組合費を給与から控除"),
        ("Union member since 2018", "She is a shop steward in the union."),
    )


def political_forms() -> dict[str, Form]:
    return phrase_forms(
        "POLITICAL",
        ("自民党員", "立憲民主党支持", "共産党員", "政治団体所属"),
        (("支持政党", "日本維新の会"), ("政治活動", "選挙ボランティア"), ("所属政党", "公明党")),
        ("国会前のデモに参加した", "署名活動で請願書を提出した", "市議会選挙で候補者の応援演説をした",
         "政党の後援会に入会している"),
        ("Party affiliation: Democrat", "She took part in the protest march."),
    )


def medical_forms() -> dict[str, Form]:
    return phrase_forms(
        "MEDICAL",
        ("糖尿病", "高血圧症", "うつ病", "喘息", "B型肝炎", "乳がん", "アトピー性皮膚炎", "花粉症", "統合失調症"),
        (("既往歴", "心筋梗塞"), ("病名", "2型糖尿病"), ("処方", "ロキソプロフェン錠60mg"), ("健診結果", "要精密検査"),
         ("服薬", "アムロジピン5mg")),
        ("高血圧で月1回通院しています", "うつ病のため休職中", "健康診断でHbA1cが6.8%と指摘された",
         "インスリン注射を毎日しています", "昨年胃がんの手術を受けた"),
        ("Diagnosis: type 2 diabetes", "Medication: metformin 500 mg", "History of asthma"),
    )


def sex_life_forms() -> dict[str, Form]:
    return phrase_forms(
        "SEX_LIFE",
        ("同性愛者", "バイセクシュアル", "レズビアン", "ゲイ", "トランスジェンダー"),
        (("性的指向", "同性愛"), ("性自認", "トランスジェンダー"), ("パートナー", "同性パートナー")),
        ("同性パートナーと同居しています", "パートナーシップ宣誓制度を利用", "性的指向についてカミングアウトした"),
        ("Sexual orientation: gay", "She identifies as bisexual."),
        tolerated=("MEDICAL", "GENDER"),
    )


POSITIVE_FORMS: dict[str, Callable[[], dict[str, Form]]] = {
    "PERSON": person_forms,
    "JP_ADDRESS": address_forms,
    "STREET_ADDRESS": street_address_forms,
    "PHONE_NUMBER": phone_forms,
    "EMAIL_ADDRESS": email_forms,
    "DATE_OF_BIRTH": dob_forms,
    "SCHOOL_NAME": school_forms,
    "JP_MY_NUMBER": my_number_forms,
    "JP_PASSPORT": passport_forms,
    "JP_DRIVER_LICENSE": driver_license_forms,
    "JP_RESIDENCE_CARD": residence_card_forms,
    "JP_BASIC_PENSION_NUMBER": pension_forms,
    "JP_HEALTH_INSURANCE": health_insurance_forms,
    "US_SSN": ssn_forms,
    "MEMBER_ID": member_id_forms,
    "PASSWORD": password_forms,
    "CREDIT_CARD": credit_card_forms,
    "JP_BANK_ACCOUNT": bank_account_forms,
    "AGE": age_forms,
    "GENDER": gender_forms,
    "OCCUPATION": occupation_forms,
    "JP_PREFECTURE": prefecture_forms,
    "JP_POSTAL_CODE": postal_forms,
    "IP_ADDRESS": ip_forms,
    "MAC_ADDRESS": mac_forms,
    "DEVICE_ID": device_id_forms,
    "COOKIE_ID": cookie_forms,
    "USER_AGENT": user_agent_forms,
    "GEO_COORDINATE": geo_forms,
    "URL": url_forms,
    "RELIGION": religion_forms,
    "BELIEF": belief_forms,
    "RACE": race_forms,
    "DOMICILE": domicile_forms,
    "DISABILITY": disability_forms,
    "CRIMINAL_RECORD": criminal_forms,
    "LABOR_UNION": labor_union_forms,
    "POLITICAL": political_forms,
    "MEDICAL": medical_forms,
    "SEX_LIFE": sex_life_forms,
    "JP_CORPORATE_NUMBER": corporate_forms,
    "JAN_CODE": jan_forms,
    "JP_BUSINESS_PHONE": business_phone_forms,
    "DATE": date_forms,
}


# ---------------------------------------------------------------------------------------------
# Decoys: look-alikes that must not be taken for the entities they resemble.


def _bad_product12(rng: random.Random) -> str:
    """Twelve digits that pass none of the 12-digit check digits (My Number, licence, UPC-A)."""
    while True:
        d = rand_digits(rng, 12)
        if not digit_twins(d):
            return d


def _bad13(rng: random.Random) -> str:
    while True:
        d = rand_digits(rng, 13, first_nonzero=True)
        if not digit_twins(d):
            return d


def _bad_card16(rng: random.Random) -> str:
    while True:
        d = rand_digits(rng, 16, first_nonzero=True)
        if not is_luhn(d):
            return d


def decoy(text: str, expected: Iterable[str] = (), tolerated: Iterable[str] = ()) -> tuple[str, frozenset[str], frozenset[str]]:
    return text, frozenset(expected), frozenset(tolerated)


def _choice_decoy(options: Sequence[str], expected: Iterable[str] = ()) -> Form:
    exp = tuple(expected)
    return lambda rng: decoy(rng.choice(options), exp)


DECOY_FORMS: dict[str, dict[str, Form]] = {
    "product_code_12": {
        "label": lambda rng: decoy(f"品番：{_bad_product12(rng)}"),
        "bare": lambda rng: decoy(_bad_product12(rng)),
        "catalogue": lambda rng: decoy(f"型番 {_bad_product12(rng)} ステンレス製電気ケトル 1.0L"),
        "grouped": lambda rng: decoy(f"お問い合わせ伝票番号 {group(_bad_product12(rng), (4, 4, 4), '-')}"),
    },
    "order_number_13_16": {
        "order13": lambda rng: decoy(f"注文番号：{_bad13(rng)}"),
        "bare13": lambda rng: decoy(_bad13(rng)),
        "gift_card": lambda rng: decoy(f"ギフトカード管理番号 {group(_bad_card16(rng), (4, 4, 4, 4), '-')}"),
        "part_number_ssn_shape": lambda rng: decoy(f"部品番号 {rand_digits(rng, 3, True)}-{rand_digits(rng, 2)}-{rand_digits(rng, 4)}"),
    },
    "jan_in_catalogue": {
        # Retail barcodes in a product list: JAN_CODE is right; nothing personal is.
        "row": lambda rng: decoy(f"{rng.choice(('緑茶', 'ボールペン', '洗剤', 'カップ麺'))},{_jan13(rng)},{rng.randint(98, 1980)}円", ("JAN_CODE",)),
        "jan8": lambda rng: decoy(f"JAN8桁：{_jan8(rng)}", ("JAN_CODE",)),
    },
    "corporate_in_catalogue": {
        "row": lambda rng: decoy(f"{rng.choice(COMPANY_NAMES)} 法人番号 {_corporate(rng)}", ("JP_CORPORATE_NUMBER",)),
        "invoice": lambda rng: decoy(f"請求書 登録番号：T{_corporate(rng)}", ("JP_CORPORATE_NUMBER",)),
    },
    "place_in_product_name": {
        "product": _choice_decoy((
            "北海道産ミルク", "北海道産牛乳使用ソフトクリーム", "静岡県産緑茶ティーバッグ", "青森県産りんごジュース",
            "鹿児島黒豚しゃぶしゃぶセット", "京都宇治抹茶ラテ", "沖縄県産黒糖", "宮崎県産完熟マンゴー", "長野県産レタス",
            "讃岐うどん 香川県産小麦使用", "博多明太子", "夕張メロンゼリー", "熊本県産あか牛ハンバーグ",
            "新潟県産コシヒカリ 5kg", "大阪王将 羽根つき餃子",
        )),
        "price_line": lambda rng: decoy(f"{rng.choice(('北海道産じゃがいも', '愛媛県産みかん', '山形県産さくらんぼ'))} {rng.randint(3, 20) * 100}円（税込）"),
    },
    "company_phone_catalogue": {
        # A company's switchboard: a phone number, but nobody's personal data.
        "head_office": lambda rng: decoy(f"{rng.choice(COMPANY_NAMES)} 本社代表 {'-'.join(_fixed(rng))}", (), ("JP_BUSINESS_PHONE",)),
        "branch_tel": lambda rng: decoy(f"{rng.choice(COMPANY_NAMES)} 大阪支店 TEL {'-'.join(_fixed(rng))}", (), ("JP_BUSINESS_PHONE",)),
        "toll_free": lambda rng: decoy(f"{rng.choice(COMPANY_NAMES)} カスタマーセンター {_toll_free(rng)}", ("JP_BUSINESS_PHONE",)),
    },
    "version_string": {
        "semver": lambda rng: decoy(f"v{rng.randint(1, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"),
        "windows_build": lambda rng: decoy(f"OSバージョン 10.0.{rng.randint(19041, 26100)}.{rng.randint(1000, 4000)}"),
        "app_version": lambda rng: decoy(f"アプリバージョン {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"),
        "python": lambda rng: decoy(f"Python 3.{rng.randint(8, 13)}.{rng.randint(0, 12)}"),
        "section": lambda rng: decoy(f"第{rng.randint(1, 9)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}項を参照"),
    },
    "price": {
        "yen": lambda rng: decoy(f"¥{rng.randint(1, 99)},{rand_digits(rng, 3)}（税込）"),
        "en": lambda rng: decoy(f"価格：{rng.randint(1, 9)},{rand_digits(rng, 3)}円"),
        "big": lambda rng: decoy(f"合計金額 {rng.randint(1, 9)},{rand_digits(rng, 3)},{rand_digits(rng, 3)}円"),
        "fullwidth": lambda rng: decoy(f"￥{fullwidth(str(rng.randint(1, 99)) + ',' + rand_digits(rng, 3))}"),
        "usd": lambda rng: decoy(f"${rng.randint(1, 9)},{rand_digits(rng, 3)}.{rand_digits(rng, 2)}"),
    },
    "quantity_measure": {
        "minutes": lambda rng: decoy(f"所要時間{rng.randint(10, 90)}分"),
        "size": lambda rng: decoy(f"サイズ：{rng.choice(('S', 'M', 'L', 'XL'))}"),
        "floor": lambda rng: decoy(f"{rng.randint(2, 12)}F 会議室"),
        "weather": lambda rng: decoy(f"気温{rng.randint(5, 35)}.{rng.randint(0, 9)}℃ 湿度{rng.randint(30, 90)}.{rng.randint(0, 9)}%"),
        "dims": lambda rng: decoy(f"{rng.randint(10, 90)}.{rng.randint(0, 9)} x {rng.randint(10, 90)}.{rng.randint(0, 9)} cm"),
        "count": lambda rng: decoy(f"第{rng.randint(10, 80)}回定時株主総会"),
    },
    "company_or_place_with_surname": {
        "company": _choice_decoy((
            "株式会社山田製作所", "田中電機工業株式会社", "鈴木建設株式会社", "有限会社佐藤商店", "高橋運輸株式会社",
            "本田技研工業株式会社", "松本薬品株式会社",
        )),
        "station": _choice_decoy(("高田馬場駅前店", "中野坂上駅", "吉祥寺駅北口", "藤沢駅南口", "松本城前バス停")),
        "product": _choice_decoy(("山田錦 純米大吟醸", "小林製薬の胃腸薬", "森永ミルクキャラメル")),
    },
    "hash_not_password": {
        "sha256": lambda rng: decoy(f"SHA-256チェックサム：{rng.getrandbits(256):064x}"),
        "git": lambda rng: decoy(f"commit {rng.getrandbits(160):040x}"),
        "etag": lambda rng: decoy(f'ETag: "{rng.getrandbits(128):032x}"'),
        "uuid_order": lambda rng: decoy(f"注文ID: {_uuid4(rng)}"),
        "request_id": lambda rng: decoy(f"request_id={_uuid4(rng)}"),
    },
    "email_lookalike": {
        "retina": _choice_decoy(("icon@2x.png", "logo@3x.png", "banner_top@2x.jpg")),
        "package": _choice_decoy(("@types/node", "npm install @angular/core", "@ITmedia_news")),
    },
    "sensitive_word_inside_ordinary": {
        "disability": _choice_decoy(("通信障害が発生しました", "システム障害のお知らせ", "障害物競走", "電波障害", "障害対応手順書")),
        "union": _choice_decoy(("生活協同組合の宅配", "農業協同組合（JA）", "健康保険組合", "マンション管理組合の総会", "商店街振興組合")),
        "political": _choice_decoy(("甘党なのでケーキが好き", "デモ機の貸出申請", "電子署名の検証", "デモンストレーション販売")),
        "religion": _choice_decoy(("仏滅", "クリスマスケーキ予約受付中", "神戸市", "お盆休みのお知らせ", "天神駅")),
        "medical": _choice_decoy(("ウイルス対策ソフト", "がんばります", "ガンダムのプラモデル", "頑固なシミ汚れに", "病院前バス停")),
        "race": _choice_decoy(("アメリカンコーヒー", "フレンチトースト", "韓国海苔", "ベトナム産エビ", "インド料理店", "中華料理",
                              # nationality alone is not race
                              "ベトナム国籍", "国籍：フィリピン", "Nationality: Vietnamese")),
        "sex_life": _choice_decoy(("性能テスト結果", "耐久性に優れた素材", "相性診断", "個性的なデザイン")),
        "criminal": _choice_decoy(("盗難防止ワイヤー", "万引き防止ゲート", "防犯カメラ設置工事", "逮捕術の訓練")),
        "gender_occupation": _choice_decoy(("男爵いも", "女川町", "学生服 150A", "男鹿半島")),
    },
    "prefecture_only_domicile": {
        # The policy's B category excludes a 本籍 that names only the prefecture.
        "label": lambda rng: decoy(f"本籍：{rng.choice(PREFECTURES)}", ("JP_PREFECTURE",)),
    },
    "date_not_birth": {
        "delivery": lambda rng: decoy(f"配送予定日 {date_text(_recent_day(rng), 'slash')}", ("DATE",)),
        "compact": lambda rng: decoy(f"作成日：{date_text(_recent_day(rng), 'kanji')}", ("DATE",)),
    },
}


def _examples(rng: random.Random, group_name: str, kind: Literal["positive", "decoy"],
              forms: dict[str, Form], n: int) -> list[Example]:
    names = list(forms)
    out = []
    for i in range(n):
        form = names[i % len(names)]
        text, expected, tolerated = forms[form](rng)
        out.append(Example(text, expected, tolerated - expected, group_name, form, kind))
    return out


def generate_corpus(seed: int = 0, n: int = 40, decoys_per_group: int | None = None) -> tuple[Example, ...]:
    """``n`` positives per entity (cycling through its surface forms) and decoys, all from ``seed``."""
    if n < 1:
        raise ValueError("n must be at least 1")
    per_decoy_group = n if decoys_per_group is None else decoys_per_group
    examples: list[Example] = []
    for entity, make_forms in POSITIVE_FORMS.items():
        # One generator per group, so adding a group does not change the others' examples.
        rng = random.Random(f"{seed}:{entity}")
        examples.extend(_examples(rng, entity, "positive", make_forms(), n))
    for name, forms in DECOY_FORMS.items():
        rng = random.Random(f"{seed}:decoy:{name}")
        examples.extend(_examples(rng, f"decoy:{name}", "decoy", forms, per_decoy_group))
    return tuple(examples)


def covered_entities() -> frozenset[str]:
    return frozenset(POSITIVE_FORMS)
