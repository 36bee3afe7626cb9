"""Progress frontiers: the best result reported up to each month or year, per metric and dataset.

For every (metric, dataset) pair that enough dated papers report a result for, the frontier is the
best value reported so far (by the metric's direction) after each period, with the paper that set
each step and how fast it moved. Frontiers are computed over all papers and within each theme.

Only the papers' own results count (claims.role == "result" once the extractor records roles),
each paper with its best value; claims the checks call impossible or extreme outliers, and lists
of values a "respectively" spreads over several benchmarks but the claims put on one, are left
out: one misread number would otherwise hold the frontier for ever. Time is the papers' publication
date; listing pages carry dates without a year, which cannot place a paper on a time axis.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import pandas as pd

from pipeline import datasets, schema
from pipeline.claim_checks import OUT_OF_RANGE, OUTLIER, check_claims
from pipeline.metric_info import MetricInfo, result_scores

# A frontier needs results from this many papers in this many periods.
MIN_PAPERS = 3
MIN_PERIODS = 2
EXCLUDED_CHECKS = (OUT_OF_RANGE, OUTLIER)
PERIOD_UNITS = ("month", "year")
_LIST_GOES_ON_RE = re.compile(r"\s*(?:,|/|&|\band\b)\s*(?:the\s+)?[A-Z0-9]")  # "CIFAR-10, CIFAR-100", "A and B"


def progress_tables(papers: pd.DataFrame, claims: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables of this stage: `dataset_aliases`, `claim_checks`, `frontiers`, `frontier_points`."""
    aliases = datasets.dataset_aliases(claims)
    names = datasets.name_map(aliases)
    checks = check_claims(claims, papers, names)
    return {"dataset_aliases": aliases, "claim_checks": checks, **frontier_tables(papers, claims, names, checks)}


def frontier_tables(papers: pd.DataFrame, claims: pd.DataFrame, dataset_names: dict[str, str],
                    checks: pd.DataFrame, metrics: dict[str, MetricInfo] | None = None) -> dict[str, pd.DataFrame]:
    """The `frontiers` and `frontier_points` tables, overall (theme_id null) and per theme."""
    candidates, unit = dated_results(papers, claims, dataset_names, checks, metrics)
    summaries, points = [], []
    keys = ["metric", "dataset", "unit"]
    everyone = {key: set(group["paper_id"]) for key, group in candidates.groupby(keys)}
    scopes = [(None, candidates)] + [(int(t), group) for t, group in candidates.groupby("theme_id")]
    for theme_id, scoped in scopes:
        for key, group in scoped.groupby(keys):
            if group["paper_id"].nunique() < MIN_PAPERS or group["period"].nunique() < MIN_PERIODS:
                continue
            if theme_id is not None and set(group["paper_id"]) == everyone[key]:
                continue  # the theme holds every paper of the overall frontier: nothing new to show
            metric, dataset, value_unit = key
            traced = frontier(group, bool(group["higher_is_better"].iloc[0]))
            points.append(traced.assign(theme_id=theme_id))
            summaries.append({"theme_id": theme_id, "metric": metric, "dataset": dataset, "unit": value_unit,
                              "period_unit": unit, **summarize(traced)})
    if not summaries:
        return {"frontiers": schema.empty(schema.FRONTIERS), "frontier_points": schema.empty(schema.FRONTIER_POINTS)}
    table = pd.DataFrame(summaries)
    table = table.assign(_overall=table["theme_id"].isna()).sort_values(
        ["_overall", "theme_id", "n_papers", "metric", "dataset"], ascending=[False, True, False, True, True])
    return {"frontiers": schema.conform(table, schema.FRONTIERS),
            "frontier_points": schema.conform(pd.concat(points, ignore_index=True), schema.FRONTIER_POINTS)}


def dated_results(papers: pd.DataFrame, claims: pd.DataFrame, dataset_names: dict[str, str], checks: pd.DataFrame,
                  metrics: dict[str, MetricInfo] | None = None) -> tuple[pd.DataFrame, str]:
    """Each dated paper's best result per (metric, dataset), with its period and theme; and the period unit.

    The unit is 'month' or 'year' (by the corpus's span, as for theme trends), or 'none' when no
    paper has a publication date.
    """
    periods, unit = publication_periods(papers)
    scores = result_scores(claims, papers, dataset_names, metrics)
    scores = scores[scores["dataset"].notna() & scores["quality"].astype(bool)]
    scores = scores[~spread_by_respectively(scores, papers)]
    flagged = checks[checks["check"].isin(EXCLUDED_CHECKS)][["paper_id", "start", "end"]].drop_duplicates()
    scores = scores.merge(flagged.assign(_flagged=True), on=["paper_id", "start", "end"], how="left")
    scores = scores[scores["_flagged"].isna()].drop(columns="_flagged")
    if unit not in PERIOD_UNITS or scores.empty:
        return pd.DataFrame(columns=[*scores.columns, "period", "period_order", "period_start", "theme_id"]), unit
    dated = scores.merge(periods, on="paper_id").merge(papers[["paper_id", "theme_id"]], on="paper_id", how="left")
    # each paper's best value: a paper reporting several (model sizes, settings) counts once
    best_first = dated.assign(_rank=np.where(dated["higher_is_better"].astype(bool), -dated["value"], dated["value"]))
    best = (best_first.sort_values(["paper_id", "metric", "dataset", "unit", "_rank", "start"])
            .drop_duplicates(["paper_id", "metric", "dataset", "unit"]).drop(columns="_rank"))
    best["period_start"] = best["period_order"].map(period_start)
    return best.reset_index(drop=True), unit


