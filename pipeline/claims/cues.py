"""Cue words: the words next to a quantity that tell its kind ("faster", "fewer", "better"),
found after the quantity first, then before it, and shared by the claims of one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.claims import vocab as V
from pipeline.claims.context import BY_AMOUNT_RE
from pipeline.claims.coordinate import CUED_FORMS
from pipeline.claims.numbers import FACTOR_OF_RE, Quantity
from pipeline.claims.text import CLAUSE_END_RE, WORD_RE, Sentence

_QUANTIFIER_RE = re.compile(r"\s+than\b")
_OR_SO_RE = re.compile(r"\bor\s+$")  # "8.4% or less" bounds a value, it does not cut it
_COMPARATIVE_RE = re.compile(
    r"(?i)more|higher|better|greater|less|lower|fewer|smaller|faster|larger|superior|stronger|worse|slower|costlier"
)
GENERIC_COMPARISON_RE = re.compile(r"(?i)outperform\w*|surpass\w*|exceed\w*|beat(?:s|ing)?|superior|advantage")
_ASIDE_RE = re.compile(r"\s*\((?:absolute|relative|abs\.|rel\.|on average|avg\.?)\)", re.I)
_OBJECT_OF_CUT_RE = re.compile(rf"\b(?:{V.REDUCE_WORDS}|minimi[sz]\w*)\s+(?:[\w-]+\s+){{0,3}}$", re.I)


@dataclass(frozen=True)
class Cue:
    """A word that tells a quantity's kind ("faster", "fewer", "better"), and where it is."""

    kind: str
    start: int
    end: int
    word: str


@dataclass
class Cues:
    """Which cue words of a sentence are already spoken for, and the last one used per unit."""

    used: list[tuple[int, int]] = field(default_factory=list)
    last: dict[str, Cue] = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    """Where a coordinated group sits: its members share the words before and after it."""

    start: int
    end: int
    right_end: int


def right_phrase_end(s: Sentence, end: int, stop: int) -> int:
    """End of the few words after a quantity, up to the next quantity or a clause break; a short
    aside right after it is skipped ("a 32% (absolute) error reduction")."""
    aside = _ASIDE_RE.match(s.text, end)
    if aside and aside.end() < stop:
        end = aside.end()
    limit = min(stop, s.hi)
    brk = CLAUSE_END_RE.search(s.text, end, limit)
    if brk:
        limit = brk.start()
    words = list(WORD_RE.finditer(s.text, end, limit))
    return words[min(len(words), 6) - 1].end() if words else end


def _right_cue(s: Sentence, lo: int, hi: int) -> Cue | None:
    """The strongest cue in the words after a quantity: speed before reduce before improve before size."""
    for kind, pattern in V.CUES:
        match = pattern.search(s.text, lo, hi)
        if match and not _OR_SO_RE.search(s.text, lo, match.start()):
            return Cue(kind, match.start(), match.end(), match.group(0))
    return None


def _bare_reach(s: Sentence, q: Quantity, span: Span) -> int:
    """A bare number takes a cue after it only from the next few words ("+8.6 EM improvement"):
    in "using 1,024 RBF centers our model reduces the error by 52%" the cue is the 52%'s."""
    if q.form != "bare":
        return span.right_end
    reach = span.end
    for word in list(WORD_RE.finditer(s.text, span.end, span.right_end))[:BARE_CUE_WORDS]:
        if _SUBJECT_RE.fullmatch(word.group(0)):
            break
        reach = word.end()
    return reach


BARE_CUE_WORDS = 4
_SUBJECT_RE = re.compile(r"(?i)our|we|it|its|they|their|the|this|these|which|that")


def left_cue(s: Sentence, cues: Cues, start: int) -> Cue | None:
    """The nearest cue before a quantity that no other claim has taken. A cue far away only counts
    when the quantity is the amount of a change ("outperforms X ... by 19.8%"); a comparative
    adjective ("more", "higher") only right before it, since it qualifies the noun after it."""
    best: Cue | None = None
    amount = bool(BY_AMOUNT_RE.search(s.text, s.lo, start) or FACTOR_OF_RE.search(s.text, s.lo, start))
    for kind, pattern in V.CUES[:4]:
        for match in pattern.finditer(s.text, s.lo, start):
            if _QUANTIFIER_RE.match(s.text, match.end()):
                continue  # "more than 60%", "less than 1%"
            gap = len(s.text[match.end():start].split())
            near_only = _COMPARATIVE_RE.fullmatch(match.group(0))
            if (near_only and gap > 3) or (gap > 10 and not amount):
                continue
            if kind == "worse" and _OBJECT_OF_CUT_RE.search(s.text, max(s.lo, match.start() - 40), match.start()):
                continue  # "reduces cost-weighted loss by 22%": the loss is what is cut, not a change for the worse
            taken = any(a <= match.start() < b for a, b in cues.used)
            if not taken and (best is None or match.start() > best.start):
                best = Cue(kind, match.start(), match.end(), match.group(0))
    return best


def group_cue(s: Sentence, cues: Cues, group: list[Quantity], span: Span) -> Cue | None:
    """The cue right after the group, else before it, else (an elliptical repeat, "280x on A and 68x
    on B") the last cue used in the sentence for the same unit. Sizes and counts take no cue."""
    if group[-1].form not in CUED_FORMS:
        return None
    unit = group[-1].unit
    cue = _right_cue(s, span.end, _bare_reach(s, group[-1], span))
    if cue:
        cues.used.append((cue.start, cue.end))
    else:
        cue = left_cue(s, cues, span.start) or cues.last.get(unit)
    earlier = cues.last.get(unit)
    if cue and earlier and GENERIC_COMPARISON_RE.fullmatch(cue.word) and earlier.kind in {"speedup", "reduction"}:
        cue = Cue(earlier.kind, cue.start, cue.end, cue.word)  # "reduces X by 10x, outperforming baselines by 2x"
    if cue:
        cues.last[unit] = cue
    return cue
