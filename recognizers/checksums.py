"""Check-digit algorithms for identifier codes, as pure functions on ASCII digit strings.

Sources are in /work/shared/notes/japan.md §1 (each algorithm verified there on public examples).
Every ``is_valid_*`` function returns False (never raises) for input of the wrong length or with
non-digit characters, so recognizers can call it on any regex match. The ``*_check_digit``
functions raise ``ValueError`` on bad input; the message never repeats the input, because the
input may be a scanned value.

About one random string in ten passes any of these checks (japan.md: My Number 9.9%, corporate
number 11.2%, licence 10.0%), so a passing check digit is strong evidence only together with
structure or context.
"""

from __future__ import annotations

from collections.abc import Sequence


def _digits(value: str, length: int | None = None) -> list[int]:
    """The digits of ``value``; ValueError if it is not ASCII digits (of ``length``, if given)."""
    if not (value.isascii() and value.isdigit()):
        raise ValueError("expected ASCII digits only")
    if length is not None and len(value) != length:
        raise ValueError(f"expected {length} digits, got {len(value)}")
    return [ord(ch) - 48 for ch in value]


def _is_digits(value: str, lengths: Sequence[int]) -> bool:
    return value.isascii() and value.isdigit() and len(value) in lengths


# --- My Number (個人番号): 総務省令 第5条, mod 11 ------------------------------------------------


def my_number_check_digit(first11: str) -> int:
    """Check digit of a My Number from its first 11 digits.

    Pn is the n-th digit counted from the lowest (right-most) of the 11; Qn = n+1 for n <= 6,
    n-5 for n >= 7. CD = 11 - (sum Pn*Qn mod 11), or 0 when the remainder is 0 or 1.
    """
    digits = _digits(first11, 11)
    total = sum(digits[-n] * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_my_number(number: str) -> bool:
    """True when ``number`` is 12 digits whose last digit is the My Number check digit."""
    if not _is_digits(number, (12,)):
        return False
    return my_number_check_digit(number[:11]) == int(number[11])


# --- Corporate Number (法人番号): 財務省令 第2条, mod 9, check digit FIRST ----------------------


def corporate_number_check_digit(base12: str) -> int:
    """Check digit (1-9) of a corporate number from the 12 digits that follow it.

    Qn = 1 for odd n, 2 for even n, n counted from the lowest digit; CD = 9 - (sum mod 9).
    """
    digits = _digits(base12, 12)
    total = sum(digits[-n] * (1 if n % 2 else 2) for n in range(1, 13))
    return 9 - total % 9


def is_valid_corporate_number(number: str) -> bool:
    """True when ``number`` is 13 digits whose FIRST digit is the corporate-number check digit."""
    if not _is_digits(number, (13,)):
        return False
    return corporate_number_check_digit(number[1:]) == int(number[0])


# --- Driver's licence (運転免許証番号): unofficial mod 11 rule -----------------------------------

_LICENSE_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def driver_license_check_digit(first10: str) -> int:
    """The unofficial check digit (11th digit) of a licence number from its first 10 digits.

    (11 - sum(d*w) mod 11) mod 10 with weights 5,4,3,2,7,6,5,4,3,2. Not published by the NPA,
    so a failure lowers confidence rather than disproving the number.
    """
    digits = _digits(first10, 10)
    total = sum(d * w for d, w in zip(digits, _LICENSE_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_driver_license(number: str) -> bool:
    """True when ``number`` is 12 digits whose 11th digit matches the unofficial check digit."""
    if not _is_digits(number, (12,)):
        return False
    return driver_license_check_digit(number[:10]) == int(number[10])


# --- Luhn (credit cards, 健康保険 保険者番号) ---------------------------------------------------


def luhn_check_digit(payload: str) -> int:
    """The Luhn digit to append to ``payload``."""
    digits = _digits(payload)
    total = 0
    # Once the check digit is appended, the right-most payload digit sits at an even position.
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def is_valid_luhn(number: str) -> bool:
    """True when ``number`` (at least 2 ASCII digits) passes the Luhn check."""
    if not (number.isascii() and number.isdigit() and len(number) >= 2):
        return False
    return luhn_check_digit(number[:-1]) == int(number[-1])


# --- GS1 mod 10 (JAN / EAN-13, EAN-8, UPC-A) ---------------------------------------------------


def gs1_check_digit(payload: str) -> int:
    """The GS1 check digit for ``payload``: weights 3,1,3,… from the right-most payload digit."""
    digits = _digits(payload)
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def is_valid_gs1(number: str) -> bool:
    """True when ``number`` is an 8-, 12-, 13- or 14-digit GTIN with a correct check digit."""
    if not _is_digits(number, (8, 12, 13, 14)):
        return False
    return gs1_check_digit(number[:-1]) == int(number[-1])


# --- ICAO 9303 machine-readable zone (passport) ------------------------------------------------

_MRZ_WEIGHTS = (7, 3, 1)


def _mrz_value(ch: str) -> int:
    if "0" <= ch <= "9":
        return ord(ch) - 48
    if ch == "<":
        return 0
    if "A" <= ch <= "Z":
        return ord(ch) - 55
    raise ValueError("MRZ fields hold only 0-9, A-Z and '<'")


def mrz_check_digit(field: str) -> int:
    """ICAO 9303 7-3-1 check digit of an MRZ field (digits, A-Z as 10-35, '<' as 0)."""
    return sum(_mrz_value(ch) * _MRZ_WEIGHTS[i % 3] for i, ch in enumerate(field)) % 10


def is_valid_mrz_field(field_with_check: str) -> bool:
    """True when the last character of ``field_with_check`` is the MRZ check digit of the rest."""
    if len(field_with_check) < 2 or not ("0" <= field_with_check[-1] <= "9"):
        return False
    try:
        return mrz_check_digit(field_with_check[:-1]) == int(field_with_check[-1])
    except ValueError:
        return False
