"""Mine abstracts for numeric claims: speedups, reductions, scores, improvements and scale facts.

The extractor is a small set of general rules over a cleaned copy of each abstract
(:mod:`pipeline.claim_text`) with vocabularies from :mod:`pipeline.claim_rules`:

1. find quantities: a number (digits, words, "an order of magnitude", "halves") and the unit written
   after it (x / times / -fold, %, percentage points, K/M/B, px, ms, "tokens", a counted noun, NxN);
2. drop numbers that are labels, not quantities: names (GPT-4, Llama 3, v0.1), years, citations,
   figure/section numbers, enumerations, exponents;
3. join coordinated quantities ("2.4x and 8.6x higher", "from 18.65 to 1.80", "2x to 5x") so they
   share a unit and a cue, and merge ranges;
4. decide each quantity's kind from the cue words next to it (faster / fewer / better / a metric
   name) and name its metric, baseline ("over X") and dataset ("on Y").

Offsets always refer to the raw abstract, so ``abstract[start:end] == text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from pipeline import claim_rules as R
from pipeline.claim_text import CleanText, clean, sentences
from pipeline.schema import CLAIMS, conform

KINDS = ("speedup", "reduction", "score", "improvement", "scale")


@dataclass(frozen=True)
class Claim:
    """One numeric claim; ``text`` is ``abstract[start:end]``."""

    kind: str
    value: float
    unit: str
    metric: str | None
    higher_is_better: bool | None
    range_low: float | None
    baseline: str | None
    dataset: str | None
    text: str
    start: int
    end: int


@dataclass
class _Quantity:
    """A number found in the cleaned text, refined step by step until it becomes a claim."""

    start: int
    end: int
    value: float
    unit: str
    form: str  # factor | percent | points | bare | magnitude | unit | count | resolution | dims
    low: float | None = None
    noun: str = ""
    kind: str | None = None
    metric: str | None = None
    cue: tuple[int, int] | None = None
    joined_by: str = ""  # how it is joined to the previous quantity: "and", "to", "arrow", ""
    member: tuple[int, int] = (0, 1)  # its place in its coordinated group, and the group's size


# --- patterns ----------------------------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_WORDS = R.alternation(list(R.NUMBER_WORDS))
_FIRST_LETTERS = "".join(sorted({w[0] for w in R.NUMBER_WORDS} | {w[0].upper() for w in R.NUMBER_WORDS}))
_NUMBER_RE = re.compile(
    rf"(?=[\dxX+\-.]|\b[{_FIRST_LETTERS}])"  # lets most positions fail at once
    rf"(?:(?P<xpre>(?<![\w.])[xX](?=\d))?"
    rf"(?:(?P<low>{_NUM})(?:\s?(?:x|X|times)(?![a-zA-Z])|\s?%)?\s?(?:-{{1,2}}|–|—|~)\s?(?=\d))?"
    rf"(?P<sign>(?<![\w.)%])[-+])?(?P<num>{_NUM})(?:\s?±\s?(?:{_NUM}))?"  # 11.0 ± 1.3 points
    rf"|(?P<word>\b(?i:{_WORDS})\b))"
)
_SPECIAL_RE = re.compile(
    r"(?=\b[aAoOtTfFdDhHiI])"
    r"(?:\b(?i:into|to)\s+(?:a\s+)?(?P<single>(?i:single|one)[- ]step)\b"
    rf"|\b(?P<order>(?i:{'|'.join(R.ORDER_WORDS)}))\s+orders?\s+of\s+magnitude\b"
    rf"|\b(?P<plural>(?i:{'|'.join(R.PLURAL_MULTIPLES)}))\s+of\s+times\b"
    rf"|\b(?P<verb>(?i:{'|'.join(R.VERB_FACTORS)}))(?:es|ed|ing)\b|\b(?P<verb2>(?i:halv))e\b)"
)
_NOT_COUNTED = r"(?!(?:data|time|key|control|sample)\b)"  # "6 average points" but not "300 data points"
_UNIT_RE = re.compile(
    rf"(?P<res>\s?(?:x|X|times|\*)\s?\d+(?![\d.]))"
    rf"|(?P<pct>\s?(?:%|percent\b|per\s?cent\b))(?P<pctpts>\s?points?\b)?"
    rf"|(?P<pts>\s?(?:percentage[- ]points?\b|pp\b|p\.p\.|(?:{_NOT_COUNTED}[a-z]+\s){{0,2}}points?\b))"
    rf"|(?P<mult>(?:x|X)(?![a-zA-Z\d])|\s?times\b|times(?![a-z])|-?\s?fold\b)"
    rf"|(?P<mag>(?:k|K|M|B|T)(?![a-zA-Z\d])|[\s-](?:thousand|million|billion|trillion)\b)"
    rf"|(?P<comp>-(?:{'|'.join(R.COMPOUND_UNITS)})s?\b)"
    rf"|(?P<sym>\s?(?:{R.alternation(list(R.SYMBOL_UNITS))})(?![\w/]))"
)
_MODIFIERS = r"(?:(?!(?:of|in|on|for|to|by|with|and|or|from|than|the|a|an|is|are|at)\b)[^\s,.;:]+\s+)"
_UNIT_NOUN_AFTER_RE = re.compile(rf"\s+{_MODIFIERS}{{0,2}}?(?P<noun>{R.UNIT_NOUN_RE.pattern})")
_UNIT_NOUN_ADJACENT_RE = re.compile(rf"\s(?P<noun>{R.UNIT_NOUN_RE.pattern})")
_COUNT_NOUN_AFTER_RE = re.compile(rf"\s+(?:\([^)]*\)\s*)?{_MODIFIERS}{{0,3}}(?P<noun>{R.COUNT_NOUN_RE.pattern})")
_ITEM_NOUN_AFTER_RE = re.compile(rf"\s+{_MODIFIERS}{{0,2}}(?P<noun>{R.ITEM_NOUN_RE.pattern})")
_RESOLUTION_WORD_RE = re.compile(r"\s*(?:resolution|pixels?|px|images?)\b")
_PLURAL_RE = re.compile(r"(?:s|es|ora|ata)$")
_OUT_OF_RE = re.compile(r"\s+/\s+|\s*out of\s*")
_PER_RE = re.compile(rf"\s?(?:per|/)\s?(?P<noun>(?:{R.PER_NOUNS}))s?\b")
_FACTOR_OF_RE = re.compile(r"\ba factor of\s+(?:about |around |approximately |up to |over |more than )?$")
_QUANTIFIER_RE = re.compile(r"\s+than\b")
_OR_SO_RE = re.compile(r"\bor\s+$")  # "8.4% or less" bounds a value, it does not cut it
_COMPARATIVE_RE = re.compile(
    r"(?i)more|higher|better|greater|less|lower|fewer|smaller|faster|larger|superior|stronger|worse|slower|costlier"
)

_COORD_RE = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:(?:on|for|in)\s+(?:the\s+)?[\w\-.]+\s*)?"
    r"(?P<join>,\s*(?:and|or)?|and|or|/|&|to|-|→|->|⇒)\s*(?:by\s+|from\s+|on\s+)?$"
)
_FROM_RE = re.compile(r"\bfrom\s+(?:\w+\s+)?$")
_CLAUSE_END_RE = re.compile(r"[,;:()]|\b(?:while|whereas|but|and|with)\b")
_REFERENCE_RE = re.compile(rf"\b(?:{R.REFERENCE_WORDS})[\s~]*\(?$")
_MATH_BEFORE_RE = re.compile(r"(?:[=^_@]|\bO\(|\b[a-zA-Z]\s?[=<>≤≥]\s?)$")
_ANAPHORA_RE = re.compile(r"\b(?:the|these|those|both|all|its|their|our)\s+$", re.I)
_CAPITALIZED_BEFORE_RE = re.compile(r"(?:^|\s)([\w\-.]*[A-Z][\w\-.]*)\s+$")
_BY_AMOUNT_RE = re.compile(R.BY_AMOUNT, re.I)
_TO_REDUCED_RE = re.compile(R.TO_REDUCED, re.I)
_PERCENT_CUT_LEFT_RE = re.compile(R.PERCENT_CUT_LEFT, re.I)
_PERCENT_ONLY_LEFT_RE = re.compile(R.PERCENT_ONLY_LEFT, re.I)
_SCALE_PERCENT_RE = re.compile(rf"\s*{R.SCALE_PERCENT_NOUNS}\b", re.I)
_USING_RE = re.compile(r"\b(?:with|using|uses|requires?|requiring|needs?)\s+(?:only\s+|just\s+|merely\s+)?$")
_STATE_RE = re.compile(
    r"(?:(?<!up )\bto|\breach\w*|\battain\w*|\bachiev\w*|\bobtain\w*|\bvs\.?|\bversus)\s+"
    r"(?:an? |about |around |approximately |roughly |nearly |just |only )?$"
)
"""A value reached or compared with, not a change: "improves FID to 2.1", "reaching 78.2%", "vs. 73.9%"."""
_IMPROVEMENT_OF_RE = re.compile(
    r"\b(?:improvement|gain|increase|boost|margin)s?\s+of\s+(?:up to\s+|about\s+|around\s+)?$", re.I
)
_SCORE_LINK = (
    r"(?:\)|\s+scores?|\s+\([A-Za-z-]+\))?\s*(?:(?:of|=|:|is|was|at|near|around|about|reaching|from|below|above|under|"
    r"over|as high as|as low as|to|increase from|dropping from|drops? from|improves? from|of about)\s*|[<>≤≥~]\s*)?$"
)
_SCORE_LEFT_RE = re.compile(rf"(?:{R.METRIC_RE.pattern}){_SCORE_LINK}")
_SCORE_RIGHT_RE = re.compile(rf"(?:'s)?\s?(?:{R.METRIC_RE.pattern})")
_WORD_RE = re.compile(r"[^\s]+")

_BASELINE_TRIGGER_RE = re.compile(
    r"\b(?:over|than|compared (?:to|with|against)|comparing (?:to|with)|in comparison (?:to|with)|"
    r"relative to|versus|vs\.?|against|outperform(?:s|ing|ed)?|surpass(?:es|ing|ed)?|beat(?:s|ing)?|"
    r"improves? (?:upon|on|over)|comparabl[ey] (?:[\w-]+ ){0,3}(?:to|with)|on par with)\s+",
    re.I,
)
_COMPARE_VERB_RE = re.compile(r"(?i)\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed\w*|improv\w* (?:up)?on)\b")
_BASELINE_SPLIT_RE = re.compile(r"\s*/\s*|\s*,\s*(?:and\s+)?|\s+and\s+")
_SOTA_RE = re.compile(r"state[- ]of[- ]the[- ]art\b")
_NAME = r"(?:[A-Z][\w\-.]*\w|[a-z]\w*[A-Z][\w\-]*)"
_GLUED_RESOLUTION_RE = re.compile(r"\d+(?:times|x)$")
_DATASET_RE = re.compile(
    rf"\b(?i:on|across)\s+(?:the\s+)?(?:challenging\s+|standard\s+|public\s+)?"
    rf"(?P<name>{_NAME}(?:\s+{_NAME})?)(?P<res>\s?\d+\s?(?:x|times|\*)\s?\d+)?"
)
_PAREN_DATASET_RE = re.compile(rf"\s?\((?P<name>{_NAME})(?P<res>)\)")  # "reduces FID by 25.5% (MIMIC-CXR)"
_ON_PAREN_RE = re.compile(rf"\b(?i:on|across)\s+(?:[a-z][\w-]*\s+){{1,3}}\((?P<name>{_NAME})(?P<res>)\)")
"""The name in "on medical imaging (MIMIC-CXR)"."""
_DATASET_AFTER_RE = re.compile(r"\s*(?:[^\s,;:.]+\s+){0,3}?" + _DATASET_RE.pattern)
_RESOLUTION_DATASET_RE = re.compile(rf"(?P<name>{_NAME}?)\s?$")
_NOT_DATASET_RE = re.compile(rf"^(?:{R.HARDWARE}|{R.MODEL_FAMILIES})(?![a-z])|^[A-Z][a-z]+$|^[A-Z]{{2,}}Ms?$")
_MODEL_AFTER_RE = re.compile(r"\s*(?:[\w-]+\s)?(?:model|LLM|LM|param|backbone|network|transformer)", re.I)
_DATA_AFTER_RE = re.compile(
    r"\s*(?:[\w-]+\s){0,2}?(?:images|tokens|samples|examples|pairs|hours|documents|sentences|words|videos|"
    r"clips|utterances|molecules|instructions|conversations|dialogues|frames)\b"
)
_ACRONYM_MODELS_RE = re.compile(r"[A-Z]{2,}Ms")


# --- 1. finding quantities ----------------------------------------------------------------------


def _to_float(number: str) -> float:
    return float(number.replace(",", ""))


def _quantities(text: str, lo: int, hi: int) -> list[_Quantity]:
    """Every quantity in text[lo:hi], with the unit written after it."""
    found = [_special(m) for m in _SPECIAL_RE.finditer(text, lo, hi)]
    taken = [(q.start, q.end) for q in found]
    for match in _NUMBER_RE.finditer(text, lo, hi):
        if any(s <= match.start() < e for s, e in taken):
            continue
        quantity = _number(text, match, hi)
        if quantity is not None:
            found.append(quantity)
            taken.append((quantity.start, quantity.end))
    return sorted(found, key=lambda q: q.start)


def _special(match: re.Match[str]) -> _Quantity:
    """Factors stated in words ("two orders of magnitude", "hundreds of times", "halves"), and a
    process cut to one step ("distilled into a single step")."""
    if match.group("single"):
        return _Quantity(match.start("single"), match.end("single"), 1.0, "steps", "unit", kind="reduction")
    if match.group("order"):
        value = 10.0 ** R.ORDER_WORDS[match.group("order").lower()]
        return _Quantity(match.start(), match.end(), value, "x", "factor")
    if match.group("plural"):
        return _Quantity(match.start(), match.end(), R.PLURAL_MULTIPLES[match.group("plural").lower()], "x", "factor")
    value, kind = R.VERB_FACTORS[(match.group("verb") or match.group("verb2")).lower()]
    return _Quantity(match.start(), match.end(), value, "x", "factor", kind=kind or None)


def _number(text: str, match: re.Match[str], hi: int) -> _Quantity | None:
    """A digit or word number with its unit, or None when it is no quantity (a name, a year)."""
    if match.group("word"):
        value = R.NUMBER_WORDS[match.group("word").lower()]
        quantity = _with_unit(text, match.start(), match.end(), value, hi)
        spoken = quantity.form in {"factor", "percent", "unit", "count"} or _OUT_OF_RE.match(text, match.end())
        return quantity if spoken and not _ANAPHORA_RE.search(text, max(0, match.start() - 12), match.start()) else None
    value = _to_float(match.group("num")) * (-1 if match.group("sign") == "-" else 1)
    quantity = _with_unit(text, match.start(), match.end(), value, hi)
    if match.group("low"):
        quantity.low = _to_float(match.group("low"))
    factor_of = quantity.form == "bare" and _FACTOR_OF_RE.search(text, max(0, match.start() - 40), match.start())
    if match.group("xpre") or factor_of:
        quantity.unit, quantity.form = "x", "factor"
    if match.group("sign") == "+" and quantity.form in {"bare", "percent", "points"}:
        quantity.kind = "improvement"
    return None if _is_label(text, quantity, match) else quantity


def _with_unit(text: str, start: int, end: int, value: float, hi: int) -> _Quantity:
    """Read the unit written right after a number (and the noun after that, for counts)."""
    end += text.startswith("+", end)  # "30+ times", "100+ languages"
    unit = _UNIT_RE.match(text, end, hi)
    group = unit.lastgroup if unit else None
    if group is None:
        return _noun_quantity(text, start, end, value, hi)
    stop = unit.end()
    if group == "res":
        big = value >= R.MIN_RESOLUTION or _RESOLUTION_WORD_RE.match(text, stop, hi)
        return _Quantity(start, stop, value, "px", "resolution" if big else "dims")
    if group == "pct":
        return _Quantity(start, stop, value, "%", "percent")
    if group in {"pts", "pctpts"}:  # "11.77 percentage points", "6.5% points"
        return _Quantity(start, stop, value, "pp", "points")
    if group == "mult":
        return _Quantity(start, stop, value, "x", "factor")
    if group == "comp":
        return _Quantity(start, stop, value, R.COMPOUND_UNITS[unit.group("comp")[1:].rstrip("s")], "unit")
    if group == "sym":
        return _per(text, _Quantity(start, stop, value, R.SYMBOL_UNITS[unit.group("sym").strip()], "unit"), hi)
    return _magnitude(text, start, stop, value, unit.group("mag").strip(), hi)


def _per(text: str, q: _Quantity, hi: int) -> _Quantity:
    """"121 μJ per image", "8 ms/token": a unit per something is a rate, written "μJ/image"."""
    per = _PER_RE.match(text, q.end, hi)
    if per:
        noun = "s" if per.group("noun").startswith("second") else per.group("noun")
        q.unit, q.end = f"{q.unit}/{noun}", per.end()
    return q


def _magnitude(text: str, start: int, end: int, value: float, suffix: str, hi: int) -> _Quantity:
    """172M, 1.3 billion, 8k tokens: a unit noun right after joins the unit ("k tokens")."""
    magnitude = R.MAGNITUDES[suffix.lstrip("-")]
    noun = _UNIT_NOUN_ADJACENT_RE.match(text, end, hi)
    if noun:
        return _Quantity(start, noun.end(), value, f"{magnitude} {_unit_of(noun.group('noun'))}", "magnitude")
    return _Quantity(start, end, value, magnitude, "magnitude")


def _noun_quantity(text: str, start: int, end: int, value: float, hi: int) -> _Quantity:
    """A number with no unit symbol: counted in a unit noun ("4 H100s"), a counted thing, or bare."""
    unit_noun = _UNIT_NOUN_AFTER_RE.match(text, end, hi)
    if unit_noun:
        return _per(text, _Quantity(start, unit_noun.end(), value, _unit_of(unit_noun.group("noun")), "unit"), hi)
    count = _COUNT_NOUN_AFTER_RE.match(text, end, hi) or _ITEM_NOUN_AFTER_RE.match(text, end, hi)
    whole = "." not in text[start:end]  # "FewRel 1.0 and 2.0 datasets" are versions, not counts
    counted = count and whole and (value == 1 or _PLURAL_RE.search(count.group("noun")))
    if counted and (count.re is _COUNT_NOUN_AFTER_RE or value >= R.MIN_ITEM_COUNT):
        return _Quantity(start, count.end(), value, "", "count", noun=count.group("noun"))
    return _Quantity(start, end, value, "", "bare")


def _unit_of(noun: str) -> str:
    return next(unit for pattern, unit in R.UNIT_NOUN_RES if pattern.fullmatch(noun))


# --- 2. numbers that are labels, not quantities --------------------------------------------------


def _is_label(text: str, q: _Quantity, match: re.Match[str]) -> bool:
    """Names (GPT-4, v0.1, Llama 3), years, citations, figure numbers, enumerations, exponents."""
    first = match.start("low") if match.group("low") else match.start("num")
    before = text[max(0, first - 40):first]
    after = text[q.end:q.end + 12]
    if _glued_to_name(before, after, q):
        return True
    if q.form in {"bare", "count"} and _is_year(q):
        return True
    if q.form in {"bare", "count", "unit"} and _after_capitalized_name(text, first, before):
        return True
    if _in_brackets(text, first) or _REFERENCE_RE.search(before) or _MATH_BEFORE_RE.search(before):
        return not _SCORE_LEFT_RE.search(before)
    if q.form == "bare" and re.match(r"\)", after) and re.search(r"(?:^|[\s(])\(?$", before):
        return True
    return q.form == "count" and bool(_ANAPHORA_RE.search(before))


def _glued_to_name(before: str, after: str, q: _Quantity) -> bool:
    """GPT-4, Chameleon-7B, v0.1, UCF101, 3D, 2nd, 405B-Judge: the number is part of a word."""
    if q.form == "resolution":
        return False
    if re.search(r"[A-Za-z]$|[A-Za-z]\d*-$|\d[.]?$", before):
        return not before.endswith(("x", "X")) or q.form != "factor"
    return bool(re.match(r"[A-Za-z\d]|-[A-Za-z]|/[\w.]*-[A-Za-z]", after)) and q.form != "unit"


def _is_year(q: _Quantity) -> bool:
    return q.value == int(q.value) and 1900 <= q.value <= 2100 and q.low is None


def _in_brackets(text: str, i: int) -> bool:
    """Inside [...]: a citation like "[2023]" or "[12, 13]"."""
    opening = text.rfind("[", max(0, i - 30), i)
    return opening >= 0 and "]" not in text[opening:i] and "]" in text[i:i + 30]


def _after_capitalized_name(text: str, first: int, before: str) -> bool:
    """A bare number after a capitalized word mid-sentence is a version: "Llama 3", "NaturalSpeech 2"."""
    word = _CAPITALIZED_BEFORE_RE.search(before)
    if not word or R.METRIC_RE.fullmatch(word.group(1)):
        return False
    preceding = text[max(0, first - 60):first - len(word.group(0))].rstrip()
    return bool(preceding) and not preceding.endswith((".", ":", ";", "(", "!", "?"))


# --- 3. joining coordinated quantities -----------------------------------------------------------


def _join(text: str, quantities: list[_Quantity]) -> list[list[_Quantity]]:
    """Group quantities joined by "and", ",", "/", "to": they share a unit, a kind and a metric."""
    groups: list[list[_Quantity]] = []
    for q in quantities:
        previous = groups[-1][-1] if groups else None
        joint = _COORD_RE.fullmatch(text, previous.end, q.start) if previous else None
        if joint and previous.kind is None and _compatible(previous, q):
            q.joined_by = _JOINS.get(joint.group("join"), "and")
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


_JOINS = {"to": "to", "-": "to", "→": "arrow", "->": "arrow", "⇒": "arrow"}
"""A "to" pair may be a range ("2x to 5x"); an arrow is always a change ("33% → 83%")."""


def _compatible(a: _Quantity, b: _Quantity) -> bool:
    """Coordinated quantities share a unit, or the first one has none yet ("2 and 8 H100s")."""
    return a.unit == b.unit or "bare" in (a.form, b.form) or a.form == b.form == "magnitude"


def _share_units(group: list[_Quantity]) -> None:
    """Bare members take the unit of the next member ("3 to 4 times"), or of the previous one when
    they are the target of a "to" ("from 256 steps to 1")."""
    for q, nxt in reversed(list(zip(group, group[1:]))):
        if q.form == "bare" and nxt.form != "bare":
            _copy_unit(nxt, q)
    for prev, q in zip(group, group[1:]):
        if q.form == "bare" and prev.form != "bare" and q.joined_by == "to":
            _copy_unit(prev, q)


def _copy_unit(source: _Quantity, target: _Quantity) -> None:
    target.unit, target.form, target.noun = source.unit, source.form, source.noun


def _merge_ranges(text: str, group: list[_Quantity]) -> list[_Quantity]:
    """"2x to 5x", "from 0.1B to 3.4B": one quantity with a low end; "from 256 steps to 1" stays two."""
    merged: list[_Quantity] = []
    for q in group:
        prev = merged[-1] if merged else None
        if prev and q.joined_by == "to" and prev.low is None and _is_range(text, prev, q):
            q.low = prev.value * R.MAGNITUDE_SCALE.get(prev.unit, 1) / R.MAGNITUDE_SCALE.get(q.unit, 1)
            q.start = prev.start
            merged[-1] = q
        else:
            merged.append(q)
    return merged


def _is_range(text: str, a: _Quantity, b: _Quantity) -> bool:
    """A "to" pair is a range when it grows, unless it is a result's change ("FID from 18.65 to 1.80"):
    "from 1 to 256 tokens" is a range of sizes, "from 61.6% to 63.3%" a before and after."""
    scale_a = a.value * R.MAGNITUDE_SCALE.get(a.unit, 1)
    scale_b = b.value * R.MAGNITUDE_SCALE.get(b.unit, 1)
    return scale_a < scale_b and not _is_change(text, a)


def _is_change(text: str, a: _Quantity) -> bool:
    """ "from A to B" in a result (a share, a factor, a bare score), not in a size."""
    return a.form in _CUED_FORMS and bool(_FROM_RE.search(text, max(0, a.start - 30), a.start))


# --- 4. deciding the kind -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    """A word that tells a quantity's kind ("faster", "fewer", "better"), and where it is."""

    kind: str
    start: int
    end: int
    word: str


