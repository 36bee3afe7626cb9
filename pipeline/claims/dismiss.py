"""Numbers that are no claim, each with a named reason.

Every number :mod:`pipeline.claims.numbers` finds either becomes a claim or is dismissed here with
one of :data:`REASONS` (or later by :mod:`pipeline.claims.decide` when no rule gives it a kind), so
a reader of ``benchmarks/number_accounting.py`` can see what is left unexplained.
"""

from __future__ import annotations

import re

from pipeline.claims import vocab as V
from pipeline.claims.context import NAMED_VALUE_RE, SAMPLE_SIZE_RE, SCORE_LEFT_RE, statistic
from pipeline.claims.numbers import OUT_OF_RE, Quantity
from pipeline.claims.text import Sentence

REASONS = {
    "name": "part of a name or version (GPT-4, Llama 3, v0.1, 3D)",
    "descriptor": "a number word in a compound that names a format (zero-shot, two-stage, one-step)",
    "idiom": "the word one or zero in a phrase (one of the, one can, set to zero)",
    "vague": "a vague amount in background text (thousands of tokens)",
    "noise": "PDF-extraction noise ((cid:173))",
    "url": "part of a URL or code link",
    "year": "a year",
    "citation": "a citation ([12], (Smith et al., 2020))",
    "reference": "a section, figure, table or equation number",
    "enumerator": "an enumerator ((1), 1), first)",
    "formula": "part of a formula or symbol (O(n^2), k=5, 10^11)",
    "repeat": "a repeat of a count already stated (the two datasets)",
    "method parts": "a count of the method's own parts or ideas (two modules, three stages)",
    "shape": "a small shape, not a resolution (3x3 convolutions)",
    "no kind": "no rule gives it a kind (no cue, metric or counted noun next to it)",
    "worse": "a change for the worse, reported rather than claimed",
    "question": "in a question, not a claim",
}
"""Reason -> what it means; the keys are what ``dismissed`` holds."""

MAX_PARTS = 12
"""A count of up to this many modules, stages or ideas describes the method; more is a scale fact."""
_REFERENCE_RE = re.compile(
    rf"\b(?:{V.REFERENCE_WORDS})[\s~]*\(?$"
    rf"|\b(?:at|in|from|after|before|until|by|of|on|for|and)\s+(?:the\s+)?(?:{V.LABEL_WORDS})\s+$"
)
_MATH_BEFORE_RE = re.compile(
    r"(?:[=^_@][-+−]?"  # "k=5", "10^{-6}", "x_1"
    r"|\b(?:converges?|converging|tends?|tending|approaches)\s+to\s+"  # "converges to 1"
    r"|\bO\(|\b[a-zA-Z]\s?[=<>≤≥]\s?|\b[a-zA-Z](?:[+\-*/]|\s[+\-*/]\s)"  # "O(n", "k+1", "n - 1"
    r"|(?<=[\^{(\-]\d)/|(?<=[\^{(\-]\d\d)/|[ℓ∈∑∏√]|(?:\^\w+|[)}\]])\s?[+\-])$"  # "^{2/3}", "ℓ1", "(U^2 +1)"
)
ANAPHORA_RE = re.compile(
    r"\b(?:the|these|those|both|all|its|their|our)\s+(?:(?:first|last|next|other|remaining|same|latter|former)\s+)?$", re.I
)
_VERSION_BEFORE_RE = re.compile(r"\b[Vv]ersions?\s*\(?$")
""""in a new version (1.0)", "version 1.4 of CorefUD": a version number."""
_OUT_OF_THE_RE = re.compile(r"(?i)(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))\s+(?:out\s+)?of\s+the\s+$")
""""four of the nine models": the total a count is out of, not a repeat of an earlier count."""
_ENUMERATOR_BEFORE_RE = re.compile(r"(?:^|\(|[.;:,]\s*|\b(?:and|or)\s+|^\s+)$")
""""(1) the encoder", "tasks: 1) ..., 2) ...", but not "(+13 to 16)"."""
_FOLD_SETTING_RE = re.compile(r"\s*(?:stratified\s+)?cross[- ]validation", re.I)
_APOSTROPHE_YEAR_RE = re.compile(r"[A-Za-z]['’]$")  # DAVIS'16, ICLR’24
_FORMULA_AFTER_RE = re.compile(r"/[A-Za-z√(\\]|[kKMBT]?[-+*^_=][0-9]|\^[A-Za-z({]|\s?[+\-]\s?[a-zA-Z]\b(?![\w-])")
_SIZE_NOUN_RE = re.compile(r"\s*(?:[\w-]+\s)?(?:models?|LLMs?|param\w*|backbones?|variants?|versions?)\b")
_UNIT_INTERVAL_RE = re.compile(r"(?:\bfrom\s+|\bbetween\s+)?\b0(?:\.0)?\s?(?:-|–|to|and)\s?1(?:\.0)?(?![\d.%])")
_NAME_LIKE_RE = re.compile(rf"(?:{V.MODEL_FAMILIES})[\w.-]*|[\w.-]*(?:[a-z][A-Z]|[A-Za-z]\d|\d[A-Za-z])[\w.-]*|[A-Z]{{2,}}[\w-]*")
_CAPITALIZED_BEFORE_RE = re.compile(r"(?:^|\s)([\w\-.]*[A-Z][\w\-.]*)\s+$")
_NO_VERSION_RE = re.compile(r"0\.\d{2,}|\d+\.\d{3,}")
"""No version is written so ("RoBERTa-base 0.485", "Open-i 0.105", "FGD 4.941"): a score after a name."""


