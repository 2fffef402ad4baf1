import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.generic.password import PasswordRecognizer
from tests.recognizers import support

REC = PasswordRecognizer()

BCRYPT = "$2b$12$KIXQJzB9D6Zr9r8nE7lM8uVYQ3xQm5y2b1y2Jw7r9m3n5tWq1eYxa"
ARGON2 = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
PBKDF2 = "pbkdf2_sha256$600000$salt123$abcDEF123+/="
SSHA = "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="
SHA512_CRYPT = "$6$rounds=5000$saltsalt$" + "a" * 86
MD5_HEX = hashlib.md5(b"x").hexdigest()
SHA256_HEX_UPPER = hashlib.sha256(b"x").hexdigest().upper()


def found(text: str) -> list[tuple[str, float]]:
    return support.found(REC, text)


def prefilter_hits(text: str) -> bool:
    return support.passes_prefilter(REC, text)


@pytest.mark.parametrize(
    ("text", "expected", "low", "high"),
    [
        (BCRYPT, BCRYPT, 0.9, 1.0),
        (ARGON2, ARGON2, 0.9, 1.0),
        (PBKDF2, PBKDF2, 0.85, 1.0),
        (SSHA, SSHA, 0.85, 1.0),
        (SHA512_CRYPT, SHA512_CRYPT, 0.85, 1.0),
        (MD5_HEX, MD5_HEX, 0.1, 0.3),  # also a checksum: the column name decides
        (SHA256_HEX_UPPER, SHA256_HEX_UPPER, 0.1, 0.3),
        ("password=Secr3t!x&user=a", "Secr3t!x", 0.7, 1.0),
        ("パスワードはabc12345です", "abc12345", 0.7, 1.0),
        ("パスワード：ｈｕｎｔｅｒ２", "ｈｕｎｔｅｒ２", 0.7, 1.0),
        ("暗証番号: 1234", "1234", 0.7, 1.0),
        ("PIN: 0000", "0000", 0.7, 1.0),
    ],
)
def test_password_table(text: str, expected: str, low: float, high: float) -> None:
    [(span, score)] = found(text)
    assert span == expected
    assert low <= score <= high
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "1" * 32,  # a long number, not a digest
        MD5_HEX[:31],
        "パスワードを変更しました",
        "パスワード：未設定",
        "spinning=1234",
        "$1.50 price",
        "version 1.2.3",
        "SKU-12345",
        "6D92078A-8246-4BA4-AE5B-76104861E7DC",
    ],
)
def test_password_decoys(text: str) -> None:
    assert found(text) == []


@given(st.binary(min_size=1, max_size=64), st.sampled_from(["md5", "sha1", "sha256", "sha512"]))
def test_every_hex_digest_is_a_low_score_candidate(data: bytes, algorithm: str) -> None:
    digest = hashlib.new(algorithm, data).hexdigest()
    results = found(f"hash値 {digest} です")
    if digest.isdigit():
        assert results == []
    else:
        assert [span for span, _ in results] == [digest]
        assert all(score < 0.6 for _, score in results)


# --- plaintext secrets and API tokens (issue #11, kind 9) ---------------------------------------

# Fake keys in the issuers' published formats (AWS's is the one its documentation uses).
OPENAI_LEGACY = "sk-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l"
OPENAI_PROJECT = "sk-proj-" + "Q2w3E4r5T6y7U8i9O0pAsDfGhJkL_zXcVbNm-1a2S3d4F5g6H7j8K9l0"
ANTHROPIC = "sk-ant-api03-" + "Zx8Cv7Bn6Mq5Wr4Et3Yu2Io1Pa9Sd8Fg7Hj6Kl5" * 2
GITHUB_PAT = "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF3hJ5"
GITHUB_OAUTH = "gho_" + "Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8"
GITHUB_FINE = "github_pat_" + "11ABCDEFG0a1B2c3D4e5F6" + "_" + "a1B2c3D4e5" * 5 + "F6g7H8i9J"
SLACK_BOT = "xoxb-" + "2636542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD"
SLACK_USER = "xoxp-" + "41684372915-1320496754-45609968301-e708ba56e1517a99f6b5fb07349476ef"
AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
GOOGLE_KEY = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
STRIPE_LIVE = "sk_live_" + "51Hq2eRtY7uI9oP0aSdF3gHjK4lZxC"
STRIPE_RESTRICTED = "rk_live_" + "51Hq2eRtY7uI9oP0aSdF3gHjK4lZxC"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM\nkRPw5t9q==\n-----END RSA PRIVATE KEY-----"