@dataclass
class _Context:
    """The sentence a quantity sits in, and which cue words are already spoken for."""

    text: str
    lo: int
    hi: int
    used: list[tuple[int, int]] = field(default_factory=list)
    last_cue: dict[str, _Cue] = field(default_factory=dict)


@dataclass(frozen=True)
class _Span:
    """Where a coordinated group sits: its members share the words before and after it."""

    start: int
    end: int
    right_end: int


_CUE_PATTERNS = (
    ("worse", R.WORSE_RE), ("speedup", R.SPEED_RE), ("reduction", R.REDUCE_RE), ("improvement", R.IMPROVE_RE),
    ("scale", R.SCALE_CUE_RE),
)
_RISE_WORDS = re.compile(r"(?i)increas\w*|higher|more|greater")


def _right_phrase_end(ctx: _Context, end: int, stop: int) -> int:
    """End of the few words after a quantity, up to the next quantity or a clause break."""
    limit = min(stop, ctx.hi)
    brk = _CLAUSE_END_RE.search(ctx.text, end, limit)
    if brk:
        limit = brk.start()
    words = list(_WORD_RE.finditer(ctx.text, end, limit))
    return words[min(len(words), 6) - 1].end() if words else end


def _right_cue(ctx: _Context, lo: int, hi: int) -> _Cue | None:
    """The strongest cue in the words after a quantity: speed before reduce before improve before size."""
    for kind, pattern in _CUE_PATTERNS:
        match = pattern.search(ctx.text, lo, hi)
        if match and not _OR_SO_RE.search(ctx.text, lo, match.start()):
            return _Cue(kind, match.start(), match.end(), match.group(0))
    return None


