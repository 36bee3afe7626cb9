"""Claims that don't add up: impossible values, extreme outliers, two values for one thing, wrong directions.

Each check is a plain function from the claims (and the metric table) to rows of the
`claim_checks` table, with the sentence that holds the claim so a reader can judge it. The checks
do not decide who is wrong (the paper, the extractor, or neither: a paper may report two model
sizes); they point at what a reader should look at before trusting a leaderboard.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline import schema
from pipeline.evidence import sentence_bounds
from pipeline.metric_info import MetricInfo, describe, metric_table, result_claims, result_scores, unit_suffix

OUT_OF_RANGE = "out of range"
OUTLIER = "outlier"
INCONSISTENT = "inconsistent"
DIRECTION = "direction"
CHECKS = (OUT_OF_RANGE, OUTLIER, INCONSISTENT, DIRECTION)

# A value is an outlier when it lies this many robust standard deviations (1.4826 × MAD) from the
# median of its metric and dataset (Iglewicz and Hoaglin's cut-off for the modified z-score); groups
# smaller than this many values from this many papers are not judged.
OUTLIER_Z = 3.5
OUTLIER_MIN_VALUES = 8
OUTLIER_MIN_PAPERS = 5

# Direction words: comparatives next to a number ("2.1 higher FID") and verbs governing a "by" amount.
_RISE_WORDS = r"higher|more|greater|larger"
_FALL_WORDS = r"lower|less|fewer|smaller"
_RISE_VERBS = r"increas(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|boost(?:s|ed|ing)?|grows?|grew|rises?|rose"
_FALL_VERBS = r"reduc(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|lower(?:s|ed|ing)|drop(?:s|ped|ping)?|cut(?:s|ting)?|declin(?:e|es|ed|ing)|fell|degrad(?:e|es|ed|ing)"
_RISE_RE = re.compile(rf"(?i)(?:{_RISE_WORDS}|{_RISE_VERBS})")
_FALL_RE = re.compile(rf"(?i)(?:{_FALL_WORDS}|{_FALL_VERBS})")
_VERB_BY_RE = re.compile(rf"(?i)(?P<subject>(?:[^\s.,;]+\s+){{0,2}})\b(?P<verb>{_RISE_VERBS}|{_FALL_VERBS})\s+"
                         rf"(?P<object>(?:[^\s.,;]+\s+){{0,4}}?)by\s+"
                         r"(?:up to |about |around |over |nearly |almost |approximately |more than |roughly |~)?\$?$")
_COMPARATIVE_RE = re.compile(rf"(?i)\b(?P<word>{_RISE_WORDS}|{_FALL_WORDS})\b\s*(?P<rest>.*)$", re.S)
# a sign written on the number itself: "(+13.9%)", "-0.5 FID"; not "3-8%", "+/-2", "--29%"
_SIGN_RE = re.compile(r"(?:^|(?<=[\s(\[$]))(?P<sign>[+\-−])\$?$")
_SIGNS = "+-−"
_FROM_RE = re.compile(r"(?i)\bfrom\s+\$?$")
_RANGE_RE = re.compile(r"(?i)\b(?:rang\w*|between|vary\w*|varies|spann\w*)\s+(?:\w+\s+){0,2}$")
_TO_RE = re.compile(r"^\s*\$?\s*(?:to|→|->|\\to|\\rightarrow)\s*\$?\s*$")
_CALLED_BETTER_RE = re.compile(r"(?i)\b(?:improv\w*|better|boost\w*|enhanc\w*|gains?|outperform\w*)\b")


def check_claims(claims: pd.DataFrame, papers: pd.DataFrame, dataset_names: dict[str, str],
                 metrics: dict[str, MetricInfo] | None = None) -> pd.DataFrame:
    """The `claim_checks` table: every check's findings, with the evidence sentence of each claim."""
    metrics = metric_table() if metrics is None else metrics
    scores = result_scores(claims, papers, dataset_names, metrics)
    found = pd.concat([
        out_of_range(claims, metrics),
        outliers(scores),
        inconsistent(scores),
        direction(claims, papers, metrics),
    ], ignore_index=True)
    if found.empty:
        return schema.empty(schema.CLAIM_CHECKS)
    keys = ["paper_id", "start", "end"]
    stated = claims.drop_duplicates(keys).set_index(keys)
    index = pd.MultiIndex.from_frame(found[keys])
    found["value"] = stated["value"].reindex(index).to_numpy()
    found["unit"] = stated["unit"].reindex(index).to_numpy()
    found["text"] = stated["text"].reindex(index).to_numpy()
    found["dataset"] = stated["dataset"].reindex(index).map(dataset_names).to_numpy()
    found["sentence_start"], found["sentence"] = _sentences(found, claims, papers)
    order = {check: i for i, check in enumerate(CHECKS)}
    found = found.assign(_order=found["check"].map(order)).sort_values(["_order", "metric", "paper_id", "start"])
    return schema.conform(found, schema.CLAIM_CHECKS)


