"""The report's Progress section: frontiers per metric and dataset, and the claims that don't add up.

Builds the section's template context, its charts and its CSV tables from the stored tables
(`frontiers`, `frontier_points`, `claim_checks`, `dataset_aliases`); `build.py` only merges them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from pipeline.claim_checks import CHECKS
from pipeline.evidence import sentence_bounds
from pipeline.datasets import merged_names
from pipeline.frontiers import MIN_PAPERS, MIN_PERIODS, no_frontier_reason
from pipeline.report.display import display_text, marked
from pipeline.report.progress_figures import frontier_chart, paper_label

# Charts for the frontiers with the most papers; the rest are listed in a table and in tables/frontiers.csv.
MAX_CHARTS = 12
CHECK_ROWS_EACH = 25  # rows shown per check, so a flood of one kind does not hide the others


@dataclass
class ProgressSection:
    """What the section adds to the report: template context, figures by stem, CSV tables by name."""

    context: dict
    figures: dict[str, Figure] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def progress_section(tables: dict[str, pd.DataFrame]) -> ProgressSection:
    papers, frontiers, points = tables["papers"], tables["frontiers"], tables["frontier_points"]
    checks, aliases, claims = tables["claim_checks"], tables["dataset_aliases"], tables["claims"]
    titles = papers.set_index("paper_id")["title"]
    overall = frontiers[frontiers["theme_id"].isna()]
    charted = overall.head(MAX_CHARTS)
    figures, cards = {}, []
    for i, frontier in enumerate(charted.to_dict("records")):
        mine = _points_of(points, frontier)
        stem = f"frontier_{i + 1:02d}"
        figures[stem] = frontier_chart(mine, titles, pd.Series(frontier))
        cards.append({**_describe(frontier, titles), "figure": stem,
                      "steps": _steps(mine[mine["moved_frontier"].astype(bool)], papers, claims)})
    context = {
        "reason": None if not frontiers.empty else no_frontier_reason(papers, tables["appearances"], claims),
        "cards": cards,
        "more": [_describe(f, titles) for f in overall.iloc[MAX_CHARTS:].to_dict("records")],
        "per_theme": _per_theme(frontiers[frontiers["theme_id"].notna()], tables["themes"], titles),
        "period_unit": str(frontiers["period_unit"].iloc[0]) if not frontiers.empty else "",
        "min_papers": MIN_PAPERS,
        "min_periods": MIN_PERIODS,
        "merged": merged_names(aliases).to_dict("records"),
        "check_counts": {check: int((checks["check"] == check).sum()) for check in CHECKS},
        "checks": _check_rows(checks.groupby("check", sort=False).head(CHECK_ROWS_EACH), titles),
        "check_rows_each": CHECK_ROWS_EACH,
        "n_checks": len(checks),
    }
    csv = {"frontiers": _with_titles(frontiers, titles, ["first_paper_id", "best_paper_id"]),
           "frontier_points": _with_titles(points, titles, ["paper_id"]),
           "claim_checks": _with_titles(checks, titles, ["paper_id"])}
    return ProgressSection(context, figures, csv)


def _points_of(points: pd.DataFrame, frontier: dict) -> pd.DataFrame:
    same = (points["metric"] == frontier["metric"]) & (points["dataset"] == frontier["dataset"])
    theme = points["theme_id"].isna() if pd.isna(frontier["theme_id"]) else points["theme_id"] == frontier["theme_id"]
    return points[same & theme]


def _describe(frontier: dict, titles: pd.Series) -> dict:
    """A frontier's headline: first and best values with their papers, and its pace in words."""
    return {**frontier,
            "first_title": titles.get(frontier["first_paper_id"], ""),
            "best_title": titles.get(frontier["best_paper_id"], ""),
            "pace": pace(frontier)}


def pace(frontier: dict) -> str:
    """How fast the frontier moves: "falls 34% per year", "rises 2.3% per year", "has not moved"."""
    change = frontier["change_per_year"]
    if frontier["n_steps"] <= 1 or pd.isna(change) or change == 0:
        return f"has not moved since {frontier['first_period']}"
    verb = "rises" if change > 0 else "falls"
    return f"{verb} {abs(change):.1%} per year (relative, {frontier['first_period']} to {frontier['last_period']})"


def _steps(steps: pd.DataFrame, papers: pd.DataFrame, claims: pd.DataFrame) -> list[dict]:
    """The papers that moved a frontier, each with its sentence and the number marked in it."""
    indexed = papers.set_index("paper_id")
    offsets = _sentence_offsets(claims)
    rows = []
    for step in steps.sort_values("period_order").to_dict("records"):
        key = (step["paper_id"], step["start"], step["end"])
        abstract = str(indexed["abstract"].get(step["paper_id"], ""))
        lo, hi = sentence_bounds(abstract, step["start"], step["end"], *offsets.get(key, (None, None)))
        title = str(indexed["title"].get(step["paper_id"], ""))
        rows.append({**step, "title": display_text(title), "label": paper_label(title),
                     **marked(abstract[lo:hi], step["start"] - lo, step["end"] - lo)})
    return rows


def _sentence_offsets(claims: pd.DataFrame) -> dict:
    """(paper, start, end) → the claims table's sentence offsets, once the extractor stores them."""
    if "sentence_start" not in claims.columns:
        return {}
    known = claims[claims["sentence_start"].notna()]
    return {(p, s, e): (a, b) for p, s, e, a, b in
            zip(known["paper_id"], known["start"], known["end"], known["sentence_start"], known["sentence_end"])}


def _per_theme(frontiers: pd.DataFrame, themes: pd.DataFrame, titles: pd.Series) -> list[dict]:
    labels = themes.set_index("theme_id")["label"]
    return [{**_describe(f, titles), "theme": labels.get(f["theme_id"], str(f["theme_id"]))}
            for f in frontiers.to_dict("records")]


def _check_rows(checks: pd.DataFrame, titles: pd.Series) -> list[dict]:
    rows = []
    for check in checks.to_dict("records"):
        lo = int(check["start"]) - int(check["sentence_start"])
        hi = int(check["end"]) - int(check["sentence_start"])
        rows.append({**check, "title": display_text(titles.get(check["paper_id"], "")),
                     **marked(str(check["sentence"]), lo, hi)})
    return rows


def _with_titles(frame: pd.DataFrame, titles: pd.Series, id_columns: list[str]) -> pd.DataFrame:
    """A table for spreadsheets: each paper id followed by the paper's title."""
    out = frame.copy()
    for column in id_columns:
        position = out.columns.get_loc(column) + 1
        out.insert(position, column.replace("paper_id", "title"), out[column].map(titles))
    return out