def reason(s: Sentence, q: Quantity) -> str | None:
    """Why the number is no quantity at all, or None when it may be a claim."""
    text = s.text
    if q.word:
        return _word_reason(s, q)
    before = text[max(0, q.first - 40):q.first]
    after = text[q.end:q.end + 12]
    if before.endswith("(cid:"):
        return "noise"
    if _in_url(text, q.first):
        return "url"
    if _glued_to_name(before, after, q) or _VERSION_BEFORE_RE.search(before):
        return "name"
    if q.form == "factor" and _FOLD_SETTING_RE.match(text, q.end):
        return "descriptor"  # "10-fold cross-validation"
    if _FORMULA_AFTER_RE.match(text, q.end) or (q.form == "magnitude" and _FORMULA_AFTER_RE.match(text, q.end - 1)):
        return "formula"  # "1/M", "1/√n", "2k-1"
    decade = q.unit == "s" and text[q.number_end:q.number_end + 1] == "s"  # "the 1960s"
    grouped = "," in text[q.first:q.number_end]  # "2,000 unlabeled volumes" is a count, not a year
    if (q.form in {"bare", "count"} or decade) and _is_year(q) and not grouped or _APOSTROPHE_YEAR_RE.search(before):
        return "year"
    label = ("citation" if _in_brackets(text, q.first) else "reference" if _REFERENCE_RE.search(before)
             else "formula" if _MATH_BEFORE_RE.search(before) else None)
    if label:  # unless a metric names it: "(FID 2.1)", "accuracy = 93%", "ACCP = 0.320", "(N=64)"
        named = SCORE_LEFT_RE.search(before) or NAMED_VALUE_RE.search(before) or SAMPLE_SIZE_RE.search(before) \
            or V.HYPERPARAMETER_RE.search(before) or statistic(s, q)
        return None if named else label
    if q.form in {"bare", "count", "unit"} and not _NO_VERSION_RE.fullmatch(text, q.first, q.number_end) \
            and _after_capitalized_name(text, q.first, before):
        return "name"
    if q.form == "magnitude" and _after_capitalized_name(text, q.first, before) and not _SIZE_NOUN_RE.match(text, q.end):
        return "name"  # "Mistral 7B", "Llama-3.1 405B"; but "VAR 2.3B model" is a size
    small_whole = q.value == int(q.value) and 0 < q.value <= 20 and "." not in text[q.first:q.number_end]
    if q.form == "bare" and small_whole and re.match(r"\)", after) and (
            _ENUMERATOR_BEFORE_RE.search(before) or "(" not in before[-30:]):
        return "enumerator"  # "(1) the encoder", "we show that 1) adapters ..."
    for interval in _UNIT_INTERVAL_RE.finditer(text, max(0, q.start - 12), min(len(text), q.end + 12)):
        if interval.start() <= q.first and q.number_end <= interval.end():
            return "formula"  # "ranging from 0 to 1", "0-1 knapsack": the bounds of a definition
    return _count_reason(text, q, before)


_RESTATED_RE = re.compile(r"\s*\(\s*[A-Za-z][\w-]*\s?=\s?$")


def mark_restated(s: Sentence, found: list[Quantity]) -> None:
    """"with two steps (NFE=2)": a value in parentheses that names what the number before it
    counts says it again, so it is a repeat."""
    for a, b in zip(found, found[1:]):
        if b.dismissed is None and a.value == b.value and _RESTATED_RE.fullmatch(s.text, a.end, b.first):
            b.dismissed = "repeat"


def _count_reason(text: str, q: Quantity, before: str) -> str | None:
    """"the two datasets" repeats a count; "three modules" counts the method's own parts."""
    if q.form != "count":
        return None
    if ANAPHORA_RE.search(before[-12:]) and not _OUT_OF_THE_RE.search(before):
        return "repeat"
    few = q.value <= MAX_PARTS  # nobody builds a method of 10^64 strategies
    return "method parts" if few and V.PARTS_RE.search(text, q.number_end, q.end) else None


