"""Numbers that belong together: coordinated lists ("2.4x and 8.6x higher"), ranges ("2x to 5x"),
before-and-after pairs ("from 18.65 to 1.80", "33% → 83%") and "N out of M".

Coordinated numbers share a unit and are decided once, from the words around the whole group.
"""

from __future__ import annotations

import re

from pipeline.claims import vocab as V
from pipeline.claims.numbers import OUT_OF_RE, Quantity

CUED_FORMS = frozenset({"factor", "percent", "points", "bare"})
"""Forms whose kind comes from the words around them; sizes and counts are what their unit says."""

_COORD_RE = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:(?:on|for|in)\s+(?:the\s+)?[\w\-.]+\s*)?"
    r"(?P<join>,\s*(?:and|or)?|and|or|/|&|to|(?<![A-Za-z])-|→|->|⇒)\s*(?:by\s+|from\s+|on\s+)?$"
)
"""What joins coordinated numbers; a hyphen glued to a word is part of a name ("1.58 on ImageNet-64x64")."""
_BETWEEN_RE = re.compile(r"\bbetween\s+$")
_RANGING_RE = re.compile(r"\b(?:rang\w*|var(?:y|ies|ied|ying)|spann?\w*|between)\s+(?:\w+\s+){0,3}?from\s+(?:\w+\s+)?$", re.I)
_AFTER_AMOUNT_RE = re.compile(
    r"\d\s?(?:%|x|pp|points?)?\s*(?:(?:with|on|for)\s+[\w.-]+\s*)?\((?:i\.e\.,?\s*|e\.g\.,?\s*|from\s+|[A-Z][\w@-]*\s+)?$"
)
"""A change just stated, then its before and after: "by 65.5% (11.33 to 3.91 mm)", "+10.1% with Llama-3.1-8B
(18.8% to 28.9%)"."""
_AFTER_CHANGE_RE = re.compile(
    r"\b(?P<verb>declin|drop|fall|fell|rise|rose|increas|decreas|improv|reduc|degrad|shift|jump|grow|grew|collaps|gain)\w*"
    r"\s+(?:[\w-]+\s+){0,5}\((?:[A-Z][\w@-]*\s+)?$"
)
"""A change word before a parenthesized pair: "steeper declines in accuracy (60% to 30%)", "AUC gains on
GPT-OSS-20B (69.0 to 79.2)", "reduced false positive rates still further (64% to 9%)"."""
_DOWN = ("declin", "drop", "fall", "fell", "decreas", "reduc", "degrad", "collaps")
_NEXT_NUMBER_RE = re.compile(r"\s?%?\s*(?:to|→|->)\s*(?P<b>\d[\d,]*(?:\.\d+)?)\s?(?:%|percent)?")
_ASIDE_AFTER_RE = re.compile(r"\s*(?:absolute|relative|points?|pp)\b", re.I)
_FROM_RE = re.compile(r"\bfrom\s+(?:\w+\s+)?$")
_TO_AFTER_RE = re.compile(r"\s*(?:[\w-]+\s+){0,4}(?:to|→|->)\s+(?:(?:about|around|nearly|almost|only|just)\s+)?")
_TO_BEFORE_RE = re.compile(r"\bto\s+$")
_FROM_AFTER_RE = re.compile(r"\s*(?:[\w-]+\s+){0,2}?from\s+(?:(?:about|around|only|just)\s+)?")
_JOINS = {"to": "to", "-": "to", "→": "arrow", "->": "arrow", "⇒": "arrow"}
"""A "to" pair may be a range ("2x to 5x"); an arrow is always a change ("33% → 83%")."""


def mark_out_of(text: str, quantities: list[Quantity]) -> None:
    """"eight out of eleven metrics", "6 / 7 tasks": a score over a counted total (a scale fact)."""
    for a, b in zip(quantities, quantities[1:]):
        whole = a.value == int(a.value) and b.value == int(b.value) and a.value <= b.value
        joint = OUT_OF_RE.match(text, a.end)
        if whole and a.form in {"bare", "count"} and a.kind is None and joint and joint.end() == b.start:
            a.kind = "score"
            if b.form == "bare":
                b.kind = "scale"


def mark_before_after(text: str, quantities: list[Quantity]) -> None:
    """"from 88% accuracy to 95% accuracy", "from around 50% post-unlearning to nearly 100%": a
    before-and-after pair whose members are too far apart to be coordinated."""
    for a, b in zip(quantities, quantities[1:]):
        paired = a.form in CUED_FORMS and b.form == a.form and _TO_AFTER_RE.fullmatch(text, a.end, b.start)
        if paired and is_change(text, a):
            a.before = True
        elif a.form in CUED_FORMS and b.form == a.form and _TO_BEFORE_RE.search(text, max(0, a.start - 4), a.start) \
                and _FROM_AFTER_RE.fullmatch(text, a.end, b.start):
            b.before = True  # "improves accuracy to 85.1% from 80.2%": the pair written after-first


def coordinated_groups(text: str, quantities: list[Quantity]) -> list[list[Quantity]]:
    """Quantities joined by "and", ",", "/", "to", with shared units and ranges merged; each member
    knows its place in its group (for "LDM/DiT by 1.82/0.49")."""
    groups = []
    for group in _join(text, quantities):
        _share_units(group)
        group = _merge_ranges(text, group)
        for k, q in enumerate(group):
            q.member = (k, len(group))
        groups.append(group)
    return groups