# --------------------------------------------------------------------------- the four checks


def out_of_range(claims: pd.DataFrame, metrics: dict[str, MetricInfo]) -> pd.DataFrame:
    """Values the metric cannot take: a negative FID, 120 % accuracy, a 150 pp gain, a 172 % reduction."""
    rows = []
    candidates = result_claims(claims)
    candidates = candidates[candidates["kind"].isin(["score", "improvement", "reduction"])]
    for c in candidates.itertuples(index=False):
        unit = "" if pd.isna(c.unit) else str(c.unit)
        info = describe(c.metric, c.higher_is_better, metrics)
        detail = None
        if c.kind == "reduction" and unit == "%" and c.value > 100:
            detail = f"a reduction of {c.value:g}% is more than all of it: reductions stop at 100%"
        elif info is not None and c.kind == "score":
            value = info.comparable_value(float(c.value), unit)
            if value is not None and not info.allows(value):
                detail = f"{c.metric} is {info.bounds()}; this claim reads {value:g}{info.unit_suffix()}"
        elif info is not None and c.kind == "improvement" and unit == "pp" and info.min is not None and info.max is not None:
            if abs(c.value) > info.max - info.min:
                detail = f"a change of {c.value:g} pp is more than {c.metric}'s whole range ({info.bounds()})"
        if detail:
            rows.append(_row(c, OUT_OF_RANGE, detail))
    return pd.DataFrame(rows, columns=_ROW_COLUMNS)


def outliers(scores: pd.DataFrame) -> pd.DataFrame:
    """Values far from every other report of the same metric on the same dataset.

    Robust to the outliers themselves: distance from the median in units of the median absolute
    deviation, on log values where the metric spreads multiplicatively (FID 1.8 and 18 are as far
    apart as 18 and 180).
    """
    rows = []
    scores = scores[scores["dataset"].notna()]
    for (metric, dataset, unit, scale), group in scores.groupby(["metric", "dataset", "unit", "scale"]):
        if len(group) < OUTLIER_MIN_VALUES or group["paper_id"].nunique() < OUTLIER_MIN_PAPERS:
            continue
        log = scale == "log"
        values = group["value"].to_numpy(dtype=float)
        if log and (values <= 0).any():
            continue  # a non-positive value of a log-scale metric is out of range, flagged there
        x = np.log(values) if log else values
        median = float(np.median(x))
        spread = 1.4826 * float(np.median(np.abs(x - median)))
        if spread == 0:
            continue
        z = (x - median) / spread
        typical = float(np.exp(median)) if log else median
        for c, score in zip(group.itertuples(index=False), z):
            if abs(score) > OUTLIER_Z:
                side = "above" if score > 0 else "below"
                rows.append(_row(c, OUTLIER, f"{c.value:g}{unit_suffix(unit)} is {abs(score):.1f} robust standard "
                                             f"deviations {side} the median {typical:.3g} of {len(group)} {metric} "
                                             f"values on {dataset}{' (log scale)' if log else ''}"))
    return pd.DataFrame(rows, columns=_ROW_COLUMNS)


