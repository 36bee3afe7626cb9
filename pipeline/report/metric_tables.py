"""Score tables per metric, grouped by dataset and setting, and which themes report which metrics.

A FID at 256 px and a FID at 512 px, or with and without guidance, are not one ranking; nor is a
zero-shot accuracy and a fine-tuned one. Rows are the papers' own results
(:func:`pipeline.metric_info.result_scores`: valued on the metric's scale, datasets normalized by
the alias table), grouped by dataset and by the setting the sentence states, best first by the
metric's direction, one row per paper and group (its best value; all values are in the CSV).
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline import datasets
from pipeline.claims.vocab import NOT_SCORES
from pipeline.metric_info import result_claims, result_scores
from pipeline.report.display import display_text

DEGRADATION = " (degradation)"
NO_DATASET = "dataset not stated"
RESULT_COLUMNS = ["metric", "dataset", "setting", "paper_id", "title", "value", "unit", "higher_is_better",
                  "best_in_group", "rank", "dataset_name", "text", "start", "end", "sentence_start", "sentence_end"]

# Settings a sentence states that change what a score means, each a named group of one regex;
# when a sentence names several, the one nearest the number counts.
_SETTINGS: tuple[tuple[str, str], ...] = (
    ("resolution", r"(?<![\d.])(?P<side>\d{2,4}) ?[×x*] ?(?P=side)(?!\d)|(?<![\d.])(?P<px>\d{2,4}) ?(?:px|pixels?)\b|"
                   r"(?<![\d.])(?P<p>\d{3,4})p\b|resolution of (?P<res>\d{2,4})\b|(?<![\d.])(?P<res2>\d{2,4})[- ]resolution"),
    ("guidance", r"(?P<without>w/o (?:CFG|guidance)|without (?:any )?(?:classifier-free )?(?:guidance|CFG)|"
                 r"(?:guidance|CFG)-free|unguided|no (?:CFG|guidance))|"
                 r"(?P<with>w/ (?:CFG|guidance)|with (?:classifier-free )?(?:guidance|CFG)|classifier-free guidance|"
                 r"\bCFG\b|\bguided\b)"),
    ("shots", r"(?i)\b(?P<zero>zero-shot)|\b(?P<k>\d+|one|few)-shot\b|\b(?P<tuned>fine-tuned|finetuned|fine-tuning)\b"),
    ("task", r"(?P<recon>\brFIDs?\b|\breconstruction\b)"),  # a tokenizer's reconstruction FID is not generation's
    # how a representation is scored: k-NN and linear-probe accuracy are not fine-tuned accuracy
    ("protocol", r"(?i)(?P<knn>\bk-?NN\b)|(?P<linear>\blinear[- ]prob(?:e|es|ing)\b)"),
)
# A setting named farther from the number than this (characters) is about something else in the sentence.
SETTING_REACH = 80
MIN_RESOLUTION = 28  # "10×10 grid" is no image size
SETTING_RES = tuple((name, re.compile(pattern)) for name, pattern in _SETTINGS)


def _setting_name(kind: str, match: re.Match[str]) -> str:
    groups = {k: v for k, v in match.groupdict().items() if v}
    if kind == "resolution":
        side = next(iter(groups.values()))
        return f"{side}p" if "p" in groups else f"{side}×{side} px"
    if kind == "guidance":
        return "without guidance" if "without" in groups else "with guidance"
    if kind == "task":
        return "reconstruction"
    if kind == "protocol":
        return "k-NN" if "knn" in groups else "linear probe"
    if "zero" in groups:
        return "zero-shot"
    return "fine-tuned" if "tuned" in groups else f"{groups['k'].lower()}-shot"


def setting_of(sentence: str, start: int, end: int, dataset: object = None) -> str:
    """The setting a (display) sentence states for the number at `sentence[start:end]`: "256×256 px ·
    without guidance", "5-shot", or "" when it states none; of several, the nearest to the number.
    A resolution the dataset's name carries is not repeated."""
    parts = []
    for kind, pattern in SETTING_RES:
        found = [(m.start() - end if m.start() >= end else max(0, start - m.end()), m) for m in pattern.finditer(sentence)
                 if kind != "resolution" or int(next(v for v in m.groupdict().values() if v)) >= MIN_RESOLUTION]
        found = [(gap, m) for gap, m in found if gap <= SETTING_REACH]
        if not found:
            continue
        name = _setting_name(kind, min(found, key=lambda item: item[0])[1])
        if kind == "resolution" and isinstance(dataset, str) and re.search(rf"(?<!\d){name.split('×')[0].rstrip('p')}(?!\d)", dataset):
            continue
        parts.append(name)
    return " · ".join(parts)


