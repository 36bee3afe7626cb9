"""Trend tables: periods from page dates or publication dates, shares, growth and claim tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline import ingest, trends
from pipeline.run import read_sources


@pytest.fixture(scope="module")
def page_tables(raw_pages):
    return ingest.build_tables(read_sources(raw_pages))


def test_page_dates_are_days_on_a_real_axis(page_tables):
    periods, unit = trends.paper_periods(page_tables["papers"], page_tables["appearances"])
    assert unit == "day" and trends.slope_unit(unit) == "month"
    ordered = periods.drop_duplicates("period").sort_values("time")
    assert ordered["period"].tolist() == ["Mar 11", "Mar 12", "Mar 14", "Mar 18", "Jun 6"]
    assert ordered["time"].tolist() == [71, 72, 74, 78, 158]  # Mar 18 -> Jun 6 is 80 days, not one step
    assert len(periods) == 339  # each paper appears once per page in this corpus


def test_shares_sum_to_one_per_period_with_wilson_intervals(page_tables):
    papers = page_tables["papers"].assign(theme_id=np.arange(len(page_tables["papers"])) % 3)
    periods, _ = trends.paper_periods(papers, page_tables["appearances"])
    shares = trends.theme_shares(papers, periods)
    assert len(shares) == 5 * 3
    assert np.allclose(shares.groupby("period")["share"].sum(), 1.0)
    assert shares[shares["period"] == "Mar 11"]["period_papers"].iloc[0] == 65  # papers on the Mar 11 page
    assert ((shares["share_low"] <= shares["share"]) & (shares["share"] <= shares["share_high"])).all()
    low, high = trends.wilson_interval(np.array([0, 10]), np.array([10, 10]))
    assert low[0] == 0 and high[0] == pytest.approx(0.2775, abs=1e-4)  # 0 of 10: up to 28 %, not 0 %
    assert high[1] == pytest.approx(1.0) and low[1] == pytest.approx(1 - 0.2775, abs=1e-4)


def shares_frame(series: dict[int, list[float]], times: list[float] | None = None, n: int = 200) -> pd.DataFrame:
    """Shares of several themes over periods of `n` papers each (counts rounded from the shares)."""
    length = len(next(iter(series.values())))
    times = list(range(length)) if times is None else times
    rows = [(f"P{i}", i, times[i], theme, int(round(share * n)), n) for theme, values in series.items()
            for i, share in enumerate(values)]
    frame = pd.DataFrame(rows, columns=["period", "period_order", "time", "theme_id", "n_papers", "period_papers"])
    frame["share"] = frame["n_papers"] / frame["period_papers"]
    return frame


def test_growth_slope_test_and_verdicts_on_enough_periods():
    growth = trends.theme_growth(shares_frame({
        0: [0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45],  # +5 pp per year, exactly linear
        1: [0.50] * 8,                                          # flat
        2: [0.40, 0.35, 0.30, 0.25, 0.20, 0.15, 0.10, 0.05],  # -5 pp per year
    }), unit="year").set_index("theme_id")
    assert growth.loc[0, "slope_pp"] == pytest.approx(5.0) and growth.loc[2, "slope_pp"] == pytest.approx(-5.0)
    assert growth.loc[0, "direction"] == "growing" and growth.loc[2, "direction"] == "shrinking"
    assert growth.loc[1, "direction"] == "no clear trend"
    assert growth.index[0] == 0, "fastest-growing theme first"
    assert (growth["q_value"] >= growth["p_value"]).all()


def test_five_periods_are_too_few_to_tell_whatever_the_move():
    growth = trends.theme_growth(shares_frame({0: [0.31, 0.20, 0.12, 0.06, 0.03], 1: [0.69, 0.80, 0.88, 0.94, 0.97]}))
    assert growth["p_value"].max() < 0.001  # the counts alone would call it
    assert set(growth["direction"]) == {"too few periods to tell"}


def test_slope_is_per_unit_of_real_time_not_per_period():
    evenly = trends.theme_growth(shares_frame({0: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}), unit="year")
    gapped = trends.theme_growth(shares_frame({0: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}, times=[0, 1, 2, 3, 4, 100]),
                                 unit="year")
    assert evenly["slope_pp"].iloc[0] == pytest.approx(10.0)
    assert gapped["slope_pp"].iloc[0] < 1.0


def test_armitage_statistic_is_n_times_squared_correlation_over_papers():
    counts, totals, times = np.array([5, 9, 14, 20]), np.array([50, 60, 55, 70]), np.array([0.0, 1.0, 3.0, 7.0])
    _, p_value = trends.armitage_trend(counts, totals, times)
    outcome = np.concatenate([np.r_[np.ones(c), np.zeros(t - c)] for c, t in zip(counts, totals)])
    score = np.repeat(times, totals)
    r = np.corrcoef(outcome, score)[0, 1]
    from scipy.stats import chi2

    assert p_value == pytest.approx(chi2.sf(len(outcome) * r**2, 1))


def test_benjamini_hochberg_matches_scipy():
    from scipy.stats import false_discovery_control

    p = np.array([0.01, 0.04, 0.03, 0.5, 0.002, 0.2])
    assert np.allclose(trends.benjamini_hochberg(p), false_discovery_control(p))


def test_many_null_themes_are_not_called_growing():
    rng = np.random.default_rng(0)
    series = {t: list(rng.binomial(200, 0.05, 10) / 200) for t in range(30)}
    growth = trends.theme_growth(shares_frame(series), unit="year")
    assert (growth["p_value"] < 0.05).any(), "uncorrected, one of thirty looks significant"
    assert not growth["direction"].isin(["growing", "shrinking"]).any()


def test_kleinberg_finds_the_burst_and_nothing_in_a_flat_theme():
    shares = shares_frame({0: [0.05] * 8 + [0.25, 0.30] + [0.05] * 2, 1: [0.10] * 12})
    bursts = trends.theme_bursts(shares)
    assert bursts[["theme_id", "start", "end"]].values.tolist() == [[0, "P8", "P9"]]
    assert bursts["weight"].iloc[0] > 0


def test_growth_needs_two_periods():
    assert trends.theme_growth(shares_frame({0: [0.1]})).empty


def test_dated_corpus_uses_years(conference_jsonl):
    tables = ingest.build_tables(read_sources([conference_jsonl]))
    periods, unit = trends.paper_periods(tables["papers"], tables["appearances"])
    assert unit == "year"
    assert periods["period"].str.fullmatch(r"\d{4}").all()
    assert (periods["time"] == periods["period"].astype(int)).all()
    assert len(periods) == len(tables["papers"])


def test_sparse_periods_are_left_out():
    papers = pd.DataFrame({"paper_id": [f"p{i}" for i in range(25)], "theme_id": [i % 2 for i in range(25)]})
    periods = pd.DataFrame({"paper_id": papers["paper_id"], "period": ["1990"] * 2 + ["2000"] * 11 + ["2001"] * 12,
                            "period_order": [1990] * 2 + [2000] * 11 + [2001] * 12,
                            "time": [1990] * 2 + [2000] * 11 + [2001] * 12})
    shares = trends.theme_shares(papers, periods, min_papers=10)
    assert sorted(shares["period"].unique()) == ["2000", "2001"]
