"""EMAIL_ADDRESS with boundaries that work inside Japanese text (``メールはtaro@example.co.jpです``).

Local parts are read as mail systems issued them, not as RFC 5322 allows: Japanese mobile carriers
(docomo.ne.jp, ezweb.ne.jp/au.com, softbank.ne.jp, i.softbank.jp, ymobile.ne.jp …) accepted
consecutive dots and a dot right before '@' until 2009 (``taro..yamada@docomo.ne.jp``,
``hanako.@ezweb.ne.jp``), and those addresses are still in use and still in customer tables. The
quirk is accepted for every domain: such a local part names a mailbox whatever the domain, and no
other kind of text looks like one. Only a local part that starts with a dot is refused.

The domain's public suffix is checked with tldextract's bundled snapshot of the Public Suffix List;
the extractor is built offline (no URLs, no cache directory) so a scan never reaches the network.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

import tldextract
from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

# At most 126 labels before the TLD: a domain name is at most 253 characters (RFC 1035), and an
# unbounded ``+`` made the ``regex`` module quadratic on a long run of one-letter labels (a@a.a.a.…).
EMAIL_PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "email",
        r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]{0,63})"
        r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,126}[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])",
        0.5,
    ),
)

EMAIL_CONTEXT: tuple[str, ...] = ("メール", "mail", "アドレス", "連絡先")

# A dot may stand right before '@' (legacy carrier addresses such as hanako.@ezweb.ne.jp).
EMAIL_PREFILTER = r"[A-Za-z0-9._%+-]@[A-Za-z0-9]"

# Role accounts are a company's own contacts (like its 0120 number), not a person's address.
ROLE_LOCAL_PARTS = frozenset(
    {
        "info", "information", "support", "sales", "contact", "inquiry", "inquiries", "toiawase", "otoiawase",
        "customer", "customers", "service", "cs", "help", "helpdesk", "noreply", "no-reply", "donotreply",
        "do-not-reply", "admin", "webmaster", "postmaster", "hostmaster", "abuse", "office", "press", "pr",
        "recruit", "saiyo", "marketing", "billing", "order", "orders", "shop", "store", "newsletter", "news",
    }
)


@lru_cache(maxsize=1)
def offline_extractor() -> tldextract.TLDExtract:
    """One extractor a process, fed only by the snapshot bundled with tldextract."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def is_role_account(address: str) -> bool:
    """``info@``, ``support-jp@``, ``noreply@``: an address that names a function, not a person."""
    local = address.rpartition("@")[0].lower()
    head = local.replace("_", "-").replace(".", "-").split("-")[0]
    return local in ROLE_LOCAL_PARTS or head in ROLE_LOCAL_PARTS


def has_public_suffix(address: str) -> bool:
    """True when the domain of ``address`` ends in a registered public suffix (co.jp, com, …)."""
    local, _, domain = address.rpartition("@")
    if not local or local.startswith("."):
        return False
    parts = offline_extractor()(domain)
    return bool(parts.suffix) and bool(parts.domain)


class CjkEmailRecognizer(JapanesePatternRecognizer):
    """E-mail addresses whose domain ends in a real public suffix (score 1.0); others, and role accounts
    such as info@ or noreply@, are dropped."""

    ENTITY: ClassVar[EntityId] = "EMAIL_ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = EMAIL_PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = EMAIL_CONTEXT
    PREFILTER: ClassVar[str | None] = EMAIL_PREFILTER

    def validate_result(self, pattern_text: str) -> bool | None:
        return has_public_suffix(pattern_text)

    def invalidate_result(self, pattern_text: str) -> bool | None:
        return is_role_account(pattern_text)
