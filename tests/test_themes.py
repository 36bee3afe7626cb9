"""Themes, their labels and the maps, on real embeddings of the default corpus's real abstracts."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from pipeline import embed, ingest, schema, themes
from pipeline.report import maps

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def corpus() -> dict:
    """The default corpus (194 papers), cleaned and embedded once for the whole module."""
    readings = [ingest.read_page(p.name, p.read_bytes().splitlines(keepends=True)) for p in sorted(RAW.glob("*.txt"))]
    papers = ingest.build_tables(readings)["papers"]
    docs = [embed.clean_text(t, a) for t, a in zip(papers["title"], papers["abstract"])]
    vectors = embed.encode(embed.load_model(), docs)
    return {"papers": papers, "docs": docs, "vectors": vectors, "ids": papers["paper_id"].tolist()}


@pytest.fixture(scope="module")
def fitted(corpus) -> themes.ThemeResult:
    return themes.fit_themes(corpus["vectors"], corpus["docs"], corpus["ids"])


@pytest.fixture(scope="module")
def mapped(corpus, fitted) -> pd.DataFrame:
    xy = themes.layout_2d(corpus["vectors"])
    return corpus["papers"].assign(theme_id=fitted.labels, x=xy[:, 0], y=xy[:, 1])


def test_same_input_gives_identical_themes_and_layout(corpus, fitted, mapped):
    again = themes.fit_themes(corpus["vectors"], corpus["docs"], corpus["ids"])
    np.testing.assert_array_equal(again.labels, fitted.labels)
    pd.testing.assert_frame_equal(again.themes, fitted.themes)
    np.testing.assert_array_equal(themes.layout_2d(corpus["vectors"]), mapped[["x", "y"]].to_numpy())


def test_every_paper_gets_a_theme_largest_first(corpus, fitted):
    table = fitted.themes
    assert list(table.columns) == list(schema.THEMES)
    assert len(fitted.labels) == len(corpus["docs"]) and fitted.labels.min() == 0
    assert table["size"].sum() == len(corpus["docs"])
    assert list(table["size"]) == sorted(table["size"], reverse=True)
    assert list(np.bincount(fitted.labels)) == list(table["size"])
    for row in table.itertuples():
        members = {corpus["ids"][i] for i in np.flatnonzero(fitted.labels == row.theme_id)}
        representatives = row.representative_ids.split(", ")
        assert 1 <= len(representatives) <= 5 and set(representatives) <= members
    assert 1 < fitted.parents["parent_id"].nunique() < len(table)
    assert set(table["parent_id"]) == set(fitted.parents["parent_id"])
    assert fitted.info["n_themes"] == len(table) and 0 <= fitted.info["stability_ari"] <= 1


def test_keywords_name_research_topics_not_stop_words(fitted):
    stop = themes.ENGLISH_STOP_WORDS | themes.ACADEMIC_STOP_WORDS | {"autoregressive", "model", "models"}
    for keywords in fitted.themes["keywords"]:
        words = keywords.split(", ")
        assert len(words) >= 5
        assert not any(word.lower() in stop for word in words)
        assert len({themes._canonical(word.lower()) for word in words}) == len(words)  # no token/tokens
    keywords = " | ".join(fitted.themes["keywords"]).lower()
    assert "speculative decoding" in keywords and "time series" in keywords


def test_n_themes_can_be_given_and_grows_with_corpus_size(corpus, fitted):
    assert len(themes.fit_themes(corpus["vectors"], corpus["docs"], n_themes=4).themes) == 4
    small = themes.fit_themes(corpus["vectors"][:60], corpus["docs"][:60])
    assert len(small.themes) < len(fitted.themes)


def test_theme_map_figure_places_labels_without_overlap(mapped, fitted):
    figure = maps.theme_map_figure(mapped, fitted.themes)
    assert isinstance(figure, Figure)
    figure.canvas.draw()  # lays out the label boxes
    boxes = [text.get_bbox_patch().get_window_extent() for text in figure.axes[0].texts]
    assert len(boxes) == len(fitted.themes)
    assert not any(a.overlaps(b) for a, b in combinations(boxes, 2))
