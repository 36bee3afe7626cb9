"""Whose number a claim is: the paper's own result, a compared system's value, or context.

- ``baseline``: the "before" of a before-and-after pair ("FID from 4.19 to 9.96"), a value set
  against the paper's ("surpassing the 72% ceiling", "0.207 vs. 0.161", "SiT's 9.17 FID"), or one
  stated in a clause whose subject is another system ("In contrast, a state-of-the-art feature
  squeezing technique can only achieve 55%", "while lawyers take 194 to 316 seconds");
- ``context``: background before the paper speaks of its own work ("lighting consumes 15-20% of
  residential energy"), thresholds and definitions ("a partial discrimination (80% of the maximum)");
- ``result``: everything else that is not a scale fact (scale facts have no role).
"""

from __future__ import annotations

import re

from pipeline.claims import vocab as V
from pipeline.claims.numbers import Quantity
from pipeline.claims.text import Sentence

ROLES = ("result", "baseline", "context")

_COMPARED_RE = re.compile(
    r"(?:\b(?:vs\.?|versus|compared (?:to|with)|in comparison (?:to|with)|relative to|as opposed to|, against)\s+"
    r"|\b(?:surpass\w*|exceed\w*|outperform\w*|beat(?:s|ing)?|against)\s+(?=\S+\s)"
    r"|\b(?:higher|better|lower|worse|greater|stronger|faster|slower|smaller|larger)\s+than\s+(?=(?:the\s+)?[A-Za-z]))"
    r"(?:(?!(?:by|of|with|to|and|on|in|while|at|from)\b)[^\s,;:.(]+\s+){0,6}(?:of\s+)?\(?$",
    re.I,
)
"""A value the paper's is set against: "vs. 73.9%", "compared to just 43%", "surpassing the 72%
ceiling", "outperforming the previous model SiT's 9.17 FID", "higher than GPT-4's 75.3%"; not
"outperforms X by 5%" or "higher than 75%" (a bound)."""
_FOR_BASELINE_RE = re.compile(
    rf"\s*(?:[\w/-]+\s+){{0,3}}?for\s+(?:the\s+|a\s+)?(?:best-performing\s+|strongest\s+)?(?:{V.BASELINE_SUBJECT_RE.pattern})",
    re.I,
)
"""A value attributed to another system after it: "43% for the best-performing human group"."""
_BASELINE_OF_RE = re.compile(r"\bbaselines?(?:'s)?\s+(?:score\s+|accuracy\s+)?(?:of|at|=|:|is|was)?\s*(?:only\s+|just\s+)?$", re.I)
"""A value given to the baseline: "the human majority-vote baseline of 65.7%"."""
_COMPARISON_RE = re.compile(
    r"\b(?:over(?!\s+(?:\d|all\b|[a-z]+teen\b|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty|hundred))|than|vs\.?|versus|compared (?:to|with)|relative to|outperform\w*|surpass\w*|exceed\w*|beat(?:s|ing)?|"
    r"from|against|below|behind|short\s+of|trail\w*|lag\w*)\s", re.I
)
_OWN_AGAIN_RE = re.compile(
    r"[;:]|\b(?:reach\w*|achiev\w*|attain\w*|while|whereas|but|which|we|our|ours|to)\b"
    r"|\bby\s+(?:about\s+|approximately\s+|nearly\s+|up\s+to\s+|over\s+|~\s?)?\d", re.I
)
"""Where a clause turns back to the paper's own value ("..., reaching state-of-the-art performance (0.532)"),
or to the margin by which it differs ("trails encoder baselines by approximately 11 F1 points (0.6157)")."""
_CLOSE_RE = re.compile(r"\s*(?:%|\s?points?|pp)?(?:\s+[A-Za-z][\w-]*){0,2}\s*\)")
"""The end of a parenthesized value: "(64.69%)", "(100% exposure)"."""
VERSUS_AFTER_RE = re.compile(r"\s*(?:/\s*\d+(?:\.\d+)?)?\s*(?:%|\s?points?|pp)?(?:\s+[A-Za-z][\w-]*)?\s*(?:vs\.?|versus)\s", re.I)
"""The first value of a pair set against each other: "0.207 vs. 0.161", "4.80/5 vs. 1.0/5"."""
_VS_BEFORE_RE = re.compile(r"\b(?:vs\.?|versus)\s*$", re.I)
"""A later value of such a chain ("9.32 vs. 8.95 vs. 9.03") is not the first one."""
_OWN_RE = re.compile(r"\b(?:we|our|ours|us|proposed|this (?:method|model|approach|system|work))\b", re.I)
_SUBJECT_LEAD_RE = re.compile(
    r"(?:(?:the|a|an|all|most|many|some|even|both|these|those|such|other|several|\w+est|\w+-\w+)\s+){0,3}", re.I
)
"""What may stand before a clause's subject: "In both cases, baseline methods ...", "the best baselines",
"high-resource baselines"."""
_CLAUSE_START_RE = re.compile(r"[;,:]\s*|\b(?:while|whereas|where|but|although|though|that)\s+", re.I)
_THRESHOLD_BEFORE_RE = re.compile(r"\b(?:thresholds?|cut-?offs?)\s+(?:of\s+|at\s+|=\s*)?$", re.I)
_THRESHOLD_AFTER_RE = re.compile(r"\s*(?:%\s*)?(?:thresholds?|cut-?offs?)\b", re.I)
_BOUND_RE = re.compile(r"\b(?:have|has|having|with)\s+(?:at least|at most|above|below|over|under)\s+$", re.I)
_DEFINITION_RE = re.compile(r"\s*(?:%|percent)?\s+of\s+the\s+(?:maximum|minimum|optimal|peak|full)\b", re.I)


