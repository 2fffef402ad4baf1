"""recognizers.labels: the kind of number named by the nearest label before a match."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.checksums import my_number_check_digit
from recognizers.generic.ean_barcode import EanBarcodeRecognizer
from recognizers.jp.jp_corporate_number import JpCorporateNumberRecognizer
from recognizers.jp.jp_driver_license import JpDriverLicenseRecognizer
from recognizers.jp.jp_my_number import JpMyNumberRecognizer
from recognizers.labels import LABEL_WORDS, NumberKind, label_names_other_kind, nearest_label
from recognizers.normalize import normalize

MARK = "<>"  # stands for the number in the table below


def kind_before(template: str) -> NumberKind | None:
    """nearest_label for the 12 digits written where MARK stands in ``template`` (normalised first)."""
    text = normalize(template.replace(MARK, "123456789018"))
    start = text.index("123456789018")
    return nearest_label(text, start, start + 12)


@pytest.mark.parametrize(
    ("template", "kind"),
    [
        ("<>", None),
        ("番号：<>", None),  # generic words name no kind
        ("マイナンバーは<>です", NumberKind.MY_NUMBER),
        ("個人番号カード <>", NumberKind.MY_NUMBER),  # longest label at the same end: not カード
        ("運転免許証番号：<>", NumberKind.DRIVER_LICENSE),
        ("Driver's license No. <>", NumberKind.DRIVER_LICENSE),
        ("運転免許証（第<>号）", NumberKind.ORDINAL_SERIAL),  # 第…号 is nearer than 運転免許証
        ("第<>", None),  # 第 without 号 is no wrapper
        ("登録番号 T<>", NumberKind.CORPORATE_NUMBER),
        ("T<>", NumberKind.CORPORATE_NUMBER),
        ("ST<>", None),  # the end of a word, not the invoice T
        ("ＪＡＮコード：<>", NumberKind.PRODUCT_CODE),  # full width folds first
        ("UPC <>", NumberKind.PRODUCT_CODE),
        ("Janet <>", None),  # a word, not the JAN label
        ("ギフトカード <>", NumberKind.REFERENCE),  # not a payment card
        ("orderId: <>", NumberKind.REFERENCE),  # camelCase
        ("request_id=<>", NumberKind.REFERENCE),
        ("部品番号 <>", NumberKind.PRODUCT_CODE),
        ("免許証番号 309012345620、番号 <>", None),  # another number stands between
        ("個人番号の欄。<>", None),  # the label is in the previous sentence
        ("個人番号" + "あ" * 30 + "<>", None),  # too far away
        ("個人番号、運転免許証番号：<>", NumberKind.DRIVER_LICENSE),  # the nearest label wins
    ],
)
def test_nearest_label(template: str, kind: NumberKind | None) -> None:
    assert kind_before(template) == kind


def test_label_names_other_kind_only_for_a_label_outside_the_accepted_kinds() -> None:
    text = "JAN 123456789018"
    assert label_names_other_kind(text, 4, 16, {NumberKind.MY_NUMBER})
    assert not label_names_other_kind(text, 4, 16, {NumberKind.PRODUCT_CODE})
    assert not label_names_other_kind("123456789018", 0, 12, {NumberKind.MY_NUMBER})


def test_every_label_word_is_found_as_its_own_kind() -> None:
    for kind, words in LABEL_WORDS.items():
        for word in words:
            found = kind_before(f"{word} <>")
            # Shorter words inside longer ones of another kind are covered by the longest-match rule.
            assert found is not None, word
            if not any(word != other and other.endswith(word) for ws in LABEL_WORDS.values() for other in ws):
                assert found == kind, word


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_a_licence_label_drops_any_my_number_and_a_my_number_label_keeps_it(first11: str) -> None:
    number = first11 + str(my_number_check_digit(first11))
    if len(set(number)) == 1:
        return
    my_number = JpMyNumberRecognizer()
    assert my_number.analyze(f"運転免許証番号：{number}", ["JP_MY_NUMBER"], None) == []
    assert my_number.analyze(f"JANコード {number}", ["JP_MY_NUMBER"], None) == []
    assert len(my_number.analyze(f"個人番号：{number}", ["JP_MY_NUMBER"], None)) == 1
    # ...and no other 12-digit recognizer claims a labelled My Number.
    assert JpDriverLicenseRecognizer().analyze(f"個人番号：{number}", ["JP_DRIVER_LICENSE"], None) == []
    assert EanBarcodeRecognizer().analyze(f"個人番号：{number}", ["JAN_CODE"], None) == []


@given(st.sampled_from(["45", "49"]), st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_a_jan_label_drops_any_corporate_number(prefix: str, rest: str) -> None:
    text = f"JANコード：{prefix}{rest}"
    assert JpCorporateNumberRecognizer().analyze(text, ["JP_CORPORATE_NUMBER"], None) == []
