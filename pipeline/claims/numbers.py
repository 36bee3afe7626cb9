"""Finding every number in a sentence, with the unit written after it.

A number is digits ("1,024", ".5", "+8.6"), a number word ("three", "eight hundred"), a fraction in
words ("half", "one-eighth"), a factor in words ("an order of magnitude", "hundreds of times",
"halves") or a range ("2-3x", "10~100x"). Its unit is read from what follows: a factor (x, times,
-fold), a percent, points, a magnitude (k, M, B, "million"), a unit symbol (ms, GB), a hyphenated
size ("4-bit"), a noun counted in its own unit ("256 tokens"), a counted thing ("38 datasets") or
nothing (a bare number). Nothing here decides whether the number is a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.claims import vocab as V

# Tiny fixed word lists stay in code (the vocabulary files hold what grows with new fields).
NUMBER_WORDS: dict[str, float] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "thousand": 1000, "a thousand": 1000, "a dozen": 12,
}
"""'one' is left out on purpose: "one token at a time", "one of the" are far more common than a claim."""

ORDER_WORDS: dict[str, float] = {"an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
"""Counts of orders of magnitude: "two orders of magnitude" -> 10**2."""

PLURAL_MULTIPLES: dict[str, float] = {"tens": 10, "dozens": 12, "hundreds": 100, "thousands": 1000}
"""Vague multiples read as their lower bound: "hundreds of times fewer faces" -> 100x."""

VERB_FACTORS: dict[str, tuple[float, str]] = {"halv": (2.0, "reduction"), "doubl": (2.0, ""), "tripl": (3.0, "")}
"""Verbs that state a factor: "halves the latency" is a 2x reduction; a doubling takes its kind from context."""

MIN_RESOLUTION = 32
"""NxN is an image resolution from this size up, or when "resolution"/"pixels" follows; "3x3
convolutions" and "10x10 boards" are shapes, not claims."""


@dataclass
class Quantity:
    """A number found in the cleaned text, refined step by step until it becomes a claim.

    ``form`` says what the unit makes of it: factor | percent | points | bare | magnitude | unit |
    count | resolution | dims. ``kind`` stays None until a rule decides; ``dismissed`` names why
    a number is no claim at all (a name, a year, ...)."""

    start: int
    end: int
    value: float
    unit: str
    form: str
    low: float | None = None
    noun: str = ""
    kind: str | None = None
    metric: str | None = None
    cue: tuple[int, int] | None = None
    joined_by: str = ""  # how it is joined to the previous quantity: "and", "to", "arrow", ""
    member: tuple[int, int] = (0, 1)  # its place in its coordinated group, and the group's size
    first: int = -1  # where the number itself starts (the low end of a range)
    number_end: int = -1  # where the number itself ends, before its unit
    word: bool = False  # written in words
    special: bool = False  # a factor in words ("halves", "an order of magnitude")
    sign: str = ""
    dismissed: str | None = None


