"""Trend tables: periods from page dates or publication dates, shares, growth and claim tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline import ingest, schema, trends
from pipeline.run import read_sources


@pytest.fixture(scope="module")
def page_tables(raw_pages):
    return ingest.build_tables(read_sources(raw_pages))


def test_page_dates_are_the_periods(page_tables):
    periods, unit = trends.paper_periods(page_tables["papers"], page_tables["appearances"])
    assert unit == "page date"
    ordered = periods.drop_duplicates("period").sort_values("period_order")["period"].tolist()
    assert ordered == ["Mar 11", "Mar 12", "Mar 14", "Mar 18", "Jun 6"]
    assert len(periods) == 339  # each paper appears once per page in this corpus


def test_shares_sum_to_one_per_period(page_tables):
    papers = page_tables["papers"].assign(theme_id=np.arange(len(page_tables["papers"])) % 3)
    periods, _ = trends.paper_periods(papers, page_tables["appearances"])
    shares = trends.theme_shares(papers, periods)
    assert len(shares) == 5 * 3
    assert np.allclose(shares.groupby("period")["share"].sum(), 1.0)
    mar11 = shares[shares["period"] == "Mar 11"]
    assert mar11["period_papers"].iloc[0] == 65  # papers listed on the Mar 11 page


def shares_frame(series: dict[int, list[float]]) -> pd.DataFrame:
    rows = [(f"P{i}", i, theme, 0, 100, share) for theme, values in series.items() for i, share in enumerate(values)]
    return pd.DataFrame(rows, columns=trends.SHARES_COLUMNS)


def test_growth_slope_and_verdict():
    growth = trends.theme_growth(shares_frame({
        0: [0.10, 0.20, 0.30, 0.40, 0.50],   # +10 pp per period, exactly linear
        1: [0.50, 0.50, 0.50, 0.50, 0.50],   # flat
        2: [0.40, 0.30, 0.20, 0.10, 0.00],   # -10 pp per period
    })).set_index("theme_id")
    assert growth.loc[0, "slope_pp"] == pytest.approx(10.0)
    assert growth.loc[0, "direction"] == "growing" and growth.loc[2, "direction"] == "shrinking"
    assert growth.loc[1, "direction"] == "stable"
    assert growth.index[0] == 0, "fastest-growing theme first"


def test_noisy_growth_is_not_called_a_trend():
    growth = trends.theme_growth(shares_frame({0: [0.10, 0.40, 0.05, 0.45, 0.15]})).set_index("theme_id")
    assert growth.loc[0, "p_value"] > 0.1 and growth.loc[0, "direction"] == "stable"


def test_growth_needs_three_periods():
    assert trends.theme_growth(shares_frame({0: [0.1, 0.2]})).empty


def test_dated_corpus_uses_years(conference_jsonl):
    tables = ingest.build_tables(read_sources([conference_jsonl]))
    periods, unit = trends.paper_periods(tables["papers"], tables["appearances"])
    assert unit == "year"
    assert periods["period"].str.fullmatch(r"\d{4}").all()
    assert len(periods) == len(tables["papers"])


def claims_frame(rows: list[dict]) -> pd.DataFrame:
    return schema.conform(pd.DataFrame(rows), schema.CLAIMS)


def test_metric_tables_order_by_direction():
    papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "title": ["A", "B", "C"], "theme_id": [0, 0, 1]})
    claims = claims_frame([
        {"paper_id": "a", "kind": "score", "metric": "FID", "higher_is_better": False, "value": 2.5},
        {"paper_id": "b", "kind": "score", "metric": "FID", "higher_is_better": False, "value": 1.24},
        {"paper_id": "a", "kind": "score", "metric": "accuracy", "higher_is_better": True, "value": 80.0},
        {"paper_id": "c", "kind": "score", "metric": "accuracy", "higher_is_better": True, "value": 91.0},
        {"paper_id": "c", "kind": "score", "metric": "BLEU", "higher_is_better": True, "value": 30.0},
    ])
    tables = trends.metric_tables(claims, papers)
    assert set(tables) == {"FID", "accuracy"}, "BLEU is reported by one paper only"
    assert tables["FID"]["value"].tolist() == [1.24, 2.5]
    assert tables["accuracy"]["value"].tolist() == [91.0, 80.0]


def test_leaderboard_keeps_factors_largest_first():
    papers = pd.DataFrame({"paper_id": ["a", "b"], "title": ["A", "B"], "theme_id": [0, 1]})
    themes = pd.DataFrame({"theme_id": [0, 1], "label": ["zero", "one"]})
    claims = claims_frame([
        {"paper_id": "a", "kind": "speedup", "value": 5.0, "unit": "x", "start": 0},
        {"paper_id": "b", "kind": "reduction", "value": 10.0, "unit": "x", "start": 0},
        {"paper_id": "b", "kind": "improvement", "value": 45.0, "unit": "%", "start": 5},
        {"paper_id": "a", "kind": "speedup", "value": 30.0, "unit": "%", "start": 9},
    ])
    board = trends.speedup_leaderboard(claims, papers, themes)
    assert board["value"].tolist() == [10.0, 5.0]
    assert board["theme"].tolist() == ["one", "zero"]
    assert trends.largest_speedup_per_paper(claims).to_dict() == {"a": 5.0}


def test_sparse_periods_are_left_out():
    papers = pd.DataFrame({"paper_id": [f"p{i}" for i in range(25)], "theme_id": [i % 2 for i in range(25)]})
    periods = pd.DataFrame({"paper_id": papers["paper_id"], "period": ["1990"] * 2 + ["2000"] * 11 + ["2001"] * 12,
                            "period_order": [1990] * 2 + [2000] * 11 + [2001] * 12})
    shares = trends.theme_shares(papers, periods, min_papers=10)
    assert sorted(shares["period"].unique()) == ["2000", "2001"]
