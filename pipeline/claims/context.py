"""What a claim is about: its metric, the baseline it is compared with, and the dataset it is on.

All functions read one sentence of the cleaned abstract around a decided quantity; none decides a kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.claims import vocab as V
from pipeline.claims.numbers import Quantity
from pipeline.claims.text import CLAUSE_END_RE, WORD_RE, Sentence

_SCORE_LINK = (
    r"(?:\)|\s+scores?|\s+\([A-Za-z-]+\))?\s*(?:(?:of|=|:|is|was|at|near|around|about|reaching|from|below|above|under|"
    r"over|as high as|as low as|to|increase from|dropping from|drops? from|improves? from|of about|equals?|equal to)\s*|"
    r"[<>≤≥~]\s*)?"
    r"(?:(?:up to|only|about|around|approximately|nearly|roughly|over|just|~)\s*)?$"
)
SCORE_LEFT_RE = re.compile(rf"(?:{V.METRIC_RE.pattern}){_SCORE_LINK}")
"""A metric written right before a number: "FID of", "accuracy:", "BLEU ="."""
UNIT_SCORE_LEFT_RE = re.compile(
    rf"(?:{V.METRIC_RE.pattern})(?:\s*\([\w-]{{1,10}}\))?\s*(?:of|=|:|is|was|at|reaching|reaches|to|below|under|around|about|~|<|≤)\s*"
    r"(?:(?:only|about|around|just|approximately|nearly|under|below)\s+)?$"
)
"""A metric a value with a unit is given for, tightly linked: "a latency of 35 ms", "MAE = 4.99 BPM"."""
SCORE_RIGHT_RE = re.compile(rf"(?:'s)?\s?(?:{V.METRIC_RE.pattern})")
"""A metric written right after a number: "1.78 FID"."""
NAMED_VALUE_RE = re.compile(
    r"\b(?:(?P<name>[A-Z][A-Za-z0-9@-]*[A-Z0-9]|Score|score)\]?\s?(?:=|:)|scores?\s+of(?:\s+(?:only|about|around|up to|over))?)\s?$"
)
"""A value given to a named quantity: "ACCP = 0.320", "Score = 0.279", "SNR = 20 dB"; a single
letter ("k=5") is a formula."""
SAMPLE_SIZE_RE = re.compile(r"\(?\b[Nn]\s?=\s?$")
""""(N=64)": the number of participants, a scale fact."""
_STATISTIC_RE = re.compile(
    r"(?:\b(?P<letter>[prdR])|\b(?P<cohen>Cohen['’]s\s+d)|(?P<r2>\bR\^?2|R²)|(?P<rho>ρ)|(?P<kappa>κ)|(?P<beta>β))"
    r"\s?(?:=|<|>|≤|≥|<=|>=|~)\s?[-−]?$"
)
_STATISTIC_NAMES = {"p": "p-value", "r": "correlation", "R": "correlation", "d": "effect size", "cohen": "effect size",
                    "r2": "R2", "rho": "correlation", "kappa": "kappa", "beta": "coefficient"}
_EFFECT_SIZE_RE = re.compile(r"(?i)\bcohen['’]s\b|\beffect sizes?\b")


def statistic(s: Sentence, q: Quantity) -> str | None:
    """The statistic a number is the value of, if it is one: a test statistic is a finding, not a
    formula ("p<0.001", "r=0.649-0.683", "Cohen's d>2.4", "(d=1.68)" after an effect size). Only
    decimals count ("d=768" is a dimension), and a bare "d" only in a sentence about effect sizes."""
    match = _STATISTIC_RE.search(s.text, max(s.lo, q.first - 20), q.first)
    if match is None or not re.search(r"[.eE]", s.text[q.first:q.number_end]):
        return None
    group = match.group("letter") or match.lastgroup
    if group == "d" and _EFFECT_SIZE_RE.search(s.text, s.lo, s.hi) is None:
        return None
    small = abs(q.value) <= 1 or group in {"d", "cohen", "beta"} and abs(q.value) < 10
    return _STATISTIC_NAMES[group] if small else None
BY_AMOUNT_RE = re.compile(
    r"\bby\s*(?:an average of |a margin of |a large margin of |up to |around |about |an absolute |a relative |"
    r"absolute |relative |approximately |roughly |nearly |over |more than |at least |as much as |as many as |"
    r"only |just |merely |less than |~\s?|"
    r"(?:greater|more) than or equal to |[≥>]\s?)?$",
    re.I,
)
"""The amount of a change: "outperforms X by 0.4", "improving accuracy by up to 5", "by7-22%" (a space
lost in extraction)."""

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
_NOT_DATASET_RE = re.compile(rf"^(?:{V.HARDWARE}|{V.MODEL_FAMILIES})(?![a-z])|^[A-Z][a-z]+$|^[A-Z]{{2,}}Ms?$")
_MODEL_AFTER_RE = re.compile(r"\s*(?:[\w-]+\s)?(?:model|LLM|LM|param|backbone|network|transformer)", re.I)
_DATA_AFTER_RE = re.compile(
    r"\s*(?:[\w-]+\s){0,2}?(?:images|tokens|samples|examples|pairs|hours|documents|sentences|words|videos|"
    r"clips|utterances|molecules|instructions|conversations|dialogues|frames)\b"
)
_NUMBER_WORDS = frozenset("two three four five six seven eight nine ten hundred thousand".split())
_ACRONYM_MODELS_RE = re.compile(r"[A-Z]{2,}Ms")


@dataclass(frozen=True)
class MetricName:
    name: str
    higher_is_better: bool | None


def metric_in(text: str, lo: int, hi: int, last: bool = False) -> MetricName | None:
    """The first (or last) metric named in text[lo:hi], normalized."""
    matches = list(V.METRIC_RE.finditer(text, lo, hi))
    if not matches:
        return None
    metric = V.metric_at(matches[-1] if last else matches[0])
    return MetricName(metric.name, metric.higher_is_better)


def score_metric_next_to(s: Sentence, q: Quantity, start: int, width: int = 60) -> bool:
    """A quality metric written right before ``start`` (the start of q's coordinated group: "FID of",
    "accuracy:") or right after q ("1.78 FID")."""
    before = s.metric_text[max(s.lo, start - width):start]
    for found in (SCORE_LEFT_RE.search(before), SCORE_RIGHT_RE.match(s.metric_text, q.end)):
        if found and metric_in(found.group(0), 0, len(found.group(0))).name not in V.NOT_SCORES:
            return True
    return False


DEGRADATION = " (degradation)"


def direction(metric: str | None) -> bool | None:
    if metric is None:
        return None
    if metric.endswith(DEGRADATION):
        return False  # the size of a loss: smaller is better
    if metric.endswith("speed"):
        return True
    return V.DIRECTION.get(metric)


_ACRONYM_IN_PARENS_RE = re.compile(r"\((?P<acronym>[A-Z][A-Za-z0-9-]{1,7})\)")


def mask_redefined_acronyms(text: str) -> str:
    """The text with metric acronyms that this abstract defines as something else masked, so that
    "electron microscopy (EM)" is never read as exact match. Same length: offsets stay valid."""
    masked = {}
    for match in _ACRONYM_IN_PARENS_RE.finditer(text):
        acronym = match.group("acronym")
        metric = V.METRIC_RE.fullmatch(acronym)
        if metric is None:
            continue
        long_form = V.METRIC_RE.search(" ".join(text[max(0, match.start() - 60):match.start()].split()[-5:]))
        if long_form is None or V.metric_at(long_form).name != V.metric_at(metric).name:
            masked[acronym] = "\u0244" * len(acronym)
    if not masked:
        return text
    return re.sub(rf"\b(?:{'|'.join(map(re.escape, masked))})\b", lambda m: masked[m.group(0)], text)


# --- metric ------------------------------------------------------------------------------------------


def metric_name(s: Sentence, q: Quantity) -> str | None:
    """Canonical metric. Speedups are named by what got faster ("inference speed"), counts by what
    is counted, and a change with no metric next to it by the quality metric its sentence names."""
    if q.form == "resolution":
        return "resolution"
    if q.form == "count":
        return "models" if _ACRONYM_MODELS_RE.fullmatch(q.noun) else q.noun.lower()
    if q.kind == "speedup" and q.metric != "throughput":
        return _speed_metric(s, q)
    if q.kind == "score" and q.form == "bare" and statistic(s, q):
        return statistic(s, q)
    name = _sentence_metric(s, q) if q.metric is None and q.kind in {"improvement", "score"} else q.metric
    if q.degraded:  # "loss of accuracy less than 0.1%" -> "accuracy (degradation)"
        return f"{name or 'performance'}{DEGRADATION}"
    return name


def _sentence_metric(s: Sentence, q: Quantity) -> str | None:
    """The quality metric named nearest to q in its sentence ("outperforms ... by 0.4" about FID)."""
    named = [(abs(m.start() - q.start), V.metric_at(m).name) for m in V.METRIC_RE.finditer(s.metric_text, s.lo, s.hi)]
    named = [(d, name) for d, name in named if name not in V.NOT_SCORES and name != "throughput"]
    return min(named)[1] if named else None


def _speed_metric(s: Sentence, q: Quantity) -> str:
    """What got faster: the stage named right after ("faster inference"), else the nearest before,
    else inference, what an unqualified speedup in an abstract almost always measures."""
    words = list(WORD_RE.finditer(s.text, q.end, s.hi))[:3]
    after = V.STAGE_RE.search(s.text, q.end, words[-1].end()) if words else None
    before = list(V.STAGE_RE.finditer(s.text, max(s.lo, q.start - 60), q.start))
    stage = after or (before[-1] if before else None)
    return f"{stage.group(0).lower()} speed" if stage else "inference speed"


def size_metric(s: Sentence, q: Quantity) -> str | None:
    """What a size measures: a metric named right after it ("0.8B parameters"), what its unit
    counts ("256 tokens"), a model ("1.5B model", "xAR-B (172M)") or data ("2M images")."""
    clause = CLAUSE_END_RE.search(s.text, q.end, s.hi)
    words = list(WORD_RE.finditer(s.text, q.end, clause.start() if clause else s.hi))[:3]
    metric = metric_in(s.metric_text, q.end, words[-1].end()) if words else None
    if metric:
        return metric.name
    if q.form != "magnitude":
        return "throughput" if "/" in q.unit else V.UNIT_METRICS.get(q.unit)
    if _DATA_AFTER_RE.match(s.text, q.end) or q.unit.endswith(("tokens", "hours")):
        return "training data"
    model_size = _MODEL_AFTER_RE.match(s.text, q.end) or s.text[q.start - 1:q.start] == "("
    return "parameters" if model_size else None


# --- baseline ----------------------------------------------------------------------------------------


def baseline(s: Sentence, q: Quantity) -> str | None:
    """What a relative claim is compared with: the nearest "over X" / "than X" / "compared to X";
    coordinated claims take their own part of a coordinated baseline ("LDM/DiT by 1.82/0.49")."""
    candidates = []
    for match in _BASELINE_TRIGGER_RE.finditer(s.text, s.lo, s.hi):
        if s.text[match.end():match.end() + 1].isdigit():
            continue  # "by over 50%": a quantifier, not a comparison
        words = _baseline_words(s.text, match.end(), s.hi)
        if words:
            distance = match.start() - q.end if match.start() >= q.end else (q.start - match.end()) * 1.5
            candidates.append((distance, words))
    by_object = _by_object(s, q.start - _member_offset(s, q))
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
    """"the ReTA model" -> "ReTA"; "previous best-performing model" stays whole; a trailing adverb
    ("approaches significantly") is no part of the name."""
    while len(words) > 1 and words[-1].lower().endswith("ly"):
        words = words[:-1]
    while len(words) > 1 and any(map(_is_name, words)) and words[-1].lower() in V.GENERIC_HEADS:
        words = words[:-1]
    return words


def _by_object(s: Sentence, start: int) -> list[str]:
    """The object of "outperforms X by N" / "..., and Y by N": the words between the comparison verb
    (or the conjunction after it) and "by", when they are a plain noun phrase."""
    by = BY_AMOUNT_RE.search(s.text, max(s.lo, start - 40), start)
    if by is None:
        return []
    words: list[str] = []
    for word in reversed(s.text[s.lo:by.start()].split()[-8:]):
        bare = word.strip(",;")
        if _COMPARE_VERB_RE.fullmatch(bare) or ((bare in {"and", "over"} or word.endswith(",")) and words):
            elliptical = not _COMPARE_VERB_RE.fullmatch(bare)
            if elliptical and not _COMPARE_VERB_RE.search(s.text, s.lo, by.start()):
                return []
            return _appositive([w for w in words if w.lower() not in V.DETERMINERS][::-1])
        if bare.lower() in V.BASELINE_STOP or _cue_word(bare):
            return []
        words.append(bare)
    return []


def _cue_word(word: str) -> bool:
    return any(pattern.fullmatch(word) for _, pattern in V.CUES)


def _member_offset(s: Sentence, q: Quantity) -> int:
    """How far the first member of q's group is before q: "by 0.4/0.19" puts 0.19 after "0.4/"."""
    head = s.text.rfind(" by ", s.lo, q.start)
    return q.start - head - 4 if q.member[0] and head >= 0 else 0