def _left_cue(ctx: _Context, start: int) -> _Cue | None:
    """The nearest cue before a quantity that no other claim has taken. A cue far away only counts
    when the quantity is the amount of a change ("outperforms X ... by 19.8%"); a comparative
    adjective ("more", "higher") only right before it, since it qualifies the noun after it."""
    best: _Cue | None = None
    amount = bool(_BY_AMOUNT_RE.search(ctx.text, ctx.lo, start) or _FACTOR_OF_RE.search(ctx.text, ctx.lo, start))
    for kind, pattern in _CUE_PATTERNS[:4]:
        for match in pattern.finditer(ctx.text, ctx.lo, start):
            if _QUANTIFIER_RE.match(ctx.text, match.end()):
                continue  # "more than 60%", "less than 1%"
            gap = len(ctx.text[match.end():start].split())
            near_only = _COMPARATIVE_RE.fullmatch(match.group(0))
            if (near_only and gap > 3) or (gap > 10 and not amount):
                continue
            taken = any(s <= match.start() < e for s, e in ctx.used)
            if not taken and (best is None or match.start() > best.start):
                best = _Cue(kind, match.start(), match.end(), match.group(0))
    return best


@dataclass(frozen=True)
class _Metric:
    name: str
    higher_is_better: bool | None


