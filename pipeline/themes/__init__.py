"""Themes: group papers into named themes within named areas, and lay them out in 2-D.

Pure functions of embeddings and cleaned texts, no I/O. The pieces are swappable components
(scikit-learn style: `__init__` stores parameters, `fit`/`name`/`fit_transform` do the work):

- neighbours.py  the exact k-nearest-neighbour graph, shared by clustering and the map
- reduce.py      spectral embedding of that graph (the stable part of UMAP)
- cluster.py     fine themes (Ward tree cut, polished by k-means) and areas (the same tree higher up)
- vocabulary.py  papers × phrases, stop and vague words, phrase comparison
- label.py       names, descriptions and keywords from candidate phrases
- layout.py      the map (UMAP on the precomputed graph; openTSNE as the alternative)
- lineage.py     how a re-clustering's themes relate to the stored ones

Every paper gets exactly one theme (no outliers), themes are numbered largest first, and the
same input gives the same output; seeds 0-4 give the same themes (benchmarks/themes_vs_bertopic.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

import numpy as np
import pandas as pd
from sklearn.preprocessing import normalize

from pipeline import schema
from pipeline.themes.cluster import KMeansThemes, SpectralWardThemes, choose_n_themes
from pipeline.themes.label import Encoder, PhraseLabeller
from pipeline.themes.layout import TSNELayout, UMAPLayout
from pipeline.themes.neighbours import NeighbourGraph, neighbour_graph
from pipeline.themes.vocabulary import Vocabulary

__all__ = ["ThemeResult", "fit_themes", "layout_2d", "choose_n_themes", "SpectralWardThemes", "KMeansThemes",
           "PhraseLabeller", "UMAPLayout", "TSNELayout", "neighbour_graph", "Vocabulary"]

N_REPRESENTATIVES = 5


class Clusterer(Protocol):
    labels_: np.ndarray
    area_of_theme_: np.ndarray

    def fit(self, unit_vectors: np.ndarray, graph: NeighbourGraph) -> Clusterer: ...


@dataclass(frozen=True)
class ThemeResult:
    """Themes of one corpus: theme per paper, the THEMES and AREAS tables, the graph, provenance."""

    labels: np.ndarray
    themes: pd.DataFrame
    areas: pd.DataFrame
    graph: NeighbourGraph
    info: dict = field(default_factory=dict)


def fit_themes(embeddings: np.ndarray, docs: list[str], paper_ids: list[str] | None = None,
               titles: Sequence[str] | None = None, *, n_themes: int | None = None, seed: int = 42,
               clusterer: Clusterer | None = None, labeller: PhraseLabeller | None = None,
               encoder: Encoder | None = None) -> ThemeResult:
    """Cluster papers into themes and areas and name both.

    `docs` are the cleaned texts (for phrases), `titles` name each theme's most typical paper
    (the text before the first ". " of each doc when omitted), `paper_ids` fill representative_ids
    (row positions when omitted). `encoder` embeds candidate phrases with the run's model.
    """
    vectors = normalize(np.asarray(embeddings, dtype=np.float32))
    ids = [str(i) for i in range(len(docs))] if paper_ids is None else [str(i) for i in paper_ids]
    titles = list(titles) if titles is not None else [doc.split(". ", 1)[0] for doc in docs]
    if not len(vectors) == len(docs) == len(ids) == len(titles):
        raise ValueError(f"{len(vectors)} embeddings, {len(docs)} docs, {len(ids)} paper ids and "
                         f"{len(titles)} titles differ in length")
    if len(vectors) == 0:
        raise ValueError("no papers to cluster")
    graph = neighbour_graph(vectors) if len(vectors) > 1 else NeighbourGraph(np.zeros((1, 0), int), np.zeros((1, 0)))
    clusterer = clusterer or SpectralWardThemes(n_themes=n_themes, random_state=seed)
    clusterer.fit(vectors, graph)
    labels, area_of = clusterer.labels_, clusterer.area_of_theme_
    labeller = labeller or PhraseLabeller(encoder=encoder)
    vocabulary = Vocabulary.of(docs)
    k, n_areas = len(area_of), int(area_of.max()) + 1
    theme_names = labeller.name(vocabulary, vectors, labels, [np.flatnonzero(area_of == area_of[t]) for t in range(k)],
                                titles)
    area_names = labeller.name(vocabulary, vectors, area_of[labels], [range(n_areas)] * n_areas, titles,
                               taken=theme_names.labels, kind="Area")
    centres = normalize(np.stack([vectors[labels == t].mean(axis=0) for t in range(k)]))
    themes = pd.DataFrame({
        "theme_id": range(k),
        "label": theme_names.labels,
        "description": theme_names.descriptions,
        "keywords": [", ".join(words) for words in theme_names.keywords],
        "size": np.bincount(labels, minlength=k),
        "representative_ids": [", ".join(_representatives(vectors, labels, centres, t, ids)) for t in range(k)],
        "area_id": area_of,
        "area_label": [area_names.labels[a] for a in area_of],
    })
    areas = pd.DataFrame({
        "area_id": range(n_areas),
        "label": area_names.labels,
        "description": area_names.descriptions,
        "keywords": [", ".join(words) for words in area_names.keywords],
        "size": np.bincount(area_of[labels], minlength=n_areas),
        "n_themes": np.bincount(area_of, minlength=n_areas),
    })
    info = {
        "method": f"{type(clusterer).__name__} (areas: {getattr(clusterer, 'area_selection_', '')})",
        "n_themes": k, "n_areas": n_areas, "seed": seed,
        "selection": "given" if n_themes else "sqrt(2.5 n) themes",
        "phrase vectors": "model" if encoder is not None else "mean of the papers using the phrase",
    }
    return ThemeResult(labels=labels, themes=schema.conform(themes, schema.THEMES),
                       areas=schema.conform(areas, schema.AREAS), graph=graph, info=info)


def layout_2d(embeddings: np.ndarray, seed: int = 42, graph: NeighbourGraph | None = None) -> np.ndarray:
    """2-D map positions: UMAP on the (given or computed) neighbour graph, fixed seed."""
    vectors = normalize(np.asarray(embeddings, dtype=np.float32))
    return UMAPLayout(random_state=seed).fit_transform(vectors, graph)


def _representatives(vectors: np.ndarray, labels: np.ndarray, centres: np.ndarray, theme: int,
                     ids: list[str]) -> list[str]:
    """The papers nearest the theme's centre: the ones that best show what it is about."""
    members = np.flatnonzero(labels == theme)
    nearest = members[np.argsort(-(vectors[members] @ centres[theme]), kind="stable")[:N_REPRESENTATIVES]]
    return [ids[i] for i in nearest]
