"""Trends: theme shares over time, and which themes grow or burst.

Time is a real axis: page dates of scraped listings are days of one (yearless) year, so Mar 11 ->
Mar 12 counts one day and Mar 18 -> Jun 6 eighty; dated inputs are by month when they span less
than three years, else by year, gaps included. Each share carries a 95 % Wilson interval. Growth is
the Cochran-Armitage test for a trend in a proportion against that time axis (the weighted
least-squares slope of the share, tested with the binomial counts behind it), with the
Benjamini-Hochberg correction across all themes so that testing thirty themes does not make one
look significant by chance. Bursts are Kleinberg's two-state automaton over the periods (as in
CiteSpace): a period is in a burst when the theme's rate there is better explained as twice its
overall rate, paying a cost for entering the burst state.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from scipy.special import ndtr  # normal CDF; scipy.stats would add half a second of imports

from pipeline.ingest import PAGE_DATE, MONTHS, page_date_order

SHARES_COLUMNS = ["period", "period_order", "time", "theme_id", "n_papers", "period_papers", "share",
                  "share_low", "share_high"]
GROWTH_COLUMNS = ["theme_id", "slope_pp", "p_value", "q_value", "first_share", "last_share", "n_periods", "direction"]
BURST_COLUMNS = ["theme_id", "start", "end", "start_order", "end_order", "weight"]
# False discovery rate for calling a theme growing or shrinking (Benjamini-Hochberg).
FDR = 0.05
# With fewer periods a trend cannot be told from a one-off jump, whatever the counts say.
MIN_PERIODS = 6
# A significant change smaller than this over the whole span (percentage points) is called no trend.
MIN_CHANGE_PP = 1.0
# Periods with fewer papers are left out of shares and tests.
MIN_PERIOD_PAPERS = 10
WILSON_Z = 1.959964
BURST_SCALE, BURST_COST = 2.0, 1.0  # Kleinberg's s and γ
DAYS_PER_MONTH = 30.44


def paper_periods(papers: pd.DataFrame, appearances: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """One row per (paper, period) with its place on the time axis, and the axis unit ('day', 'month', 'year')."""
    dated = appearances[appearances["page_date"].notna()]
    if not dated.empty:
        rows = dated[["paper_id", "page_date"]].drop_duplicates().rename(columns={"page_date": "period"})
        rows["period_order"] = rows["period"].map(page_date_order)
        rows["time"] = rows["period"].map(_day_of_year)
        return rows.dropna(subset=["time"]).reset_index(drop=True), "day"
    published = papers[["paper_id", "published"]].dropna()
    if published.empty:
        return pd.DataFrame(columns=["paper_id", "period", "period_order", "time"]), "none"
    dates = pd.to_datetime(published["published"])
    by_month = (dates.max() - dates.min()).days < 3 * 365 and (dates.dt.month != 1).any()
    label = dates.dt.strftime("%Y-%m") if by_month else dates.dt.year.astype(str)
    order = dates.dt.year * 100 + (dates.dt.month if by_month else 0)
    time = dates.dt.year * 12 + dates.dt.month - 1 if by_month else dates.dt.year
    rows = pd.DataFrame({"paper_id": published["paper_id"], "period": label, "period_order": order, "time": time})
    return rows.reset_index(drop=True), "month" if by_month else "year"


def _day_of_year(page_date: str) -> float | None:
    """'Mar 18' -> 78: days since Jan 1 of a leap year, so Feb 29 is a date too."""
    match = PAGE_DATE.match(page_date or "")
    if not match:
        return None
    try:
        day = date(2000, MONTHS.index(match.group(1)[:3]) + 1, int(match.group(2)))
    except ValueError:
        return None
    return float(day.timetuple().tm_yday)


def period_name(unit: str) -> str:
    """What a reader calls one period of the axis: page dates are listing days, not calendar days."""
    return "page date" if unit == "day" else unit


def slope_unit(unit: str) -> str:
    """What a slope is per: page dates are days apart, but a share moves visibly per month."""
    return "month" if unit in ("day", "month") else unit


def theme_shares(papers: pd.DataFrame, periods: pd.DataFrame, min_papers: int = MIN_PERIOD_PAPERS) -> pd.DataFrame:
    """Each theme's share of the papers in each period with at least `min_papers` papers, with a
    95 % Wilson interval. Every theme appears in every kept period; sparse periods (the early years
    of a conference corpus) would make shares of 0 % or 100 % out of one or two papers."""
    sizes = periods["period"].map(periods["period"].value_counts())
    periods = periods[sizes >= min_papers]
    if periods.empty:
        return pd.DataFrame(columns=SHARES_COLUMNS)
    joined = periods.merge(papers[["paper_id", "theme_id"]], on="paper_id")
    keys = ["period", "period_order", "time"]
    counts = joined.groupby([*keys, "theme_id"]).size().rename("n_papers")
    grid = pd.MultiIndex.from_product([joined[keys].drop_duplicates().itertuples(index=False),
                                       sorted(joined["theme_id"].unique())])
    full = pd.DataFrame([(*period, theme) for period, theme in grid], columns=[*keys, "theme_id"]).merge(
        counts.reset_index(), how="left", on=[*keys, "theme_id"])
    full["n_papers"] = full["n_papers"].fillna(0).astype(int)
    full["period_papers"] = full.groupby("period")["n_papers"].transform("sum")
    full["share"] = full["n_papers"] / full["period_papers"]
    full["share_low"], full["share_high"] = wilson_interval(full["n_papers"].to_numpy(), full["period_papers"].to_numpy())
    return full.sort_values(["time", "theme_id"]).reset_index(drop=True)[SHARES_COLUMNS]


def wilson_interval(successes: np.ndarray, trials: np.ndarray, z: float = WILSON_Z) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of a binomial proportion: sensible at 0 % and 100 % too."""
    n = np.asarray(trials, dtype=float)
    p = np.asarray(successes, dtype=float) / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def theme_growth(shares: pd.DataFrame, unit: str = "day") -> pd.DataFrame:
    """Per theme: slope of its share (pp per `slope_unit(unit)`), trend p-value, BH q-value and a verdict.

    Verdicts: growing / shrinking (q ≤ FDR and a change of at least MIN_CHANGE_PP over the span),
    no clear trend, or "too few periods to tell" below MIN_PERIODS periods, whatever the p-value.
    """
    n_periods = shares["period"].nunique() if not shares.empty else 0
    if n_periods < 2:
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    per = DAYS_PER_MONTH if unit == "day" else 1.0
    rows = []
    for theme_id, group in shares.groupby("theme_id"):
        group = group.sort_values("time")
        slope, p_value = armitage_trend(group["n_papers"].to_numpy(), group["period_papers"].to_numpy(),
                                        group["time"].to_numpy(dtype=float))
        rows.append((int(theme_id), slope * 100 * per, p_value, group["share"].iloc[0], group["share"].iloc[-1]))
    growth = pd.DataFrame(rows, columns=["theme_id", "slope_pp", "p_value", "first_share", "last_share"])
    growth["q_value"] = benjamini_hochberg(growth["p_value"].to_numpy())
    growth["n_periods"] = n_periods
    span = (shares["time"].max() - shares["time"].min()) / per
    growth["direction"] = [_direction(row.slope_pp, row.q_value, n_periods, span) for row in growth.itertuples()]
    growth = growth.sort_values(["slope_pp", "theme_id"], ascending=[False, True]).reset_index(drop=True)
    return growth[GROWTH_COLUMNS]