def _metric_in(text: str, lo: int, hi: int, last: bool = False) -> _Metric | None:
    """The first (or last) metric named in text[lo:hi], normalized."""
    matches = list(R.METRIC_RE.finditer(text, lo, hi))
    if not matches:
        return None
    match = matches[-1] if last else matches[0]
    _, name, higher, _ = R.METRICS[int(match.lastgroup[1:])]
    return _Metric(name, higher)


def _resolve_group(ctx: _Context, group: list[_Quantity], floor: int, stop: int) -> int:
    """Decide kind and metric once for a coordinated group, from the words around the whole group:
    after ``floor`` (the end of the previous group's words) and before ``stop`` (the next group).
    Returns the end of this group's words."""
    span = _Span(group[0].start, group[-1].end, _right_phrase_end(ctx, group[-1].end, stop))
    cue = _group_cue(ctx, group, span)
    if group[-1].form in _CUED_FORMS:
        metric = _metric_in(ctx.text, span.end, span.right_end) or _metric_in(
            ctx.text, max(floor, span.start - 80), span.start, last=True
        )
    else:  # a size: what the last member measures ("1.3 billion and 6.7 billion parameters")
        name = _size_metric(ctx, group[-1])
        metric = _Metric(name, _direction(name)) if name else None
    change = any(q.joined_by == "arrow" or (q.joined_by == "to" and _is_change(ctx.text, group[0])) for q in group)
    worse = cue is not None and cue.kind == "worse"  # a change for the worse is reported, not claimed
    for q in group:
        q.metric = metric.name if metric else None
        q.cue = (cue.start, cue.end) if cue else None
        if q.kind is None and not (worse and q.form in _CUED_FORMS):
            q.kind = "score" if change and q.form in _CUED_FORMS else _DECIDERS[q.form](ctx, q, span, cue, metric)
    return span.right_end


