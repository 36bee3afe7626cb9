"""The one source of truth for every stored table's columns.

Each table is an ordered mapping of column name to (pandas dtype, meaning). Stages build their
outputs with :func:`conform`, the store writes them in this order, and tests import the same names,
so a column added here shows up everywhere at once.
"""

from __future__ import annotations

import pandas as pd

Columns = dict[str, tuple[str, str]]

PAPERS: Columns = {
    "paper_id": ("string", "stable id: hash of the normalized title"),
    "title": ("string", "as scraped"),
    "abstract": ("string", "as scraped (raw)"),
    "n_appearances": ("Int64", "number of sources (pages, files) the paper appears in"),
    "first_seen": ("string", "earliest page date it appears on (as printed), or its published date"),
    "code_url": ("string", "repository link found in the abstract"),
    "published": ("datetime64[s]", "publication date when the input carries one"),
    "venue": ("string", "venue or primary category when the input carries one"),
    "url": ("string", "the paper's page when the input carries one"),
    "theme_id": ("Int64", "its theme (themes.theme_id)"),
    "x": ("float64", "position on the 2-D cluster map"),
    "y": ("float64", "position on the 2-D cluster map"),
}

APPEARANCES: Columns = {
    "paper_id": ("string", "the paper"),
    "source": ("string", "input file name"),
    "page_date": ("string", "page date as printed (e.g. 'Mar 18'); null for tabular inputs"),
    "rank": ("Int64", "0-based position of the paper in the source"),
}

THEMES: Columns = {
    "theme_id": ("Int64", "theme number, 0-based, largest theme first"),
    "label": ("string", "name: the phrase (or two) most typical of the theme and distinct from its siblings"),
    "description": ("string", "one line: its most typical paper's title and its distinctive terms"),
    "keywords": ("string", "top c-TF-IDF terms, comma-separated"),
    "size": ("Int64", "number of papers"),
    "representative_ids": ("string", "paper_ids closest to the theme centre, comma-separated"),
    "area_id": ("Int64", "the area (areas.area_id) this theme belongs to"),
    "area_label": ("string", "name of that area"),
}

AREAS: Columns = {
    "area_id": ("Int64", "area number, 0-based, largest area first"),
    "label": ("string", "name, distinct from its themes' names"),
    "description": ("string", "one line: its most typical paper's title and its distinctive terms"),
    "keywords": ("string", "top c-TF-IDF terms, comma-separated"),
    "size": ("Int64", "number of papers"),
    "n_themes": ("Int64", "number of themes in it"),
}

THEME_LINEAGE: Columns = {
    "old_theme_id": ("Int64", "theme of the previous run; null for a new theme"),
    "old_label": ("string", "its name in the previous run"),
    "new_theme_id": ("Int64", "theme of this run; null for a theme that is gone"),
    "new_label": ("string", "its name in this run"),
    "n_papers": ("Int64", "papers the two themes share"),
    "status": ("string", "kept | split | merged | new | gone"),
}

CLAIMS: Columns = {
    "paper_id": ("string", "the paper"),
    "kind": ("string", "speedup | reduction | score | improvement | scale"),
    "metric": ("string", "normalized metric name (FID, accuracy, latency, FLOPs, ...)"),
    "higher_is_better": ("boolean", "the metric's direction; null if unknown"),
    "value": ("float64", "the number as stated (5x -> 5.0, 45% -> 45.0)"),
    "unit": ("string", "x | % | pp | '' (bare score) | k/M/B/T (sizes) | a physical unit (ms, GB, tokens/s)"),
    "range_low": ("float64", "lower end when a range is stated (2-3x -> 2.0)"),
    "baseline": ("string", "what it is compared with, if stated"),
    "dataset": ("string", "the benchmark, if stated"),
    "role": ("string", "result | baseline | context: whose number it is; null for scale"),
    "text": ("string", "the evidence: exact substring of the abstract"),
    "start": ("Int64", "offset of text in the abstract"),
    "end": ("Int64", "end offset of text in the abstract"),
    "sentence_start": ("Int64", "offset of the sentence holding the claim in the abstract"),
    "sentence_end": ("Int64", "end offset of that sentence"),
}

WARNINGS: Columns = {
    "source": ("string", "input file the problem is in"),
    "line": ("Int64", "1-based line number, null for file-level problems"),
    "message": ("string", "what is wrong and what was done about it"),
}

RUN_INFO: Columns = {
    "key": ("string", "setting or fact about the run (model, seed, versions, timings)"),
    "value": ("string", "its value, as text"),
}

