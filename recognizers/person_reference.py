"""Does a text speak of a person? The lexicon that gates special-care (要配慮) words in sentences.

A disease, a religion or a union named in encyclopedic prose ("仏教は…である") names a topic, not a
person; the same word in a customer's own words ("持病の糖尿病があるので…") or in a record cell
("E判定（要治療）", "身体障害者手帳2級") is about someone. Used by the column scanner (which drops
about-a-person entities from values that do not speak of anyone) and by the self-disclosure phrases of
the special-care recognizers (``毎週教会に通っています``), which need the sentence to be the writer's
own statement rather than a report about third parties.
"""

from __future__ import annotations

import regex as re

from recognizers.entities import EntityId

# Cells shorter than this are about the row's person by construction (a value, not prose).
SENTENCE_CHARS = 20
# Record-like cells longer than SENTENCE_CHARS are still records up to this length.
RECORD_MAX_CHARS = 120

# First person, family, honorifics, and the polite/desire forms of a customer's own words.
PERSONAL_ANCHOR = re.compile(
    r"私|わたし|僕|ぼく|俺|自分|家族|妻|夫|主人|母|父|息子|娘|子ども|子供|本人|患者|様|さん|くん|ちゃん"
    r"|です|ます|ました|ません|ので|ほしい|欲しい|たい|てる"
    r"|(?<![A-Za-z])(?:I|I'm|I've|(?i:my|me|we|our|mother|father|wife|husband|son|daughter|patient|customer))(?![A-Za-z])"
)

# A record cell (a check-up line, a list of findings) is made of terms, values and separators. Prose
# has sentence punctuation, or hiragana beyond the few result words records use, or runs of English
# words. "HbA1c 6.8%、LDL 165、γ-GTP高値、要精密検査" is a record; "糖尿病は…である。" is not.
_RECORD_KANA = re.compile(r"あり|なし|やや|高め|低め|の")
_PROSE_MARK = re.compile(r"[。！？!?]|[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){2,}")
_HIRAGANA = re.compile(r"\p{Hiragana}")


def is_record_like(value: str) -> bool:
    """A terse record (terms, values, grades, separators), not a sentence."""
    if len(value) > RECORD_MAX_CHARS or _PROSE_MARK.search(value):
        return False
    return _HIRAGANA.search(_RECORD_KANA.sub("", value)) is None


# The predicates of definitions and reports, even in a short cell: "選挙運動は公職選挙法で規制されている。"
# names a topic. (Checked after PERSONAL_ANCHOR: "父は投薬治療されている" speaks of the father.)
ENCYCLOPEDIC_PREDICATE = re.compile(
    r"(?:である|であった|とされる|とされている|されている|られている|といわれる|と言われる|と呼ばれる|を指す|を意味する"
    r"|に由来する|に基づく|に基づき交付される|が定める|で定める|を定めている)[。．.]?\s*$"
)
# Entities whose long record cells (a check-up line, a list of certificates) are about the row's person
# without any anchor. Not attributes such as a prefecture: a long product name ("京都府産 宇治抹茶 …")
# is terse too.
RECORD_ENTITIES: frozenset[EntityId] = frozenset({"MEDICAL", "DISABILITY"})


# What an encyclopedic article never holds: the writer, their family, or an honorific. (Polite forms
# are no voice: knowledge-base articles are written "…のことです。…とされています。")
_PERSONAL_VOICE = re.compile(
    r"私|わたし|僕|ぼく|俺|自分|様|さん|くん|ちゃん"
    r"|我が家|わが家|家族|妻|夫|主人|家内|旦那|母|父|両親|祖父|祖母|息子|娘|子ども|子供|本人"
    r"|(?<![A-Za-z])(?:I|I'm|I've|(?i:my|me|we|our))(?![A-Za-z])"
)
_SENTENCE_SPLIT = re.compile(r"(?<=[。．！？!?\n])")
# Sentences an article writes about its topic: a definition or report predicate at the sentence's end.
_ENCYCLOPEDIC_SENTENCE = re.compile(
    r"(?:である|であった|とされる|とされている|とされています|されている|られている|といわれる|と言われる|と呼ばれる"
    r"|を指す|を意味する|に由来する|に基づく|が定める|で定める|を定めている|した|れた|った|いた|ある|いる|なる)[。．.]?\s*$"
)