_CUED_FORMS = frozenset({"factor", "percent", "points", "bare"})


def _group_cue(ctx: _Context, group: list[_Quantity], span: _Span) -> _Cue | None:
    """The cue right after the group, else before it, else (an elliptical repeat, "280x on A and 68x
    on B") the last cue used in the sentence for the same unit. Sizes and counts take no cue."""
    if group[-1].form not in _CUED_FORMS:
        return None
    unit = group[-1].unit
    cue = _right_cue(ctx, span.end, span.right_end)
    if cue:
        ctx.used.append((cue.start, cue.end))
    else:
        cue = _left_cue(ctx, span.start) or ctx.last_cue.get(unit)
    if cue:
        ctx.last_cue[unit] = cue
    return cue


_COST_METRICS = frozenset(
    {"latency", "FLOPs", "memory", "parameters", "time", "compute", "energy", "training data", "size"}
)
_NOT_SCORES = _COST_METRICS | {"resolution"}
"""Metrics a bare number next to is a size, not a result ("7 data sets", "256 resolution")."""


def _by_direction(cue: _Cue | None, metric: _Metric | None) -> str | None:
    """A cut in a lower-is-better quality metric (FID, WER) is an improvement; a rise in it is none."""
    if cue is None:
        return None
    if metric is None or metric.name in _COST_METRICS or metric.higher_is_better is None:
        return cue.kind
    if cue.kind == "reduction":
        return "improvement" if metric.higher_is_better is False else None
    if cue.kind == "improvement" and metric.higher_is_better is False and _RISE_WORDS.fullmatch(cue.word):
        return None
    return cue.kind