def spread_by_respectively(scores: pd.DataFrame, papers: pd.DataFrame) -> pd.Series:
    """Values a "respectively" sentence pairs with several datasets or metrics, but that all carry one.

    "error rates of 2.92%, 15.68% and 1.50% respectively on CIFAR-10, CIFAR-100 and SVHN", read as
    three CIFAR-10 errors, would put SVHN's 1.50 on the CIFAR-10 frontier: the best of a list that
    belongs to other benchmarks. When the dataset heads the sentence's list of names ("CIFAR-10,
    CIFAR-100 and SVHN", "On CIFAR-10 and CIFAR-100"), its value is the list's first, which is
    kept; the others are left out, and all of them when the dataset does not head a list (no
    telling which value is its own).
    """
    if scores.empty:
        return pd.Series(False, index=scores.index)
    abstracts = papers.set_index("paper_id")["abstract"]
    keys = ["paper_id", "sentence_start", "metric", "dataset"]
    listed = scores[scores.groupby(keys)["value"].transform("nunique") > 1]
    dropped: set = set()
    for (paper_id, lo, _, _), group in listed.groupby(keys):
        abstract = str(abstracts.get(paper_id, ""))
        sentence = abstract[lo:int(group["sentence_end"].iloc[0])]
        if "respectively" not in sentence.lower():
            continue
        name = str(group["dataset_name"].iloc[0])
        at = sentence.find(name)
        heads_list = at >= 0 and _LIST_GOES_ON_RE.match(sentence, at + len(name)) is not None
        first = group.sort_values("start").index[0]
        dropped.update(group.index.difference([first]) if heads_list else group.index)
    return scores.index.isin(list(dropped))


def publication_periods(papers: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Each paper's month or year of publication (the rule of theme trends), ignoring page dates.

    Page dates such as 'Mar 18' have no year, so they order pages but cannot say whether a result
    came before another paper's; a frontier needs the calendar.
    """
    from pipeline import trends  # it loads scipy: only when frontiers are computed, not when run.py is imported

    no_pages = pd.DataFrame(columns=["paper_id", "page_date"])
    return trends.paper_periods(papers, no_pages)


def period_start(order: int) -> datetime:
    """The first day of a period from its sortable order (yyyymm for months, yyyy00 for years)."""
    year, month = divmod(int(order), 100)
    return datetime(year, month or 1, 1)


def frontier(points: pd.DataFrame, higher_is_better: bool) -> pd.DataFrame:
    """The frontier through one metric and dataset's points (one per paper), in period order.

    Adds `frontier_value` (the best up to and including the point's period), `moved_frontier` (the
    point is its period's best and beats every earlier period) and `previous_value` (the best before
    that step). Within a period the best value wins; ties go to the paper listed first by id.
    """
    sign = -1.0 if higher_is_better else 1.0
    ordered = points.assign(_rank=sign * points["value"]).sort_values(["period_order", "_rank", "paper_id"])
    best: float | None = None
    frontier_values, moved, previous = [], [], []
    for _, group in ordered.groupby("period_order", sort=True):
        top = group["value"].iloc[0]
        steps = best is None or sign * top < sign * best
        for k in range(len(group)):
            moved.append(steps and k == 0)
            previous.append(best if steps and k == 0 else None)
        if steps:
            best = top
        frontier_values += [best] * len(group)
    return ordered.drop(columns="_rank").assign(
        frontier_value=frontier_values, moved_frontier=moved,
        previous_value=pd.array(previous, dtype="Float64"),
    ).reset_index(drop=True)


def summarize(traced: pd.DataFrame) -> dict:
    """One frontier's first and best values, its papers and steps, and its relative change per year."""
    steps = traced[traced["moved_frontier"]]
    first, best = steps.iloc[0], steps.iloc[-1]
    last_period = traced.iloc[-1]
    years = (last_period["period_start"] - first["period_start"]).days / 365.25
    return {
        "higher_is_better": bool(traced["higher_is_better"].iloc[0]),
        "n_papers": traced["paper_id"].nunique(),
        "n_steps": len(steps),
        "first_period": first["period"], "first_value": first["value"], "first_paper_id": first["paper_id"],
        "best_period": best["period"], "best_value": best["value"], "best_paper_id": best["paper_id"],
        "last_period": last_period["period"],
        "years": years,
        "change_per_year": change_per_year(first["value"], best["value"], years),
    }


def change_per_year(first: float, best: float, years: float) -> float:
    """Relative change of the frontier per year, compounded: 2.0 → 1.5 in two years is −13.4 % per year.

    Undefined (NaN) over no time or for values that are not positive.
    """
    if years <= 0 or first <= 0 or best <= 0:
        return float("nan")
    return float((best / first) ** (1 / years) - 1)


def no_frontier_reason(papers: pd.DataFrame, appearances: pd.DataFrame, claims: pd.DataFrame) -> str:
    """Why there is no frontier, in a sentence a reader can act on (the report and `trends progress` say it)."""
    periods, _ = publication_periods(papers)
    if periods.empty:
        if appearances["page_date"].notna().any():
            return ("The papers come from listing pages, whose dates give a day and a month but no year "
                    "(such as “Mar 18”), and the input carries no publication dates. A frontier needs to know "
                    "which result came first, so none is drawn; a dated input (CSV or JSON Lines with a "
                    "“date” field, or arXiv metadata) has them.")
        return "The input carries no publication dates, so results cannot be ordered in time and no frontier is drawn."
    n_scores = int(((claims["kind"] == "score") & claims["dataset"].notna()).sum())
    return (f"No metric and dataset pair has results from at least {MIN_PAPERS} dated papers in {MIN_PERIODS} "
            f"different periods ({n_scores} scores with a dataset were found), so no frontier is drawn.")
