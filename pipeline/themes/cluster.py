"""Fine themes and the areas above them, as swappable clusterers with a scikit-learn-like surface.

A clusterer's `__init__` stores its parameters; `fit(unit_vectors, graph)` sets `labels_` (theme
per paper, 0 = largest, every paper in one) and `area_of_theme_` (area per theme, 0 = largest).

`SpectralWardThemes` (the default) builds one hierarchy over the papers: Ward linkage of their
spectral embedding, constrained to the neighbour graph (sparse, so no n × n matrix), cut at the
number of themes; each cut theme's centre then seeds k-means on the original unit vectors, which
polishes the boundaries in cosine geometry. Areas are the same tree cut higher up, each theme
joining the area that holds most of its papers, so the two levels nest. Measured on 5,000 arXiv
abstracts at k = 60: k-means inertia 2,553 against 2,559 for k-means++ with three restarts, and
ARI 1.00 between seeds against 0.42.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering, KMeans

from pipeline.themes.neighbours import NeighbourGraph
from pipeline.themes.reduce import SpectralEmbedding

# Below this many papers a neighbour graph says little: Ward runs on the vectors themselves.
MIN_GRAPH_PAPERS = 30


def choose_n_themes(n_papers: int) -> int:
    """√(2.5 n) themes: 22 for 194 papers (about 9 papers each, the grain of a survey's sections),
    71 for 2,000, 112 for 5,000, 254 for 25,841. No internal index picks a grain that grows with
    the corpus (cosine silhouette peaks at 2-3 clusters on every corpus here), so the rule is
    calibrated on the size of the themes a reader wants; areas are then chosen from the data."""
    return max(1, min(n_papers, int(round(np.sqrt(2.5 * n_papers)))))


def area_range(n_themes: int) -> tuple[int, int]:
    """The numbers of areas considered: √k to 2√k (5-9 for 22 themes, 16-32 for 254)."""
    low = max(2, int(round(np.sqrt(n_themes))))
    return min(low, max(n_themes - 1, 1)), max(1, min(n_themes - 1, int(round(2 * np.sqrt(n_themes)))))


class SpectralWardThemes:
    """Themes cut from a Ward tree of the spectral embedding, polished by k-means; areas from the same tree.

    `n_themes=None` uses `choose_n_themes`; `n_areas=None` takes the count in `area_range` where
    the tree's next merge costs most relative to the one before (the widest gap in the dendrogram).
    """

    def __init__(self, n_themes: int | None = None, n_areas: int | None = None,
                 reducer: SpectralEmbedding | None = None, random_state: int = 42) -> None:
        self.n_themes = n_themes
        self.n_areas = n_areas
        self.reducer = reducer
        self.random_state = random_state

    def fit(self, unit_vectors: np.ndarray, graph: NeighbourGraph) -> SpectralWardThemes:
        n = len(unit_vectors)
        distinct = len(np.unique(unit_vectors, axis=0))  # no more themes than distinct points
        k = min(max(int(self.n_themes or choose_n_themes(n)), 1), distinct)
        if n < MIN_GRAPH_PAPERS:
            embedding, connectivity = unit_vectors, None
        else:
            reducer = self.reducer or SpectralEmbedding(random_state=self.random_state)
            embedding = reducer.fit_transform(graph, n_components=min(30, max(10, k // 3)))
            connectivity = graph.connectivity()
        children, distances = _ward_tree(embedding, connectivity)
        cut = _cut(children, n, k)
        centres = np.stack([unit_vectors[cut == t].mean(axis=0) for t in range(k)])
        if k > 1:
            kmeans = KMeans(n_clusters=k, init=centres, n_init=1, max_iter=100, random_state=self.random_state)
            labels = kmeans.fit(unit_vectors).labels_
        else:
            labels = np.zeros(n, dtype=int)
        self.labels_ = by_size(labels)
        self.n_themes_ = int(self.labels_.max()) + 1
        self.n_areas_, self.area_selection_ = self._n_areas(distances, n)
        self.area_of_theme_ = _areas_of_themes(self.labels_, _cut(children, n, self.n_areas_))
        self.n_areas_ = int(self.area_of_theme_.max()) + 1
        return self

    def _n_areas(self, distances: np.ndarray, n: int) -> tuple[int, str]:
        if self.n_areas:
            return min(int(self.n_areas), self.n_themes_), "given"
        low, high = area_range(self.n_themes_)
        if high <= low or len(distances) < high:
            return low, f"{low} areas (√themes)"
        # merge j leaves n - 1 - j clusters; going from a to a - 1 clusters is merge n - a
        gaps = {a: distances[n - a] / max(distances[n - a - 1], 1e-12) for a in range(low, high + 1)}
        best = max(gaps, key=lambda a: (gaps[a], -a))
        return best, f"widest dendrogram gap among {low}-{high} areas (next merge ×{gaps[best]:.2f} costlier)"


class KMeansThemes:
    """The previous method, kept for comparison: k-means++ restarts on the unit vectors, areas by
    Ward linkage of the theme centres (√k of them). Unstable across seeds at fine grain."""

    def __init__(self, n_themes: int | None = None, n_areas: int | None = None, random_state: int = 42) -> None:
        self.n_themes = n_themes
        self.n_areas = n_areas
        self.random_state = random_state

    def fit(self, unit_vectors: np.ndarray, graph: NeighbourGraph | None = None) -> KMeansThemes:
        k = min(int(self.n_themes or choose_n_themes(len(unit_vectors))), len(np.unique(unit_vectors, axis=0)))
        n_init = int(np.clip(1e6 / (len(unit_vectors) * k), 3, 10))
        labels = KMeans(n_clusters=k, n_init=n_init, max_iter=100, random_state=self.random_state).fit(unit_vectors).labels_
        self.labels_ = by_size(labels)
        self.n_themes_ = int(self.labels_.max()) + 1
        centres = np.stack([unit_vectors[self.labels_ == t].mean(axis=0) for t in range(self.n_themes_)])
        n_areas = min(int(self.n_areas or max(1, round(np.sqrt(self.n_themes_)))), self.n_themes_)
        groups = (AgglomerativeClustering(n_clusters=n_areas, linkage="ward").fit_predict(centres)
                  if 1 < n_areas < self.n_themes_ else np.arange(self.n_themes_) % max(n_areas, 1))
        self.area_of_theme_ = _areas_of_themes(self.labels_, groups[self.labels_])
        self.n_areas_ = int(self.area_of_theme_.max()) + 1
        self.area_selection_ = "given" if self.n_areas else "√themes"
        return self


def _ward_tree(embedding: np.ndarray, connectivity: sparse.csr_matrix | None) -> tuple[np.ndarray, np.ndarray]:
    """The full Ward merge tree (children, merge distances); deterministic for a given embedding."""
    if len(embedding) < 2:
        return np.zeros((0, 2), dtype=int), np.zeros(0)
    with warnings.catch_warnings():  # a graph of several components is completed by scikit-learn
        warnings.filterwarnings("ignore", message=".*connected components.*")
        ward = AgglomerativeClustering(n_clusters=1, linkage="ward", connectivity=connectivity,
                                       compute_full_tree=True, compute_distances=True).fit(embedding)
    return ward.children_, ward.distances_


def _cut(children: np.ndarray, n: int, n_clusters: int) -> np.ndarray:
    """Cluster of each leaf after the first n - n_clusters merges, numbered by first leaf."""
    merges = children[: max(n - n_clusters, 0)]
    parents = n + np.repeat(np.arange(len(merges)), 2)
    nodes = n + len(merges)
    edges = sparse.csr_matrix((np.ones(len(parents)), (merges.ravel(), parents)), shape=(nodes, nodes))
    _, component = connected_components(edges, directed=False)
    _, labels = np.unique(component[:n], return_inverse=True)
    return labels


def _areas_of_themes(labels: np.ndarray, paper_area: np.ndarray) -> np.ndarray:
    """Each theme's area is the one holding most of its papers; areas renumbered largest first."""
    n_themes = int(labels.max()) + 1
    counts = np.zeros((n_themes, int(paper_area.max()) + 1), dtype=int)
    np.add.at(counts, (labels, paper_area), 1)
    _, area = np.unique(counts.argmax(axis=1), return_inverse=True)
    return _rank(np.bincount(area, weights=np.bincount(labels, minlength=n_themes)))[area]


def by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 0.. so 0 is the largest (ties: the lower original number first); empty ones vanish."""
    _, labels = np.unique(labels, return_inverse=True)
    return _rank(np.bincount(labels))[labels]


def _rank(sizes: np.ndarray) -> np.ndarray:
    """New number of each group: 0 for the largest, ties by the lower old number."""
    order = np.lexsort((np.arange(len(sizes)), -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank
