"""Deciding each quantity's kind from the words next to it.

A factor, percent or bare number takes its kind from a cue word ("faster", "fewer", "better") after
it, else before it, and from the direction of its metric (a cut in FID is an improvement); a size
is a scale fact unless it is the target of a cut ("to merely 88 GPU-days"); a stated value is a score.
"""

from __future__ import annotations

import re

from pipeline.claims import vocab as V
from pipeline.claims.context import (
    BY_AMOUNT_RE,
    NAMED_VALUE_RE,
    SAMPLE_SIZE_RE,
    SCORE_RIGHT_RE,
    UNIT_SCORE_LEFT_RE,
    MetricName,
    direction,
    metric_in,
    score_metric_next_to,
    size_metric,
    statistic,
)
from pipeline.claims.coordinate import CUED_FORMS, is_change
from pipeline.claims.cues import Cue, Cues, Span, group_cue, left_cue, right_phrase_end
from pipeline.claims.numbers import Quantity
from pipeline.claims.revise import about_quality, revise
from pipeline.claims.text import Sentence

_RISE_WORDS = re.compile(r"(?i)increas\w*|higher|more|greater")
_SIZE_WORDS = re.compile(r"(?i)smaller|fewer|less|lighter|cheaper|shorter|compress\w*")
_TIME_METRICS = frozenset({"time"})
_TO_REDUCED_RE = re.compile(r"\b(?:to|into)\s+(?:just |only |merely |as few as |as little as |a )?$", re.I)
"""The target of a cut ("reduces ... to merely 88 GPU-days"); with a reduce verb this is a reduction."""
_PERCENT_CUT_LEFT_RE = re.compile(
    rf"\b(?P<verb>{V.CUT_VERBS})\s+(?:(?:up to|about|around|approximately|nearly|over|more than|~)\s*|(?!(?:by|to|below|under)\b)\w+\s+)?$", re.I
)
_UPPER_BOUND_RE = re.compile(r"\b(?:less than|fewer than|under|below|as little as|as few as|at most|no more than)\s+$", re.I)
"""A bound before a share of a resource makes it a saving too: "using less than 10% labeled data"."""
_PERCENT_ONLY_LEFT_RE = re.compile(r"\b(?:only|just|merely|mere)\s+(?:\w+\s+)?$", re.I)
"""Words just before a share that make it a saving: a cut ("skip 25-30% of FFN blocks"), or "only"
before a share of a resource ("only 10% of the data"; "only 30% of papers" is no saving)."""
_USING_RE = re.compile(r"\b(?:with|using|uses|requires?|requiring|needs?)\s+(?:only\s+|just\s+|merely\s+)?$")
_STATE_RE = re.compile(
    r"(?:(?<!up )\bto|\breach\w*|\battain\w*|\bachiev\w*|\bobtain\w*|\bvs\.?|\bversus|\bscor(?:e|es|ed|ing)|"
    r"\bcompared (?:to|with)|\brelative to|\bthresholds? (?:of|at)|\bbaselines? of|(?<!by )\b(?:below|above|under))\s+"
    r"(?:an? |about |around |approximately |roughly |nearly |just |only |~\s?)?$"
)
"""A value reached or compared with, not a change: "improves FID to 2.1", "reaching 78.2%", "vs. 73.9%"."""
_SETTING_BEFORE_RE = re.compile(
    rf"\b(?:{V.SETTINGS})(?:\s+(?:levels?|rates?|ratios?|budgets?))?\s*(?:of|is|was|=|:|at|to|set to)?\s*"
    r"(?:only |just |about |around |up to |more than |over |nearly |approximately |~)?\(?$",
    re.I,
)
_SETTING_AFTER_RE = re.compile(rf"\s?(?:{V.SETTINGS})\b", re.I)
"""A share stated for a setting the study chooses: "sparsity levels of more than 96%", "a 75% mask ratio"."""
_CONDITION_AFTER_RE = re.compile(
    r"\s+(?:(?!(?:in|of|on|for|at|under|with|all|the|some|many|most|both|these|those)\b)[\w-]+\s+){1,2}"
    r"(?:settings?|regimes?|splits?)\b", re.I
)
""""under 1%, 5%, and 10% labeled data settings": the conditions a result is measured in."""
_OF_WHOLE_RE = re.compile(r"\s+of\s+(?:the\s+)?(?:original|full|total|entire|whole)\b", re.I)
_KEPT_RE = re.compile(r"\b(?:retain\w*|keep\w*|kept|preserv\w*|maintain\w*|recover\w*|reach\w*|achiev\w*)\b", re.I)
""""23% of the original text" is what is left (a cut); "retaining 96.7% of the original performance" a level."""
_INTERVAL_RE = re.compile(r"\b(?:every|each)\s+(?:about |around |~)?$", re.I)
_PER_TIME_RE = re.compile(r"/(?:s|second|sec|min|minute|hour|h|day|week|month|year)$")
_AMOUNT_OF_RE = re.compile(r"\s+of\s+(?!the\b)[a-z]")
_QUANTIFIERS_RE = re.compile(r"(?i)\b(?:more|less|fewer|than|up|to|about|around|over|nearly|almost|approximately|by|at|least|most)\b")
_SHARE_OF_RE = re.compile(r"\s+of\s")
_PLURAL_AFTER_RE = re.compile(r"\s+[a-z][\w-]*[^\Ws]s\b")
_NOUN_AFTER_RE = re.compile(r"\s+(?!(?:than|of|and|or|in|on|for|to|by|with|at|from|over|the|a|an)\b)[a-zA-Z][\w-]*")
_METRIC_RIGHT_AFTER_RE = re.compile(rf"\s?(?:{V.METRIC_RE.pattern})")
_GAP_BEFORE_RE = re.compile(
    r"(?:\bwithin|\bgap\b(?:\s+\S+){0,8}?\s+to)\s+(?:about |around |only |just |merely |less than |under |~)?$", re.I
)
"""The size of a remaining loss: "within 1% of the original model", "reducing the gap to ... to only 1.33%"."""
_SHARE_VERB_RE = re.compile(r"\b(?:represent\w*|accounts?\s+for|accounting\s+for|constitut\w*|compris\w*|occup\w*|"
                            r"consum\w*|tak(?:e|es|ing)\s+up)\s+(?:\w+\s+)?$", re.I)
""""which represents over 50% of total agent response time": a measured share, not a saving."""
_RIGHT_AFTER_RE = re.compile(r"\s+(?:[\w-]+\s+){0,2}$")
_GAP_AFTER_RE = re.compile(r"\)?\s?(?:[\w-]+\s)?(?:gaps?|differences?)\b", re.I)
_GAP_OF_RE = re.compile(r"\b(?:gaps?|differences?)\s+(?:of|is|was|reaches|reaching|exceeding)\s+(?:about |around |up to |over |nearly |more than |~)?$", re.I)
_QUALITY_CUE_RE = re.compile(r"(?i)better|superior|stronger")
_LIST_ITEM_RE = re.compile(r"[A-Za-z]{3,}\s+\($")
"""A noun right before "(" names what the number in parentheses measures: "relative depth ordering (+6 to 7)"."""
_IMPROVEMENT_OF_RE = re.compile(
    r"\b(?:improvement|gain|increase|boost|margin|uplift|reduction|decrease|drop|loss|degradation|decline|cut|saving)s?"
    r"\s+(?:\w+\s+){0,3}?(?:of\s+(?:up to\s+|about\s+|around\s+|less than\s+|more than\s+|over\s+|only\s+|[<>≤≥~]\s?)?"
    r"|(?:of\s+|\(\s*)?up\s+to\s+"
    r"|(?:reaching|exceeding|amounting\s+to|totall?ing)\s+(?:up to\s+|about\s+|around\s+|over\s+|more than\s+|nearly\s+)?)$",
    re.I
)


def decide_groups(s: Sentence, groups: list[list[Quantity]]) -> None:
    """Set kind and metric on every quantity of the sentence's coordinated groups (kind None: no claim)."""
    cues = Cues()
    floor = s.lo
    for i, group in enumerate(groups):
        stop = groups[i + 1][0].start if i + 1 < len(groups) else s.hi
        end = _resolve_group(s, cues, group, floor, stop)
        if group[-1].form in CUED_FORMS:  # a size's words stay free for the next claim's metric
            floor = end
    _parallel_scores(s, [q for group in groups for q in group])
    _compared_scores(s, [q for group in groups for q in group])