def metric_results(claims: pd.DataFrame, papers: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """Every result score with its dataset and setting, ranked within its (metric, dataset, setting)
    group by the metric's direction; `best_in_group` marks each paper's best value in a group.
    Metrics named "… (degradation)" are left out: they say how much worse, not how good."""
    scores = result_scores(claims, papers, datasets.name_map(aliases))
    scores = scores[~scores["metric"].str.endswith(DEGRADATION)]
    if scores.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    abstracts = papers.set_index("paper_id")["abstract"]
    settings = []
    for row in scores.itertuples(index=False):
        raw = str(abstracts.get(row.paper_id, "") or "")
        before = display_text(raw[row.sentence_start:row.start])
        through = display_text(raw[row.sentence_start:row.end])
        sentence = display_text(raw[row.sentence_start:row.sentence_end])
        settings.append(setting_of(sentence, len(before), len(through), row.dataset))
    scores = scores.assign(setting=settings, dataset=scores["dataset"].fillna(NO_DATASET))
    scores = scores.merge(papers[["paper_id", "title"]], on="paper_id", how="left")
    scores["_key"] = scores["value"].where(~scores["higher_is_better"].astype(bool), -scores["value"])
    scores = scores.sort_values(["metric", "dataset", "setting", "_key", "paper_id", "start"])
    group = ["metric", "dataset", "setting"]
    scores["best_in_group"] = ~scores.duplicated([*group, "paper_id"])
    scores["rank"] = scores[scores["best_in_group"]].groupby(group).cumcount() + 1
    return scores[RESULT_COLUMNS].reset_index(drop=True)


def metric_sections(results: pd.DataFrame, min_papers: int = 2, max_metrics: int | None = None,
                    max_groups: int | None = None, max_rows: int | None = None) -> list[dict]:
    """Per metric that at least `min_papers` papers report (most reported first): its groups by
    dataset and setting (most papers first, "dataset not stated" last), each its papers' best values."""
    best = results[results["best_in_group"]]
    counts = best.groupby("metric")["paper_id"].nunique()
    metrics = counts[counts >= min_papers].sort_index().sort_values(ascending=False, kind="stable").index
    sections = []
    for metric in metrics[:max_metrics]:
        rows = best[best["metric"] == metric]
        groups = []
        for (dataset, setting), group in rows.groupby(["dataset", "setting"], sort=False):
            groups.append({"dataset": dataset, "setting": setting, "n_papers": len(group),
                           "rows": group.head(max_rows).to_dict("records"), "n_rows": len(group)})
        groups.sort(key=lambda g: (g["dataset"] == NO_DATASET, -g["n_papers"], g["dataset"].casefold(), g["setting"]))
        higher = rows["higher_is_better"].iloc[0]
        sections.append({"metric": metric, "higher_is_better": bool(higher), "n_papers": int(counts[metric]),
                         "n_values": int((results["metric"] == metric).sum()),
                         "groups": groups[:max_groups], "n_groups": len(groups)})
    return sections


def theme_metric_counts(claims: pd.DataFrame, papers: pd.DataFrame, top: int = 12, by: str = "theme_id") -> pd.DataFrame:
    """Papers of each theme (or of each value of `by`, a column of `papers`) reporting each of the
    most reported result metrics (themes × metrics).

    Results only, and only what results are measured in: scale facts, costs and sizes (parameters,
    latency, resolution) are left out, speedups count as "speed", and a degradation counts as its metric.
    """
    mine = result_claims(claims)
    mine = mine[mine["kind"].isin(["score", "improvement", "speedup"]) & mine["metric"].notna()]
    metric = mine["metric"].str.removesuffix(DEGRADATION).where(mine["kind"] != "speedup", "speed")
    mine = mine.assign(metric=metric)
    mine = mine[(mine["metric"] == "speed") | ~mine["metric"].isin(NOT_SCORES)]
    joined = mine.merge(papers[["paper_id", by]], on="paper_id")
    if joined.empty:
        return pd.DataFrame()
    pairs = joined[["paper_id", by, "metric"]].drop_duplicates()
    leading = pairs["metric"].value_counts().head(top).index
    table = pd.crosstab(pairs[by], pairs["metric"]).reindex(columns=leading, fill_value=0)
    return table[table.sum(axis=1) > 0].sort_index()
