"""A second look at a decided quantity, with its whole sentence and abstract in view: a drop in a
sentence about quality is a loss of quality, a cut in a sentence about errors is a gain, a margin
over a system in an abstract about speed is a speedup, a bare change in a percent metric is in points.
"""

from __future__ import annotations

import re

from pipeline.claims import vocab as V
from pipeline.claims.context import BY_AMOUNT_RE, MetricName
from pipeline.claims.cues import GENERIC_COMPARISON_RE, Cue, Span
from pipeline.claims.numbers import Quantity
from pipeline.claims.text import Sentence

_ABSOLUTE_RE = re.compile(r"\babsolute\b", re.I)
_DROP_RE = re.compile(r"(?i)drop(?:s|ped|ping)?|decreas\w*")
_CUT_WORD_RE = re.compile(r"(?i)reduc\w*|decreas\w*|cut\w*|drop\w*|lower(?:s|ed|ing)|slash\w*|shrink\w*")
_QUALITY_WORD_RE = re.compile(r"\b(?:performance|accuracy|quality|fidelity|scores?|results?)\b", re.I)
_FRACTION_SCORE_RE = re.compile(r"(?<![\d.])0\.\d+(?![\d.]|\s?%)")


def revise(s: Sentence, q: Quantity, span: Span, cue: Cue | None, metric: MetricName | None) -> None:
    """Correct a decided kind or unit with what the rest of the sentence and the abstract say."""
    if q.kind == "improvement" and q.sign == "-" and metric is not None and metric.name in V.COST_METRICS:
        q.kind = "reduction"  # "reduces training duration by -28%"
    if q.kind == "reduction" and q.form != "factor" and metric is None and cue is not None and _quality_drop(s, cue):
        q.kind, q.degraded = "improvement", True
    elif q.kind == "reduction" and metric is None and _cut_amount(s, span, cue) and _only_error_metrics(s):
        q.kind = "improvement"  # "an error rate of 1.5% - a 2-3x reduction compared to the previous best"
    if q.kind == "improvement" and _speed_comparison(s, q, cue, metric):
        q.kind = "speedup"
    if q.kind == "improvement" and q.form == "bare" and _in_points(s, q, span, metric):
        q.unit = "pp"


def _quality_drop(s: Sentence, cue: Cue) -> bool:
    """"a 20+% significant drop as compared against its SQuAD performance", "a maximal performance
    drop of 0.6%": a drop with no metric of its own, in a sentence about quality, is a loss of quality."""
    return _DROP_RE.fullmatch(cue.word) is not None and about_quality(s)


def _cut_amount(s: Sentence, span: Span, cue: Cue | None) -> bool:
    """The quantity is the amount of a cut: "a 2-3x reduction", "reduces ... by 30%"."""
    if cue is None or cue.kind != "reduction" or not _CUT_WORD_RE.fullmatch(cue.word):
        return False  # "70% less annotation effort": the noun after a comparative is what is cut
    if cue.start >= span.end:
        return len(s.text[span.end:cue.start].split()) <= 1
    return BY_AMOUNT_RE.search(s.text, max(s.lo, span.start - 40), span.start) is not None


def _only_error_metrics(s: Sentence) -> bool:
    """The sentence names lower-is-better quality metrics (error, FID) and no cost, so a cut with no
    metric of its own is a cut in one of them."""
    named = [V.metric_at(m) for m in V.METRIC_RE.finditer(s.metric_text, s.lo, s.hi)]
    return bool(named) and all(m.type == "quality" and m.higher_is_better is False for m in named)


def about_quality(s: Sentence) -> bool:
    """The sentence names a quality metric or speaks of performance, accuracy or quality."""
    return _sentence_quality_metric(s) or _QUALITY_WORD_RE.search(s.text, s.lo, s.hi) is not None


def _speed_comparison(s: Sentence, q: Quantity, cue: Cue | None, metric: MetricName | None) -> bool:
    """"outperforms PyTorch by 6.13x" in an abstract about speed, with no quality metric in its
    sentence, is a speedup: quality is rarely compared by a factor. A percent margin is one when it
    follows a speedup ("achieves a 2x speedup. It outperforms train-free methods by 30%")."""
    if cue is None or not GENERIC_COMPARISON_RE.fullmatch(cue.word) or metric is not None or q.form == "bare":
        return False
    if _sentence_quality_metric(s):
        return False
    if q.form == "factor":
        return s.about_speed
    quality = _QUALITY_WORD_RE.search(s.text, s.lo, s.hi)
    return q.form == "percent" and s.previous_kind == "speedup" and not quality


def _sentence_quality_metric(s: Sentence) -> bool:
    return any(V.metric_at(m).name not in V.NOT_SCORES for m in V.METRIC_RE.finditer(s.metric_text, s.lo, s.hi))


def _in_points(s: Sentence, q: Quantity, span: Span, metric: MetricName | None) -> bool:
    """A bare change is in percentage points when it says so ("4.8 absolute accuracy improvement")
    or its metric is stated in percent ("+8.6 EM", "2.4 F1 improvement"); a change below 1 is not,
    in a metric often written as a fraction ("by 0.0476 AUC") or in a sentence that writes scores as
    fractions ("an F1 of 0.84, ... by 0.17 F1")."""
    if _ABSOLUTE_RE.search(s.text, max(s.lo, q.start - 30), span.right_end):
        return True
    if metric is None or metric.name not in V.POINTS_METRICS:
        return False
    if q.value >= 1:
        return True
    fractions = [m for m in _FRACTION_SCORE_RE.finditer(s.text, s.lo, s.hi) if m.start() != q.first]
    return metric.name not in V.FRACTION_METRICS and not fractions
