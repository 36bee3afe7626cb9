"""Trends: theme shares over time, which themes grow, and the claim tables the report is built from.

Time comes from page dates for scraped listings (yearless, ordered within one year) and from
publication dates for tabular inputs (by year, or by month when the dates span less than three
years). Growth is the least-squares slope of a theme's share over the periods, in percentage points
per period, with the regression's two-sided p-value so a reader can tell a trend from noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import stdtr  # Student's t CDF; scipy.stats would add half a second of imports

from pipeline.ingest import page_date_order

SHARES_COLUMNS = ["period", "period_order", "theme_id", "n_papers", "period_papers", "share"]
GROWTH_COLUMNS = ["theme_id", "slope_pp", "p_value", "first_share", "last_share", "direction"]
# A slope under this many percentage points per period is called stable whatever its p-value.
MIN_SLOPE_PP = 1.0
SIGNIFICANCE = 0.1
# Periods with fewer papers are left out of shares and slopes.
MIN_PERIOD_PAPERS = 10


def paper_periods(papers: pd.DataFrame, appearances: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """One row per (paper, period) and the name of the period unit ('page date', 'year', 'month')."""
    dated = appearances[appearances["page_date"].notna()]
    if not dated.empty:
        rows = dated[["paper_id", "page_date"]].drop_duplicates().rename(columns={"page_date": "period"})
        rows["period_order"] = rows["period"].map(page_date_order)
        return rows.reset_index(drop=True), "page date"
    published = papers[["paper_id", "published"]].dropna()
    if published.empty:
        return pd.DataFrame(columns=["paper_id", "period", "period_order"]), "none"
    dates = pd.to_datetime(published["published"])
    by_month = (dates.max() - dates.min()).days < 3 * 365 and (dates.dt.month != 1).any()
    unit = "month" if by_month else "year"
    label = dates.dt.strftime("%Y-%m") if by_month else dates.dt.year.astype(str)
    order = dates.dt.year * 100 + (dates.dt.month if by_month else 0)
    rows = pd.DataFrame({"paper_id": published["paper_id"], "period": label, "period_order": order})
    return rows.reset_index(drop=True), unit


def theme_shares(papers: pd.DataFrame, periods: pd.DataFrame, min_papers: int = MIN_PERIOD_PAPERS) -> pd.DataFrame:
    """Each theme's share of the papers in each period with at least `min_papers` papers.

    Every theme appears in every kept period. Sparse periods (the early years of a conference
    corpus) would make shares of 0 % or 100 % out of one or two papers and swamp the slopes.
    """
    sizes = periods["period"].map(periods["period"].value_counts())
    periods = periods[sizes >= min_papers]
    if periods.empty:
        return pd.DataFrame(columns=SHARES_COLUMNS)
    joined = periods.merge(papers[["paper_id", "theme_id"]], on="paper_id")
    counts = joined.groupby(["period", "period_order", "theme_id"]).size().rename("n_papers")
    grid = pd.MultiIndex.from_product(
        [joined[["period", "period_order"]].drop_duplicates().itertuples(index=False), sorted(joined["theme_id"].unique())]
    )
    full = pd.DataFrame(
        [(period, order, theme) for (period, order), theme in grid], columns=["period", "period_order", "theme_id"]
    ).merge(counts.reset_index(), how="left", on=["period", "period_order", "theme_id"])
    full["n_papers"] = full["n_papers"].fillna(0).astype(int)
    full["period_papers"] = full.groupby("period")["n_papers"].transform("sum")
    full["share"] = full["n_papers"] / full["period_papers"]
    return full.sort_values(["period_order", "theme_id"]).reset_index(drop=True)[SHARES_COLUMNS]


def theme_growth(shares: pd.DataFrame) -> pd.DataFrame:
    """Slope of each theme's share per period (pp), its p-value and a growing/shrinking/stable verdict."""
    n_periods = shares["period"].nunique() if not shares.empty else 0
    if n_periods < 3:
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    rows = []
    for theme_id, group in shares.groupby("theme_id"):
        group = group.sort_values("period_order")
        share_pp = group["share"].to_numpy() * 100
        slope, p_value = linear_trend(share_pp)
        rows.append((int(theme_id), slope, p_value, share_pp[0] / 100, share_pp[-1] / 100,
                     _direction(slope, p_value)))
    growth = pd.DataFrame(rows, columns=GROWTH_COLUMNS)
    return growth.sort_values(["slope_pp", "theme_id"], ascending=[False, True]).reset_index(drop=True)