def armitage_trend(counts: np.ndarray, totals: np.ndarray, times: np.ndarray) -> tuple[float, float]:
    """Cochran-Armitage test: slope of the proportion per time unit (weighted least squares) and the
    two-sided p-value of 'no trend', from the binomial counts behind each period's share."""
    counts, totals = np.asarray(counts, dtype=float), np.asarray(totals, dtype=float)
    mean_time = (totals * times).sum() / totals.sum()
    spread = (totals * (times - mean_time) ** 2).sum()
    pooled = counts.sum() / totals.sum()
    statistic = (counts * (times - mean_time)).sum()
    if spread == 0:
        return 0.0, 1.0
    variance = pooled * (1 - pooled) * spread
    if variance == 0:
        return 0.0, 1.0
    z = statistic / np.sqrt(variance)
    return float(statistic / spread), float(2 * ndtr(-abs(z)))


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values): the false discovery rate at which each is called."""
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    q = np.empty_like(adjusted)
    q[order] = adjusted
    return q


def _direction(slope_pp: float, q_value: float, n_periods: int, span: float) -> str:
    if n_periods < MIN_PERIODS:
        return "too few periods to tell"
    if q_value > FDR or abs(slope_pp * span) < MIN_CHANGE_PP:
        return "no clear trend"
    return "growing" if slope_pp > 0 else "shrinking"


def theme_bursts(shares: pd.DataFrame) -> pd.DataFrame:
    """Kleinberg bursts of each theme over the periods: runs of periods in the high-rate state."""
    rows = []
    for theme_id, group in shares.groupby("theme_id"):
        group = group.sort_values("time")
        states, gain = kleinberg_states(group["n_papers"].to_numpy(), group["period_papers"].to_numpy())
        periods, orders = group["period"].tolist(), group["period_order"].tolist()
        start = None
        for i, state in enumerate([*states, 0]):
            if state and start is None:
                start = i
            elif not state and start is not None:
                rows.append((int(theme_id), periods[start], periods[i - 1], orders[start], orders[i - 1],
                             float(gain[start:i].sum())))
                start = None
    return pd.DataFrame(rows, columns=BURST_COLUMNS)


def kleinberg_states(counts: np.ndarray, totals: np.ndarray, scale: float = BURST_SCALE,
                     cost: float = BURST_COST) -> tuple[np.ndarray, np.ndarray]:
    """Kleinberg's two-state burst automaton for batched arrivals (Viterbi): the state of each
    period (1 = burst) and how much better the burst rate explains it (log-likelihood gain)."""
    counts, totals = np.asarray(counts, dtype=float), np.asarray(totals, dtype=float)
    base = counts.sum() / totals.sum()
    if len(counts) == 0 or base <= 0 or base >= 1:
        return np.zeros(len(counts), dtype=int), np.zeros(len(counts))
    rates = np.array([base, min(scale * base, 0.9999)])
    fit = -(counts[:, None] * np.log(rates) + (totals - counts)[:, None] * np.log(1 - rates))  # T × 2
    up = cost * np.log(len(counts))
    best = np.array([fit[0, 0], fit[0, 1] + up])
    back = np.zeros((len(counts), 2), dtype=int)
    for t in range(1, len(counts)):
        stay_low, rise = best[0], best[0] + up
        best, back[t] = (np.array([min(best[0], best[1]) + fit[t, 0], min(rise, best[1]) + fit[t, 1]]),
                         [int(best[1] < stay_low), int(best[1] <= rise)])
    states = np.zeros(len(counts), dtype=int)
    states[-1] = int(best[1] < best[0])
    for t in range(len(counts) - 1, 0, -1):
        states[t - 1] = back[t, states[t]]
    return states, fit[:, 0] - fit[:, 1]


def trending_papers(papers: pd.DataFrame, limit: int = 15) -> pd.DataFrame:
    """Papers listed on several pages, most appearances first."""
    several = papers[papers["n_appearances"] > 1]
    return several.sort_values(["n_appearances", "title"], ascending=[False, True]).head(limit).reset_index(drop=True)


def largest_speedup_per_paper(claims: pd.DataFrame) -> pd.Series:
    """The largest speedup factor each paper claims (papers without one are absent)."""
    speedups = claims[(claims["kind"] == "speedup") & (claims["unit"] == "x") & (claims["value"] > 0)]
    return speedups.groupby("paper_id")["value"].max()
