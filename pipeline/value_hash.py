"""Stable 64-bit hashes of strings, computed over Arrow's buffers with NumPy: no Python object per value.

Sketches, hash samples and distinct counts (pipeline/profile_model.py, pipeline/detect.py) are bottom-k by
this hash, so it must be the same in every process, run and machine, spread values uniformly over 64 bits,
and not collide on values that differ in a character or two (DuckDB's ``hash()``, tried for speed, gave 615
collisions in 65,536 addresses of one street). It is defined here, not borrowed from a library version.

Each value is read as little-endian 64-bit words, zero-padded after its last byte. Word ``j`` (from 0)
contributes ``fmix64(word * C1 + (j + 1) * C2)`` (MurmurHash3's 64-bit finaliser), the contributions are
summed modulo 2**64, and the sum is finalised with the value's byte length: ``fmix64(sum ^ (length + 1) * C3)``.
Every step is a NumPy operation over many values at once (``BLOCK_VALUES`` of them): word ``j`` of every
value, then the rest of the long values in chunks; a value's words can be summed in any grouping, which bounds memory
(``WORDS_PER_CHUNK``) however long a single value is. It is not a
cryptographic hash: someone who chooses the values can make two collide; an unlucky collision only merges
two values in a sample.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

C1 = np.uint64(0x87C37B91114253D5)
C2 = np.uint64(0x4CF5AD432745937F)
C3 = np.uint64(0x9E3779B97F4A7C15)
_F1 = np.uint64(0xFF51AFD7ED558CCD)
_F2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
# Bytes kept of a word that holds ``n`` (0..8) of the value's bytes: the rest is zero padding.
_KEEP = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
# Words read one position at a time across all values (values up to 256 bytes: nearly every cell).
SHORT_WORDS = 32
# Words hashed per NumPy pass (32 MiB of words): memory stays bounded whatever the values' lengths.
WORDS_PER_CHUNK = 1 << 22
# Values hashed together: each word pass makes a few temporaries of one uint64 per value, and at 64Ki
# values (512 KiB each) they stay in a core's cache instead of streaming through memory (700,000
# addresses: 0.085 s in blocks against 0.129 s at once), which also leaves two workers on one memory
# bus less to share.
BLOCK_VALUES = 1 << 16


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: every input bit flips each output bit with probability about 1/2.
    One new array, updated in place: fewer passes over memory than an array per step."""
    out = h >> _S33
    out ^= h
    out *= _F1
    out ^= out >> _S33
    out *= _F2
    out ^= out >> _S33
    return out


def stable_hashes(values: list[str] | pa.Array) -> np.ndarray:
    """The 64-bit hash of every string (UTF-8 bytes), in order; a null hashes as the empty string."""
    array = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = array.cast(pa.string())
    if len(array) <= BLOCK_VALUES:
        return _block_hashes(array)
    return np.concatenate([_block_hashes(array.slice(lo, BLOCK_VALUES)) for lo in range(0, len(array), BLOCK_VALUES)])


def _block_hashes(array: pa.Array) -> np.ndarray:
    if len(array) == 0:
        return np.empty(0, dtype=np.uint64)
    offset_type = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=offset_type)[
        array.offset : array.offset + len(array) + 1
    ]
    offsets = offsets.astype(np.int64)
    lengths = np.diff(offsets)
    if array.null_count:
        lengths[np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=bool)] = 0
    first, last = int(offsets[0]), int(offsets[-1])
    data = array.buffers()[2]
    padded = np.zeros(last - first + 8, dtype=np.uint8)  # 8 zero bytes: a word can be read at any byte
    if data is not None and last > first:
        padded[: last - first] = np.frombuffer(data, dtype=np.uint8)[first:last]
    # an unaligned little-endian 8-byte load at every byte position (a view, nothing copied)
    words = np.ndarray(shape=(len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
    sums = _word_sums(words, offsets[:-1] - first, lengths)
    with np.errstate(over="ignore"):
        return fmix64(sums ^ ((lengths + 1).astype(np.uint64) * C3))


def _contribution(
    words: np.ndarray, starts: np.ndarray, lengths: np.ndarray, index: np.ndarray | int, first_word: int = 0
) -> np.ndarray:
    """Word ``index`` (counted from ``first_word``) of each value, zero-padded past its end, as it adds to
    the value's sum: ``fmix64(word * C1 + (j + 1) * C2)`` with j its place in the whole value."""
    word = words[starts + 8 * index]
    word &= _KEEP[np.clip(lengths - 8 * index, 0, 8)]
    word *= C1
    word += np.asarray(index + first_word + 1, dtype=np.uint64) * C2
    return fmix64(word)


def _word_sums(words: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each value's sum of word contributions: word by word over all values for the first SHORT_WORDS words
    (most values end there), then the words of longer values in bounded chunks."""
    counts = (lengths + 7) >> 3
    sums = np.zeros(len(lengths), dtype=np.uint64)
    for index in range(min(SHORT_WORDS, int(counts.max()))):
        rows = np.flatnonzero(counts > index)
        if len(rows) == len(counts):
            rows = slice(None)  # type: ignore[assignment]  # every value still has this word: no gather
        with np.errstate(over="ignore"):
            sums[rows] += _contribution(words, starts[rows], lengths[rows], index)
    longer = np.flatnonzero(counts > SHORT_WORDS)
    if len(longer):
        skip = 8 * SHORT_WORDS
        with np.errstate(over="ignore"):
            sums[longer] += _chunked_sums(words, starts[longer] + skip, lengths[longer] - skip, SHORT_WORDS)
    return sums


def _chunked_sums(words: np.ndarray, starts: np.ndarray, lengths: np.ndarray, first_word: int) -> np.ndarray:
    """Word sums of long values (their words from ``first_word`` on), WORDS_PER_CHUNK words per pass; a value
    may span passes (its words are summed in any grouping)."""
    counts = (lengths + 7) >> 3
    ends = np.cumsum(counts)
    begins = ends - counts
    total = int(ends[-1])
    sums = np.zeros(len(lengths), dtype=np.uint64)
    for lo in range(0, total, WORDS_PER_CHUNK):
        hi = min(total, lo + WORDS_PER_CHUNK)
        first = int(np.searchsorted(ends, lo, side="right"))
        stop = min(len(lengths), int(np.searchsorted(ends, hi, side="left")) + 1)
        spans = np.minimum(ends[first:stop], hi) - np.maximum(begins[first:stop], lo)
        value = np.repeat(np.arange(first, stop), spans)
        index = np.arange(lo, hi) - begins[value]  # the word's place in the rest of its value
        with np.errstate(over="ignore"):
            contribution = _contribution(words, starts[value], lengths[value], index, first_word)
            segments = np.flatnonzero(spans)
            heads = np.concatenate([[0], np.cumsum(spans[segments])[:-1]])
            sums[first + segments] += np.add.reduceat(contribution, heads)
    return sums