def _baseline_words(text: str, i: int, hi: int) -> list[str]:
    """The noun phrase after a comparison word, without leading determiners and adverbs, up to a
    function word, a number or a citation ("DiT Peebles & Xie [2023]" -> "DiT")."""
    words: list[str] = []
    while (match := WORD_RE.search(text, i, hi)) is not None:
        i = match.end()
        sota = _SOTA_RE.match(text, match.start())
        if sota:  # "state of the art" is one word here, its "of" does not end the phrase
            words.append("state-of-the-art")
            i = sota.end()
            continue
        word = match.group(0)
        bare = word.rstrip(",.;:)")
        lower = bare.lower()
        if not words and (lower in V.DETERMINERS or lower in V.ADVERBS):
            continue
        if lower in {"&", "et"} or bare.startswith("["):
            return words[:-1] if lower != "[" and len(words) > 1 else words
        pairs = _next_word(text, i, hi)[:1].isupper() or "respectively" in text[i:hi]
        joins_names = lower in {"and", "or"} and words and pairs
        if not joins_names and (lower in V.BASELINE_STOP or re.match(r"[~(\d]", bare) or lower in _NUMBER_WORDS):
            break
        words.append(bare.split("(")[0])
        if bare != word or "(" in bare or len(words) >= 6:
            break
    return _appositive(words)


