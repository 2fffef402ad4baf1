"""Masking: the only form in which a scanned value may leave the process."""

from __future__ import annotations

MAX_EXAMPLE_CHARS = 40
# Separators that show a value's layout (a phone's hyphens, an e-mail's '@' and '.'): kept as they are.
# Every other character, symbols included, is part of the value and may be hidden.
LAYOUT_SEPARATORS = frozenset(" \u3000-‐－―@.．/:：_・()（）,，、")
# Below this many letters and digits the layout says too much (a password of symbols, "-@-"): all hidden.
MIN_SIGNIFICANT_FOR_LAYOUT = 4


def mask_value(text: str) -> str:
    """Keep the layout (separators, '@', '.'), reveal at most the first quarter of the letters/digits (≤ 3).

    Symbols outside the layout separators are hidden like letters, and a value with fewer than
    MIN_SIGNIFICANT_FOR_LAYOUT letters or digits is hidden whole (spaces aside), so a password made of
    symbols never shows."""
    clipped = text[:MAX_EXAMPLE_CHARS]
    chars = list(clipped)
    letters_digits = [i for i, ch in enumerate(chars) if ch.isalnum()]
    if len(letters_digits) < MIN_SIGNIFICANT_FOR_LAYOUT:
        hidden = [i for i, ch in enumerate(chars) if not ch.isspace()]
        keep = 0
    else:
        hidden = [i for i, ch in enumerate(chars) if ch not in LAYOUT_SEPARATORS and not ch.isspace()]
        keep = min(3, len(letters_digits) // 4)
    revealed = set(letters_digits[:keep])
    for index in hidden:
        if index not in revealed:
            chars[index] = "*"
    masked = "".join(chars)
    return masked + ("…" if len(text) > MAX_EXAMPLE_CHARS else "")