_PARALLEL_RE = re.compile(
    r"\s*(?:(?:on|in|for|at|under|with|across|using|over|when)\b[^;:.\d()]{0,60}?)?(?:\([^()]*\)\s*)?"
    r"(?:,\s*(?:and\s+|while\s+)?|\s*\b(?:and|while|whereas)\s+)(?:(?:only|just|about|around|nearly|approximately)\s+)?"
)
"""Between parallel values: "an mAP of 0.5854 on Task 1 and [0.4315]", "FID of 1.32 with two steps (NFE=2) and [1.76]"."""


def _parallel_scores(s: Sentence, quantities: list[Quantity]) -> None:
    """A bare value no rule decided that continues a list of scores, each with its own condition
    ("F1 of 0.7722 on the validation set and 0.7345 on the test set"), is a score of the same metric.
    Numbers in between that are no score (the "two steps" of a condition) are stepped over."""
    last: Quantity | None = None
    for q in quantities:
        if last is not None and q.kind is None and q.form == "bare" and q.dismissed is None and \
                _PARALLEL_RE.fullmatch(_without_numbers(s.text, last.end, q.start, quantities)):
            q.kind, q.metric, q.follows = "score", last.metric, last
        if q.kind == "score" and q.form == "bare":
            last = q
        elif q.form in CUED_FORMS and q.kind is not None:
            last = None  # a change or a share between them ends the list


_VERSUS_RE = re.compile(
    r"\s*,?\s*(?:vs\.?|versus|against|compared\s+(?:to|with))\s+(?:(?!(?:by|of|with|to|and|on|in|at|for|from)\b)[^\s,;:.()\d][^\s,;:()]*\s+){0,3}?",
    re.I,
)
"""Between a score and the value it is set against: "0.829 vs. BioBERT-ST's [0.714]", "F1=0.643 vs.
RoBERTa-base [0.485]"."""


def _compared_scores(s: Sentence, quantities: list[Quantity]) -> None:
    """A bare value no rule decided that follows a bare score across "vs." and the name of the other
    system is a score of the same metric (the role rules make it the compared system's)."""
    for last, q in zip(quantities, quantities[1:]):
        if last.kind == "score" and last.form == "bare" and q.kind is None and q.form == "bare" \
                and q.dismissed is None and _VERSUS_RE.fullmatch(s.text, last.end, q.start):
            q.kind, q.metric = "score", last.metric


def _without_numbers(text: str, lo: int, hi: int, quantities: list[Quantity]) -> str:
    """text[lo:hi] with the numbers that are no score written as words ("with two steps")."""
    pieces, at = [], lo
    for q in quantities:
        if lo <= q.start and q.end <= hi:
            pieces += [text[at:q.start], "N"]
            at = q.end
    return "".join(pieces) + text[at:hi]


def _resolve_group(s: Sentence, cues: Cues, group: list[Quantity], floor: int, stop: int) -> int:
    """Decide kind and metric once for a coordinated group, from the words around the whole group:
    after ``floor`` (the end of the previous group's words) and before ``stop`` (the next group).
    Returns the end of this group's words."""
    span = Span(group[0].start, group[-1].end, right_phrase_end(s, group[-1].end, stop))
    cue = group_cue(s, cues, group, span)
    if group[-1].form in CUED_FORMS:
        metric = metric_in(s.metric_text, span.end, span.right_end) or _object_metric(s, cue, span) or metric_in(
            s.metric_text, max(floor, span.start - 80), span.start, last=True
        )
        listed = _LIST_ITEM_RE.search(s.text, max(floor, s.lo), span.start)
        if metric is None and cue is not None and cue.end <= floor and not listed:  # a cue shared with the previous claim
            metric = metric_in(s.metric_text, max(s.lo, cue.start - 60), cue.end + 40, last=True)
        if group[0].form == "bare":
            metric = _named_metric(s, span.start, metric)
    else:  # a size: what the last member measures ("1.3 billion and 6.7 billion parameters")
        name = size_metric(s, group[-1])
        metric = MetricName(name, direction(name)) if name else None
    change = any(q.joined_by == "arrow" or (q.joined_by == "to" and is_change(s.text, group[0])) for q in group)
    for q, nxt in zip(group, group[1:]):
        q.before = q.before or (change and nxt.joined_by in {"to", "arrow"})
    for q, nxt in zip(group, [*group[1:], None]):
        own = _METRIC_RIGHT_AFTER_RE.match(s.metric_text, q.end) and nxt is not None and metric_in(s.metric_text, q.end, nxt.start)
        q.metric = own.name if own else metric.name if metric else None  # "2.57% mIoU and 13.91% IoU"
        q.cue = (cue.start, cue.end) if cue else None
        if q.kind is None and (change or q.before) and q.form in CUED_FORMS:
            q.kind = "score"
        elif q.kind is None and cue is not None and cue.kind == "worse" and q.form in CUED_FORMS:
            q.kind = _worse(q, metric) if _worse_amount(s, q, span, cue) else _DECIDERS[q.form](s, q, span, None, metric)
        elif q.kind is None:
            q.kind = _DECIDERS[q.form](s, q, span, cue, metric)
        revise(s, q, span, cue, metric)
    return span.right_end


