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
