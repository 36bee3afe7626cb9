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
WORD_VALUES: dict[str, float] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
"""Number words; "hundred" and "thousand" multiply what comes before ("eight hundred" -> 800), while
"million" and up stay the magnitude of their unit ("ten million" -> 10, unit M)."""
_MULTIPLIERS = {"dozen": 12, "hundred": 100, "thousand": 1000}

DENOMINATORS: dict[str, float] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
    "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}
"""Fractions in words: "one-eighth" -> 0.125, "two-thirds", "half" -> 0.5 (as stated, not inverted)."""

ORDER_WORDS: dict[str, float] = {"an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "several": 2}
"""Counts of orders of magnitude: "two orders of magnitude" -> 10**2; a plural with no count reads as
its lowest value ("orders of magnitude" -> 100, "several orders of magnitude" -> 100)."""

PLURAL_MULTIPLES: dict[str, float] = {"tens": 10, "dozens": 12, "hundreds": 100, "thousands": 1000}
"""Vague multiples read as their lower bound: "hundreds of times fewer faces" -> 100x."""

VAGUE_AMOUNTS: dict[str, tuple[float, str]] = {
    "tens": (10, ""), "dozens": (12, ""), "hundreds": (100, ""), "thousands": (1, "k"), "millions": (1, "M"),
    "billions": (1, "B"), "trillions": (1, "T"),
}
"""Vague amounts of things, read as their lower bound in the magnitude convention: "hundreds of spike
trains" -> 100, "thousands of members" -> 1 k, "tens of thousands of images" -> 10 k."""

VERB_FACTORS: dict[str, tuple[float, str]] = {"halv": (2.0, "reduction"), "doubl": (2.0, ""), "tripl": (3.0, ""),
                                              "quadrupl": (4.0, "")}
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
    before: bool = False  # the "from" value of a before-and-after pair ("from 4.19 to 9.96")
    degraded: bool = False  # a change for the worse, kept as a positive improvement ("accuracy drops 3%")
    role: str | None = None
    follows: "Quantity | None" = None  # the score a parallel value continues ("0.8 on A and [0.7] on B")


_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_WORD = V.alternation([*WORD_VALUES, *_MULTIPLIERS])
_WORD_NUMBER = rf"(?:a\s+(?=hundred|thousand|dozen))?(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*"
_FRACTION = rf"(?:(?:one|a|two|three|four|five|seven|nine)[\s-])?(?:{'|'.join(DENOMINATORS)})"
_NUMBER_RE = re.compile(
    r"(?=\d|[xX+\-.$€£]\d|US\$\d)"  # lets most positions fail at once
    r"(?:(?P<power>\b10\s?(?:\^|ˆ|\*\*)\s?(?P<exp10>[-+−]?\d{1,3})(?![\d.]))"
    rf"|(?P<xpre>(?<![\w.])[xX](?=\d))?"
    rf"(?:(?P<low>{_NUM})(?:\s?(?:x|X|times)(?![a-zA-Z])|\s?%)?\s?(?:-{{1,2}}|–|—|~)\s?(?=\d))?"
    rf"(?P<currency>\$|US\$|€|£)?(?P<sign>(?<![\w.)%])[-+])?(?P<num>{_NUM})(?P<sci>[eE][-+−]?\d{{1,3}}(?![\w.]))?"
    r"(?:\s?[x×*]\s?10\s?(?:\^|ˆ|\*\*)\s?(?P<exp>[-+−]?\d{1,3})(?![\d.]))?"  # 7.5×10^4
    rf"(?:\s?(?:±|\+/-|\+-)\s?(?:{_NUM}))?)"  # 11.0 ± 1.3 points
)
_WORD_NUMBER_RE = re.compile(
    rf"(?P<fraction>\b(?i:{_FRACTION})\b(?!-))|(?P<word>\b(?i:{_WORD_NUMBER})\b)"
    r"|(?P<multiple>\b(?i:double|triple|quadruple)\b)"
)
_BY_HALF_RE = re.compile(r"\b(?:by|in)\s+(?:about |around |nearly |almost |roughly |approximately |more than |over )?$", re.I)
_SHARE_AFTER_RE = re.compile(r"[\s-]+(?:the|as|of|an?|its|their)\b", re.I)
""""in half the time" is a share as stated (0.5), "by half" a halving (2)."""
_WORD_STEMS = ("doubl", "tripl", "quadrupl", "zero", "one", "two", "thr", "four", "five", "six", "seven", "eight",
               "nine", "ten", "eleven", "twel", "fift", "twenty", "forty", "hundred", "thousand", "dozen", "half",
               "halves", "third", "quarter")
"""Substrings one of which any number word holds: a sentence without them skips the word search."""
_SPECIAL_STEMS = ("magnitude", "times", "tens of", "dozens of", "hundreds of", "thousands of", "millions of",
                  "billions of", "trillions of", "twice", "halv", "doubl", "tripl", "quadrupl", "single", "one",
                  "orders")

_WORD_HINT = re.compile("|".join(_WORD_STEMS))
_SPECIAL_HINT = re.compile("|".join(_SPECIAL_STEMS))
_MODAL_BEFORE = "|".join(rf"(?<=\b{w} )" for w in ("can", "could", "may", "might", "will", "would", "to"))
"""A bare "double" or "triple" is a verb only after a modal: "can double retention", not "double attention"."""
_SPECIAL_RE = re.compile(
    r"(?=\b[a-zA-Z\d])"
    r"(?:\b(?i:into|to)\s+(?:a\s+)?(?P<single>(?i:single|one)[- ]step)\b"
    rf"|\b(?:(?P<order>(?i:{'|'.join(ORDER_WORDS)})|\d(?:\s?[-–]\s?\d)?)[\s-]+)?(?P<orders>(?i:orders?))"
    r"(?:[\s-]+of[\s-]+magnitude\b|(?=\s+(?:faster|slower|smaller|larger|fewer|less|more|higher|lower)\b))"
    rf"|\b(?P<plural>(?i:{'|'.join(PLURAL_MULTIPLES)}))\s+of\s+times\b"
    rf"|\b(?P<vague>(?i:(?:tens|dozens|hundreds)\s+of\s+(?:thousands|millions|billions)|{'|'.join(VAGUE_AMOUNTS)}))"
    r"(?=\s+of\s+[a-zA-Z])"
    r"|\b(?P<twice>(?i:twice))\b"
    r"|\b(?P<verb>(?i:halv))(?:es|ed|ing)\b"  # "halving the input": always a cut
    r"|\b(?P<verb5>(?i:doubl|tripl|quadrupl))(?:ed|(?:ing|es)(?=\s+(?:the|its|their|our|a|an|this)\b)"
    r"|(?<!\btripl)es(?=\s+that\b))\b"  # "doubles that of", but "implicit triples that lack"
    r"|\b(?P<verb2>(?i:halv|quadrupl))e\b"
    rf"|(?:{_MODAL_BEFORE})"
    r"(?P<verb3>(?i:double|triple))\b(?!-)"
    r"|\b(?P<verb4>(?i:double|triple))(?=\s+(?:its|their|our)\b))"
)
_MAGNITUDE_SUFFIXES = "|".join(k for k in V.MAGNITUDES if len(k) == 1)
_MAGNITUDE_WORDS = "|".join(k for k in V.MAGNITUDES if len(k) > 1)
_NOT_COUNTED = r"(?!(?:data|time|key|control|sample|to|and|or)\b|\d)"  # "6 average points", not "300 data points" or "34 to 54 points"
_POINT_COMPOUND_OK = (
    r"(?=\s+(?:gains?|improvements?|increases?|boosts?|drops?|decreases?|leads?|margins?|jumps?|rises?|advantages?|"
    r"higher|better|lower|more|less|on|in|over|for|than|of|across|compared|relative|absolute)\b|[^\w\s]|\s*$)"
)
""""a 10-point gain", "by 6-points on X"; not "the 8-point algorithm" or "a 5-point Likert scale"."""
_UNIT_RE = re.compile(
    rf"(?P<res>\s?(?:x|X|times|\*)\s?\d+(?![\d.]))"
    rf"|(?P<pct>\s?(?:%|percent\b|per\s?cent\b))(?P<pctpts>\s?points?\b)?"
    rf"|(?P<pts>\s?(?:percentage[- ]points?\b|pp\b|p\.p\.|(?:{_NOT_COUNTED}[\w-]{{2,}}\s){{0,2}}points?\b)|-points?\b{_POINT_COMPOUND_OK})"
    rf"|(?P<mult>(?:x|X)(?![a-zA-Z\d])|\s?times\b|times(?![a-z])|-?\s?fold\b|(?:\*|\s[xX])(?=\s+(?:fewer|faster|smaller|less|"
    r"lower|higher|more|speed)))"  # "7 x faster", "3 - 6.5 x less compute"
    rf"|(?P<mag>(?:{_MAGNITUDE_SUFFIXES})(?![a-zA-Z\d])|[\s-](?:{_MAGNITUDE_WORDS})\b)"
    rf"|(?P<comp>-(?:{'|'.join(V.COMPOUND_UNITS)})s?\b)"
    rf"|(?P<compcount>-(?:{V.COUNT_NOUN_RE.pattern}))"
    rf"|(?P<sym>\s?(?:{V.alternation(list(V.SYMBOL_UNITS))})(?![\w/]))"
)
_MODIFIERS = r"(?:(?!(?:of|in|on|for|to|by|with|and|or|from|than|the|a|an|is|are|at|per|were|was|have|has)\b)[^\s,.;:()]+\s+)"
_UNIT_NOUN_AFTER_RE = re.compile(rf"\s+{_MODIFIERS}{{0,2}}?(?P<noun>{V.UNIT_NOUN_RE.pattern})")
_COUNT_NOUN_AFTER_RE = re.compile(rf"\s+(?:\([^)]*\)\s*)?{_MODIFIERS}{{0,3}}(?P<noun>{V.COUNT_NOUN_RE.pattern})")
_RESOLUTION_WORD_RE = re.compile(r"\s*(?:resolution|pixels?|px|images?)\b")
_PLURAL_RE = re.compile(r"(?:s|es|ora|ata)$")
_ANY_PLURAL = (
    r"[a-z][a-z-]*(?:[^\Ws]s|ies|ses|xes|ches|shes)|[A-Z][A-Za-z-]*[A-Z]s|[A-Z][a-z]+[^\Wsu]s"
    r"|stimuli|data|corpora|criteria|people|children|phenomena|indices|matrices|analyses|media|men|women"
)
_NOT_ADVERB = r"(?![a-z]+ly\s+[a-z]+[^\Wsui]s\b)(?![a-z]+[^\Wsui]s\s)"  # "2 effectively combines", "two sentences requires"
_ANY_COUNT_AFTER_RE = re.compile(
    rf"\s+(?:\([^)]*\)\s*)?(?:{_NOT_ADVERB}{_MODIFIERS}(?:and\s+)?){{0,3}}?(?P<noun>{_ANY_PLURAL})\b(?![-'])"
    r"(?!\s+(?:the|a|an|our|its|their|this|these|it|them|us)\b)"  # "2 combines the": a verb
)
"""Any plural noun after a whole number ("19 distinct postures", "708 trajectories"): things counted."""
SMALL_WORD_COUNT = 3
"""A small count in words ("two images", "three questions") counts things only when they are evaluated
ones ("two datasets"); otherwise it mostly describes the method's design."""
OUT_OF_RE = re.compile(r"\s+/\s+|\s*out of\s*(?:the\s+)?|\s+of\s+(?:the\s+)?(?=(?:\d+|[a-z]+)\s+[a-z])")
_PER_RE = re.compile(rf"\s?(?:per|/)\s?(?P<noun>(?:{V.PER_NOUNS}))s?\b")
_HARDWARE_AFTER_RE = re.compile(r"\s*(?:NVIDIA\s+)?(?:[AHVTLB]\d{2,3}\b|RTX|GPUs?\b|TPUs?\b|A6000)")
_TIMES_AFTER_RE = re.compile(r"\s?(?:times\b|x(?![a-zA-Z\d])|-?fold\b)")
_RATIO_RE = re.compile(r"/(?P<den>\d+)(?=\s+(?:of\s+(?:the\s+)?)?(?:[A-Z]?[A-Za-z]*FLOP|param|compute|memory|cost|time|"
                       r"data|training|tokens|the)\w*)")
"""A fraction in digits before what it is a share of: "1/3 FLOPs", "1/10 of the training data"."""
_STATED_BEFORE_RE = re.compile(r"(?:\b(?:near|of|is|was|at|reaching|around|about|approximately|than|vs\.?)|[=:~<>≤≥])\s*$")
"""A signed value that is stated, not a change: "a correlation near -0.998", "r = -0.4"."""
_COUNT_PER_RE = re.compile(r"\s?(?:per|/)\s?(?P<noun>[a-z]+)\b")
FACTOR_OF_RE = re.compile(
    r"\b(?:a|speed-?up|reduction|compression|acceleration|improvement)\s+factors?\s+of\s+"
    r"(?:about |around |approximately |up to |over |more than |~)?$",
    re.I,
)


def to_float(number: str) -> float:
    return float(number.replace(",", ""))


def quantities(text: str, lo: int, hi: int) -> list[Quantity]:
    """Every number in text[lo:hi] with the unit written after it, in reading order."""
    lower = text[lo:hi].lower()
    found = [_special(m) for m in _SPECIAL_RE.finditer(text, lo, hi)] if _has(lower, _SPECIAL_HINT) else []
    taken = [(q.start, q.end) for q in found]
    matches = list(_NUMBER_RE.finditer(text, lo, hi))
    if _has(lower, _WORD_HINT):
        matches = sorted([*matches, *_WORD_NUMBER_RE.finditer(text, lo, hi)], key=lambda m: m.start())
    for match in matches:
        if any(s <= match.start() < e for s, e in taken):
            continue
        quantity = _number(text, match, hi)
        found.append(quantity)
        taken.append((quantity.start, quantity.end))
    return sorted(found, key=lambda q: q.start)


def _has(lower: str, stems: re.Pattern[str]) -> bool:
    return stems.search(lower) is not None


def _special(match: re.Match[str]) -> Quantity:
    """Factors stated in words ("two orders of magnitude", "hundreds of times", "twice", "halves"),
    vague amounts ("thousands of images"), and a process cut to one step ("into a single step")."""
    if match.group("single"):
        q = Quantity(match.start("single"), match.end("single"), 1.0, "steps", "unit", kind="reduction")
    elif match.group("orders"):
        count = match.group("order")
        plural = match.group("orders").lower() == "orders"
        digits = [int(d) for d in re.findall(r"\d", count or "")]  # "2 orders", "1-2 order-of-magnitude"
        power = digits[-1] if digits else ORDER_WORDS[count.lower()] if count else 2 if plural else 1
        q = Quantity(match.start(), match.end(), 10.0 ** power, "x", "factor")
        if len(digits) == 2 and digits[0] < digits[1]:
            q.low = 10.0 ** digits[0]
    elif match.group("plural"):
        q = Quantity(match.start(), match.end(), PLURAL_MULTIPLES[match.group("plural").lower()], "x", "factor")
    elif match.group("vague"):
        words = match.group("vague").lower().split()
        value, unit = VAGUE_AMOUNTS[words[-1]]
        if len(words) > 1:
            value *= VAGUE_AMOUNTS[words[0]][0]
        q = Quantity(match.start(), match.end(), value, unit, "magnitude" if unit else "count", noun="vague")
    elif match.group("twice"):
        q = Quantity(match.start(), match.end(), 2.0, "x", "factor")
    else:
        verb = (match.group("verb") or match.group("verb5") or match.group("verb2")
                or (match.group("verb3") or match.group("verb4"))[:-1])
        value, kind = VERB_FACTORS[verb.lower()]
        q = Quantity(match.start(), match.end(), value, "x", "factor", kind=kind or None)
    q.first, q.number_end, q.word, q.special = q.start, q.end, True, True
    return q


def _number(text: str, match: re.Match[str], hi: int) -> Quantity:
    """A digit, word or fraction number with its unit."""
    if match.re is _WORD_NUMBER_RE and match.group("multiple"):  # an adjective: "double attention blocks"
        q = Quantity(match.start(), match.end(), VERB_FACTORS[match.group("multiple").lower()[:-1]][0], "", "bare",
                     noun="multiple")
        q.first, q.number_end, q.word = match.start(), match.end(), True
        return q
    if match.re is _WORD_NUMBER_RE and match.group("fraction"):
        value = _fraction_value(match.group("fraction"))
        if match.group("fraction").lower() == "half" and _BY_HALF_RE.search(text, max(0, match.start() - 30),
                                                                          match.start()) \
                and not _SHARE_AFTER_RE.match(text, match.end()):
            value = 2.0  # "cuts the KV cache by half", "cut in half": halved, a factor of 2 as for "halves"
        q = Quantity(match.start(), match.end(), value, "x", "factor")
        q.first, q.number_end, q.word = match.start(), match.end(), True
        return q
    if match.re is _WORD_NUMBER_RE:
        q = _with_unit(text, match.start(), match.end(), word_value(match.group("word")), hi)
        q.first, q.number_end, q.word = match.start(), match.end(), True
        return q
    if match.group("power"):  # "$10^{64}$ strategies"
        q = _with_unit(text, match.start(), match.end(), 10.0 ** int(match.group("exp10").replace("−", "-")), hi)
        q.first, q.number_end = match.start(), match.end()
        return q
    value = to_float(match.group("num")) * (-1 if match.group("sign") == "-" else 1)
    if match.group("exp"):
        value *= 10.0 ** int(match.group("exp").replace("−", "-"))
    if match.group("sci"):  # "p=8.5e-6", "(lr=1e-4)"
        value *= 10.0 ** int(match.group("sci")[1:].replace("−", "-"))
    if match.group("currency"):
        q = Quantity(match.start(), match.end(), value, "USD" if "$" in match.group("currency") else
                     {"€": "EUR", "£": "GBP"}[match.group("currency")], "unit")
    else:
        q = _with_unit(text, match.start(), match.end(), value, hi)
    q.first = match.start("low") if match.group("low") else match.start("currency") if match.group("currency") \
        else match.start("num")
    q.number_end, q.sign = match.end(), match.group("sign") or ""
    if match.group("low"):  # "2-3x"; "26%-7.1%" written high to low is the same range
        q.low, q.value = sorted((to_float(match.group("low")), q.value))
    ratio = _RATIO_RE.match(text, match.end())
    if ratio and q.form == "bare" and 0 < value < float(ratio.group("den")):  # "with only 1/3 FLOPs"
        q = Quantity(q.start, ratio.end("den"), value / float(ratio.group("den")), "x", "factor")
        q.first, q.number_end = match.start(), ratio.end("den")
        return q
    factor_of = q.form == "bare" and FACTOR_OF_RE.search(text, max(0, match.start() - 60), match.start())
    if match.group("xpre") or factor_of:
        q.unit, q.form = "x", "factor"
    stated = q.sign == "-" and _STATED_BEFORE_RE.search(text, max(0, match.start() - 20), match.start())
    if q.sign and q.form in {"bare", "percent", "points"} and not stated:  # "+8.6 EM", "(-9 to -29)" on an error
        q.kind, q.value = "improvement", abs(q.value)
    return q


def word_value(words: str) -> float:
    """"eight hundred" -> 800, "twenty-five" -> 25, "a dozen" -> 12, "two thousand" -> 2000."""
    total, current = 0.0, 0.0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in _MULTIPLIERS:
            current = max(current, 1.0) * _MULTIPLIERS[word]
            if word == "thousand":
                total, current = total + current, 0.0
        elif word == "a":
            current = 1.0
        elif word != "and":
            current += WORD_VALUES[word]
    return total + current


def _fraction_value(words: str) -> float:
    parts = re.split(r"[\s-]+", words.lower())
    numerator = 1.0 if len(parts) == 1 or parts[0] == "a" else WORD_VALUES[parts[0]]
    return numerator / DENOMINATORS[parts[-1]]


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
    if group in {"pts", "pctpts"} and (value < 100 or "percent" in unit.group(0) or group == "pctpts"):
        return Quantity(start, stop, value, "pp", "points")  # "11.77 percentage points", "6.5% points"
    if group == "pts":  # "more than 1000 points": data points, counted
        return Quantity(start, stop, value, "", "count", noun="points")
    if group == "mult":
        if _HARDWARE_AFTER_RE.match(text, stop, hi):  # "on 8x H800 GPUs": a count of devices
            return Quantity(start, stop, value, "GPUs", "unit")
        return Quantity(start, stop, value, "x", "factor")
    if group == "compcount":  # "an 11-benchmark suite", "a 12-encoder system"
        return Quantity(start, stop, value, "", "count", noun=unit.group("compcount")[1:])
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
    """172M, 1.3 billion, 8k tokens: the magnitude is the unit of a size ("330B tokens" -> 330 B);
    a rate keeps what it counts ("ten million queries per day" -> 10 "M queries/day")."""
    magnitude = V.MAGNITUDES[suffix.lstrip("-")]
    times = _TIMES_AFTER_RE.match(text, end, hi)
    if times:  # "ten million times faster"
        return Quantity(start, times.end(), value * V.MAGNITUDE_SCALE[magnitude], "x", "factor")
    q = Quantity(start, end, value, magnitude, "magnitude")
    counted = _ANY_COUNT_AFTER_RE.match(text, end, hi)
    per = counted and _COUNT_PER_RE.match(text, counted.end(), hi)
    if per:
        q.unit, q.end, q.form = f"{magnitude} {counted.group('noun')}/{per.group('noun')}", per.end(), "unit"
    return q


def _noun_quantity(text: str, start: int, end: int, value: float, hi: int) -> Quantity:
    """A number with no unit symbol: counted in a unit noun ("4 H100s"), a counted thing, or bare."""
    unit_noun = _UNIT_NOUN_AFTER_RE.match(text, end, hi)
    if unit_noun:
        return _per(text, Quantity(start, unit_noun.end(), value, unit_of(unit_noun.group("noun")), "unit"), hi)
    whole = "." not in text[start:end] and value == int(value)  # "FewRel 1.0 and 2.0" are versions
    if not whole:
        return Quantity(start, end, value, "", "bare")
    count = _COUNT_NOUN_AFTER_RE.match(text, end, hi)
    if not (count and (value == 1 or _PLURAL_RE.search(count.group("noun")))):
        in_words = not text[start:end][:1].isdigit()
        count = None if in_words and value <= SMALL_WORD_COUNT else _ANY_COUNT_AFTER_RE.match(text, end, hi)
    if count:
        return _per_count(text, Quantity(start, count.end(), value, "", "count", noun=count.group("noun")), hi)
    return Quantity(start, end, value, "", "bare")


def _per_count(text: str, q: Quantity, hi: int) -> Quantity:
    """"8 samples per step", "10 queries per day": a count per something is a rate ("samples/step")."""
    per = _COUNT_PER_RE.match(text, q.end, hi)
    if per:
        q.unit, q.end, q.form = f"{q.noun}/{per.group('noun')}", per.end(), "unit"
    return q


def unit_of(noun: str) -> str:
    return next(n.unit for n in V.NOUN_UNITS if n.pattern.fullmatch(noun))
