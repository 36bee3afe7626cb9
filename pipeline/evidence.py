"""Where a claim sits in its abstract: the sentence that holds it, for evidence a reader can check.

The claims table will carry each claim's sentence offsets (`sentence_start`, `sentence_end`);
until it does, and for tables stored before, the sentence is found here from the raw abstract.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import pandas as pd

_SENTENCE_END_RE = re.compile(r"[.!?](?=\s+[A-Z0-9(\[$\\])")
# a period after these ends no sentence: "vs. 23.41", "e.g. CIFAR", "Fig. 3", an initial "J. Smith"
_ABBREVIATION_RE = re.compile(r"(?i)(?:\b(?:vs|e\.g|i\.e|cf|al|fig|figs|eq|sec|approx|resp|no|ca)|\b[A-Z])$")


@lru_cache(maxsize=4096)
def sentence_ends(abstract: str) -> tuple[int, ...]:
    """Offsets just after each sentence-ending mark, in order (cached: a paper has many claims)."""
    return tuple(m.end() for m in _SENTENCE_END_RE.finditer(abstract)
                 if not _ABBREVIATION_RE.search(abstract, max(0, m.start() - 8), m.start()))


def sentence_bounds(abstract: str, start: int, end: int, sentence_start: object = None,
                    sentence_end: object = None) -> tuple[int, int]:
    """The offsets of the sentence holding abstract[start:end].

    The claims table's own sentence offsets when it has them; otherwise the nearest sentence end
    (a period, ? or ! before a capital, a digit or a bracket, not after an abbreviation) on either side.
    """
    if sentence_start is not None and not pd.isna(sentence_start) and not pd.isna(sentence_end):
        return int(sentence_start), int(sentence_end)
    ends = sentence_ends(abstract)
    lo = ends[bisect.bisect_right(ends, start) - 1] if ends and ends[0] <= start else 0
    after = bisect.bisect_left(ends, end)
    hi = ends[after] if after < len(ends) else len(abstract)
    while lo < hi and abstract[lo].isspace():
        lo += 1
    return lo, hi
