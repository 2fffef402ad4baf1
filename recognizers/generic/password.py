"""PASSWORD: password hashes and passwords written out in text.

Strong shapes (modular-crypt and LDAP hash formats) score high. Bare hex digests of 32/40/64/128
characters score low: they are just as often checksums, ETags or content hashes, and the column
name (password, pw_hash, パスワード) has to carry the decision. ``password=…`` / ``パスワード：…``
in text takes the value after the label.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from recognizers.base import JapanesePatternRecognizer

_B64 = r"[A-Za-z0-9+/=.]"
_CRYPT64 = r"[./A-Za-z0-9]"
_NOT_HEX_BEFORE = r"(?<![0-9A-Za-z$])"
_NOT_HEX_AFTER = r"(?![0-9A-Za-z])"
# A password value: printable ASCII except quotes and the separators & , ; (query strings, CSV).
_SECRET = r"[!#-%(-+\--:<-~]{4,128}"
_EN_LABEL = r"(?<![A-Za-z_])(?i:password|passwd|passphrase|passcode|pwd|pin)"
_JA_LABEL = r"(?:ログインパスワード|パスワード|暗証番号|パスコード|PW)"


class PasswordRecognizer(JapanesePatternRecognizer):
    """Password hashes (bcrypt, argon2, PBKDF2, crypt, LDAP) and labelled plain-text passwords."""

    ENTITY: ClassVar[str] = "PASSWORD"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("bcrypt", rf"\$2[abxy]?\$[0-9]{{2}}\${_CRYPT64}{{53}}{_NOT_HEX_AFTER}", 0.95),
        Pattern(
            "argon2",
            rf"\$argon2(?:id|i|d)\$(?:v=[0-9]+\$)?m=[0-9]+,t=[0-9]+,p=[0-9]+\${_B64}+\${_B64}+",
            0.95,
        ),
        # Django and passlib: pbkdf2_sha256$<iterations>$<salt>$<hash>, also bcrypt_sha256$…
        Pattern(
            "django_hash",
            r"(?<![A-Za-z0-9_])(?:pbkdf2_sha(?:1|256|512)|argon2|bcrypt_sha256|bcrypt|scrypt)\$[^\s$]+(?:\$[^\s$]+){1,4}",
            0.9,
        ),
        Pattern(
            "django_legacy",
            r"(?<![A-Za-z0-9_])(?:sha1\$[^\s$]*\$[0-9a-f]{40}|md5\$[^\s$]*\$[0-9a-f]{32})(?![0-9a-f])",
            0.85,
        ),
        Pattern(
            "ldap_scheme",
            rf"\{{(?i:SSHA|SHA|SMD5|MD5|CRYPT|SSHA256|SSHA512|SHA256|SHA512|PBKDF2[A-Z0-9\-]*)\}}{_B64}{{8,}}",
            0.9,
        ),
        # crypt(3): $1$ MD5, $5$ SHA-256, $6$ SHA-512 (optional rounds=), $y$ yescrypt.
        Pattern(
            "crypt",
            rf"\$(?:[156])\$(?:rounds=[0-9]+\$)?{_CRYPT64}{{1,16}}\${_CRYPT64}{{22,86}}{_NOT_HEX_AFTER}",
            0.9,
        ),
        Pattern("yescrypt", rf"\$y\$[./A-Za-z0-9]+\${_CRYPT64}+\${_CRYPT64}{{43}}{_NOT_HEX_AFTER}", 0.9),
        Pattern(
            "hex_digest",
            rf"{_NOT_HEX_BEFORE}(?:[0-9a-f]{{128}}|[0-9A-F]{{128}}|[0-9a-f]{{64}}|[0-9A-F]{{64}}|[0-9a-f]{{40}}|[0-9A-F]{{40}}|[0-9a-f]{{32}}|[0-9A-F]{{32}}){_NOT_HEX_AFTER}",
            0.15,
        ),
        Pattern("labelled_en", rf"(?<={_EN_LABEL}\s{{0,3}}[=:]\s{{0,3}}[\"']?){_SECRET}", 0.75),
        Pattern("labelled_ja", rf"(?<={_JA_LABEL}\s{{0,3}}(?:は|[:=])\s{{0,3}}[\"'「]?){_SECRET}", 0.75),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("パスワード", "暗証番号", "password", "passwd", "hash", "ハッシュ")
    PREFILTER: ClassVar[str | None] = (
        r"\$2[abxy]?\$|\$argon2|\$[156y]\$|pbkdf2_sha[0-9]*\$|(?:bcrypt_sha256|bcrypt|scrypt|argon2|sha1|md5)\$|\{[A-Za-z0-9\-]+\}"
        r"|[0-9A-Fa-f]{32}|(?i:password|passwd|passphrase|passcode|pwd|pin)|パスワード|暗証番号|パスコード|PW"
    )

    def validate_result(self, pattern_text: str) -> bool | None:
        # An all-decimal "digest" is a long number (an account or order number), not a hash.
        if len(pattern_text) >= 32 and pattern_text.isdigit():
            return False
        return None