def role_of(s: Sentence, q: Quantity) -> str | None:
    """The role of a decided quantity in its sentence (None for scale facts)."""
    if q.kind == "scale":
        return None
    if q.follows is not None:  # "compared with 0.767 for X and [0.706] for Y": the same system's kind of value
        return role_of(s, q.follows)
    before = s.text[max(s.lo, q.first - 80):q.first]
    if (q.kind == "score" and VERSUS_AFTER_RE.match(s.text, q.end) and not _VS_BEFORE_RE.search(before)
            and not _about_a_baseline(s, q)):
        return "result"  # "(4.80/5 vs. 1.0/5)", "(0.207 vs. 0.161)": the first of a pair is the paper's
    compared = _COMPARED_RE.search(before) or _FOR_BASELINE_RE.match(s.text, q.end) or _BASELINE_OF_RE.search(before)
    if q.before or (compared and q.kind == "score"):  # a change over X ("+10.3% over CoT") is ours
        return "baseline"
    if q.kind == "score" and _in_parens_after_compared(s, q):
        return "baseline"
    if _about_a_baseline(s, q):
        return "baseline"
    if _THRESHOLD_BEFORE_RE.search(before) or _THRESHOLD_AFTER_RE.match(s.text, q.end) or _BOUND_RE.search(before):
        return "context"
    if s.text[q.first - 1:q.first] == "(" and _DEFINITION_RE.match(s.text, q.number_end):
        return "context"
    return "context" if s.background else "result"


def _in_parens_after_compared(s: Sentence, q: Quantity) -> bool:
    """"a 6.7% improvement over the state-of-the-art method, NEFTune (64.69%)", "outperforming
    centralized learning (84.9%) and swarm learning (72.99%)": a value in parentheses after a system
    named as what the paper's is compared with, in the same clause."""
    if s.text[q.first - 1:q.first] != "(" or not _CLOSE_RE.match(s.text, q.end):
        return False
    triggers = list(_COMPARISON_RE.finditer(s.text, max(s.lo, q.first - 200), q.first))
    return bool(triggers) and not _OWN_AGAIN_RE.search(s.text, triggers[-1].end(), q.first)


def _about_a_baseline(s: Sentence, q: Quantity) -> bool:
    """The clause holding the number is about another system: its subject is a baseline ("baseline
    methods completely fail", "while lawyers take"), and the authors' own work is not named in it."""
    clause_start = s.lo
    for match in _CLAUSE_START_RE.finditer(s.text, s.lo, q.first):
        clause_start = match.end()
    clause = s.text[clause_start:q.first]
    if _OWN_RE.search(clause):
        return False
    for subject in V.BASELINE_SUBJECT_RE.finditer(s.text, clause_start, q.first):
        if _SUBJECT_LEAD_RE.fullmatch(s.text, clause_start, subject.start()):
            return True
    return False