# An article's opening: a topic marked with は/とは (after an optional reading in brackets) that the
# sentence defines, ending in a definition predicate or a noun (体言止め: "…を開いた仏教の宗派。").
_DEFINITION_OPENING = re.compile(r"^[^。、は]{1,40}?(?:[（(][^）)]{1,30}[）)])?(?:とは|は)[、,]?")
_NOUN_ENDING = re.compile(
    r"(?:(?:(?:の|た|る|な|い|く|す|う|つ|む|ぶ|ぐ)[\p{Han}\p{Katakana}ー]{1,12}|の一つ|のひとつ|のこと)(?:です)?"
    r"|を指します|といいます|と言います|とされています|と呼ばれています)[。．.]?\s*$"
)


# The written style of a definition sets its topic off with a comma or とは ("仏教は、…", "痛風とは…"),
# which a customer's note rarely does ("腰痛は持病で…"); after such an opening any plain (non-polite)
# declarative ending reports about the topic: "…に位置する。", "…を信仰する。", "…が多い。".
_FORMAL_OPENING = re.compile(r"^[^。、は]{1,40}?(?:[（(][^）)]{1,30}[）)])?(?:とは|は[、,])")
_PLAIN_ENDING = re.compile(r"(?:[るたいだすうくつぬむぶぐ]|[\p{Han}\p{Katakana}ー])[。．.]?\s*$")


def is_encyclopedic(value: str) -> bool:
    """Prose about a topic (an article, a definition): no personal voice, and either an opening that
    defines its topic ("Xは、…の宗派。") or most sentences (two or more) ending in the predicates of
    definitions and reports. People named there (historical figures, authors) are the topic's, not a
    customer's personal data, and so are the diseases and faiths it describes."""
    if _PERSONAL_VOICE.search(value) is not None:
        return False
    sentences = [part.strip() for part in _SENTENCE_SPLIT.split(value) if part.strip()]
    if not sentences:
        return False
    first = sentences[0]
    if _DEFINITION_OPENING.search(first) and (
        ENCYCLOPEDIC_PREDICATE.search(first) or _NOUN_ENDING.search(first)
    ):
        return True
    if _FORMAL_OPENING.search(first) and _PLAIN_ENDING.search(first):
        return True
    reporting = sum(1 for sentence in sentences if _ENCYCLOPEDIC_SENTENCE.search(sentence))
    return 2 * reporting > len(sentences) and reporting >= 2


def speaks_of_a_person(value: str, entity: str | None = None) -> bool:
    """Short cells are about the row's person by construction, and so are record cells of a health or
    disability entity; sentences must show it. Encyclopedic prose speaks of its topic."""
    if len(value) >= SENTENCE_CHARS and is_encyclopedic(value):
        return False
    if PERSONAL_ANCHOR.search(value) is not None:
        return True
    if ENCYCLOPEDIC_PREDICATE.search(value) is not None:
        return False
    if len(value) < SENTENCE_CHARS:
        return True
    return entity in RECORD_ENTITIES and is_record_like(value)


# --- Self-disclosure: a practice stated by the writer about themselves (or their family) -------------