def is_change(text: str, a: Quantity) -> bool:
    """ "from A to B" in a result (a share, a factor, a bare score), not in a size; "ranging from A
    to B" is a range, unless each end is attributed ("from 12% (dictionary-only) to 31% (RAG)")."""
    if a.form in {"bare", "percent", "points"} and _AFTER_AMOUNT_RE.search(text, max(0, a.start - 60), a.start):
        return True  # "by 65.5% (11.33 to 3.91 mm)": the before and after of the change just stated
    changed = _AFTER_CHANGE_RE.search(text, max(0, a.start - 60), a.start) if a.form in {"bare", "percent"} \
        and not a.sign else None  # "(+13 to 16)" is a range of gains
    if changed:  # "declines in accuracy (60% to 30%)", but "reduces hallucination rates (2.8 to 5.8 percent absolute)"
        b = _NEXT_NUMBER_RE.match(text, a.end)
        rise = b is not None and float(b.group("b").replace(",", "")) > a.value
        return not (rise and changed.group("verb").lower().startswith(_DOWN)) and not _ASIDE_AFTER_RE.match(text, b.end() if b else a.end)
    if a.form not in CUED_FORMS or not _FROM_RE.search(text, max(0, a.start - 30), a.start):
        return False
    ranging = _RANGING_RE.search(text, max(0, a.start - 40), a.start)
    return not ranging or text[a.end:a.end + 2].lstrip().startswith("(")


def _join(text: str, quantities: list[Quantity]) -> list[list[Quantity]]:
    """Group quantities joined by "and", ",", "/", "to": they share a unit, a kind and a metric."""
    groups: list[list[Quantity]] = []
    for q in quantities:
        previous = groups[-1][-1] if groups else None
        joint = _COORD_RE.fullmatch(text, _after_metric(text, previous.end, q.start), q.start) if previous else None
        signed = previous is not None and previous.sign != "" and previous.kind == "improvement"  # "+13 to 16"
        join = _JOINS.get(joint.group("join"), "and") if joint else ""
        if joint and (previous.kind is None or signed) and _compatible(previous, q, join):
            q.joined_by = join
            if q.joined_by == "and" and _BETWEEN_RE.search(text, max(0, groups[-1][0].start - 12), groups[-1][0].start):
                q.joined_by = "to"  # "between 5 and 7.5x10^4 times"
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


def _after_metric(text: str, end: int, stop: int) -> int:
    """Past a metric written right after a number: in "2.57% mIoU and 13.91% IoU" the two are joined."""
    gap = len(text[end:stop]) - len(text[end:stop].lstrip())
    metric = V.METRIC_RE.match(text, end + gap, stop)
    return metric.end() if metric else end


def _compatible(a: Quantity, b: Quantity, join: str) -> bool:
    """Coordinated quantities share a unit, or the first one has none yet ("2 and 8 H100s"); a bare
    number after a size is its other end only in a "to" pair ("from 256 steps to 1"), not in a list
    ("FID of 1.32 with two steps and 1.76 with one")."""
    if b.form == "bare" and a.form not in CUED_FORMS:
        return join == "to"
    return a.unit == b.unit or "bare" in (a.form, b.form) or a.form == b.form == "magnitude"


def _share_units(group: list[Quantity]) -> None:
    """Bare members take the unit of the next member ("3 to 4 times"), or of the previous one when
    they are the target of a "to" ("from 256 steps to 1")."""
    for q, nxt in reversed(list(zip(group, group[1:]))):
        if q.form == "bare" and nxt.form != "bare":
            _copy_unit(nxt, q)
    for prev, q in zip(group, group[1:]):
        if q.form == "bare" and prev.form != "bare" and q.joined_by == "to":
            _copy_unit(prev, q)


def _copy_unit(source: Quantity, target: Quantity) -> None:
    target.unit, target.form, target.noun = source.unit, source.form, source.noun


def _merge_ranges(text: str, group: list[Quantity]) -> list[Quantity]:
    """"2x to 5x", "from 0.1B to 3.4B": one quantity with a low end; "from 256 steps to 1" stays two."""
    merged: list[Quantity] = []
    for q in group:
        prev = merged[-1] if merged else None
        if prev and q.joined_by == "to" and prev.low is None and _is_range(text, prev, q):
            q.low = prev.value * V.MAGNITUDE_SCALE.get(prev.unit, 1) / V.MAGNITUDE_SCALE.get(q.unit, 1)
            q.start, q.first = prev.start, prev.first
            q.kind, q.sign = q.kind or prev.kind, q.sign or prev.sign
            merged[-1] = q
        else:
            merged.append(q)
    return merged


def _is_range(text: str, a: Quantity, b: Quantity) -> bool:
    """A "to" pair is a range when it grows, unless it is a result's change ("FID from 18.65 to 1.80"):
    "from 1 to 256 tokens" is a range of sizes, "from 61.6% to 63.3%" a before and after."""
    scale_a = a.value * V.MAGNITUDE_SCALE.get(a.unit, 1)
    scale_b = b.value * V.MAGNITUDE_SCALE.get(b.unit, 1)
    return scale_a < scale_b and not is_change(text, a)
