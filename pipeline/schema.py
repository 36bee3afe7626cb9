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
    "unit": ("string", "x | % | pp | '' (bare score) | a physical unit"),
    "range_low": ("float64", "lower end when a range is stated (2-3x -> 2.0)"),
    "baseline": ("string", "what it is compared with, if stated"),
    "dataset": ("string", "the benchmark, if stated"),
    "text": ("string", "the evidence: exact substring of the abstract"),
    "start": ("Int64", "offset of text in the abstract"),
    "end": ("Int64", "end offset of text in the abstract"),
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

TABLES: dict[str, Columns] = {
    "papers": PAPERS,
    "appearances": APPEARANCES,
    "themes": THEMES,
    "areas": AREAS,
    "theme_lineage": THEME_LINEAGE,
    "claims": CLAIMS,
    "warnings": WARNINGS,
    "run_info": RUN_INFO,
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