def inconsistent(scores: pd.DataFrame) -> pd.DataFrame:
    """One paper stating two different values for the same metric on the same dataset, in different sentences.

    Values in one sentence are usually settings side by side ("1.35 with guidance and 2.10 without");
    two sentences that disagree are what a reader should check. Values that agree after rounding
    (1.5 and 1.52) are the same number.
    """
    rows = []
    keys = ["paper_id", "metric", "dataset", "unit"]
    scores = scores[scores["dataset"].notna()]
    scores = scores[scores.groupby(keys)["value"].transform("nunique") > 1]
    groups: dict[tuple, list] = {}
    for c in scores.itertuples(index=False):
        groups.setdefault((c.paper_id, c.metric, c.dataset, c.unit), []).append(c)
    for (paper_id, metric, dataset, unit), group in groups.items():
        for c in group:
            others = sorted({o.value for o in group
                             if o.sentence_start != c.sentence_start and not same_number(o.value, c.value)})
            if others:
                listed = ", ".join(f"{v:g}" for v in others)
                rows.append(_row(c, INCONSISTENT, f"the paper also reports {metric} on {dataset} as {listed}{unit} "
                                                  "in another sentence"))
    return pd.DataFrame(rows, columns=_ROW_COLUMNS)


def direction(claims: pd.DataFrame, papers: pd.DataFrame, metrics: dict[str, MetricInfo]) -> pd.DataFrame:
    """Changes called gains that go the metric's wrong way, and factors below 1 called speedups or reductions.

    A gain's direction is read from its words: a sign on the number ("+13.9% perplexity"), a
    direction word in its evidence ("2.1 higher FID") or a verb governing its "by" ("increases FID
    by 2.1"); and from "improves FID from 2.1 to 3.4", where the second number is the worse.
    """
    abstracts = papers.set_index("paper_id")["abstract"]
    rows = []
    candidates = result_claims(claims)
    candidates = candidates[(candidates["kind"] == "improvement") | (candidates["unit"] == "x")]
    for c in candidates.itertuples(index=False):
        if c.kind in {"speedup", "reduction"} and c.unit == "x" and 0 < c.value < 1 and not _fraction_as_stated(c):
            what = "a slowdown" if c.kind == "speedup" else "an increase"
            rows.append(_row(c, DIRECTION, f"a {c.kind} factor of {c.value:g}× is below 1, which as a factor is {what} "
                                           f"(if the text means 'to {c.value:g}×', the factor is {1 / c.value:.3g}×)"))
            continue
        info = describe(c.metric, c.higher_is_better, metrics)
        if c.kind != "improvement" or info is None or not info.quality:
            continue
        said = stated_direction(str(abstracts.get(c.paper_id, "")), int(c.start), int(c.end), info)
        wrong = "rise" if not info.higher_is_better else "fall"
        if said == wrong:
            better = "lower" if not info.higher_is_better else "higher"
            rows.append(_row(c, DIRECTION, f"counted as an improvement, but the text says {c.metric} "
                                           f"{'rose' if said == 'rise' else 'fell'}, and {better} {c.metric} is better"))
    rows += _worse_after_improving(claims, abstracts, metrics)
    return pd.DataFrame(rows, columns=_ROW_COLUMNS)


_CUT_WORDS_RE = re.compile(r"(?i)\b(?:less|fewer|lower|smaller|cheaper|shorter|faster|reductions?|decreases?)\b")


def _fraction_as_stated(claim) -> bool:
    """"at one-eighth the parameters", "1/3 of the compute", "a cost of 0.92×": the claims convention
    records such a reduction as the fraction written (0.125×), so it contradicts nothing. Only a
    factor below 1 that is itself called a cut ("0.3x less memory") is flagged."""
    return claim.kind == "reduction" and not _CUT_WORDS_RE.search(str(claim.text))