def _after_start(s: Sentence, span: Span) -> int:
    """Where the first metric after a quantity's group starts (the sentence end if none)."""
    found = V.METRIC_RE.search(s.metric_text, span.end, span.right_end)
    return found.start() if found else s.hi


def _object_metric(s: Sentence, cue: Cue | None, span: Span) -> MetricName | None:
    """In "improves SLO attainment for TPOT by 66%" what changed is the verb's object, the first
    metric after the cue word, not the one nearest the number."""
    if cue is None or cue.end > span.start or not BY_AMOUNT_RE.search(s.text, max(s.lo, span.start - 40), span.start):
        return None
    return metric_in(s.metric_text, cue.end, span.start)


def _worse_amount(s: Sentence, q: Quantity, span: Span, cue: Cue) -> bool:
    """Whether the number is the size of the change for the worse ("drops 3%", "trails by 7.79
    points", "a 2-point degradation"), not a value stated near it ("underperforms the zero-shot
    baseline (0.255 mIoU)", "underperforms ... (Cohen's kappa: 0.81)")."""
    if q.form == "points" or q.sign or _is_amount(s, span, cue, _before(s, span)):
        return True
    if cue.end > span.start:
        return False
    between = V.METRIC_RE.sub(" ", s.metric_text[cue.end:span.start])  # "loss of accuracy less than 0.1%"
    between = _BOUNDS_RE.sub(" ", _QUANTIFIERS_RE.sub(" ", between))
    return not re.findall(r"[A-Za-z]+", between)  # "the largest performance degradation (2.39%)"


_BOUNDS_RE = re.compile(r"(?i)\b(?:of|in|on|for|as|low|high|little|only|just|merely|within|no)\b")


def _worse(q: Quantity, metric: MetricName | None) -> str | None:
    """A change for the worse in a quality metric is kept as a positive improvement marked as a
    degradation ("loss of accuracy less than 0.1%", "drops of 30 points"); a slowdown or a rise in
    a cost is reported, not claimed."""
    quality = metric is not None and metric.name not in V.COST_METRICS and metric.higher_is_better is not None
    if q.form == "points" or quality or (metric is None and q.form == "percent"):
        q.degraded = True
        return "improvement"
    q.dismissed = "worse"
    return None


def _by_direction(q: Quantity, cue: Cue | None, metric: MetricName | None) -> str | None:
    """A cut in a lower-is-better quality metric (FID, WER) is an improvement; a cut in a
    higher-is-better one (or a rise in FID) is an improvement marked as a degradation; more of a
    cost ("20% more parameters") is a size fact."""
    if cue is None:
        return None
    rise = cue.kind == "improvement" and _RISE_WORDS.fullmatch(cue.word)
    if metric is not None and metric.name in V.COST_METRICS and rise:
        return "scale"
    if cue.kind == "reduction" and _SIZE_WORDS.fullmatch(cue.word) and (metric is None or metric.higher_is_better):
        return "reduction"  # "16x smaller than the full-precision model" is about size, not precision
    quality_word = _QUALITY_CUE_RE.fullmatch(cue.word)  # "orders of magnitude better prediction"
    if cue.kind == "improvement" and metric is not None and metric.higher_is_better is False and \
            metric.name in V.COST_METRICS and not rise and not quality_word:
        # "wall-clock time improvements of 5.4x" is a speedup; "inference cost improvements of 38%" a cut
        return "speedup" if metric.name in _TIME_METRICS and q.form == "factor" else "reduction"
    if metric is None or metric.name in V.COST_METRICS or metric.higher_is_better is None:
        return cue.kind
    if cue.kind == "reduction" or (rise and metric.higher_is_better is False):
        q.degraded = cue.kind == "improvement" or metric.higher_is_better is True
        return "improvement"
    return cue.kind