_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_WORDS = V.alternation(list(NUMBER_WORDS))
_FIRST_LETTERS = "".join(sorted({w[0] for w in NUMBER_WORDS} | {w[0].upper() for w in NUMBER_WORDS}))
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
    rf"|\b(?P<order>(?i:{'|'.join(ORDER_WORDS)}))\s+orders?\s+of\s+magnitude\b"
    rf"|\b(?P<plural>(?i:{'|'.join(PLURAL_MULTIPLES)}))\s+of\s+times\b"
    rf"|\b(?P<verb>(?i:{'|'.join(VERB_FACTORS)}))(?:es|ed|ing)\b|\b(?P<verb2>(?i:halv))e\b)"
)
_MAGNITUDE_SUFFIXES = "|".join(k for k in V.MAGNITUDES if len(k) == 1)
_MAGNITUDE_WORDS = "|".join(k for k in V.MAGNITUDES if len(k) > 1)
_NOT_COUNTED = r"(?!(?:data|time|key|control|sample)\b)"  # "6 average points" but not "300 data points"
_UNIT_RE = re.compile(
    rf"(?P<res>\s?(?:x|X|times|\*)\s?\d+(?![\d.]))"
    rf"|(?P<pct>\s?(?:%|percent\b|per\s?cent\b))(?P<pctpts>\s?points?\b)?"
    rf"|(?P<pts>\s?(?:percentage[- ]points?\b|pp\b|p\.p\.|(?:{_NOT_COUNTED}[a-z]+\s){{0,2}}points?\b))"
    rf"|(?P<mult>(?:x|X)(?![a-zA-Z\d])|\s?times\b|times(?![a-z])|-?\s?fold\b)"
    rf"|(?P<mag>(?:{_MAGNITUDE_SUFFIXES})(?![a-zA-Z\d])|[\s-](?:{_MAGNITUDE_WORDS})\b)"
    rf"|(?P<comp>-(?:{'|'.join(V.COMPOUND_UNITS)})s?\b)"
    rf"|(?P<sym>\s?(?:{V.alternation(list(V.SYMBOL_UNITS))})(?![\w/]))"
)
_MODIFIERS = r"(?:(?!(?:of|in|on|for|to|by|with|and|or|from|than|the|a|an|is|are|at)\b)[^\s,.;:]+\s+)"
_UNIT_NOUN_AFTER_RE = re.compile(rf"\s+{_MODIFIERS}{{0,2}}?(?P<noun>{V.UNIT_NOUN_RE.pattern})")
_UNIT_NOUN_ADJACENT_RE = re.compile(rf"\s(?P<noun>{V.UNIT_NOUN_RE.pattern})")
_COUNT_NOUN_AFTER_RE = re.compile(rf"\s+(?:\([^)]*\)\s*)?{_MODIFIERS}{{0,3}}(?P<noun>{V.COUNT_NOUN_RE.pattern})")
_ITEM_NOUN_AFTER_RE = re.compile(rf"\s+{_MODIFIERS}{{0,2}}(?P<noun>{V.ITEM_NOUN_RE.pattern})")
_RESOLUTION_WORD_RE = re.compile(r"\s*(?:resolution|pixels?|px|images?)\b")
_PLURAL_RE = re.compile(r"(?:s|es|ora|ata)$")
OUT_OF_RE = re.compile(r"\s+/\s+|\s*out of\s*")
_PER_RE = re.compile(rf"\s?(?:per|/)\s?(?P<noun>(?:{V.PER_NOUNS}))s?\b")
FACTOR_OF_RE = re.compile(r"\ba factor of\s+(?:about |around |approximately |up to |over |more than )?$")


def to_float(number: str) -> float:
    return float(number.replace(",", ""))


def quantities(text: str, lo: int, hi: int) -> list[Quantity]:
    """Every number in text[lo:hi] with the unit written after it, in reading order."""
    found = [_special(m) for m in _SPECIAL_RE.finditer(text, lo, hi)]
    taken = [(q.start, q.end) for q in found]
    for match in _NUMBER_RE.finditer(text, lo, hi):
        if any(s <= match.start() < e for s, e in taken):
            continue
        quantity = _number(text, match, hi)
        found.append(quantity)
        taken.append((quantity.start, quantity.end))
    return sorted(found, key=lambda q: q.start)


def _special(match: re.Match[str]) -> Quantity:
    """Factors stated in words ("two orders of magnitude", "hundreds of times", "halves"), and a
    process cut to one step ("distilled into a single step")."""
    if match.group("single"):
        q = Quantity(match.start("single"), match.end("single"), 1.0, "steps", "unit", kind="reduction")
    elif match.group("order"):
        q = Quantity(match.start(), match.end(), 10.0 ** ORDER_WORDS[match.group("order").lower()], "x", "factor")
    elif match.group("plural"):
        q = Quantity(match.start(), match.end(), PLURAL_MULTIPLES[match.group("plural").lower()], "x", "factor")
    else:
        value, kind = VERB_FACTORS[(match.group("verb") or match.group("verb2")).lower()]
        q = Quantity(match.start(), match.end(), value, "x", "factor", kind=kind or None)
    q.first, q.number_end, q.word, q.special = q.start, q.end, True, True
    return q