# Who the writer is, or the family they speak for (a survey answer about "夫" discloses the husband's
# union membership: still special-care information about a person).
SELF_ANCHOR = re.compile(
    r"私|わたし|わたくし|僕|ぼく|俺|自分|うち|我が家|わが家|家族|妻|夫|主人|家内|嫁|旦那|母|父|両親|実家|祖父|祖母|息子|娘|子ども|子供"
    r"|本人|(?<![A-Za-z])(?i:I|I'm|I've|my|we|our)(?![A-Za-z])"
)
# A third party as the sentence's subject: counted crowds, organisations, office holders. News and
# policy text report practices of others ("組合員約500人がストに参加した", "同社の労組は…").
THIRD_PARTY_SUBJECT = re.compile(
    r"(?:(?<![0-9])[0-9]{1,9}|[万千百十数])(?:人|名|社|団体)[^、。]{0,4}?(?:が|は|も)"
    r"|(?<![本個])人(?:々|たち)?(?:が|は|も)|多く(?:が|は)|[\p{Han}\p{Katakana}](?:ら|たち|達)(?:が|は|も)"
    r"|(?:市民|住民|国民|有権者|労働者|従業員|社員|職員|組合員|信者|信徒|支持者|学生|若者|高齢者"
    r"|議員|候補者?|陣営|首相|大臣|知事|市長|政府|政党|与党|野党|会社|企業|同社|当社|弊社|団体|組合|労組|教団|教会|寺院|神社"
    r"|医師|医者|看護師|患者|病院"
    r"|彼|彼女|彼ら|氏)(?:が|は|も|では|側)"
)
# Sentence boundaries for the subject search.
_SENTENCE_END = re.compile(r"[。！？!?\n]")
# What may follow a clause-final predicate: the end, punctuation, or a conjunction. "参加した組合員"
# (a relative clause, typical of legal and policy text) is not a statement about oneself.
CLAUSE_END = r"(?=$|[。、，,.．！？!?\s)）」』…・〜~]|けど|けれど|ので|のに|から|が|し[、,]|よ|ね|な|わ|もの|こと)"
# Polite or progressive self-statement endings that follow a verb's continuative form.
SELF_ENDING = (
    r"(?:ています|ている|ていた|ていました|てます|てる|てた|ておりま(?:す|した)|てきま(?:す|した)|てきた"
    r"|ました|ます|た|る|う)"
)


# A subject stands this close before its predicate (bounds the work on long cells).
SUBJECT_WINDOW = 120


def _sentence_before(text: str, start: int) -> str:
    window_start = max(0, start - SUBJECT_WINDOW)
    boundary = window_start
    for match in _SENTENCE_END.finditer(text, window_start, start):
        boundary = match.end()
    return text[boundary:start]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (between 。！？ or line breaks) that holds text[start:end], at most SUBJECT_WINDOW
    characters either side."""
    stop = _SENTENCE_END.search(text, end, end + SUBJECT_WINDOW)
    return _sentence_before(text, start) + text[start : stop.start() if stop else min(len(text), end + SUBJECT_WINDOW)]


def states_own_practice(text: str, start: int, end: int) -> bool:
    """True unless the sentence holding text[start:end] names a third party as its subject without the
    writer or their family in it. The phrase patterns themselves require a clause-final predicate."""
    before = _sentence_before(text, start)
    if SELF_ANCHOR.search(sentence_around(text, start, end)):
        return True
    return THIRD_PARTY_SUBJECT.search(before) is None


# --- Verb forms of a self-statement (the predicate of "…に通っています", "…をしている", "…に参加した") ---
# Each ends a clause (see CLAUSE_END) and covers the plain, polite, progressive and past forms a
# person uses about their own habits.
_TE = r"(?:ています|ている|ていた|ていました|てます|てる|てた|ておりま(?:す|した)|てきま(?:す|した)|てきた|た)"
SURU = rf"(?:し{_TE}|しました|します|する)"
KAYOU = rf"通(?:っ{_TE}|います|いました|う)"
IKU = rf"(?:行|い)(?:っ{_TE}|きます|きました|く)"
DERU = rf"出(?:{_TE}|ました|ます|る)"
DASU = rf"出し(?:{_TE}|ました|ます)"
HAIRU = rf"(?:入っ{_TE}|入りました|入ります|入る|加入{SURU}|入会{SURU}|加盟{SURU})"
NARU = rf"な(?:っ{_TE}|りました|ります|る)"
YARU = rf"(?:やっ{_TE}|やりました|やります|やる)"
TSUTOMERU = rf"務め(?:{_TE}|ました|ます|る)"
TSUKU = rf"(?:就い{_TE}|選ばれ(?:{_TE}|ました|る))"
COPULA = r"(?:です|でした|だった|である|だ)"
KUWAWARU = rf"加わ(?:っ{_TE}|ります|りました|る)"
SANKA = rf"(?:参加|出席|参列){SURU}"