def _worse_after_improving(claims: pd.DataFrame, abstracts: pd.Series, metrics: dict[str, MetricInfo]) -> list[dict]:
    """"improves FID from 2.1 to 3.4": a from→to pair of one metric, called better, that got worse.

    Both numbers are read whatever their role: the "from" is a baseline by definition.
    """
    rows = []
    scores = claims[(claims["kind"] == "score") & claims["metric"].notna()]
    ordered = list(scores.sort_values(["paper_id", "start"]).itertuples(index=False))
    for before, after in zip(ordered, ordered[1:]):
        if before.paper_id != after.paper_id or before.metric != after.metric or before.unit != after.unit:
            continue
        info = describe(before.metric, before.higher_is_better, metrics)
        if info is None or not info.quality:
            continue
        abstract = str(abstracts.get(before.paper_id, ""))
        lead = abstract[max(0, before.start - 80):before.start]
        if not (_TO_RE.match(abstract[before.end:after.start]) and _FROM_RE.search(lead)) or _RANGE_RE.search(lead[:-5]):
            continue
        clause = re.split(r"[.;:(]\s?", lead)[-1]
        named = info.named_in(clause[-40:])  # "improves FID from", not "improves DPG Bench from" about FID
        worse = after.value > before.value if not info.higher_is_better else after.value < before.value
        if worse and named and _CALLED_BETTER_RE.search(clause):
            better = "lower" if not info.higher_is_better else "higher"
            rows.append(_row(after, DIRECTION, f"called better, but {before.metric} goes from {before.value:g} to "
                                               f"{after.value:g}, and {better} {before.metric} is better"))
    return rows


# --------------------------------------------------------------------------- reading the text


def stated_direction(abstract: str, start: int, end: int, info: MetricInfo) -> str | None:
    """'rise' or 'fall' when the words bound to a change of `info`'s metric say which way it went.

    Only words tied to both the number and the metric count: a sign on the number with the metric
    named just before it ("FID (+13.9%)"), a comparative with the metric right after it ("2.1
    higher FID"), a verb governing the "by" whose subject or object names the metric ("increases
    the FID by 2.1", "accuracy dropping by 26.4 points"). A direction word elsewhere in the
    sentence is about something else as often as not.
    """
    before = abstract[max(0, start - 40):start]
    evidence = abstract[start:end]
    sign = _SIGN_RE.search(before)
    signed = sign.group("sign") if sign else None
    if signed is None and evidence[:1] in _SIGNS and (not before or before[-1] in " \t\n([$"):
        signed = evidence[0]
    if signed and info.named_in(before + evidence + abstract[end:end + 20]):
        return "rise" if signed == "+" else "fall"
    verb = _VERB_BY_RE.search(before)
    if verb and info.named_in(verb.group("subject") + verb.group("object")):  # "accuracy drops by", "cuts FID by"
        return "rise" if _RISE_RE.fullmatch(verb.group("verb")) else "fall"
    comparative = _COMPARATIVE_RE.search(evidence)
    if comparative and info.named_in(comparative.group("rest")[:40] or abstract[end:end + 30]):
        return "rise" if _RISE_RE.fullmatch(comparative.group("word")) else "fall"
    return None


def same_number(a: float, b: float) -> bool:
    """True when a and b agree at the precision of the less precise one (1.5 and 1.52)."""
    digits = min(_decimals(a), _decimals(b))
    return round(a, digits) == round(b, digits) or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def _decimals(value: float) -> int:
    text = f"{value:.10g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


# --------------------------------------------------------------------------- rows


_ROW_COLUMNS = ["paper_id", "start", "end", "check", "metric", "detail"]


def _row(claim, check: str, detail: str) -> dict:
    return {"paper_id": claim.paper_id, "start": int(claim.start), "end": int(claim.end), "check": check,
            "metric": claim.metric if isinstance(claim.metric, str) else None, "detail": detail}


def _sentences(found: pd.DataFrame, claims: pd.DataFrame, papers: pd.DataFrame) -> tuple[list[int], list[str]]:
    """Each finding's sentence (exact text of the abstract) and its offset."""
    abstracts = papers.set_index("paper_id")["abstract"]
    offsets = claims.drop_duplicates(["paper_id", "start", "end"]).set_index(["paper_id", "start", "end"])
    starts, sentences = [], []
    for row in found.itertuples(index=False):
        abstract = str(abstracts.get(row.paper_id, ""))
        key = (row.paper_id, row.start, row.end)
        bounds = (offsets.loc[key, "sentence_start"], offsets.loc[key, "sentence_end"]) \
            if "sentence_start" in offsets.columns else (None, None)
        lo, hi = sentence_bounds(abstract, row.start, row.end, *bounds)
        starts.append(lo)
        sentences.append(abstract[lo:hi])
    return starts, sentences
