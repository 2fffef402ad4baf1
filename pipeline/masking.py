"""Masking: the only form in which a scanned value may leave the process."""

from __future__ import annotations

MAX_EXAMPLE_CHARS = 40


def mask_value(text: str) -> str:
    """Keep the layout (separators, '@', '.'), reveal at most the first quarter of the letters/digits (≤ 3)."""
    clipped = text[:MAX_EXAMPLE_CHARS]
    chars = list(clipped)
    significant = [i for i, ch in enumerate(chars) if ch.isalnum()]
    keep = min(3, len(significant) // 4)
    for index in significant[keep:]:
        chars[index] = "*"
    masked = "".join(chars)
    return masked + ("…" if len(text) > MAX_EXAMPLE_CHARS else "")