def _before(ctx: _Context, span: _Span, width: int = 60) -> str:
    return ctx.text[max(ctx.lo, span.start - width):span.start]


def _decide_factor(ctx: _Context, q: _Quantity, span: _Span, cue: _Cue | None, metric: _Metric | None) -> str | None:
    return _by_direction(cue, metric)


def _decide_percent(ctx: _Context, q: _Quantity, span: _Span, cue: _Cue | None, metric: _Metric | None) -> str | None:
    """A share: of a budget (scale), of a cost (reduction), of a metric (score), or a relative change."""
    before = _before(ctx, span, 40)
    cut = _PERCENT_CUT_LEFT_RE.search(before)
    if _SCALE_PERCENT_RE.match(ctx.text, span.end):
        return "reduction" if cut or _PERCENT_ONLY_LEFT_RE.search(before) else "scale"
    if _is_amount(ctx, span, cue, before):
        return _by_direction(cue, metric)
    cost = _SCORE_RIGHT_RE.match(ctx.text, span.end) and metric and metric.name in _COST_METRICS
    if cost and _USING_RE.search(before):
        return "reduction"  # "with 0.1% trainable parameters"
    if cut:
        return "reduction"
    if _STATE_RE.search(before) or _score_metric_next_to(ctx, q, before) or _alone_in_parens(ctx, span):
        return "score"
    return _by_direction(cue, metric)


def _decide_points(ctx: _Context, q: _Quantity, span: _Span, cue: _Cue | None, metric: _Metric | None) -> str | None:
    return None if cue and cue.kind == "reduction" else "improvement"


def _decide_bare(ctx: _Context, q: _Quantity, span: _Span, cue: _Cue | None, metric: _Metric | None) -> str | None:
    """A bare number is a change ("+8.6 EM", "outperforms X by 0.4", "1.1 F1 improvement"), a
    reached value ("improves FID to 2.1"), or a score next to its metric ("FID of 1.24")."""
    before = _before(ctx, span)
    changed = _is_amount(ctx, span, cue, before)
    if changed is not None:
        return _by_direction(cue, metric) if changed and cue and cue.kind != "speedup" else None
    if _STATE_RE.search(before) or _score_metric_next_to(ctx, q, before):
        return "score"
    return None


def _alone_in_parens(ctx: _Context, span: _Span) -> bool:
    """"(73.99%)" after a system's name is that system's score."""
    return ctx.text[span.start - 1:span.start] == "(" and ctx.text[span.end:span.end + 1] == ")"


def _is_amount(ctx: _Context, span: _Span, cue: _Cue | None, before: str) -> bool | None:
    """True when the quantity is the size of a change: a cue right after it, "by N", "gain of N";
    None when nothing says so."""
    if cue is not None and cue.start >= span.end:
        return True
    if _BY_AMOUNT_RE.search(before) or _IMPROVEMENT_OF_RE.search(before):
        return True
    return None


def _score_metric_next_to(ctx: _Context, q: _Quantity, before: str) -> bool:
    """A quality metric written right before ("FID of", "accuracy:") or after ("1.78 FID") the number."""
    for found in (_SCORE_LEFT_RE.search(before), _SCORE_RIGHT_RE.match(ctx.text, q.end)):
        if found and _metric_in(found.group(0), 0, len(found.group(0))).name not in _NOT_SCORES:
            return True
    return False


def _decide_size(ctx: _Context, q: _Quantity, span: _Span, cue: _Cue | None, metric: _Metric | None) -> str | None:
    """Rates are results; sizes are facts, unless they are the target of a cut ("to merely 88 GPU-days")."""
    if q.unit in R.RATE_UNITS or "/" in q.unit:
        return "score"
    before = ctx.text[ctx.lo:q.start]
    cut_to = _TO_REDUCED_RE.search(before)
    emphatic = cut_to is not None and len(cut_to.group(0).split()) > 1
    if cut_to and (emphatic or q.joined_by == "to") and R.REDUCE_RE.search(before):
        return "reduction"
    return "scale"


_DECIDERS = {
    "factor": _decide_factor,
    "percent": _decide_percent,
    "points": _decide_points,
    "bare": _decide_bare,
    "magnitude": _decide_size,
    "unit": _decide_size,
    "count": lambda *_: "scale",
    "dims": lambda *_: None,
    "resolution": lambda *_: "scale",
}


def _mark_out_of(text: str, quantities: list[_Quantity]) -> None:
    """"eight out of eleven metrics", "6 / 7 tasks": a score over a counted total (a scale fact)."""
    for a, b in zip(quantities, quantities[1:]):
        whole = a.value == int(a.value) and b.value == int(b.value) and a.value <= b.value
        if whole and a.form in {"bare", "count"} and a.kind is None and _OUT_OF_RE.fullmatch(text, a.end, b.start):
            a.kind = "score"
            if b.form == "bare":
                b.kind = "scale"


# --- 5. naming the metric, baseline and dataset --------------------------------------------------