def _before(s: Sentence, span: Span, width: int = 60) -> str:
    return s.text[max(s.lo, span.start - width):span.start]


def _decide_factor(s: Sentence, q: Quantity, span: Span, cue: Cue | None, metric: MetricName | None) -> str | None:
    """A factor takes its kind from its cue; a doubling verb is its own cue ("can double retention");
    with no cue, a factor of a cost is a size ("twice its size") or, below one, a cut ("at
    one-eighth the parameters")."""
    kind = _by_direction(q, cue, metric)
    if kind is not None:
        return kind
    cost = metric is not None and metric.name in V.COST_METRICS
    if q.special and s.text[q.start:q.end].lower().startswith(("doubl", "tripl", "quadrupl")):
        return "scale" if cost else "speedup" if metric is not None and metric.name == "throughput" else "improvement"
    if cost:
        return "reduction" if q.value < 1 else "scale"
    share = _OF_WHOLE_RE.match(s.text, span.end) or (_PERCENT_ONLY_LEFT_RE.search(_before(s, span, 30)) and
                                                     _SHARE_OF_RE.match(s.text, span.end))
    if q.value < 1 and share:
        return "reduction"  # "only one-third of the original states"
    return None


def _decide_percent(s: Sentence, q: Quantity, span: Span, cue: Cue | None, metric: MetricName | None) -> str | None:
    """A share: of a setting or a budget (scale), of a cost (reduction), a relative change, or
    otherwise a level that was measured (score: "9.91% false positives", "81% of its outputs")."""
    before = _before(s, span, 40)
    cut = _PERCENT_CUT_LEFT_RE.search(before)
    if _SETTING_BEFORE_RE.search(before) or _SETTING_AFTER_RE.match(s.text, span.end) or \
            _CONDITION_AFTER_RE.match(s.text, span.end):
        return "scale"
    after = metric_in(s.metric_text, span.end, span.right_end)
    cost = after is not None and after.name in V.COST_METRICS
    if not cost and _GAP_BEFORE_RE.search(_before(s, span, 80)) and about_quality(s):
        q.degraded = True  # "keeping the accuracy within 1% of the original model": the size of a loss
        return "improvement"
    if _GAP_AFTER_RE.match(s.text, span.end) or _GAP_OF_RE.search(before):
        return "improvement"  # "a 14.20% gap in accuracy", "a performance gap of 37.66%": a difference
    amount = cue is not None and cue.start >= span.end  # "46% faster runtime"
    small = _PERCENT_ONLY_LEFT_RE.search(before) or _UPPER_BOUND_RE.search(before)
    measured = _SHARE_VERB_RE.search(_UPPER_BOUND_RE.sub("", before))  # "constitute less than 0.001% of the tokens"
    if cost and not amount and small and not measured:
        return "reduction"  # "with only 10% of their parameters", "with less than 40% of the computation cost"
    if V.USED_SHARE_RE.match(s.text, span.end):
        return "reduction" if (cut or small) and not measured else "scale"
    if _OF_WHOLE_RE.match(s.text, span.end):
        return "score" if _KEPT_RE.search(before) or _SHARE_VERB_RE.search(before) else "reduction"
    if cut:  # "saves 72.4% memory", "reduce 40% FLOPs", "reduces 13.04% of classification errors"
        return _by_direction(q, Cue("reduction", 0, 0, cut.group("verb")), after or metric) or "reduction"
    between = s.text[cue.end:span.start] if cue is not None and cue.start < span.start else None
    left_cue_next = between is not None and len(_QUANTIFIERS_RE.sub(" ", between).split()) <= 1
    kept = _KEPT_RE.search(before)
    if _SHARE_OF_RE.match(s.text, span.end) and (kept or not left_cue_next and not _is_amount(s, span, None, before)):
        return "score"  # "94% of the accuracy gain", "81% of its outputs": a share that was measured
    if _is_amount(s, span, cue, before):
        return _by_direction(q, cue, metric) or _uncued_change(s, q, span, before, metric)
    if cost and _USING_RE.search(before) and _RIGHT_AFTER_RE.match(s.text, span.end, _after_start(s, span)):
        return "reduction"  # "with 0.1% trainable parameters", not "with 92% Inlier Ratio on synthetic data"
    if _STATE_RE.search(before) or score_metric_next_to(s, q, span.start) or _alone_in_parens(s, span):
        return "score"
    if cue is not None and cue.start < span.start and _NOUN_AFTER_RE.match(s.text, span.end):
        return "score"  # "exceeds 99% soundness": the verb compares, the share is a level
    return _by_direction(q, cue, metric) or "score"


