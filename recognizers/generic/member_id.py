"""MEMBER_ID: membership, customer and login identifiers.

A member number has no public format: ``M00012345``, ``MEM-2024-00123`` and ``CU123456`` look
like product codes, order numbers and SKUs. So shapes score low (0.1–0.3) and the column name
(会員番号, member_id, 顧客番号, ログインID) or a label in the same text carries the decision.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

_BEFORE = r"(?<![0-9A-Za-z\-_])"
_AFTER = r"(?![0-9A-Za-z\-_])"
_LABEL = (
    r"(?:会員番号|会員ID|会員No\.?|顧客番号|顧客ID|顧客コード|お客様番号|お客様ID|利用者番号|利用者ID"
    r"|ユーザーID|ユーザID|ログインID|アカウントID"
    r"|(?<![A-Za-z])(?i:member(?:ship)?|customer|user|login|account)[ _]?(?i:id|no\.?|number|#))"
)


class MemberIdRecognizer(JapanesePatternRecognizer):
    """Letter-prefixed identifier shapes (low score) and labelled identifiers (higher)."""

    ENTITY: ClassVar[EntityId] = "MEMBER_ID"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        # M00012345, CU123456, ABC-0012345
        Pattern("prefix_digits", rf"{_BEFORE}[A-Z]{{1,4}}-?[0-9]{{5,12}}{_AFTER}", 0.2),
        # MEM-2024-00123, JP-01-000123
        Pattern("prefix_grouped", rf"{_BEFORE}[A-Z]{{2,5}}-[0-9]{{2,6}}-[0-9]{{3,10}}{_AFTER}", 0.15),
        # 会員番号：12345678 / member_id=AB12345 / ログインIDはtaro_yamada
        Pattern(
            "labelled", rf"(?<={_LABEL}\s{{0,3}}(?:は|[:=#])?\s{{0,3}})[A-Za-z0-9][A-Za-z0-9._@\-]{{3,39}}{_AFTER}", 0.5
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "会員",
        "顧客",
        "お客様番号",
        "ログイン",
        "ユーザーID",
        "アカウント",
        "member",
        "customer",
        "account",
    )
    PREFILTER: ClassVar[str | None] = (
        r"[A-Z][0-9]{5}|[A-Z]-[0-9]{5}|[A-Z]-[0-9]{2}[0-9]*-[0-9]{3}|会員|顧客|お客様|利用者|ユーザー?ID|ログインID|アカウントID"
        r"|(?i:member|customer|user|login|account)"
    )