def _metric_name(ctx: _Context, q: _Quantity) -> str | None:
    """Canonical metric. Speedups are named by what got faster ("inference speed"), counts by what
    is counted, and a change with no metric next to it by the quality metric its sentence names."""
    if q.form == "resolution":
        return "resolution"
    if q.form == "count":
        return "models" if _ACRONYM_MODELS_RE.fullmatch(q.noun) else q.noun.lower()
    if q.kind == "speedup" and q.metric != "throughput":
        return _speed_metric(ctx, q)
    if q.metric is None and q.kind in {"improvement", "score"}:
        return _sentence_metric(ctx, q)
    return q.metric


def _sentence_metric(ctx: _Context, q: _Quantity) -> str | None:
    """The quality metric named nearest to q in its sentence ("outperforms ... by 0.4" about FID)."""
    named = [
        (abs(m.start() - q.start), R.METRICS[int(m.lastgroup[1:])][1])
        for m in R.METRIC_RE.finditer(ctx.text, ctx.lo, ctx.hi)
    ]
    named = [(d, name) for d, name in named if name not in _NOT_SCORES and name != "throughput"]
    return min(named)[1] if named else None


def _speed_metric(ctx: _Context, q: _Quantity) -> str:
    """What got faster: the stage named right after ("faster inference"), else the nearest before,
    else inference, what an unqualified speedup in an abstract almost always measures."""
    words = list(_WORD_RE.finditer(ctx.text, q.end, ctx.hi))[:3]
    after = R.STAGE_RE.search(ctx.text, q.end, words[-1].end()) if words else None
    before = list(R.STAGE_RE.finditer(ctx.text, max(ctx.lo, q.start - 60), q.start))
    stage = after or (before[-1] if before else None)
    return f"{stage.group(0).lower()} speed" if stage else "inference speed"


def _size_metric(ctx: _Context, q: _Quantity) -> str | None:
    """What a size measures: a metric named right after it ("0.8B parameters"), what its unit
    counts ("256 tokens"), a model ("1.5B model", "xAR-B (172M)") or data ("2M images")."""
    clause = _CLAUSE_END_RE.search(ctx.text, q.end, ctx.hi)
    words = list(_WORD_RE.finditer(ctx.text, q.end, clause.start() if clause else ctx.hi))[:3]
    metric = _metric_in(ctx.text, q.end, words[-1].end()) if words else None
    if metric:
        return metric.name
    if q.form != "magnitude":
        return "throughput" if "/" in q.unit else R.UNIT_METRICS.get(q.unit)
    if _DATA_AFTER_RE.match(ctx.text, q.end) or q.unit.endswith(("tokens", "hours")):
        return "training data"
    model_size = _MODEL_AFTER_RE.match(ctx.text, q.end) or ctx.text[q.start - 1:q.start] == "("
    return "parameters" if model_size else None


def _direction(metric: str | None) -> bool | None:
    if metric is None:
        return None
    if metric.endswith("speed"):
        return True
    return next((higher for _, name, higher, _ in R.METRICS if name == metric), None)


def _baseline(ctx: _Context, q: _Quantity) -> str | None:
    """What a relative claim is compared with: the nearest "over X" / "than X" / "compared to X";
    coordinated claims take their own part of a coordinated baseline ("LDM/DiT by 1.82/0.49")."""
    candidates = []
    for match in _BASELINE_TRIGGER_RE.finditer(ctx.text, ctx.lo, ctx.hi):
        words = _baseline_words(ctx.text, match.end(), ctx.hi)
        if words:
            distance = match.start() - q.end if match.start() >= q.end else (q.start - match.end()) * 1.5
            candidates.append((distance, words))
    by_object = _by_object(ctx, q.start - _member_offset(ctx, q))
    if by_object:  # "outperforms A by 2% and B by 3%": each amount's own object
        candidates = [(-1, by_object)]
    if not candidates:
        return None
    words = min(candidates)[1]
    index, size = q.member
    parts = _BASELINE_SPLIT_RE.split(" ".join(words))
    if size > 1 and len(parts) == size:
        words = parts[index].split()
    return " ".join(_without_generic_head(words))


def _without_generic_head(words: list[str]) -> list[str]:
    """"the ReTA model" -> "ReTA"; "previous best-performing model" stays whole."""
    while len(words) > 1 and any(map(_is_name, words)) and words[-1].lower() in R.GENERIC_HEADS:
        words = words[:-1]
    return words


def _by_object(ctx: _Context, start: int) -> list[str]:
    """The object of "outperforms X by N" / "..., and Y by N": the words between the comparison verb
    (or the conjunction after it) and "by", when they are a plain noun phrase."""
    by = _BY_AMOUNT_RE.search(ctx.text, max(ctx.lo, start - 40), start)
    if by is None:
        return []
    words: list[str] = []
    for word in reversed(ctx.text[ctx.lo:by.start()].split()[-8:]):
        bare = word.strip(",;")
        if _COMPARE_VERB_RE.fullmatch(bare) or ((bare in {"and", "over"} or word.endswith(",")) and words):
            elliptical = not _COMPARE_VERB_RE.fullmatch(bare)
            if elliptical and not _COMPARE_VERB_RE.search(ctx.text, ctx.lo, by.start()):
                return []
            return _appositive([w for w in words if w.lower() not in R.DETERMINERS][::-1])
        if bare.lower() in R.BASELINE_STOP or _cue_word(bare):
            return []
        words.append(bare)
    return []


def _cue_word(word: str) -> bool:
    return any(pattern.fullmatch(word) for _, pattern in _CUE_PATTERNS)


def _member_offset(ctx: _Context, q: _Quantity) -> int:
    """How far the first member of q's group is before q: "by 0.4/0.19" puts 0.19 after "0.4/"."""
    head = ctx.text.rfind(" by ", ctx.lo, q.start)
    return q.start - head - 4 if q.member[0] and head >= 0 else 0