def _number(text: str, match: re.Match[str], hi: int) -> Quantity:
    """A digit or word number with its unit."""
    if match.group("word"):
        q = _with_unit(text, match.start(), match.end(), NUMBER_WORDS[match.group("word").lower()], hi)
        q.first, q.number_end, q.word = match.start(), match.end(), True
        return q
    value = to_float(match.group("num")) * (-1 if match.group("sign") == "-" else 1)
    q = _with_unit(text, match.start(), match.end(), value, hi)
    q.first = match.start("low") if match.group("low") else match.start("num")
    q.number_end, q.sign = match.end(), match.group("sign") or ""
    if match.group("low"):
        q.low = to_float(match.group("low"))
    factor_of = q.form == "bare" and FACTOR_OF_RE.search(text, max(0, match.start() - 40), match.start())
    if match.group("xpre") or factor_of:
        q.unit, q.form = "x", "factor"
    if q.sign == "+" and q.form in {"bare", "percent", "points"}:
        q.kind = "improvement"
    return q


def _with_unit(text: str, start: int, end: int, value: float, hi: int) -> Quantity:
    """Read the unit written right after a number (and the noun after that, for counts)."""
    end += text.startswith("+", end)  # "30+ times", "100+ languages"
    unit = _UNIT_RE.match(text, end, hi)
    group = unit.lastgroup if unit else None
    if group is None:
        return _noun_quantity(text, start, end, value, hi)
    stop = unit.end()
    if group == "res":
        big = value >= MIN_RESOLUTION or _RESOLUTION_WORD_RE.match(text, stop, hi)
        return Quantity(start, stop, value, "px", "resolution" if big else "dims")
    if group == "pct":
        return Quantity(start, stop, value, "%", "percent")
    if group in {"pts", "pctpts"}:  # "11.77 percentage points", "6.5% points"
        return Quantity(start, stop, value, "pp", "points")
    if group == "mult":
        return Quantity(start, stop, value, "x", "factor")
    if group == "comp":
        return Quantity(start, stop, value, V.COMPOUND_UNITS[unit.group("comp")[1:].rstrip("s")], "unit")
    if group == "sym":
        return _per(text, Quantity(start, stop, value, V.SYMBOL_UNITS[unit.group("sym").strip()], "unit"), hi)
    return _magnitude(text, start, stop, value, unit.group("mag").strip(), hi)


def _per(text: str, q: Quantity, hi: int) -> Quantity:
    """"121 μJ per image", "8 ms/token": a unit per something is a rate, written "μJ/image"."""
    per = _PER_RE.match(text, q.end, hi)
    if per:
        noun = "s" if per.group("noun").startswith("second") else per.group("noun")
        q.unit, q.end = f"{q.unit}/{noun}", per.end()
    return q


def _magnitude(text: str, start: int, end: int, value: float, suffix: str, hi: int) -> Quantity:
    """172M, 1.3 billion, 8k tokens: a unit noun right after joins the unit ("k tokens")."""
    magnitude = V.MAGNITUDES[suffix.lstrip("-")]
    noun = _UNIT_NOUN_ADJACENT_RE.match(text, end, hi)
    if noun:
        return Quantity(start, noun.end(), value, f"{magnitude} {unit_of(noun.group('noun'))}", "magnitude")
    return Quantity(start, end, value, magnitude, "magnitude")


def _noun_quantity(text: str, start: int, end: int, value: float, hi: int) -> Quantity:
    """A number with no unit symbol: counted in a unit noun ("4 H100s"), a counted thing, or bare."""
    unit_noun = _UNIT_NOUN_AFTER_RE.match(text, end, hi)
    if unit_noun:
        return _per(text, Quantity(start, unit_noun.end(), value, unit_of(unit_noun.group("noun")), "unit"), hi)
    count = _COUNT_NOUN_AFTER_RE.match(text, end, hi) or _ITEM_NOUN_AFTER_RE.match(text, end, hi)
    whole = "." not in text[start:end]  # "FewRel 1.0 and 2.0 datasets" are versions, not counts
    counted = count and whole and (value == 1 or _PLURAL_RE.search(count.group("noun")))
    if counted and (count.re is _COUNT_NOUN_AFTER_RE or value >= V.MIN_ITEM_COUNT):
        return Quantity(start, count.end(), value, "", "count", noun=count.group("noun"))
    return Quantity(start, end, value, "", "bare")


def unit_of(noun: str) -> str:
    return next(n.unit for n in V.NOUN_UNITS if n.pattern.fullmatch(noun))