DATASET_ALIASES: Columns = {
    "name": ("string", "a dataset name as the claims write it (claims.dataset)"),
    "dataset": ("string", "the benchmark it counts as in frontiers and checks"),
    "key": ("string", "the spelling-free key names are merged by"),
    "rule": ("string", "as written | spelling (same key) | alias table (pipeline/data/dataset_aliases.csv)"),
    "n_claims": ("Int64", "claims that use this name"),
}

FRONTIERS: Columns = {
    "theme_id": ("Int64", "the theme whose papers the frontier is of; null: all papers"),
    "metric": ("string", "the metric (claims.metric)"),
    "dataset": ("string", "the normalized dataset (dataset_aliases.dataset)"),
    "unit": ("string", "'%' for shares (fractions converted), '' for bare scores"),
    "higher_is_better": ("boolean", "the metric's direction, from pipeline/data/metrics.csv"),
    "period_unit": ("string", "month | year: the steps of the frontier"),
    "n_papers": ("Int64", "dated papers reporting a result for this metric and dataset"),
    "n_steps": ("Int64", "times the best value improved (the first report counts as one)"),
    "first_period": ("string", "period of the first report"),
    "first_value": ("float64", "the first reported value"),
    "first_paper_id": ("string", "the paper that reported it"),
    "best_period": ("string", "period the current best was reported"),
    "best_value": ("float64", "the best value reported so far"),
    "best_paper_id": ("string", "the paper that reported it"),
    "last_period": ("string", "the latest period with a report"),
    "years": ("float64", "years from the first to the latest period"),
    "change_per_year": ("float64", "relative change of the best value per year: (best/first)^(1/years) - 1"),
}

FRONTIER_POINTS: Columns = {
    "theme_id": ("Int64", "as in frontiers"),
    "metric": ("string", "as in frontiers"),
    "dataset": ("string", "as in frontiers"),
    "period": ("string", "the paper's month or year"),
    "period_order": ("Int64", "sortable period (yyyymm, or yyyy00)"),
    "period_start": ("datetime64[s]", "first day of the period: the time axis"),
    "paper_id": ("string", "the paper"),
    "value": ("float64", "its best result for this metric and dataset, on the metric's scale"),
    "frontier_value": ("float64", "the best value reported up to and including this period"),
    "moved_frontier": ("boolean", "true when this paper set a new best (a step of the frontier)"),
    "previous_value": ("float64", "the best value before this step; null for the first report"),
    "text": ("string", "the evidence: claims.text of the claim"),
    "start": ("Int64", "claims.start of the claim"),
    "end": ("Int64", "claims.end of the claim"),
}

CLAIM_CHECKS: Columns = {
    "paper_id": ("string", "the paper"),
    "check": ("string", "out of range | outlier | inconsistent | direction"),
    "metric": ("string", "the claim's metric"),
    "dataset": ("string", "the normalized dataset, if stated"),
    "value": ("float64", "the value as stated (claims.value)"),
    "unit": ("string", "the unit as stated (claims.unit)"),
    "detail": ("string", "why the claim does not add up, in one sentence"),
    "text": ("string", "the evidence: claims.text"),
    "start": ("Int64", "claims.start"),
    "end": ("Int64", "claims.end"),
    "sentence": ("string", "the sentence of the abstract that holds the claim (exact text)"),
    "sentence_start": ("Int64", "offset of the sentence in the abstract"),
}

TABLES: dict[str, Columns] = {
    "papers": PAPERS,
    "appearances": APPEARANCES,
    "themes": THEMES,
    "areas": AREAS,
    "theme_lineage": THEME_LINEAGE,
    "claims": CLAIMS,
    "warnings": WARNINGS,
    "run_info": RUN_INFO,
    "dataset_aliases": DATASET_ALIASES,
    "frontiers": FRONTIERS,
    "frontier_points": FRONTIER_POINTS,
    "claim_checks": CLAIM_CHECKS,
}


def empty(columns: Columns) -> pd.DataFrame:
    """A zero-row frame with the table's columns and dtypes."""
    return conform(pd.DataFrame(columns=list(columns)), columns)


def conform(frame: pd.DataFrame, columns: Columns) -> pd.DataFrame:
    """Select, order and type `frame`'s columns as the contract says; missing columns become null."""
    out = pd.DataFrame(index=frame.index)
    for name, (dtype, _) in columns.items():
        series = frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype="object")
        out[name] = series.astype(dtype)
    return out.reset_index(drop=True)