def _baseline_words(text: str, i: int, hi: int) -> list[str]:
    """The noun phrase after a comparison word, without leading determiners and adverbs, up to a
    function word, a number or a citation ("DiT Peebles & Xie [2023]" -> "DiT")."""
    words: list[str] = []
    while (match := _WORD_RE.search(text, i, hi)) is not None:
        i = match.end()
        sota = _SOTA_RE.match(text, match.start())
        if sota:  # "state of the art" is one word here, its "of" does not end the phrase
            words.append("state-of-the-art")
            i = sota.end()
            continue
        word = match.group(0)
        bare = word.rstrip(",.;:)")
        lower = bare.lower()
        if not words and (lower in R.DETERMINERS or lower in R.ADVERBS):
            continue
        if lower in {"&", "et"} or bare.startswith("["):
            return words[:-1] if lower != "[" and len(words) > 1 else words
        pairs = _next_word(text, i, hi)[:1].isupper() or "respectively" in text[i:hi]
        joins_names = lower in {"and", "or"} and words and pairs
        if not joins_names and (lower in R.BASELINE_STOP or re.match(r"[~(\d]", bare)):
            break
        words.append(bare.split("(")[0])
        if bare != word or "(" in bare or len(words) >= 6:
            break
    return _appositive(words)


def _appositive(words: list[str]) -> list[str]:
    """"autoregressive models LlamaGen/VAR" -> "LlamaGen/VAR": a name after a generic noun is the baseline."""
    for k, word in enumerate(words[:-1]):
        if word.lower() in R.GENERIC_HEADS and _is_name(words[k + 1]):
            return words[k + 1:]
    return words


def _next_word(text: str, i: int, hi: int) -> str:
    match = _WORD_RE.search(text, i, hi)
    return match.group(0) if match else ""


def _is_name(word: str) -> bool:
    return bool(re.search(r"[A-Z\d]", word))


def _dataset(ctx: _Context, q: _Quantity) -> str | None:
    """The benchmark a result is on: an "on X" within a few words after it ("8.8% and 11.6% on
    MATH500"), else the nearest one in its sentence."""
    after = _DATASET_AFTER_RE.match(ctx.text, q.end, ctx.hi) or _PAREN_DATASET_RE.match(ctx.text, q.end, ctx.hi)
    if after and _dataset_name(after):
        return _dataset_name(after)
    best: tuple[float, str] | None = None
    for match in [*_DATASET_RE.finditer(ctx.text, ctx.lo, ctx.hi), *_ON_PAREN_RE.finditer(ctx.text, ctx.lo, ctx.hi)]:
        name = _dataset_name(match)
        if name is None or match.start("name") <= q.start < match.end():
            continue
        distance = match.start() - q.end if match.start() >= q.end else (q.start - match.end()) * 1.2
        if best is None or distance < best[0]:
            best = (distance, name)
    return best[1] if best else None


def _dataset_name(match: re.Match[str]) -> str | None:
    """A benchmark name, or None for hardware, model families and plain capitalized words."""
    name = _GLUED_RESOLUTION_RE.sub("", match.group("name").rstrip("."))  # "ImageNet256times 256"
    if not name or _NOT_DATASET_RE.match(name) or R.METRIC_RE.match(name):
        return None
    res = match.group("res")
    if res:
        width, height = re.findall(r"\d+", res)[:2]
        return f"{name} {width}x{height}"
    return name


def _resolution_dataset(ctx: _Context, q: _Quantity) -> str | None:
    """"ImageNet 256x256": the resolution's own dataset, written right before it."""
    match = _RESOLUTION_DATASET_RE.search(ctx.text, max(ctx.lo, q.start - 30), q.start)
    name = match.group("name") if match else ""
    return name if name and not _NOT_DATASET_RE.match(name) and not R.METRIC_RE.fullmatch(name) else None


# --- assembling claims ------------------------------------------------------------------------------


def _sentence_quantities(ctx: _Context) -> list[_Quantity]:
    """The sentence's quantities with kinds decided (kind None: not a claim)."""
    quantities = _quantities(ctx.text, ctx.lo, ctx.hi)
    _mark_out_of(ctx.text, quantities)
    groups = _join(ctx.text, quantities)
    resolved: list[_Quantity] = []
    floor = ctx.lo
    for i, group in enumerate(groups):
        _share_units(group)
        group = _merge_ranges(ctx.text, group)
        for k, q in enumerate(group):
            q.member = (k, len(group))
        stop = groups[i + 1][0].start if i + 1 < len(groups) else ctx.hi
        floor = _resolve_group(ctx, group, floor, stop)
        resolved.extend(group)
    return resolved


def _claim(ctx: _Context, q: _Quantity, source: CleanText, raw: str) -> Claim:
    """The claim for a decided quantity; its evidence runs from the number to a cue right after it."""
    end = q.cue[1] if q.cue and 0 <= q.cue[0] - q.end <= 40 else q.end
    metric = _metric_name(ctx, q)
    dataset = _resolution_dataset(ctx, q) if q.form == "resolution" else None if q.kind == "scale" else _dataset(ctx, q)
    relative = q.kind in {"speedup", "reduction", "improvement"}
    start, stop = source.raw_start(q.start), source.raw_end(end)
    return Claim(
        kind=q.kind,
        value=float(q.value),
        unit=q.unit,
        metric=metric,
        higher_is_better=_direction(metric),
        range_low=q.low,
        baseline=_baseline(ctx, q) if relative else None,
        dataset=dataset,
        text=raw[start:stop],
        start=start,
        end=stop,
    )


def claims_in_text(text: str) -> list[Claim]:
    """All numeric claims in one abstract, in reading order. Questions are not claims."""
    if not text:
        return []
    source = clean(text)
    claims: list[Claim] = []
    for lo, hi in sentences(source.text):
        ctx = _Context(source.text, lo, hi)
        if not source.text[lo:hi].rstrip().endswith("?"):
            claims.extend(_claim(ctx, q, source, text) for q in _sentence_quantities(ctx) if q.kind in KINDS)
    return claims


def extract_claims(papers: pd.DataFrame) -> pd.DataFrame:
    """The claims table (schema.CLAIMS) for every paper with an abstract."""
    rows = [
        {"paper_id": paper_id, **claim.__dict__}
        for paper_id, abstract in zip(papers["paper_id"], papers["abstract"])
        if isinstance(abstract, str)
        for claim in claims_in_text(abstract)
    ]
    return conform(pd.DataFrame(rows, columns=list(CLAIMS)), CLAIMS)
