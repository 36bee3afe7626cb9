"""Assembling claims: every number of every sentence, dismissed with a reason or decided and
described, then turned into rows of the claims table.

Offsets always refer to the raw abstract, so ``abstract[start:end] == text``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.claims import context
from pipeline.claims.coordinate import coordinated_groups, mark_before_after, mark_out_of
from pipeline.claims.decide import decide_groups
from pipeline.claims.dismiss import mark_restated, reason
from pipeline.claims.numbers import Quantity, quantities
from pipeline.claims.role import VERSUS_AFTER_RE, role_of
from pipeline.claims.text import CleanText, Sentence, background, clean, sentences
from pipeline.schema import CLAIMS, conform

_ONE_LINE = str.maketrans("\n\r\t\f\v", "     ")
_SPEED_STEMS = ("faster", "quicker", "speed", "accelerat", "throughput", "per second", "wall-clock", "wall clock")
"""Words of an abstract about speed: there a factor over a compared system is a speedup."""
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
    role: str | None
    text: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True)
class Number:
    """A number of an abstract and what became of it: a claim, or the reason it is none (a key of
    :data:`pipeline.claims.dismiss.REASONS`). ``text`` is ``abstract[start:end]``."""

    text: str
    start: int
    end: int
    claim: Claim | None
    reason: str | None


def _sentence_quantities(s: Sentence) -> list[Quantity]:
    """The sentence's numbers, each with a kind or a reason it is none."""
    found = quantities(s.text, s.lo, s.hi)
    for q in found:
        q.dismissed = reason(s, q)
    mark_restated(s, found)
    kept = [q for q in found if q.dismissed is None]
    mark_out_of(s.text, kept)
    mark_before_after(s.text, kept)
    groups = coordinated_groups(s.text, kept)
    decide_groups(s, groups)
    decided = [q for group in groups for q in group]  # members merged into a range are gone
    for q in decided:
        if q.kind is None and q.dismissed is None:
            q.dismissed = "shape" if q.form == "dims" else "no kind"
    kept_ids = {id(q) for q in kept}
    return decided + [q for q in found if id(q) not in kept_ids]


def _claim(s: Sentence, q: Quantity, source: CleanText, raw: str) -> Claim:
    """The claim for a decided quantity; its evidence runs from the number to a cue right after it."""
    end = q.cue[1] if q.cue and 0 <= q.cue[0] - q.end <= 40 else q.end
    metric = context.metric_name(s, q)
    if q.form == "resolution":
        dataset = context.resolution_dataset(s, q)
    else:
        dataset = None if q.kind == "scale" else context.dataset(s, q)
    relative = q.kind in {"speedup", "reduction", "improvement"}
    start, stop = source.raw_start(q.start), source.raw_end(end)
    sentence_start, sentence_end = source.raw_start(s.lo), source.raw_end(s.hi)
    return Claim(
        kind=q.kind,
        value=float(q.value),
        unit=q.unit,
        metric=metric,
        higher_is_better=context.direction(metric),
        range_low=q.low,
        baseline=context.baseline(s, q) if relative else None,
        dataset=dataset,
        role=role_of(s, q),
        text=raw[start:stop],
        start=start,
        end=stop,
        sentence_start=min(sentence_start, start),
        sentence_end=max(sentence_end, stop),
    )


def numbers_in_text(text: str) -> list[Number]:
    """Every number in one abstract, in reading order, with its claim or the reason it is none."""
    if not text:
        return []
    source = clean(text)
    numbers: list[Number] = []
    stated: set[tuple[float, str]] = set()
    # one line: hard line wraps (arXiv) must not end a word for the rules, whose "$" would match before
    # a trailing newline; same length, so offsets stay valid
    plain = source.text.translate(_ONE_LINE)
    spans = sentences(plain)
    metric_text = context.mask_redefined_acronyms(plain)
    lower = plain.lower()
    about_speed = any(stem in lower for stem in _SPEED_STEMS)
    previous_kind = None
    for (lo, hi), is_background in zip(spans, background(plain, spans)):
        s = Sentence(plain, lo, hi, background=is_background, metric_text=metric_text, about_speed=about_speed,
                     previous_kind=previous_kind)
        question = plain[lo:hi].rstrip().endswith("?")
        for q in sorted(_sentence_quantities(s), key=lambda q: q.start):
            restated = q.before or (q.kind == "score" and VERSUS_AFTER_RE.match(plain, q.end))
            if q.kind in KINDS and restated and (q.value, q.unit) in stated:
                # "FVD of 103.3 ... FVD dropping from 103.3 to 55.3", "to 25.95 MAE ... (25.95 vs. 27.74 MAE)"
                q.kind, q.dismissed = None, "repeat"
            if q.kind in KINDS and q.dismissed is None and not question:
                claim = _claim(s, q, source, text)
                numbers.append(Number(claim.text, claim.start, claim.end, claim, None))
                stated.add((claim.value, claim.unit))
                previous_kind = claim.kind if claim.kind != "scale" else previous_kind
            else:
                start, end = source.raw_start(q.start), source.raw_end(q.end)
                numbers.append(Number(text[start:end], start, end, None, "question" if question else q.dismissed))
    return numbers


def claims_in_text(text: str) -> list[Claim]:
    """All numeric claims in one abstract, in reading order. Questions are not claims."""
    return [number.claim for number in numbers_in_text(text) if number.claim is not None]


def extract_claims(papers: pd.DataFrame) -> pd.DataFrame:
    """The claims table (schema.CLAIMS) for every paper with an abstract."""
    rows = [
        {"paper_id": paper_id, **claim.__dict__}
        for paper_id, abstract in zip(papers["paper_id"], papers["abstract"])
        if isinstance(abstract, str)
        for claim in claims_in_text(abstract)
    ]
    return conform(pd.DataFrame(rows, columns=list(CLAIMS)), CLAIMS)
