"""PASSWORD: credentials — password hashes, passwords and secrets written out, and API tokens.

Strong shapes (modular-crypt and LDAP hash formats) score high. Bare hex digests of 32/40/64/128
characters score low: they are just as often checksums, ETags or content hashes, and the column
name (password, pw_hash, パスワード) has to carry the decision.

Plaintext secrets are credentials too (issue #11, kind 9):
- ``password=…`` / ``DB_PASSWORD=…`` / ``client_secret: …`` / ``パスワード：…`` take the value after the
  label (a placeholder such as ``********`` or ``${DB_PASSWORD}`` is not a secret);
- API keys whose issuers publish a fixed prefix and length (the formats gitleaks and detect-secrets
  document): OpenAI ``sk-`` / ``sk-proj-``, Anthropic ``sk-ant-``, GitHub ``ghp_`` ``gho_`` ``ghu_``
  ``ghs_`` ``ghr_`` ``github_pat_``, Slack ``xoxb-`` ``xoxp-`` …, AWS access key ids ``AKIA``/``ASIA`` +
  16 base-32 characters, Google ``AIza`` + 35, Stripe ``sk_live_`` ``rk_live_`` (and test keys);
- JSON Web Tokens (``eyJ….eyJ….…``), ``Authorization: Bearer <token>`` / ``Basic <credentials>``,
  the password of a connection string (``postgres://user:<password>@host``), and PEM private keys
  (header, body and footer, so that redaction removes the key itself).
All of these come out as PASSWORD, the policy's ``credential`` category.
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, RecognizerResult

from recognizers.base import JapanesePatternRecognizer
from recognizers.entities import EntityId

_B64 = r"[A-Za-z0-9+/=.]"
_CRYPT64 = r"[./A-Za-z0-9]"
_NOT_HEX_BEFORE = r"(?<![0-9A-Za-z$])"
_NOT_HEX_AFTER = r"(?![0-9A-Za-z])"
# A password value: printable ASCII except quotes and the separators & , ; (query strings, CSV).
_SECRET = r"[!#-%(-+\--:<-~]{4,128}"
# Words that name a secret. Written alone (password=), or as the last word of an identifier:
# DB_PASSWORD, mysql.root-password, clientSecret, AWS_SECRET_ACCESS_KEY.
_SECRET_WORDS = (
    r"password|passwd|passphrase|passcode|pwd|secret|secret[_-]?key|client[_-]?secret|api[_-]?key|apikey"
    r"|access[_-]?key|secret[_-]?access[_-]?key|access[_-]?token|auth[_-]?token|refresh[_-]?token|token"
    r"|private[_-]?key"
)
_SECRET_WORDS_CAMEL = r"Password|Passwd|Passphrase|Secret|SecretKey|ApiKey|AccessKey|AccessToken|AuthToken|Token"
_EN_LABEL = (
    rf"(?:(?<![A-Za-z0-9])(?i:{_SECRET_WORDS}|pin)|(?<=[A-Za-z0-9][_.-])(?i:{_SECRET_WORDS})"
    rf"|(?<=[a-z])(?:{_SECRET_WORDS_CAMEL}))"
)
_JA_LABEL = (
    r"(?:ログインパスワード|パスワード|暗証番号|パスコード|PW|APIキー|アクセスキー|シークレットキー|アクセストークン"
    r"|認証トークン|秘密鍵)"
)
_TOKEN_BEFORE = r"(?<![A-Za-z0-9_-])"
_TOKEN_AFTER = r"(?![A-Za-z0-9_-])"
# RFC 6750 b64token.
_B64TOKEN = r"[A-Za-z0-9._~+/-]{16,4096}=*"

# Published key formats: pattern name → regex. Each names its issuer's documented prefix and length.
API_KEY_FORMATS: dict[str, str] = {
    # OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-) and Anthropic (sk-ant-…): a random tail of 20+.
    "openai_anthropic_key": rf"{_TOKEN_BEFORE}sk-(?:proj-|svcacct-|admin-|ant-[a-z0-9]{{2,8}}-)?[A-Za-z0-9_-]{{20,256}}{_TOKEN_AFTER}",
    "github_token": rf"{_TOKEN_BEFORE}(?:gh[pousr]_[A-Za-z0-9]{{36}}|github_pat_[A-Za-z0-9_]{{82}}){_TOKEN_AFTER}",
    "slack_token": rf"{_TOKEN_BEFORE}xox[abposre]-[0-9]{{8,14}}-[A-Za-z0-9-]{{8,256}}{_TOKEN_AFTER}",
    "aws_access_key_id": r"(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])",
    "google_api_key": rf"{_TOKEN_BEFORE}AIza[0-9A-Za-z_-]{{35}}{_TOKEN_AFTER}",
    "stripe_key": rf"{_TOKEN_BEFORE}(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{{10,247}}{_TOKEN_AFTER}",
}
# Keys whose random tail the issuer draws from mixed-case letters and digits: a tail without all
# three (sk-hynix-annual-report, sk-learn-tutorial-notebook) is a slug, not a key.
MIXED_CASE_FORMATS = frozenset({"openai_anthropic_key", "google_api_key", "stripe_key"})
_KEY_PREFIX = re.compile(r"\A(?:sk-(?:proj-|svcacct-|admin-|ant-[a-z0-9]{2,8}-)?|AIza|(?:sk|rk)_(?:live|test|prod)_)")

_PLACEHOLDER = re.compile(
    r"[*xX•●・#.\-_]+|\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|<[^>]*>|\{\{[^}]*\}\}|%\([^)]*\)s|%[A-Z_]+%"
    r"|(?i:null|none|nil|undefined|empty|redacted|masked|hidden|secret|password|required|optional|string|xxx+)"
)


def is_placeholder(value: str) -> bool:
    """``********``, ``${DB_PASSWORD}``, ``<your-api-key>``, ``null``: where a secret would go, not one."""
    return _PLACEHOLDER.fullmatch(value.strip("\"'「」")) is not None


def has_mixed_alphabet(token: str) -> bool:
    """Upper case, lower case and digits all present (true of ~99.8 % of random base-62 tails of 36)."""
    return any(c.isupper() for c in token) and any(c.islower() for c in token) and any(c.isdigit() for c in token)


class PasswordRecognizer(JapanesePatternRecognizer):
    """Password hashes, labelled plain-text passwords and secrets, API keys, bearer tokens, private keys."""

    ENTITY: ClassVar[EntityId] = "PASSWORD"
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
        Pattern("labelled_en", rf"(?<={_EN_LABEL}[\"']?\s{{0,3}}[=:]\s{{0,3}}[\"']?){_SECRET}", 0.75),
        Pattern("labelled_ja", rf"(?<={_JA_LABEL}\s{{0,3}}(?:は|[:=])\s{{0,3}}[\"'「]?){_SECRET}", 0.75),
        *(Pattern(name, regex, 0.9) for name, regex in API_KEY_FORMATS.items()),
        # JWT: base64url JSON header and payload (both start {" → eyJ), then the signature.
        Pattern(
            "jwt",
            rf"{_TOKEN_BEFORE}eyJ[A-Za-z0-9_-]{{8,4096}}\.eyJ[A-Za-z0-9_-]{{8,8192}}\.[A-Za-z0-9_-]{{0,1024}}{_TOKEN_AFTER}",
            0.85,
        ),
        Pattern("bearer_token", rf"(?<=(?<![A-Za-z])(?i:bearer)[ \t]{{1,3}}){_B64TOKEN}", 0.85),
        Pattern(
            "basic_credentials",
            r"(?<=(?i:authorization)[\"']?\s{0,3}[:=]\s{0,3}[\"']?(?i:basic)[ \t]{1,3})[A-Za-z0-9+/]{8,4096}=*",
            0.85,
        ),
        # scheme://user:<password>@host: only the password.
        Pattern(
            "url_password",
            r"(?<=(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s:/@]{1,64}:)[^\s:/@]{1,128}(?=@[A-Za-z0-9])",
            0.8,
        ),
        # PEM private keys (PKCS#1 RSA, EC, DSA, OpenSSH, PKCS#8, encrypted PKCS#8, PGP): the whole block.
        Pattern(
            "pem_private_key",
            r"-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----"
            r"(?:[A-Za-z0-9+/=\s\\:,.-]{0,16384}?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----)?",
            0.95,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "パスワード", "暗証番号", "password", "passwd", "hash", "ハッシュ", "secret", "token", "api key", "apikey",
    )
    # The patterns' own anchors, each with what must follow it (a label its '=' or ':', a key prefix its
    # body), so that words such as "token", "task-" or "ASIA" in ordinary text skip the recognizer.
    PREFILTER: ClassVar[str | None] = (
        r"\$2[abxy]?\$|\$argon2|\$[156y]\$|pbkdf2_sha[0-9]*\$|(?:bcrypt_sha256|bcrypt|scrypt|argon2|sha1|md5)\$|\{[A-Za-z0-9\-]+\}"
        r"|[0-9A-Fa-f]{32}"
        r"|(?i:password|passwd|passphrase|passcode|pwd|pin|secret|secret[_-]?key|api[_-]?key|apikey|access[_-]?key"
        r"|token|private[_-]?key)[\"']?\s{0,3}[=:]"
        r"|(?:ログインパスワード|パスワード|暗証番号|パスコード|PW|APIキー|アクセスキー|シークレットキー|アクセストークン"
        r"|認証トークン|秘密鍵)\s{0,3}(?:は|[:=])"
        r"|sk-[A-Za-z0-9_-]{20}|(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82}"
        r"|xox[abposre]-[0-9]{8}|(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}|AIza[0-9A-Za-z_-]{35}"
        r"|eyJ[A-Za-z0-9_-]{8,}[.]eyJ|(?i:bearer)[ \t]|(?i:basic)[ \t]|PRIVATE KEY|://[^\s:/@]+:[^\s:/@]+@"
    )

    def validate_result(self, pattern_text: str) -> bool | None:
        # An all-decimal "digest" is a long number (an account or order number), not a hash.
        if len(pattern_text) >= 32 and pattern_text.isdigit():
            return False
        return None

    def invalidate_result(self, pattern_text: str) -> bool | None:
        # Where a secret would be written, not a secret (password: ********, API_KEY=${API_KEY}).
        return is_placeholder(pattern_text)

    def _pattern_result(self, pattern: Pattern, flags: int, text: str, start: int, end: int) -> RecognizerResult | None:
        if pattern.name in MIXED_CASE_FORMATS and not has_mixed_alphabet(_KEY_PREFIX.sub("", text[start:end], count=1)):
            return None
        return super()._pattern_result(pattern, flags, text, start, end)