def linear_trend(values: np.ndarray) -> tuple[float, float]:
    """Least-squares slope of `values` over 0..n-1 and the two-sided p-value of 'slope = 0'."""
    x = np.arange(len(values), dtype=float)
    x_centred = x - x.mean()
    slope = float(x_centred @ (values - values.mean()) / (x_centred @ x_centred))
    residuals = values - values.mean() - slope * x_centred
    dof = len(values) - 2
    stderr = np.sqrt((residuals @ residuals) / dof / (x_centred @ x_centred))
    if stderr == 0:
        return slope, 0.0 if slope != 0 else 1.0
    return slope, float(2 * stdtr(dof, -abs(slope / stderr)))


def _direction(slope_pp: float, p_value: float) -> str:
    if abs(slope_pp) < MIN_SLOPE_PP or p_value > SIGNIFICANCE:
        return "stable"
    return "growing" if slope_pp > 0 else "shrinking"


def trending_papers(papers: pd.DataFrame, limit: int = 15) -> pd.DataFrame:
    """Papers listed on several pages, most appearances first."""
    several = papers[papers["n_appearances"] > 1]
    return several.sort_values(["n_appearances", "title"], ascending=[False, True]).head(limit).reset_index(drop=True)


def with_paper_context(claims: pd.DataFrame, papers: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Claims joined with their paper's title and theme label, for tables meant for people."""
    labels = themes[["theme_id", "label"]].rename(columns={"label": "theme"})
    return claims.merge(papers[["paper_id", "title", "theme_id"]], on="paper_id", how="left").merge(
        labels, on="theme_id", how="left"
    )


def speedup_leaderboard(claims: pd.DataFrame, papers: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Speedup and reduction factors, largest first: the headline numbers of the corpus."""
    factors = claims[claims["kind"].isin(["speedup", "reduction"]) & (claims["unit"] == "x")]
    board = with_paper_context(factors, papers, themes)
    return board.sort_values(["value", "paper_id", "start"], ascending=[False, True, True]).reset_index(drop=True)


def metric_tables(claims: pd.DataFrame, papers: pd.DataFrame, min_papers: int = 2) -> dict[str, pd.DataFrame]:
    """For each score metric reported by at least `min_papers` papers: its values, best first."""
    scores = claims[(claims["kind"] == "score") & claims["metric"].notna()]
    scores = scores.merge(papers[["paper_id", "title"]], on="paper_id", how="left")
    tables = {}
    for metric, group in scores.groupby("metric"):
        if group["paper_id"].nunique() < min_papers:
            continue
        lower_better = group["higher_is_better"].dropna().eq(False).any()
        ordered = group.sort_values(["value", "paper_id"], ascending=[bool(lower_better), True])
        tables[str(metric)] = ordered.reset_index(drop=True)
    return dict(sorted(tables.items(), key=lambda item: (-item[1]["paper_id"].nunique(), item[0])))


def theme_metric_counts(claims: pd.DataFrame, papers: pd.DataFrame, top: int = 12) -> pd.DataFrame:
    """How many papers of each theme report each of the most reported metrics (themes × metrics)."""
    joined = claims[claims["metric"].notna()].merge(papers[["paper_id", "theme_id"]], on="paper_id")
    if joined.empty:
        return pd.DataFrame()
    pairs = joined[["paper_id", "theme_id", "metric"]].drop_duplicates()
    leading = pairs["metric"].value_counts().head(top).index
    table = pd.crosstab(pairs["theme_id"], pairs["metric"]).reindex(columns=leading, fill_value=0)
    return table.sort_index()


def largest_speedup_per_paper(claims: pd.DataFrame) -> pd.Series:
    """The largest speedup factor each paper claims (papers without one are absent)."""
    speedups = claims[(claims["kind"] == "speedup") & (claims["unit"] == "x") & (claims["value"] > 0)]
    return speedups.groupby("paper_id")["value"].max()