def _appositive(words: list[str]) -> list[str]:
    """"autoregressive models LlamaGen/VAR" -> "LlamaGen/VAR": a name after a generic noun is the baseline."""
    for k, word in enumerate(words[:-1]):
        if word.lower() in V.GENERIC_HEADS and _is_name(words[k + 1]):
            return words[k + 1:]
    return words


def _next_word(text: str, i: int, hi: int) -> str:
    match = WORD_RE.search(text, i, hi)
    return match.group(0) if match else ""


def _is_name(word: str) -> bool:
    return bool(re.search(r"[A-Z\d]", word))


# --- dataset -----------------------------------------------------------------------------------------


def dataset(s: Sentence, q: Quantity) -> str | None:
    """The benchmark a result is on: an "on X" within a few words after it ("8.8% and 11.6% on
    MATH500"), else the nearest one in its sentence."""
    after = _DATASET_AFTER_RE.match(s.text, q.end, s.hi) or _PAREN_DATASET_RE.match(s.text, q.end, s.hi)
    if after and _dataset_name(after):
        return _dataset_name(after)
    best: tuple[float, str] | None = None
    for match in [*_DATASET_RE.finditer(s.text, s.lo, s.hi), *_ON_PAREN_RE.finditer(s.text, s.lo, s.hi)]:
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
    if not name or _NOT_DATASET_RE.match(name) or V.METRIC_RE.match(name):
        return None
    res = match.group("res")
    if res:
        width, height = re.findall(r"\d+", res)[:2]
        return f"{name} {width}x{height}"
    return name


def resolution_dataset(s: Sentence, q: Quantity) -> str | None:
    """"ImageNet 256x256": the resolution's own dataset, written right before it."""
    match = _RESOLUTION_DATASET_RE.search(s.text, max(s.lo, q.start - 30), q.start)
    name = match.group("name") if match else ""
    return name if name and not _NOT_DATASET_RE.match(name) and not V.METRIC_RE.fullmatch(name) else None