@pytest.mark.parametrize(
    ("text", "expected", "low", "high"),
    [
        # key=value and label forms, Japanese and English
        ("DB_PASSWORD=hunter2x", "hunter2x", 0.7, 1.0),
        ("MYSQL_ROOT_PASSWORD: s3cr3t!Pw", "s3cr3t!Pw", 0.7, 1.0),
        ("password: S3cret!", "S3cret!", 0.7, 1.0),
        ("spring.datasource.password=Tokyo2026!", "Tokyo2026!", 0.7, 1.0),
        ('{"dbPassword": "Kyoto#1994"}', "Kyoto#1994", 0.7, 1.0),
        ("client_secret=Zq8Lm3Np0Rs7", "Zq8Lm3Np0Rs7", 0.7, 1.0),
        ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 0.7, 1.0),
        ("api_key = abcd1234efgh", "abcd1234efgh", 0.7, 1.0),
        ("パスワード：abc123", "abc123", 0.7, 1.0),
        ("APIキー: Zq8Lm3Np0Rs7", "Zq8Lm3Np0Rs7", 0.7, 1.0),
        # API keys with published prefixes, alone (a column of keys) or in text
        (OPENAI_LEGACY, OPENAI_LEGACY, 0.85, 1.0),
        (OPENAI_PROJECT, OPENAI_PROJECT, 0.85, 1.0),
        (f"OPENAI_API_KEY={OPENAI_PROJECT}", OPENAI_PROJECT, 0.85, 1.0),
        (ANTHROPIC, ANTHROPIC, 0.85, 1.0),
        (GITHUB_PAT, GITHUB_PAT, 0.85, 1.0),
        (GITHUB_OAUTH, GITHUB_OAUTH, 0.85, 1.0),
        (GITHUB_FINE, GITHUB_FINE, 0.85, 1.0),
        (SLACK_BOT, SLACK_BOT, 0.85, 1.0),
        (SLACK_USER, SLACK_USER, 0.85, 1.0),
        (AWS_KEY_ID, AWS_KEY_ID, 0.85, 1.0),
        (f"aws_access_key_id {AWS_KEY_ID}", AWS_KEY_ID, 0.85, 1.0),
        (GOOGLE_KEY, GOOGLE_KEY, 0.85, 1.0),
        (STRIPE_LIVE, STRIPE_LIVE, 0.85, 1.0),
        (STRIPE_RESTRICTED, STRIPE_RESTRICTED, 0.85, 1.0),
        (f"トークン {JWT} を発行", JWT, 0.8, 1.0),
        (f"Authorization: Bearer {OPENAI_LEGACY[3:]}", OPENAI_LEGACY[3:], 0.8, 1.0),
        ("Authorization: Basic dGFybzpodW50ZXIyeA==", "dGFybzpodW50ZXIyeA==", 0.8, 1.0),
        ("postgres://app:Hunter2x9@db.example.jp:5432/shop", "Hunter2x9", 0.75, 1.0),
        (PEM, PEM, 0.9, 1.0),
        # a key exported into one CSV cell with escaped newlines: the whole block, so redaction removes it
        ("key=" + PEM.replace("\n", "\\n"), PEM.replace("\n", "\\n"), 0.9, 1.0),
        (f"Authorization: Bearer {JWT}", JWT, 0.8, 1.0),
        ("mysql://root:p%40ss@localhost/db", "p%40ss", 0.75, 1.0),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----", 0.9, 1.0),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----", "-----BEGIN PGP PRIVATE KEY BLOCK-----", 0.9, 1.0),
    ],
)
def test_credential_table(text: str, expected: str, low: float, high: float) -> None:
    results = found(text)
    assert [span for span, _ in results] == [expected]
    assert low <= results[0][1] <= high
    assert prefilter_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        # placeholders where a secret would be written
        "password: ********",
        "DB_PASSWORD=${DB_PASSWORD}",
        "api_key=<your-api-key>",
        "token: null",
        "パスワード：●●●●●●",
        # prefixes without a key's body, slugs and words that share a prefix
        "sk-hynix-annual-report-2024-final",
        "task-1234567890abcdefghij",
        "ghp_short",
        "xoxb-12345-abcd234",
        "AKIA1234",
        "AKIAIOSFODNN7EXAMPLE1234",  # too long for an access key id
        "sk_live_",
        "eyJhbGciOiJIUzI1NiJ9",  # a JWT header alone
        "Bearer of good news",
        "-----BEGIN CERTIFICATE-----",  # a certificate is public
        "-----BEGIN PUBLIC KEY-----",
        "https://example.jp/path@2x.png",
        "https://www.example.jp/a:b@c",  # a path, not user:password@host
        "mailto:taro@example.jp",
        # business text and numbers
        "パスワードを変更しました",
        "トークンの有効期限は30日です",
        "注文番号 1234-5678-9012",
        "1 234 567",
        "2026-01-25",
    ],
)
def test_credential_decoys(text: str) -> None:
    assert found(text) == []


def test_masked_examples_never_show_a_secret() -> None:
    from pipeline.masking import mask_value  # the only form in which a value leaves the process

    for secret in (OPENAI_PROJECT, GITHUB_PAT, AWS_KEY_ID, JWT, STRIPE_LIVE, "hunter2x"):
        masked = mask_value(secret)
        assert secret not in masked
        assert sum(ch.isalnum() for ch in masked) <= 3