def _word_reason(s: Sentence, q: Quantity) -> str | None:
    """A number word is a quantity only with a unit or a counted noun ("three times", "ten LLMs")."""
    if q.noun == "multiple":  # "double attention blocks", "Triple Query Former"
        return "descriptor"
    if q.special and _TWICE_MATH_RE.match(s.text, q.end):
        return "formula"  # "twice differentiable"
    if q.special and q.unit == "steps" and not _STEP_CUT_RE.search(s.text, max(s.lo, q.start - 100), q.start):
        return "descriptor"  # "combines detection and linking into a single step": no cut
    if re.fullmatch(r"(?i)third|fourth|fifth|sixth", s.text[q.start:q.end]) and _ORDINAL_AFTER_RE.match(s.text, q.end):
        return "enumerator"  # "Third, we apply ..."
    if q.special:  # "halves", "an order of magnitude", "into a single step"
        vague = q.noun == "vague" and (s.background or _FROM_TO_VAGUE_RE.search(s.text, max(0, q.start - 20), q.end + 30))
        return "vague" if vague else None
    text = s.text
    if re.match(r"-[A-Za-z]", text[q.number_end:q.number_end + 2]) and q.form not in {"unit", "factor"}:
        return "descriptor"  # "two-stage", "zero-shot", "one-step"
    if _PARTY_RE.match(text, q.end):
        return "idiom"  # "a third party"
    if q.value in (0, 1) and q.form != "factor" and text[q.first:q.number_end].lower() in {"one", "zero"}:
        return "idiom"
    spoken = q.form in {"factor", "percent", "unit", "count", "magnitude"} or OUT_OF_RE.match(text, q.number_end)
    if ANAPHORA_RE.search(text, max(0, q.first - 12), q.first) and not _OUT_OF_THE_RE.search(text, max(0, q.first - 40),
                                                                                             q.first):
        return "repeat"
    if not spoken:
        return "method parts"
    return _count_reason(text, q, text[max(0, q.first - 40):q.first])


_STEP_CUT_RE = re.compile(r"(?i)\b(?:distill\w*|condens\w*|compress\w*|accelerat\w*|reduc\w*|cut\w*|shorten\w*|"
                          r"collaps\w*|speed\w*|fewer|from\s+\d+)")
"""What makes "into a single step" a cut: "distills the sampler into a single step"."""
_PARTY_RE = re.compile(r"[\s-]+part(?:y|ies)\b", re.I)
_ORDINAL_AFTER_RE = re.compile(r"(?:ly)?\s*[,:]")
_FROM_TO_VAGUE_RE = re.compile(r"\bfrom\s+(?:\w+\s+)?(?:tens|dozens|hundreds|thousands|millions|billions)\b.*\bto\b", re.I)
_TWICE_MATH_RE = re.compile(r"[\s-]+(?:continuously\s+)?differentiable\b", re.I)
_URL_RE = re.compile(r"https?:|www\.|\.(?:com|org|io|net|edu|html?)\b|github|/[A-Za-z][\w.-]*/")


def _in_url(text: str, i: int) -> bool:
    """Inside a link: "github.com/x/cvpr2024", "https://arxiv.org/abs/2401.1234"."""
    start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
    end = min((j for j in (text.find(" ", i), text.find("\n", i)) if j >= 0), default=len(text))
    return bool(_URL_RE.search(text, start, end))


def _glued_to_name(before: str, after: str, q: Quantity) -> bool:
    """GPT-4, Chameleon-7B, v0.1, UCF101, 3D, 2nd, 405B-Judge: the number is part of a word."""
    if q.form == "resolution":
        return False
    if re.search(r"(?:^|\s)by$", before):
        return False  # "by5.67%": a space lost in extraction
    if re.search(r"[A-Za-z]$|[A-Za-z]\d*-$|\d[.]?$|\b[A-Z][\w-]*\s\d+/$", before):  # ... "ACL 60/60"
        return not before.endswith(("x", "X")) or q.form != "factor"
    if q.form == "magnitude" and re.match(r"-[a-z]", after):
        return False  # "a 12M-parameter model", "a 1B-token corpus": a size
    return bool(re.match(r"[A-Za-z\d]|-[A-Za-z]|/[\w.]*-[A-Za-z]", after)) and q.form != "unit"


def _is_year(q: Quantity) -> bool:
    """1900-2100, or a range of them ("2018-2023")."""
    low_ok = q.low is None or (q.low == int(q.low) and 1900 <= q.low <= 2100)
    return q.value == int(q.value) and 1900 <= q.value <= 2100 and low_ok


def _in_brackets(text: str, i: int) -> bool:
    """Inside [...]: a citation like "[2023]" or "[12, 13]"."""
    opening = text.rfind("[", max(0, i - 30), i)
    return opening >= 0 and "]" not in text[opening:i] and "]" in text[i:i + 30]


def _after_capitalized_name(text: str, first: int, before: str) -> bool:
    """A bare number after a capitalized word mid-sentence is a version: "Llama 3", "NaturalSpeech 2"."""
    word = _CAPITALIZED_BEFORE_RE.search(before)
    if not word or V.METRIC_RE.fullmatch(word.group(1)) or word.group(1) in V.SYMBOL_UNITS:
        return False
    name = word.group(1)
    if _NAME_LIKE_RE.fullmatch(name):
        return True  # "Hunyuan3D 2.5", "GPT 4", "Llama 3.1" even at the start of a sentence
    preceding = text[max(0, first - 60):first - len(word.group(0))].rstrip()
    return bool(preceding) and not preceding.endswith((".", ":", ";", "(", "!", "?"))