def _decide_points(s: Sentence, q: Quantity, span: Span, cue: Cue | None, metric: MetricName | None) -> str | None:
    """Points are always a difference; a drop in points is a degradation ("drops of 30 points")."""
    lower_is_better = metric is not None and metric.higher_is_better is False
    q.degraded = cue is not None and cue.kind == "reduction" and not lower_is_better  # fewer Chamfer points: better
    return "improvement"


def _decide_bare(s: Sentence, q: Quantity, span: Span, cue: Cue | None, metric: MetricName | None) -> str | None:
    """A bare number is a change ("+8.6 EM", "outperforms X by 0.4", "1.1 F1 improvement"), a
    reached value ("improves FID to 2.1"), a score next to its metric ("FID of 1.24", "ACCP =
    0.320", "0.95 purity"), or a list of measured values in parentheses ("(0.809 and 0.814)")."""
    before = _before(s, span)
    changed = _is_amount(s, span, cue, before)
    if changed is not None:
        return _by_direction(q, cue, metric) if changed and cue and cue.kind != "speedup" else None
    if SAMPLE_SIZE_RE.search(before) or V.HYPERPARAMETER_RE.search(before):
        return "scale"  # "(N=64)", "dropout (0.3)"
    if 0 < q.value < 1 and _SHARE_OF_RE.match(s.text, span.end) and _PERCENT_ONLY_LEFT_RE.search(before):
        q.unit, q.form = "x", "factor"
        return "reduction"  # "with merely 0.4 of the training data": a fraction of a resource
    named = NAMED_VALUE_RE.search(before)
    if named and named.group("name") and _is_cost(named.group("name")):
        return "scale"  # "(NFE=2)": a setting the result is measured at
    if _STATE_RE.search(before) or score_metric_next_to(s, q, span.start) or named or statistic(s, q):
        return "score"
    fraction = q.value != int(q.value) or "." in s.text[q.first:q.number_end]
    singular_noun = _NOUN_AFTER_RE.match(s.text, span.end) and not _PLURAL_AFTER_RE.match(s.text, span.end)
    if fraction and (_alone_in_parens(s, span) or singular_noun):
        return "score"
    return None


def _is_cost(name: str) -> bool:
    metric = V.METRIC_RE.fullmatch(name)
    return metric is not None and V.metric_at(metric).name in V.NOT_SCORES


def _named_metric(s: Sentence, start: int, metric: MetricName | None) -> MetricName | None:
    """"(CKA = 0.830)", "NMI = 0.83": a value given to an acronym no vocabulary knows measures that
    acronym, unless a metric heads the list it is in ("F1-scores: CNN=0.46, ANN=0.44")."""
    named = NAMED_VALUE_RE.search(s.text, max(s.lo, start - 20), start)
    name = named.group("name") if named else None
    if not name or not _ACRONYM_RE.fullmatch(name) or V.METRIC_RE.fullmatch(name):
        return metric
    opening = s.text.rfind("(", s.lo, named.start())
    if opening >= 0 and ")" not in s.text[opening:named.start()] and metric_in(s.metric_text, opening, named.start()):
        return metric
    return MetricName(name, None)


_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9@-]*[A-Z0-9]")


def _uncued_change(s: Sentence, q: Quantity, span: Span, before: str, metric: MetricName | None) -> str | None:
    """"model scales largely impact performance by 45-60%": a change "by" a share whose verb is no
    cue word is a gain in quality; "confirmed by 80% of the participants" and "bound by 71% accuracy"
    are measured levels, and a cost changed by a share with no word for the direction is left alone."""
    if not BY_AMOUNT_RE.search(before):
        return None
    if _SHARE_OF_RE.match(s.text, span.end) or score_metric_next_to(s, q, span.start, width=0):
        return "score"
    if metric is not None and metric.name in V.COST_METRICS:
        return None
    return "improvement"


