"""Every recognizer's PREFILTER in one multi-pattern pass (Hyperscan/Vectorscan).

The reference path (``detect.prefilter_mask``) runs one RE2 pass per recognizer over every distinct value.
Here all prefilters are compiled once per process into one Hyperscan database, and the column's values are
scanned over their Arrow bytes joined by newlines (no Python string per value), in blocks of BLOCK_VALUES
values with one report per pattern and block: Python sees a few events per block, never one per value.

Hyperscan's syntax and the joined buffer are not RE2 on single values, so the pass is used as a superset:

- ``\\A``/``\\z``/``^``/``$`` become multiline ``^``/``$``, which also hold at each value's edges
  (and, more loosely, at newlines inside a value);
- Unicode mode (UCP) makes ``\\s``, ``\\d``, ``\\w`` and caseless matching at least as wide as RE2's;
- a match that runs across the separator marks a value that RE2 might not accept.

The values of every block where a pattern was reported are then confirmed by the recognizer's own RE2
prefilter, run only over those blocks (over the whole column when the pattern is in every block), so the result equals the reference exactly (tests/pipeline/test_prefilter_multi.py).
A prefilter Hyperscan cannot compile, even approximately (``HS_FLAG_PREFILTER``), keeps the reference path.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import cast

import hyperscan
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# UTF-8 with Unicode classes and caseless matching (at least as wide as RE2's), multiline anchors (see the
# module docstring), and one report per pattern per scanned block.
_BASE_FLAGS = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_SINGLEMATCH
# Values per scanned block: a pattern found in a block sends the block's values to RE2 for the exact answer.
BLOCK_VALUES = 256

# RE2 text anchors → multiline anchors (a superset at value edges inside the joined buffer). Escaped
# backslashes (\\A) are left alone.
_TEXT_ANCHOR = re.compile(r"(?<!\\)((?:\\\\)*)\\([Az])")


def _hyperscan_syntax(pattern: str) -> str:
    return _TEXT_ANCHOR.sub(lambda m: m.group(1) + ("^" if m.group(2) == "A" else "$"), pattern)


def reference_mask(norm: pa.Array, prefilter: str | None) -> np.ndarray:
    """Which values the RE2 prefilter accepts (every value when there is none): the exact definition."""
    if not prefilter:
        return np.ones(len(norm), dtype=bool)
    matched = pc.match_substring_regex(norm, prefilter).fill_null(False)
    return np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)


@dataclass(frozen=True)
class MultiPrefilter:
    """One compiled database for a fixed list of prefilters (None = accepts everything)."""

    prefilters: tuple[str | None, ...]
    database: hyperscan.Database | None  # over the prefilters it could compile
    compiled: tuple[int, ...]  # indices into ``prefilters`` that the database covers

    def masks(
        self, norm: pa.Array, block: int = BLOCK_VALUES, select: Sequence[int] | None = None
    ) -> list[np.ndarray]:
        """One boolean mask over ``norm`` per prefilter (only those at ``select``, in that order), equal to
        :func:`reference_mask` for each."""
        size = len(norm)
        chosen = range(len(self.prefilters)) if select is None else select
        hit_blocks: dict[int, np.ndarray] = {}
        if self.database is not None and size:
            hit_blocks = _scan_blocks(self.database, norm, block)
        return [self._mask(norm, index, hit_blocks, block) for index in chosen]

    def _mask(self, norm: pa.Array, index: int, hit_blocks: dict[int, np.ndarray], block: int) -> np.ndarray:
        prefilter, size = self.prefilters[index], len(norm)
        if index not in self.pattern_ids or not size:
            return reference_mask(norm, prefilter)
        blocks = hit_blocks.get(self.pattern_ids[index])
        if blocks is None:
            return np.zeros(size, dtype=bool)
        if len(blocks) * block >= size:
            return reference_mask(norm, prefilter)
        candidates = (blocks[:, None] * block + np.arange(block)).ravel()
        candidates = candidates[candidates < size]
        mask = np.zeros(size, dtype=bool)
        mask[candidates] = reference_mask(norm.take(pa.array(candidates)), prefilter)
        return mask

    def supersets(self, norm: pa.Array, block: int = BLOCK_VALUES) -> list[np.ndarray | None]:
        """Per prefilter, the values of every block where Hyperscan reported it (a superset of the
        reference's candidates, before RE2 confirms them); None for a prefilter the database does not
        cover (only the reference can answer for it)."""
        size = len(norm)
        hit_blocks = _scan_blocks(self.database, norm, block) if self.database is not None and size else {}
        out: list[np.ndarray | None] = []
        for index in range(len(self.prefilters)):
            if not self.prefilters[index]:
                out.append(np.ones(size, dtype=bool))
                continue
            if index not in self.pattern_ids:
                out.append(None)
                continue
            blocks = hit_blocks.get(self.pattern_ids[index])
            superset = np.zeros(-(-size // block) if size else 0, dtype=bool)
            if blocks is not None:
                superset[blocks] = True
            out.append(np.repeat(superset, block)[:size])
        return out

    @cached_property
    def pattern_ids(self) -> dict[int, int]:
        """Prefilter index → its id in the database (built once: masks ask for it per value block)."""
        return {index: pattern_id for pattern_id, index in enumerate(self.compiled)}


def _scan_blocks(database: hyperscan.Database, norm: pa.Array, block: int) -> dict[int, np.ndarray]:
    """Pattern id → the blocks (``block`` consecutive values each) in which Hyperscan found it.

    Each pattern reports at most once per block (HS_FLAG_SINGLEMATCH), so Python sees a few events per
    block, never one per value or per match."""
    text = norm.cast(pa.string()) if norm.type != pa.string() else norm
    # value + "\n" for every value, in one Arrow buffer; nulls become empty strings
    joined = pc.binary_join_element_wise(text.fill_null(""), "", "\n")
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32)[joined.offset : joined.offset + len(joined) + 1]
    data = joined.buffers()[2]
    if data is None:
        return {}
    payload = memoryview(data)  # Arrow's buffer itself: each block is a slice of it, nothing copied
    edges = offsets[np.r_[0 : len(norm) : block, len(norm)]].tolist()
    ids: list[int] = []
    blocks: list[int] = []

    def on_match(pattern_id: int, _from: int, _to: int, _flags: int, index: object) -> None:
        ids.append(pattern_id)
        blocks.append(index)  # type: ignore[arg-type]  # the block number passed as context below

    scratch = hyperscan.Scratch(database)
    for index, (start, stop) in enumerate(itertools.pairwise(edges)):
        # any buffer is scanned in place; the package's stubs name only str and bytes
        block_bytes = cast(bytes, payload[start:stop])
        database.scan(block_bytes, match_event_handler=on_match, context=index, scratch=scratch)
    if not ids:
        return {}
    id_array = np.asarray(ids, dtype=np.int64)
    block_array = np.asarray(blocks, dtype=np.int64)
    order = np.lexsort((block_array, id_array))
    id_array, block_array = id_array[order], block_array[order]
    # Sorted by (id, block), so a repeated pair is adjacent: drop it without np.unique, whose hash-table path
    # (numpy >= 2.3) costs several times a sort on these arrays.
    first = np.r_[True, (id_array[1:] != id_array[:-1]) | (block_array[1:] != block_array[:-1])]
    id_array, block_array = id_array[first], block_array[first]
    bounds = np.searchsorted(id_array, np.arange(int(id_array.max()) + 2))
    return {p: block_array[bounds[p] : bounds[p + 1]] for p in range(len(bounds) - 1) if bounds[p + 1] > bounds[p]}


@lru_cache(maxsize=256)
def multi_prefilter(prefilters: tuple[str | None, ...]) -> MultiPrefilter:
    """The database for these prefilters, compiled once per process (workers each build their own)."""
    given = [(i, _hyperscan_syntax(p).encode("utf-8")) for i, p in enumerate(prefilters) if p]
    # usually every prefilter compiles as it is: one compilation; otherwise find which need the approximate
    # (HS_FLAG_PREFILTER) form and which none
    chosen = [(i, expression, _BASE_FLAGS) for i, expression in given]
    database = _compile(chosen)
    if database is None:
        chosen = []
        for index, expression in given:
            for flags in (_BASE_FLAGS, _BASE_FLAGS | hyperscan.HS_FLAG_PREFILTER):
                if _compile([(index, expression, flags)]) is not None:
                    chosen.append((index, expression, flags))
                    break
        database = _compile(chosen)
    if database is None:
        return MultiPrefilter(prefilters, None, ())
    return MultiPrefilter(prefilters, database, tuple(index for index, _, _ in chosen))


def _compile(patterns: list[tuple[int, bytes, int]]) -> hyperscan.Database | None:
    """A block-mode database of (index, expression, flags), pattern ids in list order; None if any fails."""
    if not patterns:
        return None
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(
            expressions=[expression for _, expression, _ in patterns],
            ids=list(range(len(patterns))),
            flags=[flags for _, _, flags in patterns],
        )
    except hyperscan.error:
        return None
    return database
