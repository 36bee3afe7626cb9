"""Themes and areas, their names, lineage and the maps, on real embeddings of the default corpus's real abstracts."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from sklearn.metrics import adjusted_rand_score

from pipeline import embed, ingest, schema, themes
from pipeline.report import maps
from pipeline.themes import vocabulary
from pipeline.themes.lineage import theme_lineage as lineage_of

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def corpus() -> dict:
    """The default corpus (194 papers), cleaned and embedded once for the whole module."""
    readings = [ingest.read_page(p.name, p.read_bytes().splitlines(keepends=True)) for p in sorted(RAW.glob("*.txt"))]
    papers = ingest.build_tables(readings)["papers"]
    docs = [embed.clean_text(t, a) for t, a in zip(papers["title"], papers["abstract"])]
    model = embed.load_model()
    return {"papers": papers, "docs": docs, "vectors": embed.encode(model, docs), "ids": papers["paper_id"].tolist(),
            "titles": papers["title"].tolist(), "encoder": lambda texts: embed.encode(model, texts)}


def fit(corpus: dict, **options) -> themes.ThemeResult:
    return themes.fit_themes(corpus["vectors"], corpus["docs"], corpus["ids"], corpus["titles"],
                             encoder=corpus["encoder"], **options)


@pytest.fixture(scope="module")
def fitted(corpus) -> themes.ThemeResult:
    return fit(corpus)


@pytest.fixture(scope="module")
def mapped(corpus, fitted) -> pd.DataFrame:
    xy = themes.layout_2d(corpus["vectors"], graph=fitted.graph)
    return corpus["papers"].assign(theme_id=fitted.labels, x=xy[:, 0], y=xy[:, 1])


def test_same_input_gives_identical_themes_and_layout(corpus, fitted, mapped):
    again = fit(corpus)
    np.testing.assert_array_equal(again.labels, fitted.labels)
    pd.testing.assert_frame_equal(again.themes, fitted.themes)
    pd.testing.assert_frame_equal(again.areas, fitted.areas)
    np.testing.assert_array_equal(themes.layout_2d(corpus["vectors"]), mapped[["x", "y"]].to_numpy())


def test_seeds_give_the_same_themes(corpus, fitted):
    for seed in (0, 1):
        other = themes.fit_themes(corpus["vectors"], corpus["docs"], seed=seed)
        assert adjusted_rand_score(fitted.labels, other.labels) >= 0.9
    previous = themes.fit_themes(corpus["vectors"], corpus["docs"], clusterer=themes.KMeansThemes(random_state=0))
    assert adjusted_rand_score(previous.labels, themes.fit_themes(
        corpus["vectors"], corpus["docs"], clusterer=themes.KMeansThemes(random_state=1)).labels) < 0.9


def test_two_levels_every_paper_in_one_theme_largest_first(corpus, fitted):
    table, areas = fitted.themes, fitted.areas
    assert list(table.columns) == list(schema.THEMES) and list(areas.columns) == list(schema.AREAS)
    assert len(fitted.labels) == len(corpus["docs"]) and fitted.labels.min() == 0
    assert 15 <= len(table) <= 30 and 5 <= len(areas) <= 10
    assert table["size"].sum() == areas["size"].sum() == len(corpus["docs"])
    assert list(table["size"]) == sorted(table["size"], reverse=True)
    assert list(areas["size"]) == sorted(areas["size"], reverse=True)
    assert list(np.bincount(fitted.labels)) == list(table["size"])
    assert set(table["area_id"]) == set(areas["area_id"]) and areas["n_themes"].sum() == len(table)
    assert (table.groupby("area_id")["size"].sum() == areas.set_index("area_id")["size"]).all()
    assert (table["area_label"] == table["area_id"].map(areas.set_index("area_id")["label"])).all()
    for row in table.itertuples():
        members = {corpus["ids"][i] for i in np.flatnonzero(fitted.labels == row.theme_id)}
        representatives = row.representative_ids.split(", ")
        assert 1 <= len(representatives) <= 5 and set(representatives) <= members
    assert fitted.info["n_themes"] == len(table) and fitted.info["n_areas"] == len(areas)


def test_names_are_distinct_phrases_without_corpus_words_or_urls(corpus, fitted):
    names = fitted.themes["label"].tolist()
    area_names = fitted.areas["label"].tolist()
    lowered = [name.lower() for name in names + area_names]
    assert len(set(lowered)) == len(lowered), "no two themes or areas share a name, nor an area its theme's"
    for name in names + area_names:
        assert not name.lower().startswith("autoregressive"), name  # the corpus's own search term
        assert not any(fragment in name.lower() for fragment in ("http", "github", ".com", "www")), name
        assert " · " not in name and len(name) <= 56
    assert sum(" " in name for name in names) >= len(names) / 2, "mostly phrases, not lone words"
    joined = " | ".join(lowered)
    assert "speculative decoding" in joined and "time series" in joined and "speech" in joined
    titles = set(corpus["titles"])
    for description in fitted.themes["description"]:
        assert any(f"“{title.strip()}”" in description for title in titles)


def test_keywords_name_research_topics_not_stop_words(fitted):
    stop = vocabulary.STOP_WORDS | {"autoregressive", "model", "models"}
    for keywords in fitted.themes["keywords"]:
        words = keywords.split(", ")
        assert len(words) >= 5
        assert not any(word.lower() in stop for word in words)
        assert len({vocabulary.canonical(word) for word in words}) == len(words)  # no token/tokens


def test_n_themes_can_be_given_and_grows_with_corpus_size(corpus, fitted):
    assert len(themes.fit_themes(corpus["vectors"], corpus["docs"], n_themes=4).themes) == 4
    small = themes.fit_themes(corpus["vectors"][:60], corpus["docs"][:60])
    assert len(small.themes) < len(fitted.themes)
    tiny = themes.fit_themes(corpus["vectors"][:3], corpus["docs"][:3])
    assert tiny.themes["size"].sum() == 3 and len(themes.layout_2d(corpus["vectors"][:3])) == 3


def test_lineage_says_kept_split_merged_new_gone(corpus, fitted):
    old = pd.DataFrame({"paper_id": corpus["ids"], "theme_id": fitted.labels})
    labels = fitted.labels.copy()
    labels[labels == 1] = 0  # themes 0 and 1 merge
    members = np.flatnonzero(labels == 2)
    labels[members[: len(members) // 2]] = 100  # theme 2 splits in halves
    labels[labels == 3] = 101  # theme 3 is renumbered, otherwise kept
    new = pd.DataFrame({"paper_id": corpus["ids"], "theme_id": labels})
    new = new[new["theme_id"] != 4]  # theme 4's papers left the corpus
    new_themes = pd.DataFrame({"theme_id": sorted(set(new["theme_id"]) | {200}), "label": "x"})
    lineage = lineage_of(old, fitted.themes, new, new_themes)
    status = {(row.old_theme_id, row.new_theme_id): row.status for row in lineage.itertuples()}
    assert status[(0, 0)] == status[(1, 0)] == "merged"
    assert status[(2, 2)] == status[(2, 100)] == "split"
    assert status[(3, 101)] == "kept" and status[(5, 5)] == "kept"
    assert lineage.loc[lineage["old_theme_id"] == 4, "status"].tolist() == ["gone"]
    assert lineage.loc[lineage["new_theme_id"] == 200, "status"].tolist() == ["new"]
    assert list(lineage.columns) == list(schema.THEME_LINEAGE)


def test_theme_map_figure_places_labels_without_overlap(mapped, fitted):
    figure = maps.theme_map_figure(mapped, fitted.themes)
    assert isinstance(figure, Figure)
    figure.canvas.draw()  # lays out the label boxes
    boxes = [text.get_bbox_patch().get_window_extent() for text in figure.axes[0].texts]
    assert len(boxes) == min(len(fitted.themes), maps.MAX_MAP_LABELS)
    assert not any(a.overlaps(b) for a, b in combinations(boxes, 2))