def _alone_in_parens(s: Sentence, span: Span) -> bool:
    """"(73.99%)" after a system's name is that system's score."""
    return s.text[span.start - 1:span.start] == "(" and s.text[span.end:span.end + 1] == ")"


def _is_amount(s: Sentence, span: Span, cue: Cue | None, before: str) -> bool | None:
    """True when the quantity is the size of a change: a cue right after it, "by N", "gain of N";
    None when nothing says so."""
    if cue is not None and cue.start >= span.end:
        return True
    if BY_AMOUNT_RE.search(before) or _IMPROVEMENT_OF_RE.search(before):
        return True
    return None


def _decide_size(s: Sentence, q: Quantity, span: Span, cue: Cue | None, metric: MetricName | None) -> str | None:
    """A size changed "by" an amount is a change ("by 9.9 dB", "cuts latency by 20 ms"); rates are
    results; sizes are facts, unless they are the target of a cut ("to merely 88 GPU-days")."""
    before = s.text[s.lo:q.start]
    if q.form == "unit" and (BY_AMOUNT_RE.search(before[-40:]) or _IMPROVEMENT_OF_RE.search(before[-60:])):
        change = _by_direction(q, left_cue(s, Cues(), span.start), metric)
        if change in {"improvement", "reduction", "speedup"}:
            return change
    right = SCORE_RIGHT_RE.match(s.metric_text, q.end)
    if q.form == "unit" and (UNIT_SCORE_LEFT_RE.search(s.metric_text, max(s.lo, span.start - 60), span.start) or
                             (right and metric_in(s.metric_text, q.end, right.end()).name not in V.NOT_SCORES)):
        return "score"  # "13.89mm HD95", "a latency of 35 ms"
    amount_of = _AMOUNT_OF_RE.match(s.text, q.end)  # "2 seconds of input", "800 hours of audio"
    if _INTERVAL_RE.search(before):
        return "scale"  # "a streaming model runs every 12.5 ms": a setting, not a measured latency
    per_time = "/" in q.unit and _PER_TIME_RE.search(q.unit)
    if (q.unit in V.RATE_UNITS or per_time or q.unit == "USD" or ("/" in q.unit and q.form == "unit" and not q.noun)) \
            and not amount_of:
        return "score"
    if q.unit in _FREQUENCY_UNITS and _RUNS_AT_RE.search(before[-40:]):
        return "score"  # "DiffusionVLA-2B runs 82Hz on a single A6000 GPU": how fast it runs, not a sampling rate
    if q.form == "unit" and _set_against_same_unit(s, q):
        return "score"  # "19.7 minutes vs 35.9 minutes", "(888.1 J vs 205.3 J)": a measured cost, compared
    cut_to = _TO_REDUCED_RE.search(before)
    emphatic = cut_to is not None and len(cut_to.group(0).split()) > 1
    if cut_to and (emphatic or q.joined_by == "to") and V.REDUCE_RE.search(before):
        return "reduction"
    return "scale"


_FREQUENCY_UNITS = frozenset({"Hz", "kHz", "FPS", "fps"})
_RUNS_AT_RE = re.compile(r"\b(?:runs?|running)\s+(?:at\s+)?(?:up\s+to\s+|about\s+|over\s+|~\s?)?$", re.I)
_VERSUS_NEAR_RE = re.compile(r"\b(?:vs|versus|compared)\b", re.I)
_VERSUS_WORDS = r"(?:vs\.?|versus|compared\s+(?:to|with))\s+(?:[^\s\d,;()]+\s+){0,2}?[~≈]?"


def _set_against_same_unit(s: Sentence, q: Quantity) -> bool:
    """A size set against another in the same unit across "vs."/"versus": both are measured values."""
    unit = re.escape(s.text[q.number_end:q.end].strip())
    if not unit or not _VERSUS_NEAR_RE.search(s.text, max(s.lo, q.first - 80), q.end + 40):
        return False
    after = re.compile(rf"\s*{_VERSUS_WORDS}\d[\d.,]*\s?{unit}(?![\w])", re.I)
    before = re.compile(rf"\d[\d.,]*\s?{unit}\W{{0,2}}\s*{_VERSUS_WORDS}$", re.I)
    return bool(after.match(s.text, q.end) or before.search(s.text, max(s.lo, q.first - 80), q.first))


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
